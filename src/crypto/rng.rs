//! The injectable random number generator.
//!
//! Configurations hold an `Arc<dyn SecureRandom>`: [`OsRng`] by default,
//! [`SeededRng`] or [`FixedBytes`] in tests and fuzzing, which makes
//! handshakes reproducible byte for byte (design §2, "randomness is
//! injected"). A generator that cannot deliver fails with
//! [`Error::Crypto`]; nothing here panics.
//!
//! [`RandCore`] lends any `SecureRandom` to code written against the
//! `rand_core` 0.10 traits (`TryRng` + `TryCryptoRng`), such as the `rsa`
//! crate.

use crate::crypto::hash::HashAlgorithm;
use crate::crypto::hkdf;
use crate::crypto::secret::Secret;
use crate::error::{CryptoReason, Error};
use std::sync::Mutex;

/// A source of cryptographically secure random bytes, shareable between
/// connections.
pub trait SecureRandom: Send + Sync {
    /// Fills all of `dest`. On failure returns [`Error::Crypto`]; the
    /// contents of `dest` are then unspecified and must not be used.
    fn fill(&self, dest: &mut [u8]) -> Result<(), Error>;

    /// Whether the output is reproducible (a test generator). Only then do
    /// ephemeral key shares draw their private keys from this generator
    /// ([`crate::crypto::kx::KeyShare::generate_with`]), so that fixed
    /// pools replay whole handshakes; otherwise ring's own generator
    /// makes them. Defaults to false.
    fn is_deterministic(&self) -> bool {
        false
    }
}

/// `N` random bytes from `rng` (for example a 32-byte Hello random).
pub fn random_array<const N: usize>(rng: &dyn SecureRandom) -> Result<[u8; N], Error> {
    let mut out = [0u8; N];
    rng.fill(&mut out)?;
    Ok(out)
}

/// The operating system's generator (through ring's `SystemRandom`).
#[derive(Debug)]
pub struct OsRng {
    inner: ring::rand::SystemRandom,
}

impl OsRng {
    /// The OS-backed generator.
    pub fn new() -> Self {
        Self {
            inner: ring::rand::SystemRandom::new(),
        }
    }
}

impl Default for OsRng {
    fn default() -> Self {
        Self::new()
    }
}

