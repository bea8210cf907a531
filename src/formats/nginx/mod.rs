//! nginx configuration: the syntax as nginx's tokenizer reads it ([`syntax`]), the files an
//! `include` pulls in ([`include`]), and what a whole configuration means once includes are
//! expanded and inheritance is applied ([`model`]).

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
    Block, Comment, CommentId, Directive, DirectiveEnd, DirectiveId, LuaBlock, Node, Quote,
    SyntaxTree, Token, TokenKind, Word, parse, parse_with_grammar,
};
