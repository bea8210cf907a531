//! The nginx parser over every corpus file and fixture: byte-identical reprint, no panic,
//! and the same reading as crossplane (oracle 1).

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use odoo_lint::formats::nginx::{DirectiveEnd, Quote, SyntaxTree, TokenKind, Word, parse};
use odoo_lint::source::SourceFile;

fn nginx_files() -> Vec<PathBuf> {
    let mut files = common::corpus_files("nginx-odoo");
    files.extend(common::corpus_files("nginx-general"));
    files.extend(fixture_files("crossplane-agrees"));
    files
}

fn fixture_files(dir: &str) -> Vec<PathBuf> {
    let dir = common::fixtures_dir().join("parsers/nginx").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", dir.display());
    files
}

fn load(path: &Path) -> (SourceFile, SyntaxTree) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let src = SourceFile::new(path, bytes);
    let tree = parse(&src.text);
    (src, tree)
}

const BROKEN: &str = "nginxinc__crossplane__tests_configs_missing-semicolon_broken-above.conf";

#[test]
fn every_file_reprints_byte_identical() {
    let mut count = 0;
    for path in nginx_files() {
        let (src, tree) = load(&path);
        let mut out = Vec::with_capacity(src.bytes.len());
        let mut at = 0u32;
        for t in tree.tokens() {
            assert_eq!(t.range.start, at, "{}: gap or overlap before {:?}", path.display(), t);
            if t.kind == TokenKind::Whitespace {
                assert!(
                    t.range.of(&src.text).bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')),
                    "{}: whitespace token {:?} holds other bytes",
                    path.display(),
                    t.range
                );
            }
            out.extend_from_slice(&src.bytes[t.range.range()]);
            at = t.range.end;
        }
        assert_eq!(out, src.bytes, "{} does not reprint", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        if name == BROKEN || CROSSPLANE_ACCEPTS_NGINX_REJECTS.iter().any(|(f, _)| *f == name) {
            assert!(!tree.errors().is_empty());
        } else {
            assert!(tree.errors().is_empty(), "{}: {:?}", path.display(), tree.errors());
        }
        count += 1;
    }
    assert!(count >= 94, "only {count} files");
}

#[test]
fn broken_corpus_file_fails_where_nginx_does() {
    let path = common::corpus_dir().join("nginx-general").join(BROKEN);
    let (src, tree) = load(&path);
    let e = &tree.errors()[0];
    // `nginx -t` on this file: `unexpected "}" in …:5`
    assert_eq!(e.message, "unexpected \"}\"");
    assert_eq!(src.line_col(e.range.start as usize).line, 5);
    assert_eq!(e.range.of(&src.text), "}");
    // the related label sits right after `http://is.broken.example`, on line 4
    let (at, label) = &e.related[0];
    assert_eq!(label, "add `;` here");
    assert!(src.text[..at.start as usize].ends_with("http://is.broken.example"));
    assert_eq!(src.line_col(at.start as usize).line, 4);
}

/// How crossplane 0.5.8 spells a word. crossplane does not apply nginx's unescaping: it
/// keeps every backslash pair as written, except that inside a quoted string `\"` (or `\'`
/// in single quotes) becomes the bare quote. It decodes the file as UTF-8 with replacement
/// characters, as `from_utf8_lossy` does, and in Python's text mode, which turns CRLF and a
/// lone CR into LF (this shows in quoted strings and Lua code that span lines).
fn crossplane_word(w: &Word, src: &SourceFile) -> String {
    let text = crossplane_text(&src.bytes[w.inner().range()]);
    let q = match w.quote {
        Quote::None => return text,
        Quote::Double => '"',
        Quote::Single => '\'',
    };
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n) if n == q => out.push(q),
                Some(n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Bytes as crossplane's Python text-mode reading gives them.
fn crossplane_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace("\r\n", "\n").replace('\r', "\n")
}

/// crossplane's lexer reads `${` up to the next `}` and then appends the character after
/// the `}` to the word without looking at it, even a space. So when a word ENDS with a
/// `${...}` and one space follows, crossplane glues the next word on: nginx's
/// `try_files /a/${uri} /b;` is crossplane's `["/a/${uri} /b"]`. (With more than one space,
/// crossplane's word keeps the first one.) This redoes that on our words.
fn crossplane_var_glue(words: &[Word], views: Vec<String>, src: &SourceFile) -> Vec<String> {
    let ends_with_var = |w: &Word| {
        let raw = w.range.of(&src.text);
        w.quote == Quote::None
            && raw.ends_with('}')
            && raw.rfind("${").is_some_and(|i| raw[i..].find('}') == Some(raw.len() - i - 1))
    };
    let mut out: Vec<String> = Vec::with_capacity(views.len());
    let mut glue_next = false;
    for (i, (w, view)) in words.iter().zip(views).enumerate() {
        if glue_next {
            out.last_mut().unwrap().push_str(&view);
        } else {
            out.push(view);
        }
        glue_next = false;
        if ends_with_var(w)
            && let Some(next) = words.get(i + 1)
        {
            let gap = &src.text[w.range.end as usize..next.range.start as usize];
            let ws = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
            if let Some(first) = gap.chars().next().filter(|&c| ws(c)) {
                out.last_mut().unwrap().push(if first == '\r' { '\n' } else { first });
                glue_next = gap.len() == 1 && next.quote == Quote::None;
            }
        }
    }
    out
}

/// crossplane strips the parentheses of `if` (its `_prepare_if_args`); we keep the words as
/// nginx reads them, so the comparison applies the same change to ours.
fn crossplane_if_args(args: &mut Vec<String>) {
    let n = args.len();
    if n > 0 && args[0].starts_with('(') && args[n - 1].ends_with(')') {
        args[0] = args[0][1..].trim_start().to_string();
        let last = args[n - 1].clone();
        args[n - 1] = last[..last.len() - 1].trim_end().to_string();
        let start = usize::from(args[0].is_empty());
        let end = n - usize::from(args[n - 1].is_empty());
        *args = args[start..end.max(start)].to_vec();
    }
}

type Flat = Vec<(u32, String, Vec<String>, bool)>;

/// Our reading in crossplane's shape. A Lua body is crossplane's last argument and no block.
fn ours_flat(src: &SourceFile, tree: &SyntaxTree) -> Flat {
    let mut out = Vec::new();
    for (_, d) in tree.directives() {
        let mut words = vec![d.name];
        words.extend(d.args.iter().copied());
        let views = words.iter().map(|w| crossplane_word(w, src)).collect();
        let mut views = crossplane_var_glue(&words, views, src);
        let name = views.remove(0);
        let mut args = views;
        if name == "if" {
            crossplane_if_args(&mut args);
        }
        let has_block = match &d.end {
            DirectiveEnd::Block(_) => true,
            DirectiveEnd::Lua(l) => {
                args.push(crossplane_text(&src.bytes[l.code.range()]));
                false
            }
            _ => false,
        };
        out.push((d.depth, name, args, has_block));
    }
    out
}

/// Files that crossplane reads although nginx rejects them; we side with nginx.
const CROSSPLANE_ACCEPTS_NGINX_REJECTS: &[(&str, &str)] = &[(
    "nginxinc__crossplane__tests_configs_quote-behavior_nginx.conf",
    "`\"left\"-quote`: nginx wants a space, `;` or `{` after a closing quote and says \
     `unexpected \"-\"`; crossplane splits it into two words",
)];

#[test]
fn crossplane_reads_every_file_as_we_do() {
    let Some(python) = common::venv_program("python") else {
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oracles/crossplane_dump.py");
    let files = nginx_files();
    let out = Command::new(&python).arg(&script).args(&files).output().expect("run crossplane");
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("No module named 'crossplane'") && !common::in_ci() {
            eprintln!("skipped: crossplane not installed in {}", python.display());
            return;
        }
        panic!("crossplane failed: {err}");
    }
    let theirs: BTreeMap<String, serde_json::Value> = serde_json::from_slice(&out.stdout).expect("crossplane JSON");
    let mut agree = 0;
    let mut agree_with_nginx = 0;
    let mut problems = Vec::new();
    for path in &files {
        let (src, tree) = load(path);
        let key = path.to_string_lossy().into_owned();
        let cp = &theirs[&key];
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(why) = CROSSPLANE_ACCEPTS_NGINX_REJECTS.iter().find(|(f, _)| *f == name).map(|(_, w)| w) {
            // crossplane reads it, nginx does not (tests/nginx_t.rs checks nginx's message).
            assert!(!tree.errors().is_empty(), "{key}: {why}");
            agree_with_nginx += 1;
            continue;
        }
        let cp_failed = cp["status"] == "failed";
        if cp_failed || !tree.errors().is_empty() {
            let ours = tree.errors().first();
            let cp_err =
                cp["errors"][0].as_array().map(|e| (e[0].as_str().unwrap_or("").to_string(), e[1].as_u64().unwrap_or(0) as u32));
            let same = match (ours, &cp_err) {
                (Some(e), Some((msg, line))) if msg.ends_with("is not terminated by \";\"") => {
                    // crossplane names the directive and its line; nginx (and we) stop at the
                    // `}` or end of file that comes instead of the `;`. Our related label marks
                    // where the `;` is missing: it must be on crossplane's line.
                    (e.message == "unexpected \"}\"" || e.message.starts_with("unexpected end of file"))
                        && e.related.first().is_some_and(|(r, _)| src.line_col(r.start as usize).line == *line)
                }
                (Some(e), Some((msg, line))) => e.message == *msg && src.line_col(e.range.start as usize).line == *line,
                _ => false,
            };
            if same {
                agree += 1;
            } else {
                let ours = ours.map(|e| (e.message.clone(), src.line_col(e.range.start as usize).line));
                problems.push(format!("{key}: ours {ours:?}, crossplane {cp_err:?}"));
            }
            continue;
        }
        let theirs_flat: Flat = cp["directives"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                let args = d[2].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()).collect();
                (d[0].as_u64().unwrap() as u32, d[1].as_str().unwrap().to_string(), args, d[3].as_bool().unwrap())
            })
            // crossplane lists the comments written between arguments as `#` directives even
            // with comments=False (parser.py appends `comments_in_args` unconditionally).
            .filter(|d| d.1 != "#")
            .collect();
        let ours = ours_flat(&src, &tree);
        if ours == theirs_flat {
            agree += 1;
        } else {
            let at = ours.iter().zip(&theirs_flat).position(|(a, b)| a != b).unwrap_or(ours.len().min(theirs_flat.len()));
            problems.push(format!(
                "{key}: first difference at directive {at}:\n  ours:       {:?}\n  crossplane: {:?}",
                ours.get(at),
                theirs_flat.get(at)
            ));
        }
    }
    eprintln!("crossplane agrees on {agree} of {} files; on {agree_with_nginx} more it accepts what nginx rejects", files.len());
    assert!(problems.is_empty(), "{} disagreements:\n{}", problems.len(), problems.join("\n"));
}

