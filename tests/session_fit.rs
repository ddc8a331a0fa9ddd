//! The resumption fit check (design §3): each refusal reason alone.

mod session_support;

use core::time::Duration;
use ferrotls::msgs::enums::{CipherSuite, ProtocolVersion};
use ferrotls::session::{check_resumption, ResumptionOffer, ResumptionRefusal};
use session_support::*;

const SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
];

/// An offer that fits `server_tls12()` exactly.
fn fitting_offer() -> ResumptionOffer<'static> {
    ResumptionOffer {
        version: ProtocolVersion::TLSv1_2,
        acceptable_suites: SUITES,
        extended_master_secret: true,
        encrypt_then_mac: false,
        server_name: Some(b"example.com"),
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
fn tls13_ignores_ems_and_etm() {
    let state = server_tls13();
    let offer = ResumptionOffer {
        version: ProtocolVersion::TLSv1_3,
        acceptable_suites: &[CipherSuite::TLS_AES_256_GCM_SHA384],
        extended_master_secret: true,
        encrypt_then_mac: false,
        server_name: None,
        now: CREATED,
    };
    assert_eq!(check_resumption(&state, &offer), Ok(()));
}
