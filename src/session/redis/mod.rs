//! Fleet-wide session state on Redis (feature `redis`, design §3): the
//! server session store ([`store`]), the ticket keys ([`ticket_keys`])
//! and the 0-RTT ClientHello record ([`anti_replay`]) shared by every
//! server of a fleet, so a client resumes on any instance and single-use
//! stays single-use across them. What they write is sealed under the
//! operator's fleet key ([`sealed`]).
//!
//! Redis is an optimisation, never a dependency of a handshake: every
//! command runs under a short timeout, and a timeout, an error or a
//! refused connection reads as a miss (a full handshake) or, for the
//! anti-replay record, as unrecorded (0-RTT rejected). After a failure
//! the connection skips Redis for a back-off period, so a dead Redis
//! costs one timeout per period rather than one per handshake, then
//! tries again and recovers by itself.
//!
//! This module holds the part all three share: [`RedisConnection`], a
//! small pool of synchronous connections (the `redis` crate's, no async
//! runtime) with those timeouts, the back-off, a key prefix, a failure
//! count and an optional failure callback.

pub mod anti_replay;
pub mod sealed;
pub mod store;
pub mod ticket_keys;

pub use sealed::FLEET_KEY_LEN;

use crate::error::{Error, InvalidRequestReason};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How long connecting to Redis, and each command's write and read, may
/// take by default. A lookup on loopback or in one data centre takes well
/// under a millisecond; a Redis slower than this is treated as down, so a
/// handshake waits at most about this long for it (it costs the client a
/// full handshake, not a failure).
pub const DEFAULT_REDIS_TIMEOUT: Duration = Duration::from_millis(50);

/// How long Redis is skipped after a failure by default: a dead or
/// unreachable Redis then costs one [`DEFAULT_REDIS_TIMEOUT`] per second
/// instead of one per handshake, and a Redis that returns is used again
/// within a second.
pub const DEFAULT_REDIS_BACKOFF: Duration = Duration::from_secs(1);

/// How many idle connections are kept for reuse. Each command borrows one
/// (or opens one) and returns it; connections beyond this are closed, so
/// a burst of concurrent handshakes does not leave a burst of sockets.
pub const MAX_IDLE_REDIS_CONNECTIONS: usize = 16;

/// The key prefix when none is configured: keeps ferrotls's keys apart
/// from an application's in a shared Redis database.
pub const DEFAULT_REDIS_PREFIX: &str = "ferrotls:";

/// A failed Redis command, as handed to the failure callback: which
/// operation failed and the client's description of why (an I/O error,
/// a timeout, a Redis error reply). It never holds keys or values.
#[derive(Clone, Debug)]
pub struct RedisFailure {
    /// What was being done: `"connect"`, the store's `"get"`, `"put"`
    /// or `"take"`, `"anti-replay"`, or the ticket keys' `"ticket-keys
    /// get"`, `"ticket-keys lease"` or `"ticket-keys write"`.
    pub operation: &'static str,
    /// Why it failed.
    pub reason: String,
}

impl core::fmt::Display for RedisFailure {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "redis {}: {}", self.operation, self.reason)
    }
}

/// What is told of each failure (for example, written to a log).
pub type RedisFailureCallback = Arc<dyn Fn(&RedisFailure) + Send + Sync>;

/// A shared handle on one Redis server: the URL's address and database,
/// the timeouts, the back-off after a failure and the key prefix. Safe
/// to use from many connections at once; cheap to clone (clones share
/// the pool, the back-off and the counters).
#[derive(Clone)]
pub struct RedisConnection {
    inner: Arc<Inner>,
}

struct Inner {
    client: redis::Client,
    prefix: Vec<u8>,
    timeout: Duration,
    backoff: Duration,
    idle: Mutex<Vec<redis::Connection>>,
    /// Until when Redis is skipped, after a failure.
    skip_until: Mutex<Option<Instant>>,
    failures: AtomicU64,
    skipped: AtomicU64,
    on_failure: Option<RedisFailureCallback>,
}

impl RedisConnection {
    /// A handle on the Redis server at `url`
    /// (`redis://[:PASSWORD@]HOST[:PORT][/DB]`, parsed by the `redis`
    /// crate), with [`DEFAULT_REDIS_PREFIX`], [`DEFAULT_REDIS_TIMEOUT`]
    /// and [`DEFAULT_REDIS_BACKOFF`]. Nothing is connected yet: Redis
    /// need not be up, the first command connects.
    ///
    /// Fails with [`InvalidRequestReason::RedisUrl`] when the URL does not
    /// parse (the error does not repeat it, since it may hold a password).
    pub fn open(url: &str) -> Result<Self, Error> {
        let client = redis::Client::open(url)
            .map_err(|_| Error::InvalidRequest(InvalidRequestReason::RedisUrl))?;
        Ok(Self::with_settings(
            client,
            DEFAULT_REDIS_PREFIX.as_bytes().to_vec(),
            DEFAULT_REDIS_TIMEOUT,
            DEFAULT_REDIS_BACKOFF,
            None,
        ))
    }

