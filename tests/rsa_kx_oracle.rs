//! The RSA key-exchange server is not a padding oracle (Bleichenbacher
//! 1998, ROBOT 2017; RFC 5246 §7.4.7.1).
//!
//! The client's ClientKeyExchange is replaced by ciphertexts of every
//! malformed kind — wrong block type, nonzero leading byte, no zero
//! separator, a padding string under 8 bytes, a premaster of 47 or 49
//! bytes, wrong version bytes, a ciphertext of the wrong length, one not
//! below the modulus — and by a well-formed premaster the client does not
//! know. Every one must take the server through ClientKeyExchange and
//! ChangeCipherSpec without complaint and end at the client's Finished
//! with the same error and the same alert.
//!
//! The encrypted blocks are made by an independent tool: `openssl
//! pkeyutl -encrypt -pkeyopt rsa_padding_mode:none` (raw RSA) over
//! encoded messages built here, with the public key of
//! `vectors/pki/rsa2048-leaf.key`.

// TLS 1.0/1.1, RSA key exchange and CBC come with feature `legacy`.
#![cfg(feature = "legacy")]

mod common;

use std::process::Command;

use common::*;
use ferrotls::{AlertDescription, CipherSuite, Error, ProtocolVersion};

/// The modulus length of the rsa2048 test key, in bytes.
const K: usize = 256;

/// Raw RSA (`m^e mod n`, no padding) of `block` under the rsa2048 leaf's
/// public key, by the openssl CLI.
fn raw_rsa_encrypt(dir: &std::path::Path, block: &[u8]) -> Vec<u8> {
    let public = dir.join("pub.pem");
    if !public.exists() {
        let key = format!(
            "{}/vectors/pki/rsa2048-leaf.key",
            env!("CARGO_MANIFEST_DIR")
        );
        let status = Command::new("openssl")
            .args(["pkey", "-in", &key, "-pubout", "-out"])
            .arg(&public)
            .status()
            .unwrap();
        assert!(status.success());
    }
    let input = dir.join("em.bin");
    let output = dir.join("ct.bin");
    std::fs::write(&input, block).unwrap();
    let status = Command::new("openssl")
        .args(["pkeyutl", "-encrypt", "-pubin", "-inkey"])
        .arg(&public)
        .args(["-pkeyopt", "rsa_padding_mode:none", "-in"])
        .arg(&input)
        .arg("-out")
        .arg(&output)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::read(&output).unwrap()
}

/// An encoded PKCS#1 v1.5 type 2 block: `00 02 PS 00 M`, PS nonzero.
fn em(first: u8, block_type: u8, padding_len: usize, separator: bool, message: &[u8]) -> Vec<u8> {
    let mut out = vec![first, block_type];
    out.extend(std::iter::repeat_n(0x5a, padding_len));
    if separator {
        out.push(0);
    }
    out.extend_from_slice(message);
    assert_eq!(out.len(), K, "test block must be k bytes");
    out
}

/// A premaster of `len` bytes starting with `version`.
fn premaster(version: [u8; 2], len: usize) -> Vec<u8> {
    let mut out = vec![0x42; len];
    out[..2].copy_from_slice(&version);
    out
}

/// Runs a handshake under `version` with RSA key exchange, replacing the
/// client's encrypted premaster by `ciphertext` (`None`: unchanged).
/// Feeds the client's records one at a time and returns, for each, the
/// server's result, plus the alert the server wrote.
fn run(
    version: ProtocolVersion,
    ciphertext: Option<&[u8]>,
) -> (Vec<Result<(), Error>>, Option<u8>) {
    let suite = [CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA];
    let client = client_builder("rsa2048")
        .versions(&[version])
        .cipher_suites(&suite)
        .build()
        .unwrap();
    let server = server_builder("rsa2048")
        .versions(&[version])
        .cipher_suites(&suite)
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("rsa2048"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let mut flight = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut flight).unwrap();
    }
    let mut results = Vec::new();
    for mut record in records(&flight) {
        if let (Some(ct), 22, 16) = (ciphertext, record[0], record[5]) {
            // ClientKeyExchange: header, then opaque<0..2^16-1>.
            let mut body = (ct.len() as u16).to_be_bytes().to_vec();
            body.extend_from_slice(ct);
            let mut message = vec![16];
            message.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
            message.extend_from_slice(&body);
            record.truncate(5);
            record[3..5].copy_from_slice(&(message.len() as u16).to_be_bytes());
            record.extend_from_slice(&message);
        }
        s.read_tls(&mut &record[..]).unwrap();
        let result = s.process_new_packets().map(|_| ());
        let failed = result.is_err();
        results.push(result);
        if failed {
            break;
        }
    }
    let mut out = Vec::new();
    while s.wants_write() {
        s.write_tls(&mut out).unwrap();
    }
    (results, last_alert(&out))
}

