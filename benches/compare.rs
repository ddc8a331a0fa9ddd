//! ferrotls side by side with rustls 0.23 (ring provider, so both engines
//! use the same crypto and the difference is the engine) and with raw
//! ring (the crypto limit), in one process and one run.
//!
//! Every scenario runs client and server in memory over byte buffers and
//! alternates the engines round by round, after a warm-up, so both see
//! the same machine load; figures are medians over the rounds. Client and
//! server are timed separately: each side's calls (`new`, `read_tls`,
//! `process_new_packets`, `write_tls`, reads and writes of plaintext) are
//! timed and their allocations counted on that side's meter.
//!
//! Scenarios:
//! - full handshakes, TLS 1.3 and 1.2, ECDSA P-256 and RSA-2048 leaves
//!   from `vectors/pki`, X25519, AES-128-GCM; in 1.3 the server sends the
//!   engine's default tickets (2 for both) and the client reads them, in
//!   1.2 the client asks for none;
//! - resumed handshakes: 1.3 ticket (psk_dhe_ke, stateless tickets on
//!   both engines, one new ticket per resumption); 1.2 by session ID and
//!   by ticket;
//! - bulk transfer after the handshake: 1 MiB writes in 16 KiB records,
//!   AES-128-GCM, AES-256-GCM, ChaCha20-Poly1305, sending and receiving
//!   timed apart, and raw ring sealing/opening the same records with the
//!   same copies (plaintext in, records out; records in, plaintext out);
//!   ferrotls also sends through `Connection::seal_into`, sealing into
//!   the buffer the application lends (`-send-lent-vs-ring`);
//! - memory held per idle established connection (after the handshake and
//!   1 KiB each way; the bytes freed when it is dropped) and allocations
//!   per handshake, from the counting global allocator below;
//! - memory under load: 10,000 such idle connection pairs of one engine
//!   held at once, heap bytes per client and per server connection, and
//!   the resident-set growth per pair (see `compare/load.rs`);
//! - TLS 1.2 AES-128-CBC-SHA throughput against raw AES-CBC + HMAC-SHA1
//!   (`-vs-limit`) and against OpenSSL's stitched AES-128-CBC-HMAC-SHA1
//!   (`-vs-openssl`: `openssl speed` run as a child between slices of the
//!   rounds; a missing `openssl` is printed as a banner, and those two
//!   rows are left out);
//! - the crypto floor of each handshake scenario (`<name>-<side>-vs-crypto`:
//!   ferrotls against the public-key operations alone, rustls against the
//!   same floor on the line below; see `compare/floor.rs`);
//! - each engine's own cost above its floor (`overhead-<name>-<side>`:
//!   median time less the median of the public-key operations that
//!   engine's side performs, from the same rounds: a ferrotls client
//!   sharing its configuration checks only the handshake signature once
//!   its verifier has met the chain, and rustls's floor in the hybrid
//!   scenarios is AWS-LC's, its provider there; a resumed TLS 1.2
//!   handshake has a floor of 0).
//!
//! Each scenario is probed with one handshake per engine first. A TLS 1.2
//! scenario ferrotls cannot run yet is reported in the table with the
//! engine's error and has no `RESULT` line; a TLS 1.3 one stops the run.
//!
//! Output: a human table, then one line per figure,
//! `RESULT <scenario> ferrotls=<v> rustls=<v> ratio=<f/r> unit=<u>`
//! (`limit=<v>` in place of `rustls=` against raw crypto, `openssl=<v>`
//! against `openssl speed`).
//!
//! Usage:
//! - `cargo bench --bench compare` — everything (well under a minute on
//!   the project's 2-core machine);
//! - `cargo bench --bench compare -- --quick` (or `FERROTLS_BENCH_QUICK=1`)
//!   — few rounds, a smoke run;
//! - `cargo bench --bench compare -- bulk13` — only the scenarios whose
//!   name contains the word (with or without `--quick`);
//! - `compare --callgrind <ferrotls|rustls> <kind>` — exactly one
//!   measured handshake, `full13`, `resumed13`, `full13-mlkem`,
//!   `resumed13-mlkem`, `full12`, `resumed12-id` or `resumed12-ticket`,
//!   after an unmeasured full one (which leaves the session, and the
//!   servers' compressed certificate chain in their caches), client calls
//!   inside `callgrind_client` and server calls inside
//!   `callgrind_server`; see `benches/callgrind.sh`;
//! - `compare --load-child <ferrotls|rustls> <n>` — the child process the
//!   memory-under-load scenario starts for each engine: holds `n` idle
//!   pairs and prints its figures on one line (`compare/load.rs`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::io::{self, Read, Write};
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::Instant;

use ferrotls::{CipherSuite, NamedGroup, ProtocolVersion};
use floor::{Engine, Floor, Ops};
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey};
use rustls::pki_types::pem::PemObject;

#[path = "compare/floor.rs"]
mod floor;
#[path = "compare/load.rs"]
mod load;

// ---------------------------------------------------------------------
// Counting allocator (bench-only).

/// The system allocator, counting allocating calls (`alloc`,
/// `alloc_zeroed`, `realloc`) and the bytes currently held.
struct CountingAllocator;

/// Allocating calls so far.
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
/// Bytes allocated and not yet freed.
static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees carry over; the counters are plain
// atomics.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        LIVE_BYTES.fetch_add(layout.size() as isize, Relaxed);
        // SAFETY: forwarded as received.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        LIVE_BYTES.fetch_add(layout.size() as isize, Relaxed);
        // SAFETY: forwarded as received.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Relaxed);
        // SAFETY: forwarded as received.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Relaxed);
        LIVE_BYTES.fetch_add(new_size as isize - layout.size() as isize, Relaxed);
        // SAFETY: forwarded as received.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: CountingAllocator = CountingAllocator;

// ---------------------------------------------------------------------
// Meters: time and allocations of one side's calls.

/// What one side's calls cost.
#[derive(Clone, Copy, Default)]
struct Meter {
    nanos: u64,
    allocations: u64,
    side: Side,
}

/// Which side's calls a [`Meter`] counts.
#[derive(Clone, Copy, Default, PartialEq)]
enum Side {
    #[default]
    Client,
    Server,
}

impl Meter {
    fn new(side: Side) -> Self {
        Self {
            side,
            ..Self::default()
        }
    }
}

/// Set for the one handshake a callgrind run measures.
static CALLGRIND_ARMED: AtomicBool = AtomicBool::new(false);

/// Client calls of the handshake callgrind measures; `callgrind.sh`
/// counts the instructions inside this function. The `black_box` keeps
/// it from being merged with its identical twin [`callgrind_server`].
#[inline(never)]
fn callgrind_client(f: &mut dyn FnMut()) {
    f();
    black_box(Side::Client);
}

/// Server calls of the handshake callgrind measures.
#[inline(never)]
fn callgrind_server(f: &mut dyn FnMut()) {
    f();
    black_box(Side::Server);
}

/// Runs `f` as one of `meter`'s side's calls.
fn metered<T>(meter: &mut Meter, f: impl FnOnce() -> T) -> T {
    let allocations = ALLOCATIONS.load(Relaxed);
    let start = Instant::now();
    let result = if CALLGRIND_ARMED.load(Relaxed) {
        let mut f = Some(f);
        let mut result = None;
        let mut call = || result = f.take().map(|f| f());
        match meter.side {
            Side::Client => callgrind_client(&mut call),
            Side::Server => callgrind_server(&mut call),
        }
        result.unwrap()
    } else {
        f()
    };
    meter.nanos += start.elapsed().as_nanos() as u64;
    meter.allocations += ALLOCATIONS.load(Relaxed) - allocations;
    result
}

