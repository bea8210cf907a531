use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// An `# odoo-lint: ignore[...]` comment that silences nothing. The engine emits this one
    /// after every other rule has run and the suppressions are matched (see `suppress.rs`).
    pub struct UnusedSuppression {
        code: "OL011",
        name: "unused-suppression",
        severity: Warning,
        fix: Safe,
        symptoms: [],
        summary: "an `odoo-lint: ignore[...]` comment silences no finding, names no rule, or cannot be read",
    }
}

impl Rule for UnusedSuppression {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, _ctx: &mut Ctx) {}
}
