//! The command line: arguments (clap) and the commands they run.
//!
//! Exit codes: 0 when nothing at or above `--fail-on` (default: warning) is found, 1 when
//! something is, 2 for usage and I/O errors. A panic is a bug: it is caught and exits 2.

use crate::config::{self, Config, FailOn};
use crate::diagnostic::{Applicability, Diagnostic};
use crate::files::FileKind;
use crate::lint::{self, Selection};
use crate::render::{self, full::Style};
use crate::rules::{REGISTRY, Symptom};
use crate::units::parse_human_bytes;
use crate::workspace::{self, Inputs};
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "odoo-lint",
    version,
    about = "Lint and tune an Odoo deployment's configuration as one stack",
    long_about = "Reads odoo.conf, nginx sites, postgresql.conf, limits.conf, systemd units and docker-compose files \
                  together and reports where they disagree: proxy timeouts below Odoo's limits, workers that do not fit \
                  the host, connection pools that exhaust PostgreSQL, websocket routes to a port nothing listens on.",
    after_help = "Examples:\n  odoo-lint check fixtures/demo\n  odoo-lint check /etc/odoo/odoo.conf /etc/nginx/sites-enabled/odoo --cpus 4 --memory 8GiB\n  odoo-lint check --system                 # on the server: its live configuration\n  odoo-lint check --symptom 504            # only what can cause 504s, most likely first\n  odoo-lint --fix                          # fix this server's configuration (elsewhere: .)\n  odoo-lint tune --memory 16GiB --cpus 8   # size workers, limits and PostgreSQL for a host\n  odoo-lint rules\n  odoo-lint rule OL301",
    args_conflicts_with_subcommands = true,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Without a command: fix what can be fixed. On an Odoo server (an Odoo configuration in
    /// /etc/odoo/ or /etc/odoo*.conf) this is `check --system --fix`, elsewhere `check . --fix`
    #[arg(long)]
    pub fix: bool,

    /// With --fix: also apply the fixes that change capacity or behaviour
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check stacks and report problems
    Check(Box<CheckArgs>),
    /// List every rule: code, name, severity, fix safety
    Rules(RulesArgs),
    /// Compute the capacity settings for the machine and workload, and write them as a diff
    Tune(crate::tune::command::TuneArgs),
    /// Show a rule's documentation (by code or name)
    Rule {
        /// A code (OL301) or name (proxy-timeout-below-odoo)
        code: String,
    },
    /// Print a shell completion script (e.g. `odoo-lint completions bash > /etc/bash_completion.d/odoo-lint`)
    Completions {
        /// bash, zsh, fish, powershell or elvish
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) to standard output (`odoo-lint man | man -l -`)
    Man,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// rustc-style reports with snippets (default)
    Full,
    /// One line per finding: path:line:col: CODE [severity] message
    // (the help text as clap shows it, not a link)
    #[allow(rustdoc::broken_intra_doc_links)]
    Concise,
    /// One JSON object
    Json,
    /// One JSON object per finding, one per line (the fields of a `json` finding)
    JsonLines,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers
    Sarif,
    /// GitHub Actions annotations (workflow commands)
    Github,
    /// GitLab Code Quality report
    Gitlab,
    /// JUnit XML: a test suite per file, a failing test case per finding
    Junit,
}

