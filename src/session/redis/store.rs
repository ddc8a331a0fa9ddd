//! [`RedisSessionStore`]: a [`ServerSessionStore`] in Redis, shared by a
//! fleet of servers, for TLS ≤1.2 session IDs (RFC 5246 §7.4.1.2) and
//! TLS 1.3 stateful tickets (RFC 8446 §4.6.1).
//!
//! Each session is one Redis string, written with `SET … PX` so Redis
//! drops it when the session's lifetime ends; `take` is `GETDEL`
//! (Redis ≥ 6.2), atomic, so a single-use ticket resumes at most once
//! across all servers (RFC 8446 §8.1). Session IDs and ticket identities
//! live in separate namespaces under the connection's prefix:
//! `PREFIX session-id: HEX(id)` and `PREFIX ticket: HEX(identity)`.
//!
//! Values are the versioned session format (docs/session-format.md),
//! sealed under the fleet key ([`super::sealed`], label
//! [`SESSION_SEAL_LABEL`]) with the Redis key as additional data, so a
//! reader of Redis learns no secret and a value moved to another key does
//! not open. A value that does not open or parse is treated as absent.

use super::sealed::FleetSeal;
use super::RedisConnection;
use crate::crypto::rng::SecureRandom;
use crate::error::Error;
use crate::session::state::{ServerSessionState, MAX_LIFETIME_SECS};
use crate::session::store::{ServerSessionStore, StoreKeyKind, MAX_SERVER_STORE_KEY_LEN};
use crate::time::Clock;
use std::sync::Arc;

/// The HKDF label of the key sessions are sealed with
/// ([`super::sealed`]), apart from the ticket keys'.
const SESSION_SEAL_LABEL: &[u8] = b"ferrotls redis sessions";

/// The namespace of TLS ≤1.2 session IDs, after the prefix.
const SESSION_ID_NAMESPACE: &[u8] = b"session-id:";

/// The namespace of TLS 1.3 stateful ticket identities, after the prefix.
const TICKET_NAMESPACE: &[u8] = b"ticket:";

/// The namespace of keys of any other kind (the store is a trait and
/// takes any key), holding the whole key.
const OTHER_NAMESPACE: &[u8] = b"key:";

/// A [`ServerSessionStore`] in Redis, shared by every server that uses
/// the same Redis, prefix and fleet key. Best-effort: when Redis is slow
/// or down, `put` stores nothing and `get`/`take` find nothing, which
/// costs the client a full handshake and never fails a connection.
pub struct RedisSessionStore {
    connection: RedisConnection,
    seal: FleetSeal,
    clock: Arc<dyn Clock>,
}

impl RedisSessionStore {
    /// A store on `connection`, sealing values under `fleet_key`
    /// ([`super::FLEET_KEY_LEN`] bytes, the same on every server; the
    /// caller's copy is the caller's to wipe), with nonces from `rng` and
    /// expiry timed by `clock`.
    ///
    /// Fails with [`Error::InvalidRequest`] when the key is not
    /// [`super::FLEET_KEY_LEN`] bytes.
    pub fn new(
        connection: RedisConnection,
        fleet_key: &[u8],
        rng: Arc<dyn SecureRandom>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, Error> {
        Ok(Self {
            connection,
            seal: FleetSeal::new(fleet_key, SESSION_SEAL_LABEL, rng)?,
            clock,
        })
    }

    /// The connection this store uses (for its failure counters).
    pub fn connection(&self) -> &RedisConnection {
        &self.connection
    }

    /// The Redis key of store key `key`, or `None` for a key the store
    /// does not hold (empty, or longer than a PSK identity can be).
    fn redis_key(&self, key: &[u8]) -> Option<Vec<u8>> {
        let (kind, id) = key.split_first()?;
        if key.len() > MAX_SERVER_STORE_KEY_LEN {
            return None;
        }
        let (namespace, named) = match *kind {
            k if k == StoreKeyKind::Tls12SessionId as u8 => (SESSION_ID_NAMESPACE, id),
            k if k == StoreKeyKind::Tls13Ticket as u8 => (TICKET_NAMESPACE, id),
            _ => (OTHER_NAMESPACE, key),
        };
        Some(
            self.connection
                .key(&[namespace, hex::encode(named).as_bytes()]),
        )
    }

    /// `state` sealed for `redis_key`.
    fn seal(&self, redis_key: &[u8], state: &ServerSessionState) -> Option<Vec<u8>> {
        let plaintext = state.to_bytes().ok()?;
        self.seal.seal(redis_key, &plaintext).ok()
    }

    /// The state sealed in `value` for `redis_key`, if it opens, parses
    /// and is not expired.
    fn open(&self, redis_key: &[u8], value: &[u8]) -> Option<ServerSessionState> {
        let plaintext = self.seal.open(redis_key, value)?;
        let state = ServerSessionState::decode(plaintext.as_bytes()).ok()?;
        (!state.is_expired(self.clock.now())).then_some(state)
    }
}

impl ServerSessionStore for RedisSessionStore {
    fn put(&self, key: &[u8], state: ServerSessionState) -> bool {
        let Some(redis_key) = self.redis_key(key) else {
            return false;
        };
        let now = self.clock.now();
        let cap = core::time::Duration::from_secs(u64::from(MAX_LIFETIME_SECS));
        let ttl = state.validity.expires_at().saturating_since(now).min(cap);
        let ttl_ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        if ttl_ms == 0 || state.is_expired(now) {
            return false;
        }
        let Some(value) = self.seal(&redis_key, &state) else {
            return false;
        };
        self.connection
            .run("put", |c| {
                redis::cmd("SET")
                    .arg(&redis_key)
                    .arg(&value)
                    .arg("PX")
                    .arg(ttl_ms)
                    .query::<()>(c)
            })
            .is_some()
    }

    fn get(&self, key: &[u8]) -> Option<ServerSessionState> {
        let redis_key = self.redis_key(key)?;
        let value = self.connection.run("get", |c| {
            redis::cmd("GET")
                .arg(&redis_key)
                .query::<Option<Vec<u8>>>(c)
        })??;
        self.open(&redis_key, &value)
    }

    fn take(&self, key: &[u8]) -> Option<ServerSessionState> {
        let redis_key = self.redis_key(key)?;
        let value = self.connection.run("take", |c| {
            redis::cmd("GETDEL")
                .arg(&redis_key)
                .query::<Option<Vec<u8>>>(c)
        })??;
        self.open(&redis_key, &value)
    }
}
