# Throwaway 64-bit PV dom0 for Xen x86: proves that a Xen boots a dom0 of ours and shows what it sees.
# Boot protocol: an ELF with Xen notes (xen/include/public/elfnote.h); the guest starts in ring 3 with
# rsi = start_info. Hypercalls go through the hypercall page Xen fills in (`call page + nr * 32`),
# args rdi, rsi, rdx, r10, r8, result rax (xen/include/public/arch-x86/xen-x86_64.h). Numbers from
# xen/include/public/xen.h. MODE selects a behaviour (see README.md):
#   0: normal run, ends with sched_op(SCHEDOP_shutdown, SHUTDOWN_reboot) (QEMU runs with -no-reboot)
#   1: prints a line, then spins forever (a hang)
#   2: prints a line, then executes ud2 with no trap table registered (Xen crashes the domain)

        .ifndef MODE
        .equ MODE, 0
        .endif
        .equ HC_xen_version, 17
        .equ HC_console_io, 18
        .equ HC_sched_op, 29
        .equ CONSOLEIO_write, 0
        .equ SCHEDOP_shutdown, 2
        .equ SHUTDOWN_reboot, 1

        .macro NOTE_STR type, value
        .balign 4
        .long 4, 2f - 1f, \type
        .asciz "Xen"
1:      .asciz "\value"
2:      .balign 4
        .endm

        .macro NOTE_QUAD type, value
        .balign 4
        .long 4, 2f - 1f, \type
        .asciz "Xen"
1:      .quad \value
2:      .balign 4
        .endm

        .section .note.Xen, "a", @note
        NOTE_STR 6, "hyperabi-xen-smoke"        # XEN_ELFNOTE_GUEST_OS
        NOTE_STR 5, "xen-3.0"                   # XEN_ELFNOTE_XEN_VERSION
        NOTE_STR 8, "generic"                   # XEN_ELFNOTE_LOADER
        NOTE_QUAD 3, 0                            # XEN_ELFNOTE_VIRT_BASE
        NOTE_QUAD 4, 0                            # XEN_ELFNOTE_PADDR_OFFSET
        NOTE_QUAD 1, _start                       # XEN_ELFNOTE_ENTRY
        NOTE_QUAD 2, hypercall_page               # XEN_ELFNOTE_HYPERCALL_PAGE
        NOTE_STR 9, "yes"                       # XEN_ELFNOTE_PAE_MODE
        NOTE_STR 10, "!writable_page_tables"    # XEN_ELFNOTE_FEATURES

        .macro HYPERCALL nr
        call hypercall_page + \nr * 32
        .endm

        .macro PUTS str, len
        mov $CONSOLEIO_write, %edi
        mov $\len, %esi
        lea \str(%rip), %rdx
        HYPERCALL HC_console_io
        .endm

        # Recognisable values in the argument and scratch registers before a call.
        .macro CANARIES
        movabs $0x0000c0de00000000, %rax
        movabs $0x1111111111111111, %rdi
        movabs $0x2222222222222222, %rsi
        movabs $0x3333333333333333, %rdx
        movabs $0x4444444444444444, %r10
        movabs $0x5555555555555555, %r8
        movabs $0x6666666666666666, %r9
        movabs $0x7777777777777777, %rcx
        movabs $0x8888888888888888, %r11
        .endm

        .macro SAVE
        mov %rax, saved+0(%rip)
        mov %rdi, saved+8(%rip)
        mov %rsi, saved+16(%rip)
        mov %rdx, saved+24(%rip)
        mov %r10, saved+32(%rip)
        mov %r8, saved+40(%rip)
        mov %r9, saved+48(%rip)
        mov %rcx, saved+56(%rip)
        mov %r11, saved+64(%rip)
        .endm

        .macro DUMP
        xor %r12d, %r12d
9:      lea saved(%rip), %rax
        mov (%rax,%r12,8), %rdi
        call put_hex
        inc %r12
        cmp $9, %r12
        jb 9b
        .endm

        .text
        .global _start
