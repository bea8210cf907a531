//! Recognising the programs a unit runs: Odoo (with its command-line options, raw, each with
//! its file range) and PostgreSQL (its argv, for `-c name=value` parsing elsewhere).
//!
//! Odoo is started in many ways: `odoo-bin`, `odoo` (pip / Debian `/usr/bin/odoo`), `odoo.py`,
//! `openerp-server` (≤ 9.0), either directly or through an interpreter (`python3 odoo-bin`, a
//! venv's python) and wrappers (`sudo -u odoo …`, `env A=1 …`, `scl enable rh-python36 -- …`).
//! We look for the first argv word whose file name is one of those scripts; the words after
//! it are Odoo's (after an optional subcommand such as `server`).
//!
//! Options follow Python's optparse, which Odoo uses: `--name=value`, `--name value`,
//! `-x value`, `-xvalue`; a long name may be abbreviated to any unique prefix (so `--conf` is
//! `--config`). Which options take a value comes from odoo/tools/config.py: the flags listed
//! in [`ODOO_FLAGS`] take none, every other option takes one.

use crate::formats::systemd::exec::{ExecCommand, Word};
use crate::source::TextRange;

/// Script names that start Odoo.
const ODOO_SCRIPTS: &[&str] = &["odoo-bin", "odoo", "odoo.py", "openerp-server", "openerp-server.py"];

/// Odoo options that take no value (optparse `store_true`/`store_false`/`count`, from
/// odoo/tools/config.py 14.0–19.0), long and short spellings.
pub const ODOO_FLAGS: &[&str] = &[
    "--save",
    "-s",
    "--no-http",
    "--no-xmlrpc",
    "--proxy-mode",
    "--x-sendfile",
    "--test-enable",
    "--test-commit",
    "--test-running",
    "--no-database-list",
    "--stop-after-init",
    "--smtp-ssl",
    "--syslog",
    "--log-sql",
    "--log-web",
    "--log-db-level-sql",
    "--debug",
    "--unaccent",
    "--no-dev",
    "--version",
    "--help",
    "-h",
    "--i18n-overwrite",
    "--without-demo-all",
    "--with-demo",
    "--shell-interface-is-set",
];

/// How an option's value was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptionForm {
    /// `--workers=4`
    Equals,
    /// `--workers 4`, `-p 8070`
    Separate,
    /// `-p8070`
    Attached,
    /// A flag without value: `--proxy-mode`.
    Flag,
}

/// One Odoo command-line option, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OdooOption {
    /// The option as written, without its value: `--workers`, `-p`, `--conf`.
    pub flag: String,
    pub flag_range: TextRange,
    pub value: Option<String>,
    pub value_range: Option<TextRange>,
    pub form: OptionForm,
    /// The index of the argv word holding the flag.
    pub word: usize,
}

/// An Odoo server command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OdooCommand {
    /// The argv index of the Odoo script.
    pub script: usize,
    /// The file name of the script (`odoo-bin`, `odoo`…).
    pub script_name: String,
    /// The interpreter and wrappers before the script (`python3`, `sudo`…), as argv indexes.
    pub launcher: Vec<usize>,
    /// `server`, `shell`… if a subcommand was given.
    pub subcommand: Option<(String, TextRange)>,
    /// The config file (`-c`, `--config`, `--config=`, or an abbreviation like `--conf`).
    pub config: Option<OdooOption>,
    /// Every option, in order (the config option included).
    pub options: Vec<OdooOption>,
    /// Words that are neither options nor values (Odoo ignores or rejects them).
    pub stray: Vec<usize>,
}

