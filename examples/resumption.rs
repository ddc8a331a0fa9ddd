//! Resumption and the session ID, over TCP on 127.0.0.1: for TLS 1.3, TLS
//! 1.2 with RFC 5077 tickets and TLS 1.2 by session ID, a full handshake,
//! its session exported as bytes and resumed from them by a new client
//! configuration (as another process would), then resumed again from that
//! configuration's store. Prints both sides' `session_id()` for each
//! connection and checks the contract (`docs/session-ids.md`): the
//! server's ID persists across the resumptions, the client's is the one
//! the server sent in that connection's ServerHello.
//!
//! ```text
//! cargo run --example resumption [CHAIN KEY ROOT NAME]
//! ```
//!
//! It starts its own server, on a free port. CHAIN and KEY (PEM files,
//! the server's) default to `vectors/pki`'s P-256 leaf, ROOT (what the
//! client trusts) to its root, NAME to `leaf.p256.test`. Exits with
//! status 1 if the contract does not hold.

use std::collections::HashSet;
use std::error::Error;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;

use ferrotls::{CertifiedKey, ClientConfig, ClientConnection, ProtocolVersion, RootStore};
use ferrotls::{ServerConfig, ServerConnection, ServerName, StreamOwned, WebPkiServerVerifier};

/// What the server saw of one connection: its `session_id()` and whether
/// it resumed.
type ServerView = (Vec<u8>, bool);

/// Serves every connection of `listener` in turn: reads a line, answers
/// it, closes, and sends its view of the connection (or why it failed) to
/// `views`.
fn serve(
    listener: TcpListener,
    config: Arc<ServerConfig>,
    views: Sender<Result<ServerView, String>>,
) {
    for tcp in listener.incoming() {
        let served = tcp.map_err(Box::<dyn Error>::from).and_then(|tcp| {
            let mut tls = StreamOwned::new(ServerConnection::new(config.clone()), tcp);
            let mut line = String::new();
            BufReader::new(&mut tls).read_line(&mut line)?;
            tls.write_all(format!("you said: {line}").as_bytes())?;
            tls.conn.send_close_notify();
            tls.flush()?;
            Ok((tls.conn.session_id().to_vec(), tls.conn.is_resumed()))
        });
        if views
            .send(served.map_err(|e| format!("server: {e}")))
            .is_err()
        {
            // Nobody is listening any more.
            return;
        }
    }
}

/// One connection, as a client: handshake, a line each way, and the
/// server's answer read to its close_notify (TLS 1.3 tickets arrive with
/// it). Returns the connection for its queries.
fn connect(
    conn: ClientConnection,
    address: SocketAddr,
) -> Result<ClientConnection, Box<dyn Error>> {
    let mut tls = StreamOwned::new(conn, std::net::TcpStream::connect(address)?);
    tls.write_all(b"hello\n")?;
    tls.read_to_string(&mut String::new())?;
    tls.conn.send_close_notify();
    tls.flush()?;
    Ok(tls.conn)
}

/// One row of the table: a connection seen from both sides.
struct Row {
    how: &'static str,
    client: ClientConnection,
    server: ServerView,
}

/// A full handshake, a resumption from its exported bytes in a new
/// configuration, and one from that configuration's store; each with what
/// the server saw of it.
fn three_connections(
    kind: Kind,
    verifier: &Arc<WebPkiServerVerifier>,
    name: &ServerName,
    address: SocketAddr,
    views: &Receiver<Result<ServerView, String>>,
) -> Result<Vec<Row>, Box<dyn Error>> {
    let mut rows = Vec::new();
    let mut row = |how, client| -> Result<(), Box<dyn Error>> {
        rows.push(Row {
            how,
            client,
            server: views.recv()??,
        });
        Ok(())
    };
    let first = connect(
        ClientConnection::new(kind.config(verifier)?, name.clone())?,
        address,
    )?;
    let saved = first
        .session_data()?
        .ok_or("the first connection left no session")?;
    row("new", first)?;
    // A new configuration, as in another process: only the bytes carry
    // the session.
    let other = kind.config(verifier)?;
    let resumed = ClientConnection::resume(other.clone(), name.clone(), &saved)?;
    row("resume(bytes)", connect(resumed, address)?)?;
    row(
        "new (store)",
        connect(ClientConnection::new(other, name.clone())?, address)?,
    )?;
    Ok(rows)
}

