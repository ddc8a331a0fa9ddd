//! [`RedisAntiReplay`]: the ClientHello-recording filter of RFC 8446
//! §8.2 kept in Redis, so a 0-RTT flight accepted by one server of a
//! fleet is refused as a replay by every other.
//!
//! It records what the in-memory filter records (the binder of the PSK
//! the server chose, see [`crate::session::anti_replay`]) as one Redis key
//! per ClientHello, `PREFIX 0rtt: HEX(binder)`, written with
//! `SET … NX PX (2 × window)`: Redis sets it only if absent, atomically,
//! so of two servers seeing the same ClientHello at most one is told
//! [`ReplayCheck::Fresh`], and Redis forgets it once the ClientHello can
//! no longer pass the freshness check (§8.3). Binders travel in clear in
//! the ClientHello, so the record reveals nothing.
//!
//! When Redis is slow or down the answer is [`ReplayCheck::Unrecorded`]:
//! 0-RTT is rejected and the handshake goes on (RFC 8446 §8.2, fail
//! safe), never accepted unrecorded.

use super::RedisConnection;
use crate::session::anti_replay::{AntiReplay, ReplayCheck, DEFAULT_ANTI_REPLAY_WINDOW_MS};
use crate::time::UnixTime;

/// The namespace of recorded ClientHellos, after the prefix.
const ANTI_REPLAY_NAMESPACE: &[u8] = b"0rtt:";

/// An [`AntiReplay`] filter in Redis, shared by every server that uses
/// the same Redis and prefix. Expiry is Redis's: the `now` a server
/// passes is not used, so servers need not agree on the time.
#[derive(Debug)]
pub struct RedisAntiReplay {
    connection: RedisConnection,
    window_ms: u64,
}

impl RedisAntiReplay {
    /// A filter on `connection` with [`DEFAULT_ANTI_REPLAY_WINDOW_MS`].
    pub fn new(connection: RedisConnection) -> Self {
        Self::with_window(connection, DEFAULT_ANTI_REPLAY_WINDOW_MS)
    }

    /// A filter on `connection` with a freshness window of `window_ms`
    /// milliseconds (at least 1: Redis takes no zero expiry).
    pub fn with_window(connection: RedisConnection, window_ms: u64) -> Self {
        Self {
            connection,
            window_ms: window_ms.max(1),
        }
    }

    /// The connection this filter uses (for its failure counters).
    pub fn connection(&self) -> &RedisConnection {
        &self.connection
    }
}

impl AntiReplay for RedisAntiReplay {
    fn window_ms(&self) -> u64 {
        self.window_ms
    }

    fn check_and_record(&self, key: &[u8], _now: UnixTime) -> ReplayCheck {
        let redis_key = self
            .connection
            .key(&[ANTI_REPLAY_NAMESPACE, hex::encode(key).as_bytes()]);
        let kept_ms = self.window_ms.saturating_mul(2);
        // SET NX answers OK when it set the key, nil when it was there.
        let set = self.connection.run("anti-replay", |c| {
            redis::cmd("SET")
                .arg(&redis_key)
                .arg(1u8)
                .arg("NX")
                .arg("PX")
                .arg(kept_ms)
                .query::<Option<String>>(c)
        });
        match set {
            Some(Some(_)) => ReplayCheck::Fresh,
            Some(None) => ReplayCheck::Replayed,
            None => ReplayCheck::Unrecorded,
        }
    }
}
