//! The state machines driven through a fake connection
//! ([`HandshakeIo`]): no record layer, no bytes on a wire; each side's
//! messages go straight to the other side's state, and the fake records
//! what a state sent, which keys it installed and what it reported.

use std::sync::Arc;

use super::{client, server, State};
use crate::common_state::{
    HandshakeEvent, HandshakeIo, Negotiated, ReceivedHandshake, Renegotiation,
};
use crate::config::{ClientConfig, ServerConfig};
use crate::crypto::aead::AeadAlgorithm;
use crate::error::{DecodeReason, Error};
use crate::keyschedule::tls12::Tls12Exporter;
use crate::keyschedule::tls13::{Exporter, FinishedKey, TrafficSecret};
use crate::msgs::enums::{
    AlertDescription, HandshakeType, KeyUpdateRequest, NamedGroup, ProtocolVersion,
};
use crate::msgs::extensions::Extension;
use crate::msgs::handshake::{DecodeContext, HandshakeMessage};
use crate::msgs::hello::HELLO_RETRY_REQUEST_RANDOM;
use crate::msgs::key_exchange::KeyExchangeAlgorithm;
use crate::pki::{CertifiedKey, RootStore, ServerName, WebPkiServerVerifier};
use crate::record::RecordProtection;
use crate::session::store::FailedSession;
use crate::session::ClientSessionStore;
use crate::time::{ManualClock, UnixTime};

/// 2030-01-01, inside the test certificates' validity.
const NOW: u64 = 1_893_456_000;

/// The most messages a handshake here exchanges each way.
const MAX_ROUNDS: usize = 8;

/// A connection that records instead of doing: every handshake message
/// sent (encoded), every record-layer change by name, and the events.
#[derive(Default)]
struct FakeIo {
    negotiated: Negotiated,
    renegotiation: Renegotiation,
    sent: Vec<Vec<u8>>,
    calls: Vec<&'static str>,
    /// The record size limits set, in order.
    record_size_limits: Vec<LimitSet>,
    /// A client's session store.
    client_sessions: Option<Arc<dyn ClientSessionStore>>,
}

/// A record size limit set through [`HandshakeIo`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LimitSet {
    /// The peer's, on what we send from now on.
    Peer(u16),
    /// The peer's, on what we send from the next write epoch on.
    NextEpochPeer(u16),
    /// Ours, on what we receive.
    Own(u16),
}

impl FakeIo {
    /// The messages sent since the last call, as the peer receives them.
    fn take_sent(&mut self) -> Vec<ReceivedHandshake> {
        self.sent.drain(..).map(ReceivedHandshake::whole).collect()
    }
}

