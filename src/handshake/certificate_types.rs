//! Certificate types (RFC 7250): which type each side's Certificate
//! carries, as the client_certificate_type and server_certificate_type
//! extensions negotiate it, and the raw-public-key form of the Certificate
//! contents (one DER SubjectPublicKeyInfo, RFC 7250 §3; RFC 8446 §4.4.2).
//!
//! Both versions follow the same rules; TLS 1.2 answers in ServerHello,
//! TLS 1.3 in EncryptedExtensions (RFC 8446 §4.2).

use crate::codec::{Codec, Reader};
use crate::common_state::ReceivedHandshake;
use crate::config::{ClientAuth, ClientConfig, ServerConfig};
use crate::crypto::verify::PublicKey;
use crate::error::{
    CertificateError, DecodeReason, Error, IllegalParameterReason, UnexpectedMessageReason,
    UnsupportedExtensionReason,
};
use crate::handshake::{authorities, end_entity_key, KeyUse};
use crate::msgs::certificate::{CertificateEntry, CertificateTls12, RawPublicKeyTls12};
use crate::msgs::client_hello_extensions::ClientHelloExtensions;
use crate::msgs::enums::CertificateType;
use crate::msgs::extensions::CertificateTypeList;
use crate::msgs::handshake::HandshakeMessage;
use crate::pki::{
    default_certificate_types, CertificateRequestInfo, CertifiedKey, ClientCertVerified,
};
use std::borrow::Cow;
use std::sync::Arc;

/// A negotiated certificate type, and whether the server answers with the
/// extension (it does when the client sent one, RFC 7250 §4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Negotiated {
    /// The type the Certificate carries.
    pub(crate) typ: CertificateType,
    /// Whether the server names it in its answer.
    pub(crate) answer: bool,
}

impl Negotiated {
    /// X.509, implied by an absent extension (RFC 7250 §4.2).
    pub(crate) const IMPLIED_X509: Self = Self {
        typ: CertificateType::X509,
        answer: false,
    };
}

/// Server: picks the type of a Certificate from the client's list
/// `offered` (`None`: the extension was not sent) and the types `ours`
/// that side can send or check, in the client's order of preference
/// (RFC 7250 §4.2). Without the extension X.509 is implied. No type in
/// common (or X.509 implied where we have none) is `unsupported_certificate`
/// (RFC 7250 §4.2, outcome 2).
pub(crate) fn negotiate(
    offered: Option<&[CertificateType]>,
    ours: &[CertificateType],
) -> Result<Negotiated, Error> {
    let unsupported = || Error::InvalidCertificate(CertificateError::UnsupportedCertificateType);
    match offered {
        None if ours.contains(&CertificateType::X509) => Ok(Negotiated::IMPLIED_X509),
        None => Err(unsupported()),
        Some(list) => list
            .iter()
            .find(|t| ours.contains(t))
            .map(|&typ| Negotiated { typ, answer: true })
            .ok_or_else(unsupported),
    }
}

/// Server: the certificate types of a full handshake (RFC 7250 §4.2),
/// ours from what `certificate` can be sent as, the client's from what
/// our client verifier checks (answered only when one is configured, so
/// a CertificateRequest follows; a client that sent no list implies X.509,
/// which a verifier of raw public keys alone refuses as
/// `unsupported_certificate`).
pub(crate) fn negotiate_for_server(
    config: &ServerConfig,
    offer: &ClientHelloExtensions<'_>,
    certificate: &CertifiedKey,
) -> Result<(Negotiated, Negotiated), Error> {
    let server = negotiate(
        offer.server_certificate_types,
        &server_types(certificate, config.raw_public_key),
    )?;
    let client = match config.client_auth.verifier() {
        Some(verifier) => negotiate(offer.client_certificate_types, verifier.certificate_types())?,
        None => Negotiated::IMPLIED_X509,
    };
    Ok((server, client))
}

