//! The fuzz targets' own code (`odoo_lint::fuzzing`) over their seeds and every saved crash:
//! each corpus and fixture file through the target of its format (the same choice of files
//! as `fuzz/seed.sh`), each fixture directory as a stack through the pipeline target, and
//! every input under `fuzz/regressions/<target>/` through its target. So `cargo test` keeps
//! every crash the fuzzers ever found fixed, without cargo-fuzz.

use odoo_lint::fuzzing::{self, TARGETS};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// The targets a seed file feeds, by its path (as fuzz/seed.sh chooses).
fn targets_of(rel: &str) -> Vec<&'static str> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let mut t = Vec::new();
    if rel.starts_with("tests/corpus/odoo/")
        || rel.starts_with("fixtures/parsers/odoo_conf/")
        || (name.starts_with("odoo") && name.ends_with(".conf"))
    {
        t.push("odoo_conf");
    }
    if rel.starts_with("tests/corpus/nginx-")
        || rel.starts_with("fixtures/parsers/nginx/")
        || rel.contains("/nginx/")
        || (name.contains("nginx") && name.ends_with(".conf"))
    {
        t.push("nginx");
    }
    if rel.starts_with("tests/corpus/postgresql/")
        || rel.starts_with("fixtures/parsers/postgresql/")
        || (name.contains("postgresql") && name.ends_with(".conf"))
    {
        t.push("postgresql");
    }
    if name.contains("limits") && name.ends_with(".conf") {
        t.push("limits");
    }
    if name.ends_with(".service")
        || rel.contains(".service.d")
        || rel.starts_with("fixtures/parsers/systemd/")
        || rel.contains("/systemd/")
    {
        t.push("systemd");
    }
    if name.ends_with(".yml") || name.ends_with(".yaml") {
        t.push("compose");
    }
    if name == ".env" || name.ends_with(".env") || rel.contains("/env-file/") || rel.contains("/dotenv/") {
        t.push("dotenv");
    }
    t
}

fn target(name: &str) -> fn(&[u8]) {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f).unwrap()
}

/// The seed files of every parser target, by target (as fuzz/seed.sh chooses them).
fn seeds() -> std::collections::BTreeMap<&'static str, Vec<Vec<u8>>> {
    let mut files = Vec::new();
    walk(&root().join("tests/corpus"), &mut files);
    walk(&root().join("fixtures"), &mut files);
    let mut out: std::collections::BTreeMap<&'static str, Vec<Vec<u8>>> = std::collections::BTreeMap::new();
    for path in files {
        let rel = path.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
        if rel.ends_with(".md") || rel.ends_with(".tsv") || rel.ends_with(".snap") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        for t in targets_of(&rel) {
            out.entry(t).or_default().push(bytes.clone());
        }
    }
    out
}

#[test]
fn every_seed_file_through_its_parser_target() {
    let mut counts = std::collections::BTreeMap::new();
    for (t, files) in seeds() {
        for bytes in &files {
            target(t)(bytes);
        }
        counts.insert(t, files.len());
    }
    // every parser target has seeds
    for (name, _) in TARGETS.iter().filter(|(n, _)| *n != "pipeline") {
        assert!(counts.get(name).copied().unwrap_or(0) >= 5, "too few seeds for {name}: {counts:?}");
    }
}

/// The fixture directories as stacks, laid out as the pipeline target lays out its input.
#[test]
fn every_fixture_stack_through_the_pipeline_target() {
    let mut dirs = Vec::new();
    for parent in ["fixtures/rules", "fixtures/stacks"] {
        for e in std::fs::read_dir(root().join(parent)).unwrap().flatten() {
            let sub: Vec<PathBuf> =
                std::fs::read_dir(e.path()).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
            if parent == "fixtures/rules" { dirs.extend(sub) } else { dirs.push(e.path()) }
        }
    }
    dirs.sort();
    assert!(dirs.len() > 100);
    for dir in dirs {
        let input = stack_input(&dir);
        let split = fuzzing::split_stack(&input);
        assert!(!split.is_empty(), "{}", dir.display());
        fuzzing::pipeline(&input);
    }
}

/// A directory's files (at most 8) as one pipeline input: separated by 0x1E, each one's
/// first line its path relative to the directory (as fuzz/seed.sh writes them).
fn stack_input(dir: &Path) -> Vec<u8> {
    let mut files = Vec::new();
    walk(dir, &mut files);
    let mut input = Vec::new();
    for (i, f) in files.iter().filter(|f| !f.to_string_lossy().ends_with(".snap")).take(8).enumerate() {
        if i > 0 {
            input.push(0x1E);
        }
        input.extend_from_slice(f.strip_prefix(dir).unwrap().to_string_lossy().as_bytes());
        input.push(b'\n');
        input.extend_from_slice(&std::fs::read(f).unwrap());
    }
    input
}

