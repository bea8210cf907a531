//! Properties over generated inputs (proptest), from strategies that know each format's
//! grammar (sections, directives, quotes, continuations, nesting, line endings, BOMs) rather
//! than random bytes alone:
//! - every parser reprints any input byte for byte, and every range it reports lies inside
//!   the file on character boundaries (the checks of the fuzz targets, `odoo_lint::fuzzing`),
//!   on generated files of its format and on arbitrary bytes;
//! - on generated stacks, `--fix` applied twice equals `--fix` applied once, a fix changes no
//!   line outside the lines its edits touch, and a file's line endings and BOM survive.

use odoo_lint::fuzzing;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::path::Path;

/// A line ending: mostly `\n`, sometimes `\r\n`, rarely a lone `\r`.
fn eol() -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => Just("\n"), 3 => Just("\r\n"), 1 => Just("\r")]
}

/// Lines from `pool` (or any short printable text), each with a line ending, an optional BOM
/// in front and an optional missing final newline.
fn lines_of(pool: &'static [&'static str], max: usize) -> impl Strategy<Value = Vec<u8>> {
    let line = prop_oneof![9 => prop::sample::select(pool).prop_map(str::to_string), 1 => "[ -~\t]{0,30}"];
    (any::<bool>(), prop::collection::vec((line, eol()), 0..max), any::<bool>()).prop_map(|(bom, lines, last_nl)| {
        let mut out = if bom { "\u{feff}".to_string() } else { String::new() };
        let n = lines.len();
        for (i, (l, e)) in lines.into_iter().enumerate() {
            out.push_str(&l);
            if i + 1 < n || last_nl {
                out.push_str(e);
            }
        }
        out.into_bytes()
    })
}

const ODOO: &[&str] = &[
    "[options]",
    "[Options]",
    "[queue_job]",
    "[DEFAULT]",
    "[ options ] ; x",
    "workers = 4",
    "workers=0",
    "workers = 4 ; four",
    "proxy_mode = False",
    "proxy_mode = True",
    "list_db = True",
    "admin_passwd = admin",
    "db_password = s3cr\u{e9}t",
    "db_host = db",
    "limit_memory_soft = 2147483648",
    "limit_memory_hard = 1073741824",
    "limit_time_real = 120",
    "limit_time_cpu = 600",
    "max_cron_threads = 0",
    "http_port = 8069",
    "xmlrpc_port = 8069",
    "longpolling_port = 8072",
    "gevent_port = 8072",
    "dbfilter = ^%d$",
    "server_wide_modules = base,web,queue_job",
    "channels = root:4",
    "addons_path = /opt/odoo/addons,",
    "    /opt/odoo/extra",
    "  indented = looks like a key",
    "; comment",
    "# comment",
    "",
    "   ",
    "novalue",
    "= empty key",
    "data_dir: /var/lib/odoo",
];

const PG: &[&str] = &[
    "max_connections = 100",
    "max_connections 20",
    "shared_buffers = 128MB",
    "shared_buffers = '2GB'  # comment",
    "work_mem = 4MB",
    "work_mem = 1TB",
    "effective_cache_size = 4GB",
    "log_min_duration_statement = -1",
    "listen_addresses = '*'",
    "search_path = '\"$user\", public'",
    "escaped = 'it''s \\'x\\''",
    "#shared_buffers = 128MB",
    "# a comment",
    "",
    "\t",
    "bad line",
    "= 3",
    "x = 'unterminated",
    "include_if_exists 'nowhere.conf'",
    "include_dir 'conf.d'",
    "ssl = on",
    "superuser_reserved_connections = 3",
    "max_worker_processes = 0x10",
    "random_page_cost = 1.1e0",
];

const LIMITS: &[&str] = &[
    "*               soft    nofile          1024",
    "odoo\thard\tnofile\t65536",
    "@odoo - nproc unlimited",
    "%odoo soft as -1",
    "root soft nofile 4096 # note",
    "* sotf nofile 1",
    "odoo soft nofile x",
    "odoo soft",
    "# comment",
    "",
    "   ",
    ":1000 soft memlock 64",
    "1000:2000 hard core 0",
];

