//! The benchmark's helper, run by `bench/run.sh`:
//!
//! ```text
//! cargo run --release --example bench -- fleet DIR N        # N stacks under DIR (bench/fleet.rs)
//! cargo run --release --example bench -- typical DIR        # the typical five-file stack
//! cargo run --release --example bench -- nginx DIR BYTES    # a large nginx.conf and its includes
//! cargo run --release --example bench -- parse FILE [SECS]  # nginx parsing throughput, in process
//! ```
//!
//! `parse` reads the file once, then parses it again and again for at least SECS seconds
//! (default 3) and three rounds, each round being what odoo-lint does with a file it reads:
//! [`SourceFile::new`] (UTF-8 check, line index) and the lossless nginx parse. It prints the
//! median round's time and the throughput, on one line of `key=value` pairs.

#[path = "../bench/fleet.rs"]
mod fleet;

use odoo_lint::formats::nginx;
use odoo_lint::source::SourceFile;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn usage() -> ExitCode {
    eprintln!("usage: bench fleet DIR N | typical DIR | nginx DIR BYTES | parse FILE [SECS]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    let result = match (arg(0), arg(1), arg(2)) {
        (Some("fleet"), Some(dir), Some(n)) => {
            let Ok(n) = n.parse::<usize>() else { return usage() };
            fleet::write_fleet(Path::new(dir), n).map(|stacks| {
                let bytes: usize = stacks.iter().map(fleet::Stack::bytes).sum();
                let faults: usize = stacks.iter().map(|s| s.faults.len()).sum();
                println!("stacks={n} files={} bytes={bytes} planted_faults={faults}", n * 5);
            })
        }
        (Some("typical"), Some(dir), None) => fleet::write_typical(Path::new(dir)).map(|s| {
            println!("files={} bytes={} codes={}", s.files.len(), s.bytes(), s.codes().join(","));
        }),
        (Some("nginx"), Some(dir), Some(bytes)) => {
            let Ok(bytes) = bytes.parse::<usize>() else { return usage() };
            fleet::write_big_nginx(Path::new(dir), bytes).map(|p| println!("{}", p.display()))
        }
        (Some("parse"), Some(file), secs) => {
            let Ok(secs) = secs.unwrap_or("3").parse::<f64>() else { return usage() };
            parse(Path::new(file), Duration::from_secs_f64(secs))
        }
        _ => return usage(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(path: &Path, min: Duration) -> std::io::Result<()> {
    let bytes = std::fs::read(path)?;
    let mut rounds: Vec<Duration> = Vec::new();
    let mut directives = 0;
    let started = Instant::now();
    while rounds.len() < 3 || started.elapsed() < min {
        let t = Instant::now();
        let source = SourceFile::new(path, bytes.clone());
        let tree = nginx::parse(&source.text);
        rounds.push(t.elapsed());
        directives = tree.directive_count();
        std::hint::black_box((&source, &tree));
    }
    rounds.sort();
    let median = rounds[rounds.len() / 2];
    let mb = bytes.len() as f64 / 1e6;
    println!(
        "bytes={} directives={directives} rounds={} median_ms={:.3} best_ms={:.3} mb_per_s={:.1}",
        bytes.len(),
        rounds.len(),
        median.as_secs_f64() * 1e3,
        rounds[0].as_secs_f64() * 1e3,
        mb / median.as_secs_f64()
    );
    Ok(())
}
