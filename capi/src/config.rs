//! Client and server configurations for C: settings collected by setters,
//! turned into a [`ClientConfig`] or [`ServerConfig`] (with the verifier
//! of the peer's chain, and the CRLs it checks, or of its pinned public
//! key) that the connections made until the next setter call share
//! ([`kept`]).
//! What must outlive one connection lives in the handle itself: the
//! client's session store, and the server's ticketer and session-ID
//! cache (or the session cache a C program plugs in instead), so
//! connections made from one handle resume each other's sessions.

use core::ffi::{c_char, c_int, c_void};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ferrotls::{
    default_certificate_types, private_key_from_pem_file, AntiReplay, CertifiedKey, CipherSuite,
    ClientAuth, ClientCertVerifier, ClientConfig, Clock, GroupList, InMemoryAntiReplay,
    InMemoryClientStore, InMemoryServerStore, KeyLog, KeyLogFile, NamedGroup, OsRng, PinnedKeys,
    ProtocolVersion, Revocation, RevocationPolicy, RootStore, RotatingTicketer, SecureRandom,
    ServerCertVerifier, ServerConfig, ServerName, SignatureScheme, SystemClock,
    WebPkiClientVerifier, WebPkiServerVerifier, ALL_VERSIONS, MAX_MAX_FRAGMENT_SIZE,
    MIN_MAX_FRAGMENT_SIZE, PIN_LEN,
};

use kept::Kept;

use super::client_certificates::{CallbackResolver, CertificateCallback, CertificateFn};
use super::server_certificates::ServerCertificateFn;
use super::session_cache::{
    CacheCallbacks, CacheRemoveFn, CacheRetrieveFn, CacheStoreFn, CacheTakeFn, CallbackCache,
};
use super::{copy_out, data_arg, free_handle, guard, guard_int, handle, put_out, str_arg, Code};

/// The ALPN protocol names C passes as `len` bytes at `data`, in the wire
/// format of RFC 7301 §3.1 (each name preceded by its one-byte length),
/// most preferred first; none when `len` is 0. [`Code::InvalidRequest`]
/// for NULL data with a length, an empty name, or a name cut short
/// (RFC 7301 §3.1: names are 1 to 255 bytes).
///
/// # Safety
/// `data` must be NULL or valid for `len` bytes of reads.
unsafe fn alpn_arg(data: *const c_void, len: usize) -> Result<Vec<Vec<u8>>, Code> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if data.is_null() {
        return Err(Code::InvalidRequest);
    }
    // SAFETY: not NULL, and valid for `len` bytes of reads per the caller;
    // C does not change it during the call.
    let mut rest = unsafe { core::slice::from_raw_parts(data.cast::<u8>(), len) };
    let mut protocols = Vec::new();
    while let Some((&name_len, tail)) = rest.split_first() {
        let name_len = usize::from(name_len);
        if name_len == 0 || tail.len() < name_len {
            return Err(Code::InvalidRequest);
        }
        let (name, tail) = tail.split_at(name_len);
        protocols.push(name.to_vec());
        rest = tail;
    }
    Ok(protocols)
}

/// The borrowed form the builders take.
fn alpn_refs(protocols: &[Vec<u8>]) -> Vec<&[u8]> {
    protocols.iter().map(Vec::as_slice).collect()
}

/// The smallest version number C may name: TLS 1.0 (RFC 2246).
pub const MIN_VERSION: u16 = 0x0301;

/// The largest version number C may name: TLS 1.3 (RFC 8446 §4.2.1).
pub const MAX_VERSION: u16 = 0x0304;

/// `ferrotls_client_config`: what a C client sets before connecting.
pub struct CClientConfig {
    settings: Mutex<Kept<ClientSettings, ClientSnapshot>>,
    /// Sessions kept across the connections made from this handle.
    store: Arc<InMemoryClientStore>,
}

/// What both roles set alike: what a handshake may negotiate, the
/// records sent, where the secrets are logged, and whether to
/// renegotiate. `None` keeps the library's default.
#[derive(Default)]
pub(super) struct Negotiable {
    versions: Option<Vec<ProtocolVersion>>,
    alpn: Vec<Vec<u8>>,
    suites: Option<Vec<CipherSuite>>,
    /// The schemes offered and accepted, which also restrict what this
    /// side's own certificates sign with ([`signing_with`]).
    signature_schemes: Option<Vec<SignatureScheme>>,
    max_fragment_size: Option<u16>,
    key_log: Option<Arc<dyn KeyLog>>,
    /// Whether TLS ≤1.2 secure renegotiation (RFC 5746) is allowed; off,
    /// as in the library, by default.
    renegotiation: bool,
}

/// `key`, signing TLS 1.2 and 1.3 handshakes only with `schemes`, in
/// their order (`CertifiedKey::with_signature_schemes`), when a list was
/// set; as it is otherwise. A clone shares the private key.
fn signing_with(key: &Arc<CertifiedKey>, schemes: Option<&[SignatureScheme]>) -> Arc<CertifiedKey> {
    match schemes {
        Some(schemes) => Arc::new(CertifiedKey::clone(key).with_signature_schemes(schemes)),
        None => key.clone(),
    }
}

/// How a role checks the peer's chain for revocation (RFC 5280 §6.3):
/// against the CRLs of the files set, with a policy for the certificates
/// they do not cover. Each file is parsed once, when set.
#[derive(Default)]
struct Crls {
    /// The CRLs of every file set, under the policy.
    all: Revocation,
    /// How many CRLs `all` holds.
    count: usize,
}

impl Crls {
    /// What a new verifier checks; `None`, no revocation check, when there
    /// is no CRL and the policy is soft-fail, since there is then nothing
    /// to check.
    fn revocation(&self) -> Option<Revocation> {
        (self.count > 0 || self.all.policy() != RevocationPolicy::SoftFail)
            .then(|| self.all.clone())
    }

    /// Adds the CRLs of a file's contents; returns how many it held.
    /// [`Code::File`] for contents that hold none or one that does not
    /// parse, and nothing changes.
    fn add(&mut self, bytes: &[u8]) -> Result<usize, Code> {
        let mut all = self.all.clone();
        let added = all.add_crls(bytes).map_err(|_| Code::File)?;
        self.all = all;
        self.count += added;
        Ok(added)
    }

    /// Forgets every CRL, keeping the policy.
    fn clear(&mut self) {
        self.all = Revocation::new(self.all.policy());
        self.count = 0;
    }

    /// Sets the policy for certificates no CRL covers.
    fn set_policy(&mut self, policy: RevocationPolicy) {
        self.all = core::mem::take(&mut self.all).with_policy(policy);
    }
}

/// What a role judges the peer's certificate by.
enum PeerTrust {
    /// A chain to these CAs (RFC 5280 path validation), checked against
    /// the CRLs set.
    Roots(Arc<RootStore>),
    /// The public key alone, which must be one of these
    /// (`PinnedKeys`): sent raw (RFC 7250), which the verifier asks for
    /// first, or in an X.509 certificate whose other contents are not
    /// looked at, the binding of key and peer being known out of band
    /// (RFC 7250 §6). No CRL applies.
    Pins(Arc<PinnedKeys>),
}

impl PeerTrust {
    /// The verifier of a server's certificate.
    fn server_verifier(&self, crls: &Crls) -> Arc<dyn ServerCertVerifier> {
        match self {
            PeerTrust::Roots(roots) => {
                let mut verifier = WebPkiServerVerifier::new(roots.clone());
                if let Some(revocation) = crls.revocation() {
                    verifier = verifier.with_revocation(revocation);
                }
                Arc::new(verifier)
            }
            PeerTrust::Pins(pins) => pins.clone(),
        }
    }

    /// The verifier of a client's certificate.
    fn client_verifier(&self, crls: &Crls) -> Arc<dyn ClientCertVerifier> {
        match self {
            PeerTrust::Roots(roots) => {
                let mut verifier = WebPkiClientVerifier::new(roots.clone());
                if let Some(revocation) = crls.revocation() {
                    verifier = verifier.with_revocation(revocation);
                }
                Arc::new(verifier)
            }
            PeerTrust::Pins(pins) => pins.clone(),
        }
    }
}

/// Applies a [`Negotiable`] to a client or server configuration builder,
/// whose methods of these names are the same.
macro_rules! with_negotiable {
    ($builder:expr, $n:expr) => {{
        let n: &Negotiable = $n;
        let mut builder = $builder
            .alpn_protocols(&alpn_refs(&n.alpn))
            .max_fragment_size(n.max_fragment_size)
            .renegotiation(n.renegotiation);
        if let Some(versions) = &n.versions {
            builder = builder.versions(versions);
        }
        if let Some(suites) = &n.suites {
            builder = builder.cipher_suites(suites);
        }
        if let Some(schemes) = &n.signature_schemes {
            builder = builder.signature_schemes(schemes);
        }
        if let Some(key_log) = &n.key_log {
            builder = builder.key_log(key_log.clone());
        }
        builder
    }};
}

