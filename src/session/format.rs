//! The container of the versioned session format: a header, a list of
//! tagged fields, and a checksum. Which fields each kind of session holds
//! is `state.rs`'s business; this file only frames them. The full schema is
//! in `docs/session-format.md`; in the RFC presentation language:
//!
//! ```text
//! enum {
//!     server_state(1), client_tls12_session(2), client_tls13_ticket(3),
//!     ticket_keys(4), (255)
//! } SessionDataKind;
//!
//! struct {
//!     uint16 tag;                      /* ascending, each at most once */
//!     opaque value<0..2^24-1>;
//! } Field;
//!
//! struct {
//!     opaque magic[4] = "FTSD";
//!     uint8 format_version = 1;
//!     SessionDataKind kind;
//!     Field fields<0..2^24-1>;
//!     opaque checksum[16];             /* SHA-256 of all of the above, truncated */
//! } SessionData;
//! ```
//!
//! The format only grows: a new field gets a new tag. A reader skips (and
//! keeps, to re-encode) a field whose tag it does not know unless the tag
//! has [`CRITICAL_TAG_BIT`] set, which marks a field that must not be
//! ignored; `format_version` changes only if the framing itself ever must.
//! The checksum catches accidental corruption of exported bytes; it is not
//! authentication (tickets get that from the ticketer's AEAD).

use crate::codec::{LengthPrefix, Reader, Writer};
use crate::crypto::hash::HashAlgorithm;
use crate::crypto::secret::Secret;
use crate::error::{Error, InvalidRequestReason};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// The four bytes every encoded session starts with ("FerroTls Session
/// Data").
pub const MAGIC: [u8; 4] = *b"FTSD";

/// The framing version this code writes and the only one it reads.
pub const FORMAT_VERSION: u8 = 1;

/// The length of the trailing checksum: the first 16 bytes of SHA-256
/// (FIPS 180-4) over everything before it.
pub const CHECKSUM_LEN: usize = 16;

/// The most fields one encoding may hold; more is
/// [`SessionDataError::MalformedFieldList`]. Not an RFC limit: this version
/// writes at most 15 fields per kind, and the bound keeps a reader's work
/// linear in what it can use even for data of a much later version.
pub const MAX_FIELDS: usize = 256;

/// Room [`FieldReader::parse`] reserves for fields before reading them:
/// every field this version writes (at most 15 per kind) and a few unknown
/// ones, so data made by this code is split with one allocation. A sizing
/// choice, not a limit ([`MAX_FIELDS`] is that).
const PRESIZED_FIELDS: usize = 16;

/// Magic, `format_version` and `kind`.
const HEADER_LEN: usize = MAGIC.len() + 2;

/// A field's tag and 3-byte value length.
const FIELD_HEADER_LEN: usize = 2 + 3;

/// A tag with this bit set names a field a reader must understand: an
/// unknown critical field makes the whole encoding unreadable
/// ([`SessionDataError::UnknownCriticalField`]) instead of being skipped.
pub const CRITICAL_TAG_BIT: u16 = 0x8000;

pub use crate::error::SessionDataError;