// ---------------------------------------------------------------------
// Both engines behind one interface.

/// The calls the scenarios make on a connection of either engine.
trait Endpoint {
    fn read_tls(&mut self, rd: &mut &[u8]) -> io::Result<usize>;
    fn process(&mut self) -> Result<(), String>;
    fn write_tls(&mut self, out: &mut Vec<u8>) -> io::Result<usize>;
    fn wants_write(&self) -> bool;
    fn is_handshaking(&self) -> bool;
    fn is_resumed(&self) -> bool;
    fn write_plaintext(&mut self, data: &[u8]) -> io::Result<usize>;
    fn read_plaintext(&mut self, buf: &mut [u8]) -> io::Result<usize>;
    /// Seals `data` straight onto the end of `out`, behind anything
    /// queued; `None` for an engine without such a call (rustls's
    /// buffered connections).
    fn seal_into(&mut self, _data: &[u8], _out: &mut Vec<u8>) -> Option<Result<usize, String>> {
        None
    }
}

macro_rules! ferrotls_endpoint {
    ($t:ty) => {
        impl Endpoint for $t {
            fn read_tls(&mut self, rd: &mut &[u8]) -> io::Result<usize> {
                ferrotls::Connection::read_tls(self, rd)
            }
            fn process(&mut self) -> Result<(), String> {
                self.process_new_packets()
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            fn write_tls(&mut self, out: &mut Vec<u8>) -> io::Result<usize> {
                ferrotls::Connection::write_tls(self, out)
            }
            fn wants_write(&self) -> bool {
                ferrotls::Connection::wants_write(self)
            }
            fn is_handshaking(&self) -> bool {
                ferrotls::Connection::is_handshaking(self)
            }
            fn is_resumed(&self) -> bool {
                ferrotls::Connection::is_resumed(self)
            }
            fn write_plaintext(&mut self, data: &[u8]) -> io::Result<usize> {
                self.writer().write(data)
            }
            fn read_plaintext(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.reader().read(buf)
            }
            fn seal_into(
                &mut self,
                data: &[u8],
                out: &mut Vec<u8>,
            ) -> Option<Result<usize, String>> {
                Some(ferrotls::Connection::seal_into(self, data, out).map_err(|e| e.to_string()))
            }
        }
    };
}

ferrotls_endpoint!(ferrotls::ClientConnection);
ferrotls_endpoint!(ferrotls::ServerConnection);

macro_rules! rustls_endpoint {
    ($t:ty) => {
        impl Endpoint for $t {
            fn read_tls(&mut self, rd: &mut &[u8]) -> io::Result<usize> {
                rustls::ConnectionCommon::read_tls(self, rd)
            }
            fn process(&mut self) -> Result<(), String> {
                self.process_new_packets()
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
            fn write_tls(&mut self, out: &mut Vec<u8>) -> io::Result<usize> {
                rustls::ConnectionCommon::write_tls(self, out)
            }
            fn wants_write(&self) -> bool {
                rustls::CommonState::wants_write(self)
            }
            fn is_handshaking(&self) -> bool {
                rustls::CommonState::is_handshaking(self)
            }
            fn is_resumed(&self) -> bool {
                self.handshake_kind() == Some(rustls::HandshakeKind::Resumed)
            }
            fn write_plaintext(&mut self, data: &[u8]) -> io::Result<usize> {
                self.writer().write(data)
            }
            fn read_plaintext(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                self.reader().read(buf)
            }
        }
    };
}

rustls_endpoint!(rustls::ClientConnection);
rustls_endpoint!(rustls::ServerConnection);

/// A connection of either engine, either role.
type Conn = Box<dyn Endpoint>;

/// The AEADs of the bulk scenarios (and AES-128-CBC-SHA for TLS 1.2).
#[derive(Clone, Copy, PartialEq)]
enum Cipher {
    Aes128Gcm,
    Aes256Gcm,
    ChaCha20Poly1305,
    /// Measured only with the `legacy` feature (AES-CBC).
    #[cfg_attr(not(feature = "legacy"), allow(dead_code))]
    Aes128CbcSha,
}

impl Cipher {
    fn label(self) -> &'static str {
        match self {
            Self::Aes128Gcm => "aes128gcm",
            Self::Aes256Gcm => "aes256gcm",
            Self::ChaCha20Poly1305 => "chacha20",
            Self::Aes128CbcSha => "aes128cbc-sha",
        }
    }

    /// ring's AEAD for the raw-ring limit (none for CBC).
    fn ring(self) -> Option<&'static ring::aead::Algorithm> {
        match self {
            Self::Aes128Gcm => Some(&ring::aead::AES_128_GCM),
            Self::Aes256Gcm => Some(&ring::aead::AES_256_GCM),
            Self::ChaCha20Poly1305 => Some(&ring::aead::CHACHA20_POLY1305),
            Self::Aes128CbcSha => None,
        }
    }
}

/// The protocol version a scenario negotiates.
#[derive(Clone, Copy, PartialEq)]
enum Version {
    Tls13,
    Tls12,
}

/// How a scenario's second and later handshakes resume, if at all.
#[derive(Clone, Copy, PartialEq)]
enum Resumption {
    /// Full handshakes only; the client stores nothing.
    Off,
    /// Stateless tickets (1.3 PSK, 1.2 RFC 5077).
    Ticket,
    /// TLS 1.2 session IDs kept in a server store.
    SessionId,
}

/// What a scenario's connections negotiate.
#[derive(Clone, Copy)]
struct Setup {
    version: Version,
    /// `rsa2048` or `p256`: the leaf from `vectors/pki`.
    key_type: &'static str,
    cipher: Cipher,
    resumption: Resumption,
    /// Each ferrotls client gets a configuration of its own, so its
    /// verifier's signature cache is empty (built outside the meters).
    /// Otherwise one configuration serves every client, as in an
    /// application, and the cache remembers the chain's signatures.
    cold_verifier: bool,
    /// X25519MLKEM768 instead of X25519; rustls then runs on its aws-lc-rs
    /// provider (ring has no ML-KEM).
    hybrid: bool,
}

