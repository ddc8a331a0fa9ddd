//! The C library of ferrotls (design §1): a thin layer that lets a C
//! program be a TLS client or server over a socket file descriptor or over
//! read/write callbacks, and read the session identifier exactly as design
//! §3 and GnuTLS's `gnutls_session_get_id` define it. It is built as
//! `libferrotls.so` and `libferrotls.a`; its header is
//! `include/ferrotls.h`, which the tests keep in sync with the functions
//! here, and `install.sh` installs both with a pkg-config file.
//!
//! - [`session_cache`]: a server session cache kept by C callbacks;
//! - [`client_certificates`]: a client's choice of certificate by a C
//!   callback when a server asks, and what it asked;
//! - [`server_certificates`]: a server's choice of certificate by a C
//!   callback for each ClientHello, and what it asked;
//! - [`config`]: client and server configurations;
//! - [`conn`]: connections, their transports, handshake, send, receive,
//!   KeyUpdate, a server's requests after the handshake, close;
//! - [`negotiated`]: what a connection negotiated (version, cipher suite,
//!   group, ALPN, the peer's certificates) and the reason it failed;
//! - [`exporter`]: keying material exported from a connection (RFC 5705,
//!   RFC 8446 §7.5);
//! - [`session`]: session identifiers, resumption flags, session export
//!   and import.
//!
//! Each imports only those listed before it (`session`, `negotiated` and
//! `exporter` → `conn` → `config` → `server_certificates`,
//! `client_certificates` and `session_cache`; `server_certificates`
//! takes the callback pieces of `client_certificates`, and `negotiated`
//! its certificate types), so the layer has no import cycle.
//! Everything comes from the public API of the `ferrotls` crate; no
//! protocol logic lives here.
//!
//! This is the only crate of ferrotls with `unsafe` code, which is why it
//! is a crate of its own: every entry point takes pointers from C. Each
//! `unsafe` block turns one into a Rust reference or slice and says why
//! that is sound (a clippy lint keeps the `// SAFETY:` comments there).
//! Every entry point checks its pointers for NULL and runs inside
//! [`catch_unwind`], so no panic crosses into C.
#![deny(missing_docs, unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

pub mod client_certificates;
pub mod config;
pub mod conn;
pub mod exporter;
pub mod negotiated;
pub mod server_certificates;
pub mod session;
pub mod session_cache;
#[cfg(test)]
mod tests;

use core::ffi::{c_char, c_int, c_void, CStr};
use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};

use ferrotls::Error;

/// The result codes of the C functions: 0 for success, negative for
/// errors. `Again` (-28), `GotApplicationData` (-38), `InvalidRequest`
/// (-50) and `ShortMemoryBuffer` (-51) have the values and meanings of
/// GnuTLS's `GNUTLS_E_AGAIN`, `GNUTLS_E_GOT_APPLICATION_DATA`,
/// `GNUTLS_E_INVALID_REQUEST` and `GNUTLS_E_SHORT_MEMORY_BUFFER` (design
/// §3); the others are ferrotls's own. In C each is `FERROTLS_E_` followed by the name in upper snake
/// case (`FERROTLS_SUCCESS` for 0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Code {
    /// The call succeeded.
    Success = 0,
    /// An internal failure: a panic was caught, or a local cryptographic
    /// operation failed. A bug to report.
    Internal = -1,
    /// The transport failed: a read or write on the file descriptor
    /// failed, or a callback returned a negative value.
    Io = -2,
    /// The transport ended without a close_notify alert (RFC 8446 §6.1):
    /// the data may have been truncated.
    PrematureEof = -3,
    /// A certificate, key or CA file could not be read, or does not hold
    /// what was expected.
    File = -4,
    /// The peer's certificate chain was refused (an alert was sent).
    CertificateRefused = -5,
    /// The peer broke the protocol: a message that does not parse, a value
    /// not allowed, a record that does not authenticate (an alert was
    /// sent).
    Protocol = -6,
    /// The peer sent a fatal alert.
    AlertReceived = -7,
    /// The peers have nothing in common: protocol version, cipher suite,
    /// group, application protocol, or a required client certificate is
    /// missing; or a fallback was refused (RFC 7507). An alert was sent.
    HandshakeFailure = -8,
    /// The transport would block: a callback failed with `EAGAIN` or
    /// `EWOULDBLOCK`, or a non-blocking descriptor had nothing to read or
    /// no room to write. The call may be made again when it is ready;
    /// nothing was lost.
    Again = -28,
    /// A server waiting for its client's answer (to a post-handshake
    /// CertificateRequest, or to a request to renegotiate) holds as much
    /// of the client's application data as it buffers
    /// (`Limits::max_received_plaintext`) and can read no further: the
    /// data is to be received first, then the call made again. GnuTLS's
    /// `GNUTLS_E_GOT_APPLICATION_DATA`, of the same value.
    GotApplicationData = -38,
    /// A NULL pointer, a value out of range, or a call the object's state
    /// does not allow.
    InvalidRequest = -50,
    /// The caller's buffer is too small; the size needed was written.
    ShortMemoryBuffer = -51,
    /// Session data that does not parse: corrupted, truncated, of an
    /// unknown format, not client data, or expired.
    InvalidSessionData = -52,
    /// The connection has no resumable session to export.
    NoSessionData = -53,
}