impl HandshakeIo for FakeIo {
    fn report(&mut self, event: HandshakeEvent) {
        self.negotiated.apply(event);
    }
    fn negotiated(&self) -> &Negotiated {
        &self.negotiated
    }
    fn client_sessions(&self) -> Option<Arc<dyn ClientSessionStore>> {
        self.client_sessions.clone()
    }
    fn forget_on_failure(&mut self, _: FailedSession) {}
    fn renegotiation(&self) -> &Renegotiation {
        &self.renegotiation
    }
    fn renegotiation_mut(&mut self) -> &mut Renegotiation {
        &mut self.renegotiation
    }
    fn send_handshake(&mut self, message: &HandshakeMessage) -> Result<&[u8], Error> {
        self.send_handshake_mut(message).map(|sent| &*sent)
    }
    fn send_handshake_mut(&mut self, message: &HandshakeMessage) -> Result<&mut [u8], Error> {
        self.sent.push(message.to_bytes()?);
        Ok(self
            .sent
            .last_mut()
            .map(Vec::as_mut_slice)
            .unwrap_or_default())
    }
    fn flush_handshake(&mut self) -> Result<(), Error> {
        Ok(())
    }
    fn send_dummy_ccs(&mut self) -> Result<(), Error> {
        self.calls.push("dummy ccs");
        Ok(())
    }
    fn send_ccs(&mut self, _: Box<dyn RecordProtection>) -> Result<(), Error> {
        self.calls.push("ccs");
        Ok(())
    }
    fn send_warning(&mut self, _: AlertDescription) -> Result<(), Error> {
        self.calls.push("warning");
        Ok(())
    }
    fn allow_ccs(&mut self, _: bool) {}
    fn expect_ccs(&mut self, _: Box<dyn RecordProtection>) {
        self.calls.push("expect ccs");
    }
    fn ccs_pending(&self) -> bool {
        false
    }
    fn set_record_version(&mut self, _: ProtocolVersion) {}
    fn set_negotiated_record_version(&mut self, _: ProtocolVersion) {}
    fn set_peer_record_size_limit(&mut self, limit: u16, _: bool) -> Result<(), Error> {
        self.calls.push("set_peer_record_size_limit");
        self.record_size_limits.push(LimitSet::Peer(limit));
        Ok(())
    }
    fn set_next_epoch_peer_record_size_limit(&mut self, limit: u16, _: bool) -> Result<(), Error> {
        self.calls.push("set_next_epoch_peer_record_size_limit");
        self.record_size_limits.push(LimitSet::NextEpochPeer(limit));
        Ok(())
    }
    fn set_own_record_size_limit(&mut self, limit: u16, _: bool) -> Result<(), Error> {
        self.calls.push("set_own_record_size_limit");
        self.record_size_limits.push(LimitSet::Own(limit));
        Ok(())
    }
    fn set_tls13_read_key(&mut self, _: AeadAlgorithm, _: &TrafficSecret) -> Result<(), Error> {
        self.calls.push("read key");
        Ok(())
    }
    fn set_tls13_first_read_key(
        &mut self,
        _: AeadAlgorithm,
        _: &TrafficSecret,
    ) -> Result<(), Error> {
        self.calls.push("first read key");
        Ok(())
    }
    fn set_tls13_write_key(&mut self, _: AeadAlgorithm, _: &TrafficSecret) -> Result<(), Error> {
        self.calls.push("write key");
        Ok(())
    }
    fn set_plaintext_write(&mut self) -> Result<(), Error> {
        Ok(())
    }
    fn start_early_data_writes(&mut self, _: usize, _: Exporter) {}
    fn accept_early_data(&mut self, _: usize, _: Exporter) {}
    fn skip_rejected_early_data(&mut self, _: usize) {}
    fn end_early_data(&mut self, _: bool) {}
    fn start_writes_before_peer_finished(&mut self) -> Result<(), Error> {
        self.calls.push("half-rtt");
        Ok(())
    }
    fn start_tls13_traffic(
        &mut self,
        _: AeadAlgorithm,
        _: TrafficSecret,
        _: TrafficSecret,
    ) -> Result<(), Error> {
        self.calls.push("traffic");
        Ok(())
    }
    fn start_tls12_traffic(&mut self) -> Result<(), Error> {
        self.renegotiation.end();
        self.calls.push("traffic");
        Ok(())
    }
    fn split_application_data(&mut self) {}
    fn receive_key_update(&mut self, _: KeyUpdateRequest) -> Result<(), Error> {
        Ok(())
    }
    fn post_handshake_finished_key(&self) -> Result<FinishedKey, Error> {
        Err(Error::InvalidRequest(
            crate::error::InvalidRequestReason::PostHandshakeAuthNotNow,
        ))
    }
    fn set_exporter(&mut self, _: Exporter) {}
    fn set_tls12_exporter(&mut self, _: Tls12Exporter) {}
}

fn vector(name: &str) -> String {
    let path = format!("{}/vectors/pki/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).unwrap()
}

/// A P-256 client and server at [`NOW`] with these groups (the client
/// sends a share for its first).
fn configs(client_groups: &[NamedGroup]) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let clock = Arc::new(ManualClock::new(UnixTime::from_secs(NOW)));
    let mut roots = RootStore::new();
    roots.add_pem(&vector("p256-root.pem")).unwrap();
    let client = ClientConfig::builder(Arc::new(WebPkiServerVerifier::new(Arc::new(roots))))
        .clock(clock.clone())
        .groups(client_groups)
        .build()
        .unwrap();
    let key = CertifiedKey::from_pem(&vector("p256-chain.pem"), &vector("p256-leaf.key")).unwrap();
    let server = ServerConfig::builder(Arc::new(key))
        .clock(clock)
        .groups(&[NamedGroup::X25519])
        .build()
        .unwrap();
    (client, server)
}

fn start_client(config: Arc<ClientConfig>, io: &mut FakeIo) -> State {
    let name = ServerName::parse("leaf.p256.test").unwrap();
    State::Client(client::start(config, name, io).unwrap())
}

