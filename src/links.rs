//! Classification of "Data Dukung" evidence links.
//!
//! Every row of an OPD activity log must carry a link to evidence (normally a
//! Google Drive file or folder) that the city team can open. The cell text is
//! typed by people, so it may hold anything: local paths, prose, `javascript:`
//! links, "my-drive" addresses, several links at once, invisible characters.
//!
//! [`check_link`] turns one raw cell value into a [`LinkVerdict`]: the link to
//! show (if any), at most one [`LinkError`], any number of [`LinkWarning`]s and
//! a stable key for duplicate detection. This module produces no user-facing
//! text; callers render messages from the enums.
//!
//! # How a cell is read
//!
//! 1. Invisible characters (zero-width spaces, word joiners, BOM, soft hyphen,
//!    bidi controls) are removed everywhere; they are never meaningful and
//!    could hide what a link really is.
//! 2. Links glued together by `,` `;` or `|` (`https://a,https://b`) are split.
//! 3. The text is split on Unicode whitespace (this includes U+00A0 and line
//!    breaks) and each token is stripped of surrounding brackets, `<>`, quotes
//!    (also the Excel leading apostrophe) and trailing sentence punctuation.
//! 4. **The first token that yields a usable `http`/`https` link is judged**
//!    (prose before it, like `Link:` is ignored). Only when no token yields a
//!    usable web link is the cell judged by its first local path
//!    ([`LinkError::LocalPath`]) or non-web scheme ([`LinkError::UnsafeScheme`]);
//!    otherwise it is [`LinkError::NotUrl`].
//!
//! Choices worth knowing:
//! * A link broken by whitespace is judged by its first piece only.
//! * The typo `https//host` (colon missing) is repaired to `https://host`.
//! * Hosts without a dot (`localhost`, `intranet`) and loopback, private,
//!   link-local or unspecified IP addresses are unreachable for the city team
//!   and give [`LinkError::NotUrl`]. Public IP addresses are accepted (and get
//!   [`LinkWarning::NotDrive`] like any host outside the allowed domains).
//! * Scheme-less text is taken as an `https` link only when it clearly is one:
//!   it starts with `www.`, its host is a Drive/Docs host or an allowed domain,
//!   or it is `host/path` with a common top-level domain (`bit.ly/x`, `s.id/x`).
//!   Thus `laporan.pdf`, `Ket.Terlampir` or `S.Kom/M.Si` are not links.
//! * Such a link, and one written `//host/…` or `https//host/…`, still counts
//!   (a person reading `drive.google.com/file/d/…` can open it, and the city
//!   team can check the evidence, so it earns its points), but it gets
//!   [`LinkWarning::NoScheme`]: Excel and LibreOffice make a cell a clickable
//!   link only from a full `https://` address, and a hyperlink whose target
//!   lacks the scheme opens a file beside the workbook instead of the web
//!   page. The OPD is told to paste the whole address (Bagikan > Salin link).
//!   It is a warning, not an error: the regulation asks for evidence "yang
//!   disajikan dalam tautan google drive" (Keterangan Kolom 7), and the
//!   address names that evidence unambiguously.
//! * The shown URL is the `url` crate serialization (lower-case scheme and
//!   host, punycode, unsafe characters percent-encoded), safe to hyperlink.
//! * Drive keys are `drive:<id>` for every Drive/Docs address: Google file
//!   and folder ids are global, so `/file/d/ID`, `/open?id=ID` and
//!   `docs.google.com/document/d/ID` all name the same object.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use regex::Regex;
use url::{Host, Url};

/// Default domains evidence links may point to.
pub const DEFAULT_ALLOWED_DOMAINS: &[&str] = &["drive.google.com", "docs.google.com"];

/// Hosts (and their subdomains) whose addresses must name a Drive/Docs file or folder.
pub const DRIVE_HOSTS: &[&str] = &["drive.google.com", "docs.google.com"];

/// Schemes without `//` that are still recognised as (non-web) links.
const OTHER_SCHEMES: &[&str] = &[
    "javascript",
    "vbscript",
    "data",
    "mailto",
    "ftp",
    "ftps",
    "sftp",
    "tel",
    "sms",
    "blob",
    "about",
    "intent",
    "content",
    "smb",
    "ws",
    "wss",
    "whatsapp",
    "ms-word",
    "ms-excel",
    "ms-powerpoint",
    "onenote",
];

/// Top-level domains for which `host/path` without a scheme counts as a link.
const BARE_LINK_TLDS: &[&str] = &[
    "com", "net", "org", "id", "io", "ly", "gl", "me", "co", "info", "biz", "edu", "gov", "app",
    "dev", "link", "site", "xyz", "online", "page", "to", "cc", "tv", "gle",
];

/// Path segments that precede a Drive/Docs id (`/<kind>/d/<id>`).
const DOC_KINDS: &[&str] = &[
    "file",
    "document",
    "spreadsheets",
    "presentation",
    "forms",
    "drawings",
];

/// Last path segments of Drive endpoints that carry the id in `?id=`.
const QUERY_ID_ENDPOINTS: &[&str] = &["open", "uc", "thumbnail", "embeddedfolderview"];

/// Minimum length of a Drive/Docs id.
const MIN_ID_LEN: usize = 10;

/// Why a cell value is not acceptable as evidence link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Text that is not a link at all ("terlampir", "ada di folder", "-").
    NotUrl,
    /// A path on the sender's computer: `C:\...`, `D:/...`, `\\server\share`, `file://...`, `/home/...`, `~/...`, `/Users/...`.
    LocalPath,
    /// `javascript:`, `data:`, `vbscript:`, `ftp:`, `mailto:` or any scheme other than http/https. Holds the lower-cased scheme.
    UnsafeScheme(String),
    /// A Google Drive / Docs address that names no file or folder, e.g. `https://drive.google.com/drive/my-drive`,
    /// `https://drive.google.com/`, `https://docs.google.com/document/`, `https://drive.google.com/drive/folders/` (empty id),
    /// `https://drive.google.com/open` (no `id=` param).
    DriveWithoutId,
    /// A Google Drive / Docs address whose file or folder id is too short to
    /// be real: the link was cut off when copied (`.../file/d/1Qw`).
    DriveTruncated,
}

/// Something questionable about an otherwise usable link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkWarning {
    /// A valid http(s) link outside the allowed domains. Holds the host (lower-case).
    NotDrive(String),
    /// http:// instead of https://.
    Insecure,
    /// Written without `https://` (`drive.google.com/file/d/…`,
    /// `www.serangkota.go.id/berita`, `//host/…`, `https//host/…`): read as
    /// an https link, but it may not be clickable in the workbook.
    NoScheme,
}

/// The result of [`check_link`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkVerdict {
    /// The trimmed link as it should be shown/hyperlinked (Some only when it parsed as http/https).
    pub url: Option<String>,
    pub error: Option<LinkError>,
    pub warnings: Vec<LinkWarning>,
    /// Stable identity for duplicate detection across units: for Drive/Docs links the kind+file/folder id
    /// (e.g. "drive:1AbC..."), otherwise the URL lower-cased host + path without trailing slash, query and fragment.
    /// None when there is an error.
    pub key: Option<String>,
}

