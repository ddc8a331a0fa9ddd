//! The server's TLS 1.3 handshake (RFC 8446 §2, §4): from the ClientHello
//! to the traffic state.

use std::sync::Arc;

use super::certificate_request::certificate_request;
use super::hello::{
    certificate_candidates, choose_alpn, choose_version, host_name, read_client_hello,
    suites_in_preference,
};
use super::post_handshake_auth::PostHandshakeAuth;
use super::State;
use crate::codec::{Codec, Writer};
use crate::common_state::{
    EarlyDataReason, HandshakeEvent, HandshakeIo, ReceivedHandshake,
    DEFAULT_REJECTED_EARLY_DATA_SKIP,
};
use crate::config::{tiers, ClientAuth, ServerConfig, Untiered, TLS13_CIPHER_SUITES};
use crate::crypto::groups::server_share;
use crate::crypto::hash::{Digest, HashAlgorithm};
use crate::crypto::hmac::Tag;
use crate::crypto::rng::random_array;
use crate::crypto::secret::Secret;
use crate::crypto::verify::PublicKey;
use crate::error::{
    DecodeReason, Error, HandshakeFailureReason, IllegalParameterReason, InvalidRequestReason,
    MissingExtensionReason, UnexpectedMessageReason,
};
use crate::handshake::authorities::preferred;
use crate::handshake::stapling;
use crate::handshake::{certificate_compression, draw_grease, record_size_limit};
use crate::handshake::{
    certificate_types, choose_certificate, decode_tls13, key_logger, sign_certificate_verify,
    tls13_suite, verify_binder, verify_certificate_verify, verify_finished, BinderVerified,
    FinishedVerified, SignatureVerified, Tls13Suite, Transcript, CLIENT_CERTIFICATE_VERIFY_CONTEXT,
    SERVER_CERTIFICATE_VERIFY_CONTEXT,
};
use crate::keyschedule::tls13::{
    EarlySecret, HandshakeSecret, PendingResumption, PskKind, ResumptionMasterSecret, TrafficSecret,
};
use crate::msgs::certificate::{CertificateEntry, CertificateTls13};
use crate::msgs::client_hello_extensions::ClientHelloExtensions;
use crate::msgs::enums::{
    CertificateCompressionAlgorithm, CertificateType, CipherSuite, Compression, ExtensionType,
    NamedGroup, ProtocolVersion, PskKeyExchangeMode, SignatureScheme,
};
use crate::msgs::extensions::{Extension, KeyShareEntry};
use crate::msgs::handshake::HandshakeMessage;
use crate::msgs::hello::{
    ClientHello, HelloSessionId, ServerHello, HELLO_RETRY_REQUEST_RANDOM, RANDOM_LEN,
};
use crate::msgs::ticket::NewSessionTicketTls13;
use crate::pki::{CertifiedKey, Staples};
use crate::session::state::{lifetime_within_cap, Tls13TicketParams};
use crate::session::ticketer::{seal_state, unseal_state, TicketRejection};
use crate::session::{
    check_resumption, store_key, ExternalPsk, ReplayCheck, ResumptionOffer, ServerSessionState,
    ServerSessionStore, SessionId, StoreKey, StoreKeyKind, Validity, MAX_INLINE_STORE_ID_LEN,
};
use crate::time::UnixTime;

/// The length of the cookie a HelloRetryRequest carries (RFC 8446
/// §4.2.2 lets the server choose; 32 random bytes cannot be guessed).
pub const COOKIE_LEN: usize = 32;

/// The length of a stateful ticket's identity: a random key into the
/// session store (RFC 8446 §4.6.1 leaves the ticket's form to the server),
/// short enough for a store key held inline ([`MAX_INLINE_STORE_ID_LEN`]).
pub const TICKET_IDENTITY_LEN: usize = 32;
const _: () = assert!(TICKET_IDENTITY_LEN <= MAX_INLINE_STORE_ID_LEN);

/// What a HelloRetryRequest fixed; the second ClientHello must fit it
/// (RFC 8446 §4.1.2, §4.1.4).
pub(crate) struct Retry {
    transcript: Transcript,
    cipher_suite: CipherSuite,
    group: NamedGroup,
    cookie: Option<Vec<u8>>,
    session_id: HelloSessionId,
    /// What the second ClientHello must repeat ([`unchanging_part`]).
    unchanging: Digest,
    /// The identity of the PSK the first ClientHello offered that the
    /// server would have resumed with: it fits the retry's suite, so the
    /// second ClientHello must offer it again (RFC 8446 §4.1.2 lets the
    /// client drop only PSKs incompatible with that suite).
    psk_identity: Option<Vec<u8>>,
}

/// What RFC 8446 §4.1.2 does not let the client change in its second
/// ClientHello ("the same ClientHello without modification, except"):
/// legacy_version, random, the suites, the compression methods, and
/// every extension but key_share, early_data, cookie, pre_shared_key and
/// padding (which the retry may replace, drop, add or resize), each
/// whole and in its place. Kept across the retry as the SHA-256 of their
/// encodings, each list behind its count, rather than as the first
/// ClientHello. The session ID is checked on its own.
fn unchanging_part(hello: &ClientHello) -> Digest {
    let kept = |e: &&Extension| {
        !matches!(
            e.ext_type(),
            ExtensionType::KeyShare
                | ExtensionType::EarlyData
                | ExtensionType::Cookie
                | ExtensionType::PreSharedKey
                | ExtensionType::Padding
        )
    };
    let mut w = Writer::new();
    hello.legacy_version.encode(&mut w);
    w.bytes(&hello.random);
    for list_len in [hello.cipher_suites.len(), hello.compression_methods.len()] {
        w.bytes(&list_len.to_be_bytes());
    }
    hello.cipher_suites.iter().for_each(|s| s.encode(&mut w));
    hello
        .compression_methods
        .iter()
        .for_each(|c| c.encode(&mut w));
    hello
        .extensions()
        .iter()
        .filter(kept)
        .for_each(|e| e.encode(&mut w));
    HashAlgorithm::Sha256.hash(w.as_slice())
}

/// What the TLS 1.3 server takes from a ClientHello's extensions: the
/// extensions, and the host name of server_name once checked.
struct Offer<'a> {
    extensions: ClientHelloExtensions<'a>,
    server_name: Option<String>,
}

impl<'a> Offer<'a> {
    /// Our most preferred PSK mode the client also offers, when it offers
    /// a PSK.
    fn psk_mode(&self, config: &ServerConfig) -> Option<PskKeyExchangeMode> {
        self.extensions.pre_shared_key?;
        self.shared_psk_mode(config)
    }

    /// Our most preferred PSK mode among those the client lists: a ticket
    /// of ours can resume only with one (RFC 8446 §4.2.9).
    fn shared_psk_mode(&self, config: &ServerConfig) -> Option<PskKeyExchangeMode> {
        let offered = self.extensions.psk_key_exchange_modes?;
        config
            .common
            .psk_modes
            .iter()
            .copied()
            .find(|m| offered.contains(m))
    }

    /// Checks the extensions the TLS 1.3 server uses. A pre_shared_key
    /// without psk_key_exchange_modes is `missing_extension` (RFC 8446
    /// §4.2.9).
    fn read(extensions: ClientHelloExtensions<'a>) -> Result<Self, Error> {
        let server_name = host_name(extensions.server_name)?;
        if extensions.pre_shared_key.is_some() && extensions.psk_key_exchange_modes.is_none() {
            return Err(Error::MissingExtension(
                MissingExtensionReason::PskKeyExchangeModes,
            ));
        }
        Ok(Self {
            extensions,
            server_name,
        })
    }
}

/// Up to this many supported groups are looked up by scanning the
/// client's list rather than through [`GroupSet`]'s bitmap: a sizing
/// choice, not a limit. Clients list about ten groups, and scanning 32
/// for each of a few key shares costs less than allocating and zeroing
/// 8 KiB.
pub const GROUPS_SCANNED: usize = 32;

/// The groups of a ClientHello's supported_groups as a set (RFC 8446
/// §4.2.7), so that checking the key shares against it and choosing a
/// group for a HelloRetryRequest take one pass over the list however long
/// the client made it (up to 32,767 groups): the list itself when it is
/// short ([`GROUPS_SCANNED`]), a bitmap over the whole 16-bit code space
/// otherwise.
enum GroupSet<'a> {
    /// A short list, scanned.
    Listed(&'a [NamedGroup]),
    /// An 8 KiB bitmap, one bit per code point.
    Bitmap(Vec<u64>),
}

impl<'a> GroupSet<'a> {
    /// The set of `groups`, built in one pass.
    fn new(groups: &'a [NamedGroup]) -> Self {
        if groups.len() <= GROUPS_SCANNED {
            return Self::Listed(groups);
        }
        let mut bits = vec![0u64; (usize::from(u16::MAX) + 1) / 64];
        for group in groups {
            let code = usize::from(u16::from(*group));
            if let Some(word) = bits.get_mut(code / 64) {
                *word |= 1 << (code % 64);
            }
        }
        Self::Bitmap(bits)
    }

