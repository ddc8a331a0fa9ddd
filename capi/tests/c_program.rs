//! The installed C library: `install.sh` puts the shared and static
//! libraries, the header and the pkg-config file under a fresh prefix;
//! the C programs of `tests/c/`, compiled with the flags `pkg-config`
//! gives for that prefix and run with `LD_LIBRARY_PATH`, run handshakes
//! between a ferrotls client and server in one process, in TLS 1.2 and in
//! TLS 1.3, and pass every check of the C functions: `session_test.c`
//! sessions (IDs, resumption, export and import), `cache_test.c` a server
//! session cache kept by C callbacks, `conn_test.c` the rest.
//!
//! Needs `cc`, `pkg-config`, `readelf` and `openssl`, which exports the
//! public keys the programs pin and the certificates they compare with
//! (tests/run.sh installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/cargo_env.rs"]
mod cargo_env;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

/// A C test program of `tests/c/`.
struct CProgram {
    /// Its name: the source is `tests/c/NAME.c`.
    name: &'static str,
    /// Its arguments after the PKI directory and the TLS version.
    args: &'static [&'static str],
    /// The lines it prints when it passes its checks.
    checks: &'static [&'static str],
    /// The lines it prints beside those for one TLS version only.
    version_checks: &'static [(&'static str, &'static [&'static str])],
    /// Whether it takes, after `args`, the directory of what openssl
    /// exports ([`export_with_openssl`]).
    exports: bool,
}

/// The keys of `vectors/pki` (`NAME.key`) whose public keys the C
/// programs pin or compare with what the peer sent, exported as `openssl
/// pkey -pubout` writes them, as PEM (`NAME.pub.pem`) and DER
/// (`NAME.spki.der`), as an application would (GnuTLS's `--rawpkfile`
/// takes the same).
const PUBLIC_KEYS: &[&str] = &["p256-leaf", "p384-leaf"];

/// The certificates of `vectors/pki` (`NAME.pem`) the C programs compare
/// with what the peer sent or named, exported as DER (`NAME.der`) by
/// `openssl x509 -outform DER`.
const CERTIFICATES: &[&str] = &["p256-leaf", "p384-leaf", "p384-root"];

/// Writes the public keys of [`PUBLIC_KEYS`] and the certificates of
/// [`CERTIFICATES`] into `dir`, made if needed, as openssl exports them:
/// a source of these bytes independent of ferrotls.
fn export_with_openssl(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for name in PUBLIC_KEYS {
        let key = format!("{MANIFEST_DIR}/../vectors/pki/{name}.key");
        for (file, form) in [
            (format!("{name}.pub.pem"), "PEM"),
            (format!("{name}.spki.der"), "DER"),
        ] {
            run(
                "openssl",
                Command::new("openssl")
                    .args(["pkey", "-in", &key, "-pubout", "-outform", form, "-out"])
                    .arg(dir.join(file)),
            );
        }
    }
    for name in CERTIFICATES {
        let certificate = format!("{MANIFEST_DIR}/../vectors/pki/{name}.pem");
        run(
            "openssl",
            Command::new("openssl")
                .args(["x509", "-in", &certificate, "-outform", "DER", "-out"])
                .arg(dir.join(format!("{name}.der"))),
        );
    }
}

/// Sessions: IDs, resumption, export and import.
const SESSION_TEST: CProgram = CProgram {
    name: "session_test",
    args: &[],
    checks: &[
        "configs and NULL arguments: ok",
        "get_id: NULL args, size query, exact size, too small: ok",
        "get_data: before and after the ticket, size query, too small: ok",
        "A full handshake: not resumed, 32-byte IDs: ok",
        "B resumed from the store: server ID kept, client ID fresh: ok",
        "C resumed from set_data: server ID kept through A, B, C: ok",
        "D corrupted set_data: refused, full handshake, new server ID: ok",
        "resumption data: kept by A's server, found by B and C, none in full handshakes: ok",
        "E shared ticket keys: another server resumes, server ID kept; retired by rotation: ok",
        "ALL OK",
    ],
    version_checks: &[],
    exports: false,
};

