//! Every corpus compose file and every fixture: parses without error, the tree accounts for
//! every byte (tokens plus trivia reprint the file byte for byte, and trivia holds nothing
//! but blanks, comments and YAML indicators), every scalar's range holds its text, and
//! loading never panics. Plus random and mangled inputs that must not panic.

mod common;

use std::path::{Path, PathBuf};

use odoo_lint::formats::compose::yaml::{self, NodeKind, ScalarStyle, YamlFile};
use odoo_lint::formats::compose::{LoadOptions, MemoryFs, RealFs, load};
use odoo_lint::source::{SourceFile, TextRange};

fn corpus_files() -> Vec<PathBuf> {
    let dir = common::corpus_dir().join("compose");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir).expect("corpus compose dir").flatten().map(|e| e.path()).collect();
    out.sort();
    out
}

fn fixture_files() -> Vec<PathBuf> {
    fn walk(d: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/parsers/compose"), &mut out);
    out.sort();
    out
}

/// Checks that the tree covers the text: tokens in order, no overlap, trivia made only of
/// blanks, comments, indicators (`: - ? , [ ] { }`), document markers and directives.
fn check_lossless(name: &str, text: &str, y: &YamlFile) {
    let tokens = y.token_ranges(text);
    let mut rebuilt = String::with_capacity(text.len());
    let mut pos = 0usize;
    let check_trivia = |from: usize, to: usize| {
        let gap = &text[from..to];
        for line in gap.split('\n') {
            let line = match line.find('#') {
                Some(i) => &line[..i],
                None => line,
            };
            let t = line.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\r' || c == '\u{feff}');
            let ok = t.is_empty()
                || t == "---"
                || t == "..."
                || t.starts_with('%')
                || t.chars().all(|c| matches!(c, ':' | '-' | '?' | ',' | '[' | ']' | '{' | '}' | ' ' | '\t'));
            assert!(ok, "{name}: unexpected text {t:?} between tokens at {from}..{to}");
        }
    };
    for t in &tokens {
        let (s, e) = (t.start as usize, t.end as usize);
        assert!(s >= pos, "{name}: token {t:?} overlaps the previous one (ends at {pos})");
        assert!(e <= text.len(), "{name}: token {t:?} beyond the end");
        check_trivia(pos, s);
        rebuilt.push_str(&text[pos..s]);
        rebuilt.push_str(&text[s..e]);
        pos = e;
    }
    check_trivia(pos, text.len());
    rebuilt.push_str(&text[pos..]);
    assert_eq!(rebuilt, text, "{name}: tokens and trivia do not reprint the file");
    for c in &y.comments {
        assert!(c.of(text).starts_with('#'), "{name}: comment {c:?} does not start with #");
    }
}

/// Each scalar's range holds its text: plain as is (folded lines aside), quoted with its
/// quotes, block scalars with their header.
fn check_scalars(name: &str, text: &str, y: &YamlFile) {
    for n in &y.nodes {
        let NodeKind::Scalar { value, style } = &n.kind else {
            continue;
        };
        let raw = n.range.of(text);
        match style {
            ScalarStyle::Plain if !raw.contains('\n') => {
                assert_eq!(raw, value, "{name}: plain scalar at {:?}", n.range)
            }
            ScalarStyle::SingleQuoted => {
                assert!(raw.starts_with('\'') && raw.ends_with('\''), "{name}: {raw:?}");
                if !raw.contains('\n') {
                    assert_eq!(raw[1..raw.len() - 1].replace("''", "'"), *value, "{name}");
                }
            }
            ScalarStyle::DoubleQuoted => {
                assert!(raw.starts_with('"') && raw.ends_with('"'), "{name}: {raw:?}");
                if !raw.contains('\\') && !raw.contains('\n') {
                    assert_eq!(&raw[1..raw.len() - 1], value, "{name}");
                }
            }
            ScalarStyle::Literal => assert!(raw.starts_with('|'), "{name}: block scalar {raw:?}"),
            ScalarStyle::Folded => assert!(raw.starts_with('>'), "{name}: block scalar {raw:?}"),
            ScalarStyle::Plain => {
                let folded: Vec<&str> = raw.split_whitespace().collect();
                assert_eq!(folded.join(" "), value.split_whitespace().collect::<Vec<_>>().join(" "), "{name}");
            }
        }
    }
}

#[test]
fn corpus_and_fixtures_are_lossless() {
    let files: Vec<PathBuf> = corpus_files().into_iter().chain(fixture_files()).collect();
    assert!(files.len() >= 44, "corpus missing? {}", files.len());
    let mut checked = 0;
    for path in files {
        let name = path.display().to_string();
        let src = SourceFile::new(&path, std::fs::read(&path).unwrap());
        let y = yaml::parse(&src.text);
        if name.contains("error-tab-indent") {
            assert_eq!(y.errors.len(), 1, "{name}");
            continue;
        }
        assert!(y.errors.is_empty(), "{name}: {:?}", y.errors);
        check_lossless(&name, &src.text, &y);
        check_scalars(&name, &src.text, &y);
        let options = LoadOptions { files: vec![path.clone()], project_dir: None, env: Vec::new(), dotenv: true };
        let _ = load(&options, &RealFs);
        checked += 1;
    }
    println!("{checked} files round-trip");
}

#[test]
fn corpus_oddities_are_read() {
    let dir = corpus_files()[0].parent().unwrap().to_path_buf();
    let load_one = |name: &str, env: &[(&str, &str)]| {
        let options = LoadOptions {
            files: vec![dir.join(name)],
            project_dir: None,
            env: env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            dotenv: false,
        };
        load(&options, &RealFs)
    };
    // nested default `${ODOO_IMAGE:-odoo:${ODOO_VERSION:-18.0}}`
    let p = load_one("Omar-Elsayed33__odoo-docker-nginx-proxy__docker-compose.yml", &[]);
    let odoo = p.service("odoo").unwrap();
    let img = odoo.image.as_ref().unwrap();
    assert_eq!((img.value.name.as_str(), img.value.tag.as_deref()), ("odoo", Some("18.0")));
    assert_eq!(img.interpolations.len(), 2);
    let text = &p.files[0].source.text;
    let outer = img.interpolations.iter().find(|i| i.record.var == "ODOO_IMAGE").unwrap();
    assert_eq!(outer.range.unwrap().of(text), "${ODOO_IMAGE:-odoo:${ODOO_VERSION:-18.0}}");
    let inner = img.interpolations.iter().find(|i| i.record.var == "ODOO_VERSION").unwrap();
    assert_eq!(inner.argument_range.unwrap().of(text), "18.0");
    // `ADMIN_PASSWD=# set me`: the `#` is part of the value
    let found = corpus_files().iter().any(|f| {
        let s = std::fs::read_to_string(f).unwrap_or_default();
        if !s.contains("ADMIN_PASSWD=# set me") {
            return false;
        }
        let p = load_one(f.file_name().unwrap().to_str().unwrap(), &[]);
        p.services.iter().any(|s| s.env("ADMIN_PASSWD").and_then(|e| e.value.as_deref()) == Some("# set me"))
    });
    assert!(found, "no service reads ADMIN_PASSWD as '# set me'");
}

#[test]
fn mangled_inputs_never_panic() {
    let mut inputs: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"\xef\xbb\xbf".to_vec(),
        b"\0\0\0".to_vec(),
        b"\xff\xfe\xfd: [".to_vec(),
        b"services: *nope".to_vec(),
        b"services:\n  a:\n    <<: 5\n".to_vec(),
        b"services:\n  a: [1, 2]\n".to_vec(),
        b"services:\n  a:\n    extends: a\n".to_vec(),
        b"services:\n  a:\n    ports: [{target: x}, \"::::\", 99999]\n    volumes: [\"\", {}]\n    ulimits: {nofile: {soft: x}}\n".to_vec(),
        b"services:\n  a:\n    healthcheck: {test: 5, interval: 1}\n    command: \"'\"\n    environment: [1, [2]]\n".to_vec(),
        b"services:\n  a:\n    image: ${\n".to_vec(),
        "- \u{e9}\u{1F600}: \"\\u00e9\"".as_bytes().to_vec(),
        b"a: &a [*a]\n".to_vec(),
        "[".repeat(5000).into_bytes(),
        "{a: ".repeat(3000).into_bytes(),
        "- ".repeat(3000).into_bytes(),
    ];
    // every prefix of a real file
    if let Some(f) = corpus_files().first() {
        let bytes = std::fs::read(f).unwrap();
        for cut in (0..bytes.len()).step_by(37) {
            inputs.push(bytes[..cut].to_vec());
        }
    }
    // deterministic pseudo-random bytes drawn from YAML's alphabet
    let alphabet = b"ab: -[]{},&*!|>'\"#\n\t$%{}<~?x1";
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    for _ in 0..300 {
        let mut v = Vec::new();
        for _ in 0..(seed % 200) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            v.push(alphabet[(seed % alphabet.len() as u64) as usize]);
        }
        inputs.push(v);
    }
    for bytes in inputs {
        let src = SourceFile::new("x.yml", bytes.clone());
        let y = yaml::parse(&src.text);
        for e in &y.errors {
            assert!(e.range.end as usize <= src.text.len());
            let _: TextRange = e.range;
        }
        let fs = MemoryFs::default().with("/p/compose.yaml", &src.text);
        let p =
            load(&LoadOptions { files: vec!["/p/compose.yaml".into()], project_dir: None, env: Vec::new(), dotenv: true }, &fs);
        for e in &p.errors {
            let len = p.file(e.file).source.text.len();
            assert!(e.error.range.end as usize <= len, "{:?} beyond {len}", e.error.range);
        }
    }
}