struct ClientSettings {
    /// The groups offered, most preferred first (tiers are only
    /// separators to a client), and those with key shares if any were
    /// named; `None`: the library's.
    groups: Option<GroupList>,
    /// What the server's certificate is judged by: needed to connect.
    trust: Option<PeerTrust>,
    /// The CRLs the server's chain is checked against.
    crls: Crls,
    negotiable: Negotiable,
    tickets: bool,
    early_data: bool,
    false_start: bool,
    reverify_on_resume: bool,
    /// Whether an OCSP staple is asked for, and whether one is required
    /// (`FERROTLS_OCSP_*`).
    ocsp_stapling: c_int,
    /// Shared with the configurations built, which clone it per
    /// connection only when the connection starts.
    server_name: Option<Arc<ServerName>>,
    /// The certificates to authenticate with when a server asks, in the
    /// order C added them, which their indices follow: the engine picks
    /// one that fits the request, or `certificate_callback` does.
    certificates: Vec<Arc<CertifiedKey>>,
    /// C's choice among `certificates` when a server asks, if it set one.
    certificate_callback: Option<CertificateCallback<CertificateFn>>,
    /// Whether a client with a certificate offers TLS 1.3 post-handshake
    /// authentication (RFC 8446 §4.2.6).
    post_handshake_auth: bool,
}

/// `ferrotls_server_config`: what a C server sets before accepting.
pub struct CServerConfig {
    settings: Mutex<Kept<ServerSettings, Arc<ServerConfig>>>,
    /// Seals the tickets of every connection made from this handle; its
    /// keys can be exported to, and imported from, other servers.
    ticketer: Arc<RotatingTicketer>,
    /// The TLS ≤1.2 sessions of every connection made from this handle,
    /// by session ID, while C keeps no session cache.
    session_ids: Arc<InMemoryServerStore>,
    /// The ClientHellos whose 0-RTT data the connections made from this
    /// handle accepted (RFC 8446 §8.2), so a replay to another of them
    /// is refused.
    anti_replay: Arc<dyn AntiReplay>,
}

struct ServerSettings {
    /// The groups accepted, in the server's tiers
    /// (`ServerConfigBuilder::group_tiers`); `None`: the library's.
    group_tiers: Option<Vec<Vec<NamedGroup>>>,
    /// The suites accepted, in the server's order or, when cut in more
    /// than one, in tiers (`ServerConfigBuilder::cipher_suite_tiers`);
    /// `None`: the library's.
    suite_tiers: Option<Vec<Vec<CipherSuite>>>,
    /// The certificate served by default, and the others the client's
    /// server_name or signature algorithms may choose instead.
    key: Arc<CertifiedKey>,
    more_keys: Vec<Arc<CertifiedKey>>,
    /// Chooses among `key` (index 0) and `more_keys` for each full
    /// handshake, alone, when set
    /// ([`ferrotls_server_config_set_certificate_callback`]).
    certificate_callback: Option<CertificateCallback<ServerCertificateFn>>,
    negotiable: Negotiable,
    tickets: bool,
    /// How much 0-RTT data to accept (RFC 8446 §4.2.10); 0 for none.
    max_early_data: u32,
    /// Whether data goes before the client's Finished (half-RTT data).
    half_rtt: bool,
    /// Whether each certificate's key also goes alone, as a raw public
    /// key, to clients that ask for one (RFC 7250).
    raw_public_key: bool,
    /// The session cache C keeps, if it gave one.
    cache: Option<Arc<CallbackCache>>,
    /// What the handshake asks of clients' certificates; `None`: no
    /// certificate is asked for.
    client_auth: Option<ClientCertRequest>,
    /// What TLS 1.3 post-handshake CertificateRequests (RFC 8446 §4.6.2)
    /// and TLS ≤1.2 renegotiations ask of them; `None`: the former are
    /// refused, the latter ask as the handshake does.
    post_handshake_auth: Option<ClientCertRequest>,
    /// The CRLs a client's chain is checked against.
    crls: Crls,
}

/// What a server asks of a client's certificate: one `trust` accepts,
/// and, when `required`, one at all.
struct ClientCertRequest {
    trust: PeerTrust,
    required: bool,
}

impl ClientCertRequest {
    /// The request as the builder takes it, a chain also checked against
    /// `crls`.
    fn client_auth(&self, crls: &Crls) -> ClientAuth {
        let verifier = self.trust.client_verifier(crls);
        if self.required {
            ClientAuth::Required(verifier)
        } else {
            ClientAuth::Optional(verifier)
        }
    }
}

/// Locks `m`; a poisoned lock is taken over, since the settings are plain
/// values that a panic cannot leave half-written.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A client's settings at the time a connection is made.
#[derive(Clone)]
pub(super) struct ClientSnapshot {
    /// The configuration of the connection.
    pub config: Arc<ClientConfig>,
    /// The server to connect to, copied once per connection, when it
    /// starts (`ClientConnection::new` takes it by value).
    pub server_name: Arc<ServerName>,
    /// Whether resumption is on: the configuration then has the handle's
    /// session store.
    pub resumption: bool,
}

impl CClientConfig {
    /// The configuration for one new connection: the one the last
    /// connection had, unless a setter has run since. Fails with
    /// [`Code::InvalidRequest`] when no CA file (or system roots, or
    /// pinned keys) or server name was set.
    pub(super) fn snapshot(&self) -> Result<ClientSnapshot, Code> {
        lock(&self.settings).built(|settings| self.build(settings))
    }

    /// A configuration made from `settings`.
    fn build(&self, settings: &ClientSettings) -> Result<ClientSnapshot, Code> {
        let trust = settings.trust.as_ref().ok_or(Code::InvalidRequest)?;
        let server_name = settings.server_name.clone().ok_or(Code::InvalidRequest)?;
        let resumption = settings.tickets;
        let store = resumption.then(|| self.store.clone() as _);
        let schemes = settings.negotiable.signature_schemes.as_deref();
        let mut builder = with_negotiable!(
            ClientConfig::builder(trust.server_verifier(&settings.crls)),
            &settings.negotiable
        )
        .session_store(store)
        .enable_early_data(settings.early_data)
        .false_start(settings.false_start)
        .reverify_on_resume(settings.reverify_on_resume)
        .request_ocsp_staple(settings.ocsp_stapling != OCSP_OFF)
        .require_ocsp_staple(settings.ocsp_stapling == OCSP_REQUIRE)
        .post_handshake_auth(settings.post_handshake_auth);
        if let Some(list) = &settings.groups {
            builder = builder.groups(&list.tiers.concat());
            if !list.key_shares.is_empty() {
                builder = builder.key_share_groups(&list.key_shares);
            }
        }
        let keys = settings
            .certificates
            .iter()
            .map(|key| signing_with(key, schemes));
        builder = match settings.certificate_callback {
            Some(callback) => {
                let keys: Vec<_> = keys.collect();
                // The engine derives the offer from the keys it is given,
                // which a resolver hides from it (RFC 7250 §4.1).
                let types: Vec<_> = default_certificate_types(&keys).collect();
                builder
                    .client_certificate_types(&types)
                    .client_certificate_resolver(Arc::new(CallbackResolver::new(callback, keys)))
            }
            None => keys.fold(builder, |builder, key| builder.client_certificate(key)),
        };
        Ok(ClientSnapshot {
            config: builder.build()?,
            server_name,
            resumption,
        })
    }
}

impl CServerConfig {
    /// The configuration for one new connection: the one the last
    /// connection had, unless a setter has run since.
    pub(super) fn snapshot(&self) -> Result<Arc<ServerConfig>, Code> {
        lock(&self.settings).built(|settings| self.build(settings))
    }

    /// A configuration made from `settings`.
    fn build(&self, settings: &ServerSettings) -> Result<Arc<ServerConfig>, Code> {
        let schemes = settings.negotiable.signature_schemes.as_deref();
        let mut keys = std::iter::once(&settings.key)
            .chain(&settings.more_keys)
            .map(|key| signing_with(key, schemes));
        let start = match settings.certificate_callback {
            // The callback alone chooses, among all the keys.
            Some(callback) => ServerConfig::builder_with_certificate_resolver(Arc::new(
                CallbackResolver::new(callback, keys.collect()),
            )),
            None => {
                let first = keys.next().ok_or(Code::Internal)?;
                keys.fold(ServerConfig::builder(first), |builder, key| {
                    builder.certificate(key)
                })
            }
        };
        let mut builder = with_negotiable!(start, &settings.negotiable)
            .ticketer(self.ticketer.clone())
            .max_early_data_size(settings.max_early_data)
            .send_half_rtt_data(settings.half_rtt)
            .raw_public_key(settings.raw_public_key);
        if let Some(tiers) = &settings.group_tiers {
            builder = builder.group_tiers(tiers);
        }
        match &settings.suite_tiers {
            // Cut by `/`: the client's order decides within a tier.
            Some(tiers) if tiers.len() > 1 => builder = builder.cipher_suite_tiers(tiers),
            Some(tiers) => builder = builder.cipher_suites(&tiers.concat()),
            None => {}
        }
        if settings.max_early_data > 0 {
            builder = builder.anti_replay(self.anti_replay.clone());
        }
        if !settings.tickets {
            builder = builder.tickets(0);
        }
        if let Some(request) = &settings.client_auth {
            builder = builder.client_auth(request.client_auth(&settings.crls));
        }
        if let Some(request) = &settings.post_handshake_auth {
            builder = builder.post_handshake_client_auth(request.client_auth(&settings.crls));
        }
        builder = match &settings.cache {
            // Both TLS 1.3 stateful tickets and the TLS ≤1.2 session-ID
            // cache (which defaults to the session store).
            Some(cache) => builder.session_store(cache.clone()),
            None => builder.session_cache(Some(self.session_ids.clone())),
        };
        Ok(builder.build()?)
    }
}

