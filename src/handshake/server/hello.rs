//! The server's hello: reading the ClientHello (RFC 8446 §4.1.2) and
//! choosing the version (RFC 8446 §4.2.1), and the choices both
//! versions make alike (server name, ALPN, the certificates to choose
//! from). The facade (`mod.rs`) hands over to the version's state
//! machine, which imports this file, never the other way.

use std::borrow::Cow;
use std::sync::Arc;

use crate::common_state::{HandshakeIo, ReceivedHandshake};
use crate::config::{tiers, ServerConfig, Untiered, ALL_VERSIONS};
use crate::crypto::aead::AeadAlgorithm;
use crate::error::{Error, IllegalParameterReason, ProtocolVersionReason, UnexpectedMessageReason};
use crate::handshake::tls12::{tls12_suite, BulkCipher};
use crate::handshake::tls13_suite;
use crate::msgs::client_hello_extensions::ClientHelloExtensions;
use crate::msgs::enums::{CipherSuite, HandshakeType, ProtocolVersion, ServerNameType};
use crate::msgs::extensions::ServerName;
use crate::msgs::handshake::{DecodeContext, HandshakeMessage, TLS12_VERIFY_DATA_LEN};
use crate::msgs::hello::ClientHello;
use crate::msgs::key_exchange::KeyExchangeAlgorithm;
use crate::pki::{CertifiedKey, ClientHelloInfo};

/// The certificates a full handshake chooses from for `hello`: those the
/// resolver gives for it ([`ServerConfig::certificate_resolver`]), then
/// the configured ones, which alone are the list without a resolver. The
/// client's certificate_authorities go to the resolver in TLS 1.3 only,
/// the one version whose ClientHello defines them (RFC 8446 §4.2.4).
pub(super) fn certificate_candidates<'c>(
    config: &'c ServerConfig,
    hello: &ClientHello,
    offer: &ClientHelloExtensions<'_>,
    server_name: Option<&str>,
    version: ProtocolVersion,
) -> Cow<'c, [Arc<CertifiedKey>]> {
    let Some(resolver) = &config.certificate_resolver else {
        return Cow::Borrowed(&config.certificates);
    };
    let authorities = match version {
        ProtocolVersion::TLSv1_3 => offer.certificate_authorities.unwrap_or_default(),
        _ => &[],
    };
    let mut candidates = resolver.resolve(&ClientHelloInfo {
        version,
        server_name,
        signature_schemes: offer.signature_algorithms.unwrap_or_default(),
        cipher_suites: hello.cipher_suites.as_slice(),
        alpn_protocols: offer.alpn.unwrap_or_default(),
        authorities,
    });
    candidates.extend(config.certificates.iter().cloned());
    Cow::Owned(candidates)
}

/// The SSL 3.0 version number (RFC 6101): a hello announcing it or
/// anything lower is refused (RFC 8446 Appendix D.5, RFC 7568).
const SSL3_VERSION: u16 = 0x0300;

/// A decode context for the hellos, whose syntax does not depend on it.
const HELLO_CONTEXT: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_2,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: TLS12_VERIFY_DATA_LEN,
};

/// Reads a ClientHello (RFC 8446 §4.1.2); from here on a
/// ChangeCipherSpec may arrive (RFC 8446 §D.4).
pub(crate) fn read_client_hello(
    common: &mut dyn HandshakeIo,
    message: &ReceivedHandshake,
) -> Result<ClientHello, Error> {
    if message.typ != HandshakeType::ClientHello {
        return Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::ExpectedClientHello,
        ));
    }
    let HandshakeMessage::ClientHello(hello) =
        HandshakeMessage::decode(message.typ, message.body()?, &HELLO_CONTEXT)?
    else {
        return Err(Error::UnexpectedMessage(
            UnexpectedMessageReason::ExpectedClientHello,
        ));
    };
    common.allow_ccs(true);
    Ok(hello)
}

/// Chooses the version of a ClientHello (RFC 8446 §4.2.1), refuses an
/// inappropriate fallback to it (RFC 7507 §3) and a hello whose extensions
/// for that version do not parse, ignoring those only the other side of
/// TLS 1.3 uses; the caller hands over to that version's state machine.
pub(super) fn choose_version(
    config: &ServerConfig,
    hello: &ClientHello,
    extensions: &ClientHelloExtensions<'_>,
) -> Result<ProtocolVersion, Error> {
    let version = highest_common_version(config, hello, extensions)?;
    check_fallback(config, hello, version)?;
    extensions.check_parsed_for(version)?;
    Ok(version)
}

/// RFC 7507 §3: a ClientHello with TLS_FALLBACK_SCSV whose highest
/// version is below ours (so the version chosen is below ours) is
/// `inappropriate_fallback`.
fn check_fallback(
    config: &ServerConfig,
    hello: &ClientHello,
    version: ProtocolVersion,
) -> Result<(), Error> {
    let highest = config
        .common
        .versions
        .iter()
        .map(|v| u16::from(*v))
        .max()
        .unwrap_or_default();
    if hello
        .cipher_suites
        .contains(&CipherSuite::TLS_FALLBACK_SCSV)
        && u16::from(version) < highest
    {
        return Err(Error::InappropriateFallback);
    }
    Ok(())
}

