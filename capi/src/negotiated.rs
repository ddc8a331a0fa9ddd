//! What a connection negotiated, for C: the protocol version, the cipher
//! suite, the group and the peer's signature scheme by their IANA names,
//! the ALPN protocol, the stapled OCSP response, the server name, what
//! became of 0-RTT data, the peer's certificate chain and each side's
//! certificate type, how many renegotiations replaced the first
//! handshake, and the text of the error that ended it. Each is read from
//! the library's [`Connection`] queries; before the handshake settles
//! one, it reads as absent.

use core::ffi::{c_char, c_int, c_void, CStr};
use std::collections::BTreeMap;
use std::ffi::CString;
use std::sync::{Mutex, PoisonError};

use ferrotls::{CertificateType, Connection, EarlyDataStatus};

use super::client_certificates::crt_value;
use super::conn::{copy_field, CConn};
use super::{copy_out, guard, guard_int, guard_str, handle, Code};

/// `name` NUL-terminated, for the life of the process: made once per
/// name. The names are those of the IANA registries this library knows,
/// so the copies are few and bounded.
fn static_name(name: &'static str) -> &'static CStr {
    static NAMES: Mutex<BTreeMap<&'static str, &'static CStr>> = Mutex::new(BTreeMap::new());
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    names
        .entry(name)
        .or_insert_with(|| Box::leak(CString::new(name).unwrap_or_default().into_boxed_c_str()))
}

/// Runs `query` over the started connection behind `conn`: `Ok(None)`
/// before a client starts.
///
/// # Safety
/// `conn` must be NULL or live.
unsafe fn query<R>(
    conn: *const CConn,
    query: impl FnOnce(&Connection) -> Option<R>,
) -> Result<Option<R>, Code> {
    // SAFETY: a live handle or NULL, per the caller.
    let c = unsafe { handle(conn) }?;
    Ok(c.connection().and_then(query))
}

/// The negotiated protocol version as its wire value
/// (`FERROTLS_TLS1_3` is 0x0304), 0 before the ServerHello settles it,
/// `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_protocol_version(conn: *const CConn) -> c_int {
    guard_int(|| {
        // SAFETY: forwarded from the caller.
        let version = unsafe { query(conn, Connection::protocol_version) }?;
        Ok(version.map_or(0, |v| c_int::from(u16::from(v))))
    })
}

/// The negotiated cipher suite's IANA name (`TLS_AES_128_GCM_SHA256`), a
/// static string; NULL before the ServerHello settles it, or for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_cipher_suite(conn: *const CConn) -> *const c_char {
    guard_str(|| {
        // SAFETY: forwarded from the caller.
        let name = unsafe { query(conn, |c| c.cipher_suite()?.iana_name()) }?;
        Ok(name.map(|n| static_name(n).as_ptr()))
    })
}

/// The key-exchange group's IANA name (`x25519`, `X25519MLKEM768`), a
/// static string; NULL when none was used (a TLS 1.2 resumption, RSA key
/// exchange), before the handshake settles it, or for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_group(conn: *const CConn) -> *const c_char {
    guard_str(|| {
        // SAFETY: forwarded from the caller.
        let name = unsafe { query(conn, |c| c.negotiated_group()?.iana_name()) }?;
        Ok(name.map(|n| static_name(n).as_ptr()))
    })
}

/// The IANA name of the signature scheme the peer signed the handshake
/// with (`rsa_pss_rsae_sha256`; `Connection::peer_signature_scheme`): on
/// a client the server's, as GnuTLS's `gnutls_sign_algorithm_get` tells
/// it, on a server the client's, as `gnutls_sign_algorithm_get_client`.
/// A static string; NULL when the peer signed nothing (a resumption, RSA
/// key exchange, a client without a certificate), signed under TLS
/// 1.0/1.1 (whose signatures name no scheme), not yet, or for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_peer_signature_scheme(conn: *const CConn) -> *const c_char {
    guard_str(|| {
        // SAFETY: forwarded from the caller.
        let name = unsafe { query(conn, |c| c.peer_signature_scheme()?.iana_name()) }?;
        Ok(name.map(|n| static_name(n).as_ptr()))
    })
}

