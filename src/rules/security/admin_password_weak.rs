use crate::declare_rule;
use crate::rules::input::is_template_value;
use crate::rules::{Ctx, Rule, RuleMeta};

declare_rule! {
    /// A master password that protects nothing.
    pub struct AdminPasswordWeak {
        code: "OL801",
        name: "admin-password-weak",
        severity: Error,
        fix: None,
        symptoms: [Exposed, LostData],
        summary: "`admin_passwd` is missing (defaults to `admin`), `admin`, or stored in plain text rather than a passlib hash",
    }
}

impl Rule for AdminPasswordWeak {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &mut Ctx) {
        let odoo = &ctx.stack.odoo;
        if !odoo.known() {
            return;
        }
        // With the database manager off (`list_db` false), the master password guards nothing
        // reachable: Odoo refuses every database-management call.
        if odoo.flag("list_db").is_some_and(|l| !l.value) {
            return;
        }
        let major = odoo.major;
        let (problem, label) = match odoo.get("admin_passwd") {
            None => (
                "`admin_passwd` is not set, so the master password is Odoo's default, `admin`".to_string(),
                "no `admin_passwd` here",
            ),
            Some(s) if is_template_value(&s.raw) => return,
            Some(s) if s.raw.is_empty() => return, // empty: Odoo refuses every master password
            Some(s) if s.raw == "False" || s.raw == "false" => {
                if major <= 18 {
                    return; // 14–18: False turns master-password checks off (nothing matches)
                }
                (
                    "Odoo 19 skips `admin_passwd = False` with a warning, so the master password is the default, `admin`"
                        .to_string(),
                    "skipped by Odoo 19",
                )
            }
            Some(s) if s.raw == "admin" => ("the master password is `admin`, Odoo's default".to_string(), "the default password"),
            Some(s) if s.raw.starts_with('$') => return, // a passlib hash ($pbkdf2-sha512$…)
            Some(_) => (
                "the master password is stored in plain text: anyone who can read this file, or a backup of it, can use it"
                    .to_string(),
                "plain text (value not shown)",
            ),
        };
        let Some((span, default_label)) = odoo.place(ctx.files, "admin_passwd") else { return };
        let d = ctx
            .diag(span, format!("{problem}; with the database manager on (`list_db`), it lets anyone who reaches /web/database create, back up, restore and drop databases"))
            .with_primary_label(if default_label.is_empty() { label.to_string() } else { default_label })
            .with_help("set a long random master password and store its hash: Odoo writes one for you when you change it in the database manager, or run `python3 -c \"from passlib.hash import pbkdf2_sha512; print(pbkdf2_sha512.hash(input()))\"`; or turn the manager off with `list_db = False`");
        ctx.push(d);
    }
}
