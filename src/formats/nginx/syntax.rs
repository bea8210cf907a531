//! The lossless syntax tree of one nginx file, and the parser that builds it.
//!
//! The pest grammar (`grammar/nginx.pest`) cuts the text into tokens exactly where nginx's
//! tokenizer does; [`parse`] then plays nginx's own parse loop (`ngx_conf_parse`) over that
//! flat stream: words gather into a directive until `;` or `{`, a `}` closes the innermost
//! block. Blocks are paired with an explicit stack and stored in an arena, so neither parsing
//! nor dropping a tree recurses, whatever the depth of nesting.
//!
//! Every byte of the file belongs to exactly one [`Token`], so the file reprints
//! byte-identical from [`SyntaxTree::tokens`]. Each word keeps its range with and without
//! quotes; [`Word::value`] gives what nginx makes of it after unescaping.
//!
//! Errors carry nginx's own wording. nginx stops at the first one; this parser recovers and
//! goes on (a directive cut short by `}` ends there, a stray `}` is skipped), so
//! `errors()[0]` is what `nginx -t` reports and later ones are seldom cascades of it.

use std::borrow::Cow;

use super::lexer::{RawKind, RawToken, Scanner, pest_tokens};
use crate::formats::SyntaxError;
use crate::source::TextRange;

/// Index of a directive in its [`SyntaxTree`]. Ids follow source order, so a block
/// directive's id is smaller than those of the directives inside it (pre-order).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct DirectiveId(pub u32);

/// Index of a comment in its [`SyntaxTree`], in source order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct CommentId(pub u32);

/// A child of a block (or of the file's top level), in source order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Node {
    Directive(DirectiveId),
    Comment(CommentId),
}

/// What a [`Token`] is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum TokenKind {
    /// Spaces, tabs, CR and LF: nginx's only separators.
    Whitespace,
    /// `#` to the end of the line (without the line feed).
    Comment,
    /// A directive name or argument, quoted or not, as written.
    Word,
    Semicolon,
    OpenBrace,
    CloseBrace,
    /// The raw Lua code between the braces of a `*_by_lua_block`.
    LuaCode,
}

/// One piece of the file. The tokens of a tree cover the file exactly, in order.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Token {
    pub kind: TokenKind,
    pub range: TextRange,
}

/// How a word is quoted.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Quote {
    None,
    Double,
    Single,
}

/// A directive name or argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Word {
    /// The word as written, quotes included.
    pub range: TextRange,
    pub quote: Quote,
    /// False for a quote that is never closed (the word then runs to the end of the file).
    pub terminated: bool,
    /// Whether the word holds a backslash, so that its value may differ from its text.
    pub escaped: bool,
}

impl Word {
    /// The range of the text between the quotes (the whole word if unquoted).
    pub fn inner(&self) -> TextRange {
        match self.quote {
            Quote::None => self.range,
            _ => {
                let start = self.range.start + 1;
                let end = if self.terminated { self.range.end - 1 } else { self.range.end };
                TextRange { start, end: end.max(start) }
            }
        }
    }

    pub fn is_quoted(&self) -> bool {
        self.quote != Quote::None
    }

    /// The word as written, quotes included.
    pub fn raw<'a>(&self, text: &'a str) -> &'a str {
        self.range.of(text)
    }

    /// The value nginx sees: the text between the quotes, with nginx's unescaping
    /// (`\"`, `\'` and `\\` lose their backslash; `\t`, `\r`, `\n` become the control
    /// characters; any other backslash stays, as in `\d` in a regex or `\$host`).
    pub fn value<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let inner = self.inner().of(text);
        if self.escaped { Cow::Owned(unescape(inner)) } else { Cow::Borrowed(inner) }
    }
}

/// nginx's unescaping of a word (the copy loop at the end of `ngx_conf_read_token`).
pub fn unescape(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' {
            match b.get(i + 1) {
                Some(&c @ (b'"' | b'\'' | b'\\')) => {
                    out.push(c);
                    i += 2;
                    continue;
                }
                Some(b't') => {
                    out.push(b'\t');
                    i += 2;
                    continue;
                }
                Some(b'r') => {
                    out.push(b'\r');
                    i += 2;
                    continue;
                }
                Some(b'n') => {
                    out.push(b'\n');
                    i += 2;
                    continue;
                }
                _ => {}
            }
        }
        out.push(b[i]);
        i += 1;
    }
    // Only ASCII bytes were removed or replaced, so the result is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A block: `{`, its children, `}`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Block {
    pub open: TextRange,
    /// `None` when the file ends first (an error was reported).
    pub close: Option<TextRange>,
    pub children: Vec<Node>,
}

