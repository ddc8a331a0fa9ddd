//! The client's hellos: building the ClientHello (RFC 8446 §4.1.2) and
//! reading the version out of the ServerHello (RFC 8446 §4.2.1, §4.1.3),
//! before handing over to the version's state machine.

use std::borrow::Cow;
use std::sync::Arc;

use crate::common_state::{EarlyDataReason, HandshakeEvent, HandshakeIo, ReceivedHandshake};
use crate::config::ClientConfig;
use crate::crypto::groups::{usable_in_tls12, ClientShare};
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::rng::random_array;
use crate::error::{
    CryptoReason, Error, IllegalParameterReason, InvalidRequestReason, ProtocolVersionReason,
    UnexpectedMessageReason,
};
use crate::handshake::tls12::{tls12_offered_schemes, tls12_suite};
use crate::handshake::{
    certificate_types, draw_grease, key_logger, record_size_limit, tls13_suite, Tls13Suite,
    Transcript,
};
use crate::keyschedule::tls13::{EarlySecret, PskKind};
use crate::msgs::enums::EcPointFormat;
use crate::msgs::enums::{
    CipherSuite, Compression, ExtensionType, NamedGroup, ProtocolVersion, ServerNameType,
    SignatureScheme,
};
use crate::msgs::extensions::{Extension, KeyShareEntry, NamedGroupList, ServerName as SniEntry};
use crate::msgs::grease::{Grease, GREASE_EXTENSION_BODY, GREASE_KEY_SHARE};
use crate::msgs::handshake::{DecodeContext, HandshakeMessage, TLS12_VERIFY_DATA_LEN};
use crate::msgs::hello::{
    ClientHello, ServerHello, CIPHER_SUITES_INLINE, DOWNGRADE_SENTINEL_TLS11, RANDOM_LEN,
};
use crate::msgs::inline_list::InlineList;
use crate::msgs::key_exchange::KeyExchangeAlgorithm;
use crate::msgs::psk::{PskIdentity, PskOffer, PSK_BINDERS};
use crate::pki::{ServerName, Staples};
use crate::session::{server_chain_passes, ClientSessionStore, ExternalPsk, SessionId};
use crate::session::{ClientSessionTls12, ClientTicketTls13};
use crate::time::UnixTime;

/// ClientHello sent; a ServerHello or HelloRetryRequest comes next.
pub(crate) struct ExpectServerHello {
    pub(super) config: Arc<ClientConfig>,
    pub(super) server_name: ServerName,
    pub(super) random: [u8; RANDOM_LEN],
    /// The legacy_session_id L of design §3, kept across a retry.
    pub(super) session_id: SessionId,
    /// The GREASE values of our ClientHellos (RFC 8701 §3.1), when
    /// [`ClientConfig::grease`] is on; the same in a second ClientHello.
    pub(super) grease: Option<Grease>,
    /// The key shares offered, when TLS 1.3 is (none otherwise: a
    /// TLS ≤1.2 ClientHello has no use for one).
    pub(super) key_shares: KeyShares,
    /// The encoded first ClientHello (after a retry, the transcript of
    /// `tls13::Retry` holds both).
    pub(super) hello_bytes: Vec<u8>,
    /// The transcript through `hello_bytes` in the first offered PSK's
    /// hash, hashed along with its binder; none without a PSK.
    pub(super) hello_transcript: Option<Transcript>,
    pub(super) ccs_sent: bool,
    /// The ticket offered as a PSK, if any.
    pub(super) resuming: Option<Resuming>,
    /// The external PSKs offered after the ticket, in the configured
    /// order (most clients have none).
    pub(super) externals: Vec<OfferedExternal>,
    /// Whether 0-RTT data is being sent with this ClientHello.
    pub(super) early_data: bool,
    /// The TLS ≤1.2 session offered for resumption, by ID or ticket.
    pub(super) tls12_session: Option<Arc<ClientSessionTls12>>,
    /// renegotiation_info's `renegotiated_connection`: empty, or our last
    /// verify_data when renegotiating (RFC 5746 §3.4, §3.5).
    pub(super) renegotiated_connection: Vec<u8>,
    /// When renegotiating, the server's end-entity certificate (or raw
    /// public key) of the handshake being replaced, which the new one
    /// must present again (`tls12::check_same_server`).
    pub(super) renegotiated_server: Option<Vec<u8>>,
}

/// A TLS 1.3 ticket offered as a PSK (RFC 8446 §4.2.11), with the early
/// secret its PSK starts.
pub(super) struct Resuming {
    pub(super) ticket: Arc<ClientTicketTls13>,
    /// The ticket's suite; only suites with its hash may resume it.
    pub(super) suite: Tls13Suite,
    pub(super) early: EarlySecret,
}

/// How much 0-RTT data the first ClientHello is followed by (RFC 8446
/// §4.2.10), or why none: 0-RTT on, TLS 1.3 offered, a ticket to resume
/// that allows some, and an ALPN protocol the server can select again.
/// The data goes under the session's protocol, which the server accepts
/// only if it selects that one again (§4.2.10): so one we still offer,
/// or none for a session that had none (a server that negotiated no
/// protocol, as one without ALPN, likely negotiates none again), as
/// BoringSSL's client offers it.
fn early_data_offer(
    config: &ClientConfig,
    resuming: Option<&Resuming>,
) -> Result<usize, EarlyDataReason> {
    if !config.enable_early_data {
        return Err(EarlyDataReason::Disabled);
    }
    if !offers_tls13(config) {
        return Err(EarlyDataReason::ProtocolVersion);
    }
    let ticket = &resuming.ok_or(EarlyDataReason::NoSessionOffered)?.ticket;
    let max = usize::try_from(ticket.max_early_data_size)
        .ok()
        .filter(|max| *max > 0)
        .ok_or(EarlyDataReason::UnsupportedForSession)?;
    if let Some(protocol) = &ticket.alpn_protocol {
        if !config.common.alpn_protocols.contains(protocol) {
            return Err(EarlyDataReason::AlpnMismatch);
        }
    }
    Ok(max)
}

