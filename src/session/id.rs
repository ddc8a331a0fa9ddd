//! [`SessionId`]: a TLS session identifier of 0 to 32 bytes (design §3).
//!
//! The same type serves the value on the wire (`session_id`,
//! `legacy_session_id`, `legacy_session_id_echo`; RFC 5246 §7.4.1.2,
//! RFC 8446 §4.1.2–§4.1.3) and the server's persistent identifier (S for
//! TLS ≤1.2, T for TLS 1.3) that is sealed into tickets and kept in the
//! stores. Which value a connection reports is the handshake's decision;
//! this type only holds one, bounded by construction.

use crate::crypto::rng::SecureRandom;
use crate::error::{DecodeReason, Error};
use crate::msgs::hello::MAX_SESSION_ID_SIZE;
use subtle::ConstantTimeEq;

/// A session identifier: at most [`MAX_SESSION_ID_SIZE`] bytes, possibly
/// empty. Equality is constant-time in the contents.
#[derive(Clone, Copy)]
pub struct SessionId {
    len: u8,
    bytes: [u8; MAX_SESSION_ID_SIZE],
}

impl SessionId {
    /// The empty identifier: what a connection reports before a
    /// ServerHello has been sent or received (design §3), and what a client
    /// offers when it has nothing to resume.
    pub const fn empty() -> Self {
        Self {
            len: 0,
            bytes: [0; MAX_SESSION_ID_SIZE],
        }
    }

    /// A fresh identifier of [`MAX_SESSION_ID_SIZE`] random bytes from
    /// `rng`: the server's S and T, the client's C, L and L′ of design §3.
    /// Fails only when the generator fails ([`Error::Crypto`]).
    pub fn random(rng: &dyn SecureRandom) -> Result<Self, Error> {
        let mut bytes = [0u8; MAX_SESSION_ID_SIZE];
        rng.fill(&mut bytes)?;
        Ok(Self {
            len: MAX_SESSION_ID_SIZE as u8,
            bytes,
        })
    }

    /// The identifier in `bytes`, as received from the peer or read back
    /// from storage. More than [`MAX_SESSION_ID_SIZE`] bytes is
    /// [`Error::Decode`] (`decode_error`, design §3 and RFC 8446 §4.1.2).
    pub fn from_peer(bytes: &[u8]) -> Result<Self, Error> {
        let mut id = Self::empty();
        let slot = id
            .bytes
            .get_mut(..bytes.len())
            .ok_or(Error::Decode(DecodeReason::SessionIdTooLong))?;
        slot.copy_from_slice(bytes);
        // bytes.len() <= MAX_SESSION_ID_SIZE = 32 here, so it fits a u8.
        id.len = bytes.len() as u8;
        Ok(id)
    }

    /// The identifier's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or(&[])
    }

    /// The identifier's length in bytes (0 to 32).
    pub fn len(&self) -> usize {
        usize::from(self.len)
    }

    /// Whether the identifier is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Copies the identifier to the front of `out` and returns its length
    /// (design §3, `copy_session_id`). When `out` is shorter than the
    /// identifier, fails with [`Error::BufferTooSmall`] naming the length
    /// needed, and `out` is left untouched.
    pub fn copy_to(&self, out: &mut [u8]) -> Result<usize, Error> {
        let id = self.as_bytes();
        let slot = out
            .get_mut(..id.len())
            .ok_or(Error::BufferTooSmall { needed: id.len() })?;
        slot.copy_from_slice(id);
        Ok(id.len())
    }
}

impl Default for SessionId {
    fn default() -> Self {
        Self::empty()
    }
}

impl PartialEq for SessionId {
    /// Constant-time in the contents (lengths are public).
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes().ct_eq(other.as_bytes()).into()
    }
}

impl Eq for SessionId {}

impl core::fmt::Debug for SessionId {
    /// Lowercase hex, as GnuTLS and OpenSSL print session IDs. A session ID
    /// is not a secret: ≤1.2 IDs cross the wire in clear.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SessionId({})", hex::encode(self.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::{FixedBytes, SeededRng};

    #[test]
    fn empty_is_empty() {
        let id = SessionId::empty();
        assert!(id.is_empty());
        assert_eq!(id.as_bytes(), b"");
        assert_eq!(id, SessionId::default());
    }

    #[test]
    fn random_takes_32_bytes_from_the_generator() {
        let pool: Vec<u8> = (0..32).collect();
        let id = SessionId::random(&FixedBytes::new(&pool)).unwrap();
        assert_eq!(id.as_bytes(), &pool[..]);
        assert!(SessionId::random(&FixedBytes::new(&[1; 31])).is_err());
        let rng = SeededRng::new(b"ids").unwrap();
        assert_ne!(
            SessionId::random(&rng).unwrap(),
            SessionId::random(&rng).unwrap()
        );
    }

    #[test]
    fn from_peer_accepts_0_to_32_bytes_and_rejects_33() {
        for len in 0..=MAX_SESSION_ID_SIZE {
            let bytes = vec![0xab; len];
            assert_eq!(SessionId::from_peer(&bytes).unwrap().as_bytes(), &bytes[..]);
        }
        assert_eq!(
            SessionId::from_peer(&[0; 33]),
            Err(Error::Decode(DecodeReason::SessionIdTooLong))
        );
        assert_eq!(
            SessionId::from_peer(&[0; 33]).unwrap_err().alert(),
            Some(crate::msgs::enums::AlertDescription::DecodeError)
        );
    }

    #[test]
    fn equality_needs_equal_length_and_contents() {
        let a = SessionId::from_peer(&[1, 2, 3]).unwrap();
        assert_eq!(a, SessionId::from_peer(&[1, 2, 3]).unwrap());
        assert_ne!(a, SessionId::from_peer(&[1, 2, 4]).unwrap());
        assert_ne!(a, SessionId::from_peer(&[1, 2, 3, 0]).unwrap());
    }

    #[test]
    fn debug_prints_hex() {
        let id = SessionId::from_peer(&[0xca, 0xfe]).unwrap();
        assert_eq!(format!("{id:?}"), "SessionId(cafe)");
    }
}
