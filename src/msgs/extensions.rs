//! Extensions (RFC 8446 §4.2 and the RFCs that define each one), typed per
//! the message they sit in.
//!
//! Several extensions have different bodies in different messages (key_share
//! is a list in ClientHello, one entry in ServerHello and a bare group in
//! HelloRetryRequest), so decoding takes an [`ExtensionContext`]. A type
//! this module parses that appears in a message for which no form is
//! defined is `illegal_parameter` (RFC 8446 §4.2; the table of RFC 9846
//! §4.2 is followed where the two differ). For ServerHello the
//! allowed set is the union of what TLS 1.0–1.2 and TLS 1.3 allow: the
//! version is only known after decoding, so the handshake layer checks the
//! TLS 1.3 subset itself. Types not parsed here become
//! [`Extension::Unknown`] and keep their bytes.

use std::collections::HashSet;

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::{DecodeReason, Error, IllegalParameterReason};
use crate::msgs::compressed_certificate::{
    CertificateCompressionAlgorithmList, CERTIFICATE_COMPRESSION_ALGORITHMS,
};
use crate::msgs::enums::{
    CertificateStatusType, CertificateType, EcPointFormat, ExtensionType, NamedGroup,
    ProtocolVersion, PskKeyExchangeMode, ServerNameType, SignatureScheme,
};
use crate::msgs::inline_list::InlineList;
use crate::msgs::psk::PskOffer;
use crate::msgs::single_list::SingleList;
use crate::msgs::syntax::{read_opaque_list, write_opaque_list, VectorSpec, PRESIZED_LIST_ITEMS};

/// `opaque extension_data<0..2^16-1>` of one extension (RFC 8446 §4.2).
pub const EXTENSION_DATA: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// `Extension extensions<0..2^16-1>`: the extension block of every message
/// that has one (RFC 9846 §4.1.2, §4.1.3, §4.3.1, §4.3.2, §4.4.2, §4.6.1;
/// RFC 5246 §7.4.1.2). TLS 1.3 raises the lower bound of the hello blocks
/// (`<7..>`, `<6..>`), which the handshake layer sees as missing
/// extensions, since the version is not known while decoding.
pub const EXTENSIONS: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// `ServerName server_name_list<1..2^16-1>` (RFC 6066 §3).
pub const SERVER_NAME_LIST: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `opaque HostName<1..2^16-1>` (RFC 6066 §3); every name type is read
/// with this shape.
pub const HOST_NAME: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `ResponderID responder_id_list<0..2^16-1>` and
/// `Extensions request_extensions` of an OCSPStatusRequest (RFC 6066 §8).
pub const OCSP_REQUEST_FIELD: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// `opaque OCSPResponse<1..2^24-1>` (RFC 6066 §8, RFC 8446 §4.4.2.1).
pub const OCSP_RESPONSE: VectorSpec = VectorSpec::new(LengthPrefix::U24, 1, 0x00ff_ffff);

/// `SerializedSCT sct_list<1..2^16-1>` of a SignedCertificateTimestampList
/// (RFC 6962 §3.3).
pub const SCT_LIST: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `opaque SerializedSCT<1..2^16-1>` (RFC 6962 §3.3).
pub const SERIALIZED_SCT: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `DistinguishedName authorities<3..2^16-1>` of certificate_authorities
/// (RFC 8446 §4.2.4).
pub const AUTHORITIES: VectorSpec = VectorSpec::new(LengthPrefix::U16, 3, 0xffff);

/// `opaque DistinguishedName<1..2^16-1>` (RFC 8446 §4.2.4).
pub const DISTINGUISHED_NAME: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `NamedGroup named_group_list<2..2^16-1>` (RFC 8446 §4.2.7).
pub const NAMED_GROUP_LIST: VectorSpec = VectorSpec::new(LengthPrefix::U16, 2, 0xffff);

/// How many groups a supported_groups list holds in place: ferrotls
/// offers 8 by default, browsers 4 to 6 plus GREASE, OpenSSL about 10,
/// so 16 keeps the usual offers off the heap. A sizing choice, not a
/// limit: a longer list is held on the heap.
pub const NAMED_GROUP_LIST_INLINE: usize = 16;

/// A supported_groups list ([`NAMED_GROUP_LIST`]).
pub type NamedGroupList = InlineList<NamedGroup, NAMED_GROUP_LIST_INLINE>;

/// `ECPointFormat ec_point_format_list<1..2^8-1>` (RFC 8422 §5.1.2).
pub const EC_POINT_FORMAT_LIST: VectorSpec = VectorSpec::new(LengthPrefix::U8, 1, 0xff);

/// How many point formats an ec_point_formats list holds in place: RFC
/// 8422 §5.1.2 defines three (and deprecates all but uncompressed), so
/// 4 holds any real list. A sizing choice, not a limit.
pub const EC_POINT_FORMAT_LIST_INLINE: usize = 4;

/// An ec_point_formats list ([`EC_POINT_FORMAT_LIST`]).
pub type EcPointFormatList = InlineList<EcPointFormat, EC_POINT_FORMAT_LIST_INLINE>;

/// `SignatureScheme supported_signature_algorithms<2..2^16-2>`
/// (RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1).
pub const SIGNATURE_SCHEME_LIST: VectorSpec = VectorSpec::new(LengthPrefix::U16, 2, 0xfffe);

/// How many signature schemes a signature_algorithms list holds in
/// place: ferrotls, rustls and browsers offer 8 to 12, so 16 keeps them
/// off the heap (OpenSSL's list of about 25 spills); larger would grow
/// every [`Extension`] for a rare case. A sizing choice, not a limit.
pub const SIGNATURE_SCHEME_LIST_INLINE: usize = 16;

/// A signature_algorithms or signature_algorithms_cert list
/// ([`SIGNATURE_SCHEME_LIST`]).
pub type SignatureSchemeList = InlineList<SignatureScheme, SIGNATURE_SCHEME_LIST_INLINE>;

/// `ProtocolNameList protocol_name_list<2..2^16-1>` (RFC 7301 §3.1).
pub const PROTOCOL_NAME_LIST: VectorSpec = VectorSpec::new(LengthPrefix::U16, 2, 0xffff);

/// `opaque ProtocolName<1..2^8-1>` (RFC 7301 §3.1).
pub const PROTOCOL_NAME: VectorSpec = VectorSpec::new(LengthPrefix::U8, 1, 0xff);

/// `ProtocolVersion versions<2..254>` in ClientHello (RFC 8446 §4.2.1).
pub const SUPPORTED_VERSIONS_LIST: VectorSpec = VectorSpec::new(LengthPrefix::U8, 2, 254);

/// How many versions a supported_versions list holds in place: TLS 1.0
/// to 1.3 and a GREASE value or a draft version fit in 8. A sizing
/// choice, not a limit.
pub const SUPPORTED_VERSIONS_LIST_INLINE: usize = 8;

/// A ClientHello's supported_versions list ([`SUPPORTED_VERSIONS_LIST`]).
pub type ProtocolVersionList = InlineList<ProtocolVersion, SUPPORTED_VERSIONS_LIST_INLINE>;

