//! The resumable-session values and their binary encoding (design §3,
//! "export/import"; schema in `docs/session-format.md`).
//!
//! Three kinds, one framing ([`super::format`]):
//! - [`ServerSessionState`]: what a server needs to resume a session,
//!   sealed into tickets by the ticketer or kept in the server store;
//! - [`ClientSessionTls12`]: a client's TLS 1.0–1.2 session (session ID,
//!   optional RFC 5077 ticket, master secret);
//! - [`ClientTicketTls13`]: a client's TLS 1.3 ticket (RFC 8446 §4.6.1),
//!   which has no comparable session ID and is used once.
//!
//! [`ClientSessionData`] joins the two client kinds for export and import.
//! The fields of each kind, in the RFC presentation language (each is one
//! `Field` of the framing, its `value` holding the syntax shown):
//!
//! ```text
//! tag 0x0001 version               ProtocolVersion          server, client ≤1.2
//! tag 0x0002 cipher_suite          CipherSuite              all
//! tag 0x0003 secret                opaque [1..64]           all: master secret (≤1.2) or PSK (1.3)
//! tag 0x0004 created               uint64 (ms since epoch)  all (1.3 ticket: time received)
//! tag 0x0005 lifetime              uint32 (s, ≤ 604800)     all
//! tag 0x0006 server_name           opaque [1..2^16-1]       server: optional (SNI); clients: required
//! tag 0x0007 alpn_protocol         opaque [1..255]          server, client 1.3: optional
//! tag 0x0008 peer_certificates     ASN.1Cert list<0..2^24-1>  all
//! tag 0x0009 extended_master_secret uint8 (0 or 1)          server, client ≤1.2
//! tag 0x000a encrypt_then_mac      uint8 (0 or 1)           server, client ≤1.2
//! tag 0x000b authenticated         uint64 (ms since epoch)  server: optional (absent
//!                                                           when authenticated at creation)
//! tag 0x000c max_fragment_length   uint8 (1 to 4)           server, client ≤1.2: optional
//! tag 0x000d ocsp_response         opaque [1..2^24-1]       clients: optional
//! tag 0x000e scts                  SerializedSCT list<1..2^16-1>  clients: optional
//! tag 0x0010 persistent_session_id opaque [0..32]           server (S or T of design §3)
//! tag 0x0011 tls13_ticket_params   struct { uint32 age_add;
//!                                    opaque nonce<0..255>;
//!                                    uint32 max_early_data_size; }  server: optional (1.3)
//! tag 0x0012 resumption_data       opaque [0..4096]         server: optional (the application's)
//! tag 0x0020 session_id            opaque [0..32]           client ≤1.2
//! tag 0x0021 tls12_ticket          struct { uint32 lifetime_hint;
//!                                    opaque ticket<1..2^16-1>; }    client ≤1.2: optional
//! tag 0x0030 ticket                opaque [1..2^16-1]       client 1.3
//! tag 0x0031 ticket_age_add        uint32                   client 1.3
//! tag 0x0032 max_early_data_size   uint32                   client 1.3
//! ```
//!
//! `opaque [a..b]` is a value that is the byte string itself, `a` to `b`
//! bytes long; the certificate list is that of RFC 5246 §7.4.2. Optional
//! fields are written exactly when present and required fields always, so
//! any accepted encoding re-encodes to the same bytes. The tags live in
//! [`super::format`]'s `tag` registry.

use crate::codec::{Codec, LengthPrefix, Reader, Writer};
use crate::crypto::hash::MAX_HASH_LEN;
use crate::crypto::secret::Secret;
use crate::error::{DecodeReason, Error};
use crate::msgs::certificate::{CERTIFICATE_LIST, CERT_DATA};
use crate::msgs::enums::{CipherSuite, NamedGroup, ProtocolVersion};
use crate::msgs::extensions::{
    max_fragment_length_bytes, HOST_NAME, OCSP_RESPONSE, PROTOCOL_NAME, SCT_LIST, SERIALIZED_SCT,
};
use crate::msgs::syntax::{read_opaque_list, write_opaque_list, VectorSpec};
use crate::msgs::ticket::{TICKET_NONCE, TICKET_TLS13};
use crate::pki::Staples;
use crate::session::format::{
    tag, FieldReader, FieldWriter, Kind, SessionDataError, UnknownFields,
};
use crate::session::id::SessionId;
use crate::time::UnixTime;
use core::time::Duration;
use std::sync::Arc;
use zeroize::Zeroizing;

