/*
 * The C library's connection functions, through ferrotls.h only: a
 * ferrotls client and server in one process over a socketpair (the server
 * in a thread, both on the descriptors).
 *
 *  - the library's version string;
 *  - what a handshake negotiated: version, cipher suite, group, ALPN, the
 *    peer's chain (DER, by index, with the size convention), before and
 *    after the handshake;
 *  - error strings naming the reason a certificate was refused (unknown
 *    issuer, name mismatch) on both sides;
 *  - client authentication: the client's chain reaches the server, a
 *    server that requires one refuses a client without it, and one under
 *    another CA is refused;
 *  - the system trust roots: they load, and they do not trust the test CA;
 *  - key logging: both sides log the same secrets, and stop when told;
 *  - OCSP stapling: a server's response reaches a client that asks for it,
 *    also on resumption, and a client that requires one refuses a server
 *    without it;
 *  - non-blocking I/O: both sides in this one thread over a socketpair set
 *    O_NONBLOCK (the client through push/pull callbacks, the server on the
 *    descriptor), driven by a poll loop through the handshake, 1 MiB of
 *    data and the close; and a callback failing with another errno;
 *  - KeyUpdate (TLS 1.3): the record the call sends, the peer's answer
 *    when asked for, data both ways afterwards; refused in TLS 1.2;
 *  - post-handshake client authentication (TLS 1.3): the server asks for
 *    the client's certificate once the handshake is done, also after
 *    more data than it buffers and without blocking; refused in TLS 1.2;
 *  - secure renegotiation (TLS 1.2): a server-initiated one gets the
 *    client's certificate, or the client refuses; refused in TLS 1.3;
 *  - raw public keys (RFC 7250): each side's key alone, pinned by the
 *    other, and the certificate type each side tells;
 *  - CRLs: revoked server and client certificates refused, hard-fail;
 *  - signature schemes by name: what each side's list makes the peer
 *    sign with, and no scheme in common;
 *  - client certificates chosen when the server asks, among several, by
 *    the library or by a callback that sees what the request said, in
 *    the handshake and after it.
 *
 * Usage: conn_test VECTORS_PKI_DIR 1.2|1.3 VERSION EXPORT_DIR (the
 * package version ferrotls_version must report, and a directory holding
 * the public keys of vectors/pki's p256-leaf.key and p384-leaf.key as
 * openssl pkey -pubout writes them, NAME.pub.pem and, with -outform DER,
 * NAME.spki.der, and its certificates p256-leaf.pem, p384-leaf.pem and
 * p384-root.pem as openssl x509 -outform DER writes them, NAME.der).
 * Prints one line per check group and "ALL OK" at the end; exits 1 on the
 * first failure.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferrotls.h"

#include "check.h"

/* The one version every configuration enables. */
static uint16_t version;
static const char *pki;
/* The directory of what openssl exported of vectors/pki: the public keys
 * of its keys as openssl pkey -pubout writes them, NAME.pub.pem, and
 * NAME.spki.der in DER; certificates as DER, NAME.der. */
static const char *exports;

/* Client offers h2 after http/1.1; the server prefers h2. */
static const char client_alpn[] = "\x08http/1.1\x02h2";
static const char server_alpn[] = "\x02h2";

static void pki_path(char *out, size_t size, const char *file)
{
    snprintf(out, size, "%s/%s", pki, file);
}

/* The server side of one connection: its handshake's code, and the
 * connection, kept for the caller's checks. */
struct server_run {
    ferrotls_server_config *config;
    int fd;
    int rc;
    ferrotls_conn *conn;
};

static void *serve(void *arg)
{
    struct server_run *run = arg;

    CHECK_RC(ferrotls_conn_new_server(&run->conn, run->config), 0);
    CHECK_RC(ferrotls_conn_set_fd(run->conn, run->fd), 0);
    run->rc = ferrotls_conn_handshake(run->conn);
    return NULL;
}

/* The records in a byte stream, as they pass: a TLS record is a 5-byte
 * header whose last two bytes are the length of what follows. */
struct record_meter {
    unsigned char header[5];
    size_t have;    /* header bytes seen of the next record */
    size_t left;    /* bytes of the current record still to come */
    size_t largest; /* the longest record (its length field) */
    size_t records;
};

static void meter(struct record_meter *m, const unsigned char *p, size_t n)
{
    while (n > 0) {
        if (m->left > 0) {
            size_t k = n < m->left ? n : m->left;
            m->left -= k;
            p += k;
            n -= k;
            continue;
        }
        m->header[m->have++] = *p++;
        n--;
        if (m->have == sizeof m->header) {
            m->left = ((size_t)m->header[3] << 8) | m->header[4];
            if (m->left > m->largest)
                m->largest = m->left;
            m->records++;
            m->have = 0;
        }
    }
}

/* A client's descriptor through callbacks that watch its bytes: the
 * records each way, metered, and its first flight, kept (every byte
 * pushed before the first byte of an answer was pulled). */
struct tap {
    int fd;
    struct record_meter sent, received;
    int answered;
    size_t flight_len;
    unsigned char flight[16384];
};

static ssize_t tap_pull(void *user, void *buf, size_t len)
{
    struct tap *t = user;
    ssize_t n = read(t->fd, buf, len);
    if (n > 0) {
        meter(&t->received, buf, (size_t)n);
        t->answered = 1;
    }
    return n;
}

static ssize_t tap_push(void *user, const void *buf, size_t len)
{
    struct tap *t = user;
    ssize_t n = write(t->fd, buf, len);
    if (n > 0) {
        meter(&t->sent, buf, (size_t)n);
        if (!t->answered) {
            CHECK((size_t)n <= sizeof t->flight - t->flight_len);
            memcpy(t->flight + t->flight_len, buf, (size_t)n);
            t->flight_len += (size_t)n;
        }
    }
    return n;
}

/* One handshake between `client` (a fresh connection of `config`) and a
 * server of `server_config`, each on its end of a socketpair. The client
 * is first handed the `session_len` bytes of session data at `session`
 * (none for NULL), and runs over `tap` (zeroed here) when it is not
 * NULL, else on its descriptor; it then queues the `early_len` bytes at
 * `early` as 0-RTT data (none for NULL; the call must take them all).
 * Returns the client's code; *conn and srv hold both connections for the
 * checks. */
static int handshake_pair_with(ferrotls_client_config *config,
                               ferrotls_server_config *server_config,
                               const unsigned char *session, size_t session_len,
                               struct tap *tap, const char *early,
                               size_t early_len, ferrotls_conn **conn,
                               struct server_run *srv, int sv[2])
{
    pthread_t thread;
    int rc;

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    memset(srv, 0, sizeof *srv);
    srv->config = server_config;
    srv->fd = sv[1];
    CHECK(pthread_create(&thread, NULL, serve, srv) == 0);
    CHECK_RC(ferrotls_conn_new_client(conn, config), 0);
    if (session != NULL)
        CHECK_RC(ferrotls_session_set_data(*conn, session, session_len), 0);
    if (tap != NULL) {
        memset(tap, 0, sizeof *tap);
        tap->fd = sv[0];
        CHECK_RC(ferrotls_conn_set_callbacks(*conn, tap_pull, tap_push, tap), 0);
    } else {
        CHECK_RC(ferrotls_conn_set_fd(*conn, sv[0]), 0);
    }
    if (early != NULL) {
        CHECK_RC(ferrotls_conn_write_early_data(*conn, early, early_len), early_len);
        CHECK_RC(ferrotls_conn_early_data_status(*conn), FERROTLS_EARLY_DATA_OFFERED);
    }
    rc = ferrotls_conn_handshake(*conn);
    if (rc != 0)
        /* The server waits for more: closing our end ends its wait. */
        shutdown(sv[0], SHUT_RDWR);
    CHECK(pthread_join(thread, NULL) == 0);
    return rc;
}

/* As handshake_pair_with, on the descriptor, without 0-RTT data. */
static int handshake_pair(ferrotls_client_config *config,
                          ferrotls_server_config *server_config,
                          ferrotls_conn **conn, struct server_run *srv,
                          int sv[2])
{
    return handshake_pair_with(config, server_config, NULL, 0, NULL, NULL, 0, conn, srv, sv);
}

/* Frees both connections of a pair and closes their socketpair. */
static void free_pair(ferrotls_conn *client, ferrotls_conn *server, int sv[2])
{
    ferrotls_conn_free(client);
    ferrotls_conn_free(server);
    close(sv[0]);
    close(sv[1]);
}

static void close_pair(ferrotls_conn *conn, struct server_run *srv, int sv[2])
{
    free_pair(conn, srv->conn, sv);
}

static ferrotls_client_config *client_config(const char *ca, const char *name)
{
    ferrotls_client_config *config = NULL;
    char path[4096];

    CHECK_RC(ferrotls_client_config_new(&config), 0);
    if (ca != NULL) {
        pki_path(path, sizeof path, ca);
        CHECK_RC(ferrotls_client_config_set_ca_file(config, path), 0);
    } else {
        CHECK_RC(ferrotls_client_config_use_system_roots(config), 0);
    }
    CHECK_RC(ferrotls_client_config_set_server_name(config, name), 0);
    CHECK_RC(ferrotls_client_config_set_versions(config, version, version), 0);
    return config;
}

/* A server of the P-256 test chain, of the one version. */
static ferrotls_server_config *server_config(void)
{
    ferrotls_server_config *server = NULL;
    char cert[4096], key[4096];

    pki_path(cert, sizeof cert, "p256-chain.pem");
    pki_path(key, sizeof key, "p256-leaf.key");
    CHECK_RC(ferrotls_server_config_new(&server, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(server, version, version), 0);
    return server;
}

/* The DER length of a certificate from its SEQUENCE header (30 82 hi lo:
 * every test certificate is between 256 and 65535 bytes long). */
static size_t der_length(const unsigned char *der)
{
    CHECK(der[0] == 0x30 && der[1] == 0x82);
    return 4 + ((size_t)der[2] << 8 | der[3]);
}

/* Keying material (RFC 5705, RFC 8446 section 7.5): both sides of an
 * established connection export the same bytes; the label and the context
 * change them; no context and an empty one differ in TLS 1.2 only. */
static void check_exporter(ferrotls_conn *client, ferrotls_conn *server)
{
    unsigned char a[32], b[32], other[32];
    size_t size;

    CHECK_RC(ferrotls_conn_export_keying_material(client, "EXPERIMENTAL one", 16,
                                                  "ctx", 3, a, sizeof a), 0);
    CHECK_RC(ferrotls_conn_export_keying_material(server, "EXPERIMENTAL one", 16,
                                                  "ctx", 3, b, sizeof b), 0);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK_RC(ferrotls_conn_export_keying_material(client, "EXPERIMENTAL two", 16,
                                                  "ctx", 3, other, sizeof other), 0);
    CHECK(memcmp(a, other, sizeof a) != 0);
    CHECK_RC(ferrotls_conn_export_keying_material(client, "EXPERIMENTAL one", 16,
                                                  "cty", 3, other, sizeof other), 0);
    CHECK(memcmp(a, other, sizeof a) != 0);
    CHECK_RC(ferrotls_conn_export_keying_material(client, "EXPERIMENTAL one", 16,
                                                  NULL, 0, a, sizeof a), 0);
    CHECK_RC(ferrotls_conn_export_keying_material(client, "EXPERIMENTAL one", 16,
                                                  "", 0, b, sizeof b), 0);
    CHECK((memcmp(a, b, sizeof a) == 0) == (version == FERROTLS_TLS1_3));
    CHECK_RC(ferrotls_conn_export_keying_material(NULL, "EXPERIMENTAL", 12, NULL, 0,
                                                  a, sizeof a),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_export_keying_material(client, NULL, 12, NULL, 0,
                                                  a, sizeof a),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_export_keying_material(client, "EXPERIMENTAL", 12, NULL, 3,
                                                  a, sizeof a),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_export_keying_material(client, "EXPERIMENTAL", 12, NULL, 0,
                                                  NULL, sizeof a),
             FERROTLS_E_INVALID_REQUEST);
    /* Channel bindings: both sides agree; tls-unique is TLS <=1.2's. */
    size = sizeof a;
    CHECK_RC(ferrotls_session_channel_binding(client, FERROTLS_CB_TLS_EXPORTER, a, &size), 0);
    CHECK(size == 32);
    CHECK_RC(ferrotls_conn_export_keying_material(client, "EXPORTER-Channel-Binding", 24,
                                                  NULL, 0, other, sizeof other), 0);
    CHECK(memcmp(a, other, 32) == 0);
    size = sizeof b;
    CHECK_RC(ferrotls_session_channel_binding(server, FERROTLS_CB_TLS_EXPORTER, b, &size), 0);
    CHECK(size == 32 && memcmp(a, b, 32) == 0);
    size = sizeof a;
    if (version == FERROTLS_TLS1_3) {
        CHECK_RC(ferrotls_session_channel_binding(client, FERROTLS_CB_TLS_UNIQUE, a, &size),
                 FERROTLS_E_INVALID_REQUEST);
    } else {
        CHECK_RC(ferrotls_session_channel_binding(client, FERROTLS_CB_TLS_UNIQUE, a, &size), 0);
        CHECK(size == 12);
        size = 4;
        CHECK_RC(ferrotls_session_channel_binding(server, FERROTLS_CB_TLS_UNIQUE, b, &size),
                 FERROTLS_E_SHORT_MEMORY_BUFFER);
        CHECK(size == 12);
        CHECK_RC(ferrotls_session_channel_binding(server, FERROTLS_CB_TLS_UNIQUE, b, &size), 0);
        CHECK(memcmp(a, b, 12) == 0);
    }
    size = sizeof a;
    CHECK_RC(ferrotls_session_channel_binding(client, 1, a, &size), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_session_channel_binding(client, FERROTLS_CB_TLS_EXPORTER, a, NULL),
             FERROTLS_E_INVALID_REQUEST);
    printf("exporter and channel bindings: both sides agree, label and context matter, "
           "bad arguments: ok\n");
}

static void check_negotiated(ferrotls_server_config *server)
{
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    unsigned char buf[8192], small[4];
    size_t size;
    int sv[2], count, i;

    CHECK_RC(ferrotls_client_config_set_alpn(config, client_alpn,
                                             sizeof client_alpn - 1), 0);
    /* An empty name, a name cut short, NULL with a length. */
    CHECK_RC(ferrotls_client_config_set_alpn(config, "\x00", 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_alpn(config, "\x03h2", 3),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_alpn(config, NULL, 3),
             FERROTLS_E_INVALID_REQUEST);

    /* Before the handshake: nothing negotiated, no error. */
    CHECK_RC(ferrotls_conn_new_client(&conn, config), 0);
    CHECK_RC(ferrotls_conn_protocol_version(conn), 0);
    CHECK(ferrotls_conn_cipher_suite(conn) == NULL);
    CHECK(ferrotls_conn_group(conn) == NULL);
    size = sizeof buf;
    CHECK_RC(ferrotls_conn_get_alpn(conn, buf, &size), 0);
    CHECK(size == 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(conn), 0);
    size = sizeof buf;
    CHECK_RC(ferrotls_conn_get_peer_certificate(conn, 0, buf, &size),
             FERROTLS_E_INVALID_REQUEST);
    CHECK(ferrotls_conn_error_string(conn) == NULL);
    CHECK_RC(ferrotls_conn_export_keying_material(conn, "EXPERIMENTAL", 12, NULL, 0,
                                                  buf, 32),
             FERROTLS_E_INVALID_REQUEST);
    ferrotls_conn_free(conn);
    conn = NULL;
    /* NULL connections. */
    CHECK_RC(ferrotls_conn_protocol_version(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK(ferrotls_conn_cipher_suite(NULL) == NULL);
    CHECK(ferrotls_conn_group(NULL) == NULL);
    CHECK(ferrotls_conn_error_string(NULL) == NULL);
    CHECK_RC(ferrotls_conn_peer_certificate_count(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_get_alpn(NULL, buf, &size), FERROTLS_E_INVALID_REQUEST);

    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);

    /* Both sides agree on version, suite, group and ALPN. */
    CHECK_RC(ferrotls_conn_protocol_version(conn), version);
    CHECK_RC(ferrotls_conn_protocol_version(srv.conn), version);
    if (version == FERROTLS_TLS1_3) {
        CHECK(strcmp(ferrotls_conn_cipher_suite(conn), "TLS_AES_128_GCM_SHA256") == 0);
        CHECK(strcmp(ferrotls_conn_group(conn), "X25519MLKEM768") == 0);
    } else {
        CHECK(strcmp(ferrotls_conn_cipher_suite(conn),
                     "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256") == 0);
        CHECK(strcmp(ferrotls_conn_group(conn), "x25519") == 0);
    }
    CHECK(strcmp(ferrotls_conn_cipher_suite(conn),
                 ferrotls_conn_cipher_suite(srv.conn)) == 0);
    CHECK(strcmp(ferrotls_conn_group(conn), ferrotls_conn_group(srv.conn)) == 0);
    size = 0;
    CHECK_RC(ferrotls_conn_get_alpn(conn, NULL, &size), 0);
    CHECK(size == 2);
    size = 1;
    CHECK_RC(ferrotls_conn_get_alpn(conn, buf, &size),
             FERROTLS_E_SHORT_MEMORY_BUFFER);
    CHECK(size == 2);
    CHECK_RC(ferrotls_conn_get_alpn(conn, buf, &size), 0);
    CHECK(size == 2 && memcmp(buf, "h2", 2) == 0);
    size = sizeof buf;
    CHECK_RC(ferrotls_conn_get_alpn(srv.conn, buf, &size), 0);
    CHECK(size == 2 && memcmp(buf, "h2", 2) == 0);
    printf("negotiated: version, cipher suite, group, ALPN: ok\n");

    check_exporter(conn, srv.conn);

    /* The server's chain (leaf and intermediate of p256-chain.pem), each a
     * whole DER certificate; the client sent none. */
    count = ferrotls_conn_peer_certificate_count(conn);
    CHECK_RC(count, 2);
    for (i = 0; i < count; i++) {
        size = 0;
        CHECK_RC(ferrotls_conn_get_peer_certificate(conn, (size_t)i, NULL, &size), 0);
        CHECK(size > 4 && size <= sizeof buf);
        memset(small, 0xAA, sizeof small);
        size = sizeof small;
        CHECK_RC(ferrotls_conn_get_peer_certificate(conn, (size_t)i, small, &size),
                 FERROTLS_E_SHORT_MEMORY_BUFFER);
        CHECK(small[0] == 0xAA);
        size = sizeof buf;
        CHECK_RC(ferrotls_conn_get_peer_certificate(conn, (size_t)i, buf, &size), 0);
        CHECK(der_length(buf) == size);
    }
    size = sizeof buf;
    CHECK_RC(ferrotls_conn_get_peer_certificate(conn, 2, buf, &size),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_get_peer_certificate(conn, 0, buf, NULL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 0);
    CHECK(ferrotls_conn_error_string(conn) == NULL);
    CHECK(ferrotls_conn_error_string(srv.conn) == NULL);
    printf("peer certificates: count, DER by index, size query, too small: ok\n");

    close_pair(conn, &srv, sv);
    ferrotls_client_config_free(config);
}

/* A client of `config` is refused by its own check of the server's chain:
 * both sides say why. */
static void check_refuses_chain(ferrotls_client_config *config,
                                ferrotls_server_config *server, const char *reason)
{
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    const char *text;
    int sv[2];

    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv),
             FERROTLS_E_CERTIFICATE_REFUSED);
    CHECK_HAS(ferrotls_conn_error_string(conn), reason);
    /* The same pointer each time: the text stays with the connection. */
    text = ferrotls_conn_error_string(conn);
    CHECK(text == ferrotls_conn_error_string(conn));
    CHECK_RC(srv.rc, FERROTLS_E_ALERT_RECEIVED);
    CHECK_HAS(ferrotls_conn_error_string(srv.conn), "received alert");
    close_pair(conn, &srv, sv);
}

/* check_refuses_chain, then `config` is freed. */
static void check_refused(ferrotls_client_config *config,
                          ferrotls_server_config *server, const char *reason)
{
    check_refuses_chain(config, server, reason);
    ferrotls_client_config_free(config);
}

/* Client authentication (RFC 8446 section 4.4.2, RFC 5246 section 7.4.6):
 * a server asking for a certificate under the P-384 root gets the client's
 * P-384 chain; one that requires a certificate refuses a client without
 * one; a client certificate under another CA is refused; bad arguments. */
/* A client of the P-256 test server authenticating with the chain and
 * key files of vectors/pki named `chain` and `key`. */
static ferrotls_client_config *client_with_certificate(const char *chain, const char *key)
{
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    char chain_path[4096], key_path[4096];

    pki_path(chain_path, sizeof chain_path, chain);
    pki_path(key_path, sizeof key_path, key);
    CHECK_RC(ferrotls_client_config_set_certificate(config, chain_path, key_path), 0);
    return config;
}

/* A handshake of a client of `config` with `server` that both complete,
 * the server having received `certs` client certificates. */
static void check_accepted(ferrotls_client_config *config,
                           ferrotls_server_config *server, int certs)
{
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    int sv[2];

    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), certs);
    close_pair(conn, &srv, sv);
}

/* A handshake of a client of `config` that `server` refuses with `code`,
 * naming `reason`. */
static void check_server_refuses(ferrotls_client_config *config,
                                 ferrotls_server_config *server, int code,
                                 const char *reason)
{
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    int sv[2];

    handshake_pair(config, server, &conn, &srv, sv);
    CHECK_RC(srv.rc, code);
    CHECK_HAS(ferrotls_conn_error_string(srv.conn), reason);
    close_pair(conn, &srv, sv);
}

static void check_client_auth(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config;
    char cert[4096], key[4096], ca[4096];

    pki_path(ca, sizeof ca, "p384-root.pem");
    CHECK_RC(ferrotls_server_config_set_client_ca_file(server, ca, 1), 0);

    config = client_with_certificate("p384-chain.pem", "p384-leaf.key");
    check_accepted(config, server, 2);
    ferrotls_client_config_free(config);

    /* Required, and none sent: the server refuses the handshake; optional,
     * the same client goes on without one. */
    config = client_config("p256-root.pem", "leaf.p256.test");
    check_server_refuses(config, server, FERROTLS_E_HANDSHAKE_FAILURE,
                         "client certificate required");
    CHECK_RC(ferrotls_server_config_set_client_ca_file(server, ca, 0), 0);
    check_accepted(config, server, 0);
    ferrotls_client_config_free(config);

    /* A chain under another CA is refused, required or not. */
    config = client_with_certificate("rsa2048-chain.pem", "rsa2048-leaf.key");
    check_server_refuses(config, server, FERROTLS_E_CERTIFICATE_REFUSED, "unknown issuer");

    /* Bad arguments; NULL asks for no certificate again. */
    CHECK_RC(ferrotls_server_config_set_client_ca_file(NULL, ca, 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_client_ca_file(server, "/nonexistent", 1),
             FERROTLS_E_FILE);
    pki_path(cert, sizeof cert, "rsa2048-chain.pem");
    CHECK_RC(ferrotls_client_config_set_certificate(NULL, cert, key),
             FERROTLS_E_INVALID_REQUEST);
    pki_path(key, sizeof key, "p256-leaf.key");
    CHECK_RC(ferrotls_client_config_set_certificate(config, cert, key), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_server_config_set_client_ca_file(server, NULL, 0), 0);
    check_accepted(config, server, 0);
    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("client auth: chain received, required and refused, other CA, bad arguments: ok\n");
}

/* Callbacks over a non-blocking descriptor: read(2) and write(2) fail with
 * EAGAIN on their own; how often is counted (errno is left as it is). */
struct nb_transport {
    int fd;
    int would_block;
};

static ssize_t nb_pull(void *user, void *buf, size_t len)
{
    struct nb_transport *t = user;
    ssize_t n = read(t->fd, buf, len);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        t->would_block++;
    return n;
}

static ssize_t nb_push(void *user, const void *buf, size_t len)
{
    struct nb_transport *t = user;
    ssize_t n = write(t->fd, buf, len);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        t->would_block++;
    return n;
}

/* A transport that is gone: reads fail with ECONNRESET, writes vanish. */
static ssize_t reset_pull(void *user, void *buf, size_t len)
{
    (void)user, (void)buf, (void)len;
    errno = ECONNRESET;
    return -1;
}

static ssize_t sink_push(void *user, const void *buf, size_t len)
{
    (void)user, (void)buf;
    return (ssize_t)len;
}

static void set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL);
    CHECK(flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0);
}

