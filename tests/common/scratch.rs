//! Scratch directories under the system's temporary directory.

use std::path::PathBuf;

/// A fresh, empty directory path for test `name` of suite `suite`, unique
/// to this process; whatever an earlier run left there is removed.
pub fn scratch_dir(suite: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ferrotls-{suite}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}
