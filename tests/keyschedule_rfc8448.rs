//! The TLS 1.3 key schedule against the RFC 8448 example traces.
//!
//! Inputs come from `vectors/rfc8448/transcripts.vec`: the client's
//! randomness pool (which holds its ephemeral private keys), the handshake
//! records and messages. The test derives the (EC)DHE shared secret itself,
//! hashes the messages it splits out of the records, runs the key schedule
//! and compares with
//! - the intermediate values RFC 8448 prints (hard-coded below as RFC data,
//!   each with the section and step it is printed under), and
//! - the Finished messages and PSK binder contained in the trace itself,
//!   byte for byte.

mod common;

use common::rfc8448::{
    client_hello as client_hello_of, key_share, server_hello as server_hello_of, trace,
};
use ferrotls::{NamedGroup, SecureRandom};
use std::sync::{Arc, Mutex};

use ferrotls::internal::codec::{LengthPrefix, Reader};
use ferrotls::internal::crypto::hash::{Digest, HashAlgorithm, HashContext};
use ferrotls::internal::crypto::rng::FixedBytes;
use ferrotls::internal::keyschedule::tls13::{EarlySecret, PskKind, TrafficSecret};
use ferrotls::internal::keyschedule::{KeyLogger, SecretKind, SecretLog};

const SHA256: HashAlgorithm = HashAlgorithm::Sha256;
/// TLS_AES_128_GCM_SHA256 (the suite of every trace used here) has a
/// 16-byte key (RFC 5116 §5.1).
const AES_128_KEY_LEN: usize = 16;

fn unhex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(clean).unwrap()
}

/// The handshake payload of a plaintext handshake record (type 22).
fn record_payload(record: &[u8]) -> Vec<u8> {
    let mut r = Reader::new(record);
    assert_eq!(r.u8().unwrap(), 22, "not a handshake record");
    r.u16().unwrap();
    let payload = r.vector(LengthPrefix::U16).unwrap().to_vec();
    r.finish().unwrap();
    payload
}

/// The one handshake message a payload holds, checked against its header.
fn single_message(payload: &[u8]) -> Vec<u8> {
    let mut r = Reader::new(payload);
    r.u8().unwrap();
    r.vector(LengthPrefix::U24).unwrap();
    r.finish().unwrap();
    payload.to_vec()
}

fn x25519(private: &[u8], public: &[u8]) -> Vec<u8> {
    let private: [u8; 32] = private.try_into().unwrap();
    let public: [u8; 32] = public.try_into().unwrap();
    let secret = x25519_dalek::StaticSecret::from(private);
    secret
        .diffie_hellman(&x25519_dalek::PublicKey::from(public))
        .as_bytes()
        .to_vec()
}

fn x25519_public(private: &[u8]) -> Vec<u8> {
    let private: [u8; 32] = private.try_into().unwrap();
    x25519_dalek::PublicKey::from(&x25519_dalek::StaticSecret::from(private))
        .as_bytes()
        .to_vec()
}

/// Draws the client's random and first private key from its RNG pool, as
/// the client did.
fn draw(pool: &FixedBytes, n: usize) -> Vec<u8> {
    let mut out = vec![0u8; n];
    pool.fill(&mut out).unwrap();
    out
}

fn transcript(messages: &[&[u8]]) -> Digest {
    let mut ctx = HashContext::new(SHA256);
    for m in messages {
        ctx.update(m);
    }
    ctx.finish()
}

/// The Finished body (after the 4-byte header) of a Finished message.
fn finished_body(message: &[u8]) -> &[u8] {
    let mut r = Reader::new(message);
    assert_eq!(r.u8().unwrap(), 20, "not a Finished");
    let body = r.vector(LengthPrefix::U24).unwrap();
    r.finish().unwrap();
    body
}

fn hexs(secret: &ferrotls::internal::crypto::Secret) -> String {
    hex::encode(secret.as_bytes())
}

fn check_keys(secret: &TrafficSecret, key: &str, iv: &str) {
    let keys = secret.keys(AES_128_KEY_LEN).unwrap();
    assert_eq!(hexs(&keys.key), key);
    assert_eq!(hexs(&keys.iv), iv);
}

