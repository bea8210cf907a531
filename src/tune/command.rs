//! `odoo-lint tune [PATHS] [--cpus N] [--memory SIZE] [--users N] [--write] [--format json]`.
//!
//! Without paths it tunes the live server: the usual places of Odoo's, nginx's, PostgreSQL's,
//! systemd's and pam_limits' files are read as one stack, and the CPUs and memory are those
//! this process sees (cgroup limits included). Without `--write` it prints the plan and the
//! diff and exits 1 when there is something to change (0 when the stack is tuned); with
//! `--write` it writes the files atomically and exits 0. Usage and I/O errors exit 2.

use super::Options;
use crate::config::{self, Config};
use crate::files::FileKind;
use crate::units::parse_human_bytes;
use crate::workspace::Inputs;
use clap::{Args, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum TuneFormat {
    /// The budget picture, each value with its formula, then the diff
    Text,
    /// One JSON object: stacks, their settings and budget, and the diff of each file
    Json,
}

#[derive(Args, Debug)]
pub struct TuneArgs {
    /// Files and directories of the stack (default: this server's /etc)
    pub paths: Vec<PathBuf>,

    /// CPUs of the machine the stack runs on
    #[arg(long, value_name = "N")]
    pub cpus: Option<u32>,

    /// Memory of the machine the stack runs on (32GiB, 32G, 512MiB)
    #[arg(long, value_name = "SIZE")]
    pub memory: Option<String>,

    /// Concurrent users at the busiest hour (Odoo sizes about 6 per worker)
    #[arg(long, value_name = "N")]
    pub users: Option<u64>,

    /// Read this machine's CPUs and memory (cgroup-aware); the default without paths
    #[arg(long)]
    pub system: bool,

    /// The Odoo major version (14 to 19); otherwise detected
    #[arg(long, value_name = "N")]
    pub odoo_version: Option<u32>,

    /// Write the changes (atomically); without it, print the plan and the diff
    #[arg(long)]
    pub write: bool,

    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    pub format: TuneFormat,

    /// Use this odoo-lint.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore every odoo-lint.toml
    #[arg(long)]
    pub isolated: bool,

    /// Colour the bars: auto, always or never
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub color: String,
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("odoo-lint: {message}");
    ExitCode::from(2)
}

/// The files of a live server that make its stack, those that exist, with their kinds (a
/// stock limits.conf is all comments: its kind cannot be sniffed).
pub fn live_paths(root: &Path) -> Vec<(FileKind, PathBuf)> {
    let mut out = Vec::new();
    type Keep<'a> = &'a dyn Fn(&str) -> bool;
    let globs: [(&str, FileKind, Keep); 9] = [
        ("etc/odoo", FileKind::OdooConf, &|n| n.ends_with(".conf") || n.ends_with(".cfg")),
        ("etc", FileKind::OdooConf, &|n| n.starts_with("odoo") && n.ends_with(".conf")),
        ("etc/nginx/sites-enabled", FileKind::Nginx, &|_| true),
        ("etc/nginx/conf.d", FileKind::Nginx, &|n| n.ends_with(".conf")),
        ("etc/systemd/system", FileKind::Systemd, &|n| n.ends_with(".service") && (n.contains("odoo") || n.contains("postgres"))),
        ("lib/systemd/system", FileKind::Systemd, &|n| {
            n.ends_with(".service") && (n.starts_with("odoo") || n.starts_with("postgresql@"))
        }),
        ("etc/security", FileKind::Limits, &|n| n == "limits.conf"),
        ("etc/security/limits.d", FileKind::Limits, &|n| n.ends_with(".conf")),
        ("etc/systemd/system/odoo.service.d", FileKind::Systemd, &|n| n.ends_with(".conf")),
    ];
    for (dir, kind, keep) in globs {
        let Ok(rd) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut names: Vec<PathBuf> = rd
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
            .filter(|e| keep(&e.file_name().to_string_lossy()))
            .map(|e| e.path())
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|p| (kind, p)));
    }
    // PostgreSQL: the newest cluster's configuration.
    if let Ok(rd) = std::fs::read_dir(root.join("etc/postgresql")) {
        let mut versions: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        versions.sort_by_key(|p| p.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse::<u32>().ok()).unwrap_or(0));
        if let Some(conf) = versions.iter().rev().map(|v| v.join("main/postgresql.conf")).find(|p| p.is_file()) {
            out.push((FileKind::Postgresql, conf));
        }
    }
    out
}

