//! The set of files one run reads, each with its kind and its syntax tree.

use crate::formats::compose::dotenv::{self, DotEnv};
use crate::formats::compose::yaml::{self, YamlFile};
use crate::formats::limits::{self, LimitsFile};
use crate::formats::postgresql::PgConf;
use crate::formats::systemd::{self, UnitFile};
use crate::formats::{SyntaxError, nginx, odoo_conf};
use crate::source::{FileId, SourceFile};
use std::path::{Path, PathBuf};

/// What a file is, sniffed from its name and content.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum FileKind {
    OdooConf,
    Nginx,
    Postgresql,
    Limits,
    Systemd,
    Compose,
    DotEnv,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::OdooConf => "odoo.conf",
            FileKind::Nginx => "nginx",
            FileKind::Postgresql => "postgresql.conf",
            FileKind::Limits => "limits.conf",
            FileKind::Systemd => "systemd unit",
            FileKind::Compose => "docker-compose",
            FileKind::DotEnv => ".env",
        }
    }
    /// Names accepted on the command line and in odoo-lint.toml.
    pub fn parse(s: &str) -> Option<FileKind> {
        Some(match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "odoo" | "odoo.conf" | "odoo-conf" => FileKind::OdooConf,
            "nginx" => FileKind::Nginx,
            "postgresql" | "postgres" | "postgresql.conf" | "pg" => FileKind::Postgresql,
            "limits" | "limits.conf" => FileKind::Limits,
            "systemd" | "unit" | "service" => FileKind::Systemd,
            "compose" | "docker-compose" => FileKind::Compose,
            "env" | ".env" | "dotenv" => FileKind::DotEnv,
            _ => return None,
        })
    }
}

/// A file's syntax tree.
#[derive(Debug)]
pub enum Syntax {
    OdooConf(odoo_conf::OdooConf),
    Nginx(nginx::SyntaxTree),
    /// One postgresql.conf file (a whole configuration with its includes is
    /// [`crate::stack::postgres::PgModel`]).
    Postgresql(PgConf),
    Limits(LimitsFile),
    /// A unit file or a drop-in.
    Systemd(UnitFile),
    /// A docker-compose file alone: its lossless YAML tree (its syntax errors are in
    /// [`FileEntry::errors`]). The project it belongs to, merged and interpolated, is
    /// [`crate::stack::compose::ComposeModel`].
    Compose(std::sync::Arc<YamlFile>),
    /// A `.env` file or a service's `env_file`, as compose reads it (errors in
    /// [`FileEntry::errors`]).
    DotEnv(DotEnv),
    /// A kind this build recognises but does not parse yet.
    Unparsed,
}

/// One file of the run.
#[derive(Debug)]
pub struct FileEntry {
    pub source: SourceFile,
    pub kind: FileKind,
    pub syntax: Syntax,
    /// Errors of the format's own syntax (rule OL001), beside those a tree records itself.
    pub errors: Vec<SyntaxError>,
    /// Not on disk: a stock file's known content (Debian's `proxy_params`), read in its place.
    /// Shown, never written.
    pub is_virtual: bool,
}

/// Every file of one run, addressed by [`FileId`].
#[derive(Debug, Default)]
pub struct FileSet {
    entries: Vec<FileEntry>,
}

impl FileSet {
    pub fn new() -> Self {
        FileSet::default()
    }

    /// Adds a file and parses it as `kind`.
    pub fn add(&mut self, mut source: SourceFile, kind: FileKind) -> FileId {
        let (syntax, errors) = parse(&source, kind);
        let found = secret_ranges(&syntax, &source.text);
        source.secrets.extend(found);
        let id = FileId(self.entries.len() as u32);
        self.entries.push(FileEntry { source, kind, syntax, errors, is_virtual: false });
        id
    }

    /// Adds a file that is not on disk (a stock file's known content).
    pub fn add_virtual(&mut self, source: SourceFile, kind: FileKind) -> FileId {
        let id = self.add(source, kind);
        self.entries[id.0 as usize].is_virtual = true;
        id
    }

