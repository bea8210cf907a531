//! `--baseline FILE`: report only the findings that a previous report did not have.
//!
//! The baseline is a report odoo-lint wrote before: `--format json` (or `json-lines`), or
//! `--format sarif`. Findings are matched by rule code and line-hash fingerprint
//! ([`crate::render::fingerprint`]): the hash covers the code, the file's path and the text of
//! the line the finding starts on, never its number, so a known finding stays known when lines
//! are added above it, and becomes new when its line changes. Run odoo-lint from the same
//! directory for both reports: paths are part of the hash.

use crate::diagnostic::Diagnostic;
use crate::files::FileSet;
use crate::suppress::{Suppressed, SuppressedBy};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The findings of a previous report, by (code, fingerprint), with how many there were.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    pub path: PathBuf,
    known: HashMap<(String, String), usize>,
}

impl Baseline {
    /// How many findings the baseline holds.
    pub fn len(&self) -> usize {
        self.known.values().sum()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Reads a json, json-lines or sarif report.
    pub fn load(path: &Path) -> Result<Baseline, String> {
        let shown = crate::source::display_path(path);
        let text = std::fs::read_to_string(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "--baseline {shown}: no such file (write one first: `odoo-lint check . --format json --output-file {shown} --fail-on never`)"
                )
            } else {
                format!("--baseline {shown}: {e}")
            }
        })?;
        Baseline::parse(&text)
            .map(|known| Baseline { path: path.to_path_buf(), known })
            .map_err(|e| format!("--baseline {shown}: {e}"))
    }

    fn parse(text: &str) -> Result<HashMap<(String, String), usize>, String> {
        let mut known = HashMap::new();
        let mut add = |code: Option<&str>, fp: Option<&str>| -> Result<(), String> {
            match (code, fp) {
                (Some(c), Some(f)) => {
                    *known.entry((c.to_string(), f.to_string())).or_insert(0) += 1;
                    Ok(())
                }
                _ => Err("a finding has no code or no fingerprint (was it written by an older odoo-lint?)".to_string()),
            }
        };
        let docs: Vec<serde_json::Value> = match serde_json::from_str::<serde_json::Value>(text) {
            Ok(v) => vec![v],
            // json-lines: one finding per line
            Err(_) => text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(serde_json::from_str)
                .collect::<Result<_, _>>()
                .map_err(|e| format!("not a json, json-lines or sarif report of odoo-lint: {e}"))?,
        };
        for doc in &docs {
            if let Some(runs) = doc.get("runs").and_then(|r| r.as_array()) {
                for result in runs.iter().filter_map(|r| r.get("results")?.as_array()).flatten() {
                    // a result that was suppressed then is not a finding to remember
                    if result.get("suppressions").and_then(|s| s.as_array()).is_some_and(|s| !s.is_empty()) {
                        continue;
                    }
                    add(
                        result.get("ruleId").and_then(|v| v.as_str()),
                        result.pointer("/partialFingerprints/primaryLocationLineHash").and_then(|v| v.as_str()),
                    )?;
                }
            } else if let Some(diags) = doc.get("diagnostics").and_then(|d| d.as_array()) {
                for d in diags {
                    add(d.get("code").and_then(|v| v.as_str()), d.get("fingerprint").and_then(|v| v.as_str()))?;
                }
            } else if doc.get("code").is_some() {
                if doc.get("suppression").is_some_and(|s| !s.is_null()) {
                    continue;
                }
                add(doc.get("code").and_then(|v| v.as_str()), doc.get("fingerprint").and_then(|v| v.as_str()))?;
            } else {
                return Err("not a json, json-lines or sarif report of odoo-lint".to_string());
            }
        }
        Ok(known)
    }

    /// Splits `diags` (in report order) into new findings and known ones.
    pub fn split(&self, files: &FileSet, diags: Vec<Diagnostic>) -> (Vec<Diagnostic>, Vec<Suppressed>) {
        let fps = crate::render::fingerprint::fingerprints(files, &diags);
        let mut left = self.known.clone();
        let mut new = Vec::new();
        let mut known = Vec::new();
        let reason = format!("in the baseline {}", crate::source::display_path(&self.path));
        for (d, fp) in diags.into_iter().zip(fps) {
            match left.get_mut(&(d.code.to_string(), fp.line_hash())) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    known.push(Suppressed {
                        diagnostic: d,
                        by: SuppressedBy { kind: "baseline", at: None, reason: Some(reason.clone()) },
                    });
                }
                _ => new.push(d),
            }
        }
        (new, known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_json_lines_and_sarif() {
        let json = r#"{"version":1,"diagnostics":[{"code":"OL301","fingerprint":"00000000000000ab:1"}],"summary":{}}"#;
        assert_eq!(Baseline::parse(json).unwrap().len(), 1);
        let lines = "{\"code\":\"OL301\",\"fingerprint\":\"ab:1\"}\n{\"code\":\"OL301\",\"fingerprint\":\"ab:2\"}\n";
        assert_eq!(Baseline::parse(lines).unwrap().len(), 2);
        let sarif = r#"{"runs":[{"results":[{"ruleId":"OL702","partialFingerprints":{"primaryLocationLineHash":"ab:1"}},
            {"ruleId":"OL703","partialFingerprints":{"primaryLocationLineHash":"cd:1"},"suppressions":[{"kind":"inSource"}]}]}]}"#;
        let b = Baseline::parse(sarif).unwrap();
        assert_eq!(b.len(), 1, "suppressed results are not remembered");
        assert!(Baseline::parse("[1, 2]").is_err());
        assert!(Baseline::parse(r#"{"diagnostics":[{"code":"OL301"}]}"#).unwrap_err().contains("no fingerprint"));
    }
}