/// The versions from `min` to `max` (wire values, RFC 8446 §4.2.1), most
/// preferred first; [`Code::InvalidRequest`] unless `MIN_VERSION <= min
/// <= max <= MAX_VERSION`.
fn version_range(min: u16, max: u16) -> Result<Vec<ProtocolVersion>, Code> {
    if !(MIN_VERSION..=MAX_VERSION).contains(&min) || !(min..=MAX_VERSION).contains(&max) {
        return Err(Code::InvalidRequest);
    }
    Ok(ALL_VERSIONS
        .iter()
        .copied()
        .filter(|v| (min..=max).contains(&u16::from(*v)))
        .collect())
}

/// The names of `list`, a NUL-terminated string, separated by `:` (as
/// OpenSSL's `SSL_CTX_set_ciphersuites` and `SSL_CTX_set1_groups_list`
/// take them) or `,` (as the `ferrotls` tool does), each read by
/// `from_name` (IANA names, and OpenSSL's or GnuTLS's aliases); `None`
/// for NULL. [`Code::InvalidRequest`] for an unknown name or a list
/// without one.
///
/// # Safety
/// `list` must be NULL or as for [`str_arg`].
unsafe fn names_arg<T>(
    list: *const c_char,
    from_name: fn(&str) -> Option<T>,
) -> Result<Option<Vec<T>>, Code> {
    if list.is_null() {
        return Ok(None);
    }
    // SAFETY: not NULL; NUL-terminated per the caller.
    names(unsafe { str_arg(list) }?, from_name).map(Some)
}

/// The names of `list` as [`names_arg`] reads them.
fn names<T>(list: &str, from_name: fn(&str) -> Option<T>) -> Result<Vec<T>, Code> {
    let items = list
        .split([':', ','])
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(|name| from_name(name).ok_or(Code::InvalidRequest))
        .collect::<Result<Vec<T>, Code>>()?;
    if items.is_empty() {
        return Err(Code::InvalidRequest);
    }
    Ok(items)
}

/// The cipher suites of `list` in tiers separated by `/`, each tier
/// named as for [`names_arg`]; `None` for NULL.
/// [`Code::InvalidRequest`] for an unknown name or a tier without one.
///
/// # Safety
/// `list` must be NULL or as for [`str_arg`].
unsafe fn suite_tiers_arg(list: *const c_char) -> Result<Option<Vec<Vec<CipherSuite>>>, Code> {
    if list.is_null() {
        return Ok(None);
    }
    // SAFETY: not NULL; NUL-terminated per the caller.
    let list = unsafe { str_arg(list) }?;
    list.split('/')
        .map(|tier| names(tier, CipherSuite::from_name))
        .collect::<Result<_, _>>()
        .map(Some)
}

/// `list` as OpenSSL 3.5 writes group lists ([`GroupList`]: tiers split
/// by `/`, key shares marked `*`, unknown names skipped after `?`):
/// [`Code::InvalidRequest`] when it names an unknown group without `?`,
/// a tier that names nothing, or no group at all.
///
/// # Safety
/// `list` as for [`str_arg`].
unsafe fn group_list_arg(list: *const c_char) -> Result<GroupList, Code> {
    // SAFETY: forwarded from the caller.
    let list = unsafe { str_arg(list) }?;
    GroupList::parse(list).map_err(|_| Code::InvalidRequest)
}

/// The cap on the plaintext of each record sent (OpenSSL's
/// `SSL_CTX_set_max_send_fragment`): `len` bytes, from
/// [`MIN_MAX_FRAGMENT_SIZE`] to [`MAX_MAX_FRAGMENT_SIZE`] (2^14, RFC 8446
/// §5.1), or none for 0; [`Code::InvalidRequest`] otherwise. The peer's
/// `record_size_limit` (RFC 8449) still applies when it is smaller.
fn fragment_size_arg(len: usize) -> Result<Option<u16>, Code> {
    if len == 0 {
        return Ok(None);
    }
    if !(MIN_MAX_FRAGMENT_SIZE..=MAX_MAX_FRAGMENT_SIZE).contains(&len) {
        return Err(Code::InvalidRequest);
    }
    u16::try_from(len)
        .map(Some)
        .map_err(|_| Code::InvalidRequest)
}

/// A configuration handle: its settings, behind a lock, are what the
/// setters change.
trait SettingsHandle {
    type Settings: Shared;
    type Built: Clone;
    fn settings(&self) -> &Mutex<Kept<Self::Settings, Self::Built>>;
}

/// Settings that hold what both roles set alike: a [`Negotiable`], and
/// the [`Crls`] the peer's chain is checked against.
trait Shared {
    fn negotiable(&mut self) -> &mut Negotiable;
    fn crls(&mut self) -> &mut Crls;
}

impl SettingsHandle for CClientConfig {
    type Settings = ClientSettings;
    type Built = ClientSnapshot;
    fn settings(&self) -> &Mutex<Kept<ClientSettings, ClientSnapshot>> {
        &self.settings
    }
}

impl SettingsHandle for CServerConfig {
    type Settings = ServerSettings;
    type Built = Arc<ServerConfig>;
    fn settings(&self) -> &Mutex<Kept<ServerSettings, Arc<ServerConfig>>> {
        &self.settings
    }
}

impl Shared for ClientSettings {
    fn negotiable(&mut self) -> &mut Negotiable {
        &mut self.negotiable
    }
    fn crls(&mut self) -> &mut Crls {
        &mut self.crls
    }
}

impl Shared for ServerSettings {
    fn negotiable(&mut self) -> &mut Negotiable {
        &mut self.negotiable
    }
    fn crls(&mut self) -> &mut Crls {
        &mut self.crls
    }
}

/// Changes the settings of `config` with `set`, under its lock; `set`'s
/// error is the call's.
///
/// # Safety
/// `config` must be NULL or live.
unsafe fn update<H: SettingsHandle>(
    config: *const H,
    set: impl FnOnce(&mut H::Settings) -> Result<(), Code>,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        set(lock(c.settings()).change())
    })
}

/// [`update`] of the settings both roles share.
///
/// # Safety
/// `config` must be NULL or live.
unsafe fn set_negotiable<H: SettingsHandle>(
    config: *const H,
    set: impl FnOnce(&mut Negotiable) -> Result<(), Code>,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { update(config, |s| set(s.negotiable())) }
}

/// Appends the secrets of the connections made from `config` from now on
/// to the file `path`, in the NSS key log format Wireshark reads
/// (`KeyLogFile`: created readable by its owner only); NULL stops
/// logging. [`Code::File`] when the file cannot be opened for appending.
/// Logging secrets gives away every logged connection: for debugging
/// only.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
unsafe fn set_key_log_file<H: SettingsHandle>(config: *const H, path: *const c_char) -> c_int {
    let open = || -> Result<Option<Arc<dyn KeyLog>>, Code> {
        if path.is_null() {
            return Ok(None);
        }
        // SAFETY: not NULL; NUL-terminated per the caller.
        let path = unsafe { str_arg(path) }?;
        let file = KeyLogFile::open(path).map_err(|_| Code::File)?;
        Ok(Some(Arc::new(file)))
    };
    // SAFETY: forwarded from the caller.
    unsafe {
        set_negotiable(config, |n| {
            n.key_log = open()?;
            Ok(())
        })
    }
}

/// Offers and accepts only the signature schemes named in `list`, most
/// preferred first (see [`names_arg`]), and signs with this side's
/// certificates only with those of them their keys can make, in that
/// order ([`signing_with`]), as the `SIGN-` part of a GnuTLS priority
/// string restricts both; NULL goes back to the library's defaults.
///
/// # Safety
/// `config` must be NULL or live; `list` NULL or NUL-terminated.
unsafe fn set_signature_schemes<H: SettingsHandle>(config: *const H, list: *const c_char) -> c_int {
    let set = |n: &mut Negotiable| {
        // SAFETY: NULL or NUL-terminated, per the caller.
        n.signature_schemes = unsafe { names_arg(list, SignatureScheme::from_name) }?;
        Ok(())
    };
    // SAFETY: forwarded from the caller.
    unsafe { set_negotiable(config, set) }
}

