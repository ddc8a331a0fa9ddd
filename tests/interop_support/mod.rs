//! The interop harness shared by `tests/interop_*.rs`: spawns peers
//! (`openssl`, `gnutls-serv`, `gnutls-cli`, the `ferrotls` binary) on
//! 127.0.0.1, waits for their readiness with timeouts, kills them by PID
//! when the guard drops (also when a test fails), and parses what they
//! print.
//!
//! It also holds what the library-level tests of several versions share:
//! the OpenSSL and GnuTLS servers with the `vectors/pki` chains, a client
//! configuration, one HTTP GET through our client, and a threaded server
//! of ours that reports what it saw of each connection.
//!
//! A missing peer binary fails the test with a message saying how to
//! install it (`tests/run.sh` does): interop is never skipped silently.
#![allow(dead_code)]

// The one scratch-directory helper; a test crate that also has `mod
// common;` loads the file twice, each copy its own module.
#[path = "../common/scratch.rs"]
#[allow(clippy::duplicate_mod)]
mod scratch;
pub use scratch::Scratch;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ferrotls::{
    CipherSuite, ClientConfig, ClientConnection, ProtocolVersion, RootStore, ServerConfig,
    ServerConnection, ServerName, StreamOwned, WebPkiServerVerifier,
};

/// How long any single wait of the harness may last.
pub const WAIT: Duration = Duration::from_secs(10);

/// Poll interval while waiting for a peer's output or exit.
const POLL: Duration = Duration::from_millis(10);

/// A file of `vectors/pki` (made by `vectors/pki/make.sh` with openssl).
pub fn vector(name: &str) -> String {
    format!("{}/vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The `ferrotls` binary Cargo built for this test run.
pub fn ferrotls_bin() -> &'static str {
    env!("CARGO_BIN_EXE_ferrotls")
}

/// Panics with a clear message unless `program` is on the PATH.
pub fn require(program: &str) {
    let found = std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()));
    assert!(
        found,
        "interop peer `{program}` is not installed: run tests/run.sh as root, or install it \
         (openssl: apt-get install openssl; gnutls-serv/gnutls-cli: apt-get install gnutls-bin; \
         tshark: apt-get install tshark; certutil/pk12util/tstclnt/selfserv: apt-get install \
         libnss3-tools; chromium: apt-get install chromium; java/javac: apt-get install \
         openjdk-17-jdk-headless; go: apt-get install golang-go; sslyze: pip install sslyze)"
    );
}

/// A port that was free on 127.0.0.1 a moment ago (bound to port 0 and
/// released), for peers that cannot report the port they chose.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// A running peer: its stdout and stderr are collected apart in the
/// background (so their lines never interleave); dropping the guard kills
/// it by PID and reaps it.
pub struct Peer {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    output: [Arc<Mutex<String>>; 2],
    collectors: Vec<std::thread::JoinHandle<()>>,
}

impl Peer {
    /// Spawns `program args`, stdin piped, stdout and stderr collected
    /// together; fails the test when the program is missing.
    pub fn spawn(program: &str, args: &[&str]) -> Peer {
        if !program.contains('/') {
            require(program);
        }
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
        let output = [
            Arc::new(Mutex::new(String::new())),
            Arc::new(Mutex::new(String::new())),
        ];
        let mut collectors = Vec::new();
        for (stream, output) in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .zip(&output)
        {
            let (Some(stream), output) = (stream, output.clone()) else {
                continue;
            };
            collectors.push(std::thread::spawn(move || collect(stream, &output)));
        }
        Peer {
            name: format!("{program} {}", args.join(" ")),
            stdin: child.stdin.take(),
            child,
            output,
            collectors,
        }
    }

    /// Everything the peer printed so far: stdout, then stderr.
    pub fn output(&self) -> String {
        let [stdout, stderr] = &self.output;
        let stdout = stdout.lock().expect("output lock").clone();
        stdout + &stderr.lock().expect("output lock")
    }

