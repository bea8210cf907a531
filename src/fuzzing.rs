//! The bodies of the fuzz targets (`fuzz/fuzz_targets/*.rs`), shared with their replay test
//! (`tests/fuzz_replay.rs`) so that `cargo test` runs every saved input through exactly the
//! code the fuzzers run.
//!
//! Each target takes arbitrary bytes and panics only when a guarantee is broken:
//! - a parser never panics, and its tree reprints the input byte for byte (the ranges it
//!   exposes tile the file);
//! - every range a parser or a rule reports lies inside its file and on UTF-8 character
//!   boundaries of the file's text (a range that does not would crash rendering or corrupt
//!   a fix);
//! - [`pipeline`]: a random stack of files is discovered, grouped, checked, rendered in every
//!   output format, fixed in memory; the fixed files re-parse no worse than the originals,
//!   and checking the fixed stack again (from disk) finds nothing more to fix.

use crate::diagnostic::{Applicability, Diagnostic};
use crate::files::{FileKind, FileSet};
use crate::formats::SyntaxError;
use crate::source::{SourceFile, TextRange};
use std::path::{Path, PathBuf};

/// A fuzz target: arbitrary bytes in, a panic only when a guarantee is broken.
pub type Target = fn(&[u8]);

/// Every target by name, as the fuzz crate and the replay test know them.
pub const TARGETS: &[(&str, Target)] = &[
    ("odoo_conf", odoo_conf),
    ("nginx", nginx),
    ("postgresql", postgresql),
    ("limits", limits),
    ("systemd", systemd),
    ("compose", compose),
    ("dotenv", dotenv),
    ("pipeline", pipeline),
];

/// Inputs larger than this are cut: the fuzzers look for logic errors, not for slowness on
/// megabytes (the adversarial tests cover size).
const MAX_INPUT: usize = 64 * 1024;

fn cut(data: &[u8]) -> &[u8] {
    &data[..data.len().min(MAX_INPUT)]
}

/// Asserts that `ranges`, in order, cover `0..len` with no gap and no overlap.
fn assert_tiles(what: &str, ranges: impl IntoIterator<Item = TextRange>, len: usize) {
    let mut at = 0u32;
    for r in ranges {
        assert_eq!(r.start, at, "{what}: a range starts at {} where the previous one ended at {at}", r.start);
        assert!(r.end >= r.start, "{what}: reversed range {r:?}");
        at = r.end;
    }
    assert_eq!(at as usize, len, "{what}: the ranges end at {at}, the file at {len}");
}

/// Asserts that `range` lies in `text` on character boundaries.
pub fn assert_in(what: &str, range: TextRange, text: &str) {
    assert!(range.start <= range.end, "{what}: reversed range {range:?}");
    assert!(range.end as usize <= text.len(), "{what}: range {range:?} past the end ({})", text.len());
    assert!(
        text.is_char_boundary(range.start as usize) && text.is_char_boundary(range.end as usize),
        "{what}: range {range:?} splits a character"
    );
}

fn assert_errors(what: &str, errors: &[SyntaxError], text: &str) {
    for e in errors {
        assert_in(what, e.range, text);
        for (r, _) in &e.related {
            assert_in(what, *r, text);
        }
    }
}

/// Adds the file to a [`FileSet`] (secrets, error counts) as the pipeline does.
fn through_fileset(name: &str, data: &[u8], kind: FileKind) {
    let mut fs = FileSet::new();
    let id = fs.add(SourceFile::new(name, data.to_vec()), kind);
    let entry = fs.get(id);
    assert_errors(name, &entry.errors, &entry.source.text);
    for r in &entry.source.secrets {
        assert_in("secret", *r, &entry.source.text);
    }
    let _ = fs.syntax_error_count(id);
    let _ = crate::files::masked(Path::new(name), kind, data);
}

/// odoo.conf: lines tile the file; keys, values and sections point inside it.
pub fn odoo_conf(data: &[u8]) {
    let data = cut(data);
    let src = SourceFile::new("odoo.conf", data.to_vec());
    let conf = crate::formats::odoo_conf::parse(&src);
    assert_tiles("odoo.conf lines", conf.lines.iter().map(|l| l.full_range()), data.len());
    for l in &conf.lines {
        assert_in("odoo.conf line", l.range, &src.text);
    }
    for e in &conf.entries {
        for r in [e.key_range, e.delimiter, e.value_range, e.value_full_range] {
            assert_in("odoo.conf entry", r, &src.text);
        }
        let _ = crate::formats::odoo_conf::set_value_edits(&conf, &src, "options", &e.key, "1");
    }
    for s in &conf.sections {
        assert_in("odoo.conf section", s.header, &src.text);
        assert_in("odoo.conf section name", s.name_range, &src.text);
    }
    assert_errors("odoo.conf", &conf.errors, &src.text);
    for edit in crate::formats::odoo_conf::set_value_edits(&conf, &src, "options", "workers", "4") {
        assert_in("odoo.conf edit", edit.0, &src.text);
    }
    through_fileset("odoo.conf", data, FileKind::OdooConf);
}

