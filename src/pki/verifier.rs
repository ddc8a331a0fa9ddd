//! The pluggable peer-certificate checks the handshake calls: the traits
//! [`ServerCertVerifier`] and [`ClientCertVerifier`], the built-in
//! validator behind both ([`WebPkiServerVerifier`],
//! [`WebPkiClientVerifier`]), and one explicitly insecure verifier for
//! tests, reachable only through `ClientConfig::dangerous()`.
//!
//! A successful check returns a proof value ([`ServerCertVerified`],
//! [`ClientCertVerified`]) that the handshake needs to go on, so a skipped
//! check does not compile (design §2, "Proofs, not flags").

use super::names::ServerName;
use super::path::{validate, Purpose, Validation};
use super::profile::Profile;
use super::revocation::Revocation;
use super::sigcache::SignatureCache;
use super::trust::RootStore;
use crate::error::{CertificateError, Error};
use crate::msgs::enums::CertificateType;
use std::sync::Arc;

/// What both built-in verifiers hold: the anchors, the signature cache
/// their clones share, the profile, and the revocation sources if any.
#[derive(Clone, Debug)]
struct PeerChecks {
    roots: Arc<RootStore>,
    signatures: Arc<SignatureCache>,
    profile: Profile,
    revocation: Option<Arc<Revocation>>,
}

impl PeerChecks {
    fn new(roots: Arc<RootStore>) -> Self {
        Self {
            roots,
            signatures: Arc::default(),
            profile: Profile::WebPki,
            revocation: None,
        }
    }

    /// The DER subject names of the anchors, in store order.
    fn root_subjects(&self) -> Vec<Vec<u8>> {
        self.roots
            .anchors()
            .iter()
            .map(|a| a.subject().to_vec())
            .collect()
    }

