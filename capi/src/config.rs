//! Client and server configurations for C: settings collected by setters,
//! turned into a [`ClientConfig`] or [`ServerConfig`] for each connection.
//! What must outlive one connection lives in the handle itself: the
//! client's session store, and the server's ticketer and session-ID
//! cache (or the session cache a C program plugs in instead), so
//! connections made from one handle resume each other's sessions.

use core::ffi::{c_char, c_int, c_void};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ferrotls::{
    CertifiedKey, ClientAuth, ClientConfig, Clock, InMemoryClientStore, InMemoryServerStore, OsRng,
    ProtocolVersion, RootStore, RotatingTicketer, SecureRandom, ServerConfig, ServerName,
    SystemClock, Ticketer, WebPkiClientVerifier, WebPkiServerVerifier, ALL_VERSIONS,
};

use super::session_cache::{
    CacheCallbacks, CacheRemoveFn, CacheRetrieveFn, CacheStoreFn, CacheTakeFn, CallbackCache,
};
use super::{free_handle, guard, handle, put_out, str_arg, Code};

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
    settings: Mutex<ClientSettings>,
    /// Sessions kept across the connections made from this handle.
    store: Arc<InMemoryClientStore>,
}

struct ClientSettings {
    roots: Option<Arc<RootStore>>,
    versions: Option<Vec<ProtocolVersion>>,
    tickets: bool,
    server_name: Option<ServerName>,
    alpn: Vec<Vec<u8>>,
    /// The certificate to authenticate with when a server asks.
    certificate: Option<Arc<CertifiedKey>>,
}

/// `ferrotls_server_config`: what a C server sets before accepting.
pub struct CServerConfig {
    settings: Mutex<ServerSettings>,
    /// Seals the tickets of every connection made from this handle.
    ticketer: Arc<dyn Ticketer>,
    /// The TLS ≤1.2 sessions of every connection made from this handle,
    /// by session ID, while C keeps no session cache.
    session_ids: Arc<InMemoryServerStore>,
}

struct ServerSettings {
    key: Arc<CertifiedKey>,
    versions: Option<Vec<ProtocolVersion>>,
    tickets: bool,
    alpn: Vec<Vec<u8>>,
    /// The session cache C keeps, if it gave one.
    cache: Option<Arc<CallbackCache>>,
    /// The CAs client certificates must chain to, and whether a client
    /// without one is refused; `None`: no certificate is asked for.
    client_auth: Option<(Arc<RootStore>, bool)>,
}

/// Locks `m`; a poisoned lock is taken over, since the settings are plain
/// values that a panic cannot leave half-written.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A client's settings at the time a connection is made.
pub(super) struct ClientSnapshot {
    /// The configuration of the connection.
    pub config: Arc<ClientConfig>,
    /// The server to connect to.
    pub server_name: ServerName,
    /// Whether resumption is on: the configuration then has the handle's
    /// session store.
    pub resumption: bool,
}

impl CClientConfig {
    /// The configuration for one new connection. Fails with
    /// [`Code::InvalidRequest`] when no CA file or server name was set.
    pub(super) fn snapshot(&self) -> Result<ClientSnapshot, Code> {
        let settings = lock(&self.settings);
        let roots = settings.roots.clone().ok_or(Code::InvalidRequest)?;
        let server_name = settings.server_name.clone().ok_or(Code::InvalidRequest)?;
        let resumption = settings.tickets;
        let store = resumption.then(|| self.store.clone() as _);
        let mut builder = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots)))
            .session_store(store)
            .alpn_protocols(&alpn_refs(&settings.alpn));
        if let Some(versions) = &settings.versions {
            builder = builder.versions(versions);
        }
        if let Some(certificate) = &settings.certificate {
            builder = builder.client_certificate(certificate.clone());
        }
        Ok(ClientSnapshot {
            config: builder.build()?,
            server_name,
            resumption,
        })
    }
}

