//! The client's TLS 1.3 handshake (RFC 8446 §2, §4): from the
//! HelloRetryRequest or ServerHello to the traffic state.

use std::sync::Arc;

use super::hello::{
    chosen_alpn, send_client_hello, ExpectServerHello, KeyShares, OfferedExternal, Resuming,
    ServerAnswer,
};
use super::post_handshake_auth;
use super::State;
use crate::common_state::{EarlyDataReason, HandshakeEvent, HandshakeIo, ReceivedHandshake};
use crate::config::ClientConfig;
use crate::crypto::groups::ClientShare;
use crate::crypto::secret::Secret;
use crate::crypto::verify::PublicKey;
use crate::error::{
    Error, IllegalParameterReason, MissingExtensionReason, UnexpectedMessageReason,
    UnsupportedExtensionReason,
};
use crate::handshake::certificate_types;
use crate::handshake::key_logger;
use crate::handshake::stapling::{self, verify_server_chain};
use crate::handshake::{certificate_compression, record_size_limit};
use crate::handshake::{
    choose_certificate, decode_tls13, sign_certificate_verify, tls13_suite,
    verify_certificate_verify, verify_finished, FinishedVerified, KeyUse, SignatureVerified,
    Tls13Suite, Transcript, CLIENT_CERTIFICATE_VERIFY_CONTEXT, SERVER_CERTIFICATE_VERIFY_CONTEXT,
};
use crate::keyschedule::tls13::{
    EarlySecret, HandshakeSecret, ResumptionMasterSecret, TrafficSecret,
};
use crate::msgs::certificate::{CertificateEntry, CertificateRequestTls13, CertificateTls13};
use crate::msgs::enums::{
    CertificateType, CipherSuite, Compression, NamedGroup, ProtocolVersion, PskKeyExchangeMode,
    SignatureScheme,
};
use crate::msgs::extensions::{Extension, KeyShareEntry};
use crate::msgs::handshake::HandshakeMessage;
use crate::msgs::hello::{ServerHello, RANDOM_LEN};
use crate::msgs::ticket::NewSessionTicketTls13;
use crate::pki::{CertificateRequestInfo, ServerCertVerified, ServerName};
use crate::session::{ClientTicketTls13, ServerChain, SessionId, Validity};

/// The longest ticket lifetime a server may announce: 7 days
/// (RFC 8446 §4.6.1); longer is `illegal_parameter`.
pub const MAX_TICKET_LIFETIME: u32 = 7 * 24 * 60 * 60;

/// The suite, if it is a TLS 1.3 suite we offered; otherwise the server
/// chose something illegal (RFC 8446 §4.1.3).
fn offered_suite(config: &ClientConfig, suite: CipherSuite) -> Result<Tls13Suite, Error> {
    tls13_suite(suite)
        .filter(|_| config.common.cipher_suites.contains(&suite))
        .ok_or(Error::IllegalParameter(
            IllegalParameterReason::SuiteNotOffered,
        ))
}

/// The error for an extension the server may not send in this message:
/// `unsupported_extension` when we never offered its type, otherwise
/// `illegal_parameter` (RFC 8446 §4.2).
fn refused_extension(extension: &Extension) -> Error {
    match extension {
        Extension::Unknown { .. } => {
            Error::UnsupportedExtension(UnsupportedExtensionReason::NotOffered)
        }
        _ => Error::IllegalParameter(IllegalParameterReason::ExtensionNotAllowed),
    }
}

/// Checks the fields a HelloRetryRequest shares with a ServerHello
/// (RFC 8446 §4.1.3–§4.1.4): the session ID echo (design §3:
/// `illegal_parameter`), the null compression and an offered suite.
fn check_hello_fields(state: &ExpectServerHello, hello: &ServerHello) -> Result<Tls13Suite, Error> {
    if hello.session_id != state.session_id.as_bytes() {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::SessionIdEchoMismatch,
        ));
    }
    if hello.compression_method != Compression::Null {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::CompressionNotNull,
        ));
    }
    offered_suite(&state.config, hello.cipher_suite)
}

/// What a HelloRetryRequest fixed (RFC 8446 §4.1.4).
pub(super) struct Retry {
    /// message_hash(ClientHello1), HelloRetryRequest, ClientHello2.
    transcript: Transcript,
    /// The suite the HelloRetryRequest chose; the ServerHello must agree.
    cipher_suite: CipherSuite,
}

/// The second ClientHello sent; the ServerHello comes next, and nothing
/// else: a second HelloRetryRequest is `unexpected_message`, a TLS 1.0–1.2
/// ServerHello `illegal_parameter` (RFC 8446 §4.1.4).
pub(crate) struct ExpectServerHelloAfterRetry {
    /// Boxed: the state of the first ClientHello is this rare state's
    /// bulk, and every client state is as large as the largest.
    hello: Box<ExpectServerHello>,
    retry: Retry,
}

impl ExpectServerHelloAfterRetry {
    /// Reads the ServerHello that follows our second ClientHello.
    pub(super) fn expect_server_hello(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<ExpectEncryptedExtensions, Error> {
        match self.hello.read_server_hello(message)? {
            ServerAnswer::Tls12(..) => Err(Error::IllegalParameter(
                IllegalParameterReason::Tls12AfterRetry,
            )),
            ServerAnswer::HelloRetryRequest(_) => Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::SecondRetry,
            )),
            ServerAnswer::Tls13(hello) => {
                handle_server_hello(*self.hello, Some(self.retry), common, &hello, &message.raw)
            }
        }
    }
}

