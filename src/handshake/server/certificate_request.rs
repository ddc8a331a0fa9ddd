//! The TLS 1.3 CertificateRequest a server sends (RFC 8446 §4.3.2), one
//! construction for the request in the handshake and for every
//! post-handshake request (§4.6.2), so that a client sees the same
//! extensions either way.

use crate::config::CommonConfig;
use crate::handshake::authorities::advertised;
use crate::handshake::{certificate_compression, client_auth_schemes};
use crate::msgs::certificate::CertificateRequestTls13;
use crate::msgs::enums::SignatureScheme;
use crate::msgs::extensions::Extension;
use crate::pki::ClientCertVerifier;

/// A CertificateRequest with `context` (empty in the handshake, unique
/// after it, RFC 8446 §4.3.2), and the signature schemes it lists, the
/// only ones the client's CertificateVerify may use. Its extensions:
/// - signature_algorithms, our TLS 1.3 handshake schemes (required,
///   §4.3.2);
/// - certificate_authorities, the names of `verifier`'s anchors, bounded
///   by [`MAX_CERTIFICATE_AUTHORITIES_BYTES`](crate::MAX_CERTIFICATE_AUTHORITIES_BYTES)
///   (§4.2.4), when it has any;
/// - compress_certificate, the algorithms we decompress, when any are
///   configured (RFC 8879 §3).
pub(super) fn certificate_request(
    common: &CommonConfig,
    verifier: &dyn ClientCertVerifier,
    context: Vec<u8>,
) -> (CertificateRequestTls13, Vec<SignatureScheme>) {
    let schemes = client_auth_schemes(&common.signature_schemes);
    let mut extensions = vec![Extension::SignatureAlgorithms(schemes.as_slice().into())];
    let authorities = advertised(verifier.root_subjects());
    if !authorities.is_empty() {
        extensions.push(Extension::CertificateAuthorities(authorities));
    }
    extensions.extend(certificate_compression::offer(common));
    (
        CertificateRequestTls13 {
            context,
            extensions,
        },
        schemes,
    )
}
