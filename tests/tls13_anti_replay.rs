//! 0-RTT with stateless tickets and the ClientHello-recording filter of
//! RFC 8446 §8.2, in memory: a replayed ClientHello has its early data
//! rejected while the real handshake still completes; different
//! ClientHellos are accepted; a stale ticket age (§8.3) and a full filter
//! mean rejection.

mod common;

use std::io::Read;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use ferrotls::{
    AntiReplay, ClientConfig, ClientConnection, Clock, EarlyDataReason, EarlyDataStatus,
    InMemoryAntiReplay, ManualClock, OsRng, RotatingTicketer, ServerConfig, ServerConnection,
    Ticketer, UnixTime, DEFAULT_ANTI_REPLAY_WINDOW_MS,
};

const MAX_EARLY: u32 = 1024;

/// Stateless tickets (no session store) under one ticketer, a filter
/// shared by every server, and separate clocks for client and servers.
struct Fleet {
    ticketer: Arc<dyn Ticketer>,
    filter: Arc<dyn AntiReplay>,
    server_clock: Arc<ManualClock>,
}

impl Fleet {
    fn new(filter: InMemoryAntiReplay) -> Self {
        let server_clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
        let clock: Arc<dyn Clock> = server_clock.clone();
        Self {
            ticketer: Arc::new(RotatingTicketer::new(Arc::new(OsRng::new()), clock).unwrap()),
            filter: Arc::new(filter),
            server_clock,
        }
    }

    fn server(&self) -> Arc<ServerConfig> {
        server_builder("p256")
            .clock(self.server_clock.clone())
            .ticketer(self.ticketer.clone())
            .anti_replay(self.filter.clone())
            .max_early_data_size(MAX_EARLY)
            .build()
            .unwrap()
    }

    /// A client holding the server's tickets of one full handshake.
    fn primed_client(&self) -> Arc<ClientConfig> {
        let client = client_builder("p256")
            .enable_early_data(true)
            .build()
            .unwrap();
        let (mut c, mut s) = handshaken(client.clone(), self.server(), server_name("p256"));
        send_and_check(&mut s, &mut c, b"tickets");
        client
    }
}

fn read_all(conn: &mut ferrotls::Connection) -> Vec<u8> {
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

/// A resumed connection sending `data` as 0-RTT; returns both ends after
/// the handshake and what the server read of the early data.
fn early(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
    data: &[u8],
) -> (ClientConnection, ServerConnection, Vec<u8>) {
    let mut c = ClientConnection::new(client.clone(), server_name("p256")).unwrap();
    c.write_early_data(data).unwrap();
    let mut s = ServerConnection::new(server.clone());
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    let got = read_all(&mut s);
    (c, s, got)
}

#[test]
fn stateless_tickets_take_0rtt_with_a_filter_and_not_without_one() {
    assert!(server_builder("p256")
        .max_early_data_size(MAX_EARLY)
        .build()
        .is_err());
    let fleet = Fleet::new(InMemoryAntiReplay::new());
    let client = fleet.primed_client();
    let (c, s, got) = early(&client, &fleet.server(), b"GET / early");
    assert_eq!(s.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(c.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(got, b"GET / early");
}

#[test]
fn a_replayed_client_hello_has_its_early_data_rejected_and_the_handshake_completes() {
    let fleet = Fleet::new(InMemoryAntiReplay::new());
    let client = fleet.primed_client();
    let mut c = ClientConnection::new(client, server_name("p256")).unwrap();
    c.write_early_data(b"transfer 100").unwrap();
    let mut first_flight = Vec::new();
    while c.wants_write() {
        c.write_tls(&mut first_flight).unwrap();
    }
    // An attacker races the client's flight to one server of the fleet.
    let mut attacked = ServerConnection::new(fleet.server());
    attacked.read_tls(&mut first_flight.as_slice()).unwrap();
    attacked.process_new_packets().unwrap();
    assert_eq!(attacked.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(read_all(&mut attacked), b"transfer 100");
    // The same bytes reach another server: 0-RTT rejected, 1-RTT goes on.
    let mut s = ServerConnection::new(fleet.server());
    s.read_tls(&mut first_flight.as_slice()).unwrap();
    s.process_new_packets().unwrap();
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(
        s.early_data_reason(),
        Some(EarlyDataReason::ReplayProtection)
    );
    assert!(read_all(&mut s).is_empty());
    handshake(&mut c, &mut s);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(c.early_data_status(), EarlyDataStatus::Rejected);
    send_and_check(&mut c, &mut s, b"transfer 100");
}

#[test]
fn different_client_hellos_are_both_accepted() {
    let fleet = Fleet::new(InMemoryAntiReplay::new());
    let server = fleet.server();
    // One full handshake leaves two tickets: one for each connection.
    let client = fleet.primed_client();
    let (_, first, got) = early(&client, &server, b"one");
    assert_eq!(first.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(got, b"one");
    let (_, second, got) = early(&client, &server, b"two");
    assert_eq!(second.early_data_status(), EarlyDataStatus::Accepted);
    assert_eq!(got, b"two");
}

#[test]
fn a_ticket_age_outside_the_window_has_its_early_data_rejected() {
    let fleet = Fleet::new(InMemoryAntiReplay::new());
    let client = fleet.primed_client();
    // The server's clock runs ahead of the client's view of the ticket's
    // age by more than the window (RFC 8446 §8.3).
    fleet
        .server_clock
        .advance(Duration::from_millis(DEFAULT_ANTI_REPLAY_WINDOW_MS + 1));
    let (c, s, got) = early(&client, &fleet.server(), b"late");
    assert_eq!(s.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(s.early_data_reason(), Some(EarlyDataReason::TicketAgeSkew));
    assert_eq!(c.early_data_status(), EarlyDataStatus::Rejected);
    assert!(got.is_empty());
}

#[test]
fn a_full_filter_rejects_early_data() {
    let fleet = Fleet::new(InMemoryAntiReplay::with_limits(
        DEFAULT_ANTI_REPLAY_WINDOW_MS,
        1,
    ));
    let server = fleet.server();
    let client = fleet.primed_client();
    let (_, first, _) = early(&client, &server, b"one");
    assert_eq!(first.early_data_status(), EarlyDataStatus::Accepted);
    // A new ClientHello finds no room to be recorded: rejected, not
    // accepted unrecorded.
    let (_, second, got) = early(&client, &server, b"two");
    assert_eq!(second.early_data_status(), EarlyDataStatus::Rejected);
    assert_eq!(
        second.early_data_reason(),
        Some(EarlyDataReason::ReplayProtection)
    );
    assert!(got.is_empty());
}
