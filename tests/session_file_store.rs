//! The directory-backed server store (`FileServerStore`):
//! put/get/take, single use of `take`, persistence across store instances
//! (a server restart), expiry by the injected clock, the capacity bound,
//! file names that are the hex of the key whatever its bytes, damaged
//! files treated as absent, and no temporary files left behind.

mod common;

use common::Scratch;

mod session_support;

use core::time::Duration;
use ferrotls::internal::session::file_store::{FILE_SUFFIX, MAX_FILE_STORE_KEY_LEN};
use ferrotls::internal::session::{ServerSessionState, Validity};
use ferrotls::{FileServerStore, ManualClock, ServerSessionStore};
use session_support::*;
use std::path::Path;
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

/// The names of the files in `d`, sorted.
fn names(d: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    v.sort();
    v
}

#[test]
fn put_get_take_and_single_use() {
    let d = Scratch::new("file-store-basic");
    let store = FileServerStore::new(&*d, clock()).unwrap();
    assert!(store.put(&key(1), state(1)));
    assert_eq!(store.get(&key(1)), Some(state(1)));
    assert_eq!(store.get(&key(1)), Some(state(1)), "get leaves it in place");
    assert_eq!(store.take(&key(1)), Some(state(1)));
    assert_eq!(store.take(&key(1)), None, "take removes");
    assert_eq!(store.get(&key(1)), None);
    assert!(store.is_empty());
    assert!(
        names(&d).is_empty(),
        "no temporary file left: {:?}",
        names(&d)
    );
}

#[test]
fn sessions_survive_a_new_store_on_the_same_directory() {
    let d = Scratch::new("file-store-restart");
    let first = FileServerStore::new(&*d, clock()).unwrap();
    assert!(first.put(&key(7), state(7)));
    drop(first);
    let second = FileServerStore::new(&*d, clock()).unwrap();
    assert_eq!(second.get(&key(7)), Some(state(7)));
}

#[test]
fn file_name_is_hex_of_the_key_so_no_key_escapes_the_directory() {
    let d = Scratch::new("file-store-names");
    let store = FileServerStore::new(&*d, clock()).unwrap();
    let tricky = b"../../etc/passwd\0/x";
    assert!(store.put(tricky, state(1)));
    assert_eq!(
        names(&d),
        vec![format!("{}{FILE_SUFFIX}", hex::encode(tricky))]
    );
    assert_eq!(store.get(tricky), Some(state(1)));
    assert!(!store.put(b"", state(2)), "empty key never stored");
    assert!(!store.put(&[1u8; MAX_FILE_STORE_KEY_LEN + 1], state(3)));
    assert!(store.put(&[1u8; MAX_FILE_STORE_KEY_LEN], state(3)));
}

#[test]
fn expired_sessions_are_not_returned() {
    let d = Scratch::new("file-store-expiry");
    let c = clock();
    let store = FileServerStore::with_limits(&*d, 16, 2 * 3600, c.clone()).unwrap();
    assert!(store.put(&key(1), state(1)));
    c.advance(HOUR);
    assert!(store.get(&key(1)).is_some());
    c.advance(HOUR);
    assert_eq!(
        store.get(&key(1)),
        None,
        "the store's 2-hour lifetime is over"
    );
    assert!(store.is_empty(), "the expired file was removed");
    let mut short = state(2);
    short.validity = Validity::new(CREATED, 60);
    assert!(!store.put(&key(2), short), "already expired at put");
}

#[test]
fn capacity_is_a_bound() {
    let d = Scratch::new("file-store-capacity");
    let c = clock();
    let store = FileServerStore::with_limits(&*d, 3, 7200, c.clone()).unwrap();
    for b in 1..=5 {
        assert!(store.put(&key(b), state(b)));
        c.advance(Duration::from_secs(1));
    }
    assert_eq!(store.len(), 3);
    // The soonest to expire (the oldest) went first.
    assert_eq!(store.get(&key(1)), None);
    assert_eq!(store.get(&key(2)), None);
    for b in 3..=5 {
        assert_eq!(store.get(&key(b)), Some(state(b)), "key {b}");
    }
}

#[test]
fn a_damaged_file_is_absent_not_an_error() {
    let d = Scratch::new("file-store-damaged");
    let store = FileServerStore::new(&*d, clock()).unwrap();
    assert!(store.put(&key(1), state(1)));
    let path = d.join(format!("{}{FILE_SUFFIX}", hex::encode(key(1))));
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    assert_eq!(store.get(&key(1)), None);
    std::fs::write(&path, b"abc").unwrap();
    assert_eq!(store.take(&key(1)), None);
    assert!(names(&d).is_empty());
}

