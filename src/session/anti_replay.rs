//! The 0-RTT anti-replay filter of RFC 8446 §8.2 with the freshness check
//! of §8.3: a server that records every ClientHello whose early data it
//! accepts, for as long as that ClientHello could be accepted, accepts
//! each at most once, even with stateless tickets that resume many times.
//!
//! The key recorded is the binder of the PSK the server chose: an HMAC
//! over the whole ClientHello up to the binders (RFC 8446 §4.2.11.2), so
//! it differs between ClientHellos and an attacker cannot make a replayed
//! ClientHello look new without the PSK. A filter is a trait so that a
//! fleet of servers can share one record (in a database); the in-memory
//! [`InMemoryAntiReplay`] serves one process.

use std::collections::{HashSet, VecDeque};
use std::sync::Mutex;

use crate::time::UnixTime;

/// The default freshness window in milliseconds: 0-RTT is accepted only
/// when the client's view of its ticket's age and ours differ by at most
/// this (RFC 8446 §8.3 leaves the window to the server and notes that
/// clock skew and network delay are small, well under 10 seconds).
pub const DEFAULT_ANTI_REPLAY_WINDOW_MS: u64 = 10_000;

/// The default number of ClientHellos the in-memory filter records at
/// once: a server taking 0-RTT from 3,000 new connections a second fills
/// it in the double window of 20 seconds. Each record is a binder of up
/// to 48 bytes, so a full filter holds a few MiB. When it is full, 0-RTT
/// is rejected (RFC 8446 §8.2: fail safe) until records expire.
pub const DEFAULT_ANTI_REPLAY_CAPACITY: usize = 65_536;

/// What the filter says of a ClientHello.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReplayCheck {
    /// Not seen within the window, and now recorded: its 0-RTT may be
    /// accepted.
    Fresh,
    /// Seen before within the window: a replay, its 0-RTT is rejected.
    Replayed,
    /// The filter could not record it (full, or its record unreachable):
    /// its 0-RTT is rejected, since a ClientHello that was not recorded
    /// could be accepted again (RFC 8446 §8.2).
    Unrecorded,
}

/// A ClientHello-recording filter (RFC 8446 §8.2).
///
/// The server asks it only about ClientHellos whose ticket age is within
/// [`AntiReplay::window_ms`] of its own view (RFC 8446 §8.3), so a
/// ClientHello can be accepted only while the server's clock runs
/// through an interval of twice the window; a filter must remember a key
/// at least that long after recording it.
pub trait AntiReplay: Send + Sync {
    /// The freshness window in milliseconds: the most the client's and
    /// the server's views of a ticket's age may differ for 0-RTT.
    fn window_ms(&self) -> u64;

    /// Whether `key` was recorded within the last two windows before
    /// `now`; records it when it was not. Atomic: of two calls with the
    /// same key, at most one returns [`ReplayCheck::Fresh`].
    fn check_and_record(&self, key: &[u8], now: UnixTime) -> ReplayCheck;
}

/// One process's [`AntiReplay`]: at most a fixed number of keys, each
/// forgotten two windows after it was recorded.
#[derive(Debug)]
pub struct InMemoryAntiReplay {
    window_ms: u64,
    capacity: usize,
    records: Mutex<Records>,
}

/// The keys recorded, as a set and in the order they were recorded (so
/// expired ones leave from the front).
#[derive(Debug, Default)]
struct Records {
    keys: HashSet<Vec<u8>>,
    by_age: VecDeque<(UnixTime, Vec<u8>)>,
}

impl InMemoryAntiReplay {
    /// A filter with [`DEFAULT_ANTI_REPLAY_WINDOW_MS`] and
    /// [`DEFAULT_ANTI_REPLAY_CAPACITY`].
    pub fn new() -> Self {
        Self::with_limits(DEFAULT_ANTI_REPLAY_WINDOW_MS, DEFAULT_ANTI_REPLAY_CAPACITY)
    }

    /// A filter with a freshness window of `window_ms` milliseconds that
    /// records at most `capacity` ClientHellos.
    pub fn with_limits(window_ms: u64, capacity: usize) -> Self {
        Self {
            window_ms,
            capacity,
            records: Mutex::new(Records::default()),
        }
    }
}

impl Default for InMemoryAntiReplay {
    fn default() -> Self {
        Self::new()
    }
}

impl AntiReplay for InMemoryAntiReplay {
    fn window_ms(&self) -> u64 {
        self.window_ms
    }

    fn check_and_record(&self, key: &[u8], now: UnixTime) -> ReplayCheck {
        let Ok(mut records) = self.records.lock() else {
            return ReplayCheck::Unrecorded;
        };
        let kept_ms = self.window_ms.saturating_mul(2);
        // Records made when the clock read later than now (it was set
        // back) stay: forgetting them early could accept a replay.
        while let Some((recorded, _)) = records.by_age.front() {
            if now.as_millis().saturating_sub(recorded.as_millis()) <= kept_ms {
                break;
            }
            if let Some((_, key)) = records.by_age.pop_front() {
                records.keys.remove(&key);
            }
        }
        if records.keys.contains(key) {
            return ReplayCheck::Replayed;
        }
        if records.keys.len() >= self.capacity {
            return ReplayCheck::Unrecorded;
        }
        records.keys.insert(key.to_vec());
        records.by_age.push_back((now, key.to_vec()));
        ReplayCheck::Fresh
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_000_000;

    #[test]
    fn a_key_is_fresh_once_within_two_windows() {
        let filter = InMemoryAntiReplay::with_limits(100, 10);
        let at = |ms| UnixTime::from_millis(T + ms);
        assert_eq!(filter.check_and_record(b"a", at(0)), ReplayCheck::Fresh);
        assert_eq!(filter.check_and_record(b"b", at(0)), ReplayCheck::Fresh);
        assert_eq!(
            filter.check_and_record(b"a", at(200)),
            ReplayCheck::Replayed
        );
        // Two windows later the record is gone; the server's freshness
        // check refuses such a ClientHello before asking.
        assert_eq!(filter.check_and_record(b"a", at(201)), ReplayCheck::Fresh);
    }

    #[test]
    fn a_full_filter_records_nothing_until_records_expire() {
        let filter = InMemoryAntiReplay::with_limits(100, 2);
        let at = |ms| UnixTime::from_millis(T + ms);
        assert_eq!(filter.check_and_record(b"a", at(0)), ReplayCheck::Fresh);
        assert_eq!(filter.check_and_record(b"b", at(10)), ReplayCheck::Fresh);
        assert_eq!(
            filter.check_and_record(b"c", at(20)),
            ReplayCheck::Unrecorded
        );
        assert_eq!(
            filter.check_and_record(b"c", at(20)),
            ReplayCheck::Unrecorded
        );
        assert_eq!(filter.check_and_record(b"b", at(20)), ReplayCheck::Replayed);
        assert_eq!(filter.check_and_record(b"c", at(201)), ReplayCheck::Fresh);
    }

    #[test]
    fn a_clock_set_back_forgets_nothing() {
        let filter = InMemoryAntiReplay::with_limits(100, 10);
        assert_eq!(
            filter.check_and_record(b"a", UnixTime::from_millis(T)),
            ReplayCheck::Fresh
        );
        assert_eq!(
            filter.check_and_record(b"a", UnixTime::from_millis(T - 5_000)),
            ReplayCheck::Replayed
        );
    }
}
