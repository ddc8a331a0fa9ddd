//! Connection configuration: [`ClientConfig`] and [`ServerConfig`], each
//! made by its builder and shared (`Arc`) by every connection it starts.
//!
//! A configuration fixes what this endpoint offers and accepts: protocol
//! versions (the type spans TLS 1.0–1.3; the handshake implements 1.3 so
//! far), cipher suites, key-exchange groups, signature schemes, ALPN
//! protocols, certificates, the peer verifier, the randomness and clock
//! (injected, design §2), the key log, middlebox compatibility, the number
//! of session tickets and the client-authentication mode. Building checks
//! that the choices can work together; a configuration that cannot is
//! [`Error::InvalidRequest`].

use std::sync::Arc;

use crate::crypto::rng::{OsRng, SecureRandom};
use crate::crypto::verify::tls12_offerable;
use crate::error::{Error, InvalidRequestReason};
use crate::keylog::KeyLog;
use crate::msgs::enums::{
    CertificateType, CipherSuite, NamedGroup, ProtocolVersion, PskKeyExchangeMode, SignatureScheme,
};
use crate::msgs::extensions::any_repeated;
use crate::observer::MessageObserver;
pub use crate::pki::ClientAuth;
use crate::pki::{
    CertifiedKey, ClientCertResolver, RootStore, ServerCertResolver, ServerCertVerifier,
    WebPkiServerVerifier,
};
use crate::session::state::DEFAULT_LIFETIME_SECS;
use crate::session::{
    AntiReplay, ClientSessionStore, ExternalPsk, ExternalPskStore, InMemoryClientStore,
    InMemoryServerStore, RotatingTicketer, ServerSessionStore, Ticketer,
};
use crate::time::{Clock, SystemClock};

/// The TLS 1.3 cipher suites, most preferred first (RFC 8446 §B.4,
/// design §4).
pub const TLS13_CIPHER_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_AES_128_GCM_SHA256,
    CipherSuite::TLS_AES_256_GCM_SHA384,
    CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
];

/// The TLS 1.2 cipher suites enabled by default, most preferred first:
/// ECDHE with an AEAD (RFC 5289, RFC 7905; design §4).
pub const TLS12_CIPHER_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
];

/// The opt-in ECDHE CBC suites for TLS 1.2 (RFC 8422 §6, RFC 5289 §3.1;
/// design §4): encrypt-then-MAC is used with them whenever the peer
/// agrees (RFC 7366).
pub const TLS12_CBC_CIPHER_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
];

/// The opt-in suites for TLS 1.0 and 1.1 (RFC 4346 §A.5, RFC 8422 §6;
/// design §4), most preferred first: ECDHE before RSA key exchange. Add
/// them to the suite list together with the versions.
pub const TLS10_CIPHER_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
    CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA,
];

/// The opt-in RSA key-exchange suites for TLS 1.2 (RFC 5246 §A.5, RFC
/// 5288 §3; design §4): no forward secrecy, so never on by default; they
/// need feature `legacy`.
pub const TLS12_RSA_KX_CIPHER_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite::TLS_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA256,
    CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA256,
    CipherSuite::TLS_RSA_WITH_AES_128_CBC_SHA,
    CipherSuite::TLS_RSA_WITH_AES_256_CBC_SHA,
];

/// The opt-in finite-field DHE suites for TLS 1.2 (RFC 5288 §3, RFC 7905
/// §2; design §4), with the groups of RFC 7919: a peer's own group is
/// accepted from 2048 bits up (RFC 7919 §3), and a server signs one of
/// the RFC 7919 groups it lists in its groups, which enabling these
/// suites adds to the default groups. Each side's exponentiations
/// take from about a millisecond (ffdhe2048) to tens of milliseconds
/// (ffdhe8192) against tens of microseconds for X25519
/// (`docs/performance.md`), so never on by default; they need feature
/// `legacy`.
pub const TLS12_DHE_CIPHER_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite::TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite::TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
];

/// The key-exchange groups, most preferred first (RFC 8446 §4.2.7,
/// design §4): the hybrid X25519MLKEM768 first, as OpenSSL 3.5, Chromium
/// and Firefox offer it (draft-ietf-tls-ecdhe-mlkem), so a client sends
/// its share and an X25519 share, and a server takes it whenever the
/// client sent one; TLS 1.2 skips it.
pub const DEFAULT_GROUPS: &[NamedGroup] = &[
    NamedGroup::X25519MLKEM768,
    NamedGroup::X25519,
    NamedGroup::secp256r1,
    NamedGroup::secp384r1,
    NamedGroup::secp521r1,
    NamedGroup::X448,
];

/// The signature schemes offered and accepted by default (RFC 8446
/// §4.2.3, design §4). The `rsa_pkcs1_*` schemes are only ever used for
/// certificate signatures in TLS 1.3, never in CertificateVerify.
/// There is no SHA-1 scheme (RFC 9155): a configuration that lists
/// `rsa_pkcs1_sha1` or `ecdsa_sha1` (feature `legacy`) accepts TLS 1.2
/// signatures under it and signs with it for a peer that accepts nothing
/// better.
pub const DEFAULT_SIGNATURE_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ecdsa_secp256r1_sha256,
    SignatureScheme::ecdsa_secp384r1_sha384,
    SignatureScheme::ecdsa_secp521r1_sha512,
    SignatureScheme::ed25519,
    SignatureScheme::rsa_pss_rsae_sha256,
    SignatureScheme::rsa_pss_rsae_sha384,
    SignatureScheme::rsa_pss_rsae_sha512,
    SignatureScheme::rsa_pss_pss_sha256,
    SignatureScheme::rsa_pss_pss_sha384,
    SignatureScheme::rsa_pss_pss_sha512,
    SignatureScheme::rsa_pkcs1_sha256,
    SignatureScheme::rsa_pkcs1_sha384,
    SignatureScheme::rsa_pkcs1_sha512,
];

/// The versions a configuration enables unless told otherwise: TLS 1.3
/// and 1.2 (design §4; RFC 8996 leaves 1.0 and 1.1 opt-in).
pub const DEFAULT_VERSIONS: &[ProtocolVersion] =
    &[ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];

/// The versions a configuration may name (RFC 8996 leaves 1.0 and 1.1
/// opt-in, design §4). TLS 1.0 and 1.1 need the MD5‖SHA-1 PRF and AES-CBC,
/// which come with the `legacy` feature.
#[cfg(feature = "legacy")]
pub const ALL_VERSIONS: &[ProtocolVersion] = &[
    ProtocolVersion::TLSv1_3,
    ProtocolVersion::TLSv1_2,
    ProtocolVersion::TLSv1_1,
    ProtocolVersion::TLSv1_0,
];

/// The versions a configuration may name: without the `legacy` feature,
/// TLS 1.2 and 1.3 only.
#[cfg(not(feature = "legacy"))]
pub const ALL_VERSIONS: &[ProtocolVersion] = &[ProtocolVersion::TLSv1_3, ProtocolVersion::TLSv1_2];

/// TLS 1.3 NewSessionTickets a server sends after a full handshake by
/// default (design §3); after a resumption it sends
/// [`DEFAULT_TICKETS_AFTER_RESUMPTION`].
pub const DEFAULT_TICKETS_AFTER_FULL_HANDSHAKE: usize = 2;

/// TLS 1.3 NewSessionTickets a server sends after a resumption by default
/// (design §3).
pub const DEFAULT_TICKETS_AFTER_RESUMPTION: usize = 1;

/// The PSK key-exchange modes offered (client) and accepted (server) by
/// default: psk_dhe_ke only, which keeps forward secrecy (RFC 8446
/// §4.2.9); psk_ke is opt-in.
pub const DEFAULT_PSK_MODES: &[PskKeyExchangeMode] = &[PskKeyExchangeMode::PskDheKe];

/// The most received plaintext a connection buffers for the application
/// before it stops decrypting further records (design §2, "bounded
/// everything"): 64 KiB, four full records.
pub const DEFAULT_MAX_RECEIVED_PLAINTEXT: usize = 64 * 1024;

/// The most application data a connection buffers while the handshake is
/// still running (design §2): 64 KiB. Writes beyond it are accepted only
/// partly.
pub const DEFAULT_MAX_PENDING_PLAINTEXT: usize = 64 * 1024;

/// The most KeyUpdate messages accepted in a row without application data
/// between them (design §2, "bounded everything"; RFC 8446 §4.6.3 sets no
/// number, this one stops a peer from making us rekey forever). One more
/// is [`Error::LimitExceeded`].
pub const DEFAULT_MAX_KEY_UPDATES_WITHOUT_DATA: usize = 32;

/// The most empty application-data records accepted in a row (design §2,
/// "bounded everything"; RFC 8446 §5.4 allows them one at a time, and the
/// bound, like OpenSSL's, stops a peer from keeping us busy with nothing).
/// One more is [`Error::LimitExceeded`].
pub const DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS: usize = 32;

/// The most warning alerts (user_canceled, the only one TLS 1.3 does not
/// treat as fatal, RFC 8446 §6.1, and any warning-level alert of TLS ≤1.2,
/// RFC 5246 §7.2.2) accepted per connection (design §2; OpenSSL likewise
/// stops at its fifth, against CVE-2016-8610).
/// One more is [`Error::LimitExceeded`].
pub const DEFAULT_MAX_WARNING_ALERTS: usize = 4;

