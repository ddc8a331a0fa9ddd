//! Interoperability with NSS 3.87 (Debian `libnss3-tools`):
//! `tstclnt` as a client of `ferrotls server --www`, and
//! `selfserv` as a server for `ferrotls client`, in TLS 1.3 and 1.2, with
//! the P-256 and RSA-2048 chains, each a full handshake then a resumption
//! (TLS 1.3 tickets; TLS 1.2 by session ID and by RFC 5077 ticket).
//!
//! NSS reads trust and keys from a database: each test makes one in its
//! scratch directory (`certutil -N --empty-password`), trusts the roots
//! (`-t CT,,`: for servers' and clients' certificates) and imports the
//! leaves with their intermediates as
//! PKCS#12 (`openssl pkcs12 -export`, `pk12util -i`), nicknamed by key
//! type. `selfserv` cannot report its port: it gets a free one and the
//! test waits for its `About to call accept` (`-v`).
//!
//! tstclnt also asks for our OCSP staple (`-T`, RFC 6066 §8), announces a
//! record_size_limit (RFC 8449) by default, and answers a post-handshake
//! CertificateRequest (`-E`, RFC 8446 §4.6.2); selfserv renegotiates
//! (RFC 5746) to ask our client for its certificate.

mod interop_support;

use interop_support::*;

/// The key types served in both directions.
const KEY_TYPES: [&str; 2] = ["p256", "rsa2048"];

/// Runs `program args` and fails the test unless it succeeds.
fn ok(program: &str, args: &[&str]) {
    let (status, out) = run(program, args, b"");
    assert!(status.success(), "{program} {}: {out}", args.join(" "));
}

/// The client certificate tstclnt sends when asked after the handshake.
const CLIENT_KEY_TYPE: &str = "p384";

/// The chain (leaf first) and leaf key files of `key_type` in
/// `vectors/pki`.
fn leaf_files(key_type: &str) -> (String, String) {
    (
        vector(&format!("{key_type}-chain.pem")),
        vector(&format!("{key_type}-leaf.key")),
    )
}

/// An NSS database in `scratch` trusting the roots of [`KEY_TYPES`],
/// [`CLIENT_KEY_TYPE`] and the stapling vectors, and holding each leaf of
/// the first two, its key and its intermediate under the key type's name.
fn nss_db(scratch: &Scratch) -> String {
    let db = scratch.file("nssdb");
    std::fs::create_dir_all(&db).expect("database directory");
    ok("certutil", &["-N", "-d", &db, "--empty-password"]);
    let stapling_root = vector("stapling/root.pem");
    ok(
        "certutil",
        &[
            "-A",
            "-d",
            &db,
            "-n",
            "stapling-root",
            "-t",
            "C,,",
            "-i",
            &stapling_root,
        ],
    );
    for key_type in KEY_TYPES.into_iter().chain([CLIENT_KEY_TYPE]) {
        let root = vector(&format!("{key_type}-root.pem"));
        let nickname = format!("{key_type}-root");
        ok(
            "certutil",
            &["-A", "-d", &db, "-n", &nickname, "-t", "CT,,", "-i", &root],
        );
        let p12 = scratch.file(&format!("{key_type}.p12"));
        let (chain, key) = leaf_files(key_type);
        ok(
            "openssl",
            &[
                "pkcs12", "-export", "-in", &chain, "-inkey", &key, "-name", key_type, "-passout",
                "pass:", "-out", &p12,
            ],
        );
        ok("pk12util", &["-i", &p12, "-d", &db, "-W", ""]);
    }
    db
}

