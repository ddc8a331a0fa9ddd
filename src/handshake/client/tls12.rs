//! The client's TLS 1.0–1.2 handshake (RFC 5246 §7.3): from the
//! ServerHello to the traffic state, full or abbreviated, parameterised
//! by the negotiated version.
//!
//! ```text
//! ServerHello ─(full)─> ExpectCertificate ─> ExpectServerKeyExchange
//!      │                 ─> ExpectCertificateRequestOrDone ─(request)─> ExpectServerHelloDone
//!      │                                │ ServerHelloDone: our flight, CCS, Finished
//!      │ (resumed)                      v
//!      └──────────────> ExpectFinished ([NewSessionTicket], CCS, Finished) ─> Traffic
//! ```

use std::sync::Arc;

use super::hello::{
    announced_version, chosen_alpn, offered_schemes, offers_encrypt_then_mac, ExpectServerHello,
};
use crate::common_state::{HandshakeEvent, HandshakeIo, ReceivedHandshake};
use crate::config::ClientConfig;
use crate::crypto::ffdhe::{DhGroup, DhKeyPair};
use crate::crypto::groups::is_ecdhe;
use crate::crypto::kx::KeyShare;
use crate::crypto::rsa_kx::{client_premaster, encrypt_premaster};
use crate::crypto::secret::Secret;
use crate::crypto::verify::PublicKey;
use crate::error::{
    DecodeReason, Error, HandshakeFailureReason, IllegalParameterReason, UnexpectedMessageReason,
    UnsupportedExtensionReason,
};
use crate::handshake::record_size_limit;
use crate::handshake::stapling::verify_server_chain;
use crate::handshake::tls12::{
    choose_signature, decode, master_secret, resumed_master_secret, sign, tls12_suite,
    Authentication, HandshakeLog, Params, RefusedRenegotiations, Tls12Suite,
};
use crate::handshake::{
    certificate_types, key_logger, verify_params, verify_tls12_finished, Expected,
    FinishedVerified, KeyUse, SignatureVerified,
};
use crate::keyschedule::tls12::{MasterSecret, Sender, Tls12Exporter};
use crate::msgs::certificate::CertificateRequestTls12;
use crate::msgs::enums::{
    CertificateType, Compression, EcPointFormat, HandshakeType, ProtocolVersion, SignatureScheme,
};
use crate::msgs::extensions::Extension;
use crate::msgs::handshake::HandshakeMessage;
use crate::msgs::hello::ServerHello;
use crate::msgs::key_exchange::{
    ClientKeyExchange, KeyExchangeAlgorithm, ServerKeyExchange, ServerKxParams,
};
use crate::msgs::ticket::NewSessionTicketTls12;
use crate::pki::{CertificateRequestInfo, ServerCertVerified, ServerName, Staples};
use crate::record::RecordProtection;
use crate::session::state::DEFAULT_LIFETIME_SECS;
use crate::session::store::{FailedSession, Tls12SessionMark};
use crate::session::{ClientSessionTls12, SessionId, Validity};

/// The client's TLS 1.0–1.2 states; each consumes itself on a message.
pub(crate) enum State {
    /// Full handshake: the server's Certificate comes next.
    ExpectCertificate(ExpectCertificate),
    /// The server acknowledged status_request: a CertificateStatus may
    /// come next.
    ExpectCertificateStatus(ExpectCertificateStatus),
    /// Server chain accepted: its ServerKeyExchange comes next.
    ExpectServerKeyExchange(ExpectServerKeyExchange),
    /// A CertificateRequest or ServerHelloDone comes next.
    ExpectCertificateRequestOrDone(ExpectServerHelloDone),
    /// CertificateRequest received: ServerHelloDone comes next.
    ExpectServerHelloDone(ExpectServerHelloDone),
    /// \[NewSessionTicket\], ChangeCipherSpec and the server Finished.
    ExpectFinished(ExpectFinished),
    /// Handshake complete.
    Traffic(Traffic),
}

impl State {
    /// The messages this state accepts (see [`Expected`]). A HelloRequest
    /// is accepted in every state, and ignored during the handshake (RFC
    /// 5246 §7.4.1.1).
    pub(crate) fn expected(&self) -> Expected {
        use HandshakeType as T;
        use UnexpectedMessageReason as R;
        match self {
            Self::ExpectCertificate(_) => {
                Expected::new(&[T::Certificate, T::HelloRequest], R::ExpectedCertificate)
            }
            // RFC 6066 §8: the server may send no CertificateStatus after
            // all; whatever may follow the chain is accepted.
            Self::ExpectCertificateStatus(_) => Expected::new(
                &[
                    T::CertificateStatus,
                    T::ServerKeyExchange,
                    T::CertificateRequest,
                    T::ServerHelloDone,
                    T::HelloRequest,
                ],
                R::ExpectedCertificateStatus,
            ),
            Self::ExpectServerKeyExchange(_) => Expected::new(
                &[T::ServerKeyExchange, T::HelloRequest],
                R::ExpectedServerKeyExchange,
            ),
            Self::ExpectCertificateRequestOrDone(_) => Expected::new(
                &[T::CertificateRequest, T::ServerHelloDone, T::HelloRequest],
                R::ExpectedCertificateRequestOrServerHelloDone,
            ),
            Self::ExpectServerHelloDone(_) => Expected::new(
                &[T::ServerHelloDone, T::HelloRequest],
                R::ExpectedServerHelloDone,
            ),
            Self::ExpectFinished(_) => Expected::new(
                &[T::NewSessionTicket, T::Finished, T::HelloRequest],
                R::ExpectedFinished,
            ),
            Self::Traffic(_) => Expected::new(&[T::HelloRequest], R::HandshakeAfterHandshake),
        }
    }

