/*
 * A server session cache kept by the application, through ferrotls.h only:
 * a tiny hash table behind the store, retrieve, remove and (optionally)
 * take callbacks of ferrotls_server_config_set_session_cache, locked by a
 * mutex since the callbacks run on the servers' threads, at times several
 * at once. Client and server are both ferrotls, over a socketpair, the
 * server in a thread.
 *
 * TLS 1.2 (server tickets off, so sessions resume by session ID):
 *   A  full handshake: the session goes into the table
 *   B  a new client offering A's session: resumed by ID from the table,
 *      the client sees A's ID again; C, the same, resumes again
 *   D  every stored value corrupted: full handshake
 *   E, F  the cache removed: F resumes E's session from the in-memory
 *      cache the configuration's connections share
 * TLS 1.3 (stateful tickets: the table holds them), once with a take
 * callback and once without (retrieve then remove):
 *   A  full handshake: the tickets go into the table
 *   B  a new client offering A's ticket: resumed, the ticket taken out
 *   C  the same ticket again: full handshake (single use)
 *   D  a fresh ticket whose stored value is corrupted: full handshake;
 *      E, with D's intact ticket, resumes
 *   F  (with take) one ticket offered by several clients at once, each
 *      connection on its own threads: exactly one resumes
 *
 * Both versions: callbacks that always fail cost resumption, never a
 * connection.
 *
 * Usage: cache_test VECTORS_PKI_DIR 1.2|1.3. Prints one line per check
 * group and "ALL OK" at the end; exits 1 on the first failure.
 */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ferrotls.h"

#include "check.h"

#define ID_MAX 32
#define DATA_MAX 16384
#define BUCKETS 64

/* ---- The application's cache --------------------------------------- */

struct entry {
    unsigned char *key;
    size_t key_size;
    unsigned char *data;
    size_t data_size;
    uint64_t expires;
    struct entry *next;
};

struct cache {
    pthread_mutex_t lock;
    struct entry *buckets[BUCKETS];
    /* How often each callback was called. */
    int stores, retrieves, removes, takes;
};

static size_t bucket_of(const void *key, size_t key_size)
{
    const unsigned char *k = key;
    size_t h = 5381, i;

    for (i = 0; i < key_size; i++)
        h = h * 33 + k[i];
    return h % BUCKETS;
}

/* The link that points to the entry for key (or the list's end).
 * Called with the lock held. */
static struct entry **find(struct cache *c, const void *key, size_t key_size)
{
    struct entry **at = &c->buckets[bucket_of(key, key_size)];

    while (*at != NULL && ((*at)->key_size != key_size ||
                           memcmp((*at)->key, key, key_size) != 0))
        at = &(*at)->next;
    return at;
}

/* Unlinks and frees *at, wiping the value (it holds the session's
 * secret). Called with the lock held. */
static void drop_entry(struct entry **at)
{
    struct entry *e = *at;

    *at = e->next;
    memset(e->data, 0, e->data_size);
    free(e->data);
    free(e->key);
    free(e);
}

static int cache_store(void *user, const void *key, size_t key_size,
                       const void *data, size_t data_size, uint64_t expires)
{
    struct cache *c = user;
    struct entry **at, *e;

    CHECK(key_size > 0 && data_size > 0 && data_size <= FERROTLS_CACHE_MAX_DATA_SIZE);
    e = calloc(1, sizeof *e);
    CHECK(e != NULL);
    e->key = malloc(key_size);
    e->data = malloc(data_size);
    CHECK(e->key != NULL && e->data != NULL);
    memcpy(e->key, key, key_size);
    memcpy(e->data, data, data_size);
    e->key_size = key_size;
    e->data_size = data_size;
    e->expires = expires;

    pthread_mutex_lock(&c->lock);
    c->stores++;
    at = find(c, key, key_size);
    if (*at != NULL)
        drop_entry(at);
    e->next = c->buckets[bucket_of(key, key_size)];
    c->buckets[bucket_of(key, key_size)] = e;
    pthread_mutex_unlock(&c->lock);
    return 0;
}

/* Retrieve and take: copy out under the size convention; take also
 * removes, under the same lock, so it is atomic. */