/// The field tags of every kind (`state.rs` and `ticketer.rs` document
/// their syntax; `docs/session-format.md` lists them all).
pub(crate) mod tag {
    pub const VERSION: u16 = 0x0001;
    pub const CIPHER_SUITE: u16 = 0x0002;
    pub const SECRET: u16 = 0x0003;
    pub const CREATED: u16 = 0x0004;
    pub const LIFETIME: u16 = 0x0005;
    pub const SERVER_NAME: u16 = 0x0006;
    pub const ALPN_PROTOCOL: u16 = 0x0007;
    pub const PEER_CERTIFICATES: u16 = 0x0008;
    pub const EXTENDED_MASTER_SECRET: u16 = 0x0009;
    pub const ENCRYPT_THEN_MAC: u16 = 0x000a;
    pub const AUTHENTICATED: u16 = 0x000b;
    pub const MAX_FRAGMENT_LENGTH: u16 = 0x000c;
    pub const OCSP_RESPONSE: u16 = 0x000d;
    pub const SCTS: u16 = 0x000e;
    pub const PERSISTENT_SESSION_ID: u16 = 0x0010;
    pub const TLS13_TICKET_PARAMS: u16 = 0x0011;
    pub const RESUMPTION_DATA: u16 = 0x0012;
    pub const SESSION_ID: u16 = 0x0020;
    pub const TLS12_TICKET: u16 = 0x0021;
    pub const TICKET: u16 = 0x0030;
    pub const TICKET_AGE_ADD: u16 = 0x0031;
    pub const MAX_EARLY_DATA_SIZE: u16 = 0x0032;
    pub const KEY_SHARE_GROUP: u16 = 0x0033;
    pub const TICKET_AEAD: u16 = 0x0040;
    pub const CURRENT_TICKET_KEY: u16 = 0x0041;
    pub const PREVIOUS_TICKET_KEY: u16 = 0x0042;

    /// Every tag some kind uses: one of these in the wrong kind is an
    /// error, not an unknown field.
    pub const KNOWN: [u16; 26] = [
        VERSION,
        CIPHER_SUITE,
        SECRET,
        CREATED,
        LIFETIME,
        SERVER_NAME,
        ALPN_PROTOCOL,
        PEER_CERTIFICATES,
        EXTENDED_MASTER_SECRET,
        ENCRYPT_THEN_MAC,
        AUTHENTICATED,
        MAX_FRAGMENT_LENGTH,
        OCSP_RESPONSE,
        SCTS,
        PERSISTENT_SESSION_ID,
        TLS13_TICKET_PARAMS,
        RESUMPTION_DATA,
        SESSION_ID,
        TLS12_TICKET,
        TICKET,
        TICKET_AGE_ADD,
        MAX_EARLY_DATA_SIZE,
        KEY_SHARE_GROUP,
        TICKET_AEAD,
        CURRENT_TICKET_KEY,
        PREVIOUS_TICKET_KEY,
    ];
}

/// The kinds of session data (`SessionDataKind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A server's resumable state ([`super::state::ServerSessionState`]).
    ServerState = 1,
    /// A client's TLS ≤1.2 session ([`super::state::ClientSessionTls12`]).
    ClientTls12 = 2,
    /// A client's TLS 1.3 ticket ([`super::state::ClientTicketTls13`]).
    ClientTls13 = 3,
    /// A ticketer's key set ([`super::ticketer::RotatingTicketer`]).
    TicketKeys = 4,
}

impl Kind {
    fn from_u8(v: u8) -> Option<Self> {
        match v {
            1 => Some(Self::ServerState),
            2 => Some(Self::ClientTls12),
            3 => Some(Self::ClientTls13),
            4 => Some(Self::TicketKeys),
            _ => None,
        }
    }
}

/// A field whose tag this code does not know and which is not critical:
/// skipped when reading, kept so the data re-encodes unchanged. The value
/// is held as a [`Secret`] since a newer writer may have put key material
/// in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownField {
    /// The field's tag (without [`CRITICAL_TAG_BIT`]).
    pub tag: u16,
    /// The field's value, as read.
    pub value: Secret,
}

/// The non-critical fields of unknown tag that came with decoded data,
/// kept to be written back out; empty for data made by this code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnknownFields(Vec<UnknownField>);

impl UnknownFields {
    /// The kept fields, in ascending tag order.
    pub fn as_slice(&self) -> &[UnknownField] {
        &self.0
    }
}

/// Bytes [`FieldWriter::new`] adds to its caller's bound on the value
/// bytes: room for the value of every fixed-size field (at most 8 bytes,
/// a `uint64`) and for up to 8 bytes of length prefixes inside each value,
/// for every known tag. A sizing choice, not a limit.
const FIXED_VALUES_BOUND: usize = tag::KNOWN.len() * (FIELD_HEADER_LEN + 8 + 8);

