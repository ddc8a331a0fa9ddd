//! A C client's choice of certificate when a server asks for one (RFC
//! 8446 §4.3.2 and §4.6.2, RFC 5246 §7.4.4), as GnuTLS's
//! `gnutls_certificate_set_retrieve_function2` and OpenSSL's
//! `SSL_CTX_set_client_cert_cb` with `SSL_get_client_CA_list` give it:
//! a callback of C's sees what the server asked for, through the
//! accessors of `ferrotls_certificate_request` here, and answers with the
//! index of one of the certificates added to its configuration, which a
//! [`CallbackResolver`] turns into the engine's
//! [`ClientCertResolver`] answer. The engine still sends only a
//! certificate that fits the request (`ferrotls::ClientCertResolver`),
//! and an empty Certificate otherwise.
//!
//! `ferrotls_certificate_request` is the engine's
//! [`CertificateRequestInfo`] itself, lent to the callback for the
//! duration of its call. The certificate types C reads here and from a
//! connection (`ferrotls_conn_certificate_type`) are GnuTLS's values.

use core::ffi::{c_int, c_void};
use std::sync::Arc;

use ferrotls::{CertificateRequestInfo, CertificateType, CertifiedKey, ClientCertResolver};

use super::{copy_items, copy_out, guard, guard_int, handle, Code};

/// `FERROTLS_CRT_UNKNOWN`: no Certificate was sent (GnuTLS's
/// `GNUTLS_CRT_UNKNOWN`, of the same value).
pub const CRT_UNKNOWN: c_int = 0;
/// `FERROTLS_CRT_X509`: an X.509 chain (`GNUTLS_CRT_X509`).
pub const CRT_X509: c_int = 1;
/// `FERROTLS_CRT_RAWPK`: a raw public key, RFC 7250 (`GNUTLS_CRT_RAWPK`).
pub const CRT_RAWPK: c_int = 3;

/// The `FERROTLS_CRT_*` value of a certificate type (RFC 7250 §3);
/// [`CRT_UNKNOWN`] for none, or one this library does not send.
pub(crate) fn crt_value(certificate_type: Option<CertificateType>) -> c_int {
    match certificate_type {
        Some(CertificateType::X509) => CRT_X509,
        Some(CertificateType::RawPublicKey) => CRT_RAWPK,
        _ => CRT_UNKNOWN,
    }
}

/// `ferrotls_client_certificate_fn`: given what a server asked for,
/// returns the index of one of the configuration's certificates
/// (`ferrotls_client_config_add_certificate`), or a negative value for
/// none. `request` is valid only during the call.
pub type CertificateFn =
    unsafe extern "C" fn(user: *mut c_void, request: *const CertificateRequestInfo<'_>) -> c_int;

/// A certificate callback a C program set (`F`, [`CertificateFn`] or
/// `server_certificates::ServerCertificateFn`), and the pointer it is
/// passed.
#[derive(Clone, Copy)]
pub(crate) struct CertificateCallback<F> {
    callback: F,
    user: *mut c_void,
}

// SAFETY: the caller of the setters that make one
// (`ferrotls_client_config_set_certificate_callback`,
// `ferrotls_server_config_set_certificate_callback`) guarantees (and the
// header says) that the callback may be called with `user` from any
// thread, concurrently, for as long as the configuration or a connection
// made from it lives: configurations may be shared by connections running
// in several threads (the header's threading convention), and each calls
// it from its own. The callback is a plain function pointer and `user` is
// only ever passed back to it, never read here.
unsafe impl<F> Send for CertificateCallback<F> {}
// SAFETY: as for `Send`: every use through `&self` is a call of the
// callback, which the C program made safe to call concurrently.
unsafe impl<F> Sync for CertificateCallback<F> {}

impl<F> CertificateCallback<F> {
    /// `callback` with `user`.
    ///
    /// # Safety
    /// `callback` must be safe to call from any thread, concurrently,
    /// with `user` and a request valid for the call, for as long as this
    /// value or a copy of it lives.
    pub(crate) unsafe fn new(callback: F, user: *mut c_void) -> Self {
        Self { callback, user }
    }
}

/// Answers with the certificate at the index C's callback returns among
/// `keys`; a negative index, or one past them, is none. A client's
/// answers each CertificateRequest (`ClientCertResolver`), a server's
/// each full handshake's ClientHello
/// (`server_certificates::ServerCertificateFn`'s `ServerCertResolver`).
pub(crate) struct CallbackResolver<F> {
    callback: CertificateCallback<F>,
    keys: Vec<Arc<CertifiedKey>>,
}

impl<F> CallbackResolver<F> {
    /// A resolver choosing among `keys` (index 0 first) with `callback`.
    pub(crate) fn new(callback: CertificateCallback<F>, keys: Vec<Arc<CertifiedKey>>) -> Self {
        Self { callback, keys }
    }

    /// The callback and its pointer, to call.
    pub(crate) fn callback(&self) -> (F, *mut c_void)
    where
        F: Copy,
    {
        (self.callback.callback, self.callback.user)
    }

    /// The key at `index`, as the callback returned it.
    pub(crate) fn key(&self, index: c_int) -> Option<Arc<CertifiedKey>> {
        usize::try_from(index)
            .ok()
            .and_then(|index| self.keys.get(index))
            .cloned()
    }
}

impl<F> core::fmt::Debug for CallbackResolver<F> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("CallbackResolver")
            .field("keys", &self.keys.len())
            .finish_non_exhaustive()
    }
}

