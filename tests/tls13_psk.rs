//! TLS 1.3 PSK identities in memory (RFC 8446 §2.2, §4.2.11): the server
//! walks the offered identities and takes the first it can use, checks
//! only that identity's binder, and accepts external PSKs in psk_dhe_ke
//! and psk_ke modes without sending a certificate.

mod common;

use ferrotls::internal::crypto::hash::Digest;
use ferrotls::internal::error::{
    DecryptErrorReason, IllegalParameterReason, MissingExtensionReason,
};
use ferrotls::internal::keyschedule::tls13::{EarlySecret, PskKind};
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::HandshakeMessage;
use ferrotls::internal::msgs::psk::PskIdentity;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use common::sections::hex_sections;
use common::*;
use ferrotls::internal::msgs::enums::PskKeyExchangeMode;
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, ClientConfigBuilder, ClientConnection, Error,
    ExternalPsk, ExternalPsks, HashAlgorithm, ManualClock, NamedGroup, ProtocolVersion,
    ServerConfig, ServerConfigBuilder, ServerConnection, UnixTime, MAX_PSK_IDENTITIES_CONSIDERED,
    TLS13_CIPHER_SUITES,
};

const IDENTITY: &[u8] = b"Client_identity";
const KEY: [u8; 32] = [0x5a; 32];

fn psk() -> ExternalPsk {
    ExternalPsk::new(IDENTITY, &KEY, HashAlgorithm::Sha256).unwrap()
}

fn with_psk(builder: ServerConfigBuilder) -> ServerConfigBuilder {
    let mut psks = ExternalPsks::new();
    psks.insert(psk());
    builder.external_psks(Arc::new(psks))
}

fn client_with_psk(builder: ClientConfigBuilder) -> Arc<ClientConfig> {
    builder.external_psk(psk()).build().unwrap()
}

/// Completes a handshake and delivers the tickets sent after it.
fn connect(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
) -> (ferrotls::ClientConnection, ferrotls::ServerConnection) {
    let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    send_and_check(&mut c, &mut s, b"ping");
    send_and_check(&mut s, &mut c, b"pong");
    (c, s)
}

#[test]
fn external_psk_with_key_exchange_sends_no_certificate() {
    let client = client_with_psk(client_builder("p256"));
    let server = with_psk(server_builder("p256")).build().unwrap();
    let (c, s) = connect(&client, &server);
    assert_eq!(c.external_psk_identity(), Some(IDENTITY));
    assert_eq!(s.external_psk_identity(), Some(IDENTITY));
    assert!(c.peer_certificates().is_empty());
    assert!(c.negotiated_group().is_some());
    assert!(!c.is_resumed() && !s.is_resumed());
    assert_eq!(s.session_id().len(), 32);
}

#[test]
fn external_psk_without_key_exchange() {
    let modes = [PskKeyExchangeMode::PskKe];
    let client = client_with_psk(client_builder("p256").psk_modes(&modes));
    let server = with_psk(server_builder("p256").psk_modes(&modes))
        .build()
        .unwrap();
    let (c, s) = connect(&client, &server);
    assert_eq!(s.external_psk_identity(), Some(IDENTITY));
    assert!(c.negotiated_group().is_none() && s.negotiated_group().is_none());
    assert!(c.peer_certificates().is_empty());
}

#[test]
fn external_psk_after_a_hello_retry_request() {
    // The client's first share is P-384; the server takes X25519 only.
    let client = client_with_psk(
        client_builder("p256").groups(&[NamedGroup::secp384r1, NamedGroup::X25519]),
    );
    let server = with_psk(server_builder("p256").groups(&[NamedGroup::X25519]))
        .build()
        .unwrap();
    let (c, s) = connect(&client, &server);
    assert_eq!(c.negotiated_group(), Some(NamedGroup::X25519));
    assert_eq!(c.external_psk_identity(), Some(IDENTITY));
    assert_eq!(s.external_psk_identity(), Some(IDENTITY));
    assert!(c.peer_certificates().is_empty());
}

#[test]
fn unknown_external_psk_means_a_certificate_handshake() {
    let client = client_with_psk(client_builder("p256"));
    let server = server_builder("p256").build().unwrap();
    let (c, s) = connect(&client, &server);
    assert_eq!(c.external_psk_identity(), None);
    assert_eq!(s.external_psk_identity(), None);
    assert_eq!(c.peer_certificates().len(), 2);
}

