//! The server's TLS 1.0–1.2 handshake (RFC 5246 §7.3): from the
//! ClientHello to the traffic state, full or abbreviated (by session ID
//! or RFC 5077 ticket), parameterised by the negotiated version.
//!
//! ```text
//! ClientHello ─(full: ServerHello … ServerHelloDone)─┬─(request)─> ExpectCertificate
//!      │                                             v                    │
//!      │                              ExpectClientKeyExchange <───────────┘
//!      │                                             │ (client certificate)
//!      │                                             ├──> ExpectCertificateVerify
//!      │ (resumed: ServerHello, [ticket], CCS, Finished)  v                │
//!      └──────────────────────────────> ExpectFinished (CCS first) <──────┘
//!                                                    v
//!                                                 Traffic
//! ```

use std::sync::Arc;

use super::hello::{certificate_candidates, choose_alpn, host_name, suites_in_preference};
use crate::common_state::{
    EarlyDataReason, HandshakeEvent, HandshakeIo, ReceivedHandshake, Renegotiation,
};
use crate::config::{ClientAuth, ServerConfig};
use crate::crypto::ffdhe::{is_ffdhe, DhGroup, DhKeyPair};
use crate::crypto::groups::is_ecdhe;
use crate::crypto::kx::KeyShare;
use crate::crypto::rng::random_array;
use crate::crypto::rsa_kx::decrypt_premaster;
use crate::crypto::verify::PublicKey;
use crate::error::{
    CryptoReason, Error, HandshakeFailureReason, IllegalParameterReason,
    InsufficientSecurityReason, UnexpectedMessageReason,
};
use crate::handshake::authorities::{advertised, preferred};
use crate::handshake::record_size_limit;
use crate::handshake::stapling;
use crate::handshake::tls12::{
    choose_signature, decode, master_secret, resumed_master_secret, sign_params,
    tls12_offered_schemes, tls12_suite, HandshakeLog, Params, RefusedRenegotiations, Tls12Suite,
    DEFAULT_TLS12_SCHEMES,
};
use crate::handshake::{
    certificate_types, key_logger, verify_signed, verify_tls12_finished, Expected,
    FinishedVerified, ForName, SignatureVerified,
};
use crate::keyschedule::tls12::{MasterSecret, Sender, Tls12Exporter};
use crate::msgs::certificate::CertificateRequestTls12;
use crate::msgs::certificate_status::CertificateStatus;
use crate::msgs::client_hello_extensions::ClientHelloExtensions;
use crate::msgs::enums::{
    CertificateType, CipherSuite, ClientCertificateType, Compression, EcPointFormat, HandshakeType,
    NamedGroup, ProtocolVersion, SignatureScheme,
};
use crate::msgs::extensions::Extension;
use crate::msgs::handshake::HandshakeMessage;
use crate::msgs::hello::{
    ClientHello, HelloSessionId, ServerHello, CIPHER_SUITES_INLINE, DOWNGRADE_SENTINEL_TLS11,
    DOWNGRADE_SENTINEL_TLS12, RANDOM_LEN,
};
use crate::msgs::inline_list::InlineList;
use crate::msgs::key_exchange::{
    ClientKeyExchange, KeyExchangeAlgorithm, ServerDhParams, ServerEcdhParams, ServerKeyExchange,
    ServerKxParams,
};
use crate::msgs::ticket::NewSessionTicketTls12;
use crate::pki::{CertifiedKey, ClientCertVerified};
use crate::record::RecordProtection;
use crate::session::state::lifetime_within_cap;
use crate::session::store::FailedSession;
use crate::session::ticketer::{seal_state, unseal_state, TicketRejection};
use crate::session::{
    check_resumption, store_key, ResumptionOffer, ResumptionRefusal, ServerSessionState,
    ServerSessionStore, SessionId, StoreKey, StoreKeyKind, Validity,
};
use crate::time::UnixTime;

/// The server's TLS 1.0–1.2 states; each consumes itself on a message.
pub(crate) enum State {
    /// CertificateRequest sent: the client's Certificate comes next.
    ExpectCertificate(ExpectCertificate),
    /// The client's ClientKeyExchange comes next.
    ExpectClientKeyExchange(ExpectClientKeyExchange),
    /// Client chain accepted: its CertificateVerify comes next.
    ExpectCertificateVerify(ExpectCertificateVerify),
    /// ChangeCipherSpec and the client's Finished come next.
    ExpectFinished(ExpectFinished),
    /// Handshake complete.
    Traffic(Traffic),
}

impl State {
    /// The messages this state accepts (see [`Expected`]); in traffic a
    /// ClientHello is a renegotiation.
    pub(crate) fn expected(&self) -> Expected {
        use HandshakeType as T;
        use UnexpectedMessageReason as R;
        match self {
            Self::ExpectCertificate(_) => {
                Expected::new(&[T::Certificate], R::ExpectedClientCertificate)
            }
            Self::ExpectClientKeyExchange(_) => {
                Expected::new(&[T::ClientKeyExchange], R::ExpectedClientKeyExchange)
            }
            Self::ExpectCertificateVerify(_) => {
                Expected::new(&[T::CertificateVerify], R::ExpectedCertificateVerify)
            }
            Self::ExpectFinished(_) => Expected::new(&[T::Finished], R::ExpectedFinished),
            Self::Traffic(_) => Expected::new(&[T::ClientHello], R::HandshakeAfterHandshake),
        }
    }

    /// Feeds one message to the current state.
    pub(crate) fn handle(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<Self, Error> {
        match self {
            Self::ExpectCertificate(s) => s.expect_certificate(common, message),
            Self::ExpectClientKeyExchange(s) => s.expect_client_key_exchange(common, message),
            Self::ExpectCertificateVerify(s) => s.expect_certificate_verify(common, message),
            Self::ExpectFinished(s) => s.expect_finished(common, message),
            Self::Traffic(s) => s.refuse_renegotiation(common).map(Self::Traffic),
        }
    }
}

/// What the server takes from a ClientHello's extensions (RFC 5246
/// §7.4.1.4): the extensions, and what it decided on them.
struct Offer<'a> {
    extensions: ClientHelloExtensions<'a>,
    server_name: Option<String>,
    point_formats: bool,
    extended_master_secret: bool,
    encrypt_then_mac: bool,
    secure_renegotiation: bool,
    record_size_limit: Option<record_size_limit::Agreed>,
}