/// Answers a HelloRetryRequest with a second ClientHello (RFC 8446
/// §4.1.4): same random and session ID, a key share for the group asked
/// for, the cookie echoed.
pub(super) fn handle_retry(
    mut state: ExpectServerHello,
    common: &mut dyn HandshakeIo,
    retry: &ServerHello,
    raw: &[u8],
) -> Result<ExpectServerHelloAfterRetry, Error> {
    let suite = check_hello_fields(&state, retry)?;
    let (group, cookie) = read_retry_request(&state, retry)?;
    if let Some(group) = group {
        state.key_shares = KeyShares::one(ClientShare::generate(group, &*state.config.common.rng)?);
    }
    let mut transcript = Transcript::after_retry(suite.hash, &state.hello_bytes, raw);
    common.report(HandshakeEvent::CipherSuite(suite.suite));
    prepare_second_hello(&mut state, common, suite)?;
    let hello = state.client_hello(cookie);
    let (bytes, hello_transcript) =
        send_client_hello(common, hello, &state.binder_inputs(), Some(&transcript))?;
    let transcript = match hello_transcript {
        Some(hello_transcript) => hello_transcript,
        None => {
            transcript.add(&bytes);
            transcript
        }
    };
    Ok(ExpectServerHelloAfterRetry {
        hello: Box::new(state),
        retry: Retry {
            transcript,
            cipher_suite: suite.suite,
        },
    })
}

/// The group and cookie a HelloRetryRequest asks for (RFC 8446 §4.1.4,
/// §4.2.2, §4.2.8). A request that would change nothing, or asks for a
/// group not enabled or already offered, is `illegal_parameter`.
fn read_retry_request<'a>(
    state: &ExpectServerHello,
    retry: &'a ServerHello,
) -> Result<(Option<NamedGroup>, Option<&'a [u8]>), Error> {
    let mut group = None;
    let mut cookie = None;
    for extension in retry.extensions() {
        match extension {
            Extension::KeyShareRetry(g) => group = Some(*g),
            Extension::Cookie(c) => cookie = Some(c.as_slice()),
            Extension::SupportedVersionsSelected(_) => {}
            other => return Err(refused_extension(other)),
        }
    }
    if let Some(group) = group {
        if !state.group_enabled(group) || state.key_shares.iter().any(|s| s.group() == group) {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::RetryGroupUnusable,
            ));
        }
    } else if cookie.is_none() {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::RetryChangesNothing,
        ));
    }
    Ok((group, cookie))
}

/// What changes before the second ClientHello (RFC 8446 §4.1.4): 0-RTT
/// is over, so it goes out unprotected; the dummy ChangeCipherSpec
/// precedes it in middlebox compatibility mode (RFC 8446 §D.4) unless
/// already sent; a ticket or external PSK whose hash differs from the
/// suite chosen is no longer offered.
fn prepare_second_hello(
    state: &mut ExpectServerHello,
    common: &mut dyn HandshakeIo,
    suite: Tls13Suite,
) -> Result<(), Error> {
    if state.early_data {
        common.report(HandshakeEvent::EarlyDataReason(
            EarlyDataReason::HelloRetryRequest,
        ));
        common.end_early_data(false);
        common.set_plaintext_write()?;
        state.early_data = false;
    }
    if state.config.middlebox_compat && !state.ccs_sent {
        common.send_dummy_ccs()?;
        state.ccs_sent = true;
    }
    if state
        .resuming
        .as_ref()
        .is_some_and(|r| r.suite.hash != suite.hash)
    {
        state.resuming = None;
    }
    state.externals.retain(|e| e.psk.hash() == suite.hash);
    Ok(())
}