const UNIT: &[&str] = &[
    "[Unit]",
    "[Service]",
    "[Install]",
    "Description=Odoo",
    "User = odoo",
    "Type=simple",
    "ExecStart=/usr/bin/odoo -c /etc/odoo/odoo.conf --workers=4",
    "ExecStart=-/opt/odoo/odoo-bin \"--config=/etc/odoo.conf\" \\",
    "  --limit-time-real=120",
    "Environment=\"PGPASSWORD=hunter2\" A=b",
    "Environment=PGPASSWORD=x",
    "LimitNOFILE=65536",
    "LimitNOFILE=1024:4096",
    "LimitNOFILE=infinity",
    "MemoryMax=2G",
    "TimeoutStopSec=90",
    "TimeoutStopSec=5min 3s",
    "Restart=on-failure",
    "KillMode=mixed",
    "LimitNOFLIE=1",
    "; comment",
    "# comment",
    "",
    "novalue",
    "WantedBy=multi-user.target",
];

const DOTENV: &[&str] = &[
    "POSTGRES_PASSWORD=hunter2",
    "export PGUSER=odoo",
    "A = b # c",
    "B='single ${NOT}'",
    "C=\"double\\n${A:-default} $B\"",
    "D=\"multi",
    "line\"",
    "E",
    "# comment",
    "",
    "BAD KEY=1",
    "URL=postgres://odoo:s3cret@db:5432/odoo",
    "F=${UNSET:?missing}",
    "G:1",
];

/// An nginx configuration: nested blocks of directives with quoted and unquoted words.
fn nginx_text() -> impl Strategy<Value = Vec<u8>> {
    let word = prop_oneof![
        prop::sample::select(
            &[
                "80",
                "127.0.0.1:8069",
                "http://odoo",
                "http://127.0.0.1:8072",
                "$http_host",
                "${host}",
                "\"upgrade\"",
                "'a b'",
                "\"x\\\"y\"",
                "~*",
                "^/web/(.*)$",
                "off",
                "720s",
                "128m",
                "\\;",
                "/websocket",
                "X-Forwarded-Host",
            ][..]
        )
        .prop_map(str::to_string),
        "[a-z_$/:.0-9]{1,12}",
    ];
    let name = prop::sample::select(
        &[
            "listen",
            "server_name",
            "proxy_pass",
            "proxy_set_header",
            "proxy_read_timeout",
            "client_max_body_size",
            "include",
            "worker_connections",
            "proxy_http_version",
            "return",
            "set",
        ][..],
    );
    let directive = (name, prop::collection::vec(word, 0..4)).prop_map(|(n, ws)| {
        let mut s = n.to_string();
        for w in ws {
            s.push(' ');
            s.push_str(&w);
        }
        s.push(';');
        s
    });
    let leaf = prop_oneof![8 => directive, 1 => Just("# a comment".to_string()), 1 => Just(String::new())];
    let block_name = prop::sample::select(
        &["server", "location /", "location ~ ^/websocket", "upstream odoo", "http", "events", "if ($x)"][..],
    );
    let tree = leaf.prop_recursive(4, 40, 6, move |inner| {
        (block_name.clone(), prop::collection::vec(inner, 0..6)).prop_map(|(n, children)| {
            let mut s = format!("{n} {{\n");
            for c in children {
                for l in c.lines() {
                    s.push_str("    ");
                    s.push_str(l);
                    s.push('\n');
                }
            }
            s.push('}');
            s
        })
    });
    (any::<bool>(), prop::collection::vec(tree, 0..6), eol(), any::<u8>()).prop_map(|(bom, items, e, damage)| {
        let mut s = if bom { "\u{feff}".to_string() } else { String::new() };
        for i in items {
            s.push_str(&i.replace('\n', e));
            s.push_str(e);
        }
        // now and then an unbalanced or cut file
        match damage % 8 {
            0 => s.push('}'),
            1 => s.push_str("server {"),
            2 => {
                let cut = s.len() / 2;
                let cut = (0..=cut).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
                s.truncate(cut);
            }
            _ => {}
        }
        s.into_bytes()
    })
}