/// Writes the fields of one encoding straight into its framing, merging
/// in the unknown fields kept from a decode, in ascending tag order.
pub(crate) struct FieldWriter<'u> {
    out: Writer,
    /// Where the encoding starts in `out` (after the caller's room).
    start: usize,
    /// Where the 3-byte length of the field list goes.
    fields_len_at: usize,
    /// Unknown fields not written yet, in ascending tag order.
    unknown: &'u [UnknownField],
    last_tag: Option<u16>,
    misordered: bool,
}

impl<'u> FieldWriter<'u> {
    /// Starts an encoding of `kind` that carries `unknown` along.
    /// `variable_len` bounds the bytes of the variable-length values the
    /// caller will write (byte strings, lists with their inner length
    /// prefixes); with it the buffer is allocated once at a size it does
    /// not outgrow, so no copy of the secrets in it is left behind by a
    /// reallocation, and one allocation serves the whole encoding.
    pub(crate) fn new(kind: Kind, unknown: &'u UnknownFields, variable_len: usize) -> Self {
        Self::with_room(kind, unknown, variable_len, (0, 0))
    }

    /// [`Self::new`], with `room.0` zero bytes before the encoding and
    /// capacity for `room.1` more after it, which the caller fills in the
    /// same buffer (a ticketer's key name and nonce before, its tag
    /// after: [`super::ticketer::seal_state`]).
    pub(crate) fn with_room(
        kind: Kind,
        unknown: &'u UnknownFields,
        variable_len: usize,
        room: (usize, usize),
    ) -> Self {
        let unknown_len: usize = unknown
            .0
            .iter()
            .map(|u| FIELD_HEADER_LEN + u.value.len())
            .sum();
        let capacity = room.0
            + HEADER_LEN
            + LengthPrefix::U24.size()
            + FIXED_VALUES_BOUND
            + variable_len
            + unknown_len
            + CHECKSUM_LEN
            + room.1;
        let mut buffer = Vec::with_capacity(capacity);
        buffer.resize(room.0, 0);
        let mut out = Writer::with_buffer(buffer);
        out.bytes(&MAGIC);
        out.u8(FORMAT_VERSION);
        out.u8(kind as u8);
        let fields_len_at = out.len();
        out.u24(0);
        Self {
            out,
            start: room.0,
            fields_len_at,
            unknown: &unknown.0,
            last_tag: None,
            misordered: false,
        }
    }

    /// Adds field `tag` with the value `f` writes. Fields must come in
    /// ascending tag order (the format's rule); otherwise [`Self::finish`]
    /// fails.
    pub(crate) fn field(&mut self, tag: u16, f: impl FnOnce(&mut Writer)) {
        self.unknown_before(Some(tag));
        if self.last_tag.is_some_and(|last| last >= tag) {
            self.misordered = true;
        }
        self.last_tag = Some(tag);
        self.out.u16(tag);
        self.out.scope(LengthPrefix::U24, f);
    }

    /// Adds field `tag` only when `value` is present.
    pub(crate) fn optional<T>(
        &mut self,
        tag: u16,
        value: Option<T>,
        f: impl FnOnce(&mut Writer, T),
    ) {
        if let Some(v) = value {
            self.field(tag, |w| f(w, v));
        }
    }

    /// Writes the unknown fields whose tags come before `tag` (all of
    /// them for `None`).
    fn unknown_before(&mut self, tag: Option<u16>) {
        let split = self
            .unknown
            .iter()
            .take_while(|u| tag.is_none_or(|t| u.tag < t))
            .count();
        let (now, later) = self.unknown.split_at(split);
        for u in now {
            self.out.u16(u.tag);
            self.out.vector(LengthPrefix::U24, u.value.as_bytes());
        }
        self.unknown = later;
    }