    /// Waits until the output contains `needle`; panics with the output
    /// after [`WAIT`].
    pub fn wait_for(&self, needle: &str) -> String {
        self.wait_until(|out| out.contains(needle))
            .unwrap_or_else(|| {
                panic!(
                    "{}: no {needle:?} within {WAIT:?}; output:\n{}",
                    self.name,
                    self.output()
                )
            })
    }

    /// Waits until `done(output)` holds, at most [`WAIT`]; returns the
    /// output then, or `None` on timeout.
    pub fn wait_until(&self, done: impl Fn(&str) -> bool) -> Option<String> {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            let out = self.output();
            if done(&out) {
                return Some(out);
            }
            std::thread::sleep(POLL);
        }
        None
    }

    /// Writes `bytes` to the peer's stdin.
    pub fn send_stdin(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin.write_all(bytes).expect("write to peer stdin");
        stdin.flush().expect("flush peer stdin");
    }

    /// Closes the peer's stdin.
    pub fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits for the peer to exit by itself (at most [`WAIT`]) and returns
    /// its exit status and output; panics on timeout.
    pub fn wait_exit(self) -> (std::process::ExitStatus, String) {
        self.wait_exit_within(WAIT)
    }

    /// Like [`Peer::wait_exit`], with its own bound, for peers that run
    /// many connections (a scanner, a browser).
    pub fn wait_exit_within(mut self, limit: Duration) -> (std::process::ExitStatus, String) {
        self.close_stdin();
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // The pipes are closed: the collectors finish draining.
                for collector in self.collectors.drain(..) {
                    let _ = collector.join();
                }
                return (status, self.output());
            }
            std::thread::sleep(POLL);
        }
        panic!(
            "{}: still running after {limit:?}; output:\n{}",
            self.name,
            self.output()
        );
    }

    /// The port printed by a peer that reports its own (`ACCEPT [::]:PORT`
    /// for `openssl s_server -accept 0`, `listening on ADDR:PORT` for
    /// `ferrotls server`): waits for a line with `marker` and parses the
    /// number after its last colon.
    pub fn wait_for_port(&self, marker: &str) -> u16 {
        // The whole line, not just the marker: output arrives in pieces.
        let complete = |l: &str| l.contains(marker) && l.ends_with('\n');
        let out = self
            .wait_until(|o| o.split_inclusive('\n').any(complete))
            .unwrap_or_else(|| {
                panic!(
                    "{}: no {marker:?} line within {WAIT:?}:\n{}",
                    self.name,
                    self.output()
                )
            });
        out.split_inclusive('\n')
            .find(|l| complete(l))
            .and_then(|l| l.trim_end().rsplit(':').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{}: no port after {marker:?} in:\n{out}", self.name))
    }
}

