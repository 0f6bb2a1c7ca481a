/* PVH entry of the test guest: 32-bit protected mode, paging off, %ebx = start_info; into long mode. */

#define CR0_PE (1 << 0)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define PTE_P_RW 0x3     /* present, writable */
#define PTE_LARGE 0x83   /* present, writable, page size */
#define PD_COUNT 64      /* 2 MiB pages: 64 page directories map 64 GiB */
#define CPUID_PDPE1GB (1 << 26)

    .section .text.entry, "ax"
    .code32
    .globl pvh_start32
pvh_start32:
    cli
    cld
    movl %ebx, %esi                 /* start_info, kept for guest_main */
    movl $boot_stack_top, %esp

    /* pml4[0] -> pdpt */
    movl $pdpt, %eax
    orl $PTE_P_RW, %eax
    movl %eax, pml4

    /* 1 GiB pages if the CPU has them: pdpt[i] = i GiB, 512 GiB in all. */
    movl $0x80000000, %eax
    cpuid
    cmpl $0x80000001, %eax
    jb 2f
    movl $0x80000001, %eax
    cpuid
    testl $CPUID_PDPE1GB, %edx
    jz 2f
    movl $1, huge_pages
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $30, %eax
    orl $PTE_LARGE, %eax
    movl %eax, pdpt(, %ecx, 8)
    movl %ecx, %eax
    shrl $2, %eax                   /* bits 32.. of i << 30 */
    movl %eax, pdpt + 4(, %ecx, 8)
    incl %ecx
    cmpl $512, %ecx
    jb 1b
    jmp 4f

    /* Otherwise 2 MiB pages: pdpt[i] -> pd[i], pd entry k = k * 2 MiB. */
2:  xorl %ecx, %ecx
3:  movl %ecx, %eax
    shll $12, %eax
    addl $pd, %eax
    orl $PTE_P_RW, %eax
    movl %eax, pdpt(, %ecx, 8)
    incl %ecx
    cmpl $PD_COUNT, %ecx
    jb 3b
    xorl %ecx, %ecx                 /* k over all PD_COUNT * 512 entries */
5:  movl %ecx, %eax
    shll $21, %eax
    orl $PTE_LARGE, %eax
    movl %eax, pd(, %ecx, 8)
    movl %ecx, %eax
    shrl $11, %eax                  /* bits 32.. of k << 21 */
    movl %eax, pd + 4(, %ecx, 8)
    incl %ecx
    cmpl $(PD_COUNT * 512), %ecx
    jb 5b

4:  movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $pml4, %eax
    movl %eax, %cr3
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PG | CR0_PE), %eax
    movl %eax, %cr0
    lgdt gdt_ptr
    ljmp $0x08, $start64

    .code64
start64:
    movl $0x10, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    movl %eax, %fs
    movl %eax, %gs
    movq $boot_stack_top, %rsp
    movl %esi, %edi                 /* guest_main(start_info) */
    call guest_main
    /* With interrupts off, Xen takes the halt of the last vCPU as a power-off (hvm_hlt): --wait
     * returns 0 and `xl list` shows the domain shut down. */
    .globl guest_halt
guest_halt:
    cli
    hlt
    jmp guest_halt

    .section .rodata
    .align 8
gdt:
    .quad 0
    .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
    .quad 0x00cf92000000ffff        /* 0x10: data */
gdt_end:
gdt_ptr:
    .word gdt_end - gdt - 1
    .long gdt

    .data
    .globl huge_pages
    .align 4
huge_pages:
    .long 0

    .bss
    .align 4096
pml4:
    .skip 4096
pdpt:
    .skip 4096
pd:
    .skip 4096 * PD_COUNT
    .align 16
boot_stack:
    .skip 16384
boot_stack_top:

    .section .note.GNU-stack, "", @progbits
