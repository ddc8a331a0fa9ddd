//! ML-KEM (FIPS 203), the post-quantum half of the hybrid key-exchange
//! groups (draft-ietf-tls-ecdhe-mlkem): ML-KEM-768 for X25519MLKEM768 and
//! SecP256r1MLKEM768, ML-KEM-1024 for SecP384r1MLKEM1024. The only module
//! that names `libcrux-ml-kem` (why that crate: docs/architecture.md,
//! Dependencies).
//!
//! The client generates a key pair and sends the encapsulation key; the
//! server encapsulates to it and sends the ciphertext; the client
//! decapsulates. Randomness comes from the injected [`SecureRandom`] as the
//! seeds FIPS 203 names: `d ‖ z` for key generation (§7.1) and `m` for
//! encapsulation (§7.2), so test generators replay both byte for byte.
//!
//! Input checks: an encapsulation key passes the type (length) and modulus
//! checks of FIPS 203 §7.2 before it is used, a ciphertext the type check of
//! §7.3, each failure an `illegal_parameter`. A ciphertext of the right
//! length that was tampered with is not an error: decapsulation then
//! returns the implicit-rejection secret `J(z ‖ c)` (FIPS 203 §6.3), which
//! the peer cannot know, so the handshake fails at Finished. The
//! decapsulation key is generated here, so the checks §7.3 prescribes for
//! keys of unknown origin do not apply.
//!
//! The decapsulation key and every seed live in zeroizing buffers. The
//! crate's own key types are plain arrays that do not zeroize; the copies
//! of them made here are taken back and wiped after each use.

use crate::crypto::rng::SecureRandom;
use crate::crypto::secret::Secret;
use crate::error::{Error, IllegalParameterReason};
use libcrux_ml_kem::{
    mlkem1024, mlkem768, MlKemCiphertext, MlKemKeyPair, MlKemPrivateKey, MlKemPublicKey,
    MlKemSharedSecret,
};
use zeroize::{Zeroize, Zeroizing};

/// ML-KEM-768 encapsulation key length, `384·k + 32` with k = 3 (FIPS 203
/// Table 3).
pub const MLKEM768_ENCAPSULATION_KEY_LEN: usize = 1184;
/// ML-KEM-768 ciphertext length, `32·(du·k + dv)` (FIPS 203 Table 3).
pub const MLKEM768_CIPHERTEXT_LEN: usize = 1088;
/// ML-KEM-1024 encapsulation key length, `384·k + 32` with k = 4 (FIPS 203
/// Table 3).
pub const MLKEM1024_ENCAPSULATION_KEY_LEN: usize = 1568;
/// ML-KEM-1024 ciphertext length, `32·(du·k + dv)` (FIPS 203 Table 3).
pub const MLKEM1024_CIPHERTEXT_LEN: usize = 1568;
/// The shared secret length of every parameter set (FIPS 203 Table 3).
pub const SHARED_SECRET_LEN: usize = 32;
/// The key generation seed `d ‖ z`, two 32-byte strings (FIPS 203 §7.1).
pub const KEY_GENERATION_SEED_LEN: usize = 64;
/// The encapsulation randomness `m` (FIPS 203 §7.2).
pub const ENCAPSULATION_SEED_LEN: usize = 32;

/// ML-KEM-768 decapsulation key length, `768·k + 96` (FIPS 203 Table 3).
const MLKEM768_DECAPSULATION_KEY_LEN: usize = 2400;
/// ML-KEM-1024 decapsulation key length, `768·k + 96` (FIPS 203 Table 3).
const MLKEM1024_DECAPSULATION_KEY_LEN: usize = 3168;

/// An ML-KEM parameter set (FIPS 203 §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MlKem {
    /// ML-KEM-768, security category 3.
    Mlkem768,
    /// ML-KEM-1024, security category 5.
    Mlkem1024,
}

