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
        self.odoo_set(fs, key, value).ok()
    }

    /// Edits that set Odoo option `key` to `value` where Odoo reads it: its line in odoo.conf
    /// (or a new one), the compose `command` option or Odoo 19 variable that sets it, or, in a
    /// container that reads no odoo.conf of the stack, a flag more on its command line.
    /// `Err` says where to set it by hand.
    pub fn odoo_set(&self, fs: &FileSet, key: &str, value: &str) -> Result<Vec<crate::diagnostic::Edit>, String> {
        if let Some(e) = self.odoo.set_edits(fs, key, value).filter(|e| !e.is_empty()) {
            return Ok(e);
        }
        let setting = self.odoo.get(key);
        let container = self.odoo_container();
        if let Some((m, ..)) = container
            && let Some(e) = m.odoo_set_edit(&self.odoo, key, value)
        {
            return Ok(vec![e]);
        }
        if let Some(s) = setting.filter(|s| !matches!(s.origin, odoo::Origin::File { .. } | odoo::Origin::Image { .. })) {
            return Err(format!("set {}: change it there", s.origin));
        }
        match container {
            Some((m, _, _, c)) if c.config == compose::ConfigLink::Image => {
                m.odoo_add_flag(key, value, self.odoo.major).map(|e| vec![e])
            }
            Some((m, i, _, _)) => {
                Err(format!("{} reads an odoo.conf that is not in the stack: set `{key}` there", m.describe_service(i)))
            }
            None => Err("the stack has no odoo.conf: set it where Odoo's options are given".to_string()),
        }
    }

    /// The edit that sets PostgreSQL parameter `name` of server `server` (an index into
    /// [`Stack::postgres`]) where it is read: its configuration files, or the `command` of the
    /// compose service that runs it. `Err` says why not.
    pub fn pg_set_edit(&self, fs: &FileSet, server: usize, name: &str, value: &str) -> Result<crate::diagnostic::Edit, String> {
        let pg = self.postgres.get(server).ok_or("no such PostgreSQL server")?;
        let why = match pg.set_edit(name, value) {
            Ok(e) => return Ok(e),
            Err(why) => why,
        };
        match self.pg_service(server) {
            Some((m, i)) => m.pg_set_edit(fs, i, &pg.config, name, value),
            None => Err(why),
        }
    }

    /// The compose service that runs PostgreSQL server `server`, with its project.
    pub fn pg_service(&self, server: usize) -> Option<(&compose::ComposeModel, usize)> {
        self.compose.iter().find_map(|m| m.postgres_services().find(|(_, _, c)| c.model == Some(server)).map(|(i, ..)| (m, i)))
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
