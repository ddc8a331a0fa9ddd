/*
 * ferrotls.h: the C interface of ferrotls, a TLS 1.0-1.3 engine with exact
 * session-identifier semantics. Link with libferrotls.so (SONAME
 * libferrotls.so.0) or libferrotls.a; `capi/install.sh --prefix DIR`
 * installs both with this header and a pkg-config file, so
 * `pkg-config --cflags --libs ferrotls` gives the flags.
 *
 * Hand-written; the tests of the capi crate check that every prototype
 * and error code here matches the extern "C" functions of capi/src/.
 *
 * Conventions:
 *  - Functions returning int return FERROTLS_SUCCESS (0) or a negative
 *    FERROTLS_E_* code; ferrotls_strerror describes any code.
 *  - Every pointer argument is checked: NULL gives
 *    FERROTLS_E_INVALID_REQUEST (a NULL handle to a *_free function is
 *    ignored).
 *  - Calls block as the transport blocks. On a transport that would block
 *    instead (a descriptor set O_NONBLOCK, or callbacks that fail with
 *    errno EAGAIN or EWOULDBLOCK), the handshake, send, receive, flush,
 *    close, reauth and rehandshake calls return FERROTLS_E_AGAIN, keeping
 *    everything read or queued: wait until the transport is ready (for
 *    writing if ferrotls_conn_wants_write says 1, else for reading) and
 *    make the same call again.
 *  - A connection must not be used by two threads at once; configurations
 *    may be shared.
 *  - Sizes follow gnutls_session_get_id: *size holds the buffer's capacity
 *    on entry and the data's length on return; a NULL buffer only asks for
 *    the length; a buffer too small gives FERROTLS_E_SHORT_MEMORY_BUFFER,
 *    the length written and the buffer untouched.
 *  - Certificate, private key and pinned-key files are PEM or DER, told
 *    apart by their contents, as OpenSSL's SSL_FILETYPE_PEM and
 *    SSL_FILETYPE_ASN1 files are: a DER file holds one certificate, one
 *    key (PKCS#8, SEC1 or PKCS#1) or one SubjectPublicKeyInfo; a DER CA
 *    file holds one CA certificate.
 */
#ifndef FERROTLS_H
#define FERROTLS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Result codes -------------------------------------------------- */

/* The call succeeded. */
#define FERROTLS_SUCCESS 0
/* Internal failure: a panic was caught or a local cryptographic operation
 * failed. A bug to report. */
#define FERROTLS_E_INTERNAL (-1)
/* The transport failed: read/write on the descriptor failed, or a
 * callback returned a negative value. */
#define FERROTLS_E_IO (-2)
/* The transport ended without close_notify: data may be truncated. */
#define FERROTLS_E_PREMATURE_EOF (-3)
/* A certificate, key or CA file could not be read or does not hold what
 * was expected. */
#define FERROTLS_E_FILE (-4)
/* The peer's certificate chain was refused (an alert was sent). */
#define FERROTLS_E_CERTIFICATE_REFUSED (-5)
/* The peer broke the protocol: bytes that do not parse, a value not
 * allowed, a record that does not authenticate (an alert was sent). */
#define FERROTLS_E_PROTOCOL (-6)
/* The peer sent a fatal alert. */
#define FERROTLS_E_ALERT_RECEIVED (-7)
/* No common version, cipher suite, group or application protocol, a
 * required client certificate is missing, or a fallback was refused
 * (RFC 7507). An alert was sent. */
#define FERROTLS_E_HANDSHAKE_FAILURE (-8)
/* The transport would block (see Conventions): call again when it is
 * ready; nothing was lost (same value and meaning as GNUTLS_E_AGAIN). */
#define FERROTLS_E_AGAIN (-28)
/* A server waiting for its client's answer (ferrotls_conn_reauth,
 * ferrotls_conn_rehandshake) holds
 * as much of the client's application data as it buffers and can read
 * no further: receive the data, then make the call again (same value and
 * meaning as GNUTLS_E_GOT_APPLICATION_DATA). */
#define FERROTLS_E_GOT_APPLICATION_DATA (-38)
/* A NULL pointer, a value out of range, or a call the object's state does
 * not allow (same value and meaning as GNUTLS_E_INVALID_REQUEST). */
#define FERROTLS_E_INVALID_REQUEST (-50)
/* The buffer is too small; the size needed was written (same value and
 * meaning as GNUTLS_E_SHORT_MEMORY_BUFFER). */
#define FERROTLS_E_SHORT_MEMORY_BUFFER (-51)
/* Session data that does not parse (corrupted, truncated, unknown format,
 * not client data) or has expired. */
#define FERROTLS_E_INVALID_SESSION_DATA (-52)
/* The connection has no resumable session to export (yet). */
#define FERROTLS_E_NO_SESSION_DATA (-53)

/* A static description of `code`; never NULL. */
const char *ferrotls_strerror(int code);

/* The library's version, "MAJOR.MINOR.PATCH" (pkg-config's Version);
 * static, never NULL. */
const char *ferrotls_version(void);

/* ---- Protocol versions (wire values) ------------------------------- */

#define FERROTLS_TLS1_0 0x0301
#define FERROTLS_TLS1_1 0x0302
#define FERROTLS_TLS1_2 0x0303
#define FERROTLS_TLS1_3 0x0304

/* ---- Configurations ------------------------------------------------ */

typedef struct ferrotls_client_config ferrotls_client_config;
typedef struct ferrotls_server_config ferrotls_server_config;

/* A client configuration: the library's default versions, resumption on,
 * and no CA file (or system roots, or pinned keys) or server name yet
 * (both are needed to connect). Its
 * connections share one session store, so a later connection resumes an
 * earlier one's session on its own. */
int ferrotls_client_config_new(ferrotls_client_config **config);
/* Trusts the CA certificates of a PEM file (instead of the system roots
 * or pinned keys set before). */
int ferrotls_client_config_set_ca_file(ferrotls_client_config *config,
                                       const char *path);
/* Trusts the operating system's CA bundle (the first of the usual
 * locations, such as /etc/ssl/certs/ca-certificates.crt, that holds
 * certificates) instead of a CA file (or pinned keys). FERROTLS_E_FILE if
 * none is found. */
int ferrotls_client_config_use_system_roots(ferrotls_client_config *config);
/* The server to connect to: sent as SNI, checked against its certificate. */
int ferrotls_client_config_set_server_name(ferrotls_client_config *config,
                                           const char *name);
/* Authenticates with the certificate chain of the file cert_file
 * (leaf first) and the private key of the file key_file when a server
 * asks: in the handshake, after it (TLS 1.3 post-handshake
 * authentication, which the client then offers) and in a renegotiation.
 * It replaces every key set or added before, with a chain or alone, and
 * becomes the certificate of index 0 (see
 * ferrotls_client_config_add_certificate). FERROTLS_E_FILE when a file
 * cannot be read or they do not pair. */
int ferrotls_client_config_set_certificate(ferrotls_client_config *config,
                                           const char *cert_file,
                                           const char *key_file);
/* Adds the certificate chain of the file cert_file (leaf first) with
 * the private key of the file key_file to those the client may
 * authenticate with, after those set or added before, and returns its
 * index (0 for the first, then in the order added), by which a
 * certificate callback names it. Without a callback, a server's request
 * gets the first certificate that fits it (its key type, a signature
 * scheme the server accepts, a keyUsage that allows signing), those under
 * a CA the server named first; with
 * ferrotls_client_config_set_certificate, which replaces them all, a
 * program with one certificate needs neither. FERROTLS_E_FILE when a file
 * cannot be read or they do not pair, and nothing is added. */
int ferrotls_client_config_add_certificate(ferrotls_client_config *config,
                                           const char *cert_file,
                                           const char *key_file);
/* Authenticates with the private key of the file key_file alone
 * (PKCS#8, SEC1 or PKCS#1), as gnutls_certificate_set_rawpk_key_file:
 * when a server asks for a certificate (as for
 * ferrotls_client_config_set_certificate), the key's public key goes raw
 * (RFC 7250) to a server that accepts raw public keys, which the
 * ClientHello offers (client_certificate_type, RFC 7250 section 4.1); a
 * server that takes X.509 only gets no certificate. It replaces every key
 * set or added before, with a chain or alone, and becomes the certificate
 * of index 0. FERROTLS_E_FILE when the file cannot be read or holds no
 * key. */