/// The most bytes of its own an application keeps with a server session
/// ([`crate::ServerConnection::set_resumption_data`]). The session travels
/// in tickets of at most [`super::ticketer::MAX_TICKET_SIZE`]
/// bytes beside its secret, names and client chain; 4 KiB leaves room for
/// those and holds what applications keep there (a user or account ID, a
/// token, the settings a 0-RTT request must be served under).
pub const MAX_RESUMPTION_DATA_LEN: usize = 4096;

/// `opaque resumption_data[0..MAX_RESUMPTION_DATA_LEN]`: the field's bounds.
const RESUMPTION_DATA: VectorSpec = VectorSpec::new(LengthPrefix::U16, 0, MAX_RESUMPTION_DATA_LEN);

/// The longest a session may be resumed: 7 days (604 800 s), the TLS 1.3
/// ticket lifetime limit of RFC 8446 §4.6.1, applied to every version and
/// to the stores.
pub const MAX_LIFETIME_SECS: u32 = 604_800;

/// The lifetime of a session or ticket when the configuration names none:
/// 2 hours (design §3), well inside the 24-hour upper limit RFC 5246 §F.1.4
/// suggests for session IDs.
pub const DEFAULT_LIFETIME_SECS: u32 = 7_200;

/// The longest secret a session may hold: the longest hash output
/// ([`MAX_HASH_LEN`]); master secrets are 48 bytes (RFC 5246 §8.1) and a
/// TLS 1.3 PSK is one hash long (RFC 8446 §4.6.1).
pub const MAX_SECRET_LEN: usize = MAX_HASH_LEN;

/// When a session was made and how long it may be resumed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Validity {
    created: UnixTime,
    lifetime_secs: u32,
}

impl Validity {
    /// A session made at `created` that may be resumed for `lifetime_secs`
    /// seconds, capped at [`MAX_LIFETIME_SECS`].
    pub fn new(created: UnixTime, lifetime_secs: u32) -> Self {
        Self {
            created,
            lifetime_secs: lifetime_secs.min(MAX_LIFETIME_SECS),
        }
    }

    /// When the session was made (for a TLS 1.3 client ticket: when it was
    /// received).
    pub fn created(&self) -> UnixTime {
        self.created
    }

    /// The lifetime in seconds (at most [`MAX_LIFETIME_SECS`]).
    pub fn lifetime_secs(&self) -> u32 {
        self.lifetime_secs
    }

    /// The first instant at which the session is no longer valid.
    pub fn expires_at(&self) -> UnixTime {
        self.created
            .saturating_add(Duration::from_secs(u64::from(self.lifetime_secs)))
    }

    /// Whether the session may no longer be resumed at `now`.
    pub fn is_expired(&self, now: UnixTime) -> bool {
        now >= self.expires_at()
    }

    fn encode(&self, fields: &mut FieldWriter) {
        fields.field(tag::CREATED, |w| w.u64(self.created.as_millis()));
        fields.field(tag::LIFETIME, |w| w.u32(self.lifetime_secs));
    }

    fn decode(fields: &mut FieldReader<'_>) -> Result<Self, SessionDataError> {
        let created = UnixTime::from_millis(fields.required(tag::CREATED, |r| r.u64())?);
        let lifetime_secs = fields.required(tag::LIFETIME, |r| r.u32())?;
        if lifetime_secs > MAX_LIFETIME_SECS {
            return Err(SessionDataError::MalformedField(tag::LIFETIME));
        }
        Ok(Self::new(created, lifetime_secs))
    }
}

/// The TLS 1.3 values a server seals into each ticket (RFC 8446 §4.6.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tls13TicketParams {
    /// `ticket_age_add`: what the client adds to the ticket age.
    pub age_add: u32,
    /// `ticket_nonce`: at most 255 bytes.
    pub nonce: Vec<u8>,
    /// `max_early_data_size` of the early_data extension; 0 when the
    /// ticket allows no early data.
    pub max_early_data_size: u32,
}

