//! A fleet of servers sharing a real `redis-server` (feature `redis`), in
//! memory: each server has its own `ServerConfig` and its own Redis
//! connections, and they share only Redis and the fleet key. A session
//! made on one resumes on the other, by session ID (TLS 1.0–1.2) or by
//! stateful ticket (TLS 1.3), with the same server `session_id()`; a
//! TLS 1.3 ticket resumes once fleet-wide; a replayed 0-RTT flight is
//! refused by the other instance; what Redis holds is sealed; and a Redis
//! that dies costs full handshakes, never a failed one, until it returns.

mod common;
mod redis_support;
mod session_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use ferrotls::{
    AntiReplay, CipherSuite, ClientConfig, ClientConnection, Clock, EarlyDataStatus, Error, KeyLog,
    ManualClock, OsRng, ProtocolVersion, RedisAntiReplay, RedisConnection, RedisFailure,
    RedisSessionStore, ReplayCheck, RotatingTicketer, ServerConfig, ServerConnection,
    ServerSessionStore, UnixTime, TLS10_CIPHER_SUITES,
};
use redis_support::RedisServer;

const FLEET_KEY: [u8; 32] = [0x42; 32];

/// What the tests' back-off is: short, so a restarted Redis is used again
/// soon; the tests wait [`AFTER_BACKOFF`] for it, not a measured bound.
const BACKOFF: Duration = Duration::from_millis(100);
const AFTER_BACKOFF: Duration = Duration::from_millis(300);

fn clock() -> Arc<dyn Clock> {
    Arc::new(ManualClock::new(UnixTime::from_secs(NOW)))
}

fn connection(redis: &RedisServer) -> RedisConnection {
    RedisConnection::open(&redis.url())
        .unwrap()
        .with_prefix("test:")
        .with_backoff(BACKOFF)
}

/// One server's Redis store, on its own connection.
fn store(redis: &RedisServer) -> Arc<RedisSessionStore> {
    Arc::new(
        RedisSessionStore::new(
            connection(redis),
            &FLEET_KEY,
            Arc::new(OsRng::new()),
            clock(),
        )
        .unwrap(),
    )
}

/// A server of the fleet, with its own store on `redis`.
fn server(redis: &RedisServer) -> Arc<ServerConfig> {
    server_with(store(redis))
}

fn server_with(store: Arc<RedisSessionStore>) -> Arc<ServerConfig> {
    server_builder("p256").session_store(store).build().unwrap()
}

/// A TLS 1.0 or 1.1 server (with the CBC suites they need).
fn legacy_server(redis: &RedisServer, version: ProtocolVersion) -> Arc<ServerConfig> {
    server_builder("p256")
        .versions(&[version])
        .cipher_suites(TLS10_CIPHER_SUITES)
        .session_store(store(redis))
        .build()
        .unwrap()
}

/// A client of `version` only; below TLS 1.3 without RFC 5077 tickets,
/// so it resumes by session ID.
fn client(version: ProtocolVersion) -> Arc<ClientConfig> {
    let builder = client_builder("p256").versions(&[version]);
    match version {
        ProtocolVersion::TLSv1_3 => builder,
        ProtocolVersion::TLSv1_2 => builder.enable_tickets(false),
        _ => builder
            .cipher_suites(&[CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA])
            .enable_tickets(false),
    }
    .build()
    .unwrap()
}

/// A full handshake of `client` with `server`; returns the server's
/// session ID, after the tickets reached the client.
fn full(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> Vec<u8> {
    let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    assert!(!s.is_resumed());
    send_and_check(&mut s, &mut c, b"tickets");
    s.session_id().to_vec()
}

/// A handshake of `client` with `server`; returns whether it resumed and
/// the server's session ID.
fn connect(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> (bool, Vec<u8>) {
    let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    assert_eq!(c.is_resumed(), s.is_resumed());
    send_and_check(&mut s, &mut c, b"tickets");
    (s.is_resumed(), s.session_id().to_vec())
}

/// The client's first flight (its ClientHello, with `early` as 0-RTT
/// data when not empty).
fn first_flight(client: &Arc<ClientConfig>, early: &[u8]) -> Vec<u8> {
    let mut c = ClientConnection::new(client.clone(), server_name("p256")).unwrap();
    if !early.is_empty() {
        c.write_early_data(early).unwrap();
    }
    let mut flight = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut flight).unwrap();
    }
    flight
}

