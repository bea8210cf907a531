//! The rule registry and the rule docs under `rules/` agree: every registered rule has a doc
//! whose front matter repeats its code, name, severity, fix safety and symptoms, and every
//! doc names a registered rule. Codes are unique and follow rules.md's families.

use odoo_lint::rules::REGISTRY;
use std::collections::BTreeSet;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    code: String,
    name: String,
    severity: String,
    fix: String,
    symptoms: Vec<String>,
}

fn front_matter(doc: &str) -> FrontMatter {
    let rest = doc.strip_prefix("+++\n").expect("doc starts with +++ front matter");
    let end = rest.find("\n+++\n").expect("front matter ends with +++");
    toml::from_str(&rest[..end]).expect("front matter is TOML")
}

#[test]
fn every_rule_has_a_matching_doc() {
    for rule in REGISTRY {
        let m = rule.meta();
        let fm = front_matter(m.doc);
        assert_eq!(fm.code, m.code);
        assert_eq!(fm.name, m.name, "{}", m.code);
        assert_eq!(fm.severity, m.severity.as_str(), "{}", m.code);
        assert_eq!(fm.fix, m.fix.as_str(), "{}", m.code);
        let symptoms: Vec<&str> = m.symptoms.iter().map(|s| s.as_str()).collect();
        assert_eq!(fm.symptoms, symptoms, "{}", m.code);
        let body = m.body();
        for section in ["## What it does", "## Why it matters", "## Example", "## Fix"] {
            assert!(body.contains(section), "{} doc lacks `{section}`", m.code);
        }
        assert!(body.starts_with(&format!("# {} {}", m.code, m.name)), "{} doc title", m.code);
    }
}

#[test]
fn every_doc_has_a_rule() {
    let codes: BTreeSet<String> = REGISTRY.iter().map(|r| format!("{}-{}.md", r.meta().code, r.meta().name)).collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "README.md" {
            continue;
        }
        assert!(codes.contains(&name), "rules/{name} documents no registered rule");
    }
}

#[test]
fn codes_are_unique_and_well_formed() {
    let mut seen = BTreeSet::new();
    for rule in REGISTRY {
        let m = rule.meta();
        assert!(seen.insert(m.code), "duplicate code {}", m.code);
        assert!(m.code.len() == 5 && m.code.starts_with("OL") && m.code[2..].chars().all(|c| c.is_ascii_digit()), "{}", m.code);
        assert!(m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", m.name);
        assert!(!m.summary.is_empty());
    }
    let codes: Vec<&str> = REGISTRY.iter().map(|r| r.meta().code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(codes, sorted, "REGISTRY is in code order");
}
