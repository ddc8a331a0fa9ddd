//! ferrotls: a TLS 1.0–1.3 engine written from scratch, client and server,
//! with exact, documented session-identifier semantics.
//!
//! Layers, bottom up (see `docs/architecture.md`): [`codec`] reads and
//! writes the wire syntax, [`msgs`] types every message, [`crypto`] wraps
//! the primitive crates, [`record`] frames and protects records, and
//! [`keyschedule`] derives every secret of TLS 1.0–1.3.
// `deny`, not `forbid`: `forbid` cannot be lifted for `capi`, the one
// module allowed `unsafe` (for the C ABI); everywhere else it is an error.
#![deny(unsafe_code)]
#![deny(missing_docs)]

#[macro_use]
mod macros;

#[cfg(feature = "capi")]
#[allow(unsafe_code)]
pub mod capi;
pub mod codec;
mod common_state;
pub mod config;
pub mod conn;
pub mod crypto;
pub mod der;
pub mod error;
pub mod handshake;
pub mod keylog;
pub mod keyschedule;
pub mod msgs;
pub mod pki;
pub mod record;
pub mod session;
pub mod stream;
pub mod time;

pub use error::Error;