    /// Whether `group` is in the set.
    fn contains(&self, group: NamedGroup) -> bool {
        match self {
            Self::Listed(groups) => groups.contains(&group),
            Self::Bitmap(bits) => {
                let code = usize::from(u16::from(group));
                bits.get(code / 64)
                    .is_some_and(|word| word & (1 << (code % 64)) != 0)
            }
        }
    }
}

/// What the server's groups make of a ClientHello's key shares.
#[derive(Clone, Copy)]
enum GroupChoice<'a> {
    /// The share to answer.
    Share(&'a KeyShareEntry),
    /// No share of the best tier the client supports: ask for this group
    /// (RFC 8446 §4.1.4).
    Retry(NamedGroup),
    /// No group in common.
    None,
}

/// Chooses the group (RFC 8446 §4.2.8): in the best of the server's
/// tiers ([`ServerConfig::group_tier_sizes`]) that holds a group the
/// client supports, the first of ours the client sent a share for, or
/// else the first of ours the client supports, for a HelloRetryRequest.
/// Our few configured groups are matched against at most
/// `MAX_KEY_SHARES` shares.
fn choose_group<'a>(config: &ServerConfig, offer: &KeyExchangeOffer<'a>) -> GroupChoice<'a> {
    let groups = &config.common.groups;
    for tier in tiers(groups, &config.group_tier_sizes, Untiered::OneTier) {
        let share = tier
            .iter()
            .find_map(|g| offer.key_shares.iter().find(|s| s.group == *g));
        if let Some(share) = share {
            return GroupChoice::Share(share);
        }
        if let Some(group) = tier.iter().copied().find(|g| offer.groups.contains(*g)) {
            return GroupChoice::Retry(group);
        }
    }
    GroupChoice::None
}

/// The most offered PSK identities the server looks at, in order (RFC
/// 8446 §4.2.11 lets it choose any, or none): each may cost a ticket
/// unsealing or a store lookup, and a client has one or two PSKs for a
/// server (its newest ticket, an external PSK), so later ones are
/// ignored, as a PSK the server does not know is, rather than refused.
pub const MAX_PSK_IDENTITIES_CONSIDERED: usize = 8;

/// What an accepted PSK is (RFC 8446 §2.2).
enum AcceptedPsk {
    /// A ticket of ours: the session it resumes.
    Ticket(Box<ServerSessionState>),
    /// An external PSK, by identity: a new session, without certificates.
    External(Vec<u8>),
}

/// A PSK accepted for this handshake (RFC 8446 §2.2): a ticket that
/// resumes a session, or an external PSK.
struct Resumption {
    psk: AcceptedPsk,
    /// The index of its identity in the ClientHello, the ServerHello's
    /// selected_identity (RFC 8446 §4.2.11).
    index: u16,
    /// The client's view of the ticket's age (RFC 8446 §4.2.11.1), ms.
    client_ticket_age: u32,
    early: EarlySecret,
    /// psk_dhe_ke (true) or psk_ke (false), RFC 8446 §4.2.9.
    with_key_exchange: bool,
    binder: BinderVerified,
    /// The binder's bytes: unique to this ClientHello, the key the
    /// anti-replay filter records (RFC 8446 §8.2). A binder that verified
    /// is an HMAC output, so it is kept inline as one.
    replay_key: Tag,
    /// The transcript through the whole ClientHello, continued from the
    /// binder's, which covers it up to the binders (RFC 8446 §4.2.11.2):
    /// the message is hashed once for both.
    hello_transcript: Transcript,
}

/// HelloRetryRequest sent: the second ClientHello comes next (RFC 8446
/// §4.1.4), which must fit what the first and the retry fixed.
pub(crate) struct ExpectRetriedClientHello {
    config: Arc<ServerConfig>,
    retry: Retry,
}

impl ExpectRetriedClientHello {
    /// Reads the second ClientHello: one that does not choose TLS 1.3 is
    /// `illegal_parameter` (RFC 8446 §4.1.4).
    pub(super) fn expect_client_hello(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let hello = read_client_hello(common, message)?;
        let extensions = ClientHelloExtensions::of(&hello);
        if choose_version(&self.config, &hello, &extensions)? != ProtocolVersion::TLSv1_3 {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::RetryWithoutTls13,
            ));
        }
        let raw = &message.raw;
        handle_retried_client_hello(self.config, self.retry, common, &hello, extensions, raw)
    }
}

/// The key-exchange offer of a ClientHello once RFC 8446 §9.2's rules
/// hold: the groups as a set, and key shares only for groups in it.
struct KeyExchangeOffer<'a> {
    groups: GroupSet<'a>,
    key_shares: &'a [KeyShareEntry],
}

/// Reads a TLS 1.3 ClientHello's offer (RFC 8446 §4.1.2, §4.2.7,
/// §4.2.8, §9.2): only null compression; without a PSK, supported_groups
/// and key_share are mandatory (signature_algorithms is checked when a
/// certificate is chosen); each key share for a group the client lists.
fn read_offer<'a>(
    hello: &ClientHello,
    extensions: ClientHelloExtensions<'a>,
) -> Result<(Offer<'a>, KeyExchangeOffer<'a>), Error> {
    if hello.compression_methods != [Compression::Null] {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::Tls13Compression,
        ));
    }
    let offer = Offer::read(extensions)?;
    let (groups, key_shares) = match (
        offer.extensions.supported_groups,
        offer.extensions.key_shares,
        offer.extensions.pre_shared_key,
    ) {
        (Some(groups), Some(shares), _) => (groups, shares),
        (None, None, Some(_)) => (&[][..], &[][..]),
        (None, _, _) => {
            return Err(Error::MissingExtension(
                MissingExtensionReason::SupportedGroups,
            ))
        }
        (_, None, _) => return Err(Error::MissingExtension(MissingExtensionReason::KeyShare)),
    };
    // One pass over each list: the groups become a set, then each share
    // (at most MAX_KEY_SHARES, one per group) is looked up in it.
    let groups = GroupSet::new(groups);
    if key_shares.iter().any(|s| !groups.contains(s.group)) {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::KeyShareGroupNotSupported,
        ));
    }
    Ok((offer, KeyExchangeOffer { groups, key_shares }))
}

/// The TLS 1.3 suite (RFC 8446 §4.1.1): our most preferred the client
/// offers ([`suites_in_preference`]), except when one of the identities
/// the PSK walk considers ([`MAX_PSK_IDENTITIES_CONSIDERED`]) names an
/// external PSK of ours and a PSK mode we accept is offered: then our
/// most preferred offered suite of that PSK's hash, as a PSK is used
/// only with a suite of its hash (§4.2.11) and an external PSK was set up
/// to be used (OpenSSL's server likewise takes the suite of the PSK it
/// finds). No suite in common is `handshake_failure`.
fn choose_suite(
    config: &ServerConfig,
    hello: &ClientHello,
    offer: &Offer<'_>,
) -> Result<Tls13Suite, Error> {
    let offered = || {
        suites_in_preference(config, hello.cipher_suites.as_slice(), |s| {
            tls13_suite(s).is_some()
        })
        .filter_map(tls13_suite)
    };
    let external_hash = offer
        .psk_mode(config)
        .and(offer.extensions.pre_shared_key)
        .zip(config.external_psks.as_ref())
        .and_then(|(psk, psks)| {
            psk.identities
                .iter()
                .take(MAX_PSK_IDENTITIES_CONSIDERED)
                .find_map(|identity| psks.find(&identity.identity))
        })
        .map(|external| external.hash());
    external_hash
        .and_then(|hash| offered().find(|s| s.hash == hash))
        .or_else(|| offered().next())
        .ok_or(Error::HandshakeFailure(
            HandshakeFailureReason::NoCommonSuite,
        ))
}

/// Handles the first ClientHello that chose TLS 1.3 (RFC 8446 §2):
/// answers with a HelloRetryRequest when no key share is usable (and
/// none is needed for psk_ke), otherwise with the whole server flight,
/// abbreviated when a ticket resumes the session.
pub(super) fn handle_client_hello(
    config: Arc<ServerConfig>,
    common: &mut dyn HandshakeIo,
    hello: &ClientHello,
    extensions: ClientHelloExtensions<'_>,
    raw: &[u8],
) -> Result<State, Error> {
    let (offer, key_exchange) = read_offer(hello, extensions)?;
    let suite = choose_suite(&config, hello, &offer)?;
    let choice = choose_group(&config, &key_exchange);
    let psk_mode = offer.psk_mode(&config);
    // Without a usable share, retry before using a ticket, so that a
    // single-use ticket survives for the second ClientHello.
    let resumption =
        if matches!(choice, GroupChoice::Share(_)) || psk_mode == Some(PskKeyExchangeMode::PskKe) {
            try_resume(&config, common, hello, raw, &offer, suite, PskLookup::First)?
        } else {
            None
        };
    let share = match (choice, &resumption) {
        (_, Some(r)) if !r.with_key_exchange => None,
        (GroupChoice::Share(share), _) => Some(share),
        (GroupChoice::None, _) => {
            return Err(Error::HandshakeFailure(
                HandshakeFailureReason::NoCommonGroup,
            ))
        }
        (GroupChoice::Retry(group), _) => {
            let psk_identity = try_resume(
                &config,
                common,
                hello,
                raw,
                &offer,
                suite,
                PskLookup::BeforeRetry,
            )?
            .and_then(|r| offered_identity(&offer, r.index));
            let ask = RetryAsk {
                suite,
                group,
                psk_identity,
            };
            return send_retry(config, common, hello, &offer, raw, ask)
                .map(State::ExpectRetriedClientHello);
        }
    };
    let transcript = match &resumption {
        Some(r) => r.hello_transcript.clone(),
        None => Transcript::new(suite.hash, &[raw]),
    };
    let agreed = Agreed {
        suite,
        share,
        resumption,
        transcript,
        ccs_sent: false,
    };
    send_flight(config, common, Answering { hello, offer }, agreed)
}

