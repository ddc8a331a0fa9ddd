//! AlgorithmIdentifiers and SubjectPublicKeyInfo: what X.509 names by OID,
//! mapped onto the crate's [`SignatureAlgorithm`] and [`PublicKey`].
//!
//! Accepted signatures (RFC 4055, RFC 5758, RFC 8410): sha256/384/512
//! WithRSAEncryption, RSASSA-PSS with SHA-256/384/512, MGF1 over the same
//! hash and a salt of the hash length, ecdsa-with-SHA256/384 and Ed25519.
//! SHA-1 and MD5 based signatures are refused by name.

use super::oid;
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::rsa_pss::{self, PssParamsError};
use crate::crypto::verify::{PublicKey, SignatureAlgorithm};
use crate::der::{bit_length, encode, tag, Der};
use crate::error::CertificateError;

/// The smallest RSA modulus accepted in a certificate, in bits (CA/Browser
/// Forum baseline requirements §6.1.5).
pub const MIN_RSA_MODULUS_BITS: usize = 2048;

/// The largest RSA modulus accepted in a certificate, in bits (the range
/// the signature layer verifies).
pub const MAX_RSA_MODULUS_BITS: usize = 8192;

/// The bytes of an uncompressed P-256 point (SEC 1 §2.3.3).
const P256_POINT_LEN: usize = 65;
/// The bytes of an uncompressed P-384 point.
const P384_POINT_LEN: usize = 97;
/// The bytes of an uncompressed P-521 point.
const P521_POINT_LEN: usize = 133;
/// The bytes of an Ed25519 public key (RFC 8032 §5.1.5).
const ED25519_KEY_LEN: usize = 32;

fn refused(why: &'static str) -> CertificateError {
    CertificateError::UnsupportedSignatureAlgorithm(why)
}

/// Maps a signature AlgorithmIdentifier (the whole DER SEQUENCE) to the
/// algorithm that verifies it. Refused and unknown algorithms are
/// [`CertificateError::UnsupportedSignatureAlgorithm`] naming the reason.
pub fn signature_algorithm(algorithm_id: &[u8]) -> Result<SignatureAlgorithm, CertificateError> {
    Der::new(algorithm_id).sequence(|seq| {
        let id = seq.oid()?;
        let rsa_pkcs1 = |seq: &mut Der<'_>, hash| {
            // RFC 4055 §5: parameters NULL, absent accepted.
            if !seq.is_empty() {
                seq.null()?;
            }
            Ok(SignatureAlgorithm::RsaPkcs1(hash))
        };
        match id {
            oid::SHA256_RSA => rsa_pkcs1(seq, HashAlgorithm::Sha256),
            oid::SHA384_RSA => rsa_pkcs1(seq, HashAlgorithm::Sha384),
            oid::SHA512_RSA => rsa_pkcs1(seq, HashAlgorithm::Sha512),
            oid::RSASSA_PSS => pss_parameters(seq).map(SignatureAlgorithm::RsaPss),
            oid::ECDSA_SHA256 | oid::ECDSA_SHA384 | oid::ECDSA_SHA512 | oid::ED25519
                if !seq.is_empty() =>
            {
                Err(CertificateError::BadEncoding(
                    "ECDSA/Ed25519 AlgorithmIdentifier with parameters",
                ))
            }
            oid::ECDSA_SHA256 => Ok(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha256)),
            oid::ECDSA_SHA384 => Ok(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha384)),
            oid::ECDSA_SHA512 => Ok(SignatureAlgorithm::Ecdsa(HashAlgorithm::Sha512)),
            oid::ED25519 => Ok(SignatureAlgorithm::Ed25519),
            oid::SHA1_RSA | oid::ECDSA_SHA1 | oid::DSA_SHA1 => {
                Err(refused("SHA-1 signatures are refused"))
            }
            oid::MD5_RSA | oid::MD2_RSA => Err(refused("MD5 and MD2 signatures are refused")),
            _ => Err(refused("unknown signature algorithm")),
        }
    })
}

