//! Helpers shared by `tests/crypto_sign.rs` and `tests/crypto_kx.rs`: the
//! files `vectors/keys/make.sh` made with openssl, a scratch directory, and
//! running the openssl CLI.

use std::path::{Path, PathBuf};
use std::process::Command;

// The one scratch-directory helper, of which these crates use a part; a
// test crate that also has `mod common;` would load the file twice.
#[path = "../common/scratch.rs"]
#[allow(clippy::duplicate_mod, dead_code)]
mod scratch;
pub use scratch::Scratch;

/// The bytes of `vectors/keys/<name>`.
pub fn key_file(name: &str) -> Vec<u8> {
    let path = keys_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The directory `vectors/keys/make.sh` writes to.
pub fn keys_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("vectors/keys")
}

/// Runs `openssl` with `args`; returns whether it exited successfully,
/// with its combined output for failure messages. Panics with a clear
/// message when the CLI is missing.
pub fn openssl<I, S>(args: I) -> (bool, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let out = Command::new("openssl")
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("these tests need the `openssl` CLI on PATH: {e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}
