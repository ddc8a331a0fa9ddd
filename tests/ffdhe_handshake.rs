//! The finite-field groups of RFC 7919 in handshakes: as TLS 1.3 key
//! shares (RFC 8446 §4.2.8.1) in every group and after a
//! HelloRetryRequest, and in the opt-in TLS 1.2 DHE suites with the group
//! negotiation of RFC 7919 §4 and the checks of RFC 7919 §3–§5, each
//! refusal with its alert.

mod common;

use std::sync::Arc;

use common::*;
// TLS 1.2's DHE suites come with feature `legacy`; TLS 1.3's finite-field
// groups do not need it.
#[cfg(feature = "legacy")]
use ferrotls::internal::error::{
    HandshakeFailureReason, IllegalParameterReason, InsufficientSecurityReason,
};
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
#[cfg(feature = "legacy")]
use ferrotls::internal::msgs::hello::ServerHello;
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
#[cfg(feature = "legacy")]
use ferrotls::internal::msgs::key_exchange::{ClientKeyExchange, ServerKxParams};
#[cfg(feature = "legacy")]
use ferrotls::{AlertDescription, Error};
use ferrotls::{
    CipherSuite, ClientConfig, NamedGroup, ProtocolVersion, ServerConfig, TLS12_CIPHER_SUITES,
    TLS12_DHE_CIPHER_SUITES,
};
#[cfg(feature = "legacy")]
use ferrotls::{DEFAULT_GROUPS, TLS13_CIPHER_SUITES};

const FFDHE: [NamedGroup; 5] = [
    NamedGroup::ffdhe2048,
    NamedGroup::ffdhe3072,
    NamedGroup::ffdhe4096,
    NamedGroup::ffdhe6144,
    NamedGroup::ffdhe8192,
];

const TLS12_DHE: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_2,
    key_exchange: KeyExchangeAlgorithm::Dhe,
    finished_len: 12,
};

/// An RSA-2048 client and server with these groups; TLS 1.3 only.
fn tls13(client: &[NamedGroup], server: &[NamedGroup]) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    (
        client_builder("rsa2048")
            .versions(&[ProtocolVersion::TLSv1_3])
            .groups(client)
            .build()
            .unwrap(),
        server_builder("rsa2048").groups(server).build().unwrap(),
    )
}

/// An RSA-2048 client and server of TLS 1.2 with these suites and groups.
fn tls12(
    client_suites: &[CipherSuite],
    client_groups: &[NamedGroup],
    server_suites: &[CipherSuite],
    server_groups: &[NamedGroup],
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    (
        client_builder("rsa2048")
            .versions(&[ProtocolVersion::TLSv1_2])
            .cipher_suites(client_suites)
            .groups(client_groups)
            .build()
            .unwrap(),
        server_builder("rsa2048")
            .versions(&[ProtocolVersion::TLSv1_2])
            .cipher_suites(server_suites)
            .groups(server_groups)
            .build()
            .unwrap(),
    )
}

/// A TLS 1.2 client and server with the DHE suites, both in ffdhe2048.
#[cfg(feature = "legacy")]
fn dhe_in_ffdhe2048() -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let groups = [NamedGroup::ffdhe2048];
    tls12(
        TLS12_DHE_CIPHER_SUITES,
        &groups,
        TLS12_DHE_CIPHER_SUITES,
        &groups,
    )
}

fn negotiated(client: Arc<ClientConfig>, server: Arc<ServerConfig>) -> (CipherSuite, NamedGroup) {
    let (c, s) = handshaken(client, server, server_name("rsa2048"));
    assert_eq!(c.negotiated_group(), s.negotiated_group());
    assert_eq!(c.cipher_suite(), s.cipher_suite());
    (c.cipher_suite().unwrap(), c.negotiated_group().unwrap())
}

#[test]
fn rfc8446_4_2_8_1_every_ffdhe_group_completes_a_tls13_handshake() {
    for group in FFDHE {
        let (client, server) = tls13(&[group], &[group]);
        let (suite, negotiated) = negotiated(client, server);
        assert_eq!(negotiated, group);
        assert_eq!(suite, CipherSuite::TLS_AES_128_GCM_SHA256);
    }
}

