/* Writes the tests' minimal PVH ELF kernel to the path given. */
#include <stdio.h>

#include "test_util.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_kernel PATH\n");
        return 2;
    }
    make_elf_kernel(argv[1], true, 0);
    return 0;
}
