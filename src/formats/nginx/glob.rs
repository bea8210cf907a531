//! Shell-style globs as nginx expands them for `include`: glob(3) with no flags. `*`, `?`
//! and `[...]` (with `!` or `^` to negate, and ranges) match within one path component; a
//! leading `.` must be matched literally; `\` escapes the next character; results are sorted
//! byte-wise. Only what exists is returned, with bounded work.

use std::path::{Component, Path, PathBuf};

/// Whether nginx treats an include argument as a glob (`strpbrk(name, "*?[")`).
pub fn has_magic(pattern: &str) -> bool {
    pattern.contains(['*', '?', '['])
}

/// What a glob expansion found.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct GlobMatches {
    /// Matching paths in nginx's order, at most the limit given.
    pub paths: Vec<PathBuf>,
    /// How many paths matched in all (more than `paths.len()` when the limit cut the list).
    pub total: usize,
}

/// Directory entries read per directory, at most: a glob over a huge directory stops there.
const MAX_DIR_ENTRIES: usize = 100_000;

/// Expands `pattern` (absolute, or relative to `base`). Only regular files (after following
/// symlinks) are returned: nginx would fail on a directory anyway.
pub fn expand(base: &Path, pattern: &str, limit: usize) -> GlobMatches {
    let full = if Path::new(pattern).is_absolute() { PathBuf::from(pattern) } else { base.join(pattern) };
    // Walk the components; each one with magic multiplies the candidates.
    let mut candidates: Vec<PathBuf> = vec![PathBuf::new()];
    let comps: Vec<Component<'_>> = full.components().collect();
    let last = comps.len().saturating_sub(1);
    for (i, comp) in comps.iter().enumerate() {
        let part = comp.as_os_str().to_string_lossy();
        let mut next = Vec::new();
        if matches!(comp, Component::Normal(_)) && has_magic(&part) {
            for dir in &candidates {
                let Ok(entries) = std::fs::read_dir(if dir.as_os_str().is_empty() { Path::new(".") } else { dir }) else {
                    continue;
                };
                let mut names: Vec<String> = entries
                    .take(MAX_DIR_ENTRIES)
                    .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
                    .filter(|name| fnmatch(&part, name))
                    .collect();
                names.sort();
                next.extend(names.into_iter().map(|n| dir.join(n)));
            }
        } else {
            let literal = unescape(&part);
            next = candidates.iter().map(|d| d.join(&literal)).collect();
        }
        if i < last {
            next.retain(|p| p.is_dir());
        }
        candidates = next;
        if candidates.is_empty() {
            break;
        }
        // bound the fan-out of patterns like */*/*
        candidates.truncate(limit.saturating_mul(16).max(1024));
    }
    candidates.retain(|p| p.is_file());
    // glob(3) sorts the whole list; the per-directory sort above already gives this order
    // for one magic component, sorting again keeps it right for several.
    candidates.sort_by(|a, b| a.as_os_str().as_encoded_bytes().cmp(b.as_os_str().as_encoded_bytes()));
    let total = candidates.len();
    candidates.truncate(limit);
    GlobMatches { paths: candidates, total }
}

/// A component without glob escapes (`\*` is a literal `*`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// fnmatch(3) for one path component, without flags except that a leading `.` in `name`
/// must be matched by a literal `.` (glob's default).
pub fn fnmatch(pattern: &str, name: &str) -> bool {
    if name.starts_with('.') && !pattern.starts_with('.') {
        return false;
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Iterative matching with one backtrack point for the last `*` (linear in practice).
    let (mut pi, mut ni) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        let step = match p.get(pi) {
            Some('*') => {
                star = Some((pi, ni));
                pi += 1;
                continue;
            }
            Some('?') => Some(pi + 1),
            Some('[') => match class(&p, pi, n[ni]) {
                Some((true, end)) => Some(end),
                Some((false, _)) => None,
                // an unclosed `[` is a literal
                None => (n[ni] == '[').then_some(pi + 1),
            },
            Some('\\') if pi + 1 < p.len() => (p[pi + 1] == n[ni]).then_some(pi + 2),
            Some(&c) => (c == n[ni]).then_some(pi + 1),
            None => None,
        };
        match step {
            Some(next) => {
                pi = next;
                ni += 1;
            }
            None => match star {
                Some((sp, sn)) => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Matches `c` against the class starting at `p[at] == '['`: (matched, index after `]`), or
/// `None` if the class is not closed.
fn class(p: &[char], at: usize, c: char) -> Option<(bool, usize)> {
    let mut i = at + 1;
    let negate = matches!(p.get(i), Some('!') | Some('^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    loop {
        let lo = *p.get(i)?;
        if lo == ']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        let lo = if lo == '\\' {
            i += 1;
            *p.get(i)?
        } else {
            lo
        };
        if p.get(i + 1) == Some(&'-') && p.get(i + 2).is_some_and(|&h| h != ']') {
            let hi = p[i + 2];
            if lo <= c && c <= hi {
                matched = true;
            }
            i += 3;
        } else {
            if lo == c {
                matched = true;
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch_like_glibc() {
        assert!(fnmatch("*.conf", "odoo.conf"));
        assert!(!fnmatch("*.conf", "odoo.conf.bak"));
        assert!(!fnmatch("*", ".hidden"));
        assert!(fnmatch(".*", ".hidden"));
        assert!(fnmatch("a?c", "abc"));
        assert!(fnmatch("[ab]*", "b1"));
        assert!(!fnmatch("[!ab]*", "b1"));
        assert!(fnmatch("[^ab]*", "c1"));
        assert!(fnmatch("[0-9][0-9]-*", "10-odoo"));
        assert!(fnmatch("[]x]", "]"));
        assert!(fnmatch("\\*", "*"));
        assert!(!fnmatch("\\*", "a"));
        assert!(fnmatch("a*b*c", "aXbYbZc"));
        assert!(fnmatch("[", "["));
        assert!(fnmatch("*", ""));
    }

    #[test]
    fn expands_sorted_files_only_and_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("conf.d/sub.conf")).unwrap();
        for n in ["b.conf", "a.conf", ".hidden.conf", "c.txt"] {
            std::fs::write(d.join("conf.d").join(n), "").unwrap();
        }
        let m = expand(d, "conf.d/*.conf", 100);
        let names: Vec<_> = m.paths.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["a.conf", "b.conf"]);
        assert_eq!(m.total, 2);
        let m = expand(d, "*/*.conf", 1);
        assert_eq!((m.paths.len(), m.total), (1, 2));
        assert!(expand(d, "nope/*.conf", 10).paths.is_empty());
        let abs = format!("{}/conf.d/[ab].conf", d.display());
        assert_eq!(expand(Path::new("/"), &abs, 10).total, 2);
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_do_not_hang() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::os::unix::fs::symlink(d.join("loop"), d.join("loop")).unwrap();
        std::os::unix::fs::symlink(d, d.join("self")).unwrap();
        assert!(expand(d, "*/*", 10).paths.is_empty() || expand(d, "*/*", 10).total <= 10);
        assert!(expand(d, "loop/*.conf", 10).paths.is_empty());
    }
}