/// `KeyShareEntry client_shares<0..2^16-1>` (RFC 8446 §4.2.8).
pub const CLIENT_SHARES: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// The most entries a ClientHello's `client_shares` may hold. RFC 8446
/// §4.2.8 allows one share per group and lets the field run to 2^16-1
/// bytes (over 13,000 minimal entries). Real clients send one to four,
/// but a server must skip shares for groups it does not know, and
/// conformance suites send a share for every unassigned group of a range
/// (tlsfuzzer's `test-tls13-unrecognised-groups`: up to 247), so the
/// bound sits well above that while still bounding what the server
/// decodes; every check over the shares is linear. More is
/// `illegal_parameter`, the alert §4.2.8 names for the key_share rules a
/// server checks.
pub const MAX_KEY_SHARES: usize = 1024;

/// `opaque key_exchange<1..2^16-1>` of a KeyShareEntry (RFC 8446 §4.2.8).
pub const KEY_EXCHANGE: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `opaque cookie<1..2^16-1>` (RFC 8446 §4.2.2).
pub const COOKIE: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// `PskKeyExchangeMode ke_modes<1..255>` (RFC 8446 §4.2.9).
pub const PSK_KE_MODES: VectorSpec = VectorSpec::new(LengthPrefix::U8, 1, 255);

/// How many modes a psk_key_exchange_modes list holds in place: RFC 8446
/// §4.2.9 defines two, so 4 leaves room for a GREASE value. A sizing
/// choice, not a limit.
pub const PSK_KE_MODES_INLINE: usize = 4;

/// A psk_key_exchange_modes list ([`PSK_KE_MODES`]).
pub type PskKeyExchangeModeList = InlineList<PskKeyExchangeMode, PSK_KE_MODES_INLINE>;

/// `opaque renegotiated_connection<0..255>` (RFC 5746 §3.2).
pub const RENEGOTIATED_CONNECTION: VectorSpec = VectorSpec::new(LengthPrefix::U8, 0, 255);

/// `CertificateType client_certificate_types<1..2^8-1>` and
/// `server_certificate_types<1..2^8-1>` of a ClientHello (RFC 7250 §3).
pub const CERTIFICATE_TYPE_LIST: VectorSpec = VectorSpec::new(LengthPrefix::U8, 1, 0xff);

/// How many certificate types a client_certificate_type or
/// server_certificate_type list holds in place: four types are
/// registered (X.509, OpenPGP, raw public key, 1609Dot2; RFC 7250 §3
/// uses the TLS Certificate Types registry), so 4 holds any list without
/// repeats. A sizing choice, not a limit.
pub const CERTIFICATE_TYPE_LIST_INLINE: usize = 4;

/// A ClientHello's certificate type list ([`CERTIFICATE_TYPE_LIST`]).
pub type CertificateTypeList = InlineList<CertificateType, CERTIFICATE_TYPE_LIST_INLINE>;

/// The smallest record_size_limit a peer may announce; a smaller value is
/// `illegal_parameter` (RFC 8449 §4).
pub const MIN_RECORD_SIZE_LIMIT: u16 = 64;

/// The max_fragment_length codes a client may send (RFC 6066 §4): 1 to 4,
/// for 2^9 to 2^12 bytes of plaintext per record. Another value is
/// `illegal_parameter`.
pub const MAX_FRAGMENT_LENGTH_CODES: core::ops::RangeInclusive<u8> = 1..=4;

/// The plaintext per record a max_fragment_length `code` allows (RFC 6066
/// §4: 2^(8 + code)), or `None` for a code outside
/// [`MAX_FRAGMENT_LENGTH_CODES`].
pub fn max_fragment_length_bytes(code: u8) -> Option<u16> {
    MAX_FRAGMENT_LENGTH_CODES
        .contains(&code)
        .then(|| 1 << (8 + u16::from(code)))
}

/// The message an extension block belongs to; it decides which form each
/// extension takes (RFC 8446 §4.2, the table of allowed messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtensionContext {
    /// ClientHello, any version.
    ClientHello,
    /// ServerHello, any version (the union of TLS 1.0–1.2 and 1.3 forms).
    ServerHello,
    /// HelloRetryRequest (RFC 8446 §4.1.4).
    HelloRetryRequest,
    /// TLS 1.3 EncryptedExtensions (RFC 8446 §4.3.1).
    EncryptedExtensions,
    /// The extensions of one TLS 1.3 CertificateEntry (RFC 8446 §4.4.2).
    CertificateEntry,
    /// TLS 1.3 CertificateRequest (RFC 8446 §4.3.2).
    CertificateRequest,
    /// TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1).
    NewSessionTicket,
}

/// One entry of the server_name list (RFC 6066 §3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerName {
    /// The name type; only `host_name` is defined.
    pub typ: ServerNameType,
    /// The name as sent: for `host_name`, ASCII without a trailing dot.
    pub name: Vec<u8>,
}

impl Codec for ServerName {
    fn encode(&self, w: &mut Writer) {
        self.typ.encode(w);
        HOST_NAME.write(w, &self.name);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            typ: ServerNameType::decode(r)?,
            name: HOST_NAME.read_vec(r)?,
        })
    }
}

/// One key share: a group and the sender's public value for it
/// (RFC 8446 §4.2.8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyShareEntry {
    /// The group the share belongs to.
    pub group: NamedGroup,
    /// The public value (RFC 8446 §4.2.8.2 gives its format per group).
    pub key_exchange: Vec<u8>,
}

impl Codec for KeyShareEntry {
    fn encode(&self, w: &mut Writer) {
        self.group.encode(w);
        KEY_EXCHANGE.write(w, &self.key_exchange);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            group: NamedGroup::decode(r)?,
            key_exchange: KEY_EXCHANGE.read_vec(r)?,
        })
    }
}

/// The ClientHello body of status_request (RFC 6066 §8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CertificateStatusRequest {
    /// An OCSPStatusRequest; both lists are kept as their encoded bytes.
    Ocsp {
        /// The body of `responder_id_list`.
        responder_id_list: Vec<u8>,
        /// The body of `request_extensions` (DER).
        request_extensions: Vec<u8>,
    },
    /// A status type this crate does not know, with its body.
    Unknown {
        /// The status type.
        status_type: CertificateStatusType,
        /// The request body.
        body: Vec<u8>,
    },
}

