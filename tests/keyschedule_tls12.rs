//! TLS 1.0–1.2 key schedule known answers.
//!
//! Every expected value was produced by OpenSSL 3.0.19's TLS1-PRF, an
//! independent implementation, with the label and seed each RFC defines:
//!
//! ```text
//! openssl kdf -keylen LEN -kdfopt digest:D -kdfopt hexsecret:SECRET \
//!     -kdfopt seed:"LABEL" -kdfopt hexseed:SEED TLS1-PRF
//! ```
//!
//! with D = SHA256 (TLS 1.2) or MD5-SHA1 (TLS 1.0/1.1) and
//! - master secret: SECRET = premaster, LABEL "master secret",
//!   SEED = client_random ‖ server_random (RFC 5246 §8.1);
//! - extended master secret: SECRET = premaster, LABEL "extended master
//!   secret", SEED = session_hash = Hash("ferrotls transcript") (RFC 7627 §4);
//! - key block: SECRET = master, LABEL "key expansion",
//!   SEED = server_random ‖ client_random, LEN 104 (RFC 5246 §6.3);
//! - Finished: SECRET = master, LABEL "client finished" / "server
//!   finished", SEED = Hash("ferrotls transcript"), LEN 12 (RFC 5246 §7.4.9);
//! - exporter: SECRET = master, LABEL "EXPORTER-ferrotls",
//!   SEED = client_random ‖ server_random [‖ 0003 ‖ "ctx"], LEN 20
//!   (RFC 5705 §4).

use ferrotls::crypto::hash::HashAlgorithm;
use ferrotls::keyschedule::tls12::{KeyBlockLengths, MasterSecret, Sender};
use ferrotls::keyschedule::{KeyLogger, SecretKind, SecretLog};
use std::sync::{Arc, Mutex};

fn client_random() -> [u8; 32] {
    core::array::from_fn(|i| i as u8 + 0x01)
}

fn server_random() -> [u8; 32] {
    core::array::from_fn(|i| i as u8 + 0x21)
}

fn premaster() -> Vec<u8> {
    let mut pms = vec![0x03, 0x03];
    pms.extend([0xab; 46]);
    pms
}

/// The handshake transcript of these tests is the 19 bytes
/// "ferrotls transcript"; its SHA-256 and MD5‖SHA-1 digests were also
/// checked with `openssl dgst -sha256 / -md5 / -sha1`.
const TRANSCRIPT: &[u8] = b"ferrotls transcript";

const MS_SHA256: &str = "1fe68b5b0d42aa105dbf0b14772b33b9e9c9b0a30fb7ddf1404f5bf126c75b53277610e058de986cd2301fcc6ae6843f";
const MS_MD5SHA1: &str = "6fac2e0d43a024092761c573483498ee7a120dfe6aa94befae7d89e69eb893eff9db5cc22b7fa3a424a2ef2af17010d1";

/// One logged secret: its kind, the client random and the bytes.
type Logged = (SecretKind, [u8; 32], Vec<u8>);

struct Recorder(Mutex<Vec<Logged>>);

impl SecretLog for Recorder {
    fn log(&self, kind: SecretKind, client_random: &[u8; 32], secret: &[u8]) {
        self.0
            .lock()
            .unwrap()
            .push((kind, *client_random, secret.to_vec()));
    }
}

#[test]
fn master_secret_tls12_and_tls10() {
    for (hash, want) in [
        (HashAlgorithm::Sha256, MS_SHA256),
        (HashAlgorithm::Md5Sha1, MS_MD5SHA1),
    ] {
        let ms = MasterSecret::from_premaster(
            hash,
            &premaster(),
            &client_random(),
            &server_random(),
            None,
        )
        .unwrap();
        assert_eq!(hex::encode(ms.secret().as_bytes()), want, "{hash:?}");
    }
}

#[test]
fn master_secret_is_logged_under_client_random() {
    let recorder = Arc::new(Recorder(Mutex::new(Vec::new())));
    let logger = KeyLogger::new(recorder.clone(), client_random());
    MasterSecret::from_premaster(
        HashAlgorithm::Sha256,
        &premaster(),
        &client_random(),
        &server_random(),
        Some(&logger),
    )
    .unwrap();
    let logged = recorder.0.lock().unwrap();
    assert_eq!(logged.len(), 1);
    let (kind, random, secret) = &logged[0];
    assert_eq!(*kind, SecretKind::MasterSecret);
    assert_eq!(kind.nss_label(), "CLIENT_RANDOM");
    assert_eq!(*random, client_random());
    assert_eq!(hex::encode(secret), MS_SHA256);
}

