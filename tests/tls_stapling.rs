//! OCSP stapling (RFC 6066 §8 in TLS 1.2, RFC 8446 §4.4.2.1 in TLS 1.3)
//! and signed certificate timestamps (RFC 6962 §3.3) between ferrotls
//! peers, over the vectors of `vectors/pki/stapling` (made by its
//! make.sh): the server staples what the client asked for, the client's
//! verifier judges the staple, and both sides report it.

mod common;

use std::sync::Arc;

use common::*;
use ferrotls::internal::error::UnexpectedMessageReason;
use ferrotls::{
    AlertDescription, CertificateError, CertifiedKey, ClientConfig, ClientConfigBuilder, Error,
    ManualClock, ProtocolVersion, RevocationReason, RootStore, ServerConfig, ServerName, UnixTime,
    WebPkiServerVerifier,
};

const VERSIONS: [ProtocolVersion; 2] = [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];

fn file(name: &str) -> Vec<u8> {
    std::fs::read(vectors_dir().join("stapling").join(name)).unwrap()
}

fn text(name: &str) -> String {
    String::from_utf8(file(name)).unwrap()
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(UnixTime::from_secs(NOW)))
}

/// The server of `leaf` ("good" or "revoked"), stapling `ocsp` and
/// sending `scts` when asked.
fn server(
    version: ProtocolVersion,
    leaf: &str,
    ocsp: Option<&str>,
    scts: &[&[u8]],
) -> Arc<ServerConfig> {
    server_at(clock(), version, leaf, ocsp, scts)
}

/// [`server`] on `clock`.
fn server_at(
    clock: Arc<ManualClock>,
    version: ProtocolVersion,
    leaf: &str,
    ocsp: Option<&str>,
    scts: &[&[u8]],
) -> Arc<ServerConfig> {
    let mut key = CertifiedKey::from_pem(
        &text(&format!("{leaf}-chain.pem")),
        &text(&format!("{leaf}.key")),
    )
    .unwrap()
    .with_scts(scts.iter().map(|s| s.to_vec()).collect());
    if let Some(name) = ocsp {
        key = key.with_ocsp_response(file(name)).unwrap();
    }
    ServerConfig::builder(Arc::new(key))
        .versions(&[version])
        .clock(clock)
        .build()
        .unwrap()
}

/// A client trusting the stapling root, asking for a staple and SCTs as
/// told.
fn client(version: ProtocolVersion, ocsp: bool, require: bool, scts: bool) -> Arc<ClientConfig> {
    client_builder(clock(), version)
        .request_ocsp_staple(ocsp)
        .require_ocsp_staple(require)
        .request_scts(scts)
        .build()
        .unwrap()
}

/// A client of `version` on `clock` trusting the stapling root.
fn client_builder(clock: Arc<ManualClock>, version: ProtocolVersion) -> ClientConfigBuilder {
    let mut roots = RootStore::new();
    roots.add_pem(&text("root.pem")).unwrap();
    ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
        .versions(&[version])
        .clock(clock)
}

fn name() -> ServerName {
    ServerName::parse("stapling.test").unwrap()
}

/// The client's error when it meets `server`.
fn client_error(client: Arc<ClientConfig>, server: Arc<ServerConfig>) -> Error {
    let (mut c, mut s) = pair(client, server, name());
    for _ in 0..5 {
        let (_, r) = transfer(&mut c, &mut s);
        r.unwrap();
        if let (_, Err(e)) = transfer(&mut s, &mut c) {
            return e;
        }
    }
    panic!("the client accepted the server");
}

#[test]
fn a_good_staple_and_scts_reach_the_client_when_asked() {
    let scts: &[&[u8]] = &[b"sct one", b"sct two"];
    for version in VERSIONS {
        let (c, s) = handshaken(
            client(version, true, false, true),
            server(version, "good", Some("good.ocsp.der"), scts),
            name(),
        );
        let good = file("good.ocsp.der");
        assert_eq!(c.stapled_ocsp_response(), Some(&good[..]), "{version:?}");
        assert_eq!(s.stapled_ocsp_response(), Some(&good[..]), "{version:?}");
        assert_eq!(c.stapled_scts(), [b"sct one".to_vec(), b"sct two".to_vec()]);
        assert_eq!(s.stapled_scts(), c.stapled_scts());
    }
}

/// A resumption sends no Certificate, so nothing is stapled to it (RFC
/// 8446 §4.4.2.1, RFC 6066 §8): a resuming client reports the staples of
/// the full handshake that made its session, as it reports that
/// handshake's chain; a resuming server, which sent none, reports none.
#[test]
fn a_resuming_client_reports_the_staples_of_its_session() {
    for version in VERSIONS {
        let client = client(version, true, false, true);
        let server = server(version, "good", Some("good.ocsp.der"), &[b"sct one"]);
        handshaken(client.clone(), server.clone(), name());
        let (c, s) = handshaken(client, server, name());
        assert!(c.is_resumed(), "{version:?}");
        let good = file("good.ocsp.der");
        assert_eq!(c.stapled_ocsp_response(), Some(&good[..]), "{version:?}");
        assert_eq!(c.stapled_scts(), [b"sct one".to_vec()], "{version:?}");
        assert_eq!(s.stapled_ocsp_response(), None, "{version:?}");
        assert!(s.stapled_scts().is_empty(), "{version:?}");
    }
}

