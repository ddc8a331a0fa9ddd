//! Records real handshakes of every version and mode in fuzzing mode and
//! writes them as seed inputs to `fuzz/seeds/<target>/` for `client`,
//! `server` and `roundtrip`, plus the test chains and keys for `pem` and
//! `x509` (committed; the campaigns in `docs/fuzzing.md` start from them).
//! From the same recordings it cuts the seeds of `msgs` (each handshake
//! message kind and extension block), `deframer` (record streams),
//! `session_data` (exported sessions, server states, tickets, ticket
//! keys), and writes `sign_keys` seeds from `vectors/keys`; each in its
//! target's input format (see the target's header). It also cuts, by
//! editing one message of a recording, `client` and `server` seeds that
//! reach each refusal of the hybrid groups ([`refusals`]).
//! Run from `fuzz/`:
//!
//! ```sh
//! RUSTFLAGS='--cfg fuzzing' cargo run --release --example record_seeds
//! ```
//!
//! Each seed is one scenario's recording and nothing else, so the files
//! are as small as the handshakes themselves. Every complete recording is
//! replayed through the `client` and `server` harness and must complete
//! there too, and every hybrid refusal seed must end in its error and
//! alert. Exits non-zero when a scenario does not complete or replay, or
//! a refusal seed misses its refusal (such a seed is still written: it
//! seeds as far as the engine goes), which also checks fuzzing mode end
//! to end.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use ferrotls::internal::codec::{Codec, Reader, Writer};
use ferrotls::internal::crypto::aead::{NONCE_LEN, TAG_LEN};
use ferrotls::internal::crypto::kx::{supported_groups, KeyShare};
use ferrotls::internal::crypto::rng::SeededRng;
use ferrotls::internal::error::{HandshakeFailureReason, IllegalParameterReason};
use ferrotls::internal::msgs::alert::Alert;
use ferrotls::internal::msgs::enums::AlertLevel;
use ferrotls::internal::msgs::extensions::{
    decode_extensions, encode_extensions, Extension, ExtensionContext, KeyShareEntry, EXTENSIONS,
};
use ferrotls::internal::msgs::handshake::{DecodeContext, HandshakeMessage};
use ferrotls::internal::msgs::key_exchange::{
    KeyExchangeAlgorithm, ServerKeyExchange, ServerKxParams,
};
use ferrotls::internal::record::MAX_PLAINTEXT_LEN;
use ferrotls::internal::session::format::CHECKSUM_LEN;
use ferrotls::internal::session::ticketer::{unseal_state, TICKET_KEY_NAME_LEN};
use ferrotls::internal::session::ServerSessionState;
use ferrotls::{
    AlertDescription, ClientSessionData, EarlyDataStatus, Error, ManualClock, NamedGroup,
    ProtocolVersion, RotatingTicketer, Ticketer, UnixTime,
};
use ferrotls_fuzz::{encode_input, record, Ending, Recording, Scenario};

/// The recorded scenarios: every version, and full handshakes, HRR (with
/// and without cookie), resumption by ticket/PSK and by session ID, 0-RTT,
/// client auth, KeyUpdate, CBC with and without encrypt-then-MAC, every
/// server key type, ClientHellos over 64 KiB, rejected 0-RTT (0-RTT off on
/// the resuming server, and after a HelloRetryRequest), and close_notify
/// with data after it (TLS 1.2 full and resumed, TLS 1.3 half-close).
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
            "any-large-hello".into(),
            Scenario {
                large_hello: true,
                ..base
            },
        ),
        (
            "tls12-large-hello".into(),
            Scenario {
                versions: 2,
                large_hello: true,
                ..base
            },
        ),
        (
            "tls13-0rtt-refused".into(),
            Scenario {
                resume: true,
                early_data: true,
                refuse_early_data: true,
                ..tls13
            },
        ),
        (
            "tls13-0rtt-hrr".into(),
            Scenario {
                resume: true,
                early_data: true,
                retry: true,
                ..tls13
            },
        ),
        (
            "tls13-close-notify".into(),
            Scenario {
                close_notify: true,
                ..tls13
            },
        ),
        (
            "tls12-close-notify".into(),
            Scenario {
                versions: 2,
                close_notify: true,
                ..base
            },
        ),
        (
            "tls12-resume-close-notify".into(),
            Scenario {
                versions: 2,
                resume: true,
                close_notify: true,
                ..base
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
        (
            "tls13-external-psk".into(),
            Scenario {
                external_psk: true,
                ..tls13
            },
        ),
        (
            "tls13-imported-psk".into(),
            Scenario {
                external_psk: true,
                imported_psk: true,
                ..tls13
            },
        ),
        (
            "tls13-half-rtt".into(),
            Scenario {
                half_rtt: true,
                ..tls13
            },
        ),
        (
            "tls13-0rtt-half-rtt".into(),
            Scenario {
                resume: true,
                early_data: true,
                half_rtt: true,
                ..tls13
            },
        ),
        (
            "tls13-grease-retry-client-auth".into(),
            Scenario {
                grease: true,
                retry: true,
                client_auth: true,
                ..tls13
            },
        ),
        (
            "tls13-grease-resume".into(),
            Scenario {
                grease: true,
                resume: true,
                ..tls13
            },
        ),
        (
            "tls12-false-start".into(),
            Scenario {
                versions: 2,
                key_type: 1,
                false_start: true,
                ..base
            },
        ),
        (
            "tls13-small-records-client-auth".into(),
            Scenario {
                small_records: true,
                client_auth: true,
                ..tls13
            },
        ),
        (
            "tls12-small-records".into(),
            Scenario {
                versions: 2,
                small_records: true,
                ..base
            },
        ),
        (
            "tls12-grease".into(),
            Scenario {
                versions: 2,
                grease: true,
                ..base
            },
        ),
        (
            "tls13-resume-external-psk".into(),
            Scenario {
                resume: true,
                external_psk: true,
                ..tls13
            },
        ),
        (
            "tls12-renegotiation".into(),
            Scenario {
                versions: 2,
                renegotiation: true,
                ..base
            },
        ),
        (
            "tls12-renegotiation-client-auth".into(),
            Scenario {
                versions: 2,
                renegotiation: true,
                client_auth: true,
                ..base
            },
        ),
        (
            "tls10-11-renegotiation".into(),
            Scenario {
                versions: 3,
                key_type: 1,
                renegotiation: true,
                ..base
            },
        ),
    ]);
    out
}

