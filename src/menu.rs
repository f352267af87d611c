//! Use without a command line (issue 10): what the binary does when a city
//! operator double-clicks `monev.exe` or drops a folder on it, before clap sees
//! the arguments.
//!
//! - No arguments, in a terminal: a short Indonesian menu (dialoguer) that asks
//!   only what each job needs, with defaults, builds the ordinary command line
//!   and runs it; the window then waits for a key so the operator can read it.
//! - Arguments that are all existing paths and no command (a folder or files
//!   dropped on the .exe): `rekap` of them into `rekap-<tahun>.xlsx` beside
//!   them; in a terminal it is then opened (`start` on Windows, `xdg-open`
//!   elsewhere; not when `MONEV_TANPA_BUKA=1`, which the tests set) and a key
//!   is awaited.
//! - Not in a terminal (scripts, CI): nothing changes, clap prints the help and
//!   the exit code is 2.
//!
//! It also catches the stray quote that Windows leaves when a quoted folder ends
//! with a backslash (`"Lap Masuk\"` arrives as `Lap Masuk"`).

use std::ffi::{OsStr, OsString};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Datelike;
use dialoguer::theme::ColorfulTheme;
use dialoguer::{Input, Select};

/// Commands and their aliases (see `cli::Cmd`): an argument naming one is a
/// command line, not a dropped file.
const COMMANDS: [&str; 6] = [
    "templat", "template", "rekap", "compile", "periksa", "check",
];

/// What to do with the arguments (`args` without the program name).
#[derive(Debug, PartialEq)]
pub enum Launch {
    /// Double-clicked: show the menu.
    Menu,
    /// Paths dropped on the program: compile them.
    Drop(Vec<PathBuf>),
    /// An argument carries the stray quote of `"Folder\"`; the message says so.
    StrayQuote(String),
    /// An ordinary command line, for clap.
    Normal,
}

/// Decides how the program was started. `interactive`: stdin and stdout are
/// terminals.
pub fn launch(args: &[OsString], interactive: bool) -> Launch {
    if args.is_empty() {
        return if interactive {
            Launch::Menu
        } else {
            Launch::Normal
        };
    }
    if let Some(bad) = args.iter().find(|a| has_stray_quote(a)) {
        return Launch::StrayQuote(stray_quote_message(&bad.to_string_lossy()));
    }
    let first = args[0].to_string_lossy();
    let dropped = !first.starts_with('-')
        && !COMMANDS.contains(&first.as_ref())
        && args.iter().all(|a| Path::new(a).exists());
    if dropped {
        Launch::Drop(args.iter().map(PathBuf::from).collect())
    } else {
        Launch::Normal
    }
}

/// True for an argument with a `"` that is not an existing path: Windows never
/// allows `"` in a file name, so it is the leftover of `"Folder\"`.
fn has_stray_quote(arg: &OsStr) -> bool {
    arg.to_string_lossy().contains('"') && !Path::new(arg).exists()
}

/// The Indonesian explanation of the stray quote, with the fix.
pub fn stray_quote_message(arg: &str) -> String {
    let (path, rest) = match arg.split_once('"') {
        Some((p, r)) => (p.trim_end_matches(['\\', '/']), r.trim()),
        None => (arg, ""),
    };
    let mut msg = format!(
        "galat: masukan '{arg}' berisi tanda petik (\") yang tersisa. Di Windows, garis miring terbalik tepat sebelum tanda petik penutup (\"{path}\\\") membuat tanda petik itu ikut terbaca sebagai bagian nama folder"
    );
    if !rest.is_empty() {
        msg.push_str(&format!(", dan '{rest}' ikut tergabung ke dalamnya"));
    }
    msg.push_str(&format!(
        ". Tulis tanpa garis miring terakhir: \"{path}\" (atau tanpa tanda petik bila nama folder tanpa spasi)."
    ));
    msg
}

