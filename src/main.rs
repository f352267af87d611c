//! The `monev` binary: parse arguments, read the clock once, run the library,
//! own the terminal (progress bar, summaries), and map the result to an exit
//! code (0 success, 1 `periksa --ketat` found errors, 2 usage or I/O failure).

mod cli;
mod menu;
mod term;
mod worker;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

/// glibc gives each thread that allocates its own heap ("arena"), up to
/// eight per core; memory freed in one arena is not reused by another, so a
/// rekap whose files are read on some threads and whose outputs are written
/// on others holds far more than it uses (10,000 reports: 736 MiB peak with
/// the default, 631 MiB with two arenas, same time). Two arenas, one per
/// core of the machines monev runs on, is the measured best. Other platforms
/// and allocators are left alone.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; called first thing in
    // main, before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == worker::COMMAND)
    {
        // A worker inherits the blocked signals of the `monev` that started
        // it; it must die of Ctrl-C like any process (its parent undoes the
        // outputs and a worker writes none).
        unblock_interrupts();
        return worker::main();
    }
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if let Some(code) = menu::run(menu::launch(&args, menu::interactive()), execute) {
        return code;
    }
    execute(std::env::args_os().collect())
}

/// Runs one command line (`args`, program name first), as typed or as built
/// by the menu.
fn execute(args: Vec<std::ffi::OsString>) -> ExitCode {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{}", cli::describe_clap_error(&e));
            return ExitCode::from(2);
        }
    };
    watch_interrupts();
    let quiet = cli.quiet();
    let started = std::time::Instant::now();
    let config = cli.into_config(cli::now());
    let progress = term::Bar::new(&config.command, quiet);
    let result = monev::app::run(&config, &progress);
    progress.finish();
    match result {
        Ok(report) => {
            let failed = matches!(report, monev::app::Report::Periksa { failed: true, .. });
            term::show(&report, quiet, started.elapsed());
            if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(e) => {
            eprintln!("galat: {e}");
            ExitCode::from(2)
        }
    }
}

/// Ctrl-C (SIGINT), SIGTERM and SIGHUP: undo every output write in progress
/// (staged temporary files, outputs already renamed into place, earlier
/// outputs set aside) and exit with 128 + the signal. The signals are blocked
/// in every thread (threads inherit the mask) and taken by one thread with
/// `sigwait`, so the cleanup runs as ordinary code, not in a signal handler.
/// Child processes (workers) get a clear mask from `std::process`.
#[cfg(unix)]
fn watch_interrupts() {
    // SAFETY: plain libc calls on a local, initialised signal set; called
    // before any other thread is started.
    let set = interrupt_set();
    unsafe {
        if libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) != 0 {
            return;
        }
        std::thread::spawn(move || {
            let mut sig = 0;
            if libc::sigwait(&set, &mut sig) == 0 {
                monev::output::undo::interrupted();
                eprintln!("\nDihentikan; tidak ada keluaran yang ditulis sebagian.");
                std::process::exit(128 + sig);
            }
        });
    }
}

#[cfg(not(unix))]
fn watch_interrupts() {}

/// The signal set [`watch_interrupts`] blocks.
#[cfg(unix)]
fn interrupt_set() -> libc::sigset_t {
    // SAFETY: initialising a local signal set with libc.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, sig);
        }
        set
    }
}

/// Unblocks the signals [`watch_interrupts`] blocks (for a worker process,
/// which inherits the mask across `exec`).
#[cfg(unix)]
fn unblock_interrupts() {
    let set = interrupt_set();
    // SAFETY: changing this thread's signal mask with an initialised set.
    unsafe {
        libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, std::ptr::null_mut());
    }
}

#[cfg(not(unix))]
fn unblock_interrupts() {}