impl ClientCertResolver for CallbackResolver<CertificateFn> {
    fn resolve(&self, request: &CertificateRequestInfo<'_>) -> Option<Arc<CertifiedKey>> {
        let (callback, user) = self.callback();
        // SAFETY: `callback` may be called from this thread with `user`
        // and a request valid for the call (`CertificateCallback::new`);
        // `request` outlives the call.
        self.key(unsafe { callback(user, request) })
    }
}

/// Runs `query` over what `request` points at (a request or a
/// ClientHello lent to a callback), as an `int` result.
///
/// # Safety
/// `request` must be NULL or lent to a callback that is running.
pub(crate) unsafe fn query<T>(
    request: *const T,
    query: impl FnOnce(&T) -> Result<c_int, Code>,
) -> c_int {
    guard_int(|| {
        // SAFETY: NULL or valid during the callback, per the caller.
        let request = unsafe { handle(request) }?;
        query(request)
    })
}

/// Points `*name` at CA name `index` of `authorities` and sets
/// `*name_size` to its length; [`Code::InvalidRequest`] for NULL
/// pointers or an index past the names.
///
/// # Safety
/// `name` and `name_size` NULL or valid for writes.
pub(crate) unsafe fn ca_name_out(
    authorities: &[Vec<u8>],
    index: usize,
    name: *mut *const c_void,
    name_size: *mut usize,
) -> Result<(), Code> {
    let der = authorities.get(index).ok_or(Code::InvalidRequest)?;
    // SAFETY: NULL or valid for writes, per the caller; `as_mut` checks
    // for NULL.
    let (name, name_size) = unsafe { (name.as_mut(), name_size.as_mut()) };
    let (name, name_size) = name.zip(name_size).ok_or(Code::InvalidRequest)?;
    *name = der.as_ptr().cast();
    *name_size = der.len();
    Ok(())
}

/// Copies the IANA code points of `items` (signature schemes, cipher
/// suites) out as [`copy_items`] does.
///
/// # Safety
/// As for [`copy_items`].
pub(crate) unsafe fn codes_out<T: Copy>(
    items: &[T],
    out: *mut u16,
    count: *mut usize,
) -> Result<(), Code>
where
    u16: From<T>,
{
    let codes: Vec<u16> = items.iter().map(|&item| u16::from(item)).collect();
    // SAFETY: forwarded from the caller.
    unsafe { copy_items(&codes, out, count) }
}

/// The protocol version the connection negotiated, as its wire value
/// (`FERROTLS_TLS1_3` is 0x0304); `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `request` must be NULL or the request of a callback that is running.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_certificate_request_protocol_version(
    request: *const CertificateRequestInfo<'_>,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { query(request, |r| Ok(c_int::from(u16::from(r.version())))) }
}