int ferrotls_client_config_set_rawpk_key_file(ferrotls_client_config *config,
                                              const char *key_file);

/* What a server asked for when it requested the client's certificate,
 * handed to a certificate callback; it and everything read from it are
 * valid only during the callback's call. */
typedef struct ferrotls_certificate_request ferrotls_certificate_request;
/* The protocol version of the connection, a FERROTLS_TLS1_* value;
 * FERROTLS_E_INVALID_REQUEST for NULL. */
int ferrotls_certificate_request_protocol_version(
    const ferrotls_certificate_request *request);
/* The name of the server the client connected to, as its configuration
 * holds it (a DNS name in lower case without a trailing dot, or an IP
 * address as text), without a NUL (size convention above). */
int ferrotls_certificate_request_get_server_name(
    const ferrotls_certificate_request *request, void *name, size_t *size);
/* How many CAs the server named, whose certificates it accepts (its
 * certificate_authorities extension, RFC 8446 section 4.2.4, or before
 * TLS 1.3 the request's list, RFC 5246 section 7.4.4); 0 when it named
 * none, which means any. FERROTLS_E_INVALID_REQUEST for NULL. */
int ferrotls_certificate_request_ca_count(
    const ferrotls_certificate_request *request);
/* Points *name at the DER DistinguishedName (the subject of the CA's
 * certificate, RFC 5280 section 4.1.2.6) of the CA number index the
 * server named and sets *name_size to its length, as the names
 * gnutls_certificate_retrieve_function2 receives; the bytes belong to
 * the request. FERROTLS_E_INVALID_REQUEST for a NULL argument or an
 * index past the names. */
int ferrotls_certificate_request_ca_name(
    const ferrotls_certificate_request *request, size_t index,
    const void **name, size_t *name_size);
/* The signature schemes the server accepts in the client's
 * CertificateVerify, as IANA code points (0x0403 is
 * ecdsa_secp256r1_sha256), in the server's order: the size convention
 * above, counted in entries (*count holds the capacity of schemes on
 * entry and the number of schemes on return). None under TLS 1.0 and
 * 1.1, whose requests list none. */
int ferrotls_certificate_request_get_signature_schemes(
    const ferrotls_certificate_request *request, uint16_t *schemes,
    size_t *count);
/* What the certificate goes as: FERROTLS_CRT_X509, or FERROTLS_CRT_RAWPK
 * when the peers agreed on a raw public key (RFC 7250), for which a key
 * set without a chain fits. FERROTLS_E_INVALID_REQUEST for NULL. */
int ferrotls_certificate_request_certificate_type(
    const ferrotls_certificate_request *request);
/* 1 if the request came after the handshake (TLS 1.3 post-handshake
 * authentication, RFC 8446 section 4.6.2: the callback then runs in a
 * ferrotls_conn_recv), 0 if it came in a handshake (a TLS <=1.2
 * renegotiation's included); FERROTLS_E_INVALID_REQUEST for NULL. */
int ferrotls_certificate_request_post_handshake(
    const ferrotls_certificate_request *request);
/* A certificate callback: given user and what the server asked for,
 * returns the index of one of the configuration's certificates
 * (ferrotls_client_config_add_certificate), or a negative value for
 * none. */
typedef int (*ferrotls_client_certificate_fn)(
    void *user, const ferrotls_certificate_request *request);
/* Chooses the certificate with callback whenever a server asks for one,
 * as gnutls_certificate_set_retrieve_function2 and
 * SSL_CTX_set_client_cert_cb (with SSL_get_client_CA_list) do: in the
 * handshake, after it (TLS 1.3) and in a renegotiation, once per
 * request. The certificate whose index it returns is sent if it fits the
 * request (its key type, a signature scheme the server accepts, a
 * keyUsage that allows signing); if it does not, or for a negative value
 * or an index past the certificates, an empty Certificate goes, which a
 * server requiring one refuses. NULL removes the callback, and the
 * library chooses again (ferrotls_client_config_add_certificate). A
 * configuration with a callback offers post-handshake authentication as
 * one with a certificate does (ferrotls_client_config_set_post_handshake_auth),
 * and raw public keys when a key was set without a chain.
 *
 * Threads: connections call it on the threads that run them, and
 * configurations may be shared (see Conventions), so it may be called
 * from several threads at once, as GnuTLS's callbacks on credentials
 * shared by sessions in several threads are: it must do its own locking.
 * It must not block for long (the handshake waits for it) and must not
 * use the connection that asked. user is passed to it and must stay
 * valid, and the callback callable, until config and every connection
 * made from it are freed. */
int ferrotls_client_config_set_certificate_callback(
    ferrotls_client_config *config, ferrotls_client_certificate_fn callback,
    void *user);
/* Trusts exactly the public keys of the file path (PUBLIC KEY blocks,
 * as openssl pkey -pubout writes them), instead of the CA file or system
 * roots set before: a server is accepted when its key is one of them,
 * sent raw (RFC 7250), which the ClientHello asks for first
 * (server_certificate_type, RFC 7250 section 4.1), or in an X.509
 * certificate whose names, dates and issuer are not looked at, the key
 * being known in advance (RFC 7250 section 6). CRLs do not apply. Another
 * key is refused (FERROTLS_E_CERTIFICATE_REFUSED, "invalid certificate:
 * key not pinned"). GnuTLS leaves raw public keys to the application's
 * verify callback (gnutls_verify_stored_pubkey). FERROTLS_E_FILE when the
 * file cannot be read, holds no public key or one the library cannot
 * use. */
int ferrotls_client_config_set_pinned_keys_file(ferrotls_client_config *config,
                                                const char *path);
/* Trusts exactly the public keys whose SHA-256 hashes (of the DER
 * SubjectPublicKeyInfo, as HPKP and curl's sha256// pins are, and
 * ferrotls client --pin-spki sha256:HEX) are the count 32-byte hashes at
 * hashes, as ferrotls_client_config_set_pinned_keys_file trusts the keys
 * of a file. count 0 or hashes NULL gives FERROTLS_E_INVALID_REQUEST. */
int ferrotls_client_config_set_pinned_key_hashes(ferrotls_client_config *config,
                                                 const void *hashes, size_t count);
/* TLS 1.3 post-handshake authentication (RFC 8446 section 4.6.2) on
 * (non-zero, the default) or off (0): with a certificate set, the
 * ClientHello offers it (the post_handshake_auth extension, section
 * 4.2.6), so the server may ask for the certificate after the handshake
 * (ferrotls_conn_reauth), which the client sends during a
 * ferrotls_conn_recv; off, a server cannot ask. GnuTLS clients turn it on
 * with the GNUTLS_POST_HANDSHAKE_AUTH flag of gnutls_init. */
int ferrotls_client_config_set_post_handshake_auth(ferrotls_client_config *config,
                                                   int enabled);
/* TLS <=1.2 secure renegotiation (RFC 5746) on (non-zero) or off (0, the
 * default): on, a server's HelloRequest (RFC 5246 section 7.4.1.1) is
 * answered, during a ferrotls_conn_recv, with a new full handshake under
 * the current keys, only with a server that signalled secure
 * renegotiation and at most 4 times per connection; off, it is refused
 * with a no_renegotiation warning and the connection goes on. The
 * certificate set is sent if the new handshake asks for one. GnuTLS
 * clients renegotiate with such servers by default (%SAFE_RENEGOTIATION). */
int ferrotls_client_config_set_renegotiation(ferrotls_client_config *config,
                                             int enabled);
/* Enables the versions from min to max (FERROTLS_TLS1_*). */
int ferrotls_client_config_set_versions(ferrotls_client_config *config,
                                        uint16_t min, uint16_t max);
/* Offers the ALPN protocols (RFC 7301) of the len bytes at protocols, in
 * the wire format: each name preceded by its one-byte length, most
 * preferred first, e.g. "\x02h2\x08http/1.1" (len 12); len 0 for none.
 * An empty or cut-short name gives FERROTLS_E_INVALID_REQUEST. */
int ferrotls_client_config_set_alpn(ferrotls_client_config *config,
                                    const void *protocols, size_t len);
