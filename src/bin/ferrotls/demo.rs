//! `ferrotls demo`: starts a server on 127.0.0.1 with an embedded test
//! certificate, connects to it with each version the library knows, a
//! full handshake then a resumption, and prints what each side reports.

use crate::args::{flag, OptionSpec};
use crate::report::{describe_failure, Report};
use crate::server::{self, Event, Mode, Service};
use crate::settings::with_legacy_suites;
use crate::settings::IO_TIMEOUT;
use crate::stdout;
use crate::Failure;
use ferrotls::{
    CertifiedKey, ClientConfig, ClientConnection, InMemoryServerStore, ProtocolVersion, RootStore,
    ServerConfig, ServerName, StreamOwned, SystemClock, WebPkiServerVerifier, ALL_VERSIONS,
    DEFAULT_VERSIONS,
};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

pub const SYNOPSIS: &str = "demo";

pub const ABOUT: &str = "Starts a server on 127.0.0.1 (an ephemeral port) with an embedded \
ECDSA P-256 test certificate, connects to it with each protocol version, a full handshake \
then a resumed one, and prints a table: version, cipher suite, group, whether the \
connection resumed, the client's session_id() and the server's session_id() (design §3: \
the server's ID persists across resumptions, the client's changes). TLS 1.3 and 1.2 by \
default; --all-versions adds TLS 1.1 and 1.0 (off by default, RFC 8996). A version the \
engine cannot negotiate shows as an error row.";

pub const OPTIONS: &[OptionSpec] = &[flag(
    "all-versions",
    "also show TLS 1.1 and 1.0 rows (with their CBC suites)",
)];

/// The embedded test certificate: the P-256 chain of `vectors/pki` (made
/// by `vectors/pki/make.sh`), its key, and the root that signed it.
const CHAIN: &str = include_str!("../../../vectors/pki/p256-chain.pem");
const KEY: &str = include_str!("../../../vectors/pki/p256-leaf.key");
const ROOT: &str = include_str!("../../../vectors/pki/p256-root.pem");
/// The name in [`CHAIN`]'s end-entity certificate.
const SERVER_NAME: &str = "leaf.p256.test";

/// One table row: the client's and the server's report, or why the
/// connection failed.
type Row = Result<(Report, Report), String>;

pub fn run(options: crate::args::Options) -> Result<ExitCode, Failure> {
    if let Some(extra) = options.positionals().first() {
        return Err(format!("unexpected argument {extra:?}").into());
    }
    let key = CertifiedKey::from_pem(CHAIN, KEY).map_err(|e| format!("embedded key: {e}"))?;
    let mut roots = RootStore::new();
    roots
        .add_pem(ROOT)
        .map_err(|e| format!("embedded root: {e}"))?;
    let roots = Arc::new(roots);
    let name = ServerName::parse(SERVER_NAME).map_err(|e| e.to_string())?;
    let versions = if options.has("all-versions") {
        ALL_VERSIONS
    } else {
        DEFAULT_VERSIONS
    };
    let mut server_config = ServerConfig::builder(Arc::new(key))
        .versions(versions)
        .session_store(Arc::new(InMemoryServerStore::new(Arc::new(SystemClock))));
    if let Some(suites) = with_legacy_suites(versions) {
        server_config = server_config.cipher_suites(&suites);
    }

    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("listen: {e}"))?;
    let addr = listener.local_addr().map_err(|e| format!("listen: {e}"))?;
    let (events, received) = mpsc::channel();
    let events = Mutex::new(events);
    let service = Arc::new(Service {
        config: server_config
            .build()
            .map_err(|e| format!("server configuration: {e}"))?,
        ocsp: None,
        mode: Mode::Www,
        handshake_timeout: server::DEFAULT_HANDSHAKE_TIMEOUT,
        idle_timeout: server::DEFAULT_IDLE_TIMEOUT,
        require_cert_path: None,
        key_update_path: None,
        events: Box::new(move |event| {
            if let Ok(sender) = events.lock() {
                // The demo may have stopped listening; nothing to do then.
                let _ = sender.send(event);
            }
        }),
    });
    // The server thread ends with the process.
    std::thread::spawn(move || server::serve(listener, &service, None));

    stdout::line(&format!(
        "ferrotls demo: server on {addr}, certificate for {SERVER_NAME} (ECDSA P-256)\n"
    ));
    let header = [
        "version",
        "cipher suite",
        "group",
        "resumed",
        "client session_id()",
        "server session_id()",
    ];
    let mut table: Vec<Vec<String>> = vec![header.map(str::to_owned).to_vec()];
    let mut failed = false;
    for &version in versions.iter().rev() {
        for row in connect_twice(version, &roots, &name, addr, &received) {
            table.push(match row {
                Ok((client, server)) => vec![
                    client.version.unwrap_or_default(),
                    client.cipher_suite.unwrap_or_default(),
                    client.group.unwrap_or_else(|| "-".to_owned()),
                    (if client.resumed { "yes" } else { "no" }).to_owned(),
                    client.session_id,
                    server.session_id,
                ],
                Err(why) => {
                    failed = true;
                    vec![
                        version.report_name().unwrap_or("?").to_owned(),
                        format!("error: {why}"),
                    ]
                }
            });
        }
    }
    print_table(&table);
    if failed {
        stdout::line("\n(error rows: versions this build cannot negotiate yet)");
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints `rows` with columns padded to their widest cell; a short row
/// (an error) runs its last cell across the remaining columns.
fn print_table(rows: &[Vec<String>]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter(|r| r.len() == columns)
                .filter_map(|r| r.get(c).map(String::len))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, row) in rows.iter().enumerate() {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(&format!("{cell:width$}  "));
        }
        stdout::line(line.trim_end());
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            stdout::line(&rule.join("  "));
        }
    }
}