/// The semantic layer over every corpus file: no panic, and what it reads agrees with the
/// syntax tree (every location block is a location; every `proxy_pass` has a scheme or
/// variables).
#[test]
fn model_builds_for_every_file() {
    use odoo_lint::formats::nginx::include::{DiskLoader, NginxLoader, ResolveOptions, load_includes};
    use odoo_lint::formats::nginx::model::{RootContext, build};
    let mut totals = [0usize; 4];
    for path in nginx_files() {
        let mut loader = DiskLoader::new();
        let root = loader.load(&path).unwrap();
        let graph = load_includes(&mut loader, root, &ResolveOptions::default());
        let m = build(&loader, root, &graph);
        let (src, tree) = (loader.source(root), loader.tree(root));
        let text = &src.text;
        // every location of the root file is a location of the model (none in stream blocks)
        let locations = tree.directives().filter(|(_, d)| d.is(text, "location") && d.block().is_some()).count();
        if m.context != RootContext::Fragment && !text.contains("stream {") {
            assert_eq!(m.locations.len(), locations, "{}", path.display());
        }
        let mut passes = 0;
        for (i, l) in m.locations.iter().enumerate() {
            let scopes = std::iter::once(l.node).chain(l.ifs.iter().copied());
            for scope in scopes {
                if let Some(pp) = m.proxy_pass(Some(scope)) {
                    passes += 1;
                    assert!(
                        pp.target.scheme.is_some() || pp.target.has_variables,
                        "{}: location {i}: {}",
                        path.display(),
                        pp.url
                    );
                }
            }
        }
        totals[0] += m.servers.len();
        totals[1] += m.locations.len();
        totals[2] += m.upstreams.len();
        totals[3] += passes;
    }
    eprintln!("servers, locations, upstreams, proxy_passes: {totals:?}");
    assert!(totals.iter().all(|&n| n > 0));
}
