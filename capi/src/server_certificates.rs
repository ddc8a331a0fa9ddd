//! A C server's choice of certificate for each full handshake, from the
//! client's ClientHello, as OpenSSL's `SSL_CTX_set_cert_cb` and GnuTLS's
//! `gnutls_certificate_set_retrieve_function2` give it: a callback of
//! C's sees what the ClientHello asked (version, server name, ALPN
//! protocols, signature schemes, cipher suites, CA names) through the
//! accessors of `ferrotls_client_hello` here, and answers with the index
//! of one of the configuration's certificates, which a
//! [`CallbackResolver`] turns into the engine's [`ServerCertResolver`]
//! answer. With a callback it alone chooses: the engine sends that
//! certificate if it fits the client (`ferrotls::ServerCertResolver`),
//! and refuses the handshake (`handshake_failure`) otherwise, so a
//! certificate meant for some clients only (an ACME `tls-alpn-01`
//! challenge, RFC 8737) never goes to the others.
//!
//! `ferrotls_client_hello` is the engine's [`ClientHelloInfo`] itself,
//! lent to the callback for the duration of its call.

use core::ffi::{c_int, c_void};
use std::sync::Arc;

use ferrotls::{CertifiedKey, ClientHelloInfo, ServerCertResolver};

use super::client_certificates::{ca_name_out, codes_out, query, CallbackResolver};
use super::{copy_out, guard, handle, Code};

/// `ferrotls_server_certificate_fn`: given a ClientHello, returns the
/// index of one of the configuration's certificates (0 the one of
/// `ferrotls_server_config_new`, then those added, in order), or a
/// negative value for none. `hello` is valid only during the call.
pub type ServerCertificateFn =
    unsafe extern "C" fn(user: *mut c_void, hello: *const ClientHelloInfo<'_>) -> c_int;

impl ServerCertResolver for CallbackResolver<ServerCertificateFn> {
    fn resolve(&self, hello: &ClientHelloInfo<'_>) -> Vec<Arc<CertifiedKey>> {
        let (callback, user) = self.callback();
        // SAFETY: `callback` may be called from this thread with `user`
        // and a ClientHello valid for the call (`CertificateCallback::new`);
        // `hello` outlives the call.
        self.key(unsafe { callback(user, hello) })
            .into_iter()
            .collect()
    }
}

/// The protocol version the handshake negotiated, as its wire value
/// (`FERROTLS_TLS1_3` is 0x0304); `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `hello` must be NULL or the ClientHello of a callback that is running.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_hello_protocol_version(
    hello: *const ClientHelloInfo<'_>,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe { query(hello, |h| Ok(c_int::from(u16::from(h.version())))) }
}

/// Copies the host name of the client's server_name extension (RFC 6066
/// §3) as the client sent it, without a NUL, under the size convention of
/// `ferrotls_session_get_id`; none (a size of 0) when it named none.
///
/// # Safety
/// `hello` must be NULL or the ClientHello of a callback that is running;
/// `size` NULL or valid for reads and writes; `name` NULL or valid for
/// `*size` bytes of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_hello_get_server_name(
    hello: *const ClientHelloInfo<'_>,
    name: *mut c_void,
    size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid during the callback, per the caller.
        let hello = unsafe { handle(hello) }?;
        let text = hello.server_name().unwrap_or_default();
        // SAFETY: the size and buffer pointers are as `copy_out` needs,
        // per the caller.
        unsafe { copy_out(text.as_bytes(), name, size) }
    })
}

/// Copies the ALPN protocols the client offers (RFC 7301 §3.1), in its
/// order and in the wire format `ferrotls_server_config_set_alpn` takes
/// (each name after its one-byte length), under the size convention of
/// `ferrotls_session_get_id`; none without the extension.
///
/// # Safety
/// As for [`ferrotls_client_hello_get_server_name`], `protocols` for
/// `name`.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_hello_get_alpn(
    hello: *const ClientHelloInfo<'_>,
    protocols: *mut c_void,
    size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid during the callback, per the caller.
        let hello = unsafe { handle(hello) }?;
        let mut wire = Vec::new();
        for name in hello.alpn_protocols() {
            // A received name is 1 to 255 bytes (RFC 7301 §3.1).
            wire.push(u8::try_from(name.len()).map_err(|_| Code::Internal)?);
            wire.extend_from_slice(name);
        }
        // SAFETY: the size and buffer pointers are as `copy_out` needs,
        // per the caller.
        unsafe { copy_out(&wire, protocols, size) }
    })
}

/// Copies the signature schemes the client accepts (signature_algorithms,
/// RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1) as IANA code points, in its
/// order, as `ferrotls_certificate_request_get_signature_schemes` does;
/// none when it sent none.
///
/// # Safety
/// `hello` must be NULL or the ClientHello of a callback that is running;
/// `count` NULL or valid for reads and writes; `schemes` NULL or valid
/// for `*count` entries of writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_hello_get_signature_schemes(
    hello: *const ClientHelloInfo<'_>,
    schemes: *mut u16,
    count: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid during the callback, per the caller.
        let hello = unsafe { handle(hello) }?;
        // SAFETY: the count and array pointers are as `codes_out` needs,
        // per the caller.
        unsafe { codes_out(hello.signature_schemes(), schemes, count) }
    })
}

/// Copies the cipher suites the client offers as IANA code points
/// (0x1301 is TLS_AES_128_GCM_SHA256), in its order, under the same
/// convention as [`ferrotls_client_hello_get_signature_schemes`].
///
/// # Safety
/// As for [`ferrotls_client_hello_get_signature_schemes`], `suites` for
/// `schemes`.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_hello_get_cipher_suites(
    hello: *const ClientHelloInfo<'_>,
    suites: *mut u16,
    count: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid during the callback, per the caller.
        let hello = unsafe { handle(hello) }?;
        // SAFETY: the count and array pointers are as `codes_out` needs,
        // per the caller.
        unsafe { codes_out(hello.cipher_suites(), suites, count) }
    })
}

/// How many CAs the client named in its certificate_authorities
/// extension (RFC 8446 §4.2.4; TLS 1.3 only); 0 when it named none.
/// `FERROTLS_E_INVALID_REQUEST` for NULL.
///
/// # Safety
/// `hello` must be NULL or the ClientHello of a callback that is running.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_hello_ca_count(
    hello: *const ClientHelloInfo<'_>,
) -> c_int {
    // SAFETY: forwarded from the caller.
    unsafe {
        query(hello, |h| {
            c_int::try_from(h.authorities().len()).map_err(|_| Code::Internal)
        })
    }
}

/// Points `*name` at the DER DistinguishedName of the CA number `index`
/// the client named and sets `*name_size` to its length, as
/// `ferrotls_certificate_request_ca_name` does; the bytes stay valid
/// during the callback only. `FERROTLS_E_INVALID_REQUEST` for NULL
/// arguments and an index past the names.
///
/// # Safety
/// `hello` must be NULL or the ClientHello of a callback that is running;
/// `name` and `name_size` NULL or valid for writes.
#[no_mangle]
pub unsafe extern "C" fn ferrotls_client_hello_ca_name(
    hello: *const ClientHelloInfo<'_>,
    index: usize,
    name: *mut *const c_void,
    name_size: *mut usize,
) -> c_int {
    guard(|| {
        // SAFETY: NULL or valid during the callback, per the caller.
        let hello = unsafe { handle(hello) }?;
        // SAFETY: the pointers are as `ca_name_out` needs, per the caller.
        unsafe { ca_name_out(hello.authorities(), index, name, name_size) }
    })
}