/// Reads a TLS 1.3 ServerHello (RFC 8446 §2, §4.1.3), after `retry` when
/// it answers our second ClientHello: checks it against what we offered,
/// completes the key exchange, starts the key schedule and switches to
/// the handshake keys.
pub(super) fn handle_server_hello(
    state: ExpectServerHello,
    retry: Option<Retry>,
    common: &mut dyn HandshakeIo,
    hello: &ServerHello,
    raw: &[u8],
) -> Result<ExpectEncryptedExtensions, Error> {
    let suite = check_suite(&state, retry.as_ref(), hello)?;
    let (share, selected_psk) = read_server_hello_extensions(hello)?;
    let mut transcript = match retry {
        Some(retry) => retry.transcript,
        None => state.hello_transcript(suite.hash),
    };
    let accepted = accepted_psk(selected_psk, state.resuming, state.externals, suite)?;
    if state.config.require_external_psk && accepted.is_none() {
        return Err(Error::MissingExtension(MissingExtensionReason::PskRequired));
    }
    let shared_secret = complete_key_exchange(
        share,
        state.key_shares,
        accepted.is_some(),
        &state.config.common.psk_modes,
    )?;
    transcript.add(raw);
    let external_psk = matches!(accepted, Some(AcceptedPsk::External(_)));
    let (early, ticket) = early_secret(accepted, suite, &state.config, state.random, common)?;
    let keys = HandshakeKeys::derive(early, shared_secret.as_ref(), &transcript)?;
    if state.config.middlebox_compat && !state.ccs_sent {
        // RFC 8446 §D.4: the dummy ChangeCipherSpec comes before the
        // client's first protected record. Sent as soon as the ServerHello
        // is accepted, it also precedes an alert this client may have to
        // protect about the server's encrypted flight, so a peer in
        // compatibility mode reads that alert (BoringSSL and rustls send it
        // here too).
        common.send_dummy_ccs()?;
    }
    common.set_tls13_read_key(suite.aead, &keys.server_traffic)?;
    if !state.early_data {
        // With 0-RTT the early key stays until EncryptedExtensions says
        // what became of the early data.
        common.set_tls13_write_key(suite.aead, &keys.client_traffic)?;
    }
    report_server_hello(common, suite, share, hello, ticket.as_deref())?;
    Ok(ExpectEncryptedExtensions(Handshake {
        config: state.config,
        server_name: state.server_name,
        suite,
        transcript,
        secret: keys.secret,
        client_traffic: keys.client_traffic,
        server_traffic: keys.server_traffic,
        certificate_request: None,
        resumed: ticket,
        external_psk,
        early_data: if state.early_data {
            EarlyDataAnswer::Pending
        } else {
            EarlyDataAnswer::NotOffered
        },
        server_certificate_type: CertificateType::X509,
        client_certificate_type: CertificateType::X509,
    }))
}

/// The suite of a ServerHello (RFC 8446 §4.1.3): the fields it shares
/// with a HelloRetryRequest checked, and, after one, the suite it chose
/// (RFC 8446 §4.1.4: `illegal_parameter` when they differ).
fn check_suite(
    state: &ExpectServerHello,
    retry: Option<&Retry>,
    hello: &ServerHello,
) -> Result<Tls13Suite, Error> {
    let suite = check_hello_fields(state, hello)?;
    if let Some(retry) = retry {
        if retry.cipher_suite != suite.suite {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::RetrySuiteChanged,
            ));
        }
    }
    Ok(suite)
}

/// The ServerHello's key share and selected PSK identity (RFC 8446
/// §4.1.3, §4.2): besides supported_versions, these are the only
/// extensions it may carry.
fn read_server_hello_extensions(
    hello: &ServerHello,
) -> Result<(Option<&KeyShareEntry>, Option<u16>), Error> {
    let mut share = None;
    let mut selected_psk = None;
    for extension in hello.extensions() {
        match extension {
            Extension::KeyShareSelected(entry) => share = Some(entry),
            Extension::PreSharedKeySelected(index) => selected_psk = Some(*index),
            Extension::SupportedVersionsSelected(_) => {}
            other => return Err(refused_extension(other)),
        }
    }
    Ok((share, selected_psk))
}

/// The PSK the server selected (RFC 8446 §4.2.11).
enum AcceptedPsk {
    /// Our ticket: the session resumes.
    Ticket(Resuming),
    /// One of our external PSKs.
    External(OfferedExternal),
}

/// The PSK the server selected, if any (RFC 8446 §4.2.11): the index of
/// an identity we offered (the ticket, then the external PSKs) whose hash
/// is the suite's, or none; anything else is `illegal_parameter`. A
/// selection when we offered no PSK answers an extension we never sent:
/// `unsupported_extension` (RFC 8446 §4.2).
fn accepted_psk(
    selected_psk: Option<u16>,
    resuming: Option<Resuming>,
    externals: Vec<OfferedExternal>,
    suite: Tls13Suite,
) -> Result<Option<AcceptedPsk>, Error> {
    let Some(index) = selected_psk else {
        return Ok(None);
    };
    if resuming.is_none() && externals.is_empty() {
        return Err(Error::UnsupportedExtension(
            UnsupportedExtensionReason::NotOffered,
        ));
    }
    let offered = resuming
        .map(AcceptedPsk::Ticket)
        .into_iter()
        .chain(externals.into_iter().map(AcceptedPsk::External));
    let hash = |psk: &AcceptedPsk| match psk {
        AcceptedPsk::Ticket(resuming) => resuming.suite.hash,
        AcceptedPsk::External(external) => external.psk.hash(),
    };
    offered
        .zip(0u16..)
        .find(|(_, i)| *i == index)
        .map(|(psk, _)| psk)
        .filter(|psk| hash(psk) == suite.hash)
        .map(Some)
        .ok_or(Error::IllegalParameter(
            IllegalParameterReason::PskNotOffered,
        ))
}

