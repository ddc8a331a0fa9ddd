//! The resumption fit check (design §3): each refusal reason alone.

mod session_support;

use core::time::Duration;
use ferrotls::internal::session::{check_resumption, ResumptionOffer, ResumptionRefusal};
use ferrotls::{CipherSuite, ClientAuth, ProtocolVersion};
use session_support::*;

const SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
];

static NO_CLIENT_AUTH: ClientAuth = ClientAuth::None;

/// An offer that fits `server_tls12()` exactly.
fn fitting_offer() -> ResumptionOffer<'static> {
    ResumptionOffer {
        version: ProtocolVersion::TLSv1_2,
        acceptable_suites: SUITES,
        extended_master_secret: true,
        encrypt_then_mac: false,
        max_fragment_length: Some(2),
        server_name: Some(b"example.com"),
        client_auth: &NO_CLIENT_AUTH,
        now: CREATED.saturating_add(Duration::from_secs(60)),
    }
}

#[test]
fn a_fitting_offer_resumes() {
    assert_eq!(check_resumption(&server_tls12(), &fitting_offer()), Ok(()));
    let shouting = ResumptionOffer {
        server_name: Some(b"EXAMPLE.com"),
        ..fitting_offer()
    };
    assert_eq!(
        check_resumption(&server_tls12(), &shouting),
        Ok(()),
        "DNS names compare case-insensitively"
    );
}

#[test]
fn expired_is_refused() {
    let state = server_tls12();
    let at_expiry = ResumptionOffer {
        now: state.validity.expires_at(),
        ..fitting_offer()
    };
    assert_eq!(
        check_resumption(&state, &at_expiry),
        Err(ResumptionRefusal::Expired)
    );
}

#[test]
fn other_version_is_refused() {
    let offer = ResumptionOffer {
        version: ProtocolVersion::TLSv1_1,
        ..fitting_offer()
    };
    assert_eq!(
        check_resumption(&server_tls12(), &offer),
        Err(ResumptionRefusal::VersionMismatch)
    );
}

#[test]
fn suite_not_acceptable_is_refused() {
    let offer = ResumptionOffer {
        acceptable_suites: &[CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384],
        ..fitting_offer()
    };
    assert_eq!(
        check_resumption(&server_tls12(), &offer),
        Err(ResumptionRefusal::CipherSuiteMismatch)
    );
}

#[test]
fn ems_session_without_ems_offer_is_refused() {
    let offer = ResumptionOffer {
        extended_master_secret: false,
        ..fitting_offer()
    };
    assert_eq!(
        check_resumption(&server_tls12(), &offer),
        Err(ResumptionRefusal::ExtendedMasterSecretMissing)
    );
}

#[test]
fn non_ems_session_with_ems_offer_is_refused() {
    let mut state = server_tls12();
    state.extended_master_secret = false;
    assert_eq!(
        check_resumption(&state, &fitting_offer()),
        Err(ResumptionRefusal::ExtendedMasterSecretOfferedNow)
    );
    let without = ResumptionOffer {
        extended_master_secret: false,
        ..fitting_offer()
    };
    assert_eq!(check_resumption(&state, &without), Ok(()));
}

#[test]
fn etm_session_without_etm_offer_is_refused() {
    let mut state = server_tls12();
    state.encrypt_then_mac = true;
    assert_eq!(
        check_resumption(&state, &fitting_offer()),
        Err(ResumptionRefusal::EncryptThenMacMissing)
    );
    let with = ResumptionOffer {
        encrypt_then_mac: true,
        ..fitting_offer()
    };
    assert_eq!(check_resumption(&state, &with), Ok(()));
}

#[test]
fn another_max_fragment_length_or_none_is_refused() {
    for code in [Some(1), Some(4), None] {
        let offer = ResumptionOffer {
            max_fragment_length: code,
            ..fitting_offer()
        };
        assert_eq!(
            check_resumption(&server_tls12(), &offer),
            Err(ResumptionRefusal::MaxFragmentLengthChanged),
            "{code:?}"
        );
    }
    let mut unbound = server_tls12();
    unbound.max_fragment_length = None;
    assert_eq!(
        check_resumption(&unbound, &fitting_offer()),
        Err(ResumptionRefusal::MaxFragmentLengthChanged),
        "a session without one is not resumed with one"
    );
    let without = ResumptionOffer {
        max_fragment_length: None,
        ..fitting_offer()
    };
    assert_eq!(check_resumption(&unbound, &without), Ok(()));
}

