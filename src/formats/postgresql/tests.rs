//! Unit tests of the tree, the resolution and the edits. Expected messages and values were
//! checked against PostgreSQL 15 (`postgres -C`); tests/postgresql_oracle.rs re-checks the
//! fixtures under fixtures/parsers/postgresql against the real server.

use super::*;
use crate::source::SourceFile;

fn parse(text: &str) -> (SourceFile, PgConf) {
    let source = SourceFile::from_text("postgresql.conf", text);
    let conf = PgConf::parse(&source);
    assert_lossless(&source, &conf);
    (source, conf)
}

fn parse_bytes(bytes: &[u8]) -> (SourceFile, PgConf) {
    let source = SourceFile::new("postgresql.conf", bytes.to_vec());
    let conf = PgConf::parse(&source);
    assert_lossless(&source, &conf);
    (source, conf)
}

fn assert_lossless(source: &SourceFile, conf: &PgConf) {
    let mut at = 0u32;
    let mut out = Vec::new();
    for r in conf.pieces() {
        assert_eq!(r.start, at, "pieces must tile the file");
        out.extend_from_slice(&source.bytes[r.range()]);
        at = r.end;
    }
    assert_eq!(out, source.bytes);
}

/// (name, value as read) of every setting.
fn settings(conf: &PgConf) -> Vec<(String, String)> {
    conf.settings().map(|s| (s.name.text.clone(), s.value.text.clone())).collect()
}

fn errors(conf: &PgConf) -> Vec<String> {
    conf.errors.iter().map(|e| e.message.clone()).collect()
}

fn one_error(text: &str) -> String {
    let (_, conf) = parse(text);
    let e = errors(&conf);
    assert_eq!(e.len(), 1, "{text:?}: {e:?}");
    e[0].strip_prefix("syntax error in file \"postgresql.conf\" ").unwrap_or(&e[0]).to_string()
}

#[test]
fn setting_forms() {
    let (src, conf) = parse(
        "listen_addresses = '*'\nport 5432\nmax_connections=100\nsearch_path'x'\n\
         work_mem = 4MB\t\t# min 64kB\nlog_line_prefix = '%m [%p] '# no space\npg_stat_statements.max = 10000\n",
    );
    assert!(conf.errors.is_empty(), "{:?}", conf.errors);
    assert_eq!(
        settings(&conf),
        [
            ("listen_addresses", "*"),
            ("port", "5432"),
            ("max_connections", "100"),
            ("search_path", "x"),
            ("work_mem", "4MB"),
            ("log_line_prefix", "%m [%p] "),
            ("pg_stat_statements.max", "10000"),
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let wm = conf.get("WORK_MEM").unwrap();
    assert_eq!(wm.name.range.of(&src.text), "work_mem");
    assert_eq!(wm.value.range.of(&src.text), "4MB");
    assert_eq!(wm.comment.unwrap().of(&src.text), "# min 64kB");
    assert_eq!(wm.line, 5);
    let lp = conf.get("log_line_prefix").unwrap();
    assert_eq!(lp.value.range.of(&src.text), "'%m [%p] '");
    assert_eq!(lp.value.inner().of(&src.text), "%m [%p] ");
    assert_eq!(lp.comment.unwrap().of(&src.text), "# no space");
    assert!(conf.get("port").unwrap().equals.is_none());
    assert_eq!(conf.get("pg_stat_statements.max").unwrap().name.key, "pg_stat_statements.max");
}

#[test]
fn token_kinds_follow_the_longest_match() {
    let (_, conf) =
        parse("a = on\nb = en_US.UTF-8\nc = scram-sha-256\nd = 128MB\ne = -1\nf = 0.9\ng = .5\nh = 0x1F\ni = 1.0e5\nj = 'x'\n");
    assert!(conf.errors.is_empty(), "{:?}", conf.errors);
    let kinds: Vec<TokenKind> = conf.settings().map(|s| s.value.kind).collect();
    use TokenKind::*;
    assert_eq!(kinds, [Identifier, UnquotedString, UnquotedString, Integer, Integer, Real, Real, Integer, Real, String]);
}

#[test]
fn syntax_errors_in_postgresql_words() {
    // each checked with postgres -C on PostgreSQL 15
    assert_eq!(one_error("search_path = a.b\n"), "line 1, near token \"a.b\"");
    assert_eq!(one_error("work_mem=1.5MB\n"), "line 1, near token \"MB\"");
    assert_eq!(one_error("work_mem = 5 MB\n"), "line 1, near token \"MB\"");
    assert_eq!(one_error("work_mem=1e3\n"), "line 1, near token \"3\"");
    assert_eq!(one_error("search_path='ab''\n"), "line 1, near token \"'\"");
    assert_eq!(one_error("x = 'unterminated\n"), "line 1, near token \"'\"");
    assert_eq!(one_error("a =\n"), "line 1, near end of line");
    assert_eq!(one_error("\n\nwork_mem =  # comment\n"), "line 3, near end of line");
    // at end of file without a newline PostgreSQL names the line before
    assert_eq!(one_error("work_mem ="), "line 0, near end of line");
    assert_eq!(one_error("a = 1\nwork_mem = = 1"), "line 2, near token \"=\"");
    assert_eq!(one_error("= 5\n"), "line 1, near token \"=\"");
    assert_eq!(one_error("'x' = 5\n"), "line 1, near token \"'x'\"");
    assert_eq!(one_error("foo-bar = 1\n"), "line 1, near token \"foo-bar\"");
    assert_eq!(one_error("x.y.z = 2\n"), "line 1, near token \"x.y.z\"");
    assert_eq!(one_error("a = = 1\n"), "line 1, near token \"=\"");
    assert_eq!(one_error("a = 1 = 2\n"), "line 1, near token \"=\"");
    assert_eq!(one_error("data_directory = /var/lib\n"), "line 1, near token \"/\"");
    assert_eq!(one_error("a = \"x\"\n"), "line 1, near token \"\"\"");
    assert_eq!(one_error("a = 1\x0c\n"), "line 1, near token \"\x0c\"");
    // a lone \r is whitespace, not a line break
    assert_eq!(one_error("a = 1\rb = 2\n"), "line 1, near token \"b\"");
    let (src, conf) = parse("ok = 1\nwork_mem = 5 MB\n");
    let e = &conf.errors[0];
    assert_eq!(e.range.of(&src.text), "MB");
    assert!(e.help.as_deref().unwrap_or("").contains("5min"), "{e:?}");
}

#[test]
fn quoted_strings() {
    let (_, conf) = parse(
        "a = 'it''s'\nb = 'it\\'s'\nc = '\\101\\tB\\n'\nd = '#not a comment' # comment\ne = ''\nf = 'a''''b'\n\
         g = '\\x'\n",
    );
    assert!(conf.errors.is_empty(), "{:?}", conf.errors);
    let v: Vec<String> = settings(&conf).into_iter().map(|(_, v)| v).collect();
    assert_eq!(v, ["it's", "it's", "A\tB\n", "#not a comment", "", "a''b", "x"]);
    // octal escapes give bytes; \0 ends the value (PostgreSQL handles C strings)
    assert_eq!(syntax::deescape(b"'\\351t\\351'"), b"\xe9t\xe9");
    assert_eq!(syntax::deescape(b"'ab\\0cd'"), b"ab");
    // a NUL byte cuts the token, and the C code then drops the byte before it as the "quote"
    assert_eq!(syntax::deescape(b"'ab\0cd'"), b"a");
    assert_eq!(syntax::deescape(b"'\\777'"), b"\xff");
}

#[test]
fn lines_blank_comments_and_endings() {
    let (src, conf) = parse("\n  \t\n# comment\r\nwork_mem = 4MB\r\n  shared_buffers=1GB");
    assert!(conf.errors.is_empty(), "{:?}", conf.errors);
    let kinds: Vec<&LineKind> = conf.lines.iter().map(|l| &l.kind).collect();
    assert!(matches!(
        kinds[..],
        [LineKind::Blank, LineKind::Blank, LineKind::Comment, LineKind::Setting(_), LineKind::Setting(_)]
    ));
    let wm = conf.get("work_mem").unwrap();
    assert_eq!(wm.value.text, "4MB");
    assert_eq!(wm.line_range.of(&src.text), "work_mem = 4MB");
    let sb = conf.get("shared_buffers").unwrap();
    assert_eq!((sb.line, conf.lines[4].newline), (5, None));
    assert!(parse("").1.lines.is_empty());
    assert_eq!(parse("\n").1.lines.len(), 1);
}

#[test]
fn bytes_that_are_not_text() {
    // Latin-1 in a comment and a quoted value, invalid UTF-8 in a name: letters to PostgreSQL
    let (_, conf) = parse_bytes(b"# \xe9t\xe9\nsearch_path = '\xe9t\xe9'\nna\xefve.x = 1\n");
    assert!(conf.errors.is_empty(), "{:?}", conf.errors);
    assert_eq!(conf.settings().next().unwrap().value.text, "\u{fffd}t\u{fffd}");
    assert_eq!(conf.settings().nth(1).unwrap().name.text, "na\u{fffd}ve.x");
    // a real 0x1A byte is no letter; NUL neither
    let (_, conf) = parse_bytes(b"a\x1a = 1\n");
    assert_eq!(errors(&conf), ["syntax error in file \"postgresql.conf\" line 1, near token \"\x1a\""]);
    let (_, conf) = parse_bytes(b"a = \0\n");
    assert_eq!(errors(&conf), ["syntax error in file \"postgresql.conf\" line 1, near token \"\""]);
    // a byte-order mark is part of the first name (PostgreSQL then reports it unknown)
    let (_, conf) = parse("\u{feff}work_mem = 4MB\n");
    assert_eq!(conf.settings().next().unwrap().name.text, "\u{feff}work_mem");
}

#[test]
fn commented_out_settings() {
    let (src, conf) = parse(
        "#shared_buffers = 128MB\t\t\t# min 128kB\n# - Memory -\n#work_mem 4MB\n  #  include_dir = 'conf.d'\n\
         ## max_connections = 5\n# Note: x = 1\n#log_line_prefix = '%m [%p] '\t\t# special values:\r\n",
    );
    let commented: Vec<&CommentedSetting> = conf.commented().collect();
    let names: Vec<&str> = commented.iter().map(|c| c.setting.name.text.as_str()).collect();
    assert_eq!(names, ["shared_buffers", "include_dir", "log_line_prefix"]);
    let sb = &commented[0].setting;
    assert_eq!(sb.value.range.of(&src.text), "128MB");
    assert_eq!(sb.comment.unwrap().of(&src.text), "# min 128kB");
    assert_eq!(sb.line_range.of(&src.text), "#shared_buffers = 128MB\t\t\t# min 128kB");
    assert_eq!(commented[0].hash.of(&src.text), "#");
    assert_eq!(commented[1].setting.value.text, "conf.d");
    assert_eq!(commented[2].setting.line_range.of(&src.text), "#log_line_prefix = '%m [%p] '\t\t# special values:");
    assert_eq!(conf.settings().count(), 0);
}

#[test]
fn too_many_errors_abandon_the_file() {
    let mut text = "not a setting\n".repeat(101);
    text.push_str("work_mem = 4MB\n");
    let (_, conf) = parse(&text);
    assert_eq!(conf.errors.len(), 101);
    assert_eq!(conf.errors[100].message, "too many syntax errors found, abandoning file \"postgresql.conf\"");
    assert!(conf.get("work_mem").is_none(), "PostgreSQL stops reading the file");
}

#[test]
fn survives_hostile_input() {
    let huge = "x".repeat(1 << 20);
    let quotes = "'".repeat(100_001);
    let pairs = format!("a = '{}", "''".repeat(50_000));
    for text in [huge.as_str(), &quotes, &pairs, "\0\0\0", "\u{feff}", "\r\r\r", "=\n=\n", "'\\", "a = '\\\n'"] {
        let _ = parse(text);
    }
    let _ = parse_bytes(&(0..=255u8).collect::<Vec<u8>>());
}

// ---------------------------------------------------------------------------------------------
// Resolution over includes, postgresql.auto.conf and the command line

fn fs(files: &[(&str, &str)]) -> MemFs {
    files.iter().fold(MemFs::new(), |fs, (p, c)| fs.file(*p, c.as_bytes().to_vec()))
}

fn load(fs: &MemFs) -> PgConfig {
    PgConfig::load(std::path::Path::new("/data/postgresql.conf"), fs, AutoConf::Beside).unwrap()
}

fn winner(config: &PgConfig, name: &str) -> Option<(String, String)> {
    let p = config.param(name)?;
    match p.winner {
        Origin::File { file, setting } => {
            Some((config.files[file].source.path.display().to_string(), setting.value.text.clone()))
        }
        Origin::CommandLine(a) => Some(("argv".to_string(), a.value.clone())),
        Origin::Default => None,
    }
}

#[test]
fn includes_in_place_and_auto_conf_last() {
    let fs = fs(&[
        (
            "/data/postgresql.conf",
            "work_mem = 1MB\ninclude 'sub/extra.conf'\nmaintenance_work_mem = 10MB\ninclude_dir 'conf.d'\n",
        ),
        ("/data/sub/extra.conf", "work_mem = 2MB\nmaintenance_work_mem = 5MB\ninclude 'deeper.conf'\n"),
        ("/data/sub/deeper.conf", "shared_buffers = 1GB\n"),
        // C-locale order: B.conf, a.conf, b.conf; the others are skipped
        ("/data/conf.d/b.conf", "work_mem = 3MB\n"),
        ("/data/conf.d/a.conf", "work_mem = 9MB\n"),
        ("/data/conf.d/B.conf", "work_mem = 8MB\n"),
        ("/data/conf.d/.hidden.conf", "work_mem = 7MB\n"),
        ("/data/conf.d/c.conf.bak", "work_mem = 7MB\n"),
        ("/data/conf.d/.conf", "work_mem = 7MB\n"),
        ("/data/conf.d/dir.conf/x.conf", "work_mem = 7MB\n"),
        ("/data/postgresql.auto.conf", "# Do not edit this file manually!\nshared_buffers = '2GB'\n"),
    ]);
    let config = load(&fs);
    assert!(config.problems.is_empty(), "{:?}", config.problems);
    let paths: Vec<String> = config.files.iter().map(|f| f.source.path.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "/data/postgresql.conf",
            "/data/sub/extra.conf",
            "/data/sub/deeper.conf",
            "/data/conf.d/B.conf",
            "/data/conf.d/a.conf",
            "/data/conf.d/b.conf",
            "/data/postgresql.auto.conf"
        ]
    );
    assert_eq!(winner(&config, "work_mem"), Some(("/data/conf.d/b.conf".into(), "3MB".into())));
    assert_eq!(winner(&config, "maintenance_work_mem"), Some(("/data/postgresql.conf".into(), "10MB".into())));
    assert_eq!(winner(&config, "shared_buffers"), Some(("/data/postgresql.auto.conf".into(), "2GB".into())));
    let wm = config.param("work_mem").unwrap();
    let order: Vec<&str> = wm.overridden.iter().filter_map(|o| o.raw()).collect();
    assert_eq!(order, ["1MB", "2MB", "8MB", "9MB"]);
    assert!(matches!(config.files[2].role, FileRole::Included { by: 1, depth: 2, .. }));
    assert_eq!(config.duplicates().len(), 3);
    assert!(config.startup_errors().is_empty());
    assert_eq!(config.memory_bytes("shared_buffers").unwrap().unwrap().value, 2 << 30);
}

#[test]
fn include_problems() {
    let fs = fs(&[(
        "/data/postgresql.conf",
        "include 'missing.conf'\ninclude_if_exists 'also_missing.conf'\ninclude_dir 'nodir'\ninclude ''\ninclude_dir ' '\n\
         include 'postgresql.conf'\n",
    )]);
    let config = load(&fs);
    let got: Vec<(IncludeProblemKind, bool, &str)> =
        config.problems.iter().map(|p| (p.kind, p.is_fatal(), p.message.as_str())).collect();
    use IncludeProblemKind::*;
    assert_eq!(
        got,
        [
            (NotFound, true, "could not open configuration file \"/data/missing.conf\": No such file or directory"),
            (SkippedMissing, false, "skipping missing configuration file \"/data/also_missing.conf\""),
            (DirNotFound, true, "could not open configuration directory \"/data/nodir\": No such file or directory"),
            (EmptyName, true, "empty configuration file name: \"\""),
            (EmptyName, true, "empty configuration directory name: \" \""),
            (Recursion, true, "configuration file recursion in \"/data/postgresql.conf\""),
        ]
    );
    let src = &config.main().source;
    assert_eq!(config.problems[0].range.of(&src.text), "'missing.conf'");
    assert_eq!(config.startup_errors().len(), 5);
}

#[test]
fn nesting_depth_and_loops() {
    // main (depth 0) -> f1 ... f10 is fine; f11 is too deep (checked with postgres -C)
    let mut files: Vec<(String, String)> =
        (1..=11).map(|i| (format!("/data/f{i}.conf"), format!("include 'f{}.conf'\n", i + 1))).collect();
    files[9].1 = "work_mem = 3MB\n".into();
    files.push(("/data/postgresql.conf".into(), "include 'f1.conf'\n".into()));
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let config = load(&fs(&refs));
    assert!(config.problems.is_empty(), "{:?}", config.problems);
    assert_eq!(winner(&config, "work_mem").unwrap().1, "3MB");
    let mut files = files.clone();
    files[9].1 = "include 'f11.conf'\n".into();
    files[10].1 = "work_mem = 3MB\n".into();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let config = load(&fs(&refs));
    let msgs: Vec<&str> = config.problems.iter().map(|p| p.message.as_str()).collect();
    assert_eq!(msgs, ["could not open configuration file \"f11.conf\": maximum nesting depth exceeded"]);
    // a loop of two files is reported once, with the loop
    let config = load(&fs(&[("/data/postgresql.conf", "include 'b.conf'\n"), ("/data/b.conf", "include 'postgresql.conf'\n")]));
    assert_eq!(config.problems.len(), 1);
    assert_eq!(config.problems[0].kind, IncludeProblemKind::DepthExceeded);
    assert_eq!(
        config.problems[0].help.as_deref(),
        Some("include loop: /data/postgresql.conf -> /data/b.conf -> /data/postgresql.conf")
    );
}

#[test]
fn include_dir_stops_at_the_first_failing_file() {
    let fs = fs(&[
        ("/data/postgresql.conf", "include_dir 'conf.d'\n"),
        ("/data/conf.d/a.conf", "work_mem = = 1\n"),
        ("/data/conf.d/b.conf", "work_mem = 2MB\n"),
    ]);
    let config = load(&fs);
    assert_eq!(config.files.len(), 2);
    let e = config.startup_errors();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].message, "syntax error in file \"/data/conf.d/a.conf\" line 1, near token \"=\"");
    assert_eq!(e[0].file, Some(1));
}

#[test]
fn parse_errors_in_reading_order() {
    // PostgreSQL reports as it reads: an included file's errors come between its includer's
    let fs = fs(&[
        ("/data/postgresql.conf", "a b c\ninclude 'inc.conf'\ninclude 'missing.conf'\nwork_mem = = 4MB\n"),
        ("/data/inc.conf", "max_connections =\n"),
    ]);
    let got: Vec<String> = load(&fs).startup_errors().into_iter().map(|e| e.message).collect();
    assert_eq!(
        got,
        [
            "syntax error in file \"/data/postgresql.conf\" line 1, near token \"c\"",
            "syntax error in file \"/data/inc.conf\" line 1, near end of line",
            "could not open configuration file \"/data/missing.conf\": No such file or directory",
            "syntax error in file \"/data/postgresql.conf\" line 4, near token \"=\"",
        ]
    );
}

#[test]
fn auto_conf_options() {
    let fs = fs(&[
        ("/etc/pg/postgresql.conf", "work_mem = 1MB\n"),
        ("/etc/pg/postgresql.auto.conf", "work_mem = 2MB\n"),
        ("/var/lib/pg/postgresql.auto.conf", "work_mem = 3MB\n"),
        ("/etc/pg2/postgresql.conf", "work_mem = 1MB\ndata_directory = '/var/lib/pg'\n"),
        ("/etc/pg2/postgresql.auto.conf", "work_mem = 2MB\n"),
    ]);
    let main = std::path::Path::new("/etc/pg/postgresql.conf");
    let value = |main, auto| {
        let c = PgConfig::load(main, &fs, auto).unwrap();
        c.int("work_mem").unwrap().unwrap().value
    };
    let main2 = std::path::Path::new("/etc/pg2/postgresql.conf");
    // PostgreSQL reads postgresql.auto.conf from data_directory when the file sets it
    assert_eq!(value(main2, AutoConf::DataDirectory), 3072);
    assert_eq!(value(main, AutoConf::DataDirectory), 2048);
    let value = |auto| value(main, auto);
    assert_eq!(value(AutoConf::Beside), 2048);
    assert_eq!(value(AutoConf::At("/var/lib/pg/postgresql.auto.conf".into())), 3072);
    assert_eq!(value(AutoConf::None), 1024);
}