/// A fresh server connection of `config` that has read `flight`.
fn receive(config: &Arc<ServerConfig>, flight: &[u8]) -> ServerConnection {
    let mut s = ServerConnection::new(config.clone());
    s.read_tls(&mut &flight[..]).unwrap();
    s.process_new_packets().unwrap();
    s
}

fn redis_keys(redis: &RedisServer) -> Vec<String> {
    let mut keys: Vec<String> = redis::cmd("KEYS")
        .arg("test:*")
        .query(&mut redis.inspect())
        .unwrap();
    keys.sort();
    keys
}

#[test]
fn tls12_and_earlier_resume_by_id_on_the_other_server_with_the_same_session_id() {
    let redis = RedisServer::start();
    // TLS 1.0 and 1.1 come with feature `legacy`.
    let versions: &[ProtocolVersion] = if cfg!(feature = "legacy") {
        &[
            ProtocolVersion::TLSv1_0,
            ProtocolVersion::TLSv1_1,
            ProtocolVersion::TLSv1_2,
        ]
    } else {
        &[ProtocolVersion::TLSv1_2]
    };
    for &version in versions {
        let (a, b) = if version == ProtocolVersion::TLSv1_2 {
            (server(&redis), server(&redis))
        } else {
            (
                legacy_server(&redis, version),
                legacy_server(&redis, version),
            )
        };
        let client = client(version);
        let id = full(&client, &a);
        assert_eq!(id.len(), 32);
        // By ID, and again (a session ID resumes many times), and back.
        for to in [&b, &b, &a] {
            assert_eq!(connect(&client, to), (true, id.clone()), "{version:?}");
        }
    }
    // One session-ID entry per version, in its namespace.
    let keys = redis_keys(&redis);
    assert_eq!(keys.len(), versions.len(), "{keys:?}");
    assert!(
        keys.iter().all(|k| k.starts_with("test:session-id:")),
        "{keys:?}"
    );
}

#[test]
fn a_tls13_stateful_ticket_resumes_once_fleet_wide_and_keeps_the_session_id() {
    let redis = RedisServer::start();
    let (a, b) = (server(&redis), server(&redis));
    let client = client(ProtocolVersion::TLSv1_3);
    let id = full(&client, &a);
    assert_eq!(id.len(), 32);
    // A's two tickets are in Redis, in the ticket namespace.
    let keys = redis_keys(&redis);
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(
        keys.iter().all(|k| k.starts_with("test:ticket:")),
        "{keys:?}"
    );

    let flight = first_flight(&client, b"");
    assert!(receive(&b, &flight).is_resumed());
    // The same ClientHello again, on either server: the ticket is gone.
    assert!(!receive(&b, &flight).is_resumed());
    assert!(!receive(&a, &flight).is_resumed());

    // The session goes on across the fleet with the same identifier,
    // through a chain of resumptions on both servers.
    for to in [&a, &b, &a] {
        assert_eq!(connect(&client, to), (true, id.clone()));
    }
}