/// Why a complete recording misses the path its scenario is there to
/// reach, if it does: 0-RTT accepted (early data in the flights), or
/// rejected after it was sent (the server skipped it, since a record it
/// read would have failed the handshake); a ClientHello over 64 KiB that
/// spans several records; close_notify with data after it that the
/// server did not read, answered by the server (TLS ≤ 1.2 at once, TLS
/// 1.3 after its reply, which the completion check saw arrive); a full
/// handshake authenticated by the external PSK; a renegotiation the
/// server asked for and saw through; a ClientHello that opens its cipher
/// suites with a GREASE value (RFC 8701 §2: both bytes `0x?A`, equal).
fn missed_path(scenario: Scenario, recording: &Recording) -> Option<String> {
    let rejected = scenario.refuse_early_data || scenario.retry;
    let expected = if rejected {
        EarlyDataStatus::Rejected
    } else {
        EarlyDataStatus::Accepted
    };
    if scenario.early_data && recording.early_data != expected {
        return Some(format!("0-RTT data {:?}", recording.early_data));
    }
    if scenario.early_data && rejected {
        let first = recording.client_flights.first()?;
        let sent = records(std::slice::from_ref(first), false)
            .iter()
            .any(|(_, r)| r.typ == APPLICATION_DATA);
        if !sent {
            return Some("no 0-RTT record to skip".into());
        }
    }
    if scenario.close_notify {
        let tls13 = recording.version == Some(ProtocolVersion::TLSv1_3);
        let after_close = recording.client_flights.iter().any(|f| {
            let r = records(std::slice::from_ref(f), tls13);
            r.len() >= 3 && r[r.len() - 1].1.bytes == r[r.len() - 3].1.bytes
        });
        if !after_close || recording.received.1 != ferrotls_fuzz::PING {
            return Some(format!(
                "data after close_notify: sent {after_close}, the server received {:?}",
                recording.received.1
            ));
        }
        if recording.peer_closed != (true, true) {
            return Some(format!(
                "close_notify received: {:?}",
                recording.peer_closed
            ));
        }
    }
    if scenario.external_psk && !scenario.resume && !recording.external_psk {
        return Some("not authenticated by the external PSK".into());
    }
    if scenario.renegotiation && !recording.renegotiated {
        return Some("no renegotiation".into());
    }
    if scenario.grease {
        let first = recording.client_flights.first()?;
        let hello = records(std::slice::from_ref(first), false)
            .into_iter()
            .find(|(_, r)| r.typ == HANDSHAKE)
            .map(|(_, r)| r.fragment)?;
        // type, length (4), legacy_version (2), random (32), then the
        // session ID and the suites, each after its length.
        let suites_at = 4 + 2 + 32 + 1 + usize::from(*hello.get(38)?) + 2;
        let suite = hello.get(suites_at..suites_at + 2)?;
        if suite[0] != suite[1] || suite[0] & 0x0F != 0x0A {
            return Some(format!("the first cipher suite is {suite:02x?}"));
        }
    }
    if scenario.false_start {
        // RFC 7918: the data rides in the flight of the client's Finished
        // (its second), before the server's Finished came.
        let second = recording.client_flights.get(1)?;
        let early = records(std::slice::from_ref(second), false)
            .iter()
            .any(|(_, r)| r.typ == APPLICATION_DATA);
        if !early {
            return Some("no data in the flight of the client's Finished".into());
        }
    }
    if scenario.small_records {
        // In fuzzing mode records pass unencrypted: no fragment of either
        // side's is longer than the setting (a TLS 1.3 record adds its
        // content type and the tag-sized room fuzzing mode keeps).
        let longest = recording
            .client_flights
            .iter()
            .chain(&recording.server_flights)
            .flat_map(|f| records(std::slice::from_ref(f), false))
            .map(|(_, r)| r.fragment.len())
            .max()
            .unwrap_or(0);
        let bound = usize::from(ferrotls_fuzz::SMALL_RECORD_FRAGMENT) + 1 + TAG_LEN;
        if longest > bound {
            return Some(format!("a record of {longest} bytes, over {bound}"));
        }
    }
    if scenario.large_hello {
        let first = recording.client_flights.first()?;
        let hello: Vec<&[u8]> = records(std::slice::from_ref(first), false)
            .into_iter()
            .filter(|(_, r)| r.typ == HANDSHAKE)
            .map(|(_, r)| r.fragment)
            .collect();
        let len = hello.first().and_then(|f| f.get(1..4)).map_or(0, |l| {
            usize::from(l[0]) << 16 | usize::from(l[1]) << 8 | usize::from(l[2])
        });
        if len <= LARGE_HELLO_MIN_LEN || hello.len() < 2 {
            return Some(format!(
                "a ClientHello of {len} bytes in {} records",
                hello.len()
            ));
        }
    }
    None
}

/// A `large_hello` ClientHello body must be longer than this: 64 KiB, the
/// bound the joiner had for every message before per-type limits.
const LARGE_HELLO_MIN_LEN: usize = 64 * 1024;

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(name), bytes)
}

