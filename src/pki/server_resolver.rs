//! The server's choice of certificate at the moment a client asks: what
//! the ClientHello said (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2), and the
//! application's hook to answer it then.
//!
//! Without a resolver, a server chooses among its configured
//! certificates ([`crate::ServerConfig::certificates`]). A resolver suits
//! a server whose certificates are too many to load up front (a host of
//! many names), change while it runs (ACME renewals), or depend on more
//! than the name (an ACME `tls-alpn-01` challenge, RFC 8737, answered
//! only to a ClientHello offering `acme-tls/1`): it sees the ClientHello
//! and returns the certificates to choose from. Either way the engine
//! sends only a certificate that fits (its type, a key and scheme the
//! client accepts, in TLS 1.2 a suite it offers, its keyUsage, RFC 5280
//! §4.2.1.3), those covering the client's server_name first (RFC 6066
//! §3), and ends the handshake with `handshake_failure` when none does.
//! A resumption sends no certificate and asks nothing.

use std::sync::Arc;

use super::CertifiedKey;
use crate::msgs::enums::{CipherSuite, ProtocolVersion, SignatureScheme};

/// What a client's ClientHello asked of the server's certificate.
#[derive(Clone, Copy, Debug)]
pub struct ClientHelloInfo<'a> {
    pub(crate) version: ProtocolVersion,
    pub(crate) server_name: Option<&'a str>,
    pub(crate) signature_schemes: &'a [SignatureScheme],
    pub(crate) cipher_suites: &'a [CipherSuite],
    pub(crate) alpn_protocols: &'a [Vec<u8>],
    pub(crate) authorities: &'a [Vec<u8>],
}

impl<'a> ClientHelloInfo<'a> {
    /// The protocol version the handshake negotiated.
    pub fn version(&self) -> ProtocolVersion {
        self.version
    }

    /// The host name the client's server_name extension named (RFC 6066
    /// §3), as it sent it (DNS names compare without regard to case: a
    /// lookup by name should lowercase it); `None` when it named none.
    pub fn server_name(&self) -> Option<&'a str> {
        self.server_name
    }

    /// The signature schemes the client accepts (signature_algorithms,
    /// RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1). Empty when it sent none,
    /// which before TLS 1.3 means SHA-1 with the suite's key type.
    pub fn signature_schemes(&self) -> &'a [SignatureScheme] {
        self.signature_schemes
    }

    /// The cipher suites the client offers, in its order.
    pub fn cipher_suites(&self) -> &'a [CipherSuite] {
        self.cipher_suites
    }

    /// The application protocols the client offers (ALPN, RFC 7301
    /// §3.1), in its order; empty without the extension.
    pub fn alpn_protocols(&self) -> &'a [Vec<u8>] {
        self.alpn_protocols
    }

    /// The DER DistinguishedNames of the CAs the client trusts, from its
    /// certificate_authorities extension (RFC 8446 §4.2.4); empty
    /// without it, and below TLS 1.3, which defines no such names in a
    /// ClientHello.
    pub fn authorities(&self) -> &'a [Vec<u8>] {
        self.authorities
    }
}

/// Chooses the certificates a server may answer a ClientHello with. Set
/// with [`crate::ServerConfigBuilder::certificate_resolver`]; the
/// resolver's answer comes before the configured certificates, which are
/// the fallback.
///
/// ```
/// use std::collections::HashMap;
/// use std::sync::Arc;
/// use ferrotls::{CertifiedKey, ClientHelloInfo, ServerCertResolver};
///
/// /// Serves each host its own certificates, and the `tls-alpn-01`
/// /// challenge certificate (RFC 8737) to the ACME validator.
/// #[derive(Debug)]
/// struct Hosts {
///     by_name: HashMap<String, Vec<Arc<CertifiedKey>>>,
///     challenge: Option<Arc<CertifiedKey>>,
/// }
///
/// impl ServerCertResolver for Hosts {
///     fn resolve(&self, hello: &ClientHelloInfo<'_>) -> Vec<Arc<CertifiedKey>> {
///         let acme = hello.alpn_protocols().iter().any(|p| p == b"acme-tls/1");
///         if acme {
///             return self.challenge.iter().cloned().collect();
///         }
///         hello
///             .server_name()
///             .and_then(|name| self.by_name.get(&name.to_ascii_lowercase()))
///             .cloned()
///             .unwrap_or_default()
///     }
/// }
/// ```
pub trait ServerCertResolver: core::fmt::Debug + Send + Sync {
    /// The certificates to choose from for `hello`, most preferred
    /// first: an ECDSA and an RSA one for the same name let the engine
    /// serve clients of either. None falls back to the configured
    /// certificates, if any. Called once per full handshake, while the
    /// ClientHello is processed; it should not block for long.
    fn resolve(&self, hello: &ClientHelloInfo<'_>) -> Vec<Arc<CertifiedKey>>;
}