/// Feeds each message to `state` in turn.
fn deliver(mut state: State, io: &mut FakeIo, messages: Vec<ReceivedHandshake>) -> State {
    for message in &messages {
        state = state.handle(io, message).unwrap();
    }
    state
}

#[test]
fn a_server_state_answers_a_hello_without_a_usable_share_with_a_retry_and_settles_nothing() {
    let (client, server) = configs(&[NamedGroup::secp384r1, NamedGroup::X25519]);
    let (mut client_io, mut server_io) = (FakeIo::default(), FakeIo::default());
    start_client(client, &mut client_io);
    let state = deliver(
        State::Server(server::start(server)),
        &mut server_io,
        client_io.take_sent(),
    );
    assert!(matches!(
        state,
        State::Server(server::State::ExpectRetriedClientHello(_))
    ));
    let sent = server_io.take_sent();
    let cx = DecodeContext {
        version: ProtocolVersion::TLSv1_3,
        key_exchange: KeyExchangeAlgorithm::Ecdhe,
        finished_len: 32,
    };
    let [hrr] = &sent[..] else {
        panic!("one message expected, got {}", sent.len())
    };
    let Ok(HandshakeMessage::ServerHello(hrr)) =
        HandshakeMessage::decode(hrr.typ, hrr.body().unwrap(), &cx)
    else {
        panic!("not a ServerHello")
    };
    assert_eq!(hrr.random, HELLO_RETRY_REQUEST_RANDOM);
    assert!(hrr
        .extensions()
        .contains(&Extension::KeyShareRetry(NamedGroup::X25519)));
    // RFC 8446 §D.4: the dummy ChangeCipherSpec follows the first server
    // flight; no key is installed and nothing is settled yet.
    assert_eq!(server_io.calls, ["dummy ccs"]);
    assert_eq!(server_io.negotiated().version(), None);
    assert_eq!(server_io.negotiated().group(), None);
}

#[test]
fn client_and_server_states_complete_a_tls13_handshake_over_fakes() {
    let (client, server) = configs(&[NamedGroup::X25519]);
    let (mut client_io, mut server_io) = (FakeIo::default(), FakeIo::default());
    let mut client = start_client(client, &mut client_io);
    let mut server = State::Server(server::start(server));
    for _ in 0..MAX_ROUNDS {
        server = deliver(server, &mut server_io, client_io.take_sent());
        client = deliver(client, &mut client_io, server_io.take_sent());
        if client_io.sent.is_empty() && server_io.sent.is_empty() {
            break;
        }
    }
    assert!(matches!(client, State::Client(client::State::Traffic(_))));
    assert!(matches!(server, State::Server(server::State::Traffic(_))));
    for io in [&client_io, &server_io] {
        let negotiated = io.negotiated();
        assert_eq!(negotiated.version(), Some(ProtocolVersion::TLSv1_3));
        assert_eq!(negotiated.group(), Some(NamedGroup::X25519));
        assert!(!negotiated.resumed());
    }
    // Design §3: the server's persistent ID T is its own, 32 bytes.
    assert_eq!(server_io.negotiated().session_id().len(), 32);
    assert_ne!(
        server_io.negotiated().session_id(),
        client_io.negotiated().session_id()
    );
    // RFC 8446 §7.3: the server writes under its handshake key before it
    // reads under the client's, and both sides end in traffic.
    assert_eq!(
        &server_io.calls[..3],
        ["dummy ccs", "write key", "first read key"]
    );
    assert_eq!(client_io.calls.last(), Some(&"traffic"));
    assert_eq!(server_io.calls.last(), Some(&"traffic"));
}

/// TLS 1.2-only P-256 configurations with renegotiation switched on or
/// off on each side, without tickets (a NewSessionTicket comes after the
/// server's ChangeCipherSpec, which the fake does not track). The client
/// lists P-256, the curve of the server's certificate (RFC 8422 §5.3).
fn tls12_configs(client_on: bool, server_on: bool) -> (Arc<ClientConfig>, Arc<ServerConfig>) {
    let (client, server) = configs(&[NamedGroup::X25519, NamedGroup::secp256r1]);
    let mut client = (*client).clone();
    client.common.versions = vec![ProtocolVersion::TLSv1_2];
    client.renegotiation = client_on;
    let mut server = (*server).clone();
    server.common.versions = vec![ProtocolVersion::TLSv1_2];
    server.renegotiation = server_on;
    server.tickets_after_full_handshake = 0;
    (Arc::new(client), Arc::new(server))
}