impl Format {
    /// Formats that print one document (no summary line on standard output).
    pub fn is_document(self) -> bool {
        !matches!(self, Format::Full | Format::Concise | Format::Github)
    }
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Files and directories to check (default: the current directory)
    pub paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value = "full", env = "ODOO_LINT_OUTPUT_FORMAT")]
    pub format: Format,

    /// CPUs of the host the stack runs on
    #[arg(long, value_name = "N")]
    pub cpus: Option<u32>,

    /// Memory of the host the stack runs on (16GiB, 16G, 512MiB, bytes)
    #[arg(long, value_name = "SIZE")]
    pub memory: Option<String>,

    /// Check this server: read its live configuration (/etc/odoo, /etc/odoo*.conf, nginx with its includes,
    /// /etc/postgresql/*/main, limits.conf and limits.d, the systemd units of Odoo, nginx and PostgreSQL
    /// with their drop-ins) and its CPUs and memory (cgroup-aware). With PATHS, read those and only the
    /// CPUs and memory
    #[arg(long)]
    pub system: bool,

    /// With --system: read the server's files under DIR (a copy of its tree) instead of /; its CPUs and
    /// memory are then not this machine's (give --cpus and --memory)
    #[arg(long, value_name = "DIR", requires = "system")]
    pub root: Option<PathBuf>,

    /// Only the findings that can cause this symptom, most likely first (502, 503, 504, 413, oom-kill,
    /// refused-start, lost-data, exposed, slow, silent)
    #[arg(long, value_name = "SYMPTOM")]
    pub symptom: Option<String>,

    /// Refuse inline `# odoo-lint: ignore[...]` comments: report what they would silence (for CI policy)
    #[arg(long)]
    pub no_inline_ignores: bool,

    /// Also show the findings silenced by suppressions, per-file-ignores or the baseline, with the
    /// reason (text formats, json-lines and sarif; json always lists them under `suppressed`)
    #[arg(long)]
    pub show_suppressed: bool,

    /// Write a suppression comment above every current finding, with REASON if given (a baseline in
    /// the files themselves for a repository that adopts odoo-lint)
    #[arg(long, value_name = "REASON", num_args = 0..=1, default_missing_value = "", conflicts_with_all = ["fix", "diff"])]
    pub add_ignores: Option<String>,

    /// Report only the findings that are not in FILE, a report written before with --format json or sarif
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// The PATHS are changed files (pre-commit): check, from the current directory, the whole stacks
    /// that hold them; a changed odoo-lint.toml checks every stack
    #[arg(long)]
    pub changed: bool,

    /// The Odoo major version (14 to 19); otherwise detected
    #[arg(long, value_name = "N")]
    pub odoo_version: Option<u32>,

    /// Lowest severity that makes the exit code 1: error, warning, info or never
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,

    /// Check only these rules (codes, prefixes like OL3, or names; comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,

    /// Check these rules too
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,

    /// Never report these rules
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,

    /// Use this odoo-lint.toml
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore every odoo-lint.toml
    #[arg(long)]
    pub isolated: bool,

    /// Read PATH as a file of KIND (odoo, nginx, postgresql, limits, systemd, compose)
    #[arg(long = "kind", value_name = "KIND=PATH")]
    pub kinds: Vec<String>,

    /// When to use colour
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,

    /// Print only the findings, no summary
    #[arg(long, short)]
    pub quiet: bool,

    /// Count findings by rule instead of listing them (a table; JSON with --format json or json-lines)
    #[arg(long, conflicts_with = "diff")]
    pub statistics: bool,

    /// Write the report to FILE instead of standard output (the summary still goes to standard error)
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "diff")]
    pub output_file: Option<PathBuf>,

    /// Print the fixes as a unified diff instead of applying them (exit 1 if there is one)
    #[arg(long, conflicts_with = "fix")]
    pub diff: bool,

    /// Apply the safe fixes, then report what remains
    #[arg(long)]
    pub fix: bool,

    /// Also apply (or show) fixes that change capacity or behaviour
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// With --fix: exit 1 when a fix was applied, even if nothing remains (for hooks)
    #[arg(long)]
    pub exit_non_zero_on_fix: bool,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Output format: text or json
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Only the rules behind a symptom (502, 503, 504, 413, oom-kill, refused-start, lost-data, exposed, slow, silent)
    #[arg(long)]
    pub symptom: Option<String>,
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        eprintln!(
            "odoo-lint: internal error{location}: {payload}\nThis is a bug in odoo-lint, not in your files. Please report it with the command you ran and, if you can, the files it read."
        );
    }));
    match std::panic::catch_unwind(|| {
        let cli = match command().try_get_matches().and_then(|m| Cli::from_arg_matches(&m)) {
            Ok(Cli { command: None, fix: true, unsafe_fixes }) => match shortcut_fix(unsafe_fixes) {
                Ok(c) => c,
                Err(e) => {
                    let _ = e.print();
                    return ExitCode::from(2);
                }
            },
            Ok(c) => c,
            Err(e) => {
                let code = if e.use_stderr() { 2 } else { 0 };
                let _ = e.print();
                return ExitCode::from(code);
            }
        };
        run(cli)
    }) {
        Ok(code) => code,
        Err(_) => ExitCode::from(2),
    }
}

