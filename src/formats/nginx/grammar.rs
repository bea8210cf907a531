//! The pest parser generated from `grammar/nginx.pest` (the token syntax; see that file).

/// Generated from `grammar/nginx.pest`. Its `file` rule accepts every input and yields a
/// flat stream of tokens, which [`super::syntax`] assembles into a tree.
#[derive(pest_derive::Parser)]
#[grammar = "grammar/nginx.pest"]
pub(super) struct NginxGrammar;
