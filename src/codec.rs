//! The wire codec: a bounds-checked [`Reader`] over received bytes and a
//! [`Writer`] whose length-prefixed scopes patch their own length on close.
//!
//! Everything TLS puts on the wire is built from big-endian integers of 1, 2,
//! 3 or 4 octets and vectors prefixed by a 1-, 2- or 3-octet length
//! (RFC 8446 §3.3–§3.4, RFC 5246 §4.3). Every read here is checked: a short
//! input is a `decode_error`, never a panic, and a sub-reader never reads
//! past the length prefix that created it.

use crate::error::{DecodeReason, Error};

/// The size of a vector's length prefix, as written in the RFCs'
/// presentation language (`<0..2^8-1>`, `<0..2^16-1>`, `<0..2^24-1>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthPrefix {
    /// One octet: vectors of at most 255 bytes.
    U8,
    /// Two octets: vectors of at most 65 535 bytes.
    U16,
    /// Three octets: vectors of at most 16 777 215 bytes.
    U24,
}

impl LengthPrefix {
    /// The number of octets the prefix occupies.
    pub const fn size(self) -> usize {
        match self {
            Self::U8 => 1,
            Self::U16 => 2,
            Self::U24 => 3,
        }
    }

    /// The largest length the prefix can express.
    pub const fn max_len(self) -> usize {
        match self {
            Self::U8 => 0xff,
            Self::U16 => 0xffff,
            Self::U24 => 0x00ff_ffff,
        }
    }
}

/// A cursor over received bytes. All accessors fail with
/// [`Error::Decode`] instead of reading out of bounds.
#[derive(Clone, Debug)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over all of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Takes the next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.rest.len() {
            return Err(Error::Decode(DecodeReason::Truncated));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }

    /// Takes exactly `N` bytes as an array.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Error> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// Reads one octet.
    pub fn u8(&mut self) -> Result<u8, Error> {
        Ok(u8::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian 16-bit integer.
    pub fn u16(&mut self) -> Result<u16, Error> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian 24-bit integer.
    pub fn u24(&mut self) -> Result<u32, Error> {
        let [a, b, c] = self.array()?;
        Ok(u32::from_be_bytes([0, a, b, c]))
    }

    /// Reads a big-endian 32-bit integer.
    pub fn u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    /// Reads a big-endian 64-bit integer.
    pub fn u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_be_bytes(self.array()?))
    }

    /// Reads a length of the given prefix size.
    pub fn length(&mut self, prefix: LengthPrefix) -> Result<usize, Error> {
        Ok(match prefix {
            LengthPrefix::U8 => usize::from(self.u8()?),
            LengthPrefix::U16 => usize::from(self.u16()?),
            LengthPrefix::U24 => self.u24()? as usize,
        })
    }

    /// Reads a length-prefixed vector and returns its body.
    pub fn vector(&mut self, prefix: LengthPrefix) -> Result<&'a [u8], Error> {
        let len = self.length(prefix)?;
        self.take(len)
    }

    /// Reads a length-prefixed vector whose body length must lie in
    /// `min..=max` (the RFC's `<min..max>` bounds); anything else is a
    /// `decode_error`.
    pub fn bounded_vector(
        &mut self,
        prefix: LengthPrefix,
        min: usize,
        max: usize,
    ) -> Result<&'a [u8], Error> {
        let body = self.vector(prefix)?;
        if body.len() < min || body.len() > max {
            return Err(Error::Decode(DecodeReason::VectorLength));
        }
        Ok(body)
    }

    /// Reads a length-prefixed vector and returns a reader confined to it.
    pub fn sub(&mut self, prefix: LengthPrefix) -> Result<Reader<'a>, Error> {
        Ok(Reader::new(self.vector(prefix)?))
    }

    /// The bytes not yet read, consuming them.
    pub fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.rest)
    }

    /// The bytes not yet read, without consuming them.
    pub fn peek_rest(&self) -> &'a [u8] {
        self.rest
    }

    /// How many bytes are left.
    pub fn remaining(&self) -> usize {
        self.rest.len()
    }

    /// Whether everything has been read.
    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// Succeeds only when every byte has been read: trailing bytes where the
    /// syntax allows none are a `decode_error`.
    pub fn finish(&self) -> Result<(), Error> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err(Error::Decode(DecodeReason::TrailingBytes))
        }
    }
}

