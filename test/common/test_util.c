/* Helpers shared by the build tests. */
#include "test_util.h"

#include "core/lifecycle.h"

#include <elf.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/kernel_check.h"

/* XEN_ELFNOTE_GUEST_OS: a Xen note other than the PVH entry point. */
#define ELFNOTE_GUEST_OS 6u

void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

static char scratch[] = "/tmp/flb-build-test-XXXXXX";

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static void remove_scratch(void)
{
    nftw(scratch, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

const char *scratch_dir(void)
{
    static bool made;

    if (!made) {
        if (!mkdtemp(scratch)) {
            perror("mkdtemp");
            exit(2);
        }
        atexit(remove_scratch);
        made = true;
    }
    return scratch;
}

const char *scratch_path(const char *name)
{
    static char buf[16][512];
    static int slot;

    slot = (slot + 1) % 16;
    snprintf(buf[slot], sizeof(buf[slot]), "%s/%s", scratch_dir(), name);
    return buf[slot];
}

/* ELF header, one PT_LOAD, one PT_NOTE holding a "Xen" note (PHYS32_ENTRY, or GUEST_OS if not pvh). */
void make_elf_kernel(const char *path, bool pvh_note, size_t keep)
{
    uint8_t img[4096] = {0};
    Elf64_Ehdr *eh = (Elf64_Ehdr *)img;
    Elf64_Phdr *ph = (Elf64_Phdr *)(img + sizeof(*eh));
    uint8_t *note = img + 0x200;
    uint32_t words[3] = {4, 4, pvh_note ? FLB_ELFNOTE_PHYS32_ENTRY : ELFNOTE_GUEST_OS};
    uint32_t entry = 0x100000;

    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_X86_64;
    eh->e_version = EV_CURRENT;
    eh->e_entry = entry;
    eh->e_phoff = sizeof(*eh);
    eh->e_ehsize = sizeof(*eh);
    eh->e_phentsize = sizeof(*ph);
    eh->e_phnum = 2;
    ph[0].p_type = PT_LOAD;
    ph[0].p_offset = 0x1000 - 0x1000;
    ph[0].p_vaddr = ph[0].p_paddr = entry;
    ph[0].p_filesz = ph[0].p_memsz = sizeof(img);
    ph[0].p_flags = PF_R | PF_X;
    ph[0].p_align = 0x1000;
    ph[1].p_type = PT_NOTE;
    ph[1].p_offset = 0x200;
    ph[1].p_filesz = 12 + 4 + 4;
    ph[1].p_align = 4;
    memcpy(note, words, sizeof(words));
    memcpy(note + 12, "Xen", 4);
    memcpy(note + 16, &entry, 4);
    write_file(path, img, keep ? keep : sizeof(img));
}

void config_worked_example(struct flb_config *cfg, const char *kernel)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->name = "example";
    cfg->type = "pvh";
    cfg->kernel = (char *)kernel;
    cfg->final_cmdline = "console=hvc0";
    cfg->memory_mib = 8192;
    cfg->maxmem_mib = 8192;
    cfg->vcpus = 1;
    cfg->maxvcpus = 1;
    cfg->max_grant_frames = 64;
    cfg->max_maptrack_frames = 1024;
    cfg->max_grant_version = 1;
    cfg->mmio_hole_mib = FLB_UNSET;
    cfg->foreign_region_mib = 512;
    cfg->fixed_mem_layout = 1;
    cfg->acpi = 1;
    /* xl's actions, as flb_config_finish leaves them. */
    memset(cfg->on_action, 0xff, sizeof(cfg->on_action));
    flb_action_defaults(cfg->on_action, FLB_NR_ON_KEYS);
    /* The domain's settings as flb_config_finish leaves them by default. */
    cfg->shadow_memory_mib = FLB_UNSET;
    cfg->max_event_channels = 1023;
    cfg->hap = cfg->oos = 1;
    cfg->cpu_weight = cfg->cap = FLB_UNSET;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    s = calloc(1, (size_t)n + 1);
    if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    return s;
}

/* Prints the first line where the two texts part. */
static void show_difference(const char *want, const char *got)
{
    int line = 1;
    const char *w = want, *g = got;

    while (*w && *w == *g) {
        if (*w == '\n') {
            line++;
            want = w + 1;
            got = g + 1;
        }
        w++, g++;
    }
    fprintf(stderr, "first difference at line %d:\n  golden: %.*s\n  actual: %.*s\n", line,
            (int)strcspn(want, "\n"), want, (int)strcspn(got, "\n"), got);
}

bool golden_check(const char *name, const char *text)
{
    char path[512];
    char *want;
    bool ok;

    snprintf(path, sizeof(path), "%s/%s", FLB_GOLDEN_DIR, name);
    if (getenv("FLB_UPDATE_GOLDEN")) {
        write_file(path, text, strlen(text));
        return true;
    }
    want = slurp(path);
    if (!want) {
        fprintf(stderr, "%s: missing golden file (run with FLB_UPDATE_GOLDEN=1)\n", path);
        return false;
    }
    ok = strcmp(want, text) == 0;
    if (!ok) {
        fprintf(stderr, "%s: call log differs\n", path);
        show_difference(want, text);
    }
    free(want);
    return ok;
}

void plan_for(const struct flb_config *cfg, struct flb_plan *plan)
{
    struct flb_host host;
    struct flb_error err = {{0}};

    flb_host_assumed(&host);
    if (flb_plan_make(cfg, &host, plan, &err) != FLB_OK) {
        fprintf(stderr, "plan: %s\n", err.msg);
        exit(2);
    }
}
