//! Ephemeral elliptic-curve Diffie-Hellman for the `key_share` extension
//! (RFC 8446 §4.2.8) and the TLS 1.0–1.2 ECDHE key exchange (RFC 8422):
//! X25519, secp256r1 and secp384r1 from ring; secp521r1 and X448, which
//! ring lacks, from RustCrypto's `p521` and `x448`.
//!
//! Public keys travel in TLS wire form: 32 bytes for X25519 and 56 for X448
//! (RFC 7748 §5), the uncompressed point `0x04 ‖ x ‖ y` for the NIST curves
//! (RFC 8446 §4.2.8.2). The shared secret is the X25519/X448 output or the
//! x-coordinate of the shared point (RFC 8446 §7.4).
//!
//! ring's random generator is sealed, so ring's private keys come from
//! ring's own `SystemRandom`, not from an injected RNG — except for
//! deterministic test generators ([`KeyShare::generate_with`]), whose bytes
//! are handed to ring through its fixed-slice test generator so that a
//! fixed pool (RFC 8448's `*_RNG_Pool`) replays a handshake byte for byte.
//! P-521 and X448 private keys always come from the injected generator.

use crate::crypto::rng::{OsRng, RandCore, SecureRandom};
use crate::crypto::secret::Secret;
use crate::crypto::verify::{P256_POINT_LEN, P384_POINT_LEN, P521_POINT_LEN};
use crate::error::{CryptoReason, Error, IllegalParameterReason};
use crate::msgs::enums::NamedGroup;
use p521::elliptic_curve::sec1::ToSec1Point;
use ring::agreement;
use ring::rand::SystemRandom;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The length of an X25519 public key and shared secret (RFC 7748 §5).
pub const X25519_LEN: usize = 32;

/// The length of an X448 private key, public key and shared secret
/// (RFC 7748 §5).
pub const X448_LEN: usize = 56;

/// The first byte of an uncompressed SEC1 point (SEC 1 §2.3.3), the only
/// form TLS 1.3 allows (RFC 8446 §4.2.8.2) and the one RFC 8422 §5.1.2
/// requires by default.
const UNCOMPRESSED_POINT: u8 = 0x04;

/// The length of a P-521 private scalar and of its shared secret, the
/// x-coordinate: 521 bits in 66 bytes (SEC 1 §2.3.5, RFC 8446 §7.4.2).
pub const P521_SCALAR_LEN: usize = 66;

/// The bits of the first byte of a drawn P-521 scalar that are kept:
/// 521 = 65 × 8 + 1, so the top seven are cleared before the range check
/// (the rejection sampling of FIPS 186-5 §A.2.2).
const P521_TOP_BYTE_MASK: u8 = 0x01;

/// How many 66-byte draws P-521 key generation makes before failing: a
/// draw is rejected only if it is zero or at least the group order, which
/// for a working generator happens with probability below 2^-259 (FIPS
/// 186-5 §A.2.2), so running out means the generator is broken.
pub const MAX_P521_SCALAR_DRAWS: usize = 4;

const SUPPORTED_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519,
    NamedGroup::secp256r1,
    NamedGroup::secp384r1,
    NamedGroup::secp521r1,
    NamedGroup::X448,
];

/// The groups this module can exchange keys in, most preferred first.
pub fn supported_groups() -> &'static [NamedGroup] {
    SUPPORTED_GROUPS
}

/// The length of a public key of `group` in TLS wire form, `None` for an
/// unsupported group: `X25519_LEN` and `X448_LEN`, and the uncompressed
/// P-256, P-384 and P-521 points (RFC 8446 §4.2.8.2) for the NIST curves.
pub fn public_key_len(group: NamedGroup) -> Option<usize> {
    match group {
        NamedGroup::X25519 => Some(X25519_LEN),
        NamedGroup::secp256r1 => Some(P256_POINT_LEN),
        NamedGroup::secp384r1 => Some(P384_POINT_LEN),
        NamedGroup::secp521r1 => Some(P521_POINT_LEN),
        NamedGroup::X448 => Some(X448_LEN),
        _ => None,
    }
}

fn ring_algorithm(group: NamedGroup) -> Result<&'static agreement::Algorithm, Error> {
    match group {
        NamedGroup::X25519 => Ok(&agreement::X25519),
        NamedGroup::secp256r1 => Ok(&agreement::ECDH_P256),
        NamedGroup::secp384r1 => Ok(&agreement::ECDH_P384),
        _ => Err(Error::IllegalParameter(
            IllegalParameterReason::UnsupportedKxGroup,
        )),
    }
}

/// The length of one draw of a private key of `group`: the X25519 or
/// X448 scalar (RFC 7748 §5) or the NIST curve's scalar; `None` for an
/// unsupported group.
pub fn private_key_len(group: NamedGroup) -> Option<usize> {
    match group {
        NamedGroup::X25519 | NamedGroup::secp256r1 => Some(32),
        NamedGroup::secp384r1 => Some(48),
        NamedGroup::secp521r1 => Some(P521_SCALAR_LEN),
        NamedGroup::X448 => Some(X448_LEN),
        _ => None,
    }
}

