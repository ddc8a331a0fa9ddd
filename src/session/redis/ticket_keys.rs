//! [`RedisTicketKeys`]: ticket keys shared by a fleet of servers through
//! Redis (design §3, "keys rotate on a schedule"; RFC 5077 §5.5, RFC 8446
//! §4.6.1): every instance seals and unseals with the same current and
//! previous key, so a ticket issued by one instance resumes on any other.
//!
//! Redis holds one value, the key set (AEAD, current key, previous key)
//! in the session format of [`RotatingTicketer::export_keys`], sealed
//! under the fleet key ([`super::sealed`], label [`TICKET_KEYS_SEAL_LABEL`]),
//! and a lease while an instance rotates:
//!
//! ```text
//! PREFIX ticket-keys        = SealedValue(key set), AAD = "PREFIX ticket-keys"
//! PREFIX ticket-keys:lease  = the rotating instance's random token
//! ```
//!
//! so a reader of Redis learns no ticket key. Each instance reads the set
//! at most once per refresh interval, on the first seal or unseal after
//! it is due, and unseals with the cached set in between. When the
//! current key is older than the rotation interval, the instance that
//! takes the lease (`SET NX PX`) reads the set again, rotates it (the
//! current key becomes the previous, the previous is dropped) and writes
//! it with a script that checks and releases the lease in one step, so
//! one instance rotates per interval and a late writer whose lease
//! expired writes nothing. Every other instance sees the new set within
//! one refresh interval, and tickets under the previous key keep
//! unsealing until the next rotation.
//!
//! Redis slow or down never fails a handshake: the commands run on the
//! shared [`RedisConnection`] (its timeout, back-off and failure
//! reporting), and the cached keys go on sealing and unsealing. An
//! instance that starts while Redis is down seals with a local random
//! key set: its tickets resume only on itself until Redis returns, and
//! are lost (a full handshake) once it adopts the fleet's set. An
//! instance cut off from Redis for longer than a rotation interval plus
//! [`CACHE_ROTATION_GRACE_REFRESHES`] refresh intervals rotates its
//! cached keys on its own, so no key seals forever.

use super::sealed::FleetSeal;
use super::RedisConnection;
use crate::crypto::rng::{random_array, SecureRandom};
use crate::crypto::secret::Secret;
use crate::error::Error;
use crate::session::ticketer::{
    RotatingTicketer, Ticketer, DEFAULT_TICKET_AEAD, TICKET_KEY_ROTATION_PERIOD,
};
use crate::time::{Clock, UnixTime};
use core::time::Duration;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, TryLockError};
use subtle::ConstantTimeEq;

/// How often an instance reads the key set from Redis: one minute, so a
/// rotation is in use fleet-wide within a minute, and Redis sees one
/// read per instance per minute. Not an RFC value.
pub const DEFAULT_TICKET_KEY_REFRESH_INTERVAL: Duration = Duration::from_secs(60);

/// How long the rotation lease lasts when its holder does not release it
/// (it crashed mid-rotation): 10 seconds, far longer than the two
/// commands a rotation takes, each bounded by the connection's timeout.
pub const TICKET_KEY_LEASE: Duration = Duration::from_secs(10);

/// The length of the random token that names this instance as the lease
/// holder: 16 bytes (128 bits), so two instances never draw the same one
/// and none can release another's lease.
pub const LEASE_TOKEN_LEN: usize = 16;

/// How many refresh intervals past the rotation interval an instance
/// waits for the fleet's rotation before rotating its cached keys on its
/// own (Redis unreachable): 3, one for the lease holder to notice, one
/// for this instance to read the new set, one for clock skew.
pub const CACHE_ROTATION_GRACE_REFRESHES: u32 = 3;

/// The HKDF label of the key the key set is sealed with
/// ([`super::sealed`]), apart from the session store's.
const TICKET_KEYS_SEAL_LABEL: &[u8] = b"ferrotls redis ticket keys";

/// The Redis key of the key set, after the connection's prefix.
const TICKET_KEYS_KEY: &[u8] = b"ticket-keys";

/// The Redis key of the rotation lease, after the connection's prefix.
const TICKET_KEYS_LEASE_KEY: &[u8] = b"ticket-keys:lease";

/// Releases the lease and writes the key set, only if the caller still
/// holds the lease: `KEYS[1]` the lease, `KEYS[2]` the key set,
/// `ARGV[1]` the caller's token, `ARGV[2]` the sealed set. Returns 1 when
/// written, 0 when the lease had passed to another instance.
const WRITE_UNDER_LEASE: &str = "if redis.call('GET', KEYS[1]) == ARGV[1] then \
     redis.call('SET', KEYS[2], ARGV[2]) \
     redis.call('DEL', KEYS[1]) \
     return 1 \
     end \
     return 0";