/// A server session cache kept by C: TLS 1.2 resumption by session ID
/// and TLS 1.3 single-use stateful tickets through the callbacks, with
/// and without a take callback (with it, also when several clients offer
/// one ticket at once), and corrupted values and failing callbacks as
/// misses.
const CACHE_TEST: CProgram = CProgram {
    name: "cache_test",
    args: &[],
    checks: &[
        "set_session_cache: NULL config, partial callbacks, reset: ok",
        "failing callbacks: full handshakes, never a failed connection: ok",
        "ALL OK",
    ],
    version_checks: &[
        (
            "1.2",
            &[
                "1.2 A full handshake: the session stored in the application's cache: ok",
                "1.2 B, C resumed by session ID from the application's cache, twice: ok",
                "1.2 D corrupted value: full handshake, new session: ok",
                "1.2 E, F cache removed: resumed by ID from the in-memory cache: ok",
            ],
        ),
        (
            "1.3",
            &[
                "1.3 with take A full handshake: 2 tickets stored: ok",
                "1.3 with take B resumed from the application's cache, ticket taken: ok",
                "1.3 with take C same ticket again: full handshake: ok",
                "1.3 with take D corrupted value: full handshake: ok",
                "1.3 with take F one ticket offered by 4 clients at once: one resumes: ok",
                "1.3 retrieve+remove A full handshake: 2 tickets stored: ok",
                "1.3 retrieve+remove B resumed from the application's cache, ticket taken: ok",
                "1.3 retrieve+remove C same ticket again: full handshake: ok",
                "1.3 retrieve+remove D corrupted value: full handshake: ok",
            ],
        ),
    ],
    exports: false,
};

/// Connections: the version string, what was negotiated, error strings,
/// system roots, non-blocking I/O, a second certificate chosen by
/// server_name, cipher suites and groups by name, the cap on records
/// sent, KeyUpdate (refused in TLS 1.2), post-handshake client
/// authentication (TLS 1.3), renegotiation (TLS 1.2), raw public keys,
/// DER key, certificate and pin files, CRLs on both sides, signature schemes by name, client certificates
/// chosen by a callback, 0-RTT and half-RTT data (TLS 1.3) and False
/// Start (TLS 1.2).
const CONN_TEST: CProgram = CProgram {
    name: "conn_test",
    args: &[env!("CARGO_PKG_VERSION")],
    checks: &[
        "version string: ok",
        "negotiated: version, cipher suite, group, ALPN: ok",
        "exporter and channel bindings: both sides agree, label and context matter, bad arguments: ok",
        "peer certificates: count, DER by index, size query, too small: ok",
        "error strings: unknown issuer, name mismatch, alert received: ok",
        "system roots: loaded, test CA not trusted: ok",
        "client auth: chain received, required and refused, other CA, bad arguments: ok",
        "non-blocking handshake: FERROTLS_E_AGAIN on both sides, then done: ok",
        "non-blocking data: 1 MiB through FERROTLS_E_AGAIN, in order: ok",
        "non-blocking close, and a callback failing otherwise: ok",
        "more certificates: chosen by server_name, which both sides read, bad files: ok",
        "server certificate callback: sees the ClientHello, alone chooses, refuses with none, not on resumption, removed: ok",
        "reverify on resume: resumed without, not offered and refused with: ok",
        "OCSP stapling: sent when asked, read on both sides and on resumption, required, bad arguments: ok",
        "key log: the same lines on both sides, off again, bad files: ok",
        "cipher suites and groups: IANA and OpenSSL names, either side, defaults back, server tiers, key shares and skipped names, suite tiers, none in common, bad lists: ok",
        "max fragment size: each side's records within its own cap, bad sizes: ok",
        "key update: sent by the call, the peer's answer when asked, data both ways after it, refused in TLS 1.2, before the handshake and with bad arguments: ok",
        "post-handshake auth: refused before the handshake, without a CA file, with bad arguments: ok",
        "renegotiation: refused with the server's switch off, before the handshake, with bad arguments: ok",
        "raw public keys: a key-only server's key to a client that pinned it, a chain's key alone on request, the client's key to a server that pinned it (by file or hash), each side's type, keys not pinned and X.509-only clients refused, bad arguments: ok",
        "DER files: a server's leaf and key, a client's pinned key, a key where the certificate goes refused; pins by SHA-256; a DER CA file: ok",
        "CRLs: a revoked server and client refused, PEM and DER, removed, hard-fail, files without a CRL refused, bad arguments: ok",
        "signature schemes: the client's and the server's lists choose what is signed, none in common, client certificates, OpenSSL names, bad lists: ok",
        "certificate callback: the library's choice under the CA named, the callback's choice received, what the request said, none for -1, past the chains or unfit, after the handshake, removed, set replaces added, a raw key: ok",
        "ALL OK",
    ],
    version_checks: &[
        (
            "1.2",
            &[
                "False Start: the client's handshake call returns at its Finished, its data before the server's; not without it: ok",
                "post-handshake auth: refused in TLS 1.2: ok",
                "renegotiation: the client's chain and a new session in the new handshake, after more data than the server buffers, refused by the client's switch: ok",
            ],
        ),
        (
            "1.3",
            &[
                "0-RTT: accepted and read first, replay rejected, refused and sent again once, each reason, bad calls: ok",
                "half-RTT: the server's handshake call returns at its Finished, the 0-RTT request read and answered before the client's; not without it: ok",
                "post-handshake auth: the client's chain after the handshake, after more data than the server buffers, non-blocking, the client's switch, another CA refused: ok",
                "renegotiation: refused in TLS 1.3: ok",
                "post-handshake auth by pinned keys: the pinned key's chain, another key refused, bad files: ok",
            ],
        ),
    ],
    exports: true,
};