#[test]
fn an_external_psk_session_resumes_by_ticket_and_keeps_its_server_id() {
    let client = client_with_psk(client_builder("p256"));
    let server = with_psk(server_builder("p256")).build().unwrap();
    let (_, s1) = connect(&client, &server);
    // The ticket is offered first and taken; the external PSK is second.
    let (c2, s2) = connect(&client, &server);
    assert!(c2.is_resumed() && s2.is_resumed());
    assert_eq!(s2.external_psk_identity(), None);
    assert_eq!(s2.session_id(), s1.session_id());
}

#[test]
fn server_picks_the_second_identity_when_the_first_is_an_unknown_ticket() {
    let client = client_with_psk(client_builder("p256"));
    // A ticket from another server (another ticketer) is in the store.
    connect(&client, &server_builder("p256").build().unwrap());
    let server = with_psk(server_builder("p256")).build().unwrap();
    let (c, s) = connect(&client, &server);
    assert_eq!(c.external_psk_identity(), Some(IDENTITY));
    assert_eq!(s.external_psk_identity(), Some(IDENTITY));
    assert!(!s.resumption_requested() && !c.is_resumed());
}

#[test]
fn server_picks_the_second_identity_when_the_first_is_an_expired_ticket() {
    let server_clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let client = client_with_psk(client_builder("p256"));
    let server = with_psk(server_builder("p256"))
        .clock(server_clock.clone())
        .ticket_lifetime(10)
        .build()
        .unwrap();
    connect(&client, &server);
    server_clock.advance(Duration::from_secs(11));
    let (c, s) = connect(&client, &server);
    assert_eq!(s.external_psk_identity(), Some(IDENTITY));
    assert!(s.resumption_requested() && !s.is_resumed() && !c.is_resumed());
}

#[test]
fn bad_binder_on_the_chosen_identity_is_decrypt_error() {
    let client = client_with_psk(client_builder("p256"));
    let server = with_psk(server_builder("p256")).build().unwrap();
    let (err, alert) = refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Server,
        1,
        |b| {
            // The external PSK's binder ends the ClientHello record.
            let last = b.len() - 1;
            b[last] ^= 1;
        },
    );
    assert!(
        matches!(err, Error::DecryptError(DecryptErrorReason::BinderMismatch)),
        "{err:?}"
    );
    assert_eq!(alert, Some(AlertDescription::DecryptError.into()));
}

#[test]
fn the_binder_of_an_identity_not_chosen_is_not_checked() {
    let client = client_with_psk(client_builder("p256"));
    connect(&client, &server_builder("p256").build().unwrap());
    let server = with_psk(server_builder("p256")).build().unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let (_, result) = transfer_altered(&mut c, &mut s, |b| {
        // The ticket's binder ends 33 bytes before the record: the
        // external PSK's entry (length byte and 32 bytes) follows it.
        let last_of_ticket_binder = b.len() - 1 - 33;
        b[last_of_ticket_binder] ^= 1;
    });
    result.unwrap();
    assert!(s.wants_write(), "the server answers the ClientHello");
    assert_eq!(s.external_psk_identity(), Some(IDENTITY));
}

/// Drops the last PSK binder of the ClientHello that is the only message
/// of `record`, fixing every length around it, so that the offer has one
/// binder fewer than identities.
fn drop_last_binder(record: &mut Vec<u8>, binder_len: usize) {
    let cut = 1 + binder_len;
    let sub = |bytes: &mut [u8], at: usize, width: usize| {
        let mut value = bytes[at..at + width]
            .iter()
            .fold(0usize, |v, b| v << 8 | usize::from(*b));
        value -= cut;
        for i in (0..width).rev() {
            bytes[at + i] = value as u8;
            value >>= 8;
        }
    };
    // Record header (5), handshake header (4), then the ClientHello body.
    sub(record, 3, 2);
    sub(record, 6, 3);
    let mut at = 9 + 2 + 32;
    at += 1 + usize::from(record[at]);
    at += 2 + (usize::from(record[at]) << 8 | usize::from(record[at + 1]));
    at += 1 + usize::from(record[at]);
    sub(record, at, 2);
    at += 2;
    // pre_shared_key (41) is the last extension (RFC 8446 §4.2.11).
    loop {
        let typ = u16::from(record[at]) << 8 | u16::from(record[at + 1]);
        let len = usize::from(record[at + 2]) << 8 | usize::from(record[at + 3]);
        if typ == 41 {
            sub(record, at + 2, 2);
            let identities = usize::from(record[at + 4]) << 8 | usize::from(record[at + 5]);
            sub(record, at + 4 + 2 + identities, 2);
            break;
        }
        at += 4 + len;
    }
    record.truncate(record.len() - cut);
}

