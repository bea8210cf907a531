//! `--format sarif`: a SARIF 2.1.0 log (OASIS), as GitHub code scanning and SARIF viewers read
//! it.
//!
//! - `tool.driver` names odoo-lint, its version and every rule that has a result: id = code,
//!   name, `shortDescription` = the one-line summary, `fullDescription` = the doc's "What it
//!   does", `help` = the whole doc (text and Markdown), `helpUri` = the doc in the repository,
//!   `defaultConfiguration.level` = the rule's own severity.
//! - Each result has `ruleId`/`ruleIndex`, its `level` (after `[severity]` overrides), the
//!   message, one location (the primary label) with a region in lines and columns (1-based,
//!   Unicode code points, end exclusive) and in bytes (`byteOffset`/`byteLength`), and a
//!   `relatedLocation` per secondary label, in any file.
//! - `partialFingerprints.primaryLocationLineHash` comes from [`super::fingerprint`]: it
//!   follows the line's text, not its number.
//! - A fix becomes `fixes[0]`: one `artifactChange` per file, each edit a `replacement` of a
//!   byte range (`deletedRegion` by `byteOffset`/`byteLength`) with `insertedContent`.
//! - A finding silenced by an inline comment, `per-file-ignores` or the baseline (only with
//!   `--show-suppressed`) has `suppressions[0]`: `kind` `inSource` (with the comment's
//!   location) or `external`, `status` `accepted`, and the reason as `justification`.
//! - Paths are URIs relative to the working directory (`uriBaseId` `%SRCROOT%`, given in
//!   `originalUriBaseIds`); a file outside it has an absolute `file://` URI.
//!
//! Hand-written structs: the SARIF crates drag in code generation for a few dozen fields.

use crate::diagnostic::{Diagnostic, Severity};
use crate::files::FileSet;
use crate::rules::{REGISTRY, RuleMeta};
use crate::source::{SourceFile, TextRange};
use serde::Serialize;
use std::collections::BTreeMap;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, ArtifactLocation>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Text<'a>,
    full_description: Multiformat<'a>,
    help: Multiformat<'a>,
    help_uri: String,
    default_configuration: Configuration,
    properties: RuleProperties<'a>,
}

#[derive(Serialize)]
struct RuleProperties<'a> {
    /// What the problem leads to (502, oom-kill, …): GitHub shows tags as filters.
    tags: Vec<&'a str>,
    /// none, safe or unsafe.
    fix: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct Multiformat<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Text<'a>,
    locations: Vec<Location<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression<'a>>,
    #[serde(skip_serializing_if = "ResultProperties::is_empty")]
    properties: ResultProperties<'a>,
}

/// SARIF §3.35: why a result is not an open finding.
#[derive(Serialize)]
struct SarifSuppression<'a> {
    kind: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<Location<'a>>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

impl ResultProperties<'_> {
    fn is_empty(&self) -> bool {
        self.help.is_none() && self.notes.is_empty()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    byte_offset: u32,
    byte_length: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix<'a> {
    description: Text<'a>,
    artifact_changes: Vec<ArtifactChange<'a>>,
    properties: FixProperties,
}

