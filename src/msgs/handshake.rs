//! The handshake message framing (RFC 8446 §4, RFC 5246 §7.4): a 1-byte
//! type and a 3-byte length before each body, and [`HandshakeMessage`], the
//! typed body of every handshake message of TLS 1.0–1.3.
//!
//! A few bodies cannot be parsed from their bytes alone; the
//! [`DecodeContext`] carries what the wire does not say.

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::error::{Error, IllegalParameterReason, UnexpectedMessageReason};
use crate::msgs::certificate::{
    CertificateRequestTls12, CertificateRequestTls13, CertificateTls12, CertificateTls13,
    RawPublicKeyTls12,
};
use crate::msgs::certificate_status::CertificateStatus;
use crate::msgs::compressed_certificate::CompressedCertificate;
use crate::msgs::enums::{HandshakeType, KeyUpdateRequest, ProtocolVersion};
use crate::msgs::extensions::{
    decode_extensions, encode_extensions, Extension, ExtensionContext, EXTENSIONS,
};
use crate::msgs::hello::{ClientHello, ServerHello};
use crate::msgs::inline_list::InlineList;
use crate::msgs::key_exchange::{ClientKeyExchange, KeyExchangeAlgorithm, ServerKeyExchange};
use crate::msgs::signature::DigitallySigned;
use crate::msgs::ticket::{NewSessionTicketTls12, NewSessionTicketTls13};

/// The size of the handshake header: `msg_type` and the `uint24 length`
/// (RFC 8446 §4).
pub const HANDSHAKE_HEADER_LEN: usize = 4;

/// The length of `verify_data` in TLS 1.0–1.2 Finished messages for every
/// cipher suite ferrotls knows (RFC 5246 §7.4.9, RFC 2246 §7.4.9). In
/// TLS 1.3 it is the length of the suite's hash (RFC 8446 §4.4.4).
pub const TLS12_VERIFY_DATA_LEN: usize = 12;

/// How many bytes of a Finished's verify_data are held in place: 12 in
/// TLS 1.0–1.2 ([`TLS12_VERIFY_DATA_LEN`]), the hash length in TLS 1.3
/// (RFC 8446 §4.4.4), at most 48 with SHA-384. A sizing choice, not a
/// limit: a longer one is held on the heap.
pub const VERIFY_DATA_INLINE: usize = 48;

/// A Finished message's verify_data.
pub type VerifyData = InlineList<u8, VERIFY_DATA_INLINE>;

/// The header in front of every handshake message body (RFC 8446 §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandshakeHeader {
    /// The message type.
    pub typ: HandshakeType,
    /// The body length in bytes, at most 2^24-1.
    pub length: u32,
}

impl Codec for HandshakeHeader {
    fn encode(&self, w: &mut Writer) {
        self.typ.encode(w);
        w.u24(self.length);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            typ: HandshakeType::decode(r)?,
            length: r.u24()?,
        })
    }
}

/// What decoding needs to know beyond the bytes: the negotiated version
/// and, for TLS 1.0–1.2, the key exchange method, and the Finished length.
/// ClientHello, ServerHello and the empty messages ignore it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodeContext {
    /// The negotiated version. `TLSv1_3` selects the TLS 1.3 forms,
    /// `TLSv1_2` the TLS 1.2 forms, any other value the TLS 1.0/1.1 forms
    /// (no signature scheme in ServerKeyExchange, CertificateVerify and
    /// CertificateRequest).
    pub version: ProtocolVersion,
    /// The TLS 1.0–1.2 key exchange method; ignored in TLS 1.3.
    pub key_exchange: KeyExchangeAlgorithm,
    /// The exact length of Finished.verify_data:
    /// [`TLS12_VERIFY_DATA_LEN`] before TLS 1.3, the hash length in 1.3.
    pub finished_len: usize,
}

impl DecodeContext {
    fn is_tls13(&self) -> bool {
        self.version == ProtocolVersion::TLSv1_3
    }

    /// Whether signed structures carry a SignatureScheme (TLS 1.2, 1.3).
    fn with_signature_scheme(&self) -> bool {
        matches!(
            self.version,
            ProtocolVersion::TLSv1_2 | ProtocolVersion::TLSv1_3
        )
    }
}

