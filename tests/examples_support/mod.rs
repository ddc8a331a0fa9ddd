//! Running the programs of `examples/`, shared by `tests/examples.rs` and
//! `tests/tokio_examples.rs`: find a built example, start a server
//! example on a free port, run a program and take its output.
//!
//! The examples must be built first (`cargo test` builds them; `cargo
//! test --test NAME` alone does not): a test fails when one is missing.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// An example binary next to this test's (`target/<profile>/examples`).
pub fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let path = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("examples").join(name))
        .unwrap();
    assert!(
        path.exists(),
        "{} is missing: run `cargo build --examples` first",
        path.display()
    );
    path
}

/// A server example on a free port; killed when dropped.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Server {
    /// Starts example `name` on 127.0.0.1:0 and reads the address it
    /// prints first.
    pub fn start(name: &str) -> Self {
        let mut child = Command::new(example(name))
            .arg("127.0.0.1:0")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        // The rest of its output is read (and dropped) so that printing
        // never fails on a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let address = line
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("{name} printed {line:?}"))
            .trim()
            .to_owned();
        Self { child, address }
    }

    pub fn port(&self) -> &str {
        self.address.rsplit(':').next().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `program` with `args`; returns its stdout, failing on a non-zero
/// exit (with its stderr).
pub fn run(program: &str, args: &[&str]) -> String {
    let out = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} (install it: tests/run.sh does): {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs example `name` with `args`, as [`run`] does.
pub fn run_example(name: &str, args: &[&str]) -> String {
    run(example(name).to_str().unwrap(), args)
}