impl LinkVerdict {
    /// A verdict for a cell that yielded no usable web link.
    fn failed(error: LinkError) -> Self {
        LinkVerdict {
            url: None,
            error: Some(error),
            warnings: Vec::new(),
            key: None,
        }
    }

    /// True when the verdict carries no error (warnings may still be present).
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }
}

/// [`DEFAULT_ALLOWED_DOMAINS`] as owned strings, ready for [`check_link`].
pub fn default_allowed_domains() -> Vec<String> {
    DEFAULT_ALLOWED_DOMAINS
        .iter()
        .map(|d| (*d).to_string())
        .collect()
}

/// What a single token of a cell looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Candidate {
    /// Absolute `http`/`https` text to be parsed.
    Web(String),
    /// Text written without a proper scheme, completed to an absolute
    /// `http`/`https` text to be parsed ([`LinkWarning::NoScheme`]).
    Schemeless(String),
    /// A path on the sender's computer or local network.
    LocalPath,
    /// A link with another scheme (lower-cased).
    OtherScheme(String),
}

/// Classify one raw cell value.
///
/// `allowed_domains` are matched case-insensitively against the link host,
/// which may equal a domain or be a subdomain of it; an empty list disables
/// [`LinkWarning::NotDrive`]. See the module documentation for how cells with
/// several tokens are read. Never panics.
pub fn check_link(raw: &str, allowed_domains: &[String]) -> LinkVerdict {
    let allowed = normalize_domains(allowed_domains);
    let cleaned = separate_glued_links(&strip_invisible(raw));
    let mut fallback: Option<LinkError> = None;
    for token in cleaned.split_whitespace() {
        match classify_token(trim_token(token), &allowed) {
            Some(Candidate::Web(text)) => {
                if let Some(url) = parse_web(&text) {
                    return judge_web(&url, &allowed);
                }
            }
            Some(Candidate::Schemeless(text)) => {
                if let Some(url) = parse_web(&text) {
                    let mut verdict = judge_web(&url, &allowed);
                    // A link that is wrong anyway (cut short, no file) is
                    // told only that: copying it again whole also brings
                    // its https://.
                    if verdict.error.is_none() {
                        verdict.warnings.insert(0, LinkWarning::NoScheme);
                    }
                    return verdict;
                }
            }
            Some(Candidate::LocalPath) => {
                fallback.get_or_insert(LinkError::LocalPath);
            }
            Some(Candidate::OtherScheme(scheme)) => {
                fallback.get_or_insert(LinkError::UnsafeScheme(scheme));
            }
            None => {}
        }
    }
    LinkVerdict::failed(fallback.unwrap_or(LinkError::NotUrl))
}

/// A hyperlink target as stored in a workbook (not typed text), made ready for
/// [`check_link`]: a relative reference without a scheme that would not read as
/// a web link (`Dokumentasi/Foto%20Apel.jpg`, `foto.jpg`) can only name a file
/// beside the sender's workbook, so it gets a leading `./` and is judged
/// [`LinkError::LocalPath`], as `../Bukti/x.pdf` already is. Web links, paths,
/// other schemes and in-workbook locations (`#Tabel2.A1`) are returned as they
/// are (trimmed).
pub fn hyperlink_target(target: &str) -> String {
    let t = target.trim();
    let relative = !t.is_empty()
        && !t.starts_with('#')
        && matches!(Url::parse(t), Err(url::ParseError::RelativeUrlWithoutBase));
    if relative && check_link(t, &[]).error == Some(LinkError::NotUrl) {
        format!("./{t}")
    } else {
        t.to_string()
    }
}

/// The Google Drive/Docs file or folder id named by a URL, if any.
///
/// Only `http`/`https` URLs on a [`DRIVE_HOSTS`] host (or subdomain) qualify.
/// Recognised forms: `/file/d/<id>`, `/drive/folders/<id>` (also with
/// `/u/<n>/`), `/<document|spreadsheets|presentation|forms|drawings>/d/<id>`,
/// `/forms/d/e/<id>`, and `?id=<id>` on `/open`, `/uc`, `/thumbnail`,
/// `/embeddedfolderview`. Ids are `[A-Za-z0-9_-]{10,}`.
pub fn drive_id(url: &Url) -> Option<String> {
    if !is_web_scheme(url.scheme()) {
        return None;
    }
    let host = normalized_host(url)?;
    if !is_drive_host(&host) {
        return None;
    }
    id_from_path(url).or_else(|| id_from_query(url))
}

/// Whether a scheme is `http` or `https`.
fn is_web_scheme(scheme: &str) -> bool {
    matches!(scheme, "http" | "https")
}

/// Whether a character is invisible formatting that must be ignored.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Remove invisible characters everywhere in the text.
fn strip_invisible(raw: &str) -> String {
    raw.chars().filter(|c| !is_invisible(*c)).collect()
}

/// Insert a space where a link is glued to the previous one by `,`, `;` or `|`.
fn separate_glued_links(text: &str) -> String {
    static GLUED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)([,;|])(https?://|www\.)").expect("valid regex"));
    GLUED.replace_all(text, "${1} ${2}").into_owned()
}

/// Characters stripped from the start of a token.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '<' | '(' | '[' | '{' | '"' | '\'' | '`' | '“' | '”' | '‘' | '’' | '«' | '»'
    )
}

/// Whether the last character of `token` should be stripped.
fn has_closing_junk(token: &str) -> bool {
    match token.chars().next_back() {
        Some('>' | '"' | '\'' | '`' | '“' | '”' | '‘' | '’' | '«' | '»') => true,
        Some('.' | ',' | ';' | ':' | '!' | '?') => true,
        Some(')') => !token.contains('('),
        Some(']') => !token.contains('['),
        Some('}') => !token.contains('{'),
        _ => false,
    }
}

/// Strip surrounding brackets, quotes and trailing punctuation from a token.
fn trim_token(token: &str) -> &str {
    let mut t = token.trim_start_matches(is_opening);
    while has_closing_junk(t) {
        let mut chars = t.chars();
        chars.next_back();
        t = chars.as_str();
    }
    t
}

/// Decide what a single trimmed token looks like, if anything.
fn classify_token(token: &str, allowed: &[String]) -> Option<Candidate> {
    static EMBEDDED_WEB: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)https?://").expect("valid regex"));
    if token.is_empty() {
        return None;
    }
    if is_local_path(token) {
        return Some(Candidate::LocalPath);
    }
    if let Some(candidate) = classify_by_scheme(token) {
        return Some(candidate);
    }
    if let Some(fixed) = fix_missing_colon(token) {
        return Some(Candidate::Schemeless(fixed));
    }
    if let Some(m) = EMBEDDED_WEB.find(token) {
        let text = trim_token(&token[m.start()..]);
        return Some(Candidate::Web(text.to_string()));
    }
    if let Some(rest) = token.strip_prefix("//") {
        return Some(Candidate::Schemeless(format!("https://{rest}")));
    }
    if looks_like_bare_link(token, allowed) {
        return Some(Candidate::Schemeless(format!("https://{token}")));
    }
    if token.contains('\\') {
        return Some(Candidate::LocalPath);
    }
    None
}

