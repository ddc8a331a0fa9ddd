//! `ferrotls server --session-redis URL`: the session store, the ticket
//! keys and the 0-RTT ClientHello record of a fleet of servers, kept in
//! one Redis (the library's `session::redis`), sealed under the fleet key
//! read from `--fleet-key-file`. Redis failures are logged on stderr by
//! operation and cause (never a key or a value) and never fail a
//! connection.

use crate::args::Options;
use crate::Failure;
use ferrotls::{
    OsRng, RedisAntiReplay, RedisConnection, RedisFailure, RedisSessionStore, RedisTicketKeys,
    RedisTicketKeysSettings, SystemClock, FLEET_KEY_LEN,
};
use std::sync::Arc;
use std::time::Duration;
use zeroize::Zeroizing;

/// The options that only mean something with `--session-redis`.
const FLEET_OPTIONS: &[&str] = &[
    "session-prefix",
    "fleet-key-file",
    "redis-timeout-ms",
    "ticket-rotation",
    "ticket-refresh",
];

/// What a server of the fleet shares through Redis.
pub struct Fleet {
    pub store: Arc<RedisSessionStore>,
    pub ticket_keys: Arc<RedisTicketKeys>,
    pub anti_replay: Arc<RedisAntiReplay>,
}

/// The fleet `--session-redis` asks for, or `None` without it.
pub fn from_options(options: &Options) -> Result<Option<Fleet>, Failure> {
    let Some(url) = options.get("session-redis") else {
        if let Some(name) = FLEET_OPTIONS.iter().find(|name| options.has(name)) {
            return Err(format!("--{name} goes with --session-redis").into());
        }
        return Ok(None);
    };
    let key_file = options
        .get("fleet-key-file")
        .ok_or("--session-redis needs --fleet-key-file")?;
    let fleet_key = fleet_key(key_file)?;
    let mut connection = RedisConnection::open(url)
        .map_err(|e| format!("--session-redis: {e}"))?
        .on_failure(Arc::new(|failure: &RedisFailure| {
            eprintln!("ferrotls server: {failure} (going on without Redis)")
        }));
    if let Some(prefix) = options.get("session-prefix") {
        connection = connection.with_prefix(prefix);
    }
    if let Some(ms) = options.number::<u64>("redis-timeout-ms")? {
        connection = connection.with_timeout(Duration::from_millis(ms));
    }
    let mut settings = RedisTicketKeysSettings::default();
    if let Some(secs) = options.seconds("ticket-rotation")? {
        settings.rotation_interval = secs;
    }
    if let Some(secs) = options.seconds("ticket-refresh")? {
        settings.refresh_interval = secs;
    }
    let rng = Arc::new(OsRng::new());
    let clock = Arc::new(SystemClock);
    let store = RedisSessionStore::new(connection.clone(), &fleet_key, rng.clone(), clock.clone())
        .map_err(|e| format!("--fleet-key-file {key_file}: {e}"))?;
    let ticket_keys = RedisTicketKeys::new(connection.clone(), &fleet_key, settings, rng, clock)
        .map_err(|e| format!("--fleet-key-file {key_file}: {e}"))?;
    Ok(Some(Fleet {
        store: Arc::new(store),
        ticket_keys: Arc::new(ticket_keys),
        anti_replay: Arc::new(RedisAntiReplay::new(connection)),
    }))
}

/// The fleet key in `path`: [`FLEET_KEY_LEN`] bytes as hex digits,
/// surrounding whitespace ignored (`openssl rand -hex 32 > FILE`). Errors
/// name the file, never its contents.
fn fleet_key(path: &str) -> Result<Zeroizing<Vec<u8>>, Failure> {
    let text = Zeroizing::new(
        std::fs::read(path).map_err(|e| format!("--fleet-key-file {path}: cannot read: {e}"))?,
    );
    let digits = text.trim_ascii();
    let bytes = Zeroizing::new(hex::decode(digits).map_err(|_| {
        format!("--fleet-key-file {path}: not hex digits (make one with openssl rand -hex 32)")
    })?);
    if bytes.len() != FLEET_KEY_LEN {
        return Err(format!(
            "--fleet-key-file {path}: {} bytes, a fleet key is {FLEET_KEY_LEN}",
            bytes.len()
        )
        .into());
    }
    Ok(bytes)
}