    /// Closes the field list and appends the checksum. Fails with
    /// [`Error::EncodeOverflow`] when a value is too long for its length
    /// prefix, and with [`Error::InvalidRequest`] when the fields were not
    /// added in ascending tag order. The encoding holds secrets in clear,
    /// so it comes in a buffer wiped on drop.
    pub(crate) fn finish(mut self) -> Result<Zeroizing<Vec<u8>>, Error> {
        self.unknown_before(None);
        if self.misordered {
            return Err(Error::InvalidRequest(
                InvalidRequestReason::SessionFieldOrder,
            ));
        }
        let mut out = Zeroizing::new(self.out.finish()?);
        let fields_len = out.len() - self.fields_len_at - LengthPrefix::U24.size();
        if fields_len > LengthPrefix::U24.max_len() {
            return Err(Error::EncodeOverflow);
        }
        let [_, a, b, c] = u32::try_from(fields_len)
            .map_err(|_| Error::EncodeOverflow)?
            .to_be_bytes();
        if let Some(len) = out.get_mut(self.fields_len_at..self.fields_len_at + 3) {
            len.copy_from_slice(&[a, b, c]);
        }
        let checksum = checksum(out.get(self.start..).unwrap_or_default());
        out.extend_from_slice(&checksum);
        Ok(out)
    }
}

fn checksum(covered: &[u8]) -> [u8; CHECKSUM_LEN] {
    let digest = HashAlgorithm::Sha256.hash(covered);
    let mut out = [0u8; CHECKSUM_LEN];
    for (o, d) in out.iter_mut().zip(digest.as_bytes()) {
        *o = *d;
    }
    out
}

/// The fields of one decoded encoding, handed out by tag.
pub(crate) struct FieldReader<'a> {
    kind: Kind,
    /// Fields not yet taken, in ascending tag order.
    fields: Vec<(u16, &'a [u8])>,
}