/// The most renegotiation attempts (HelloRequest to a client, ClientHello
/// to a server) refused with a no_renegotiation warning per connection
/// (design §2, "bounded everything"; RFC 5746 §4.4–§4.5 allow refusing).
/// One more is [`Error::LimitExceeded`].
pub const DEFAULT_MAX_REFUSED_RENEGOTIATIONS: usize = 4;

/// The `record_size_limit` announced by default (RFC 8449 §4): the
/// protocol's own maximum, 2^14 + 1 ([`crate::MAX_RECORD_SIZE_LIMIT_TLS13`]),
/// as Firefox (NSS) and GnuTLS announce it when they offer TLS 1.3. RFC
/// 8449 §4 asks endpoints to announce the extension even without a need
/// for smaller records, so that a peer that has one can say so; a TLS 1.2
/// handshake counts it as 2^14. Smaller values make the peer send smaller
/// records (constrained receivers); the bound below is
/// [`crate::MIN_RECORD_SIZE_LIMIT`].
pub const DEFAULT_RECORD_SIZE_LIMIT: u16 = crate::record::MAX_RECORD_SIZE_LIMIT_TLS13;

/// The smallest `max_fragment_size` a configuration takes: the smallest
/// `record_size_limit` a peer may ask for (RFC 8449 §4), so that no
/// configuration sends records smaller than any peer could.
pub const MIN_MAX_FRAGMENT_SIZE: usize = crate::record::MIN_RECORD_SIZE_LIMIT;

/// The largest `max_fragment_size` a configuration takes: the protocol's
/// own bound on a record's plaintext, 2^14 (RFC 8446 §5.1, RFC 5246
/// §6.2.1).
pub const MAX_MAX_FRAGMENT_SIZE: usize = crate::record::MAX_PLAINTEXT_LEN;
/// The most renegotiations a connection accepts when renegotiation is
/// switched on (design §2, "bounded everything"; RFC 5746 §4.4 lets a
/// side refuse any): each costs a full handshake, key exchange and
/// signatures included, so a peer asking again and again is held to a
/// few. Past the bound an attempt is refused like any other (and counts
/// against [`DEFAULT_MAX_REFUSED_RENEGOTIATIONS`]).
pub const DEFAULT_MAX_RENEGOTIATIONS: usize = 4;

/// The bounds a connection keeps on what its peer can make it hold or do
/// (design §2, "bounded everything"). Each defaults to the constant its
/// field names; every one has a setter on both configuration builders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Received plaintext buffered for the application before records
    /// stop being decrypted: [`DEFAULT_MAX_RECEIVED_PLAINTEXT`].
    pub max_received_plaintext: usize,
    /// Application data buffered while the handshake runs:
    /// [`DEFAULT_MAX_PENDING_PLAINTEXT`].
    pub max_pending_plaintext: usize,
    /// A received Certificate, CertificateRequest or CertificateStatus
    /// body: [`DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE`](crate::DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE).
    pub max_certificate_message_size: usize,
    /// KeyUpdates in a row without application data:
    /// [`DEFAULT_MAX_KEY_UPDATES_WITHOUT_DATA`].
    pub max_key_updates_without_data: usize,
    /// Empty application-data records in a row:
    /// [`DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS`].
    pub max_consecutive_empty_records: usize,
    /// Warning alerts per connection: [`DEFAULT_MAX_WARNING_ALERTS`].
    pub max_warning_alerts: usize,
    /// Refused renegotiation attempts per connection:
    /// [`DEFAULT_MAX_REFUSED_RENEGOTIATIONS`].
    pub max_refused_renegotiations: usize,
    /// Accepted renegotiations per connection:
    /// [`DEFAULT_MAX_RENEGOTIATIONS`].
    pub max_renegotiations: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_received_plaintext: DEFAULT_MAX_RECEIVED_PLAINTEXT,
            max_pending_plaintext: DEFAULT_MAX_PENDING_PLAINTEXT,
            max_certificate_message_size:
                crate::record::joiner::DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE,
            max_key_updates_without_data: DEFAULT_MAX_KEY_UPDATES_WITHOUT_DATA,
            max_consecutive_empty_records: DEFAULT_MAX_CONSECUTIVE_EMPTY_RECORDS,
            max_warning_alerts: DEFAULT_MAX_WARNING_ALERTS,
            max_refused_renegotiations: DEFAULT_MAX_REFUSED_RENEGOTIATIONS,
            max_renegotiations: DEFAULT_MAX_RENEGOTIATIONS,
        }
    }
}

/// The settings both roles share.
#[derive(Clone)]
pub struct CommonConfig {
    /// Enabled versions, most preferred first.
    pub versions: Vec<ProtocolVersion>,
    /// Enabled cipher suites, most preferred first.
    pub cipher_suites: Vec<CipherSuite>,
    /// Enabled key-exchange groups, most preferred first.
    pub groups: Vec<NamedGroup>,
    /// Whether the application chose `groups` rather than leaving them at
    /// [`DEFAULT_GROUPS`] (see [`CommonConfig::complete_default_groups`]).
    pub(crate) groups_chosen: bool,
    /// Signature schemes offered and accepted, most preferred first. A
    /// list only TLS 1.2 reads (a ClientHello without TLS 1.3, a TLS 1.2
    /// CertificateRequest) leaves out the ECDSA schemes whose hash we
    /// cannot check on P-256 and P-384 keys, which TLS 1.2 lets the peer
    /// use (RFC 5246 §7.4.1.4.1): without feature `legacy`,
    /// `ecdsa_secp521r1_sha512`.
    pub signature_schemes: Vec<SignatureScheme>,
    /// ALPN protocol names, most preferred first (RFC 7301); empty means
    /// ALPN is not used.
    pub alpn_protocols: Vec<Vec<u8>>,
    /// The random generator (OS-backed by default).
    pub rng: Arc<dyn SecureRandom>,
    /// The clock (the system clock by default).
    pub clock: Arc<dyn Clock>,
    /// Where secrets are logged for debugging, if anywhere.
    pub key_log: Option<Arc<dyn KeyLog>>,
    /// What sees each handshake message sent or received, if anything
    /// (see [`MessageObserver`]).
    pub message_observer: Option<Arc<dyn MessageObserver>>,
    /// TLS 1.3 PSK key-exchange modes: offered by a client, accepted by a
    /// server, most preferred first ([`DEFAULT_PSK_MODES`]).
    pub psk_modes: Vec<PskKeyExchangeMode>,
    /// The bounds on what the peer may make a connection hold or do.
    pub limits: Limits,
    /// The `record_size_limit` announced (RFC 8449): the largest protected
    /// record the peer may send us, capped at the negotiated version's
    /// maximum; [`DEFAULT_RECORD_SIZE_LIMIT`] by default, `None` announces
    /// none (then the peer's announcement is not answered either).
    pub record_size_limit: Option<u16>,
    /// The most plaintext one record we send carries, below the
    /// protocol's 2^14 bytes (RFC 8446 §5.1, RFC 5246 §6.2.1) and the
    /// peer's `record_size_limit` (RFC 8449 §4); `None` (the default)
    /// leaves those alone. As OpenSSL's `SSL_CTX_set_max_send_fragment`
    /// and rustls's `max_fragment_size`: smaller records cost more
    /// overhead but let a receiver decrypt sooner. From
    /// [`MIN_MAX_FRAGMENT_SIZE`] to [`MAX_MAX_FRAGMENT_SIZE`].
    pub max_fragment_size: Option<u16>,
    /// TLS 1.3 certificate compression (RFC 8879), most preferred first:
    /// the algorithms we decompress (announced in the ClientHello or the
    /// CertificateRequest) and may compress our own certificate with;
    /// [`crate::DEFAULT_CERTIFICATE_COMPRESSION`] by default, empty turns
    /// compression off.
    pub certificate_compression: Vec<crate::msgs::enums::CertificateCompressionAlgorithm>,
    /// Our Certificate bodies compressed lately, shared by the
    /// connections of this configuration so that a chain is compressed
    /// once ([`crate::compression::CompressionCache`]).
    pub(crate) certificate_compression_cache: Arc<crate::compression::CompressionCache>,
}

impl core::fmt::Debug for CommonConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CommonConfig")
            .field("versions", &self.versions)
            .field("cipher_suites", &self.cipher_suites)
            .field("groups", &self.groups)
            .field("signature_schemes", &self.signature_schemes)
            .finish_non_exhaustive()
    }
}

impl Default for CommonConfig {
    fn default() -> Self {
        Self {
            versions: DEFAULT_VERSIONS.to_vec(),
            cipher_suites: [TLS13_CIPHER_SUITES, TLS12_CIPHER_SUITES].concat(),
            groups: DEFAULT_GROUPS.to_vec(),
            groups_chosen: false,
            signature_schemes: DEFAULT_SIGNATURE_SCHEMES.to_vec(),
            alpn_protocols: Vec::new(),
            rng: Arc::new(OsRng::new()),
            clock: Arc::new(SystemClock),
            key_log: None,
            message_observer: None,
            psk_modes: DEFAULT_PSK_MODES.to_vec(),
            limits: Limits::default(),
            record_size_limit: Some(DEFAULT_RECORD_SIZE_LIMIT),
            max_fragment_size: None,
            certificate_compression: crate::compression::DEFAULT_CERTIFICATE_COMPRESSION.to_vec(),
            certificate_compression_cache: Arc::default(),
        }
    }
}

