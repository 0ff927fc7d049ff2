// BL33 for Trusted Firmware-A on QEMU virt (the `tfa-2.12` component): a trampoline from the EL2
// BL31 enters to the guest harness at EL1h, so the aarch64 EL1 harness runs unchanged and reaches
// BL31 (PSCI, SMCCC) with `smc #0`. Assembled by `cargo xtask setup` (aarch64-linux-gnu-as, then
// objcopy -O binary) and packed into TF-A's FIP; TF-A's BL2 loads it at NS_IMAGE_OFFSET
// (0x60000000 on PLAT=qemu). Position-independent: only PC-relative addresses.
//
// Register values: Arm ARM DDI0487 (HCR_EL2, CPTR_EL2, CNTHCTL_EL2, SCTLR_EL1, SPSR_EL2); the same
// EL2-to-EL1 drop Linux's arch/arm64/kernel/head.S (init_el2) makes.

// The guest's load address and entry: `. =` in runners/guest/link/aarch64-tfa.ld. QEMU's
// `-device loader,file=<guest ELF>` has placed it there before TF-A ran.
.equ GUEST_ENTRY, 0x50000000

.text
.global _start
_start:
    mrs x0, CurrentEL
    cmp x0, #(2 << 2)
    b.ne 1f                     // a CPU without EL2: BL31 entered us at EL1 already

    adr x0, el2_vectors
    msr vbar_el2, x0
    adr x0, el2_stack_top
    mov sp, x0
    mov x0, #(1 << 31)          // HCR_EL2.RW: EL1 is AArch64; nothing trapped, nothing routed
    msr hcr_el2, x0
    mov x0, #0x33ff             // CPTR_EL2: RES1 bits; TFP = 0 (FP/SIMD not trapped)
    msr cptr_el2, x0
    mov x0, #3                  // CNTHCTL_EL2: EL1PCTEN | EL1PCEN (EL1 reads the counters)
    msr cnthctl_el2, x0
    msr cntvoff_el2, xzr
    msr hstr_el2, xzr
    msr vttbr_el2, xzr
    mrs x0, midr_el1            // EL1 reads the real MIDR and MPIDR
    msr vpidr_el2, x0
    mrs x0, mpidr_el1
    msr vmpidr_el2, x0
    ldr x0, =0x30d00800         // SCTLR_EL1: RES1 bits; MMU, caches, alignment checks off; LE
    msr sctlr_el1, x0
    mov x0, #0x3c5              // SPSR_EL2: EL1h, D, A, I, F masked
    msr spsr_el2, x0
    ldr x0, =GUEST_ENTRY
    msr elr_el2, x0
    mov x0, xzr
    isb
    eret
1:  ldr x0, =GUEST_ENTRY
    br x0
.ltorg

// EL2 vectors. No hypervisor runs here, so an `hvc` from the guest (the only exception EL1 can
// take to EL2 with nothing trapped) becomes an UNDEF injected at EL1 with ELR after the `hvc`, as
// Xen answers a foreign HVC immediate: the guest's vectors record it and resume, and a plan with
// an HVC ABI on this target records exceptions instead of hanging. Anything else taken to EL2 is a
// bug of this trampoline: spin (the runner's silence timeout reports it).
.macro hang
    .balign 0x80
    b .
.endm
.balign 2048
el2_vectors:
    hang                        // current EL, SP_EL0: sync, IRQ, FIQ, SError
    hang
    hang
    hang
    hang                        // current EL, SP_ELx
    hang
    hang
    hang
    .balign 0x80                // lower EL, AArch64: synchronous
    stp x0, x1, [sp, #-16]!
    mrs x0, elr_el2
    msr elr_el1, x0
    mrs x0, spsr_el2
    msr spsr_el1, x0
    mrs x1, vbar_el1
    tst x0, #1                  // SPSR.M[0]: EL1h takes it at VBAR + 0x200, EL1t at VBAR + 0
    b.eq 2f
    add x1, x1, #0x200
2:  msr elr_el2, x1
    mov x0, #(1 << 25)          // ESR_EL1: EC 0 (unknown reason), IL
    msr esr_el1, x0
    mov x0, #0x3c5              // the guest's handler runs at EL1h with DAIF masked
    msr spsr_el2, x0
    ldp x0, x1, [sp], #16
    eret
    hang                        // lower EL, AArch64: IRQ, FIQ, SError
    hang
    hang
    hang                        // lower EL, AArch32
    hang
    hang
    hang

.balign 16
el2_stack:
    .space 64
el2_stack_top:
