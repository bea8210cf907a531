//! The hand-written reader ([`super::scan`]) against the grammar (`grammar/postgresql.pest`,
//! run by pest in [`super::syntax::pest_reference`]): the same tree, token for token and line
//! for line, errors included, on the corpus, the fixtures and random inputs.

use super::syntax::pest_reference;
use super::*;
use crate::source::SourceFile;
use proptest::prelude::*;

fn agree(source: &SourceFile) -> Result<(), TestCaseError> {
    let fast = PgConf::parse(source);
    let reference = pest_reference::parse(source);
    prop_assert_eq!(&fast, &reference, "{:?}", source.text);
    let mut printed = Vec::new();
    for r in fast.pieces() {
        printed.extend_from_slice(&source.bytes[r.range()]);
    }
    prop_assert_eq!(printed, source.bytes.clone());
    Ok(())
}

fn files_under(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { files_under(&p, out) } else { out.push(p) }
    }
}

#[test]
fn corpus_and_fixtures_read_alike() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("tests/corpus/postgresql"), &mut files);
    files_under(&root.join("fixtures/parsers/postgresql"), &mut files);
    let mut read = 0;
    for path in files {
        if path.extension().is_some_and(|e| e == "md" || e == "tsv") {
            continue;
        }
        let source = SourceFile::new(&path, std::fs::read(&path).unwrap());
        agree(&source).unwrap();
        read += 1;
    }
    assert!(read > 20, "only {read} files");
}

/// Pieces chosen to meet every rule's edges: quotes doubled and escaped, signs, dots, hex,
/// exponents, `=`, comments, carriage returns, invalid bytes, letters beyond ASCII.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        " ",
        "\t",
        "\r",
        "\n",
        "\r\n",
        "#",
        "=",
        "'",
        "''",
        "\\",
        "\\'",
        "\\\n",
        ".",
        "-",
        "+",
        ":",
        "/",
        "_",
        "a",
        "Ab",
        "x",
        "e",
        "E",
        "0",
        "0x",
        "1f",
        "12",
        "5min",
        "1.5",
        ".5",
        "1e3",
        "1.0e-3",
        "é",
        "\u{1a}",
        "\u{1}",
        "\"",
        "on",
        "work_mem",
        "pg.max",
        "en_US.UTF-8",
        "include",
        "# c",
        "#work_mem = 4MB",
        "'a b'",
        "$",
        "\0",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4000, ..ProptestConfig::default() })]

    #[test]
    fn scanner_equals_grammar(parts in prop::collection::vec(piece(), 0..30)) {
        agree(&SourceFile::from_text("postgresql.conf", &parts.concat()))?;
    }

    /// Any bytes (invalid UTF-8 included).
    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        agree(&SourceFile::new("postgresql.conf", bytes))?;
    }

    /// The check that decides whether an edited value needs quotes.
    #[test]
    fn bare_values_alike(parts in prop::collection::vec(piece(), 0..5)) {
        let v = parts.concat();
        prop_assert_eq!(syntax::is_bare_value(&v), pest_reference::is_bare_value(&v), "{:?}", v);
    }
}
