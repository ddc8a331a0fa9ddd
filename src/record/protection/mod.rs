//! Record protection: the one [`RecordProtection`] trait every scheme
//! implements, so the record layer has a single code path (design §2).
//!
//! | scheme | type | RFC |
//! |---|---|---|
//! | none (initial epoch) | [`NullProtection`] | RFC 8446 §5.1, RFC 5246 §6.2.1 |
//! | TLS 1.3 AEAD | [`Tls13AeadProtection`] | RFC 8446 §5.2–5.4 |
//! | TLS 1.2 AES-GCM, ChaCha20-Poly1305 | [`Tls12AeadProtection`] | RFC 5288 §3, RFC 7905 §2, RFC 5246 §6.2.3.3 |
//! | AES-CBC with HMAC (feature `legacy`) | `CbcHmacProtection` | RFC 2246/4346/5246 §6.2.3.2, RFC 7366 §3 |
//!
//! A record is sealed in place at the end of the caller's output buffer and
//! opened in place where it lies in the receive buffer.

#[cfg(feature = "legacy")]
mod cbc_hmac;
mod tls12_aead;
mod tls13;

#[cfg(feature = "legacy")]
pub use cbc_hmac::{CbcHmacProtection, CbcIv, MacOrder};
pub use tls12_aead::Tls12AeadProtection;
pub use tls13::Tls13AeadProtection;

use super::{HEADER_LEN, MAX_PLAINTEXT_LEN};
use crate::error::{CryptoReason, Error};
use crate::msgs::enums::{ContentType, ProtocolVersion};
use core::ops::Range;

/// What opening a record yields: the content type of the plaintext (for
/// TLS 1.3 the inner one), where the plaintext lies in the record, and
/// whether it was protected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    /// The plaintext's content type.
    pub content_type: ContentType,
    /// The plaintext's byte range within the record passed to
    /// [`RecordProtection::open`] (header included in its indexing).
    pub plaintext: Range<usize>,
    /// Whether the record was cryptographically protected (false for the
    /// null scheme and for the unprotected `change_cipher_spec` records
    /// TLS 1.3 lets pass, RFC 8446 §5).
    pub protected: bool,
    /// The bytes the sender added after the plaintext that count against
    /// a `record_size_limit`: TLS 1.3's inner content type and zero
    /// padding (RFC 8449 §4 limits the whole `TLSInnerPlaintext`); 0 for
    /// TLS ≤ 1.2, whose limit covers the plaintext alone.
    pub inner_overhead: usize,
}

/// A record protection scheme for one direction of one epoch.
///
/// The record layer hands it sequence numbers; the scheme never keeps its
/// own count, so the limits live in one place (the record layer).
pub trait RecordProtection: Send {
    /// The bytes sealing puts between the header and the plaintext (an
    /// explicit nonce or IV); the caller reserves them.
    fn explicit_nonce_len(&self) -> usize;

    /// The most bytes sealing adds after the plaintext (tag, MAC, padding,
    /// TLS 1.3 content type).
    fn max_suffix_len(&self) -> usize;

    /// The longest record fragment this scheme accepts from the peer; the
    /// deframer refuses longer ones with `record_overflow`.
    fn max_fragment_len(&self) -> usize;

    /// Whether records under this scheme are protected.
    fn is_protected(&self) -> bool;

    /// This scheme as TLS 1.3 AEAD protection, whose keys a TLS 1.3 key
    /// change can then replace in place
    /// ([`super::RecordLayer::set_tls13_write_protection`]); `None` for
    /// every other scheme.
    fn as_tls13_mut(&mut self) -> Option<&mut Tls13AeadProtection> {
        None
    }

    /// How many records one key of this scheme may seal: the AEAD's
    /// confidentiality limit (RFC 8446 §5.5, RFC 9147 §4.5.3). Schemes
    /// the RFCs set no such limit for (none, CBC) keep the default, the
    /// sequence number's own [`super::SEQUENCE_NUMBER_LIMIT`].
    fn usage_limit(&self) -> u64 {
        super::SEQUENCE_NUMBER_LIMIT
    }

    /// Seals the record that starts at `record_start` in `out`.
    ///
    /// On entry `out[record_start..]` is a header carrying the plaintext's
    /// content type and the record version (its length field is
    /// ignored), then [`Self::explicit_nonce_len`] reserved bytes, then the
    /// plaintext. On success the record is complete: header rewritten,
    /// nonce filled in, plaintext encrypted in place and any suffix
    /// appended. Fails with [`Error::Crypto`] on a local failure (no
    /// randomness, a malformed buffer).
    fn seal(&mut self, seq: u64, out: &mut Vec<u8>, record_start: usize) -> Result<(), Error>;