impl Resuming {
    /// Takes the newest ticket for `server_name` from the store, when its
    /// suite is a TLS 1.3 suite we enable and its server chain may be
    /// offered ([`may_offer`]); one that may not is dropped.
    fn from_store(
        config: &ClientConfig,
        store: Option<&dyn ClientSessionStore>,
        server_name: &ServerName,
        random: [u8; RANDOM_LEN],
    ) -> Result<Option<Self>, Error> {
        let Some(store) = store else {
            return Ok(None);
        };
        let Some(ticket) = store.take_tls13_ticket(&server_name.as_text()) else {
            return Ok(None);
        };
        let Some(suite) = tls13_suite(ticket.cipher_suite)
            .filter(|s| config.common.cipher_suites.contains(&s.suite))
            .filter(|_| {
                may_offer(
                    config,
                    &ticket.server.certificates,
                    &ticket.server.staples,
                    server_name,
                )
            })
        else {
            return Ok(None);
        };
        let early = EarlySecret::new(
            suite.hash,
            Some(ticket.psk.as_bytes()),
            key_logger(&config.common, random),
        )?;
        Ok(Some(Self {
            ticket,
            suite,
            early,
        }))
    }
}

/// A TLS 1.3 external PSK offered (RFC 8446 §2.2), with the early
/// secret its key starts.
pub(super) struct OfferedExternal {
    pub(super) psk: ExternalPsk,
    pub(super) early: EarlySecret,
}

impl OfferedExternal {
    /// The configured external PSKs, when TLS 1.3 is offered, each with a
    /// suite of its hash.
    fn from_config(config: &ClientConfig, random: [u8; RANDOM_LEN]) -> Result<Vec<Self>, Error> {
        if !offers_tls13(config) {
            return Ok(Vec::new());
        }
        let usable = |psk: &&ExternalPsk| {
            config
                .common
                .cipher_suites
                .iter()
                .any(|s| tls13_suite(*s).is_some_and(|t| t.hash == psk.hash()))
        };
        config
            .external_psks
            .iter()
            .filter(usable)
            .map(|psk| {
                let early = EarlySecret::new(
                    psk.hash(),
                    Some(psk.key().as_bytes()),
                    key_logger(&config.common, random),
                )?;
                Ok(Self {
                    psk: psk.clone(),
                    early,
                })
            })
            .collect()
    }
}

/// How many PSKs a ClientHello's binder inputs hold in place: the stored
/// ticket and an external PSK imported for each TLS 1.3 hash. A sizing
/// choice, not a limit.
const OFFERED_PSKS_INLINE: usize = 3;

/// One PSK of the offer, as its binder needs it (RFC 8446 §4.2.11.2):
/// its early secret, binder label and hash.
#[derive(Clone, Copy)]
pub(super) struct BinderInput<'a> {
    early: &'a EarlySecret,
    kind: PskKind,
    hash: HashAlgorithm,
}

/// The server's answer to a ClientHello, its version settled
/// (RFC 8446 §4.1.1): what the version's state machine reads next.
pub(super) enum ServerAnswer {
    /// A ServerHello choosing TLS 1.0–1.2, and the version it chose.
    Tls12(ServerHello, ProtocolVersion),
    /// A HelloRetryRequest (RFC 8446 §4.1.4).
    HelloRetryRequest(ServerHello),
    /// A ServerHello choosing TLS 1.3.
    Tls13(ServerHello),
}

/// The protocol an ALPN answer names (RFC 7301 §3.1): exactly one, and
/// one we offered; anything else is `illegal_parameter`. Read from the
/// ServerHello in TLS 1.0–1.2, from EncryptedExtensions in TLS 1.3.
pub(super) fn chosen_alpn<'a>(
    config: &ClientConfig,
    answer: &'a [Vec<u8>],
) -> Result<&'a Vec<u8>, Error> {
    match answer {
        [chosen] if config.common.alpn_protocols.contains(chosen) => Ok(chosen),
        _ => Err(Error::IllegalParameter(
            IllegalParameterReason::AlpnNotOffered,
        )),
    }
}

