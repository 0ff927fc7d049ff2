//! The Linux HYP stub ABI (arm and arm64): the calls a Linux kernel booted at EL2/HYP makes
//! from EL1/SVC into the stub vectors it left behind, to install, remove or upgrade a
//! hypervisor (KVM, kexec).
//!
//! Sources: seed 001 and Linux `Documentation/virt/kvm/arm/hyp-abi.rst`,
//! `arch/arm64/include/asm/virt.h`, `arch/arm64/kernel/hyp-stub.S`,
//! `arch/arm/include/asm/virt.h`, `arch/arm/kernel/hyp-stub.S`.
//!
//! Every call changes or leaves the execution state of the hypervisor level, so all of them
//! except the one pure query (`get_ich_vtr_el2`) are `disruptive` or `noreturn`. The ABI only
//! exists when the kernel was entered at EL2 (arm64) or HYP (arm); under QEMU's `-M virt` at EL1
//! an `hvc #0` reaches QEMU's PSCI instead.

abi_macros::hypercall_abi! {
    /// arm64: `hvc #0`, per CPU, function in x0, arguments in x1-x4, result in x0: 0 or
    /// HVC_STUB_ERR (0xbadca11). "A stub hypercall is allowed to clobber any of the caller-saved
    /// registers (x0-x18)", so the stub is called through a function. Function numbers below
    /// HVC_STUB_HCALL_NR are the stub's; any other value is hypervisor-specific (the stub itself
    /// answers HVC_STUB_ERR).
    #[source = "seed 001: Documentation/virt/kvm/arm/hyp-abi.rst ('hvc #0', return 0 or HVC_STUB_ERR, clobbers x0-x18)"]
    #[source = "Linux arch/arm64/include/asm/virt.h (HVC_* numbers, HVC_STUB_HCALL_NR, HVC_STUB_ERR 0xbadca11)"]
    #[source = "Linux arch/arm64/kernel/hyp-stub.S (elx_sync dispatch)"]
    pub abi linux_hyp_stub_arm64 ("linux-hyp-stub-arm64", "Linux HYP stub, arm64 (kernel booted at EL2)") {
        arch: aarch64,
        trap: hvc(0),
        number: x0,
        args: [x1, x2, x3, x4],
        results: [x0, x1],
        registers: {
            x1: clobbered, x2: clobbered, x3: clobbered, x4: clobbered, x5: clobbered,
            x6: clobbered, x7: clobbered, x8: clobbered, x9: clobbered, x10: clobbered,
            x11: clobbered, x12: clobbered, x13: clobbered, x14: clobbered, x15: clobbered,
            x16: clobbered, x17: clobbered, x18: clobbered,
            others: preserved,
        },
        narrow: none,
        errors: { HVC_STUB_ERR = 0xbadca11 },
        unknown: error(HVC_STUB_ERR),
        revision: "Linux 6.19",
        calls: {
            /// HVC_SET_VECTORS: set VBAR_EL2 to the physical address `vectors` (2 KiB aligned).
            /// Only the initial stubs implement it, not a Linux hypervisor.
            #[source = "hyp-abi.rst HVC_SET_VECTORS; virt.h HVC_SET_VECTORS 0 (ARM64_VECTOR_TABLE_LEN SZ_2K)"]
            #[since = "Linux 4.12"]
            #[disruptive]
            set_vectors = 0 (vectors: ptr(align = 2048)) -> (status: range(0..=0)) errors [HVC_STUB_ERR];
            /// HVC_SOFT_RESTART: mask exceptions, turn the EL2 MMU off and jump to
            /// `restart_address` at EL2 with x0-x2 = `arg0`-`arg2`. Does not return.
            #[source = "hyp-abi.rst HVC_SOFT_RESTART (x1 restart address, x2-x4 become x0-x2); virt.h HVC_SOFT_RESTART 1"]
            #[since = "Linux 4.12"]
            #[noreturn]
            soft_restart = 1 (restart_address: ptr(align = 4), arg0: any, arg1: any, arg2: any);
            /// HVC_RESET_VECTORS: turn the EL2 MMU off and point VBAR_EL2 back at the stub
            /// vectors, disabling an installed hypervisor.
            #[source = "hyp-abi.rst HVC_RESET_VECTORS; virt.h HVC_RESET_VECTORS 2"]
            #[since = "Linux 4.12"]
            #[disruptive]
            reset_vectors = 2 () -> (status: range(0..=0)) errors [HVC_STUB_ERR];
            /// HVC_FINALISE_EL2: upgrade the calling CPU from EL1 to EL2 (VHE) where possible;
            /// the call returns at EL2. Named HVC_VHE_RESTART when introduced.
            #[source = "virt.h HVC_FINALISE_EL2 3 ('Upgrade the CPU from EL1 to EL2, if possible'); hyp-stub.S __finalise_el2"]
            #[since = "Linux 5.12 (as HVC_VHE_RESTART; renamed HVC_FINALISE_EL2 in 5.18)"]
            #[disruptive]
            finalise_el2 = 3 () -> (status: range(0..=0)) errors [HVC_STUB_ERR];
            /// HVC_GET_ICH_VTR_EL2: read ICH_VTR_EL2 (GICv3 virtualisation capabilities) at EL2
            /// and return it in x1. The one pure query of the stub.
            #[source = "virt.h HVC_GET_ICH_VTR_EL2 4, HVC_STUB_HCALL_NR 5 (GICv3 ICV_DIR_EL1 trap series, 2025); hyp-stub.S"]
            #[since = "Linux 6.19"]
            #[optional]
            get_ich_vtr_el2 = 4 () -> (status: range(0..=0), ich_vtr_el2: bits(0xffff_ffff)) errors [HVC_STUB_ERR];
        },
    }

    /// arm (32-bit): `hvc #0`, function in r0, argument in r1, result in r0 (0 or HVC_STUB_ERR).
    /// The stub may clobber r0-r3 and ip (r12). Since KVM/arm32 was removed (Linux 5.7) the
    /// kernel's own stub only serves HVC_SOFT_RESTART; HVC_SET_VECTORS survives in the zImage
    /// decompressor's stub and HVC_RESET_VECTORS is gone.
    #[source = "seed 001: hyp-abi.rst ('r0-r3 and ip on arm')"]
    #[source = "Linux arch/arm/include/asm/virt.h (HVC_SET_VECTORS 0, HVC_SOFT_RESTART 1, HVC_STUB_ERR); arch/arm/kernel/hyp-stub.S (__hyp_stub_do_trap, SET_VECTORS under ZIMAGE only)"]
    pub abi linux_hyp_stub_arm ("linux-hyp-stub-arm", "Linux HYP stub, arm (kernel booted in HYP mode)") : linux_hyp_stub_arm64 {
        arch: arm,
        number: r0,
        args: [r1, r2, r3],
        results: [r0],
        registers: {
            r1: clobbered,
            r2: clobbered,
            r3: clobbered,
            r12: clobbered,
            others: preserved,
        },
        without: [finalise_el2, get_ich_vtr_el2],
        calls: {
            /// HVC_SET_VECTORS: set HVBAR to the physical address `vectors` (32-byte aligned).
            /// Only the zImage decompressor's stub still implements it.
            #[source = "arch/arm/kernel/hyp-stub.S __hyp_stub_do_trap (#ifdef ZIMAGE); virt.h HVC_SET_VECTORS 0"]
            #[since = "Linux 4.12"]
            #[optional]
            #[disruptive]
            set_vectors = 0 (vectors: ptr(align = 32)) -> (status: range(0..=0)) errors [HVC_STUB_ERR];
            /// HVC_SOFT_RESTART: jump to `restart_address` in HYP mode. Does not return.
            #[source = "hyp-abi.rst HVC_SOFT_RESTART (r1 restart address); virt.h HVC_SOFT_RESTART 1"]
            #[since = "Linux 4.12"]
            #[noreturn]
            soft_restart = 1 (restart_address: ptr(align = 2));
            /// HVC_RESET_VECTORS: removed from arm once KVM/arm32 was gone; answers
            /// HVC_STUB_ERR.
            #[source = "arch/arm/include/asm/virt.h (HVC_RESET_VECTORS 2 and HVC_STUB_HCALL_NR removed)"]
            #[since = "Linux 4.12"]
            #[removed]
            #[disruptive]
            reset_vectors = 2 () -> (status: range(0..=0)) errors [HVC_STUB_ERR];
        },
    }
}