/* Resumption (session tickets and IDs) on (non-zero) or off (0). */
int ferrotls_client_config_set_tickets(ferrotls_client_config *config,
                                       int enabled);
/* Offers the cipher suites named in list, most preferred first: IANA
 * names (TLS_AES_128_GCM_SHA256) or OpenSSL's (ECDHE-ECDSA-AES128-GCM-SHA256),
 * separated by ':' or ','. NULL goes back to the library's defaults; an
 * unknown name or an empty list gives FERROTLS_E_INVALID_REQUEST. A list
 * with nothing for an enabled version fails when a connection is made. */
int ferrotls_client_config_set_cipher_suites(ferrotls_client_config *config,
                                             const char *list);
/* Offers the key-exchange groups named in list, most preferred first:
 * IANA names (X25519MLKEM768, x25519, secp256r1, ffdhe2048) or OpenSSL's
 * and GnuTLS's aliases (X25519, P-256, prime256v1), as for the suites, in
 * OpenSSL 3.5's syntax: a name after '*' gets a key share in the first
 * ClientHello (those named so, instead of the library's choice: the first
 * group, with the first classical one after a hybrid), a name after '?'
 * is skipped when the library does not know it instead of refusing the
 * list, and '/' separates as ':' does ("*X25519MLKEM768:*x25519/P-256:
 * ?brainpoolP256r1tls13"). A list naming no known group gives
 * FERROTLS_E_INVALID_REQUEST. */
int ferrotls_client_config_set_groups(ferrotls_client_config *config,
                                      const char *list);
/* Sends records of at most len bytes of plaintext, from 64 to 16384 (as
 * OpenSSL's SSL_CTX_set_max_send_fragment); 0 for the protocol's 16384.
 * A smaller record_size_limit from the peer (RFC 8449) still applies.
 * Other values give FERROTLS_E_INVALID_REQUEST. */
int ferrotls_client_config_set_max_fragment_size(ferrotls_client_config *config,
                                                 size_t len);
/* Appends the secrets of the connections made from now on to the file
 * path, in the NSS key log format Wireshark reads (a new file is
 * readable by its owner only); NULL stops logging. FERROTLS_E_FILE when
 * the file cannot be opened for appending. Pass getenv("SSLKEYLOGFILE")
 * to log where GnuTLS and NSS would. The secrets decrypt every logged
 * connection: for debugging only. */
int ferrotls_client_config_set_keylog_file(ferrotls_client_config *config,
                                           const char *path);
/* 0-RTT (RFC 8446 section 4.2.10) on (non-zero) or off (0): a connection
 * resuming a TLS 1.3 session whose server accepts early data may send data
 * with its ClientHello (ferrotls_conn_write_early_data). */
int ferrotls_client_config_set_early_data(ferrotls_client_config *config,
                                          int enabled);
/* TLS 1.2 False Start (RFC 7918) on (non-zero) or off (0): in a full
 * handshake with a forward secret AEAD suite and an agreed ALPN protocol,
 * ferrotls_conn_handshake returns once the client's Finished is sent and
 * ferrotls_conn_send sends its data with it, without waiting a round trip
 * for the server's. */
int ferrotls_client_config_set_false_start(ferrotls_client_config *config,
                                           int enabled);
/* Checking a kept session's server chain again before offering it on
 * (non-zero) or off (0, the default): the chain is judged with the
 * configuration's CAs at the current time, as a full handshake would; a
 * session whose chain no longer passes is not offered, and the handshake
 * runs in full. */
int ferrotls_client_config_set_reverify_on_resume(ferrotls_client_config *config,
                                                  int enabled);
/* What ferrotls_client_config_set_ocsp_stapling asks of servers: no OCSP
 * response (the default); one, but a server that staples none is
 * accepted; one, and a server that staples none is refused. */
#define FERROTLS_OCSP_OFF 0
#define FERROTLS_OCSP_REQUEST 1
#define FERROTLS_OCSP_REQUIRE 2
/* Asks servers for a stapled OCSP response (RFC 6066 section 8) as mode,
 * a FERROTLS_OCSP_* value, says; another value gives
 * FERROTLS_E_INVALID_REQUEST. A stapled response is checked with the
 * chain (one not current, not about the certificate, badly signed or
 * saying revoked refuses the server) and read with
 * ferrotls_conn_get_ocsp_response. */
int ferrotls_client_config_set_ocsp_stapling(ferrotls_client_config *config,
                                             int mode);
/* Adds the CRLs of the file path to those server chains are checked
 * against (RFC 5280 section 6.3), as gnutls_certificate_set_x509_crl_file
 * does: one DER CRL, or PEM text with any number of "X509 CRL" blocks.
 * Returns how many CRLs the file held (at least 1). A certificate of the
 * chain that a CRL of its issuer lists is refused
 * (FERROTLS_E_CERTIFICATE_REFUSED, "invalid certificate: revoked").
 * FERROTLS_E_FILE when the file cannot be read, holds no CRL or one that
 * does not parse; the CRLs set stay as they were. path NULL removes every
 * CRL set (and returns 0). Connections made afterwards use them; a
 * session they resume is not checked again, unless
 * ferrotls_client_config_set_reverify_on_resume says so. */
int ferrotls_client_config_set_crl_file(ferrotls_client_config *config,
                                        const char *path);
/* What ferrotls_*_config_set_revocation_policy does with a certificate of
 * the peer's chain (but its trust anchor) that no current CRL covers:
 * accept it (the default), or refuse it ("invalid certificate: revocation
 * unknown", or "revocation stale" for a CRL past its nextUpdate). A
 * certificate a CRL lists is refused under either. */
#define FERROTLS_REVOCATION_SOFT_FAIL 0
#define FERROTLS_REVOCATION_HARD_FAIL 1
/* Sets the policy for server chains, a FERROTLS_REVOCATION_* value;
 * another value gives FERROTLS_E_INVALID_REQUEST. Under hard-fail every
 * certificate below the trust anchor needs a CRL of its issuer: set the
 * CRLs of each CA of the chain. */
int ferrotls_client_config_set_revocation_policy(ferrotls_client_config *config,
                                                 int policy);
/* Offers, accepts and signs with only the signature schemes named in
 * list, most preferred first, as the SIGN- part of a GnuTLS priority
 * string: IANA names (ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256,
 * ed25519) or OpenSSL's KEY+HASH (ECDSA+SHA256), separated by ':' or
 * ','. They are sent in signature_algorithms (RFC 8446 section 4.2.3),
 * a server's signature must use one, and the client's certificate signs
 * with the first of them its key can make that the server accepts. NULL
 * goes back to the library's defaults; an unknown name or an empty list
 * gives FERROTLS_E_INVALID_REQUEST and changes nothing. Listing
 * rsa_pkcs1_sha1 or ecdsa_sha1 accepts TLS 1.2 SHA-1 signatures, which
 * RFC 9155 forbids. A list the library cannot use (a name twice, or none
 * TLS 1.2 can use when it is the only version) fails when a connection is
 * made. */
int ferrotls_client_config_set_signature_schemes(ferrotls_client_config *config,
                                                 const char *list);
/* Frees the configuration; connections made from it keep working. */
void ferrotls_client_config_free(ferrotls_client_config *config);

/* A server configuration serving the certificate chain of the file
 * cert_file (leaf first) with the private key of the file key_file
 * (PKCS#8, SEC1 or PKCS#1); default versions, tickets on. Its connections
 * share one ticket key set and one in-memory cache of TLS <=1.2 sessions
 * by ID, so they resume each other's sessions. */
int ferrotls_server_config_new(ferrotls_server_config **config,
                               const char *cert_file, const char *key_file);
/* A server configuration that authenticates with the private key of the
 * file key_file alone, as gnutls_certificate_set_rawpk_key_file
 * serves one: its public key goes raw (RFC 7250) to clients that accept
 * raw public keys (server_certificate_type, RFC 7250 section 4.2), and a
 * client that takes X.509 only is refused (unsupported_certificate;
 * FERROTLS_E_CERTIFICATE_REFUSED on the server). Otherwise as
 * ferrotls_server_config_new. FERROTLS_E_FILE when the file cannot be
 * read or holds no key. */
