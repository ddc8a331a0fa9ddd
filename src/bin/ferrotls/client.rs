//! `ferrotls client`: connects to a server one or more times, resuming
//! whenever it can, sends a request and prints the answer.

use crate::args::{flag, value, OptionSpec, Options};
use crate::report::{describe_failure, Report};
use crate::settings::{self, IO_TIMEOUT};
use crate::{Failure, EXIT_FAILED};
use ferrotls::config::ClientConfig;
use ferrotls::conn::{ClientConnection, EarlyDataStatus};
use ferrotls::pki::{RootStore, ServerName, WebPkiServerVerifier};
use ferrotls::session::ClientSessionData;
use ferrotls::stream::StreamOwned;
use ferrotls::time::{Clock, SystemClock};
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::sync::Arc;

pub const SYNOPSIS: &str = "client ADDR:PORT [--servername NAME] [--cafile FILE | --insecure] \
    [--min-version V] [--max-version V] [--ciphers LIST] [--groups LIST] [--connections N] \
    [--sess-out FILE] [--sess-in FILE] [--no-tickets] [--early-data FILE] [--alpn LIST] \
    [--cert FILE --key FILE] [--keylog FILE] [--request TEXT] [--json]";

pub const ABOUT: &str = "Connects to ADDR:PORT (N times in a row with --connections, resuming \
whenever a ticket allows), sends the request and prints what comes back on stdout, until the \
server closes or, once it has answered, falls silent for half a second. A failed \
connection is reported on stderr with the alert sent or received, and the exit status is 1. \
V is one of 1.0 1.1 1.2 1.3; LIST is comma-separated IANA or OpenSSL-style names.";

pub const OPTIONS: &[OptionSpec] = &[
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
        "key-exchange groups offered; the first gets a key share",
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
        "cert",
        "FILE",
        "PEM client certificate chain, offered when the server asks",
    ),
    value("key", "FILE", "PEM private key of --cert"),
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
    flag(
        "json",
        "print one JSON object per completed handshake on stdout",
    ),
];

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
    let [addr] = options.positionals() else {
        return Err("expected exactly one ADDR:PORT".into());
    };
    let addrs: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {addr}: {e}"))?
        .collect();
    let name = options.get("servername").unwrap_or_else(|| host_of(addr));
    let server_name = name.parse::<ServerName>().map_err(|e| e.to_string())?;
    let builder = match (options.get("cafile"), options.has("insecure")) {
        (Some(_), true) => return Err("--cafile and --insecure exclude each other".into()),
        (Some(ca), false) => {
            ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(settings::roots(ca)?)))
        }
        (None, true) => ClientConfig::dangerous().builder_accepting_any_server_certificate(),
        (None, false) => ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(
            RootStore::system().map_err(|e| format!("system trust anchors: {e}"))?,
        )))),
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let versions = settings::versions(options)?;
    let mut builder = builder.clock(clock.clone()).versions(&versions);
    if let Some(suites) = settings::suites(options, &versions)? {
        builder = builder.cipher_suites(&suites);
    }
    if let Some(list) = options.get("groups") {
        builder = builder.groups(&settings::groups(list)?);
    }
    if let Some(list) = options.get("alpn") {
        let protocols = settings::alpn(list);
        let borrowed: Vec<&[u8]> = protocols.iter().map(Vec::as_slice).collect();
        builder = builder.alpn_protocols(&borrowed);
    }
    match (options.get("cert"), options.get("key")) {
        (Some(cert), Some(key)) => {
            builder = builder.client_certificate(settings::certified_key(cert, key)?);
        }
        (None, None) => {}
        _ => return Err("--cert and --key go together".into()),
    }
    if let Some(log) = settings::key_log(options)? {
        builder = builder.key_log(log);
    }
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
        json: options.has("json"),
    })
}

/// One connection: handshake (with 0-RTT when planned and possible),
/// request, response to stdout, close_notify, session export. The `first`
/// connection offers the `--sess-in` session; later ones resume from the
/// configuration's store.
fn connect(plan: &Plan, first: bool) -> Result<(), String> {
    let sock = plan
        .addrs
        .iter()
        .find_map(|a| TcpStream::connect_timeout(a, IO_TIMEOUT).ok())
        .ok_or("cannot connect")?;
    sock.set_read_timeout(Some(IO_TIMEOUT))
        .and_then(|()| sock.set_write_timeout(Some(IO_TIMEOUT)))
        .map_err(|e| format!("transport: {e}"))?;
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
    let mut tls = StreamOwned::new(conn, sock);
    let response =
        exchange(&mut tls, plan, sent_early).map_err(|e| describe_failure(&tls.conn, &e))?;
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(&response)
        .and_then(|()| stdout.flush())
        .map_err(|e| format!("stdout: {e}"))?;
    if let Some(path) = &plan.sess_out {
        export_session(&tls.conn, path)?;
    }
    Ok(())
}

fn exchange(
    tls: &mut StreamOwned<ClientConnection, TcpStream>,
    plan: &Plan,
    sent_early: usize,
) -> io::Result<Vec<u8>> {
    tls.complete_handshake()?;
    let report = Report::of(&tls.conn, "client");
    if plan.json {
        println!("{}", report.to_json());
    }
    let unsent = match tls.conn.early_data_status() {
        EarlyDataStatus::Accepted => plan.request.get(sent_early..).unwrap_or_default(),
        _ => &plan.request,
    };
    tls.write_all(unsent)?;
    let response = read_response(tls)?;
    tls.conn.send_close_notify();
    // The server may already be gone; its answer arrived in full.
    let _ = tls.flush();
    Ok(response)
}

/// Reads until the server's close_notify or the end of the transport,
/// keeping at most [`MAX_RESPONSE`] bytes. Once the answer has started, a
/// pause of [`RESPONSE_IDLE`] also ends it (an echo server keeps the
/// connection open); before that, the wait is [`IO_TIMEOUT`].
fn read_response(tls: &mut StreamOwned<ClientConnection, TcpStream>) -> io::Result<Vec<u8>> {
    let mut response = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tls.read(&mut buf) {
            Ok(0) => return Ok(response),
            Ok(n) => {
                if response.is_empty() {
                    tls.sock.set_read_timeout(Some(RESPONSE_IDLE))?;
                }
                let room = MAX_RESPONSE.saturating_sub(response.len());
                response.extend_from_slice(buf.get(..n.min(room)).unwrap_or_default());
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::UnexpectedEof
                        | io::ErrorKind::WouldBlock
                        | io::ErrorKind::TimedOut
                        | io::ErrorKind::ConnectionReset
                ) && e
                    .get_ref()
                    .is_none_or(|inner| !inner.is::<ferrotls::Error>()) =>
            {
                return Ok(response)
            }
            Err(e) => return Err(e),
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
