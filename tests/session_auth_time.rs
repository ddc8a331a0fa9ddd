//! Ticket renewal does not extend authentication: the
//! time of the full handshake travels through every resumption, and no
//! ticket outlives it by more than the 7-day cap (RFC 8446 §4.6.1). Each
//! renewed ticket's lifetime shrinks toward that instant; past it, a full
//! handshake.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use ferrotls::internal::crypto::aead::AeadAlgorithm;
use ferrotls::internal::session::state::MAX_LIFETIME_SECS;
use ferrotls::{
    ClientConfig, ClientConnection, ClientSessionData, Clock, InMemoryServerStore, ManualClock,
    OsRng, ProtocolVersion, RotatingTicketer, ServerConfig, UnixTime,
};

const DAY: u64 = 86_400;

/// The lifetime of the newest session or ticket `c` received.
fn lifetime(c: &ClientConnection, clock: &ManualClock) -> u32 {
    let bytes = c.session_data().unwrap().expect("a session or ticket");
    match ClientSessionData::from_bytes(&bytes, clock.now()).unwrap() {
        ClientSessionData::Tls12(s) => s.ticket.as_ref().expect("a ticket").lifetime_hint,
        ClientSessionData::Tls13(t) => t.validity.lifetime_secs(),
    }
}

/// Resumes every 3 days from a full handshake on day 0: on day 3 and 6
/// the renewed ticket's lifetime is what is left of the 7 days, one
/// second before the cap the session still resumes, at the cap the
/// handshake runs in full.
fn chain_crosses_the_cap(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
    clock: &ManualClock,
) {
    let connect = || {
        let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
        send_and_check(&mut s, &mut c, b"tickets");
        (c, s)
    };
    let (c, _) = connect();
    assert!(!c.is_resumed());
    assert_eq!(lifetime(&c, clock), MAX_LIFETIME_SECS);
    for left_days in [4, 1] {
        clock.advance(Duration::from_secs(3 * DAY));
        let (c, s) = connect();
        assert!(c.is_resumed() && s.is_resumed());
        assert_eq!(u64::from(lifetime(&c, clock)), left_days * DAY);
    }
    clock.advance(Duration::from_secs(DAY - 1));
    let (c, _) = connect();
    assert!(c.is_resumed(), "one second before the cap");
    clock.advance(Duration::from_secs(1));
    let (c, s) = connect();
    assert!(
        !c.is_resumed() && !s.is_resumed(),
        "at the cap: full handshake"
    );
}

fn setup(
    versions: &[ProtocolVersion],
    stateful: bool,
) -> (Arc<ClientConfig>, Arc<ServerConfig>, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    // Keys that outlast the test, so only the session's own times count.
    let ticketer = RotatingTicketer::with_settings(
        AeadAlgorithm::Aes256Gcm,
        Duration::from_secs(30 * DAY),
        Arc::new(OsRng::new()),
        clock.clone(),
    )
    .unwrap();
    let client = client_builder("p256")
        .versions(versions)
        .clock(clock.clone())
        .build()
        .unwrap();
    let server = server_builder("p256")
        .versions(versions)
        .clock(clock.clone())
        .ticketer(Arc::new(ticketer))
        .ticket_lifetime(MAX_LIFETIME_SECS)
        .session_cache(None);
    let server = if stateful {
        server.session_store(Arc::new(InMemoryServerStore::with_limits(
            64,
            MAX_LIFETIME_SECS,
            clock.clone(),
        )))
    } else {
        server
    };
    (client, server.build().unwrap(), clock)
}

#[test]
fn rfc8446_s4_6_1_tls13_stateless_ticket_renewal_stops_at_the_original_authentication_plus_7_days()
{
    let (client, server, clock) = setup(&[ProtocolVersion::TLSv1_3], false);
    chain_crosses_the_cap(client, server, &clock);
}

#[test]
fn rfc8446_s4_6_1_tls13_stateful_ticket_renewal_stops_at_the_original_authentication_plus_7_days() {
    let (client, server, clock) = setup(&[ProtocolVersion::TLSv1_3], true);
    chain_crosses_the_cap(client, server, &clock);
}

#[test]
fn rfc8446_s4_6_1_tls12_ticket_renewal_stops_at_the_original_authentication_plus_7_days() {
    let (client, server, clock) = setup(&[ProtocolVersion::TLSv1_2], false);
    chain_crosses_the_cap(client, server, &clock);
}
