/* One value in xl syntax, read the same way from a file and from a KEY=VALUE override. */
#ifndef FLB_XL_VALUE_H
#define FLB_XL_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/config.h"
#include "core/error.h"

struct flb_xl_reader {
    const char *p, *end;  /* the text still to read */
    const char *file;     /* the file's name; NULL for an override */
    const char *override; /* the whole override, for messages when file is NULL */
    int line;             /* the line p is on, in a file */
    const char *key;      /* the key whose value is read, for messages */
};

/*
 * A value as written: STRING (quotes included), INT (xl's number token: a digit, then digits, a-f or x),
 * LIST (brackets included), or WORD: text xl cannot read as a value (a bare word, a signed number,
 * a number with a unit such as 2048M or "2048 M"), which the caller explains.
 */
struct flb_xl_token {
    enum flb_value_kind kind;
    const char *start;
    size_t len;
    int line; /* where it starts */
};

/*
 * Reads the value at r->p and moves past it. A list must hold proper values (strings, numbers, lists),
 * may span lines and hold comments, and may end with a ','. Errors say what is wrong in our words and
 * name the key: an unclosed string or list, an escape xl would refuse or mangle, a list too deep.
 */
int flb_xl_read_value(struct flb_xl_reader *r, struct flb_xl_token *tok, struct flb_error *err);

/*
 * Decodes a STRING token into out, which holds tok->len bytes: the escapes \\ \" \' \a \b \f \n \r
 * \t \v, the only ones xl reads as written. Returns the length; out is NUL-terminated.
 */
size_t flb_xl_decode(const struct flb_xl_token *tok, char *out);

/*
 * The items of a LIST token flb_xl_read_value has read, for the keys that take a list: each string
 * decoded, each number as written, NULL for a nested list. One allocation (*items, freed with free());
 * -1 when out of memory.
 */
int flb_xl_list_items(const struct flb_xl_token *tok, char ***items, size_t *nr);

/* The prefix of a message about the reader's text: "guest.cfg:3: " or "override 'name=x': ". */
void flb_xl_where(const struct flb_xl_reader *r, int line, char *buf, size_t len);

/* Whether c ends a bare word in xl text: a blank, a newline, or one of ; # , ] = */
bool flb_xl_delimiter(char c);

#endif
