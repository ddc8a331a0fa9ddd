//! Finite-field Diffie-Hellman: the RFC 7919 groups ffdhe2048…ffdhe8192
//! as TLS 1.3 key shares (RFC 8446 §4.2.8.1), and the signed groups of a
//! TLS 1.2 DHE ServerKeyExchange (RFC 5246 §7.4.3), named or not (RFC
//! 7919 §3). The arithmetic is `crypto-bigint`'s constant-time Montgomery
//! exponentiation; this module owns the group checks and the encodings.
//!
//! ```text
//!   DhGroup::named(ffdheN) ──┐                       (TLS 1.3, TLS 1.2 server)
//!   DhGroup::from_params(p, g) ┴─> DhKeyPair::generate ─> public_key()
//!                                        │
//!        peer's Y ──> complete (TLS 1.3: Y and Z padded to |p|)
//!                 └─> complete_tls12 (Y any length, Z stripped)
//! ```
//!
//! Private exponents are short where the group is a known safe prime: the
//! sizes RFC 7919 Appendix A gives for each group (§5.2 allows them);
//! a TLS 1.2 server's own group of unknown structure gets an exponent one
//! bit shorter than p. Either way the top bit of the exponent is set, so
//! the exponentiation always runs over the same number of bits.

mod primes;

use std::sync::{Arc, OnceLock};

use crate::crypto::rng::SecureRandom;
use crate::crypto::secret::Secret;
use crate::error::{
    Error, HandshakeFailureReason, IllegalParameterReason, InsufficientSecurityReason,
};
use crate::msgs::enums::NamedGroup;
use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, Odd};
use zeroize::{Zeroize, Zeroizing};

/// The generator of every RFC 7919 group (RFC 7919 Appendix A).
pub const FFDHE_GENERATOR: u8 = 2;

/// The smallest modulus a TLS 1.2 client accepts from a server, in bits:
/// the smallest RFC 7919 group; smaller groups are within reach of
/// precomputation (RFC 7919 §1.2), and a client refuses them with
/// `insufficient_security` (RFC 7919 §3).
pub const MIN_DHE_MODULUS_BITS: u32 = 2048;

/// The largest modulus accepted, in bits: that of ffdhe8192, the largest
/// RFC 7919 group. It bounds the cost a peer's group can impose.
pub const MAX_DHE_MODULUS_BITS: u32 = 8192;

/// The groups: code point, prime and the private exponent size RFC 7919
/// Appendix A gives for it (twice the group's estimated strength).
const NAMED_GROUPS: [(NamedGroup, &str, u32); 5] = [
    (NamedGroup::ffdhe2048, primes::FFDHE2048_P, 225),
    (NamedGroup::ffdhe3072, primes::FFDHE3072_P, 275),
    (NamedGroup::ffdhe4096, primes::FFDHE4096_P, 325),
    (NamedGroup::ffdhe6144, primes::FFDHE6144_P, 375),
    (NamedGroup::ffdhe8192, primes::FFDHE8192_P, 400),
];

/// Whether `group` is one of the RFC 7919 groups.
pub fn is_ffdhe(group: NamedGroup) -> bool {
    named_groups().any(|named| named == group)
}

/// The RFC 7919 groups, smallest first.
pub fn named_groups() -> impl Iterator<Item = NamedGroup> {
    NAMED_GROUPS.iter().map(|(named, ..)| *named)
}

/// The length of a public value in `group` as a TLS 1.3 key share (the
/// length of p, RFC 8446 §4.2.8.1); `None` for other groups.
pub fn public_key_len(group: NamedGroup) -> Option<usize> {
    DhGroup::named(group).map(|group| group.len())
}

/// A finite-field group: an odd modulus p, a generator g and the private
/// exponent size used in it.
pub struct DhGroup {
    named: Option<NamedGroup>,
    /// p, big-endian, without leading zeros.
    prime: Vec<u8>,
    /// g, big-endian, without leading zeros.
    generator: Vec<u8>,
    params: BoxedMontyParams,
    exponent_bits: u32,
}

impl core::fmt::Debug for DhGroup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DhGroup")
            .field("named", &self.named)
            .field("bits", &self.params.bits_precision())
            .finish_non_exhaustive()
    }
}

impl DhGroup {
    /// The RFC 7919 group `group`, built once per process; `None` for any
    /// other group.
    pub fn named(group: NamedGroup) -> Option<Arc<Self>> {
        static BUILT: [OnceLock<Option<Arc<DhGroup>>>; 5] = [
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
            OnceLock::new(),
        ];
        let index = NAMED_GROUPS
            .iter()
            .position(|(named, ..)| *named == group)?;
        let (_, prime, exponent_bits) = NAMED_GROUPS.get(index)?;
        BUILT
            .get(index)?
            .get_or_init(|| {
                let prime = hex::decode(prime).ok()?;
                Self::build(Some(group), &prime, &[FFDHE_GENERATOR], *exponent_bits)
                    .ok()
                    .map(Arc::new)
            })
            .clone()
    }

