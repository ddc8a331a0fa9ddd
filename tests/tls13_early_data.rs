//! TLS 1.3 0-RTT in memory (RFC 8446 §4.2.10): accepted, rejected (and
//! skipped by the server), replayed (refused, since tickets are single
//! use), after a HelloRetryRequest, and over the limit.

mod common;

use std::io::Read;
use std::sync::Arc;

use common::*;
use ferrotls::config::{ClientConfig, ServerConfig};
use ferrotls::conn::{ClientConnection, EarlyDataStatus, ServerConnection};
use ferrotls::crypto::rng::OsRng;
use ferrotls::msgs::enums::NamedGroup;
use ferrotls::session::{InMemoryServerStore, RotatingTicketer, ServerSessionStore, Ticketer};
use ferrotls::time::{Clock, ManualClock, UnixTime};
use ferrotls::Error;

const MAX_EARLY: u32 = 1024;

struct Setup {
    store: Arc<dyn ServerSessionStore>,
    ticketer: Arc<dyn Ticketer>,
    clock: Arc<dyn Clock>,
}

impl Setup {
    fn new() -> Self {
        let clock: Arc<dyn Clock> = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
        Self {
            store: Arc::new(InMemoryServerStore::new(clock.clone())),
            ticketer: Arc::new(
                RotatingTicketer::new(Arc::new(OsRng::new()), clock.clone()).unwrap(),
            ),
            clock,
        }
    }

    /// A server sharing this setup's store and ticketer, accepting `max`
    /// bytes of 0-RTT.
    fn server(&self, max: u32) -> Arc<ServerConfig> {
        server_builder("p256")
            .clock(self.clock.clone())
            .session_store(self.store.clone())
            .ticketer(self.ticketer.clone())
            .max_early_data_size(max)
            .build()
            .unwrap()
    }

    fn client(&self) -> Arc<ClientConfig> {
        client_builder("p256")
            .clock(self.clock.clone())
            .enable_early_data(true)
            .build()
            .unwrap()
    }
}

/// A full handshake whose tickets reach the client's store.
fn prime(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) {
    let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
    handshake(&mut c, &mut s);
    assert_eq!(c.early_data_status(), EarlyDataStatus::NotOffered);
}

fn read_all(conn: &mut ferrotls::conn::Connection) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(n) = conn.reader().read(&mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    out
}

#[test]
fn early_data_is_accepted_and_readable_before_the_handshake_ends() {
    let setup = Setup::new();
    let (client, server) = (setup.client(), setup.server(MAX_EARLY));
    prime(&client, &server);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert_eq!(c.early_data_status(), EarlyDataStatus::Offered);
    assert_eq!(c.write_early_data(b"GET / early").unwrap(), 11);
    let mut s = ServerConnection::new(server);
    transfer(&mut c, &mut s).1.unwrap();
    assert!(s.is_handshaking());
    assert_eq!(s.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(read_all(&mut s), b"GET / early");
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(c.early_data_status(), EarlyDataStatus::Accepted);
    send_and_check(&mut c, &mut s, b"after 0-RTT");
    send_and_check(&mut s, &mut c, b"reply");
}

#[test]
fn early_data_is_capped_by_the_ticket() {
    let setup = Setup::new();
    let (client, server) = (setup.client(), setup.server(MAX_EARLY));
    prime(&client, &server);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    let big = vec![7u8; 3000];
    assert_eq!(c.write_early_data(&big).unwrap(), MAX_EARLY as usize);
    assert_eq!(c.write_early_data(&big).unwrap(), 0);
    let mut s = ServerConnection::new(server);
    handshake(&mut c, &mut s);
    assert_eq!(read_all(&mut s), vec![7u8; MAX_EARLY as usize]);
}

#[test]
fn rejected_early_data_is_skipped_and_can_be_resent() {
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    // The same sessions, but this server no longer takes 0-RTT.
    let server = setup.server(0);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(b"lost").unwrap();
    let mut s = ServerConnection::new(server);
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(c.early_data_status(), EarlyDataStatus::Rejected);
    assert!(read_all(&mut s).is_empty());
    send_and_check(&mut c, &mut s, b"lost");
}

#[test]
fn replayed_early_data_is_rejected() {
    let setup = Setup::new();
    let (client, server) = (setup.client(), setup.server(MAX_EARLY));
    prime(&client, &server);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(b"transfer 100").unwrap();
    let mut first_flight = Vec::new();
    let mut s = ServerConnection::new(server.clone());
    transfer_altered(&mut c, &mut s, |b| first_flight = b.clone())
        .1
        .unwrap();
    assert_eq!(read_all(&mut s), b"transfer 100");
    // An attacker replays the ClientHello and its early data.
    let mut replayed = ServerConnection::new(server);
    replayed.read_tls(&mut first_flight.as_slice()).unwrap();
    replayed.process_new_packets().unwrap();
    assert_eq!(replayed.early_data_status(), EarlyDataStatus::Rejected);
    assert!(!replayed.is_resumed());
    assert!(read_all(&mut replayed).is_empty());
}

#[test]
fn hello_retry_request_rejects_early_data_but_resumes() {
    let setup = Setup::new();
    let client = client_builder("p256")
        .clock(setup.clock.clone())
        .enable_early_data(true)
        .groups(&[NamedGroup::secp384r1, NamedGroup::X25519])
        .build()
        .unwrap();
    let server = server_builder("p256")
        .clock(setup.clock.clone())
        .session_store(setup.store.clone())
        .max_early_data_size(MAX_EARLY)
        .groups(&[NamedGroup::X25519])
        .build()
        .unwrap();
    prime(&client, &server);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(b"too early").unwrap();
    let mut s = ServerConnection::new(server);
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(c.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
    assert!(read_all(&mut s).is_empty());
}

#[test]
fn more_early_data_than_allowed_is_unexpected() {
    let setup = Setup::new();
    let client = setup.client();
    prime(&client, &setup.server(MAX_EARLY));
    // This server allows less than the ticket it issued promised.
    let server = setup.server(10);
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(&[1u8; 100]).unwrap();
    let mut s = ServerConnection::new(server);
    assert!(matches!(
        transfer(&mut c, &mut s).1,
        Err(Error::UnexpectedMessage(_))
    ));
}

#[test]
fn early_data_needs_a_ticket_that_allows_it() {
    let setup = Setup::new();
    let client = setup.client();
    // Tickets from a server without 0-RTT carry no max_early_data_size.
    prime(&client, &setup.server(0));
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    assert_eq!(c.early_data_status(), EarlyDataStatus::NotOffered);
    assert!(matches!(
        c.write_early_data(b"x"),
        Err(Error::InvalidRequest(_))
    ));
}