    /// Feeds one message to the current state. A HelloRequest during the
    /// handshake is ignored (RFC 5246 §7.4.1.1).
    pub(crate) fn handle(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<Self, Error> {
        if is_hello_request(message)? && !matches!(self, Self::Traffic(_)) {
            return Ok(self);
        }
        match self {
            Self::ExpectCertificate(s) => s.expect_certificate(common, message),
            Self::ExpectCertificateStatus(s) => s.expect_certificate_status(common, message),
            Self::ExpectServerKeyExchange(s) => s.expect_server_key_exchange(common, message),
            Self::ExpectCertificateRequestOrDone(s) => {
                s.expect_certificate_request_or_done(common, message)
            }
            Self::ExpectServerHelloDone(s) => s.expect_server_hello_done(common, message),
            Self::ExpectFinished(s) => s.expect_finished(common, message),
            Self::Traffic(s) => s.refuse_renegotiation(common).map(Self::Traffic),
        }
    }
}

/// Whether `message` is a HelloRequest (RFC 5246 §7.4.1.1). Its syntax
/// is empty, so one the joiner refused for a body fails here.
pub(super) fn is_hello_request(message: &ReceivedHandshake) -> Result<bool, Error> {
    if message.typ != HandshakeType::HelloRequest {
        return Ok(false);
    }
    message.body()?;
    Ok(true)
}

/// What every state between ServerHello and the server Finished carries.
pub(crate) struct Handshake {
    config: Arc<ClientConfig>,
    server_name: ServerName,
    params: Params,
    log: HandshakeLog,
    /// The server promised a NewSessionTicket (RFC 5077 §3.2).
    ticket_expected: bool,
    /// The session offered and accepted, when resuming.
    resumed: Option<Arc<ClientSessionTls12>>,
    /// The server acknowledged status_request: a CertificateStatus may
    /// follow its Certificate (RFC 6066 §8).
    status_acked: bool,
    /// The SCTs of the ServerHello (RFC 6962 §3.3.1).
    scts: Vec<Vec<u8>>,
    /// What the server's Certificate carries (RFC 7250 §4.2).
    server_certificate_type: CertificateType,
    /// What ours carries, if the server asks for one.
    client_certificate_type: CertificateType,
    /// When renegotiating, the server's end entity until now, which this
    /// handshake must present again ([`check_same_server`]).
    renegotiated_server: Option<Vec<u8>>,
}

/// Reads a TLS 1.0–1.2 ServerHello (RFC 5246 §7.3, §7.4.1.3): checks the
/// suite and every extension against what we offered, decides whether
/// the server resumed our session and hands over.
pub(super) fn handle_server_hello(
    state: ExpectServerHello,
    common: &mut dyn HandshakeIo,
    hello: &ServerHello,
    raw: &[u8],
    version: ProtocolVersion,
) -> Result<State, Error> {
    let suite = offered_suite(&state.config, hello, version)?;
    let extensions = ServerHelloExtensions::read(&state.config, common, hello, suite)?;
    let resumed = resumed_session(
        state.tls12_session,
        state.session_id.as_bytes(),
        hello,
        version,
        &extensions,
    )?;
    let params = Params {
        version,
        client_version: announced_version(&state.config),
        suite,
        client_random: state.random,
        server_random: hello.random,
        extended_master_secret: extensions.extended_master_secret,
        encrypt_then_mac: extensions.encrypt_then_mac,
        max_fragment_length: bound_max_fragment_length(common, resumed.as_deref(), &extensions)?,
    };
    common.set_negotiated_record_version(version);
    common.allow_ccs(false);
    common.report(HandshakeEvent::Version(version));
    common.report(HandshakeEvent::CipherSuite(suite.suite));
    common.report(HandshakeEvent::SessionId(SessionId::from_peer(
        &hello.session_id,
    )?));
    // The messages are kept only when a CertificateVerify of ours may
    // sign them: a full handshake with a certificate to offer.
    let log = HandshakeLog::new(
        params.hash(),
        &[&state.hello_bytes, raw],
        resumed.is_none() && state.config.has_client_certificates(),
    );
    let hs = Handshake {
        config: state.config,
        server_name: state.server_name,
        params,
        log,
        ticket_expected: extensions.ticket_expected,
        resumed,
        status_acked: extensions.status_acked,
        scts: extensions.scts,
        server_certificate_type: extensions.server_certificate_type,
        client_certificate_type: extensions.client_certificate_type,
        renegotiated_server: state.renegotiated_server,
    };
    after_server_hello(hs, common)
}

/// The suite the server chose (RFC 5246 §7.4.1.3): with null
/// compression, one we offered that works with `version`; otherwise
/// `illegal_parameter`.
fn offered_suite(
    config: &ClientConfig,
    hello: &ServerHello,
    version: ProtocolVersion,
) -> Result<Tls12Suite, Error> {
    if hello.compression_method != Compression::Null {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::CompressionNotNull,
        ));
    }
    tls12_suite(hello.cipher_suite)
        .filter(|s| config.common.cipher_suites.contains(&s.suite) && s.usable_with(version))
        .ok_or(Error::IllegalParameter(
            IllegalParameterReason::SuiteNotOffered,
        ))
}