int ferrotls_server_config_new_rawpk(ferrotls_server_config **config,
                                     const char *key_file);
/* Serves the chain of the file cert_file (leaf first) with the key of
 * the file key_file beside those already set: to a client whose
 * server_name its subjectAltName covers (RFC 6066), or whose signature
 * algorithms only its key meets (an ECDSA chain beside an RSA one). A
 * client naming no server, or a name none covers, gets the first that
 * suits it, in the order they were set. FERROTLS_E_FILE as for
 * ferrotls_server_config_new. */
int ferrotls_server_config_add_certificate(ferrotls_server_config *config,
                                           const char *cert_file,
                                           const char *key_file);
/* What a client's ClientHello asked of the server's certificate, handed
 * to a server certificate callback; it and everything read from it are
 * valid only during the callback's call. */
typedef struct ferrotls_client_hello ferrotls_client_hello;
/* The protocol version the handshake negotiated, a FERROTLS_TLS1_* value;
 * FERROTLS_E_INVALID_REQUEST for NULL. */
int ferrotls_client_hello_protocol_version(const ferrotls_client_hello *hello);
/* The host name of the client's server_name extension (RFC 6066 section
 * 3) as the client sent it (compare it without regard to case), without
 * a NUL (size convention above); a size of 0 when it named none. */
int ferrotls_client_hello_get_server_name(const ferrotls_client_hello *hello,
                                          void *name, size_t *size);
/* The ALPN protocols the client offers, in its order, in the wire format
 * ferrotls_server_config_set_alpn takes (size convention above); none
 * without the extension. */
int ferrotls_client_hello_get_alpn(const ferrotls_client_hello *hello,
                                   void *protocols, size_t *size);
/* The signature schemes the client accepts, as IANA code points, in its
 * order (the convention of
 * ferrotls_certificate_request_get_signature_schemes); none when it sent
 * none. */
int ferrotls_client_hello_get_signature_schemes(
    const ferrotls_client_hello *hello, uint16_t *schemes, size_t *count);
/* The cipher suites the client offers, as IANA code points, in its order
 * (the same convention). */
int ferrotls_client_hello_get_cipher_suites(const ferrotls_client_hello *hello,
                                            uint16_t *suites, size_t *count);
/* How many CAs the client named (certificate_authorities, RFC 8446
 * section 4.2.4; TLS 1.3 only); FERROTLS_E_INVALID_REQUEST for NULL. */
int ferrotls_client_hello_ca_count(const ferrotls_client_hello *hello);
/* The DER name of CA number index the client named, as
 * ferrotls_certificate_request_ca_name gives it. */
int ferrotls_client_hello_ca_name(const ferrotls_client_hello *hello,
                                  size_t index, const void **name,
                                  size_t *name_size);
/* A server certificate callback: given user and the ClientHello, returns
 * the index of one of the configuration's certificates (0 the one of
 * ferrotls_server_config_new, then those added with
 * ferrotls_server_config_add_certificate, in order), or a negative value
 * for none. */
typedef int (*ferrotls_server_certificate_fn)(
    void *user, const ferrotls_client_hello *hello);
/* Chooses the certificate of each full handshake with callback, as
 * SSL_CTX_set_cert_cb and gnutls_certificate_set_retrieve_function2 do on
 * a server. The certificate whose index it returns is the only one sent,
 * if it fits the client (its key, a signature scheme and, before TLS 1.3,
 * a suite the client offers); otherwise, or for a negative value or an
 * index past the certificates, the handshake fails (handshake_failure).
 * So a certificate meant for some clients only (an ACME tls-alpn-01
 * challenge, RFC 8737, for a ClientHello offering "acme-tls/1") never
 * goes to the others. A resumption sends no certificate and calls
 * nothing. NULL removes the callback: the library chooses among them
 * again, by the client's server name first. Threads and lifetime: as for
 * ferrotls_client_config_set_certificate_callback. */
int ferrotls_server_config_set_certificate_callback(
    ferrotls_server_config *config, ferrotls_server_certificate_fn callback,
    void *user);
/* Staples the DER OCSP response of the file path (as openssl ocsp
 * -respout writes it) to the certificate set last, for clients that ask
 * (RFC 6066 section 8, RFC 8446 section 4.4.2.1); connections made
 * afterwards send it, and a newer response is set the same way.
 * FERROTLS_E_FILE when the file cannot be read or holds no successful
 * OCSP response. */
int ferrotls_server_config_set_ocsp_response_file(ferrotls_server_config *config,
                                                  const char *path);
/* Enables the versions from min to max (FERROTLS_TLS1_*). */
int ferrotls_server_config_set_versions(ferrotls_server_config *config,
                                        uint16_t min, uint16_t max);
/* Accepts the ALPN protocols of the len bytes at protocols (format as for
 * ferrotls_client_config_set_alpn); the first of these the client offers
 * is chosen. A client that offers only others is refused. */
int ferrotls_server_config_set_alpn(ferrotls_server_config *config,
                                    const void *protocols, size_t len);
/* Session tickets on (non-zero) or off (0). */
int ferrotls_server_config_set_tickets(ferrotls_server_config *config,
                                       int enabled);
/* Accepts the cipher suites named in list, in the server's order of
 * preference (names as for ferrotls_client_config_set_cipher_suites), or
 * in tiers separated by '/' that the server counts as equally good, the
 * client's order deciding within a tier: "A:B/C" gives a client that
 * prefers B the suite B, never C while it offers A or B (BoringSSL writes
 * it "[A|B]:C"). */
int ferrotls_server_config_set_cipher_suites(ferrotls_server_config *config,
                                             const char *list);
/* Accepts the key-exchange groups named in list, in the server's order of
 * preference (names and '?' as for ferrotls_client_config_set_groups; '*'
 * means nothing here), in tiers separated by '/' as OpenSSL 3.5's group
 * tuples are: in TLS 1.3 the server asks with a HelloRetryRequest for a
 * group of the best tier the client supports rather than take a key share
 * of a worse one ("X25519MLKEM768/x25519:P-256"). */
int ferrotls_server_config_set_groups(ferrotls_server_config *config,
                                      const char *list);
/* As ferrotls_client_config_set_max_fragment_size. */
int ferrotls_server_config_set_max_fragment_size(ferrotls_server_config *config,
                                                 size_t len);
/* As ferrotls_client_config_set_keylog_file. */
int ferrotls_server_config_set_keylog_file(ferrotls_server_config *config,
                                           const char *path);
/* Accepts up to bytes of 0-RTT data on resumed TLS 1.3 connections,
 * announced in the tickets issued from then on; 0 accepts none. A
 * ClientHello whose early data a connection of this configuration already
 * accepted has it rejected (RFC 8446 section 8.2). Accepted early data
 * reaches ferrotls_conn_recv first. 0-RTT data may be a replay from
 * another server or after a restart: act on it only if that is safe. */
int ferrotls_server_config_set_max_early_data(ferrotls_server_config *config,
                                              uint32_t bytes);
/* Half-RTT data (RFC 8446 section 4.4.4) on (non-zero) or off (0), TLS
 * 1.3: once the server's Finished is sent, ferrotls_conn_handshake returns
 * and ferrotls_conn_send sends at once, before the client's Finished, and
 * ferrotls_conn_recv reads accepted 0-RTT data as it comes, so the answer
 * to a 0-RTT request leaves in the server's first flight. The client is
 * not yet confirmed then (the request may be a replay). Never when a
 * client certificate is asked for. */
int ferrotls_server_config_set_half_rtt(ferrotls_server_config *config,
                                        int enabled);
/* Copies out the key set that seals and unseals this configuration's
 * session tickets (the current key and the previous one, with their
 * AEAD), with the size convention of ferrotls_session_get_id: *keys_size
 * is the capacity on entry and the length on return; keys NULL asks only
 * for the length; a capacity too small gives
 * FERROTLS_E_SHORT_MEMORY_BUFFER and copies nothing. Another server given
 * these bytes with ferrotls_server_config_set_ticket_keys resumes this
 * one's sessions, as GnuTLS servers share the key of
 * gnutls_session_ticket_key_generate. The bytes are as secret as the
 * keys: whoever holds them reads every session they sealed. */