/// Adds the CRLs of the file `path` (one DER CRL, or PEM text with any
/// number of `X509 CRL` blocks, `Revocation::add_crls`) to those the
/// peer's chain is checked against (RFC 5280 §6.3), as GnuTLS's
/// `gnutls_certificate_set_x509_crl_file` does, and returns how many it
/// held. A certificate a CRL lists is refused. [`Code::File`] when the
/// file cannot be read or holds a CRL that does not parse, or none; the
/// CRLs set stay as they were. NULL removes every CRL set.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
unsafe fn add_crl_file<H: SettingsHandle>(config: *const H, path: *const c_char) -> c_int {
    guard_int(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        if path.is_null() {
            lock(c.settings()).change().crls().clear();
            return Ok(0);
        }
        // SAFETY: not NULL; NUL-terminated per the caller.
        let path = unsafe { str_arg(path) }?;
        let bytes = std::fs::read(path).map_err(|_| Code::File)?;
        let count = lock(c.settings()).change().crls().add(&bytes)?;
        Ok(c_int::try_from(count).unwrap_or(c_int::MAX))
    })
}

/// `FERROTLS_REVOCATION_SOFT_FAIL`: a certificate no CRL covers is
/// accepted (the default; `RevocationPolicy::SoftFail`).
pub const REVOCATION_SOFT_FAIL: c_int = 0;
/// `FERROTLS_REVOCATION_HARD_FAIL`: a certificate no current CRL covers
/// is refused (`RevocationPolicy::HardFail`).
pub const REVOCATION_HARD_FAIL: c_int = 1;

/// Sets what becomes of a certificate of the peer's chain (but its trust
/// anchor) that no current CRL covers: accepted under
/// `FERROTLS_REVOCATION_SOFT_FAIL`, refused under
/// `FERROTLS_REVOCATION_HARD_FAIL`; any other value is
/// [`Code::InvalidRequest`]. A listed certificate is refused under either.
///
/// # Safety
/// `config` must be NULL or live.
unsafe fn set_revocation_policy<H: SettingsHandle>(config: *const H, policy: c_int) -> c_int {
    let policy = match policy {
        REVOCATION_SOFT_FAIL => RevocationPolicy::SoftFail,
        REVOCATION_HARD_FAIL => RevocationPolicy::HardFail,
        _ => return Code::InvalidRequest.value(),
    };
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.crls().set_policy(policy);
            Ok(())
        })
    }
}

/// Creates a client configuration in `*out`: TLS versions of the
/// library's default, tickets on, no CA file and no server name yet.
///
/// # Safety
/// `out` must be NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_new(out: *mut *mut CClientConfig) -> c_int {
    guard(|| {
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let config = CClientConfig {
            settings: Mutex::new(Kept::new(ClientSettings {
                groups: None,
                trust: None,
                crls: Crls::default(),
                negotiable: Negotiable::default(),
                tickets: true,
                early_data: false,
                false_start: false,
                reverify_on_resume: false,
                ocsp_stapling: OCSP_OFF,
                server_name: None,
                certificates: Vec::new(),
                certificate_callback: None,
                post_handshake_auth: true,
            })),
            store: Arc::new(InMemoryClientStore::new(clock)),
        };
        // SAFETY: forwarded from the caller.
        unsafe { put_out(out, config) }
    })
}

/// The CA certificates of the PEM file `path`: [`Code::File`] when it
/// cannot be read or holds none.
///
/// # Safety
/// As [`str_arg`].
unsafe fn ca_file_arg(path: *const c_char) -> Result<PeerTrust, Code> {
    // SAFETY: forwarded from the caller.
    let path = unsafe { str_arg(path) }?;
    let roots = RootStore::from_pem_file(path).map_err(|_| Code::File)?;
    if roots.is_empty() {
        return Err(Code::File);
    }
    Ok(PeerTrust::Roots(Arc::new(roots)))
}

/// The public keys of the file `path`, its PUBLIC KEY blocks (DER
/// SubjectPublicKeyInfos, RFC 7468 §13, as `openssl pkey -pubout` writes
/// them) or one DER SubjectPublicKeyInfo (`PinnedKeys::from_bytes`):
/// [`Code::File`] when it cannot be read, holds none, or one this library
/// cannot use.
///
/// # Safety
/// As [`str_arg`].
unsafe fn pinned_keys_arg(path: *const c_char) -> Result<PeerTrust, Code> {
    // SAFETY: forwarded from the caller.
    let path = unsafe { str_arg(path) }?;
    let bytes = std::fs::read(path).map_err(|_| Code::File)?;
    let pins = PinnedKeys::from_bytes(&bytes).map_err(|_| Code::File)?;
    Ok(PeerTrust::Pins(Arc::new(pins)))
}

/// The private key of the file `key_file` (PKCS#8, SEC1 or PKCS#1, PEM
/// or DER: `private_key_from_pem_file`) without a certificate,
/// authenticating with its raw public key (RFC 7250;
/// `CertifiedKey::from_key`): [`Code::File`] when it cannot be read or
/// holds no key this library can use.
///
/// # Safety
/// As [`str_arg`].
unsafe fn raw_key_arg(key_file: *const c_char) -> Result<Arc<CertifiedKey>, Code> {
    // SAFETY: forwarded from the caller.
    let path = unsafe { str_arg(key_file) }?;
    let key = private_key_from_pem_file(path).map_err(|_| Code::File)?;
    Ok(Arc::new(CertifiedKey::from_key(key)))
}

/// The chain of the file `cert_file` (leaf first) with the private
/// key of the file `key_file`, each PEM or DER
/// (`CertifiedKey::from_pem_files`): [`Code::File`] when either cannot
/// be read or they do not pair.
///
/// # Safety
/// Both paths as [`str_arg`].
unsafe fn certified_key_arg(
    cert_file: *const c_char,
    key_file: *const c_char,
) -> Result<Arc<CertifiedKey>, Code> {
    // SAFETY: forwarded from the caller.
    let (chain, key) = unsafe { (str_arg(cert_file)?, str_arg(key_file)?) };
    Ok(Arc::new(
        CertifiedKey::from_pem_files(chain, key).map_err(|_| Code::File)?,
    ))
}

/// Trusts the CA certificates of the PEM file `path`, instead of the
/// system roots or pinned keys set before.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_ca_file(
    config: *mut CClientConfig,
    path: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or NUL-terminated, per the caller.
        let roots = unsafe { ca_file_arg(path) }?;
        lock(&c.settings).change().trust = Some(roots);
        Ok(())
    })
}

/// Authenticates the client with the certificate chain of the file
/// `cert_file` (leaf first) and the private key of the file
/// `key_file` when a server asks (RFC 8446 §4.4.2, RFC 5246 §7.4.6): in
/// the handshake, after it (TLS 1.3 post-handshake authentication, which
/// the client then offers), and in a renegotiation. It replaces every
/// key set or added before, with a chain or alone, and becomes the
/// certificate of index 0 ([`ferrotls_client_config_add_certificate`]).
///
/// # Safety
/// `config` must be NULL or live; the paths NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_certificate(
    config: *mut CClientConfig,
    cert_file: *const c_char,
    key_file: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or NUL-terminated, per the caller.
        let key = unsafe { certified_key_arg(cert_file, key_file) }?;
        lock(&c.settings).change().certificates = vec![key];
        Ok(())
    })
}

/// Adds the certificate chain of the file `cert_file` (leaf first)
/// with the private key of the file `key_file` to those the client
/// may authenticate with, after those set or added before, and returns
/// its index (from 0, in the order they were added), which a certificate
/// callback names it by ([`ferrotls_client_config_set_certificate_callback`]).
/// Without a callback, a server's request gets the first of them that
/// fits it (its key type, a signature scheme the server accepts, a
/// keyUsage allowing signatures: RFC 8446 §4.4.2.3, RFC 5246 §7.4.6),
/// those under a CA the server named first (RFC 8446 §4.2.4), as
/// `ClientConfig::client_certificates` are chosen. [`Code::File`] when
/// either file cannot be read or they do not pair, and nothing is added.
///
/// # Safety
/// `config` must be NULL or live; the paths NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_add_certificate(
    config: *mut CClientConfig,
    cert_file: *const c_char,
    key_file: *const c_char,
) -> c_int {
    guard_int(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or NUL-terminated, per the caller.
        let key = unsafe { certified_key_arg(cert_file, key_file) }?;
        let mut kept = lock(&c.settings);
        let certificates = &mut kept.change().certificates;
        let index = c_int::try_from(certificates.len()).map_err(|_| Code::InvalidRequest)?;
        certificates.push(key);
        Ok(index)
    })
}

/// Chooses the certificate with `callback` when a server asks for one,
/// as GnuTLS's `gnutls_certificate_set_retrieve_function2` and OpenSSL's
/// `SSL_CTX_set_client_cert_cb` do: it is called with `user` and what the
/// server asked for (`ferrotls_certificate_request`, valid during the
/// call: see [`crate::client_certificates`]) and returns the index of a
/// certificate set or added ([`ferrotls_client_config_add_certificate`]),
/// or a negative value (or an index past them) for none. The engine sends
/// that certificate if it fits the request, and an empty Certificate
/// otherwise (RFC 8446 §4.4.2, RFC 5246 §7.4.6), which the server may
/// refuse. NULL removes the callback: the engine chooses again. With a
/// callback the ClientHello offers what it offers without one: TLS 1.3
/// post-handshake authentication (`ClientConfig::post_handshake_auth`)
/// and, when a key was set without a chain, raw public keys.
///
/// # Safety
/// `config` must be NULL or live; `callback` must be safe to call from
/// any thread, concurrently, with `user`, for as long as `config` or a
/// connection made from it lives.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_certificate_callback(
    config: *mut CClientConfig,
    callback: Option<CertificateFn>,
    user: *mut c_void,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: the callback is callable as `new` needs, per the caller,
        // for as long as the configuration or a connection made from it
        // (which share this value) lives.
        let callback = callback.map(|f| unsafe { CertificateCallback::new(f, user) });
        lock(&c.settings).change().certificate_callback = callback;
        Ok(())
    })
}

