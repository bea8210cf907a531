use crate::declare_rule;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Host facts that some rule needed were not given. The engine emits this one after every
    /// other rule has run, once per stack (see `lint.rs`).
    pub struct HostUnknown {
        code: "OL010",
        name: "host-unknown",
        severity: Info,
        fix: None,
        symptoms: [],
        summary: "a host fact (CPUs, RAM) that some rule needs is unknown; lists the rules skipped",
    }
}

impl Rule for HostUnknown {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, _ctx: &mut Ctx) {}
}