impl Code {
    /// Every code, for `ferrotls_strerror` and the header test.
    pub const ALL: &'static [Code] = &[
        Code::Success,
        Code::Internal,
        Code::Io,
        Code::PrematureEof,
        Code::File,
        Code::CertificateRefused,
        Code::Protocol,
        Code::AlertReceived,
        Code::HandshakeFailure,
        Code::Again,
        Code::GotApplicationData,
        Code::InvalidRequest,
        Code::ShortMemoryBuffer,
        Code::InvalidSessionData,
        Code::NoSessionData,
    ];

    /// The value C sees.
    pub fn value(self) -> c_int {
        self as c_int
    }

    /// A one-line description, NUL-terminated for C.
    pub fn description(self) -> &'static CStr {
        match self {
            Code::Success => c"success",
            Code::Internal => c"internal error (a bug in ferrotls)",
            Code::Io => c"the transport failed",
            Code::PrematureEof => c"the transport ended without close_notify",
            Code::File => c"a file could not be read or does not hold what was expected",
            Code::CertificateRefused => c"the peer's certificate was refused",
            Code::Protocol => c"the peer broke the TLS protocol",
            Code::AlertReceived => c"the peer sent a fatal alert",
            Code::HandshakeFailure => c"the peers have no parameters in common",
            Code::Again => c"the transport would block; call again when it is ready",
            Code::GotApplicationData => {
                c"application data waits to be received before the call can go on"
            }
            Code::InvalidRequest => c"invalid request (NULL argument, bad value or wrong state)",
            Code::ShortMemoryBuffer => c"the buffer is too small",
            Code::InvalidSessionData => c"the session data does not parse or has expired",
            Code::NoSessionData => c"no resumable session to export",
        }
    }

    /// The code for a ferrotls error.
    pub fn of_error(error: &Error) -> Code {
        match error {
            Error::Decode(_)
            | Error::IllegalParameter(_)
            | Error::UnexpectedMessage(_)
            | Error::BadRecordMac
            | Error::RecordOverflow
            | Error::DecryptError(_)
            | Error::MissingExtension(_)
            | Error::UnsupportedExtension(_)
            | Error::LimitExceeded(_)
            | Error::SequenceNumberExhausted
            | Error::KeyUsageLimitReached => Code::Protocol,
            Error::HandshakeFailure(_)
            | Error::InsufficientSecurity(_)
            | Error::ProtocolVersion(_)
            | Error::NoApplicationProtocol
            | Error::CertificateRequired
            | Error::InappropriateFallback => Code::HandshakeFailure,
            Error::AlertReceived(_) => Code::AlertReceived,
            Error::InvalidCertificate(_) => Code::CertificateRefused,
            Error::BufferTooSmall { .. } => Code::ShortMemoryBuffer,
            Error::SessionData(_) => Code::InvalidSessionData,
            Error::InvalidRequest(_) => Code::InvalidRequest,
            Error::Load(_) => Code::File,
            Error::EncodeOverflow | Error::Crypto(_) => Code::Internal,
            // `Error` is non-exhaustive: a variant newer than this table
            // is reported as ours until it is given its own code.
            _ => Code::Internal,
        }
    }

    /// The code for an I/O error from the stream layer: a ferrotls error
    /// it carries, a transport that would block, a transport that ended
    /// early, or a transport failure.
    pub fn of_io_error(error: &io::Error) -> Code {
        if let Some(inner) = error.get_ref().and_then(|e| e.downcast_ref::<Error>()) {
            return Code::of_error(inner);
        }
        match error.kind() {
            io::ErrorKind::WouldBlock => Code::Again,
            io::ErrorKind::UnexpectedEof => Code::PrematureEof,
            _ => Code::Io,
        }
    }
}