#[test]
fn capacity_is_exact_with_many_threads_inserting_at_once() {
    let d = Scratch::new("file-store-threads");
    let store = Arc::new(FileServerStore::with_limits(&*d, 16, 7200, clock()).unwrap());
    let threads: Vec<_> = (0..8u8)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                for i in 0..40u8 {
                    let mut k = [t; 32];
                    k[1] = i;
                    assert!(store.put(&k, state(t)));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(store.len(), 16);
    assert_eq!(names(&d).len(), 16, "{:?}", names(&d));
}

#[test]
fn eviction_takes_the_least_recently_used_first() {
    let d = Scratch::new("file-store-eviction");
    let store = FileServerStore::with_limits(&*d, 2, 7200, clock()).unwrap();
    assert!(store.put(&key(1), state(1)));
    assert!(store.put(&key(2), state(2)));
    // Reading key 1 makes key 2 the least recently used.
    assert_eq!(store.get(&key(1)), Some(state(1)));
    assert!(store.put(&key(3), state(3)));
    assert_eq!(store.get(&key(2)), None, "the least recently used went");
    assert_eq!(names(&d).len(), 2, "its file too");
    assert_eq!(store.get(&key(1)), Some(state(1)));
    assert_eq!(store.get(&key(3)), Some(state(3)));
    // Replacing a key does not evict.
    assert!(store.put(&key(3), state(4)));
    assert_eq!(store.len(), 2);
}

#[test]
fn reopening_drops_expired_files_and_evicts_the_soonest_to_expire_first() {
    let d = Scratch::new("file-store-reopen-expiry");
    let c = clock();
    let first = FileServerStore::with_limits(&*d, 8, 7200, c.clone()).unwrap();
    let mut brief = state(1);
    brief.validity = Validity::new(CREATED, 600);
    assert!(first.put(&key(1), brief));
    let mut medium = state(2);
    medium.validity = Validity::new(CREATED, 3600);
    assert!(first.put(&key(2), medium.clone()));
    assert!(first.put(&key(3), state(3)));
    assert!(first.put(&key(4), state(4)));
    drop(first);
    c.advance(Duration::from_secs(601));
    // Key 1 expired; of the rest, key 2 expires soonest and goes first.
    let second = FileServerStore::with_limits(&*d, 2, 7200, c.clone()).unwrap();
    assert_eq!(second.len(), 2);
    assert_eq!(names(&d).len(), 2);
    assert_eq!(second.get(&key(1)), None);
    assert_eq!(second.get(&key(2)), None);
    assert_eq!(second.get(&key(3)), Some(state(3)));
    assert_eq!(second.get(&key(4)), Some(state(4)));
}

#[test]
fn reopening_keeps_entries_and_bounds_them_by_the_new_capacity() {
    let d = Scratch::new("file-store-reopen");
    let c = clock();
    let first = FileServerStore::with_limits(&*d, 8, 7200, c.clone()).unwrap();
    for b in 1..=5 {
        assert!(first.put(&key(b), state(b)));
        c.advance(Duration::from_secs(1));
    }
    drop(first);
    let second = FileServerStore::with_limits(&*d, 3, 7200, c.clone()).unwrap();
    assert_eq!(second.len(), 3, "trimmed at open");
    assert_eq!(names(&d).len(), 3);
    assert_eq!(second.get(&key(5)), Some(state(5)));
    assert!(second.put(&key(6), state(6)));
    assert_eq!(names(&d).len(), 3, "files found at open count");
}

#[test]
fn several_stores_on_one_directory_hold_at_most_their_capacities_together() {
    let d = Scratch::new("file-store-shared");
    let a = FileServerStore::with_limits(&*d, 4, 7200, clock()).unwrap();
    let b = FileServerStore::with_limits(&*d, 4, 7200, clock()).unwrap();
    for i in 0..10 {
        assert!(a.put(&[1, i], state(1)));
        assert!(b.put(&[2, i], state(2)));
    }
    assert!(names(&d).len() <= 8, "{:?}", names(&d));
    // Each sees the other's sessions and takes them once.
    assert_eq!(a.take(&[2, 9]), Some(state(2)));
    assert_eq!(b.take(&[2, 9]), None);
}