#[test]
fn tstclnt_resumes_with_our_server_in_tls13_and_tls12() {
    let scratch = Scratch::new("nss-tstclnt");
    let db = nss_db(&scratch);
    let request = scratch.file("request");
    std::fs::write(&request, "GET / HTTP/1.0\r\n\r\n").expect("request file");
    // (tstclnt versions, extra options, our version, how it resumes)
    let cases = [
        ("tls1.3:tls1.3", &[][..], "TLSv1.3", "1 stateless resumes"),
        ("tls1.2:tls1.2", &[][..], "TLSv1.2", "0 stateless resumes"),
        (
            "tls1.2:tls1.2",
            &["-u"][..],
            "TLSv1.2",
            "1 stateless resumes",
        ),
    ];
    for key_type in KEY_TYPES {
        for (versions, extra, version, how) in cases {
            let what = format!("{key_type} {version} {extra:?}");
            let (server, port) = ferrotls_server_with(key_type, &["--max-connections", "2"]);
            let port = port.to_string();
            let name = format!("leaf.{key_type}.test");
            let mut args = vec![
                "-h",
                "127.0.0.1",
                "-p",
                &port,
                "-a",
                &name,
                "-d",
                &db,
                "-V",
                versions,
                "-L",
                "2",
                "-A",
                &request,
            ];
            args.extend_from_slice(extra);
            let (status, out) = run("tstclnt", &args, b"");
            assert!(status.success(), "{what}: {out}");
            // Two pages; NSS found its session for the second connection
            // (by session ID, or by ticket when stateless).
            assert_eq!(out.matches("HTTP/1.0 200 OK").count(), 2, "{what}: {out}");
            assert!(
                out.contains(&format!("version: {version}\n")),
                "{what}: {out}"
            );
            assert!(out.contains("1 cache hits"), "{what}: {out}");
            assert!(out.contains(how), "{what}: {out}");
            let (status, log) = server.wait_exit();
            assert!(status.success(), "{what}: {log}");
            let json = json_lines(&log);
            assert_eq!(json.len(), 2, "{what}: {log}");
            for (i, resumed) in ["false", "true"].into_iter().enumerate() {
                assert_eq!(json[i].get("version"), version, "{what}");
                assert_eq!(json[i].get("resumed"), resumed, "{what}");
                assert_eq!(json[i].get("server_name"), name, "{what}");
            }
            // Design §3: the server's session ID persists across resumption.
            assert_eq!(json[0].get("session_id"), json[1].get("session_id"));
        }
    }
}

#[test]
fn our_client_resumes_with_selfserv_in_tls13_and_tls12() {
    let scratch = Scratch::new("nss-selfserv");
    let db = nss_db(&scratch);
    // (selfserv extra options, our version, the session ID is the same
    // on both connections: TLS 1.2 by session ID, design §3, our client
    // sends Chromium's ClientHello: GREASE and its extensions permuted)
    let cases = [
        (&["-u"][..], "1.3", false, false),
        (&["-u"][..], "1.2", false, false),
        (&[][..], "1.2", true, false),
        (&["-u"][..], "1.3", false, true),
        (&["-u"][..], "1.2", false, true),
    ];
    for key_type in KEY_TYPES {
        for (extra, version, same_id, chromium) in cases {
            let what = format!("{key_type} TLS {version} {extra:?}, Chromium's hello: {chromium}");
            let port = free_port().to_string();
            let mut args = vec![
                "-n",
                key_type,
                "-p",
                &port,
                "-d",
                &db,
                "-V",
                "tls1.2:tls1.3",
                "-v",
            ];
            args.extend_from_slice(extra);
            let server = Peer::spawn("selfserv", &args);
            server.wait_for("About to call accept");
            let addr = format!("127.0.0.1:{port}");
            let (name, cafile) = (
                format!("leaf.{key_type}.test"),
                vector(&format!("{key_type}-root.pem")),
            );
            let mut client = vec![
                "client",
                &addr,
                "--servername",
                &name,
                "--cafile",
                &cafile,
                "--min-version",
                version,
                "--max-version",
                version,
                "--connections",
                "2",
                "--json",
            ];
            if chromium {
                client.extend(["--grease", "--permute-extensions"]);
            }
            let (status, out) = run_client(&client);
            assert!(status.success(), "{what}: {out}");
            // selfserv's page echoes the request.
            assert_eq!(
                out.matches("Generic Web Server").count(),
                2,
                "{what}: {out}"
            );
            assert_eq!(out.matches("GET / HTTP/1.0").count(), 2, "{what}: {out}");
            let json = json_lines(&out);
            assert_eq!(json.len(), 2, "{what}: {out}");
            for (i, resumed) in ["false", "true"].into_iter().enumerate() {
                assert_eq!(json[i].get("version"), format!("TLSv{version}"), "{what}");
                assert_eq!(json[i].get("resumed"), resumed, "{what}");
            }
            assert_eq!(
                json[0].get("session_id") == json[1].get("session_id"),
                same_id,
                "{what}: {out}"
            );
            drop(server);
        }
    }
}

