//! `tests/corpus` is a byte-exact copy of the project's shared corpus of real configuration
//! files (so that a clean clone tests the same inputs). When the shared corpus is beside this
//! checkout, the two must be identical, file for file.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn vendored_corpus_matches_the_shared_one() {
    let ours = files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus"));
    assert!(ours.len() > 200, "tests/corpus holds {} files", ours.len());
    let Some(shared) = common::shared_corpus_dir() else {
        eprintln!("skipped: no ../shared/corpus beside this checkout");
        return;
    };
    let theirs = files(&shared);
    let only_ours: Vec<_> = ours.keys().filter(|k| !theirs.contains_key(*k)).collect();
    let only_theirs: Vec<_> = theirs.keys().filter(|k| !ours.contains_key(*k)).collect();
    let differ: Vec<_> = ours.keys().filter(|k| theirs.get(*k).is_some_and(|t| t != &ours[*k])).collect();
    assert!(
        only_ours.is_empty() && only_theirs.is_empty() && differ.is_empty(),
        "tests/corpus is out of sync with ../shared/corpus (copy it again with `cp -a ../shared/corpus/. tests/corpus/`):\nonly here: {only_ours:?}\nonly there: {only_theirs:?}\ndiffer: {differ:?}"
    );
}