/// A client that checks a session's chain again before offering it
/// (`reverify_on_resume`) judges it with the OCSP response kept with the
/// session, at the current time: still current, the session resumes;
/// past its nextUpdate, the session is not offered.
#[test]
fn reverify_on_resume_judges_the_kept_staple_at_the_current_time() {
    // stale.ocsp.der answers from 2026-12-05 00:07:42 UTC for one day:
    // current at 23:30 that day, past its nextUpdate an hour later, both
    // well inside the sessions' two-hour lifetime.
    const CURRENT: u64 = 1_796_513_400;
    const PASSED: u64 = CURRENT + 3_600;
    for version in VERSIONS {
        let clock = Arc::new(ManualClock::new(UnixTime::from_secs(CURRENT)));
        let client = client_builder(clock.clone(), version)
            .request_ocsp_staple(true)
            .reverify_on_resume(true)
            .build()
            .unwrap();
        let server = server_at(clock.clone(), version, "good", Some("stale.ocsp.der"), &[]);
        handshaken(client.clone(), server.clone(), name());
        let (c, _) = handshaken(client.clone(), server.clone(), name());
        assert!(c.is_resumed(), "{version:?}: the kept staple is current");

        clock.set(UnixTime::from_secs(PASSED));
        let (mut c, mut s) = pair(client, server, name());
        transfer(&mut c, &mut s).1.unwrap();
        assert!(
            !s.resumption_requested(),
            "{version:?}: the kept staple is stale"
        );
    }
}

#[test]
fn nothing_is_stapled_unless_asked() {
    for version in VERSIONS {
        let (c, s) = handshaken(
            client(version, false, false, false),
            server(version, "good", Some("good.ocsp.der"), &[b"sct"]),
            name(),
        );
        assert_eq!(c.stapled_ocsp_response(), None, "{version:?}");
        assert_eq!(s.stapled_ocsp_response(), None, "{version:?}");
        assert!(c.stapled_scts().is_empty() && s.stapled_scts().is_empty());
        // Asking for SCTs only staples no OCSP response, and the other way.
        let (c, _) = handshaken(
            client(version, false, false, true),
            server(version, "good", Some("good.ocsp.der"), &[b"sct"]),
            name(),
        );
        assert_eq!(c.stapled_ocsp_response(), None);
        assert_eq!(c.stapled_scts(), [b"sct".to_vec()]);
        let (c, _) = handshaken(
            client(version, true, false, false),
            server(version, "good", Some("good.ocsp.der"), &[b"sct"]),
            name(),
        );
        assert!(c.stapled_ocsp_response().is_some());
        assert!(c.stapled_scts().is_empty());
    }
}

#[test]
fn a_revoked_staple_is_certificate_revoked() {
    for version in VERSIONS {
        let error = client_error(
            client(version, true, false, false),
            server(version, "revoked", Some("revoked.ocsp.der"), &[]),
        );
        assert_eq!(
            error,
            Error::InvalidCertificate(CertificateError::Revoked(RevocationReason::KeyCompromise)),
            "{version:?}"
        );
        assert_eq!(error.alert(), Some(AlertDescription::CertificateRevoked));
    }
}

#[test]
fn an_unsatisfactory_staple_is_bad_certificate_status_response() {
    for version in VERSIONS {
        // Past its nextUpdate.
        let stale = client_error(
            client(version, true, false, false),
            server(version, "good", Some("stale.ocsp.der"), &[]),
        );
        assert_eq!(
            stale,
            Error::InvalidCertificate(CertificateError::RevocationStale(
                "OCSP nextUpdate has passed"
            )),
            "{version:?}"
        );
        // About another certificate: the good leaf's response stapled to
        // the revoked leaf.
        let other = client_error(
            client(version, true, false, false),
            server(version, "revoked", Some("good.ocsp.der"), &[]),
        );
        assert_eq!(
            other,
            Error::InvalidCertificate(CertificateError::BadRevocationInfo(
                "the stapled OCSP response is about another certificate"
            )),
            "{version:?}"
        );
        for error in [stale, other] {
            assert_eq!(
                error.alert(),
                Some(AlertDescription::BadCertificateStatusResponse)
            );
        }
    }
}

#[test]
fn a_required_staple_that_is_missing_fails_the_handshake() {
    for version in VERSIONS {
        let error = client_error(
            client(version, false, true, false),
            server(version, "good", None, &[]),
        );
        assert_eq!(
            error,
            Error::InvalidCertificate(CertificateError::BadRevocationInfo(
                "no OCSP response stapled"
            )),
            "{version:?}"
        );
        assert_eq!(
            error.alert(),
            Some(AlertDescription::BadCertificateStatusResponse)
        );
        // With the staple, the same client goes on.
        let (c, _) = handshaken(
            client(version, false, true, false),
            server(version, "good", Some("good.ocsp.der"), &[]),
            name(),
        );
        assert!(c.stapled_ocsp_response().is_some());
    }
}

