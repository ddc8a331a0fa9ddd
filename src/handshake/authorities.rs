//! certificate_authorities (RFC 8446 §4.2.4; in TLS 1.2 the
//! CertificateRequest's `certificate_authorities` field, RFC 5246
//! §7.4.4): the server names the CAs of its client-authentication
//! anchors, bounded; a client with several certificates offers first one
//! issued under a named CA. The other way, opt-in, a TLS 1.3 client names
//! its anchors in ClientHello and a server with several certificates
//! prefers one issued under a named CA. Either side may hold a
//! certificate back from peers that name none of its CAs.

use std::borrow::Cow;
use std::sync::Arc;

use crate::config::ClientConfig;
use crate::msgs::extensions::Extension;
use crate::pki::{Certificate, CertifiedKey};

/// The most bytes of DistinguishedNames (each with its 2-byte length) a
/// CertificateRequest lists. The syntax allows 2^16 − 1 (RFC 8446 §4.2.4,
/// RFC 5246 §7.4.4), which a server trusting a public root store (about
/// 150 roots, some 100 bytes each) nearly fills in every handshake that
/// asks for a certificate; 8 KiB names some 80 CAs, far more than a
/// client-authentication setup has, and keeps the request in one record.
/// The names past it are left out: a client then falls back to its first
/// certificate that fits.
pub const MAX_CERTIFICATE_AUTHORITIES_BYTES: usize = 8 * 1024;

/// The leading `names` whose encoding fits
/// [`MAX_CERTIFICATE_AUTHORITIES_BYTES`].
pub(crate) fn advertised(names: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let mut total = 0;
    names
        .into_iter()
        .take_while(|name| {
            total += name.len() + 2;
            total <= MAX_CERTIFICATE_AUTHORITIES_BYTES
        })
        .collect()
}

/// Client: the certificate_authorities extension of a ClientHello that
/// offers TLS 1.3, when configured
/// ([`ClientConfig::send_certificate_authorities`]) and the verifier has
/// anchor names: as many as fit [`MAX_CERTIFICATE_AUTHORITIES_BYTES`].
/// RFC 8446 §4.2 defines the extension for the ClientHello of TLS 1.3
/// only; a TLS 1.2 server ignores it like any extension it does not
/// know, and so does ours (RFC 5246 §7.4.1.4).
pub(crate) fn client_hello_extension(config: &ClientConfig) -> Option<Extension> {
    if !config.send_certificate_authorities {
        return None;
    }
    let names = advertised(config.verifier.root_subjects());
    (!names.is_empty()).then_some(Extension::CertificateAuthorities(names))
}

/// Certificates in the order to try them for a peer naming
/// `authorities`: first those with a certificate of their chain issued
/// by, or itself being, a named CA, then the others, each group in
/// configured order, without those that go only to a peer naming one of
/// their CAs ([`CertifiedKey::with_issuer_match_required`]). With no
/// names, the configured order without those. A client orders its
/// certificates so for a CertificateRequest; a TLS 1.3 server orders its
/// own so before choosing by server name, which thus comes first and the
/// CA names second; a TLS 1.2 server, whose client names no CAs, only
/// leaves those out. The configured list itself, not a copy, when there
/// is nothing to reorder or leave out (the usual case: clients do not
/// send names by default, and certificates are not restricted so).
/// Fewer certificates than given means some were held back for want of
/// a name.
pub(crate) fn preferred<'c>(
    certificates: &'c [Arc<CertifiedKey>],
    authorities: &[Vec<u8>],
) -> Cow<'c, [Arc<CertifiedKey>]> {
    if authorities.is_empty() && !certificates.iter().any(|c| c.issuer_match_required()) {
        return Cow::Borrowed(certificates);
    }
    let (mut named, others): (Vec<_>, Vec<_>) = certificates
        .iter()
        .cloned()
        .partition(|c| names_any(c, authorities));
    named.extend(others.into_iter().filter(|c| !c.issuer_match_required()));
    Cow::Owned(named)
}

/// Whether a certificate of `certified`'s chain was issued by, or is, one
/// of `authorities` (names compared as DER, RFC 5280 §7.1 leaves
/// byte-equal names equal).
fn names_any(certified: &CertifiedKey, authorities: &[Vec<u8>]) -> bool {
    !authorities.is_empty()
        && certified.chain().iter().any(|der| {
            Certificate::parse(der).is_ok_and(|cert| {
                authorities
                    .iter()
                    .any(|name| name.as_slice() == cert.issuer || name.as_slice() == cert.subject)
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cut_at_the_bound() {
        let name = vec![0x30; 998];
        let names = vec![name; 20];
        let kept = advertised(names);
        assert_eq!(kept.len(), MAX_CERTIFICATE_AUTHORITIES_BYTES / 1000);
        assert!(advertised(vec![vec![1; 10], vec![2; 20]]).len() == 2);
    }
}
