//! Interop with five more independent TLS stacks on 127.0.0.1, Java's
//! SunJSSE (JDK 17), Bouncy Castle's TLS (BCJSSE 1.72, on its own
//! primitives), Go's crypto/tls (Go 1.19), Erlang/OTP's `ssl` (OTP 25)
//! and Haskell's `tls` (1.5), through peer programs that share one
//! command line: `tests/interop_support/JssePeer.java`, compiled with
//! `javac` and run on either Java provider, `tests/interop_support/gopeer`,
//! built with `go build`, `tests/interop_support/otp_peer.escript`, run
//! by `escript`, and `tests/interop_support/HsPeer.hs`, compiled with
//! `ghc`. Each stack's client resumes with `ferrotls server`, and our
//! client resumes with each stack's server, in TLS 1.3 (but Bouncy
//! Castle) and in TLS 1.2; certificates of the key types the other tests
//! meet least (Ed25519, P-521, RSA-PSS) sign on either side and are
//! checked on the other; 0-RTT data and client certificates go both ways
//! with OTP, and DHE in an RFC 7919 group with Bouncy Castle. JSSE and Go
//! servers send no TLS 1.3 ticket to a client that lists no
//! psk_key_exchange_modes (RFC 8446 §4.2.9), so our client's resumption
//! with them rests on listing its modes from its first ClientHello. A
//! missing `java`, Bouncy Castle jar, `go`, `escript` or `ghc` fails the
//! test (see `tests/run.sh`).

mod interop_support;

use interop_support::*;
use std::process::Command;

/// A chain, its leaf's key, the root that vouches for it and the name it
/// is for.
struct Credentials {
    chain: String,
    key: String,
    root: String,
    name: String,
}

impl Credentials {
    /// The `vectors/pki` hierarchy of `key_type` (`p256`, `ed25519`, ...).
    fn pki(key_type: &str) -> Self {
        Self {
            chain: vector(&format!("{key_type}-chain.pem")),
            key: vector(&format!("{key_type}-leaf.key")),
            root: vector(&format!("{key_type}-root.pem")),
            name: format!("leaf.{key_type}.test"),
        }
    }

    /// The RSASSA-PSS hierarchy of `vectors/pss` (an id-RSASSA-PSS leaf
    /// key, RFC 4055).
    fn pss() -> Self {
        let file = |name: &str| format!("{}/vectors/pss/{name}", env!("CARGO_MANIFEST_DIR"));
        Self {
            chain: file("chain.pem"),
            key: file("leaf.key"),
            root: file("root.pem"),
            name: "leaf.pss.test".into(),
        }
    }
}

/// A peer program: `client PORT ROOT VERSION CONNECTIONS NAME` or
/// `server CHAIN KEY VERSION CONNECTIONS` (see either source's header).
struct PeerProgram {
    /// The first word of its report lines (`SunJSSE`, `BCJSSE`, `GO`,
    /// `OTP`, `HS`).
    prefix: &'static str,
    /// The program and the arguments before the peer's own.
    command: Vec<String>,
    /// Where a built program lives, for as long as the test runs.
    _build: Option<Scratch>,
}

impl PeerProgram {
    /// Java's SunJSSE.
    fn jsse() -> Self {
        Self::java("SunJSSE", &[])
    }

    /// Bouncy Castle's TLS (BCJSSE, on Bouncy Castle's own primitives),
    /// from Debian's jars: the same peer program behind the same JSSE API,
    /// with a record layer and handshakes of its own.
    fn bouncy_castle() -> Self {
        let jars = BOUNCY_CASTLE_JARS.map(|jar| format!("/usr/share/java/{jar}"));
        for jar in &jars {
            assert!(
                std::path::Path::new(jar).exists(),
                "{jar} is missing (tests/run.sh installs libbctls-java)"
            );
        }
        Self::java("BCJSSE", &jars)
    }

