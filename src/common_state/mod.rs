//! The state both roles share: the record layer with its joiner and
//! buffers, the negotiated parameters, alerts, close_notify and TLS 1.3
//! KeyUpdate. The handshake state machines drive it through one trait,
//! [`HandshakeIo`] (`handshake_io.rs`); it never decides protocol
//! questions.
//!
//! It sits below the handshake and above the record layer: `receive.rs`
//! opens and dispatches records, `send.rs` protects and queues them,
//! `epochs.rs` switches keys and versions when the handshake says so.

use crate::config::{CommonConfig, Limits};
use crate::crypto::aead::AeadAlgorithm;
use crate::error::Error;
use crate::keyschedule::tls12::Tls12Exporter;
use crate::keyschedule::tls13::{Exporter, TrafficSecret};
use crate::msgs::enums::{
    AlertLevel, CertificateCompressionAlgorithm, CertificateType, CipherSuite, HandshakeType,
    NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::observer::{MessageDirection, MessageObserver};
use crate::record::{HandshakeJoiner, RecordLayer, RecordProtection};
use crate::session::store::FailedSession;
use crate::session::ClientSessionStore;
use std::sync::Arc;

use crate::pki::{CertifiedKey, Staples};

mod epochs;
mod handshake_io;
mod receive;
mod renegotiation;
mod send;

pub(crate) use handshake_io::HandshakeIo;
pub(crate) use renegotiation::Renegotiation;
#[cfg(test)]
pub(crate) use send::lower_key_update_cap_in_this_thread;

/// The bytes of rejected 0-RTT plaintext a TLS 1.3 server skips at least
/// (RFC 8446 §4.2.10 bounds skipping by max_early_data_size): 16 384, as
/// OpenSSL (its default `recv_max_early_data`) and BoringSSL skip, whatever
/// the offered ticket allowed. More when the ticket allowed more, or the
/// server's own `max_early_data_size` is larger. A skipped record over the
/// budget is `bad_record_mac`.
pub const DEFAULT_REJECTED_EARLY_DATA_SKIP: usize = 16 * 1024;

/// The dummy ChangeCipherSpec records a peer may send during a TLS 1.3
/// handshake: one, in middlebox compatibility mode (RFC 8446 §5, §D.4).
/// Another is `unexpected_message`, as tlsfuzzer's
/// `test-tls13-multiple-ccs-messages` expects (OpenSSL answers so;
/// BoringSSL drops up to 32).
pub const MAX_TLS13_CCS_RECORDS: usize = 1;

/// The most sealed bytes a connection queues for `write_tls` before a
/// write of application data is taken only partly (design §2, "bounded
/// everything"; the TLS RFCs set no number): 128 KiB, eight full records.
/// Eight, because a CBC suite encrypts the records of one write as that
/// many independent chains at once (`crypto::cbc::PARALLEL_CHAINS`). The
/// queue still fits the processor's second-level cache between sealing
/// and `write_tls`, and it is freed once drained unless the application
/// is streaming. A write when the queue is full is
/// `WouldBlock`.
pub const MAX_SENDABLE_TLS: usize = 128 * 1024;

/// The records of each write key's usage limit (RFC 8446 §5.5) that
/// application data leaves unused: one for the KeyUpdate (TLS 1.3) or
/// close_notify (TLS ≤1.2) that retires the key, and room for the few
/// other records that may be sealed between two writes (a
/// NewSessionTicket, an answer to a KeyUpdate, an alert). The record layer
/// refuses any record past the limit itself.
pub const WRITE_KEY_RESERVED_RECORDS: u64 = 4;

/// The most KeyUpdates one TLS 1.3 connection sends. RFC 9846 §4.6.3: a
/// sender "MUST NOT allow the epoch -- and hence the number of key
/// updates -- to exceed 2^48-1" (a receiver must not enforce it, and we
/// do not). At the cap the application's requests are refused, a peer's
/// update_requested goes unanswered, and a write key at its usage limit
/// is retired with close_notify as in TLS 1.2.
pub const MAX_KEY_UPDATES_SENT: u64 = (1 << 48) - 1;

/// Which side of the connection this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The client.
    Client,
    /// The server.
    Server,
}

/// What happened to 0-RTT data on this connection (RFC 8446 §4.2.10).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum EarlyDataStatus {
    /// No early data was offered.
    #[default]
    NotOffered,
    /// Early data was offered; the server has not answered yet.
    Offered,
    /// Early data was offered and accepted.
    Accepted,
    /// Early data was offered and rejected.
    Rejected,
}