fn main() -> ExitCode {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut failed = false;
    let mut recordings = Vec::new();
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
        } else if let Some(missed) = missed_path(scenario, &recording) {
            // Still written: a seed that misses its path is still a
            // handshake of its configuration.
            eprintln!("{name}: {missed}");
            failed = true;
        } else if !matches!(ferrotls_fuzz::run_client(&client_input), Ending::Completed)
            || !matches!(ferrotls_fuzz::run_server(&server_input), Ending::Completed)
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
        recordings.push((name, scenario, recording));
    }
    let parsed: Vec<Parsed> = recordings
        .iter()
        .map(|(name, scenario, r)| Parsed::new(name, *scenario, r))
        .collect();
    match refusal_seeds(&seeds, &parsed) {
        Ok(all_refused) => failed |= !all_refused,
        Err(e) => {
            eprintln!("refusal seeds: {e}");
            return ExitCode::FAILURE;
        }
    }
    let result = msgs_seeds(&seeds.join("msgs"), &parsed)
        .and_then(|()| deframer_seeds(&seeds.join("deframer"), &parsed))
        .and_then(|()| session_data_seeds(&seeds.join("session_data"), &parsed))
        .and_then(|()| sign_keys_seeds(&seeds.join("sign_keys")));
    if let Err(e) = result {
        eprintln!("seeds: {e}");
        return ExitCode::FAILURE;
    }
    for key_type in ferrotls_fuzz::KEY_TYPES {
        let chain = ferrotls_fuzz::pem(&format!("{key_type}-chain.pem"));
        let key = ferrotls_fuzz::pem(&format!("{key_type}-leaf.key"));
        let ders = ferrotls::certificates_from_pem(chain).unwrap_or_default();
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

/// The record content types the recordings hold (RFC 8446 §5.1).
const CHANGE_CIPHER_SPEC: u8 = 20;
const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;
const APPLICATION_DATA: u8 = 23;

/// The TLS 1.0–1.2 Finished header: type 20, length 12 (RFC 5246 §7.4.9).
const TLS12_FINISHED_HEADER: [u8; 4] = [20, 0, 0, 12];

/// `msgs` selector modes (the target's `selector & 3`).
const MODE_HANDSHAKE: u8 = 0;
const MODE_EXTENSIONS: u8 = 1;
const MODE_ALERT: u8 = 2;
const MODE_CCS: u8 = 3;

/// `session_data` modes (the target's first byte): checksum appended by
/// the target, ticket, ticket under the target ticketer's key name.
const SESSION_MODE_CHECKSUMMED: u8 = 2;
const SESSION_MODE_TICKET: u8 = 1;
const SESSION_MODE_NAMED_TICKET: u8 = 3;

/// The `session_data` target's clock and ticketer seed.
const SESSION_DATA_NOW: u64 = 1_700_000_000;
const SESSION_DATA_TICKETER_SEED: &[u8] = b"fuzz session_data";

/// One record of a flight: content type, the whole record, its fragment.
struct Record<'a> {
    typ: u8,
    bytes: &'a [u8],
    fragment: &'a [u8],
}

/// The records of one side's flights, each marked whether it is
/// protected (after that side's ChangeCipherSpec before TLS 1.3, of type
/// application_data in TLS 1.3).
fn records(flights: &[Vec<u8>], tls13: bool) -> Vec<(bool, Record<'_>)> {
    let mut out = Vec::new();
    let mut after_ccs = false;
    for flight in flights {
        let mut rest = flight.as_slice();
        while let Some((header, body)) = rest.split_first_chunk::<5>() {
            let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
            let Some((fragment, next)) = body.split_at_checked(len) else {
                break;
            };
            let bytes = &rest[..5 + len];
            let typ = header[0];
            let protected = if tls13 {
                typ == APPLICATION_DATA
            } else {
                after_ccs && typ != CHANGE_CIPHER_SPEC
            };
            after_ccs |= typ == CHANGE_CIPHER_SPEC;
            out.push((
                protected,
                Record {
                    typ,
                    bytes,
                    fragment,
                },
            ));
            rest = next;
        }
    }
    out
}

/// The handshake bytes of one side, joined across records. Fuzzing mode
/// seals by pass-through (docs/fuzzing.md): a TLS 1.3 record is the
/// plaintext, the inner content type, zero padding and a zero tag; a TLS
/// 1.0–1.2 Finished sits after an explicit nonce or IV of 0, 8 or 16
/// bytes, found by its header.
fn handshake_stream(flights: &[Vec<u8>], tls13: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for (protected, record) in records(flights, tls13) {
        match (protected, record.typ) {
            (false, HANDSHAKE) => out.extend_from_slice(record.fragment),
            (true, APPLICATION_DATA) if tls13 => {
                let inner = &record.fragment[..record.fragment.len().saturating_sub(TAG_LEN)];
                let end = inner.iter().rposition(|&b| b != 0).unwrap_or(0);
                if inner.get(end) == Some(&HANDSHAKE) {
                    out.extend_from_slice(&inner[..end]);
                }
            }
            (true, HANDSHAKE) => {
                let finished = [0, 8, 16].into_iter().find_map(|offset| {
                    let f = record.fragment.get(offset..offset + 16)?;
                    f.starts_with(&TLS12_FINISHED_HEADER).then_some(f)
                });
                out.extend_from_slice(finished.unwrap_or_default());
            }
            _ => {}
        }
    }
    out
}

/// Splits a handshake stream into whole messages (header included).
fn messages(mut stream: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while let Some(header) = stream.get(..4) {
        let len =
            usize::from(header[1]) << 16 | usize::from(header[2]) << 8 | usize::from(header[3]);
        let Some((message, rest)) = stream.split_at_checked(4 + len) else {
            break;
        };
        out.push(message);
        stream = rest;
    }
    out
}

/// A recording cut into what the other seed kinds need.
struct Parsed<'a> {
    name: &'a str,
    scenario: Scenario,
    recording: &'a Recording,
    tls13: bool,
    /// The `msgs` version index (0–3 for TLS 1.0–1.3).
    version: u8,
    /// Whether the key exchange is RSA (no ServerKeyExchange).
    rsa_kx: bool,
    client_messages: Vec<Vec<u8>>,
    server_messages: Vec<Vec<u8>>,
}

impl<'a> Parsed<'a> {
    fn new(name: &'a str, scenario: Scenario, recording: &'a Recording) -> Self {
        // The ServerHello decodes the same in every context.
        let any = context(3, false, 1);
        let stream = handshake_stream(&recording.server_flights, false);
        let version = messages(&stream)
            .into_iter()
            .filter_map(|m| match HandshakeMessage::decode_message(m, &any) {
                Ok(HandshakeMessage::ServerHello(sh)) if !sh.is_hello_retry_request() => {
                    let selected = sh.extensions().iter().find_map(|e| match e {
                        Extension::SupportedVersionsSelected(v) => Some(*v),
                        _ => None,
                    });
                    Some(selected.unwrap_or(sh.legacy_version))
                }
                _ => None,
            })
            .next()
            .unwrap_or(ProtocolVersion::TLSv1_3);
        let version = match version {
            ProtocolVersion::TLSv1_0 => 0,
            ProtocolVersion::TLSv1_1 => 1,
            ProtocolVersion::TLSv1_2 => 2,
            _ => 3,
        };
        let tls13 = version == 3;
        let cut = |flights: &[Vec<u8>]| -> Vec<Vec<u8>> {
            messages(&handshake_stream(flights, tls13))
                .into_iter()
                .map(<[u8]>::to_vec)
                .collect()
        };
        let server_messages = cut(&recording.server_flights);
        let client_messages = cut(&recording.client_flights);
        // RSA key transport: a ClientKeyExchange (16) without a
        // ServerKeyExchange (12); a resumed handshake has neither.
        let has = |messages: &[Vec<u8>], typ: u8| messages.iter().any(|m| m.first() == Some(&typ));
        let rsa_kx = !tls13 && has(&client_messages, 16) && !has(&server_messages, 12);
        Self {
            name,
            scenario,
            recording,
            tls13,
            version,
            rsa_kx,
            client_messages,
            server_messages,
        }
    }
}

/// The `msgs` decode context of a version index, key exchange and
/// Finished-length index (the target's tables).
fn context(version: u8, rsa_kx: bool, finished: u8) -> DecodeContext {
    DecodeContext {
        version: [
            ProtocolVersion::TLSv1_0,
            ProtocolVersion::TLSv1_1,
            ProtocolVersion::TLSv1_2,
            ProtocolVersion::TLSv1_3,
        ][usize::from(version & 3)],
        key_exchange: if rsa_kx {
            KeyExchangeAlgorithm::Rsa
        } else {
            KeyExchangeAlgorithm::Ecdhe
        },
        finished_len: [12, 32, 48, 0][usize::from(finished & 3)],
    }
}

/// An extension block as the `msgs` target reads it.
fn extension_block(extensions: &[Extension]) -> Option<Vec<u8>> {
    let mut w = Writer::new();
    encode_extensions(EXTENSIONS, &mut w, extensions);
    w.finish().ok()
}

/// The extension blocks a message carries, with the `msgs` target's
/// extension-context index of each.
fn extension_blocks(message: &HandshakeMessage) -> Vec<(u8, &[Extension])> {
    match message {
        HandshakeMessage::ClientHello(ch) => vec![(0, ch.extensions())],
        HandshakeMessage::ServerHello(sh) => {
            vec![(
                if sh.is_hello_retry_request() { 2 } else { 1 },
                sh.extensions(),
            )]
        }
        HandshakeMessage::EncryptedExtensions(e) => vec![(3, e.as_slice())],
        HandshakeMessage::CertificateTls13(c) => c
            .entries
            .iter()
            .filter(|e| !e.extensions.is_empty())
            .map(|e| (4, e.extensions.as_slice()))
            .collect(),
        HandshakeMessage::CertificateRequestTls13(c) => vec![(5, c.extensions.as_slice())],
        HandshakeMessage::NewSessionTicketTls13(t) => vec![(6, t.extensions.as_slice())],
        _ => Vec::new(),
    }
}

/// `msgs`: every handshake message kind of every version the recordings
/// hold, once per (kind, decode context), prefixed with the selector that
/// decodes it in that context; every distinct extension block per
/// extension context; an alert; a ChangeCipherSpec. Each seed decodes
/// and re-encodes to itself, as the target asserts.
fn msgs_seeds(dir: &Path, parsed: &[Parsed]) -> std::io::Result<()> {
    let mut seen = BTreeSet::new();
    let mut seen_blocks = BTreeSet::new();
    for p in parsed {
        let finished: &[u8] = if p.tls13 { &[1, 2] } else { &[0] };
        for message in p.client_messages.iter().chain(&p.server_messages) {
            let decoded = finished.iter().find_map(|&f| {
                let choice = (f << 3) | (u8::from(p.rsa_kx) << 2) | p.version;
                let m = HandshakeMessage::decode_message(message, &context(p.version, p.rsa_kx, f))
                    .ok()?;
                (m.to_bytes().ok().as_deref() == Some(message.as_slice())).then_some((choice, m))
            });
            let Some((choice, m)) = decoded else {
                eprintln!(
                    "{}: a message of type {:?} does not decode",
                    p.name,
                    message.first()
                );
                continue;
            };
            let kind = match &m {
                HandshakeMessage::ServerHello(sh) if sh.is_hello_retry_request() => {
                    "HelloRetryRequest".to_string()
                }
                other => format!("{:?}", other.handshake_type()),
            };
            let selector = (choice << 2) | MODE_HANDSHAKE;
            if seen.insert((kind.clone(), selector)) {
                let name = format!("{kind}-{}", context_name(p.version, p.rsa_kx, choice >> 3));
                write(dir, &name, &[&[selector], message.as_slice()].concat())?;
            }
            for (cx, extensions) in extension_blocks(&m) {
                let types: Vec<_> = extensions.iter().map(|e| u16::from(e.ext_type())).collect();
                if extensions.is_empty() || !seen_blocks.insert((cx, types)) {
                    continue;
                }
                let Some(block) = extension_block(extensions) else {
                    continue;
                };
                let n = seen_blocks.iter().filter(|(c, _)| *c == cx).count();
                let name = format!("ext-{}-{n}", EXTENSION_CONTEXT_NAMES[usize::from(cx)]);
                write(
                    dir,
                    &name,
                    &[&[(cx << 2) | MODE_EXTENSIONS], block.as_slice()].concat(),
                )?;
            }
        }
    }
    // No recording sends 0-RTT data, so none holds an EndOfEarlyData;
    // its body is empty (RFC 8446 §4.5), so the engine's encoding is the
    // real message.
    if let Ok(eoed) = HandshakeMessage::EndOfEarlyData.to_bytes() {
        write(
            dir,
            "EndOfEarlyData-tls13",
            &[&[(((1 << 3) | 3) << 2) | MODE_HANDSHAKE], eoed.as_slice()].concat(),
        )?;
    }
    dhe_seeds(dir)?;
    stapling_seeds(dir)?;
    let alert = Alert {
        level: AlertLevel::Fatal,
        description: AlertDescription::HandshakeFailure,
    };
    let ccs = parsed
        .iter()
        .flat_map(|p| records(&p.recording.client_flights, p.tls13))
        .find(|(_, r)| r.typ == CHANGE_CIPHER_SPEC)
        .map(|(_, r)| r.fragment.to_vec())
        .unwrap_or_default();
    write(
        dir,
        "alert",
        &[
            &[MODE_ALERT],
            alert.to_bytes().unwrap_or_default().as_slice(),
        ]
        .concat(),
    )?;
    write(dir, "ccs", &[&[MODE_CCS], ccs.as_slice()].concat())
}

/// The `msgs` choice bit that selects DHE key exchange (with bit 2 set
/// or not; the target's `KEY_EXCHANGES`).
const MSGS_DHE_BIT: u8 = 1 << 5;