impl MlKem {
    /// The length of an encapsulation key (FIPS 203 Table 3).
    pub const fn encapsulation_key_len(self) -> usize {
        match self {
            Self::Mlkem768 => MLKEM768_ENCAPSULATION_KEY_LEN,
            Self::Mlkem1024 => MLKEM1024_ENCAPSULATION_KEY_LEN,
        }
    }

    /// The length of a ciphertext (FIPS 203 Table 3).
    pub const fn ciphertext_len(self) -> usize {
        match self {
            Self::Mlkem768 => MLKEM768_CIPHERTEXT_LEN,
            Self::Mlkem1024 => MLKEM1024_CIPHERTEXT_LEN,
        }
    }
}

/// The expanded decapsulation key `dk` (FIPS 203 Algorithm 16), wiped on
/// drop.
enum Key {
    Mlkem768(Box<Zeroizing<[u8; MLKEM768_DECAPSULATION_KEY_LEN]>>),
    Mlkem1024(Box<Zeroizing<[u8; MLKEM1024_DECAPSULATION_KEY_LEN]>>),
}

/// One side's ML-KEM decapsulation key for one key exchange.
pub struct DecapsulationKey {
    key: Key,
}

impl DecapsulationKey {
    /// A fresh key pair of `kem` (ML-KEM.KeyGen, FIPS 203 §7.1) from 64
    /// bytes of `rng`: the decapsulation key, and the encapsulation key to
    /// send.
    pub fn generate(kem: MlKem, rng: &dyn SecureRandom) -> Result<(Self, Vec<u8>), Error> {
        let mut seed = Zeroizing::new([0u8; KEY_GENERATION_SEED_LEN]);
        rng.fill(seed.as_mut_slice())?;
        let (key, encapsulation_key) = match kem {
            MlKem::Mlkem768 => {
                let (key, ek) = split_key_pair(mlkem768::generate_key_pair(*seed));
                (Key::Mlkem768(key), ek)
            }
            MlKem::Mlkem1024 => {
                let (key, ek) = split_key_pair(mlkem1024::generate_key_pair(*seed));
                (Key::Mlkem1024(key), ek)
            }
        };
        Ok((Self { key }, encapsulation_key))
    }

    /// The parameter set of this key.
    pub fn kem(&self) -> MlKem {
        match self.key {
            Key::Mlkem768(_) => MlKem::Mlkem768,
            Key::Mlkem1024(_) => MlKem::Mlkem1024,
        }
    }

    /// The shared secret in `ciphertext` (ML-KEM.Decaps, FIPS 203 §7.3).
    /// A ciphertext of the wrong length is `illegal_parameter`
    /// ([`IllegalParameterReason::MlKemCiphertextLength`]); a corrupted one
    /// of the right length yields the implicit-rejection secret, not an
    /// error.
    pub fn decapsulate(&self, ciphertext: &[u8]) -> Result<Secret, Error> {
        match &self.key {
            Key::Mlkem768(key) => decapsulate_with(key, ciphertext, mlkem768::decapsulate),
            Key::Mlkem1024(key) => decapsulate_with(key, ciphertext, mlkem1024::decapsulate),
        }
    }
}

impl core::fmt::Debug for DecapsulationKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "DecapsulationKey({:?})", self.kem())
    }
}

/// Encapsulates a fresh shared secret to the peer's `encapsulation_key`
/// (ML-KEM.Encaps, FIPS 203 §7.2) with 32 bytes of `rng`: the ciphertext to
/// send, and the shared secret. The key must pass the input checks of
/// §7.2 first: its length
/// ([`IllegalParameterReason::MlKemEncapsulationKeyLength`]) and the
/// modulus check, every coefficient below q
/// ([`IllegalParameterReason::MlKemEncapsulationKeyModulus`]).
pub fn encapsulate(
    kem: MlKem,
    encapsulation_key: &[u8],
    rng: &dyn SecureRandom,
) -> Result<(Vec<u8>, Secret), Error> {
    match kem {
        MlKem::Mlkem768 => encapsulate_with(
            encapsulation_key,
            rng,
            validate_mlkem768,
            mlkem768::encapsulate,
        ),
        MlKem::Mlkem1024 => encapsulate_with(
            encapsulation_key,
            rng,
            validate_mlkem1024,
            mlkem1024::encapsulate,
        ),
    }
}

