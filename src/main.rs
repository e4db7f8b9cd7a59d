fn main() {
    restore_sigpipe();
    let code = calque::cli::run(std::env::args_os().collect());
    std::process::exit(code);
}

/// Rust ignores SIGPIPE, so `calque rules | head` would panic on the first
/// write after `head` exits. Restore the default: the process ends quietly,
/// as Unix tools do.
#[cfg(unix)]
fn restore_sigpipe() {
    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    const SIGPIPE: i32 = 13;
    const SIG_DFL: usize = 0;
    // SAFETY: setting a signal disposition to its default is always sound;
    // it runs first in main, before any thread is started.
    unsafe {
        signal(SIGPIPE, SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_sigpipe() {}
