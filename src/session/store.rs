//! Session stores (design §3): the server's, keyed by session ID or ticket
//! identity, and the client's, keyed by server name. Both are traits so
//! applications can share a cache (across threads, processes or hosts);
//! the defaults here are in memory, bounded, least-recently-used and
//! expiring, and are safe to share between connections (`Send + Sync`,
//! interior mutability).

use crate::crypto::secret::{Secret, INLINE_SECRET_LEN};
use crate::msgs::enums::NamedGroup;
use crate::msgs::hello::MAX_SESSION_ID_SIZE;
use crate::session::lru::LruMap;
use crate::session::state::{
    ClientSessionTls12, ClientTicketTls13, ServerSessionState, DEFAULT_LIFETIME_SECS,
    MAX_LIFETIME_SECS,
};
use crate::time::{Clock, UnixTime};
use core::time::Duration;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// How many sessions [`InMemoryServerStore::new`] keeps before evicting
/// the least recently used. Not an RFC limit (RFC 5246 §7.4.1.2 leaves the
/// cache to the implementation); chosen to bound memory at a few MiB.
pub const DEFAULT_SERVER_STORE_CAPACITY: usize = 1024;

/// How many server names [`InMemoryClientStore::new`] keeps sessions for
/// before evicting the least recently used. Not an RFC limit.
pub const DEFAULT_CLIENT_STORE_SERVERS: usize = 256;

/// How many TLS 1.3 tickets the client keeps per server name; older ones
/// are dropped first. RFC 8446 §4.6.1 lets a server send any number of
/// tickets; each is used once, and ferrotls servers send 2 by default
/// (design §3), so a few suffice.
pub const MAX_TICKETS_PER_SERVER: usize = 8;

/// The longest key [`InMemoryServerStore`] accepts: a TLS 1.3 ticket
/// identity, `opaque identity<1..2^16-1>` (RFC 8446 §4.2.11). Session IDs
/// are at most 32 bytes.
pub const MAX_SERVER_STORE_KEY_LEN: usize = 0xffff;

/// What a server store key names. One store may serve both the TLS ≤1.2
/// session-ID cache and TLS 1.3 stateful tickets (the configuration's
/// default), and both identifiers travel in clear, so each key starts
/// with its kind: a session ID offered as a PSK identity (RFC 8446
/// §4.2.11) then never finds, let alone takes, a TLS ≤1.2 session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum StoreKeyKind {
    /// A TLS ≤1.2 session ID (RFC 5246 §7.4.1.2).
    Tls12SessionId = 1,
    /// A TLS 1.3 stateful ticket's identity (RFC 8446 §4.6.1).
    Tls13Ticket = 2,
}

/// The longest identifier a server store key holds inline, without
/// allocating: a TLS ≤1.2 session ID is at most 32 bytes (RFC 5246
/// §7.4.1.2), and the TLS 1.3 stateful ticket identities this server
/// issues are 32 bytes too. Longer identities (a store shared with other
/// issuers may hold them, up to [`MAX_SERVER_STORE_KEY_LEN`]) go on the heap.
pub const MAX_INLINE_STORE_ID_LEN: usize = MAX_SESSION_ID_SIZE;

/// A server store key: the kind's byte, then the identifier; held inline
/// up to [`MAX_INLINE_STORE_ID_LEN`] so the usual lookups allocate
/// nothing. Dereferences to the key's bytes, which the
/// [`ServerSessionStore`] methods take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreKey {
    /// A key of at most `1 + MAX_INLINE_STORE_ID_LEN` bytes.
    Inline {
        /// The key's bytes, then zeros.
        bytes: [u8; 1 + MAX_INLINE_STORE_ID_LEN],
        /// How many of `bytes` are the key.
        len: usize,
    },
    /// A longer key.
    Heap(Vec<u8>),
}

impl core::ops::Deref for StoreKey {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Self::Inline { bytes, len } => bytes.get(..*len).unwrap_or_default(),
            Self::Heap(bytes) => bytes,
        }
    }
}

/// The key the handshakes use in a [`ServerSessionStore`] for identifier
/// `id` of `kind`: the kind's byte, then `id`. `None` for an empty `id`,
/// which names no session (RFC 5246 §7.4.1.2). This is the only place
/// keys are made.
pub fn store_key(kind: StoreKeyKind, id: &[u8]) -> Option<StoreKey> {
    if id.is_empty() {
        return None;
    }
    let mut bytes = [0; 1 + MAX_INLINE_STORE_ID_LEN];
    let [first, rest @ ..] = &mut bytes;
    let Some(inline) = rest.get_mut(..id.len()) else {
        let mut key = Vec::with_capacity(1 + id.len());
        key.push(kind as u8);
        key.extend_from_slice(id);
        return Some(StoreKey::Heap(key));
    };
    inline.copy_from_slice(id);
    *first = kind as u8;
    Some(StoreKey::Inline {
        bytes,
        len: 1 + id.len(),
    })
}