/// The raw body of a `*_by_lua_block` directive.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LuaBlock {
    pub open: TextRange,
    /// The Lua code between the braces, untouched.
    pub code: TextRange,
    /// `None` when the file ends first (an error was reported).
    pub close: Option<TextRange>,
}

/// How a directive ends.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum DirectiveEnd {
    Semicolon(TextRange),
    Block(Block),
    Lua(LuaBlock),
    /// Cut short by a `}` or the end of the file (an error was reported).
    Missing,
}

/// One directive: a name, arguments, and a `;`, a block or a Lua body.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Directive {
    pub name: Word,
    pub args: Vec<Word>,
    pub end: DirectiveEnd,
    /// The directive whose block holds this one (`None` at the top of the file).
    pub parent: Option<DirectiveId>,
    /// Number of enclosing blocks.
    pub depth: u32,
    /// From the name to the `;` or the closing `}` (to the last word if cut short).
    pub range: TextRange,
    /// Comments written between the words of this directive.
    pub inner_comments: Vec<CommentId>,
}

impl Directive {
    /// The directive's block, if it has one (not for Lua bodies).
    pub fn block(&self) -> Option<&Block> {
        match &self.end {
            DirectiveEnd::Block(b) => Some(b),
            _ => None,
        }
    }

    /// The name as nginx sees it (unescaped, unquoted).
    pub fn name<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.name.value(text)
    }

    /// Whether the (unescaped) name is `name`.
    pub fn is(&self, text: &str, name: &str) -> bool {
        if !self.name.escaped && !self.name.is_quoted() {
            return self.name.range.of(text) == name;
        }
        self.name.value(text) == name
    }

    /// The values of the arguments.
    pub fn arg_values<'a>(&self, text: &'a str) -> Vec<Cow<'a, str>> {
        self.args.iter().map(|w| w.value(text)).collect()
    }

    /// The last word (an argument, or the name when there is none).
    pub fn last_word(&self) -> &Word {
        self.args.last().unwrap_or(&self.name)
    }
}

/// A `#` comment.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Comment {
    /// From `#` to the end of the line, line feed excluded.
    pub range: TextRange,
    /// The block that holds it (`None` at the top of the file).
    pub parent: Option<DirectiveId>,
    /// The directive between whose words it was written, if any.
    pub within: Option<DirectiveId>,
}

impl Comment {
    /// The text after `#`, without a trailing CR.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        let s = self.range.of(text);
        let s = s.strip_prefix('#').unwrap_or(s);
        s.strip_suffix('\r').unwrap_or(s)
    }
}

/// The tree of one file. It holds ranges only; pass the file's text to read values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyntaxTree {
    directives: Vec<Directive>,
    comments: Vec<Comment>,
    top: Vec<Node>,
    tokens: Vec<Token>,
    errors: Vec<SyntaxError>,
}

impl SyntaxTree {
    /// Errors in source order of discovery; the first is the one nginx reports.
    pub fn errors(&self) -> &[SyntaxError] {
        &self.errors
    }

    /// Every piece of the file, in order; their ranges cover the file exactly.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The nodes at the top of the file.
    pub fn top(&self) -> &[Node] {
        &self.top
    }

    /// The children of a block directive, or of the top of the file for `None`.
    pub fn children(&self, parent: Option<DirectiveId>) -> &[Node] {
        match parent {
            None => &self.top,
            Some(id) => self.directive(id).block().map(|b| b.children.as_slice()).unwrap_or(&[]),
        }
    }

