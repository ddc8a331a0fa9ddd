//! RSASSA-PSS-params (RFC 4055 §3.1), as X.509 signature
//! AlgorithmIdentifiers, SubjectPublicKeyInfos and PKCS#8 keys carry them:
//! one parser for the three, here because both the key loader
//! ([`crate::crypto::sign`]) and `pki` read them.
//!
//! Accepted: a hash of SHA-256/384/512, mask generation MGF1 over the same
//! hash, an explicit salt length, the default trailer field. The SHA-1
//! defaults of absent fields are refused by name.

use crate::crypto::hash::HashAlgorithm;
use crate::der::{tag, Der};
use crate::error::DerError;

/// DER contents of id-sha1 1.3.14.3.2.26.
const OID_SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
/// DER contents of id-sha256 2.16.840.1.101.3.4.2.1 (RFC 4055 §2.1).
const OID_SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/// DER contents of id-sha384 2.16.840.1.101.3.4.2.2.
const OID_SHA384: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02];
/// DER contents of id-sha512 2.16.840.1.101.3.4.2.3.
const OID_SHA512: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03];
/// DER contents of id-mgf1 1.2.840.113549.1.1.8 (RFC 4055 §2.2).
const OID_MGF1: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08];

/// Why RSASSA-PSS parameters were not accepted; the text says which rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PssParamsError {
    /// Not DER for RSASSA-PSS-params (X.690 §10, RFC 4055 §3.1).
    Malformed(&'static str),
    /// Well-formed, but a choice this crate refuses.
    Refused(&'static str),
}

impl From<DerError> for PssParamsError {
    fn from(e: DerError) -> Self {
        Self::Malformed(e.text())
    }
}

/// The fields of RSASSA-PSS-params that matter once checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PssParams {
    /// The message hash, also MGF1's.
    pub hash: HashAlgorithm,
    /// The salt length: exact in a signature's parameters, the minimum in
    /// a key's (RFC 4055 §3.1).
    pub salt_len: usize,
}

/// Parses RSASSA-PSS-params from the contents of its SEQUENCE.
pub fn parse(contents: &[u8]) -> Result<PssParams, PssParamsError> {
    let refused = PssParamsError::Refused;
    let mut params = Der::new(contents);
    let hash = match params.optional(tag::context_constructed(0))? {
        Some(inner) => {
            let mut inner = Der::new(inner);
            let hash = hash_algorithm(&mut inner)?;
            inner.finish()?;
            hash
        }
        None => return Err(refused("RSASSA-PSS with the default SHA-1 hash is refused")),
    };
    let mgf = params
        .optional(tag::context_constructed(1))?
        .ok_or(refused("RSASSA-PSS with the default MGF1-SHA-1 is refused"))?;
    let mut mgf = Der::new(mgf);
    mgf.sequence(|mgf| {
        if mgf.oid()? != OID_MGF1 {
            return Err(refused("RSASSA-PSS with a mask generation other than MGF1"));
        }
        if hash_algorithm(mgf)? != hash {
            return Err(refused(
                "RSASSA-PSS with an MGF1 hash unlike the message hash",
            ));
        }
        Ok(())
    })?;
    mgf.finish()?;
    let salt = params
        .optional(tag::context_constructed(2))?
        .ok_or(refused(
            "RSASSA-PSS with the default 20-byte salt is refused",
        ))?;
    let mut salt = Der::new(salt);
    let salt_len = salt.small_unsigned()?;
    salt.finish()?;
    if params.peek_tag() == Some(tag::context_constructed(3)) {
        return Err(PssParamsError::Malformed(
            "RSASSA-PSS trailerField encoded although DEFAULT",
        ));
    }
    params.finish()?;
    let salt_len = usize::try_from(salt_len).map_err(|_| refused("RSASSA-PSS salt too long"))?;
    Ok(PssParams { hash, salt_len })
}

