use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::formats::nginx::model::{RootContext, Source};
use crate::rules::proxy::edit::{insert_directives, replace_arg};
use crate::rules::{Ctx, Rule, RuleMeta};
use crate::stack::proxy::RouteRole;
use crate::units::{Bytes, MIB, parse_nginx_size};

declare_rule! {
    /// nginx refuses uploads Odoo would accept.
    pub struct UploadSizeTooSmall {
        code: "OL707",
        name: "upload-size-too-small",
        severity: Warning,
        fix: Safe,
        symptoms: [S413],
        summary: "`client_max_body_size` is at nginx's default 1m (or below) on Odoo locations: attachments fail with 413",
    }
}

/// Odoo's web client refuses files above 128 MiB by default (`web.max_file_upload_size`).
pub(crate) const ODOO_UPLOAD_LIMIT: &str = "128m";

impl Rule for UploadSizeTooSmall {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let stack = ctx.stack;
        let mut seen = Vec::new();
        for route in stack.routes.iter().filter(|r| r.role == RouteRole::Main) {
            let model = route.model(stack);
            let eff = model.effective(Some(route.scope), "client_max_body_size");
            if eff.outer_unknown && eff.source == Source::Default && model.context != RootContext::Http {
                continue;
            }
            let Some(size) = eff.args.first().and_then(|a| parse_nginx_size(a)) else { continue };
            if size.0 == 0 || size.0 > MIB {
                continue; // 0 = no limit
            }
            let server = model.server(model.location(route.location).server).node;
            let key = (route.config, eff.source, server);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let (span, label) = match eff.source {
                Source::Set(n) => (model.node(n).arg_span(0).unwrap_or_else(|| model.span(n)), format!("at most {size}")),
                _ => (route.location_span(stack), format!("no `client_max_body_size`: nginx's default, {}", Bytes(MIB))),
            };
            let mut d = ctx
                .diag(
                    span,
                    format!(
                        "nginx accepts request bodies of at most {size} on `location {}`: uploading an attachment, importing a file or restoring a database above that fails with 413 Request Entity Too Large before Odoo sees it",
                        route.path
                    ),
                )
                .with_primary_label(label)
                .with_note("Odoo's own limit is 128 MiB (`web.max_file_upload_size`)");
            let edits = match eff.source {
                Source::Set(n) => replace_arg(ctx.files, model, n, 0, ODOO_UPLOAD_LIMIT).into_iter().collect::<Vec<_>>(),
                _ => insert_directives(ctx.files, model, server, &[format!("client_max_body_size {ODOO_UPLOAD_LIMIT};")])
                    .into_iter()
                    .collect(),
            };
            if !edits.is_empty() {
                d = d.with_fix(Fix::safe(
                    format!("set `client_max_body_size {ODOO_UPLOAD_LIMIT}` (Odoo's own upload limit)"),
                    edits,
                ));
            }
            ctx.push(d);
        }
    }
}