/// The command line as clap sees it, with `--version` also saying how many rules this build
/// has (used by the parser, `completions` and `man`).
pub fn command() -> clap::Command {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let version = VERSION.get_or_init(|| format!("{} ({} rules)", env!("CARGO_PKG_VERSION"), REGISTRY.len()));
    Cli::command().version(version.as_str())
}

/// The manual page (roff): the command's page, then a section per subcommand with its
/// synopsis and options, so that `man odoo-lint` documents the flags of `check` too.
fn manual() -> std::io::Result<String> {
    let mut cmd = command();
    cmd.build();
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone()).source(format!("odoo-lint {}", env!("CARGO_PKG_VERSION"))).render(&mut buf)?;
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let man = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        man.render_synopsis_section(&mut part)?;
        man.render_options_section(&mut part)?;
        let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default().replace('\\', "\\\\").replace('-', "\\-");
        buf.extend_from_slice(format!(".SH \"ODOO\\-LINT {}\"\n{about}\n", sub.get_name().to_uppercase()).as_bytes());
        // the subcommand's sections become subsections of its own
        buf.extend_from_slice(
            String::from_utf8_lossy(&part)
                .replace(".SH SYNOPSIS", ".SS Synopsis")
                .replace(".SH OPTIONS", ".SS Options")
                .as_bytes(),
        );
    }
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("odoo-lint: {message}");
    ExitCode::from(2)
}

/// `odoo-lint --fix`: `check --system --fix` on an Odoo server, `check . --fix` elsewhere.
fn shortcut_fix(unsafe_fixes: bool) -> Result<Cli, clap::Error> {
    let server = crate::discover::is_odoo_server(std::path::Path::new("/"));
    let mut argv = vec!["odoo-lint", "check"];
    argv.push(if server { "--system" } else { "." });
    argv.push("--fix");
    if unsafe_fixes {
        argv.push("--unsafe-fixes");
    }
    eprintln!(
        "odoo-lint: {}: running `{}`",
        if server { "an Odoo configuration is in /etc" } else { "no Odoo configuration in /etc" },
        argv.join(" ")
    );
    command().try_get_matches_from(argv).and_then(|m| Cli::from_arg_matches(&m))
}

pub fn run(cli: Cli) -> ExitCode {
    let Some(cmd) = cli.command else {
        let _ = command().print_help();
        return ExitCode::from(2);
    };
    match cmd {
        Command::Check(args) => check(*args),
        Command::Rules(args) => rules(args),
        Command::Rule { code } => rule(&code),
        Command::Tune(args) => crate::tune::command::run(args),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut command(), "odoo-lint", &mut buf);
            out(&String::from_utf8_lossy(&buf));
            ExitCode::SUCCESS
        }
        Command::Man => match manual() {
            Ok(page) => {
                out(&page);
                ExitCode::SUCCESS
            }
            Err(e) => usage_error(format!("could not render the manual page: {e}")),
        },
    }
}

fn out(s: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = stdout.write_all(s.as_bytes());
}

