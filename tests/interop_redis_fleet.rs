//! Two `ferrotls server` processes sharing a real `redis-server`
//! (`--session-redis`), with OpenSSL and GnuTLS clients: a session made on
//! one server resumes on the other (TLS 1.2 by session ID and by ticket,
//! TLS 1.3 by stateful and by sealed ticket) and both report the same
//! server session ID in their `--json` lines (design §3); a TLS 1.3
//! ticket resumes once fleet-wide; a replayed 0-RTT flight is refused by
//! the other server; the shared ticket keys rotate on one server and reach
//! the other, the previous key still unsealing; and Redis killed mid-run
//! costs full handshakes, never a failed one, until it is back.
//!
//! `gnutls-cli --resume` reconnects to the one host and port it was
//! given, so its tests go through a small TCP forwarder in this file that
//! sends the first connection to server A and every later one to B.
//!
//! A missing `redis-server`, `openssl` or `gnutls-cli` fails the tests
//! with a message saying `tests/run.sh` installs them.

mod common;
mod interop_support;
mod redis_support;

use common::{client_builder, server_name};
use ferrotls::internal::crypto::rng::SeededRng;
use ferrotls::{ClientConnection, EarlyDataStatus, StreamOwned};
use interop_support::*;
use redis_support::RedisServer;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// The fleet key every server of a test reads (`--fleet-key-file`).
const FLEET_KEY_HEX: &str = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a";

/// What `ferrotls server` logs on stderr when Redis fails.
const REDIS_FAILURE_LOG: &str = "(going on without Redis)";

/// One fleet: a Redis, a fleet key file, and the options every server
/// of the fleet shares.
struct Fleet {
    redis: RedisServer,
    scratch: Scratch,
    key_file: String,
}

impl Fleet {
    fn new(test: &str) -> Fleet {
        let redis = RedisServer::start();
        let scratch = Scratch::new(test);
        let key_file = scratch.file("fleet.key");
        std::fs::write(&key_file, format!("{FLEET_KEY_HEX}\n")).unwrap();
        Fleet {
            redis,
            scratch,
            key_file,
        }
    }

    /// A `ferrotls server` of this fleet with `extra` options.
    fn server(&self, extra: &[&str]) -> (Peer, u16) {
        let url = self.redis.url();
        let mut args = vec![
            "--session-redis",
            &url,
            "--fleet-key-file",
            &self.key_file,
            "--session-prefix",
            "interop:",
        ];
        args.extend_from_slice(extra);
        ferrotls_server(&args)
    }
}

/// Waits until `server` has printed `n` JSON lines and returns the
/// `n`-th.
fn nth_report(server: &Peer, n: usize) -> Json {
    let out = server
        .wait_until(|out| json_lines(out).len() >= n)
        .unwrap_or_else(|| panic!("no report {n}:\n{}", server.output()));
    json_lines(&out).remove(n - 1)
}

/// `openssl s_client` to 127.0.0.1:`port` with `options` (the version
/// and session flags), asking for the page; returns its output.
fn s_client(port: u16, options: &[&str]) -> String {
    s_client_to_p256(port, options, b"GET / HTTP/1.0\r\n\r\n")
}

/// The first failure line `ferrotls server` printed that is not a
/// Redis failure (each failed connection prints one).
fn connection_failure(server: &Peer) -> Option<String> {
    server
        .output()
        .lines()
        .find(|l| l.starts_with("ferrotls server:") && !l.contains(REDIS_FAILURE_LOG))
        .map(str::to_owned)
}

/// Runs `s_client` with `version` on `a` (saving the session), then on
/// `b` (resuming it): B resumes, and both report the same server session
/// ID in their `n`-th JSON line.
fn resumes_across(
    fleet: &Fleet,
    case: &str,
    version: &[&str],
    a: &(Peer, u16),
    b: &(Peer, u16),
    n: usize,
) {
    let sess = fleet.scratch.file("sess.pem");
    let mut first = version.to_vec();
    first.extend(["-sess_out", &sess]);
    let out = s_client(a.1, &first);
    assert!(out.contains("New, TLSv1."), "{case}: {out}");
    let mut second = version.to_vec();
    second.extend(["-sess_in", &sess]);
    let out = s_client(b.1, &second);
    assert!(out.contains("Reused, TLSv1."), "{case}: {out}");

    let on_a = nth_report(&a.0, n);
    let on_b = nth_report(&b.0, n);
    assert_eq!(on_a.get("resumed"), "false", "{case}");
    assert_eq!(on_b.get("resumed"), "true", "{case}");
    assert_eq!(on_a.get("session_id").len(), 64, "{case}");
    assert_eq!(
        on_b.get("session_id"),
        on_a.get("session_id"),
        "{case}: the server session ID crosses the fleet"
    );
}