impl CommonConfig {
    /// Completes the default groups for the DHE suites. RFC 7919 §3 asks
    /// a client ready for FFDHE suites to list the FFDHE groups it
    /// supports, and a server takes a DHE suite's group from its own list
    /// (RFC 7919 §4): with [`DEFAULT_GROUPS`] alone the suites would reach
    /// only servers that predate RFC 7919, and our server would never
    /// choose them. So when a DHE suite is enabled and the groups were left
    /// at their default, the RFC 7919 groups follow the curves, smallest
    /// first, as in OpenSSL's and GnuTLS's default lists. Groups the
    /// application chose are kept as they are: a client may mean to leave
    /// the group to the server (RFC 7919 §4).
    fn complete_default_groups(&mut self) {
        let dhe = self
            .cipher_suites
            .iter()
            .any(|s| TLS12_DHE_CIPHER_SUITES.contains(s));
        if dhe && !self.groups_chosen {
            self.groups.extend(crate::crypto::ffdhe::named_groups());
        }
    }

    /// Checks the lists: each non-empty, versions known, TLS 1.3 suites
    /// present when TLS 1.3 is enabled, groups supported, a signature
    /// scheme TLS 1.2 can list when TLS 1.2 is enabled without 1.3, ALPN
    /// names of
    /// 1–255 bytes (RFC 7301 §3.1).
    fn check(&self) -> Result<(), Error> {
        if self.versions.is_empty() || self.versions.iter().any(|v| !ALL_VERSIONS.contains(v)) {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::UnsupportedVersions,
            ));
        }
        if self.versions.contains(&ProtocolVersion::TLSv1_3)
            && !self
                .cipher_suites
                .iter()
                .any(|s| TLS13_CIPHER_SUITES.contains(s))
        {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::Tls13WithoutSuite,
            ));
        }
        if self.groups.is_empty()
            || self
                .groups
                .iter()
                .any(|g| !crate::crypto::groups::is_supported(*g))
        {
            return Err(Error::InvalidRequest(InvalidRequestReason::NoGroups));
        }
        // RFC 9846 §4.2.7: a named_group_list "MUST NOT contain any
        // duplicate entries"; in the other lists we send a repeat is as
        // surely a mistake, so every list is held to it.
        if any_repeated(self.groups.iter().map(|&g| u16::from(g)))
            || any_repeated(self.versions.iter().map(|&v| u16::from(v)))
            || any_repeated(self.cipher_suites.iter().map(|&c| u16::from(c)))
            || any_repeated(self.signature_schemes.iter().map(|&s| u16::from(s)))
        {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::RepeatedListEntry,
            ));
        }
        // Without TLS 1.3 the list is TLS 1.2's alone, which keeps the
        // schemes it can check (`handshake::tls12::tls12_offered_schemes`)
        // and may not be empty (RFC 5246 §7.4.1.4.1: `<2..2^16-2>`).
        let tls12_only = self.versions.contains(&ProtocolVersion::TLSv1_2)
            && !self.versions.contains(&ProtocolVersion::TLSv1_3);
        if self.signature_schemes.is_empty() || (tls12_only && !self.lists_tls12_scheme()) {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::NoSignatureScheme,
            ));
        }
        if self
            .alpn_protocols
            .iter()
            .any(|p| p.is_empty() || p.len() > 255)
        {
            return Err(Error::InvalidRequest(InvalidRequestReason::AlpnNameLength));
        }
        if self
            .record_size_limit
            .is_some_and(|limit| usize::from(limit) < crate::record::MIN_RECORD_SIZE_LIMIT)
        {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::RecordSizeLimitTooSmall,
            ));
        }
        if self.max_fragment_size.is_some_and(|len| {
            !(MIN_MAX_FRAGMENT_SIZE..=MAX_MAX_FRAGMENT_SIZE).contains(&usize::from(len))
        }) {
            return Err(Error::InvalidRequest(InvalidRequestReason::MaxFragmentSize));
        }
        if !self
            .certificate_compression
            .iter()
            .all(|a| crate::compression::is_supported(*a))
        {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::UnsupportedCompression,
            ));
        }
        Ok(())
    }

    /// Whether a list only TLS 1.2 reads (a TLS 1.2-only ClientHello, a
    /// TLS 1.2 CertificateRequest) keeps a scheme: it may not be empty
    /// (RFC 5246 §7.4.1.4.1 and §7.4.4: `<2..2^16-2>`).
    fn lists_tls12_scheme(&self) -> bool {
        self.signature_schemes.iter().any(|s| tls12_offerable(*s))
    }
}

/// Builder methods both configuration builders share.
macro_rules! common_builder_methods {
    () => {
        /// Enables `versions`, most preferred first.
        pub fn versions(mut self, versions: &[ProtocolVersion]) -> Self {
            self.common.versions = versions.to_vec();
            self
        }

        /// Enables `suites`, most preferred first. A DHE suite among them
        /// brings the RFC 7919 groups into the default groups (see
        /// [`Self::groups`]).
        pub fn cipher_suites(mut self, suites: &[CipherSuite]) -> Self {
            self.common.cipher_suites = suites.to_vec();
            self
        }

        /// Enables `groups`, most preferred first; a client sends a key
        /// share for the first one, or for those of
        /// [`ClientConfigBuilder::key_share_groups`]. Left unset, they are
        /// [`DEFAULT_GROUPS`], followed by the RFC 7919 finite-field
        /// groups when a DHE suite is enabled (RFC 7919 §3–§4).
        pub fn groups(mut self, groups: &[NamedGroup]) -> Self {
            self.common.groups = groups.to_vec();
            self.common.groups_chosen = true;
            self
        }

        /// Offers and accepts `schemes`, most preferred first.
        pub fn signature_schemes(mut self, schemes: &[SignatureScheme]) -> Self {
            self.common.signature_schemes = schemes.to_vec();
            self
        }

        /// Offers or accepts these ALPN protocols, most preferred first.
        pub fn alpn_protocols(mut self, protocols: &[&[u8]]) -> Self {
            self.common.alpn_protocols = protocols.iter().map(|p| p.to_vec()).collect();
            self
        }

        /// Draws randomness from `rng` instead of the operating system.
        pub fn rng(mut self, rng: Arc<dyn SecureRandom>) -> Self {
            self.common.rng = rng;
            self
        }

        /// Reads time from `clock` instead of the system clock.
        pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
            self.common.clock = clock;
            self
        }

        /// Logs secrets to `key_log` (see [`crate::KeyLog`]).
        pub fn key_log(mut self, key_log: Arc<dyn KeyLog>) -> Self {
            self.common.key_log = Some(key_log);
            self
        }

        /// Reports each handshake message sent or received to `observer`
        /// (see [`MessageObserver`]).
        pub fn message_observer(mut self, observer: Arc<dyn MessageObserver>) -> Self {
            self.common.message_observer = Some(observer);
            self
        }

        /// Sets the TLS 1.3 PSK key-exchange modes, most preferred first
        /// (add `PskKe` to allow resumption without (EC)DHE).
        pub fn psk_modes(mut self, modes: &[PskKeyExchangeMode]) -> Self {
            self.common.psk_modes = modes.to_vec();
            self
        }

        /// Sets every bound at once ([`Limits`]).
        pub fn limits(mut self, limits: Limits) -> Self {
            self.common.limits = limits;
            self
        }

        /// Bounds the received plaintext waiting for the application
        /// ([`Limits::max_received_plaintext`]).
        pub fn max_received_plaintext(mut self, bytes: usize) -> Self {
            self.common.limits.max_received_plaintext = bytes;
            self
        }

        /// Bounds the application data buffered while the handshake runs
        /// ([`Limits::max_pending_plaintext`]).
        pub fn max_pending_plaintext(mut self, bytes: usize) -> Self {
            self.common.limits.max_pending_plaintext = bytes;
            self
        }

        /// Bounds a received Certificate, CertificateRequest or
        /// CertificateStatus body (their syntax allows 2^24 − 1 bytes,
        /// RFC 8446 §4.4.2); a longer one is refused with
        /// `illegal_parameter` as soon as its header arrives
        /// ([`Limits::max_certificate_message_size`]).
        pub fn max_certificate_message_size(mut self, bytes: usize) -> Self {
            self.common.limits.max_certificate_message_size = bytes;
            self
        }

        /// Bounds the KeyUpdates accepted in a row without application
        /// data ([`Limits::max_key_updates_without_data`]).
        pub fn max_key_updates_without_data(mut self, n: usize) -> Self {
            self.common.limits.max_key_updates_without_data = n;
            self
        }

        /// Bounds the empty application-data records accepted in a row
        /// ([`Limits::max_consecutive_empty_records`]).
        pub fn max_consecutive_empty_records(mut self, n: usize) -> Self {
            self.common.limits.max_consecutive_empty_records = n;
            self
        }

        /// Bounds the warning alerts accepted per connection
        /// ([`Limits::max_warning_alerts`]).
        pub fn max_warning_alerts(mut self, n: usize) -> Self {
            self.common.limits.max_warning_alerts = n;
            self
        }

        /// Announces `limit` as our `record_size_limit` (RFC 8449), or
        /// none; building fails below [`crate::MIN_RECORD_SIZE_LIMIT`]. A
        /// client whose limit allows less than 2^14 bytes of plaintext
        /// also sends max_fragment_length (RFC 6066 §4), the largest of
        /// 2^9 to 2^12 within it, for servers without record_size_limit
        /// (RFC 8449 §5). A server answers a client's max_fragment_length
        /// when the client sent no record_size_limit or this is `None`,
        /// and holds both sides to it.
        pub fn record_size_limit(mut self, limit: Option<u16>) -> Self {
            self.common.record_size_limit = limit;
            self
        }

        /// Sends records of at most `len` bytes of plaintext, below what
        /// the protocol (2^14, RFC 8446 §5.1) and the peer's
        /// `record_size_limit` (RFC 8449 §4) allow, as OpenSSL's
        /// `SSL_CTX_set_max_send_fragment`; `None` (the default) leaves
        /// those alone. Building fails outside
        /// [`MIN_MAX_FRAGMENT_SIZE`]..=[`MAX_MAX_FRAGMENT_SIZE`].
        pub fn max_fragment_size(mut self, len: Option<u16>) -> Self {
            self.common.max_fragment_size = len;
            self
        }

        /// Sets the certificate compression algorithms (RFC 8879), most
        /// preferred first; empty turns compression off.
        pub fn certificate_compression(
            mut self,
            algorithms: &[crate::msgs::enums::CertificateCompressionAlgorithm],
        ) -> Self {
            self.common.certificate_compression = algorithms.to_vec();
            self
        }

        /// Bounds the renegotiation attempts refused per connection
        /// ([`Limits::max_refused_renegotiations`]).
        pub fn max_refused_renegotiations(mut self, n: usize) -> Self {
            self.common.limits.max_refused_renegotiations = n;
            self
        }

        /// Bounds the renegotiations accepted per connection when
        /// renegotiation is on ([`Limits::max_renegotiations`]).
        pub fn max_renegotiations(mut self, n: usize) -> Self {
            self.common.limits.max_renegotiations = n;
            self
        }
    };
}