    /// `JssePeer.java` run on `provider` with `jars` on the class path,
    /// compiled once with `javac` (a JVM launched on the source would
    /// compile it again at every start).
    fn java(provider: &'static str, jars: &[String]) -> Self {
        require("javac");
        let build = Scratch::new("jssepeer");
        let classes = build.file("classes");
        let source = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/interop_support/JssePeer.java"
        );
        let status = Command::new("javac")
            .args(["-d", &classes, source])
            .status()
            .expect("javac");
        assert!(status.success(), "javac of JssePeer.java failed");
        let class_path = std::iter::once(classes).chain(jars.iter().cloned());
        Self {
            prefix: provider,
            command: vec![
                "java".into(),
                format!("-Dpeer.provider={provider}"),
                "-cp".into(),
                class_path.collect::<Vec<_>>().join(":"),
                "JssePeer".into(),
            ],
            _build: Some(build),
        }
    }

    fn go() -> Self {
        require("go");
        let build = Scratch::new("gopeer");
        let program = build.file("gopeer");
        let status = Command::new("go")
            .args(["build", "-o", &program, "."])
            .current_dir(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/interop_support/gopeer"
            ))
            // The peer is a lone main package of the standard library.
            .env("GO111MODULE", "off")
            .status()
            .expect("go build");
        assert!(status.success(), "go build of gopeer failed");
        Self {
            prefix: "GO",
            command: vec![program],
            _build: Some(build),
        }
    }

    /// Compiled with `ghc` against Debian's `tls` package.
    fn haskell() -> Self {
        require("ghc");
        let build = Scratch::new("hspeer");
        let program = build.file("hspeer");
        let status = Command::new("ghc")
            .args([
                "-O0",
                "-v0",
                "-outputdir",
                &build.file("obj"),
                "-o",
                &program,
            ])
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/interop_support/HsPeer.hs"
            ))
            .status()
            .expect("ghc");
        assert!(status.success(), "ghc of HsPeer.hs failed");
        Self {
            prefix: "HS",
            command: vec![program],
            _build: Some(build),
        }
    }

    /// Run by `escript`, which compiles the script at each start (a
    /// fraction of a second).
    fn otp() -> Self {
        require("escript");
        Self {
            prefix: "OTP",
            command: vec![
                "escript".into(),
                concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/interop_support/otp_peer.escript"
                )
                .into(),
            ],
            _build: None,
        }
    }

    fn args<'a>(&'a self, args: &[&'a str]) -> (&'a str, Vec<&'a str>) {
        let mut all: Vec<&str> = self.command.iter().skip(1).map(String::as_str).collect();
        all.extend_from_slice(args);
        (&self.command[0], all)
    }

    /// Runs the client `connections` times against our server on `port`,
    /// which serves `server`'s chain, with TLS `version` (`1.2`, `1.3`);
    /// returns its output.
    fn client(&self, port: u16, server: &Credentials, version: &str, connections: usize) -> String {
        self.client_with(port, server, version, connections, &[])
    }

    /// [`Self::client`] with the peer's own trailing arguments `extra`.
    fn client_with(
        &self,
        port: u16,
        server: &Credentials,
        version: &str,
        connections: usize,
        extra: &[&str],
    ) -> String {
        let (port, connections) = (port.to_string(), connections.to_string());
        let mut args = vec![
            "client",
            &port,
            &server.root,
            version,
            &connections,
            &server.name,
        ];
        args.extend_from_slice(extra);
        let (program, args) = self.args(&args);
        let (status, out) = run(program, &args, b"");
        assert!(status.success(), "{out}");
        assert!(!out.contains(&format!("{} failed", self.prefix)), "{out}");
        out
    }

    /// Starts the server with `server`'s chain for `connections`
    /// connections with TLS `version`; returns the guard and the port.
    fn server(&self, server: &Credentials, version: &str, connections: usize) -> (Peer, u16) {
        self.server_with(server, version, connections, &[])
    }

    /// [`Self::server`] with the peer's own trailing arguments `extra`:
    /// the chain and key a JSSE server renegotiates to (TLS 1.2), or
    /// `early` for an OTP server taking 0-RTT data.
    fn server_with(
        &self,
        server: &Credentials,
        version: &str,
        connections: usize,
        extra: &[&str],
    ) -> (Peer, u16) {
        let connections = connections.to_string();
        let mut args = vec![
            "server",
            server.chain.as_str(),
            &server.key,
            version,
            &connections,
        ];
        args.extend_from_slice(extra);
        let (program, args) = self.args(&args);
        let peer = Peer::spawn(program, &args);
        let port = peer.wait_for_port("listening on");
        (peer, port)
    }

    /// The peer's report lines in `output`.
    fn lines<'a>(&self, output: &'a str) -> Vec<&'a str> {
        output
            .lines()
            .filter(|l| l.split_whitespace().next() == Some(self.prefix))
            .collect()
    }
}

