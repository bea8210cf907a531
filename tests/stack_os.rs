//! The stack model of PostgreSQL, systemd and limits files, built from real directories: which
//! files a PostgreSQL configuration reads (through the run's files and the overlay of fixes
//! being checked), how an Odoo unit's command line becomes Odoo settings, and how the unit's
//! limits narrow the host budget.

use odoo_lint::config::Config;
use odoo_lint::files::FileKind;
use odoo_lint::host::FactOrigin;
use odoo_lint::units::Bytes;
use odoo_lint::workspace::{self, Inputs, canonical};

fn write(dir: &std::path::Path, files: &[(&str, &str)]) {
    for (p, t) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    }
}

#[test]
fn postgresql_includes_join_the_stack_and_the_overlay_wins() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("odoo.conf", "[options]\nworkers = 2\n"),
            ("postgresql.conf", "max_connections = 100\ninclude_dir = 'conf.d'\n"),
            // too few PostgreSQL keys for discovery to take it: only the include brings it in
            ("conf.d/10-odoo.conf", "work_mem = 8MB\n"),
        ],
    );
    let inputs = Inputs { paths: vec![dir.path().to_path_buf()], ..Default::default() };
    let ws = workspace::build(&inputs, &Config::default());
    assert_eq!(ws.stacks.len(), 1);
    let stack = &ws.stacks[0];
    let pg = &stack.postgres[0];
    assert_eq!(pg.ids.len(), 2);
    let included = pg.ids[1].unwrap();
    assert!(stack.files.contains(&included));
    assert_eq!(ws.files.get(included).kind, FileKind::Postgresql);
    assert_eq!(pg.bytes("work_mem").unwrap().0, 8 << 20);
    assert_eq!(stack.postgres_share, Some(Bytes((128 << 20) + 100 * (8 << 20))));

    // A fix being checked: the overlay's content of the included file is what is read.
    let mut inputs = inputs;
    inputs.overlay.insert(canonical(&dir.path().join("conf.d/10-odoo.conf")), b"work_mem = 16MB\n".to_vec());
    let ws = workspace::build(&inputs, &Config::default());
    assert_eq!(ws.stacks[0].postgres[0].bytes("work_mem").unwrap().0, 16 << 20);
}

#[test]
fn odoo_unit_flags_and_limits() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("odoo.conf", "[options]\nworkers = 2\nlimit_time_real = 120\n"),
            (
                "odoo.service",
                "[Service]\nUser=odoo\nExecStart=/opt/odoo/odoo-bin -c /etc/odoo/odoo.conf --workers=6\nMemoryMax=3G\n",
            ),
            ("postgresql.conf", "max_connections = 100\nshared_buffers = 1GB\n"),
            ("odoo-lint.toml", "odoo-version = 17\n[host]\ncpus = 4\nmemory = \"8GiB\"\n"),
        ],
    );
    let config = odoo_lint::config::load(&dir.path().join("odoo-lint.toml")).unwrap();
    let inputs = Inputs { paths: vec![dir.path().to_path_buf()], ..Default::default() };
    let ws = workspace::build(&inputs, &config);
    let stack = &ws.stacks[0];
    let workers = stack.odoo.int("workers").unwrap();
    assert_eq!(workers.value, 6);
    assert_eq!(workers.origin.to_string(), "from `--workers=6`");
    let memory = stack.host.memory.clone().unwrap();
    assert_eq!(memory.value, Bytes::gib(3));
    assert!(matches!(memory.origin, FactOrigin::Unit(ref w) if w == "MemoryMax=3G in odoo.service"), "{:?}", memory.origin);
    assert_eq!(stack.system.host_memory.as_ref().unwrap().value, Bytes::gib(8));
    // PostgreSQL runs beside Odoo's cgroup, not in it: not counted in the Odoo budget.
    assert_eq!(stack.postgres_share, None);
}