#[derive(Serialize)]
struct FixProperties {
    /// safe (`--fix`) or unsafe (`--fix --unsafe-fixes`).
    applicability: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: ByteRegion,
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ByteRegion {
    byte_offset: u32,
    byte_length: u32,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The "What it does" section of a rule doc (the summary if the doc has none).
fn what_it_does(meta: &RuleMeta) -> &str {
    let body = meta.body();
    let Some(start) = body.find("## What it does\n") else { return meta.summary };
    let rest = &body[start + "## What it does\n".len()..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let text = rest[..end].trim();
    if text.is_empty() { meta.summary } else { text }
}

/// Percent-encodes a path for a URI: everything but unreserved characters and `/`
/// (a `:` too, so that `a:b.conf` does not read as a scheme).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `file://` URI for an absolute path (`/etc/odoo.conf`, or `C:/odoo.conf` on Windows).
fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    match path.strip_prefix('/') {
        Some(rest) => format!("file:///{}", encode_path(rest)),
        // a drive letter keeps its colon
        None if path.as_bytes().get(1) == Some(&b':') => format!("file:///{}:{}", &path[..1], encode_path(&path[2..])),
        None => format!("file:///{}", encode_path(&path)),
    }
}

fn artifact(src: &SourceFile) -> ArtifactLocation {
    let display = &src.display;
    let absolute = display.starts_with('/') || display.starts_with('\\') || display.as_bytes().get(1) == Some(&b':');
    if absolute {
        ArtifactLocation { uri: file_uri(display), uri_base_id: None }
    } else {
        ArtifactLocation { uri: encode_path(display), uri_base_id: Some(SRCROOT) }
    }
}

fn region(src: &SourceFile, range: TextRange) -> Region {
    let start = src.line_col(range.start as usize);
    let end = src.line_col(range.end as usize);
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        byte_offset: range.start,
        byte_length: range.end - range.start,
    }
}

fn location<'a>(files: &FileSet, label: &'a crate::diagnostic::Label, id: Option<usize>) -> Location<'a> {
    let src = files.source(label.span.file);
    Location {
        id,
        physical_location: PhysicalLocation { artifact_location: artifact(src), region: region(src, label.span.range) },
        message: if label.message.is_empty() { None } else { Some(Text { text: &label.message }) },
    }
}

fn fix<'a>(files: &FileSet, d: &'a Diagnostic) -> Vec<Fix<'a>> {
    let Some(f) = &d.fix else { return Vec::new() };
    // one artifactChange per file, in the order the files first appear
    let mut changes: Vec<(crate::source::FileId, ArtifactChange)> = Vec::new();
    for e in &f.edits {
        let replacement = Replacement {
            deleted_region: ByteRegion { byte_offset: e.range.start, byte_length: e.range.end - e.range.start },
            inserted_content: if e.replacement.is_empty() { None } else { Some(Text { text: &e.replacement }) },
        };
        match changes.iter_mut().find(|(file, _)| *file == e.file) {
            Some((_, c)) => c.replacements.push(replacement),
            None => changes.push((
                e.file,
                ArtifactChange { artifact_location: artifact(files.source(e.file)), replacements: vec![replacement] },
            )),
        }
    }
    vec![Fix {
        description: Text { text: &f.title },
        artifact_changes: changes.into_iter().map(|(_, c)| c).collect(),
        properties: FixProperties { applicability: f.applicability.as_str() },
    }]
}

/// The working directory as a `file://` URI ending in `/`, the base of relative URIs.
fn srcroot() -> Option<ArtifactLocation> {
    let cwd = std::env::current_dir().ok()?;
    let mut uri = file_uri(&cwd.to_string_lossy());
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(ArtifactLocation { uri, uri_base_id: None })
}

/// Renders the SARIF log of `diags`.
pub fn render(files: &FileSet, diags: &[Diagnostic]) -> String {
    render_with(files, diags, &[])
}

