//! The application's own bytes kept with a server session
//! (`ServerConnection::set_resumption_data`): stored in TLS 1.3 tickets
//! and in TLS 1.2 session-cache entries and tickets, found again by the
//! connection that resumes the session, carried on through a chain of
//! resumptions as the session ID is (design §3), bounded by
//! `MAX_RESUMPTION_DATA_LEN`.

mod common;
mod session_support;

use std::sync::Arc;

use common::*;
use ferrotls::internal::error::InvalidRequestReason;
use ferrotls::internal::session::{ServerSessionState, SessionDataError};
use ferrotls::{
    ClientConfig, Error, ProtocolVersion, ServerConfig, ServerConnection, MAX_RESUMPTION_DATA_LEN,
};

/// One handshake between fresh connections of these configurations; the
/// server sets `data` before it reads the ClientHello, when given.
fn connect(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
    data: Option<&[u8]>,
) -> ServerConnection {
    let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
    if let Some(data) = data {
        s.set_resumption_data(data).unwrap();
    }
    handshake(&mut c, &mut s);
    s
}

/// A P-256 client and server speaking only `version`; TLS 1.2 by session
/// ID (`tickets` off) or by RFC 5077 ticket.
fn configs(version: ProtocolVersion, tickets: bool) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let client = client_builder("p256")
        .versions(&[version])
        .enable_tickets(tickets)
        .build()
        .unwrap();
    let server = server_builder("p256").versions(&[version]).build().unwrap();
    (client, server)
}

#[test]
fn every_kind_of_resumption_finds_the_data_its_session_was_given() {
    for (version, tickets) in [
        (ProtocolVersion::TLSv1_3, true),
        (ProtocolVersion::TLSv1_2, false),
        (ProtocolVersion::TLSv1_2, true),
    ] {
        let (client, server) = configs(version, tickets);
        let full = connect(&client, &server, Some(b"account=42"));
        assert!(!full.is_resumed());
        assert_eq!(full.received_resumption_data(), None, "a full handshake");
        let resumed = connect(&client, &server, None);
        assert!(resumed.is_resumed(), "{version:?} tickets={tickets}");
        assert_eq!(
            resumed.received_resumption_data(),
            Some(&b"account=42"[..]),
            "{version:?} tickets={tickets}"
        );
    }
}

#[test]
fn the_data_lasts_through_a_chain_of_resumptions_until_replaced() {
    // TLS 1.3: each resumption issues a ticket of its own, which carries
    // the data on unless the resuming connection sets new data.
    let (client, server) = configs(ProtocolVersion::TLSv1_3, true);
    connect(&client, &server, Some(b"first"));
    for _ in 0..3 {
        let resumed = connect(&client, &server, None);
        assert!(resumed.is_resumed());
        assert_eq!(resumed.received_resumption_data(), Some(&b"first"[..]));
    }
    let replacing = connect(&client, &server, Some(b"second"));
    assert_eq!(replacing.received_resumption_data(), Some(&b"first"[..]));
    // The client offers its newest ticket, the one just issued.
    let after = connect(&client, &server, None);
    assert!(after.is_resumed());
    assert_eq!(after.received_resumption_data(), Some(&b"second"[..]));
}

#[test]
fn a_session_given_no_data_resumes_without_any() {
    let (client, server) = configs(ProtocolVersion::TLSv1_3, true);
    connect(&client, &server, None);
    let resumed = connect(&client, &server, None);
    assert!(resumed.is_resumed());
    assert_eq!(resumed.received_resumption_data(), None);
}

#[test]
fn data_longer_than_the_bound_is_refused_and_what_was_set_stays() {
    let (client, server) = configs(ProtocolVersion::TLSv1_3, true);
    let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
    let most = vec![7u8; MAX_RESUMPTION_DATA_LEN];
    s.set_resumption_data(&most).unwrap();
    let too_long = vec![8u8; MAX_RESUMPTION_DATA_LEN + 1];
    assert_eq!(
        s.set_resumption_data(&too_long),
        Err(Error::InvalidRequest(
            InvalidRequestReason::ResumptionDataLength
        ))
    );
    handshake(&mut c, &mut s);
    let resumed = connect(&client, &server, None);
    assert_eq!(resumed.received_resumption_data(), Some(most.as_slice()));
}

#[test]
fn an_encoded_state_with_data_past_the_bound_does_not_decode() {
    let mut state = session_support::server_tls12();
    state.resumption_data = Some(vec![1; MAX_RESUMPTION_DATA_LEN]);
    let back = ServerSessionState::from_bytes(&state.to_bytes().unwrap()).unwrap();
    assert_eq!(back, state);
    state.resumption_data = Some(vec![1; MAX_RESUMPTION_DATA_LEN + 1]);
    let bytes = state.to_bytes().unwrap();
    assert!(matches!(
        ServerSessionState::from_bytes(&bytes),
        Err(Error::SessionData(SessionDataError::MalformedField(_)))
    ));
}
