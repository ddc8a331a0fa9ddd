/*
 * The C API end to end: client and server are both ferrotls,
 * through ferrotls.h only, over a socketpair. The server runs in a thread
 * over the file descriptor; the client runs over read/write callbacks.
 *
 * Connections, all of the version named on the command line:
 *   A  full handshake; every ferrotls_session_get_id case; get_data
 *   B  same client configuration: resumes from its store on its own
 *   C  new client configuration + set_data with B's data: resumes; bad
 *      data refused without changing anything
 *   D  new client configuration + only corrupted data: full handshake
 *   E  C's data offered to a second server: resumed only once it holds
 *      the first server's ticket keys, which a rotation later retires
 * The server's ID must persist through A -> B -> C (design section 3).
 * B and C resume by ticket in both versions (TLS 1.2: RFC 5077, the
 * client's ID is the fresh one it offered; TLS 1.3: PSK, a fresh L').
 *
 * Usage: session_test VECTORS_PKI_DIR 1.2|1.3. Prints one line per check
 * group and "ALL OK" at the end; exits 1 on the first failure.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferrotls.h"

#define ID_MAX 32
#define DATA_MAX 16384

/* The one version every configuration enables. */
static uint16_t version;

/* The bytes the next server connection keeps with its session, if any. */
static const char *server_app_data;

#include "check.h"

/* What the server thread saw of one connection. */
struct server_run {
    ferrotls_server_config *config;
    int fd;
    unsigned char id[ID_MAX];
    size_t id_len;
    int resumed;
    int requested;
    /* What ferrotls_conn_get_resumption_data gave, and its bytes. */
    int app_rc;
    unsigned char app[64];
    size_t app_len;
};

