//! The `monev` binary: parse arguments, run the library, map the result to an
//! exit code (0 success, 1 `periksa --ketat` found errors, 2 usage or I/O failure).

mod cli;
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
    let cli = match cli::Cli::try_parse() {
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
    match monev::app::run(&cli.into_config()) {
        Ok(monev::app::Outcome::Done) => ExitCode::SUCCESS,
        Ok(monev::app::Outcome::Findings) => ExitCode::from(1),
        Err(e) => {
            eprintln!("galat: {e}");
            ExitCode::from(2)
        }
    }
}
