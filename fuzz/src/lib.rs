//! The harness the whole-engine fuzz targets (`client`, `server`,
//! `roundtrip`) and the seed recorder (`examples/record_seeds.rs`) share,
//! so that a recorded flight replays exactly in a target.
//!
//! Everything here assumes fuzzing mode (`--cfg fuzzing`, see
//! `docs/fuzzing.md`): records pass through unencrypted and every
//! Finished, binder, MAC, signature and chain check succeeds, so a fuzzer's
//! bytes reach every handshake state. Randomness and time are fixed per
//! run (a fresh [`SeededRng`] per configuration, a [`ManualClock`] at
//! [`NOW`]), which makes every run, recording included, reproducible.
//!
//! ## Input format of `client` and `server`
//!
//! `[scenario: 2 bytes] ([length: u16 big-endian] [flight])*` — the
//! scenario picks the configuration ([`Scenario::from_bytes`]); each
//! flight is the peer's bytes of one turn. A last flight shorter than its
//! length is taken as it is.
#![forbid(unsafe_code)]

use std::io::{Read, Write};
use std::sync::{Arc, OnceLock};

use ferrotls::config::{
    ClientAuth, ClientConfig, ServerConfig, ALL_VERSIONS, DEFAULT_GROUPS, TLS10_CIPHER_SUITES,
    TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES, TLS12_RSA_KX_CIPHER_SUITES, TLS13_CIPHER_SUITES,
};
use ferrotls::conn::{ClientConnection, Connection, EarlyDataStatus, ServerConnection};
use ferrotls::crypto::rng::SeededRng;
use ferrotls::msgs::enums::{CipherSuite, NamedGroup, ProtocolVersion};
use ferrotls::pki::{
    CertifiedKey, InsecureAcceptAnyServerCertForTests, RootStore, ServerName, WebPkiClientVerifier,
};
use ferrotls::session::InMemoryServerStore;
use ferrotls::time::{ManualClock, UnixTime};
use ferrotls::Error;

/// 2030-01-01T00:00:00Z, inside the test certificates' validity.
pub const NOW: u64 = 1_893_456_000;

/// Turns one connection may take before a run counts as stalled: a full
/// TLS 1.3 handshake with HelloRetryRequest, client auth, tickets and a
/// KeyUpdate needs 6.
pub const MAX_TURNS: usize = 12;

/// The application data each side sends once its handshake completes in
/// `client` and `server` runs.
pub const PING: &[u8] = b"ping";

/// The 0-RTT data a resuming client offers when its scenario enables it.
pub const EARLY: &[u8] = b"early";

/// The key types with a test chain in `vectors/pki`.
pub const KEY_TYPES: [&str; 4] = ["ed25519", "p256", "rsa2048", "p384"];

/// The version sets a scenario can enable.
const VERSION_SETS: [&[ProtocolVersion]; 4] = [
    ALL_VERSIONS,
    &[ProtocolVersion::TLSv1_3],
    &[ProtocolVersion::TLSv1_2],
    &[ProtocolVersion::TLSv1_1, ProtocolVersion::TLSv1_0],
];

/// One configuration pair and what the endpoints do after the handshake.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scenario {
    /// Index into the version sets: every version, 1.3, 1.2, 1.1 + 1.0.
    pub versions: u8,
    /// Server certificate: ed25519, P-256, RSA-2048, P-384.
    pub key_type: u8,
    /// The server asks for a client certificate and the client has one.
    pub client_auth: bool,
    /// A full handshake first, then the run resumes its session.
    pub resume: bool,
    /// The resuming client offers 0-RTT data and the server accepts it.
    pub early_data: bool,
    /// The server only has secp384r1, so a TLS 1.3 client (whose first key
    /// share is X25519) gets a HelloRetryRequest.
    pub retry: bool,
    /// The server only has the CBC suites (TLS 1.2 CBC, with EtM unless
    /// `no_etm`).
    pub cbc: bool,
    /// Each side sends a KeyUpdate (TLS 1.3) after its first data.
    pub key_update: bool,
    /// The server issues no tickets (TLS 1.2 resumes by session ID).
    pub no_tickets: bool,
    /// The server does not offer encrypt-then-MAC.
    pub no_etm: bool,
    /// The server sends a cookie in its HelloRetryRequest.
    pub cookie: bool,
}

