//! Command-line parsing (clap) and its translation into [`monev::app::Config`].
//! Every text here is in Bahasa Indonesia, including clap's own headings and
//! error messages, which are replaced.

use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};

use monev::app::{
    Command, Common, Config, PengingatConfig, PeriksaConfig, RekapJob, Source, TemplatJob,
};
use monev::rekap::RekapConfig;
use monev::template::TemplatConfig;

const HELP_TEMPLATE: &str = "\
{before-help}{name} {version} — {about}

Penggunaan: {usage}

{all-args}{after-help}";

const SUB_HELP_TEMPLATE: &str = "\
{about}

Penggunaan: {usage}

{all-args}{after-help}";

/// Monitoring dan evaluasi penerapan Budaya Kerja BerAKHLAK (Perwal Kota Serang 34/2023).
#[derive(Debug, Parser)]
#[command(
    name = "monev",
    version,
    about = "monitoring dan evaluasi penerapan Budaya Kerja BerAKHLAK (Peraturan Wali Kota Serang Nomor 34 Tahun 2023)",
    help_template = HELP_TEMPLATE,
    override_usage = "monev [OPSI] <PERINTAH> [OPSI PERINTAH]",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    subcommand_help_heading = "Perintah",
    subcommand_value_name = "PERINTAH",
    next_help_heading = "Opsi",
    after_help = "Contoh:\n  monev templat --tahun 2026\n  monev templat --hanya dinkes dishub --keluaran templat-2026\n  monev rekap masuk/ --keluaran rekap-2026.xlsx --json rekap-2026.json\n  monev periksa laporan-dinkes.xlsx\n  monev templat --eml draf --dari rb@serangkota.go.id\n  monev pengingat masuk/ --eml pengingat\n\nBantuan per perintah: monev PERINTAH --bantuan"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Cmd,

    #[command(flatten)]
    pub global: Global,
}

/// Options accepted by every command.
#[derive(Debug, Args)]
#[command(next_help_heading = "Opsi umum")]
pub struct Global {
    /// Berkas daftar Perangkat Daerah (CSV dengan kolom kode,nama,email; pemisah ',' atau ';'; atau .xlsx). Bawaan: daftar OPD Kota Serang.
    #[arg(
        long = "opd",
        visible_alias = "units",
        value_name = "BERKAS",
        global = true
    )]
    pub opd: Option<PathBuf>,

    /// Berkas definisi formulir (TOML). Bawaan: formulir Perwal 34/2023 yang tertanam.
    #[arg(
        long = "formulir",
        visible_alias = "form",
        value_name = "BERKAS",
        global = true
    )]
    pub formulir: Option<PathBuf>,

    /// Berkas rubrik penilaian (TOML). Bawaan: rubrik variabel XI Budaya Organisasi (Permendagri 99/2018).
    #[arg(
        long = "rubrik",
        visible_alias = "rubric",
        value_name = "BERKAS",
        global = true
    )]
    pub rubrik: Option<PathBuf>,

    /// Ganti keluaran monev sebelumnya yang sejenis (templat kosong, rekap, JSON, umpan balik). Laporan yang sudah diisi tidak pernah ditimpa.
    #[arg(long = "timpa", visible_alias = "overwrite", global = true)]
    pub timpa: bool,

    /// Tanpa bilah kemajuan dan ringkasan (untuk skrip).
    #[arg(short = 'q', long = "senyap", visible_alias = "quiet", global = true)]
    pub quiet: bool,

    /// Tampilkan bantuan ini.
    #[arg(short = 'h', long = "bantuan", visible_alias = "help", action = clap::ArgAction::Help, global = true)]
    pub help: Option<bool>,

    /// Tampilkan versi.
    #[arg(short = 'V', long = "versi", visible_alias = "version", action = clap::ArgAction::Version)]
    pub version: Option<bool>,
}

