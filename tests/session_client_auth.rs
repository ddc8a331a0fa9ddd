//! Resumption respects client authentication: a server
//! resumes only a session whose recorded client chain its current client
//! verifier accepts now; otherwise it runs a full handshake (never an
//! error). TLS 1.2 by session ID and by ticket, TLS 1.3 with stateless
//! and stateful tickets; each case shares ticket keys and the store
//! between the two server configurations, as a restart with new settings
//! would.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::*;
use ferrotls::{
    ClientAuth, ClientConfig, ClientConnection, InMemoryServerStore, ManualClock, OsRng,
    ProtocolVersion, RotatingTicketer, ServerConfig, ServerConfigBuilder, ServerConnection,
    ServerSessionStore, UnixTime, WebPkiClientVerifier,
};

/// How a session is resumed.
#[derive(Clone, Copy, Debug)]
enum Mode {
    Tls12SessionId,
    Tls12Ticket,
    Tls13Stateless,
    Tls13Stateful,
}

const MODES: [Mode; 4] = [
    Mode::Tls12SessionId,
    Mode::Tls12Ticket,
    Mode::Tls13Stateless,
    Mode::Tls13Stateful,
];

/// What survives a server's restart: its clock, ticket keys and store.
struct Shared {
    clock: Arc<ManualClock>,
    ticketer: Arc<RotatingTicketer>,
    store: Arc<dyn ServerSessionStore>,
}

impl Shared {
    fn at(secs: u64) -> Self {
        let clock = Arc::new(ManualClock::new(UnixTime::from_secs(secs)));
        Self {
            ticketer: Arc::new(
                RotatingTicketer::new(Arc::new(OsRng::new()), clock.clone()).unwrap(),
            ),
            store: Arc::new(InMemoryServerStore::new(clock.clone())),
            clock,
        }
    }

    /// A server resuming in `mode` with `client_auth`.
    fn server(&self, mode: Mode, client_auth: ClientAuth) -> Arc<ServerConfig> {
        let builder: ServerConfigBuilder = server_builder("p256")
            .clock(self.clock.clone())
            .ticketer(self.ticketer.clone())
            .client_auth(client_auth);
        match mode {
            Mode::Tls12SessionId => builder
                .versions(&[ProtocolVersion::TLSv1_2])
                .session_cache(Some(self.store.clone()))
                .tickets(0),
            Mode::Tls12Ticket => builder
                .versions(&[ProtocolVersion::TLSv1_2])
                .session_cache(None),
            Mode::Tls13Stateless => builder.session_cache(None),
            Mode::Tls13Stateful => builder.session_store(self.store.clone()),
        }
        .build()
        .unwrap()
    }
}

/// A client with the p384 certificate, resuming in `mode`.
fn client(mode: Mode) -> Arc<ClientConfig> {
    let builder = client_builder("p256").client_certificate(certified_key("p384"));
    match mode {
        Mode::Tls12SessionId => builder
            .versions(&[ProtocolVersion::TLSv1_2])
            .enable_tickets(false),
        Mode::Tls12Ticket => builder.versions(&[ProtocolVersion::TLSv1_2]),
        Mode::Tls13Stateless | Mode::Tls13Stateful => builder,
    }
    .build()
    .unwrap()
}

fn verifier(root: &str) -> Arc<WebPkiClientVerifier> {
    Arc::new(WebPkiClientVerifier::new(roots(root)))
}

/// Connects, completes the handshake and delivers TLS 1.3 tickets.
fn connect(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
) -> (ClientConnection, ServerConnection) {
    let (mut c, mut s) = handshaken(client.clone(), server.clone(), server_name("p256"));
    send_and_check(&mut s, &mut c, b"tickets first");
    (c, s)
}

/// Delivers only the ClientHello and says whether the server resumed.
fn server_resumes(client: &Arc<ClientConfig>, server: &Arc<ServerConfig>) -> bool {
    let (mut c, mut s) = pair(client.clone(), server.clone(), server_name("p256"));
    transfer(&mut c, &mut s).1.unwrap();
    assert!(s.resumption_requested());
    s.is_resumed()
}

#[test]
fn a_session_without_client_auth_is_not_resumed_by_a_server_requiring_it() {
    for mode in MODES {
        let shared = Shared::at(NOW);
        let client = client(mode);
        let (_, s) = connect(&client, &shared.server(mode, ClientAuth::None));
        assert!(s.peer_certificates().is_empty(), "{mode:?}");
        let requiring = shared.server(mode, ClientAuth::Required(verifier("p384")));
        let (c, s) = connect(&client, &requiring);
        assert!(!c.is_resumed() && !s.is_resumed(), "{mode:?}");
        assert_eq!(
            s.peer_certificates(),
            certified_key("p384").chain(),
            "{mode:?}: the full handshake asked for the certificate"
        );
        // That session has an accepted chain: it resumes.
        let (c, s) = connect(&client, &requiring);
        assert!(c.is_resumed() && s.is_resumed(), "{mode:?}");
        assert_eq!(s.peer_certificates(), certified_key("p384").chain());
    }
}

#[test]
fn optional_client_auth_resumes_a_session_without_a_chain() {
    for mode in MODES {
        let shared = Shared::at(NOW);
        // A client without a certificate.
        let client = match mode {
            Mode::Tls12SessionId => client_builder("p256")
                .versions(&[ProtocolVersion::TLSv1_2])
                .enable_tickets(false),
            Mode::Tls12Ticket => client_builder("p256").versions(&[ProtocolVersion::TLSv1_2]),
            Mode::Tls13Stateless | Mode::Tls13Stateful => client_builder("p256"),
        }
        .build()
        .unwrap();
        let optional = shared.server(mode, ClientAuth::Optional(verifier("p384")));
        connect(&client, &optional);
        assert!(server_resumes(&client, &optional), "{mode:?}");
    }
}

#[test]
fn a_recorded_chain_the_new_verifier_rejects_is_not_resumed() {
    for mode in MODES {
        for other in [
            ClientAuth::Required(verifier("p256")),
            ClientAuth::Optional(verifier("p256")),
        ] {
            let shared = Shared::at(NOW);
            let client = client(mode);
            let server = shared.server(mode, ClientAuth::Required(verifier("p384")));
            connect(&client, &server);
            assert!(server_resumes(&client, &server), "{mode:?}: control");
            // Another CA now: the recorded p384 chain is not accepted.
            assert!(
                !server_resumes(&client, &shared.server(mode, other)),
                "{mode:?}"
            );
        }
    }
}

#[test]
fn a_recorded_chain_past_its_not_after_is_not_resumed() {
    // The test chains expire at 2100-01-01T00:00:00Z.
    const NOT_AFTER: u64 = 4_102_444_800;
    for mode in MODES {
        let shared = Shared::at(NOT_AFTER - 3600);
        let client = client(mode);
        let server = shared.server(mode, ClientAuth::Required(verifier("p384")));
        connect(&client, &server);
        assert!(server_resumes(&client, &server), "{mode:?}: control");
        // Still inside the session's 2-hour lifetime, past the chain's.
        shared.clock.advance(Duration::from_secs(5400));
        assert!(!server_resumes(&client, &server), "{mode:?}");
    }
}