/// Authenticates the client with the private key of the file
/// `key_file` alone ([`raw_key_arg`]), as GnuTLS's
/// `gnutls_certificate_set_rawpk_key_file` does: when a server asks for a
/// certificate, as `ferrotls_client_config_set_certificate` says, its
/// public key goes raw (RFC 7250) to a server that accepts raw public
/// keys, which the ClientHello offers (client_certificate_type, RFC 7250
/// §4.1); a server that takes X.509 only gets no certificate. It replaces
/// every key set or added before, with a chain or alone, and becomes the
/// certificate of index 0 ([`ferrotls_client_config_add_certificate`]).
///
/// # Safety
/// `config` must be NULL or live; `key_file` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_rawpk_key_file(
    config: *mut CClientConfig,
    key_file: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or NUL-terminated, per the caller.
        let key = unsafe { raw_key_arg(key_file) }?;
        lock(&c.settings).change().certificates = vec![key];
        Ok(())
    })
}

/// Trusts exactly the public keys of the file `path`
/// ([`pinned_keys_arg`]), instead of the CA file or system roots set
/// before: a server is accepted when its key is one of them, sent raw
/// (RFC 7250), which the ClientHello asks for first
/// (server_certificate_type, RFC 7250 §4.1), or in an X.509 certificate
/// whose names, dates and issuer are not looked at, the key being known
/// in advance (RFC 7250 §6; `PinnedKeys`). CRLs do not apply. Another key
/// is refused (bad_certificate). GnuTLS leaves raw public keys to the
/// application's verify callback (`gnutls_verify_stored_pubkey`).
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_pinned_keys_file(
    config: *mut CClientConfig,
    path: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or NUL-terminated, per the caller.
        let pins = unsafe { pinned_keys_arg(path) }?;
        lock(&c.settings).change().trust = Some(pins);
        Ok(())
    })
}

/// Trusts exactly the public keys whose SHA-256 (of the DER
/// SubjectPublicKeyInfo, as `ferrotls client --pin-spki sha256:HEX` and
/// HPKP pins are, `pin_of`) are the `count` 32-byte hashes at `hashes`,
/// as [`ferrotls_client_config_set_pinned_keys_file`] trusts the keys of
/// a file. A `count` of 0 or NULL `hashes` is
/// [`Code::InvalidRequest`].
///
/// # Safety
/// `config` must be NULL or live; `hashes` NULL or valid for `count` ×
/// 32 bytes of reads.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_pinned_key_hashes(
    config: *mut CClientConfig,
    hashes: *const c_void,
    count: usize,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or valid for `count` pins, per the caller.
        let pins = unsafe { pin_hashes_arg(hashes, count) }?;
        lock(&c.settings).change().trust = Some(pins);
        Ok(())
    })
}

/// The keys whose SHA-256 pins (of the DER SubjectPublicKeyInfo,
/// `pin_of`) are the `count` 32-byte hashes at `hashes`, trusted as
/// pinned keys are; [`Code::InvalidRequest`] for a `count` of 0 or NULL
/// `hashes`.
///
/// # Safety
/// `hashes` NULL or valid for `count` × 32 bytes of reads.
unsafe fn pin_hashes_arg(hashes: *const c_void, count: usize) -> Result<PeerTrust, Code> {
    let len = count.checked_mul(PIN_LEN).ok_or(Code::InvalidRequest)?;
    // SAFETY: NULL or valid for `len` bytes, per the caller.
    let bytes = unsafe { data_arg(hashes, len) }?;
    if bytes.is_empty() {
        return Err(Code::InvalidRequest);
    }
    let pins = bytes
        .chunks_exact(PIN_LEN)
        .filter_map(|pin| <[u8; PIN_LEN]>::try_from(pin).ok());
    Ok(PeerTrust::Pins(Arc::new(PinnedKeys::from_sha256(pins))))
}

/// Trusts the operating system's CA bundle (the first of the usual
/// locations that holds certificates, `RootStore::system`), instead of
/// the CA file or pinned keys set before.
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_use_system_roots(
    config: *mut CClientConfig,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        let roots = RootStore::system().map_err(|_| Code::File)?;
        lock(&c.settings).change().trust = Some(PeerTrust::Roots(Arc::new(roots)));
        Ok(())
    })
}

/// Names the server to connect to: sent as SNI and checked against its
/// certificate.
///
/// # Safety
/// `config` must be NULL or live; `name` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_server_name(
    config: *mut CClientConfig,
    name: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or NUL-terminated, per the caller.
        let name = unsafe { str_arg(name) }?;
        let name = ServerName::parse(name).map_err(|_| Code::InvalidRequest)?;
        lock(&c.settings).change().server_name = Some(Arc::new(name));
        Ok(())
    })
}

/// Enables the TLS versions from `min` to `max` (wire values).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_versions(
    config: *mut CClientConfig,
    min: u16,
    max: u16,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_negotiable(config, |n| {
            n.versions = Some(version_range(min, max)?);
            Ok(())
        })
    }
}

/// Offers the ALPN protocols of `protocols` (`len` bytes in the wire
/// format of RFC 7301 §3.1, most preferred first; `len` 0 for none).
///
/// # Safety
/// `config` must be NULL or live; `protocols` NULL or valid for `len`
/// bytes of reads.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_alpn(
    config: *mut CClientConfig,
    protocols: *const c_void,
    len: usize,
) -> c_int {
    let set = |n: &mut Negotiable| {
        // SAFETY: NULL or valid for `len` bytes, per the caller.
        n.alpn = unsafe { alpn_arg(protocols, len) }?;
        Ok(())
    };
    // SAFETY: forwarded from the caller.
    unsafe { set_negotiable(config, set) }
}

/// Offers the cipher suites named in `list`, most preferred first (see
/// [`names_arg`]); NULL goes back to the library's defaults.
///
/// # Safety
/// `config` must be NULL or live; `list` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_cipher_suites(
    config: *mut CClientConfig,
    list: *const c_char,
) -> c_int {
    let set = |n: &mut Negotiable| {
        // SAFETY: NULL or NUL-terminated, per the caller.
        n.suites = unsafe { names_arg(list, CipherSuite::from_name) }?;
        Ok(())
    };
    // SAFETY: forwarded from the caller.
    unsafe { set_negotiable(config, set) }
}

/// Offers the key-exchange groups named in `list`, most preferred first,
/// in OpenSSL 3.5's syntax ([`group_list_arg`]): those named with `*`
/// get the first ClientHello's key shares (`ClientConfig::key_share_groups`),
/// `?` skips a name this library does not know, and `/` separates as `:`
/// does. NULL goes back to the library's defaults.
///
/// # Safety
/// `config` must be NULL or live; `list` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_groups(
    config: *mut CClientConfig,
    list: *const c_char,
) -> c_int {
    let set = |s: &mut ClientSettings| {
        s.groups = if list.is_null() {
            None
        } else {
            // SAFETY: not NULL; NUL-terminated per the caller.
            Some(unsafe { group_list_arg(list) }?)
        };
        Ok(())
    };
    // SAFETY: forwarded from the caller.
    unsafe { update(config, set) }
}

/// Sends records of at most `len` bytes of plaintext (see
/// [`fragment_size_arg`]).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_max_fragment_size(
    config: *mut CClientConfig,
    len: usize,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_negotiable(config, |n| {
            n.max_fragment_size = fragment_size_arg(len)?;
            Ok(())
        })
    }
}

/// Logs the secrets of the connections made from now on to the file
/// `path` ([`set_key_log_file`]).
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_keylog_file(
    config: *mut CClientConfig,
    path: *const c_char,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { set_key_log_file(config, path) }
}

/// Turns 0-RTT on (non-zero) or off (0): a connection resuming a TLS 1.3
/// session whose server accepts early data may then send data with its
/// ClientHello (`ferrotls_conn_write_early_data`, RFC 8446 §4.2.10).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_early_data(
    config: *mut CClientConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.early_data = enabled != 0;
            Ok(())
        })
    }
}

/// Turns TLS 1.2 False Start on (non-zero) or off (0): in a full
/// handshake with a forward secret AEAD suite and an agreed ALPN protocol
/// (`ClientConfig::false_start`), `ferrotls_conn_handshake` returns once
/// the client's Finished is sent and `ferrotls_conn_send` sends its data
/// with it, instead of waiting a round trip for the server's (RFC 7918).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_false_start(
    config: *mut CClientConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.false_start = enabled != 0;
            Ok(())
        })
    }
}

