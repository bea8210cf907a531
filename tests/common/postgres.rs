//! A throw-away PostgreSQL 15 cluster to ask the real server how it reads a configuration
//! (`postgres -D DIR -C name`). Needs the `postgresql-15` Debian package (or ODOO_LINT_PG_BIN);
//! as root, the server runs as the `postgres` user through `runuser`.

use std::path::PathBuf;
use std::process::Command;

pub struct Server {
    pub bin: PathBuf,
    /// `runuser -u postgres --` when we are root (initdb refuses to run as root).
    pub as_postgres: bool,
    _tmp: tempfile::TempDir,
    pub cluster: PathBuf,
}

impl Server {
    pub fn start() -> Option<Server> {
        let default = PathBuf::from("/usr/lib/postgresql/15/bin");
        let dir = std::env::var_os("ODOO_LINT_PG_BIN").map(PathBuf::from).unwrap_or(default);
        let postgres = super::require_program("postgres", &[dir.join("postgres")])?;
        let bin = postgres.parent().unwrap().to_path_buf();
        let root = output(Command::new("id").arg("-u")).trim() == "0";
        let tmp = tempfile::Builder::new().prefix("odoo-lint-pg-").tempdir().unwrap();
        if root {
            let uid: u32 = output(Command::new("id").args(["-u", "postgres"])).trim().parse().expect("a postgres user");
            std::os::unix::fs::chown(tmp.path(), Some(uid), None).unwrap();
        }
        let server = Server { bin, as_postgres: root, cluster: tmp.path().join("cluster"), _tmp: tmp };
        let out = server
            .command("initdb")
            .args(["-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C", "-D"])
            .arg(&server.cluster)
            .output()
            .unwrap();
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        Some(server)
    }

    pub fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        c.env("LC_ALL", "C").env("LANG", "C");
        c
    }

    /// `postgres -D cluster -C name`: (success, stdout, stderr).
    pub fn show(&self, name: &str) -> (bool, String, String) {
        let out = self.command("postgres").arg("-D").arg(&self.cluster).arg("-C").arg(name).output().unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.success(), text(&out.stdout).trim_end_matches('\n').to_string(), text(&out.stderr))
    }
}

pub fn output(c: &mut Command) -> String {
    String::from_utf8_lossy(&c.output().unwrap().stdout).into_owned()
}
