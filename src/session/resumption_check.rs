//! Whether a cached server session may resume the connection at hand
//! (design §3: "a cached session is refused (full handshake instead)
//! when ..."). A pure function of the cached state and the new
//! ClientHello's parameters, so every refusal can be tested alone. And,
//! for a client that checks again what it resumes, whether a stored
//! session's server chain still passes its verifier.

use crate::msgs::enums::{CertificateType, CipherSuite, ProtocolVersion};
use crate::pki::algorithm::public_key;
use crate::pki::{ClientAuth, ServerCertVerifier, ServerName, Staples};
use crate::session::state::ServerSessionState;
use crate::time::UnixTime;

/// What the new handshake offers, as the server has negotiated it so far.
#[derive(Clone, Copy, Debug)]
pub struct ResumptionOffer<'a> {
    /// The version this connection negotiated.
    pub version: ProtocolVersion,
    /// The cipher suites the session's suite may be resumed with. TLS ≤1.2:
    /// those the client offered and the server enables (the resumed suite
    /// must be among the client's, RFC 5246 §7.4.1.2). TLS 1.3: those with
    /// the hash of the suite the server chose (RFC 8446 §4.2.11).
    pub acceptable_suites: &'a [CipherSuite],
    /// Whether the ClientHello carries extended_master_secret (RFC 7627).
    pub extended_master_secret: bool,
    /// Whether the ClientHello carries encrypt_then_mac (RFC 7366).
    pub encrypt_then_mac: bool,
    /// The max_fragment_length code the server would agree to now (RFC
    /// 6066 §4): the client's, unless a record_size_limit replaces it
    /// (RFC 8449 §5) or there is none.
    pub max_fragment_length: Option<u8>,
    /// The SNI host_name of the ClientHello, if any (RFC 6066 §3).
    pub server_name: Option<&'a [u8]>,
    /// The server's client authentication now, which a resumed session
    /// must satisfy as a full handshake would.
    pub client_auth: &'a ClientAuth,
    /// The current time.
    pub now: UnixTime,
}

/// Why a cached session may not resume this connection; the handshake
/// then runs in full (design §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResumptionRefusal {
    /// The session's lifetime is over, or its authentication is more
    /// than 7 days old (RFC 8446 §4.6.1).
    Expired,
    /// The session was made with another protocol version (RFC 5246
    /// §7.4.1.2; RFC 8446 §4.2.11 for PSKs).
    VersionMismatch,
    /// The session's cipher suite is not acceptable for this connection.
    CipherSuiteMismatch,
    /// The session did not use the extended master secret but this
    /// ClientHello offers it: the server must not resume (RFC 7627 §5.3).
    ExtendedMasterSecretOfferedNow,
    /// The session used the extended master secret but this ClientHello
    /// does not offer it. RFC 7627 §5.3: the server aborts the handshake
    /// (`handshake_failure`); the TLS ≤1.2 server turns this refusal into
    /// that error instead of a full handshake.
    ExtendedMasterSecretMissing,
    /// The session used encrypt-then-MAC but this ClientHello does not
    /// offer it, which would downgrade the record protection (RFC 7366
    /// §3.1).
    EncryptThenMacMissing,
    /// The session's max_fragment_length differs from the one this
    /// ClientHello would agree to, or one of the two has none: the
    /// negotiated length "applies for the duration of the session
    /// including session resumptions" (RFC 6066 §4), so a new length
    /// needs a new session. (OpenSSL's server resumes and answers the
    /// session's length, which a client that asked for another refuses.)
    MaxFragmentLengthChanged,
    /// The session was made for another server name (RFC 6066 §3,
    /// RFC 8446 §4.2.11).
    ServerNameMismatch,
    /// The server's client verifier does not accept the session's client
    /// chain now, or requires a chain and the session has none. A full
    /// handshake then asks for the certificate (RFC 8446 §4.3.2, RFC 5246
    /// §7.4.4), as resuming would skip the check.
    ClientAuthentication,
}

