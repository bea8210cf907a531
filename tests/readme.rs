//! The README stays true: its demo excerpt is the program's real output, its rules table
//! is the registry, and its two set-up commands are the ones that work.
//! `UPDATE_README=1 cargo test --test readme` rewrites the generated parts instead of failing.

use odoo_lint::rules::REGISTRY;
use std::process::Command;

/// The tests rewrite README.md under `UPDATE_README`: one at a time.
static README_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let a = text.find(start).unwrap_or_else(|| panic!("README lacks {start}")) + start.len();
    let b = text[a..].find(end).unwrap_or_else(|| panic!("README lacks {end}")) + a;
    &text[a..b]
}

/// Replaces what lies between two markers.
fn replace_between(text: &str, start: &str, end: &str, new: &str) -> String {
    let a = text.find(start).unwrap() + start.len();
    let b = text[a..].find(end).unwrap() + a;
    format!("{}{new}{}", &text[..a], &text[b..])
}

fn updating() -> bool {
    std::env::var_os("UPDATE_README").is_some()
}

fn write_readme(text: &str) {
    std::fs::write(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"), text).unwrap();
}

fn fenced(block: &str) -> String {
    let inner = block.trim().strip_prefix("```text\n").and_then(|b| b.strip_suffix("```")).expect("a ```text block");
    inner.to_string()
}

#[test]
fn demo_excerpt_is_real_output() {
    let out = Command::new(env!("CARGO_BIN_EXE_odoo-lint"))
        .args(["check", "fixtures/demo"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("ODOO_LINT_OUTPUT_FORMAT")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the demo has findings");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let _guard = README_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut text = readme();
    if updating() {
        let head: Vec<&str> = stdout.lines().take(20).collect();
        text =
            replace_between(&text, "<!-- demo:start -->", "<!-- demo:end -->", &format!("\n```text\n{}\n```\n", head.join("\n")));
        let last = stdout.trim_end().lines().last().unwrap();
        text = replace_between(&text, "<!-- summary:start -->", "<!-- summary:end -->", &format!("\n```text\n{last}\n```\n"));
        write_readme(&text);
    }
    let excerpt = fenced(between(&text, "<!-- demo:start -->", "<!-- demo:end -->"));
    assert!(
        stdout.starts_with(&excerpt),
        "the README's demo excerpt is not what `odoo-lint check fixtures/demo` prints; update it:\n{stdout}"
    );
    let summary = fenced(between(&text, "<!-- summary:start -->", "<!-- summary:end -->"));
    assert_eq!(stdout.trim_end().lines().last().unwrap(), summary.trim_end(), "the README's summary line is stale");
}

#[test]
fn rules_table_is_the_registry() {
    let _guard = README_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let mut text = readme();
    if updating() {
        let mut table = String::from("\n| code | name | severity | fix | fires when |\n|---|---|---|---|---|\n");
        for rule in REGISTRY {
            let m = rule.meta();
            table.push_str(&format!(
                "| {} | `{}` | {} | {} | {} |\n",
                m.code,
                m.name,
                m.severity.as_str(),
                m.fix.as_str(),
                m.summary.replace('|', "\\|")
            ));
        }
        text = replace_between(&text, "<!-- rules:start -->", "<!-- rules:end -->", &table);
        write_readme(&text);
    }
    let table = between(&text, "<!-- rules:start -->", "<!-- rules:end -->");
    let rows: Vec<&str> = table.trim().lines().skip(2).collect();
    assert_eq!(rows.len(), REGISTRY.len(), "README lists {} rules, the registry has {}", rows.len(), REGISTRY.len());
    for (row, rule) in rows.iter().zip(REGISTRY) {
        let m = rule.meta();
        let expected = format!(
            "| {} | `{}` | {} | {} | {} |",
            m.code,
            m.name,
            m.severity.as_str(),
            m.fix.as_str(),
            m.summary.replace('|', "\\|")
        );
        assert_eq!(*row, expected);
    }
}

#[test]
fn set_up_commands_are_documented() {
    let text = readme();
    assert!(text.contains("cargo run --release -- check fixtures/demo"));
    assert!(text.contains("cargo test "));
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(ci.contains("cargo test"), ".ci/run runs the README's test command");
}
