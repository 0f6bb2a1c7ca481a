/* flb-dom0-helper: the memory map of a dry-run's JSON (fixed-layout-build --dry-run --format json). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "helper.h"

/* One "e820" entry: {"addr": N, "size": N, "type": N, "type_name": "..."}; 0 on success. */
static int entry(json_t *obj, struct map_entry *e)
{
    json_int_t addr, size, type;
    const char *name;
    if (json_unpack(obj, "{s:I, s:I, s:I, s:s}", "addr", &addr, "size", &size, "type", &type, "type_name",
                    &name))
        return -1;
    /* jansson's integers are signed 64-bit: a negative one is no address, an E820 type is 32-bit. */
    if (addr < 0 || size < 0 || type < 0 || type > (json_int_t)UINT32_MAX || strlen(name) >= sizeof(e->name))
        return -1;
    e->addr = (uint64_t)addr;
    e->size = (uint64_t)size;
    e->type = (uint32_t)type;
    strcpy(e->name, name);
    return 0;
}

int dry_run_map(const char *path, struct map_entry *map, int max)
{
    json_error_t err;
    json_t *root = json_load_file(path, 0, &err);
    if (!root) {
        printf("cannot read %s as JSON (line %d): %s\n", path, err.line, err.text);
        return -1;
    }
    json_t *e820 = json_object_get(root, "e820");
    int n = -1;
    if (!json_is_array(e820)) {
        printf("%s: no \"e820\" array\n", path);
    } else if (json_array_size(e820) > (size_t)max) {
        printf("%s: %zu e820 entries, more than the %d this helper holds\n", path, json_array_size(e820),
               max);
    } else {
        size_t i;
        json_t *obj;
        n = 0;
        json_array_foreach(e820, i, obj)
        {
            if (entry(obj, &map[n])) {
                printf("%s: e820 entry %zu is not an object of addr, size, type and type_name\n", path, i);
                n = -1;
                break;
            }
            n++;
        }
    }
    json_decref(root);
    return n;
}

int dry_run_int(const char *path, const char *key, long long *value)
{
    json_t *root = json_load_file(path, 0, NULL);
    json_t *v = root ? json_object_get(root, key) : NULL;
    int rc = json_is_integer(v) ? 0 : -1;
    if (!rc)
        *value = json_integer_value(v);
    json_decref(root);
    return rc;
}