impl CServerConfig {
    /// The configuration for one new connection.
    pub(super) fn snapshot(&self) -> Result<Arc<ServerConfig>, Code> {
        let settings = lock(&self.settings);
        let mut builder = ServerConfig::builder(settings.key.clone())
            .ticketer(self.ticketer.clone())
            .alpn_protocols(&alpn_refs(&settings.alpn));
        if let Some(versions) = &settings.versions {
            builder = builder.versions(versions);
        }
        if !settings.tickets {
            builder = builder.tickets(0);
        }
        if let Some((roots, required)) = &settings.client_auth {
            let verifier = Arc::new(WebPkiClientVerifier::new(roots.clone()));
            builder = builder.client_auth(if *required {
                ClientAuth::Required(verifier)
            } else {
                ClientAuth::Optional(verifier)
            });
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

/// Reads a whole file named by a C string.
///
/// # Safety
/// As [`str_arg`].
unsafe fn read_file_arg(path: *const c_char) -> Result<String, Code> {
    // SAFETY: forwarded from the caller.
    let path = unsafe { str_arg(path) }?;
    std::fs::read_to_string(path).map_err(|_| Code::File)
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
            settings: Mutex::new(ClientSettings {
                roots: None,
                versions: None,
                tickets: true,
                server_name: None,
                alpn: Vec::new(),
                certificate: None,
            }),
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
unsafe fn ca_file_arg(path: *const c_char) -> Result<Arc<RootStore>, Code> {
    // SAFETY: forwarded from the caller.
    let path = unsafe { str_arg(path) }?;
    let roots = RootStore::from_pem_file(path).map_err(|_| Code::File)?;
    if roots.is_empty() {
        return Err(Code::File);
    }
    Ok(Arc::new(roots))
}

/// The chain of the PEM file `cert_file` (leaf first) with the private
/// key of the PEM file `key_file`: [`Code::File`] when either cannot be
/// read or they do not pair.
///
/// # Safety
/// Both paths as [`str_arg`].
unsafe fn certified_key_arg(
    cert_file: *const c_char,
    key_file: *const c_char,
) -> Result<Arc<CertifiedKey>, Code> {
    // SAFETY: forwarded from the caller.
    let (chain, key) = unsafe { (read_file_arg(cert_file)?, read_file_arg(key_file)?) };
    Ok(Arc::new(
        CertifiedKey::from_pem(&chain, &key).map_err(|_| Code::File)?,
    ))
}

/// Trusts the CA certificates of the PEM file `path`.
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
        lock(&c.settings).roots = Some(roots);
        Ok(())
    })
}

/// Authenticates the client with the certificate chain of the PEM file
/// `cert_file` (leaf first) and the private key of the PEM file
/// `key_file` when a server asks (RFC 8446 §4.4.2, RFC 5246 §7.4.6): in
/// the handshake, after it (TLS 1.3 post-handshake authentication, which
/// the client then offers), and in a renegotiation.
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
        lock(&c.settings).certificate = Some(key);
        Ok(())
    })
}

/// Trusts the operating system's CA bundle (the first of the usual
/// locations that holds certificates, `RootStore::system`).
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
        lock(&c.settings).roots = Some(Arc::new(roots));
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
        lock(&c.settings).server_name = Some(name);
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
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        lock(&c.settings).versions = Some(version_range(min, max)?);
        Ok(())
    })
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
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or valid for `len` bytes, per the caller.
        let alpn = unsafe { alpn_arg(protocols, len) }?;
        lock(&c.settings).alpn = alpn;
        Ok(())
    })
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
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        lock(&c.settings).tickets = enabled != 0;
        Ok(())
    })
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
/// of the PEM file `cert_file` (leaf first) with the private key of the
/// PEM file `key_file`; versions of the library's default, tickets on.
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
        let rng: Arc<dyn SecureRandom> = Arc::new(OsRng::new());
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let config = CServerConfig {
            settings: Mutex::new(ServerSettings {
                key,
                versions: None,
                tickets: true,
                alpn: Vec::new(),
                cache: None,
                client_auth: None,
            }),
            ticketer: Arc::new(RotatingTicketer::new(rng, clock.clone())?),
            session_ids: Arc::new(InMemoryServerStore::new(clock)),
        };
        // SAFETY: forwarded from the caller.
        unsafe { put_out(out, config) }
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
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        let client_auth = if path.is_null() {
            None
        } else {
            // SAFETY: NUL-terminated, per the caller.
            Some((unsafe { ca_file_arg(path) }?, required != 0))
        };
        lock(&c.settings).client_auth = client_auth;
        Ok(())
    })
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
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        lock(&c.settings).versions = Some(version_range(min, max)?);
        Ok(())
    })
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
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        // SAFETY: NULL or valid for `len` bytes, per the caller.
        let alpn = unsafe { alpn_arg(protocols, len) }?;
        lock(&c.settings).alpn = alpn;
        Ok(())
    })
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
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(config) }?;
        lock(&c.settings).tickets = enabled != 0;
        Ok(())
    })
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
        lock(&c.settings).cache = cache;
        Ok(())
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
