//! Every option that Odoo 14 to 19 reads from the `[options]` section of odoo.conf, as each
//! version's `odoo/tools/config.py` declares and reads it.
//!
//! Rules need this table. OL002 (unknown-option) asks whether a key exists in the detected
//! version and which name was probably meant. OL003 (deprecated-option) asks what the
//! version does with an old name. OL005 (invalid-value) and OL008 (boolean-misread) ask how
//! the file's text is turned into a value.
//!
//! # Sources
//! odoo/odoo cannot be fetched whole, so each branch was read in a dated copy. Line numbers
//! refer to `odoo/tools/config.py` in these copies:
//! - 14.0: `ShaheenHossain/modcom_14c@35a3df82` (Oct 2021; rebranded comments only). Second
//!   copy: `erp-texh-2022/odoo_14ent_source@3e2649e2` (same options, older help text).
//!   `camptocamp/odoo@b7a4d5d1` (index id 1439070079) was also read.
//! - 15.0: `loujti/odoo-15.0.post20220805@c6c7c4e6` (nightly of 2022-08-05).
//! - 16.0: `NguyenDanhBinhGiang/odoo-16-e@09ac4595` (Oct 2022). Second copies:
//!   `alfarisye/odoo_16@1be6a65e` (Feb 2023) and `OCA/OCB@8e3d5684` (index id 11261333953, late
//!   16.0; its OCB-only `--proxy-x-*` options are left out).
//! - 17.0: `ashkan-farivarmoheb/odoo-17.0@63ff2312` (Jan 2024).
//! - 18.0: `Coolyce/neudibel_4levels_odoo_18ent@9c226f8e` (base of Sep 2024). Second copy:
//!   `EdenApps/eden@fdf80e1b` `eden/tools/config.py` (a fork of Feb 2025, which adds
//!   `limit_time_worker_cron`).
//! - 19.0: index file id 215218456 (55 230 chars; positions below are character offsets).
//!   The declarations were checked against `7ananSaif/odoo@369c8bd0` (index id 70355672156,
//!   a later 19-series copy, version not verified). That copy also has `-t` for `--test-tags`
//!   and `--skip-auto-install`, which are not in the table because they are UNVERIFIED for 19.0.
//!
//! For 14 to 18, the behaviour described below was also checked by running each copy's
//! `config.py` (with stub `odoo` modules, Python 3.11, UTF-8 locale) on about 90 probe files.
//! 19 was not run: its parts come from reading the source.
//!
//! # (a) 14–18: which file values are cast, and how
//! `load()` (14: lines 598–628, 18: lines 661–691) stores *every* key of `[options]` in
//! `self.options`, known or not, after renaming `xmlrpc_port`, `xmlrpc_interface` and `xmlrpc`.
//! The only conversion there is: exactly `True` or `true` becomes the boolean `True`, and exactly
//! `False` or `false` becomes `False`. Other sections go to `config.misc` with the same rule.
//! `_parse_config` then walks three key lists (14: lines 438/462/473, 18: lines 469/495/506) with:
//! ```text
//! if getattr(opt, arg, None) is not None:          # a CLI value wins
//!     self.options[arg] = getattr(opt, arg)
//! elif isinstance(self.options[arg], str) and self.casts[arg].type in optparse.Option.TYPE_CHECKER:
//!     self.options[arg] = optparse.Option.TYPE_CHECKER[self.casts[arg].type](self.casts[arg], arg, self.options[arg])
//! ```
//! (14: lines 448–455 and 485–490; 18: lines 483–487 and 518–522). `TYPE_CHECKER` only has
//! `int`, `long`, `float`, `complex` and `choice`, and every declared option of those types is
//! in one of the lists (checked for every copy). So exactly the int, float and choice options
//! are cast:
//! - int uses optparse's `_parse_num`. A `0x` prefix means hex and `0b` means binary. Any other
//!   leading `0` means octal: `010` is 8 and `08` fails. A sign only works on decimals: `-010`
//!   is -10 and `-0x10` fails. `_` separators are accepted.
//! - float uses Python's `float()`, which accepts `1e1` and `inf` and rejects `0x1`.
//! - choice is an exact, case-sensitive match: `log_level = DEBUG` fails.
//!
//! A failed cast raises `OptionValueError`. Nothing catches it, so Odoo stops at startup.
//!
//! Flags (store_true/store_false), strings, paths and keys Odoo does not declare are never cast.
//! Any text other than the four boolean spellings stays a string, and a non-empty string is
//! truthy: `list_db = no`, `list_db = 0` and `proxy_mode = off` all mean *on*.
//! - An empty value (`workers =`) is `''`. On an int or choice option the cast fails and Odoo
//!   stops. On a flag, `''` is falsy, so `list_db =` turns the list off.
//! - `True`/`true` on an int option is the boolean `True`, never cast, so it acts as 1 (for
//!   example `workers = True` gives one worker, derived from server.py and not run).
//!   `False`/`false` acts as 0 or "unset", so `db_port = False` leaves libpq's default.
//! - `None` on an int option is the string `'None'`, the cast fails, and Odoo stops. On other
//!   options it stays the string `'None'`, except in the special cases of (d).
//!
//! # (b) 19: how the file is parsed
//! `_load_file_options` (offset 48805) takes each `(name, value)`:
//! - `without_demo` is rewritten into `with_demo`, inverted.
//! - An unknown name is logged as a WARNING ("unknown option %r in the config file at %s,
//!   option stored as-is, without parsing") and stored raw. Aliases are stored raw without a
//!   warning (see [`RENAMES`]).
//! - Options that are not `file_loadable` are skipped silently: config, save, init, update,
//!   reinit, import_partial, test_file, test_enable, test_tags and stop_after_init.
//! - `False`/`false` on an option that is not a flag is skipped with a WARNING ("isn't a
//!   boolean option, skip"), so the default stays. For example `admin_passwd = False` leaves
//!   the password `admin`, and `db_host = False` leaves it `''`.
//! - Any other value goes through `parse()` (offset 47467):
//!   - `'None'` becomes Python `None`, for every option.
//!   - Flags go through `_check_bool` (offset 46491). Lowercased, `1`, `yes`, `true` and `on`
//!     are true, and `0`, `no`, `false` and `off` are false. Anything else raises
//!     `OptionValueError`.
//!   - Other options use `TYPE_CHECKER[type]`:
//!     - int: `int(value)` (decimal only: `010` is 10, `0x10` fails)
//!     - float: `float(value)`
//!     - string: kept as written
//!     - choice: optparse's `check_choice`
//!     - bool: `_check_bool`
//!     - path: `_normalize` (expandvars, expanduser, abspath, realpath, normcase)
//!     - comma: split on `,`, stripped, empties dropped
//!     - addons_path, upgrade_path, pre_upgrade_scripts: comma lists of normalised paths;
//!       missing ones are skipped with a WARNING
//!     - without_demo: an inverted boolean; an invalid value gives a WARNING, not a stop.
//!
//! Only `IOError` and `NoSectionError` are caught, so an invalid value stops Odoo. That covers
//! a bad boolean, a bad choice, `int('4 ; x')`, and an empty value on an int, float, choice or
//! bool option. An empty string, path or comma option gives `''`, `''` or `[]`.
//!
//! # (c) How the file is opened (every version)
//! Every version does `p = ConfigParser.RawConfigParser(); p.read([rcfile])`, without an
//! `encoding=` argument (14: lines 604–606, 18: lines 667–669, 19: right after offset 48805).
//! The file is therefore decoded with the locale's encoding. That is UTF-8 under `C.UTF-8`, under
//! any UTF-8 locale, and under the plain C/POSIX locale (Python 3.7+ coerces it to UTF-8).
//! - Under a UTF-8 locale, a UTF-8 BOM stays as U+FEFF in front of `[options]`. That raises
//!   `MissingSectionHeaderError`, which is not caught, so Odoo refuses to start.
//! - Under a UTF-8 locale, a Latin-1 byte that is not valid UTF-8 raises `UnicodeDecodeError`,
//!   so Odoo refuses to start too.
//! - Under a Latin-1 locale, Latin-1 bytes are read fine and the BOM becomes `ï»¿`. That still
//!   gives a missing section header. (Derived, not run.)
//! - A missing file is skipped silently. A section named `[Options]` (section names are
//!   case-sensitive) leads to `NoSectionError`, which is caught, so Odoo runs on its defaults.
//! - Keys of a `[DEFAULT]` section are inherited by `[options]`.
//!
//! These points were run for 14–18 under a UTF-8 locale.
//!
//! # (d) Values special-cased after loading
//! 14–18 (`_parse_config`; 14: lines 425–541, 18: lines 456–576):
//! - `logfile` or `pidfile` equal to `None`/`False` are disabled.
//! - `test_tags = None` becomes `None`.
//! - `server_wide_modules` equal to `''` or `None` becomes `base,web`. A file `False` (already
//!   a boolean) is not in that tuple, so `.split` fails later and startup crashes. A
//!   `log_handler` of `True`/`False` crashes the same way, on `.extend`.
//! - An empty or `None` `addons_path` falls back to the built-in addons. Other entries are
//!   normalised but not checked when they come from the file.
//! - `upgrade_path` entries are normalised.
//! - `init`, `update`, `translate_modules`, `dev_mode`, `test_enable`, `demo` and `root_path`
//!   are recomputed from the command line, so a value in the file is lost.
//! - `pg_path` is replaced by `--pg_path` when that flag is given.
//! - A string `log_handler` is split on `,`, and CLI handlers are appended.
//! - These paths are normalised: data_dir, logfile, pidfile, test_file, screencasts,
//!   screenshots, pg_path, translate_out, translate_in, and geoip_database (14–16) or
//!   geoip_city_db and geoip_country_db (17–18). `None` therefore becomes `./None`.
//! - In 17–18, a comma in `db_name` together with `-i`/`-u` is an error.
//! - Off POSIX, the multiprocessing keys are forced to `None`.
//! - The deprecated aliases are handled in `_warn_deprecated_options` (see [`RENAMES`]).
//!
//! 19 (`_postprocess_options`, offset 37086):
//! - `syslog` together with `logfile` is an error, as is more than one `db_name` with `-i`/`-u`.
//! - An empty `server_wide_modules` becomes `base,rpc,web`, and `base` and `web` are always added.
//! - `log_handler` is merged from the default, the file, the environment and the CLI.
//! - `db_replica_host = ` (empty) becomes `None` and adds `dev_mode` `replica`.
//! - `all` in `dev_mode` expands.
//! - `_warn_deprecated_options` (offset 41349) drops an empty file `http_interface` and warns
//!   when the default 0.0.0.0 is used. It also resolves the aliases.
//!
//! # (e) `limit_time_worker_cron`
//! - In 19.0 (offset 26867).
//! - In the Feb 2025 18.0 copy (`eden/tools/config.py` line 317). It is in the first key list,
//!   so it is cast as an int.
//! - Not in the Sep 2024 18.0 copy, and not in any 16.0 or 17.0 copy.
//!
//! It was added by odoo/odoo#194141 (Jan 2025). That PR's hunk `@@ -314,6 +314,11 @@ def
//! __init__(self, fname=None)` has `--max-cron-threads` at line 314, which is where 18.0 has
//! it (16.0 and 17.0 have it at line 313). A backport to 16.0 or 17.0 is UNVERIFIED.

use std::fmt;

/// The oldest Odoo major version the table describes.
pub const FIRST_MAJOR: u8 = 14;
/// The newest Odoo major version the table describes.
pub const LAST_MAJOR: u8 = 19;

/// A set of Odoo major versions within [`FIRST_MAJOR`]`..=`[`LAST_MAJOR`] (one bit each).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Versions(u8);