#[test]
fn a_tls12_status_acknowledgement_nobody_asked_for_is_unsupported_extension() {
    // The ServerHello answers a client that asked; a client that did not
    // receives it (the ServerHello is read before anything depends on the
    // ClientHello's random).
    let version = ProtocolVersion::TLSv1_2;
    let server = server(version, "good", Some("good.ocsp.der"), &[]);
    let (mut asking, mut s) = pair(client(version, true, false, false), server, name());
    let (_, r) = transfer(&mut asking, &mut s);
    r.unwrap();
    let (mut silent, _) = pair(
        client(version, false, false, false),
        server_builder("p256").build().unwrap(),
        name(),
    );
    let (_, r) = transfer(&mut s, &mut silent);
    let error = r.unwrap_err();
    assert!(matches!(error, Error::UnsupportedExtension(_)), "{error:?}");
    assert_eq!(error.alert(), Some(AlertDescription::UnsupportedExtension));
}

#[test]
fn a_configured_response_must_be_a_successful_ocsp_response() {
    let key = CertifiedKey::from_pem(&text("good-chain.pem"), &text("good.key")).unwrap();
    assert!(key.with_ocsp_response(vec![0x30, 0x00]).is_err());
}

#[test]
fn a_tls12_message_out_of_place_where_a_staple_may_come_is_unexpected_message() {
    // RFC 6066 §8: after acknowledging status_request the server may send
    // CertificateStatus after its Certificate, or go on without one; a
    // ClientKeyExchange there is neither, and the reason names what could
    // have come.
    let version = ProtocolVersion::TLSv1_2;
    let client_key_exchange = vec![16, 0, 0, 1, 0];
    let (error, alert) = refuses(
        client(version, true, false, false),
        server(version, "good", Some("good.ocsp.der"), &[]),
        name(),
        Refuser::Client,
        1,
        |flight| {
            edit_plaintext_flight(flight, |messages| {
                // ServerHello, Certificate, then in the staple's place.
                assert_eq!(messages[2][0], 22, "the server staples");
                messages[2] = client_key_exchange;
            })
        },
    );
    assert_eq!(
        error,
        Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedCertificateStatus)
    );
    assert_eq!(alert, Some(AlertDescription::UnexpectedMessage.into()));
}

#[test]
fn a_tls12_certificate_status_without_an_acknowledgement_is_unexpected_message() {
    // RFC 6066 §8: a server sends CertificateStatus only after
    // acknowledging status_request in its ServerHello. One is slipped in
    // after the Certificate of a server that did not acknowledge: the
    // client did not ask, or asked a server with nothing to staple.
    let version = ProtocolVersion::TLSv1_2;
    let mut status = vec![22];
    let ocsp = file("good.ocsp.der");
    let body_len = 1 + 3 + ocsp.len();
    status.extend_from_slice(&(body_len as u32).to_be_bytes()[1..]);
    status.push(1);
    status.extend_from_slice(&(ocsp.len() as u32).to_be_bytes()[1..]);
    status.extend_from_slice(&ocsp);
    for (asks, staple) in [(false, Some("good.ocsp.der")), (true, None)] {
        let (error, alert) = refuses(
            client(version, asks, false, false),
            server(version, "good", staple, &[]),
            name(),
            Refuser::Client,
            1,
            |flight| {
                edit_plaintext_flight(flight, |messages| {
                    // ServerHello, Certificate, then the CertificateStatus.
                    messages.insert(2, status.clone());
                })
            },
        );
        assert_eq!(
            error,
            Error::UnexpectedMessage(UnexpectedMessageReason::ExpectedServerKeyExchange),
            "client asking: {asks}"
        );
        assert_eq!(alert, Some(AlertDescription::UnexpectedMessage.into()));
    }
}

#[test]
fn rfc6962_3_3_an_sct_list_as_ct_tooling_writes_it_is_read_whole() {
    let key = || CertifiedKey::from_pem(&text("good-chain.pem"), &text("good.key")).unwrap();
    // sct_list<1..2^16-1> of SerializedSCT<1..2^16-1>: "ab" and "c".
    let list = [0, 7, 0, 2, b'a', b'b', 0, 1, b'c'];
    let server = ServerConfig::builder(Arc::new(key().with_sct_list(&list).unwrap()))
        .clock(clock())
        .build()
        .unwrap();
    for version in VERSIONS {
        let (c, _) = handshaken(client(version, false, false, true), server.clone(), name());
        assert_eq!(
            c.stapled_scts(),
            [b"ab".to_vec(), b"c".to_vec()],
            "{version:?}"
        );
    }
    // An empty list, an empty SCT, a short length and trailing bytes.
    for bad in [
        &[0, 0][..],
        &[0, 2, 0, 0],
        &[0, 4, 0, 2, b'a'],
        &[0, 3, 0, 1, b'a', 0],
    ] {
        assert!(
            matches!(key().with_sct_list(bad), Err(Error::Decode(_))),
            "{bad:?}"
        );
    }
}