/// A server's resumable session (design §3), sealed into tickets or kept
/// in the server store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerSessionState {
    /// The version negotiated when the session was made.
    pub version: ProtocolVersion,
    /// The cipher suite negotiated when the session was made.
    pub cipher_suite: CipherSuite,
    /// The master secret (TLS ≤1.2, RFC 5246 §8.1) or the ticket's
    /// resumption PSK (TLS 1.3, RFC 8446 §4.6.1).
    pub secret: Secret,
    /// The persistent server session identifier: S (≤1.2) or T (1.3) of
    /// design §3, reported by `session_id()` on every resumption.
    pub session_id: SessionId,
    /// Whether the extended master secret was used (RFC 7627).
    pub extended_master_secret: bool,
    /// Whether encrypt-then-MAC was used (RFC 7366).
    pub encrypt_then_mac: bool,
    /// The max_fragment_length code agreed (RFC 6066 §4), which binds
    /// every resumption of a TLS ≤1.2 session; `None` when none was, and
    /// always for TLS 1.3, where each handshake agrees afresh.
    pub max_fragment_length: Option<u8>,
    /// The server name the client asked for (SNI host_name, RFC 6066 §3),
    /// as sent.
    pub server_name: Option<Vec<u8>>,
    /// The ALPN protocol negotiated (RFC 7301).
    pub alpn_protocol: Option<Vec<u8>>,
    /// When the session was made and how long it may be resumed.
    pub validity: Validity,
    /// The client's certificate chain, leaf first; empty without client
    /// authentication.
    pub peer_certificates: Vec<Vec<u8>>,
    /// The ticket's TLS 1.3 values; `None` for TLS ≤1.2.
    pub tls13: Option<Tls13TicketParams>,
    /// The application's bytes kept with the session
    /// ([`crate::ServerConnection::set_resumption_data`]), at most
    /// [`MAX_RESUMPTION_DATA_LEN`].
    pub resumption_data: Option<Vec<u8>>,
    /// When the full handshake that authenticated the session ran; kept
    /// unchanged through every resumption, so that renewed tickets stay
    /// within [`MAX_LIFETIME_SECS`] of it (RFC 8446 §4.6.1). `None` when
    /// the session was authenticated as it was created (by a full
    /// handshake, so no ticket of it carries the field; also data encoded
    /// before the field existed); see [`ServerSessionState::authenticated_at`].
    pub authenticated: Option<UnixTime>,
    /// Fields of unknown tag read with this state, kept to re-encode.
    pub unknown_fields: UnknownFields,
}

/// The lifetime of a session or ticket issued at `now` for a session
/// authenticated at `authenticated`: `configured`, cut so that it ends no
/// later than [`MAX_LIFETIME_SECS`] after the authentication (RFC 8446
/// §4.6.1: tickets renewed on resumption must not extend it); 0 once that
/// instant has passed.
pub fn lifetime_within_cap(configured: u32, authenticated: UnixTime, now: UnixTime) -> u32 {
    let end = authenticated.saturating_add(Duration::from_secs(u64::from(MAX_LIFETIME_SECS)));
    let left = end.saturating_since(now).as_secs();
    configured.min(u32::try_from(left).unwrap_or(u32::MAX))
}

impl ServerSessionState {
    /// When the session was authenticated by a full handshake: the
    /// `authenticated` field, or without it the session's creation time.
    pub fn authenticated_at(&self) -> UnixTime {
        self.authenticated.unwrap_or(self.validity.created())
    }

    /// Whether the session may no longer be resumed at `now`: its own
    /// lifetime is over, or [`MAX_LIFETIME_SECS`] have passed since its
    /// authentication (RFC 8446 §4.6.1).
    pub fn is_expired(&self, now: UnixTime) -> bool {
        self.validity.is_expired(now)
            || lifetime_within_cap(MAX_LIFETIME_SECS, self.authenticated_at(), now) == 0
    }

    /// Encodes the state (kind `server_state`) into a buffer wiped on drop,
    /// since it holds the secret in clear. Fails with
    /// [`Error::EncodeOverflow`] only if a field is longer than its syntax
    /// allows.
    pub fn to_bytes(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        self.to_bytes_with_room((0, 0))
    }