/// nginx: the tokens reprint the file; the hand-written scanner and the pest grammar read
/// shallow inputs alike (the grammar recurses, the scanner does not).
pub fn nginx(data: &[u8]) {
    let data = cut(data);
    let src = SourceFile::new("nginx.conf", data.to_vec());
    let tree = crate::formats::nginx::parse(&src.text);
    assert_tiles("nginx tokens", tree.tokens().iter().map(|t| t.range), data.len());
    assert_eq!(tree.reprint(&src.text), src.text);
    assert_errors("nginx", tree.errors(), &src.text);
    for (id, d) in tree.directives() {
        for w in std::iter::once(&d.name).chain(&d.args) {
            assert_in("nginx word", w.range, &src.text);
            assert_in("nginx word inside quotes", w.inner(), &src.text);
            let _ = w.value(&src.text);
        }
        let _ = tree.leading_comments(id, &src.text);
        let _ = tree.trailing_comment(id, &src.text);
    }
    let depth = src.text.bytes().filter(|&b| b == b'{').count();
    if depth < 64 {
        let grammar = crate::formats::nginx::parse_with_grammar(&src.text);
        assert_eq!(grammar.tokens(), tree.tokens(), "the scanner and the grammar disagree");
    }
    through_fileset("nginx.conf", data, FileKind::Nginx);
}

/// postgresql.conf: the pieces tile the file; the configuration resolves (no include can be
/// read: an empty in-memory file system) and every typed value is computed.
pub fn postgresql(data: &[u8]) {
    use crate::formats::postgresql::{AutoConf, MemFs, PgConf, PgConfig};
    let data = cut(data);
    let src = SourceFile::new("/etc/postgresql/16/main/postgresql.conf", data.to_vec());
    let conf = PgConf::parse(&src);
    assert_tiles("postgresql.conf pieces", conf.pieces(), data.len());
    assert_errors("postgresql.conf", &conf.errors, &src.text);
    for s in conf.settings() {
        assert_in("postgresql name", s.name.range, &src.text);
        assert_in("postgresql value", s.value.range, &src.text);
        assert!(s.line_range.contains_range(s.value.range), "a value outside its line");
    }
    let config = PgConfig::from_source(src, &MemFs::new(), AutoConf::Beside);
    let keys: Vec<String> = config.params().iter().map(|p| p.key.to_string()).collect();
    for k in keys {
        let _ = config.typed(&k);
    }
    let _ = config.startup_errors();
    through_fileset("postgresql.conf", data, FileKind::Postgresql);
}

/// limits.conf: lines tile the file; the effective limits are computed.
pub fn limits(data: &[u8]) {
    use crate::formats::limits as l;
    let data = cut(data);
    let src = SourceFile::new("/etc/security/limits.conf", data.to_vec());
    let file = l::parse(&src);
    assert_tiles("limits.conf lines", file.lines.iter().flat_map(|x| [x.range, x.eol]), data.len());
    assert_errors("limits.conf", &file.errors, &src.text);
    for item in [l::Item::Nofile, l::Item::Nproc, l::Item::As] {
        for flavor in [l::PamFlavor::Debian, l::PamFlavor::Upstream] {
            let _ = l::effective_limit(&[&file], &l::UserIdentity::named("odoo", &["odoo"]), item, flavor);
        }
    }
    let ins = l::append_entry(&file, &src, ["odoo", "soft", "nofile", "65536"]);
    assert_in("limits.conf insertion", TextRange::empty(ins.offset), &src.text);
    through_fileset("limits.conf", data, FileKind::Limits);
}