/// Runs tstclnt against `port` as `name`, offering `versions`, sending
/// the request `path` and `extra` options; returns its output.
fn tstclnt(
    scratch: &Scratch,
    db: &str,
    port: u16,
    name: &str,
    versions: &str,
    path: &str,
    extra: &[&str],
) -> String {
    let request = scratch.file("request");
    std::fs::write(&request, format!("GET {path} HTTP/1.0\r\n\r\n")).expect("request file");
    let port = port.to_string();
    let mut args = vec![
        "-h",
        "127.0.0.1",
        "-p",
        &port,
        "-a",
        name,
        "-d",
        db,
        "-V",
        versions,
        "-A",
        &request,
    ];
    args.extend_from_slice(extra);
    let (status, out) = run("tstclnt", &args, b"");
    assert!(status.success(), "tstclnt {}: {out}", args.join(" "));
    out
}

#[test]
fn tstclnt_gets_our_ocsp_staple_and_agrees_on_a_record_size_limit() {
    let scratch = Scratch::new("nss-stapling");
    let db = nss_db(&scratch);
    let (chain, key, ocsp) = (
        vector("stapling/good-chain.pem"),
        vector("stapling/good.key"),
        vector("stapling/good.ocsp.der"),
    );
    // (tstclnt versions, our version, the limit NSS announces: 2^14 + 1
    // counts the TLS 1.3 content type, RFC 8449 §4)
    for (versions, version, limit) in [
        ("tls1.3:tls1.3", "TLSv1.3", "16385"),
        ("tls1.2:tls1.2", "TLSv1.2", "16384"),
    ] {
        let server = Peer::spawn(
            ferrotls_bin(),
            &[
                "server",
                "--cert",
                &chain,
                "--key",
                &key,
                "--ocsp",
                &ocsp,
                "--listen",
                "127.0.0.1:0",
                "--json",
                "--www",
                "--max-connections",
                "1",
            ],
        );
        let port = server.wait_for_port("listening on");
        let out = tstclnt(&scratch, &db, port, "stapling.test", versions, "/", &["-T"]);
        assert!(
            out.contains("Received 1 Cert Status items"),
            "{version}: {out}"
        );
        assert!(out.contains("ocsp_stapled: true\n"), "{version}: {out}");
        let (status, log) = server.wait_exit();
        assert!(status.success(), "{version}: {log}");
        let json = json_lines(&log);
        assert_eq!(json.len(), 1, "{version}: {log}");
        assert_eq!(json[0].get("version"), version, "{log}");
        assert_eq!(json[0].get("ocsp_stapled"), "true", "{log}");
        assert_eq!(json[0].get("record_size_limit"), limit, "{log}");
    }
}