/// Server: of `certificates`, those that can be sent as a type the client
/// takes (RFC 7250 §4.2), so that a server holding both a raw key and an
/// X.509 chain sends what the client asked for, whatever names the chain
/// covers. When none can, all of them, for the type negotiation to name
/// the refusal (`unsupported_certificate`).
pub(crate) fn sendable<'c>(
    config: &ServerConfig,
    offer: &ClientHelloExtensions<'_>,
    certificates: &'c [Arc<CertifiedKey>],
) -> Cow<'c, [Arc<CertifiedKey>]> {
    let fits = |c: &&Arc<CertifiedKey>| {
        negotiate(
            offer.server_certificate_types,
            &server_types(c, config.raw_public_key),
        )
        .is_ok()
    };
    let fitting = certificates.iter().filter(fits).count();
    if fitting == certificates.len() || fitting == 0 {
        return Cow::Borrowed(certificates);
    }
    Cow::Owned(certificates.iter().filter(fits).cloned().collect())
}

/// The types a server's `key` can be sent as: X.509 when it has a chain,
/// a raw public key when it has no chain or `raw` is on.
pub(crate) fn server_types(key: &CertifiedKey, raw: bool) -> CertificateTypeList {
    let mut types = CertificateTypeList::new();
    if raw || !key.has_certificate() {
        types.push(CertificateType::RawPublicKey);
    }
    if key.has_certificate() {
        types.push(CertificateType::X509);
    }
    types
}

/// The client_certificate_type list a client offers for its own
/// certificate (RFC 7250 §4.1, "sorted by client preference"): the
/// configured list ([`ClientConfig::client_certificate_types`]), or else
/// a raw public key for keys without a chain and X.509 for keys with one,
/// in the order the configuration lists those keys; nothing when that is
/// X.509 alone (or no type), which the extension's absence implies.
pub(crate) fn client_offer(config: &ClientConfig) -> CertificateTypeList {
    let mut types = CertificateTypeList::new();
    match &config.client_certificate_types {
        Some(configured) => types.extend(configured.iter().copied()),
        None => types.extend(default_certificate_types(&config.client_certificates)),
    }
    if types.iter().all(|&t| t == CertificateType::X509) {
        return CertificateTypeList::new();
    }
    types
}

/// The client keys that may answer `request`, in the order to try them:
/// what [`ClientConfig::client_certificate_resolver`] returns for it, or
/// else the configured certificates. Only keys with a chain go as X.509;
/// as a raw public key, the keys without a chain come first (they are
/// there for it), then those with one, whose key may go alone too. Within
/// that, those under a CA the server named come first
/// ([`authorities::preferred`]).
pub(crate) fn client_candidates(
    config: &ClientConfig,
    request: &CertificateRequestInfo<'_>,
) -> Vec<Arc<CertifiedKey>> {
    let resolved;
    let keys: &[Arc<CertifiedKey>] = match &config.client_certificate_resolver {
        Some(resolver) => {
            resolved = resolver.resolve(request);
            resolved.as_slice()
        }
        None => &config.client_certificates,
    };
    let chained = keys.iter().filter(|k| k.has_certificate());
    let ours: Vec<_> = if request.certificate_type() == CertificateType::RawPublicKey {
        keys.iter()
            .filter(|k| !k.has_certificate())
            .chain(chained)
            .cloned()
            .collect()
    } else {
        chained.cloned().collect()
    };
    match authorities::preferred(&ours, request.authorities()) {
        Cow::Borrowed(_) => ours,
        Cow::Owned(ordered) => ordered,
    }
}

/// The server_certificate_type list a client offers: its verifier's
/// types, unless that is X.509 alone (then the extension is not sent).
pub(crate) fn server_offer(verifier_types: &[CertificateType]) -> CertificateTypeList {
    if verifier_types == [CertificateType::X509] {
        CertificateTypeList::new()
    } else {
        verifier_types.into()
    }
}

