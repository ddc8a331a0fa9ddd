//! Typed wire enums. Each has an `Unknown` arm carrying the raw value, so a
//! value this crate does not know decodes, re-encodes to the same bytes and
//! can be ignored where the RFCs say unknown values must be ignored
//! (e.g. RFC 8446 §4.2, §4.1.2 for cipher suites and groups).

use crate::codec::{Codec, Reader, Writer};
use crate::error::Error;

/// Defines an open wire enum over an unsigned integer type (the crate's
/// `open_enum!`) that reads and writes itself as that integer.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $repr:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $value:expr, )*
        }
    ) => {
        open_enum! {
            $(#[$meta])*
            pub enum $name: $repr {
                $( $(#[$vmeta])* $variant = $value, )*
            }
        }
        codec_via_repr!($name, $repr);
    };
}

/// Reads and writes an open enum as its integer representation.
macro_rules! codec_via_repr {
    ($name:ident, $repr:ident) => {
        impl Codec for $name {
            fn encode(&self, w: &mut Writer) {
                $repr::from(*self).encode(w);
            }
            fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
                $repr::decode(r).map(Self::from)
            }
        }
    };
}

wire_enum! {
    /// The record-layer content type (RFC 8446 §5.1, RFC 5246 §6.2.1).
    pub enum ContentType: u8 {
        ChangeCipherSpec = 20,
        Alert = 21,
        Handshake = 22,
        ApplicationData = 23,
        Heartbeat = 24,
    }
}

wire_enum! {
    /// A protocol version as written on the wire (RFC 8446 §4.2.1).
    pub enum ProtocolVersion: u16 {
        SSLv3 = 0x0300,
        TLSv1_0 = 0x0301,
        TLSv1_1 = 0x0302,
        TLSv1_2 = 0x0303,
        TLSv1_3 = 0x0304,
    }
}

wire_enum! {
    /// The handshake message type (RFC 8446 §4, RFC 5246 §7.4).
    pub enum HandshakeType: u8 {
        HelloRequest = 0,
        ClientHello = 1,
        ServerHello = 2,
        NewSessionTicket = 4,
        EndOfEarlyData = 5,
        EncryptedExtensions = 8,
        Certificate = 11,
        ServerKeyExchange = 12,
        CertificateRequest = 13,
        ServerHelloDone = 14,
        CertificateVerify = 15,
        ClientKeyExchange = 16,
        Finished = 20,
        CertificateStatus = 22,
        KeyUpdate = 24,
        CompressedCertificate = 25,
        /// The synthetic message that replaces ClientHello1 in the transcript
        /// after a HelloRetryRequest (RFC 8446 §4.4.1).
        MessageHash = 254,
    }
}

pub use crate::error::{AlertDescription, AlertLevel};
codec_via_repr!(AlertLevel, u8);
codec_via_repr!(AlertDescription, u8);

wire_enum! {
    /// Cipher suites of TLS 1.0–1.3 this crate names (IANA TLS Cipher Suites
    /// registry), plus the two signalling values.
    pub enum CipherSuite: u16 {
        TLS_AES_128_GCM_SHA256 = 0x1301,
        TLS_AES_256_GCM_SHA384 = 0x1302,
        TLS_CHACHA20_POLY1305_SHA256 = 0x1303,
        TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = 0xc02b,
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = 0xc02c,
        TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = 0xc02f,
        TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = 0xc030,
        TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xcca8,
        TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = 0xcca9,
        TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = 0xc009,
        TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA = 0xc00a,
        TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = 0xc013,
        TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA = 0xc014,
        TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = 0xc023,
        TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384 = 0xc024,
        TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = 0xc027,
        TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384 = 0xc028,
        TLS_RSA_WITH_AES_128_CBC_SHA = 0x002f,
        TLS_RSA_WITH_AES_256_CBC_SHA = 0x0035,
        TLS_RSA_WITH_AES_128_CBC_SHA256 = 0x003c,
        TLS_RSA_WITH_AES_256_CBC_SHA256 = 0x003d,
        TLS_RSA_WITH_AES_128_GCM_SHA256 = 0x009c,
        TLS_RSA_WITH_AES_256_GCM_SHA384 = 0x009d,
        TLS_DHE_RSA_WITH_AES_128_GCM_SHA256 = 0x009e,
        TLS_DHE_RSA_WITH_AES_256_GCM_SHA384 = 0x009f,
        TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = 0xccaa,
        /// Secure renegotiation signalling value (RFC 5746 §3.3).
        TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff,
        /// Downgrade signalling value (RFC 7507 §2).
        TLS_FALLBACK_SCSV = 0x5600,
    }
}

wire_enum! {
    /// Named groups for key exchange (RFC 8446 §4.2.7, RFC 8422 §5.1.1).
    pub enum NamedGroup: u16 {
        secp256r1 = 0x0017,
        secp384r1 = 0x0018,
        secp521r1 = 0x0019,
        X25519 = 0x001d,
        X448 = 0x001e,
        ffdhe2048 = 0x0100,
        ffdhe3072 = 0x0101,
        ffdhe4096 = 0x0102,
        ffdhe6144 = 0x0103,
        ffdhe8192 = 0x0104,
        /// ML-KEM-512 alone (draft-ietf-tls-mlkem).
        MLKEM512 = 0x0200,
        /// ML-KEM-768 alone (draft-ietf-tls-mlkem).
        MLKEM768 = 0x0201,
        /// ML-KEM-1024 alone (draft-ietf-tls-mlkem).
        MLKEM1024 = 0x0202,
        /// P-256 with ML-KEM-768 (draft-ietf-tls-ecdhe-mlkem).
        SecP256r1MLKEM768 = 0x11eb,
        /// X25519 with ML-KEM-768 (draft-ietf-tls-ecdhe-mlkem).
        X25519MLKEM768 = 0x11ec,
        /// P-384 with ML-KEM-1024 (draft-ietf-tls-ecdhe-mlkem).
        SecP384r1MLKEM1024 = 0x11ed,
    }
}

wire_enum! {
    /// Signature schemes (RFC 8446 §4.2.3); the 1.2 hash/signature pairs
    /// (RFC 5246 §7.4.1.4.1) share this code space.
    pub enum SignatureScheme: u16 {
        rsa_pkcs1_sha1 = 0x0201,
        ecdsa_sha1 = 0x0203,
        rsa_pkcs1_sha256 = 0x0401,
        rsa_pkcs1_sha384 = 0x0501,
        rsa_pkcs1_sha512 = 0x0601,
        ecdsa_secp256r1_sha256 = 0x0403,
        ecdsa_secp384r1_sha384 = 0x0503,
        ecdsa_secp521r1_sha512 = 0x0603,
        rsa_pss_rsae_sha256 = 0x0804,
        rsa_pss_rsae_sha384 = 0x0805,
        rsa_pss_rsae_sha512 = 0x0806,
        ed25519 = 0x0807,
        ed448 = 0x0808,
        rsa_pss_pss_sha256 = 0x0809,
        rsa_pss_pss_sha384 = 0x080a,
        rsa_pss_pss_sha512 = 0x080b,
    }
}

wire_enum! {
    /// Extension types (IANA TLS ExtensionType Values).
    pub enum ExtensionType: u16 {
        ServerName = 0,
        MaxFragmentLength = 1,
        StatusRequest = 5,
        SupportedGroups = 10,
        EcPointFormats = 11,
        SignatureAlgorithms = 13,
        ApplicationLayerProtocolNegotiation = 16,
        SignedCertificateTimestamp = 18,
        ClientCertificateType = 19,
        ServerCertificateType = 20,
        Padding = 21,
        EncryptThenMac = 22,
        ExtendedMasterSecret = 23,
        CompressCertificate = 27,
        RecordSizeLimit = 28,
        SessionTicket = 35,
        PreSharedKey = 41,
        EarlyData = 42,
        SupportedVersions = 43,
        Cookie = 44,
        PskKeyExchangeModes = 45,
        CertificateAuthorities = 47,
        PostHandshakeAuth = 49,
        SignatureAlgorithmsCert = 50,
        KeyShare = 51,
        RenegotiationInfo = 0xff01,
    }
}

wire_enum! {
    /// EC point formats (RFC 8422 §5.1.2).
    pub enum EcPointFormat: u8 {
        Uncompressed = 0,
        AnsiX962CompressedPrime = 1,
        AnsiX962CompressedChar2 = 2,
    }
}

wire_enum! {
    /// PSK key exchange modes (RFC 8446 §4.2.9).
    pub enum PskKeyExchangeMode: u8 {
        PskKe = 0,
        PskDheKe = 1,
    }
}

wire_enum! {
    /// KeyUpdate request values (RFC 8446 §4.6.3).
    pub enum KeyUpdateRequest: u8 {
        UpdateNotRequested = 0,
        UpdateRequested = 1,
    }
}

wire_enum! {
    /// Server name types (RFC 6066 §3).
    pub enum ServerNameType: u8 {
        HostName = 0,
    }
}

wire_enum! {
    /// Client certificate types of a TLS 1.0–1.2 CertificateRequest
    /// (RFC 5246 §7.4.4, RFC 8422 §5.5).
    pub enum ClientCertificateType: u8 {
        RsaSign = 1,
        DssSign = 2,
        EcdsaSign = 64,
    }
}

wire_enum! {
    /// Certificate types of the client_certificate_type and
    /// server_certificate_type extensions (RFC 7250 §3; the IANA TLS
    /// Certificate Types registry): what a Certificate message carries.
    pub enum CertificateType: u8 {
        X509 = 0,
        RawPublicKey = 2,
    }
}

wire_enum! {
    /// EC curve types in ServerECDHParams (RFC 8422 §5.4).
    pub enum EcCurveType: u8 {
        ExplicitPrime = 1,
        ExplicitChar2 = 2,
        NamedCurve = 3,
    }
}

wire_enum! {
    /// Compression methods (RFC 5246 §7.4.1.2); only `Null` is ever used.
    pub enum Compression: u8 {
        Null = 0,
        Deflate = 1,
    }
}

wire_enum! {
    /// Certificate status types of the status_request extension
    /// (RFC 6066 §8, RFC 8446 §4.4.2.1).
    pub enum CertificateStatusType: u8 {
        Ocsp = 1,
    }
}

impl ProtocolVersion {
    /// Whether this is TLS 1.3.
    pub fn is_tls13(self) -> bool {
        self == Self::TLSv1_3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_map_both_ways() {
        assert_eq!(
            CipherSuite::from(0x1301),
            CipherSuite::TLS_AES_128_GCM_SHA256
        );
        assert_eq!(u16::from(SignatureScheme::ed25519), 0x0807);
        assert_eq!(ContentType::from(23), ContentType::ApplicationData);
    }

    #[test]
    fn unknown_values_round_trip() {
        let bytes = [0xfe, 0xfe];
        let v = NamedGroup::decode_exact(&bytes).unwrap();
        assert_eq!(v, NamedGroup::Unknown(0xfefe));
        assert_eq!(v.to_bytes().unwrap(), bytes);
        assert_eq!(AlertDescription::from(255), AlertDescription::Unknown(255));
    }
}

wire_enum! {
    /// Certificate compression algorithms (RFC 8879 §3, IANA TLS
    /// Certificate Compression Algorithm IDs).
    pub enum CertificateCompressionAlgorithm: u16 {
        Zlib = 1,
        Brotli = 2,
        Zstd = 3,
    }
}