    /// Seals as [`Self::seal`] does, except that the scheme may leave the
    /// record's encryption to [`Self::finish_sealing`] (or to a later
    /// call of this method), so that it can encrypt several records
    /// together. The record's length, header and place in `out` are final
    /// on return; until the records are finished the caller only appends
    /// to `out`, and it calls [`Self::finish_sealing`] before anything
    /// reads them. The default seals at once.
    fn seal_batched(
        &mut self,
        seq: u64,
        out: &mut Vec<u8>,
        record_start: usize,
    ) -> Result<(), Error> {
        self.seal(seq, out, record_start)
    }

    /// Completes every record [`Self::seal_batched`] left unfinished in
    /// `out`. On failure those records are removed from `out` (it is cut
    /// back to the first of them) and the error is returned.
    fn finish_sealing(&mut self, _out: &mut Vec<u8>) -> Result<(), Error> {
        Ok(())
    }

    /// Opens `record` (header and fragment) in place as record number
    /// `seq`.
    ///
    /// Fails with [`Error::BadRecordMac`] when the record does not
    /// authenticate or decrypt, [`Error::RecordOverflow`] when its
    /// plaintext is too long, and [`Error::UnexpectedMessage`] for a content
    /// type the scheme may not carry.
    fn open(&mut self, seq: u64, record: &mut [u8]) -> Result<Opened, Error>;
}

/// No protection: the initial epoch of every connection (RFC 8446 §5.1,
/// RFC 5246 §6.2.1 `TLSPlaintext`).
#[derive(Clone, Copy, Debug, Default)]
pub struct NullProtection;

impl RecordProtection for NullProtection {
    fn explicit_nonce_len(&self) -> usize {
        0
    }

    fn max_suffix_len(&self) -> usize {
        0
    }

    fn max_fragment_len(&self) -> usize {
        MAX_PLAINTEXT_LEN
    }

    fn is_protected(&self) -> bool {
        false
    }

    fn seal(&mut self, _seq: u64, out: &mut Vec<u8>, record_start: usize) -> Result<(), Error> {
        let fragment_len = fragment_len(out, record_start)?;
        set_length(out, record_start, fragment_len)
    }

    fn open(&mut self, _seq: u64, record: &mut [u8]) -> Result<Opened, Error> {
        let (content_type, _) = header_fields(record)?;
        Ok(Opened {
            content_type,
            plaintext: HEADER_LEN..record.len(),
            protected: false,
            inner_overhead: 0,
        })
    }
}

/// The content type and version of the header at the start of `record`.
pub(crate) fn header_fields(record: &[u8]) -> Result<(ContentType, ProtocolVersion), Error> {
    let mut r = crate::codec::Reader::new(record);
    let content_type = ContentType::from(r.u8()?);
    let version = ProtocolVersion::from(r.u16()?);
    Ok((content_type, version))
}

/// The number of bytes after the header of the record at `record_start`.
fn fragment_len(out: &[u8], record_start: usize) -> Result<usize, Error> {
    out.len()
        .checked_sub(record_start + HEADER_LEN)
        .ok_or(Error::Crypto(CryptoReason::RecordBufferTooShort))
}

/// The mutable header of the record at `record_start`.
fn header_mut(out: &mut [u8], record_start: usize) -> Result<&mut [u8], Error> {
    out.get_mut(record_start..record_start + HEADER_LEN)
        .ok_or(Error::Crypto(CryptoReason::RecordBufferTooShort))
}

/// Writes `len` into the length field of the header at `record_start`.
fn set_length(out: &mut [u8], record_start: usize, len: usize) -> Result<(), Error> {
    let len = u16::try_from(len).map_err(|_| Error::EncodeOverflow)?;
    let header = header_mut(out, record_start)?;
    if let Some(field) = header.get_mut(3..5) {
        field.copy_from_slice(&len.to_be_bytes());
    }
    Ok(())
}

/// The fragment of `record` after its header, mutably.
fn fragment_mut(record: &mut [u8]) -> Result<&mut [u8], Error> {
    record.get_mut(HEADER_LEN..).ok_or(Error::BadRecordMac)
}

/// `iv` with the big-endian sequence number xored into its last 8 bytes:
/// the per-record nonce of RFC 8446 §5.3 and RFC 7905 §2.
fn xor_nonce(iv: &[u8; crate::crypto::aead::NONCE_LEN], seq: u64) -> [u8; 12] {
    let mut nonce = *iv;
    for (n, s) in nonce.iter_mut().rev().zip(seq.to_le_bytes()) {
        *n ^= s;
    }
    nonce
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 8446 §5.3: the 64-bit sequence number is padded to iv_length and
    // xored with the IV.
    #[test]
    fn nonce_xors_the_sequence_number_into_the_right_end() {
        let iv = [0u8; 12];
        assert_eq!(
            xor_nonce(&iv, 0x0102030405060708),
            [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8]
        );
        let iv = [0xff; 12];
        assert_eq!(xor_nonce(&iv, 1)[11], 0xfe);
        assert_eq!(xor_nonce(&iv, 1)[..11], [0xff; 11]);
    }
}
