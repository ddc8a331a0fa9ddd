//! The handshake joiner: handshake-record payloads in, whole handshake
//! messages out, however the peer fragmented or coalesced them (RFC 8446
//! §5.1, RFC 5246 §6.2.1).

use super::MAX_PLAINTEXT_LEN;
use crate::codec::Reader;
use crate::error::Error;
use crate::msgs::enums::HandshakeType;

/// The default bound on one handshake message, header excluded: 64 KiB,
/// certificate chains included (design §2 "bounded everything"; RFC 8446
/// §4 allows up to 2^24 − 1, which no sane peer needs). A longer message
/// is [`Error::LimitExceeded`].
pub const MAX_HANDSHAKE_MESSAGE_SIZE: usize = 64 * 1024;

/// The handshake message header: type (1) and length (3) (RFC 8446 §4,
/// RFC 5246 §7.4).
pub const HANDSHAKE_HEADER_LEN: usize = 4;

/// One whole handshake message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HandshakeMessage<'a> {
    /// The message type.
    pub typ: HandshakeType,
    /// The body, after the 4-byte header.
    pub body: &'a [u8],
    /// The header and body as received: what the transcript hash absorbs.
    pub raw: &'a [u8],
}

/// Joins handshake fragments into messages.
#[derive(Debug)]
pub struct HandshakeJoiner {
    buf: Vec<u8>,
    /// Where the bytes not yet handed out start.
    start: usize,
    max_message_len: usize,
}

impl Default for HandshakeJoiner {
    fn default() -> Self {
        Self::new()
    }
}

impl HandshakeJoiner {
    /// A joiner with the [`MAX_HANDSHAKE_MESSAGE_SIZE`] bound.
    pub fn new() -> Self {
        Self::with_max_message_len(MAX_HANDSHAKE_MESSAGE_SIZE)
    }

    /// A joiner refusing messages whose body exceeds `max_message_len`.
    pub fn with_max_message_len(max_message_len: usize) -> Self {
        Self {
            buf: Vec::new(),
            start: 0,
            max_message_len,
        }
    }

    /// Appends the plaintext of one handshake record. Messages handed out
    /// before are released.
    ///
    /// Fails with [`Error::LimitExceeded`] as soon as a message header
    /// announces a body over the bound, or when more than one bounded
    /// message and one record wait unread.
    pub fn push(&mut self, payload: &[u8]) -> Result<(), Error> {
        self.buf.drain(..self.start);
        self.start = 0;
        if self.buf.len() + payload.len()
            > self.max_message_len + HANDSHAKE_HEADER_LEN + MAX_PLAINTEXT_LEN
        {
            return Err(Error::LimitExceeded("buffered handshake data"));
        }
        self.buf.extend_from_slice(payload);
        self.check_next_len().map(|_| ())
    }

    /// The next whole message, or `None` until more fragments arrive.
    ///
    /// Fails with [`Error::LimitExceeded`] for a message over the bound.
    pub fn next_message(&mut self) -> Result<Option<HandshakeMessage<'_>>, Error> {
        let Some(body_len) = self.check_next_len()? else {
            return Ok(None);
        };
        let pending = self.buf.get(self.start..).unwrap_or_default();
        let Some(raw) = pending.get(..HANDSHAKE_HEADER_LEN + body_len) else {
            return Ok(None);
        };
        let (header, body) = raw.split_at(HANDSHAKE_HEADER_LEN);
        let typ = HandshakeType::from(header.first().copied().unwrap_or_default());
        self.start += raw.len();
        Ok(Some(HandshakeMessage { typ, body, raw }))
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

    /// The body length the next message's header announces, once the
    /// header is in; over the bound is [`Error::LimitExceeded`].
    fn check_next_len(&self) -> Result<Option<usize>, Error> {
        let mut r = Reader::new(self.buf.get(self.start..).unwrap_or_default());
        let (Ok(_), Ok(len)) = (r.u8(), r.u24()) else {
            return Ok(None);
        };
        let len = len as usize;
        if len > self.max_message_len {
            return Err(Error::LimitExceeded("handshake message size"));
        }
        Ok(Some(len))
    }
}