fn collect(mut stream: Box<dyn Read + Send>, output: &Mutex<String>) {
    let mut buf = [0u8; 4096];
    while let Ok(n) = stream.read(&mut buf) {
        if n == 0 {
            break;
        }
        if let Ok(mut out) = output.lock() {
            out.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        // Kills this child by its PID only; harmless when it has exited.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `program args` to completion with `stdin` as its input, at most
/// [`WAIT`] (killed after); returns the exit status and the output
/// (stdout and stderr together).
pub fn run(program: &str, args: &[&str], stdin: &[u8]) -> (std::process::ExitStatus, String) {
    let mut peer = Peer::spawn(program, args);
    if !stdin.is_empty() {
        peer.send_stdin(stdin);
    }
    peer.wait_exit()
}

/// Runs `gnutls-cli` against 127.0.0.1:`port` as `leaf.p256.test`
/// (verified through the P-256 root) with `options` (priority, debug
/// level, ...), writing `stdin` and reading until `until` appears;
/// returns its output.
pub fn gnutls_cli_to_p256(port: u16, options: &[&str], stdin: &[u8], until: &str) -> String {
    let port = port.to_string();
    let root = vector("p256-root.pem");
    let mut args = options.to_vec();
    args.extend([
        "-p",
        &port,
        "--x509cafile",
        &root,
        "--sni-hostname",
        "leaf.p256.test",
        "--verify-hostname",
        "leaf.p256.test",
        "127.0.0.1",
    ]);
    run_until("gnutls-cli", &args, stdin, until).1
}

/// Runs `openssl s_client` against `ferrotls server` on 127.0.0.1:`port`
/// serving its default chain ([`ferrotls_server`]: `leaf.p256.test`,
/// trusted through the P-256 root), reading until the server closes
/// (`-ign_eof`), with `options` (version, session files, ...) and
/// `stdin`; returns its output.
pub fn s_client_to_p256(port: u16, options: &[&str], stdin: &[u8]) -> String {
    let connect = format!("127.0.0.1:{port}");
    let root = vector("p256-root.pem");
    let mut args = vec![
        "s_client",
        "-connect",
        &connect,
        "-servername",
        "leaf.p256.test",
        "-CAfile",
        &root,
        "-ign_eof",
    ];
    args.extend_from_slice(options);
    run("openssl", &args, stdin).1
}

/// `openssl s_client` against `ferrotls server` started with
/// `server_args` (for two connections): the first saves the session, the
/// second resumes it with a request as 0-RTT data, which both sides must
/// report accepted, and gets the page. Returns the server's `--json`
/// lines.
pub fn s_client_0rtt_to_our_server(server_args: &[&str]) -> Vec<Json> {
    let dir = Scratch::new("s-client-0rtt");
    let sess = &dir.file("sess.pem");
    let early = &dir.file("early.txt");
    std::fs::write(early, b"GET /early HTTP/1.0\r\n\r\n").unwrap();
    let mut args = server_args.to_vec();
    args.extend(["--max-connections", "2"]);
    let (server, port) = ferrotls_server(&args);
    let first = s_client_to_p256(
        port,
        &["-tls1_3", "-sess_out", sess],
        b"GET / HTTP/1.0\r\n\r\n",
    );
    assert!(first.contains("New, TLSv1.3"), "{first}");
    let second = s_client_to_p256(
        port,
        &["-tls1_3", "-sess_in", sess, "-early_data", early],
        b"",
    );
    assert!(second.contains("Early data was accepted"), "{second}");
    assert!(second.contains("early_data: accepted"), "{second}");
    let (status, log) = server.wait_exit();
    assert!(status.success(), "{log}");
    json_lines(&log)
}

/// Like [`run`], but keeps stdin open until the output contains `until`
/// (for clients that stop at end of input before the server answers).
pub fn run_until(
    program: &str,
    args: &[&str],
    stdin: &[u8],
    until: &str,
) -> (std::process::ExitStatus, String) {
    let mut peer = Peer::spawn(program, args);
    peer.send_stdin(stdin);
    peer.wait_for(until);
    peer.wait_exit()
}

/// The `--json` lines of `ferrotls` output, one per completed handshake.
pub fn json_lines(output: &str) -> Vec<Json> {
    output
        .lines()
        .filter(|l| l.starts_with("{\"role\""))
        .map(Json::parse)
        .collect()
}

/// A flat JSON object as `ferrotls --json` prints it: string, boolean,
/// number and null values.
#[derive(Debug)]
pub struct Json(Vec<(String, String)>);

impl Json {
    /// Parses one line; panics on anything but a flat object.
    pub fn parse(line: &str) -> Json {
        let body = line
            .trim()
            .strip_prefix('{')
            .and_then(|l| l.strip_suffix('}'))
            .unwrap_or_else(|| panic!("not a JSON object: {line}"));
        let mut fields = Vec::new();
        let mut rest = body;
        while !rest.is_empty() {
            let (key, after) = json_string(rest);
            let after = after.strip_prefix(':').expect("colon after key");
            let (value, after) = if after.starts_with('"') {
                json_string(after)
            } else {
                let end = after.find(',').unwrap_or(after.len());
                (after[..end].to_string(), &after[end..])
            };
            fields.push((key, value));
            rest = after.strip_prefix(',').unwrap_or(after);
        }
        Json(fields)
    }

    /// The value of `key` (strings unquoted, others as written); panics
    /// when absent.
    pub fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no key {key} in {self:?}"))
    }

    /// The keys, in order.
    pub fn keys(&self) -> Vec<&str> {
        self.0.iter().map(|(k, _)| k.as_str()).collect()
    }
}

/// Parses a JSON string literal at the start of `text`.
fn json_string(text: &str) -> (String, &str) {
    let mut chars = text.strip_prefix('"').expect("string").char_indices();
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (out, &text[i + 2..]),
            '\\' => match chars.next().map(|(_, c)| c) {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('u') => {
                    let hex: String = (0..4)
                        .filter_map(|_| chars.next().map(|(_, c)| c))
                        .collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                }
                Some(c) => out.push(c),
                None => panic!("bad escape"),
            },
            c => out.push(c),
        }
    }
    panic!("unterminated string in {text}")
}

