//! Where configuration files come from: the disk, or memory (tests, files already read).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

/// The file system the include directives are resolved against.
pub trait ConfigFs {
    /// The bytes of a file.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// The entries of a directory: each name with whether it is a directory (following
    /// symbolic links; an error for a dangling one).
    fn read_dir(&self, path: &Path) -> io::Result<Vec<(OsString, io::Result<bool>)>>;
}

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

impl ConfigFs for RealFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if path.is_dir() {
            // PostgreSQL opens it with fopen, which succeeds, then reads nothing useful; a
            // directory named as a file is reported as unreadable here.
            return Err(io::Error::new(io::ErrorKind::IsADirectory, "Is a directory"));
        }
        crate::source::read_file(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<(OsString, io::Result<bool>)>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            let is_dir = std::fs::metadata(entry.path()).map(|m| m.is_dir());
            out.push((entry.file_name(), is_dir));
        }
        Ok(out)
    }
}

/// Files held in memory, keyed by path; directories are implied by the files under them (or
/// made with [`MemFs::dir`]).
#[derive(Clone, Debug, Default)]
pub struct MemFs {
    files: BTreeMap<PathBuf, Vec<u8>>,
    dirs: Vec<PathBuf>,
}

impl MemFs {
    pub fn new() -> Self {
        MemFs::default()
    }

    /// Adds a file.
    pub fn file(mut self, path: impl Into<PathBuf>, content: impl Into<Vec<u8>>) -> Self {
        self.files.insert(path.into(), content.into());
        self
    }

    /// Adds an (empty) directory.
    pub fn dir(mut self, path: impl Into<PathBuf>) -> Self {
        self.dirs.push(path.into());
        self
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.dirs.iter().any(|d| d.starts_with(path)) || self.files.keys().any(|f| f.starts_with(path) && f != path)
    }
}

impl ConfigFs for MemFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(bytes) => Ok(bytes.clone()),
            None if self.is_dir(path) => Err(io::Error::new(io::ErrorKind::IsADirectory, "Is a directory")),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "No such file or directory")),
        }
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<(OsString, io::Result<bool>)>> {
        if !self.is_dir(path) {
            return Err(io::Error::new(io::ErrorKind::NotFound, "No such file or directory"));
        }
        let mut names: BTreeMap<OsString, bool> = BTreeMap::new();
        let children = self.files.keys().chain(self.dirs.iter());
        for p in children {
            if let Ok(rest) = p.strip_prefix(path) {
                let mut parts = rest.components();
                if let Some(first) = parts.next() {
                    let is_dir = parts.next().is_some() || self.dirs.contains(p);
                    *names.entry(first.as_os_str().to_owned()).or_default() |= is_dir;
                }
            }
        }
        Ok(names.into_iter().map(|(n, d)| (n, Ok(d))).collect())
    }
}
