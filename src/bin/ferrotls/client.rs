//! `ferrotls client`: connects to a server one or more times, resuming
//! whenever it can, sends a request and prints the answer.
//!
//! Where output goes: `--json` lines on stdout; the handshake trace
//! (`--trace`) and the peer's chain (`--showcerts`) on stdout too, or on
//! stderr with `--json`, so stdout stays one JSON line per handshake; the
//! received data in the `--out` file, else on stdout without `--json`,
//! else nowhere.

use crate::args::{flag, repeated, value, OptionSpec, Options};
use crate::report::{describe_failure, Report};
use crate::settings;
use crate::stdout;
use crate::{Failure, EXIT_FAILED};
use ferrotls::{
    certificates_to_pem, public_keys_to_pem, CertificateType, ClientConfig, ClientConnection,
    ClientSessionData, Clock, EarlyDataStatus, HandshakeType, MessageDirection, MessageObserver,
    RootStore, ServerName, StreamOwned, SystemClock, WebPkiServerVerifier,
};
use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const SYNOPSIS: &str =
    "client ADDR:PORT|--connect ADDR:PORT [--servername NAME] [--cafile FILE | --insecure] \
    [--min-version V] [--max-version V] [--ciphers LIST] [--groups LIST] [--sigalgs LIST] \
    [--key-shares LIST] \
    [--connections N] \
    [--sess-out FILE] [--sess-in FILE] [--no-tickets] [--reverify-on-resume] \
    [--early-data FILE] [--alpn LIST] \
    [--record-size-limit N] [--max-send-fragment N] [--compress-cert LIST] [--pin-spki SPEC] \
    [[--cert FILE --key FILE]... | --key FILE] [--psk-identity ID --psk HEX [--psk-context CTX]] \
    [--keylog FILE] \
    [--request TEXT] [--timeout SECS] [--json] [--out FILE] [--showcerts] [--trace] \
    [--ocsp | --require-ocsp] [--sct] [--renegotiation] [--grease] [--permute-extensions] \
    [--false-start]";

pub const ABOUT: &str = "Connects to ADDR:PORT (N times in a row with --connections, resuming \
whenever a ticket allows), sends the request and prints what comes back on stdout, until the \
server closes or, once it has answered, falls silent for half a second. A failed \
connection is reported on stderr with the alert sent or received, and the exit status is 1; \
so is a server that does not connect, finish the handshake or start answering within \
--timeout. With --json, stdout carries only the JSON lines: the received data goes to \
--out FILE or nowhere, and --showcerts and --trace print on stderr. A closed stdout ends \
the client quietly with status 0. V is one of 1.0 1.1 1.2 1.3; LIST is comma-separated \
IANA or OpenSSL-style names; OpenSSL's s_client spellings are accepted (below).";

