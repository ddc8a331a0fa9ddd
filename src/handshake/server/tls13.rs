//! The server's TLS 1.3 handshake (RFC 8446 §2, §4): from the ClientHello
//! to the traffic state.

use std::sync::Arc;

use super::hello::ExpectClientHello;
use super::State;
use crate::config::{ClientAuth, ServerConfig};
use crate::conn::{CommonState, Message};
use crate::crypto::kx::KeyShare;
use crate::crypto::rng::random_array;
use crate::crypto::verify::PublicKey;
use crate::error::Error;
use crate::handshake::{
    choose_certificate, decode_tls13, end_entity_key, sign_certificate_verify,
    tls13_handshake_scheme, tls13_suite, verify_certificate_verify, verify_finished,
    FinishedVerified, SignatureVerified, Tls13Suite, Transcript, CLIENT_CERTIFICATE_VERIFY_CONTEXT,
    SERVER_CERTIFICATE_VERIFY_CONTEXT,
};
use crate::keylog::KeyLogBridge;
use crate::keyschedule::tls13::{EarlySecret, TrafficSecret};
use crate::keyschedule::KeyLogger;
use crate::msgs::certificate::{CertificateEntry, CertificateRequestTls13, CertificateTls13};
use crate::msgs::enums::{
    CipherSuite, Compression, NamedGroup, ProtocolVersion, ServerNameType, SignatureScheme,
};
use crate::msgs::extensions::{Extension, KeyShareEntry};
use crate::msgs::handshake::HandshakeMessage;
use crate::msgs::hello::{
    ClientHello, ServerHello, HELLO_RETRY_REQUEST_RANDOM, MAX_SESSION_ID_SIZE, RANDOM_LEN,
};

/// The length of the cookie a HelloRetryRequest carries (RFC 8446
/// §4.2.2 lets the server choose; 32 random bytes cannot be guessed).
pub const COOKIE_LEN: usize = 32;

/// What a HelloRetryRequest fixed; the second ClientHello must fit it
/// (RFC 8446 §4.1.2, §4.1.4).
pub(crate) struct Retry {
    transcript: Transcript,
    cipher_suite: CipherSuite,
    group: NamedGroup,
    cookie: Option<Vec<u8>>,
    session_id: Vec<u8>,
}

/// What the server takes from a ClientHello's extensions.
#[derive(Default)]
struct Offer<'a> {
    server_name: Option<String>,
    groups: Option<&'a [NamedGroup]>,
    key_shares: Option<&'a [KeyShareEntry]>,
    signature_schemes: Option<&'a [SignatureScheme]>,
    alpn: Option<&'a [Vec<u8>]>,
    cookie: Option<&'a [u8]>,
    early_data: bool,
}

impl<'a> Offer<'a> {
    /// Collects the extensions the TLS 1.3 server uses. A pre_shared_key
    /// without psk_key_exchange_modes is `missing_extension` (RFC 8446
    /// §4.2.9); the PSK itself is declined (full handshake) until
    /// resumption exists.
    fn read(hello: &'a ClientHello) -> Result<Self, Error> {
        let mut offer = Self::default();
        let mut psk = false;
        let mut psk_modes = false;
        for extension in hello.extensions() {
            match extension {
                Extension::ServerName(names) => {
                    offer.server_name = names
                        .iter()
                        .find(|n| n.typ == ServerNameType::HostName)
                        .map(|n| {
                            String::from_utf8(n.name.clone())
                                .map_err(|_| Error::IllegalParameter("server name is not text"))
                        })
                        .transpose()?;
                }
                Extension::SupportedGroups(groups) => offer.groups = Some(groups),
                Extension::KeyShareOffer(shares) => offer.key_shares = Some(shares),
                Extension::SignatureAlgorithms(schemes) => offer.signature_schemes = Some(schemes),
                Extension::Alpn(protocols) => offer.alpn = Some(protocols),
                Extension::Cookie(cookie) => offer.cookie = Some(cookie),
                Extension::EarlyData => offer.early_data = true,
                Extension::PreSharedKeyOffer(_) => psk = true,
                Extension::PskKeyExchangeModes(_) => psk_modes = true,
                _ => {}
            }
        }
        if psk && !psk_modes {
            return Err(Error::MissingExtension(
                "pre_shared_key without psk_key_exchange_modes",
            ));
        }
        Ok(offer)
    }
}