/// The bytes of `vectors/pki/<name>`.
fn vector(name: &str) -> Vec<u8> {
    let path = format!("{}/vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Makes connection pairs of one engine for one [`Setup`].
trait Factory {
    fn client(&self, meter: &mut Meter) -> Result<Conn, String>;
    fn server(&self, meter: &mut Meter) -> Result<Conn, String>;
}

/// ferrotls configurations for one [`Setup`].
struct Ferrotls {
    client: Arc<ferrotls::ClientConfig>,
    /// Builds a client configuration like `client`, with a new verifier.
    fresh_client: Box<dyn Fn() -> Result<Arc<ferrotls::ClientConfig>, String>>,
    cold_verifier: bool,
    server: Arc<ferrotls::ServerConfig>,
    name: ferrotls::ServerName,
}

impl Ferrotls {
    fn new(setup: Setup) -> Result<Self, String> {
        use ferrotls::{CertifiedKey, RootStore, ServerName, WebPkiServerVerifier};
        use ferrotls::{ClientConfig, ServerConfig};
        let text = |name: &str| String::from_utf8(vector(name)).map_err(|e| e.to_string());
        let key = CertifiedKey::from_pem(
            &text(&format!("{}-chain.pem", setup.key_type))?,
            &text(&format!("{}-leaf.key", setup.key_type))?,
        )
        .map_err(|e| e.to_string())?;
        let mut roots = RootStore::new();
        roots
            .add_pem(&text(&format!("{}-root.pem", setup.key_type))?)
            .map_err(|e| e.to_string())?;
        let (version, suite) = match (setup.version, setup.cipher) {
            (Version::Tls13, Cipher::Aes128Gcm) => (
                ProtocolVersion::TLSv1_3,
                CipherSuite::TLS_AES_128_GCM_SHA256,
            ),
            (Version::Tls13, Cipher::Aes256Gcm) => (
                ProtocolVersion::TLSv1_3,
                CipherSuite::TLS_AES_256_GCM_SHA384,
            ),
            (Version::Tls13, Cipher::ChaCha20Poly1305) => (
                ProtocolVersion::TLSv1_3,
                CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
            ),
            (Version::Tls12, Cipher::Aes128Gcm) if setup.key_type == "rsa2048" => (
                ProtocolVersion::TLSv1_2,
                CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            ),
            (Version::Tls12, Cipher::Aes128Gcm) => (
                ProtocolVersion::TLSv1_2,
                CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            ),
            (Version::Tls12, Cipher::Aes128CbcSha) => (
                ProtocolVersion::TLSv1_2,
                CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
            ),
            _ => return Err("no such suite in this benchmark".into()),
        };
        let roots = Arc::new(roots);
        let resumption = setup.resumption;
        let group = if setup.hybrid {
            NamedGroup::X25519MLKEM768
        } else {
            NamedGroup::X25519
        };
        // A TLS 1.2 client also lists the curve of an ECDSA certificate
        // (RFC 8422 §5.3); the exchange stays in `group`, the server's only
        // one.
        let mut client_groups = vec![group];
        if version == ProtocolVersion::TLSv1_2 && setup.key_type == "p256" {
            client_groups.push(NamedGroup::secp256r1);
        }
        let fresh_client = move || {
            let client = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots.clone())))
                .versions(&[version])
                .cipher_suites(&[suite])
                .groups(&client_groups);
            // TLS 1.2 sessions go to the server's session-ID cache (on by
            // default) unless the client asks for a ticket.
            match resumption {
                Resumption::Off => client.session_store(None).enable_tickets(false),
                Resumption::Ticket => client,
                Resumption::SessionId => client.enable_tickets(false),
            }
            .build()
            .map_err(|e| e.to_string())
        };
        let mut server = ServerConfig::builder(Arc::new(key))
            .versions(&[version])
            .cipher_suites(&[suite])
            .groups(&[group]);
        if setup.resumption == Resumption::Ticket {
            server = server.tickets(1);
        }
        Ok(Self {
            client: fresh_client()?,
            fresh_client: Box::new(fresh_client),
            cold_verifier: setup.cold_verifier,
            server: server.build().map_err(|e| e.to_string())?,
            name: ServerName::parse(&format!("leaf.{}.test", setup.key_type))
                .map_err(|e| e.to_string())?,
        })
    }
}

impl Factory for Ferrotls {
    fn client(&self, meter: &mut Meter) -> Result<Conn, String> {
        let config = if self.cold_verifier {
            (self.fresh_client)()?
        } else {
            self.client.clone()
        };
        let conn = metered(meter, || {
            ferrotls::ClientConnection::new(config, self.name.clone())
        })
        .map_err(|e| e.to_string())?;
        Ok(Box::new(conn))
    }

    fn server(&self, meter: &mut Meter) -> Result<Conn, String> {
        let conn = metered(meter, || {
            ferrotls::ServerConnection::new(self.server.clone())
        });
        Ok(Box::new(conn))
    }
}

/// rustls configurations for one [`Setup`].
struct Rustls {
    client: Arc<rustls::ClientConfig>,
    server: Arc<rustls::ServerConfig>,
    name: rustls::pki_types::ServerName<'static>,
}

impl Rustls {
    fn new(setup: Setup) -> Result<Self, String> {
        use rustls::crypto::ring::{cipher_suite, default_provider, kx_group};
        use rustls::pki_types::{CertificateDer, PrivateKeyDer};
        let err = |e: rustls::Error| e.to_string();
        let (version, suite) = match (setup.version, setup.cipher) {
            (Version::Tls13, Cipher::Aes128Gcm) => (
                &rustls::version::TLS13,
                cipher_suite::TLS13_AES_128_GCM_SHA256,
            ),
            (Version::Tls13, Cipher::Aes256Gcm) => (
                &rustls::version::TLS13,
                cipher_suite::TLS13_AES_256_GCM_SHA384,
            ),
            (Version::Tls13, Cipher::ChaCha20Poly1305) => (
                &rustls::version::TLS13,
                cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
            ),
            (Version::Tls12, Cipher::Aes128Gcm) if setup.key_type == "rsa2048" => (
                &rustls::version::TLS12,
                cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            ),
            (Version::Tls12, Cipher::Aes128Gcm) => (
                &rustls::version::TLS12,
                cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            ),
            _ => return Err("rustls has no CBC suites".into()),
        };
        let provider = Arc::new(if setup.hybrid {
            use rustls::crypto::aws_lc_rs;
            if (setup.version, setup.cipher) != (Version::Tls13, Cipher::Aes128Gcm) {
                return Err("hybrid rows are TLS 1.3 AES-128-GCM only".into());
            }
            rustls::crypto::CryptoProvider {
                cipher_suites: vec![aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256],
                kx_groups: vec![aws_lc_rs::kx_group::X25519MLKEM768],
                ..aws_lc_rs::default_provider()
            }
        } else {
            rustls::crypto::CryptoProvider {
                cipher_suites: vec![suite],
                kx_groups: vec![kx_group::X25519],
                ..default_provider()
            }
        });
        let mut roots = rustls::RootCertStore::empty();
        for cert in CertificateDer::pem_slice_iter(&vector(&format!("{}-root.pem", setup.key_type)))
        {
            roots.add(cert.map_err(|e| e.to_string())?).map_err(err)?;
        }
        let chain =
            CertificateDer::pem_slice_iter(&vector(&format!("{}-chain.pem", setup.key_type)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
        let key = PrivateKeyDer::from_pem_slice(&vector(&format!("{}-leaf.key", setup.key_type)))
            .map_err(|e| e.to_string())?;
        let mut client = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[version])
            .map_err(err)?
            .with_root_certificates(roots)
            .with_no_client_auth();
        match setup.resumption {
            Resumption::Off => client.resumption = rustls::client::Resumption::disabled(),
            Resumption::Ticket => {}
            Resumption::SessionId => {
                client.resumption = rustls::client::Resumption::default()
                    .tls12_resumption(rustls::client::Tls12Resumption::SessionIdOnly)
            }
        }
        let mut server = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[version])
            .map_err(err)?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(err)?;
        // Stateless tickets, like ferrotls's default ticketer (rustls's
        // default keeps TLS 1.3 sessions in a server-side cache).
        match setup.resumption {
            Resumption::Off => {
                server.ticketer = rustls::crypto::ring::Ticketer::new().map_err(err)?
            }
            Resumption::Ticket => {
                server.ticketer = rustls::crypto::ring::Ticketer::new().map_err(err)?;
                server.send_tls13_tickets = 1;
            }
            // Session IDs in rustls's default server cache.
            Resumption::SessionId => {}
        }
        Ok(Self {
            client: Arc::new(client),
            server: Arc::new(server),
            name: rustls::pki_types::ServerName::try_from(format!("leaf.{}.test", setup.key_type))
                .map_err(|e| e.to_string())?,
        })
    }
}

