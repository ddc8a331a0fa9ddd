//! Version negotiation with TLS 1.0 and 1.1 enabled: down to the
//! lowest version both sides enable, the server's minimum enforced with
//! protocol_version, default (1.3 + 1.2) configurations refusing 1.0-only
//! peers in both roles with a message saying how to opt in,
//! TLS_FALLBACK_SCSV sent on a configured fallback retry and honoured, and
//! the TLS 1.1 downgrade sentinel (RFC 8446 §4.1.3, RFC 9846 §4.2.3),
//! set by every server negotiating 1.1 or below and refused by TLS 1.2
//! and TLS 1.3 clients.

// TLS 1.0 and 1.1 come with feature `legacy`.
#![cfg(feature = "legacy")]

mod common;

use ferrotls::internal::error::{IllegalParameterReason, ProtocolVersionReason};
use std::sync::Arc;

use common::*;
use ferrotls::internal::msgs::extensions::Extension;
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::hello::{ClientHello, DOWNGRADE_SENTINEL_TLS11};
use ferrotls::internal::msgs::key_exchange::KeyExchangeAlgorithm;
use ferrotls::{
    AlertDescription, CipherSuite, ClientConfig, ClientConfigBuilder, ClientConnection, Error,
    ProtocolVersion, ServerConfig, ServerConnection, TLS10_CIPHER_SUITES, TLS12_CIPHER_SUITES,
    TLS13_CIPHER_SUITES,
};

use ProtocolVersion::{TLSv1_0 as V10, TLSv1_1 as V11, TLSv1_2 as V12, TLSv1_3 as V13};

const CX: DecodeContext = DecodeContext {
    version: V12,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: 12,
};

/// Every suite of every version, so that only the versions decide.
fn all_suites() -> Vec<CipherSuite> {
    [
        TLS13_CIPHER_SUITES,
        TLS12_CIPHER_SUITES,
        TLS10_CIPHER_SUITES,
    ]
    .concat()
}

fn client(versions: &[ProtocolVersion]) -> ClientConfigBuilder {
    client_builder("p256")
        .versions(versions)
        .cipher_suites(&all_suites())
}

fn server(versions: &[ProtocolVersion]) -> Arc<ServerConfig> {
    server_builder("p256")
        .versions(versions)
        .cipher_suites(&all_suites())
        .build()
        .unwrap()
}

/// The version a handshake between these configurations settles on.
fn negotiate(client: Arc<ClientConfig>, server: Arc<ServerConfig>) -> ProtocolVersion {
    let (mut c, mut s) = handshaken(client, server, server_name("p256"));
    send_and_check(&mut c, &mut s, b"data");
    assert_eq!(c.protocol_version(), s.protocol_version());
    c.protocol_version().unwrap()
}

#[test]
fn peers_settle_on_the_highest_version_both_enable() {
    let cases: &[(&[ProtocolVersion], &[ProtocolVersion], ProtocolVersion)] = &[
        // A client offering 1.3 lists 1.0/1.1 in supported_versions too.
        (&[V13, V12, V11, V10], &[V13, V12, V11, V10], V13),
        // Without 1.3 the ClientHello's legacy_version is the highest
        // version, and any lower one is acceptable (RFC 5246 §E.1).
        (&[V11, V10], &[V13, V12, V11, V10], V11),
        (&[V10], &[V12, V11, V10], V10),
        (&[V11], &[V11, V10], V11),
    ];
    for (client_versions, server_versions, expected) in cases {
        let got = negotiate(
            client(client_versions).build().unwrap(),
            server(server_versions),
        );
        assert_eq!(
            got, *expected,
            "client {client_versions:?} server {server_versions:?}"
        );
    }
}

#[test]
fn rfc9846_4_2_3_a_client_of_tls12_refuses_a_server_of_legacy_versions_only() {
    // Such a server ends its random with the TLS 1.1 sentinel, which a
    // client that supports TLS 1.2 takes for a downgrade (RFC 8446
    // §4.1.3): RFC 9846 keeps TLS 1.0 and 1.1 for peers that have
    // nothing newer.
    let cases: &[(&[ProtocolVersion], &[ProtocolVersion])] = &[
        (&[V13, V12, V11, V10], &[V10]),
        (&[V13, V12, V11, V10], &[V11, V10]),
        (&[V12, V11, V10], &[V11]),
    ];
    for (client_versions, server_versions) in cases {
        let (mut c, mut s) = pair(
            client(client_versions).build().unwrap(),
            server(server_versions),
            server_name("p256"),
        );
        transfer(&mut c, &mut s).1.unwrap();
        assert_eq!(
            transfer(&mut s, &mut c).1,
            Err(Error::IllegalParameter(
                IllegalParameterReason::DowngradeSentinel
            )),
            "client {client_versions:?} server {server_versions:?}"
        );
    }
}