    /// [`Self::to_bytes`] after `room.0` zero bytes, in a buffer with
    /// capacity for `room.1` more bytes after the encoding: a ticket is
    /// sealed in the buffer the state is encoded in
    /// ([`super::ticketer::seal_state`]).
    pub(crate) fn to_bytes_with_room(
        &self,
        room: (usize, usize),
    ) -> Result<Zeroizing<Vec<u8>>, Error> {
        let variable_len = self.secret.len()
            + self.server_name.as_ref().map_or(0, Vec::len)
            + self.alpn_protocol.as_ref().map_or(0, Vec::len)
            + certificates_len(&self.peer_certificates)
            + self.session_id.as_bytes().len()
            + self.tls13.as_ref().map_or(0, |p| p.nonce.len())
            + self.resumption_data.as_ref().map_or(0, Vec::len);
        let mut f =
            FieldWriter::with_room(Kind::ServerState, &self.unknown_fields, variable_len, room);
        f.field(tag::VERSION, |w| self.version.encode(w));
        f.field(tag::CIPHER_SUITE, |w| self.cipher_suite.encode(w));
        f.field(tag::SECRET, |w| w.bytes(self.secret.as_bytes()));
        self.validity.encode(&mut f);
        f.optional(tag::SERVER_NAME, self.server_name.as_deref(), Writer::bytes);
        f.optional(
            tag::ALPN_PROTOCOL,
            self.alpn_protocol.as_deref(),
            Writer::bytes,
        );
        f.field(tag::PEER_CERTIFICATES, |w| {
            write_certificates(w, &self.peer_certificates)
        });
        f.field(tag::EXTENDED_MASTER_SECRET, |w| {
            w.u8(u8::from(self.extended_master_secret))
        });
        f.field(tag::ENCRYPT_THEN_MAC, |w| {
            w.u8(u8::from(self.encrypt_then_mac))
        });
        f.optional(tag::AUTHENTICATED, self.authenticated, |w, t| {
            w.u64(t.as_millis())
        });
        f.optional(
            tag::MAX_FRAGMENT_LENGTH,
            self.max_fragment_length,
            Writer::u8,
        );
        f.field(tag::PERSISTENT_SESSION_ID, |w| {
            w.bytes(self.session_id.as_bytes())
        });
        f.optional(tag::TLS13_TICKET_PARAMS, self.tls13.as_ref(), |w, p| {
            w.u32(p.age_add);
            TICKET_NONCE.write(w, &p.nonce);
            w.u32(p.max_early_data_size);
        });
        f.optional(
            tag::RESUMPTION_DATA,
            self.resumption_data.as_deref(),
            Writer::bytes,
        );
        f.finish()
    }

    /// Decodes a state written by [`ServerSessionState::to_bytes`] (of this
    /// or a later version of the format). Anything else fails with
    /// [`Error::SessionData`] saying why; expiry is not checked here (see
    /// [`super::resumption_check::check_resumption`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        Ok(Self::decode(bytes)?)
    }

    /// [`ServerSessionState::from_bytes`] with the reason as it is.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Self, SessionDataError> {
        let f = FieldReader::parse(bytes)?;
        f.expect_kind(Kind::ServerState)?;
        Self::decode_fields(f)
    }

    fn decode_fields(mut f: FieldReader<'_>) -> Result<Self, SessionDataError> {
        let version = f.required(tag::VERSION, ProtocolVersion::decode)?;
        let cipher_suite = f.required(tag::CIPHER_SUITE, CipherSuite::decode)?;
        let secret = f.required(tag::SECRET, read_secret)?;
        let validity = Validity::decode(&mut f)?;
        let server_name = f.optional(tag::SERVER_NAME, |r| read_bounded(r, HOST_NAME))?;
        let alpn_protocol = f.optional(tag::ALPN_PROTOCOL, |r| read_bounded(r, PROTOCOL_NAME))?;
        let peer_certificates = f.required(tag::PEER_CERTIFICATES, read_certificates)?;
        let extended_master_secret = f.required(tag::EXTENDED_MASTER_SECRET, read_bool)?;
        let encrypt_then_mac = f.required(tag::ENCRYPT_THEN_MAC, read_bool)?;
        let authenticated =
            f.optional(tag::AUTHENTICATED, |r| Ok(UnixTime::from_millis(r.u64()?)))?;
        let max_fragment_length = f.optional(tag::MAX_FRAGMENT_LENGTH, read_max_fragment_length)?;
        let session_id = f.required(tag::PERSISTENT_SESSION_ID, read_session_id)?;
        let tls13 = f.optional(tag::TLS13_TICKET_PARAMS, |r| {
            Ok(Tls13TicketParams {
                age_add: r.u32()?,
                nonce: TICKET_NONCE.read_vec(r)?,
                max_early_data_size: r.u32()?,
            })
        })?;
        let resumption_data =
            f.optional(tag::RESUMPTION_DATA, |r| read_bounded(r, RESUMPTION_DATA))?;
        let unknown_fields = f.finish()?;
        Ok(Self {
            version,
            cipher_suite,
            secret,
            session_id,
            extended_master_secret,
            encrypt_then_mac,
            max_fragment_length,
            server_name,
            alpn_protocol,
            validity,
            peer_certificates,
            tls13,
            resumption_data,
            authenticated,
            unknown_fields,
        })
    }
}

