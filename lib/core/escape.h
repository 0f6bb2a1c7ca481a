/* Untrusted text in messages: the one escaping rule, and the UTF-8 check of config strings. */
#ifndef FLB_ESCAPE_H
#define FLB_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Copies in[0..len) to out (size bytes, always NUL-terminated) so that a terminal shows it as one line
 * of plain text: a tab, newline or carriage return becomes \t, \n or \r; any other control character
 * (C0, DEL, C1), a character that hides or reorders text (zero-width and bidirectional controls, line
 * and paragraph separators, the byte-order mark) and every byte that is not part of valid UTF-8
 * becomes \xNN, one per byte. Everything else, backslashes included, is copied as is, so escaping
 * twice changes nothing. Output that does not fit is cut before a whole escape or character.
 * Returns the length written.
 */
size_t flb_escape(char *out, size_t size, const char *in, size_t len);

/* flb_escape() of the NUL-terminated msg in place, within its buffer of size bytes. */
void flb_escape_inplace(char *msg, size_t size);

/*
 * Whether s[0..len) is valid UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF). On false, *bad_at (if not NULL) is the offset of the first byte that is not.
 */
bool flb_utf8_valid(const char *s, size_t len, size_t *bad_at);

#endif