/// systemd units: lines tile the file; the effective unit and the Odoo command line are read.
pub fn systemd(data: &[u8]) {
    use crate::formats::systemd as s;
    let data = cut(data);
    let src = SourceFile::new("/etc/systemd/system/odoo.service", data.to_vec());
    let unit = s::parse(&src, s::UnitType::Service);
    assert_tiles("unit lines", unit.tokens(), data.len());
    assert_errors("unit", &unit.errors, &src.text);
    for a in &unit.assignments {
        assert_in("unit key", a.key_range, &src.text);
        assert_in("unit value", a.value.range(), &src.text);
        assert_in("unit assignment", a.range, &src.text);
    }
    let refs = [&unit];
    let eff = s::effective::EffectiveUnit::new(&refs);
    for (_, c) in eff.exec_start() {
        let _ = s::commands::odoo_command(&c);
    }
    for (_, e) in eff.value_errors() {
        assert_in("unit value error", e.range, &src.text);
    }
    let _ = (eff.environment(), eff.timeout_stop(), eff.limit_nofile(), eff.memory_max());
    let ins = s::insert_key(&unit, &src, "Service", "LimitNOFILE", "65536");
    assert_in("unit insertion", TextRange::empty(ins.offset), &src.text);
    through_fileset("odoo.service", data, FileKind::Systemd);
}

/// docker-compose: the YAML tokens lie in order inside the file (and, in a file without
/// errors, only blanks, comments and indicators lie between them); the project loads.
pub fn compose(data: &[u8]) {
    use crate::formats::compose::{loader, yaml};
    let data = cut(data);
    let src = SourceFile::new("/srv/app/docker-compose.yml", data.to_vec());
    let y = yaml::parse(&src.text);
    let mut at = 0u32;
    for t in y.token_ranges(&src.text) {
        assert_in("yaml token", t, &src.text);
        assert!(t.start >= at, "yaml tokens overlap at {t:?}");
        at = t.end;
    }
    for c in &y.comments {
        assert_in("yaml comment", *c, &src.text);
        assert!(c.of(&src.text).starts_with('#'), "a comment {c:?} that does not start with #");
    }
    for n in &y.nodes {
        assert_in("yaml node", n.range, &src.text);
    }
    assert_errors("yaml", &y.errors, &src.text);
    let fs = loader::MemoryFs { files: [(src.path.clone(), data.to_vec())].into_iter().collect() };
    let options = loader::LoadOptions {
        files: vec![src.path.clone()],
        project_dir: None,
        env: vec![("HOME".into(), "/root".into())],
        dotenv: true,
    };
    let _ = loader::load(&options, &fs);
    through_fileset("docker-compose.yml", data, FileKind::Compose);
}

/// `.env`: every key and value range lies inside the file, in order.
pub fn dotenv(data: &[u8]) {
    let data = cut(data);
    let src = SourceFile::new(".env", data.to_vec());
    let env = crate::formats::compose::dotenv::parse(&src.text, &|k| (k == "HOME").then(|| "/root".to_string()));
    let mut at = 0u32;
    for v in &env.vars {
        assert_in("dotenv key", v.key_range, &src.text);
        assert_in("dotenv value", v.value_range, &src.text);
        assert!(v.key_range.start >= at, "dotenv statements out of order");
        at = v.key_range.end;
    }
    assert_errors("dotenv", &env.errors, &src.text);
    through_fileset(".env", data, FileKind::DotEnv);
}

/// Names given to files whose chunk names none.
const DEFAULT_NAMES: &[&str] = &[
    "odoo.conf",
    "nginx/sites-enabled/odoo.conf",
    "postgresql.conf",
    "docker-compose.yml",
    ".env",
    "odoo.service",
    "limits.conf",
    "conf.d/extra.conf",
];

/// At most this many files in a fuzzed stack.
const MAX_FILES: usize = 8;

/// Splits a pipeline input into files: chunks separated by the byte 0x1E (record separator);
/// each chunk's first line is the file's relative path (sanitized; a default name when
/// empty), the rest its content.
pub fn split_stack(data: &[u8]) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for (i, chunk) in data.split(|&b| b == 0x1E).take(MAX_FILES).enumerate() {
        let (name, content) = match chunk.iter().position(|&b| b == b'\n') {
            Some(n) => (&chunk[..n], &chunk[n + 1..]),
            None => (chunk, &[][..]),
        };
        let name = sanitize(name).unwrap_or_else(|| PathBuf::from(DEFAULT_NAMES[i % DEFAULT_NAMES.len()]));
        // a path that is, or lies under, one already taken is skipped
        if out.iter().any(|(p, _)| p.starts_with(&name) || name.starts_with(p)) {
            continue;
        }
        out.push((name, content.to_vec()));
    }
    out
}

/// A relative path made of at most three plain components of safe characters.
fn sanitize(name: &[u8]) -> Option<PathBuf> {
    let name = std::str::from_utf8(name).ok()?;
    let parts: Vec<&str> = name
        .split('/')
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .filter(|p| p.len() <= 40 && p.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)))
        .take(3)
        .collect();
    (!parts.is_empty()).then(|| parts.iter().collect())
}