impl<'a> FieldReader<'a> {
    /// Checks the framing of `bytes` (magic, version, kind, lengths,
    /// checksum, tag order) and splits it into fields.
    pub(crate) fn parse(bytes: &'a [u8]) -> Result<Self, SessionDataError> {
        let mut r = Reader::new(bytes);
        let magic: [u8; 4] = r.array().map_err(|_| SessionDataError::Truncated)?;
        if magic != MAGIC {
            return Err(SessionDataError::BadMagic);
        }
        let version = r.u8().map_err(|_| SessionDataError::Truncated)?;
        if version != FORMAT_VERSION {
            return Err(SessionDataError::UnsupportedFormatVersion(version));
        }
        let kind_byte = r.u8().map_err(|_| SessionDataError::Truncated)?;
        let kind = Kind::from_u8(kind_byte).ok_or(SessionDataError::UnknownKind(kind_byte))?;
        let list = r
            .vector(LengthPrefix::U24)
            .map_err(|_| SessionDataError::Truncated)?;
        let covered_len = bytes.len() - r.remaining();
        let expected: [u8; CHECKSUM_LEN] = r.array().map_err(|_| SessionDataError::Truncated)?;
        if !r.is_empty() {
            return Err(SessionDataError::TrailingBytes);
        }
        let covered = bytes
            .get(..covered_len)
            .ok_or(SessionDataError::Truncated)?;
        if !bool::from(checksum(covered).ct_eq(&expected)) {
            return Err(SessionDataError::Corrupted);
        }

        // Each field takes at least its header.
        let most = list.len() / FIELD_HEADER_LEN;
        let mut list = Reader::new(list);
        let mut fields: Vec<(u16, &'a [u8])> = Vec::with_capacity(most.min(PRESIZED_FIELDS));
        while !list.is_empty() {
            let tag = list
                .u16()
                .map_err(|_| SessionDataError::MalformedFieldList)?;
            let value = list
                .vector(LengthPrefix::U24)
                .map_err(|_| SessionDataError::MalformedFieldList)?;
            if fields.last().is_some_and(|(previous, _)| *previous >= tag) {
                return Err(SessionDataError::FieldOutOfOrder(tag));
            }
            if fields.len() == MAX_FIELDS {
                return Err(SessionDataError::MalformedFieldList);
            }
            fields.push((tag, value));
        }
        Ok(Self { kind, fields })
    }

    /// Fails with [`SessionDataError::UnexpectedKind`] unless the data is of
    /// `kind`.
    pub(crate) fn expect_kind(&self, kind: Kind) -> Result<(), SessionDataError> {
        if self.kind == kind {
            Ok(())
        } else {
            Err(SessionDataError::UnexpectedKind(self.kind as u8))
        }
    }

    /// The kind of the data.
    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    /// Takes field `tag` if present and parses all of its value with `f`;
    /// a value `f` rejects or does not consume entirely is
    /// [`SessionDataError::MalformedField`].
    pub(crate) fn optional<T>(
        &mut self,
        tag: u16,
        f: impl FnOnce(&mut Reader<'a>) -> Result<T, Error>,
    ) -> Result<Option<T>, SessionDataError> {
        let Some(position) = self.fields.iter().position(|(t, _)| *t == tag) else {
            return Ok(None);
        };
        let (_, value) = self.fields.remove(position);
        let mut r = Reader::new(value);
        let parsed = f(&mut r).map_err(|_| SessionDataError::MalformedField(tag))?;
        r.finish()
            .map_err(|_| SessionDataError::MalformedField(tag))?;
        Ok(Some(parsed))
    }

    /// As [`FieldReader::optional`], but an absent field is
    /// [`SessionDataError::MissingField`].
    pub(crate) fn required<T>(
        &mut self,
        tag: u16,
        f: impl FnOnce(&mut Reader<'a>) -> Result<T, Error>,
    ) -> Result<T, SessionDataError> {
        self.optional(tag, f)?
            .ok_or(SessionDataError::MissingField(tag))
    }

    /// Ends reading: every field left over must be unknown to this code
    /// (not in [`tag::KNOWN`]) and not critical; those are returned to be
    /// kept.
    pub(crate) fn finish(self) -> Result<UnknownFields, SessionDataError> {
        let mut kept = Vec::new();
        for (tag, value) in self.fields {
            if tag::KNOWN.contains(&tag) {
                return Err(SessionDataError::UnexpectedField(tag));
            }
            if tag & CRITICAL_TAG_BIT != 0 {
                return Err(SessionDataError::UnknownCriticalField(tag));
            }
            kept.push(UnknownField {
                tag,
                value: Secret::from_slice(value),
            });
        }
        Ok(UnknownFields(kept))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::InvalidRequestReason;

    /// Kept unknown fields go back in tag order among the known ones
    /// (one between them, one after), which the reader's order check
    /// accepts; fields added out of order are refused.
    #[test]
    fn writer_merges_unknown_fields_in_tag_order() {
        let unknown = UnknownFields(vec![
            UnknownField {
                tag: 0x000f,
                value: Secret::from_slice(b"between"),
            },
            UnknownField {
                tag: 0x0100,
                value: Secret::from_slice(b"after"),
            },
        ]);
        let mut f = FieldWriter::new(Kind::ClientTls12, &unknown, 2);
        f.field(tag::VERSION, |w| w.u16(0x0303));
        f.field(tag::SESSION_ID, |w| w.bytes(b"id"));
        let bytes = f.finish().unwrap();
        let mut r = FieldReader::parse(&bytes).unwrap();
        r.expect_kind(Kind::ClientTls12).unwrap();
        assert_eq!(r.required(tag::VERSION, |r| r.u16()).unwrap(), 0x0303);
        assert_eq!(
            r.required(tag::SESSION_ID, |r| Ok(r.rest())).unwrap(),
            b"id"
        );
        assert_eq!(r.finish().unwrap(), unknown);

        let none = UnknownFields::default();
        let mut f = FieldWriter::new(Kind::ClientTls12, &none, 0);
        f.field(tag::SESSION_ID, |w| w.bytes(b"id"));
        f.field(tag::VERSION, |w| w.u16(0x0303));
        assert!(matches!(
            f.finish(),
            Err(Error::InvalidRequest(
                InvalidRequestReason::SessionFieldOrder
            ))
        ));
    }
}