/// What the ServerHello's extensions settled.
struct ServerHelloExtensions {
    /// RFC 7627.
    extended_master_secret: bool,
    /// RFC 7366.
    encrypt_then_mac: bool,
    /// The server promised a NewSessionTicket (RFC 5077 §3.2).
    ticket_expected: bool,
    /// RFC 6066 §8: a CertificateStatus may follow the Certificate.
    status_acked: bool,
    /// RFC 6962 §3.3.1: the SCTs for the server's certificate.
    scts: Vec<Vec<u8>>,
    /// The server's certificate type (RFC 7250 §4.2).
    server_certificate_type: CertificateType,
    /// Ours.
    client_certificate_type: CertificateType,
    /// The max_fragment_length code the server answered (RFC 6066 §4).
    max_fragment_length: Option<u8>,
    /// Whether the server answered our record_size_limit (RFC 8449 §4).
    record_size_limit: bool,
}

impl ServerHelloExtensions {
    /// Reads the ServerHello's extensions (RFC 5246 §7.4.1.4): each must
    /// answer one we offered (RFC 5746 §3.4, RFC 7627 §5.1, RFC 7366 §3,
    /// RFC 5077 §3.2, RFC 8422 §5.2, RFC 7301 §3.1, RFC 6066 §8, RFC 6962
    /// §3.3.1), or it is
    /// `unsupported_extension`. Reports the ALPN protocol chosen, and
    /// refuses a server without the extended master secret when the
    /// configuration requires it.
    fn read(
        config: &ClientConfig,
        common: &mut dyn HandshakeIo,
        hello: &ServerHello,
        suite: Tls12Suite,
    ) -> Result<Self, Error> {
        let mut settled = Self {
            extended_master_secret: false,
            encrypt_then_mac: false,
            ticket_expected: false,
            status_acked: false,
            scts: Vec::new(),
            server_certificate_type: CertificateType::X509,
            client_certificate_type: CertificateType::X509,
            max_fragment_length: None,
            record_size_limit: hello
                .extensions()
                .iter()
                .any(|e| matches!(e, Extension::RecordSizeLimit(_))),
        };
        if common.renegotiation().in_progress() {
            record_size_limit::start_renegotiation(common)?;
        }
        let mut renegotiation_info = None;
        for extension in hello.extensions() {
            match extension {
                Extension::RenegotiationInfo(data) => renegotiation_info = Some(data.as_slice()),
                Extension::ExtendedMasterSecret => settled.extended_master_secret = true,
                // RFC 7366 §2: asked for, the answer is for a CBC suite
                // only; not asked for, it falls to the last arm.
                Extension::EncryptThenMac if offers_encrypt_then_mac(config) => {
                    if !suite.is_cbc() {
                        return Err(Error::IllegalParameter(
                            IllegalParameterReason::EtmWithoutCbc,
                        ));
                    }
                    settled.encrypt_then_mac = true;
                }
                Extension::SessionTicket(ticket) if config.enable_tickets => {
                    if !ticket.is_empty() {
                        return Err(Error::Decode(DecodeReason::TicketAckNotEmpty));
                    }
                    settled.ticket_expected = true;
                }
                // Echoed by some servers though RFC 8422 §5.1 defines it for
                // the ClientHello alone; OpenSSL and BoringSSL clients
                // ignore it too.
                Extension::SupportedGroups(_) => {}
                Extension::EcPointFormats(formats) => {
                    if !formats.contains(&EcPointFormat::Uncompressed) {
                        return Err(Error::IllegalParameter(
                            IllegalParameterReason::ServerPointFormats,
                        ));
                    }
                }
                Extension::Alpn(protocols) if !config.common.alpn_protocols.is_empty() => {
                    common.report(HandshakeEvent::Alpn(
                        chosen_alpn(config, protocols)?.clone(),
                    ));
                }
                Extension::ServerNameAck if common.negotiated().server_name().is_some() => {}
                Extension::RecordSizeLimit(limit) if record_size_limit::offered(&config.common) => {
                    record_size_limit::client_accept(&config.common, common, *limit, false)?;
                }
                Extension::MaxFragmentLength(code) => {
                    record_size_limit::client_accept_max_fragment_length(
                        &config.common,
                        common,
                        *code,
                        settled.record_size_limit,
                        false,
                    )?;
                    settled.max_fragment_length = Some(*code);
                }
                Extension::StatusRequestAck if config.asks_for_ocsp_staple() => {
                    settled.status_acked = true;
                }
                Extension::SctList(scts) if config.request_scts => settled.scts = scts.clone(),
                Extension::ServerCertificateTypeSelected(typ) => {
                    settled.server_certificate_type = certificate_types::accept_answer(
                        &certificate_types::server_offer(config.verifier.certificate_types()),
                        Some(*typ),
                    )?;
                }
                Extension::ClientCertificateTypeSelected(typ) => {
                    settled.client_certificate_type = certificate_types::accept_answer(
                        &certificate_types::client_offer(config),
                        Some(*typ),
                    )?;
                }
                // RFC 5246 §7.4.1.4: anything we did not ask for.
                _ => {
                    return Err(Error::UnsupportedExtension(
                        UnsupportedExtensionReason::NotOffered,
                    ))
                }
            }
        }
        let renegotiation = common.renegotiation_mut();
        renegotiation.check_server_hello(renegotiation_info)?;
        renegotiation.check_extended_master_secret(settled.extended_master_secret)?;
        common.report(HandshakeEvent::ExtendedMasterSecret(
            settled.extended_master_secret,
        ));
        if config.require_extended_master_secret && !settled.extended_master_secret {
            return Err(Error::HandshakeFailure(
                HandshakeFailureReason::ServerWithoutEms,
            ));
        }
        Ok(settled)
    }
}