/// Turns on (non-zero) or off (0) checking a kept session's server
/// chain again, with the configuration's CAs at the current time, before
/// offering it (`ClientConfig::reverify_on_resume`): a session whose
/// chain no longer passes is not offered, and the handshake runs in full.
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_reverify_on_resume(
    config: *mut CClientConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.reverify_on_resume = enabled != 0;
            Ok(())
        })
    }
}

/// `FERROTLS_OCSP_OFF`: no OCSP response is asked for (the default).
pub const OCSP_OFF: c_int = 0;
/// `FERROTLS_OCSP_REQUEST`: an OCSP response is asked for
/// (status_request, RFC 6066 §8); a server that staples none is
/// accepted.
pub const OCSP_REQUEST: c_int = 1;
/// `FERROTLS_OCSP_REQUIRE`: an OCSP response is asked for, and a server
/// that staples none is refused (`bad_certificate_status_response`).
pub const OCSP_REQUIRE: c_int = 2;

/// Asks servers for a stapled OCSP response about their certificate, or
/// not, as `mode` (a `FERROTLS_OCSP_*` value) says; any other value is
/// [`Code::InvalidRequest`]. A stapled response is checked with the chain
/// (RFC 6066 §8: one that is not current, not about the certificate or
/// not signed by its issuer or a responder it named refuses the server;
/// a revoked status too) and read with `ferrotls_conn_get_ocsp_response`.
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_ocsp_stapling(
    config: *mut CClientConfig,
    mode: c_int,
) -> c_int {
    if !(OCSP_OFF..=OCSP_REQUIRE).contains(&mode) {
        return Code::InvalidRequest.value();
    }
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.ocsp_stapling = mode;
            Ok(())
        })
    }
}

/// Checks server chains against the CRLs of the file `path` too
/// ([`add_crl_file`]); returns how many it held.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_crl_file(
    config: *mut CClientConfig,
    path: *const c_char,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { add_crl_file(config, path) }
}

/// What becomes of a certificate of a server's chain that no CRL covers
/// ([`set_revocation_policy`]).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_revocation_policy(
    config: *mut CClientConfig,
    policy: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { set_revocation_policy(config, policy) }
}

/// Offers, accepts and signs with the signature schemes named in `list`
/// ([`set_signature_schemes`]).
///
/// # Safety
/// `config` must be NULL or live; `list` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_signature_schemes(
    config: *mut CClientConfig,
    list: *const c_char,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { set_signature_schemes(config, list) }
}

/// Turns TLS 1.3 post-handshake authentication on (non-zero, the
/// default) or off (0): with a certificate set, the ClientHello offers it
/// (the post_handshake_auth extension, RFC 8446 §4.2.6), so the server
/// may ask for the certificate after the handshake (§4.6.2), which the
/// client then sends in a receive call; off, a server cannot ask
/// (`ClientConfig::post_handshake_auth`). GnuTLS clients turn it on with
/// the `GNUTLS_POST_HANDSHAKE_AUTH` flag of `gnutls_init`.
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_post_handshake_auth(
    config: *mut CClientConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.post_handshake_auth = enabled != 0;
            Ok(())
        })
    }
}

/// Turns TLS ≤1.2 secure renegotiation (RFC 5746) on (non-zero) or off
/// (0, the default; `ClientConfig::renegotiation`): on, a server's
/// HelloRequest (RFC 5246 §7.4.1.1) is answered, in a receive call, with
/// a new full handshake under the current keys, only with a server that
/// signalled secure renegotiation and at most
/// `DEFAULT_MAX_RENEGOTIATIONS` times per connection; off, it is refused
/// with a no_renegotiation warning (RFC 5246 §7.2.2) and the connection
/// goes on. The certificate set is sent if the new handshake asks for
/// one. GnuTLS clients renegotiate with such servers by default
/// (`%SAFE_RENEGOTIATION`).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_renegotiation(
    config: *mut CClientConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_negotiable(config, |n| {
            n.renegotiation = enabled != 0;
            Ok(())
        })
    }
}

/// Turns resumption on (non-zero) or off (0).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_set_tickets(
    config: *mut CClientConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.tickets = enabled != 0;
            Ok(())
        })
    }
}

/// Frees a client configuration; connections made from it keep working.
///
/// # Safety
/// `config` must be NULL or a live handle, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_config_free(config: *mut CClientConfig) {
    // SAFETY: forwarded from the caller.
    unsafe { free_handle(config) }
}

/// Creates a server configuration in `*out` serving the certificate chain
/// of the file `cert_file` (leaf first) with the private key of the
/// file `key_file`; versions of the library's default, tickets on.
///
/// # Safety
/// `out` must be NULL or valid for writes; the paths NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_new(
    out: *mut *mut CServerConfig,
    cert_file: *const c_char,
    key_file: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: forwarded from the caller.
        let key = unsafe { certified_key_arg(cert_file, key_file) }?;
        // SAFETY: forwarded from the caller.
        unsafe { put_out(out, server_config_of(key)?) }
    })
}

/// Creates a server configuration in `*out` that authenticates with the
/// private key of the file `key_file` alone ([`raw_key_arg`]), as
/// GnuTLS's `gnutls_certificate_set_rawpk_key_file` serves one: its
/// public key goes raw (RFC 7250) to clients that accept raw public keys
/// (server_certificate_type, RFC 7250 §4.2), and a client that takes
/// X.509 only is refused (unsupported_certificate). Otherwise as
/// [`ferrotls_server_config_new`].
///
/// # Safety
/// `out` must be NULL or valid for writes; `key_file` NULL or
/// NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_new_rawpk(
    out: *mut *mut CServerConfig,
    key_file: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: forwarded from the caller.
        let key = unsafe { raw_key_arg(key_file) }?;
        // SAFETY: forwarded from the caller.
        unsafe { put_out(out, server_config_of(key)?) }
    })
}

/// A server configuration serving `key`, with the library's defaults and
/// tickets on, and the ticketer, session-ID cache and anti-replay record
/// its connections share.
fn server_config_of(key: Arc<CertifiedKey>) -> Result<CServerConfig, Code> {
    let rng: Arc<dyn SecureRandom> = Arc::new(OsRng::new());
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    Ok(CServerConfig {
        settings: Mutex::new(Kept::new(ServerSettings {
            group_tiers: None,
            suite_tiers: None,
            key,
            more_keys: Vec::new(),
            certificate_callback: None,
            negotiable: Negotiable::default(),
            tickets: true,
            max_early_data: 0,
            half_rtt: false,
            raw_public_key: false,
            cache: None,
            client_auth: None,
            post_handshake_auth: None,
            crls: Crls::default(),
        })),
        ticketer: Arc::new(RotatingTicketer::new(rng, clock.clone())?),
        session_ids: Arc::new(InMemoryServerStore::new(clock)),
        anti_replay: Arc::new(InMemoryAntiReplay::new()),
    })
}

/// Serves the certificate chain of the file `cert_file` (leaf first)
/// with the private key of the file `key_file` beside those already
/// set: to a client whose server_name its subjectAltName covers (RFC 6066
/// §3), or whose signature algorithms only its key can meet (an ECDSA
/// chain beside an RSA one). A client naming no server, or a name no
/// certificate covers, gets the first that suits it, in the order they
/// were set. [`Code::File`] when either file cannot be read or they do
/// not pair.
///
/// # Safety
/// `config` must be NULL or live; the paths NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_add_certificate(
    config: *mut CServerConfig,
    cert_file: *const c_char,
    key_file: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or NUL-terminated, per the caller.
        let key = unsafe { certified_key_arg(cert_file, key_file) }?;
        lock(&c.settings).change().more_keys.push(key);
        Ok(())
    })
}

/// Chooses the certificate for each full handshake with `callback`, as
/// OpenSSL's `SSL_CTX_set_cert_cb` and GnuTLS's
/// `gnutls_certificate_set_retrieve_function2` do on a server: it is
/// called with `user` and the client's ClientHello
/// (`ferrotls_client_hello`, valid during the call: see
/// [`crate::server_certificates`]) and returns the index of a
/// certificate (0 the one of `ferrotls_server_config_new`, then those of
/// [`ferrotls_server_config_add_certificate`], in order), or a negative
/// value (or an index past them) for none. That certificate alone is
/// sent, if it fits the client (its key, a signature scheme and, before
/// TLS 1.3, a suite the client offers); otherwise the handshake fails
/// (`handshake_failure`). A resumption sends no certificate and calls
/// nothing. NULL removes the callback: the engine chooses among all of
/// them again, by the client's server name first.
///
/// # Safety
/// `config` must be NULL or live; `callback` must be safe to call from
/// any thread, concurrently, with `user`, for as long as `config` or a
/// connection made from it lives.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_certificate_callback(
    config: *mut CServerConfig,
    callback: Option<ServerCertificateFn>,
    user: *mut c_void,
) -> c_int {
    let set = |s: &mut ServerSettings| {
        // SAFETY: the callback is callable as `new` needs, per the caller,
        // for as long as the configuration or a connection made from it
        // (which share this value) lives.
        s.certificate_callback = callback.map(|f| unsafe { CertificateCallback::new(f, user) });
        Ok(())
    };
    // SAFETY: forwarded from the caller.
    unsafe { update(config, set) }
}