/// Passes messages both ways until neither side has more to send.
fn converse(
    mut client: State,
    mut server: State,
    client_io: &mut FakeIo,
    server_io: &mut FakeIo,
) -> (State, State) {
    for _ in 0..MAX_ROUNDS {
        server = deliver(server, server_io, client_io.take_sent());
        client = deliver(client, client_io, server_io.take_sent());
        if client_io.sent.is_empty() && server_io.sent.is_empty() {
            break;
        }
    }
    (client, server)
}

/// A completed TLS 1.2 handshake over fakes.
fn tls12_handshaken(client_on: bool, server_on: bool) -> (State, State, FakeIo, FakeIo) {
    let (client, server) = tls12_configs(client_on, server_on);
    tls12_handshaken_with(client, server)
}

/// A completed TLS 1.2 handshake over fakes between `client` and
/// `server`, both signalling secure renegotiation.
fn tls12_handshaken_with(
    client: Arc<ClientConfig>,
    server: Arc<ServerConfig>,
) -> (State, State, FakeIo, FakeIo) {
    let (mut client_io, mut server_io) = (FakeIo::default(), FakeIo::default());
    let client = start_client(client, &mut client_io);
    let server = State::Server(server::start(server));
    let (client, server) = converse(client, server, &mut client_io, &mut server_io);
    assert!(client_io.renegotiation().is_secure());
    assert!(server_io.renegotiation().is_secure());
    (client, server, client_io, server_io)
}

fn hello_request() -> ReceivedHandshake {
    ReceivedHandshake::whole(vec![0, 0, 0, 0])
}

/// Flips the last byte of the renegotiation_info data of length `len`
/// in an encoded hello.
fn flip_renegotiation_info(message: &mut ReceivedHandshake, len: u8) {
    let pattern = [0xff, 0x01, 0x00, len + 1, len];
    let at = message
        .raw
        .windows(pattern.len())
        .position(|w| w == pattern)
        .expect("renegotiation_info");
    message.raw[at + pattern.len() + usize::from(len) - 1] ^= 1;
}

#[test]
fn a_renegotiation_answering_a_hello_request_carries_the_verify_data_and_a_new_session_id() {
    let (client, server, mut client_io, mut server_io) = tls12_handshaken(true, true);
    let first_id = server_io.negotiated().session_id().to_vec();
    // A HelloRequest the server never sent: to the server, the
    // ClientHello that answers it is a client-initiated renegotiation.
    let client = client.handle(&mut client_io, &hello_request()).unwrap();
    let sent = client_io.take_sent();
    let [hello] = &sent[..] else {
        panic!("one ClientHello expected, got {}", sent.len())
    };
    let cx = DecodeContext {
        version: ProtocolVersion::TLSv1_2,
        key_exchange: KeyExchangeAlgorithm::Ecdhe,
        finished_len: 12,
    };
    let Ok(HandshakeMessage::ClientHello(decoded)) =
        HandshakeMessage::decode(hello.typ, hello.body().unwrap(), &cx)
    else {
        panic!("not a ClientHello")
    };
    // RFC 5746 §3.5: our last verify_data, and no SCSV.
    let info = client_io.renegotiation().client_hello_info();
    assert_eq!(info.len(), 12);
    assert!(decoded
        .extensions()
        .contains(&Extension::RenegotiationInfo(info)));
    assert!(!decoded
        .cipher_suites
        .contains(&crate::msgs::enums::CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV));
    assert!(!decoded
        .extensions()
        .iter()
        .any(|e| matches!(e, Extension::SupportedVersionsOffer(_))));
    client_io.sent = sent.into_iter().map(|m| m.raw).collect();
    let (client, server) = converse(client, server, &mut client_io, &mut server_io);
    assert!(matches!(client, State::Client(client::State::Tls12(_))));
    assert!(matches!(server, State::Server(server::State::Tls12(_))));
    for io in [&client_io, &server_io] {
        assert_eq!(io.calls.iter().filter(|c| **c == "traffic").count(), 2);
        assert!(!io.renegotiation().in_progress());
    }
    // Design §3 after a renegotiation: the new handshake's S′ on both
    // sides.
    assert_eq!(server_io.negotiated().session_id().len(), 32);
    assert_ne!(server_io.negotiated().session_id(), &first_id[..]);
    assert_eq!(
        server_io.negotiated().session_id(),
        client_io.negotiated().session_id()
    );
}