/// Why 0-RTT data was used on a connection or not (RFC 8446 §4.2.10), as
/// the side reporting it knows: a server knows why it refused, a client
/// only that the server did. Settled by the handshake, before its first
/// message when nothing would be offered, or when a HelloRetryRequest
/// ends 0-RTT.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EarlyDataReason {
    /// 0-RTT data was accepted.
    Accepted,
    /// This side has 0-RTT off: `ClientConfig::enable_early_data`, or a
    /// `ServerConfig::max_early_data_size` of 0.
    Disabled,
    /// TLS 1.2 or below: this side enables no TLS 1.3, or the handshake
    /// negotiated an earlier version; 0-RTT is TLS 1.3's.
    ProtocolVersion,
    /// Client: the server resumed the session but did not accept the
    /// 0-RTT data (the wire does not say why). Server: the client sent
    /// none.
    PeerDeclined,
    /// Client: no ticket for this server to resume with. Server: the
    /// client offered no PSK.
    NoSessionOffered,
    /// The offered ticket did not resume a session (unknown, expired,
    /// or of another suite's hash), so neither can its 0-RTT data.
    SessionNotResumed,
    /// The session does not allow 0-RTT: its ticket's max_early_data_size
    /// is 0, the PSK is an external one or not the first identity, or the
    /// handshake chose another cipher suite than the session's.
    UnsupportedForSession,
    /// The ALPN protocol is not the session's (client: the session's is
    /// not among those it offers).
    AlpnMismatch,
    /// A HelloRetryRequest was sent (RFC 8446 §4.1.2: the second
    /// ClientHello carries no early_data).
    HelloRetryRequest,
    /// Server: the client's view of the ticket's age is too far from
    /// ours (RFC 8446 §8.3).
    TicketAgeSkew,
    /// Server: the ClientHello might be a replay: tickets are not single
    /// use and there is no anti-replay filter, or the filter has seen it
    /// or could not record it (RFC 8446 §8).
    ReplayProtection,
}

impl EarlyDataReason {
    /// The reason in snake case (`accepted`, `ticket_age_skew`), as the
    /// tool's `--json` report and the C library give it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Disabled => "disabled",
            Self::ProtocolVersion => "protocol_version",
            Self::PeerDeclined => "peer_declined",
            Self::NoSessionOffered => "no_session_offered",
            Self::SessionNotResumed => "session_not_resumed",
            Self::UnsupportedForSession => "unsupported_for_session",
            Self::AlpnMismatch => "alpn_mismatch",
            Self::HelloRetryRequest => "hello_retry_request",
            Self::TicketAgeSkew => "ticket_age_skew",
            Self::ReplayProtection => "replay_protection",
        }
    }
}

/// Parameters learnt during the handshake, read through the connection's
/// queries. The handshake reports them as [`HandshakeEvent`]s; only this
/// module writes the fields.
#[derive(Clone, Debug, Default)]
pub(crate) struct Negotiated {
    version: Option<ProtocolVersion>,
    cipher_suite: Option<CipherSuite>,
    group: Option<NamedGroup>,
    alpn: Option<Vec<u8>>,
    server_name: Option<String>,
    peer_certificates: Vec<Vec<u8>>,
    staples: Staples,
    session_id: crate::session::SessionId,
    resumed: bool,
    extended_master_secret: bool,
    resumption_requested: bool,
    early_data: EarlyDataStatus,
    early_data_reason: Option<EarlyDataReason>,
    peer_record_size_limit: Option<u16>,
    peer_certificate_compression: Option<CertificateCompressionAlgorithm>,
    sent_certificate_compression: Option<CertificateCompressionAlgorithm>,
    server_certificate_type: Option<CertificateType>,
    client_certificate_type: Option<CertificateType>,
    peer_signature_scheme: Option<SignatureScheme>,
    sent_certificate: Option<Arc<CertifiedKey>>,
    /// The facts few connections have, boxed so that the others pay one
    /// pointer for them.
    rare: Option<Box<RareFacts>>,
}

/// The facts of [`Negotiated`] that few connections have.
#[derive(Clone, Debug, Default)]
struct RareFacts {
    /// The identity of the external PSK that authenticated the handshake.
    external_psk: Option<Vec<u8>>,
    /// Server: the application's bytes the resumed session carried.
    received_resumption_data: Option<Vec<u8>>,
    /// Server: the application's bytes for the sessions this connection
    /// stores ([`crate::ServerConnection::set_resumption_data`]).
    set_resumption_data: Option<Vec<u8>>,
}