impl Codec for CertificateStatusRequest {
    fn encode(&self, w: &mut Writer) {
        match self {
            Self::Ocsp {
                responder_id_list,
                request_extensions,
            } => {
                CertificateStatusType::Ocsp.encode(w);
                OCSP_REQUEST_FIELD.write(w, responder_id_list);
                OCSP_REQUEST_FIELD.write(w, request_extensions);
            }
            Self::Unknown { status_type, body } => {
                status_type.encode(w);
                w.bytes(body);
            }
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(match CertificateStatusType::decode(r)? {
            CertificateStatusType::Ocsp => Self::Ocsp {
                responder_id_list: OCSP_REQUEST_FIELD.read_vec(r)?,
                request_extensions: OCSP_REQUEST_FIELD.read_vec(r)?,
            },
            status_type => Self::Unknown {
                status_type,
                body: r.rest().to_vec(),
            },
        })
    }
}

/// One extension, in the form its message gives it. Variant docs name the
/// RFC and the messages ([`ExtensionContext`]) the form is used in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Extension {
    /// server_name list (RFC 6066 §3); ClientHello, CertificateRequest
    /// (RFC 9846 §4.2, for exported authenticators, RFC 9261).
    ServerName(SingleList<ServerName>),
    /// Empty server_name: the server used the name (RFC 6066 §3);
    /// ServerHello, EncryptedExtensions.
    ServerNameAck,
    /// status_request (RFC 6066 §8); ClientHello.
    StatusRequest(CertificateStatusRequest),
    /// Empty status_request (RFC 6066 §8, RFC 8446 §4.4.2.1); ServerHello,
    /// CertificateRequest.
    StatusRequestAck,
    /// An OCSP response in a CertificateStatus body (RFC 8446 §4.4.2.1);
    /// CertificateEntry.
    OcspResponse(Vec<u8>),
    /// Empty signed_certificate_timestamp: a request for SCTs (RFC 6962
    /// §3.3.1); ClientHello, CertificateRequest.
    SctRequest,
    /// signed_certificate_timestamp with a SignedCertificateTimestampList,
    /// each SerializedSCT as sent (RFC 6962 §3.3); ServerHello (TLS ≤1.2),
    /// CertificateEntry (RFC 8446 §4.4.2).
    SctList(Vec<Vec<u8>>),
    /// certificate_authorities, the DER DistinguishedNames of the CAs the
    /// sender accepts (RFC 8446 §4.2.4); ClientHello, CertificateRequest.
    CertificateAuthorities(Vec<Vec<u8>>),
    /// supported_groups (RFC 8446 §4.2.7, RFC 8422 §5.1.1); ClientHello,
    /// EncryptedExtensions.
    SupportedGroups(NamedGroupList),
    /// ec_point_formats (RFC 8422 §5.1.2); ClientHello, ServerHello.
    EcPointFormats(EcPointFormatList),
    /// signature_algorithms (RFC 8446 §4.2.3); ClientHello,
    /// CertificateRequest.
    SignatureAlgorithms(SignatureSchemeList),
    /// signature_algorithms_cert (RFC 8446 §4.2.3); ClientHello,
    /// CertificateRequest.
    SignatureAlgorithmsCert(SignatureSchemeList),
    /// application_layer_protocol_negotiation (RFC 7301 §3.1); ClientHello,
    /// ServerHello, EncryptedExtensions.
    Alpn(Vec<Vec<u8>>),
    /// encrypt_then_mac, empty (RFC 7366 §2); ClientHello, ServerHello.
    EncryptThenMac,
    /// extended_master_secret, empty (RFC 7627 §5.1); ClientHello,
    /// ServerHello.
    ExtendedMasterSecret,
    /// record_size_limit (RFC 8449 §4); ClientHello, ServerHello,
    /// EncryptedExtensions.
    RecordSizeLimit(u16),
    /// max_fragment_length (RFC 6066 §4): the code of the largest
    /// plaintext per record, 2^(8 + code) bytes for a code of 1 to 4
    /// (`max_fragment_length_bytes`); ClientHello, ServerHello (TLS ≤ 1.2),
    /// EncryptedExtensions (TLS 1.3).
    MaxFragmentLength(u8),
    /// compress_certificate: the algorithms the sender can decompress
    /// (RFC 8879 §3); ClientHello, CertificateRequest.
    CompressCertificate(CertificateCompressionAlgorithmList),
    /// SessionTicket, the raw ticket or empty (RFC 5077 §3.2); ClientHello,
    /// ServerHello.
    SessionTicket(Vec<u8>),
    /// pre_shared_key offer (RFC 8446 §4.2.11); ClientHello, where it must
    /// be the last extension.
    PreSharedKeyOffer(PskOffer),
    /// pre_shared_key `selected_identity` (RFC 8446 §4.2.11); ServerHello.
    PreSharedKeySelected(u16),
    /// Empty early_data (RFC 8446 §4.2.10); ClientHello,
    /// EncryptedExtensions.
    EarlyData,
    /// early_data `max_early_data_size` (RFC 8446 §4.2.10);
    /// NewSessionTicket.
    MaxEarlyDataSize(u32),
    /// supported_versions list (RFC 8446 §4.2.1); ClientHello.
    SupportedVersionsOffer(ProtocolVersionList),
    /// supported_versions `selected_version` (RFC 8446 §4.2.1);
    /// ServerHello, HelloRetryRequest.
    SupportedVersionsSelected(ProtocolVersion),
    /// cookie (RFC 8446 §4.2.2); ClientHello, HelloRetryRequest.
    Cookie(Vec<u8>),
    /// psk_key_exchange_modes (RFC 8446 §4.2.9); ClientHello.
    PskKeyExchangeModes(PskKeyExchangeModeList),
    /// key_share `client_shares` (RFC 8446 §4.2.8); ClientHello.
    KeyShareOffer(SingleList<KeyShareEntry>),
    /// key_share `server_share` (RFC 8446 §4.2.8); ServerHello.
    KeyShareSelected(KeyShareEntry),
    /// key_share `selected_group` (RFC 8446 §4.2.8); HelloRetryRequest.
    KeyShareRetry(NamedGroup),
    /// renegotiation_info (RFC 5746 §3.2); ClientHello, ServerHello.
    RenegotiationInfo(Vec<u8>),
    /// post_handshake_auth, empty (RFC 8446 §4.2.6); ClientHello.
    PostHandshakeAuth,
    /// client_certificate_type: the types the client can send, most
    /// preferred first (RFC 7250 §3, §4.1); ClientHello.
    ClientCertificateTypes(CertificateTypeList),
    /// client_certificate_type: the type the server asks the client for
    /// (RFC 7250 §4.2); ServerHello (TLS 1.2), EncryptedExtensions.
    ClientCertificateTypeSelected(CertificateType),
    /// server_certificate_type: the types the client can check, most
    /// preferred first (RFC 7250 §3, §4.1); ClientHello.
    ServerCertificateTypes(CertificateTypeList),
    /// server_certificate_type: the type of the server's Certificate
    /// (RFC 7250 §4.2); ServerHello (TLS 1.2), EncryptedExtensions.
    ServerCertificateTypeSelected(CertificateType),
    /// A ClientHello extension that only one side of TLS 1.3 uses, whose
    /// body does not parse, kept as sent: one used only up to TLS 1.2
    /// (ec_point_formats, encrypt_then_mac, extended_master_secret,
    /// SessionTicket, renegotiation_info) or only in TLS 1.3 (key_share,
    /// pre_shared_key, early_data, cookie, psk_key_exchange_modes,
    /// post_handshake_auth). A server that negotiates a version with no use
    /// for it ignores it, as one that does not implement it would (RFC 8446
    /// §4.2 lists none of the first kind for TLS 1.3, and the second kind
    /// means nothing to TLS 1.2); OpenSSL and BoringSSL do the same. One
    /// that negotiates a version using it refuses the hello with `reason`
    /// (`decode_error`).
    VersionBoundMalformed {
        /// The extension type.
        typ: ExtensionType,
        /// The extension data.
        data: Vec<u8>,
        /// Why the body does not parse.
        reason: DecodeReason,
    },
    /// Any extension type this crate does not parse, kept as sent.
    Unknown {
        /// The extension type.
        typ: ExtensionType,
        /// The extension data.
        data: Vec<u8>,
    },
}

