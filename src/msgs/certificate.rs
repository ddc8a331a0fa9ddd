//! Certificate and CertificateRequest in their TLS 1.0–1.2 forms
//! (RFC 5246 §7.4.2, §7.4.4; RFC 4346 §7.4.4 for 1.0/1.1) and TLS 1.3 forms
//! (RFC 8446 §4.4.2, §4.3.2).

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::Error;
use crate::msgs::enums::{ClientCertificateType, SignatureScheme};
use crate::msgs::extensions::{
    decode_extensions, encode_extensions, Extension, ExtensionContext, EXTENSIONS,
    SIGNATURE_SCHEME_LIST,
};
use crate::msgs::syntax::{read_opaque_list, write_opaque_list, VectorSpec};

/// `opaque ASN.1Cert<1..2^24-1>` (RFC 5246 §7.4.2), also the TLS 1.3
/// `cert_data` / `ASN1_subjectPublicKeyInfo` (RFC 8446 §4.4.2).
pub const CERT_DATA: VectorSpec = VectorSpec::new(LengthPrefix::U24, 1, 0x00ff_ffff);

/// `ASN.1Cert certificate_list<0..2^24-1>` (RFC 5246 §7.4.2) and
/// `CertificateEntry certificate_list<0..2^24-1>` (RFC 8446 §4.4.2).
pub const CERTIFICATE_LIST: VectorSpec = VectorSpec::new(LengthPrefix::U24, 0, 0x00ff_ffff);

/// `opaque certificate_request_context<0..2^8-1>` (RFC 8446 §4.3.2, §4.4.2).
pub const CERTIFICATE_REQUEST_CONTEXT: VectorSpec = VectorSpec::new(LengthPrefix::U8, 0, 0xff);

/// `ClientCertificateType certificate_types<1..2^8-1>` (RFC 5246 §7.4.4).
pub const CERTIFICATE_TYPES: VectorSpec = VectorSpec::new(LengthPrefix::U8, 1, 0xff);

/// `DistinguishedName certificate_authorities<0..2^16-1>` (RFC 5246 §7.4.4).
pub const CERTIFICATE_AUTHORITIES: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, 0xffff);

/// `opaque DistinguishedName<1..2^16-1>` (RFC 5246 §7.4.4).
pub const DISTINGUISHED_NAME: VectorSpec = VectorSpec::new(LengthPrefix::U16, 1, 0xffff);

/// A TLS 1.0–1.2 Certificate message: the chain, leaf first, each
/// certificate DER (RFC 5246 §7.4.2). Empty when a client has none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateTls12 {
    /// The DER certificates, leaf first.
    pub certificates: Vec<Vec<u8>>,
}

impl Codec for CertificateTls12 {
    fn encode(&self, w: &mut Writer) {
        write_opaque_list(CERTIFICATE_LIST, CERT_DATA, w, &self.certificates);
    }

    /// Decodes the list; an empty certificate or a list that is not made
    /// of whole certificates is [`Error::Decode`].
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            certificates: read_opaque_list(CERTIFICATE_LIST, CERT_DATA, r)?,
        })
    }
}

/// A TLS 1.2 Certificate carrying a raw public key (RFC 7250 §3):
/// `opaque ASN.1_subjectPublicKeyInfo<1..2^24-1>` in place of the chain.
/// A client with no key to send sends it empty (zero length), as the
/// X.509 form's empty list would be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawPublicKeyTls12 {
    /// The DER SubjectPublicKeyInfo; empty when a client sends none.
    pub spki: Vec<u8>,
}

impl Codec for RawPublicKeyTls12 {
    fn encode(&self, w: &mut Writer) {
        CERTIFICATE_LIST.write(w, &self.spki);
    }

    /// Decodes the one key; a length that does not match is
    /// [`Error::Decode`].
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            spki: CERTIFICATE_LIST.read_vec(r)?,
        })
    }
}

/// One certificate of a TLS 1.3 Certificate message with its extensions
/// (RFC 8446 §4.4.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateEntry {
    /// The DER certificate, or a DER SubjectPublicKeyInfo when raw public
    /// keys were negotiated (RFC 7250).
    pub cert_data: Vec<u8>,
    /// Per-certificate extensions (OCSP status, SCTs).
    pub extensions: Vec<Extension>,
}

impl Codec for CertificateEntry {
    fn encode(&self, w: &mut Writer) {
        CERT_DATA.write(w, &self.cert_data);
        encode_extensions(EXTENSIONS, w, &self.extensions);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            cert_data: CERT_DATA.read_vec(r)?,
            extensions: decode_extensions(EXTENSIONS, r, ExtensionContext::CertificateEntry)?,
        })
    }
}

/// A TLS 1.3 Certificate message (RFC 8446 §4.4.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateTls13 {
    /// Empty in the server's Certificate; in a client's, the context of
    /// the CertificateRequest it answers.
    pub context: Vec<u8>,
    /// The chain, leaf first; empty when a client has no certificate.
    pub entries: Vec<CertificateEntry>,
}