/// One side's ephemeral key pair for one key exchange: generated, its
/// public key sent, then consumed by [`KeyShare::complete`] with the peer's
/// public key.
pub struct KeyShare {
    group: NamedGroup,
    private: Private,
    public: Vec<u8>,
}

/// The private half of a [`KeyShare`], by implementation.
enum Private {
    /// X25519, P-256 and P-384.
    Ring(agreement::EphemeralPrivateKey),
    /// P-521; `p521` zeroizes the scalar on drop.
    P521(p521::SecretKey),
    /// X448; `x448` zeroizes the scalar on drop.
    X448(x448::EphemeralSecret),
}

impl core::fmt::Debug for KeyShare {
    /// Shows the group and public key only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("KeyShare")
            .field("group", &self.group)
            .field("public", &hex::encode(&self.public))
            .finish_non_exhaustive()
    }
}

impl KeyShare {
    /// Generates a fresh key pair in `group`.
    ///
    /// Fails with [`Error::IllegalParameter`] for a group not in
    /// [`supported_groups`] (a peer that selects such a group sent an
    /// illegal parameter, RFC 8446 §4.2.8), or [`Error::Crypto`] when the
    /// random generator fails.
    pub fn generate(group: NamedGroup) -> Result<Self, Error> {
        match group {
            NamedGroup::secp521r1 => Self::generate_p521(&OsRng::new()),
            NamedGroup::X448 => Self::generate_x448(&OsRng::new()),
            _ => Self::generate_from_ring(group, &SystemRandom::new()),
        }
    }

    /// Generates a fresh key pair in `group`; when `rng` is deterministic
    /// ([`SecureRandom::is_deterministic`]: a test generator) the private
    /// key is the next `private_key_len` bytes of `rng`, otherwise this
    /// is [`Self::generate`]. P-521 keys always come from `rng` (one draw,
    /// or more when a draw is out of range), and so do X448 keys (one
    /// draw). Fails as [`Self::generate`], or with `rng`'s error; a P-256
    /// or P-384 scalar out of range fails with [`Error::Crypto`].
    pub fn generate_with(group: NamedGroup, rng: &dyn SecureRandom) -> Result<Self, Error> {
        match group {
            NamedGroup::secp521r1 => return Self::generate_p521(rng),
            NamedGroup::X448 => return Self::generate_x448(rng),
            _ => {}
        }
        if !rng.is_deterministic() {
            return Self::generate(group);
        }
        let len = private_key_len(group).ok_or(Error::IllegalParameter(
            IllegalParameterReason::UnsupportedGroup,
        ))?;
        let mut private = Zeroizing::new(vec![0u8; len]);
        rng.fill(&mut private)?;
        // ring's generators are sealed; its fixed-slice test generator is
        // the one way to give it chosen key bytes.
        #[allow(deprecated)]
        let fixed = ring::test::rand::FixedSliceRandom { bytes: &private };
        Self::generate_from_ring(group, &fixed)
    }

    fn generate_from_ring(
        group: NamedGroup,
        rng: &dyn ring::rand::SecureRandom,
    ) -> Result<Self, Error> {
        let alg = ring_algorithm(group)?;
        let private = agreement::EphemeralPrivateKey::generate(alg, rng)
            .map_err(|_| Error::Crypto(CryptoReason::KeyShareGeneration))?;
        let public = private
            .compute_public_key()
            .map_err(|_| Error::Crypto(CryptoReason::KeyShareGeneration))?
            .as_ref()
            .to_vec();
        Ok(Self {
            group,
            private: Private::Ring(private),
            public,
        })
    }

    /// A P-521 key pair whose scalar is drawn from `rng`: 66 bytes with the
    /// bits above 2^521 cleared, drawn again while zero or not below the
    /// group order (FIPS 186-5 §A.2.2), at most [`MAX_P521_SCALAR_DRAWS`]
    /// times.
    fn generate_p521(rng: &dyn SecureRandom) -> Result<Self, Error> {
        let mut bytes = Zeroizing::new(p521::FieldBytes::default());
        for _ in 0..MAX_P521_SCALAR_DRAWS {
            rng.fill(&mut bytes)?;
            if let Some(top) = bytes.first_mut() {
                *top &= P521_TOP_BYTE_MASK;
            }
            if let Ok(private) = p521::SecretKey::from_bytes(&bytes) {
                let public = private
                    .public_key()
                    .to_sec1_point(false)
                    .as_bytes()
                    .to_vec();
                return Ok(Self {
                    group: NamedGroup::secp521r1,
                    private: Private::P521(private),
                    public,
                });
            }
        }
        Err(Error::Crypto(CryptoReason::KeyShareGeneration))
    }

    /// An X448 key pair: [`X448_LEN`] bytes from `rng`, clamped by `x448`
    /// (RFC 7748 §5).
    fn generate_x448(rng: &dyn SecureRandom) -> Result<Self, Error> {
        // `elliptic-curve`'s `Generate`, which `x448` implements and
        // `p521` re-exports.
        use p521::elliptic_curve::Generate;
        let private = x448::EphemeralSecret::try_generate_from_rng(&mut RandCore(rng))?;
        let public = x448::PublicKey::from(&private).as_bytes().to_vec();
        Ok(Self {
            group: NamedGroup::X448,
            private: Private::X448(private),
            public,
        })
    }