fn check(args: CheckArgs) -> ExitCode {
    if args.statistics && matches!(args.format, Format::Sarif | Format::Gitlab | Format::Junit) {
        return usage_error(
            "--statistics prints a table, or JSON with --format json or json-lines; it has no sarif, gitlab or junit form",
        );
    }
    // --system with no paths: the live configuration of this server (or of a copy, --root)
    let live = args.system && args.paths.is_empty() && args.kinds.is_empty();
    let root = args.root.clone().unwrap_or_else(|| PathBuf::from("/"));
    if args.root.as_ref().is_some_and(|r| !r.is_dir()) {
        return usage_error(format!("--root {}: no such directory", root.display()));
    }
    let mut system_kinds: Vec<(FileKind, PathBuf)> = Vec::new();
    let paths = if live {
        let found = crate::discover::system_paths(&root);
        system_kinds = found.iter().map(|(p, k)| (*k, p.clone())).collect();
        let found: Vec<PathBuf> = found.into_iter().map(|(p, _)| p).collect();
        if found.is_empty() {
            return usage_error(format!(
                "--system: found no Odoo server configuration under {} (looked for /etc/odoo/*.conf, /etc/odoo*.conf, /etc/nginx, /etc/postgresql/*/main, /etc/security/limits.conf and the systemd units of Odoo, nginx and PostgreSQL)",
                root.display()
            ));
        }
        found
    } else if args.changed || args.paths.is_empty() {
        // --changed: its paths are the changed files; the stacks are found from here
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let config = if args.isolated {
        Config::default()
    } else if let Some(path) = &args.config {
        match config::load(path) {
            Ok(c) => c,
            Err(e) => return usage_error(e),
        }
    } else {
        match config::find(&paths[0]).map(|p| config::load(&p)) {
            Some(Ok(c)) => c,
            Some(Err(e)) => return usage_error(e),
            None => Config::default(),
        }
    };
    let memory = match args.memory.as_deref().map(|m| parse_human_bytes(m).ok_or(m)) {
        Some(Err(m)) => {
            return usage_error(format!("--memory {m}: not a size (try 16GiB, 16G or 512MiB)"));
        }
        Some(Ok(b)) => Some(b),
        None => None,
    };
    if args.cpus == Some(0) {
        return usage_error("--cpus must be at least 1");
    }
    let mut kinds = system_kinds;
    let mut extra_paths = Vec::new();
    for k in &args.kinds {
        let Some((kind, path)) = k.split_once('=') else {
            return usage_error(format!("--kind {k}: expected KIND=PATH"));
        };
        let Some(kind) = FileKind::parse(kind) else {
            return usage_error(format!("--kind {k}: unknown kind `{kind}` (odoo, nginx, postgresql, limits, systemd, compose)"));
        };
        kinds.push((kind, PathBuf::from(path)));
        extra_paths.push(PathBuf::from(path));
    }
    let mut all_paths = if args.paths.is_empty() && !extra_paths.is_empty() { Vec::new() } else { paths };
    for p in extra_paths {
        if !all_paths.contains(&p) {
            all_paths.push(p);
        }
    }
    let fail_on = match args.fail_on.as_deref().map(FailOn::parse).transpose() {
        Ok(Some(f)) => f,
        Ok(None) => match config.fail_on() {
            Ok(f) => f.unwrap_or(FailOn::Severity(crate::diagnostic::Severity::Warning)),
            Err(e) => return usage_error(e),
        },
        Err(e) => return usage_error(e),
    };
    let symptom = match args.symptom.as_deref().map(parse_symptom).transpose() {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    for (flag, list) in [("--select", &args.select), ("--extend-select", &args.extend_select), ("--ignore", &args.ignore)] {
        for sel in list {
            if !crate::rules::is_known_selector(sel) {
                return usage_error(format!("{flag} {sel}: `{sel}` {}", crate::rules::unknown_selector(sel)));
            }
        }
    }
    let baseline = match args.baseline.as_deref().map(crate::baseline::Baseline::load).transpose() {
        Ok(b) => b,
        Err(e) => return usage_error(e),
    };
    let selection = Selection {
        select: if args.select.is_empty() { config.file.select.clone().unwrap_or_default() } else { args.select.clone() },
        extend_select: [config.file.extend_select.clone(), args.extend_select.clone()].concat(),
        ignore: [config.file.ignore.clone(), args.ignore.clone()].concat(),
        severity: config.severities().unwrap_or_default(),
        per_file_ignores: config.per_file_ignores(),
        no_inline_ignores: args.no_inline_ignores,
        symptom,
        baseline,
    };
    // --changed: the stacks that hold a changed file (all of them when a configuration changed)
    let only_stacks_with = if args.changed {
        let config_changed = args.paths.iter().any(|p| p.file_name().is_some_and(|n| config::FILE_NAMES.iter().any(|c| n == *c)));
        if config_changed { None } else { Some(args.paths.clone()) }
    } else {
        None
    };
    let inputs = Inputs {
        paths: all_paths,
        kinds,
        cpus: args.cpus,
        memory,
        odoo_version: args.odoo_version,
        // a copied tree is not this machine: its CPUs and memory are not detected
        system: args.system && args.root.is_none(),
        overlay: Default::default(),
        root: args.root.clone().filter(|_| live),
        stack_name: live.then(|| match &args.root {
            Some(r) => format!("server at {}", r.display()),
            None => "this server".to_string(),
        }),
        only_stacks_with,
    };
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output_file.is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    if args.diff || args.fix {
        return fix_or_diff(&args, &inputs, &config, &selection, fail_on, color);
    }
    if let Some(reason) = &args.add_ignores {
        let ws = workspace::build(&inputs, &config);
        for e in &ws.errors {
            eprintln!("odoo-lint: {e}");
        }
        if ws.files.is_empty() {
            return no_files(&inputs, &ws.errors);
        }
        let outcome = lint::check(&ws.files, &ws.stacks, &selection);
        return add_ignores(&args, &inputs, &config, &selection, &ws, &outcome, reason, fail_on, color);
    }
    // every stack found, checked in parts on every core when they share no file
    let checked = crate::fleet::check(&inputs, &config, &selection);
    for e in &checked.errors {
        eprintln!("odoo-lint: {e}");
    }
    if checked.files.is_empty() {
        return no_files(&inputs, &checked.errors);
    }
    if args.changed && checked.stacks == 0 {
        if !args.quiet {
            eprintln!("odoo-lint: no stack holds the changed files; nothing to check");
        }
        return ExitCode::SUCCESS;
    }
    let outcome = &checked.outcome;
    if let Some(s) = symptom
        && !args.quiet
        && !args.format.is_document()
    {
        eprintln!("odoo-lint: only the findings that can cause {}, most likely first", symptom_words(s));
    }
    if !report(&args, &checked.files, checked.stacks, &outcome.diagnostics, &outcome.suppressed, color, None)
        || !checked.errors.is_empty()
    {
        return ExitCode::from(2);
    }
    exit_code(&outcome.diagnostics, fail_on)
}

/// A symptom named on the command line, with "did you mean" when it names none.
fn parse_symptom(s: &str) -> Result<Symptom, String> {
    let aliases = [("oom", "oom-kill"), ("timeout", "504"), ("gateway-timeout", "504"), ("bad-gateway", "502")];
    let s = aliases.iter().find(|(a, _)| a.eq_ignore_ascii_case(s.trim())).map(|(_, b)| *b).unwrap_or(s);
    Symptom::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Symptom::ALL.iter().map(|s| s.as_str()).collect();
        let close = crate::suggest::closest(s, &all).map(|c| format!("did you mean `{c}`? ")).unwrap_or_default();
        format!("unknown symptom `{s}`; {close}(one of: {})", all.join(", "))
    })
}