pub const OPTIONS: &[OptionSpec] = &[
    value(
        "connect",
        "ADDR:PORT",
        "the server to connect to, instead of the ADDR:PORT argument",
    ),
    value(
        "servername",
        "NAME",
        "name to verify and send as SNI (default: the host of ADDR)",
    ),
    value(
        "cafile",
        "FILE",
        "PEM trust anchors (default: the system bundle)",
    ),
    flag("insecure", "accept any server certificate (testing only)"),
    value("min-version", "V", "lowest version offered"),
    value("max-version", "V", "highest version offered"),
    value(
        "ciphers",
        "LIST",
        "cipher suites offered, most preferred first",
    ),
    value(
        "groups",
        "LIST",
        "key-exchange groups offered, most preferred first; the first gets a key share (with the first classical one after a hybrid) unless OpenSSL 3.5's '*' marks those that do (e.g. *X25519MLKEM768,*x25519,P-256); '?' skips a name this build does not know, '/' separates as ',' does",
    ),
    value("sigalgs", "LIST", settings::SIGALGS_HELP),
    value(
        "key-shares",
        "LIST",
        "TLS 1.3: the groups (of --groups) that get a key share in the first ClientHello, none for an empty LIST",
    ),
    value(
        "connections",
        "N",
        "connect N times in a row, resuming when possible (default 1)",
    ),
    value(
        "sess-out",
        "FILE",
        "write the resumable session to FILE after each connection",
    ),
    value("sess-in", "FILE", "resume the session read from FILE"),
    flag("no-tickets", "keep no session: never resume"),
    flag(
        "reverify-on-resume",
        "check a kept session's server chain again (--cafile, the time now) before offering it; one no longer trusted is not offered",
    ),
    flag(
        "renegotiation",
        "TLS <=1.2: renegotiate when the server asks, with a server that signalled secure renegotiation (RFC 5746); refused otherwise",
    ),
    flag(
        "grease",
        "list reserved GREASE values a server must ignore (RFC 8701), as Chromium does",
    ),
    flag(
        "permute-extensions",
        "list each ClientHello's extensions in an order of its own, as Chromium does",
    ),
    flag(
        "false-start",
        "TLS 1.2: send the request right after our Finished, before the server's (RFC 7918), with ECDHE/DHE, an AEAD suite and ALPN agreed",
    ),
    value(
        "early-data",
        "FILE",
        "send FILE as the request, as 0-RTT data when a ticket allows",
    ),
    value(
        "alpn",
        "LIST",
        "ALPN protocols offered, most preferred first",
    ),
    value(
        "record-size-limit",
        "N",
        "announce N (64-16385) as our record_size_limit (RFC 8449): the peer sends protected records no larger; below 2^14 bytes of plaintext, max_fragment_length (RFC 6066) goes too, for servers without it; 0 announces none (default 16385)",
    ),
    value(
        "max-send-fragment",
        "N",
        "send records of at most N bytes of plaintext (64-16384), below what the protocol and the server's record_size_limit allow",
    ),
    value(
        "compress-cert",
        "LIST",
        "TLS 1.3 certificate compression (RFC 8879) accepted and used, most preferred first: zlib, brotli, zstd; none turns it off (default brotli,zstd,zlib)",
    ),
    repeated(
        "cert",
        "FILE",
        "PEM client certificate chain, offered when the server asks (repeatable: the one \
         under a CA the server names, else the first that fits)",
    ),
    repeated(
        "key",
        "FILE",
        "PEM private key of the --cert in the same place; one alone is sent as a raw public \
         key (RFC 7250)",
    ),
    value(
        "psk-identity",
        "ID",
        "the identity of the TLS 1.3 external PSK --psk (default Client_identity)",
    ),
    value(
        "psk",
        "HEX",
        "offer this TLS 1.3 external PSK (SHA-256 suites); a server that takes it sends no certificate",
    ),
    value(
        "psk-context",
        "CTX",
        "offer --psk imported under this context (RFC 9258), once for SHA-256 and once for SHA-384 suites",
    ),
    value(
        "pin-spki",
        "SPEC",
        "accept only the server key SPEC pins, sent raw (RFC 7250) or in a certificate: \
         sha256:HEX of its DER SubjectPublicKeyInfo, or a file with it (PEM or DER)",
    ),
    value(
        "keylog",
        "FILE",
        "append NSS key log lines to FILE (default: $SSLKEYLOGFILE)",
    ),
    value(
        "request",
        "TEXT",
        "what to send (default \"GET / HTTP/1.0\\r\\n\\r\\n\"; \\r and \\n are unescaped)",
    ),
    value(
        "timeout",
        "SECS",
        "give up when connecting, the handshake or the start of the answer takes longer \
         (default 10)",
    ),
    flag(
        "json",
        "print one JSON object per completed handshake on stdout, and nothing else there",
    ),
    value(
        "out",
        "FILE",
        "write the received data to FILE (default: stdout, or nowhere with --json)",
    ),
    flag(
        "showcerts",
        "print the server's certificate chain as PEM (on stderr with --json)",
    ),
    flag(
        "trace",
        "print each handshake message sent (>>>) or received (<<<) (on stderr with --json)",
    ),
    flag(
        "ocsp",
        "ask for a stapled OCSP response (status_request); one received must be good",
    ),
    flag(
        "require-ocsp",
        "as --ocsp, and refuse a server that staples none (bad_certificate_status_response)",
    ),
    flag(
        "sct",
        "ask for signed certificate timestamps (signed_certificate_timestamp)",
    ),
];