/// `msgs`: a TLS 1.2 DHE ServerKeyExchange and ClientKeyExchange. The
/// recordings run ECDHE and RSA only (the DHE suites are opt-in), so these
/// are the engine's encodings of real ffdhe2048 values, under a signature
/// of the right length for the RSA-2048 key.
fn dhe_seeds(dir: &Path) -> std::io::Result<()> {
    use ferrotls::internal::crypto::ffdhe::{DhGroup, DhKeyPair};
    use ferrotls::internal::msgs::key_exchange::{ClientKeyExchange, ServerDhParams};
    use ferrotls::internal::msgs::signature::DigitallySigned;
    use ferrotls::SignatureScheme;
    const RSA2048_SIGNATURE_LEN: usize = 256;
    let rng = SeededRng::new(b"dhe seeds").map_err(std::io::Error::other)?;
    let group = DhGroup::named(NamedGroup::ffdhe2048).ok_or(std::io::ErrorKind::Other)?;
    let pair = |rng| DhKeyPair::generate(group.clone(), rng).map_err(std::io::Error::other);
    let (server, client) = (pair(&rng)?, pair(&rng)?);
    let ske = HandshakeMessage::ServerKeyExchange(ServerKeyExchange {
        params: ServerKxParams::Dh(ServerDhParams {
            prime: group.prime().to_vec(),
            generator: group.generator().to_vec(),
            public: server.public_key().to_vec(),
        }),
        signature: DigitallySigned {
            scheme: Some(SignatureScheme::rsa_pss_rsae_sha256),
            signature: vec![0x5a; RSA2048_SIGNATURE_LEN],
        },
    });
    let cke =
        HandshakeMessage::ClientKeyExchange(ClientKeyExchange::Dhe(client.public_key().to_vec()));
    let selector = ((MSGS_DHE_BIT | 2) << 2) | MODE_HANDSHAKE;
    for (name, message) in [
        ("ServerKeyExchange-tls12-dhe", ske),
        ("ClientKeyExchange-tls12-dhe", cke),
    ] {
        let bytes = message.to_bytes().map_err(std::io::Error::other)?;
        write(dir, name, &[&[selector], bytes.as_slice()].concat())?;
    }
    Ok(())
}

/// The `msgs` selector of a TLS 1.2 ECDHE handshake message (version
/// index 2, no choice bits).
const MSGS_TLS12_ECDHE: u8 = (2 << 2) | MODE_HANDSHAKE;

/// `msgs`: what OCSP stapling and certificate_authorities put on the
/// wire, which no recording holds (the harness asks for no staple and
/// names no CA): the TLS 1.2 CertificateStatus (RFC 6066 §8) and a
/// CertificateRequest naming a CA (RFC 5246 §7.4.4); status_request,
/// signed_certificate_timestamp and certificate_authorities in ClientHello,
/// the TLS 1.2 ServerHello's acknowledgement and SCT list, a TLS 1.3
/// CertificateEntry's OCSP response and SCTs (RFC 8446 §4.4.2.1, RFC 6962
/// §3.3), and a TLS 1.3 CertificateRequest's CA names (RFC 8446 §4.2.4).
/// The response and the CA name are the stapling vectors' (made by
/// `vectors/pki/stapling/make.sh`); the SCT is shaped as RFC 6962 §3.2
/// lays it out, with fixed bytes (the engine passes SCTs through).
fn stapling_seeds(dir: &Path) -> std::io::Result<()> {
    use ferrotls::internal::msgs::certificate::CertificateRequestTls12;
    use ferrotls::internal::msgs::certificate_status::CertificateStatus;
    use ferrotls::internal::msgs::enums::ClientCertificateType;
    use ferrotls::internal::msgs::extensions::CertificateStatusRequest;
    use ferrotls::{RootStore, ServerCertVerifier, SignatureScheme, WebPkiServerVerifier};
    let ocsp = include_bytes!("../../vectors/pki/stapling/good.ocsp.der").to_vec();
    let mut roots = RootStore::new();
    roots
        .add_pem(include_str!("../../vectors/pki/stapling/root.pem"))
        .map_err(std::io::Error::other)?;
    let names = WebPkiServerVerifier::new(Arc::new(roots)).root_subjects();
    // SignedCertificateTimestamp: v1, a 32-byte log ID, a timestamp, no
    // extensions, then an ecdsa/sha256 digitally-signed of 70 bytes.
    let sct = [
        &[0u8][..],
        &[0xa5; 32],
        &1_700_000_000_000u64.to_be_bytes(),
        &[0, 0],
        &[4, 3, 0, 70],
        &[0x5c; 70],
    ]
    .concat();
    let status = HandshakeMessage::CertificateStatus(CertificateStatus {
        ocsp_response: ocsp.clone(),
    });
    let request = HandshakeMessage::CertificateRequestTls12(CertificateRequestTls12 {
        certificate_types: vec![ClientCertificateType::EcdsaSign],
        signature_schemes: Some(vec![SignatureScheme::ecdsa_secp256r1_sha256]),
        certificate_authorities: names.clone(),
    });
    for (name, message) in [
        ("CertificateStatus-tls12-ecdhe", status),
        ("CertificateRequest-tls12-ecdhe-authorities", request),
    ] {
        let bytes = message.to_bytes().map_err(std::io::Error::other)?;
        let decoded = HandshakeMessage::decode_message(&bytes, &context(2, false, 0));
        if decoded.ok().as_ref() != Some(&message) {
            return Err(std::io::Error::other(format!("{name} does not round-trip")));
        }
        write(dir, name, &[&[MSGS_TLS12_ECDHE], bytes.as_slice()].concat())?;
    }
    let blocks = [
        (
            0,
            "stapling-authorities",
            vec![
                Extension::StatusRequest(CertificateStatusRequest::Ocsp {
                    responder_id_list: Vec::new(),
                    request_extensions: Vec::new(),
                }),
                Extension::SctRequest,
                Extension::CertificateAuthorities(names.clone()),
            ],
        ),
        (
            1,
            "stapling",
            vec![
                Extension::StatusRequestAck,
                Extension::SctList(vec![sct.clone()]),
            ],
        ),
        (
            4,
            "stapling",
            vec![Extension::OcspResponse(ocsp), Extension::SctList(vec![sct])],
        ),
        (
            5,
            "authorities",
            vec![
                Extension::SignatureAlgorithms([SignatureScheme::ecdsa_secp256r1_sha256].into()),
                Extension::CertificateAuthorities(names),
            ],
        ),
    ];
    for (cx, what, extensions) in blocks {
        let block = extension_block(&extensions).ok_or(std::io::ErrorKind::InvalidData)?;
        let name = format!("ext-{}-{what}", EXTENSION_CONTEXT_NAMES[usize::from(cx)]);
        let decoded = decode_extensions(
            EXTENSIONS,
            &mut Reader::new(&block),
            EXTENSION_CONTEXTS[usize::from(cx)],
        );
        if decoded.ok().as_ref() != Some(&extensions) {
            return Err(std::io::Error::other(format!("{name} does not round-trip")));
        }
        write(
            dir,
            &name,
            &[&[(cx << 2) | MODE_EXTENSIONS], block.as_slice()].concat(),
        )?;
    }
    Ok(())
}

