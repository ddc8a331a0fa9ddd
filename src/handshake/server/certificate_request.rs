//! The TLS 1.3 CertificateRequest a server sends (RFC 8446 §4.3.2), one
//! construction for the request in the handshake and for every
//! post-handshake request (§4.6.2), so that a client sees the same
//! extensions either way.

use crate::config::ServerConfig;
use crate::error::Error;
use crate::handshake::authorities::advertised;
use crate::handshake::{certificate_compression, draw_grease};
use crate::msgs::certificate::CertificateRequestTls13;
use crate::msgs::enums::SignatureScheme;
use crate::msgs::extensions::Extension;
use crate::pki::ClientCertVerifier;

/// A CertificateRequest with `context` (empty in the handshake, unique
/// after it, RFC 8446 §4.3.2), and the signature schemes it lists, the
/// only ones the client's CertificateVerify may use. Its extensions:
/// - signature_algorithms, our configured schemes whole, as our
///   ClientHello lists them (required, §4.3.2): without
///   signature_algorithms_cert they also name the certificate signatures
///   we accept, PKCS#1 v1.5 ones included (§4.2.3), though the client's
///   CertificateVerify must use one TLS 1.3 allows (§4.4.3, checked on
///   receipt);
/// - certificate_authorities, the names of `verifier`'s anchors, bounded
///   by [`MAX_CERTIFICATE_AUTHORITIES_BYTES`](crate::MAX_CERTIFICATE_AUTHORITIES_BYTES)
///   (§4.2.4), when it has any;
/// - compress_certificate, the algorithms we decompress, when any are
///   configured (RFC 8879 §3);
/// - with [`ServerConfig::grease`], a GREASE signature scheme first in
///   signature_algorithms and an empty GREASE extension last (RFC 8701
///   §3.2), neither among the schemes returned.
pub(super) fn certificate_request(
    config: &ServerConfig,
    verifier: &dyn ClientCertVerifier,
    context: Vec<u8>,
) -> Result<(CertificateRequestTls13, Vec<SignatureScheme>), Error> {
    let common = &config.common;
    let grease = draw_grease(config.grease, common)?;
    let schemes = common.signature_schemes.clone();
    let listed = grease
        .map(|g| g.signature_scheme())
        .into_iter()
        .chain(schemes.iter().copied())
        .collect();
    let mut extensions = vec![Extension::SignatureAlgorithms(listed)];
    let authorities = advertised(verifier.root_subjects());
    if !authorities.is_empty() {
        extensions.push(Extension::CertificateAuthorities(authorities));
    }
    extensions.extend(certificate_compression::offer(common));
    extensions.extend(grease.map(|g| Extension::Unknown {
        typ: g.last_extension(),
        data: Vec::new(),
    }));
    Ok((
        CertificateRequestTls13 {
            context,
            extensions,
        },
        schemes,
    ))
}