/// The (EC)DHE shared secret (RFC 8446 §4.2.8): the server's share must be
/// for the group we offered (`illegal_parameter`). With a PSK selected,
/// `modes` (the psk_key_exchange_modes we offered) decide (RFC 9846
/// §4.2.11: the client "MUST verify ... that a server "key_share"
/// extension is present if required by the ClientHello
/// "psk_key_exchange_modes" extension"): without a share the handshake
/// goes on when we offered psk_ke and is `illegal_parameter` otherwise;
/// a share when we offered psk_ke alone is `illegal_parameter` too, as
/// in that mode "the server MUST NOT supply any "key_share" values" (RFC
/// 8446 §4.2.9). Without a PSK, a missing share is `missing_extension`.
fn complete_key_exchange(
    share: Option<&KeyShareEntry>,
    key_shares: KeyShares,
    psk_selected: bool,
    modes: &[PskKeyExchangeMode],
) -> Result<Option<Secret>, Error> {
    let ours = |share: &KeyShareEntry| key_shares.take(share.group);
    match share.map(|share| (share, ours(share))) {
        Some(_) if psk_selected && !modes.contains(&PskKeyExchangeMode::PskDheKe) => Err(
            Error::IllegalParameter(IllegalParameterReason::KeyShareInPskKeMode),
        ),
        Some((share, Some(key_share))) => Ok(Some(key_share.complete(&share.key_exchange)?)),
        Some((_, None)) => Err(Error::IllegalParameter(
            IllegalParameterReason::KeyShareGroupNotOffered,
        )),
        None if psk_selected && modes.contains(&PskKeyExchangeMode::PskKe) => Ok(None),
        None if psk_selected => Err(Error::IllegalParameter(
            IllegalParameterReason::PskWithoutKeyShare,
        )),
        None => Err(Error::MissingExtension(
            MissingExtensionReason::ServerHelloKeyShare,
        )),
    }
}

/// The early secret the key schedule starts from (RFC 8446 §7.1): the
/// resumed ticket's, with the ticket; the external PSK's, reported by
/// its identity; or one without a PSK.
fn early_secret(
    accepted: Option<AcceptedPsk>,
    suite: Tls13Suite,
    config: &ClientConfig,
    random: [u8; RANDOM_LEN],
    common: &mut dyn HandshakeIo,
) -> Result<(EarlySecret, Option<Arc<ClientTicketTls13>>), Error> {
    Ok(match accepted {
        Some(AcceptedPsk::Ticket(resuming)) => (resuming.early, Some(resuming.ticket)),
        Some(AcceptedPsk::External(external)) => {
            common.report(HandshakeEvent::ExternalPsk(
                external.psk.identity().to_vec(),
            ));
            (external.early, None)
        }
        None => (
            EarlySecret::new(suite.hash, None, key_logger(&config.common, random))?,
            None,
        ),
    })
}

/// The handshake secret and the two handshake traffic secrets derived
/// over ClientHello…ServerHello (RFC 8446 §7.1).
struct HandshakeKeys {
    secret: HandshakeSecret,
    client_traffic: TrafficSecret,
    server_traffic: TrafficSecret,
}

impl HandshakeKeys {
    /// Mixes the (EC)DHE shared secret, when there is one, into `early`
    /// and derives the traffic secrets from the transcript so far.
    fn derive(
        early: EarlySecret,
        shared_secret: Option<&Secret>,
        transcript: &Transcript,
    ) -> Result<Self, Error> {
        let secret = early.into_handshake(shared_secret.map(|s| s.as_bytes()))?;
        let hello_hash = transcript.current();
        let client_traffic = secret.client_handshake_traffic_secret(&hello_hash)?;
        let server_traffic = secret.server_handshake_traffic_secret(&hello_hash)?;
        Ok(Self {
            secret,
            client_traffic,
            server_traffic,
        })
    }
}

/// Reports what the ServerHello settled (RFC 8446 §4.1.3): the version,
/// suite, group and session ID echo, and, when resuming, the ticket's
/// server chain and staples. The connection reports its own copy; the
/// ticket's stays shared with the tickets this connection will keep.
fn report_server_hello(
    common: &mut dyn HandshakeIo,
    suite: Tls13Suite,
    share: Option<&KeyShareEntry>,
    hello: &ServerHello,
    ticket: Option<&ClientTicketTls13>,
) -> Result<(), Error> {
    common.report(HandshakeEvent::Version(ProtocolVersion::TLSv1_3));
    common.report(HandshakeEvent::CipherSuite(suite.suite));
    if let Some(value) = share.map(|s| s.group) {
        common.report(HandshakeEvent::Group(value));
    }
    common.report(HandshakeEvent::SessionId(SessionId::from_peer(
        &hello.session_id,
    )?));
    if let Some(ticket) = ticket {
        common.report(HandshakeEvent::Resumed);
        common.report(HandshakeEvent::PeerCertificates(
            ticket.server.certificates.clone(),
        ));
        common.report(HandshakeEvent::Stapled(ticket.server.staples.clone()));
    }
    Ok(())
}

/// What every state between ServerHello and the server Finished carries.
pub(crate) struct Handshake {
    config: Arc<ClientConfig>,
    server_name: ServerName,
    suite: Tls13Suite,
    transcript: Transcript,
    secret: HandshakeSecret,
    client_traffic: TrafficSecret,
    server_traffic: TrafficSecret,
    certificate_request: Option<CertificateRequestTls13>,
    /// The ticket the server accepted, when resuming.
    resumed: Option<Arc<ClientTicketTls13>>,
    /// Whether the server selected our external PSK.
    external_psk: bool,
    early_data: EarlyDataAnswer,
    /// What the server's Certificate carries (RFC 7250 §4.2).
    server_certificate_type: CertificateType,
    /// What ours carries, if the server asks for one.
    client_certificate_type: CertificateType,
}