/// The session the server resumes, if any (RFC 5246 §7.4.1.3): a
/// non-empty session ID echoing ours resumes the session offered, which
/// [`check_resumed`] holds to its parameters; echoing it when we offered
/// no session is `illegal_parameter`.
fn resumed_session(
    offered: Option<Arc<ClientSessionTls12>>,
    session_id: &[u8],
    hello: &ServerHello,
    version: ProtocolVersion,
    extensions: &ServerHelloExtensions,
) -> Result<Option<Arc<ClientSessionTls12>>, Error> {
    let echoed = !hello.session_id.is_empty() && hello.session_id == session_id;
    match offered {
        Some(session) if echoed => {
            check_resumed(
                &session,
                hello,
                version,
                extensions.extended_master_secret,
                extensions.encrypt_then_mac,
            )?;
            Ok(Some(session))
        }
        _ if echoed => Err(Error::IllegalParameter(
            IllegalParameterReason::SessionNotOffered,
        )),
        _ => Ok(None),
    }
}

/// The max_fragment_length code that binds the connection: the server's
/// answer; or, resuming a session that agreed one when the server
/// answered neither it nor our record_size_limit, the session's, applied
/// now, since the length "applies for the duration of the session
/// including session resumptions" (RFC 6066 §4).
fn bound_max_fragment_length(
    common: &mut dyn HandshakeIo,
    resumed: Option<&ClientSessionTls12>,
    extensions: &ServerHelloExtensions,
) -> Result<Option<u8>, Error> {
    let answered = extensions.max_fragment_length;
    let kept = resumed
        .and_then(|session| session.max_fragment_length)
        .filter(|_| answered.is_none() && !extensions.record_size_limit);
    if let Some(code) = kept {
        record_size_limit::apply_max_fragment_length(common, code, false)?;
    }
    Ok(answered.or(kept))
}

/// Where the handshake goes after the ServerHello (RFC 5246 §7.3): in a
/// full handshake the server's Certificate comes next; resuming
/// (Figure 2), the master secret is the session's, and the server's
/// ChangeCipherSpec and Finished come next, ours following them.
fn after_server_hello(hs: Handshake, common: &mut dyn HandshakeIo) -> Result<State, Error> {
    let Some(session) = &hs.resumed else {
        return Ok(State::ExpectCertificate(ExpectCertificate(hs)));
    };
    check_same_server(
        hs.renegotiated_server.as_deref(),
        session.server_certificates.first().map(Vec::as_slice),
    )?;
    let params = hs.params;
    let master =
        resumed_master_secret(&params, session.master_secret.as_bytes(), &hs.config.common)?;
    let (client_write, server_write) = params.protections(&master, &hs.config.common.rng)?;
    common.expect_ccs(server_write);
    common.report(HandshakeEvent::Resumed);
    forget_on_failure(&hs, common, &master);
    common.report(HandshakeEvent::PeerCertificates(
        session.server_certificates.clone(),
    ));
    common.report(HandshakeEvent::Stapled(session.staples.clone()));
    Ok(State::ExpectFinished(ExpectFinished {
        hs,
        master,
        client_write: Some(client_write),
        ticket: None,
        _server: ServerAuthenticated::Resumption,
    }))
}

/// A ServerHello that echoes our offered session ID resumes it: it must
/// keep the session's version and suite (design §3: `illegal_parameter`)
/// and its extended master secret use (RFC 7627 §5.3), and may not turn
/// encrypt-then-MAC off (RFC 7366 §3.1; `handshake_failure`).
fn check_resumed(
    session: &ClientSessionTls12,
    hello: &ServerHello,
    version: ProtocolVersion,
    extended_master_secret: bool,
    encrypt_then_mac: bool,
) -> Result<(), Error> {
    if session.version != version || session.cipher_suite != hello.cipher_suite {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::ResumedParametersChanged,
        ));
    }
    if session.extended_master_secret != extended_master_secret {
        return Err(Error::HandshakeFailure(
            HandshakeFailureReason::ResumptionChangesEms,
        ));
    }
    if session.encrypt_then_mac && !encrypt_then_mac {
        return Err(Error::HandshakeFailure(
            HandshakeFailureReason::ResumptionDropsEtm,
        ));
    }
    Ok(())
}

/// Full handshake: the server's Certificate comes next.
pub(crate) struct ExpectCertificate(Handshake);

impl ExpectCertificate {
    /// Reads the server's chain (RFC 5246 §7.4.2): an empty chain is
    /// `decode_error`. When the server acknowledged status_request, the
    /// chain waits for a CertificateStatus (RFC 6066 §8); otherwise it
    /// is checked at once ([`check_server_chain`]).
    fn expect_certificate(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut hs = self.0;
        let chain = certificate_types::tls12_received(
            message,
            hs.server_certificate_type,
            || decode(message, &hs.params),
            UnexpectedMessageReason::ExpectedCertificate,
        )?;
        hs.log.add(&message.raw);
        if hs.status_acked {
            return Ok(State::ExpectCertificateStatus(ExpectCertificateStatus {
                hs,
                chain,
            }));
        }
        check_server_chain(hs, common, chain, None)
    }
}