impl Scenario {
    /// The scenario two bytes name: byte 0 bits 0–1 versions, 2–3 key
    /// type, 4 client auth, 5 resume, 6 early data, 7 retry; byte 1 bits
    /// 0 CBC, 1 KeyUpdate, 2 no tickets, 3 no EtM, 4 cookie.
    pub fn from_bytes(a: u8, b: u8) -> Self {
        Self {
            versions: a & 3,
            key_type: (a >> 2) & 3,
            client_auth: a & 0x10 != 0,
            resume: a & 0x20 != 0,
            early_data: a & 0x40 != 0,
            retry: a & 0x80 != 0,
            cbc: b & 1 != 0,
            key_update: b & 2 != 0,
            no_tickets: b & 4 != 0,
            no_etm: b & 8 != 0,
            cookie: b & 0x10 != 0,
        }
    }

    /// The inverse of [`Self::from_bytes`].
    pub fn to_bytes(self) -> [u8; 2] {
        let bit = |on: bool, n: u8| if on { 1u8 << n } else { 0 };
        [
            (self.versions & 3)
                | (self.key_type & 3) << 2
                | bit(self.client_auth, 4)
                | bit(self.resume, 5)
                | bit(self.early_data, 6)
                | bit(self.retry, 7),
            bit(self.cbc, 0)
                | bit(self.key_update, 1)
                | bit(self.no_tickets, 2)
                | bit(self.no_etm, 3)
                | bit(self.cookie, 4),
        ]
    }

    fn key_type(self) -> &'static str {
        KEY_TYPES
            .get(usize::from(self.key_type))
            .copied()
            .unwrap_or("ed25519")
    }

    fn versions(self) -> &'static [ProtocolVersion] {
        VERSION_SETS
            .get(usize::from(self.versions))
            .copied()
            .unwrap_or(ALL_VERSIONS)
    }
}

/// Every cipher suite the engine has, each once.
fn all_suites() -> Vec<CipherSuite> {
    unique(&[
        TLS13_CIPHER_SUITES,
        TLS12_CIPHER_SUITES,
        TLS12_CBC_CIPHER_SUITES,
        TLS12_RSA_KX_CIPHER_SUITES,
        TLS10_CIPHER_SUITES,
    ])
}

/// Every CBC suite (TLS 1.0–1.2, ECDHE and RSA key exchange), each once.
fn cbc_suites() -> Vec<CipherSuite> {
    unique(&[TLS12_CBC_CIPHER_SUITES, TLS10_CIPHER_SUITES])
}

/// The lists concatenated in order, without repeats.
fn unique(lists: &[&[CipherSuite]]) -> Vec<CipherSuite> {
    let mut out: Vec<CipherSuite> = Vec::new();
    for suite in lists.iter().flat_map(|l| l.iter()) {
        if !out.contains(suite) {
            out.push(*suite);
        }
    }
    out
}

/// The test chain and leaf key files the harness uses, by name: also the
/// seeds of the `pem` and `x509` targets.
pub fn pem(name: &str) -> &'static str {
    match name {
        "ed25519-chain.pem" => include_str!("../../vectors/pki/ed25519-chain.pem"),
        "ed25519-leaf.key" => include_str!("../../vectors/pki/ed25519-leaf.key"),
        "p256-chain.pem" => include_str!("../../vectors/pki/p256-chain.pem"),
        "p256-leaf.key" => include_str!("../../vectors/pki/p256-leaf.key"),
        "rsa2048-chain.pem" => include_str!("../../vectors/pki/rsa2048-chain.pem"),
        "rsa2048-leaf.key" => include_str!("../../vectors/pki/rsa2048-leaf.key"),
        "p384-chain.pem" => include_str!("../../vectors/pki/p384-chain.pem"),
        "p384-leaf.key" => include_str!("../../vectors/pki/p384-leaf.key"),
        _ => "",
    }
}