/// Runs `command` and returns its stdout; fails the test, with its
/// output, if it cannot start or does not succeed.
fn run(what: &str, command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("{what} could not start ({e}); tests/run.sh installs it"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{stdout}{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The dynamic-section entries of `tag` (`NEEDED`, `SONAME`) of an ELF
/// file, as `readelf -d` prints them: the names in brackets.
fn dynamic_entries(file: &Path, tag: &str) -> Vec<String> {
    run("readelf", Command::new("readelf").arg("-d").arg(file))
        .lines()
        .filter(|l| l.contains(&format!("({tag})")))
        .filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.to_owned()))
        .collect()
}

/// Compiles `program` with `flags` into `exe`.
fn compile(program: &CProgram, exe: &Path, flags: &[String]) {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    run(
        "cc",
        Command::new(cc)
            .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"])
            .arg(format!("{MANIFEST_DIR}/tests/c/{}.c", program.name))
            .arg("-o")
            .arg(exe)
            .args(flags)
            .arg("-lpthread"),
    );
}

/// Runs `program`, compiled as `exe`, for TLS `version` and checks that
/// it passed every check; `exports` is the directory of what
/// [`export_with_openssl`] wrote.
fn run_c_program(
    program: &CProgram,
    exe: &Path,
    version: &str,
    exports: &Path,
    env: &[(&str, &Path)],
) {
    let mut command = Command::new(exe);
    command
        .arg(format!("{MANIFEST_DIR}/../vectors/pki"))
        .arg(version)
        .args(program.args)
        .envs(env.iter().copied());
    if program.exports {
        command.arg(exports);
    }
    let name = program.name;
    let stdout = run(&format!("{name} (TLS {version})"), &mut command);
    let for_version = program
        .version_checks
        .iter()
        .filter(|(v, _)| *v == version)
        .flat_map(|(_, lines)| lines.iter());
    for line in program.checks.iter().chain(for_version) {
        assert!(
            stdout.lines().any(|l| l == *line),
            "{name}, TLS {version}: missing {line:?} in:\n{stdout}"
        );
    }
}

#[test]
fn installed_library_links_through_pkg_config_and_passes_the_c_program() {
    let version = env!("CARGO_PKG_VERSION");
    let major = env!("CARGO_PKG_VERSION_MAJOR");
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let prefix = tmp.join("capi-prefix");
    if prefix.exists() {
        std::fs::remove_dir_all(&prefix).unwrap();
    }
    let exports = tmp.join("capi-openssl-exports");
    export_with_openssl(&exports);
    // The profile of this test, so the library is built once per profile.
    let profile = if cfg!(debug_assertions) {
        "dev"
    } else {
        "release"
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    run(
        "install.sh",
        cargo_env::command(format!("{MANIFEST_DIR}/install.sh"))
            .env("CARGO", cargo)
            .arg("--prefix")
            .arg(&prefix)
            .args(["--profile", profile]),
    );

    // The layout: the versioned file, its two links, the archive, the
    // header as in the source tree, and the pkg-config file.
    let lib = prefix.join("lib");
    let file = format!("libferrotls.so.{version}");
    assert!(lib.join(&file).symlink_metadata().unwrap().is_file());
    for link in [
        format!("libferrotls.so.{major}"),
        "libferrotls.so".to_owned(),
    ] {
        assert_eq!(
            std::fs::read_link(lib.join(&link)).unwrap(),
            PathBuf::from(&file)
        );
    }
    assert!(lib.join("libferrotls.a").is_file());
    assert_eq!(
        std::fs::read(prefix.join("include/ferrotls.h")).unwrap(),
        std::fs::read(format!("{MANIFEST_DIR}/include/ferrotls.h")).unwrap()
    );
    let soname = format!("libferrotls.so.{major}");
    assert_eq!(
        dynamic_entries(&lib.join(&file), "SONAME"),
        [soname.as_str()]
    );

    // pkg-config finds the prefix through PKG_CONFIG_PATH.
    let pkg_config = |args: &[&str]| {
        let mut command = Command::new("pkg-config");
        command
            .env("PKG_CONFIG_PATH", lib.join("pkgconfig"))
            .args(args)
            .arg("ferrotls");
        run("pkg-config", &mut command)
            .split_whitespace()
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    assert_eq!(pkg_config(&["--modversion"]), [version]);
    let flags = pkg_config(&["--cflags", "--libs"]);
    assert!(
        flags.contains(&format!("-I{}", prefix.join("include").display())),
        "{flags:?}"
    );

    // Linked against the shared library: each program records the
    // SONAME, and runs from the prefix through LD_LIBRARY_PATH alone.
    for program in [&SESSION_TEST, &CACHE_TEST, &CONN_TEST] {
        let exe = tmp.join(format!("capi_{}", program.name));
        compile(program, &exe, &flags);
        let needed = dynamic_entries(&exe, "NEEDED");
        assert!(needed.contains(&soname), "{needed:?}");
        for version in ["1.2", "1.3"] {
            run_c_program(
                program,
                &exe,
                version,
                &exports,
                &[("LD_LIBRARY_PATH", &lib)],
            );
        }
    }

    // Linked against the static library with the system libraries the
    // pkg-config file lists for it: no ferrotls library is needed at run
    // time.
    let mut flags = pkg_config(&["--cflags"]);
    flags.push(lib.join("libferrotls.a").display().to_string());
    flags.extend(
        pkg_config(&["--static", "--libs-only-l"])
            .into_iter()
            .filter(|f| f != "-lferrotls"),
    );
    let exe = tmp.join("capi_session_test_static");
    compile(&SESSION_TEST, &exe, &flags);
    let needed = dynamic_entries(&exe, "NEEDED");
    assert!(
        !needed.iter().any(|n| n.starts_with("libferrotls")),
        "{needed:?}"
    );
    run_c_program(&SESSION_TEST, &exe, "1.3", &exports, &[]);

    std::fs::remove_dir_all(&prefix).unwrap();
    std::fs::remove_dir_all(&exports).unwrap();
}