/// One logged secret: its kind, the client random and the bytes.
type Logged = (SecretKind, [u8; 32], Vec<u8>);

#[derive(Default)]
struct Recorder(Mutex<Vec<Logged>>);

impl SecretLog for Recorder {
    fn log(&self, kind: SecretKind, client_random: &[u8; 32], secret: &[u8]) {
        self.0
            .lock()
            .unwrap()
            .push((kind, *client_random, secret.to_vec()));
    }
}

impl Recorder {
    fn get(&self, kind: SecretKind) -> String {
        let logged = self.0.lock().unwrap();
        let found: Vec<_> = logged.iter().filter(|(k, _, _)| *k == kind).collect();
        assert_eq!(found.len(), 1, "{kind:?} logged once");
        hex::encode(&found[0].2)
    }
}

// RFC 8448 §3 values (each from the step named in the comment).
/// "{server} extract secret "early"": secret.
const S3_EARLY: &str = "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a";
/// "{server} extract secret "handshake"": IKM (the X25519 shared secret).
const S3_SHARED: &str = "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d";
/// "{server} extract secret "handshake"": secret.
const S3_HANDSHAKE: &str = "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac";
/// "{server} derive secret "tls13 c hs traffic"": hash and expanded.
const S3_HELLO_HASH: &str = "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8";
const S3_C_HS: &str = "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21";
/// "{server} derive secret "tls13 s hs traffic"": expanded.
const S3_S_HS: &str = "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";
/// "{server} extract secret "master"": secret.
const S3_MASTER: &str = "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919";
/// "{server} derive secret "tls13 c ap traffic"": hash and expanded.
const S3_SERVER_FINISHED_HASH: &str =
    "9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13";
const S3_C_AP: &str = "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5";
/// "{server} derive secret "tls13 s ap traffic"": expanded.
const S3_S_AP: &str = "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643";
/// "{server} derive secret "tls13 exp master"": expanded.
const S3_EXP: &str = "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50";
/// "{client} derive secret "tls13 res master"": hash and expanded.
const S3_CLIENT_FINISHED_HASH: &str =
    "209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d";
const S3_RES: &str = "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c";
/// "{client} calculate finished "tls13 finished"": finished.
const S3_CLIENT_FINISHED: &str = "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61";
/// "{server} generate resumption secret "tls13 resumption"": the ticket
/// nonce of the NewSessionTicket (00 00) and the expanded PSK.
const S3_TICKET_NONCE: [u8; 2] = [0, 0];
const S3_TICKET_PSK: &str = "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3";