/// Delivers `client`'s first flight to `server`; returns the server's
/// error and the alert it wrote.
fn refused_by_server(client: Arc<ClientConfig>, server: Arc<ServerConfig>) -> (Error, Option<u8>) {
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let (_, r) = transfer(&mut c, &mut s);
    let mut out = Vec::new();
    s.write_tls(&mut out).unwrap();
    (r.unwrap_err(), plaintext_alert(&out))
}

#[test]
fn a_server_refuses_versions_below_its_minimum_with_protocol_version() {
    for (client_versions, server_versions) in [
        (&[V10][..], &[V12, V11][..]),
        (&[V11, V10], &[V12]),
        (&[V10], &[V13, V12]),
    ] {
        let (err, alert) = refused_by_server(
            client(client_versions).build().unwrap(),
            server(server_versions),
        );
        assert!(
            matches!(
                err,
                Error::ProtocolVersion(ProtocolVersionReason::NoCommonVersion)
            ),
            "{err:?}"
        );
        assert_eq!(alert, Some(AlertDescription::ProtocolVersion.into()));
    }
}

#[test]
fn a_default_server_refuses_a_tls10_only_client_and_says_how_to_opt_in() {
    let default_server = server_builder("p256").build().unwrap();
    let (err, alert) = refused_by_server(client(&[V10]).build().unwrap(), default_server);
    assert_eq!(alert, Some(AlertDescription::ProtocolVersion.into()));
    let text = err.to_string();
    assert!(text.contains("off by default"), "{text}");
    assert!(text.contains("versions("), "{text}");
}

/// `config`'s first ClientHello, re-encoded after `edit`, as one record.
fn edited_client_hello(config: Arc<ClientConfig>, edit: impl FnOnce(&mut ClientHello)) -> Vec<u8> {
    let mut c = ClientConnection::new(config, server_name("p256")).unwrap();
    let mut bytes = Vec::new();
    c.write_tls(&mut bytes).unwrap();
    let HandshakeMessage::ClientHello(mut hello) =
        HandshakeMessage::decode_message(&records(&bytes)[0][5..], &CX).unwrap()
    else {
        panic!("not a ClientHello")
    };
    edit(&mut hello);
    let message = HandshakeMessage::ClientHello(hello).to_bytes().unwrap();
    let mut record = vec![22, 3, 1];
    record.extend_from_slice(&(message.len() as u16).to_be_bytes());
    record.extend_from_slice(&message);
    record
}

/// Feeds `hello` to a server of `server`, then hands the server's answer
/// to the real `client` connection; returns the client's result and the
/// alert it wrote.
fn server_answer_to_client(
    client: &mut ClientConnection,
    server: Arc<ServerConfig>,
    hello: &[u8],
) -> (Result<(), Error>, Option<u8>) {
    let mut s = ServerConnection::new(server);
    s.read_tls(&mut &hello[..]).unwrap();
    s.process_new_packets().unwrap();
    let (_, r) = transfer(&mut s, client);
    let mut out = Vec::new();
    client.write_tls(&mut out).unwrap();
    (r, plaintext_alert(&out))
}

#[test]
fn a_default_client_refuses_a_tls10_server_and_says_how_to_opt_in() {
    // A 1.0-only server answers with a 1.0 ServerHello when the hello
    // lacks supported_versions (as a 1.0-era server would).
    let config = client_builder("p256").build().unwrap();
    let mut c = ClientConnection::new(config.clone(), server_name("p256")).unwrap();
    let mut discard = Vec::new();
    c.write_tls(&mut discard).unwrap();
    let hello = edited_client_hello(config, |h| {
        h.extensions
            .as_mut()
            .unwrap()
            .retain(|e| !matches!(e, Extension::SupportedVersionsOffer(_)));
        h.cipher_suites.extend(TLS10_CIPHER_SUITES.iter().copied());
    });
    let (r, alert) = server_answer_to_client(&mut c, server(&[V10]), &hello);
    let err = r.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ProtocolVersion(ProtocolVersionReason::VersionNotEnabled)
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("off by default"), "{err}");
    assert_eq!(alert, Some(AlertDescription::ProtocolVersion.into()));
}