/// A growable output buffer with nested length-prefixed scopes.
///
/// A scope writes a placeholder length, runs the closure, then patches in the
/// length of what the closure wrote. A scope whose body is too long for its
/// prefix, or outside the `<min..max>` bounds of a [`Writer::bounded_scope`],
/// marks the writer as invalid; [`Writer::finish`] then reports
/// [`Error::EncodeOverflow`] rather than returning bytes that a decoder
/// (ours or the peer's) must reject. The error is deferred to `finish` so
/// that encoders stay plain sequences of writes.
#[derive(Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
    /// Set by the first value that cannot be encoded as written.
    invalid: bool,
}

impl Writer {
    /// An empty writer.
    pub fn new() -> Self {
        Self::default()
    }

    /// A writer that appends to `buf`, reusing its allocation.
    pub fn with_buffer(buf: Vec<u8>) -> Self {
        Self {
            buf,
            invalid: false,
        }
    }

    /// Writes one octet.
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// Writes a big-endian 16-bit integer.
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// Writes the low 24 bits of `v`, big-endian; a larger value overflows.
    pub fn u24(&mut self, v: u32) {
        if v > 0x00ff_ffff {
            self.invalid = true;
        }
        let [_, a, b, c] = v.to_be_bytes();
        self.buf.extend_from_slice(&[a, b, c]);
    }

    /// Writes a big-endian 32-bit integer.
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// Writes a big-endian 64-bit integer.
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_be_bytes());
    }

    /// Writes raw bytes.
    pub fn bytes(&mut self, v: &[u8]) {
        self.buf.extend_from_slice(v);
    }

    /// Writes `body` as a vector with the given length prefix.
    pub fn vector(&mut self, prefix: LengthPrefix, body: &[u8]) {
        self.scope(prefix, |w| w.bytes(body));
    }

    /// Writes a length-prefixed scope whose body is produced by `f`; a body
    /// too long for the prefix makes [`Writer::finish`] fail.
    pub fn scope(&mut self, prefix: LengthPrefix, f: impl FnOnce(&mut Writer)) {
        self.bounded_scope(prefix, 0, prefix.max_len(), f);
    }

    /// Writes a length-prefixed scope whose body is produced by `f` and
    /// whose length must lie in `min..=max` (the RFC's `<min..max>`
    /// bounds, as [`Reader::bounded_vector`] enforces them); a body outside
    /// them, or too long for the prefix, makes [`Writer::finish`] fail.
    pub fn bounded_scope(
        &mut self,
        prefix: LengthPrefix,
        min: usize,
        max: usize,
        f: impl FnOnce(&mut Writer),
    ) {
        let start = self.buf.len();
        self.buf.resize(start + prefix.size(), 0);
        f(self);
        let body_len = self.buf.len() - start - prefix.size();
        if body_len > prefix.max_len() || body_len < min || body_len > max {
            self.invalid = true;
        }
        let be = (body_len as u32).to_be_bytes();
        let patch = &be[4 - prefix.size()..];
        self.buf[start..start + prefix.size()].copy_from_slice(patch);
    }

    /// How many bytes have been written.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing has been written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The bytes written so far.
    pub fn as_slice(&self) -> &[u8] {
        &self.buf
    }

    /// The finished encoding, or [`Error::EncodeOverflow`] when some value
    /// was too large for its field or some scope's length was outside its
    /// bounds.
    pub fn finish(self) -> Result<Vec<u8>, Error> {
        if self.invalid {
            Err(Error::EncodeOverflow)
        } else {
            Ok(self.buf)
        }
    }
}

/// A type with one wire encoding.
pub trait Codec: Sized {
    /// Appends the encoding of `self`.
    fn encode(&self, w: &mut Writer);

    /// Reads one value, leaving any following bytes in `r`.
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error>;

    /// Decodes a value that must occupy all of `bytes`.
    fn decode_exact(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes);
        let v = Self::decode(&mut r)?;
        r.finish()?;
        Ok(v)
    }

    /// The encoding of `self` as a new vector.
    fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut w = Writer::new();
        self.encode(&mut w);
        w.finish()
    }
}