fn file_name(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

/// Recognises an Odoo command and splits its options.
pub fn odoo_command(cmd: &ExecCommand) -> Option<OdooCommand> {
    let argv = &cmd.argv;
    // The program itself (systemd's path) counts even with `@` (argv[0] is then a name).
    let script = if ODOO_SCRIPTS.contains(&file_name(&cmd.path.text)) {
        0
    } else {
        argv.iter().position(|w| ODOO_SCRIPTS.contains(&file_name(&w.text)) && !w.text.starts_with('-'))?
    };
    let mut out = OdooCommand {
        script,
        script_name: file_name(if script == 0 && ODOO_SCRIPTS.contains(&file_name(&cmd.path.text)) {
            &cmd.path.text
        } else {
            &argv[script].text
        })
        .to_string(),
        launcher: (0..script).collect(),
        subcommand: None,
        config: None,
        options: Vec::new(),
        stray: Vec::new(),
    };
    let mut i = script + 1;
    if let Some(w) = argv.get(i)
        && !w.text.starts_with('-')
        && w.text.bytes().all(|b| b.is_ascii_lowercase() || b == b'_')
        && !w.text.is_empty()
    {
        out.subcommand = Some((w.text.clone(), w.range));
        i += 1;
    }
    while i < argv.len() {
        let w = &argv[i];
        let t = w.text.as_str();
        if t == "--" {
            out.stray.extend(i + 1..argv.len());
            break;
        }
        if let Some(long) = t.strip_prefix("--").filter(|l| !l.is_empty()) {
            if let Some(eq) = long.find('=') {
                out.options.push(OdooOption {
                    flag: t[..2 + eq].to_string(),
                    flag_range: w.span(0, 2 + eq),
                    value: Some(t[3 + eq..].to_string()),
                    value_range: Some(w.span(3 + eq, t.len())),
                    form: OptionForm::Equals,
                    word: i,
                });
                i += 1;
                continue;
            }
            if is_flag(t) {
                out.options.push(flag_only(w, i));
                i += 1;
                continue;
            }
            let next = argv.get(i + 1);
            out.options.push(OdooOption {
                flag: t.to_string(),
                flag_range: w.range,
                value: next.map(|n| n.text.clone()),
                value_range: next.map(|n| n.range),
                form: OptionForm::Separate,
                word: i,
            });
            i += 2;
            continue;
        }
        if t.len() >= 2 && t.starts_with('-') && t.as_bytes()[1] != b'-' {
            // `-X` and its value glued on: X is one character, not always one byte
            let n = 1 + t[1..].chars().next().map_or(1, char::len_utf8);
            let short = &t[..n];
            if is_flag(short) {
                out.options.push(flag_only(w, i));
                i += 1;
                continue;
            }
            if t.len() > n {
                out.options.push(OdooOption {
                    flag: short.to_string(),
                    flag_range: w.span(0, n),
                    value: Some(t[n..].to_string()),
                    value_range: Some(w.span(n, t.len())),
                    form: OptionForm::Attached,
                    word: i,
                });
                i += 1;
                continue;
            }
            let next = argv.get(i + 1);
            out.options.push(OdooOption {
                flag: short.to_string(),
                flag_range: w.range,
                value: next.map(|n| n.text.clone()),
                value_range: next.map(|n| n.range),
                form: OptionForm::Separate,
                word: i,
            });
            i += 2;
            continue;
        }
        out.stray.push(i);
        i += 1;
    }
    out.config = out.options.iter().find(|o| is_config_flag(&o.flag)).cloned();
    Some(out)
}

fn is_flag(t: &str) -> bool {
    ODOO_FLAGS.contains(&t)
}

fn flag_only(w: &Word, i: usize) -> OdooOption {
    OdooOption { flag: w.text.clone(), flag_range: w.range, value: None, value_range: None, form: OptionForm::Flag, word: i }
}

/// `-c`, `--config`, and optparse abbreviations of `--config` long enough to be unique among
/// Odoo's options (`--conf`, `--confi`).
fn is_config_flag(f: &str) -> bool {
    f == "-c" || (f.len() >= "--conf".len() && "--config".starts_with(f))
}

/// A PostgreSQL server command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostgresCommand {
    /// The argv index of `postgres` (or `postmaster`).
    pub program: usize,
    /// The words after it, for `-c name=value`, `-D dir`, `--name=value` parsing.
    pub args: Vec<Word>,
}