/// Handles a ClientHello that chose TLS 1.3: answers with a
/// HelloRetryRequest when no key share is usable, otherwise with the
/// whole server flight.
pub(super) fn handle_client_hello(
    state: ExpectClientHello,
    common: &mut CommonState,
    hello: &ClientHello,
    raw: &[u8],
) -> Result<State, Error> {
    let config = state.config;
    if hello.compression_methods != [Compression::Null] {
        return Err(Error::IllegalParameter(
            "TLS 1.3 ClientHello must offer only null compression",
        ));
    }
    let offer = Offer::read(hello)?;
    let groups = offer
        .groups
        .ok_or(Error::MissingExtension("no supported_groups"))?;
    let key_shares = offer
        .key_shares
        .ok_or(Error::MissingExtension("no key_share"))?;
    let client_schemes = offer
        .signature_schemes
        .ok_or(Error::MissingExtension("no signature_algorithms"))?;
    if key_shares.iter().any(|s| !groups.contains(&s.group)) {
        return Err(Error::IllegalParameter(
            "key share for a group not in supported_groups",
        ));
    }
    let suite = config
        .common
        .cipher_suites
        .iter()
        .filter(|s| hello.cipher_suites.contains(s))
        .find_map(|s| tls13_suite(*s))
        .ok_or(Error::HandshakeFailure("no cipher suite in common"))?;
    if let Some(retry) = &state.retry {
        check_retried_hello(retry, hello, &offer, suite)?;
    }
    let share = config
        .common
        .groups
        .iter()
        .find_map(|g| key_shares.iter().find(|s| s.group == *g));
    let Some(share) = share else {
        let group = config
            .common
            .groups
            .iter()
            .find(|g| groups.contains(g))
            .copied()
            .ok_or(Error::HandshakeFailure("no key-exchange group in common"))?;
        if state.retry.is_some() {
            return Err(Error::IllegalParameter("no key share after a retry"));
        }
        return send_retry(config, common, hello, raw, suite, group).map(State::ExpectClientHello);
    };
    let alpn = choose_alpn(&config, offer.alpn)?;
    let (certificate, scheme) = choose_certificate(&config.certificates, client_schemes).ok_or(
        Error::HandshakeFailure("no certificate fits the client's signature_algorithms"),
    )?;
    let certificate = certificate.clone();

    let rng = &*config.common.rng;
    let random = random_array::<RANDOM_LEN>(rng)?;
    let key_share = KeyShare::generate_with(share.group, rng)?;
    let server_share = KeyShareEntry {
        group: share.group,
        key_exchange: key_share.public_key().to_vec(),
    };
    let shared_secret = key_share.complete(&share.key_exchange)?;
    // Design §3: the persistent server session ID T, never on the wire.
    let session_id_t = random_array::<MAX_SESSION_ID_SIZE>(rng)?.to_vec();

    let (mut transcript, ccs_sent) = match state.retry {
        Some(retry) => (retry.transcript, !hello.session_id.is_empty()),
        None => (Transcript::new(suite.hash, &[]), false),
    };
    transcript.add(raw);
    let server_hello = ServerHello {
        legacy_version: ProtocolVersion::TLSv1_2,
        random,
        session_id: hello.session_id.clone(),
        cipher_suite: suite.suite,
        compression_method: Compression::Null,
        extensions: Some(vec![
            Extension::KeyShareSelected(server_share),
            Extension::SupportedVersionsSelected(ProtocolVersion::TLSv1_3),
        ]),
    };
    let bytes = common.send_handshake(&HandshakeMessage::ServerHello(server_hello))?;
    transcript.add(&bytes);
    if !hello.session_id.is_empty() && !ccs_sent {
        common.send_dummy_ccs()?;
    }

    let logger = config
        .common
        .key_log
        .as_ref()
        .map(|log| KeyLogger::new(Arc::new(KeyLogBridge(log.clone())), hello.random));
    let secret = EarlySecret::new(suite.hash, None, logger)?
        .into_handshake(Some(shared_secret.as_bytes()))?;
    let hello_hash = transcript.current();
    let client_traffic = secret.client_handshake_traffic_secret(&hello_hash)?;
    let server_traffic = secret.server_handshake_traffic_secret(&hello_hash)?;
    common.set_tls13_write_key(suite.aead, &server_traffic)?;
    common.set_tls13_read_key(suite.aead, &client_traffic)?;

    let mut extensions = Vec::new();
    if offer.server_name.is_some() {
        extensions.push(Extension::ServerNameAck);
    }
    if let Some(protocol) = &alpn {
        extensions.push(Extension::Alpn(vec![protocol.clone()]));
    }
    let bytes = common.send_handshake(&HandshakeMessage::EncryptedExtensions(extensions))?;
    transcript.add(&bytes);

    let requested_schemes: Vec<SignatureScheme> = config
        .common
        .signature_schemes
        .iter()
        .copied()
        .filter(|s| tls13_handshake_scheme(*s))
        .collect();
    if config.client_auth.verifier().is_some() {
        let request = CertificateRequestTls13 {
            context: Vec::new(),
            extensions: vec![Extension::SignatureAlgorithms(requested_schemes.clone())],
        };
        let bytes = common.send_handshake(&HandshakeMessage::CertificateRequestTls13(request))?;
        transcript.add(&bytes);
    }
    let entries = certificate
        .chain()
        .iter()
        .map(|der| CertificateEntry {
            cert_data: der.clone(),
            extensions: Vec::new(),
        })
        .collect();
    let bytes = common.send_handshake(&HandshakeMessage::CertificateTls13(CertificateTls13 {
        context: Vec::new(),
        entries,
    }))?;
    transcript.add(&bytes);
    let signed = sign_certificate_verify(
        certificate.key(),
        scheme,
        SERVER_CERTIFICATE_VERIFY_CONTEXT,
        &transcript.current(),
    )?;
    let bytes = common.send_handshake(&HandshakeMessage::CertificateVerify(signed))?;
    transcript.add(&bytes);
    let verify_data = server_traffic
        .finished_key()?
        .verify_data(&transcript.current())?;
    let bytes =
        common.send_handshake(&HandshakeMessage::Finished(verify_data.as_bytes().to_vec()))?;
    transcript.add(&bytes);

    let application = secret
        .into_master()?
        .into_application(&transcript.current())?;
    common.set_tls13_write_key(suite.aead, &application.server)?;
    common.exporter = Some(application.exporter);
    let negotiated = &mut common.negotiated;
    negotiated.version = Some(ProtocolVersion::TLSv1_3);
    negotiated.cipher_suite = Some(suite.suite);
    negotiated.group = Some(share.group);
    negotiated.alpn = alpn;
    negotiated.server_name = offer.server_name;
    negotiated.session_id = session_id_t;

    let flight = ClientFlight {
        config,
        suite,
        transcript,
        client_handshake_traffic: client_traffic,
        client_application_traffic: application.client,
        server_application_traffic: application.server,
        requested_schemes,
    };
    Ok(if flight.config.client_auth.verifier().is_some() {
        State::ExpectCertificate(ExpectCertificate(flight))
    } else {
        State::ExpectFinished(ExpectFinished {
            flight,
            client: ClientIdentity::NotRequested,
        })
    })
}