/// Handles the second ClientHello (RFC 8446 §4.1.2, §4.1.4): once it fits
/// the retry, its one key share is the group asked for, so the server
/// flight follows (no second retry), without 0-RTT.
fn handle_retried_client_hello(
    config: Arc<ServerConfig>,
    retry: Retry,
    common: &mut dyn HandshakeIo,
    hello: &ClientHello,
    extensions: ClientHelloExtensions<'_>,
    raw: &[u8],
) -> Result<State, Error> {
    let (offer, _) = read_offer(hello, extensions)?;
    let suite = choose_suite(&config, hello, &offer)?;
    let share = check_retried_hello(&retry, hello, &offer, suite)?;
    let resumption = try_resume(
        &config,
        common,
        hello,
        raw,
        &offer,
        suite,
        PskLookup::Retried(&retry.transcript),
    )?;
    let share = match &resumption {
        Some(r) if !r.with_key_exchange => None,
        _ => Some(share),
    };
    let transcript = match &resumption {
        Some(r) => r.hello_transcript.clone(),
        None => {
            let mut transcript = retry.transcript;
            transcript.add(raw);
            transcript
        }
    };
    let agreed = Agreed {
        suite,
        share,
        resumption,
        transcript,
        // The dummy ChangeCipherSpec went out with the HelloRetryRequest.
        ccs_sent: !hello.session_id.is_empty(),
    };
    send_flight(config, common, Answering { hello, offer }, agreed)
}

/// The ClientHello a server flight answers: the message and what it
/// offers (its encoding is in the transcript already).
struct Answering<'h, 'a> {
    hello: &'h ClientHello,
    offer: Offer<'a>,
}

/// What the ClientHello settled before the flight: the suite, the client
/// share to answer (none for psk_ke), the ticket accepted, the
/// transcript through the ClientHello (after a HelloRetryRequest's, if
/// one was sent) and whether the dummy ChangeCipherSpec already went out.
struct Agreed<'a> {
    suite: Tls13Suite,
    share: Option<&'a KeyShareEntry>,
    resumption: Option<Resumption>,
    transcript: Transcript,
    ccs_sent: bool,
}

/// Sends the server flight of RFC 8446 §2 — ServerHello, then under the
/// handshake keys EncryptedExtensions, [CertificateRequest, Certificate,
/// CertificateVerify], Finished — then waits for the client's second
/// flight.
fn send_flight(
    config: Arc<ServerConfig>,
    common: &mut dyn HandshakeIo,
    answering: Answering<'_, '_>,
    mut agreed: Agreed<'_>,
) -> Result<State, Error> {
    let Answering { hello, offer } = answering;
    let suite = agreed.suite;
    let choices = choose_flight(&config, hello, &offer, suite, agreed.resumption.as_ref())?;
    let (client_hello_hash, shared_secret) =
        send_server_hello(&config, common, hello, &mut agreed)?;
    let Agreed {
        share,
        resumption,
        mut transcript,
        ..
    } = agreed;
    let session_id_t = persistent_session_id(&config, resumption.as_ref())?;
    let external_psk = resumption
        .as_ref()
        .is_some_and(|r| matches!(r.psk, AcceptedPsk::External(_)));
    // RFC 6066 §3: no server_name acknowledgement when resuming a session
    // (a ticket); EncryptedExtensions carries what the ServerHello did.
    let acknowledge_server_name =
        offer.server_name.is_some() && (resumption.is_none() || external_psk);
    let (early, client) = early_secret(&config, common, hello, suite, resumption)?;
    let inputs = KeyInputs {
        early,
        client_hello_hash,
        shared_secret,
    };
    let keys = install_handshake_keys(
        &config,
        common,
        suite,
        inputs,
        &transcript,
        &choices,
        offer.extensions.early_data,
    )?;
    // RFC 8446 §4.2.7: a server that prefers a group to the one whose
    // share it took SHOULD tell the client every group it supports.
    let announced_groups = share
        .is_some_and(|s| config.common.groups.first() != Some(&s.group))
        .then_some(config.common.groups.as_slice());
    let announced = Announced {
        server_name: acknowledge_server_name,
        groups: announced_groups,
    };
    send_encrypted_extensions(common, &mut transcript, &choices, announced)?;
    let requested_schemes = match &choices.certificate {
        Some((certificate, scheme)) => {
            let requested = request_client_certificate(&config, common, &mut transcript)?;
            let compression = choices.certificate_compression;
            let typ = choices.server_certificate_type.typ;
            // A raw public key (RFC 7250 §3) has no certificate for a
            // staple to be about.
            let staples = if typ == CertificateType::X509 {
                stapling::to_send(&offer.extensions, certificate)
            } else {
                Staples::default()
            };
            common.report(HandshakeEvent::SentCertificate(certificate.clone()));
            send_certificate(
                &config,
                common,
                &mut transcript,
                ServerCertificate {
                    key: certificate,
                    typ,
                    scheme: *scheme,
                    compression,
                    staples: &staples,
                },
            )?;
            common.report(HandshakeEvent::Stapled(staples));
            requested
        }
        None => None,
    };
    let application = send_finished(common, &mut transcript, suite, keys)?;
    // RFC 8446 §4.4.4: data may follow our Finished, but not to a client
    // asked for a certificate, whose owner is not known before its
    // CertificateVerify.
    if config.send_half_rtt_data && requested_schemes.is_none() {
        common.start_writes_before_peer_finished()?;
    }
    let group = share.map(|s| s.group);
    // RFC 8446 §4.2.9: no tickets the client's advertised modes cannot
    // use. A client that advertises none still gets them, as from
    // OpenSSL and GnuTLS (tlsfuzzer's ticket scripts expect it), though
    // JSSE, Go and BoringSSL servers send it none.
    let tickets_usable = offer.extensions.psk_key_exchange_modes.is_none()
        || offer.shared_psk_mode(&config).is_some();
    report_negotiated(common, suite, group, choices.alpn, offer.server_name);
    common.report(HandshakeEvent::SessionId(session_id_t));
    let request_certificate = requested_schemes.is_some();
    let accept_early_data = choices.accept_early_data;
    let flight = ClientFlight {
        config,
        suite,
        transcript,
        client_handshake_traffic: application.client_handshake_traffic,
        client_application_traffic: application.client_application_traffic,
        server_application_traffic: application.server_application_traffic,
        resumption: application.resumption,
        requested_schemes: requested_schemes.unwrap_or_default(),
        authenticated: choices.authenticated,
        record_size_limit: choices.record_size_limit,
        post_handshake_auth: offer.extensions.post_handshake_auth,
        external_psk,
        client_certificate_type: choices.client_certificate_type.typ,
        tickets_usable,
    };
    Ok(expect_client_flight(
        flight,
        request_certificate,
        accept_early_data,
        client,
    ))
}

/// The state that waits for the client's second flight (RFC 8446 §2):
/// its Certificate when one was asked for, its EndOfEarlyData when 0-RTT
/// was accepted (RFC 8446 §4.5), otherwise its Finished.
fn expect_client_flight(
    flight: ClientFlight,
    request_certificate: bool,
    accept_early_data: bool,
    client: ClientIdentity,
) -> State {
    if request_certificate {
        State::ExpectCertificate(ExpectCertificate(flight))
    } else if accept_early_data {
        State::ExpectEndOfEarlyData(ExpectEndOfEarlyData(ExpectFinished { flight, client }))
    } else {
        State::ExpectFinished(ExpectFinished { flight, client })
    }
}

/// The persistent server session ID T of design §3, never on the wire:
/// made now for a full handshake and for an external PSK's (a new
/// session), restored from the ticket when resuming.
fn persistent_session_id(
    config: &ServerConfig,
    resumption: Option<&Resumption>,
) -> Result<SessionId, Error> {
    Ok(match resumption.map(|r| &r.psk) {
        Some(AcceptedPsk::Ticket(state)) => state.session_id,
        Some(AcceptedPsk::External(_)) | None => SessionId::random(&*config.common.rng)?,
    })
}