impl<'a> Offer<'a> {
    /// Checks the extensions. One used only up to TLS 1.2 whose body did
    /// not parse is `decode_error` here, where it matters (RFC 5246
    /// §7.4.1.4). The secure renegotiation signal is checked by
    /// `renegotiation` (RFC 5746 §3.6, §3.7); point formats without the
    /// uncompressed one are `illegal_parameter` (RFC 8422 §5.1.2).
    /// Extensions the configuration turns off count as not offered.
    fn read(
        hello: &ClientHello,
        extensions: ClientHelloExtensions<'a>,
        config: &ServerConfig,
        renegotiation: &mut Renegotiation,
    ) -> Result<Self, Error> {
        let server_name = host_name(extensions.server_name)?;
        if let Some(formats) = extensions.ec_point_formats {
            if !formats.contains(&EcPointFormat::Uncompressed) {
                return Err(Error::IllegalParameter(
                    IllegalParameterReason::ClientPointFormats,
                ));
            }
        }
        let secure_renegotiation = renegotiation.check_client_hello(
            extensions.renegotiation_info,
            hello
                .cipher_suites
                .contains(&CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV),
        )?;
        Ok(Self {
            server_name,
            point_formats: extensions.ec_point_formats.is_some(),
            extended_master_secret: extensions.extended_master_secret
                && config.enable_extended_master_secret,
            encrypt_then_mac: extensions.encrypt_then_mac && config.enable_encrypt_then_mac,
            record_size_limit: record_size_limit::server_agreement(
                &config.common,
                extensions.record_size_limit,
                extensions.max_fragment_length,
                false,
            ),
            secure_renegotiation,
            extensions,
        })
    }

    /// Whether an ECDSA key's curve is one the client lists: "the public
    /// key in the server's certificate MUST respect the client's choice
    /// of elliptic curves" (RFC 8422 §5.3). Other keys, and any curve for
    /// a client without supported_groups (RFC 8422 §4), pass.
    fn takes_curve_of(&self, key: &PublicKey) -> bool {
        let curve = match key {
            PublicKey::EcdsaP256(_) => NamedGroup::secp256r1,
            PublicKey::EcdsaP384(_) => NamedGroup::secp384r1,
            PublicKey::EcdsaP521(_) => NamedGroup::secp521r1,
            _ => return true,
        };
        self.extensions
            .supported_groups
            .is_none_or(|groups| groups.contains(&curve))
    }

    /// The max_fragment_length code we agree to (RFC 6066 §4), which
    /// binds the session: none when the client sent none or we answer
    /// its record_size_limit instead (RFC 8449 §5).
    fn max_fragment_length(&self) -> Option<u8> {
        self.record_size_limit
            .and_then(|agreed| agreed.max_fragment_length())
    }

    /// The schemes the client accepts: its signature_algorithms, or the
    /// RFC 5246 §7.4.1.4.1 default.
    fn schemes(&self) -> &[SignatureScheme] {
        self.extensions
            .signature_algorithms
            .unwrap_or(DEFAULT_TLS12_SCHEMES)
    }
}

/// Handles a ClientHello that chose TLS 1.0–1.2 (RFC 5246 §7.3): resumes
/// a fitting session (ticket first, then session ID) or runs the full
/// handshake with a fresh session ID (design §3).
pub(super) fn handle_client_hello(
    config: Arc<ServerConfig>,
    common: &mut dyn HandshakeIo,
    hello: &ClientHello,
    extensions: ClientHelloExtensions<'_>,
    raw: &[u8],
    version: ProtocolVersion,
) -> Result<super::State, Error> {
    let offer = read_offer(hello, extensions, &config, common.renegotiation_mut())?;
    common
        .renegotiation_mut()
        .check_extended_master_secret(offer.extended_master_secret)?;
    common.report(HandshakeEvent::ExtendedMasterSecret(
        offer.extended_master_secret,
    ));
    common.allow_ccs(false);
    common.set_negotiated_record_version(version);
    let renegotiating = common.renegotiation().in_progress();
    if renegotiating {
        record_size_limit::start_renegotiation(common)?;
    }
    if let Some(agreed) = &offer.record_size_limit {
        agreed.apply_peer(common)?;
        // Every protected record of a first TLS ≤ 1.2 handshake comes
        // after the hellos.
        if !renegotiating {
            agreed.apply_own(common)?;
        }
    }
    let alpn = choose_alpn(&config, offer.extensions.alpn)?;
    // A renegotiation is always a full handshake, so that it
    // authenticates afresh (a client certificate asked for now).
    let resumed = match renegotiating {
        true => None,
        false => find_session(&config, common, hello, &offer, version)?,
    };
    let mut random = random_array::<RANDOM_LEN>(&*config.common.rng)?;
    set_downgrade_sentinel(&config, version, &mut random);
    common.report(HandshakeEvent::Version(version));
    // 0-RTT is TLS 1.3's (RFC 8446 §4.2.10).
    common.report(HandshakeEvent::EarlyDataReason(
        match config.max_early_data_size {
            0 => EarlyDataReason::Disabled,
            _ => EarlyDataReason::ProtocolVersion,
        },
    ));
    if let Some(value) = alpn {
        common.report(HandshakeEvent::Alpn(value));
    }
    if let Some(value) = offer.server_name.clone() {
        common.report(HandshakeEvent::ServerName(value));
    }
    let hello = Hello {
        hello,
        offer: &offer,
        version,
        random,
        raw,
    };
    match resumed {
        Some(session) => resume_session(config, common, hello, session),
        None => start_full_handshake(config, common, hello),
    }
    .map(super::State::Tls12)
}

/// Checks the ClientHello's fixed fields and extensions (RFC 5246
/// §7.4.1.2): null compression must be offered; a client without the
/// extended master secret is `handshake_failure` when we require it
/// (RFC 7627 §5.2).
fn read_offer<'a>(
    hello: &ClientHello,
    extensions: ClientHelloExtensions<'a>,
    config: &ServerConfig,
    renegotiation: &mut Renegotiation,
) -> Result<Offer<'a>, Error> {
    if !hello.compression_methods.contains(&Compression::Null) {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::NullCompressionMissing,
        ));
    }
    let offer = Offer::read(hello, extensions, config, renegotiation)?;
    if config.require_extended_master_secret && !offer.extended_master_secret {
        return Err(Error::HandshakeFailure(
            HandshakeFailureReason::ClientWithoutEms,
        ));
    }
    Ok(offer)
}