/// Client: the type the server chose in `answer` (`None`: no extension,
/// so X.509, RFC 7250 §4.2), which must be one we `offered`. An answer to
/// an extension we did not send is `unsupported_extension`; a type we did
/// not list is `illegal_parameter`.
pub(crate) fn accept_answer(
    offered: &[CertificateType],
    answer: Option<CertificateType>,
) -> Result<CertificateType, Error> {
    match answer {
        None => Ok(CertificateType::X509),
        Some(_) if offered.is_empty() => Err(Error::UnsupportedExtension(
            UnsupportedExtensionReason::NotOffered,
        )),
        Some(typ) if offered.contains(&typ) => Ok(typ),
        Some(_) => Err(Error::IllegalParameter(
            IllegalParameterReason::CertificateTypeNotOffered,
        )),
    }
}

/// What a Certificate of type `typ` carries for `key`: the chain, or the
/// one SubjectPublicKeyInfo (RFC 7250 §3).
pub(crate) fn certificate_contents(key: &CertifiedKey, typ: CertificateType) -> Vec<Vec<u8>> {
    if typ == CertificateType::RawPublicKey {
        vec![key.spki().to_vec()]
    } else {
        key.chain().to_vec()
    }
}

/// The TLS 1.2 Certificate message of type `typ` for `key` (`None`: a
/// client without a certificate): the X.509 list (RFC 5246 §7.4.2) or the
/// one SubjectPublicKeyInfo (RFC 7250 §3).
pub(crate) fn tls12_message(key: Option<&CertifiedKey>, typ: CertificateType) -> HandshakeMessage {
    match typ {
        CertificateType::RawPublicKey => {
            HandshakeMessage::RawPublicKeyCertificateTls12(RawPublicKeyTls12 {
                spki: key.map(|k| k.spki().to_vec()).unwrap_or_default(),
            })
        }
        _ => HandshakeMessage::CertificateTls12(CertificateTls12 {
            certificates: key.map(|k| k.chain().to_vec()).unwrap_or_default(),
        }),
    }
}

/// The contents of a received TLS 1.2 Certificate of type `typ`: the
/// chain, or the one raw public key (none when it is empty). `x509`
/// decodes the X.509 form under the connection's syntax; anything but a
/// Certificate is `unexpected`.
pub(crate) fn tls12_received(
    message: &ReceivedHandshake,
    typ: CertificateType,
    x509: impl FnOnce() -> Result<HandshakeMessage, Error>,
    unexpected: UnexpectedMessageReason,
) -> Result<Vec<Vec<u8>>, Error> {
    if typ != CertificateType::RawPublicKey {
        let HandshakeMessage::CertificateTls12(certificate) = x509()? else {
            return Err(Error::UnexpectedMessage(unexpected));
        };
        return Ok(certificate.certificates);
    }
    let mut r = Reader::new(message.body()?);
    let raw = RawPublicKeyTls12::decode(&mut r)?;
    r.finish()?;
    Ok(if raw.spki.is_empty() {
        Vec::new()
    } else {
        vec![raw.spki]
    })
}

/// Server, TLS 1.3 (in the handshake and after it): the certificates or
/// keys of a client's Certificate entries. We send no CertificateRequest
/// extension that a client's entries could answer (RFC 8446 §4.4.2: an
/// entry's extensions must answer ones in the request), so any is
/// `unsupported_extension`.
pub(crate) fn tls13_client_chain(entries: Vec<CertificateEntry>) -> Result<Vec<Vec<u8>>, Error> {
    if entries.iter().any(|e| !e.extensions.is_empty()) {
        return Err(Error::UnsupportedExtension(
            UnsupportedExtensionReason::CertificateExtensionNotRequested,
        ));
    }
    Ok(entries.into_iter().map(|e| e.cert_data).collect())
}

