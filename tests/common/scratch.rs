//! Scratch directories under the system's temporary directory.

use std::path::{Path, PathBuf};

/// A test's scratch directory, removed with whatever it holds when the
/// test is done with it (dropped), so runs leave nothing behind.
#[derive(Debug)]
pub struct ScratchDir(PathBuf);

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl core::ops::Deref for ScratchDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<Path> for ScratchDir {
    fn as_ref(&self) -> &Path {
        &self.0
    }
}

/// A fresh, empty directory path for test `name` of suite `suite`, unique
/// to this process; whatever an earlier run left there is removed.
pub fn scratch_dir(suite: &str, name: &str) -> ScratchDir {
    let d = std::env::temp_dir().join(format!("ferrotls-{suite}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    ScratchDir(d)
}