/// One fact a handshake settled, reported to the connection with
/// [`HandshakeIo::report`]. A later report of the same kind replaces the
/// earlier (a HelloRetryRequest names the suite before the ServerHello
/// does, RFC 8446 §4.1.4).
#[derive(Debug)]
pub(crate) enum HandshakeEvent {
    /// The protocol version (RFC 8446 §4.2.1, RFC 5246 §7.4.1.3).
    Version(ProtocolVersion),
    /// The cipher suite.
    CipherSuite(CipherSuite),
    /// The key-exchange group; none is reported for a PSK-only
    /// resumption.
    Group(NamedGroup),
    /// The ALPN protocol agreed on (RFC 7301 §3.2).
    Alpn(Vec<u8>),
    /// The server name: sent (client), or asked for (server) (RFC 6066 §3).
    ServerName(String),
    /// The peer's certificate chain, DER, end entity first: received, or
    /// restored with the resumed session.
    PeerCertificates(Vec<Vec<u8>>),
    /// What was stapled to the server's end entity (RFC 6066 §8, RFC 6962
    /// §3.3): received (client), or sent (server); on a client's
    /// resumption, restored with the session.
    Stapled(Staples),
    /// The session identifier of the session-ID contract (design §3).
    SessionId(crate::session::SessionId),
    /// The handshake resumed a session.
    Resumed,
    /// Whether this TLS ≤1.2 handshake uses the extended master secret
    /// (RFC 7627 §4), reported by every such handshake.
    ExtendedMasterSecret(bool),
    /// Server: the client asked to resume (design §3), whether or not it
    /// did.
    ResumptionRequested,
    /// The peer's record_size_limit, once both sides announced one (RFC
    /// 8449 §4).
    PeerRecordSizeLimit(u16),
    /// The algorithm the peer's Certificate came compressed with (RFC
    /// 8879 §4).
    PeerCertificateCompression(CertificateCompressionAlgorithm),
    /// The algorithm our Certificate went compressed with.
    SentCertificateCompression(CertificateCompressionAlgorithm),
    /// The handshake was authenticated by the external PSK of this
    /// identity (RFC 8446 §2.2).
    ExternalPsk(Vec<u8>),
    /// Why 0-RTT was used or not. Unlike the other facts, the first
    /// report stands: a HelloRetryRequest settles it before the second
    /// ClientHello, which never offers 0-RTT.
    EarlyDataReason(EarlyDataReason),
    /// What the server's Certificate carried (RFC 7250): sent or received.
    ServerCertificateType(CertificateType),
    /// What the client's Certificate carried (RFC 7250): sent or received.
    ClientCertificateType(CertificateType),
    /// The peer signed the handshake (CertificateVerify, or a TLS ≤1.2
    /// ServerKeyExchange) under this scheme; none for a TLS 1.0/1.1
    /// signature, whose algorithm follows from the key (RFC 4346 §7.4.3).
    PeerSignature(Option<SignatureScheme>),
    /// The certificate (or raw public key) of ours this side sent, one of
    /// its configuration's.
    SentCertificate(Arc<CertifiedKey>),
    /// Server: the application's bytes the resumed session carried.
    ResumptionData(Vec<u8>),
    /// A TLS ≤1.2 renegotiation starts (RFC 5746): the facts of the
    /// handshake it replaces that the new one may not report again
    /// (resumption, the peer's certificates and staples, their type, the
    /// record size limit, the ALPN protocol, which only the new hellos
    /// settle, RFC 7301 §3.1) are forgotten; the others are reported
    /// anew. The connection's queries go on reporting the replaced
    /// handshake's facts until the new one completes
    /// ([`CommonState::established`]).
    Renegotiation,
}

impl Negotiated {
    /// The protocol version, once known.
    pub(crate) fn version(&self) -> Option<ProtocolVersion> {
        self.version
    }

    /// The cipher suite, once known.
    pub(crate) fn cipher_suite(&self) -> Option<CipherSuite> {
        self.cipher_suite
    }

    /// The key-exchange group, once known.
    pub(crate) fn group(&self) -> Option<NamedGroup> {
        self.group
    }

