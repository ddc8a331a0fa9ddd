/*
 * The checks the C test programs share: each failure prints where and
 * what, and exits 1.
 */
#ifndef FERROTLS_TEST_CHECK_H
#define FERROTLS_TEST_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ferrotls.h"

#define CHECK(cond)                                                          \
    do {                                                                     \
        if (!(cond)) {                                                       \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);  \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

#define CHECK_RC(expr, want)                                                 \
    do {                                                                     \
        long rc_ = (long)(expr);                                             \
        if (rc_ != (long)(want)) {                                           \
            fprintf(stderr, "FAIL %s:%d: %s = %ld (%s), want %ld\n",         \
                    __FILE__, __LINE__, #expr, rc_,                          \
                    rc_ < 0 ? ferrotls_strerror((int)rc_) : "not an error",  \
                    (long)(want));                                           \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

/* s is not NULL and holds `part`. */
#define CHECK_HAS(s, part)                                                   \
    do {                                                                     \
        const char *s_ = (s);                                                \
        if (s_ == NULL || strstr(s_, (part)) == NULL) {                      \
            fprintf(stderr, "FAIL %s:%d: %s = \"%s\", want \"%s\" in it\n",  \
                    __FILE__, __LINE__, #s, s_ ? s_ : "(null)", (part));     \
            exit(1);                                                         \
        }                                                                    \
    } while (0)

#endif
