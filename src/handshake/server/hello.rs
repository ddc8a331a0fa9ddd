//! The server's hello: reading the ClientHello (RFC 8446 §4.1.2) and
//! choosing the version (RFC 8446 §4.2.1) before handing over to the
//! version's state machine.

use std::sync::Arc;

use super::{tls12, tls13, State};
use crate::common_state::{CommonState, ReceivedHandshake};
use crate::config::{ServerConfig, ALL_VERSIONS};
use crate::error::{Error, IllegalParameterReason, ProtocolVersionReason, UnexpectedMessageReason};
use crate::msgs::enums::ServerNameType;
use crate::msgs::enums::{CipherSuite, ExtensionType, HandshakeType, ProtocolVersion};
use crate::msgs::extensions::{Extension, ServerName};
use crate::msgs::handshake::{DecodeContext, HandshakeMessage, TLS12_VERIFY_DATA_LEN};
use crate::msgs::hello::ClientHello;
use crate::msgs::key_exchange::KeyExchangeAlgorithm;

/// Waiting for a ClientHello.
pub(crate) struct ExpectClientHello {
    pub(super) config: Arc<ServerConfig>,
    /// Set after a HelloRetryRequest was sent.
    pub(super) retry: Option<tls13::Retry>,
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

impl ExpectClientHello {
    pub(super) fn new(config: Arc<ServerConfig>) -> Self {
        Self {
            config,
            retry: None,
        }
    }

    /// Reads a ClientHello, chooses the version and hands over.
    pub(super) fn expect_client_hello(
        self,
        common: &mut CommonState,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        if message.typ != HandshakeType::ClientHello {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedClientHello,
            ));
        }
        let HandshakeMessage::ClientHello(hello) =
            HandshakeMessage::decode(message.typ, message.body(), &HELLO_CONTEXT)?
        else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedClientHello,
            ));
        };
        common.ccs_allowed = true;
        let version = self.choose_version(&hello)?;
        self.check_fallback(&hello, version)?;
        match version {
            ProtocolVersion::TLSv1_3 => {
                tls13::handle_client_hello(self, common, &hello, &message.raw)
            }
            _ if self.retry.is_some() => Err(Error::IllegalParameter(
                IllegalParameterReason::RetryWithoutTls13,
            )),
            version => tls12::handle_client_hello(self, common, &hello, &message.raw, version),
        }
    }

    /// RFC 7507 §3: a ClientHello with TLS_FALLBACK_SCSV whose highest
    /// version is below ours (so the version chosen is below ours) is
    /// `inappropriate_fallback`.
    fn check_fallback(&self, hello: &ClientHello, version: ProtocolVersion) -> Result<(), Error> {
        let highest = self
            .config
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
    fn choose_version(&self, hello: &ClientHello) -> Result<ProtocolVersion, Error> {
        let enabled = &self.config.common.versions;
        let supported = match hello.find_extension(ExtensionType::SupportedVersions) {
            Some(Extension::SupportedVersionsOffer(versions)) => Some(versions),
            _ => None,
        };
        if supported.is_some() && u16::from(hello.legacy_version) <= SSL3_VERSION {
            return Err(Error::ProtocolVersion(ProtocolVersionReason::Ssl3OrBelow));
        }
        let offered = |v: &ProtocolVersion| match supported {
            Some(versions) => versions.contains(v),
            None => {
                *v != ProtocolVersion::TLSv1_3 && u16::from(*v) <= u16::from(hello.legacy_version)
            }
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
}

/// The host name of a ClientHello's server_name list (RFC 6066 §3: the
/// only name type is host_name), or `None` without one.
///
/// RFC 6066 §3: the list "MUST NOT contain more than one name of the same
/// name_type", and a HostName is a DNS name in ASCII. A second host_name,
/// or a name with a byte no DNS host name has (a control character such
/// as NUL or ESC, a space, a non-ASCII byte: internationalised names
/// travel as A-labels), is `illegal_parameter`. Letters, digits, `-`, `.`
/// and `_` (found in real service names) are accepted.
pub(super) fn host_name(names: &[ServerName]) -> Result<Option<String>, Error> {
    let mut host_names = names.iter().filter(|n| n.typ == ServerNameType::HostName);
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