/// Reports what the handshake settled (RFC 8446 §4.1.3, §4.2.7; RFC 7301
/// §3.2; RFC 6066 §3).
fn report_negotiated(
    common: &mut dyn HandshakeIo,
    suite: Tls13Suite,
    group: Option<NamedGroup>,
    alpn: Option<Vec<u8>>,
    server_name: Option<String>,
) {
    common.report(HandshakeEvent::Version(ProtocolVersion::TLSv1_3));
    common.report(HandshakeEvent::CipherSuite(suite.suite));
    if let Some(value) = group {
        common.report(HandshakeEvent::Group(value));
    }
    if let Some(value) = alpn {
        common.report(HandshakeEvent::Alpn(value));
    }
    if let Some(value) = server_name {
        common.report(HandshakeEvent::ServerName(value));
    }
}

/// What the server settles before sending its flight.
struct FlightChoices {
    /// The ALPN protocol (RFC 7301 §3.2).
    alpn: Option<Vec<u8>>,
    /// The session's authentication, carried over from the ticket on
    /// resumption (RFC 8446 §4.6.1 caps tickets from it); `None` for a
    /// full handshake, whose tickets are authenticated as they are made.
    authenticated: Option<UnixTime>,
    /// How much rejected 0-RTT data to skip (RFC 8446 §4.2.10).
    early_data_budget: usize,
    /// Whether the client's 0-RTT data is accepted (RFC 8446 §4.2.10).
    accept_early_data: bool,
    /// Why it is or is not ([`early_data_verdict`]).
    early_data_reason: EarlyDataReason,
    /// For a full handshake, our certificate and the scheme it signs
    /// with (RFC 8446 §4.4.2.2); `None` when a ticket resumes.
    certificate: Option<(Arc<CertifiedKey>, SignatureScheme)>,
    /// Both record_size_limits, when the client announced one and so do
    /// we (RFC 8449 §4).
    record_size_limit: Option<record_size_limit::Agreed>,
    /// The algorithm our Certificate is compressed with (RFC 8879 §4).
    certificate_compression: Option<CertificateCompressionAlgorithm>,
    /// What our Certificate carries (RFC 7250 §4.2).
    server_certificate_type: certificate_types::Negotiated,
    /// What the client's Certificate is to carry, when one is asked for.
    client_certificate_type: certificate_types::Negotiated,
}

/// Settles the ALPN protocol (RFC 7301 §3.2), 0-RTT (RFC 8446 §4.2.10)
/// and, for a full handshake, the certificate (RFC 8446 §4.4.2.2; by
/// server name, then by the client's certificate_authorities, §4.2.4): a
/// client without signature_algorithms is `missing_extension`, one whose
/// schemes fit none of ours `handshake_failure`.
fn choose_flight(
    config: &ServerConfig,
    hello: &ClientHello,
    offer: &Offer<'_>,
    suite: Tls13Suite,
    resumption: Option<&Resumption>,
) -> Result<FlightChoices, Error> {
    let alpn = choose_alpn(config, offer.extensions.alpn)?;
    let ticket = resumption.and_then(|r| match &r.psk {
        AcceptedPsk::Ticket(state) => Some(&**state),
        AcceptedPsk::External(_) => None,
    });
    let early_data_budget = rejected_early_data_budget(
        config,
        ticket
            .and_then(|t| t.tls13.as_ref())
            .map(|t| t.max_early_data_size),
    );
    // A second ClientHello never gets here with early_data
    // ([`check_retried_hello`]).
    let early_data_reason = early_data_verdict(config, offer, resumption, suite, &alpn);
    let accept_early_data = early_data_reason == EarlyDataReason::Accepted;
    // A ticket restores when the session was authenticated; an external
    // PSK starts a session authenticated now, as a full handshake does.
    let authenticated = ticket.map(ServerSessionState::authenticated_at);
    let certificate = match resumption {
        Some(_) => None,
        None => {
            let client_schemes =
                offer
                    .extensions
                    .signature_algorithms
                    .ok_or(Error::MissingExtension(
                        MissingExtensionReason::SignatureAlgorithms,
                    ))?;
            let resolved = certificate_candidates(
                config,
                hello,
                &offer.extensions,
                offer.server_name.as_deref(),
                ProtocolVersion::TLSv1_3,
            );
            let sendable = certificate_types::sendable(config, &offer.extensions, &resolved);
            let candidates = preferred(
                &sendable,
                offer.extensions.certificate_authorities.unwrap_or_default(),
            );
            let (certificate, scheme) =
                choose_certificate(&candidates, offer.server_name.as_deref(), client_schemes)
                    .ok_or(Error::HandshakeFailure(
                        if candidates.len() < sendable.len() {
                            HandshakeFailureReason::NoCertificateUnderNamedCa
                        } else {
                            HandshakeFailureReason::NoFittingCertificate
                        },
                    ))?;
            Some((certificate.clone(), scheme))
        }
    };
    let (server_certificate_type, client_certificate_type) =
        negotiate_certificate_types(config, offer, certificate.as_ref().map(|c| &*c.0))?;
    Ok(FlightChoices {
        alpn,
        authenticated,
        early_data_budget,
        accept_early_data,
        early_data_reason,
        certificate,
        record_size_limit: record_size_limit::server_agreement(
            &config.common,
            offer.extensions.record_size_limit,
            offer.extensions.max_fragment_length,
            true,
        ),
        certificate_compression: certificate_compression::choose(
            &config.common,
            offer.extensions.compress_certificate,
        ),
        server_certificate_type,
        client_certificate_type,
    })
}

/// The certificate types of a full handshake
/// ([`certificate_types::negotiate_for_server`]); nothing to negotiate
/// when a ticket resumes.
fn negotiate_certificate_types(
    config: &ServerConfig,
    offer: &Offer<'_>,
    certificate: Option<&CertifiedKey>,
) -> Result<(certificate_types::Negotiated, certificate_types::Negotiated), Error> {
    let implied = certificate_types::Negotiated::IMPLIED_X509;
    match certificate {
        Some(certificate) => {
            certificate_types::negotiate_for_server(config, &offer.extensions, certificate)
        }
        None => Ok((implied, implied)),
    }
}

/// Sends the ServerHello (RFC 8446 §4.1.3): the PSK selected when
/// resuming, our key share for the client share's group, TLS 1.3
/// selected; then a dummy ChangeCipherSpec in middlebox compatibility
/// mode unless the retry sent it (RFC 8446 §D.4). Adds the ServerHello to
/// the transcript, which holds the ClientHello already; returns the
/// ClientHello's transcript hash (for 0-RTT keys) and the (EC)DHE shared
/// secret.
fn send_server_hello(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    hello: &ClientHello,
    agreed: &mut Agreed<'_>,
) -> Result<(Digest, Option<Secret>), Error> {
    let Agreed {
        suite,
        share,
        ref resumption,
        ref mut transcript,
        ccs_sent,
    } = *agreed;
    let rng = &*config.common.rng;
    let random = random_array::<RANDOM_LEN>(rng)?;
    let mut extensions = Vec::new();
    if let Some(r) = resumption {
        extensions.push(Extension::PreSharedKeySelected(r.index));
    }
    let shared_secret = match share {
        Some(share) => {
            let (key_exchange, secret) = server_share(share.group, &share.key_exchange, rng)?;
            extensions.push(Extension::KeyShareSelected(KeyShareEntry {
                group: share.group,
                key_exchange,
            }));
            Some(secret)
        }
        None => None,
    };
    extensions.push(Extension::SupportedVersionsSelected(
        ProtocolVersion::TLSv1_3,
    ));
    let client_hello_hash = transcript.current();
    let server_hello = ServerHello {
        legacy_version: ProtocolVersion::TLSv1_2,
        random,
        session_id: hello.session_id.clone(),
        cipher_suite: suite.suite,
        compression_method: Compression::Null,
        extensions: Some(extensions),
    };
    let bytes = common.send_handshake(&HandshakeMessage::ServerHello(server_hello))?;
    transcript.add(bytes);
    if !hello.session_id.is_empty() && !ccs_sent {
        common.send_dummy_ccs()?;
    }
    Ok((client_hello_hash, shared_secret))
}

/// The early secret (RFC 8446 §7.1): the accepted PSK's, whose binder
/// proved the client (a ticket's reported as a resumption, an external
/// PSK's by its identity), or the one of no PSK.
fn early_secret(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    hello: &ClientHello,
    suite: Tls13Suite,
    resumption: Option<Resumption>,
) -> Result<(EarlySecret, ClientIdentity), Error> {
    Ok(match resumption {
        Some(r) => {
            match r.psk {
                AcceptedPsk::Ticket(state) => {
                    common.report(HandshakeEvent::Resumed);
                    common.report(HandshakeEvent::PeerCertificates(state.peer_certificates));
                    if let Some(data) = state.resumption_data {
                        common.report(HandshakeEvent::ResumptionData(data));
                    }
                }
                AcceptedPsk::External(identity) => {
                    common.report(HandshakeEvent::ExternalPsk(identity));
                }
            }
            (r.early, ClientIdentity::Resumed(r.binder))
        }
        None => (
            EarlySecret::new(suite.hash, None, key_logger(&config.common, hello.random))?,
            ClientIdentity::NotRequested,
        ),
    })
}

/// The handshake secret and its traffic secrets (RFC 8446 §7.1).
struct HandshakeKeys {
    secret: HandshakeSecret,
    client: TrafficSecret,
    server: TrafficSecret,
}