impl Versions {
    /// No version.
    pub const NONE: Versions = Versions(0);
    /// Every version the table knows.
    pub const ALL: Versions = Versions::span(FIRST_MAJOR, LAST_MAJOR);

    /// The versions `first..=last`, clipped to the versions the table knows.
    pub const fn span(first: u8, last: u8) -> Versions {
        let mut bits = 0u8;
        let mut v = first as u16;
        while v <= last as u16 {
            if v >= FIRST_MAJOR as u16 && v <= LAST_MAJOR as u16 {
                bits |= 1 << (v - FIRST_MAJOR as u16);
            }
            v += 1;
        }
        Versions(bits)
    }

    /// Just `major` (empty if the table does not know that version).
    pub const fn only(major: u8) -> Versions {
        Versions::span(major, major)
    }

    /// Both sets together.
    pub const fn with(self, other: Versions) -> Versions {
        Versions(self.0 | other.0)
    }

    /// Whether `major` is in the set.
    pub const fn contains(self, major: u8) -> bool {
        major >= FIRST_MAJOR && major <= LAST_MAJOR && self.0 & (1 << (major - FIRST_MAJOR)) != 0
    }

    /// Whether every version of `self` is also in `other`.
    pub const fn is_subset_of(self, other: Versions) -> bool {
        self.0 & !other.0 == 0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The versions in the set, oldest first.
    pub fn iter(self) -> impl Iterator<Item = u8> {
        (FIRST_MAJOR..=LAST_MAJOR).filter(move |&v| self.contains(v))
    }
}

impl fmt::Display for Versions {
    /// `14–16, 18`, `19`, or `none`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut runs: Vec<(u8, u8)> = Vec::new();
        for v in self.iter() {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == v => *last = v,
                _ => runs.push((v, v)),
            }
        }
        if runs.is_empty() {
            return f.write_str("none");
        }
        for (i, (a, b)) in runs.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            if a == b {
                write!(f, "{a}")?;
            } else {
                write!(f, "{a}–{b}")?;
            }
        }
        Ok(())
    }
}

/// `--log-level` choices, in Odoo's order (the same in 14–19).
pub const LOG_LEVELS: &[&str] =
    &["info", "debug_rpc", "warn", "test", "critical", "runbot", "debug_sql", "error", "debug", "debug_rpc_answer", "notset"];

/// `--db_sslmode` choices (the same in 14–19).
pub const SSL_MODES: &[&str] = &["disable", "allow", "prefer", "require", "verify-ca", "verify-full"];

/// How Odoo turns the text of a file value into a value.
///
/// An option has one `Reading` for 14–18 ([`OdooOption::legacy`]) and one for 19
/// ([`OdooOption::modern`]), because the two configuration managers differ. In 14–18, every
/// value first goes through `load()`, which turns exactly `True`/`true`/`False`/`false` into
/// booleans; the variants below describe what happens after that.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reading {
    /// An integer, converted at startup, where a bad value stops Odoo.
    /// 14–18: optparse's `_parse_num`: `0x` hex, `0b` binary, another leading `0` octal
    /// (`010` = 8, `08` is an error), a sign only on decimals, `_` allowed; a file
    /// `True`/`False` is not cast and acts as 1/0. 19: Python's `int()`: decimal only (`010` =
    /// 10, `0x10` is an error); `False` is skipped with a warning and `None` gives `None`.
    Int,
    /// An integer that config.py does not cast: the code that uses it calls Python's `int()`
    /// (decimal only), so a bad value fails only when that code runs.
    IntAtUse,
    /// A float: Python's `float()` (`1e1`, `inf` and `nan` are accepted), at startup.
    Float,
    /// A float that config.py does not cast; `float()` is applied where it is used.
    FloatAtUse,
    /// One of a fixed list of strings, matched exactly (case-sensitive); anything else stops
    /// Odoo at startup.
    Choice(&'static [&'static str]),
    /// A boolean switch. 14–18: never cast: only `True`/`true`/`False`/`false` are booleans,
    /// any other text stays a string that is truthy unless empty (`no`, `0` and `off` all mean
    /// on). 19: `1`/`yes`/`true`/`on` and `0`/`no`/`false`/`off` in any case; anything else,
    /// the empty value included, stops Odoo; `None` gives `None`.
    Bool,
    /// Free text, kept as written.
    Str,
    /// A filesystem path that Odoo normalises (expandvars, expanduser, abspath, realpath; 19
    /// also normcase). In 14–18 `None` becomes the relative path `./None`, except for `logfile`
    /// and `pidfile`, where `None` turns the log file or pid file off.
    Path,
    /// A comma-separated list (14–18 split it after loading; 19 strips items and drops
    /// empty ones).
    List,
    /// A comma-separated list of directories, each normalised. 19 skips missing ones with a
    /// warning.
    PathList,
    /// The `without_demo` switch. 14–18: `all`, a list of modules, or a boolean (truthy = no
    /// demo data). 19: translated into the inverse of `with_demo`; an invalid boolean logs a
    /// warning and means "no demo".
    DemoSwitch,
}

/// One command-line flag of an option, and the versions that accept it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Flag {
    pub name: &'static str,
    pub versions: Versions,
    /// Hidden from `--help` (optparse `SUPPRESS_HELP`), like the `--xmlrpc-*` flags of 14–18.
    pub hidden: bool,
}

/// A flag shown by `--help` (table shorthand).
const fn flag(name: &'static str, versions: Versions) -> Flag {
    Flag { name, versions, hidden: false }
}

/// A flag hidden from `--help` (table shorthand).
const fn hidden_flag(name: &'static str, versions: Versions) -> Flag {
    Flag { name, versions, hidden: true }
}

/// The default of an option in some versions, as Python source text from Odoo's code.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct VersionedDefault {
    pub versions: Versions,
    pub python: &'static str,
}

/// A default (table shorthand).
const fn default(versions: Versions, python: &'static str) -> VersionedDefault {
    VersionedDefault { versions, python }
}

/// One key of `[options]`, across versions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct OdooOption {
    /// The file key (optparse `dest`).
    pub key: &'static str,
    /// Versions whose config.py declares this key, either through `add_option(dest=...)` or in
    /// 14–18's initial `self.options` dict (the file-only options).
    pub declared: Versions,
    /// Versions where config.py does not declare the key, but a value in `[options]` is still
    /// used: core code reads it with `config.get(...)`, or (19's `without_demo`) the loader
    /// special-cases it.
    pub also_read: Versions,
    /// Versions in which a value written in `[options]` takes effect. The rest of
    /// `declared | also_read` are CLI-only there: the file value is dropped or overwritten.
    pub file_effect: Versions,
    /// Command-line flags, each with the versions that have it.
    pub flags: &'static [Flag],
    /// How 14–18 read the file value; `None` when the key exists only in 19.
    pub legacy: Option<Reading>,
    /// How 19 reads the file value; `None` when the key does not exist in 19.
    pub modern: Option<Reading>,
    /// Defaults as Odoo's source writes them, one entry per run of versions with the same
    /// default; together they cover exactly the versions where the key exists.
    pub defaults: &'static [VersionedDefault],
    /// The environment variable 19 reads for this option (`ODOO_<KEY>`, or a libpq name for
    /// the database options); `None` before 19 and for options 19 does not load from files.
    pub env19: Option<&'static str>,
    /// The one-line `--help` text of the newest version that has a flag for it. Empty for
    /// file-only options, which `--help` does not list.
    pub help: &'static str,
    /// What is special about this key, per version; empty if nothing.
    pub note: &'static str,
}

impl OdooOption {
    /// Versions in which Odoo knows this key (declared or read by core code).
    pub const fn versions(&self) -> Versions {
        self.declared.with(self.also_read)
    }

    /// Whether Odoo `major` knows this key.
    pub const fn exists_in(&self, major: u8) -> bool {
        self.versions().contains(major)
    }

    /// Whether a value for this key in `[options]` takes effect in Odoo `major`.
    pub const fn read_from_file(&self, major: u8) -> bool {
        self.file_effect.contains(major)
    }

    /// How Odoo `major` reads the file value (`None` if the key does not exist there).
    pub const fn reading(&self, major: u8) -> Option<Reading> {
        if !self.exists_in(major) {
            None
        } else if major >= 19 {
            self.modern
        } else {
            self.legacy
        }
    }

    /// The default in Odoo `major`, as Python source text.
    pub fn default_in(&self, major: u8) -> Option<&'static str> {
        self.defaults.iter().find(|d| d.versions.contains(major)).map(|d| d.python)
    }

    /// The command-line flags Odoo `major` accepts for this option, hidden ones included.
    pub fn flags_in(&self, major: u8) -> impl Iterator<Item = &'static str> + use<> {
        let flags: &'static [Flag] = self.flags;
        flags.iter().filter(move |f| f.versions.contains(major)).map(|f| f.name)
    }

    /// Known in `major` but without a command-line flag there: it can only be set in the file.
    pub fn is_file_only(&self, major: u8) -> bool {
        self.exists_in(major) && self.flags_in(major).next().is_none()
    }

    /// Known in `major` but not loadable from the file there: only the CLI sets it.
    pub const fn is_cli_only(&self, major: u8) -> bool {
        self.exists_in(major) && !self.read_from_file(major)
    }
}

/// What one Odoo version does with an old option name found in `[options]`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RenameEffect {
    /// Not renamed yet: the old name is the option itself in this version.
    Current,
    /// `load()` renames the key before storing it, so the value goes to the new option. If
    /// both names are in the file, the later line wins.
    Mapped,
    /// A deprecated alias that is still declared. A truthy value replaces the new option, even
    /// when that option is set too, and a `DeprecationWarning` is issued.
    Overrides,
    /// Honoured only while the new option keeps its default (with a `DeprecationWarning`).
    /// When both are set to different values, Odoo stops with an error. A value equal to the
    /// new option or to its default is dropped without a warning (19 logs it at INFO).
    FallbackOrConflict,
    /// Stored and never used, without any message.
    SilentlyIgnored,
    /// Logged as an unknown option (WARNING) and not used.
    WarnedIgnored,
}

impl RenameEffect {
    /// Whether the value written under the old name reaches Odoo.
    pub const fn honoured(self) -> bool {
        matches!(self, RenameEffect::Current | RenameEffect::Mapped | RenameEffect::Overrides | RenameEffect::FallbackOrConflict)
    }
}

/// An option that was renamed, and what each version does with the old name in the file.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Rename {
    pub old: &'static str,
    pub new: &'static str,
    /// The effects, which together cover 14–19.
    pub effects: &'static [(Versions, RenameEffect)],
    /// Source references and exceptions.
    pub note: &'static str,
}

impl Rename {
    /// What Odoo `major` does with the old name.
    pub fn effect_in(&self, major: u8) -> Option<RenameEffect> {
        self.effects.iter().find(|(v, _)| v.contains(major)).map(|&(_, e)| e)
    }
}