#[test]
fn fewer_binders_than_identities_is_illegal_parameter() {
    let client = client_with_psk(client_builder("p256"));
    connect(&client, &server_builder("p256").build().unwrap());
    let server = with_psk(server_builder("p256")).build().unwrap();
    let (err, alert) = refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Server,
        1,
        |b| drop_last_binder(b, 32),
    );
    assert!(
        matches!(
            err,
            Error::IllegalParameter(IllegalParameterReason::BinderCount)
        ),
        "{err:?}"
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

/// A SHA-384 external PSK on a server that prefers
/// TLS_AES_128_GCM_SHA256, with a client offering `suites`.
fn sha384_psk_handshake(
    suites: &[CipherSuite],
) -> (ferrotls::ClientConnection, ferrotls::ServerConnection) {
    let sha384 = || ExternalPsk::new(IDENTITY, &KEY, HashAlgorithm::Sha384).unwrap();
    let client = client_builder("p256")
        .cipher_suites(suites)
        .external_psk(sha384())
        .build()
        .unwrap();
    let mut psks = ExternalPsks::new();
    psks.insert(sha384());
    let server = server_builder("p256")
        .external_psks(Arc::new(psks))
        .build()
        .unwrap();
    connect(&client, &server)
}

#[test]
fn the_server_takes_the_suite_of_an_offered_external_psk_over_its_preference() {
    let (c, s) = sha384_psk_handshake(TLS13_CIPHER_SUITES);
    // RFC 8446 §4.2.11: the PSK goes only with a suite of its hash.
    assert_eq!(s.external_psk_identity(), Some(IDENTITY));
    assert_eq!(s.cipher_suite(), Some(CipherSuite::TLS_AES_256_GCM_SHA384));
    assert!(c.peer_certificates().is_empty());
}

#[test]
fn a_psk_of_another_hash_than_every_offered_suite_is_not_used() {
    let (c, s) = sha384_psk_handshake(&[CipherSuite::TLS_AES_128_GCM_SHA256]);
    assert_eq!(s.external_psk_identity(), None);
    assert_eq!(s.cipher_suite(), Some(CipherSuite::TLS_AES_128_GCM_SHA256));
    assert_eq!(c.peer_certificates().len(), 2);
}

/// The first flight of our client offering only the external PSK, edited
/// to offer `unknown` identities the server does not know before it,
/// with the PSK's binder computed anew over the edited ClientHello (RFC
/// 8446 §4.2.11.2) and placeholders for the others.
fn hello_with_unknown_identities_first(unknown: usize) -> Vec<u8> {
    let client = client_with_psk(client_builder("p256").session_store(None));
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut bytes).unwrap();
    }
    let mut hello = common::rfc8448::client_hello(&records(&bytes)[0][5..]);
    let Some(Extension::PreSharedKeyOffer(offer)) =
        hello.extensions.as_mut().and_then(|e| e.last_mut())
    else {
        panic!("pre_shared_key is not last");
    };
    let ours = offer.identities[0].clone();
    offer.identities = (0..unknown)
        .map(|i| PskIdentity {
            identity: format!("unknown-{i}").into_bytes(),
            obfuscated_ticket_age: 0,
        })
        .chain([ours])
        .collect();
    offer.binders = vec![[0; 32].into(); unknown + 1];
    let binders_len = offer.binders_len();
    let mut message = HandshakeMessage::ClientHello(hello).to_bytes().unwrap();
    let truncated = HashAlgorithm::Sha256.hash(&message[..message.len() - binders_len]);
    let binder = EarlySecret::new(HashAlgorithm::Sha256, Some(&KEY), None)
        .unwrap()
        .binder_key(PskKind::External)
        .unwrap()
        .binder(&truncated)
        .unwrap();
    let end = message.len();
    message[end - 32..].copy_from_slice(binder.as_bytes());
    handshake_record(&message)
}

/// What the server made of `record`: the external PSK's identity if it
/// took it.
fn server_takes(record: &[u8]) -> Option<Vec<u8>> {
    let server = with_psk(server_builder("p256")).build().unwrap();
    let mut s = ServerConnection::new(server);
    s.read_tls(&mut &record[..]).unwrap();
    s.process_new_packets().unwrap();
    assert!(s.wants_write(), "the server answers");
    s.external_psk_identity().map(<[u8]>::to_vec)
}

#[test]
fn the_last_identity_within_the_bound_is_used_and_later_ones_are_ignored() {
    let last_considered = MAX_PSK_IDENTITIES_CONSIDERED - 1;
    assert_eq!(
        server_takes(&hello_with_unknown_identities_first(last_considered)),
        Some(IDENTITY.to_vec())
    );
    // One more unknown identity first: ours is past the bound, and the
    // handshake goes on without a PSK.
    assert_eq!(
        server_takes(&hello_with_unknown_identities_first(
            MAX_PSK_IDENTITIES_CONSIDERED
        )),
        None
    );
}

