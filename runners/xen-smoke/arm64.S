// Throwaway Xen dom0 for arm64: proves that a Xen boots a dom0 of ours and shows what the dom0 sees.
// Boot protocol (Linux arm64 Image, Documentation/arch/arm64/booting.rst): EL1, MMU off, x0 = DTB.
// Xen on Arm hypercalls (xen/include/public/arch-arm.h): `hvc #0xEA1`, number in x16, args x0-x4,
// result in x0. Numbers from xen/include/public/xen.h; MODE selects a behaviour (see README.md):
//   0: normal run, ends with sched_op(SCHEDOP_shutdown, SHUTDOWN_poweroff)
//   1: prints a line, then spins forever (a hang)
//   2: prints a line, then sched_op(SCHEDOP_shutdown, SHUTDOWN_crash)
// With the MMU off every data access must be naturally aligned.

        .ifndef MODE
        .equ MODE, 0
        .endif
        .equ XEN_HVC, 0xEA1
        .equ HC_xen_version, 17
        .equ HC_console_io, 18
        .equ HC_sched_op, 29
        .equ CONSOLEIO_write, 0
        .equ SCHEDOP_shutdown, 2
        .equ SHUTDOWN_poweroff, 0
        .equ SHUTDOWN_crash, 3

        .text
        .global _start
_start:                                 // the 64-byte Image header
        b       entry                   // code0
        .long   0                       // code1
        .quad   0                       // text_offset
        .quad   _end - _start           // image_size
        .quad   0xa                     // flags: little endian, 4K pages, anywhere in RAM
        .quad   0, 0, 0                 // res2..res4
        .ascii  "ARM\x64"               // magic
        .long   0                       // res5

// Strings before code so their lengths are known constants when used.
s_hello: .ascii "hyperabi-xen-smoke arm64 mode="
        .byte   '0' + MODE
        .ascii  "\n"
        .equ    l_hello, . - s_hello
s_ver:  .ascii  "xen_version(XENVER_version)="
        .equ    l_ver, . - s_ver
s_r_ver: .ascii "\nregs after xen_version (x0 x1 x2 x3 x4 x5 x16 x17): "
        .equ    l_r_ver, . - s_r_ver
s_probe: .ascii "\nconsole_io write, 6 bytes\n"
        .equ    l_probe, . - s_probe
s_r_con: .ascii "regs after console_io (x0 x1 x2 x3 x4 x5 x16 x17): "
        .equ    l_r_con, . - s_r_con
s_r_nosys: .ascii "\nregs after hypercall 63, ENOSYS (x0 x1 x2 x3 x4 x5 x16 x17): "
        .equ    l_r_nosys, . - s_r_nosys
s_raw:  .ascii  "\nraw bytes 0x00-0xff follow:"
        .equ    l_raw, . - s_raw
s_rawend: .ascii ":end of raw bytes\n"
        .equ    l_rawend, . - s_rawend
s_hang: .ascii  "hanging now\n"
        .equ    l_hang, . - s_hang
s_crash: .ascii "crashing now\n"
        .equ    l_crash, . - s_crash
s_bye:  .ascii  "bye: sched_op shutdown poweroff\n"
        .equ    l_bye, . - s_bye
        .balign 4

.macro  PUTS str, len
        mov     x0, #CONSOLEIO_write
        mov     x1, #\len
        adr     x2, \str
        mov     x16, #HC_console_io
        hvc     #XEN_HVC
.endm

// Loads recognisable values into x0-x5 and x17 (x16 = number) before a call.
.macro  CANARIES
        ldr     x0, =0x0000c0de00000000
        ldr     x1, =0x1111111111111111
        ldr     x2, =0x2222222222222222
        ldr     x3, =0x3333333333333333
        ldr     x4, =0x4444444444444444
        ldr     x5, =0x5555555555555555
        ldr     x17, =0x1717171717171717
.endm

// Stores x0-x5, x16, x17 into `saved`.
.macro  SAVE
        adr     x9, saved
        stp     x0, x1, [x9]
        stp     x2, x3, [x9, #16]
        stp     x4, x5, [x9, #32]
        stp     x16, x17, [x9, #48]
.endm

.macro  DUMP
        mov     x21, #0
9:      adr     x22, saved
        ldr     x0, [x22, x21, lsl #3]
        bl      put_hex
        add     x21, x21, #1
        cmp     x21, #8
        b.lt    9b
.endm

entry:
        mov     x20, x0                 // the DTB, unused
        PUTS    s_hello, l_hello

        // xen_version(XENVER_version, NULL)
        CANARIES
        mov     x0, #0
        mov     x1, #0
        mov     x16, #HC_xen_version
        hvc     #XEN_HVC
        SAVE
        PUTS    s_ver, l_ver
        adr     x9, saved
        ldr     x0, [x9]
        bl      put_hex
        PUTS    s_r_ver, l_r_ver
        DUMP

        // console_io(CONSOLEIO_write, 6, "probe\n")
        PUTS    s_probe, l_probe
        CANARIES
        mov     x0, #CONSOLEIO_write
        mov     x1, #6
        adr     x2, s_probetext
        mov     x16, #HC_console_io
        hvc     #XEN_HVC
        SAVE
        PUTS    s_r_con, l_r_con
        DUMP

        // an unused hypercall number: -ENOSYS
        CANARIES
        mov     x16, #63
        hvc     #XEN_HVC
        SAVE
        PUTS    s_r_nosys, l_r_nosys
        DUMP

        .if MODE == 1
        PUTS    s_hang, l_hang
1:      wfi
        b       1b
        .endif

        .if MODE == 2
        PUTS    s_crash, l_crash
        adr     x1, reason_crash
        mov     x0, #SCHEDOP_shutdown
        mov     x16, #HC_sched_op
        hvc     #XEN_HVC
        .endif

        PUTS    s_raw, l_raw
        mov     x0, #CONSOLEIO_write
        mov     x1, #256
        adr     x2, rawbytes
        mov     x16, #HC_console_io
        hvc     #XEN_HVC
        PUTS    s_rawend, l_rawend

        PUTS    s_bye, l_bye
        adr     x1, reason_poweroff
        mov     x0, #SCHEDOP_shutdown
        mov     x16, #HC_sched_op
        hvc     #XEN_HVC
2:      b       2b                      // not reached

// Writes x0 as "0x%016x " through console_io. Clobbers x0-x7, x16.
put_hex:
        adr     x3, hexbuf
        mov     w4, #'0'
        strb    w4, [x3]
        mov     w4, #'x'
        strb    w4, [x3, #1]
        add     x6, x3, #2
        mov     x5, #60
1:      lsr     x7, x0, x5
        and     x7, x7, #0xf
        cmp     x7, #10
        b.lt    2f
        add     x7, x7, #('a' - 10)
        b       3f
2:      add     x7, x7, #'0'
3:      strb    w7, [x6], #1
        subs    x5, x5, #4
        b.ge    1b
        mov     w7, #' '
        strb    w7, [x6]
        mov     x0, #CONSOLEIO_write
        mov     x1, #19
        mov     x2, x3
        mov     x16, #HC_console_io
        hvc     #XEN_HVC
        ret

        .ltorg
        .balign 8
saved:  .fill   8, 8, 0
reason_poweroff: .long SHUTDOWN_poweroff
reason_crash: .long SHUTDOWN_crash
hexbuf: .fill   24, 1, 0
s_probetext: .ascii "probe\n"
rawbytes:
        .irp hi, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        .irp lo, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        .byte \hi * 16 + \lo
        .endr
        .endr
        .balign 4096                    // room for the image_size rounding
_end:
