//! Settings on a `postgres` command line: `-c name=value`, `-cname=value`, `--name=value`
//! (dashes in the name become underscores), and the short options that set a parameter
//! (`-B 1000` is shared_buffers, `-N 200` max_connections, ...), as PostgreSQL's postmaster
//! reads them (getopt, then `ParseLongOption`). They override every configuration file, and the
//! last one of a name wins.
//!
//! The words come from a compose `command` (list, or string split as a shell would) or a systemd
//! `ExecStart`. Options are read after the first word that runs `postgres` or `postmaster` (a
//! path ending so counts; a user name after `-u`, `-U`, `--user`, `su`, `gosu` or `su-exec` does
//! not, so `su postgres -c '...'` and `psql -U postgres -c '...'` yield nothing); when there is
//! none, from the start if the first word is an option (the official image's entrypoint runs
//! `postgres "$@"` when the command starts with `-`); otherwise the command is not a postgres
//! command line and yields nothing.

use super::params;

/// One setting from the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgSetting {
    /// Index of the word that holds the value (`name=value` after `-c`, `200` after `-N`).
    pub word: usize,
    /// Index of the word where the option starts (`-c`, `-N`; the same as `word` when attached).
    pub option_word: usize,
    /// The name as PostgreSQL receives it (dashes turned into underscores).
    pub name: String,
    /// The lookup key ([`params::canonical_key`]).
    pub key: String,
    pub value: String,
}

/// A command line option PostgreSQL refuses (`-c work_mem` without `=value`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArgError {
    pub word: usize,
    /// PostgreSQL's message (`-c work_mem requires a value`).
    pub message: String,
}

/// What a postgres command line sets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandLine {
    pub settings: Vec<ArgSetting>,
    /// `-D DIR`: the data directory (where postgresql.conf and postgresql.auto.conf are, unless
    /// `config_file` says otherwise), with the index of the word holding it.
    pub data_dir: Option<(usize, String)>,
    pub errors: Vec<ArgError>,
}

impl CommandLine {
    /// The setting of `name` that wins on this command line (the last one).
    pub fn get(&self, name: &str) -> Option<&ArgSetting> {
        let key = params::canonical_key(name);
        self.settings.iter().rev().find(|s| s.key == key)
    }
}

/// Short options that take an argument (postmaster's getopt string
/// `B:bc:C:D:d:EeFf:h:ijk:lN:OPp:r:S:sTt:W:-:`).
const WITH_ARGUMENT: &[u8] = b"BcCDdfhkNprStW-";

/// The index of the word that runs the server (`postgres`, `/usr/lib/…/postmaster`), not
/// counting a user name (`su postgres`, `gosu postgres`).
pub fn postgres_at(words: &[String]) -> Option<usize> {
    (0..words.len()).find(|&i| {
        let w = words[i].as_str();
        let base = w.rsplit('/').next().unwrap_or(w);
        let user = i > 0 && matches!(words[i - 1].as_str(), "-u" | "-U" | "--user" | "su" | "gosu" | "su-exec");
        (base == "postgres" || base == "postmaster") && !user
    })
}

/// Reads the settings of a postgres command line (see the module documentation for which words
/// count).
pub fn parse_command_line(words: &[String]) -> CommandLine {
    let start = match postgres_at(words) {
        Some(i) => i + 1,
        None if words.first().is_some_and(|w| w.starts_with('-')) => 0,
        None => return CommandLine::default(),
    };
    let mut out = CommandLine::default();
    let mut i = start;
    while i < words.len() {
        let w = &words[i];
        let option_word = i;
        i += 1;
        if w == "--" {
            break; // getopt: end of options
        }
        let Some(opts) = w.strip_prefix('-').filter(|o| !o.is_empty()) else {
            continue; // not an option (PostgreSQL would refuse it; not our concern here)
        };
        // A cluster of short options: `-Fi`, or one that takes the rest (`-cwork_mem=1MB`).
        for (k, opt) in opts.char_indices() {
            let opt_byte = opt as u32 as u8;
            if !opt.is_ascii() || !WITH_ARGUMENT.contains(&opt_byte) {
                flag(&mut out, opt, option_word);
                continue;
            }
            let attached = &opts[k + opt.len_utf8()..];
            let (arg, word) = if !attached.is_empty() {
                (attached.to_string(), option_word)
            } else if let Some(next) = words.get(i) {
                i += 1;
                (next.clone(), i - 1)
            } else {
                out.errors.push(ArgError { word: option_word, message: format!("option requires an argument -- '{opt}'") });
                break;
            };
            with_argument(&mut out, opt, arg, word, option_word);
            break;
        }
    }
    out
}

fn push(out: &mut CommandLine, name: &str, value: String, word: usize, option_word: usize) {
    out.settings.push(ArgSetting { word, option_word, name: name.to_string(), key: params::canonical_key(name), value });
}

/// Options without an argument that set a parameter (postmaster.c).
fn flag(out: &mut CommandLine, opt: char, word: usize) {
    let (name, value) = match opt {
        'F' => ("fsync", "false"),
        'i' => ("listen_addresses", "*"),
        'l' => ("ssl", "true"),
        'O' => ("allow_system_table_mods", "true"),
        'P' => ("ignore_system_indexes", "true"),
        's' => ("log_statement_stats", "true"),
        'e' => ("datestyle", "euro"),
        _ => return,
    };
    push(out, name, value.to_string(), word, word);
}

fn with_argument(out: &mut CommandLine, opt: char, arg: String, word: usize, option_word: usize) {
    let simple = match opt {
        'B' => Some("shared_buffers"),
        'N' => Some("max_connections"),
        'p' => Some("port"),
        'h' => Some("listen_addresses"),
        'k' => Some("unix_socket_directories"),
        'S' => Some("work_mem"),
        'W' => Some("post_auth_delay"),
        _ => None,
    };
    if let Some(name) = simple {
        push(out, name, arg, word, option_word);
        return;
    }
    match opt {
        'c' | '-' => match arg.split_once('=') {
            Some((name, value)) => {
                let name = name.replace('-', "_");
                push(out, &name, value.to_string(), word, option_word);
            }
            None => {
                let shown = if opt == 'c' { format!("-c {arg}") } else { format!("--{arg}") };
                out.errors.push(ArgError { word, message: format!("{shown} requires a value") });
            }
        },
        'D' => out.data_dir = Some((word, arg)),
        'd' => {
            let level = arg.trim().parse::<u32>().unwrap_or(0);
            let value = if level > 0 { format!("debug{}", level.min(5)) } else { "notice".to_string() };
            push(out, "log_min_messages", value, word, option_word);
        }
        'f' => {
            let name = match arg.chars().next() {
                Some('s') => "enable_seqscan",
                Some('i') => "enable_indexscan",
                Some('o') => "enable_indexonlyscan",
                Some('b') => "enable_bitmapscan",
                Some('t') => "enable_tidscan",
                Some('n') => "enable_nestloop",
                Some('m') => "enable_mergejoin",
                Some('h') => "enable_hashjoin",
                _ => return,
            };
            push(out, name, "false".to_string(), word, option_word);
        }
        't' => {
            let name = match arg.as_bytes() {
                [b'p', b'a', ..] => "log_parser_stats",
                [b'p', b'l', ..] => "log_planner_stats",
                [b'e', ..] => "log_executor_stats",
                _ => return,
            };
            push(out, name, "true".to_string(), word, option_word);
        }
        _ => {} // -C (print a parameter), -r (output file)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn pairs(cl: &CommandLine) -> Vec<(usize, &str, &str)> {
        cl.settings.iter().map(|s| (s.word, s.name.as_str(), s.value.as_str())).collect()
    }

    #[test]
    fn dash_c_forms() {
        // postgres -c shared_buffers=300 -B 400 -C shared_buffers prints 400: the last one wins
        let cl = parse_command_line(&words(
            "postgres -c max_connections=200 -cshared_buffers=1GB --work-mem=64MB -B 400 -c log_line_prefix=%t",
        ));
        assert_eq!(
            pairs(&cl),
            vec![
                (2, "max_connections", "200"),
                (3, "shared_buffers", "1GB"),
                (4, "work_mem", "64MB"),
                (6, "shared_buffers", "400"),
                (8, "log_line_prefix", "%t"),
            ]
        );
        assert_eq!(cl.settings[0].option_word, 1);
        assert_eq!(cl.get("SHARED_BUFFERS").map(|s| s.value.as_str()), Some("400"));
        assert!(cl.errors.is_empty());
    }

    #[test]
    fn official_image_command_and_systemd() {
        let cl = parse_command_line(&words("-c shared_preload_libraries=pg_stat_statements -N 50"));
        assert_eq!(pairs(&cl), vec![(1, "shared_preload_libraries", "pg_stat_statements"), (3, "max_connections", "50")]);
        let cl = parse_command_line(&words(
            "/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf",
        ));
        assert_eq!(cl.data_dir, Some((2, "/var/lib/postgresql/15/main".to_string())));
        assert_eq!(pairs(&cl), vec![(4, "config_file", "/etc/postgresql/15/main/postgresql.conf")]);
        // not a postgres command line
        assert_eq!(parse_command_line(&words("bash -c echo")), CommandLine::default());
        assert_eq!(parse_command_line(&words("su postgres -c pg_ctl")), CommandLine::default());
        assert_eq!(parse_command_line(&words("psql -U postgres -c select")), CommandLine::default());
        // a user name is not the program; the program after it is
        let cl = parse_command_line(&words("runuser -u postgres -- postgres -c work_mem=1MB"));
        assert_eq!(pairs(&cl), vec![(6, "work_mem", "1MB")]);
        let cl = parse_command_line(&words("gosu postgres postgres -N 10"));
        assert_eq!(pairs(&cl), vec![(4, "max_connections", "10")]);
        assert_eq!(parse_command_line(&[]), CommandLine::default());
    }

    #[test]
    fn flags_and_errors() {
        let cl = parse_command_line(&words("postgres -Fi -c work_mem --shared_buffers -p"));
        assert_eq!(pairs(&cl), vec![(1, "fsync", "false"), (1, "listen_addresses", "*")]);
        let messages: Vec<&str> = cl.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            vec!["-c work_mem requires a value", "--shared_buffers requires a value", "option requires an argument -- 'p'"]
        );
        let cl = parse_command_line(&words("postgres -c a=1 -- -c b=2"));
        assert_eq!(pairs(&cl), vec![(2, "a", "1")]);
        let cl = parse_command_line(&words("postgres -c sort_mem=1MB"));
        assert_eq!(cl.settings[0].key, "work_mem");
    }
}