/// The hash the parameters of an id-RSASSA-PSS public key bind it to
/// (RFC 4055 §3.1), given the contents of the parameters SEQUENCE as an
/// SPKI or a PKCS#8 key carries it: `None` without parameters (the key
/// signs with any PSS hash). With parameters, every signature by the key
/// must use their hash and MGF1 over it, with a salt at least as long as
/// theirs (RFC 4055 §3.3); TLS signs with a salt of the hash length (RFC
/// 8446 §4.2.3), so a larger minimum salt is refused as a key nothing
/// here can sign or verify with.
pub fn key_hash(params: Option<&[u8]>) -> Result<Option<HashAlgorithm>, PssParamsError> {
    let Some(params) = params else {
        return Ok(None);
    };
    let PssParams { hash, salt_len } = parse(params)?;
    if salt_len > hash.output_len() {
        return Err(PssParamsError::Refused(
            "RSASSA-PSS key whose minimum salt exceeds the hash length",
        ));
    }
    Ok(Some(hash))
}

/// Reads a hash AlgorithmIdentifier (parameters NULL or absent, RFC 4055
/// §2.1) and returns the hash, refusing all but SHA-256/384/512.
fn hash_algorithm(seq: &mut Der<'_>) -> Result<HashAlgorithm, PssParamsError> {
    seq.sequence(|alg| {
        let id = alg.oid()?;
        if !alg.is_empty() {
            alg.null()?;
        }
        match id {
            OID_SHA256 => Ok(HashAlgorithm::Sha256),
            OID_SHA384 => Ok(HashAlgorithm::Sha384),
            OID_SHA512 => Ok(HashAlgorithm::Sha512),
            OID_SHA1 => Err(PssParamsError::Refused("RSASSA-PSS with SHA-1 is refused")),
            _ => Err(PssParamsError::Refused("RSASSA-PSS with an unknown hash")),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contents of RSASSA-PSS-params naming `hash` (SHA-256/384/512
    /// by its last OID octet 1/2/3), MGF1 over `mgf_hash` and `salt`.
    fn pss_params(hash: u8, mgf_hash: u8, salt: u8) -> Vec<u8> {
        let sha = |n: u8| {
            vec![
                0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, n, 0x05,
                0x00,
            ]
        };
        let mut out = vec![0xa0, 0x0f];
        out.extend(sha(hash));
        out.extend([0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09]);
        out.extend(OID_MGF1);
        out.extend(sha(mgf_hash));
        out.extend([0xa2, 0x03, 0x02, 0x01, salt]);
        out
    }

    #[test]
    fn pss_key_parameters_bind_the_hash_and_allow_salts_up_to_its_length() {
        assert_eq!(key_hash(None), Ok(None));
        assert_eq!(
            key_hash(Some(&pss_params(1, 1, 32))),
            Ok(Some(HashAlgorithm::Sha256))
        );
        assert_eq!(
            key_hash(Some(&pss_params(2, 2, 20))),
            Ok(Some(HashAlgorithm::Sha384)),
            "a smaller minimum salt still allows the hash-length salt"
        );
        assert!(matches!(
            key_hash(Some(&pss_params(2, 2, 49))),
            Err(PssParamsError::Refused(_))
        ));
        assert!(matches!(
            key_hash(Some(&pss_params(2, 1, 48))),
            Err(PssParamsError::Refused(_))
        ));
        assert!(
            key_hash(Some(&[])).is_err(),
            "empty parameters are the SHA-1 defaults"
        );
        let mut trailing = pss_params(1, 1, 32);
        trailing.extend([0x05, 0x00]);
        assert!(matches!(
            key_hash(Some(&trailing)),
            Err(PssParamsError::Malformed(_))
        ));
    }

    #[test]
    fn a_signature_salt_is_read_as_given() {
        assert_eq!(
            parse(&pss_params(3, 3, 64)),
            Ok(PssParams {
                hash: HashAlgorithm::Sha512,
                salt_len: 64
            })
        );
    }
}