#[test]
fn a_tls13_server_with_only_ffdhe_asks_for_it_by_hello_retry_request() {
    let (client, server) = tls13(
        &[NamedGroup::X25519, NamedGroup::ffdhe3072],
        &[NamedGroup::ffdhe3072],
    );
    let (mut c, mut s) = pair(client, server, server_name("rsa2048"));
    let (_, r) = transfer(&mut c, &mut s);
    r.unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight).unwrap();
    let hrr = match HandshakeMessage::decode_message(&records(&flight)[0][5..], &TLS12_DHE) {
        Ok(HandshakeMessage::ServerHello(hello)) => hello,
        other => panic!("not a ServerHello: {other:?}"),
    };
    assert!(hrr.is_hello_retry_request());
    c.read_tls(&mut flight.as_slice()).unwrap();
    c.process_new_packets().unwrap();
    handshake(&mut c, &mut s);
    assert_eq!(c.negotiated_group(), Some(NamedGroup::ffdhe3072));
}

#[cfg(feature = "legacy")]
#[test]
fn every_dhe_suite_completes_a_tls12_handshake_in_the_group_the_client_lists() {
    for &suite in TLS12_DHE_CIPHER_SUITES {
        for group in [NamedGroup::ffdhe2048, NamedGroup::ffdhe4096] {
            let (client, server) = tls12(&[suite], &[group], TLS12_DHE_CIPHER_SUITES, &FFDHE);
            assert_eq!(negotiated(client, server), (suite, group));
        }
    }
}

#[cfg(feature = "legacy")]
#[test]
fn rfc7919_4_a_client_listing_no_ffdhe_group_gets_the_servers_first() {
    let (client, server) = tls12(
        TLS12_DHE_CIPHER_SUITES,
        &[NamedGroup::X25519],
        TLS12_DHE_CIPHER_SUITES,
        &[NamedGroup::ffdhe3072, NamedGroup::ffdhe2048],
    );
    let (_, group) = negotiated(client, server);
    assert_eq!(group, NamedGroup::ffdhe3072);
}