#[test]
fn typed_values_with_defaults_and_origins() {
    let fs = fs(&[(
        "/data/postgresql.conf",
        "shared_buffers = 2GB\ncheckpoint_timeout = 30min\nlog_min_duration_statement = -1\nfsync = of\n\
         wal_level = hot_standby\npg_stat_statements.max = 10000\npg_stat_statements.track = all\n\
         random_page_cost = 1.1\nmax_connections = 100MB\n",
    )]);
    let config = load(&fs);
    let sb = config.memory_bytes("shared_buffers").unwrap().unwrap();
    assert_eq!(sb.value, 2 << 30);
    assert!(matches!(sb.origin, Origin::File { file: 0, setting } if setting.line == 1));
    assert_eq!(config.int("shared_buffers").unwrap().unwrap().value, 262144);
    assert_eq!(config.time_ms("checkpoint_timeout").unwrap().unwrap().value, 1_800_000);
    assert_eq!(config.time_ms("log_min_duration_statement").unwrap().unwrap().value, -1);
    assert!(!config.bool("fsync").unwrap().unwrap().value);
    assert_eq!(config.string("wal_level").unwrap().unwrap().value, "replica");
    assert_eq!(config.int("pg_stat_statements.max").unwrap().unwrap().value, 10000);
    assert_eq!(config.string("pg_stat_statements.track").unwrap().unwrap().value, "all");
    assert_eq!(config.real("random_page_cost").unwrap().unwrap().value, 1.1);
    // defaults: PostgreSQL's built-in values
    let wm = config.memory_bytes("work_mem").unwrap().unwrap();
    assert_eq!((wm.value, wm.origin), (4 << 20, Origin::Default));
    assert_eq!(config.time_ms("statement_timeout").unwrap().unwrap().value, 0);
    assert!(config.bool("autovacuum").unwrap().unwrap().value);
    assert!(config.string("pg_stat_statements.save").is_none());
    assert!(config.int("no_such_parameter").is_none());
    // a bad value and a wrong question
    let e = config.int("max_connections").unwrap().unwrap_err();
    assert_eq!(e.message, "invalid value for parameter \"max_connections\": \"100MB\"");
    assert_eq!(config.memory_bytes("max_connections").unwrap().unwrap_err().kind, ValueErrorKind::WrongType);
}