/// An RFC 5077 ticket a TLS ≤1.2 server issued (§3.3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tls12Ticket {
    /// `ticket_lifetime_hint` in seconds; 0 means unspecified.
    pub lifetime_hint: u32,
    /// The opaque ticket (not empty).
    pub ticket: Vec<u8>,
}

/// A client's resumable TLS 1.0–1.2 session: resumed by session ID, or by
/// its RFC 5077 ticket when it has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientSessionTls12 {
    /// The version of the session (1.0, 1.1 or 1.2).
    pub version: ProtocolVersion,
    /// The cipher suite of the session.
    pub cipher_suite: CipherSuite,
    /// The session ID the server gave (S of design §3); may be empty when
    /// the server issued only a ticket.
    pub session_id: SessionId,
    /// The ticket, when the server issued one.
    pub ticket: Option<Tls12Ticket>,
    /// The master secret (RFC 5246 §8.1).
    pub master_secret: Secret,
    /// Whether the extended master secret was used (RFC 7627).
    pub extended_master_secret: bool,
    /// Whether encrypt-then-MAC was used (RFC 7366).
    pub encrypt_then_mac: bool,
    /// The max_fragment_length code the server agreed to (RFC 6066 §4),
    /// which binds every resumption; `None` when it agreed to none.
    pub max_fragment_length: Option<u8>,
    /// The server's certificate chain, leaf first.
    pub server_certificates: Vec<Vec<u8>>,
    /// What the server stapled to its end entity in the full handshake.
    pub staples: Staples,
    /// The name the client connected to (and the store key).
    pub server_name: String,
    /// When the session was made and how long the client will offer it.
    pub validity: Validity,
    /// Fields of unknown tag read with this session, kept to re-encode.
    pub unknown_fields: UnknownFields,
}

impl ClientSessionTls12 {
    fn encode(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        let variable_len = self.master_secret.len()
            + self.server_name.len()
            + certificates_len(&self.server_certificates)
            + staples_len(&self.staples)
            + self.session_id.as_bytes().len()
            + self.ticket.as_ref().map_or(0, |t| t.ticket.len());
        let mut f = FieldWriter::new(Kind::ClientTls12, &self.unknown_fields, variable_len);
        f.field(tag::VERSION, |w| self.version.encode(w));
        f.field(tag::CIPHER_SUITE, |w| self.cipher_suite.encode(w));
        f.field(tag::SECRET, |w| w.bytes(self.master_secret.as_bytes()));
        self.validity.encode(&mut f);
        f.field(tag::SERVER_NAME, |w| w.bytes(self.server_name.as_bytes()));
        f.field(tag::PEER_CERTIFICATES, |w| {
            write_certificates(w, &self.server_certificates)
        });
        f.field(tag::EXTENDED_MASTER_SECRET, |w| {
            w.u8(u8::from(self.extended_master_secret))
        });
        f.field(tag::ENCRYPT_THEN_MAC, |w| {
            w.u8(u8::from(self.encrypt_then_mac))
        });
        f.optional(
            tag::MAX_FRAGMENT_LENGTH,
            self.max_fragment_length,
            Writer::u8,
        );
        encode_staples(&mut f, &self.staples);
        f.field(tag::SESSION_ID, |w| w.bytes(self.session_id.as_bytes()));
        f.optional(tag::TLS12_TICKET, self.ticket.as_ref(), |w, t| {
            w.u32(t.lifetime_hint);
            TICKET_TLS13.write(w, &t.ticket);
        });
        f.finish()
    }