/// What the handshake secret is made from (RFC 8446 §7.1): the early
/// secret, the ClientHello's transcript hash (for the 0-RTT key) and the
/// (EC)DHE shared secret, none for psk_ke.
struct KeyInputs {
    early: EarlySecret,
    client_hello_hash: Digest,
    shared_secret: Option<Secret>,
}

/// Derives the handshake keys and installs them (RFC 8446 §7.1, §7.3):
/// ours for writing; for reading the client's 0-RTT key when its early
/// data is accepted, otherwise its handshake key, skipping the rejected
/// 0-RTT data it may send first (RFC 8446 §4.2.10).
fn install_handshake_keys(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    suite: Tls13Suite,
    inputs: KeyInputs,
    transcript: &Transcript,
    choices: &FlightChoices,
    early_data_offered: bool,
) -> Result<HandshakeKeys, Error> {
    let KeyInputs {
        early,
        client_hello_hash,
        shared_secret,
    } = inputs;
    common.report(HandshakeEvent::EarlyDataReason(choices.early_data_reason));
    let early_traffic = if choices.accept_early_data {
        Some((
            early.client_early_traffic_secret(&client_hello_hash)?,
            early.early_exporter(&client_hello_hash)?,
        ))
    } else {
        None
    };
    let secret = early.into_handshake(shared_secret.as_ref().map(|s| s.as_bytes()))?;
    let hello_hash = transcript.current();
    let client = secret.client_handshake_traffic_secret(&hello_hash)?;
    let server = secret.server_handshake_traffic_secret(&hello_hash)?;
    common.set_tls13_write_key(suite.aead, &server)?;
    match early_traffic {
        Some((early_traffic, early_exporter)) => {
            common.set_tls13_read_key(suite.aead, &early_traffic)?;
            common.accept_early_data(wire_len(config.max_early_data_size), early_exporter);
        }
        None => {
            common.set_tls13_first_read_key(suite.aead, &client)?;
            if let Some(agreed) = &choices.record_size_limit {
                agreed.apply_own(common)?;
            }
            if early_data_offered {
                common.skip_rejected_early_data(choices.early_data_budget);
            }
        }
    }
    Ok(HandshakeKeys {
        secret,
        client,
        server,
    })
}

/// What EncryptedExtensions tells the client besides the flight's
/// choices.
struct Announced<'c> {
    /// Acknowledge the server name (RFC 6066 §3: one was used and no
    /// session resumed).
    server_name: bool,
    /// The server's groups, when it prefers one to the group whose share
    /// it took (RFC 8446 §4.2.7).
    groups: Option<&'c [NamedGroup]>,
}

/// Sends EncryptedExtensions (RFC 8446 §4.3.1): early_data when 0-RTT is
/// accepted, what `announced` holds (the server_name acknowledgement,
/// supported_groups), the ALPN protocol, and the certificate types the
/// client asked about (RFC 7250 §4.2).
fn send_encrypted_extensions(
    common: &mut dyn HandshakeIo,
    transcript: &mut Transcript,
    choices: &FlightChoices,
    announced: Announced<'_>,
) -> Result<(), Error> {
    let mut extensions = Vec::new();
    if choices.accept_early_data {
        extensions.push(Extension::EarlyData);
    }
    if announced.server_name {
        extensions.push(Extension::ServerNameAck);
    }
    if let Some(groups) = announced.groups {
        extensions.push(Extension::SupportedGroups(groups.into()));
    }
    if let Some(protocol) = &choices.alpn {
        extensions.push(Extension::Alpn(vec![protocol.to_vec()]));
    }
    if let Some(agreed) = &choices.record_size_limit {
        extensions.push(agreed.extension());
        agreed.apply_peer(common)?;
    }

    if choices.server_certificate_type.answer {
        extensions.push(Extension::ServerCertificateTypeSelected(
            choices.server_certificate_type.typ,
        ));
    }
    if choices.client_certificate_type.answer {
        extensions.push(Extension::ClientCertificateTypeSelected(
            choices.client_certificate_type.typ,
        ));
    }
    let bytes = common.send_handshake(&HandshakeMessage::EncryptedExtensions(extensions))?;
    transcript.add(bytes);
    Ok(())
}

/// Sends a CertificateRequest (RFC 8446 §4.3.2, with an empty context)
/// when a client verifier is configured ([`certificate_request`]);
/// returns the schemes it lists, the only ones the client's
/// CertificateVerify may use, or `None` when no certificate is asked for.
fn request_client_certificate(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    transcript: &mut Transcript,
) -> Result<Option<Vec<SignatureScheme>>, Error> {
    let Some(verifier) = config.client_auth.verifier() else {
        return Ok(None);
    };
    let (request, requested_schemes) = certificate_request(config, verifier.as_ref(), Vec::new())?;
    let bytes = common.send_handshake(&HandshakeMessage::CertificateRequestTls13(request))?;
    transcript.add(bytes);
    Ok(Some(requested_schemes))
}

/// What the server's Finished leaves for the client's second flight.
struct AfterServerFinished {
    client_handshake_traffic: TrafficSecret,
    client_application_traffic: TrafficSecret,
    server_application_traffic: TrafficSecret,
    resumption: PendingResumption,
}

/// Sends our Finished (RFC 8446 §4.4.4), then derives the application
/// secrets over the transcript through it and writes under ours (RFC 8446
/// §7.1); the exporter secret is kept for the connection (RFC 8446 §7.5).
fn send_finished(
    common: &mut dyn HandshakeIo,
    transcript: &mut Transcript,
    suite: Tls13Suite,
    keys: HandshakeKeys,
) -> Result<AfterServerFinished, Error> {
    let verify_data = keys
        .server
        .finished_key()?
        .verify_data(&transcript.current())?;
    let bytes =
        common.send_handshake(&HandshakeMessage::Finished(verify_data.as_bytes().into()))?;
    transcript.add(bytes);
    let application = keys
        .secret
        .into_master()?
        .into_application(&transcript.current())?;
    common.set_tls13_write_key(suite.aead, &application.server)?;
    common.set_exporter(application.exporter);
    Ok(AfterServerFinished {
        client_handshake_traffic: keys.client,
        client_application_traffic: application.client,
        server_application_traffic: application.server,
        resumption: application.resumption,
    })
}

/// A wire byte count as a buffer size.
fn wire_len(count: u32) -> usize {
    usize::try_from(count).unwrap_or(usize::MAX)
}

/// The rejected 0-RTT plaintext skipped (RFC 8446 §4.2.10: "up to the
/// configured max_early_data_size") when the offered ticket unsealed with
/// `ticket_allowance` (its max_early_data_size), or did not (`None`): the
/// largest of that allowance, our own max_early_data_size and
/// [`DEFAULT_REJECTED_EARLY_DATA_SKIP`]. The floor holds under a ticket
/// too, so a client that sends 0-RTT data its ticket did not allow
/// (Erlang/OTP 25's client does when the application hands it the
/// ticket) still gets its 1-RTT handshake, as from OpenSSL
/// (`recv_max_early_data`, 16 KiB by default) and BoringSSL (16 KiB
/// whatever the ticket said).
fn rejected_early_data_budget(config: &ServerConfig, ticket_allowance: Option<u32>) -> usize {
    ticket_allowance
        .map_or(0, wire_len)
        .max(wire_len(config.max_early_data_size))
        .max(DEFAULT_REJECTED_EARLY_DATA_SKIP)
}

/// The most the client's and our views of a ticket's age may differ for
/// 0-RTT to be accepted: 10 seconds (RFC 8446 §8.3 leaves the window to
/// the server; a late ClientHello is then not replayable much later).
pub const MAX_EARLY_DATA_AGE_SKEW_MS: u64 = 10_000;