    /// The group a TLS 1.2 ServerKeyExchange names by its `dh_p` and
    /// `dh_g` (RFC 5246 §7.4.3): an RFC 7919 group when p and g are one
    /// (RFC 7919 §3), else a group of the server's own. Fails with
    /// [`Error::InsufficientSecurity`] for a modulus under
    /// [`MIN_DHE_MODULUS_BITS`] (RFC 7919 §3), and with
    /// [`Error::IllegalParameter`] for one over [`MAX_DHE_MODULUS_BITS`],
    /// an even one, or g outside 1 < g < p − 1.
    pub fn from_params(prime: &[u8], generator: &[u8]) -> Result<Arc<Self>, Error> {
        let prime = strip_leading_zeros(prime);
        let generator = strip_leading_zeros(generator);
        if generator == [FFDHE_GENERATOR] {
            if let Some(named) = NAMED_GROUPS
                .iter()
                .filter_map(|(group, ..)| Self::named(*group))
                .find(|group| group.prime == prime)
            {
                return Ok(named);
            }
        }
        let bits = bit_length(prime);
        if bits < MIN_DHE_MODULUS_BITS {
            return Err(Error::InsufficientSecurity(
                InsufficientSecurityReason::DhModulusTooSmall,
            ));
        }
        if bits > MAX_DHE_MODULUS_BITS {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::DhModulusTooLarge,
            ));
        }
        Self::build(None, prime, generator, bits - 1).map(Arc::new)
    }

    /// Checks p odd and 1 < g < p − 1, and prepares the Montgomery
    /// parameters of p.
    fn build(
        named: Option<NamedGroup>,
        prime: &[u8],
        generator: &[u8],
        exponent_bits: u32,
    ) -> Result<Self, Error> {
        let invalid = || Error::IllegalParameter(IllegalParameterReason::DhParameters);
        let bits = bit_length(prime);
        let p = BoxedUint::from_be_slice(prime, bits).map_err(|_| invalid())?;
        let g = BoxedUint::from_be_slice(generator, bits).map_err(|_| invalid())?;
        if !in_open_range(&g, &p) {
            return Err(invalid());
        }
        let modulus = Option::<Odd<BoxedUint>>::from(Odd::new(p)).ok_or_else(invalid)?;
        Ok(Self {
            named,
            prime: prime.to_vec(),
            generator: generator.to_vec(),
            params: BoxedMontyParams::new_vartime(modulus),
            exponent_bits,
        })
    }

    /// The RFC 7919 group this is, if it is one.
    pub fn named_group(&self) -> Option<NamedGroup> {
        self.named
    }

    /// p, big-endian, without leading zeros (`dh_p`).
    pub fn prime(&self) -> &[u8] {
        &self.prime
    }

    /// g, big-endian, without leading zeros (`dh_g`).
    pub fn generator(&self) -> &[u8] {
        &self.generator
    }

    /// The length of p in bytes: that of a padded public value or secret.
    pub fn len(&self) -> usize {
        self.prime.len()
    }

    /// Whether p has no bytes; never true of a built group.
    pub fn is_empty(&self) -> bool {
        self.prime.is_empty()
    }

    /// The private exponent size in bits.
    pub fn exponent_bits(&self) -> u32 {
        self.exponent_bits
    }

    /// `base^exponent mod p`, as big-endian bytes padded to [`Self::len`].
    fn pow(&self, base: &BoxedUint, exponent: &BoxedUint) -> Result<Zeroizing<Vec<u8>>, Error> {
        let result = BoxedMontyForm::new(base.clone(), &self.params)
            .pow_bounded_exp(exponent, self.exponent_bits)
            .retrieve();
        let bytes = Zeroizing::new(result.to_be_bytes());
        // The precision is p's rounded up to whole limbs; the value is
        // below p, so the bytes above p's length are zero.
        let skip = bytes.len().saturating_sub(self.len());
        Ok(Zeroizing::new(
            bytes.get(skip..).unwrap_or_default().to_vec(),
        ))
    }

    /// The peer's public value as an integer when 1 < Y < p − 1 (RFC 7919
    /// §5.1, RFC 8446 §4.2.8.1), `None` otherwise (including a value
    /// longer than p).
    fn peer_value(&self, peer: &[u8]) -> Option<BoxedUint> {
        let peer = strip_leading_zeros(peer);
        let y = BoxedUint::from_be_slice(peer, self.params.bits_precision()).ok()?;
        in_open_range(&y, self.params.modulus().as_ref()).then_some(y)
    }
}

/// One side's ephemeral key pair in a [`DhGroup`]: generated, its public
/// value sent, then consumed by a `complete` with the peer's.
pub struct DhKeyPair {
    group: Arc<DhGroup>,
    private: BoxedUint,
    public: Vec<u8>,
}

impl core::fmt::Debug for DhKeyPair {
    /// Shows the group and public value only.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DhKeyPair")
            .field("group", &self.group)
            .field("public", &hex::encode(&self.public))
            .finish_non_exhaustive()
    }
}

impl Drop for DhKeyPair {
    fn drop(&mut self) {
        self.private.zeroize();
    }
}

