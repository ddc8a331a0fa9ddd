//! Keying material exported from an established connection, for C: RFC
//! 5705 in TLS 1.0–1.2, RFC 8446 §7.5 in TLS 1.3, through the library's
//! [`Connection::export_keying_material`], and the channel bindings
//! tls-exporter (RFC 9266, built on it) and tls-unique (RFC 5929).

use core::ffi::{c_int, c_void};

use ferrotls::Connection;

use super::conn::CConn;
use super::{copy_out, data_arg, guard, handle, Code};

/// The tls-unique channel binding type (RFC 5929), GnuTLS's
/// `GNUTLS_CB_TLS_UNIQUE`.
pub const CB_TLS_UNIQUE: c_int = 0;

/// The tls-exporter channel binding type (RFC 9266), GnuTLS's
/// `GNUTLS_CB_TLS_EXPORTER`.
pub const CB_TLS_EXPORTER: c_int = 2;

/// `len` bytes at `data` as a slice: empty for a zero length (`data` may
/// then be NULL); [`Code::InvalidRequest`] for NULL with a length.
///
/// # Safety
/// `data` must be NULL or valid for `len` bytes of reads.
unsafe fn bytes_arg<'a>(data: *const c_void, len: usize) -> Result<&'a [u8], Code> {
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: forwarded from the caller.
    unsafe { data_arg(data, len) }
}

/// Fills the `out_len` bytes at `out` with keying material exported under
/// `label` and `context`. `context == NULL` is no context, which RFC 5705
/// (TLS ≤ 1.2) tells apart from an empty one; TLS 1.3 does not (RFC 8446
/// §7.5). `FERROTLS_E_INVALID_REQUEST` before the handshake completes,
/// for a NULL connection or `out`, or for NULL with a length;
/// `FERROTLS_E_INTERNAL` for a label or length the key derivation cannot
/// take.
///
/// # Safety
/// `conn` must be NULL or live; `label` NULL or valid for `label_len`
/// bytes of reads, `context` for `context_len`; `out` NULL or valid for
/// `out_len` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_conn_export_keying_material(
    conn: *const CConn,
    label: *const c_void,
    label_len: usize,
    context: *const c_void,
    context_len: usize,
    out: *mut c_void,
    out_len: usize,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(conn) }?;
        // SAFETY: valid for `label_len` bytes, per the caller.
        let label = unsafe { bytes_arg(label, label_len) }?;
        let context = if context.is_null() && context_len == 0 {
            None
        } else {
            // SAFETY: valid for `context_len` bytes, per the caller
            // (`bytes_arg` refuses NULL with a length).
            Some(unsafe { bytes_arg(context, context_len) }?)
        };
        if out.is_null() {
            return Err(Code::InvalidRequest);
        }
        // SAFETY: not NULL, and valid for `out_len` bytes of writes per
        // the caller.
        let out = unsafe { core::slice::from_raw_parts_mut(out.cast::<u8>(), out_len) };
        let connection = c.connection().ok_or(Code::InvalidRequest)?;
        Connection::export_keying_material(connection, out, label, context).map_err(Code::from)
    })
}

/// Copies the channel binding of type `cb` (as GnuTLS's
/// `gnutls_session_channel_binding`): `CB_TLS_UNIQUE`, the first Finished
/// of the latest TLS 1.0–1.2 handshake ([`Connection::tls_unique`]), or
/// `CB_TLS_EXPORTER`, 32 exported bytes ([`Connection::tls_exporter`]).
/// `*size` holds the capacity of `out` on entry and the binding's length
/// on return; a NULL `out` only asks for the length. Returns 0,
/// `FERROTLS_E_SHORT_MEMORY_BUFFER`, or `FERROTLS_E_INVALID_REQUEST` for
/// a NULL `conn` or `size`, another type, or a connection without that
/// binding (before its handshake; tls-unique under TLS 1.3 or after a
/// resumption without the extended master secret; tls-exporter under
/// TLS 1.0–1.2 without it).
///
/// # Safety
/// `conn` must be NULL or live; `size` NULL or valid for reads and
/// writes; `out` NULL or valid for `*size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_session_channel_binding(
    conn: *const CConn,
    cb: c_int,
    out: *mut c_void,
    size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: a live handle or NULL, per the caller.
        let c = unsafe { handle(conn) }?;
        let connection = c.connection().ok_or(Code::InvalidRequest)?;
        let exporter;
        let binding = match cb {
            CB_TLS_UNIQUE => connection.tls_unique(),
            CB_TLS_EXPORTER => {
                exporter = connection.tls_exporter();
                exporter.as_ref().map(|b| &b[..])
            }
            _ => None,
        }
        .ok_or(Code::InvalidRequest)?;
        // SAFETY: the size and buffer pointers are as `copy_out` needs,
        // per the caller.
        unsafe { copy_out(binding, out, size) }
    })
}
