use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::{Span, TextRange};
use crate::stack::budget::{FLOOR_PADDING, version_floor};
use crate::units::Bytes;

declare_rule! {
    /// Less memory than the Odoo version needs to boot and serve.
    pub struct MemoryBelowVersionFloor {
        code: "OL203",
        name: "memory-below-version-floor",
        severity: Warning,
        fix: Unsafe,
        symptoms: [OomKill, RefusedStart],
        summary: "the memory budget of the Odoo service is below its version's floor (14–17: 1 GiB, 18: 1.5 GiB, 19: 2 GiB) plus 256 MiB",
    }
}

impl Rule for MemoryBelowVersionFloor {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let Some(conf) = ctx.stack.odoo.conf else { return };
        let Some(memory) = ctx.memory() else { return };
        let major = ctx.stack.version.major;
        let floor = version_floor(major);
        let need = Bytes(floor.0 + FLOOR_PADDING.0);
        if memory.value >= need {
            return;
        }
        let d = ctx
            .diag(
                Span::new(conf, TextRange::empty(0)),
                format!(
                    "the Odoo service gets {} ({}), below what {} needs: {floor} to boot plus {FLOOR_PADDING} of headroom = {need}",
                    memory.value,
                    memory.origin,
                    ctx.stack.version.label()
                ),
            )
            .with_primary_label(format!("stack `{}`", ctx.stack.name))
            .with_help(format!("give the Odoo service at least {need}"))
            .with_note("Odoo publishes no official minimum: these floors are a hosting platform's field figures (odoo-lint's seed 003)");
        ctx.push(d);
    }
}
