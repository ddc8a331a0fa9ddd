//! A ClientHello's extensions as one typed view, each looked up once
//! (RFC 8446 §4.2; RFC 5246 §7.4.1.4 for TLS 1.0–1.2).
//!
//! The decoder has already enforced the syntax (RFC 8446 §4.2: no
//! duplicate type, pre_shared_key last, only ClientHello forms), so each
//! field holds the one extension of its type, or nothing. A server reads
//! the hello through this view, whatever version it then chooses, instead
//! of scanning the list for each extension it needs. Protocol decisions
//! on the values (a valid host name, a mode to go with a PSK) belong to
//! the handshake layer.

use crate::error::{DecodeReason, Error};
use crate::msgs::enums::{
    CertificateCompressionAlgorithm, CertificateType, EcPointFormat, NamedGroup, ProtocolVersion,
    PskKeyExchangeMode, SignatureScheme,
};
use crate::msgs::extensions::{
    version_bound, CertificateStatusRequest, Era, Extension, KeyShareEntry, ServerName,
};
use crate::msgs::hello::ClientHello;
use crate::msgs::psk::PskOffer;

/// The extensions of one ClientHello, by type; `None` (or `false` for
/// the empty ones) when the client did not send it. Types not listed here
/// are not used by a server and are left in the hello's list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ClientHelloExtensions<'a> {
    /// server_name (RFC 6066 §3).
    pub server_name: Option<&'a [ServerName]>,
    /// supported_versions (RFC 8446 §4.2.1).
    pub supported_versions: Option<&'a [ProtocolVersion]>,
    /// supported_groups (RFC 8446 §4.2.7, RFC 8422 §5.1.1).
    pub supported_groups: Option<&'a [NamedGroup]>,
    /// ec_point_formats (RFC 8422 §5.1.2).
    pub ec_point_formats: Option<&'a [EcPointFormat]>,
    /// signature_algorithms (RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1).
    pub signature_algorithms: Option<&'a [SignatureScheme]>,
    /// application_layer_protocol_negotiation (RFC 7301 §3.1).
    pub alpn: Option<&'a [Vec<u8>]>,
    /// extended_master_secret (RFC 7627 §5.1).
    pub extended_master_secret: bool,
    /// encrypt_then_mac (RFC 7366 §2).
    pub encrypt_then_mac: bool,
    /// renegotiation_info's `renegotiated_connection` (RFC 5746 §3.2).
    pub renegotiation_info: Option<&'a [u8]>,
    /// SessionTicket: the ticket, or empty to ask for one (RFC 5077 §3.2).
    pub session_ticket: Option<&'a [u8]>,
    /// key_share `client_shares` (RFC 8446 §4.2.8).
    pub key_shares: Option<&'a [KeyShareEntry]>,
    /// cookie (RFC 8446 §4.2.2).
    pub cookie: Option<&'a [u8]>,
    /// early_data (RFC 8446 §4.2.10).
    pub early_data: bool,
    /// psk_key_exchange_modes (RFC 8446 §4.2.9).
    pub psk_key_exchange_modes: Option<&'a [PskKeyExchangeMode]>,
    /// pre_shared_key (RFC 8446 §4.2.11).
    pub pre_shared_key: Option<&'a PskOffer>,
    /// record_size_limit (RFC 8449 §4).
    pub record_size_limit: Option<u16>,
    /// max_fragment_length's code (RFC 6066 §4).
    pub max_fragment_length: Option<u8>,
    /// compress_certificate (RFC 8879 §3).
    pub compress_certificate: Option<&'a [CertificateCompressionAlgorithm]>,
    /// status_request of the OCSP type (RFC 6066 §8).
    pub status_request: bool,
    /// signed_certificate_timestamp (RFC 6962 §3.3.1).
    pub signed_certificate_timestamp: bool,
    /// certificate_authorities (RFC 8446 §4.2.4).
    pub certificate_authorities: Option<&'a [Vec<u8>]>,
    /// post_handshake_auth (RFC 8446 §4.2.6).
    pub post_handshake_auth: bool,
    /// client_certificate_type (RFC 7250 §4.1).
    pub client_certificate_types: Option<&'a [CertificateType]>,
    /// server_certificate_type (RFC 7250 §4.1).
    pub server_certificate_types: Option<&'a [CertificateType]>,
    /// Why the first extension used only up to TLS 1.2 whose body does not
    /// parse failed, if any ([`Extension::VersionBoundMalformed`]).
    pub tls12_only_malformed: Option<DecodeReason>,
    /// Why the first extension used only in TLS 1.3 whose body does not
    /// parse failed, if any ([`Extension::VersionBoundMalformed`]).
    pub tls13_only_malformed: Option<DecodeReason>,
}