/// The alert description of the last record when it is an alert: the
/// server has not sent its ChangeCipherSpec yet, so it is in plaintext.
fn last_alert(bytes: &[u8]) -> Option<u8> {
    plaintext_alert(bytes)
}

/// The malformed ciphertexts, by name.
fn malformed(dir: &std::path::Path, client_version: [u8; 2]) -> Vec<(&'static str, Vec<u8>)> {
    let good = premaster(client_version, 48);
    let wrong_version = premaster([client_version[0], client_version[1] ^ 1], 48);
    let enc = |block: Vec<u8>| raw_rsa_encrypt(dir, &block);
    let mut cases = vec![
        (
            "well formed, unknown to the client",
            enc(em(0, 2, K - 3 - 48, true, &good)),
        ),
        (
            "block type 1 (signature padding)",
            enc(em(0, 1, K - 3 - 48, true, &good)),
        ),
        (
            "leading byte not zero",
            enc(em(1, 2, K - 3 - 48, true, &good)),
        ),
        ("no zero separator", enc(em(0, 2, K - 2, false, &[]))),
        (
            "padding string shorter than 8 bytes",
            enc(em(0, 2, 4, true, &premaster(client_version, K - 7))),
        ),
        (
            "premaster of 47 bytes",
            enc(em(0, 2, K - 3 - 47, true, &premaster(client_version, 47))),
        ),
        (
            "premaster of 49 bytes",
            enc(em(0, 2, K - 3 - 49, true, &premaster(client_version, 49))),
        ),
        (
            "wrong version bytes",
            enc(em(0, 2, K - 3 - 48, true, &wrong_version)),
        ),
        ("ciphertext one byte short", vec![0x33; K - 1]),
        ("ciphertext one byte long", vec![0x33; K + 1]),
        ("empty ciphertext", Vec::new()),
        ("ciphertext not below the modulus", vec![0xff; K]),
    ];
    cases.push((
        "version 0.0",
        enc(em(0, 2, K - 3 - 48, true, &premaster([0, 0], 48))),
    ));
    cases
}