/// The `msgs` target's extension contexts, by index.
const EXTENSION_CONTEXTS: [ExtensionContext; 7] = [
    ExtensionContext::ClientHello,
    ExtensionContext::ServerHello,
    ExtensionContext::HelloRetryRequest,
    ExtensionContext::EncryptedExtensions,
    ExtensionContext::CertificateEntry,
    ExtensionContext::CertificateRequest,
    ExtensionContext::NewSessionTicket,
];

/// The names of [`EXTENSION_CONTEXTS`].
const EXTENSION_CONTEXT_NAMES: [&str; 7] = [
    "client_hello",
    "server_hello",
    "hello_retry_request",
    "encrypted_extensions",
    "certificate_entry",
    "certificate_request",
    "new_session_ticket",
];

fn context_name(version: u8, rsa_kx: bool, finished: u8) -> String {
    let v = ["tls10", "tls11", "tls12", "tls13"][usize::from(version & 3)];
    match (version, rsa_kx, finished) {
        (3, _, 2) => format!("{v}-sha384"),
        (3, _, _) => v.to_string(),
        (_, true, _) => format!("{v}-rsa"),
        _ => format!("{v}-ecdhe"),
    }
}

/// `deframer`: record streams as the target reads them (a first byte that
/// sets the read size, then records): plaintext handshake flights (deep
/// under the null scheme) and the protected records of each scheme kind
/// as fuzzing mode seals them (pass-through with the scheme's framing, so
/// they open under the target's fixed keys too and reach the joiner).
fn deframer_seeds(dir: &Path, parsed: &[Parsed]) -> std::io::Result<()> {
    let find = |name: &str| parsed.iter().find(|p| p.name == name);
    let stream = |p: &Parsed, server: bool, protected: bool| -> Vec<u8> {
        let flights = if server {
            &p.recording.server_flights
        } else {
            &p.recording.client_flights
        };
        records(flights, p.tls13)
            .into_iter()
            .filter(|(prot, r)| *prot == protected && (protected || r.typ == HANDSHAKE))
            .flat_map(|(_, r)| r.bytes.to_vec())
            .collect()
    };
    // (file, recording, server side, protected records, read size)
    let cases = [
        (
            "plain-tls13-client-hello",
            "tls13-full-ed25519",
            false,
            false,
            255,
        ),
        (
            "plain-tls12-server-flight",
            "tls12-full-ed25519",
            true,
            false,
            255,
        ),
        (
            "plain-tls12-server-flight-split",
            "tls12-full-ed25519",
            true,
            false,
            7,
        ),
        (
            "tls13-aead-server-flight",
            "tls13-full-ed25519",
            true,
            true,
            255,
        ),
        (
            "tls13-aead-client-flight-split",
            "tls13-client-auth",
            false,
            true,
            13,
        ),
        ("tls12-aead-server", "tls12-full-ed25519", true, true, 255),
        ("tls12-cbc-etm-server", "tls12-cbc-etm", true, true, 255),
        (
            "tls12-cbc-mac-then-encrypt-server",
            "tls12-no-etm",
            true,
            true,
            255,
        ),
        ("tls11-cbc-client", "tls10-11-no-etm", false, true, 255),
    ];
    for (file, name, server, protected, chunk) in cases {
        let Some(p) = find(name) else {
            eprintln!("deframer: no recording {name}");
            continue;
        };
        let bytes = stream(p, server, protected);
        if bytes.is_empty() {
            eprintln!("deframer: {name} has no such records");
            continue;
        }
        write(dir, file, &[&[chunk], bytes.as_slice()].concat())?;
    }
    Ok(())
}

/// `session_data` mode 2 input: the bytes without their checksum, which
/// the target appends again, so a mutated seed still reaches the parser.
fn without_checksum(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len().saturating_sub(CHECKSUM_LEN)]
}

/// `session_data`: exported client sessions of each kind, the server
/// states inside the recorded tickets (fuzzing mode seals tickets by
/// pass-through: key name, nonce, state, zero tag), the target's ticket
/// key set, and real tickets sealed by a ticketer built exactly as the
/// target builds its own (same seed, same clock, same first seal), so
/// their key name is the target's.
fn session_data_seeds(dir: &Path, parsed: &[Parsed]) -> std::io::Result<()> {
    let now = UnixTime::from_secs(SESSION_DATA_NOW);
    let err = |what: &str| std::io::Error::other(format!("session_data: {what}"));
    for (file, name) in [
        ("client-tls13-ticket", "tls13-full-ed25519"),
        ("client-tls12-ticket", "tls12-full-ed25519"),
        ("client-tls12-session-id", "tls12-resume-id"),
        ("client-tls11-ticket", "tls10-11-full-p256"),
    ] {
        let Some(data) = parsed
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.recording.client_session.as_deref())
        else {
            return Err(err(&format!("{name} exported no session")));
        };
        if ClientSessionData::from_bytes(data, now).is_err() {
            return Err(err(&format!("{name}: session does not import")));
        }
        write(
            dir,
            file,
            &[&[SESSION_MODE_CHECKSUMMED], without_checksum(data)].concat(),
        )?;
    }

    let rng = Arc::new(SeededRng::new(SESSION_DATA_TICKETER_SEED).map_err(|_| err("rng"))?);
    let ticketer =
        RotatingTicketer::new(rng, Arc::new(ManualClock::new(now))).map_err(|_| err("ticketer"))?;
    let sample = ticketer.seal(b"sample").map_err(|_| err("seal"))?;
    let keys = ticketer.export_keys().map_err(|_| err("export keys"))?;
    write(
        dir,
        "ticket-keys",
        &[
            &[SESSION_MODE_CHECKSUMMED],
            without_checksum(keys.as_bytes()),
        ]
        .concat(),
    )?;

    let mut kinds = BTreeSet::new();
    for p in parsed {
        for message in &p.server_messages {
            let cx = context(p.version, p.rsa_kx, 1);
            let ticket = match HandshakeMessage::decode_message(message, &cx) {
                Ok(HandshakeMessage::NewSessionTicketTls13(t)) => t.ticket,
                Ok(HandshakeMessage::NewSessionTicketTls12(t)) => t.ticket,
                _ => continue,
            };
            let Some(state) =
                ticket.get(TICKET_KEY_NAME_LEN + NONCE_LEN..ticket.len().saturating_sub(TAG_LEN))
            else {
                continue;
            };
            if ServerSessionState::from_bytes(state).is_err() {
                continue;
            }
            let kind = format!(
                "{}{}",
                ["tls10", "tls11", "tls12", "tls13"][usize::from(p.version)],
                if p.name.contains("client-auth") {
                    "-client-auth"
                } else {
                    ""
                }
            );
            if !kinds.insert(kind.clone()) {
                continue;
            }
            write(
                dir,
                &format!("server-state-{kind}"),
                &[&[SESSION_MODE_CHECKSUMMED], without_checksum(state)].concat(),
            )?;
            let sealed = ticketer.seal(state).map_err(|_| err("seal"))?;
            if !sealed.starts_with(&sample[..TICKET_KEY_NAME_LEN])
                || unseal_state(&ticketer, &sealed, now).is_err()
            {
                return Err(err("a sealed ticket does not unseal"));
            }
            write(
                dir,
                &format!("ticket-{kind}"),
                &[&[SESSION_MODE_TICKET], sealed.as_slice()].concat(),
            )?;
            write(
                dir,
                &format!("ticket-{kind}-named"),
                &[&[SESSION_MODE_NAMED_TICKET], sealed.as_slice()].concat(),
            )?;
        }
    }
    Ok(())
}

