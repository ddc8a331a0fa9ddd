//! Records real handshakes of every version and mode in fuzzing mode and
//! writes them as seed inputs to `fuzz/seeds/<target>/` for `client`,
//! `server` and `roundtrip`, plus the test chains and keys for `pem` and
//! `x509` (committed; the campaigns in `docs/fuzzing.md` start from them).
//! Run from `fuzz/`:
//!
//! ```sh
//! RUSTFLAGS='--cfg fuzzing' cargo run --release --example record_seeds
//! ```
//!
//! Each seed is one scenario's recording and nothing else, so the files
//! are as small as the handshakes themselves. Every complete recording is
//! replayed through the `client` and `server` harness and must complete
//! there too. Exits non-zero when a scenario does not complete or replay
//! (an incomplete recording is still written: it seeds as far as the
//! engine goes), which also checks fuzzing mode end to end.

use std::path::Path;
use std::process::ExitCode;

use ferrotls_fuzz::{encode_input, record, Scenario};

/// The recorded scenarios: every version, and full handshakes, HRR (with
/// and without cookie), resumption by ticket/PSK and by session ID, 0-RTT,
/// client auth, KeyUpdate, CBC with and without encrypt-then-MAC, and
/// every server key type.
fn scenarios() -> Vec<(String, Scenario)> {
    let base = Scenario::default();
    let mut out = Vec::new();
    for (vname, versions) in [("any", 0), ("tls13", 1), ("tls12", 2), ("tls10-11", 3)] {
        for (kname, key_type) in [("ed25519", 0), ("p256", 1), ("rsa2048", 2), ("p384", 3)] {
            // TLS 1.0/1.1 have no Ed25519 signatures (RFC 8422 §5.1.3
            // defines it for TLS 1.2 and later only).
            if versions == 3 && key_type == 0 {
                continue;
            }
            out.push((
                format!("{vname}-full-{kname}"),
                Scenario {
                    versions,
                    key_type,
                    ..base
                },
            ));
        }
        // The default Ed25519 key cannot sign in TLS 1.0/1.1: use P-256 there.
        let key_type = if versions == 3 { 1 } else { base.key_type };
        let v = Scenario {
            versions,
            key_type,
            ..base
        };
        out.push((
            format!("{vname}-client-auth"),
            Scenario {
                client_auth: true,
                ..v
            },
        ));
        out.push((
            format!("{vname}-resume-ticket"),
            Scenario { resume: true, ..v },
        ));
        out.push((
            format!("{vname}-resume-id"),
            Scenario {
                resume: true,
                no_tickets: true,
                ..v
            },
        ));
        out.push((
            format!("{vname}-no-etm"),
            Scenario {
                no_etm: true,
                cbc: versions >= 2,
                ..v
            },
        ));
    }
    let tls13 = Scenario {
        versions: 1,
        ..base
    };
    out.extend([
        (
            "tls13-hrr".into(),
            Scenario {
                retry: true,
                ..tls13
            },
        ),
        (
            "tls13-hrr-cookie".into(),
            Scenario {
                retry: true,
                cookie: true,
                ..tls13
            },
        ),
        (
            "tls13-0rtt".into(),
            Scenario {
                resume: true,
                early_data: true,
                ..tls13
            },
        ),
        (
            "tls13-key-update".into(),
            Scenario {
                key_update: true,
                ..tls13
            },
        ),
        (
            "tls13-resume-client-auth-key-update".into(),
            Scenario {
                resume: true,
                client_auth: true,
                key_update: true,
                ..tls13
            },
        ),
        (
            "tls12-cbc-etm".into(),
            Scenario {
                versions: 2,
                cbc: true,
                ..base
            },
        ),
        (
            "tls12-cbc-etm-rsa".into(),
            Scenario {
                versions: 2,
                cbc: true,
                key_type: 2,
                ..base
            },
        ),
    ]);
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(name), bytes)
}

fn main() -> ExitCode {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut failed = false;
    for (name, scenario) in scenarios() {
        let recording = match record(scenario) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{name}: configuration refused: {e}");
                failed = true;
                continue;
            }
        };
        let client_input = encode_input(scenario, &recording.server_flights);
        let server_input = encode_input(scenario, &recording.client_flights);
        if !recording.completed {
            // Still a useful seed: it reaches as far as the engine goes.
            eprintln!("{name}: did not complete: {:?}", recording.errors);
            failed = true;
        } else if !ferrotls_fuzz::run_client(&client_input)
            || !ferrotls_fuzz::run_server(&server_input)
        {
            eprintln!("{name}: the recording does not replay");
            failed = true;
            continue;
        }
        let mut roundtrip = [scenario.to_bytes(), scenario.to_bytes()].concat();
        roundtrip.extend_from_slice(b"GET / HTTP/1.1\r\n\r\n");
        let result = write(&seeds.join("client"), &name, &client_input)
            .and_then(|()| write(&seeds.join("server"), &name, &server_input))
            .and_then(|()| write(&seeds.join("roundtrip"), &name, &roundtrip));
        if let Err(e) = result {
            eprintln!("{name}: {e}");
            return ExitCode::FAILURE;
        }
        println!(
            "{name}: {} client and {} server flights, {} + {} bytes",
            recording.client_flights.len(),
            recording.server_flights.len(),
            server_input.len(),
            client_input.len()
        );
    }
    for key_type in ferrotls_fuzz::KEY_TYPES {
        let chain = ferrotls_fuzz::pem(&format!("{key_type}-chain.pem"));
        let key = ferrotls_fuzz::pem(&format!("{key_type}-leaf.key"));
        let ders = ferrotls::pki::certificates_from_pem(chain).unwrap_or_default();
        let mut result = write(
            &seeds.join("pem"),
            &format!("{key_type}-chain"),
            chain.as_bytes(),
        )
        .and_then(|()| {
            write(
                &seeds.join("pem"),
                &format!("{key_type}-key"),
                key.as_bytes(),
            )
        });
        for (i, der) in ders.iter().enumerate() {
            result =
                result.and_then(|()| write(&seeds.join("x509"), &format!("{key_type}-{i}"), der));
        }
        if let Err(e) = result {
            eprintln!("{key_type}: {e}");
            return ExitCode::FAILURE;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