#[test]
fn openssl_resumes_on_the_other_server_by_id_and_by_ticket_with_the_same_server_session_id() {
    let fleet = Fleet::new("redis-openssl");
    // Stateful servers keep TLS <=1.2 IDs and TLS 1.3 tickets in Redis;
    // with --no-session-cache the tickets are sealed under the shared
    // ticket keys.
    let [a, b] = [fleet.server(&[]), fleet.server(&[])];
    resumes_across(
        &fleet,
        "TLS 1.2 by session ID",
        &["-tls1_2", "-no_ticket"],
        &a,
        &b,
        1,
    );
    resumes_across(&fleet, "TLS 1.3 stateful ticket", &["-tls1_3"], &a, &b, 2);
    let stateless = ["--no-session-cache"];
    let [c, d] = [fleet.server(&stateless), fleet.server(&stateless)];
    resumes_across(&fleet, "TLS 1.2 by ticket", &["-tls1_2"], &c, &d, 1);
    resumes_across(&fleet, "TLS 1.3 sealed ticket", &["-tls1_3"], &c, &d, 2);
    for (server, _) in [&a, &b, &c, &d] {
        assert_eq!(connection_failure(server), None);
    }
}

/// Accepts connections on 127.0.0.1 and forwards the first to
/// `first` and every later one to `then`; returns its port. Its threads
/// end with the test process.
fn forwarder(first: u16, then: u16) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for (n, client) in listener.incoming().enumerate() {
            let Ok(client) = client else { continue };
            let to = if n == 0 { first } else { then };
            let Ok(server) = TcpStream::connect(("127.0.0.1", to)) else {
                continue;
            };
            for (mut from, mut into) in [
                (client.try_clone().unwrap(), server.try_clone().unwrap()),
                (server, client),
            ] {
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut from, &mut into);
                    let _ = into.shutdown(std::net::Shutdown::Write);
                });
            }
        }
    });
    port
}

#[test]
fn gnutls_cli_resumes_on_the_other_server_with_the_same_server_session_id() {
    let fleet = Fleet::new("redis-gnutls");
    for priority in [
        "NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS",
        "NORMAL:-VERS-ALL:+VERS-TLS1.2",
        "NORMAL:-VERS-ALL:+VERS-TLS1.3",
    ] {
        let (a, port_a) = fleet.server(&[]);
        let (b, port_b) = fleet.server(&[]);
        let out = gnutls_cli_to_p256(
            forwarder(port_a, port_b),
            &["--resume", "--priority", priority],
            b"GET / HTTP/1.0\r\n\r\n",
            "peer_certificates",
        );
        assert!(
            out.contains("*** This is a resumed session"),
            "{priority}: {out}"
        );
        let on_a = nth_report(&a, 1);
        let on_b = nth_report(&b, 1);
        assert_eq!(on_a.get("resumed"), "false", "{priority}");
        assert_eq!(on_b.get("resumed"), "true", "{priority}");
        assert_eq!(on_b.get("session_id"), on_a.get("session_id"), "{priority}");
        if priority.contains("NO_TICKETS") {
            // By session ID, gnutls-cli prints S, the ID both servers report.
            let ids = gnutls_session_ids(&out);
            assert_eq!(ids, [on_a.get("session_id"); 2], "{out}");
        }
    }
}

#[test]
fn a_tls13_ticket_replayed_on_the_other_server_is_refused() {
    let fleet = Fleet::new("redis-ticket-replay");
    let (a, port_a) = fleet.server(&[]);
    let (b, port_b) = fleet.server(&[]);
    let sess = fleet.scratch.file("sess.pem");
    let out = s_client(port_a, &["-tls1_3", "-sess_out", &sess]);
    assert!(out.contains("New, TLSv1.3"), "{out}");
    let out = s_client(port_b, &["-tls1_3", "-sess_in", &sess]);
    assert!(out.contains("Reused, TLSv1.3"), "{out}");
    // The same ticket again, on either server: taken already.
    let out = s_client(port_a, &["-tls1_3", "-sess_in", &sess]);
    assert!(out.contains("New, TLSv1.3"), "{out}");
    let out = s_client(port_b, &["-tls1_3", "-sess_in", &sess]);
    assert!(out.contains("New, TLSv1.3"), "{out}");
    assert_eq!(nth_report(&a, 2).get("resumed"), "false");
    assert_eq!(nth_report(&b, 2).get("resumed"), "false");
}