impl Extension {
    /// The extension's type code.
    pub fn ext_type(&self) -> ExtensionType {
        use ExtensionType as T;
        match self {
            Self::ServerName(_) | Self::ServerNameAck => T::ServerName,
            Self::StatusRequest(_) | Self::StatusRequestAck | Self::OcspResponse(_) => {
                T::StatusRequest
            }
            Self::SctRequest | Self::SctList(_) => T::SignedCertificateTimestamp,
            Self::CertificateAuthorities(_) => T::CertificateAuthorities,
            Self::SupportedGroups(_) => T::SupportedGroups,
            Self::EcPointFormats(_) => T::EcPointFormats,
            Self::SignatureAlgorithms(_) => T::SignatureAlgorithms,
            Self::SignatureAlgorithmsCert(_) => T::SignatureAlgorithmsCert,
            Self::Alpn(_) => T::ApplicationLayerProtocolNegotiation,
            Self::EncryptThenMac => T::EncryptThenMac,
            Self::ExtendedMasterSecret => T::ExtendedMasterSecret,
            Self::RecordSizeLimit(_) => T::RecordSizeLimit,
            Self::MaxFragmentLength(_) => T::MaxFragmentLength,
            Self::CompressCertificate(_) => T::CompressCertificate,
            Self::SessionTicket(_) => T::SessionTicket,
            Self::PreSharedKeyOffer(_) | Self::PreSharedKeySelected(_) => T::PreSharedKey,
            Self::EarlyData | Self::MaxEarlyDataSize(_) => T::EarlyData,
            Self::SupportedVersionsOffer(_) | Self::SupportedVersionsSelected(_) => {
                T::SupportedVersions
            }
            Self::Cookie(_) => T::Cookie,
            Self::PskKeyExchangeModes(_) => T::PskKeyExchangeModes,
            Self::KeyShareOffer(_) | Self::KeyShareSelected(_) | Self::KeyShareRetry(_) => {
                T::KeyShare
            }
            Self::RenegotiationInfo(_) => T::RenegotiationInfo,
            Self::PostHandshakeAuth => T::PostHandshakeAuth,
            Self::ClientCertificateTypes(_) | Self::ClientCertificateTypeSelected(_) => {
                T::ClientCertificateType
            }
            Self::ServerCertificateTypes(_) | Self::ServerCertificateTypeSelected(_) => {
                T::ServerCertificateType
            }
            Self::VersionBoundMalformed { typ, .. } | Self::Unknown { typ, .. } => *typ,
        }
    }

    /// Decodes one extension (type, length, body) as it appears in a
    /// message of kind `cx`. A body that does not parse, or has bytes left
    /// over, is [`Error::Decode`]; a parsed type with no form in `cx`, a
    /// record_size_limit below `MIN_RECORD_SIZE_LIMIT` or two key shares
    /// for one group (RFC 8446 §4.2.8) is [`Error::IllegalParameter`].
    /// A ClientHello extension used only on one side of TLS 1.3 whose body
    /// does not parse is kept as [`Self::VersionBoundMalformed`] instead,
    /// for the server to refuse only if it negotiates a version using it.
    pub fn decode(r: &mut Reader<'_>, cx: ExtensionContext) -> Result<Self, Error> {
        let typ = ExtensionType::decode(r)?;
        let data = EXTENSION_DATA.read(r)?;
        let mut body = Reader::new(data);
        match Self::decode_body(typ, &mut body, cx).and_then(|ext| body.finish().map(|()| ext)) {
            Err(Error::Decode(reason))
                if cx == ExtensionContext::ClientHello && version_bound(typ).is_some() =>
            {
                Ok(Self::VersionBoundMalformed {
                    typ,
                    data: data.to_vec(),
                    reason,
                })
            }
            decoded => decoded,
        }
    }