/// One handshake message body, typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandshakeMessage {
    /// HelloRequest, empty (RFC 5246 §7.4.1.1).
    HelloRequest,
    /// ClientHello (RFC 8446 §4.1.2).
    ClientHello(ClientHello),
    /// ServerHello or HelloRetryRequest (RFC 8446 §4.1.3).
    ServerHello(ServerHello),
    /// RFC 5077 NewSessionTicket (TLS 1.0–1.2).
    NewSessionTicketTls12(NewSessionTicketTls12),
    /// TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1).
    NewSessionTicketTls13(NewSessionTicketTls13),
    /// EndOfEarlyData, empty (RFC 8446 §4.5).
    EndOfEarlyData,
    /// EncryptedExtensions (RFC 8446 §4.3.1).
    EncryptedExtensions(Vec<Extension>),
    /// TLS 1.0–1.2 Certificate (RFC 5246 §7.4.2).
    CertificateTls12(CertificateTls12),
    /// TLS 1.3 Certificate (RFC 8446 §4.4.2).
    CertificateTls13(CertificateTls13),
    /// TLS 1.2 Certificate carrying a raw public key (RFC 7250 §3). Only
    /// the handshake knows that type was negotiated, so decoding goes
    /// through [`RawPublicKeyTls12`] there; this variant is for sending.
    RawPublicKeyCertificateTls12(RawPublicKeyTls12),
    /// ECDHE or DHE ServerKeyExchange (RFC 8422 §5.4, RFC 5246 §7.4.3).
    ServerKeyExchange(ServerKeyExchange),
    /// TLS 1.0–1.2 CertificateRequest (RFC 5246 §7.4.4).
    CertificateRequestTls12(CertificateRequestTls12),
    /// TLS 1.3 CertificateRequest (RFC 8446 §4.3.2).
    CertificateRequestTls13(CertificateRequestTls13),
    /// TLS 1.0–1.2 CertificateStatus, a stapled OCSP response (RFC 6066 §8).
    CertificateStatus(CertificateStatus),
    /// ServerHelloDone, empty (RFC 5246 §7.4.5).
    ServerHelloDone,
    /// CertificateVerify (RFC 8446 §4.4.3, RFC 5246 §7.4.8).
    CertificateVerify(DigitallySigned),
    /// ClientKeyExchange (RFC 5246 §7.4.7).
    ClientKeyExchange(ClientKeyExchange),
    /// Finished: the verify_data (RFC 8446 §4.4.4, RFC 5246 §7.4.9).
    Finished(VerifyData),
    /// KeyUpdate (RFC 8446 §4.6.3).
    KeyUpdate(KeyUpdateRequest),
    /// TLS 1.3 CompressedCertificate (RFC 8879 §4).
    CompressedCertificate(CompressedCertificate),
    /// A message type this crate does not parse (e.g. CertificateURL),
    /// kept as sent; the handshake layer treats it as unexpected.
    Unknown {
        /// The message type.
        typ: HandshakeType,
        /// The body.
        body: Vec<u8>,
    },
}

impl HandshakeMessage {
    /// The message's type code.
    pub fn handshake_type(&self) -> HandshakeType {
        use HandshakeType as T;
        match self {
            Self::HelloRequest => T::HelloRequest,
            Self::ClientHello(_) => T::ClientHello,
            Self::ServerHello(_) => T::ServerHello,
            Self::NewSessionTicketTls12(_) | Self::NewSessionTicketTls13(_) => T::NewSessionTicket,
            Self::EndOfEarlyData => T::EndOfEarlyData,
            Self::EncryptedExtensions(_) => T::EncryptedExtensions,
            Self::CertificateTls12(_)
            | Self::CertificateTls13(_)
            | Self::RawPublicKeyCertificateTls12(_) => T::Certificate,
            Self::ServerKeyExchange(_) => T::ServerKeyExchange,
            Self::CertificateRequestTls12(_) | Self::CertificateRequestTls13(_) => {
                T::CertificateRequest
            }
            Self::CertificateStatus(_) => T::CertificateStatus,
            Self::ServerHelloDone => T::ServerHelloDone,
            Self::CertificateVerify(_) => T::CertificateVerify,
            Self::ClientKeyExchange(_) => T::ClientKeyExchange,
            Self::Finished(_) => T::Finished,
            Self::KeyUpdate(_) => T::KeyUpdate,
            Self::CompressedCertificate(_) => T::CompressedCertificate,
            Self::Unknown { typ, .. } => *typ,
        }
    }

    /// Decodes the body of a message of type `typ`, which must fill `body`
    /// exactly.
    ///
    /// Malformed bodies, trailing bytes and a Finished whose length is not
    /// `cx.finished_len` are [`Error::Decode`]; the extension rules of
    /// [`decode_extensions`] give [`Error::IllegalParameter`], as does a
    /// KeyUpdate value other than 0 or 1 (RFC 8446 §4.6.3). A
    /// ServerKeyExchange under RSA key exchange is
    /// [`Error::UnexpectedMessage`] (RFC 5246 §7.4.3).
    pub fn decode(typ: HandshakeType, body: &[u8], cx: &DecodeContext) -> Result<Self, Error> {
        let mut r = Reader::new(body);
        let message = Self::decode_body(typ, &mut r, cx)?;
        r.finish()?;
        Ok(message)
    }