impl From<Error> for Code {
    fn from(error: Error) -> Self {
        Code::of_error(&error)
    }
}

impl From<io::Error> for Code {
    fn from(error: io::Error) -> Self {
        Code::of_io_error(&error)
    }
}

/// Runs the body of a C entry point: its code, or [`Code::Internal`] if
/// it panicked, so no unwinding crosses into C.
fn guard(body: impl FnOnce() -> Result<(), Code>) -> c_int {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => Code::Success.value(),
        Ok(Err(code)) => code.value(),
        Err(_) => Code::Internal.value(),
    }
}

/// Like [`guard`] for entry points that return a number (not negative)
/// on success.
fn guard_int(body: impl FnOnce() -> Result<c_int, Code>) -> c_int {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(n)) => n,
        Ok(Err(code)) => code.value(),
        Err(_) => Code::Internal.value(),
    }
}

/// Like [`guard`] for entry points that return a string: NULL when
/// there is none, on an error (a NULL handle) and on a panic.
fn guard_str(body: impl FnOnce() -> Result<Option<*const c_char>, Code>) -> *const c_char {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(Some(s))) => s,
        _ => core::ptr::null(),
    }
}

/// Like [`guard`] for entry points that return a count on success.
fn guard_count(body: impl FnOnce() -> Result<usize, Code>) -> isize {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(n)) => isize::try_from(n).unwrap_or(isize::MAX),
        Ok(Err(code)) => code.value() as isize,
        Err(_) => Code::Internal.value() as isize,
    }
}

/// Copies `bytes` out under the size-query convention of
/// `gnutls_session_get_id` (design §3): `*size` holds the capacity of
/// `out` on entry and the length of `bytes` on return; `out == NULL` only
/// asks for the length; a capacity that is too small is
/// [`Code::ShortMemoryBuffer`] with `out` untouched.
///
/// # Safety
/// `size` must be NULL or valid for reads and writes; `out` must be NULL
/// or valid for `*size` bytes of writes.
unsafe fn copy_out(bytes: &[u8], out: *mut c_void, size: *mut usize) -> Result<(), Code> {
    // SAFETY: forwarded from the caller.
    unsafe { copy_items(bytes, out.cast::<u8>(), size) }
}

/// [`copy_out`] for an array of `T`, `*count` counting entries.
///
/// # Safety
/// `count` must be NULL or valid for reads and writes; `out` must be NULL
/// or valid for `*count` entries of writes.
unsafe fn copy_items<T: Copy>(items: &[T], out: *mut T, count: *mut usize) -> Result<(), Code> {
    // SAFETY: the caller guarantees `count` is NULL or valid for reads
    // and writes; `as_mut` checks for NULL.
    let count = unsafe { count.as_mut() }.ok_or(Code::InvalidRequest)?;
    let capacity = *count;
    *count = items.len();
    if out.is_null() {
        return Ok(());
    }
    if capacity < items.len() {
        return Err(Code::ShortMemoryBuffer);
    }
    // SAFETY: `out` is not NULL and the caller guarantees it is valid for
    // `capacity >= items.len()` entries of writes; a Rust slice cannot
    // overlap memory C handed us for output.
    unsafe { core::ptr::copy_nonoverlapping(items.as_ptr(), out, items.len()) };
    Ok(())
}