/// A full handshake then a resumption with `version` only; stops after
/// the first failure.
fn connect_twice(
    version: ProtocolVersion,
    roots: &Arc<RootStore>,
    name: &ServerName,
    addr: SocketAddr,
    events: &Receiver<Event>,
) -> Vec<Row> {
    let mut builder = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(roots.clone())))
        .versions(&[version]);
    if let Some(suites) = with_legacy_suites(&[version]) {
        builder = builder.cipher_suites(&suites);
    }
    let config = match builder.build() {
        Ok(config) => config,
        Err(e) => return vec![Err(e.to_string())],
    };
    let mut rows = Vec::new();
    for _ in 0..2 {
        let row = connect(&config, name, addr, events);
        let stop = row.is_err();
        rows.push(row);
        if stop {
            break;
        }
    }
    rows
}

/// One connection: handshake, request, the page, and the server's report.
fn connect(
    config: &Arc<ClientConfig>,
    name: &ServerName,
    addr: SocketAddr,
    events: &Receiver<Event>,
) -> Row {
    let conn = ClientConnection::new(config.clone(), name.clone()).map_err(|e| e.to_string())?;
    let sock = TcpStream::connect_timeout(&addr, IO_TIMEOUT).map_err(|e| e.to_string())?;
    sock.set_read_timeout(Some(IO_TIMEOUT))
        .map_err(|e| e.to_string())?;
    let mut tls = StreamOwned::new(conn, sock);
    let client = tls
        .complete_handshake()
        .and_then(|()| tls.write_all(b"GET / HTTP/1.0\r\n\r\n"))
        .and_then(|()| {
            // The page arrives after the tickets: reading it to the end
            // stores them for the next connection.
            let mut page = Vec::new();
            tls.read_to_end(&mut page).map(|_| ())
        })
        .map(|()| Report::of(&tls.conn, "client"))
        .map_err(|e| describe_failure(&tls.conn, &e));
    // The server reports every connection that reached it, failed or
    // not; taking its report keeps the next row in step.
    let server = events.recv_timeout(IO_TIMEOUT);
    let client = match (client, &server) {
        (Ok(client), _) => client,
        (Err(why), Ok(Event::Failed(server_why))) => {
            return Err(format!("client: {why}; server: {server_why}"))
        }
        (Err(why), _) => return Err(format!("client: {why}")),
    };
    match server {
        Ok(Event::Handshake(server)) => Ok((client, *server)),
        Ok(Event::Failed(why)) => Err(format!("server: {why}")),
        Err(_) => Err("server: no report".to_owned()),
    }
}
