//! Resumed handshakes with the server's sessions in Redis
//! (`RedisSessionStore`, a `redis-server` on loopback) beside the
//! in-memory store (`InMemoryServerStore`): TLS 1.2 by session ID (one
//! `GET` per resumption, one `SET` per full handshake) and TLS 1.3 with
//! stateful tickets (one `GETDEL` per resumption and one `SET` for the
//! ticket issued after it), ECDSA P-256, X25519, AES-128-GCM.
//!
//! Client and server run in one thread over byte buffers; after one full
//! handshake, each round is `HANDSHAKES` resumed ones, timed whole (both
//! sides, the tickets delivered). Prints handshakes/s and the time per
//! handshake, medians of `ROUNDS` rounds after a warm-up round; the two
//! stores alternate round by round, so both see the same machine load.
//!
//! Run with `cargo bench --bench session_redis` (needs `redis-server` on
//! the PATH: it starts one with the tests' harness, `tests/redis_support`,
//! on a free port of 127.0.0.1 without persistence, and kills it by PID
//! at the end).

use ferrotls::{
    CertifiedKey, CipherSuite, ClientConfig, ClientConnection, InMemoryServerStore, NamedGroup,
    OsRng, ProtocolVersion, RedisConnection, RedisSessionStore, RootStore, ServerConfig,
    ServerConnection, ServerName, ServerSessionStore, SystemClock, WebPkiServerVerifier,
};
use std::sync::Arc;
use std::time::Instant;

// The tests' harness: one way to start (and kill) a redis-server.
#[path = "../tests/redis_support/mod.rs"]
mod redis_support;

const HANDSHAKES: usize = 200;
const ROUNDS: usize = 11;

fn vector(name: &str) -> String {
    let path = format!("{}/vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Moves everything `from` has to write into `to`.
fn flow(from: &mut ferrotls::Connection, to: &mut ferrotls::Connection, wire: &mut Vec<u8>) {
    wire.clear();
    while from.wants_write() {
        from.write_tls(wire).unwrap();
    }
    let mut rest = &wire[..];
    while !rest.is_empty() {
        to.read_tls(&mut rest).unwrap();
        to.process_new_packets().unwrap();
    }
}

/// One handshake, the server's tickets delivered; whether it resumed.
fn handshake(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> bool {
    let name = ServerName::parse("leaf.p256.test").unwrap();
    let mut c = ClientConnection::new(client.clone(), name).unwrap();
    let mut s = ServerConnection::new(server.clone());
    let mut wire = Vec::new();
    while c.is_handshaking() || s.is_handshaking() || c.wants_write() || s.wants_write() {
        flow(&mut c, &mut s, &mut wire);
        flow(&mut s, &mut c, &mut wire);
    }
    assert_eq!(c.is_resumed(), s.is_resumed());
    s.is_resumed()
}

/// A client of `version` and a server of it keeping sessions in
/// `store`, after one full handshake between them.
fn pair(
    version: ProtocolVersion,
    store: Arc<dyn ServerSessionStore>,
) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let key = CertifiedKey::from_pem(&vector("p256-chain.pem"), &vector("p256-leaf.key")).unwrap();
    let mut roots = RootStore::new();
    roots.add_pem(&vector("p256-root.pem")).unwrap();
    let suite = match version {
        ProtocolVersion::TLSv1_3 => CipherSuite::TLS_AES_128_GCM_SHA256,
        _ => CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    };
    let client = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
        .versions(&[version])
        .cipher_suites(&[suite])
        // P-256 for the certificate's curve (RFC 8422 §5.3); the server
        // exchanges in X25519 alone.
        .groups(&[NamedGroup::X25519, NamedGroup::secp256r1])
        // TLS 1.2 by session ID: no RFC 5077 ticket.
        .enable_tickets(version == ProtocolVersion::TLSv1_3)
        .build()
        .unwrap();
    let server = ServerConfig::builder(Arc::new(key))
        .versions(&[version])
        .cipher_suites(&[suite])
        .groups(&[NamedGroup::X25519])
        .session_store(store)
        .tickets(1)
        .build()
        .unwrap();
    assert!(!handshake(&client, &server), "the first one is full");
    (client, server)
}

/// Resumed handshakes/s over one round of `HANDSHAKES`.
fn round(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> f64 {
    let start = Instant::now();
    for _ in 0..HANDSHAKES {
        assert!(handshake(client, server), "resumed");
    }
    HANDSHAKES as f64 / start.elapsed().as_secs_f64()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let redis = redis_support::RedisServer::start();
    let url = redis.url();
    let redis_store = || -> Arc<dyn ServerSessionStore> {
        let connection = RedisConnection::open(&url).unwrap();
        let (rng, clock) = (Arc::new(OsRng::new()), Arc::new(SystemClock));
        Arc::new(RedisSessionStore::new(connection, &[0x42; 32], rng, clock).unwrap())
    };
    println!("resumed handshake          store                handshakes/s   µs each");
    for (label, version) in [
        ("TLS 1.2 by session ID", ProtocolVersion::TLSv1_2),
        ("TLS 1.3 stateful ticket", ProtocolVersion::TLSv1_3),
    ] {
        let memory = pair(
            version,
            Arc::new(InMemoryServerStore::new(Arc::new(SystemClock))),
        );
        let redis = pair(version, redis_store());
        // Warm-up, then the two stores alternate round by round, so both
        // see the same machine load.
        round(&memory.0, &memory.1);
        round(&redis.0, &redis.1);
        let (mut in_memory, mut in_redis) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            in_memory.push(round(&memory.0, &memory.1));
            in_redis.push(round(&redis.0, &redis.1));
        }
        for (store, rates) in [
            ("InMemoryServerStore", in_memory),
            ("RedisSessionStore", in_redis),
        ] {
            let rate = median(rates);
            println!("{label:<26} {store:<20} {rate:>12.0} {:>9.1}", 1e6 / rate);
        }
    }
}
