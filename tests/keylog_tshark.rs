//! The key log checked by an independent tool (design §6): one of our
//! TLS 1.3 handshakes, client and server in memory, is written to a pcap
//! file as a TCP stream (the exact bytes that crossed, in order), and
//! `tshark -o tls.keylog_file:…` must decrypt the HTTP request and
//! response inside it with the key log either side wrote. A key log
//! missing a secret must not decrypt it, which shows the check can fail.
//! tshark is installed by `tests/run.sh`; its absence fails the test.

mod common;
mod interop_support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use common::*;
use ferrotls::{Connection, KeyLogFile};

const REQUEST: &[u8] = b"GET /keylog-check HTTP/1.0\r\nHost: leaf.p256.test\r\n\r\n";
const RESPONSE: &[u8] = b"HTTP/1.0 200 OK\r\nContent-Length: 12\r\n\r\nkeylog works";

/// Which way bytes went.
#[derive(Clone, Copy, PartialEq)]
enum Dir {
    ToServer,
    ToClient,
}

/// Moves everything `from` has queued to `to`, recording it.
fn carry(from: &mut Connection, to: &mut Connection, dir: Dir, log: &mut Vec<(Dir, Vec<u8>)>) {
    let mut bytes = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut bytes).unwrap();
    }
    if bytes.is_empty() {
        return;
    }
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        to.read_tls(&mut rest).unwrap();
        to.process_new_packets().unwrap();
    }
    log.push((dir, bytes));
}

/// Runs a handshake and one HTTP exchange, with key logs; returns the
/// bytes that crossed.
fn capture(client_keys: &Path, server_keys: &Path) -> Vec<(Dir, Vec<u8>)> {
    let client = client_builder("p256")
        .key_log(Arc::new(KeyLogFile::open(client_keys).unwrap()))
        .build()
        .unwrap();
    let server = server_builder("p256")
        .key_log(Arc::new(KeyLogFile::open(server_keys).unwrap()))
        .build()
        .unwrap();
    let (mut c, mut s) = pair(client, server, server_name("p256"));
    let mut log = Vec::new();
    for _ in 0..4 {
        carry(&mut c, &mut s, Dir::ToServer, &mut log);
        carry(&mut s, &mut c, Dir::ToClient, &mut log);
    }
    assert!(!c.is_handshaking() && !s.is_handshaking());
    c.writer().write_all(REQUEST).unwrap();
    carry(&mut c, &mut s, Dir::ToServer, &mut log);
    let mut got = vec![0; REQUEST.len()];
    s.reader().read_exact(&mut got).unwrap();
    assert_eq!(got, REQUEST);
    s.writer().write_all(RESPONSE).unwrap();
    s.send_close_notify();
    carry(&mut s, &mut c, Dir::ToClient, &mut log);
    c.send_close_notify();
    carry(&mut c, &mut s, Dir::ToServer, &mut log);
    log
}

