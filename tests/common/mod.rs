//! Shared helpers for the in-memory connection tests: test certificates
//! from `vectors/pki` (made by `vectors/pki/make.sh` with openssl),
//! configurations, and a client/server pair whose records can be altered
//! in flight.
#![allow(dead_code)]

use std::sync::Arc;

use ferrotls::time::{ManualClock, UnixTime};

use ferrotls::config::{ClientConfig, ClientConfigBuilder, ServerConfig, ServerConfigBuilder};
use ferrotls::conn::{ClientConnection, Connection, ServerConnection};
use ferrotls::pki::{CertifiedKey, RootStore, ServerName, WebPkiServerVerifier};
use ferrotls::Error;

/// 2030-01-01T00:00:00Z, inside every test certificate's validity.
pub const NOW: u64 = 1_893_456_000;

/// The key types with a CA → intermediate → leaf hierarchy in
/// `vectors/pki`.
pub const KEY_TYPES: &[&str] = &["rsa2048", "p256", "p384", "ed25519"];

pub fn read_vector(name: &str) -> String {
    std::fs::read_to_string(format!("{}/vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

/// The leaf chain and key of `key_type` (`leaf.<key_type>.test`).
pub fn certified_key(key_type: &str) -> Arc<CertifiedKey> {
    Arc::new(
        CertifiedKey::from_pem(
            &read_vector(&format!("{key_type}-chain.pem")),
            &read_vector(&format!("{key_type}-leaf.key")),
        )
        .unwrap(),
    )
}

/// A root store holding the root of `key_type`.
pub fn roots(key_type: &str) -> Arc<RootStore> {
    let mut store = RootStore::new();
    store
        .add_pem(&read_vector(&format!("{key_type}-root.pem")))
        .unwrap();
    Arc::new(store)
}

/// The server name in the leaf of `key_type`.
pub fn server_name(key_type: &str) -> ServerName {
    ServerName::parse(&format!("leaf.{key_type}.test")).unwrap()
}

/// A client builder trusting the root of `key_type`, at [`NOW`].
pub fn client_builder(key_type: &str) -> ClientConfigBuilder {
    ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots(key_type))))
        .clock(Arc::new(ManualClock::new(UnixTime::from_secs(NOW))))
}

/// A server builder serving the leaf of `key_type`, at [`NOW`].
pub fn server_builder(key_type: &str) -> ServerConfigBuilder {
    ServerConfig::builder(certified_key(key_type))
        .clock(Arc::new(ManualClock::new(UnixTime::from_secs(NOW))))
}

/// Moves every queued TLS byte from `from` to `to` and lets `to` process
/// it; returns the bytes moved and `to`'s result.
pub fn transfer(from: &mut Connection, to: &mut Connection) -> (usize, Result<(), Error>) {
    transfer_altered(from, to, |_| {})
}

/// Like [`transfer`], but `alter` may change the bytes in flight.
pub fn transfer_altered(
    from: &mut Connection,
    to: &mut Connection,
    alter: impl FnOnce(&mut Vec<u8>),
) -> (usize, Result<(), Error>) {
    let mut bytes = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut bytes).unwrap();
    }
    alter(&mut bytes);
    let moved = bytes.len();
    let mut offset = 0;
    let mut result = Ok(());
    while offset < bytes.len() {
        let n = to.read_tls(&mut &bytes[offset..]).unwrap();
        offset += n;
        if let Err(e) = to.process_new_packets() {
            result = Err(e);
            break;
        }
    }
    (moved, result)
}

/// Runs the handshake to completion, panicking on any error.
pub fn handshake(client: &mut ClientConnection, server: &mut ServerConnection) {
    for _ in 0..10 {
        if !client.is_handshaking()
            && !server.is_handshaking()
            && !client.wants_write()
            && !server.wants_write()
        {
            return;
        }
        let (_, r) = transfer(client, server);
        r.unwrap();
        let (_, r) = transfer(server, client);
        r.unwrap();
    }
    panic!("handshake did not complete");
}

/// A connected pair from these configurations.
pub fn pair(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    name: ServerName,
) -> (ClientConnection, ServerConnection) {
    (
        ClientConnection::new(client, name).unwrap(),
        ServerConnection::new(server),
    )
}

