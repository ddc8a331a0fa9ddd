//! Fuzzing mode (`cfg(fuzzing)`, docs/fuzzing.md) is not compiled into a
//! normal build: every check it disables still fails on forged input here.

mod common;

use ferrotls::internal::error::DecryptErrorReason;
use std::sync::Arc;

use common::*;
use ferrotls::internal::crypto::aead::{AeadAlgorithm, AeadKey, TAG_LEN};
use ferrotls::{
    certificates_from_pem, AlertDescription, ClientCertVerifier, Clock, Error, OsRng, RootStore,
    SecureRandom, ServerCertVerifier, SystemClock, WebPkiClientVerifier, WebPkiServerVerifier,
};

const FINISHED: u8 = 20;

/// A TLS 1.3 client Finished replaced by zeros (what a fuzzer would
/// send) is refused with decrypt_error, RFC 8446 §4.4.4.
#[test]
fn a_forged_finished_still_fails() {
    let secrets = Arc::new(CapturedSecrets::default());
    let client = logged_aes128_client("p256", &secrets).build().unwrap();
    let server = server_builder("p256").build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    transfer(&mut s, &mut c).1.unwrap();
    let secret = secrets.get("CLIENT_HANDSHAKE_TRAFFIC_SECRET");
    let err = transfer_altered(&mut c, &mut s, |flight| {
        edit_encrypted_flight(flight, &secret, |messages| {
            let finished = messages.iter_mut().find(|m| m[0] == FINISHED).unwrap();
            finished[4..].fill(0);
        })
    })
    .1
    .unwrap_err();
    assert!(matches!(
        err,
        Error::DecryptError(DecryptErrorReason::FinishedMismatch)
    ));
    assert_eq!(
        transfer(&mut s, &mut c).1,
        Err(Error::AlertReceived(AlertDescription::DecryptError))
    );
}

/// An application-data record in fuzzing mode's pass-through form
/// (plaintext, inner content type, a zero tag) is refused with
/// bad_record_mac by a connected server, RFC 8446 §5.2.
#[test]
fn a_pass_through_record_is_refused() {
    let client = client_builder("ed25519").build().unwrap();
    let server = server_builder("ed25519").build().unwrap();
    let (_c, mut s) = handshaken(client, server, server_name("ed25519"));
    let mut record = vec![23, 3, 3, 0, 0];
    record.extend_from_slice(b"hello");
    record.push(23);
    record.extend_from_slice(&[0; TAG_LEN]);
    let len = (record.len() - 5) as u16;
    record[3..5].copy_from_slice(&len.to_be_bytes());
    let mut input = record.as_slice();
    s.read_tls(&mut input).unwrap();
    assert_eq!(s.process_new_packets().unwrap_err(), Error::BadRecordMac);
}

/// A normal AEAD encrypts and produces a real tag; a zero tag does not
/// open.
#[test]
fn aead_is_not_a_pass_through() {
    let key = AeadKey::new(AeadAlgorithm::ChaCha20Poly1305, &[7; 32]).unwrap();
    let mut data = *b"plaintext";
    let tag = key.seal_in_place([1; 12], b"", &mut data).unwrap();
    assert_ne!(&data, b"plaintext");
    assert_ne!(tag, [0; TAG_LEN]);
    let mut forged = b"plaintext".to_vec();
    forged.extend_from_slice(&[0; TAG_LEN]);
    assert_eq!(
        key.open_in_place([1; 12], b"", &mut forged).unwrap_err(),
        Error::BadRecordMac
    );
}

/// The built-in verifiers still validate: a leaf whose chain reaches no
/// trusted root is refused.
#[test]
fn certificate_checks_are_not_skipped() {
    let chain = certificates_from_pem(&read_vector("p256-chain.pem")).unwrap();
    let intermediates: Vec<&[u8]> = chain[1..].iter().map(Vec::as_slice).collect();
    let verifier = WebPkiServerVerifier::new(Arc::new(RootStore::new()));
    assert!(verifier
        .verify_server_cert(&chain[0], &intermediates, &server_name("p256"), NOW)
        .is_err());
    let verifier = WebPkiClientVerifier::new(Arc::new(RootStore::new()));
    assert!(verifier
        .verify_client_cert(&chain[0], &intermediates, NOW)
        .is_err());
}

/// Randomness and time come from the system, not fuzzing mode's fixed
/// byte and fixed 2030-01-01.
#[test]
fn randomness_and_time_are_not_fixed() {
    let mut bytes = [0u8; 64];
    OsRng::new().fill(&mut bytes).unwrap();
    let mut again = [0u8; 64];
    OsRng::new().fill(&mut again).unwrap();
    assert_ne!(bytes, again);
    let now = SystemClock.now();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert!(SystemClock.now() > now);
}
