//! The stack: the files of one deployment read together, with the host they run on and the
//! Odoo version they are for. Rules look at a stack, never at files on disk.

pub mod budget;
pub mod compose;
pub mod odoo;
pub mod postgres;
pub mod proxy;
pub mod system;
pub mod version;

use crate::files::{FileKind, FileSet};
use crate::host::HostFacts;
use crate::source::FileId;
use std::path::PathBuf;

pub use version::{OdooVersion, VersionSource};

/// One deployment.
#[derive(Debug, Clone)]
pub struct Stack {
    pub name: String,
    pub root: Option<PathBuf>,
    pub files: Vec<FileId>,
    pub host: HostFacts,
    pub version: OdooVersion,
    /// Odoo's settings with their origins.
    pub odoo: odoo::OdooSettings,
    /// Memory PostgreSQL takes from the same budget as Odoo (shared_buffers plus
    /// max_connections × work_mem), when it runs on the same host or in the same container.
    pub postgres_share: Option<crate::units::Bytes>,
    /// Another member of the stack (a second Odoo service or node) runs the crons.
    pub other_cron_runner: bool,
    /// Addons and requirements files found in the stack's tree.
    pub clues: Vec<crate::discover::Clue>,
    /// Each nginx configuration of the stack (a root file with what it includes).
    pub nginx: Vec<proxy::NginxConfig>,
    /// The nginx locations that send requests to Odoo.
    pub routes: Vec<proxy::Route>,
    /// The PostgreSQL servers of the stack, the one sharing the host budget first.
    pub postgres: Vec<postgres::PgModel>,
    /// systemd units and pam_limits files.
    pub system: system::System,
    /// The compose projects of the stack, the one whose Odoo service is the stack's first.
    pub compose: Vec<compose::ComposeModel>,
}

impl Stack {
    /// The stack's files of one kind, in order.
    pub fn files_of<'a>(&'a self, fs: &'a FileSet, kind: FileKind) -> impl Iterator<Item = FileId> + 'a {
        self.files.iter().copied().filter(move |&f| fs.get(f).kind == kind)
    }

    /// The addons of the tree with this name, with where each was found.
    pub fn addon(&self, name: &str) -> Option<&crate::discover::Clue> {
        self.clues.iter().find(|c| matches!(&c.kind, crate::discover::ClueKind::Addon { name: n, .. } if n == name))
    }

    /// The requirements lines that install addon `name`: (file, 1-based line).
    pub fn required_addon(&self, name: &str) -> Option<(&std::path::Path, usize)> {
        self.clues.iter().find_map(|c| match &c.kind {
            crate::discover::ClueKind::Requirements { addons } => {
                addons.iter().find(|(_, a)| a == name).map(|(l, _)| (c.path.as_path(), *l))
            }
            _ => None,
        })
    }

    /// The stack's Odoo container: its project, its index there, the service and what it runs.
    pub fn odoo_container(
        &self,
    ) -> Option<(&compose::ComposeModel, usize, &crate::formats::compose::Service, &compose::OdooContainer)> {
        let m = self.compose.first().filter(|m| m.linked(self.odoo.conf))?;
        let (i, s, c) = m.odoo_service()?;
        Some((m, i, s, c))
    }

    /// Edits that set Odoo option `key` to `value` where its value comes from: odoo.conf, or a
    /// compose `command` option or Odoo 19 variable of the Odoo service.
    pub fn odoo_set_edits(&self, fs: &FileSet, key: &str, value: &str) -> Option<Vec<crate::diagnostic::Edit>> {
        if let Some(e) = self.odoo.set_edits(fs, key, value) {
            return Some(e);
        }
        let (m, ..) = self.odoo_container()?;
        m.odoo_set_edit(&self.odoo, key, value).map(|e| vec![e])
    }

    /// Whether the stack says how its Odoo runs: an odoo.conf, an Odoo systemd unit, or a
    /// compose service on the official image's own configuration. Without one, rules that compare with Odoo's settings
    /// stay silent rather than compare with defaults nobody chose.
    pub fn has_odoo(&self) -> bool {
        self.odoo.known() || self.system.odoo_units().next().is_some()
    }

    /// Whether a proxy fronts Odoo in this stack.
    pub fn behind_proxy(&self, _fs: &FileSet) -> bool {
        !self.routes.is_empty()
    }

    /// The file stack-wide findings point at: the first odoo.conf, else the first file.
    pub fn anchor(&self, fs: &FileSet) -> Option<FileId> {
        self.files_of(fs, FileKind::OdooConf).next().or_else(|| self.files.first().copied())
    }
}
