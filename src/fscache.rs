//! What the file system answered, remembered for the length of one run: the directories
//! `realpath` resolved and the working directory. A fleet check asks for the canonical path
//! of every file several times (to know a file read twice) and for the working directory once
//! per file (to show paths relative to it); the kernel's answers were half its system time.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The path with symlinks, `.` and `..` resolved (`realpath`); the path itself when that
/// fails (it does not exist).
///
/// Inside a [`Scope`] the directories resolved are remembered, so a file costs one `lstat`
/// instead of a `realpath` (a `getcwd` and a `readlink` for every component: about sixty
/// system calls a stack, two fifths of a fleet check's time in the kernel).
pub fn canonical(p: &Path) -> PathBuf {
    if let Some(known) = canonical_in_scope(p) {
        return known;
    }
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The working directory (remembered inside a [`Scope`]: every file read asks for it, to
/// show its path relative to it).
pub fn current_dir() -> Option<PathBuf> {
    STATE.with(|cell| {
        let mut state = cell.borrow_mut();
        match &mut state.dirs {
            Some(_) => state.cwd.get_or_insert_with(|| std::env::current_dir().ok()).clone(),
            None => std::env::current_dir().ok(),
        }
    })
}

/// What this thread remembers.
struct State {
    /// The directories resolved in the current scope (`None`: no scope).
    dirs: Option<HashMap<PathBuf, PathBuf>>,
    /// What [`kind_of`] found, by path.
    kinds: HashMap<PathBuf, Kind>,
    /// What [`canonical_in_scope`] found for paths that are not directories (`None`: ask
    /// `realpath`), by path: a compose file or an `.env` is asked for a dozen times a load.
    files: HashMap<PathBuf, Option<PathBuf>>,
    /// The working directory, once asked for in the current scope.
    cwd: Option<Option<PathBuf>>,
    /// How many scopes are open.
    depth: usize,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State { dirs: None, kinds: HashMap::new(), files: HashMap::new(), cwd: None, depth: 0 });
}

/// While one lives, [`canonical`] and [`current_dir`] on this thread remember what they
/// found: for the length of one workspace load or one check, during which paths are not
/// expected to turn into symlinks (a file replaced by another, as editors and `--fix` do,
/// keeps its canonical path). Scopes nest; the memory goes with the outermost.
pub struct Scope(());

impl Scope {
    pub fn enter() -> Scope {
        STATE.with(|cell| {
            let mut state = cell.borrow_mut();
            state.dirs.get_or_insert_with(HashMap::new);
            state.depth += 1;
        });
        Scope(())
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        STATE.with(|cell| {
            let mut state = cell.borrow_mut();
            state.depth -= 1;
            if state.depth == 0 {
                state.dirs = None;
                state.kinds = HashMap::new();
                state.files = HashMap::new();
                state.cwd = None;
            }
        });
    }
}

/// What a path names, following symlinks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    File,
    Dir,
    Other,
    Missing,
}

fn kind_of(p: &Path) -> Kind {
    let look = || match std::fs::metadata(p) {
        Ok(m) if m.is_file() => Kind::File,
        Ok(m) if m.is_dir() => Kind::Dir,
        Ok(_) => Kind::Other,
        Err(_) => Kind::Missing,
    };
    STATE.with(|cell| {
        let mut state = cell.borrow_mut();
        if state.dirs.is_none() {
            return look();
        }
        *state.kinds.entry(p.to_path_buf()).or_insert_with(look)
    })
}

/// [`Path::is_file`], remembered inside a [`Scope`] (nginx's prefix is looked for in the same
/// parent directories for every site of a fleet).
pub fn is_file(p: &Path) -> bool {
    kind_of(p) == Kind::File
}

/// [`Path::is_dir`], remembered inside a [`Scope`].
pub fn is_dir(p: &Path) -> bool {
    kind_of(p) == Kind::Dir
}

/// `realpath(p)` from the remembered `realpath` of its directory and an `lstat` of `p`: the
/// same answer when `p` names no symlink and has no `..` (else `None`, and `realpath` is asked).
fn canonical_in_scope(p: &Path) -> Option<PathBuf> {
    use std::path::Component;
    if p.components().any(|c| matches!(c, Component::ParentDir | Component::Prefix(_))) {
        return None;
    }
    let name = p.file_name()?;
    let parent = match p.parent()? {
        dir if dir.as_os_str().is_empty() => Path::new("."),
        dir => dir,
    };
    STATE.with(|cell| {
        let mut state = cell.borrow_mut();
        let state = &mut *state;
        let dirs = state.dirs.as_mut()?;
        if let Some(known) = state.files.get(p) {
            return known.clone();
        }
        let dir = resolve_dir(dirs, parent)?;
        let found = match std::fs::symlink_metadata(p) {
            Ok(meta) if meta.file_type().is_symlink() => None,
            Ok(_) => Some(dir.join(name)),
            // what realpath cannot resolve stays as written
            Err(_) => Some(p.to_path_buf()),
        };
        state.files.insert(p.to_path_buf(), found.clone());
        found
    })
}