/// Whether the crate's AVX2 code may run: the CPU has AVX2, which is what
/// that code is compiled for.
#[cfg(target_arch = "x86_64")]
fn avx2() -> bool {
    std::is_x86_feature_detected!("avx2")
}

/// The modulus check of FIPS 203 §7.2 on an ML-KEM-768 key, on the
/// crate's AVX2 code when the CPU runs it, as its key generation,
/// encapsulation and decapsulation choose by themselves. The crate's
/// top-level `validate_public_key` always runs its portable code, about
/// three times slower (1.2 against 0.44 µs for ML-KEM-768 here), and a
/// server checks every hybrid share it answers.
fn validate_mlkem768(key: &MlKemPublicKey<MLKEM768_ENCAPSULATION_KEY_LEN>) -> bool {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        return mlkem768::avx2::validate_public_key(key);
    }
    mlkem768::validate_public_key(key)
}

/// [`validate_mlkem768`] for ML-KEM-1024.
fn validate_mlkem1024(key: &MlKemPublicKey<MLKEM1024_ENCAPSULATION_KEY_LEN>) -> bool {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        return mlkem1024::avx2::validate_public_key(key);
    }
    mlkem1024::validate_public_key(key)
}

/// Moves the decapsulation key of `pair` into a zeroizing buffer, wiping
/// the crate's copy, and returns it with the encapsulation key's bytes.
fn split_key_pair<const DK: usize, const EK: usize>(
    pair: MlKemKeyPair<DK, EK>,
) -> (Box<Zeroizing<[u8; DK]>>, Vec<u8>) {
    let (private, public) = pair.into_parts();
    let mut key = Box::new(Zeroizing::new([0u8; DK]));
    key.copy_from_slice(private.as_slice());
    wipe(private);
    (key, public.as_slice().to_vec())
}

fn decapsulate_with<const DK: usize, const CT: usize>(
    key: &[u8; DK],
    ciphertext: &[u8],
    decapsulate: fn(&MlKemPrivateKey<DK>, &MlKemCiphertext<CT>) -> MlKemSharedSecret,
) -> Result<Secret, Error> {
    let ciphertext = MlKemCiphertext::<CT>::try_from(ciphertext)
        .map_err(|_| Error::IllegalParameter(IllegalParameterReason::MlKemCiphertextLength))?;
    let private = MlKemPrivateKey::from(key);
    let shared = Zeroizing::new(decapsulate(&private, &ciphertext));
    wipe(private);
    Ok(Secret::from_slice(shared.as_slice()))
}

fn encapsulate_with<const EK: usize, const CT: usize>(
    encapsulation_key: &[u8],
    rng: &dyn SecureRandom,
    validate: fn(&MlKemPublicKey<EK>) -> bool,
    encapsulate: fn(
        &MlKemPublicKey<EK>,
        [u8; ENCAPSULATION_SEED_LEN],
    ) -> (MlKemCiphertext<CT>, MlKemSharedSecret),
) -> Result<(Vec<u8>, Secret), Error> {
    let public = MlKemPublicKey::<EK>::try_from(encapsulation_key).map_err(|_| {
        Error::IllegalParameter(IllegalParameterReason::MlKemEncapsulationKeyLength)
    })?;
    if !validate(&public) {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::MlKemEncapsulationKeyModulus,
        ));
    }
    let mut seed = Zeroizing::new([0u8; ENCAPSULATION_SEED_LEN]);
    rng.fill(seed.as_mut_slice())?;
    let (ciphertext, shared) = encapsulate(&public, *seed);
    let shared = Zeroizing::new(shared);
    Ok((
        ciphertext.as_ref().to_vec(),
        Secret::from_slice(shared.as_slice()),
    ))
}