    /// The directives directly inside a block (or at the top for `None`).
    pub fn child_directives(&self, parent: Option<DirectiveId>) -> impl Iterator<Item = DirectiveId> + '_ {
        self.children(parent).iter().filter_map(|n| match n {
            Node::Directive(d) => Some(*d),
            Node::Comment(_) => None,
        })
    }

    pub fn directive(&self, id: DirectiveId) -> &Directive {
        &self.directives[id.0 as usize]
    }

    pub fn comment(&self, id: CommentId) -> &Comment {
        &self.comments[id.0 as usize]
    }

    /// All directives, in source order (pre-order), with their ids.
    pub fn directives(&self) -> impl Iterator<Item = (DirectiveId, &Directive)> + '_ {
        self.directives.iter().enumerate().map(|(i, d)| (DirectiveId(i as u32), d))
    }

    /// All comments, in source order, with their ids.
    pub fn comments(&self) -> impl Iterator<Item = (CommentId, &Comment)> + '_ {
        self.comments.iter().enumerate().map(|(i, c)| (CommentId(i as u32), c))
    }

    pub fn directive_count(&self) -> usize {
        self.directives.len()
    }

    /// The enclosing block directives of `id`, innermost first.
    pub fn ancestors(&self, id: DirectiveId) -> impl Iterator<Item = DirectiveId> + '_ {
        std::iter::successors(self.directive(id).parent, move |p| self.directive(*p).parent)
    }

    /// The text of the file rebuilt from the tokens (equal to the input).
    pub fn reprint(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for t in &self.tokens {
            out.push_str(t.range.of(text));
        }
        out
    }

    /// The comment lines directly above a directive (no blank line or other token between),
    /// nearest last. This is where a suppression comment for the directive is written.
    pub fn leading_comments(&self, id: DirectiveId, text: &str) -> Vec<CommentId> {
        let d = self.directive(id);
        let siblings = self.children(d.parent);
        let Some(pos) = self.sibling_index(id) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut next_start = d.range.start as usize;
        for node in siblings[..pos].iter().rev() {
            let Node::Comment(c) = node else { break };
            let cr = self.comment(*c).range;
            let gap = &text[cr.end as usize..next_start];
            // the comment must end the line just above: exactly one line break between
            let breaks = gap.matches('\n').count();
            if breaks != 1 || !gap.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
                break;
            }
            // and stand on its own line
            let line_start = text[..cr.start as usize].rfind('\n').map(|i| i + 1).unwrap_or(0);
            if !text[line_start..cr.start as usize].bytes().all(|b| b == b' ' || b == b'\t') {
                break;
            }
            out.push(*c);
            next_start = cr.start as usize;
        }
        out.reverse();
        out
    }

    /// The comment on the same line right after a directive's end (`proxy_pass x; # note`),
    /// or, for a block directive, right after its `{`.
    pub fn trailing_comment(&self, id: DirectiveId, text: &str) -> Option<CommentId> {
        let d = self.directive(id);
        let mut ends = vec![d.range.end];
        if let DirectiveEnd::Block(b) = &d.end {
            ends.insert(0, b.open.end);
        }
        ends.into_iter().find_map(|end| {
            let idx = self.comments.partition_point(|c| c.range.start < end);
            let c = self.comments.get(idx)?;
            let gap = text.get(end as usize..c.range.start as usize)?;
            gap.bytes().all(|b| b == b' ' || b == b'\t').then_some(CommentId(idx as u32))
        })
    }

    /// Where a node starts.
    pub fn node_start(&self, node: Node) -> u32 {
        match node {
            Node::Directive(d) => self.directive(d).range.start,
            Node::Comment(c) => self.comment(c).range.start,
        }
    }

    /// The position of a directive among its siblings.
    fn sibling_index(&self, id: DirectiveId) -> Option<usize> {
        let d = self.directive(id);
        let siblings = self.children(d.parent);
        let i = siblings.partition_point(|n| self.node_start(*n) < d.range.start);
        (siblings.get(i) == Some(&Node::Directive(id))).then_some(i)
    }
}

/// Parses one file. Never fails and never panics: problems are in [`SyntaxTree::errors`].
pub fn parse(text: &str) -> SyntaxTree {
    let mut b = Builder::default();
    for t in Scanner::new(text) {
        b.token(t, text);
    }
    b.finish(text)
}

