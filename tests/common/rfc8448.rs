//! The reader of the RFC 8448 trace file `vectors/rfc8448/transcripts.vec`
//! (see `vectors/README.md`).

use std::collections::HashMap;

pub use super::sections::Sections;

/// Parses `transcripts.vec` (see [`super::sections::read_sections`]).
pub fn transcripts() -> Sections {
    super::sections::read_sections("rfc8448/transcripts.vec")
}

/// One hex value of the parsed file.
pub fn hex_value(sections: &Sections, section: &str, key: &str) -> Vec<u8> {
    hex::decode(&sections[section][key]).unwrap()
}

/// The hex values of one section, decoded (values that are not hex, such
/// as `PskIdentity = rfc8448`, are left out).
pub fn trace(section: &str) -> HashMap<String, Vec<u8>> {
    let sections = transcripts();
    let values = sections
        .get(section)
        .unwrap_or_else(|| panic!("no section {section}"));
    values
        .iter()
        .filter_map(|(k, v)| hex::decode(v).ok().map(|b| (k.clone(), b)))
        .collect()
}

use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::{ClientHello, ServerHello};
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::{NamedGroup, ProtocolVersion};

/// The decode context of the RFC 8448 traces: TLS 1.3 with SHA-256.
pub const TLS13_SHA256: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_3,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 32,
};

/// Parses a whole ClientHello message (header included).
pub fn client_hello(message: &[u8]) -> ClientHello {
    match HandshakeMessage::decode_message(message, &TLS13_SHA256).unwrap() {
        HandshakeMessage::ClientHello(ch) => ch,
        other => panic!("not a ClientHello: {other:?}"),
    }
}

/// Parses a whole ServerHello or HelloRetryRequest message.
pub fn server_hello(message: &[u8]) -> ServerHello {
    match HandshakeMessage::decode_message(message, &TLS13_SHA256).unwrap() {
        HandshakeMessage::ServerHello(sh) => sh,
        other => panic!("not a ServerHello: {other:?}"),
    }
}

/// The key_share public value for `group` in a hello's extensions
/// (ClientHello list form or ServerHello single form, RFC 8446 §4.2.8).
pub fn key_share(extensions: &[Extension], group: NamedGroup) -> Vec<u8> {
    let found = extensions.iter().find_map(|e| match e {
        Extension::KeyShareOffer(entries) => entries
            .iter()
            .find(|k| k.group == group)
            .map(|k| k.key_exchange.clone()),
        Extension::KeyShareSelected(entry) if entry.group == group => {
            Some(entry.key_exchange.clone())
        }
        _ => None,
    });
    found.unwrap_or_else(|| panic!("no key share for {group:?}"))
}