    fn decode_fields(mut f: FieldReader<'_>) -> Result<Self, SessionDataError> {
        let version = f.required(tag::VERSION, |r| match ProtocolVersion::decode(r)? {
            v
            @ (ProtocolVersion::TLSv1_0 | ProtocolVersion::TLSv1_1 | ProtocolVersion::TLSv1_2) => {
                Ok(v)
            }
            _ => Err(Error::Decode(DecodeReason::SessionVersion)),
        })?;
        let cipher_suite = f.required(tag::CIPHER_SUITE, CipherSuite::decode)?;
        let master_secret = f.required(tag::SECRET, read_secret)?;
        let validity = Validity::decode(&mut f)?;
        let server_name = f.required(tag::SERVER_NAME, read_server_name)?;
        let server_certificates = f.required(tag::PEER_CERTIFICATES, read_certificates)?;
        let extended_master_secret = f.required(tag::EXTENDED_MASTER_SECRET, read_bool)?;
        let encrypt_then_mac = f.required(tag::ENCRYPT_THEN_MAC, read_bool)?;
        let max_fragment_length = f.optional(tag::MAX_FRAGMENT_LENGTH, read_max_fragment_length)?;
        let staples = decode_staples(&mut f)?;
        let session_id = f.required(tag::SESSION_ID, read_session_id)?;
        // RFC 5077 §3.3 allows an empty ticket on the wire, meaning "no
        // ticket after all"; a stored ticket is never empty.
        let ticket = f.optional(tag::TLS12_TICKET, |r| {
            Ok(Tls12Ticket {
                lifetime_hint: r.u32()?,
                ticket: TICKET_TLS13.read_vec(r)?,
            })
        })?;
        let unknown_fields = f.finish()?;
        Ok(Self {
            version,
            cipher_suite,
            session_id,
            ticket,
            master_secret,
            extended_master_secret,
            encrypt_then_mac,
            max_fragment_length,
            server_certificates,
            staples,
            server_name,
            validity,
            unknown_fields,
        })
    }
}

/// A client's TLS 1.3 ticket (RFC 8446 §4.6.1), offered once as a PSK.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientTicketTls13 {
    /// The opaque ticket: the PSK identity.
    pub ticket: Vec<u8>,
    /// The PSK derived from the resumption master secret and the ticket
    /// nonce (RFC 8446 §4.6.1).
    pub psk: Secret,
    /// The cipher suite of the session the ticket belongs to; a resumption
    /// must use a suite with the same hash (RFC 8446 §4.2.11).
    pub cipher_suite: CipherSuite,
    /// `ticket_age_add` from the NewSessionTicket.
    pub age_add: u32,
    /// When the ticket was received (`created`, in milliseconds) and its
    /// `ticket_lifetime`.
    pub validity: Validity,
    /// `max_early_data_size`; 0 when the ticket allows no early data.
    pub max_early_data_size: u32,
    /// The ALPN protocol of the session, needed to send early data
    /// (RFC 8446 §4.2.10).
    pub alpn_protocol: Option<Vec<u8>>,
    /// The server's chain and staples from the full handshake, shared by
    /// every ticket of one connection (and of the resumptions that
    /// descend from it) rather than copied into each.
    pub server: Arc<ServerChain>,
    /// The name the client connected to (and the store key).
    pub server_name: String,
    /// The group the connection that received the ticket completed its
    /// key exchange in (RFC 8446 §4.2.8), `None` for a psk_ke
    /// resumption: exported with the ticket, so that a process that
    /// imports it sends that group's key share first, as the store's
    /// key-share hint would ([`crate::ClientSessionStore::key_share_hint`]).
    pub key_share_group: Option<NamedGroup>,
    /// Fields of unknown tag read with this ticket, kept to re-encode.
    pub unknown_fields: UnknownFields,
}

/// What a server presented to authenticate itself in a full handshake,
/// as a client's TLS 1.3 tickets keep it: the certificate chain (leaf
/// first) and what the server stapled to its end entity. A server sends
/// two tickets by default (RFC 8446 §4.6.1 allows any number), each of
/// which would otherwise hold its own copy of a chain of a few kilobytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerChain {
    /// The certificate chain, leaf first.
    pub certificates: Vec<Vec<u8>>,
    /// The OCSP response and SCTs stapled to the end entity.
    pub staples: Staples,
}

impl ClientTicketTls13 {
    /// The `obfuscated_ticket_age` to send at `now`: the milliseconds
    /// since the ticket was received plus `age_add`, modulo 2^32
    /// (RFC 8446 §4.2.11.1).
    pub fn obfuscated_age(&self, now: UnixTime) -> u32 {
        let age = now.saturating_since(self.validity.created()).as_millis();
        // Truncation to 32 bits is the "modulo 2^32" of the RFC.
        (age as u32).wrapping_add(self.age_add)
    }

