//! Byte strings that are secret: keys, IVs, traffic and master secrets.
//! They zeroize on drop, compare in constant time and never print.

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

/// Secrets up to this many bytes are kept inline, with no heap allocation:
/// every SHA-256 secret (the hash of most suites), every AEAD key and IV,
/// ECDHE shared secrets of X25519 and P-256. Longer ones (SHA-384
/// secrets, TLS ≤1.2 master secrets) go to the heap: a larger inline size
/// would grow every structure holding a secret, handshake states and so
/// each connection included.
pub const INLINE_SECRET_LEN: usize = 32;

/// A secret byte string, wiped from memory when dropped.
///
/// Up to `INLINE_SECRET_LEN` bytes live inside the value itself, longer
/// ones on the heap. Like any inline key, an inline secret is copied when
/// the value is moved, and the place it was moved from is not wiped; only
/// the final place is, on drop.
#[derive(Default)]
pub struct Secret(Repr);

enum Repr {
    Inline {
        bytes: [u8; INLINE_SECRET_LEN],
        len: u8,
    },
    Heap(Zeroizing<Vec<u8>>),
}

impl Default for Repr {
    fn default() -> Self {
        Self::Inline {
            bytes: [0; INLINE_SECRET_LEN],
            len: 0,
        }
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        if let Repr::Inline { bytes, .. } = &mut self.0 {
            bytes.zeroize();
        }
    }
}

impl Clone for Secret {
    fn clone(&self) -> Self {
        Self::from_slice(self.as_bytes())
    }
}

impl Secret {
    /// Takes ownership of `bytes` (moved inline, and the vector wiped, when
    /// short enough).
    pub fn new(bytes: Vec<u8>) -> Self {
        let bytes = Zeroizing::new(bytes);
        if bytes.len() <= INLINE_SECRET_LEN {
            return Self::from_slice(&bytes);
        }
        Self(Repr::Heap(bytes))
    }

    /// `len` zero bytes, to be filled through [`Secret::as_mut_bytes`].
    pub fn zeroed(len: usize) -> Self {
        if len <= INLINE_SECRET_LEN {
            Self(Repr::Inline {
                bytes: [0; INLINE_SECRET_LEN],
                // INLINE_SECRET_LEN fits a u8.
                len: u8::try_from(len).unwrap_or(u8::MAX),
            })
        } else {
            Self(Repr::Heap(Zeroizing::new(vec![0; len])))
        }
    }

    /// A copy of `bytes`.
    pub fn from_slice(bytes: &[u8]) -> Self {
        let mut secret = Self::zeroed(bytes.len());
        secret.as_mut_bytes().copy_from_slice(bytes);
        secret
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { bytes, len } => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(v) => v,
        }
    }

    /// The bytes, writable.
    pub fn as_mut_bytes(&mut self) -> &mut [u8] {
        match &mut self.0 {
            Repr::Inline { bytes, len } => bytes.get_mut(..usize::from(*len)).unwrap_or_default(),
            Repr::Heap(v) => v,
        }
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.as_bytes().len()
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl PartialEq for Secret {
    /// Constant-time in the contents (lengths are public).
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes().ct_eq(other.as_bytes()).into()
    }
}

impl Eq for Secret {}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Secret({} bytes)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_bytes() {
        let s = Secret::from_slice(&[0xde, 0xad]);
        assert_eq!(format!("{s:?}"), "Secret(2 bytes)");
    }

    #[test]
    fn short_and_long_secrets_keep_their_bytes() {
        for len in [0, 1, INLINE_SECRET_LEN, INLINE_SECRET_LEN + 1, 300] {
            let bytes: Vec<u8> = (0..len).map(|i| i as u8 ^ 0x5a).collect();
            let secret = Secret::new(bytes.clone());
            assert_eq!(secret.as_bytes(), &bytes[..]);
            assert_eq!(secret.len(), len);
            assert_eq!(Secret::from_slice(&bytes).as_bytes(), &bytes[..]);
            assert_eq!(secret.clone(), secret);
            let mut zeroed = Secret::zeroed(len);
            assert!(zeroed.as_bytes().iter().all(|b| *b == 0));
            zeroed.as_mut_bytes().copy_from_slice(&bytes);
            assert_eq!(zeroed, secret);
        }
    }

    #[test]
    fn equality_compares_contents() {
        assert_eq!(Secret::from_slice(b"ab"), Secret::from_slice(b"ab"));
        assert_ne!(Secret::from_slice(b"ab"), Secret::from_slice(b"ac"));
        assert_ne!(Secret::from_slice(b"ab"), Secret::from_slice(b"abc"));
    }
}