    /// Validates a peer's chain for `purpose` (and `name`, when given) at
    /// `now`: the one place the handshake's certificate check lives, with
    /// the verifier's signature cache, then the validated path's
    /// revocation ([`Revocation::check`]) when there are sources or a
    /// `stapled` OCSP response, which must be satisfactory either way
    /// (RFC 6066 §8; without sources, under the default soft-fail
    /// policy). Errors as [`verify_chain`](super::path::verify_chain) and
    /// [`Revocation::check`].
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`, see
    /// `docs/fuzzing.md`): every chain is accepted, so a fuzzer is not
    /// stopped by names, dates or issuers (the handshake still parses the
    /// end entity for its key; the `x509` target fuzzes path validation
    /// itself).
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    fn check_peer_chain(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        purpose: Purpose,
        name: Option<&ServerName>,
        stapled: Option<&[u8]>,
        now: u64,
    ) -> Result<(), Error> {
        #[cfg(fuzzing)]
        return Ok(());
        let mut validation = Validation::new(&self.roots, purpose, now).with_profile(self.profile);
        validation.name = name;
        let revoked = validate(
            end_entity,
            intermediates,
            &validation,
            Some(&self.signatures),
            |path| match (&self.revocation, stapled) {
                (Some(revocation), _) => revocation.check(&path.to_verified(), now, stapled),
                (None, Some(_)) => Revocation::default().check(&path.to_verified(), now, stapled),
                (None, None) => Ok(()),
            },
        )?;
        Ok(revoked?)
    }
}

/// Proof that a server's certificate chain was accepted.
#[derive(Debug)]
pub struct ServerCertVerified(());

impl ServerCertVerified {
    /// Creates the proof; only verifiers should call this, after checking.
    pub fn assertion() -> Self {
        Self(())
    }
}

/// Proof that a client's certificate chain was accepted.
#[derive(Debug)]
pub struct ClientCertVerified(());

impl ClientCertVerified {
    /// Creates the proof; only verifiers should call this, after checking.
    pub fn assertion() -> Self {
        Self(())
    }
}

/// What a server sent beside its end-entity certificate in the
/// handshake: a stapled OCSP response (RFC 6066 §8; RFC 8446 §4.4.2.1)
/// and signed certificate timestamps (RFC 6962 §3.3). Each is there only
/// when the client asked for it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StapledStatus<'a> {
    /// The DER OCSPResponse for the end entity.
    pub ocsp_response: Option<&'a [u8]>,
    /// The SerializedSCTs, as sent; empty when none.
    pub scts: &'a [Vec<u8>],
}

/// The owned form of [`StapledStatus`]: what a server staples to its end
/// entity, chosen by a server for one handshake, or received by a client
/// and kept with the session that handshake made, since a resumption
/// sends no Certificate to staple to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Staples {
    /// The DER OCSP response.
    pub ocsp_response: Option<Vec<u8>>,
    /// The SerializedSCTs; empty when none.
    pub scts: Vec<Vec<u8>>,
}

impl Staples {
    /// The staples as a verifier takes them.
    pub fn status(&self) -> StapledStatus<'_> {
        StapledStatus {
            ocsp_response: self.ocsp_response.as_deref(),
            scts: &self.scts,
        }
    }
}

/// Decides whether a server's certificate chain is acceptable.
pub trait ServerCertVerifier: core::fmt::Debug + Send + Sync {
    /// Checks `end_entity` (DER) with the presented `intermediates` (DER,
    /// any order) for `server_name` at `now` (UNIX seconds). A refusal is
    /// [`Error::InvalidCertificate`], whose alert the handshake sends.
    fn verify_server_cert(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: &ServerName,
        now: u64,
    ) -> Result<ServerCertVerified, Error>;

    /// Checks the chain as [`Self::verify_server_cert`], with what the
    /// server `stapled` to it; the handshake calls this one. The default
    /// ignores the staples, so a verifier written before them keeps
    /// working.
    fn verify_server_cert_stapled(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: &ServerName,
        stapled: StapledStatus<'_>,
        now: u64,
    ) -> Result<ServerCertVerified, Error> {
        let _ = stapled;
        self.verify_server_cert(end_entity, intermediates, server_name, now)
    }

    /// Whether the client should ask the server for a stapled OCSP
    /// response (status_request, RFC 6066 §8) for this verifier. Off by
    /// default.
    fn wants_ocsp_staple(&self) -> bool {
        false
    }

    /// The DER subject names of the accepted roots, which a client may
    /// send in its certificate_authorities extension (RFC 8446 §4.2.4).
    /// None by default: a verifier that does not judge by anchors has no
    /// names to give.
    fn root_subjects(&self) -> Vec<Vec<u8>> {
        Vec::new()
    }

    /// The certificate types this verifier checks, most preferred first
    /// (RFC 7250 §4.1). Unless it is X.509 alone, the client offers the
    /// list in server_certificate_type.
    fn certificate_types(&self) -> &[CertificateType] {
        &[CertificateType::X509]
    }

    /// Checks a raw public key the server presented (a DER
    /// SubjectPublicKeyInfo, RFC 7250 §3) for `server_name` at `now`.
    /// Verifiers that do not list [`CertificateType::RawPublicKey`] keep
    /// the default, which refuses it (`unsupported_certificate`).
    fn verify_server_raw_public_key(
        &self,
        spki: &[u8],
        server_name: &ServerName,
        now: u64,
    ) -> Result<ServerCertVerified, Error> {
        let _ = (spki, server_name, now);
        Err(Error::InvalidCertificate(
            CertificateError::UnsupportedCertificateType,
        ))
    }
}

/// Decides whether a client's certificate chain is acceptable.
pub trait ClientCertVerifier: core::fmt::Debug + Send + Sync {
    /// Checks `end_entity` (DER) with `intermediates` (DER, any order) at
    /// `now` (UNIX seconds). A refusal is [`Error::InvalidCertificate`].
    fn verify_client_cert(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        now: u64,
    ) -> Result<ClientCertVerified, Error>;

    /// The DER subject names of the accepted roots, for the
    /// certificate_authorities extension (RFC 8446 §4.2.4) or the TLS 1.2
    /// CertificateRequest (RFC 5246 §7.4.4).
    fn root_subjects(&self) -> Vec<Vec<u8>>;

    /// The certificate types this verifier checks, most preferred first
    /// (RFC 7250 §4.2: the server picks from the client's
    /// client_certificate_type list by them).
    fn certificate_types(&self) -> &[CertificateType] {
        &[CertificateType::X509]
    }

    /// Checks a raw public key the client presented (a DER
    /// SubjectPublicKeyInfo, RFC 7250 §3) at `now`. Verifiers that do not
    /// list [`CertificateType::RawPublicKey`] keep the default, which
    /// refuses it (`unsupported_certificate`).
    fn verify_client_raw_public_key(
        &self,
        spki: &[u8],
        now: u64,
    ) -> Result<ClientCertVerified, Error> {
        let _ = (spki, now);
        Err(Error::InvalidCertificate(
            CertificateError::UnsupportedCertificateType,
        ))
    }
}

/// The built-in server validator: path validation against a root store,
/// purpose serverAuth, name matched against the subjectAltName.
///
/// Certificate signatures that verified are remembered in a
/// [`SignatureCache`] shared by every connection using this verifier (and
/// its clones), so a client that meets the same chain again checks only
/// what can change: dates, names, usages, the path.
#[derive(Clone, Debug)]
pub struct WebPkiServerVerifier {
    checks: PeerChecks,
}

impl WebPkiServerVerifier {
    /// A verifier trusting `roots`, with an empty signature cache and no
    /// revocation checking.
    pub fn new(roots: Arc<RootStore>) -> Self {
        Self {
            checks: PeerChecks::new(roots),
        }
    }

    /// The same verifier applying `profile`'s rules instead of the
    /// default [`Profile::WebPki`].
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.checks.profile = profile;
        self
    }

    /// The same verifier, also checking every validated path against
    /// `revocation`'s CRLs and OCSP responses under its policy.
    pub fn with_revocation(mut self, revocation: Revocation) -> Self {
        self.checks.revocation = Some(Arc::new(revocation));
        self
    }

    /// The signature cache this verifier's connections share.
    pub fn signature_cache(&self) -> &SignatureCache {
        &self.checks.signatures
    }
}

impl ServerCertVerifier for WebPkiServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: &ServerName,
        now: u64,
    ) -> Result<ServerCertVerified, Error> {
        self.verify_server_cert_stapled(
            end_entity,
            intermediates,
            server_name,
            StapledStatus::default(),
            now,
        )
    }

    /// Validates the chain; a stapled OCSP response is checked with the
    /// revocation sources (a good one satisfies a hard-fail policy for
    /// the end entity, a revoked one is `certificate_revoked`, an
    /// unusable one `bad_certificate_status_response`). SCTs are not
    /// judged: there is no log list to check them against.
    fn verify_server_cert_stapled(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: &ServerName,
        stapled: StapledStatus<'_>,
        now: u64,
    ) -> Result<ServerCertVerified, Error> {
        self.checks.check_peer_chain(
            end_entity,
            intermediates,
            Purpose::ServerAuth,
            Some(server_name),
            stapled.ocsp_response,
            now,
        )?;
        Ok(ServerCertVerified::assertion())
    }

    /// On when revocation sources are configured: a staple is then the
    /// freshest source for the end entity.
    fn wants_ocsp_staple(&self) -> bool {
        self.checks.revocation.is_some()
    }

    fn root_subjects(&self) -> Vec<Vec<u8>> {
        self.checks.root_subjects()
    }
}

/// The built-in client validator: path validation against a root store,
/// purpose clientAuth, no name check. Verified certificate signatures are
/// remembered as by [`WebPkiServerVerifier`].
#[derive(Clone, Debug)]
pub struct WebPkiClientVerifier {
    checks: PeerChecks,
}

impl WebPkiClientVerifier {
    /// A verifier trusting `roots`, without revocation checking. Whether
    /// a client must present a certificate is the server's [`ClientAuth`]
    /// setting, not the verifier's.
    pub fn new(roots: Arc<RootStore>) -> Self {
        Self {
            checks: PeerChecks::new(roots),
        }
    }

    /// The same verifier applying `profile`'s rules instead of the
    /// default [`Profile::WebPki`].
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.checks.profile = profile;
        self
    }

    /// The same verifier, also checking every validated path against
    /// `revocation`'s CRLs and OCSP responses under its policy.
    pub fn with_revocation(mut self, revocation: Revocation) -> Self {
        self.checks.revocation = Some(Arc::new(revocation));
        self
    }

    /// The signature cache this verifier's connections share.
    pub fn signature_cache(&self) -> &SignatureCache {
        &self.checks.signatures
    }
}

impl ClientCertVerifier for WebPkiClientVerifier {
    fn verify_client_cert(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        now: u64,
    ) -> Result<ClientCertVerified, Error> {
        self.checks.check_peer_chain(
            end_entity,
            intermediates,
            Purpose::ClientAuth,
            None,
            None,
            now,
        )?;
        Ok(ClientCertVerified::assertion())
    }

    fn root_subjects(&self) -> Vec<Vec<u8>> {
        self.checks.root_subjects()
    }
}

/// INSECURE: accepts every server certificate without looking at it. For
/// tests against peers with throw-away certificates only; a connection
/// using it is open to any active attacker. Reachable only through
/// `ClientConfig::dangerous()`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct AcceptAnyServerCertificate;

impl ServerCertVerifier for AcceptAnyServerCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &[u8],
        _intermediates: &[&[u8]],
        _server_name: &ServerName,
        _now: u64,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }
}

/// What a server asks of its clients' certificates (RFC 8446 §4.3.2): the
/// one place that says whether a certificate is mandatory.
#[derive(Clone, Debug, Default)]
pub enum ClientAuth {
    /// No CertificateRequest is sent.
    #[default]
    None,
    /// A CertificateRequest is sent; a client without a certificate may
    /// go on, a client with one must pass the verifier.
    Optional(Arc<dyn ClientCertVerifier>),
    /// A CertificateRequest is sent; a client without a certificate is
    /// refused with `certificate_required` (RFC 8446 §4.4.2.4).
    Required(Arc<dyn ClientCertVerifier>),
}

impl ClientAuth {
    /// The verifier, when a certificate is requested.
    pub fn verifier(&self) -> Option<&Arc<dyn ClientCertVerifier>> {
        match self {
            Self::None => None,
            Self::Optional(v) | Self::Required(v) => Some(v),
        }
    }
}