/// What the ServerHello is built from: the ClientHello, what the server
/// took from it, the version and our random, and the messages so far.
struct Hello<'h> {
    hello: &'h ClientHello,
    offer: &'h Offer<'h>,
    version: ProtocolVersion,
    random: [u8; RANDOM_LEN],
    /// The ClientHello as received, the first message of the log.
    raw: &'h [u8],
}

impl Hello<'_> {
    /// The connection's parameters with `suite` and the extended master
    /// secret and encrypt-then-MAC settings given.
    fn params(&self, suite: Tls12Suite, ems: bool, etm: bool) -> Params {
        Params {
            version: self.version,
            client_version: self.hello.legacy_version,
            suite,
            client_random: self.hello.random,
            server_random: self.random,
            extended_master_secret: ems,
            encrypt_then_mac: etm && suite.is_cbc(),
            max_fragment_length: self.offer.max_fragment_length(),
        }
    }
}

/// The abbreviated handshake (RFC 5246 §7.3, RFC 5077 §3.1): ServerHello
/// echoing the client's session ID, \[NewSessionTicket\], then our
/// ChangeCipherSpec and Finished under the resumed master secret; the
/// client's ChangeCipherSpec and Finished come next.
fn resume_session(
    config: Arc<ServerConfig>,
    common: &mut dyn HandshakeIo,
    hello: Hello<'_>,
    session: ServerSessionState,
) -> Result<State, Error> {
    let suite =
        tls12_suite(session.cipher_suite).ok_or(Error::Crypto(CryptoReason::CachedSuiteUnknown))?;
    let params = hello.params(
        suite,
        session.extended_master_secret,
        session.encrypt_then_mac,
    );
    let send_ticket =
        hello.offer.extensions.session_ticket.is_some() && config.tickets_after_resumption > 0;
    let implied = certificate_types::Negotiated::IMPLIED_X509;
    let extensions = server_hello_extensions(
        hello.offer,
        &params,
        send_ticket,
        false,
        (implied, implied),
        common,
    );
    // Design §3: the echo is S (by ID) or the client's C (ticket).
    // No CertificateVerify in an abbreviated handshake: the hash is enough.
    let mut log = HandshakeLog::new(params.hash(), &[hello.raw], false);
    log.add(send_server_hello(
        common,
        &params,
        hello.hello.session_id.clone(),
        extensions,
    )?);
    common.report(HandshakeEvent::CipherSuite(suite.suite));
    // RFC 5246 §7.2.2: a failure of this connection invalidates the
    // session, which is T whether the client offered it by ID or ticket.
    if let Some((cache, key)) = cached_under(&config, session.session_id.as_bytes()) {
        common.forget_on_failure(FailedSession::Server(cache, key));
    }
    common.report(HandshakeEvent::SessionId(session.session_id));
    common.report(HandshakeEvent::Resumed);
    common.report(HandshakeEvent::PeerCertificates(
        session.peer_certificates.clone(),
    ));
    if let Some(data) = &session.resumption_data {
        common.report(HandshakeEvent::ResumptionData(data.clone()));
    }
    let master = resumed_master_secret(&params, session.secret.as_bytes(), &config.common)?;
    let mut hs = Handshake {
        config,
        params,
        log,
        master,
        send_ticket,
        authenticated: Some(session.authenticated_at()),
    };
    let (client_write, server_write) = hs.params.protections(&hs.master, &hs.config.common.rng)?;
    if hs.send_ticket {
        send_new_ticket(&mut hs, common)?;
    }
    send_finished(&mut hs, common, server_write)?;
    common.expect_ccs(client_write);
    Ok(State::ExpectFinished(ExpectFinished {
        hs,
        server_write: None,
        client: ClientIdentity::Resumed,
    }))
}

/// The server's flight of a full handshake (RFC 5246 §7.3): ServerHello
/// with a fresh session ID S (design §3), Certificate, [CertificateStatus]
/// (RFC 6066 §8, when the client asked and we staple), ServerKeyExchange
/// (ECDHE), \[CertificateRequest\], ServerHelloDone; the client's
/// \[Certificate\] and ClientKeyExchange come next.
fn start_full_handshake(
    config: Arc<ServerConfig>,
    common: &mut dyn HandshakeIo,
    hello: Hello<'_>,
) -> Result<State, Error> {
    let offer = hello.offer;
    let Choice {
        suite,
        certificate,
        scheme,
        group,
    } = choose_suite(&config, hello.hello, offer, hello.version)?;
    let types = certificate_types::negotiate_for_server(&config, &offer.extensions, &certificate)?;
    let params = hello.params(suite, offer.extended_master_secret, offer.encrypt_then_mac);
    let send_ticket =
        offer.extensions.session_ticket.is_some() && config.tickets_after_full_handshake > 0;
    let session_id = SessionId::random(&*config.common.rng)?;
    let staples = stapling::to_send(&offer.extensions, &certificate);
    let mut extensions = server_hello_extensions(offer, &params, send_ticket, true, types, common);
    extensions.extend(stapling::server_hello_extensions(&staples));
    // The messages are kept when a client certificate may be asked for,
    // for its CertificateVerify.
    let mut log = HandshakeLog::new(
        params.hash(),
        &[hello.raw],
        config.client_auth.verifier().is_some(),
    );
    log.add(send_server_hello(
        common,
        &params,
        session_id.as_bytes().into(),
        extensions,
    )?);
    let (server_type, client_type) = (types.0.typ, types.1.typ);
    log.add(common.send_handshake(&certificate_types::tls12_message(
        Some(&certificate),
        server_type,
    ))?);
    common.report(HandshakeEvent::SentCertificate(certificate.clone()));
    common.report(HandshakeEvent::ServerCertificateType(server_type));
    if let Some(der) = &staples.ocsp_response {
        // RFC 6066 §8: CertificateStatus right after the Certificate.
        log.add(common.send_handshake(&HandshakeMessage::CertificateStatus(
            CertificateStatus {
                ocsp_response: der.clone(),
            },
        ))?);
    }
    common.report(HandshakeEvent::Stapled(staples));
    let agreement = match group {
        Some(group) => send_server_key_exchange(
            &config,
            common,
            &mut log,
            &params,
            &certificate,
            scheme,
            group,
        )?,
        // RFC 5246 §7.4.3: no ServerKeyExchange; the client encrypts to
        // the certificate's key.
        None => KeyAgreement::Rsa(certificate),
    };
    let request = request_client_certificate(&config, common, &mut log, &params)?;
    log.add(common.send_handshake(&HandshakeMessage::ServerHelloDone)?);
    common.report(HandshakeEvent::CipherSuite(suite.suite));
    common.report(HandshakeEvent::SessionId(session_id));
    let flight = ClientFlight {
        authenticated: None,
        config,
        params,
        log,
        agreement,
        send_ticket,
        client_certificate_type: client_type,
    };
    Ok(if request {
        State::ExpectCertificate(ExpectCertificate(flight))
    } else {
        State::ExpectClientKeyExchange(ExpectClientKeyExchange {
            flight,
            client: ClientCertificate::Absent(ClientIdentity::NotRequested),
        })
    })
}