/// A pcap file (LINKTYPE_RAW, IPv4) of one TCP connection
/// 127.0.0.1:50000 → 127.0.0.1:443 carrying `log`, after a three-way
/// handshake. Checksums are left zero (tshark does not check them by
/// default).
fn pcap(log: &[(Dir, Vec<u8>)]) -> Vec<u8> {
    const SYN: u8 = 0x02;
    const ACK: u8 = 0x10;
    const PSH: u8 = 0x08;
    const MSS: usize = 1400;
    let mut out = Vec::new();
    // Global header: magic, version 2.4, zone, sigfigs, snaplen, RAW (101).
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&101u32.to_le_bytes());

    let (mut client_seq, mut server_seq) = (1_000u32, 5_000u32);
    let mut time = 1_700_000_000u32;
    let mut packet = |dir: Dir, flags: u8, seq: u32, ack: u32, payload: &[u8]| {
        let (src, dst) = match dir {
            Dir::ToServer => (50000u16, 443u16),
            Dir::ToClient => (443, 50000),
        };
        let total = 40 + payload.len();
        let mut p = Vec::with_capacity(total);
        p.extend_from_slice(&[0x45, 0]);
        p.extend_from_slice(&(total as u16).to_be_bytes());
        p.extend_from_slice(&[0, 0, 0x40, 0, 64, 6, 0, 0]);
        p.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 1]);
        p.extend_from_slice(&src.to_be_bytes());
        p.extend_from_slice(&dst.to_be_bytes());
        p.extend_from_slice(&seq.to_be_bytes());
        p.extend_from_slice(&ack.to_be_bytes());
        p.extend_from_slice(&[0x50, flags]);
        p.extend_from_slice(&65535u16.to_be_bytes());
        p.extend_from_slice(&[0, 0, 0, 0]);
        p.extend_from_slice(payload);
        time += 1;
        out.extend_from_slice(&time.to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(&(p.len() as u32).to_le_bytes());
        out.extend_from_slice(&p);
    };
    packet(Dir::ToServer, SYN, client_seq, 0, &[]);
    client_seq += 1;
    packet(Dir::ToClient, SYN | ACK, server_seq, client_seq, &[]);
    server_seq += 1;
    packet(Dir::ToServer, ACK, client_seq, server_seq, &[]);
    for (dir, bytes) in log {
        for chunk in bytes.chunks(MSS) {
            let n = chunk.len() as u32;
            match dir {
                Dir::ToServer => {
                    packet(*dir, PSH | ACK, client_seq, server_seq, chunk);
                    client_seq += n;
                }
                Dir::ToClient => {
                    packet(*dir, PSH | ACK, server_seq, client_seq, chunk);
                    server_seq += n;
                }
            }
        }
    }
    out
}

/// What tshark decrypts: the HTTP request URIs and response bodies it
/// finds with `keys` as the key log.
fn tshark_http(capture: &Path, keys: &Path) -> String {
    let keylog = format!("tls.keylog_file:{}", keys.display());
    let (status, out) = interop_support::run(
        "tshark",
        &[
            "-r",
            capture.to_str().unwrap(),
            "-o",
            &keylog,
            "-Y",
            "http",
            "-T",
            "fields",
            "-e",
            "http.request.uri",
            "-e",
            "http.response.code",
            "-e",
            "http.file_data",
        ],
        b"",
    );
    assert!(status.success(), "tshark failed:\n{out}");
    out
}

#[test]
fn tshark_decrypts_our_capture_with_either_key_log() {
    interop_support::require("tshark");
    let dir = interop_support::Scratch::new("keylog-tshark");
    let client_keys = PathBuf::from(dir.file("client-keys.log"));
    let server_keys = PathBuf::from(dir.file("server-keys.log"));
    let log = capture(&client_keys, &server_keys);
    let capture_file = PathBuf::from(dir.file("capture.pcap"));
    std::fs::write(&capture_file, pcap(&log)).unwrap();

    for keys in [&client_keys, &server_keys] {
        let out = tshark_http(&capture_file, keys);
        assert!(
            out.contains("/keylog-check"),
            "request not decrypted:\n{out}"
        );
        assert!(out.contains("200"), "response not decrypted:\n{out}");
    }

    // The same capture with the application traffic secrets left out of
    // the key log: the HTTP stays hidden, so the check above can fail.
    let text = std::fs::read_to_string(&client_keys).unwrap();
    assert!(text.contains("CLIENT_TRAFFIC_SECRET_0"), "{text}");
    let partial: String = text
        .lines()
        .filter(|l| !l.contains("TRAFFIC_SECRET_0"))
        .map(|l| format!("{l}\n"))
        .collect();
    let partial_keys = PathBuf::from(dir.file("partial-keys.log"));
    std::fs::write(&partial_keys, partial).unwrap();
    let out = tshark_http(&capture_file, &partial_keys);
    assert!(
        !out.contains("/keylog-check"),
        "decrypted without the keys:\n{out}"
    );
}