/// `realpath(dir)` for a path without `..`, from its parent's (remembered) and an `lstat` of
/// `dir` itself: a directory costs one system call, a symlinked one its `realpath`.
fn resolve_dir(dirs: &mut HashMap<PathBuf, PathBuf>, dir: &Path) -> Option<PathBuf> {
    if let Some(known) = dirs.get(dir) {
        return Some(known.clone());
    }
    let parent = dir.parent().map(|p| if p.as_os_str().is_empty() { Path::new(".") } else { p });
    let resolved = match (parent, dir.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = resolve_dir(dirs, parent)?;
            match std::fs::symlink_metadata(dir) {
                Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(dir).ok()?,
                Ok(meta) if meta.is_dir() => parent.join(name),
                _ => return None,
            }
        }
        // `/`, `.`: asked once
        _ => std::fs::canonicalize(dir).ok()?,
    };
    dirs.insert(dir.to_path_buf(), resolved.clone());
    Some(resolved)
}

#[cfg(test)]
mod tests {
    use super::{Scope as CanonicalScope, canonical, current_dir};
    use std::path::{Path, PathBuf};

    /// In a scope, the same answers as `realpath` (or the path itself when it fails), through
    /// symlinked files and directories, dangling links, `..`, `.` and missing files.
    #[test]
    fn canonical_in_a_scope_is_realpath() {
        let tmp = tempfile::tempdir().unwrap();
        let t = tmp.path();
        std::fs::create_dir_all(t.join("real/sub")).unwrap();
        std::fs::write(t.join("real/sub/f.conf"), "x").unwrap();
        std::os::unix::fs::symlink(t.join("real"), t.join("link")).unwrap();
        std::os::unix::fs::symlink(t.join("real/sub/f.conf"), t.join("real/alias.conf")).unwrap();
        std::os::unix::fs::symlink(t.join("nowhere"), t.join("real/dangling.conf")).unwrap();
        let paths = [
            "real/sub/f.conf",
            "link/sub/f.conf",
            "real/alias.conf",
            "real/dangling.conf",
            "real/missing.conf",
            "missing/dir/f.conf",
            "real/sub/../sub/f.conf",
            "link/../real/sub/./f.conf",
            "real/sub",
            "link",
            "real/./sub/f.conf",
            "link/sub",
            "real/sub/f.conf/x",
        ];
        let expected = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        let _scope = CanonicalScope::enter();
        for rel in paths {
            let p: PathBuf = t.join(rel);
            // twice: the second answer comes from the remembered directory
            assert_eq!(canonical(&p), expected(&p), "{rel}");
            assert_eq!(canonical(&p), expected(&p), "{rel} (again)");
        }
        {
            let _nested = CanonicalScope::enter();
            assert_eq!(canonical(&t.join("link/sub/f.conf")), expected(&t.join("real/sub/f.conf")));
        }
        for rel in ["Cargo.toml", "src/lib.rs", "./src/lib.rs", "src/../src/lib.rs", "src/nothing.rs", "."] {
            assert_eq!(canonical(Path::new(rel)), expected(Path::new(rel)), "{rel}: relative to the working directory");
        }
    }

    #[test]
    fn kinds_in_and_out_of_a_scope() {
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("f");
        std::fs::write(&f, "x").unwrap();
        for _ in 0..2 {
            assert!(super::is_file(&f) && !super::is_dir(&f));
            assert!(super::is_dir(tmp.path()) && !super::is_file(tmp.path()));
            assert!(!super::is_file(&tmp.path().join("missing")));
            let _scope = CanonicalScope::enter();
            assert!(super::is_file(&f) && super::is_dir(tmp.path()));
        }
        // outside a scope nothing is remembered
        std::fs::remove_file(&f).unwrap();
        assert!(!super::is_file(&f));
    }

    #[test]
    fn working_directory_in_and_out_of_a_scope() {
        let real = std::env::current_dir().ok();
        assert_eq!(current_dir(), real);
        let _scope = CanonicalScope::enter();
        assert_eq!(current_dir(), real);
        assert_eq!(current_dir(), real);
    }
}
