//! RSA key exchange (RFC 5246 §7.4.7.1, RFC 4346 §7.4.7.1, RFC 2246
//! §7.4.7.1): the client encrypts a 48-byte premaster secret to the
//! server certificate's key with RSAES-PKCS1-v1_5; the server decrypts it.
//!
//! The server side is built not to be a padding oracle (Bleichenbacher
//! 1998, ROBOT 2017; RFC 5246 §7.4.7.1): a random premaster secret is
//! drawn *before* decryption, and whatever goes wrong afterwards — a
//! ciphertext of the wrong length, bad padding (the `rsa` crate's implicit
//! rejection already hides that), a plaintext that is not 48 bytes, or
//! wrong version bytes — is folded into one secret flag that picks the
//! random premaster instead of the decrypted one, byte by byte with
//! `subtle`. No error ever leaves this module for those cases: the
//! handshake goes on and fails at Finished like any other wrong key.
//!
//! RSA itself comes from the `rsa` crate under feature `legacy`; without
//! it encryption and decryption fail with [`Error::Crypto`] (no RSA
//! key-exchange suite is ever negotiated then).

#[cfg(feature = "legacy")]
use subtle::{ConditionallySelectable, ConstantTimeEq};

#[cfg(feature = "legacy")]
use crate::crypto::rng::RandCore;
use crate::crypto::rng::{random_array, SecureRandom};
use crate::crypto::secret::Secret;
use crate::crypto::sign::SigningKey;
use crate::error::{CryptoReason, Error};
use crate::msgs::enums::ProtocolVersion;

/// The premaster secret's length: two version bytes and 46 random ones
/// (RFC 5246 §7.4.7.1, `PreMasterSecret`).
pub const PREMASTER_LEN: usize = 48;

/// The client's premaster secret: `client_version` (the version its
/// ClientHello announced, not the negotiated one, RFC 5246 §7.4.7.1) and
/// 46 random bytes.
pub fn client_premaster(
    client_version: ProtocolVersion,
    rng: &dyn SecureRandom,
) -> Result<Secret, Error> {
    let mut premaster = Secret::new(random_array::<PREMASTER_LEN>(rng)?.to_vec());
    if let Some(version) = premaster.as_mut_bytes().get_mut(..2) {
        version.copy_from_slice(&u16::from(client_version).to_be_bytes());
    }
    Ok(premaster)
}

/// The error of the RSA operations without feature `legacy`.
#[cfg(not(feature = "legacy"))]
const NEEDS_LEGACY: Error = Error::Crypto(CryptoReason::RsaKxNeedsLegacy);

/// Encrypts `premaster` to the server's RSA public key (`der`: a PKCS#1
/// `RSAPublicKey`, as taken from its certificate) with RSAES-PKCS1-v1_5
/// (RFC 8017 §7.2.1). Fails with [`Error::IllegalParameter`] for a key that
/// does not parse, [`Error::Crypto`] when encryption fails.
#[cfg(feature = "legacy")]
pub fn encrypt_premaster(
    der: &[u8],
    premaster: &Secret,
    rng: &dyn SecureRandom,
) -> Result<Vec<u8>, Error> {
    use rsa::pkcs1::DecodeRsaPublicKey;
    let key = rsa::PublicKey::from_pkcs1_der(der).map_err(|_| {
        Error::IllegalParameter(crate::error::IllegalParameterReason::MalformedRsaKey)
    })?;
    key.encrypt(
        &mut RandCore(rng),
        rsa::Pkcs1v15Encrypt,
        premaster.as_bytes(),
    )
    .map_err(|_| Error::Crypto(CryptoReason::RsaEncryptionFailed))
}

/// Without feature `legacy`: always [`Error::Crypto`].
#[cfg(not(feature = "legacy"))]
pub fn encrypt_premaster(
    _der: &[u8],
    _premaster: &Secret,
    _rng: &dyn SecureRandom,
) -> Result<Vec<u8>, Error> {
    Err(NEEDS_LEGACY)
}

/// The server's premaster secret from the client's `encrypted` one.
///
/// Always returns 48 bytes, never a decryption error: the decrypted
/// premaster when the ciphertext decrypts under `key` to exactly 48 bytes
/// whose first two are `client_version` (the ClientHello's, RFC 5246
/// §7.4.7.1), otherwise a random premaster drawn from `rng` before
/// decrypting. Which of the two is returned is decided in constant time;
/// a wrong guess shows only later, as a Finished that does not verify.
///
/// Fails only when `rng` fails or `key` is not an RSA key
/// ([`Error::Crypto`]) — conditions that do not depend on the ciphertext.
#[cfg(feature = "legacy")]
pub fn decrypt_premaster(
    key: &SigningKey,
    encrypted: &[u8],
    client_version: ProtocolVersion,
    rng: &dyn SecureRandom,
) -> Result<Secret, Error> {
    let private = key
        .rsa_private_key()
        .ok_or(Error::Crypto(CryptoReason::RsaKxNeedsRsaKey))?;
    let random = Secret::new(random_array::<PREMASTER_LEN>(rng)?.to_vec());
    let decrypted = zeroize::Zeroizing::new(
        private
            .decrypt_blinded(&mut RandCore(rng), rsa::Pkcs1v15Encrypt, encrypted)
            .unwrap_or_default(),
    );
    let length_ok = (decrypted.len() as u64).ct_eq(&(PREMASTER_LEN as u64));
    let version = u16::from(client_version).to_be_bytes();
    let mut version_ok = subtle::Choice::from(1);
    for (i, expected) in version.iter().enumerate() {
        version_ok &= decrypted.get(i).copied().unwrap_or(0).ct_eq(expected);
    }
    let use_decrypted = length_ok & version_ok;
    let mut premaster = Secret::zeroed(PREMASTER_LEN);
    for (i, (out, fallback)) in premaster
        .as_mut_bytes()
        .iter_mut()
        .zip(random.as_bytes())
        .enumerate()
    {
        let candidate = decrypted.get(i).copied().unwrap_or(0);
        *out = u8::conditional_select(fallback, &candidate, use_decrypted);
    }
    Ok(premaster)
}

/// Without feature `legacy`: always [`Error::Crypto`].
#[cfg(not(feature = "legacy"))]
pub fn decrypt_premaster(
    _key: &SigningKey,
    _encrypted: &[u8],
    _client_version: ProtocolVersion,
    _rng: &dyn SecureRandom,
) -> Result<Secret, Error> {
    Err(NEEDS_LEGACY)
}
