//! The deframer: received bytes go into one receive buffer, whole records
//! come out as slices of it, to be opened in place (RFC 8446 §5.1,
//! RFC 5246 §6.2.1); opened application data can stay there until it is
//! read (design §2, "zero-copy where it counts").

use super::{HEADER_LEN, MAX_CIPHERTEXT_LEN_TLS12, MAX_PLAINTEXT_LEN};
use crate::codec::Reader;
use crate::error::{DecodeReason, Error, InvalidRequestReason, UnexpectedMessageReason};
use crate::msgs::enums::{ContentType, ProtocolVersion};
use std::io;
use std::ops::Range;

/// The room the receive buffer keeps for bytes not yet made into records:
/// one header and the largest fragment of any version (RFC 5246 §6.2.3).
/// A partial record always fits, so reading never stalls while whole
/// records are taken out as they complete. The buffer is this long unless
/// unread plaintext is kept in it (see [`Deframer::keep_plaintext`]) or it
/// has not yet needed to grow ([`INITIAL_RECEIVE_BUFFER_LEN`]).
pub const RECEIVE_BUFFER_LEN: usize = HEADER_LEN + MAX_CIPHERTEXT_LEN_TLS12;

/// The room the receive buffer starts with: enough for the records of
/// most handshakes (a ClientHello, hybrid post-quantum key share
/// included, is about 1.5–2 KB; a server's flight often fits too), so a
/// connection allocates and zeroes 4 KiB instead of
/// [`RECEIVE_BUFFER_LEN`] until a record announces more, a push brings
/// more, or a read fills it (a streaming peer); the buffer then grows to
/// [`RECEIVE_BUFFER_LEN`] of room, once, and keeps it until it is
/// released.
pub const INITIAL_RECEIVE_BUFFER_LEN: usize = 4096;

/// One whole record, still in the receive buffer.
#[derive(Debug)]
pub struct InboundRecord<'a> {
    /// The header's content type (for protected TLS 1.3 records,
    /// `application_data`).
    pub content_type: ContentType,
    /// The header's record version.
    pub version: ProtocolVersion,
    /// The record, header included, writable so it can be opened in place.
    pub bytes: &'a mut [u8],
    /// Where the record starts in the receive buffer (for
    /// [`Deframer::keep_plaintext`]).
    pub offset: usize,
}

/// Cuts a byte stream into records, and keeps opened application data
/// until it is read.
///
/// Header checks, made as soon as the five header bytes are in:
/// - the content type must be change_cipher_spec, alert, handshake or
///   application_data; any other is `unexpected_message` (RFC 8446 §5,
///   RFC 5246 §6: a record of an unknown or unnegotiated type, heartbeat
///   included, is unexpected);
/// - the version's major byte must be 3. RFC 8446 §5.1 says
///   `legacy_record_version` is otherwise ignored and RFC 5246 Appendix
///   E.1 tells clients to accept any `{03, XX}`, so no minor is refused
///   here (ClientHello records carry 0x0301); once the version is
///   negotiated, the record layer checks the minor
///   ([`super::RecordLayer::set_negotiated_version`]). A different major is not a TLS
///   record at all (the fields are out of their specified range, RFC 8446
///   §6.2): `decode_error`;
/// - the length may not exceed the current fragment limit
///   ([`Deframer::set_max_fragment_len`]): `record_overflow` (RFC 8446
///   §5.1, §5.2, RFC 5246 §6.2.1–6.2.3).
///
/// The buffer holds, in order: unread plaintext (one contiguous run, the
/// plaintext of the records kept with [`Self::keep_plaintext`]), space of
/// records already handed out, received bytes not yet handed out, and
/// free space. The room it keeps after the unread plaintext is
/// [`INITIAL_RECEIVE_BUFFER_LEN`] at first and [`RECEIVE_BUFFER_LEN`]
/// once a record, a push or a filling read needed more (see
/// `Deframer::room`). Reclaiming space moves the received bytes down behind
/// the unread plaintext; the plaintext itself moves only when the buffer
/// would otherwise lack that room after it, and the buffer grows only
/// when even that is not enough, to the unread plaintext plus the room.
/// The connection refuses to read while its plaintext limit is reached,
/// which bounds that growth.
pub struct Deframer {
    /// The receive buffer: at least [`INITIAL_RECEIVE_BUFFER_LEN`] bytes
    /// while in use, empty (unallocated) before the first read and after
    /// [`Self::release_if_empty`].
    buf: Box<[u8]>,
    /// The unread plaintext (empty when `start == end` of this range).
    plaintext: Range<usize>,
    /// Where the bytes not yet handed out start.
    start: usize,
    /// Where the received bytes end.
    end: usize,
    max_fragment_len: usize,
    /// Whether the last read or push filled all the free space: the peer
    /// is streaming, and the buffer is kept for the bytes still coming.
    last_fill_was_full: bool,
}

