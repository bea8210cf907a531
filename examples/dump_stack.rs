//! Writes the files a `pipeline` fuzz input stands for into a directory, to look at a crash
//! as a stack: `cargo run --example dump_stack -- INPUT DIR` (fuzz/README.md).

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, dir] = &args[..] else {
        eprintln!("usage: dump_stack INPUT DIR");
        std::process::exit(2);
    };
    let data = match std::fs::read(input) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{input}: {e}");
            std::process::exit(2);
        }
    };
    for (name, bytes) in odoo_lint::fuzzing::stack_files(&data) {
        let path = std::path::Path::new(dir).join(&name);
        let written = path.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|()| std::fs::write(&path, bytes));
        match written {
            Ok(()) => println!("{}", path.display()),
            Err(e) => eprintln!("{}: {e}", path.display()),
        }
    }
}
