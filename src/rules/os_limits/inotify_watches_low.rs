use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::odoo::Origin;

declare_rule! {
    /// Odoo's auto-reload relies on inotify watches the host may not have.
    pub struct InotifyWatchesLow {
        code: "OL504",
        name: "inotify-watches-low",
        severity: Info,
        fix: None,
        symptoms: [Silent],
        summary: "Odoo runs with `--dev=reload` (or `all`) and `fs.inotify.max_user_watches` is low or unknown",
    }
}

impl Rule for InotifyWatchesLow {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        // 14–18 read `dev_mode` from the command line only; 19 also from odoo.conf and ODOO_DEV.
        let Some(dev) = odoo.get("dev_mode") else { return };
        if matches!(dev.origin, Origin::File { .. }) && odoo.major < 19 {
            return;
        }
        let modes: Vec<&str> = dev.raw.split(',').map(str::trim).collect();
        if !modes.iter().any(|m| *m == "reload" || *m == "all") {
            return;
        }
        let Some(span) = dev.origin.span() else { return };
        let d = ctx
            .diag(
                span,
                format!(
                    "Odoo runs with `dev_mode` {} ({}): it watches every folder of its addons paths with inotify, and the host's `fs.inotify.max_user_watches` is unknown here (8192 on kernels before 5.11); past it, changed files silently stop triggering a reload",
                    dev.raw, dev.origin
                ),
            )
            .with_primary_label("auto-reload")
            .with_help("check `sysctl fs.inotify.max_user_watches` on the host, and raise it in /etc/sysctl.d/ (e.g. `fs.inotify.max_user_watches = 524288`)")
            .with_note("auto-reload is for development: a production server should not run with `--dev`");
        ctx.push(d);
    }
}
