/* libFuzzer entry point for the kernel check: the bytes are a kernel file as a user might give it. */
#include <stddef.h>
#include <stdint.h>

#include "core/kernel_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct flb_error err = {{0}};

    (void)flb_kernel_check_image(data, size, "fuzz", &err);
    return 0;
}
