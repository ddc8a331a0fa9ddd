//! `FleetSeal`: how every value ferrotls writes to Redis is sealed, so
//! that a reader of Redis (a replica, a backup, a `MONITOR`) learns no
//! session secret and no ticket key.
//!
//! The operator gives every server of a fleet the same fleet key
//! ([`FLEET_KEY_LEN`] random bytes). Each user of Redis derives its own
//! AES-256-GCM key from it with HKDF-SHA256 (RFC 5869; empty salt, the
//! user's label as `info`), so the session store and the ticket keys never
//! share an AEAD key. A sealed value is
//!
//! ```text
//! struct {
//!     uint8 version = 1;                 /* SEALED_VALUE_VERSION */
//!     opaque nonce[12];                  /* fresh random per value */
//!     opaque ciphertext_and_tag<17..>;   /* AES-256-GCM, 16-byte tag */
//! } SealedValue;
//! ```
//!
//! with the full Redis key as additional data (RFC 5116 §2.1), so a value
//! copied to another key, or to another prefix, does not open there. A
//! value that does not open is treated as absent by every user.

use crate::crypto::aead::{AeadAlgorithm, AeadKey, NONCE_LEN, TAG_LEN};
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::hkdf;
use crate::crypto::rng::{random_array, SecureRandom};
use crate::crypto::secret::Secret;
use crate::error::{Error, InvalidRequestReason};
use std::sync::Arc;
use zeroize::Zeroizing;

/// The length of the fleet key: the key size of the AES-256-GCM keys
/// derived from it (RFC 5116 §5.2), so it carries the 256 bits they
/// need and no fewer.
pub const FLEET_KEY_LEN: usize = 32;

/// The first byte of every sealed value: the layout in the module docs.
/// A value with another first byte is treated as absent, so a later
/// layout can be rolled out with the old one still in Redis.
pub const SEALED_VALUE_VERSION: u8 = 1;

/// The AEAD values are sealed with. With random 96-bit nonces one key
/// seals at most 2^32 values before nonce reuse becomes a concern (NIST
/// SP 800-38D §8.3); a fleet storing that many sessions should change
/// its fleet key first (which costs every client one full handshake).
const FLEET_AEAD: AeadAlgorithm = AeadAlgorithm::Aes256Gcm;

/// Seals and opens one user's values under a key derived from the fleet
/// key (module docs).
pub(crate) struct FleetSeal {
    key: AeadKey,
    rng: Arc<dyn SecureRandom>,
}

impl FleetSeal {
    /// The sealer of the user named `label` (HKDF `info`), drawing nonces
    /// from `rng`. Fails with [`InvalidRequestReason::FleetKeyLength`]
    /// when `fleet_key` is not [`FLEET_KEY_LEN`] bytes.
    pub(crate) fn new(
        fleet_key: &[u8],
        label: &[u8],
        rng: Arc<dyn SecureRandom>,
    ) -> Result<Self, Error> {
        if fleet_key.len() != FLEET_KEY_LEN {
            return Err(Error::InvalidRequest(InvalidRequestReason::FleetKeyLength));
        }
        let prk = hkdf::extract(HashAlgorithm::Sha256, &[], fleet_key)?;
        let key = hkdf::expand(
            HashAlgorithm::Sha256,
            prk.as_bytes(),
            label,
            FLEET_AEAD.key_len(),
        )?;
        Ok(Self {
            key: AeadKey::new(FLEET_AEAD, key.as_bytes())?,
            rng,
        })
    }

    /// `plaintext` sealed for the Redis key `redis_key`. Fails only when
    /// the RNG does, or for a plaintext far beyond any session's size.
    pub(crate) fn seal(&self, redis_key: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
        let nonce: [u8; NONCE_LEN] = random_array(&*self.rng)?;
        // Wiped on drop if sealing fails while it holds the plaintext.
        let mut body = Zeroizing::new(plaintext.to_vec());
        let tag = self.key.seal_in_place(nonce, redis_key, &mut body)?;
        let mut value = Vec::with_capacity(1 + NONCE_LEN + body.len() + TAG_LEN);
        value.push(SEALED_VALUE_VERSION);
        value.extend_from_slice(&nonce);
        value.extend_from_slice(&body);
        value.extend_from_slice(&tag);
        Ok(value)
    }

    /// The plaintext sealed in `value` for `redis_key`, in a buffer wiped
    /// on drop; `None` when the version, the length or the tag is wrong.
    pub(crate) fn open(&self, redis_key: &[u8], value: &[u8]) -> Option<Secret> {
        let (&version, rest) = value.split_first()?;
        if version != SEALED_VALUE_VERSION {
            return None;
        }
        let (nonce, sealed) = rest.split_at_checked(NONCE_LEN)?;
        let nonce: [u8; NONCE_LEN] = nonce.try_into().ok()?;
        let mut buffer = Secret::from_slice(sealed);
        let plaintext = self
            .key
            .open_in_place(nonce, redis_key, buffer.as_mut_bytes())
            .ok()?;
        Some(Secret::from_slice(plaintext))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::SeededRng;

    fn sealer(fleet_key: &[u8], label: &[u8]) -> FleetSeal {
        let rng = SeededRng::new(b"sealed tests").unwrap();
        FleetSeal::new(fleet_key, label, Arc::new(rng)).unwrap()
    }

    #[test]
    fn a_value_opens_only_under_its_key_label_and_redis_key() {
        let seal = sealer(&[1; FLEET_KEY_LEN], b"store");
        let value = seal.seal(b"p:session-id:00", b"state").unwrap();
        assert_eq!(value.first(), Some(&SEALED_VALUE_VERSION));
        assert_eq!(value.len(), 1 + NONCE_LEN + 5 + TAG_LEN);
        assert!(!value.windows(5).any(|w| w == b"state"));
        let opened = seal.open(b"p:session-id:00", &value).unwrap();
        assert_eq!(opened.as_bytes(), b"state");
        // Another Redis key, label or fleet key opens nothing.
        assert!(seal.open(b"p:ticket:00", &value).is_none());
        assert!(sealer(&[1; FLEET_KEY_LEN], b"ticket keys")
            .open(b"p:session-id:00", &value)
            .is_none());
        assert!(sealer(&[2; FLEET_KEY_LEN], b"store")
            .open(b"p:session-id:00", &value)
            .is_none());
    }

    #[test]
    fn altered_truncated_or_unversioned_values_do_not_open() {
        let seal = sealer(&[1; FLEET_KEY_LEN], b"store");
        let value = seal.seal(b"k", b"state").unwrap();
        for at in 0..value.len() {
            let mut altered = value.clone();
            if let Some(byte) = altered.get_mut(at) {
                *byte ^= 1;
            }
            assert!(seal.open(b"k", &altered).is_none(), "byte {at}");
        }
        for len in 0..value.len() {
            assert!(seal.open(b"k", value.get(..len).unwrap()).is_none());
        }
    }

    #[test]
    fn a_fleet_key_is_exactly_fleet_key_len_bytes() {
        for len in [0, 16, FLEET_KEY_LEN - 1, FLEET_KEY_LEN + 1, 64] {
            let rng = Arc::new(SeededRng::new(b"k").unwrap());
            assert!(FleetSeal::new(&vec![1; len], b"store", rng).is_err());
        }
    }
}