/// Builds and queues the first ClientHello: fresh random, a fresh
/// 32-byte legacy_session_id in middlebox compatibility mode (design §3:
/// L, never reused across connections), and, when TLS 1.3 is offered,
/// one key share for the most preferred group.
pub(super) fn start(
    config: Arc<ClientConfig>,
    server_name: ServerName,
    common: &mut dyn HandshakeIo,
) -> Result<ExpectServerHello, Error> {
    let random = random_array::<RANDOM_LEN>(&*config.common.rng)?;
    let store = common.client_sessions();
    let tls12_session = tls12_session_from_store(&config, store.as_deref(), &server_name);
    let session_id = legacy_session_id(&config, tls12_session.as_deref())?;
    let grease = draw_grease(config.grease, &config.common)?;
    let hint = store
        .as_deref()
        .and_then(|store| store.key_share_hint(&server_name.as_text()));
    let key_shares = first_key_shares(&config, grease, hint)?;
    if let (true, ServerName::Dns(name)) = (config.enable_sni, &server_name) {
        common.report(HandshakeEvent::ServerName(name.clone()));
    }
    let resuming = if offers_tls13(&config) {
        Resuming::from_store(&config, store.as_deref(), &server_name, random)?
    } else {
        None
    };
    let externals = OfferedExternal::from_config(&config, random)?;
    let early_data = early_data_offer(&config, resuming.as_ref());
    if let Err(reason) = early_data {
        common.report(HandshakeEvent::EarlyDataReason(reason));
    }
    let mut state = ExpectServerHello {
        config,
        server_name,
        random,
        session_id,
        grease,
        key_shares,
        hello_bytes: Vec::new(),
        hello_transcript: None,
        ccs_sent: false,
        resuming,
        externals,
        early_data: early_data.is_ok(),
        tls12_session,
        renegotiated_connection: common.renegotiation().client_hello_info(),
        renegotiated_server: None,
    };
    state.send_first_hello(common)?;
    if let Ok(max) = early_data {
        state.start_early_data(common, max)?;
    }
    Ok(state)
}

/// Puts `extensions` in an order drawn from `random`
/// ([`ClientConfig::permute_extensions`]): each extension is placed by a
/// hash of the ClientHello's random and its type, so the order is one of
/// the orders of all of them, a new one with each random, and the same
/// in a second ClientHello, which keeps the random (RFC 8446 §4.1.2), for
/// the extensions both carry. Not a secret: the order only keeps peers
/// from depending on one, as Chromium's does.
fn permute(extensions: &mut [Extension], random: &[u8; RANDOM_LEN]) {
    use std::hash::{DefaultHasher, Hash, Hasher};
    extensions.sort_by_cached_key(|extension| {
        let mut hasher = DefaultHasher::new();
        random.hash(&mut hasher);
        u16::from(extension.ext_type()).hash(&mut hasher);
        hasher.finish()
    });
}

/// The ClientHello's legacy_session_id (design §3): a ≤1.2 session is
/// offered by its ID S, or by its ticket with a fresh ID C; otherwise
/// TLS 1.3's fresh L in middlebox compatibility mode (RFC 8446 §D.4), or
/// none.
fn legacy_session_id(
    config: &ClientConfig,
    tls12_session: Option<&ClientSessionTls12>,
) -> Result<SessionId, Error> {
    let rng = &*config.common.rng;
    Ok(match tls12_session {
        Some(session)
            if (config.enable_tickets && session.ticket.is_some())
                || session.session_id.is_empty() =>
        {
            SessionId::random(rng)?
        }
        Some(session) => session.session_id,
        None if config.middlebox_compat && offers_tls13(config) => SessionId::random(rng)?,
        None => SessionId::empty(),
    })
}

/// The key shares of the first ClientHello (RFC 8446 §4.2.8), when TLS
/// 1.3 is offered, in the order of the groups: those of
/// [`ClientConfig::key_share_groups`] when set, otherwise those of
/// [`default_share_groups`]. A GREASE share goes first when `grease` is
/// set (RFC 8701 §3.1). A configuration without groups is refused.
fn first_key_shares(
    config: &ClientConfig,
    grease: Option<Grease>,
    hint: Option<NamedGroup>,
) -> Result<KeyShares, Error> {
    let groups = &config.common.groups;
    let first = *groups
        .first()
        .ok_or(Error::InvalidRequest(InvalidRequestReason::NoKxGroup))?;
    let mut shares = KeyShares::default();
    if !offers_tls13(config) {
        return Ok(shares);
    }
    let rng = &*config.common.rng;
    shares.grease = grease.map(|g| g.group());
    let defaults = default_share_groups(groups, first, hint);
    for group in groups {
        let wanted = match &config.key_share_groups {
            Some(chosen) => chosen.contains(group),
            None => defaults.contains(&Some(*group)),
        };
        if wanted {
            shares.push(ClientShare::generate(*group, rng)?);
        }
    }
    Ok(shares)
}

/// The groups of the first ClientHello's key shares when the
/// configuration names none: the most preferred group and, when that is
/// a KEM group, the first classical group after it, so a server without
/// the KEM group needs no HelloRetryRequest (as OpenSSL and Chromium send
/// X25519MLKEM768 with X25519). A `hint` (the group the server completed
/// the last TLS 1.3 handshake in, from the session store) that is one of
/// our groups but not one of these replaces the classical one, so that a
/// server that chose another group needs no HelloRetryRequest either;
/// a first KEM group is kept whatever the hint, so a hint never drops
/// the post-quantum share.
fn default_share_groups(
    groups: &[NamedGroup],
    first: NamedGroup,
    hint: Option<NamedGroup>,
) -> [Option<NamedGroup>; 2] {
    let kem_first = !usable_in_tls12(first);
    let classical = if kem_first {
        groups.iter().copied().find(|g| usable_in_tls12(*g))
    } else {
        Some(first)
    };
    let lead = kem_first.then_some(first);
    match hint.filter(|h| Some(*h) != lead && Some(*h) != classical && groups.contains(h)) {
        Some(hint) => [lead, Some(hint)],
        None => [lead, classical],
    }
}