/// Parses one file with the pest grammar instead of the hand-written scanner. The result is
/// the same as [`parse`]'s (the tests check this on every file they have), only slower;
/// it is there to keep the grammar the executable reference.
pub fn parse_with_grammar(text: &str) -> SyntaxTree {
    let mut b = Builder::default();
    match pest_tokens(text) {
        Ok(tokens) => {
            for t in tokens {
                b.token(t, text);
            }
            b.finish(text)
        }
        Err(e) => {
            // The grammar accepts every input, so only a limit of pest itself ends up here.
            let range = TextRange::new(0, text.len());
            b.tree.tokens.push(Token { kind: TokenKind::Word, range });
            b.tree.errors.push(SyntaxError::new(range, format!("internal parser error: {e}")));
            b.tree
        }
    }
}

/// An open `{`: a directive's block, or a stray one (an error was reported).
#[derive(Clone, Copy)]
enum Open {
    /// A directive's block, and the block that was current before it.
    Block(DirectiveId, Option<DirectiveId>),
    Stray(TextRange),
}

#[derive(Default)]
struct Builder {
    tree: SyntaxTree,
    /// Words of the directive being read (name first).
    words: Vec<Word>,
    /// Comments written between those words.
    word_comments: Vec<CommentId>,
    /// The directive being read has a `*_by_lua_block` name.
    lua_name: bool,
    /// Open blocks, innermost last.
    stack: Vec<Open>,
    /// The innermost open directive block.
    current: Option<DirectiveId>,
    /// Number of open directive blocks.
    depth: u32,
    /// End of the previous token (for whitespace gaps).
    last_end: usize,
    /// End of a closed quoted word just read: nginx needs a space, `;`, `{` or `)` next.
    after_quote: Option<usize>,
    /// A Lua directive whose `{` was read and whose body comes next.
    lua_expect_body: Option<DirectiveId>,
    /// A Lua directive whose body was read and whose `}` comes next.
    lua_expect_close: Option<DirectiveId>,
    /// A Lua body held an unclosed long bracket (reported; the end-of-file error is not).
    lua_bracket_error: bool,
}

impl Builder {
    fn token(&mut self, raw: RawToken, text: &str) {
        let range = raw.range;
        if range.start as usize > self.last_end {
            self.push_token(TokenKind::Whitespace, TextRange::new(self.last_end, range.start as usize));
        }
        self.last_end = self.last_end.max(range.end as usize);
        if let Some(q_end) = self.after_quote.take()
            && q_end == range.start as usize
        {
            self.check_after_quote(raw.kind, range, text);
        }
        match raw.kind {
            RawKind::Comment => {
                self.push_token(TokenKind::Comment, range);
                let id = CommentId(self.tree.comments.len() as u32);
                let within_directive = !self.words.is_empty();
                self.tree.comments.push(Comment { range, parent: self.current, within: None });
                if within_directive {
                    self.word_comments.push(id);
                } else {
                    self.children_mut().push(Node::Comment(id));
                }
            }
            RawKind::BareWord | RawKind::DqString | RawKind::SqString | RawKind::Unterminated | RawKind::LuaName => {
                self.push_token(TokenKind::Word, range);
                let raw_text = range.of(text);
                let quote = match (raw.kind, raw_text.as_bytes().first()) {
                    (RawKind::BareWord, _) => Quote::None,
                    (_, Some(b'"')) => Quote::Double,
                    (_, Some(b'\'')) => Quote::Single,
                    _ => Quote::None,
                };
                let terminated = raw.kind != RawKind::Unterminated;
                if quote != Quote::None && terminated {
                    self.after_quote = Some(range.end as usize);
                }
                if self.words.is_empty() {
                    self.lua_name = raw.kind == RawKind::LuaName;
                }
                let escaped = raw_text.as_bytes().contains(&b'\\');
                self.words.push(Word { range, quote, terminated, escaped });
            }
            RawKind::Semicolon => {
                self.push_token(TokenKind::Semicolon, range);
                if self.words.is_empty() {
                    self.error(SyntaxError::new(range, "unexpected \";\"").with_label("no directive before this `;`"));
                } else {
                    self.finish_directive(DirectiveEnd::Semicolon(range), range.end);
                }
            }
            RawKind::OpenBrace => {
                self.push_token(TokenKind::OpenBrace, range);
                if self.words.is_empty() {
                    self.error(
                        SyntaxError::new(range, "unexpected \"{\"").with_label("a block needs a directive name before it"),
                    );
                    self.stack.push(Open::Stray(range));
                } else if self.lua_name {
                    let lua = LuaBlock { open: range, code: TextRange::empty(range.end as usize), close: None };
                    let id = self.finish_directive(DirectiveEnd::Lua(lua), range.end);
                    self.lua_expect_body = Some(id);
                } else {
                    let block = Block { open: range, close: None, children: Vec::new() };
                    let id = self.finish_directive(DirectiveEnd::Block(block), range.end);
                    self.stack.push(Open::Block(id, self.current));
                    self.current = Some(id);
                    self.depth += 1;
                }
            }
            RawKind::LuaBody(unclosed) => {
                if !range.is_empty() {
                    self.push_token(TokenKind::LuaCode, range);
                }
                if let Some(id) = self.lua_expect_body.take() {
                    if let DirectiveEnd::Lua(lua) = &mut self.tree.directives[id.0 as usize].end {
                        lua.code = range;
                    }
                    self.tree.directives[id.0 as usize].range.end = range.end;
                    self.lua_expect_close = Some(id);
                }
                if let Some(opener) = unclosed {
                    let eqs = opener.len().saturating_sub(2);
                    let closing = format!("]{}]", "=".repeat(eqs));
                    self.lua_bracket_error = true;
                    self.error(
                        SyntaxError::new(
                            opener,
                            format!(
                                "Lua code block missing the closing long bracket \"{closing}\", the inlined Lua code may be too long"
                            ),
                        )
                        .with_label("this long bracket is never closed")
                        .with_help(format!("close it with `{closing}`")),
                    );
                }
            }
            RawKind::CloseBrace => {
                self.push_token(TokenKind::CloseBrace, range);
                self.close_brace(range, text);
            }
        }
    }