/// A client's configuration.
#[derive(Clone)]
pub struct ClientConfig {
    /// The settings shared with servers.
    pub common: CommonConfig,
    /// Judges the server's certificate chain.
    pub verifier: Arc<dyn ServerCertVerifier>,
    /// Certificates offered when a server asks; the first whose key can
    /// sign with one of the server's signature_algorithms is used
    /// (RFC 8446 §4.4.2.3).
    pub client_certificates: Vec<Arc<CertifiedKey>>,
    /// Chooses the certificate when a server asks, seeing what it asked
    /// for, in place of [`Self::client_certificates`] (which must then be
    /// empty). The engine still sends only a certificate that fits the
    /// request. `None` by default.
    pub client_certificate_resolver: Option<Arc<dyn ClientCertResolver>>,
    /// The client_certificate_type list offered (RFC 7250 §4.1), most
    /// preferred first. `None` (the default) derives it from
    /// [`Self::client_certificates`]: X.509 for keys with a chain, a raw
    /// public key for keys without, in their order. A list may name a
    /// type no key was configured for: a key with a chain can go alone as
    /// a raw public key, and asked for a type it has no key of, the client
    /// answers without a certificate. A list of X.509 alone is not sent,
    /// X.509 being what the extension's absence means (RFC 7250 §4.1).
    pub client_certificate_types: Option<Vec<CertificateType>>,
    /// Middlebox compatibility mode (RFC 8446 §D.4): a 32-byte
    /// legacy_session_id and a dummy ChangeCipherSpec. On by default.
    pub middlebox_compat: bool,
    /// Whether the server_name extension is sent for DNS names (RFC 6066
    /// §3). On by default.
    pub enable_sni: bool,
    /// Where TLS 1.3 tickets are kept and looked up by server name;
    /// `None` turns resumption off. An in-memory store by default.
    pub session_store: Option<Arc<dyn ClientSessionStore>>,
    /// Whether 0-RTT data is offered when a ticket allows it (RFC 8446
    /// §4.2.10). Off by default.
    pub enable_early_data: bool,
    /// Whether a stored session's or ticket's server chain is checked
    /// again with [`ClientConfig::verifier`] for the same name at the
    /// current time before it is offered, with the staples kept from the
    /// full handshake that made it, as that handshake checked it. One
    /// that no longer passes is not offered, so the handshake runs in
    /// full: a trust decision taken since (a distrusted root, an expired
    /// or revoked certificate in the verifier's revocation sources, a
    /// stapled OCSP response past its nextUpdate) then holds for
    /// resumptions too, 0-RTT data included. Off by default: each resumption pays for a
    /// path validation, shortened by the verifier's signature cache.
    /// Chromium asks BoringSSL for the same (`SSL_CTX_set_reverify_on_resume`),
    /// checking during the handshake instead.
    pub reverify_on_resume: bool,
    /// TLS ≤1.2: refuse servers that do not agree to the extended master
    /// secret (RFC 7627 §5.2: `handshake_failure`).
    pub require_extended_master_secret: bool,
    /// TLS ≤1.2: ask for and offer RFC 5077 session tickets.
    pub enable_tickets: bool,
    /// This connection retries with fewer versions after an earlier
    /// attempt failed: the ClientHello carries TLS_FALLBACK_SCSV, so a
    /// server that supports a higher version refuses with
    /// inappropriate_fallback (RFC 7507 §4). Off by default.
    pub fallback_retry: bool,
    /// Ask for a stapled OCSP response (status_request, RFC 6066 §8), which
    /// the verifier then checks. Also asked for when the verifier wants
    /// it ([`ServerCertVerifier::wants_ocsp_staple`]). Off by default.
    pub request_ocsp_staple: bool,
    /// Refuse a server that staples no OCSP response
    /// (`bad_certificate_status_response`, RFC 6066 §8); implies asking.
    /// Off by default.
    pub require_ocsp_staple: bool,
    /// Ask for signed certificate timestamps (RFC 6962 §3.3.1), handed to
    /// the verifier and kept for [`crate::Connection::stapled_scts`]. Off
    /// by default.
    pub request_scts: bool,
    /// TLS 1.3 external PSKs offered after the ticket, in this order (RFC
    /// 8446 §2.2, §4.2.11), those of a hash no enabled suite has left
    /// out; a server that selects one sends no certificate. An imported
    /// PSK ([`ExternalPsk::import`]) is offered once per target hash.
    pub external_psks: Vec<ExternalPsk>,
    /// TLS 1.3: whether the ClientHello offers post_handshake_auth
    /// (RFC 8446 §4.2.6) when [`Self::client_certificates`] is not empty
    /// or a [`Self::client_certificate_resolver`] is set,
    /// so a server may ask for a certificate after the handshake
    /// (§4.6.2). On by default: a client with a certificate means to
    /// authenticate, and servers such as OpenSSL's and Apache's ask for it
    /// only once they see which resource is wanted. Without a certificate
    /// it is never offered.
    pub post_handshake_auth: bool,
    /// Send the subject names of the verifier's trust anchors
    /// ([`ServerCertVerifier::root_subjects`]) in a certificate_authorities
    /// extension (RFC 8446 §4.2.4), so a server with several certificates
    /// can pick one this client can validate; bounded by
    /// [`crate::MAX_CERTIFICATE_AUTHORITIES_BYTES`]. Sent only when TLS 1.3
    /// is offered: TLS 1.2 defines no such ClientHello extension. Off by
    /// default: the names add bytes to every ClientHello and tell a
    /// passive observer which anchors the client trusts.
    pub send_certificate_authorities: bool,
    /// TLS ≤1.2: answers a server's HelloRequest with a new handshake
    /// under the current keys, only with a server that signalled secure
    /// renegotiation (RFC 5746 §4.2), at most
    /// [`Limits::max_renegotiations`] times. Off by default: the
    /// HelloRequest is refused with a no_renegotiation warning.
    pub renegotiation: bool,
    /// TLS 1.3: the server must authenticate with one of
    /// [`Self::external_psks`] (or a ticket of a session one started): a
    /// ServerHello that selects no PSK is refused with
    /// `missing_extension` before any certificate. Set by
    /// [`ClientConfig::builder_for_external_psks`].
    pub require_external_psk: bool,
    /// GREASE (RFC 8701 §3.1): each ClientHello also lists reserved
    /// values a server must ignore, one per handshake drawn at random from
    /// the sixteen: a cipher suite, a group in supported_groups and in
    /// key_share (a one-byte share), a version in supported_versions, a
    /// signature scheme, and two extensions, an empty one first and a
    /// one-byte one last (before pre_shared_key). The places are those
    /// Chromium and BoringSSL use, so every server that serves browsers
    /// copes with them; ALPN and psk_key_exchange_modes are left alone. A
    /// server that selects one of them is refused, as for any value we
    /// did not offer. Off by default.
    pub grease: bool,
    /// Each ClientHello lists its extensions in an order of its own,
    /// drawn from its random, rather than in a fixed one, as Chromium's
    /// and BoringSSL's clients do, so that servers and middleboxes cannot
    /// come to depend on one order (RFC 8446 §4.2: extensions "may appear
    /// in any order", but pre_shared_key last). The GREASE extensions
    /// keep their places, first and last but pre_shared_key; a second
    /// ClientHello, which has the first one's random, keeps the first
    /// one's order (§4.1.2). Off by default.
    pub permute_extensions: bool,
    /// TLS 1.3: the groups whose key shares the first ClientHello
    /// carries, sent in the order of the configured groups (RFC 8446
    /// §4.2.8: "in descending order of client preference"); each must be
    /// one of them. Shares for the groups a client expects its servers to
    /// choose save a HelloRetryRequest, at the cost of a key generation
    /// each; an empty list sends none, so a server answers with a
    /// HelloRetryRequest (§4.2.8 allows it). `None`, the default: one
    /// share for the most preferred group and, when that is a hybrid, one
    /// for the first classical group after it; and, with a session store,
    /// the group a server completed the last TLS 1.3 handshake in
    /// (`ClientSessionStore::key_share_hint`) takes the classical share's
    /// place when it is another, so a server that asked for it once with
    /// a HelloRetryRequest is not asked again. The hybrid's share is kept
    /// whatever the hint.
    pub key_share_groups: Option<Vec<NamedGroup>>,
    /// TLS 1.2 False Start (RFC 7918): on a full handshake, application
    /// data goes right after our Finished instead of after the server's,
    /// saving a round trip, when the key exchange is forward secret
    /// (ECDHE, DHE: §5.2), the suite an AEAD (§5.1), and an ALPN protocol
    /// was agreed (Chromium and BoringSSL require it: servers that broke
    /// under False Start did not negotiate ALPN). The server's
    /// certificate and key exchange signature are checked by then; its
    /// Finished, which would catch a downgrade of the handshake, is not
    /// yet, which is why §5 limits the key exchange and suite. Never on a
    /// resumption nor in a renegotiation. Off by default.
    pub false_start: bool,
}