    /// The ALPN protocol agreed on, if any.
    pub(crate) fn alpn(&self) -> Option<&[u8]> {
        self.alpn.as_deref()
    }

    /// The server name, if any.
    pub(crate) fn server_name(&self) -> Option<&str> {
        self.server_name.as_deref()
    }

    /// The peer's certificate chain.
    pub(crate) fn peer_certificates(&self) -> &[Vec<u8>] {
        &self.peer_certificates
    }

    /// What was stapled to the server's end entity.
    pub(crate) fn staples(&self) -> &Staples {
        &self.staples
    }

    /// The session identifier (empty before the ServerHello).
    pub(crate) fn session_id(&self) -> &[u8] {
        self.session_id.as_bytes()
    }

    /// Whether the handshake resumed a session.
    pub(crate) fn resumed(&self) -> bool {
        self.resumed
    }

    /// Whether the keys are bound to the handshake transcript: always in
    /// TLS 1.3, which hashes it into every secret, and in TLS ≤1.2 with
    /// the extended master secret (RFC 7627).
    pub(crate) fn extended_master_secret(&self) -> bool {
        self.version == Some(ProtocolVersion::TLSv1_3) || self.extended_master_secret
    }

    /// Server: whether the client asked to resume.
    pub(crate) fn resumption_requested(&self) -> bool {
        self.resumption_requested
    }

    /// What happened to 0-RTT data.
    pub(crate) fn early_data(&self) -> EarlyDataStatus {
        self.early_data
    }

    /// Why 0-RTT was used or not, once settled.
    pub(crate) fn early_data_reason(&self) -> Option<EarlyDataReason> {
        self.early_data_reason
    }

    /// The peer's record_size_limit, when negotiated.
    pub(crate) fn peer_record_size_limit(&self) -> Option<u16> {
        self.peer_record_size_limit
    }

    /// The algorithm the peer's certificate came compressed with, if it
    /// came compressed.
    pub(crate) fn peer_certificate_compression(&self) -> Option<CertificateCompressionAlgorithm> {
        self.peer_certificate_compression
    }

    /// The algorithm our certificate went compressed with, if it did.
    pub(crate) fn sent_certificate_compression(&self) -> Option<CertificateCompressionAlgorithm> {
        self.sent_certificate_compression
    }

    /// The identity of the external PSK that authenticated the
    /// handshake, if one did.
    pub(crate) fn external_psk(&self) -> Option<&[u8]> {
        self.rare.as_ref()?.external_psk.as_deref()
    }

    /// The type of the server's Certificate, once one was sent.
    pub(crate) fn server_certificate_type(&self) -> Option<CertificateType> {
        self.server_certificate_type
    }

    /// The type of the client's Certificate, once one was sent.
    pub(crate) fn client_certificate_type(&self) -> Option<CertificateType> {
        self.client_certificate_type
    }

    /// The certificate of ours this side sent, if any.
    pub(crate) fn sent_certificate(&self) -> Option<&Arc<CertifiedKey>> {
        self.sent_certificate.as_ref()
    }

    /// Server: the application's bytes the resumed session carried.
    pub(crate) fn received_resumption_data(&self) -> Option<&[u8]> {
        self.rare.as_ref()?.received_resumption_data.as_deref()
    }

    /// Server: the application's bytes for the sessions this connection
    /// stores: those it set, else those the resumed session carried, so
    /// that they last through a chain of resumptions as the session ID
    /// does (design §3).
    pub(crate) fn resumption_data_to_store(&self) -> Option<&[u8]> {
        let rare = self.rare.as_ref()?;
        rare.set_resumption_data
            .as_deref()
            .or(rare.received_resumption_data.as_deref())
    }

    /// Server: sets the application's bytes for the sessions this
    /// connection stores from now on.
    pub(crate) fn set_resumption_data(&mut self, bytes: Vec<u8>) {
        self.rare.get_or_insert_default().set_resumption_data = Some(bytes);
    }

    /// The scheme of the peer's handshake signature, once verified.
    pub(crate) fn peer_signature_scheme(&self) -> Option<SignatureScheme> {
        self.peer_signature_scheme
    }

    /// Records `event`: what [`HandshakeIo::report`] does.
    pub(crate) fn apply(&mut self, event: HandshakeEvent) {
        match event {
            HandshakeEvent::Version(v) => self.version = Some(v),
            HandshakeEvent::CipherSuite(s) => self.cipher_suite = Some(s),
            HandshakeEvent::Group(g) => self.group = Some(g),
            HandshakeEvent::Alpn(p) => self.alpn = Some(p),
            HandshakeEvent::ServerName(n) => self.server_name = Some(n),
            HandshakeEvent::PeerCertificates(c) => self.peer_certificates = c,
            HandshakeEvent::Stapled(staples) => self.staples = staples,
            HandshakeEvent::SessionId(id) => self.session_id = id,
            HandshakeEvent::Resumed => self.resumed = true,
            HandshakeEvent::ExtendedMasterSecret(used) => self.extended_master_secret = used,
            HandshakeEvent::ResumptionRequested => self.resumption_requested = true,
            HandshakeEvent::PeerRecordSizeLimit(l) => self.peer_record_size_limit = Some(l),
            HandshakeEvent::PeerCertificateCompression(a) => {
                self.peer_certificate_compression = Some(a)
            }
            HandshakeEvent::SentCertificateCompression(a) => {
                self.sent_certificate_compression = Some(a)
            }
            HandshakeEvent::ExternalPsk(identity) => {
                self.rare.get_or_insert_default().external_psk = Some(identity);
            }
            HandshakeEvent::EarlyDataReason(reason) => {
                self.early_data_reason.get_or_insert(reason);
            }
            HandshakeEvent::ServerCertificateType(t) => self.server_certificate_type = Some(t),
            HandshakeEvent::ClientCertificateType(t) => self.client_certificate_type = Some(t),
            HandshakeEvent::PeerSignature(scheme) => self.peer_signature_scheme = scheme,
            HandshakeEvent::SentCertificate(key) => self.sent_certificate = Some(key),
            HandshakeEvent::ResumptionData(bytes) => {
                self.rare.get_or_insert_default().received_resumption_data = Some(bytes);
            }
            HandshakeEvent::Renegotiation => {
                self.resumed = false;
                self.resumption_requested = false;
                self.peer_certificates = Vec::new();
                self.staples = Staples::default();
                self.peer_record_size_limit = None;
                self.server_certificate_type = None;
                self.client_certificate_type = None;
                self.peer_signature_scheme = None;
                self.sent_certificate = None;
                self.alpn = None;
                if let Some(rare) = &mut self.rare {
                    rare.received_resumption_data = None;
                }
            }
        }
    }
}

/// Where 0-RTT data stands on this connection (RFC 8446 §4.2.10), with
/// the bytes still allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EarlyData {
    /// None is sent or expected.
    Off,
    /// Client: early data may be written under the early key.
    Writing { remaining: usize },
    /// Server: early data was accepted and arrives under the early key.
    Accepting { remaining: usize },
    /// Server: early data was rejected; records that do not open (or, after
    /// a HelloRetryRequest, unprotected application data) are skipped.
    Skipping { remaining: usize },
}

/// The TLS 1.3 application traffic secrets, kept for KeyUpdate.
struct Tls13Traffic {
    aead: AeadAlgorithm,
    read: TrafficSecret,
    write: TrafficSecret,
    /// KeyUpdates sent so far ([`MAX_KEY_UPDATES_SENT`]).
    updates_sent: u64,
}

/// Bytes reserved for the handshake output buffer when its first message
/// of a flight is queued, so that encoding a typical flight (hellos,
/// tickets, Finished; a certificate chain grows it further) needs one
/// allocation instead of one per doubling. A sizing choice, not a limit.
const HANDSHAKE_OUT_INITIAL_CAPACITY: usize = 2048;

/// Bytes reserved for the queue of sealed records when a handshake flight
/// first needs it: a typical flight as [`HANDSHAKE_OUT_INITIAL_CAPACITY`]
/// sizes it, sealed, with a TLS 1.3 server's ServerHello, its dummy
/// ChangeCipherSpec and its encrypted flight together, so the queue is
/// allocated once rather than grown per flight. A sizing choice, not a
/// limit; the queue is freed once traffic starts and it drains.
const SENDABLE_TLS_HANDSHAKE_CAPACITY: usize = 4096;

/// Bytes reserved for the received-message buffer when the first message
/// is copied into it, so that the usual flights (a certificate chain of a
/// few kilobytes included) fit without growing it. A sizing choice, not a
/// limit; a larger message grows it.
const RECEIVED_MESSAGE_INITIAL_CAPACITY: usize = 4096;

