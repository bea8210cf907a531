//! pam_limits configuration: `/etc/security/limits.conf` and `/etc/security/limits.d/*.conf`.
//!
//! Read the way linux-pam's `pam_limits.c` reads them (commit ddab692c of linux-pam, 2026, and
//! the same since 1.6.0), with Debian's patches where they change the outcome:
//!
//! * **Lines** (`parse_config_file`): leading whitespace is skipped, everything from the first
//!   `#` is a comment (also after fields: `* soft nofile 4096 # note` is fine), a NUL byte ends
//!   the line as pam_limits sees it. Fields are split on spaces and tabs (`split`); the fourth
//!   field is the rest of the line, trimmed, so `* soft nofile 1 2` has the value `1 2`, of which
//!   `strtoull` reads `1` (pam_limits 1.5 and older read the first word only: either way the
//!   extra words are reported). Type, item and value are lower-cased; the domain is not.
//! * **Field counts**: 4 fields is a limit; 2 fields whose type starts with `-` (`bob -`) means
//!   "no limits at all" for a matching user or group: pam_limits stops reading and sets
//!   nothing; anything else is "invalid line - skipped".
//! * **Domains** (`parse_uid_range` and the dispatch in `parse_config_file`): a user name (exact,
//!   case-sensitive), `@group`, `*`, `%` and `%group` (maxlogins only), uid ranges `min:max`,
//!   `:uid`, `min:` (these count as user entries), gid ranges `@min:max`, `@min:` (the user's
//!   primary group only) and `@:gid` (any of the user's groups). A bad range skips the line.
//! * **Precedence** (`process_limit`): every entry has a class, USER (0) < GROUP (1) < ALLGROUP
//!   (2) < ALL (3) < DEFAULT `*` (4). A line sets the soft (or hard) limit unless the limit was
//!   already set by a line of a *more specific* class (`src_soft < source` → return); a line of
//!   the same or a more specific class overrides. So within and across files the **last line of
//!   the most specific class wins**. Note the early `return`: a `-` line whose soft part is
//!   refused does not set its hard part either.
//! * **Files** (`pam_sm_open_session`, `read_limits_dir`): limits.conf first (a missing one is
//!   fine), then `limits.d/*.conf` sorted by file name with `strcmp` (vendor and /etc
//!   directories merged by base name, /etc winning), all feeding the same state: a later file
//!   overrides an earlier one exactly as a later line does.
//! * **Values** (`process_limit`): `unlimited`, `infinity`, `-1` and `-` mean no limit (not for
//!   `priority`, `nice`, `nonewprivs`); numbers are read with `strtoull`, which takes the leading
//!   digits and ignores the rest (`10k` is 10) and wraps negative numbers; sizes (`core`, `data`,
//!   `fsize`, `memlock`, `rss`, `stack`, `as`) are KiB, `cpu` is minutes; `nofile` unlimited
//!   becomes `/proc/sys/fs/nr_open` (1048576 by default). Unknown items and types are logged
//!   and skipped. At the end a soft limit above the hard one is lowered to it (`setup_limits`).
//! * **Debian** (patch `027_pam_limits_better_init_allow_explicit_root`): `@group`, `%` and `*`
//!   lines are not applied to root (uid 0); patch `008_modules_pam_limits_chroot` adds the
//!   `chroot` item, whose value is a directory.
//!
//! The grammar (`grammar/limits.pest`) only cuts lines into tokens; this module gives them
//! their meaning and reports every line pam_limits would skip or misread as a [`SyntaxError`].

use std::path::{Path, PathBuf};

use pest::Parser;
use pest::iterators::Pair;

use crate::formats::SyntaxError;
use crate::source::{SourceFile, TextRange};

#[derive(pest_derive::Parser)]
#[grammar = "grammar/limits.pest"]
struct LimitsGrammar;

/// One parsed limits file: every line with its tokens, and the problems pam_limits would have.
#[derive(Clone, Debug)]
pub struct LimitsFile {
    pub lines: Vec<LimitsLine>,
    pub errors: Vec<SyntaxError>,
}

/// One physical line. `range` covers the line without its terminator; `eol` is the terminator
/// (`\n`, `\r\n`, or empty on a last line without one). Every byte of the file is in exactly one
/// of these ranges, in order.
#[derive(Clone, Debug)]
pub struct LimitsLine {
    pub range: TextRange,
    pub eol: TextRange,
    pub indent: TextRange,
    /// The fields as pam_limits splits them: domain, type, item, value (the value may hold
    /// several words; its range covers them all).
    pub fields: Vec<TextRange>,
    /// Spaces and tabs after the last field.
    pub trailing: Option<TextRange>,
    /// `#` and what follows.
    pub comment: Option<TextRange>,
    /// A NUL byte and what follows it: pam_limits never sees it.
    pub nul_tail: Option<TextRange>,
    /// The meaning of the line, when it has fields.
    pub entry: Option<Entry>,
}

impl LimitsLine {
    /// The line ends with `\r\n`.
    pub fn is_crlf(&self) -> bool {
        self.eol.len() == 2
    }
}

/// What a line with fields means to pam_limits.
#[derive(Clone, Debug)]
pub struct Entry {
    pub domain: Domain,
    pub domain_range: TextRange,
    pub kind: EntryKind,
    /// Why pam_limits skips this line, if it does (the matching error is in
    /// [`LimitsFile::errors`]). A skipped line never sets anything.
    pub skipped: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// `<domain> <type> <item> <value>`.
    Limit {
        limit_type: Option<LimitType>,
        type_range: TextRange,
        item: Option<Item>,
        item_range: TextRange,
        value: Option<LimitValue>,
        value_range: TextRange,
    },
    /// `<domain> -`: no limits at all for a matching user or group.
    NoLimits { type_range: TextRange },
    /// Any other field count.
    Invalid,
}