#[test]
fn a_fallback_retry_sends_the_scsv_and_a_better_server_refuses_it() {
    let retry = client(&[V11, V10]).fallback_retry(true).build().unwrap();
    let hello = edited_client_hello(retry.clone(), |_| {});
    let HandshakeMessage::ClientHello(sent) =
        HandshakeMessage::decode_message(&records(&hello)[0][5..], &CX).unwrap()
    else {
        panic!()
    };
    assert!(sent.cipher_suites.contains(&CipherSuite::TLS_FALLBACK_SCSV));
    // RFC 7507 §3: the server supports 1.2, higher than the client's best.
    let (err, alert) = refused_by_server(retry.clone(), server(&[V12, V11, V10]));
    assert_eq!(err, Error::InappropriateFallback);
    assert_eq!(alert, Some(AlertDescription::InappropriateFallback.into()));
    // A server whose best is the client's best carries on.
    assert_eq!(negotiate(retry, server(&[V11, V10])), V11);
    // Without the flag no SCSV is sent.
    let first_try = client(&[V11, V10]).build().unwrap();
    let hello = edited_client_hello(first_try.clone(), |_| {});
    let HandshakeMessage::ClientHello(sent) =
        HandshakeMessage::decode_message(&records(&hello)[0][5..], &CX).unwrap()
    else {
        panic!()
    };
    assert!(!sent.cipher_suites.contains(&CipherSuite::TLS_FALLBACK_SCSV));
    assert_eq!(negotiate(first_try, server(&[V12, V11, V10])), V11);
}

/// A client of `client_versions` whose ClientHello an attacker rewrote to
/// TLS 1.1 (legacy_version 1.1, no supported_versions): a server that
/// supports 1.2 answers TLS 1.1 and ends its random with DOWNGRD\0 (RFC
/// 8446 §4.1.3), checked here. Returns the client's result and alert.
fn answer_downgraded_to_tls11(
    client_versions: &[ProtocolVersion],
) -> (Result<(), Error>, Option<u8>) {
    let config = client(client_versions).build().unwrap();
    let mut c = ClientConnection::new(config.clone(), server_name("p256")).unwrap();
    let mut discard = Vec::new();
    c.write_tls(&mut discard).unwrap();
    let hello = edited_client_hello(config, |h| {
        h.legacy_version = V11;
        h.extensions
            .as_mut()
            .unwrap()
            .retain(|e| !matches!(e, Extension::SupportedVersionsOffer(_)));
    });
    let server = server(&[V12, V11]);
    let mut s = ServerConnection::new(server.clone());
    s.read_tls(&mut &hello[..]).unwrap();
    s.process_new_packets().unwrap();
    let mut out = Vec::new();
    s.write_tls(&mut out).unwrap();
    let HandshakeMessage::ServerHello(sh) =
        HandshakeMessage::decode_message(&split_messages(&records(&out)[0][5..])[0], &CX).unwrap()
    else {
        panic!()
    };
    assert_eq!(sh.legacy_version, V11);
    assert_eq!(sh.random[24..], DOWNGRADE_SENTINEL_TLS11);
    server_answer_to_client(&mut c, server, &hello)
}

#[test]
fn a_tls12_server_negotiating_tls11_sets_the_sentinel_and_a_tls12_client_refuses_it() {
    // The real client enables 1.2 and 1.1; the client notices.
    let (r, alert) = answer_downgraded_to_tls11(&[V12, V11]);
    assert_eq!(
        r,
        Err(Error::IllegalParameter(
            IllegalParameterReason::DowngradeSentinel
        ))
    );
    assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
}

#[test]
fn rfc8446_4_1_3_a_client_offering_tls13_refuses_the_tls11_sentinel() {
    // "TLS 1.3 clients receiving a ServerHello indicating TLS 1.2 or
    // below MUST check" for either sentinel: with 1.2 enabled, and
    // without it, where the TLS 1.2 client's rule does not apply.
    for versions in [&[V13, V12, V11][..], &[V13, V11]] {
        let (r, alert) = answer_downgraded_to_tls11(versions);
        assert_eq!(
            r,
            Err(Error::IllegalParameter(
                IllegalParameterReason::DowngradeSentinel
            )),
            "{versions:?}"
        );
        assert_eq!(alert, Some(AlertDescription::IllegalParameter.into()));
    }
}

