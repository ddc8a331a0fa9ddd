//! The scenarios: a C engine (the library's functions) and a Rust engine
//! (the `ferrotls` API) making the same handshakes over one in-memory
//! pipe, metered per side, and the report.

use core::ffi::{c_int, c_void};
use std::collections::VecDeque;
use std::ffi::CString;
use std::io::{self, Read, Write};
use std::sync::Arc;
use std::time::Instant;

use ferrotls::{
    CertifiedKey, CipherSuite, ClientConfig, ClientConnection, ClientSessionStore, Clock,
    Connection, InMemoryClientStore, InMemoryServerStore, NamedGroup, OsRng, ProtocolVersion,
    RootStore, RotatingTicketer, SecureRandom, ServerConfig, ServerConnection, ServerName,
    ServerSessionStore, Stream, SystemClock, WebPkiServerVerifier,
};

use crate::alloc;
use crate::library::{self, Capi, Handle, E_AGAIN, SUCCESS, TLS1_2, TLS1_3};

// ---------------------------------------------------------------------
// Meters.

/// What one side's calls cost in one handshake.
#[derive(Clone, Copy, Default)]
struct Meter {
    nanos: u64,
    allocations: u64,
}

/// Runs `f` as one of `meter`'s side's calls.
fn metered<T>(meter: &mut Meter, f: impl FnOnce() -> T) -> T {
    let allocations = alloc::calls();
    let start = Instant::now();
    let result = f();
    meter.nanos += start.elapsed().as_nanos() as u64;
    meter.allocations += alloc::calls() - allocations;
    result
}

// ---------------------------------------------------------------------
// The in-memory transport.

/// The bytes in flight each way; reused by every handshake, with room
/// reserved so that no push allocates.
struct Pipe {
    to_server: VecDeque<u8>,
    to_client: VecDeque<u8>,
}

impl Pipe {
    fn new() -> Self {
        Self {
            to_server: VecDeque::with_capacity(1 << 16),
            to_client: VecDeque::with_capacity(1 << 16),
        }
    }

    fn clear(&mut self) {
        self.to_server.clear();
        self.to_client.clear();
    }
}

/// One end of the pipe as the C callbacks see it (their `user` pointer).
struct CEnd {
    rx: *mut VecDeque<u8>,
    tx: *mut VecDeque<u8>,
}

/// `EAGAIN` on Linux.
const EAGAIN: c_int = 11;

extern "C" {
    /// glibc's `errno`.
    fn __errno_location() -> *mut c_int;
}

/// `ferrotls_pull_fn`: what the peer pushed, or -1 with `errno` `EAGAIN`
/// when there is nothing, as `read(2)` on a non-blocking socket.
///
/// # Safety
/// `user` must point to a live [`CEnd`] whose queues nothing else uses
/// during the call; `buf` valid for `len` bytes of writes.
unsafe extern "C" fn pull(user: *mut c_void, buf: *mut c_void, len: usize) -> isize {
    // SAFETY: per the caller.
    let rx = unsafe { &mut *(*user.cast::<CEnd>()).rx };
    if rx.is_empty() {
        // SAFETY: glibc's errno of this thread.
        unsafe { *__errno_location() = EAGAIN };
        return -1;
    }
    // SAFETY: per the caller.
    let buf = unsafe { core::slice::from_raw_parts_mut(buf.cast::<u8>(), len) };
    let n = rx.read(buf).unwrap_or(0);
    n as isize
}

/// `ferrotls_push_fn`: takes everything, as a socket with room would.
///
/// # Safety
/// As [`pull`]; `buf` valid for `len` bytes of reads.
unsafe extern "C" fn push(user: *mut c_void, buf: *const c_void, len: usize) -> isize {
    // SAFETY: per the caller.
    let tx = unsafe { &mut *(*user.cast::<CEnd>()).tx };
    // SAFETY: per the caller.
    tx.extend(unsafe { core::slice::from_raw_parts(buf.cast::<u8>(), len) });
    len as isize
}

/// One end of the pipe as a Rust transport: the same queues, and
/// `WouldBlock` where the C callback says `EAGAIN`.
struct RustEnd<'a> {
    rx: &'a mut VecDeque<u8>,
    tx: &'a mut VecDeque<u8>,
}

