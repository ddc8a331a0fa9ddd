//! A server session cache kept by C: a [`ServerSessionStore`] whose
//! `put`, `get` and `take` call the store, retrieve and remove (and
//! optionally take) callbacks a C program hands to
//! `ferrotls_server_config_set_session_cache`, as GnuTLS's
//! `gnutls_db_set_store_function`, `gnutls_db_set_retrieve_function`,
//! `gnutls_db_set_remove_function` and `gnutls_db_set_ptr` do. With it, a
//! C server keeps its TLS ≤1.2 sessions (by session ID) and its TLS 1.3
//! stateful tickets in any cache it likes: shared memory, memcached, a
//! database.
//!
//! Values cross the boundary as bytes in the versioned session format
//! (`ServerSessionState::to_bytes`, `docs/session-format.md`). What comes
//! back from C is untrusted: ferrotls reads it only within the buffer it
//! lent, at most [`MAX_CACHE_DATA_SIZE`] bytes, and decodes it with the
//! normal session decoder; a value that does not decode, or has expired,
//! is a miss, which means a full handshake, never a failed connection.

use core::ffi::{c_int, c_void};
use std::sync::Arc;

use ferrotls::{Clock, ServerSessionState, ServerSessionStore};
use zeroize::Zeroizing;

use super::Code;

/// `ferrotls_cache_store_fn`: keeps the `data_size` bytes at `data` under
/// the `key_size` bytes at `key` until `expires` (seconds since the Unix
/// epoch), replacing any value there. Returns 0 when stored; anything
/// else means it was not (the session is then not resumable).
pub type CacheStoreFn = unsafe extern "C" fn(
    user: *mut c_void,
    key: *const c_void,
    key_size: usize,
    data: *const c_void,
    data_size: usize,
    expires: u64,
) -> c_int;

/// `ferrotls_cache_retrieve_fn`: copies the value under `key` to `data`,
/// whose capacity is `*data_size`, and sets `*data_size` to its length;
/// returns 0. A value longer than the capacity: `*data_size` set to its
/// length, `FERROTLS_E_SHORT_MEMORY_BUFFER`. Anything else is a miss.
pub type CacheRetrieveFn = unsafe extern "C" fn(
    user: *mut c_void,
    key: *const c_void,
    key_size: usize,
    data: *mut c_void,
    data_size: *mut usize,
) -> c_int;

/// `ferrotls_cache_remove_fn`: removes the value under `key`. Returns 0
/// when no value is left under it (removed, or there was none).
pub type CacheRemoveFn =
    unsafe extern "C" fn(user: *mut c_void, key: *const c_void, key_size: usize) -> c_int;

/// `ferrotls_cache_take_fn`: [`CacheRetrieveFn`] that also removes the
/// value it returns, atomically, so that of two callers only one gets it;
/// on `FERROTLS_E_SHORT_MEMORY_BUFFER` it leaves the value in place.
pub type CacheTakeFn = CacheRetrieveFn;

/// The longest value ferrotls stores in or reads from a C cache: a session
/// whose client certificate chain fills the default bound on a
/// Certificate message, `DEFAULT_MAX_CERTIFICATE_MESSAGE_SIZE` (64 KiB),
/// plus 4 KiB for the session's other fields (secret, identifiers, server
/// name and ALPN protocol of at most 255 bytes each, times, field
/// headers). A longer session is not stored, so it is not resumable; a
/// longer value read back is a miss. `FERROTLS_CACHE_MAX_DATA_SIZE` in C.
pub const MAX_CACHE_DATA_SIZE: usize = 64 * 1024 + 4 * 1024;

/// The capacity of the first buffer a retrieve or take callback is given:
/// a session without client certificates encodes to a few hundred bytes,
/// so a longer value is rare and costs one more call (the callback says
/// how long it is, up to [`MAX_CACHE_DATA_SIZE`]).
pub const FIRST_RETRIEVE_CAPACITY: usize = 2048;

/// The callbacks and the user pointer a C program gave.
#[derive(Clone, Copy)]
pub struct CacheCallbacks {
    /// Keeps a value.
    pub store: CacheStoreFn,
    /// Reads a value, leaving it in place.
    pub retrieve: CacheRetrieveFn,
    /// Removes a value.
    pub remove: CacheRemoveFn,
    /// Reads and removes a value atomically; without it, a take is a
    /// retrieve then a remove.
    pub take: Option<CacheTakeFn>,
    /// Passed to every callback as its first argument.
    pub user: *mut c_void,
}