impl Codec for CertificateTls13 {
    fn encode(&self, w: &mut Writer) {
        CERTIFICATE_REQUEST_CONTEXT.write(w, &self.context);
        CERTIFICATE_LIST.write_list(w, &self.entries);
    }

    /// Decodes the message; bound violations are [`Error::Decode`],
    /// extension rules as [`decode_extensions`].
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            context: CERTIFICATE_REQUEST_CONTEXT.read_vec(r)?,
            entries: CERTIFICATE_LIST.read_list(r)?,
        })
    }
}

/// A TLS 1.0–1.2 CertificateRequest (RFC 5246 §7.4.4; RFC 4346 §7.4.4 has
/// no signature algorithm list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRequestTls12 {
    /// The certificate types the server accepts.
    pub certificate_types: Vec<ClientCertificateType>,
    /// `supported_signature_algorithms`: present in TLS 1.2 only.
    pub signature_schemes: Option<Vec<SignatureScheme>>,
    /// DER DistinguishedNames of acceptable CAs; empty means any.
    pub certificate_authorities: Vec<Vec<u8>>,
}

impl CertificateRequestTls12 {
    /// Appends the message body. `signature_schemes` is written when
    /// present, so a value built for TLS 1.0/1.1 must leave it `None`.
    pub fn encode(&self, w: &mut Writer) {
        CERTIFICATE_TYPES.write_list(w, &self.certificate_types);
        if let Some(schemes) = &self.signature_schemes {
            SIGNATURE_SCHEME_LIST.write_list(w, schemes);
        }
        write_opaque_list(
            CERTIFICATE_AUTHORITIES,
            DISTINGUISHED_NAME,
            w,
            &self.certificate_authorities,
        );
    }

    /// Decodes the message body; `with_signature_schemes` is true for
    /// TLS 1.2. Bound violations are [`Error::Decode`].
    pub fn decode(r: &mut Reader<'_>, with_signature_schemes: bool) -> Result<Self, Error> {
        Ok(Self {
            certificate_types: CERTIFICATE_TYPES.read_list(r)?,
            signature_schemes: if with_signature_schemes {
                Some(SIGNATURE_SCHEME_LIST.read_list(r)?)
            } else {
                None
            },
            certificate_authorities: read_opaque_list(
                CERTIFICATE_AUTHORITIES,
                DISTINGUISHED_NAME,
                r,
            )?,
        })
    }
}

/// A TLS 1.3 CertificateRequest (RFC 8446 §4.3.2).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateRequestTls13 {
    /// Echoed in the client's Certificate; empty during the handshake.
    pub context: Vec<u8>,
    /// The request's extensions (signature_algorithms is mandatory, which
    /// the handshake layer checks).
    pub extensions: Vec<Extension>,
}

impl Codec for CertificateRequestTls13 {
    fn encode(&self, w: &mut Writer) {
        CERTIFICATE_REQUEST_CONTEXT.write(w, &self.context);
        encode_extensions(EXTENSIONS, w, &self.extensions);
    }

    /// Decodes the message; bound violations are [`Error::Decode`],
    /// extension rules as [`decode_extensions`]. RFC 9846 §4.3.2 lets the
    /// extension block be empty (RFC 8446 required 2 bytes); the mandatory
    /// signature_algorithms is the handshake layer's to check.
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            context: CERTIFICATE_REQUEST_CONTEXT.read_vec(r)?,
            extensions: decode_extensions(EXTENSIONS, r, ExtensionContext::CertificateRequest)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeReason;

    #[test]
    fn tls12_certificate_request_with_and_without_schemes() {
        let with = CertificateRequestTls12 {
            certificate_types: vec![ClientCertificateType::RsaSign],
            signature_schemes: Some(vec![SignatureScheme::rsa_pkcs1_sha256]),
            certificate_authorities: vec![vec![0x30, 0x00]],
        };
        let without = CertificateRequestTls12 {
            signature_schemes: None,
            ..with.clone()
        };
        for (msg, schemes) in [(with, true), (without, false)] {
            let mut w = Writer::new();
            msg.encode(&mut w);
            let bytes = w.finish().unwrap();
            let mut r = Reader::new(&bytes);
            assert_eq!(
                CertificateRequestTls12::decode(&mut r, schemes).unwrap(),
                msg
            );
            assert!(r.is_empty());
            // Read with the other version's syntax, the bytes do not fit.
            let mut r = Reader::new(&bytes);
            let other = CertificateRequestTls12::decode(&mut r, !schemes);
            assert!(other.is_err() || !r.is_empty());
        }
    }

    #[test]
    fn empty_certificate_in_list_is_a_decode_error() {
        // certificate_list of 3 bytes holding one zero-length ASN.1Cert.
        let bytes = [0, 0, 3, 0, 0, 0];
        assert!(matches!(
            CertificateTls12::decode_exact(&bytes),
            Err(Error::Decode(DecodeReason::VectorLength))
        ));
    }
}
