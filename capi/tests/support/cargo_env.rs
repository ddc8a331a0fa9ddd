//! Commands that run cargo (directly, or through `install.sh`) from a
//! test or bench of this package, shared by `tests/c_program.rs` and
//! `benches/capi/library.rs`. Cargo sets variables for the test or bench
//! it runs that describe this package: `CARGO_PKG_*`, `CARGO_MANIFEST_*`,
//! ... and `OUT_DIR`, this package's build-script output directory.
//! Inherited by the inner cargo, they reach every build script it runs;
//! one that watches them (ring's watches `OUT_DIR` and `CARGO_PKG_*`)
//! then sees them change between that build and the outer one, reruns,
//! and ring, ferrotls and the C library are rebuilt on every run, by
//! each cargo in turn.

use std::ffi::OsStr;
use std::process::Command;

/// The prefixes of the variables cargo sets for the test or bench it
/// runs that describe this package.
const PACKAGE_VARIABLE_PREFIXES: &[&str] = &[
    "CARGO_PKG_",
    "CARGO_MANIFEST_",
    "CARGO_BIN_EXE_",
    "CARGO_CRATE_",
    "CARGO_PRIMARY_PACKAGE",
];

/// The build-script output directory cargo sets for the test or bench it
/// runs, since this package has a build script.
const OUT_DIR: &str = "OUT_DIR";

/// `program`, to run without the variables cargo set for this test or
/// bench (see the module documentation). What cargo needs to find itself
/// and the target directory (`CARGO`, `CARGO_HOME`, `CARGO_TARGET_DIR`,
/// `RUSTUP_*`) is kept.
pub fn command(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if PACKAGE_VARIABLE_PREFIXES
            .iter()
            .any(|prefix| name.starts_with(prefix))
            || name == OUT_DIR
        {
            command.env_remove(&*name);
        }
    }
    command
}
