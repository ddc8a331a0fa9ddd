//! The in-memory session stores: LRU eviction, expiry by the injected
//! clock, the 7-day cap, capacity bounds, single use of `take`, and the
//! client store's separation of TLS ≤1.2 sessions and TLS 1.3 tickets.

mod session_support;

use core::time::Duration;
use ferrotls::internal::session::store::{DEFAULT_SERVER_STORE_CAPACITY, MAX_TICKETS_PER_SERVER};
use ferrotls::internal::session::{ServerSessionState, Validity};
use ferrotls::{
    ClientSessionStore, InMemoryClientStore, InMemoryServerStore, ManualClock, ServerSessionStore,
    UnixTime,
};
use session_support::*;
use std::sync::Arc;

const HOUR: Duration = Duration::from_secs(3600);

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(CREATED))
}

/// A server state valid for a week from `CREATED`, tagged by `byte`.
fn state(byte: u8) -> ServerSessionState {
    let mut s = server_tls12();
    s.session_id = id(byte);
    s.validity = Validity::new(CREATED, 604_800);
    s
}

fn key(byte: u8) -> [u8; 32] {
    [byte; 32]
}

#[test]
fn put_get_take() {
    let store = InMemoryServerStore::new(clock());
    assert!(store.put(&key(1), state(1)));
    assert_eq!(store.get(&key(1)), Some(state(1)));
    assert_eq!(store.get(&key(1)), Some(state(1)), "get leaves it in place");
    assert_eq!(store.take(&key(1)), Some(state(1)));
    assert_eq!(store.take(&key(1)), None, "take removes");
    assert_eq!(store.get(&key(1)), None);
    assert!(store.is_empty());
}

#[test]
fn least_recently_used_is_evicted_first() {
    let store = InMemoryServerStore::with_limits(3, 7200, clock());
    for b in 1..=3 {
        assert!(store.put(&key(b), state(b)));
    }
    assert!(store.get(&key(1)).is_some()); // 2 is now the least recent
    store.put(&key(4), state(4));
    assert_eq!(store.get(&key(2)), None);
    store.put(&key(5), state(5)); // evicts 3
    assert_eq!(store.get(&key(3)), None);
    for b in [1, 4, 5] {
        assert_eq!(store.get(&key(b)), Some(state(b)), "key {b}");
    }
    assert_eq!(store.len(), 3);
}

#[test]
fn capacity_is_a_bound() {
    let store = InMemoryServerStore::with_limits(10, 7200, clock());
    for b in 0..100 {
        store.put(&key(b), state(b));
        assert!(store.len() <= 10);
    }
    assert_eq!(store.len(), 10);
}

#[test]
fn default_store_holds_the_default_capacity() {
    let store = InMemoryServerStore::new(clock());
    for n in 0..=DEFAULT_SERVER_STORE_CAPACITY as u32 {
        store.put(&n.to_be_bytes(), state(0));
    }
    assert_eq!(store.len(), DEFAULT_SERVER_STORE_CAPACITY);
    assert_eq!(
        store.get(&0u32.to_be_bytes()),
        None,
        "the first one was evicted"
    );
}

#[test]
fn entries_expire_with_the_store_lifetime() {
    let clock = clock();
    let store = InMemoryServerStore::new(clock.clone()); // 2 hours
    store.put(&key(1), state(1));
    clock.advance(2 * HOUR - Duration::from_millis(1));
    assert!(store.get(&key(1)).is_some());
    clock.advance(Duration::from_millis(1));
    assert_eq!(store.get(&key(1)), None);
    store.put(&key(2), state(2));
    clock.advance(2 * HOUR);
    assert_eq!(
        store.take(&key(2)),
        None,
        "take never returns expired entries"
    );
}

#[test]
fn entries_expire_with_the_session_lifetime() {
    let clock = clock();
    let store = InMemoryServerStore::with_limits(8, 604_800, clock.clone());
    let mut short = state(1);
    short.validity = Validity::new(CREATED, 60);
    store.put(&key(1), short);
    clock.advance(Duration::from_secs(60));
    assert_eq!(store.get(&key(1)), None);
    let mut dead = state(2);
    dead.validity = Validity::new(UnixTime::EPOCH, 60);
    assert!(
        !store.put(&key(2), dead),
        "an expired session is not stored"
    );
}

#[test]
fn store_lifetime_is_capped_at_seven_days() {
    let clock = clock();
    let store = InMemoryServerStore::with_limits(8, u32::MAX, clock.clone());
    store.put(&key(1), state(1));
    clock.advance(Duration::from_secs(604_799));
    assert!(store.get(&key(1)).is_some());
    clock.advance(Duration::from_secs(1));
    assert_eq!(store.get(&key(1)), None);
}