/// One received handshake message, header included, copied out of the
/// joiner so the state machine may drive the connection while it reads.
#[derive(Debug)]
pub(crate) struct ReceivedHandshake {
    pub(crate) typ: HandshakeType,
    pub(crate) raw: Vec<u8>,
    /// Why the joiner refused the body from the header (longer than the
    /// type's bound): then `raw` is the header alone.
    refused: Option<Error>,
}

impl ReceivedHandshake {
    /// A whole message as the peer sent it, header first.
    #[cfg(test)]
    pub(crate) fn whole(raw: Vec<u8>) -> Self {
        Self {
            typ: HandshakeType::from(raw.first().copied().unwrap_or_default()),
            raw,
            refused: None,
        }
    }

    /// The header of a `typ` message the joiner refused with `refusal`
    /// for the length it announced.
    #[cfg(test)]
    pub(crate) fn refused(typ: HandshakeType, refusal: Error) -> Self {
        Self {
            typ,
            raw: vec![u8::from(typ), 0, 0, 1],
            refused: Some(refusal),
        }
    }

    /// The body after the 4-byte header, or the joiner's refusal of it,
    /// which a state meets only once it has accepted the type (RFC 8446
    /// §6.2: the wrong message is `unexpected_message` first).
    pub(crate) fn body(&self) -> Result<&[u8], Error> {
        match &self.refused {
            Some(refusal) => Err(refusal.clone()),
            None => Ok(self
                .raw
                .get(crate::msgs::handshake::HANDSHAKE_HEADER_LEN..)
                .unwrap_or_default()),
        }
    }
}

/// The shared connection state.
pub(crate) struct CommonState {
    pub(crate) side: Side,
    record: RecordLayer,
    joiner: HandshakeJoiner,
    /// Handshake messages written but not yet sealed, so that one flight
    /// under one key goes out in as few records as possible.
    handshake_out: Vec<u8>,
    /// The allocation of the last received handshake message, given back
    /// by [`Self::recycle_message`] for the next one.
    message_buf: Vec<u8>,
    /// Sealed records waiting for `write_tls`. Once the handshake is
    /// complete its allocation is freed whenever `write_tls` empties it,
    /// unless [`Self::writer_streaming`]: an idle connection holds none.
    sendable_tls: Vec<u8>,
    /// The last write of application data was taken only in part because
    /// [`MAX_SENDABLE_TLS`] bytes were queued: the application is
    /// streaming and writes again as soon as `write_tls` makes room, so
    /// the queue keeps its allocation rather than freeing it and
    /// allocating it again per write.
    writer_streaming: bool,
    pending_plaintext: Vec<u8>,
    /// The configuration's bounds on what the peer may make us hold or do.
    limits: Limits,
    error: Option<Error>,
    /// Application data may flow both ways (the handshake is complete).
    traffic: bool,
    /// Application data may be sent before the handshake is complete: a
    /// TLS 1.3 server's half-RTT data, a TLS 1.2 client's False Start
    /// ([`Self::start_writes_before_peer_finished`]).
    writes_before_peer_finished: bool,
    peer_closed: bool,
    close_sent: bool,
    eof_seen: bool,
    /// Dummy ChangeCipherSpec records may arrive now (TLS 1.3 handshake).
    pub(crate) ccs_allowed: bool,
    ccs_received: usize,
    empty_records: usize,
    warning_alerts: usize,
    key_updates_without_data: usize,
    key_update_sent_since_data: bool,
    /// We sent a KeyUpdate with update_requested and have received no
    /// KeyUpdate since: another request may not go out (RFC 9846 §4.6.3).
    key_update_request_pending: bool,
    /// TLS ≤1.2: close_notify was sent because the write key reached its
    /// usage limit; writes fail with [`Error::KeyUsageLimitReached`].
    write_key_used_up: bool,
    tls13_traffic: Option<Tls13Traffic>,
    early_data: EarlyData,
    pub(crate) exporter: Option<Exporter>,
    /// TLS 1.3 with 0-RTT: the early exporter (RFC 8446 §7.5), boxed since
    /// few connections have one.
    pub(crate) early_exporter: Option<Box<Exporter>>,
    /// TLS ≤1.2: the RFC 5705 exporter.
    pub(crate) tls12_exporter: Option<Tls12Exporter>,
    /// TLS ≤1.2: the read protection the peer's next ChangeCipherSpec
    /// switches to (RFC 5246 §7.1).
    pending_read: Option<Box<dyn RecordProtection>>,
    /// TLS ≤1.2: a ChangeCipherSpec switched the read protection, so the
    /// next records carry the Finished, with no application data among
    /// them (RFC 5246 §7.4.9), until it is whole.
    finished_due: bool,
    negotiated: Negotiated,
    /// TLS ≤1.2 secure renegotiation (RFC 5746).
    renegotiation: Renegotiation,
    /// A client's view of its session store for this connection (the
    /// per-connection recorder over the configuration's store), which the
    /// client handshake reads sessions from and keeps new ones in; `None`
    /// on a server or when resumption is off.
    pub(crate) client_sessions: Option<Arc<dyn ClientSessionStore>>,
    /// The TLS ≤ 1.2 session a failure of this connection invalidates
    /// (RFC 5246 §7.2.2), once the handshake has stored or resumed one.
    failed_session: Option<FailedSession>,
    /// The configuration's [`MessageObserver`], told of each handshake
    /// message sent or received.
    message_observer: Option<Arc<dyn MessageObserver>>,
}

