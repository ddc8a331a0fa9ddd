//! The handshake joiner: handshake-record payloads in, whole handshake
//! messages out, however the peer fragmented or coalesced them (RFC 8446
//! §5.1, RFC 5246 §6.2.1).
//!
//! Each message type has its own bound on the body length, checked as
//! soon as the 4-byte header is in, before any of the body is buffered:
//! the fixed bounds below are the largest body the type's syntax allows
//! (RFC 8446 §4, RFC 5246 §7.4), so a longer one cannot decode and is
//! `decode_error` (RFC 8446 §6.2: "the length of the message was
//! incorrect"); Certificate, CertificateRequest, CertificateStatus and
//! CompressedCertificate (RFC 8879 §4), whose syntax allows up to
//! 2^24 − 1 bytes, are bounded by the
//! configured [`DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE`], and longer is a
//! policy refusal, [`Error::LimitExceeded`] (`illegal_parameter`, as
//! OpenSSL answers its `max_cert_list`), except for a
//! CompressedCertificate: one longer than the bound is a message we will
//! not decompress, `bad_certificate` (RFC 8879 §4: a CompressedCertificate
//! that cannot be decompressed MUST end the connection with it).
//!
//! A length over the bound is not an error of the joiner's own: the
//! message is handed out with its header alone and the refusal as its
//! body ([`JoinedHandshake::body`]), and the joiner fails every later
//! call with the same error. The state machine judges the type first
//! (RFC 8446 §6.2: the wrong message is `unexpected_message`, whatever
//! its length), and only a message of a type it expects meets the
//! refusal when it reads the body. OpenSSL orders its checks so too
//! (the message type against its state machine, then the size); tlsfuzzer's
//! `test-invalid-client-hello-w-record-overflow` sends a ClientHello body
//! under KeyUpdate, one byte at most, and expects `unexpected_message`.
//! A type no peer may send is refused from its header at once.

use super::MAX_PLAINTEXT_LEN;
use crate::codec::Reader;
use crate::error::{
    CertificateError, DecodeReason, Error, LimitExceededReason, UnexpectedMessageReason,
};
use crate::msgs::enums::HandshakeType;

/// The default bound on a Certificate, CertificateRequest or
/// CertificateStatus body: 64 KiB (design §2, "bounded everything").
/// Their syntax allows 2^24 − 1 bytes (RFC 8446 §4.4.2, §4.3.2, RFC 6066
/// §8), which no sane chain needs; OpenSSL's default is 100 KiB. Set per
/// configuration with `max_certificate_message_size`; longer is
/// [`Error::LimitExceeded`].
pub const DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE: usize = 64 * 1024;

/// The largest legal ClientHello body (RFC 8446 §4.1.2, RFC 5246
/// §7.4.1.2): legacy_version 2 + random 32 + session_id 1+32 +
/// cipher_suites 2+(2^16−2) + compression_methods 1+(2^8−1) + extensions
/// 2+(2^16−1) = 131 396 bytes.
pub const MAX_CLIENT_HELLO_LEN: usize =
    2 + 32 + (1 + 32) + (2 + 0xfffe) + (1 + 0xff) + (2 + 0xffff);

/// The largest legal ServerHello or HelloRetryRequest body (RFC 8446
/// §4.1.3, RFC 5246 §7.4.1.3): legacy_version 2 + random 32 + session_id
/// 1+32 + cipher_suite 2 + compression_method 1 + extensions 2+(2^16−1)
/// = 65 607 bytes.
pub const MAX_SERVER_HELLO_LEN: usize = 2 + 32 + (1 + 32) + 2 + 1 + (2 + 0xffff);

/// The largest legal NewSessionTicket body: the TLS 1.3 form (RFC 8446
/// §4.6.1) is the longer, ticket_lifetime 4 + ticket_age_add 4 +
/// ticket_nonce 1+255 + ticket 2+(2^16−1) + extensions 2+(2^16−2) =
/// 131 337 bytes (RFC 5077 §3.3's TLS 1.2 form is at most 4 + 2+(2^16−1)).
pub const MAX_NEW_SESSION_TICKET_LEN: usize = 4 + 4 + (1 + 0xff) + (2 + 0xffff) + (2 + 0xfffe);

/// The largest legal EncryptedExtensions body (RFC 8446 §4.3.1):
/// extensions 2+(2^16−1) = 65 537 bytes.
pub const MAX_ENCRYPTED_EXTENSIONS_LEN: usize = 2 + 0xffff;

/// The largest legal ServerKeyExchange body (RFC 5246 §7.4.3, RFC 8422
/// §5.4): the DHE form is the longer, with dh_p, dh_g and dh_Ys each
/// 2+(2^16−1), signature algorithm 2 and signature 2+(2^16−1): 262 150
/// bytes in all (the ECDHE form is at most 1 + 2 + 1+255 + 2 + 2+(2^16−1)).
pub const MAX_SERVER_KEY_EXCHANGE_LEN: usize = 3 * (2 + 0xffff) + 2 + (2 + 0xffff);