/// Renders the SARIF log of `diags` and of the silenced findings, these with `suppressions`.
pub fn render_with(files: &FileSet, diags: &[Diagnostic], silenced: &[crate::suppress::Suppressed]) -> String {
    let silenced_diags: Vec<Diagnostic> = silenced.iter().map(|s| s.diagnostic.clone()).collect();
    let all: Vec<&Diagnostic> = diags.iter().chain(silenced_diags.iter()).collect();
    // The rules that have results, in registry (code) order.
    let metas: Vec<&'static RuleMeta> =
        REGISTRY.iter().map(|r| r.meta()).filter(|m| all.iter().any(|d| d.code == m.code)).collect();
    // A diagnostic whose code is not registered (none today) still gets a rule entry.
    let mut unknown: Vec<&Diagnostic> = Vec::new();
    for &d in &all {
        if !metas.iter().any(|m| m.code == d.code) && !unknown.iter().any(|u| u.code == d.code) {
            unknown.push(d);
        }
    }
    let mut rules: Vec<Rule> = metas
        .iter()
        .map(|m| Rule {
            id: m.code,
            name: m.name,
            short_description: Text { text: m.summary },
            full_description: Multiformat { text: what_it_does(m), markdown: what_it_does(m) },
            help: Multiformat { text: m.body(), markdown: m.body() },
            help_uri: super::rule_doc_url(m),
            default_configuration: Configuration { level: level(m.severity) },
            properties: RuleProperties { tags: m.symptoms.iter().map(|s| s.as_str()).collect(), fix: m.fix.as_str() },
        })
        .collect();
    for d in &unknown {
        rules.push(Rule {
            id: d.code,
            name: d.name,
            short_description: Text { text: d.name },
            full_description: Multiformat { text: d.name, markdown: d.name },
            help: Multiformat { text: d.name, markdown: d.name },
            help_uri: super::HOMEPAGE.to_string(),
            default_configuration: Configuration { level: level(d.severity) },
            properties: RuleProperties { tags: Vec::new(), fix: "none" },
        });
    }
    let (fa, fb) = super::json::all_fingerprints(files, diags, silenced);
    let why: Vec<Option<&crate::suppress::Suppressed>> = diags.iter().map(|_| None).chain(silenced.iter().map(Some)).collect();
    let results = all
        .iter()
        .zip(fa.into_iter().chain(fb))
        .zip(why)
        .map(|((d, fp), why)| {
            let mut partial = BTreeMap::new();
            partial.insert("primaryLocationLineHash", fp.line_hash());
            SarifResult {
                rule_id: d.code,
                rule_index: rules.iter().position(|r| r.id == d.code).unwrap_or(0),
                level: level(d.severity),
                message: Text { text: &d.message },
                locations: vec![location(files, &d.primary, None)],
                related_locations: d.secondary.iter().enumerate().map(|(i, l)| location(files, l, Some(i + 1))).collect(),
                partial_fingerprints: partial,
                fixes: fix(files, d),
                suppressions: why
                    .map(|s| SarifSuppression {
                        kind: if s.by.at.is_some() { "inSource" } else { "external" },
                        status: "accepted",
                        justification: s.by.reason.as_deref(),
                        location: s.by.at.map(|span| {
                            let src = files.source(span.file);
                            Location {
                                id: None,
                                physical_location: PhysicalLocation {
                                    artifact_location: artifact(src),
                                    region: region(src, span.range),
                                },
                                message: None,
                            }
                        }),
                    })
                    .into_iter()
                    .collect(),
                properties: ResultProperties { help: d.help.as_deref(), notes: &d.notes },
            }
        })
        .collect();
    let mut bases = BTreeMap::new();
    if let Some(root) = srcroot() {
        bases.insert(SRCROOT, root);
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "odoo-lint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: super::HOMEPAGE,
                    rules,
                },
            },
            original_uri_base_ids: bases,
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Edit, Label};
    use crate::files::FileKind;
    use crate::source::Span;

    fn two_files() -> (FileSet, Vec<Diagnostic>) {
        let mut files = FileSet::new();
        let a =
            files.add(SourceFile::from_text("envs/prod/odoo.conf", "[options]\nworkers = 9\nlist_db = no\n"), FileKind::OdooConf);
        let b = files.add(SourceFile::from_text("nginx/odoo site.conf", "proxy_read_timeout 60s;\n"), FileKind::Nginx);
        let d = Diagnostic {
            code: "OL008",
            name: "boolean-misread",
            severity: Severity::Warning,
            message: "`list_db = no` reads as true".into(),
            primary: Label::new(Span::new(a, TextRange::new(32, 34)), "read as True"),
            secondary: vec![Label::new(Span::new(b, TextRange::new(19, 22)), "60 s here")],
            help: Some("write False".into()),
            notes: vec![],
            fix: Some(crate::diagnostic::Fix::safe(
                "write `False`",
                vec![Edit::replace(a, TextRange::new(32, 34), "False"), Edit::delete(b, TextRange::new(0, 24))],
            )),
        };
        (files, vec![d])
    }

    #[test]
    fn result_has_regions_in_lines_and_bytes_and_related_locations_in_other_files() {
        let (files, diags) = two_files();
        let v: serde_json::Value = serde_json::from_str(&render(&files, &diags)).unwrap();
        let r = &v["runs"][0]["results"][0];
        assert_eq!(r["ruleId"], "OL008");
        assert_eq!(r["ruleIndex"], 0);
        assert_eq!(r["level"], "warning");
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "envs/prod/odoo.conf");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(
            loc["region"],
            serde_json::json!({"startLine": 3, "startColumn": 11, "endLine": 3, "endColumn": 13, "byteOffset": 32, "byteLength": 2})
        );
        let rel = &r["relatedLocations"][0];
        assert_eq!(rel["physicalLocation"]["artifactLocation"]["uri"], "nginx/odoo%20site.conf");
        assert_eq!(rel["message"]["text"], "60 s here");
        assert_eq!(rel["physicalLocation"]["region"]["startColumn"], 20);
        let fix = &r["fixes"][0];
        assert_eq!(fix["artifactChanges"].as_array().unwrap().len(), 2);
        assert_eq!(
            fix["artifactChanges"][0]["replacements"][0],
            serde_json::json!({"deletedRegion": {"byteOffset": 32, "byteLength": 2}, "insertedContent": {"text": "False"}})
        );
        // a deletion has no insertedContent
        assert_eq!(
            fix["artifactChanges"][1]["replacements"][0],
            serde_json::json!({"deletedRegion": {"byteOffset": 0, "byteLength": 24}})
        );
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].as_str().unwrap().ends_with(":1"));
    }

    #[test]
    fn driver_describes_the_rules_with_results() {
        let (files, diags) = two_files();
        let v: serde_json::Value = serde_json::from_str(&render(&files, &diags)).unwrap();
        let driver = &v["runs"][0]["tool"]["driver"];
        assert_eq!(driver["name"], "odoo-lint");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rules = driver["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 1);
        let meta = crate::rules::find("OL008").unwrap().meta();
        assert_eq!(rules[0]["id"], "OL008");
        assert_eq!(rules[0]["name"], meta.name);
        assert_eq!(rules[0]["shortDescription"]["text"], meta.summary);
        assert_eq!(rules[0]["help"]["markdown"], meta.body());
        assert_eq!(rules[0]["helpUri"], format!("{RULE_DOCS}OL008-boolean-misread.md", RULE_DOCS = crate::render::RULE_DOCS_URL));
        assert_eq!(rules[0]["defaultConfiguration"]["level"], level(meta.severity));
        let what = rules[0]["fullDescription"]["text"].as_str().unwrap();
        assert!(!what.is_empty() && !what.contains("## "), "{what}");
    }

    #[test]
    fn uris() {
        assert_eq!(encode_path("a b/c:d.conf"), "a%20b/c%3Ad.conf");
        assert_eq!(encode_path("é"), "%C3%A9");
        assert_eq!(file_uri("/etc/odoo/odoo.conf"), "file:///etc/odoo/odoo.conf");
        assert_eq!(file_uri("C:\\odoo\\odoo.conf"), "file:///C:/odoo/odoo.conf");
    }

    #[test]
    fn no_findings_is_a_valid_empty_run() {
        let v: serde_json::Value = serde_json::from_str(&render(&FileSet::new(), &[])).unwrap();
        assert_eq!(v["version"], "2.1.0");
        assert_eq!(v["runs"][0]["results"], serde_json::json!([]));
        assert_eq!(v["runs"][0]["tool"]["driver"]["rules"], serde_json::json!([]));
    }
}