int ferrotls_server_config_get_ticket_keys(const ferrotls_server_config *config,
                                           void *keys, size_t *keys_size);
/* Seals and unseals this configuration's tickets with the key set at
 * keys (keys_size bytes, from ferrotls_server_config_get_ticket_keys),
 * for its connections already running and those to come.
 * FERROTLS_E_INVALID_SESSION_DATA for bytes that are not such a set, and
 * nothing changes. Servers sharing keys should rotate them in one place
 * and pass the set on within the rotation period (12 hours), or each
 * rotates to a key of its own. */
int ferrotls_server_config_set_ticket_keys(ferrotls_server_config *config,
                                           const void *keys, size_t keys_size);
/* Makes a new current ticket key now: the current one becomes the
 * previous, which still unseals, and the previous one is forgotten, so
 * the tickets it sealed no longer resume. */
int ferrotls_server_config_rotate_ticket_keys(ferrotls_server_config *config);
/* Asks every client for a certificate chaining to the CA certificates of
 * the PEM file path, naming those CAs in the request. With required
 * non-zero a client that sends none is refused (FERROTLS_E_HANDSHAKE_FAILURE
 * on the server), otherwise it goes on unauthenticated; a chain that does
 * not verify is refused either way. Read the client's chain with
 * ferrotls_conn_get_peer_certificate. path NULL asks for no certificate
 * again; FERROTLS_E_FILE when the file cannot be read or holds no CA. */
int ferrotls_server_config_set_client_ca_file(ferrotls_server_config *config,
                                              const char *path, int required);
/* Lets ferrotls_conn_reauth ask clients for a certificate after a TLS 1.3
 * handshake (post-handshake authentication, RFC 8446 section 4.6.2), and
 * makes a TLS <=1.2 renegotiation (ferrotls_conn_rehandshake) ask for
 * one, chaining to the CA certificates of the PEM file path, naming those
 * CAs in the request; the CRLs of ferrotls_server_config_set_crl_file
 * apply. With required non-zero a client that then sends none is refused
 * (certificate_required, section 4.4.2.4), otherwise it goes on as it
 * was. Independent of ferrotls_server_config_set_client_ca_file, so the
 * handshake can ask for nothing and only a resource that needs a client
 * certificate asks for it, as gnutls_reauth does under the mode of
 * gnutls_certificate_server_set_request. path NULL refuses
 * ferrotls_conn_reauth again, and a renegotiation asks as the handshake
 * does; FERROTLS_E_FILE when the file cannot be read or holds no CA. */
int ferrotls_server_config_set_post_handshake_ca_file(ferrotls_server_config *config,
                                                      const char *path,
                                                      int required);
/* As ferrotls_server_config_set_post_handshake_ca_file, but accepting only
 * the public keys of the file path (as
 * ferrotls_server_config_set_client_pinned_keys_file takes them for the
 * handshake): a certificate whose key is one of them, its other contents
 * not looked at; path NULL refuses ferrotls_conn_reauth again. */
int ferrotls_server_config_set_post_handshake_pinned_keys_file(ferrotls_server_config *config,
                                                               const char *path,
                                                               int required);
/* As ferrotls_client_config_set_crl_file, for the chains of clients:
 * they are checked once ferrotls_server_config_set_client_ca_file asks
 * for them. A revoked client certificate is refused
 * (FERROTLS_E_CERTIFICATE_REFUSED on the server). */
int ferrotls_server_config_set_crl_file(ferrotls_server_config *config,
                                        const char *path);
/* As ferrotls_client_config_set_revocation_policy, for the chains of
 * clients. */
int ferrotls_server_config_set_revocation_policy(ferrotls_server_config *config,
                                                 int policy);
/* Accepts and signs with only the signature schemes named in list, in
 * the server's order of preference (names as for
 * ferrotls_client_config_set_signature_schemes): each certificate signs
 * with the first of them its key can make that the client offers, a
 * client whose offer has none of them gets no signature from it (with
 * one certificate, the handshake fails), and a client certificate's
 * signature must use one of them. */
int ferrotls_server_config_set_signature_schemes(ferrotls_server_config *config,
                                                 const char *list);
/* Asks every client for a certificate, as
 * ferrotls_server_config_set_client_ca_file does, but accepts only the
 * public keys of the file path (as
 * ferrotls_client_config_set_pinned_keys_file takes them): sent raw (RFC
 * 7250), which the request asks for first (client_certificate_type, RFC
 * 7250 section 4.2), or in an X.509 certificate whose other contents are
 * not looked at. It replaces the CA file of
 * ferrotls_server_config_set_client_ca_file, which replaces it; path NULL
 * asks for no certificate again. Another key is refused
 * (FERROTLS_E_CERTIFICATE_REFUSED on the server, "key not pinned"). */
int ferrotls_server_config_set_client_pinned_keys_file(ferrotls_server_config *config,
                                                       const char *path,
                                                       int required);
/* As ferrotls_server_config_set_client_pinned_keys_file, accepting the
 * keys whose SHA-256 (of the DER SubjectPublicKeyInfo) are the count
 * 32-byte hashes at hashes, as ferrotls_client_config_set_pinned_key_hashes
 * takes them; FERROTLS_E_INVALID_REQUEST for a count of 0 or NULL
 * hashes. */
int ferrotls_server_config_set_client_pinned_key_hashes(ferrotls_server_config *config,
                                                        const void *hashes,
                                                        size_t count, int required);
/* Sends the key of the certificate chosen alone, as a raw public key (RFC
 * 7250), to clients that list that type first in their
 * server_certificate_type (non-zero), or always the chain (0, the
 * default), as a GnuTLS server given an X.509 and a raw-key credential
 * for one key chooses. Keys set without a chain
 * (ferrotls_server_config_new_rawpk) always go raw. */
int ferrotls_server_config_set_rawpk(ferrotls_server_config *config,
                                     int enabled);
/* TLS <=1.2 secure renegotiation (RFC 5746) on (non-zero) or off (0, the
 * default): on, a client's ClientHello after the handshake starts a new
 * one, and ferrotls_conn_rehandshake may ask for one, only with a client
 * that signalled secure renegotiation (RFC 5746 section 4.3) and at most
 * 4 times per connection; off, a client's attempt is refused with a
 * no_renegotiation warning and the connection goes on. Once a
 * renegotiation completes, the connection's parameters, peer
 * certificates and session ID are the new handshake's
 * (ferrotls_conn_renegotiations counts them). GnuTLS servers allow it by
 * default (%SAFE_RENEGOTIATION). */
int ferrotls_server_config_set_renegotiation(ferrotls_server_config *config,
                                             int enabled);
/* Frees the configuration; connections made from it keep working. */
void ferrotls_server_config_free(ferrotls_server_config *config);

/* ---- A server session cache kept by the application ----------------- */