#[test]
fn other_server_name_is_refused() {
    for name in [Some(&b"other.example"[..]), None] {
        let offer = ResumptionOffer {
            server_name: name,
            ..fitting_offer()
        };
        assert_eq!(
            check_resumption(&server_tls12(), &offer),
            Err(ResumptionRefusal::ServerNameMismatch)
        );
    }
    let mut nameless = server_tls12();
    nameless.server_name = None;
    assert_eq!(
        check_resumption(&nameless, &fitting_offer()),
        Err(ResumptionRefusal::ServerNameMismatch)
    );
}

#[test]
fn tls13_ignores_ems_etm_and_max_fragment_length() {
    let state = server_tls13();
    let offer = ResumptionOffer {
        version: ProtocolVersion::TLSv1_3,
        acceptable_suites: &[CipherSuite::TLS_AES_256_GCM_SHA384],
        extended_master_secret: true,
        encrypt_then_mac: false,
        max_fragment_length: Some(1),
        server_name: None,
        client_auth: &NO_CLIENT_AUTH,
        now: CREATED,
    };
    assert_eq!(check_resumption(&state, &offer), Ok(()));
}

/// A client verifier trusting the p384 test root (`vectors/pki`).
fn p384_verifier() -> std::sync::Arc<ferrotls::WebPkiClientVerifier> {
    let pem = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/vectors/pki/p384-root.pem"
    ))
    .unwrap();
    let mut roots = ferrotls::RootStore::new();
    roots.add_pem(&pem).unwrap();
    std::sync::Arc::new(ferrotls::WebPkiClientVerifier::new(std::sync::Arc::new(
        roots,
    )))
}

#[test]
fn client_auth_required_needs_a_chain_the_verifier_accepts_now() {
    let required = ClientAuth::Required(p384_verifier());
    let optional = ClientAuth::Optional(p384_verifier());
    let mut state = server_tls12();
    // The sample chain is not a certificate at all.
    for client_auth in [&required, &optional] {
        let offer = ResumptionOffer {
            client_auth,
            ..fitting_offer()
        };
        assert_eq!(
            check_resumption(&state, &offer),
            Err(ResumptionRefusal::ClientAuthentication)
        );
    }
    state.peer_certificates.clear();
    let offer = ResumptionOffer {
        client_auth: &required,
        ..fitting_offer()
    };
    assert_eq!(
        check_resumption(&state, &offer),
        Err(ResumptionRefusal::ClientAuthentication),
        "required, and the session has no chain"
    );
    let offer = ResumptionOffer {
        client_auth: &optional,
        ..fitting_offer()
    };
    assert_eq!(
        check_resumption(&state, &offer),
        Ok(()),
        "optional: no chain resumes"
    );
}

#[test]
fn rfc8446_s4_6_1_a_session_authenticated_7_days_ago_is_expired_whatever_its_lifetime() {
    use ferrotls::internal::session::state::MAX_LIFETIME_SECS;
    use ferrotls::internal::session::Validity;
    let cap = Duration::from_secs(u64::from(MAX_LIFETIME_SECS));
    let at_cap = ResumptionOffer {
        now: CREATED.saturating_add(cap),
        ..fitting_offer()
    };
    // Renewed just now with a fresh lifetime, authenticated 7 days ago.
    let mut state = server_tls12();
    state.validity = Validity::new(at_cap.now, 7200);
    state.authenticated = Some(CREATED);
    assert_eq!(
        check_resumption(&state, &at_cap),
        Err(ResumptionRefusal::Expired)
    );
    state.authenticated = Some(CREATED.saturating_add(Duration::from_secs(1)));
    assert_eq!(check_resumption(&state, &at_cap), Ok(()), "one second left");
    // Data written before the field existed: the creation time stands in.
    state.authenticated = None;
    assert_eq!(state.authenticated_at(), at_cap.now);
    assert_eq!(check_resumption(&state, &at_cap), Ok(()));
}
