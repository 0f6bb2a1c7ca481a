/* Reading a config file: its own errors, and the format chosen by the extension unless forced. */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "frontend/config_file.h"
#include "test_config.h"
#include "test_util.h"

/*
 * flb_config_load_file run by nobody when we are root, since root reads any file; the message comes back
 * through a pipe. Returns the load's status.
 */
static int load_unprivileged(const char *path, struct flb_error *err)
{
    struct {
        int rc;
        struct flb_error err;
    } result = {FLB_OK, {{0}}};
    int fds[2], status;
    pid_t pid;

    if (pipe(fds)) {
        perror("pipe");
        exit(2);
    }
    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        struct flb_config cfg;

        close(fds[0]);
        if (geteuid() == 0 && (setgroups(0, NULL) || setgid(65534) || setuid(65534)))
            _exit(3);
        flb_config_init(&cfg, path);
        result.rc = flb_config_load_file(&cfg, path, FLB_FORMAT_AUTO, &result.err);
        flb_config_free(&cfg);
        /* Smaller than PIPE_BUF: one write, read whole by one read. */
        _exit(write(fds[1], &result, sizeof(result)) == sizeof(result) ? 0 : 4);
    }
    close(fds[1]);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child status 0x%x (exit 3: could not become nobody)", status);
    CHECK(read(fds[0], &result, sizeof(result)) == sizeof(result));
    close(fds[0]);
    *err = result.err;
    return result.rc;
}

/* Reading the file: its own errors, and the format chosen by the extension unless forced. */
void test_files(void)
{
    static char big[1024 * 1024 + 1];
    struct flb_config cfg;
    struct flb_error err = {{0}};

    /* Relative names, as a user gives them: the messages name the file as given. */
    CHECK(chdir(scratch_dir()) == 0);
    /* Search only, so that nobody reaches secret.cfg and meets its own mode. */
    CHECK(chmod(".", 0711) == 0);

    flb_config_init(&cfg, "missing.cfg");
    CHECK(flb_config_load_file(&cfg, "missing.cfg", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "missing.cfg: no such file");
    flb_config_free(&cfg);

    CHECK(mkdir("dir.cfg", 0755) == 0);
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "dir.cfg");
    CHECK(flb_config_load_file(&cfg, "dir.cfg", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "dir.cfg: is a directory, not a config file");
    flb_config_free(&cfg);

    write_file("plain", "", 0);
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "plain/guest.cfg");
    CHECK(flb_config_load_file(&cfg, "plain/guest.cfg", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "plain/guest.cfg: cannot read: not a directory");
    flb_config_free(&cfg);

    write_file("secret.cfg", BASE_XL "memory = 256\n", strlen(BASE_XL "memory = 256\n"));
    CHECK(chmod("secret.cfg", 0) == 0);
    memset(&err, 0, sizeof(err));
    CHECK(load_unprivileged("secret.cfg", &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "secret.cfg: cannot read: permission denied");

    /* One byte over the 1 MiB limit. */
    memset(big, '#', sizeof(big));
    write_file("big.cfg", big, sizeof(big));
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "big.cfg");
    CHECK(flb_config_load_file(&cfg, "big.cfg", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "big.cfg: too large for a config file (more than 1024 KiB)");
    flb_config_free(&cfg);

    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, NULL);
    CHECK(flb_config_load_file(&cfg, NULL, FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "no config file given");
    flb_config_free(&cfg);

    /* Only .yaml and .yml are YAML by name: YAML text in a .txt file is read as xl. */
    write_file("guest.txt", BASE_YAML "memory: 256\n", strlen(BASE_YAML "memory: 256\n"));
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "guest.txt");
    CHECK(flb_config_load_file(&cfg, "guest.txt", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "guest.txt:1: this is YAML, not xl syntax (key = value): name the file .yaml or use "
                       "--config-format yaml");
    flb_config_free(&cfg);

    /* "-" is standard input, named <stdin>, read as xl unless told otherwise. */
    write_file("stdin.cfg", BASE_XL "memory = 2G\n", strlen(BASE_XL "memory = 2G\n"));
    CHECK(freopen("stdin.cfg", "r", stdin) != NULL);
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "-");
    CHECK(flb_config_load_file(&cfg, "-", FLB_FORMAT_AUTO, &err) == FLB_E_INPUT);
    CHECK_STR(err.msg, "<stdin>:3: memory: write the size in MiB as a plain number: 2048 for '2G'");
    flb_config_free(&cfg);
    write_file("stdin.yaml", BASE_YAML "memory: 256\n", strlen(BASE_YAML "memory: 256\n"));
    CHECK(freopen("stdin.yaml", "r", stdin) != NULL);
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, NULL);
    CHECK(flb_config_load_file(&cfg, "-", FLB_FORMAT_YAML, &err) == FLB_OK, "%s", err.msg);
    CHECK_STR(cfg.source, "<stdin>");
    CHECK(cfg.memory_mib == 256, "%llu", (unsigned long long)cfg.memory_mib);
    flb_config_free(&cfg);

    /* A forced format wins over the name. */
    write_file("yaml.cfg", BASE_YAML "memory: 256\n", strlen(BASE_YAML "memory: 256\n"));
    memset(&err, 0, sizeof(err));
    flb_config_init(&cfg, "yaml.cfg");
    CHECK(flb_config_load_file(&cfg, "yaml.cfg", FLB_FORMAT_YAML, &err) == FLB_OK, "%s", err.msg);
    CHECK(flb_config_finish(&cfg, &err) == FLB_OK, "%s", err.msg);
    CHECK_STR(cfg.name, "g");
    CHECK_STR(cfg.kernel, "/k");
    CHECK(cfg.memory_mib == 256, "%llu", (unsigned long long)cfg.memory_mib);
    flb_config_free(&cfg);
}