/// Sends the ServerKeyExchange (RFC 8422 §5.4 for ECDHE, RFC 5246 §7.4.3
/// for DHE): our ephemeral key in `group`, signed by the certificate's key
/// with `scheme`; returns the key for the client's public value.
fn send_server_key_exchange(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    log: &mut HandshakeLog,
    params: &Params,
    certificate: &CertifiedKey,
    scheme: Option<SignatureScheme>,
    group: NamedGroup,
) -> Result<KeyAgreement, Error> {
    let rng = &*config.common.rng;
    let (agreement, kx) = match DhGroup::named(group) {
        Some(dh) => {
            let pair = DhKeyPair::generate(dh, rng)?;
            let kx = ServerKxParams::Dh(ServerDhParams {
                prime: pair.group().prime().to_vec(),
                generator: pair.group().generator().to_vec(),
                public: pair.public_key().to_vec(),
            });
            (KeyAgreement::Dhe(pair), kx)
        }
        None => {
            let share = KeyShare::generate_with(group, rng)?;
            let kx = ServerKxParams::Ecdh(ServerEcdhParams {
                group,
                public: share.public_key().to_vec(),
            });
            (KeyAgreement::Ecdhe(share), kx)
        }
    };
    let signature = sign_params(certificate, scheme, params, &kx)?;
    log.add(
        common.send_handshake(&HandshakeMessage::ServerKeyExchange(ServerKeyExchange {
            params: kx,
            signature,
        }))?,
    );
    common.report(HandshakeEvent::Group(group));
    Ok(agreement)
}

/// Sends a CertificateRequest (RFC 5246 §7.4.4) when a client verifier is
/// configured: RSA and ECDSA certificates, our signature schemes (TLS 1.2
/// only) and the verifier's root names. Returns whether it was sent.
fn request_client_certificate(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    log: &mut HandshakeLog,
    params: &Params,
) -> Result<bool, Error> {
    let Some(verifier) = config.client_auth.verifier() else {
        return Ok(false);
    };
    let request = CertificateRequestTls12 {
        certificate_types: vec![
            ClientCertificateType::RsaSign,
            ClientCertificateType::EcdsaSign,
        ],
        signature_schemes: (params.version == ProtocolVersion::TLSv1_2)
            .then(|| tls12_offered_schemes(&config.common.signature_schemes).into_owned()),
        certificate_authorities: advertised(verifier.root_subjects()),
    };
    log.add(common.send_handshake(&HandshakeMessage::CertificateRequestTls12(request))?);
    Ok(true)
}

/// Ends the server random with the downgrade sentinel (RFC 9846 §4.2.3):
/// the TLS 1.2 one when a server that supports TLS 1.3 negotiates 1.2,
/// and the TLS 1.1 one whenever any server negotiates 1.1 or below
/// (RFC 8446 §4.1.3 asked it only of servers supporting 1.2 or 1.3; RFC
/// 9846 of every server that still negotiates those versions).
fn set_downgrade_sentinel(
    config: &ServerConfig,
    version: ProtocolVersion,
    random: &mut [u8; RANDOM_LEN],
) {
    let sentinel = if version == ProtocolVersion::TLSv1_2 {
        config
            .common
            .versions
            .contains(&ProtocolVersion::TLSv1_3)
            .then_some(DOWNGRADE_SENTINEL_TLS12)
    } else {
        Some(DOWNGRADE_SENTINEL_TLS11)
    };
    if let Some(sentinel) = sentinel {
        let tail = RANDOM_LEN - sentinel.len();
        if let Some(end) = random.get_mut(tail..) {
            end.copy_from_slice(&sentinel);
        }
    }
}

/// The session the client offers (RFC 5077 §3.1, RFC 5246 §7.4.1.2): its
/// ticket unsealed by the ticketer when tickets are on, or else its
/// session ID found in the cache. Reports `resumption_requested` when
/// the client offered a session ID or a ticket that unsealed, even
/// expired.
fn offered_session(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    hello: &ClientHello,
    offer: &Offer<'_>,
    now: UnixTime,
) -> Option<ServerSessionState> {
    let tickets_on = config.tickets_after_full_handshake > 0;
    let mut found = None;
    if let Some(ticket) = offer
        .extensions
        .session_ticket
        .filter(|t| tickets_on && !t.is_empty())
    {
        match unseal_state(&*config.ticketer, ticket, now) {
            Ok(state) => found = Some(state),
            Err(TicketRejection::Expired) => common.report(HandshakeEvent::ResumptionRequested),
            Err(_) => {}
        }
    }
    if !hello.session_id.is_empty() {
        common.report(HandshakeEvent::ResumptionRequested);
        if found.is_none() {
            found =
                cached_under(config, &hello.session_id).and_then(|(cache, key)| cache.get(&key));
        }
    }
    found
}

/// The server's session cache and the key of the TLS ≤ 1.2 session ID
/// `id` in it, when the server keeps one and `id` is not empty.
fn cached_under(
    config: &ServerConfig,
    id: &[u8],
) -> Option<(Arc<dyn ServerSessionStore>, StoreKey)> {
    Some((
        config.session_cache.clone()?,
        store_key(StoreKeyKind::Tls12SessionId, id)?,
    ))
}

