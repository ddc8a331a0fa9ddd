//! Human-facing names of wire values, for tools and logs: protocol
//! versions (`"1.3"` on a command line, `"TLSv1.3"` in reports), cipher
//! suites (IANA and OpenSSL spellings), named groups, signature schemes
//! and alert descriptions (the RFC 8446 §6 names).
//!
//! Parsing is case-insensitive; a name that is not known is `None`, never
//! a guess.

use crate::msgs::enums::{CipherSuite, NamedGroup, ProtocolVersion, SignatureScheme};

/// The cipher suites this crate can name: value, IANA name (IANA TLS
/// Cipher Suites registry) and OpenSSL name (`openssl ciphers -V`).
const CIPHER_SUITE_NAMES: &[(CipherSuite, &str, &str)] = &[
    (
        CipherSuite::TLS_AES_128_GCM_SHA256,
        "TLS_AES_128_GCM_SHA256",
        "TLS_AES_128_GCM_SHA256",
    ),
    (
        CipherSuite::TLS_AES_256_GCM_SHA384,
        "TLS_AES_256_GCM_SHA384",
        "TLS_AES_256_GCM_SHA384",
    ),
    (
        CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_CHACHA20_POLY1305_SHA256",
    ),
    (
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-ECDSA-AES128-GCM-SHA256",
    ),
    (
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "ECDHE-ECDSA-AES256-GCM-SHA384",
    ),
    (
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "ECDHE-RSA-AES128-GCM-SHA256",
    ),
    (
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "ECDHE-RSA-AES256-GCM-SHA384",
    ),
    (
        CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "ECDHE-RSA-CHACHA20-POLY1305",
    ),
    (
        CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "ECDHE-ECDSA-CHACHA20-POLY1305",
    ),
    (
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
        "ECDHE-ECDSA-AES128-SHA",
    ),
    (
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
        "ECDHE-ECDSA-AES256-SHA",
    ),
    (
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        "ECDHE-RSA-AES128-SHA",
    ),
    (
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA",
        "ECDHE-RSA-AES256-SHA",
    ),
    (
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        "ECDHE-ECDSA-AES128-SHA256",
    ),
    (
        CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
        "ECDHE-ECDSA-AES256-SHA384",
    ),
    (
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256",
        "ECDHE-RSA-AES128-SHA256",
    ),
    (
        CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384",
        "ECDHE-RSA-AES256-SHA384",
    ),
    (
        CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA,
        "TLS_RSA_WITH_AES_128_CBC_SHA",
        "AES128-SHA",
    ),
    (
        CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA,
        "TLS_RSA_WITH_AES_256_CBC_SHA",
        "AES256-SHA",
    ),
    (
        CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA256,
        "TLS_RSA_WITH_AES_128_CBC_SHA256",
        "AES128-SHA256",
    ),
    (
        CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA256,
        "TLS_RSA_WITH_AES_256_CBC_SHA256",
        "AES256-SHA256",
    ),
    (
        CipherSuite::TLS_RSA_WITH_AES_128_GCM_SHA256,
        "TLS_RSA_WITH_AES_128_GCM_SHA256",
        "AES128-GCM-SHA256",
    ),
    (
        CipherSuite::TLS_RSA_WITH_AES_256_GCM_SHA384,
        "TLS_RSA_WITH_AES_256_GCM_SHA384",
        "AES256-GCM-SHA384",
    ),
    (
        CipherSuite::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
        "DHE-RSA-AES128-GCM-SHA256",
    ),
    (
        CipherSuite::TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
        "DHE-RSA-AES256-GCM-SHA384",
    ),
    (
        CipherSuite::TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "DHE-RSA-CHACHA20-POLY1305",
    ),
];

/// A registry of values with an IANA name and tool aliases each.
type AliasedNames<T> = [(T, &'static str, &'static [&'static str])];

/// The groups this crate can name: value, IANA name (IANA TLS Supported
/// Groups registry), and the other spellings OpenSSL and GnuTLS use.
const GROUP_NAMES: &AliasedNames<NamedGroup> = &[
    (NamedGroup::X25519, "x25519", &[]),
    (NamedGroup::secp256r1, "secp256r1", &["P-256", "prime256v1"]),
    (NamedGroup::secp384r1, "secp384r1", &["P-384"]),
    (NamedGroup::secp521r1, "secp521r1", &["P-521"]),
    (NamedGroup::X448, "x448", &[]),
    (NamedGroup::ffdhe2048, "ffdhe2048", &[]),
    (NamedGroup::ffdhe3072, "ffdhe3072", &[]),
    (NamedGroup::ffdhe4096, "ffdhe4096", &[]),
    (NamedGroup::ffdhe6144, "ffdhe6144", &[]),
    (NamedGroup::ffdhe8192, "ffdhe8192", &[]),
    // draft-ietf-tls-ecdhe-mlkem; OpenSSL 3.5 and GnuTLS spell them so too.
    (NamedGroup::X25519MLKEM768, "X25519MLKEM768", &[]),
    (NamedGroup::SecP256r1MLKEM768, "SecP256r1MLKEM768", &[]),
    (NamedGroup::SecP384r1MLKEM1024, "SecP384r1MLKEM1024", &[]),
    // draft-ietf-tls-mlkem; OpenSSL 3.5 spells them so too.
    (NamedGroup::MLKEM512, "MLKEM512", &[]),
    (NamedGroup::MLKEM768, "MLKEM768", &[]),
    (NamedGroup::MLKEM1024, "MLKEM1024", &[]),
];

/// The signature schemes this crate can name: value, IANA name (IANA
/// TLS SignatureScheme registry, the variant's name) and the `KEY+HASH`
/// spellings OpenSSL's `-sigalgs` takes for the TLS 1.2 pairs (RFC 5246
/// §7.4.1.4.1); the RSA-PSS schemes go by their IANA names alone, since
/// OpenSSL's `RSA-PSS+HASH` names both of a pair.
const SIGNATURE_SCHEME_NAMES: &AliasedNames<SignatureScheme> = &[
    (
        SignatureScheme::rsa_pkcs1_sha1,
        "rsa_pkcs1_sha1",
        &["RSA+SHA1"],
    ),
    (SignatureScheme::ecdsa_sha1, "ecdsa_sha1", &["ECDSA+SHA1"]),
    (
        SignatureScheme::rsa_pkcs1_sha256,
        "rsa_pkcs1_sha256",
        &["RSA+SHA256"],
    ),
    (
        SignatureScheme::rsa_pkcs1_sha384,
        "rsa_pkcs1_sha384",
        &["RSA+SHA384"],
    ),
    (
        SignatureScheme::rsa_pkcs1_sha512,
        "rsa_pkcs1_sha512",
        &["RSA+SHA512"],
    ),
    (
        SignatureScheme::ecdsa_secp256r1_sha256,
        "ecdsa_secp256r1_sha256",
        &["ECDSA+SHA256"],
    ),
    (
        SignatureScheme::ecdsa_secp384r1_sha384,
        "ecdsa_secp384r1_sha384",
        &["ECDSA+SHA384"],
    ),
    (
        SignatureScheme::ecdsa_secp521r1_sha512,
        "ecdsa_secp521r1_sha512",
        &["ECDSA+SHA512"],
    ),
    (
        SignatureScheme::rsa_pss_rsae_sha256,
        "rsa_pss_rsae_sha256",
        &[],
    ),
    (
        SignatureScheme::rsa_pss_rsae_sha384,
        "rsa_pss_rsae_sha384",
        &[],
    ),
    (
        SignatureScheme::rsa_pss_rsae_sha512,
        "rsa_pss_rsae_sha512",
        &[],
    ),
    (SignatureScheme::ed25519, "ed25519", &[]),
    (SignatureScheme::ed448, "ed448", &[]),
    (
        SignatureScheme::rsa_pss_pss_sha256,
        "rsa_pss_pss_sha256",
        &[],
    ),
    (
        SignatureScheme::rsa_pss_pss_sha384,
        "rsa_pss_pss_sha384",
        &[],
    ),
    (
        SignatureScheme::rsa_pss_pss_sha512,
        "rsa_pss_pss_sha512",
        &[],
    ),
];

/// The versions this crate can name: value, short form (`1.3`) and report
/// form (`TLSv1.3`, as OpenSSL prints it).
const VERSION_NAMES: &[(ProtocolVersion, &str, &str)] = &[
    (ProtocolVersion::SSLv3, "3.0", "SSLv3"),
    (ProtocolVersion::TLSv1_0, "1.0", "TLSv1"),
    (ProtocolVersion::TLSv1_1, "1.1", "TLSv1.1"),
    (ProtocolVersion::TLSv1_2, "1.2", "TLSv1.2"),
    (ProtocolVersion::TLSv1_3, "1.3", "TLSv1.3"),
];

impl CipherSuite {
    /// The IANA registry name (`TLS_AES_128_GCM_SHA256`), or `None` for a
    /// suite this crate does not name (signalling values included).
    pub fn iana_name(self) -> Option<&'static str> {
        CIPHER_SUITE_NAMES
            .iter()
            .find(|(suite, _, _)| *suite == self)
            .map(|(_, iana, _)| *iana)
    }

    /// The suite called `name`, in its IANA or OpenSSL spelling
    /// (case-insensitive), or `None`.
    pub fn from_name(name: &str) -> Option<Self> {
        CIPHER_SUITE_NAMES
            .iter()
            .find(|(_, iana, openssl)| {
                iana.eq_ignore_ascii_case(name) || openssl.eq_ignore_ascii_case(name)
            })
            .map(|(suite, _, _)| *suite)
    }
}

/// The IANA name of `value` in `table`, or `None`.
fn iana_name_in<T: PartialEq>(table: &AliasedNames<T>, value: &T) -> Option<&'static str> {
    table
        .iter()
        .find(|(known, _, _)| known == value)
        .map(|(_, iana, _)| *iana)
}

/// The value of `table` called `name`, by IANA name or alias,
/// case-insensitive; `None` otherwise.
fn named_in<T: Copy>(table: &AliasedNames<T>, name: &str) -> Option<T> {
    table
        .iter()
        .find(|(_, iana, aliases)| {
            iana.eq_ignore_ascii_case(name) || aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
        .map(|(value, _, _)| *value)
}

impl NamedGroup {
    /// The IANA registry name (`x25519`, `secp256r1`), or `None`.
    pub fn iana_name(self) -> Option<&'static str> {
        iana_name_in(GROUP_NAMES, &self)
    }

    /// The group called `name`: its IANA name or an OpenSSL/GnuTLS alias
    /// (`P-256`, `prime256v1`), case-insensitive; `None` otherwise.
    pub fn from_name(name: &str) -> Option<Self> {
        named_in(GROUP_NAMES, name)
    }
}

impl SignatureScheme {
    /// The IANA registry name (`ecdsa_secp256r1_sha256`), or `None`.
    pub fn iana_name(self) -> Option<&'static str> {
        iana_name_in(SIGNATURE_SCHEME_NAMES, &self)
    }

    /// The scheme called `name`: its IANA name or OpenSSL's `KEY+HASH`
    /// spelling (`ECDSA+SHA256`), case-insensitive; `None` otherwise.
    pub fn from_name(name: &str) -> Option<Self> {
        named_in(SIGNATURE_SCHEME_NAMES, name)
    }
}

impl ProtocolVersion {
    /// The report name (`TLSv1.3`, `TLSv1` for 1.0 as OpenSSL writes it),
    /// or `None` for a value that is no SSL/TLS version.
    pub fn report_name(self) -> Option<&'static str> {
        VERSION_NAMES
            .iter()
            .find(|(version, _, _)| *version == self)
            .map(|(_, _, report)| *report)
    }

    /// The TLS version written `1.0`, `1.1`, `1.2` or `1.3` (also accepted:
    /// the report names such as `TLSv1.2`); `None` for anything else,
    /// SSL 3.0 included.
    pub fn from_short_name(name: &str) -> Option<Self> {
        VERSION_NAMES
            .iter()
            .filter(|(version, _, _)| *version != ProtocolVersion::SSLv3)
            .find(|(_, short, report)| *short == name || report.eq_ignore_ascii_case(name))
            .map(|(version, _, _)| *version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_suite_round_trips_through_both_spellings() {
        for (suite, iana, openssl) in CIPHER_SUITE_NAMES {
            assert_eq!(suite.iana_name(), Some(*iana));
            assert_eq!(CipherSuite::from_name(iana), Some(*suite));
            assert_eq!(CipherSuite::from_name(openssl), Some(*suite));
            // The variant is named after the IANA registry entry.
            assert_eq!(format!("{suite:?}"), *iana);
        }
    }

    #[test]
    fn suite_names_are_case_insensitive_and_unknown_names_are_none() {
        // Spellings from `openssl ciphers -V` (OpenSSL 3.0).
        assert_eq!(
            CipherSuite::from_name("ecdhe-rsa-aes128-gcm-sha256"),
            Some(CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
        );
        assert_eq!(CipherSuite::from_name("DES-CBC3-SHA"), None);
        assert_eq!(CipherSuite::TLS_FALLBACK_SCSV.iana_name(), None);
        assert_eq!(CipherSuite::Unknown(0x1304).iana_name(), None);
    }

    #[test]
    fn every_named_scheme_round_trips_and_openssl_spellings_parse() {
        for (scheme, iana, aliases) in SIGNATURE_SCHEME_NAMES {
            assert_eq!(scheme.iana_name(), Some(*iana));
            assert_eq!(SignatureScheme::from_name(iana), Some(*scheme));
            for alias in *aliases {
                assert_eq!(SignatureScheme::from_name(alias), Some(*scheme));
            }
            // The variant is named after the IANA registry entry.
            assert_eq!(format!("{scheme:?}"), *iana);
        }
        assert_eq!(
            SignatureScheme::from_name("ecdsa+sha256"),
            Some(SignatureScheme::ecdsa_secp256r1_sha256)
        );
        assert_eq!(SignatureScheme::from_name("RSA-PSS+SHA256"), None);
        assert_eq!(SignatureScheme::Unknown(0x0420).iana_name(), None);
    }

    #[test]
    fn groups_parse_from_iana_and_tool_spellings() {
        assert_eq!(NamedGroup::from_name("X25519"), Some(NamedGroup::X25519));
        assert_eq!(NamedGroup::from_name("P-256"), Some(NamedGroup::secp256r1));
        assert_eq!(
            NamedGroup::from_name("prime256v1"),
            Some(NamedGroup::secp256r1)
        );
        assert_eq!(
            NamedGroup::from_name("secp384r1"),
            Some(NamedGroup::secp384r1)
        );
        assert_eq!(NamedGroup::from_name("brainpool"), None);
        assert_eq!(NamedGroup::secp256r1.iana_name(), Some("secp256r1"));
        assert_eq!(NamedGroup::Unknown(7).iana_name(), None);
    }

    #[test]
    fn versions_parse_from_short_and_report_names() {
        assert_eq!(
            ProtocolVersion::from_short_name("1.3"),
            Some(ProtocolVersion::TLSv1_3)
        );
        assert_eq!(
            ProtocolVersion::from_short_name("1.0"),
            Some(ProtocolVersion::TLSv1_0)
        );
        assert_eq!(
            ProtocolVersion::from_short_name("tlsv1.2"),
            Some(ProtocolVersion::TLSv1_2)
        );
        assert_eq!(ProtocolVersion::from_short_name("3.0"), None);
        assert_eq!(ProtocolVersion::from_short_name("1.4"), None);
        assert_eq!(ProtocolVersion::TLSv1_3.report_name(), Some("TLSv1.3"));
        assert_eq!(ProtocolVersion::TLSv1_0.report_name(), Some("TLSv1"));
        assert_eq!(ProtocolVersion::Unknown(0x7f1c).report_name(), None);
    }
}