/// The key shares of our ClientHello (RFC 8446 §4.2.8), in the order
/// sent. The first is held in place, so that a client of one share, the
/// common case, allocates nothing for the list.
#[derive(Debug, Default)]
pub(super) struct KeyShares {
    first: Option<ClientShare>,
    rest: Vec<ClientShare>,
    /// The GREASE group whose one-byte share goes first (RFC 8701 §3.1),
    /// in the first ClientHello only: the second holds just the share
    /// the HelloRetryRequest asked for (RFC 8446 §4.1.2).
    grease: Option<NamedGroup>,
}

impl KeyShares {
    /// Just `share`.
    pub(super) fn one(share: ClientShare) -> Self {
        Self {
            first: Some(share),
            rest: Vec::new(),
            grease: None,
        }
    }

    /// Adds `share` after the others.
    fn push(&mut self, share: ClientShare) {
        match self.first {
            None => self.first = Some(share),
            Some(_) => self.rest.push(share),
        }
    }

    /// The key_share entries as sent: the GREASE one first, if any, then
    /// ours.
    fn entries(&self) -> impl Iterator<Item = KeyShareEntry> + '_ {
        let grease = self.grease.map(|group| KeyShareEntry {
            group,
            key_exchange: GREASE_KEY_SHARE.to_vec(),
        });
        grease
            .into_iter()
            .chain(self.iter().map(|share| KeyShareEntry {
                group: share.group(),
                key_exchange: share.public_key().to_vec(),
            }))
    }

    /// The shares, in the order they are sent.
    pub(super) fn iter(&self) -> impl Iterator<Item = &ClientShare> {
        self.first.iter().chain(&self.rest)
    }

    /// The share for `group`, if we sent one.
    pub(super) fn take(self, group: NamedGroup) -> Option<ClientShare> {
        self.first
            .into_iter()
            .chain(self.rest)
            .find(|s| s.group() == group)
    }
}

/// The supported_groups to send (RFC 8446 §4.2.7, RFC 8422 §5.1.1): the
/// configured groups, without the hybrid ones when TLS 1.3 is not offered
/// (they are TLS 1.3 only, draft-ietf-tls-ecdhe-mlkem §3), after the
/// GREASE group when `grease` is set (RFC 8701 §3.1).
fn offered_groups(config: &ClientConfig, grease: Option<Grease>) -> NamedGroupList {
    let tls13 = offers_tls13(config);
    let groups = config.common.groups.iter().copied();
    grease
        .map(|g| g.group())
        .into_iter()
        .chain(groups.filter(|g| tls13 || usable_in_tls12(*g)))
        .collect()
}

/// Whether the configuration offers TLS 1.3.
fn offers_tls13(config: &ClientConfig) -> bool {
    config.common.versions.contains(&ProtocolVersion::TLSv1_3)
}

/// The signature_algorithms our ClientHello lists, against which the
/// server's ServerKeyExchange or CertificateVerify is checked: the
/// configured schemes, or, when TLS 1.3 is not offered, those of them a
/// TLS 1.2 peer may sign with that we can check on its key
/// ([`tls12_offered_schemes`]). With TLS 1.3 offered the list is TLS
/// 1.3's too, and stays whole.
pub(super) fn offered_schemes(config: &ClientConfig) -> Cow<'_, [SignatureScheme]> {
    let ours = &config.common.signature_schemes;
    if offers_tls13(config) {
        Cow::Borrowed(ours)
    } else {
        tls12_offered_schemes(ours)
    }
}

/// Whether the ClientHello offers post_handshake_auth (RFC 8446 §4.2.6):
/// TLS 1.3 offered, the switch on, and a certificate to answer with.
pub(super) fn offers_post_handshake_auth(config: &ClientConfig) -> bool {
    offers_tls13(config) && config.post_handshake_auth && config.has_client_certificates()
}

/// The highest TLS ≤1.2 version the configuration enables, if any: the
/// ClientHello's legacy_version when TLS 1.3 is not offered (RFC 5246
/// §7.4.1.2).
fn highest_legacy_version(config: &ClientConfig) -> Option<ProtocolVersion> {
    config
        .common
        .versions
        .iter()
        .copied()
        .filter(|v| *v != ProtocolVersion::TLSv1_3)
        .max_by_key(|v| u16::from(*v))
}

/// Whether the ClientHello carries signature_algorithms: only when it
/// offers TLS 1.2 or 1.3, since "clients MUST NOT offer it if they are
/// offering prior versions" (RFC 5246 §7.4.1.4.1), that is, when TLS 1.1
/// or below is the highest they offer.
fn offers_signature_algorithms(config: &ClientConfig) -> bool {
    offers_tls13(config) || highest_legacy_version(config) == Some(ProtocolVersion::TLSv1_2)
}

/// The ClientHello's legacy_version (`client_version`): TLS 1.2 when
/// TLS 1.3 is offered (RFC 8446 §4.1.2), the highest enabled version
/// otherwise (RFC 5246 §7.4.1.2).
pub(super) fn announced_version(config: &ClientConfig) -> ProtocolVersion {
    if offers_tls13(config) {
        ProtocolVersion::TLSv1_2
    } else {
        highest_legacy_version(config).unwrap_or(ProtocolVersion::TLSv1_2)
    }
}