/// Every `Session ID:` a GnuTLS tool printed (`- Session ID: AB:CD:..`),
/// as lowercase hex without colons.
pub fn gnutls_session_ids(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| {
            l.trim_start_matches(['-', ' '])
                .strip_prefix("Session ID: ")
        })
        .map(|id| id.trim().replace(':', "").to_ascii_lowercase())
        .collect()
}

/// Every `Session-ID:` OpenSSL printed in a session block, lowercase.
pub fn openssl_session_ids(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Session-ID:"))
        .map(|id| id.trim().to_ascii_lowercase())
        .filter(|id| !id.is_empty())
        .collect()
}

/// Starts `ferrotls server` on an ephemeral port of 127.0.0.1 with the
/// P-256 test certificate, `--json` and `extra` options; returns the
/// guard and the port.
pub fn ferrotls_server(extra: &[&str]) -> (Peer, u16) {
    ferrotls_server_with("p256", extra)
}

/// [`ferrotls_server`] serving the chain of `key_type` (`rsa2048`, ...).
pub fn ferrotls_server_with(key_type: &str, extra: &[&str]) -> (Peer, u16) {
    let cert = vector(&format!("{key_type}-chain.pem"));
    let key = vector(&format!("{key_type}-leaf.key"));
    ferrotls_server_serving(&cert, &key, extra)
}

/// [`ferrotls_server`] serving the chain in the PEM file `cert` with the
/// key in `key`.
pub fn ferrotls_server_serving(cert: &str, key: &str, extra: &[&str]) -> (Peer, u16) {
    let mut args = vec![
        "server",
        "--cert",
        cert,
        "--key",
        key,
        "--listen",
        "127.0.0.1:0",
        "--json",
    ];
    args.extend_from_slice(extra);
    let peer = Peer::spawn(ferrotls_bin(), &args);
    let port = peer.wait_for_port("listening on");
    (peer, port)
}

/// Runs `ferrotls client` against 127.0.0.1:`port` trusting the P-256
/// test root, with `--json` and `extra` options; returns the exit status
/// and output, as [`run_client`] does.
pub fn ferrotls_client(port: u16, extra: &[&str]) -> (std::process::ExitStatus, String) {
    ferrotls_client_trusting(port, &vector("p256-root.pem"), "leaf.p256.test", extra)
}

/// [`ferrotls_client`] trusting the PEM roots in `root` and expecting the
/// server name `name`.
pub fn ferrotls_client_trusting(
    port: u16,
    root: &str,
    name: &str,
    extra: &[&str],
) -> (std::process::ExitStatus, String) {
    let addr = format!("127.0.0.1:{port}");
    let mut args = vec![
        "client",
        &addr,
        "--servername",
        name,
        "--cafile",
        root,
        "--json",
    ];
    args.extend_from_slice(extra);
    run_client(&args)
}

/// Runs `ferrotls ARGS --out FILE` (ARGS starting with `client`); returns
/// the exit status and the output (stdout and stderr), followed by the
/// data the client received, which `--out` keeps apart from its `--json`
/// lines.
pub fn run_client(args: &[&str]) -> (std::process::ExitStatus, String) {
    let scratch = Scratch::new("client");
    let received = scratch.file("received");
    let mut args = args.to_vec();
    args.extend(["--out", received.as_str()]);
    let (status, mut out) = run(ferrotls_bin(), &args, b"");
    out.push_str(&std::fs::read_to_string(&received).unwrap_or_default());
    (status, out)
}