/// Looks for a session to resume (design §3): the offered ticket,
/// unsealed by the ticketer when tickets are on, or else the offered
/// session ID in the cache. Sets `resumption_requested` when the client
/// offered a session ID or a ticket that unsealed. A session that does
/// not fit ([`check_resumption`]) means a full handshake, except that a
/// session made with the extended master secret offered by a ClientHello
/// without it is `handshake_failure` (RFC 7627 §5.3) — unless this server
/// has the extension turned off, when it cannot tell and runs in full.
fn find_session(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    hello: &ClientHello,
    offer: &Offer<'_>,
    version: ProtocolVersion,
) -> Result<Option<ServerSessionState>, Error> {
    let now = config.common.clock.now();
    let Some(state) = offered_session(config, common, hello, offer, now) else {
        return Ok(None);
    };
    common.report(HandshakeEvent::ResumptionRequested);
    let acceptable: InlineList<CipherSuite, CIPHER_SUITES_INLINE> = config
        .common
        .cipher_suites
        .iter()
        .copied()
        .filter(|s| hello.cipher_suites.contains(s))
        .filter(|s| tls12_suite(*s).is_some_and(|t| t.usable_with(version)))
        .collect();
    let fits = check_resumption(
        &state,
        &ResumptionOffer {
            version,
            acceptable_suites: &acceptable,
            extended_master_secret: offer.extended_master_secret,
            encrypt_then_mac: offer.encrypt_then_mac,
            max_fragment_length: offer.max_fragment_length(),
            server_name: offer.server_name.as_deref().map(str::as_bytes),
            client_auth: &config.client_auth,
            now,
        },
    );
    match fits {
        Ok(()) => Ok(Some(state)),
        Err(ResumptionRefusal::ExtendedMasterSecretMissing)
            if config.enable_extended_master_secret =>
        {
            Err(Error::HandshakeFailure(
                HandshakeFailureReason::ResumptionWithoutEms,
            ))
        }
        Err(_) => Ok(None),
    }
}

/// What the server chose for a full handshake.
struct Choice {
    suite: Tls12Suite,
    certificate: Arc<CertifiedKey>,
    /// The scheme of our ServerKeyExchange signature (`None` in TLS
    /// 1.0/1.1, or with RSA key exchange).
    scheme: Option<SignatureScheme>,
    /// The ECDHE curve or RFC 7919 group; `None` with RSA key exchange.
    group: Option<NamedGroup>,
}

/// The RFC 7919 §2 code points of finite-field groups, 256 to 511: a
/// client listing any of them, even ones unknown to us, speaks RFC 7919
/// (RFC 7919 §4).
const FFDHE_CODE_POINTS: core::ops::RangeInclusive<u16> = 0x0100..=0x01ff;

/// Our most preferred suite the client offers that the version allows
/// ([`suites_in_preference`]), whose key exchange has a group (below) and
/// for which a certificate can sign with a scheme the client accepts (RFC
/// 5246 §7.4.1.2): a certificate for the client's server_name if one can
/// serve any such suite ([`ForName`]), else one of the others. Without
/// one: `insufficient_security` when a DHE suite lacked a group only
/// because none of the client's RFC 7919 groups is ours (RFC 7919 §4),
/// else `handshake_failure`.
fn choose_suite(
    config: &ServerConfig,
    hello: &ClientHello,
    offer: &Offer<'_>,
    version: ProtocolVersion,
) -> Result<Choice, Error> {
    let ecdhe = choose_ecdhe_group(config, offer);
    let ffdhe = choose_ffdhe_group(config, offer);
    let mut refusal = HandshakeFailureReason::NoSuiteAndCertificate;
    let mut ffdhe_refused = false;
    let resolved = certificate_candidates(
        config,
        hello,
        &offer.extensions,
        offer.server_name.as_deref(),
        version,
    );
    let sendable = certificate_types::sendable(config, &offer.extensions, &resolved);
    // A TLS 1.2 ClientHello names no CAs (RFC 8446 §4.2.4 is TLS 1.3's):
    // this leaves out the certificates that go only to a client naming
    // their CA.
    let certificates = preferred(&sendable, &[]);
    if certificates.len() < sendable.len() {
        refusal = HandshakeFailureReason::NoCertificateUnderNamedCa;
    }
    let for_name = ForName::new(&certificates, offer.server_name.as_deref());
    // RFC 6066 §3: a certificate for the host the client named, with the
    // best suite it can serve, before any other certificate with a better
    // suite; the others when none for the name can serve at all.
    let tiers = [true, false]
        .into_iter()
        .filter(|&named| !named || certificates.iter().any(|c| for_name.covers(c)));
    for named in tiers {
        let suites = suites_in_preference(config, hello.cipher_suites.as_slice(), |s| {
            tls12_suite(s).is_some_and(|t| t.usable_with(version))
        })
        .filter_map(tls12_suite);
        for suite in suites {
            let group = match suite.key_exchange {
                KeyExchangeAlgorithm::Ecdhe => ecdhe,
                KeyExchangeAlgorithm::Dhe => ffdhe,
                KeyExchangeAlgorithm::Rsa => None,
            };
            if group.is_none() && suite.key_exchange != KeyExchangeAlgorithm::Rsa {
                refusal = HandshakeFailureReason::NoCommonGroup;
                ffdhe_refused |= suite.key_exchange == KeyExchangeAlgorithm::Dhe;
                continue;
            }
            let chosen = certificates
                .iter()
                .filter(|c| for_name.covers(c) == named)
                .find_map(|certificate| {
                    let key = certificate.key();
                    if !suite.authentication.fits(key.public())
                        || !suite.server_key_use().allowed_by(certificate)
                        || !offer.takes_curve_of(key.public())
                    {
                        return None;
                    }
                    if suite.key_exchange == KeyExchangeAlgorithm::Rsa {
                        // Nothing is signed: the key decrypts instead, which
                        // an id-RSASSA-PSS key may not (RFC 4055 §3.1).
                        return matches!(key.public(), PublicKey::Rsa(_))
                            .then(|| (certificate.clone(), None));
                    }
                    choose_signature(
                        certificate,
                        version,
                        offer.schemes(),
                        &config.common.signature_schemes,
                    )
                    .map(|scheme| (certificate.clone(), scheme))
                });
            if let Some((certificate, scheme)) = chosen {
                return Ok(Choice {
                    suite,
                    certificate,
                    scheme,
                    group,
                });
            }
        }
    }
    Err(if ffdhe_refused && lists_ffdhe(offer) {
        Error::InsufficientSecurity(InsufficientSecurityReason::NoAcceptableFfdheGroup)
    } else {
        Error::HandshakeFailure(refusal)
    })
}

