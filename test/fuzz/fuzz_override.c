/* libFuzzer entry point for KEY=VALUE overrides: each input line is one override, applied to a small guest.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "frontend/config_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char base[] = "name = \"g\"\nkernel = \"/k\"\nmemory = 256\n";
    struct flb_config cfg;
    struct flb_error err = {{0}};
    char *text = malloc(size + 1);
    int rc;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    flb_config_init(&cfg, "fuzz.cfg");
    rc = flb_config_load_xl_data(&cfg, base, (int)sizeof(base) - 1, &err);
    /* A NUL ends the input as it would end an argv string. */
    for (char *line = text, *next; !rc && line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        rc = flb_config_apply_override(&cfg, line, &err);
    }
    if (!rc)
        flb_config_finish(&cfg, &err);
    flb_config_free(&cfg);
    free(text);
    return 0;
}