/// The renames timeline, checked against the sources in the module documentation.
pub static RENAMES: &[Rename] = &[
    Rename {
        old: "xmlrpc_port",
        new: "http_port",
        effects: &[(Versions::span(14, 18), RenameEffect::Mapped), (Versions::only(19), RenameEffect::WarnedIgnored)],
        note: "14-18 load(): outdated_options_map (14: line 599, 18: line 662). 19 has no map, so it is an unknown option.",
    },
    Rename {
        old: "xmlrpc_interface",
        new: "http_interface",
        effects: &[(Versions::span(14, 18), RenameEffect::Mapped), (Versions::only(19), RenameEffect::WarnedIgnored)],
        note: "As xmlrpc_port.",
    },
    Rename {
        old: "xmlrpc",
        new: "http_enable",
        effects: &[(Versions::span(14, 18), RenameEffect::Mapped), (Versions::only(19), RenameEffect::WarnedIgnored)],
        note: "As xmlrpc_port. The value is not cast, so only False/false turns HTTP off.",
    },
    Rename {
        old: "longpolling_port",
        new: "gevent_port",
        effects: &[
            (Versions::span(14, 15), RenameEffect::Current),
            (Versions::span(16, 17), RenameEffect::Overrides),
            (Versions::only(18), RenameEffect::SilentlyIgnored),
            (Versions::only(19), RenameEffect::WarnedIgnored),
        ],
        note: "16-17 _warn_deprecated_options: `if self.options['longpolling_port']` then it replaces gevent_port (17: lines 559-564). The 16.0 copy alfarisye/odoo_16@1be6a65e (Feb 2023) declared dest `gevent-port`, so the file key was silently ignored there (and `gevent-port = N` worked instead); the Oct 2022 and late (OCA/OCB) 16.0 copies use `longpolling_port`.",
    },
    Rename {
        old: "osv_memory_age_limit",
        new: "transient_age_limit",
        effects: &[
            (Versions::span(14, 16), RenameEffect::Overrides),
            (Versions::only(17), RenameEffect::SilentlyIgnored),
            (Versions::only(18), RenameEffect::FallbackOrConflict),
            (Versions::only(19), RenameEffect::WarnedIgnored),
        ],
        note: "14-16: cast as a float, then it replaces transient_age_limit when truthy (14: lines 543-549). 18: lines 579-612 (the raw string is copied, not cast).",
    },
    Rename {
        old: "geoip_database",
        new: "geoip_city_db",
        effects: &[
            (Versions::span(14, 16), RenameEffect::Current),
            (Versions::only(17), RenameEffect::SilentlyIgnored),
            (Versions::only(18), RenameEffect::FallbackOrConflict),
            (Versions::only(19), RenameEffect::WarnedIgnored),
        ],
        note: "The --geoip-db flag stays an alias of --geoip-city-db in 17-19. 18: lines 579-612.",
    },
    Rename {
        old: "import_image_maxbytes",
        new: "import_file_maxbytes",
        effects: &[(Versions::span(14, 18), RenameEffect::Current), (Versions::only(19), RenameEffect::FallbackOrConflict)],
        note: "19: configmanager.aliases plus _warn_deprecated_options (offset 41349). Odoo stores the old key raw without the unknown-option warning.",
    },
    Rename {
        old: "import_image_regex",
        new: "import_url_regex",
        effects: &[(Versions::span(14, 18), RenameEffect::Current), (Versions::only(19), RenameEffect::FallbackOrConflict)],
        note: "As import_image_maxbytes.",
    },
    Rename {
        old: "import_image_timeout",
        new: "import_file_timeout",
        effects: &[(Versions::span(14, 18), RenameEffect::Current), (Versions::only(19), RenameEffect::FallbackOrConflict)],
        note: "As import_image_maxbytes.",
    },
];

/// The option with this file key, in any version. Keys compare case-insensitively, because
/// configparser lower-cases them.
pub fn lookup(name: &str) -> Option<&'static OdooOption> {
    OPTIONS.iter().find(|o| o.key.eq_ignore_ascii_case(name))
}

/// Whether Odoo `major` knows the file key `name` as an option (renamed keys are in
/// [`rename`]).
pub fn exists_in(name: &str, major: u8) -> bool {
    lookup(name).is_some_and(|o| o.exists_in(major))
}

/// The options Odoo `major` knows, in key order.
pub fn options_for(major: u8) -> impl Iterator<Item = &'static OdooOption> {
    OPTIONS.iter().filter(move |o| o.exists_in(major))
}

/// The rename whose old name is `name`, if any.
pub fn rename(name: &str) -> Option<&'static Rename> {
    RENAMES.iter().find(|r| r.old.eq_ignore_ascii_case(name))
}