    fn encode(&self) -> Result<Zeroizing<Vec<u8>>, Error> {
        let variable_len = self.psk.len()
            + self.server_name.len()
            + self.alpn_protocol.as_ref().map_or(0, Vec::len)
            + certificates_len(&self.server.certificates)
            + staples_len(&self.server.staples)
            + self.ticket.len();
        let mut f = FieldWriter::new(Kind::ClientTls13, &self.unknown_fields, variable_len);
        f.field(tag::CIPHER_SUITE, |w| self.cipher_suite.encode(w));
        f.field(tag::SECRET, |w| w.bytes(self.psk.as_bytes()));
        self.validity.encode(&mut f);
        f.field(tag::SERVER_NAME, |w| w.bytes(self.server_name.as_bytes()));
        f.optional(
            tag::ALPN_PROTOCOL,
            self.alpn_protocol.as_deref(),
            Writer::bytes,
        );
        f.field(tag::PEER_CERTIFICATES, |w| {
            write_certificates(w, &self.server.certificates)
        });
        encode_staples(&mut f, &self.server.staples);
        f.field(tag::TICKET, |w| w.bytes(&self.ticket));
        f.field(tag::TICKET_AGE_ADD, |w| w.u32(self.age_add));
        f.field(tag::MAX_EARLY_DATA_SIZE, |w| {
            w.u32(self.max_early_data_size)
        });
        f.optional(tag::KEY_SHARE_GROUP, self.key_share_group, |w, g| {
            g.encode(w)
        });
        f.finish()
    }

    fn decode_fields(mut f: FieldReader<'_>) -> Result<Self, SessionDataError> {
        let cipher_suite = f.required(tag::CIPHER_SUITE, CipherSuite::decode)?;
        let psk = f.required(tag::SECRET, read_secret)?;
        let validity = Validity::decode(&mut f)?;
        let server_name = f.required(tag::SERVER_NAME, read_server_name)?;
        let alpn_protocol = f.optional(tag::ALPN_PROTOCOL, |r| read_bounded(r, PROTOCOL_NAME))?;
        let certificates = f.required(tag::PEER_CERTIFICATES, read_certificates)?;
        let staples = decode_staples(&mut f)?;
        let ticket = f.required(tag::TICKET, |r| read_bounded(r, TICKET_TLS13))?;
        let age_add = f.required(tag::TICKET_AGE_ADD, |r| r.u32())?;
        let max_early_data_size = f.required(tag::MAX_EARLY_DATA_SIZE, |r| r.u32())?;
        let key_share_group = f.optional(tag::KEY_SHARE_GROUP, NamedGroup::decode)?;
        let unknown_fields = f.finish()?;
        Ok(Self {
            key_share_group,
            ticket,
            psk,
            cipher_suite,
            age_add,
            validity,
            max_early_data_size,
            alpn_protocol,
            server: Arc::new(ServerChain {
                certificates,
                staples,
            }),
            server_name,
            unknown_fields,
        })
    }
}

/// A client's resumable session, of either family, as exported and
/// imported (design §3, "export/import").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientSessionData {
    /// A TLS 1.0–1.2 session.
    Tls12(Arc<ClientSessionTls12>),
    /// A TLS 1.3 ticket.
    Tls13(Arc<ClientTicketTls13>),
}

impl ClientSessionData {
    /// Encodes the session in the versioned format. The bytes hold the
    /// master secret or PSK in clear and are the caller's to protect: the
    /// encoding buffer itself is handed over, so no other copy is left
    /// behind. Fails with [`Error::EncodeOverflow`] only if a field is
    /// longer than its syntax allows.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut encoded = match self {
            Self::Tls12(s) => s.encode()?,
            Self::Tls13(t) => t.encode()?,
        };
        Ok(core::mem::take(&mut *encoded))
    }

    /// Imports a session exported by [`ClientSessionData::to_bytes`].
    ///
    /// Bytes that are not such a session — corrupted, truncated, followed
    /// by trailing bytes, of an unknown format version, carrying an unknown
    /// critical field, or holding server data — fail with
    /// [`Error::SessionData`] naming the reason; so does a session expired
    /// at `now` ([`SessionDataError::Expired`]). Never panics.
    pub fn from_bytes(bytes: &[u8], now: UnixTime) -> Result<Self, Error> {
        let f = FieldReader::parse(bytes)?;
        let data = match f.kind() {
            Kind::ClientTls12 => Self::Tls12(Arc::new(ClientSessionTls12::decode_fields(f)?)),
            Kind::ClientTls13 => Self::Tls13(Arc::new(ClientTicketTls13::decode_fields(f)?)),
            other @ (Kind::ServerState | Kind::TicketKeys) => {
                return Err(SessionDataError::UnexpectedKind(other as u8).into())
            }
        };
        if data.validity().is_expired(now) {
            return Err(SessionDataError::Expired.into());
        }
        Ok(data)
    }

    /// When the session was made and how long it is valid.
    pub fn validity(&self) -> Validity {
        match self {
            Self::Tls12(s) => s.validity,
            Self::Tls13(t) => t.validity,
        }
    }

    /// The name of the server the session belongs to.
    pub fn server_name(&self) -> &str {
        match self {
            Self::Tls12(s) => &s.server_name,
            Self::Tls13(t) => &t.server_name,
        }
    }
}

