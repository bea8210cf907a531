//! OL5xx: operating-system limits of the Odoo process: open files (systemd `LimitNOFILE=`,
//! pam_limits `nofile`) and inotify watches.

pub mod inotify_watches_low;
pub mod limits_conf_not_applied;
pub mod nginx_connections_above_nofile;
pub mod nofile_soft_above_hard;
pub mod nofile_too_low;

use crate::formats::limits::{self, EffectiveLimit, Item, LimitsFile, PamFlavor, UserIdentity};
use crate::rules::Ctx;
use crate::source::FileId;

/// The open-file limit Odoo should have: every websocket (or longpolling) client holds a
/// socket in the one gevent process, and every worker holds files and connections (seed 000:
/// "odoo soft nofile 65536").
pub(crate) const NOFILE_TARGET: u64 = 65536;

/// `nofile` unlimited in pam_limits, and in practice for `LimitNOFILE=infinity`: the kernel's
/// `fs.nr_open` (1048576 by default).
pub(crate) const NR_OPEN: u64 = 1_048_576;

/// The stack's limits files in pam_limits' order, parsed.
pub(crate) fn limits_files<'a>(ctx: &Ctx<'a>) -> Vec<(FileId, &'a LimitsFile)> {
    ctx.stack.system.limits.iter().filter_map(|&f| ctx.files.limits(f).map(|l| (f, l))).collect()
}

/// The `nofile` limits pam_limits gives `user`, with the files in the order given.
pub(crate) fn nofile_for(files: &[(FileId, &LimitsFile)], user: &str) -> EffectiveLimit {
    let parsed: Vec<&LimitsFile> = files.iter().map(|(_, l)| *l).collect();
    limits::effective_limit(&parsed, &UserIdentity::named(user, &[]), Item::Nofile, PamFlavor::Debian)
}

/// A number of open files as `LimitNOFILE=` writes it.
pub(crate) fn rlimit_text(v: Option<u64>) -> String {
    v.unwrap_or(NR_OPEN).to_string()
}