#[test]
fn rfc8448_section3_simple_1rtt() {
    let t = trace("Simple_1RTT_Handshake");
    let pool = FixedBytes::new(&t["Client_RNG_Pool"]);
    let client_random = draw(&pool, 32);
    let client_private = draw(&pool, 32);

    let client_hello = single_message(&record_payload(&t["Record_ClientHello_1"]));
    let server_hello = single_message(&record_payload(&t["Record_ServerHello"]));
    assert_eq!(server_hello, t["Message_ServerHello"]);
    let ch = client_hello_of(&client_hello);
    let sh = server_hello_of(&server_hello);
    assert_eq!(
        key_share(ch.extensions(), NamedGroup::X25519),
        x25519_public(&client_private)
    );
    let shared = x25519(
        &client_private,
        &key_share(sh.extensions(), NamedGroup::X25519),
    );
    assert_eq!(hex::encode(&shared), S3_SHARED);

    let recorder = Arc::new(Recorder::default());
    let logger = KeyLogger::new(recorder.clone(), client_random.clone().try_into().unwrap());
    let early = EarlySecret::new(SHA256, None, Some(logger)).unwrap();
    assert_eq!(hexs(early.secret()), S3_EARLY);

    let handshake = early.into_handshake(Some(&shared)).unwrap();
    assert_eq!(hexs(handshake.secret()), S3_HANDSHAKE);
    let hello_hash = transcript(&[&client_hello, &server_hello]);
    assert_eq!(hex::encode(hello_hash), S3_HELLO_HASH);
    let c_hs = handshake
        .client_handshake_traffic_secret(&hello_hash)
        .unwrap();
    let s_hs = handshake
        .server_handshake_traffic_secret(&hello_hash)
        .unwrap();
    assert_eq!(hexs(c_hs.secret()), S3_C_HS);
    assert_eq!(hexs(s_hs.secret()), S3_S_HS);
    // "{server} derive write traffic keys for handshake data" and
    // "{server} derive read traffic keys for handshake data".
    check_keys(
        &s_hs,
        "3fce516009c21727d0f2e4e86ee403bc",
        "5d313eb2671276ee13000b30",
    );
    check_keys(
        &c_hs,
        "dbfaa693d1762c5b666af5d950258d01",
        "5bd3c71b836e0b76bb73265f",
    );

    // The server Finished of the trace, byte for byte.
    let server_flight: Vec<&[u8]> = vec![
        &client_hello,
        &server_hello,
        &t["Message_EncryptedExtensions"],
        &t["Message_Server_Certificate"],
        &t["Message_Server_CertificateVerify"],
    ];
    let before_server_finished = transcript(&server_flight);
    let server_finished_key = s_hs.finished_key().unwrap();
    let expected = finished_body(&t["Message_Server_Finished"]);
    assert_eq!(
        server_finished_key
            .verify_data(&before_server_finished)
            .unwrap()
            .as_bytes(),
        expected
    );
    assert_eq!(
        server_finished_key.verify(&before_server_finished, expected),
        Ok(())
    );

    let master = handshake.into_master().unwrap();
    assert_eq!(hexs(master.secret()), S3_MASTER);
    let mut through_server_finished = server_flight.clone();
    through_server_finished.push(&t["Message_Server_Finished"]);
    let sf_hash = transcript(&through_server_finished);
    assert_eq!(hex::encode(sf_hash), S3_SERVER_FINISHED_HASH);

    // "{client} calculate finished "tls13 finished"".
    let client_finished = c_hs.finished_key().unwrap().verify_data(&sf_hash).unwrap();
    assert_eq!(hex::encode(client_finished.as_bytes()), S3_CLIENT_FINISHED);

    let app = master.into_application(&sf_hash).unwrap();
    assert_eq!(hexs(app.client.secret()), S3_C_AP);
    assert_eq!(hexs(app.server.secret()), S3_S_AP);
    assert_eq!(hexs(app.exporter.secret()), S3_EXP);
    // "{server} derive write traffic keys for application data" and
    // "{client} derive write traffic keys for application data".
    check_keys(
        &app.server,
        "9f02283b6c9c07efc26bb9f2ac92e356",
        "cf782b88dd83549aadf1e984",
    );
    check_keys(
        &app.client,
        "17422dda596ed5d9acd890e3c63f5051",
        "5b78923dee08579033e523d9",
    );

    let mut client_finished_msg = vec![20, 0, 0, 32];
    client_finished_msg.extend_from_slice(client_finished.as_bytes());
    through_server_finished.push(&client_finished_msg);
    let cf_hash = transcript(&through_server_finished);
    assert_eq!(hex::encode(cf_hash), S3_CLIENT_FINISHED_HASH);
    let resumption = app.resumption.resumption_master_secret(&cf_hash).unwrap();
    assert_eq!(hexs(resumption.secret()), S3_RES);
    let psk = resumption.ticket_psk(&S3_TICKET_NONCE).unwrap();
    assert_eq!(hexs(&psk), S3_TICKET_PSK);
    // The client's saved session (trace) carries the same PSK.
    assert!(t["Client_SessionData"]
        .windows(32)
        .any(|w| w == psk.as_bytes()));

    // Every secret reached the key log, under the trace's client random.
    assert_eq!(recorder.get(SecretKind::ClientHandshakeTraffic), S3_C_HS);
    assert_eq!(recorder.get(SecretKind::ServerHandshakeTraffic), S3_S_HS);
    assert_eq!(recorder.get(SecretKind::ClientApplicationTraffic0), S3_C_AP);
    assert_eq!(recorder.get(SecretKind::ServerApplicationTraffic0), S3_S_AP);
    assert_eq!(recorder.get(SecretKind::Exporter), S3_EXP);
    assert!(recorder
        .0
        .lock()
        .unwrap()
        .iter()
        .all(|(_, random, _)| random[..] == client_random[..]));
}