/// A server's store of resumable sessions: TLS ≤1.2 sessions by session
/// ID, TLS 1.3 sessions by ticket identity when tickets are stateful.
///
/// Implementations must be safe to call from many connections at once and
/// must never return a session whose lifetime is over. Failure to store is
/// not an error: the session is simply not resumable.
///
/// Keys are opaque byte strings, equal only when byte for byte equal. The
/// handshakes make them with [`store_key`], whose first byte keeps session
/// IDs and ticket identities apart; an implementation must keep the whole
/// key (never strip, truncate or case-fold it), or the namespaces merge.
pub trait ServerSessionStore: Send + Sync {
    /// Stores `state` under `key`, replacing what was there. Returns
    /// whether it was stored; an empty key is never stored, since an empty
    /// session ID offers no resumption (RFC 5246 §7.4.1.2).
    fn put(&self, key: &[u8], state: ServerSessionState) -> bool;

    /// The state stored under `key`, left in the store (TLS ≤1.2 sessions
    /// may be resumed many times).
    fn get(&self, key: &[u8]) -> Option<ServerSessionState>;

    /// The state stored under `key`, removed from the store, so it is used
    /// at most once (TLS 1.3 tickets, required for 0-RTT anti-replay,
    /// RFC 8446 §8.1).
    fn take(&self, key: &[u8]) -> Option<ServerSessionState>;
}

/// The stored TLS ≤ 1.2 session that a fatal alert on its connection,
/// sent or received, invalidates (RFC 5246 §7.2.2: "the session
/// identifier MUST be invalidated, preventing the failed session from
/// being used to establish new connections"). A handshake names it once
/// the session is stored or resumed; the connection forgets it if it
/// fails from then on, the handshake's last messages included. A ticket
/// already sent cannot be recalled (its state travels in it, RFC 5077),
/// but the client that holds it forgets it too.
pub(crate) enum FailedSession {
    /// A server's cached session, under its key.
    Server(Arc<dyn ServerSessionStore>, StoreKey),
    /// A client's session for a server name, known by its mark: another
    /// connection may have stored a newer session under the name since,
    /// which the failure does not concern.
    Client(Arc<dyn ClientSessionStore>, String, Tls12SessionMark),
}

impl FailedSession {
    /// Removes the session from its store.
    pub(crate) fn forget(self) {
        match self {
            Self::Server(cache, key) => {
                cache.take(&key);
            }
            Self::Client(store, server_name, mark) => {
                store.remove_tls12_if(&server_name, &|session| mark.marks(session))
            }
        }
    }
}

/// What tells a client's TLS ≤1.2 session apart without holding it: the
/// first [`INLINE_SECRET_LEN`] bytes of its master secret (48 bytes of
/// PRF output, RFC 5246 §8.1), kept inline so that marking a session
/// allocates nothing, and compared in constant time.
pub(crate) struct Tls12SessionMark(Secret);

impl Tls12SessionMark {
    /// The mark of the session with `master_secret`.
    pub(crate) fn of(master_secret: &Secret) -> Self {
        let bytes = master_secret.as_bytes();
        Self(Secret::from_slice(
            bytes.get(..INLINE_SECRET_LEN).unwrap_or(bytes),
        ))
    }

    fn marks(&self, session: &ClientSessionTls12) -> bool {
        Self::of(&session.master_secret).0 == self.0
    }
}

struct ServerEntry {
    state: ServerSessionState,
    expires: UnixTime,
}

/// The default [`ServerSessionStore`]: in memory, at most `capacity`
/// sessions, least recently used evicted first, each entry expiring at the
/// end of the session's own lifetime or the store's, whichever is first.
pub struct InMemoryServerStore {
    entries: Mutex<LruMap<Vec<u8>, ServerEntry>>,
    clock: Arc<dyn Clock>,
    lifetime: Duration,
}