/// Seconds `--timeout` allows by default: how long a connect, a whole
/// handshake, or the wait for the answer to start may take before the
/// client gives up with status 1.
pub const DEFAULT_TIMEOUT_SECS: u64 = 10;

/// The request sent when neither `--request` nor `--early-data` is given.
const DEFAULT_REQUEST: &str = "GET / HTTP/1.0\r\n\r\n";

/// How long the server may fall silent once its answer has started
/// before the client takes the answer as complete.
pub const RESPONSE_IDLE: std::time::Duration = std::time::Duration::from_millis(500);

/// The most response bytes printed per connection (design §2, bounded
/// everything).
pub const MAX_RESPONSE: usize = 1024 * 1024;

/// Everything a single connection needs.
struct Plan {
    config: Arc<ClientConfig>,
    /// Offered by the first connection (`--sess-in`), checked at start.
    sess_in: Option<Vec<u8>>,
    addrs: Vec<SocketAddr>,
    server_name: ServerName,
    request: Vec<u8>,
    early: bool,
    sess_out: Option<String>,
    json: bool,
    timeout: Duration,
    /// Where the received data goes: `--out`, else stdout unless `--json`.
    out: Sink,
    showcerts: bool,
}

/// Where the received data goes.
enum Sink {
    Stdout,
    File(File),
    Nowhere,
}

/// Prints details (`--trace`, `--showcerts`): on stdout, or on stderr
/// when stdout is for `--json` lines.
fn print_detail(json: bool, text: &str) {
    if json {
        eprint!("{text}");
    } else {
        stdout::write(text.as_bytes());
    }
}

/// `--trace`: one line per handshake message, as it is sent or received.
struct Trace {
    json: bool,
}

impl MessageObserver for Trace {
    fn handshake_message(&self, direction: MessageDirection, typ: HandshakeType) {
        let arrow = match direction {
            MessageDirection::Sent => ">>>",
            MessageDirection::Received => "<<<",
        };
        print_detail(self.json, &format!("{arrow} {typ:?}\n"));
    }
}

pub fn run(options: Options) -> Result<ExitCode, Failure> {
    let plan = plan(&options)?;
    let connections = options.number::<usize>("connections")?.unwrap_or(1);
    let mut failed = false;
    for number in 1..=connections {
        if let Err(why) = connect(&plan, number == 1) {
            eprintln!("ferrotls client: connection {number}: {why}");
            failed = true;
            break;
        }
    }
    Ok(if failed {
        ExitCode::from(EXIT_FAILED)
    } else {
        ExitCode::SUCCESS
    })
}

/// The host part of `ADDR:PORT` (brackets of an IPv6 literal removed).
fn host_of(addr: &str) -> &str {
    let host = addr.rsplit_once(':').map_or(addr, |(host, _)| host);
    host.strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
}

/// Replaces the escapes `\r`, `\n` and `\\` of `--request`.
fn unescape(text: &str) -> String {
    text.replace("\\r", "\r")
        .replace("\\n", "\n")
        .replace("\\\\", "\\")
}