/// What a symptom is, for the line that heads `--symptom` output.
fn symptom_words(s: Symptom) -> &'static str {
    match s {
        Symptom::S502 => "502 Bad Gateway",
        Symptom::S503 => "503 Service Unavailable",
        Symptom::S504 => "504 Gateway Timeout",
        Symptom::S413 => "413 Request Entity Too Large",
        Symptom::OomKill => "OOM kills",
        Symptom::RefusedStart => "a service that refuses to start",
        Symptom::LostData => "lost data",
        Symptom::Exposed => "exposure to the outside",
        Symptom::Slow => "slowness",
        Symptom::Silent => "settings that silently do nothing",
    }
}

/// `--add-ignores`: writes the comments, then reports what is left.
#[allow(clippy::too_many_arguments)]
fn add_ignores(
    args: &CheckArgs,
    inputs: &Inputs,
    config: &Config,
    selection: &Selection,
    ws: &workspace::Workspace,
    outcome: &lint::Outcome,
    reason: &str,
    fail_on: FailOn,
    color: bool,
) -> ExitCode {
    let added = crate::suppress::add_ignores(&ws.files, &outcome.diagnostics, Some(reason));
    for l in &added.left {
        eprintln!("odoo-lint: {l}");
    }
    let mut failed = false;
    let mut count = 0;
    for (id, (bytes, n)) in &added.files {
        match crate::fix::write_atomic(&ws.files.source(*id).path, bytes) {
            Ok(()) => count += n,
            Err(e) => {
                eprintln!("odoo-lint: could not write the suppressions: {e}");
                failed = true;
            }
        }
    }
    let ws = workspace::build(inputs, config);
    let outcome = lint::check(&ws.files, &ws.stacks, selection);
    let line = format!("added {} in {}", render::plural(count, "suppression"), render::plural(added.files.len(), "file"));
    if !report(args, &ws.files, ws.stacks.len(), &outcome.diagnostics, &outcome.suppressed, color, Some(line)) || failed {
        return ExitCode::from(2);
    }
    exit_code(&outcome.diagnostics, fail_on)
}