/* Waits until one of the two transports is ready for what its connection
 * wants (writing if records wait, else reading). The generous limit only
 * turns a stuck loop into a failure. */
static void wait_ready(ferrotls_conn *client, int client_fd,
                       ferrotls_conn *server, int server_fd)
{
    struct pollfd fds[2];

    fds[0].fd = client_fd;
    fds[0].events = ferrotls_conn_wants_write(client) == 1 ? POLLOUT : POLLIN;
    fds[1].fd = server_fd;
    fds[1].events = ferrotls_conn_wants_write(server) == 1 ? POLLOUT : POLLIN;
    fds[0].revents = fds[1].revents = 0;
    CHECK(poll(fds, 2, 30000) > 0);
}

/* Receives on `reader`, the client or the server of a non-blocking pair
 * over `sv`, waiting for either transport while the call returns
 * FERROTLS_E_AGAIN; returns what the call finally returned. */
static ssize_t recv_polling(ferrotls_conn *reader, ferrotls_conn *client,
                            ferrotls_conn *server, int sv[2], void *buf, size_t len)
{
    ssize_t n;
    int rounds;

    for (rounds = 0; (n = ferrotls_conn_recv(reader, buf, len)) == FERROTLS_E_AGAIN; rounds++) {
        CHECK(rounds < 1000);
        wait_ready(client, sv[0], server, sv[1]);
    }
    return n;
}

/* recv_polling until exactly `expected` (under 64 bytes) has come. */
static void expect_polled(ferrotls_conn *reader, ferrotls_conn *client,
                          ferrotls_conn *server, int sv[2], const char *expected)
{
    unsigned char buf[64];
    size_t len = strlen(expected);

    CHECK_RC(recv_polling(reader, client, server, sv, buf, sizeof buf), (ssize_t)len);
    CHECK(memcmp(buf, expected, len) == 0);
}

/* A client of `config` and a server of `server_config`, each on its end
 * of a socketpair set O_NONBLOCK, for this thread to drive. */
static void nonblocking_pair(ferrotls_client_config *config,
                             ferrotls_server_config *server_config,
                             ferrotls_conn **client, ferrotls_conn **server, int sv[2])
{
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    set_nonblocking(sv[0]);
    set_nonblocking(sv[1]);
    CHECK_RC(ferrotls_conn_new_client(client, config), 0);
    CHECK_RC(ferrotls_conn_set_fd(*client, sv[0]), 0);
    CHECK_RC(ferrotls_conn_new_server(server, server_config), 0);
    CHECK_RC(ferrotls_conn_set_fd(*server, sv[1]), 0);
}

#define BULK (1 << 20)
static unsigned char bulk_out[BULK], bulk_in[BULK];