/// A TLS 1.2 handshake whose client announces `CLIENT_LIMIT` and server
/// `SERVER_LIMIT`, then the client's renegotiation ClientHello (not yet
/// delivered) and the server state with its limits so far cleared.
fn renegotiating_with_limits() -> (State, FakeIo, Vec<ReceivedHandshake>) {
    let (client, server) = tls12_configs(true, true);
    let mut client = (*client).clone();
    client.common.record_size_limit = Some(CLIENT_LIMIT);
    let mut server = (*server).clone();
    server.common.record_size_limit = Some(SERVER_LIMIT);
    let (client, server, mut client_io, mut server_io) =
        tls12_handshaken_with(Arc::new(client), Arc::new(server));
    assert_eq!(
        server_io.record_size_limits,
        [LimitSet::Peer(CLIENT_LIMIT), LimitSet::Own(SERVER_LIMIT)]
    );
    server_io.record_size_limits.clear();
    client.handle(&mut client_io, &hello_request()).unwrap();
    (server, server_io, client_io.take_sent())
}

const CLIENT_LIMIT: u16 = 300;
const SERVER_LIMIT: u16 = 200;

#[test]
fn a_renegotiating_server_keeps_2_14_on_receive_and_the_clients_new_limit_from_its_next_epoch() {
    let (server, mut server_io, hello) = renegotiating_with_limits();
    deliver(server, &mut server_io, hello);
    // RFC 8449 §4 under a renegotiation: what we send under the old keys
    // keeps the old agreement's limit; the new one's applies from our
    // ChangeCipherSpec. Ours is not tightened, as the client may still be
    // sending records it protected before reading our ServerHello.
    let max = crate::record::MAX_RECORD_SIZE_LIMIT_TLS12;
    assert_eq!(
        server_io.record_size_limits,
        [
            LimitSet::NextEpochPeer(max),
            LimitSet::Own(max),
            LimitSet::NextEpochPeer(CLIENT_LIMIT)
        ]
    );
}

#[test]
fn a_renegotiation_that_drops_the_limit_frees_only_the_next_epoch() {
    // tlsfuzzer's "renegotiation with dropped extension": the client's
    // old limit still binds the server's renegotiation flight, which
    // goes under the old keys; 2^14 from the new epoch on.
    let (server, mut server_io, hello) = renegotiating_with_limits();
    let [hello] = &hello[..] else {
        panic!("one ClientHello expected")
    };
    let hello = edited_client_hello(hello, |hello| {
        let extensions = hello.extensions.as_mut().unwrap();
        let before = extensions.len();
        extensions.retain(|e| !matches!(e, Extension::RecordSizeLimit(_)));
        assert_eq!(extensions.len(), before - 1);
    });
    deliver(server, &mut server_io, vec![hello]);
    let max = crate::record::MAX_RECORD_SIZE_LIMIT_TLS12;
    assert_eq!(
        server_io.record_size_limits,
        [LimitSet::NextEpochPeer(max), LimitSet::Own(max)]
    );
}

#[test]
fn a_renegotiation_is_refused_by_a_side_whose_switch_is_off() {
    let (client, _, mut client_io, _) = tls12_handshaken(false, true);
    let client = client.handle(&mut client_io, &hello_request()).unwrap();
    assert!(client_io.sent.is_empty());
    assert_eq!(client_io.calls.last(), Some(&"warning"));
    assert!(matches!(client, State::Client(client::State::Tls12(_))));

    let (client, server, mut client_io, mut server_io) = tls12_handshaken(true, false);
    client.handle(&mut client_io, &hello_request()).unwrap();
    let server = deliver(server, &mut server_io, client_io.take_sent());
    assert!(server_io.sent.is_empty());
    assert_eq!(server_io.calls.last(), Some(&"warning"));
    assert!(!server_io.renegotiation().in_progress());
    assert!(matches!(server, State::Server(server::State::Tls12(_))));
}