/// Whether the client's supported_groups lists any finite-field group.
fn lists_ffdhe(offer: &Offer<'_>) -> bool {
    offer.extensions.supported_groups.is_some_and(|groups| {
        groups
            .iter()
            .any(|g| FFDHE_CODE_POINTS.contains(&u16::from(*g)))
    })
}

/// Our most preferred ECDHE curve the client lists (RFC 8422 §5.1.1). A
/// client without supported_groups leaves the curve to us (RFC 8422
/// §5.1) but predates X25519: it gets secp256r1, the curve every such
/// client has (RFC 4492 §5.1.1), when we enable it (as OpenSSL does),
/// else our first curve.
fn choose_ecdhe_group(config: &ServerConfig, offer: &Offer<'_>) -> Option<NamedGroup> {
    let mut ours = config
        .common
        .groups
        .iter()
        .copied()
        .filter(|g| is_ecdhe(*g));
    match offer.extensions.supported_groups {
        Some(offered) => ours.find(|g| offered.contains(g)),
        None => {
            let first = ours.clone().next();
            ours.find(|g| *g == NamedGroup::secp256r1).or(first)
        }
    }
}

/// Our most preferred RFC 7919 group for DHE: one the client lists when
/// it lists any finite-field group (RFC 7919 §4), else our first — a
/// client that predates RFC 7919 takes the server's group (RFC 5246
/// §7.4.3).
fn choose_ffdhe_group(config: &ServerConfig, offer: &Offer<'_>) -> Option<NamedGroup> {
    let mut ours = config
        .common
        .groups
        .iter()
        .copied()
        .filter(|g| is_ffdhe(*g));
    match offer.extensions.supported_groups {
        Some(offered) if lists_ffdhe(offer) => ours.find(|g| offered.contains(g)),
        _ => ours.next(),
    }
}

/// Room reserved for the TLS ≤1.2 ServerHello's extension list: every
/// extension [`server_hello_extensions`] may add (renegotiation_info,
/// extended_master_secret, encrypt_then_mac, session_ticket,
/// ec_point_formats, server_name, ALPN, record_size_limit, the two
/// certificate types) and the stapling answers (status_request,
/// signed_certificate_timestamp), so the list is allocated once. A
/// sizing choice, not a limit.
const SERVER_HELLO_EXTENSIONS_CAPACITY: usize = 12;

/// The ServerHello extensions: each answers one the client sent; the
/// certificate types (server's, client's) when the client asked about
/// them (RFC 7250 §4.2).
fn server_hello_extensions(
    offer: &Offer<'_>,
    params: &Params,
    send_ticket: bool,
    full: bool,
    types: (certificate_types::Negotiated, certificate_types::Negotiated),
    common: &dyn HandshakeIo,
) -> Vec<Extension> {
    let mut extensions = Vec::with_capacity(SERVER_HELLO_EXTENSIONS_CAPACITY);
    if offer.secure_renegotiation {
        extensions.push(Extension::RenegotiationInfo(
            common.renegotiation().server_hello_info(),
        ));
    }
    if params.extended_master_secret {
        extensions.push(Extension::ExtendedMasterSecret);
    }
    if params.encrypt_then_mac {
        extensions.push(Extension::EncryptThenMac);
    }
    if send_ticket {
        extensions.push(Extension::SessionTicket(Vec::new()));
    }
    if full && offer.point_formats {
        extensions.push(Extension::EcPointFormats(
            [EcPointFormat::Uncompressed].into(),
        ));
    }
    // RFC 6066 §3: no server_name acknowledgement when resuming.
    if full && offer.server_name.is_some() {
        extensions.push(Extension::ServerNameAck);
    }
    if let Some(protocol) = common.negotiated().alpn() {
        extensions.push(Extension::Alpn(vec![protocol.to_vec()]));
    }
    extensions.extend(offer.record_size_limit.as_ref().map(|a| a.extension()));
    if types.0.answer {
        extensions.push(Extension::ServerCertificateTypeSelected(types.0.typ));
    }
    if types.1.answer {
        extensions.push(Extension::ClientCertificateTypeSelected(types.1.typ));
    }
    extensions
}

/// Queues the ServerHello and returns its encoding.
fn send_server_hello<'c>(
    common: &'c mut dyn HandshakeIo,
    params: &Params,
    session_id: HelloSessionId,
    extensions: Vec<Extension>,
) -> Result<&'c [u8], Error> {
    common.send_handshake(&HandshakeMessage::ServerHello(ServerHello {
        legacy_version: params.version,
        random: params.server_random,
        session_id,
        cipher_suite: params.suite.suite,
        compression_method: Compression::Null,
        extensions: (!extensions.is_empty()).then_some(extensions),
    }))
}

/// How the server completes the key exchange when the client's
/// ClientKeyExchange arrives.
enum KeyAgreement {
    /// Our ephemeral ECDH key (RFC 8422 §5.4).
    Ecdhe(KeyShare),
    /// Our ephemeral DH key (RFC 5246 §7.4.3).
    Dhe(DhKeyPair),
    /// The certificate whose RSA key decrypts the premaster secret (RFC
    /// 5246 §7.4.7.1).
    Rsa(Arc<CertifiedKey>),
}

/// What the states of a full handshake carry until the key exchange.
pub(crate) struct ClientFlight {
    config: Arc<ServerConfig>,
    params: Params,
    log: HandshakeLog,
    agreement: KeyAgreement,
    send_ticket: bool,
    /// What the client's Certificate carries (RFC 7250 §4.2).
    client_certificate_type: CertificateType,
    /// When the session was authenticated: `None` for this full
    /// handshake, whose session is authenticated as it is created.
    authenticated: Option<UnixTime>,
}