/// `openssl s_server -accept 0` serving `key_type`'s leaf (`-cert`) and
/// intermediate (`-cert_chain`: s_server sends only the first certificate
/// of `-cert`), with the `version` options (`-tls1_2`, or `-tls1
/// -cipher DEFAULT:@SECLEVEL=0`, ...) then `extra` (`-www`, ...); waits
/// for its `ACCEPT` line and returns the guard and the port.
pub fn openssl_server(key_type: &str, version: &[&str], extra: &[&str]) -> (Peer, u16) {
    let cert = vector(&format!("{key_type}-leaf.pem"));
    let chain = vector(&format!("{key_type}-int.pem"));
    let key = vector(&format!("{key_type}-leaf.key"));
    let mut options = version.to_vec();
    options.extend_from_slice(&["-cert_chain", &chain]);
    options.extend_from_slice(extra);
    openssl_server_serving(&cert, &key, &options)
}

/// [`openssl_server`] serving the certificate in the PEM file `cert`
/// with the key in `key`, and the options `options`.
pub fn openssl_server_serving(cert: &str, key: &str, options: &[&str]) -> (Peer, u16) {
    // s_server prints through C stdio, fully buffered on a pipe: run it
    // line-buffered so that each line can be waited for.
    require("openssl");
    let mut args = vec!["-oL", "openssl", "s_server"];
    args.extend_from_slice(options);
    args.extend_from_slice(&["-accept", "0", "-cert", cert, "-key", key]);
    let peer = Peer::spawn("stdbuf", &args);
    let port = peer.wait_for_port("ACCEPT");
    (peer, port)
}

/// `gnutls-serv --http` on a free port with `key_type`'s chain and
/// `extra` options (`--priority ...`); waits until it listens and returns
/// the guard and the port.
pub fn gnutls_server(key_type: &str, extra: &[&str]) -> (Peer, u16) {
    let port = free_port();
    let port_text = port.to_string();
    let chain = vector(&format!("{key_type}-chain.pem"));
    let key = vector(&format!("{key_type}-leaf.key"));
    let mut args = vec![
        "--http",
        "-p",
        &port_text,
        "--x509certfile",
        &chain,
        "--x509keyfile",
        &key,
    ];
    args.extend_from_slice(extra);
    let server = Peer::spawn("gnutls-serv", &args);
    // "...done" follows once the socket listens.
    server.wait_for(&format!("IPv4 0.0.0.0 port {port}...done"));
    (server, port)
}

/// A client configuration trusting `roots` (`common::roots(key_type)`),
/// limited to `versions` and `suites`, with session tickets on or off.
pub fn client_config(
    roots: Arc<RootStore>,
    versions: &[ProtocolVersion],
    suites: &[CipherSuite],
    tickets: bool,
) -> Arc<ClientConfig> {
    ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots)))
        .versions(versions)
        .cipher_suites(suites)
        .enable_tickets(tickets)
        .build()
        .expect("client configuration")
}

/// The suites of `suites` a `key_type` certificate serves: the
/// `_RSA_` ones for `rsa2048`, the others (ECDSA) for the rest.
pub fn suites_for(key_type: &str, suites: &[CipherSuite]) -> Vec<CipherSuite> {
    suites
        .iter()
        .copied()
        .filter(|s| format!("{s:?}").contains("_RSA_") == (key_type == "rsa2048"))
        .collect()
}

/// Connects our client (library, [`StreamOwned`]) to 127.0.0.1:`port` as
/// `leaf.<key_type>.test`, sends `GET / HTTP/1.0` and reads to the end;
/// returns the connection and the page (data both ways).
pub fn get(config: &Arc<ClientConfig>, key_type: &str, port: u16) -> (ClientConnection, String) {
    let name = ServerName::parse(&format!("leaf.{key_type}.test")).expect("server name");
    let conn = ClientConnection::new(config.clone(), name).expect("client connection");
    let sock = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    sock.set_read_timeout(Some(WAIT)).expect("read timeout");
    let mut stream = StreamOwned::new(conn, sock);
    stream.complete_handshake().expect("handshake");
    stream
        .write_all(b"GET / HTTP/1.0\r\n\r\n")
        .expect("write request");
    let mut page = Vec::new();
    let _ = stream.read_to_end(&mut page);
    let (conn, _) = stream.into_parts();
    (conn, String::from_utf8_lossy(&page).into_owned())
}