impl Read for RustEnd<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.rx.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        self.rx.read(buf)
    }
}

impl Write for RustEnd<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tx.extend(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------------
// Scenarios.

/// How a scenario's handshakes go.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// Full handshakes; the client keeps no session.
    Full,
    /// Resumed from the client configuration's session store (the first
    /// warm-up handshake is full and fills it).
    Store,
    /// Resumed from a session exported once, before the rounds.
    Import,
}

#[derive(Clone, Copy)]
struct Scenario {
    name: &'static str,
    /// `FERROTLS_TLS1_2` or `FERROTLS_TLS1_3`: the only version enabled.
    version: u16,
    kind: Kind,
}

impl Scenario {
    fn resumes(self) -> bool {
        self.kind != Kind::Full
    }

    /// The one cipher suite of both sides: C name and Rust value.
    fn suite(self) -> (&'static str, CipherSuite) {
        if self.version == TLS1_3 {
            (
                "TLS_AES_128_GCM_SHA256",
                CipherSuite::TLS_AES_128_GCM_SHA256,
            )
        } else {
            (
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            )
        }
    }

    /// The client's groups: X25519, and in TLS 1.2 also the curve of the
    /// server's ECDSA certificate (RFC 8422 §5.3), as in
    /// `benches/compare.rs`; the exchange stays in X25519, the server's
    /// only group.
    fn client_groups(self) -> (&'static str, Vec<NamedGroup>) {
        if self.version == TLS1_3 {
            ("x25519", vec![NamedGroup::X25519])
        } else {
            (
                "x25519:secp256r1",
                vec![NamedGroup::X25519, NamedGroup::secp256r1],
            )
        }
    }

    fn rust_version(self) -> ProtocolVersion {
        if self.version == TLS1_3 {
            ProtocolVersion::TLSv1_3
        } else {
            ProtocolVersion::TLSv1_2
        }
    }
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        name: "full13",
        version: TLS1_3,
        kind: Kind::Full,
    },
    Scenario {
        name: "resumed13",
        version: TLS1_3,
        kind: Kind::Store,
    },
    Scenario {
        name: "resumed13-import",
        version: TLS1_3,
        kind: Kind::Import,
    },
    Scenario {
        name: "full12",
        version: TLS1_2,
        kind: Kind::Full,
    },
];

/// The server name of the `p256` leaf.
const SERVER_NAME: &str = "leaf.p256.test";

/// `vectors/pki/<name>`.
fn vector(name: &str) -> String {
    format!("{}/../vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn c_string(s: &str) -> CString {
    CString::new(s).expect("a string without NUL")
}

/// What one handshake of either engine ended with, read outside the
/// meters.
#[derive(PartialEq, Debug)]
struct Outcome {
    version: u16,
    client_resumed: bool,
    server_resumed: bool,
}

/// The calls a scenario makes, on either engine.
trait Engine {
    /// One handshake over `pipe`, each side's calls on its meter;
    /// `export` keeps the client's session for [`Engine::import`].
    fn handshake(
        &mut self,
        pipe: &mut Pipe,
        meters: &mut [Meter; 2],
        export: bool,
    ) -> Result<Outcome, String>;
    /// Offers the session kept by the last `export` on every connection.
    fn import(&mut self) -> Result<(), String>;
}

// ---------------------------------------------------------------------
// The C engine.

/// Client and server configuration handles, set up once.
struct CEngine<'a> {
    capi: &'a Capi,
    client: Handle,
    server: Handle,
    /// The session exported by the last `export` handshake.
    exported: Option<Vec<u8>>,
    /// The session each client is given.
    import: Option<Vec<u8>>,
}

