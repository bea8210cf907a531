use crate::declare_rule;
use crate::diagnostic::Severity;
use crate::files::FileKind;
use crate::formats::postgresql::Origin;
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::source::Span;

declare_rule! {
    /// The same key twice in one section, or the same section twice.
    pub struct DuplicateOption {
        code: "OL004",
        name: "duplicate-option",
        severity: Error,
        fix: None,
        symptoms: [RefusedStart],
        summary: "the same key twice in one odoo.conf section (configparser refuses the file), or in one postgresql.conf (a warning naming the line that wins)",
    }
}

impl Rule for DuplicateOption {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for file in ctx.stack.files_of(ctx.files, FileKind::OdooConf).collect::<Vec<_>>() {
            let Some(conf) = ctx.files.odoo_conf(file) else {
                continue;
            };
            for section in &conf.sections {
                if let Some(first) = section.duplicate_of {
                    let first = &conf.sections[first];
                    let d = ctx
                        .diag(
                            Span::new(file, section.header),
                            format!(
                                "section [{}] appears twice: Python's configparser raises DuplicateSectionError and Odoo does not start",
                                section.name
                            ),
                        )
                        .with_primary_label("second header")
                        .with_label(Span::new(file, first.header), "first header")
                        .with_help(format!("merge the keys of both [{}] sections under the first header and delete the second", section.name));
                    ctx.push(d);
                }
            }
            for entry in &conf.entries {
                if let Some(first) = entry.duplicate_of {
                    let first = &conf.entries[first];
                    let section = &conf.sections[entry.section].name;
                    let d = ctx
                        .diag(
                            Span::new(file, entry.key_range),
                            format!(
                                "`{}` is set twice in [{section}]: Python's configparser raises DuplicateOptionError and Odoo does not start",
                                entry.key
                            ),
                        )
                        .with_primary_label("set again here")
                        .with_label(Span::new(file, first.key_range), "first set here")
                        .with_help(format!("keep one `{}` line and delete the other", entry.key));
                    ctx.push(d);
                }
            }
        }
        postgresql(ctx);
    }
}

/// A parameter set twice in one postgresql.conf: PostgreSQL uses the last value it reads and
/// ignores the others without a word, so an edit to the first line silently does nothing. Set
/// in different files (an include, postgresql.auto.conf), overriding is how layering works and
/// is not reported.
fn postgresql(ctx: &mut Ctx) {
    for file in ctx.stack.files_of(ctx.files, FileKind::Postgresql).collect::<Vec<_>>() {
        let Some(conf) = ctx.files.pg_conf(file) else { continue };
        let settings: Vec<_> =
            conf.settings().filter(|s| !matches!(s.name.key.as_str(), "include" | "include_if_exists" | "include_dir")).collect();
        for (i, s) in settings.iter().enumerate() {
            let Some(later) = settings[i + 1..].iter().rev().find(|x| x.name.key == s.name.key) else { continue };
            // The occurrence that wins in the whole configuration (a later file may override both).
            let model = ctx.stack.postgres.iter().find(|m| m.file_ids().any(|f| f == file));
            let winner = model.and_then(|m| {
                let p = m.config.param(&s.name.key)?;
                let span = m.span(&p.winner)?;
                let shown = p.winner.raw().unwrap_or_default().to_string();
                let where_ = match p.winner {
                    Origin::File { file: f, setting } if m.id(f) == Some(file) => format!("line {}", setting.line),
                    _ => m.origin_text(ctx.files, &p.winner),
                };
                Some((span, shown, where_))
            });
            let (win_span, shown, where_) = winner.unwrap_or_else(|| {
                (
                    Span::new(file, later.name.range.cover(later.value.range)),
                    later.value.text.clone(),
                    format!("line {}", later.line),
                )
            });
            let d = ctx
                .diag(
                    Span::new(file, s.name.range.cover(s.value.range)),
                    format!(
                        "`{}` is set {} times in this file: PostgreSQL uses the last value it reads, `{shown}` ({where_}), and ignores this line",
                        s.name.text,
                        settings.iter().filter(|x| x.name.key == s.name.key).count()
                    ),
                )
                .with_severity(Severity::Warning)
                .with_primary_label("ignored")
                .with_label(win_span, "this one wins")
                .with_help(format!("keep one `{}` line and delete the others", s.name.text));
            ctx.push(d);
        }
    }
}