/// Staples the DER OCSP response in the file `path` (as `openssl ocsp
/// -respout` writes it) to the certificate set last (by
/// `ferrotls_server_config_new`, or the latest
/// `ferrotls_server_config_add_certificate`), for the clients that ask
/// (RFC 6066 §8 in TLS 1.2, RFC 8446 §4.4.2.1 in TLS 1.3). Connections
/// made afterwards send it; a newer response is set the same way.
/// [`Code::File`] when the file cannot be read or holds no successful
/// OCSP response (RFC 6960 §4.2.1); whether it is current and about that
/// certificate is the client's to judge.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_ocsp_response_file(
    config: *mut CServerConfig,
    path: *const c_char,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or NUL-terminated, per the caller.
        let path = unsafe { str_arg(path) }?;
        let der = std::fs::read(path).map_err(|_| Code::File)?;
        let mut kept = lock(&c.settings);
        let settings = kept.change();
        let last = match settings.more_keys.last_mut() {
            Some(key) => key,
            None => &mut settings.key,
        };
        let stapled = CertifiedKey::clone(last)
            .with_ocsp_response(der)
            .map_err(|_| Code::File)?;
        *last = Arc::new(stapled);
        Ok(())
    })
}

/// Asks every client for a certificate chaining to the CA certificates of
/// the PEM file `path` (RFC 8446 §4.3.2, RFC 5246 §7.4.4), naming them in
/// the request; with `required` non-zero a client that sends none is
/// refused (certificate_required, RFC 8446 §4.4.2.4; handshake_failure
/// in TLS 1.2), otherwise it goes on unauthenticated. The chain a client
/// sent is read with `ferrotls_conn_get_peer_certificate`. `path` NULL
/// asks for no certificate again.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_client_ca_file(
    config: *mut CServerConfig,
    path: *const c_char,
    required: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { set_client_request(config, path, ca_file_arg, required, |s| &mut s.client_auth) }
}

/// Asks every client for a certificate, as
/// `ferrotls_server_config_set_client_ca_file` does, but accepts only the
/// public keys of the file `path` ([`pinned_keys_arg`], as
/// `ferrotls_client_config_set_pinned_keys_file` takes them): sent raw
/// (RFC 7250), which the request asks for first (client_certificate_type,
/// RFC 7250 §4.2), or in an X.509 certificate whose other contents are
/// not looked at. This replaces the CA file set for the handshake, and
/// the CA file replaces it; `path` NULL asks for no certificate again. A
/// key not pinned is refused (bad_certificate).
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_client_pinned_keys_file(
    config: *mut CServerConfig,
    path: *const c_char,
    required: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_client_request(config, path, pinned_keys_arg, required, |s| {
            &mut s.client_auth
        })
    }
}

/// Asks every client for a certificate as
/// [`ferrotls_server_config_set_client_pinned_keys_file`] does, accepting
/// the keys whose SHA-256 pins are the `count` 32-byte hashes at
/// `hashes` ([`pin_hashes_arg`], as
/// [`ferrotls_client_config_set_pinned_key_hashes`] takes them), with
/// `required` as there.
///
/// # Safety
/// `config` must be NULL or live; `hashes` NULL or valid for `count` ×
/// 32 bytes of reads.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_client_pinned_key_hashes(
    config: *mut CServerConfig,
    hashes: *const c_void,
    count: usize,
    required: c_int,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or valid for `count` pins, per the caller.
        let trust = unsafe { pin_hashes_arg(hashes, count) }?;
        store_client_request(c, Some(trust), required, |s| &mut s.client_auth);
        Ok(())
    })
}

/// Lets `ferrotls_conn_reauth` ask a client for a certificate after a
/// TLS 1.3 handshake (post-handshake authentication, RFC 8446 §4.6.2),
/// and makes a TLS ≤1.2 renegotiation (`ferrotls_conn_rehandshake`) ask
/// for one (RFC 5246 §7.4.4), chaining to the CA certificates of the PEM
/// file `path`, as [`set_client_request`] reads it; the CRLs set apply. With
/// `required` non-zero a client that then sends none is refused
/// (certificate_required, RFC 8446 §4.4.2.4), otherwise it goes on as it
/// was. Independent of `ferrotls_server_config_set_client_ca_file`
/// (`ServerConfig::post_handshake_client_auth`), so a server can leave
/// the handshake unauthenticated and ask only when a resource needs it,
/// as GnuTLS's `gnutls_reauth` asks under the request mode of
/// `gnutls_certificate_server_set_request`. `path` NULL refuses
/// `ferrotls_conn_reauth` again, and a renegotiation asks as the
/// handshake does.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_post_handshake_ca_file(
    config: *mut CServerConfig,
    path: *const c_char,
    required: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_client_request(config, path, ca_file_arg, required, |s| {
            &mut s.post_handshake_auth
        })
    }
}

/// As [`ferrotls_server_config_set_post_handshake_ca_file`], accepting
/// only the public keys of the file `path` ([`pinned_keys_arg`], as
/// `ferrotls_server_config_set_client_pinned_keys_file` takes them for
/// the handshake): a certificate whose key is one of them, its other
/// contents not looked at.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_post_handshake_pinned_keys_file(
    config: *mut CServerConfig,
    path: *const c_char,
    required: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_client_request(config, path, pinned_keys_arg, required, |s| {
            &mut s.post_handshake_auth
        })
    }
}

/// Sets the request of a server's settings that `field` names: client
/// certificates the trust `read` makes of the file `path` accepts
/// ([`ca_file_arg`], [`pinned_keys_arg`]), required when `required` is
/// not 0; none for `path` NULL.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
unsafe fn set_client_request(
    config: *const CServerConfig,
    path: *const c_char,
    read: unsafe fn(*const c_char) -> Result<PeerTrust, Code>,
    required: c_int,
    field: fn(&mut ServerSettings) -> &mut Option<ClientCertRequest>,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        let trust = if path.is_null() {
            None
        } else {
            // SAFETY: NUL-terminated, per the caller.
            Some(unsafe { read(path) }?)
        };
        store_client_request(c, trust, required, field);
        Ok(())
    })
}

/// Stores in `c`'s settings, where `field` names, a request for client
/// certificates that `trust` accepts, required when `required` is not 0;
/// none for `None`.
fn store_client_request(
    c: &CServerConfig,
    trust: Option<PeerTrust>,
    required: c_int,
    field: fn(&mut ServerSettings) -> &mut Option<ClientCertRequest>,
) {
    *field(lock(&c.settings).change()) = trust.map(|trust| ClientCertRequest {
        trust,
        required: required != 0,
    });
}

/// Checks client chains against the CRLs of the file `path` too
/// ([`add_crl_file`]), once `ferrotls_server_config_set_client_ca_file`
/// asks for them; returns how many it held.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_crl_file(
    config: *mut CServerConfig,
    path: *const c_char,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { add_crl_file(config, path) }
}

/// What becomes of a certificate of a client's chain that no CRL covers
/// ([`set_revocation_policy`]).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_revocation_policy(
    config: *mut CServerConfig,
    policy: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { set_revocation_policy(config, policy) }
}

/// Accepts, signs with and asks client certificates to sign with the
/// signature schemes named in `list`, in the server's order of
/// preference ([`set_signature_schemes`]).
///
/// # Safety
/// `config` must be NULL or live; `list` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_signature_schemes(
    config: *mut CServerConfig,
    list: *const c_char,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { set_signature_schemes(config, list) }
}

/// Enables the TLS versions from `min` to `max` (wire values).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_versions(
    config: *mut CServerConfig,
    min: u16,
    max: u16,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_negotiable(config, |n| {
            n.versions = Some(version_range(min, max)?);
            Ok(())
        })
    }
}

/// Accepts the ALPN protocols of `protocols` (as for
/// [`ferrotls_client_config_set_alpn`]; the server's order decides).
///
/// # Safety
/// `config` must be NULL or live; `protocols` NULL or valid for `len`
/// bytes of reads.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_alpn(
    config: *mut CServerConfig,
    protocols: *const c_void,
    len: usize,
) -> c_int {
    let set = |n: &mut Negotiable| {
        // SAFETY: NULL or valid for `len` bytes, per the caller.
        n.alpn = unsafe { alpn_arg(protocols, len) }?;
        Ok(())
    };
    // SAFETY: forwarded from the caller.
    unsafe { set_negotiable(config, set) }
}

/// Accepts the cipher suites named in `list` (see [`names_arg`]), in the
/// server's order of preference, or in tiers separated by `/` that the
/// server counts as equally good, the client's order deciding within one
/// (`ServerConfigBuilder::cipher_suite_tiers`; BoringSSL writes
/// `[A|B]:C` for `A:B/C`); NULL goes back to the library's defaults.
///
/// # Safety
/// `config` must be NULL or live; `list` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_cipher_suites(
    config: *mut CServerConfig,
    list: *const c_char,
) -> c_int {
    let set = |s: &mut ServerSettings| {
        // SAFETY: NULL or NUL-terminated, per the caller.
        s.suite_tiers = unsafe { suite_tiers_arg(list) }?;
        Ok(())
    };
    // SAFETY: forwarded from the caller.
    unsafe { update(config, set) }
}