    fn decode_body(
        typ: HandshakeType,
        r: &mut Reader<'_>,
        cx: &DecodeContext,
    ) -> Result<Self, Error> {
        use HandshakeType as T;
        Ok(match typ {
            T::HelloRequest => Self::HelloRequest,
            T::ClientHello => Self::ClientHello(ClientHello::decode(r)?),
            T::ServerHello => Self::ServerHello(ServerHello::decode(r)?),
            T::NewSessionTicket if cx.is_tls13() => {
                Self::NewSessionTicketTls13(NewSessionTicketTls13::decode(r)?)
            }
            T::NewSessionTicket => Self::NewSessionTicketTls12(NewSessionTicketTls12::decode(r)?),
            T::EndOfEarlyData => Self::EndOfEarlyData,
            T::EncryptedExtensions => Self::EncryptedExtensions(decode_extensions(
                EXTENSIONS,
                r,
                ExtensionContext::EncryptedExtensions,
            )?),
            T::Certificate if cx.is_tls13() => Self::CertificateTls13(CertificateTls13::decode(r)?),
            T::Certificate => Self::CertificateTls12(CertificateTls12::decode(r)?),
            T::ServerKeyExchange => Self::ServerKeyExchange(
                ServerKeyExchange::decode(r, cx.key_exchange, cx.with_signature_scheme())?.ok_or(
                    Error::UnexpectedMessage(UnexpectedMessageReason::ServerKeyExchangeWithRsa),
                )?,
            ),
            T::CertificateRequest if cx.is_tls13() => {
                Self::CertificateRequestTls13(CertificateRequestTls13::decode(r)?)
            }
            T::CertificateRequest => Self::CertificateRequestTls12(
                CertificateRequestTls12::decode(r, cx.with_signature_scheme())?,
            ),
            T::CertificateStatus if !cx.is_tls13() => {
                Self::CertificateStatus(CertificateStatus::decode(r)?)
            }
            T::ServerHelloDone => Self::ServerHelloDone,
            T::CertificateVerify => {
                Self::CertificateVerify(DigitallySigned::decode(r, cx.with_signature_scheme())?)
            }
            T::ClientKeyExchange => {
                Self::ClientKeyExchange(ClientKeyExchange::decode(r, cx.key_exchange)?)
            }
            T::Finished => Self::Finished(r.take(cx.finished_len)?.into()),
            T::KeyUpdate => match KeyUpdateRequest::decode(r)? {
                KeyUpdateRequest::Unknown(_) => {
                    return Err(Error::IllegalParameter(
                        IllegalParameterReason::KeyUpdateRequest,
                    ))
                }
                request => Self::KeyUpdate(request),
            },
            T::CompressedCertificate if cx.is_tls13() => {
                Self::CompressedCertificate(CompressedCertificate::decode(r)?)
            }
            typ => Self::Unknown {
                typ,
                body: r.rest().to_vec(),
            },
        })
    }

    /// Decodes one whole message, header and body, that must fill `bytes`
    /// exactly; errors as [`HandshakeMessage::decode`], plus
    /// [`Error::Decode`] when the header's length disagrees with `bytes`.
    pub fn decode_message(bytes: &[u8], cx: &DecodeContext) -> Result<Self, Error> {
        let mut r = Reader::new(bytes);
        let header = HandshakeHeader::decode(&mut r)?;
        let body = r.take(header.length as usize)?;
        r.finish()?;
        Self::decode(header.typ, body, cx)
    }

    /// Appends the message: header, then body.
    pub fn encode(&self, w: &mut Writer) {
        self.handshake_type().encode(w);
        w.scope(LengthPrefix::U24, |w| self.encode_body(w));
    }