/// Who a line applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Domain {
    /// A user name.
    User(String),
    /// `@group`.
    Group(String),
    /// `*`.
    Wildcard,
    /// `%`: maxlogins of the whole system.
    AllLogins,
    /// `%group`: maxlogins of a group's members together.
    GroupLogins(String),
    /// `min:max`, `:uid` (min = max), `min:` (max = None).
    UidRange { min: u32, max: Option<u32> },
    /// `@min:max`, `@min:`: the user's primary gid only.
    GidRange { min: u32, max: Option<u32> },
    /// `@:gid`: any group of the user.
    Gid(u32),
    /// `%:gid`: maxlogins of the group with that gid.
    GidLogins(u32),
    /// A range pam_limits refuses ("invalid uid range - skipped").
    Invalid,
}

/// pam_limits' precedence classes, most specific first (`LIMITS_DEF_*`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DomainClass {
    User = 0,
    Group = 1,
    AllGroup = 2,
    All = 3,
    Default = 4,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LimitType {
    Soft,
    Hard,
    /// `-`: both.
    Both,
}

impl LimitType {
    fn sets_soft(self) -> bool {
        matches!(self, LimitType::Soft | LimitType::Both)
    }
    fn sets_hard(self) -> bool {
        matches!(self, LimitType::Hard | LimitType::Both)
    }
}

/// The items pam_limits knows (`process_limit`), plus Debian's `chroot`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Item {
    Core,
    Data,
    Fsize,
    Memlock,
    Nofile,
    Rss,
    Stack,
    Cpu,
    Nproc,
    As,
    Locks,
    Sigpending,
    Msgqueue,
    Nice,
    Rtprio,
    Rttime,
    Maxlogins,
    Maxsyslogins,
    Priority,
    Nonewprivs,
    /// Debian only (`008_modules_pam_limits_chroot`).
    Chroot,
}

impl Item {
    pub fn from_name(name: &str) -> Option<Item> {
        Some(match name {
            "core" => Item::Core,
            "data" => Item::Data,
            "fsize" => Item::Fsize,
            "memlock" => Item::Memlock,
            "nofile" => Item::Nofile,
            "rss" => Item::Rss,
            "stack" => Item::Stack,
            "cpu" => Item::Cpu,
            "nproc" => Item::Nproc,
            "as" => Item::As,
            "locks" => Item::Locks,
            "sigpending" => Item::Sigpending,
            "msgqueue" => Item::Msgqueue,
            "nice" => Item::Nice,
            "rtprio" => Item::Rtprio,
            "rttime" => Item::Rttime,
            "maxlogins" => Item::Maxlogins,
            "maxsyslogins" => Item::Maxsyslogins,
            "priority" => Item::Priority,
            "nonewprivs" => Item::Nonewprivs,
            "chroot" => Item::Chroot,
            _ => return None,
        })
    }

    /// Items whose value is a plain integer that may be negative (no `unlimited`).
    fn is_signed(self) -> bool {
        matches!(self, Item::Priority | Item::Nice)
    }

    /// Items read as an `int` rather than an rlimit.
    fn is_int(self) -> bool {
        matches!(self, Item::Priority | Item::Nice | Item::Maxlogins | Item::Maxsyslogins)
    }

    /// Items that need no type (`process_limit` accepts any type for them).
    fn ignores_type(self) -> bool {
        matches!(self, Item::Maxlogins | Item::Maxsyslogins | Item::Nonewprivs)
    }

    /// The factor pam_limits applies to a number: KiB for sizes, minutes for `cpu`.
    pub fn scale(self) -> u64 {
        match self {
            Item::Core | Item::Data | Item::Fsize | Item::Memlock | Item::Rss | Item::Stack | Item::As => 1024,
            Item::Cpu => 60,
            _ => 1,
        }
    }
}

/// A value as pam_limits reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LimitValue {
    /// `unlimited`, `infinity`, `-1`, `-`.
    Unlimited,
    /// What `strtoull` read, before pam_limits scales it (see [`Item::scale`]).
    Number(u64),
    /// `priority`, `nice`, `maxlogins`, `maxsyslogins` (clamped to `int` like `strtol` + casts).
    Int(i64),
    /// `nonewprivs`.
    Bool(bool),
    /// Debian's `chroot` directory.
    Path(String),
}

impl LimitValue {
    /// The rlimit pam_limits would set for `item`, `None` for unlimited (for `nofile` that is
    /// `/proc/sys/fs/nr_open`, 1048576 by default).
    pub fn rlimit(&self, item: Item) -> Option<u64> {
        match self {
            LimitValue::Unlimited => None,
            LimitValue::Number(n) => n.checked_mul(item.scale()),
            LimitValue::Int(n) => u64::try_from(*n).ok(),
            LimitValue::Bool(b) => Some(u64::from(*b)),
            LimitValue::Path(_) => None,
        }
    }
}

/// Parses one limits file. Never fails: lines pam_limits would skip are kept in the tree and
/// reported in [`LimitsFile::errors`].
pub fn parse(source: &SourceFile) -> LimitsFile {
    let text = source.text.as_str();
    let mut file = LimitsFile { lines: Vec::new(), errors: Vec::new() };
    let pairs = match LimitsGrammar::parse(Rule::file, text) {
        Ok(p) => p,
        Err(e) => {
            // The grammar accepts every input; keep the file whole if pest ever disagrees.
            let at = match e.location {
                pest::error::InputLocation::Pos(p) => p,
                pest::error::InputLocation::Span((s, _)) => s,
            };
            file.errors.push(SyntaxError::new(TextRange::empty(at.min(text.len())), "cannot read this limits file"));
            let whole = TextRange::new(0, text.len());
            file.lines.push(LimitsLine {
                range: whole,
                eol: TextRange::empty(text.len()),
                indent: TextRange::empty(0),
                fields: Vec::new(),
                trailing: None,
                comment: None,
                nul_tail: None,
                entry: None,
            });
            return file;
        }
    };
    for top in pairs {
        for line in top.into_inner() {
            match line.as_rule() {
                Rule::line | Rule::last_line => {
                    let l = build_line(line, text.len());
                    file.lines.push(l);
                }
                _ => {}
            }
        }
    }
    let mut errors = Vec::new();
    for line in &mut file.lines {
        check_line(text, line, &mut errors);
    }
    file.errors = errors;
    file
}

fn range_of(p: &Pair<'_, Rule>) -> TextRange {
    TextRange::new(p.as_span().start(), p.as_span().end())
}