/// A [`ServerSessionStore`] kept by C callbacks, timed by a clock.
pub struct CallbackCache {
    callbacks: CacheCallbacks,
    clock: Arc<dyn Clock>,
}

// SAFETY: the caller of `ferrotls_server_config_set_session_cache`
// guarantees (and the header says) that the callbacks may be called from
// any thread, concurrently, with `user`, for as long as the configuration
// or a connection made from it lives; the callbacks are plain function
// pointers and `user` is only ever passed back to them.
unsafe impl Send for CallbackCache {}
// SAFETY: as for `Send`: every use through `&self` is a call of a
// callback the C program made safe to call concurrently.
unsafe impl Sync for CallbackCache {}

impl CallbackCache {
    /// A cache kept by `callbacks`; `clock` says when sessions expire.
    ///
    /// # Safety
    /// The callbacks must be safe to call from any thread, concurrently,
    /// with `callbacks.user` and the arguments their types describe, for
    /// as long as this value lives.
    pub unsafe fn new(callbacks: CacheCallbacks, clock: Arc<dyn Clock>) -> Self {
        Self { callbacks, clock }
    }

    /// The value under `key` as `read` (retrieve or take) returns it, in a
    /// buffer wiped on drop (it holds the session's secret); `None` on a
    /// miss. A callback that claims more than the buffer it was lent
    /// without saying `FERROTLS_E_SHORT_MEMORY_BUFFER` has misbehaved:
    /// also a miss.
    fn read(&self, read: CacheRetrieveFn, key: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let mut capacity = FIRST_RETRIEVE_CAPACITY;
        // The first call, and one more if the value is longer than the
        // first buffer.
        for _ in 0..2 {
            let mut data = Zeroizing::new(vec![0u8; capacity]);
            let mut size = capacity;
            // SAFETY: `read` is callable with `user` per `new`'s caller;
            // `key` is valid for `key.len()` bytes of reads, `data` for
            // `capacity` bytes of writes, `size` for reads and writes.
            let rc = unsafe {
                read(
                    self.callbacks.user,
                    key.as_ptr().cast(),
                    key.len(),
                    data.as_mut_ptr().cast(),
                    &mut size,
                )
            };
            match rc {
                0 if size <= capacity => {
                    data.truncate(size);
                    return Some(data);
                }
                rc if rc == Code::ShortMemoryBuffer.value()
                    && size > capacity
                    && size <= MAX_CACHE_DATA_SIZE =>
                {
                    capacity = size;
                }
                _ => return None,
            }
        }
        None
    }

    /// The state in `bytes` if it decodes and has not expired.
    fn decode(&self, bytes: &[u8]) -> Option<ServerSessionState> {
        let state = ServerSessionState::from_bytes(bytes).ok()?;
        (!state.is_expired(self.clock.now())).then_some(state)
    }
}

impl ServerSessionStore for CallbackCache {
    fn put(&self, key: &[u8], state: ServerSessionState) -> bool {
        if key.is_empty() || state.is_expired(self.clock.now()) {
            return false;
        }
        let Ok(data) = state.to_bytes() else {
            return false;
        };
        if data.len() > MAX_CACHE_DATA_SIZE {
            return false;
        }
        let expires = state.validity.expires_at().as_secs();
        // SAFETY: `store` is callable with `user` per `new`'s caller; `key`
        // and `data` are valid for their lengths of reads.
        let rc = unsafe {
            (self.callbacks.store)(
                self.callbacks.user,
                key.as_ptr().cast(),
                key.len(),
                data.as_ptr().cast(),
                data.len(),
                expires,
            )
        };
        rc == 0
    }

    fn get(&self, key: &[u8]) -> Option<ServerSessionState> {
        let data = self.read(self.callbacks.retrieve, key)?;
        self.decode(&data)
    }

    /// With a take callback, one atomic call. Without, a retrieve then a
    /// remove: if the remove fails, single use cannot be promised, so the
    /// state is not handed out (a full handshake instead). Between the two
    /// calls another connection may retrieve the same value; only a take
    /// callback closes that gap (RFC 8446 §8.1).
    fn take(&self, key: &[u8]) -> Option<ServerSessionState> {
        let Some(take) = self.callbacks.take else {
            let state = self.get(key)?;
            // SAFETY: `remove` is callable with `user` per `new`'s caller;
            // `key` is valid for `key.len()` bytes of reads.
            let rc = unsafe {
                (self.callbacks.remove)(self.callbacks.user, key.as_ptr().cast(), key.len())
            };
            return (rc == 0).then_some(state);
        };
        let data = self.read(take, key)?;
        self.decode(&data)
    }
}

#[cfg(test)]
mod tests;