/*
 * A server keeps the sessions it may resume in a cache: by default one in
 * memory per configuration, for TLS <=1.2 sessions by ID (TLS 1.3 tickets
 * are then sealed, stateless). ferrotls_server_config_set_session_cache
 * hands the cache to the application instead, as GnuTLS's
 * gnutls_db_set_store_function, gnutls_db_set_retrieve_function,
 * gnutls_db_set_remove_function and gnutls_db_set_ptr do, so that several
 * processes or hosts can share one (shared memory, memcached, a
 * database). It then holds TLS <=1.2 sessions by session ID and TLS 1.3
 * tickets, which become stateful: each ticket is a random name for a
 * value in the cache, taken out when it is used, so it resumes at most
 * once (RFC 8446 section 8.1).
 *
 * Keys and values. Keys are opaque bytes: ferrotls stores under keys of
 * 33 bytes today, but looks up what clients offer, 2 to 65536 bytes, so
 * compare them byte for byte, whole, and expect any length. Values are
 * ferrotls's versioned session format, at most
 * FERROTLS_CACHE_MAX_DATA_SIZE bytes; they hold the session's secret
 * (the master secret or resumption PSK) in clear, so keep them as such.
 * They are not authenticated (their checksum only catches damage): a
 * value that decodes is resumed, so whoever can write to the cache can
 * make sessions the server accepts, with any client identity. Only the
 * servers should be able to read or write it.
 * The key and data pointers ferrotls passes are valid only during the
 * call: copy what you keep.
 *
 * Buffers. ferrotls owns every buffer: store reads from ferrotls's, and
 * retrieve and take write into a buffer ferrotls lends, under this
 * header's size convention (*data_size: capacity in, length out). Nothing
 * is allocated by one side and freed by the other (no allocator has to be
 * shared with the library), and ferrotls wipes the buffer after reading
 * the secret out of it. The first buffer holds a few KiB, enough for any
 * session without client certificates; for a longer value the callback
 * sets *data_size to its length and returns
 * FERROTLS_E_SHORT_MEMORY_BUFFER, and ferrotls calls once more with a
 * buffer that large (up to FERROTLS_CACHE_MAX_DATA_SIZE).
 *
 * Failures are misses. A store that fails leaves the session not
 * resumable; a retrieve that fails, or returns a value that does not
 * decode (corrupted, truncated, another format) or has expired, means a
 * full handshake. None of them fails a connection. Values read back are
 * untrusted: ferrotls reads no more than it lent and checks everything.
 *
 * Threads. Connections run on the threads that call ferrotls_conn_*, so
 * the callbacks may be called from any thread, concurrently: they must
 * do their own locking. They must not block for long (a handshake waits
 * for them) and must not call ferrotls functions on the same
 * configuration.
 *
 * Single use. ferrotls uses a TLS 1.3 ticket once: it retrieves the value
 * to check the client's binder, and only then takes it. Without a take
 * callback, a take is a retrieve followed by a remove, and the ticket is
 * refused (full handshake) if the remove fails; but two connections, in
 * two threads or on two hosts, can both retrieve the value before either
 * removes it, and both resume. A cache shared across a fleet, or used for
 * 0-RTT, needs an atomic take callback (GETDEL in Redis, DELETE ...
 * RETURNING in SQL, a retrieve and remove under one lock in memory).
 */

/* The longest value ferrotls stores or reads back: a session whose client
 * certificate chain fills the 64 KiB bound on a Certificate message, plus
 * 4 KiB for its other fields. A longer session is not stored. */
#define FERROTLS_CACHE_MAX_DATA_SIZE 69632

/* Keeps the data_size bytes at data under the key_size bytes at key,
 * replacing any value there, until expires (seconds since the Unix
 * epoch; after that ferrotls refuses the value, so it may be dropped,
 * for instance as a time-to-live). Returns 0 when stored, anything else
 * when not. */
typedef int (*ferrotls_cache_store_fn)(void *user, const void *key,
                                       size_t key_size, const void *data,
                                       size_t data_size, uint64_t expires);
/* Copies the value under key to data, whose capacity is *data_size, sets
 * *data_size to its length and returns 0, leaving the value in the
 * cache. A value longer than the capacity: *data_size set to its length,
 * data untouched, FERROTLS_E_SHORT_MEMORY_BUFFER. Anything else (say -1)
 * is a miss. */
typedef int (*ferrotls_cache_retrieve_fn)(void *user, const void *key,
                                          size_t key_size, void *data,
                                          size_t *data_size);
/* Removes the value under key. Returns 0 when no value is left under it
 * (removed, or there was none), anything else when one may be. */
typedef int (*ferrotls_cache_remove_fn)(void *user, const void *key,
                                        size_t key_size);
/* As ferrotls_cache_retrieve_fn, and removes the value it returns, in one
 * atomic step: of two calls for one key, at most one returns the value.
 * On FERROTLS_E_SHORT_MEMORY_BUFFER it leaves the value in place. */
typedef int (*ferrotls_cache_take_fn)(void *user, const void *key,
                                      size_t key_size, void *data,
                                      size_t *data_size);

/* Keeps the sessions of config's connections in the application's cache
 * (see above). store, retrieve and remove are required and take is
 * optional (NULL: a retrieve then a remove); user is passed to each
 * callback and must stay valid, and the callbacks callable, until config
 * and every connection made from it are freed. All four NULL go back to
 * the in-memory cache; some NULL and some not give
 * FERROTLS_E_INVALID_REQUEST. Connections made before keep their cache. */
int ferrotls_server_config_set_session_cache(
    ferrotls_server_config *config, ferrotls_cache_store_fn store,
    ferrotls_cache_retrieve_fn retrieve, ferrotls_cache_remove_fn remove,
    ferrotls_cache_take_fn take, void *user);

/* ---- Connections --------------------------------------------------- */

typedef struct ferrotls_conn ferrotls_conn;

/* Reads up to len bytes into buf; returns how many, 0 at the end of the
 * stream, or -1 on failure with errno set: EAGAIN or EWOULDBLOCK when it
 * would block (the call then returns FERROTLS_E_AGAIN), EINTR to be called
 * again at once, anything else a transport failure (FERROTLS_E_IO). It
 * may block instead. As read(2) on a socket behaves. */
typedef ssize_t (*ferrotls_pull_fn)(void *user, void *buf, size_t len);
/* Writes up to len bytes from buf; returns how many (at least 1), or -1
 * on failure with errno as for ferrotls_pull_fn. As write(2) behaves. */
typedef ssize_t (*ferrotls_push_fn)(void *user, const void *buf, size_t len);

/* A client connection with the settings config has now. The ClientHello
 * is built at the first handshake, send or receive, so
 * ferrotls_session_set_data may come first. */
int ferrotls_conn_new_client(ferrotls_conn **conn,
                             const ferrotls_client_config *config);
/* A server connection with the settings config has now. */
int ferrotls_conn_new_server(ferrotls_conn **conn,
                             const ferrotls_server_config *config);
/* Carries the connection over fd (a connected stream socket). The caller
 * keeps owning fd and keeps it open until the connection is freed;
 * ferrotls never closes it. Writes use write(2): a program that must
 * survive a vanished peer ignores SIGPIPE. On a descriptor set O_NONBLOCK,
 * calls return FERROTLS_E_AGAIN where they would block. */
int ferrotls_conn_set_fd(ferrotls_conn *conn, int fd);
/* Carries the connection over two callbacks, each given user. */
int ferrotls_conn_set_callbacks(ferrotls_conn *conn, ferrotls_pull_fn pull,
                                ferrotls_push_fn push, void *user);
/* Runs the handshake until data may be sent (or returns FERROTLS_E_AGAIN:
 * call it again): to its end, but for a TLS 1.2 client with False Start on
 * only through its Finished when a False Start is allowed, and for a TLS
 * 1.3 server with half-RTT data on only through its Finished, as
 * gnutls_handshake returns under GNUTLS_ENABLE_FALSE_START and
 * GNUTLS_ENABLE_EARLY_START (ferrotls_conn_handshake_complete tells which;
 * the rest runs in the next receive). On failure the alert due has been
 * sent and every later call fails the same way. */
int ferrotls_conn_handshake(ferrotls_conn *conn);
/* 1 once the handshake has completed, 0 while it runs (before it starts,
 * and where ferrotls_conn_handshake returned at a False Start or for
 * half-RTT data) and after a failure; FERROTLS_E_INVALID_REQUEST for a
 * NULL conn. */
int ferrotls_conn_handshake_complete(const ferrotls_conn *conn);
/* Sends data (finishing the handshake first if needed, or in a TLS 1.2
 * False Start as far as the client's Finished); returns how many
 * bytes were taken (at least 1 if len > 0) or a negative code;
 * FERROTLS_E_AGAIN means none was taken. Taken bytes the transport would
 * not take yet are sent by the next call (or ferrotls_conn_flush). */
ssize_t ferrotls_conn_send(ferrotls_conn *conn, const void *data, size_t len);
/* Queues len bytes of data as 0-RTT data (RFC 8446 section 4.2.10), sent
 * with the ClientHello: for a client with early data on, resuming a TLS
 * 1.3 session whose ticket allows it, until the server's answer is read
 * (before ferrotls_conn_handshake, or between its FERROTLS_E_AGAIN
 * returns); otherwise FERROTLS_E_INVALID_REQUEST. Returns how many bytes
 * were taken (at most the ticket's limit in all). If the server rejects
 * them (ferrotls_conn_early_data_status) they were not delivered: send
 * them again with ferrotls_conn_send. 0-RTT data can be replayed by an
 * attacker (RFC 8446 section 8): send only what is safe to repeat. */