#[test]
fn key_block_split_for_aes_128_cbc_sha() {
    // TLS_RSA_WITH_AES_128_CBC_SHA under TLS 1.0: MAC key 20, key 16,
    // IV 16 => 104 bytes of key block.
    let cases = [
        (
            HashAlgorithm::Sha256,
            MS_SHA256,
            "c9606d2853f157f95350c0af2800f065be99275c8258f81e7a59be34e0a44ee82942ae70cc0c0e7bc7caebb9cee6fb9294c519ca60bfc3eddf91f79ac9c0c347a01e5779c9318a1470fdf454146bc4cef2fb973faaaaeda0bad499f3f3637d8a1df7fd02b77ddb9b",
        ),
        (
            HashAlgorithm::Md5Sha1,
            MS_MD5SHA1,
            "356088073d6dc5f9fa4e870ec569616412ca7d6df3344a40c65956635896c49d3a73dfd82b47708190d9dc2e26d42eaef5e6c617f0963f9dfdbf6ae987fe4d9b45b6653fc889ff40f4ac43f71912ea309aaaaef5b137d6f2fb367776723afdad5ec6f91b3079ee4c",
        ),
    ];
    for (hash, ms, block) in cases {
        let block = hex::decode(block).unwrap();
        let ms = MasterSecret::from_bytes(hash, &hex::decode(ms).unwrap()).unwrap();
        let kb = ms
            .key_block(
                KeyBlockLengths {
                    mac_key_len: 20,
                    enc_key_len: 16,
                    fixed_iv_len: 16,
                },
                &client_random(),
                &server_random(),
            )
            .unwrap();
        assert_eq!(kb.client_write_mac_key.as_bytes(), &block[0..20]);
        assert_eq!(kb.server_write_mac_key.as_bytes(), &block[20..40]);
        assert_eq!(kb.client_write_key.as_bytes(), &block[40..56]);
        assert_eq!(kb.server_write_key.as_bytes(), &block[56..72]);
        assert_eq!(kb.client_write_iv.as_bytes(), &block[72..88]);
        assert_eq!(kb.server_write_iv.as_bytes(), &block[88..104]);
    }
}

#[test]
fn exporter_with_and_without_context() {
    let ms =
        MasterSecret::from_bytes(HashAlgorithm::Sha256, &hex::decode(MS_SHA256).unwrap()).unwrap();
    let cases: [(Option<&[u8]>, &str); 3] = [
        (None, "2a1a4038a5fdd3ee6c81a9f4d71586c6f4d85772"),
        (Some(b"ctx"), "79088acdd294a48749964d81e57c99c95daed1a5"),
        (Some(b""), "9a1d1d2827ef70ac6435c0dde612584335211e53"),
    ];
    for (context, want) in cases {
        let mut out = [0u8; 20];
        ms.export(
            b"EXPORTER-ferrotls",
            &client_random(),
            &server_random(),
            context,
            &mut out,
        )
        .unwrap();
        assert_eq!(hex::encode(out), want, "{context:?}");
    }
}

#[test]
fn extended_master_secret() {
    let cases = [
        (
            HashAlgorithm::Sha256,
            "5777dc45b34a55ef049a03eaf599ef1c1ba3d00964d49914bac9b5a62152b772ae4e5ce5ff7938a56cd660481db0157e",
        ),
        (
            HashAlgorithm::Md5Sha1,
            "f4ffe2bac524120b699ed63877083b3364ac07b7735da5b3dfe8f49b9750adf7a4f3fc61d15e2f3cffc027b6bb31fd15",
        ),
    ];
    for (hash, want) in cases {
        let ms =
            MasterSecret::from_premaster_extended(hash, &premaster(), &hash.hash(TRANSCRIPT), None)
                .unwrap();
        assert_eq!(hex::encode(ms.secret().as_bytes()), want, "{hash:?}");
    }
}

#[test]
fn finished_verify_data_tls12_and_tls10() {
    let cases = [
        (
            HashAlgorithm::Sha256,
            MS_SHA256,
            "c3b518881302e658c3d8cd70",
            "749f6c75bbee3cc59830c6d9",
        ),
        (
            HashAlgorithm::Md5Sha1,
            MS_MD5SHA1,
            "f4dfe3ddcbaea8ebfe3219b3",
            "96462ec9d9ac241f7ea52cf4",
        ),
    ];
    for (hash, ms, client, server) in cases {
        let ms = MasterSecret::from_bytes(hash, &hex::decode(ms).unwrap()).unwrap();
        let transcript = hash.hash(TRANSCRIPT);
        let got_client = ms.verify_data(Sender::Client, &transcript).unwrap();
        let got_server = ms.verify_data(Sender::Server, &transcript).unwrap();
        assert_eq!(hex::encode(got_client), client, "{hash:?}");
        assert_eq!(hex::encode(got_server), server, "{hash:?}");
        let server_bytes = hex::decode(server).unwrap();
        assert_eq!(
            ms.verify_finished(Sender::Server, &transcript, &server_bytes),
            Ok(())
        );
        let mut tampered = server_bytes.clone();
        tampered[11] ^= 1;
        assert!(ms
            .verify_finished(Sender::Server, &transcript, &tampered)
            .is_err());
    }
}