    /// nginx's `need_space` state: after a closing quote only whitespace, `;`, `{` or `)`.
    fn check_after_quote(&mut self, kind: RawKind, range: TextRange, text: &str) {
        let ok = match kind {
            RawKind::Semicolon | RawKind::OpenBrace => true,
            RawKind::BareWord => text.as_bytes().get(range.start as usize) == Some(&b')'),
            _ => false,
        };
        if !ok {
            let start = range.start as usize;
            let c = text[start..].chars().next().unwrap_or(' ');
            let r = TextRange::new(start, start + c.len_utf8());
            self.error(
                SyntaxError::new(r, format!("unexpected \"{}\"", display_char(c)))
                    .with_label("a quoted string must be followed by a space, `;` or `{`")
                    .with_help("add a space after the closing quote"),
            );
        }
    }

    fn close_brace(&mut self, range: TextRange, text: &str) {
        if let Some(id) = self.lua_expect_close.take() {
            let d = &mut self.tree.directives[id.0 as usize];
            if let DirectiveEnd::Lua(lua) = &mut d.end {
                lua.close = Some(range);
            }
            d.range.end = range.end;
            return;
        }
        let mut reported = false;
        if !self.words.is_empty() {
            let last = *self.words.last().unwrap_or(&self.words[0]);
            let name = self.words[0].value(text).into_owned();
            self.error(
                SyntaxError::new(range, "unexpected \"}\"")
                    .with_label("the directive before this `}` has no `;`")
                    .with_related(TextRange::empty(last.range.end as usize), "add `;` here")
                    .with_help(format!("end the `{name}` directive with `;`")),
            );
            reported = true;
            self.finish_directive(DirectiveEnd::Missing, last.range.end);
        }
        match self.stack.pop() {
            Some(Open::Block(id, outer)) => {
                let d = &mut self.tree.directives[id.0 as usize];
                if let DirectiveEnd::Block(b) = &mut d.end {
                    b.close = Some(range);
                }
                d.range.end = range.end;
                self.depth -= 1;
                self.current = outer;
            }
            Some(Open::Stray(_)) => {}
            None => {
                if !reported {
                    self.error(
                        SyntaxError::new(range, "unexpected \"}\"")
                            .with_label("no block is open here")
                            .with_help("remove this `}` or the `}` that closes its block too early"),
                    );
                }
            }
        }
    }