/// Where a report goes; stops writing at the first failure (a closed pipe).
struct Sink<'a> {
    inner: &'a mut dyn Write,
    open: bool,
}

impl Sink<'_> {
    fn put(&mut self, s: &str) {
        let _ = self.write_all(s.as_bytes());
    }
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !self.open {
            return Err(std::io::ErrorKind::BrokenPipe.into());
        }
        let n = self.inner.write(buf);
        self.open = n.is_ok();
        n
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Renders findings in order, a batch at a time on every core when there are many (the full
/// format draws each finding's snippets: a fleet's thousands took seconds on one core).
fn render_in_order<T: Sync>(items: &[T], w: &mut Sink, render: impl Fn(&T) -> String + Sync) {
    use rayon::prelude::*;
    const BATCH: usize = 512;
    if items.len() < BATCH {
        for item in items {
            w.put(&render(item));
        }
        return;
    }
    for batch in items.chunks(BATCH) {
        let texts: Vec<String> = batch.par_iter().map(&render).collect();
        for t in &texts {
            w.put(t);
        }
        if !w.open {
            return;
        }
    }
}

fn no_files(inputs: &Inputs, errors: &[crate::discover::DiscoverError]) -> ExitCode {
    if errors.is_empty() {
        eprintln!(
            "odoo-lint: found no stack files under {} (looked for odoo.conf, nginx, postgresql.conf, limits.conf, systemd units and compose files)\n\
             hint: name a file whose kind odoo-lint cannot tell with `--kind KIND=PATH`; on the server itself, `odoo-lint check --system` reads /etc",
            inputs.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    ExitCode::from(2)
}

/// Prints the findings (or, with `--statistics`, their counts by rule) in the chosen format:
/// text formats end with the summary line, machine formats print one document. With
/// `--output-file` the report goes to the file and the summary to standard error. Returns
/// false when the file could not be written.
fn report(
    args: &CheckArgs,
    files: &crate::files::FileSet,
    stacks: usize,
    diags: &[Diagnostic],
    silenced: &[crate::suppress::Suppressed],
    color: bool,
    fixed_line: Option<String>,
) -> bool {
    let mut counts = lint::count(diags);
    counts.suppressed = silenced.len();
    // with --show-suppressed, the text formats show each silenced finding with a note saying why
    let shown_silenced: Vec<Diagnostic> =
        if args.show_suppressed { silenced.iter().map(|s| with_why(files, s)).collect() } else { Vec::new() };
    let listed: &[crate::suppress::Suppressed] = if args.show_suppressed { silenced } else { &[] };
    let width = if std::io::stdout().is_terminal() { terminal_width().unwrap_or(100) } else { 100 };
    let mut summary = render::summary(counts, stacks, files.len());
    if let Some(f) = fixed_line {
        summary = format!("{f}; {summary}");
    }
    // Written as it is made, to stdout (a fleet's report runs to tens of megabytes: no need to
    // hold it twice), or gathered for --output-file.
    let mut gathered: Vec<u8> = Vec::new();
    let mut sink: Box<dyn Write> = match &args.output_file {
        Some(_) => Box::new(&mut gathered),
        None => Box::new(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
    };
    // A closed pipe (`| head`) is not an error worth a message: the rest is not written.
    let mut w = Sink { inner: &mut *sink, open: true };
    if args.statistics {
        let stats = render::statistics::collect(diags);
        w.put(&match args.format {
            Format::Json => render::statistics::json(&stats, counts, stacks, files.len()) + "\n",
            Format::JsonLines => render::statistics::json_lines(&stats),
            _ => render::statistics::table(&stats),
        });
    } else {
        match args.format {
            Format::Full => {
                let style = Style { color, unicode: true, width };
                let all: Vec<&Diagnostic> = diags.iter().chain(&shown_silenced).collect();
                render_in_order(&all, &mut w, |d| render::full::render(files, d, style) + "\n");
            }
            Format::Concise => {
                render_in_order(diags, &mut w, |d| render::concise::render(files, d) + "\n");
                render_in_order(&shown_silenced, &mut w, |d| render::concise::render(files, d) + " (suppressed)\n");
            }
            Format::Github => w.put(&render::github::render(files, diags)),
            Format::Json => {
                let written = render::json::write_with(&mut w, files, diags, silenced, counts, stacks, files.len());
                if written.is_ok() {
                    w.put("\n");
                }
            }
            Format::JsonLines => w.put(&render::json_lines::render_with(files, diags, listed)),
            Format::Sarif => w.put(&(render::sarif::render_with(files, diags, listed) + "\n")),
            Format::Gitlab => w.put(&(render::gitlab::render(files, diags) + "\n")),
            Format::Junit => w.put(&(render::junit::render(files, diags) + "\n")),
        }
    }
    let document = args.format.is_document();
    if !document && !args.quiet {
        w.put(&summary);
        w.put("\n");
    }
    let _ = w.inner.flush();
    drop(sink);
    let Some(path) = &args.output_file else {
        return true;
    };
    let text = gathered;
    // An existing file is replaced atomically (mode and owner kept); a new one is created.
    let written = if path.exists() {
        crate::fix::write_atomic(path, &text).map_err(|e| e.to_string())
    } else {
        std::fs::write(path, &text).map_err(|e| format!("{}: {e}", path.display()))
    };
    match written {
        Ok(()) => {
            if !args.quiet {
                eprintln!("{summary}");
            }
            true
        }
        Err(e) => {
            eprintln!("odoo-lint: could not write the report: {e}");
            false
        }
    }
}

/// A silenced finding with a note saying what silenced it.
fn with_why(files: &crate::files::FileSet, s: &crate::suppress::Suppressed) -> Diagnostic {
    let mut d = s.diagnostic.clone();
    let reason = s.by.reason.as_deref().map(|r| format!(": {r}")).unwrap_or_default();
    let note = match s.by.at {
        Some(span) => {
            let src = files.source(span.file);
            format!(
                "suppressed by `{}` ({}:{}){reason}",
                span.range.of(&src.text).trim_end(),
                src.display,
                src.line_of(span.range.start as usize) + 1
            )
        }
        None => format!("suppressed ({}){reason}", s.by.kind),
    };
    d.notes.push(note);
    d
}

fn fix_or_diff(
    args: &CheckArgs,
    inputs: &Inputs,
    config: &Config,
    selection: &Selection,
    fail_on: FailOn,
    color: bool,
) -> ExitCode {
    let level = if args.unsafe_fixes { Applicability::Unsafe } else { Applicability::Safe };
    let fixed = crate::fix::run(inputs, config, selection, level);
    for e in &fixed.workspace.errors {
        eprintln!("odoo-lint: {e}");
    }
    if fixed.workspace.files.is_empty() {
        return no_files(inputs, &fixed.workspace.errors);
    }
    for r in &fixed.refused {
        eprintln!("odoo-lint: {r}");
    }
    let mut codes: Vec<&str> = fixed.files.values().flat_map(|f| f.codes.iter().map(|c| c.2)).collect();
    codes.sort_unstable();
    codes.dedup();
    if args.diff {
        let mut text = String::new();
        for f in fixed.files.values() {
            text.push_str(&f.diff());
        }
        out(&text);
        if !args.quiet {
            let unsafe_hint = if !args.unsafe_fixes
                && fixed.remaining.iter().any(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Unsafe))
            {
                " (more with --unsafe-fixes)"
            } else {
                ""
            };
            if fixed.files.is_empty() {
                eprintln!("odoo-lint: no fixes to apply{unsafe_hint}");
            } else {
                eprintln!(
                    "odoo-lint: {} fixes in {} files would apply: {}{unsafe_hint}",
                    fixed.applied,
                    fixed.files.len(),
                    codes.join(", ")
                );
            }
        }
        return if fixed.files.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) };
    }
    let mut failed = false;
    for (path, f) in &fixed.files {
        if let Err(e) = crate::fix::write_atomic(path, &f.fixed) {
            eprintln!("odoo-lint: could not write the fixes: {e}");
            failed = true;
        }
    }
    let line = if fixed.files.is_empty() {
        None
    } else {
        Some(format!(
            "fixed {} in {} ({})",
            render::plural(fixed.applied, "problem"),
            render::plural(fixed.files.len(), "file"),
            codes.join(", ")
        ))
    };
    let reported =
        report(args, &fixed.workspace.files, fixed.workspace.stacks.len(), &fixed.remaining, &fixed.suppressed, color, line);
    if failed || !reported || !fixed.workspace.errors.is_empty() {
        return ExitCode::from(2);
    }
    if args.exit_non_zero_on_fix && !fixed.files.is_empty() {
        return ExitCode::from(1);
    }
    exit_code(&fixed.remaining, fail_on)
}

fn exit_code(diags: &[Diagnostic], fail_on: FailOn) -> ExitCode {
    if diags.iter().any(|d| fail_on.fails(d.severity)) { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

fn terminal_width() -> Option<usize> {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w: &usize| w >= 40)
}

fn rules(args: RulesArgs) -> ExitCode {
    let symptom = match args.symptom.as_deref().map(parse_symptom).transpose() {
        Ok(s) => s,
        Err(e) => return usage_error(e),
    };
    let list: Vec<_> = REGISTRY.iter().map(|r| r.meta()).filter(|m| symptom.is_none_or(|s| m.symptoms.contains(&s))).collect();
    match args.format.as_str() {
        "json" => {
            let items: Vec<serde_json::Value> = list
                .iter()
                .map(|m| {
                    serde_json::json!({
                        "code": m.code, "name": m.name, "severity": m.severity.as_str(), "fix": m.fix.as_str(),
                        "symptoms": m.symptoms.iter().map(|s| s.as_str()).collect::<Vec<_>>(), "summary": m.summary,
                    })
                })
                .collect();
            out(&format!("{}\n", serde_json::to_string_pretty(&items).unwrap_or_default()));
        }
        "text" => {
            let mut text = format!("{:<6} {:<32} {:<8} {:<7} {}\n", "code", "name", "severity", "fix", "fires when");
            for m in list {
                text.push_str(&format!(
                    "{:<6} {:<32} {:<8} {:<7} {}\n",
                    m.code,
                    m.name,
                    m.severity.as_str(),
                    m.fix.as_str(),
                    m.summary
                ));
            }
            out(&text);
        }
        other => return usage_error(format!("--format {other}: expected text or json")),
    }
    ExitCode::SUCCESS
}

fn rule(code: &str) -> ExitCode {
    match crate::rules::find(code) {
        Some(r) => {
            let m = r.meta();
            let symptoms: Vec<&str> = m.symptoms.iter().map(|s| s.as_str()).collect();
            out(&format!(
                "{} {}\nseverity: {}   fix: {}   symptoms: {}\n\n{}",
                m.code,
                m.name,
                m.severity.as_str(),
                m.fix.as_str(),
                symptoms.join(", "),
                m.body()
            ));
            ExitCode::SUCCESS
        }
        None => {
            let names: Vec<&str> = REGISTRY.iter().map(|r| r.meta().name).collect();
            let close = crate::suggest::closest(code, &names);
            usage_error(format!("no rule `{code}`{}", close.map(|c| format!("; did you mean `{c}`?")).unwrap_or_default()))
        }
    }
}