#[test]
fn expired_entries_are_evicted_before_live_ones() {
    let clock = clock();
    let store = InMemoryServerStore::with_limits(2, 7200, clock.clone());
    store.put(&key(1), state(1));
    clock.advance(3 * HOUR);
    store.put(&key(2), state(2));
    store.put(&key(3), state(3));
    assert!(store.get(&key(2)).is_some(), "the dead entry made room");
    assert!(store.get(&key(3)).is_some());
}

#[test]
fn server_store_is_shared_between_threads() {
    let store = Arc::new(InMemoryServerStore::new(clock()));
    let handles: Vec<_> = (0..4u8)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                for i in 0..50u8 {
                    let b = t * 50 + i;
                    store.put(&key(b), state(b));
                    assert_eq!(store.take(&key(b)), Some(state(b)));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert!(store.is_empty());
}

#[test]
fn client_store_keeps_tls12_and_tls13_apart() {
    let store = InMemoryClientStore::new(clock());
    store.put_tls12("example.com", client_tls12(true).into());
    assert_eq!(store.take_tls13_ticket("example.com"), None);
    store.add_tls13_ticket("example.com", client_tls13(1).into());
    assert_eq!(
        store.get_tls12("example.com"),
        Some(client_tls12(true).into())
    );
    assert_eq!(
        store.take_tls13_ticket("example.com"),
        Some(client_tls13(1).into())
    );
    assert_eq!(
        store.get_tls12("example.com"),
        Some(client_tls12(true).into())
    );
    store.remove_tls12("example.com");
    assert_eq!(store.get_tls12("example.com"), None);
    assert_eq!(store.get_tls12("other.example"), None);
}

#[test]
fn client_tickets_are_used_once_newest_first() {
    let store = InMemoryClientStore::new(clock());
    for b in 1..=3 {
        store.add_tls13_ticket("example.com", client_tls13(b).into());
    }
    assert_eq!(
        store.take_tls13_ticket("example.com"),
        Some(client_tls13(3).into())
    );
    assert_eq!(
        store.take_tls13_ticket("example.com"),
        Some(client_tls13(2).into())
    );
    assert_eq!(
        store.take_tls13_ticket("example.com"),
        Some(client_tls13(1).into())
    );
    assert_eq!(store.take_tls13_ticket("example.com"), None);
}

#[test]
fn client_tickets_per_server_are_bounded() {
    let store = InMemoryClientStore::new(clock());
    let total = MAX_TICKETS_PER_SERVER as u8 + 3;
    for b in 0..total {
        store.add_tls13_ticket("example.com", client_tls13(b).into());
    }
    let mut taken = Vec::new();
    while let Some(t) = store.take_tls13_ticket("example.com") {
        taken.push(t.ticket[0]);
    }
    let newest: Vec<u8> = (3..total).rev().collect();
    assert_eq!(taken, newest, "the oldest tickets were dropped");
}

#[test]
fn client_store_never_returns_expired_sessions() {
    let clock = clock();
    let store = InMemoryClientStore::new(clock.clone());
    let mut short = client_tls13(1);
    short.validity = Validity::new(CREATED, 10);
    store.add_tls13_ticket("example.com", client_tls13(2).into()); // 2 hours
    store.add_tls13_ticket("example.com", short.into());
    store.put_tls12("example.com", client_tls12(false).into()); // 2 hours
    clock.advance(Duration::from_secs(10));
    assert_eq!(
        store.take_tls13_ticket("example.com"),
        Some(client_tls13(2).into()),
        "the expired newer ticket is skipped"
    );
    clock.advance(2 * HOUR);
    assert_eq!(store.get_tls12("example.com"), None);
}

#[test]
fn client_store_bounds_server_names() {
    let store = InMemoryClientStore::with_capacity(2, clock());
    store.put_tls12("a.example", client_tls12(false).into());
    store.put_tls12("b.example", client_tls12(false).into());
    assert!(store.get_tls12("a.example").is_some()); // b is now least recent
    store.add_tls13_ticket("c.example", client_tls13(1).into());
    assert_eq!(store.get_tls12("b.example"), None);
    assert!(store.get_tls12("a.example").is_some());
    assert!(store.take_tls13_ticket("c.example").is_some());
}

#[test]
fn empty_key_is_never_stored() {
    let store = InMemoryServerStore::new(clock());
    assert!(!store.put(&[], state(1)));
    assert_eq!(store.get(&[]), None);
    assert!(store.is_empty());
}
