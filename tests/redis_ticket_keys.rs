//! Ticket keys shared through a real `redis-server` (feature `redis`):
//! tickets cross instances, rotation by the lease holder reaches every
//! instance within one refresh interval with the previous key still
//! unsealing, one rotation per interval, Redis down keeps the cached
//! keys, Redis holds only sealed keys, and TLS 1.3 and 1.2 tickets from
//! one server resume on another.

mod common;
mod redis_support;

use common::*;
use core::time::Duration;
use ferrotls::{
    ClientConfig, ManualClock, OsRng, ProtocolVersion, RedisConnection, RedisTicketKeys,
    RedisTicketKeysSettings, ServerConfig, Ticketer, UnixTime,
};
use redis_support::RedisServer;
use std::net::TcpListener;
use std::sync::Arc;
use std::thread;

const FLEET_KEY: [u8; 32] = [7; 32];
const ROTATION: Duration = Duration::from_secs(3600);
const REFRESH: Duration = Duration::from_secs(60);
/// The 16-byte key name that starts every ticket.
const NAME: usize = 16;

fn settings() -> RedisTicketKeysSettings {
    RedisTicketKeysSettings {
        rotation_interval: ROTATION,
        refresh_interval: REFRESH,
    }
}

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(UnixTime::from_secs(NOW)))
}

fn instance(redis: &RedisServer, clock: &Arc<ManualClock>) -> RedisTicketKeys {
    instance_at(&redis.url(), &FLEET_KEY, clock)
}

/// A connection to `url` without back-off: the tests' clock is manual,
/// so each refresh they cause goes to Redis at once.
fn connection(url: &str) -> RedisConnection {
    RedisConnection::open(url)
        .unwrap()
        .with_backoff(Duration::ZERO)
}

fn instance_at(url: &str, fleet_key: &[u8], clock: &Arc<ManualClock>) -> RedisTicketKeys {
    RedisTicketKeys::new(
        connection(url),
        fleet_key,
        settings(),
        Arc::new(OsRng::new()),
        clock.clone(),
    )
    .unwrap()
}

fn name(ticket: &[u8]) -> &[u8] {
    &ticket[..NAME]
}

#[test]
fn a_ticket_sealed_by_one_instance_unseals_on_another() {
    let redis = RedisServer::start();
    let clock = clock();
    let (a, b) = (instance(&redis, &clock), instance(&redis, &clock));
    let ticket = a.seal(b"state").unwrap();
    assert_eq!(b.unseal(&ticket).unwrap().as_bytes(), b"state");
    let back = b.seal(b"other").unwrap();
    assert_eq!(name(&back), name(&ticket), "one key for the fleet");
    assert_eq!(a.unseal(&back).unwrap().as_bytes(), b"other");
    assert!(a.is_shared() && b.is_shared());
}

#[test]
fn rotation_reaches_every_instance_within_one_refresh_and_the_previous_key_overlaps() {
    let redis = RedisServer::start();
    let clock = clock();
    let (a, b) = (instance(&redis, &clock), instance(&redis, &clock));
    let old = a.seal(b"old").unwrap();
    assert!(b.unseal(&old).is_some());

    clock.advance(ROTATION);
    // A refreshes first, takes the lease and rotates.
    let new_a = a.seal(b"new").unwrap();
    assert_ne!(name(&new_a), name(&old), "rotated");
    // B's refresh is due too: it reads the rotated set.
    let new_b = b.seal(b"new").unwrap();
    assert_eq!(name(&new_b), name(&new_a), "B seals with A's new key");
    // The overlap: the previous key still unseals everywhere.
    for instance in [&a, &b] {
        assert_eq!(instance.unseal(&old).unwrap().as_bytes(), b"old");
        assert_eq!(instance.unseal(&new_a).unwrap().as_bytes(), b"new");
        assert_eq!(instance.unseal(&new_b).unwrap().as_bytes(), b"new");
    }

    // The next rotation, one interval later, reaches B in the same way.
    clock.advance(ROTATION);
    let newest_a = a.seal(b"newest").unwrap();
    assert_ne!(name(&newest_a), name(&new_a));
    assert_eq!(name(&b.seal(b"x").unwrap()), name(&newest_a));
    // The next rotation retired the first key on both instances.
    for instance in [&a, &b] {
        assert!(instance.unseal(&old).is_none(), "two rotations old");
        assert!(instance.unseal(&new_a).is_some(), "now the previous key");
    }
}