static void check_nonblocking(ferrotls_server_config *server_config)
{
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    struct nb_transport transport;
    ferrotls_conn *client = NULL, *server = NULL;
    unsigned char buf[64];
    size_t sent = 0, got = 0, i;
    ssize_t n;
    int sv[2], crc, src, client_again = 0, server_again = 0, rounds;

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    set_nonblocking(sv[0]);
    set_nonblocking(sv[1]);
    transport.fd = sv[0];
    transport.would_block = 0;
    CHECK_RC(ferrotls_conn_new_client(&client, config), 0);
    CHECK_RC(ferrotls_conn_set_callbacks(client, nb_pull, nb_push, &transport), 0);
    CHECK_RC(ferrotls_conn_new_server(&server, server_config), 0);
    CHECK_RC(ferrotls_conn_set_fd(server, sv[1]), 0);
    CHECK_RC(ferrotls_conn_wants_write(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_flush(NULL), FERROTLS_E_INVALID_REQUEST);

    /* The handshake, a step at a time: each side returns FERROTLS_E_AGAIN
     * until the other has answered. */
    crc = src = FERROTLS_E_AGAIN;
    for (rounds = 0; crc == FERROTLS_E_AGAIN || src == FERROTLS_E_AGAIN; rounds++) {
        CHECK(rounds < 1000);
        if (crc == FERROTLS_E_AGAIN && (crc = ferrotls_conn_handshake(client)) == FERROTLS_E_AGAIN)
            client_again++;
        if (src == FERROTLS_E_AGAIN && (src = ferrotls_conn_handshake(server)) == FERROTLS_E_AGAIN)
            server_again++;
        if (crc == FERROTLS_E_AGAIN || src == FERROTLS_E_AGAIN)
            wait_ready(client, sv[0], server, sv[1]);
    }
    CHECK_RC(crc, 0);
    CHECK_RC(src, 0);
    /* The client's first call sent its ClientHello and found no answer;
     * the server's first found no Finished yet. */
    CHECK(client_again >= 1 && server_again >= 1);
    CHECK(transport.would_block >= 1);
    CHECK_RC(ferrotls_conn_protocol_version(client), version);
    printf("non-blocking handshake: FERROTLS_E_AGAIN on both sides, then done: ok\n");

    /* Nothing sent yet: the server's receive would block. */
    CHECK_RC(ferrotls_conn_recv(server, buf, sizeof buf), FERROTLS_E_AGAIN);

    /* 1 MiB, more than the socket and the send queue hold: with the server
     * not reading, sending comes to FERROTLS_E_AGAIN before the end. */
    for (i = 0; i < BULK; i++)
        bulk_out[i] = (unsigned char)(i % 251);
    while ((n = ferrotls_conn_send(client, bulk_out + sent, BULK - sent)) > 0)
        sent += (size_t)n;
    CHECK_RC(n, FERROTLS_E_AGAIN);
    CHECK(sent > 0 && sent < BULK);
    CHECK_RC(ferrotls_conn_wants_write(client), 1);

    /* Then both, until every byte has arrived, in order. */
    for (rounds = 0; got < BULK; rounds++) {
        int progress = 0;

        CHECK(rounds < 100000);
        if (sent < BULK) {
            n = ferrotls_conn_send(client, bulk_out + sent, BULK - sent);
            if (n != FERROTLS_E_AGAIN) {
                CHECK(n > 0);
                sent += (size_t)n;
                progress = 1;
            }
        } else {
            int rc = ferrotls_conn_flush(client);
            CHECK(rc == 0 || rc == FERROTLS_E_AGAIN);
        }
        n = ferrotls_conn_recv(server, bulk_in + got, BULK - got);
        if (n != FERROTLS_E_AGAIN) {
            CHECK(n > 0);
            got += (size_t)n;
            progress = 1;
        }
        if (!progress)
            wait_ready(client, sv[0], server, sv[1]);
    }
    CHECK(memcmp(bulk_in, bulk_out, BULK) == 0);
    CHECK_RC(ferrotls_conn_flush(client), 0);
    CHECK_RC(ferrotls_conn_wants_write(client), 0);
    printf("non-blocking data: 1 MiB through FERROTLS_E_AGAIN, in order: ok\n");

    /* The close: close_notify each way. */
    CHECK_RC(ferrotls_conn_close(client), 0);
    CHECK_RC(recv_polling(server, client, server, sv, buf, sizeof buf), 0);
    CHECK_RC(ferrotls_conn_close(server), 0);
    CHECK_RC(recv_polling(client, client, server, sv, buf, sizeof buf), 0);
    free_pair(client, server, sv);

    /* A callback failing with another errno is a transport failure, not
     * a TLS one: no error string. */
    CHECK_RC(ferrotls_conn_new_client(&client, config), 0);
    CHECK_RC(ferrotls_conn_set_callbacks(client, reset_pull, sink_push, NULL), 0);
    CHECK_RC(ferrotls_conn_handshake(client), FERROTLS_E_IO);
    CHECK(ferrotls_conn_error_string(client) == NULL);
    ferrotls_conn_free(client);
    ferrotls_client_config_free(config);
    printf("non-blocking close, and a callback failing otherwise: ok\n");
}

#define RSA_HOST "leaf.rsa2048.test"

/* A second certificate: an RSA chain beside the P-256 one, served to the
 * client that names its host (RFC 6066 section 3), and the name each side
 * reads; bad files. */
static void check_more_certificates(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *rsa = client_config("rsa2048-root.pem", RSA_HOST);
    ferrotls_client_config *p256 = client_config("p256-root.pem", "leaf.p256.test");
    char cert[4096], key[4096], other_key[4096], host[64];
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    size_t size;
    int sv[2];

    /* Before: the P-256 chain, for another name and under another root. */
    check_refused(client_config("rsa2048-root.pem", RSA_HOST), server,
                  "invalid certificate");

    pki_path(cert, sizeof cert, "rsa2048-chain.pem");
    pki_path(key, sizeof key, "rsa2048-leaf.key");
    pki_path(other_key, sizeof other_key, "p256-leaf.key");
    CHECK_RC(ferrotls_server_config_add_certificate(NULL, cert, key),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_add_certificate(server, cert, NULL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_add_certificate(server, cert, "/nonexistent"),
             FERROTLS_E_FILE);
    CHECK_RC(ferrotls_server_config_add_certificate(server, cert, other_key),
             FERROTLS_E_FILE);
    CHECK_RC(ferrotls_server_config_add_certificate(server, cert, key), 0);
    check_accepted(p256, server, 0);

    /* The RSA host's chain; both sides read the name the client sent. */
    CHECK_RC(handshake_pair(rsa, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    size = sizeof host;
    CHECK_RC(ferrotls_conn_get_server_name(srv.conn, host, &size), 0);
    CHECK(size == strlen(RSA_HOST) && memcmp(host, RSA_HOST, size) == 0);
    size = 4;
    CHECK_RC(ferrotls_conn_get_server_name(conn, host, &size), FERROTLS_E_SHORT_MEMORY_BUFFER);
    CHECK(size == strlen(RSA_HOST));
    CHECK_RC(ferrotls_conn_get_server_name(conn, host, &size), 0);
    CHECK(memcmp(host, RSA_HOST, size) == 0);
    CHECK_RC(ferrotls_conn_get_server_name(NULL, host, &size), FERROTLS_E_INVALID_REQUEST);
    close_pair(conn, &srv, sv);
    /* A server before its ClientHello has none. */
    CHECK_RC(ferrotls_conn_new_server(&conn, server), 0);
    size = sizeof host;
    CHECK_RC(ferrotls_conn_get_server_name(conn, host, &size), 0);
    CHECK(size == 0);
    ferrotls_conn_free(conn);
    ferrotls_client_config_free(rsa);
    ferrotls_client_config_free(p256);
    ferrotls_server_config_free(server);
    printf("more certificates: chosen by server_name, which both sides read, bad files: ok\n");
}

/* A handshake of a client of `config` with `server` that both complete
 * with `suite` and `group`. */
static void check_suite_and_group(ferrotls_client_config *config,
                                  ferrotls_server_config *server,
                                  const char *suite, const char *group)
{
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    int sv[2];

    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK(strcmp(ferrotls_conn_cipher_suite(conn), suite) == 0);
    CHECK(strcmp(ferrotls_conn_cipher_suite(srv.conn), suite) == 0);
    CHECK(strcmp(ferrotls_conn_group(conn), group) == 0);
    CHECK(strcmp(ferrotls_conn_group(srv.conn), group) == 0);
    close_pair(conn, &srv, sv);
}

/* check_suite_and_group for a fresh client of the default suites, which
 * gets the default suite, and of the groups `groups` (NULL: the
 * defaults). */
static void check_fresh(ferrotls_server_config *server, const char *suites, const char *groups,
                        const char *suite, const char *group)
{
    ferrotls_client_config *fresh = client_config("p256-root.pem", "leaf.p256.test");

    CHECK_RC(ferrotls_client_config_set_cipher_suites(fresh, suites), 0);
    CHECK_RC(ferrotls_client_config_set_groups(fresh, groups), 0);
    check_suite_and_group(fresh, server, suite, group);
    ferrotls_client_config_free(fresh);
}

/* check_fresh with the client's default suites, of which the server
 * takes AES-128-GCM. */
static void check_fresh_suite_and_group(ferrotls_server_config *server, const char *groups,
                                        const char *group)
{
    check_fresh(server, NULL, groups,
                version == FERROTLS_TLS1_3 ? "TLS_AES_128_GCM_SHA256"
                                           : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                group);
}

/* Cipher suites and groups by name, on either side. */
static void check_names(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    int tls13 = version == FERROTLS_TLS1_3;
    const char *tiered_client_suites =
        tls13 ? "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256"
              : "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
                "ECDHE-ECDSA-AES128-GCM-SHA256";
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    int sv[2];

    /* An unknown name, a list of none, NULL configurations. */
    CHECK_RC(ferrotls_client_config_set_cipher_suites(
                 config, "TLS_AES_128_GCM_SHA256:TLS_NO_SUCH_SUITE"),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_cipher_suites(config, " : ,"),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_groups(config, "x25519,curve9999"),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_groups(server, ""), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_cipher_suites(NULL, NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_cipher_suites(NULL, NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_groups(NULL, "x25519"), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_groups(NULL, "x25519"), FERROTLS_E_INVALID_REQUEST);
    /* They changed nothing: the defaults. */
    check_suite_and_group(config, server,
                          tls13 ? "TLS_AES_128_GCM_SHA256"
                                : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                          tls13 ? "X25519MLKEM768" : "x25519");

    /* The client's lists, in IANA and OpenSSL spellings. */
    CHECK_RC(ferrotls_client_config_set_cipher_suites(
                 config, "TLS_CHACHA20_POLY1305_SHA256:ECDHE-ECDSA-CHACHA20-POLY1305"), 0);
    CHECK_RC(ferrotls_client_config_set_groups(config, "P-256"), 0);
    check_suite_and_group(config, server,
                          tls13 ? "TLS_CHACHA20_POLY1305_SHA256"
                                : "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                          "secp256r1");

    /* NULL: the defaults again; the server's lists choose among them. */
    CHECK_RC(ferrotls_client_config_set_cipher_suites(config, NULL), 0);
    CHECK_RC(ferrotls_client_config_set_groups(config, NULL), 0);
    CHECK_RC(ferrotls_server_config_set_cipher_suites(
                 server, "TLS_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), 0);
    CHECK_RC(ferrotls_server_config_set_groups(server, "secp384r1"), 0);
    check_suite_and_group(config, server,
                          tls13 ? "TLS_AES_256_GCM_SHA384"
                                : "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                          "secp384r1");

    /* One list takes the client's X25519 share in TLS 1.3; tiers ask for
     * the better tier's P-384 with a HelloRetryRequest instead (the
     * client's default groups list it). TLS 1.2 reads both as one list.
     * Fresh clients, which have no session to resume. */
    CHECK_RC(ferrotls_server_config_set_cipher_suites(server, NULL), 0);
    CHECK_RC(ferrotls_server_config_set_groups(server, "secp384r1:x25519"), 0);
    check_fresh_suite_and_group(server, NULL, tls13 ? "x25519" : "secp384r1");
    CHECK_RC(ferrotls_server_config_set_groups(server, "P-384/x25519"), 0);
    check_fresh_suite_and_group(server, NULL, "secp384r1");
    CHECK_RC(ferrotls_server_config_set_groups(server, "P-384/"), FERROTLS_E_INVALID_REQUEST);
    /* OpenSSL 3.5's '*': the client's one key share is P-256's, which the
     * server takes in TLS 1.3 before its preferred x25519 (TLS 1.2 takes
     * the server's order); '?' skips a name the library does not know;
     * '/' only separates on a client. */
    CHECK_RC(ferrotls_server_config_set_groups(server, "x25519:?curve9999:P-256"), 0);
    check_fresh_suite_and_group(server, "x25519:*P-256", tls13 ? "secp256r1" : "x25519");
    check_fresh_suite_and_group(server, "?*curve9999:x25519/P-256", "x25519");
    CHECK_RC(ferrotls_client_config_set_groups(config, "?curve9999"), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_groups(config, "x25519//P-256"),
             FERROTLS_E_INVALID_REQUEST);

    /* Suite tiers: the client's order within the better tier (it puts
     * ChaCha20-Poly1305 before AES-128-GCM there), never the worse tier's
     * AES-256-GCM it puts first; one list keeps the server's order. Fresh
     * clients, which have no session to resume. */
    CHECK_RC(ferrotls_server_config_set_cipher_suites(
                 server, "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:"
                         "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305/"
                         "TLS_AES_256_GCM_SHA384:ECDHE-ECDSA-AES256-GCM-SHA384"), 0);
    check_fresh(server, tiered_client_suites, NULL, tls13 ? "TLS_CHACHA20_POLY1305_SHA256"
                : "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "x25519");
    CHECK_RC(ferrotls_server_config_set_cipher_suites(
                 server, "TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:"
                         "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
                         "TLS_AES_256_GCM_SHA384:ECDHE-ECDSA-AES256-GCM-SHA384"), 0);
    check_fresh(server, tiered_client_suites, NULL, tls13 ? "TLS_AES_128_GCM_SHA256"
                : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "x25519");
    CHECK_RC(ferrotls_server_config_set_cipher_suites(server, "TLS_AES_128_GCM_SHA256/"),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_cipher_suites(
                 server, "TLS_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"), 0);

    /* No suite in common: the server refuses the handshake. */
    CHECK_RC(ferrotls_client_config_set_cipher_suites(
                 config, "TLS_AES_128_GCM_SHA256:ECDHE-ECDSA-AES128-GCM-SHA256"), 0);
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), FERROTLS_E_ALERT_RECEIVED);
    CHECK_RC(srv.rc, FERROTLS_E_HANDSHAKE_FAILURE);
    close_pair(conn, &srv, sv);

    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("cipher suites and groups: IANA and OpenSSL names, either side, defaults back, server tiers, key shares and skipped names, suite tiers, none in common, bad lists: ok\n");
}

/* The most a record's length exceeds its plaintext with the AES-GCM
 * suites: TLS 1.3 adds the content type and the tag (RFC 8446 section
 * 5.2), TLS 1.2 the explicit nonce and the tag (RFC 5288 section 3). */
#define AEAD_EXPANSION_MAX 24
#define CLIENT_FRAGMENT 256
#define SERVER_FRAGMENT 512
#define FRAGMENT_DATA 4000

/* Reads exactly `len` bytes from `conn`. */
static void recv_all(ferrotls_conn *conn, unsigned char *buf, size_t len)
{
    size_t got = 0;
    ssize_t n;

    while (got < len) {
        n = ferrotls_conn_recv(conn, buf + got, len - got);
        CHECK(n > 0);
        got += (size_t)n;
    }
}

/* max_fragment_size: each side's records, handshake and data, stay within
 * its own cap, and reach it. */
static void check_max_fragment_size(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    static unsigned char out[FRAGMENT_DATA], in[FRAGMENT_DATA];
    struct server_run srv;
    static struct tap tap;
    ferrotls_conn *conn = NULL;
    int sv[2];

    CHECK_RC(ferrotls_client_config_set_max_fragment_size(config, 63),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_max_fragment_size(config, 16385),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_max_fragment_size(server, (size_t)65536 + CLIENT_FRAGMENT),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_max_fragment_size(NULL, 256),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_max_fragment_size(NULL, 256),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_max_fragment_size(config, 16384), 0);
    CHECK_RC(ferrotls_client_config_set_max_fragment_size(config, 0), 0);
    CHECK_RC(ferrotls_client_config_set_max_fragment_size(config, CLIENT_FRAGMENT), 0);
    CHECK_RC(ferrotls_server_config_set_max_fragment_size(server, SERVER_FRAGMENT), 0);

    /* The client's records metered; the server in a thread for the
     * handshake, then here for the data. */
    CHECK_RC(handshake_pair_with(config, server, NULL, 0, &tap, NULL, 0, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);

    memset(out, 'c', sizeof out);
    CHECK_RC(ferrotls_conn_send(conn, out, sizeof out), sizeof out);
    recv_all(srv.conn, in, sizeof in);
    CHECK(memcmp(in, out, sizeof in) == 0);
    memset(out, 's', sizeof out);
    CHECK_RC(ferrotls_conn_send(srv.conn, out, sizeof out), sizeof out);
    recv_all(conn, in, sizeof in);
    CHECK(memcmp(in, out, sizeof in) == 0);

    /* The data alone is more than a dozen records each way. */
    CHECK(tap.sent.records > FRAGMENT_DATA / CLIENT_FRAGMENT);
    CHECK(tap.sent.largest > CLIENT_FRAGMENT &&
          tap.sent.largest <= CLIENT_FRAGMENT + AEAD_EXPANSION_MAX);
    CHECK(tap.received.records > FRAGMENT_DATA / SERVER_FRAGMENT);
    CHECK(tap.received.largest > SERVER_FRAGMENT &&
          tap.received.largest <= SERVER_FRAGMENT + AEAD_EXPANSION_MAX);
    close_pair(conn, &srv, sv);
    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("max fragment size: each side's records within its own cap, bad sizes: ok\n");
}

/* The server of a pair sends `data` (a TLS 1.3 client reads the server's
 * tickets before it), the client reads it, and both close. */
static void answer_and_close(ferrotls_conn *client, ferrotls_conn *server,
                             const char *data)
{
    unsigned char buf[64];
    size_t len = strlen(data);

    CHECK_RC(ferrotls_conn_send(server, data, len), len);
    recv_all(client, buf, len);
    CHECK(memcmp(buf, data, len) == 0);
    CHECK_RC(ferrotls_conn_close(client), 0);
    CHECK_RC(ferrotls_conn_recv(server, buf, sizeof buf), 0);
}

/* What the server certificate callback saw of the last ClientHello. */
struct hello_seen {
    int calls;
    int version;
    char name[64];
    size_t name_len;
    unsigned char alpn[64];
    size_t alpn_len;
    size_t schemes;
    size_t suites;
    int cas;
};

static const char acme_alpn[] = "\x0a" "acme-tls/1";

/* Records what the ClientHello asked; answers index 1 (the P-384 chain)
 * to one offering "acme-tls/1", index 0 (the P-256 chain) to one naming
 * leaf.p256.test, none to others. */
static int choose_server_certificate(void *user, const ferrotls_client_hello *hello)
{
    struct hello_seen *seen = user;
    uint16_t codes[128];
    size_t count;

    seen->calls++;
    seen->version = ferrotls_client_hello_protocol_version(hello);
    seen->name_len = sizeof seen->name;
    CHECK_RC(ferrotls_client_hello_get_server_name(hello, seen->name, &seen->name_len), 0);
    seen->alpn_len = sizeof seen->alpn;
    CHECK_RC(ferrotls_client_hello_get_alpn(hello, seen->alpn, &seen->alpn_len), 0);
    count = sizeof codes / sizeof codes[0];
    CHECK_RC(ferrotls_client_hello_get_signature_schemes(hello, codes, &count), 0);
    seen->schemes = count;
    count = sizeof codes / sizeof codes[0];
    CHECK_RC(ferrotls_client_hello_get_cipher_suites(hello, codes, &count), 0);
    seen->suites = count;
    seen->cas = ferrotls_client_hello_ca_count(hello);
    if (seen->alpn_len == sizeof acme_alpn - 1 && memcmp(seen->alpn, acme_alpn, seen->alpn_len) == 0)
        return 1;
    if (seen->name_len == strlen("leaf.p256.test") &&
        memcmp(seen->name, "leaf.p256.test", seen->name_len) == 0)
        return 0;
    return -1;
}

/* A server certificate callback chooses among the certificates set and
 * added, alone: the name's certificate is refused when it answers none,
 * an ACME tls-alpn-01 client gets the certificate it answers, a
 * resumption does not call it, and removing it lets the name choose. */
static void check_server_certificate_callback(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *p256 = client_config("p256-root.pem", "leaf.p256.test");
    ferrotls_client_config *acme = client_config("p384-root.pem", "leaf.p384.test");
    ferrotls_client_config *fresh;
    struct hello_seen seen = {0};
    char cert[4096], key[4096];
    unsigned char session[8192];
    size_t len = sizeof session;
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    int sv[2], calls;

    pki_path(cert, sizeof cert, "p384-chain.pem");
    pki_path(key, sizeof key, "p384-leaf.key");
    CHECK_RC(ferrotls_server_config_add_certificate(server, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_alpn(server, acme_alpn, sizeof acme_alpn - 1), 0);
    CHECK_RC(ferrotls_client_config_set_alpn(acme, acme_alpn, sizeof acme_alpn - 1), 0);
    /* Without a callback the name chooses the P-384 chain. */
    fresh = client_config("p384-root.pem", "leaf.p384.test");
    check_accepted(fresh, server, 0);
    ferrotls_client_config_free(fresh);
    CHECK_RC(ferrotls_server_config_set_certificate_callback(NULL, choose_server_certificate, &seen),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_certificate_callback(server, choose_server_certificate, &seen),
             0);

    CHECK_RC(handshake_pair(p256, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    answer_and_close(conn, srv.conn, "session");
    CHECK_RC(ferrotls_session_get_data(conn, session, &len), 0);
    close_pair(conn, &srv, sv);
    CHECK(seen.calls == 1);
    CHECK(seen.version == version);
    CHECK(seen.name_len == strlen("leaf.p256.test") && memcmp(seen.name, "leaf.p256.test", seen.name_len) == 0);
    CHECK(seen.alpn_len == 0);
    CHECK(seen.schemes > 0 && seen.suites > 0);
    CHECK(seen.cas == 0);

    /* None answered: refused, though the P-384 chain covers the name. */
    fresh = client_config("p384-root.pem", "leaf.p384.test");
    check_server_refuses(fresh, server, FERROTLS_E_HANDSHAKE_FAILURE, "certificate");
    ferrotls_client_config_free(fresh);
    CHECK(seen.calls == 2);

    /* The ACME validator's ClientHello gets index 1. */
    CHECK_RC(handshake_pair(acme, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK(seen.calls == 3);
    CHECK(seen.alpn_len == sizeof acme_alpn - 1 && memcmp(seen.alpn, acme_alpn, seen.alpn_len) == 0);
    close_pair(conn, &srv, sv);

    /* A resumption asks nothing. */
    calls = seen.calls;
    CHECK_RC(handshake_pair_with(p256, server, session, len, NULL, NULL, 0, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(ferrotls_session_is_resumed(conn), 1);
    CHECK(seen.calls == calls);
    close_pair(conn, &srv, sv);

    /* Removed: the name chooses again. */
    CHECK_RC(ferrotls_server_config_set_certificate_callback(server, NULL, NULL), 0);
    fresh = client_config("p384-root.pem", "leaf.p384.test");
    check_accepted(fresh, server, 0);
    ferrotls_client_config_free(fresh);
    CHECK(seen.calls == calls);

    CHECK_RC(ferrotls_client_hello_protocol_version(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_hello_ca_count(NULL), FERROTLS_E_INVALID_REQUEST);
    ferrotls_client_config_free(p256);
    ferrotls_client_config_free(acme);
    ferrotls_server_config_free(server);
    printf("server certificate callback: sees the ClientHello, alone chooses, refuses with none, not on resumption, removed: ok\n");
}

/* ferrotls_client_config_set_reverify_on_resume: the session of a client
 * trusting the P-256 root, handed to a client trusting only the P-384
 * root, resumes (a resumption checks nothing) unless that client checks
 * the kept chain again: then it is not offered, and the full handshake
 * refuses the chain. */
static void check_reverify_on_resume(ferrotls_server_config *server)
{
    ferrotls_client_config *maker = client_config("p256-root.pem", "leaf.p256.test");
    ferrotls_client_config *other = client_config("p384-root.pem", "leaf.p256.test");
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    unsigned char session[8192];
    size_t len = sizeof session;
    int sv[2];

    CHECK_RC(ferrotls_client_config_set_reverify_on_resume(NULL, 1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(handshake_pair(maker, server, &conn, &srv, sv), 0);
    answer_and_close(conn, srv.conn, "session");
    CHECK_RC(ferrotls_session_get_data(conn, session, &len), 0);
    close_pair(conn, &srv, sv);

    CHECK_RC(handshake_pair_with(other, server, session, len, NULL, NULL, 0, &conn, &srv, sv), 0);
    CHECK_RC(ferrotls_session_is_resumed(conn), 1);
    answer_and_close(conn, srv.conn, "resumed");
    close_pair(conn, &srv, sv);

    CHECK_RC(ferrotls_client_config_set_reverify_on_resume(other, 1), 0);
    CHECK_RC(handshake_pair_with(other, server, session, len, NULL, NULL, 0, &conn, &srv, sv),
             FERROTLS_E_CERTIFICATE_REFUSED);
    CHECK_HAS(ferrotls_conn_error_string(conn), "unknown issuer");
    CHECK_RC(ferrotls_session_resumption_requested(srv.conn), 0);
    close_pair(conn, &srv, sv);

    ferrotls_client_config_free(maker);
    ferrotls_client_config_free(other);
    printf("reverify on resume: resumed without, not offered and refused with: ok\n");
}

/* A client trusting the stapling vectors' root, asking servers for an
 * OCSP response as `mode` says. */
static ferrotls_client_config *stapling_client(int mode)
{
    ferrotls_client_config *config = client_config("stapling/root.pem", "stapling.test");

    CHECK_RC(ferrotls_client_config_set_ocsp_stapling(config, mode), 0);
    return config;
}

/* The length of the OCSP response `conn` reports, after checking that a
 * size query gives the same. */
static size_t ocsp_length(ferrotls_conn *conn, unsigned char *out, size_t cap)
{
    size_t size = 0, query = 0;

    CHECK_RC(ferrotls_conn_get_ocsp_response(conn, NULL, &query), 0);
    size = cap;
    CHECK_RC(ferrotls_conn_get_ocsp_response(conn, out, &size), 0);
    CHECK(size == query);
    return size;
}

/* OCSP stapling (RFC 6066 section 8, RFC 8446 section 4.4.2.1): a server
 * staples the response set for its certificate to a client that asks,
 * and both sides read it; a resuming client reads the one kept with its
 * session, the resuming server none; a client that does not ask gets
 * none; one that requires a staple refuses a server without one, and
 * takes one with it; bad arguments. */
static void check_ocsp_stapling(void)
{
    ferrotls_server_config *server = NULL, *bare = NULL;
    ferrotls_client_config *plain = stapling_client(FERROTLS_OCSP_OFF);
    ferrotls_client_config *asking = stapling_client(FERROTLS_OCSP_REQUEST);
    ferrotls_client_config *requiring = stapling_client(FERROTLS_OCSP_REQUIRE);
    char cert[4096], key[4096], ocsp[4096];
    unsigned char want[8192], got[8192];
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    size_t want_len, size = sizeof got;
    FILE *file;
    int sv[2];

    pki_path(cert, sizeof cert, "stapling/good-chain.pem");
    pki_path(key, sizeof key, "stapling/good.key");
    pki_path(ocsp, sizeof ocsp, "stapling/good.ocsp.der");
    file = fopen(ocsp, "rb");
    CHECK(file != NULL);
    want_len = fread(want, 1, sizeof want, file);
    fclose(file);
    CHECK(want_len > 0 && want_len < sizeof want);
    CHECK_RC(ferrotls_server_config_new(&server, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(server, version, version), 0);
    CHECK_RC(ferrotls_server_config_new(&bare, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(bare, version, version), 0);

    CHECK_RC(ferrotls_server_config_set_ocsp_response_file(NULL, ocsp),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_ocsp_response_file(server, NULL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_ocsp_response_file(server, "/nonexistent"),
             FERROTLS_E_FILE);
    /* A certificate is no OCSP response. */
    CHECK_RC(ferrotls_server_config_set_ocsp_response_file(server, cert), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_server_config_set_ocsp_response_file(server, ocsp), 0);
    CHECK_RC(ferrotls_client_config_set_ocsp_stapling(NULL, FERROTLS_OCSP_REQUEST),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_ocsp_stapling(plain, FERROTLS_OCSP_REQUIRE + 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_ocsp_stapling(plain, -1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_get_ocsp_response(NULL, got, &size), FERROTLS_E_INVALID_REQUEST);

    /* Not asked for: none sent. */
    CHECK_RC(handshake_pair(plain, server, &conn, &srv, sv), 0);
    CHECK(ocsp_length(conn, got, sizeof got) == 0);
    CHECK(ocsp_length(srv.conn, got, sizeof got) == 0);
    answer_and_close(conn, srv.conn, "none");
    close_pair(conn, &srv, sv);

    /* Asked for: sent, received, and read on both sides; too small a
     * buffer gets the size. */
    CHECK_RC(handshake_pair(asking, server, &conn, &srv, sv), 0);
    CHECK(ocsp_length(conn, got, sizeof got) == want_len);
    CHECK(memcmp(got, want, want_len) == 0);
    CHECK(ocsp_length(srv.conn, got, sizeof got) == want_len);
    CHECK(memcmp(got, want, want_len) == 0);
    size = 16;
    CHECK_RC(ferrotls_conn_get_ocsp_response(conn, got, &size), FERROTLS_E_SHORT_MEMORY_BUFFER);
    CHECK(size == want_len);
    answer_and_close(conn, srv.conn, "stapled");
    close_pair(conn, &srv, sv);

    /* Resumed: the client reads the session's response; the server sent
     * none. */
    CHECK_RC(handshake_pair(asking, server, &conn, &srv, sv), 0);
    CHECK_RC(ferrotls_session_is_resumed(conn), 1);
    CHECK(ocsp_length(conn, got, sizeof got) == want_len);
    CHECK(memcmp(got, want, want_len) == 0);
    CHECK(ocsp_length(srv.conn, got, sizeof got) == 0);
    answer_and_close(conn, srv.conn, "resumed");
    close_pair(conn, &srv, sv);

    /* Required: refused without, taken with. */
    check_refused(stapling_client(FERROTLS_OCSP_REQUIRE), bare, "no OCSP response stapled");
    CHECK_RC(handshake_pair(requiring, server, &conn, &srv, sv), 0);
    CHECK(ocsp_length(conn, got, sizeof got) == want_len);
    answer_and_close(conn, srv.conn, "required");
    close_pair(conn, &srv, sv);

    ferrotls_client_config_free(plain);
    ferrotls_client_config_free(asking);
    ferrotls_client_config_free(requiring);
    ferrotls_server_config_free(server);
    ferrotls_server_config_free(bare);
    printf("OCSP stapling: sent when asked, read on both sides and on resumption, required, bad arguments: ok\n");
}

/* The bytes of the file at path, NUL-terminated, in buf; returns their
 * number (0 for a missing file). */
static size_t read_text(const char *path, char *buf, size_t cap)
{
    FILE *file = fopen(path, "rb");
    size_t n = 0;

    if (file != NULL) {
        n = fread(buf, 1, cap - 1, file);
        fclose(file);
    }
    buf[n] = '\0';
    return n;
}

/* Key logging (the NSS key log format): both sides of a connection log
 * the same lines, under the labels of the version (CLIENT_RANDOM for TLS
 * 1.2, the traffic secrets for TLS 1.3); NULL stops it; a file that
 * cannot be opened is refused. */
static void check_key_log(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    char dir[] = "/tmp/ferrotls-keylog-XXXXXX";
    char client_log[64], server_log[64], client_text[4096], server_text[4096];
    const char *label = version == FERROTLS_TLS1_3 ? "CLIENT_TRAFFIC_SECRET_0 "
                                                   : "CLIENT_RANDOM ";
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    size_t logged;
    int sv[2];

    CHECK(mkdtemp(dir) != NULL);
    snprintf(client_log, sizeof client_log, "%s/client.log", dir);
    snprintf(server_log, sizeof server_log, "%s/server.log", dir);
    CHECK_RC(ferrotls_client_config_set_keylog_file(NULL, client_log),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_keylog_file(server, "/nonexistent/dir/server.log"),
             FERROTLS_E_FILE);
    CHECK_RC(ferrotls_client_config_set_keylog_file(config, client_log), 0);
    CHECK_RC(ferrotls_server_config_set_keylog_file(server, server_log), 0);

    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    answer_and_close(conn, srv.conn, "logged");
    close_pair(conn, &srv, sv);
    logged = read_text(client_log, client_text, sizeof client_text);
    CHECK(logged > 0 && logged == read_text(server_log, server_text, sizeof server_text));
    CHECK(strstr(client_text, label) != NULL);
    /* The same lines, if not in the same order: each client line is the
     * server's too. */
    for (char *line = strtok(client_text, "\n"); line != NULL; line = strtok(NULL, "\n"))
        CHECK(strstr(server_text, line) != NULL);

    /* Off: the next connection adds nothing. */
    CHECK_RC(ferrotls_client_config_set_keylog_file(config, NULL), 0);
    CHECK_RC(ferrotls_server_config_set_keylog_file(server, NULL), 0);
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    answer_and_close(conn, srv.conn, "not logged");
    close_pair(conn, &srv, sv);
    CHECK(read_text(client_log, client_text, sizeof client_text) == logged);
    CHECK(read_text(server_log, server_text, sizeof server_text) == logged);

    CHECK(unlink(client_log) == 0 && unlink(server_log) == 0 && rmdir(dir) == 0);
    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("key log: the same lines on both sides, off again, bad files: ok\n");
}

#define EARLY "GET /early"

/* 0-RTT (RFC 8446 section 4.2.10), TLS 1.3: accepted and read first by the
 * server; the same ClientHello replayed to another connection has it
 * rejected (section 8.2); refused by a server no longer accepting it, and
 * sent again after the handshake, delivered once. */
static void check_early_data(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    struct server_run srv;
    static struct tap tap;
    ferrotls_conn *conn = NULL, *replayed = NULL;
    unsigned char buf[64];
    int sv[2];

    CHECK_RC(ferrotls_server_config_set_max_early_data(NULL, 1024), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_early_data(NULL, 1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_early_data_status(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK(ferrotls_conn_early_data_reason(NULL) == NULL);
    CHECK_RC(ferrotls_conn_write_early_data(NULL, EARLY, 1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_max_early_data(server, 1024), 0);
    CHECK_RC(ferrotls_client_config_set_early_data(config, 1), 0);

    /* No session yet: nothing can go early. A full handshake brings the
     * tickets. */
    CHECK_RC(ferrotls_conn_new_client(&conn, config), 0);
    CHECK_RC(ferrotls_conn_write_early_data(conn, EARLY, strlen(EARLY)),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_early_data_status(conn), FERROTLS_EARLY_DATA_NOT_OFFERED);
    CHECK(strcmp(ferrotls_conn_early_data_reason(conn), "no_session_offered") == 0);
    ferrotls_conn_free(conn);
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(ferrotls_conn_early_data_status(conn), FERROTLS_EARLY_DATA_NOT_OFFERED);
    CHECK_RC(ferrotls_conn_early_data_status(srv.conn), FERROTLS_EARLY_DATA_NOT_OFFERED);
    CHECK(strcmp(ferrotls_conn_early_data_reason(conn), "no_session_offered") == 0);
    CHECK(strcmp(ferrotls_conn_early_data_reason(srv.conn), "no_session_offered") == 0);
    CHECK_RC(ferrotls_conn_write_early_data(srv.conn, EARLY, 1), FERROTLS_E_INVALID_REQUEST);
    answer_and_close(conn, srv.conn, "tickets");
    close_pair(conn, &srv, sv);

    /* Resumed with 0-RTT: offered before the handshake, accepted, and the
     * server reads it first; the first flight is kept for a replay. */
    CHECK_RC(handshake_pair_with(config, server, NULL, 0, &tap, EARLY, strlen(EARLY), &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(ferrotls_session_is_resumed(conn), 1);
    CHECK_RC(ferrotls_conn_early_data_status(conn), FERROTLS_EARLY_DATA_ACCEPTED);
    CHECK_RC(ferrotls_conn_early_data_status(srv.conn), FERROTLS_EARLY_DATA_ACCEPTED);
    CHECK(strcmp(ferrotls_conn_early_data_reason(conn), "accepted") == 0);
    CHECK(strcmp(ferrotls_conn_early_data_reason(srv.conn), "accepted") == 0);
    /* The handshake has begun: too late for more. */
    CHECK_RC(ferrotls_conn_write_early_data(conn, EARLY, 1), FERROTLS_E_INVALID_REQUEST);
    recv_all(srv.conn, buf, strlen(EARLY));
    CHECK(memcmp(buf, EARLY, strlen(EARLY)) == 0);
    answer_and_close(conn, srv.conn, "early");
    close_pair(conn, &srv, sv);

    /* The same first flight to another connection of the server: resumed
     * from the same ticket, but its 0-RTT data is rejected. The server
     * then waits for a Finished that never comes. */
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    set_nonblocking(sv[1]);
    CHECK(write(sv[0], tap.flight, tap.flight_len) == (ssize_t)tap.flight_len);
    CHECK_RC(ferrotls_conn_new_server(&replayed, server), 0);
    CHECK_RC(ferrotls_conn_set_fd(replayed, sv[1]), 0);
    CHECK_RC(ferrotls_conn_handshake(replayed), FERROTLS_E_AGAIN);
    CHECK_RC(ferrotls_conn_early_data_status(replayed), FERROTLS_EARLY_DATA_REJECTED);
    CHECK(strcmp(ferrotls_conn_early_data_reason(replayed), "replay_protection") == 0);
    ferrotls_conn_free(replayed);
    close(sv[0]);
    close(sv[1]);

    /* A server no longer accepting 0-RTT rejects it: the client sends it
     * again after the handshake, and the server reads it once. */
    CHECK_RC(ferrotls_server_config_set_max_early_data(server, 0), 0);
    CHECK_RC(handshake_pair_with(config, server, NULL, 0, NULL, EARLY, strlen(EARLY), &conn, &srv, sv), 0);
    CHECK_RC(ferrotls_session_is_resumed(conn), 1);
    CHECK_RC(ferrotls_conn_early_data_status(conn), FERROTLS_EARLY_DATA_REJECTED);
    CHECK_RC(ferrotls_conn_early_data_status(srv.conn), FERROTLS_EARLY_DATA_REJECTED);
    CHECK(strcmp(ferrotls_conn_early_data_reason(conn), "peer_declined") == 0);
    CHECK(strcmp(ferrotls_conn_early_data_reason(srv.conn), "disabled") == 0);
    CHECK_RC(ferrotls_conn_send(conn, EARLY, strlen(EARLY)), strlen(EARLY));
    recv_all(srv.conn, buf, strlen(EARLY));
    CHECK(memcmp(buf, EARLY, strlen(EARLY)) == 0);
    CHECK_RC(ferrotls_conn_close(conn), 0);
    CHECK_RC(ferrotls_conn_recv(srv.conn, buf, sizeof buf), 0);
    close_pair(conn, &srv, sv);

    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("0-RTT: accepted and read first, replay rejected, refused and sent again once, each reason, bad calls: ok\n");
}

/* Half-RTT data (RFC 8446 section 4.4.4), TLS 1.3, both sides on
 * non-blocking descriptors in this thread: a resumed client sends "GET" as
 * 0-RTT data and stops at FERROTLS_E_AGAIN; with half-RTT the server's
 * handshake call returns once its Finished is sent, then it reads the
 * request and its answer goes, before the client's Finished; without, its
 * handshake and receive wait for that Finished. The client then completes
 * and reads the answer either way. */
static void half_rtt_once(int on)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    struct server_run srv;
    ferrotls_conn *client = NULL, *conn = NULL;
    unsigned char buf[16];
    ssize_t n;
    int sv[2];

    CHECK_RC(ferrotls_server_config_set_max_early_data(server, 1024), 0);
    CHECK_RC(ferrotls_server_config_set_half_rtt(server, on), 0);
    CHECK_RC(ferrotls_client_config_set_early_data(config, 1), 0);
    CHECK_RC(handshake_pair(config, server, &client, &srv, sv), 0);
    /* With half-RTT the server's handshake call returned at its Finished:
     * its first receive reads the client's, and its tickets go next. */
    CHECK_RC(ferrotls_conn_send(client, "hi", 2), 2);
    recv_all(srv.conn, buf, 2);
    CHECK_RC(ferrotls_conn_handshake_complete(srv.conn), 1);
    answer_and_close(client, srv.conn, "tickets");
    close_pair(client, &srv, sv);

    nonblocking_pair(config, server, &client, &conn, sv);
    CHECK_RC(ferrotls_conn_write_early_data(client, "GET", 3), 3);
    CHECK_RC(ferrotls_conn_handshake(client), FERROTLS_E_AGAIN);
    CHECK_RC(ferrotls_conn_handshake(conn), on ? 0 : FERROTLS_E_AGAIN);
    CHECK_RC(ferrotls_conn_handshake_complete(conn), 0);
    n = ferrotls_conn_recv(conn, buf, sizeof buf);
    if (on) {
        CHECK(n == 3 && memcmp(buf, "GET", 3) == 0);
        CHECK_RC(ferrotls_conn_send(conn, "reply", 5), 5);
    } else {
        CHECK_RC(n, FERROTLS_E_AGAIN);
    }
    /* The server's flight is all the client needs to complete. */
    CHECK_RC(ferrotls_conn_handshake(client), 0);
    CHECK_RC(ferrotls_conn_early_data_status(client), FERROTLS_EARLY_DATA_ACCEPTED);
    if (!on) {
        expect_polled(conn, client, conn, sv, "GET");
        CHECK_RC(ferrotls_conn_send(conn, "reply", 5), 5);
    }
    expect_polled(client, client, conn, sv, "reply");
    CHECK_RC(ferrotls_conn_handshake_complete(client), 1);
    /* With half-RTT the server has answered without reading the client's
     * Finished yet: its next receive will. */
    CHECK_RC(ferrotls_conn_handshake_complete(conn), on ? 0 : 1);
    free_pair(client, conn, sv);
    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
}

static void check_half_rtt(void)
{
    CHECK_RC(ferrotls_server_config_set_half_rtt(NULL, 1), FERROTLS_E_INVALID_REQUEST);
    half_rtt_once(1);
    half_rtt_once(0);
    printf("half-RTT: the server's handshake call returns at its Finished, the 0-RTT request read and answered before the client's; not without it: ok\n");
}

/* The client after the server's first flight, both on non-blocking
 * descriptors in this thread: with False Start (RFC 7918) its handshake
 * call returns once its Finished is sent, the handshake not complete, and
 * its send returns the count, the data going before the server's
 * Finished; without, both are FERROTLS_E_AGAIN until the server's Finished
 * has come. Both then complete, and the data arrives. */
static void false_start_once(int on)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    ferrotls_conn *client = NULL, *conn = NULL;
    int sv[2], rc, rounds;

    CHECK_RC(ferrotls_client_config_set_false_start(config, on), 0);
    /* RFC 7918 leaves the conditions to the client; ferrotls, as Chromium,
     * False Starts only once an ALPN protocol was agreed. */
    CHECK_RC(ferrotls_client_config_set_alpn(config, client_alpn, sizeof client_alpn - 1), 0);
    CHECK_RC(ferrotls_server_config_set_alpn(server, server_alpn, sizeof server_alpn - 1), 0);
    nonblocking_pair(config, server, &client, &conn, sv);

    /* ClientHello; the server's flight to ServerHelloDone. */
    CHECK_RC(ferrotls_conn_send(client, "ping", 4), FERROTLS_E_AGAIN);
    CHECK_RC(ferrotls_conn_handshake(conn), FERROTLS_E_AGAIN);
    /* The client's flight; with False Start the handshake call returns
     * there, and the data goes at once. */
    CHECK_RC(ferrotls_conn_handshake(client), on ? 0 : FERROTLS_E_AGAIN);
    CHECK_RC(ferrotls_conn_handshake_complete(client), 0);
    CHECK_RC(ferrotls_conn_send(client, "ping", 4), on ? 4 : FERROTLS_E_AGAIN);

    for (rounds = 0; (rc = ferrotls_conn_handshake(conn)) == FERROTLS_E_AGAIN; rounds++) {
        CHECK(rounds < 1000);
        wait_ready(client, sv[0], conn, sv[1]);
    }
    CHECK_RC(rc, 0);
    if (!on)
        CHECK_RC(ferrotls_conn_send(client, "ping", 4), 4);
    expect_polled(conn, client, conn, sv, "ping");
    CHECK_RC(ferrotls_conn_send(conn, "pong", 4), 4);
    expect_polled(client, client, conn, sv, "pong");
    CHECK_RC(ferrotls_conn_handshake_complete(client), 1);
    free_pair(client, conn, sv);
    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
}

static void check_false_start(void)
{
    CHECK_RC(ferrotls_client_config_set_false_start(NULL, 1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_handshake_complete(NULL), FERROTLS_E_INVALID_REQUEST);
    false_start_once(1);
    false_start_once(0);
    printf("False Start: the client's handshake call returns at its Finished, its data before the server's; not without it: ok\n");
}

/* Messages each way after a KeyUpdate. */
#define KEY_UPDATE_ROUNDS 3

/* A KeyUpdate (RFC 8446 section 4.6.3) from the client with `flags`, TLS
 * 1.3, its records metered (the server sends no tickets, so each record
 * is counted): the call itself sends one record, the KeyUpdate; messages
 * then go each way under the new keys, the server updating its own keys
 * too after the first. The client reads the data and the server's
 * update, and one record more, the server's answering KeyUpdate, when
 * FERROTLS_KU_PEER asked for it. */
static void key_update_once(ferrotls_client_config *config,
                            ferrotls_server_config *server, int flags)
{
    struct server_run srv;
    static struct tap tap;
    ferrotls_conn *conn = NULL;
    unsigned char buf[64];
    char message[32];
    size_t sent, received, len;
    int sv[2], i;

    CHECK_RC(handshake_pair_with(config, server, NULL, 0, &tap, NULL, 0, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    sent = tap.sent.records;
    received = tap.received.records;
    /* An unknown flag: refused, nothing sent. */
    CHECK_RC(ferrotls_conn_update_key(conn, 2), FERROTLS_E_INVALID_REQUEST);
    CHECK(tap.sent.records == sent);
    CHECK_RC(ferrotls_conn_update_key(conn, flags), 0);
    CHECK(tap.sent.records == sent + 1);
    for (i = 0; i < KEY_UPDATE_ROUNDS; i++) {
        len = (size_t)snprintf(message, sizeof message, "ping %d", i);
        CHECK_RC(ferrotls_conn_send(conn, message, len), len);
        recv_all(srv.conn, buf, len);
        CHECK(memcmp(buf, message, len) == 0);
        if (i == 1)
            CHECK_RC(ferrotls_conn_update_key(srv.conn, 0), 0);
        len = (size_t)snprintf(message, sizeof message, "pong %d", i);
        CHECK_RC(ferrotls_conn_send(srv.conn, message, len), len);
        recv_all(conn, buf, len);
        CHECK(memcmp(buf, message, len) == 0);
    }
    CHECK(tap.sent.records == sent + 1 + KEY_UPDATE_ROUNDS);
    CHECK(tap.received.records ==
          received + KEY_UPDATE_ROUNDS + 1 + ((flags & FERROTLS_KU_PEER) ? 1 : 0));
    answer_and_close(conn, srv.conn, "updated");
    close_pair(conn, &srv, sv);
}

/* ferrotls_conn_update_key: in TLS 1.3 with and without asking the peer
 * to update too; refused in TLS 1.2, which has no KeyUpdate, the
 * connection going on; refused before the handshake and for NULL. */
static void check_key_update(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    int sv[2];

    CHECK_RC(ferrotls_conn_update_key(NULL, 0), FERROTLS_E_INVALID_REQUEST);
    /* A client not started has no keys, and is not started by the call:
     * nothing is queued. */
    CHECK_RC(ferrotls_conn_new_client(&conn, config), 0);
    CHECK_RC(ferrotls_conn_set_callbacks(conn, reset_pull, sink_push, NULL), 0);
    CHECK_RC(ferrotls_conn_update_key(conn, 0), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_wants_write(conn), 0);
    ferrotls_conn_free(conn);
    CHECK_RC(ferrotls_server_config_set_tickets(server, 0), 0);

    if (version == FERROTLS_TLS1_3) {
        key_update_once(config, server, FERROTLS_KU_PEER);
        key_update_once(config, server, 0);
    } else {
        CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
        CHECK_RC(srv.rc, 0);
        CHECK_RC(ferrotls_conn_update_key(conn, FERROTLS_KU_PEER), FERROTLS_E_INVALID_REQUEST);
        CHECK_RC(ferrotls_conn_update_key(srv.conn, 0), FERROTLS_E_INVALID_REQUEST);
        answer_and_close(conn, srv.conn, "not updated");
        close_pair(conn, &srv, sv);
    }
    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("key update: sent by the call, the peer's answer when asked, data both ways after it, "
           "refused in TLS 1.2, before the handshake and with bad arguments: ok\n");
}

/* A request of the server after the handshake (ferrotls_conn_reauth,
 * ferrotls_conn_rehandshake), in a thread: its code, and "asked" sent to the client when it succeeded.
 * The client's `upload` bytes, if any, are more than the server buffers
 * and come before its answer: the call returns
 * FERROTLS_E_GOT_APPLICATION_DATA (or the test fails at once, the client
 * waiting to send), the data is read into bulk_in, and the call made
 * again. */
struct asking {
    struct server_run *srv;
    int (*ask)(ferrotls_conn *);
    size_t upload;
    int rc;
};

#define ASKED "asked"

static void *ask_client(void *arg)
{
    struct asking *a = arg;
    ferrotls_conn *server = a->srv->conn;

    a->rc = a->ask(server);
    if (a->upload > 0) {
        CHECK_RC(a->rc, FERROTLS_E_GOT_APPLICATION_DATA);
        recv_all(server, bulk_in, a->upload);
        a->rc = a->ask(server);
    }
    if (a->rc == 0)
        CHECK_RC(ferrotls_conn_send(server, ASKED, strlen(ASKED)), strlen(ASKED));
    else
        /* The client waits for more: what the server sent, an alert if
         * any, then the end. */
        shutdown(a->srv->fd, SHUT_RDWR);
    return NULL;
}

/* Runs `ask` on the server of an established pair, as ask_client does,
 * while the client sends the first `upload` bytes of bulk_out and then
 * receives, which answers the request; the server's side in *a. Returns
 * what the client's receive returned: "asked" and its length when the
 * call succeeded. */
static ssize_t ask_while_receiving(ferrotls_conn *client, struct server_run *srv,
                                   int (*ask)(ferrotls_conn *), size_t upload,
                                   struct asking *a)
{
    pthread_t thread;
    char buf[sizeof ASKED];
    size_t sent = 0;
    ssize_t n;

    memset(a, 0, sizeof *a);
    a->srv = srv;
    a->ask = ask;
    a->upload = upload;
    CHECK(pthread_create(&thread, NULL, ask_client, a) == 0);
    while (sent < upload) {
        n = ferrotls_conn_send(client, bulk_out + sent, upload - sent);
        CHECK(n > 0);
        sent += (size_t)n;
    }
    n = ferrotls_conn_recv(client, buf, sizeof buf);
    if (n > 0)
        CHECK(n == (ssize_t)strlen(ASKED) && memcmp(buf, ASKED, (size_t)n) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    return n;
}

/* More client data than a server buffers (64 KiB) before it reads. */
#define UPLOAD (256 * 1024)

/* A connection the server cannot ask on once the handshake is done: the
 * call is refused, nothing is sent, and the connection goes on. (On a
 * non-blocking descriptor, so that a request sent wrongly would make the
 * call return FERROTLS_E_AGAIN rather than wait for an answer.) */
static void check_ask_refused(ferrotls_client_config *config,
                              ferrotls_server_config *server,
                              int (*ask)(ferrotls_conn *))
{
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    int sv[2];

    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    set_nonblocking(sv[1]);
    CHECK_RC(ask(srv.conn), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_wants_write(srv.conn), 0);
    answer_and_close(conn, srv.conn, "not asked");
    close_pair(conn, &srv, sv);
}

/* A request after a TLS 1.3 handshake whose answer the server's check of
 * the client's chain refuses: the connection ends, the server says
 * `reason`, and it holds no certificate of the client. */
static void check_reauth_refused(ferrotls_client_config *config,
                                 ferrotls_server_config *server, const char *reason)
{
    struct server_run srv;
    struct asking a;
    ferrotls_conn *conn = NULL;
    int sv[2];

    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(ask_while_receiving(conn, &srv, ferrotls_conn_reauth, 0, &a),
             FERROTLS_E_ALERT_RECEIVED);
    CHECK_RC(a.rc, FERROTLS_E_CERTIFICATE_REFUSED);
    CHECK_HAS(ferrotls_conn_error_string(srv.conn), reason);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 0);
    close_pair(conn, &srv, sv);
}

/* Post-handshake client authentication (TLS 1.3, RFC 8446 section 4.6.2):
 * a server whose handshake asked for no certificate gets the client's
 * chain with ferrotls_conn_reauth, also after more data than it buffers
 * and over non-blocking descriptors; the client's switch; a chain under
 * another CA ends the connection. Refused in TLS 1.2, before the
 * handshake, without a CA file for it and with bad arguments. */
static void check_post_handshake_auth(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_with_certificate("p384-chain.pem", "p384-leaf.key");
    ferrotls_client_config *other;
    struct server_run srv;
    struct asking a;
    ferrotls_conn *conn = NULL;
    unsigned char buf[64];
    char ca[4096];
    int sv[2];

    /* Full handshakes only: a resumed session would bring its chain. */
    CHECK_RC(ferrotls_client_config_set_tickets(config, 0), 0);
    pki_path(ca, sizeof ca, "p384-root.pem");
    CHECK_RC(ferrotls_server_config_set_post_handshake_ca_file(NULL, ca, 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_post_handshake_ca_file(server, "/nonexistent", 1),
             FERROTLS_E_FILE);
    CHECK_RC(ferrotls_client_config_set_post_handshake_auth(NULL, 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_reauth(NULL), FERROTLS_E_INVALID_REQUEST);
    /* A server without a transport, then before its handshake; a client. */
    CHECK_RC(ferrotls_conn_new_server(&conn, server), 0);
    CHECK_RC(ferrotls_conn_reauth(conn), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_set_callbacks(conn, reset_pull, sink_push, NULL), 0);
    CHECK_RC(ferrotls_conn_reauth(conn), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_wants_write(conn), 0);
    ferrotls_conn_free(conn);
    CHECK_RC(ferrotls_conn_new_client(&conn, config), 0);
    CHECK_RC(ferrotls_conn_set_callbacks(conn, reset_pull, sink_push, NULL), 0);
    CHECK_RC(ferrotls_conn_reauth(conn), FERROTLS_E_INVALID_REQUEST);
    ferrotls_conn_free(conn);
    /* No CA file for it: the server cannot ask. */
    check_ask_refused(config, server, ferrotls_conn_reauth);
    CHECK_RC(ferrotls_server_config_set_post_handshake_ca_file(server, ca, 1), 0);
    printf("post-handshake auth: refused before the handshake, without a CA file, "
           "with bad arguments: ok\n");

    if (version == FERROTLS_TLS1_2) {
        /* No CertificateRequest after a TLS 1.2 handshake. */
        check_ask_refused(config, server, ferrotls_conn_reauth);
        printf("post-handshake auth: refused in TLS 1.2: ok\n");
        ferrotls_client_config_free(config);
        ferrotls_server_config_free(server);
        return;
    }

    /* The handshake asked for nothing; the request gets the chain. */
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 0);
    CHECK_RC(ask_while_receiving(conn, &srv, ferrotls_conn_reauth, 0, &a),
             strlen(ASKED));
    CHECK_RC(a.rc, 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 2);
    answer_and_close(conn, srv.conn, "authenticated");
    close_pair(conn, &srv, sv);

    /* More data than the server buffers comes before the answer. */
    memset(bulk_out, 'u', UPLOAD);
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(ask_while_receiving(conn, &srv, ferrotls_conn_reauth, UPLOAD, &a),
             strlen(ASKED));
    CHECK_RC(a.rc, 0);
    CHECK(memcmp(bulk_in, bulk_out, UPLOAD) == 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 2);
    close_pair(conn, &srv, sv);

    /* Non-blocking: FERROTLS_E_AGAIN until the client's receive has
     * answered; the next call takes that answer, asking nothing more. */
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    set_nonblocking(sv[0]);
    set_nonblocking(sv[1]);
    CHECK_RC(ferrotls_conn_reauth(srv.conn), FERROTLS_E_AGAIN);
    CHECK_RC(ferrotls_conn_wants_write(srv.conn), 0);
    CHECK_RC(ferrotls_conn_recv(conn, buf, sizeof buf), FERROTLS_E_AGAIN);
    CHECK_RC(ferrotls_conn_reauth(srv.conn), 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 2);
    CHECK_RC(ferrotls_conn_recv(conn, buf, sizeof buf), FERROTLS_E_AGAIN);
    CHECK_RC(ferrotls_conn_send(srv.conn, ASKED, strlen(ASKED)), strlen(ASKED));
    expect_polled(conn, conn, srv.conn, sv, ASKED);
    close_pair(conn, &srv, sv);

    /* The client's switch off: it offers nothing, and cannot be asked. */
    CHECK_RC(ferrotls_client_config_set_post_handshake_auth(config, 0), 0);
    check_ask_refused(config, server, ferrotls_conn_reauth);
    CHECK_RC(ferrotls_client_config_set_post_handshake_auth(config, 1), 0);

    /* A chain under another CA ends the connection. */
    other = client_with_certificate("rsa2048-chain.pem", "rsa2048-leaf.key");
    check_reauth_refused(other, server, "unknown issuer");
    ferrotls_client_config_free(other);
    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("post-handshake auth: the client's chain after the handshake, after more data than "
           "the server buffers, non-blocking, the client's switch, another CA refused: ok\n");
}

/* The server's session ID. */
static size_t server_session_id(ferrotls_conn *server, unsigned char id[32])
{
    size_t size = 32;

    CHECK_RC(ferrotls_session_get_id(server, id, &size), 0);
    return size;
}

/* Secure renegotiation (TLS 1.2, RFC 5746): a server whose handshake
 * asked for no certificate renegotiates with ferrotls_conn_rehandshake,
 * also after more data than it buffers, and the new handshake gets the
 * client's chain and a new session ID; a client with its switch off
 * refuses, and the connection goes on. Refused with the server's switch
 * off, in TLS 1.3, before the handshake and with bad arguments. */
static void check_renegotiation(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_with_certificate("p384-chain.pem", "p384-leaf.key");
    struct server_run srv;
    struct asking a;
    ferrotls_conn *conn = NULL;
    unsigned char first_id[32], id[32];
    size_t first_len;
    char ca[4096];
    int sv[2];

    CHECK_RC(ferrotls_client_config_set_renegotiation(NULL, 1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_renegotiation(NULL, 1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_rehandshake(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_renegotiations(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_renegotiation(config, 1), 0);
    /* Full handshakes only: a resumed session would bring its chain. */
    CHECK_RC(ferrotls_client_config_set_tickets(config, 0), 0);
    /* A server without a transport, then before its handshake; a client. */
    CHECK_RC(ferrotls_server_config_set_renegotiation(server, 1), 0);
    CHECK_RC(ferrotls_conn_new_server(&conn, server), 0);
    CHECK_RC(ferrotls_conn_rehandshake(conn), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_set_callbacks(conn, reset_pull, sink_push, NULL), 0);
    CHECK_RC(ferrotls_conn_rehandshake(conn), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_wants_write(conn), 0);
    CHECK_RC(ferrotls_conn_renegotiations(conn), 0);
    ferrotls_conn_free(conn);
    CHECK_RC(ferrotls_conn_new_client(&conn, config), 0);
    CHECK_RC(ferrotls_conn_set_callbacks(conn, reset_pull, sink_push, NULL), 0);
    CHECK_RC(ferrotls_conn_rehandshake(conn), FERROTLS_E_INVALID_REQUEST);
    ferrotls_conn_free(conn);
    /* The server's switch off: it cannot ask. */
    CHECK_RC(ferrotls_server_config_set_renegotiation(server, 0), 0);
    check_ask_refused(config, server, ferrotls_conn_rehandshake);
    CHECK_RC(ferrotls_server_config_set_renegotiation(server, 1), 0);
    pki_path(ca, sizeof ca, "p384-root.pem");
    CHECK_RC(ferrotls_server_config_set_post_handshake_ca_file(server, ca, 1), 0);
    printf("renegotiation: refused with the server's switch off, before the handshake, "
           "with bad arguments: ok\n");

    if (version == FERROTLS_TLS1_3) {
        /* No renegotiation in TLS 1.3. */
        check_ask_refused(config, server, ferrotls_conn_rehandshake);
        printf("renegotiation: refused in TLS 1.3: ok\n");
        ferrotls_client_config_free(config);
        ferrotls_server_config_free(server);
        return;
    }

    /* The handshake asked for nothing; the new one gets the chain. */
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 0);
    CHECK_RC(ferrotls_conn_renegotiations(srv.conn), 0);
    first_len = server_session_id(srv.conn, first_id);
    CHECK_RC(ask_while_receiving(conn, &srv, ferrotls_conn_rehandshake, 0, &a),
             strlen(ASKED));
    CHECK_RC(a.rc, 0);
    CHECK_RC(ferrotls_conn_renegotiations(srv.conn), 1);
    CHECK_RC(ferrotls_conn_renegotiations(conn), 1);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 2);
    CHECK(server_session_id(srv.conn, id) == first_len && memcmp(id, first_id, first_len) != 0);
    answer_and_close(conn, srv.conn, "renegotiated");
    close_pair(conn, &srv, sv);

    /* More data than the server buffers comes before the answer. */
    memset(bulk_out, 'r', UPLOAD);
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(ask_while_receiving(conn, &srv, ferrotls_conn_rehandshake, UPLOAD, &a),
             strlen(ASKED));
    CHECK_RC(a.rc, 0);
    CHECK(memcmp(bulk_in, bulk_out, UPLOAD) == 0);
    CHECK_RC(ferrotls_conn_renegotiations(srv.conn), 1);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 2);
    close_pair(conn, &srv, sv);

    /* The client's switch off: it refuses, and the connection goes on as
     * it was. */
    CHECK_RC(ferrotls_client_config_set_renegotiation(config, 0), 0);
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    first_len = server_session_id(srv.conn, first_id);
    CHECK_RC(ask_while_receiving(conn, &srv, ferrotls_conn_rehandshake, 0, &a),
             strlen(ASKED));
    CHECK_RC(a.rc, 0);
    CHECK_RC(ferrotls_conn_renegotiations(srv.conn), 0);
    CHECK_RC(ferrotls_conn_renegotiations(conn), 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 0);
    CHECK(server_session_id(srv.conn, id) == first_len && memcmp(id, first_id, first_len) == 0);
    answer_and_close(conn, srv.conn, "not renegotiated");
    close_pair(conn, &srv, sv);
    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("renegotiation: the client's chain and a new session in the new handshake, after more "
           "data than the server buffers, refused by the client's switch: ok\n");
}

/* The file `file` of the export directory. */
static void export_path(char *out, size_t size, const char *file)
{
    snprintf(out, size, "%s/%s", exports, file);
}

/* A client of the P-256 test server's name, making full handshakes only
 * (a resumption sends no Certificate), that trusts only the public key of
 * the file `pub` of the export directory, set after the CA file it
 * replaces. */
static ferrotls_client_config *pinning_client(const char *pub)
{
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    char path[4096];

    CHECK_RC(ferrotls_client_config_set_tickets(config, 0), 0);
    export_path(path, sizeof path, pub);
    CHECK_RC(ferrotls_client_config_set_pinned_keys_file(config, path), 0);
    return config;
}

/* `conn` holds `count` certificates of its peer, the first of which is
 * the bytes of the file `file` of the export directory. */
static void check_peer_export(ferrotls_conn *conn, int count, const char *file)
{
    unsigned char want[4096], got[4096];
    size_t want_len, size = sizeof got;
    char path[4096];

    export_path(path, sizeof path, file);
    want_len = read_text(path, (char *)want, sizeof want);
    CHECK(want_len > 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(conn), count);
    CHECK_RC(ferrotls_conn_get_peer_certificate(conn, 0, got, &size), 0);
    CHECK(size == want_len && memcmp(got, want, size) == 0);
}

/* The one certificate `conn` holds of its peer is the DER public key of
 * the file `spki` of the export directory. */
static void check_peer_key(ferrotls_conn *conn, const char *spki)
{
    check_peer_export(conn, 1, spki);
}

/* A handshake of a client of `config` with `server` that both complete,
 * the server's Certificate of type `server_type` and the client's of
 * `client_type` (FERROTLS_CRT_*), as both sides tell; the pair is left
 * in *conn, *srv and sv. */
static void handshake_types(ferrotls_client_config *config, ferrotls_server_config *server,
                            int server_type, int client_type, ferrotls_conn **conn,
                            struct server_run *srv, int sv[2])
{
    CHECK_RC(handshake_pair(config, server, conn, srv, sv), 0);
    CHECK_RC(srv->rc, 0);
    CHECK_RC(ferrotls_conn_certificate_type(*conn, FERROTLS_CTYPE_SERVER), server_type);
    CHECK_RC(ferrotls_conn_certificate_type(srv->conn, FERROTLS_CTYPE_SERVER), server_type);
    CHECK_RC(ferrotls_conn_certificate_type(*conn, FERROTLS_CTYPE_CLIENT), client_type);
    CHECK_RC(ferrotls_conn_certificate_type(srv->conn, FERROTLS_CTYPE_CLIENT), client_type);
}

/* Raw public keys (RFC 7250): a server of a key alone sends it to a
 * client that pinned it and refuses one that takes X.509 only; a server
 * with a chain sends its key alone when told to; pinned keys replace the
 * CAs; a client's key alone reaches a server that pinned it; each side's
 * certificate type; keys not pinned refused; bad arguments. */
static void check_raw_public_keys(void)
{
    ferrotls_server_config *raw_server = NULL, *server = server_config();
    ferrotls_client_config *config, *plain = client_config("p256-root.pem", "leaf.p256.test");
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    char key[4096], pub[4096], cert[4096];
    unsigned char pin[33];
    int sv[2];

    CHECK_RC(ferrotls_client_config_set_tickets(plain, 0), 0);
    pki_path(key, sizeof key, "p256-leaf.key");
    pki_path(cert, sizeof cert, "p256-leaf.pem");
    export_path(pub, sizeof pub, "p256-leaf.pub.pem");
    CHECK_RC(ferrotls_server_config_new_rawpk(NULL, key), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_new_rawpk(&raw_server, NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_new_rawpk(&raw_server, "/nonexistent"), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_server_config_new_rawpk(&raw_server, cert), FERROTLS_E_FILE);
    CHECK(raw_server == NULL);
    CHECK_RC(ferrotls_server_config_set_rawpk(NULL, 1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_pinned_keys_file(NULL, pub), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_pinned_keys_file(plain, NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_pinned_keys_file(plain, "/nonexistent"), FERROTLS_E_FILE);
    /* PEM without a PUBLIC KEY block; a key where a certificate is. */
    CHECK_RC(ferrotls_client_config_set_pinned_keys_file(plain, cert), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_client_config_set_rawpk_key_file(NULL, key), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_rawpk_key_file(plain, cert), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_server_config_set_client_pinned_keys_file(NULL, pub, 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_client_pinned_keys_file(server, cert, 1), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_conn_certificate_type(NULL, FERROTLS_CTYPE_SERVER),
             FERROTLS_E_INVALID_REQUEST);
    /* Before the handshake, none; a target of GnuTLS's not taken here. */
    CHECK_RC(ferrotls_conn_new_client(&conn, plain), 0);
    CHECK_RC(ferrotls_conn_certificate_type(conn, FERROTLS_CTYPE_SERVER), FERROTLS_CRT_UNKNOWN);
    CHECK_RC(ferrotls_conn_certificate_type(conn, 2), FERROTLS_E_INVALID_REQUEST);
    ferrotls_conn_free(conn);

    /* Unchanged without them: the server's chain, nothing from the client. */
    handshake_types(plain, server, FERROTLS_CRT_X509, FERROTLS_CRT_UNKNOWN, &conn, &srv, sv);
    close_pair(conn, &srv, sv);

    /* A server of a key alone: to a client that pinned it, the key; a
     * client that takes X.509 only is refused. */
    CHECK_RC(ferrotls_server_config_new_rawpk(&raw_server, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(raw_server, version, version), 0);
    config = pinning_client("p256-leaf.pub.pem");
    handshake_types(config, raw_server, FERROTLS_CRT_RAWPK, FERROTLS_CRT_UNKNOWN, &conn, &srv, sv);
    check_peer_key(conn, "p256-leaf.spki.der");
    answer_and_close(conn, srv.conn, "raw");
    close_pair(conn, &srv, sv);
    check_server_refuses(plain, raw_server, FERROTLS_E_CERTIFICATE_REFUSED,
                         "unsupported certificate type");

    /* A server with a chain: the chain, whose key is pinned; the key
     * alone once it offers that. */
    handshake_types(config, server, FERROTLS_CRT_X509, FERROTLS_CRT_UNKNOWN, &conn, &srv, sv);
    CHECK_RC(ferrotls_conn_peer_certificate_count(conn), 2);
    close_pair(conn, &srv, sv);
    CHECK_RC(ferrotls_server_config_set_rawpk(server, 1), 0);
    handshake_types(config, server, FERROTLS_CRT_RAWPK, FERROTLS_CRT_UNKNOWN, &conn, &srv, sv);
    check_peer_key(conn, "p256-leaf.spki.der");
    close_pair(conn, &srv, sv);
    CHECK_RC(ferrotls_server_config_set_rawpk(server, 0), 0);
    ferrotls_client_config_free(config);

    /* Pinned keys replace the CAs: another key is refused, raw or in a
     * chain the CA signed. */
    check_refuses_chain(pinning_client("p384-leaf.pub.pem"), raw_server, "key not pinned");
    check_refused(pinning_client("p384-leaf.pub.pem"), server, "key not pinned");

    /* The client's key alone, which the server pinned; another key
     * pinned refuses it; no pins, no request. */
    pki_path(key, sizeof key, "p384-leaf.key");
    CHECK_RC(ferrotls_client_config_set_rawpk_key_file(plain, key), 0);
    export_path(pub, sizeof pub, "p384-leaf.pub.pem");
    CHECK_RC(ferrotls_server_config_set_client_pinned_keys_file(server, pub, 1), 0);
    handshake_types(plain, server, FERROTLS_CRT_X509, FERROTLS_CRT_RAWPK, &conn, &srv, sv);
    check_peer_key(srv.conn, "p384-leaf.spki.der");
    close_pair(conn, &srv, sv);
    export_path(pub, sizeof pub, "p256-leaf.pub.pem");
    CHECK_RC(ferrotls_server_config_set_client_pinned_keys_file(server, pub, 1), 0);
    check_server_refuses(plain, server, FERROTLS_E_CERTIFICATE_REFUSED, "key not pinned");
    /* Pinned by the SHA-256 of its SubjectPublicKeyInfo (vectors/pki's
     * p256-leaf.spki.sha256) in place of no request: the P-384 key is
     * refused, the P-256 one accepted. */
    CHECK_RC(ferrotls_server_config_set_client_pinned_keys_file(server, NULL, 0), 0);
    pki_path(cert, sizeof cert, "p256-leaf.spki.sha256");
    CHECK(read_text(cert, (char *)pin, sizeof pin) == sizeof pin - 1);
    CHECK_RC(ferrotls_server_config_set_client_pinned_key_hashes(NULL, pin, 1, 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_client_pinned_key_hashes(server, pin, 0, 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_client_pinned_key_hashes(server, pin, 1, 1), 0);
    check_server_refuses(plain, server, FERROTLS_E_CERTIFICATE_REFUSED, "key not pinned");
    pki_path(key, sizeof key, "p256-leaf.key");
    CHECK_RC(ferrotls_client_config_set_rawpk_key_file(plain, key), 0);
    handshake_types(plain, server, FERROTLS_CRT_X509, FERROTLS_CRT_RAWPK, &conn, &srv, sv);
    check_peer_key(srv.conn, "p256-leaf.spki.der");
    close_pair(conn, &srv, sv);
    CHECK_RC(ferrotls_server_config_set_client_pinned_keys_file(server, NULL, 0), 0);
    handshake_types(plain, server, FERROTLS_CRT_X509, FERROTLS_CRT_UNKNOWN, &conn, &srv, sv);
    close_pair(conn, &srv, sv);

    ferrotls_client_config_free(plain);
    ferrotls_server_config_free(raw_server);
    ferrotls_server_config_free(server);
    printf("raw public keys: a key-only server's key to a client that pinned it, a chain's key "
           "alone on request, the client's key to a server that pinned it (by file or hash), "
           "each side's type, keys not pinned and X.509-only clients refused, bad arguments: "
           "ok\n");
}

/* DER files where PEM ones go (OpenSSL's SSL_FILETYPE_ASN1): a server of
 * the P-256 leaf and its PKCS#8 key in DER files (one certificate, so the
 * leaf alone goes out) reaches a client that pinned its key from a DER
 * SubjectPublicKeyInfo; a DER key where the certificate goes is refused. */
static void check_der_files(void)
{
    ferrotls_server_config *server = NULL;
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    char cert[4096], key[4096], spki[4096];
    unsigned char pin[33];
    int sv[2];

    pki_path(cert, sizeof cert, "p256-leaf.der");
    pki_path(key, sizeof key, "p256-leaf.key.der");
    pki_path(spki, sizeof spki, "p256-leaf.spki.der");
    CHECK_RC(ferrotls_server_config_new(&server, key, key), FERROTLS_E_FILE);
    CHECK(server == NULL);
    CHECK_RC(ferrotls_server_config_new(&server, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(server, version, version), 0);
    CHECK_RC(ferrotls_client_config_set_tickets(config, 0), 0);
    CHECK_RC(ferrotls_client_config_set_pinned_keys_file(config, spki), 0);
    handshake_types(config, server, FERROTLS_CRT_X509, FERROTLS_CRT_UNKNOWN, &conn, &srv, sv);
    CHECK_RC(ferrotls_conn_peer_certificate_count(conn), 1);
    close_pair(conn, &srv, sv);

    /* The same key pinned by its SHA-256 (vectors/pki/make.sh writes it
     * beside the DER public key); another hash refuses the server. */
    pki_path(spki, sizeof spki, "p256-leaf.spki.sha256");
    CHECK(read_text(spki, (char *)pin, sizeof pin) == sizeof pin - 1);
    CHECK_RC(ferrotls_client_config_set_pinned_key_hashes(NULL, pin, 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_pinned_key_hashes(config, NULL, 1),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_pinned_key_hashes(config, pin, 0),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_pinned_key_hashes(config, pin, 1), 0);
    handshake_types(config, server, FERROTLS_CRT_X509, FERROTLS_CRT_UNKNOWN, &conn, &srv, sv);
    close_pair(conn, &srv, sv);
    pin[0] ^= 1;
    CHECK_RC(ferrotls_client_config_set_pinned_key_hashes(config, pin, 1), 0);
    check_refuses_chain(config, server, "key not pinned");
    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);

    /* A CA file of one DER certificate (openssl x509 -outform DER). */
    server = NULL;
    pki_path(cert, sizeof cert, "p384-chain.pem");
    pki_path(key, sizeof key, "p384-leaf.key");
    CHECK_RC(ferrotls_server_config_new(&server, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(server, version, version), 0);
    config = client_config("p256-root.pem", "leaf.p384.test");
    check_refuses_chain(config, server, "unknown issuer");
    export_path(spki, sizeof spki, "p384-root.der");
    CHECK_RC(ferrotls_client_config_set_ca_file(config, spki), 0);
    check_accepted(config, server, 0);

    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("DER files: a server's leaf and key, a client's pinned key, a key where the certificate "
           "goes refused; pins by SHA-256; a DER CA file: ok\n");
}

/* Post-handshake authentication by pinned keys (TLS 1.3): a request that
 * trusts the client's key alone gets its chain, whatever CA issued it; a
 * request pinning another key ends the connection. */
static void check_post_handshake_pins(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_with_certificate("p256-chain.pem", "p256-leaf.key");
    struct server_run srv;
    struct asking a;
    ferrotls_conn *conn = NULL;
    char pin[4096];
    int sv[2];

    CHECK_RC(ferrotls_client_config_set_tickets(config, 0), 0);
    CHECK_RC(ferrotls_server_config_set_post_handshake_pinned_keys_file(NULL, pin, 1),
             FERROTLS_E_INVALID_REQUEST);
    pki_path(pin, sizeof pin, "p256-leaf.pem");
    CHECK_RC(ferrotls_server_config_set_post_handshake_pinned_keys_file(server, pin, 1),
             FERROTLS_E_FILE);
    pki_path(pin, sizeof pin, "p256-leaf.spki.der");
    CHECK_RC(ferrotls_server_config_set_post_handshake_pinned_keys_file(server, pin, 1), 0);
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(ask_while_receiving(conn, &srv, ferrotls_conn_reauth, 0, &a), strlen(ASKED));
    CHECK_RC(a.rc, 0);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 2);
    answer_and_close(conn, srv.conn, "pinned");
    close_pair(conn, &srv, sv);

    /* The public key of another (P-384) key. */
    export_path(pin, sizeof pin, "p384-leaf.spki.der");
    CHECK_RC(ferrotls_server_config_set_post_handshake_pinned_keys_file(server, pin, 1), 0);
    check_reauth_refused(config, server, "key not pinned");

    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("post-handshake auth by pinned keys: the pinned key's chain, another key refused, "
           "bad files: ok\n");
}

/* The host of the certificates of vectors/pki/crl (crl/make.sh). */
#define CRL_HOST "crl.test"

/* A server of the crl.test chain named `leaf` ("good" or "revoked"). */
static ferrotls_server_config *crl_server(const char *leaf)
{
    ferrotls_server_config *server = NULL;
    char file[64], cert[4096], key[4096];

    snprintf(file, sizeof file, "crl/%s-chain.pem", leaf);
    pki_path(cert, sizeof cert, file);
    snprintf(file, sizeof file, "crl/%s.key", leaf);
    pki_path(key, sizeof key, file);
    CHECK_RC(ferrotls_server_config_new(&server, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(server, version, version), 0);
    return server;
}

/* Sets the CRL file `file` of vectors/pki on a client (or, when `config`
 * is NULL, on `server`): it holds one CRL. */
static void set_crl(ferrotls_client_config *config, ferrotls_server_config *server,
                    const char *file)
{
    char path[4096];

    pki_path(path, sizeof path, file);
    if (config != NULL)
        CHECK_RC(ferrotls_client_config_set_crl_file(config, path), 1);
    else
        CHECK_RC(ferrotls_server_config_set_crl_file(server, path), 1);
}

/* Writes `len` bytes of `data` to a new file at `path`. */
static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    CHECK(f != NULL);
    CHECK(fwrite(data, 1, len, f) == len);
    CHECK(fclose(f) == 0);
}

/* Revocation (RFC 5280 section 6.3) with the CRLs of vectors/pki/crl:
 * int's CRL lists the revoked leaf; root's lists nothing and covers int.
 * A client without CRLs accepts the revoked server, refuses it with int's
 * CRL (PEM) and accepts the good one; NULL removes the CRLs. Under
 * hard-fail a certificate no CRL covers is refused: the good leaf with
 * no CRL, and with root's CRL alone (which covers int, not the leaf),
 * until int's CRL (DER) is added beside it. Files that hold no CRL are
 * refused and change nothing. The server checks client chains the same
 * way. */
static void check_crls(void)
{
    ferrotls_server_config *good = crl_server("good"), *revoked = crl_server("revoked");
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_config("crl/root.pem", CRL_HOST);
    char dir[] = "/tmp/ferrotls-crl-XXXXXX", garbage[64], der_garbage[64], path[4096];
    static const unsigned char der_like[] = {0x30, 0x03, 0x02, 0x01, 0x00};

    /* A resumption checks no chain: each handshake here is a full one. */
    CHECK_RC(ferrotls_client_config_set_tickets(config, 0), 0);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(garbage, sizeof garbage, "%s/garbage.crl", dir);
    write_file(garbage, "not a CRL\n", 10);
    snprintf(der_garbage, sizeof der_garbage, "%s/garbage.der", dir);
    write_file(der_garbage, der_like, sizeof der_like);

    /* Bad arguments and files: refused, nothing set. */
    pki_path(path, sizeof path, "crl/int.crl.pem");
    CHECK_RC(ferrotls_client_config_set_crl_file(NULL, path), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_crl_file(NULL, path), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_crl_file(config, "/nonexistent"), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_client_config_set_crl_file(config, garbage), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_client_config_set_crl_file(config, der_garbage), FERROTLS_E_FILE);
    pki_path(path, sizeof path, "crl/root.pem");
    CHECK_RC(ferrotls_client_config_set_crl_file(config, path), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_server_config_set_crl_file(server, garbage), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_client_config_set_revocation_policy(NULL, FERROTLS_REVOCATION_HARD_FAIL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_revocation_policy(config, 2), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_revocation_policy(NULL, FERROTLS_REVOCATION_HARD_FAIL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_revocation_policy(server, -1),
             FERROTLS_E_INVALID_REQUEST);

    /* No CRL: the revoked leaf passes. */
    check_accepted(config, revoked, 0);
    /* int's CRL lists it. */
    set_crl(config, NULL, "crl/int.crl.pem");
    check_refuses_chain(config, revoked, "invalid certificate: revoked");
    check_accepted(config, good, 0);
    /* NULL removes the CRLs. */
    CHECK_RC(ferrotls_client_config_set_crl_file(config, NULL), 0);
    check_accepted(config, revoked, 0);

    /* Hard-fail: each certificate below the root needs its issuer's CRL. */
    CHECK_RC(ferrotls_client_config_set_revocation_policy(config, FERROTLS_REVOCATION_HARD_FAIL),
             0);
    check_refuses_chain(config, good, "revocation unknown");
    set_crl(config, NULL, "crl/root.crl.pem");
    check_refuses_chain(config, good, "revocation unknown");
    set_crl(config, NULL, "crl/int.crl.der");
    check_accepted(config, good, 0);
    check_refuses_chain(config, revoked, "invalid certificate: revoked");
    CHECK_RC(ferrotls_client_config_set_revocation_policy(config, FERROTLS_REVOCATION_SOFT_FAIL),
             0);
    CHECK_RC(ferrotls_client_config_set_crl_file(config, NULL), 0);
    check_accepted(config, good, 0);
    ferrotls_client_config_free(config);

    /* The server, of client chains under the crl root. */
    pki_path(path, sizeof path, "crl/root.pem");
    CHECK_RC(ferrotls_server_config_set_client_ca_file(server, path, 1), 0);
    config = client_with_certificate("crl/revoked-chain.pem", "crl/revoked.key");
    check_accepted(config, server, 2);
    set_crl(NULL, server, "crl/int.crl.pem");
    check_server_refuses(config, server, FERROTLS_E_CERTIFICATE_REFUSED,
                         "invalid certificate: revoked");
    ferrotls_client_config_free(config);
    config = client_with_certificate("crl/good-chain.pem", "crl/good.key");
    check_accepted(config, server, 2);
    CHECK_RC(ferrotls_server_config_set_revocation_policy(server, FERROTLS_REVOCATION_HARD_FAIL),
             0);
    check_server_refuses(config, server, FERROTLS_E_CERTIFICATE_REFUSED, "revocation unknown");
    set_crl(NULL, server, "crl/root.crl.pem");
    check_accepted(config, server, 2);
    ferrotls_client_config_free(config);

    CHECK(unlink(garbage) == 0 && unlink(der_garbage) == 0 && rmdir(dir) == 0);
    ferrotls_server_config_free(server);
    ferrotls_server_config_free(good);
    ferrotls_server_config_free(revoked);
    printf("CRLs: a revoked server and client refused, PEM and DER, removed, hard-fail, "
           "files without a CRL refused, bad arguments: ok\n");
}

/* A handshake of a client of `config` with `server` that both complete,
 * the client reading that the server signed with `scheme`, and the server
 * that the client signed with `client_scheme` (NULL: it signed nothing). */
static void check_schemes(ferrotls_client_config *config, ferrotls_server_config *server,
                          const char *scheme, const char *client_scheme)
{
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    const char *signed_with;
    int sv[2];

    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    signed_with = ferrotls_conn_peer_signature_scheme(conn);
    CHECK(signed_with != NULL && strcmp(signed_with, scheme) == 0);
    signed_with = ferrotls_conn_peer_signature_scheme(srv.conn);
    if (client_scheme == NULL)
        CHECK(signed_with == NULL);
    else
        CHECK(signed_with != NULL && strcmp(signed_with, client_scheme) == 0);
    close_pair(conn, &srv, sv);
}

/* Signature schemes by name (the SIGN- part of a GnuTLS priority string)
 * with the RSA test chain, whose key signs rsa_pss_rsae_sha256 first: a
 * client's list chooses what the server signs with; a server's list
 * restricts it further, in its own order; lists without a scheme in
 * common end the handshake; a client's list orders what its certificate
 * signs with; OpenSSL's spelling; bad lists change nothing. */
static void check_signature_schemes(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_server_config *rsa = NULL;
    ferrotls_client_config *config = client_config("rsa2048-root.pem", RSA_HOST);
    ferrotls_client_config *p256 = client_config("p256-root.pem", "leaf.p256.test");
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    char cert[4096], key[4096];
    int sv[2];

    pki_path(cert, sizeof cert, "rsa2048-chain.pem");
    pki_path(key, sizeof key, "rsa2048-leaf.key");
    CHECK_RC(ferrotls_server_config_new(&rsa, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(rsa, version, version), 0);
    /* A resumption signs nothing: each handshake here is a full one. */
    CHECK_RC(ferrotls_client_config_set_tickets(config, 0), 0);
    CHECK_RC(ferrotls_client_config_set_tickets(p256, 0), 0);

    /* An unknown name, a list of none, NULL configurations. */
    CHECK_RC(ferrotls_client_config_set_signature_schemes(
                 config, "rsa_pss_rsae_sha384:no_such_scheme"),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_signature_schemes(config, " : ,"),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_signature_schemes(rsa, ""), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_signature_schemes(NULL, NULL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_signature_schemes(NULL, NULL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK(ferrotls_conn_peer_signature_scheme(NULL) == NULL);
    CHECK_RC(ferrotls_conn_new_client(&conn, config), 0);
    CHECK(ferrotls_conn_peer_signature_scheme(conn) == NULL);
    ferrotls_conn_free(conn);
    /* They changed nothing: the key's first choice. */
    check_schemes(config, rsa, "rsa_pss_rsae_sha256", NULL);

    /* The client accepts only SHA-384. */
    CHECK_RC(ferrotls_client_config_set_signature_schemes(config, "rsa_pss_rsae_sha384"), 0);
    check_schemes(config, rsa, "rsa_pss_rsae_sha384", NULL);
    /* Both offered; the server's list picks SHA-384 of them. */
    CHECK_RC(ferrotls_client_config_set_signature_schemes(
                 config, "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384"), 0);
    CHECK_RC(ferrotls_server_config_set_signature_schemes(
                 rsa, "rsa_pss_rsae_sha512,rsa_pss_rsae_sha384"), 0);
    check_schemes(config, rsa, "rsa_pss_rsae_sha384", NULL);
    /* Nothing in common: the server has no signature to give. */
    CHECK_RC(ferrotls_server_config_set_signature_schemes(rsa, "rsa_pss_rsae_sha512"), 0);
    CHECK_RC(handshake_pair(config, rsa, &conn, &srv, sv), FERROTLS_E_ALERT_RECEIVED);
    CHECK_RC(srv.rc, FERROTLS_E_HANDSHAKE_FAILURE);
    close_pair(conn, &srv, sv);
    /* NULL: the defaults again. */
    CHECK_RC(ferrotls_server_config_set_signature_schemes(rsa, NULL), 0);
    CHECK_RC(ferrotls_client_config_set_signature_schemes(config, NULL), 0);
    check_schemes(config, rsa, "rsa_pss_rsae_sha256", NULL);
    /* A certificate added beside the first signs from the list too. */
    CHECK_RC(ferrotls_server_config_add_certificate(server, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_signature_schemes(
                 server, "ecdsa_secp256r1_sha256:rsa_pss_rsae_sha384"), 0);
    check_schemes(config, server, "rsa_pss_rsae_sha384", NULL);
    check_schemes(p256, server, "ecdsa_secp256r1_sha256", NULL);
    CHECK_RC(ferrotls_server_config_set_signature_schemes(server, NULL), 0);

    /* The client's certificate signs with the first of its list that the
     * server accepts, and the server's own signature comes from the same
     * list. */
    pki_path(cert, sizeof cert, "rsa2048-root.pem");
    CHECK_RC(ferrotls_server_config_set_client_ca_file(rsa, cert, 1), 0);
    pki_path(cert, sizeof cert, "rsa2048-chain.pem");
    CHECK_RC(ferrotls_client_config_set_certificate(config, cert, key), 0);
    CHECK_RC(ferrotls_client_config_set_signature_schemes(
                 config, "rsa_pss_rsae_sha512,rsa_pss_rsae_sha256"), 0);
    check_schemes(config, rsa, "rsa_pss_rsae_sha256", "rsa_pss_rsae_sha512");

    /* OpenSSL's KEY+HASH spelling, with the P-256 chain. */
    CHECK_RC(ferrotls_client_config_set_signature_schemes(p256, "ECDSA+SHA256"), 0);
    check_schemes(p256, server, "ecdsa_secp256r1_sha256", NULL);

    ferrotls_client_config_free(config);
    ferrotls_client_config_free(p256);
    ferrotls_server_config_free(rsa);
    ferrotls_server_config_free(server);
    printf("signature schemes: the client's and the server's lists choose what is signed, "
           "none in common, client certificates, OpenSSL names, bad lists: ok\n");
}

/* The element of DER at p (a tag, then a length of at most 2 bytes:
 * every element of the test certificates is under 64 KiB): its size,
 * header included; *contents is where its contents start. */
static size_t der_element(const unsigned char *p, const unsigned char **contents)
{
    size_t header = 2, len = p[1];

    if (p[1] == 0x81) {
        header = 3;
        len = p[2];
    } else if (p[1] == 0x82) {
        header = 4;
        len = (size_t)p[2] << 8 | p[3];
    } else {
        CHECK(p[1] < 0x80);
    }
    *contents = p + header;
    return header + len;
}

/* The subject Name of the DER certificate cert (RFC 5280 section 4.1),
 * its size in *size: the sixth field of the TBSCertificate, counting the
 * explicit version. */
static const unsigned char *der_subject(const unsigned char *cert, size_t *size)
{
    const unsigned char *tbs, *p, *skip;
    int field;

    der_element(cert, &tbs);
    der_element(tbs, &p);
    CHECK(*p == 0xa0); /* version: every test certificate is v3 */
    /* version, serialNumber, signature, issuer, validity */
    for (field = 0; field < 5; field++)
        p += der_element(p, &skip);
    *size = der_element(p, &skip);
    return p;
}

/* What a certificate callback saw of the requests it answered, and the
 * index it answers with. */
struct certificate_choice {
    int answer;
    int calls;
    int version;
    char server_name[64];
    size_t server_name_len;
    int ca_count;
    unsigned char ca[512];
    size_t ca_len;
    uint16_t schemes[16];
    size_t scheme_count;
    int certificate_type;
    int post_handshake;
};

/* A ferrotls_client_certificate_fn: keeps what the latest request said
 * (checking the accessors' bad arguments and the size convention of
 * the signature schemes on the way) and answers choice->answer. */
static int choose_certificate(void *user, const ferrotls_certificate_request *request)
{
    struct certificate_choice *choice = user;
    const void *name = NULL;
    size_t size;
    uint16_t one = 0xffff;

    choice->calls++;
    choice->version = ferrotls_certificate_request_protocol_version(request);
    choice->server_name_len = sizeof choice->server_name;
    CHECK_RC(ferrotls_certificate_request_get_server_name(request, choice->server_name,
                                                          &choice->server_name_len), 0);
    choice->ca_count = ferrotls_certificate_request_ca_count(request);
    choice->ca_len = 0;
    if (choice->ca_count > 0) {
        CHECK_RC(ferrotls_certificate_request_ca_name(request, 0, &name, &size), 0);
        CHECK(size <= sizeof choice->ca);
        memcpy(choice->ca, name, size);
        choice->ca_len = size;
    }
    CHECK_RC(ferrotls_certificate_request_ca_name(request, (size_t)choice->ca_count, &name,
                                                  &size), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_certificate_request_ca_name(request, 0, NULL, &size),
             FERROTLS_E_INVALID_REQUEST);
    /* The size convention in entries: a query, too small, enough. */
    choice->scheme_count = 0;
    CHECK_RC(ferrotls_certificate_request_get_signature_schemes(request, NULL,
                                                                &choice->scheme_count), 0);
    CHECK(choice->scheme_count >= 2);
    size = 1;
    CHECK_RC(ferrotls_certificate_request_get_signature_schemes(request, &one, &size),
             FERROTLS_E_SHORT_MEMORY_BUFFER);
    CHECK(size == choice->scheme_count && one == 0xffff);
    size = sizeof choice->schemes / sizeof choice->schemes[0];
    CHECK_RC(ferrotls_certificate_request_get_signature_schemes(request, choice->schemes,
                                                                &size), 0);
    CHECK(size == choice->scheme_count);
    CHECK_RC(ferrotls_certificate_request_get_signature_schemes(request, choice->schemes, NULL),
             FERROTLS_E_INVALID_REQUEST);
    choice->certificate_type = ferrotls_certificate_request_certificate_type(request);
    choice->post_handshake = ferrotls_certificate_request_post_handshake(request);
    return choice->answer;
}

/* What the server of the certificate-callback checks accepts in the
 * client's CertificateVerify: ECDSA only, in this order, so its requests
 * list exactly these (IANA code points). */
static const char callback_server_schemes[] = "ecdsa_secp384r1_sha384:ecdsa_secp256r1_sha256";
static const uint16_t callback_server_codes[] = {0x0503, 0x0403};

/* The latest request `choice` saw came in a handshake (or after it, when
 * post_handshake) of the configured version from a server of
 * callback_server_schemes naming one CA, the root whose DER subject is
 * the `subject_len` bytes at `subject`, to a client of leaf.p256.test. */
static void check_request_seen(const struct certificate_choice *choice,
                               const unsigned char *subject, size_t subject_len,
                               int post_handshake)
{
    size_t i;

    CHECK_RC(choice->version, version);
    CHECK(choice->server_name_len == strlen("leaf.p256.test") &&
          memcmp(choice->server_name, "leaf.p256.test", choice->server_name_len) == 0);
    CHECK_RC(choice->ca_count, 1);
    CHECK(choice->ca_len == subject_len && memcmp(choice->ca, subject, subject_len) == 0);
    CHECK(choice->scheme_count == sizeof callback_server_codes / sizeof callback_server_codes[0]);
    for (i = 0; i < choice->scheme_count; i++)
        CHECK(choice->schemes[i] == callback_server_codes[i]);
    CHECK_RC(choice->certificate_type, FERROTLS_CRT_X509);
    CHECK_RC(choice->post_handshake, post_handshake);
}

/* A request after the handshake, `ask` (ferrotls_conn_reauth in TLS 1.3,
 * ferrotls_conn_rehandshake in TLS 1.2), answered through the callback:
 * the server's handshake asked for nothing, its request asks for a
 * certificate under the P-384 root, and gets the P-384 chain the
 * callback picks (index 1). */
static void check_callback_after_handshake(ferrotls_client_config *config,
                                           struct certificate_choice *choice,
                                           const unsigned char *subject, size_t subject_len)
{
    ferrotls_server_config *server = server_config();
    int (*ask)(ferrotls_conn *) =
        version == FERROTLS_TLS1_3 ? ferrotls_conn_reauth : ferrotls_conn_rehandshake;
    struct server_run srv;
    struct asking a;
    ferrotls_conn *conn = NULL;
    int sv[2], calls;
    char ca[4096];

    pki_path(ca, sizeof ca, "p384-root.pem");
    CHECK_RC(ferrotls_server_config_set_post_handshake_ca_file(server, ca, 1), 0);
    CHECK_RC(ferrotls_server_config_set_signature_schemes(server, callback_server_schemes), 0);
    CHECK_RC(ferrotls_server_config_set_renegotiation(server, 1), 0);
    CHECK_RC(ferrotls_client_config_set_renegotiation(config, 1), 0);
    choice->answer = 1;
    calls = choice->calls;
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(choice->calls, calls);
    CHECK_RC(ferrotls_conn_peer_certificate_count(srv.conn), 0);
    CHECK_RC(ask_while_receiving(conn, &srv, ask, 0, &a), strlen(ASKED));
    CHECK_RC(a.rc, 0);
    CHECK_RC(choice->calls, calls + 1);
    check_request_seen(choice, subject, subject_len, version == FERROTLS_TLS1_3);
    check_peer_export(srv.conn, 2, "p384-leaf.der");
    close_pair(conn, &srv, sv);
    CHECK_RC(ferrotls_client_config_set_renegotiation(config, 0), 0);
    ferrotls_server_config_free(server);
}

/* A client certificate chosen when the server asks (as GnuTLS's
 * gnutls_certificate_set_retrieve_function2): a client with the P-256,
 * P-384 and RSA chains added, and a server that accepts client
 * certificates under the P-384 root only, optionally, and ECDSA
 * signatures only. Without a callback the library sends the P-384 chain
 * (under the CA the server named), though another was added first; the
 * callback sees the version, the server name, the one CA name (the
 * subject of the root, as openssl exports it), the signature schemes, the
 * certificate type and whether the request came after the handshake; the
 * chain whose index it returns is what the server receives; -1, an index
 * past the chains and one whose key the server's schemes do not cover
 * send none; removed, the library chooses again. Also in a request after
 * the handshake (TLS 1.3 post-handshake authentication, a TLS 1.2
 * renegotiation), and for a key without a chain (RFC 7250). */
static void check_certificate_callback(void)
{
    ferrotls_server_config *server = server_config();
    ferrotls_client_config *config = client_config("p256-root.pem", "leaf.p256.test");
    struct certificate_choice choice;
    struct server_run srv;
    ferrotls_conn *conn = NULL;
    unsigned char root[4096];
    const unsigned char *subject;
    size_t root_len, subject_len;
    char cert[4096], key[4096], path[4096];
    int sv[2];

    export_path(path, sizeof path, "p384-root.der");
    root_len = read_text(path, (char *)root, sizeof root);
    CHECK(root_len > 0 && root_len == der_length(root));
    subject = der_subject(root, &subject_len);
    CHECK(subject[0] == 0x30 && subject_len < 512);

    pki_path(path, sizeof path, "p384-root.pem");
    CHECK_RC(ferrotls_server_config_set_client_ca_file(server, path, 0), 0);
    CHECK_RC(ferrotls_server_config_set_signature_schemes(server, callback_server_schemes), 0);
    /* Full handshakes only: a resumption asks for no certificate. */
    CHECK_RC(ferrotls_client_config_set_tickets(config, 0), 0);

    /* Indices from 0, in the order added; bad arguments add nothing. */
    pki_path(cert, sizeof cert, "p256-chain.pem");
    pki_path(key, sizeof key, "p256-leaf.key");
    CHECK_RC(ferrotls_client_config_add_certificate(config, cert, key), 0);
    CHECK_RC(ferrotls_client_config_add_certificate(NULL, cert, key), FERROTLS_E_INVALID_REQUEST);
    pki_path(cert, sizeof cert, "p384-chain.pem");
    CHECK_RC(ferrotls_client_config_add_certificate(config, cert, key), FERROTLS_E_FILE);
    pki_path(key, sizeof key, "p384-leaf.key");
    CHECK_RC(ferrotls_client_config_add_certificate(config, cert, key), 1);
    pki_path(cert, sizeof cert, "rsa2048-chain.pem");
    pki_path(key, sizeof key, "rsa2048-leaf.key");
    CHECK_RC(ferrotls_client_config_add_certificate(config, cert, key), 2);
    CHECK_RC(ferrotls_client_config_set_certificate_callback(NULL, choose_certificate, &choice),
             FERROTLS_E_INVALID_REQUEST);

    /* The library's choice: the chain under the CA the server named. */
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    check_peer_export(srv.conn, 2, "p384-leaf.der");
    close_pair(conn, &srv, sv);

    /* The callback's choice, index 1: the P-384 chain, and what the
     * request said. */
    memset(&choice, 0, sizeof choice);
    choice.answer = 1;
    CHECK_RC(ferrotls_client_config_set_certificate_callback(config, choose_certificate, &choice),
             0);
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(choice.calls, 1);
    check_request_seen(&choice, subject, subject_len, 0);
    check_peer_export(srv.conn, 2, "p384-leaf.der");
    close_pair(conn, &srv, sv);

    /* Index 0, the P-256 chain, first of all and not under that CA: the
     * server receives it, and refuses it. */
    choice.answer = 0;
    check_server_refuses(config, server, FERROTLS_E_CERTIFICATE_REFUSED, "unknown issuer");
    CHECK_RC(choice.calls, 2);

    /* None: -1, an index past the chains, and the RSA chain (index 2),
     * whose key cannot make a scheme the server accepts. The server,
     * asking optionally, goes on without a certificate. */
    choice.answer = -1;
    check_accepted(config, server, 0);
    choice.answer = 3;
    check_accepted(config, server, 0);
    choice.answer = 2;
    check_accepted(config, server, 0);
    CHECK_RC(choice.calls, 5);

    /* After the handshake: post-handshake 1 in TLS 1.3, 0 in a TLS 1.2
     * renegotiation. */
    check_callback_after_handshake(config, &choice, subject, subject_len);

    /* Removed: the library chooses again, without calling it. */
    CHECK_RC(ferrotls_client_config_set_certificate_callback(config, NULL, NULL), 0);
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    check_peer_export(srv.conn, 2, "p384-leaf.der");
    CHECK_RC(choice.calls, 6);
    close_pair(conn, &srv, sv);

    /* ferrotls_client_config_set_certificate replaces them all: it is
     * index 0, and the next added is index 1. */
    pki_path(cert, sizeof cert, "p256-chain.pem");
    pki_path(key, sizeof key, "p256-leaf.key");
    CHECK_RC(ferrotls_client_config_set_certificate(config, cert, key), 0);
    CHECK_RC(ferrotls_client_config_add_certificate(config, cert, key), 1);

    /* A key alone (RFC 7250) with a callback: raw public keys offered as
     * without one, so the request asks for one and the key reaches a
     * server that pinned it. */
    pki_path(key, sizeof key, "p384-leaf.key");
    CHECK_RC(ferrotls_client_config_set_rawpk_key_file(config, key), 0);
    export_path(path, sizeof path, "p384-leaf.pub.pem");
    CHECK_RC(ferrotls_server_config_set_client_pinned_keys_file(server, path, 1), 0);
    CHECK_RC(ferrotls_client_config_set_certificate_callback(config, choose_certificate, &choice),
             0);
    choice.answer = 0;
    CHECK_RC(handshake_pair(config, server, &conn, &srv, sv), 0);
    CHECK_RC(srv.rc, 0);
    CHECK_RC(choice.calls, 7);
    CHECK_RC(choice.certificate_type, FERROTLS_CRT_RAWPK);
    check_peer_key(srv.conn, "p384-leaf.spki.der");
    close_pair(conn, &srv, sv);

    ferrotls_client_config_free(config);
    ferrotls_server_config_free(server);
    printf("certificate callback: the library's choice under the CA named, the callback's "
           "choice received, what the request said, none for -1, past the chains or unfit, "
           "after the handshake, removed, set replaces added, a raw key: ok\n");
}

int main(int argc, char **argv)
{
    ferrotls_server_config *server;

    if (argc != 5 || (strcmp(argv[2], "1.2") != 0 && strcmp(argv[2], "1.3") != 0)) {
        fprintf(stderr, "usage: %s VECTORS_PKI_DIR 1.2|1.3 VERSION EXPORT_DIR\n", argv[0]);
        return 2;
    }
    pki = argv[1];
    exports = argv[4];
    version = strcmp(argv[2], "1.3") == 0 ? FERROTLS_TLS1_3 : FERROTLS_TLS1_2;

    CHECK(strcmp(ferrotls_version(), argv[3]) == 0);
    printf("version string: ok\n");

    server = server_config();
    CHECK_RC(ferrotls_server_config_set_alpn(server, server_alpn,
                                             sizeof server_alpn - 1), 0);
    CHECK_RC(ferrotls_server_config_set_alpn(NULL, server_alpn, 1),
             FERROTLS_E_INVALID_REQUEST);

    check_negotiated(server);

    check_refused(client_config("rsa2048-root.pem", "leaf.p256.test"), server,
                  "unknown issuer");
    check_refused(client_config("p256-root.pem", "other.p256.test"), server,
                  "name mismatch");
    printf("error strings: unknown issuer, name mismatch, alert received: ok\n");

    /* The system's roots load, and the test CA is not among them. */
    CHECK_RC(ferrotls_client_config_use_system_roots(NULL), FERROTLS_E_INVALID_REQUEST);
    check_refused(client_config(NULL, "leaf.p256.test"), server, "unknown issuer");
    printf("system roots: loaded, test CA not trusted: ok\n");

    check_client_auth();

    check_nonblocking(server);

    check_more_certificates();
    check_server_certificate_callback();
    check_reverify_on_resume(server);
    check_ocsp_stapling();
    check_key_log();
    check_names();
    check_max_fragment_size();
    check_key_update();
    check_post_handshake_auth();
    check_renegotiation();
    check_raw_public_keys();
    check_der_files();
    check_crls();
    check_signature_schemes();
    check_certificate_callback();
    if (version == FERROTLS_TLS1_3) {
        check_post_handshake_pins();
        check_early_data();
        check_half_rtt();
    } else
        check_false_start();

    ferrotls_server_config_free(server);
    printf("ALL OK\n");
    return 0;
}