/// Whether `state` may resume the connection described by `offer`.
///
/// A session without the extended master secret resumed by a ClientHello
/// without it is accepted: RFC 7627 §5.3 says the server SHOULD abort, but
/// legacy peers must still resume; whether to require the extension is
/// the handshake configuration's decision.
///
/// Returns `Ok(())` when the session fits, otherwise the first reason it
/// does not, checked in this order: expiry, version, cipher suite,
/// extended master secret (TLS ≤1.2 only), encrypt-then-MAC (TLS ≤1.2
/// only), max_fragment_length (TLS ≤1.2 only: a TLS 1.3 handshake
/// agrees on it afresh, resumed or not), server name (ASCII
/// case-insensitive, as DNS names compare), client authentication (a
/// recorded client chain must pass the current verifier again; a
/// required one must be there).
pub fn check_resumption(
    state: &ServerSessionState,
    offer: &ResumptionOffer<'_>,
) -> Result<(), ResumptionRefusal> {
    if state.is_expired(offer.now) {
        return Err(ResumptionRefusal::Expired);
    }
    if state.version != offer.version {
        return Err(ResumptionRefusal::VersionMismatch);
    }
    if !offer.acceptable_suites.contains(&state.cipher_suite) {
        return Err(ResumptionRefusal::CipherSuiteMismatch);
    }
    if state.version != ProtocolVersion::TLSv1_3 {
        match (state.extended_master_secret, offer.extended_master_secret) {
            (false, true) => return Err(ResumptionRefusal::ExtendedMasterSecretOfferedNow),
            (true, false) => return Err(ResumptionRefusal::ExtendedMasterSecretMissing),
            _ => {}
        }
        if state.encrypt_then_mac && !offer.encrypt_then_mac {
            return Err(ResumptionRefusal::EncryptThenMacMissing);
        }
        if state.max_fragment_length != offer.max_fragment_length {
            return Err(ResumptionRefusal::MaxFragmentLengthChanged);
        }
    }
    let same_name = match (state.server_name.as_deref(), offer.server_name) {
        (None, None) => true,
        (Some(cached), Some(offered)) => cached.eq_ignore_ascii_case(offered),
        _ => false,
    };
    if !same_name {
        return Err(ResumptionRefusal::ServerNameMismatch);
    }
    if !client_auth_fits(&state.peer_certificates, offer.client_auth, offer) {
        return Err(ResumptionRefusal::ClientAuthentication);
    }
    Ok(())
}

/// Whether a session with client chain `chain` (leaf first; empty without
/// client authentication) satisfies `client_auth` at `offer.now`: without
/// client authentication any session does; a recorded chain must pass the
/// current verifier again ([`recorded_chain_passes`]); no chain is enough
/// only when the certificate is optional.
fn client_auth_fits(
    chain: &[Vec<u8>],
    client_auth: &ClientAuth,
    offer: &ResumptionOffer<'_>,
) -> bool {
    let Some(verifier) = client_auth.verifier() else {
        return true;
    };
    let now = offer.now.as_secs();
    match chain {
        [] => !matches!(client_auth, ClientAuth::Required(_)),
        _ => recorded_chain_passes(
            chain,
            verifier.certificate_types(),
            |spki| verifier.verify_client_raw_public_key(spki, now).is_ok(),
            |end_entity, intermediates| {
                verifier
                    .verify_client_cert(end_entity, intermediates, now)
                    .is_ok()
            },
        ),
    }
}

/// Whether the server chain `chain` a client stored with a session or
/// ticket (leaf first) passes `verifier` for `server_name` at `now` with
/// the `staples` stored beside it, as in the full handshake that made
/// the session ([`recorded_chain_passes`]). A client configured to check
/// again what it resumes offers a session only when it does, so that a
/// trust decision taken since (a distrusted root, an expired
/// certificate, an OCSP response no longer current) holds for
/// resumptions too.
pub fn server_chain_passes(
    chain: &[Vec<u8>],
    staples: &Staples,
    verifier: &dyn ServerCertVerifier,
    server_name: &ServerName,
    now: UnixTime,
) -> bool {
    let now = now.as_secs();
    recorded_chain_passes(
        chain,
        verifier.certificate_types(),
        |spki| {
            verifier
                .verify_server_raw_public_key(spki, server_name, now)
                .is_ok()
        },
        |end_entity, intermediates| {
            verifier
                .verify_server_cert_stapled(
                    end_entity,
                    intermediates,
                    server_name,
                    staples.status(),
                    now,
                )
                .is_ok()
        },
    )
}

/// Whether a peer's chain recorded with a session passes a verifier of
/// the certificate types `types` again: a raw public key (RFC 7250: one
/// SubjectPublicKeyInfo, which no certificate parses as) by `raw_key`,
/// when the verifier takes raw keys; otherwise the end entity with the
/// intermediates after it by `certificate`. An empty chain does not
/// pass.
fn recorded_chain_passes(
    chain: &[Vec<u8>],
    types: &[CertificateType],
    raw_key: impl FnOnce(&[u8]) -> bool,
    certificate: impl FnOnce(&[u8], &[&[u8]]) -> bool,
) -> bool {
    match chain {
        [] => false,
        [spki] if types.contains(&CertificateType::RawPublicKey) && public_key(spki).is_ok() => {
            raw_key(spki)
        }
        [end_entity, intermediates @ ..] => {
            let intermediates: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
            certificate(end_entity, &intermediates)
        }
    }
}