impl CommonState {
    pub(crate) fn new(side: Side, config: &CommonConfig) -> Self {
        let joiner =
            HandshakeJoiner::with_max_certificate_len(config.limits.max_certificate_message_size);
        let mut record = RecordLayer::new();
        if let Some(len) = config.max_fragment_size {
            record.set_max_fragment_size(len);
        }
        Self {
            side,
            record,
            joiner,
            handshake_out: Vec::new(),
            message_buf: Vec::new(),
            sendable_tls: Vec::new(),
            writer_streaming: false,
            pending_plaintext: Vec::new(),
            limits: config.limits,
            error: None,
            traffic: false,
            writes_before_peer_finished: false,
            peer_closed: false,
            close_sent: false,
            eof_seen: false,
            ccs_allowed: false,
            ccs_received: 0,
            empty_records: 0,
            warning_alerts: 0,
            key_updates_without_data: 0,
            key_update_sent_since_data: false,
            key_update_request_pending: false,
            write_key_used_up: false,
            tls13_traffic: None,
            early_data: EarlyData::Off,
            exporter: None,
            early_exporter: None,
            tls12_exporter: None,
            pending_read: None,
            finished_due: false,
            client_sessions: None,
            failed_session: None,
            negotiated: Negotiated::default(),
            renegotiation: Renegotiation::default(),
            message_observer: config.message_observer.clone(),
        }
    }

    /// What the connection reports of its handshake: the latest one's
    /// facts, or, while a renegotiation runs, those of the handshake it
    /// replaces ([`Renegotiation::replaced`]). The handshake itself reads
    /// and writes the facts of the handshake under way
    /// ([`HandshakeIo::negotiated`]).
    pub(crate) fn established(&self) -> &Negotiated {
        self.renegotiation.replaced().unwrap_or(&self.negotiated)
    }

    /// Server: sets the application's bytes for the sessions this
    /// connection stores from now on, those of the handshake under way.
    pub(crate) fn set_resumption_data(&mut self, bytes: Vec<u8>) {
        self.negotiated.set_resumption_data(bytes);
    }

    /// Tells the message observer, if any, of one handshake message.
    fn observe(&self, direction: MessageDirection, typ: HandshakeType) {
        if let Some(observer) = &self.message_observer {
            observer.handshake_message(direction, typ);
        }
    }

    // ---- errors ----

    /// The error that ended the connection, if any.
    pub(crate) fn error(&self) -> Option<&Error> {
        self.error.as_ref()
    }

    /// Ends the connection with `error`: the half-built flight is dropped,
    /// the error's alert (if it has one) is sent once, the session the
    /// handshake stored or resumed is forgotten (RFC 5246 §7.2.2), and
    /// every later call fails with the same error.
    pub(crate) fn fail(&mut self, error: Error) -> Error {
        if self.error.is_none() {
            self.handshake_out.clear();
            if let Some(description) = error.alert() {
                self.send_alert(AlertLevel::Fatal, description);
            }
            if let Some(session) = self.failed_session.take() {
                session.forget();
            }
            self.error = Some(error.clone());
        }
        error
    }

    /// Names the session a failure of this connection invalidates.
    pub(crate) fn forget_on_failure(&mut self, session: FailedSession) {
        self.failed_session = Some(session);
    }

    // ---- queries ----

    pub(crate) fn is_traffic(&self) -> bool {
        self.traffic
    }