#[derive(Debug, Subcommand)]
pub enum Cmd {
    /// Menyusun satu templat Excel (Tabel 1, Tabel 2, Tabel 3) untuk setiap Perangkat Daerah.
    #[command(
        visible_alias = "template",
        help_template = SUB_HELP_TEMPLATE,
        override_usage = "monev templat [OPSI]",
        next_help_heading = "Opsi"
    )]
    Templat(TemplatArgs),

    /// Membaca berkas laporan yang kembali, memeriksanya, menilai maturitas, dan menulis rekap untuk Tim Percepatan Pelaksanaan Reformasi Birokrasi Kota Serang.
    #[command(
        visible_alias = "compile",
        help_template = SUB_HELP_TEMPLATE,
        override_usage = "monev rekap MASUKAN... [OPSI]",
        next_help_heading = "Opsi"
    )]
    Rekap(RekapArgs),

    /// Memeriksa satu atau beberapa berkas laporan dan menampilkan temuannya per lembar, sebelum direkap.
    #[command(
        visible_alias = "check",
        help_template = SUB_HELP_TEMPLATE,
        override_usage = "monev periksa BERKAS... [OPSI]",
        next_help_heading = "Opsi"
    )]
    Periksa(PeriksaArgs),

    /// Menulis draf surel pengingat (.eml) untuk setiap OPD yang belum mengirim laporan yang dapat direkap, dengan templat kosongnya terlampir kembali.
    #[command(
        visible_alias = "remind",
        help_template = SUB_HELP_TEMPLATE,
        override_usage = "monev pengingat MASUKAN... --eml FOLDER [OPSI]",
        next_help_heading = "Opsi"
    )]
    Pengingat(PengingatArgs),

    /// Menulis sejumlah laporan contoh yang sudah diisi (lengkap, sebagian, dengan kesalahan umum, terlambat, tautan bersama; kebanyakan .xlsx, sebagian .xls dan .ods) beserta daftar OPD-nya (opd.csv), untuk peragaan dan uji kecepatan. Hasilnya selalu sama untuk benih yang sama.
    #[command(
        visible_alias = "sample",
        help_template = SUB_HELP_TEMPLATE,
        override_usage = "monev contoh --jumlah N --keluaran FOLDER [OPSI]",
        next_help_heading = "Opsi",
        after_help = "Contoh:\n  monev contoh --jumlah 1000 --keluaran contoh-masuk\n  monev rekap contoh-masuk --opd contoh-masuk/opd.csv"
    )]
    Contoh(ContohArgs),
}

/// The e-mail options of `templat` and `pengingat`.
#[derive(Debug, Args)]
pub struct DraftArgs {
    /// Alamat surel Tim (pengirim draf dan alamat tujuan pengembalian laporan).
    #[arg(
        long = "dari",
        visible_alias = "from",
        value_name = "ALAMAT",
        value_parser = email_address,
        requires = "eml"
    )]
    pub dari: Option<String>,

    /// Berkas teks isi surel sendiri, pengganti isi bawaan (lihat templates/surel-templat.txt dan templates/surel-pengingat.txt).
    #[arg(
        long = "isi-surel",
        visible_alias = "email-body",
        value_name = "BERKAS",
        requires = "eml"
    )]
    pub isi_surel: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PengingatArgs {
    /// Berkas atau folder laporan yang sudah diterima (seperti pada 'monev rekap', termasuk .eml dan .mbox).
    #[arg(value_name = "MASUKAN", required = true, help_heading = "Masukan")]
    pub masukan: Vec<PathBuf>,

    /// Folder tujuan draf pengingat (.eml).
    #[arg(
        long = "eml",
        visible_alias = "email",
        value_name = "FOLDER",
        required = true
    )]
    pub eml: PathBuf,

    #[command(flatten)]
    pub draft: DraftArgs,

    /// Tahun pelaporan. Bawaan: tahun yang tertulis pada sebagian besar templat, atau tahun berjalan.
    #[arg(long = "tahun", visible_alias = "year", value_name = "TAHUN")]
    pub tahun: Option<i32>,

    /// Domain yang diterima untuk tautan data dukung. Bawaan: menurut rubrik.
    #[arg(long = "domain", value_name = "DOMAIN", num_args = 1..)]
    pub domain: Vec<String>,

    /// Ukuran terbesar berkas masukan yang dibaca, dalam MiB. Bawaan: 20.
    #[arg(long = "batas-ukuran", visible_alias = "max-size", value_name = "MIB", default_value_t = 20, hide_default_value = true, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub batas_ukuran: u64,
}

/// Accepts one plain e-mail address (`--dari`).
fn email_address(s: &str) -> Result<String, String> {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && !s.contains(|c: char| {
                    c.is_whitespace() || c.is_control() || "<>,;\"".contains(c)
                }) =>
        {
            Ok(s.to_string())
        }
        _ => Err("bukan alamat surel".to_string()),
    }
}