/// How often [`RedisTicketKeys`] rotates and reads the key set (the
/// prefix, timeout and back-off are the [`RedisConnection`]'s).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RedisTicketKeysSettings {
    /// How long a key seals before the lease holder rotates it (at least
    /// one second); it unseals for one more interval.
    pub rotation_interval: Duration,
    /// How often each instance reads the key set (at least one
    /// millisecond).
    pub refresh_interval: Duration,
}

impl Default for RedisTicketKeysSettings {
    /// [`TICKET_KEY_ROTATION_PERIOD`] and
    /// [`DEFAULT_TICKET_KEY_REFRESH_INTERVAL`].
    fn default() -> Self {
        Self {
            rotation_interval: TICKET_KEY_ROTATION_PERIOD,
            refresh_interval: DEFAULT_TICKET_KEY_REFRESH_INTERVAL,
        }
    }
}

/// Why a refresh did not bring the fleet's keys; the cached keys stay.
enum RefreshFailure {
    /// Redis did not answer, or refused a command.
    Redis,
    /// The stored set does not open under this fleet key (another fleet
    /// key, or altered bytes): left as it is for its owner.
    Unreadable,
    /// Randomness or sealing failed.
    Crypto,
    /// Nothing is stored yet and another instance holds the lease to
    /// store the first set.
    NotYetStored,
    /// The lease expired before this instance wrote its rotated set, and
    /// another instance took it: that one's set arrives at the next
    /// refresh.
    LeaseLost,
}

impl From<Error> for RefreshFailure {
    fn from(_: Error) -> Self {
        Self::Crypto
    }
}

/// A [`Ticketer`] whose keys are shared by every server instance that
/// uses the same Redis, prefix and fleet key (module docs). Safe to share
/// between connections; a server config holds it as its ticketer.
pub struct RedisTicketKeys {
    connection: RedisConnection,
    keys_key: Vec<u8>,
    lease_key: Vec<u8>,
    /// Identifies this instance as the lease holder.
    token: String,
    seal: FleetSeal,
    settings: RedisTicketKeysSettings,
    /// The keys in use: the fleet's once read, local ones before.
    cache: RotatingTicketer,
    /// When the next refresh is due; `None` before the first.
    next_refresh: Mutex<Option<UnixTime>>,
    shared: AtomicBool,
    rng: Arc<dyn SecureRandom>,
    clock: Arc<dyn Clock>,
}

