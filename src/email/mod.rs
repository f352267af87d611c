//! E-mail going out: drafts that take each OPD its template ([`draft`]) and
//! reminders to OPDs without a usable submission ([`remind`]). Mail coming
//! back (saved messages and whole mailboxes, as Thunderbird and Google
//! Takeout export them) is read by `ingest::inbound` and `ingest::mbox`.
//!
//! Mail is untrusted input: attachments are read from memory and never written
//! to disk, names are cleaned before they are shown ([`clean_name`]), forwarded
//! messages are followed to a bounded depth (`ingest::inbound::MAX_DEPTH`), and a
//! mailbox is read one message at a time with a size limit per message.

pub mod draft;
pub mod remind;

pub use crate::text::clean_name;
