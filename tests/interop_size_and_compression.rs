//! record_size_limit (RFC 8449) against GnuTLS 3.7.9, both roles and
//! both TLS 1.3 and 1.2, through `ferrotls client`/`server` and their
//! JSON reports; certificate compression (RFC 8879) with a GnuTLS build
//! that has none.
//!
//! What the peers here have (checked with their `--help` and debug
//! output): GnuTLS announces record_size_limit by default (2^14 + 1 when
//! it offers TLS 1.3), answers ours (2^14 + 1 in TLS 1.3, 2^14 in 1.2;
//! `--recordsize N`: N + 1 and N), and ignores a peer's limit under 512
//! unless its priority says `%ALLOW_SMALL_RECORDS`, so the limits here
//! are 512 and up. Its `--compress-cert` exists, but Debian's 3.7.9 is
//! built without zlib, brotli and zstd (`Unknown compression method`),
//! so the compressed-certificate peers are Chromium
//! (`tests/interop_chromium.rs`) and rustls (`tests/interop_rustls.rs`).
//! OpenSSL 3.0 has neither extension, NSS
//! 3.87's `tstclnt`/`selfserv` no switch for either; its `s_client
//! -msg` shows the records our `--max-send-fragment` sends, and with
//! `-maxfraglen` the max_fragment_length (RFC 6066 §4) our server answers
//! and keeps to.

mod interop_support;

use interop_support::*;

const GNUTLS_TLS13: &str = "NORMAL:-VERS-ALL:+VERS-TLS1.3";
const GNUTLS_TLS12: &str = "NORMAL:-VERS-ALL:+VERS-TLS1.2";

/// An HTTP request of over 3000 bytes (a padding header), so that our
/// client must split it to the server's limit.
fn long_request() -> String {
    format!(
        "GET / HTTP/1.0\\r\\nX-Pad: {}\\r\\n\\r\\n",
        "a".repeat(3000)
    )
}

#[test]
fn gnutls_serv_and_our_client_keep_to_each_others_record_size_limit() {
    // Our client takes records of at most 512 bytes; gnutls-serv's page
    // (about 750 bytes in 1.3, 900 in 1.2) must arrive in records within
    // that, or our client fails with record_overflow. gnutls-serv with
    // `--recordsize 1024` takes at most 1024 (1025 in TLS 1.3 with the
    // content type); our 3000-byte request is split to fit.
    require("gnutls-serv");
    let request = long_request();
    for (priority, version, default_limit, set_limit) in [
        (GNUTLS_TLS13, "TLSv1.3", "16385", "1025"),
        (GNUTLS_TLS12, "TLSv1.2", "16384", "1024"),
    ] {
        for (extra, expected) in [
            (&[][..], default_limit),
            (&["--recordsize", "1024"][..], set_limit),
        ] {
            let mut args = vec!["--priority", priority];
            args.extend_from_slice(extra);
            let (_server, port) = gnutls_server("p256", &args);
            let (status, out) =
                ferrotls_client(port, &["--record-size-limit", "512", "--request", &request]);
            assert!(status.success(), "{priority} {extra:?}: {out}");
            let json = json_lines(&out);
            assert_eq!(json[0].get("version"), version, "{out}");
            assert_eq!(json[0].get("record_size_limit"), expected, "{out}");
            assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
            assert!(out.contains("</HTML>"), "the whole page arrived: {out}");
        }
    }
}

#[test]
fn gnutls_cli_and_our_server_negotiate_record_size_limit() {
    // gnutls-cli `--recordsize 512` announces 513 in TLS 1.3 and 512 in
    // 1.2; our server, announcing 512 itself, reports it and serves the
    // page within it.
    require("gnutls-cli");
    for (priority, version, expected) in [
        (GNUTLS_TLS13, "TLSv1.3", "513"),
        (GNUTLS_TLS12, "TLSv1.2", "512"),
    ] {
        let (server, port) = ferrotls_server(&[
            "--www",
            "--record-size-limit",
            "512",
            "--max-connections",
            "1",
        ]);
        let out = gnutls_cli_to_p256(
            port,
            &["--recordsize", "512", "--priority", priority],
            b"GET / HTTP/1.0\r\n\r\n",
            "record_size_limit",
        );
        assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
        assert!(
            out.contains(&format!("record_size_limit: {expected}\n")),
            "{out}"
        );
        let (_, log) = server.wait_exit();
        let json = json_lines(&log);
        assert_eq!(json[0].get("version"), version, "{log}");
        assert_eq!(json[0].get("record_size_limit"), expected, "{log}");
    }
}