fn build_line(pair: Pair<'_, Rule>, len: usize) -> LimitsLine {
    let whole = range_of(&pair);
    let mut line = LimitsLine {
        range: whole,
        eol: TextRange::empty(whole.end as usize),
        indent: TextRange::empty(whole.start as usize),
        fields: Vec::new(),
        trailing: None,
        comment: None,
        nul_tail: None,
        entry: None,
    };
    for part in pair.into_inner() {
        match part.as_rule() {
            Rule::content => {
                line.range = range_of(&part);
                for tok in part.into_inner() {
                    match tok.as_rule() {
                        Rule::indent => line.indent = range_of(&tok),
                        Rule::entry => {
                            for f in tok.into_inner() {
                                if matches!(f.as_rule(), Rule::field | Rule::value) {
                                    line.fields.push(range_of(&f));
                                }
                            }
                        }
                        Rule::trailing => line.trailing = Some(range_of(&tok)),
                        Rule::comment => line.comment = Some(range_of(&tok)),
                        Rule::nul_tail => line.nul_tail = Some(range_of(&tok)),
                        _ => {}
                    }
                }
            }
            Rule::eol => line.eol = range_of(&part),
            _ => {}
        }
    }
    if line.eol.is_empty() {
        line.eol = TextRange::empty((line.range.end as usize).min(len));
    }
    line
}

/// Gives a line its meaning and reports what pam_limits would skip or misread.
fn check_line(text: &str, line: &mut LimitsLine, errors: &mut Vec<SyntaxError>) {
    if let Some(nul) = line.nul_tail {
        errors
            .push(SyntaxError::new(nul, "a NUL byte: pam_limits ignores the rest of this line").with_help("remove the NUL byte"));
    }
    if line.fields.is_empty() {
        return;
    }
    let f = line.fields.clone();
    let domain_range = f[0];
    let domain_text = domain_range.of(text);
    let domain = parse_domain(domain_text);
    let mut skipped: Option<String> = None;
    if domain == Domain::Invalid {
        let msg = format!("invalid uid range '{domain_text}': pam_limits skips this line");
        errors.push(
            SyntaxError::new(domain_range, msg.clone())
                .with_label("not `min:max`, `:uid` or `min:`")
                .with_help("write a uid range as `1000:1999`, `:1000` or `1000:`"),
        );
        skipped = Some(msg);
    }
    let entry_range = f[0].cover(*f.last().unwrap_or(&f[0]));
    let kind = match f.len() {
        4 => {
            let type_text = f[1].of(text).to_ascii_lowercase();
            let item_text = f[2].of(text).to_ascii_lowercase();
            let value_text = f[3].of(text).to_ascii_lowercase();
            let item = Item::from_name(&item_text);
            let limit_type = match type_text.as_str() {
                "soft" => Some(LimitType::Soft),
                "hard" => Some(LimitType::Hard),
                "-" => Some(LimitType::Both),
                _ => None,
            };
            let mut value = None;
            if skipped.is_none() {
                match item {
                    None => {
                        let msg = format!("unknown limit item '{item_text}': pam_limits skips this line");
                        errors.push(
                            SyntaxError::new(f[2], msg.clone())
                                .with_help("items are core, data, fsize, memlock, nofile, rss, stack, cpu, nproc, as, maxlogins, maxsyslogins, nonewprivs, priority, locks, sigpending, msgqueue, nice, rtprio, rttime"),
                        );
                        skipped = Some(msg);
                    }
                    Some(item) => {
                        if limit_type.is_none() && !item.ignores_type() {
                            let msg = format!("unknown limit type '{type_text}': pam_limits skips this line");
                            errors
                                .push(SyntaxError::new(f[1], msg.clone()).with_help("the type is `soft`, `hard` or `-` (both)"));
                            skipped = Some(msg);
                        } else {
                            match read_value(
                                item,
                                &value_text,
                                line.is_crlf() && line.trailing.is_none() && line.comment.is_none() && line.nul_tail.is_none(),
                            ) {
                                Ok((v, warning)) => {
                                    if let Some(w) = warning {
                                        errors.push(w.at(f[3]));
                                    }
                                    value = Some(v);
                                }
                                Err(problem) => {
                                    let e = problem.at(f[3]);
                                    skipped = Some(e.message.clone());
                                    errors.push(e);
                                }
                            }
                            if skipped.is_none()
                                && matches!(domain, Domain::AllLogins | Domain::GroupLogins(_) | Domain::GidLogins(_))
                                && item != Item::Maxlogins
                            {
                                let msg = "the `%` domain is only for maxlogins: pam_limits skips this line".to_string();
                                errors.push(SyntaxError::new(domain_range, msg.clone()).with_label("`%` domain"));
                                skipped = Some(msg);
                            }
                        }
                    }
                }
            }
            EntryKind::Limit { limit_type, type_range: f[1], item, item_range: f[2], value, value_range: f[3] }
        }
        2 if f[1].of(text).starts_with('-') => EntryKind::NoLimits { type_range: f[1] },
        n => {
            if skipped.is_none() {
                let msg = format!("invalid line: {n} field{} instead of 4, pam_limits skips it", if n == 1 { "" } else { "s" });
                errors.push(
                    SyntaxError::new(entry_range, msg.clone())
                        .with_label("expected `<domain> <type> <item> <value>`")
                        .with_help("write `<domain> <type> <item> <value>`, or `<domain> -` for no limits"),
                );
                skipped = Some(msg);
            }
            EntryKind::Invalid
        }
    };
    line.entry = Some(Entry { domain, domain_range, kind, skipped });
}

/// A value problem, placed on the value's range once known.
struct ValueProblem {
    message: String,
    help: Option<String>,
    /// Offset and length inside the value text of the part at fault (None: the whole value).
    part: Option<(usize, usize)>,
}

impl ValueProblem {
    fn new(message: impl Into<String>) -> Self {
        ValueProblem { message: message.into(), help: None, part: None }
    }
    fn help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }
    fn part(mut self, start: usize, len: usize) -> Self {
        self.part = Some((start, len));
        self
    }
    fn at(self, value_range: TextRange) -> SyntaxError {
        let range = match self.part {
            Some((s, l)) => TextRange::new(value_range.start as usize + s, value_range.start as usize + s + l),
            None => value_range,
        };
        let mut e = SyntaxError::new(range, self.message);
        if let Some(h) = self.help {
            e = e.with_help(h);
        }
        e
    }
}