/// A compose file: nested block and flow YAML with quotes, anchors and comments.
fn compose_text() -> impl Strategy<Value = Vec<u8>> {
    let scalar = prop_oneof![
        prop::sample::select(
            &[
                "odoo:17",
                "postgres:16",
                "\"8069:8069\"",
                "'5432:5432'",
                "${PORT:-8069}",
                "true",
                "\"a # not a comment\"",
                "~",
                "''",
                "\"esc\\ttab\"",
                "*anchor",
                "|\n  literal",
                ">-\n  folded",
                "[a, b]",
                "{x: 1}",
            ][..]
        )
        .prop_map(str::to_string),
        "[a-z0-9_./:-]{1,10}",
    ];
    let key = prop::sample::select(
        &[
            "services",
            "odoo",
            "db",
            "image",
            "ports",
            "environment",
            "POSTGRES_PASSWORD",
            "command",
            "volumes",
            "x-base",
            "<<",
            "healthcheck",
        ][..],
    );
    let node = scalar.prop_recursive(3, 30, 4, move |inner| {
        prop_oneof![
            prop::collection::vec((key.clone(), inner.clone()), 1..4).prop_map(|es| {
                let mut s = String::new();
                for (k, v) in es {
                    if v.contains('\n') && !v.starts_with('|') && !v.starts_with('>') {
                        s.push_str(&format!("{k}:\n"));
                        for l in v.lines() {
                            s.push_str(&format!("  {l}\n"));
                        }
                    } else {
                        s.push_str(&format!("{k}: {v}\n"));
                    }
                }
                s
            }),
            prop::collection::vec(inner, 1..4).prop_map(|items| {
                let mut s = String::new();
                for v in items {
                    let mut first = true;
                    for l in v.lines() {
                        s.push_str(if first { "- " } else { "  " });
                        s.push_str(l);
                        s.push('\n');
                        first = false;
                    }
                }
                s
            }),
        ]
    });
    (
        node,
        any::<bool>(),
        eol(),
        prop::sample::select(&["", "# head\n", "---\n", "x-a: &anchor {k: v}\n", "%YAML 1.2\n---\n"][..]),
    )
        .prop_map(|(n, bom, e, head)| {
            let mut s = if bom { "\u{feff}".to_string() } else { String::new() };
            s.push_str(head);
            s.push_str(&n);
            s.replace('\n', e).into_bytes()
        })
}