impl<'a> CEngine<'a> {
    fn new(capi: &'a Capi, scenario: Scenario) -> Result<Self, String> {
        let check = |what: &str, rc: c_int| match rc {
            SUCCESS => Ok(()),
            rc => Err(format!(
                "{what}: {}",
                capi.describe(rc as isize, core::ptr::null_mut())
            )),
        };
        let mut engine = Self {
            capi,
            client: core::ptr::null_mut(),
            server: core::ptr::null_mut(),
            exported: None,
            import: None,
        };
        let v = scenario.version;
        let suite = c_string(scenario.suite().0);
        let (client_groups, server_groups) =
            (c_string(scenario.client_groups().0), c_string("x25519"));
        let (chain, key, root) = (
            c_string(&vector("p256-chain.pem")),
            c_string(&vector("p256-leaf.key")),
            c_string(&vector("p256-root.pem")),
        );
        let name = c_string(SERVER_NAME);
        // SAFETY: the functions of ferrotls.h with valid arguments: out
        // pointers to a handle, live handles, NUL-terminated strings that
        // outlive the calls. The handles are freed in `drop`.
        unsafe {
            check(
                "client_config_new",
                (capi.client_config_new)(&mut engine.client),
            )?;
            let c = engine.client;
            check(
                "set_ca_file",
                (capi.client_config_set_ca_file)(c, root.as_ptr()),
            )?;
            check(
                "set_server_name",
                (capi.client_config_set_server_name)(c, name.as_ptr()),
            )?;
            check("set_versions", (capi.client_config_set_versions)(c, v, v))?;
            check(
                "set_cipher_suites",
                (capi.client_config_set_cipher_suites)(c, suite.as_ptr()),
            )?;
            check(
                "set_groups",
                (capi.client_config_set_groups)(c, client_groups.as_ptr()),
            )?;
            let tickets = c_int::from(scenario.resumes());
            check("set_tickets", (capi.client_config_set_tickets)(c, tickets))?;
            check(
                "server_config_new",
                (capi.server_config_new)(&mut engine.server, chain.as_ptr(), key.as_ptr()),
            )?;
            let s = engine.server;
            check("set_versions", (capi.server_config_set_versions)(s, v, v))?;
            check(
                "set_cipher_suites",
                (capi.server_config_set_cipher_suites)(s, suite.as_ptr()),
            )?;
            check(
                "set_groups",
                (capi.server_config_set_groups)(s, server_groups.as_ptr()),
            )?;
        }
        Ok(engine)
    }
}

impl Drop for CEngine<'_> {
    fn drop(&mut self) {
        // SAFETY: handles made by `new` (or NULL, which is ignored), not
        // used afterwards.
        unsafe {
            (self.capi.client_config_free)(self.client);
            (self.capi.server_config_free)(self.server);
        }
    }
}

