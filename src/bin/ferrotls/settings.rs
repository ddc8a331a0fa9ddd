//! Option values both roles share, turned into library types: the
//! version range, cipher-suite, group and ALPN lists, the key log, and
//! PEM files.

use crate::args::Options;
use ferrotls::{
    private_key_from_pem_file, CertificateCompressionAlgorithm, CertifiedKey, CipherSuite,
    ExternalPsk, GroupList, HashAlgorithm, KeyLog, KeyLogFile, NamedGroup, PinnedKeys,
    ProtocolVersion, RootStore, SignatureScheme, ALL_VERSIONS, DEFAULT_VERSIONS, PIN_LEN,
    TLS10_CIPHER_SUITES, TLS12_CIPHER_SUITES, TLS13_CIPHER_SUITES,
};
use std::sync::Arc;
use std::time::Duration;

/// The identity `--psk` goes by when `--psk-identity` is not given:
/// `openssl s_client`'s default, so the two agree without it.
pub const DEFAULT_PSK_IDENTITY: &str = "Client_identity";

/// The TLS 1.3 external PSKs of `--psk HEX` and `--psk-identity ID`: the
/// PSK itself, for SHA-256 suites (what OpenSSL and GnuTLS use for one
/// without a hash of its own), or with `--psk-context CTX` its imports
/// for SHA-256 and SHA-384 under that context (RFC 9258 §4, the form
/// BoringSSL takes).
pub fn external_psks(options: &Options) -> Result<Vec<ExternalPsk>, String> {
    let Some(key) = options.get("psk") else {
        return match (options.get("psk-identity"), options.get("psk-context")) {
            (None, None) => Ok(Vec::new()),
            _ => Err("--psk-identity and --psk-context need --psk".into()),
        };
    };
    let key = hex::decode(key).map_err(|e| format!("--psk: not hex: {e}"))?;
    let identity = options
        .get("psk-identity")
        .unwrap_or(DEFAULT_PSK_IDENTITY)
        .as_bytes();
    let psks = match options.get("psk-context") {
        None => ExternalPsk::new(identity, &key, HashAlgorithm::Sha256).map(|psk| vec![psk]),
        Some(context) => {
            ExternalPsk::import_for_tls13(identity, &key, context.as_bytes(), HashAlgorithm::Sha256)
                .map(Vec::from)
        }
    };
    psks.map_err(|e| format!("--psk: {e}"))
}

/// How long a socket read or write may block before the connection is
/// given up: bounds every wait of the tool.
pub const IO_TIMEOUT: Duration = Duration::from_secs(10);

fn parse_version(options: &Options, name: &str) -> Result<Option<ProtocolVersion>, String> {
    options
        .get(name)
        .map(|v| {
            ProtocolVersion::from_short_name(v)
                .ok_or_else(|| format!("invalid --{name} {v:?} (one of 1.0 1.1 1.2 1.3)"))
        })
        .transpose()
}

/// The versions `--min-version`/`--max-version` enable, most preferred
/// first. Without either, the library's defaults; an end left open
/// extends to the defaults' end, or to the other end when that is
/// beyond it.
pub fn versions(options: &Options) -> Result<Vec<ProtocolVersion>, String> {
    let min = parse_version(options, "min-version")?;
    let max = parse_version(options, "max-version")?;
    if min.is_none() && max.is_none() {
        return Ok(DEFAULT_VERSIONS.to_vec());
    }
    let rank = |v: ProtocolVersion| u16::from(v);
    let default_low = DEFAULT_VERSIONS
        .iter()
        .copied()
        .map(rank)
        .min()
        .unwrap_or(0);
    let default_high = DEFAULT_VERSIONS
        .iter()
        .copied()
        .map(rank)
        .max()
        .unwrap_or(0);
    let low = min
        .map(rank)
        .unwrap_or_else(|| default_low.min(max.map_or(default_low, rank)));
    let high = max
        .map(rank)
        .unwrap_or_else(|| default_high.max(min.map_or(default_high, rank)));
    let versions: Vec<ProtocolVersion> = ALL_VERSIONS
        .iter()
        .copied()
        .filter(|v| (low..=high).contains(&rank(*v)))
        .collect();
    if versions.is_empty() {
        return Err("--min-version is above --max-version".to_owned());
    }
    Ok(versions)
}

/// Splits a comma-separated list, dropping empty items.
fn items(list: &str) -> impl Iterator<Item = &str> {
    list.split(',').map(str::trim).filter(|s| !s.is_empty())
}

/// The cipher suites to configure, or `None` for the library's defaults:
/// `--ciphers LIST` when given; otherwise, when `versions` includes TLS
/// 1.0 or 1.1, the defaults plus [`TLS10_CIPHER_SUITES`] (the defaults
/// have none those versions can use, so `--min-version 1.0` alone
/// reaches a 1.0-only peer).
pub fn suites(
    options: &Options,
    versions: &[ProtocolVersion],
) -> Result<Option<Vec<CipherSuite>>, String> {
    Ok(suite_tiers(options, versions)?.map(|tiers| tiers.concat()))
}

/// [`suites`] in the tiers `/` cuts `--ciphers LIST` into, for a server
/// (`ServerConfigBuilder::cipher_suite_tiers`); one tier without `/`.
pub fn suite_tiers(
    options: &Options,
    versions: &[ProtocolVersion],
) -> Result<Option<Vec<Vec<CipherSuite>>>, String> {
    if let Some(list) = options.get("ciphers") {
        return list
            .split('/')
            .map(cipher_suites)
            .collect::<Result<_, _>>()
            .map(Some);
    }
    Ok(with_legacy_suites(versions).map(|suites| vec![suites]))
}

/// The default suites plus the TLS 1.0/1.1 ones when `versions` enables
/// either of those versions; `None` (the defaults) otherwise.
pub fn with_legacy_suites(versions: &[ProtocolVersion]) -> Option<Vec<CipherSuite>> {
    let legacy = versions
        .iter()
        .any(|v| matches!(v, ProtocolVersion::TLSv1_0 | ProtocolVersion::TLSv1_1));
    legacy.then(|| {
        [
            TLS13_CIPHER_SUITES,
            TLS12_CIPHER_SUITES,
            TLS10_CIPHER_SUITES,
        ]
        .concat()
    })
}

/// `--ciphers LIST`: IANA or OpenSSL names.
pub fn cipher_suites(list: &str) -> Result<Vec<CipherSuite>, String> {
    items(list)
        .map(|n| CipherSuite::from_name(n).ok_or_else(|| format!("unknown cipher suite {n:?}")))
        .collect()
}

/// `--groups LIST`: IANA names or OpenSSL/GnuTLS aliases.
pub fn groups(list: &str) -> Result<Vec<NamedGroup>, String> {
    items(list)
        .map(|n| NamedGroup::from_name(n).ok_or_else(|| format!("unknown group {n:?}")))
        .collect()
}

/// `--groups LIST` in OpenSSL 3.5's syntax (`GroupList`): tiers split by
/// `/` for a server, key shares marked `*` for a client, unknown names
/// skipped after `?`.
pub fn group_list(list: &str) -> Result<GroupList, String> {
    GroupList::parse(list).map_err(|e| format!("--groups {list:?}: {e}"))
}

/// What `--sigalgs` does, for either role.
pub const SIGALGS_HELP: &str = "signature schemes offered and accepted, most preferred first: IANA names or OpenSSL's KEY+HASH (e.g. ecdsa_secp256r1_sha256,rsa_pss_rsae_sha256); listing rsa_pkcs1_sha1 or ecdsa_sha1 accepts TLS 1.2 SHA-1 signatures and signs with them for peers that accept nothing else, which RFC 9155 forbids";

/// `--sigalgs LIST`: signature schemes by IANA name or OpenSSL's
/// `KEY+HASH` spelling.
pub fn signature_schemes(list: &str) -> Result<Vec<SignatureScheme>, String> {
    items(list)
        .map(|n| {
            SignatureScheme::from_name(n).ok_or_else(|| format!("unknown signature scheme {n:?}"))
        })
        .collect()
}

/// `--alpn LIST`: protocol names as bytes.
pub fn alpn(list: &str) -> Vec<Vec<u8>> {
    items(list).map(|p| p.as_bytes().to_vec()).collect()
}

/// `--record-size-limit N`: the record_size_limit announced (RFC 8449),
/// 64 or more (larger than the protocol's maximum counts as it); 0
/// announces none. `None` when the option is absent (the default
/// announcement stands).
pub fn record_size_limit(options: &Options) -> Result<Option<Option<u16>>, String> {
    Ok(match options.number::<u16>("record-size-limit")? {
        None => None,
        Some(0) => Some(None),
        Some(n) if usize::from(n) < ferrotls::MIN_RECORD_SIZE_LIMIT => {
            return Err(format!(
                "--record-size-limit {n}: below {}",
                ferrotls::MIN_RECORD_SIZE_LIMIT
            ))
        }
        Some(n) => Some(Some(n)),
    })
}

/// `--compress-cert LIST`: certificate compression algorithms (RFC
/// 8879) by name, `zlib`, `brotli`, `zstd`, most preferred first;
/// `none` alone turns compression off.
pub fn compress_cert(list: &str) -> Result<Vec<CertificateCompressionAlgorithm>, String> {
    if list == "none" {
        return Ok(Vec::new());
    }
    items(list)
        .map(|name| {
            [
                CertificateCompressionAlgorithm::Zlib,
                CertificateCompressionAlgorithm::Brotli,
                CertificateCompressionAlgorithm::Zstd,
            ]
            .into_iter()
            .find(|a| compression_name(*a) == name)
            .ok_or_else(|| format!("unknown certificate compression {name:?}"))
        })
        .collect()
}

/// The name of a certificate compression algorithm, as `--compress-cert`
/// takes it and the report prints it (RFC 8879 §3).
pub fn compression_name(algorithm: CertificateCompressionAlgorithm) -> &'static str {
    match algorithm {
        CertificateCompressionAlgorithm::Zlib => "zlib",
        CertificateCompressionAlgorithm::Brotli => "brotli",
        CertificateCompressionAlgorithm::Zstd => "zstd",
        CertificateCompressionAlgorithm::Unknown(_) => "unknown",
    }
}

/// `--keylog FILE`, or the file `SSLKEYLOGFILE` names; `None` when
/// neither is set.
pub fn key_log(options: &Options) -> Result<Option<Arc<dyn KeyLog>>, String> {
    if let Some(path) = options.get("keylog") {
        let log = KeyLogFile::open(path).map_err(|e| format!("{path}: {e}"))?;
        return Ok(Some(Arc::new(log)));
    }
    let log = KeyLogFile::from_env();
    Ok(log.is_enabled().then(|| Arc::new(log) as Arc<dyn KeyLog>))
}

/// A certificate chain (`--cert`, end entity first) and its key (`--key`),
/// each a PEM file or a DER one.
pub fn certified_key(cert: &str, key: &str) -> Result<Arc<CertifiedKey>, String> {
    CertifiedKey::from_pem_files(cert, key)
        .map(Arc::new)
        .map_err(|e| format!("{cert}, {key}: {e}"))
}

/// A key without a certificate (`--key` alone, PEM or DER), sent as a raw
/// public key (RFC 7250).
pub fn raw_key(key: &str) -> Result<Arc<CertifiedKey>, String> {
    private_key_from_pem_file(key)
        .map(|k| Arc::new(CertifiedKey::from_key(k)))
        .map_err(|e| format!("{key}: {e}"))
}

/// The keys a `--pin-spki` SPEC pins: `sha256:HEX` (the SHA-256 of a DER
/// SubjectPublicKeyInfo, 64 hex digits), or a file holding PEM PUBLIC
/// KEY blocks or one DER SubjectPublicKeyInfo (`openssl pkey -pubout`).
pub fn pinned_keys(spec: &str) -> Result<PinnedKeys, String> {
    if let Some(hex_pin) = spec.strip_prefix("sha256:") {
        let pin: [u8; PIN_LEN] = hex::decode(hex_pin)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| format!("{spec}: expected sha256: and {} hex digits", 2 * PIN_LEN))?;
        return Ok(PinnedKeys::from_sha256([pin]));
    }
    let bytes = std::fs::read(spec).map_err(|e| format!("{spec}: cannot read: {e}"))?;
    PinnedKeys::from_bytes(&bytes).map_err(|e| format!("{spec}: {e}"))
}

/// Trust anchors from a PEM file.
pub fn roots(path: &str) -> Result<Arc<RootStore>, String> {
    RootStore::from_pem_file(path)
        .map(Arc::new)
        .map_err(|e| format!("{path}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{parse, value, OptionSpec};

    #[test]
    fn pin_specs_are_a_digest_or_a_der_or_pem_key_file() {
        use ferrotls::{pin_of, ServerCertVerifier, ServerName};
        let vectors = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pss");
        let spki = std::fs::read(format!("{vectors}/leaf.spki.der")).unwrap();
        let name = ServerName::parse("leaf.pss.test").unwrap();
        let digest = format!("sha256:{}", hex::encode(pin_of(&spki)));
        let der = format!("{vectors}/leaf.spki.der");
        for spec in [digest.as_str(), der.as_str()] {
            let pins = pinned_keys(spec).unwrap();
            assert!(
                pins.verify_server_raw_public_key(&spki, &name, 0).is_ok(),
                "{spec}"
            );
            assert!(
                pins.verify_server_raw_public_key(&spki[1..], &name, 0)
                    .is_err(),
                "{spec}"
            );
        }
        assert!(pinned_keys("sha256:00").is_err());
        assert!(
            pinned_keys(&format!("{vectors}/leaf.pem")).is_err(),
            "no PUBLIC KEY block"
        );
    }

    const SPECS: &[OptionSpec] = &[value("min-version", "V", ""), value("max-version", "V", "")];

    fn versions_of(args: &[&str]) -> Result<Vec<ProtocolVersion>, String> {
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        versions(&parse(&args, SPECS)?)
    }

    #[test]
    fn version_bounds_select_a_range_most_preferred_first() {
        use ProtocolVersion::*;
        assert_eq!(versions_of(&[]).unwrap(), DEFAULT_VERSIONS);
        // TLS 1.0 and 1.1 exist only with the `legacy` feature.
        #[cfg(feature = "legacy")]
        assert_eq!(
            versions_of(&["--min-version", "1.0", "--max-version", "1.2"]).unwrap(),
            [TLSv1_2, TLSv1_1, TLSv1_0]
        );
        #[cfg(not(feature = "legacy"))]
        assert_eq!(
            versions_of(&["--min-version", "1.0", "--max-version", "1.2"]).unwrap(),
            [TLSv1_2]
        );
        assert_eq!(
            versions_of(&["--min-version", "1.3", "--max-version", "1.3"]).unwrap(),
            [TLSv1_3]
        );
        // An open end follows the defaults, or the other bound beyond them.
        #[cfg(feature = "legacy")]
        assert_eq!(
            versions_of(&["--max-version", "1.1"]).unwrap().first(),
            Some(&TLSv1_1)
        );
        assert_eq!(versions_of(&["--min-version", "1.3"]).unwrap(), [TLSv1_3]);
        assert!(versions_of(&["--min-version", "1.3", "--max-version", "1.2"]).is_err());
        assert!(versions_of(&["--min-version", "1.4"]).is_err());
    }

    #[test]
    fn lists_take_both_spellings_and_refuse_unknown_names() {
        assert_eq!(
            cipher_suites("TLS_AES_256_GCM_SHA384, ECDHE-RSA-AES128-GCM-SHA256").unwrap(),
            [
                CipherSuite::TLS_AES_256_GCM_SHA384,
                CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
            ]
        );
        assert!(cipher_suites("RC4-MD5").is_err());
        assert_eq!(
            groups("P-384,x25519").unwrap(),
            [NamedGroup::secp384r1, NamedGroup::X25519]
        );
        assert!(groups("x9").is_err());
        assert_eq!(
            groups("P-521,X448").unwrap(),
            [NamedGroup::secp521r1, NamedGroup::X448]
        );
        assert_eq!(
            groups("x25519mlkem768,X25519").unwrap(),
            [NamedGroup::X25519MLKEM768, NamedGroup::X25519]
        );
        assert!(group_list("x25519/x9").is_err());
        assert_eq!(alpn("h2,,http/1.1"), [b"h2".to_vec(), b"http/1.1".to_vec()]);
    }
}