/// The second ClientHello must keep what the first and the
/// HelloRetryRequest fixed (RFC 8446 §4.1.2, §4.1.4): the session ID, the
/// suite, exactly one key share for the group asked for, the cookie, and
/// no early_data. A difference is `illegal_parameter`; a cookie left out
/// is `missing_extension`.
fn check_retried_hello(
    retry: &Retry,
    hello: &ClientHello,
    offer: &Offer<'_>,
    suite: Tls13Suite,
) -> Result<(), Error> {
    if hello.session_id != retry.session_id {
        return Err(Error::IllegalParameter("session ID changed after retry"));
    }
    if suite.suite != retry.cipher_suite {
        return Err(Error::IllegalParameter("cipher suite changed after retry"));
    }
    match offer.key_shares {
        Some([share]) if share.group == retry.group => {}
        _ => {
            return Err(Error::IllegalParameter(
                "second ClientHello lacks the key share asked for",
            ))
        }
    }
    match (&retry.cookie, offer.cookie) {
        (None, None) => {}
        (Some(sent), Some(echoed)) if sent.as_slice() == echoed => {}
        (Some(_), None) => return Err(Error::MissingExtension("cookie not echoed")),
        _ => return Err(Error::IllegalParameter("cookie differs from the one sent")),
    }
    if offer.early_data {
        return Err(Error::IllegalParameter("early_data after a retry"));
    }
    Ok(())
}

