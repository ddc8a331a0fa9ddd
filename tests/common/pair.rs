//! An in-memory client–server pair whose bytes can be altered in flight.

use std::sync::Arc;

use super::pki::server_name;
use super::records::{edit_encrypted_flight, handshake_record, records, CapturedSecrets};
use super::rfc8448::server_hello;
use ferrotls::internal::msgs::handshake::HandshakeMessage;
use ferrotls::internal::msgs::hello::ServerHello;

use ferrotls::{
    ClientConfig, ClientConnection, Connection, Error, ServerConfig, ServerConnection, ServerName,
};

/// The first ClientHello `client` sends (to a P-256 server).
pub fn first_client_hello(
    client: Arc<ClientConfig>,
) -> ferrotls::internal::msgs::hello::ClientHello {
    let server = super::pki::server_builder("p256").build().unwrap();
    let (mut c, _) = pair(client, server, server_name("p256"));
    let mut flight = Vec::new();
    c.write_tls(&mut flight).unwrap();
    super::records::client_hello_in(&flight)
}

/// Moves every queued TLS byte from `from` to `to` and lets `to` process
/// it; returns the bytes moved and `to`'s result.
pub fn transfer(from: &mut Connection, to: &mut Connection) -> (usize, Result<(), Error>) {
    transfer_altered(from, to, |_| {})
}

/// Like [`transfer`], but `alter` may change the bytes in flight.
pub fn transfer_altered(
    from: &mut Connection,
    to: &mut Connection,
    alter: impl FnOnce(&mut Vec<u8>),
) -> (usize, Result<(), Error>) {
    let mut bytes = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut bytes).unwrap();
    }
    alter(&mut bytes);
    let moved = bytes.len();
    let mut offset = 0;
    let mut result = Ok(());
    while offset < bytes.len() {
        let n = to.read_tls(&mut &bytes[offset..]).unwrap();
        offset += n;
        if let Err(e) = to.process_new_packets() {
            result = Err(e);
            break;
        }
    }
    (moved, result)
}

/// Runs the handshake to completion, panicking on any error.
pub fn handshake(client: &mut ClientConnection, server: &mut ServerConnection) {
    for _ in 0..10 {
        if !client.is_handshaking()
            && !server.is_handshaking()
            && !client.wants_write()
            && !server.wants_write()
        {
            return;
        }
        let (_, r) = transfer(client, server);
        r.unwrap();
        let (_, r) = transfer(server, client);
        r.unwrap();
    }
    panic!("handshake did not complete");
}

/// A connected pair from these configurations.
pub fn pair(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    name: ServerName,
) -> (ClientConnection, ServerConnection) {
    (
        ClientConnection::new(client, name).unwrap(),
        ServerConnection::new(server),
    )
}

/// Sends `data` from `from` to `to` and checks it arrives whole.
pub fn send_and_check(from: &mut Connection, to: &mut Connection, data: &[u8]) {
    use std::io::{Read, Write};
    from.writer().write_all(data).unwrap();
    let (_, r) = transfer(from, to);
    r.unwrap();
    let mut got = vec![0; data.len()];
    to.reader().read_exact(&mut got).unwrap();
    assert_eq!(got, data);
}

/// A pair from these configurations with its handshake run to completion.
pub fn handshaken(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    name: ServerName,
) -> (ClientConnection, ServerConnection) {
    let (mut c, mut s) = pair(client, server, name);
    handshake(&mut c, &mut s);
    (c, s)
}

/// The side of a pair that is to refuse an edited flight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refuser {
    /// The client refuses a flight from the server.
    Client,
    /// The server refuses a flight from the client.
    Server,
}

/// The most flights each way a handshake in these tests takes.
const MAX_FLIGHTS: usize = 10;

/// Runs a handshake between fresh connections of these configurations;
/// the `flight`-th non-empty flight (from 1) sent to `refuser` is first
/// passed through `edit`. Returns the error `refuser` reported and the
/// plaintext alert it sent, if any; panics if the other side fails first
/// or the handshake completes. Also checks the error is sticky: the
/// refusing side reports it again on its next call.
pub fn refuses(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    name: ServerName,
    refuser: Refuser,
    flight: usize,
    edit: impl FnOnce(&mut Vec<u8>),
) -> (Error, Option<u8>) {
    let (mut c, mut s) = pair(client, server, name);
    let mut edit = Some(edit);
    let mut flights_to_refuser = 0;
    for _ in 0..MAX_FLIGHTS {
        for to in [Refuser::Server, Refuser::Client] {
            let (from, receiver): (&mut Connection, &mut Connection) = match to {
                Refuser::Server => (&mut c, &mut s),
                Refuser::Client => (&mut s, &mut c),
            };
            if !from.wants_write() {
                continue;
            }
            let edit_now = if to == refuser {
                flights_to_refuser += 1;
                if flights_to_refuser == flight {
                    edit.take()
                } else {
                    None
                }
            } else {
                None
            };
            let (_, result) = match edit_now {
                Some(edit) => transfer_altered(from, receiver, edit),
                None => transfer(from, receiver),
            };
            if let Err(error) = result {
                assert_eq!(to, refuser, "the other side failed first: {error:?}");
                assert_eq!(
                    receiver.process_new_packets(),
                    Err(error.clone()),
                    "errors are sticky"
                );
                let mut out = Vec::new();
                while receiver.wants_write() {
                    receiver.write_tls(&mut out).unwrap();
                }
                return (error, super::records::plaintext_alert(&out));
            }
        }
    }
    panic!("{refuser:?} accepted flight {flight}");
}

/// [`refuses`] with the client refusing a TLS 1.3 ServerHello (the first
/// record of the server's first flight) changed by `edit`: the client's
/// error and the plaintext alert it sent.
pub fn client_refuses_server_hello(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    edit: impl FnOnce(&mut ServerHello),
) -> (Error, Option<u8>) {
    refuses(
        client,
        server,
        server_name("p256"),
        Refuser::Client,
        1,
        |bytes| {
            let mut recs = records(bytes);
            let mut hello = server_hello(&recs[0][5..]);
            edit(&mut hello);
            recs[0] = handshake_record(&HandshakeMessage::ServerHello(hello).to_bytes().unwrap());
            *bytes = recs.concat();
        },
    )
}

/// Runs a TLS 1.3 handshake between fresh connections of these
/// configurations (TLS_AES_128_GCM_SHA256) up to the server's encrypted
/// flight, whose handshake messages `edit` rewrites
/// ([`edit_encrypted_flight`], under the server handshake traffic secret
/// the server logged to `secrets`). Returns the client's error and what
/// the server then receives: the client's alert.
pub fn client_refuses_encrypted_flight(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    name: ServerName,
    secrets: &CapturedSecrets,
    edit: impl FnOnce(&mut Vec<Vec<u8>>),
) -> (Error, Error) {
    let (mut c, mut s) = pair(client, server, name);
    transfer(&mut c, &mut s).1.unwrap();
    let secret = secrets.get("SERVER_HANDSHAKE_TRAFFIC_SECRET");
    let err = transfer_altered(&mut s, &mut c, |flight| {
        edit_encrypted_flight(flight, &secret, edit)
    })
    .1
    .unwrap_err();
    let received = transfer(&mut c, &mut s).1.unwrap_err();
    (err, received)
}