impl Default for Deframer {
    fn default() -> Self {
        Self::new()
    }
}

impl Deframer {
    /// An empty deframer whose fragment limit is that of unprotected
    /// records, [`MAX_PLAINTEXT_LEN`].
    pub fn new() -> Self {
        Self {
            buf: Box::default(),
            plaintext: 0..0,
            start: 0,
            end: 0,
            max_fragment_len: MAX_PLAINTEXT_LEN,
            last_fill_was_full: false,
        }
    }

    /// Sets the longest fragment accepted from now on, at most
    /// [`MAX_CIPHERTEXT_LEN_TLS12`] (the record layer sets it from the
    /// read epoch's protection).
    pub fn set_max_fragment_len(&mut self, len: usize) {
        self.max_fragment_len = len.min(MAX_CIPHERTEXT_LEN_TLS12);
    }

    /// Reads once from `rd` into the receive buffer, as `read_tls` does,
    /// and returns the number of bytes read (0 at end of stream).
    ///
    /// Fails with the reader's error, or with `io::ErrorKind::Other` when
    /// the buffer is full because whole records were left unprocessed.
    pub fn read_tls(&mut self, rd: &mut dyn io::Read) -> io::Result<usize> {
        let spare = self.spare(0);
        let room = spare.len();
        if room == 0 {
            return Err(io::Error::other(
                "receive buffer full: process the buffered records first",
            ));
        }
        let n = rd.read(spare)?.min(room);
        self.end += n;
        self.last_fill_was_full = n == room;
        Ok(n)
    }