#[test]
fn rfc9846_4_2_3_a_server_with_only_legacy_versions_sets_the_tls11_sentinel() {
    // RFC 8446 §4.1.3 asked it only of servers that support TLS 1.2 or
    // 1.3; RFC 9846 of every server that negotiates 1.1 or below. A
    // client of those versions alone does not check it.
    let config = client(&[V11, V10]).build().unwrap();
    let hello = edited_client_hello(config, |_| {});
    let mut s = ServerConnection::new(server(&[V11, V10]));
    s.read_tls(&mut &hello[..]).unwrap();
    s.process_new_packets().unwrap();
    let mut out = Vec::new();
    s.write_tls(&mut out).unwrap();
    let HandshakeMessage::ServerHello(sh) =
        HandshakeMessage::decode_message(&split_messages(&records(&out)[0][5..])[0], &CX).unwrap()
    else {
        panic!()
    };
    assert_eq!(sh.downgrade_sentinel(), Some(DOWNGRADE_SENTINEL_TLS11));
    assert_eq!(
        negotiate(client(&[V11, V10]).build().unwrap(), server(&[V11, V10])),
        V11
    );
}

#[test]
fn legacy_versions_are_off_by_default() {
    let config = client_builder("p256").build().unwrap();
    assert!(!config.common.versions.contains(&V10));
    assert!(!config.common.versions.contains(&V11));
    let config = server_builder("p256").build().unwrap();
    assert!(!config.common.versions.contains(&V10));
    assert!(!config.common.versions.contains(&V11));
}

/// The ClientHello a client of `versions` (every suite enabled) sends.
fn client_hello_of(versions: &[ProtocolVersion]) -> ClientHello {
    let hello = edited_client_hello(client(versions).build().unwrap(), |_| {});
    let HandshakeMessage::ClientHello(sent) =
        HandshakeMessage::decode_message(&records(&hello)[0][5..], &CX).unwrap()
    else {
        panic!("not a ClientHello")
    };
    sent
}

/// The extension types of the ClientHello a client of `versions` sends.
fn client_hello_extension_types(versions: &[ProtocolVersion]) -> Vec<u16> {
    client_hello_of(versions)
        .extensions()
        .iter()
        .map(|e| u16::from(e.ext_type()))
        .collect()
}

#[test]
fn a_client_of_tls11_and_below_offers_no_suite_that_needs_tls12() {
    // AEAD and SHA-256/384 suites "MUST NOT be negotiated in older
    // versions of TLS" (RFC 5288 §4, RFC 5289 §4).
    let tls12_only = [
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];
    for versions in [&[V11, V10][..], &[V10]] {
        let offered = client_hello_of(versions).cipher_suites;
        assert!(
            offered.contains(&CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA),
            "{versions:?}: {offered:?}"
        );
        for suite in tls12_only {
            assert!(!offered.contains(&suite), "{versions:?}: {suite:?}");
        }
        assert!(!offered.contains(&CipherSuite::TLS_AES_128_GCM_SHA256));
    }
    let offered = client_hello_of(&[V12, V11]).cipher_suites;
    assert!(
        tls12_only.iter().all(|s| offered.contains(s)),
        "{offered:?}"
    );
}

#[test]
fn rfc5246_7_4_1_4_1_a_client_of_tls11_and_below_offers_no_signature_algorithms() {
    const SIGNATURE_ALGORITHMS: u16 = 13;
    // "Clients MUST NOT offer it if they are offering prior versions":
    // it means nothing below TLS 1.2, and a TLS 1.0 or 1.1 server may
    // refuse it.
    for versions in [&[V11, V10][..], &[V11], &[V10]] {
        let types = client_hello_extension_types(versions);
        assert!(!types.contains(&SIGNATURE_ALGORITHMS), "{versions:?}");
        assert_eq!(
            negotiate(client(versions).build().unwrap(), server(&[V12, V11, V10])),
            versions[0]
        );
    }
    for versions in [&[V12, V11][..], &[V13, V10]] {
        let types = client_hello_extension_types(versions);
        assert!(types.contains(&SIGNATURE_ALGORITHMS), "{versions:?}");
    }
}
