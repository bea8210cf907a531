//! Stable fingerprints of findings, for CI systems that track a finding across runs (SARIF
//! `partialFingerprints.primaryLocationLineHash`, GitLab `fingerprint`).
//!
//! A fingerprint hashes the rule code, the file's display path and the trimmed text of the
//! line the finding starts on, never line numbers: a finding keeps its fingerprint when lines
//! are added above it. Secrets on that line are masked before hashing, so a fingerprint says
//! nothing about a password. Findings that share code, file and line text are told apart by
//! their order (`occurrence`), as GitHub does for its own line hashes.

use crate::diagnostic::Diagnostic;
use crate::files::FileSet;
use std::collections::HashMap;

/// A finding's line hash and its occurrence among findings with the same hash (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint {
    pub hash: u64,
    pub occurrence: u32,
}

impl Fingerprint {
    /// `39fa2ee980eb94b0:1`: GitHub's form of `primaryLocationLineHash`.
    pub fn line_hash(self) -> String {
        format!("{:016x}:{}", self.hash, self.occurrence)
    }

    /// One hex string unique per finding of a report (GitLab collapses equal fingerprints).
    pub fn unique(self) -> String {
        let mut h = Fnv::new();
        h.write(&self.hash.to_le_bytes());
        h.write(&self.occurrence.to_le_bytes());
        format!("{:016x}{:016x}", self.hash, h.finish())
    }
}

/// 64-bit FNV-1a: fixed by its definition, so fingerprints stay equal across Rust releases
/// and platforms (std's `DefaultHasher` promises neither).
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The trimmed text of the line holding `offset`, secrets masked.
fn line_text(files: &FileSet, d: &Diagnostic) -> Vec<u8> {
    let src = files.source(d.primary.span.file);
    if src.text.is_empty() {
        return Vec::new();
    }
    let line = src.line_of(d.primary.span.range.start as usize);
    let range = src.line_range(line);
    let masked = crate::secrets::mask(&src.text.as_bytes()[..range.end as usize], &src.secrets);
    let text = &masked[range.start as usize..];
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len());
    let end = text.iter().rposition(|b| !b.is_ascii_whitespace()).map_or(start, |e| e + 1);
    text[start..end].to_vec()
}

/// The fingerprint of each diagnostic, in order.
pub fn fingerprints(files: &FileSet, diags: &[Diagnostic]) -> Vec<Fingerprint> {
    let mut seen: HashMap<u64, u32> = HashMap::new();
    diags
        .iter()
        .map(|d| {
            let mut h = Fnv::new();
            for part in [d.code.as_bytes(), files.source(d.primary.span.file).display.as_bytes(), &line_text(files, d)] {
                h.write(part);
                h.write(&[0]); // separator: ("ab","c") and ("a","bc") differ
            }
            let hash = h.finish();
            let n = seen.entry(hash).or_insert(0);
            *n += 1;
            Fingerprint { hash, occurrence: *n }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Diagnostic, Label, Severity};
    use crate::files::FileKind;
    use crate::source::{SourceFile, Span, TextRange};

    fn diag(file: crate::source::FileId, at: usize) -> Diagnostic {
        Diagnostic {
            code: "OL004",
            name: "duplicate-option",
            severity: Severity::Error,
            message: format!("found at {at}"),
            primary: Label::new(Span::new(file, TextRange::new(at, at + 1)), ""),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fix: None,
        }
    }

    #[test]
    fn fnv_matches_the_published_test_vectors() {
        // FNV-1a 64 of "" and "a" (the FNV reference test suite).
        assert_eq!(Fnv::new().finish(), 0xcbf29ce484222325);
        let mut h = Fnv::new();
        h.write(b"a");
        assert_eq!(h.finish(), 0xaf63dc4c8601ec8c);
    }

    #[test]
    fn lines_moving_keep_the_fingerprint() {
        let mut before = FileSet::new();
        let a = before.add(SourceFile::from_text("odoo.conf", "[options]\nworkers = 2\n"), FileKind::OdooConf);
        let mut after = FileSet::new();
        let b = after
            .add(SourceFile::from_text("odoo.conf", "[options]\n; sized for reports\n\n  workers = 2\n"), FileKind::OdooConf);
        let fa = fingerprints(&before, &[diag(a, 10)]);
        let fb = fingerprints(&after, &[diag(b, 33)]);
        assert_eq!(fa, fb);
        // another line, another fingerprint
        let fc = fingerprints(&before, &[diag(a, 0)]);
        assert_ne!(fa[0].hash, fc[0].hash);
    }

    #[test]
    fn same_line_findings_are_told_apart_by_occurrence() {
        let mut files = FileSet::new();
        let a = files.add(SourceFile::from_text("odoo.conf", "[options]\nworkers = 2\n"), FileKind::OdooConf);
        let f = fingerprints(&files, &[diag(a, 10), diag(a, 12)]);
        assert_eq!(f[0].hash, f[1].hash);
        assert_eq!((f[0].occurrence, f[1].occurrence), (1, 2));
        assert_ne!(f[0].unique(), f[1].unique());
        assert!(f[1].line_hash().ends_with(":2"));
    }

    #[test]
    fn secrets_do_not_reach_the_hash() {
        // Two passwords of the same length give the same fingerprint: the hash holds no trace
        // of the value, so it cannot be used to test guesses.
        let mut one = FileSet::new();
        let a = one.add(SourceFile::from_text("odoo.conf", "[options]\ndb_password = hunter22\n"), FileKind::OdooConf);
        let mut two = FileSet::new();
        let b = two.add(SourceFile::from_text("odoo.conf", "[options]\ndb_password = s3cr3t!!\n"), FileKind::OdooConf);
        assert_eq!(fingerprints(&one, &[diag(a, 10)]), fingerprints(&two, &[diag(b, 10)]));
    }

    #[test]
    fn empty_file_and_end_of_file() {
        let mut files = FileSet::new();
        let a = files.add(SourceFile::from_text("odoo.conf", ""), FileKind::OdooConf);
        let mut d = diag(a, 0);
        d.primary.span.range = TextRange::empty(0);
        assert_eq!(fingerprints(&files, &[d]).len(), 1);
    }
}
