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
//! `[scenario: 3 bytes] ([length: u16 big-endian] [flight])*` — the
//! scenario picks the configuration ([`Scenario::from_bytes`]); each
//! flight is the peer's bytes of one turn (a longer flight is written as
//! several, see [`encode_input`]). A last flight shorter than its length
//! is taken as it is.
#![forbid(unsafe_code)]

use std::io::{Read, Write};
use std::sync::{Arc, OnceLock};

use ferrotls::internal::crypto::aead::TAG_LEN;
use ferrotls::internal::crypto::hash::HashAlgorithm;
use ferrotls::internal::crypto::rng::SeededRng;
use ferrotls::{
    CertifiedKey, CipherSuite, ClientAuth, ClientConfig, ClientConnection, Connection,
    EarlyDataStatus, Error, ExternalPsk, ExternalPsks, InMemoryServerStore, ManualClock,
    NamedGroup, ProtocolVersion, RootStore, ServerConfig, ServerConnection, ServerName, Side,
    UnixTime, WebPkiClientVerifier, ALL_VERSIONS, DEFAULT_GROUPS, TLS10_CIPHER_SUITES,
    TLS12_CBC_CIPHER_SUITES, TLS12_CIPHER_SUITES, TLS12_RSA_KX_CIPHER_SUITES, TLS13_CIPHER_SUITES,
};

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

/// The 0-RTT data a server of an `early_data` scenario accepts (the
/// ticket's max_early_data_size, RFC 8446 §4.6.1).
pub const MAX_EARLY_DATA_SIZE: u32 = 1 << 14;

/// The key types with a test chain in `vectors/pki`.
pub const KEY_TYPES: [&str; 4] = ["ed25519", "p256", "rsa2048", "p384"];

/// Unassigned cipher suite values a `large_hello` client offers after its
/// real ones: 20 000 bytes of cipher_suites. A server ignores the suites
/// it does not recognize (RFC 5246 §7.4.1.2); a TLS 1.3-only client
/// leaves them out, as it offers only TLS 1.3 suites.
pub const LARGE_HELLO_FILLER_SUITES: u16 = 10_000;

/// The first of the filler suite values: IANA has assigned nothing from
/// here to the filler's end (0x8710), only GREASE values (RFC 8701),
/// which are ignored as well.
const LARGE_HELLO_FIRST_FILLER_SUITE: u16 = 0x6000;

/// ALPN names of [`LARGE_HELLO_FILLER_NAME_LEN`] bytes a `large_hello`
/// client offers after its real ones: 51 200 bytes of the extension,
/// whose names the server does not know and skips (RFC 7301 §3.2).
pub const LARGE_HELLO_FILLER_PROTOCOLS: usize = 200;

