//! The injected clock (design §2: "randomness and time are injected").
//!
//! Everything that asks what time it is — session expiry, ticket-key
//! rotation, TLS 1.3 ticket ages — asks a [`Clock`]. Configurations hold an
//! `Arc<dyn Clock>`: [`SystemClock`] by default, [`ManualClock`] in tests
//! and fuzzing, which makes expiry and rotation reproducible.
//!
//! Time is counted in milliseconds since the Unix epoch, because TLS 1.3
//! ticket ages are in milliseconds (RFC 8446 §4.2.11.1); lifetimes on the
//! wire are whole seconds (RFC 8446 §4.6.1, RFC 5077 §3.3).

use core::time::Duration;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

/// A point in time: milliseconds since 1970-01-01T00:00:00Z. Arithmetic on
/// it saturates instead of overflowing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnixTime(u64);

impl UnixTime {
    /// The epoch itself.
    pub const EPOCH: Self = Self(0);

    /// The time `millis` milliseconds after the epoch.
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis)
    }

    /// The time `secs` seconds after the epoch (saturating).
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs.saturating_mul(1000))
    }

    /// Milliseconds since the epoch.
    pub const fn as_millis(self) -> u64 {
        self.0
    }

    /// Whole seconds since the epoch.
    pub const fn as_secs(self) -> u64 {
        self.0 / 1000
    }

    /// This time plus `d`, saturating at the largest representable time.
    pub fn saturating_add(self, d: Duration) -> Self {
        let millis = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        Self(self.0.saturating_add(millis))
    }

    /// How long after `earlier` this time is; zero when it is not later.
    pub fn saturating_since(self, earlier: Self) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

/// A source of the current time, shareable between connections.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> UnixTime;
}

/// The operating system's wall clock. A clock set before 1970 reads as the
/// epoch.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

/// The time [`SystemClock`] shows in fuzzing mode (`cfg(fuzzing)` only):
/// 2030-01-01T00:00:00Z, inside the test certificates' validity.
#[cfg(fuzzing)]
pub const FUZZING_NOW: UnixTime = UnixTime::from_secs(1_893_456_000);

impl Clock for SystemClock {
    /// The wall clock.
    ///
    /// Fuzzing mode (compiled only under `cfg(fuzzing)`, see
    /// `docs/fuzzing.md`): always `FUZZING_NOW` (a constant compiled only in that mode).
    #[cfg_attr(fuzzing, allow(unreachable_code, unused_variables))]
    fn now(&self) -> UnixTime {
        #[cfg(fuzzing)]
        return FUZZING_NOW;
        let since_epoch = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or(Duration::ZERO);
        UnixTime::EPOCH.saturating_add(since_epoch)
    }
}

/// A clock that shows whatever it was last set to, for tests and fuzzing.
/// It never moves by itself: a clock that is never advanced is a fixed
/// clock.
#[derive(Debug, Default)]
pub struct ManualClock {
    millis: AtomicU64,
}

impl ManualClock {
    /// A clock showing `now`.
    pub fn new(now: UnixTime) -> Self {
        Self {
            millis: AtomicU64::new(now.as_millis()),
        }
    }

    /// Sets the clock to `now` (it may go backwards).
    pub fn set(&self, now: UnixTime) {
        self.millis.store(now.as_millis(), Ordering::SeqCst);
    }

    /// Moves the clock forward by `d`, saturating.
    pub fn advance(&self, d: Duration) {
        let step = u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        // The closure always returns Some, so the update cannot fail.
        let _ = self
            .millis
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |m| {
                Some(m.saturating_add(step))
            });
    }
}

impl Clock for ManualClock {
    fn now(&self) -> UnixTime {
        UnixTime::from_millis(self.millis.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_and_milliseconds_agree() {
        let t = UnixTime::from_secs(1_700_000_000);
        assert_eq!(t.as_millis(), 1_700_000_000_000);
        assert_eq!(UnixTime::from_millis(1_999).as_secs(), 1);
    }

    #[test]
    fn arithmetic_saturates() {
        let late = UnixTime::from_millis(u64::MAX - 1);
        assert_eq!(
            late.saturating_add(Duration::from_secs(5)),
            UnixTime::from_millis(u64::MAX)
        );
        assert_eq!(
            UnixTime::EPOCH.saturating_since(late),
            Duration::ZERO,
            "an earlier time is zero after a later one"
        );
        assert_eq!(
            UnixTime::from_secs(10).saturating_since(UnixTime::from_secs(4)),
            Duration::from_secs(6)
        );
    }

    #[test]
    fn manual_clock_is_set_and_advanced() {
        let clock = ManualClock::new(UnixTime::from_secs(100));
        assert_eq!(clock.now(), UnixTime::from_secs(100));
        clock.advance(Duration::from_millis(1500));
        assert_eq!(clock.now(), UnixTime::from_millis(101_500));
        clock.set(UnixTime::from_secs(7));
        assert_eq!(clock.now(), UnixTime::from_secs(7));
    }

    #[test]
    fn system_clock_is_after_2020() {
        // 2020-01-01T00:00:00Z; a sanity check that the epoch conversion
        // is in seconds-to-milliseconds and not off by a factor.
        assert!(SystemClock.now() > UnixTime::from_secs(1_577_836_800));
        assert!(SystemClock.now() < UnixTime::from_secs(32_503_680_000));
    }
}
