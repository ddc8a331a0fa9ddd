//! The fragmenter: outgoing data split into record-sized pieces (RFC 8446
//! §5.1, RFC 5246 §6.2.1), no longer than the peer's `record_size_limit`
//! allows (RFC 8449 §4).

use super::{MAX_PLAINTEXT_LEN, MIN_RECORD_SIZE_LIMIT};
use crate::error::{Error, IllegalParameterReason};
use core::num::NonZeroU16;

/// Splits outgoing plaintext into fragments of at most
/// [`Fragmenter::max_fragment_len`] bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fragmenter {
    /// At most [`MAX_PLAINTEXT_LEN`], so a `u16`: the fragmenter sits in
    /// every connection. Never more than `cap`.
    max_fragment_len: u16,
    /// Our own bound on the plaintext of a record (a configuration's
    /// `max_fragment_size`), whatever the peer allows.
    cap: u16,
    /// The limit from the next write epoch on, when a TLS ≤ 1.2
    /// renegotiation has agreed one (see
    /// [`Fragmenter::set_next_epoch_record_size_limit`]).
    next_epoch_len: Option<NonZeroU16>,
}

impl Default for Fragmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Fragmenter {
    /// A fragmenter with the protocol's limit, [`MAX_PLAINTEXT_LEN`].
    pub fn new() -> Self {
        Self {
            max_fragment_len: FULL_FRAGMENT_LEN,
            cap: FULL_FRAGMENT_LEN,
            next_epoch_len: None,
        }
    }

    /// Sends at most `len` bytes of content per record from now on, even
    /// where the protocol and the peer's `record_size_limit` allow more
    /// (at least 1, at most [`MAX_PLAINTEXT_LEN`]).
    pub fn set_cap(&mut self, len: u16) {
        self.cap = len.clamp(1, FULL_FRAGMENT_LEN);
        self.max_fragment_len = self.max_fragment_len.min(self.cap);
    }

    /// The most plaintext bytes one record carries.
    pub fn max_fragment_len(&self) -> usize {
        usize::from(self.max_fragment_len)
    }

    /// Applies the peer's `record_size_limit` (see
    /// `fragment_len_for_record_size_limit`).
    pub fn set_record_size_limit(&mut self, limit: u16, tls13: bool) -> Result<(), Error> {
        self.max_fragment_len = fragment_len_u16(limit, tls13)?.min(self.cap);
        Ok(())
    }

    /// Applies the peer's `record_size_limit` from the next write epoch
    /// on ([`Fragmenter::start_epoch`]): a TLS ≤ 1.2 renegotiation agrees
    /// on limits anew while records go on under the old keys, which the
    /// peer still holds to the limit the handshake that made them agreed
    /// (RFC 8449 §4 binds the limit to the connection state a handshake
    /// establishes).
    pub fn set_next_epoch_record_size_limit(
        &mut self,
        limit: u16,
        tls13: bool,
    ) -> Result<(), Error> {
        self.next_epoch_len = NonZeroU16::new(fragment_len_u16(limit, tls13)?.min(self.cap));
        Ok(())
    }

    /// A new write epoch begins: the limit set for it, if any, applies.
    pub fn start_epoch(&mut self) {
        if let Some(len) = self.next_epoch_len.take() {
            self.max_fragment_len = len.get();
        }
    }

    /// The fragments of `data`, in order; none for empty `data`.
    pub fn fragments<'a>(&self, data: &'a [u8]) -> core::slice::Chunks<'a, u8> {
        // max_fragment_len is never 0: at least MIN_RECORD_SIZE_LIMIT - 1.
        data.chunks(self.max_fragment_len().max(1))
    }
}

/// [`MAX_PLAINTEXT_LEN`] as the fragmenter keeps it.
const FULL_FRAGMENT_LEN: u16 = MAX_PLAINTEXT_LEN as u16;
const _: () = assert!(FULL_FRAGMENT_LEN as usize == MAX_PLAINTEXT_LEN);

/// [`fragment_len_for_record_size_limit`] as the fragmenter keeps it: no
/// more than [`FULL_FRAGMENT_LEN`], so it fits.
fn fragment_len_u16(limit: u16, tls13: bool) -> Result<u16, Error> {
    let len = fragment_len_for_record_size_limit(limit, tls13)?;
    Ok(u16::try_from(len).unwrap_or(FULL_FRAGMENT_LEN))
}

/// The largest content per record under a peer's `record_size_limit`
/// (RFC 8449 §4): the limit itself, except that in TLS 1.3 it also counts
/// the inner content type byte; never more than [`MAX_PLAINTEXT_LEN`].
///
/// Fails with [`Error::IllegalParameter`] for a limit under
/// [`MIN_RECORD_SIZE_LIMIT`] (RFC 8449 §4).
pub fn fragment_len_for_record_size_limit(limit: u16, tls13: bool) -> Result<usize, Error> {
    let limit = usize::from(limit);
    if limit < MIN_RECORD_SIZE_LIMIT {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::RecordSizeLimitTooSmall,
        ));
    }
    let content = if tls13 { limit - 1 } else { limit };
    Ok(content.min(MAX_PLAINTEXT_LEN))
}