// ---- imported PSKs (RFC 9258) ----

/// A TLS 1.3 hash by its RFC 9258 KDF identifier, as the vector file
/// writes it.
fn kdf_hash(id: &[u8]) -> HashAlgorithm {
    match id {
        [1] => HashAlgorithm::Sha256,
        [2] => HashAlgorithm::Sha384,
        other => panic!("KDF identifier {other:?}"),
    }
}

/// The known answers of `vectors/psk-importer/vectors.txt` (computed by
/// its `make.py` from RFC 9258 §5.1 without ferrotls), each with the
/// import ferrotls makes of its external PSK.
fn importer_vectors() -> Vec<(String, BTreeMap<String, Vec<u8>>, ExternalPsk)> {
    hex_sections("psk-importer/vectors.txt")
        .into_iter()
        .map(|(name, v)| {
            let psk = ExternalPsk::import(
                &v["external_identity"],
                &v["epsk"],
                &v["context"],
                kdf_hash(&v["epsk_hash"]),
                kdf_hash(&v["target_hash"]),
            )
            .unwrap();
            (name, v, psk)
        })
        .collect()
}

/// The binder over `transcript` of a vector's imported key, under "imp
/// binder" (RFC 9258 §5.2) in the vector's target hash.
fn imported_binder(v: &BTreeMap<String, Vec<u8>>, transcript: &Digest) -> Vec<u8> {
    EarlySecret::new(kdf_hash(&v["target_hash"]), Some(&v["ipskx"]), None)
        .unwrap()
        .binder_key(PskKind::Imported)
        .unwrap()
        .binder(transcript)
        .unwrap()
        .as_bytes()
        .to_vec()
}

#[test]
fn rfc9258_5_1_imported_identity_and_binder_label_match_known_answers() {
    let vectors = importer_vectors();
    assert_eq!(vectors.len(), 4);
    for (name, v, psk) in vectors {
        let target = kdf_hash(&v["target_hash"]);
        assert_eq!(psk.identity(), &v["imported_identity"][..], "{name}");
        assert_eq!(psk.hash(), target, "{name}");
        // RFC 9258 §5.2: binders of an imported PSK take "imp binder".
        let transcript = target.hash(b"truncated ClientHello");
        assert_eq!(transcript.as_bytes(), &v["transcript_hash"][..]);
        let binder = imported_binder(&v, &transcript);
        assert_eq!(binder, v["binder"], "{name}");
    }
}

#[test]
fn rfc9258_5_1_the_client_binds_its_hello_with_the_known_imported_key() {
    for (name, v, psk) in importer_vectors() {
        let target = psk.hash();
        let client = client_builder("p256")
            .session_store(None)
            .external_psk(psk)
            .build()
            .unwrap();
        let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
        let mut bytes = Vec::new();
        while c.wants_write() {
            c.write_tls(&mut bytes).unwrap();
        }
        let message = &records(&bytes)[0][5..];
        let hello = common::rfc8448::client_hello(message);
        let Some(Extension::PreSharedKeyOffer(offer)) =
            hello.extensions.as_ref().and_then(|e| e.last())
        else {
            panic!("{name}: pre_shared_key is not last");
        };
        assert_eq!(offer.identities.len(), 1);
        assert_eq!(offer.identities[0].identity, v["imported_identity"]);
        let truncated = target.hash(&message[..message.len() - offer.binders_len()]);
        assert_eq!(
            offer.binders[0][..],
            imported_binder(&v, &truncated),
            "{name}"
        );
    }
}