/// What became of our 0-RTT data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum EarlyDataAnswer {
    NotOffered,
    /// Offered; EncryptedExtensions will tell.
    Pending,
    /// Accepted: EndOfEarlyData goes out after the server Finished.
    Accepted,
}

impl Handshake {
    /// Decodes `message`, insisting on TLS 1.3 syntax, and adds it to
    /// the transcript after `check` accepted it.
    fn decode(&self, message: &ReceivedHandshake) -> Result<HandshakeMessage, Error> {
        decode_tls13(message, self.suite.hash)
    }
}

/// Handshake keys in place; EncryptedExtensions comes next.
pub(crate) struct ExpectEncryptedExtensions(Handshake);

impl ExpectEncryptedExtensions {
    /// Reads EncryptedExtensions (RFC 8446 §4.3.1): an ALPN answer must
    /// name one protocol we offered; a server_name acknowledgement needs
    /// an SNI sent; a certificate type must be one we offered (RFC 7250
    /// §4.2); anything not offered is refused.
    pub(super) fn expect_encrypted_extensions(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut hs = self.0;
        let HandshakeMessage::EncryptedExtensions(extensions) = hs.decode(message)? else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedEncryptedExtensions,
            ));
        };
        if hs.early_data == EarlyDataAnswer::Pending
            && !extensions.iter().any(|e| matches!(e, Extension::EarlyData))
        {
            // Rejected (RFC 8446 §4.2.10): the server now reads only the
            // handshake key, so we stop and switch before checking the
            // rest; an alert about this very message then reaches it.
            common.report(HandshakeEvent::EarlyDataReason(match hs.resumed {
                Some(_) => EarlyDataReason::PeerDeclined,
                None => EarlyDataReason::SessionNotResumed,
            }));
            common.end_early_data(false);
            common.set_tls13_write_key(hs.suite.aead, &hs.client_traffic)?;
            hs.early_data = EarlyDataAnswer::NotOffered;
        }
        let with_limit = extensions
            .iter()
            .any(|e| matches!(e, Extension::RecordSizeLimit(_)));
        for extension in &extensions {
            match extension {
                Extension::EarlyData if hs.early_data == EarlyDataAnswer::Pending => {
                    common.report(HandshakeEvent::EarlyDataReason(EarlyDataReason::Accepted));
                    hs.early_data = EarlyDataAnswer::Accepted;
                }
                Extension::ServerNameAck if common.negotiated().server_name().is_some() => {}
                Extension::SupportedGroups(_) => {}
                Extension::ServerCertificateTypeSelected(typ) => {
                    hs.server_certificate_type = certificate_types::accept_answer(
                        &certificate_types::server_offer(hs.config.verifier.certificate_types()),
                        Some(*typ),
                    )?;
                }
                Extension::ClientCertificateTypeSelected(typ) => {
                    hs.client_certificate_type = certificate_types::accept_answer(
                        &certificate_types::client_offer(&hs.config),
                        Some(*typ),
                    )?;
                }
                Extension::Alpn(protocols) if !hs.config.common.alpn_protocols.is_empty() => {
                    common.report(HandshakeEvent::Alpn(
                        chosen_alpn(&hs.config, protocols)?.clone(),
                    ));
                }
                Extension::RecordSizeLimit(limit)
                    if record_size_limit::offered(&hs.config.common) =>
                {
                    record_size_limit::client_accept(&hs.config.common, common, *limit, true)?;
                }
                Extension::MaxFragmentLength(code) => {
                    record_size_limit::client_accept_max_fragment_length(
                        &hs.config.common,
                        common,
                        *code,
                        with_limit,
                        true,
                    )?;
                }
                Extension::ServerNameAck
                | Extension::Alpn(_)
                | Extension::EarlyData
                | Extension::RecordSizeLimit(_) => {
                    return Err(Error::UnsupportedExtension(
                        UnsupportedExtensionReason::NotOffered,
                    ))
                }
                other => return Err(refused_extension(other)),
            }
        }
        hs.transcript.add(&message.raw);
        if hs.early_data == EarlyDataAnswer::Accepted {
            check_accepted_early_data(&hs, common.negotiated().alpn())?;
        }
        // RFC 8446 §2.2: a PSK handshake has no certificates.
        if hs.resumed.is_some() {
            return Ok(State::ExpectFinished(ExpectFinished {
                hs,
                server: ServerAuthenticated::Resumption,
            }));
        }
        if hs.external_psk {
            return Ok(State::ExpectFinished(ExpectFinished {
                hs,
                server: ServerAuthenticated::ExternalPsk,
            }));
        }
        Ok(State::ExpectCertificateOrRequest(
            ExpectCertificateOrRequest(hs),
        ))
    }
}

/// Checks that the server could accept our 0-RTT data, all
/// `illegal_parameter` otherwise: it selected the ticket, our first PSK
/// identity (RFC 9846 §4.2.11: the client "MUST verify that the server's
/// selected_identity is 0"), with the ticket's cipher suite and ALPN
/// protocol (RFC 9846 §4.2.10 asks the server to check both; BoringSSL's
/// client refuses either change with `illegal_parameter`, as we do).
fn check_accepted_early_data(hs: &Handshake, alpn: Option<&[u8]>) -> Result<(), Error> {
    let Some(ticket) = &hs.resumed else {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::EarlyDataPskNotFirst,
        ));
    };
    if ticket.cipher_suite != hs.suite.suite {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::EarlyDataSuiteChanged,
        ));
    }
    if ticket.alpn_protocol.as_deref() != alpn {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::EarlyDataAlpnChanged,
        ));
    }
    Ok(())
}