/// What the client's Certificate gave before its ClientKeyExchange.
pub(crate) enum ClientCertificate {
    /// None asked for, or none given: the identity is final.
    Absent(ClientIdentity),
    /// A chain the verifier accepted, with its end-entity key; the
    /// client must prove it holds the key in CertificateVerify (RFC 5246
    /// §7.4.8).
    Accepted(ClientCertVerified, PublicKey),
}

/// How the client was authenticated, as proof values.
pub(crate) enum ClientIdentity {
    /// No certificate was asked for.
    NotRequested,
    /// Asked for, optional, and not given.
    NotProvided,
    /// A chain the verifier accepted; its key signed CertificateVerify.
    Authenticated(ClientCertVerified, SignatureVerified),
    /// The client holds the resumed session (its Finished proves it).
    Resumed,
}

/// CertificateRequest sent: the client's Certificate comes next.
pub(crate) struct ExpectCertificate(ClientFlight);

impl ExpectCertificate {
    /// Reads the client's Certificate (RFC 5246 §7.4.6): an empty one is
    /// `handshake_failure` when client authentication is required; a
    /// chain is judged by the client verifier.
    fn expect_certificate(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut flight = self.0;
        let chain = certificate_types::tls12_received(
            message,
            flight.client_certificate_type,
            || decode(message, &flight.params),
            UnexpectedMessageReason::ExpectedClientCertificate,
        )?;
        flight.log.add(&message.raw);
        if chain.is_empty() {
            return match &flight.config.client_auth {
                ClientAuth::Required(_) => Err(Error::HandshakeFailure(
                    HandshakeFailureReason::ClientCertificateRequired,
                )),
                _ => Ok(State::ExpectClientKeyExchange(ExpectClientKeyExchange {
                    flight,
                    client: ClientCertificate::Absent(ClientIdentity::NotProvided),
                })),
            };
        }
        let (verified, public_key) = certificate_types::verify_client_chain(
            &flight.config.client_auth,
            flight.config.common.clock.now().as_secs(),
            flight.client_certificate_type,
            &chain,
        )?;
        common.report(HandshakeEvent::ClientCertificateType(
            flight.client_certificate_type,
        ));
        common.report(HandshakeEvent::PeerCertificates(chain));
        Ok(State::ExpectClientKeyExchange(ExpectClientKeyExchange {
            flight,
            client: ClientCertificate::Accepted(verified, public_key),
        }))
    }
}

/// The client's ClientKeyExchange comes next.
pub(crate) struct ExpectClientKeyExchange {
    flight: ClientFlight,
    client: ClientCertificate,
}

impl ExpectClientKeyExchange {
    /// Completes the ECDHE exchange with the client's point (RFC 8422
    /// §5.7; a bad point is `illegal_parameter`), or decrypts the RSA
    /// premaster secret — never failing on its contents (Bleichenbacher
    /// defence of `crypto::rsa_kx`) — and derives the master secret.
    fn expect_client_key_exchange(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut flight = self.flight;
        let HandshakeMessage::ClientKeyExchange(exchange) = decode(message, &flight.params)? else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedClientKeyExchange,
            ));
        };
        let premaster = match (flight.agreement, exchange) {
            (KeyAgreement::Ecdhe(share), ClientKeyExchange::Ecdhe(point)) => {
                share.complete(&point)?
            }
            (KeyAgreement::Dhe(pair), ClientKeyExchange::Dhe(public)) => {
                pair.complete_tls12(&public)?
            }
            (KeyAgreement::Rsa(certificate), ClientKeyExchange::Rsa(encrypted)) => {
                decrypt_premaster(
                    certificate.key(),
                    &encrypted,
                    flight.params.client_version,
                    &*flight.config.common.rng,
                )?
            }
            _ => {
                return Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::ExpectedClientKeyExchange,
                ))
            }
        };
        flight.log.add(&message.raw);
        let master = master_secret(
            &flight.params,
            premaster.as_bytes(),
            &mut flight.log,
            key_logger(&flight.config.common, flight.params.client_random).as_ref(),
        )?;
        let hs = Handshake {
            config: flight.config,
            params: flight.params,
            log: flight.log,
            master,
            send_ticket: flight.send_ticket,
            authenticated: flight.authenticated,
        };
        match self.client {
            ClientCertificate::Accepted(verified, public_key) => {
                Ok(State::ExpectCertificateVerify(ExpectCertificateVerify {
                    hs,
                    verified,
                    public_key,
                }))
            }
            ClientCertificate::Absent(client) => expect_ccs(hs, common, client),
        }
    }
}

/// Installs the client's write protection for its ChangeCipherSpec and
/// waits for its Finished.
fn expect_ccs(
    hs: Handshake,
    common: &mut dyn HandshakeIo,
    client: ClientIdentity,
) -> Result<State, Error> {
    let (client_write, server_write) = hs.params.protections(&hs.master, &hs.config.common.rng)?;
    common.expect_ccs(client_write);
    Ok(State::ExpectFinished(ExpectFinished {
        hs,
        server_write: Some(server_write),
        client,
    }))
}

/// Client chain accepted: its CertificateVerify comes next.
pub(crate) struct ExpectCertificateVerify {
    hs: Handshake,
    verified: ClientCertVerified,
    public_key: PublicKey,
}

impl ExpectCertificateVerify {
    /// Checks the client's signature over the messages so far (RFC 5246
    /// §7.4.8): a scheme we did not list (our CertificateRequest lists
    /// the configuration's schemes) is `illegal_parameter`, a bad
    /// signature `decrypt_error`.
    fn expect_certificate_verify(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut hs = self.hs;
        let HandshakeMessage::CertificateVerify(signed) = decode(message, &hs.params)? else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedCertificateVerify,
            ));
        };
        let (signature, scheme) = verify_signed(
            &self.public_key,
            &signed,
            &tls12_offered_schemes(&hs.config.common.signature_schemes),
            hs.log.messages()?,
        )?;
        common.report(scheme);
        hs.log.add(&message.raw);
        expect_ccs(
            hs,
            common,
            ClientIdentity::Authenticated(self.verified, signature),
        )
    }
}