#[test]
fn a_replayed_0rtt_flight_is_refused_by_the_other_server() {
    let redis = RedisServer::start();
    // Stateless tickets under one ticket key set, and each server's own
    // Redis anti-replay filter.
    let ticketer = Arc::new(RotatingTicketer::new(Arc::new(OsRng::new()), clock()).unwrap());
    let server = || {
        let filter: Arc<dyn AntiReplay> = Arc::new(RedisAntiReplay::new(connection(&redis)));
        server_builder("p256")
            .ticketer(ticketer.clone())
            .session_cache(None)
            .anti_replay(filter)
            .max_early_data_size(1024)
            .build()
            .unwrap()
    };
    let (a, b) = (server(), server());
    let client = client_builder("p256")
        .enable_early_data(true)
        .build()
        .unwrap();
    full(&client, &a);
    let flight = first_flight(&client, b"transfer 100");
    let accepted = receive(&a, &flight);
    assert_eq!(accepted.early_data_status(), EarlyDataStatus::Accepted);
    // The replay resumes (stateless tickets do) but its 0-RTT data is
    // refused, on the other server and on the same one.
    for to in [&b, &a] {
        let replayed = receive(to, &flight);
        assert!(replayed.is_resumed());
        assert_eq!(replayed.early_data_status(), EarlyDataStatus::Rejected);
    }
    let keys = redis_keys(&redis);
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert!(keys[0].starts_with("test:0rtt:"), "{keys:?}");
}

#[test]
fn a_stateful_ticket_replayed_with_0rtt_on_the_other_server_is_a_full_handshake() {
    let redis = RedisServer::start();
    let server = || {
        server_builder("p256")
            .session_store(store(&redis))
            .max_early_data_size(1024)
            .build()
            .unwrap()
    };
    let (a, b) = (server(), server());
    let client = client_builder("p256")
        .enable_early_data(true)
        .build()
        .unwrap();
    full(&client, &a);
    let flight = first_flight(&client, b"transfer 100");
    assert_eq!(
        receive(&a, &flight).early_data_status(),
        EarlyDataStatus::Accepted
    );
    let replayed = receive(&b, &flight);
    assert!(!replayed.is_resumed());
    assert_ne!(replayed.early_data_status(), EarlyDataStatus::Accepted);
}

/// Keeps the TLS ≤1.2 master secrets the server logs.
#[derive(Default)]
struct Secrets(Mutex<Vec<Vec<u8>>>);

impl KeyLog for Secrets {
    fn log(&self, label: &str, _client_random: &[u8], secret: &[u8]) {
        if label == "CLIENT_RANDOM" {
            self.0.lock().unwrap().push(secret.to_vec());
        }
    }
}

#[test]
fn what_redis_holds_is_sealed() {
    let redis = RedisServer::start();
    let secrets = Arc::new(Secrets::default());
    let a = server_builder("p256")
        .session_store(store(&redis))
        .key_log(secrets.clone())
        .build()
        .unwrap();
    let id = full(&client(ProtocolVersion::TLSv1_2), &a);
    let master_secret = secrets.0.lock().unwrap().pop().unwrap();
    assert_eq!(master_secret.len(), 48);

    let key = format!("test:session-id:{}", hex::encode(&id));
    let mut raw = redis.inspect();
    let value: Vec<u8> = redis::cmd("GET").arg(&key).query(&mut raw).unwrap();
    assert!(!value
        .windows(master_secret.len())
        .any(|w| w == master_secret.as_slice()));
    assert!(ferrotls::internal::session::ServerSessionState::from_bytes(&value).is_err());
    // It expires with the session (default lifetime: 2 hours).
    let ttl: i64 = redis::cmd("PTTL").arg(&key).query(&mut raw).unwrap();
    assert!(ttl > 0 && ttl <= 7200 * 1000, "{ttl}");
}

