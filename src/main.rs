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

fn main() -> ExitCode {
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == worker::COMMAND)
    {
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