/// RSASSA-PSS-params of a signature AlgorithmIdentifier (RFC 4055 §3.1,
/// [`rsa_pss::parse`]), with the salt exactly as long as the hash (RFC
/// 8446 §4.2.3 signs with that salt, and the Web PKI uses no other).
fn pss_parameters(seq: &mut Der<'_>) -> Result<HashAlgorithm, CertificateError> {
    let params = rsa_pss::parse(seq.read(tag::SEQUENCE)?).map_err(|e| match e {
        PssParamsError::Malformed(why) => CertificateError::BadEncoding(why),
        PssParamsError::Refused(why) => refused(why),
    })?;
    if params.salt_len != params.hash.output_len() {
        return Err(refused(
            "RSASSA-PSS salt length differs from the hash length",
        ));
    }
    Ok(params.hash)
}

/// Parses a SubjectPublicKeyInfo (the whole DER SEQUENCE, RFC 5280
/// §4.1.2.7) into a [`PublicKey`]: RSA (RFC 3279 §2.3.1, 2048–8192 bits),
/// RSA with the id-RSASSA-PSS OID and optional parameters (RFC 4055 §3.1,
/// see [`rsa_pss::key_hash`]),
/// EC on P-256, P-384 or P-521 with an uncompressed point (RFC 5480), Ed25519
/// (RFC 8410 §4). Anything else is [`CertificateError::UnsupportedKey`].
pub fn public_key(spki: &[u8]) -> Result<PublicKey, CertificateError> {
    Der::new(spki).sequence(|seq| {
        let (id, mut params) = seq.sequence(|alg| -> Result<_, CertificateError> {
            let id = alg.oid()?;
            let params = alg.element().ok();
            alg.finish()?;
            Ok((id, params))
        })?;
        let key = seq.bit_string()?.octets()?;
        match id {
            oid::RSA_ENCRYPTION => {
                match params.take() {
                    Some(p) if p.tag == tag::NULL && p.value.is_empty() => {}
                    _ => return Err(CertificateError::BadEncoding("RSA key parameters not NULL")),
                }
                check_rsa_key(key)?;
                Ok(PublicKey::Rsa(key.to_vec()))
            }
            oid::RSASSA_PSS => {
                let params = match params.take() {
                    Some(p) if p.tag == tag::SEQUENCE => Some(p.value),
                    Some(_) => {
                        return Err(CertificateError::BadEncoding(
                            "RSASSA-PSS key parameters not a SEQUENCE",
                        ))
                    }
                    None => None,
                };
                let hash = rsa_pss::key_hash(params).map_err(|e| match e {
                    PssParamsError::Malformed(why) => CertificateError::BadEncoding(why),
                    PssParamsError::Refused(why) => CertificateError::UnsupportedKey(why),
                })?;
                check_rsa_key(key)?;
                Ok(PublicKey::RsaPss {
                    key: key.to_vec(),
                    hash,
                })
            }
            oid::EC_PUBLIC_KEY => {
                let curve = match params.take() {
                    Some(p) if p.tag == tag::OID => p.value,
                    _ => {
                        return Err(CertificateError::UnsupportedKey(
                            "EC key without a named curve",
                        ))
                    }
                };
                let (len, make): (usize, fn(Vec<u8>) -> PublicKey) = match curve {
                    oid::P256 => (P256_POINT_LEN, PublicKey::EcdsaP256),
                    oid::P384 => (P384_POINT_LEN, PublicKey::EcdsaP384),
                    oid::P521 => (P521_POINT_LEN, PublicKey::EcdsaP521),
                    _ => {
                        return Err(CertificateError::UnsupportedKey(
                            "EC curve not P-256, P-384 or P-521",
                        ))
                    }
                };
                if key.len() != len || key.first() != Some(&0x04) {
                    return Err(CertificateError::UnsupportedKey(
                        "EC point not uncompressed",
                    ));
                }
                Ok(make(key.to_vec()))
            }
            oid::ED25519 => {
                if params.is_some() {
                    return Err(CertificateError::BadEncoding("Ed25519 key with parameters"));
                }
                if key.len() != ED25519_KEY_LEN {
                    return Err(CertificateError::BadEncoding("Ed25519 key not 32 bytes"));
                }
                Ok(PublicKey::Ed25519(key.to_vec()))
            }
            _ => Err(CertificateError::UnsupportedKey(
                "unknown public key algorithm",
            )),
        }
    })
}