static int cache_read(struct cache *c, const void *key, size_t key_size,
                      void *data, size_t *data_size, int take)
{
    struct entry **at;
    size_t capacity = *data_size;
    int rc = 0;

    pthread_mutex_lock(&c->lock);
    if (take)
        c->takes++;
    else
        c->retrieves++;
    at = find(c, key, key_size);
    if (*at == NULL) {
        rc = -1;
    } else {
        *data_size = (*at)->data_size;
        if (capacity < (*at)->data_size) {
            rc = FERROTLS_E_SHORT_MEMORY_BUFFER;
        } else {
            memcpy(data, (*at)->data, (*at)->data_size);
            if (take)
                drop_entry(at);
        }
    }
    pthread_mutex_unlock(&c->lock);
    return rc;
}

static int cache_retrieve(void *user, const void *key, size_t key_size,
                          void *data, size_t *data_size)
{
    return cache_read(user, key, key_size, data, data_size, 0);
}

static int cache_take(void *user, const void *key, size_t key_size,
                      void *data, size_t *data_size)
{
    return cache_read(user, key, key_size, data, data_size, 1);
}

static int cache_remove(void *user, const void *key, size_t key_size)
{
    struct cache *c = user;
    struct entry **at;

    pthread_mutex_lock(&c->lock);
    c->removes++;
    at = find(c, key, key_size);
    if (*at != NULL)
        drop_entry(at);
    pthread_mutex_unlock(&c->lock);
    return 0;
}

static size_t cache_count(struct cache *c)
{
    size_t n = 0, b;
    struct entry *e;

    pthread_mutex_lock(&c->lock);
    for (b = 0; b < BUCKETS; b++)
        for (e = c->buckets[b]; e != NULL; e = e->next)
            n++;
    pthread_mutex_unlock(&c->lock);
    return n;
}

/* Flips one bit in the middle of every stored value. */
static void cache_corrupt_all(struct cache *c)
{
    size_t b;
    struct entry *e;

    pthread_mutex_lock(&c->lock);
    for (b = 0; b < BUCKETS; b++)
        for (e = c->buckets[b]; e != NULL; e = e->next)
            e->data[e->data_size / 2] ^= 0x01;
    pthread_mutex_unlock(&c->lock);
}

static void cache_init(struct cache *c)
{
    memset(c, 0, sizeof *c);
    CHECK(pthread_mutex_init(&c->lock, NULL) == 0);
}

static void cache_free(struct cache *c)
{
    size_t b;

    for (b = 0; b < BUCKETS; b++)
        while (c->buckets[b] != NULL)
            drop_entry(&c->buckets[b]);
    pthread_mutex_destroy(&c->lock);
}

/* ---- Connections ----------------------------------------------------- */

/* The one version every configuration enables. */
static uint16_t version;
static const char *pki;

/* What the server saw of one connection. */
struct server_run {
    ferrotls_server_config *config;
    int fd;
    unsigned char id[ID_MAX];
    size_t id_len;
    int resumed;
};

static void *serve(void *arg)
{
    struct server_run *run = arg;
    ferrotls_conn *conn = NULL;
    unsigned char buf[64];

    CHECK_RC(ferrotls_conn_new_server(&conn, run->config), 0);
    CHECK_RC(ferrotls_conn_set_fd(conn, run->fd), 0);
    CHECK_RC(ferrotls_conn_handshake(conn), 0);
    run->id_len = sizeof run->id;
    CHECK_RC(ferrotls_session_get_id(conn, run->id, &run->id_len), 0);
    run->resumed = ferrotls_session_is_resumed(conn);
    CHECK_RC(ferrotls_conn_send(conn, "hello", 5), 5);
    CHECK_RC(ferrotls_conn_recv(conn, buf, sizeof buf), 0); /* close_notify */
    CHECK_RC(ferrotls_conn_close(conn), 0);
    ferrotls_conn_free(conn);
    return NULL;
}

/* What the client saw of one connection. */
struct client_run {
    unsigned char id[ID_MAX];
    size_t id_len;
    int resumed;
    /* The newest session it received, exported. */
    unsigned char data[DATA_MAX];
    size_t data_len;
};

/* One connection between a fresh client configuration, offering the
 * session `offer` if not NULL, and a server of `server`. */
static void connect_once(ferrotls_server_config *server,
                         const unsigned char *offer, size_t offer_len,
                         struct client_run *out, struct server_run *srv)
{
    ferrotls_client_config *config = NULL;
    ferrotls_conn *conn = NULL;
    pthread_t thread;
    unsigned char buf[64];
    char path[4096];
    int sv[2], rc;