/// What the states from the master secret on carry.
pub(crate) struct Handshake {
    config: Arc<ServerConfig>,
    params: Params,
    log: HandshakeLog,
    master: MasterSecret,
    send_ticket: bool,
    /// When the session was authenticated by a full handshake: `None` for
    /// this one (authenticated as its session is created), the time the
    /// resumed session carries otherwise.
    authenticated: Option<UnixTime>,
}

/// Sends the NewSessionTicket (RFC 5077 §3.3) sealing the session with
/// its persistent ID S (design §3), its lifetime hint the sealed state's
/// lifetime. A session that cannot be sealed, or whose lifetime is over
/// (a hint of 0 would mean "unspecified"), gets an empty ticket, which the
/// client does not keep.
fn send_new_ticket(hs: &mut Handshake, common: &mut dyn HandshakeIo) -> Result<(), Error> {
    let state = session_state(hs, common)?;
    let lifetime_hint = state.validity.lifetime_secs();
    let ticket = match lifetime_hint {
        0 => Vec::new(),
        _ => seal_state(&*hs.config.ticketer, &state).unwrap_or_default(),
    };
    let bytes = common.send_handshake(&HandshakeMessage::NewSessionTicketTls12(
        NewSessionTicketTls12 {
            lifetime_hint,
            ticket,
        },
    ))?;
    hs.log.add(bytes);
    Ok(())
}

/// The session as the cache and tickets keep it, valid from now for the
/// configured lifetime but never beyond 7 days after its authentication
/// (RFC 8446 §4.6.1, applied to every version).
fn session_state(hs: &Handshake, common: &dyn HandshakeIo) -> Result<ServerSessionState, Error> {
    let negotiated = common.negotiated();
    let now = hs.config.common.clock.now();
    let authenticated = hs.authenticated.unwrap_or(now);
    let lifetime = lifetime_within_cap(hs.config.ticket_lifetime, authenticated, now);
    Ok(ServerSessionState {
        version: hs.params.version,
        cipher_suite: hs.params.suite.suite,
        secret: hs.master.secret().clone(),
        session_id: SessionId::from_peer(negotiated.session_id())?,
        extended_master_secret: hs.params.extended_master_secret,
        encrypt_then_mac: hs.params.encrypt_then_mac,
        max_fragment_length: hs.params.max_fragment_length,
        server_name: negotiated.server_name().map(|n| n.as_bytes().to_vec()),
        alpn_protocol: negotiated.alpn().map(<[u8]>::to_vec),
        validity: Validity::new(now, lifetime),
        peer_certificates: negotiated.peer_certificates().to_vec(),
        tls13: None,
        resumption_data: negotiated.resumption_data_to_store().map(<[u8]>::to_vec),
        authenticated: hs.authenticated,
        unknown_fields: Default::default(),
    })
}

/// Sends ChangeCipherSpec, switches writing to `server_write` and sends
/// our Finished over the messages so far (RFC 5246 §7.4.9).
fn send_finished(
    hs: &mut Handshake,
    common: &mut dyn HandshakeIo,
    server_write: Box<dyn RecordProtection>,
) -> Result<(), Error> {
    hs.params.change_write_cipher(common, server_write)?;
    let verify_data = hs.master.verify_data(Sender::Server, &hs.log.hash())?;
    common
        .renegotiation_mut()
        .record_finished(Sender::Server, &verify_data);
    let bytes = common.send_handshake(&HandshakeMessage::Finished(verify_data.into()))?;
    hs.log.add(bytes);
    Ok(())
}

/// ChangeCipherSpec and the client's Finished come next.
pub(crate) struct ExpectFinished {
    hs: Handshake,
    /// Full handshake: our write protection, installed with our
    /// ChangeCipherSpec after the client's Finished.
    server_write: Option<Box<dyn RecordProtection>>,
    client: ClientIdentity,
}

impl ExpectFinished {
    /// Checks the client's Finished (RFC 5246 §7.4.9): before its
    /// ChangeCipherSpec it is `unexpected_message`, a mismatch
    /// `decrypt_error`. After a full handshake our \[NewSessionTicket\],
    /// ChangeCipherSpec and Finished follow and the session is cached
    /// under S.
    fn expect_finished(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut hs = self.hs;
        let HandshakeMessage::Finished(verify_data) = decode(message, &hs.params)? else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedFinished,
            ));
        };
        if common.ccs_pending() {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::FinishedBeforeCcs,
            ));
        }
        let (finished, verified) =
            verify_tls12_finished(&hs.master, Sender::Client, &hs.log.hash(), &verify_data)?;
        common
            .renegotiation_mut()
            .record_finished(Sender::Client, &verified);
        hs.log.add(&message.raw);
        if let Some(server_write) = self.server_write {
            if hs.send_ticket {
                send_new_ticket(&mut hs, common)?;
            }
            send_finished(&mut hs, common, server_write)?;
            if let Some((cache, key)) = cached_under(&hs.config, common.negotiated().session_id()) {
                cache.put(&key, session_state(&hs, common)?);
                common.forget_on_failure(FailedSession::Server(cache, key));
            }
        }
        common.set_tls12_exporter(Tls12Exporter::new(
            hs.master,
            hs.params.client_random,
            hs.params.server_random,
        ));
        common.start_tls12_traffic()?;
        Ok(State::Traffic(Traffic {
            _client: self.client,
            _finished: finished,
            renegotiations: RefusedRenegotiations::new(&hs.config.common.limits),
            config: hs.config,
        }))
    }
}

/// Handshake complete.
pub(crate) struct Traffic {
    _client: ClientIdentity,
    _finished: FinishedVerified,
    /// Renegotiation attempts refused so far.
    renegotiations: RefusedRenegotiations,
    /// Judges a renegotiation (`renegotiation.rs`).
    pub(super) config: Arc<ServerConfig>,
}

impl Traffic {
    /// Refuses a ClientHello (a renegotiation) with a no_renegotiation
    /// warning, and the connection carries on (RFC 5746 §4.4 allows
    /// refusing), at most `Limits::max_refused_renegotiations` times.
    pub(super) fn refuse_renegotiation(
        mut self,
        common: &mut dyn HandshakeIo,
    ) -> Result<Self, Error> {
        self.renegotiations.refuse(common)?;
        Ok(self)
    }
}