#[test]
fn gnutls_without_compression_ignores_our_compress_certificate() {
    // Both of our roles offer compress_certificate by default; GnuTLS
    // (built without compressors) parses it and sends its certificate
    // plain, and takes ours plain: nothing is compressed either way.
    require("gnutls-serv");
    let (_server, port) = gnutls_server("p256", &["--priority", GNUTLS_TLS13]);
    let (status, out) = ferrotls_client(port, &[]);
    assert!(status.success(), "{out}");
    let json = json_lines(&out);
    assert_eq!(json[0].get("version"), "TLSv1.3", "{out}");
    assert_eq!(json[0].get("certificate_compression"), "null", "{out}");
    assert_eq!(json[0].get("peer_certificates"), "2", "{out}");
}

/// `ferrotls server --max-send-fragment 512`: every record OpenSSL's
/// `s_client -msg` receives from us, the encrypted flight and the page
/// included, carries at most 512 bytes of plaintext (529 on the wire:
/// the content type and the AES-GCM tag); the page needs several.
/// The lengths of the records of `content_type` (`16` handshake, `17`
/// application data, in hex as printed) that OpenSSL's `-msg` shows going
/// `direction` (`<<<` received, `>>>` sent): `<<< ... RecordHeader`, then
/// the header's bytes: type, version, length.
fn record_lengths(out: &str, direction: &str, content_type: &str) -> Vec<usize> {
    let lines: Vec<&str> = out.lines().collect();
    lines
        .windows(2)
        .filter(|w| w[0].starts_with(direction) && w[0].contains("RecordHeader"))
        .filter_map(|w| {
            let bytes: Vec<&str> = w[1].split_whitespace().collect();
            (bytes.first() == Some(&content_type))
                .then(|| usize::from_str_radix(&format!("{}{}", bytes[3], bytes[4]), 16).ok())
                .flatten()
        })
        .collect()
}