/// Whether 0-RTT is accepted (RFC 8446 §4.2.10), or why not, in this
/// order: 0-RTT enabled, a PSK offered, 0-RTT offered, with a ticket that
/// resumed; the first identity a ticket (not an external PSK) allowing
/// early data, of the same suite; the session's ALPN protocol; a ticket
/// age close to ours
/// (RFC 8446 §8.3: within the anti-replay filter's window, or
/// [`MAX_EARLY_DATA_AGE_SKEW_MS`]); and a ClientHello that cannot be
/// replayed: tickets single-use (a session store), or else the filter
/// seeing this ClientHello for the first time (RFC 8446 §8.2), asked last
/// so that only ClientHellos whose 0-RTT is accepted are recorded.
fn early_data_verdict(
    config: &ServerConfig,
    offer: &Offer<'_>,
    resumption: Option<&Resumption>,
    suite: Tls13Suite,
    alpn: &Option<Vec<u8>>,
) -> EarlyDataReason {
    use EarlyDataReason as R;
    if config.max_early_data_size == 0 {
        return R::Disabled;
    }
    if offer.extensions.pre_shared_key.is_none() {
        return R::NoSessionOffered;
    }
    if !offer.extensions.early_data {
        return R::PeerDeclined;
    }
    let Some(resumption) = resumption else {
        return R::SessionNotResumed;
    };
    // RFC 8446 §4.2.10: 0-RTT is under the first identity's PSK only.
    let (AcceptedPsk::Ticket(state), 0) = (&resumption.psk, resumption.index) else {
        return R::UnsupportedForSession;
    };
    let ticket_allows = state
        .tls13
        .as_ref()
        .is_some_and(|t| t.max_early_data_size > 0);
    if !ticket_allows || state.cipher_suite != suite.suite {
        return R::UnsupportedForSession;
    }
    if state.alpn_protocol != *alpn {
        return R::AlpnMismatch;
    }
    let our_age = config
        .common
        .clock
        .now()
        .saturating_since(state.validity.created())
        .as_millis();
    let skew = our_age.abs_diff(u128::from(resumption.client_ticket_age));
    let window = config
        .anti_replay
        .as_ref()
        .map_or(MAX_EARLY_DATA_AGE_SKEW_MS, |f| f.window_ms());
    if skew > u128::from(window) {
        return R::TicketAgeSkew;
    }
    let unreplayable = match (&config.anti_replay, &config.session_store) {
        (Some(filter), _) => {
            let now = config.common.clock.now();
            filter.check_and_record(resumption.replay_key.as_bytes(), now) == ReplayCheck::Fresh
        }
        (None, Some(_)) => true,
        (None, None) => false,
    };
    if unreplayable {
        R::Accepted
    } else {
        R::ReplayProtection
    }
}

/// What the server's Certificate and CertificateVerify carry: the key,
/// the certificate type (RFC 7250 §3), the CertificateVerify scheme, the
/// compression (RFC 8879 §4) and the staples of the end entity (RFC 8446
/// §4.4.2.1).
struct ServerCertificate<'a> {
    key: &'a CertifiedKey,
    typ: CertificateType,
    scheme: SignatureScheme,
    compression: Option<CertificateCompressionAlgorithm>,
    staples: &'a Staples,
}

/// Sends the server's Certificate and CertificateVerify (RFC 8446 §4.4.2,
/// §4.4.3), the staples in the end entity's entry.
fn send_certificate(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    transcript: &mut Transcript,
    certificate: ServerCertificate<'_>,
) -> Result<(), Error> {
    let entries = certificate_types::certificate_contents(certificate.key, certificate.typ)
        .into_iter()
        .enumerate()
        .map(|(i, cert_data)| CertificateEntry {
            cert_data,
            extensions: if i == 0 {
                stapling::entry_extensions(certificate.staples)
            } else {
                Vec::new()
            },
        })
        .collect();
    common.report(HandshakeEvent::ServerCertificateType(certificate.typ));
    let bytes = certificate_compression::send(
        common,
        &config.common,
        CertificateTls13 {
            context: Vec::new(),
            entries,
        },
        certificate.compression,
    )?;
    transcript.add(bytes);
    let signed = sign_certificate_verify(
        certificate.key.key(),
        certificate.scheme,
        SERVER_CERTIFICATE_VERIFY_CONTEXT,
        &transcript.current(),
    )?;
    let bytes = common.send_handshake(&HandshakeMessage::CertificateVerify(signed))?;
    transcript.add(bytes);
    Ok(())
}

/// Walks the offered PSK identities in order (RFC 8446 §4.2.11), at most
/// [`MAX_PSK_IDENTITIES_CONSIDERED`], and takes the first the server can
/// use: an external PSK of the chosen suite's hash, or a ticket unsealed
/// by the ticketer or found in the session store (and taken out of it
/// only once its binder verified) whose session fits. Only that
/// identity's binder is checked (RFC 8446 §4.2.11.2); one that does not
/// verify is `decrypt_error` and leaves a stateful ticket usable. No
/// usable identity means a full handshake. Sets `resumption_requested`
/// when a ticket was recognised.
fn try_resume(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    hello: &ClientHello,
    raw: &[u8],
    offer: &Offer<'_>,
    suite: Tls13Suite,
    lookup: PskLookup<'_>,
) -> Result<Option<Resumption>, Error> {
    let prior = match lookup {
        PskLookup::Retried(transcript) => Some(transcript),
        PskLookup::First | PskLookup::BeforeRetry => None,
    };
    let (Some(psk), Some(mode)) = (offer.extensions.pre_shared_key, offer.psk_mode(config)) else {
        return Ok(None);
    };
    if psk.identities.len() != psk.binders.len() {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::PskIdentitiesBinders,
        ));
    }
    let now = config.common.clock.now();
    let offered = psk.identities.iter().zip(&psk.binders);
    for (index, (identity, binder)) in offered.take(MAX_PSK_IDENTITIES_CONSIDERED).enumerate() {
        let Some(candidate) = usable_psk(config, common, &identity.identity, offer, suite, now)
        else {
            continue;
        };
        let (early, verified, hello_transcript) =
            verify_psk_binder(config, hello, raw, suite, prior, &candidate, binder)?;
        let (psk, age_add) = match candidate {
            PskCandidate::External(external) => {
                (AcceptedPsk::External(external.identity().to_vec()), 0)
            }
            PskCandidate::Ticket { state, stateful } => {
                // The binder proved the client holds the PSK: only now is
                // a stateful ticket used up (single use, RFC 8446 §8.1). A
                // take that finds nothing lost a race with another
                // connection: that identity is not usable after all.
                if let (Some((store, key)), false) =
                    (&stateful, matches!(lookup, PskLookup::BeforeRetry))
                {
                    if store.take(key).is_none() {
                        continue;
                    }
                }
                let age_add = state.tls13.as_ref().map_or(0, |t| t.age_add);
                (AcceptedPsk::Ticket(state), age_add)
            }
        };
        return Ok(Some(Resumption {
            psk,
            // At most MAX_PSK_IDENTITIES_CONSIDERED.
            index: u16::try_from(index).unwrap_or(u16::MAX),
            client_ticket_age: identity.obfuscated_ticket_age.wrapping_sub(age_add),
            early,
            with_key_exchange: mode == PskKeyExchangeMode::PskDheKe,
            binder: verified,
            replay_key: Tag::from_slice(binder),
            hello_transcript,
        }));
    }
    Ok(None)
}

/// Which ClientHello [`try_resume`] looks at, and what finding a PSK
/// there does.
#[derive(Clone, Copy)]
enum PskLookup<'t> {
    /// The first ClientHello, answered with the server flight: the PSK
    /// found is used (a stateful ticket taken out of the store).
    First,
    /// The first ClientHello, answered with a HelloRetryRequest: the PSK
    /// found is only noted, for the second ClientHello to offer again; a
    /// stateful ticket stays in the store until then.
    BeforeRetry,
    /// The second ClientHello: binders continue the retry's transcript
    /// (RFC 8446 §4.2.11.2), and the PSK found is used.
    Retried(&'t Transcript),
}

/// The identity the ClientHello offered at `index` (a [`Resumption`]'s).
fn offered_identity(offer: &Offer<'_>, index: u16) -> Option<Vec<u8>> {
    let psk = offer.extensions.pre_shared_key?;
    psk.identities
        .get(usize::from(index))
        .map(|identity| identity.identity.clone())
}

/// An offered identity the server can use, before its binder is checked.
enum PskCandidate<'s> {
    /// An external PSK of ours.
    External(ExternalPsk),
    /// A ticket's session, and where a stateful ticket is kept.
    Ticket {
        state: Box<ServerSessionState>,
        stateful: Option<(&'s Arc<dyn ServerSessionStore>, StoreKey)>,
    },
}

impl PskCandidate<'_> {
    /// The PSK and which binder label it takes (RFC 8446 §7.1).
    fn secret(&self) -> (&[u8], PskKind) {
        match self {
            Self::External(external) => (external.key().as_bytes(), external.kind()),
            Self::Ticket { state, .. } => (state.secret.as_bytes(), PskKind::Resumption),
        }
    }
}

/// What `identity` names, when the server can use it with `suite`: an
/// external PSK of the suite's hash (RFC 8446 §4.2.11), looked up first
/// as a map lookup is cheaper than an unsealing; else a ticket whose
/// session fits ([`ticket_fits`]).
fn usable_psk<'s>(
    config: &'s ServerConfig,
    common: &mut dyn HandshakeIo,
    identity: &[u8],
    offer: &Offer<'_>,
    suite: Tls13Suite,
    now: UnixTime,
) -> Option<PskCandidate<'s>> {
    if let Some(external) = config.external_psks.as_ref().and_then(|p| p.find(identity)) {
        return (external.hash() == suite.hash).then_some(PskCandidate::External(external));
    }
    let stateful = config
        .session_store
        .as_ref()
        .and_then(|store| store_key(StoreKeyKind::Tls13Ticket, identity).map(|key| (store, key)));
    let state = Box::new(look_up_ticket(
        config,
        common,
        identity,
        stateful.as_ref(),
        now,
    )?);
    common.report(HandshakeEvent::ResumptionRequested);
    ticket_fits(config, &state, offer, suite, now)
        .then_some(PskCandidate::Ticket { state, stateful })
}