impl RedisTicketKeys {
    /// Ticket keys shared through `connection` (under its prefix), sealed
    /// there under `fleet_key` ([`super::FLEET_KEY_LEN`] bytes, the same
    /// secret on every instance), timed by `clock`. Does not contact
    /// Redis: the first seal or unseal does. Fails with
    /// [`Error::InvalidRequest`] for a fleet key of another length, and
    /// with [`Error::Crypto`] when `rng` fails.
    pub fn new(
        connection: RedisConnection,
        fleet_key: &[u8],
        settings: RedisTicketKeysSettings,
        rng: Arc<dyn SecureRandom>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, Error> {
        let settings = RedisTicketKeysSettings {
            rotation_interval: settings.rotation_interval.max(Duration::from_secs(1)),
            refresh_interval: settings.refresh_interval.max(Duration::from_millis(1)),
        };
        let cache_period = settings.rotation_interval.saturating_add(
            settings
                .refresh_interval
                .saturating_mul(CACHE_ROTATION_GRACE_REFRESHES),
        );
        Ok(Self {
            keys_key: connection.key(&[TICKET_KEYS_KEY]),
            lease_key: connection.key(&[TICKET_KEYS_LEASE_KEY]),
            connection,
            token: hex::encode(random_array::<LEASE_TOKEN_LEN>(rng.as_ref())?),
            seal: FleetSeal::new(fleet_key, TICKET_KEYS_SEAL_LABEL, rng.clone())?,
            cache: RotatingTicketer::with_settings(
                DEFAULT_TICKET_AEAD,
                cache_period,
                rng.clone(),
                clock.clone(),
            )?,
            settings,
            next_refresh: Mutex::new(None),
            shared: AtomicBool::new(false),
            rng,
            clock,
        })
    }

    /// The connection these keys use (for its failure counters).
    pub fn connection(&self) -> &RedisConnection {
        &self.connection
    }

    /// Whether the last refresh reached Redis, so that the keys in use
    /// are the fleet's; `false` before the first refresh and while Redis
    /// is unreachable (the cached keys are then in use).
    pub fn is_shared(&self) -> bool {
        self.shared.load(Ordering::Relaxed)
    }

    /// Reads (and, when due, rotates) the fleet's key set if the refresh
    /// interval is over. One thread refreshes at a time; the others go on
    /// with the cached keys meanwhile.
    fn refresh_if_due(&self) {
        let now = self.clock.now();
        let mut next = match self.next_refresh.try_lock() {
            Ok(next) => next,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return,
        };
        if next.is_some_and(|due| now < due) {
            return;
        }
        *next = Some(now.saturating_add(self.settings.refresh_interval));
        let shared = self.refresh().is_ok();
        self.shared.store(shared, Ordering::Relaxed);
    }

    /// One refresh: reads the fleet's set, rotates it under the lease
    /// when due, and adopts it.
    fn refresh(&self) -> Result<(), RefreshFailure> {
        let stored = self.read()?;
        let successor = self.successor(stored.as_ref())?;
        let unchanged = stored
            .as_ref()
            .is_some_and(|s| bool::from(s.as_bytes().ct_eq(successor.as_bytes())));
        if unchanged {
            return Ok(self.cache.import_keys(successor.as_bytes())?);
        }
        let lease_ms = u64::try_from(TICKET_KEY_LEASE.as_millis()).unwrap_or(u64::MAX);
        let leased = self
            .connection
            .run("ticket-keys lease", |c| {
                redis::cmd("SET")
                    .arg(&self.lease_key)
                    .arg(&self.token)
                    .arg("NX")
                    .arg("PX")
                    .arg(lease_ms)
                    .query::<Option<String>>(c)
            })
            .ok_or(RefreshFailure::Redis)?;
        if leased.is_none() {
            // Another instance rotates; its set arrives at the next refresh.
            return match stored {
                Some(stored) => Ok(self.cache.import_keys(stored.as_bytes())?),
                None => Err(RefreshFailure::NotYetStored),
            };
        }
        // Read again under the lease: another instance may have rotated
        // between the first read and the lease.
        let stored = self.read()?;
        let successor = self.successor(stored.as_ref())?;
        let sealed = self.seal.seal(&self.keys_key, successor.as_bytes())?;
        let written = self
            .connection
            .run("ticket-keys write", |c| {
                redis::cmd("EVAL")
                    .arg(WRITE_UNDER_LEASE)
                    .arg(2)
                    .arg(&self.lease_key)
                    .arg(&self.keys_key)
                    .arg(&self.token)
                    .arg(&sealed)
                    .query::<i64>(c)
            })
            .ok_or(RefreshFailure::Redis)?;
        if written != 1 {
            return Err(RefreshFailure::LeaseLost);
        }
        Ok(self.cache.import_keys(successor.as_bytes())?)
    }

    /// The key set `stored` in Redis after the rotation the clock says is
    /// due (the same set when none is). With nothing stored, this
    /// instance's cached keys become the fleet's first set.
    fn successor(&self, stored: Option<&Secret>) -> Result<Secret, Error> {
        let scratch = RotatingTicketer::with_settings(
            DEFAULT_TICKET_AEAD,
            self.settings.rotation_interval,
            self.rng.clone(),
            self.clock.clone(),
        )?;
        match stored {
            Some(stored) => scratch.import_keys(stored.as_bytes())?,
            None => scratch.import_keys(self.cache.export_keys()?.as_bytes())?,
        }
        scratch.export_keys()
    }

    /// The key set in Redis, opened; `None` when there is none yet.
    fn read(&self) -> Result<Option<Secret>, RefreshFailure> {
        let sealed = self
            .connection
            .run("ticket-keys get", |c| {
                redis::cmd("GET")
                    .arg(&self.keys_key)
                    .query::<Option<Vec<u8>>>(c)
            })
            .ok_or(RefreshFailure::Redis)?;
        match sealed {
            None => Ok(None),
            Some(sealed) => self
                .seal
                .open(&self.keys_key, &sealed)
                .map(Some)
                .ok_or(RefreshFailure::Unreadable),
        }
    }
}

impl Ticketer for RedisTicketKeys {
    fn seal(&self, plaintext: &[u8]) -> Result<Vec<u8>, Error> {
        self.refresh_if_due();
        self.cache.seal(plaintext)
    }

    fn unseal(&self, ticket: &[u8]) -> Option<Secret> {
        self.refresh_if_due();
        self.cache.unseal(ticket)
    }
}