#[test]
fn an_instance_sees_a_rotation_at_its_next_refresh_not_before() {
    let redis = RedisServer::start();
    let clock = clock();
    let (b, c) = (instance(&redis, &clock), instance(&redis, &clock));
    let first = c.seal(b"1").unwrap();
    clock.advance(ROTATION - REFRESH / 2);
    // B refreshes now; its next refresh is due half an interval after
    // the rotation.
    assert_eq!(name(&b.seal(b"2").unwrap()), name(&first));
    clock.advance(REFRESH / 2);
    let rotated = c.seal(b"3").unwrap();
    assert_ne!(name(&rotated), name(&first), "C took the lease and rotated");
    clock.advance(REFRESH / 2 - Duration::from_secs(1));
    assert_eq!(name(&b.seal(b"4").unwrap()), name(&first), "not yet");
    clock.advance(Duration::from_secs(1));
    assert_eq!(
        name(&b.seal(b"5").unwrap()),
        name(&rotated),
        "within one refresh interval"
    );
}

#[test]
fn one_instance_rotates_per_interval() {
    let redis = RedisServer::start();
    let clock = clock();
    let fleet: Vec<Arc<RedisTicketKeys>> =
        (0..6).map(|_| Arc::new(instance(&redis, &clock))).collect();
    let old = fleet[0].seal(b"old").unwrap();
    for instance in &fleet {
        assert_eq!(name(&instance.seal(b"x").unwrap()), name(&old));
    }
    clock.advance(ROTATION);
    // All due at once, all racing for the lease.
    let tickets: Vec<Vec<u8>> = fleet
        .iter()
        .map(|instance| {
            let instance = instance.clone();
            thread::spawn(move || instance.seal(b"new").unwrap())
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|handle| handle.join().unwrap())
        .collect();
    // Those that lost the race may still seal with the old key until
    // their next refresh; after it, all seal with one new key.
    clock.advance(REFRESH);
    let names: Vec<Vec<u8>> = fleet
        .iter()
        .map(|instance| name(&instance.seal(b"y").unwrap()).to_vec())
        .collect();
    assert!(names.iter().all(|n| n == &names[0] && n != name(&old)));
    for ticket in &tickets {
        assert!(
            name(ticket) == name(&old) || name(ticket) == names[0].as_slice(),
            "only the old key or the one new key sealed"
        );
    }
    // One rotation, not two: the first key is still the previous one.
    for instance in &fleet {
        assert_eq!(instance.unseal(&old).unwrap().as_bytes(), b"old");
    }
}

#[test]
fn no_instance_rotates_while_another_holds_the_lease() {
    let redis = RedisServer::start();
    let clock = clock();
    let a = instance(&redis, &clock);
    let old = a.seal(b"old").unwrap();
    let mut connection = redis.inspect();
    let held: Option<String> = redis::cmd("SET")
        .arg("ferrotls:ticket-keys:lease")
        .arg("someone else")
        .arg("NX")
        .arg("PX")
        .arg(60_000)
        .query(&mut connection)
        .unwrap();
    assert!(held.is_some());
    clock.advance(ROTATION);
    assert_eq!(
        name(&a.seal(b"x").unwrap()),
        name(&old),
        "no lease, no rotation"
    );
    let _: i64 = redis::cmd("DEL")
        .arg("ferrotls:ticket-keys:lease")
        .query(&mut connection)
        .unwrap();
    clock.advance(REFRESH);
    assert_ne!(
        name(&a.seal(b"x").unwrap()),
        name(&old),
        "lease free: rotated"
    );
}

#[test]
fn redis_down_keeps_the_cached_keys_and_its_return_brings_the_fleet_back() {
    let mut redis = RedisServer::start();
    let clock = clock();
    let (a, b) = (instance(&redis, &clock), instance(&redis, &clock));
    let before = a.seal(b"before").unwrap();
    assert!(b.unseal(&before).is_some());
    redis.stop();
    clock.advance(REFRESH);
    // Both refreshes fail (after the timeout): the cached set goes on.
    let during = a.seal(b"during").unwrap();
    assert_eq!(name(&during), name(&before));
    assert_eq!(b.unseal(&during).unwrap().as_bytes(), b"during");
    assert_eq!(b.unseal(&before).unwrap().as_bytes(), b"before");
    assert!(!a.is_shared() && !b.is_shared());
    // Redis returns empty: the first refresh publishes A's cached set,
    // and B reads it, so tickets cross instances again.
    redis.restart();
    clock.advance(REFRESH);
    let after = a.seal(b"after").unwrap();
    assert_eq!(name(&after), name(&before));
    assert_eq!(b.unseal(&after).unwrap().as_bytes(), b"after");
    assert!(a.is_shared() && b.is_shared());
}

#[test]
fn first_start_with_redis_down_seals_with_local_keys_until_redis_is_there() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let clock = clock();
    let a = instance_at(&format!("redis://127.0.0.1:{port}/"), &FLEET_KEY, &clock);
    let ticket = a.seal(b"local").unwrap();
    assert_eq!(a.unseal(&ticket).unwrap().as_bytes(), b"local");
    assert!(!a.is_shared());
    // Another instance has its own local keys: no fleet-wide tickets.
    let b = instance_at(&format!("redis://127.0.0.1:{port}/"), &FLEET_KEY, &clock);
    assert!(b.unseal(&ticket).is_none());
}