/// The server acknowledged status_request and sent its chain; its
/// CertificateStatus may come next.
pub(crate) struct ExpectCertificateStatus {
    hs: Handshake,
    chain: Vec<Vec<u8>>,
}

impl ExpectCertificateStatus {
    /// Reads CertificateStatus (RFC 6066 §8) and checks the chain with
    /// the stapled response. RFC 6066 §8 lets a server that acknowledged
    /// status_request send no CertificateStatus after all: any other
    /// message checks the chain without a staple and goes to the next
    /// state.
    fn expect_certificate_status(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let Self { mut hs, chain } = self;
        match decode(message, &hs.params)? {
            HandshakeMessage::CertificateStatus(status) => {
                hs.log.add(&message.raw);
                check_server_chain(hs, common, chain, Some(status.ocsp_response))
            }
            _ => check_server_chain(hs, common, chain, None)?.handle(common, message),
        }
    }
}

/// Checks the server's chain with the verifier, the staples handed over
/// (RFC 5246 §7.4.2, RFC 6066 §8): a key that cannot authenticate the
/// suite is `illegal_parameter`; a refused chain or staple takes the
/// verifier's alert. The key exchange comes next.
fn check_server_chain(
    mut hs: Handshake,
    common: &mut dyn HandshakeIo,
    chain: Vec<Vec<u8>>,
    ocsp_response: Option<Vec<u8>>,
) -> Result<State, Error> {
    check_same_server(
        hs.renegotiated_server.as_deref(),
        chain.first().map(Vec::as_slice),
    )?;
    let staples = Staples {
        ocsp_response,
        scts: core::mem::take(&mut hs.scts),
    };
    let (verified, public_key) = verify_server_chain(
        &hs.config,
        common,
        &hs.server_name,
        hs.server_certificate_type,
        &chain,
        staples,
        hs.params.suite.server_key_use(),
    )?;
    if !hs.params.suite.authentication.fits(&public_key) {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::KeyDoesNotFitSuite,
        ));
    }
    common.report(HandshakeEvent::PeerCertificates(chain));
    match hs.params.suite.key_exchange {
        KeyExchangeAlgorithm::Ecdhe | KeyExchangeAlgorithm::Dhe => {
            Ok(State::ExpectServerKeyExchange(ExpectServerKeyExchange {
                hs,
                verified,
                public_key,
            }))
        }
        KeyExchangeAlgorithm::Rsa => rsa_key_exchange(hs, verified, &public_key),
    }
}

/// Server chain accepted: its ServerKeyExchange comes next.
pub(crate) struct ExpectServerKeyExchange {
    hs: Handshake,
    verified: ServerCertVerified,
    public_key: PublicKey,
}

impl ExpectServerKeyExchange {
    /// Checks the signed parameters — an ECDHE curve we did not offer is
    /// `illegal_parameter` (RFC 8422 §5.4), a DHE group under 2048 bits
    /// `insufficient_security` (RFC 7919 §3) — and their signature (bad:
    /// `decrypt_error`); then completes our half of the key exchange and
    /// records the group.
    fn expect_server_key_exchange(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut hs = self.hs;
        let HandshakeMessage::ServerKeyExchange(ske) = decode(message, &hs.params)? else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedServerKeyExchange,
            ));
        };
        let rng = &*hs.config.common.rng;
        let (exchange, signed, premaster, group) = match &ske.params {
            ServerKxParams::Ecdh(ecdh) => {
                if !hs.config.common.groups.contains(&ecdh.group) || !is_ecdhe(ecdh.group) {
                    return Err(Error::IllegalParameter(
                        IllegalParameterReason::KxGroupNotOffered,
                    ));
                }
                let signed = verify_ske(&self.public_key, &hs, &ske, common)?;
                let share = KeyShare::generate_with(ecdh.group, rng)?;
                let exchange = ClientKeyExchange::Ecdhe(share.public_key().to_vec());
                let premaster = share.complete(&ecdh.public)?;
                (exchange, signed, premaster, Some(ecdh.group))
            }
            ServerKxParams::Dh(dh) => {
                let group = DhGroup::from_params(&dh.prime, &dh.generator)?;
                let signed = verify_ske(&self.public_key, &hs, &ske, common)?;
                let named = group.named_group();
                let pair = DhKeyPair::generate(group, rng)?;
                let exchange = ClientKeyExchange::Dhe(pair.public_key().to_vec());
                let premaster = pair.complete_tls12(&dh.public)?;
                (exchange, signed, premaster, named)
            }
        };
        if let Some(group) = group {
            common.report(HandshakeEvent::Group(group));
        }
        hs.log.add(&message.raw);
        Ok(State::ExpectCertificateRequestOrDone(
            ExpectServerHelloDone {
                hs,
                server: ServerAuthenticated::SignedKeyExchange(self.verified, signed),
                premaster,
                exchange,
                request: None,
            },
        ))
    }
}

/// Checks the ServerKeyExchange signature with the server's key, and
/// reports its scheme.
fn verify_ske(
    key: &PublicKey,
    hs: &Handshake,
    ske: &ServerKeyExchange,
    common: &mut dyn HandshakeIo,
) -> Result<SignatureVerified, Error> {
    let (verified, scheme) = verify_params(
        key,
        &ske.signature,
        &offered_schemes(&hs.config),
        &hs.params,
        &ske.params,
    )?;
    common.report(scheme);
    Ok(verified)
}