impl InMemoryServerStore {
    /// A store of [`DEFAULT_SERVER_STORE_CAPACITY`] sessions kept at most
    /// [`DEFAULT_LIFETIME_SECS`], timed by `clock`.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self::with_limits(DEFAULT_SERVER_STORE_CAPACITY, DEFAULT_LIFETIME_SECS, clock)
    }

    /// A store of at most `capacity` sessions (at least 1) kept at most
    /// `lifetime_secs` seconds, capped at [`MAX_LIFETIME_SECS`].
    pub fn with_limits(capacity: usize, lifetime_secs: u32, clock: Arc<dyn Clock>) -> Self {
        Self {
            entries: Mutex::new(LruMap::new(capacity)),
            clock,
            lifetime: Duration::from_secs(u64::from(lifetime_secs.min(MAX_LIFETIME_SECS))),
        }
    }

    /// How many sessions are held, expired ones not yet dropped included.
    pub fn len(&self) -> usize {
        lock(&self.entries).len()
    }

    /// Whether the store holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Locks `m`; a poisoned lock is taken over, since no operation here
/// panics while holding it and the data stays consistent.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ServerSessionStore for InMemoryServerStore {
    fn put(&self, key: &[u8], state: ServerSessionState) -> bool {
        let now = self.clock.now();
        let expires = state
            .validity
            .expires_at()
            .min(now.saturating_add(self.lifetime));
        if key.is_empty() || key.len() > MAX_SERVER_STORE_KEY_LEN || expires <= now {
            return false;
        }
        let mut entries = lock(&self.entries);
        // Drop expired entries from the cold end first, so a full store
        // evicts dead sessions before live ones (amortised O(1)).
        while entries
            .peek_oldest()
            .is_some_and(|(_, entry)| entry.expires <= now)
        {
            entries.pop_oldest();
        }
        entries.insert(key.to_vec(), ServerEntry { state, expires });
        true
    }

    fn get(&self, key: &[u8]) -> Option<ServerSessionState> {
        let now = self.clock.now();
        let mut entries = lock(&self.entries);
        let entry = entries.get_mut(key)?;
        if entry.expires <= now {
            entries.remove(key);
            return None;
        }
        Some(entry.state.clone())
    }

    fn take(&self, key: &[u8]) -> Option<ServerSessionState> {
        let now = self.clock.now();
        let entry = lock(&self.entries).remove(key)?;
        (entry.expires > now).then_some(entry.state)
    }
}

/// A client's store of resumable sessions, keyed by the server name it
/// connects to. TLS ≤1.2 sessions and TLS 1.3 tickets are kept apart: a
/// 1.3 ticket has no comparable session ID and is used once (design §3).
///
/// Implementations must be safe to call from many connections at once and
/// must never return an expired session or ticket. Sessions and tickets
/// are immutable once made and travel as [`Arc`]s, so keeping one, handing
/// it to a connection and recording it for export share one copy.
pub trait ClientSessionStore: Send + Sync {
    /// Keeps `session` as the TLS ≤1.2 session for `server_name`,
    /// replacing the previous one.
    fn put_tls12(&self, server_name: &str, session: Arc<ClientSessionTls12>);

    /// The TLS ≤1.2 session for `server_name`, left in the store.
    fn get_tls12(&self, server_name: &str) -> Option<Arc<ClientSessionTls12>>;

    /// Forgets the TLS ≤1.2 session for `server_name` (for example after
    /// the server refused to resume it).
    fn remove_tls12(&self, server_name: &str);

    /// Forgets the TLS ≤1.2 session for `server_name` only if `is_it`
    /// says it is the one meant: a connection that failed forgets its
    /// own session, which RFC 5246 §7.2.2 invalidates, and not a newer
    /// one another connection has stored under the name since. This
    /// provided version reads, then removes; a store that connections on
    /// several threads share should do both under one lock, as
    /// [`InMemoryClientStore`] does.
    fn remove_tls12_if(&self, server_name: &str, is_it: &dyn Fn(&ClientSessionTls12) -> bool) {
        if self
            .get_tls12(server_name)
            .is_some_and(|session| is_it(&session))
        {
            self.remove_tls12(server_name);
        }
    }

    /// Adds a TLS 1.3 ticket for `server_name`.
    fn add_tls13_ticket(&self, server_name: &str, ticket: Arc<ClientTicketTls13>);

    /// Removes and returns the newest unexpired TLS 1.3 ticket for
    /// `server_name`; a ticket is handed out once.
    fn take_tls13_ticket(&self, server_name: &str) -> Option<Arc<ClientTicketTls13>>;