/// The drafts' settings; the Date header is the moment of the run.
fn draft_config(
    dir: PathBuf,
    args: DraftArgs,
    now: chrono::DateTime<chrono::FixedOffset>,
) -> monev::email::draft::DraftConfig {
    monev::email::draft::DraftConfig {
        dir,
        from: args.dari,
        body: args.isi_surel,
        date: now,
    }
}

#[derive(Debug, Args)]
pub struct ContohArgs {
    /// Jumlah OPD contoh (1 sampai 99999); sekitar 5% di antaranya tidak mengirim laporan.
    #[arg(
        long = "jumlah",
        visible_alias = "count",
        short = 'n',
        value_name = "N"
    )]
    pub jumlah: usize,

    /// Folder tujuan laporan contoh dan opd.csv.
    #[arg(
        long = "keluaran",
        visible_alias = "output",
        short = 'o',
        value_name = "FOLDER"
    )]
    pub keluaran: PathBuf,

    /// Tahun pelaporan. Bawaan: tahun berjalan.
    #[arg(long = "tahun", visible_alias = "year", value_name = "TAHUN")]
    pub tahun: Option<i32>,

    /// Benih acak; benih yang sama menghasilkan berkas yang sama persis.
    #[arg(long = "benih", visible_alias = "seed", value_name = "ANGKA", default_value_t = monev::contoh::SEED)]
    pub benih: u64,
}

#[derive(Debug, Args)]
pub struct RekapArgs {
    /// Berkas atau folder laporan (.xlsx, .xlsm, .xls, .ods, atau surel .eml/.msg berlampiran); folder dibaca beserta subfoldernya.
    #[arg(value_name = "MASUKAN", required = true, help_heading = "Masukan")]
    pub masukan: Vec<PathBuf>,

    /// Tahun pelaporan. Bawaan: tahun yang tertulis pada sebagian besar templat, atau tahun berjalan.
    #[arg(long = "tahun", visible_alias = "year", value_name = "TAHUN")]
    pub tahun: Option<i32>,

    /// Berkas rekap Excel yang ditulis. Bawaan: rekap.xlsx
    #[arg(
        long = "keluaran",
        visible_alias = "output",
        short = 'o',
        value_name = "BERKAS",
        default_value = "rekap.xlsx",
        hide_default_value = true
    )]
    pub keluaran: PathBuf,

    /// Tulis juga rekap dalam format JSON ke berkas ini.
    #[arg(long = "json", value_name = "BERKAS")]
    pub json: Option<PathBuf>,

    /// Tulis juga satu buku kerja umpan balik untuk setiap OPD yang mengirim laporan ke folder ini.
    #[arg(
        long = "umpan-balik",
        visible_alias = "feedback",
        value_name = "FOLDER"
    )]
    pub umpan_balik: Option<PathBuf>,

    /// Dengan --umpan-balik: tulis juga satu draf surel balasan (.eml) per OPD ke folder ini, berisi buku kerja umpan baliknya dan ringkasan temuan.
    #[arg(
        long = "eml",
        visible_alias = "email",
        value_name = "FOLDER",
        requires = "umpan_balik"
    )]
    pub eml: Option<PathBuf>,

    #[command(flatten)]
    pub draft: DraftArgs,

    /// Domain yang diterima untuk tautan data dukung (boleh lebih dari satu). Bawaan: menurut rubrik (drive.google.com dan docs.google.com).
    #[arg(long = "domain", value_name = "DOMAIN", num_args = 1..)]
    pub domain: Vec<String>,

    /// Ukuran terbesar berkas masukan yang dibaca, dalam MiB; berkas yang lebih besar ditolak. Bawaan: 20.
    #[arg(long = "batas-ukuran", visible_alias = "max-size", value_name = "MIB", default_value_t = 20, hide_default_value = true, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub batas_ukuran: u64,
}

#[derive(Debug, Args)]
pub struct PeriksaArgs {
    /// Berkas laporan yang diperiksa (atau folder).
    #[arg(value_name = "BERKAS", required = true, help_heading = "Masukan")]
    pub berkas: Vec<PathBuf>,

    /// Tahun pelaporan. Bawaan: tahun berjalan.
    #[arg(long = "tahun", visible_alias = "year", value_name = "TAHUN")]
    pub tahun: Option<i32>,