    /// Copies as much of `data` as fits into the receive buffer and
    /// returns how much that was (0 when full, see [`Self::read_tls`]).
    pub fn push(&mut self, data: &[u8]) -> usize {
        let spare = self.spare(data.len());
        let n = spare.len().min(data.len());
        let full = n == spare.len();
        if let (Some(dst), Some(src)) = (spare.get_mut(..n), data.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.end += n;
        self.last_fill_was_full = full;
        n
    }

    /// The next whole record, or `None` until more bytes arrive.
    ///
    /// The record stays valid until the next [`Self::read_tls`] or
    /// [`Self::push`], which reclaim its space unless its plaintext was
    /// kept ([`Self::keep_plaintext`]). Fails as the type documentation
    /// says; after a failure the stream is not usable.
    pub fn next_record(&mut self) -> Result<Option<InboundRecord<'_>>, Error> {
        let pending = self.buf.get(self.start..self.end).unwrap_or_default();
        let mut r = Reader::new(pending);
        let (Ok(type_byte), Ok(version), Ok(len)) = (r.u8(), r.u16(), r.u16()) else {
            return Ok(None);
        };
        let content_type = ContentType::from(type_byte);
        if !matches!(
            content_type,
            ContentType::ChangeCipherSpec
                | ContentType::Alert
                | ContentType::Handshake
                | ContentType::ApplicationData
        ) {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::UnknownContentType,
            ));
        }
        if version >> 8 != 0x03 {
            return Err(Error::Decode(DecodeReason::RecordVersionMajor));
        }
        let len = usize::from(len);
        if len > self.max_fragment_len {
            return Err(Error::RecordOverflow);
        }
        let offset = self.start;
        let record_end = offset + HEADER_LEN + len;
        if record_end > self.end {
            return Ok(None);
        }
        let bytes = self
            .buf
            .get_mut(offset..record_end)
            .ok_or(Error::Decode(DecodeReason::RecordBeyondBuffer))?;
        self.start = record_end;
        Ok(Some(InboundRecord {
            content_type,
            version: ProtocolVersion::from(version),
            bytes,
            offset,
        }))
    }

    /// Keeps `from`, buffer positions inside a record handed out since the
    /// last read (typically its opened plaintext: the record's
    /// `InboundRecord::offset` plus the plaintext's range in it), as
    /// unread plaintext after the plaintext already kept, until
    /// [`Self::read_plaintext`] copies it out. An empty range keeps
    /// nothing.
    ///
    /// When no plaintext is unread, nothing is copied: the bytes stay
    /// where they were opened. Otherwise they are moved down to join the
    /// unread plaintext (by the length of the headers and tags between),
    /// so unread plaintext never holds the space of record headers.
    ///
    /// Fails with [`Error::InvalidRequest`] when `from` is not within the
    /// records handed out since the last read reclaimed space, or lies
    /// before plaintext already kept.
    pub fn keep_plaintext(&mut self, from: Range<usize>) -> Result<(), Error> {
        if from.is_empty() {
            return Ok(());
        }
        if from.start < self.plaintext.end || from.end > self.start {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::PlaintextOutsideRecords,
            ));
        }
        if self.plaintext.is_empty() {
            self.plaintext = from;
        } else {
            let len = from.len();
            self.buf.copy_within(from, self.plaintext.end);
            self.plaintext.end += len;
        }
        Ok(())
    }

    /// How many plaintext bytes are kept and not yet read.
    pub fn plaintext_len(&self) -> usize {
        self.plaintext.len()
    }

    /// Copies unread plaintext into `out`, oldest first, and returns how
    /// many bytes that was (0 when none is unread or `out` is empty).
    pub fn read_plaintext(&mut self, out: &mut [u8]) -> usize {
        let unread = self.buf.get(self.plaintext.clone()).unwrap_or_default();
        let n = unread.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), unread.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.plaintext.start += n;
        n
    }

    /// Whether received bytes wait that do not yet make a whole record (a
    /// stream that ends now is truncated).
    pub fn has_partial_record(&self) -> bool {
        self.start < self.end
    }

    /// How many more bytes complete the record being received: the rest
    /// of its 5-byte header, or, once the header is in, the rest of its
    /// fragment (0 when a whole record waits). A reader that takes no
    /// more than this never consumes bytes past the record.
    pub fn missing_len(&self) -> usize {
        let pending = self.buf.get(self.start..self.end).unwrap_or_default();
        let mut r = Reader::new(pending);
        match (r.u8(), r.u16(), r.u16()) {
            (Ok(_), Ok(_), Ok(len)) => {
                (HEADER_LEN + usize::from(len)).saturating_sub(pending.len())
            }
            _ => HEADER_LEN.saturating_sub(pending.len()),
        }
    }

    /// Frees the receive buffer when every received byte has been handed
    /// out, all kept plaintext read, and the last read did not fill it (a
    /// full read means the peer is streaming: the buffer is kept rather
    /// than freed and allocated again per read), so an idle connection
    /// holds none; the next read allocates it again.
    pub fn release_if_empty(&mut self) {
        if self.start == self.end && self.plaintext.is_empty() && !self.last_fill_was_full {
            self.buf = Box::default();
            self.plaintext = 0..0;
            self.start = 0;
            self.end = 0;
        }
    }

    /// The bytes the receive buffer holds allocated: 0, or at least
    /// [`INITIAL_RECEIVE_BUFFER_LEN`] ([`RECEIVE_BUFFER_LEN`] once it has
    /// grown, more while unread plaintext needs it).
    pub fn allocated_len(&self) -> usize {
        self.buf.len()
    }

    /// The room the buffer keeps after the unread plaintext, for received
    /// bytes not yet handed out and `incoming` more:
    /// [`RECEIVE_BUFFER_LEN`] once the buffer has that much, when the last
    /// read filled it, or when the record being received (its header is
    /// in) or the bytes pending and incoming need more than
    /// [`INITIAL_RECEIVE_BUFFER_LEN`]; that otherwise.
    fn room(&self, incoming: usize) -> usize {
        let pending = self.end - self.start;
        let wanted = (pending + self.missing_len()).max(pending.saturating_add(incoming));
        if self.buf.len() >= RECEIVE_BUFFER_LEN
            || self.last_fill_was_full
            || wanted > INITIAL_RECEIVE_BUFFER_LEN
        {
            RECEIVE_BUFFER_LEN
        } else {
            INITIAL_RECEIVE_BUFFER_LEN
        }
    }

    /// Allocates the buffer if it is not, reclaims the space of records
    /// already handed out and makes [`Self::room`] for `incoming` bytes
    /// (see the type documentation), and returns the free tail of the
    /// buffer.
    fn spare(&mut self, incoming: usize) -> &mut [u8] {
        let room = self.room(incoming);
        if self.buf.is_empty() {
            self.buf = vec![0u8; room].into_boxed_slice();
        }
        if self.plaintext.is_empty() {
            self.plaintext = 0..0;
        }
        if self.buf.len() - self.start < room || self.plaintext.is_empty() {
            // Move the received bytes down behind the unread plaintext,
            // and the plaintext to the front if that leaves too little.
            let to = if self.buf.len() - self.plaintext.end >= room {
                self.plaintext.start
            } else {
                0
            };
            self.relocate(to, room);
        }
        self.buf.get_mut(self.end..).unwrap_or_default()
    }

    /// Moves the unread plaintext to `to` and the received bytes right
    /// behind it, growing the buffer when fewer than `room` bytes would
    /// follow the plaintext.
    fn relocate(&mut self, to: usize, room: usize) {
        let plaintext_len = self.plaintext.len();
        let pending = self.start..self.end;
        let new_start = to + plaintext_len;
        let needed = new_start + room;
        if needed > self.buf.len() {
            let mut grown = vec![0u8; needed].into_boxed_slice();
            for (from, at) in [(self.plaintext.clone(), to), (pending.clone(), new_start)] {
                if let (Some(dst), Some(src)) =
                    (grown.get_mut(at..at + from.len()), self.buf.get(from))
                {
                    dst.copy_from_slice(src);
                }
            }
            self.buf = grown;
        } else {
            if self.plaintext.start != to {
                self.buf.copy_within(self.plaintext.clone(), to);
            }
            if self.start != new_start {
                self.buf.copy_within(pending.clone(), new_start);
            }
        }
        self.plaintext = to..new_start;
        self.end = new_start + pending.len();
        self.start = new_start;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An unprotected handshake record carrying `body` (RFC 8446 §5.1).
    fn record(body: &[u8]) -> Vec<u8> {
        let len = u16::try_from(body.len()).unwrap_or(u16::MAX).to_be_bytes();
        let mut bytes = vec![22, 3, 3, len[0], len[1]];
        bytes.extend_from_slice(body);
        bytes
    }

    /// The next whole record's bytes, header included.
    fn next_bytes(deframer: &mut Deframer) -> Option<Vec<u8>> {
        deframer
            .next_record()
            .ok()
            .flatten()
            .map(|r| r.bytes.to_vec())
    }

    #[test]
    fn buffer_is_allocated_on_demand_and_released_when_empty() {
        let mut deframer = Deframer::new();
        assert_eq!(deframer.allocated_len(), 0);
        let first = record(b"one");
        assert_eq!(deframer.push(&first), first.len());
        assert_eq!(deframer.allocated_len(), INITIAL_RECEIVE_BUFFER_LEN);
        assert_eq!(next_bytes(&mut deframer).as_deref(), Some(first.as_slice()));
        deframer.release_if_empty();
        assert_eq!(deframer.allocated_len(), 0);
        let second = record(b"two");
        assert_eq!(deframer.push(&second), second.len());
        assert_eq!(
            next_bytes(&mut deframer).as_deref(),
            Some(second.as_slice())
        );
    }

    #[test]
    fn missing_len_counts_to_the_end_of_the_header_then_of_the_record() {
        let mut deframer = Deframer::new();
        assert_eq!(deframer.missing_len(), HEADER_LEN);
        let whole = record(b"hello");
        assert_eq!(deframer.push(&whole[..2]), 2);
        assert_eq!(deframer.missing_len(), HEADER_LEN - 2);
        assert_eq!(deframer.push(&whole[2..HEADER_LEN + 1]), HEADER_LEN - 1);
        assert_eq!(deframer.missing_len(), 4);
        assert_eq!(deframer.push(&whole[HEADER_LEN + 1..]), 4);
        assert_eq!(deframer.missing_len(), 0);
        assert!(deframer.next_record().ok().flatten().is_some());
        assert_eq!(deframer.missing_len(), HEADER_LEN);
    }

    #[test]
    fn the_buffer_starts_small_and_grows_once_a_record_announces_more() {
        let mut deframer = Deframer::new();
        let whole = record(&[7u8; 10_000]);
        let mut source: &[u8] = &whole;
        assert_eq!(
            deframer.read_tls(&mut source).ok(),
            Some(INITIAL_RECEIVE_BUFFER_LEN)
        );
        assert_eq!(deframer.allocated_len(), INITIAL_RECEIVE_BUFFER_LEN);
        assert!(matches!(deframer.next_record(), Ok(None)));
        assert_eq!(
            deframer.read_tls(&mut source).ok(),
            Some(whole.len() - INITIAL_RECEIVE_BUFFER_LEN)
        );
        assert_eq!(deframer.allocated_len(), RECEIVE_BUFFER_LEN);
        assert_eq!(next_bytes(&mut deframer).as_deref(), Some(whole.as_slice()));
    }

    #[test]
    fn a_record_header_makes_room_for_its_whole_record() {
        let mut deframer = Deframer::new();
        let whole = record(&[7u8; 10_000]);
        let (head, rest) = whole.split_at(100);
        assert_eq!(deframer.read_tls(&mut &head[..]).ok(), Some(100));
        assert_eq!(deframer.allocated_len(), INITIAL_RECEIVE_BUFFER_LEN);
        // The buffer did not fill, but the header announced more than the
        // initial room: the rest of the record fits in one read.
        assert_eq!(deframer.read_tls(&mut &rest[..]).ok(), Some(rest.len()));
        assert_eq!(next_bytes(&mut deframer).as_deref(), Some(whole.as_slice()));
    }

    #[test]
    fn a_push_makes_room_for_what_it_brings() {
        let mut deframer = Deframer::new();
        let whole = record(&[7u8; 10_000]);
        assert_eq!(deframer.push(&whole), whole.len());
        assert_eq!(deframer.allocated_len(), RECEIVE_BUFFER_LEN);
        let taken = deframer.next_record().ok().flatten().map(|r| r.bytes.len());
        assert_eq!(taken, Some(whole.len()));
    }

    #[test]
    fn a_read_that_fills_the_buffer_keeps_it() {
        let mut deframer = Deframer::new();
        deframer.set_max_fragment_len(MAX_CIPHERTEXT_LEN_TLS12);
        let body = vec![0u8; MAX_CIPHERTEXT_LEN_TLS12];
        let whole = record(&body);
        let mut source: &[u8] = &whole;
        // The first read fills the initial room, the second the grown one.
        assert_eq!(
            deframer.read_tls(&mut source).ok(),
            Some(INITIAL_RECEIVE_BUFFER_LEN)
        );
        assert_eq!(
            deframer.read_tls(&mut source).ok(),
            Some(whole.len() - INITIAL_RECEIVE_BUFFER_LEN)
        );
        let taken = deframer.next_record().ok().flatten().map(|r| r.bytes.len());
        assert_eq!(taken, Some(whole.len()));
        deframer.release_if_empty();
        assert_eq!(deframer.allocated_len(), RECEIVE_BUFFER_LEN);
    }

    #[test]
    fn a_partial_record_keeps_the_buffer() {
        let mut deframer = Deframer::new();
        let whole = record(b"partial");
        let (head, tail) = whole.split_at(4);
        assert_eq!(deframer.push(head), head.len());
        assert!(matches!(deframer.next_record(), Ok(None)));
        deframer.release_if_empty();
        assert_eq!(deframer.allocated_len(), INITIAL_RECEIVE_BUFFER_LEN);
        assert_eq!(deframer.push(tail), tail.len());
        assert_eq!(next_bytes(&mut deframer).as_deref(), Some(whole.as_slice()));
    }

    /// Takes the next record and keeps its body (everything after the
    /// header) as plaintext.
    fn keep_body(deframer: &mut Deframer) -> usize {
        let (offset, len) = match deframer.next_record() {
            Ok(Some(r)) => (r.offset, r.bytes.len()),
            _ => return 0,
        };
        assert!(deframer
            .keep_plaintext(offset + HEADER_LEN..offset + len)
            .is_ok());
        len - HEADER_LEN
    }

    #[test]
    fn kept_plaintext_is_joined_and_read_in_order() {
        let mut deframer = Deframer::new();
        let wire = [record(b"abc"), record(b"defg"), record(b"hi")].concat();
        assert_eq!(deframer.push(&wire), wire.len());
        assert_eq!((0..3).map(|_| keep_body(&mut deframer)).sum::<usize>(), 9);
        assert_eq!(deframer.plaintext_len(), 9);
        let mut out = [0u8; 4];
        assert_eq!(deframer.read_plaintext(&mut out), 4);
        assert_eq!(&out, b"abcd");
        let mut out = [0u8; 10];
        assert_eq!(deframer.read_plaintext(&mut out), 5);
        assert_eq!(&out[..5], b"efghi");
        assert_eq!(deframer.plaintext_len(), 0);
    }

    #[test]
    fn unread_plaintext_survives_reads_and_the_buffer_grows_for_it() {
        let mut deframer = Deframer::new();
        deframer.set_max_fragment_len(MAX_CIPHERTEXT_LEN_TLS12);
        let bodies: Vec<Vec<u8>> = (0..4u8)
            .map(|i| (0..MAX_PLAINTEXT_LEN).map(|j| (j as u8) ^ i).collect())
            .collect();
        let wire = bodies
            .iter()
            .map(|b| record(b))
            .collect::<Vec<_>>()
            .concat();
        let mut source: &[u8] = &wire;
        let mut kept = 0;
        while !source.is_empty() {
            assert!(deframer.read_tls(&mut source).is_ok());
            loop {
                match keep_body(&mut deframer) {
                    0 => break,
                    n => kept += n,
                }
            }
        }
        assert_eq!(kept, 4 * MAX_PLAINTEXT_LEN);
        // Grown to hold the plaintext, by no more than one record's room.
        assert!(deframer.allocated_len() >= kept);
        assert!(deframer.allocated_len() <= kept + RECEIVE_BUFFER_LEN);
        let mut out = vec![0u8; kept];
        assert_eq!(deframer.read_plaintext(&mut out), kept);
        assert_eq!(out, bodies.concat());
    }

    #[test]
    fn unread_plaintext_keeps_the_buffer() {
        let mut deframer = Deframer::new();
        assert_eq!(deframer.push(&record(b"unread")), 11);
        assert_eq!(keep_body(&mut deframer), 6);
        deframer.release_if_empty();
        assert_eq!(deframer.allocated_len(), INITIAL_RECEIVE_BUFFER_LEN);
        let mut out = [0u8; 6];
        assert_eq!(deframer.read_plaintext(&mut out), 6);
        deframer.release_if_empty();
        assert_eq!(deframer.allocated_len(), 0);
    }

    #[test]
    fn keeping_bytes_outside_the_records_handed_out_is_refused() {
        let mut deframer = Deframer::new();
        let wire = [record(b"one"), record(b"two")].concat();
        assert_eq!(deframer.push(&wire), wire.len());
        assert_eq!(keep_body(&mut deframer), 3);
        // Not yet handed out.
        assert!(deframer.keep_plaintext(13..16).is_err());
        // Before the plaintext already kept.
        assert!(deframer.keep_plaintext(0..2).is_err());
        assert_eq!(deframer.plaintext_len(), 3);
    }
}