/// Accepts the key-exchange groups named in `list`, in the server's
/// order of preference, in OpenSSL 3.5's syntax ([`group_list_arg`]; a
/// `*` means nothing to a server), in tiers separated by `/` as
/// OpenSSL 3.5's group tuples are: in TLS 1.3 a HelloRetryRequest asks
/// for a group of the best tier the client supports rather than take a
/// key share of a worse one (`ServerConfigBuilder::group_tiers`). NULL
/// goes back to the library's defaults.
///
/// # Safety
/// `config` must be NULL or live; `list` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_groups(
    config: *mut CServerConfig,
    list: *const c_char,
) -> c_int {
    let set = |s: &mut ServerSettings| {
        s.group_tiers = if list.is_null() {
            None
        } else {
            // SAFETY: not NULL; NUL-terminated per the caller.
            Some(unsafe { group_list_arg(list) }?.tiers)
        };
        Ok(())
    };
    // SAFETY: forwarded from the caller.
    unsafe { update(config, set) }
}

/// Logs the secrets of the connections made from now on to the file
/// `path` ([`set_key_log_file`]).
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_keylog_file(
    config: *mut CServerConfig,
    path: *const c_char,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { set_key_log_file(config, path) }
}

/// Sends records of at most `len` bytes of plaintext (see
/// [`fragment_size_arg`]).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_max_fragment_size(
    config: *mut CServerConfig,
    len: usize,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_negotiable(config, |n| {
            n.max_fragment_size = fragment_size_arg(len)?;
            Ok(())
        })
    }
}

/// Accepts up to `bytes` of 0-RTT data on a resumed TLS 1.3 connection
/// (RFC 8446 §4.2.10), announced in the tickets issued from now on; 0
/// accepts none. A ClientHello whose 0-RTT data a connection of this
/// handle already accepted has it refused (RFC 8446 §8.2), so a replay
/// to this process is refused; the data reaches
/// `ferrotls_conn_recv` before any sent after the handshake.
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_max_early_data(
    config: *mut CServerConfig,
    bytes: u32,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.max_early_data = bytes;
            Ok(())
        })
    }
}

/// Turns session tickets on (non-zero) or off (0).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_tickets(
    config: *mut CServerConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.tickets = enabled != 0;
            Ok(())
        })
    }
}

/// Keeps the server's sessions in a cache of C's (design §3, server
/// store): TLS ≤1.2 sessions by session ID and TLS 1.3 tickets, which
/// become stateful and single use. `store`, `retrieve` and `remove` are
/// required, `take` optional (an atomic retrieve-and-remove); all four
/// NULL go back to the configuration's in-memory session-ID cache.
/// Connections made before keep what they had.
///
/// # Safety
/// `config` must be NULL or live; the callbacks must be safe to call from
/// any thread, concurrently, with `user`, for as long as `config` or a
/// connection made from it lives.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_session_cache(
    config: *mut CServerConfig,
    store: Option<CacheStoreFn>,
    retrieve: Option<CacheRetrieveFn>,
    remove: Option<CacheRemoveFn>,
    take: Option<CacheTakeFn>,
    user: *mut c_void,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        let cache = match (store, retrieve, remove, take) {
            (None, None, None, None) => None,
            (Some(store), Some(retrieve), Some(remove), take) => {
                let callbacks = CacheCallbacks {
                    store,
                    retrieve,
                    remove,
                    take,
                    user,
                };
                // SAFETY: the callbacks are callable as `new` needs, per
                // the caller, for as long as the configuration or a
                // connection made from it (which share this value) lives.
                Some(Arc::new(unsafe {
                    CallbackCache::new(callbacks, Arc::new(SystemClock))
                }))
            }
            _ => return Err(Code::InvalidRequest),
        };
        lock(&c.settings).change().cache = cache;
        Ok(())
    })
}

/// Sends the key of the certificate chosen alone, as a raw public key
/// (RFC 7250), to clients that list that type first in their
/// server_certificate_type (non-zero), or always the chain (0, the
/// default; `ServerConfig::raw_public_key`), as a GnuTLS server given
/// both an X.509 and a raw-key credential for one key chooses. Keys set
/// without a chain (`ferrotls_server_config_new_rawpk`) always go raw.
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_rawpk(
    config: *mut CServerConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.raw_public_key = enabled != 0;
            Ok(())
        })
    }
}

/// Turns TLS ≤1.2 secure renegotiation (RFC 5746) on (non-zero) or off
/// (0, the default; `ServerConfig::renegotiation`): on, a client's
/// ClientHello after the handshake starts a new one, and
/// `ferrotls_conn_rehandshake` may ask for one, only with a client that
/// signalled secure renegotiation (RFC 5746 §4.3) and at most
/// `DEFAULT_MAX_RENEGOTIATIONS` times per connection; off, a client's
/// attempt is refused with a no_renegotiation warning (RFC 5246 §7.2.2)
/// and the connection goes on. Once a renegotiation completes, the
/// connection's parameters, peer certificates and session ID are the new
/// handshake's. GnuTLS servers allow it by default (`%SAFE_RENEGOTIATION`).
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_renegotiation(
    config: *mut CServerConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        set_negotiable(config, |n| {
            n.renegotiation = enabled != 0;
            Ok(())
        })
    }
}

/// Turns half-RTT data on (non-zero) or off (0), TLS 1.3
/// (`ServerConfig::send_half_rtt_data`, RFC 8446 §4.4.4): once the
/// server's Finished is sent, `ferrotls_conn_handshake` returns and
/// `ferrotls_conn_send` sends at once, before the client's Finished, and
/// `ferrotls_conn_recv` reads accepted 0-RTT
/// data as it comes, so an answer to a 0-RTT request leaves in the
/// server's first flight. The client is not yet confirmed then (its
/// Finished, and for 0-RTT its liveness: the request may be a replay,
/// RFC 8446 §8). Never when a client certificate is asked for.
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_half_rtt(
    config: *mut CServerConfig,
    enabled: c_int,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |s| {
            s.half_rtt = enabled != 0;
            Ok(())
        })
    }
}

/// Copies out the key set that seals and unseals this configuration's
/// session tickets (the current key and the previous one, with their
/// AEAD; `RotatingTicketer::export_keys`), under the size convention of
/// `ferrotls_session_get_id`, so that other servers given it with
/// `ferrotls_server_config_set_ticket_keys` resume this one's sessions, as
/// GnuTLS servers share a key from `gnutls_session_ticket_key_generate`.
/// The bytes are as secret as the keys: whoever holds them can read every
/// session they sealed. A key due for rotation is rotated first.
///
/// # Safety
/// `config` must be NULL or live; `keys_size` NULL or valid for reads
/// and writes; `keys` NULL or valid for `*keys_size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_get_ticket_keys(
    config: *const CServerConfig,
    keys: *mut c_void,
    keys_size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        let exported = c.ticketer.export_keys()?;
        // SAFETY: the size and buffer pointers are as `copy_out` needs,
        // per the caller.
        unsafe { copy_out(exported.as_bytes(), keys, keys_size) }
    })
}

/// Seals and unseals this configuration's tickets, for connections made
/// from now on and those already running, with the key set
/// `ferrotls_server_config_get_ticket_keys` exported (`keys_size` bytes at
/// `keys`; `RotatingTicketer::import_keys`). Bytes that are not such a set
/// give `FERROTLS_E_INVALID_SESSION_DATA` and change nothing. Servers that
/// share keys should rotate them in one place
/// (`ferrotls_server_config_rotate_ticket_keys`) and pass the set on
/// within the rotation period (12 hours), or each rotates to a key of its
/// own.
///
/// # Safety
/// `config` must be NULL or live; `keys` NULL or valid for `keys_size`
/// bytes of reads.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_set_ticket_keys(
    config: *mut CServerConfig,
    keys: *const c_void,
    keys_size: usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid for `keys_size` bytes of reads, per the
        // caller.
        let bytes = unsafe { data_arg(keys, keys_size) }?;
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        Ok(c.ticketer.import_keys(bytes)?)
    })
}

/// Makes a new current ticket key now; the current one becomes the
/// previous, which still unseals, and the previous one is forgotten
/// (`RotatingTicketer::rotate`). Tickets sealed under the forgotten key
/// no longer resume.
///
/// # Safety
/// `config` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_rotate_ticket_keys(
    config: *mut CServerConfig,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        Ok(c.ticketer.rotate()?)
    })
}

/// Frees a server configuration; connections made from it keep working.
///
/// # Safety
/// `config` must be NULL or a live handle, not used afterwards.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_server_config_free(config: *mut CServerConfig) {
    // SAFETY: forwarded from the caller.
    unsafe { free_handle(config) }
}

mod kept;
#[cfg(test)]
mod tests;