/// Crashes the fuzzers found, kept as fuzz/regressions/<target>/<name>.
#[test]
fn every_saved_crash_input() {
    let dir = root().join("fuzz/regressions");
    let mut n = 0;
    let mut failed = Vec::new();
    for (name, f) in TARGETS {
        let mut files = Vec::new();
        walk(&dir.join(name), &mut files);
        for path in files {
            let data = std::fs::read(&path).unwrap();
            if std::panic::catch_unwind(|| f(&data)).is_err() {
                failed.push(path.strip_prefix(root()).unwrap().display().to_string());
            }
            n += 1;
        }
    }
    assert!(failed.is_empty(), "saved inputs that fail again: {failed:?}");
    eprintln!("{n} saved crash inputs replayed");
}

#[test]
fn split_stack_names_and_defaults() {
    let files = fuzzing::split_stack(b"odoo.conf\n[options]\n\x1e../../etc/passwd\nx\x1e\nno name\x1enginx/../a/b/c/d.conf\n");
    let names: Vec<String> = files.iter().map(|(p, _)| p.to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["odoo.conf", "etc/passwd", "postgresql.conf", "nginx/a/b"]);
    assert_eq!(files[0].1, b"[options]\n");
    assert_eq!(files[2].1, b"no name");
}

/// xorshift64*: a deterministic source of mutations (no dependency, same inputs on every run).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes the formats give meaning to: what a mutation inserts besides random bytes.
const TOKENS: &[&[u8]] = &[
    b"\n",
    b"\r\n",
    b"\r",
    b"\xef\xbb\xbf",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b"'",
    b"\\",
    b"#",
    b";",
    b"=",
    b":",
    b"- ",
    b"&a ",
    b"*a",
    b"<<: ",
    b"${",
    b"$",
    b"|\n",
    b"include ",
    b"[options]\n",
    b"server {",
    b"location / {",
    b"    ",
    b"\t",
    b"\x1e",
];

/// One random change of the kinds libFuzzer makes: flip, insert, erase, repeat, splice.
fn mutate(rng: &mut Rng, data: &mut Vec<u8>, other: &[u8]) {
    let at = rng.below(data.len() + 1);
    match rng.below(7) {
        0 if !data.is_empty() => {
            let i = at.min(data.len() - 1);
            data[i] ^= 1 << rng.below(8);
        }
        1 => data.insert(at, rng.next() as u8),
        2 => {
            let end = (at + 1 + rng.below(16)).min(data.len());
            data.drain(at.min(end)..end);
        }
        3 => {
            let end = (at + 1 + rng.below(32)).min(data.len());
            let piece = data[at.min(end)..end].to_vec();
            let n = 1 + rng.below(4);
            for _ in 0..n {
                data.splice(at..at, piece.iter().copied());
            }
        }
        4 if !other.is_empty() => {
            let from = rng.below(other.len());
            let end = (from + 1 + rng.below(64)).min(other.len());
            data.splice(at..at, other[from..end].iter().copied());
        }
        5 => data.truncate(at),
        _ => {
            let t = TOKENS[rng.below(TOKENS.len())];
            data.splice(at..at, t.iter().copied());
        }
    }
}

/// A bounded fuzzing smoke on stable Rust, in every `cargo test` (CI has no nightly): each
/// target on mutated seeds, a fixed number of inputs from a fixed seed (`ODOO_LINT_FUZZ_SEED`
/// changes it, `ODOO_LINT_FUZZ_ROUNDS` multiplies the count). A failing input is written to
/// `target/fuzz-smoke/<target>` to be added under fuzz/regressions/.
#[test]
fn every_target_on_mutated_seeds() {
    let seed: u64 = std::env::var("ODOO_LINT_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x6f64_6f6f);
    let rounds: usize = std::env::var("ODOO_LINT_FUZZ_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let mut seeds = seeds();
    seeds.insert("pipeline", pipeline_seeds());
    for (name, f) in TARGETS {
        let pool = &seeds[name];
        let n = rounds * if *name == "pipeline" { 40 } else { 300 };
        let mut rng = Rng(seed ^ name.len() as u64 ^ 0x9e37_79b9_7f4a_7c15);
        for _ in 0..n {
            let mut data = pool[rng.below(pool.len())].clone();
            let other = &pool[rng.below(pool.len())];
            for _ in 0..1 + rng.below(6) {
                mutate(&mut rng, &mut data, other);
            }
            if std::panic::catch_unwind(|| f(&data)).is_err() {
                let dir = root().join("target/fuzz-smoke");
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(dir.join(name), &data).unwrap();
                panic!("target {name} failed on a mutated seed, saved as target/fuzz-smoke/{name} (seed {seed})");
            }
        }
    }
}

/// The fixture stacks as pipeline inputs (a few: the pipeline is slow in a debug build).
fn pipeline_seeds() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for parent in ["fixtures/stacks", "fixtures/demo"] {
        let Ok(rd) = std::fs::read_dir(root().join(parent)) else { continue };
        let mut dirs: Vec<PathBuf> = rd.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
        dirs.sort();
        if parent == "fixtures/demo" {
            dirs = vec![root().join(parent)];
        }
        out.extend(dirs.iter().map(|d| stack_input(d)));
    }
    assert!(!out.is_empty());
    out
}
