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

use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::keyschedule::tls12::{KeyBlockLengths, MasterSecret, Sender};
use ferrotls::internal::keyschedule::{KeyLogger, SecretKind, SecretLog};
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

/// The expected values for one protocol family.
struct Expected {
    hash: HashAlgorithm,
    master_secret: &'static str,
    extended_master_secret: &'static str,
    /// 104 bytes: TLS_RSA_WITH_AES_128_CBC_SHA sizes (MAC key 20, key 16,
    /// IV 16, each twice).
    key_block: &'static str,
    client_finished: &'static str,
    server_finished: &'static str,
}

const TLS12_SHA256: Expected = Expected {
    hash: HashAlgorithm::Sha256,
    master_secret: "1fe68b5b0d42aa105dbf0b14772b33b9e9c9b0a30fb7ddf1404f5bf126c75b53277610e058de986cd2301fcc6ae6843f",
    extended_master_secret: "5777dc45b34a55ef049a03eaf599ef1c1ba3d00964d49914bac9b5a62152b772ae4e5ce5ff7938a56cd660481db0157e",
    key_block: "c9606d2853f157f95350c0af2800f065be99275c8258f81e7a59be34e0a44ee82942ae70cc0c0e7bc7caebb9cee6fb9294c519ca60bfc3eddf91f79ac9c0c347a01e5779c9318a1470fdf454146bc4cef2fb973faaaaeda0bad499f3f3637d8a1df7fd02b77ddb9b",
    client_finished: "c3b518881302e658c3d8cd70",
    server_finished: "749f6c75bbee3cc59830c6d9",
};

#[cfg(feature = "legacy")]
const TLS10_MD5_SHA1: Expected = Expected {
    hash: HashAlgorithm::Md5Sha1,
    master_secret: "6fac2e0d43a024092761c573483498ee7a120dfe6aa94befae7d89e69eb893eff9db5cc22b7fa3a424a2ef2af17010d1",
    extended_master_secret: "f4ffe2bac524120b699ed63877083b3364ac07b7735da5b3dfe8f49b9750adf7a4f3fc61d15e2f3cffc027b6bb31fd15",
    key_block: "356088073d6dc5f9fa4e870ec569616412ca7d6df3344a40c65956635896c49d3a73dfd82b47708190d9dc2e26d42eaef5e6c617f0963f9dfdbf6ae987fe4d9b45b6653fc889ff40f4ac43f71912ea309aaaaef5b137d6f2fb367776723afdad5ec6f91b3079ee4c",
    client_finished: "f4dfe3ddcbaea8ebfe3219b3",
    server_finished: "96462ec9d9ac241f7ea52cf4",
};

/// TLS 1.2 always; TLS 1.0/1.1 when MD5 is compiled in.
fn families() -> Vec<&'static Expected> {
    #[allow(unused_mut)]
    let mut all = vec![&TLS12_SHA256];
    #[cfg(feature = "legacy")]
    all.push(&TLS10_MD5_SHA1);
    all
}

fn master(e: &Expected) -> MasterSecret {
    MasterSecret::from_bytes(e.hash, &hex::decode(e.master_secret).unwrap()).unwrap()
}

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
fn master_secret_from_premaster() {
    for e in families() {
        let ms = MasterSecret::from_premaster(
            e.hash,
            &premaster(),
            &client_random(),
            &server_random(),
            None,
        )
        .unwrap();
        assert_eq!(
            hex::encode(ms.secret().as_bytes()),
            e.master_secret,
            "{:?}",
            e.hash
        );
    }
}

#[test]
fn extended_master_secret() {
    for e in families() {
        let ms = MasterSecret::from_premaster_extended(
            e.hash,
            &premaster(),
            &e.hash.hash(TRANSCRIPT),
            None,
        )
        .unwrap();
        assert_eq!(
            hex::encode(ms.secret().as_bytes()),
            e.extended_master_secret,
            "{:?}",
            e.hash
        );
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
    assert_eq!(hex::encode(secret), TLS12_SHA256.master_secret);
}

#[test]
fn key_block_split_for_aes_128_cbc_sha() {
    for e in families() {
        let block = hex::decode(e.key_block).unwrap();
        let kb = master(e)
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
fn finished_verify_data() {
    for e in families() {
        let ms = master(e);
        let transcript = e.hash.hash(TRANSCRIPT);
        let client = ms.verify_data(Sender::Client, &transcript).unwrap();
        let server = ms.verify_data(Sender::Server, &transcript).unwrap();
        assert_eq!(hex::encode(client), e.client_finished, "{:?}", e.hash);
        assert_eq!(hex::encode(server), e.server_finished, "{:?}", e.hash);
        let server_bytes = hex::decode(e.server_finished).unwrap();
        assert_eq!(
            ms.verify_finished(Sender::Server, &transcript, &server_bytes),
            Ok(server)
        );
        let mut tampered = server_bytes.clone();
        tampered[11] ^= 1;
        assert!(ms
            .verify_finished(Sender::Server, &transcript, &tampered)
            .is_err());
    }
}

#[test]
fn exporter_with_and_without_context() {
    let ms = master(&TLS12_SHA256);
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