impl SecureRandom for OsRng {
    /// Fills `dest` from the operating system.
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`, see
    /// `docs/fuzzing.md`): fills `dest` with a fixed byte instead, so every
    /// run of a fuzz target with default configs is reproducible.
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    fn fill(&self, dest: &mut [u8]) -> Result<(), Error> {
        #[cfg(fuzzing)]
        {
            dest.fill(FUZZING_RANDOM_BYTE);
            return Ok(());
        }
        ring::rand::SecureRandom::fill(&self.inner, dest)
            .map_err(|_| Error::Crypto(CryptoReason::OsRngFailed))
    }
}

/// The byte [`OsRng`] repeats in fuzzing mode (`cfg(fuzzing)` only).
#[cfg(fuzzing)]
pub const FUZZING_RANDOM_BYTE: u8 = 0x5a;

/// The label that separates [`SeededRng`] output from any other use of
/// HKDF over the same seed.
const SEEDED_RNG_LABEL: &[u8] = b"ferrotls seeded rng";

/// The largest single HKDF-Expand call [`SeededRng`] makes with SHA-256
/// (RFC 5869 §2.3: 255 blocks of the hash length).
const SEEDED_RNG_CHUNK: usize = hkdf::MAX_EXPAND_BLOCKS * HashAlgorithm::Sha256.output_len();

/// A deterministic generator for tests and fuzzing: the output is
/// HKDF-Expand-SHA-256 (RFC 5869) keyed by `HKDF-Extract(seed)`, with a
/// request counter in the `info`, so the same seed always yields the same
/// stream. Not for production use: the seed is the whole secret.
pub struct SeededRng {
    prk: Secret,
    counter: Mutex<u64>,
}

impl SeededRng {
    /// A generator whose output is fully determined by `seed`.
    pub fn new(seed: &[u8]) -> Result<Self, Error> {
        Ok(Self {
            prk: hkdf::extract(HashAlgorithm::Sha256, SEEDED_RNG_LABEL, seed)?,
            counter: Mutex::new(0),
        })
    }
}

impl SecureRandom for SeededRng {
    fn is_deterministic(&self) -> bool {
        true
    }

    fn fill(&self, dest: &mut [u8]) -> Result<(), Error> {
        let mut counter = self
            .counter
            .lock()
            .map_err(|_| Error::Crypto(CryptoReason::SeededRngPoisoned))?;
        for chunk in dest.chunks_mut(SEEDED_RNG_CHUNK) {
            let block = hkdf::expand(
                HashAlgorithm::Sha256,
                self.prk.as_bytes(),
                &counter.to_be_bytes(),
                chunk.len(),
            )?;
            chunk.copy_from_slice(block.as_bytes());
            *counter = counter
                .checked_add(1)
                .ok_or(Error::Crypto(CryptoReason::SeededRngExhausted))?;
        }
        Ok(())
    }
}

impl core::fmt::Debug for SeededRng {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SeededRng")
    }
}

/// A generator that replays a fixed pool of bytes in order, like the
/// `*_RNG_Pool` values of the RFC 8448 traces. A request larger than what
/// is left fails with [`Error::Crypto`] and consumes nothing.
pub struct FixedBytes {
    pool: Secret,
    position: Mutex<usize>,
}

impl FixedBytes {
    /// A source that hands out `pool` once, front to back.
    pub fn new(pool: &[u8]) -> Self {
        Self {
            pool: Secret::from_slice(pool),
            position: Mutex::new(0),
        }
    }

    /// How many bytes are still unused.
    pub fn remaining(&self) -> usize {
        match self.position.lock() {
            Ok(position) => self.pool.len().saturating_sub(*position),
            Err(_) => 0,
        }
    }
}

impl SecureRandom for FixedBytes {
    fn is_deterministic(&self) -> bool {
        true
    }

    fn fill(&self, dest: &mut [u8]) -> Result<(), Error> {
        let mut position = self
            .position
            .lock()
            .map_err(|_| Error::Crypto(CryptoReason::FixedPoolPoisoned))?;
        let end = position
            .checked_add(dest.len())
            .ok_or(Error::Crypto(CryptoReason::FixedPoolExhausted))?;
        let bytes = self
            .pool
            .as_bytes()
            .get(*position..end)
            .ok_or(Error::Crypto(CryptoReason::FixedPoolExhausted))?;
        dest.copy_from_slice(bytes);
        *position = end;
        Ok(())
    }
}

impl core::fmt::Debug for FixedBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "FixedBytes({} bytes left)", self.remaining())
    }
}

/// Adapts a [`SecureRandom`] to the `rand_core` 0.10 traits, so it can be
/// passed where a `TryCryptoRng` is expected (the `rsa` crate's padding and
/// blinding). Errors surface as [`Error::Crypto`].
pub struct RandCore<'a>(pub &'a dyn SecureRandom);

impl rand_core::TryRng for RandCore<'_> {
    type Error = Error;

    fn try_next_u32(&mut self) -> Result<u32, Error> {
        Ok(u32::from_le_bytes(random_array(self.0)?))
    }

    fn try_next_u64(&mut self) -> Result<u64, Error> {
        Ok(u64::from_le_bytes(random_array(self.0)?))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Error> {
        self.0.fill(dst)
    }
}

impl rand_core::TryCryptoRng for RandCore<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::CryptoReason;
    use rand_core::TryRng;

    #[test]
    fn os_rng_fills_and_differs() {
        let rng = OsRng::new();
        let a: [u8; 32] = random_array(&rng).unwrap();
        let b: [u8; 32] = random_array(&rng).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn seeded_rng_is_reproducible_and_seed_dependent() {
        let a = SeededRng::new(b"seed").unwrap();
        let b = SeededRng::new(b"seed").unwrap();
        let c = SeededRng::new(b"other").unwrap();
        let (mut x, mut y, mut z) = ([0u8; 40], [0u8; 40], [0u8; 40]);
        a.fill(&mut x).unwrap();
        b.fill(&mut y).unwrap();
        c.fill(&mut z).unwrap();
        assert_eq!(x, y);
        assert_ne!(x, z);
        // Later requests continue the stream instead of repeating it.
        let mut next = [0u8; 40];
        a.fill(&mut next).unwrap();
        assert_ne!(x, next);
    }

    #[test]
    fn seeded_rng_serves_requests_beyond_one_hkdf_expand() {
        let rng = SeededRng::new(b"big").unwrap();
        let mut big = vec![0u8; SEEDED_RNG_CHUNK * 2 + 5];
        rng.fill(&mut big).unwrap();
        let (first, rest) = big.split_at(SEEDED_RNG_CHUNK);
        assert_ne!(first.get(..32), rest.get(..32));
    }

    #[test]
    fn fixed_bytes_replays_in_order_and_fails_cleanly_when_dry() {
        let rng = FixedBytes::new(&[1, 2, 3, 4, 5]);
        let mut two = [0u8; 2];
        rng.fill(&mut two).unwrap();
        assert_eq!(two, [1, 2]);
        let mut four = [0u8; 4];
        assert_eq!(
            rng.fill(&mut four),
            Err(Error::Crypto(CryptoReason::FixedPoolExhausted))
        );
        assert_eq!(rng.remaining(), 3, "a failed request consumes nothing");
        let mut three = [0u8; 3];
        rng.fill(&mut three).unwrap();
        assert_eq!(three, [3, 4, 5]);
        assert_eq!(rng.remaining(), 0);
    }

    #[test]
    fn rand_core_adapter_passes_bytes_and_errors_through() {
        let pool = FixedBytes::new(&[1, 0, 0, 0, 9]);
        let mut adapter = RandCore(&pool);
        assert_eq!(adapter.try_next_u32().unwrap(), 1);
        assert!(matches!(
            adapter.try_next_u64(),
            Err(Error::Crypto(CryptoReason::FixedPoolExhausted))
        ));
        let mut one = [0u8; 1];
        adapter.try_fill_bytes(&mut one).unwrap();
        assert_eq!(one, [9]);
    }
}