/// `sign_keys`: every private key form in `vectors/keys`, each public key
/// followed by a real signature of its type (the target splits the input
/// in half, so the signature is cut or zero-padded to the key's length;
/// fuzzing mode checks the key form but no signature), and a real key
/// share of every group.
fn sign_keys_seeds(dir: &Path) -> std::io::Result<()> {
    let keys = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/keys");
    for file in [
        "ed25519.pk8.der",
        "p256.pk8.der",
        "p256.sec1.der",
        "p384.pk8.der",
        "p384.sec1.der",
        "rsa2048.pk8.der",
        "rsa2048.pkcs1.der",
        "x25519.pk8.der",
    ] {
        write(
            dir,
            &format!("private-{file}"),
            &std::fs::read(keys.join(file))?,
        )?;
    }
    for (public, signature) in [
        ("ed25519.pub.bin", "ed25519.ed25519.sig"),
        ("p256.pub.bin", "p256.ecdsa-sha256.sig"),
        ("p384.pub.bin", "p384.ecdsa-sha384.sig"),
        ("rsa2048.pub.der", "rsa2048.pkcs1-sha256.sig"),
        ("rsa2048.pub.der", "rsa2048.pss-sha256.sig"),
    ] {
        let mut bytes = std::fs::read(keys.join(public))?;
        let key_len = bytes.len();
        let mut sig = std::fs::read(keys.join(signature))?;
        sig.resize(key_len, 0);
        bytes.extend_from_slice(&sig);
        write(dir, &format!("public-{signature}"), &bytes)?;
    }
    let rng = SeededRng::new(b"sign_keys seeds").map_err(std::io::Error::other)?;
    for &group in supported_groups() {
        let share = KeyShare::generate_with(group, &rng).map_err(std::io::Error::other)?;
        write(dir, &format!("key-share-{group:?}"), share.public_key())?;
    }
    Ok(())
}

/// A `client` or `server` seed that reaches one refusal of the hybrid
/// groups (draft-ietf-tls-ecdhe-mlkem): the first flight of a recording
/// with one handshake message edited ([`edited_flight`]), and the error
/// that must end the side reading it.
struct Refusal {
    /// The seed's file name.
    name: &'static str,
    /// The recording whose first flight is edited.
    from: &'static str,
    /// Whether the seed is the `client` target's (the server's flight
    /// edited) rather than the `server` target's.
    client: bool,
    /// Edits the message it is for and returns true; false for any other.
    edit: fn(&mut HandshakeMessage) -> bool,
    /// The error that must end the reading side, whose alert must be the
    /// last record it sends.
    error: Error,
}

/// The hybrid refusals, each with its error: the client's X25519MLKEM768
/// share one byte short or long, or its encapsulation key failing the
/// modulus check (FIPS 203 §7.2); a TLS 1.2 ClientHello whose only group
/// is X25519MLKEM768, which a TLS 1.2 server never selects (the draft's
/// §3), so no group is left; the server's X25519MLKEM768 share one byte
/// short or long; a TLS 1.2 ServerKeyExchange in X25519MLKEM768, which a
/// TLS 1.2 client never offers.
fn refusals() -> Vec<Refusal> {
    use IllegalParameterReason::{KeyShareLength, KxGroupNotOffered, MlKemEncapsulationKeyModulus};
    let refusal = |name, from, client, edit, error| Refusal {
        name,
        from,
        client,
        edit,
        error,
    };
    // Each side's share one byte short and one byte long.
    let mut out = Vec::new();
    for client in [false, true] {
        out.extend([
            refusal(
                "tls13-hybrid-share-truncated",
                "tls13-full-ed25519",
                client,
                |m| edit_hybrid_share(m, |k| k.truncate(k.len().saturating_sub(1))),
                Error::IllegalParameter(KeyShareLength),
            ),
            refusal(
                "tls13-hybrid-share-oversized",
                "tls13-full-ed25519",
                client,
                |m| edit_hybrid_share(m, |k| k.push(0)),
                Error::IllegalParameter(KeyShareLength),
            ),
        ]);
    }
    out.extend([
        refusal(
            "tls13-hybrid-encapsulation-key-modulus",
            "tls13-full-ed25519",
            false,
            // X25519MLKEM768 puts the key first: its first 12-bit
            // coefficient becomes 0xfff, not below q = 3329.
            |m| {
                edit_hybrid_share(m, |k| {
                    if let Some([first, second, ..]) = k.get_mut(..2) {
                        *first = 0xff;
                        *second |= 0x0f;
                    }
                })
            },
            Error::IllegalParameter(MlKemEncapsulationKeyModulus),
        ),
        refusal(
            "tls12-hybrid-only-group",
            "tls12-full-ed25519",
            false,
            |m| match m {
                HandshakeMessage::ClientHello(hello) => {
                    hello.extensions.iter_mut().flatten().any(|e| match e {
                        Extension::SupportedGroups(groups) => {
                            *groups = [NamedGroup::X25519MLKEM768].into();
                            true
                        }
                        _ => false,
                    })
                }
                _ => false,
            },
            Error::HandshakeFailure(HandshakeFailureReason::NoCommonGroup),
        ),
        refusal(
            "tls12-hybrid-server-key-exchange",
            "tls12-full-ed25519",
            true,
            |m| match m {
                HandshakeMessage::ServerKeyExchange(ServerKeyExchange {
                    params: ServerKxParams::Ecdh(ecdh),
                    ..
                }) => {
                    ecdh.group = NamedGroup::X25519MLKEM768;
                    true
                }
                _ => false,
            },
            Error::IllegalParameter(KxGroupNotOffered),
        ),
    ]);
    out
}