/// The value of `key=` in a report line, when the peer reports it
/// (`resumed` from Go and OTP, `id` from JSSE and OTP).
fn field<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix(key)?.strip_prefix('='))
}

/// `ferrotls server` with `server`'s chain and `extra` options, `--json`.
fn our_server(server: &Credentials, extra: &[&str]) -> (Peer, u16) {
    ferrotls_server_serving(&server.chain, &server.key, extra)
}

/// `ferrotls client --json` to 127.0.0.1:`port`, trusting `server`'s
/// root and expecting its name, with `extra` options.
fn our_client(
    port: u16,
    server: &Credentials,
    extra: &[&str],
) -> (std::process::ExitStatus, String) {
    ferrotls_client_trusting(port, &server.root, &server.name, extra)
}

const BOUNCY_CASTLE_JARS: [&str; 3] = ["bctls.jar", "bcprov.jar", "bcutil.jar"];

const VERSIONS: [(&str, &str, &str); 2] = [
    ("1.3", "TLSv1.3", "TLS_AES_128_GCM_SHA256"),
    ("1.2", "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
];

/// The peer's client connects twice to `ferrotls server` in each of
/// `versions` and resumes the second time; our T persists across the
/// resumption (design §3), and a TLS 1.2 ID the peer reports is T.
fn their_client_resumes_with_our_server(peer: &PeerProgram, versions: &[(&str, &str, &str)]) {
    let p256 = Credentials::pki("p256");
    for &(version, name, suite) in versions {
        let (server, port) = our_server(&p256, &["--max-connections", "2"]);
        let out = peer.client(port, &p256, version, 2);
        let lines = peer.lines(&out);
        assert_eq!(lines.len(), 2, "{version}: {out}");
        let reported = format!("{} {name} {suite} ", peer.prefix);
        assert!(lines.iter().all(|l| l.starts_with(&reported)), "{out}");
        // Our page reports each connection's resumption.
        assert_eq!(out.matches("resumed: false").count(), 1, "{out}");
        assert_eq!(out.matches("resumed: true").count(), 1, "{out}");
        let (status, log) = server.wait_exit();
        assert!(status.success(), "{log}");
        let json = json_lines(&log);
        let resumed: Vec<&str> = json.iter().map(|j| j.get("resumed")).collect();
        assert_eq!(resumed, ["false", "true"], "{version}: {log}");
        let t = json[0].get("session_id");
        assert_eq!(json[1].get("session_id"), t, "{log}");
        for (line, expected) in lines.iter().zip(["false", "true"]) {
            if let Some(resumed) = field(line, "resumed") {
                assert_eq!(resumed, expected, "{out}");
            }
            if let (Some(id), "1.2") = (field(line, "id"), version) {
                assert_eq!(id, t, "TLS 1.2 resumes by our ID T: {out}");
            }
        }
    }
}

/// Chromium's ClientHello from our client: GREASE and its extensions
/// permuted.
const CHROMIUM_HELLO: &[&str] = &["--grease", "--permute-extensions"];

/// Our client connects twice to the peer's server in each of `versions`
/// and resumes the second time, with its own ClientHello and with the
/// options `other_hello` (such as [`CHROMIUM_HELLO`]); in TLS 1.2 our
/// `session_id` is the ID the server holds, when the peer reports it
/// (design §3, client side).
fn our_client_resumes_with_their_server(
    peer: &PeerProgram,
    versions: &[(&str, &str, &str)],
    other_hello: &[&str],
) {
    let p256 = Credentials::pki("p256");
    let hellos: [&[&str]; 2] = [&[], other_hello];
    for (&(version, name, _), hello) in versions
        .iter()
        .flat_map(|v| hellos.iter().map(move |h| (v, h)))
    {
        let (server, port) = peer.server(&p256, version, 2);
        let (status, out) = our_client(port, &p256, &[&["--connections", "2"][..], hello].concat());
        assert!(status.success(), "{version} {hello:?}: {out}");
        let json = json_lines(&out);
        let versions: Vec<&str> = json.iter().map(|j| j.get("version")).collect();
        assert_eq!(versions, [name; 2], "{out}");
        let resumed: Vec<&str> = json.iter().map(|j| j.get("resumed")).collect();
        assert_eq!(resumed, ["false", "true"], "{version}: {out}");
        let (_, log) = server.wait_exit();
        assert!(!log.contains(&format!("{} failed", peer.prefix)), "{log}");
        let lines = peer.lines(&log);
        assert_eq!(lines.len(), 2, "{version}: {log}");
        for ((line, json), expected) in lines.iter().zip(&json).zip(["false", "true"]) {
            if let Some(resumed) = field(line, "resumed") {
                assert_eq!(resumed, expected, "{log}");
            }
            if let (Some(id), "1.2") = (field(line, "id"), version) {
                assert_eq!(id, json.get("session_id"), "{line} / {out}");
            }
        }
    }
}

/// Each of `chains` signs for our server in each of `versions`, and the
/// peer's client checks it; then it signs for the peer's server and our
/// client checks it.
fn certificates_of_every_key_type_both_ways(
    peer: &PeerProgram,
    chains: &[Credentials],
    versions: &[(&str, &str, &str)],
) {
    for chain in chains {
        for &(version, name, _) in versions {
            let (server, port) = our_server(chain, &["--max-connections", "1"]);
            let out = peer.client(port, chain, version, 1);
            let lines = peer.lines(&out);
            assert_eq!(lines.len(), 1, "{} {version}: {out}", chain.name);
            assert!(
                lines[0].starts_with(&format!("{} {name} ", peer.prefix)),
                "{out}"
            );
            assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
            let (status, log) = server.wait_exit();
            assert!(status.success(), "{log}");

            let (server, port) = peer.server(chain, version, 1);
            let (status, out) = our_client(port, chain, &[]);
            assert!(status.success(), "{} {version}: {out}", chain.name);
            let json = json_lines(&out);
            assert_eq!(json.len(), 1, "{out}");
            assert_eq!(json[0].get("version"), name, "{out}");
            let (_, log) = server.wait_exit();
            assert_eq!(peer.lines(&log).len(), 1, "{} {version}: {log}", chain.name);
        }
    }
}

#[test]
fn a_jsse_client_resumes_with_our_server_in_tls13_and_tls12() {
    their_client_resumes_with_our_server(&PeerProgram::jsse(), &VERSIONS);
}

#[test]
fn our_client_resumes_with_a_jsse_server_in_tls13_and_tls12() {
    our_client_resumes_with_their_server(&PeerProgram::jsse(), &VERSIONS, CHROMIUM_HELLO);
}

#[test]
fn a_go_client_resumes_with_our_server_in_tls13_and_tls12() {
    their_client_resumes_with_our_server(&PeerProgram::go(), &VERSIONS);
}

#[test]
fn our_client_resumes_with_a_go_server_in_tls13_and_tls12() {
    our_client_resumes_with_their_server(&PeerProgram::go(), &VERSIONS, CHROMIUM_HELLO);
}

#[test]
fn ed25519_p521_and_rsa_pss_certificates_with_jsse_both_ways() {
    let chains = [
        Credentials::pki("ed25519"),
        Credentials::pki("p521"),
        Credentials::pss(),
    ];
    certificates_of_every_key_type_both_ways(&PeerProgram::jsse(), &chains, &VERSIONS);
}

/// Go's crypto/tls has no RSASSA-PSS keys in certificates: it offers no
/// rsa_pss_pss_* scheme, so a server with only such a chain refuses it.
#[test]
fn ed25519_and_p521_certificates_with_go_both_ways() {
    let chains = [Credentials::pki("ed25519"), Credentials::pki("p521")];
    certificates_of_every_key_type_both_ways(&PeerProgram::go(), &chains, &VERSIONS);
}

/// Bouncy Castle 1.72 resumes in TLS 1.2 only: in TLS 1.3 neither its
/// client nor its server resumes, so each connection there is a full
/// handshake (which the certificate test below runs in both versions).
#[test]
fn a_bouncy_castle_client_resumes_with_our_server_in_tls12() {
    their_client_resumes_with_our_server(&PeerProgram::bouncy_castle(), &VERSIONS[1..]);
}

#[test]
fn our_client_resumes_with_a_bouncy_castle_server_in_tls12() {
    our_client_resumes_with_their_server(
        &PeerProgram::bouncy_castle(),
        &VERSIONS[1..],
        CHROMIUM_HELLO,
    );
}

#[test]
fn ed25519_p521_rsa2048_and_rsa_pss_certificates_with_bouncy_castle_both_ways() {
    let chains = [
        Credentials::pki("ed25519"),
        Credentials::pki("p521"),
        Credentials::pki("rsa2048"),
        Credentials::pss(),
    ];
    certificates_of_every_key_type_both_ways(&PeerProgram::bouncy_castle(), &chains, &VERSIONS);
}

/// RFC 7919 §4: Bouncy Castle's server chooses a DHE suite only in an
/// RFC 7919 group the client lists, and its client lists them. Our client
/// and server, with a DHE suite enabled and their groups left alone,
/// list and choose those groups too (RFC 7919 §3), and negotiate DHE with
/// it both ways. The DHE suites come with feature `legacy`.
#[cfg(feature = "legacy")]
#[test]
fn rfc7919_dhe_in_a_named_group_with_bouncy_castle_both_ways() {
    let peer = PeerProgram::bouncy_castle();
    let rsa = Credentials::pki("rsa2048");
    let suite = "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256";
    let dhe = ["--max-version", "1.2", "--ciphers", suite];

    let (server, port) = our_server(&rsa, &[&["--max-connections", "1"], &dhe[..]].concat());
    let out = peer.client(port, &rsa, "1.2", 1);
    let lines = peer.lines(&out);
    assert_eq!(lines.len(), 1, "{out}");
    assert!(
        lines[0].starts_with(&format!("BCJSSE TLSv1.2 {suite} ")),
        "{out}"
    );
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let json = json_lines(&log);
    assert_eq!(json[0].get("cipher_suite"), suite, "{log}");
    assert!(json[0].get("group").starts_with("ffdhe"), "{log}");

    let (server, port) = peer.server(&rsa, "1.2", 1);
    let (status, out) = our_client(port, &rsa, &dhe);
    let (_, log) = server.wait_exit();
    assert!(status.success(), "{out}\n{log}");
    let json = json_lines(&out);
    assert_eq!(json[0].get("cipher_suite"), suite, "{out}");
    assert!(json[0].get("group").starts_with("ffdhe"), "{out}");
    assert_eq!(peer.lines(&log).len(), 1, "{log}");
    assert!(!log.contains("BCJSSE failed"), "{log}");
}

#[test]
fn a_haskell_client_resumes_with_our_server_in_tls13_and_tls12() {
    their_client_resumes_with_our_server(&PeerProgram::haskell(), &VERSIONS);
}

#[test]
fn our_client_resumes_with_a_haskell_server_in_tls13_and_tls12() {
    our_client_resumes_with_their_server(&PeerProgram::haskell(), &VERSIONS, CHROMIUM_HELLO);
}

/// Haskell's `tls` 1.5 signs with Ed25519, P-256 and RSA keys only (its
/// server finds no credential for P-384 or P-521), and its `x509` reads
/// no RSASSA-PSS key.
#[test]
fn ed25519_and_rsa2048_certificates_with_haskell_both_ways() {
    let chains = [Credentials::pki("ed25519"), Credentials::pki("rsa2048")];
    certificates_of_every_key_type_both_ways(&PeerProgram::haskell(), &chains, &VERSIONS);
}

#[test]
fn an_otp_client_resumes_with_our_server_in_tls13_and_tls12() {
    their_client_resumes_with_our_server(&PeerProgram::otp(), &VERSIONS);
}

#[test]
fn our_client_resumes_with_an_otp_server_in_tls13_and_tls12() {
    // OTP 25 checks a PSK binder over a ClientHello it encodes again
    // from what it parsed, and crashes encoding a GREASE signature scheme
    // (`ssl_cipher:hash_algorithm(unassigned)`, a function_clause in
    // `tls_handshake_1_3:truncate_client_hello`), so its TLS 1.3
    // resumption fails with GREASE: the permuted extensions alone.
    our_client_resumes_with_their_server(&PeerProgram::otp(), &VERSIONS, &["--permute-extensions"]);
}

/// OTP 25 signs and verifies Ed25519 in TLS 1.3 only (its TLS 1.2
/// signature_algorithms lists no ed25519, so our server has no suite
/// for that chain), and its path validation fails on RSASSA-PSS keys
/// (internal_error), so its matrix is P-521 and RSA-2048 in both versions
/// and Ed25519 in TLS 1.3.
#[test]
fn p521_rsa2048_and_ed25519_certificates_with_otp_both_ways() {
    let otp = PeerProgram::otp();
    let chains = [Credentials::pki("p521"), Credentials::pki("rsa2048")];
    certificates_of_every_key_type_both_ways(&otp, &chains, &VERSIONS);
    certificates_of_every_key_type_both_ways(&otp, &[Credentials::pki("ed25519")], &VERSIONS[..1]);
}

/// 0-RTT (RFC 8446 §4.2.10) with another implementation than OpenSSL,
/// each way, three connections: OTP's client sends its request as early
/// data on the two resumptions and our server accepts it (its JSON, and
/// the page it answers); our client sends its request file as early data
/// on the two resumptions and OTP's server, behind its anti-replay
/// filter, accepts it and reads the request from it.
#[test]
fn rfc8446_4_2_10_0rtt_with_otp_both_ways() {
    let otp = PeerProgram::otp();
    let p256 = Credentials::pki("p256");
    let expected = ["not_offered", "accepted", "accepted"];

    let (server, port) = our_server(&p256, &["--early-data", "16384", "--max-connections", "3"]);
    let out = otp.client_with(port, &p256, "1.3", 3, &["early"]);
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    let json = json_lines(&log);
    let early: Vec<&str> = json.iter().map(|j| j.get("early_data")).collect();
    assert_eq!(early, expected, "{log}");
    let t = json[0].get("session_id");
    assert!(json.iter().all(|j| j.get("session_id") == t), "{log}");
    let lines = otp.lines(&out);
    let resumed: Vec<Option<&str>> = lines.iter().map(|l| field(l, "resumed")).collect();
    assert_eq!(
        resumed,
        [Some("false"), Some("true"), Some("true")],
        "{out}"
    );
    assert_eq!(out.matches("early_data: accepted").count(), 2, "{out}");

    let scratch = Scratch::new("otp-0rtt");
    let request = scratch.file("request");
    std::fs::write(&request, "GET /early HTTP/1.0\r\n\r\n").expect("write the request");
    let (server, port) = otp.server_with(&p256, "1.3", 3, &["early"]);
    let (status, out) = our_client(
        port,
        &p256,
        &["--connections", "3", "--early-data", &request],
    );
    let (_, log) = server.wait_exit();
    assert!(status.success(), "{out}\n{log}");
    let json = json_lines(&out);
    let early: Vec<&str> = json.iter().map(|j| j.get("early_data")).collect();
    assert_eq!(early, expected, "{out}");
    let lines = otp.lines(&log);
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines
            .iter()
            .all(|l| l.ends_with("request=GET /early HTTP/1.0")),
        "{log}"
    );
}