/// Whether `rows` (a full handshake, then two resumptions) keep the
/// contract for `kind`; the broken rule otherwise.
fn check(kind: Kind, rows: &[Row]) -> Result<(), String> {
    let server_id = &rows[0].server.0;
    for (i, row) in rows.iter().enumerate() {
        let resumed = i > 0;
        if row.client.is_resumed() != resumed || row.server.1 != resumed {
            return Err(format!("connection {}: resumed should be {resumed}", i + 1));
        }
        if &row.server.0 != server_id {
            return Err(format!("connection {}: the server's ID changed", i + 1));
        }
        let client_id = row.client.session_id();
        let expected_equal = match kind {
            // S on both sides, on every connection.
            Kind::Tls12SessionId => true,
            // S on the full handshake, then the client's fresh C echoed.
            Kind::Tls12Ticket => !resumed,
            // L, L′, ...: the server's T is never on the wire.
            Kind::Tls13 => false,
        };
        if (client_id == server_id.as_slice()) != expected_equal {
            return Err(format!(
                "connection {}: the client's ID should {}be the server's",
                i + 1,
                if expected_equal { "" } else { "not " }
            ));
        }
    }
    let client_ids: HashSet<&[u8]> = rows.iter().map(|r| r.client.session_id()).collect();
    if kind != Kind::Tls12SessionId && client_ids.len() != rows.len() {
        return Err("the client saw the same ID twice".into());
    }
    Ok(())
}

/// How the client resumes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tls13,
    Tls12Ticket,
    Tls12SessionId,
}

impl Kind {
    const ALL: [Kind; 3] = [Kind::Tls13, Kind::Tls12Ticket, Kind::Tls12SessionId];

    fn label(self) -> &'static str {
        match self {
            Kind::Tls13 => "TLS 1.3",
            Kind::Tls12Ticket => "TLS 1.2 ticket",
            Kind::Tls12SessionId => "TLS 1.2 ID",
        }
    }

    /// A client configuration resuming this way.
    fn config(
        self,
        verifier: &Arc<WebPkiServerVerifier>,
    ) -> Result<Arc<ClientConfig>, Box<dyn Error>> {
        let (version, tickets) = match self {
            Kind::Tls13 => (ProtocolVersion::TLSv1_3, true),
            Kind::Tls12Ticket => (ProtocolVersion::TLSv1_2, true),
            // Without RFC 5077 tickets, TLS 1.2 resumes by session ID.
            Kind::Tls12SessionId => (ProtocolVersion::TLSv1_2, false),
        };
        Ok(ClientConfig::builder(verifier.clone())
            .versions(&[version])
            .enable_tickets(tickets)
            .build()?)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn main() -> Result<(), Box<dyn Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/vectors/pki");
    let mut args = std::env::args().skip(1);
    let chain = args
        .next()
        .unwrap_or_else(|| format!("{dir}/p256-chain.pem"));
    let key = args
        .next()
        .unwrap_or_else(|| format!("{dir}/p256-leaf.key"));
    let root = args
        .next()
        .unwrap_or_else(|| format!("{dir}/p256-root.pem"));
    let name: ServerName = args.next().as_deref().unwrap_or("leaf.p256.test").parse()?;

    // The server resumes TLS ≤1.2 sessions by ID and by ticket and TLS 1.3
    // ones by ticket with its defaults.
    let server =
        ServerConfig::builder(Arc::new(CertifiedKey::from_pem_files(chain, key)?)).build()?;
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    let (views, received) = mpsc::channel();
    std::thread::spawn(move || serve(listener, server, views));

    let verifier = Arc::new(WebPkiServerVerifier::new(Arc::new(
        RootStore::from_pem_file(root)?,
    )));
    let mut broken = Vec::new();
    println!(
        "{:<16} {:<14} {:<8} {:<64} server session_id()",
        "", "connection", "resumed", "client session_id()"
    );
    for kind in Kind::ALL {
        let rows = three_connections(kind, &verifier, &name, address, &received)?;
        for row in &rows {
            println!(
                "{:<16} {:<14} {:<8} {:<64} {}",
                kind.label(),
                row.how,
                if row.client.is_resumed() { "yes" } else { "no" },
                hex(row.client.session_id()),
                hex(&row.server.0),
            );
        }
        if let Err(why) = check(kind, &rows) {
            broken.push(format!("{}: {why}", kind.label()));
        }
    }
    if broken.is_empty() {
        println!("the session-ID contract holds");
        Ok(())
    } else {
        Err(broken.join("; ").into())
    }
}