impl Engine for CEngine<'_> {
    fn handshake(
        &mut self,
        pipe: &mut Pipe,
        meters: &mut [Meter; 2],
        export: bool,
    ) -> Result<Outcome, String> {
        let capi = self.capi;
        pipe.clear();
        let Pipe {
            to_server,
            to_client,
        } = pipe;
        let (to_server, to_client): (*mut VecDeque<u8>, *mut VecDeque<u8>) = (to_server, to_client);
        let mut ends = [
            CEnd {
                rx: to_client,
                tx: to_server,
            },
            CEnd {
                rx: to_server,
                tx: to_client,
            },
        ];
        let [client_end, server_end] = &mut ends;
        let (client_end, server_end): (*mut CEnd, *mut CEnd) = (client_end, server_end);
        let [cm, sm] = meters;
        let (mut client, mut server): (Handle, Handle) =
            (core::ptr::null_mut(), core::ptr::null_mut());
        let fail = |what: &str, rc: isize, conn: Handle| {
            Err(format!("C {what}: {}", capi.describe(rc, conn)))
        };
        let mut buf = [0u8; 4096];
        // SAFETY: the functions of ferrotls.h with valid arguments: the
        // configuration handles are live, the connection handles are made
        // here and freed at the end, the callbacks' `user` pointers point
        // to `ends`, which outlives the connections and whose queues no
        // Rust reference touches meanwhile, and the buffers are as long
        // as said.
        unsafe {
            let rc = metered(cm, || (capi.conn_new_client)(&mut client, self.client));
            if rc != SUCCESS {
                return fail("conn_new_client", rc as isize, core::ptr::null_mut());
            }
            let rc = metered(cm, || {
                (capi.conn_set_callbacks)(client, Some(pull), Some(push), client_end.cast())
            });
            if rc != SUCCESS {
                return fail("conn_set_callbacks", rc as isize, client);
            }
            if let Some(session) = &self.import {
                let rc = metered(cm, || {
                    (capi.session_set_data)(client, session.as_ptr().cast(), session.len())
                });
                if rc != SUCCESS {
                    return fail("session_set_data", rc as isize, client);
                }
            }
            let rc = metered(sm, || (capi.conn_new_server)(&mut server, self.server));
            if rc != SUCCESS {
                return fail("conn_new_server", rc as isize, core::ptr::null_mut());
            }
            let rc = metered(sm, || {
                (capi.conn_set_callbacks)(server, Some(pull), Some(push), server_end.cast())
            });
            if rc != SUCCESS {
                return fail("conn_set_callbacks", rc as isize, server);
            }
            let (mut client_done, mut server_done) = (false, false);
            for _ in 0..8 {
                if client_done && server_done {
                    break;
                }
                for (done, conn, meter) in [
                    (&mut client_done, client, &mut *cm),
                    (&mut server_done, server, &mut *sm),
                ] {
                    if !*done {
                        match metered(meter, || (capi.conn_handshake)(conn)) {
                            SUCCESS => *done = true,
                            E_AGAIN => {}
                            rc => return fail("conn_handshake", rc as isize, conn),
                        }
                    }
                }
            }
            if !(client_done && server_done) {
                return Err("C handshake did not complete".into());
            }
            // What the server sent after its handshake (TLS 1.3 tickets),
            // read as a client reads the server's first data.
            let n = metered(cm, || {
                (capi.conn_recv)(client, buf.as_mut_ptr().cast(), buf.len())
            });
            if n != E_AGAIN as isize {
                return fail("conn_recv (FERROTLS_E_AGAIN expected)", n, client);
            }
            let outcome = Outcome {
                version: u16::try_from((capi.conn_protocol_version)(client)).unwrap_or(0),
                client_resumed: (capi.session_is_resumed)(client) == 1,
                server_resumed: (capi.session_is_resumed)(server) == 1,
            };
            if export {
                let mut size = buf.len();
                let rc = (capi.session_get_data)(client, buf.as_mut_ptr().cast(), &mut size);
                if rc != SUCCESS {
                    return fail("session_get_data", rc as isize, client);
                }
                self.exported = Some(buf[..size].to_vec());
            }
            metered(cm, || (capi.conn_free)(client));
            metered(sm, || (capi.conn_free)(server));
            Ok(outcome)
        }
    }

    fn import(&mut self) -> Result<(), String> {
        self.import = Some(self.exported.take().ok_or("C: no session exported")?);
        Ok(())
    }
}

// ---------------------------------------------------------------------
// The Rust engine.

/// Configurations shared by every connection, as an application shares
/// them.
struct RustEngine {
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    name: ServerName,
    exported: Option<Vec<u8>>,
    import: Option<Vec<u8>>,
}

impl RustEngine {
    /// What the C library builds from the C engine's settings
    /// (`capi/src/config.rs`, `CClientConfig::build` and
    /// `CServerConfig::build`), built once.
    fn new(scenario: Scenario) -> Result<Self, String> {
        let e = |e: ferrotls::Error| e.to_string();
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let versions = [scenario.rust_version()];
        let suites = [scenario.suite().1];
        let roots = RootStore::from_pem_file(vector("p256-root.pem")).map_err(|e| e.to_string())?;
        let store = scenario.resumes().then(|| {
            Arc::new(InMemoryClientStore::new(clock.clone())) as Arc<dyn ClientSessionStore>
        });
        let client = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
            .alpn_protocols(&[])
            .max_fragment_size(None)
            .versions(&versions)
            .cipher_suites(&suites)
            .groups(&scenario.client_groups().1)
            .session_store(store)
            .enable_early_data(false)
            .false_start(false)
            .reverify_on_resume(false)
            .request_ocsp_staple(false)
            .require_ocsp_staple(false)
            .build()
            .map_err(e)?;
        let read = |name: &str| std::fs::read_to_string(vector(name)).map_err(|e| e.to_string());
        let key = CertifiedKey::from_pem(&read("p256-chain.pem")?, &read("p256-leaf.key")?)
            .map_err(|e| e.to_string())?;
        let rng: Arc<dyn SecureRandom> = Arc::new(OsRng::new());
        let ticketer = Arc::new(RotatingTicketer::new(rng, clock.clone()).map_err(e)?);
        let session_ids: Arc<dyn ServerSessionStore> = Arc::new(InMemoryServerStore::new(clock));
        let server = ServerConfig::builder(Arc::new(key))
            .alpn_protocols(&[])
            .max_fragment_size(None)
            .versions(&versions)
            .cipher_suites(&suites)
            .groups(&[NamedGroup::X25519])
            .ticketer(ticketer)
            .max_early_data_size(0)
            .send_half_rtt_data(false)
            .session_cache(Some(session_ids))
            .build()
            .map_err(e)?;
        Ok(Self {
            client,
            server,
            name: ServerName::parse(SERVER_NAME).map_err(e)?,
            exported: None,
            import: None,
        })
    }
}

