//! Every limits.conf and systemd file of the shared corpus: parsed without panic and printed
//! back byte for byte from the tree's tokens; the oddities the corpus README lists are read as
//! the programs read them.

mod common;

use std::path::PathBuf;

use odoo_lint::formats::limits;
use odoo_lint::formats::systemd::{self, UnitType, effective::EffectiveUnit};
use odoo_lint::source::SourceFile;

fn corpus_dir() -> Option<PathBuf> {
    let dir = common::corpus_dir().join("limits-systemd");
    assert!(dir.is_dir(), "corpus missing at {}", dir.display());
    Some(dir)
}

fn files() -> Vec<(String, SourceFile)> {
    let Some(dir) = corpus_dir() else {
        return Vec::new();
    };
    let mut out: Vec<(String, SourceFile)> = std::fs::read_dir(&dir)
        .expect("read corpus")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file() && e.file_name() != "README.md")
        .map(|e| {
            let name = e.file_name().to_string_lossy().to_string();
            let bytes = std::fs::read(e.path()).expect("read file");
            (name, SourceFile::new(e.path(), bytes))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn is_unit(name: &str) -> bool {
    name.ends_with(".service") || name.contains(".service.d_")
}

#[test]
fn every_file_round_trips() {
    let files = files();
    let (mut units, mut limit_files) = (0, 0);
    for (name, src) in &files {
        let printed: Vec<u8> = if is_unit(name) {
            units += 1;
            let f = systemd::parse(src, UnitType::Service);
            f.tokens().flat_map(|r| src.bytes[r.range()].to_vec()).collect()
        } else {
            limit_files += 1;
            let f = limits::parse(src);
            f.lines.iter().flat_map(|l| [l.range, l.eol]).flat_map(|r| src.bytes[r.range()].to_vec()).collect()
        };
        assert_eq!(printed, src.bytes, "{name}");
    }
    if !files.is_empty() {
        assert_eq!((units, limit_files), (17, 4));
    }
}

fn unit(files: &[(String, SourceFile)], part: &str) -> systemd::UnitFile {
    let (_, src) = files.iter().find(|(n, _)| n.contains(part)).expect(part);
    systemd::parse(src, UnitType::Service)
}

#[test]
fn corpus_oddities() {
    let files = files();
    if files.is_empty() {
        return;
    }
    // the invalid directive is the only problem systemd reports in the Odoo units
    let mut problems = Vec::new();
    for (name, src) in &files {
        if is_unit(name) {
            let f = systemd::parse(src, UnitType::Service);
            for e in &f.errors {
                problems.push((name.clone(), e.range.of(&src.text).to_string()));
            }
        }
    }
    assert_eq!(
        problems,
        [("elbasri__odoo-as-a-native-server-systemd-file__odoo.service".to_string(), "ExecRestart".to_string())]
    );

    // ExecStart with backslash continuations
    let f = unit(&files, "Belal1Abbas__odoo-17-installation__systemd_odoo");
    let refs = [&f];
    let u = EffectiveUnit::new(&refs);
    let ex = u.exec_start();
    let argv: Vec<&str> = ex[0].1.argv.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(
        argv,
        [
            "/home/belal/odoo-17-installation/venv/bin/python3",
            "/home/belal/odoo-17-installation/odoo/odoo-bin",
            "-c",
            "/home/belal/odoo-17-installation/config/odoo.conf"
        ]
    );
    let odoo = systemd::commands::odoo_command(&ex[0].1).expect("odoo");
    assert_eq!(odoo.config.and_then(|c| c.value).as_deref(), Some("/home/belal/odoo-17-installation/config/odoo.conf"));

    // duplicate [Install] and EnvironmentFile=-…
    let f = unit(&files, "it-projects-llc");
    assert_eq!(f.sections.iter().filter(|s| s.name == "Install").count(), 2);
    let refs = [&f];
    let u = EffectiveUnit::new(&refs);
    let envf = u.environment_files();
    assert!(envf[0].1.optional && envf[0].1.path == "/etc/odoo/odoo-server.conf");
    // its ExecStart starts with a {{placeholder}}: systemd refuses the unit
    let (_, a) = u.assignments("Service", "ExecStart").next().expect("ExecStart");
    assert!(systemd::exec::parse_exec(&a.value).fatal);

    // quoted Environment=, StandardError=append:, empty Documentation=
    let f = unit(&files, "elmeriniemela");
    let refs = [&f];
    let env: Vec<(String, String)> =
        EffectiveUnit::new(&refs).environment().into_iter().map(|(_, e)| (e.name, e.value)).collect();
    assert_eq!(env, [("HOME".to_string(), "/home/elmeri".to_string()), ("USER".to_string(), "elmeri".to_string())]);
    let f = unit(&files, "posbox");
    assert_eq!(
        f.values("Service", "StandardError").next().map(|a| a.value.text.as_str()),
        Some("append:/var/log/odoo/odoo-server.log")
    );
    let f = unit(&files, "fanghsiaohui");
    assert!(f.values("Unit", "Documentation").next().is_some_and(|a| a.value.is_empty()));

    // the nginx drop-in raises LimitNOFILE over the unit's default
    let base = unit(&files, "VirtuBox__ubuntu-nginx-web-server__etc_systemd_system_nginx.service");
    let dropin = unit(&files, "nginx.service.d_limits.conf");
    let refs = [&base, &dropin];
    let n = EffectiveUnit::new(&refs).limit_nofile();
    assert_eq!(n.origin.map(|o| o.file), Some(1));
    assert_eq!(n.value.soft, systemd::values::RlimitValue::Finite(30000));
}

#[test]
fn limits_corpus_effective_values() {
    let files = files();
    if files.is_empty() {
        return;
    }
    for (name, src) in &files {
        if !is_unit(name) {
            let f = limits::parse(src);
            assert!(f.errors.is_empty(), "{name}: {:?}", f.errors);
        }
    }
    let (_, src) = files.iter().find(|(n, _)| n.starts_with("matsuu")).expect("matsuu");
    let f = limits::parse(src);
    let eff = limits::effective_limit(
        &[&f],
        &limits::UserIdentity::named("odoo", &[]),
        limits::Item::Nofile,
        limits::PamFlavor::Debian,
    );
    let soft = eff.soft.expect("soft");
    assert_eq!(soft.range.of(&src.text), "*\t-\tnofile\t655360");
    assert_eq!(eff.hard.map(|h| h.value), Some(limits::LimitValue::Number(655360)));
    let eff = limits::effective_limit(
        &[&f],
        &limits::UserIdentity::named("odoo", &[]),
        limits::Item::Memlock,
        limits::PamFlavor::Debian,
    );
    assert_eq!(eff.soft.map(|s| s.value), Some(limits::LimitValue::Unlimited));
    // Debian: the `*` lines do not apply to root, the `root` lines do
    let (_, src) = files
        .iter()
        .find(|(n, _)| n.starts_with("VirtuBox") && n.ends_with("limits.conf") && !n.contains("service"))
        .expect("VirtuBox");
    let f = limits::parse(src);
    let root = limits::UserIdentity { name: "root".into(), uid: Some(0), ..Default::default() };
    let eff = limits::effective_limit(&[&f], &root, limits::Item::Nofile, limits::PamFlavor::Debian);
    assert_eq!(eff.soft.map(|s| s.class), Some(limits::DomainClass::User));
}

mod never_panic {
    use super::*;
    use proptest::prelude::*;

    fn bytes() -> impl Strategy<Value = Vec<u8>> {
        let pieces = prop::sample::select(vec![
            &b"["[..],
            b"]",
            b"Service",
            b"=",
            b"\\",
            b"\n",
            b"\r",
            b"\0",
            b"#",
            b";",
            b" ",
            b"\t",
            b"\"",
            b"'",
            b"%",
            b"$",
            b"ExecStart",
            b"-@",
            b"\xef\xbb\xbf",
            b"\xff",
            b"*",
            b"soft",
            b"nofile",
            b"-",
            b":",
            b"@",
            b"1",
            b"x",
        ]);
        prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn parsers_round_trip_anything(b in bytes()) {
            let src = SourceFile::new("x.service", b.clone());
            let f = systemd::parse(&src, UnitType::Service);
            let printed: Vec<u8> = f.tokens().flat_map(|r| src.bytes[r.range()].to_vec()).collect();
            prop_assert_eq!(&printed, &b);
            let refs = [&f];
            let u = EffectiveUnit::new(&refs);
            for (_, c) in u.exec_start() {
                let _ = systemd::commands::odoo_command(&c);
            }
            let _ = (u.environment(), u.value_errors(), u.timeout_stop(), u.limit_nofile());
            let _ = systemd::insert_key(&f, &src, "Service", "LimitNOFILE", "65536");
            let l = limits::parse(&src);
            let printed: Vec<u8> = l.lines.iter().flat_map(|x| [x.range, x.eol]).flat_map(|r| src.bytes[r.range()].to_vec()).collect();
            prop_assert_eq!(&printed, &b);
            let _ = limits::effective_limit(&[&l], &limits::UserIdentity::named("x", &[]), limits::Item::Nofile, limits::PamFlavor::Debian);
            let _ = limits::append_entry(&l, &src, ["a", "b", "c", "d"]);
        }
    }
}