fn every_failure_ends_alike(version: ProtocolVersion) {
    let dir = Scratch::new(&format!("rsa-kx-{version:?}"));
    let client_version = u16::from(version).to_be_bytes();
    // Control: the client's own ciphertext completes the handshake.
    let (results, alert) = run(version, None);
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(alert, None);

    let mut outcomes = Vec::new();
    for (name, ciphertext) in malformed(&dir, client_version) {
        let (results, alert) = run(version, Some(&ciphertext));
        // ClientKeyExchange and ChangeCipherSpec go through; the Finished
        // record is where it fails.
        assert_eq!(results.len(), 3, "{name}: {results:?}");
        assert!(
            results[0].is_ok() && results[1].is_ok(),
            "{name}: {results:?}"
        );
        outcomes.push((name, results[2].clone(), alert));
    }
    let (_, first_error, first_alert) = outcomes[0].clone();
    assert_eq!(first_error, Err(Error::BadRecordMac));
    assert_eq!(first_alert, Some(AlertDescription::BadRecordMac.into()));
    for (name, error, alert) in &outcomes {
        assert_eq!(*error, first_error, "{name}");
        assert_eq!(*alert, first_alert, "{name}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_malformed_premaster_fails_at_finished_with_bad_record_mac_under_tls12() {
    every_failure_ends_alike(ProtocolVersion::TLSv1_2);
}

#[test]
fn every_malformed_premaster_fails_at_finished_with_bad_record_mac_under_tls10() {
    every_failure_ends_alike(ProtocolVersion::TLSv1_0);
}

#[test]
fn the_premaster_carries_the_client_hello_version_not_the_negotiated_one() {
    // A client enabling 1.1 and 1.0 against a 1.0 server announces 1.1;
    // its premaster starts 03 02 and the server checks against that. (A
    // client enabling 1.2 would refuse the server's TLS 1.1 downgrade
    // sentinel, RFC 9846 §4.2.3.)
    let suite = [CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA];
    let client = client_builder("rsa2048")
        .versions(&[ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_0])
        .cipher_suites(&suite)
        .build()
        .unwrap();
    let server = server_builder("rsa2048")
        .versions(&[ProtocolVersion::TLSv1_0])
        .cipher_suites(&suite)
        .build()
        .unwrap();
    let (mut c, mut s) = handshaken(client, server, server_name("rsa2048"));
    assert_eq!(s.protocol_version(), Some(ProtocolVersion::TLSv1_0));
    send_and_check(&mut c, &mut s, b"rsa key exchange");
}

#[test]
fn a_server_never_answers_client_key_exchange_with_an_alert() {
    // Whatever the ciphertext, nothing is written between the
    // ClientKeyExchange and the Finished.
    let dir = Scratch::new("rsa-kx-silent");
    for (name, ciphertext) in malformed(&dir, [3, 3]) {
        let suite = [CipherSuite::TLS_RSA_WITH_AES_128_GCM_SHA256];
        let client = client_builder("rsa2048")
            .versions(&[ProtocolVersion::TLSv1_2])
            .cipher_suites(&suite)
            .build()
            .unwrap();
        let server = server_builder("rsa2048")
            .versions(&[ProtocolVersion::TLSv1_2])
            .cipher_suites(&suite)
            .build()
            .unwrap();
        let (mut c, mut s) = pair(client, server, server_name("rsa2048"));
        transfer(&mut c, &mut s).1.unwrap();
        transfer(&mut s, &mut c).1.unwrap();
        let mut flight = Vec::new();
        while c.wants_write() {
            c.write_tls(&mut flight).unwrap();
        }
        let cke = records(&flight)
            .into_iter()
            .find(|r| r[0] == 22 && r[5] == 16)
            .unwrap();
        let mut body = (ciphertext.len() as u16).to_be_bytes().to_vec();
        body.extend_from_slice(&ciphertext);
        let mut message = vec![16];
        message.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        message.extend_from_slice(&body);
        let record = handshake_record(&message);
        assert_eq!(cke[..3], record[..3]);
        s.read_tls(&mut &record[..]).unwrap();
        assert!(s.process_new_packets().is_ok(), "{name}");
        assert!(!s.wants_write(), "{name}: the server wrote something");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn decrypt_premaster_returns_the_plaintext_only_when_every_check_passes() {
    use ferrotls::internal::crypto::rsa_kx::{decrypt_premaster, PREMASTER_LEN};
    use ferrotls::OsRng;
    let dir = Scratch::new("rsa-kx-direct");
    let key = certified_key("rsa2048");
    let rng = OsRng::new();
    let good = premaster([3, 3], 48);
    // The openssl-made block decrypts to the premaster inside it.
    let ciphertext = raw_rsa_encrypt(&dir, &em(0, 2, K - 3 - 48, true, &good));
    let got = decrypt_premaster(key.key(), &ciphertext, ProtocolVersion::TLSv1_2, &rng).unwrap();
    assert_eq!(got.as_bytes(), good);
    // Every malformed one yields 48 bytes that are not what it carried,
    // and differ from one call to the next (fresh randomness).
    for (name, ciphertext) in malformed(&dir, [3, 3]).into_iter().skip(1) {
        let a = decrypt_premaster(key.key(), &ciphertext, ProtocolVersion::TLSv1_2, &rng).unwrap();
        let b = decrypt_premaster(key.key(), &ciphertext, ProtocolVersion::TLSv1_2, &rng).unwrap();
        assert_eq!(a.len(), PREMASTER_LEN, "{name}");
        assert_ne!(a.as_bytes(), b.as_bytes(), "{name}");
        assert_ne!(a.as_bytes()[2..], good[2..], "{name}");
    }
    // The same well-formed block checked against another client version
    // is refused too.
    let other = decrypt_premaster(key.key(), &ciphertext, ProtocolVersion::TLSv1_1, &rng).unwrap();
    assert_ne!(other.as_bytes(), good);
    let _ = std::fs::remove_dir_all(dir);
}