/// Whether the ticket's session may resume this connection
/// (`session::check_resumption`): TLS 1.3, a suite of the chosen suite's
/// hash (RFC 8446 §4.2.11), the same server name and client
/// authentication, within its lifetime. One that does not fit means a
/// full handshake.
fn ticket_fits(
    config: &ServerConfig,
    state: &ServerSessionState,
    offer: &Offer<'_>,
    suite: Tls13Suite,
    now: UnixTime,
) -> bool {
    let same_hash: Vec<CipherSuite> = TLS13_CIPHER_SUITES
        .iter()
        .copied()
        .filter(|s| tls13_suite(*s).is_some_and(|t| t.hash == suite.hash))
        .collect();
    check_resumption(
        state,
        &ResumptionOffer {
            version: ProtocolVersion::TLSv1_3,
            acceptable_suites: &same_hash,
            extended_master_secret: false,
            encrypt_then_mac: false,
            max_fragment_length: None,
            server_name: offer.server_name.as_deref().map(str::as_bytes),
            client_auth: &config.client_auth,
            now,
        },
    )
    .is_ok()
}

/// The early secret of the candidate's PSK, the proof that the client's
/// binder for it verifies over the ClientHello up to the binders,
/// continuing the retry's transcript when there was one (RFC 8446
/// §4.2.11.2), and that transcript continued through the whole
/// ClientHello; a binder that does not verify is `decrypt_error`.
fn verify_psk_binder(
    config: &ServerConfig,
    hello: &ClientHello,
    raw: &[u8],
    suite: Tls13Suite,
    prior: Option<&Transcript>,
    candidate: &PskCandidate<'_>,
    binder: &[u8],
) -> Result<(EarlySecret, BinderVerified, Transcript), Error> {
    let (psk, kind) = candidate.secret();
    let early = EarlySecret::new(
        suite.hash,
        Some(psk),
        key_logger(&config.common, hello.random),
    )?;
    let (truncated, binders) = hello
        .truncated_for_binders(raw)
        .and_then(|truncated| raw.split_at_checked(truncated.len()))
        .ok_or(Error::Decode(DecodeReason::HelloShorterThanBinders))?;
    let mut transcript = match prior {
        Some(transcript) => transcript.clone(),
        None => Transcript::new(suite.hash, &[]),
    };
    transcript.add(truncated);
    let binder = verify_binder(&early.binder_key(kind)?, &transcript.current(), binder)?;
    transcript.add(binders);
    Ok((early, binder, transcript))
}

/// The session state of a ticket (RFC 8446 §4.6.1): looked up in the
/// session store under `stateful` when tickets are stateful — looked up,
/// not taken: a binder that does not verify must not burn a ticket seen
/// on the wire — or else unsealed by the ticketer. Design §3: resumption
/// was requested when the ticket unsealed (or was found), even if it
/// then turns out expired or unfit.
fn look_up_ticket(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    ticket: &[u8],
    stateful: Option<&(&Arc<dyn ServerSessionStore>, StoreKey)>,
    now: UnixTime,
) -> Option<ServerSessionState> {
    match stateful {
        Some((store, key)) => store.get(key),
        None if config.session_store.is_some() => None,
        None => match unseal_state(&*config.ticketer, ticket, now) {
            Ok(state) => Some(state),
            Err(TicketRejection::Expired) => {
                common.report(HandshakeEvent::ResumptionRequested);
                None
            }
            Err(_) => None,
        },
    }
}

/// The second ClientHello must keep what the first and the
/// HelloRetryRequest fixed (RFC 8446 §4.1.2, §4.1.4): the session ID, the
/// suite, exactly one key share for the group asked for, the cookie, the
/// PSK the server would have resumed with, and no early_data. A
/// difference is `illegal_parameter`; a cookie or pre_shared_key left
/// out is `missing_extension`. Returns that key share: the group asked for is
/// one of ours, so the second ClientHello always has a usable share.
fn check_retried_hello<'a>(
    retry: &Retry,
    hello: &ClientHello,
    offer: &Offer<'a>,
    suite: Tls13Suite,
) -> Result<&'a KeyShareEntry, Error> {
    if hello.session_id != retry.session_id {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::SessionIdChangedAfterRetry,
        ));
    }
    if suite.suite != retry.cipher_suite {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::SuiteChangedAfterRetry,
        ));
    }
    let share = match offer.extensions.key_shares {
        Some([share]) if share.group == retry.group => share,
        _ => {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::RetryKeyShareMissing,
            ))
        }
    };
    match (&retry.cookie, offer.extensions.cookie) {
        (None, None) => {}
        (Some(sent), Some(echoed)) if sent.as_slice() == echoed => {}
        (Some(_), None) => {
            return Err(Error::MissingExtension(
                MissingExtensionReason::CookieNotEchoed,
            ))
        }
        _ => {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::CookieMismatch,
            ))
        }
    }
    if offer.extensions.early_data {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::EarlyDataAfterRetry,
        ));
    }
    if let Some(kept) = &retry.psk_identity {
        let psk = offer
            .extensions
            .pre_shared_key
            .ok_or(Error::MissingExtension(
                MissingExtensionReason::PskAfterRetry,
            ))?;
        if !psk.identities.iter().any(|i| i.identity == *kept) {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::PskDroppedAfterRetry,
            ));
        }
    }
    if unchanging_part(hello) != retry.unchanging {
        return Err(Error::IllegalParameter(
            IllegalParameterReason::HelloChangedAfterRetry,
        ));
    }
    Ok(share)
}

/// What a HelloRetryRequest asks for: the suite, the group of the one
/// key share, and the PSK the second ClientHello must offer again.
struct RetryAsk {
    suite: Tls13Suite,
    group: NamedGroup,
    psk_identity: Option<Vec<u8>>,
}

/// Sends a HelloRetryRequest (RFC 8446 §4.1.4), with a cookie when
/// configured and a dummy ChangeCipherSpec when the client is in
/// middlebox compatibility mode (RFC 8446 §D.4).
fn send_retry(
    config: Arc<ServerConfig>,
    common: &mut dyn HandshakeIo,
    hello: &ClientHello,
    offer: &Offer<'_>,
    raw: &[u8],
    ask: RetryAsk,
) -> Result<ExpectRetriedClientHello, Error> {
    let RetryAsk {
        suite,
        group,
        psk_identity,
    } = ask;
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
    let bytes = common
        .send_handshake(&HandshakeMessage::ServerHello(retry))?
        .to_vec();
    if !hello.session_id.is_empty() {
        common.send_dummy_ccs()?;
    }
    if config.max_early_data_size == 0 {
        common.report(HandshakeEvent::EarlyDataReason(EarlyDataReason::Disabled));
    }
    if offer.extensions.early_data {
        // RFC 8446 §4.2.10: the 0-RTT data that follows the first
        // ClientHello is skipped.
        common.report(HandshakeEvent::EarlyDataReason(
            EarlyDataReason::HelloRetryRequest,
        ));
        common.skip_rejected_early_data(rejected_early_data_budget(&config, None));
    }
    common.report(HandshakeEvent::CipherSuite(suite.suite));
    Ok(ExpectRetriedClientHello {
        config,
        retry: Retry {
            transcript: Transcript::after_retry(suite.hash, raw, &bytes),
            cipher_suite: suite.suite,
            group,
            cookie,
            session_id: hello.session_id.clone(),
            unchanging: unchanging_part(hello),
            psk_identity,
        },
    })
}

/// What the states after the server flight carry.
pub(crate) struct ClientFlight {
    config: Arc<ServerConfig>,
    suite: Tls13Suite,
    transcript: Transcript,
    client_handshake_traffic: TrafficSecret,
    client_application_traffic: TrafficSecret,
    server_application_traffic: TrafficSecret,
    /// The master secret, for the resumption master secret once the
    /// client Finished is in the transcript.
    resumption: PendingResumption,
    /// The schemes our CertificateRequest listed.
    requested_schemes: Vec<SignatureScheme>,
    /// When the session was authenticated by a full handshake; `None` for
    /// this one.
    authenticated: Option<UnixTime>,
    /// Both record_size_limits, ours applied once 0-RTT data ends.
    record_size_limit: Option<record_size_limit::Agreed>,
    /// The client offered post_handshake_auth (RFC 8446 §4.2.6).
    post_handshake_auth: bool,
    /// The handshake authenticated with an external PSK.
    external_psk: bool,
    /// What the client's Certificate carries (RFC 7250 §4.2).
    client_certificate_type: CertificateType,
    /// The client lists a PSK mode of ours, or none at all; a client
    /// whose modes are all foreign to us gets no tickets (RFC 8446
    /// §4.2.9: a server SHOULD NOT send tickets the advertised modes
    /// cannot use).
    tickets_usable: bool,
}