    fn decode_body(
        typ: ExtensionType,
        r: &mut Reader<'_>,
        cx: ExtensionContext,
    ) -> Result<Self, Error> {
        use ExtensionContext as C;
        use ExtensionType as T;
        Ok(match (typ, cx) {
            (T::ServerName, C::ClientHello | C::CertificateRequest) => {
                Self::ServerName(SERVER_NAME_LIST.read_small_list(r)?)
            }
            (T::ServerName, C::ServerHello | C::EncryptedExtensions) => Self::ServerNameAck,
            (T::StatusRequest, C::ClientHello) => {
                Self::StatusRequest(CertificateStatusRequest::decode(r)?)
            }
            (T::StatusRequest, C::ServerHello | C::CertificateRequest) => Self::StatusRequestAck,
            (T::StatusRequest, C::CertificateEntry) => match CertificateStatusType::decode(r)? {
                CertificateStatusType::Ocsp => Self::OcspResponse(OCSP_RESPONSE.read_vec(r)?),
                _ => return Err(Error::Decode(DecodeReason::CertificateStatusType)),
            },
            (T::SignedCertificateTimestamp, C::ClientHello | C::CertificateRequest) => {
                Self::SctRequest
            }
            (T::SignedCertificateTimestamp, C::ServerHello | C::CertificateEntry) => {
                Self::SctList(read_opaque_list(SCT_LIST, SERIALIZED_SCT, r)?)
            }
            (T::CertificateAuthorities, C::ClientHello | C::CertificateRequest) => {
                Self::CertificateAuthorities(read_opaque_list(AUTHORITIES, DISTINGUISHED_NAME, r)?)
            }
            // RFC 8422 §5.1 defines supported_groups for the ClientHello
            // only, but some TLS 1.2 servers echo it; a TLS 1.2 client
            // ignores it there, a TLS 1.3 one refuses it (RFC 8446 §4.2).
            (T::SupportedGroups, C::ClientHello | C::ServerHello | C::EncryptedExtensions) => {
                Self::SupportedGroups(NAMED_GROUP_LIST.read_small_list(r)?)
            }
            (T::EcPointFormats, C::ClientHello | C::ServerHello) => {
                Self::EcPointFormats(EC_POINT_FORMAT_LIST.read_small_list(r)?)
            }
            (T::SignatureAlgorithms, C::ClientHello | C::CertificateRequest) => {
                Self::SignatureAlgorithms(SIGNATURE_SCHEME_LIST.read_small_list(r)?)
            }
            (T::SignatureAlgorithmsCert, C::ClientHello | C::CertificateRequest) => {
                Self::SignatureAlgorithmsCert(SIGNATURE_SCHEME_LIST.read_small_list(r)?)
            }
            (
                T::ApplicationLayerProtocolNegotiation,
                C::ClientHello | C::ServerHello | C::EncryptedExtensions,
            ) => Self::Alpn(read_opaque_list(PROTOCOL_NAME_LIST, PROTOCOL_NAME, r)?),
            (T::EncryptThenMac, C::ClientHello | C::ServerHello) => Self::EncryptThenMac,
            (T::ExtendedMasterSecret, C::ClientHello | C::ServerHello) => {
                Self::ExtendedMasterSecret
            }
            (T::RecordSizeLimit, C::ClientHello | C::ServerHello | C::EncryptedExtensions) => {
                let limit = r.u16()?;
                if limit < MIN_RECORD_SIZE_LIMIT {
                    return Err(Error::IllegalParameter(
                        IllegalParameterReason::RecordSizeLimitTooSmall,
                    ));
                }
                Self::RecordSizeLimit(limit)
            }
            (T::SessionTicket, C::ClientHello | C::ServerHello) => {
                Self::SessionTicket(r.rest().to_vec())
            }
            (T::MaxFragmentLength, C::ClientHello | C::ServerHello | C::EncryptedExtensions) => {
                let code = r.u8()?;
                if max_fragment_length_bytes(code).is_none() {
                    return Err(Error::IllegalParameter(
                        IllegalParameterReason::MaxFragmentLengthValue,
                    ));
                }
                Self::MaxFragmentLength(code)
            }
            (T::CompressCertificate, C::ClientHello | C::CertificateRequest) => {
                Self::CompressCertificate(CERTIFICATE_COMPRESSION_ALGORITHMS.read_small_list(r)?)
            }
            (T::PreSharedKey, C::ClientHello) => Self::PreSharedKeyOffer(PskOffer::decode(r)?),
            (T::PreSharedKey, C::ServerHello) => Self::PreSharedKeySelected(r.u16()?),
            (T::EarlyData, C::ClientHello | C::EncryptedExtensions) => Self::EarlyData,
            (T::EarlyData, C::NewSessionTicket) => Self::MaxEarlyDataSize(r.u32()?),
            (T::SupportedVersions, C::ClientHello) => {
                Self::SupportedVersionsOffer(SUPPORTED_VERSIONS_LIST.read_small_list(r)?)
            }
            (T::SupportedVersions, C::ServerHello | C::HelloRetryRequest) => {
                Self::SupportedVersionsSelected(ProtocolVersion::decode(r)?)
            }
            (T::Cookie, C::ClientHello | C::HelloRetryRequest) => Self::Cookie(COOKIE.read_vec(r)?),
            (T::PskKeyExchangeModes, C::ClientHello) => {
                Self::PskKeyExchangeModes(PSK_KE_MODES.read_small_list(r)?)
            }
            (T::KeyShare, C::ClientHello) => Self::KeyShareOffer(decode_client_shares(r)?),
            (T::KeyShare, C::ServerHello) => Self::KeyShareSelected(KeyShareEntry::decode(r)?),
            (T::KeyShare, C::HelloRetryRequest) => Self::KeyShareRetry(NamedGroup::decode(r)?),
            (T::RenegotiationInfo, C::ClientHello | C::ServerHello) => {
                Self::RenegotiationInfo(RENEGOTIATED_CONNECTION.read_vec(r)?)
            }
            (T::PostHandshakeAuth, C::ClientHello) => Self::PostHandshakeAuth,
            (T::ClientCertificateType, C::ClientHello) => {
                Self::ClientCertificateTypes(CERTIFICATE_TYPE_LIST.read_small_list(r)?)
            }
            (T::ClientCertificateType, C::ServerHello | C::EncryptedExtensions) => {
                Self::ClientCertificateTypeSelected(CertificateType::decode(r)?)
            }
            (T::ServerCertificateType, C::ClientHello) => {
                Self::ServerCertificateTypes(CERTIFICATE_TYPE_LIST.read_small_list(r)?)
            }
            (T::ServerCertificateType, C::ServerHello | C::EncryptedExtensions) => {
                Self::ServerCertificateTypeSelected(CertificateType::decode(r)?)
            }
            (
                T::ServerName
                | T::StatusRequest
                | T::SignedCertificateTimestamp
                | T::CertificateAuthorities
                | T::SupportedGroups
                | T::EcPointFormats
                | T::SignatureAlgorithms
                | T::SignatureAlgorithmsCert
                | T::ApplicationLayerProtocolNegotiation
                | T::EncryptThenMac
                | T::ExtendedMasterSecret
                | T::RecordSizeLimit
                | T::MaxFragmentLength
                | T::CompressCertificate
                | T::SessionTicket
                | T::PreSharedKey
                | T::EarlyData
                | T::SupportedVersions
                | T::Cookie
                | T::PskKeyExchangeModes
                | T::KeyShare
                | T::RenegotiationInfo
                | T::PostHandshakeAuth
                | T::ClientCertificateType
                | T::ServerCertificateType,
                _,
            ) => {
                return Err(Error::IllegalParameter(
                    IllegalParameterReason::ExtensionNotAllowed,
                ))
            }
            (typ, _) => Self::Unknown {
                typ,
                data: r.rest().to_vec(),
            },
        })
    }

    /// Appends the extension: type, length, body.
    pub fn encode(&self, w: &mut Writer) {
        self.ext_type().encode(w);
        EXTENSION_DATA.write_with(w, |w| self.encode_body(w));
    }

    fn encode_body(&self, w: &mut Writer) {
        match self {
            Self::ServerName(names) => SERVER_NAME_LIST.write_list(w, names),
            Self::ServerNameAck
            | Self::StatusRequestAck
            | Self::SctRequest
            | Self::EncryptThenMac
            | Self::ExtendedMasterSecret
            | Self::EarlyData
            | Self::PostHandshakeAuth => {}
            Self::StatusRequest(request) => request.encode(w),
            Self::OcspResponse(response) => {
                CertificateStatusType::Ocsp.encode(w);
                OCSP_RESPONSE.write(w, response);
            }
            Self::SctList(scts) => write_opaque_list(SCT_LIST, SERIALIZED_SCT, w, scts),
            Self::CertificateAuthorities(names) => {
                write_opaque_list(AUTHORITIES, DISTINGUISHED_NAME, w, names)
            }
            Self::SupportedGroups(groups) => NAMED_GROUP_LIST.write_list(w, groups),
            Self::EcPointFormats(formats) => EC_POINT_FORMAT_LIST.write_list(w, formats),
            Self::SignatureAlgorithms(schemes) | Self::SignatureAlgorithmsCert(schemes) => {
                SIGNATURE_SCHEME_LIST.write_list(w, schemes)
            }
            Self::Alpn(names) => write_opaque_list(PROTOCOL_NAME_LIST, PROTOCOL_NAME, w, names),
            Self::RecordSizeLimit(limit) => w.u16(*limit),
            Self::MaxFragmentLength(code) => w.u8(*code),
            Self::CompressCertificate(algorithms) => {
                CERTIFICATE_COMPRESSION_ALGORITHMS.write_list(w, algorithms)
            }
            Self::SessionTicket(data)
            | Self::VersionBoundMalformed { data, .. }
            | Self::Unknown { data, .. } => w.bytes(data),
            Self::PreSharedKeyOffer(offer) => offer.encode(w),
            Self::PreSharedKeySelected(index) => w.u16(*index),
            Self::MaxEarlyDataSize(size) => w.u32(*size),
            Self::SupportedVersionsOffer(versions) => {
                SUPPORTED_VERSIONS_LIST.write_list(w, versions)
            }
            Self::SupportedVersionsSelected(version) => version.encode(w),
            Self::Cookie(cookie) => COOKIE.write(w, cookie),
            Self::PskKeyExchangeModes(modes) => PSK_KE_MODES.write_list(w, modes),
            Self::KeyShareOffer(shares) => CLIENT_SHARES.write_list(w, shares),
            Self::KeyShareSelected(share) => share.encode(w),
            Self::KeyShareRetry(group) => group.encode(w),
            Self::RenegotiationInfo(info) => RENEGOTIATED_CONNECTION.write(w, info),
            Self::ClientCertificateTypes(types) | Self::ServerCertificateTypes(types) => {
                CERTIFICATE_TYPE_LIST.write_list(w, types)
            }
            Self::ClientCertificateTypeSelected(typ) | Self::ServerCertificateTypeSelected(typ) => {
                typ.encode(w)
            }
        }
    }
}