/// The cipher suites the ClientHello offers (RFC 8446 §4.1.2, RFC 5246
/// §7.4.1.2): the enabled ones of each version family offered, those of
/// TLS 1.0–1.2 only if usable at the highest of those versions offered
/// (AEAD and SHA-256/384 suites "MUST NOT be negotiated in older versions
/// of TLS", RFC 5288 §4, RFC 5289 §4, so a client of TLS 1.1 at most does
/// not offer them), then TLS_FALLBACK_SCSV on a fallback retry (RFC 7507
/// §4); the GREASE suite first when `grease` is set (RFC 8701 §3.1).
fn offered_cipher_suites(
    config: &ClientConfig,
    grease: Option<Grease>,
) -> InlineList<CipherSuite, CIPHER_SUITES_INLINE> {
    let common = &config.common;
    let (tls13, legacy) = (offers_tls13(config), highest_legacy_version(config));
    let enabled =
        common
            .cipher_suites
            .iter()
            .copied()
            .filter(|s| match (tls13_suite(*s), tls12_suite(*s)) {
                (Some(_), _) => tls13,
                (None, Some(suite)) => legacy.is_some_and(|v| suite.usable_with(v)),
                (None, None) => legacy.is_some(),
            });
    let mut cipher_suites: InlineList<_, CIPHER_SUITES_INLINE> = grease
        .map(|g| g.cipher_suite())
        .into_iter()
        .chain(enabled)
        .collect();
    if config.fallback_retry {
        cipher_suites.push(CipherSuite::TLS_FALLBACK_SCSV);
    }
    cipher_suites
}

/// The TLS ≤1.2 session kept for `server_name`, when its version and
/// suite are still enabled, its server chain may be offered
/// ([`may_offer`]) and, if it agreed a max_fragment_length, we offer
/// that code again: the length binds every resumption (RFC 6066 §4), and
/// OpenSSL's server resumes with the session's code whatever the
/// ClientHello asks.
fn tls12_session_from_store(
    config: &ClientConfig,
    store: Option<&dyn ClientSessionStore>,
    server_name: &ServerName,
) -> Option<Arc<ClientSessionTls12>> {
    let session = store?.get_tls12(&server_name.as_text())?;
    let enabled = config.common.versions.contains(&session.version)
        && config.common.cipher_suites.contains(&session.cipher_suite)
        && session.max_fragment_length.is_none_or(|code| {
            record_size_limit::client_max_fragment_length(&config.common) == Some(code)
        })
        && may_offer(
            config,
            &session.server_certificates,
            &session.staples,
            server_name,
        );
    enabled.then_some(session)
}

/// Whether a stored session or ticket with the server chain `chain` and
/// the `staples` that came with it may be offered: always, unless the
/// configuration checks the chain again first
/// ([`ClientConfig::reverify_on_resume`]).
fn may_offer(
    config: &ClientConfig,
    chain: &[Vec<u8>],
    staples: &Staples,
    server_name: &ServerName,
) -> bool {
    !config.reverify_on_resume
        || server_chain_passes(
            chain,
            staples,
            &*config.verifier,
            server_name,
            config.common.clock.now(),
        )
}