/// How the client was authenticated, as proof values.
pub(crate) enum ClientIdentity {
    /// No certificate was asked for.
    NotRequested,
    /// Asked for, optional, and not given.
    NotProvided,
    /// A chain the verifier accepted and a signature by its key.
    Authenticated(crate::pki::ClientCertVerified, SignatureVerified),
    /// The client proved it holds the PSK: the resumed session's, or an
    /// external one.
    Resumed(BinderVerified),
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
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut flight = self.0;
        let HandshakeMessage::CertificateTls13(certificate) = certificate_compression::expand(
            decode_tls13(message, flight.suite.hash)?,
            &flight.config.common,
            common,
        )?
        else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedClientCertificate,
            ));
        };
        if !certificate.context.is_empty() {
            return Err(Error::IllegalParameter(
                IllegalParameterReason::CertificateContextMismatch,
            ));
        }
        let chain = certificate_types::tls13_client_chain(certificate.entries)?;
        flight.transcript.add(&message.raw);
        if chain.is_empty() {
            return match &flight.config.client_auth {
                ClientAuth::Required(_) => Err(Error::CertificateRequired),
                _ => Ok(State::ExpectFinished(ExpectFinished {
                    flight,
                    client: ClientIdentity::NotProvided,
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
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut flight = self.flight;
        let HandshakeMessage::CertificateVerify(signed) = decode_tls13(message, flight.suite.hash)?
        else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedCertificateVerify,
            ));
        };
        let (signature, scheme) = verify_certificate_verify(
            &self.public_key,
            &signed,
            &flight.requested_schemes,
            CLIENT_CERTIFICATE_VERIFY_CONTEXT,
            &flight.transcript.current(),
        )?;
        common.report(scheme);
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
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut flight = self.flight;
        let HandshakeMessage::Finished(verify_data) = decode_tls13(message, flight.suite.hash)?
        else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedFinished,
            ));
        };
        let finished = verify_finished(
            &flight.client_handshake_traffic.finished_key()?,
            &flight.transcript.current(),
            &verify_data,
        )?;
        flight.transcript.add(&message.raw);
        let resumption = flight
            .resumption
            .resumption_master_secret(&flight.transcript.current())?;
        common.set_tls13_read_key(flight.suite.aead, &flight.client_application_traffic)?;
        common.start_tls13_traffic(
            flight.suite.aead,
            flight.client_application_traffic,
            flight.server_application_traffic,
        )?;
        let tickets = if !flight.tickets_usable {
            0
        } else if common.negotiated().resumed() {
            flight.config.tickets_after_resumption
        } else {
            flight.config.tickets_after_full_handshake
        };
        for index in 0..tickets {
            send_ticket(
                &flight.config,
                common,
                &resumption,
                flight.suite,
                flight.authenticated,
                index,
            )?;
        }
        Ok(State::Traffic(Traffic {
            suite: flight.suite,
            post_handshake_auth: PostHandshakeAuth::new(
                flight.config,
                flight.post_handshake_auth,
                flight.external_psk,
                flight.transcript,
                flight.client_certificate_type,
            ),
            _client: self.client,
            _finished: finished,
        }))
    }
}

/// 0-RTT data accepted; it flows until the client's EndOfEarlyData.
pub(crate) struct ExpectEndOfEarlyData(ExpectFinished);

impl ExpectEndOfEarlyData {
    /// Reads EndOfEarlyData (RFC 8446 §4.5) and switches to the client's
    /// handshake key.
    pub(super) fn expect_end_of_early_data(
        self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<State, Error> {
        let mut next = self.0;
        let HandshakeMessage::EndOfEarlyData = decode_tls13(message, next.flight.suite.hash)?
        else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedEndOfEarlyData,
            ));
        };
        next.flight.transcript.add(&message.raw);
        common.end_early_data(true);
        common.set_tls13_read_key(
            next.flight.suite.aead,
            &next.flight.client_handshake_traffic,
        )?;
        if let Some(agreed) = &next.flight.record_size_limit {
            agreed.apply_own(common)?;
        }
        Ok(State::ExpectFinished(next))
    }
}

/// Handshake complete: KeyUpdate may arrive, and the answers to
/// post-handshake CertificateRequests.
pub(crate) struct Traffic {
    suite: Tls13Suite,
    pub(super) post_handshake_auth: PostHandshakeAuth,
    _client: ClientIdentity,
    _finished: FinishedVerified,
}

impl Traffic {
    /// Handles a post-handshake message: KeyUpdate (RFC 8446 §4.6.3)
    /// between answers, the messages of an answer to a post-handshake
    /// CertificateRequest (RFC 8446 §4.6.2); anything else is
    /// `unexpected_message`.
    pub(super) fn expect_traffic(
        mut self,
        common: &mut dyn HandshakeIo,
        message: &ReceivedHandshake,
    ) -> Result<Self, Error> {
        match decode_tls13(message, self.suite.hash)? {
            HandshakeMessage::KeyUpdate(request) if !self.post_handshake_auth.answering() => {
                common.receive_key_update(request)?
            }
            other => self.post_handshake_auth.receive(common, other, message)?,
        }
        Ok(self)
    }
}

/// A NewSessionTicket's `ticket` and `ticket_nonce` (RFC 8446 §4.6.1).
struct IssuedTicket {
    ticket: Vec<u8>,
    nonce: Vec<u8>,
}

/// Makes the ticket that carries `state` (RFC 8446 §4.6.1): with a
/// session store, a random identity under which the state is stored
/// (single use, which 0-RTT needs); otherwise the state sealed by the
/// ticketer. Returns what to send, or `None` when it
/// cannot be stored or sealed: then no ticket is sent.
fn issue_ticket(
    config: &ServerConfig,
    state: ServerSessionState,
) -> Result<Option<IssuedTicket>, Error> {
    Ok(match &config.session_store {
        Some(store) => {
            let nonce = state
                .tls13
                .as_ref()
                .map(|p| p.nonce.clone())
                .unwrap_or_default();
            let identity = random_array::<TICKET_IDENTITY_LEN>(&*config.common.rng)?.to_vec();
            let stored = store_key(StoreKeyKind::Tls13Ticket, &identity)
                .is_some_and(|key| store.put(&key, state));
            stored.then_some(IssuedTicket {
                ticket: identity,
                nonce,
            })
        }
        // The sealed state is done with: its nonce goes on the wire.
        None => seal_state(&*config.ticketer, &state)
            .ok()
            .map(|ticket| IssuedTicket {
                ticket,
                nonce: state.tls13.map(|p| p.nonce).unwrap_or_default(),
            }),
    })
}

/// Issues one NewSessionTicket (RFC 8446 §4.6.1) carrying the session
/// state: the ticket's PSK, the persistent session ID T (design §3), the
/// server name, ALPN protocol, client certificates and authentication
/// time. The nonce is the ticket's index on this connection, so each
/// ticket has its own PSK. Its lifetime is the configured one, cut to end
/// 7 days after `authenticated` (now when `None`: this full handshake;
/// RFC 8446 §4.6.1). A ticket that cannot
/// be sealed or stored, or that would have no lifetime left, is simply
/// not sent.
fn send_ticket(
    config: &ServerConfig,
    common: &mut dyn HandshakeIo,
    resumption: &ResumptionMasterSecret,
    suite: Tls13Suite,
    authenticated: Option<UnixTime>,
    index: usize,
) -> Result<(), Error> {
    let now = config.common.clock.now();
    let lifetime = lifetime_within_cap(config.ticket_lifetime, authenticated.unwrap_or(now), now);
    if lifetime == 0 {
        return Ok(());
    }
    let rng = &*config.common.rng;
    let nonce = u8::try_from(index)
        .map_err(|_| Error::InvalidRequest(InvalidRequestReason::TooManyTickets))?
        .to_be_bytes()
        .to_vec();
    let age_add = u32::from_be_bytes(random_array::<4>(rng)?);
    let negotiated = common.negotiated();
    let state = ServerSessionState {
        version: ProtocolVersion::TLSv1_3,
        cipher_suite: suite.suite,
        secret: resumption.ticket_psk(&nonce)?,
        session_id: SessionId::from_peer(negotiated.session_id())?,
        extended_master_secret: false,
        encrypt_then_mac: false,
        max_fragment_length: None,
        server_name: negotiated.server_name().map(|n| n.as_bytes().to_vec()),
        alpn_protocol: negotiated.alpn().map(<[u8]>::to_vec),
        validity: Validity::new(now, lifetime),
        peer_certificates: negotiated.peer_certificates().to_vec(),
        tls13: Some(Tls13TicketParams {
            age_add,
            nonce,
            max_early_data_size: config.max_early_data_size,
        }),
        resumption_data: negotiated.resumption_data_to_store().map(<[u8]>::to_vec),
        authenticated,
        unknown_fields: Default::default(),
    };
    let Some(IssuedTicket { ticket, nonce }) = issue_ticket(config, state)? else {
        return Ok(());
    };
    let mut extensions = Vec::new();
    if config.max_early_data_size > 0 {
        extensions.push(Extension::MaxEarlyDataSize(config.max_early_data_size));
    }
    extensions.extend(
        draw_grease(config.grease, &config.common)?.map(|g| Extension::Unknown {
            typ: g.first_extension(),
            data: Vec::new(),
        }),
    );
    common.send_handshake(&HandshakeMessage::NewSessionTicketTls13(
        NewSessionTicketTls13 {
            lifetime,
            age_add,
            nonce: nonce.as_slice().into(),
            ticket,
            extensions,
        },
    ))?;
    Ok(())
}
