//! [`CallbackCache`] against a cache written as C would write it: four
//! `extern "C"` callbacks over a map behind the user pointer. Each test
//! names the behaviour of the header it checks.

use core::ffi::{c_int, c_void};
use core::time::Duration;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ferrotls::internal::crypto::Secret;
use ferrotls::internal::session::{ServerSessionState, Validity};
use ferrotls::{
    CipherSuite, ManualClock, ProtocolVersion, ServerSessionStore, SessionId, UnixTime,
};

use super::{CacheCallbacks, CallbackCache, FIRST_RETRIEVE_CAPACITY, MAX_CACHE_DATA_SIZE};
use crate::Code;

/// 2023-11-14T22:13:20Z: when every sample session was made.
const CREATED: UnixTime = UnixTime::from_secs(1_700_000_000);

/// The sample sessions' lifetime.
const LIFETIME_SECS: u32 = 3600;

/// What the C side of a test holds: the map, what was asked of it, and
/// how it should misbehave.
#[derive(Default)]
struct Cache {
    values: Mutex<HashMap<Vec<u8>, Vec<u8>>>,
    /// Every call, in order: "store", "retrieve", "remove", "take".
    calls: Mutex<Vec<&'static str>>,
    /// The `expires` argument of the last store.
    expires: Mutex<Option<u64>>,
    /// The capacity each retrieve or take was lent.
    capacities: Mutex<Vec<usize>>,
    refuse_store: bool,
    refuse_remove: bool,
    /// Retrieve answers 0 with this length whatever the capacity.
    claim_size: Option<usize>,
}

/// The cache behind a callback's `user` pointer.
///
/// # Safety
/// `user` must point to a live [`Cache`].
unsafe fn cache<'a>(user: *mut c_void) -> &'a Cache {
    // SAFETY: per the caller.
    unsafe { &*user.cast::<Cache>() }
}

/// The key a callback was given.
///
/// # Safety
/// `key` must be valid for `key_size` bytes of reads.
unsafe fn key_arg(key: *const c_void, key_size: usize) -> Vec<u8> {
    // SAFETY: per the caller.
    unsafe { core::slice::from_raw_parts(key.cast::<u8>(), key_size) }.to_vec()
}

unsafe extern "C" fn store(
    user: *mut c_void,
    key: *const c_void,
    key_size: usize,
    data: *const c_void,
    data_size: usize,
    expires: u64,
) -> c_int {
    // SAFETY: the tests pass a live `Cache`; ferrotls passes valid buffers.
    let (c, key, data) = unsafe {
        (
            cache(user),
            key_arg(key, key_size),
            core::slice::from_raw_parts(data.cast::<u8>(), data_size).to_vec(),
        )
    };
    c.calls.lock().unwrap().push("store");
    *c.expires.lock().unwrap() = Some(expires);
    if c.refuse_store {
        return -1;
    }
    c.values.lock().unwrap().insert(key, data);
    0
}

/// The body of retrieve and take: copies the value out under the size
/// convention, removing it if `take` and it fitted.
///
/// # Safety
/// As the callbacks' arguments.
unsafe fn read(
    name: &'static str,
    take: bool,
    user: *mut c_void,
    key: *const c_void,
    key_size: usize,
    data: *mut c_void,
    data_size: *mut usize,
) -> c_int {
    // SAFETY: as `store`.
    let (c, key) = unsafe { (cache(user), key_arg(key, key_size)) };
    c.calls.lock().unwrap().push(name);
    // SAFETY: ferrotls passes a valid size pointer.
    let size = unsafe { &mut *data_size };
    c.capacities.lock().unwrap().push(*size);
    if let Some(claim) = c.claim_size {
        *size = claim;
        return 0;
    }
    let mut values = c.values.lock().unwrap();
    let Some(value) = values.get(&key) else {
        return -1;
    };
    let capacity = *size;
    *size = value.len();
    if capacity < value.len() {
        return Code::ShortMemoryBuffer.value();
    }
    // SAFETY: `data` is valid for `capacity` bytes of writes.
    unsafe { core::ptr::copy_nonoverlapping(value.as_ptr(), data.cast::<u8>(), value.len()) };
    if take {
        values.remove(&key);
    }
    0
}

