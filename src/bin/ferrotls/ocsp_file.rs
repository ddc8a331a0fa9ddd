//! `ferrotls server --ocsp FILE`: the server's certificate staples the DER
//! OCSP response in FILE (as `openssl ocsp -respout` writes it), and a
//! new response written there is picked up without a restart.
//!
//! The file is looked at when a connection starts, at most once per
//! [`RECHECK_INTERVAL`]; a changed modification time or size reloads it.
//! A file that is missing or does not hold a successful OCSP response
//! means no staple (and one line on stderr per change), never a failed
//! connection: clients that require a staple refuse then, the others go
//! on without.

use ferrotls::{CertifiedKey, ServerConfig};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// How often at most the file's metadata is read: once a second keeps a
/// busy server from a system call per connection, and a renewed response
/// (typically hours before the old one expires) is still served within a
/// second.
pub const RECHECK_INTERVAL: Duration = Duration::from_secs(1);

/// What identifies one version of the file: its modification time and
/// size, or `None` when it cannot be read.
type Version = Option<(SystemTime, u64)>;

/// The configuration currently served and the file version it staples.
struct Current {
    config: Arc<ServerConfig>,
    version: Version,
    checked: Instant,
}

/// A server configuration whose certificate staples the response in a
/// file, rebuilt when the file changes.
pub struct OcspFile {
    path: PathBuf,
    /// The configuration the options describe, without a staple; every
    /// rebuilt configuration shares its ticketer and stores.
    base: Arc<ServerConfig>,
    current: Mutex<Current>,
}

impl OcspFile {
    /// Serves `base`, its first certificate stapling the response in
    /// `path`, read now.
    pub fn new(path: &str, base: Arc<ServerConfig>) -> Self {
        let file = Self {
            path: PathBuf::from(path),
            current: Mutex::new(Current {
                config: Arc::clone(&base),
                version: None,
                checked: Instant::now(),
            }),
            base,
        };
        file.reload(&mut file.lock());
        file
    }

    /// The configuration for a connection starting now.
    pub fn config(&self) -> Arc<ServerConfig> {
        let mut current = self.lock();
        if current.checked.elapsed() >= RECHECK_INTERVAL {
            current.checked = Instant::now();
            if self.version() != current.version {
                self.reload(&mut current);
            }
        }
        Arc::clone(&current.config)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Current> {
        // A panic while holding the lock leaves a usable value behind.
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn version(&self) -> Version {
        let meta = std::fs::metadata(&self.path).ok()?;
        Some((meta.modified().ok()?, meta.len()))
    }

    /// Rebuilds the configuration from the file as it is now; on failure
    /// says why on stderr and serves without a staple.
    fn reload(&self, current: &mut Current) {
        current.version = self.version();
        current.config = match self.stapled() {
            Ok(config) => config,
            Err(why) => {
                eprintln!(
                    "ferrotls server: --ocsp {}: {why}; no staple",
                    self.path.display()
                );
                Arc::clone(&self.base)
            }
        };
    }

    fn stapled(&self) -> Result<Arc<ServerConfig>, String> {
        let der = std::fs::read(&self.path).map_err(|e| format!("cannot read: {e}"))?;
        let mut config = ServerConfig::clone(&self.base);
        let first = config
            .certificates
            .first_mut()
            .ok_or("the server has no certificate")?;
        // The clone shares the private key: the key file is not read again.
        let stapled = CertifiedKey::clone(first)
            .with_ocsp_response(der)
            .map_err(|e| e.to_string())?;
        *first = Arc::new(stapled);
        Ok(Arc::new(config))
    }
}
