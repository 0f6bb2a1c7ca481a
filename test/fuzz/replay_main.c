/* Replays saved inputs (files, or every file in a directory) through a fuzz entry point, without libFuzzer.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Relative: the replay programs link only the library under test, not the shared test helpers. */
#include "../common/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;

    if (!f) {
        fprintf(stderr, "replay: %s: cannot open\n", path);
        return -1;
    }
    do {
        if (len == cap) {
            uint8_t *grown = realloc(buf, cap = cap ? cap * 2 : 4096);
            if (!grown) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = grown;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    fclose(f);
    /* An exact-size copy, so that a read past the end is caught as it would be under libFuzzer. */
    uint8_t *exact = malloc(len ? len : 1);
    if (exact) {
        memcpy(exact, buf, len);
        LLVMFuzzerTestOneInput(exact, len);
    }
    free(exact);
    free(buf);
    return exact ? 0 : -1;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replays every regular file in dir; an empty directory is a failure, since it would test nothing. */
static void replay_dir(const char *dir, int *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t nr = 0;
    int before = *count;

    CHECK(d != NULL, "%s: cannot open", dir);
    if (!d)
        return;
    while ((e = readdir(d))) {
        char **grown;
        if (e->d_name[0] == '.')
            continue;
        grown = realloc(names, (nr + 1) * sizeof(*names));
        if (grown)
            names = grown;
        /* Inputs left out for want of memory must not pass unnoticed. */
        if (!grown || asprintf(&names[nr], "%s/%s", dir, e->d_name) < 0) {
            CHECK(0, "%s: out of memory listing the inputs", dir);
            break;
        }
        nr++;
    }
    closedir(d);
    /* Sorted, so a failing run names the same input every time. */
    qsort(names, nr, sizeof(*names), cmp_names);
    for (size_t i = 0; i < nr; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            CHECK(replay_file(names[i]) == 0, "%s", names[i]);
            (*count)++;
        }
        free(names[i]);
    }
    free(names);
    CHECK(*count > before, "%s: no inputs", dir);
}

int main(int argc, char **argv)
{
    int count = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            replay_dir(argv[i], &count);
        } else {
            CHECK(replay_file(argv[i]) == 0, "%s", argv[i]);
            count++;
        }
    }
    printf("replayed %d input(s)\n", count);
    return check_summary();
}
