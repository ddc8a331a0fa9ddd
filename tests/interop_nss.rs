//! Interoperability with NSS 3.87 (Debian `libnss3-tools`):
//! `tstclnt` as a client of `ferrotls server --www`, and
//! `selfserv` as a server for `ferrotls client`, in TLS 1.3 and 1.2, with
//! the P-256 and RSA-2048 chains, each a full handshake then a resumption
//! (TLS 1.3 tickets; TLS 1.2 by session ID and by RFC 5077 ticket).
//!
//! NSS reads trust and keys from a database: each test makes one in its
//! scratch directory (`certutil -N --empty-password`), trusts both roots
//! (`-t C,,`) and imports both leaves with their intermediates as
//! PKCS#12 (`openssl pkcs12 -export`, `pk12util -i`), nicknamed by key
//! type. `selfserv` cannot report its port: it gets a free one and the
//! test waits for its `About to call accept` (`-v`).

mod interop_support;

use interop_support::*;

/// The key types served in both directions.
const KEY_TYPES: [&str; 2] = ["p256", "rsa2048"];

/// Runs `program args` and fails the test unless it succeeds.
fn ok(program: &str, args: &[&str]) {
    let (status, out) = run(program, args, b"");
    assert!(status.success(), "{program} {}: {out}", args.join(" "));
}

/// An NSS database in `scratch` trusting the roots of [`KEY_TYPES`] and
/// holding each leaf, its key and its intermediate under the key type's
/// name.
fn nss_db(scratch: &Scratch) -> String {
    let db = scratch.file("nssdb");
    std::fs::create_dir_all(&db).expect("database directory");
    ok("certutil", &["-N", "-d", &db, "--empty-password"]);
    for key_type in KEY_TYPES {
        let root = vector(&format!("{key_type}-root.pem"));
        let nickname = format!("{key_type}-root");
        ok(
            "certutil",
            &["-A", "-d", &db, "-n", &nickname, "-t", "C,,", "-i", &root],
        );
        let p12 = scratch.file(&format!("{key_type}.p12"));
        ok(
            "openssl",
            &[
                "pkcs12",
                "-export",
                "-in",
                &vector(&format!("{key_type}-chain.pem")),
                "-inkey",
                &vector(&format!("{key_type}-leaf.key")),
                "-name",
                key_type,
                "-passout",
                "pass:",
                "-out",
                &p12,
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
    // on both connections: TLS 1.2 by session ID, design §3)
    let cases = [
        (&["-u"][..], "1.3", false),
        (&["-u"][..], "1.2", false),
        (&[][..], "1.2", true),
    ];
    for key_type in KEY_TYPES {
        for (extra, version, same_id) in cases {
            let what = format!("{key_type} TLS {version} {extra:?}");
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
            let (status, out) = run_client(&[
                "client",
                &addr,
                "--servername",
                &format!("leaf.{key_type}.test"),
                "--cafile",
                &vector(&format!("{key_type}-root.pem")),
                "--min-version",
                version,
                "--max-version",
                version,
                "--connections",
                "2",
                "--json",
            ]);
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