#[test]
fn tstclnt_answers_our_post_handshake_certificate_request_on_a_path() {
    let scratch = Scratch::new("nss-pha");
    let db = nss_db(&scratch);
    let root = vector(&format!("{CLIENT_KEY_TYPE}-root.pem"));
    let subject = format!("client certificate subject: CN=leaf.{CLIENT_KEY_TYPE}.test");
    // With -E tstclnt offers post_handshake_auth and answers with its
    // certificate; without, our server cannot ask (RFC 8446 §4.2.6).
    for (extra, answered) in [
        (&["-E", "-n", CLIENT_KEY_TYPE][..], true),
        (&["-n", CLIENT_KEY_TYPE][..], false),
    ] {
        let (server, port) = ferrotls_server(&[
            "--www",
            "--require-cert-path",
            "/secret",
            "--post-handshake-ca",
            &root,
            "--max-connections",
            "1",
        ]);
        let out = tstclnt(
            &scratch,
            &db,
            port,
            "leaf.p256.test",
            "tls1.3:tls1.3",
            "/secret",
            extra,
        );
        assert_eq!(out.contains(&subject), answered, "{extra:?}: {out}");
        assert_eq!(
            out.contains("no client certificate"),
            !answered,
            "{extra:?}: {out}"
        );
        let (status, log) = server.wait_exit();
        assert!(status.success(), "{extra:?}: {log}");
    }
}

/// `selfserv -r -r -r` asks for a client certificate on a second handshake
/// only: after the first one it sends a HelloRequest (RFC 5246 §7.4.1.1).
/// `ferrotls client --renegotiation --cert` (TLS 1.2, where the first
/// handshake signalled secure renegotiation, RFC 5746) answers with a new
/// handshake under the first one's keys and sends its P-384 chain there,
/// which selfserv validates.
#[test]
fn our_client_renegotiates_when_selfserv_asks_for_a_certificate() {
    let scratch = Scratch::new("nss-renegotiation");
    let db = nss_db(&scratch);
    let port = free_port().to_string();
    let server = Peer::spawn(
        "selfserv",
        &[
            "-n",
            "p256",
            "-p",
            &port,
            "-d",
            &db,
            "-V",
            "tls1.2:tls1.2",
            "-v",
            "-r",
            "-r",
            "-r",
        ],
    );
    server.wait_for("About to call accept");
    let addr = format!("127.0.0.1:{port}");
    let (chain, key) = leaf_files(CLIENT_KEY_TYPE);
    let (status, out) = run_client(&[
        "client",
        &addr,
        "--servername",
        "leaf.p256.test",
        "--cafile",
        &vector("p256-root.pem"),
        "--max-version",
        "1.2",
        "--renegotiation",
        "--cert",
        &chain,
        "--key",
        &key,
        "--json",
    ]);
    assert!(status.success(), "{out}");
    let json = json_lines(&out);
    assert_eq!(json.len(), 1, "{out}");
    assert_eq!(json[0].get("secure_renegotiation"), "true", "{out}");
    let log = server.wait_for("Certificate Validated");
    assert!(log.contains("Subject: CN=leaf.p384.test"), "{log}");
}

#[test]
fn rfc8701_tstclnt_ignores_the_grease_of_our_tickets_and_certificate_request() {
    // Our server's CertificateRequest carries a GREASE extension and a
    // GREASE scheme first, and its tickets a GREASE extension; NSS must
    // ignore them, answer with its certificate and resume on the ticket.
    let scratch = Scratch::new("nss-grease");
    let db = nss_db(&scratch);
    let root = vector(&format!("{CLIENT_KEY_TYPE}-root.pem"));
    let (server, port) = ferrotls_server(&[
        "--grease",
        "--require-client-cert",
        &root,
        "--max-connections",
        "2",
    ]);
    let out = tstclnt(
        &scratch,
        &db,
        port,
        "leaf.p256.test",
        "tls1.3:tls1.3",
        "/",
        &["-n", CLIENT_KEY_TYPE, "-L", "2"],
    );
    assert_eq!(out.matches("HTTP/1.0 200 OK").count(), 2, "{out}");
    assert!(out.contains("1 stateless resumes"), "{out}");
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let json = json_lines(&log);
    let resumed: Vec<&str> = json.iter().map(|j| j.get("resumed")).collect();
    assert_eq!(resumed, ["false", "true"], "{log}");
    assert!(
        json.iter().all(|j| j.get("peer_certificates") == "2"),
        "{log}"
    );
}
