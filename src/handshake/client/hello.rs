//! The client's hellos: building the ClientHello (RFC 8446 §4.1.2) and
//! reading the version out of the ServerHello (RFC 8446 §4.2.1, §4.1.3),
//! before handing over to the version's state machine.

use std::sync::Arc;

use super::{tls13, State};
use crate::config::ClientConfig;
use crate::conn::{CommonState, Message};
use crate::crypto::kx::KeyShare;
use crate::crypto::rng::random_array;
use crate::error::Error;
use crate::handshake::Transcript;
use crate::msgs::enums::{
    CipherSuite, Compression, ExtensionType, HandshakeType, NamedGroup, ProtocolVersion,
    ServerNameType,
};
use crate::msgs::extensions::{Extension, KeyShareEntry, ServerName as SniEntry};
use crate::msgs::handshake::{DecodeContext, HandshakeMessage, TLS12_VERIFY_DATA_LEN};
use crate::msgs::hello::{ClientHello, ServerHello, MAX_SESSION_ID_SIZE, RANDOM_LEN};
use crate::msgs::key_exchange::KeyExchangeAlgorithm;
use crate::pki::ServerName;

/// ClientHello sent; a ServerHello or HelloRetryRequest comes next.
pub(crate) struct ExpectServerHello {
    pub(super) config: Arc<ClientConfig>,
    pub(super) server_name: ServerName,
    pub(super) random: [u8; RANDOM_LEN],
    /// The legacy_session_id L of design §3, kept across a retry.
    pub(super) session_id: Vec<u8>,
    pub(super) key_share: KeyShare,
    /// The encoded first ClientHello (or, after a retry, the second).
    pub(super) hello_bytes: Vec<u8>,
    /// Set once a HelloRetryRequest has been answered.
    pub(super) retry: Option<Retry>,
    pub(super) ccs_sent: bool,
}

/// What a HelloRetryRequest fixed (RFC 8446 §4.1.4).
pub(super) struct Retry {
    /// message_hash(ClientHello1), HelloRetryRequest, ClientHello2.
    pub(super) transcript: Transcript,
    /// The suite the HelloRetryRequest chose; the ServerHello must agree.
    pub(super) cipher_suite: CipherSuite,
}

/// Builds and queues the first ClientHello: fresh random, a fresh
/// 32-byte legacy_session_id in middlebox compatibility mode (design §3:
/// L, never reused across connections), one key share for the most
/// preferred group.
pub(super) fn start(
    config: Arc<ClientConfig>,
    server_name: ServerName,
    common: &mut CommonState,
) -> Result<ExpectServerHello, Error> {
    let rng = &*config.common.rng;
    let random = random_array::<RANDOM_LEN>(rng)?;
    let session_id = if config.middlebox_compat {
        random_array::<MAX_SESSION_ID_SIZE>(rng)?.to_vec()
    } else {
        Vec::new()
    };
    let group = *config
        .common
        .groups
        .first()
        .ok_or(Error::InvalidRequest("no key-exchange group"))?;
    let key_share = KeyShare::generate_with(group, &*config.common.rng)?;
    if let (true, ServerName::Dns(name)) = (config.enable_sni, &server_name) {
        common.negotiated.server_name = Some(name.clone());
    }
    let hello = client_hello(&config, &server_name, random, &session_id, &key_share, None);
    // RFC 8446 §5.1: an initial ClientHello may carry record version 0x0301.
    common.set_record_version(ProtocolVersion::TLSv1_0);
    let hello_bytes = common.send_handshake(&HandshakeMessage::ClientHello(hello))?;
    common.flush_handshake()?;
    common.set_record_version(ProtocolVersion::TLSv1_2);
    common.ccs_allowed = true;
    Ok(ExpectServerHello {
        config,
        server_name,
        random,
        session_id,
        key_share,
        hello_bytes,
        retry: None,
        ccs_sent: false,
    })
}