/// The length of each filler ALPN name: the longest a name may be (RFC
/// 7301 §3.1).
const LARGE_HELLO_FILLER_NAME_LEN: usize = 255;

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
    /// The resuming client offers 0-RTT data and the server accepts it
    /// (unless `refuse_early_data`, or `retry`: after a HelloRetryRequest
    /// 0-RTT is rejected, RFC 8446 §4.2.10).
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
    /// The client offers [`LARGE_HELLO_FILLER_SUITES`] unassigned cipher
    /// suites and [`LARGE_HELLO_FILLER_PROTOCOLS`] long ALPN names after
    /// its real ones, so a ClientHello offering TLS ≤ 1.2 is over 64 KiB
    /// and spans several records (RFC 8446 §4.1.2 allows up to
    /// `MAX_CLIENT_HELLO_LEN`).
    pub large_hello: bool,
    /// With `early_data`: the server resumes the ticket but has 0-RTT
    /// off (the ticket came from the same store with 0-RTT on, see
    /// [`prime`]), so it rejects the client's 0-RTT data and skips it
    /// (RFC 8446 §4.2.10).
    pub refuse_early_data: bool,
    /// The client sends close_notify right after its data, and the server
    /// replies only once it has read the client's data or close_notify:
    /// under TLS 1.3 the reply goes out after the client's close_notify
    /// (half-close, RFC 8446 §6.1); under TLS ≤ 1.2 the server answers
    /// with close_notify at once and refuses the reply (RFC 5246 §7.2.1).
    pub close_notify: bool,
    /// The client offers an external PSK the server has ([`PSK_IDENTITY`],
    /// RFC 8446 §2.2; after its ticket when it resumes), so a TLS 1.3
    /// handshake is authenticated by the PSK, without certificates.
    pub external_psk: bool,
    /// Both sides allow secure renegotiation (RFC 5746), and the server
    /// asks for one (a HelloRequest, RFC 5246 §7.4.1.1) in the turn it
    /// first sends its data ([`server_turn`]): under TLS ≤ 1.2 the
    /// client's second handshake runs under the first one's keys.
    pub renegotiation: bool,
    /// With `external_psk`: both sides hold the PSK imported for each
    /// TLS 1.3 hash (RFC 9258) instead of the PSK itself, so the client
    /// offers two identities and binders go under "imp binder".
    pub imported_psk: bool,
    /// The server sends its data as soon as it answered the ClientHello
    /// (half-RTT data, RFC 8446 §4.4.4) rather than after the client's
    /// Finished, unless it closes in reply (`close_notify`).
    pub half_rtt: bool,
    /// Both sides send GREASE values (RFC 8701): the client in its
    /// ClientHellos, whose extensions it also permutes as Chromium does
    /// (`ClientConfig::permute_extensions`), a TLS 1.3 server in its
    /// tickets and certificate requests.
    pub grease: bool,
    /// The client has False Start on (RFC 7918) and writes its data in
    /// its first turn, unless it closes first (`close_notify`): a full
    /// TLS 1.2 handshake with an AEAD suite and the agreed ALPN protocol
    /// sends it behind the client's Finished, before the server's;
    /// otherwise the connection holds it until the handshake ends.
    pub false_start: bool,
    /// Both sides send records of at most [`SMALL_RECORD_FRAGMENT`]
    /// bytes of plaintext (`max_fragment_size`), so every handshake
    /// message longer than that spans several records (RFC 8446 §5.1).
    pub small_records: bool,
}

/// The `max_fragment_size` of `small_records` scenarios: the smallest a
/// configuration takes ([`ferrotls::MIN_MAX_FRAGMENT_SIZE`]).
pub const SMALL_RECORD_FRAGMENT: u16 = 64;

/// The bytes of a [`Scenario`] at the start of every input.
pub const SCENARIO_LEN: usize = 3;

/// The identity of the external PSK of `external_psk` scenarios.
pub const PSK_IDENTITY: &[u8] = b"fuzz psk";

/// The external PSKs both sides of an `external_psk` scenario hold: the
/// PSK itself (SHA-256, the suites TLS_AES_128_GCM_SHA256 and
/// TLS_CHACHA20_POLY1305_SHA256) or, with `imported_psk`, its imports
/// for SHA-256 and SHA-384 (RFC 9258, with an empty context).
fn external_psks(scenario: Scenario) -> Result<Vec<ExternalPsk>, Error> {
    const KEY: [u8; 32] = [0x42; 32];
    if !scenario.imported_psk {
        return Ok(vec![ExternalPsk::new(
            PSK_IDENTITY,
            &KEY,
            HashAlgorithm::Sha256,
        )?]);
    }
    let imports = ExternalPsk::import_for_tls13(PSK_IDENTITY, &KEY, b"", HashAlgorithm::Sha256)?;
    Ok(imports.into())
}

