use super::{is_nofile_value_error, systemd_problems};
use crate::declare_rule;
use crate::files::Syntax;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// A line its program reads past without using it.
    pub struct IgnoredLine {
        code: "OL014",
        name: "ignored-line",
        severity: Warning,
        fix: None,
        symptoms: [Silent],
        summary: "a line its program logs and skips: a systemd key or line it does not know, a pam_limits line it cannot use",
    }
}

impl Rule for IgnoredLine {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for &file in &ctx.stack.files {
            let entry = ctx.files.get(file);
            let (program, problems) = match &entry.syntax {
                Syntax::Systemd(unit) => (
                    "systemd",
                    systemd_problems(ctx, file, unit).into_iter().filter(|(_, fatal)| !fatal).map(|(e, _)| e).collect::<Vec<_>>(),
                ),
                // `nofile` values are OL005's
                Syntax::Limits(limits) => {
                    ("pam_limits", limits.errors.iter().filter(|e| !is_nofile_value_error(limits, e)).cloned().collect())
                }
                _ => continue,
            };
            for e in problems {
                let message = if e.message.contains("ignores") {
                    e.message.clone()
                } else {
                    format!("{program} ignores this: {}", e.message)
                };
                let mut d = ctx
                    .diag(Span::new(file, e.range), message)
                    .with_primary_label(e.label.clone().unwrap_or_else(|| "ignored".to_string()));
                for (range, label) in &e.related {
                    d = d.with_label(Span::new(file, *range), label.clone());
                }
                if let Some(h) = &e.help {
                    d = d.with_help(h.clone());
                } else if program == "systemd"
                    && let Some(close) = closest_unit_key(e.range.of(&ctx.files.source(file).text))
                {
                    d = d.with_help(format!("did you mean `{close}`?"));
                }
                ctx.push(d);
            }
        }
    }
}

/// The systemd key a misspelt one most likely meant (`LimitNOFLIE` → `LimitNOFILE`).
fn closest_unit_key(key: &str) -> Option<&'static str> {
    use crate::formats::systemd::keys::{INSTALL, SERVICE, UNIT};
    // keys people invent by analogy, which edit distance gets wrong
    if key == "ExecRestart" {
        return Some("ExecReload");
    }
    let all: Vec<&'static str> = UNIT.iter().chain(SERVICE).chain(INSTALL).copied().collect();
    let close = crate::suggest::closest(key, &all)?;
    (close != key).then_some(close)
}