// RFC 8448 §4 values.
/// "{client} extract secret "early"" (IKM = the §3 ticket PSK): secret.
const S4_EARLY: &str = "9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c";
/// "{client} calculate PSK binder": binder hash, PRK (the binder key) and
/// finished (the binder).
const S4_BINDER_HASH: &str = "63224b2e4573f2d3454ca84b9d009a04f6be9e05711a8396473aefa01e924a14";
const S4_BINDER_KEY: &str = "69fe131a3bbad5d63c64eebcc30e395b9d8107726a13d074e389dbc8a4e47256";
const S4_BINDER: &str = "3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d";
/// "{client} derive secret "tls13 c e traffic"": hash and expanded.
const S4_CH_HASH: &str = "08ad0fa05d7c7233b1775ba2ff9f4c5b8b59276b7f227f13a976245f5d960913";
const S4_C_E: &str = "3fbbe6a60deb66c30a32795aba0eff7eaa10105586e7be5c09678d63b6caab62";

#[test]
fn rfc8448_section4_resumed_0rtt() {
    let t = trace("Resumed_0RTT_Handshake");
    let psk = unhex(S3_TICKET_PSK);
    let early = EarlySecret::new(SHA256, Some(&psk), None).unwrap();
    assert_eq!(hexs(early.secret()), S4_EARLY);

    let client_hello = single_message(&record_payload(&t["Record_ClientHello_1"]));
    let ch = client_hello_of(&client_hello);
    let truncated = ch.truncated_for_binders(&client_hello).unwrap();
    let binders = &ch.psk_offer().unwrap().binders;
    assert_eq!(
        truncated.len(),
        477,
        "RFC 8448 §4: ClientHello prefix (477 octets)"
    );
    let binder_hash = transcript(&[truncated]);
    assert_eq!(hex::encode(binder_hash), S4_BINDER_HASH);

    let binder_key = early.binder_key(PskKind::Resumption).unwrap();
    assert_eq!(hexs(binder_key.secret()), S4_BINDER_KEY);
    let binder = binder_key.binder(&binder_hash).unwrap();
    assert_eq!(hex::encode(binder.as_bytes()), S4_BINDER);
    // The binder in the trace's ClientHello, byte for byte, and verified.
    assert_eq!(binders.len(), 1);
    assert_eq!(&*binders[0], binder.as_bytes());
    assert_eq!(binder_key.verify(&binder_hash, &binders[0]), Ok(()));
    assert!(binder_key
        .verify(&transcript(&[&client_hello]), &binders[0])
        .is_err());
    // An external PSK would have a different binder key.
    assert_ne!(
        early.binder_key(PskKind::External).unwrap().secret(),
        binder_key.secret()
    );

    let ch_hash = transcript(&[&client_hello]);
    assert_eq!(hex::encode(ch_hash), S4_CH_HASH);
    let c_e = early.client_early_traffic_secret(&ch_hash).unwrap();
    assert_eq!(hexs(c_e.secret()), S4_C_E);

    // Carry on with the trace's X25519 exchange to its server Finished.
    let pool = FixedBytes::new(&t["Client_RNG_Pool"]);
    draw(&pool, 32);
    let client_private = draw(&pool, 32);
    assert_eq!(
        key_share(ch.extensions(), NamedGroup::X25519),
        x25519_public(&client_private)
    );
    let server_hello = t["Message_ServerHello"].clone();
    let sh = server_hello_of(&server_hello);
    let shared = x25519(
        &client_private,
        &key_share(sh.extensions(), NamedGroup::X25519),
    );
    let handshake = early.into_handshake(Some(&shared)).unwrap();
    let hello_hash = transcript(&[&client_hello, &server_hello]);
    let s_hs = handshake
        .server_handshake_traffic_secret(&hello_hash)
        .unwrap();
    // "{server} derive write traffic keys for handshake data".
    check_keys(
        &s_hs,
        "27c6bdc0a3dcea39a47326d79bc9e4ee",
        "9569ecdd4d0536705e9ef725",
    );
    // The trace file's `Message_EncryptedExtensions` for this section is 40
    // bytes (no server_name), while RFC 8448 §4 prints a 44-byte
    // EncryptedExtensions with an empty server_name; its
    // `Message_Server_Finished` is the RFC's, which only matches the RFC's
    // EncryptedExtensions. So the RFC's message is used here ("{server}
    // construct an EncryptedExtensions handshake message").
    let encrypted_extensions = unhex(
        "080000280026000a00140012001d00170018001901000101010201030104001c\
         0002400100000000002a0000",
    );
    let before_finished = transcript(&[&client_hello, &server_hello, &encrypted_extensions]);
    assert_eq!(
        s_hs.finished_key()
            .unwrap()
            .verify_data(&before_finished)
            .unwrap()
            .as_bytes(),
        finished_body(&t["Message_Server_Finished"])
    );
}