_start:
        lea stack_top(%rip), %rsp
        mov %rsi, %r15                  # start_info, unused
        PUTS s_hello, l_hello

        # xen_version(XENVER_version, NULL)
        CANARIES
        xor %edi, %edi
        xor %esi, %esi
        HYPERCALL HC_xen_version
        SAVE
        PUTS s_ver, l_ver
        mov saved(%rip), %rdi
        call put_hex
        PUTS s_r_ver, l_r_ver
        DUMP

        # console_io(CONSOLEIO_write, 6, "probe\n")
        PUTS s_probe, l_probe
        CANARIES
        mov $CONSOLEIO_write, %edi
        mov $6, %esi
        lea s_probetext(%rip), %rdx
        HYPERCALL HC_console_io
        SAVE
        PUTS s_r_con, l_r_con
        DUMP

        # an unused hypercall number through the page: -ENOSYS
        CANARIES
        HYPERCALL 63
        SAVE
        PUTS s_r_nosys, l_r_nosys
        DUMP

        # xen_version through a raw syscall (rcx/r11 are clobbered by the CPU)
        CANARIES
        mov $HC_xen_version, %eax
        xor %edi, %edi
        xor %esi, %esi
        syscall
        SAVE
        PUTS s_r_sys, l_r_sys
        DUMP

        .if MODE == 1
        PUTS s_hang, l_hang
1:      jmp 1b
        .endif

        .if MODE == 2
        PUTS s_crash, l_crash
        ud2
        .endif

        PUTS s_raw, l_raw
        mov $CONSOLEIO_write, %edi
        mov $256, %esi
        lea rawbytes(%rip), %rdx
        HYPERCALL HC_console_io
        PUTS s_rawend, l_rawend

        PUTS s_bye, l_bye
        mov $SCHEDOP_shutdown, %edi
        lea reason_reboot(%rip), %rsi
        HYPERCALL HC_sched_op
2:      jmp 2b                          # not reached

# Writes rdi as "0x%016x " through console_io. Clobbers the caller-saved registers.
put_hex:
        lea hexbuf(%rip), %rdx
        movw $0x7830, (%rdx)            # "0x"
        mov $16, %ecx
        lea 2(%rdx), %r8
1:      rol $4, %rdi
        mov %edi, %eax
        and $0xf, %eax
        cmp $10, %eax
        jb 2f
        add $('a' - 10 - '0'), %eax
2:      add $'0', %eax
        mov %al, (%r8)
        inc %r8
        dec %ecx
        jnz 1b
        movb $' ', (%r8)
        mov $CONSOLEIO_write, %edi
        mov $19, %esi
        HYPERCALL HC_console_io
        ret

        .section .rodata
s_hello: .ascii "hyperabi-xen-smoke x86_64 mode="
        .byte '0' + MODE
        .ascii "\n"
        .equ l_hello, . - s_hello
s_ver:  .ascii "xen_version(XENVER_version)="
        .equ l_ver, . - s_ver
s_r_ver: .ascii "\nregs after xen_version (rax rdi rsi rdx r10 r8 r9 rcx r11): "
        .equ l_r_ver, . - s_r_ver
s_probe: .ascii "\nconsole_io write, 6 bytes\n"
        .equ l_probe, . - s_probe
s_r_con: .ascii "regs after console_io (rax rdi rsi rdx r10 r8 r9 rcx r11): "
        .equ l_r_con, . - s_r_con
s_r_nosys: .ascii "\nregs after hypercall 63, ENOSYS (rax rdi rsi rdx r10 r8 r9 rcx r11): "
        .equ l_r_nosys, . - s_r_nosys
s_r_sys: .ascii "\nregs after xen_version by syscall (rax rdi rsi rdx r10 r8 r9 rcx r11): "
        .equ l_r_sys, . - s_r_sys
s_raw:  .ascii "\nraw bytes 0x00-0xff follow:"
        .equ l_raw, . - s_raw
s_rawend: .ascii ":end of raw bytes\n"
        .equ l_rawend, . - s_rawend
s_hang: .ascii "hanging now\n"
        .equ l_hang, . - s_hang
s_crash: .ascii "crashing now\n"
        .equ l_crash, . - s_crash
s_bye:  .ascii "bye: sched_op shutdown reboot\n"
        .equ l_bye, . - s_bye
s_probetext: .ascii "probe\n"
        .balign 4
reason_reboot: .long SHUTDOWN_reboot
rawbytes:
        .irp hi, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        .irp lo, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        .byte \hi * 16 + \lo
        .endr
        .endr

        .data
        .balign 4096
hypercall_page:                         # filled in by Xen
        .fill 4096, 1, 0xcc
        .balign 8
saved:  .fill 9, 8, 0
hexbuf: .fill 24, 1, 0

        .bss
        .balign 16
        .fill 16384, 1, 0
stack_top:
