//! The shim BoringSSL's TLS test suite ("BoGo", `ssl/test/runner` in the
//! BoringSSL tree) drives: the runner starts it once per test with flags
//! that say which side to play and what to expect, it connects back to the
//! runner, plays the handshake, checks what was negotiated, and echoes
//! application data with every byte inverted until the runner closes.
//!
//! The protocol this follows, as the runner's `runner.go` and BoringSSL's
//! `bssl_shim.cc` define it:
//! - `-port N -shim-id ID [-ipv6]`: connect to the runner on loopback and
//!   send `ID` as 8 little-endian bytes before any TLS byte;
//! - `-resume-count N`: after the first connection, connect N more times,
//!   offering (client) or accepting (server) the session of the first;
//!   `-on-initial-FLAG` applies only to the first connection,
//!   `-on-resume-FLAG` only to the others, a bare flag to all;
//!   a client's resumption whose 0-RTT data was rejected (BoringSSL's
//!   "retry", which in ferrotls is the same connection going on) is
//!   checked against the bare flags and the `-on-retry-expect-…` ones
//!   instead, verifies a certificate that comes then under
//!   `-on-retry-verify-fail`, and writes nothing more of its own;
//! - exit 0 on success with nothing on stderr, 1 with the reason on stderr
//!   on failure, and 89 for a flag this shim does not implement, which the
//!   runner counts as "unimplemented" rather than failed.
//!
//! How to run the suite with it is in `docs/interop.md`; the runner's
//! configuration for ferrotls (tests left out, and why) is
//! `tests/bogo/config.json`.

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ferrotls::internal::pki::pem::decode_base64;
use ferrotls::internal::session::{ClientSessionTls12, ClientTicketTls13};
use ferrotls::{
    certificate_blocks_from_pem, private_key_from_pem_file, Accepted, Acceptor, CertificateError,
    CertificateRequestInfo, CertificateType, CertifiedKey, CipherSuite, ClientAuth,
    ClientCertResolver, ClientCertVerified, ClientCertVerifier, ClientConfig, ClientConnection,
    ClientSessionStore, Clock, EarlyDataReason, EarlyDataStatus, ExternalPsk, ExternalPsks,
    HandshakeType, HashAlgorithm, InMemoryAntiReplay, InMemoryClientStore, InMemoryServerStore,
    KeyLog, LoadError, ManualClock, MessageDirection, MessageObserver, NamedGroup, OsRng,
    ProtocolVersion, RootStore, RotatingTicketer, ServerCertVerified, ServerCertVerifier,
    ServerConfig, ServerName, ServerSessionStore, SignatureScheme, StapledStatus, StreamOwned,
    SystemClock, Ticketer, WebPkiServerVerifier, ALL_VERSIONS, DEFAULT_SIGNATURE_SCHEMES,
    TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES, TLS12_RSA_KX_CIPHER_SUITES, TLS13_CIPHER_SUITES,
};
use ring::digest;

/// The runner's code for "this shim does not implement a flag the test
/// needs" (`runner.go`, `errUnimplemented`).
const EXIT_UNIMPLEMENTED: u8 = 89;

/// What the shim writes first under `-shim-writes-first` unless
/// `-shim-initial-write` says otherwise (`runner.go`, `shimInitialWrite`).
const SHIM_INITIAL_WRITE: &[u8] = b"hello";

/// How much one read takes: the runner's own shim reads 512 bytes at a
/// time so that one record may take several reads (`bssl_shim.cc`).
const READ_SIZE: usize = 512;

/// How long a connection may stay silent before the shim gives up; the
/// runner's own idle timeout is 15 s.
const IDLE_TIMEOUT: Duration = Duration::from_secs(15);

/// The most 0-RTT data the shim's server takes, as BoringSSL's does
/// (`kMaxEarlyDataAccepted`, 14336 since 2020; the runner only needs
/// room for its few bytes).
const MAX_EARLY_DATA: u32 = 14336;

/// How long a failed connection waits for the runner to close after our
/// alert: closing with the runner's records unread would reset the
/// connection, and a reset can destroy the alert before the runner reads
/// it.
const LINGER: Duration = Duration::from_secs(2);

/// The name the client offers its session under when no `-host-name` is
/// given; the runner's certificates are issued for it.
const DEFAULT_SERVER_NAME: &str = "test";

/// How a flag takes its value.
#[derive(Clone, Copy)]
enum Kind {
    /// Present or not.
    Switch,
    /// One value; a later one replaces it.
    Value,
    /// A value each time it is given, all kept in order.
    List,
}

/// The flags this shim implements, and how each takes its value. A flag
/// not here makes the shim exit with [`EXIT_UNIMPLEMENTED`].
const FLAGS: &[(&str, Kind)] = &[
    ("server", Kind::Switch),
    ("ipv6", Kind::Switch),
    ("port", Kind::Value),
    ("shim-id", Kind::Value),
    ("resume-count", Kind::Value),
    // The runner's own shim uses these to choose how it does I/O
    // (non-blocking BIOs, read sizes); here I/O is blocking and whole.
    ("async", Kind::Switch),
    ("read-size", Kind::Value),
    ("new-x509-credential", Kind::Switch),
    ("new-rpk-credential", Kind::Switch),
    ("new-psk-credential", Kind::Switch),
    ("psk-importer-key", Kind::Value),
    ("psk-importer-identity", Kind::Value),
    ("psk-importer-context", Kind::Value),
    ("psk-importer-sha256", Kind::Switch),
    ("psk-importer-sha384", Kind::Switch),
    ("accepted-peer-cert-types", Kind::List),
    ("available-client-cert-types", Kind::List),
    ("expect-peer-rpk-sha256", Kind::Value),
    ("expect-peer-certificate-type", Kind::Value),
    ("expect-no-peer-cert", Kind::Switch),
    ("expect-peer-cert-file", Kind::Value),
    ("expect-advertised-alpn", Kind::Value),
    ("resumption-delay", Kind::Value),
    ("expect-session-id", Kind::Switch),
    ("expect-no-session-id", Kind::Switch),
    ("signing-prefs", Kind::List),
    ("must-match-issuer", Kind::Switch),
    ("cipher", Kind::Value),
    ("cert-file", Kind::Value),
    ("key-file", Kind::Value),
    ("trust-cert", Kind::Value),
    ("min-version", Kind::Value),
    ("max-version", Kind::Value),
    ("curves", Kind::List),
    ("host-name", Kind::Value),
    ("advertise-alpn", Kind::Value),
    ("select-alpn", Kind::Value),
    ("expect-alpn", Kind::Value),
    ("expect-no-alpn", Kind::Switch),
    ("expect-server-name", Kind::Value),
    ("expect-version", Kind::Value),
    ("expect-curve-id", Kind::Value),
    ("expect-session-miss", Kind::Switch),
    ("shim-writes-first", Kind::Switch),
    ("key-update", Kind::Switch),
    ("max-send-fragment", Kind::Value),
    ("shim-shuts-down", Kind::Switch),
    ("check-close-notify", Kind::Switch),
    ("verify-peer", Kind::Switch),
    ("require-any-client-certificate", Kind::Switch),
    ("no-ticket", Kind::Switch),
    ("renegotiate-freely", Kind::Switch),
    ("expect-total-renegotiations", Kind::Value),
    ("no-tls1", Kind::Switch),
    ("no-tls11", Kind::Switch),
    ("no-tls12", Kind::Switch),
    ("no-tls13", Kind::Switch),
    ("implicit-handshake", Kind::Switch),
    ("expect-extended-master-secret", Kind::Switch),
    ("verify-fail", Kind::Switch),
    ("use-custom-verify-callback", Kind::Switch),
    ("expect-verify-result", Kind::Switch),
    // The stored session is checked again before it is offered, where
    // BoringSSL checks it in the handshake that resumes it: a check that
    // fails then leaves a full handshake, which the same verifier fails.
    ("reverify-on-resume", Kind::Switch),
    ("enable-ocsp-stapling", Kind::Switch),
    ("ocsp-response", Kind::Value),
    ("expect-ocsp-response", Kind::Value),
    ("signed-cert-timestamps", Kind::Value),
    ("enable-signed-cert-timestamps", Kind::Switch),
    ("expect-signed-cert-timestamps", Kind::Value),
    ("enable-early-data", Kind::Switch),
    ("expect-ticket-supports-early-data", Kind::Switch),
    ("expect-accept-early-data", Kind::Switch),
    ("expect-reject-early-data", Kind::Switch),
    ("expect-selected-credential", Kind::Value),
    ("expect-hrr", Kind::Switch),
    ("expect-no-hrr", Kind::Switch),
    ("verify-prefs", Kind::List),
    ("expect-peer-signature-algorithm", Kind::Value),
    ("export-keying-material", Kind::Value),
    ("export-label", Kind::Value),
    ("export-context", Kind::Value),
    ("use-export-context", Kind::Switch),
    ("tls-unique", Kind::Switch),
    ("enable-grease", Kind::Switch),
    ("permute-extensions", Kind::Switch),
    ("key-shares", Kind::List),
    ("no-key-shares", Kind::Switch),
    ("expect-early-data-reason", Kind::Value),
    ("expect-no-offer-early-data", Kind::Switch),
    ("expect-no-session", Kind::Switch),
    ("expect-ticket-renewal", Kind::Switch),
    ("false-start", Kind::Switch),
    ("expect-secure-renegotiation", Kind::Switch),
    ("expect-no-secure-renegotiation", Kind::Switch),
    ("expect-cipher", Kind::Value),
    ("renegotiate-once", Kind::Switch),
    ("decline-alpn", Kind::Switch),
    ("reject-alpn", Kind::Switch),
    ("use-client-ca-list", Kind::Value),
    ("expect-peer-verify-pref", Kind::List),
    ("expect-client-ca-list", Kind::Value),
    ("fallback-scsv", Kind::Switch),
    ("max-cert-list", Kind::Value),
    ("no-op-extra-handshake", Kind::Switch),
    // The server's configuration, its credentials with it, is chosen once
    // the Acceptor has read the ClientHello (`accept`), where BoringSSL's
    // early callback installs the certificate.
    ("use-early-callback", Kind::Switch),
    ("export-traffic-secrets", Kind::Switch),
    ("use-ocsp-callback", Kind::Switch),
    ("fail-ocsp-callback", Kind::Switch),
    ("use-old-client-cert-callback", Kind::Switch),
    ("shim-initial-write", Kind::Value),
    ("repeat-shim-initial-write", Kind::Value),
    // BoringSSL's compliance policies: see `POLICIES`.
    ("fips-202205", Kind::Switch),
    ("wpa-202304", Kind::Switch),
    ("cnsa-202407", Kind::Switch),
    ("cnsa1-202603", Kind::Switch),
    ("cnsa2-202603", Kind::Switch),
];

/// The flags that describe one credential (`appendCredentialFlags` in
/// `runner.go`): after a `-new-x509-credential` they describe that one,
/// before any, the default credential.
const CREDENTIAL_FLAGS: &[&str] = &[
    "cert-file",
    "key-file",
    "ocsp-response",
    "signed-cert-timestamps",
    "signing-prefs",
    "must-match-issuer",
    "psk-importer-key",
    "psk-importer-identity",
    "psk-importer-context",
    "psk-importer-sha256",
    "psk-importer-sha384",
];

/// The mark of a credential added with `-new-rpk-credential`: a key
/// without a certificate, sent as a raw public key (RFC 7250).
const RAW_PUBLIC_KEY: &str = "raw public key";

/// The mark of a credential added with `-new-psk-credential`: an
/// external PSK that both sides import (RFC 9258).
const PRE_SHARED_KEY: &str = "pre-shared key";

/// The flags one connection runs with: its own and the bare ones, and
/// the credentials added with `-new-x509-credential`, each with its own.
#[derive(Clone, Default)]
struct Flags {
    switches: Vec<&'static str>,
    values: HashMap<&'static str, Vec<String>>,
    credentials: Vec<Flags>,
}

impl Flags {
    fn on(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }

    fn value(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    fn list(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        self.value(name)
            .map(|v| v.parse().map_err(|_| format!("-{name}: not a number: {v}")))
            .transpose()
    }

    fn add(&mut self, name: &'static str, kind: Kind, value: Option<String>) {
        if let Some(mark) = match name {
            "new-x509-credential" => Some(None),
            "new-rpk-credential" => Some(Some(RAW_PUBLIC_KEY)),
            "new-psk-credential" => Some(Some(PRE_SHARED_KEY)),
            _ => None,
        } {
            let mut credential = Flags::default();
            credential.switches.extend(mark);
            self.credentials.push(credential);
            return;
        }
        if CREDENTIAL_FLAGS.contains(&name) {
            if let Some(credential) = self.credentials.last_mut() {
                credential.add(name, kind, value);
                return;
            }
        }
        match (kind, value) {
            (Kind::Switch, _) => self.switches.push(name),
            (_, Some(v)) => self.values.entry(name).or_default().push(v),
            (_, None) => {}
        }
    }
}

/// Why the shim stops before or instead of a test.
enum Stop {
    Unimplemented(String),
    Failed(String),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Self {
        Stop::Failed(e.to_string())
    }
}

impl From<ferrotls::Error> for Stop {
    fn from(e: ferrotls::Error) -> Self {
        Stop::Failed(e.to_string())
    }
}

impl From<String> for Stop {
    fn from(e: String) -> Self {
        Stop::Failed(e)
    }
}

/// The flags of the first connection, of the resumptions, and of what
/// follows a client's resumption whose 0-RTT data was rejected.
fn parse(args: &[String]) -> Result<(Flags, Flags, Flags), Stop> {
    let mut initial = Flags::default();
    let mut resume = Flags::default();
    let mut retry = Flags::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let bare = arg
            .strip_prefix('-')
            .ok_or_else(|| Stop::Failed(format!("not a flag: {arg}")))?;
        let retried = bare.strip_prefix("on-retry-");
        // Only expectations can change after the connection started, and
        // the verdict on a certificate that comes after the first
        // ClientHello (see `run`).
        if retried.is_some_and(|n| !n.starts_with("expect-") && n != "verify-fail") {
            return Err(Stop::Unimplemented(format!("unimplemented flag: {arg}")));
        }
        let (name, to_initial, to_resume, to_retry) =
            if let Some(n) = bare.strip_prefix("on-initial-") {
                (n, true, false, false)
            } else if let Some(n) = bare.strip_prefix("on-resume-") {
                (n, false, true, false)
            } else if let Some(n) = retried {
                (n, false, false, true)
            } else {
                (bare, true, true, true)
            };
        let (name, kind) = FLAGS
            .iter()
            .copied()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| Stop::Unimplemented(format!("unimplemented flag: {arg}")))?;
        let value = match kind {
            Kind::Switch => None,
            Kind::Value | Kind::List => Some(
                args.next()
                    .ok_or_else(|| Stop::Failed(format!("{arg} needs a value")))?
                    .clone(),
            ),
        };
        if to_initial {
            initial.add(name, kind, value.clone());
        }
        if to_resume {
            resume.add(name, kind, value.clone());
        }
        if to_retry {
            retry.add(name, kind, value);
        }
    }
    Ok((initial, resume, retry))
}

/// The versions between `-min-version` and `-max-version` but those a
/// `-no-tlsN` takes away; all of them when none is given: BoringSSL, whose
/// behaviour the tests expect, enables TLS 1.0 to 1.3 unless told
/// otherwise.
fn versions(flags: &Flags) -> Result<Vec<ProtocolVersion>, Stop> {
    if let Some(versions) = policy(flags)?.and_then(|p| p.versions) {
        return Ok(versions.to_vec());
    }
    let min: Option<u16> = flags.number("min-version")?;
    let max: Option<u16> = flags.number("max-version")?;
    let excluded = |v: ProtocolVersion| {
        let flag = match v {
            ProtocolVersion::TLSv1_0 => "no-tls1",
            ProtocolVersion::TLSv1_1 => "no-tls11",
            ProtocolVersion::TLSv1_2 => "no-tls12",
            _ => "no-tls13",
        };
        flags.on(flag)
    };
    let chosen: Vec<_> = ALL_VERSIONS
        .iter()
        .copied()
        .filter(|v| {
            let n = u16::from(*v);
            min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m) && !excluded(*v)
        })
        .collect();
    if chosen.is_empty() {
        return Err(Stop::Unimplemented(format!(
            "no version between {min:?} and {max:?}"
        )));
    }
    Ok(chosen)
}

/// BoringSSL's default suites, which the tests expect: the AEAD suites, the
/// CBC ones and RSA key exchange (BoringSSL has no finite-field DHE); a
/// compliance policy's instead, when one is given; else the TLS 1.2 and
/// older ones of `-cipher` ([`cipher_list`]). In tiers of equal
/// preference for a server (`ServerConfigBuilder::cipher_suite_tiers`):
/// each suite its own, but for `-cipher`'s `[A|B]` groups.
fn cipher_suite_tiers(flags: &Flags) -> Result<Vec<Vec<CipherSuite>>, Stop> {
    let policy = policy(flags)?;
    let tls13 = policy.and_then(|p| p.tls13_suites);
    let tls12 = policy.and_then(|p| p.tls12_suites);
    let each = |suites: &[CipherSuite]| suites.iter().map(|&s| vec![s]).collect::<Vec<_>>();
    let mut tiers = each(tls13.unwrap_or(TLS13_CIPHER_SUITES));
    match (tls12, flags.value("cipher")) {
        (Some(suites), _) => tiers.extend(each(suites)),
        (None, Some(list)) => tiers.extend(cipher_list(list)?),
        (None, None) => tiers.extend(each(
            &[
                TLS12_CIPHER_SUITES,
                TLS12_CBC_CIPHER_SUITES,
                TLS12_RSA_KX_CIPHER_SUITES,
            ]
            .concat(),
        )),
    }
    Ok(tiers)
}

/// The suites, in one list, that a client offers: [`cipher_suite_tiers`]
/// flattened.
fn cipher_suites(flags: &Flags) -> Result<Vec<CipherSuite>, Stop> {
    Ok(cipher_suite_tiers(flags)?.concat())
}

/// `-cipher LIST`, in BoringSSL's syntax (`SSL_CTX_set_strict_cipher_list`,
/// for TLS 1.2 and older): suites separated by `:`, a group of equally
/// preferred ones written `[A|B]`. Keywords and operators (`ALL`,
/// `DEFAULT`, `AES128`, `!X`, `+X`) and suites ferrotls does not have
/// (3DES) are left unimplemented.
fn cipher_list(list: &str) -> Result<Vec<Vec<CipherSuite>>, Stop> {
    let suite = |name: &str| {
        CipherSuite::from_name(name)
            .filter(|s| !TLS13_CIPHER_SUITES.contains(s))
            .ok_or_else(|| Stop::Unimplemented(format!("-cipher {list:?}: {name:?}")))
    };
    list.split(':')
        .map(
            |item| match item.strip_prefix('[').and_then(|i| i.strip_suffix(']')) {
                Some(group) => group.split('|').map(suite).collect(),
                None => suite(item).map(|s| vec![s]),
            },
        )
        .collect()
}

/// What one of BoringSSL's compliance policies (`SSL_set_compliance_policy`,
/// which its shim applies after every other flag) configures, in
/// ferrotls's terms; `None` leaves that part as the other flags have it.
struct Policy {
    /// The runner's flag, without its dash.
    flag: &'static str,
    versions: Option<&'static [ProtocolVersion]>,
    /// The TLS 1.3 suites: BoringSSL limits its built-in ones to those
    /// the policy allows, both the client's offer and the server's
    /// choice, in the order given here.
    tls13_suites: Option<&'static [CipherSuite]>,
    /// The TLS 1.2 suites: the policy's strict cipher list.
    tls12_suites: Option<&'static [CipherSuite]>,
    groups: Option<&'static [NamedGroup]>,
    /// Whether a server holds to its own order of `groups` even at the
    /// cost of a HelloRetryRequest: each group a tier of its own
    /// (`ServerConfigBuilder::group_tiers`).
    server_group_order: bool,
    /// The schemes the default credential signs with and those this side
    /// accepts: BoringSSL's policies set both to one list.
    schemes: Option<&'static [SignatureScheme]>,
}

/// TLS 1.2 and 1.3: the versions the FIPS, WPA and CNSA 1.0 policies allow.
const TLS12_AND_TLS13: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];

/// BoringSSL's compliance policies as ferrotls configurations. CNSA
/// 1.0's server preference (`SSL_OP_CIPHER_SERVER_PREFERENCE`) makes
/// BoringSSL's TLS 1.3 server ask with a HelloRetryRequest for
/// ML-KEM-1024 whenever the client lists it: a ferrotls server whose
/// groups are each a tier does the same; its suites it chooses by its own
/// order anyway.
const POLICIES: &[Policy] = &[
    // NIST SP 800-52r2: TLS 1.2 and 1.3, AES-GCM with ECDHE, P-256 and
    // P-384, no SHA-1, no Ed25519, no ECDSA over P-521.
    Policy {
        flag: "fips-202205",
        versions: Some(TLS12_AND_TLS13),
        tls13_suites: Some(&[
            CipherSuite::TLS_AES_128_GCM_SHA256,
            CipherSuite::TLS_AES_256_GCM_SHA384,
        ]),
        tls12_suites: Some(&[
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ]),
        groups: Some(&[NamedGroup::secp256r1, NamedGroup::secp384r1]),
        server_group_order: false,
        schemes: Some(&[
            SignatureScheme::rsa_pkcs1_sha256,
            SignatureScheme::rsa_pkcs1_sha384,
            SignatureScheme::rsa_pkcs1_sha512,
            SignatureScheme::ecdsa_secp256r1_sha256,
            SignatureScheme::ecdsa_secp384r1_sha384,
            SignatureScheme::rsa_pss_rsae_sha256,
            SignatureScheme::rsa_pss_rsae_sha384,
            SignatureScheme::rsa_pss_rsae_sha512,
        ]),
    },
    // WPA3's 192-bit mode: AES-256-GCM, P-384, SHA-384 and SHA-512.
    Policy {
        flag: "wpa-202304",
        versions: Some(TLS12_AND_TLS13),
        tls13_suites: Some(&[CipherSuite::TLS_AES_256_GCM_SHA384]),
        tls12_suites: Some(&[
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        ]),
        groups: Some(&[NamedGroup::secp384r1]),
        server_group_order: false,
        schemes: Some(&[
            SignatureScheme::rsa_pkcs1_sha384,
            SignatureScheme::rsa_pkcs1_sha512,
            SignatureScheme::ecdsa_secp384r1_sha384,
            SignatureScheme::rsa_pss_rsae_sha384,
            SignatureScheme::rsa_pss_rsae_sha512,
        ]),
    },
    // CNSA 1.0 of 2024: only the TLS 1.3 suites change, AES-256-GCM first,
    // then AES-128-GCM, then ChaCha20-Poly1305, for the client's offer and
    // the server's choice.
    Policy {
        flag: "cnsa-202407",
        versions: None,
        tls13_suites: Some(&[
            CipherSuite::TLS_AES_256_GCM_SHA384,
            CipherSuite::TLS_AES_128_GCM_SHA256,
            CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
        ]),
        tls12_suites: None,
        groups: None,
        server_group_order: false,
        schemes: None,
    },
    // CNSA 1.0 (RFC 9151), with ML-KEM-1024 first: AES-256-GCM, P-384,
    // SHA-384; RSA key exchange stays among the TLS 1.2 suites.
    Policy {
        flag: "cnsa1-202603",
        versions: Some(TLS12_AND_TLS13),
        tls13_suites: Some(&[CipherSuite::TLS_AES_256_GCM_SHA384]),
        tls12_suites: Some(&[
            CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            CipherSuite::TLS_RSA_WITH_AES_256_GCM_SHA384,
        ]),
        groups: Some(&[NamedGroup::MLKEM1024, NamedGroup::secp384r1]),
        server_group_order: true,
        schemes: Some(CNSA_SCHEMES),
    },
    // CNSA 2.0 (draft-becker-cnsa2-tls-profile): TLS 1.3 alone,
    // AES-256-GCM, ML-KEM-1024 alone, SHA-384 signatures.
    Policy {
        flag: "cnsa2-202603",
        versions: Some(&[ProtocolVersion::TLSv1_3]),
        tls13_suites: Some(&[CipherSuite::TLS_AES_256_GCM_SHA384]),
        tls12_suites: Some(&[]),
        groups: Some(&[NamedGroup::MLKEM1024]),
        server_group_order: false,
        schemes: Some(CNSA_SCHEMES),
    },
];

/// The signature schemes of both CNSA policies of 2026.
const CNSA_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ecdsa_secp384r1_sha384,
    SignatureScheme::rsa_pss_rsae_sha384,
    SignatureScheme::rsa_pkcs1_sha384,
];

/// The compliance policy a flag names, if any; more than one is an error,
/// as in BoringSSL's shim.
fn policy(flags: &Flags) -> Result<Option<&'static Policy>, Stop> {
    let mut named = POLICIES.iter().filter(|p| flags.on(p.flag));
    let first = named.next();
    if named.next().is_some() {
        return Err(Stop::Failed("multiple policy options given".into()));
    }
    Ok(first)
}

/// `-curves`, unless a policy sets the groups; `None` keeps the defaults.
fn groups(flags: &Flags) -> Result<Option<Vec<NamedGroup>>, Stop> {
    match policy(flags)?.and_then(|p| p.groups) {
        Some(groups) => Ok(Some(groups.to_vec())),
        None => code_points(flags, "curves"),
    }
}

/// The schemes this side accepts: `-verify-prefs`, or the defaults, with
/// the SHA-1 schemes a credential's `-signing-prefs` names. BoringSSL
/// signs TLS 1.2 under SHA-1 when told to sign with it; ferrotls signs
/// under SHA-1 only when its configuration accepts SHA-1 signatures too
/// (RFC 9155 §4, §5). A policy's schemes replace both. `None` keeps the
/// defaults.
fn accepted_schemes(flags: &Flags) -> Result<Option<Vec<SignatureScheme>>, Stop> {
    if let Some(schemes) = policy(flags)?.and_then(|p| p.schemes) {
        return Ok(Some(schemes.to_vec()));
    }
    let sha1: Vec<SignatureScheme> = code_points::<SignatureScheme>(flags, "signing-prefs")?
        .unwrap_or_default()
        .into_iter()
        .filter(|s| [SignatureScheme::rsa_pkcs1_sha1, SignatureScheme::ecdsa_sha1].contains(s))
        .collect();
    let verify = code_points::<SignatureScheme>(flags, "verify-prefs")?;
    if sha1.is_empty() {
        return Ok(verify);
    }
    let mut schemes = verify.unwrap_or_else(|| DEFAULT_SIGNATURE_SCHEMES.to_vec());
    for scheme in sha1 {
        if !schemes.contains(&scheme) {
            schemes.push(scheme);
        }
    }
    Ok(Some(schemes))
}

/// A flag's list of 16-bit code points, `-curves` (groups),
/// `-verify-prefs` (the schemes this side accepts from the peer) or
/// `-signing-prefs` (the schemes a credential signs with), in order;
/// `None` keeps the defaults.
fn code_points<T: From<u16>>(flags: &Flags, name: &str) -> Result<Option<Vec<T>>, Stop> {
    let ids = flags.list(name);
    if ids.is_empty() {
        return Ok(None);
    }
    ids.iter()
        .map(|id| {
            id.parse::<u16>()
                .map(T::from)
                .map_err(|_| Stop::Failed(format!("-{name}: not a number: {id}")))
        })
        .collect::<Result<_, _>>()
        .map(Some)
}

/// A client's look at the server's CertificateRequest, as BoringSSL's
/// shim checks it in its certificate callback: the CA names
/// (`-expect-client-ca-list`, hex DER names joined by commas) and the
/// signature schemes (`-expect-peer-verify-pref`), in order. It answers
/// with the client's one certificate, if it has one.
#[derive(Debug)]
struct RequestCheck {
    key: Option<Arc<CertifiedKey>>,
    authorities: Option<Vec<Vec<u8>>>,
    schemes: Option<Vec<SignatureScheme>>,
    /// The first difference found.
    problem: Mutex<Option<String>>,
}

impl RequestCheck {
    fn from_flags(flags: &Flags, keys: &[Arc<CertifiedKey>]) -> Result<Option<Arc<Self>>, Stop> {
        let authorities = flags
            .value("expect-client-ca-list")
            .map(|list| list.split(',').map(hex).collect::<Result<Vec<_>, _>>())
            .transpose()?;
        let schemes = code_points::<SignatureScheme>(flags, "expect-peer-verify-pref")?;
        if authorities.is_none() && schemes.is_none() {
            return Ok(None);
        }
        if keys.len() > 1 {
            return Err(Stop::Unimplemented(
                "a CertificateRequest check with several credentials".into(),
            ));
        }
        Ok(Some(Arc::new(Self {
            key: keys.first().cloned(),
            authorities,
            schemes,
            problem: Mutex::new(None),
        })))
    }

    fn problem(&self) -> Option<String> {
        self.problem.lock().ok().and_then(|p| p.clone())
    }
}

impl ClientCertResolver for RequestCheck {
    fn resolve(&self, request: &CertificateRequestInfo<'_>) -> Option<Arc<CertifiedKey>> {
        let mut problem = None;
        if self
            .authorities
            .as_ref()
            .is_some_and(|want| want.as_slice() != request.authorities())
        {
            problem = Some(format!(
                "the CertificateRequest names {} CAs, not those expected",
                request.authorities().len()
            ));
        }
        if let Some(want) = &self.schemes {
            if want.as_slice() != request.signature_schemes() {
                problem = Some(format!(
                    "the server accepts the schemes {:?}",
                    request.signature_schemes()
                ));
            }
        }
        if let (Some(found), Ok(mut slot)) = (problem, self.problem.lock()) {
            slot.get_or_insert(found);
        }
        self.key.clone()
    }
}

/// What one connection holds beside its flags.
struct Local {
    /// Its certificates in the order BoringSSL tries them: those added
    /// with `-new-*-credential`, then the default one.
    keys: Vec<Arc<CertifiedKey>>,
    /// The runner's number of each of `keys`: its place among the added
    /// credentials, -1 for the default one.
    key_numbers: Vec<i64>,
    /// The PSK credentials, each imported for both TLS 1.3 hashes, with
    /// the runner's number.
    psks: Vec<(i64, Vec<ExternalPsk>)>,
    /// The ServerHellos it sends or receives.
    hellos: Arc<ServerHellos>,
    /// What it writes first under `-shim-writes-first`: its
    /// `-shim-initial-write`, `-repeat-shim-initial-write` times, each a
    /// write of its own.
    initial_write: Vec<u8>,
    initial_repeat: usize,
    /// How much of its first writes a client sent as 0-RTT data.
    sent_early: usize,
    /// A client resumption's expectations should its 0-RTT data be
    /// rejected.
    retry: Option<Flags>,
    /// A client's check of the server's CertificateRequest, under
    /// `-expect-client-ca-list` or `-expect-peer-verify-pref`.
    request_check: Option<Arc<RequestCheck>>,
    /// Whether the verifier refuses, `-verify-fail`: the retry's after a
    /// client offered 0-RTT data (see `run`).
    verify_fail: Arc<AtomicBool>,
    /// The run's [`Shared::verify_failed`].
    verify_failed: Arc<AtomicBool>,
    /// The run's [`Shared::client_store`].
    sessions: Arc<NewSessions>,
    /// Its TLS 1.3 application traffic secrets, under
    /// `-export-traffic-secrets`.
    traffic_secrets: Option<Arc<TrafficSecrets>>,
}

impl Local {
    fn new(flags: &Flags, shared: &Shared) -> Result<Self, Stop> {
        // The shim's KeyUpdate goes before the secrets are written, which
        // are then no longer the current ones.
        if flags.on("export-traffic-secrets") && flags.on("key-update") {
            return Err(Stop::Unimplemented(
                "-export-traffic-secrets with -key-update".into(),
            ));
        }
        let (mut keys, mut key_numbers, mut psks) = (Vec::new(), Vec::new(), Vec::new());
        for (credential, number) in flags.credentials.iter().zip(0i64..) {
            if credential.on(PRE_SHARED_KEY) {
                psks.push((number, imported_psks(credential)?));
            } else if let Some(key) = certified_key(credential)? {
                keys.push(key);
                key_numbers.push(number);
            }
        }
        if let Some(key) = certified_key(flags)? {
            keys.push(key);
            key_numbers.push(-1);
        }
        Ok(Self {
            keys,
            key_numbers,
            psks,
            hellos: Arc::new(ServerHellos::default()),
            initial_write: flags
                .value("shim-initial-write")
                .map_or(SHIM_INITIAL_WRITE, str::as_bytes)
                .to_vec(),
            initial_repeat: flags.number("repeat-shim-initial-write")?.unwrap_or(1),
            sent_early: 0,
            retry: None,
            request_check: None,
            verify_fail: Arc::new(AtomicBool::new(flags.on("verify-fail"))),
            verify_failed: shared.verify_failed.clone(),
            sessions: shared.client_store.clone(),
            traffic_secrets: flags
                .on("export-traffic-secrets")
                .then(|| Arc::new(TrafficSecrets::default())),
        })
    }

    /// Every import of every PSK credential.
    fn psk_imports(&self) -> impl Iterator<Item = &ExternalPsk> {
        self.psks.iter().flat_map(|(_, imports)| imports)
    }

    /// The runner's number for the credential this side used: the PSK
    /// the handshake took, else the certificate sent; -1 for the default
    /// one or none.
    fn selected(&self, conn: &ferrotls::Connection) -> i64 {
        let psk = conn.external_psk_identity().and_then(|identity| {
            self.psks
                .iter()
                .find(|(_, imports)| imports.iter().any(|p| p.identity() == identity))
                .map(|(number, _)| *number)
        });
        let key = || {
            conn.sent_certificate()
                .and_then(|sent| self.keys.iter().position(|k| Arc::ptr_eq(k, sent)))
                .and_then(|i| self.key_numbers.get(i).copied())
        };
        psk.or_else(key).unwrap_or(-1)
    }
}

/// The protocols of `-advertise-alpn`, given in their wire form (each
/// prefixed with its length, RFC 7301 §3.1).
fn alpn_list(wire: &str) -> Result<Vec<Vec<u8>>, Stop> {
    let mut rest = wire.as_bytes();
    let mut out = Vec::new();
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len);
        if tail.len() < len {
            return Err(Stop::Failed(format!("-advertise-alpn: bad list {wire:?}")));
        }
        let (name, tail) = tail.split_at(len);
        out.push(name.to_vec());
        rest = tail;
    }
    Ok(out)
}

/// The runner's verify callbacks, for either side, custom
/// (`-use-custom-verify-callback`) or legacy alike: it takes any X.509
/// chain, takes a raw public key whose SHA-256 is the one
/// `-expect-peer-rpk-sha256` names (any, when none is named), and refuses
/// everything under `-verify-fail`. It checks the certificate types of
/// `-accepted-peer-cert-types`, in that order (RFC 7250 §4.1).
///
/// A client without `-verify-peer` verifies in BoringSSL's
/// `SSL_VERIFY_NONE` mode: a refused X.509 chain is recorded for
/// `-expect-verify-result` and the handshake goes on (`ssl_verify_peer_cert`
/// in `handshake.cc`). A raw public key is refused still: BoringSSL's
/// legacy callback cannot take one at all.
#[derive(Debug)]
struct Callback {
    types: Vec<CertificateType>,
    rpk_sha256: Option<Vec<u8>>,
    /// [`Local::verify_fail`].
    fail: Arc<AtomicBool>,
    /// `SSL_VERIFY_NONE`: a refused chain does not end the handshake.
    soft: bool,
    /// Where the outcome of a chain's check goes ([`Shared::verify_failed`]).
    verify_failed: Arc<AtomicBool>,
    /// A server's `-use-client-ca-list`: the names its CertificateRequest
    /// lists (RFC 5246 §7.4.4, RFC 8446 §4.2.4).
    ca_names: Vec<Vec<u8>>,
    /// A client's legacy OCSP callback (`-use-ocsp-callback`, with
    /// `-enable-ocsp-stapling`) refuses under `-fail-ocsp-callback`.
    ocsp_callback_fails: bool,
}

impl Callback {
    fn new(flags: &Flags, local: &Local) -> Result<Self, Stop> {
        let mut types = certificate_types(flags, "accepted-peer-cert-types")?;
        if types.is_empty() {
            types.push(CertificateType::X509);
        }
        Ok(Self {
            types,
            rpk_sha256: base64_value(flags, "expect-peer-rpk-sha256")?,
            fail: local.verify_fail.clone(),
            soft: !flags.on("server") && !flags.on("verify-peer"),
            verify_failed: local.verify_failed.clone(),
            ca_names: ca_names(flags)?,
            ocsp_callback_fails: flags.on("enable-ocsp-stapling")
                && flags.on("use-ocsp-callback")
                && flags.on("fail-ocsp-callback"),
        })
    }

    fn check(&self, raw_public_key: Option<&[u8]>) -> Result<(), ferrotls::Error> {
        let refused = |why| {
            Err(ferrotls::Error::InvalidCertificate(
                CertificateError::Refused(why),
            ))
        };
        if self.fail.load(Ordering::Relaxed) {
            return refused("-verify-fail");
        }
        match (raw_public_key, &self.rpk_sha256) {
            (Some(spki), Some(want))
                if digest::digest(&digest::SHA256, spki).as_ref() != want.as_slice() =>
            {
                refused("not the raw public key of -expect-peer-rpk-sha256")
            }
            _ => Ok(()),
        }
    }

    /// Checks an X.509 chain, and records the outcome; in the soft mode a
    /// refusal lets the handshake go on.
    fn check_chain(&self) -> Result<(), ferrotls::Error> {
        let result = self.check(None);
        self.verify_failed.store(result.is_err(), Ordering::Relaxed);
        if self.soft {
            return Ok(());
        }
        result
    }
}

impl ServerCertVerifier for Callback {
    fn verify_server_cert(
        &self,
        _end_entity: &[u8],
        _intermediates: &[&[u8]],
        _server_name: &ServerName,
        _now: u64,
    ) -> Result<ServerCertVerified, ferrotls::Error> {
        self.check_chain().map(|()| ServerCertVerified::assertion())
    }

    /// BoringSSL runs its client's legacy OCSP callback after the chain's
    /// check, whether a response was stapled or not, and answers its
    /// refusal with bad_certificate_status_response, the alert of a
    /// refused OCSP response here.
    fn verify_server_cert_stapled(
        &self,
        end_entity: &[u8],
        intermediates: &[&[u8]],
        server_name: &ServerName,
        _stapled: StapledStatus<'_>,
        now: u64,
    ) -> Result<ServerCertVerified, ferrotls::Error> {
        let verified = self.verify_server_cert(end_entity, intermediates, server_name, now)?;
        if self.ocsp_callback_fails {
            return Err(ferrotls::Error::InvalidCertificate(
                CertificateError::BadRevocationInfo("-fail-ocsp-callback"),
            ));
        }
        Ok(verified)
    }

    fn certificate_types(&self) -> &[CertificateType] {
        &self.types
    }

    fn verify_server_raw_public_key(
        &self,
        spki: &[u8],
        _server_name: &ServerName,
        _now: u64,
    ) -> Result<ServerCertVerified, ferrotls::Error> {
        self.check(Some(spki))
            .map(|()| ServerCertVerified::assertion())
    }
}

impl ClientCertVerifier for Callback {
    fn verify_client_cert(
        &self,
        _end_entity: &[u8],
        _intermediates: &[&[u8]],
        _now: u64,
    ) -> Result<ClientCertVerified, ferrotls::Error> {
        self.check_chain().map(|()| ClientCertVerified::assertion())
    }

    fn root_subjects(&self) -> Vec<Vec<u8>> {
        self.ca_names.clone()
    }

    fn certificate_types(&self) -> &[CertificateType] {
        &self.types
    }

    fn verify_client_raw_public_key(
        &self,
        spki: &[u8],
        _now: u64,
    ) -> Result<ClientCertVerified, ferrotls::Error> {
        self.check(Some(spki))
            .map(|()| ClientCertVerified::assertion())
    }
}

/// The certificate types a repeated `-name` flag lists, in order.
fn certificate_types(flags: &Flags, name: &str) -> Result<Vec<CertificateType>, Stop> {
    flags
        .list(name)
        .iter()
        .map(|t| {
            t.parse::<u8>()
                .map(CertificateType::from)
                .map_err(|_| Stop::Failed(format!("-{name}: {t}")))
        })
        .collect()
}

/// The DER names of `-use-client-ca-list`, given in hex, separated by
/// commas; BoringSSL's `<NULL>` (no list set) and `<EMPTY>` (an empty
/// one) both send none.
fn ca_names(flags: &Flags) -> Result<Vec<Vec<u8>>, Stop> {
    match flags.value("use-client-ca-list") {
        None | Some("<NULL>" | "<EMPTY>") => Ok(Vec::new()),
        Some(list) => list.split(',').map(hex).collect(),
    }
}

/// The bytes a hex string spells.
fn hex(text: &str) -> Result<Vec<u8>, Stop> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return Err(Stop::Failed(format!("odd-length hex: {text}")));
    }
    digits
        .chunks(2)
        .map(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| Stop::Failed(format!("not hex: {text}")))
        })
        .collect()
}

/// A `-flag` value in base64, as the runner passes binary values.
fn base64_value(flags: &Flags, name: &str) -> Result<Option<Vec<u8>>, Stop> {
    flags
        .value(name)
        .map(|v| {
            decode_base64(v.as_bytes())
                .map(|bytes| bytes.to_vec())
                .map_err(|e| Stop::Failed(format!("-{name}: {e:?}")))
        })
        .transpose()
}

/// A `-new-psk-credential`: the external PSK of `-psk-importer-key` and
/// `-psk-importer-identity` (SHA-256 unless `-psk-importer-sha384`),
/// imported with `-psk-importer-context` for each TLS 1.3 hash (RFC 9258
/// §4.1), as BoringSSL imports it.
fn imported_psks(flags: &Flags) -> Result<Vec<ExternalPsk>, Stop> {
    let (Some(key), Some(identity)) = (
        base64_value(flags, "psk-importer-key")?,
        base64_value(flags, "psk-importer-identity")?,
    ) else {
        return Err(Stop::Failed(
            "a PSK credential needs -psk-importer-key and -psk-importer-identity".into(),
        ));
    };
    let context = base64_value(flags, "psk-importer-context")?.unwrap_or_default();
    let hash = if flags.on("psk-importer-sha384") {
        HashAlgorithm::Sha384
    } else {
        HashAlgorithm::Sha256
    };
    ExternalPsk::import_for_tls13(&identity, &key, &context, hash)
        .map(Vec::from)
        .map_err(|e| Stop::Unimplemented(format!("PSK credential: {e}")))
}

fn certified_key(flags: &Flags) -> Result<Option<Arc<CertifiedKey>>, Stop> {
    let raw_public_key = flags.on(RAW_PUBLIC_KEY);
    let (chain, key) = match (flags.value("cert-file"), flags.value("key-file")) {
        (chain, Some(key)) if chain.is_some() != raw_public_key => (chain, key),
        (None, None) => return Ok(None),
        _ => {
            return Err(Stop::Failed(
                "a credential is a -key-file, with a -cert-file unless a raw public key".into(),
            ))
        }
    };
    // The runner's credentials include kinds ferrotls does not load
    // (ML-DSA); a test that needs one cannot run.
    let unloadable = |e: LoadError| Stop::Unimplemented(format!("{chain:?}, {key}: {e}"));
    let mut certified = match chain {
        Some(chain) => CertifiedKey::from_pem_files(chain, key).map_err(unloadable)?,
        None => CertifiedKey::from_key(private_key_from_pem_file(key).map_err(unloadable)?),
    };
    // A policy sets the default credential's signing schemes, over its
    // `-signing-prefs` (the policy's flag is not a credential flag, so
    // an added credential's `flags` never has it).
    let schemes = match policy(flags)?.and_then(|p| p.schemes) {
        Some(schemes) => Some(schemes.to_vec()),
        None => code_points::<SignatureScheme>(flags, "signing-prefs")?,
    };
    if let Some(schemes) = schemes {
        certified = certified.with_signature_schemes(&schemes);
    }
    if let Some(response) = base64_value(flags, "ocsp-response")? {
        // ferrotls staples only what parses as an OCSP response; the
        // runner's are placeholder bytes.
        certified = certified
            .with_ocsp_response(response)
            .map_err(|e| Stop::Unimplemented(format!("-ocsp-response: {e}")))?;
    }
    if let Some(list) = base64_value(flags, "signed-cert-timestamps")? {
        certified = certified
            .with_sct_list(&list)
            .map_err(|e| Stop::Failed(format!("-signed-cert-timestamps: {e}")))?;
    }
    if flags.on("must-match-issuer") {
        certified = certified.with_issuer_match_required();
    }
    Ok(Some(Arc::new(certified)))
}

/// The first TLS 1.3 application traffic secrets of a connection
/// (RFC 8446 §7.1), as its key log names them, which
/// `-export-traffic-secrets` writes: BoringSSL's `SSL_get_traffic_secrets`
/// gives the current ones, which they are until a KeyUpdate.
#[derive(Default)]
struct TrafficSecrets {
    client: Mutex<Vec<u8>>,
    server: Mutex<Vec<u8>>,
}

impl KeyLog for TrafficSecrets {
    fn log(&self, label: &str, _client_random: &[u8], secret: &[u8]) {
        let slot = match label {
            "CLIENT_TRAFFIC_SECRET_0" => &self.client,
            "SERVER_TRAFFIC_SECRET_0" => &self.server,
            _ => return,
        };
        *slot.lock().unwrap_or_else(|e| e.into_inner()) = secret.to_vec();
    }
}

impl TrafficSecrets {
    /// What the runner reads (`runner.go`, `exportTrafficSecrets`): the
    /// length of a secret (2 bytes, little-endian), this side's read
    /// secret, then its write secret.
    fn message(&self, server: bool) -> Result<Vec<u8>, Stop> {
        let secret = |slot: &Mutex<Vec<u8>>| slot.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let (client, server_secret) = (secret(&self.client), secret(&self.server));
        let (read, write) = if server {
            (client, server_secret)
        } else {
            (server_secret, client)
        };
        if read.is_empty() || read.len() != write.len() {
            return Err(Stop::Failed("failed to export traffic secrets".into()));
        }
        let len = u16::try_from(read.len()).map_err(|_| "a traffic secret too long".to_string())?;
        Ok([len.to_le_bytes().as_slice(), &read, &write].concat())
    }
}

/// Counts the ServerHellos a connection sent or received: two mean the
/// first was a HelloRetryRequest (RFC 8446 §4.1.4), which is a ServerHello
/// on the wire, for `-expect-hrr` and `-expect-no-hrr`.
#[derive(Default)]
struct ServerHellos(AtomicUsize);

impl MessageObserver for ServerHellos {
    fn handshake_message(&self, _direction: MessageDirection, typ: HandshakeType) {
        if typ == HandshakeType::ServerHello {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl ServerHellos {
    fn retried(&self) -> bool {
        self.0.load(Ordering::Relaxed) > 1
    }
}

/// The client's session store, watched for new sessions as BoringSSL's
/// shim watches its new-session callback (`got_new_session` in
/// `bssl_shim.cc`): a TLS 1.3 ticket, or a TLS ≤1.2 session stored anew,
/// not the resumed one put back as it was.
struct NewSessions {
    store: InMemoryClientStore,
    got: AtomicBool,
}

impl NewSessions {
    /// Whether a new session came since the last call.
    fn take(&self) -> bool {
        self.got.swap(false, Ordering::Relaxed)
    }
}

impl ClientSessionStore for NewSessions {
    fn put_tls12(&self, server_name: &str, session: Arc<ClientSessionTls12>) {
        let kept = self
            .store
            .get_tls12(server_name)
            .is_some_and(|old| Arc::ptr_eq(&old, &session));
        if !kept {
            self.got.store(true, Ordering::Relaxed);
        }
        self.store.put_tls12(server_name, session);
    }

    fn get_tls12(&self, server_name: &str) -> Option<Arc<ClientSessionTls12>> {
        self.store.get_tls12(server_name)
    }

    fn remove_tls12(&self, server_name: &str) {
        self.store.remove_tls12(server_name);
    }

    fn remove_tls12_if(&self, server_name: &str, is_it: &dyn Fn(&ClientSessionTls12) -> bool) {
        self.store.remove_tls12_if(server_name, is_it);
    }

    fn add_tls13_ticket(&self, server_name: &str, ticket: Arc<ClientTicketTls13>) {
        self.got.store(true, Ordering::Relaxed);
        self.store.add_tls13_ticket(server_name, ticket);
    }

    fn take_tls13_ticket(&self, server_name: &str) -> Option<Arc<ClientTicketTls13>> {
        self.store.take_tls13_ticket(server_name)
    }
}

/// What every connection of one shim run shares: the client's session
/// store, or the server's ticket keys and session cache, so that a
/// resumption finds the first connection's session.
struct Shared {
    anti_replay: Arc<InMemoryAntiReplay>,
    client_store: Arc<NewSessions>,
    ticketer: Arc<dyn Ticketer>,
    server_store: Arc<dyn ServerSessionStore>,
    /// The run's clock: now when the run starts, then moved on only by
    /// `-resumption-delay` before each resumption, so ticket ages and
    /// lifetimes are exact.
    clock: Arc<ManualClock>,
    /// Whether the last verification of the peer's certificate failed
    /// without ending the handshake: BoringSSL's verify result, which a
    /// session keeps, so a resumption that verifies nothing reports the
    /// first connection's.
    verify_failed: Arc<AtomicBool>,
}

impl Shared {
    fn new() -> Result<Self, Stop> {
        let clock = Arc::new(ManualClock::new(SystemClock.now()));
        Ok(Self {
            clock: clock.clone(),
            anti_replay: Arc::new(InMemoryAntiReplay::new()),
            client_store: Arc::new(NewSessions {
                store: InMemoryClientStore::new(clock.clone()),
                got: AtomicBool::new(false),
            }),
            ticketer: Arc::new(RotatingTicketer::new(
                Arc::new(OsRng::new()),
                clock.clone(),
            )?),
            server_store: Arc::new(InMemoryServerStore::new(clock)),
            verify_failed: Arc::new(AtomicBool::new(false)),
        })
    }
}

fn client_config(flags: &Flags, shared: &Shared, local: &Local) -> Result<Arc<ClientConfig>, Stop> {
    // A client whose only credentials are PSKs and that verifies no
    // certificate takes the server's PSK or nothing, as BoringSSL's does,
    // and speaks TLS 1.3 alone.
    let psk_only = !local.psks.is_empty() && !flags.on("verify-peer");
    let mut versions = versions(flags)?;
    let builder = if psk_only {
        versions.retain(|v| *v == ProtocolVersion::TLSv1_3);
        ClientConfig::builder_for_external_psks(local.psk_imports().cloned())
    } else if flags.on("verify-peer")
        && !flags.on("use-custom-verify-callback")
        && !flags.on("verify-fail")
        && !local.retry.as_ref().is_some_and(|r| r.on("verify-fail"))
    {
        let roots = match flags.value("trust-cert") {
            None => {
                return Err(Stop::Unimplemented(
                    "-verify-peer without -trust-cert".into(),
                ))
            }
            // A PSK test's runner has no certificate to trust.
            Some("") => RootStore::new(),
            Some(root) => RootStore::from_pem_file(root).map_err(|e| format!("{root}: {e}"))?,
        };
        ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
    } else {
        ClientConfig::builder(Arc::new(Callback::new(flags, local)?))
    };
    let mut builder = builder
        .versions(&versions)
        .clock(shared.clock.clone())
        .cipher_suites(&cipher_suites(flags)?)
        .session_store(Some(
            shared.client_store.clone() as Arc<dyn ClientSessionStore>
        ))
        .message_observer(local.hellos.clone())
        .enable_sni(flags.value("host-name").is_some())
        .enable_tickets(!flags.on("no-ticket"))
        .renegotiation(flags.on("renegotiate-freely") || flags.on("renegotiate-once"))
        .fallback_retry(flags.on("fallback-scsv"))
        .request_ocsp_staple(flags.on("enable-ocsp-stapling"))
        .request_scts(flags.on("enable-signed-cert-timestamps"))
        .enable_early_data(flags.on("enable-early-data"))
        .reverify_on_resume(flags.on("reverify-on-resume"))
        .grease(flags.on("enable-grease"))
        .permute_extensions(flags.on("permute-extensions"))
        .false_start(flags.on("false-start"))
        .max_fragment_size(flags.number("max-send-fragment")?);
    // BoringSSL bounds every handshake message by it, the certificate
    // chain's first.
    if let Some(bytes) = flags.number("max-cert-list")? {
        builder = builder.max_certificate_message_size(bytes);
    }
    if let Some(groups) = groups(flags)? {
        builder = builder.groups(&groups);
    }
    if flags.on("renegotiate-once") {
        builder = builder.max_renegotiations(1);
    }
    if let Some(secrets) = &local.traffic_secrets {
        builder = builder.key_log(secrets.clone());
    }
    if let Some(groups) = code_points::<NamedGroup>(flags, "key-shares")? {
        builder = builder.key_share_groups(&groups);
    }
    let offered = certificate_types(flags, "available-client-cert-types")?;
    if !offered.is_empty() {
        builder = builder.client_certificate_types(&offered);
    }
    if flags.on("no-key-shares") {
        builder = builder.key_share_groups(&[]);
    }
    if let Some(schemes) = accepted_schemes(flags)? {
        builder = builder.signature_schemes(&schemes);
    }
    if let Some(wire) = flags.value("advertise-alpn") {
        let list = alpn_list(wire)?;
        let names: Vec<&[u8]> = list.iter().map(Vec::as_slice).collect();
        builder = builder.alpn_protocols(&names);
    }
    // BoringSSL's legacy client certificate callback hands over the
    // default credential's leaf alone, once a CertificateRequest came;
    // ferrotls sends the configured certificate then, chain and all, so
    // the two agree on a default credential of one certificate.
    if flags.on("use-old-client-cert-callback")
        && (!flags.credentials.is_empty() || local.keys.iter().any(|k| k.chain().len() > 1))
    {
        return Err(Stop::Unimplemented(
            "-use-old-client-cert-callback with a chain or added credentials".into(),
        ));
    }
    match &local.request_check {
        Some(check) => builder = builder.client_certificate_resolver(check.clone()),
        None => {
            for key in &local.keys {
                builder = builder.client_certificate(key.clone());
            }
        }
    }
    if !psk_only {
        for psk in local.psk_imports() {
            builder = builder.external_psk(psk.clone());
        }
    }
    built(builder.build())
}

/// A configuration ferrotls refuses to build (a group or version it does
/// not have) is a test this shim cannot run, not a failure of it.
fn built<T>(config: Result<T, ferrotls::Error>) -> Result<T, Stop> {
    config.map_err(|e| Stop::Unimplemented(format!("configuration refused: {e}")))
}

/// The server's configuration, chosen once the client's hello offered
/// the ALPN protocols `offered`.
fn server_config(
    flags: &Flags,
    shared: &Shared,
    local: &Local,
    offered: &[Vec<u8>],
) -> Result<Arc<ServerConfig>, Stop> {
    // A server's OCSP callback chooses whether to staple, per connection;
    // the runner's responses do not parse as OCSP, which ferrotls staples
    // alone, so the tests that would show it cannot run anyway.
    if flags.on("use-ocsp-callback") {
        return Err(Stop::Unimplemented("-use-ocsp-callback on a server".into()));
    }
    let mut psks = ExternalPsks::new();
    for psk in local.psk_imports() {
        psks.insert(psk.clone());
    }
    let mut keys = local.keys.iter().cloned();
    let start = match keys.next() {
        Some(first) => ServerConfig::builder(first),
        None if !local.psks.is_empty() => {
            ServerConfig::builder_for_external_psks(Arc::new(psks.clone()))
        }
        None => return Err(Stop::Unimplemented("a server without a certificate".into())),
    };
    let mut builder = keys
        .fold(start, |b, key| b.certificate(key))
        .clock(shared.clock.clone())
        .versions(&versions(flags)?)
        .cipher_suite_tiers(&cipher_suite_tiers(flags)?)
        .ticketer(shared.ticketer.clone())
        .session_cache(Some(shared.server_store.clone()))
        .message_observer(local.hellos.clone())
        .renegotiation(flags.on("renegotiate-freely"))
        // BoringSSL's TLS 1.3 server always sends GREASE, and the runner
        // expects it (GREASE-Server-TLS13): every server test then runs
        // against GREASE tickets and certificate requests.
        .grease(true)
        .max_fragment_size(flags.number("max-send-fragment")?);
    // BoringSSL bounds every handshake message by it, the certificate
    // chain's first.
    if let Some(bytes) = flags.number("max-cert-list")? {
        builder = builder.max_certificate_message_size(bytes);
    }
    if flags.on("no-ticket") {
        builder = builder.tickets(0);
    }
    if let Some(secrets) = &local.traffic_secrets {
        builder = builder.key_log(secrets.clone());
    }
    if !local.psks.is_empty() {
        builder = builder.external_psks(Arc::new(psks));
    }
    if flags.on("enable-early-data") {
        // 0-RTT needs a ClientHello that cannot be replayed (RFC 8446
        // §8): the filter of the whole run.
        builder = builder
            .max_early_data_size(MAX_EARLY_DATA)
            .anti_replay(shared.anti_replay.clone())
            .send_half_rtt_data(true);
    }
    if let Some(groups) = groups(flags)? {
        builder = if policy(flags)?.is_some_and(|p| p.server_group_order) {
            let tiers: Vec<[NamedGroup; 1]> = groups.iter().map(|g| [*g]).collect();
            builder.group_tiers(&tiers)
        } else {
            builder.groups(&groups)
        };
    }
    if let Some(schemes) = accepted_schemes(flags)? {
        builder = builder.signature_schemes(&schemes);
    }
    // BoringSSL's ALPN callback may refuse every offered protocol
    // (`-reject-alpn`): a ferrotls server that speaks none of them
    // refuses with no_application_protocol (RFC 7301 §3.2), so it is
    // given one the client did not offer. Declining to choose
    // (`-decline-alpn`) is a server that speaks none, which answers none.
    if flags.on("reject-alpn") {
        let unoffered = (0..=u8::MAX)
            .map(|b| vec![b])
            .find(|name| !offered.contains(name))
            .ok_or_else(|| Stop::Failed("the client offered every 1-byte protocol".into()))?;
        builder = builder.alpn_protocols(&[&unoffered]);
    } else if let Some(name) = flags
        .value("select-alpn")
        .filter(|_| !flags.on("decline-alpn"))
    {
        builder = builder.alpn_protocols(&[name.as_bytes()]);
    }
    let verifier = Arc::new(Callback::new(flags, local)?);
    if flags.on("require-any-client-certificate") {
        builder = builder.client_auth(ClientAuth::Required(verifier));
    } else if flags.on("verify-peer") {
        builder = builder.client_auth(ClientAuth::Optional(verifier));
    }
    built(builder.build())
}

/// BoringSSL's name of an [`EarlyDataReason`] (`SSL_early_data_reason_string`);
/// it has no reason for a ClientHello refused as a possible replay, which
/// its servers do not check.
fn boringssl_reason(reason: EarlyDataReason) -> &'static str {
    use EarlyDataReason as R;
    match reason {
        R::Accepted => "accept",
        R::Disabled => "disabled",
        R::ProtocolVersion => "protocol_version",
        R::PeerDeclined => "peer_declined",
        R::NoSessionOffered => "no_session_offered",
        R::SessionNotResumed => "session_not_resumed",
        R::UnsupportedForSession => "unsupported_for_session",
        R::AlpnMismatch => "alpn_mismatch",
        R::HelloRetryRequest => "hello_retry_request",
        R::TicketAgeSkew => "ticket_age_skew",
        R::ReplayProtection => "replay_protection",
    }
}

/// Checks what the handshake negotiated against the `-expect-*` flags
/// (`bssl_shim.cc`, `CheckHandshakeProperties`).
fn check(
    conn: &ferrotls::Connection,
    flags: &Flags,
    is_resume: bool,
    local: &Local,
) -> Result<(), Stop> {
    if let Some(want) = flags.number::<i64>("expect-selected-credential")? {
        let got = local.selected(conn);
        if got != want {
            return Err(Stop::Failed(format!(
                "credential {got} was used, wanted {want}"
            )));
        }
    }
    // The session identifier of design §3 (`docs/session-ids.md`).
    let has_id = !conn.session_id().is_empty();
    if (flags.on("expect-session-id") && !has_id) || (flags.on("expect-no-session-id") && has_id) {
        return Err(Stop::Failed(format!(
            "session ID {:02x?}",
            conn.session_id()
        )));
    }
    if let Some(problem) = local.request_check.as_ref().and_then(|c| c.problem()) {
        return Err(Stop::Failed(problem));
    }
    if flags.on("expect-no-peer-cert") && !conn.peer_certificates().is_empty() {
        return Err(Stop::Failed("the peer sent a certificate".into()));
    }
    // The peer's chain as received, intermediates included (on a
    // resumption, the session's).
    if let Some(path) = flags.value("expect-peer-cert-file") {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let want = certificate_blocks_from_pem(&text).map_err(|e| format!("{path}: {e}"))?;
        if conn.peer_certificates() != want.as_slice() {
            return Err(Stop::Failed(format!(
                "the peer's chain is not {path}: {} certificates",
                conn.peer_certificates().len()
            )));
        }
    }
    let retried = local.hellos.retried();
    if (flags.on("expect-hrr") && !retried) || (flags.on("expect-no-hrr") && retried) {
        return Err(Stop::Failed(format!("HelloRetryRequest: {retried}")));
    }
    if let Some(want) = flags.number::<u16>("expect-version")? {
        let got = conn.protocol_version().map(u16::from);
        if got != Some(want) {
            return Err(Stop::Failed(format!(
                "want version {want:04x}, got {got:04x?}"
            )));
        }
    }
    let expect_resume = is_resume && !flags.on("expect-session-miss");
    if conn.is_resumed() != expect_resume {
        return Err(Stop::Failed(format!(
            "session unexpectedly was{} reused",
            if conn.is_resumed() { "" } else { " not" }
        )));
    }
    // An empty name (which ALPN cannot negotiate, RFC 7301 §3.1) expects
    // none, as in BoringSSL's shim.
    if let Some(want) = flags.value("expect-alpn") {
        if conn.alpn_protocol().unwrap_or_default() != want.as_bytes() {
            return Err(Stop::Failed(format!(
                "want ALPN {want:?}, got {:?}",
                conn.alpn_protocol().map(String::from_utf8_lossy)
            )));
        }
    }
    if flags.on("expect-no-alpn") && conn.alpn_protocol().is_some() {
        return Err(Stop::Failed("unexpected ALPN".into()));
    }
    if let Some(want) = flags.value("expect-server-name") {
        if conn.server_name() != Some(want) {
            return Err(Stop::Failed(format!(
                "want server name {want:?}, got {:?}",
                conn.server_name()
            )));
        }
    }
    // A failure that ended the handshake is not reported here: only one
    // that let it go on (see [`Callback`]).
    if flags.on("expect-verify-result")
        && local.verify_failed.load(Ordering::Relaxed) != flags.on("verify-fail")
    {
        return Err(Stop::Failed("wrong certificate verification result".into()));
    }
    // BoringSSL counts TLS 1.3, which has no renegotiation, as secure;
    // ferrotls's secure_renegotiation() is about TLS ≤1.2 alone.
    let secure =
        conn.protocol_version() == Some(ProtocolVersion::TLSv1_3) || conn.secure_renegotiation();
    if flags.on("expect-secure-renegotiation") && !secure
        || flags.on("expect-no-secure-renegotiation") && secure
    {
        return Err(Stop::Failed(format!("secure renegotiation: {secure}")));
    }
    if let Some(want) = flags.number::<u16>("expect-cipher")? {
        let got = conn.cipher_suite().map(u16::from);
        if got != Some(want) {
            return Err(Stop::Failed(format!(
                "want cipher suite {want:04x}, got {got:04x?}"
            )));
        }
    }
    if flags.on("expect-extended-master-secret") && !conn.extended_master_secret() {
        return Err(Stop::Failed("no extended master secret".into()));
    }
    // ferrotls reports the signature made in this handshake, and a
    // resumption makes none; BoringSSL reports the session's then.
    let signed = !conn.is_resumed();
    if let Some(want) = flags
        .number::<u16>("expect-peer-signature-algorithm")?
        .filter(|_| signed)
    {
        // The runner's 0 stands for "no scheme", a TLS 1.0/1.1 signature.
        let got = conn.peer_signature_scheme().map_or(0, u16::from);
        if got != want {
            return Err(Stop::Failed(format!(
                "want peer signature {want:04x}, got {got:04x}"
            )));
        }
    }
    // A resuming client reports the staples kept with its session, as
    // BoringSSL does; the runner gives SCTs as a
    // SignedCertificateTimestampList.
    if let Some(want) = base64_value(flags, "expect-ocsp-response")? {
        if conn.stapled_ocsp_response() != Some(want.as_slice()) {
            return Err(Stop::Failed(format!(
                "want OCSP response {want:02x?}, got {:02x?}",
                conn.stapled_ocsp_response()
            )));
        }
    }
    if let Some(want) = base64_value(flags, "expect-signed-cert-timestamps")? {
        let mut got = Vec::new();
        for sct in conn.stapled_scts() {
            got.extend_from_slice(&u16::try_from(sct.len()).unwrap_or(u16::MAX).to_be_bytes());
            got.extend_from_slice(sct);
        }
        let len = u16::try_from(got.len()).unwrap_or(u16::MAX).to_be_bytes();
        got.splice(0..0, len);
        if got != want {
            return Err(Stop::Failed(format!(
                "want SCTs {want:02x?}, got {got:02x?}"
            )));
        }
    }
    // Like the signature, the certificate type is this handshake's, none
    // on a resumption.
    if let Some(want) = flags
        .number::<u8>("expect-peer-certificate-type")?
        .filter(|_| signed)
    {
        let got = if flags.on("server") {
            conn.client_certificate_type()
        } else {
            conn.server_certificate_type()
        };
        if got != Some(CertificateType::from(want)) {
            return Err(Stop::Failed(format!(
                "want peer certificate type {want}, got {got:?}"
            )));
        }
    }
    if let Some(want) = flags.number::<u16>("expect-curve-id")? {
        let got = conn.negotiated_group().map(u16::from);
        if got != Some(want) {
            return Err(Stop::Failed(format!("want group {want}, got {got:?}")));
        }
    }
    Ok(())
}

/// `-export-keying-material N`: the shim writes N bytes exported under
/// `-export-label` (and `-export-context` when `-use-export-context`) to
/// the peer, which compares them with its own (RFC 5705, RFC 8446 §7.5).
fn exported(conn: &ferrotls::Connection, flags: &Flags) -> Result<Option<Vec<u8>>, Stop> {
    let Some(len) = flags.number::<usize>("export-keying-material")? else {
        return Ok(None);
    };
    let label = flags.value("export-label").unwrap_or_default();
    let context = flags
        .on("use-export-context")
        .then(|| flags.value("export-context").unwrap_or_default().as_bytes());
    let mut out = vec![0; len];
    conn.export_keying_material(&mut out, label.as_bytes(), context)?;
    Ok(Some(out))
}

/// One connection: handshake, checks, the echo, and the close.
fn exchange<C>(
    tls: &mut StreamOwned<C, TcpStream>,
    flags: &Flags,
    is_resume: bool,
    local: &Local,
) -> Result<(), Stop>
where
    C: std::ops::DerefMut<Target = ferrotls::Connection>,
{
    if flags.on("server") && flags.on("enable-early-data") {
        echo_early_data(tls)?;
    }
    // A False Start client writes first as soon as it may: before the
    // server's Finished, which the runner holds back until the data has
    // come (RFC 7918). Without False Start the write waits for the
    // handshake as any other.
    // Keying material is exported (and sent first) as soon as data may
    // go, as BoringSSL's shim does: during a False Start that is before
    // the server's Finished.
    let false_started = flags.on("false-start") && flags.on("shim-writes-first");
    if false_started {
        tls.conn.complete_io_until_writable(&mut tls.sock)?;
        if let Some(material) = exported(&tls.conn, flags)? {
            tls.write_all(&material)?;
        }
        for _ in 0..local.initial_repeat {
            tls.write_all(&local.initial_write)?;
        }
    }
    tls.complete_handshake()?;
    // Another complete_handshake must do nothing now: no handshake left to
    // read, nothing to write.
    if flags.on("no-op-extra-handshake") && (tls.conn.is_handshaking() || tls.conn.wants_write()) {
        return Err(Stop::Failed(
            "an extra handshake call was not a no-op".into(),
        ));
    }
    let early_data = tls.conn.early_data_status();
    let flags = match &local.retry {
        Some(retry) if early_data == EarlyDataStatus::Rejected => retry,
        _ => flags,
    };
    check(&tls.conn, flags, is_resume, local)?;
    // A TLS ≤1.2 client's new session comes with the handshake: from a
    // full one, or a resumption whose server renewed the ticket (RFC 5077
    // §3.3), unless the server gave neither ID nor ticket.
    let tls13 = tls.conn.protocol_version() == Some(ProtocolVersion::TLSv1_3);
    if !flags.on("server") && !tls13 {
        let want = !flags.on("expect-no-session")
            && (!tls.conn.is_resumed() || flags.on("expect-ticket-renewal"));
        new_session(local.sessions.take(), want)?;
    }
    if flags.on("expect-accept-early-data") && early_data != EarlyDataStatus::Accepted
        || flags.on("expect-reject-early-data") && early_data == EarlyDataStatus::Accepted
        || flags.on("expect-no-offer-early-data") && early_data != EarlyDataStatus::NotOffered
    {
        return Err(Stop::Failed(format!("0-RTT: {early_data:?}")));
    }
    if let Some(want) = flags.value("expect-early-data-reason") {
        let got = tls.conn.early_data_reason().map(boringssl_reason);
        if got != Some(want) {
            return Err(Stop::Failed(format!("0-RTT reason {got:?}, wanted {want}")));
        }
    }
    // An unsolicited KeyUpdate (RFC 8446 §4.6.3), before any data.
    if flags.on("key-update") {
        tls.conn.refresh_traffic_keys(false)?;
    }
    if !false_started {
        if let Some(material) = exported(&tls.conn, flags)? {
            tls.write_all(&material)?;
        }
    }
    if let Some(secrets) = &local.traffic_secrets {
        tls.write_all(&secrets.message(flags.on("server"))?)?;
    }
    if flags.on("tls-unique") {
        let binding = tls
            .conn
            .tls_unique()
            .ok_or_else(|| Stop::Failed("failed to get tls-unique".into()))?
            .to_vec();
        tls.write_all(&binding)?;
    }
    // A client whose first write went (in part) as accepted 0-RTT data
    // sends the rest; rejected, it sends it all again (RFC 8446 §4.2.10).
    let written_early = if early_data == EarlyDataStatus::Accepted {
        local.sent_early
    } else {
        0
    };
    if flags.on("shim-writes-first") && !false_started {
        let all = local.initial_write.repeat(local.initial_repeat);
        tls.write_all(all.get(written_early..).unwrap_or_default())?;
    }
    if !flags.on("shim-shuts-down") {
        let mut buf = [0u8; READ_SIZE];
        loop {
            let n = match tls.read(&mut buf) {
                Ok(0) => break,
                // The runner's shim stops on an unclean close too.
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => break,
                Err(e) => return Err(e.into()),
                Ok(n) => n,
            };
            let echo: Vec<u8> = buf.iter().take(n).map(|b| b ^ 0xff).collect();
            tls.write_all(&echo)?;
        }
    }
    // A TLS 1.3 client's sessions come after the handshake, as tickets
    // the shim reads with the data (RFC 8446 §4.6.1); a TLS ≤1.2 one's
    // came with it, and none may come later but from a renegotiation's
    // full handshake, whose session ferrotls keeps (RFC 5246 lets it be
    // resumed) where BoringSSL keeps none.
    if !flags.on("server") {
        let got = local.sessions.take();
        let want = tls13 && !flags.on("expect-no-session") && !flags.on("shim-shuts-down");
        if tls13 || tls.conn.renegotiations() == 0 {
            new_session(got, want)?;
        }
    }
    if let Some(want) = flags.number::<usize>("expect-total-renegotiations")? {
        let got = tls.conn.renegotiations();
        if got != want {
            return Err(Stop::Failed(format!(
                "want {want} renegotiations, got {got}"
            )));
        }
    }
    tls.conn.send_close_notify();
    match tls.flush() {
        Ok(()) => {}
        // The runner may already have closed its end.
        Err(e) if !flags.on("check-close-notify") => drop(e),
        Err(e) => return Err(e.into()),
    }
    if flags.on("shim-shuts-down") && flags.on("check-close-notify") {
        let mut rest = Vec::new();
        tls.read_to_end(&mut rest)?;
    }
    Ok(())
}

/// Checks whether the client got a new session since the last check
/// ([`NewSessions::take`]) against `want`.
fn new_session(got: bool, want: bool) -> Result<(), Stop> {
    if got != want {
        return Err(Stop::Failed(format!(
            "new session was{} cached, but we expected the opposite",
            if got { "" } else { " not" }
        )));
    }
    Ok(())
}

/// A server drives its handshake by hand to echo accepted 0-RTT data at
/// once, as half-RTT data (RFC 8446 §4.4.4): BoringSSL's shim does, and
/// the runner waits for it before its EndOfEarlyData.
fn echo_early_data<C>(tls: &mut StreamOwned<C, TcpStream>) -> Result<(), Stop>
where
    C: std::ops::DerefMut<Target = ferrotls::Connection>,
{
    let mut buf = [0u8; READ_SIZE];
    while tls.conn.is_handshaking() {
        while tls.conn.wants_write() {
            tls.conn.write_tls(&mut tls.sock)?;
        }
        if tls.conn.read_tls(&mut tls.sock)? == 0 {
            return Ok(());
        }
        tls.conn.process_new_packets()?;
        loop {
            let n = match tls.conn.reader().read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e.into()),
            };
            if n == 0 {
                break;
            }
            let echo: Vec<u8> = buf.iter().take(n).map(|b| b ^ 0xff).collect();
            tls.conn.writer().write_all(&echo)?;
        }
    }
    Ok(())
}

/// Runs [`exchange`]; when it fails, sends what the connection still has
/// to say (its alert), then reads until the runner closes, at most
/// [`LINGER`], before the socket goes.
fn settle<C>(
    mut tls: StreamOwned<C, TcpStream>,
    flags: &Flags,
    is_resume: bool,
    local: &Local,
) -> Result<(), Stop>
where
    C: std::ops::DerefMut<Target = ferrotls::Connection>,
{
    let result = exchange(&mut tls, flags, is_resume, local);
    if result.is_err() {
        while tls.conn.wants_write() {
            if tls.conn.write_tls(&mut tls.sock).is_err() {
                break;
            }
        }
        linger(&mut tls.sock);
    }
    result
}

/// After a failure whose alert went out: half-closes `sock` and reads
/// until the runner closes, at most [`LINGER`], so the runner reads the
/// alert before the socket goes.
fn linger(sock: &mut TcpStream) {
    let _ = sock.shutdown(std::net::Shutdown::Write);
    let _ = sock.set_read_timeout(Some(LINGER));
    let _ = io::copy(sock, &mut io::sink());
}

/// A server reads the ClientHello through ferrotls's [`Acceptor`], as an
/// application that picks its configuration by the hello does, checks
/// `-expect-advertised-alpn` against it, and hands it over to the
/// connection. A ClientHello the acceptor refuses gets its alert.
fn accept(sock: &mut TcpStream, flags: &Flags) -> Result<Accepted, Stop> {
    let mut acceptor = Acceptor::new();
    let accepted = loop {
        match acceptor.accept() {
            Ok(Some(accepted)) => break accepted,
            Ok(None) if acceptor.read_tls(sock)? > 0 => {}
            Ok(None) => return Err(Stop::Failed("closed before a ClientHello".into())),
            Err(e) => {
                while acceptor.wants_write() && acceptor.write_tls(sock).is_ok() {}
                linger(sock);
                return Err(e.into());
            }
        }
    };
    // The schemes the client accepts, in its order (signature_algorithms,
    // RFC 8446 §4.2.3).
    if let Some(want) = code_points::<SignatureScheme>(flags, "expect-peer-verify-pref")? {
        if accepted.signature_schemes() != want.as_slice() {
            return Err(Stop::Failed(format!(
                "the client accepts the schemes {:?}",
                accepted.signature_schemes()
            )));
        }
    }
    if let Some(wire) = flags.value("expect-advertised-alpn") {
        if accepted.alpn_protocols() != alpn_list(wire)?.as_slice() {
            return Err(Stop::Failed(format!(
                "the client offered ALPN {:?}",
                accepted.alpn_protocols()
            )));
        }
    }
    Ok(accepted)
}

/// A client's 0-RTT: on a resumption whose ticket allows it (which
/// `-expect-ticket-supports-early-data` expects: the client had a ticket
/// and it did not rule 0-RTT out, though it may not offer it for
/// another reason), its first writes go as early data (RFC 8446
/// §4.2.10), as much as the ticket allows; returns how much.
fn offer_early_data(
    conn: &mut ClientConnection,
    flags: &Flags,
    is_resume: bool,
    local: &Local,
) -> Result<usize, Stop> {
    if !is_resume || !flags.on("enable-early-data") {
        return Ok(0);
    }
    let offered = conn.early_data_status() == EarlyDataStatus::Offered;
    let ticket_allows = !matches!(
        conn.early_data_reason(),
        Some(EarlyDataReason::NoSessionOffered | EarlyDataReason::UnsupportedForSession)
    );
    if ticket_allows != flags.on("expect-ticket-supports-early-data") {
        return Err(Stop::Failed(format!(
            "the ticket allows 0-RTT: {ticket_allows}"
        )));
    }
    let mut sent = 0;
    if offered && flags.on("shim-writes-first") {
        for _ in 0..local.initial_repeat {
            let n = conn.write_early_data(&local.initial_write)?;
            sent += n;
            if n < local.initial_write.len() {
                break;
            }
        }
    }
    Ok(sent)
}

fn connect(flags: &Flags) -> Result<TcpStream, Stop> {
    let port: u16 = flags
        .number("port")?
        .ok_or_else(|| Stop::Failed("no -port".into()))?;
    let id: u64 = flags
        .number("shim-id")?
        .ok_or_else(|| Stop::Failed("no -shim-id".into()))?;
    let address = if flags.on("ipv6") {
        SocketAddr::from((Ipv6Addr::LOCALHOST, port))
    } else {
        SocketAddr::from((Ipv4Addr::LOCALHOST, port))
    };
    let mut tcp = TcpStream::connect(address)?;
    tcp.set_nodelay(true)?;
    tcp.set_read_timeout(Some(IDLE_TIMEOUT))?;
    tcp.write_all(&id.to_le_bytes())?;
    Ok(tcp)
}

fn run(args: &[String]) -> Result<(), Stop> {
    let (initial, resume, retry) = parse(args)?;
    let resumptions: usize = initial.number("resume-count")?.unwrap_or(0);
    let shared = Shared::new()?;
    for i in 0..=resumptions {
        let flags = if i == 0 { &initial } else { &resume };
        if let (true, Some(delay)) = (i > 0, flags.number::<u64>("resumption-delay")?) {
            shared.clock.advance(Duration::from_secs(delay));
        }
        let mut tcp = connect(flags)?;
        let mut local = Local::new(flags, &shared)?;
        if flags.on("server") {
            let accepted = accept(&mut tcp, flags)?;
            let config = server_config(flags, &shared, &local, accepted.alpn_protocols())?;
            let conn = accepted.into_connection(config);
            settle(StreamOwned::new(conn, tcp), flags, i > 0, &local)?;
        } else {
            local.request_check = RequestCheck::from_flags(flags, &local.keys)?;
            let name: ServerName = flags
                .value("host-name")
                .unwrap_or(DEFAULT_SERVER_NAME)
                .parse()
                .map_err(|e| format!("server name: {e}"))?;
            local.retry = (i > 0).then(|| retry.clone());
            let mut conn = ClientConnection::new(client_config(flags, &shared, &local)?, name)?;
            local.sent_early = offer_early_data(&mut conn, flags, i > 0, &local)?;
            // A certificate verified after a ClientHello that offered
            // 0-RTT data comes from a full handshake: the server declined
            // the session and with it the data, so BoringSSL's retry
            // verifies it. A stored session's chain is checked again
            // (`-reverify-on-resume`) before that ClientHello, under the
            // resumption's flags, where BoringSSL checks it in the
            // handshake that resumes it, the retry's when the data was
            // rejected.
            if conn.early_data_status() == EarlyDataStatus::Offered {
                local
                    .verify_fail
                    .store(retry.on("verify-fail"), Ordering::Relaxed);
            }
            settle(StreamOwned::new(conn, tcp), flags, i > 0, &local)?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // The runner asks once whether the shim can split a handshake between
    // processes (BoringSSL's "handshaker"); ferrotls cannot.
    if args.iter().any(|a| a == "-is-handshaker-supported") {
        println!("No");
        return ExitCode::SUCCESS;
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Stop::Unimplemented(why)) => {
            eprintln!("{why}");
            ExitCode::from(EXIT_UNIMPLEMENTED)
        }
        Err(Stop::Failed(why)) => {
            eprintln!("{why}");
            ExitCode::FAILURE
        }
    }
}