    CHECK_RC(ferrotls_client_config_new(&config), 0);
    snprintf(path, sizeof path, "%s/p256-root.pem", pki);
    CHECK_RC(ferrotls_client_config_set_ca_file(config, path), 0);
    CHECK_RC(ferrotls_client_config_set_server_name(config, "leaf.p256.test"), 0);
    CHECK_RC(ferrotls_client_config_set_versions(config, version, version), 0);

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    memset(srv, 0, sizeof *srv);
    srv->config = server;
    srv->fd = sv[1];
    CHECK(pthread_create(&thread, NULL, serve, srv) == 0);

    CHECK_RC(ferrotls_conn_new_client(&conn, config), 0);
    if (offer != NULL)
        CHECK_RC(ferrotls_session_set_data(conn, offer, offer_len), 0);
    CHECK_RC(ferrotls_conn_set_fd(conn, sv[0]), 0);
    CHECK_RC(ferrotls_conn_handshake(conn), 0);
    out->resumed = ferrotls_session_is_resumed(conn);
    out->id_len = sizeof out->id;
    CHECK_RC(ferrotls_session_get_id(conn, out->id, &out->id_len), 0);
    /* TLS 1.3 tickets arrive with the server's data. */
    CHECK_RC(ferrotls_conn_recv(conn, buf, sizeof buf), 5);
    /* A TLS 1.3 server whose cache stores nothing issues no ticket:
     * data_len 0 then. */
    out->data_len = sizeof out->data;
    rc = ferrotls_session_get_data(conn, out->data, &out->data_len);
    if (rc == FERROTLS_E_NO_SESSION_DATA)
        out->data_len = 0;
    else
        CHECK_RC(rc, 0);
    CHECK_RC(ferrotls_conn_close(conn), 0);
    CHECK(pthread_join(thread, NULL) == 0);
    ferrotls_conn_free(conn);
    ferrotls_client_config_free(config);
    close(sv[0]);
    close(sv[1]);
}

/* How many clients offer one ticket at once. */
#define RACERS 4

/* One of the clients that offer one ticket at once. */
struct racer {
    pthread_t thread;
    ferrotls_server_config *server;
    const struct client_run *offer;
    struct client_run client;
    struct server_run srv;
};

static void *race(void *arg)
{
    struct racer *r = arg;

    connect_once(r->server, r->offer->data, r->offer->data_len, &r->client,
                 &r->srv);
    return NULL;
}

