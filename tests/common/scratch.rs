//! Scratch directories under the system's temporary directory: the one
//! helper for them in every test crate (`common`, `interop_support` and
//! `crypto_sign_support` include this file).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A test's fresh, empty directory, removed with whatever it holds when
/// the test is done with it (dropped), so runs leave nothing behind.
#[derive(Debug)]
pub struct Scratch(PathBuf);

impl Scratch {
    /// Makes the directory `ferrotls-<name>-<pid>-<n>` under the system's
    /// temporary directory, `n` counting this process's scratch
    /// directories: tests running at once that pick the same name each
    /// get their own. Whatever an earlier run left there is removed.
    pub fn new(name: &str) -> Scratch {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let n = MADE.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("ferrotls-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Scratch(dir)
    }

    /// The path of `file` inside the directory, as a string (for a
    /// command line).
    pub fn file(&self, file: &str) -> String {
        self.0.join(file).to_str().expect("UTF-8 path").to_owned()
    }

    /// Writes `bytes` to `file` inside the directory; returns its path.
    pub fn write(&self, file: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(file);
        std::fs::write(&path, bytes).expect("scratch file");
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl core::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for Scratch {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}