/// Client certificates with OTP, TLS 1.3 and 1.2, the RSA-2048 chain:
/// OTP's client sends it to our server, which requires one (our JSON
/// counts its two certificates); our client sends it to OTP's server,
/// which requires one too and refuses our client without it:
/// certificate_required in TLS 1.3 (RFC 8446 §4.4.2.4), handshake_failure
/// in TLS 1.2 (RFC 5246 §7.4.6).
#[test]
fn client_certificates_with_otp_both_ways() {
    let otp = PeerProgram::otp();
    let p256 = Credentials::pki("p256");
    let client = Credentials::pki("rsa2048");
    for (version, _, _) in VERSIONS {
        let (server, port) = our_server(
            &p256,
            &[
                "--require-client-cert",
                &client.root,
                "--max-connections",
                "1",
            ],
        );
        let out = otp.client_with(
            port,
            &p256,
            version,
            1,
            &["cert", &client.chain, &client.key],
        );
        assert!(out.contains("HTTP/1.0 200 OK"), "{version}: {out}");
        let (status, log) = server.wait_exit();
        assert!(status.success(), "{version}: {log}");
        assert_eq!(json_lines(&log)[0].get("peer_certificates"), "2", "{log}");

        let (server, port) = otp.server_with(&p256, version, 2, &["verify", &client.root]);
        let (status, out) = our_client(
            port,
            &p256,
            &["--cert", &client.chain, "--key", &client.key],
        );
        assert!(status.success(), "{version}: {out}");
        let (_, out) = our_client(port, &p256, &[]);
        let refusal = if version == "1.3" {
            "certificate_required"
        } else {
            "handshake_failure"
        };
        assert!(
            out.contains(&format!("received alert {refusal}")),
            "{version}: {out}"
        );
        let (_, log) = server.wait_exit();
        let lines = otp.lines(&log);
        assert_eq!(lines.len(), 2, "{version}: {log}");
        assert!(lines[0].ends_with("request=GET / HTTP/1.0"), "{log}");
        assert!(lines[1].starts_with("OTP failed"), "{log}");
    }
}