/// Runs the handshake of `conn` over `end` as far as
/// `ferrotls_conn_handshake` does: `Ok(true)` when it is done,
/// `Ok(false)` when the transport would block.
fn drive(conn: &mut Connection, end: &mut RustEnd<'_>) -> Result<bool, String> {
    match conn.complete_io_until_writable(end) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(false),
        Err(e) => Err(e.to_string()),
    }
}

impl Engine for RustEngine {
    fn handshake(
        &mut self,
        pipe: &mut Pipe,
        meters: &mut [Meter; 2],
        export: bool,
    ) -> Result<Outcome, String> {
        pipe.clear();
        let [cm, sm] = meters;
        let e = |what: &str, e: &dyn std::fmt::Display| format!("Rust {what}: {e}");
        let mut client = metered(cm, || match &self.import {
            Some(session) => {
                ClientConnection::resume(self.client.clone(), self.name.clone(), session)
            }
            None => ClientConnection::new(self.client.clone(), self.name.clone()),
        })
        .map_err(|err| e("ClientConnection", &err))?;
        let mut server = metered(sm, || ServerConnection::new(self.server.clone()));
        let (mut client_done, mut server_done) = (false, false);
        for _ in 0..8 {
            if client_done && server_done {
                break;
            }
            if !client_done {
                let mut end = RustEnd {
                    rx: &mut pipe.to_client,
                    tx: &mut pipe.to_server,
                };
                client_done = metered(cm, || drive(&mut client, &mut end))
                    .map_err(|err| e("client handshake", &err))?;
            }
            if !server_done {
                let mut end = RustEnd {
                    rx: &mut pipe.to_server,
                    tx: &mut pipe.to_client,
                };
                server_done = metered(sm, || drive(&mut server, &mut end))
                    .map_err(|err| e("server handshake", &err))?;
            }
        }
        if !(client_done && server_done) {
            return Err("Rust handshake did not complete".into());
        }
        let mut buf = [0u8; 4096];
        let read = metered(cm, || {
            let mut conn: &mut Connection = &mut client;
            let mut end = RustEnd {
                rx: &mut pipe.to_client,
                tx: &mut pipe.to_server,
            };
            Stream::new(&mut conn, &mut end).read(&mut buf)
        });
        match read {
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {}
            other => return Err(format!("Rust Stream::read: {other:?}, WouldBlock expected")),
        }
        let outcome = Outcome {
            version: client.protocol_version().map_or(0, u16::from),
            client_resumed: client.is_resumed(),
            server_resumed: server.is_resumed(),
        };
        if export {
            let session = client
                .session_data()
                .map_err(|err| e("session_data", &err))?;
            self.exported = Some(session.ok_or("Rust: no session to export")?);
        }
        metered(cm, || drop(client));
        metered(sm, || drop(server));
        Ok(outcome)
    }

    fn import(&mut self) -> Result<(), String> {
        self.import = Some(self.exported.take().ok_or("Rust: no session exported")?);
        Ok(())
    }
}

// ---------------------------------------------------------------------
// Rounds, statistics and output.

/// The middle value (NaN for none).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// One figure of both engines.
struct Row {
    name: String,
    capi: f64,
    rust: f64,
    unit: &'static str,
}

