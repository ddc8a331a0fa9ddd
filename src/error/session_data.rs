//! Why stored or exported session data was refused (the session layer's
//! format, `session::format`).

use core::fmt;

/// Why encoded session data was refused. Every variant is a property of
/// the bytes given, never of a peer in a handshake.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionDataError {
    /// The bytes end before the structure does.
    Truncated,
    /// Bytes follow the checksum.
    TrailingBytes,
    /// The bytes do not start with [`MAGIC`](crate::session::format::MAGIC): not session data at all.
    BadMagic,
    /// `format_version` is not [`FORMAT_VERSION`](crate::session::format::FORMAT_VERSION).
    UnsupportedFormatVersion(u8),
    /// `kind` is not one this code knows.
    UnknownKind(u8),
    /// The data is a valid session of another kind than the one asked for
    /// (for example client data where a server state was expected).
    UnexpectedKind(u8),
    /// The checksum does not match: the bytes were altered.
    Corrupted,
    /// The field list does not split into whole fields, or has more than
    /// [`MAX_FIELDS`](crate::session::format::MAX_FIELDS).
    MalformedFieldList,
    /// A tag is not greater than the one before it (out of order or
    /// repeated).
    FieldOutOfOrder(u16),
    /// A critical field this code does not know: its tag has the
    /// critical bit (`0x8000`) set.
    UnknownCriticalField(u16),
    /// A field this kind of session requires is absent.
    MissingField(u16),
    /// A known field that does not belong to this kind of session.
    UnexpectedField(u16),
    /// A field's value does not parse or is out of range.
    MalformedField(u16),
    /// The session's lifetime is over at import time.
    Expired,
}

impl fmt::Display for SessionDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Truncated => f.write_str("truncated"),
            Self::TrailingBytes => f.write_str("trailing bytes after the checksum"),
            Self::BadMagic => f.write_str("not ferrotls session data (bad magic)"),
            Self::UnsupportedFormatVersion(v) => write!(f, "unsupported format version {v}"),
            Self::UnknownKind(k) => write!(f, "unknown session kind {k}"),
            Self::UnexpectedKind(k) => write!(f, "session kind {k} is not the kind expected"),
            Self::Corrupted => f.write_str("checksum mismatch (corrupted)"),
            Self::MalformedFieldList => f.write_str("malformed field list"),
            Self::FieldOutOfOrder(t) => write!(f, "field {t:#06x} out of order or repeated"),
            Self::UnknownCriticalField(t) => write!(f, "unknown critical field {t:#06x}"),
            Self::MissingField(t) => write!(f, "missing field {t:#06x}"),
            Self::UnexpectedField(t) => write!(f, "field {t:#06x} does not belong here"),
            Self::MalformedField(t) => write!(f, "malformed field {t:#06x}"),
            Self::Expired => f.write_str("session expired"),
        }
    }
}