/// Sends a HelloRetryRequest for `group` (RFC 8446 §4.1.4), with a
/// cookie when configured and a dummy ChangeCipherSpec when the client
/// is in middlebox compatibility mode (RFC 8446 §D.4).
fn send_retry(
    config: Arc<ServerConfig>,
    common: &mut CommonState,
    hello: &ClientHello,
    raw: &[u8],
    suite: Tls13Suite,
    group: NamedGroup,
) -> Result<ExpectClientHello, Error> {
    let cookie = if config.send_cookie {
        Some(random_array::<COOKIE_LEN>(&*config.common.rng)?.to_vec())
    } else {
        None
    };
    let mut extensions = vec![
        Extension::SupportedVersionsSelected(ProtocolVersion::TLSv1_3),
        Extension::KeyShareRetry(group),
    ];
    if let Some(cookie) = &cookie {
        extensions.push(Extension::Cookie(cookie.clone()));
    }
    let retry = ServerHello {
        legacy_version: ProtocolVersion::TLSv1_2,
        random: HELLO_RETRY_REQUEST_RANDOM,
        session_id: hello.session_id.clone(),
        cipher_suite: suite.suite,
        compression_method: Compression::Null,
        extensions: Some(extensions),
    };
    let bytes = common.send_handshake(&HandshakeMessage::ServerHello(retry))?;
    if !hello.session_id.is_empty() {
        common.send_dummy_ccs()?;
    }
    common.negotiated.cipher_suite = Some(suite.suite);
    Ok(ExpectClientHello {
        config,
        retry: Some(Retry {
            transcript: Transcript::after_retry(suite.hash, raw, &bytes),
            cipher_suite: suite.suite,
            group,
            cookie,
            session_id: hello.session_id.clone(),
        }),
    })
}

/// The ALPN protocol (RFC 7301 §3.2): our most preferred one the client
/// offered; none in common is `no_application_protocol`. Without ALPN on
/// either side, none.
fn choose_alpn(
    config: &ServerConfig,
    offered: Option<&[Vec<u8>]>,
) -> Result<Option<Vec<u8>>, Error> {
    match offered {
        Some(offered) if !config.common.alpn_protocols.is_empty() => config
            .common
            .alpn_protocols
            .iter()
            .find(|p| offered.contains(p))
            .cloned()
            .map(Some)
            .ok_or(Error::NoApplicationProtocol),
        _ => Ok(None),
    }
}

/// What the states after the server flight carry.
pub(crate) struct ClientFlight {
    config: Arc<ServerConfig>,
    suite: Tls13Suite,
    transcript: Transcript,
    client_handshake_traffic: TrafficSecret,
    client_application_traffic: TrafficSecret,
    server_application_traffic: TrafficSecret,
    /// The schemes our CertificateRequest listed.
    requested_schemes: Vec<SignatureScheme>,
}

/// How the client was authenticated, as proof values.
pub(crate) enum ClientIdentity {
    /// No certificate was asked for.
    NotRequested,
    /// Asked for, optional, and not given.
    NotProvided,
    /// A chain the verifier accepted and a signature by its key.
    Authenticated(crate::pki::ClientCertVerified, SignatureVerified),
}

/// CertificateRequest sent; the client's Certificate comes next.
pub(crate) struct ExpectCertificate(ClientFlight);