    /// Domain yang diterima untuk tautan data dukung. Bawaan: menurut rubrik.
    #[arg(long = "domain", value_name = "DOMAIN", num_args = 1..)]
    pub domain: Vec<String>,

    /// Keluar dengan kode 1 bila ada galat (untuk skrip).
    #[arg(long = "ketat", visible_alias = "strict")]
    pub ketat: bool,

    /// Ukuran terbesar berkas masukan yang dibaca, dalam MiB. Bawaan: 20.
    #[arg(long = "batas-ukuran", visible_alias = "max-size", value_name = "MIB", default_value_t = 20, hide_default_value = true, value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub batas_ukuran: u64,
}

/// How the binary reads inputs: the size limit, and each file first read by a
/// worker process (this same program, see `worker.rs`) with memory and time
/// limits, unless `MONEV_NO_ISOLATION=1` (for benchmarks and for tests that
/// prove a fix without the isolation's help).
fn reading(max_mib: u64) -> monev::ingest::guard::Reading {
    let isolate = std::env::var_os("MONEV_NO_ISOLATION").is_none_or(|v| v != "1");
    use monev::ingest::isolate::{Supervisor, WorkerLimits};
    monev::ingest::guard::Reading {
        limits: monev::ingest::guard::Limits {
            max_file_bytes: max_mib * 1024 * 1024,
        },
        supervisor: isolate
            .then(std::env::current_exe)
            .and_then(Result::ok)
            .map(|exe| {
                std::sync::Arc::new(Supervisor::new(
                    exe,
                    vec![crate::worker::COMMAND.to_string()],
                    WorkerLimits::default(),
                ))
            }),
    }
}

/// The accepted domains given with `--domain`; None leaves them to the rubric.
fn domains(given: Vec<String>) -> Option<Vec<String>> {
    (!given.is_empty()).then(|| {
        given
            .into_iter()
            .map(|d| d.trim().to_lowercase())
            .filter(|d| !d.is_empty())
            .collect()
    })
}

#[derive(Debug, Args)]
pub struct TemplatArgs {
    /// Tahun pelaporan. Bawaan: tahun berjalan.
    #[arg(long = "tahun", visible_alias = "year", value_name = "TAHUN")]
    pub tahun: Option<i32>,

    /// Folder tujuan. Bawaan: ./templat-<tahun>/
    #[arg(
        long = "keluaran",
        visible_alias = "output",
        short = 'o',
        value_name = "FOLDER"
    )]
    pub keluaran: Option<PathBuf>,

    /// Hanya OPD dengan kode ini (boleh lebih dari satu).
    #[arg(long = "hanya", visible_alias = "only", value_name = "KODE", num_args = 1..)]
    pub hanya: Vec<String>,

    /// Domain yang diterima untuk tautan data dukung, disebut pada lembar Petunjuk. Bawaan: menurut rubrik.
    #[arg(long = "domain", value_name = "DOMAIN", num_args = 1..)]
    pub domain: Vec<String>,

    /// Tulis juga satu draf surel (.eml) per OPD, berisi templatnya sebagai lampiran, ke folder ini.
    #[arg(long = "eml", visible_alias = "email", value_name = "FOLDER")]
    pub eml: Option<PathBuf>,

    #[command(flatten)]
    pub draft: DraftArgs,
}

/// Now, in Western Indonesian Time: the binary reads the clock once, the
/// library gets the moment in its config.
pub fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Utc::now().with_timezone(&monev::ingest::source::wib())
}