impl DhKeyPair {
    /// Draws a private exponent of the group's size from `rng` (the low
    /// [`DhGroup::exponent_bits`] bits of as many whole bytes, top bit
    /// set) and computes g^x mod p. Fails only with `rng`'s error.
    pub fn generate(group: Arc<DhGroup>, rng: &dyn SecureRandom) -> Result<Self, Error> {
        let bits = group.exponent_bits;
        let mut draw = Zeroizing::new(vec![0u8; bits.div_ceil(8) as usize]);
        rng.fill(&mut draw)?;
        let top_bits = bits - 8 * (bits.div_ceil(8) - 1);
        if let Some(top) = draw.first_mut() {
            *top &= u8::MAX >> (8 - top_bits);
            *top |= 1 << (top_bits - 1);
        }
        let private = BoxedUint::from_be_slice(&draw, bits)
            .map_err(|_| Error::IllegalParameter(IllegalParameterReason::DhParameters))?;
        let generator =
            BoxedUint::from_be_slice(&group.generator, group.params.bits_precision())
                .map_err(|_| Error::IllegalParameter(IllegalParameterReason::DhParameters))?;
        let public = group.pow(&generator, &private)?.to_vec();
        Ok(Self {
            group,
            private,
            public,
        })
    }

    /// The group of this key pair.
    pub fn group(&self) -> &DhGroup {
        &self.group
    }

    /// The public value, left-padded to the length of p: the TLS 1.3
    /// `key_exchange` form (RFC 8446 §4.2.8.1), also valid as a TLS 1.2
    /// `dh_Ys`/`dh_Yc`, whose leading zeros a peer reads as part of the
    /// integer.
    pub fn public_key(&self) -> &[u8] {
        &self.public
    }

    /// Completes a TLS 1.3 exchange: the peer's share must have exactly
    /// the length of p (RFC 8446 §4.2.8.1) and satisfy 1 < Y < p − 1;
    /// the secret is Z left-padded to the length of p (RFC 8446 §7.4.1).
    /// Fails with [`Error::IllegalParameter`], as an invalid curve share
    /// does.
    pub fn complete(self, peer: &[u8]) -> Result<Secret, Error> {
        if peer.len() != self.group.len() {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::KeyShareLength,
            ));
        }
        let y = self.group.peer_value(peer).ok_or(Error::IllegalParameter(
            IllegalParameterReason::KeyShareInvalid,
        ))?;
        let shared = self.group.pow(&y, &self.private)?;
        Ok(Secret::from_slice(&shared))
    }

    /// Completes a TLS 1.2 exchange: the peer's `dh_Ys` or `dh_Yc` may
    /// carry leading zeros or not, and must satisfy 1 < Y < p − 1, else
    /// [`Error::HandshakeFailure`] (RFC 7919 §3 for the client, §4 for the
    /// server). The premaster secret is Z with its leading zero bytes
    /// stripped (RFC 5246 §8.1.2).
    pub fn complete_tls12(self, peer: &[u8]) -> Result<Secret, Error> {
        let y = self.group.peer_value(peer).ok_or(Error::HandshakeFailure(
            HandshakeFailureReason::DhPublicOutOfRange,
        ))?;
        let shared = self.group.pow(&y, &self.private)?;
        Ok(Secret::from_slice(strip_leading_zeros(&shared)))
    }
}

/// Whether 1 < `value` < `modulus` − 1 (both of the same precision).
fn in_open_range(value: &BoxedUint, modulus: &BoxedUint) -> bool {
    let one = BoxedUint::one_with_precision(modulus.bits_precision());
    let upper = modulus.wrapping_sub(&one);
    *value > one && *value < upper
}

/// `bytes` without its leading zero bytes (big-endian integers; public
/// values and parameters only, or a secret whose length RFC 5246 §8.1.2
/// makes public).
fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// The bit length of a big-endian integer.
fn bit_length(bytes: &[u8]) -> u32 {
    let bytes = strip_leading_zeros(bytes);
    match bytes.first() {
        Some(top) => (bytes.len() as u32 - 1) * 8 + (8 - top.leading_zeros()),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::rng::OsRng;

    #[test]
    fn both_sides_agree_in_every_named_group() {
        for (group, ..) in NAMED_GROUPS {
            let named = DhGroup::named(group).unwrap();
            let a = DhKeyPair::generate(named.clone(), &OsRng::new()).unwrap();
            let b = DhKeyPair::generate(named.clone(), &OsRng::new()).unwrap();
            assert_eq!(a.public_key().len(), named.len());
            let (a_public, b_public) = (a.public_key().to_vec(), b.public_key().to_vec());
            let ab = a.complete(&b_public).unwrap();
            let ba = b.complete(&a_public).unwrap();
            assert_eq!(ab.as_bytes(), ba.as_bytes(), "{group:?}");
            assert_eq!(ab.as_bytes().len(), named.len());
        }
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[0, 0]), 0);
        assert_eq!(bit_length(&[1]), 1);
        assert_eq!(bit_length(&[0, 0x80, 0]), 16);
    }
}