/// Runs `scenario`'s rounds on both engines and adds its rows.
fn run(capi: &Capi, scenario: Scenario, warmup: usize, rounds: usize, rows: &mut Vec<Row>) {
    let name = scenario.name;
    let mut c = CEngine::new(capi, scenario).unwrap_or_else(|e| panic!("{name}: C setup: {e}"));
    let mut r = RustEngine::new(scenario).unwrap_or_else(|e| panic!("{name}: Rust setup: {e}"));
    let mut pipe = Pipe::new();
    if scenario.kind == Kind::Import {
        // One full handshake each, whose session every round offers.
        for engine in [&mut c as &mut dyn Engine, &mut r] {
            let mut meters = [Meter::default(); 2];
            engine
                .handshake(&mut pipe, &mut meters, true)
                .and_then(|_| engine.import())
                .unwrap_or_else(|e| panic!("{name}: export: {e}"));
        }
    }
    let expected = Outcome {
        version: scenario.version,
        client_resumed: scenario.resumes(),
        server_resumed: scenario.resumes(),
    };
    // [engine][side] -> per-round values; engine 0 is C.
    let mut times = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
    let mut allocations = [[Vec::new(), Vec::new()], [Vec::new(), Vec::new()]];
    for round in 0..warmup + rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for engine in order {
            let mut meters = [Meter::default(); 2];
            let e: &mut dyn Engine = if engine == 0 { &mut c } else { &mut r };
            let outcome = e
                .handshake(&mut pipe, &mut meters, false)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            // The store scenario's first handshake fills the store.
            if round > 0 || scenario.kind != Kind::Store {
                assert_eq!(outcome, expected, "{name}: round {round}, engine {engine}");
            }
            if round >= warmup {
                for (side, meter) in meters.iter().enumerate() {
                    times[engine][side].push(meter.nanos as f64 / 1e3);
                    allocations[engine][side].push(meter.allocations as f64);
                }
            }
        }
    }
    for (side, label) in ["client", "server"].into_iter().enumerate() {
        let [c_times, r_times] = &mut times;
        let [c_allocs, r_allocs] = &mut allocations;
        let rows_of = [
            (
                format!("capi-{name}-{label}"),
                median(std::mem::take(&mut c_times[side])),
                median(std::mem::take(&mut r_times[side])),
                "us",
            ),
            (
                format!("allocs-capi-{name}-{label}"),
                median(std::mem::take(&mut c_allocs[side])),
                median(std::mem::take(&mut r_allocs[side])),
                "allocs",
            ),
        ];
        for (name, capi, rust, unit) in rows_of {
            println!(
                "{name:<36} {capi:>10.1} {rust:>10.1} {:>7.3}  {unit}",
                capi / rust
            );
            rows.push(Row {
                name,
                capi,
                rust,
                unit,
            });
        }
    }
}

pub fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let quick = args.iter().any(|a| a == "--quick")
        || std::env::var_os("FERROTLS_BENCH_QUICK").is_some_and(|v| v != "0");
    // `cargo bench` passes `--bench`; any other word is a filter.
    let filter = args.iter().find(|a| !a.starts_with("--"));
    let (warmup, rounds) = if quick { (2, 20) } else { (20, 1001) };
    let (capi, path) = library::load();
    alloc::check_interposed(|| {
        let mut config: Handle = core::ptr::null_mut();
        // SAFETY: an out pointer to a handle, freed at once.
        unsafe {
            (capi.client_config_new)(&mut config);
            (capi.client_config_free)(config);
        }
    });
    println!(
        "C library ({}) vs the Rust API, medians of {rounds} rounds after {warmup} warm-up rounds{}",
        path.display(),
        if quick { ", QUICK" } else { "" }
    );
    println!("ratio = capi / rust: below 1 is better");
    println!(
        "{:<36} {:>10} {:>10} {:>7}  unit",
        "row", "capi", "rust", "ratio"
    );
    let mut rows = Vec::new();
    for &scenario in SCENARIOS {
        if filter.is_none_or(|f| scenario.name.contains(f.as_str())) {
            run(&capi, scenario, warmup, rounds, &mut rows);
        }
    }
    println!();
    for row in &rows {
        println!(
            "RESULT {} capi={:.1} rust={:.1} ratio={:.3} unit={}",
            row.name,
            row.capi,
            row.rust,
            row.capi / row.rust,
            row.unit
        );
    }
}
