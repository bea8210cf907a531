//! nginx configuration files.
//!
//! - [`syntax`]: the lossless tree of one file, read as nginx's tokenizer reads it (the token
//!   syntax is `grammar/nginx.pest`; [`parse`] uses a scanner that the tests hold to it).
//! - [`layout`]: where and how to write new directives, in the file's own style.
//! - [`include`](mod@include): the files an `include` pulls in (prefix, globs, stock files, cycles); the
//!   caller loads them through [`include::NginxLoader`].
//! - [`model`]: what a configuration means once includes are expanded: servers, locations,
//!   upstreams, maps, and each directive's effective value after inheritance.
//! - [`values`], [`directives`]: argument readers and nginx's inheritance rules and defaults.
//! - [`nginx_t`]: running the real `nginx -t` on a sandboxed copy (tests, fix checks).

pub mod directives;
mod glob;
mod grammar;
pub mod include;
pub mod layout;
mod lexer;
pub mod model;
pub mod nginx_t;
pub mod syntax;
pub mod values;

pub use syntax::{
    Block, Comment, CommentId, Directive, DirectiveEnd, DirectiveId, LuaBlock, Node, Quote, SyntaxTree, Token, TokenKind, Word,
    parse, parse_with_grammar,
};