/// A ClientHello offering what `config` enables, one key share, and the
/// cookie of a HelloRetryRequest when answering one.
pub(super) fn client_hello(
    config: &ClientConfig,
    server_name: &ServerName,
    random: [u8; RANDOM_LEN],
    session_id: &[u8],
    key_share: &KeyShare,
    cookie: Option<&[u8]>,
) -> ClientHello {
    let common = &config.common;
    let mut extensions = Vec::new();
    if let (true, ServerName::Dns(name)) = (config.enable_sni, server_name) {
        extensions.push(Extension::ServerName(vec![SniEntry {
            typ: ServerNameType::HostName,
            name: name.as_bytes().to_vec(),
        }]));
    }
    extensions.push(Extension::SupportedGroups(common.groups.clone()));
    extensions.push(Extension::SignatureAlgorithms(
        common.signature_schemes.clone(),
    ));
    if !common.alpn_protocols.is_empty() {
        extensions.push(Extension::Alpn(common.alpn_protocols.clone()));
    }
    extensions.push(Extension::KeyShareOffer(vec![KeyShareEntry {
        group: key_share.group(),
        key_exchange: key_share.public_key().to_vec(),
    }]));
    extensions.push(Extension::SupportedVersionsOffer(
        common
            .versions
            .iter()
            .copied()
            .filter(|v| u16::from(*v) >= u16::from(ProtocolVersion::TLSv1_2))
            .collect(),
    ));
    if let Some(cookie) = cookie {
        extensions.push(Extension::Cookie(cookie.to_vec()));
    }
    ClientHello {
        legacy_version: ProtocolVersion::TLSv1_2,
        random,
        session_id: session_id.to_vec(),
        cipher_suites: common.cipher_suites.clone(),
        compression_methods: vec![Compression::Null],
        extensions: Some(extensions),
    }
}

/// A decode context for the hellos, whose syntax does not depend on it.
const HELLO_CONTEXT: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_2,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: TLS12_VERIFY_DATA_LEN,
};

impl ExpectServerHello {
    /// Reads a ServerHello or HelloRetryRequest, settles the version and
    /// hands over.
    pub(super) fn expect_server_hello(
        self,
        common: &mut CommonState,
        message: Message,
    ) -> Result<State, Error> {
        if message.typ != HandshakeType::ServerHello {
            return Err(Error::UnexpectedMessage("expected ServerHello"));
        }
        let HandshakeMessage::ServerHello(server_hello) =
            HandshakeMessage::decode(message.typ, message.body(), &HELLO_CONTEXT)?
        else {
            return Err(Error::UnexpectedMessage("expected ServerHello"));
        };
        let version = self.selected_version(&server_hello)?;
        if version != ProtocolVersion::TLSv1_3 {
            return Err(Error::ProtocolVersion(
                "TLS 1.2 and below are not implemented yet",
            ));
        }
        if server_hello.is_hello_retry_request() {
            if self.retry.is_some() {
                return Err(Error::UnexpectedMessage("second HelloRetryRequest"));
            }
            return tls13::handle_retry(self, common, &server_hello, &message.raw)
                .map(State::ExpectServerHello);
        }
        tls13::handle_server_hello(self, common, &server_hello, &message.raw)
            .map(State::ExpectEncryptedExtensions)
    }

    /// The version the server chose (RFC 8446 §4.2.1): supported_versions
    /// when present (it must name a version we offered, or it is
    /// `illegal_parameter`), legacy_version otherwise, which must be
    /// enabled (`protocol_version`) and, when we offered TLS 1.3, must
    /// not come with a downgrade sentinel (RFC 8446 §4.1.3:
    /// `illegal_parameter`).
    fn selected_version(&self, hello: &ServerHello) -> Result<ProtocolVersion, Error> {
        let enabled = &self.config.common.versions;
        match hello.find_extension(ExtensionType::SupportedVersions) {
            Some(Extension::SupportedVersionsSelected(version)) => {
                if *version == ProtocolVersion::TLSv1_3 && enabled.contains(version) {
                    Ok(*version)
                } else {
                    Err(Error::IllegalParameter(
                        "server selected a version that was not offered",
                    ))
                }
            }
            _ => {
                let version = hello.legacy_version;
                if !enabled.contains(&version) || version == ProtocolVersion::TLSv1_3 {
                    return Err(Error::ProtocolVersion("server chose a version not enabled"));
                }
                if enabled.contains(&ProtocolVersion::TLSv1_3)
                    && hello.downgrade_sentinel().is_some()
                {
                    return Err(Error::IllegalParameter("downgrade sentinel in ServerHello"));
                }
                Ok(version)
            }
        }
    }

    /// Whether the server's group is one we enabled.
    pub(super) fn group_enabled(&self, group: NamedGroup) -> bool {
        self.config.common.groups.contains(&group)
    }
}
