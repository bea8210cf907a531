use super::limits_files;
use crate::declare_rule;
use crate::diagnostic::{Edit, Fix};
use crate::files::FileKind;
use crate::formats::limits::{EntryKind, Item, LimitType};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::{FileId, Span, TextRange};

declare_rule! {
    /// A soft open-file limit above the hard one.
    pub struct NofileSoftAboveHard {
        code: "OL502",
        name: "nofile-soft-above-hard",
        severity: Error,
        fix: Safe,
        symptoms: [Silent, S502],
        summary: "a soft `nofile` above the hard one",
    }
}

impl Rule for NofileSoftAboveHard {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        limits_conf(ctx);
        systemd(ctx);
    }
}

/// The last soft and hard `nofile` line of each domain, across the limits files in
/// pam_limits' order: pam_limits lowers a soft limit above the hard one to the hard one
/// (`setup_limits`), so the raise silently does not happen.
fn limits_conf(ctx: &mut Ctx) {
    struct Line {
        file: FileId,
        range: TextRange,
        value_range: TextRange,
        value: Option<u64>,
    }
    let mut by_domain: Vec<(String, Option<Line>, Option<Line>)> = Vec::new();
    for (file, limits) in limits_files(ctx) {
        let text = &ctx.files.source(file).text;
        for l in &limits.lines {
            let Some(e) = &l.entry else { continue };
            let EntryKind::Limit { limit_type: Some(t), item: Some(Item::Nofile), value: Some(v), value_range, .. } = &e.kind
            else {
                continue;
            };
            if e.skipped.is_some() {
                continue;
            }
            let domain = e.domain_range.of(text).to_string();
            let at = match by_domain.iter().position(|(d, _, _)| *d == domain) {
                Some(i) => i,
                None => {
                    by_domain.push((domain, None, None));
                    by_domain.len() - 1
                }
            };
            // strtoull's overflow value is RLIM_INFINITY: unlimited too
            let value = v.rlimit(Item::Nofile).filter(|&n| n != u64::MAX);
            let mk = || Line { file, range: e.domain_range.cover(*value_range), value_range: *value_range, value };
            if matches!(t, LimitType::Soft | LimitType::Both) {
                by_domain[at].1 = Some(mk());
            }
            if matches!(t, LimitType::Hard | LimitType::Both) {
                by_domain[at].2 = Some(mk());
            }
        }
    }
    for (domain, soft, hard) in by_domain {
        let (Some(soft), Some(hard)) = (soft, hard) else { continue };
        let above = match (soft.value, hard.value) {
            (None, Some(_)) => true,
            (Some(s), Some(h)) => s > h,
            _ => false,
        };
        if !above {
            continue;
        }
        let shown = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_else(|| "unlimited".into());
        let soft_text = soft.value_range.of(&ctx.files.source(soft.file).text).to_string();
        let d = ctx
            .diag(
                Span::new(soft.file, soft.range),
                format!(
                    "the soft `nofile` limit of `{domain}` ({}) is above its hard limit ({}): pam_limits lowers it to {}, so the raise does not happen",
                    shown(soft.value),
                    shown(hard.value),
                    shown(hard.value)
                ),
            )
            .with_primary_label("soft")
            .with_label(Span::new(hard.file, hard.range), "hard")
            .with_fix(Fix::safe(
                format!("raise the hard limit of `{domain}` to {soft_text}"),
                vec![Edit::replace(hard.file, hard.value_range, soft_text.clone())],
            ));
        ctx.push(d);
    }
}

/// `LimitNOFILE=soft:hard` with soft above hard: systemd ignores the whole line and keeps its
/// default (1024).
fn systemd(ctx: &mut Ctx) {
    for file in ctx.stack.files_of(ctx.files, FileKind::Systemd).collect::<Vec<_>>() {
        let Some(unit) = ctx.files.unit(file) else { continue };
        for a in unit.values("Service", "LimitNOFILE") {
            let Some((soft, hard)) = a.value.text.split_once(':') else { continue };
            if crate::formats::systemd::values::parse_rlimit(&a.value.text).is_ok() {
                continue;
            }
            let (Ok(s), Ok(h)) =
                (crate::formats::systemd::values::parse_rlimit(soft), crate::formats::systemd::values::parse_rlimit(hard))
            else {
                continue;
            };
            if s.soft <= h.hard {
                continue;
            }
            let d = ctx
                .diag(
                    Span::new(file, a.value.range()),
                    format!("`LimitNOFILE={}` sets the soft limit above the hard one: systemd ignores the line (\"soft resource limit chosen higher than hard limit\") and Odoo keeps the default 1024", a.value.text),
                )
                .with_primary_label("soft above hard")
                .with_fix(Fix::safe(format!("set `LimitNOFILE={soft}` (soft and hard)"), vec![Edit::replace(file, a.value.range(), soft.to_string())]));
            ctx.push(d);
        }
    }
}
