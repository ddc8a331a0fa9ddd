//! Records and handshake messages on the wire: splitting, reading, and
//! opening and resealing TLS 1.3 handshake records under logged secrets.

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

/// The ClientHello in a client's flight (after a ChangeCipherSpec, when
/// it answers a HelloRetryRequest).
pub fn client_hello_in(flight: &[u8]) -> ferrotls::internal::msgs::hello::ClientHello {
    let record = records(flight).into_iter().find(|r| r[0] == 22).unwrap();
    super::rfc8448::client_hello(&record[5..])
}

/// A key log that keeps every secret, for tests that open and reseal
/// encrypted handshake records.
#[derive(Default)]
pub struct CapturedSecrets(pub std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl ferrotls::KeyLog for CapturedSecrets {
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
pub fn aes128_protection(secret: &[u8]) -> ferrotls::internal::record::Tls13AeadProtection {
    use ferrotls::internal::crypto::aead::AeadAlgorithm;
    use ferrotls::internal::crypto::hash::HashAlgorithm;
    use ferrotls::internal::crypto::hkdf::expand_label;
    let key = expand_label(HashAlgorithm::Sha256, secret, b"key", b"", 16).unwrap();
    let iv = expand_label(HashAlgorithm::Sha256, secret, b"iv", b"", 12).unwrap();
    ferrotls::internal::record::Tls13AeadProtection::new(
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

/// Rewrites the handshake messages of a plaintext flight (one or more
/// handshake records) as one record, after `edit`.
pub fn edit_plaintext_flight(bytes: &mut Vec<u8>, edit: impl FnOnce(&mut Vec<Vec<u8>>)) {
    let mut payload = Vec::new();
    let mut rest = Vec::new();
    for record in records(bytes) {
        if record[0] == 22 && rest.is_empty() {
            payload.extend_from_slice(&record[5..]);
        } else {
            rest.extend_from_slice(&record);
        }
    }
    let mut messages = split_messages(&payload);
    edit(&mut messages);
    let body = messages.concat();
    let mut out = handshake_record(&body);
    out.extend_from_slice(&rest);
    *bytes = out;
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
    use ferrotls::internal::record::RecordProtection;
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
    seal_handshake_record(&mut sealer, 0, &messages.concat(), &mut kept);
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

/// The content type of handshake records (RFC 8446 §5.1, RFC 5246 §6.2.1).
pub const HANDSHAKE: u8 = 22;

/// A plaintext record: content type, protocol version, 16-bit length and
/// `body` (RFC 8446 §5.1, RFC 5246 §6.2.1).
pub fn record(content_type: u8, version: [u8; 2], body: &[u8]) -> Vec<u8> {
    let mut out = vec![content_type, version[0], version[1]];
    out.extend_from_slice(&(body.len() as u16).to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// A plaintext handshake record of version {3, 3} around `body`.
pub fn handshake_record(body: &[u8]) -> Vec<u8> {
    record(HANDSHAKE, [3, 3], body)
}

/// Appends `messages` to `out` as one TLS 1.3 handshake record protected
/// by `sealer` under sequence number `seq` (RFC 8446 §5.2).
pub fn seal_handshake_record(
    sealer: &mut ferrotls::internal::record::Tls13AeadProtection,
    seq: u64,
    messages: &[u8],
    out: &mut Vec<u8>,
) {
    use ferrotls::internal::record::RecordProtection;
    let start = out.len();
    out.extend_from_slice(&handshake_record(messages));
    sealer.seal(seq, out, start).unwrap();
}