/// Builds a [`ClientConfig`].
pub struct ClientConfigBuilder {
    common: CommonConfig,
    verifier: Arc<dyn ServerCertVerifier>,
    client_certificates: Vec<Arc<CertifiedKey>>,
    client_certificate_resolver: Option<Arc<dyn ClientCertResolver>>,
    client_certificate_types: Option<Vec<CertificateType>>,
    middlebox_compat: bool,
    enable_sni: bool,
    session_store: Option<Option<Arc<dyn ClientSessionStore>>>,
    enable_early_data: bool,
    reverify_on_resume: bool,
    require_extended_master_secret: bool,
    enable_tickets: bool,
    fallback_retry: bool,
    request_ocsp_staple: bool,
    require_ocsp_staple: bool,
    request_scts: bool,
    external_psks: Vec<ExternalPsk>,
    post_handshake_auth: bool,
    send_certificate_authorities: bool,
    renegotiation: bool,
    require_external_psk: bool,
    grease: bool,
    permute_extensions: bool,
    key_share_groups: Option<Vec<NamedGroup>>,
    false_start: bool,
}

/// The door to client settings that give up security, so that a reader
/// of the calling code sees the word: [`ClientConfig::dangerous`].
#[derive(Debug)]
pub struct DangerousClientConfig(());

impl DangerousClientConfig {
    /// INSECURE: a builder whose client accepts every server certificate
    /// without looking at it, so any active attacker can read and change
    /// its connections. For tests against peers with throw-away
    /// certificates only.
    pub fn builder_accepting_any_server_certificate(self) -> ClientConfigBuilder {
        ClientConfig::builder(Arc::new(crate::pki::AcceptAnyServerCertificate))
    }
}

impl ClientConfig {
    /// Whether the ClientHello carries status_request: asked for, required,
    /// or wanted by the verifier.
    pub(crate) fn asks_for_ocsp_staple(&self) -> bool {
        self.request_ocsp_staple || self.require_ocsp_staple || self.verifier.wants_ocsp_staple()
    }

    /// Whether a server that asks may get a certificate: some are
    /// configured, or a resolver may give one.
    pub(crate) fn has_client_certificates(&self) -> bool {
        !self.client_certificates.is_empty() || self.client_certificate_resolver.is_some()
    }

    /// The settings that give up security ([`DangerousClientConfig`]).
    pub fn dangerous() -> DangerousClientConfig {
        DangerousClientConfig(())
    }

    /// Starts a configuration that authenticates servers with the TLS 1.3
    /// external PSKs `psks` alone (RFC 8446 §2.2), in this order (see
    /// [`ClientConfigBuilder::external_psk`]): TLS 1.3 only, no
    /// certificate trusted, and a server that selects none of them is
    /// refused ([`ClientConfig::require_external_psk`]).
    pub fn builder_for_external_psks(
        psks: impl IntoIterator<Item = ExternalPsk>,
    ) -> ClientConfigBuilder {
        let no_anchors = WebPkiServerVerifier::new(Arc::new(RootStore::new()));
        let mut builder = Self::builder(Arc::new(no_anchors)).versions(&[ProtocolVersion::TLSv1_3]);
        builder.external_psks.extend(psks);
        builder.require_external_psk = true;
        builder
    }

    /// Starts a configuration that judges servers with `verifier`.
    pub fn builder(verifier: Arc<dyn ServerCertVerifier>) -> ClientConfigBuilder {
        ClientConfigBuilder {
            common: CommonConfig::default(),
            verifier,
            client_certificates: Vec::new(),
            client_certificate_resolver: None,
            client_certificate_types: None,
            middlebox_compat: true,
            enable_sni: true,
            session_store: None,
            enable_early_data: false,
            reverify_on_resume: false,
            require_extended_master_secret: false,
            enable_tickets: true,
            fallback_retry: false,
            request_ocsp_staple: false,
            require_ocsp_staple: false,
            request_scts: false,
            external_psks: Vec::new(),
            post_handshake_auth: true,
            send_certificate_authorities: false,
            renegotiation: false,
            require_external_psk: false,
            grease: false,
            permute_extensions: false,
            key_share_groups: None,
            false_start: false,
        }
    }
}

impl ClientConfigBuilder {
    common_builder_methods!();

    /// Adds a certificate (chain and key) to offer when a server asks.
    pub fn client_certificate(mut self, key: Arc<CertifiedKey>) -> Self {
        self.client_certificates.push(key);
        self
    }

    /// Chooses the certificate with `resolver` when a server asks
    /// ([`ClientConfig::client_certificate_resolver`]); [`Self::build`]
    /// refuses it beside [`Self::client_certificate`].
    pub fn client_certificate_resolver(mut self, resolver: Arc<dyn ClientCertResolver>) -> Self {
        self.client_certificate_resolver = Some(resolver);
        self
    }

    /// Offers `types` as the client_certificate_type list instead of the
    /// one derived from the keys ([`ClientConfig::client_certificate_types`]).
    pub fn client_certificate_types(mut self, types: &[CertificateType]) -> Self {
        self.client_certificate_types = Some(types.to_vec());
        self
    }

    /// Turns middlebox compatibility mode on or off.
    pub fn middlebox_compat(mut self, on: bool) -> Self {
        self.middlebox_compat = on;
        self
    }

    /// Turns the server_name extension on or off.
    pub fn enable_sni(mut self, on: bool) -> Self {
        self.enable_sni = on;
        self
    }

    /// Keeps tickets in `store`, or turns resumption off with `None`.
    pub fn session_store(mut self, store: Option<Arc<dyn ClientSessionStore>>) -> Self {
        self.session_store = Some(store);
        self
    }

    /// Offers 0-RTT data when a ticket allows it.
    pub fn enable_early_data(mut self, on: bool) -> Self {
        self.enable_early_data = on;
        self
    }

    /// Checks a stored session's server chain again before offering it
    /// ([`ClientConfig::reverify_on_resume`]).
    pub fn reverify_on_resume(mut self, on: bool) -> Self {
        self.reverify_on_resume = on;
        self
    }

    /// TLS ≤1.2: refuses servers without the extended master secret
    /// (RFC 7627 §5.2).
    pub fn require_extended_master_secret(mut self, on: bool) -> Self {
        self.require_extended_master_secret = on;
        self
    }

    /// TLS ≤1.2: asks for RFC 5077 tickets (on by default); off leaves
    /// resumption by session ID.
    pub fn enable_tickets(mut self, on: bool) -> Self {
        self.enable_tickets = on;
        self
    }

    /// Marks connections as a fallback retry that sends TLS_FALLBACK_SCSV
    /// (RFC 7507 §4); use it only after a connection with more versions
    /// failed.
    pub fn fallback_retry(mut self, on: bool) -> Self {
        self.fallback_retry = on;
        self
    }

    /// Asks servers for a stapled OCSP response ([`ClientConfig::request_ocsp_staple`]).
    pub fn request_ocsp_staple(mut self, on: bool) -> Self {
        self.request_ocsp_staple = on;
        self
    }

    /// Refuses servers that staple no OCSP response
    /// ([`ClientConfig::require_ocsp_staple`]).
    pub fn require_ocsp_staple(mut self, on: bool) -> Self {
        self.require_ocsp_staple = on;
        self
    }

    /// Asks servers for signed certificate timestamps
    /// ([`ClientConfig::request_scts`]).
    pub fn request_scts(mut self, on: bool) -> Self {
        self.request_scts = on;
        self
    }

    /// Offers `psk` in TLS 1.3 (RFC 8446 §2.2), after a ticket when one
    /// is kept for the server and after the PSKs added before.
    pub fn external_psk(mut self, psk: ExternalPsk) -> Self {
        self.external_psks.push(psk);
        self
    }

    /// TLS 1.3: offers post-handshake authentication when a client
    /// certificate is configured (on by default; see
    /// [`ClientConfig::post_handshake_auth`]).
    pub fn post_handshake_auth(mut self, on: bool) -> Self {
        self.post_handshake_auth = on;
        self
    }

    /// Sends the anchors' names in ClientHello
    /// ([`ClientConfig::send_certificate_authorities`]).
    pub fn send_certificate_authorities(mut self, on: bool) -> Self {
        self.send_certificate_authorities = on;
        self
    }

    /// TLS ≤1.2: accepts secure renegotiation when the server asks (off
    /// by default; see [`ClientConfig::renegotiation`]).
    pub fn renegotiation(mut self, on: bool) -> Self {
        self.renegotiation = on;
        self
    }