impl Scenario {
    /// The scenario three bytes name: byte 0 bits 0–1 versions, 2–3 key
    /// type, 4 client auth, 5 resume, 6 early data, 7 retry; byte 1 bits
    /// 0 CBC, 1 KeyUpdate, 2 no tickets, 3 no EtM, 4 cookie, 5 large
    /// hello, 6 refused 0-RTT, 7 close_notify; byte 2 bit 0 external PSK,
    /// 1 renegotiation, 2 imported PSK, 3 half-RTT data, 4 GREASE, 5
    /// False Start, 6 small records (bit 7 is ignored).
    pub fn from_bytes([a, b, c]: [u8; SCENARIO_LEN]) -> Self {
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
            large_hello: b & 0x20 != 0,
            refuse_early_data: b & 0x40 != 0,
            close_notify: b & 0x80 != 0,
            external_psk: c & 1 != 0,
            renegotiation: c & 2 != 0,
            imported_psk: c & 4 != 0,
            half_rtt: c & 8 != 0,
            grease: c & 0x10 != 0,
            false_start: c & 0x20 != 0,
            small_records: c & 0x40 != 0,
        }
    }

    /// The inverse of [`Self::from_bytes`].
    pub fn to_bytes(self) -> [u8; SCENARIO_LEN] {
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
                | bit(self.cookie, 4)
                | bit(self.large_hello, 5)
                | bit(self.refuse_early_data, 6)
                | bit(self.close_notify, 7),
            bit(self.external_psk, 0)
                | bit(self.renegotiation, 1)
                | bit(self.imported_psk, 2)
                | bit(self.half_rtt, 3)
                | bit(self.grease, 4)
                | bit(self.false_start, 5)
                | bit(self.small_records, 6),
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

/// The `max_fragment_size` both sides of `scenario` set.
fn small_records(scenario: Scenario) -> Option<u16> {
    scenario.small_records.then_some(SMALL_RECORD_FRAGMENT)
}

/// The `large_hello` filler: unassigned cipher suites and long ALPN names
/// no server knows.
fn large_hello_filler() -> (Vec<CipherSuite>, Vec<Vec<u8>>) {
    let suites = (0..LARGE_HELLO_FILLER_SUITES)
        .map(|i| CipherSuite::from(LARGE_HELLO_FIRST_FILLER_SUITE + i))
        .collect();
    let protocols = (0..LARGE_HELLO_FILLER_PROTOCOLS)
        .map(|i| {
            let mut name = format!("filler-{i:03}-").into_bytes();
            name.resize(LARGE_HELLO_FILLER_NAME_LEN, b'x');
            name
        })
        .collect();
    (suites, protocols)
}

/// The client configuration of `scenario`: every version of its set,
/// every suite and group, tickets, 0-RTT when asked, a client
/// certificate when asked, the `large_hello` filler when asked.
pub fn client_config(scenario: Scenario) -> Result<Arc<ClientConfig>, Error> {
    let mut suites = all_suites();
    // The server's protocol first: a client sends 0-RTT data only when
    // the protocol it offers first is the ticket's (RFC 8446 §4.2.10),
    // so this order lets the 0-RTT scenarios send some.
    let mut protocols = vec![b"http/1.1".to_vec(), b"h2".to_vec()];
    if scenario.large_hello {
        let (filler_suites, filler_protocols) = large_hello_filler();
        suites.extend(filler_suites);
        protocols.extend(filler_protocols);
    }
    let protocols: Vec<&[u8]> = protocols.iter().map(Vec::as_slice).collect();
    let mut builder = ClientConfig::dangerous()
        .builder_accepting_any_server_certificate()
        .versions(scenario.versions())
        .cipher_suites(&suites)
        .groups(DEFAULT_GROUPS)
        .alpn_protocols(&protocols)
        .rng(rng(b"fuzz client"))
        .clock(clock())
        .enable_tickets(true)
        .enable_early_data(scenario.early_data)
        .renegotiation(scenario.renegotiation)
        .grease(scenario.grease)
        .permute_extensions(scenario.grease)
        .false_start(scenario.false_start)
        .max_fragment_size(small_records(scenario));
    if scenario.client_auth {
        builder = builder.client_certificate(certified_key(usize::from(scenario.key_type)));
    }
    if scenario.external_psk {
        for psk in external_psks(scenario)? {
            builder = builder.external_psk(psk);
        }
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
        .enable_encrypt_then_mac(!scenario.no_etm)
        .renegotiation(scenario.renegotiation)
        .send_half_rtt_data(scenario.half_rtt)
        .grease(scenario.grease)
        .max_fragment_size(small_records(scenario));
    if scenario.external_psk {
        let mut psks = ExternalPsks::new();
        for psk in external_psks(scenario)? {
            psks.insert(psk);
        }
        builder = builder.external_psks(Arc::new(psks));
    }
    if scenario.no_tickets {
        builder = builder.tickets(0);
    }
    if scenario.early_data {
        let max = if scenario.refuse_early_data {
            0
        } else {
            MAX_EARLY_DATA_SIZE
        };
        builder = builder
            .max_early_data_size(max)
            .session_store(Arc::new(InMemoryServerStore::new(clock())));
    }
    if scenario.client_auth {
        let roots = RootStore::new();
        builder = builder.client_auth(ClientAuth::Optional(Arc::new(WebPkiClientVerifier::new(
            Arc::new(roots),
        ))));
    }
    builder.build()
}

/// How an endpoint ends its part of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Closing {
    /// It keeps the connection open.
    #[default]
    Open,
    /// It sends close_notify right after its data.
    First,
    /// It sends its data once it has read the peer's data or
    /// close_notify, then close_notify, unless its connection answered the
    /// peer's close_notify already (TLS ≤ 1.2, RFC 5246 §7.2.1), which
    /// refuses the data too.
    Reply,
}

/// What one endpoint does after its handshake, tracked across turns.
#[derive(Debug, Default)]
pub struct Endpoint {
    /// Application data to send once the handshake is done.
    pub outgoing: Vec<u8>,
    /// Send it with `Connection::seal_into` into a buffer of the
    /// endpoint's (the client's way) rather than with `writer()` (the
    /// server's), so a roundtrip runs both paths.
    lent: bool,
    /// What `seal_into` sealed this turn, sent ahead of what the
    /// connection still queues.
    sealed: Vec<u8>,
    sent: bool,
    key_update: bool,
    closing: Closing,
    /// A server that asks for a renegotiation once it has sent its data
    /// ([`server_turn`]), and whether it did.
    renegotiate: bool,
    renegotiation_requested: bool,
    /// An endpoint that writes its data before its handshake is done: a
    /// client in its first turn, a server once it has answered the
    /// ClientHello. Sealed at once when the connection sends it then (a
    /// client's False Start, a server's half-RTT data), otherwise held
    /// until the handshake ends.
    write_in_handshake: bool,
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

    /// The client endpoint of `scenario`, sending `outgoing` through
    /// `seal_into`.
    pub fn client(outgoing: &[u8], scenario: Scenario) -> Self {
        Self {
            lent: true,
            closing: if scenario.close_notify {
                Closing::First
            } else {
                Closing::Open
            },
            write_in_handshake: scenario.false_start && !scenario.close_notify,
            ..Self::new(outgoing, scenario.key_update)
        }
    }

    /// The server endpoint of `scenario`, sending `outgoing`.
    pub fn server(outgoing: &[u8], scenario: Scenario) -> Self {
        Self {
            closing: if scenario.close_notify {
                Closing::Reply
            } else {
                Closing::Open
            },
            renegotiate: scenario.renegotiation,
            write_in_handshake: scenario.half_rtt && !scenario.close_notify,
            ..Self::new(outgoing, scenario.key_update)
        }
    }

    /// Whether this endpoint has done what it does after its handshake
    /// (sent its data, KeyUpdate and close_notify).
    pub fn has_sent(&self) -> bool {
        self.sent
    }

    /// Whether this (server) endpoint asked for a renegotiation.
    pub fn renegotiation_requested(&self) -> bool {
        self.renegotiation_requested
    }

    /// One turn: `incoming` (the peer's bytes) into `conn`, then, once the
    /// handshake is done, the application data, KeyUpdate and
    /// close_notify the first time (see [`Closing`]); returns everything
    /// `conn` wants to send. An error ends the connection; its alert is in
    /// the returned bytes of that turn.
    pub fn turn(&mut self, conn: &mut Connection, incoming: &[u8]) -> (Vec<u8>, Result<(), Error>) {
        let result = feed(conn, incoming).and_then(|()| {
            self.read_all(conn);
            let peer_closed = conn.process_new_packets()?.peer_has_closed;
            self.send_in_handshake(conn)?;
            self.send(conn, peer_closed)
        });
        let mut bytes = std::mem::take(&mut self.sealed);
        bytes.extend(drain(conn));
        (bytes, result)
    }

    /// The data of an endpoint that writes it during the handshake, as
    /// far as the connection takes it; what it does not take goes after
    /// the handshake ([`Self::send`]). A `false_start` client writes in
    /// its first turn; a `half_rtt` server in the turn that answers a
    /// TLS 1.3 ClientHello (its version is settled then).
    fn send_in_handshake(&mut self, conn: &mut Connection) -> Result<(), Error> {
        let due = conn.side() == Side::Client
            || conn.protocol_version() == Some(ProtocolVersion::TLSv1_3);
        if !self.write_in_handshake || !conn.is_handshaking() || !due {
            return Ok(());
        }
        self.write_in_handshake = false;
        let taken = conn.writer().write(&self.outgoing).map_err(|_| {
            conn.error()
                .cloned()
                .unwrap_or(Error::BufferTooSmall { needed: 0 })
        })?;
        self.outgoing.drain(..taken);
        Ok(())
    }

    /// Sends what this endpoint sends after its handshake, once.
    fn send(&mut self, conn: &mut Connection, peer_closed: bool) -> Result<(), Error> {
        let ready = self.closing != Closing::Reply || peer_closed || !self.received.is_empty();
        if conn.is_handshaking() || self.sent || !ready {
            return Ok(());
        }
        self.sent = true;
        // Under TLS ≤ 1.2 the connection answered the peer's close_notify
        // with its own and refuses data from now on (RFC 5246 §7.2.1): a
        // refused write is then no failure.
        let answered = peer_closed && conn.protocol_version() != Some(ProtocolVersion::TLSv1_3);
        if !self.outgoing.is_empty() && self.lent {
            match conn.seal_into(&self.outgoing, &mut self.sealed) {
                Ok(n) if n == self.outgoing.len() => {}
                Ok(_) if answered => {}
                Ok(n) => {
                    return Err(conn.error().cloned().unwrap_or(Error::BufferTooSmall {
                        needed: self.outgoing.len() - n,
                    }))
                }
                Err(_) if answered => {}
                Err(e) => return Err(e),
            }
        } else if !self.outgoing.is_empty() {
            if let Err(e) = conn.writer().write_all(&self.outgoing) {
                if !answered {
                    // The writer carries the connection's refusal; without
                    // one, its buffer is full.
                    let refusal = e.into_inner().and_then(|e| e.downcast::<Error>().ok());
                    return Err(conn.error().cloned().or(refusal.map(|e| *e)).unwrap_or(
                        Error::BufferTooSmall {
                            needed: self.outgoing.len(),
                        },
                    ));
                }
            }
        }
        if self.key_update && conn.protocol_version() == Some(ProtocolVersion::TLSv1_3) {
            conn.refresh_traffic_keys(true)?;
        }
        if self.closing != Closing::Open && !answered {
            conn.send_close_notify();
        }
        Ok(())
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

/// A server's turn ([`Endpoint::turn`]), after which a server of a
/// `renegotiation` scenario asks for a renegotiation (RFC 5746) the
/// first time it can: it has sent its data, the connection is TLS ≤ 1.2,
/// established and not closing, and the client signalled secure
/// renegotiation. The HelloRequest goes out in the same turn.
pub fn server_turn(
    endpoint: &mut Endpoint,
    server: &mut ServerConnection,
    incoming: &[u8],
) -> (Vec<u8>, Result<(), Error>) {
    let (mut bytes, result) = endpoint.turn(server, incoming);
    let can = endpoint.renegotiate
        && !endpoint.renegotiation_requested
        && endpoint.has_sent()
        && result.is_ok()
        && !server.is_handshaking()
        && server.protocol_version() != Some(ProtocolVersion::TLSv1_3)
        && server.secure_renegotiation();
    if !can {
        return (bytes, result);
    }
    endpoint.renegotiation_requested = true;
    let asked = server.renegotiate();
    bytes.extend(drain(server));
    // A refusal that leaves the connection as it was (it is closing, say)
    // is no failure of the run: it goes on without renegotiating.
    match (asked, server.error()) {
        (Err(e), Some(_)) => (bytes, Err(e)),
        _ => (bytes, result),
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

/// Joins scenario and flights into a `client`/`server` input. A flight
/// longer than 65535 bytes (a `large_hello` ClientHello) becomes
/// consecutive flights of at most 65535 bytes: the target feeds them in
/// consecutive turns, and a connection given part of a flight waits for
/// the rest, so the run is the same.
pub fn encode_input(scenario: Scenario, flights: &[Vec<u8>]) -> Vec<u8> {
    let mut out = scenario.to_bytes().to_vec();
    for flight in flights {
        for piece in flight.chunks(usize::from(u16::MAX)) {
            let len = u16::try_from(piece.len()).unwrap_or(u16::MAX);
            out.extend_from_slice(&len.to_be_bytes());
            out.extend_from_slice(piece);
        }
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
/// resumes. With `refuse_early_data` the ticket comes from `server` with
/// 0-RTT on (same ticketer and store), so the client offers 0-RTT to the
/// fuzzed server, which has it off.
pub fn prime(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>, scenario: Scenario) {
    let Ok(mut c) = ClientConnection::new(client.clone(), server_name(scenario)) else {
        return;
    };
    let issuer = if scenario.refuse_early_data {
        let mut issuer = ServerConfig::clone(server);
        issuer.max_early_data_size = MAX_EARLY_DATA_SIZE;
        Arc::new(issuer)
    } else {
        server.clone()
    };
    let mut s = ServerConnection::new(issuer);
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
    /// The version the client negotiated.
    pub version: Option<ProtocolVersion>,
    /// The application data the client and the server received.
    pub received: (Vec<u8>, Vec<u8>),
    /// Whether the client and the server received close_notify.
    pub peer_closed: (bool, bool),
    /// Whether the client's handshake was authenticated by the external
    /// PSK (or one of its imports).
    pub external_psk: bool,
    /// Whether the server asked for a renegotiation and it is over.
    pub renegotiated: bool,
}

/// What a client of `scenario` receives of the server's [`PING`] once the
/// handshake is done with `version`: all of it, or nothing when the
/// client closed first under TLS ≤ 1.2, since its close_notify ends the
/// connection before the server replies (RFC 5246 §7.2.1).
pub fn server_data(scenario: Scenario, version: Option<ProtocolVersion>) -> &'static [u8] {
    if scenario.close_notify && version != Some(ProtocolVersion::TLSv1_3) {
        b""
    } else {
        PING
    }
}

/// The client's first flight as a `refuse_early_data` server must get it:
/// each 0-RTT record (application data in that flight) cut to fewer
/// bytes than an AEAD tag. Fuzzing mode opens every record long enough
/// for a tag (`docs/fuzzing.md`), so the server would open the 0-RTT
/// records under its handshake key and find application data before the
/// handshake completed; a record shorter than a tag is the one kind it
/// cannot open, as a real server cannot open 0-RTT sealed under a key it
/// does not have, and skips (RFC 8446 §4.2.10).
fn unopenable_early_data(flight: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(flight.len());
    for record in records(flight) {
        match record.split_first_chunk::<RECORD_HEADER_LEN>() {
            Some((header, fragment)) if header[0] == APPLICATION_DATA => {
                let kept = fragment.get(..TAG_LEN - 1).unwrap_or(fragment);
                let len = u16::try_from(kept.len()).unwrap_or(0).to_be_bytes();
                out.extend_from_slice(&[header[0], header[1], header[2], len[0], len[1]]);
                out.extend_from_slice(kept);
            }
            _ => out.extend_from_slice(record),
        }
    }
    out
}

/// The client's closing flight of a `close_notify` scenario with its data
/// record (the one before its close_notify) again after the close_notify:
/// data no server may read (RFC 8446 §6.1, "any data received after a
/// closure alert has been received MUST be ignored"; RFC 5246 §7.2.1).
fn data_after_close_notify(flight: &[u8]) -> Vec<u8> {
    let all = records(flight);
    let mut out = flight.to_vec();
    if let Some(data) = all.len().checked_sub(2).and_then(|i| all.get(i)) {
        out.extend_from_slice(data);
    }
    out
}

/// The TLS record header: type, version, length (RFC 8446 §5.1).
const RECORD_HEADER_LEN: usize = 5;

/// The application_data content type (RFC 8446 §5.1).
const APPLICATION_DATA: u8 = 23;

/// The whole records of `flight`, header included.
fn records(mut flight: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while let Some((header, _)) = flight.split_first_chunk::<RECORD_HEADER_LEN>() {
        let len = RECORD_HEADER_LEN + usize::from(u16::from_be_bytes([header[3], header[4]]));
        let Some((record, rest)) = flight.split_at_checked(len) else {
            break;
        };
        out.push(record);
        flight = rest;
    }
    out
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
    let mut ce = Endpoint::client(PING, scenario);
    let mut se = Endpoint::server(PING, scenario);
    let mut rec = Recording::default();
    let mut to_server = drain(&mut c);
    if scenario.refuse_early_data {
        to_server = unopenable_early_data(&to_server);
    }
    for _ in 0..MAX_TURNS {
        if to_server.is_empty() {
            break;
        }
        rec.client_flights.push(to_server.clone());
        let (to_client, rs) = server_turn(&mut se, &mut s, &to_server);
        if to_client.is_empty() {
            break;
        }
        rec.server_flights.push(to_client.clone());
        let sent_before = ce.has_sent();
        let (next, rc) = ce.turn(&mut c, &to_client);
        if rs.is_err() || rc.is_err() {
            break;
        }
        to_server = next;
        if scenario.close_notify && !sent_before && ce.has_sent() {
            to_server = data_after_close_notify(&to_server);
        }
    }
    let peer_closed = |conn: &mut Connection| {
        conn.process_new_packets()
            .is_ok_and(|state| state.peer_has_closed)
    };
    rec.version = c.protocol_version();
    rec.peer_closed = (peer_closed(&mut c), peer_closed(&mut s));
    rec.completed = !c.is_handshaking()
        && !s.is_handshaking()
        && c.error().is_none()
        && s.error().is_none()
        && ce.received == server_data(scenario, rec.version)
        && se.received.ends_with(PING);
    rec.errors = (c.error().cloned(), s.error().cloned());
    rec.client_session = c.session_data().ok().flatten();
    rec.early_data = c.early_data_status();
    rec.external_psk = external_psks(scenario)?
        .iter()
        .any(|psk| c.external_psk_identity() == Some(psk.identity()));
    rec.renegotiated = se.renegotiation_requested() && !s.is_renegotiating();
    rec.received = (ce.received, se.received);
    Ok(rec)
}

/// How a `client` or `server` run ended (what the recorder checks of a
/// seed it replays).
#[derive(Debug)]
pub enum Ending {
    /// The handshake completed and the peer's data arrived.
    Completed,
    /// The connection failed with `error`; `sent` is what it sent in that
    /// turn, which holds its alert when the alert goes out unprotected.
    Failed {
        /// The error that ended the connection.
        error: Error,
        /// The connection's bytes of its last turn.
        sent: Vec<u8>,
    },
    /// Neither: the input ended first, or held no scenario.
    Unfinished,
}

/// The `client` target: a client of the input's scenario reads the
/// input's flights as the server's bytes.
pub fn run_client(input: &[u8]) -> Ending {
    let Some((&scenario, rest)) = input.split_first_chunk::<SCENARIO_LEN>() else {
        return Ending::Unfinished;
    };
    let scenario = Scenario::from_bytes(scenario);
    let (Ok(cc), Ok(sc)) = (client_config(scenario), server_config(scenario)) else {
        return Ending::Unfinished;
    };
    if scenario.resume {
        prime(&cc, &sc, scenario);
    }
    let Ok(mut c) = new_client(cc, scenario) else {
        return Ending::Unfinished;
    };
    let mut endpoint = Endpoint::client(PING, scenario);
    drain(&mut c);
    for flight in flights(rest) {
        if let (sent, Err(error)) = endpoint.turn(&mut c, flight) {
            return Ending::Failed { error, sent };
        }
    }
    c.send_close_notify();
    drain(&mut c);
    let completed = !c.is_handshaking()
        && c.error().is_none()
        && endpoint.received == server_data(scenario, c.protocol_version());
    if completed {
        Ending::Completed
    } else {
        Ending::Unfinished
    }
}

/// The `server` target: a server of the input's scenario reads the
/// input's flights as the client's bytes.
pub fn run_server(input: &[u8]) -> Ending {
    let Some((&scenario, rest)) = input.split_first_chunk::<SCENARIO_LEN>() else {
        return Ending::Unfinished;
    };
    let scenario = Scenario::from_bytes(scenario);
    let (Ok(cc), Ok(sc)) = (client_config(scenario), server_config(scenario)) else {
        return Ending::Unfinished;
    };
    if scenario.resume {
        prime(&cc, &sc, scenario);
    }
    let mut s = ServerConnection::new(sc);
    let mut endpoint = Endpoint::server(PING, scenario);
    for flight in flights(rest) {
        if let (sent, Err(error)) = server_turn(&mut endpoint, &mut s, flight) {
            return Ending::Failed { error, sent };
        }
    }
    s.send_close_notify();
    drain(&mut s);
    if !s.is_handshaking() && s.error().is_none() && endpoint.received.ends_with(PING) {
        Ending::Completed
    } else {
        Ending::Unfinished
    }
}