/// A CertificateRequest, during the handshake or after it, must carry
/// signature_algorithms (RFC 8446 §4.3.2): `missing_extension` otherwise.
fn check_certificate_request(request: &CertificateRequestTls13) -> Result<(), Error> {
    if !request
        .extensions
        .iter()
        .any(|e| matches!(e, Extension::SignatureAlgorithms(_)))
    {
        return Err(Error::MissingExtension(
            MissingExtensionReason::CertificateRequestSignatureAlgorithms,
        ));
    }
    Ok(())
}

/// A CertificateRequest or the server's Certificate comes next.
pub(crate) struct ExpectCertificateOrRequest(Handshake);

impl ExpectCertificateOrRequest {
    /// Reads CertificateRequest (RFC 8446 §4.3.2) or Certificate.
    pub(super) fn expect_certificate_or_request(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut hs = self.0;
        let decoded = hs.decode(message)?;
        match certificate_compression::expand(decoded, &hs.config.common, common)? {
            HandshakeMessage::CertificateRequestTls13(request) => {
                if !request.context.is_empty() {
                    return Err(Error::IllegalParameter(
                        IllegalParameterReason::HandshakeRequestContext,
                    ));
                }
                check_certificate_request(&request)?;
                hs.transcript.add(&message.raw);
                hs.certificate_request = Some(request);
                Ok(State::ExpectCertificate(ExpectCertificate(hs)))
            }
            HandshakeMessage::CertificateTls13(certificate) => {
                ExpectCertificate::read_certificate(hs, common, certificate, message)
            }
            _ => Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedCertificateRequestOrCertificate,
            )),
        }
    }
}

/// The server's Certificate comes next.
pub(crate) struct ExpectCertificate(Handshake);

impl ExpectCertificate {
    /// Reads the server's Certificate.
    pub(super) fn expect_certificate(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let hs = self.0;
        let decoded = hs.decode(message)?;
        match certificate_compression::expand(decoded, &hs.config.common, common)? {
            HandshakeMessage::CertificateTls13(certificate) => {
                Self::read_certificate(hs, common, certificate, message)
            }
            _ => Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedCertificate,
            )),
        }
    }

    /// Checks the server's chain with the verifier (RFC 8446 §4.4.2.4): an
    /// empty one is `decode_error`, a context is `illegal_parameter`,
    /// certificate extensions we never asked for are
    /// `unsupported_extension`, a refused chain (or stapled OCSP
    /// response, RFC 8446 §4.4.2.1) takes the verifier's alert.
    fn read_certificate(
        mut hs: Handshake,
        common: &mut dyn HandshakeIo,
        certificate: CertificateTls13,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        if !certificate.context.is_empty() {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::ServerCertificateContext,
            ));
        }
        let staples = stapling::received_in(&hs.config, &certificate.entries)?;
        let chain: Vec<Vec<u8>> = certificate
            .entries
            .into_iter()
            .map(|e| e.cert_data)
            .collect();
        let (verified, public_key) = verify_server_chain(
            &hs.config,
            common,
            &hs.server_name,
            hs.server_certificate_type,
            &chain,
            staples,
            KeyUse::Sign,
        )?;
        common.report(HandshakeEvent::PeerCertificates(chain));
        hs.transcript.add(&message.raw);
        Ok(State::ExpectCertificateVerify(ExpectCertificateVerify {
            hs,
            verified,
            public_key,
        }))
    }
}

/// Server chain accepted; its CertificateVerify comes next.
pub(crate) struct ExpectCertificateVerify {
    hs: Handshake,
    verified: ServerCertVerified,
    public_key: PublicKey,
}

impl ExpectCertificateVerify {
    /// Checks the server's signature over the transcript (RFC 8446
    /// §4.4.3).
    pub(super) fn expect_certificate_verify(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut hs = self.hs;
        let HandshakeMessage::CertificateVerify(signed) = hs.decode(message)? else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedCertificateVerify,
            ));
        };
        let (signature, scheme) = verify_certificate_verify(
            &self.public_key,
            &signed,
            &hs.config.common.signature_schemes,
            SERVER_CERTIFICATE_VERIFY_CONTEXT,
            &hs.transcript.current(),
        )?;
        common.report(scheme);
        hs.transcript.add(&message.raw);
        Ok(State::ExpectFinished(ExpectFinished {
            hs,
            server: ServerAuthenticated::Certificate(self.verified, signature),
        }))
    }
}

/// How the server proved who it is.
pub(crate) enum ServerAuthenticated {
    /// It holds the key of a chain the verifier accepted.
    Certificate(ServerCertVerified, SignatureVerified),
    /// It accepted our ticket: its Finished, keyed from the ticket's PSK,
    /// proves it holds the session (RFC 8446 §2.2).
    Resumption,
    /// It selected our external PSK: its Finished, keyed from that PSK,
    /// proves it holds the key (RFC 8446 §2.2).
    ExternalPsk,
}