pub fn run(args: TuneArgs) -> ExitCode {
    let live = args.paths.is_empty();
    let found = if live { live_paths(Path::new("/")) } else { Vec::new() };
    let paths: Vec<PathBuf> = if live { found.iter().map(|(_, p)| p.clone()).collect() } else { args.paths.clone() };
    if paths.is_empty() {
        return fail(
            "tune without paths reads this server's files, and found none of Odoo's, nginx's or PostgreSQL's under /etc; name the stack's files or directory",
        );
    }
    let config = if args.isolated {
        Config::default()
    } else if let Some(path) = &args.config {
        match config::load(path) {
            Ok(c) => c,
            Err(e) => return fail(e),
        }
    } else {
        match config::find(&paths[0]).map(|p| config::load(&p)) {
            Some(Ok(c)) => c,
            Some(Err(e)) => return fail(e),
            None => Config::default(),
        }
    };
    let memory = match args.memory.as_deref().map(|m| parse_human_bytes(m).ok_or(m)) {
        Some(Err(m)) => return fail(format!("--memory {m}: not a size (try 32GiB, 32G or 512MiB)")),
        Some(Ok(b)) => Some(b),
        None => None,
    };
    if args.cpus == Some(0) {
        return fail("--cpus must be at least 1");
    }
    let color = match args.color.as_str() {
        "always" => true,
        "never" => false,
        "auto" => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        other => return fail(format!("--color {other}: expected auto, always or never")),
    };
    let inputs = Inputs {
        paths,
        kinds: found,
        cpus: args.cpus,
        memory,
        odoo_version: args.odoo_version,
        system: args.system || live,
        ..Default::default()
    };
    let opts = Options::from_config(&config, args.users);
    let tuned = super::write::run(&inputs, &config, &opts);
    let ws = &tuned.fixed.workspace;
    for e in &ws.errors {
        eprintln!("odoo-lint: {e}");
    }
    if ws.files.is_empty() {
        return fail("found no stack files to tune");
    }
    let report = match args.format {
        TuneFormat::Text => super::render::text(&tuned, color),
        TuneFormat::Json => super::render::json(&tuned),
    };
    let _ = std::io::stdout().lock().write_all(report.as_bytes());
    for r in &tuned.fixed.refused {
        eprintln!("odoo-lint: {r}");
    }
    if !tuned.fixed.converged {
        eprintln!("odoo-lint: the plan did not settle after {} passes; the diff holds what did", super::write::MAX_PASSES);
    }
    let untuned = tuned.plans.iter().filter(|p| p.is_err()).count();
    let settings: usize = tuned.plans.iter().flatten().map(|p| p.changes().count()).sum();
    let changes = tuned.fixed.files.len();
    let mut code = if untuned > 0 { 2 } else { 0 };
    if args.write {
        let mut failed = false;
        for (path, f) in &tuned.fixed.files {
            if let Err(e) = crate::fix::write_atomic(path, &f.fixed) {
                eprintln!("odoo-lint: could not write: {e}");
                failed = true;
            }
        }
        if failed {
            return ExitCode::from(2);
        }
        if changes > 0 {
            eprintln!(
                "odoo-lint: tuned {} in {}",
                crate::render::plural(settings, "setting"),
                crate::render::plural(changes, "file")
            );
        } else {
            eprintln!("odoo-lint: nothing to change");
        }
    } else if changes > 0 {
        eprintln!(
            "odoo-lint: {} to change in {}; run with --write to apply",
            crate::render::plural(settings, "setting"),
            crate::render::plural(changes, "file")
        );
        code = code.max(1);
    } else if untuned == 0 {
        eprintln!("odoo-lint: the stack is tuned: nothing to change");
    }
    ExitCode::from(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_paths_of_a_server_tree() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for f in [
            "etc/odoo/odoo.conf",
            "etc/nginx/sites-enabled/odoo",
            "etc/nginx/conf.d/other.conf",
            "etc/systemd/system/odoo.service",
            "etc/systemd/system/cron.service",
            "etc/security/limits.conf",
            "etc/postgresql/13/main/postgresql.conf",
            "etc/postgresql/15/main/postgresql.conf",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "").unwrap();
        }
        let found: Vec<String> =
            live_paths(root).iter().map(|(_, p)| p.strip_prefix(root).unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(live_paths(root)[4].0, FileKind::Limits);
        assert_eq!(
            found,
            [
                "etc/odoo/odoo.conf",
                "etc/nginx/sites-enabled/odoo",
                "etc/nginx/conf.d/other.conf",
                "etc/systemd/system/odoo.service",
                "etc/security/limits.conf",
                "etc/postgresql/15/main/postgresql.conf",
            ]
        );
    }
}
