//! The record layer (RFC 8446 §5, RFC 5246 §6): bytes in, records out, and
//! back.
//!
//! - [`deframer`] cuts received bytes into records in one receive buffer,
//!   checking the header and the length limits below, and keeps opened
//!   application data there until it is read.
//! - [`protection`] holds the one [`RecordProtection`] trait and its
//!   schemes: null, TLS 1.3 AEAD, TLS 1.2 AEAD, CBC-HMAC.
//! - [`layer`] ties a deframer to a read and a write epoch with their
//!   sequence numbers: records are opened in place in the receive buffer
//!   and sealed in place in the caller's output buffer.
//! - [`joiner`] turns handshake-record payloads into handshake messages;
//!   [`fragmenter`] splits outgoing data into records.

pub mod deframer;
pub mod fragmenter;
pub mod joiner;
pub mod layer;
pub mod protection;

pub use deframer::Deframer;
pub use fragmenter::Fragmenter;
pub use joiner::HandshakeJoiner;
#[cfg(test)]
pub(crate) use layer::lower_usage_limit_in_this_thread;
pub use layer::RecordLayer;
#[cfg(feature = "legacy")]
pub use protection::{CbcHmacProtection, CbcIv, MacOrder};
pub use protection::{NullProtection, RecordProtection, Tls12AeadProtection, Tls13AeadProtection};

/// The record header length: type (1), version (2), length (2)
/// (RFC 8446 §5.1, RFC 5246 §6.2.1).
pub const HEADER_LEN: usize = 5;

/// The largest plaintext fragment of a record, 2^14 bytes (RFC 8446 §5.1,
/// RFC 5246 §6.2.1); longer is `record_overflow`.
pub const MAX_PLAINTEXT_LEN: usize = 1 << 14;

/// The largest TLS 1.3 `TLSInnerPlaintext`: the content, its one-byte type
/// (RFC 8446 §5.4: 2^14 + 1); longer is `record_overflow`.
pub const MAX_INNER_PLAINTEXT_LEN_TLS13: usize = MAX_PLAINTEXT_LEN + 1;

/// The largest TLS 1.3 protected fragment, 2^14 + 256 bytes (RFC 8446
/// §5.2); longer is `record_overflow`.
pub const MAX_CIPHERTEXT_LEN_TLS13: usize = MAX_PLAINTEXT_LEN + 256;

/// The largest TLS 1.0–1.2 protected fragment, 2^14 + 2048 bytes (RFC 5246
/// §6.2.3, RFC 4346 §6.2.3, RFC 2246 §6.2.3); longer is `record_overflow`.
pub const MAX_CIPHERTEXT_LEN_TLS12: usize = MAX_PLAINTEXT_LEN + 2048;

/// The first sequence number that may not be used: sequence numbers are
/// 64-bit and must never wrap (RFC 8446 §5.3, RFC 5246 §6.1). Stopping one
/// short of 2^64 − 1 means the counter never has to hold a wrapped value;
/// a direction that reaches this value fails with
/// [`crate::Error::SequenceNumberExhausted`] and the connection must end or
/// rekey.
pub const SEQUENCE_NUMBER_LIMIT: u64 = u64::MAX;

/// The smallest `record_size_limit` a peer may announce (RFC 8449 §4);
/// smaller is `illegal_parameter`. The extension's codec holds the bound
/// (`msgs::extensions::MIN_RECORD_SIZE_LIMIT`); this is the same
/// value as a length.
pub const MIN_RECORD_SIZE_LIMIT: usize = crate::msgs::extensions::MIN_RECORD_SIZE_LIMIT as usize;

/// The largest `record_size_limit` that means anything in TLS ≤ 1.2: a
/// record's whole plaintext, 2^14 (RFC 8449 §4); a larger announced value
/// counts as this one.
pub const MAX_RECORD_SIZE_LIMIT_TLS12: u16 = 1 << 14;

/// The largest `record_size_limit` that means anything in TLS 1.3: the
/// whole `TLSInnerPlaintext`, 2^14 + 1 (RFC 8449 §4); a larger announced
/// value counts as this one.
pub const MAX_RECORD_SIZE_LIMIT_TLS13: u16 = (1 << 14) + 1;
