//! Headless Chromium (Debian `chromium`, BoringSSL) as
//! a client of `ferrotls server --www` on 127.0.0.1.
//!
//! `--dump-dom` loads one page and prints its DOM: loading
//! `https://localhost:PORT/` shows our page (a text/plain page becomes a
//! `<pre>`). To see a resumption, the second load is a local HTML file
//! that frames `https://localhost:PORT/first` and, once that frame has
//! loaded (and its connection has received our TLS 1.3 tickets), adds a
//! frame of `/second`: our server closes every connection after its page
//! (HTTP/1.0), so the second frame needs a new connection, which resumes.
//! `--dump-dom` waits for the document's load event, which the second
//! frame delays. Chromium may also open a spare connection that carries
//! no request; our server does not count that as a failure.

mod interop_support;

use interop_support::*;

/// `log` up to its last newline: a line still arriving is left out.
fn complete_lines(log: &str) -> &str {
    &log[..log.rfind('\n').map_or(0, |i| i + 1)]
}

#[test]
fn chromium_gets_our_page_over_tls13_and_resumes_in_a_second_frame() {
    let scratch = Scratch::new("chromium");

    // One load: the page arrives, over TLS 1.3.
    let (server, port) = ferrotls_server(&["--www"]);
    let out = dump_dom(&scratch, &format!("https://localhost:{port}/"));
    assert!(out.contains("<pre"), "{out}");
    assert!(out.contains("ferrotls server\nrole: server\n"), "{out}");
    // The JSON line of the connection that carried the page (printed
    // before the page was sent; waited for, as the pipe is read apart).
    let page_of = |j: &Json| out.contains(&format!("session_id: {}\n", j.get("session_id")));
    let log = server
        .wait_until(|log| json_lines(complete_lines(log)).iter().any(page_of))
        .unwrap_or_else(|| {
            panic!(
                "no handshake of ours carried the page:\n{}\n{out}",
                server.output()
            )
        });
    drop(server);
    let json = json_lines(&log);
    let served = json.iter().find(|j| page_of(j)).expect("waited for");
    assert_eq!(served.get("version"), "TLSv1.3", "{log}");
    assert_eq!(served.get("server_name"), "localhost", "{log}");
    // Chromium offers the hybrid with an X25519 share; our server, which
    // prefers it by default, takes it (draft-ietf-tls-ecdhe-mlkem).
    assert_eq!(served.get("group"), "X25519MLKEM768", "{log}");
    // Chromium offers brotli certificate compression (RFC 8879), the
    // first of our defaults: our server's chain went compressed with it.
    assert_eq!(
        served.get("sent_certificate_compression"),
        "brotli",
        "{log}"
    );
    assert!(out.contains("version: TLSv1.3\n"), "{out}");
    assert!(
        !log.contains("ferrotls server:"),
        "a connection failed:\n{log}"
    );

    // Two frames, the second added once the first has loaded: its
    // connection resumes a session of an earlier one (design §3: our
    // session ID T persists across the resumption).
    let (server, port) = ferrotls_server(&["--www"]);
    let page = scratch.file("frames.html");
    std::fs::write(
        &page,
        format!(
            "<html><body><iframe id=\"first\" src=\"https://localhost:{port}/first\"></iframe>\
             <script>document.getElementById(\"first\").onload = function () {{\
             var f = document.createElement(\"iframe\");\
             f.src = \"https://localhost:{port}/second\";\
             document.body.appendChild(f); }};</script></body></html>"
        ),
    )
    .expect("frames page");
    let out = dump_dom(&scratch, &format!("file://{page}"));
    assert!(out.contains(&format!("localhost:{port}/second")), "{out}");
    let resumed = |j: &Json| j.get("resumed") == "true";
    let log = server
        .wait_until(|log| json_lines(complete_lines(log)).iter().any(resumed))
        .unwrap_or_else(|| panic!("no connection resumed:\n{}", server.output()));
    drop(server);
    let json = json_lines(&log);
    let resumed = json.iter().find(|j| resumed(j)).expect("waited for");
    assert_eq!(resumed.get("version"), "TLSv1.3", "{log}");
    assert!(
        json.iter().any(
            |j| j.get("resumed") == "false" && j.get("session_id") == resumed.get("session_id")
        ),
        "the resumed session is none of the full handshakes':\n{log}"
    );
    assert!(
        !log.contains("ferrotls server:"),
        "a connection failed:\n{log}"
    );
}

/// Chromium asks for an OCSP staple (status_request, RFC 6066 §8) and our
/// server, given one with `--ocsp FILE`, staples it to the connection
/// that carries the page: TLS 1.3 sends it in the end entity's
/// CertificateEntry (RFC 8446 §4.4.2.1).
#[test]
fn chromium_asks_for_our_ocsp_staple_and_gets_it() {
    let scratch = Scratch::new("chromium-ocsp");
    let (chain, key, ocsp) = (
        vector("stapling/good-chain.pem"),
        vector("stapling/good.key"),
        vector("stapling/good.ocsp.der"),
    );
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
        ],
    );
    let port = server.wait_for_port("listening on");
    let out = dump_dom(&scratch, &format!("https://localhost:{port}/"));
    assert!(out.contains("ocsp_stapled: true\n"), "{out}");
    let page_of = |j: &Json| out.contains(&format!("session_id: {}\n", j.get("session_id")));
    let log = server
        .wait_until(|log| json_lines(complete_lines(log)).iter().any(page_of))
        .unwrap_or_else(|| panic!("no handshake carried the page:\n{}", server.output()));
    drop(server);
    let json = json_lines(&log);
    let served = json.iter().find(|j| page_of(j)).expect("waited for");
    assert_eq!(served.get("version"), "TLSv1.3", "{log}");
    assert_eq!(served.get("ocsp_stapled"), "true", "{log}");
}