/// Reads a (lower-cased) value for `item` as `process_limit` does. `Ok` carries the value and
/// possibly a warning about a misreading; `Err` means pam_limits skips the line.
fn read_value(item: Item, v: &str, crlf_tail: bool) -> Result<(LimitValue, Option<ValueProblem>), ValueProblem> {
    let first_word_len = v.find([' ', '\t']).unwrap_or(v.len());
    let extra = (first_word_len < v.len()).then(|| {
        ValueProblem::new("extra text after the value: pam_limits 1.6 and later read the rest of the line as the value, older versions only its first word")
            .help("keep one value per line; put notes after a `#`")
            .part(first_word_len, v.len() - first_word_len)
    });
    if item == Item::Chroot {
        return Ok((LimitValue::Path(v.to_string()), extra));
    }
    if item == Item::Nonewprivs {
        return match v {
            "0" => Ok((LimitValue::Bool(false), crlf_warning(crlf_tail, v))),
            "1" => Ok((LimitValue::Bool(true), crlf_warning(crlf_tail, v))),
            _ => Err(ValueProblem::new(format!("wrong limit value '{v}' for nonewprivs: pam_limits expects 0 or 1"))),
        };
    }
    let keyword = matches!(v, "-1" | "-" | "unlimited" | "infinity");
    if !item.is_signed() && keyword {
        return Ok((LimitValue::Unlimited, crlf_warning(crlf_tail, v)));
    }
    let b = v.as_bytes();
    // strtol/strtoull: optional sign, then digits; the rest is ignored.
    let mut i = 0;
    let negative = b.first() == Some(&b'-');
    if matches!(b.first(), Some(b'-' | b'+')) {
        i = 1;
    }
    let ds = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    if i == ds {
        return Err(ValueProblem::new(format!("wrong limit value '{v}': pam_limits skips this line")).help(
            if item.is_signed() {
                "write a whole number".to_string()
            } else {
                "write a whole number, or `unlimited`".to_string()
            },
        ));
    }
    let digits = &v[ds..i];
    let junk = (i < v.len() && extra.is_none()).then(|| {
        ValueProblem::new(format!("pam_limits reads only `{}` from `{v}` and ignores the rest", &v[..i]))
            .help("write a plain number: pam_limits has no units (sizes are KiB, cpu is minutes)")
            .part(i, v.len() - i)
    });
    let warning = junk.or(extra);
    if item.is_int() {
        let mag: i64 = digits.parse::<i64>().unwrap_or(i64::MAX);
        let n = if negative { -mag } else { mag };
        let n = n.clamp(i64::from(i32::MIN), i64::from(i32::MAX));
        return Ok((LimitValue::Int(n), warning));
    }
    let mag = digits.parse::<u64>().unwrap_or(u64::MAX);
    if negative {
        let wrapped = 0u64.wrapping_sub(mag);
        return Ok((
            LimitValue::Number(wrapped),
            Some(ValueProblem::new(format!(
                "negative value: pam_limits reads `{v}` as {wrapped}; write `unlimited` for no limit"
            ))),
        ));
    }
    Ok((LimitValue::Number(mag), warning))
}

fn crlf_warning(crlf_tail: bool, v: &str) -> Option<ValueProblem> {
    if crlf_tail && matches!(v, "unlimited" | "infinity" | "-" | "0" | "1") {
        Some(
            ValueProblem::new(format!("CRLF line ending: pam_limits 1.6 and later read `{v}\\r` and skip this line"))
                .help("save the file with LF line endings"),
        )
    } else {
        None
    }
}

/// `parse_uid_range` and the domain dispatch of `parse_config_file`.
pub fn parse_domain(d: &str) -> Domain {
    let Some(colon) = d.find(':') else {
        return match d {
            "*" => Domain::Wildcard,
            "%" => Domain::AllLogins,
            _ => {
                if let Some(g) = d.strip_prefix('@') {
                    Domain::Group(g.to_string())
                } else if let Some(g) = d.strip_prefix('%') {
                    Domain::GroupLogins(g.to_string())
                } else {
                    Domain::User(d.to_string())
                }
            }
        };
    };
    let prefix = d.as_bytes()[0];
    let range = if prefix == b'@' || prefix == b'%' { &d[1..] } else { d };
    let colon = colon - (d.len() - range.len());
    let (min_s, max_s) = (&range[..colon], &range[colon + 1..]);
    // strtoul: optional whitespace and sign are accepted by C; pam checks the end only.
    let num = |s: &str| -> Option<u32> {
        let t = s.trim_start_matches([' ', '\t']);
        let t = t.strip_prefix('+').unwrap_or(t);
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        t.parse::<u64>().ok().map(|v| v as u32)
    };
    let (min, max) = if min_s.is_empty() {
        // ":max" — exact match; ":" alone is an error
        match num(max_s) {
            Some(m) => (m, Some(m)),
            None => return Domain::Invalid,
        }
    } else {
        let Some(min) = num(min_s) else {
            return Domain::Invalid;
        };
        if max_s.is_empty() {
            (min, None)
        } else {
            match num(max_s) {
                Some(m) => (min, Some(m)),
                None => return Domain::Invalid,
            }
        }
    };
    let exact = min_s.is_empty();
    match prefix {
        b'@' if exact => Domain::Gid(min),
        b'@' => Domain::GidRange { min, max },
        b'%' if exact => Domain::GidLogins(min),
        // `%min:max` and `%min:` are "range unsupported for %group matching - ignored"
        b'%' => Domain::Invalid,
        _ => Domain::UidRange { min, max },
    }
}

/// Which pam_limits build to follow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PamFlavor {
    /// linux-pam as released.
    Upstream,
    /// Debian and Ubuntu: group, `%` and `*` lines skip root.
    #[default]
    Debian,
}