#[test]
fn rfc7919_4_no_common_ffdhe_group_moves_the_server_to_another_suite() {
    let (client, server) = tls12(
        &[TLS12_DHE_CIPHER_SUITES, TLS12_CIPHER_SUITES].concat(),
        &[NamedGroup::ffdhe4096, NamedGroup::X25519],
        &[TLS12_DHE_CIPHER_SUITES, TLS12_CIPHER_SUITES].concat(),
        &[NamedGroup::ffdhe2048, NamedGroup::X25519],
    );
    let (suite, group) = negotiated(client, server);
    assert_eq!(suite, CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
    assert_eq!(group, NamedGroup::X25519);
}

#[cfg(feature = "legacy")]
#[test]
fn rfc7919_4_no_common_ffdhe_group_and_no_other_suite_is_insufficient_security() {
    let (client, server) = tls12(
        TLS12_DHE_CIPHER_SUITES,
        &[NamedGroup::ffdhe4096, NamedGroup::X25519],
        TLS12_DHE_CIPHER_SUITES,
        &[NamedGroup::ffdhe2048],
    );
    let (err, alert) = refuses(
        client,
        server,
        server_name("rsa2048"),
        Refuser::Server,
        1,
        |_| {},
    );
    assert_eq!(
        err,
        Error::InsufficientSecurity(InsufficientSecurityReason::NoAcceptableFfdheGroup)
    );
    assert_eq!(alert, Some(AlertDescription::InsufficientSecurity.into()));
}

#[test]
fn dhe_suites_are_not_on_by_default() {
    let client = client_builder("rsa2048").build().unwrap();
    let server = server_builder("rsa2048").build().unwrap();
    for suites in [&client.common.cipher_suites, &server.common.cipher_suites] {
        assert!(!suites.iter().any(|s| TLS12_DHE_CIPHER_SUITES.contains(s)));
    }
    for groups in [&client.common.groups, &server.common.groups] {
        assert!(!groups.iter().any(|g| FFDHE.contains(g)));
    }
}

/// RFC 7919 §3–§4: a client and a server that enable the DHE suites and
/// leave their groups alone list the RFC 7919 groups after the curves, so
/// that the suites meet a server that takes only the groups a client
/// lists (as Bouncy Castle's does) and our own server can choose them.
/// Groups the application chose stay as they are.
#[cfg(feature = "legacy")]
#[test]
fn rfc7919_3_enabling_the_dhe_suites_adds_the_ffdhe_groups_to_the_default_groups() {
    let suites = [TLS12_DHE_CIPHER_SUITES, TLS12_CIPHER_SUITES].concat();
    let client = client_builder("rsa2048")
        .cipher_suites(&[TLS13_CIPHER_SUITES, &suites].concat())
        .build()
        .unwrap();
    let server = server_builder("rsa2048")
        .versions(&[ProtocolVersion::TLSv1_2])
        .cipher_suites(&suites)
        .build()
        .unwrap();
    let expected = [DEFAULT_GROUPS, &FFDHE].concat();
    assert_eq!(client.common.groups, expected);
    assert_eq!(server.common.groups, expected);
    assert_eq!(
        negotiated(client, server),
        (
            CipherSuite::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
            NamedGroup::ffdhe2048
        )
    );

    let chosen = [NamedGroup::X25519];
    let (client, server) = tls12(&suites, &chosen, &suites, &chosen);
    assert_eq!(client.common.groups, chosen);
    assert_eq!(server.common.groups, chosen);
}

/// The messages of a TLS 1.2 handshake flight of plaintext records.
#[cfg(feature = "legacy")]
fn messages(flight: &[u8]) -> Vec<Vec<u8>> {
    records(flight)
        .iter()
        .flat_map(|record| split_messages(&record[5..]))
        .collect()
}

/// Replaces the DH values of the ServerKeyExchange in the server's first
/// flight by `edit`'s and signs them again with the server's key, so that
/// only the client's checks of the values can refuse them.
#[cfg(feature = "legacy")]
fn resigned_server_key_exchange(
    flight: &mut Vec<u8>,
    client_random: [u8; 32],
    edit: impl FnOnce(&mut ferrotls::internal::msgs::key_exchange::ServerDhParams),
) {
    let mut messages = messages(flight);
    let server_random = match HandshakeMessage::decode_message(&messages[0], &TLS12_DHE) {
        Ok(HandshakeMessage::ServerHello(ServerHello { random, .. })) => random,
        other => panic!("not a ServerHello: {other:?}"),
    };
    let ske = messages
        .iter_mut()
        .find(|m| message_type(m) == 12)
        .expect("a ServerKeyExchange");
    let HandshakeMessage::ServerKeyExchange(mut decoded) =
        HandshakeMessage::decode_message(ske, &TLS12_DHE).unwrap()
    else {
        panic!("not a ServerKeyExchange")
    };
    let ServerKxParams::Dh(dh) = &mut decoded.params else {
        panic!("not DHE")
    };
    edit(dh);
    let mut signed = [client_random, server_random].concat();
    let mut w = ferrotls::internal::codec::Writer::new();
    decoded.params.encode(&mut w);
    signed.extend(w.finish().unwrap());
    let scheme = decoded.signature.scheme.unwrap();
    decoded.signature.signature = certified_key("rsa2048")
        .key()
        .sign_scheme(scheme, &signed)
        .unwrap();
    *ske = HandshakeMessage::ServerKeyExchange(decoded)
        .to_bytes()
        .unwrap();
    *flight = handshake_record(&messages.concat());
}

/// The client's answer to a DHE ServerKeyExchange whose values `edit`
/// changes and the server signs again: its error and alert, if it
/// refuses.
#[cfg(feature = "legacy")]
fn client_reads_signed_values(
    edit: impl FnOnce(&mut ferrotls::internal::msgs::key_exchange::ServerDhParams),
) -> Result<(), (Error, Option<u8>)> {
    let (client, server) = dhe_in_ffdhe2048();
    let (mut c, mut s) = pair(client, server, server_name("rsa2048"));
    let mut hello = Vec::new();
    c.write_tls(&mut hello).unwrap();
    let client_random = match HandshakeMessage::decode_message(&records(&hello)[0][5..], &TLS12_DHE)
    {
        Ok(HandshakeMessage::ClientHello(hello)) => hello.random,
        other => panic!("not a ClientHello: {other:?}"),
    };
    s.read_tls(&mut hello.as_slice()).unwrap();
    s.process_new_packets().unwrap();
    let mut flight = Vec::new();
    while s.wants_write() {
        s.write_tls(&mut flight).unwrap();
    }
    resigned_server_key_exchange(&mut flight, client_random, edit);
    c.read_tls(&mut flight.as_slice()).unwrap();
    let Err(err) = c.process_new_packets() else {
        return Ok(());
    };
    let mut out = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut out).unwrap();
    }
    Err((err, plaintext_alert(&out)))
}