/// Runs `check` on `cases` inputs of `strategy`, failing (with the shrunk input) on a panic.
fn for_all(cases: u32, strategy: impl Strategy<Value = Vec<u8>>, check: fn(&[u8])) {
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let result = runner.run(&strategy, |bytes| {
        check(&bytes);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn every_parser_on_arbitrary_bytes() {
    // bytes with no structure, biased towards the formats' punctuation and line breaks
    let byte =
        prop_oneof![4 => any::<u8>(), 6 => prop::sample::select(&b"\n\r \t=:;#{}[]\"'\\$-&*|>%\xef\xbb\xbf\xc3\xa9\x00ab"[..])];
    for (name, target) in fuzzing::TARGETS.iter().filter(|(n, _)| *n != "pipeline") {
        eprintln!("{name}");
        for_all(256, prop::collection::vec(byte.clone(), 0..400), *target);
    }
}

#[test]
fn odoo_conf_reprints_any_generated_file() {
    for_all(512, lines_of(ODOO, 24), fuzzing::odoo_conf);
}

#[test]
fn postgresql_reprints_any_generated_file() {
    for_all(512, lines_of(PG, 24), fuzzing::postgresql);
}

#[test]
fn limits_reprints_any_generated_file() {
    for_all(512, lines_of(LIMITS, 24), fuzzing::limits);
}

#[test]
fn systemd_reprints_any_generated_file() {
    for_all(512, lines_of(UNIT, 24), fuzzing::systemd);
}

#[test]
fn dotenv_ranges_stay_in_any_generated_file() {
    for_all(512, lines_of(DOTENV, 16), fuzzing::dotenv);
}

#[test]
fn nginx_reprints_any_generated_file() {
    for_all(512, nginx_text(), fuzzing::nginx);
}

#[test]
fn compose_tokens_stay_in_order_in_any_generated_file() {
    for_all(512, compose_text(), fuzzing::compose);
}

#[test]
fn compose_trivia_of_valid_generated_files_is_only_indicators() {
    // A file without errors: what lies between the tree's tokens is whitespace, comments,
    // indicators and document markers, so the tokens account for every value.
    let mut runner = TestRunner::new(Config { cases: 512, failure_persistence: None, ..Config::default() });
    runner
        .run(&compose_text(), |bytes| {
            let text = String::from_utf8(bytes).unwrap();
            let y = odoo_lint::formats::compose::yaml::parse(&text);
            if !y.errors.is_empty() {
                return Ok(());
            }
            let mut pos = 0;
            let mut gaps = Vec::new();
            for t in y.token_ranges(&text) {
                gaps.push(&text[pos..t.start as usize]);
                pos = t.end as usize;
            }
            gaps.push(&text[pos..]);
            for gap in gaps {
                for line in gap.split(['\n', '\r']) {
                    let line = line.split('#').next().unwrap_or("");
                    let t = line.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\u{feff}');
                    let ok = t.is_empty()
                        || t == "---"
                        || t.starts_with('%')
                        || t.chars().all(|c| matches!(c, ':' | '-' | '?' | ',' | '[' | ']' | '{' | '}' | ' ' | '\t'));
                    prop_assert!(ok, "text {:?} between tokens of {:?}", t, text);
                }
            }
            Ok(())
        })
        .unwrap();
}

/// A stack of three files that have findings with fixes, each file with its own line endings
/// (LF, CRLF or mixed) and maybe a BOM.
fn stack() -> impl Strategy<Value = Vec<(&'static str, Vec<u8>)>> {
    let ending = prop::sample::select(&["\n", "\r\n", "mixed"][..]);
    let file = |pool: &'static [&'static str], must: &'static [&'static str]| {
        (
            prop::collection::vec(prop::sample::select(pool), 0..10),
            prop::sample::subsequence(must, 0..=must.len()),
            ending.clone(),
            any::<bool>(),
        )
            .prop_map(move |(extra, must, ending, bom)| {
                let mut lines: Vec<&str> = must;
                lines.extend(extra);
                let mut out = if bom { "\u{feff}".to_string() } else { String::new() };
                for (i, l) in lines.iter().enumerate() {
                    out.push_str(l);
                    out.push_str(match ending {
                        "mixed" if i % 2 == 0 => "\r\n",
                        "mixed" => "\n",
                        e => e,
                    });
                }
                out.into_bytes()
            })
    };
    const ODOO_FIXABLE: &[&str] = &["[options]", "workers = 4", "proxy_mode = False", "list_db = True", "limit_time_real = 60"];
    const NGINX_FIXABLE: &[&str] = &[
        "server {",
        "    listen 80;",
        "    client_max_body_size 1m;",
        "    location /websocket {",
        "        proxy_pass http://127.0.0.1:8072;",
        "    }",
        "    location / {",
        "        proxy_pass http://127.0.0.1:8069;",
        "        proxy_read_timeout 30s;",
        "    }",
        "}",
    ];
    const NGINX_EXTRA: &[&str] = &["# comment", "", "upstream x { server 127.0.0.1:1; }"];
    const PG_FIXABLE: &[&str] = &["max_connections = 20", "log_min_duration_statement = -1", "shared_buffers = 128MB"];
    (file(ODOO, ODOO_FIXABLE), prop_oneof![file(NGINX_EXTRA, NGINX_FIXABLE), Just(Vec::new())], file(PG, PG_FIXABLE)).prop_map(
        |(o, n, p)| {
            let mut v = vec![("odoo.conf", o), ("postgresql.conf", p)];
            if !n.is_empty() {
                v.push(("nginx.conf", n));
            }
            v
        },
    )
}

/// The lines of `text`, each with its ending.
fn lines(text: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &b) in text.iter().enumerate() {
        if b == b'\n' {
            out.push(&text[start..=i]);
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

fn endings(text: &[u8]) -> (usize, usize) {
    let crlf = text.windows(2).filter(|w| w == b"\r\n").count();
    let lf = text.iter().filter(|&&b| b == b'\n').count() - crlf;
    (lf, crlf)
}

#[test]
fn fixes_are_idempotent_local_and_keep_line_endings_and_boms() {
    let fixed_cases = std::sync::atomic::AtomicUsize::new(0);
    let mut runner = TestRunner::new(Config { cases: 40, failure_persistence: None, ..Config::default() });
    runner
        .run(&stack(), |files| {
            let dir = tempfile::tempdir().unwrap();
            for (name, bytes) in &files {
                std::fs::write(dir.path().join(name), bytes).unwrap();
            }
            // checks, fixes in memory, writes the result and fixes again: nothing more to do
            let fixed = fuzzing::check_stack(dir.path());
            if !fixed.files.is_empty() {
                fixed_cases.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            for f in fixed.files.values() {
                let (old, new) = (&f.original, &f.fixed);
                let name = Path::new(&f.path).file_name().unwrap().to_string_lossy().into_owned();
                // the BOM stays first, and no other appears; except in odoo.conf, where OL012
                // removes it on purpose (Python's configparser reads it as text and Odoo does
                // not start)
                let bom = "\u{feff}".as_bytes();
                let bom_removed = name == "odoo.conf" && f.codes.iter().any(|c| c.2 == "OL012") && old.starts_with(bom);
                if bom_removed {
                    prop_assert!(!new.starts_with(bom), "{}: OL012 left the BOM", name);
                } else {
                    prop_assert_eq!(old.starts_with(bom), new.starts_with(bom), "{}: BOM", name);
                }
                prop_assert_eq!(
                    old.windows(3).filter(|w| *w == bom).count() - usize::from(bom_removed),
                    new.windows(3).filter(|w| *w == bom).count(),
                    "{}: BOMs",
                    name
                );
                // a file with one line ending keeps it; a mixed file keeps both
                let ((lf0, crlf0), (lf1, crlf1)) = (endings(old), endings(new));
                if crlf0 == 0 {
                    prop_assert_eq!(crlf1, 0, "{}: CRLF in an LF file:\n{:?}", name, String::from_utf8_lossy(new));
                }
                if lf0 == 0 && crlf0 > 0 {
                    prop_assert_eq!(lf1, 0, "{}: LF in a CRLF file:\n{:?}", name, String::from_utf8_lossy(new));
                }
                // every original line a fix did not touch is still there, unchanged
                let (a, b) = (lines(old), lines(new));
                let diff = similar::capture_diff_slices(similar::Algorithm::Myers, &a, &b);
                for op in diff {
                    for line in op.old_range().start..op.old_range().end {
                        if op.tag() == similar::DiffTag::Equal {
                            continue;
                        }
                        let edited = |l: usize| f.codes.iter().any(|&(s, e, _)| s <= l && l <= e + 1);
                        // a run of identical lines can be aligned either way by the diff: a
                        // change in the run counts as the edited line's
                        let same_run = |step: isize| {
                            let mut l = line as isize;
                            while l >= 0 && (l as usize) < a.len() && a[l as usize] == a[line] {
                                if edited(l as usize) {
                                    return true;
                                }
                                l += step;
                            }
                            false
                        };
                        let touched = edited(line) || same_run(-1) || same_run(1);
                        prop_assert!(
                            touched,
                            "{}: line {} changed but no fix edited it (fixes: {:?})\nbefore: {:?}\nafter: {:?}",
                            name,
                            line + 1,
                            f.codes,
                            String::from_utf8_lossy(old),
                            String::from_utf8_lossy(new)
                        );
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    // the property is not vacuous: most generated stacks have fixes
    assert!(fixed_cases.load(std::sync::atomic::Ordering::Relaxed) > 10, "too few generated stacks had fixes");
}

#[test]
fn apply_edits_changes_no_byte_outside_the_edits() {
    use odoo_lint::diagnostic::Edit;
    use odoo_lint::source::{FileId, TextRange};
    let strategy =
        (prop::collection::vec(any::<u8>(), 0..200), prop::collection::vec((0usize..220, 0usize..8, "[a-z\r\n]{0,6}"), 0..6));
    let mut runner = TestRunner::new(Config { cases: 2000, failure_persistence: None, ..Config::default() });
    runner
        .run(&strategy, |(text, raw)| {
            // non-overlapping edits inside the text, as `fix::choose` guarantees
            let mut edits: Vec<Edit> = Vec::new();
            let mut taken: Vec<(usize, usize)> = Vec::new();
            for (start, len, rep) in raw {
                let start = start.min(text.len());
                let end = (start + len).min(text.len());
                if taken.iter().any(|&(s, e)| start < e && s < end || start == s && start == end) {
                    continue;
                }
                taken.push((start, end));
                edits.push(Edit::replace(FileId(0), TextRange::new(start, end), rep));
            }
            let refs: Vec<&Edit> = edits.iter().collect();
            let out = odoo_lint::fix::apply_edits(&text, &refs);
            // rebuild from the pieces outside the edits and the replacements, in order
            taken.sort();
            let mut sorted = edits.clone();
            sorted.sort_by_key(|e| (e.range.start, e.range.end));
            let mut expect = Vec::new();
            let mut at = 0;
            for e in &sorted {
                expect.extend_from_slice(&text[at..e.range.start as usize]);
                expect.extend_from_slice(e.replacement.as_bytes());
                at = e.range.end as usize;
            }
            expect.extend_from_slice(&text[at..]);
            prop_assert_eq!(out, expect);
            Ok(())
        })
        .unwrap();
}