/// Sends `data` from `from` to `to` and checks it arrives whole.
pub fn send_and_check(from: &mut Connection, to: &mut Connection, data: &[u8]) {
    use std::io::{Read, Write};
    from.writer().write_all(data).unwrap();
    let (_, r) = transfer(from, to);
    r.unwrap();
    let mut got = vec![0; data.len()];
    to.reader().read_exact(&mut got).unwrap();
    assert_eq!(got, data);
}

/// Splits a byte string of TLS records into records (header included).
pub fn records(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut rest = bytes;
    while rest.len() >= 5 {
        let len = u16::from_be_bytes([rest[3], rest[4]]) as usize;
        let (record, tail) = rest.split_at(5 + len);
        out.push(record.to_vec());
        rest = tail;
    }
    out
}

/// A key log that keeps every secret, for tests that open and reseal
/// encrypted handshake records.
#[derive(Default)]
pub struct CapturedSecrets(pub std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl ferrotls::keylog::KeyLog for CapturedSecrets {
    fn log(&self, label: &str, _client_random: &[u8], secret: &[u8]) {
        self.0
            .lock()
            .unwrap()
            .push((label.to_string(), secret.to_vec()));
    }
}

impl CapturedSecrets {
    /// The last secret logged under `label`.
    pub fn get(&self, label: &str) -> Vec<u8> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .rev()
            .find(|(l, _)| l == label)
            .map(|(_, s)| s.clone())
            .unwrap_or_else(|| panic!("no {label}"))
    }
}

/// TLS 1.3 record protection for TLS_AES_128_GCM_SHA256 from a traffic
/// secret (RFC 8446 §7.3), built from the public HKDF functions.
pub fn aes128_protection(secret: &[u8]) -> ferrotls::record::Tls13AeadProtection {
    use ferrotls::crypto::aead::AeadAlgorithm;
    use ferrotls::crypto::hash::HashAlgorithm;
    use ferrotls::crypto::hkdf::expand_label;
    let key = expand_label(HashAlgorithm::Sha256, secret, b"key", b"", 16).unwrap();
    let iv = expand_label(HashAlgorithm::Sha256, secret, b"iv", b"", 12).unwrap();
    ferrotls::record::Tls13AeadProtection::new(
        AeadAlgorithm::Aes128Gcm,
        key.as_bytes(),
        iv.as_bytes(),
    )
    .unwrap()
}

/// Splits handshake-record payload bytes into messages (header included).
pub fn split_messages(mut payload: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while payload.len() >= 4 {
        let len = u32::from_be_bytes([0, payload[1], payload[2], payload[3]]) as usize;
        let (message, rest) = payload.split_at(4 + len);
        out.push(message.to_vec());
        payload = rest;
    }
    out
}

/// Rewrites the encrypted handshake messages in `flight` (the records of
/// one side's flight): every record protected under `secret` is opened
/// (sequence numbers from 0), `edit` changes the list of handshake
/// messages, and the result is sealed again as one record in place of the
/// protected ones. Unprotected records (hellos, CCS) are kept.
pub fn edit_encrypted_flight(
    flight: &mut Vec<u8>,
    secret: &[u8],
    edit: impl FnOnce(&mut Vec<Vec<u8>>),
) {
    use ferrotls::record::RecordProtection;
    let mut opener = aes128_protection(secret);
    let mut kept = Vec::new();
    let mut payload = Vec::new();
    let mut seq = 0;
    for mut record in records(flight) {
        if record[0] != 23 {
            kept.extend_from_slice(&record);
            continue;
        }
        let opened = opener.open(seq, &mut record).unwrap();
        seq += 1;
        payload.extend_from_slice(&record[opened.plaintext]);
    }
    let mut messages = split_messages(&payload);
    edit(&mut messages);
    let mut sealer = aes128_protection(secret);
    let start = kept.len();
    kept.extend_from_slice(&[22, 3, 3, 0, 0]);
    kept.extend_from_slice(&messages.concat());
    sealer.seal(0, &mut kept, start).unwrap();
    *flight = kept;
}

/// The handshake type of an encoded message.
pub fn message_type(message: &[u8]) -> u8 {
    message[0]
}

/// The alert description in the last record of `bytes`, when that record
/// is a plaintext alert.
pub fn plaintext_alert(bytes: &[u8]) -> Option<u8> {
    let last = records(bytes).pop()?;
    (last[0] == 21).then(|| last[6])
}
