//! Tokenizer and tree cases. Expected values follow `ngx_conf_read_token`; error messages
//! and lines were checked against `nginx -t` (nginx 1.22; tests/nginx_t.rs re-checks the
//! error fixtures against the real program).

use super::*;
use crate::source::SourceFile;

/// Parses with both readers, requires that they agree and that the tree reprints the text.
fn p(text: &str) -> SyntaxTree {
    let a = parse(text);
    let b = parse_with_grammar(text);
    assert_eq!(a, b, "scanner and grammar disagree on {text:?}");
    assert_eq!(a.reprint(text), text);
    a
}

/// (name, argument values) of every directive, in source order.
fn dirs(text: &str) -> Vec<(String, Vec<String>)> {
    let t = p(text);
    assert!(t.errors().is_empty(), "{text:?}: {:?}", t.errors());
    t.directives()
        .map(|(_, d)| (d.name(text).into_owned(), d.arg_values(text).into_iter().map(|a| a.into_owned()).collect()))
        .collect()
}

fn args(text: &str, n: usize) -> Vec<String> {
    dirs(text)[n].1.clone()
}

/// The first error: message, the text it covers, and its 1-based line.
fn err(text: &str) -> (String, String, u32) {
    let t = p(text);
    let e = t.errors().first().unwrap_or_else(|| panic!("no error for {text:?}"));
    let src = SourceFile::from_text("t.conf", text);
    (e.message.clone(), e.range.of(text).to_string(), src.line_col(e.range.start as usize).line)
}

#[test]
fn blocks_and_simple_directives() {
    let text = "events {}\nhttp {\n    server{\n        listen 80;\n    }\n}\n";
    let t = p(text);
    assert!(t.errors().is_empty());
    let names: Vec<_> = t.directives().map(|(_, d)| (d.name(text).into_owned(), d.depth)).collect();
    assert_eq!(names, [("events".into(), 0), ("http".into(), 0), ("server".into(), 1), ("listen".into(), 2)]);
    let (server_id, server) = t.directives().nth(2).unwrap();
    let b = server.block().unwrap();
    assert_eq!(b.open.of(text), "{");
    assert_eq!(b.close.unwrap().of(text), "}");
    assert_eq!(server.range.of(text), "server{\n        listen 80;\n    }");
    assert_eq!(t.child_directives(Some(server_id)).count(), 1);
    let listen = t.directive(DirectiveId(3));
    assert_eq!(listen.parent, Some(server_id));
    assert_eq!(t.ancestors(DirectiveId(3)).collect::<Vec<_>>(), [server_id, DirectiveId(1)]);
    assert!(matches!(listen.end, DirectiveEnd::Semicolon(r) if r.of(text) == ";"));
}

#[test]
fn quoted_words_keep_both_ranges() {
    let text = "log_format main '$a \"b\"' \"c d\";";
    let t = p(text);
    let d = t.directive(DirectiveId(0));
    let w = d.args[1];
    assert_eq!(w.raw(text), "'$a \"b\"'");
    assert_eq!(w.inner().of(text), "$a \"b\"");
    assert_eq!(w.quote, Quote::Single);
    assert_eq!(d.args[2].quote, Quote::Double);
    assert_eq!(d.args[2].value(text), "c d");
    assert_eq!(d.args[0].quote, Quote::None);
}

