//! The hybrid key-exchange groups of draft-ietf-tls-ecdhe-mlkem: an ML-KEM
//! key encapsulation and an elliptic-curve Diffie-Hellman run side by side,
//! their shares and their secrets concatenated, so the key is safe while
//! either half is. TLS 1.3 only (the draft's §3: no TLS 1.2 use).
//!
//! | group | code | client share | server share | secret |
//! |---|---|---|---|---|
//! | X25519MLKEM768 | 0x11EC | ek (1184) ‖ X25519 (32) | ct (1088) ‖ X25519 (32) | K ‖ X25519 |
//! | SecP256r1MLKEM768 | 0x11EB | P-256 (65) ‖ ek (1184) | P-256 (65) ‖ ct (1088) | ECDH ‖ K |
//! | SecP384r1MLKEM1024 | 0x11ED | P-384 (97) ‖ ek (1568) | P-384 (97) ‖ ct (1568) | ECDH ‖ K |
//!
//! X25519MLKEM768 puts ML-KEM first (the draft's §4.1, for FIPS-approved
//! ordering); the NIST-curve groups put the curve first. A share of the
//! wrong length is `illegal_parameter` before either half is looked at;
//! each half then applies its own checks (the FIPS 203 §7.2 key checks in
//! [`crate::crypto::mlkem`], the point and all-zero checks in
//! [`crate::crypto::kx`]).
//!
//! Randomness is drawn in a fixed order, so a test generator replays an
//! exchange byte for byte: the client draws ML-KEM's `d ‖ z`, then the
//! curve's private key; the server draws ML-KEM's `m`, then its curve key.

use crate::crypto::kx::{self, KeyShare};
use crate::crypto::mlkem::{self, DecapsulationKey, MlKem};
use crate::crypto::rng::SecureRandom;
use crate::crypto::secret::Secret;
use crate::error::{Error, IllegalParameterReason};
use crate::msgs::enums::NamedGroup;

/// What a hybrid group is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hybrid {
    kem: MlKem,
    curve: NamedGroup,
    /// Whether the ML-KEM half comes first in shares and secret.
    kem_first: bool,
}

impl Hybrid {
    fn of(group: NamedGroup) -> Option<Self> {
        let (kem, curve, kem_first) = match group {
            NamedGroup::X25519MLKEM768 => (MlKem::Mlkem768, NamedGroup::X25519, true),
            NamedGroup::SecP256r1MLKEM768 => (MlKem::Mlkem768, NamedGroup::secp256r1, false),
            NamedGroup::SecP384r1MLKEM1024 => (MlKem::Mlkem1024, NamedGroup::secp384r1, false),
            _ => return None,
        };
        Some(Self {
            kem,
            curve,
            kem_first,
        })
    }

    fn curve_len(self) -> usize {
        kx::public_key_len(self.curve).unwrap_or_default()
    }

    /// `kem_part` and `curve_part` in this group's order.
    fn order<'a>(self, kem_part: &'a [u8], curve_part: &'a [u8]) -> [&'a [u8]; 2] {
        if self.kem_first {
            [kem_part, curve_part]
        } else {
            [curve_part, kem_part]
        }
    }

    /// A share: the public `kem_part` and `curve_part` in this group's
    /// order, nothing secret, so in a plain buffer.
    fn share(self, kem_part: &[u8], curve_part: &[u8]) -> Vec<u8> {
        self.order(kem_part, curve_part).concat()
    }

    /// Splits a share into its ML-KEM part of `kem_len` bytes and its curve
    /// part; any other total length is `illegal_parameter`.
    fn split(self, share: &[u8], kem_len: usize) -> Result<(&[u8], &[u8]), Error> {
        let wrong_length = Error::IllegalParameter(IllegalParameterReason::KeyShareLength);
        if share.len() != kem_len + self.curve_len() {
            return Err(wrong_length);
        }
        let at = if self.kem_first {
            kem_len
        } else {
            self.curve_len()
        };
        let (first, second) = share.split_at_checked(at).ok_or(wrong_length)?;
        Ok(if self.kem_first {
            (first, second)
        } else {
            (second, first)
        })
    }

    /// The hybrid shared secret: both halves, in this group's order; the
    /// buffer they are joined in becomes the secret's own, wiped on drop.
    fn secret(self, kem_secret: &Secret, curve_secret: &Secret) -> Secret {
        Secret::new(
            self.order(kem_secret.as_bytes(), curve_secret.as_bytes())
                .concat(),
        )
    }
}