ssize_t ferrotls_conn_write_early_data(ferrotls_conn *conn, const void *data,
                                       size_t len);
/* Receives data into buf, blocking until some arrives; returns how many
 * bytes, 0 once the peer sent close_notify, or a negative code. A TLS 1.3
 * client receives its session tickets here, with the server's data. */
ssize_t ferrotls_conn_recv(ferrotls_conn *conn, void *buf, size_t len);
/* Sends close_notify; receiving stays possible. */
int ferrotls_conn_close(ferrotls_conn *conn);
/* Sends what is queued: 0 once all is sent, or FERROTLS_E_AGAIN. */
int ferrotls_conn_flush(ferrotls_conn *conn);
/* 1 if records wait to be sent, else 0: after FERROTLS_E_AGAIN, wait for
 * the transport to be writable (1) or readable (0). */
int ferrotls_conn_wants_write(const ferrotls_conn *conn);
/* A flag of ferrotls_conn_update_key (GNUTLS_KU_PEER's value): ask the
 * peer to update its keys too. */
#define FERROTLS_KU_PEER 1
/* Updates the keys this side sends under (TLS 1.3, RFC 8446 section
 * 4.6.3), as gnutls_session_key_update: sends a KeyUpdate, and what
 * follows is protected under the next traffic secret. flags 0, or
 * FERROTLS_KU_PEER to ask the peer to update its own too (it does in
 * answer, before its next data; the next receive reads its KeyUpdate).
 * A peer's request is answered the same way, without a call. The
 * KeyUpdate goes at once or, when the transport would block, waits in
 * the queue for the next call or ferrotls_conn_flush
 * (ferrotls_conn_wants_write says 1): it is never sent twice, so the
 * call is not repeated. FERROTLS_E_INVALID_REQUEST for a NULL conn,
 * another flag, before the handshake has completed, under TLS 1.2 or
 * earlier (which have no KeyUpdate), and after 2^48 - 1 updates; the
 * connection's error if it has failed. */
int ferrotls_conn_update_key(ferrotls_conn *conn, int flags);
/* Server: asks the client for a certificate after a TLS 1.3 handshake
 * (post-handshake authentication, RFC 8446 section 4.6.2), as
 * gnutls_reauth: sends a CertificateRequest, asking as
 * ferrotls_server_config_set_post_handshake_ca_file says, then reads
 * until the client's answer has been received and checked. Returns 0
 * then: a certificate that passed is the peer's
 * (ferrotls_conn_get_peer_certificate), and an optional one not sent
 * leaves the peer's as they were. The client's application data that
 * comes first is kept for ferrotls_conn_recv;
 * FERROTLS_E_GOT_APPLICATION_DATA when it fills the receive buffer, and
 * FERROTLS_E_AGAIN when the transport would block: call again (after
 * receiving the data), which waits for the same answer and sends no
 * second request. FERROTLS_E_PREMATURE_EOF when the client closed first.
 * A chain that does not pass, or none when one is required, ends the
 * connection (FERROTLS_E_CERTIFICATE_REFUSED, FERROTLS_E_HANDSHAKE_FAILURE;
 * the alert has been sent). FERROTLS_E_INVALID_REQUEST, with nothing sent,
 * for a NULL conn, a client, a server without a transport or before its
 * handshake has completed, under TLS 1.2 or earlier (which have no such
 * message: see ferrotls_conn_rehandshake), when the client did not offer
 * post-handshake authentication
 * (ferrotls_client_config_set_post_handshake_auth), and when no CA file
 * was set for it. */
int ferrotls_conn_reauth(ferrotls_conn *conn);
/* Server: asks the client to renegotiate after a TLS 1.0-1.2 handshake
 * (secure renegotiation, RFC 5746), as gnutls_rehandshake and the
 * gnutls_handshake after it: sends a HelloRequest (RFC 5246 section
 * 7.4.1.1), then reads until the client has answered, with a new full
 * handshake under the current keys, which asks for a client certificate
 * as ferrotls_server_config_set_post_handshake_ca_file says (as the first
 * handshake did without it), or with a refusal (a no_renegotiation
 * warning), after which the connection goes on as it was. Returns 0
 * either way: ferrotls_conn_renegotiations counts one more after a
 * renegotiation, whose peer certificates and session ID are then the
 * connection's. Application data, FERROTLS_E_AGAIN, the client closing
 * and a refused certificate as for ferrotls_conn_reauth; a client that
 * ignores the request leaves the call waiting, as GnuTLS's does.
 * FERROTLS_E_INVALID_REQUEST, with nothing sent, for a NULL conn, a
 * client, a server without a transport or before its handshake has
 * completed, under TLS 1.3 (which has no renegotiation: see
 * ferrotls_conn_reauth), when renegotiation is off
 * (ferrotls_server_config_set_renegotiation), when the client did not
 * signal secure renegotiation, and after 4 renegotiations. */
int ferrotls_conn_rehandshake(ferrotls_conn *conn);
/* Frees the connection without sending anything. */
void ferrotls_conn_free(ferrotls_conn *conn);

/* ---- What a connection negotiated, and why it failed ---------------- */

/* The protocol version, a FERROTLS_TLS1_* value; 0 until the ServerHello
 * settles it. */
int ferrotls_conn_protocol_version(const ferrotls_conn *conn);
/* The cipher suite's IANA name ("TLS_AES_128_GCM_SHA256"); static. NULL
 * until the ServerHello settles it, or for a NULL conn. */
const char *ferrotls_conn_cipher_suite(const ferrotls_conn *conn);
/* The key-exchange group's IANA name ("x25519", "X25519MLKEM768");
 * static. NULL when none was used (TLS 1.2 resumption, RSA key exchange),
 * until the handshake settles it, or for a NULL conn. */
const char *ferrotls_conn_group(const ferrotls_conn *conn);
/* The IANA name of the signature scheme the peer signed the handshake
 * with ("ecdsa_secp256r1_sha256", "rsa_pss_rsae_sha256"): on a client the
 * server's, as gnutls_sign_algorithm_get tells it, on a server the
 * client's, as gnutls_sign_algorithm_get_client; static. NULL when the
 * peer signed nothing (a resumption, RSA key exchange, a client without a
 * certificate), signed under TLS 1.0/1.1 (whose signatures name no
 * scheme), not yet, or for a NULL conn. */
const char *ferrotls_conn_peer_signature_scheme(const ferrotls_conn *conn);
/* What became of 0-RTT data, on either side: none offered (yet); offered,
 * not yet answered; accepted; rejected (a client's was not delivered). */
#define FERROTLS_EARLY_DATA_NOT_OFFERED 0
#define FERROTLS_EARLY_DATA_OFFERED 1
#define FERROTLS_EARLY_DATA_ACCEPTED 2
#define FERROTLS_EARLY_DATA_REJECTED 3
/* One of the FERROTLS_EARLY_DATA_* values; FERROTLS_E_INVALID_REQUEST for
 * a NULL conn. */
int ferrotls_conn_early_data_status(const ferrotls_conn *conn);
/* Why 0-RTT data was used or not, as this side knows: "accepted",
 * "disabled", "protocol_version", "peer_declined", "no_session_offered",
 * "session_not_resumed", "unsupported_for_session", "alpn_mismatch",
 * "hello_retry_request", "ticket_age_skew" or "replay_protection";
 * static. NULL until the handshake settles it, or for a NULL conn. */
const char *ferrotls_conn_early_data_reason(const ferrotls_conn *conn);
/* The negotiated ALPN protocol (size convention above); its size is 0
 * when none was negotiated. */
int ferrotls_conn_get_alpn(const ferrotls_conn *conn, void *protocol,
                           size_t *size);
/* The DER OCSP response stapled to the server's certificate (size
 * convention above): on a client the one received and accepted (on a
 * resumption, the one kept with the session, as the chain is), on a
 * server the one sent; its size is 0 when none was asked for or
 * stapled. */
int ferrotls_conn_get_ocsp_response(const ferrotls_conn *conn,
                                    void *response, size_t *size);
/* The server name the client asked for (RFC 6066), as it sent it,
 * without a NUL (size convention above); its size is 0 when the client
 * sent none, and on a server before the ClientHello. A server with several
 * certificates (ferrotls_server_config_add_certificate) reads which host
 * the client wants here. */
