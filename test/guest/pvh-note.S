/* The ELF note that makes the image a PVH kernel: XEN_ELFNOTE_PHYS32_ENTRY (18), the 32-bit entry. */

    .section .note.Xen, "a"
    .align 4
    .long 4                         /* name size: "Xen\0" */
    .long 4                         /* descriptor size */
    .long 18                        /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long pvh_start32
    .align 4

    .section .note.GNU-stack, "", @progbits
