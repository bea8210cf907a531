/// mimalloc: a fleet check allocates and frees millions of small trees and strings on every
/// core, where glibc's allocator took a quarter of the instructions (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the mimalloc 3.3 that libmimalloc-sys 0.1.49 builds
/// (`mi_option_e` in its mimalloc.h; Cargo.toml pins the version). By default freed memory is
/// kept 10 ms before it is returned, long enough for a fleet check to map more instead of
/// reusing it (410 MB instead of 280).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // SAFETY: a plain setter, called before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    // mimalloc asks for transparent huge pages, which made a single stack's check take 15 MB
    // instead of 7 (its arena is made before main, so this refuses them at fault time).
    // SAFETY: prctl with integer arguments only.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    odoo_lint::cli::main()
}