/// RSA key exchange (RFC 5246 §7.4.7.1): no ServerKeyExchange comes; our
/// premaster secret, encrypted to the certificate's key, goes in the
/// ClientKeyExchange.
fn rsa_key_exchange(
    hs: Handshake,
    verified: ServerCertVerified,
    public_key: &PublicKey,
) -> Result<State, Error> {
    let PublicKey::Rsa(der) = public_key else {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::KeyDoesNotFitSuite,
        ));
    };
    let rng = &*hs.config.common.rng;
    let premaster = client_premaster(hs.params.client_version, rng)?;
    let encrypted = encrypt_premaster(der, &premaster, rng)?;
    Ok(State::ExpectCertificateRequestOrDone(
        ExpectServerHelloDone {
            hs,
            server: ServerAuthenticated::KeyTransport(verified),
            premaster,
            exchange: ClientKeyExchange::Rsa(encrypted),
            request: None,
        },
    ))
}

/// Key exchange done on our side; CertificateRequest and ServerHelloDone
/// come next.
pub(crate) struct ExpectServerHelloDone {
    hs: Handshake,
    server: ServerAuthenticated,
    premaster: Secret,
    /// Our ClientKeyExchange.
    exchange: ClientKeyExchange,
    request: Option<CertificateRequestTls12>,
}

impl ExpectServerHelloDone {
    /// Reads CertificateRequest (RFC 5246 §7.4.4) or ServerHelloDone.
    fn expect_certificate_request_or_done(
        mut self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        match decode(message, &self.hs.params)? {
            HandshakeMessage::CertificateRequestTls12(request) => {
                self.hs.log.add(&message.raw);
                self.request = Some(request);
                Ok(State::ExpectServerHelloDone(self))
            }
            HandshakeMessage::ServerHelloDone => self.send_flight(common, message),
            _ => Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedCertificateRequestOrServerHelloDone,
            )),
        }
    }

    /// Reads ServerHelloDone (RFC 5246 §7.4.5).
    fn expect_server_hello_done(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        match decode(message, &self.hs.params)? {
            HandshakeMessage::ServerHelloDone => self.send_flight(common, message),
            _ => Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedServerHelloDone,
            )),
        }
    }

    /// Sends our flight (RFC 5246 §7.3): Certificate when asked (empty
    /// when none fits), ClientKeyExchange, CertificateVerify when we sent
    /// a certificate, ChangeCipherSpec, Finished.
    fn send_flight(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let Self {
            mut hs,
            server,
            premaster,
            exchange,
            request,
        } = self;
        hs.log.add(&message.raw);
        let typ = hs.client_certificate_type;
        let chosen = request.as_ref().map(|request| {
            choose_client_certificate(&hs.config, request, &hs.server_name, hs.params.version, typ)
        });
        if let Some(chosen) = &chosen {
            let key = chosen.as_ref().map(|(key, _)| &**key);
            let bytes = common.send_handshake(&certificate_types::tls12_message(key, typ))?;
            hs.log.add(bytes);
            if let Some((key, _)) = chosen {
                common.report(HandshakeEvent::ClientCertificateType(typ));
                common.report(HandshakeEvent::SentCertificate(key.clone()));
            }
        }
        let bytes = common.send_handshake(&HandshakeMessage::ClientKeyExchange(exchange))?;
        hs.log.add(bytes);
        let master = master_secret(
            &hs.params,
            premaster.as_bytes(),
            &mut hs.log,
            key_logger(&hs.config.common, hs.params.client_random).as_ref(),
        )?;
        if let Some(Some((key, scheme))) = &chosen {
            let signed = sign(key.key(), *scheme, hs.log.messages()?)?;
            let bytes = common.send_handshake(&HandshakeMessage::CertificateVerify(signed))?;
            hs.log.add(bytes);
        }
        let (client_write, server_write) = hs.params.protections(&master, &hs.config.common.rng)?;
        send_finished(common, &mut hs, &master, client_write)?;
        common.expect_ccs(server_write);
        if false_starts(&hs, common) {
            common.set_tls12_exporter(Tls12Exporter::copied(
                &master,
                hs.params.client_random,
                hs.params.server_random,
            ));
            common.start_writes_before_peer_finished()?;
        }
        Ok(State::ExpectFinished(ExpectFinished {
            hs,
            master,
            client_write: None,
            ticket: None,
            _server: server,
        }))
    }
}

/// Whether this full handshake False Starts (RFC 7918, when
/// [`ClientConfig::false_start`] is on): TLS 1.2, a forward-secret key
/// exchange (§5.2), an AEAD suite (§5.1), an agreed ALPN protocol, and not
/// a renegotiation, whose application data already flows.
fn false_starts(hs: &Handshake, common: &dyn HandshakeIo) -> bool {
    let suite = &hs.params.suite;
    hs.config.false_start
        && hs.params.version == ProtocolVersion::TLSv1_2
        && suite.key_exchange != KeyExchangeAlgorithm::Rsa
        && !suite.is_cbc()
        && common.negotiated().alpn().is_some()
        && !common.renegotiation().in_progress()
}