/// Server, both versions and post-handshake: checks the client's
/// non-empty Certificate contents `chain`, of type `typ`, with the
/// verifier of `client_auth` at `now` and returns its verdict with the
/// key that must sign the CertificateVerify (RFC 8446 §4.4.3, RFC 5246
/// §7.4.8). A raw public key (RFC 7250 §3) goes to the verifier's raw-key
/// check, a chain to its certificate check. A Certificate we did not ask
/// for (no verifier) is `unexpected_message`.
pub(crate) fn verify_client_chain(
    client_auth: &ClientAuth,
    now: u64,
    typ: CertificateType,
    chain: &[Vec<u8>],
) -> Result<(ClientCertVerified, PublicKey), Error> {
    let verifier = client_auth.verifier().ok_or(Error::UnexpectedMessage(
        UnexpectedMessageReason::CertificateNotRequested,
    ))?;
    if typ == CertificateType::RawPublicKey {
        let (spki, public_key) = raw_public_key(chain)?;
        return Ok((
            verifier.verify_client_raw_public_key(spki, now)?,
            public_key,
        ));
    }
    let (end_entity, intermediates) = chain
        .split_first()
        .ok_or(Error::Decode(DecodeReason::NoClientCertificate))?;
    let intermediates: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
    let verified = verifier.verify_client_cert(end_entity, &intermediates, now)?;
    Ok((verified, end_entity_key(end_entity, KeyUse::Sign)?))
}

/// The peer's raw public key from a received Certificate's contents:
/// exactly one entry (RFC 7250 §3, RFC 8446 §4.4.2), a SubjectPublicKeyInfo
/// this crate can use. Other counts are `decode_error`; a key that does
/// not parse takes its certificate error's alert.
pub(crate) fn raw_public_key(entries: &[Vec<u8>]) -> Result<(&[u8], PublicKey), Error> {
    let [spki] = entries else {
        return Err(Error::Decode(DecodeReason::RawPublicKeyCount));
    };
    let key = crate::pki::algorithm::public_key(spki)?;
    Ok((spki, key))
}

#[cfg(test)]
mod tests {
    use super::*;
    use CertificateType::{RawPublicKey as Raw, X509};

    #[test]
    fn the_server_takes_the_clients_first_type_it_has() {
        assert_eq!(negotiate(None, &[X509]), Ok(Negotiated::IMPLIED_X509));
        assert_eq!(
            negotiate(Some(&[Raw, X509]), &[X509, Raw]),
            Ok(Negotiated {
                typ: Raw,
                answer: true
            })
        );
        assert_eq!(
            negotiate(Some(&[Raw, X509]), &[X509]),
            Ok(Negotiated {
                typ: X509,
                answer: true
            })
        );
        let unsupported = Err(Error::InvalidCertificate(
            CertificateError::UnsupportedCertificateType,
        ));
        assert_eq!(negotiate(Some(&[Raw]), &[X509]), unsupported);
        assert_eq!(negotiate(None, &[Raw]), unsupported);
        assert_eq!(
            negotiate(Some(&[CertificateType::from(1)]), &[X509, Raw]),
            unsupported
        );
    }

    #[test]
    fn the_client_accepts_only_a_type_it_offered() {
        assert_eq!(accept_answer(&[], None), Ok(X509));
        assert_eq!(accept_answer(&[Raw], None), Ok(X509));
        assert_eq!(accept_answer(&[Raw, X509], Some(Raw)), Ok(Raw));
        assert_eq!(
            accept_answer(&[Raw], Some(X509)),
            Err(Error::IllegalParameter(
                IllegalParameterReason::CertificateTypeNotOffered
            ))
        );
        assert_eq!(
            accept_answer(&[], Some(Raw)),
            Err(Error::UnsupportedExtension(
                UnsupportedExtensionReason::NotOffered
            ))
        );
    }

    #[test]
    fn a_raw_public_key_certificate_holds_exactly_one_key() {
        assert_eq!(
            raw_public_key(&[]).map(|_| ()),
            Err(Error::Decode(DecodeReason::RawPublicKeyCount))
        );
        assert_eq!(
            raw_public_key(&[vec![0x30, 0], vec![0x30, 0]]).map(|_| ()),
            Err(Error::Decode(DecodeReason::RawPublicKeyCount))
        );
        assert!(matches!(
            raw_public_key(&[vec![0x30, 0]]),
            Err(Error::InvalidCertificate(_))
        ));
    }
}