/// Recognises a PostgreSQL server started directly (`postgres`, `postmaster`, e.g.
/// `/usr/lib/postgresql/15/bin/postgres -D … -c config_file=…`). `pg_ctl`/`pg_ctlcluster`
/// wrappers are not servers' argv and are not recognised.
pub fn postgres_command(cmd: &ExecCommand) -> Option<PostgresCommand> {
    let program = cmd.argv.iter().position(|w| matches!(file_name(&w.text), "postgres" | "postmaster"))?;
    Some(PostgresCommand { program, args: cmd.argv[program + 1..].to_vec() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::systemd::Value;
    use crate::formats::systemd::exec::parse_exec;

    fn cmd(s: &str) -> (Value, ExecCommand) {
        let v = Value::detached(s);
        let c = parse_exec(&v).commands.remove(0);
        (v, c)
    }

    fn opts(o: &OdooCommand) -> Vec<(String, Option<String>)> {
        o.options.iter().map(|x| (x.flag.clone(), x.value.clone())).collect()
    }

    #[test]
    fn odoo_launch_styles() {
        for (line, script, config) in [
            ("/usr/bin/odoo --config /etc/odoo/odoo.conf --logfile /var/log/odoo/odoo-server.log", 0, "/etc/odoo/odoo.conf"),
            ("/opt/odoo/odoo-bin --config=/opt/config/odoo-server.conf", 0, "/opt/config/odoo-server.conf"),
            ("/home/odoo/venv/bin/python3 /home/odoo/odoo-bin -c /home/odoo/odoo.conf", 1, "/home/odoo/odoo.conf"),
            ("/usr/bin/python /opt/odoo/ocb/odoo.py -c /opt/odoo/.openerp_serverrc", 1, "/opt/odoo/.openerp_serverrc"),
            ("/home/e/.venv/odoo13/bin/python odoo-bin --conf .odoorc.conf", 1, ".odoorc.conf"),
            (
                "/usr/bin/scl enable rh-python36 -- /opt/odoo/venv/bin/python3 /opt/odoo/odoo/odoo-bin -c /etc/odoo.conf",
                5,
                "/etc/odoo.conf",
            ),
            ("/usr/bin/openerp-server -c/etc/openerp.conf", 0, "/etc/openerp.conf"),
            ("/opt/odoo/odoo-bin server -c /etc/odoo.conf", 0, "/etc/odoo.conf"),
        ] {
            let (_, c) = cmd(line);
            let o = odoo_command(&c).unwrap_or_else(|| panic!("{line}"));
            assert_eq!(o.script, script, "{line}");
            assert_eq!(o.config.as_ref().and_then(|c| c.value.clone()).as_deref(), Some(config), "{line}");
        }
        let (_, c) = cmd("/data/code/odoo-19/bin/odoo");
        let o = odoo_command(&c).unwrap();
        assert!(o.config.is_none() && o.options.is_empty());
        assert!(odoo_command(&cmd("/etc/init.d/odoo-server start").1).is_none());
        assert!(odoo_command(&cmd("/usr/sbin/nginx -t").1).is_none());
    }

    #[test]
    fn a_short_option_of_a_multibyte_character() {
        // found by fuzzing: `-` then U+FEFF was cut inside the character
        let (v, c) = cmd("/usr/bin/odoo -\u{feff}x -é");
        let o = odoo_command(&c).unwrap();
        assert_eq!(opts(&o)[0], ("-\u{feff}".to_string(), Some("x".to_string())));
        assert_eq!(o.options[0].flag_range.of(&v.text), "-\u{feff}");
        assert_eq!(o.options[0].value_range.unwrap().of(&v.text), "x");
    }

    #[test]
    fn options_with_spans() {
        let (v, c) = cmd(
            "/usr/bin/python3 /opt/odoo/odoo-bin server --workers=4 --workers 5 -p 8070 -p8071 --limit-time-real=300 --load=web,queue_job --dev=reload --proxy-mode --db-filter \"^%%d$\"",
        );
        let o = odoo_command(&c).unwrap();
        assert_eq!(o.subcommand.as_ref().map(|s| s.0.as_str()), Some("server"));
        let s = |a: &str, b: Option<&str>| (a.to_string(), b.map(str::to_string));
        assert_eq!(
            opts(&o),
            [
                s("--workers", Some("4")),
                s("--workers", Some("5")),
                s("-p", Some("8070")),
                s("-p", Some("8071")),
                s("--limit-time-real", Some("300")),
                s("--load", Some("web,queue_job")),
                s("--dev", Some("reload")),
                s("--proxy-mode", None),
                s("--db-filter", Some("^%d$")),
            ]
        );
        assert_eq!(o.options[0].value_range.unwrap().of(&v.text), "4");
        assert_eq!(o.options[0].flag_range.of(&v.text), "--workers");
        assert_eq!(o.options[1].value_range.unwrap().of(&v.text), "5");
        assert_eq!(o.options[3].value_range.unwrap().of(&v.text), "8071");
        assert_eq!(o.options[5].value_range.unwrap().of(&v.text), "web,queue_job");
        assert_eq!(o.options[8].value_range.unwrap().of(&v.text), "\"^%%d$\"");
        assert_eq!(o.options[2].form, OptionForm::Separate);
        assert_eq!(o.options[3].form, OptionForm::Attached);
    }

    #[test]
    fn postgres_argv() {
        let (v, c) = cmd(
            "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf",
        );
        let p = postgres_command(&c).unwrap();
        assert_eq!(p.program, 0);
        assert_eq!(p.args.len(), 4);
        assert_eq!(p.args[3].range.of(&v.text), "config_file=/etc/postgresql/15/main/postgresql.conf");
        assert!(postgres_command(&cmd("/usr/bin/odoo").1).is_none());
    }
}