#[test]
fn nginx_unescaping() {
    // \" \' \\ lose the backslash; \t \r \n become control characters; others stay
    assert_eq!(args(r#"a "x\"y" 'x\'y' "\\" "\t\r\n" "\d\$";"#, 0), ["x\"y", "x'y", "\\", "\t\r\n", "\\d\\$"]);
    assert_eq!(args(r#"a x\"y \$host \\ \;b;"#, 0), ["x\"y", "\\$host", "\\", "\\;b"]);
    // an escaped quote does not close the string; an escaped space does not end a word
    assert_eq!(args(r#"a "x\" y" b\ c;"#, 0), ["x\" y", "b\\ c"]);
    // backslash-newline inside a word: one word
    assert_eq!(args("a b\\\nc;", 0), ["b\\\nc"]);
}

#[test]
fn empty_arguments_and_no_arguments() {
    assert_eq!(args("add_header X \"\";", 0), ["X", ""]);
    assert_eq!(args("map $a $b { '' close; }", 1), ["close"]);
    assert_eq!(dirs("map $a $b { '' close; }")[1].0, "");
    assert_eq!(args("server_name ;", 0), Vec::<String>::new());
}

#[test]
fn quoted_strings_hold_braces_semicolons_hashes_and_newlines() {
    let text = "return 200 \"a { } ; # b\nline 2\";\nlocation ~ \"^/a{2,3}$\" { }";
    assert_eq!(args(text, 0), ["200", "a { } ; # b\nline 2"]);
    assert_eq!(args(text, 1), ["~", "^/a{2,3}$"]);
}

#[test]
fn comments_anywhere_a_token_may_start() {
    let text = "# top\nhttp { # after brace\n  listen # between args\n    80;# after semicolon\n} # after close\n# at eof";
    let t = p(text);
    assert!(t.errors().is_empty());
    let cs: Vec<_> = t.comments().map(|(_, c)| c.text(text).trim().to_string()).collect();
    assert_eq!(cs, ["top", "after brace", "between args", "after semicolon", "after close", "at eof"]);
    let listen = t.directive(DirectiveId(1));
    assert_eq!(listen.inner_comments, [CommentId(2)]);
    assert_eq!(t.comment(CommentId(2)).within, Some(DirectiveId(1)));
    assert_eq!(t.comment(CommentId(1)).parent, Some(DirectiveId(0)));
    assert_eq!(t.top().len(), 4); // comment, http, comment, comment
}

#[test]
fn hash_inside_a_word_is_not_a_comment() {
    assert_eq!(dirs("a#b c#d;"), [("a#b".to_string(), vec!["c#d".to_string()])]);
}

#[test]
fn close_brace_inside_a_word_is_part_of_it() {
    // `foo}` is one word, so the block is never closed
    let text = "location / { return 200 foo}";
    let (m, _, _) = err(text);
    assert_eq!(m, "unexpected end of file, expecting \";\" or \"}\"");
    let t = p(text);
    assert_eq!(t.directive(DirectiveId(1)).args[1].raw(text), "foo}");
}

#[test]
fn dollar_brace_stays_in_the_word() {
    assert_eq!(args("set $a ${b}c;", 0), ["$a", "${b}c"]);
    assert_eq!(args("server_name ${DOMAIN} www.${DOMAIN};", 0), ["${DOMAIN}", "www.${DOMAIN}"]);
    assert_eq!(dirs("upstream $DOMAIN { server a; }")[0].1, ["$DOMAIN"]);
    // an escaped `$` does not protect the brace: `\$` is a word, `{` opens a block
    let t = p("a \\${ b; }");
    assert!(t.errors().is_empty());
    assert!(t.directive(DirectiveId(0)).block().is_some());
    assert_eq!(t.directive(DirectiveId(0)).arg_values("a \\${ b; }"), ["\\$"]);
}

#[test]
fn block_right_after_a_word_or_quote() {
    assert!(p("server{listen 80;}").errors().is_empty());
    assert!(p("location \"/a\"{ }").errors().is_empty());
    assert!(p("location '/a';").errors().is_empty());
}

#[test]
fn after_a_closing_quote_only_space_semicolon_brace_or_paren() {
    assert_eq!(err("a \"x\"y;"), ("unexpected \"y\"".into(), "y".into(), 1));
    assert_eq!(err("a \"x\"'y';"), ("unexpected \"'\"".into(), "'".into(), 1));
    assert_eq!(err("a \"x\"#c\n;"), ("unexpected \"#\"".into(), "#".into(), 1));
    assert_eq!(err("a { b \"x\"}"), ("unexpected \"}\"".into(), "}".into(), 1));
    // `)` after a quote starts a new word
    assert_eq!(args("if ($a = \"b\") { }", 0), ["($a", "=", "b", ")"]);
    assert_eq!(args("if ($a = \"b\")c { }", 0), ["($a", "=", "b", ")c"]);
}

#[test]
fn punctuation_without_a_directive() {
    assert_eq!(err("a;\n;"), ("unexpected \";\"".into(), ";".into(), 2));
    assert_eq!(err("{ a; }"), ("unexpected \"{\"".into(), "{".into(), 1));
    assert_eq!(err("a;\n}"), ("unexpected \"}\"".into(), "}".into(), 2));
}

#[test]
fn missing_semicolon_before_close_brace() {
    let text = "http {\n  server {\n    location / {\n      proxy_pass http://x\n    }\n  }\n}\n";
    let t = p(text);
    assert_eq!(t.errors().len(), 1, "recovery must not cascade: {:?}", t.errors());
    let e = &t.errors()[0];
    assert_eq!(e.message, "unexpected \"}\"");
    let src = SourceFile::from_text("t", text);
    assert_eq!(src.line_col(e.range.start as usize).line, 5);
    assert_eq!(e.related[0].1, "add `;` here");
    assert_eq!(&text[..e.related[0].0.start as usize], "http {\n  server {\n    location / {\n      proxy_pass http://x");
    assert!(e.help.as_deref().unwrap().contains("proxy_pass"));
    // the tree is still whole
    let pp = t.directives().find(|(_, d)| d.is(text, "proxy_pass")).unwrap().1;
    assert_eq!(pp.end, DirectiveEnd::Missing);
    assert_eq!(pp.range.of(text), "proxy_pass http://x");
    assert!(t.directive(DirectiveId(0)).block().unwrap().close.is_some());
}

#[test]
fn end_of_file_errors() {
    assert_eq!(err("http {\n  a;\n"), ("unexpected end of file, expecting \"}\"".into(), "".into(), 3));
    assert_eq!(err("a b"), ("unexpected end of file, expecting \";\" or \"}\"".into(), "".into(), 1));
    let text = "a \"b;\n}\n";
    assert_eq!(err(text).0, "unexpected end of file, expecting \";\" or \"}\"");
    let t = p(text);
    assert_eq!(t.errors()[0].related[0].0.of(text), "\"");
    assert_eq!(t.directive(DirectiveId(0)).args[0].inner().of(text), "b;\n}\n");
    // a backslash at the very end escapes nothing
    assert_eq!(err("a b\\").0, "unexpected end of file, expecting \";\" or \"}\"");
}

#[test]
fn regex_locations_are_ordinary_arguments() {
    let text =
        "location ~* \\.(gif|jpg)$ { }\nlocation = /x { }\nlocation ^~ /s/ { }\nlocation @n { }\nlocation ~ ^/(?<n>\\d+)$ { }";
    let d = dirs(text);
    assert_eq!(d[0].1, ["~*", "\\.(gif|jpg)$"]);
    assert_eq!(d[1].1, ["=", "/x"]);
    assert_eq!(d[2].1, ["^~", "/s/"]);
    assert_eq!(d[3].1, ["@n"]);
    assert_eq!(d[4].1, ["~", "^/(?<n>\\d+)$"]);
    // unquoted `{` in a regex opens a block, as in nginx: the braces no longer balance
    assert_eq!(err("location ~ ^/a{2,3}$ { }").0, "unexpected end of file, expecting \"}\"");
}

#[test]
fn map_geo_types_if_upstream_limit_except() {
    let text = r#"
map $http_upgrade $c { default upgrade; '' close; ~^(?<x>a)$ $x; }
geo $remote_addr $g { default 0; 10.0.0.0/8 1; }
types { text/html html htm; }
upstream odoo { server 127.0.0.1:8069 weight=2 max_fails=3; }
server { if ($scheme = http) { return 301 https://$host$request_uri; }
  location = /x { limit_except GET POST { deny all; } } }
"#;
    let d = dirs(text);
    let names: Vec<&str> = d.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "map",
            "default",
            "",
            "~^(?<x>a)$",
            "geo",
            "default",
            "10.0.0.0/8",
            "types",
            "text/html",
            "upstream",
            "server",
            "server",
            "if",
            "return",
            "location",
            "limit_except",
            "deny"
        ]
    );
    assert_eq!(d[12].1, ["($scheme", "=", "http)"]);
    assert_eq!(d[15].1, ["GET", "POST"]);
}

#[test]
fn placeholders_are_plain_words() {
    assert_eq!(args("server_name <CLIENT DOMAIN>;", 0), ["<CLIENT", "DOMAIN>"]);
}

#[test]
fn lua_blocks_are_raw() {
    let text = "content_by_lua_block {\n  local t = { a = \"}\" , b = '{' } -- }\n  ngx.say([[ } ]], [==[ ]] } ]==])\n  --[[ } \n ]]\n}\nlisten 80;";
    let t = p(text);
    assert!(t.errors().is_empty(), "{:?}", t.errors());
    let d = t.directive(DirectiveId(0));
    let DirectiveEnd::Lua(lua) = d.end else { panic!("{:?}", d.end) };
    assert_eq!(lua.open.of(text), "{");
    assert_eq!(lua.close.unwrap().start as usize, text.find("}\nlisten").unwrap());
    assert!(lua.code.of(text).starts_with("\n  local t"));
    assert_eq!(d.range.end, lua.close.unwrap().end);
    // no `;` needed after the block; the next directive is a sibling
    assert_eq!(t.top().len(), 2);
    assert!(t.directive(DirectiveId(1)).is(text, "listen"));
    assert!(t.tokens().iter().any(|k| k.kind == TokenKind::LuaCode));
}

#[test]
fn lua_block_with_argument_quoted_name_and_same_line() {
    let text = "set_by_lua_block $res { return 1 }\n\"rewrite_by_lua_block\" { a = { 1 } } access_by_lua_block {x()}";
    let t = p(text);
    assert!(t.errors().is_empty());
    let d: Vec<_> = t.directives().map(|(_, d)| (d.name(text).into_owned(), matches!(d.end, DirectiveEnd::Lua(_)))).collect();
    assert_eq!(
        d,
        [("set_by_lua_block".into(), true), ("rewrite_by_lua_block".into(), true), ("access_by_lua_block".into(), true)]
    );
    assert_eq!(t.directive(DirectiveId(0)).arg_values(text), ["$res"]);
}

#[test]
fn lua_name_as_an_argument_or_without_block_is_ordinary() {
    let text = "server_name content_by_lua_block ;\nupstream content_by_lua_block { server a; }\ncontent_by_lua_block x;";
    let t = p(text);
    assert!(t.errors().is_empty());
    assert!(t.directives().all(|(_, d)| !matches!(d.end, DirectiveEnd::Lua(_))));
    assert_eq!(t.directive_count(), 4);
}

#[test]
fn lua_strings_are_one_line_and_unclosed_ones_are_plain_text() {
    // an unclosed ' on its line is no string, so the } after it closes the block
    let text = "content_by_lua_block { a = 'x }\nb 1;";
    let t = p(text);
    assert!(t.errors().is_empty());
    assert_eq!(t.directive_count(), 2);
    // and an escaped quote does not end a string
    assert!(p("content_by_lua_block { a = \"\\\" } \" }").errors().is_empty());
}

#[test]
fn lua_errors() {
    let (m, at, line) = err("content_by_lua_block {\n  ngx.say([==[hello)\n}\n");
    assert_eq!(m, "Lua code block missing the closing long bracket \"]==]\", the inlined Lua code may be too long");
    assert_eq!((at.as_str(), line), ("[==[", 2));
    let (m, _, _) = err("content_by_lua_block {\n ngx.say(--[[hello, world\")\n}");
    assert!(m.contains("\"]]\""));
    let (m, _, _) = err("content_by_lua_block {\n  f({)\n}\n");
    assert_eq!(m, "unexpected end of file, expecting terminating characters for lua code block");
}

#[test]
fn not_utf8_and_crlf() {
    let bytes = b"server_name caf\xe9 \"\xd0\xd2\xc9\";\r\n# \xe9t\xe9\r\nlisten 80;\r\n".to_vec();
    let src = SourceFile::new("x.conf", bytes.clone());
    let t = p(&src.text);
    assert!(t.errors().is_empty());
    let d = t.directive(DirectiveId(0));
    assert_eq!(&bytes[d.args[0].range.range()], b"caf\xe9");
    assert_eq!(&bytes[d.args[1].inner().range()], b"\xd0\xd2\xc9");
    let c = t.comments().next().unwrap().1;
    assert!(!c.text(&src.text).ends_with('\r'));
    assert_eq!(t.directive(DirectiveId(1)).arg_values(&src.text), ["80"]);
}

#[test]
fn byte_order_mark_is_part_of_the_first_name() {
    let (m, at, _) = err("\u{feff}user nginx;");
    assert_eq!(m, "unknown directive \"\u{feff}user\"");
    assert_eq!(at, "\u{feff}");
}

#[test]
fn a_quoted_first_name_holding_a_byte_order_mark_is_not_one() {
    // found by fuzzing: the BOM error's range 0..3 cut the character after the quote
    let text = "\"\u{feff}events\" {}\n";
    for e in p(text).errors() {
        assert!(text.is_char_boundary(e.range.start as usize) && text.is_char_boundary(e.range.end as usize), "{e:?}");
        assert!(!e.label.as_deref().unwrap_or("").contains("byte-order mark"), "{e:?}");
    }
}

#[test]
fn odd_bytes_are_word_characters() {
    assert_eq!(args("a b\x0cc\0d;", 0), ["b\x0cc\0d"]);
}

#[test]
fn empty_and_trivial_files() {
    for text in ["", "   \n\t\r\n", "# only a comment", "#"] {
        let t = p(text);
        assert!(t.errors().is_empty());
        assert_eq!(t.directive_count(), 0);
    }
}

#[test]
fn deep_nesting_neither_recurses_nor_overflows() {
    let depth = 200_000;
    let mut text = "a {".repeat(depth);
    text.push_str(&"}".repeat(depth));
    let t = p(&text);
    assert!(t.errors().is_empty());
    assert_eq!(t.directive(DirectiveId(depth as u32 - 1)).depth, depth as u32 - 1);
    let unclosed = "a {".repeat(depth);
    assert_eq!(err(&unclosed).0, "unexpected end of file, expecting \"}\"");
    drop(t);
}

#[test]
fn comments_above_and_after_a_directive() {
    let text = "server {\n    # odoo-lint: ignore[OL301]\n    # second line\n    proxy_read_timeout 30s; # trailing\n\n    # detached\n\n    listen 80;\n}\n";
    let t = p(text);
    let prt = t.directives().find(|(_, d)| d.is(text, "proxy_read_timeout")).unwrap().0;
    let lead: Vec<_> = t.leading_comments(prt, text).iter().map(|c| t.comment(*c).text(text).trim().to_string()).collect();
    assert_eq!(lead, ["odoo-lint: ignore[OL301]", "second line"]);
    let trail = t.trailing_comment(prt, text).unwrap();
    assert_eq!(t.comment(trail).text(text), " trailing");
    let listen = t.directives().find(|(_, d)| d.is(text, "listen")).unwrap().0;
    assert!(t.leading_comments(listen, text).is_empty(), "a blank line detaches a comment");
    assert!(t.trailing_comment(listen, text).is_none());
    // a block directive's comment after its `{`
    let server = DirectiveId(0);
    assert!(t.trailing_comment(server, text).is_none());
    let t2 = p("location / { # note\n}\n");
    assert!(t2.trailing_comment(DirectiveId(0), "location / { # note\n}\n").is_some());
}

#[test]
fn corpus_tricky_lua_file() {
    let path = "nginxinc__crossplane__tests_configs_lua-block-tricky_nginx.conf";
    let text = std::fs::read_to_string(format!("{}/tests/corpus/nginx-general/{path}", env!("CARGO_MANIFEST_DIR")))
        .expect("the vendored corpus");
    let t = p(&text);
    let lua: Vec<_> =
        t.directives().filter(|(_, d)| matches!(d.end, DirectiveEnd::Lua(_))).map(|(_, d)| d.name(&text).into_owned()).collect();
    assert_eq!(lua, ["set_by_lua_block", "rewrite_by_lua_block"]);
}

mod differential {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            " ",
            "\t",
            "\n",
            "\r\n",
            ";",
            "{",
            "}",
            "#",
            "\"",
            "'",
            "\\",
            "$",
            "a",
            "b1",
            "(",
            ")",
            "-",
            "--",
            "[",
            "]",
            "=",
            "[[",
            "]]",
            "[=[",
            "]=]",
            "é",
            "\u{1a}",
            "content_by_lua_block",
            "set_by_lua_block",
            "'x_by_lua_block'",
            "\"y_by_lua_block\"",
            "${",
            "location",
            "# c\n",
        ])
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
        /// The scanner and the grammar read any input alike, and the tree reprints it.
        #[test]
        fn scanner_equals_grammar(parts in prop::collection::vec(piece(), 0..40)) {
            let text: String = parts.concat();
            let a = parse(&text);
            let b = parse_with_grammar(&text);
            prop_assert_eq!(&a, &b);
            prop_assert_eq!(a.reprint(&text), text);
        }

        /// Any bytes: no panic, both readers agree, the tree reprints the file, and the
        /// semantic model builds.
        #[test]
        fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let src = SourceFile::new("/nonexistent/x.conf", bytes);
            let a = parse(&src.text);
            prop_assert_eq!(&a, &parse_with_grammar(&src.text));
            prop_assert_eq!(a.reprint(&src.text), src.text.clone());
            let mut l = crate::formats::nginx::include::DiskLoader::new();
            let root = l.add(src);
            let g = crate::formats::nginx::include::load_includes(&mut l, root, &Default::default());
            let m = crate::formats::nginx::model::build(&l, root, &g);
            for s in 0..m.servers.len() {
                let _ = m.server_locations(crate::formats::nginx::model::ServerId(s as u32));
            }
        }
    }
}

/// Throughput on the corpus repeated to ~40 MB (run with `--release -- --ignored`).
#[test]
#[ignore]
fn throughput() {
    let mut text = String::new();
    for dir in ["nginx-odoo", "nginx-general"] {
        for e in std::fs::read_dir(format!("{}/tests/corpus/{dir}", env!("CARGO_MANIFEST_DIR"))).unwrap() {
            let p = e.unwrap().path();
            if p.to_string_lossy().contains("broken") || p.to_string_lossy().contains("quote-behavior") {
                continue;
            }
            let b = std::fs::read(&p).unwrap();
            text.push_str(&String::from_utf8_lossy(&b));
            text.push('\n');
        }
    }
    let unit = text.clone();
    while text.len() < 40_000_000 {
        text.push_str(&unit);
    }
    for (name, f) in [("scanner", parse as fn(&str) -> SyntaxTree), ("grammar", parse_with_grammar)] {
        let mut best = f64::MAX;
        let mut tree = SyntaxTree::default();
        for _ in 0..3 {
            let t0 = std::time::Instant::now();
            tree = f(&text);
            best = best.min(t0.elapsed().as_secs_f64());
        }
        println!(
            "{name}: {} bytes, {} directives, {} errors: {:.0} MB/s",
            text.len(),
            tree.directive_count(),
            tree.errors().len(),
            text.len() as f64 / best / 1e6
        );
    }
}