impl ExpectCertificate {
    /// Reads the client's Certificate (RFC 8446 §4.4.2.4): a context other
    /// than the request's is `illegal_parameter`; an empty one is
    /// `certificate_required` when client authentication is required; a
    /// chain is judged by the client verifier.
    pub(super) fn expect_certificate(
        self,
        common: &mut CommonState,
        message: Message,
    ) -> Result<State, Error> {
        let mut flight = self.0;
        let HandshakeMessage::CertificateTls13(certificate) =
            decode_tls13(&message, flight.suite.hash)?
        else {
            return Err(Error::UnexpectedMessage("expected client Certificate"));
        };
        if !certificate.context.is_empty() {
            return Err(Error::IllegalParameter(
                "client Certificate context differs from the request's",
            ));
        }
        if certificate.entries.iter().any(|e| !e.extensions.is_empty()) {
            return Err(Error::UnsupportedExtension(
                "certificate extension that was not requested",
            ));
        }
        flight.transcript.add(&message.raw);
        let chain: Vec<Vec<u8>> = certificate
            .entries
            .into_iter()
            .map(|e| e.cert_data)
            .collect();
        let Some((end_entity, intermediates)) = chain.split_first() else {
            return match &flight.config.client_auth {
                ClientAuth::Required(_) => Err(Error::CertificateRequired),
                _ => Ok(State::ExpectFinished(ExpectFinished {
                    flight,
                    client: ClientIdentity::NotProvided,
                })),
            };
        };
        let verifier = flight
            .config
            .client_auth
            .verifier()
            .ok_or(Error::UnexpectedMessage("client Certificate not requested"))?;
        let intermediates: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
        let verified = verifier.verify_client_cert(
            end_entity,
            &intermediates,
            flight.config.common.clock.now().as_secs(),
        )?;
        let public_key = end_entity_key(end_entity)?;
        common.negotiated.peer_certificates = chain;
        Ok(State::ExpectCertificateVerify(ExpectCertificateVerify {
            flight,
            verified,
            public_key,
        }))
    }
}

/// Client chain accepted; its CertificateVerify comes next.
pub(crate) struct ExpectCertificateVerify {
    flight: ClientFlight,
    verified: crate::pki::ClientCertVerified,
    public_key: PublicKey,
}

impl ExpectCertificateVerify {
    /// Checks the client's signature over the transcript (RFC 8446
    /// §4.4.3) with the schemes our CertificateRequest listed.
    pub(super) fn expect_certificate_verify(
        self,
        _common: &mut CommonState,
        message: Message,
    ) -> Result<State, Error> {
        let mut flight = self.flight;
        let HandshakeMessage::CertificateVerify(signed) =
            decode_tls13(&message, flight.suite.hash)?
        else {
            return Err(Error::UnexpectedMessage("expected CertificateVerify"));
        };
        let signature = verify_certificate_verify(
            &self.public_key,
            &signed,
            &flight.requested_schemes,
            CLIENT_CERTIFICATE_VERIFY_CONTEXT,
            &flight.transcript.current(),
        )?;
        flight.transcript.add(&message.raw);
        Ok(State::ExpectFinished(ExpectFinished {
            flight,
            client: ClientIdentity::Authenticated(self.verified, signature),
        }))
    }
}

/// The client's Finished comes next.
pub(crate) struct ExpectFinished {
    flight: ClientFlight,
    client: ClientIdentity,
}

impl ExpectFinished {
    /// Checks the client's Finished (RFC 8446 §4.4.4), switches to the
    /// client's application key for reading and starts traffic.
    pub(super) fn expect_finished(
        self,
        common: &mut CommonState,
        message: Message,
    ) -> Result<State, Error> {
        let flight = self.flight;
        let HandshakeMessage::Finished(verify_data) = decode_tls13(&message, flight.suite.hash)?
        else {
            return Err(Error::UnexpectedMessage("expected Finished"));
        };
        let finished = verify_finished(
            &flight.client_handshake_traffic.finished_key()?,
            &flight.transcript.current(),
            &verify_data,
        )?;
        common.set_tls13_read_key(flight.suite.aead, &flight.client_application_traffic)?;
        common.start_tls13_traffic(
            flight.suite.aead,
            flight.client_application_traffic,
            flight.server_application_traffic,
        )?;
        Ok(State::Traffic(Traffic {
            suite: flight.suite,
            _client: self.client,
            _finished: finished,
        }))
    }
}

/// Handshake complete: only KeyUpdate may arrive.
pub(crate) struct Traffic {
    suite: Tls13Suite,
    _client: ClientIdentity,
    _finished: FinishedVerified,
}

impl Traffic {
    /// Handles a post-handshake message: KeyUpdate (RFC 8446 §4.6.3);
    /// anything else is `unexpected_message`.
    pub(super) fn expect_traffic(
        self,
        common: &mut CommonState,
        message: Message,
    ) -> Result<Self, Error> {
        match decode_tls13(&message, self.suite.hash)? {
            HandshakeMessage::KeyUpdate(request) => common.receive_key_update(request)?,
            _ => {
                return Err(Error::UnexpectedMessage(
                    "unexpected post-handshake message",
                ))
            }
        }
        Ok(self)
    }
}