/// What [`our_server`] saw of one connection.
pub struct Seen {
    /// The negotiated version.
    pub version: Option<ProtocolVersion>,
    /// The suite was an RSA key-exchange one (`TLS_RSA_WITH_*`).
    pub rsa_key_exchange: bool,
    /// The handshake resumed a session.
    pub resumed: bool,
    /// The client asked to resume (a session ID or ticket was offered).
    pub resumption_requested: bool,
    /// The connection's session ID as our server keeps it.
    pub session_id: Vec<u8>,
    /// Its tls-unique channel binding (RFC 5929), when it has one.
    pub tls_unique: Option<Vec<u8>>,
    /// The client's bytes up to its first newline (or the end), or the
    /// error text of a failed handshake.
    pub received: Vec<u8>,
}

/// Serves `connections` connections with `config` on an ephemeral port of
/// 127.0.0.1 in a thread; each gets `hello from ferrotls\n`, is read up
/// to the client's first newline or its end, and is reported.
pub fn our_server(config: Arc<ServerConfig>, connections: usize) -> (u16, Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for _ in 0..connections {
            let Ok((sock, _)) = listener.accept() else {
                return;
            };
            let _ = sock.set_read_timeout(Some(WAIT));
            let mut stream = StreamOwned::new(ServerConnection::new(config.clone()), sock);
            let mut received = Vec::new();
            match stream.complete_handshake() {
                Ok(_) => {
                    let _ = stream.write_all(b"hello from ferrotls\n");
                    let mut buf = [0u8; 1024];
                    while !received.ends_with(b"\n") {
                        match stream.read(&mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => received.extend_from_slice(&buf[..n]),
                        }
                    }
                }
                Err(e) => received = e.to_string().into_bytes(),
            }
            let (conn, _) = stream.into_parts();
            let _ = tx.send(Seen {
                version: conn.protocol_version(),
                rsa_key_exchange: format!("{:?}", conn.cipher_suite()).contains("TLS_RSA_"),
                resumed: conn.is_resumed(),
                resumption_requested: conn.resumption_requested(),
                session_id: conn.session_id().to_vec(),
                tls_unique: conn.tls_unique().map(<[u8]>::to_vec),
                received,
            });
        }
    });
    (port, rx)
}

/// A program that `tests/run.sh` installs into a Python virtual
/// environment: `$OVERRIDE` when set, else `venv/bin/program` under
/// `$FERROTLS_PEERS` (default `~/.cache/ferrotls-peers`) when it exists,
/// else `program` on the PATH, which must exist (a missing peer fails the
/// test, never skips it).
pub fn venv_program(override_var: &str, venv: &str, program: &str) -> String {
    if let Some(path) = std::env::var_os(override_var) {
        return path.to_string_lossy().into_owned();
    }
    let peers = std::env::var_os("FERROTLS_PEERS")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache/ferrotls-peers"))
        });
    if let Some(path) = peers.map(|p| p.join(venv).join("bin").join(program)) {
        if path.is_file() {
            return path.to_string_lossy().into_owned();
        }
    }
    require(program);
    program.to_owned()
}

/// How long one Chromium run may take (under a second here).
pub const BROWSER_LIMIT: Duration = Duration::from_secs(60);

/// Runs headless Chromium with a fresh profile in `scratch` on `url`;
/// returns what it printed (the DOM, then its log).
pub fn dump_dom(scratch: &Scratch, url: &str) -> String {
    let profile = format!("--user-data-dir={}", scratch.file("profile"));
    let (status, out) = Peer::spawn(
        "chromium",
        &[
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--ignore-certificate-errors",
            &profile,
            "--dump-dom",
            url,
        ],
    )
    .wait_exit_within(BROWSER_LIMIT);
    assert!(status.success(), "chromium failed:\n{out}");
    out
}