    pub(crate) fn peer_closed(&self) -> bool {
        self.peer_closed
    }

    pub(crate) fn wants_write(&self) -> bool {
        !self.sendable_tls.is_empty()
    }

    pub(crate) fn wants_read(&self) -> bool {
        self.error.is_none()
            && !self.peer_closed
            && !self.eof_seen
            && self.record.plaintext_len() < self.limits.max_received_plaintext
    }

    pub(crate) fn received_plaintext_len(&self) -> usize {
        self.record.plaintext_len()
    }

    pub(crate) fn sendable_tls_len(&self) -> usize {
        self.sendable_tls.len()
    }

    /// The bytes allocated for sealed records waiting for `write_tls`.
    #[cfg(test)]
    pub(crate) fn sendable_tls_capacity(&self) -> usize {
        self.sendable_tls.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::{HandshakeEvent, Negotiated};
    use crate::msgs::enums::{CipherSuite, NamedGroup, ProtocolVersion};

    #[test]
    fn events_set_the_negotiated_facts_and_a_later_one_replaces_an_earlier(
    ) -> Result<(), crate::error::Error> {
        let mut negotiated = Negotiated::default();
        for event in [
            HandshakeEvent::CipherSuite(CipherSuite::TLS_AES_128_GCM_SHA256),
            HandshakeEvent::Version(ProtocolVersion::TLSv1_3),
            HandshakeEvent::CipherSuite(CipherSuite::TLS_AES_256_GCM_SHA384),
            HandshakeEvent::Group(NamedGroup::X25519),
            HandshakeEvent::Alpn(b"h2".to_vec()),
            HandshakeEvent::ServerName("example.test".into()),
            HandshakeEvent::PeerCertificates(vec![vec![1, 2]]),
            HandshakeEvent::SessionId(crate::session::SessionId::from_peer(&[7; 32])?),
            HandshakeEvent::Resumed,
            HandshakeEvent::ResumptionRequested,
        ] {
            negotiated.apply(event);
        }
        assert_eq!(negotiated.version(), Some(ProtocolVersion::TLSv1_3));
        assert_eq!(
            negotiated.cipher_suite(),
            Some(CipherSuite::TLS_AES_256_GCM_SHA384)
        );
        assert_eq!(negotiated.group(), Some(NamedGroup::X25519));
        assert_eq!(negotiated.alpn(), Some(&b"h2"[..]));
        assert_eq!(negotiated.server_name(), Some("example.test"));
        assert_eq!(negotiated.peer_certificates(), [vec![1, 2]]);
        assert_eq!(negotiated.session_id(), [7; 32]);
        assert!(negotiated.resumed() && negotiated.resumption_requested());
        Ok(())
    }

    /// A renegotiation forgets what its hellos settle anew, the ALPN
    /// protocol among them (RFC 7301 §3.1: a renegotiation ClientHello
    /// without ALPN leaves none, and the server must not answer one), and
    /// keeps what carries over (version, server name, session ID).
    #[test]
    fn a_renegotiation_forgets_what_its_hellos_settle() -> Result<(), crate::error::Error> {
        let mut negotiated = Negotiated::default();
        for event in [
            HandshakeEvent::Version(ProtocolVersion::TLSv1_2),
            HandshakeEvent::Alpn(b"h2".to_vec()),
            HandshakeEvent::ServerName("example.test".into()),
            HandshakeEvent::PeerCertificates(vec![vec![1, 2]]),
            HandshakeEvent::SessionId(crate::session::SessionId::from_peer(&[7; 32])?),
            HandshakeEvent::Resumed,
            HandshakeEvent::Renegotiation,
        ] {
            negotiated.apply(event);
        }
        assert_eq!(negotiated.alpn(), None);
        assert!(negotiated.peer_certificates().is_empty());
        assert!(!negotiated.resumed());
        assert_eq!(negotiated.version(), Some(ProtocolVersion::TLSv1_2));
        assert_eq!(negotiated.server_name(), Some("example.test"));
        assert_eq!(negotiated.session_id(), [7; 32]);
        Ok(())
    }

    #[test]
    fn nothing_is_settled_before_an_event() {
        let negotiated = Negotiated::default();
        assert_eq!(negotiated.version(), None);
        assert_eq!(negotiated.alpn(), None);
        assert!(negotiated.session_id().is_empty());
        assert!(!negotiated.resumed() && !negotiated.resumption_requested());
    }
}