    /// Reads a file again as another kind (an nginx `include` of a file first taken for
    /// something else).
    pub fn reparse_as(&mut self, id: FileId, kind: FileKind) {
        let entry = &mut self.entries[id.0 as usize];
        if entry.kind == kind {
            return;
        }
        let (syntax, errors) = parse(&entry.source, kind);
        entry.kind = kind;
        entry.syntax = syntax;
        entry.errors = errors;
    }

    /// The parsed nginx tree of a file.
    pub fn nginx(&self, id: FileId) -> Option<&nginx::SyntaxTree> {
        match &self.get(id).syntax {
            Syntax::Nginx(t) => Some(t),
            _ => None,
        }
    }

    pub fn get(&self, id: FileId) -> &FileEntry {
        &self.entries[id.0 as usize]
    }

    pub fn source(&self, id: FileId) -> &SourceFile {
        &self.entries[id.0 as usize].source
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Keeps of every file only what reporting reads once the checks have run (a fleet's parts
    /// keep no more: [`crate::fleet`]): its path, text, kind and syntax errors. The syntax
    /// trees go, and so do the original bytes where they are the text (valid UTF-8):
    /// [`SourceFile::bytes`] is then empty, and nothing that fixes or re-checks may use the
    /// files afterwards.
    pub fn keep_text_only(&mut self) {
        for e in &mut self.entries {
            e.syntax = Syntax::Unparsed;
            if e.source.invalid.is_empty() && e.source.bytes == e.source.text.as_bytes() {
                e.source.bytes = Vec::new();
            }
        }
        self.entries.shrink_to_fit();
    }

    /// Forgets the contents of the files not marked in `keep` (their paths stay): a fleet's
    /// report quotes the files findings point into and lists the others by name.
    pub fn keep_names_only(&mut self, keep: &[bool]) {
        for (e, &k) in self.entries.iter_mut().zip(keep) {
            if !k {
                e.source.forget_contents();
            }
        }
    }

    /// Moves another run's files after these; returns what was added to their ids.
    pub fn append(&mut self, other: FileSet) -> u32 {
        let offset = self.entries.len() as u32;
        self.entries.extend(other.entries);
        offset
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn ids(&self) -> impl Iterator<Item = FileId> + '_ {
        (0..self.entries.len()).map(|i| FileId(i as u32))
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.entries.iter().position(|e| e.source.path == path).map(|i| FileId(i as u32))
    }

    pub fn odoo_conf(&self, id: FileId) -> Option<&odoo_conf::OdooConf> {
        match &self.get(id).syntax {
            Syntax::OdooConf(c) => Some(c),
            _ => None,
        }
    }

    pub fn pg_conf(&self, id: FileId) -> Option<&PgConf> {
        match &self.get(id).syntax {
            Syntax::Postgresql(c) => Some(c),
            _ => None,
        }
    }

    pub fn limits(&self, id: FileId) -> Option<&LimitsFile> {
        match &self.get(id).syntax {
            Syntax::Limits(l) => Some(l),
            _ => None,
        }
    }

    /// The YAML tree of a compose file, shared (the compose loader reads the same tree).
    pub fn compose_shared(&self, id: FileId) -> Option<&std::sync::Arc<YamlFile>> {
        match &self.get(id).syntax {
            Syntax::Compose(y) => Some(y),
            _ => None,
        }
    }

    /// The YAML tree of a compose file.
    pub fn compose(&self, id: FileId) -> Option<&YamlFile> {
        match &self.get(id).syntax {
            Syntax::Compose(y) => Some(y),
            _ => None,
        }
    }

    pub fn unit(&self, id: FileId) -> Option<&UnitFile> {
        match &self.get(id).syntax {
            Syntax::Systemd(u) => Some(u),
            _ => None,
        }
    }

    /// How many syntax errors a file has, its own program's way of counting: used to refuse a
    /// fix whose result reads worse than the original.
    pub fn syntax_error_count(&self, id: FileId) -> usize {
        let e = self.get(id);
        e.errors.len()
            + match &e.syntax {
                Syntax::OdooConf(c) => {
                    c.errors.len()
                        + usize::from(!c.before_first_section.is_empty())
                        + c.sections.iter().filter(|s| s.duplicate_of.is_some()).count()
                        + c.entries.iter().filter(|x| x.duplicate_of.is_some()).count()
                }
                Syntax::Nginx(t) => t.errors().len(),
                Syntax::Postgresql(c) => c.errors.len() + crate::stack::postgres::lone_value_problems(c, &e.source),
                Syntax::Limits(l) => l.errors.len(),
                Syntax::Systemd(u) => {
                    u.errors.len() + crate::formats::systemd::effective::EffectiveUnit::new(&[u]).value_errors().len()
                }
                Syntax::Compose(_) | Syntax::DotEnv(_) | Syntax::Unparsed => 0,
            }
    }

    /// Paths of all files, for messages.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.entries.iter().map(|e| e.source.path.clone()).collect()
    }
}

/// The values of secret keys, masked whenever the file is shown.
fn secret_ranges(syntax: &Syntax, text: &str) -> Vec<crate::source::TextRange> {
    match syntax {
        Syntax::OdooConf(c) => c
            .entries
            .iter()
            .filter(|e| crate::secrets::is_secret_key(&e.key) && !e.value_full_range.is_empty())
            .map(|e| e.value_full_range)
            .collect(),
        Syntax::Postgresql(c) => crate::secrets::pg_secret_ranges(c, text),
        Syntax::Systemd(u) => crate::secrets::unit_secret_ranges(u),
        Syntax::Compose(y) => crate::secrets::compose_secret_ranges(y, text),
        Syntax::DotEnv(e) => crate::secrets::dotenv_secret_ranges(e, text),
        Syntax::Nginx(_) | Syntax::Limits(_) | Syntax::Unparsed => Vec::new(),
    }
}

/// `bytes` as a file of `kind` would be shown: secrets masked.
pub fn masked(path: &Path, kind: FileKind, bytes: &[u8]) -> Vec<u8> {
    let source = SourceFile::new(path.to_path_buf(), bytes.to_vec());
    let (syntax, _) = parse(&source, kind);
    let mut ranges = source.secrets.clone();
    ranges.extend(secret_ranges(&syntax, &source.text));
    crate::secrets::mask(bytes, &ranges)
}

fn parse(source: &SourceFile, kind: FileKind) -> (Syntax, Vec<SyntaxError>) {
    match kind {
        FileKind::OdooConf => {
            let conf = odoo_conf::parse(source);
            let mut errors = Vec::new();
            if let Some(&at) = source.invalid.first() {
                // Python opens the file as UTF-8 text; the first bad byte raises
                // UnicodeDecodeError, which Odoo does not catch.
                let byte = source.bytes[at as usize];
                errors.push(
                    SyntaxError::new(
                        crate::source::TextRange::new(at as usize, at as usize + 1),
                        format!("byte 0x{byte:02X} is not UTF-8 (UnicodeDecodeError), so Odoo does not start"),
                    )
                    .with_label("not UTF-8")
                    .with_help("save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"),
                );
            }
            (Syntax::OdooConf(conf), errors)
        }
        FileKind::Nginx => (Syntax::Nginx(nginx::parse(&source.text)), Vec::new()),
        FileKind::Postgresql => (Syntax::Postgresql(PgConf::parse(source)), Vec::new()),
        FileKind::Limits => (Syntax::Limits(limits::parse(source)), Vec::new()),
        FileKind::Systemd => (Syntax::Systemd(systemd::parse(source, systemd::UnitType::from_path(&source.path))), Vec::new()),
        FileKind::Compose => {
            let y = yaml::parse(&source.text);
            // yaml.v3 refuses the file at its first byte that is not UTF-8; our parser sees a
            // placeholder there and may stumble on it too: report the byte once.
            let mut errors: Vec<SyntaxError> = not_utf8(source, "docker compose").into_iter().collect();
            let bad = errors.first().map(|e| e.range.start);
            errors.extend(y.errors.iter().filter(|e| Some(e.range.start) != bad).cloned());
            (Syntax::Compose(std::sync::Arc::new(y)), errors)
        }
        FileKind::DotEnv => {
            // Errors do not depend on the environment; values are resolved with the project.
            // (compose reads bytes that are not UTF-8 as U+FFFD, without complaint)
            let env = dotenv::parse(&source.text, &|_| None);
            let errors = env.errors.clone();
            (Syntax::DotEnv(env), errors)
        }
    }
}

/// The first byte that is not UTF-8, for programs that refuse such files (compose's YAML
/// reader, yaml.v3: "invalid trailing UTF-8 octet").
fn not_utf8(source: &SourceFile, program: &str) -> Option<SyntaxError> {
    let &at = source.invalid.first()?;
    let byte = source.bytes[at as usize];
    Some(
        SyntaxError::new(
            crate::source::TextRange::new(at as usize, at as usize + 1),
            format!("byte 0x{byte:02X} is not UTF-8, which {program} refuses"),
        )
        .with_label("not UTF-8")
        .with_help("save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)"),
    )
}

impl nginx::include::NginxFiles for FileSet {
    fn nginx(&self, id: FileId) -> Option<(&SourceFile, &nginx::SyntaxTree)> {
        let e = self.entries.get(id.0 as usize)?;
        match &e.syntax {
            Syntax::Nginx(t) => Some((&e.source, t)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(path: &str, kind: FileKind, text: &str) -> usize {
        let mut fs = FileSet::new();
        let id = fs.add(SourceFile::from_text(path, text), kind);
        fs.syntax_error_count(id)
    }

    #[test]
    fn error_counts_of_every_parsed_kind() {
        assert_eq!(count("postgresql.conf", FileKind::Postgresql, "work_mem = 4MB\n"), 0);
        assert_eq!(count("postgresql.conf", FileKind::Postgresql, "work_mem = 4 MB MB\n"), 1, "syntax");
        assert_eq!(count("postgresql.conf", FileKind::Postgresql, "work_mem = 4Mb\nfoo = 1\n"), 2, "values PostgreSQL refuses");
        assert_eq!(count("limits.conf", FileKind::Limits, "odoo soft nofile 1024\n"), 0);
        assert_eq!(count("limits.conf", FileKind::Limits, "odoo sotf nofile 1024\nodoo soft nofile x\n"), 2);
        assert_eq!(count("odoo.service", FileKind::Systemd, "[Service]\nLimitNOFILE=65536\n"), 0);
        assert_eq!(count("odoo.service", FileKind::Systemd, "[Service]\nLimitNOFLIE=65536\nMemoryMax=lots\n"), 2);
    }

    #[test]
    fn compose_and_dotenv_files() {
        assert_eq!(count("docker-compose.yml", FileKind::Compose, "services:\n  odoo:\n    image: odoo\n"), 0);
        assert_eq!(count("docker-compose.yml", FileKind::Compose, "services:\n  odoo:\n\timage: odoo\n"), 1);
        assert_eq!(count(".env", FileKind::DotEnv, "A=1\nB C=2\n"), 1);
        // yaml.v3 refuses bytes that are not UTF-8, once
        let mut fs = FileSet::new();
        let id = fs.add(SourceFile::new("compose.yaml", b"services:\n  a:\n    image: caf\xe9\n".to_vec()), FileKind::Compose);
        assert_eq!(fs.syntax_error_count(id), 1);
        assert!(fs.get(id).errors[0].message.contains("0xE9"));
        let compose = "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: hunter2\n      POSTGRES_USER: ${USER}\n";
        let shown = masked(Path::new("compose.yaml"), FileKind::Compose, compose.as_bytes());
        assert_eq!(
            String::from_utf8(shown).unwrap(),
            "services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: *******\n      POSTGRES_USER: ${USER}\n"
        );
        let shown = masked(Path::new(".env"), FileKind::DotEnv, b"PGPASSWORD=\"x y\"\nPGUSER=odoo\n");
        assert_eq!(String::from_utf8(shown).unwrap(), "PGPASSWORD=\"***\"\nPGUSER=odoo\n");
    }

    #[test]
    fn secrets_of_units_and_postgresql_are_masked() {
        let unit = "[Service]\nEnvironment=PGPASSWORD=hunter2\n";
        let shown = masked(Path::new("odoo.service"), FileKind::Systemd, unit.as_bytes());
        assert_eq!(String::from_utf8(shown).unwrap(), "[Service]\nEnvironment=PGPASSWORD=*******\n");
        let pg = "primary_conninfo = 'host=a password=xyz'\n";
        let shown = masked(Path::new("postgresql.conf"), FileKind::Postgresql, pg.as_bytes());
        assert_eq!(String::from_utf8(shown).unwrap(), "primary_conninfo = 'host=a password=***'\n");
    }
}
