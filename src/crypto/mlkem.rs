//! ML-KEM (FIPS 203), the post-quantum half of the hybrid key-exchange
//! groups (draft-ietf-tls-ecdhe-mlkem): ML-KEM-768 for X25519MLKEM768 and
//! SecP256r1MLKEM768, ML-KEM-1024 for SecP384r1MLKEM1024; and the whole of
//! MLKEM512, MLKEM768 and MLKEM1024 (draft-ietf-tls-mlkem). The only module
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
//! The decapsulation key is kept in the crate's unpacked form, as key
//! generation leaves it (the NTT-domain secret vector, t̂, the matrix Â,
//! H(ek) and z): decapsulation then skips re-deriving Â from ρ and
//! decoding the key, about half its cost. That form does not zeroize, so
//! it lives in a box that is overwritten with the empty key on drop
//! (`Unpacked`). Every seed lives in a zeroizing buffer; the crate's
//! shared-secret arrays are wrapped as soon as they are returned.

use crate::crypto::rng::SecureRandom;
use crate::crypto::secret::Secret;
use crate::error::{Error, IllegalParameterReason};
use libcrux_ml_kem::{
    mlkem1024, mlkem512, mlkem768, MlKemCiphertext, MlKemPublicKey, MlKemSharedSecret,
};
use zeroize::Zeroizing;

/// ML-KEM-512 encapsulation key length, `384·k + 32` with k = 2 (FIPS 203
/// Table 3).
pub const MLKEM512_ENCAPSULATION_KEY_LEN: usize = 800;
/// ML-KEM-512 ciphertext length, `32·(du·k + dv)` (FIPS 203 Table 3).
pub const MLKEM512_CIPHERTEXT_LEN: usize = 768;
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

/// An ML-KEM parameter set (FIPS 203 §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MlKem {
    /// ML-KEM-512, security category 1.
    Mlkem512,
    /// ML-KEM-768, security category 3.
    Mlkem768,
    /// ML-KEM-1024, security category 5.
    Mlkem1024,
}

impl MlKem {
    /// The length of an encapsulation key (FIPS 203 Table 3).
    pub const fn encapsulation_key_len(self) -> usize {
        match self {
            Self::Mlkem512 => MLKEM512_ENCAPSULATION_KEY_LEN,
            Self::Mlkem768 => MLKEM768_ENCAPSULATION_KEY_LEN,
            Self::Mlkem1024 => MLKEM1024_ENCAPSULATION_KEY_LEN,
        }
    }

    /// The length of a ciphertext (FIPS 203 Table 3).
    pub const fn ciphertext_len(self) -> usize {
        match self {
            Self::Mlkem512 => MLKEM512_CIPHERTEXT_LEN,
            Self::Mlkem768 => MLKEM768_CIPHERTEXT_LEN,
            Self::Mlkem1024 => MLKEM1024_CIPHERTEXT_LEN,
        }
    }
}

/// A key pair in the crate's unpacked form (one instantiation's type), in
/// a box overwritten with the empty key pair on drop. The crate's type
/// does not zeroize and cannot be reached bytewise, so this is the wipe:
/// an assignment, then `black_box` on the result so that the stores are
/// not removed as dead before the box is freed.
struct Unpacked<T: Default>(Box<T>);

impl<T: Default> Drop for Unpacked<T> {
    fn drop(&mut self) {
        *self.0 = T::default();
        core::hint::black_box(&*self.0);
    }
}