/// The largest legal ClientKeyExchange body (RFC 5246 §7.4.7): an RSA
/// EncryptedPreMasterSecret or a DHE public value, 2+(2^16−1) = 65 537
/// bytes (an ECDHE point is at most 1+255, RFC 8422 §5.7).
pub const MAX_CLIENT_KEY_EXCHANGE_LEN: usize = 2 + 0xffff;

/// The largest legal CertificateVerify body (RFC 8446 §4.4.3, RFC 5246
/// §7.4.8): signature algorithm 2 + signature 2+(2^16−1) = 65 539 bytes.
pub const MAX_CERTIFICATE_VERIFY_LEN: usize = 2 + (2 + 0xffff);

/// The largest legal Finished body: TLS 1.3 verify_data is Hash.length
/// (RFC 8446 §4.4.4), at most 48 bytes for SHA-384, the longest hash of
/// any TLS 1.3 suite (RFC 8446 §B.4); TLS ≤1.2 verify_data is 12 bytes
/// for every suite (RFC 5246 §7.4.9, RFC 2246 §7.4.9).
pub const MAX_FINISHED_LEN: usize = 48;

/// The KeyUpdate body: request_update, 1 byte (RFC 8446 §4.6.3).
pub const MAX_KEY_UPDATE_LEN: usize = 1;

/// The handshake message header: type (1) and length (3) (RFC 8446 §4,
/// RFC 5246 §7.4).
pub const HANDSHAKE_HEADER_LEN: usize = 4;

/// The largest body a `typ` message may announce, with Certificate,
/// CertificateRequest and CertificateStatus bounded by
/// `max_certificate_len`.
///
/// HelloRequest, ServerHelloDone and EndOfEarlyData are empty (RFC 5246
/// §7.4.1.1, §7.4.5, RFC 8446 §4.5). A type no peer may send (unknown,
/// or the synthetic message_hash of RFC 8446 §4.4.1) is refused from its
/// header as `unexpected_message` (RFC 8446 §6.2), whatever its length.
fn limit(typ: HandshakeType, max_certificate_len: usize) -> Result<Limit, Error> {
    use HandshakeType as T;
    Ok(match typ {
        T::HelloRequest | T::ServerHelloDone | T::EndOfEarlyData => Limit::Syntax(0),
        T::ClientHello => Limit::Syntax(MAX_CLIENT_HELLO_LEN),
        T::ServerHello => Limit::Syntax(MAX_SERVER_HELLO_LEN),
        T::NewSessionTicket => Limit::Syntax(MAX_NEW_SESSION_TICKET_LEN),
        T::EncryptedExtensions => Limit::Syntax(MAX_ENCRYPTED_EXTENSIONS_LEN),
        T::ServerKeyExchange => Limit::Syntax(MAX_SERVER_KEY_EXCHANGE_LEN),
        T::ClientKeyExchange => Limit::Syntax(MAX_CLIENT_KEY_EXCHANGE_LEN),
        T::CertificateVerify => Limit::Syntax(MAX_CERTIFICATE_VERIFY_LEN),
        T::Finished => Limit::Syntax(MAX_FINISHED_LEN),
        T::KeyUpdate => Limit::Syntax(MAX_KEY_UPDATE_LEN),
        T::Certificate | T::CertificateRequest | T::CertificateStatus => {
            Limit::Configured(max_certificate_len)
        }
        T::CompressedCertificate => Limit::Compressed(max_certificate_len),
        T::MessageHash | T::Unknown(_) => {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::UnknownHandshakeType,
            ))
        }
    })
}

/// A bound on a handshake message body, and what exceeding it means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Limit {
    /// The longest body the message syntax allows; longer is
    /// [`Error::Decode`].
    Syntax(usize),
    /// The configured bound; longer is [`Error::LimitExceeded`].
    Configured(usize),
    /// The configured bound on a compressed certificate message; longer
    /// is [`CertificateError::BadCompressedCertificate`].
    Compressed(usize),
}

