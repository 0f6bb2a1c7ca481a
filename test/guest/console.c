/* Line output of the test guest through I/O port 0xE9. */
#include "console.h"

static void outb_e9(char c)
{
    __asm__ volatile("outb %0, $0xe9" : : "a"(c));
}

static unsigned column;

static void con_char(char c)
{
    if (column >= CONSOLE_LINE_MAX)
        return; /* longer lines are cut, never split */
    outb_e9(c);
    column++;
}

void con_str(const char *s)
{
    while (*s)
        con_char(*s++);
}

void con_hex(uint64_t v)
{
    char buf[17];
    int i = 16;
    buf[i] = '\0';
    do {
        buf[--i] = "0123456789abcdef"[v & 0xf];
        v >>= 4;
    } while (v);
    con_str("0x");
    con_str(&buf[i]);
}

void con_dec(uint64_t v)
{
    char buf[21];
    int i = 20;
    buf[i] = '\0';
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    con_str(&buf[i]);
}

void con_end(void)
{
    outb_e9('\n');
    column = 0;
}

void con_begin(const char *tag)
{
    con_str("FLBG ");
    con_str(tag);
    con_char(' ');
}