    /// The encoded message, header included, or [`Error::EncodeOverflow`]
    /// when a field is too long for its length prefix.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut w = Writer::new();
        self.encode(&mut w);
        w.finish()
    }

    fn encode_body(&self, w: &mut Writer) {
        match self {
            Self::HelloRequest | Self::EndOfEarlyData | Self::ServerHelloDone => {}
            Self::ClientHello(m) => m.encode(w),
            Self::ServerHello(m) => m.encode(w),
            Self::NewSessionTicketTls12(m) => m.encode(w),
            Self::NewSessionTicketTls13(m) => m.encode(w),
            Self::EncryptedExtensions(extensions) => encode_extensions(EXTENSIONS, w, extensions),
            Self::CertificateTls12(m) => m.encode(w),
            Self::CertificateTls13(m) => m.encode(w),
            Self::RawPublicKeyCertificateTls12(m) => m.encode(w),
            Self::ServerKeyExchange(m) => m.encode(w),
            Self::CertificateRequestTls12(m) => m.encode(w),
            Self::CertificateRequestTls13(m) => m.encode(w),
            Self::CertificateStatus(m) => m.encode(w),
            Self::CertificateVerify(m) => m.encode(w),
            Self::ClientKeyExchange(m) => m.encode(w),
            Self::Finished(verify_data) => w.bytes(verify_data),
            Self::KeyUpdate(request) => request.encode(w),
            Self::CompressedCertificate(m) => m.encode(w),
            Self::Unknown { body, .. } => w.bytes(body),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{DecodeReason, IllegalParameterReason, UnexpectedMessageReason};

    const TLS12_ECDHE: DecodeContext = DecodeContext {
        version: ProtocolVersion::TLSv1_2,
        key_exchange: KeyExchangeAlgorithm::Ecdhe,
        finished_len: TLS12_VERIFY_DATA_LEN,
    };

    #[test]
    fn header_is_type_and_u24_length() {
        let bytes = HandshakeMessage::Finished([9; 12].into())
            .to_bytes()
            .unwrap();
        assert_eq!(bytes.get(..HANDSHAKE_HEADER_LEN).unwrap(), [20, 0, 0, 12]);
        assert_eq!(
            HandshakeMessage::decode_message(&bytes, &TLS12_ECDHE).unwrap(),
            HandshakeMessage::Finished([9; 12].into())
        );
    }

    /// A verify_data longer than [`VERIFY_DATA_INLINE`] decodes: the
    /// inline size is not a limit.
    #[test]
    fn finished_longer_than_the_inline_size_decodes() {
        let cx = DecodeContext {
            finished_len: 64,
            ..TLS12_ECDHE
        };
        assert_eq!(
            HandshakeMessage::decode(HandshakeType::Finished, &[7; 64], &cx).unwrap(),
            HandshakeMessage::Finished([7; 64].into())
        );
    }

    #[test]
    fn finished_length_comes_from_the_context() {
        let cx = DecodeContext {
            finished_len: 32,
            ..TLS12_ECDHE
        };
        assert!(HandshakeMessage::decode(HandshakeType::Finished, &[0; 32], &cx).is_ok());
        for len in [12, 31, 33, 48] {
            assert!(matches!(
                HandshakeMessage::decode(HandshakeType::Finished, &vec![0; len], &cx),
                Err(Error::Decode(_))
            ));
        }
    }

    #[test]
    fn key_update_values_other_than_0_and_1_are_illegal() {
        assert_eq!(
            HandshakeMessage::decode(HandshakeType::KeyUpdate, &[1], &TLS12_ECDHE),
            Ok(HandshakeMessage::KeyUpdate(
                KeyUpdateRequest::UpdateRequested
            ))
        );
        assert!(matches!(
            HandshakeMessage::decode(HandshakeType::KeyUpdate, &[2], &TLS12_ECDHE),
            Err(Error::IllegalParameter(
                IllegalParameterReason::KeyUpdateRequest
            ))
        ));
    }

    #[test]
    fn empty_messages_must_be_empty() {
        for typ in [
            HandshakeType::HelloRequest,
            HandshakeType::ServerHelloDone,
            HandshakeType::EndOfEarlyData,
        ] {
            let msg = HandshakeMessage::decode(typ, &[], &TLS12_ECDHE).unwrap();
            assert_eq!(msg.to_bytes().unwrap(), [u8::from(typ), 0, 0, 0]);
            assert!(matches!(
                HandshakeMessage::decode(typ, &[0], &TLS12_ECDHE),
                Err(Error::Decode(DecodeReason::TrailingBytes))
            ));
        }
    }

    #[test]
    fn server_key_exchange_under_rsa_is_unexpected() {
        let cx = DecodeContext {
            key_exchange: KeyExchangeAlgorithm::Rsa,
            ..TLS12_ECDHE
        };
        assert!(matches!(
            HandshakeMessage::decode(HandshakeType::ServerKeyExchange, &[], &cx),
            Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ServerKeyExchangeWithRsa
            ))
        ));
    }

    #[test]
    fn header_length_must_match_the_bytes() {
        let mut bytes = HandshakeMessage::ServerHelloDone.to_bytes().unwrap();
        bytes.push(0);
        assert!(matches!(
            HandshakeMessage::decode_message(&bytes, &TLS12_ECDHE),
            Err(Error::Decode(DecodeReason::TrailingBytes))
        ));
        assert!(matches!(
            HandshakeMessage::decode_message(&[14, 0, 0, 1], &TLS12_ECDHE),
            Err(Error::Decode(DecodeReason::Truncated))
        ));
    }
}
