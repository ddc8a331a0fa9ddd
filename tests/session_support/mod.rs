//! Sample session values and a re-framer for crafting encodings, shared by
//! the `session_*` tests.
#![allow(dead_code)]

use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::crypto::Secret;
use ferrotls::internal::session::state::{Tls12Ticket, Tls13TicketParams};
use ferrotls::internal::session::{
    ClientSessionTls12, ClientTicketTls13, ServerChain, ServerSessionState, Validity,
};
use ferrotls::{CipherSuite, NamedGroup, ProtocolVersion, SessionId, Staples, UnixTime};
use std::sync::Arc;

/// 2023-11-14T22:13:20Z, the creation time of every sample.
pub const CREATED: UnixTime = UnixTime::from_secs(1_700_000_000);

pub fn id(byte: u8) -> SessionId {
    SessionId::from_peer(&[byte; 32]).unwrap()
}

pub fn server_tls12() -> ServerSessionState {
    ServerSessionState {
        version: ProtocolVersion::TLSv1_2,
        cipher_suite: CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        secret: Secret::from_slice(&[0x11; 48]),
        session_id: id(0x5e),
        extended_master_secret: true,
        encrypt_then_mac: false,
        max_fragment_length: Some(2),
        server_name: Some(b"example.com".to_vec()),
        alpn_protocol: Some(b"h2".to_vec()),
        validity: Validity::new(CREATED, 7200),
        peer_certificates: vec![vec![0x30, 0x82, 0x01], vec![0x30, 0x03]],
        tls13: None,
        resumption_data: Some(b"account=42".to_vec()),
        authenticated: Some(CREATED),
        unknown_fields: Default::default(),
    }
}

pub fn server_tls13() -> ServerSessionState {
    ServerSessionState {
        version: ProtocolVersion::TLSv1_3,
        cipher_suite: CipherSuite::TLS_AES_256_GCM_SHA384,
        secret: Secret::from_slice(&[0x22; 48]),
        session_id: id(0x7a),
        extended_master_secret: false,
        encrypt_then_mac: false,
        max_fragment_length: None,
        server_name: None,
        alpn_protocol: None,
        validity: Validity::new(CREATED, 3600),
        peer_certificates: vec![],
        tls13: Some(Tls13TicketParams {
            age_add: 0xdead_beef,
            nonce: vec![0, 1],
            max_early_data_size: 16384,
        }),
        // As written before the field existed.
        resumption_data: None,
        authenticated: None,
        unknown_fields: Default::default(),
    }
}

pub fn client_tls12(with_ticket: bool) -> ClientSessionTls12 {
    ClientSessionTls12 {
        version: ProtocolVersion::TLSv1_2,
        cipher_suite: CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        session_id: id(0x5e),
        ticket: with_ticket.then(|| Tls12Ticket {
            lifetime_hint: 300,
            ticket: vec![0xaa; 120],
        }),
        master_secret: Secret::from_slice(&[0x33; 48]),
        extended_master_secret: true,
        encrypt_then_mac: true,
        max_fragment_length: Some(1),
        server_certificates: vec![vec![0x30, 0x01, 0x02]],
        // Stand-ins: the format carries the staples as bytes.
        staples: Staples {
            ocsp_response: Some(vec![0x30, 0x03, 0x0a, 0x01, 0x00]),
            scts: if with_ticket {
                vec![vec![0x00; 47], vec![0x01; 47]]
            } else {
                Vec::new()
            },
        },
        server_name: "example.com".to_owned(),
        validity: Validity::new(CREATED, 7200),
        unknown_fields: Default::default(),
    }
}

pub fn client_tls13(ticket_byte: u8) -> ClientTicketTls13 {
    ClientTicketTls13 {
        ticket: vec![ticket_byte; 64],
        psk: Secret::from_slice(&[0x44; 32]),
        cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
        age_add: 0x0102_0304,
        validity: Validity::new(CREATED, 7200),
        max_early_data_size: 0,
        alpn_protocol: Some(b"http/1.1".to_vec()),
        server: Arc::new(ServerChain {
            certificates: vec![vec![0x30, 0x05]],
            staples: Staples {
                ocsp_response: None,
                scts: vec![vec![0x00; 10]],
            },
        }),
        server_name: "example.com".to_owned(),
        key_share_group: Some(NamedGroup::secp256r1),
        unknown_fields: Default::default(),
    }
}

/// The header, the fields (tag, value) and the checksum of an encoding,
/// split by hand after `docs/session-format.md`.
pub struct Framed {
    pub header: Vec<u8>,
    pub fields: Vec<(u16, Vec<u8>)>,
}

pub fn split(bytes: &[u8]) -> Framed {
    let header = bytes[..6].to_vec();
    let len = u32::from_be_bytes([0, bytes[6], bytes[7], bytes[8]]) as usize;
    let mut list = &bytes[9..9 + len];
    assert_eq!(bytes.len(), 9 + len + 16);
    let mut fields = Vec::new();
    while !list.is_empty() {
        let tag = u16::from_be_bytes([list[0], list[1]]);
        let vlen = u32::from_be_bytes([0, list[2], list[3], list[4]]) as usize;
        fields.push((tag, list[5..5 + vlen].to_vec()));
        list = &list[5 + vlen..];
    }
    Framed { header, fields }
}

/// Frames `fields` in the given order under `header`, with a correct
/// checksum (SHA-256 truncated to 16 bytes).
pub fn join(header: &[u8], fields: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut list = Vec::new();
    for (tag, value) in fields {
        list.extend_from_slice(&tag.to_be_bytes());
        list.extend_from_slice(&(value.len() as u32).to_be_bytes()[1..]);
        list.extend_from_slice(value);
    }
    let mut out = header.to_vec();
    out.extend_from_slice(&(list.len() as u32).to_be_bytes()[1..]);
    out.extend_from_slice(&list);
    let digest = HashAlgorithm::Sha256.hash(&out);
    out.extend_from_slice(&digest.as_bytes()[..16]);
    out
}

/// Splits `bytes`, lets `edit` change the fields, and frames them again.
pub fn reframe(bytes: &[u8], edit: impl FnOnce(&mut Vec<(u16, Vec<u8>)>)) -> Vec<u8> {
    let mut framed = split(bytes);
    edit(&mut framed.fields);
    join(&framed.header, &framed.fields)
}