impl Factory for Rustls {
    fn client(&self, meter: &mut Meter) -> Result<Conn, String> {
        let conn = metered(meter, || {
            rustls::ClientConnection::new(self.client.clone(), self.name.clone())
        })
        .map_err(|e| e.to_string())?;
        Ok(Box::new(conn))
    }

    fn server(&self, meter: &mut Meter) -> Result<Conn, String> {
        let conn = metered(meter, || rustls::ServerConnection::new(self.server.clone()))
            .map_err(|e| e.to_string())?;
        Ok(Box::new(conn))
    }
}

// ---------------------------------------------------------------------
// Driving a pair over buffers.

/// Moves everything `from` has queued to `to`, through `wire` (reused,
/// so its growth is nobody's allocation).
fn flow(
    from: &mut dyn Endpoint,
    from_meter: &mut Meter,
    to: &mut dyn Endpoint,
    to_meter: &mut Meter,
    wire: &mut Vec<u8>,
) -> Result<(), String> {
    wire.clear();
    metered(from_meter, || -> io::Result<()> {
        while from.wants_write() {
            from.write_tls(wire)?;
        }
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    let mut rest = &wire[..];
    while !rest.is_empty() {
        metered(to_meter, || -> Result<(), String> {
            to.read_tls(&mut rest).map_err(|e| e.to_string())?;
            to.process()
        })?;
    }
    Ok(())
}

/// One whole handshake, the server's tickets delivered included.
fn handshake(
    factory: &dyn Factory,
    client_meter: &mut Meter,
    server_meter: &mut Meter,
    wire: &mut Vec<u8>,
) -> Result<(Conn, Conn), String> {
    let mut client = factory.client(client_meter)?;
    let mut server = factory.server(server_meter)?;
    for _ in 0..10 {
        if !client.is_handshaking()
            && !server.is_handshaking()
            && !client.wants_write()
            && !server.wants_write()
        {
            return Ok((client, server));
        }
        flow(&mut *client, client_meter, &mut *server, server_meter, wire)?;
        flow(&mut *server, server_meter, &mut *client, client_meter, wire)?;
    }
    Err("handshake did not complete".into())
}

/// Writes all of `data` on `from` and collects the records in `wire`.
fn send(
    from: &mut dyn Endpoint,
    meter: &mut Meter,
    data: &[u8],
    wire: &mut Vec<u8>,
) -> Result<(), String> {
    wire.clear();
    metered(meter, || -> io::Result<()> {
        let mut rest = data;
        while !rest.is_empty() || from.wants_write() {
            if !rest.is_empty() {
                match from.write_plaintext(rest) {
                    Ok(n) => rest = &rest[n..],
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                    Err(e) => return Err(e),
                }
            }
            while from.wants_write() {
                from.write_tls(wire)?;
            }
        }
        Ok(())
    })
    .map_err(|e| e.to_string())
}

/// [`send`] through a buffer the application lends: one `seal_into`
/// call puts all of `data` on `wire`, with no `write_tls`.
fn send_lent(
    from: &mut dyn Endpoint,
    meter: &mut Meter,
    data: &[u8],
    wire: &mut Vec<u8>,
) -> Result<(), String> {
    wire.clear();
    match metered(meter, || from.seal_into(data, wire)) {
        Some(Ok(n)) if n == data.len() => Ok(()),
        Some(Ok(n)) => Err(format!("seal_into took {n} of {} bytes", data.len())),
        Some(Err(why)) => Err(why),
        None => Err("no seal_into".into()),
    }
}

/// Feeds `wire` to `to` and reads the plaintext into `out`, which must
/// be exactly the size sent.
fn receive(
    to: &mut dyn Endpoint,
    meter: &mut Meter,
    wire: &[u8],
    out: &mut [u8],
) -> Result<(), String> {
    metered(meter, || -> Result<(), String> {
        let mut rest = wire;
        let mut got = 0;
        while got < out.len() {
            let before = (rest.len(), got);
            if !rest.is_empty() {
                // A full plaintext buffer refuses more until it is read.
                let _ = to.read_tls(&mut rest);
            }
            to.process()?;
            loop {
                match to.read_plaintext(&mut out[got..]) {
                    Ok(0) => break,
                    Ok(n) => got += n,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(e.to_string()),
                }
            }
            if before == (rest.len(), got) {
                return Err("receive made no progress".into());
            }
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------
// Statistics and output.

/// The middle value (NaN for none).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Rounds of each kind of scenario.
struct Rounds {
    warmup: usize,
    handshakes: usize,
    bulk: usize,
    memory: usize,
}

/// One figure of both engines (or ferrotls and the crypto limit).
struct Row {
    scenario: String,
    ours: f64,
    theirs: f64,
    /// `rustls` or `limit`.
    against: &'static str,
    unit: &'static str,
}

/// The rows so far, and which scenarios to run.
#[derive(Default)]
struct Report {
    rows: Vec<Row>,
    /// Runs only the scenarios whose name contains this.
    filter: Option<String>,
}

impl Report {
    fn wants(&self, scenario: &str) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|f| scenario.contains(f.as_str()))
    }

    fn add(
        &mut self,
        scenario: String,
        ours: f64,
        theirs: f64,
        against: &'static str,
        unit: &'static str,
    ) {
        let row = Row {
            scenario,
            ours,
            theirs,
            against,
            unit,
        };
        println!(
            "{:<36} {:>12.1} {:>12.1} {:>7.3}  {} vs {}",
            row.scenario,
            row.ours,
            row.theirs,
            row.ours / row.theirs,
            row.unit,
            row.against
        );
        self.rows.push(row);
    }

    /// Says why a TLS 1.2 scenario cannot run yet; a TLS 1.3 scenario
    /// that cannot run is a broken engine or bench, and stops the run.
    fn skip(&self, scenario: &str, version: Version, why: String) {
        assert!(version != Version::Tls13, "{scenario}: {why}");
        println!("{scenario:<36} not supported yet: {why}");
    }

    fn print_results(&self) {
        println!();
        for row in &self.rows {
            println!(
                "RESULT {} ferrotls={:.1} {}={:.1} ratio={:.3} unit={}",
                row.scenario,
                row.ours,
                row.against,
                row.theirs,
                row.ours / row.theirs,
                row.unit
            );
        }
    }
}

// ---------------------------------------------------------------------
// Scenarios.

/// Builds both engines' factories, or says why ferrotls cannot run the
/// setup (a probe handshake that fails or does not resume).
fn factories(setup: Setup) -> Result<(Ferrotls, Rustls), String> {
    let ours = Ferrotls::new(setup)?;
    let theirs = Rustls::new(setup).map_err(|e| format!("rustls: {e}"))?;
    let mut wire = Vec::with_capacity(1 << 16);
    for factory in [&ours as &dyn Factory, &theirs] {
        let (mut c, mut s) = (Meter::new(Side::Client), Meter::new(Side::Server));
        handshake(factory, &mut c, &mut s, &mut wire)?;
        if setup.resumption != Resumption::Off {
            let (client, server) = handshake(factory, &mut c, &mut s, &mut wire)?;
            if !client.is_resumed() || !server.is_resumed() {
                return Err("the second handshake did not resume".into());
            }
        }
    }
    Ok((ours, theirs))
}

/// Full or resumed handshakes, client and server time and allocations.
fn handshakes(report: &mut Report, rounds: &Rounds, name: &str, setup: Setup) {
    if !report.wants(name) {
        return;
    }
    let (ours, theirs) = match factories(setup) {
        Ok(f) => f,
        Err(why) => return report.skip(name, setup.version, why),
    };
    let floor = match Floor::new(setup) {
        Ok(floor) => floor,
        Err(why) => return report.skip(name, setup.version, format!("crypto floor: {why}")),
    };
    let mut wire = Vec::with_capacity(1 << 16);
    // [engine][side] -> per-round values
    let mut times = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
    // The floors each engine's side stands on (`Floor::ops`), and the
    // ring ones of the `-vs-crypto` rows, each measured once per round.
    let wanted = [
        Floor::ops(setup, Engine::Ferrotls, Side::Client),
        Floor::ops(setup, Engine::Ferrotls, Side::Server),
        Floor::ops(setup, Engine::Rustls, Side::Client),
        Floor::ops(setup, Engine::Rustls, Side::Server),
        Floor::limit(Side::Client),
        Floor::limit(Side::Server),
    ];
    let mut kinds: Vec<Ops> = Vec::new();
    for ops in wanted {
        if !kinds.contains(&ops) {
            kinds.push(ops);
        }
    }
    let mut floors = vec![Vec::new(); kinds.len()];
    let mut allocations = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
    for round in 0..rounds.warmup + rounds.handshakes {
        for (engine, factory) in [&ours as &dyn Factory, &theirs].into_iter().enumerate() {
            let (mut c, mut s) = (Meter::new(Side::Client), Meter::new(Side::Server));
            let result = handshake(factory, &mut c, &mut s, &mut wire);
            let (client, server) = match result {
                Ok(pair) => pair,
                Err(why) => return report.skip(name, setup.version, why),
            };
            let resumption = setup.resumption != Resumption::Off;
            if client.is_resumed() != resumption || server.is_resumed() != resumption {
                return report.skip(
                    name,
                    setup.version,
                    "resumption did not happen as asked".into(),
                );
            }
            if round >= rounds.warmup {
                for (side, meter) in [c, s].into_iter().enumerate() {
                    times[engine][side].push(meter.nanos as f64 / 1e3);
                    allocations[engine][side].push(meter.allocations as f64);
                }
            }
        }
        if let Some(floor) = &floor {
            for (i, &ops) in kinds.iter().enumerate() {
                let start = Instant::now();
                if let Err(why) = floor.run(ops) {
                    return report.skip(name, setup.version, why);
                }
                if round >= rounds.warmup {
                    floors[i].push(start.elapsed().as_nanos() as f64 / 1e3);
                }
            }
        }
    }
    for (side, label) in ["client", "server"].into_iter().enumerate() {
        report.add(
            format!("{name}-{label}"),
            median(times[0][side].clone()),
            median(times[1][side].clone()),
            "rustls",
            "us",
        );
    }
    // The median of each floor, by what it measures (none in a resumed
    // TLS 1.2 handshake: 0).
    let floors: Vec<f64> = floors.into_iter().map(median).collect();
    let floor_of = |ops: Ops| {
        kinds
            .iter()
            .position(|&k| k == ops)
            .and_then(|i| floors.get(i).copied())
            .filter(|_| floor.is_some())
            .unwrap_or(0.0)
    };
    let sides = [Side::Client, Side::Server];
    if floor.is_some() {
        for (side, label) in ["client", "server"].into_iter().enumerate() {
            let limit = floor_of(Floor::limit(sides[side]));
            report.add(
                format!("{name}-{label}-vs-crypto"),
                median(times[0][side].clone()),
                limit,
                "limit",
                "us",
            );
            println!(
                "{:<36} {:>12} {:>12.1} {:>7.3}  us, rustls vs the same floor",
                "",
                "",
                median(times[1][side].clone()),
                median(times[1][side].clone()) / limit
            );
        }
    }
    // What each engine adds above the public-key operations it performs.
    for (side, label) in ["client", "server"].into_iter().enumerate() {
        report.add(
            format!("overhead-{name}-{label}"),
            median(times[0][side].clone())
                - floor_of(Floor::ops(setup, Engine::Ferrotls, sides[side])),
            median(times[1][side].clone())
                - floor_of(Floor::ops(setup, Engine::Rustls, sides[side])),
            "rustls",
            "us",
        );
    }
    for (side, label) in ["client", "server"].into_iter().enumerate() {
        report.add(
            format!("allocs-{name}-{label}"),
            median(allocations[0][side].clone()),
            median(allocations[1][side].clone()),
            "rustls",
            "allocs",
        );
    }
}

/// Size of one bulk write: 1 MiB.
const BULK: usize = 1 << 20;
/// Plaintext per record (the TLS maximum, 16 KiB).
const RECORD: usize = 16 * 1024;

/// Raw ring in the engines' place: the same records with the same copies.
struct RingLimit {
    key: LessSafeKey,
    /// TLS 1.3 (inner content type byte) or TLS 1.2 (explicit nonce for
    /// GCM).
    version: Version,
    seq: u64,
}

impl RingLimit {
    fn nonce(&self, seq: u64) -> Nonce {
        let mut n = [0x5a; 12];
        for (b, s) in n.iter_mut().skip(4).zip(seq.to_be_bytes()) {
            *b ^= s;
        }
        Nonce::assume_unique_for_key(n)
    }

    /// Seals `data` as 16 KiB records into `wire` (header, plaintext copy,
    /// in-place seal, tag).
    fn seal(&mut self, data: &[u8], wire: &mut Vec<u8>) {
        wire.clear();
        for chunk in data.chunks(RECORD) {
            let start = wire.len();
            let tls13 = self.version == Version::Tls13;
            let len = chunk.len() + 16 + if tls13 { 1 } else { 8 };
            wire.extend_from_slice(&[23, 3, 3, (len >> 8) as u8, len as u8]);
            if !tls13 {
                wire.extend_from_slice(&self.seq.to_be_bytes());
            }
            let body = wire.len();
            wire.extend_from_slice(chunk);
            if tls13 {
                wire.push(23);
            }
            let aad = if tls13 {
                let mut aad = [0u8; 13];
                aad[..5].copy_from_slice(&wire[start..start + 5]);
                aad
            } else {
                let mut aad = [0u8; 13];
                aad[..8].copy_from_slice(&self.seq.to_be_bytes());
                aad[8..11].copy_from_slice(&[23, 3, 3]);
                aad[11..].copy_from_slice(&(chunk.len() as u16).to_be_bytes());
                aad
            };
            let aad_len = if tls13 { 5 } else { 13 };
            let tag = self
                .key
                .seal_in_place_separate_tag(
                    self.nonce(self.seq),
                    Aad::from(&aad[..aad_len]),
                    &mut wire[body..],
                )
                .unwrap();
            wire.extend_from_slice(tag.as_ref());
            self.seq += 1;
        }
    }

    /// Opens the records in `wire` (sealed by [`Self::seal`] from sequence
    /// number `seq`): copy into a receive buffer, open in place, copy the
    /// plaintext out.
    fn open(&self, mut seq: u64, wire: &[u8], buf: &mut Vec<u8>, out: &mut [u8]) {
        let tls13 = self.version == Version::Tls13;
        let mut rest = wire;
        let mut got = 0;
        while rest.len() >= 5 {
            let len = u16::from_be_bytes([rest[3], rest[4]]) as usize;
            let (record, tail) = rest.split_at(5 + len);
            rest = tail;
            buf.clear();
            buf.extend_from_slice(record);
            let (header, body) = buf.split_at_mut(5);
            let mut aad = [0u8; 13];
            let (aad, body) = if tls13 {
                aad[..5].copy_from_slice(header);
                (&aad[..5], body)
            } else {
                aad[..8].copy_from_slice(&seq.to_be_bytes());
                aad[8..11].copy_from_slice(&[23, 3, 3]);
                aad[11..].copy_from_slice(&((len - 8 - 16) as u16).to_be_bytes());
                (&aad[..], &mut body[8..])
            };
            let plain = self
                .key
                .open_in_place(self.nonce(seq), Aad::from(aad), body)
                .unwrap();
            let n = plain.len() - usize::from(tls13);
            out[got..got + n].copy_from_slice(&plain[..n]);
            got += n;
            seq += 1;
        }
        black_box(out);
    }
}

/// Bulk transfer after a handshake: client sends, server receives, 1 MiB
/// per round, for ferrotls, rustls and raw ring alternately.
fn bulk(report: &mut Report, rounds: &Rounds, name: &str, setup: Setup) {
    if !report.wants(name) {
        return;
    }
    let (ours, theirs) = match factories(setup) {
        Ok(f) => f,
        Err(why) => return report.skip(name, setup.version, why),
    };
    let data = vec![0x42u8; BULK];
    let mut out = vec![0u8; BULK];
    let mut wire = Vec::with_capacity(BULK + BULK / 8);
    let mut pairs = Vec::new();
    for factory in [&ours as &dyn Factory, &theirs] {
        let (mut c, mut s) = (Meter::new(Side::Client), Meter::new(Side::Server));
        match handshake(factory, &mut c, &mut s, &mut wire) {
            Ok(pair) => pairs.push(pair),
            Err(why) => return report.skip(name, setup.version, why),
        }
    }
    let Some(algorithm) = setup.cipher.ring() else {
        return report.skip(name, setup.version, "no AEAD to compare with".into());
    };
    let mut limit = RingLimit {
        key: LessSafeKey::new(
            UnboundKey::new(algorithm, &[0x24; 32][..algorithm.key_len()]).unwrap(),
        ),
        version: setup.version,
        seq: 0,
    };
    let mut buf = Vec::with_capacity(RECORD + 64);
    let rate = |nanos: u64| BULK as f64 / (nanos as f64 / 1e9) / 1e6;
    // [ferrotls, rustls, limit, ferrotls into a lent buffer] -> per-round MB/s
    let mut sends = [Vec::new(), Vec::new(), Vec::new(), Vec::new()];
    let mut framed = [0usize; 4];
    let mut receives = [Vec::new(), Vec::new(), Vec::new()];
    for round in 0..rounds.warmup + rounds.bulk {
        for (engine, (client, server)) in pairs.iter_mut().enumerate() {
            let (mut c, mut s) = (Meter::new(Side::Client), Meter::new(Side::Server));
            let done = send(&mut **client, &mut c, &data, &mut wire)
                .and_then(|()| receive(&mut **server, &mut s, &wire, &mut out));
            if let Err(why) = done {
                return report.skip(name, setup.version, why);
            }
            assert!(out == data, "received data differs");
            // The same records on the wire, or the comparison is unfair.
            framed[engine] = wire.len();
            if round >= rounds.warmup {
                sends[engine].push(rate(c.nanos));
                receives[engine].push(rate(s.nanos));
            }
        }
        if let Some((client, server)) = pairs.first_mut() {
            let (mut c, mut s) = (Meter::new(Side::Client), Meter::new(Side::Server));
            let done = send_lent(&mut **client, &mut c, &data, &mut wire)
                .and_then(|()| receive(&mut **server, &mut s, &wire, &mut out));
            if let Err(why) = done {
                return report.skip(name, setup.version, why);
            }
            assert!(out == data, "received data differs (seal_into)");
            framed[3] = wire.len();
            if round >= rounds.warmup {
                sends[3].push(rate(c.nanos));
            }
        }
        let seq = limit.seq;
        let start = Instant::now();
        limit.seal(&data, &mut wire);
        let sealed = start.elapsed().as_nanos() as u64;
        framed[2] = wire.len();
        assert!(
            framed.iter().all(|&n| n == framed[2]),
            "{name}: wire sizes differ (ferrotls, rustls, ring, ferrotls lent): {framed:?}"
        );
        let start = Instant::now();
        limit.open(seq, &wire, &mut buf, &mut out);
        let opened = start.elapsed().as_nanos() as u64;
        if round >= rounds.warmup {
            sends[2].push(rate(sealed));
            receives[2].push(rate(opened));
        }
    }
    let [s0, s1, s2, s3] = sends.map(median);
    let [r0, r1, r2] = receives.map(median);
    report.add(format!("{name}-send"), s0, s1, "rustls", "MB/s");
    report.add(format!("{name}-receive"), r0, r1, "rustls", "MB/s");
    report.add(format!("{name}-send-vs-ring"), s0, s2, "limit", "MB/s");
    report.add(format!("{name}-receive-vs-ring"), r0, r2, "limit", "MB/s");
    report.add(format!("{name}-send-lent-vs-ring"), s3, s2, "limit", "MB/s");
}

/// TLS 1.2 AES-128-CBC-SHA throughput against AES-CBC + HMAC-SHA1 done
/// directly on the same record sizes (no rustls counterpart). AES-CBC
/// comes with the `legacy` feature.
#[cfg(feature = "legacy")]
fn cbc(report: &mut Report, rounds: &Rounds, name: &str) {
    if !report.wants(name) {
        return;
    }
    let setup = Setup {
        version: Version::Tls12,
        key_type: "p256",
        cipher: Cipher::Aes128CbcSha,
        resumption: Resumption::Off,
        cold_verifier: false,
        hybrid: false,
    };
    let ours = match Ferrotls::new(setup) {
        Ok(f) => f,
        Err(why) => return report.skip(name, setup.version, why),
    };
    let data = vec![0x42u8; BULK];
    let mut out = vec![0u8; BULK];
    let mut wire = Vec::with_capacity(BULK + BULK / 8);
    let (mut c, mut s) = (Meter::new(Side::Client), Meter::new(Side::Server));
    let (mut client, mut server) = match handshake(&ours, &mut c, &mut s, &mut wire) {
        Ok(pair) => pair,
        Err(why) => return report.skip(name, setup.version, why),
    };
    let aes = ferrotls::internal::crypto::cbc::AesCbc::new(&[0x24; 16]).unwrap();
    let mac = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &[0x11; 20]);
    // One record as TLS 1.2 CBC protects it: explicit IV, plaintext,
    // HMAC-SHA1 (20 bytes), padding to the block (RFC 5246 §6.2.3.2).
    let padded = (RECORD + 20 + 1).div_ceil(16) * 16;
    let mut record = vec![0u8; 16 + padded];
    let iv = [0x33u8; 16];
    let limit_pass = |record: &mut Vec<u8>, out: &mut [u8], decrypt: bool| {
        for (i, chunk) in data.chunks(RECORD).enumerate() {
            let mut header = [0u8; 13];
            header[..8].copy_from_slice(&(i as u64).to_be_bytes());
            header[8..].copy_from_slice(&[23, 3, 3, (RECORD >> 8) as u8, RECORD as u8]);
            if decrypt {
                aes.decrypt_in_place(&iv, &mut record[16..]).unwrap();
                let mut ctx = ring::hmac::Context::with_key(&mac);
                ctx.update(&header);
                ctx.update(&record[16..16 + RECORD]);
                black_box(ctx.sign());
                out[i * RECORD..(i + 1) * RECORD].copy_from_slice(&record[16..16 + RECORD]);
            } else {
                record[16..16 + RECORD].copy_from_slice(chunk);
                let mut ctx = ring::hmac::Context::with_key(&mac);
                ctx.update(&header);
                ctx.update(chunk);
                let tag = ctx.sign();
                record[16 + RECORD..16 + RECORD + 20].copy_from_slice(tag.as_ref());
                aes.encrypt_in_place(&iv, &mut record[16..]).unwrap();
            }
            black_box(&record);
        }
    };
    let rate = |nanos: u64| BULK as f64 / (nanos as f64 / 1e9) / 1e6;
    let (mut sends, mut receives) = ([Vec::new(), Vec::new()], [Vec::new(), Vec::new()]);
    // OpenSSL's figures, taken between slices of the rounds so that both
    // see the same machine load.
    let (mut openssl_sends, mut openssl_receives) = (Vec::new(), Vec::new());
    let slice = rounds.bulk.div_ceil(OPENSSL_SLICES).max(1);
    let mut openssl_missing = None;
    for round in 0..rounds.warmup + rounds.bulk {
        if round >= rounds.warmup
            && (round - rounds.warmup).is_multiple_of(slice)
            && openssl_missing.is_none()
        {
            match openssl_speed(false).and_then(|s| Ok((s, openssl_speed(true)?))) {
                Ok((send, receive)) => {
                    openssl_sends.push(send);
                    openssl_receives.push(receive);
                }
                Err(why) => openssl_missing = Some(why),
            }
        }
        let (mut c, mut s) = (Meter::new(Side::Client), Meter::new(Side::Server));
        let done = send(&mut *client, &mut c, &data, &mut wire)
            .and_then(|()| receive(&mut *server, &mut s, &wire, &mut out));
        if let Err(why) = done {
            return report.skip(name, setup.version, why);
        }
        let start = Instant::now();
        limit_pass(&mut record, &mut out, false);
        let sealed = start.elapsed().as_nanos() as u64;
        let start = Instant::now();
        limit_pass(&mut record, &mut out, true);
        let opened = start.elapsed().as_nanos() as u64;
        if round >= rounds.warmup {
            sends[0].push(rate(c.nanos));
            receives[0].push(rate(s.nanos));
            sends[1].push(rate(sealed));
            receives[1].push(rate(opened));
        }
    }
    let [s0, s1] = sends.map(median);
    let [r0, r1] = receives.map(median);
    report.add(format!("{name}-send-vs-limit"), s0, s1, "limit", "MB/s");
    report.add(format!("{name}-receive-vs-limit"), r0, r1, "limit", "MB/s");
    if let Some(why) = openssl_missing {
        let banner = format!(
            "!!! {name}-send-vs-openssl and -receive-vs-openssl NOT MEASURED: {why} (tests/run.sh installs openssl)"
        );
        println!("{banner}");
        eprintln!("{banner}");
        return;
    }
    let (o_send, o_receive) = (median(openssl_sends), median(openssl_receives));
    report.add(
        format!("{name}-send-vs-openssl"),
        s0,
        o_send,
        "openssl",
        "MB/s",
    );
    report.add(
        format!("{name}-receive-vs-openssl"),
        r0,
        o_receive,
        "openssl",
        "MB/s",
    );
}

/// How many times the CBC scenario runs `openssl speed` for each
/// direction, spread over its rounds.
#[cfg(feature = "legacy")]
const OPENSSL_SLICES: usize = 3;

/// Seconds of each `openssl speed` run.
#[cfg(feature = "legacy")]
const OPENSSL_SECONDS: &str = "1";

/// OpenSSL's AES-128-CBC + HMAC-SHA1 throughput on 16 KiB buffers, in MB/s:
/// `openssl speed -evp aes-128-cbc-hmac-sha1 -bytes 16384` (with
/// `-decrypt` for `decrypt`), its machine-readable `+F` line. The
/// stitched cipher encrypts and MACs every byte (decrypts and MACs when
/// decrypting), the work of one CBC record each way.
#[cfg(feature = "legacy")]
fn openssl_speed(decrypt: bool) -> Result<f64, String> {
    let mut command = std::process::Command::new("openssl");
    command.args([
        "speed",
        "-evp",
        "aes-128-cbc-hmac-sha1",
        "-bytes",
        "16384",
        "-seconds",
        OPENSSL_SECONDS,
        "-mr",
    ]);
    if decrypt {
        command.arg("-decrypt");
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run openssl: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    // +F:<type>:<cipher>:<bytes per second for each size>
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("+F:"))
        .and_then(|fields| fields.rsplit(':').next())
        .and_then(|rate| rate.trim().parse::<f64>().ok())
        .map(|bytes_per_second| bytes_per_second / 1e6)
        .ok_or_else(|| format!("openssl speed printed no +F line: {stdout}"))
}

/// Plaintext each side of an [`idle_pair`] sends once.
const IDLE_EXCHANGE: [u8; 1024] = [0x42; 1024];

/// A connection pair as the memory scenarios hold it: a whole handshake,
/// then [`IDLE_EXCHANGE`] from the client to the server and back.
fn idle_pair(factory: &dyn Factory, wire: &mut Vec<u8>) -> Result<(Conn, Conn), String> {
    let mut out = [0u8; IDLE_EXCHANGE.len()];
    let (mut c, mut s) = (Meter::new(Side::Client), Meter::new(Side::Server));
    let (mut client, mut server) = handshake(factory, &mut c, &mut s, wire)?;
    send(&mut *client, &mut c, &IDLE_EXCHANGE, wire)?;
    receive(&mut *server, &mut s, wire, &mut out)?;
    send(&mut *server, &mut s, &IDLE_EXCHANGE, wire)?;
    receive(&mut *client, &mut c, wire, &mut out)?;
    Ok((client, server))
}

/// Bytes each side holds while idle after the handshake and 1 KiB each
/// way: what dropping the connection frees.
fn memory(report: &mut Report, rounds: &Rounds, name: &str, setup: Setup) {
    if !report.wants(name) {
        return;
    }
    let (ours, theirs) = match factories(setup) {
        Ok(f) => f,
        Err(why) => return report.skip(name, setup.version, why),
    };
    let mut wire = Vec::with_capacity(1 << 16);
    let mut held = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
    for _ in 0..rounds.memory {
        for (engine, factory) in [&ours as &dyn Factory, &theirs].into_iter().enumerate() {
            let (client, server) = match idle_pair(factory, &mut wire) {
                Ok(pair) => pair,
                Err(why) => return report.skip(name, setup.version, why),
            };
            let before = LIVE_BYTES.load(Relaxed);
            drop(client);
            let after_client = LIVE_BYTES.load(Relaxed);
            drop(server);
            let after_server = LIVE_BYTES.load(Relaxed);
            held[engine][0].push((before - after_client) as f64);
            held[engine][1].push((after_client - after_server) as f64);
        }
    }
    for (side, label) in ["client", "server"].into_iter().enumerate() {
        report.add(
            format!("{name}-{label}"),
            median(held[0][side].clone()),
            median(held[1][side].clone()),
            "rustls",
            "bytes",
        );
    }
}

/// The handshakes `--callgrind` can measure (P-256, X25519, AES-128-GCM;
/// the `-mlkem` ones with X25519MLKEM768 in place of X25519, rustls on
/// aws-lc-rs as in the `*-mlkem` rows).
const CALLGRIND_KINDS: &str =
    "full13, resumed13, full13-mlkem, resumed13-mlkem, full12, resumed12-id, resumed12-ticket";

/// `--callgrind <engine> <kind>`: one measured handshake of
/// [`CALLGRIND_KINDS`], its client and server calls inside
/// [`callgrind_client`] and [`callgrind_server`], after an unmeasured
/// one: a resumed kind's full handshake that leaves the session behind,
/// and for every kind the servers' certificate compression into their
/// caches. The measured full handshake's ferrotls client has a
/// configuration of its own, so its verifier remembers nothing.
fn callgrind(engine: &str, kind: &str) -> Result<(), String> {
    let (version, resumption, hybrid) = match kind {
        "full13" => (Version::Tls13, Resumption::Off, false),
        "resumed13" => (Version::Tls13, Resumption::Ticket, false),
        "full13-mlkem" => (Version::Tls13, Resumption::Off, true),
        "resumed13-mlkem" => (Version::Tls13, Resumption::Ticket, true),
        "full12" => (Version::Tls12, Resumption::Off, false),
        "resumed12-id" => (Version::Tls12, Resumption::SessionId, false),
        "resumed12-ticket" => (Version::Tls12, Resumption::Ticket, false),
        _ => return Err(format!("{kind}: expected one of {CALLGRIND_KINDS}")),
    };
    // Each ferrotls client of a full kind gets a configuration of its
    // own, so the measured one checks all three signatures.
    let setup = Setup {
        version,
        key_type: "p256",
        cipher: Cipher::Aes128Gcm,
        resumption,
        cold_verifier: resumption == Resumption::Off,
        hybrid,
    };
    let factory: Box<dyn Factory> = match engine {
        "ferrotls" => Box::new(Ferrotls::new(setup)?),
        "rustls" => Box::new(Rustls::new(setup)?),
        _ => return Err(format!("{engine}: expected ferrotls or rustls")),
    };
    let mut wire = Vec::with_capacity(1 << 16);
    let (mut c, mut s) = (Meter::new(Side::Client), Meter::new(Side::Server));
    // Unmeasured: leaves the session of a resumed kind, and has both
    // servers compress their certificate chain into their caches as the
    // timed scenarios' warm-up does.
    handshake(&*factory, &mut c, &mut s, &mut wire)?;
    CALLGRIND_ARMED.store(true, Relaxed);
    let (client, server) = handshake(&*factory, &mut c, &mut s, &mut wire)?;
    CALLGRIND_ARMED.store(false, Relaxed);
    if client.is_resumed() != (setup.resumption != Resumption::Off) || server.is_handshaking() {
        return Err("the measured handshake did not go as asked".into());
    }
    println!("{engine} {kind}: one handshake measured");
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(i) = args.iter().position(|a| a == "--callgrind") {
        let engine = args.get(i + 1).map_or("", String::as_str);
        let kind = args.get(i + 2).map_or("", String::as_str);
        if let Err(e) = callgrind(engine, kind) {
            eprintln!("callgrind mode: {e}");
            std::process::exit(1);
        }
        return;
    }
    let quick = args.iter().any(|a| a == "--quick")
        || std::env::var_os("FERROTLS_BENCH_QUICK").is_some_and(|v| v != "0");
    let rounds = if quick {
        Rounds {
            warmup: 2,
            handshakes: 10,
            bulk: 5,
            memory: 3,
        }
    } else {
        Rounds {
            warmup: 20,
            handshakes: 1001,
            bulk: 301,
            memory: 21,
        }
    };
    let full = |version, key_type| Setup {
        version,
        key_type,
        cipher: Cipher::Aes128Gcm,
        resumption: Resumption::Off,
        cold_verifier: false,
        hybrid: false,
    };
    let resumed = |version, resumption| Setup {
        version,
        key_type: "p256",
        cipher: Cipher::Aes128Gcm,
        resumption,
        cold_verifier: false,
        hybrid: false,
    };
    let load_setup = full(Version::Tls13, "p256");
    if let Some(i) = args.iter().position(|a| a == load::CHILD_FLAG) {
        let engine = args.get(i + 1).map_or("", String::as_str);
        let n = args.get(i + 2).map_or("", String::as_str);
        if let Err(e) = load::child(engine, n, load_setup) {
            eprintln!("{} mode: {e}", load::CHILD_FLAG);
            std::process::exit(1);
        }
        return;
    }
    // `cargo bench` passes `--bench`; any other word is a filter.
    let mut report = Report {
        rows: Vec::new(),
        filter: args.iter().find(|a| !a.starts_with("--")).cloned(),
    };
    println!(
        "ferrotls vs rustls 0.23 (ring; aws-lc-rs for the mlkem rows), medians of {} rounds ({} for bulk) after {} warm-up rounds{}",
        rounds.handshakes,
        rounds.bulk,
        rounds.warmup,
        if quick { ", QUICK" } else { "" }
    );
    println!(
        "ratio = ferrotls / other: below 1 is better for us, allocs and bytes; above 1 for MB/s"
    );
    println!(
        "{:<36} {:>12} {:>12} {:>7}  unit",
        "scenario", "ferrotls", "other", "ratio"
    );
    use Version::{Tls12, Tls13};
    let cold = |setup| Setup {
        cold_verifier: true,
        ..setup
    };
    handshakes(&mut report, &rounds, "full13-p256", full(Tls13, "p256"));
    handshakes(
        &mut report,
        &rounds,
        "full13-p256-cold",
        cold(full(Tls13, "p256")),
    );
    handshakes(
        &mut report,
        &rounds,
        "full13-rsa2048",
        full(Tls13, "rsa2048"),
    );
    handshakes(
        &mut report,
        &rounds,
        "resumed13-ticket",
        resumed(Tls13, Resumption::Ticket),
    );
    let hybrid = |setup| Setup {
        hybrid: true,
        ..setup
    };
    handshakes(
        &mut report,
        &rounds,
        "full13-mlkem",
        hybrid(full(Tls13, "p256")),
    );
    handshakes(
        &mut report,
        &rounds,
        "resumed13-mlkem",
        hybrid(resumed(Tls13, Resumption::Ticket)),
    );
    handshakes(&mut report, &rounds, "full12-p256", full(Tls12, "p256"));
    handshakes(
        &mut report,
        &rounds,
        "full12-p256-cold",
        cold(full(Tls12, "p256")),
    );
    handshakes(
        &mut report,
        &rounds,
        "full12-rsa2048",
        full(Tls12, "rsa2048"),
    );
    handshakes(
        &mut report,
        &rounds,
        "resumed12-id",
        resumed(Tls12, Resumption::SessionId),
    );
    handshakes(
        &mut report,
        &rounds,
        "resumed12-ticket",
        resumed(Tls12, Resumption::Ticket),
    );
    for cipher in [
        Cipher::Aes128Gcm,
        Cipher::Aes256Gcm,
        Cipher::ChaCha20Poly1305,
    ] {
        let setup = Setup {
            cipher,
            ..full(Tls13, "p256")
        };
        bulk(
            &mut report,
            &rounds,
            &format!("bulk13-{}", cipher.label()),
            setup,
        );
    }
    bulk(
        &mut report,
        &rounds,
        "bulk12-aes128gcm",
        full(Tls12, "p256"),
    );
    #[cfg(feature = "legacy")]
    cbc(&mut report, &rounds, "bulk12-aes128cbc-sha");
    memory(&mut report, &rounds, "idle13-memory", full(Tls13, "p256"));
    load::idle_connections(
        &mut report,
        if quick {
            load::QUICK_CONNECTIONS
        } else {
            load::CONNECTIONS
        },
        "load13-10k-memory",
        load_setup,
    );
    report.print_results();
}