/// Needs the P-256 arithmetic of the `p256` crate (feature `legacy`) to
/// compute the trace's secp256r1 shared secret.
#[cfg(feature = "legacy")]
#[test]
fn rfc8448_section5_hello_retry_request() {
    use ferrotls::internal::keyschedule::tls13::message_hash;
    use p256::elliptic_curve::point::AffineCoordinates;

    let t = trace("HelloRetryRequest_Handshake");
    let client_hello1 = single_message(&record_payload(&t["Record_ClientHello_1"]));
    let hrr = single_message(&record_payload(&t["Record_HelloRetryRequest"]));
    let client_hello2 = single_message(&record_payload(&t["Record_ClientHello_2"]));
    let server_hello = single_message(&record_payload(&t["Record_ServerHello"]));
    assert_eq!(server_hello, t["Message_ServerHello"]);

    // The client drew its random, an X25519 key for ClientHello1, then a
    // P-256 key for ClientHello2 (group 0x0017, which the HRR asked for).
    let pool = FixedBytes::new(&t["Client_RNG_Pool"]);
    draw(&pool, 32);
    let x25519_private = draw(&pool, 32);
    let p256_private = draw(&pool, 32);
    let ch1 = client_hello_of(&client_hello1);
    assert_eq!(
        key_share(ch1.extensions(), NamedGroup::X25519),
        x25519_public(&x25519_private)
    );
    let secret = p256::SecretKey::from_slice(&p256_private).unwrap();
    let ch2 = client_hello_of(&client_hello2);
    assert_eq!(
        &secret.public_key().to_sec1_bytes()[..],
        &key_share(ch2.extensions(), NamedGroup::secp256r1)[..]
    );
    let sh = server_hello_of(&server_hello);
    let server_public =
        p256::PublicKey::from_sec1_bytes(&key_share(sh.extensions(), NamedGroup::secp256r1))
            .unwrap();
    let shared_point = (server_public.to_projective() * *secret.to_nonzero_scalar()).to_affine();
    let shared = shared_point.x().to_vec();

    // RFC 8446 §4.4.1: ClientHello1 is replaced by message_hash.
    let synthetic = message_hash(&transcript(&[&client_hello1]));
    assert_eq!(&synthetic[..4], &[254, 0, 0, 32]);
    let hello_hash = transcript(&[&synthetic, &hrr, &client_hello2, &server_hello]);

    let early = EarlySecret::new(SHA256, None, None).unwrap();
    let handshake = early.into_handshake(Some(&shared)).unwrap();
    let s_hs = handshake
        .server_handshake_traffic_secret(&hello_hash)
        .unwrap();
    let before_finished = transcript(&[
        &synthetic,
        &hrr,
        &client_hello2,
        &server_hello,
        &t["Message_EncryptedExtensions"],
        &t["Message_Server_Certificate"],
        &t["Message_Server_CertificateVerify"],
    ]);
    let expected = finished_body(&t["Message_Server_Finished"]);
    let finished_key = s_hs.finished_key().unwrap();
    assert_eq!(
        finished_key
            .verify_data(&before_finished)
            .unwrap()
            .as_bytes(),
        expected
    );
    assert_eq!(finished_key.verify(&before_finished, expected), Ok(()));

    // Without the message_hash replacement the Finished does not verify.
    let naive = transcript(&[
        &client_hello1,
        &hrr,
        &client_hello2,
        &server_hello,
        &t["Message_EncryptedExtensions"],
        &t["Message_Server_Certificate"],
        &t["Message_Server_CertificateVerify"],
    ]);
    assert!(finished_key.verify(&naive, expected).is_err());
}