/// Server authenticated; its Finished comes next.
pub(crate) struct ExpectFinished {
    hs: Handshake,
    server: ServerAuthenticated,
}

impl ExpectFinished {
    /// Checks the server's Finished (RFC 8446 §4.4.4), switches to the
    /// application keys for reading, sends our flight (dummy
    /// ChangeCipherSpec in middlebox compatibility mode, Certificate and
    /// CertificateVerify when asked, Finished) and starts traffic.
    pub(super) fn expect_finished(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut hs = self.hs;
        let HandshakeMessage::Finished(verify_data) = hs.decode(message)? else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedFinished,
            ));
        };
        let finished = verify_finished(
            &hs.server_traffic.finished_key()?,
            &hs.transcript.current(),
            &verify_data,
        )?;
        hs.transcript.add(&message.raw);
        // The server is authenticated: its group is worth a share in our
        // next ClientHello to it (`ClientSessionStore::set_key_share_hint`).
        if let (Some(store), Some(group)) = (common.client_sessions(), common.negotiated().group())
        {
            store.set_key_share_hint(&hs.server_name.as_text(), group);
        }
        let application = hs
            .secret
            .into_master()?
            .into_application(&hs.transcript.current())?;
        common.set_tls13_read_key(hs.suite.aead, &application.server)?;
        if hs.early_data == EarlyDataAnswer::Accepted {
            // RFC 8446 §4.5: EndOfEarlyData under the early key, then the
            // handshake key.
            common.end_early_data(true);
            let bytes = common.send_handshake(&HandshakeMessage::EndOfEarlyData)?;
            hs.transcript.add(bytes);
            common.set_tls13_write_key(hs.suite.aead, &hs.client_traffic)?;
        }
        if let Some(request) = &hs.certificate_request {
            send_client_certificate(
                &hs.config,
                request,
                Requested {
                    server_name: &hs.server_name,
                    certificate_type: hs.client_certificate_type,
                    post_handshake: false,
                },
                &mut hs.transcript,
                common,
            )?;
        }
        let verify_data = hs
            .client_traffic
            .finished_key()?
            .verify_data(&hs.transcript.current())?;
        let bytes =
            common.send_handshake(&HandshakeMessage::Finished(verify_data.as_bytes().into()))?;
        hs.transcript.add(bytes);
        common.set_tls13_write_key(hs.suite.aead, &application.client)?;
        let resumption = application
            .resumption
            .resumption_master_secret(&hs.transcript.current())?;
        common.set_exporter(application.exporter);
        common.start_tls13_traffic(hs.suite.aead, application.server, application.client)?;
        Ok(State::Traffic(Traffic {
            config: hs.config,
            server_name: hs.server_name,
            suite: hs.suite,
            resumption,
            transcript: hs.transcript,
            client_certificate_type: hs.client_certificate_type,
            server: self.server,
            server_chain: hs.resumed.map(|ticket| Arc::clone(&ticket.server)),
            _finished: finished,
        }))
    }
}

/// Where a CertificateRequest came, beside the message itself.
struct Requested<'a> {
    server_name: &'a ServerName,
    /// The negotiated client_certificate_type (RFC 7250).
    certificate_type: CertificateType,
    /// After the handshake (RFC 8446 §4.6.2).
    post_handshake: bool,
}

/// Sends our Certificate and, when we have one that fits, CertificateVerify
/// (RFC 8446 §4.4.2–§4.4.3): the first candidate (the configuration's or
/// its resolver's, [`certificate_types::client_candidates`]) that can be
/// sent as the negotiated type (RFC 7250) and whose key signs with a
/// scheme the server listed, those under a CA the server named
/// (certificate_authorities, RFC 8446 §4.2.4) first; an empty Certificate
/// when none fits.
fn send_client_certificate(
    config: &ClientConfig,
    request: &CertificateRequestTls13,
    requested: Requested<'_>,
    transcript: &mut Transcript,
    common: &mut dyn HandshakeIo,
) -> Result<(), Error> {
    let typ = requested.certificate_type;
    let accepted: &[SignatureScheme] = request
        .extensions
        .iter()
        .find_map(|e| match e {
            Extension::SignatureAlgorithms(schemes) => Some(schemes.as_slice()),
            _ => None,
        })
        .unwrap_or_default();
    let authorities: &[Vec<u8>] = request
        .extensions
        .iter()
        .find_map(|e| match e {
            Extension::CertificateAuthorities(names) => Some(names.as_slice()),
            _ => None,
        })
        .unwrap_or_default();
    let info = CertificateRequestInfo {
        version: ProtocolVersion::TLSv1_3,
        server_name: requested.server_name,
        authorities,
        signature_schemes: accepted,
        certificate_type: typ,
        post_handshake: requested.post_handshake,
    };
    let candidates = certificate_types::client_candidates(config, &info);
    let chosen = choose_certificate(&candidates, None, accepted);
    let entries = chosen
        .map(|(key, _)| {
            certificate_types::certificate_contents(key, typ)
                .into_iter()
                .map(|cert_data| CertificateEntry {
                    cert_data,
                    extensions: Vec::new(),
                })
                .collect()
        })
        .unwrap_or_default();
    let compression = certificate_compression::choose(
        &config.common,
        certificate_compression::requested(&request.extensions),
    );
    let bytes = certificate_compression::send(
        common,
        &config.common,
        CertificateTls13 {
            context: request.context.clone(),
            entries,
        },
        compression,
    )?;
    transcript.add(bytes);
    if let Some((key, scheme)) = chosen {
        common.report(HandshakeEvent::ClientCertificateType(typ));
        common.report(HandshakeEvent::SentCertificate(key.clone()));
        let signed = sign_certificate_verify(
            key.key(),
            scheme,
            CLIENT_CERTIFICATE_VERIFY_CONTEXT,
            &transcript.current(),
        )?;
        let bytes = common.send_handshake(&HandshakeMessage::CertificateVerify(signed))?;
        transcript.add(bytes);
    }
    Ok(())
}