    fn with_settings(
        client: redis::Client,
        prefix: Vec<u8>,
        timeout: Duration,
        backoff: Duration,
        on_failure: Option<RedisFailureCallback>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                prefix,
                timeout,
                backoff,
                idle: Mutex::new(Vec::new()),
                skip_until: Mutex::new(None),
                failures: AtomicU64::new(0),
                skipped: AtomicU64::new(0),
                on_failure,
            }),
        }
    }

    fn rebuilt(self, f: impl FnOnce(&mut Settings)) -> Self {
        let mut settings = Settings {
            prefix: self.inner.prefix.clone(),
            timeout: self.inner.timeout,
            backoff: self.inner.backoff,
            on_failure: self.inner.on_failure.clone(),
        };
        f(&mut settings);
        Self::with_settings(
            self.inner.client.clone(),
            settings.prefix,
            settings.timeout,
            settings.backoff,
            settings.on_failure,
        )
    }

    /// The same server with every key prefixed by `prefix` (so several
    /// fleets, or a fleet and an application, can share one database).
    pub fn with_prefix(self, prefix: &str) -> Self {
        self.rebuilt(|s| s.prefix = prefix.as_bytes().to_vec())
    }

    /// The same server with `timeout` for connecting and for each
    /// command's write and read (at least 1 ms: the socket API takes no
    /// zero timeout).
    pub fn with_timeout(self, timeout: Duration) -> Self {
        self.rebuilt(|s| s.timeout = timeout.max(Duration::from_millis(1)))
    }

    /// The same server, skipped for `backoff` after each failure.
    pub fn with_backoff(self, backoff: Duration) -> Self {
        self.rebuilt(|s| s.backoff = backoff)
    }

    /// The same server, calling `on_failure` on each failed command
    /// (commands skipped during the back-off are only counted).
    pub fn on_failure(self, on_failure: RedisFailureCallback) -> Self {
        self.rebuilt(|s| s.on_failure = Some(on_failure))
    }

    /// How many commands have failed (connect, I/O, timeout or an error
    /// reply) since this handle was made.
    pub fn failures(&self) -> u64 {
        self.inner.failures.load(Ordering::Relaxed)
    }

    /// How many commands were not sent because Redis was being skipped
    /// after a failure.
    pub fn skipped(&self) -> u64 {
        self.inner.skipped.load(Ordering::Relaxed)
    }

    /// The Redis key for `parts`, after the prefix.
    pub(crate) fn key(&self, parts: &[&[u8]]) -> Vec<u8> {
        let mut key = self.inner.prefix.clone();
        for part in parts {
            key.extend_from_slice(part);
        }
        key
    }

    /// Runs `command` on a pooled connection, or on a new one. `None`
    /// when Redis is being skipped or the command fails; a failure is
    /// counted, told to the callback, drops the connection and starts the
    /// back-off. A pooled connection that Redis closed (it restarted, or
    /// dropped idle clients) is not a failure: the command is sent again
    /// on a new connection.
    pub(crate) fn run<T>(
        &self,
        operation: &'static str,
        command: impl Fn(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Option<T> {
        let inner = &self.inner;
        if lock(&inner.skip_until).is_some_and(|until| Instant::now() < until) {
            inner.skipped.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        let pooled = lock(&inner.idle).pop();
        let result = match pooled.map(|mut connection| (command(&mut connection), connection)) {
            Some((Err(e), _)) if e.is_connection_dropped() => self.run_on_new(&command),
            Some((result, connection)) => result
                .map(|value| (value, connection))
                .map_err(|e| (None, e)),
            None => self.run_on_new(&command),
        };
        match result {
            Ok((value, connection)) => {
                let mut idle = lock(&inner.idle);
                if idle.len() < MAX_IDLE_REDIS_CONNECTIONS {
                    idle.push(connection);
                }
                Some(value)
            }
            Err((failed, e)) => {
                self.failed(failed.unwrap_or(operation), &e);
                None
            }
        }
    }

    /// Runs `command` on a new connection; on failure, which step failed
    /// (`Some("connect")`, or `None` for the command) and why.
    fn run_on_new<T>(
        &self,
        command: &impl Fn(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<(T, redis::Connection), (Option<&'static str>, redis::RedisError)> {
        let mut connection = self.connect().map_err(|e| (Some("connect"), e))?;
        let value = command(&mut connection).map_err(|e| (None, e))?;
        Ok((value, connection))
    }

    fn connect(&self) -> redis::RedisResult<redis::Connection> {
        let timeout = Some(self.inner.timeout);
        let connection = self
            .inner
            .client
            .get_connection_with_timeout(self.inner.timeout)?;
        connection.set_read_timeout(timeout)?;
        connection.set_write_timeout(timeout)?;
        Ok(connection)
    }

    fn failed(&self, operation: &'static str, error: &redis::RedisError) {
        let inner = &self.inner;
        inner.failures.fetch_add(1, Ordering::Relaxed);
        *lock(&inner.skip_until) = Instant::now().checked_add(inner.backoff);
        // The pooled connections went to the same server: likely broken.
        lock(&inner.idle).clear();
        if let Some(on_failure) = &inner.on_failure {
            on_failure(&RedisFailure {
                operation,
                reason: error.to_string(),
            });
        }
    }
}

impl core::fmt::Debug for RedisConnection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Not the URL: it may hold a password.
        f.debug_struct("RedisConnection")
            .field("prefix", &String::from_utf8_lossy(&self.inner.prefix))
            .field("timeout", &self.inner.timeout)
            .field("backoff", &self.inner.backoff)
            .field("failures", &self.failures())
            .finish_non_exhaustive()
    }
}

struct Settings {
    prefix: Vec<u8>,
    timeout: Duration,
    backoff: Duration,
    on_failure: Option<RedisFailureCallback>,
}

/// Locks `m`; a poisoned lock is taken over, since nothing here panics
/// while holding one and the data stays consistent.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}