#[test]
fn command_line_overrides_files() {
    let fs = fs(&[("/data/postgresql.conf", "max_connections = 100\nwork_mem = 4MB\n")]);
    let words: Vec<String> = ["postgres", "-c", "max_connections=200", "-N", "300"].map(String::from).to_vec();
    let config = load(&fs).with_command_line(parse_command_line(&words));
    let mc = config.param("max_connections").unwrap();
    assert!(matches!(mc.winner, Origin::CommandLine(a) if a.word == 4 && a.value == "300"));
    assert_eq!(mc.overridden.len(), 2);
    assert_eq!(config.int("max_connections").unwrap().unwrap().value, 300);
    assert!(matches!(config.edit_location("max_connections"), EditLocation::CommandLine(_)));
    let words: Vec<String> = ["postgres", "-c", "shared_buffers=1XB"].map(String::from).to_vec();
    let config = load(&fs).with_command_line(parse_command_line(&words));
    let e = config.startup_errors();
    assert_eq!((e.len(), e[0].word), (1, Some(2)));
    assert_eq!(e[0].message, "invalid value for parameter \"shared_buffers\": \"1XB\"");
}

#[test]
fn startup_errors_in_postgresql_phases() {
    let errs = |text: &str| -> Vec<String> {
        load(&fs(&[("/data/postgresql.conf", text)])).startup_errors().into_iter().map(|e| e.message).collect()
    };
    // checked with postgres -C: an earlier occurrence spelled the same is not checked
    assert!(errs("work_mem = bogus\nwork_mem = 4MB\n").is_empty());
    assert_eq!(errs("Work_mem = bogus\nwork_mem = 4MB\n"), ["invalid value for parameter \"Work_mem\": \"bogus\""]);
    // unknown names stop before values are checked; dotted names are placeholders
    assert_eq!(
        errs("nosuch = 1\nwork_mem = bogus\nfoo.bar = x\n"),
        ["unrecognized configuration parameter \"nosuch\" in file \"/data/postgresql.conf\" line 1"]
    );
    // syntax errors stop before names are checked
    assert_eq!(errs("nosuch = 1\nwork_mem = = 1\n"), ["syntax error in file \"/data/postgresql.conf\" line 2, near token \"=\""]);
    assert_eq!(
        errs("shared_buffers = 128XB\nwork_mem=1\nblock_size = 8192\n"),
        [
            "invalid value for parameter \"shared_buffers\": \"128XB\"",
            "1 kB is outside the valid range for parameter \"work_mem\" (64 .. 2147483647)",
            "parameter \"block_size\" cannot be changed",
        ]
    );
    assert!(errs("sort_mem = 1MB\nwal_level = hot_standby\nhuge_pages = true\nconfig_file = 'x'\n").is_empty());
}