/// The first client certificate that can be sent as `typ` (RFC 7250),
/// whose key type the request lists, whose keyUsage allows signing
/// (RFC 5246 §7.4.6) and that can sign, those under a CA
/// the request names first (RFC 5246 §7.4.4): in TLS 1.2 with a
/// scheme the request accepts (RFC 5246 §7.4.4), in TLS 1.0/1.1 (no
/// scheme list, RFC 4346 §7.4.4) with its type's legacy algorithm; the
/// candidates are the configuration's or its resolver's
/// ([`certificate_types::client_candidates`]). `None` when none fits (an
/// empty Certificate is sent).
fn choose_client_certificate(
    config: &ClientConfig,
    request: &CertificateRequestTls12,
    server_name: &ServerName,
    version: ProtocolVersion,
    typ: CertificateType,
) -> Option<(Arc<crate::pki::CertifiedKey>, Option<SignatureScheme>)> {
    let accepted = request.signature_schemes.as_deref().unwrap_or_default();
    let info = CertificateRequestInfo {
        version,
        server_name,
        authorities: &request.certificate_authorities,
        signature_schemes: accepted,
        certificate_type: typ,
        post_handshake: false,
    };
    let candidates = certificate_types::client_candidates(config, &info);
    candidates.iter().find_map(|certified| {
        let kind = Authentication::of(&certified.key().public_key());
        if !request.certificate_types.contains(&kind.certificate_type())
            || !KeyUse::Sign.allowed_by(certified)
        {
            return None;
        }
        choose_signature(
            certified,
            version,
            accepted,
            &config.common.signature_schemes,
        )
        .map(|scheme| (certified.clone(), scheme))
    })
}

/// Sends ChangeCipherSpec, switches writing to `client_write` and sends
/// our Finished over the messages so far (RFC 5246 §7.4.9).
fn send_finished(
    common: &mut dyn HandshakeIo,
    hs: &mut Handshake,
    master: &MasterSecret,
    client_write: Box<dyn RecordProtection>,
) -> Result<(), Error> {
    hs.params.change_write_cipher(common, client_write)?;
    let verify_data = master.verify_data(Sender::Client, &hs.log.hash())?;
    common
        .renegotiation_mut()
        .record_finished(Sender::Client, &verify_data);
    let bytes = common.send_handshake(&HandshakeMessage::Finished(verify_data.into()))?;
    hs.log.add(bytes);
    Ok(())
}

/// How the server proved who it is.
pub(crate) enum ServerAuthenticated {
    /// A chain the verifier accepted, whose key signed the ECDHE
    /// parameters (RFC 8422 §5.4).
    SignedKeyExchange(ServerCertVerified, SignatureVerified),
    /// A chain the verifier accepted, to whose key our premaster secret
    /// was encrypted: only its holder can compute the Finished that
    /// completes the handshake (RFC 5246 §7.4.7.1, §F.1.1.2).
    KeyTransport(ServerCertVerified),
    /// It knew the resumed session's master secret (its Finished).
    Resumption,
}

/// \[NewSessionTicket\], ChangeCipherSpec and the server's Finished come
/// next.
pub(crate) struct ExpectFinished {
    hs: Handshake,
    master: MasterSecret,
    /// Resuming: our write protection, installed after the server's
    /// Finished.
    client_write: Option<Box<dyn RecordProtection>>,
    ticket: Option<NewSessionTicketTls12>,
    _server: ServerAuthenticated,
}

impl ExpectFinished {
    /// Reads the promised NewSessionTicket (RFC 5077 §3.3), then the
    /// server's Finished (RFC 5246 §7.4.9), which must follow its
    /// ChangeCipherSpec (`unexpected_message`) and verify
    /// (`decrypt_error`). Resuming, our ChangeCipherSpec and Finished
    /// follow. The session is then stored for resumption.
    fn expect_finished(
        mut self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        match decode(message, &self.hs.params)? {
            HandshakeMessage::NewSessionTicketTls12(ticket)
                if self.hs.ticket_expected && self.ticket.is_none() && common.ccs_pending() =>
            {
                self.hs.log.add(&message.raw);
                self.ticket = Some(ticket);
                Ok(State::ExpectFinished(self))
            }
            HandshakeMessage::Finished(verify_data) => {
                if common.ccs_pending() {
                    return Err(Error::UnexpectedMessage(
                        UnexpectedMessageReason::FinishedBeforeCcs,
                    ));
                }
                if self.hs.ticket_expected && self.ticket.is_none() {
                    return Err(Error::UnexpectedMessage(
                        UnexpectedMessageReason::ExpectedNewSessionTicket,
                    ));
                }
                let mut hs = self.hs;
                let (finished, verified) = verify_tls12_finished(
                    &self.master,
                    Sender::Server,
                    &hs.log.hash(),
                    &verify_data,
                )?;
                common
                    .renegotiation_mut()
                    .record_finished(Sender::Server, &verified);
                hs.log.add(&message.raw);
                if let Some(client_write) = self.client_write {
                    send_finished(common, &mut hs, &self.master, client_write)?;
                }
                store_session(&mut hs, common, &self.master, self.ticket)?;
                forget_on_failure(&hs, common, &self.master);
                common.set_tls12_exporter(Tls12Exporter::new(
                    self.master,
                    hs.params.client_random,
                    hs.params.server_random,
                ));
                common.start_tls12_traffic()?;
                Ok(State::Traffic(Traffic {
                    _server: self._server,
                    _finished: finished,
                    renegotiations: RefusedRenegotiations::new(&hs.config.common.limits),
                    config: hs.config,
                    server_name: hs.server_name,
                }))
            }
            _ => Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedFinished,
            )),
        }
    }
}