/// The user a session is opened for. Unknown ids make range lines "uncertain" rather than
/// guessed.
#[derive(Clone, Debug, Default)]
pub struct UserIdentity {
    pub name: String,
    pub uid: Option<u32>,
    /// The primary gid (`pw_gid`).
    pub gid: Option<u32>,
    /// Names of all the user's groups, primary included.
    pub groups: Vec<String>,
    /// Ids of all the user's groups, primary included.
    pub group_ids: Vec<u32>,
}

impl UserIdentity {
    pub fn named(name: &str, groups: &[&str]) -> Self {
        UserIdentity { name: name.to_string(), groups: groups.iter().map(|g| g.to_string()).collect(), ..Default::default() }
    }
    fn is_root(&self) -> bool {
        self.uid == Some(0) || (self.uid.is_none() && self.name == "root")
    }
}

/// A line of a file in a set: index of the file in the slice given, index of the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineRef {
    pub file: usize,
    pub line: usize,
}

/// The line that set a limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setter {
    pub at: LineRef,
    /// The whole entry (domain to value).
    pub range: TextRange,
    pub value_range: TextRange,
    pub value: LimitValue,
    pub class: DomainClass,
}

/// The soft and hard limit of one item for one user after reading every file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EffectiveLimit {
    /// `None`: no line set it; the session keeps the inherited value.
    pub soft: Option<Setter>,
    pub hard: Option<Setter>,
    /// A `<domain> -` line matched: pam_limits stopped and set no limit at all.
    pub disabled_by: Option<LineRef>,
    /// Range lines that would apply or not depending on a uid/gid we were not told.
    pub uncertain: Vec<LineRef>,
}

impl EffectiveLimit {
    /// The soft limit after `setup_limits` lowers it to the hard one; `Some(None)` means
    /// unlimited, `None` not set by these files.
    pub fn soft_rlimit(&self, item: Item) -> Option<Option<u64>> {
        let soft = self.soft.as_ref()?.value.rlimit(item);
        match (soft, self.hard.as_ref().map(|h| h.value.rlimit(item))) {
            (Some(s), Some(Some(h))) => Some(Some(s.min(h))),
            (None, Some(Some(h))) => Some(Some(h)),
            (s, _) => Some(s),
        }
    }
    pub fn hard_rlimit(&self, item: Item) -> Option<Option<u64>> {
        Some(self.hard.as_ref()?.value.rlimit(item))
    }
}

enum Match {
    Yes(DomainClass),
    No,
    Unknown,
}

fn matches_user(domain: &Domain, user: &UserIdentity, flavor: PamFlavor) -> Match {
    let root_skips = flavor == PamFlavor::Debian && user.is_root();
    match domain {
        Domain::User(n) if *n == user.name => Match::Yes(DomainClass::User),
        Domain::User(_) | Domain::Invalid => Match::No,
        // `strcmp(uname, domain)` comes first, so a user literally named like the domain wins.
        _ if domain_text_equals_user(domain, &user.name) => Match::Yes(DomainClass::User),
        Domain::Group(_) | Domain::Gid(_) | Domain::GidRange { .. } if root_skips => Match::No,
        Domain::AllLogins | Domain::GroupLogins(_) | Domain::GidLogins(_) if root_skips => Match::No,
        Domain::Wildcard if root_skips => Match::No,
        Domain::Group(g) => yes_if(user.groups.iter().any(|x| x == g), DomainClass::Group),
        Domain::Gid(gid) => {
            if user.group_ids.contains(gid) {
                Match::Yes(DomainClass::Group)
            } else if user.group_ids.is_empty() {
                Match::Unknown
            } else {
                Match::No
            }
        }
        Domain::GidRange { min, max } => match user.gid {
            Some(g) => yes_if(g >= *min && max.is_none_or(|m| g <= m), DomainClass::Group),
            None => Match::Unknown,
        },
        Domain::AllLogins => Match::Yes(DomainClass::All),
        Domain::GroupLogins(g) => yes_if(user.groups.iter().any(|x| x == g), DomainClass::AllGroup),
        Domain::GidLogins(gid) => {
            if user.group_ids.contains(gid) {
                Match::Yes(DomainClass::AllGroup)
            } else if user.group_ids.is_empty() {
                Match::Unknown
            } else {
                Match::No
            }
        }
        Domain::Wildcard => Match::Yes(DomainClass::Default),
        Domain::UidRange { min, max } => match user.uid {
            Some(u) => yes_if(u >= *min && max.is_none_or(|m| u <= m), DomainClass::User),
            None => Match::Unknown,
        },
    }
}

fn domain_text_equals_user(domain: &Domain, name: &str) -> bool {
    match domain {
        Domain::Wildcard => name == "*",
        Domain::AllLogins => name == "%",
        Domain::Group(g) => name.strip_prefix('@') == Some(g.as_str()),
        Domain::GroupLogins(g) => name.strip_prefix('%') == Some(g.as_str()),
        _ => false,
    }
}

fn yes_if(b: bool, c: DomainClass) -> Match {
    if b { Match::Yes(c) } else { Match::No }
}