/// True when a person is at the keyboard: stdin and stdout are terminals.
pub fn interactive() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// The command line for paths dropped on the program: `rekap` of all of them
/// into `rekap-<year>.xlsx` in the folder holding the first one (beside a
/// dropped folder, or beside dropped files). `--timpa` lets a second drop
/// replace the previous rekap (never a filled report: see `output.rs`).
pub fn drop_command(paths: &[PathBuf], year: i32) -> (Vec<OsString>, PathBuf) {
    let first = std::path::absolute(&paths[0]).unwrap_or_else(|_| paths[0].clone());
    let dir = first
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| first.clone(), Path::to_path_buf);
    let output = dir.join(format!("rekap-{year}.xlsx"));
    let mut args: Vec<OsString> = vec!["monev".into(), "rekap".into()];
    args.extend(paths.iter().map(|p| p.clone().into_os_string()));
    args.extend([
        "--tahun".into(),
        year.to_string().into(),
        "--keluaran".into(),
        output.clone().into_os_string(),
        "--timpa".into(),
    ]);
    (args, output)
}

/// Opens a finished workbook with the system's program (Excel on Windows),
/// unless `MONEV_TANPA_BUKA=1`. Failure to open is only reported.
pub fn open(path: &Path) {
    if std::env::var_os("MONEV_TANPA_BUKA").is_some_and(|v| v == "1") {
        return;
    }
    let spawned = if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", ""])
            .arg(path)
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(path).spawn()
    };
    if spawned.is_err() {
        eprintln!(
            "Rekap tidak dapat dibuka otomatis; bukalah sendiri: {}",
            monev::fsutil::display_path(path)
        );
    }
}

