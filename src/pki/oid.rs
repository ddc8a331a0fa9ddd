//! The OBJECT IDENTIFIER contents octets X.509 processing compares
//! against (X.690 §8.19 encoding of the dotted forms in the comments).

/// rsaEncryption, 1.2.840.113549.1.1.1 (RFC 8017 Appendix C).
pub const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// md2WithRSAEncryption, 1.2.840.113549.1.1.2 (refused).
pub const MD2_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02];
/// md5WithRSAEncryption, 1.2.840.113549.1.1.4 (refused).
pub const MD5_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04];
/// sha1WithRSAEncryption, 1.2.840.113549.1.1.5 (refused).
pub const SHA1_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05];
/// id-RSASSA-PSS, 1.2.840.113549.1.1.10 (RFC 4055 §3).
pub const RSASSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
/// sha256WithRSAEncryption, 1.2.840.113549.1.1.11 (RFC 4055 §5).
pub const SHA256_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
/// sha384WithRSAEncryption, 1.2.840.113549.1.1.12.
pub const SHA384_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c];
/// sha512WithRSAEncryption, 1.2.840.113549.1.1.13.
pub const SHA512_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d];
/// id-ecPublicKey, 1.2.840.10045.2.1 (RFC 5480 §2.1.1).
pub const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
/// secp256r1, 1.2.840.10045.3.1.7 (RFC 5480 §2.1.1.1).
pub const P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
/// secp384r1, 1.3.132.0.34.
pub const P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
/// secp521r1, 1.3.132.0.35.
pub const P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];
/// ecdsa-with-SHA1, 1.2.840.10045.4.1 (refused).
pub const ECDSA_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01];
/// ecdsa-with-SHA256, 1.2.840.10045.4.3.2 (RFC 5758 §3.2).
pub const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
/// ecdsa-with-SHA384, 1.2.840.10045.4.3.3.
pub const ECDSA_SHA384: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03];
/// ecdsa-with-SHA512, 1.2.840.10045.4.3.4 (RFC 5758 §3.2).
pub const ECDSA_SHA512: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04];
/// id-Ed25519, 1.3.101.112 (RFC 8410 §3).
pub const ED25519: &[u8] = &[0x2b, 0x65, 0x70];
/// dsa-with-sha1, 1.2.840.10040.4.3 (refused).
pub const DSA_SHA1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03];
/// id-sha1, 1.3.14.3.2.26.
pub const SHA1: &[u8] = &[0x2b, 0x0e, 0x03, 0x02, 0x1a];
/// id-sha256, 2.16.840.1.101.3.4.2.1.
pub const SHA256: &[u8] = &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01];
/// id-at-commonName, 2.5.4.3 (RFC 5280 Appendix A.1).
pub const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
/// id-emailAddress, 1.2.840.113549.1.9.1 (RFC 5280 Appendix A.1, legacy
/// email addresses in a subject, §4.1.2.6).
pub const EMAIL_ADDRESS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01];
/// id-ce-subjectKeyIdentifier, 2.5.29.14 (RFC 5280 §4.2.1.2).
pub const SUBJECT_KEY_IDENTIFIER: &[u8] = &[0x55, 0x1d, 0x0e];
/// id-ce-keyUsage, 2.5.29.15 (RFC 5280 §4.2.1.3).
pub const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
/// id-ce-issuerAltName, 2.5.29.18 (RFC 5280 §4.2.1.7).
pub const ISSUER_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x12];
/// id-ce-subjectAltName, 2.5.29.17 (RFC 5280 §4.2.1.6).
pub const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
/// id-ce-basicConstraints, 2.5.29.19 (RFC 5280 §4.2.1.9).
pub const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
/// id-ce-nameConstraints, 2.5.29.30 (RFC 5280 §4.2.1.10).
pub const NAME_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x1e];
/// id-ce-certificatePolicies, 2.5.29.32 (RFC 5280 §4.2.1.4).
pub const CERTIFICATE_POLICIES: &[u8] = &[0x55, 0x1d, 0x20];
/// anyPolicy, 2.5.29.32.0 (RFC 5280 §4.2.1.4): stands for every policy.
pub const ANY_POLICY: &[u8] = &[0x55, 0x1d, 0x20, 0x00];
/// id-qt-cps, 1.3.6.1.5.5.7.2.1: a CPS pointer qualifier (RFC 5280 §4.2.1.4).
pub const QT_CPS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x01];
/// id-qt-unotice, 1.3.6.1.5.5.7.2.2: a user notice qualifier (RFC 5280 §4.2.1.4).
pub const QT_UNOTICE: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x02, 0x02];
/// id-ce-policyMappings, 2.5.29.33 (RFC 5280 §4.2.1.5).
pub const POLICY_MAPPINGS: &[u8] = &[0x55, 0x1d, 0x21];
/// id-ce-authorityKeyIdentifier, 2.5.29.35 (RFC 5280 §4.2.1.1).
pub const AUTHORITY_KEY_IDENTIFIER: &[u8] = &[0x55, 0x1d, 0x23];
/// id-ce-policyConstraints, 2.5.29.36 (RFC 5280 §4.2.1.11).
pub const POLICY_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x24];
/// id-ce-extKeyUsage, 2.5.29.37 (RFC 5280 §4.2.1.12).
pub const EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
/// id-ce-inhibitAnyPolicy, 2.5.29.54 (RFC 5280 §4.2.1.14).
pub const INHIBIT_ANY_POLICY: &[u8] = &[0x55, 0x1d, 0x36];
/// anyExtendedKeyUsage, 2.5.29.37.0 (RFC 5280 §4.2.1.12).
pub const ANY_EXTENDED_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25, 0x00];
/// id-pe-authorityInfoAccess, 1.3.6.1.5.5.7.1.1 (RFC 5280 §4.2.2.1).
pub const AUTHORITY_INFO_ACCESS: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01];
/// id-kp-serverAuth, 1.3.6.1.5.5.7.3.1 (RFC 5280 §4.2.1.12).
pub const SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];
/// id-kp-clientAuth, 1.3.6.1.5.5.7.3.2.
pub const CLIENT_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02];

/// The contents octets of the OBJECT IDENTIFIER written in dotted decimal
/// (`2.23.140.1.2.1`), as X.690 §8.19 encodes it; `None` when the text
/// is not one (fewer than two arcs, a first arc above 2, a second arc
/// above 39 under 0 or 1, or an arc that is not a decimal number).
pub fn from_dotted(text: &str) -> Option<Vec<u8>> {
    let mut arcs = text.split('.').map(|arc| {
        if arc.is_empty() || !arc.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        arc.parse::<u64>().ok()
    });
    let first = arcs.next()??;
    let second = arcs.next()??;
    if first > 2 || (first < 2 && second > 39) {
        return None;
    }
    let mut out = Vec::new();
    push_base128(&mut out, first.checked_mul(40)?.checked_add(second)?);
    for arc in arcs {
        push_base128(&mut out, arc?);
    }
    Some(out)
}

/// One subidentifier in base 128, most significant group first, every
/// octet but the last with its top bit set (X.690 §8.19.2).
fn push_base128(out: &mut Vec<u8>, value: u64) {
    let groups = (1..10)
        .rev()
        .filter(|&i| value >> (7 * i) != 0)
        .max()
        .unwrap_or(0);
    for i in (1..=groups).rev() {
        out.push(0x80 | ((value >> (7 * i)) & 0x7f) as u8);
    }
    out.push((value & 0x7f) as u8);
}

/// id-kp-OCSPSigning, 1.3.6.1.5.5.7.3.9 (RFC 6960 §4.2.2.2).
pub const OCSP_SIGNING: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x09];
/// id-pkix-ocsp-nocheck, 1.3.6.1.5.5.7.48.1.5 (RFC 6960 §4.2.2.2.1).
pub const OCSP_NO_CHECK: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x05];
/// id-ce-cRLNumber, 2.5.29.20 (RFC 5280 §5.2.3).
pub const CRL_NUMBER: &[u8] = &[0x55, 0x1d, 0x14];
/// id-ce-cRLReasons, 2.5.29.21 (RFC 5280 §5.3.1).
pub const CRL_REASON: &[u8] = &[0x55, 0x1d, 0x15];
/// id-ce-invalidityDate, 2.5.29.24 (RFC 5280 §5.3.2).
pub const INVALIDITY_DATE: &[u8] = &[0x55, 0x1d, 0x18];
/// id-ce-deltaCRLIndicator, 2.5.29.27 (RFC 5280 §5.2.4).
pub const DELTA_CRL_INDICATOR: &[u8] = &[0x55, 0x1d, 0x1b];
/// id-ce-issuingDistributionPoint, 2.5.29.28 (RFC 5280 §5.2.5).
pub const ISSUING_DISTRIBUTION_POINT: &[u8] = &[0x55, 0x1d, 0x1c];
/// id-ce-cRLDistributionPoints, 2.5.29.31 (RFC 5280 §4.2.1.13).
pub const CRL_DISTRIBUTION_POINTS: &[u8] = &[0x55, 0x1d, 0x1f];
/// id-ce-certificateIssuer, 2.5.29.29 (RFC 5280 §5.3.3).
pub const CERTIFICATE_ISSUER: &[u8] = &[0x55, 0x1d, 0x1d];
/// id-pkix-ocsp-basic, 1.3.6.1.5.5.7.48.1.1 (RFC 6960 §4.2.1).
pub const OCSP_BASIC: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotted_oids_encode_as_der_contents() {
        assert_eq!(from_dotted("2.5.29.32.0").as_deref(), Some(ANY_POLICY));
        assert_eq!(
            from_dotted("1.3.6.1.5.5.7.3.1").as_deref(),
            Some(SERVER_AUTH)
        );
        assert_eq!(
            from_dotted("1.3.6.1.5.5.7.48.1.5").as_deref(),
            Some(OCSP_NO_CHECK)
        );
        // 2.23.140.1.2.1: BR domain-validated; 140 takes two octets.
        assert_eq!(
            from_dotted("2.23.140.1.2.1"),
            Some(vec![0x67, 0x81, 0x0c, 0x01, 0x02, 0x01])
        );
        for bad in ["", "1", "3.1", "1.40", "1..2", "1.2.x", "1.2.-3", " 1.2"] {
            assert_eq!(from_dotted(bad), None, "{bad:?}");
        }
    }
}