/// Keeps the session in the client store (design §3): the server's
/// session ID from a full handshake (the one first cached when resuming),
/// the newest ticket, the master secret and what resumption must keep.
/// A resumed session is kept with the master secret, chain and name it
/// already holds (they are this connection's too): the offered session
/// itself when nothing about it changed, otherwise a copy with the
/// changes. A session with neither ID nor ticket cannot be resumed and is
/// not kept.
fn store_session(
    hs: &mut Handshake,
    common: &dyn HandshakeIo,
    master: &MasterSecret,
    ticket: Option<NewSessionTicketTls12>,
) -> Result<(), Error> {
    let Some(store) = common.client_sessions() else {
        return Ok(());
    };
    let now = hs.config.common.clock.now();
    let server_name = hs.server_name.as_text();
    let params = &hs.params;
    let ticket = ticket.filter(|t| !t.ticket.is_empty());
    let mut session = match hs.resumed.take() {
        // Resuming kept the session's version, suite and extended master
        // secret use (`check_resumed`): with no new ticket and the same
        // encrypt-then-MAC use, it is the very session offered (which had
        // an ID or a ticket, or it could not have been resumed).
        Some(old) if ticket.is_none() && old.encrypt_then_mac == params.encrypt_then_mac => {
            store.put_tls12(&server_name, old);
            return Ok(());
        }
        Some(old) => {
            // The store's copy is replaced below: dropping it first lets
            // the session be taken over rather than copied when no other
            // connection holds it.
            store.remove_tls12(&server_name);
            ClientSessionTls12 {
                version: params.version,
                cipher_suite: params.suite.suite,
                extended_master_secret: params.extended_master_secret,
                encrypt_then_mac: params.encrypt_then_mac,
                unknown_fields: Default::default(),
                ..Arc::unwrap_or_clone(old)
            }
        }
        None => ClientSessionTls12 {
            version: params.version,
            cipher_suite: params.suite.suite,
            session_id: SessionId::from_peer(common.negotiated().session_id())?,
            ticket: None,
            master_secret: master.secret().clone(),
            extended_master_secret: params.extended_master_secret,
            encrypt_then_mac: params.encrypt_then_mac,
            max_fragment_length: params.max_fragment_length,
            server_certificates: common.negotiated().peer_certificates().to_vec(),
            staples: common.negotiated().staples().clone(),
            server_name: server_name.clone().into_owned(),
            validity: Validity::new(now, DEFAULT_LIFETIME_SECS),
            unknown_fields: Default::default(),
        },
    };
    if let Some(t) = ticket {
        let lifetime = if t.lifetime_hint == 0 {
            DEFAULT_LIFETIME_SECS
        } else {
            t.lifetime_hint
        };
        session.ticket = Some(crate::session::state::Tls12Ticket {
            lifetime_hint: t.lifetime_hint,
            ticket: t.ticket,
        });
        session.validity = Validity::new(now, lifetime);
    }
    if session.session_id.is_empty() && session.ticket.is_none() {
        store.remove_tls12(&server_name);
        return Ok(());
    }
    store.put_tls12(&server_name, Arc::new(session));
    Ok(())
}

/// RFC 5246 §7.2.2: a failure of this connection from now on makes us
/// forget the session of `master` we keep for this server (the one
/// resumed, or the one just stored), if we still keep it then.
fn forget_on_failure(hs: &Handshake, common: &mut dyn HandshakeIo, master: &MasterSecret) {
    if let Some(store) = common.client_sessions() {
        let server_name = hs.server_name.as_text().into_owned();
        common.forget_on_failure(FailedSession::Client(
            store,
            server_name,
            Tls12SessionMark::of(master.secret()),
        ));
    }
}

/// Handshake complete.
pub(crate) struct Traffic {
    _server: ServerAuthenticated,
    _finished: FinishedVerified,
    /// Renegotiation attempts refused so far.
    renegotiations: RefusedRenegotiations,
    /// What a renegotiation's ClientHello is built from
    /// (`renegotiation.rs`).
    pub(super) config: Arc<ClientConfig>,
    pub(super) server_name: ServerName,
}

impl Traffic {
    /// Refuses a HelloRequest with a no_renegotiation warning, and the
    /// connection carries on (RFC 5746 §4.5 allows refusing), at most
    /// `Limits::max_refused_renegotiations` times.
    pub(super) fn refuse_renegotiation(
        mut self,
        common: &mut dyn HandshakeIo,
    ) -> Result<Self, Error> {
        self.renegotiations.refuse(common)?;
        Ok(self)
    }
}

/// A renegotiation may not change who the server is: the end-entity
/// certificate (or raw public key) the new handshake presents, or its
/// resumed session holds, must be `before`, the one the connection
/// authenticated until now; otherwise `illegal_parameter`. RFC 5746
/// leaves this open; it is the client's defence against the triple
/// handshake attack (RFC 7627 §1) when the server has no extended master
/// secret, and BoringSSL, Go and NSS clients refuse a changed certificate
/// likewise. `before` is `None` outside a renegotiation.
fn check_same_server(before: Option<&[u8]>, now: Option<&[u8]>) -> Result<(), Error> {
    match before {
        Some(before) if now != Some(before) => Err(Error::IllegalParameter(
            IllegalParameterReason::ServerCertificateChanged,
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_renegotiation_must_present_the_same_end_entity() {
        let changed = Err(Error::IllegalParameter(
            IllegalParameterReason::ServerCertificateChanged,
        ));
        assert_eq!(check_same_server(None, Some(b"first")), Ok(()));
        assert_eq!(check_same_server(Some(b"first"), Some(b"first")), Ok(()));
        assert_eq!(check_same_server(Some(b"first"), Some(b"other")), changed);
        assert_eq!(check_same_server(Some(b"first"), None), changed);
    }
}