/// Takes back a copy of a decapsulation key in the crate's own type (which
/// does not zeroize) and wipes it.
fn wipe<const DK: usize>(private: MlKemPrivateKey<DK>) {
    let mut bytes: [u8; DK] = private.into();
    bytes.zeroize();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::{FixedBytes, SeededRng};

    #[test]
    fn sizes_are_those_of_fips_203_table_3() {
        for (kem, k, du, dv) in [(MlKem::Mlkem768, 3, 10, 4), (MlKem::Mlkem1024, 4, 11, 5)] {
            assert_eq!(kem.encapsulation_key_len(), 384 * k + 32, "{kem:?}");
            assert_eq!(kem.ciphertext_len(), 32 * (du * k + dv), "{kem:?}");
        }
        assert_eq!(MLKEM768_DECAPSULATION_KEY_LEN, 768 * 3 + 96);
        assert_eq!(MLKEM1024_DECAPSULATION_KEY_LEN, 768 * 4 + 96);
    }

    #[test]
    fn each_operation_draws_exactly_its_fips_203_seed() {
        for kem in [MlKem::Mlkem768, MlKem::Mlkem1024] {
            let rng = FixedBytes::new(&[7; KEY_GENERATION_SEED_LEN + 1]);
            let (key, ek) = DecapsulationKey::generate(kem, &rng).unwrap();
            assert_eq!(rng.remaining(), 1, "{kem:?}");
            assert_eq!(key.kem(), kem);
            assert_eq!(ek.len(), kem.encapsulation_key_len());
            let rng = FixedBytes::new(&[9; ENCAPSULATION_SEED_LEN + 1]);
            let (ciphertext, _) = encapsulate(kem, &ek, &rng).unwrap();
            assert_eq!(rng.remaining(), 1, "{kem:?}");
            assert_eq!(ciphertext.len(), kem.ciphertext_len());
        }
    }

    #[test]
    fn a_failing_generator_is_an_error_not_a_key() {
        let short = FixedBytes::new(&[0; KEY_GENERATION_SEED_LEN - 1]);
        assert_eq!(
            DecapsulationKey::generate(MlKem::Mlkem768, &short).unwrap_err(),
            Error::Crypto(crate::error::CryptoReason::FixedPoolExhausted)
        );
    }

    /// The key check on the crate's AVX2 code (where the CPU has it) and
    /// its portable code agree: a fresh key passes, one whose first
    /// coefficient is q fails, one whose first coefficient is q − 1 passes.
    #[test]
    fn the_key_check_agrees_with_the_portable_one() {
        let rng = SeededRng::new(b"key check").unwrap();
        let (_, mut ek) = DecapsulationKey::generate(MlKem::Mlkem768, &rng).unwrap();
        let (_, mut ek1024) = DecapsulationKey::generate(MlKem::Mlkem1024, &rng).unwrap();
        // ByteEncode12 (FIPS 203 Algorithm 5) of the first coefficient:
        // q = 0xD01 is bytes 0x01, then low nibble 0xD; q − 1 = 0xD00.
        for (first, valid) in [(None, true), (Some(0x01), false), (Some(0x00), true)] {
            for key in [&mut ek, &mut ek1024] {
                if let Some(first) = first {
                    key[0] = first;
                    key[1] = (key[1] & 0xf0) | 0x0d;
                }
            }
            let key = MlKemPublicKey::try_from(ek.as_slice()).unwrap();
            assert_eq!(validate_mlkem768(&key), valid, "{first:?}");
            assert_eq!(mlkem768::portable::validate_public_key(&key), valid);
            let key = MlKemPublicKey::try_from(ek1024.as_slice()).unwrap();
            assert_eq!(validate_mlkem1024(&key), valid, "{first:?}");
            assert_eq!(mlkem1024::portable::validate_public_key(&key), valid);
        }
    }

    #[test]
    fn debug_names_the_parameter_set_only() {
        let rng = SeededRng::new(b"debug").unwrap();
        let (key, _) = DecapsulationKey::generate(MlKem::Mlkem1024, &rng).unwrap();
        assert_eq!(format!("{key:?}"), "DecapsulationKey(Mlkem1024)");
    }
}