#[test]
fn a_hello_request_with_a_body_is_decode_error_wherever_one_is_taken() {
    // RFC 5246 §7.4.1.1: the HelloRequest is empty; one the joiner refused
    // for announcing a body fails where the type is expected: in traffic,
    // with renegotiation on or off, and while our renegotiation's
    // ClientHello waits (where an empty one is ignored).
    let too_long = Error::Decode(DecodeReason::MessageTooLong);
    let refused = || ReceivedHandshake::refused(HandshakeType::HelloRequest, too_long.clone());
    for client_on in [false, true] {
        let (client, _, mut client_io, _) = tls12_handshaken(client_on, true);
        let Err(err) = client.handle(&mut client_io, &refused()) else {
            panic!("a HelloRequest with a body was taken")
        };
        assert_eq!(err, too_long, "renegotiation {client_on}");
        assert!(client_io.sent.is_empty());
    }
    let (client, _, mut client_io, _) = tls12_handshaken(true, true);
    let client = client.handle(&mut client_io, &hello_request()).unwrap();
    assert!(client_io.renegotiation().in_progress());
    let client = client.handle(&mut client_io, &hello_request()).unwrap();
    let Err(err) = client.handle(&mut client_io, &refused()) else {
        panic!("a HelloRequest with a body was ignored")
    };
    assert_eq!(err, too_long);
}

#[test]
fn a_tampered_renegotiation_info_is_a_handshake_failure_on_either_side() {
    use crate::error::HandshakeFailureReason::RenegotiationInfoMismatch;
    let (client, server, mut client_io, mut server_io) = tls12_handshaken(true, true);
    client.handle(&mut client_io, &hello_request()).unwrap();
    let mut hello = client_io.take_sent().remove(0);
    flip_renegotiation_info(&mut hello, 12);
    let Err(err) = server.handle(&mut server_io, &hello) else {
        panic!("a tampered ClientHello was taken")
    };
    assert_eq!(err, Error::HandshakeFailure(RenegotiationInfoMismatch));
    assert_eq!(err.alert(), Some(AlertDescription::HandshakeFailure));

    let (client, server, mut client_io, mut server_io) = tls12_handshaken(true, true);
    let client = client.handle(&mut client_io, &hello_request()).unwrap();
    deliver(server, &mut server_io, client_io.take_sent());
    let mut flight = server_io.take_sent();
    flip_renegotiation_info(&mut flight[0], 24);
    let Err(err) = client.handle(&mut client_io, &flight[0]) else {
        panic!("a tampered ServerHello was taken")
    };
    assert_eq!(err, Error::HandshakeFailure(RenegotiationInfoMismatch));
}

/// The TLS 1.2 ClientHello `hello` after `edit`.
fn edited_client_hello(
    hello: &ReceivedHandshake,
    edit: impl FnOnce(&mut crate::msgs::hello::ClientHello),
) -> ReceivedHandshake {
    let cx = DecodeContext {
        version: ProtocolVersion::TLSv1_2,
        key_exchange: KeyExchangeAlgorithm::Ecdhe,
        finished_len: 12,
    };
    let Ok(HandshakeMessage::ClientHello(mut decoded)) =
        HandshakeMessage::decode(hello.typ, hello.body().unwrap(), &cx)
    else {
        panic!("not a ClientHello")
    };
    edit(&mut decoded);
    ReceivedHandshake::whole(HandshakeMessage::ClientHello(decoded).to_bytes().unwrap())
}

/// The server's error for the client's renegotiation ClientHello after
/// `edit`.
fn server_refuses_edited_renegotiation(
    edit: impl FnOnce(&mut crate::msgs::hello::ClientHello),
) -> Error {
    let (client, server, mut client_io, mut server_io) = tls12_handshaken(true, true);
    client.handle(&mut client_io, &hello_request()).unwrap();
    let message = edited_client_hello(&client_io.take_sent()[0], edit);
    match server.handle(&mut server_io, &message) {
        Err(err) => err,
        Ok(_) => panic!("the edited renegotiation was taken"),
    }
}