fn read_bounded(r: &mut Reader<'_>, spec: VectorSpec) -> Result<Vec<u8>, Error> {
    let body = r.rest();
    if body.len() < spec.min || body.len() > spec.max {
        return Err(Error::Decode(DecodeReason::SessionFieldLength));
    }
    Ok(body.to_vec())
}

fn read_secret(r: &mut Reader<'_>) -> Result<Secret, Error> {
    let body = r.rest();
    if body.is_empty() || body.len() > MAX_SECRET_LEN {
        return Err(Error::Decode(DecodeReason::SessionSecretLength));
    }
    Ok(Secret::from_slice(body))
}

fn read_server_name(r: &mut Reader<'_>) -> Result<String, Error> {
    String::from_utf8(read_bounded(r, HOST_NAME)?)
        .map_err(|_| Error::Decode(DecodeReason::SessionServerName))
}

fn read_session_id(r: &mut Reader<'_>) -> Result<SessionId, Error> {
    SessionId::from_peer(r.rest())
}

/// A max_fragment_length code, one of 1 to 4 (RFC 6066 §4).
fn read_max_fragment_length(r: &mut Reader<'_>) -> Result<u8, Error> {
    let code = r.u8()?;
    match max_fragment_length_bytes(code) {
        Some(_) => Ok(code),
        None => Err(Error::Decode(DecodeReason::SessionMaxFragmentLength)),
    }
}

fn read_bool(r: &mut Reader<'_>) -> Result<bool, Error> {
    match r.u8()? {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(Error::Decode(DecodeReason::SessionBool)),
    }
}

/// The bytes [`write_certificates`] writes for `chain`.
fn certificates_len(chain: &[Vec<u8>]) -> usize {
    CERTIFICATE_LIST.prefix.size()
        + chain
            .iter()
            .map(|c| CERT_DATA.prefix.size() + c.len())
            .sum::<usize>()
}

/// The bytes [`encode_staples`] writes, less the field headers.
fn staples_len(staples: &Staples) -> usize {
    staples.ocsp_response.as_ref().map_or(0, Vec::len)
        + SCT_LIST.prefix.size()
        + staples
            .scts
            .iter()
            .map(|sct| SERIALIZED_SCT.prefix.size() + sct.len())
            .sum::<usize>()
}

/// Writes a client session's staples: each field only when the server
/// stapled that item, the SCT list being never empty on the wire either
/// (RFC 6962 §3.3).
fn encode_staples(f: &mut FieldWriter<'_>, staples: &Staples) {
    f.optional(
        tag::OCSP_RESPONSE,
        staples.ocsp_response.as_deref(),
        Writer::bytes,
    );
    f.optional(
        tag::SCTS,
        (!staples.scts.is_empty()).then_some(&staples.scts),
        |w, scts| write_opaque_list(SCT_LIST, SERIALIZED_SCT, w, scts),
    );
}

/// Reads what [`encode_staples`] writes; data written before the fields
/// existed reads as nothing stapled.
fn decode_staples(f: &mut FieldReader<'_>) -> Result<Staples, SessionDataError> {
    Ok(Staples {
        ocsp_response: f.optional(tag::OCSP_RESPONSE, |r| read_bounded(r, OCSP_RESPONSE))?,
        scts: f
            .optional(tag::SCTS, |r| read_opaque_list(SCT_LIST, SERIALIZED_SCT, r))?
            .unwrap_or_default(),
    })
}

fn write_certificates(w: &mut Writer, chain: &[Vec<u8>]) {
    write_opaque_list(CERTIFICATE_LIST, CERT_DATA, w, chain);
}

fn read_certificates(r: &mut Reader<'_>) -> Result<Vec<Vec<u8>>, Error> {
    read_opaque_list(CERTIFICATE_LIST, CERT_DATA, r)
}