/// `FERROTLS_EARLY_DATA_NOT_OFFERED`: no 0-RTT data was offered.
pub const EARLY_DATA_NOT_OFFERED: c_int = 0;
/// `FERROTLS_EARLY_DATA_OFFERED`: a client offered 0-RTT data and the
/// server has not answered yet.
pub const EARLY_DATA_OFFERED: c_int = 1;
/// `FERROTLS_EARLY_DATA_ACCEPTED`: the server accepted the 0-RTT data.
pub const EARLY_DATA_ACCEPTED: c_int = 2;
/// `FERROTLS_EARLY_DATA_REJECTED`: the server rejected it; a client's was
/// not delivered.
pub const EARLY_DATA_REJECTED: c_int = 3;

/// What became of 0-RTT data (RFC 8446 §4.2.10) on the connection, on
/// either side: one of the `FERROTLS_EARLY_DATA_*` values (NOT_OFFERED
/// before a client starts), `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_early_data_status(conn: *const CConn) -> c_int {
    guard_int(|| {
        // SAFETY: forwarded from the caller.
        let status = unsafe { query(conn, |c| Some(c.early_data_status())) }?;
        Ok(match status.unwrap_or_default() {
            EarlyDataStatus::NotOffered => EARLY_DATA_NOT_OFFERED,
            EarlyDataStatus::Offered => EARLY_DATA_OFFERED,
            EarlyDataStatus::Accepted => EARLY_DATA_ACCEPTED,
            EarlyDataStatus::Rejected => EARLY_DATA_REJECTED,
        })
    })
}

/// Why 0-RTT data was used or not, as this side knows
/// (`EarlyDataReason::name`: `accepted`, `no_session_offered`,
/// `ticket_age_skew`, `replay_protection`, ...), a static string; NULL
/// until the handshake settles it, or for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_early_data_reason(conn: *const CConn) -> *const c_char {
    guard_str(|| {
        // SAFETY: forwarded from the caller.
        let name = unsafe { query(conn, |c| Some(c.early_data_reason()?.name())) }?;
        Ok(name.map(|n| static_name(n).as_ptr()))
    })
}

/// Copies the negotiated ALPN protocol (RFC 7301) to `protocol`, under
/// the size convention of `ferrotls_session_get_id`; its length is 0 when
/// none was negotiated (a protocol name is never empty).
///
/// # Safety
/// `conn` must be NULL or live; `size` NULL or valid for reads and
/// writes; `protocol` NULL or valid for `*size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_get_alpn(
    conn: *const CConn,
    protocol: *mut c_void,
    size: *mut usize,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { copy_field(conn, protocol, size, Connection::alpn_protocol) }
}

/// Copies the DER OCSP response stapled to the server's certificate (RFC
/// 6066 §8, RFC 8446 §4.4.2.1) to `response`, under the size convention
/// of `ferrotls_session_get_id`: on a client the one received and
/// accepted with the chain (on a resumption, the one kept with the
/// session, as the chain is), on a server the one sent. Its length is 0
/// when none was asked for or stapled.
///
/// # Safety
/// `conn` must be NULL or live; `size` NULL or valid for reads and
/// writes; `response` NULL or valid for `*size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_get_ocsp_response(
    conn: *const CConn,
    response: *mut c_void,
    size: *mut usize,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { copy_field(conn, response, size, Connection::stapled_ocsp_response) }
}

/// Copies the server name (RFC 6066 §3: the host the client asked for,
/// as it sent it) to `name`, without a NUL, under the size convention of
/// `ferrotls_session_get_id`; its length is 0 when the client sent none,
/// and on a server before its ClientHello. A server serving several hosts
/// (`ferrotls_server_config_add_certificate`) reads which one here.
///
/// # Safety
/// `conn` must be NULL or live; `size` NULL or valid for reads and
/// writes; `name` NULL or valid for `*size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_get_server_name(
    conn: *const CConn,
    name: *mut c_void,
    size: *mut usize,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { copy_field(conn, name, size, |c| c.server_name().map(str::as_bytes)) }
}

/// How many certificates the peer sent (its chain, leaf first; 0 before
/// its Certificate message, or when it sent none),
/// `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_peer_certificate_count(conn: *const CConn) -> c_int {
    guard_int(|| {
        // SAFETY: forwarded from the caller.
        let count = unsafe { query(conn, |c| Some(c.peer_certificates().len())) }?;
        c_int::try_from(count.unwrap_or(0)).map_err(|_| Code::Internal)
    })
}

/// Copies the peer's certificate number `index` (0 is the leaf), DER, to
/// `der`, under the size convention of `ferrotls_session_get_id`;
/// `FERROTLS_E_INVALID_REQUEST` for an index past the chain.
///
/// # Safety
/// `conn` must be NULL or live; `size` NULL or valid for reads and
/// writes; `der` NULL or valid for `*size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_get_peer_certificate(
    conn: *const CConn,
    index: usize,
    der: *mut c_void,
    size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(conn) }?;
        let chain = c.connection().map(Connection::peer_certificates);
        let cert = chain
            .and_then(|chain| chain.get(index))
            .ok_or(Code::InvalidRequest)?;
        // SAFETY: the size and buffer pointers are as `copy_out` needs,
        // per the caller.
        unsafe { copy_out(cert, der, size) }
    })
}

/// `FERROTLS_CTYPE_CLIENT`: [`ferrotls_conn_certificate_type`] tells the
/// client's certificate type (GnuTLS's `GNUTLS_CTYPE_CLIENT`, of the same
/// value).
pub const CTYPE_CLIENT: c_int = 0;
/// `FERROTLS_CTYPE_SERVER`: [`ferrotls_conn_certificate_type`] tells the
/// server's (`GNUTLS_CTYPE_SERVER`).
pub const CTYPE_SERVER: c_int = 1;

/// What the Certificate of the side `target` names (`FERROTLS_CTYPE_*`)
/// carried, as GnuTLS's `gnutls_certificate_type_get2` tells it:
/// `FERROTLS_CRT_X509`, or `FERROTLS_CRT_RAWPK` for a raw public key
/// (RFC 7250; `Connection::server_certificate_type`,
/// `client_certificate_type`), when the peer's is then its DER
/// SubjectPublicKeyInfo, alone in `ferrotls_conn_get_peer_certificate`.
/// `FERROTLS_CRT_UNKNOWN` when that side sent no Certificate (a client
/// not asked or without one, a resumption, not yet).
/// `FERROTLS_E_INVALID_REQUEST` for NULL or another target.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_certificate_type(
    conn: *const CConn,
    target: c_int,
) -> c_int {
    guard_int(|| {
        let of_side: fn(&Connection) -> Option<CertificateType> = match target {
            CTYPE_CLIENT => Connection::client_certificate_type,
            CTYPE_SERVER => Connection::server_certificate_type,
            _ => return Err(Code::InvalidRequest),
        };
        // SAFETY: forwarded from the caller.
        let sent = unsafe { query(conn, of_side) }?;
        Ok(crt_value(sent))
    })
}

/// How many TLS ≤1.2 renegotiations (RFC 5746) the connection has
/// accepted, on either side, the one under way included
/// (`Connection::renegotiations`): a server tells from it whether the
/// client renegotiated or refused (`ferrotls_conn_rehandshake`), and
/// either side that a new handshake replaced the one whose peer
/// certificates and session ID it read. 0 under TLS 1.3 and before the
/// handshake; `FERROTLS_E_INVALID_REQUEST` for NULL. GnuTLS has no such
/// count (its `gnutls_handshake` reports a refusal as
/// `GNUTLS_E_WARNING_ALERT_RECEIVED`).
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_renegotiations(conn: *const CConn) -> c_int {
    guard_int(|| {
        // SAFETY: forwarded from the caller.
        let count = unsafe { query(conn, |c| Some(c.renegotiations())) }?;
        Ok(c_int::try_from(count.unwrap_or(0)).unwrap_or(c_int::MAX))
    })
}

/// The reason the connection failed, as one line naming the check that
/// failed (`invalid certificate: unknown issuer`, `... name mismatch`,
/// `received alert bad_certificate`); valid until the connection is
/// freed. NULL while it has not failed, when only its transport failed
/// (see the call's code and `ferrotls_strerror`), or for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_error_string(conn: *const CConn) -> *const c_char {
    guard_str(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(conn) }?;
        Ok(c.error_text().map(CStr::as_ptr))
    })
}