fn plan(options: &Options) -> Result<Plan, Failure> {
    let addr = match (options.positionals(), options.get("connect")) {
        ([addr], None) => addr.as_str(),
        ([], Some(addr)) => addr,
        _ => return Err("expected exactly one ADDR:PORT (or --connect ADDR:PORT)".into()),
    };
    let addrs: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {addr}: {e}"))?
        .collect();
    let name = options.get("servername").unwrap_or_else(|| host_of(addr));
    let server_name = name.parse::<ServerName>().map_err(|e| e.to_string())?;
    let builder = match (
        options.get("cafile"),
        options.has("insecure"),
        options.get("pin-spki"),
    ) {
        (Some(ca), false, None) => {
            ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(settings::roots(ca)?)))
        }
        (None, true, None) => ClientConfig::dangerous().builder_accepting_any_server_certificate(),
        (None, false, Some(spec)) => ClientConfig::builder(Arc::new(settings::pinned_keys(spec)?)),
        (None, false, None) => ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(
            Arc::new(RootStore::system().map_err(|e| format!("system trust anchors: {e}"))?),
        ))),
        _ => return Err("--cafile, --insecure and --pin-spki exclude each other".into()),
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let versions = settings::versions(options)?;
    let mut builder = builder.clock(clock.clone()).versions(&versions);
    if let Some(suites) = settings::suites(options, &versions)? {
        builder = builder.cipher_suites(&suites);
    }
    if let Some(list) = options.get("groups") {
        let list = settings::group_list(list)?;
        builder = builder.groups(&list.groups());
        if !list.key_shares.is_empty() {
            builder = builder.key_share_groups(&list.key_shares);
        }
    }
    if let Some(list) = options.get("sigalgs") {
        builder = builder.signature_schemes(&settings::signature_schemes(list)?);
    }
    if let Some(list) = options.get("key-shares") {
        let groups = match list {
            "" => Vec::new(),
            list => settings::groups(list)?,
        };
        builder = builder.key_share_groups(&groups);
    }
    if let Some(list) = options.get("alpn") {
        let protocols = settings::alpn(list);
        let borrowed: Vec<&[u8]> = protocols.iter().map(Vec::as_slice).collect();
        builder = builder.alpn_protocols(&borrowed);
    }
    builder = builder.max_fragment_size(options.number("max-send-fragment")?);
    if let Some(limit) = settings::record_size_limit(options)? {
        builder = builder.record_size_limit(limit);
    }
    if let Some(list) = options.get("compress-cert") {
        builder = builder.certificate_compression(&settings::compress_cert(list)?);
    }
    match (options.all("cert"), options.all("key")) {
        ([], [key]) => builder = builder.client_certificate(settings::raw_key(key)?),
        (certs, keys) if certs.len() == keys.len() => {
            for (cert, key) in certs.iter().zip(keys) {
                builder = builder.client_certificate(settings::certified_key(cert, key)?);
            }
        }
        _ => {
            return Err("--cert and --key go together, one --key per --cert \
                 (or one --key alone: a raw public key)"
                .into())
        }
    }
    for psk in settings::external_psks(options)? {
        builder = builder.external_psk(psk);
    }
    if let Some(log) = settings::key_log(options)? {
        builder = builder.key_log(log);
    }
    builder = builder
        .request_ocsp_staple(options.has("ocsp"))
        .require_ocsp_staple(options.has("require-ocsp"))
        .request_scts(options.has("sct"));
    let json = options.has("json");
    builder = builder
        .renegotiation(options.has("renegotiation"))
        .grease(options.has("grease"))
        .permute_extensions(options.has("permute-extensions"))
        .false_start(options.has("false-start"))
        .reverify_on_resume(options.has("reverify-on-resume"));
    if options.has("trace") {
        builder = builder.message_observer(Arc::new(Trace { json }));
    }
    let timeout = match options.number::<u64>("timeout")? {
        Some(0) => return Err("--timeout must be at least 1".into()),
        secs => Duration::from_secs(secs.unwrap_or(DEFAULT_TIMEOUT_SECS)),
    };
    let out = match options.get("out") {
        Some(path) => {
            Sink::File(File::create(path).map_err(|e| format!("{path}: cannot write: {e}"))?)
        }
        None if json => Sink::Nowhere,
        None => Sink::Stdout,
    };
    let mut sess_in = None;
    if options.has("no-tickets") {
        if options.has("sess-in") || options.has("sess-out") {
            return Err("--no-tickets excludes --sess-in and --sess-out".into());
        }
        builder = builder.session_store(None);
    } else if let Some(path) = options.get("sess-in") {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
        // Checked now, so that bad data fails before any connection.
        ClientSessionData::from_bytes(&bytes, clock.now()).map_err(|e| format!("{path}: {e}"))?;
        sess_in = Some(bytes);
    }
    let (request, early) = match (options.get("early-data"), options.get("request")) {
        (Some(_), Some(_)) => return Err("--early-data and --request exclude each other".into()),
        (Some(path), None) => {
            let data = std::fs::read(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
            (data, true)
        }
        (None, request) => (
            request
                .map_or_else(|| DEFAULT_REQUEST.to_owned(), unescape)
                .into_bytes(),
            false,
        ),
    };
    builder = builder.enable_early_data(early);
    Ok(Plan {
        config: builder.build().map_err(|e| e.to_string())?,
        sess_in,
        addrs,
        server_name,
        request,
        early,
        sess_out: options.get("sess-out").map(str::to_owned),
        json,
        timeout,
        out,
        showcerts: options.has("showcerts"),
    })
}

