//! The sans-IO connection, with no socket at all: a client and a server
//! in one process, their bytes moved through a `Vec` standing for the
//! network. Prints each flight (who sends, how many bytes, whether each
//! side is still handshaking), then exchanges a line each way and closes.
//! This is how to drive ferrotls from an event loop or a custom
//! transport: `read_tls`, `process_new_packets`, `write_tls`, `reader()`
//! and `writer()`.
//!
//! ```text
//! cargo run --example sans_io [CHAIN KEY ROOT NAME]
//! ```
//!
//! CHAIN and KEY (PEM files, the server's) default to `vectors/pki`'s
//! P-256 leaf, ROOT (what the client trusts) to its root, NAME to
//! `leaf.p256.test`.

use std::error::Error;
use std::io::{Read, Write};
use std::sync::Arc;

use ferrotls::{CertifiedKey, ClientConfig, ClientConnection, Connection, RootStore};
use ferrotls::{ServerConfig, ServerConnection, ServerName, WebPkiServerVerifier};

/// Moves what `from` has to send into `to`, as a network would, and lets
/// `to` process it. Returns the number of bytes moved.
fn send(from: &mut Connection, to: &mut Connection) -> Result<usize, Box<dyn Error>> {
    let mut wire = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut wire)?;
    }
    let mut received = &wire[..];
    while !received.is_empty() {
        to.read_tls(&mut received)?;
        // On an error the alert for the peer is queued for write_tls,
        // and the connection is over.
        to.process_new_packets()?;
    }
    Ok(wire.len())
}

/// Reads what `conn` received so far: `reader()` fails with `WouldBlock`
/// once nothing is buffered, and says `Ok(0)` after the peer's
/// close_notify. `read_to_end` keeps what it read before either.
fn received(conn: &mut Connection) -> Result<String, Box<dyn Error>> {
    let mut bytes = Vec::new();
    match conn.reader().read_to_end(&mut bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::WouldBlock => Err(e.into()),
        _ => Ok(String::from_utf8(bytes)?),
    }
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

    let server_config =
        ServerConfig::builder(Arc::new(CertifiedKey::from_pem_files(chain, key)?)).build()?;
    let roots = RootStore::from_pem_file(root)?;
    let client_config =
        ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots)))).build()?;

    // The ClientHello is queued as soon as the client exists.
    let mut client = ClientConnection::new(client_config, name)?;
    let mut server = ServerConnection::new(server_config);
    let mut flight = 0;
    while client.is_handshaking() || server.is_handshaking() {
        for client_sends in [true, false] {
            let bytes = if client_sends {
                send(&mut client, &mut server)?
            } else {
                send(&mut server, &mut client)?
            };
            if bytes > 0 {
                flight += 1;
                println!(
                    "flight {flight}: {} {bytes} bytes; handshaking: client {}, server {}",
                    if client_sends {
                        "client → server"
                    } else {
                        "server → client"
                    },
                    client.is_handshaking(),
                    server.is_handshaking(),
                );
            }
        }
    }
    println!(
        "agreed: {:?}, {:?}, {:?}",
        client.protocol_version(),
        client.cipher_suite(),
        client.negotiated_group()
    );

    client.writer().write_all(b"hello from the client\n")?;
    send(&mut client, &mut server)?;
    print!("server read: {}", received(&mut server)?);
    server.writer().write_all(b"hello from the server\n")?;
    // close_notify: the client's reader then says end of stream.
    server.send_close_notify();
    send(&mut server, &mut client)?;
    print!("client read: {}", received(&mut client)?);
    client.send_close_notify();
    send(&mut client, &mut server)?;
    println!("closed");
    Ok(())
}