unsafe extern "C" fn retrieve(
    user: *mut c_void,
    key: *const c_void,
    key_size: usize,
    data: *mut c_void,
    data_size: *mut usize,
) -> c_int {
    // SAFETY: forwarded.
    unsafe { read("retrieve", false, user, key, key_size, data, data_size) }
}

unsafe extern "C" fn take(
    user: *mut c_void,
    key: *const c_void,
    key_size: usize,
    data: *mut c_void,
    data_size: *mut usize,
) -> c_int {
    // SAFETY: forwarded.
    unsafe { read("take", true, user, key, key_size, data, data_size) }
}

unsafe extern "C" fn remove(user: *mut c_void, key: *const c_void, key_size: usize) -> c_int {
    // SAFETY: as `store`.
    let (c, key) = unsafe { (cache(user), key_arg(key, key_size)) };
    c.calls.lock().unwrap().push("remove");
    if c.refuse_remove {
        return -1;
    }
    c.values.lock().unwrap().remove(&key);
    0
}

impl Cache {
    fn calls(&self) -> Vec<&'static str> {
        self.calls.lock().unwrap().clone()
    }

    fn value(&self, key: &[u8]) -> Option<Vec<u8>> {
        self.values.lock().unwrap().get(key).cloned()
    }

    fn set_value(&self, key: &[u8], value: Vec<u8>) {
        self.values.lock().unwrap().insert(key.to_vec(), value);
    }
}

/// A [`CallbackCache`] over `c`, with a take callback if `atomic`, timed
/// by the returned clock (set to `CREATED`).
fn callback_cache(c: &Cache, atomic: bool) -> (CallbackCache, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(CREATED));
    let callbacks = CacheCallbacks {
        store,
        retrieve,
        remove,
        take: atomic.then_some(take as super::CacheTakeFn),
        user: core::ptr::from_ref(c).cast_mut().cast(),
    };
    // SAFETY: the callbacks above lock the map, so any thread may call
    // them; `c` outlives the cache in every test.
    let cache = unsafe { CallbackCache::new(callbacks, clock.clone()) };
    (cache, clock)
}

/// A TLS 1.2 session made at `CREATED`, tagged by `byte`, with
/// `certificates_len` bytes of client certificate.
fn session(byte: u8, certificates_len: usize) -> ServerSessionState {
    ServerSessionState {
        version: ProtocolVersion::TLSv1_2,
        cipher_suite: CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        secret: Secret::from_slice(&[byte; 48]),
        session_id: SessionId::from_peer(&[byte; 32]).unwrap(),
        extended_master_secret: true,
        encrypt_then_mac: false,
        max_fragment_length: None,
        server_name: Some(b"leaf.p256.test".to_vec()),
        alpn_protocol: None,
        validity: Validity::new(CREATED, LIFETIME_SECS),
        peer_certificates: if certificates_len == 0 {
            Vec::new()
        } else {
            vec![vec![0x30; certificates_len]]
        },
        tls13: None,
        resumption_data: None,
        authenticated: None,
        unknown_fields: Default::default(),
    }
}

const KEY: &[u8] = &[1; 33];

#[test]
fn put_stores_the_encoded_state_with_its_expiry_and_get_decodes_it() {
    let c = Cache::default();
    let (cache, _) = callback_cache(&c, false);
    assert!(cache.put(KEY, session(7, 0)));
    assert_eq!(
        c.value(KEY).unwrap(),
        *session(7, 0).to_bytes().unwrap(),
        "the versioned session format"
    );
    let expires = CREATED.as_secs() + u64::from(LIFETIME_SECS);
    assert_eq!(*c.expires.lock().unwrap(), Some(expires));
    assert_eq!(cache.get(KEY), Some(session(7, 0)));
    assert_eq!(cache.get(KEY), Some(session(7, 0)), "get leaves it");
    assert_eq!(cache.get(&[2; 33]), None, "another key misses");
    assert_eq!(c.calls(), ["store", "retrieve", "retrieve", "retrieve"]);
}

#[test]
fn a_store_callback_that_fails_means_not_stored() {
    let c = Cache {
        refuse_store: true,
        ..Cache::default()
    };
    let (cache, _) = callback_cache(&c, false);
    assert!(!cache.put(KEY, session(7, 0)));
    assert!(
        !cache.put(&[], session(7, 0)),
        "an empty key is never stored"
    );
    assert_eq!(c.calls(), ["store"]);
}