/// The versions that use a ClientHello extension, when only one side of
/// TLS 1.3 does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Era {
    /// Only TLS 1.0 to 1.2 (RFC 8446 §4.2 lists every extension TLS 1.3
    /// uses, and these are not among them).
    UpToTls12,
    /// Only TLS 1.3 (RFC 8446 §4.2.6, §4.2.8–§4.2.11).
    Tls13,
}

/// Which side of TLS 1.3 uses `typ`, if only one does ([`Era`]).
pub(crate) fn version_bound(typ: ExtensionType) -> Option<Era> {
    use ExtensionType as T;
    match typ {
        T::EcPointFormats
        | T::EncryptThenMac
        | T::ExtendedMasterSecret
        | T::SessionTicket
        | T::RenegotiationInfo => Some(Era::UpToTls12),
        T::KeyShare
        | T::PreSharedKey
        | T::EarlyData
        | T::Cookie
        | T::PskKeyExchangeModes
        | T::PostHandshakeAuth => Some(Era::Tls13),
        _ => None,
    }
}

/// Reads `client_shares`, stopping at the first entry past
/// [`MAX_KEY_SHARES`]; that entry and two shares for one group are
/// [`Error::IllegalParameter`] (RFC 8446 §4.2.8). The duplicate check is
/// linear ([`Repeats`]).
fn decode_client_shares(r: &mut Reader<'_>) -> Result<SingleList<KeyShareEntry>, Error> {
    let mut list = Reader::new(CLIENT_SHARES.read(r)?);
    let mut shares = SingleList::new();
    let mut groups = Repeats::default();
    while !list.is_empty() {
        if shares.len() == MAX_KEY_SHARES {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::TooManyKeyShares,
            ));
        }
        let share = KeyShareEntry::decode(&mut list)?;
        if groups.repeated(u16::from(share.group)) {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::DuplicateKeyShareGroup,
            ));
        }
        shares.push(share);
    }
    Ok(shares)
}

/// Whether `codes` holds any code twice, in time linear in their number
/// ([`Repeats`]).
pub(crate) fn any_repeated(codes: impl IntoIterator<Item = u16>) -> bool {
    let mut repeats = Repeats::default();
    codes.into_iter().any(|code| repeats.repeated(code))
}

/// Tells whether a 16-bit code point (an extension type, a key share's
/// group) already occurred in a list read one item at a time, in time
/// linear in the list: the first [`PRESIZED_LIST_ITEMS`] codes are kept
/// in an array and compared directly (no allocation for the usual short
/// lists), a longer list moves them to a set.
struct Repeats {
    first: [u16; PRESIZED_LIST_ITEMS],
    len: usize,
    set: Option<HashSet<u16>>,
}

impl Default for Repeats {
    fn default() -> Self {
        Self {
            first: [0; PRESIZED_LIST_ITEMS],
            len: 0,
            set: None,
        }
    }
}

impl Repeats {
    /// Records `code`; true when it occurred before.
    fn repeated(&mut self, code: u16) -> bool {
        if let Some(set) = &mut self.set {
            return !set.insert(code);
        }
        let (seen, free) = self.first.split_at_mut(self.len.min(PRESIZED_LIST_ITEMS));
        if seen.contains(&code) {
            return true;
        }
        match free.first_mut() {
            Some(slot) => {
                *slot = code;
                self.len += 1;
            }
            None => {
                let mut set: HashSet<u16> = seen.iter().copied().collect();
                set.insert(code);
                self.set = Some(set);
            }
        }
        false
    }
}

/// Reads an extension block of shape `spec` for a message of kind `cx`.
///
/// Besides the errors of [`Extension::decode`]: two extensions of one type
/// are [`Error::IllegalParameter`] (RFC 8446 §4.2), and so is a ClientHello
/// pre_shared_key that is not the last extension (RFC 8446 §4.2.11).
pub fn decode_extensions(
    spec: VectorSpec,
    r: &mut Reader<'_>,
    cx: ExtensionContext,
) -> Result<Vec<Extension>, Error> {
    let body = spec.read(r)?;
    let mut block = Reader::new(body);
    // Each extension takes at least its 4-byte header.
    let most = body.len() / 4;
    let mut extensions = Vec::with_capacity(most.min(PRESIZED_LIST_ITEMS));
    let mut types = Repeats::default();
    while !block.is_empty() {
        if extensions
            .last()
            .is_some_and(|e| matches!(e, Extension::PreSharedKeyOffer(_)))
        {
            return Err(Error::IllegalParameter(IllegalParameterReason::PskNotLast));
        }
        let ext = Extension::decode(&mut block, cx)?;
        if types.repeated(u16::from(ext.ext_type())) {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::DuplicateExtension,
            ));
        }
        extensions.push(ext);
    }
    Ok(extensions)
}

/// Writes `extensions` as a block with the length prefix of `spec`; the
/// inverse of [`decode_extensions`].
pub fn encode_extensions(spec: VectorSpec, w: &mut Writer, extensions: &[Extension]) {
    spec.write_with(w, |w| extensions.iter().for_each(|e| e.encode(w)));
}

