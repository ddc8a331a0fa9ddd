//! Typed TLS messages: every handshake message of TLS 1.0–1.3, every
//! extension ferrotls speaks, alerts and ChangeCipherSpec, each with a
//! `decode`/`encode` pair that round-trips byte for byte. Only the
//! syntactic rules of the RFCs are enforced here (vector bounds, trailing
//! bytes, duplicate extensions, extension placement); protocol decisions
//! belong to the handshake layer.
//!
//! Entry points: [`handshake::HandshakeMessage`] for handshake bodies (with
//! a [`handshake::DecodeContext`]), [`alert::Alert`] and
//! [`ccs::ChangeCipherSpec`] for the other content types.

pub mod alert;
pub mod ccs;
pub mod certificate;
pub mod certificate_status;
pub mod client_hello_extensions;
pub mod compressed_certificate;
pub mod enums;
pub mod extensions;
pub mod grease;
pub mod group_list;
pub mod handshake;
pub mod hello;
pub mod inline_list;
pub mod key_exchange;
pub mod names;
pub mod psk;
pub mod signature;
pub mod single_list;
pub mod syntax;
pub mod ticket;