    /// Sends GREASE values (off by default; see [`ClientConfig::grease`]).
    pub fn grease(mut self, on: bool) -> Self {
        self.grease = on;
        self
    }

    /// Lists each ClientHello's extensions in an order of its own (off by
    /// default; see [`ClientConfig::permute_extensions`]).
    pub fn permute_extensions(mut self, on: bool) -> Self {
        self.permute_extensions = on;
        self
    }

    /// TLS 1.3: sends key shares for `groups`, each one of the configured
    /// groups (see [`ClientConfig::key_share_groups`]).
    pub fn key_share_groups(mut self, groups: &[NamedGroup]) -> Self {
        self.key_share_groups = Some(groups.to_vec());
        self
    }

    /// TLS 1.2: sends application data before the server's Finished when
    /// RFC 7918 allows it (off by default; see
    /// [`ClientConfig::false_start`]).
    pub fn false_start(mut self, on: bool) -> Self {
        self.false_start = on;
        self
    }

    /// The configuration, or [`Error::InvalidRequest`] when its lists
    /// cannot work, a key share group is not a configured group or is
    /// listed twice, or a client that requires an external PSK has none or
    /// enables a version below TLS 1.3, which has no external PSKs here.
    pub fn build(mut self) -> Result<Arc<ClientConfig>, Error> {
        self.common.complete_default_groups();
        self.common.check()?;
        if let Some(types) = &self.client_certificate_types {
            let known = [CertificateType::X509, CertificateType::RawPublicKey];
            if any_repeated(types.iter().map(|&t| u16::from(u8::from(t))))
                || types.iter().any(|t| !known.contains(t))
            {
                return Err(Error::InvalidRequest(
                    InvalidRequestReason::ClientCertificateTypes,
                ));
            }
        }
        if self.client_certificate_resolver.is_some() && !self.client_certificates.is_empty() {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::ClientCertificatesAndResolver,
            ));
        }
        if let Some(shares) = &self.key_share_groups {
            if any_repeated(shares.iter().map(|&g| u16::from(g)))
                || shares.iter().any(|g| !self.common.groups.contains(g))
            {
                return Err(Error::InvalidRequest(
                    InvalidRequestReason::KeyShareGroupNotEnabled,
                ));
            }
        }
        let tls13_only = self
            .common
            .versions
            .iter()
            .all(|v| *v == ProtocolVersion::TLSv1_3);
        if self.require_external_psk && (self.external_psks.is_empty() || !tls13_only) {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::ExternalPskOnlyClient,
            ));
        }
        let clock = self.common.clock.clone();
        Ok(Arc::new(ClientConfig {
            session_store: self.session_store.unwrap_or_else(|| {
                Some(Arc::new(InMemoryClientStore::new(clock)) as Arc<dyn ClientSessionStore>)
            }),
            enable_early_data: self.enable_early_data,
            reverify_on_resume: self.reverify_on_resume,
            require_extended_master_secret: self.require_extended_master_secret,
            enable_tickets: self.enable_tickets,
            fallback_retry: self.fallback_retry,
            request_ocsp_staple: self.request_ocsp_staple,
            require_ocsp_staple: self.require_ocsp_staple,
            request_scts: self.request_scts,
            external_psks: self.external_psks,
            post_handshake_auth: self.post_handshake_auth,
            send_certificate_authorities: self.send_certificate_authorities,
            renegotiation: self.renegotiation,
            require_external_psk: self.require_external_psk,
            grease: self.grease,
            permute_extensions: self.permute_extensions,
            key_share_groups: self.key_share_groups,
            false_start: self.false_start,
            common: self.common,
            verifier: self.verifier,
            client_certificates: self.client_certificates,
            client_certificate_resolver: self.client_certificate_resolver,
            client_certificate_types: self.client_certificate_types,
            middlebox_compat: self.middlebox_compat,
            enable_sni: self.enable_sni,
        }))
    }
}

/// A server's configuration.
#[derive(Clone)]
pub struct ServerConfig {
    /// The settings shared with clients.
    pub common: CommonConfig,
    /// The server's certificates. Those whose subjectAltName covers the
    /// client's server_name come first (RFC 6066 §3), then the others (the
    /// defaults); of these, the first whose key can sign with one of the
    /// client's signature_algorithms is used (RFC 8446 §4.4.2.2), or in
    /// TLS 1.2 the first that fits the suite. Empty for a server of
    /// external PSKs only ([`ServerConfig::builder_for_external_psks`]),
    /// or one whose resolver answers every client
    /// ([`ServerConfig::builder_with_certificate_resolver`]).
    pub certificates: Vec<Arc<CertifiedKey>>,
    /// Chooses certificates for each full handshake from its ClientHello,
    /// tried before [`Self::certificates`] and under the same rules
    /// ([`ServerCertResolver`]). `None` by default.
    pub certificate_resolver: Option<Arc<dyn ServerCertResolver>>,
    /// What is asked of clients' certificates.
    pub client_auth: ClientAuth,
    /// TLS 1.3: what is asked of the certificates that
    /// `ServerConnection::request_client_certificate` requests after the
    /// handshake (RFC 8446 §4.6.2); [`ClientAuth::None`] (the default)
    /// refuses such requests. Independent of [`Self::client_auth`], so a
    /// server can leave the handshake unauthenticated and ask only for
    /// some resources. TLS ≤1.2: what a renegotiated handshake asks for
    /// (see [`Self::renegotiation`]), or [`Self::client_auth`] when this
    /// is [`ClientAuth::None`].
    pub post_handshake_client_auth: ClientAuth,
    /// TLS 1.3 NewSessionTickets sent after a full handshake (0: none),
    /// unless the client lists PSK modes and none of ours (RFC 8446
    /// §4.2.9): it could not resume with them.
    pub tickets_after_full_handshake: usize,
    /// TLS 1.3 NewSessionTickets sent after a resumption (0: none).
    pub tickets_after_resumption: usize,
    /// Whether a HelloRetryRequest carries a cookie the client must echo
    /// (RFC 8446 §4.2.2). On by default.
    pub send_cookie: bool,
    /// Whether the server sends its certificate's key alone, as a raw
    /// public key, to a client that lists that type first (RFC 7250).
    /// Off by default; a certificate made from a key alone
    /// ([`CertifiedKey::from_key`]) is only ever sent that way.
    pub raw_public_key: bool,
    /// Seals session state into stateless tickets (a rotating ticketer by
    /// default); unused when [`Self::session_store`] is set.
    pub ticketer: Arc<dyn Ticketer>,
    /// When set, tickets are stateful: each is a random identity of a
    /// state kept here and taken out when used, so every ticket resumes
    /// at most once (RFC 8446 §8.1). Needed for 0-RTT.
    pub session_store: Option<Arc<dyn ServerSessionStore>>,
    /// The ticket lifetime announced and enforced, in seconds (at most 7
    /// days, RFC 8446 §4.6.1).
    pub ticket_lifetime: u32,
    /// The most 0-RTT data accepted per connection (RFC 8446 §4.2.10); 0
    /// turns 0-RTT off.
    pub max_early_data_size: u32,
    /// TLS 1.3: application data written once the server's Finished is
    /// sent goes out at once, before the client's Finished arrives
    /// (half-RTT data, RFC 8446 §4.4.4 and Figure 4), so an answer to
    /// accepted 0-RTT data leaves in the server's first flight. Off by
    /// default: such data goes to a client whose Finished (and, on a
    /// resumption with 0-RTT, whose liveness: the ClientHello may be a
    /// replay, RFC 8446 §8) is not yet checked. Never when the server
    /// asks for a client certificate, whose owner would not yet be known.
    /// With it, the blocking and async streams also read accepted 0-RTT
    /// data as it comes, before the client's Finished, so that the
    /// answer can go then.
    pub send_half_rtt_data: bool,
    /// GREASE (RFC 8701 §3.2): in TLS 1.3, each NewSessionTicket carries
    /// an empty extension of a reserved type, and each CertificateRequest
    /// one too and a reserved signature scheme first in its
    /// signature_algorithms, drawn at random from the sixteen values; a
    /// client must ignore them (RFC 8446 §4.6.1, §4.3.2). BoringSSL's
    /// server sends them always, so clients that meet Google's servers
    /// cope. Off by default.
    pub grease: bool,
    /// Choose a ChaCha20-Poly1305 suite first when the client puts one
    /// before every other suite it could get here, and otherwise by our
    /// own order: a client that prefers ChaCha20-Poly1305 most likely
    /// lacks AES hardware, where AES-GCM is slower and harder to make
    /// constant-time (OpenSSL's `SSL_OP_PRIORITIZE_CHACHA`). Both TLS 1.3
    /// and TLS 1.2 suites. Off by default.
    pub prioritize_chacha: bool,
    /// TLS ≤1.2: the session-ID cache (design §3); `None` turns
    /// resumption by session ID off.
    pub session_cache: Option<Arc<dyn ServerSessionStore>>,
    /// TLS ≤1.2: refuse clients that do not offer the extended master
    /// secret (RFC 7627 §5.2: `handshake_failure`).
    pub require_extended_master_secret: bool,
    /// TLS ≤1.2: agree to the extended master secret when offered (RFC
    /// 7627); off only to behave like a legacy server.
    pub enable_extended_master_secret: bool,
    /// TLS ≤1.2: agree to encrypt-then-MAC when offered with a CBC suite
    /// (RFC 7366); off only to behave like a legacy server.
    pub enable_encrypt_then_mac: bool,
    /// TLS 1.3 external PSKs by identity (RFC 8446 §2.2); a handshake on
    /// one sends no certificate. `None`: only tickets are PSKs.
    pub external_psks: Option<Arc<dyn ExternalPskStore>>,
    /// Records ClientHellos whose 0-RTT is accepted, so each is accepted
    /// once (RFC 8446 §8.2); with it, 0-RTT also goes with stateless
    /// tickets.
    pub anti_replay: Option<Arc<dyn AntiReplay>>,
    /// TLS ≤1.2: accepts a client's renegotiation (a ClientHello after
    /// the handshake) and lets
    /// [`ServerConnection::renegotiate`](crate::ServerConnection::renegotiate)
    /// ask for one, only with a client that signalled secure
    /// renegotiation (RFC 5746 §4.3), at most
    /// [`Limits::max_renegotiations`] times. Off by default: a ClientHello
    /// after the handshake is refused with a no_renegotiation warning.
    /// Once a renegotiation completes, the connection's parameters, peer
    /// certificates and session ID are the new handshake's: an
    /// application that decided on the old ones must look again.
    pub renegotiation: bool,
    /// TLS 1.3: the sizes of the tiers that cut the groups (`common.groups`)
    /// into sets of groups the server counts as equally good, best tier
    /// first ([`ServerConfigBuilder::group_tiers`]); empty (the default)
    /// is one tier of them all. The server takes a key share the client
    /// sent for a group of the best tier the client supports, by its own
    /// order within the tier; when the client sent none there, it asks
    /// for that tier's group with a HelloRetryRequest rather than take a
    /// share of a lower tier (RFC 8446 §4.2.8 leaves the choice to the
    /// server), as OpenSSL 3.5's group tuples do. With one tier, a share
    /// sent always beats a round trip. TLS 1.2 reads the groups as one
    /// list, most preferred first.
    pub group_tier_sizes: Vec<usize>,
    /// The sizes of the tiers that cut the cipher suites
    /// (`common.cipher_suites`) into sets the server counts as equally
    /// good, best tier first ([`ServerConfigBuilder::cipher_suite_tiers`]):
    /// the server takes the client's most preferred suite of the best
    /// tier it offers one of (BoringSSL's equal-preference groups; one
    /// tier of them all is OpenSSL's default, the client's order). Empty
    /// (the default) is a tier for each suite: the server's order (RFC
    /// 8446 §4.1.1, RFC 5246 §7.4.1.3 leave the choice to it). Both TLS
    /// 1.3 and TLS 1.2 suites; [`Self::prioritize_chacha`] still applies
    /// first.
    pub cipher_suite_tier_sizes: Vec<usize>,
}

