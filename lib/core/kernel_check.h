/* Refusing a kernel that cannot boot as PVH, before any domain exists: pure checks of the file's bytes. */
#ifndef FLB_KERNEL_CHECK_H
#define FLB_KERNEL_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Xen's ELF note type for the 32-bit PVH entry point (XEN_ELFNOTE_PHYS32_ENTRY, public/elfnote.h). */
#define FLB_ELFNOTE_PHYS32_ENTRY 18u

/*
 * Checks a kernel image already in memory: an ELF file with a "Xen" note of
 * type FLB_ELFNOTE_PHYS32_ENTRY in a note segment or section, or a bzImage
 * (whose compressed ELF payload libxenguest checks). path only names the file
 * in messages. Reads nothing outside [image, image + len).
 */
int flb_kernel_check_image(const uint8_t *image, size_t len, const char *path, struct flb_error *err);

/*
 * Refuses a kernel that is missing, unreadable, not a regular file, or fails
 * flb_kernel_check_image(). Returns FLB_E_INPUT with a message naming the file.
 */
int flb_kernel_check(const char *path, struct flb_error *err);

/* The files a build loads, as flb_check_boot_files names them in *absent. */
enum { FLB_BOOT_FILE_KERNEL = 1, FLB_BOOT_FILE_RAMDISK = 2 };

/*
 * The files a build loads: the kernel as above, and the ramdisk (if any)
 * readable. With absent non-NULL, a file that does not exist is not an
 * error but a bit in *absent (a dry-run may describe a guest for another
 * machine); a file that exists and would be refused still is.
 */
int flb_check_boot_files(const char *kernel, const char *ramdisk, unsigned *absent, struct flb_error *err);

#endif