/// What Odoo `major` does with the key `name` in `[options]`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KeyStatus {
    /// A known option whose file value takes effect.
    Read(&'static OdooOption),
    /// A known option whose file value is dropped or overwritten in this version (CLI-only).
    Ignored(&'static OdooOption),
    /// An old name: the effect says what happens to it.
    Renamed(&'static Rename, RenameEffect),
    /// Not an option of this version. 14–18 store it silently; 19 logs a WARNING. Add-ons may
    /// still read it through `config.get`.
    Unknown,
}

/// Classifies one key of `[options]` for Odoo `major`. A rename wins over the main table when
/// the rename has moved on (so `longpolling_port` is `Renamed` in 16–19 and `Read` in 14–15).
pub fn key_status(name: &str, major: u8) -> KeyStatus {
    if let Some(r) = rename(name)
        && let Some(effect) = r.effect_in(major)
        && effect != RenameEffect::Current
    {
        return KeyStatus::Renamed(r, effect);
    }
    match lookup(name) {
        Some(o) if o.read_from_file(major) => KeyStatus::Read(o),
        Some(o) if o.exists_in(major) => KeyStatus::Ignored(o),
        _ => KeyStatus::Unknown,
    }
}

/// Keys longer than this get no edit-distance suggestion (a bound on the work per key).
const MAX_SUGGEST_LEN: usize = 64;

/// The key that an unknown or misspelt key most likely meant, among the keys Odoo `major`
/// reads from the file.
///
/// Returns `None` when `name` is already such a key, or when nothing is close. In order, it
/// tries:
/// 1. a command-line flag spelling: `db-filter` and `db_filter` give `dbfilter`, `log-level`
///    gives `log_level`, `database` gives `db_name`. `--no-*` flags are skipped because their
///    meaning is inverted.
/// 2. hyphens written for underscores (`limit-time-real`).
/// 3. a rename still honoured or replaced in that version (`xmlrpc_port` gives `http_port`).
/// 4. the nearest key by optimal-string-alignment (Damerau) distance, at most 1 to 3 edits
///    depending on the length.
pub fn closest(name: &str, major: u8) -> Option<&'static str> {
    let typed = name.trim().trim_start_matches('-').to_ascii_lowercase();
    if typed.is_empty() {
        return None;
    }
    let readable = |o: &&'static OdooOption| o.read_from_file(major);
    if lookup(&typed).is_some_and(|o| o.read_from_file(major)) {
        return None;
    }
    // 1. A CLI flag spelling.
    let dashed = typed.replace('_', "-");
    for spelling in [typed.as_str(), dashed.as_str()] {
        let found = OPTIONS
            .iter()
            .filter(readable)
            .find(|o| o.flags_in(major).any(|f| !f.starts_with("--no-") && f.trim_start_matches('-') == spelling));
        if let Some(o) = found {
            return Some(o.key);
        }
    }
    // 2. Hyphens for underscores.
    let underscored = typed.replace('-', "_");
    if let Some(o) = lookup(&underscored).filter(|o| o.read_from_file(major)) {
        return Some(o.key);
    }
    // 3. An old name whose new name this version reads.
    if let Some(r) = rename(&underscored)
        && lookup(r.new).is_some_and(|o| o.read_from_file(major))
    {
        return Some(r.new);
    }
    // 4. Edit distance.
    if underscored.chars().count() > MAX_SUGGEST_LEN {
        return None;
    }
    let budget = (underscored.chars().count() + 2) / 4;
    let budget = budget.clamp(1, 3);
    OPTIONS
        .iter()
        .filter(readable)
        .filter_map(|o| crate::suggest::distance_at_most(&underscored, o.key, budget).map(|d| (d, o.key)))
        .min()
        .map(|(_, key)| key)
}

/// Every key Odoo 14–19 knows in `[options]`, sorted by key. Generated from the sources listed
/// in the module documentation, and checked by the tests below.
pub static OPTIONS: &[OdooOption] = &[
    OdooOption {
        key: "addons_path",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--addons-path", Versions::span(14, 19))],
        legacy: Some(Reading::PathList),
        modern: Some(Reading::PathList),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "[]")],
        env19: Some("ODOO_ADDONS_PATH"),
        help: "specify additional addons paths (separated by commas).",
        note: "14-18: empty, `None` or absent -> odoo/addons and ../addons beside the code; file paths are normalised but not checked (only the CLI callback checks them). 19: missing or non-addons directories are skipped with a WARNING.",
    },
    OdooOption {
        key: "admin_passwd",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 19), "'admin'")],
        env19: Some("ODOO_ADMIN_PASSWD"),
        help: "",
        note: "File only. 14-18: `False` becomes a boolean, and an empty password forbids the database manager. 19: `False` on this non-boolean option is skipped with a WARNING, so the password stays `admin`.",
    },
    OdooOption {
        key: "apps_server",
        declared: Versions::NONE,
        also_read: Versions::span(14, 16),
        file_effect: Versions::span(14, 16),
        flags: &[],
        legacy: Some(Reading::Str),
        modern: None,
        defaults: &[default(Versions::span(14, 16), "'https://apps.odoo.com/apps'")],
        env19: None,
        help: "",
        note: "Not declared; read by ir.module.module.get_apps_server() through config.get (14-16).",
    },
    OdooOption {
        key: "bin_path",
        declared: Versions::only(19),
        also_read: Versions::span(14, 18),
        file_effect: Versions::span(14, 19),
        flags: &[],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "''")],
        env19: Some("ODOO_BIN_PATH"),
        help: "",
        note: "14-18: not declared, read raw by tools/misc.find_in_path (`None` means unset). 19: a declared file-only path.",
    },
    OdooOption {
        key: "config",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::NONE,
        flags: &[flag("-c", Versions::span(14, 19)), flag("--config", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Path),
        defaults: &[
            default(Versions::span(14, 18), "None"),
            default(
                Versions::only(19),
                "normalized '~/.odoorc' (Windows: odoo.conf beside the program; ~/.openerp_serverrc if present)",
            ),
        ],
        env19: Some("ODOO_RC"),
        help: "specify alternate config file",
        note: "Never read from the file: the file is chosen by -c, then ODOO_RC, then OPENERP_SERVER, then ~/.odoorc.",
    },
    OdooOption {
        key: "csv_internal_sep",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 19), "','")],
        env19: Some("ODOO_CSV_INTERNAL_SEP"),
        help: "",
        note: "",
    },
    OdooOption {
        key: "data_dir",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("-D", Versions::span(14, 19)), flag("--data-dir", Versions::span(14, 19))],
        legacy: Some(Reading::Path),
        modern: Some(Reading::Path),
        defaults: &[
            default(
                Versions::span(14, 18),
                "appdirs.user_data_dir('Odoo', 'OpenERP S.A.') (~/.local/share/Odoo); without $HOME: '/var/lib/odoo'",
            ),
            default(
                Versions::only(19),
                "appdirs.user_data_dir('Odoo', 'OpenERP S.A.') (~/.local/share/Odoo); without $HOME: '/var/lib/Odoo'",
            ),
        ],
        env19: Some("ODOO_DATA_DIR"),
        help: "Directory where to store Odoo data",
        note: "14-18: `None` is normalised to the relative directory `./None`; `False` becomes ''.",
    },
    OdooOption {
        key: "db_app_name",
        declared: Versions::only(19),
        also_read: Versions::NONE,
        file_effect: Versions::only(19),
        flags: &[flag("--db_app_name", Versions::only(19))],
        legacy: None,
        modern: Some(Reading::Str),
        defaults: &[default(Versions::only(19), "\"odoo-{pid}\"")],
        env19: Some("PGAPPNAME"),
        help: "specify the application name in the database, {pid} is substituted by the process pid",
        note: "",
    },
    OdooOption {
        key: "db_host",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--db_host", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("PGHOST"),
        help: "specify the database host",
        note: "",
    },
    OdooOption {
        key: "db_maxconn",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--db_maxconn", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "64")],
        env19: Some("ODOO_DB_MAXCONN"),
        help: "specify the maximum number of physical connections to PostgreSQL",
        note: "",
    },
    OdooOption {
        key: "db_maxconn_gevent",
        declared: Versions::span(17, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(17, 19),
        flags: &[flag("--db_maxconn_gevent", Versions::span(17, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(17, 18), "False"), default(Versions::only(19), "None")],
        env19: Some("ODOO_DB_MAXCONN_GEVENT"),
        help: "specify the maximum number of physical connections to PostgreSQL specifically for the gevent worker",
        note: "17-18: False means use db_maxconn; 19: None means the same.",
    },
    OdooOption {
        key: "db_name",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("-d", Versions::span(14, 19)), flag("--database", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::List),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "[]")],
        env19: Some("PGDATABASE"),
        help: "database(s) used when installing or updating modules.",
        note: "17+: a comma-separated list of several databases is accepted, and -i/-u are then refused. 19: parsed as a list.",
    },
    OdooOption {
        key: "db_password",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("-w", Versions::span(14, 19)), flag("--db_password", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("PGPASSWORD"),
        help: "specify the database password",
        note: "",
    },
    OdooOption {
        key: "db_port",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--db_port", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "None")],
        env19: Some("PGPORT"),
        help: "specify the database port",
        note: "",
    },
    OdooOption {
        key: "db_replica_host",
        declared: Versions::span(18, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(18, 19),
        flags: &[flag("--db_replica_host", Versions::span(18, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::only(18), "False"), default(Versions::only(19), "None")],
        env19: Some("PGHOST_REPLICA"),
        help: "specify the replica host",
        note: "19: an empty value is the 18.0 way of asking for a replica on the same server; it becomes None, adds dev_mode `replica` and a DeprecationWarning.",
    },
    OdooOption {
        key: "db_replica_port",
        declared: Versions::span(18, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(18, 19),
        flags: &[flag("--db_replica_port", Versions::span(18, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::only(18), "False"), default(Versions::only(19), "None")],
        env19: Some("PGPORT_REPLICA"),
        help: "specify the replica port",
        note: "",
    },
    OdooOption {
        key: "db_sslmode",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--db_sslmode", Versions::span(14, 19))],
        legacy: Some(Reading::Choice(SSL_MODES)),
        modern: Some(Reading::Choice(SSL_MODES)),
        defaults: &[default(Versions::span(14, 19), "'prefer'")],
        env19: Some("PGSSLMODE"),
        help: "specify the database ssl connection mode (see PostgreSQL documentation)",
        note: "",
    },
    OdooOption {
        key: "db_template",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--db-template", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 19), "\"template0\"")],
        env19: Some("PGDATABASE_TEMPLATE"),
        help: "specify a custom database template to create a new database",
        note: "",
    },
    OdooOption {
        key: "db_user",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("-r", Versions::span(14, 19)), flag("--db_user", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("PGUSER"),
        help: "specify the database user name",
        note: "",
    },
    OdooOption {
        key: "dbfilter",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--db-filter", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 19), "''")],
        env19: Some("ODOO_DBFILTER"),
        help: "Regular expressions for filtering available databases for Web UI. The expression can use %d (domain) and %h (host) placeholders.",
        note: "",
    },
    OdooOption {
        key: "default_productivity_apps",
        declared: Versions::only(19),
        also_read: Versions::span(16, 18),
        file_effect: Versions::span(16, 19),
        flags: &[],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(16, 19), "False")],
        env19: Some("ODOO_DEFAULT_PRODUCTIVITY_APPS"),
        help: "",
        note: "16-18: not declared; base_install_request tests its truthiness through config.get. 19: a declared file-only boolean.",
    },
    OdooOption {
        key: "dev_mode",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::only(19),
        flags: &[flag("--dev", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::List),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "[]")],
        env19: Some("ODOO_DEV"),
        help: "Enable developer features (comma-separated list, use \"all\" for access,reload,qweb,xml).",
        note: "14-18: the file value is discarded; only --dev is used. 19: read from the file as a comma list (`all` expands).",
    },
    OdooOption {
        key: "email_from",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--email-from", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("ODOO_EMAIL_FROM"),
        help: "specify the SMTP email address for sending email",
        note: "",
    },
    OdooOption {
        key: "from_filter",
        declared: Versions::span(15, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(15, 19),
        flags: &[flag("--from-filter", Versions::span(15, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(15, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("ODOO_FROM_FILTER"),
        help: "specify for which email address the SMTP configuration can be used",
        note: "",
    },
    OdooOption {
        key: "geoip_city_db",
        declared: Versions::span(17, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(17, 19),
        flags: &[flag("--geoip-city-db", Versions::span(17, 19)), flag("--geoip-db", Versions::span(17, 19))],
        legacy: Some(Reading::Path),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(17, 19), "'/usr/share/GeoIP/GeoLite2-City.mmdb'")],
        env19: Some("ODOO_GEOIP_CITY_DB"),
        help: "Absolute path to the GeoIP City database file.",
        note: "Replaces geoip_database from 17 (the --geoip-db flag is kept). See RENAMES.",
    },
    OdooOption {
        key: "geoip_country_db",
        declared: Versions::span(17, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(17, 19),
        flags: &[flag("--geoip-country-db", Versions::span(17, 19))],
        legacy: Some(Reading::Path),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(17, 19), "'/usr/share/GeoIP/GeoLite2-Country.mmdb'")],
        env19: Some("ODOO_GEOIP_COUNTRY_DB"),
        help: "Absolute path to the GeoIP Country database file.",
        note: "",
    },
    OdooOption {
        key: "geoip_database",
        declared: Versions::span(14, 16),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 16),
        flags: &[flag("--geoip-db", Versions::span(14, 16))],
        legacy: Some(Reading::Path),
        modern: None,
        defaults: &[default(Versions::span(14, 16), "'/usr/share/GeoIP/GeoLite2-City.mmdb'")],
        env19: None,
        help: "Absolute path to the GeoIP database file.",
        note: "Renamed geoip_city_db in 17. See RENAMES.",
    },
    OdooOption {
        key: "gevent_port",
        declared: Versions::span(16, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(16, 19),
        flags: &[flag("--gevent-port", Versions::span(16, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(16, 19), "8072")],
        env19: Some("ODOO_GEVENT_PORT"),
        help: "Listen port for the gevent worker",
        note: "",
    },
    OdooOption {
        key: "http_enable",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--no-http", Versions::span(14, 19)), hidden_flag("--no-xmlrpc", Versions::span(14, 18))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "True")],
        env19: Some("ODOO_HTTP_ENABLE"),
        help: "Disable the HTTP and Longpolling services entirely",
        note: "14-18: the file key `xmlrpc` is mapped here (see RENAMES).",
    },
    OdooOption {
        key: "http_interface",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--http-interface", Versions::span(14, 19)), hidden_flag("--xmlrpc-interface", Versions::span(14, 18))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 18), "''"), default(Versions::only(19), "'0.0.0.0'")],
        env19: Some("ODOO_HTTP_INTERFACE"),
        help: "Listen interface address for HTTP services.",
        note: "14-18: '' listens on all interfaces. 19: an empty file value is dropped, and the default 0.0.0.0 then logs 'missing http_interface ... will change to 127.0.0.1 in 20.0'.",
    },
    OdooOption {
        key: "http_port",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[
            flag("-p", Versions::span(14, 19)),
            flag("--http-port", Versions::span(14, 19)),
            hidden_flag("--xmlrpc-port", Versions::span(14, 18)),
        ],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "8069")],
        env19: Some("ODOO_HTTP_PORT"),
        help: "Listen port for the main HTTP service",
        note: "14-18: the file key `xmlrpc_port` is mapped here (see RENAMES).",
    },
    OdooOption {
        key: "import_file_maxbytes",
        declared: Versions::only(19),
        also_read: Versions::NONE,
        file_effect: Versions::only(19),
        flags: &[],
        legacy: None,
        modern: Some(Reading::Int),
        defaults: &[default(Versions::only(19), "10 * 1024 * 1024")],
        env19: Some("ODOO_IMPORT_FILE_MAXBYTES"),
        help: "",
        note: "",
    },
    OdooOption {
        key: "import_file_timeout",
        declared: Versions::only(19),
        also_read: Versions::NONE,
        file_effect: Versions::only(19),
        flags: &[],
        legacy: None,
        modern: Some(Reading::Int),
        defaults: &[default(Versions::only(19), "3")],
        env19: Some("ODOO_IMPORT_FILE_TIMEOUT"),
        help: "",
        note: "",
    },
    OdooOption {
        key: "import_image_maxbytes",
        declared: Versions::NONE,
        also_read: Versions::span(14, 18),
        file_effect: Versions::span(14, 18),
        flags: &[],
        legacy: Some(Reading::IntAtUse),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "10 * 1024 * 1024")],
        env19: None,
        help: "",
        note: "Not declared; base_import reads it with int() when importing images by URL. Renamed import_file_maxbytes in 19 (see RENAMES).",
    },
    OdooOption {
        key: "import_image_regex",
        declared: Versions::NONE,
        also_read: Versions::span(14, 18),
        file_effect: Versions::span(14, 18),
        flags: &[],
        legacy: Some(Reading::Str),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "r\"^(?:http|https)://\"")],
        env19: None,
        help: "",
        note: "Not declared; base_import matches it with re.match when importing. Renamed import_url_regex in 19 (see RENAMES).",
    },
    OdooOption {
        key: "import_image_timeout",
        declared: Versions::NONE,
        also_read: Versions::span(14, 18),
        file_effect: Versions::span(14, 18),
        flags: &[],
        legacy: Some(Reading::IntAtUse),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "3")],
        env19: None,
        help: "",
        note: "Not declared; base_import reads it with int() when importing. Renamed import_file_timeout in 19 (see RENAMES).",
    },
    OdooOption {
        key: "import_partial",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 18),
        flags: &[flag("-P", Versions::span(14, 19)), flag("--import-partial", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(14, 19), "''")],
        env19: None,
        help: "Use this for big data importation, if it crashes you will be able to continue at the current state. Provide a filename to store intermediate importation states.",
        note: "19: no longer loaded from the file.",
    },
    OdooOption {
        key: "import_url_regex",
        declared: Versions::only(19),
        also_read: Versions::NONE,
        file_effect: Versions::only(19),
        flags: &[],
        legacy: None,
        modern: Some(Reading::Str),
        defaults: &[default(Versions::only(19), "r\"^(?:http|https)://\"")],
        env19: Some("ODOO_IMPORT_URL_REGEX"),
        help: "",
        note: "",
    },
    OdooOption {
        key: "init",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::NONE,
        flags: &[flag("-i", Versions::span(14, 19)), flag("--init", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::List),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "[]")],
        env19: None,
        help: "install one or more modules (comma-separated list, use \"all\" for all modules), requires -d",
        note: "Never taken from the file: 14-18 overwrite it from -i; 19 skips it (not file-loadable).",
    },
    OdooOption {
        key: "language",
        declared: Versions::span(14, 18),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 18),
        flags: &[flag("-l", Versions::span(14, 18)), flag("--language", Versions::span(14, 18))],
        legacy: Some(Reading::Str),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "None")],
        env19: None,
        help: "specify the language of the translation file. Use it with --i18n-export or --i18n-import",
        note: "",
    },
    OdooOption {
        key: "limit_memory_hard",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--limit-memory-hard", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "2560 * 1024 * 1024")],
        env19: Some("ODOO_LIMIT_MEMORY_HARD"),
        help: "Maximum allowed virtual memory per worker (in bytes), when reached, any memory allocation will fail (default 2560MiB).",
        note: "POSIX only.",
    },
    OdooOption {
        key: "limit_memory_hard_gevent",
        declared: Versions::span(18, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(18, 19),
        flags: &[flag("--limit-memory-hard-gevent", Versions::span(18, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::only(18), "False"), default(Versions::only(19), "None")],
        env19: Some("ODOO_LIMIT_MEMORY_HARD_GEVENT"),
        help: "Maximum allowed virtual memory per gevent worker (in bytes), when reached, any memory allocation will fail. Defaults to `--limit-memory-hard`.",
        note: "18: False means fall back to limit_memory_hard; 19: None means the same. POSIX only.",
    },
    OdooOption {
        key: "limit_memory_soft",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--limit-memory-soft", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "2048 * 1024 * 1024")],
        env19: Some("ODOO_LIMIT_MEMORY_SOFT"),
        help: "Maximum allowed virtual memory per worker (in bytes), when reached the worker be reset after the current request (default 2048MiB).",
        note: "",
    },
    OdooOption {
        key: "limit_memory_soft_gevent",
        declared: Versions::span(18, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(18, 19),
        flags: &[flag("--limit-memory-soft-gevent", Versions::span(18, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::only(18), "False"), default(Versions::only(19), "None")],
        env19: Some("ODOO_LIMIT_MEMORY_SOFT_GEVENT"),
        help: "Maximum allowed virtual memory per gevent worker (in bytes), when reached the worker will be reset after the current request. Defaults to `--limit-memory-soft`.",
        note: "18: False means fall back to limit_memory_soft; 19: None means the same. POSIX only.",
    },
    OdooOption {
        key: "limit_request",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--limit-request", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 15), "8192"), default(Versions::span(16, 19), "2**16")],
        env19: Some("ODOO_LIMIT_REQUEST"),
        help: "Maximum number of request to be processed per worker (default 65536).",
        note: "16.0: 8192 in early copies (Oct 2022), 65536 (2**16) in later ones. POSIX only.",
    },
    OdooOption {
        key: "limit_time_cpu",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--limit-time-cpu", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "60")],
        env19: Some("ODOO_LIMIT_TIME_CPU"),
        help: "Maximum allowed CPU time per request (default 60).",
        note: "POSIX only.",
    },
    OdooOption {
        key: "limit_time_real",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--limit-time-real", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "120")],
        env19: Some("ODOO_LIMIT_TIME_REAL"),
        help: "Maximum allowed Real time per request (default 120).",
        note: "",
    },
    OdooOption {
        key: "limit_time_real_cron",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--limit-time-real-cron", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "-1")],
        env19: Some("ODOO_LIMIT_TIME_REAL_CRON"),
        help: "Maximum allowed Real time per cron job. (default: --limit-time-real). Set to 0 for no limit.",
        note: "",
    },
    OdooOption {
        key: "limit_time_worker_cron",
        declared: Versions::span(18, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(18, 19),
        flags: &[flag("--limit-time-worker-cron", Versions::span(18, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(18, 19), "0")],
        env19: Some("ODOO_LIMIT_TIME_WORKER_CRON"),
        help: "Maximum time a cron thread/worker stays alive before it is restarted. Set to 0 to disable. (default: 0)",
        note: "Added by odoo/odoo#194141 (Jan 2025, hunk based on 18.0's config.py). In an 18.0 copy of Feb 2025, but not in one of Sep 2024. Not found in any 16.0 or 17.0 copy (UNVERIFIED for their last commits).",
    },
    OdooOption {
        key: "list_db",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--no-database-list", Versions::span(14, 19))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "True")],
        env19: Some("ODOO_LIST_DB"),
        help: "Disable the ability to obtain or view the list of databases. Also disable access to the database manager and selector, so be sure to set a proper --database parameter first",
        note: "",
    },
    OdooOption {
        key: "load_language",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--load-language", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 19), "None")],
        env19: Some("ODOO_LOAD_LANGUAGE"),
        help: "specifies the languages for the translations you want to be loaded",
        note: "",
    },
    OdooOption {
        key: "log_db",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--log-db", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("ODOO_LOG_DB"),
        help: "Logging database",
        note: "",
    },
    OdooOption {
        key: "log_db_level",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--log-db-level", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 19), "'warning'")],
        env19: Some("ODOO_LOG_DB_LEVEL"),
        help: "Logging database level",
        note: "",
    },
    OdooOption {
        key: "log_handler",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[
            flag("--log-handler", Versions::span(14, 19)),
            flag("--log-request", Versions::span(14, 15)),
            flag("--log-response", Versions::span(14, 15)),
            flag("--log-web", Versions::span(14, 19)),
            flag("--log-sql", Versions::span(14, 19)),
        ],
        legacy: Some(Reading::List),
        modern: Some(Reading::List),
        defaults: &[default(Versions::span(14, 18), "':INFO'"), default(Versions::only(19), "[':INFO']")],
        env19: Some("ODOO_LOG_HANDLER"),
        help: "setup a handler at LEVEL for a given MODULE. An empty MODULE indicates the root logger. This option can be repeated. Example: \"odoo.orm:DEBUG\" or \"werkzeug:CRITICAL\" (default: \":INFO\")",
        note: "14-18: split on ','; CLI values are appended; `True`/`False` make startup crash (bool has no extend). 19: the default, file, environment and CLI lists are merged.",
    },
    OdooOption {
        key: "log_level",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--log-level", Versions::span(14, 19))],
        legacy: Some(Reading::Choice(LOG_LEVELS)),
        modern: Some(Reading::Choice(LOG_LEVELS)),
        defaults: &[default(Versions::span(14, 19), "'info'")],
        env19: Some("ODOO_LOG_LEVEL"),
        help: "specify the level of the logging. Accepted values: ['info', 'debug_rpc', 'warn', 'test', 'critical', 'runbot', 'debug_sql', 'error', 'debug', 'debug_rpc_answer', 'notset'].",
        note: "",
    },
    OdooOption {
        key: "logfile",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--logfile", Versions::span(14, 19))],
        legacy: Some(Reading::Path),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "''")],
        env19: Some("ODOO_LOGFILE"),
        help: "file where the server log will be stored",
        note: "14-18: `None`/`False` disable it. 19: `None` becomes None, and `False` is skipped with a WARNING. Cannot be combined with syslog.",
    },
    OdooOption {
        key: "longpolling_port",
        declared: Versions::span(14, 17),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 17),
        flags: &[flag("--longpolling-port", Versions::span(14, 17))],
        legacy: Some(Reading::Int),
        modern: None,
        defaults: &[default(Versions::span(14, 15), "8072"), default(Versions::span(16, 17), "0")],
        env19: None,
        help: "Deprecated alias to the gevent-port option",
        note: "14-15: the real port option (8072). 16-17: a deprecated alias, default 0; a non-zero value overrides gevent_port. One 16.0 copy (alfarisye/odoo_16@1be6a65e, Feb 2023) declared dest `gevent-port`, so this key was silently ignored there. See RENAMES.",
    },
    OdooOption {
        key: "max_cron_threads",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--max-cron-threads", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "2")],
        env19: Some("ODOO_MAX_CRON_THREADS"),
        help: "Maximum number of threads processing concurrently cron jobs (default 2).",
        note: "",
    },
    OdooOption {
        key: "osv_memory_age_limit",
        declared: Versions::span(14, 16),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 16),
        flags: &[flag("--osv-memory-age-limit", Versions::span(14, 16))],
        legacy: Some(Reading::Float),
        modern: None,
        defaults: &[default(Versions::span(14, 16), "False")],
        env19: None,
        help: "Deprecated alias to the transient-age-limit option",
        note: "14-16: a deprecated alias; a truthy value replaces transient_age_limit (DeprecationWarning). See RENAMES for 17-19.",
    },
    OdooOption {
        key: "osv_memory_count_limit",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--osv-memory-count-limit", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 15), "False"), default(Versions::span(16, 19), "0")],
        env19: Some("ODOO_OSV_MEMORY_COUNT_LIMIT"),
        help: "Force a limit on the maximum number of records kept in the virtual osv_memory tables. By default there is no limit.",
        note: "14-15: the default is False, which means no limit.",
    },
    OdooOption {
        key: "overwrite_existing_translations",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--i18n-overwrite", Versions::span(14, 19))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "False")],
        env19: Some("ODOO_OVERWRITE_EXISTING_TRANSLATIONS"),
        help: "overwrites existing translation terms on updating a module.",
        note: "",
    },
    OdooOption {
        key: "pg_path",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--pg_path", Versions::span(14, 19))],
        legacy: Some(Reading::Path),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "''")],
        env19: Some("PGPATH"),
        help: "specify the pg executable path",
        note: "",
    },
    OdooOption {
        key: "pidfile",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--pidfile", Versions::span(14, 19))],
        legacy: Some(Reading::Path),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "''")],
        env19: Some("ODOO_PIDFILE"),
        help: "file where the server pid will be stored",
        note: "14-18: `None`/`False` disable it. 19: `False` is skipped with a WARNING.",
    },
    OdooOption {
        key: "pre_upgrade_scripts",
        declared: Versions::only(19),
        also_read: Versions::NONE,
        file_effect: Versions::only(19),
        flags: &[flag("--pre-upgrade-scripts", Versions::only(19))],
        legacy: None,
        modern: Some(Reading::PathList),
        defaults: &[default(Versions::only(19), "[]")],
        env19: Some("ODOO_PRE_UPGRADE_SCRIPTS"),
        help: "Run specific upgrade scripts before loading any module when -u is provided.",
        note: "",
    },
    OdooOption {
        key: "proxy_access_token",
        declared: Versions::only(19),
        also_read: Versions::span(15, 18),
        file_effect: Versions::span(15, 19),
        flags: &[],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(15, 18), "None"), default(Versions::only(19), "''")],
        env19: Some("ODOO_PROXY_ACCESS_TOKEN"),
        help: "",
        note: "15-18: not declared; read by cli/genproxytoken and the IoT drivers through config.get. 19: a declared file-only option.",
    },
    OdooOption {
        key: "proxy_mode",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--proxy-mode", Versions::span(14, 19))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "False")],
        env19: Some("ODOO_PROXY_MODE"),
        help: "Activate reverse proxy WSGI wrappers (headers rewriting) Only enable this when running behind a trusted web proxy!",
        note: "",
    },
    OdooOption {
        key: "publisher_warranty_url",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[
            default(Versions::span(14, 17), "'http://services.openerp.com/publisher-warranty/'"),
            default(Versions::span(18, 19), "'http://services.odoo.com/publisher-warranty/'"),
        ],
        env19: Some("ODOO_PUBLISHER_WARRANTY_URL"),
        help: "",
        note: "",
    },
    OdooOption {
        key: "registry_lru_size",
        declared: Versions::NONE,
        also_read: Versions::span(14, 18),
        file_effect: Versions::span(14, 18),
        flags: &[],
        legacy: Some(Reading::Str),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "None")],
        env19: None,
        help: "",
        note: "14-18: not declared; registry.py reads it raw, so a file value stays a str and LRU(max(str, 1)) would raise TypeError (derived from tools/lru.py, not run). 19: unknown to config.py (it logs a WARNING); whether 19's registry still reads it is UNVERIFIED.",
    },
    OdooOption {
        key: "reinit",
        declared: Versions::only(19),
        also_read: Versions::NONE,
        file_effect: Versions::NONE,
        flags: &[flag("--reinit", Versions::only(19))],
        legacy: None,
        modern: Some(Reading::List),
        defaults: &[default(Versions::only(19), "[]")],
        env19: None,
        help: "reinitialize one or more modules (comma-separated list), requires -d",
        note: "",
    },
    OdooOption {
        key: "reportgz",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "False")],
        env19: Some("ODOO_REPORTGZ"),
        help: "",
        note: "File only.",
    },
    OdooOption {
        key: "root_path",
        declared: Versions::span(14, 18),
        also_read: Versions::NONE,
        file_effect: Versions::NONE,
        flags: &[],
        legacy: Some(Reading::Str),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "None")],
        env19: None,
        help: "",
        note: "Internal: 14-18 overwrite it with the code directory.",
    },
    OdooOption {
        key: "save",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::NONE,
        flags: &[flag("-s", Versions::span(14, 19)), flag("--save", Versions::span(14, 19))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "False")],
        env19: None,
        help: "save configuration to ~/.odoorc (or to ~/.openerp_serverrc if it exists)",
        note: "Never read from the file.",
    },
    OdooOption {
        key: "screencasts",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--screencasts", Versions::span(14, 19))],
        legacy: Some(Reading::Path),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "''")],
        env19: Some("ODOO_SCREENCASTS"),
        help: "Screencasts will go in DIR/{db_name}/screencasts.",
        note: "",
    },
    OdooOption {
        key: "screenshots",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--screenshots", Versions::span(14, 19))],
        legacy: Some(Reading::Path),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(14, 19), "os.path.join(tempfile.gettempdir(), 'odoo_tests')")],
        env19: Some("ODOO_SCREENSHOTS"),
        help: "Screenshots will go in DIR/{db_name}/screenshots. Defaults to /tmp/odoo_tests.",
        note: "",
    },
    OdooOption {
        key: "server_wide_modules",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--load", Versions::span(14, 19))],
        legacy: Some(Reading::List),
        modern: Some(Reading::List),
        defaults: &[default(Versions::span(14, 18), "'base,web'"), default(Versions::only(19), "['base', 'rpc', 'web']")],
        env19: Some("ODOO_SERVER_WIDE_MODULES"),
        help: "Comma-separated list of server-wide modules.",
        note: "14-18: '' or `None` -> 'base,web', while `False` makes startup crash (bool.split). 19: empty -> base,rpc,web, and base and web are always added.",
    },
    OdooOption {
        key: "shell_interface",
        declared: Versions::span(14, 18),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 18),
        flags: &[flag("--shell-interface", Versions::span(14, 18))],
        legacy: Some(Reading::Str),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "None")],
        env19: None,
        help: "Specify a preferred REPL to use in shell mode. Supported REPLs are: [ipython|ptpython|bpython|python]",
        note: "",
    },
    OdooOption {
        key: "smtp_password",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--smtp-password", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("ODOO_SMTP_PASSWORD"),
        help: "specify the SMTP password for sending email",
        note: "",
    },
    OdooOption {
        key: "smtp_port",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--smtp-port", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "25")],
        env19: Some("ODOO_SMTP_PORT"),
        help: "specify the SMTP port",
        note: "",
    },
    OdooOption {
        key: "smtp_server",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--smtp", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 19), "'localhost'")],
        env19: Some("ODOO_SMTP_SERVER"),
        help: "specify the SMTP server for sending email",
        note: "",
    },
    OdooOption {
        key: "smtp_ssl",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--smtp-ssl", Versions::span(14, 19))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "False")],
        env19: Some("ODOO_SMTP_SSL"),
        help: "if passed, SMTP connections will be encrypted with SSL (STARTTLS)",
        note: "",
    },
    OdooOption {
        key: "smtp_ssl_certificate_filename",
        declared: Versions::span(15, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(15, 19),
        flags: &[flag("--smtp-ssl-certificate-filename", Versions::span(15, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(15, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("ODOO_SMTP_SSL_CERTIFICATE_FILENAME"),
        help: "specify the SSL certificate used for authentication",
        note: "",
    },
    OdooOption {
        key: "smtp_ssl_private_key_filename",
        declared: Versions::span(15, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(15, 19),
        flags: &[flag("--smtp-ssl-private-key-filename", Versions::span(15, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(15, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("ODOO_SMTP_SSL_PRIVATE_KEY_FILENAME"),
        help: "specify the SSL private key used for authentication",
        note: "",
    },
    OdooOption {
        key: "smtp_user",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--smtp-user", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "''")],
        env19: Some("ODOO_SMTP_USER"),
        help: "specify the SMTP username for sending email",
        note: "",
    },
    OdooOption {
        key: "stop_after_init",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 18),
        flags: &[flag("--stop-after-init", Versions::span(14, 19))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "False")],
        env19: None,
        help: "stop the server after its initialization",
        note: "14-18: honoured from the file. 19: not loadable from the file.",
    },
    OdooOption {
        key: "syslog",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--syslog", Versions::span(14, 19))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "False")],
        env19: Some("ODOO_SYSLOG"),
        help: "Send the log to the syslog server",
        note: "",
    },
    OdooOption {
        key: "test_enable",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::NONE,
        flags: &[flag("--test-enable", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "None")],
        env19: None,
        help: "Enable unit tests. Implies --stop-after-init",
        note: "Derived from test_tags; a value in the file is ignored.",
    },
    OdooOption {
        key: "test_file",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 18),
        flags: &[flag("--test-file", Versions::span(14, 19))],
        legacy: Some(Reading::Path),
        modern: Some(Reading::Path),
        defaults: &[default(Versions::span(14, 18), "False"), default(Versions::only(19), "''")],
        env19: None,
        help: "Launch a python test file.",
        note: "19: not loadable from the file.",
    },
    OdooOption {
        key: "test_tags",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 18),
        flags: &[flag("--test-tags", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::Str),
        defaults: &[default(Versions::span(14, 19), "None")],
        env19: None,
        help: "Comma-separated list of specs to filter which tests to execute. Enable unit tests if set.",
        note: "14-18: honoured from the file (a value enables the tests). 19: not loadable from the file.",
    },
    OdooOption {
        key: "transient_age_limit",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--transient-age-limit", Versions::span(14, 19))],
        legacy: Some(Reading::Float),
        modern: Some(Reading::Float),
        defaults: &[default(Versions::span(14, 19), "1.0")],
        env19: Some("ODOO_TRANSIENT_AGE_LIMIT"),
        help: "Time limit (decimal value in hours) records created with a TransientModel (mostly wizard) are kept in the database. Default to 1 hour.",
        note: "18: can receive osv_memory_age_limit's raw, uncast string (see RENAMES).",
    },
    OdooOption {
        key: "translate_in",
        declared: Versions::span(14, 18),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 18),
        flags: &[flag("--i18n-import", Versions::span(14, 18))],
        legacy: Some(Reading::Path),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "None")],
        env19: None,
        help: "import a CSV or a PO file with translations and exit. The '-l' option is required.",
        note: "14-18: honoured from the file: odoo-bin imports the file and exits. Moved to the `i18n` command in 19.",
    },
    OdooOption {
        key: "translate_modules",
        declared: Versions::span(14, 18),
        also_read: Versions::NONE,
        file_effect: Versions::NONE,
        flags: &[flag("--modules", Versions::span(14, 18))],
        legacy: Some(Reading::Str),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "None")],
        env19: None,
        help: "specify modules to export. Use in combination with --i18n-export",
        note: "Never taken from the file (14-18 overwrite it from --modules).",
    },
    OdooOption {
        key: "translate_out",
        declared: Versions::span(14, 18),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 18),
        flags: &[flag("--i18n-export", Versions::span(14, 18))],
        legacy: Some(Reading::Path),
        modern: None,
        defaults: &[default(Versions::span(14, 18), "None")],
        env19: None,
        help: "export all sentences to be translated to a CSV file, a PO file or a TGZ archive and exit",
        note: "14-18: honoured from the file: odoo-bin exports translations and exits. Moved to the `i18n` command in 19.",
    },
    OdooOption {
        key: "unaccent",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--unaccent", Versions::span(14, 19))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(14, 19), "False")],
        env19: Some("ODOO_UNACCENT"),
        help: "Try to enable the unaccent extension when creating new databases.",
        note: "",
    },
    OdooOption {
        key: "update",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::NONE,
        flags: &[flag("-u", Versions::span(14, 19)), flag("--update", Versions::span(14, 19))],
        legacy: Some(Reading::Str),
        modern: Some(Reading::List),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "[]")],
        env19: None,
        help: "update one or more modules (comma-separated list, use \"all\" for all modules). Requires -d.",
        note: "Never taken from the file: 14-18 overwrite it from -u; 19 skips it (not file-loadable).",
    },
    OdooOption {
        key: "upgrade_path",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--upgrade-path", Versions::span(14, 19))],
        legacy: Some(Reading::PathList),
        modern: Some(Reading::PathList),
        defaults: &[default(Versions::span(14, 18), "None"), default(Versions::only(19), "[]")],
        env19: Some("ODOO_UPGRADE_PATH"),
        help: "specify an additional upgrade path.",
        note: "",
    },
    OdooOption {
        key: "websocket_keep_alive_timeout",
        declared: Versions::span(16, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(16, 19),
        flags: &[],
        legacy: Some(Reading::IntAtUse),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(16, 19), "3600")],
        env19: Some("ODOO_WEBSOCKET_KEEP_ALIVE_TIMEOUT"),
        help: "",
        note: "File only. 16.0: 600 in early copies (Oct 2022), 3600 in later ones. 16-18: converted by int() when bus/websocket.py is imported.",
    },
    OdooOption {
        key: "websocket_rate_limit_burst",
        declared: Versions::span(16, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(16, 19),
        flags: &[],
        legacy: Some(Reading::IntAtUse),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(16, 19), "10")],
        env19: Some("ODOO_WEBSOCKET_RATE_LIMIT_BURST"),
        help: "",
        note: "File only. 16-18: converted by int() when bus/websocket.py is imported.",
    },
    OdooOption {
        key: "websocket_rate_limit_delay",
        declared: Versions::span(16, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(16, 19),
        flags: &[],
        legacy: Some(Reading::FloatAtUse),
        modern: Some(Reading::Float),
        defaults: &[default(Versions::span(16, 19), "0.2")],
        env19: Some("ODOO_WEBSOCKET_RATE_LIMIT_DELAY"),
        help: "",
        note: "File only. 16-18: converted by float() when bus/websocket.py is imported.",
    },
    OdooOption {
        key: "with_demo",
        declared: Versions::only(19),
        also_read: Versions::NONE,
        file_effect: Versions::only(19),
        flags: &[flag("--with-demo", Versions::only(19)), flag("--without-demo", Versions::only(19))],
        legacy: None,
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::only(19), "False")],
        env19: Some("ODOO_WITH_DEMO"),
        help: "install demo data in new databases",
        note: "19 only: demo data is off by default. The file key without_demo is translated into it, inverted.",
    },
    OdooOption {
        key: "without_demo",
        declared: Versions::span(14, 18),
        also_read: Versions::only(19),
        file_effect: Versions::span(14, 19),
        flags: &[flag("--without-demo", Versions::span(14, 18))],
        legacy: Some(Reading::DemoSwitch),
        modern: Some(Reading::DemoSwitch),
        defaults: &[
            default(Versions::span(14, 18), "False"),
            default(Versions::only(19), "absent (with_demo defaults to False)"),
        ],
        env19: None,
        help: "disable loading demo data for modules to be installed (comma-separated, use \"all\" for all modules). Requires -d and -i. Default is none",
        note: "14-18: 'all', a module list, or True/False (demo data is loaded unless it is truthy). 19: translated into the inverse of with_demo; an invalid boolean logs a WARNING and means no demo, except `None`, which means demo (derived).",
    },
    OdooOption {
        key: "workers",
        declared: Versions::span(14, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(14, 19),
        flags: &[flag("--workers", Versions::span(14, 19))],
        legacy: Some(Reading::Int),
        modern: Some(Reading::Int),
        defaults: &[default(Versions::span(14, 19), "0")],
        env19: Some("ODOO_WORKERS"),
        help: "Specify the number of workers, 0 disable prefork mode.",
        note: "POSIX only (14-18 set it to None elsewhere; 19 does not load it). `True` in 14-18 is the boolean True, which counts as 1.",
    },
    OdooOption {
        key: "x_sendfile",
        declared: Versions::span(16, 19),
        also_read: Versions::NONE,
        file_effect: Versions::span(16, 19),
        flags: &[flag("--x-sendfile", Versions::span(16, 19))],
        legacy: Some(Reading::Bool),
        modern: Some(Reading::Bool),
        defaults: &[default(Versions::span(16, 19), "False")],
        env19: Some("ODOO_X_SENDFILE"),
        help: "Activate X-Sendfile (apache) and X-Accel-Redirect (nginx) HTTP response header to delegate the delivery of large files (assets/attachments) to the web server.",
        note: "nginx also needs an internal /web/filestore location.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn count(major: u8, pick: impl Fn(&OdooOption) -> Versions) -> usize {
        OPTIONS.iter().filter(|o| pick(o).contains(major)).count()
    }

    /// How many keys each version's config.py declares. To recheck, count the distinct `dest`s
    /// of `add_option` calls, plus the keys of the initial `self.options = {...}` dict (14–18),
    /// in:
    /// - 14: ShaheenHossain/modcom_14c@35a3df82, 66 dests (lines 105–333) + 5 dict keys (lines
    ///   75–81) = 71.
    /// - 15: loujti/odoo-15.0.post20220805@c6c7c4e6, 69 (lines 104–338) + 5 (lines 74–80) = 74.
    /// - 16: NguyenDanhBinhGiang/odoo-16-e@09ac4595, 71 (lines 108–346) + 8 (lines 74–83) = 79.
    ///   alfarisye/odoo_16@1be6a65e has the same count, with dest `gevent-port` instead of
    ///   `longpolling_port`.
    /// - 17: ashkan-farivarmoheb/odoo-17.0@63ff2312, 72 (lines 109–348) + 8 (lines 75–84) = 80.
    /// - 18: Coolyce/neudibel_4levels_odoo_18ent@9c226f8e, 75 (lines 108–357) + 8 (lines 75–84)
    ///   = 83, plus `limit_time_worker_cron` from EdenApps/eden@fdf80e1b (line 317) = 84.
    /// - 19: index file id 215218456, 13 `FileOnlyOption`s + 74 dests of
    ///   `add_option`/`PosixOnlyOption` (offsets ~7600–31000) = 87. `--with-demo` and
    ///   `--without-demo` share dest `with_demo`, and `--log-web`/`--log-sql` share
    ///   `log_handler`.
    #[test]
    fn declared_counts_match_the_sources() {
        let declared = |v| count(v, |o| o.declared);
        assert_eq!(declared(14), 71);
        assert_eq!(declared(15), 74);
        assert_eq!(declared(16), 79);
        assert_eq!(declared(17), 80);
        assert_eq!(declared(18), 84);
        assert_eq!(declared(19), 87);
    }

    /// Keys that are not declared but that core code reads from `config` (found by grepping
    /// `config.get('…')`/`config['…']` in the same copies, then reading each hit):
    /// - bin_path (tools/misc.py), registry_lru_size (modules/registry.py) and
    ///   import_image_{maxbytes,regex,timeout} (base_import) in 14–18;
    /// - apps_server (base/models/ir_module.py) in 14–16;
    /// - proxy_access_token (cli/genproxytoken.py) in 15–18;
    /// - default_productivity_apps (base_install_request) in 16–18;
    /// - 19: `without_demo`, which `_load_file_options` special-cases (offset 48805).
    #[test]
    fn also_read_counts() {
        let also = |v| count(v, |o| o.also_read);
        assert_eq!([14, 15, 16, 17, 18, 19].map(also), [6, 7, 8, 7, 7, 1], "also-read keys per version");
    }

    /// Keys whose file value takes effect: everything known, minus those whose file value is
    /// dropped. In 14–18 these 8 are recomputed after load: config, save, init, update,
    /// dev_mode, translate_modules, test_enable and root_path. In 19 these 10 are not
    /// file_loadable: config, save, init, update, reinit, import_partial, test_file,
    /// test_enable, test_tags and stop_after_init.
    #[test]
    fn file_effect_counts() {
        let eff = |v| count(v, |o| o.file_effect);
        assert_eq!([14, 15, 16, 17, 18, 19].map(eff), [71 - 8 + 6, 74 - 8 + 7, 79 - 8 + 8, 80 - 8 + 7, 84 - 8 + 7, 87 - 10 + 1]);
        for v in [14, 15, 16, 17, 18] {
            for key in ["config", "save", "init", "update", "dev_mode", "translate_modules", "test_enable", "root_path"] {
                assert!(matches!(key_status(key, v), KeyStatus::Ignored(_)), "{key} in {v}");
            }
        }
        for key in [
            "config",
            "save",
            "init",
            "update",
            "reinit",
            "import_partial",
            "test_file",
            "test_enable",
            "test_tags",
            "stop_after_init",
        ] {
            assert!(lookup(key).unwrap().is_cli_only(19), "{key}");
        }
    }

    #[test]
    fn table_is_sorted_unique_and_consistent() {
        for pair in OPTIONS.windows(2) {
            assert!(pair[0].key < pair[1].key, "{} / {}", pair[0].key, pair[1].key);
        }
        for o in OPTIONS {
            let known = o.versions();
            assert!(!known.is_empty(), "{}", o.key);
            assert!(o.file_effect.is_subset_of(known), "{}", o.key);
            assert!(o.key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'), "{}", o.key);
            for f in o.flags {
                assert!(f.versions.is_subset_of(known), "{} {}", o.key, f.name);
                assert!(f.name.starts_with('-'), "{}", f.name);
            }
            for v in known.iter() {
                let n = o.defaults.iter().filter(|d| d.versions.contains(v)).count();
                assert_eq!(n, 1, "{} has {n} defaults in {v}", o.key);
                assert!(o.reading(v).is_some(), "{} has no reading in {v}", o.key);
            }
            for d in o.defaults {
                assert!(d.versions.is_subset_of(known), "{}", o.key);
            }
            assert!(!o.help.contains('\n') && o.help.len() < 300, "{}", o.key);
            if o.flags.iter().any(|f| !f.hidden) {
                assert!(!o.help.is_empty(), "{} has a flag but no help", o.key);
            }
            assert_eq!(o.env19.is_some(), o.declared.contains(19) && (o.read_from_file(19) || o.key == "config"), "{}", o.key);
        }
        for r in RENAMES {
            assert!(lookup(r.new).is_some(), "{}", r.new);
            let covered = r.effects.iter().fold(Versions::NONE, |acc, (v, _)| acc.with(*v));
            assert_eq!(covered, Versions::ALL, "{}", r.old);
            assert_eq!(RENAMES.iter().filter(|x| x.old == r.old).count(), 1);
        }
    }

    #[test]
    fn versions_set() {
        let v = Versions::span(14, 16).with(Versions::only(18));
        assert_eq!(v.to_string(), "14–16, 18");
        assert!(v.contains(15) && !v.contains(17) && !v.contains(13) && !v.contains(20));
        assert_eq!(Versions::span(10, 30), Versions::ALL);
        assert_eq!(Versions::only(20), Versions::NONE);
        assert_eq!(Versions::NONE.to_string(), "none");
        assert_eq!(Versions::ALL.to_string(), "14–19");
        assert_eq!(Versions::span(18, 255).to_string(), "18–19");
    }

    #[test]
    fn ports_and_the_gevent_rename() {
        let gevent = lookup("gevent_port").unwrap();
        assert_eq!(gevent.versions(), Versions::span(16, 19));
        assert_eq!(gevent.default_in(16), Some("8072"));

        let lp = lookup("longpolling_port").unwrap();
        assert_eq!(lp.declared, Versions::span(14, 17));
        assert_eq!(lp.default_in(14), Some("8072"));
        assert_eq!(lp.default_in(16), Some("0"));
        assert!(matches!(key_status("longpolling_port", 14), KeyStatus::Read(_)));
        assert!(matches!(key_status("longpolling_port", 15), KeyStatus::Read(_)));
        for (v, effect) in [
            (16, RenameEffect::Overrides),
            (17, RenameEffect::Overrides),
            (18, RenameEffect::SilentlyIgnored),
            (19, RenameEffect::WarnedIgnored),
        ] {
            assert!(
                matches!(key_status("longpolling_port", v), KeyStatus::Renamed(r, e) if r.new == "gevent_port" && e == effect),
                "{v}"
            );
        }
        for v in 14..=18 {
            assert_eq!(rename("xmlrpc_port").unwrap().effect_in(v), Some(RenameEffect::Mapped));
        }
        assert_eq!(rename("xmlrpc_port").unwrap().effect_in(19), Some(RenameEffect::WarnedIgnored));
        assert!(!rename("xmlrpc").unwrap().effect_in(19).unwrap().honoured());
        assert_eq!(lookup("http_interface").unwrap().default_in(18), Some("''"));
        assert_eq!(lookup("http_interface").unwrap().default_in(19), Some("'0.0.0.0'"));
    }

    #[test]
    fn options_added_per_version() {
        let first = |k: &str| lookup(k).unwrap().versions().iter().next();
        assert_eq!(first("from_filter"), Some(15));
        assert_eq!(first("smtp_ssl_certificate_filename"), Some(15));
        assert_eq!(first("x_sendfile"), Some(16));
        assert_eq!(first("websocket_keep_alive_timeout"), Some(16));
        assert_eq!(first("db_maxconn_gevent"), Some(17));
        assert_eq!(first("geoip_city_db"), Some(17));
        assert_eq!(first("geoip_country_db"), Some(17));
        assert_eq!(first("db_replica_host"), Some(18));
        assert_eq!(first("limit_memory_soft_gevent"), Some(18));
        assert_eq!(first("limit_memory_hard_gevent"), Some(18));
        assert_eq!(first("limit_time_worker_cron"), Some(18));
        assert_eq!(first("db_app_name"), Some(19));
        assert_eq!(first("with_demo"), Some(19));
        assert!(!exists_in("db_maxconn_gevent", 16) && exists_in("db_maxconn_gevent", 17));
        assert!(!exists_in("limit_memory_soft_gevent", 17));
        assert!(!exists_in("limit_time_worker_cron", 17));
        assert_eq!(lookup("geoip_database").unwrap().versions(), Versions::span(14, 16));
        assert!(exists_in("shell_interface", 18) && !exists_in("shell_interface", 19));
        assert!(exists_in("translate_out", 18) && !exists_in("translate_out", 19));
        assert_eq!(lookup("apps_server").unwrap().versions(), Versions::span(14, 16));
    }

    #[test]
    fn transient_age_alias_per_version() {
        let o = lookup("osv_memory_age_limit").unwrap();
        assert_eq!(o.declared, Versions::span(14, 16));
        assert_eq!(o.reading(14), Some(Reading::Float));
        let r = rename("osv_memory_age_limit").unwrap();
        assert_eq!(r.new, "transient_age_limit");
        let effects: Vec<_> = (14..=19).map(|v| r.effect_in(v).unwrap()).collect();
        assert_eq!(
            effects,
            [
                RenameEffect::Overrides,
                RenameEffect::Overrides,
                RenameEffect::Overrides,
                RenameEffect::SilentlyIgnored,
                RenameEffect::FallbackOrConflict,
                RenameEffect::WarnedIgnored,
            ]
        );
        let g = rename("geoip_database").unwrap();
        assert_eq!(g.effect_in(16), Some(RenameEffect::Current));
        assert!(matches!(key_status("geoip_database", 16), KeyStatus::Read(_)));
        assert_eq!(g.effect_in(17), Some(RenameEffect::SilentlyIgnored));
        assert_eq!(g.effect_in(18), Some(RenameEffect::FallbackOrConflict));
        assert_eq!(rename("import_image_maxbytes").unwrap().effect_in(19), Some(RenameEffect::FallbackOrConflict));
        assert!(matches!(key_status("import_image_regex", 17), KeyStatus::Read(_)));
    }

    #[test]
    fn readings() {
        let reading = |k: &str, v| lookup(k).unwrap().reading(v);
        for v in 14..=19 {
            assert_eq!(reading("workers", v), Some(Reading::Int));
            assert_eq!(reading("transient_age_limit", v), Some(Reading::Float));
            assert_eq!(reading("log_level", v), Some(Reading::Choice(LOG_LEVELS)));
            assert_eq!(reading("db_sslmode", v), Some(Reading::Choice(SSL_MODES)));
            for flag in ["list_db", "proxy_mode", "unaccent", "smtp_ssl", "http_enable", "syslog", "reportgz"] {
                assert_eq!(reading(flag, v), Some(Reading::Bool), "{flag} {v}");
            }
        }
        assert_eq!(reading("x_sendfile", 16), Some(Reading::Bool));
        assert_eq!(reading("db_name", 18), Some(Reading::Str));
        assert_eq!(reading("db_name", 19), Some(Reading::List));
        assert_eq!(reading("server_wide_modules", 14), Some(Reading::List));
        assert_eq!(reading("websocket_keep_alive_timeout", 17), Some(Reading::IntAtUse));
        assert_eq!(reading("websocket_keep_alive_timeout", 19), Some(Reading::Int));
        assert_eq!(reading("default_productivity_apps", 16), Some(Reading::Bool));
        assert_eq!(reading("without_demo", 14), Some(Reading::DemoSwitch));
        assert_eq!(reading("without_demo", 19), Some(Reading::DemoSwitch));
        assert_eq!(reading("gevent_port", 15), None);
        assert_eq!(LOG_LEVELS.len(), 11);
    }

    #[test]
    fn file_only_and_cli_only() {
        let o = |k: &str| lookup(k).unwrap();
        for v in 14..=19 {
            assert!(o("admin_passwd").is_file_only(v));
            assert!(o("csv_internal_sep").is_file_only(v));
            assert!(o("reportgz").is_file_only(v));
            assert!(!o("workers").is_file_only(v) && !o("workers").is_cli_only(v));
            assert!(o("init").is_cli_only(v) && o("update").is_cli_only(v) && o("config").is_cli_only(v));
        }
        assert!(o("websocket_rate_limit_delay").is_file_only(16));
        assert!(o("without_demo").is_file_only(19) && !o("without_demo").is_file_only(18));
        assert!(o("dev_mode").is_cli_only(18) && !o("dev_mode").is_cli_only(19));
        assert!(!o("stop_after_init").is_cli_only(18) && o("stop_after_init").is_cli_only(19));
        assert!(!o("test_tags").is_cli_only(17) && o("test_tags").is_cli_only(19));
        assert_eq!(o("geoip_city_db").flags_in(17).collect::<Vec<_>>(), ["--geoip-city-db", "--geoip-db"]);
        assert_eq!(o("http_port").flags_in(18).collect::<Vec<_>>(), ["-p", "--http-port", "--xmlrpc-port"]);
        assert_eq!(o("http_port").flags_in(19).collect::<Vec<_>>(), ["-p", "--http-port"]);
        assert!(o("http_port").flags.iter().any(|f| f.name == "--xmlrpc-port" && f.hidden));
    }

    #[test]
    fn defaults_and_environment() {
        let d = |k: &str, v| lookup(k).unwrap().default_in(v);
        assert_eq!(d("limit_request", 15), Some("8192"));
        assert_eq!(d("limit_request", 16), Some("2**16"));
        assert_eq!(d("limit_memory_hard", 19), Some("2560 * 1024 * 1024"));
        assert_eq!(d("osv_memory_count_limit", 15), Some("False"));
        assert_eq!(d("osv_memory_count_limit", 16), Some("0"));
        assert_eq!(d("server_wide_modules", 18), Some("'base,web'"));
        assert_eq!(d("server_wide_modules", 19), Some("['base', 'rpc', 'web']"));
        assert_eq!(d("db_maxconn_gevent", 18), Some("False"));
        assert_eq!(d("db_maxconn_gevent", 19), Some("None"));
        assert_eq!(d("websocket_keep_alive_timeout", 16), Some("3600"));
        assert_eq!(d("gevent_port", 15), None);
        let env = |k: &str| lookup(k).unwrap().env19;
        assert_eq!(env("workers"), Some("ODOO_WORKERS"));
        assert_eq!(env("admin_passwd"), Some("ODOO_ADMIN_PASSWD"));
        assert_eq!(env("db_host"), Some("PGHOST"));
        assert_eq!(env("db_replica_port"), Some("PGPORT_REPLICA"));
        assert_eq!(env("dev_mode"), Some("ODOO_DEV"));
        assert_eq!(env("config"), Some("ODOO_RC"));
        assert_eq!(env("init"), None);
        assert_eq!(env("longpolling_port"), None);
    }

    /// Defaults that Odoo's own 18.0 test asserts: Coolyce/neudibel_4levels_odoo_18ent@9c226f8e,
    /// `odoo/addons/base/tests/test_configmanager.py`, `test_01_default_config`, lines 18–132.
    /// That test asserts values after `_parse_config`, so keys that parsing rewrites (paths,
    /// init, dev_mode, …) are left out.
    #[test]
    fn defaults_match_odoos_own_18_test() {
        let expected = [
            ("admin_passwd", "admin"),
            ("csv_internal_sep", ","),
            ("reportgz", "False"),
            ("websocket_rate_limit_burst", "10"),
            ("websocket_rate_limit_delay", "0.2"),
            ("websocket_keep_alive_timeout", "3600"),
            ("without_demo", "False"),
            ("import_partial", ""),
            ("server_wide_modules", "base,web"),
            ("http_interface", ""),
            ("http_port", "8069"),
            ("gevent_port", "8072"),
            ("http_enable", "True"),
            ("proxy_mode", "False"),
            ("x_sendfile", "False"),
            ("dbfilter", ""),
            ("test_tags", "None"),
            ("syslog", "False"),
            ("log_db", "False"),
            ("log_db_level", "warning"),
            ("log_level", "info"),
            ("email_from", "False"),
            ("from_filter", "False"),
            ("smtp_server", "localhost"),
            ("smtp_port", "25"),
            ("smtp_ssl", "False"),
            ("smtp_user", "False"),
            ("smtp_password", "False"),
            ("smtp_ssl_certificate_filename", "False"),
            ("smtp_ssl_private_key_filename", "False"),
            ("db_name", "False"),
            ("db_user", "False"),
            ("db_password", "False"),
            ("db_host", "False"),
            ("db_port", "False"),
            ("db_sslmode", "prefer"),
            ("db_maxconn", "64"),
            ("db_maxconn_gevent", "False"),
            ("db_template", "template0"),
            ("db_replica_host", "False"),
            ("db_replica_port", "False"),
            ("load_language", "None"),
            ("language", "None"),
            ("overwrite_existing_translations", "False"),
            ("list_db", "True"),
            ("shell_interface", "None"),
            ("stop_after_init", "False"),
            ("osv_memory_count_limit", "0"),
            ("transient_age_limit", "1.0"),
            ("max_cron_threads", "2"),
            ("unaccent", "False"),
            ("geoip_city_db", "/usr/share/GeoIP/GeoLite2-City.mmdb"),
            ("geoip_country_db", "/usr/share/GeoIP/GeoLite2-Country.mmdb"),
            ("workers", "0"),
            ("limit_memory_soft", "2048 * 1024 * 1024"),
            ("limit_memory_soft_gevent", "False"),
            ("limit_memory_hard", "2560 * 1024 * 1024"),
            ("limit_memory_hard_gevent", "False"),
            ("limit_time_cpu", "60"),
            ("limit_time_real", "120"),
            ("limit_time_real_cron", "-1"),
            ("limit_request", "2**16"),
        ];
        for (key, value) in expected {
            let ours = lookup(key).unwrap().default_in(18).unwrap();
            assert_eq!(ours.trim_matches(|c| c == '\'' || c == '"'), value, "{key}");
        }
    }

    #[test]
    fn lookup_is_case_insensitive_and_exact() {
        assert_eq!(lookup("WORKERS").map(|o| o.key), Some("workers"));
        assert!(lookup("worker").is_none());
        assert!(lookup("").is_none());
        assert!(exists_in("registry_lru_size", 18) && !exists_in("registry_lru_size", 19));
        assert!(matches!(key_status("queue_job_channels", 17), KeyStatus::Unknown));
        assert_eq!(options_for(19).count(), 88);
        assert!(options_for(14).all(|o| o.exists_in(14)));
        assert!(options_for(20).next().is_none());
    }

    #[test]
    fn closest_suggestions() {
        // CLI spellings that configparser does not accept as keys.
        assert_eq!(closest("db-filter", 17), Some("dbfilter"));
        assert_eq!(closest("db_filter", 17), Some("dbfilter"));
        assert_eq!(closest("log-level", 17), Some("log_level"));
        assert_eq!(closest("--log-level", 17), Some("log_level"));
        assert_eq!(closest("database", 16), Some("db_name"));
        assert_eq!(closest("load", 16), Some("server_wide_modules"));
        assert_eq!(closest("geoip-db", 16), Some("geoip_database"));
        assert_eq!(closest("geoip-db", 17), Some("geoip_city_db"));
        assert_eq!(closest("gevent-port", 16), Some("gevent_port"));
        // Hyphens for underscores.
        assert_eq!(closest("limit-time-real", 18), Some("limit_time_real"));
        assert_eq!(closest("Proxy-Mode", 18), Some("proxy_mode"));
        // Renames.
        assert_eq!(closest("xmlrpc_port", 19), Some("http_port"));
        assert_eq!(closest("longpolling_port", 18), Some("gevent_port"));
        assert_eq!(closest("osv_memory_age_limit", 19), Some("transient_age_limit"));
        // Typos.
        assert_eq!(closest("workres", 17), Some("workers"));
        assert_eq!(closest("limit_memory_sofft", 17), Some("limit_memory_soft"));
        assert_eq!(closest("admin_password", 16), Some("admin_passwd"));
        assert_eq!(closest("proxymode", 14), Some("proxy_mode"));
        assert_eq!(closest("max_cron_thread", 19), Some("max_cron_threads"));
        assert_eq!(closest("limit_time_real_crn", 15), Some("limit_time_real_cron"));
        // A version that lacks the option gets no suggestion for it.
        assert_eq!(closest("db_maxconn_gevnt", 17), Some("db_maxconn_gevent"));
        assert_eq!(closest("db_maxconn_gevnt", 16), None);
        // Nothing to suggest.
        assert_eq!(closest("workers", 17), None);
        assert_eq!(closest("queue_job_channels", 17), None);
        assert_eq!(closest("", 17), None);
        assert_eq!(closest("---", 17), None);
        assert_eq!(closest("zz", 17), None);
        assert_eq!(closest(&"x".repeat(100_000), 17), None);
        // Inverted flags are not offered.
        assert_eq!(closest("no-database-list", 17), None);
        // A CLI-only key is never offered for the file.
        assert_eq!(closest("int", 17), None);
    }
}