#[test]
fn value_problems_locate_the_value() {
    let config = load(&fs(&[("/data/postgresql.conf", "shared_buffers = 128XB # bad\n")]));
    let problems = config.value_problems();
    let Origin::File { setting, .. } = problems[0].origin else { panic!() };
    assert_eq!(setting.value.range.of(&config.main().source.text), "128XB");
    assert_eq!(problems[0].error.kind, ValueErrorKind::BadUnit);
}

// ---------------------------------------------------------------------------------------------
// Edits

fn apply(config: &PgConfig, name: &str, value: &str) -> String {
    let loc = config.edit_location(name);
    let file = loc.file().unwrap();
    let src = &config.files[file].source;
    let e = loc.edit(src, name, value).unwrap();
    let mut text = src.text.clone();
    text.replace_range(e.range.range(), &e.text);
    text
}

#[test]
fn edit_existing_value_keeps_quoting() {
    let config = load(&fs(&[(
        "/data/postgresql.conf",
        "work_mem = 4MB # keep\nshared_buffers = '1GB'\nwork_mem = 8MB\t# wins\nlc_messages = C\n",
    )]));
    assert_eq!(
        apply(&config, "work_mem", "64MB"),
        "work_mem = 4MB # keep\nshared_buffers = '1GB'\nwork_mem = 64MB\t# wins\nlc_messages = C\n"
    );
    assert_eq!(
        apply(&config, "shared_buffers", "2GB"),
        "work_mem = 4MB # keep\nshared_buffers = '2GB'\nwork_mem = 8MB\t# wins\nlc_messages = C\n"
    );
    assert_eq!(
        apply(&config, "lc_messages", "en_US.utf8"),
        "work_mem = 4MB # keep\nshared_buffers = '1GB'\nwork_mem = 8MB\t# wins\nlc_messages = 'en_US.utf8'\n"
    );
}