impl Cli {
    /// Resolves parsed arguments into the library's plain config, with the
    /// moment of the run `now`.
    pub fn into_config(self, now: chrono::DateTime<chrono::FixedOffset>) -> Config {
        use chrono::Datelike;
        let source = |p: Option<PathBuf>| p.map_or(Source::Embedded, Source::File);
        let mut common = Common {
            form: source(self.global.formulir),
            roster: source(self.global.opd),
            rubric: source(self.global.rubrik),
            domains: None,
            overwrite: self.global.timpa,
        };
        let command = match self.command {
            Cmd::Templat(a) => {
                let year = a.tahun.unwrap_or(now.year());
                common.domains = domains(a.domain);
                Command::Templat(TemplatJob {
                    templat: TemplatConfig {
                        year,
                        output_dir: a
                            .keluaran
                            .unwrap_or_else(|| PathBuf::from(format!("templat-{year}"))),
                        only: a.hanya,
                        allowed_domains: Vec::new(),
                    },
                    drafts: a.eml.map(|dir| draft_config(dir, a.draft, now)),
                })
            }
            Cmd::Rekap(a) => {
                common.domains = domains(a.domain);
                Command::Rekap(RekapJob {
                    rekap: RekapConfig {
                        inputs: a.masukan,
                        year: a.tahun,
                        allowed_domains: Vec::new(),
                        now,
                        reading: reading(a.batas_ukuran),
                    },
                    output: Some(a.keluaran),
                    json: a.json,
                    feedback_dir: a.umpan_balik,
                    drafts: a.eml.map(|dir| draft_config(dir, a.draft, now)),
                })
            }
            Cmd::Pengingat(a) => {
                common.domains = domains(a.domain);
                Command::Pengingat(PengingatConfig {
                    rekap: RekapConfig {
                        inputs: a.masukan,
                        year: a.tahun,
                        allowed_domains: Vec::new(),
                        now,
                        reading: reading(a.batas_ukuran),
                    },
                    drafts: draft_config(a.eml, a.draft, now),
                })
            }
            Cmd::Contoh(a) => Command::Contoh(monev::contoh::ContohConfig {
                count: a.jumlah,
                output_dir: a.keluaran,
                year: a.tahun.unwrap_or(now.year()),
                seed: a.benih,
            }),
            Cmd::Periksa(a) => {
                common.domains = domains(a.domain);
                Command::Periksa(PeriksaConfig {
                    rekap: RekapConfig {
                        inputs: a.berkas,
                        // periksa judges one file against the current
                        // reporting year, so last year's template is named.
                        year: Some(a.tahun.unwrap_or(now.year())),
                        allowed_domains: Vec::new(),
                        now,
                        reading: reading(a.batas_ukuran),
                    },
                    strict: a.ketat,
                })
            }
        };
        Config { common, command }
    }

    /// True when `-q` was given.
    pub fn quiet(&self) -> bool {
        self.global.quiet
    }
}

/// Renders a clap error in Bahasa Indonesia. Help and version output are passed
/// through unchanged (they are already Indonesian).
pub fn describe_clap_error(err: &clap::Error) -> String {
    let ctx = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let arg = ctx(ContextKind::InvalidArg);
    let value = ctx(ContextKind::InvalidValue);
    let suggestion = match ctx(ContextKind::SuggestedArg) {
        s if s.is_empty() => match ctx(ContextKind::SuggestedSubcommand) {
            s if s.is_empty() => String::new(),
            s => format!(" Mungkin maksudnya '{s}'?"),
        },
        s => format!(" Mungkin maksudnya '{s}'?"),
    };
    // "--hanya <KODE>..." must not end in four dots once a sentence ends.
    let arg = arg.trim_end_matches('.').to_string();
    let msg = match err.kind() {
        ErrorKind::UnknownArgument if !arg.starts_with('-') => {
            format!("argumen '{arg}' tidak dikenal; perintah ini tidak menerima masukan tambahan.")
        }
        ErrorKind::UnknownArgument => format!("opsi '{arg}' tidak dikenal.{suggestion}"),
        ErrorKind::InvalidSubcommand => format!(
            "perintah '{}' tidak dikenal.{suggestion}",
            ctx(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation if value.is_empty() => {
            format!("{arg} memerlukan nilai.")
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!("nilai '{value}' tidak sah untuk {arg}.")
        }
        ErrorKind::MissingRequiredArgument => format!("{arg} wajib diisi."),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "perintah belum disebut; gunakan 'monev templat', 'monev rekap', 'monev periksa', 'monev pengingat' atau 'monev contoh' (lihat 'monev --bantuan').".to_string()
        }
        ErrorKind::TooManyValues => format!("{arg} tidak menerima nilai sebanyak itu."),
        ErrorKind::ArgumentConflict => {
            format!("{arg} tidak dapat dipakai bersama opsi lain yang disebut.")
        }
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} memerlukan nilai.")
        }
        _ => "argumen tidak sah.".to_string(),
    };
    format!("galat: {msg}\nLihat 'monev --bantuan' untuk cara penggunaan.")
}