/// The files (relative paths and contents) the `pipeline` target writes for `data`.
pub fn stack_files(data: &[u8]) -> Vec<(PathBuf, Vec<u8>)> {
    split_stack(cut(data))
}

/// The whole check pipeline on a random stack written to a temporary directory.
pub fn pipeline(data: &[u8]) {
    let files = stack_files(data);
    let Ok(dir) = scratch_dir() else { return };
    for (name, bytes) in &files {
        let p = dir.path().join(name);
        if let Some(parent) = p.parent()
            && std::fs::create_dir_all(parent).is_err()
        {
            continue;
        }
        let _ = std::fs::write(&p, bytes);
    }
    check_stack(dir.path());
}

fn scratch_dir() -> std::io::Result<tempfile::TempDir> {
    // memory-backed where there is one: the fuzzer writes thousands of stacks a second
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(d) = tempfile::Builder::new().prefix("odoo-lint-fuzz").tempdir_in(shm)
    {
        return Ok(d);
    }
    tempfile::Builder::new().prefix("odoo-lint-fuzz").tempdir()
}

/// Checks, renders, fixes and re-checks the stack in `dir`; panics on a broken guarantee.
/// The fixed contents are written back (the second check reads them from disk, as a second
/// `--fix` would); returns what the first fix did.
pub fn check_stack(dir: &Path) -> crate::fix::Fixed {
    use crate::workspace::Inputs;
    let dir = crate::workspace::canonical(dir);
    // `root`: absolute paths in the files (nginx includes) are read under the directory, so
    // a run does not depend on this machine's /etc
    let inputs = Inputs { paths: vec![dir.clone()], root: Some(dir.clone()), odoo_version: None, ..Default::default() };
    let config = crate::config::Config::default();
    let selection = crate::lint::Selection::default();

    let ws = crate::workspace::build(&inputs, &config);
    let outcome = crate::lint::check(&ws.files, &ws.stacks, &selection);
    for d in &outcome.diagnostics {
        assert_diagnostic(&ws.files, d);
    }
    render_all(&ws.files, &outcome.diagnostics, ws.stacks.len());

    let fixed = crate::fix::run(&inputs, &config, &selection, Applicability::Unsafe);
    for f in fixed.files.values() {
        let before = crate::fix::error_count(&f.path, f.kind, &f.original);
        let after = crate::fix::error_count(&f.path, f.kind, &f.fixed);
        assert!(after <= before, "{}: the fixes left {after} syntax errors where there were {before}", f.display);
        let _ = f.diff();
    }
    for d in &fixed.remaining {
        assert_diagnostic(&fixed.workspace.files, d);
    }
    if !fixed.converged || fixed.files.is_empty() {
        return fixed;
    }
    // Fixing again, from the files as written, changes nothing.
    for f in fixed.files.values() {
        if f.path.starts_with(&dir) {
            let _ = std::fs::write(&f.path, &f.fixed);
        }
    }
    let again = crate::fix::run(&inputs, &config, &selection, Applicability::Unsafe);
    let changed: Vec<String> =
        again.files.values().map(|f| format!("{} ({:?})", f.display, f.codes.iter().map(|c| c.2).collect::<Vec<_>>())).collect();
    assert!(changed.is_empty(), "a second --fix changed files the first one fixed: {changed:?}");
    fixed
}

/// Every place a diagnostic names lies inside its file, and every edit of its fix too.
fn assert_diagnostic(files: &FileSet, d: &Diagnostic) {
    let len = files.len() as u32;
    for l in d.labels() {
        assert!(l.span.file.0 < len, "{}: a label in an unknown file", d.code);
        assert_in(d.code, l.span.range, &files.source(l.span.file).text);
    }
    if let Some(fix) = &d.fix {
        for e in &fix.edits {
            assert!(e.file.0 < len, "{}: an edit in an unknown file", d.code);
            assert_in(d.code, e.range, &files.source(e.file).text);
        }
    }
}

/// Every output format, for their side effects on ranges and escaping.
fn render_all(files: &FileSet, diags: &[Diagnostic], stacks: usize) {
    use crate::render;
    let counts = crate::lint::count(diags);
    for d in diags {
        let _ = render::concise::render(files, d);
        let _ = render::full::render(files, d, render::full::Style::default());
    }
    let _ = render::json::render(files, diags, counts, stacks, files.len());
    let _ = render::json_lines::render(files, diags);
    let _ = render::sarif::render(files, diags);
    let _ = render::github::render(files, diags);
    let _ = render::gitlab::render(files, diags);
    let _ = render::junit::render(files, diags);
    let _ = render::fingerprint::fingerprints(files, diags);
}