impl Limit {
    /// Accepts `len`, or fails as the variant documentation says.
    fn check(self, len: usize) -> Result<(), Error> {
        match self {
            Self::Syntax(max) if len > max => Err(Error::Decode(DecodeReason::MessageTooLong)),
            Self::Configured(max) if len > max => Err(Error::LimitExceeded(
                LimitExceededReason::CertificateMessageSize,
            )),
            Self::Compressed(max) if len > max => Err(Error::InvalidCertificate(
                CertificateError::BadCompressedCertificate(
                    "longer than the certificate message bound",
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// One whole handshake message, or the header of one refused for its
/// length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JoinedHandshake<'a> {
    /// The message type.
    pub typ: HandshakeType,
    /// The body, after the 4-byte header; or, when the header announced
    /// more than the type's bound, why it is refused (see the module
    /// documentation).
    pub body: Result<&'a [u8], Error>,
    /// The header and body as received: what the transcript hash absorbs
    /// (the header alone for a refused message).
    pub raw: &'a [u8],
}

/// Bytes reserved when the joiner's buffer is first needed (again): a
/// flight of typical messages (hellos, a certificate chain of a few
/// kilobytes or its compressed form, signatures, Finished) arriving record
/// by record, so the buffer is allocated once rather than grown per
/// record. A sizing choice, not a limit; the buffer is freed when an
/// established connection has no message pending.
pub const JOINER_INITIAL_CAPACITY: usize = 4096;

/// Joins handshake fragments into messages.
#[derive(Debug)]
pub struct HandshakeJoiner {
    buf: Vec<u8>,
    /// Where the bytes not yet handed out start.
    start: usize,
    max_certificate_len: usize,
    /// Whether the message at `start` has been handed out refused for its
    /// length: its header stays there, and every later call fails with
    /// its refusal.
    refused: bool,
}

impl Default for HandshakeJoiner {
    fn default() -> Self {
        Self::new()
    }
}

impl HandshakeJoiner {
    /// A joiner bounding certificate messages at
    /// [`DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE`].
    pub fn new() -> Self {
        Self::with_max_certificate_len(DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE)
    }

    /// A joiner refusing Certificate, CertificateRequest and
    /// CertificateStatus bodies over `max_certificate_len` (the other
    /// types keep their syntax bounds).
    pub fn with_max_certificate_len(max_certificate_len: usize) -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            max_certificate_len,
            refused: false,
        }
    }

    /// Appends the plaintext of one handshake record. Messages handed out
    /// before are released.
    ///
    /// Fails as soon as a message header is in whose type no peer may
    /// send, with [`Error::LimitExceeded`] when more than one largest
    /// message and one record would wait unread, and once a message
    /// refused for its length has been handed out.
    pub fn push(&mut self, payload: &[u8]) -> Result<(), Error> {
        self.check_not_refused()?;
        self.buf.drain(..self.start);
        self.start = 0;
        let largest = MAX_SERVER_KEY_EXCHANGE_LEN.max(self.max_certificate_len);
        if self.buf.len() + payload.len() > largest + HANDSHAKE_HEADER_LEN + MAX_PLAINTEXT_LEN {
            return Err(Error::LimitExceeded(LimitExceededReason::BufferedHandshake));
        }
        if self.buf.capacity() == 0 {
            self.buf.reserve(payload.len().max(JOINER_INITIAL_CAPACITY));
        }
        self.buf.extend_from_slice(payload);
        self.next_header().map(|_| ())
    }

    /// The next whole message, or `None` until more fragments arrive; a
    /// message over its type's bound as soon as its header is in, with
    /// the refusal as its body.
    ///
    /// Fails as [`Self::push`] does.
    pub fn next_message(&mut self) -> Result<Option<JoinedHandshake<'_>>, Error> {
        self.check_not_refused()?;
        let Some(header) = self.next_header()? else {
            return Ok(None);
        };
        let pending = self.buf.get(self.start..).unwrap_or_default();
        if let Err(refusal) = header.within_bound {
            self.refused = true;
            let raw = pending.get(..HANDSHAKE_HEADER_LEN).unwrap_or_default();
            return Ok(Some(JoinedHandshake {
                typ: header.typ,
                body: Err(refusal),
                raw,
            }));
        }
        let Some(raw) = pending.get(..HANDSHAKE_HEADER_LEN + header.len) else {
            return Ok(None);
        };
        let body = raw.get(HANDSHAKE_HEADER_LEN..).unwrap_or_default();
        self.start += raw.len();
        Ok(Some(JoinedHandshake {
            typ: header.typ,
            body: Ok(body),
            raw,
        }))
    }

    /// Whether part of a message is buffered. RFC 8446 §5.1 forbids a
    /// message to span a key change, so the connection checks this before
    /// changing keys (`unexpected_message`).
    pub fn has_partial_message(&self) -> bool {
        self.start < self.buf.len()
    }

    /// Frees the buffer when every message has been handed out, so an
    /// established connection holds none between (rare) post-handshake
    /// messages.
    pub fn release_if_empty(&mut self) {
        if !self.has_partial_message() {
            self.buf = Vec::new();
            self.start = 0;
        }
    }

    /// The refusal of the message handed out refused, if one was.
    fn check_not_refused(&self) -> Result<(), Error> {
        if self.refused {
            if let Some(header) = self.next_header()? {
                header.within_bound?;
            }
        }
        Ok(())
    }

    /// The next message's header, once it is in: a type no peer may send
    /// fails here; a length over the type's bound is kept as the header's
    /// verdict.
    fn next_header(&self) -> Result<Option<Header>, Error> {
        let mut r = Reader::new(self.buf.get(self.start..).unwrap_or_default());
        let (Ok(typ), Ok(len)) = (r.u8(), r.u24()) else {
            return Ok(None);
        };
        let typ = HandshakeType::from(typ);
        let len = len as usize;
        let within_bound = limit(typ, self.max_certificate_len)?.check(len);
        Ok(Some(Header {
            typ,
            len,
            within_bound,
        }))
    }
}

/// A message header as the joiner judged it.
struct Header {
    typ: HandshakeType,
    /// The body length announced.
    len: usize,
    /// Whether `len` is within the type's bound, and the refusal if not.
    within_bound: Result<(), Error>,
}
