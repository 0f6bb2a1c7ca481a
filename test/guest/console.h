/* Line output of the test guest through I/O port 0xE9 (Xen's HVM debug console). */
#ifndef FLB_GUEST_CONSOLE_H
#define FLB_GUEST_CONSOLE_H

#include <stdint.h>

/* Xen buffers port 0xE9 per domain and prints whole lines of at most 79 characters. */
#define CONSOLE_LINE_MAX 78

void con_str(const char *s);
void con_hex(uint64_t v); /* 0x-prefixed, no padding */
void con_dec(uint64_t v);
void con_end(void); /* ends the line */

/* "FLBG <tag> " to start a line. */
void con_begin(const char *tag);

#endif