/// One connection: handshake (with 0-RTT when planned and possible),
/// request, response to its sink, close_notify, session export. The
/// `first` connection offers the `--sess-in` session; later ones resume
/// from the configuration's store.
fn connect(plan: &Plan, first: bool) -> Result<(), String> {
    let mut last_error = None;
    let sock = plan
        .addrs
        .iter()
        .find_map(|a| {
            TcpStream::connect_timeout(a, plan.timeout)
                .map_err(|e| last_error = Some(e))
                .ok()
        })
        .ok_or_else(|| match last_error {
            Some(e) => format!("cannot connect: {e}"),
            None => "cannot connect: no address".to_owned(),
        })?;
    let mut conn = match plan.sess_in.as_deref().filter(|_| first) {
        Some(bytes) => {
            ClientConnection::resume(plan.config.clone(), plan.server_name.clone(), bytes)
        }
        None => ClientConnection::new(plan.config.clone(), plan.server_name.clone()),
    }
    .map_err(|e| e.to_string())?;
    // 0-RTT takes what the ticket allows; the rest, or all of it when the
    // server refuses, goes after the handshake.
    let sent_early = if plan.early {
        conn.write_early_data(&plan.request).unwrap_or(0)
    } else {
        0
    };
    let sock = DeadlineSocket {
        sock,
        deadline: Instant::now() + plan.timeout,
    };
    let mut tls = StreamOwned::new(conn, sock);
    let response = exchange(&mut tls, plan, sent_early).map_err(|e| match e {
        Stalled::Handshake => format!(
            "the server did not finish the handshake within {} s",
            plan.timeout.as_secs()
        ),
        Stalled::Answer => format!(
            "the server sent no answer within {} s",
            plan.timeout.as_secs()
        ),
        Stalled::Failed(e) => describe_failure(&tls.conn, &e),
    })?;
    match &plan.out {
        Sink::Stdout => stdout::write(&response),
        Sink::File(file) => {
            let mut file = file;
            file.write_all(&response)
                .map_err(|e| format!("--out: cannot write: {e}"))?;
        }
        Sink::Nowhere => {}
    }
    if let Some(path) = &plan.sess_out {
        export_session(&tls.conn, path)?;
    }
    Ok(())
}

/// A TCP socket whose reads and writes fail with `TimedOut` once its
/// deadline has passed, however the time was spent (a server trickling
/// bytes cannot stretch a handshake past it).
struct DeadlineSocket {
    sock: TcpStream,
    deadline: Instant,
}

impl DeadlineSocket {
    /// The time left, or `TimedOut` when none is.
    fn time_left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        Ok(left)
    }
}

/// A socket timeout shows as `WouldBlock` on unix; both are `TimedOut`
/// here.
fn timed_out(e: io::Error) -> io::Error {
    match e.kind() {
        io::ErrorKind::WouldBlock => io::ErrorKind::TimedOut.into(),
        _ => e,
    }
}

impl Read for DeadlineSocket {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.sock.set_read_timeout(Some(self.time_left()?))?;
        self.sock.read(buf).map_err(timed_out)
    }
}