/// Repair the common typo `https//host` (colon missing) to `https://host`.
fn fix_missing_colon(token: &str) -> Option<String> {
    static NO_COLON: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^(https?)//").expect("valid regex"));
    let caps = NO_COLON.captures(token)?;
    let whole = caps.get(0)?;
    let scheme = caps.get(1)?.as_str();
    Some(format!("{scheme}://{}", &token[whole.end()..]))
}

/// Whether a token is a Windows, UNC, `file:` or Unix path.
fn is_local_path(token: &str) -> bool {
    static DRIVE_LETTER: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z]:[\\/]").expect("valid regex"));
    let lower = token.to_ascii_lowercase();
    DRIVE_LETTER.is_match(token)
        || token.starts_with('\\')
        || lower.starts_with("file:")
        || ["~/", "~\\", "./", ".\\", "../", "..\\"]
            .iter()
            .any(|p| token.starts_with(p))
        || is_unc_with_slashes(token)
        || is_unix_absolute(token)
}

/// `//server/share`: two slashes followed by a host without a dot.
fn is_unc_with_slashes(token: &str) -> bool {
    token.strip_prefix("//").is_some_and(|rest| {
        let host = rest.split(['/', '\\']).next().unwrap_or_default();
        !host.is_empty() && !host.contains('.')
    })
}

