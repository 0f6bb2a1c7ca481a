/* flb-dom0-helper records: a live build's JSON records, the created one against the dry-run, the last one. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helper.h"

/* Every record of the stream, in order; the created one's plan compared with the dry-run's document. */
static int check_created(json_t *rec, json_t *dry, int *domid)
{
    json_int_t id;
    const char *uuid, *name;
    json_t *plan;

    if (json_unpack(rec, "{s:I, s:s, s:s, s:o}", "domid", &id, "uuid", &uuid, "name", &name, "plan", &plan)) {
        printf("records: the created record lacks domid, uuid, name or plan\n");
        return 1;
    }
    *domid = (int)id;
    if (strlen(uuid) != 36 || uuid[8] != '-' || uuid[14] != '4') {
        printf("records: uuid '%s' is not a version 4 UUID\n", uuid);
        return 1;
    }
    /* The plan is the dry-run's document itself: the same memory map, regions, ACPI and start_info. */
    if (!json_equal(plan, dry)) {
        printf("records: the created record's plan differs from the dry-run's document\n");
        return 1;
    }
    printf("records: created domain %d (%s), uuid %s, its plan the dry-run's (%zu e820 entries)\n", *domid,
           name, uuid, json_array_size(json_object_get(plan, "e820")));
    return 0;
}

static int check_ended(json_t *rec, const char *reason, const char *action, int status)
{
    const char *r = json_string_value(json_object_get(rec, "reason"));
    const char *a = json_string_value(json_object_get(rec, "action"));
    json_t *s = json_object_get(rec, "exit_status");

    if (!r || !a || !json_is_integer(s) || strcmp(r, reason) || strcmp(a, action) ||
        json_integer_value(s) != status) {
        printf("records: ended with reason %s, action %s, status %lld; expected %s, %s, %d\n", r ? r : "null",
               a ? a : "null", json_is_integer(s) ? (long long)json_integer_value(s) : -1LL, reason, action,
               status);
        return 1;
    }
    printf("records: ended: %s, %s, exit status %d, %lld restarts\n", r, a, status,
           (long long)json_integer_value(json_object_get(rec, "restarts")));
    return 0;
}

int cmd_records(int argc, char **argv)
{
    json_error_t err;
    json_t *dry, *rec, *last = NULL;
    char *text;
    size_t pos = 0, len;
    int n = 0, bad = 0, domid = -1;

    if (argc != 5) {
        fprintf(stderr, "usage: flb-dom0-helper records FILE DRYRUN_JSON REASON ACTION STATUS\n");
        return 2;
    }
    dry = json_load_file(argv[1], 0, &err);
    text = read_file(argv[0]);
    if (!dry || !text) {
        printf("records: cannot read %s or %s\n", argv[0], argv[1]);
        return 1;
    }
    /* One whole JSON document after another: jansson says where each ended. */
    for (len = strlen(text);;) {
        const char *event;

        pos += strspn(text + pos, " \t\r\n");
        if (pos >= len)
            break;
        rec = json_loadb(text + pos, len - pos, JSON_DISABLE_EOF_CHECK, &err);
        if (!rec) {
            printf("records: record %d is not JSON (line %d): %s\n", n + 1, err.line, err.text);
            bad = 1;
            break;
        }
        pos += (size_t)err.position;
        event = json_string_value(json_object_get(rec, "event"));
        if (n++ == 0)
            bad |= !event || strcmp(event, "created") || check_created(rec, dry, &domid);
        json_decref(last);
        last = rec;
    }
    if (n < 2 || strcmp(json_string_value(json_object_get(last, "event"))
                            ? json_string_value(json_object_get(last, "event"))
                            : "",
                        "ended")) {
        printf("records: %d records, the last not 'ended'\n", n);
        bad = 1;
    } else {
        bad |= check_ended(last, argv[2], argv[3], atoi(argv[4]));
    }
    json_decref(last);
    json_decref(dry);
    free(text);
    return bad ? 1 : 0;
}