#[test]
fn a_renegotiation_that_drops_the_extended_master_secret_or_sends_the_scsv_fails() {
    use crate::error::HandshakeFailureReason as R;
    let err = server_refuses_edited_renegotiation(|hello| {
        if let Some(extensions) = hello.extensions.as_mut() {
            extensions.retain(|e| *e != Extension::ExtendedMasterSecret);
        }
    });
    assert_eq!(err, Error::HandshakeFailure(R::RenegotiationDropsEms));
    // RFC 5746 §3.7: the SCSV in a renegotiation.
    let err = server_refuses_edited_renegotiation(|hello| {
        hello
            .cipher_suites
            .push(crate::msgs::enums::CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
    });
    assert_eq!(err, Error::HandshakeFailure(R::RenegotiationScsv));
    assert_eq!(err.alert(), Some(AlertDescription::HandshakeFailure));
}

#[test]
fn a_renegotiation_with_a_peer_that_did_not_signal_it_is_refused_on_both_sides() {
    // RFC 5746 §4.2, §4.4: the switch is on, but the peer's first hello
    // carried neither the extension nor the SCSV (a fresh state knows of
    // none).
    let (client, _, mut client_io, _) = tls12_handshaken(true, true);
    client_io.renegotiation = Renegotiation::default();
    let client = client.handle(&mut client_io, &hello_request()).unwrap();
    assert!(client_io.sent.is_empty());
    assert_eq!(client_io.calls.last(), Some(&"warning"));
    assert!(matches!(client, State::Client(client::State::Tls12(_))));

    let (client, server, mut client_io, mut server_io) = tls12_handshaken(true, true);
    client.handle(&mut client_io, &hello_request()).unwrap();
    server_io.renegotiation = Renegotiation::default();
    let server = deliver(server, &mut server_io, client_io.take_sent());
    assert!(server_io.sent.is_empty());
    assert_eq!(server_io.calls.last(), Some(&"warning"));
    assert!(!server_io.renegotiation().in_progress());
    assert!(matches!(server, State::Server(server::State::Tls12(_))));
}

#[test]
fn a_resumed_tls12_session_keeps_its_max_fragment_length_when_the_server_does_not_repeat_it() {
    // The length "applies for the duration of the session including
    // session resumptions" (RFC 6066 §4), and servers that follow RFC
    // 4366 §3 answer no extension when resuming: the client holds both
    // directions to the session's 2^10 bytes all the same.
    use crate::session::InMemoryClientStore;
    let (client, server) = tls12_configs(true, true);
    let mut client = (*client).clone();
    client.common.record_size_limit = Some(1025);
    let mut server = (*server).clone();
    server.common.record_size_limit = None;
    let (client, server) = (Arc::new(client), Arc::new(server));
    let store: Arc<dyn ClientSessionStore> =
        Arc::new(InMemoryClientStore::new(client.common.clock.clone()));
    let mut client_io = FakeIo {
        client_sessions: Some(store.clone()),
        ..FakeIo::default()
    };
    let mut server_io = FakeIo::default();
    let first = start_client(client.clone(), &mut client_io);
    converse(
        first,
        State::Server(server::start(server.clone())),
        &mut client_io,
        &mut server_io,
    );
    let kept = store
        .get_tls12("leaf.p256.test")
        .map(|s| s.max_fragment_length);
    assert_eq!(kept, Some(Some(2)));

    let mut client_io = FakeIo {
        client_sessions: Some(store),
        ..FakeIo::default()
    };
    let mut server_io = FakeIo::default();
    let client_state = start_client(client, &mut client_io);
    deliver(
        State::Server(server::start(server)),
        &mut server_io,
        client_io.take_sent(),
    );
    let mut flight = server_io.take_sent();
    let cx = DecodeContext {
        version: ProtocolVersion::TLSv1_2,
        key_exchange: KeyExchangeAlgorithm::Ecdhe,
        finished_len: 12,
    };
    let Ok(HandshakeMessage::ServerHello(mut hello)) =
        HandshakeMessage::decode(flight[0].typ, flight[0].body().unwrap(), &cx)
    else {
        panic!("not a ServerHello")
    };
    let answered = Extension::MaxFragmentLength(2);
    assert!(
        hello.extensions().contains(&answered),
        "our server repeats it"
    );
    if let Some(extensions) = hello.extensions.as_mut() {
        extensions.retain(|e| *e != answered);
    }
    flight[0] = ReceivedHandshake::whole(HandshakeMessage::ServerHello(hello).to_bytes().unwrap());
    let client_state = client_state.handle(&mut client_io, &flight[0]).unwrap();
    assert!(matches!(
        client_state,
        State::Client(client::State::Tls12(_))
    ));
    assert!(client_io.negotiated().resumed());
    assert_eq!(
        client_io.record_size_limits,
        [LimitSet::Peer(1024), LimitSet::Own(1024)]
    );
}