/// The leaf chain and key of `key_type`, parsed once per process.
fn certified_key(index: usize) -> Arc<CertifiedKey> {
    static KEYS: OnceLock<Vec<Arc<CertifiedKey>>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        KEY_TYPES
            .iter()
            .map(|t| {
                let chain = pem(&format!("{t}-chain.pem"));
                let key = pem(&format!("{t}-leaf.key"));
                Arc::new(CertifiedKey::from_pem(chain, key).expect("test certificate loads"))
            })
            .collect()
    });
    keys.get(index)
        .or_else(|| keys.first())
        .cloned()
        .expect("test certificates")
}

/// The server name of the leaf of `scenario`'s key type.
pub fn server_name(scenario: Scenario) -> ServerName {
    ServerName::parse(&format!("leaf.{}.test", scenario.key_type())).expect("test server name")
}

fn rng(seed: &[u8]) -> Arc<SeededRng> {
    Arc::new(SeededRng::new(seed).expect("seeded rng"))
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(UnixTime::from_secs(NOW)))
}

/// The client configuration of `scenario`: every version of its set,
/// every suite and group, tickets, 0-RTT when asked, a client
/// certificate when asked.
pub fn client_config(scenario: Scenario) -> Result<Arc<ClientConfig>, Error> {
    let mut builder = ClientConfig::builder(Arc::new(InsecureAcceptAnyServerCertForTests))
        .versions(scenario.versions())
        .cipher_suites(&all_suites())
        .groups(DEFAULT_GROUPS)
        // The server's protocol first: a client sends 0-RTT data only
        // when the protocol it offers first is the ticket's (RFC 8446
        // §4.2.10), so this order lets the 0-RTT scenarios send some.
        .alpn_protocols(&[b"http/1.1", b"h2"])
        .rng(rng(b"fuzz client"))
        .clock(clock())
        .enable_tickets(true)
        .enable_early_data(scenario.early_data);
    if scenario.client_auth {
        builder = builder.client_certificate(certified_key(usize::from(scenario.key_type)));
    }
    builder.build()
}

/// The server configuration of `scenario`.
pub fn server_config(scenario: Scenario) -> Result<Arc<ServerConfig>, Error> {
    let suites = if scenario.cbc {
        cbc_suites()
    } else {
        all_suites()
    };
    let groups: &[NamedGroup] = if scenario.retry {
        &[NamedGroup::secp384r1]
    } else {
        DEFAULT_GROUPS
    };
    let mut builder = ServerConfig::builder(certified_key(usize::from(scenario.key_type)))
        .versions(scenario.versions())
        .cipher_suites(&suites)
        .groups(groups)
        .alpn_protocols(&[b"http/1.1"])
        .rng(rng(b"fuzz server"))
        .clock(clock())
        .send_cookie(scenario.cookie)
        .enable_encrypt_then_mac(!scenario.no_etm);
    if scenario.no_tickets {
        builder = builder.tickets(0);
    }
    if scenario.early_data {
        builder = builder
            .max_early_data_size(1 << 14)
            .session_store(Arc::new(InMemoryServerStore::new(clock())));
    }
    if scenario.client_auth {
        let roots = RootStore::new();
        builder = builder.client_auth(ClientAuth::Optional(Arc::new(WebPkiClientVerifier::new(
            Arc::new(roots),
            false,
        ))));
    }
    builder.build()
}

/// What one endpoint does after its handshake, tracked across turns.
#[derive(Debug, Default)]
pub struct Endpoint {
    /// Application data to send once the handshake is done.
    pub outgoing: Vec<u8>,
    sent: bool,
    key_update: bool,
    /// Application data received so far.
    pub received: Vec<u8>,
}

impl Endpoint {
    /// An endpoint that will send `outgoing` and, with `key_update`, a
    /// KeyUpdate that asks the peer to update too.
    pub fn new(outgoing: &[u8], key_update: bool) -> Self {
        Self {
            outgoing: outgoing.to_vec(),
            key_update,
            ..Self::default()
        }
    }