/// The seed of the replaying client's randomness: two clients with it,
/// resuming the same exported session at the same (manual) time, send
/// byte-identical first flights, the replay an attacker would send.
const REPLAY_SEED: &[u8] = b"interop_redis_fleet replay";

/// Resumes `session` on 127.0.0.1:`port` with 0-RTT `GET /` and a
/// deterministic client; returns the first flight it sent and the
/// connection after the page was read.
fn resume_with_early_data(session: &[u8], port: u16) -> (Vec<u8>, ClientConnection) {
    let config = client_builder("p256")
        .enable_early_data(true)
        .rng(Arc::new(SeededRng::new(REPLAY_SEED).unwrap()))
        .build()
        .unwrap();
    let mut conn = ClientConnection::resume(config, server_name("p256"), session).unwrap();
    let request = b"GET / HTTP/1.0\r\n\r\n";
    assert_eq!(conn.write_early_data(request).unwrap(), request.len());
    let mut flight = Vec::new();
    while conn.wants_write() {
        conn.write_tls(&mut flight).unwrap();
    }
    let mut sock = TcpStream::connect(("127.0.0.1", port)).unwrap();
    sock.set_read_timeout(Some(WAIT)).unwrap();
    sock.write_all(&flight).unwrap();
    let mut stream = StreamOwned::new(conn, sock);
    stream.complete_handshake().unwrap();
    if stream.conn.early_data_status() != EarlyDataStatus::Accepted {
        stream.write_all(request).unwrap();
    }
    let mut page = Vec::new();
    let _ = stream.read_to_end(&mut page);
    assert!(
        String::from_utf8_lossy(&page).contains("ferrotls server"),
        "{page:?}"
    );
    (flight, stream.into_parts().0)
}

/// A session for resumption from a full handshake with `port`.
fn session_from(port: u16) -> Vec<u8> {
    let config = client_builder("p256")
        .enable_early_data(true)
        .build()
        .unwrap();
    let (conn, page) = get(&config, "p256", port);
    assert!(page.contains("ferrotls server"), "{page}");
    conn.session_data().unwrap().expect("a TLS 1.3 ticket")
}

#[test]
fn a_replayed_0rtt_flight_is_refused_by_the_other_server() {
    let fleet = Fleet::new("redis-0rtt-replay");
    // Sealed tickets under the shared keys resume on both servers, so
    // only the Redis ClientHello record stands between a replay and its
    // 0-RTT data; stateful tickets resume once, so the replay is a full
    // handshake.
    for extra in [&["--no-session-cache"][..], &[]] {
        let mut options = vec!["--early-data", "16384"];
        options.extend_from_slice(extra);
        let (a, port_a) = fleet.server(&options);
        let (b, port_b) = fleet.server(&options);
        let session = session_from(port_a);
        let (flight, first) = resume_with_early_data(&session, port_a);
        assert_eq!(first.early_data_status(), EarlyDataStatus::Accepted);
        assert_eq!(nth_report(&a, 2).get("early_data"), "accepted");

        let (replayed, second) = resume_with_early_data(&session, port_b);
        assert_eq!(replayed, flight, "a byte-for-byte replay");
        assert_ne!(second.early_data_status(), EarlyDataStatus::Accepted);
        let on_b = nth_report(&b, 1);
        assert_ne!(on_b.get("early_data"), "accepted", "{extra:?}");
        let (resumed, reason) = if extra.is_empty() {
            ("false", "session_not_resumed")
        } else {
            ("true", "replay_protection")
        };
        assert_eq!(on_b.get("resumed"), resumed, "{extra:?}");
        assert_eq!(on_b.get("early_data_reason"), reason, "{extra:?}");
    }
}

/// The name of the key that sealed the TLS ≤1.2 ticket in OpenSSL's
/// session file `sess` (the ticket's first 16 bytes,
/// `RotatingTicketer`'s layout), from `openssl sess_id -text`.
fn ticket_key_name(sess: &str) -> String {
    let (_, text) = run("openssl", &["sess_id", "-in", sess, "-noout", "-text"], b"");
    // The dump's first line: `0000 - 4b 1c ... 9a-2f ... 3e   ASCII`.
    let first_line = text
        .lines()
        .skip_while(|l| !l.contains("TLS session ticket:"))
        .nth(1)
        .and_then(|l| l.split_once(" - "))
        .map(|(_, bytes)| bytes)
        .unwrap_or_else(|| panic!("no ticket in:\n{text}"));
    let name: String = first_line
        .split([' ', '-'])
        .filter(|h| h.len() == 2 && h.chars().all(|c| c.is_ascii_hexdigit()))
        .take(16)
        .collect();
    assert_eq!(name.len(), 32, "{first_line}");
    name
}

