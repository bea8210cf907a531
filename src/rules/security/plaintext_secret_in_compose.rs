use crate::declare_rule;
use crate::formats::compose::model::EnvSource;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// Passwords written in the compose file itself.
    pub struct PlaintextSecretInCompose {
        code: "OL806",
        name: "plaintext-secret-in-compose",
        severity: Info,
        fix: None,
        symptoms: [Exposed],
        summary: "passwords written inline in compose `environment` rather than secrets or an env file",
    }
}

impl Rule for PlaintextSecretInCompose {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        for m in &ctx.stack.compose {
            for (i, s) in m.project.services.iter().enumerate() {
                for e in &s.environment {
                    if e.source != EnvSource::Compose
                        || !crate::secrets::is_secret_key(&e.name)
                        || e.name.ends_with("_FILE")
                        || !e.interpolations.is_empty()
                        || e.value.as_deref().is_none_or(|v| v.is_empty())
                    {
                        continue;
                    }
                    let Some(span) = m.span(&e.origin) else { continue };
                    let d = ctx
                        .diag(
                            span,
                            format!(
                                "`{}` of {} is written in the compose file itself: whoever reads the repository, or runs `docker compose config`, reads it",
                                e.name,
                                m.describe_service(i)
                            ),
                        )
                        .with_primary_label("a password in plain text")
                        .with_help(format!(
                            "write `{0}: ${{{0}}}` and keep the value in a `.env` file out of the repository, or use compose `secrets:` with `{0}_FILE` where the image reads one",
                            e.name
                        ));
                    ctx.push(d);
                }
            }
        }
    }
}