/// The bytes, in hex separated by spaces, of the handshake message `name`
/// (`ServerHello`, `EncryptedExtensions`) that `s_client -msg` shows it
/// received.
fn received_message_hex(out: &str, name: &str) -> String {
    let mut lines = out
        .lines()
        .skip_while(|l| !(l.starts_with("<<<") && l.ends_with(&format!(", {name}"))));
    lines.next();
    lines
        .take_while(|l| !l.starts_with("<<<") && !l.starts_with(">>>"))
        .map(str::trim)
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn openssl_sees_our_records_no_larger_than_max_send_fragment() {
    let (_server, port) = ferrotls_server(&["--www", "--max-send-fragment", "512"]);
    let out = s_client_to_p256(port, &["-tls1_3", "-msg"], b"GET / HTTP/1.0\r\n\r\n");
    assert!(out.contains("ferrotls server"), "{out}");
    let lengths = record_lengths(&out, "<<<", "17");
    assert!(
        lengths.iter().all(|&len| len <= 512 + 1 + 16),
        "{lengths:?}"
    );
    assert!(
        lengths.iter().filter(|&&len| len == 512 + 1 + 16).count() >= 2,
        "{lengths:?}"
    );
}

#[test]
fn rfc6066_4_openssl_asking_a_max_fragment_length_has_it_answered_and_kept() {
    // `s_client -maxfraglen 512` sends max_fragment_length 1 and no
    // record_size_limit: our server echoes it, in its EncryptedExtensions
    // (TLS 1.3) or ServerHello (TLS 1.2), and every record it sends then
    // holds at most 512 bytes of plaintext, its certificates' and the
    // page's (about 700 bytes) alike. OpenSSL refuses a longer record
    // with record_overflow once the length is agreed.
    for (version, answer, overhead) in [
        ("-tls1_3", "EncryptedExtensions", 1 + 16),
        ("-tls1_2", "ServerHello", 8 + 16),
    ] {
        let (_server, port) = ferrotls_server(&["--www"]);
        let out = s_client_to_p256(
            port,
            &[version, "-maxfraglen", "512", "-msg"],
            b"GET / HTTP/1.0\r\n\r\n",
        );
        assert!(out.contains("ferrotls server"), "{version}: {out}");
        let hex = received_message_hex(&out, answer);
        assert!(hex.contains("00 01 00 01 01"), "{version}: {answer}: {hex}");
        let protected = record_lengths(&out, "<<<", "17");
        assert!(
            protected.iter().all(|&len| len <= 512 + overhead),
            "{version}: {protected:?}"
        );
        assert!(
            protected.contains(&(512 + overhead)),
            "{version}: {protected:?}"
        );
        let plaintext = record_lengths(&out, "<<<", "16");
        assert!(
            plaintext.iter().all(|&len| len <= 512),
            "{version}: {plaintext:?}"
        );
    }
}

#[test]
fn rfc6066_4_a_session_openssl_bound_to_a_max_fragment_length_is_resumed_only_with_it() {
    // OpenSSL 3.0's server resumes a TLS 1.2 session with the
    // max_fragment_length it was made with, whatever the new ClientHello
    // asks: the length "applies for the duration of the session including
    // session resumptions" (RFC 6066 §4). Our client announcing 1025 makes
    // a session bound to 2^10 and resumes it announcing 1025 again; with
    // another limit, or none, it does not offer the session and gets a new
    // one. Offering it, the client met an answer it had not asked for
    // (unsupported_extension) or with another code (illegal_parameter).
    let (_server, port) = openssl_server("p256", &["-tls1_2"], &["-www"]);
    let scratch = Scratch::new("mfl-session");
    let session = scratch.file("session");
    let connect = |limit: &str, session_option: &str| {
        let (status, out) = ferrotls_client(
            port,
            &[
                "--max-version",
                "1.2",
                "--record-size-limit",
                limit,
                session_option,
                &session,
            ],
        );
        assert!(status.success(), "{limit} {session_option}: {out}");
        assert!(
            out.contains("Ciphers supported in s_server binary"),
            "{out}"
        );
        out.contains("\"resumed\":true")
    };
    assert!(!connect("1025", "--sess-out"));
    for (limit, resumed) in [
        ("1025", true),
        ("513", false),
        ("16385", false),
        ("0", false),
    ] {
        assert_eq!(connect(limit, "--sess-in"), resumed, "{limit}");
    }
}

#[test]
fn rfc8449_5_openssl_keeps_to_the_max_fragment_length_our_client_sends_beside_its_limit() {
    // OpenSSL 3.0 has no record_size_limit. Our client announcing 1025
    // also sends max_fragment_length 2 (2^10), which s_server answers: its
    // page (several KB: `-www` lists its ciphers) leaves in records of at
    // most 1024 bytes of plaintext, as its `-msg` shows, and our client,
    // which then refuses a longer one, reads it whole.
    for (version, overhead) in [("-tls1_3", 1 + 16), ("-tls1_2", 8 + 16)] {
        let (server, port) = openssl_server("p256", &[version], &["-www", "-msg"]);
        let (status, out) = ferrotls_client(port, &["--record-size-limit", "1025"]);
        assert!(status.success(), "{version}: {out}");
        assert!(
            out.contains("Ciphers supported in s_server binary"),
            "{out}"
        );
        let log = server.output();
        let sent = record_lengths(&log, ">>>", "17");
        assert!(
            sent.iter().all(|&len| len <= 1024 + overhead),
            "{version}: {sent:?}"
        );
        assert!(sent.contains(&(1024 + overhead)), "{version}: {sent:?}");
    }
}