#[test]
fn ticket_keys_rotate_on_one_server_reach_the_other_and_overlap() {
    let fleet = Fleet::new("redis-rotation");
    // Keys seal for ROTATION seconds; each server reads them every second.
    const ROTATION: u64 = 4;
    let rotation = ROTATION.to_string();
    let options = [
        "--no-session-cache",
        "--ticket-rotation",
        &rotation,
        "--ticket-refresh",
        "1",
    ];
    let (_a, port_a) = fleet.server(&options);
    let (_b, port_b) = fleet.server(&options);
    let full = |port: u16, sess: &str| {
        let out = s_client(port, &["-tls1_2", "-sess_out", sess]);
        assert!(out.contains("New, TLSv1.2"), "{out}");
        ticket_key_name(sess)
    };
    let resumes = |port: u16, sess: &str| {
        s_client(port, &["-tls1_2", "-sess_in", sess]).contains("Reused, TLSv1.2")
    };
    let past_rotation = || std::thread::sleep(Duration::from_secs(ROTATION + 2));

    let old = fleet.scratch.file("old.pem");
    let old_key = full(port_a, &old);
    assert!(resumes(port_b, &old), "one key for the fleet");
    // B's next refresh after the interval rotates (it takes the lease).
    past_rotation();
    let new = fleet.scratch.file("new.pem");
    let new_key = full(port_b, &new);
    assert_ne!(new_key, old_key, "rotated");
    // A reads the rotated set: it seals with the new key and still
    // unseals the previous one.
    let on_a = fleet.scratch.file("on_a.pem");
    assert_eq!(full(port_a, &on_a), new_key, "the rotation reached A");
    assert!(resumes(port_a, &old), "the previous key still unseals");
    assert!(resumes(port_a, &new));
    // One more rotation retires the first key on both servers.
    past_rotation();
    let newest = fleet.scratch.file("newest.pem");
    let newest_key = full(port_a, &newest);
    assert_ne!(newest_key, new_key);
    assert!(!resumes(port_b, &old), "two rotations old");
    assert!(resumes(port_b, &new), "now the previous key");
    assert!(resumes(port_b, &newest));
}

#[test]
fn redis_killed_mid_run_costs_full_handshakes_and_its_return_brings_resumption_back() {
    let mut fleet = Fleet::new("redis-outage");
    let (a, port_a) = fleet.server(&[]);
    let (b, port_b) = fleet.server(&[]);
    let sess = fleet.scratch.file("sess.pem");
    let by_id = ["-tls1_2", "-no_ticket"];
    let session_out = |port: u16| {
        let mut args = by_id.to_vec();
        args.extend(["-sess_out", &sess]);
        s_client(port, &args)
    };
    let session_in = |port: u16| {
        let mut args = by_id.to_vec();
        args.extend(["-sess_in", &sess]);
        s_client(port, &args)
    };
    assert!(session_out(port_a).contains("New, TLSv1.2"));
    assert!(session_in(port_b).contains("Reused, TLSv1.2"));

    fleet.redis.stop();
    // Every handshake completes, as a full one.
    for port in [port_a, port_b] {
        let out = session_in(port);
        assert!(out.contains("New, TLSv1.2"), "{out}");
        let out = s_client(port, &["-tls1_3"]);
        assert!(out.contains("New, TLSv1.3"), "{out}");
    }
    for server in [&a, &b] {
        assert!(
            server
                .wait_until(|out| out.contains(REDIS_FAILURE_LOG))
                .is_some(),
            "the failure is logged:\n{}",
            server.output()
        );
    }

    fleet.redis.restart();
    // Past the back-off after the last failure, Redis is used again.
    std::thread::sleep(Duration::from_secs(2));
    assert!(session_out(port_a).contains("New, TLSv1.2"));
    let out = session_in(port_b);
    assert!(out.contains("Reused, TLSv1.2"), "{out}");

    for server in [&a, &b] {
        assert_eq!(connection_failure(server), None, "no connection failed");
        // What is logged names operations and causes, never the key.
        assert!(!server.output().contains(FLEET_KEY_HEX));
    }
    // A: 1 before, 2 during, 1 after; B: 1, 2, 1.
    assert_eq!(nth_report(&a, 4).get("resumed"), "false");
    let on_b = nth_report(&b, 4);
    assert_eq!(on_b.get("resumed"), "true");
    assert_eq!(on_b.get("session_id"), nth_report(&a, 4).get("session_id"));
}