    /// Remembers the group of the key exchange `server_name` completed a
    /// TLS 1.3 handshake in, so that the next ClientHello to it carries a
    /// key share for that group and needs no HelloRetryRequest (RFC 8446
    /// §4.2.8; see `ClientConfig::key_share_groups`). Provided: remembers
    /// nothing.
    fn set_key_share_hint(&self, server_name: &str, group: NamedGroup) {
        let _ = (server_name, group);
    }

    /// The group [`Self::set_key_share_hint`] remembered for
    /// `server_name`, if any. Provided: none.
    fn key_share_hint(&self, server_name: &str) -> Option<NamedGroup> {
        let _ = server_name;
        None
    }
}

#[derive(Default)]
struct ClientEntry {
    tls12: Option<Arc<ClientSessionTls12>>,
    /// Oldest first.
    tls13: VecDeque<Arc<ClientTicketTls13>>,
    key_share_hint: Option<NamedGroup>,
}

impl ClientEntry {
    fn is_empty(&self) -> bool {
        self.tls12.is_none() && self.tls13.is_empty() && self.key_share_hint.is_none()
    }
}

/// The default [`ClientSessionStore`]: in memory, sessions for at most
/// `servers` server names (least recently used evicted first), at most
/// [`MAX_TICKETS_PER_SERVER`] tickets each, expiry timed by the clock.
pub struct InMemoryClientStore {
    servers: Mutex<LruMap<String, ClientEntry>>,
    clock: Arc<dyn Clock>,
}

impl InMemoryClientStore {
    /// A store for [`DEFAULT_CLIENT_STORE_SERVERS`] server names.
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self::with_capacity(DEFAULT_CLIENT_STORE_SERVERS, clock)
    }

    /// A store for at most `servers` server names (at least 1).
    pub fn with_capacity(servers: usize, clock: Arc<dyn Clock>) -> Self {
        Self {
            servers: Mutex::new(LruMap::new(servers)),
            clock,
        }
    }

    /// Runs `f` on the entry for `server_name`, creating it when `create`,
    /// and drops the entry if `f` leaves it empty.
    fn with_entry<T>(
        &self,
        server_name: &str,
        create: bool,
        f: impl FnOnce(&mut ClientEntry, UnixTime) -> Option<T>,
    ) -> Option<T> {
        let now = self.clock.now();
        let mut servers = lock(&self.servers);
        if create && servers.get_mut(server_name).is_none() {
            servers.insert(server_name.to_owned(), ClientEntry::default());
        }
        let entry = servers.get_mut(server_name)?;
        let result = f(entry, now);
        if entry.is_empty() {
            servers.remove(server_name);
        }
        result
    }
}

impl ClientSessionStore for InMemoryClientStore {
    fn put_tls12(&self, server_name: &str, session: Arc<ClientSessionTls12>) {
        self.with_entry(server_name, true, |entry, _| {
            entry.tls12 = Some(session);
            Some(())
        });
    }

    fn get_tls12(&self, server_name: &str) -> Option<Arc<ClientSessionTls12>> {
        self.with_entry(server_name, false, |entry, now| {
            if entry.tls12.as_ref()?.validity.is_expired(now) {
                entry.tls12 = None;
            }
            entry.tls12.clone()
        })
    }

    fn remove_tls12(&self, server_name: &str) {
        self.with_entry(server_name, false, |entry, _| entry.tls12.take());
    }

    fn remove_tls12_if(&self, server_name: &str, is_it: &dyn Fn(&ClientSessionTls12) -> bool) {
        self.with_entry(server_name, false, |entry, _| {
            entry.tls12.take_if(|session| is_it(session))
        });
    }

    fn add_tls13_ticket(&self, server_name: &str, ticket: Arc<ClientTicketTls13>) {
        self.with_entry(server_name, true, |entry, _| {
            if entry.tls13.len() >= MAX_TICKETS_PER_SERVER {
                entry.tls13.pop_front();
            }
            entry.tls13.push_back(ticket);
            Some(())
        });
    }

    fn take_tls13_ticket(&self, server_name: &str) -> Option<Arc<ClientTicketTls13>> {
        self.with_entry(server_name, false, |entry, now| {
            while let Some(ticket) = entry.tls13.pop_back() {
                if !ticket.validity.is_expired(now) {
                    return Some(ticket);
                }
            }
            None
        })
    }

    fn set_key_share_hint(&self, server_name: &str, group: NamedGroup) {
        self.with_entry(server_name, true, |entry, _| {
            entry.key_share_hint = Some(group);
            Some(())
        });
    }

    fn key_share_hint(&self, server_name: &str) -> Option<NamedGroup> {
        self.with_entry(server_name, false, |entry, _| entry.key_share_hint)
    }
}