#[cfg(feature = "legacy")]
fn client_refuses_signed_values(
    edit: impl FnOnce(&mut ferrotls::internal::msgs::key_exchange::ServerDhParams),
) -> (Error, Option<u8>) {
    client_reads_signed_values(edit).unwrap_err()
}

#[cfg(feature = "legacy")]
#[test]
fn the_resigning_harness_keeps_a_good_server_key_exchange_good() {
    // Without this, the refusals below could come from a bad signature. A
    // leading zero byte leaves dh_Ys's value as it was (RFC 5246 §7.4.3:
    // an integer), but changes the signed bytes.
    assert_eq!(
        client_reads_signed_values(|dh| dh.public.insert(0, 0)),
        Ok(())
    );
}

#[cfg(feature = "legacy")]
#[test]
fn rfc7919_3_a_signed_dh_ys_out_of_range_is_handshake_failure() {
    for value in [vec![0], vec![1], vec![0xff; 256]] {
        let (err, alert) = client_refuses_signed_values(|dh| dh.public = value.clone());
        assert_eq!(
            err,
            Error::HandshakeFailure(HandshakeFailureReason::DhPublicOutOfRange)
        );
        assert_eq!(alert, Some(AlertDescription::HandshakeFailure.into()));
    }
}

#[cfg(feature = "legacy")]
#[test]
fn rfc7919_3_a_signed_group_under_2048_bits_is_insufficient_security() {
    let (err, alert) = client_refuses_signed_values(|dh| {
        dh.prime.truncate(128);
        dh.public = vec![2];
    });
    assert_eq!(
        err,
        Error::InsufficientSecurity(InsufficientSecurityReason::DhModulusTooSmall)
    );
    assert_eq!(alert, Some(AlertDescription::InsufficientSecurity.into()));
}

#[cfg(feature = "legacy")]
#[test]
fn a_signed_generator_out_of_range_is_illegal_parameter() {
    let (err, alert) = client_refuses_signed_values(|dh| dh.generator = vec![1]);
    assert_eq!(
        err,
        Error::IllegalParameter(IllegalParameterReason::DhParameters)
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[cfg(feature = "legacy")]
#[test]
fn rfc7919_4_a_dh_yc_out_of_range_is_handshake_failure() {
    for value in [vec![0], vec![1], vec![0xff; 256], vec![1; 257]] {
        let (client, server) = dhe_in_ffdhe2048();
        let (err, alert) = refuses(
            client,
            server,
            server_name("rsa2048"),
            Refuser::Server,
            2,
            |flight| {
                // The flight is ClientKeyExchange, then ChangeCipherSpec
                // and the protected Finished in records of their own.
                let mut parts = records(flight);
                let cke = ClientKeyExchange::Dhe(value.clone());
                parts[0] =
                    handshake_record(&HandshakeMessage::ClientKeyExchange(cke).to_bytes().unwrap());
                *flight = parts.concat();
            },
        );
        assert_eq!(
            err,
            Error::HandshakeFailure(HandshakeFailureReason::DhPublicOutOfRange)
        );
        assert_eq!(alert, Some(AlertDescription::HandshakeFailure.into()));
    }
}