/// The first extension of type `typ` in `extensions`, if any.
pub fn find_extension(extensions: &[Extension], typ: ExtensionType) -> Option<&Extension> {
    extensions.iter().find(|e| e.ext_type() == typ)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{DecodeReason, IllegalParameterReason};

    fn decode_one(bytes: &[u8], cx: ExtensionContext) -> Result<Extension, Error> {
        let mut r = Reader::new(bytes);
        let ext = Extension::decode(&mut r, cx)?;
        r.finish()?;
        Ok(ext)
    }

    fn encode_one(ext: &Extension) -> Vec<u8> {
        let mut w = Writer::new();
        ext.encode(&mut w);
        w.finish().unwrap()
    }

    #[test]
    fn key_share_form_depends_on_the_message() {
        // HelloRetryRequest key_share: selected_group x25519 only.
        let hrr = [0x00, 0x33, 0x00, 0x02, 0x00, 0x1d];
        assert_eq!(
            decode_one(&hrr, ExtensionContext::HelloRetryRequest).unwrap(),
            Extension::KeyShareRetry(NamedGroup::X25519)
        );
        // The same bytes are a truncated KeyShareEntry in a ServerHello.
        assert!(matches!(
            decode_one(&hrr, ExtensionContext::ServerHello),
            Err(Error::Decode(DecodeReason::Truncated))
        ));
        // And not allowed at all in EncryptedExtensions.
        assert!(matches!(
            decode_one(&hrr, ExtensionContext::EncryptedExtensions),
            Err(Error::IllegalParameter(
                IllegalParameterReason::ExtensionNotAllowed
            ))
        ));
    }

    #[test]
    fn every_parsed_type_is_rejected_in_new_session_ticket_but_early_data() {
        let all = [
            ExtensionType::ServerName,
            ExtensionType::StatusRequest,
            ExtensionType::SupportedGroups,
            ExtensionType::EcPointFormats,
            ExtensionType::SignatureAlgorithms,
            ExtensionType::SignatureAlgorithmsCert,
            ExtensionType::ApplicationLayerProtocolNegotiation,
            ExtensionType::EncryptThenMac,
            ExtensionType::ExtendedMasterSecret,
            ExtensionType::RecordSizeLimit,
            ExtensionType::SessionTicket,
            ExtensionType::PreSharedKey,
            ExtensionType::SupportedVersions,
            ExtensionType::Cookie,
            ExtensionType::PskKeyExchangeModes,
            ExtensionType::KeyShare,
            ExtensionType::RenegotiationInfo,
            ExtensionType::PostHandshakeAuth,
        ];
        for typ in all {
            let mut w = Writer::new();
            typ.encode(&mut w);
            w.u16(0);
            let bytes = w.finish().unwrap();
            assert!(
                matches!(
                    decode_one(&bytes, ExtensionContext::NewSessionTicket),
                    Err(Error::IllegalParameter(
                        IllegalParameterReason::ExtensionNotAllowed
                    ))
                ),
                "{typ:?}"
            );
        }
        let early = [0x00, 0x2a, 0x00, 0x04, 0x00, 0x00, 0x40, 0x00];
        assert_eq!(
            decode_one(&early, ExtensionContext::NewSessionTicket).unwrap(),
            Extension::MaxEarlyDataSize(0x4000)
        );
    }

    #[test]
    fn unknown_types_keep_their_bytes_in_any_message() {
        let bytes = [0xfa, 0xfa, 0x00, 0x01, 0x00];
        let ext = decode_one(&bytes, ExtensionContext::CertificateEntry).unwrap();
        assert_eq!(
            ext,
            Extension::Unknown {
                typ: ExtensionType::Unknown(0xfafa),
                data: vec![0]
            }
        );
        assert_eq!(encode_one(&ext), bytes);
    }

    #[test]
    fn constructed_extensions_round_trip() {
        use ExtensionContext as C;
        let cases = [
            (
                Extension::ServerName(
                    vec![ServerName {
                        typ: ServerNameType::HostName,
                        name: b"example.com".to_vec(),
                    }]
                    .into(),
                ),
                C::ClientHello,
            ),
            (
                Extension::ServerName(
                    vec![ServerName {
                        typ: ServerNameType::HostName,
                        name: b"example.net".to_vec(),
                    }]
                    .into(),
                ),
                C::CertificateRequest,
            ),
            (Extension::ServerNameAck, C::EncryptedExtensions),
            (
                Extension::StatusRequest(CertificateStatusRequest::Ocsp {
                    responder_id_list: vec![],
                    request_extensions: vec![],
                }),
                C::ClientHello,
            ),
            (Extension::StatusRequestAck, C::CertificateRequest),
            (
                Extension::OcspResponse(vec![0x30, 0x00]),
                C::CertificateEntry,
            ),
            (
                Extension::SupportedGroups([NamedGroup::X25519, NamedGroup::secp256r1].into()),
                C::ClientHello,
            ),
            (
                Extension::EcPointFormats([EcPointFormat::Uncompressed].into()),
                C::ServerHello,
            ),
            (
                Extension::SignatureAlgorithms([SignatureScheme::ed25519].into()),
                C::CertificateRequest,
            ),
            (
                Extension::SignatureAlgorithmsCert([SignatureScheme::rsa_pss_rsae_sha256].into()),
                C::ClientHello,
            ),
            (
                Extension::Alpn(vec![b"h2".to_vec(), b"http/1.1".to_vec()]),
                C::ClientHello,
            ),
            (Extension::EncryptThenMac, C::ServerHello),
            (Extension::ExtendedMasterSecret, C::ClientHello),
            (Extension::RecordSizeLimit(0x4001), C::EncryptedExtensions),
            (Extension::SessionTicket(vec![]), C::ServerHello),
            (Extension::SessionTicket(vec![1, 2, 3]), C::ClientHello),
            (Extension::PreSharedKeySelected(1), C::ServerHello),
            (Extension::EarlyData, C::EncryptedExtensions),
            (
                Extension::SupportedVersionsOffer(
                    [ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2].into(),
                ),
                C::ClientHello,
            ),
            (
                Extension::SupportedVersionsSelected(ProtocolVersion::TLSv1_3),
                C::HelloRetryRequest,
            ),
            (Extension::Cookie(vec![7; 40]), C::HelloRetryRequest),
            (
                Extension::PskKeyExchangeModes([PskKeyExchangeMode::PskDheKe].into()),
                C::ClientHello,
            ),
            (
                Extension::KeyShareOffer(
                    vec![KeyShareEntry {
                        group: NamedGroup::X25519,
                        key_exchange: vec![9; 32],
                    }]
                    .into(),
                ),
                C::ClientHello,
            ),
            (Extension::KeyShareOffer(vec![].into()), C::ClientHello),
            (
                Extension::KeyShareSelected(KeyShareEntry {
                    group: NamedGroup::secp256r1,
                    key_exchange: vec![4; 65],
                }),
                C::ServerHello,
            ),
            (Extension::RenegotiationInfo(vec![]), C::ClientHello),
            (Extension::PostHandshakeAuth, C::ClientHello),
            (Extension::RenegotiationInfo(vec![5; 24]), C::ServerHello),
        ];
        for (ext, cx) in cases {
            let bytes = encode_one(&ext);
            assert_eq!(decode_one(&bytes, cx).unwrap(), ext, "{ext:?}");
        }
    }

    #[test]
    fn body_bounds_and_trailing_bytes_are_decode_errors() {
        use ExtensionContext as C;
        let cases: [(&[u8], C); 7] = [
            // supported_versions list of one byte (bound is 2..254).
            (&[0x00, 0x2b, 0x00, 0x02, 0x01, 0x03], C::ClientHello),
            // empty cookie.
            (&[0x00, 0x2c, 0x00, 0x02, 0x00, 0x00], C::HelloRetryRequest),
            // extended_master_secret with a body.
            (&[0x00, 0x17, 0x00, 0x01, 0x00], C::ServerHello),
            // selected_version followed by a stray byte.
            (&[0x00, 0x2b, 0x00, 0x03, 0x03, 0x04, 0x00], C::ServerHello),
            // empty ALPN protocol name.
            (&[0x00, 0x10, 0x00, 0x03, 0x00, 0x01, 0x00], C::ClientHello),
            // non-empty server_name in EncryptedExtensions.
            (&[0x00, 0x00, 0x00, 0x01, 0x00], C::EncryptedExtensions),
            // empty server_name list (RFC 6066 §3: at least one name).
            (&[0x00, 0x00, 0x00, 0x02, 0x00, 0x00], C::ClientHello),
        ];
        for (bytes, cx) in cases {
            assert!(
                matches!(decode_one(bytes, cx), Err(Error::Decode(_))),
                "{bytes:02x?}"
            );
        }
    }

    #[test]
    fn malformed_client_hello_extension_used_on_one_side_of_tls13_is_kept_with_its_reason() {
        use ExtensionContext as C;
        let cases: [(&[u8], DecodeReason, Era); 4] = [
            // encrypt_then_mac with a body.
            (
                &[0x00, 0x16, 0x00, 0x01, 0x00],
                DecodeReason::TrailingBytes,
                Era::UpToTls12,
            ),
            // renegotiation_info announcing 5 bytes and holding 1.
            (
                &[0xff, 0x01, 0x00, 0x02, 0x05, 0x00],
                DecodeReason::Truncated,
                Era::UpToTls12,
            ),
            // post_handshake_auth with a body (RFC 8446 §4.2.6: empty).
            (
                &[0x00, 0x31, 0x00, 0x01, 0x00],
                DecodeReason::TrailingBytes,
                Era::Tls13,
            ),
            // pre_shared_key whose one binder is 2 bytes (RFC 8446
            // §4.2.11: PskBinderEntry<32..255>), as a client sends a
            // TLS 1.2 ticket there beside SessionTicket.
            (
                &[
                    0x00, 0x29, 0x00, 0x0e, 0x00, 0x07, 0x00, 0x01, 0xaa, 0, 0, 0, 0, 0x00, 0x03,
                    0x02, 0xbb, 0xbb,
                ],
                DecodeReason::VectorLength,
                Era::Tls13,
            ),
        ];
        for (bytes, reason, era) in cases {
            let kept = decode_one(bytes, C::ClientHello).unwrap();
            let Extension::VersionBoundMalformed {
                typ, reason: got, ..
            } = &kept
            else {
                panic!("{kept:?}")
            };
            assert_eq!(*got, reason, "{bytes:02x?}");
            assert_eq!(version_bound(*typ), Some(era));
            assert_eq!(encode_one(&kept), bytes);
        }
        // A server's own hello is read strictly.
        assert_eq!(
            decode_one(&[0x00, 0x16, 0x00, 0x01, 0x00], C::ServerHello),
            Err(Error::Decode(DecodeReason::TrailingBytes))
        );
    }

    #[test]
    fn record_size_limit_below_64_is_illegal() {
        let bytes = [0x00, 0x1c, 0x00, 0x02, 0x00, 0x3f];
        assert!(matches!(
            decode_one(&bytes, ExtensionContext::ClientHello),
            Err(Error::IllegalParameter(
                IllegalParameterReason::RecordSizeLimitTooSmall
            ))
        ));
    }

    #[test]
    fn duplicate_key_share_groups_are_illegal() {
        let entry = KeyShareEntry {
            group: NamedGroup::X25519,
            key_exchange: vec![1; 32],
        };
        let bytes = encode_one(&Extension::KeyShareOffer(vec![entry.clone(), entry].into()));
        assert!(matches!(
            decode_one(&bytes, ExtensionContext::ClientHello),
            Err(Error::IllegalParameter(
                IllegalParameterReason::DuplicateKeyShareGroup
            ))
        ));
    }

    #[test]
    fn block_rules_duplicates_and_psk_position() {
        let psk = Extension::PreSharedKeyOffer(PskOffer {
            identities: vec![crate::msgs::psk::PskIdentity {
                identity: vec![1; 16],
                obfuscated_ticket_age: 7,
            }],
            binders: vec![[2; 32].into()],
        });
        let encode = |exts: &[Extension]| {
            let mut w = Writer::new();
            encode_extensions(EXTENSIONS, &mut w, exts);
            w.finish().unwrap()
        };
        let decode = |b: &[u8]| {
            decode_extensions(
                EXTENSIONS,
                &mut Reader::new(b),
                ExtensionContext::ClientHello,
            )
        };

        let good = [Extension::ExtendedMasterSecret, psk.clone()];
        assert_eq!(decode(&encode(&good)).unwrap(), good);

        let dup = [
            Extension::ExtendedMasterSecret,
            Extension::ExtendedMasterSecret,
        ];
        assert_eq!(
            decode(&encode(&dup)),
            Err(Error::IllegalParameter(
                IllegalParameterReason::DuplicateExtension
            ))
        );

        let not_last = [psk, Extension::ExtendedMasterSecret];
        assert_eq!(
            decode(&encode(&not_last)),
            Err(Error::IllegalParameter(IllegalParameterReason::PskNotLast))
        );
    }

    /// Past [`PRESIZED_LIST_ITEMS`] extensions the duplicate check
    /// ([`Repeats`]) moves from an array to a set: a duplicate of an early
    /// extension far down a long block is still found, and distinct ones
    /// still pass.
    #[test]
    fn duplicates_are_found_in_long_blocks() {
        let unknown = |typ: u16| Extension::Unknown {
            typ: ExtensionType::from(0xfa00 + typ),
            data: vec![],
        };
        let decode = |exts: &[Extension]| {
            let mut w = Writer::new();
            encode_extensions(EXTENSIONS, &mut w, exts);
            let bytes = w.finish().unwrap();
            decode_extensions(
                EXTENSIONS,
                &mut Reader::new(&bytes),
                ExtensionContext::ClientHello,
            )
        };
        let mut exts: Vec<Extension> = (0..2 * PRESIZED_LIST_ITEMS as u16).map(unknown).collect();
        assert_eq!(decode(&exts).unwrap(), exts);
        exts.push(unknown(1));
        assert_eq!(
            decode(&exts),
            Err(Error::IllegalParameter(
                IllegalParameterReason::DuplicateExtension
            ))
        );
    }

    #[test]
    fn sct_and_certificate_authorities_forms_round_trip_and_bounds_hold() {
        use ExtensionContext as C;
        let cases = [
            (
                Extension::SctRequest,
                C::ClientHello,
                vec![0x00, 0x12, 0x00, 0x00],
            ),
            (
                Extension::SctList(vec![vec![0xaa], vec![0xbb, 0xcc]]),
                C::CertificateEntry,
                vec![
                    0x00, 0x12, 0x00, 0x09, 0x00, 0x07, 0, 1, 0xaa, 0, 2, 0xbb, 0xcc,
                ],
            ),
            (
                Extension::CertificateAuthorities(vec![vec![0x30, 0x00]]),
                C::CertificateRequest,
                vec![0x00, 0x2f, 0x00, 0x06, 0x00, 0x04, 0, 2, 0x30, 0x00],
            ),
        ];
        for (ext, cx, bytes) in cases {
            assert_eq!(encode_one(&ext), bytes, "{ext:?}");
            assert_eq!(decode_one(&bytes, cx).unwrap(), ext);
        }
        // An empty SCT list or SCT, and an empty authorities list, are
        // below their RFC bounds.
        for (bytes, cx) in [
            (&[0x00, 0x12, 0x00, 0x02, 0x00, 0x00][..], C::ServerHello),
            (
                &[0x00, 0x12, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00],
                C::ServerHello,
            ),
            (&[0x00, 0x2f, 0x00, 0x02, 0x00, 0x00], C::ClientHello),
        ] {
            assert!(
                matches!(decode_one(bytes, cx), Err(Error::Decode(_))),
                "{bytes:?}"
            );
        }
        for (bytes, cx) in [
            (&[0x00, 0x12, 0x00, 0x00][..], C::EncryptedExtensions),
            (&[0x00, 0x2f, 0x00, 0x00], C::ServerHello),
        ] {
            assert_eq!(
                decode_one(bytes, cx),
                Err(Error::IllegalParameter(
                    IllegalParameterReason::ExtensionNotAllowed
                ))
            );
        }
    }
}