impl Write for DeadlineSocket {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.sock.set_write_timeout(Some(self.time_left()?))?;
        self.sock.write(buf).map_err(timed_out)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sock.flush()
    }
}

/// Why an exchange ended early.
enum Stalled {
    /// The deadline passed before the handshake completed.
    Handshake,
    /// The deadline passed before the first byte of the answer.
    Answer,
    /// The connection or its transport failed.
    Failed(io::Error),
}

/// Whether `e` is the transport's timeout, not a TLS error.
fn is_timeout(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::TimedOut
        && e.get_ref()
            .is_none_or(|inner| !inner.is::<ferrotls::Error>())
}

fn exchange(
    tls: &mut StreamOwned<ClientConnection, DeadlineSocket>,
    plan: &Plan,
    sent_early: usize,
) -> Result<Vec<u8>, Stalled> {
    // With False Start the request leaves with our Finished (RFC 7918):
    // written before the handshake, it goes as soon as the connection may
    // send it, at the handshake's end otherwise.
    let prewritten = plan.config.false_start && sent_early == 0;
    if prewritten {
        tls.conn
            .writer()
            .write_all(&plan.request)
            .map_err(Stalled::Failed)?;
    }
    tls.complete_handshake().map_err(|e| match e {
        e if is_timeout(&e) => Stalled::Handshake,
        e => Stalled::Failed(e),
    })?;
    let report = Report::of(&tls.conn, "client");
    if plan.json {
        stdout::line(&report.to_json());
    }
    if plan.showcerts {
        print_detail(
            plan.json,
            &match tls.conn.server_certificate_type() {
                Some(CertificateType::RawPublicKey) => {
                    public_keys_to_pem(tls.conn.peer_certificates())
                }
                _ => certificates_to_pem(tls.conn.peer_certificates()),
            },
        );
    }
    let unsent = match tls.conn.early_data_status() {
        _ if prewritten => &[],
        EarlyDataStatus::Accepted => plan.request.get(sent_early..).unwrap_or_default(),
        _ => &plan.request,
    };
    tls.sock.deadline = Instant::now() + plan.timeout;
    tls.write_all(unsent).map_err(Stalled::Failed)?;
    let response = read_response(tls)?;
    tls.conn.send_close_notify();
    // The server may already be gone; its answer arrived in full.
    let _ = tls.flush();
    Ok(response)
}

/// Reads until the server's close_notify or the end of the transport,
/// keeping at most [`MAX_RESPONSE`] bytes. Once the answer has started, a
/// pause of [`RESPONSE_IDLE`] also ends it (an echo server keeps the
/// connection open); before that, the socket's deadline (`--timeout`
/// after the request) is [`Stalled::Answer`].
fn read_response(
    tls: &mut StreamOwned<ClientConnection, DeadlineSocket>,
) -> Result<Vec<u8>, Stalled> {
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tls.read(&mut buf) {
            Ok(0) => return Ok(response),
            Ok(n) => {
                tls.sock.deadline = Instant::now() + RESPONSE_IDLE;
                let room = MAX_RESPONSE.saturating_sub(response.len());
                response.extend_from_slice(buf.get(..n.min(room)).unwrap_or_default());
            }
            Err(e) if is_timeout(&e) && response.is_empty() => return Err(Stalled::Answer),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::UnexpectedEof
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::ConnectionReset
                ) && e
                    .get_ref()
                    .is_none_or(|inner| !inner.is::<ferrotls::Error>()) =>
            {
                return Ok(response)
            }
            Err(e) => return Err(Stalled::Failed(e)),
        }
    }
}

/// Writes the newest resumable session `conn` received to `path`.
fn export_session(conn: &ClientConnection, path: &str) -> Result<(), String> {
    let bytes = conn
        .session_data()
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("--sess-out {path}: the server left no resumable session"))?;
    std::fs::write(path, bytes).map_err(|e| format!("{path}: cannot write: {e}"))
}