/// The DER SubjectPublicKeyInfo of `key` (RFC 5280 §4.1.2.7): the
/// inverse of [`public_key`], and what `openssl pkey -pubout` writes for
/// the same key. A raw public key (RFC 7250 §3) is sent in this form. An
/// id-RSASSA-PSS key carries `pss_parameters` (the RSASSA-PSS-params
/// SEQUENCE's contents, RFC 4055 §3.1) as its key was made with them, or
/// none.
pub fn subject_public_key_info(key: &PublicKey, pss_parameters: Option<&[u8]>) -> Vec<u8> {
    let oid_of = |oid: &[u8]| encode(tag::OID, oid);
    let algorithm: Vec<u8> = match key {
        PublicKey::Rsa(_) => [oid_of(oid::RSA_ENCRYPTION), encode(tag::NULL, &[])].concat(),
        PublicKey::RsaPss { .. } => [
            oid_of(oid::RSASSA_PSS),
            pss_parameters
                .map(|params| encode(tag::SEQUENCE, params))
                .unwrap_or_default(),
        ]
        .concat(),
        PublicKey::EcdsaP256(_) => [oid_of(oid::EC_PUBLIC_KEY), oid_of(oid::P256)].concat(),
        PublicKey::EcdsaP384(_) => [oid_of(oid::EC_PUBLIC_KEY), oid_of(oid::P384)].concat(),
        PublicKey::EcdsaP521(_) => [oid_of(oid::EC_PUBLIC_KEY), oid_of(oid::P521)].concat(),
        PublicKey::Ed25519(_) => oid_of(oid::ED25519),
    };
    let bits = [&[0u8][..], key.as_bytes()].concat();
    encode(
        tag::SEQUENCE,
        &[
            encode(tag::SEQUENCE, &algorithm),
            encode(tag::BIT_STRING, &bits),
        ]
        .concat(),
    )
}

/// Checks an RSAPublicKey (RFC 8017 §A.1.1): two positive minimal
/// INTEGERs, a modulus of 2048–8192 bits in whole octets (Mozilla Root
/// Store Policy §5.1: "RSA keys whose modulus size in bits is divisible
/// by 8").
fn check_rsa_key(key: &[u8]) -> Result<(), CertificateError> {
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER },
    // both positive (RFC 8017 §A.1.1), filling the BIT STRING exactly.
    let mut seq = Der::whole(key, tag::SEQUENCE)?;
    let modulus = seq.positive_integer()?;
    seq.positive_integer()?;
    seq.finish()?;
    if !(MIN_RSA_MODULUS_BITS..=MAX_RSA_MODULUS_BITS).contains(&bit_length(modulus)) {
        return Err(CertificateError::UnsupportedKey(
            "RSA modulus outside 2048-8192 bits",
        ));
    }
    if !bit_length(modulus).is_multiple_of(8) {
        return Err(CertificateError::UnsupportedKey(
            "RSA modulus not a whole number of octets",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A DER RSAPublicKey with a 2048-bit modulus, the given exponent
    /// octets and `trailing` bytes inside the SEQUENCE.
    fn rsa_public_key(exponent: &[u8], trailing: &[u8]) -> Vec<u8> {
        let mut modulus = vec![0x02, 0x82, 0x01, 0x01, 0x00];
        modulus.extend([0xc1; 256]);
        let mut body = modulus;
        body.extend([0x02, exponent.len() as u8]);
        body.extend(exponent);
        body.extend(trailing);
        let mut der = vec![0x30, 0x82];
        der.extend((body.len() as u16).to_be_bytes());
        der.extend(body);
        der
    }

    #[test]
    fn rsa_keys_need_positive_components_and_nothing_after_them() {
        assert_eq!(check_rsa_key(&rsa_public_key(&[1, 0, 1], &[])), Ok(()));
        assert!(
            check_rsa_key(&rsa_public_key(&[0], &[])).is_err(),
            "zero exponent"
        );
        assert!(
            check_rsa_key(&rsa_public_key(&[0x81], &[])).is_err(),
            "negative exponent"
        );
        assert!(
            check_rsa_key(&rsa_public_key(&[1, 0, 1], &[0x05, 0x00])).is_err(),
            "trailing element"
        );
        let mut outside = rsa_public_key(&[1, 0, 1], &[]);
        outside.push(0);
        assert!(check_rsa_key(&outside).is_err(), "bytes after the SEQUENCE");
    }
}
