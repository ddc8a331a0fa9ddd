//! The tokio examples, run: `tokio_client` against `tokio_server` (SNI
//! chooses the certificate, echo, close_notify both ways), and curl
//! (Debian `curl`, with nghttp2) against `hyper_server` over HTTP/2 and
//! HTTP/1.1, each chosen by ALPN, and headless Chromium (Debian
//! `chromium`) over HTTP/2.
//!
//! The examples must be built first (`cargo test` builds them; `cargo
//! test --test tokio_examples` alone does not): a test fails when one is
//! missing, as it does when curl or Chromium is (`examples_support`).

mod examples_support;
mod interop_support;

use examples_support::{example, run, Server};

#[test]
fn the_tokio_client_gets_its_echo_from_the_tokio_server_for_each_name() {
    let server = Server::start("tokio_server");
    let client = example("tokio_client");
    let client = client.to_str().unwrap();
    for name in ["leaf.p256.test", "leaf.rsa2048.test"] {
        // The client checks the chain against `name`'s root only: the
        // server must have chosen the certificate by SNI.
        let out = run(client, &[&server.address, name]);
        assert!(out.contains("connected: Some(TLSv1_3)"), "{out}");
        assert!(out.ends_with("echo: hello over ferrotls\n"), "{out}");
    }
}

/// curl's page from `hyper_server` with `protocol_flag`, then the HTTP
/// version curl used.
fn curl(server: &Server, protocol_flag: &str) -> (String, String) {
    let cacert = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki/p256-root.pem");
    let resolve = format!("leaf.p256.test:{}:127.0.0.1", server.port());
    let url = format!("https://leaf.p256.test:{}/page", server.port());
    let out = run(
        "curl",
        &[
            "--silent",
            "--show-error",
            protocol_flag,
            "--cacert",
            cacert,
            "--resolve",
            &resolve,
            "--write-out",
            "%{http_version}",
            &url,
        ],
    );
    let (page, version) = out.rsplit_once('\n').unwrap();
    (page.to_owned(), version.to_owned())
}

#[test]
fn curl_gets_the_hyper_page_over_http2_and_http11() {
    let server = Server::start("hyper_server");
    let (page, version) = curl(&server, "--http2");
    assert_eq!(version, "2");
    assert!(
        page.starts_with("hello from ferrotls: HTTP/2.0 /page over Some(TLSv1_3)"),
        "{page}"
    );
    let (page, version) = curl(&server, "--http1.1");
    assert_eq!(version, "1.1");
    assert!(
        page.starts_with("hello from ferrotls: HTTP/1.1 /page over Some(TLSv1_3)"),
        "{page}"
    );
}

#[test]
fn chromium_gets_the_hyper_page_over_http2() {
    let server = Server::start("hyper_server");
    let scratch = interop_support::Scratch::new("hyper-chromium");
    let out = interop_support::dump_dom(
        &scratch,
        &format!("https://localhost:{}/page", server.port()),
    );
    // Chromium offers h2 first: the page says HTTP/2 over TLS 1.3.
    assert!(
        out.contains("hello from ferrotls: HTTP/2.0 /page over Some(TLSv1_3)"),
        "{out}"
    );
}
