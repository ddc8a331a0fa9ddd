//! The key schedules: every secret of TLS 1.0–1.3.
//!
//! - [`tls13`]: the RFC 8446 §7.1 chain as typestates
//!   ([`tls13::EarlySecret`] → [`tls13::HandshakeSecret`] →
//!   [`tls13::MasterSecret`] → [`tls13::ApplicationSecrets`]); each step
//!   consumes the previous one, so no secret can be derived out of order.
//!   Also traffic keys (§7.3), KeyUpdate (§7.2), Finished and PSK binders
//!   (§4.4.4, §4.2.11.2), ticket PSKs (§4.6.1), exporters (§7.5) and the
//!   HelloRetryRequest `message_hash` (§4.4.1).
//! - [`tls12`]: master secret (RFC 5246 §8.1), extended master secret
//!   (RFC 7627 §4), key block (RFC 5246 §6.3), Finished (RFC 2246/5246
//!   §7.4.9) and the RFC 5705 exporter, for TLS 1.0, 1.1 and 1.2.
//! - [`secret_log`]: the hook a key log uses to see each secret.
//!
//! Nothing here does I/O; transcript hashes are computed by the caller with
//! [`HashContext`](crate::crypto::hash_context::HashContext).

pub mod secret_log;
pub mod tls12;
pub mod tls13;

pub use secret_log::{KeyLogger, SecretKind, SecretLog};