/// Queues `hello`; when it offers PSKs, their binders are computed over
/// the truncated message, after `prior` (the first ClientHello's
/// `message_hash` and the HelloRetryRequest) when retrying (RFC 8446
/// §4.2.11.2), and written over the placeholder binders in the queued
/// encoding. Returns the message as sent and, with a PSK, the transcript
/// through it in the first PSK's hash (`prior`'s, or a new one), so that
/// the message is hashed once for binder and transcript.
pub(super) fn send_client_hello(
    common: &mut dyn HandshakeIo,
    hello: ClientHello,
    psks: &[BinderInput<'_>],
    prior: Option<&Transcript>,
) -> Result<(Vec<u8>, Option<Transcript>), Error> {
    let binders_len = hello.psk_offer().map(PskOffer::binders_len);
    let sent = common.send_handshake_mut(&HandshakeMessage::ClientHello(hello))?;
    let Some(binders_len) = binders_len.filter(|_| !psks.is_empty()) else {
        return Ok((sent.to_vec(), None));
    };
    let (truncated, binders) = sent
        .split_at_mut_checked(sent.len().saturating_sub(binders_len))
        .ok_or(Error::Crypto(CryptoReason::HelloShorterThanBinders))?;
    let mut first = None;
    // `binders<33..2^16-1>`, each a `PskBinderEntry<32..255>` in the
    // order of the identities: the last field of the message.
    let mut rest = binders
        .get_mut(PSK_BINDERS.prefix.size()..)
        .ok_or(Error::Crypto(CryptoReason::PlaceholderBinderLength))?;
    for psk in psks {
        let mut transcript = match prior {
            Some(transcript) => transcript.clone(),
            None => Transcript::new(psk.hash, &[]),
        };
        transcript.add(truncated);
        let binder = psk
            .early
            .binder_key(psk.kind)?
            .binder(&transcript.current())?;
        let value = binder.as_bytes();
        let (placeholder, after) = std::mem::take(&mut rest)
            .split_first_mut()
            .filter(|(len, _)| usize::from(**len) == value.len())
            .and_then(|(_, after)| after.split_at_mut_checked(value.len()))
            .ok_or(Error::Crypto(CryptoReason::PlaceholderBinderLength))?;
        placeholder.copy_from_slice(value);
        rest = after;
        first.get_or_insert(transcript);
    }
    let hello_transcript = first.map(|mut transcript| {
        transcript.add(binders);
        transcript
    });
    Ok((sent.to_vec(), hello_transcript))
}

/// Room reserved for the ClientHello's extension list: every extension
/// [`ExpectServerHello::client_hello_extensions`] may add (server_name,
/// supported_groups, five TLS ≤1.2 ones, signature_algorithms, ALPN,
/// key_share, supported_versions, post_handshake_auth, cookie,
/// early_data, psk_key_exchange_modes, pre_shared_key, the two
/// certificate types, certificate_authorities, compress_certificate,
/// record_size_limit, status_request, signed_certificate_timestamp, and
/// two GREASE extensions), so the list is allocated once. A sizing
/// choice, not a limit.
const CLIENT_HELLO_EXTENSIONS_CAPACITY: usize = 25;

/// A decode context for the hellos, whose syntax does not depend on it.
const HELLO_CONTEXT: DecodeContext = DecodeContext {
    version: ProtocolVersion::TLSv1_2,
    key_exchange: KeyExchangeAlgorithm::Ecdhe,
    finished_len: TLS12_VERIFY_DATA_LEN,
};

impl ExpectServerHello {
    /// Queues the first ClientHello, keeping its encoding for the
    /// transcript, and sends it at once.
    fn send_first_hello(&mut self, common: &mut dyn HandshakeIo) -> Result<(), Error> {
        let hello = self.client_hello(None);
        // RFC 8446 §5.1: an initial ClientHello may carry record version
        // 0x0301; a renegotiation's keeps the negotiated one.
        let renegotiating = common.renegotiation().in_progress();
        if !renegotiating {
            common.set_record_version(ProtocolVersion::TLSv1_0);
        }
        (self.hello_bytes, self.hello_transcript) =
            send_client_hello(common, hello, &self.binder_inputs(), None)?;
        common.flush_handshake()?;
        if !renegotiating {
            common.set_record_version(ProtocolVersion::TLSv1_2);
        }
        // RFC 8446 §5: a TLS 1.3 server may send a dummy ChangeCipherSpec from
        // now on; a client offering only TLS ≤ 1.2 takes none before the
        // server's Finished (RFC 5246 §7.1).
        common.allow_ccs(offers_tls13(&self.config));
        Ok(())
    }

    /// The PSKs offered, in the order of the identities: the ticket, then
    /// the external PSKs.
    pub(super) fn binder_inputs(&self) -> InlineList<BinderInput<'_>, OFFERED_PSKS_INLINE> {
        let ticket = self.resuming.as_ref().map(|r| BinderInput {
            early: &r.early,
            kind: PskKind::Resumption,
            hash: r.suite.hash,
        });
        let externals = self.externals.iter().map(|e| BinderInput {
            early: &e.early,
            kind: e.psk.kind(),
            hash: e.psk.hash(),
        });
        ticket.into_iter().chain(externals).collect()
    }

    /// The pre_shared_key offer (RFC 8446 §4.2.11): the ticket with its
    /// obfuscated age at `now`, then the external PSK (age 0), each with
    /// a placeholder binder of its hash's length that
    /// [`send_client_hello`] overwrites; none without a PSK.
    fn psk_offer(&self, now: UnixTime) -> Option<PskOffer> {
        let ticket = self.resuming.as_ref().map(|r| {
            let identity = PskIdentity {
                identity: r.ticket.ticket.clone(),
                obfuscated_ticket_age: r.ticket.obfuscated_age(now),
            };
            (identity, r.suite.hash)
        });
        let externals = self.externals.iter().map(|e| {
            let identity = PskIdentity {
                identity: e.psk.identity().to_vec(),
                obfuscated_ticket_age: 0,
            };
            (identity, e.psk.hash())
        });
        let (identities, binders): (Vec<_>, Vec<_>) = ticket
            .into_iter()
            .chain(externals)
            .map(|(identity, hash)| {
                let placeholder = std::iter::repeat_n(0, hash.output_len()).collect();
                (identity, placeholder)
            })
            .unzip();
        (!identities.is_empty()).then_some(PskOffer {
            identities,
            binders,
        })
    }

    /// The transcript through the first ClientHello in `hash`: the one
    /// hashed with the binder when it is in `hash`, else hashed now.
    pub(super) fn hello_transcript(&self, hash: HashAlgorithm) -> Transcript {
        match &self.hello_transcript {
            Some(transcript) if transcript.hash() == hash => transcript.clone(),
            _ => Transcript::new(hash, &[&self.hello_bytes]),
        }
    }

    /// Starts sending up to `max` bytes of 0-RTT data after the first
    /// ClientHello (RFC 8446 §4.2.10, §D.4): the dummy CCS, then 0-RTT
    /// data under client_early_traffic_secret.
    fn start_early_data(&mut self, common: &mut dyn HandshakeIo, max: usize) -> Result<(), Error> {
        let Some(resuming) = &self.resuming else {
            return Ok(());
        };
        let hello_hash = self.hello_transcript(resuming.suite.hash).current();
        let secret = resuming.early.client_early_traffic_secret(&hello_hash)?;
        if self.config.middlebox_compat {
            common.send_dummy_ccs()?;
            self.ccs_sent = true;
        }
        common.set_tls13_write_key(resuming.suite.aead, &secret)?;
        common.start_early_data_writes(max, resuming.early.early_exporter(&hello_hash)?);
        Ok(())
    }

    /// The ClientHello offering what `config` enables, one key share, the
    /// cookie of a HelloRetryRequest when answering one, a ticket when
    /// resuming (with a placeholder binder of the right length), and the
    /// early_data extension when 0-RTT data follows.
    pub(super) fn client_hello(&self, cookie: Option<&[u8]>) -> ClientHello {
        let config = &*self.config;
        ClientHello {
            legacy_version: announced_version(config),
            random: self.random,
            session_id: self.session_id.as_bytes().into(),
            cipher_suites: offered_cipher_suites(config, self.grease),
            compression_methods: [Compression::Null].into(),
            extensions: Some(self.client_hello_extensions(cookie)),
        }
    }

    /// The ClientHello's extensions (RFC 8446 §4.2, RFC 5246 §7.4.1.4):
    /// server_name, supported_groups, the TLS ≤1.2 ones when such a
    /// version is offered, signature_algorithms, ALPN, status_request and
    /// signed_certificate_timestamp when asked for, the certificate types
    /// beyond X.509 (RFC 7250 §4.1), the TLS 1.3 ones when TLS 1.3 is,
    /// post_handshake_auth, the cookie, early_data, and the PSK offer last
    /// (RFC 8446 §4.2.11).
    fn client_hello_extensions(&self, cookie: Option<&[u8]>) -> Vec<Extension> {
        let config = &*self.config;
        let common = &config.common;
        let grease = self.grease;
        let mut extensions = Vec::with_capacity(CLIENT_HELLO_EXTENSIONS_CAPACITY);
        if let Some(grease) = grease {
            extensions.push(Extension::Unknown {
                typ: grease.first_extension(),
                data: Vec::new(),
            });
        }
        let permuted_from = extensions.len();
        if let (true, ServerName::Dns(name)) = (config.enable_sni, &self.server_name) {
            extensions.push(Extension::ServerName(
                std::iter::once(SniEntry {
                    typ: ServerNameType::HostName,
                    name: name.as_bytes().to_vec(),
                })
                .collect(),
            ));
        }
        extensions.push(Extension::SupportedGroups(offered_groups(config, grease)));
        if highest_legacy_version(config).is_some() {
            self.push_tls12_extensions(&mut extensions);
        }
        if offers_signature_algorithms(config) {
            extensions.push(Extension::SignatureAlgorithms(
                grease
                    .map(|g| g.signature_scheme())
                    .into_iter()
                    .chain(offered_schemes(config).iter().copied())
                    .collect(),
            ));
        }
        if !common.alpn_protocols.is_empty() {
            extensions.push(Extension::Alpn(common.alpn_protocols.clone()));
        }
        extensions.extend(record_size_limit::client_offer(
            common,
            offers_tls13(config),
        ));
        extensions.extend(crate::handshake::stapling::request_extensions(config));
        let server_types = certificate_types::server_offer(config.verifier.certificate_types());
        if !server_types.is_empty() {
            extensions.push(Extension::ServerCertificateTypes(server_types));
        }
        let client_types = certificate_types::client_offer(config);
        if !client_types.is_empty() {
            extensions.push(Extension::ClientCertificateTypes(client_types));
        }
        if offers_tls13(config) {
            extensions.push(Extension::KeyShareOffer(
                self.key_shares.entries().collect(),
            ));
            extensions.push(Extension::SupportedVersionsOffer(
                grease
                    .map(|g| g.version())
                    .into_iter()
                    .chain(common.versions.iter().copied())
                    .collect(),
            ));
            extensions.extend(crate::handshake::certificate_compression::offer(common));
            extensions.extend(crate::handshake::authorities::client_hello_extension(
                config,
            ));
        }
        if offers_post_handshake_auth(config) {
            extensions.push(Extension::PostHandshakeAuth);
        }
        if let Some(cookie) = cookie {
            extensions.push(Extension::Cookie(cookie.to_vec()));
        }
        if self.early_data {
            extensions.push(Extension::EarlyData);
        }
        let psk_offer = self.psk_offer(common.clock.now());
        // The modes go with every PSK offer (RFC 8446 §4.2.9), and with
        // every TLS 1.3 offer before we hold a ticket: a server sends no
        // NewSessionTicket for modes a client did not list (§4.2.9:
        // SHOULD NOT; Go, Java and BoringSSL servers send none to a client
        // without the extension). BoringSSL and rustls clients list them
        // likewise.
        let lists_modes = offers_tls13(config) && !common.psk_modes.is_empty();
        if psk_offer.is_some() || lists_modes {
            extensions.push(Extension::PskKeyExchangeModes(
                common.psk_modes.as_slice().into(),
            ));
        }
        if config.permute_extensions {
            if let Some(permuted) = extensions.get_mut(permuted_from..) {
                permute(permuted, &self.random);
            }
        }
        if let Some(grease) = grease {
            extensions.push(Extension::Unknown {
                typ: grease.last_extension(),
                data: GREASE_EXTENSION_BODY.to_vec(),
            });
        }
        if let Some(offer) = psk_offer {
            extensions.push(Extension::PreSharedKeyOffer(offer));
        }
        extensions
    }

    /// The TLS ≤1.2 extensions: ec_point_formats (RFC 8422 §5.1.2),
    /// extended_master_secret (RFC 7627, always offered),
    /// renegotiation_info (RFC 5746 §3.4: empty, or §3.5: our last
    /// verify_data when renegotiating), encrypt_then_mac when a
    /// CBC suite is offered (RFC 7366), and session_ticket (RFC 5077
    /// §3.2) carrying the stored ticket when tickets are on.
    fn push_tls12_extensions(&self, extensions: &mut Vec<Extension>) {
        let config = &*self.config;
        extensions.push(Extension::EcPointFormats(
            [EcPointFormat::Uncompressed].into(),
        ));
        extensions.push(Extension::ExtendedMasterSecret);
        extensions.push(Extension::RenegotiationInfo(
            self.renegotiated_connection.clone(),
        ));
        if offers_encrypt_then_mac(config) {
            extensions.push(Extension::EncryptThenMac);
        }
        if config.enable_tickets {
            let ticket = self
                .tls12_session
                .as_ref()
                .and_then(|s| s.ticket.as_ref())
                .map(|t| t.ticket.clone())
                .unwrap_or_default();
            extensions.push(Extension::SessionTicket(ticket));
        }
    }

    /// Reads a ServerHello or HelloRetryRequest and settles the version
    /// (RFC 8446 §4.1.3, §4.2.1): what the caller hands to the version's
    /// state machine.
    pub(super) fn read_server_hello(
        &self,
        message: &ReceivedHandshake,
    ) -> Result<ServerAnswer, Error> {
        let HandshakeMessage::ServerHello(server_hello) =
            HandshakeMessage::decode(message.typ, message.body()?, &HELLO_CONTEXT)?
        else {
            return Err(Error::UnexpectedMessage(
                UnexpectedMessageReason::ExpectedServerHello,
            ));
        };
        let version = self.selected_version(&server_hello)?;
        Ok(if version != ProtocolVersion::TLSv1_3 {
            ServerAnswer::Tls12(server_hello, version)
        } else if server_hello.is_hello_retry_request() {
            ServerAnswer::HelloRetryRequest(server_hello)
        } else {
            ServerAnswer::Tls13(server_hello)
        })
    }

    /// The version the server chose (RFC 8446 §4.2.1): supported_versions
    /// when present (TLS 1.3 in a renegotiation is `protocol_version`,
    /// RFC 9846 §4.1.3; otherwise it must name a version we offered, or it is
    /// `illegal_parameter`; legacy_version must then be 0x0303, or it
    /// is `protocol_version`: RFC 8446 Appendix D.5 refuses 0x0300 and
    /// below, RFC 9846 §4.1.3 anything else), legacy_version otherwise,
    /// which must be enabled (`protocol_version`) and, when we offered TLS 1.3, must
    /// not come with a downgrade sentinel (RFC 8446 §4.1.3:
    /// `illegal_parameter`).
    fn selected_version(&self, hello: &ServerHello) -> Result<ProtocolVersion, Error> {
        let enabled = &self.config.common.versions;
        match hello.find_extension(ExtensionType::SupportedVersions) {
            Some(Extension::SupportedVersionsSelected(version)) => {
                // RFC 9846 §4.1.3: a TLS ≤1.2 renegotiation answered with
                // TLS 1.3 is `protocol_version`.
                if *version == ProtocolVersion::TLSv1_3 && !self.renegotiated_connection.is_empty()
                {
                    return Err(Error::ProtocolVersion(
                        ProtocolVersionReason::Tls13InRenegotiation,
                    ));
                }
                if *version != ProtocolVersion::TLSv1_3 || !enabled.contains(version) {
                    return Err(Error::IllegalParameter(
                        IllegalParameterReason::VersionNotOffered,
                    ));
                }
                if hello.legacy_version != ProtocolVersion::TLSv1_2 {
                    return Err(Error::ProtocolVersion(
                        ProtocolVersionReason::ServerHelloLegacyVersion,
                    ));
                }
                Ok(*version)
            }
            _ => {
                let version = hello.legacy_version;
                if !enabled.contains(&version) || version == ProtocolVersion::TLSv1_3 {
                    return Err(Error::ProtocolVersion(
                        ProtocolVersionReason::VersionNotEnabled,
                    ));
                }
                // RFC 8446 §4.1.3: a 1.3 client refuses either sentinel, a
                // 1.2 client the TLS 1.1 one under TLS 1.1 or below.
                let downgraded = match hello.downgrade_sentinel() {
                    Some(_) if enabled.contains(&ProtocolVersion::TLSv1_3) => true,
                    Some(sentinel) => {
                        sentinel == DOWNGRADE_SENTINEL_TLS11
                            && version != ProtocolVersion::TLSv1_2
                            && enabled.contains(&ProtocolVersion::TLSv1_2)
                    }
                    None => false,
                };
                if downgraded {
                    return Err(Error::IllegalParameter(
                        IllegalParameterReason::DowngradeSentinel,
                    ));
                }
                Ok(version)
            }
        }
    }

    /// Whether the server's group is one we enabled.
    pub(super) fn group_enabled(&self, group: NamedGroup) -> bool {
        self.config.common.groups.contains(&group)
    }
}

/// Whether our TLS ≤ 1.2 ClientHello asks for encrypt_then_mac: when it
/// offers a CBC suite, the only kind the extension applies to (RFC 7366
/// §2).
pub(super) fn offers_encrypt_then_mac(config: &ClientConfig) -> bool {
    config
        .common
        .cipher_suites
        .iter()
        .any(|s| crate::handshake::tls12::tls12_suite(*s).is_some_and(|t| t.is_cbc()))
}
