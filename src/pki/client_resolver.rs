//! The client's choice of certificate when a server asks for one: what
//! the server's CertificateRequest said (RFC 8446 §4.3.2, RFC 5246
//! §7.4.4), and the application's hook to answer it at that moment.
//!
//! Without a resolver, a client offers the first of its configured
//! certificates that fits ([`crate::ClientConfig::client_certificates`]).
//! A resolver suits a client whose certificates are too many to load up
//! front, live in a token that must be unlocked when one is wanted, or
//! depend on which server asked: it sees the request and returns one
//! certificate, or none. Either way the engine sends only a certificate
//! that fits the request (its key type and a signature scheme the server
//! accepts, its keyUsage allowing signatures, RFC 5280 §4.2.1.3), and an
//! empty Certificate otherwise (RFC 8446 §4.4.2, RFC 5246 §7.4.6), which
//! the server may accept or refuse.

use std::sync::Arc;

use super::{CertifiedKey, ServerName};
use crate::msgs::enums::{CertificateType, ProtocolVersion, SignatureScheme};

/// What a server asked for when it requested a client certificate.
#[derive(Clone, Copy, Debug)]
pub struct CertificateRequestInfo<'a> {
    pub(crate) version: ProtocolVersion,
    pub(crate) server_name: &'a ServerName,
    pub(crate) authorities: &'a [Vec<u8>],
    pub(crate) signature_schemes: &'a [SignatureScheme],
    pub(crate) certificate_type: CertificateType,
    pub(crate) post_handshake: bool,
}

impl<'a> CertificateRequestInfo<'a> {
    /// The negotiated protocol version.
    pub fn version(&self) -> ProtocolVersion {
        self.version
    }

    /// The server this client connected to, as its configuration named it.
    pub fn server_name(&self) -> &'a ServerName {
        self.server_name
    }

    /// The DER DistinguishedNames of the CAs the server accepts
    /// certificates under: its certificate_authorities extension (RFC
    /// 8446 §4.2.4) or, before TLS 1.3, the request's list (RFC 5246
    /// §7.4.4). Empty when the server named none, which means any.
    pub fn authorities(&self) -> &'a [Vec<u8>] {
        self.authorities
    }

    /// The signature schemes the server accepts in CertificateVerify
    /// (signature_algorithms, RFC 8446 §4.2.3; RFC 5246 §7.4.4). Empty
    /// under TLS 1.0 and 1.1, whose requests list none (RFC 4346 §7.4.4).
    pub fn signature_schemes(&self) -> &'a [SignatureScheme] {
        self.signature_schemes
    }

    /// How the certificate goes on the wire: X.509, or a raw public key
    /// when client_certificate_type negotiated one (RFC 7250 §4.2), in
    /// which case a key without a chain fits.
    pub fn certificate_type(&self) -> CertificateType {
        self.certificate_type
    }

    /// Whether the request came after the handshake (TLS 1.3
    /// post-handshake authentication, RFC 8446 §4.6.2).
    pub fn post_handshake(&self) -> bool {
        self.post_handshake
    }
}

/// The client_certificate_type list (RFC 7250 §4.1, most preferred
/// first) a client with `keys` offers unless configured otherwise: X.509
/// when a key has a chain, a raw public key when one has none, in the
/// order of the first key of each kind. A client given its certificates
/// through a [`ClientCertResolver`] offers X.509 alone, since it does not
/// know them; one that may answer with a key without a chain sets
/// [`crate::ClientConfigBuilder::client_certificate_types`] to this list
/// of its keys.
pub fn default_certificate_types(
    keys: &[Arc<CertifiedKey>],
) -> impl Iterator<Item = CertificateType> + '_ {
    let first = |chained: bool| keys.iter().position(|k| k.has_certificate() == chained);
    let mut found = [
        (first(true), CertificateType::X509),
        (first(false), CertificateType::RawPublicKey),
    ];
    found.sort_by_key(|(at, _)| at.unwrap_or(usize::MAX));
    found
        .into_iter()
        .filter(|(at, _)| at.is_some())
        .map(|(_, typ)| typ)
}

/// Chooses the certificate a client answers a CertificateRequest with.
/// Set with [`crate::ClientConfigBuilder::client_certificate_resolver`],
/// in place of configured certificates.
///
/// ```
/// use std::sync::Arc;
/// use ferrotls::{CertificateRequestInfo, CertifiedKey, ClientCertResolver};
///
/// /// Shows the work certificate only to servers that name the work CA.
/// #[derive(Debug)]
/// struct WorkOnly {
///     /// The DER subject name of the work CA.
///     work_ca: Vec<u8>,
///     work: Arc<CertifiedKey>,
/// }
///
/// impl ClientCertResolver for WorkOnly {
///     fn resolve(&self, request: &CertificateRequestInfo<'_>) -> Option<Arc<CertifiedKey>> {
///         let named = request.authorities().iter().any(|name| *name == self.work_ca);
///         named.then(|| self.work.clone())
///     }
/// }
/// ```
pub trait ClientCertResolver: core::fmt::Debug + Send + Sync {
    /// The certificate to offer for `request`, or `None` to send none.
    /// Called once per request, during the handshake (or, for a
    /// post-handshake request, while its message is processed); it
    /// should not block for long.
    fn resolve(&self, request: &CertificateRequestInfo<'_>) -> Option<Arc<CertifiedKey>>;
}