impl Codec for u8 {
    fn encode(&self, w: &mut Writer) {
        w.u8(*self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.u8()
    }
}

impl Codec for u16 {
    fn encode(&self, w: &mut Writer) {
        w.u16(*self);
    }
    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        r.u16()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeReason;

    #[test]
    fn integers_round_trip_big_endian() {
        let mut w = Writer::new();
        w.u8(1);
        w.u16(0x0203);
        w.u24(0x040506);
        w.u32(0x0708090a);
        w.u64(0x0b0c0d0e0f101112);
        let bytes = w.finish().unwrap();
        assert_eq!(bytes, (1u8..=0x12).collect::<Vec<_>>());
        let mut r = Reader::new(&bytes);
        assert_eq!(r.u8().unwrap(), 1);
        assert_eq!(r.u16().unwrap(), 0x0203);
        assert_eq!(r.u24().unwrap(), 0x040506);
        assert_eq!(r.u32().unwrap(), 0x0708090a);
        assert_eq!(r.u64().unwrap(), 0x0b0c0d0e0f101112);
        r.finish().unwrap();
    }

    #[test]
    fn short_reads_are_decode_errors() {
        let mut r = Reader::new(&[1, 2]);
        assert_eq!(r.u24(), Err(Error::Decode(DecodeReason::Truncated)));
        let mut r = Reader::new(&[0, 5, 1, 2]);
        assert!(matches!(
            r.vector(LengthPrefix::U16),
            Err(Error::Decode(DecodeReason::Truncated))
        ));
    }

    #[test]
    fn sub_reader_cannot_read_past_its_prefix() {
        let bytes = [2, 0xaa, 0xbb, 0xcc];
        let mut r = Reader::new(&bytes);
        let mut sub = r.sub(LengthPrefix::U8).unwrap();
        assert_eq!(sub.take(2).unwrap(), &[0xaa, 0xbb]);
        assert!(sub.u8().is_err());
        assert_eq!(r.u8().unwrap(), 0xcc);
    }

    #[test]
    fn finish_rejects_trailing_bytes() {
        let r = Reader::new(&[0]);
        assert_eq!(r.finish(), Err(Error::Decode(DecodeReason::TrailingBytes)));
        assert_eq!(
            u8::decode_exact(&[1, 2]),
            Err(Error::Decode(DecodeReason::TrailingBytes))
        );
    }

    #[test]
    fn nested_scopes_patch_their_lengths() {
        let mut w = Writer::new();
        w.scope(LengthPrefix::U24, |w| {
            w.scope(LengthPrefix::U16, |w| w.bytes(&[9, 9, 9]));
            w.scope(LengthPrefix::U8, |_| {});
        });
        assert_eq!(w.finish().unwrap(), vec![0, 0, 6, 0, 3, 9, 9, 9, 0]);
    }

    #[test]
    fn oversized_scope_is_an_encode_error() {
        let mut w = Writer::new();
        w.vector(LengthPrefix::U8, &[0u8; 256]);
        assert_eq!(w.finish(), Err(Error::EncodeOverflow));
    }

    #[test]
    fn bounded_scope_outside_its_bounds_is_an_encode_error() {
        let mut w = Writer::new();
        w.bounded_scope(LengthPrefix::U8, 1, 4, |_| {});
        assert_eq!(w.finish(), Err(Error::EncodeOverflow));
        let mut w = Writer::new();
        w.bounded_scope(LengthPrefix::U8, 1, 4, |w| w.bytes(&[1; 5]));
        assert_eq!(w.finish(), Err(Error::EncodeOverflow));
        let mut w = Writer::new();
        w.bounded_scope(LengthPrefix::U8, 1, 4, |w| w.bytes(&[1; 4]));
        assert_eq!(w.finish().unwrap(), [4, 1, 1, 1, 1]);
    }

    #[test]
    fn bounded_vectors_enforce_both_bounds() {
        let mut r = Reader::new(&[1, 7]);
        assert!(r.bounded_vector(LengthPrefix::U8, 2, 4).is_err());
        let mut r = Reader::new(&[0]);
        assert!(r.bounded_vector(LengthPrefix::U8, 1, 4).is_err());
        let mut r = Reader::new(&[2, 7, 8]);
        assert_eq!(r.bounded_vector(LengthPrefix::U8, 1, 4).unwrap(), &[7, 8]);
    }
}