#[test]
fn edit_uncomments_the_last_commented_line() {
    let text = "#shared_buffers = 32MB\r\n#shared_buffers = 128MB\t\t\t# min 128kB\r\n#log_line_prefix = '%m '\t# special\r\n";
    let config = load(&fs(&[("/data/postgresql.conf", text), ("/data/postgresql.auto.conf", "#work_mem = 1MB\n")]));
    assert_eq!(
        apply(&config, "shared_buffers", "2GB"),
        "#shared_buffers = 32MB\r\nshared_buffers = 2GB\t\t\t# min 128kB\r\n#log_line_prefix = '%m '\t# special\r\n"
    );
    assert_eq!(
        apply(&config, "log_line_prefix", "%m [%p] "),
        "#shared_buffers = 32MB\r\n#shared_buffers = 128MB\t\t\t# min 128kB\r\nlog_line_prefix = '%m [%p] '\t# special\r\n"
    );
    // not in postgresql.auto.conf: append to the main file, in its line ending
    assert_eq!(apply(&config, "work_mem", "1.5GB"), format!("{text}work_mem = '1.5GB'\r\n"));
}

#[test]
fn edit_appends_after_a_missing_final_newline() {
    let config = load(&fs(&[("/data/postgresql.conf", "port = 5432")]));
    assert_eq!(apply(&config, "work_mem", "64MB"), "port = 5432\nwork_mem = 64MB\n");
    let config = load(&fs(&[("/data/postgresql.conf", "")]));
    assert_eq!(apply(&config, "work_mem", "64MB"), "work_mem = 64MB\n");
    // the single-file variant
    let (src, conf) = parse("#work_mem = 4MB\n");
    let e = conf.edit_location(&src, "work_mem").edit(&src, "work_mem", "8MB").unwrap();
    assert_eq!((e.range.of(&src.text), e.text.as_str()), ("#work_mem = 4MB", "work_mem = 8MB"));
}

#[test]
fn quoting() {
    for (v, want) in [
        ("2GB", "2GB"),
        ("on", "on"),
        ("-1", "-1"),
        ("0.9", "0.9"),
        ("scram-sha-256", "scram-sha-256"),
        ("1.5GB", "'1.5GB'"),
        ("en_US.utf8", "'en_US.utf8'"),
        ("", "''"),
        ("it's \\ ok\n", "'it''s \\\\ ok\\n'"),
        ("/var/lib", "'/var/lib'"),
    ] {
        assert_eq!(format_value(v), want, "{v:?}");
        // and PostgreSQL reads it back as the value
        let (_, conf) = parse(&format!("x.y = {want}\n"));
        assert_eq!(conf.get("x.y").unwrap().value.text, v);
    }
}