    /// The group of this key pair.
    pub fn group(&self) -> NamedGroup {
        self.group
    }

    /// The public key in TLS wire form, for `KeyShareEntry.key_exchange`
    /// (RFC 8446 §4.2.8) or `ECPoint` (RFC 8422 §5.4).
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// Completes the exchange with the peer's public key in wire form and
    /// returns the shared secret. Consumes the key pair: it is used once.
    ///
    /// Fails with [`Error::IllegalParameter`] when the peer's key has the
    /// wrong length, is not an uncompressed point on the curve (RFC 8446
    /// §4.2.8.2), or gives the all-zero X25519 output (RFC 7748 §6.1,
    /// RFC 8446 §7.4.2).
    pub fn complete(self, peer_public_key: &[u8]) -> Result<Secret, Error> {
        if Some(peer_public_key.len()) != public_key_len(self.group) {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::KeyShareLength,
            ));
        }
        let invalid = Error::IllegalParameter(IllegalParameterReason::KeyShareInvalid);
        match self.private {
            Private::Ring(private) => {
                let alg = ring_algorithm(self.group)?;
                let peer = agreement::UnparsedPublicKey::new(alg, peer_public_key);
                agreement::agree_ephemeral(private, &peer, Secret::from_slice).map_err(|_| invalid)
            }
            Private::P521(private) => {
                // The length check above leaves only the uncompressed form
                // possible, but the form byte is checked all the same
                // (RFC 8446 §4.2.8.2); `p521` then checks the point is on
                // the curve and not the identity.
                if peer_public_key.first() != Some(&UNCOMPRESSED_POINT) {
                    return Err(invalid);
                }
                let peer =
                    p521::PublicKey::from_sec1_bytes(peer_public_key).map_err(|_| invalid)?;
                let shared = private.diffie_hellman(&peer);
                Ok(Secret::from_slice(shared.raw_secret_bytes()))
            }
            Private::X448(private) => {
                // Every 56-byte string is a u-coordinate (RFC 7748 §5), so
                // only the length can fail here; the small-order points
                // give the all-zero output, refused below (RFC 7748 §6.2,
                // RFC 8446 §7.4.2).
                let peer = x448::PublicKey::from_bytes_unchecked(peer_public_key).ok_or(
                    Error::IllegalParameter(IllegalParameterReason::KeyShareLength),
                )?;
                let shared = private.diffie_hellman(&peer);
                if bool::from(shared.as_bytes().ct_eq(&[0u8; X448_LEN])) {
                    return Err(invalid);
                }
                Ok(Secret::from_slice(shared.as_bytes()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::{FixedBytes, OsRng};
    use crate::error::IllegalParameterReason;

    // RFC 7748 §6.1: Alice's private key and the public key it gives.
    #[test]
    fn deterministic_generators_choose_the_private_key() {
        let private =
            hex::decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
                .unwrap();
        let public =
            hex::decode("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
                .unwrap();
        let pool = FixedBytes::new(&private);
        let share = KeyShare::generate_with(NamedGroup::X25519, &pool).unwrap();
        assert_eq!(share.public_key(), public.as_slice());
        assert_eq!(pool.remaining(), 0);
        // An OS generator leaves key generation to ring.
        assert!(!OsRng::new().is_deterministic());
        let a = KeyShare::generate_with(NamedGroup::X25519, &OsRng::new()).unwrap();
        assert_ne!(a.public_key(), public.as_slice());
    }

    #[test]
    fn nist_private_keys_come_from_the_pool_too() {
        for group in [
            NamedGroup::secp256r1,
            NamedGroup::secp384r1,
            NamedGroup::secp521r1,
        ] {
            let len = private_key_len(group).unwrap();
            let a = KeyShare::generate_with(group, &FixedBytes::new(&vec![7; len])).unwrap();
            let b = KeyShare::generate_with(group, &FixedBytes::new(&vec![7; len])).unwrap();
            assert_eq!(a.public_key(), b.public_key());
            assert!(KeyShare::generate_with(group, &FixedBytes::new(&[7; 8])).is_err());
        }
    }

    #[test]
    fn unsupported_groups_are_refused() {
        for group in [
            NamedGroup::ffdhe2048,
            NamedGroup::ffdhe3072,
            NamedGroup::Unknown(7),
        ] {
            assert!(matches!(
                KeyShare::generate(group),
                Err(Error::IllegalParameter(
                    IllegalParameterReason::UnsupportedKxGroup
                ))
            ));
        }
    }

    #[test]
    fn public_keys_have_wire_lengths() {
        for &group in supported_groups() {
            let share = KeyShare::generate(group).unwrap();
            assert_eq!(Some(share.public_key().len()), public_key_len(group));
            assert_eq!(share.group(), group);
        }
    }
}
