/* libFuzzer entry point for the start_info decoder: the bytes stand for guest memory at a base address. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/start_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The first 8 bytes choose the base address the image is taken at, so the
 * decoder's pointer arithmetic meets bases near 0 and near 2^64 alike.
 * Whatever decodes must encode, and decode again to the same fields.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct flb_start_info si, si_again;
    struct flb_error err = {{0}};
    uint64_t base = 0;
    uint8_t *again;

    if (size >= sizeof(base)) {
        memcpy(&base, data, sizeof(base));
        data += sizeof(base);
        size -= sizeof(base);
    }
    if (flb_start_info_decode(data, size, base, &si, &err) != FLB_OK)
        return 0;
    again = malloc(size);
    if (!again)
        return 0;
    if (flb_start_info_encode(&si, again, size, &err) != FLB_OK ||
        flb_start_info_decode(again, size, base, &si_again, &err) != FLB_OK ||
        memcmp(&si, &si_again, sizeof(si)) != 0)
        abort();
    free(again);
    return 0;
}