    /// One turn: `incoming` (the peer's bytes) into `conn`, then, once the
    /// handshake is done, the application data and KeyUpdate the first
    /// time; returns everything `conn` wants to send. An error ends the
    /// connection; its alert is in the returned bytes of that turn.
    pub fn turn(&mut self, conn: &mut Connection, incoming: &[u8]) -> (Vec<u8>, Result<(), Error>) {
        let mut result = feed(conn, incoming);
        if result.is_ok() {
            self.read_all(conn);
            if !conn.is_handshaking() && !self.sent {
                self.sent = true;
                if !self.outgoing.is_empty() {
                    if let Err(e) = conn.writer().write_all(&self.outgoing) {
                        result = Err(conn.error().cloned().unwrap_or(Error::InvalidRequest(
                            match e.kind() {
                                std::io::ErrorKind::WriteZero => "write refused",
                                _ => "write failed",
                            },
                        )));
                    }
                }
                if self.key_update && conn.protocol_version() == Some(ProtocolVersion::TLSv1_3) {
                    result = result.and(conn.refresh_traffic_keys(true));
                }
            }
        }
        (drain(conn), result)
    }

    fn read_all(&mut self, conn: &mut Connection) {
        let mut buf = [0u8; 4096];
        while let Ok(n) = conn.reader().read(&mut buf) {
            match buf.get(..n) {
                Some(got) if n > 0 => self.received.extend_from_slice(got),
                _ => break,
            }
        }
    }
}

