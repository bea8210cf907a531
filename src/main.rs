fn main() -> std::process::ExitCode {
    odoo_lint::cli::main()
}