/// Handshake complete: KeyUpdate, NewSessionTicket and post-handshake
/// CertificateRequests may arrive.
pub(crate) struct Traffic {
    config: Arc<ClientConfig>,
    server_name: ServerName,
    suite: Tls13Suite,
    resumption: ResumptionMasterSecret,
    /// The transcript through our Finished, where every post-handshake
    /// authentication's transcript starts (RFC 8446 §4.4).
    transcript: Transcript,
    /// The client_certificate_type negotiated in EncryptedExtensions,
    /// which post-handshake answers keep (RFC 8446 §4.4.2, RFC 7250).
    client_certificate_type: CertificateType,
    /// How the server proved itself; after an external PSK no
    /// certificate of ours may be asked for.
    server: ServerAuthenticated,
    /// The server's chain and staples as this connection's tickets keep
    /// them, one copy for all: the resumed ticket's after a resumption,
    /// made for the first ticket after a full handshake.
    server_chain: Option<Arc<ServerChain>>,
    _finished: FinishedVerified,
}

impl Traffic {
    /// Handles a post-handshake message (RFC 8446 §4.6): KeyUpdate,
    /// NewSessionTicket, which is kept in the session store, and
    /// CertificateRequest, answered at once (`post_handshake_auth.rs`).
    /// Anything else is `unexpected_message`.
    pub(super) fn expect_traffic(
        mut self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<Self, Error> {
        match decode_tls13(message, self.suite.hash)? {
            HandshakeMessage::KeyUpdate(request) => common.receive_key_update(request)?,
            HandshakeMessage::NewSessionTicketTls13(ticket) => self.keep_ticket(common, ticket)?,
            HandshakeMessage::CertificateRequestTls13(request) => {
                let mut transcript = post_handshake_auth::start_answer(
                    &self.config,
                    matches!(self.server, ServerAuthenticated::ExternalPsk),
                    &self.transcript,
                    &request,
                    message,
                )?;
                check_certificate_request(&request)?;
                send_client_certificate(
                    &self.config,
                    &request,
                    Requested {
                        server_name: &self.server_name,
                        certificate_type: self.client_certificate_type,
                        post_handshake: true,
                    },
                    &mut transcript,
                    common,
                )?;
                post_handshake_auth::finish_answer(&transcript, common)?
            }
            _ => {
                return Err(Error::UnexpectedMessage(
                    UnexpectedMessageReason::UnexpectedPostHandshake,
                ))
            }
        }
        Ok(self)
    }

    /// Stores a NewSessionTicket (RFC 8446 §4.6.1) with the PSK it names. A
    /// lifetime over 7 days is `illegal_parameter`; a lifetime of 0 means
    /// the ticket must not be used. Without a session store (resumption
    /// off) every ticket is ignored.
    fn keep_ticket(
        &mut self,
        common: &dyn HandshakeIo,
        message: NewSessionTicketTls13,
    ) -> Result<(), Error> {
        // RFC 9846 §4.6.1: a client that does not resume "MUST silently
        // ignore" tickets, whatever they say.
        let Some(store) = common.client_sessions() else {
            return Ok(());
        };
        if message.lifetime > MAX_TICKET_LIFETIME {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::TicketLifetime,
            ));
        }
        if message.lifetime == 0 {
            return Ok(());
        }
        let max_early_data_size = message
            .extensions
            .iter()
            .find_map(|e| match e {
                Extension::MaxEarlyDataSize(size) => Some(*size),
                _ => None,
            })
            .unwrap_or_default();
        let server_name = self.server_name.to_string();
        let negotiated = common.negotiated();
        let server = self.server_chain.get_or_insert_with(|| {
            Arc::new(ServerChain {
                certificates: negotiated.peer_certificates().to_vec(),
                staples: negotiated.staples().clone(),
            })
        });
        store.add_tls13_ticket(
            &self.server_name.as_text(),
            Arc::new(ClientTicketTls13 {
                psk: self.resumption.ticket_psk(&message.nonce)?,
                ticket: message.ticket,
                cipher_suite: self.suite.suite,
                age_add: message.age_add,
                validity: Validity::new(self.config.common.clock.now(), message.lifetime),
                max_early_data_size,
                alpn_protocol: negotiated.alpn().map(<[u8]>::to_vec),
                server: Arc::clone(server),
                server_name,
                key_share_group: negotiated.group(),
                unknown_fields: Default::default(),
            }),
        );
        Ok(())
    }
}
