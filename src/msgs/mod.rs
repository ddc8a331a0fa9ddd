//! Typed TLS messages: every handshake message of TLS 1.0–1.3, every
//! extension ferrotls speaks, alerts and ChangeCipherSpec, each with a
//! `decode`/`encode` pair that round-trips. No protocol decisions here.

pub mod enums;