static ferrotls_server_config *server_config(struct cache *cache, int atomic)
{
    ferrotls_server_config *config = NULL;
    char cert[4096], key[4096];

    snprintf(cert, sizeof cert, "%s/p256-chain.pem", pki);
    snprintf(key, sizeof key, "%s/p256-leaf.key", pki);
    CHECK_RC(ferrotls_server_config_new(&config, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(config, version, version), 0);
    /* TLS 1.2: no RFC 5077 tickets, so clients resume by session ID.
     * TLS 1.3: tickets on; the cache makes them stateful. */
    CHECK_RC(ferrotls_server_config_set_tickets(config, version == FERROTLS_TLS1_3), 0);
    CHECK_RC(ferrotls_server_config_set_session_cache(
                 config, cache_store, cache_retrieve, cache_remove,
                 atomic ? cache_take : NULL, cache),
             0);
    return config;
}

/* Callbacks that always fail: a cache that is down. */
static int failing_store(void *user, const void *key, size_t key_size,
                         const void *data, size_t data_size, uint64_t expires)
{
    (void)key;
    (void)key_size;
    (void)data;
    (void)data_size;
    (void)expires;
    ((struct cache *)user)->stores++;
    return -1;
}

static int failing_retrieve(void *user, const void *key, size_t key_size,
                            void *data, size_t *data_size)
{
    (void)key;
    (void)key_size;
    (void)data;
    (void)data_size;
    ((struct cache *)user)->retrieves++;
    return -1;
}

static int failing_remove(void *user, const void *key, size_t key_size)
{
    (void)key;
    (void)key_size;
    ((struct cache *)user)->removes++;
    return -1;
}

/* A cache that is down costs resumption, never a connection: every
 * handshake completes in full. TLS 1.2: the client offers the session ID
 * it got, which is not found; TLS 1.3: no ticket could be stored, so none
 * is issued. */
static void run_failing(void)
{
    struct cache cache;
    ferrotls_server_config *server = NULL;
    struct client_run a, b;
    struct server_run sa, sb;
    char cert[4096], key[4096];

    cache_init(&cache);
    snprintf(cert, sizeof cert, "%s/p256-chain.pem", pki);
    snprintf(key, sizeof key, "%s/p256-leaf.key", pki);
    CHECK_RC(ferrotls_server_config_new(&server, cert, key), 0);
    CHECK_RC(ferrotls_server_config_set_versions(server, version, version), 0);
    CHECK_RC(ferrotls_server_config_set_tickets(server, version == FERROTLS_TLS1_3), 0);
    CHECK_RC(ferrotls_server_config_set_session_cache(
                 server, failing_store, failing_retrieve, failing_remove, NULL,
                 &cache),
             0);
    connect_once(server, NULL, 0, &a, &sa);
    CHECK(a.resumed == 0 && sa.resumed == 0 && cache.stores > 0);
    if (version == FERROTLS_TLS1_3) {
        CHECK(a.data_len == 0);
        connect_once(server, NULL, 0, &b, &sb);
    } else {
        CHECK(a.data_len > 0);
        connect_once(server, a.data, a.data_len, &b, &sb);
        CHECK(cache.retrieves == 1);
    }
    CHECK(b.resumed == 0 && sb.resumed == 0);
    CHECK(memcmp(sb.id, sa.id, 32) != 0);
    ferrotls_server_config_free(server);
    cache_free(&cache);
    printf("failing callbacks: full handshakes, never a failed connection: ok\n");
}

static void check_api_edges(void)
{
    struct cache cache;
    ferrotls_server_config *config;

    cache_init(&cache);
    config = server_config(&cache, 1);
    CHECK_RC(ferrotls_server_config_set_session_cache(
                 NULL, cache_store, cache_retrieve, cache_remove, NULL, &cache),
             FERROTLS_E_INVALID_REQUEST);
    /* store, retrieve and remove are required. */
    CHECK_RC(ferrotls_server_config_set_session_cache(
                 config, cache_store, NULL, cache_remove, cache_take, &cache),
             FERROTLS_E_INVALID_REQUEST);
    CHECK_RC(ferrotls_server_config_set_session_cache(
                 config, NULL, NULL, NULL, cache_take, &cache),
             FERROTLS_E_INVALID_REQUEST);
    /* All NULL: back to the in-memory cache. */
    CHECK_RC(ferrotls_server_config_set_session_cache(config, NULL, NULL, NULL,
                                                      NULL, NULL),
             0);
    ferrotls_server_config_free(config);
    cache_free(&cache);
    printf("set_session_cache: NULL config, partial callbacks, reset: ok\n");
}

static void run_tls12(void)
{
    struct cache cache;
    ferrotls_server_config *server;
    struct client_run a, b, c, d, e, f;
    struct server_run sa, sb, sc, sd, se, sf;

    cache_init(&cache);
    server = server_config(&cache, 1);

    connect_once(server, NULL, 0, &a, &sa);
    CHECK(a.resumed == 0 && sa.resumed == 0);
    CHECK(cache.stores == 1 && cache_count(&cache) == 1);
    printf("1.2 A full handshake: the session stored in the application's cache: ok\n");

    /* Resumed by ID: the ServerHello echoes A's ID, and the server's
     * persistent ID is A's. */
    connect_once(server, a.data, a.data_len, &b, &sb);
    CHECK(b.resumed == 1 && sb.resumed == 1);
    CHECK(cache.retrieves == 1);
    CHECK(b.id_len == 32 && memcmp(b.id, a.id, 32) == 0);
    CHECK(sb.id_len == 32 && memcmp(sb.id, sa.id, 32) == 0);
    connect_once(server, a.data, a.data_len, &c, &sc);
    CHECK(c.resumed == 1 && sc.resumed == 1 && cache.retrieves == 2);
    CHECK(memcmp(sc.id, sa.id, 32) == 0);
    CHECK(cache.takes == 0 && cache.removes == 0 && cache_count(&cache) == 1);
    printf("1.2 B, C resumed by session ID from the application's cache, twice: ok\n");

    cache_corrupt_all(&cache);
    connect_once(server, a.data, a.data_len, &d, &sd);
    CHECK(cache.retrieves == 3);
    CHECK(d.resumed == 0 && sd.resumed == 0);
    CHECK(memcmp(sd.id, sa.id, 32) != 0);
    printf("1.2 D corrupted value: full handshake, new session: ok\n");

    /* Back to the in-memory cache, which the configuration's connections
     * share: F resumes E's session by ID without the callbacks. */
    CHECK_RC(ferrotls_server_config_set_session_cache(server, NULL, NULL, NULL,
                                                      NULL, NULL),
             0);
    connect_once(server, NULL, 0, &e, &se);
    connect_once(server, e.data, e.data_len, &f, &sf);
    CHECK(e.resumed == 0 && f.resumed == 1 && sf.resumed == 1);
    CHECK(memcmp(f.id, e.id, 32) == 0 && memcmp(sf.id, se.id, 32) == 0);
    CHECK(cache.stores == 2 && cache.retrieves == 3);
    printf("1.2 E, F cache removed: resumed by ID from the in-memory cache: ok\n");

    ferrotls_server_config_free(server);
    cache_free(&cache);
}

static void run_tls13(int atomic)
{
    struct cache cache;
    ferrotls_server_config *server;
    struct client_run a, b, c, d, e;
    struct server_run sa, sb, sc, sd, se;
    const char *how = atomic ? "with take" : "retrieve+remove";

    cache_init(&cache);
    server = server_config(&cache, atomic);

    /* Two tickets after a full handshake, each a name for a value in the
     * cache. */
    connect_once(server, NULL, 0, &a, &sa);
    CHECK(a.resumed == 0 && sa.resumed == 0);
    CHECK(cache.stores == 2 && cache_count(&cache) == 2);
    printf("1.3 %s A full handshake: 2 tickets stored: ok\n", how);

    /* B uses A's newest ticket; it is taken out (and one new ticket is
     * stored). */
    connect_once(server, a.data, a.data_len, &b, &sb);
    CHECK(b.resumed == 1 && sb.resumed == 1);
    CHECK(sb.id_len == 32 && memcmp(sb.id, sa.id, 32) == 0);
    if (atomic)
        CHECK(cache.takes == 1 && cache.removes == 0);
    else
        CHECK(cache.takes == 0 && cache.removes == 1);
    CHECK(cache.stores == 3 && cache_count(&cache) == 2);
    printf("1.3 %s B resumed from the application's cache, ticket taken: ok\n", how);

    /* C offers the same ticket again: single use, so a full handshake. */
    connect_once(server, a.data, a.data_len, &c, &sc);
    CHECK(c.resumed == 0 && sc.resumed == 0);
    CHECK(memcmp(sc.id, sa.id, 32) != 0);
    printf("1.3 %s C same ticket again: full handshake: ok\n", how);

    /* D offers C's fresh ticket after every stored value was corrupted:
     * a full handshake; E, with D's ticket, intact, still resumes. */
    cache_corrupt_all(&cache);
    connect_once(server, c.data, c.data_len, &d, &sd);
    CHECK(d.resumed == 0 && sd.resumed == 0);
    CHECK(memcmp(sd.id, sc.id, 32) != 0);
    connect_once(server, d.data, d.data_len, &e, &se);
    CHECK(e.resumed == 1 && se.resumed == 1 && memcmp(se.id, sd.id, 32) == 0);
    printf("1.3 %s D corrupted value: full handshake: ok\n", how);

    /* With the atomic take, one ticket offered by several clients at once
     * (each connection on its own pair of threads, so the callbacks run
     * concurrently) resumes exactly one of them. */
    if (atomic) {
        struct racer racers[RACERS];
        size_t i;
        int resumed = 0;

        for (i = 0; i < RACERS; i++) {
            racers[i].server = server;
            racers[i].offer = &e;
            CHECK(pthread_create(&racers[i].thread, NULL, race, &racers[i]) == 0);
        }
        for (i = 0; i < RACERS; i++) {
            CHECK(pthread_join(racers[i].thread, NULL) == 0);
            CHECK(racers[i].client.resumed == racers[i].srv.resumed);
            resumed += racers[i].client.resumed;
        }
        CHECK(resumed == 1);
        printf("1.3 %s F one ticket offered by %d clients at once: one resumes: ok\n",
               how, RACERS);
    }

    ferrotls_server_config_free(server);
    cache_free(&cache);
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[2], "1.2") != 0 && strcmp(argv[2], "1.3") != 0)) {
        fprintf(stderr, "usage: %s VECTORS_PKI_DIR 1.2|1.3\n", argv[0]);
        return 2;
    }
    pki = argv[1];
    version = strcmp(argv[2], "1.3") == 0 ? FERROTLS_TLS1_3 : FERROTLS_TLS1_2;
    check_api_edges();
    run_failing();
    if (version == FERROTLS_TLS1_2) {
        run_tls12();
    } else {
        run_tls13(1);
        run_tls13(0);
    }
    printf("ALL OK\n");
    return 0;
}