/// Keeps the window open until a key is pressed (only in a terminal).
pub fn wait_for_key() {
    if !interactive() {
        return;
    }
    println!();
    println!("Tekan Enter untuk menutup jendela ini.");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

/// Cleans a path typed or dragged into the window: surrounding spaces and
/// the quotes a terminal adds around a dragged path with spaces.
pub fn clean_path(typed: &str) -> PathBuf {
    let t = typed.trim();
    let t = ['"', '\'']
        .iter()
        .find_map(|q| t.strip_prefix(*q).and_then(|s| s.strip_suffix(*q)))
        .unwrap_or(t);
    PathBuf::from(t)
}

/// The menu. Returns the command line of the chosen job (program name first),
/// or None when the operator chose help or to leave (help is printed here).
pub fn menu(now_year: i32) -> std::io::Result<Option<Vec<OsString>>> {
    let theme = ColorfulTheme::default();
    println!("monev — monitoring dan evaluasi Budaya Kerja BerAKHLAK (Perwal Kota Serang 34/2023)");
    println!();
    let choices = [
        "Buat templat Excel untuk setiap OPD",
        "Rekap folder laporan yang masuk",
        "Periksa satu berkas laporan",
        "Bantuan (cara memakai dari baris perintah)",
        "Keluar",
    ];
    let picked = Select::with_theme(&theme)
        .with_prompt("Pilih pekerjaan (panah atas/bawah, lalu Enter)")
        .items(choices)
        .default(0)
        .interact_opt()
        .map_err(to_io)?;
    let year = |theme: &ColorfulTheme| {
        Input::<i32>::with_theme(theme)
            .with_prompt("Tahun pelaporan")
            .default(now_year)
            .validate_with(|y: &i32| {
                if (2000..=2100).contains(y) {
                    Ok(())
                } else {
                    Err("tahun harus antara 2000 dan 2100")
                }
            })
            .interact_text()
            .map_err(to_io)
    };
    let path = |theme: &ColorfulTheme, prompt: &str, default: Option<String>| {
        let mut input = Input::<String>::with_theme(theme).with_prompt(prompt);
        if let Some(d) = default {
            input = input.default(d);
        }
        input
            .validate_with(|s: &String| {
                if clean_path(s).exists() {
                    Ok(())
                } else {
                    Err("tidak ditemukan; ketik jalurnya atau seret folder/berkas ke jendela ini")
                }
            })
            .interact_text()
            .map(|s| clean_path(&s))
            .map_err(to_io)
    };
    let args: Vec<OsString> = match picked {
        Some(0) => {
            let y = year(&theme)?;
            let out = Input::<String>::with_theme(&theme)
                .with_prompt("Folder tujuan templat")
                .default(format!("templat-{y}"))
                .interact_text()
                .map_err(to_io)?;
            vec![
                "monev".into(),
                "templat".into(),
                "--tahun".into(),
                y.to_string().into(),
                "--keluaran".into(),
                clean_path(&out).into_os_string(),
            ]
        }
        Some(1) => {
            let dir = path(
                &theme,
                "Folder laporan yang masuk (ketik, atau seret foldernya ke jendela ini)",
                None,
            )?;
            let y = year(&theme)?;
            let (args, _) = drop_command(&[dir], y);
            args
        }
        Some(2) => {
            let file = path(
                &theme,
                "Berkas laporan (ketik, atau seret berkasnya ke jendela ini)",
                None,
            )?;
            vec!["monev".into(), "periksa".into(), file.into_os_string()]
        }
        Some(3) => {
            use clap::CommandFactory;
            let _ = crate::cli::Cli::command().print_help();
            return Ok(None);
        }
        _ => return Ok(None),
    };
    Ok(Some(args))
}

fn to_io(e: dialoguer::Error) -> std::io::Error {
    match e {
        dialoguer::Error::IO(e) => e,
    }
}

/// The year for the menu's and the drop's defaults.
pub fn this_year() -> i32 {
    crate::cli::now().year()
}

/// Runs a launch that is not an ordinary command line; `run` executes a command
/// line as `main` does. Returns None for [`Launch::Normal`].
pub fn run(launch: Launch, run: impl Fn(Vec<OsString>) -> ExitCode) -> Option<ExitCode> {
    match launch {
        Launch::Normal => None,
        Launch::StrayQuote(msg) => {
            eprintln!("{msg}");
            Some(ExitCode::from(2))
        }
        Launch::Drop(paths) => {
            let (args, output) = drop_command(&paths, this_year());
            let code = run(args);
            // Opened only for a person at the window, never in a script.
            if output.exists() && code == ExitCode::SUCCESS && interactive() {
                open(&output);
            }
            wait_for_key();
            Some(code)
        }
        Launch::Menu => {
            let code = match menu(this_year()) {
                Ok(Some(args)) => {
                    let code = run(args);
                    if code == ExitCode::SUCCESS {
                        println!("Selesai.");
                    }
                    code
                }
                Ok(None) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("galat: menu tidak dapat dipakai: {e}");
                    ExitCode::from(2)
                }
            };
            wait_for_key();
            Some(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_arguments_outside_a_terminal_is_an_ordinary_command_line() {
        assert_eq!(launch(&[], false), Launch::Normal);
        assert_eq!(launch(&[], true), Launch::Menu);
    }

    #[test]
    fn existing_paths_without_a_command_are_a_drop() {
        let dir = tempfile::tempdir().unwrap();
        let a: OsString = dir.path().into();
        assert_eq!(
            launch(std::slice::from_ref(&a), false),
            Launch::Drop(vec![dir.path().into()])
        );
        // a command name, a flag, or a missing path stays a command line
        assert_eq!(launch(&["rekap".into(), a.clone()], false), Launch::Normal);
        assert_eq!(launch(&["--bantuan".into()], false), Launch::Normal);
        assert_eq!(launch(&[a, "tidak-ada".into()], false), Launch::Normal);
    }

    #[test]
    fn trailing_backslash_quote_is_caught_with_the_fix() {
        let args: Vec<OsString> = vec!["rekap".into(), "Lap Masuk\" --keluaran r.xlsx".into()];
        let Launch::StrayQuote(msg) = launch(&args, false) else {
            panic!("not caught")
        };
        assert!(msg.contains("\"Lap Masuk\""), "{msg}");
        assert!(msg.contains("'--keluaran r.xlsx' ikut tergabung"), "{msg}");
    }

    #[test]
    fn dragged_paths_lose_their_quotes() {
        assert_eq!(
            clean_path(" \"C:\\Lap Masuk\" "),
            PathBuf::from("C:\\Lap Masuk")
        );
        assert_eq!(
            clean_path("'/tmp/lap masuk' "),
            PathBuf::from("/tmp/lap masuk")
        );
        assert_eq!(clean_path("masuk"), PathBuf::from("masuk"));
    }

    #[test]
    fn drop_writes_the_rekap_beside_the_dropped_folder() {
        let (args, out) = drop_command(&[PathBuf::from("/data/Lap Masuk")], 2026);
        assert_eq!(out, PathBuf::from("/data").join("rekap-2026.xlsx"));
        assert_eq!(args[1], "rekap");
        assert!(args.contains(&"--timpa".into()));
    }
}