/// What a missing tier size stands for in [`tiers`].
#[derive(Clone, Copy)]
pub(crate) enum Untiered {
    /// The rest is one tier.
    OneTier,
    /// Each item is a tier of its own.
    EachItem,
}

/// `items` cut into tiers of `sizes`, best first
/// ([`ServerConfig::group_tier_sizes`],
/// [`ServerConfig::cipher_suite_tier_sizes`]): a size past the end is cut
/// short, and past the sizes the rest is tiered as `untiered` says.
pub(crate) fn tiers<'a, T>(
    items: &'a [T],
    sizes: &'a [usize],
    untiered: Untiered,
) -> impl Iterator<Item = &'a [T]> {
    let mut rest = items;
    let mut sizes = sizes.iter();
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let size = match (sizes.next(), untiered) {
            (Some(&size), _) => size.min(rest.len()),
            (None, Untiered::OneTier) => rest.len(),
            (None, Untiered::EachItem) => 1,
        };
        let (tier, tail) = rest.split_at(size);
        rest = tail;
        Some(tier)
    })
}

/// Whether tier `sizes` fit `len` items: none at all, or each at least 1
/// and together exactly `len`.
fn tiers_fit(sizes: &[usize], len: usize) -> bool {
    sizes.is_empty() || (!sizes.contains(&0) && sizes.iter().sum::<usize>() == len)
}

/// Builds a [`ServerConfig`].
pub struct ServerConfigBuilder {
    common: CommonConfig,
    certificates: Vec<Arc<CertifiedKey>>,
    certificate_resolver: Option<Arc<dyn ServerCertResolver>>,
    client_auth: ClientAuth,
    post_handshake_client_auth: ClientAuth,
    tickets: Option<usize>,
    send_cookie: bool,
    ticketer: Option<Arc<dyn Ticketer>>,
    session_store: Option<Arc<dyn ServerSessionStore>>,
    ticket_lifetime: u32,
    max_early_data_size: u32,
    send_half_rtt_data: bool,
    grease: bool,
    prioritize_chacha: bool,
    session_cache: Option<Option<Arc<dyn ServerSessionStore>>>,
    require_extended_master_secret: bool,
    enable_extended_master_secret: bool,
    enable_encrypt_then_mac: bool,
    external_psks: Option<Arc<dyn ExternalPskStore>>,
    anti_replay: Option<Arc<dyn AntiReplay>>,
    raw_public_key: bool,
    renegotiation: bool,
    group_tier_sizes: Vec<usize>,
    cipher_suite_tier_sizes: Vec<usize>,
}

impl ServerConfig {
    /// Starts a configuration serving `certificate`.
    pub fn builder(certificate: Arc<CertifiedKey>) -> ServerConfigBuilder {
        Self::builder_with(vec![certificate])
    }

    /// Starts a configuration that authenticates with the TLS 1.3
    /// external PSKs `psks` finds (RFC 8446 §2.2) and holds no
    /// certificate: a handshake without one of them fails with
    /// `handshake_failure`, having no certificate to send (RFC 8446
    /// §4.4.2). [`ServerConfigBuilder::certificate`] may still add one.
    pub fn builder_for_external_psks(psks: Arc<dyn ExternalPskStore>) -> ServerConfigBuilder {
        Self::builder_with(Vec::new()).external_psks(psks)
    }

    /// Starts a configuration whose certificates `resolver` chooses for
    /// each ClientHello ([`ServerCertResolver`]); a handshake it finds
    /// none for fails with `handshake_failure` unless
    /// [`ServerConfigBuilder::certificate`] adds one to fall back on.
    pub fn builder_with_certificate_resolver(
        resolver: Arc<dyn ServerCertResolver>,
    ) -> ServerConfigBuilder {
        Self::builder_with(Vec::new()).certificate_resolver(resolver)
    }

    fn builder_with(certificates: Vec<Arc<CertifiedKey>>) -> ServerConfigBuilder {
        ServerConfigBuilder {
            common: CommonConfig::default(),
            certificates,
            certificate_resolver: None,
            client_auth: ClientAuth::None,
            post_handshake_client_auth: ClientAuth::None,
            tickets: None,
            send_cookie: true,
            ticketer: None,
            session_store: None,
            ticket_lifetime: DEFAULT_LIFETIME_SECS,
            max_early_data_size: 0,
            send_half_rtt_data: false,
            grease: false,
            prioritize_chacha: false,
            session_cache: None,
            require_extended_master_secret: false,
            enable_extended_master_secret: true,
            enable_encrypt_then_mac: true,
            external_psks: None,
            anti_replay: None,
            raw_public_key: false,
            renegotiation: false,
            group_tier_sizes: Vec::new(),
            cipher_suite_tier_sizes: Vec::new(),
        }
    }
}

impl ServerConfigBuilder {
    common_builder_methods!();

    /// Adds another certificate: ECDSA beside RSA, or one for another name
    /// (chosen by the client's server_name, see
    /// [`ServerConfig::certificates`]).
    pub fn certificate(mut self, key: Arc<CertifiedKey>) -> Self {
        self.certificates.push(key);
        self
    }

    /// Chooses certificates from each ClientHello with `resolver`, before
    /// the configured ones (see [`ServerConfig::certificate_resolver`]).
    pub fn certificate_resolver(mut self, resolver: Arc<dyn ServerCertResolver>) -> Self {
        self.certificate_resolver = Some(resolver);
        self
    }

    /// Sets the client-authentication mode.
    pub fn client_auth(mut self, mode: ClientAuth) -> Self {
        self.client_auth = mode;
        self
    }

    /// TLS 1.3: sets what post-handshake certificate requests ask for,
    /// and TLS ≤1.2 renegotiations
    /// ([`ServerConfig::post_handshake_client_auth`]).
    pub fn post_handshake_client_auth(mut self, mode: ClientAuth) -> Self {
        self.post_handshake_client_auth = mode;
        self
    }

    /// Sends `n` tickets after every handshake, full or resumed (0 turns
    /// tickets off), unless the client lists PSK modes and none of ours.
    pub fn tickets(mut self, n: usize) -> Self {
        self.tickets = Some(n);
        self
    }

    /// Whether HelloRetryRequests carry a cookie.
    pub fn send_cookie(mut self, on: bool) -> Self {
        self.send_cookie = on;
        self
    }

    /// Seals tickets with `ticketer` (to share ticket keys between
    /// servers).
    pub fn ticketer(mut self, ticketer: Arc<dyn Ticketer>) -> Self {
        self.ticketer = Some(ticketer);
        self
    }

    /// Makes tickets stateful and single-use, kept in `store`.
    pub fn session_store(mut self, store: Arc<dyn ServerSessionStore>) -> Self {
        self.session_store = Some(store);
        self
    }

    /// Sets the ticket lifetime in seconds (capped at 7 days).
    pub fn ticket_lifetime(mut self, secs: u32) -> Self {
        self.ticket_lifetime = secs;
        self
    }