/// Everything `conn` wants to send.
pub fn drain(conn: &mut Connection) -> Vec<u8> {
    let mut out = Vec::new();
    while conn.wants_write() {
        match conn.write_tls(&mut out) {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

/// Feeds `bytes` into `conn` and processes them.
pub fn feed(conn: &mut Connection, mut bytes: &[u8]) -> Result<(), Error> {
    loop {
        if let Some(e) = conn.error() {
            return Err(e.clone());
        }
        conn.process_new_packets()?;
        if bytes.is_empty() {
            return Ok(());
        }
        match conn.read_tls(&mut bytes) {
            Ok(0) | Err(_) => return conn.process_new_packets().map(|_| ()),
            Ok(_) => {}
        }
    }
}

/// Splits a `client`/`server` input after its scenario bytes into
/// flights (see the module documentation).
pub fn flights(mut input: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while let Some((len, rest)) = input.split_first_chunk::<2>() {
        let len = usize::from(u16::from_be_bytes(*len));
        let (flight, rest) = rest.split_at(len.min(rest.len()));
        out.push(flight);
        input = rest;
    }
    out
}

/// Joins scenario and flights into a `client`/`server` input; flights
/// longer than 65535 bytes are cut.
pub fn encode_input(scenario: Scenario, flights: &[Vec<u8>]) -> Vec<u8> {
    let mut out = scenario.to_bytes().to_vec();
    for flight in flights {
        let len = u16::try_from(flight.len()).unwrap_or(u16::MAX);
        out.extend_from_slice(&len.to_be_bytes());
        out.extend(flight.iter().take(usize::from(len)));
    }
    out
}

/// A client connection for `scenario` with 0-RTT data offered when the
/// scenario and its stored ticket allow.
pub fn new_client(
    config: Arc<ClientConfig>,
    scenario: Scenario,
) -> Result<ClientConnection, Error> {
    let mut client = ClientConnection::new(config, server_name(scenario))?;
    if scenario.early_data {
        let _ = client.write_early_data(EARLY);
    }
    Ok(client)
}

/// A full handshake between fresh connections of these configurations,
/// which leaves a session in the client's store and the server's
/// ticketer or cache: run before the fuzzed connection when the scenario
/// resumes.
pub fn prime(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>, scenario: Scenario) {
    let Ok(mut c) = ClientConnection::new(client.clone(), server_name(scenario)) else {
        return;
    };
    let mut s = ServerConnection::new(server.clone());
    let (mut ce, mut se) = (Endpoint::new(PING, false), Endpoint::new(PING, false));
    let mut to_server = drain(&mut c);
    for _ in 0..MAX_TURNS {
        let (to_client, r) = se.turn(&mut s, &to_server);
        if r.is_err() {
            return;
        }
        let (next, r) = ce.turn(&mut c, &to_client);
        if r.is_err() || (next.is_empty() && to_client.is_empty()) {
            return;
        }
        to_server = next;
    }
}

/// A recorded run: the bytes each side sent, one entry per turn.
#[derive(Debug, Default)]
pub struct Recording {
    /// The client's flights (the `server` target's input).
    pub client_flights: Vec<Vec<u8>>,
    /// The server's flights (the `client` target's input).
    pub server_flights: Vec<Vec<u8>>,
    /// Whether both handshakes completed without error and each side
    /// received the other's data.
    pub completed: bool,
    /// The errors that ended the client and the server, if any.
    pub errors: (Option<Error>, Option<Error>),
    /// The client's exported session at the end of the run
    /// (`ClientConnection::session_data`), if it received one.
    pub client_session: Option<Vec<u8>>,
    /// What became of the client's 0-RTT data.
    pub early_data: EarlyDataStatus,
}

/// Runs `scenario` between a real client and server in memory, turn by
/// turn exactly as the `client` and `server` targets do, and records the
/// flights.
pub fn record(scenario: Scenario) -> Result<Recording, Error> {
    let (cc, sc) = (client_config(scenario)?, server_config(scenario)?);
    if scenario.resume {
        prime(&cc, &sc, scenario);
    }
    let mut c = new_client(cc, scenario)?;
    let mut s = ServerConnection::new(sc);
    let mut ce = Endpoint::new(PING, scenario.key_update);
    let mut se = Endpoint::new(PING, scenario.key_update);
    let mut rec = Recording::default();
    let mut to_server = drain(&mut c);
    for _ in 0..MAX_TURNS {
        if to_server.is_empty() {
            break;
        }
        rec.client_flights.push(to_server.clone());
        let (to_client, rs) = se.turn(&mut s, &to_server);
        if to_client.is_empty() {
            break;
        }
        rec.server_flights.push(to_client.clone());
        let (next, rc) = ce.turn(&mut c, &to_client);
        if rs.is_err() || rc.is_err() {
            break;
        }
        to_server = next;
    }
    rec.completed = !c.is_handshaking()
        && !s.is_handshaking()
        && c.error().is_none()
        && s.error().is_none()
        && ce.received == PING
        && se.received.ends_with(PING);
    rec.errors = (c.error().cloned(), s.error().cloned());
    rec.client_session = c.session_data().ok().flatten();
    rec.early_data = c.early_data_status();
    Ok(rec)
}

/// The `client` target: a client of the input's scenario reads the
/// input's flights as the server's bytes. Returns whether its handshake
/// completed and the server's data arrived (how the recorder checks that
/// a seed replays).
pub fn run_client(input: &[u8]) -> bool {
    let Some((&[a, b], rest)) = input.split_first_chunk::<2>() else {
        return false;
    };
    let scenario = Scenario::from_bytes(a, b);
    let (Ok(cc), Ok(sc)) = (client_config(scenario), server_config(scenario)) else {
        return false;
    };
    if scenario.resume {
        prime(&cc, &sc, scenario);
    }
    let Ok(mut c) = new_client(cc, scenario) else {
        return false;
    };
    let mut endpoint = Endpoint::new(PING, scenario.key_update);
    drain(&mut c);
    for flight in flights(rest) {
        if endpoint.turn(&mut c, flight).1.is_err() {
            return false;
        }
    }
    c.send_close_notify();
    drain(&mut c);
    !c.is_handshaking() && c.error().is_none() && endpoint.received == PING
}

/// The `server` target: a server of the input's scenario reads the
/// input's flights as the client's bytes. Returns whether its handshake
/// completed and the client's data arrived.
pub fn run_server(input: &[u8]) -> bool {
    let Some((&[a, b], rest)) = input.split_first_chunk::<2>() else {
        return false;
    };
    let scenario = Scenario::from_bytes(a, b);
    let (Ok(cc), Ok(sc)) = (client_config(scenario), server_config(scenario)) else {
        return false;
    };
    if scenario.resume {
        prime(&cc, &sc, scenario);
    }
    let mut s = ServerConnection::new(sc);
    let mut endpoint = Endpoint::new(PING, scenario.key_update);
    for flight in flights(rest) {
        if endpoint.turn(&mut s, flight).1.is_err() {
            return false;
        }
    }
    s.send_close_notify();
    drain(&mut s);
    !s.is_handshaking() && s.error().is_none() && endpoint.received.ends_with(PING)
}
