//! Session functions for C, named after GnuTLS's where the meaning is the
//! same: the identifier of design §3, the resumption flags, and
//! session export/import in the versioned format of `docs/session-format.md`.
//!
//! A C client keeps its sessions in the store of its configuration handle.
//! A connection exports the newest session it received with
//! `ClientConnection::session_data`; an imported one is parsed once, when
//! imported, and offered by `ClientConnection::resume_session` when the
//! connection starts. A C server may keep bytes of its own with the
//! sessions it makes (`ServerConnection::set_resumption_data`).

use core::ffi::{c_int, c_void};

use zeroize::Zeroizing;

use super::conn::{copy_field, flag, CConn};
use super::{copy_out, data_arg, guard, handle, handle_mut, Code};

/// Copies the session identifier of design §3 (on a client, the one in
/// this connection's ServerHello; on a server, the one that persists
/// across resumptions; empty before the ServerHello) to `session_id`.
/// `*session_id_size` holds its capacity on entry and the identifier's
/// length on return; a NULL `session_id` only asks for the length.
/// Returns 0, `FERROTLS_E_SHORT_MEMORY_BUFFER` (nothing copied, the
/// length written) or `FERROTLS_E_INVALID_REQUEST` (NULL `conn` or size).
///
/// # Safety
/// `conn` must be NULL or live; `session_id_size` NULL or valid for reads
/// and writes; `session_id` NULL or valid for `*session_id_size` bytes of
/// writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_session_get_id(
    conn: *const CConn,
    session_id: *mut c_void,
    session_id_size: *mut usize,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { copy_field(conn, session_id, session_id_size, |c| Some(c.session_id())) }
}

/// 1 if this connection resumed an earlier session, 0 if not (also before
/// its handshake), `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_session_is_resumed(conn: *const CConn) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { flag(conn, |c| c.is_resumed()) }
}

/// 1 if the connection's secrets are bound to its whole handshake: always
/// under TLS 1.3, and under TLS 1.0–1.2 with the extended master secret
/// (RFC 7627); 0 otherwise (also before the handshake);
/// `FERROTLS_E_INVALID_REQUEST` for NULL. As GnuTLS's
/// `gnutls_session_ext_master_secret_status`.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_session_ext_master_secret_status(conn: *const CConn) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { flag(conn, |c| c.extended_master_secret()) }
}

/// On a server, 1 if the client asked to resume (design §3: a non-empty
/// TLS ≤1.2 session ID, or a ticket or PSK identity that unsealed), else
/// 0; always 0 on a client. `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `conn` must be NULL or live.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_session_resumption_requested(conn: *const CConn) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { flag(conn, |c| c.resumption_requested()) }
}

/// Client only: copies the newest resumable session this connection
/// received (a TLS ≤1.2 session or a TLS 1.3 ticket, in the versioned
/// format) to `data`, under the size convention of
/// [`ferrotls_session_get_id`]. TLS 1.3 tickets arrive after the
/// handshake, with the server's first data. `FERROTLS_E_NO_SESSION_DATA`
/// when there is none yet, `FERROTLS_E_INVALID_REQUEST` on a server or a
/// client with tickets off.
///
/// # Safety
/// As [`ferrotls_session_get_id`].
#[no_mangle]
pub unsafe extern "C" fn ferrotls_session_get_data(
    conn: *const CConn,
    data: *mut c_void,
    data_size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(conn) }?;
        if data_size.is_null() {
            return Err(Code::InvalidRequest);
        }
        let conn = c.resuming_client()?.ok_or(Code::NoSessionData)?;
        let bytes = Zeroizing::new(conn.session_data()?.ok_or(Code::NoSessionData)?);
        // SAFETY: the size and buffer pointers are as `copy_out` needs,
        // per the caller.
        unsafe { copy_out(&bytes, data, data_size) }
    })
}

/// Client only, before the handshake: resume the session exported by
/// `ferrotls_session_get_data` (`data_size` bytes at `data`) if the server
/// accepts it; it is offered only to the server name it was made for.
/// Bytes that do not parse, or a session that has expired, give
/// `FERROTLS_E_INVALID_SESSION_DATA` and change nothing;
/// `FERROTLS_E_INVALID_REQUEST` for NULL, a server, a client with tickets
/// off, or a connection already started. The session is parsed once,
/// here, and kept for the connection's start
/// (`ClientConnection::resume_session`), which judges its expiry again.
///
/// # Safety
/// `conn` must be NULL or live; `data` NULL or valid for `data_size`
/// bytes of reads.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_session_set_data(
    conn: *mut CConn,
    data: *const c_void,
    data_size: usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid for `data_size` bytes of reads, per the
        // caller.
        let bytes = unsafe { data_arg(data, data_size) }?;
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        unsafe { handle_mut(conn) }?.import_session(bytes)
    })
}

/// Server: keeps `data_size` bytes at `data`, the application's own, with
/// the session this connection makes, in its session-cache entry or
/// ticket (TLS ≤1.2) and its tickets (TLS 1.3); a connection that resumes
/// the session reads them with `ferrotls_conn_get_resumption_data`, and
/// they carry on to the sessions it stores unless it sets its own
/// (`ServerConnection::set_resumption_data`). Set them before the
/// handshake completes. As OpenSSL's `SSL_SESSION_set1_ticket_appdata`.
/// `FERROTLS_E_INVALID_REQUEST` for NULL, a client, or more than
/// `MAX_RESUMPTION_DATA_LEN` (4096) bytes, keeping what was set.
///
/// # Safety
/// `conn` must be NULL or live and not used by another thread meanwhile;
/// `data` NULL or valid for `data_size` bytes of reads.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_set_resumption_data(
    conn: *mut CConn,
    data: *const c_void,
    data_size: usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid for `data_size` bytes of reads, per the
        // caller.
        let bytes = unsafe { data_arg(data, data_size) }?;
        // SAFETY: a live handle or NULL, used by no other thread, per the
        // caller.
        let conn = unsafe { handle_mut(conn) }?.server_mut()?;
        Ok(conn.set_resumption_data(bytes)?)
    })
}

/// Server: copies the application's bytes the session this connection
/// resumed carried (`ferrotls_conn_set_resumption_data` on an earlier
/// connection), under the size convention of `ferrotls_session_get_id`.
/// `FERROTLS_E_NO_SESSION_DATA` after a full handshake or when the
/// session carried none; `FERROTLS_E_INVALID_REQUEST` for NULL or a
/// client.
///
/// # Safety
/// `conn` must be NULL or live; `data_size` NULL or valid for reads and
/// writes; `data` NULL or valid for `*data_size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_get_resumption_data(
    conn: *const CConn,
    data: *mut c_void,
    data_size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let conn = unsafe { handle(conn) }?.server()?;
        if data_size.is_null() {
            return Err(Code::InvalidRequest);
        }
        let bytes = conn.received_resumption_data().ok_or(Code::NoSessionData)?;
        // SAFETY: the size and buffer pointers are as `copy_out` needs,
        // per the caller.
        unsafe { copy_out(bytes, data, data_size) }
    })
}