    /// Accepts up to `bytes` of 0-RTT data (needs a session store or an
    /// anti-replay filter).
    pub fn max_early_data_size(mut self, bytes: u32) -> Self {
        self.max_early_data_size = bytes;
        self
    }

    /// TLS 1.3: sends application data before the client's Finished (off
    /// by default; see [`ServerConfig::send_half_rtt_data`]).
    pub fn send_half_rtt_data(mut self, on: bool) -> Self {
        self.send_half_rtt_data = on;
        self
    }

    /// TLS 1.3: sends GREASE values in tickets and certificate requests
    /// (off by default; see [`ServerConfig::grease`]).
    pub fn grease(mut self, on: bool) -> Self {
        self.grease = on;
        self
    }

    /// Puts ChaCha20-Poly1305 first for a client that prefers it (off by
    /// default; see [`ServerConfig::prioritize_chacha`]).
    pub fn prioritize_chacha(mut self, on: bool) -> Self {
        self.prioritize_chacha = on;
        self
    }

    /// TLS ≤1.2: the session-ID cache; `None` turns resumption by session
    /// ID off. By default the session store when one is set, otherwise a
    /// fresh [`InMemoryServerStore`].
    pub fn session_cache(mut self, cache: Option<Arc<dyn ServerSessionStore>>) -> Self {
        self.session_cache = Some(cache);
        self
    }

    /// TLS ≤1.2: refuses clients without the extended master secret
    /// (RFC 7627 §5.2).
    pub fn require_extended_master_secret(mut self, on: bool) -> Self {
        self.require_extended_master_secret = on;
        self
    }

    /// TLS ≤1.2: agrees to the extended master secret (on by default).
    pub fn enable_extended_master_secret(mut self, on: bool) -> Self {
        self.enable_extended_master_secret = on;
        self
    }

    /// TLS ≤1.2: agrees to encrypt-then-MAC with CBC suites (on by
    /// default).
    pub fn enable_encrypt_then_mac(mut self, on: bool) -> Self {
        self.enable_encrypt_then_mac = on;
        self
    }

    /// Accepts the TLS 1.3 external PSKs `psks` finds (RFC 8446 §2.2).
    pub fn external_psks(mut self, psks: Arc<dyn ExternalPskStore>) -> Self {
        self.external_psks = Some(psks);
        self
    }

    /// Accepts 0-RTT only from ClientHellos `filter` has not seen (RFC
    /// 8446 §8.2), which lets it go with stateless tickets.
    pub fn anti_replay(mut self, filter: Arc<dyn AntiReplay>) -> Self {
        self.anti_replay = Some(filter);
        self
    }

    /// Offers each certificate's key as a raw public key (RFC 7250) to
    /// clients that ask for one; see [`ServerConfig::raw_public_key`].
    pub fn raw_public_key(mut self, on: bool) -> Self {
        self.raw_public_key = on;
        self
    }

    /// TLS ≤1.2: allows secure renegotiation, by either side (off by
    /// default; see [`ServerConfig::renegotiation`]).
    pub fn renegotiation(mut self, on: bool) -> Self {
        self.renegotiation = on;
        self
    }

    /// Enables the groups of `tiers`, best tier first and each most
    /// preferred first, as [`Self::groups`] enables their concatenation,
    /// and in TLS 1.3 asks a client for a group of a better tier with a
    /// HelloRetryRequest rather than take its share of a worse one (see
    /// [`ServerConfig::group_tier_sizes`]). `[[X25519MLKEM768],
    /// [X25519, secp256r1]]` makes every client that supports the hybrid
    /// use it; OpenSSL writes it `X25519MLKEM768/X25519:P-256`. A later
    /// call of [`Self::groups`] must not change the groups' count; an
    /// empty tier is refused ([`InvalidRequestReason::GroupTiers`]).
    pub fn group_tiers<T: AsRef<[NamedGroup]>>(mut self, tiers: &[T]) -> Self {
        self.common.groups = tiers.iter().flat_map(|t| t.as_ref()).copied().collect();
        self.common.groups_chosen = true;
        self.group_tier_sizes = tiers.iter().map(|t| t.as_ref().len()).collect();
        self
    }

    /// Enables the suites of `tiers`, best tier first, as
    /// [`Self::cipher_suites`] enables their concatenation, and within a
    /// tier takes the client's order (see
    /// [`ServerConfig::cipher_suite_tier_sizes`]):
    /// `[[TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256],
    /// [TLS_AES_256_GCM_SHA384]]` lets a client without AES hardware
    /// choose ChaCha20-Poly1305 over AES-128-GCM, never AES-256-GCM over
    /// either. A later call of [`Self::cipher_suites`] must not change the
    /// suites' count; an empty tier is refused
    /// ([`InvalidRequestReason::CipherSuiteTiers`]).
    pub fn cipher_suite_tiers<T: AsRef<[CipherSuite]>>(mut self, tiers: &[T]) -> Self {
        self.common.cipher_suites = tiers.iter().flat_map(|t| t.as_ref()).copied().collect();
        self.cipher_suite_tier_sizes = tiers.iter().map(|t| t.as_ref().len()).collect();
        self
    }

    /// The configuration, or [`Error::InvalidRequest`] when its lists
    /// cannot work, 0-RTT is enabled without a session store or an
    /// anti-replay filter (its data would be replayable), or the ticketer
    /// cannot get its first key.
    pub fn build(mut self) -> Result<Arc<ServerConfig>, Error> {
        self.common.complete_default_groups();
        self.common.check()?;
        if !tiers_fit(&self.group_tier_sizes, self.common.groups.len()) {
            return Err(Error::InvalidRequest(InvalidRequestReason::GroupTiers));
        }
        if !tiers_fit(
            &self.cipher_suite_tier_sizes,
            self.common.cipher_suites.len(),
        ) {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::CipherSuiteTiers,
            ));
        }
        // A TLS 1.2 CertificateRequest lists what TLS 1.2 can check, and
        // that list may not be empty (RFC 5246 §7.4.4), also when TLS 1.3
        // is enabled beside it.
        let requests_tls12_certificate = self.common.versions.contains(&ProtocolVersion::TLSv1_2)
            && (self.client_auth.verifier().is_some()
                || self.post_handshake_client_auth.verifier().is_some());
        if requests_tls12_certificate && !self.common.lists_tls12_scheme() {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::NoSignatureScheme,
            ));
        }
        if self.max_early_data_size > 0
            && self.session_store.is_none()
            && self.anti_replay.is_none()
        {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::EarlyDataNeedsStore,
            ));
        }
        let ticketer: Arc<dyn Ticketer> = match self.ticketer {
            Some(t) => t,
            None => Arc::new(RotatingTicketer::new(
                self.common.rng.clone(),
                self.common.clock.clone(),
            )?),
        };
        let clock = self.common.clock.clone();
        let session_cache = self.session_cache.unwrap_or_else(|| {
            Some(self.session_store.clone().unwrap_or_else(|| {
                Arc::new(InMemoryServerStore::new(clock)) as Arc<dyn ServerSessionStore>
            }))
        });
        Ok(Arc::new(ServerConfig {
            session_cache,
            require_extended_master_secret: self.require_extended_master_secret,
            enable_extended_master_secret: self.enable_extended_master_secret,
            enable_encrypt_then_mac: self.enable_encrypt_then_mac,
            external_psks: self.external_psks,
            anti_replay: self.anti_replay,
            renegotiation: self.renegotiation,
            ticketer,
            session_store: self.session_store,
            ticket_lifetime: self
                .ticket_lifetime
                .min(crate::session::state::MAX_LIFETIME_SECS),
            max_early_data_size: self.max_early_data_size,
            send_half_rtt_data: self.send_half_rtt_data,
            grease: self.grease,
            prioritize_chacha: self.prioritize_chacha,
            common: self.common,
            certificates: self.certificates,
            certificate_resolver: self.certificate_resolver,
            client_auth: self.client_auth,
            post_handshake_client_auth: self.post_handshake_client_auth,
            tickets_after_full_handshake: self
                .tickets
                .unwrap_or(DEFAULT_TICKETS_AFTER_FULL_HANDSHAKE),
            tickets_after_resumption: self.tickets.unwrap_or(DEFAULT_TICKETS_AFTER_RESUMPTION),
            send_cookie: self.send_cookie,
            raw_public_key: self.raw_public_key,
            group_tier_sizes: self.group_tier_sizes,
            cipher_suite_tier_sizes: self.cipher_suite_tier_sizes,
        }))
    }
}

impl core::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("common", &self.common)
            .field("middlebox_compat", &self.middlebox_compat)
            .field("enable_sni", &self.enable_sni)
            .field("resumption", &self.session_store.is_some())
            .field("enable_early_data", &self.enable_early_data)
            .field("reverify_on_resume", &self.reverify_on_resume)
            .finish_non_exhaustive()
    }
}

impl core::fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ServerConfig")
            .field("common", &self.common)
            .field("group_tier_sizes", &self.group_tier_sizes)
            .field("cipher_suite_tier_sizes", &self.cipher_suite_tier_sizes)
            .field("client_auth", &self.client_auth)
            .field(
                "tickets_after_full_handshake",
                &self.tickets_after_full_handshake,
            )
            .field("tickets_after_resumption", &self.tickets_after_resumption)
            .field("stateful_tickets", &self.session_store.is_some())
            .field("max_early_data_size", &self.max_early_data_size)
            .finish_non_exhaustive()
    }
}