    fn finish_directive(&mut self, end: DirectiveEnd, end_offset: u32) -> DirectiveId {
        let id = DirectiveId(self.tree.directives.len() as u32);
        let mut words = std::mem::take(&mut self.words);
        let name = words.remove(0);
        let inner_comments = std::mem::take(&mut self.word_comments);
        for c in &inner_comments {
            self.tree.comments[c.0 as usize].within = Some(id);
        }
        let range = TextRange { start: name.range.start, end: end_offset.max(name.range.end) };
        let depth = self.depth;
        self.tree.directives.push(Directive { name, args: words, end, parent: self.current, depth, range, inner_comments });
        self.children_mut().push(Node::Directive(id));
        self.lua_name = false;
        id
    }

    fn children_mut(&mut self) -> &mut Vec<Node> {
        match self.current {
            None => &mut self.tree.top,
            Some(id) => match &mut self.tree.directives[id.0 as usize].end {
                DirectiveEnd::Block(b) => &mut b.children,
                // `current` is only ever set to a block directive
                _ => &mut self.tree.top,
            },
        }
    }

    fn push_token(&mut self, kind: TokenKind, range: TextRange) {
        self.tree.tokens.push(Token { kind, range });
    }

    fn error(&mut self, e: SyntaxError) {
        self.tree.errors.push(e);
    }

    fn finish(mut self, text: &str) -> SyntaxTree {
        let len = text.len();
        if len > self.last_end {
            self.push_token(TokenKind::Whitespace, TextRange::new(self.last_end, len));
        }
        let eof = TextRange::empty(len);
        if self.lua_expect_close.is_some() || self.lua_expect_body.is_some() {
            let id = self.lua_expect_close.or(self.lua_expect_body);
            if !self.lua_bracket_error {
                let mut e = SyntaxError::new(eof, "unexpected end of file, expecting terminating characters for lua code block");
                if let Some(id) = id
                    && let DirectiveEnd::Lua(lua) = &self.tree.directives[id.0 as usize].end
                {
                    e = e.with_related(lua.open, "this Lua block is never closed");
                }
                self.error(e.with_help("close the Lua block with `}`"));
            }
        } else if !self.words.is_empty() {
            let mut e = SyntaxError::new(eof, "unexpected end of file, expecting \";\" or \"}\"");
            let last = *self.words.last().unwrap_or(&self.words[0]);
            if !last.terminated {
                e = e
                    .with_related(
                        TextRange::new(last.range.start as usize, last.range.start as usize + 1),
                        "this quote is never closed",
                    )
                    .with_help("close the quoted string");
            } else {
                e = e.with_related(TextRange::empty(last.range.end as usize), "add `;` here");
            }
            self.error(e);
            self.finish_directive(DirectiveEnd::Missing, last.range.end);
        } else if let Some(open) = self.stack.last().copied() {
            let open_range = match open {
                Open::Block(id, _) => self.tree.directives[id.0 as usize].block().map(|b| b.open).unwrap_or(eof),
                Open::Stray(r) => r,
            };
            self.error(
                SyntaxError::new(eof, "unexpected end of file, expecting \"}\"")
                    .with_related(open_range, "this block is never closed")
                    .with_help("add the missing `}`"),
            );
        }
        // Blocks left open run to the end of the file.
        for open in &self.stack {
            if let Open::Block(id, _) = open {
                self.tree.directives[id.0 as usize].range.end = len as u32;
            }
        }
        if let Some(first) = self.tree.directives.first() {
            let name = first.name.value(text);
            // the BOM itself, not a quoted name whose value starts with U+FEFF (`"\u{feff}x"`)
            if first.name.range.start == 0 && text.starts_with('\u{feff}') {
                let e = SyntaxError::new(TextRange::new(0, 3), format!("unknown directive \"{name}\""))
                    .with_label("the file starts with a UTF-8 byte-order mark, which nginx reads as part of this name")
                    .with_help("save the file without a byte-order mark");
                self.tree.errors.insert(0, e);
            }
        }
        self.tree
    }
}

fn display_char(c: char) -> String {
    match c {
        '\u{1a}' => "\\x1A".to_string(),
        c if c.is_control() => c.escape_default().to_string(),
        c => c.to_string(),
    }
}

#[cfg(test)]
#[path = "syntax_tests.rs"]
mod tests;