int ferrotls_conn_get_server_name(const ferrotls_conn *conn, void *name,
                                  size_t *size);
/* How many certificates the peer sent (its chain, leaf first): 0 before
 * its Certificate message or when it sent none. */
int ferrotls_conn_peer_certificate_count(const ferrotls_conn *conn);
/* The peer's certificate number index (0 is the leaf), DER (size
 * convention above); FERROTLS_E_INVALID_REQUEST past the chain. */
int ferrotls_conn_get_peer_certificate(const ferrotls_conn *conn,
                                       size_t index, void *der,
                                       size_t *size);
/* Certificate types (RFC 7250), with the values of GnuTLS's
 * gnutls_certificate_type_t: none sent; an X.509 chain; a raw public
 * key. */
#define FERROTLS_CRT_UNKNOWN 0
#define FERROTLS_CRT_X509 1
#define FERROTLS_CRT_RAWPK 3
/* Whose certificate ferrotls_conn_certificate_type tells, with the values
 * of GnuTLS's gnutls_ctype_target_t. */
#define FERROTLS_CTYPE_CLIENT 0
#define FERROTLS_CTYPE_SERVER 1
/* What the Certificate of the client or the server (target, a
 * FERROTLS_CTYPE_* value) carried, as gnutls_certificate_type_get2:
 * FERROTLS_CRT_X509, or FERROTLS_CRT_RAWPK for a raw public key (RFC
 * 7250), when the peer's "certificate" of
 * ferrotls_conn_get_peer_certificate is its DER SubjectPublicKeyInfo,
 * alone. FERROTLS_CRT_UNKNOWN when that side sent no Certificate (a
 * client not asked or without one, a resumption, not yet).
 * FERROTLS_E_INVALID_REQUEST for a NULL conn or another target. */
int ferrotls_conn_certificate_type(const ferrotls_conn *conn, int target);
/* How many TLS <=1.2 renegotiations (RFC 5746) the connection has
 * accepted, on either side, the one under way included: a server tells
 * from it whether the client renegotiated or refused
 * (ferrotls_conn_rehandshake), and either side that a new handshake
 * replaced the one whose peer certificates and session ID it read. 0
 * under TLS 1.3 and before the handshake. GnuTLS has no such count (its
 * gnutls_handshake reports a refusal as GNUTLS_E_WARNING_ALERT_RECEIVED). */
int ferrotls_conn_renegotiations(const ferrotls_conn *conn);
/* Why the connection failed, one line naming the check: "invalid
 * certificate: unknown issuer", "invalid certificate: name mismatch",
 * "received alert bad_certificate"... Valid until the connection is
 * freed. NULL while it has not failed, when only its transport failed
 * (the call's code says so), or for a NULL conn. */
const char *ferrotls_conn_error_string(const ferrotls_conn *conn);

/* ---- Keying material exporters (RFC 5705, RFC 8446 section 7.5) ----- */

/* Fills the out_len bytes at out with keying material exported under
 * label and context, as the peer exports it (the basis of channel
 * bindings such as RFC 9266 tls-exporter). context == NULL is no context,
 * which TLS <=1.2 tells apart from an empty one (RFC 5705); TLS 1.3 does
 * not. FERROTLS_E_INVALID_REQUEST before the handshake completes, for a
 * NULL conn or out, or for NULL with a length; FERROTLS_E_INTERNAL for a
 * label or length the key derivation cannot take. */
int ferrotls_conn_export_keying_material(const ferrotls_conn *conn,
                                         const void *label, size_t label_len,
                                         const void *context,
                                         size_t context_len, void *out,
                                         size_t out_len);

/* Channel binding types, as GnuTLS's gnutls_channel_binding_t:
 * tls-unique (RFC 5929, TLS <=1.2 only) and tls-exporter (RFC 9266). */
#define FERROTLS_CB_TLS_UNIQUE 0
#define FERROTLS_CB_TLS_EXPORTER 2

/* The channel binding of type cb, as gnutls_session_channel_binding:
 * tls-unique, the first Finished of the latest TLS <=1.2 handshake, or
 * tls-exporter, 32 bytes exported under "EXPORTER-Channel-Binding". Size
 * convention above. Returns 0, FERROTLS_E_SHORT_MEMORY_BUFFER, or
 * FERROTLS_E_INVALID_REQUEST when conn or size is NULL, cb is another
 * type, or the connection has no such binding: before the handshake,
 * tls-unique under TLS 1.3 or after a resumption without the extended
 * master secret, tls-exporter under TLS <=1.2 without it. */
int ferrotls_session_channel_binding(const ferrotls_conn *conn, int cb,
                                     void *out, size_t *size);

/* ---- Sessions (named after GnuTLS where the meaning is the same) ---- */

/* The session identifier, as gnutls_session_get_id (docs/session-ids.md):
 * on a client the ID in this connection's ServerHello; on a server an ID
 * that persists across every resumption of the session; at most 32 bytes,
 * empty before the ServerHello. Size convention above. Returns 0,
 * FERROTLS_E_SHORT_MEMORY_BUFFER, or FERROTLS_E_INVALID_REQUEST when conn
 * or session_id_size is NULL. */
int ferrotls_session_get_id(const ferrotls_conn *conn, void *session_id,
                            size_t *session_id_size);
/* 1 if this connection resumed a session, 0 if not (or not yet). */
int ferrotls_session_is_resumed(const ferrotls_conn *conn);
/* 1 if the secrets are bound to the whole handshake: always in TLS 1.3,
 * with the extended master secret (RFC 7627) in TLS <=1.2; 0 if not (or
 * not yet). As gnutls_session_ext_master_secret_status. */
int ferrotls_session_ext_master_secret_status(const ferrotls_conn *conn);
/* Server: 1 if the client asked to resume (a TLS <=1.2 session ID, or a
 * ticket or PSK that unsealed), else 0. Always 0 on a client. */
int ferrotls_session_resumption_requested(const ferrotls_conn *conn);
/* Client: the newest resumable session this connection received, in
 * ferrotls's versioned format (size convention above). A TLS 1.3 ticket
 * comes after the handshake, with the server's first data.
 * FERROTLS_E_NO_SESSION_DATA if none yet; FERROTLS_E_INVALID_REQUEST on a
 * server or with resumption off. The bytes hold the session's secret:
 * store them as such. */
int ferrotls_session_get_data(const ferrotls_conn *conn, void *data,
                              size_t *data_size);
/* Client, before the handshake: offer the session exported by
 * ferrotls_session_get_data (only to the server name it was made for).
 * Bytes that do not parse, or an expired session, give
 * FERROTLS_E_INVALID_SESSION_DATA and change nothing;
 * FERROTLS_E_INVALID_REQUEST on a server, with resumption off, or after
 * the connection started. The bytes are parsed here, once; a session
 * that expires before the handshake fails it with
 * FERROTLS_E_INVALID_SESSION_DATA. */
int ferrotls_session_set_data(ferrotls_conn *conn, const void *data,
                              size_t data_size);
/* Server: keeps data_size bytes of the application's own with the
 * session this connection makes (its TLS <=1.2 cache entry or ticket, its
 * TLS 1.3 tickets), as OpenSSL's SSL_SESSION_set1_ticket_appdata; a
 * connection that resumes the session reads them with
 * ferrotls_conn_get_resumption_data, and they carry on to the sessions
 * it stores unless it sets its own. Set them before the handshake
 * completes. They never go to the client in clear (tickets are sealed).
 * FERROTLS_E_INVALID_REQUEST for NULL, a client, or more than 4096 bytes
 * (MAX_RESUMPTION_DATA_LEN), keeping what was set. */
int ferrotls_conn_set_resumption_data(ferrotls_conn *conn, const void *data,
                                      size_t data_size);
/* Server: the application's bytes the session this connection resumed
 * carried (size convention above); FERROTLS_E_NO_SESSION_DATA after a
 * full handshake or when the session carried none;
 * FERROTLS_E_INVALID_REQUEST for NULL or a client. */
int ferrotls_conn_get_resumption_data(const ferrotls_conn *conn, void *data,
                                      size_t *data_size);

#ifdef __cplusplus
}
#endif

#endif /* FERROTLS_H */
