/* flb-dom0-helper killat: runs a command and SIGKILLs it the moment a line of its output holds NEEDLE. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helper.h"

int cmd_killat(int argc, char **argv)
{
    char *line = NULL;
    size_t cap = 0;
    FILE *in;
    int p[2];
    pid_t pid;

    if (argc < 2) {
        fprintf(stderr, "usage: flb-dom0-helper killat NEEDLE CMD [ARG...]\n");
        return 2;
    }
    if (pipe(p) != 0) {
        printf("killat: pipe failed\n");
        return 1;
    }
    pid = fork();
    if (pid == 0) {
        dup2(p[1], STDOUT_FILENO);
        dup2(p[1], STDERR_FILENO);
        close(p[0]);
        close(p[1]);
        execvp(argv[1], argv + 1);
        _exit(127);
    }
    close(p[1]);
    in = fdopen(p[0], "r");
    /* Read as it is written: the command logs each step on its unbuffered standard error. */
    while (in && getline(&line, &cap, in) > 0) {
        if (!strstr(line, argv[0]))
            continue;
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        printf("killed after: %s", line);
        free(line);
        fclose(in);
        return 0;
    }
    waitpid(pid, NULL, 0);
    printf("killat: the command ended before a line held '%s'\n", argv[0]);
    free(line);
    if (in)
        fclose(in);
    return 1;
}
