/* libFuzzer entry point for the YAML front end: parse, then the defaults pass, as the CLI does. */
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "frontend/config_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct flb_config cfg;
    struct flb_error err = {{0}};

    flb_config_init(&cfg, "fuzz.yaml");
    if (flb_config_load_yaml_data(&cfg, (const char *)data, size, &err) == FLB_OK)
        flb_config_finish(&cfg, &err);
    flb_config_free(&cfg);
    return 0;
}