/// The decapsulation key of FIPS 203 Algorithm 16, unpacked, on the
/// crate's AVX2 code when the CPU runs it ([`avx2`]), else its portable
/// code: the instantiation that generated a key decapsulates with it.
enum Key {
    #[cfg(target_arch = "x86_64")]
    Mlkem512Avx2(Unpacked<mlkem512::avx2::unpacked::MlKem512KeyPairUnpacked>),
    Mlkem512(Unpacked<mlkem512::portable::unpacked::MlKem512KeyPairUnpacked>),
    #[cfg(target_arch = "x86_64")]
    Mlkem768Avx2(Unpacked<mlkem768::avx2::unpacked::MlKem768KeyPairUnpacked>),
    Mlkem768(Unpacked<mlkem768::portable::unpacked::MlKem768KeyPairUnpacked>),
    #[cfg(target_arch = "x86_64")]
    Mlkem1024Avx2(Unpacked<mlkem1024::avx2::unpacked::MlKem1024KeyPairUnpacked>),
    Mlkem1024(Unpacked<mlkem1024::portable::unpacked::MlKem1024KeyPairUnpacked>),
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
            #[cfg(target_arch = "x86_64")]
            MlKem::Mlkem512 if avx2() => {
                use mlkem512::avx2::unpacked as u;
                let (key, ek) = generate_with(
                    &seed,
                    u::generate_key_pair_mut,
                    u::key_pair_serialized_public_key_mut,
                );
                (Key::Mlkem512Avx2(key), ek)
            }
            MlKem::Mlkem512 => {
                use mlkem512::portable::unpacked as u;
                let (key, ek) = generate_with(
                    &seed,
                    u::generate_key_pair_mut,
                    u::key_pair_serialized_public_key_mut,
                );
                (Key::Mlkem512(key), ek)
            }
            #[cfg(target_arch = "x86_64")]
            MlKem::Mlkem768 if avx2() => {
                use mlkem768::avx2::unpacked as u;
                let (key, ek) = generate_with(
                    &seed,
                    u::generate_key_pair_mut,
                    u::key_pair_serialized_public_key_mut,
                );
                (Key::Mlkem768Avx2(key), ek)
            }
            MlKem::Mlkem768 => {
                use mlkem768::portable::unpacked as u;
                let (key, ek) = generate_with(
                    &seed,
                    u::generate_key_pair_mut,
                    u::key_pair_serialized_public_key_mut,
                );
                (Key::Mlkem768(key), ek)
            }
            #[cfg(target_arch = "x86_64")]
            MlKem::Mlkem1024 if avx2() => {
                use mlkem1024::avx2::unpacked as u;
                let (key, ek) = generate_with(
                    &seed,
                    u::generate_key_pair_mut,
                    u::key_pair_serialized_public_key_mut,
                );
                (Key::Mlkem1024Avx2(key), ek)
            }
            MlKem::Mlkem1024 => {
                use mlkem1024::portable::unpacked as u;
                let (key, ek) = generate_with(
                    &seed,
                    u::generate_key_pair_mut,
                    u::key_pair_serialized_public_key_mut,
                );
                (Key::Mlkem1024(key), ek)
            }
        };
        Ok((Self { key }, encapsulation_key))
    }

    /// The parameter set of this key.
    pub fn kem(&self) -> MlKem {
        match self.key {
            #[cfg(target_arch = "x86_64")]
            Key::Mlkem512Avx2(_) => MlKem::Mlkem512,
            Key::Mlkem512(_) => MlKem::Mlkem512,
            #[cfg(target_arch = "x86_64")]
            Key::Mlkem768Avx2(_) => MlKem::Mlkem768,
            Key::Mlkem768(_) => MlKem::Mlkem768,
            #[cfg(target_arch = "x86_64")]
            Key::Mlkem1024Avx2(_) => MlKem::Mlkem1024,
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
            #[cfg(target_arch = "x86_64")]
            Key::Mlkem512Avx2(key) => {
                decapsulate_with(key, ciphertext, mlkem512::avx2::unpacked::decapsulate)
            }
            Key::Mlkem512(key) => {
                decapsulate_with(key, ciphertext, mlkem512::portable::unpacked::decapsulate)
            }
            #[cfg(target_arch = "x86_64")]
            Key::Mlkem768Avx2(key) => {
                decapsulate_with(key, ciphertext, mlkem768::avx2::unpacked::decapsulate)
            }
            Key::Mlkem768(key) => {
                decapsulate_with(key, ciphertext, mlkem768::portable::unpacked::decapsulate)
            }
            #[cfg(target_arch = "x86_64")]
            Key::Mlkem1024Avx2(key) => {
                decapsulate_with(key, ciphertext, mlkem1024::avx2::unpacked::decapsulate)
            }
            Key::Mlkem1024(key) => {
                decapsulate_with(key, ciphertext, mlkem1024::portable::unpacked::decapsulate)
            }
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
        MlKem::Mlkem512 => encapsulate_with(
            encapsulation_key,
            rng,
            validate_mlkem512,
            mlkem512::encapsulate,
        ),
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

/// [`validate_mlkem768`] for ML-KEM-512.
fn validate_mlkem512(key: &MlKemPublicKey<MLKEM512_ENCAPSULATION_KEY_LEN>) -> bool {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        return mlkem512::avx2::validate_public_key(key);
    }
    mlkem512::validate_public_key(key)
}

/// [`validate_mlkem768`] for ML-KEM-1024.
fn validate_mlkem1024(key: &MlKemPublicKey<MLKEM1024_ENCAPSULATION_KEY_LEN>) -> bool {
    #[cfg(target_arch = "x86_64")]
    if avx2() {
        return mlkem1024::avx2::validate_public_key(key);
    }
    mlkem1024::validate_public_key(key)
}

/// A key pair from `seed` by one instantiation's `generate` (into a fresh
/// boxed key, so the secret is written once, where it is wiped), and the
/// encapsulation key's bytes by its `public`.
fn generate_with<T: Default, const EK: usize>(
    seed: &[u8; KEY_GENERATION_SEED_LEN],
    generate: fn([u8; KEY_GENERATION_SEED_LEN], &mut T),
    public: fn(&T, &mut MlKemPublicKey<EK>),
) -> (Unpacked<T>, Vec<u8>) {
    let mut key = Unpacked(Box::default());
    generate(*seed, &mut key.0);
    let mut encapsulation_key = MlKemPublicKey::default();
    public(&key.0, &mut encapsulation_key);
    (key, encapsulation_key.as_slice().to_vec())
}

fn decapsulate_with<T: Default, const CT: usize>(
    key: &Unpacked<T>,
    ciphertext: &[u8],
    decapsulate: fn(&T, &MlKemCiphertext<CT>) -> MlKemSharedSecret,
) -> Result<Secret, Error> {
    let ciphertext = MlKemCiphertext::<CT>::try_from(ciphertext)
        .map_err(|_| Error::IllegalParameter(IllegalParameterReason::MlKemCiphertextLength))?;
    let shared = Zeroizing::new(decapsulate(&key.0, &ciphertext));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::{FixedBytes, SeededRng};

    #[test]
    fn sizes_are_those_of_fips_203_table_3() {
        for (kem, k, du, dv) in [
            (MlKem::Mlkem512, 2, 10, 4),
            (MlKem::Mlkem768, 3, 10, 4),
            (MlKem::Mlkem1024, 4, 11, 5),
        ] {
            assert_eq!(kem.encapsulation_key_len(), 384 * k + 32, "{kem:?}");
            assert_eq!(kem.ciphertext_len(), 32 * (du * k + dv), "{kem:?}");
        }
    }

    /// The portable instantiation's unpacked key against
    /// [`DecapsulationKey`] (the AVX2 one where the CPU has AVX2), from the
    /// same seed: the same encapsulation key, the same secret for a good
    /// ciphertext and the same implicit-rejection secret for a tampered
    /// one. Wycheproof's vectors (tests/crypto_mlkem.rs) pin the values;
    /// this covers the instantiation the CPU does not select.
    fn agree<T: Default, const EK: usize, const CT: usize>(
        kem: MlKem,
        generate: fn([u8; KEY_GENERATION_SEED_LEN], &mut T),
        public: fn(&T, &mut MlKemPublicKey<EK>),
        decapsulate: fn(&T, &MlKemCiphertext<CT>) -> MlKemSharedSecret,
    ) {
        let seed = [5u8; KEY_GENERATION_SEED_LEN];
        let (key, ek) = DecapsulationKey::generate(kem, &FixedBytes::new(&seed)).unwrap();
        let (portable, portable_ek) = generate_with(&seed, generate, public);
        assert_eq!(ek, portable_ek, "{kem:?}");
        let rng = SeededRng::new(b"agree").unwrap();
        let (mut ciphertext, secret) = encapsulate(kem, &ek, &rng).unwrap();
        let theirs = decapsulate_with(&portable, &ciphertext, decapsulate).unwrap();
        assert_eq!(key.decapsulate(&ciphertext).unwrap(), secret, "{kem:?}");
        assert_eq!(theirs, secret, "{kem:?}");
        ciphertext[0] ^= 0x01;
        let ours = key.decapsulate(&ciphertext).unwrap();
        let theirs = decapsulate_with(&portable, &ciphertext, decapsulate).unwrap();
        assert_eq!(ours, theirs, "{kem:?}");
        assert_ne!(ours, secret, "{kem:?}");
    }

    /// A stand-in key that reports the value it holds when dropped.
    #[derive(Default)]
    struct Probe(u8);

    std::thread_local! {
        static DROPPED: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }

    impl Drop for Probe {
        fn drop(&mut self) {
            DROPPED.with(|d| d.borrow_mut().push(self.0));
        }
    }

    #[test]
    fn an_unpacked_key_is_overwritten_with_the_empty_one_before_it_is_freed() {
        drop(Unpacked(Box::new(Probe(0x5a))));
        // The key (replaced by the empty one), then the empty one (freed).
        assert_eq!(DROPPED.with(|d| d.take()), [0x5a, 0]);
    }

    #[test]
    fn both_instantiations_agree() {
        use mlkem1024::portable::unpacked as u1024;
        use mlkem512::portable::unpacked as u512;
        use mlkem768::portable::unpacked as u768;
        agree(
            MlKem::Mlkem512,
            u512::generate_key_pair_mut,
            u512::key_pair_serialized_public_key_mut,
            u512::decapsulate,
        );
        agree(
            MlKem::Mlkem768,
            u768::generate_key_pair_mut,
            u768::key_pair_serialized_public_key_mut,
            u768::decapsulate,
        );
        agree(
            MlKem::Mlkem1024,
            u1024::generate_key_pair_mut,
            u1024::key_pair_serialized_public_key_mut,
            u1024::decapsulate,
        );
    }

    #[test]
    fn each_operation_draws_exactly_its_fips_203_seed() {
        for kem in [MlKem::Mlkem512, MlKem::Mlkem768, MlKem::Mlkem1024] {
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