#[test]
fn rfc9258_an_external_psk_imported_for_both_hashes_goes_with_either_suite() {
    let imports =
        ExternalPsk::import_for_tls13(IDENTITY, &KEY, b"app", HashAlgorithm::Sha256).unwrap();
    let import = |target| {
        ExternalPsk::import(IDENTITY, &KEY, b"app", HashAlgorithm::Sha256, target).unwrap()
    };
    let client = imports
        .iter()
        .fold(client_builder("p256"), |b, psk| b.external_psk(psk.clone()))
        .build()
        .unwrap();
    let mut psks = ExternalPsks::new();
    imports.iter().for_each(|psk| psks.insert(psk.clone()));
    let psks = Arc::new(psks);
    for (suite, hash) in [
        (CipherSuite::TLS_AES_128_GCM_SHA256, HashAlgorithm::Sha256),
        (CipherSuite::TLS_AES_256_GCM_SHA384, HashAlgorithm::Sha384),
    ] {
        let server = server_builder("p256")
            .cipher_suites(&[suite])
            .external_psks(psks.clone())
            .build()
            .unwrap();
        let (c, s) = connect(&client, &server);
        assert_eq!(s.cipher_suite(), Some(suite));
        assert_eq!(s.external_psk_identity(), Some(import(hash).identity()));
        assert_eq!(c.external_psk_identity(), s.external_psk_identity());
        assert!(c.peer_certificates().is_empty());
    }
    // The external PSK itself is not among the imports.
    let server = with_psk(server_builder("p256")).build().unwrap();
    let (c, _) = connect(&client, &server);
    assert_eq!(c.external_psk_identity(), None);
    assert_eq!(c.peer_certificates().len(), 2);
}

#[test]
fn rfc9258_import_bounds() {
    let refused = |r: Result<ExternalPsk, Error>| match r {
        Err(Error::InvalidRequest(reason)) => reason.to_string(),
        other => panic!("{other:?}"),
    };
    let long_context = vec![0; 0x10000];
    let sha256 = HashAlgorithm::Sha256;
    assert!(refused(ExternalPsk::import(
        IDENTITY,
        &KEY,
        &long_context,
        sha256,
        sha256
    ))
    .contains("imported PSK"));
    // The ImportedIdentity adds 8 bytes to the external identity.
    let long_identity = vec![b'i'; 0xffff - 7];
    assert!(refused(ExternalPsk::import(
        &long_identity,
        &KEY,
        b"",
        sha256,
        sha256
    ))
    .contains("imported PSK"));
    assert!(ExternalPsk::import(&long_identity[1..], &KEY, b"", sha256, sha256).is_ok());
    assert!(refused(ExternalPsk::import(
        IDENTITY,
        &KEY,
        b"",
        sha256,
        HashAlgorithm::Sha512
    ))
    .contains("SHA-256 or SHA-384"));
    assert!(refused(ExternalPsk::import(
        IDENTITY,
        &KEY[..8],
        b"",
        sha256,
        sha256
    ))
    .contains("16 to 64"));
}

#[test]
fn rfc8446_4_4_2_a_server_of_external_psks_only_refuses_a_client_without_one() {
    let mut psks = ExternalPsks::new();
    psks.insert(psk());
    let server = ServerConfig::builder_for_external_psks(Arc::new(psks))
        .build()
        .unwrap();
    assert!(server.certificates.is_empty());
    let (c, s) = connect(&client_with_psk(client_builder("p256")), &server);
    assert_eq!(s.external_psk_identity(), Some(IDENTITY));
    assert!(c.peer_certificates().is_empty());
    // Without the PSK there is no certificate to send, in either version.
    for versions in [&[ProtocolVersion::TLSv1_3], &[ProtocolVersion::TLSv1_2]] {
        let client = client_builder("p256").versions(versions).build().unwrap();
        let (err, alert) = refuses(
            client,
            server.clone(),
            server_name("p256"),
            Refuser::Server,
            1,
            |_| {},
        );
        assert!(matches!(err, Error::HandshakeFailure(_)), "{err:?}");
        assert_eq!(alert, Some(AlertDescription::HandshakeFailure.into()));
    }
}

#[test]
fn a_client_of_external_psks_only_refuses_a_server_without_one() {
    let client = ClientConfig::builder_for_external_psks([psk()])
        .build()
        .unwrap();
    // Against a server holding the PSK and a certificate: the PSK.
    let (c, s) = connect(&client, &with_psk(server_builder("p256")).build().unwrap());
    assert_eq!(s.external_psk_identity(), Some(IDENTITY));
    assert!(c.peer_certificates().is_empty());
    // Against a server without it: refused at the ServerHello, before any
    // certificate (RFC 8446 §4.2.11: no pre_shared_key in it).
    let (err, alert) = refuses(
        client,
        server_builder("p256").build().unwrap(),
        server_name("p256"),
        Refuser::Client,
        1,
        |_| {},
    );
    assert_eq!(
        err,
        Error::MissingExtension(MissingExtensionReason::PskRequired)
    );
    assert_eq!(alert, Some(AlertDescription::MissingExtension.into()));
    // It needs a PSK, and TLS 1.3 alone.
    for builder in [
        ClientConfig::builder_for_external_psks([]),
        ClientConfig::builder_for_external_psks([psk()])
            .versions(&[ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2]),
    ] {
        assert!(matches!(builder.build(), Err(Error::InvalidRequest(_))));
    }
}
