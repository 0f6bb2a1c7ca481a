/* The statements of an xl config file, read in our words before libxlutil reads the file. */
#ifndef FLB_XL_SCAN_H
#define FLB_XL_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "core/xl_value.h"
#include "frontend/keyset.h"

/* One top-level `key = value` (or `key += value`) statement. */
struct xl_stmt {
    const char *key; /* in the file's text, not NUL-terminated */
    size_t key_len;
    int line;
    bool append;
    size_t op;                 /* where its '+=' is in the text */
    struct flb_xl_token value; /* STRING, INT or LIST */
    bool first;                /* the first statement with its key */
    int next;                  /* the next statement with the same key (a '+='), or -1 */
    int last;                  /* in the first statement: the last with its key */
};

struct xl_scan {
    const char *name; /* the file, for messages */
    const char *data, *end;
    struct xl_stmt *stmt;
    size_t nr, cap;
    struct flb_keyset keys; /* each key once, with the index of its first statement */
};

/*
 * Reads every statement of data[0..len), or fails with FLB_E_INPUT and a message that names the line and
 * says what is wrong: a byte-order mark, YAML given as xl, a key that is not lower case, a value xl
 * cannot read (an unquoted path, a size with a unit, a negative number...), a duplicate key, a comment
 * with no newline at the end of the file. FLB_E_SYSTEM when out of memory.
 */
int xl_scan(struct xl_scan *s, const char *name, const char *data, size_t len, struct flb_error *err);
void xl_scan_free(struct xl_scan *s);

#endif