/// The live handle behind `ptr`, or [`Code::InvalidRequest`] for NULL.
///
/// # Safety
/// `ptr` must be NULL or point to a live handle made by this module that
/// no other thread changes while the reference lives.
unsafe fn handle<'a, T>(ptr: *const T) -> Result<&'a T, Code> {
    // SAFETY: per the caller; `as_ref` checks for NULL.
    unsafe { ptr.as_ref() }.ok_or(Code::InvalidRequest)
}

/// Like [`handle`], mutable.
///
/// # Safety
/// `ptr` must be NULL or point to a live handle made by this module that
/// no other thread uses while the reference lives.
unsafe fn handle_mut<'a, T>(ptr: *mut T) -> Result<&'a mut T, Code> {
    // SAFETY: per the caller; `as_mut` checks for NULL.
    unsafe { ptr.as_mut() }.ok_or(Code::InvalidRequest)
}

/// Boxes `value` and writes the new handle to `*out`.
///
/// # Safety
/// `out` must be NULL or valid for writes.
unsafe fn put_out<T>(out: *mut *mut T, value: T) -> Result<(), Code> {
    // SAFETY: per the caller; `as_mut` checks for NULL.
    let out = unsafe { out.as_mut() }.ok_or(Code::InvalidRequest)?;
    *out = Box::into_raw(Box::new(value));
    Ok(())
}

/// Frees a handle made by [`put_out`]; NULL is ignored. A panic while
/// dropping it is caught.
///
/// # Safety
/// `ptr` must be NULL or a live handle, not used afterwards.
unsafe fn free_handle<T>(ptr: *mut T) {
    if !ptr.is_null() {
        guard(|| {
            // SAFETY: a live handle from `Box::into_raw`, freed once, per
            // the caller.
            drop(unsafe { Box::from_raw(ptr) });
            Ok(())
        });
    }
}

/// `len` bytes at `data` as a slice; [`Code::InvalidRequest`] for NULL,
/// whatever the length.
///
/// # Safety
/// `data` must be NULL or valid for `len` bytes of reads, not changed by
/// C during the call.
unsafe fn data_arg<'a>(data: *const c_void, len: usize) -> Result<&'a [u8], Code> {
    if data.is_null() {
        return Err(Code::InvalidRequest);
    }
    // SAFETY: not NULL, and valid for `len` bytes of reads per the caller.
    Ok(unsafe { core::slice::from_raw_parts(data.cast::<u8>(), len) })
}

/// Reads a NUL-terminated UTF-8 string from C.
///
/// # Safety
/// `s` must be NULL or point to a NUL-terminated string that stays valid
/// during the call.
unsafe fn str_arg<'a>(s: *const c_char) -> Result<&'a str, Code> {
    if s.is_null() {
        return Err(Code::InvalidRequest);
    }
    // SAFETY: not NULL, and NUL-terminated and valid per the caller.
    let s = unsafe { CStr::from_ptr(s) };
    s.to_str().map_err(|_| Code::InvalidRequest)
}

/// This library's version (`MAJOR.MINOR.PATCH`, the version of the
/// packages), NUL-terminated for C.
const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version holds a NUL"),
    };

/// The library's version, `MAJOR.MINOR.PATCH`: a static string, never
/// NULL.
#[no_mangle]
pub extern "C" fn ferrotls_version() -> *const c_char {
    VERSION.as_ptr()
}

/// The description of `code`, a static NUL-terminated string; an unknown
/// code gives "unknown error code". Never NULL.
#[no_mangle]
pub extern "C" fn ferrotls_strerror(code: c_int) -> *const c_char {
    Code::ALL
        .iter()
        .find(|c| c.value() == code)
        .map_or(c"unknown error code", |c| c.description())
        .as_ptr()
}