static void *serve(void *arg)
{
    struct server_run *run = arg;
    ferrotls_conn *conn = NULL;
    unsigned char buf[64];
    size_t size;
    ssize_t n;

    CHECK_RC(ferrotls_conn_new_server(&conn, run->config), 0);
    /* Before the ClientHello the ID is empty. */
    size = sizeof run->id;
    CHECK_RC(ferrotls_session_get_id(conn, run->id, &size), 0);
    CHECK(size == 0);
    if (server_app_data != NULL) {
        static const unsigned char too_long[4097];
        CHECK_RC(ferrotls_conn_set_resumption_data(conn, server_app_data,
                                                   strlen(server_app_data)), 0);
        /* Refused, and what was set stays. */
        CHECK_RC(ferrotls_conn_set_resumption_data(conn, too_long, sizeof too_long),
                 FERROTLS_E_INVALID_REQUEST);
        CHECK_RC(ferrotls_conn_set_resumption_data(conn, NULL, 1),
                 FERROTLS_E_INVALID_REQUEST);
    }
    CHECK_RC(ferrotls_conn_set_fd(conn, run->fd), 0);
    CHECK_RC(ferrotls_conn_handshake(conn), 0);
    run->app_len = sizeof run->app;
    run->app_rc = ferrotls_conn_get_resumption_data(conn, run->app, &run->app_len);

    run->id_len = sizeof run->id;
    CHECK_RC(ferrotls_session_get_id(conn, run->id, &run->id_len), 0);
    run->resumed = ferrotls_session_is_resumed(conn);
    run->requested = ferrotls_session_resumption_requested(conn);
    /* Session export and import are for clients. */
    size = sizeof buf;
    CHECK_RC(ferrotls_session_get_data(conn, buf, &size),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_session_set_data(conn, buf, 1),
             FERROTLS_E_INVALID_REQUEST);

    CHECK_RC(ferrotls_conn_send(conn, "hello", 5), 5);
    n = ferrotls_conn_recv(conn, buf, sizeof buf);
    CHECK_RC(n, 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    CHECK_RC(ferrotls_conn_recv(conn, buf, sizeof buf), 0); /* close_notify */
    CHECK_RC(ferrotls_conn_close(conn), 0);
    ferrotls_conn_free(conn);
    return NULL;
}

static ssize_t pull(void *user, void *buf, size_t len)
{
    return read(*(int *)user, buf, len);
}

static ssize_t push(void *user, const void *buf, size_t len)
{
    return write(*(int *)user, buf, len);
}

/* What the client side of one connection saw. */
struct client_run {
    unsigned char id[ID_MAX];
    size_t id_len;
    int resumed;
    unsigned char data[DATA_MAX];
    size_t data_len;
};

/*
 * Runs one connection: the server in a thread, the client here over
 * callbacks. `import`, if not NULL, is handed to set_data first and must
 * give `import_rc`; when it succeeds, the connection is still not
 * started, the same data is set again, and a corrupted copy follows and
 * must be refused. `checks` runs every get_id case on the client.
 */
static void connect_once(ferrotls_client_config *client_config,
                         ferrotls_server_config *server_config,
                         const unsigned char *import, size_t import_len,
                         int import_rc, int checks, struct client_run *out,
                         struct server_run *srv)
{
    int sv[2];
    pthread_t thread;
    ferrotls_conn *conn = NULL;
    unsigned char buf[DATA_MAX];
    size_t size;

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    memset(srv, 0, sizeof *srv);
    srv->config = server_config;
    srv->fd = sv[1];
    CHECK(pthread_create(&thread, NULL, serve, srv) == 0);

    CHECK_RC(ferrotls_conn_new_client(&conn, client_config), 0);
    /* Resumption data is the server's. */
    CHECK_RC(ferrotls_conn_set_resumption_data(conn, "x", 1),
             FERROTLS_E_INVALID_REQUEST);
    size = sizeof buf;
    CHECK_RC(ferrotls_conn_get_resumption_data(conn, buf, &size),
             FERROTLS_E_INVALID_REQUEST);
    if (import != NULL) {
        CHECK_RC(ferrotls_session_set_data(conn, import, import_len), import_rc);
        if (import_rc == 0) {
            /* Not started yet: nothing to close or send, and the session
             * may be set again. */
            CHECK_RC(ferrotls_conn_close(conn), FERROTLS_E_INVALID_REQUEST);
            CHECK_RC(ferrotls_conn_wants_write(conn), 0);
            CHECK_RC(ferrotls_session_set_data(conn, import, import_len), 0);
            /* Corrupted data after good data changes nothing: the
             * handshake must still resume. */
            memcpy(buf, import, import_len);
            buf[import_len / 2] ^= 0x01;
            CHECK_RC(ferrotls_session_set_data(conn, buf, import_len),
                     FERROTLS_E_INVALID_SESSION_DATA);
        }
    }
    CHECK_RC(ferrotls_conn_set_callbacks(conn, pull, push, &sv[0]), 0);

    if (checks) {
        /* Before the handshake: empty, as a size query and as a copy. */
        size = 99;
        CHECK_RC(ferrotls_session_get_id(conn, NULL, &size), 0);
        CHECK(size == 0);
        size = sizeof buf;
        CHECK_RC(ferrotls_session_get_id(conn, buf, &size), 0);
        CHECK(size == 0);
        /* Not started: nothing to close, no secrets yet. */
        CHECK_RC(ferrotls_conn_close(conn), FERROTLS_E_INVALID_REQUEST);
        CHECK_RC(ferrotls_session_ext_master_secret_status(conn), 0);
    }

    CHECK_RC(ferrotls_conn_handshake(conn), 0);
    out->resumed = ferrotls_session_is_resumed(conn);
    /* TLS 1.3, or TLS 1.2 with RFC 7627: bound to the handshake. */
    CHECK_RC(ferrotls_session_ext_master_secret_status(conn), 1);
    CHECK_RC(ferrotls_session_resumption_requested(conn), 0);
    /* Too late to choose the session. */
    CHECK_RC(ferrotls_session_set_data(conn, buf, 1),
             FERROTLS_E_INVALID_REQUEST);

    out->id_len = sizeof out->id;
    CHECK_RC(ferrotls_session_get_id(conn, out->id, &out->id_len), 0);

    if (checks) {
        unsigned char small[ID_MAX];
        size_t i;

        /* NULL arguments. */
        size = sizeof buf;
        CHECK_RC(ferrotls_session_get_id(NULL, buf, &size),
                 FERROTLS_E_INVALID_REQUEST);
        CHECK_RC(ferrotls_session_get_id(conn, buf, NULL),
                 FERROTLS_E_INVALID_REQUEST);
        CHECK_RC(ferrotls_session_get_id(NULL, NULL, NULL),
                 FERROTLS_E_INVALID_REQUEST);
        /* NULL buffer: a size query returning 0. */
        size = 0;
        CHECK_RC(ferrotls_session_get_id(conn, NULL, &size), 0);
        CHECK(size == 32);
        /* Exact size. */
        size = 32;
        memset(buf, 0, sizeof buf);
        CHECK_RC(ferrotls_session_get_id(conn, buf, &size), 0);
        CHECK(size == 32);
        CHECK(memcmp(buf, out->id, 32) == 0);
        /* Too small: the size needed, the buffer untouched. */
        memset(small, 0xAA, sizeof small);
        size = 31;
        CHECK_RC(ferrotls_session_get_id(conn, small, &size),
                 FERROTLS_E_SHORT_MEMORY_BUFFER);
        CHECK(size == 32);
        for (i = 0; i < sizeof small; i++)
            CHECK(small[i] == 0xAA);
        size = 0;
        CHECK_RC(ferrotls_session_get_id(conn, small, &size),
                 FERROTLS_E_SHORT_MEMORY_BUFFER);
        CHECK(size == 32);
        CHECK(small[0] == 0xAA);
        printf("get_id: NULL args, size query, exact size, too small: ok\n");

        /* TLS 1.3 tickets come after the handshake: none yet. A TLS 1.2
         * session is complete with the handshake. */
        size = sizeof buf;
        CHECK_RC(ferrotls_session_get_data(conn, buf, &size),
                 version == FERROTLS_TLS1_3 ? FERROTLS_E_NO_SESSION_DATA : 0);
        CHECK_RC(ferrotls_session_get_data(NULL, buf, &size),
                 FERROTLS_E_INVALID_REQUEST);
        CHECK_RC(ferrotls_session_get_data(conn, buf, NULL),
                 FERROTLS_E_INVALID_REQUEST);
    }

    CHECK_RC(ferrotls_conn_recv(conn, buf, sizeof buf), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_RC(ferrotls_conn_send(conn, "ping", 4), 4);

    /* The ticket arrived with the server's data. */
    out->data_len = 0;
    CHECK_RC(ferrotls_session_get_data(conn, NULL, &out->data_len), 0);
    CHECK(out->data_len > 0 && out->data_len <= sizeof out->data);
    if (checks) {
        size = out->data_len - 1;
        memset(buf, 0x55, sizeof buf);
        CHECK_RC(ferrotls_session_get_data(conn, buf, &size),
                 FERROTLS_E_SHORT_MEMORY_BUFFER);
        CHECK(size == out->data_len);
        CHECK(buf[0] == 0x55 && buf[out->data_len - 2] == 0x55);
        printf("get_data: before and after the ticket, size query, too small: ok\n");
    }
    size = out->data_len;
    CHECK_RC(ferrotls_session_get_data(conn, out->data, &size), 0);
    CHECK(size == out->data_len);

    CHECK_RC(ferrotls_conn_close(conn), 0);
    CHECK_RC(ferrotls_conn_recv(conn, buf, sizeof buf), 0); /* close_notify */
    CHECK(pthread_join(thread, NULL) == 0);
    ferrotls_conn_free(conn);
    close(sv[0]);
    close(sv[1]);
}

static ferrotls_client_config *client_config(const char *dir)
{
    ferrotls_client_config *config = NULL;
    char path[4096];

    CHECK_RC(ferrotls_client_config_new(&config), 0);
    snprintf(path, sizeof path, "%s/p256-root.pem", dir);
    CHECK_RC(ferrotls_client_config_set_ca_file(config, path), 0);
    CHECK_RC(ferrotls_client_config_set_server_name(config, "leaf.p256.test"), 0);
    CHECK_RC(ferrotls_client_config_set_versions(config, version, version), 0);
    CHECK_RC(ferrotls_client_config_set_tickets(config, 1), 0);
    return config;
}

static void check_api_edges(const char *dir)
{
    ferrotls_client_config *config = NULL;
    ferrotls_server_config *server = NULL;
    ferrotls_conn *conn = NULL;
    char path[4096];

    CHECK_RC(ferrotls_client_config_new(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_new(&config), 0);
    /* No CA file, no server name: no connection. */
    CHECK_RC(ferrotls_conn_new_client(&conn, config), FERROTLS_E_INVALID_REQUEST);
    CHECK(conn == NULL);
    CHECK_RC(ferrotls_client_config_set_ca_file(config, "/nonexistent/ca.pem"),
             FERROTLS_E_FILE);
    CHECK_RC(ferrotls_client_config_set_ca_file(config, NULL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_server_name(config, "not a name!"),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_versions(config, FERROTLS_TLS1_3,
                                                 FERROTLS_TLS1_2),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_versions(config, 0x0300, FERROTLS_TLS1_3),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_client_config_set_tickets(NULL, 1),
             FERROTLS_E_INVALID_REQUEST);
    ferrotls_client_config_free(config);
    ferrotls_client_config_free(NULL);

    snprintf(path, sizeof path, "%s/p256-root.pem", dir);
    CHECK_RC(ferrotls_server_config_new(&server, path, path), FERROTLS_E_FILE);
    CHECK_RC(ferrotls_conn_new_server(&conn, NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_handshake(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_send(NULL, "x", 1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_recv(NULL, path, 1), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_conn_set_fd(NULL, 0), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_session_is_resumed(NULL), FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_session_ext_master_secret_status(NULL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_session_resumption_requested(NULL),
             FERROTLS_E_INVALID_REQUEST);
    ferrotls_conn_free(NULL);

    CHECK(strcmp(ferrotls_strerror(FERROTLS_E_SHORT_MEMORY_BUFFER),
                 "the buffer is too small") == 0);
    CHECK(strcmp(ferrotls_strerror(12345), "unknown error code") == 0);
    printf("configs and NULL arguments: ok\n");
}

/*
 * E: a second server resumes `c`'s session, sealed by `server`, only once
 * it holds `server`'s ticket keys, and keeps the server ID `sa` saw;
 * after `server` rotates twice, its old key is gone and the session no
 * longer resumes there.
 */
static void check_shared_ticket_keys(const char *dir, ferrotls_server_config *server,
                                     const struct client_run *c,
                                     const struct server_run *sa)
{
    ferrotls_server_config *other = NULL;
    ferrotls_client_config *config;
    unsigned char keys[1024];
    size_t size, len;
    struct client_run e;
    struct server_run se;
    char cert[4096], key[4096];

    snprintf(cert, sizeof cert, "%s/p256-chain.pem", dir);
    snprintf(key, sizeof key, "%s/p256-leaf.key", dir);
    CHECK_RC(ferrotls_server_config_new(&other, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(other, version, version), 0);

    /* Another server's keys cannot unseal the ticket. */
    config = client_config(dir);
    connect_once(config, other, c->data, c->data_len, 0, 0, &e, &se);
    CHECK(e.resumed == 0 && se.resumed == 0);
    ferrotls_client_config_free(config);

    /* The size convention of ferrotls_session_get_id. */
    size = 0;
    CHECK_RC(ferrotls_server_config_get_ticket_keys(server, NULL, &size), 0);
    CHECK(size > 0 && size <= sizeof keys);
    len = size;
    size = len - 1;
    CHECK_RC(ferrotls_server_config_get_ticket_keys(server, keys, &size),
             FERROTLS_E_SHORT_MEMORY_BUFFER);
    CHECK(size == len);
    size = sizeof keys;
    CHECK_RC(ferrotls_server_config_get_ticket_keys(server, keys, &size), 0);
    CHECK(size == len);
    CHECK_RC(ferrotls_server_config_get_ticket_keys(NULL, keys, &size),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_get_ticket_keys(server, keys, NULL),
             FERROTLS_E_INVALID_REQUEST);

    /* Bytes that are not a key set change nothing. */
    keys[len / 2] ^= 0x01;
    CHECK_RC(ferrotls_server_config_set_ticket_keys(other, keys, len),
             FERROTLS_E_INVALID_SESSION_DATA);
    keys[len / 2] ^= 0x01;
    CHECK_RC(ferrotls_server_config_set_ticket_keys(other, keys, len - 1),
             FERROTLS_E_INVALID_SESSION_DATA);
    CHECK_RC(ferrotls_server_config_set_ticket_keys(other, NULL, len),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_ticket_keys(NULL, keys, len),
             FERROTLS_E_INVALID_REQUEST);
    config = client_config(dir);
    connect_once(config, other, c->data, c->data_len, 0, 0, &e, &se);
    CHECK(e.resumed == 0 && se.resumed == 0);
    ferrotls_client_config_free(config);

    /* With them it resumes, and the server ID persists across servers. */
    CHECK_RC(ferrotls_server_config_set_ticket_keys(other, keys, len), 0);
    config = client_config(dir);
    connect_once(config, other, c->data, c->data_len, 0, 0, &e, &se);
    CHECK(e.resumed == 1 && se.resumed == 1);
    CHECK(se.id_len == 32 && memcmp(se.id, sa->id, 32) == 0);
    ferrotls_client_config_free(config);

    /* Two rotations retire the key that sealed the ticket. */
    CHECK_RC(ferrotls_server_config_rotate_ticket_keys(NULL),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_rotate_ticket_keys(server), 0);
    config = client_config(dir);
    connect_once(config, server, c->data, c->data_len, 0, 0, &e, &se);
    CHECK(e.resumed == 1 && se.resumed == 1);
    ferrotls_client_config_free(config);
    CHECK_RC(ferrotls_server_config_rotate_ticket_keys(server), 0);
    config = client_config(dir);
    connect_once(config, server, c->data, c->data_len, 0, 0, &e, &se);
    CHECK(e.resumed == 0 && se.resumed == 0);
    ferrotls_client_config_free(config);

    ferrotls_server_config_free(other);
    printf("E shared ticket keys: another server resumes, server ID kept; "
           "retired by rotation: ok\n");
}

int main(int argc, char **argv)
{
    ferrotls_server_config *server = NULL;
    ferrotls_client_config *first, *second, *third;
    struct client_run a, b, c, d;
    struct server_run sa, sb, sc, sd;
    unsigned char bad[DATA_MAX];
    char cert[4096], key[4096];

    if (argc != 3 || (strcmp(argv[2], "1.2") != 0 && strcmp(argv[2], "1.3") != 0)) {
        fprintf(stderr, "usage: %s VECTORS_PKI_DIR 1.2|1.3\n", argv[0]);
        return 2;
    }
    version = strcmp(argv[2], "1.3") == 0 ? FERROTLS_TLS1_3 : FERROTLS_TLS1_2;
    check_api_edges(argv[1]);

    snprintf(cert, sizeof cert, "%s/p256-chain.pem", argv[1]);
    snprintf(key, sizeof key, "%s/p256-leaf.key", argv[1]);
    CHECK_RC(ferrotls_server_config_new(&server, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(server, version, version), 0);
    CHECK_RC(ferrotls_server_config_set_tickets(server, 1), 0);
    first = client_config(argv[1]);

    /* A: full handshake, the server keeping bytes of its own. */
    server_app_data = "account=42";
    connect_once(first, server, NULL, 0, 0, 1, &a, &sa);
    server_app_data = NULL;
    CHECK(a.resumed == 0 && sa.resumed == 0 && sa.requested == 0);
    CHECK(a.id_len == 32 && sa.id_len == 32);
    if (version == FERROTLS_TLS1_3)
        /* The server's ID T is never on the wire: it is not the client's L. */
        CHECK(memcmp(a.id, sa.id, 32) != 0);
    else
        /* Both sides see the S of the ServerHello. */
        CHECK(memcmp(a.id, sa.id, 32) == 0);
    printf("A full handshake: not resumed, 32-byte IDs: ok\n");

    /* B: the same configuration resumes from its store. */
    connect_once(first, server, NULL, 0, 0, 0, &b, &sb);
    CHECK(b.resumed == 1 && sb.resumed == 1 && sb.requested == 1);
    CHECK(sb.id_len == 32 && memcmp(sb.id, sa.id, 32) == 0);
    CHECK(b.id_len == 32 && memcmp(b.id, a.id, 32) != 0);
    printf("B resumed from the store: server ID kept, client ID fresh: ok\n");

    /* C: a new configuration resumes B's exported session; bad data is
     * refused first, and after good data it changes nothing. */
    second = client_config(argv[1]);
    memcpy(bad, b.data, b.data_len);
    bad[b.data_len / 2] ^= 0x01;
    {
        ferrotls_conn *conn = NULL;
        CHECK_RC(ferrotls_conn_new_client(&conn, second), 0);
        CHECK_RC(ferrotls_session_set_data(conn, bad, b.data_len),
                 FERROTLS_E_INVALID_SESSION_DATA);
        CHECK_RC(ferrotls_session_set_data(conn, b.data, b.data_len - 1),
                 FERROTLS_E_INVALID_SESSION_DATA);
        CHECK_RC(ferrotls_session_set_data(conn, b.data, 0),
                 FERROTLS_E_INVALID_SESSION_DATA);
        CHECK_RC(ferrotls_session_set_data(conn, NULL, b.data_len),
                 FERROTLS_E_INVALID_REQUEST);
        CHECK_RC(ferrotls_session_set_data(NULL, b.data, b.data_len),
                 FERROTLS_E_INVALID_REQUEST);
        ferrotls_conn_free(conn);
    }
    /* Good data, then corrupted data that must leave it in place. */
    connect_once(second, server, b.data, b.data_len, 0, 0, &c, &sc);
    CHECK(c.resumed == 1 && sc.resumed == 1 && sc.requested == 1);
    CHECK(sc.id_len == 32 && memcmp(sc.id, sa.id, 32) == 0);
    CHECK(memcmp(c.id, a.id, 32) != 0 && memcmp(c.id, b.id, 32) != 0);
    printf("C resumed from set_data: server ID kept through A, B, C: ok\n");

    /* D: only corrupted data: refused, so a full handshake. */
    third = client_config(argv[1]);
    connect_once(third, server, bad, b.data_len,
                 FERROTLS_E_INVALID_SESSION_DATA, 0, &d, &sd);
    CHECK(d.resumed == 0 && sd.resumed == 0 && sd.requested == 0);
    CHECK(sd.id_len == 32 && memcmp(sd.id, sa.id, 32) != 0);
    printf("D corrupted set_data: refused, full handshake, new server ID: ok\n");

    /* The bytes A's server kept: none for A's and D's full handshakes,
     * found by B and C, which resumed A's session. */
    CHECK_RC(sa.app_rc, FERROTLS_E_NO_SESSION_DATA);
    CHECK_RC(sd.app_rc, FERROTLS_E_NO_SESSION_DATA);
    CHECK_RC(sb.app_rc, 0);
    CHECK(sb.app_len == 10 && memcmp(sb.app, "account=42", 10) == 0);
    CHECK_RC(sc.app_rc, 0);
    CHECK(sc.app_len == 10 && memcmp(sc.app, "account=42", 10) == 0);
    printf("resumption data: kept by A's server, found by B and C, none in full handshakes: ok\n");

    check_shared_ticket_keys(argv[1], server, &c, &sa);

    ferrotls_client_config_free(first);
    ferrotls_client_config_free(second);
    ferrotls_client_config_free(third);
    ferrotls_server_config_free(server);
    printf("ALL OK\n");
    return 0;
}