impl<'a> ClientHelloExtensions<'a> {
    /// The extensions of `hello`, in one pass over its list.
    pub fn of(hello: &'a ClientHello) -> Self {
        let mut view = Self::default();
        for extension in hello.extensions() {
            match extension {
                Extension::ServerName(names) => view.server_name = Some(names),
                Extension::SupportedVersionsOffer(versions) => {
                    view.supported_versions = Some(versions)
                }
                Extension::SupportedGroups(groups) => view.supported_groups = Some(groups),
                Extension::EcPointFormats(formats) => view.ec_point_formats = Some(formats),
                Extension::SignatureAlgorithms(schemes) => {
                    view.signature_algorithms = Some(schemes)
                }
                Extension::Alpn(protocols) => view.alpn = Some(protocols),
                Extension::ExtendedMasterSecret => view.extended_master_secret = true,
                Extension::EncryptThenMac => view.encrypt_then_mac = true,
                Extension::RenegotiationInfo(data) => view.renegotiation_info = Some(data),
                Extension::SessionTicket(ticket) => view.session_ticket = Some(ticket),
                Extension::KeyShareOffer(shares) => view.key_shares = Some(shares),
                Extension::Cookie(cookie) => view.cookie = Some(cookie),
                Extension::EarlyData => view.early_data = true,
                Extension::PskKeyExchangeModes(modes) => view.psk_key_exchange_modes = Some(modes),
                Extension::PreSharedKeyOffer(offer) => view.pre_shared_key = Some(offer),
                Extension::RecordSizeLimit(limit) => view.record_size_limit = Some(*limit),
                Extension::MaxFragmentLength(code) => view.max_fragment_length = Some(*code),
                Extension::CompressCertificate(algorithms) => {
                    view.compress_certificate = Some(algorithms)
                }
                Extension::StatusRequest(CertificateStatusRequest::Ocsp { .. }) => {
                    view.status_request = true
                }
                Extension::SctRequest => view.signed_certificate_timestamp = true,
                Extension::CertificateAuthorities(names) => {
                    view.certificate_authorities = Some(names)
                }
                Extension::PostHandshakeAuth => view.post_handshake_auth = true,
                Extension::ClientCertificateTypes(types) => {
                    view.client_certificate_types = Some(types)
                }
                Extension::ServerCertificateTypes(types) => {
                    view.server_certificate_types = Some(types)
                }
                Extension::VersionBoundMalformed { typ, reason, .. } => {
                    let first = match version_bound(*typ) {
                        Some(Era::UpToTls12) => &mut view.tls12_only_malformed,
                        Some(Era::Tls13) => &mut view.tls13_only_malformed,
                        None => continue,
                    };
                    *first = first.or(Some(*reason));
                }
                _ => {}
            }
        }
        view
    }

    /// Refuses the hello if an extension that `version` uses does not
    /// parse (`decode_error`, RFC 8446 §6.2); one that only the other side
    /// of TLS 1.3 uses is ignored ([`Extension::VersionBoundMalformed`]).
    pub fn check_parsed_for(&self, version: ProtocolVersion) -> Result<(), Error> {
        let malformed = if version == ProtocolVersion::TLSv1_3 {
            self.tls13_only_malformed
        } else {
            self.tls12_only_malformed
        };
        malformed.map_or(Ok(()), |reason| Err(Error::Decode(reason)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msgs::enums::{CipherSuite, Compression, ExtensionType};

    fn hello(extensions: Option<Vec<Extension>>) -> ClientHello {
        ClientHello {
            legacy_version: ProtocolVersion::TLSv1_2,
            random: [0; 32],
            session_id: Default::default(),
            cipher_suites: [CipherSuite::TLS_AES_128_GCM_SHA256].into(),
            compression_methods: [Compression::Null].into(),
            extensions,
        }
    }

    #[test]
    fn each_extension_lands_in_its_field() {
        let hello = hello(Some(vec![
            Extension::SupportedVersionsOffer([ProtocolVersion::TLSv1_3].into()),
            Extension::SupportedGroups([NamedGroup::X25519].into()),
            Extension::KeyShareOffer(
                vec![KeyShareEntry {
                    group: NamedGroup::X25519,
                    key_exchange: vec![9; 32],
                }]
                .into(),
            ),
            Extension::ExtendedMasterSecret,
            Extension::EarlyData,
            Extension::PostHandshakeAuth,
            Extension::SessionTicket(vec![1, 2]),
            Extension::Unknown {
                typ: ExtensionType::from(0xfafa),
                data: Vec::new(),
            },
        ]));
        let view = ClientHelloExtensions::of(&hello);
        assert_eq!(
            view.supported_versions,
            Some(&[ProtocolVersion::TLSv1_3][..])
        );
        assert_eq!(view.supported_groups, Some(&[NamedGroup::X25519][..]));
        assert_eq!(view.key_shares.map(<[_]>::len), Some(1));
        assert!(view.extended_master_secret && view.early_data && view.post_handshake_auth);
        assert!(!view.encrypt_then_mac);
        assert_eq!(view.session_ticket, Some(&[1, 2][..]));
        assert_eq!(view.server_name, None);
        assert_eq!(view.pre_shared_key, None);
    }

    #[test]
    fn a_hello_without_an_extension_block_has_none() {
        let absent = hello(None);
        let empty = hello(Some(Vec::new()));
        assert_eq!(
            ClientHelloExtensions::of(&absent),
            ClientHelloExtensions::default()
        );
        assert_eq!(
            ClientHelloExtensions::of(&empty),
            ClientHelloExtensions::default()
        );
    }
}