/// Applies `edit` to the X25519MLKEM768 key share of a ClientHello or
/// ServerHello and returns true; false for any other message.
fn edit_hybrid_share(message: &mut HandshakeMessage, edit: impl FnOnce(&mut Vec<u8>)) -> bool {
    let extensions = match message {
        HandshakeMessage::ClientHello(hello) => hello.extensions.as_mut(),
        HandshakeMessage::ServerHello(hello) => hello.extensions.as_mut(),
        _ => None,
    };
    let hybrid = |share: &&mut KeyShareEntry| share.group == NamedGroup::X25519MLKEM768;
    let share = extensions.into_iter().flatten().find_map(|e| match e {
        Extension::KeyShareOffer(shares) => shares.iter_mut().find(hybrid),
        Extension::KeyShareSelected(share) => Some(share).filter(hybrid),
        _ => None,
    });
    share.map(|share| edit(&mut share.key_exchange)).is_some()
}

/// The first of `flights` with the first of its leading plaintext
/// handshake messages that `edit` takes re-encoded: those messages are
/// framed again in records of the first one's type and version, as large
/// as the record layer allows (RFC 8446 §5.1), and the records after them
/// (ChangeCipherSpec, protected records) kept as they are. `None` when no
/// message takes the edit.
fn edited_flight(
    flights: &[Vec<u8>],
    cx: &DecodeContext,
    edit: fn(&mut HandshakeMessage) -> bool,
) -> Option<Vec<u8>> {
    let all = records(flights.get(..1)?, false);
    let plain = all
        .iter()
        .take_while(|(protected, r)| !protected && r.typ == HANDSHAKE)
        .count();
    let (handshake, rest) = all.split_at(plain);
    let header = handshake.first()?.1.bytes.get(..3)?;
    let stream: Vec<u8> = handshake
        .iter()
        .flat_map(|(_, r)| r.fragment.iter().copied())
        .collect();
    let mut edited = false;
    let mut messages_out = Vec::new();
    for message in messages(&stream) {
        if !edited {
            if let Ok(mut m) = HandshakeMessage::decode_message(message, cx) {
                if edit(&mut m) {
                    messages_out.extend_from_slice(&m.to_bytes().ok()?);
                    edited = true;
                    continue;
                }
            }
        }
        messages_out.extend_from_slice(message);
    }
    if !edited {
        return None;
    }
    let mut out = Vec::new();
    for fragment in messages_out.chunks(MAX_PLAINTEXT_LEN) {
        out.extend_from_slice(header);
        out.extend_from_slice(&u16::try_from(fragment.len()).ok()?.to_be_bytes());
        out.extend_from_slice(fragment);
    }
    for (_, r) in rest {
        out.extend_from_slice(r.bytes);
    }
    Some(out)
}

/// Writes each of [`refusals`] into `seeds/client` or `seeds/server` and
/// replays it through that target's harness; returns whether every one
/// ended in its error with its fatal alert as the last record sent.
fn refusal_seeds(seeds: &Path, parsed: &[Parsed]) -> std::io::Result<bool> {
    let mut all_refused = true;
    for refusal in refusals() {
        let target = if refusal.client { "client" } else { "server" };
        let Some(p) = parsed.iter().find(|p| p.name == refusal.from) else {
            eprintln!("{target}/{}: no recording {}", refusal.name, refusal.from);
            all_refused = false;
            continue;
        };
        let (flights, run): (_, fn(&[u8]) -> Ending) = if refusal.client {
            (&p.recording.server_flights, ferrotls_fuzz::run_client)
        } else {
            (&p.recording.client_flights, ferrotls_fuzz::run_server)
        };
        let cx = context(p.version, p.rsa_kx, u8::from(p.tls13));
        let Some(flight) = edited_flight(flights, &cx, refusal.edit) else {
            eprintln!("{target}/{}: nothing to edit in {}", refusal.name, p.name);
            all_refused = false;
            continue;
        };
        let input = encode_input(p.scenario, &[flight]);
        write(&seeds.join(target), refusal.name, &input)?;
        let missed = match run(&input) {
            Ending::Failed { error, .. } if error != refusal.error => {
                Some(format!("failed with {error:?}"))
            }
            Ending::Failed { error, sent } => (!ends_in_alert(std::slice::from_ref(&sent), &error))
                .then(|| "its last record is not its fatal alert".to_string()),
            Ending::Completed => Some("completed".into()),
            Ending::Unfinished => Some("did not finish".into()),
        };
        if let Some(missed) = missed {
            eprintln!(
                "{target}/{}: {missed}, not refused with {:?}",
                refusal.name, refusal.error
            );
            all_refused = false;
        } else {
            println!(
                "{target}/{}: refused with {:?}",
                refusal.name, refusal.error
            );
        }
    }
    Ok(all_refused)
}

/// Whether the last record of the flights `sent` is the unprotected
/// fatal alert of `error` (RFC 8446 §6).
fn ends_in_alert(sent: &[Vec<u8>], error: &Error) -> bool {
    let alert = error.alert().and_then(|description| {
        Alert {
            level: AlertLevel::Fatal,
            description,
        }
        .to_bytes()
        .ok()
    });
    let last = records(sent, false).pop();
    match (alert, last) {
        (Some(alert), Some((_, record))) => record.typ == ALERT && record.fragment == alert,
        _ => false,
    }
}