#[test]
fn expired_sessions_are_neither_stored_nor_returned() {
    let c = Cache::default();
    let (cache, clock) = callback_cache(&c, true);
    assert!(cache.put(KEY, session(7, 0)));
    clock.advance(Duration::from_secs(u64::from(LIFETIME_SECS)));
    assert_eq!(cache.get(KEY), None);
    assert_eq!(cache.take(KEY), None);
    assert!(!cache.put(&[2; 33], session(8, 0)));
    assert_eq!(c.calls(), ["store", "retrieve", "take"]);
}

#[test]
fn a_value_that_does_not_decode_is_a_miss() {
    let c = Cache::default();
    let (cache, _) = callback_cache(&c, false);
    let good = session(7, 0).to_bytes().unwrap().to_vec();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 1;
    for bad in [
        flipped,
        good[..good.len() - 1].to_vec(),
        Vec::new(),
        b"not a session".to_vec(),
    ] {
        c.set_value(KEY, bad);
        assert_eq!(cache.get(KEY), None);
        assert_eq!(cache.take(KEY), None);
    }
    c.set_value(KEY, good);
    assert_eq!(cache.get(KEY), Some(session(7, 0)));
}

#[test]
fn a_long_value_is_read_with_a_second_buffer_of_the_size_the_callback_names() {
    let c = Cache::default();
    let (cache, _) = callback_cache(&c, true);
    let long = session(7, 3 * FIRST_RETRIEVE_CAPACITY);
    let len = long.to_bytes().unwrap().len();
    assert!(cache.put(KEY, long.clone()));
    assert_eq!(cache.get(KEY), Some(long.clone()));
    assert_eq!(cache.take(KEY), Some(long));
    assert_eq!(
        *c.capacities.lock().unwrap(),
        [FIRST_RETRIEVE_CAPACITY, len, FIRST_RETRIEVE_CAPACITY, len],
        "the short take left the value for the second"
    );
    assert_eq!(c.value(KEY), None);
}

#[test]
fn sessions_longer_than_the_maximum_are_not_stored_or_read() {
    let c = Cache::default();
    let (cache, _) = callback_cache(&c, false);
    assert!(!cache.put(KEY, session(7, MAX_CACHE_DATA_SIZE)));
    assert!(c.calls().is_empty(), "the store callback is not called");
    // Written by someone else: the callback names a length past the
    // maximum, which is not asked for.
    c.set_value(KEY, vec![0; MAX_CACHE_DATA_SIZE + 1]);
    assert_eq!(cache.get(KEY), None);
    assert_eq!(*c.capacities.lock().unwrap(), [FIRST_RETRIEVE_CAPACITY]);
}

#[test]
fn a_callback_claiming_more_than_its_buffer_is_a_miss() {
    let c = Cache {
        claim_size: Some(FIRST_RETRIEVE_CAPACITY + 1),
        ..Cache::default()
    };
    let (cache, _) = callback_cache(&c, true);
    assert_eq!(cache.get(KEY), None);
    assert_eq!(cache.take(KEY), None);
    assert_eq!(c.calls(), ["retrieve", "take"], "no second call either");
}

#[test]
fn take_without_a_take_callback_is_retrieve_then_remove() {
    let c = Cache::default();
    let (cache, _) = callback_cache(&c, false);
    assert!(cache.put(KEY, session(7, 0)));
    assert_eq!(cache.take(KEY), Some(session(7, 0)));
    assert_eq!(cache.take(KEY), None, "used once");
    assert_eq!(c.calls(), ["store", "retrieve", "remove", "retrieve"]);
}

#[test]
fn take_refuses_the_session_when_the_remove_fails() {
    let c = Cache {
        refuse_remove: true,
        ..Cache::default()
    };
    let (cache, _) = callback_cache(&c, false);
    assert!(cache.put(KEY, session(7, 0)));
    assert_eq!(cache.take(KEY), None, "single use could not be ensured");
    assert_eq!(c.calls(), ["store", "retrieve", "remove"]);
}

#[test]
fn take_with_a_take_callback_is_one_atomic_call() {
    let c = Cache::default();
    let (cache, _) = callback_cache(&c, true);
    assert!(cache.put(KEY, session(7, 0)));
    assert_eq!(cache.take(KEY), Some(session(7, 0)));
    assert_eq!(cache.take(KEY), None, "used once");
    assert_eq!(c.calls(), ["store", "take", "take"]);
}