/// A TLS 1.2 renegotiation may not change the server's certificate: the
/// JSSE server renegotiates with the same P-256 chain, which our client
/// accepts, then with the P-384 chain, which it refuses with
/// illegal_parameter although it trusts that chain's root too. Our client
/// offers no ticket (`--no-tickets`), and the server forgets the session
/// first, so that each renegotiation is a full handshake with a
/// Certificate.
#[test]
fn our_client_refuses_a_jsse_server_whose_certificate_changes_in_a_renegotiation() {
    let peer = PeerProgram::jsse();
    let mut p256 = Credentials::pki("p256");
    p256.root = vector("all-roots.pem");
    for (second, changed) in [
        (Credentials::pki("p256"), false),
        (Credentials::pki("p384"), true),
    ] {
        let (server, port) = peer.server_with(&p256, "1.2", 1, &[&second.chain, &second.key]);
        let (status, out) = our_client(port, &p256, &["--renegotiation", "--no-tickets"]);
        let (_, log) = server.wait_exit();
        if changed {
            assert!(!status.success(), "{out}");
            assert!(
                out.contains("the server's certificate changed in a renegotiation; sent alert illegal_parameter"),
                "{out}"
            );
            assert!(log.contains("SunJSSE failed"), "{log}");
        } else {
            assert!(status.success(), "{out}\n{log}");
            assert!(out.contains("HTTP/1.0 200 OK"), "{out}");
            assert!(!log.contains("SunJSSE failed"), "{log}");
        }
    }
}