#[test]
fn redis_holds_the_keys_sealed_under_the_fleet_key() {
    let redis = RedisServer::start();
    let clock = clock();
    let a = instance(&redis, &clock);
    let ticket = a.seal(b"state").unwrap();
    let mut raw = redis.inspect();
    let stored: Vec<u8> = redis::cmd("GET")
        .arg("ferrotls:ticket-keys")
        .query(&mut raw)
        .unwrap();
    // The key set in clear holds the key name beside the key itself.
    assert!(!stored.windows(NAME).any(|w| w == name(&ticket)));
    assert!(
        ferrotls::RotatingTicketer::new(Arc::new(OsRng::new()), clock.clone())
            .unwrap()
            .import_keys(&stored)
            .is_err()
    );
    // Another fleet key reads nothing there and overwrites nothing.
    let stranger = instance_at(&redis.url(), &[8; 32], &clock);
    assert!(stranger.unseal(&ticket).is_none());
    assert!(!stranger.is_shared());
    let after: Vec<u8> = redis::cmd("GET")
        .arg("ferrotls:ticket-keys")
        .query(&mut raw)
        .unwrap();
    assert_eq!(after, stored);
    // A prefix of its own gives a fleet of its own.
    let other_fleet = RedisTicketKeys::new(
        connection(&redis.url()).with_prefix("other:"),
        &FLEET_KEY,
        settings(),
        Arc::new(OsRng::new()),
        clock.clone(),
    )
    .unwrap();
    assert!(other_fleet.unseal(&ticket).is_none());
}

#[test]
fn fleet_keys_of_another_length_and_bad_urls_are_refused() {
    let clock = clock();
    let new = |key: &[u8]| {
        RedisTicketKeys::new(
            connection("redis://127.0.0.1:1/"),
            key,
            settings(),
            Arc::new(OsRng::new()),
            clock.clone(),
        )
        .err()
    };
    assert!(new(&[1; 31]).is_some());
    assert!(new(&[1; 33]).is_some());
    assert!(new(&FLEET_KEY).is_none());
    assert!(RedisConnection::open("not a url").is_err());
}

/// A server config per instance, each with its own RedisTicketKeys.
fn fleet_server(redis: &RedisServer, clock: &Arc<ManualClock>) -> Arc<ServerConfig> {
    server_builder("p256")
        .clock(clock.clone())
        // No session-ID cache: only the ticket can resume.
        .session_cache(None)
        .ticketer(Arc::new(instance(redis, clock)))
        .build()
        .unwrap()
}

fn resumes_across_servers(client: Arc<ClientConfig>) {
    let redis = RedisServer::start();
    let clock = clock();
    let (a, b) = (fleet_server(&redis, &clock), fleet_server(&redis, &clock));
    let (mut c1, mut s1) = handshaken(client.clone(), a, server_name("p256"));
    // TLS 1.3 tickets come after the handshake.
    transfer(&mut s1, &mut c1).1.unwrap();
    assert!(!s1.is_resumed());
    let (c2, s2) = handshaken(client, b, server_name("p256"));
    assert!(
        c2.is_resumed() && s2.is_resumed(),
        "resumed on the other server"
    );
    assert_eq!(s2.session_id(), s1.session_id(), "the server ID survives");
}

#[test]
fn a_tls13_ticket_from_server_a_resumes_on_server_b() {
    resumes_across_servers(client_builder("p256").build().unwrap());
}

#[test]
fn a_tls12_ticket_from_server_a_resumes_on_server_b() {
    resumes_across_servers(
        client_builder("p256")
            .versions(&[ProtocolVersion::TLSv1_2])
            .build()
            .unwrap(),
    );
}