/// The soft and hard limit of `item` for `user` after pam_limits reads `files` in order
/// (limits.conf first, then limits.d in [`limits_d_order`]), with the line that set each.
pub fn effective_limit(files: &[&LimitsFile], user: &UserIdentity, item: Item, flavor: PamFlavor) -> EffectiveLimit {
    let mut out = EffectiveLimit::default();
    let mut soft_class = 6u8;
    let mut hard_class = 6u8;
    for (fi, file) in files.iter().enumerate() {
        for (li, line) in file.lines.iter().enumerate() {
            let Some(entry) = &line.entry else { continue };
            if entry.skipped.is_some() {
                continue;
            }
            let at = LineRef { file: fi, line: li };
            match &entry.kind {
                EntryKind::NoLimits { .. } => {
                    let applies = match &entry.domain {
                        Domain::User(n) => *n == user.name,
                        Domain::Group(_) | Domain::Gid(_) | Domain::GidRange { .. } | Domain::UidRange { .. } => {
                            match matches_user(&entry.domain, user, PamFlavor::Upstream) {
                                Match::Yes(_) => true,
                                Match::No => false,
                                Match::Unknown => {
                                    out.uncertain.push(at);
                                    false
                                }
                            }
                        }
                        _ => false,
                    };
                    if applies {
                        return EffectiveLimit { disabled_by: Some(at), uncertain: out.uncertain, ..Default::default() };
                    }
                }
                EntryKind::Limit { limit_type, item: Some(it), value: Some(value), value_range, .. } if *it == item => {
                    let class = match matches_user(&entry.domain, user, flavor) {
                        Match::Yes(c) => c,
                        Match::No => continue,
                        Match::Unknown => {
                            out.uncertain.push(at);
                            continue;
                        }
                    };
                    if matches!(class, DomainClass::All | DomainClass::AllGroup) && item != Item::Maxlogins {
                        continue;
                    }
                    let lt = if item.ignores_type() {
                        limit_type.unwrap_or(LimitType::Both)
                    } else {
                        match limit_type {
                            Some(t) => *t,
                            None => continue,
                        }
                    };
                    let setter = Setter {
                        at,
                        range: entry.domain_range.cover(*value_range),
                        value_range: *value_range,
                        value: value.clone(),
                        class,
                    };
                    let c = class as u8;
                    if lt.sets_soft() {
                        if soft_class < c {
                            continue;
                        }
                        soft_class = c;
                        out.soft = Some(setter.clone());
                    }
                    if lt.sets_hard() {
                        if hard_class < c {
                            continue;
                        }
                        hard_class = c;
                        out.hard = Some(setter);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The order pam_limits reads `limits.d` files in: only `*.conf`, sorted by file name with
/// `strcmp` (byte order); of two files with the same name, the first given is kept (give /etc
/// before the vendor directory).
pub fn limits_d_order(paths: &[PathBuf]) -> Vec<PathBuf> {
    let name = |p: &Path| p.file_name().map(|n| n.as_encoded_bytes().to_vec()).unwrap_or_default();
    let mut out: Vec<PathBuf> = Vec::new();
    for p in paths {
        let n = name(p);
        if !n.ends_with(b".conf") || out.iter().any(|q| name(q) == n) {
            continue;
        }
        out.push(p.clone());
    }
    out.sort_by_key(|p| name(p));
    out
}

/// Text to insert into a file, at a byte offset of the original.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Insertion {
    pub offset: usize,
    pub text: String,
}

/// Where and what to insert to append `<domain> <type> <item> <value>` at the end of the file:
/// after the last line, adding the missing final newline first, with the file's own line
/// ending, and with the separators of the last entry (tabs, or spaces padded to its columns).
pub fn append_entry(file: &LimitsFile, source: &SourceFile, fields: [&str; 4]) -> Insertion {
    let text = source.text.as_str();
    let nl = if file.lines.iter().any(|l| l.is_crlf()) && file.lines.iter().filter(|l| !l.eol.is_empty()).all(|l| l.is_crlf()) {
        "\r\n"
    } else {
        source.newline()
    };
    let mut out = String::new();
    if !source.ends_with_newline() {
        out.push_str(nl);
    }
    let model = file.lines.iter().rev().find(|l| l.fields.len() == 4);
    match model {
        Some(l) => {
            let seps: Vec<&str> =
                (0..3).map(|i| TextRange::new(l.fields[i].end as usize, l.fields[i + 1].start as usize).of(text)).collect();
            out.push_str(l.indent.of(text));
            if seps.iter().all(|s| *s == "\t") {
                out.push_str(&fields.join("\t"));
            } else if seps.iter().all(|s| s.bytes().all(|b| b == b' ')) {
                // pad to the model's columns, at least one space
                let start = l.range.start as usize;
                let mut col = l.indent.len();
                for (i, field) in fields.iter().enumerate() {
                    out.push_str(field);
                    col += field.len();
                    if i < 3 {
                        let target = l.fields[i + 1].start as usize - start;
                        let pad = if target > col { target - col } else { 1 };
                        out.push_str(&" ".repeat(pad));
                        col += pad;
                    }
                }
            } else {
                out.push_str(&fields.join(" "));
            }
        }
        None => out.push_str(&fields.join(" ")),
    }
    out.push_str(nl);
    Insertion { offset: text.len(), text: out }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(t: &str) -> SourceFile {
        SourceFile::from_text("limits.conf", t)
    }

    fn reprint(f: &LimitsFile, s: &SourceFile) -> String {
        let mut out = String::new();
        for l in &f.lines {
            out.push_str(l.range.of(&s.text));
            out.push_str(l.eol.of(&s.text));
        }
        out
    }

    #[test]
    fn fields_comments_and_spans() {
        let s = src("# c\n*\tsoft\tnofile\t4096 # note\n  @odoo  hard nofile 65536\n");
        let f = parse(&s);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        assert_eq!(reprint(&f, &s), s.text);
        let l = &f.lines[1];
        let texts: Vec<&str> = l.fields.iter().map(|r| r.of(&s.text)).collect();
        assert_eq!(texts, ["*", "soft", "nofile", "4096"]);
        assert_eq!(l.comment.map(|c| c.of(&s.text)), Some("# note"));
        assert_eq!(l.trailing.map(|c| c.of(&s.text)), Some(" "));
        let e = f.lines[2].entry.as_ref().unwrap();
        assert_eq!(e.domain, Domain::Group("odoo".into()));
        assert_eq!(e.domain_range.of(&s.text), "@odoo");
        match &e.kind {
            EntryKind::Limit { limit_type, item, value, .. } => {
                assert_eq!(*limit_type, Some(LimitType::Hard));
                assert_eq!(*item, Some(Item::Nofile));
                assert_eq!(*value, Some(LimitValue::Number(65536)));
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn comment_glued_to_value_and_case() {
        let s = src("ODOO SOFT NOFILE UNLIMITED#x\n");
        let f = parse(&s);
        assert!(f.errors.is_empty());
        let e = f.lines[0].entry.as_ref().unwrap();
        // the domain keeps its case; the rest is lower-cased
        assert_eq!(e.domain, Domain::User("ODOO".into()));
        assert!(matches!(
            &e.kind,
            EntryKind::Limit { value: Some(LimitValue::Unlimited), limit_type: Some(LimitType::Soft), .. }
        ));
    }

    #[test]
    fn errors_have_exact_ranges() {
        let s = src("* soft nofile\n* medium nofile 10\n* soft nofiles 10\n* soft nofile lots\n* soft nofile 10k\n");
        let f = parse(&s);
        let got: Vec<(&str, &str)> = f.errors.iter().map(|e| (e.range.of(&s.text), e.message.as_str())).collect();
        assert_eq!(got.len(), 5, "{got:?}");
        assert_eq!(got[0].0, "* soft nofile");
        assert!(got[0].1.contains("3 fields"));
        assert_eq!(got[1].0, "medium");
        assert_eq!(got[2].0, "nofiles");
        assert_eq!(got[3].0, "lots");
        assert_eq!(got[4].0, "k");
        assert!(got[4].1.contains("only `10`"));
        // the 10k line still applies, as 10
        let eff = effective_limit(&[&f], &UserIdentity::named("odoo", &[]), Item::Nofile, PamFlavor::Upstream);
        assert_eq!(eff.soft.unwrap().value, LimitValue::Number(10));
    }

    #[test]
    fn extra_words_and_negative_values() {
        let s = src("* soft nofile 100 200\n* hard nofile -5\n");
        let f = parse(&s);
        assert_eq!(f.errors.len(), 2);
        assert_eq!(f.errors[0].range.of(&s.text), " 200");
        assert_eq!(f.errors[1].range.of(&s.text), "-5");
        let e = f.lines[1].entry.as_ref().unwrap();
        assert!(matches!(&e.kind, EntryKind::Limit { value: Some(LimitValue::Number(n)), .. } if *n == u64::MAX - 4));
    }

    #[test]
    fn unlimited_spellings() {
        for v in ["unlimited", "infinity", "-1", "-", "UNLIMITED"] {
            let s = src(&format!("* hard nofile {v}\n"));
            let f = parse(&s);
            assert!(f.errors.is_empty(), "{v}");
            assert!(
                matches!(&f.lines[0].entry.as_ref().unwrap().kind, EntryKind::Limit { value: Some(LimitValue::Unlimited), .. }),
                "{v}"
            );
        }
        // priority has no "unlimited"
        let s = src("* - priority unlimited\n");
        assert_eq!(parse(&s).errors.len(), 1);
        let s = src("* - priority -5\n");
        let f = parse(&s);
        assert!(f.errors.is_empty());
        assert!(matches!(&f.lines[0].entry.as_ref().unwrap().kind, EntryKind::Limit { value: Some(LimitValue::Int(-5)), .. }));
    }

    #[test]
    fn domains() {
        assert_eq!(parse_domain("odoo"), Domain::User("odoo".into()));
        assert_eq!(parse_domain("@odoo"), Domain::Group("odoo".into()));
        assert_eq!(parse_domain("*"), Domain::Wildcard);
        assert_eq!(parse_domain("%"), Domain::AllLogins);
        assert_eq!(parse_domain("%staff"), Domain::GroupLogins("staff".into()));
        assert_eq!(parse_domain("1000:1999"), Domain::UidRange { min: 1000, max: Some(1999) });
        assert_eq!(parse_domain(":1000"), Domain::UidRange { min: 1000, max: Some(1000) });
        assert_eq!(parse_domain("1000:"), Domain::UidRange { min: 1000, max: None });
        assert_eq!(parse_domain("@500:"), Domain::GidRange { min: 500, max: None });
        assert_eq!(parse_domain("@:123"), Domain::Gid(123));
        assert_eq!(parse_domain("%:123"), Domain::GidLogins(123));
        assert_eq!(parse_domain(":"), Domain::Invalid);
        assert_eq!(parse_domain("a:b"), Domain::Invalid);
        assert_eq!(parse_domain("%1:2"), Domain::Invalid);
        let s = src("x:y soft nofile 1\n");
        let f = parse(&s);
        assert_eq!(f.errors[0].range.of(&s.text), "x:y");
    }

    #[test]
    fn percent_domain_only_for_maxlogins() {
        let s = src("% - nofile 10\n% - maxlogins 10\n");
        let f = parse(&s);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].range.of(&s.text), "%");
    }

    fn set(texts: &[&str]) -> (Vec<SourceFile>, Vec<LimitsFile>) {
        let s: Vec<SourceFile> = texts.iter().map(|t| src(t)).collect();
        let f = s.iter().map(parse).collect();
        (s, f)
    }

    #[test]
    fn user_beats_group_beats_wildcard_whatever_the_order() {
        let (s, f) = set(&["odoo soft nofile 100\n@web soft nofile 200\n* soft nofile 300\n"]);
        let files: Vec<&LimitsFile> = f.iter().collect();
        let eff = effective_limit(&files, &UserIdentity::named("odoo", &["web"]), Item::Nofile, PamFlavor::Upstream);
        let soft = eff.soft.unwrap();
        assert_eq!(soft.value, LimitValue::Number(100));
        assert_eq!(soft.class, DomainClass::User);
        assert_eq!(soft.range.of(&s[0].text), "odoo soft nofile 100");
        assert!(eff.hard.is_none());
        let eff = effective_limit(&files, &UserIdentity::named("bob", &["web"]), Item::Nofile, PamFlavor::Upstream);
        assert_eq!(eff.soft.unwrap().value, LimitValue::Number(200));
        let eff = effective_limit(&files, &UserIdentity::named("eve", &[]), Item::Nofile, PamFlavor::Upstream);
        assert_eq!(eff.soft.unwrap().value, LimitValue::Number(300));
    }

    #[test]
    fn later_line_of_same_class_wins_across_files() {
        let (s, f) = set(&["* - nofile 1000\n", "* soft nofile 2000\n", "@web hard nofile 3000\n* hard nofile 9\n"]);
        let files: Vec<&LimitsFile> = f.iter().collect();
        let eff = effective_limit(&files, &UserIdentity::named("odoo", &["web"]), Item::Nofile, PamFlavor::Upstream);
        let soft = eff.soft.clone().unwrap();
        assert_eq!((soft.at.file, soft.value.clone()), (1, LimitValue::Number(2000)));
        let hard = eff.hard.clone().unwrap();
        assert_eq!((hard.at.file, hard.value.clone()), (2, LimitValue::Number(3000)));
        assert_eq!(hard.value_range.of(&s[2].text), "3000");
        assert_eq!(eff.soft_rlimit(Item::Nofile), Some(Some(2000)));
    }

    #[test]
    fn dash_line_refused_soft_skips_hard_too() {
        // `odoo soft` is USER class; the later `* -` line returns on its soft part before
        // setting hard (process_limit's early return).
        let (_, f) = set(&["odoo soft nofile 100\n* - nofile 500\n"]);
        let files: Vec<&LimitsFile> = f.iter().collect();
        let eff = effective_limit(&files, &UserIdentity::named("odoo", &[]), Item::Nofile, PamFlavor::Upstream);
        assert_eq!(eff.soft.unwrap().value, LimitValue::Number(100));
        assert!(eff.hard.is_none());
    }

    #[test]
    fn no_limits_line_stops_everything() {
        let (_, f) = set(&["* soft nofile 100\n", "odoo -\n", "odoo soft nofile 5\n"]);
        let files: Vec<&LimitsFile> = f.iter().collect();
        let eff = effective_limit(&files, &UserIdentity::named("odoo", &[]), Item::Nofile, PamFlavor::Upstream);
        assert_eq!(eff.disabled_by, Some(LineRef { file: 1, line: 0 }));
        assert!(eff.soft.is_none());
    }

    #[test]
    fn debian_root_ignores_wildcard() {
        let (_, f) = set(&["* soft nofile 100\nroot soft nofile 7\n@wheel hard nofile 9\n"]);
        let files: Vec<&LimitsFile> = f.iter().collect();
        let root = UserIdentity { name: "root".into(), uid: Some(0), groups: vec!["wheel".into()], ..Default::default() };
        let eff = effective_limit(&files, &root, Item::Nofile, PamFlavor::Debian);
        assert_eq!(eff.soft.unwrap().value, LimitValue::Number(7));
        assert!(eff.hard.is_none());
        let eff = effective_limit(&files, &root, Item::Nofile, PamFlavor::Upstream);
        assert_eq!(eff.hard.unwrap().value, LimitValue::Number(9));
    }

    #[test]
    fn ranges_need_ids() {
        let (_, f) = set(&["1000:1999 soft nofile 100\n@:50 hard nofile 200\n"]);
        let files: Vec<&LimitsFile> = f.iter().collect();
        let unknown = UserIdentity::named("odoo", &[]);
        let eff = effective_limit(&files, &unknown, Item::Nofile, PamFlavor::Upstream);
        assert!(eff.soft.is_none());
        assert_eq!(eff.uncertain.len(), 2);
        let known =
            UserIdentity { name: "odoo".into(), uid: Some(1001), gid: Some(1001), groups: vec![], group_ids: vec![1001, 50] };
        let eff = effective_limit(&files, &known, Item::Nofile, PamFlavor::Upstream);
        assert_eq!(eff.soft.unwrap().class, DomainClass::User);
        assert_eq!(eff.hard.unwrap().class, DomainClass::Group);
    }

    #[test]
    fn sizes_scale_and_soft_clamps_to_hard() {
        let (_, f) = set(&["* soft memlock 64\n* soft nofile 5000\n* hard nofile 4000\n"]);
        let files: Vec<&LimitsFile> = f.iter().collect();
        let u = UserIdentity::named("odoo", &[]);
        let eff = effective_limit(&files, &u, Item::Memlock, PamFlavor::Upstream);
        assert_eq!(eff.soft_rlimit(Item::Memlock), Some(Some(65536)));
        let eff = effective_limit(&files, &u, Item::Nofile, PamFlavor::Upstream);
        assert_eq!(eff.soft_rlimit(Item::Nofile), Some(Some(4000)));
    }

    #[test]
    fn crlf_keyword_is_flagged() {
        let s = src("* soft nofile unlimited\r\n* hard nofile 100\r\n");
        let f = parse(&s);
        assert_eq!(reprint(&f, &s), s.text);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].range.of(&s.text), "unlimited");
        assert_eq!(f.lines[1].fields[3].of(&s.text), "100");
    }

    #[test]
    fn nul_and_invalid_utf8_never_panic() {
        let s = SourceFile::new("x", b"* soft nofile 1\x00 junk\n\xff\xfe soft nofile 2\n\r\r\n\x0b\n".to_vec());
        let f = parse(&s);
        assert_eq!(reprint(&f, &s), s.text);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.lines[0].fields.len(), 4);
        for t in ["", "\n", "#", "*", "\r", "\r\n\r\n", "* soft nofile 1", "\u{feff}* - nofile 1\n"] {
            let s = src(t);
            assert_eq!(reprint(&parse(&s), &s), t);
        }
    }

    #[test]
    fn limits_d_is_sorted_by_file_name() {
        let got = limits_d_order(&[
            PathBuf::from("/etc/security/limits.d/90-odoo.conf"),
            PathBuf::from("/etc/security/limits.d/10-base.conf"),
            PathBuf::from("/usr/etc/security/limits.d/10-base.conf"),
            PathBuf::from("/etc/security/limits.d/README"),
            PathBuf::from("/etc/security/limits.d/Z.conf"),
        ]);
        let names: Vec<String> = got.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            names,
            ["/etc/security/limits.d/10-base.conf", "/etc/security/limits.d/90-odoo.conf", "/etc/security/limits.d/Z.conf"]
        );
    }

    #[test]
    fn append_keeps_style_and_newlines() {
        let s = src("*\thard\tcore\t0");
        let f = parse(&s);
        let ins = append_entry(&f, &s, ["odoo", "soft", "nofile", "65536"]);
        assert_eq!(ins, Insertion { offset: s.text.len(), text: "\nodoo\tsoft\tnofile\t65536\n".into() });
        let s = src("*         hard    nofile      500000\r\n");
        let f = parse(&s);
        let ins = append_entry(&f, &s, ["odoo", "soft", "nofile", "65536"]);
        assert_eq!(ins.text, "odoo      soft    nofile      65536\r\n");
        let s = src("");
        let ins = append_entry(&parse(&s), &s, ["odoo", "-", "nofile", "65536"]);
        assert_eq!(ins.text, "odoo - nofile 65536\n");
    }
}