/// Whether `group` is one of the hybrid groups.
pub fn is_hybrid(group: NamedGroup) -> bool {
    Hybrid::of(group).is_some()
}

/// The length of a client's share in `group`, `None` if it is not hybrid.
pub fn client_share_len(group: NamedGroup) -> Option<usize> {
    Hybrid::of(group).map(|h| h.kem.encapsulation_key_len() + h.curve_len())
}

/// The length of a server's share in `group`, `None` if it is not hybrid.
pub fn server_share_len(group: NamedGroup) -> Option<usize> {
    Hybrid::of(group).map(|h| h.kem.ciphertext_len() + h.curve_len())
}

/// A client's half of one hybrid exchange: its ML-KEM decapsulation key
/// and curve key pair, and the share that carries their public parts.
pub struct HybridShare {
    group: NamedGroup,
    hybrid: Hybrid,
    kem: DecapsulationKey,
    curve: KeyShare,
    public: Vec<u8>,
}

impl core::fmt::Debug for HybridShare {
    /// Shows the group only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HybridShare")
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

impl HybridShare {
    /// Generates the client's keys for `group`. A group that is not
    /// hybrid is `illegal_parameter`, as for [`KeyShare::generate_with`].
    pub fn generate(group: NamedGroup, rng: &dyn SecureRandom) -> Result<Self, Error> {
        let hybrid = Hybrid::of(group).ok_or(Error::IllegalParameter(
            IllegalParameterReason::UnsupportedKxGroup,
        ))?;
        let (kem, encapsulation_key) = DecapsulationKey::generate(hybrid.kem, rng)?;
        let curve = KeyShare::generate_with(hybrid.curve, rng)?;
        let public = hybrid.share(&encapsulation_key, curve.public_key());
        Ok(Self {
            group,
            hybrid,
            kem,
            curve,
            public,
        })
    }

    /// The group of this share.
    pub fn group(&self) -> NamedGroup {
        self.group
    }

    /// The client's share, for `KeyShareEntry.key_exchange`.
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// Completes the exchange with the server's share: decapsulates its
    /// ciphertext and agrees with its curve key. Fails as described in the
    /// module header.
    pub fn complete(self, server_share: &[u8]) -> Result<Secret, Error> {
        let (ciphertext, curve_key) = self
            .hybrid
            .split(server_share, self.hybrid.kem.ciphertext_len())?;
        let kem_secret = self.kem.decapsulate(ciphertext)?;
        let curve_secret = self.curve.complete(curve_key)?;
        Ok(self.hybrid.secret(&kem_secret, &curve_secret))
    }
}

/// The server's half of one hybrid exchange in `group`: encapsulates to
/// the client's ML-KEM key and agrees with its curve key, returning the
/// server's share and the shared secret. Fails as described in the module
/// header.
pub fn respond(
    group: NamedGroup,
    client_share: &[u8],
    rng: &dyn SecureRandom,
) -> Result<(Vec<u8>, Secret), Error> {
    let hybrid = Hybrid::of(group).ok_or(Error::IllegalParameter(
        IllegalParameterReason::UnsupportedKxGroup,
    ))?;
    let (encapsulation_key, client_curve_key) =
        hybrid.split(client_share, hybrid.kem.encapsulation_key_len())?;
    let (ciphertext, kem_secret) = mlkem::encapsulate(hybrid.kem, encapsulation_key, rng)?;
    let curve = KeyShare::generate_with(hybrid.curve, rng)?;
    let share = hybrid.share(&ciphertext, curve.public_key());
    let curve_secret = curve.complete(client_curve_key)?;
    Ok((share, hybrid.secret(&kem_secret, &curve_secret)))
}