/// The highest version both sides enable (RFC 8446 §4.2.1): from
/// supported_versions when the client sent it, otherwise every
/// version up to legacy_version (RFC 5246 §E.1: a client announces
/// its highest version and accepts any lower one). None in common —
/// a client below our minimum included — is `protocol_version`.
///
/// With supported_versions, legacy_version is still checked: 0x0300
/// (SSL 3.0) or below is `protocol_version` whatever the extension
/// offers (RFC 8446 Appendix D.5), and a TLS 1.3 ClientHello must
/// carry exactly 0x0303, otherwise `protocol_version` too
/// (RFC 9846 §4.1.2, which obsoletes RFC 8446).
fn highest_common_version(
    config: &ServerConfig,
    hello: &ClientHello,
    extensions: &ClientHelloExtensions<'_>,
) -> Result<ProtocolVersion, Error> {
    let enabled = &config.common.versions;
    let supported = extensions.supported_versions;
    if supported.is_some() && u16::from(hello.legacy_version) <= SSL3_VERSION {
        return Err(Error::ProtocolVersion(ProtocolVersionReason::Ssl3OrBelow));
    }
    let offered = |v: &ProtocolVersion| match supported {
        Some(versions) => versions.contains(v),
        None => *v != ProtocolVersion::TLSv1_3 && u16::from(*v) <= u16::from(hello.legacy_version),
    };
    let version = ALL_VERSIONS
        .iter()
        .copied()
        .find(|v| enabled.contains(v) && offered(v))
        .ok_or(Error::ProtocolVersion(
            ProtocolVersionReason::NoCommonVersion,
        ))?;
    if version == ProtocolVersion::TLSv1_3 && hello.legacy_version != ProtocolVersion::TLSv1_2 {
        return Err(Error::ProtocolVersion(
            ProtocolVersionReason::ClientHelloLegacyVersion,
        ));
    }
    Ok(version)
}

/// The host name of a ClientHello's server_name list (RFC 6066 §3: the
/// only name type is host_name), or `None` without one (or without the
/// extension).
///
/// RFC 6066 §3: the list "MUST NOT contain more than one name of the same
/// name_type", and a HostName is a DNS name in ASCII. A second host_name,
/// or a name with a byte no DNS host name has (a control character such
/// as NUL or ESC, a space, a non-ASCII byte: internationalised names
/// travel as A-labels), is `illegal_parameter`. Letters, digits, `-`, `.`
/// and `_` (found in real service names) are accepted.
pub(crate) fn host_name(names: Option<&[ServerName]>) -> Result<Option<String>, Error> {
    let mut host_names = names
        .unwrap_or_default()
        .iter()
        .filter(|n| n.typ == ServerNameType::HostName);
    let Some(name) = host_names.next() else {
        return Ok(None);
    };
    if host_names.next().is_some() {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::SeveralHostNames,
        ));
    }
    if !name
        .name
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
    {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::ServerNameNotAscii,
        ));
    }
    String::from_utf8(name.name.clone())
        .map(Some)
        .map_err(|_| Error::IllegalParameter(IllegalParameterReason::ServerNameNotAscii))
}

/// The ALPN protocol (RFC 7301 §3.2): our most preferred one the client
/// offered; none in common is `no_application_protocol`. Without ALPN on
/// either side, none.
pub(super) fn choose_alpn(
    config: &ServerConfig,
    offered: Option<&[Vec<u8>]>,
) -> Result<Option<Vec<u8>>, Error> {
    match offered {
        Some(offered) if !config.common.alpn_protocols.is_empty() => config
            .common
            .alpn_protocols
            .iter()
            .find(|p| offered.contains(p))
            .cloned()
            .map(Some)
            .ok_or(Error::NoApplicationProtocol),
        _ => Ok(None),
    }
}

/// The suites we have enabled that the client offers and `usable` allows
/// (the version's), in the order we choose among them: tier by tier
/// ([`ServerConfig::cipher_suite_tier_sizes`]; by default a tier for each
/// of ours, so our order: RFC 8446 §4.1.1, RFC 5246 §7.4.1.3 leave the
/// choice to the server), in the client's order within a tier; except
/// that with [`ServerConfig::prioritize_chacha`] the ChaCha20-Poly1305
/// ones go first when the client puts one of them before every other
/// suite it could get here: a client that prefers it most likely lacks
/// AES hardware (OpenSSL's `SSL_OP_PRIORITIZE_CHACHA`).
pub(super) fn suites_in_preference<'a>(
    config: &'a ServerConfig,
    offered: &'a [CipherSuite],
    usable: impl Fn(CipherSuite) -> bool + Copy + 'a,
) -> impl Iterator<Item = CipherSuite> + 'a {
    let ours = &config.common.cipher_suites;
    let chacha_first = config.prioritize_chacha
        && offered
            .iter()
            .find(|s| usable(**s) && ours.contains(*s))
            .is_some_and(|s| is_chacha20_poly1305(*s));
    let promoted = move |s: &&CipherSuite| chacha_first && is_chacha20_poly1305(**s);
    let in_order = move || {
        tiers(ours, &config.cipher_suite_tier_sizes, Untiered::EachItem).flat_map(move |tier| {
            offered
                .iter()
                .filter(move |s| usable(**s) && tier.contains(*s))
        })
    };
    let first = in_order().filter(promoted);
    let rest = in_order().filter(move |s| !promoted(s));
    first.chain(rest).copied()
}

/// Whether `suite` protects records with ChaCha20-Poly1305 (RFC 8446
/// §B.4, RFC 7905).
fn is_chacha20_poly1305(suite: CipherSuite) -> bool {
    let tls13 = tls13_suite(suite).map(|s| s.aead);
    let tls12 = tls12_suite(suite).and_then(|s| match s.bulk {
        BulkCipher::Aead(aead) => Some(aead),
        BulkCipher::Cbc { .. } => None,
    });
    tls13.or(tls12) == Some(AeadAlgorithm::ChaCha20Poly1305)
}