/// `/home/x`, `/Users/x`, `/storage/...`: one slash followed by a name.
fn is_unix_absolute(token: &str) -> bool {
    let mut chars = token.chars();
    chars.next() == Some('/')
        && chars
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Classify a token that starts with `scheme:`; None when it has no scheme
/// or the "scheme" is probably prose (`Catatan:`, `Link:https://...`).
fn classify_by_scheme(token: &str) -> Option<Candidate> {
    static SCHEME: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^([A-Za-z][A-Za-z0-9+.\-]*):").expect("valid regex"));
    let scheme_match = SCHEME.captures(token)?.get(1)?;
    let scheme = scheme_match.as_str().to_ascii_lowercase();
    let rest = &token[scheme_match.end() + 1..];
    if is_web_scheme(&scheme) {
        return Some(Candidate::Web(token.to_string()));
    }
    if scheme == "file" {
        return Some(Candidate::LocalPath);
    }
    if scheme.len() > 1 && (rest.starts_with("//") || OTHER_SCHEMES.contains(&scheme.as_str())) {
        return Some(Candidate::OtherScheme(scheme));
    }
    None
}

/// Whether scheme-less text is clearly a web link (see module docs).
fn looks_like_bare_link(token: &str, allowed: &[String]) -> bool {
    static HOSTNAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i)(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}\.?$")
            .expect("valid regex")
    });
    let host_end = token.find(['/', '\\', '?', '#']).unwrap_or(token.len());
    let host_part = &token[..host_end];
    let host = match host_part.rsplit_once(':') {
        Some((h, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host_part,
    };
    if !HOSTNAME.is_match(host) {
        return false;
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let tld = host.rsplit('.').next().unwrap_or_default();
    let has_path = host_end < token.len();
    host.starts_with("www.")
        || is_drive_host(&host)
        || allowed.iter().any(|d| host_matches(&host, d))
        || (has_path && BARE_LINK_TLDS.contains(&tld))
}

/// Parse absolute text as an `http`/`https` URL with a reachable-looking host.
fn parse_web(text: &str) -> Option<Url> {
    let url = Url::parse(text).ok()?;
    (is_web_scheme(url.scheme()) && has_usable_host(&url)).then_some(url)
}

/// Whether the host is a dotted domain or a public IP address.
fn has_usable_host(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => {
            let domain = domain.trim_end_matches('.');
            domain.contains('.') && !domain.split('.').any(str::is_empty)
        }
        Some(Host::Ipv4(ip)) => !is_internal_ipv4(ip),
        Some(Host::Ipv6(ip)) => !is_internal_ipv6(ip),
        None => false,
    }
}

/// Loopback, private, link-local, broadcast or unspecified IPv4 address.
fn is_internal_ipv4(ip: Ipv4Addr) -> bool {
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
}

/// Loopback, unique-local, link-local or unspecified IPv6 address.
fn is_internal_ipv6(ip: Ipv6Addr) -> bool {
    ip.is_loopback() || ip.is_unspecified() || ip.is_unique_local() || ip.is_unicast_link_local()
}

/// Build the verdict for a parsed, usable web link.
fn judge_web(url: &Url, allowed: &[String]) -> LinkVerdict {
    let host = normalized_host(url).unwrap_or_default();
    let mut warnings = Vec::new();
    if url.scheme() == "http" {
        warnings.push(LinkWarning::Insecure);
    }
    if !allowed.is_empty() && !allowed.iter().any(|d| host_matches(&host, d)) {
        warnings.push(LinkWarning::NotDrive(host.clone()));
    }
    let (error, key) = if is_drive_host(&host) {
        match drive_id(url) {
            Some(id) => (None, Some(format!("drive:{id}"))),
            // The start of a real id ("1…" or the older "0B…") that is too
            // short: cut off when copied.
            None if id_slot(url).is_some_and(|id| {
                id.len() < MIN_ID_LEN
                    && (id.starts_with('1') || id.starts_with("0B"))
                    && id
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            }) =>
            {
                (Some(LinkError::DriveTruncated), None)
            }
            None => (Some(LinkError::DriveWithoutId), None),
        }
    } else {
        (None, Some(web_key(url, &host)))
    };
    LinkVerdict {
        url: Some(url.as_str().to_string()),
        error,
        warnings,
        key,
    }
}

/// Lower-case host without a trailing dot.
fn normalized_host(url: &Url) -> Option<String> {
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// Duplicate key of a non-Drive link: host, explicit port and path without trailing slash.
fn web_key(url: &Url, host: &str) -> String {
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{host}{port}{}", url.path().trim_end_matches('/'))
}

/// Canonical form of the configured allowed domains; blank entries are dropped.
fn normalize_domains(domains: &[String]) -> Vec<String> {
    domains
        .iter()
        .filter_map(|d| {
            let d = d.trim().to_lowercase();
            let d = d
                .strip_prefix("https://")
                .or_else(|| d.strip_prefix("http://"))
                .unwrap_or(&d);
            let d = d.split('/').next().unwrap_or_default();
            let d = d.trim_start_matches("*.").trim_matches('.');
            if d.is_empty() {
                return None;
            }
            Some(Host::parse(d).map_or_else(|_| d.to_string(), |h| h.to_string()))
        })
        .collect()
}

/// Whether `host` equals `domain` or is a subdomain of it (both lower-case).
fn host_matches(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .is_some_and(|prefix| prefix.is_empty() || prefix.ends_with('.'))
}

/// Whether a (normalized) host is a Google Drive/Docs host.
fn is_drive_host(host: &str) -> bool {
    DRIVE_HOSTS.iter().any(|d| host_matches(host, d))
}

/// Whether text is a plausible Drive/Docs id.
fn is_drive_id(text: &str) -> bool {
    text.len() >= MIN_ID_LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Path segments with account selectors (`u/<n>`) removed.
fn segments_without_account(url: &Url) -> Vec<&str> {
    let raw: Vec<&str> = url
        .path_segments()
        .map(Iterator::collect)
        .unwrap_or_default();
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let is_account = raw[i].eq_ignore_ascii_case("u")
            && raw
                .get(i + 1)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if is_account {
            i += 2;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

/// The id following `folders/` or `<kind>/d/` (`forms/d/e/`) in the path.
fn id_from_path(url: &Url) -> Option<String> {
    id_slot(url).filter(|id| is_drive_id(id))
}

/// Whatever stands where a Drive path puts its file or folder id
/// (`/file/d/<id>`, `/drive/folders/<id>`), valid or not.
fn id_slot(url: &Url) -> Option<String> {
    let segments = segments_without_account(url);
    let is = |i: usize, word: &str| {
        segments
            .get(i)
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    };
    (0..segments.len()).find_map(|i| {
        let id_at = if is(i, "folders") {
            i + 1
        } else if DOC_KINDS.iter().any(|k| is(i, k)) && is(i + 1, "d") {
            if is(i + 2, "e") { i + 3 } else { i + 2 }
        } else {
            return None;
        };
        segments
            .get(id_at)
            .filter(|id| !id.is_empty())
            .map(|id| (*id).to_string())
    })
}

/// The `id=` query parameter of `/open`, `/uc` and similar endpoints.
fn id_from_query(url: &Url) -> Option<String> {
    let last = segments_without_account(url)
        .into_iter()
        .rev()
        .find(|s| !s.is_empty())?;
    if !QUERY_ID_ENDPOINTS
        .iter()
        .any(|e| last.eq_ignore_ascii_case(e))
    {
        return None;
    }
    url.query_pairs()
        .find(|(k, v)| k == "id" && is_drive_id(v))
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "1AbCdEfGhIjKlMnOpQrStUvWxYz_0123-";
    const ID2: &str = "1ZyXwVuTsRqPoNmLkJiHgFeDcBa987654";

    fn defaults() -> Vec<String> {
        default_allowed_domains()
    }

    fn check(raw: &str) -> LinkVerdict {
        check_link(raw, &defaults())
    }

    fn drive_key(id: &str) -> Option<String> {
        Some(format!("drive:{id}"))
    }

    fn assert_ok_drive(raw: &str, id: &str) {
        let v = check(raw);
        assert_eq!(v.error, None, "{raw}");
        assert_eq!(v.warnings, vec![], "{raw}");
        assert_eq!(v.key, drive_key(id), "{raw}");
        assert!(v.url.is_some(), "{raw}");
    }

    fn assert_error(raw: &str, error: LinkError) {
        let v = check(raw);
        assert_eq!(v.error, Some(error), "{raw:?}");
        assert_eq!(v.key, None, "{raw:?}");
    }

    // --- Valid Drive / Docs links -------------------------------------------------

    #[test]
    fn drive_file_link_is_ok() {
        let raw = format!("https://drive.google.com/file/d/{ID}/view?usp=sharing");
        let v = check(&raw);
        assert_eq!(v.url.as_deref(), Some(raw.as_str()));
        assert_ok_drive(&raw, ID);
    }

    #[test]
    fn drive_folder_links_are_ok() {
        assert_ok_drive(&format!("https://drive.google.com/drive/folders/{ID}"), ID);
        assert_ok_drive(
            &format!("https://drive.google.com/drive/folders/{ID}?usp=drive_link"),
            ID,
        );
        assert_ok_drive(
            &format!("https://drive.google.com/drive/u/0/folders/{ID}"),
            ID,
        );
        assert_ok_drive(
            &format!("https://drive.google.com/drive/u/2/folders/{ID}/"),
            ID,
        );
    }

    #[test]
    fn drive_query_id_links_are_ok() {
        assert_ok_drive(&format!("https://drive.google.com/open?id={ID}"), ID);
        assert_ok_drive(
            &format!("https://drive.google.com/uc?export=download&id={ID}"),
            ID,
        );
    }

    #[test]
    fn docs_links_are_ok() {
        for kind in [
            "document",
            "spreadsheets",
            "presentation",
            "forms",
            "drawings",
        ] {
            assert_ok_drive(&format!("https://docs.google.com/{kind}/d/{ID}/edit"), ID);
        }
        assert_ok_drive(
            &format!("https://docs.google.com/forms/d/e/{ID}/viewform?usp=sf_link"),
            ID,
        );
        assert_ok_drive(
            &format!("https://docs.google.com/spreadsheets/u/0/d/{ID}/edit#gid=0"),
            ID,
        );
    }

    #[test]
    fn same_file_via_different_addresses_has_same_key() {
        let a = check(&format!(
            "https://drive.google.com/file/d/{ID}/view?usp=sharing"
        ));
        let b = check(&format!("https://drive.google.com/open?id={ID}"));
        let c = check(&format!("https://docs.google.com/document/d/{ID}/edit"));
        let d = check(&format!("drive.google.com/file/d/{ID}/view"));
        assert_eq!(a.key, drive_key(ID));
        assert_eq!(a.key, b.key);
        assert_eq!(a.key, c.key);
        assert_eq!(a.key, d.key);
        let other = check(&format!("https://drive.google.com/file/d/{ID2}/view"));
        assert_ne!(a.key, other.key);
    }

    #[test]
    fn upper_case_scheme_and_host_are_accepted() {
        let v = check(&format!("HTTPS://DRIVE.Google.COM/file/d/{ID}/view"));
        assert_eq!(v.error, None);
        assert_eq!(v.warnings, vec![]);
        assert_eq!(
            v.url.as_deref(),
            Some(format!("https://drive.google.com/file/d/{ID}/view").as_str())
        );
    }

    // --- Scheme-less links ------------------------------------------------------------

    #[test]
    fn schemeless_drive_link_gets_https() {
        let v = check(&format!("drive.google.com/file/d/{ID}/view"));
        assert_eq!(v.error, None);
        assert_eq!(v.warnings, vec![LinkWarning::NoScheme]);
        assert_eq!(
            v.url.as_deref(),
            Some(format!("https://drive.google.com/file/d/{ID}/view").as_str())
        );
    }

    #[test]
    fn schemeless_www_drive_link_gets_https() {
        let v = check(&format!("www.drive.google.com/drive/folders/{ID}"));
        assert_eq!(v.error, None);
        assert_eq!(
            v.warnings,
            vec![LinkWarning::NoScheme],
            "subdomain of drive.google.com is allowed"
        );
        assert_eq!(
            v.url.as_deref(),
            Some(format!("https://www.drive.google.com/drive/folders/{ID}").as_str())
        );
        assert_eq!(v.key, drive_key(ID));
    }

    #[test]
    fn schemeless_other_links() {
        let v = check("www.example.com");
        assert_eq!(v.url.as_deref(), Some("https://www.example.com/"));
        assert_eq!(
            v.warnings,
            vec![
                LinkWarning::NoScheme,
                LinkWarning::NotDrive("www.example.com".into())
            ]
        );
        let v = check("forms.gle/AbCdEf123");
        assert_eq!(v.url.as_deref(), Some("https://forms.gle/AbCdEf123"));
        let v = check("s.id/dokumentasi-rapat");
        assert_eq!(v.url.as_deref(), Some("https://s.id/dokumentasi-rapat"));
        assert_eq!(
            v.warnings,
            vec![LinkWarning::NoScheme, LinkWarning::NotDrive("s.id".into())]
        );
        assert_eq!(v.key.as_deref(), Some("s.id/dokumentasi-rapat"));
    }

    #[test]
    fn schemeless_host_of_allowed_domain_is_a_link() {
        let allowed = vec!["serangkota.go.id".to_string()];
        let v = check_link("ppid.serangkota.go.id", &allowed);
        assert_eq!(v.error, None);
        assert_eq!(v.warnings, vec![LinkWarning::NoScheme]);
        assert_eq!(v.key.as_deref(), Some("ppid.serangkota.go.id"));
    }

    #[test]
    fn missing_colon_typo_is_repaired() {
        let v = check(&format!("https//drive.google.com/file/d/{ID}/view"));
        assert_eq!(v.error, None);
        assert_eq!(
            v.url.as_deref(),
            Some(format!("https://drive.google.com/file/d/{ID}/view").as_str())
        );
        let v = check("HTTP//example.com/x");
        assert_eq!(v.url.as_deref(), Some("http://example.com/x"));
        assert_eq!(
            v.warnings,
            vec![
                LinkWarning::NoScheme,
                LinkWarning::Insecure,
                LinkWarning::NotDrive("example.com".into())
            ]
        );
    }

    #[test]
    fn links_without_https_count_but_warn_no_scheme() {
        use LinkWarning::{Insecure, NoScheme, NotDrive};
        let file = format!("drive.google.com/file/d/{ID}/view");
        let https = format!("https://{file}");
        // (cell text, error, warnings, key)
        type Case = (String, Option<LinkError>, Vec<LinkWarning>, Option<String>);
        let cases: Vec<Case> = vec![
            // Typed or pasted without the scheme: counted, warned.
            (file.clone(), None, vec![NoScheme], drive_key(ID)),
            // Wrong anyway (cut short): only the error, which already asks
            // for the whole link to be copied again.
            (
                "drive.google.com/drive/folders/1XyZ?usp=sharing".to_string(),
                Some(LinkError::DriveTruncated),
                vec![],
                None,
            ),
            (
                format!("drive.google.com/drive/folders/{ID}?usp=sharing"),
                None,
                vec![NoScheme],
                drive_key(ID),
            ),
            (
                format!("docs.google.com/document/d/{ID}/edit"),
                None,
                vec![NoScheme],
                drive_key(ID),
            ),
            (
                "www.serangkota.go.id/berita".into(),
                None,
                vec![NoScheme, NotDrive("www.serangkota.go.id".into())],
                Some("www.serangkota.go.id/berita".into()),
            ),
            (format!("//{file}"), None, vec![NoScheme], drive_key(ID)),
            (
                format!("https//{file}"),
                None,
                vec![NoScheme],
                drive_key(ID),
            ),
            (format!("Link: {file}"), None, vec![NoScheme], drive_key(ID)),
            (format!("({file})."), None, vec![NoScheme], drive_key(ID)),
            // The first usable link is judged: here the bare one.
            (
                format!("{file} https://drive.google.com/file/d/{ID2}/view"),
                None,
                vec![NoScheme],
                drive_key(ID),
            ),
            // Still a Drive address naming nothing: the error only (copying
            // the right link again brings its https:// too).
            (
                "drive.google.com/drive/my-drive".into(),
                Some(LinkError::DriveWithoutId),
                vec![],
                None,
            ),
            // With a scheme, whatever its case or the prose around it: no warning.
            (https.clone(), None, vec![], drive_key(ID)),
            (
                format!("HTTPS://DRIVE.GOOGLE.COM/file/d/{ID}/view"),
                None,
                vec![],
                drive_key(ID),
            ),
            (format!("Link: {https}"), None, vec![], drive_key(ID)),
            (
                format!("http://{file}"),
                None,
                vec![Insecure],
                drive_key(ID),
            ),
            // Not a link at all: no warning either.
            ("laporan.pdf".into(), Some(LinkError::NotUrl), vec![], None),
        ];
        for (raw, error, warnings, key) in cases {
            let v = check(&raw);
            assert_eq!(
                (&v.error, &v.warnings, &v.key),
                (&error, &warnings, &key),
                "{raw:?}"
            );
            if error.is_none() {
                assert!(
                    v.url.as_deref().unwrap().starts_with("https://")
                        || warnings.contains(&Insecure),
                    "{raw:?}"
                );
            }
        }
    }

    #[test]
    fn protocol_relative_link_gets_https() {
        let v = check(&format!("//drive.google.com/file/d/{ID}/view"));
        assert_eq!(v.error, None);
        assert_eq!(v.key, drive_key(ID));
    }

    // --- Warnings -------------------------------------------------------------------

    #[test]
    fn http_drive_link_is_insecure_only() {
        let v = check(&format!("http://drive.google.com/file/d/{ID}/view"));
        assert_eq!(v.error, None);
        assert_eq!(v.warnings, vec![LinkWarning::Insecure]);
        assert_eq!(v.key, drive_key(ID));
        assert!(
            v.url.unwrap().starts_with("http://"),
            "not silently upgraded"
        );
    }

    #[test]
    fn http_other_link_has_both_warnings() {
        let v = check("http://Example.com/foto/kegiatan.jpg");
        assert_eq!(v.error, None);
        assert_eq!(
            v.warnings,
            vec![
                LinkWarning::Insecure,
                LinkWarning::NotDrive("example.com".into())
            ]
        );
    }

    #[test]
    fn https_other_link_is_not_drive() {
        let v = check("https://www.dropbox.com/s/abc/laporan.pdf?dl=0");
        assert_eq!(v.error, None);
        assert_eq!(
            v.warnings,
            vec![LinkWarning::NotDrive("www.dropbox.com".into())]
        );
        assert_eq!(v.key.as_deref(), Some("www.dropbox.com/s/abc/laporan.pdf"));
    }

    #[test]
    fn subdomain_of_allowed_domain_matches() {
        let v = check(&format!("https://foo.drive.google.com/file/d/{ID}/view"));
        assert_eq!(v.warnings, vec![]);
        let allowed = vec!["Example.GO.id".to_string()];
        let v = check_link("https://sub.example.go.id/a", &allowed);
        assert_eq!(v.warnings, vec![]);
        let v = check_link("https://notexample.go.id/a", &allowed);
        assert_eq!(
            v.warnings,
            vec![LinkWarning::NotDrive("notexample.go.id".into())]
        );
    }

    #[test]
    fn lookalike_domain_does_not_match() {
        let v = check(&format!(
            "https://drive.google.com.evil.com/file/d/{ID}/view"
        ));
        assert_eq!(v.error, None, "not a Drive host, so no id required");
        assert_eq!(
            v.warnings,
            vec![LinkWarning::NotDrive("drive.google.com.evil.com".into())]
        );
        assert_eq!(
            v.key,
            Some(format!("drive.google.com.evil.com/file/d/{ID}/view"))
        );
        let v = check(&format!("https://evildrive.google.com/file/d/{ID}"));
        assert_eq!(
            v.warnings,
            vec![LinkWarning::NotDrive("evildrive.google.com".into())]
        );
    }

    #[test]
    fn userinfo_trick_is_judged_by_real_host() {
        let v = check(&format!(
            "https://drive.google.com@evil.com/file/d/{ID}/view"
        ));
        assert_eq!(v.warnings, vec![LinkWarning::NotDrive("evil.com".into())]);
    }

    #[test]
    fn empty_allowed_list_gives_no_not_drive() {
        let v = check_link("http://example.com/x", &[]);
        assert_eq!(v.warnings, vec![LinkWarning::Insecure]);
        let blank = vec![" ".to_string(), String::new()];
        let v = check_link("https://example.com/x", &blank);
        assert_eq!(v.warnings, vec![]);
    }

    #[test]
    fn allowed_domains_are_normalized() {
        let allowed = vec![
            "  HTTPS://Drive.Google.com/ ".to_string(),
            "*.docs.google.com".into(),
        ];
        let v = check_link(
            &format!("https://docs.google.com/document/d/{ID}"),
            &allowed,
        );
        assert_eq!(v.warnings, vec![]);
        let v = check_link(&format!("https://drive.google.com/file/d/{ID}"), &allowed);
        assert_eq!(v.warnings, vec![]);
    }

    #[test]
    fn trailing_dot_host_matches() {
        let v = check(&format!("https://drive.google.com./file/d/{ID}/view"));
        assert_eq!(v.error, None);
        assert_eq!(v.warnings, vec![]);
    }

    // --- DriveTruncated ------------------------------------------------------------

    #[test]
    fn cut_off_drive_ids_are_truncated_not_missing() {
        for raw in [
            "https://drive.google.com/file/d/1Qw",
            "https://drive.google.com/file/d/1Qw/view",
            "https://drive.google.com/drive/folders/1AbCdEf",
            "https://docs.google.com/document/d/1xY",
        ] {
            assert_eq!(check(raw).error, Some(LinkError::DriveTruncated), "{raw}");
        }
        assert_eq!(
            check(&format!("https://drive.google.com/file/d/{ID}/view")).error,
            None
        );
    }

    // --- DriveWithoutId ------------------------------------------------------------

    #[test]
    fn drive_addresses_without_id() {
        for raw in [
            "https://drive.google.com/drive/my-drive",
            "https://drive.google.com/drive/u/0/my-drive",
            "https://drive.google.com/",
            "https://drive.google.com",
            "https://docs.google.com/document/",
            "https://drive.google.com/drive/folders/",
            "https://drive.google.com/drive/folders/abc",
            "https://drive.google.com/open",
            "https://drive.google.com/open?id=",
            "https://drive.google.com/open?id=short",
            "https://drive.google.com/drive/shared-with-me",
            "https://drive.google.com/file/d/",
            "https://drive.google.com/file/d/not.an.id.really/view",
            "https://drive.google.com/drive/search?q=laporan",
            "drive.google.com",
        ] {
            let v = check(raw);
            assert_eq!(v.error, Some(LinkError::DriveWithoutId), "{raw}");
            assert_eq!(v.key, None, "{raw}");
            assert!(v.url.is_some(), "{raw}: the link itself is still shown");
        }
    }

    #[test]
    fn drive_without_id_keeps_warnings() {
        let v = check("http://drive.google.com/drive/my-drive");
        assert_eq!(v.error, Some(LinkError::DriveWithoutId));
        assert_eq!(v.warnings, vec![LinkWarning::Insecure]);
    }

    #[test]
    fn root_url_is_serialized_with_slash() {
        let v = check("https://drive.google.com");
        assert_eq!(v.url.as_deref(), Some("https://drive.google.com/"));
    }

    // --- Local paths ---------------------------------------------------------------

    #[test]
    fn windows_and_unc_paths_are_local() {
        for raw in [
            r"C:\Users\Budi\Documents\laporan.pdf",
            r"c:\data",
            "D:/Data/Kegiatan/foto.jpg",
            r"\\srv\share\bukti.pdf",
            r"\\192.168.1.5\Data",
            "//fileserver/share/bukti.pdf",
            r#""C:\Users\Budi Santoso\Documents\laporan kegiatan.pdf""#,
            r"Dokumen\laporan.pdf",
            r"%USERPROFILE%\Desktop\x.pdf",
        ] {
            assert_error(raw, LinkError::LocalPath);
        }
    }

    #[test]
    fn file_urls_are_local_not_unsafe() {
        assert_error("file:///C:/Users/Budi/laporan.pdf", LinkError::LocalPath);
        assert_error("FILE://server/share/x", LinkError::LocalPath);
    }

    #[test]
    fn unix_paths_are_local() {
        for raw in [
            "/home/budi/laporan.pdf",
            "~/Documents/x.pdf",
            "/Users/budi/Desktop/x.pdf",
            "/media/usb/x",
            "/mnt/data/x",
            "/storage/emulated/0/Download/bukti.pdf",
            "./laporan.pdf",
            "../bukti/foto.jpg",
        ] {
            assert_error(raw, LinkError::LocalPath);
        }
    }

    // --- Unsafe schemes -------------------------------------------------------------

    #[test]
    fn unsafe_schemes() {
        for (raw, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JavaScript:alert(document.cookie)", "javascript"),
            ("data:text/html,<script>alert(1)</script>", "data"),
            ("vbscript:msgbox(1)", "vbscript"),
            ("ftp://ftp.example.com/laporan.pdf", "ftp"),
            ("mailto:opd@serangkota.go.id", "mailto"),
            ("smb://server/share", "smb"),
            ("custom-app://open/file", "custom-app"),
        ] {
            assert_error(raw, LinkError::UnsafeScheme(scheme.to_string()));
            assert_eq!(check(raw).url, None);
        }
    }

    #[test]
    fn javascript_with_embedded_https_stays_unsafe() {
        assert_error(
            "javascript:location='https://evil.com'",
            LinkError::UnsafeScheme("javascript".into()),
        );
    }

    // --- Not a URL -----------------------------------------------------------------

    #[test]
    fn prose_is_not_url() {
        for raw in [
            "terlampir",
            "ada di folder",
            "-",
            "lihat lampiran",
            "terlampir di email",
            "Catatan: dikirim lewat WA",
            "Ket.Terlampir",
            "laporan.pdf",
            "Budi S.Kom/M.Si",
            "budi@gmail.com",
            "~",
            "/",
            "Google Drive",
            "https://",
            "http://",
            "https:// ",
        ] {
            assert_error(raw, LinkError::NotUrl);
        }
    }

    #[test]
    fn empty_and_invisible_input_is_not_url() {
        for raw in ["", "   ", "\u{a0}\u{200b}\t\n", "\u{feff}"] {
            assert_error(raw, LinkError::NotUrl);
        }
    }

    #[test]
    fn unreachable_hosts_are_not_url() {
        for raw in [
            "http://localhost/x",
            "https://intranet/x",
            "http://192.168.1.10/bukti",
            "http://10.0.0.1",
            "http://127.0.0.1:8080/x",
            "http://[::1]/x",
            "http://[fe80::1]/x",
        ] {
            assert_error(raw, LinkError::NotUrl);
        }
    }

    #[test]
    fn public_ip_is_a_link() {
        let v = check("http://8.8.8.8/bukti");
        assert_eq!(v.error, None);
        assert_eq!(
            v.warnings,
            vec![
                LinkWarning::Insecure,
                LinkWarning::NotDrive("8.8.8.8".into())
            ]
        );
    }

    // --- Trimming and multi-token cells ------------------------------------------------

    #[test]
    fn surrounding_junk_is_trimmed() {
        let link = format!("https://drive.google.com/file/d/{ID}/view");
        for raw in [
            format!("\u{a0} {link}\u{200b} \n"),
            format!("<{link}>"),
            format!("\"{link}\""),
            format!("'{link}"),
            format!("“{link}”"),
            format!("({link})."),
            format!("{link},"),
            format!("\u{feff}{link}"),
            format!("https://drive.google.com/file/\u{200b}d/{ID}/view"),
            format!("https://drive.google.com/file/d/{ID}/view\u{202e}"),
        ] {
            let v = check(&raw);
            assert_eq!(v.error, None, "{raw:?}");
            assert_eq!(v.url.as_deref(), Some(link.as_str()), "{raw:?}");
        }
    }

    #[test]
    fn first_link_of_several_is_judged() {
        let raw = format!(
            "https://drive.google.com/file/d/{ID}/view\nhttps://drive.google.com/file/d/{ID2}/view"
        );
        assert_eq!(check(&raw).key, drive_key(ID));
        let raw = format!(
            "https://drive.google.com/file/d/{ID}/view,https://drive.google.com/file/d/{ID2}/view"
        );
        assert_eq!(check(&raw).key, drive_key(ID));
        let raw = "https://drive.google.com/drive/my-drive https://example.com/x";
        assert_eq!(check(raw).error, Some(LinkError::DriveWithoutId));
    }

    // --- Hyperlink targets (stored by the workbook, not typed) -------------------------

    #[test]
    fn hyperlink_targets_table() {
        let drive = format!("https://drive.google.com/file/d/{ID}/view");
        let bare = format!("drive.google.com/file/d/{ID}/view");
        for (target, read_as) in [
            // Relative references name a file beside the sender's workbook.
            (
                "Dokumentasi/Foto%20Apel.jpg",
                "./Dokumentasi/Foto%20Apel.jpg",
            ),
            ("foto.jpg", "./foto.jpg"),
            (" Bukti Kegiatan.pdf ", "./Bukti Kegiatan.pdf"),
            // Already recognisable as what they are: kept.
            ("../Bukti/x.pdf", "../Bukti/x.pdf"),
            ("./x.pdf", "./x.pdf"),
            (r"..\Bukti\x.pdf", r"..\Bukti\x.pdf"),
            (r"C:\Users\a\foto.jpg", r"C:\Users\a\foto.jpg"),
            (
                "file:///D:/Monev%202026/Foto.jpg",
                "file:///D:/Monev%202026/Foto.jpg",
            ),
            (drive.as_str(), drive.as_str()),
            (bare.as_str(), bare.as_str()),
            (
                "www.serangkota.go.id/berakhlak",
                "www.serangkota.go.id/berakhlak",
            ),
            ("mailto:rb@serangkota.go.id", "mailto:rb@serangkota.go.id"),
            // A place inside the workbook is no file: left for check_link (not_url).
            ("#Tabel2.A1", "#Tabel2.A1"),
            ("", ""),
        ] {
            assert_eq!(hyperlink_target(target), read_as, "{target:?}");
        }
    }

    #[test]
    fn hyperlink_target_verdicts() {
        let defaults = defaults();
        let judged = |t: &str| check_link(&hyperlink_target(t), &defaults).error;
        assert_eq!(
            judged("Dokumentasi/Foto%20Apel.jpg"),
            Some(LinkError::LocalPath)
        );
        assert_eq!(judged("../Bukti/x.pdf"), Some(LinkError::LocalPath));
        assert_eq!(judged("foto.jpg"), Some(LinkError::LocalPath));
        assert_eq!(judged("#Tabel2.A1"), Some(LinkError::NotUrl));
        assert_eq!(
            judged(&format!("https://drive.google.com/file/d/{ID}/view#x")),
            None
        );
    }

    #[test]
    fn several_targets_of_one_cell_are_judged_like_typed_links() {
        let web = format!("https://drive.google.com/file/d/{ID}/view");
        let web2 = format!("https://drive.google.com/file/d/{ID2}/view");
        let local = "file:///D:/Monev%202026/Foto%20Apel.jpg";
        for (targets, error, key) in [
            (vec![local, web.as_str()], None, drive_key(ID)),
            (vec![web.as_str(), local], None, drive_key(ID)),
            (vec![web.as_str(), web2.as_str()], None, drive_key(ID)),
            (vec![web2.as_str(), web.as_str()], None, drive_key(ID2)),
            (vec![local, "./foto.jpg"], Some(LinkError::LocalPath), None),
            (
                vec!["javascript:alert(1)", local],
                Some(LinkError::UnsafeScheme("javascript".into())),
                None,
            ),
            (
                vec!["https://drive.google.com/drive/my-drive", local],
                Some(LinkError::DriveWithoutId),
                None,
            ),
        ] {
            let joined = targets.join(" ");
            let v = check(&joined);
            assert_eq!((v.error, v.key), (error, key), "{joined}");
        }
    }

    #[test]
    fn prose_before_link_is_skipped() {
        for raw in [
            format!("Link: https://drive.google.com/drive/folders/{ID}"),
            format!("Link:https://drive.google.com/drive/folders/{ID}"),
            format!("Dokumentasi kegiatan\nhttps://drive.google.com/drive/folders/{ID}"),
            format!("=HYPERLINK(\"https://drive.google.com/drive/folders/{ID}\")"),
        ] {
            assert_eq!(check(&raw).key, drive_key(ID), "{raw}");
        }
    }

    #[test]
    fn web_link_wins_over_earlier_path_or_scheme() {
        let raw = format!(r"C:\foto.jpg https://drive.google.com/file/d/{ID}/view");
        assert_eq!(check(&raw).key, drive_key(ID));
        let raw = format!("javascript:void(0) drive.google.com/file/d/{ID}/view");
        assert_eq!(check(&raw).key, drive_key(ID));
    }

    #[test]
    fn first_non_web_candidate_decides_error() {
        assert_error(
            r"lihat C:\Data\x.pdf atau mailto:a@b.id",
            LinkError::LocalPath,
        );
        assert_error(
            r"mailto:a@b.id atau C:\Data\x.pdf",
            LinkError::UnsafeScheme("mailto".into()),
        );
        assert_error(r"http://localhost/x C:\x", LinkError::LocalPath);
    }

    #[test]
    fn link_broken_by_space_is_judged_by_first_piece() {
        let v = check("https://drive.google.com/drive/folders/1AbC dEfGhIjKlMn");
        assert_eq!(v.error, Some(LinkError::DriveTruncated));
        let v = check(&format!(
            "https://drive.google.com/file/d/{ID}/view ?usp=sharing"
        ));
        assert_eq!(v.key, drive_key(ID));
    }

    // --- Keys --------------------------------------------------------------------------

    #[test]
    fn web_key_drops_scheme_query_fragment_and_trailing_slash() {
        let a = check("https://Example.COM/Bukti/Kegiatan/?x=1#frag");
        let b = check("http://example.com/Bukti/Kegiatan");
        assert_eq!(a.key.as_deref(), Some("example.com/Bukti/Kegiatan"));
        assert_eq!(a.key, b.key);
        assert_eq!(
            check("https://example.com").key.as_deref(),
            Some("example.com")
        );
        assert_eq!(
            check("https://example.com:8443/a/").key.as_deref(),
            Some("example.com:8443/a")
        );
        assert_eq!(
            check("https://example.com:443/a").key.as_deref(),
            Some("example.com/a")
        );
    }

    #[test]
    fn verdict_url_rechecks_to_same_key() {
        for raw in [
            format!("drive.google.com/file/d/{ID}/view"),
            "www.example.com/a b".to_string(),
            "http://example.com/a?b=c".to_string(),
        ] {
            let v = check(&raw);
            let again = check(v.url.as_deref().unwrap());
            assert_eq!(v.key, again.key, "{raw}");
            assert_eq!(v.error, again.error, "{raw}");
        }
    }

    #[test]
    fn idn_host_is_punycoded() {
        let v = check("https://bücher.example/x");
        assert_eq!(v.url.as_deref(), Some("https://xn--bcher-kva.example/x"));
        assert_eq!(
            v.warnings,
            vec![LinkWarning::NotDrive("xn--bcher-kva.example".into())]
        );
    }

    #[test]
    fn shown_url_is_percent_encoded() {
        let v = check(&format!(
            "https://drive.google.com/file/d/{ID}/view?q=\"><script>"
        ));
        let url = v.url.unwrap();
        assert!(!url.contains('"') && !url.contains('<'), "{url}");
        assert_eq!(v.key, drive_key(ID));
    }

    // --- drive_id ------------------------------------------------------------------

    #[test]
    fn drive_id_direct() {
        let parse = |s: &str| Url::parse(s).unwrap();
        assert_eq!(
            drive_id(&parse(&format!(
                "https://drive.google.com/file/d/{ID}/view"
            ))),
            Some(ID.to_string())
        );
        assert_eq!(
            drive_id(&parse(&format!(
                "https://drive.google.com/a/serangkota.go.id/file/d/{ID}/view"
            ))),
            Some(ID.to_string())
        );
        assert_eq!(
            drive_id(&parse(&format!("https://example.com/file/d/{ID}/view"))),
            None
        );
        assert_eq!(
            drive_id(&parse(&format!(
                "https://drive.google.com/drive/my-drive?id={ID}"
            ))),
            None
        );
        assert_eq!(
            drive_id(&parse(&format!("ftp://drive.google.com/file/d/{ID}"))),
            None
        );
        assert_eq!(
            drive_id(&parse("https://drive.google.com/file/d/123456789")),
            None
        );
        assert_eq!(
            drive_id(&parse("https://drive.google.com/file/d/1234567890")),
            Some("1234567890".to_string())
        );
    }

    // --- Robustness ------------------------------------------------------------------

    /// Invariants every verdict must satisfy.
    fn assert_invariants(raw: &str, v: &LinkVerdict) {
        assert_eq!(v.key.is_some(), v.error.is_none(), "{raw:?} {v:?}");
        if let Some(url) = &v.url {
            assert!(
                url.starts_with("https://") || url.starts_with("http://"),
                "{raw:?} {v:?}"
            );
        }
        match &v.error {
            Some(LinkError::DriveWithoutId) | None => assert!(v.url.is_some(), "{raw:?} {v:?}"),
            Some(_) => {
                assert!(v.url.is_none() && v.warnings.is_empty(), "{raw:?} {v:?}")
            }
        }
        if let Some(LinkError::UnsafeScheme(s)) = &v.error {
            assert_eq!(s, &s.to_lowercase(), "{raw:?}");
            assert!(s != "http" && s != "https", "{raw:?}");
        }
    }

    #[test]
    fn odd_inputs_never_panic() {
        let odd = [
            "",
            " ",
            ":",
            "::",
            "//",
            "\\",
            "\\\\",
            "http:",
            "https:",
            "https:/",
            "https:///",
            "https://.",
            "https://..",
            "https://.com",
            "https://a..b/x",
            "https://[",
            "https://[::",
            "http://%",
            "http://%zz.com",
            "https://exa mple.com",
            "https://例子.测试/路径",
            "https://xn--/",
            "https://xn--a.com",
            "drive.google.com:99999/x",
            "www.:80/x",
            "www.",
            "a:",
            "C:",
            "C:\\",
            "~",
            "(((((",
            ")))))",
            "<<<>>>",
            "\"'“”‘’«»",
            "🙂🙂🙂",
            "é/ü/ß",
            "https://drive.google.com/file/d/🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂/view",
            "https://drive.google.com/open?id=%FF%FE",
            "https://drive.google.com/open?id=🙂🙂🙂🙂🙂🙂🙂🙂🙂🙂",
            "\u{0}\u{1}\u{7f}",
            "https://drive.google.com/\u{0}",
            "javascript\u{0}:alert(1)",
            "\u{202e}moc.live//:sptth",
            ",https://",
            ";www.",
            "|http://a.b",
            "=HYPERLINK(\"",
            "www.ünïcödé.com/x",
            "s.id/",
            "//",
            "//.",
            "///x",
            "\u{3000}https://drive.google.com/\u{3000}",
        ];
        for raw in odd {
            let v = check(raw);
            assert_invariants(raw, &v);
        }
    }

    #[test]
    fn random_inputs_never_panic() {
        const PIECES: &[&str] = &[
            "https://",
            "http://",
            "drive.google.com",
            "docs.google.com",
            "www.",
            "/",
            "\\",
            ":",
            "?",
            "#",
            "&",
            "=",
            "id",
            "file",
            "d",
            "folders",
            "open",
            "u",
            "0",
            "e",
            "forms",
            ".",
            "..",
            ",",
            ";",
            "|",
            " ",
            "\n",
            "\u{a0}",
            "\u{200b}",
            "\u{202e}",
            "\"",
            "'",
            "<",
            ">",
            "(",
            ")",
            "[",
            "]",
            "C:",
            "~",
            "%",
            "%2F",
            "@",
            "javascript:",
            "file:",
            "é",
            "🙂",
            "例",
            "ß",
            "1AbCdEfGhIjK",
            "xn--",
            "-",
            "_",
            "localhost",
            "[::1]",
            "127.0.0.1",
            "s.id",
            "com",
            "\u{0}",
            "\t",
            "mailto:",
        ];
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let allowed_sets = [defaults(), Vec::new(), vec!["é.example".to_string()]];
        for round in 0..20_000 {
            let len = (next() % 12) as usize;
            let raw: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let v = check_link(&raw, &allowed_sets[round % allowed_sets.len()]);
            assert_invariants(&raw, &v);
        }
    }
}
