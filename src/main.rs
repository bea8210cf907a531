/// mimalloc: a fleet check allocates and frees millions of small trees and strings on every
/// core, where glibc's allocator took a quarter of the instructions (bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in the mimalloc 3.3 that libmimalloc-sys 0.1.49 builds
/// (`mi_option_e` in its mimalloc.h; Cargo.toml pins the version): how long freed memory is
/// kept before it is returned to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// 10 ms (mimalloc's default), set here so that it is a decision: returning memory at once
/// (0) kept a 10,000-stack check at 148 MB instead of 170, but the kernel then spent half a
/// second more clearing the pages it mapped again (bench/README.md). When a fleet check still
/// held every tree, 10 ms meant 410 MB instead of 280.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

fn main() -> std::process::ExitCode {
    // SAFETY: a plain setter, called before any other thread exists.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    // mimalloc asks for transparent huge pages, which made a single stack's check take 15 MB
    // instead of 7 (its arena is made before main, so this refuses them at fault time).
    // SAFETY: prctl with integer arguments only.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    odoo_lint::cli::main()
}