#[test]
fn the_store_keeps_namespaces_apart_and_values_bound_to_their_keys() {
    let redis = RedisServer::start();
    let store = store(&redis);
    let sid = ferrotls::internal::session::store_key(
        ferrotls::internal::session::StoreKeyKind::Tls12SessionId,
        &[7; 32],
    )
    .unwrap();
    let ticket = ferrotls::internal::session::store_key(
        ferrotls::internal::session::StoreKeyKind::Tls13Ticket,
        &[7; 32],
    )
    .unwrap();
    let state = session_support::server_tls12();
    // The samples are made at CREATED; a store timed then keeps them.
    let store_then = RedisSessionStore::new(
        connection(&redis),
        &FLEET_KEY,
        Arc::new(OsRng::new()),
        Arc::new(ManualClock::new(session_support::CREATED)),
    )
    .unwrap();
    assert!(store_then.put(&sid, state.clone()));
    assert_eq!(store_then.get(&sid).unwrap().session_id, state.session_id);
    // The same identifier as a ticket identity finds nothing.
    assert!(store_then.get(&ticket).is_none());
    assert!(store_then.take(&ticket).is_none());
    // A sealed value copied to another key does not open there.
    let mut raw = redis.inspect();
    let sid_key = format!("test:session-id:{}", hex::encode([7; 32]));
    let ticket_key = format!("test:ticket:{}", hex::encode([7; 32]));
    let value: Vec<u8> = redis::cmd("GET").arg(&sid_key).query(&mut raw).unwrap();
    let () = redis::cmd("SET")
        .arg(&ticket_key)
        .arg(&value)
        .query(&mut raw)
        .unwrap();
    assert!(store_then.take(&ticket).is_none());
    // Another fleet key opens nothing.
    let other = RedisSessionStore::new(
        connection(&redis),
        &[0x43; 32],
        Arc::new(OsRng::new()),
        Arc::new(ManualClock::new(session_support::CREATED)),
    )
    .unwrap();
    assert!(other.get(&sid).is_none());
    // A session whose lifetime is over at the store's time is not stored.
    assert!(!store.put(&sid, state.clone()));
    // take removes: once.
    assert!(store_then.take(&sid).is_some());
    assert!(store_then.take(&sid).is_none());
    assert!(store_then.get(&sid).is_none());
}

#[test]
fn a_fleet_key_of_the_wrong_length_is_refused() {
    let connection = RedisConnection::open("redis://127.0.0.1:1/0").unwrap();
    assert!(matches!(
        RedisSessionStore::new(connection, &[0; 16], Arc::new(OsRng::new()), clock()),
        Err(Error::InvalidRequest(_))
    ));
    assert!(RedisConnection::open("http://example.com/").is_err());
}

#[test]
fn redis_down_means_full_handshakes_and_unrecorded_0rtt_until_it_returns() {
    let mut redis = RedisServer::start();
    let failures = Arc::new(Mutex::new(Vec::<RedisFailure>::new()));
    let counted = failures.clone();
    let connection = connection(&redis).on_failure(Arc::new(move |f: &RedisFailure| {
        counted.lock().unwrap().push(f.clone())
    }));
    let store = Arc::new(
        RedisSessionStore::new(
            connection.clone(),
            &FLEET_KEY,
            Arc::new(OsRng::new()),
            clock(),
        )
        .unwrap(),
    );
    let filter = RedisAntiReplay::new(connection.clone());
    let (a, b) = (server_with(store.clone()), server(&redis));
    let tls12 = client(ProtocolVersion::TLSv1_2);
    let tls13 = client(ProtocolVersion::TLSv1_3);
    full(&tls12, &a);
    assert!(connect(&tls12, &b).0);

    redis.stop();
    // Every handshake completes, as a full one; A sees its failures.
    for _ in 0..3 {
        assert!(!connect(&tls12, &a).0);
        assert!(!connect(&tls13, &a).0);
    }
    assert_eq!(
        filter.check_and_record(b"binder", UnixTime::from_secs(NOW)),
        ReplayCheck::Unrecorded
    );
    assert!(connection.failures() >= 1);
    // The back-off spares a timeout per handshake: most were skipped.
    assert!(connection.skipped() >= 1, "{connection:?}");
    let seen = failures.lock().unwrap().clone();
    assert_eq!(seen.len() as u64, connection.failures());
    assert!(seen.iter().all(|f| !f.reason.is_empty()));

    redis.restart();
    std::thread::sleep(AFTER_BACKOFF);
    // Resumption returns: a new session on A resumes on B.
    let client = client(ProtocolVersion::TLSv1_2);
    let id = full(&client, &a);
    assert_eq!(connect(&client, &b), (true, id));
    assert_eq!(
        filter.check_and_record(b"binder", UnixTime::from_secs(NOW)),
        ReplayCheck::Fresh
    );
}