/// Copies the name of the server the client connected to, as its
/// configuration holds it (`ferrotls_client_config_set_server_name`: a
/// DNS name in lower case without a trailing dot, or an IP address as
/// text), without a NUL, under the size convention of
/// `ferrotls_session_get_id`.
///
/// # Safety
/// `request` must be NULL or the request of a callback that is running;
/// `size` NULL or valid for reads and writes; `name` NULL or valid for
/// `*size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_certificate_request_get_server_name(
    request: *const CertificateRequestInfo<'_>,
    name: *mut c_void,
    size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid during the callback, per the caller.
        let request = unsafe { handle(request) }?;
        let text = request.server_name().as_text();
        // SAFETY: the size and buffer pointers are as `copy_out` needs,
        // per the caller.
        unsafe { copy_out(text.as_bytes(), name, size) }
    })
}

/// How many CAs the server named, whose certificates it accepts: its
/// certificate_authorities extension (RFC 8446 §4.2.4) or, before TLS
/// 1.3, the request's list (RFC 5246 §7.4.4); 0 when it named none,
/// which means any. `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `request` must be NULL or the request of a callback that is running.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_certificate_request_ca_count(
    request: *const CertificateRequestInfo<'_>,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        query(request, |r| {
            c_int::try_from(r.authorities().len()).map_err(|_| Code::Internal)
        })
    }
}

/// Points `*name` at the DER DistinguishedName (the subject of its
/// certificate, RFC 5280 §4.1.2.6) of the CA number `index` the server
/// named, and sets `*name_size` to its length; the bytes stay valid
/// during the callback only.
/// `FERROTLS_E_INVALID_REQUEST` for NULL arguments and an index past the
/// names.
///
/// # Safety
/// `request` must be NULL or the request of a callback that is running;
/// `name` and `name_size` NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_certificate_request_ca_name(
    request: *const CertificateRequestInfo<'_>,
    index: usize,
    name: *mut *const c_void,
    name_size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid during the callback, per the caller.
        let request = unsafe { handle(request) }?;
        // SAFETY: the pointers are as `ca_name_out` needs, per the caller.
        unsafe { ca_name_out(request.authorities(), index, name, name_size) }
    })
}

/// Copies the signature schemes the server accepts in the client's
/// CertificateVerify (RFC 8446 §4.2.3, RFC 5246 §7.4.4), as their IANA
/// code points (0x0403 is ecdsa_secp256r1_sha256), in the server's order,
/// under the size convention of `ferrotls_session_get_id` counted in
/// entries: `*count` holds the capacity of `schemes` on entry and the
/// number of schemes on return. None under TLS 1.0 and 1.1, whose
/// requests list none.
///
/// # Safety
/// `request` must be NULL or the request of a callback that is running;
/// `count` NULL or valid for reads and writes; `schemes` NULL or valid
/// for `*count` entries of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_certificate_request_get_signature_schemes(
    request: *const CertificateRequestInfo<'_>,
    schemes: *mut u16,
    count: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid during the callback, per the caller.
        let request = unsafe { handle(request) }?;
        // SAFETY: the count and array pointers are as `codes_out` needs,
        // per the caller.
        unsafe { codes_out(request.signature_schemes(), schemes, count) }
    })
}

/// What the certificate goes as (`FERROTLS_CRT_*`): `FERROTLS_CRT_X509`,
/// or `FERROTLS_CRT_RAWPK` when the peers agreed on a raw public key
/// (client_certificate_type, RFC 7250 §4.2), for which a key added
/// without a chain fits. `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `request` must be NULL or the request of a callback that is running.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_certificate_request_certificate_type(
    request: *const CertificateRequestInfo<'_>,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { query(request, |r| Ok(crt_value(Some(r.certificate_type())))) }
}

/// 1 if the request came after the handshake (TLS 1.3 post-handshake
/// authentication, RFC 8446 §4.6.2, during a receive call), 0 if it came
/// in a handshake (a TLS ≤1.2 renegotiation's included);
/// `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `request` must be NULL or the request of a callback that is running.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_certificate_request_post_handshake(
    request: *const CertificateRequestInfo<'_>,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { query(request, |r| Ok(c_int::from(r.post_handshake()))) }
}
