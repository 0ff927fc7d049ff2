//! KVM hypercall ABIs.
//!
//! Sources: seed 004 (the hypercall ABI section of `Documentation/virtual/hypercalls.txt`), Linux
//! `Documentation/virt/kvm/x86/hypercalls.rst`, `include/uapi/linux/kvm_para.h` (KVM_HC_* numbers,
//! KVM_E* errors), `arch/x86/kvm/x86.c:kvm_emulate_hypercall`.

abi_macros::hypercall_abi! {
    /// KVM hypercalls from 64-bit x86 guests: `vmcall` (Intel; KVM rewrites it to `vmmcall` on
    /// AMD and the reverse), number in rax, up to four arguments in rbx, rcx, rdx, rsi, result in
    /// rax. "No other registers will be clobbered unless explicitly stated by the particular
    /// hypercall." From CPL != 0 every call returns -KVM_EPERM.
    #[source = "seed 004: Documentation/virtual/hypercalls.txt, 'Hypercall ABI' (X86)"]
    #[source = "Linux include/uapi/linux/kvm_para.h (KVM_HC_* numbers, KVM_ENOSYS = 1000)"]
    #[source = "Linux Documentation/virt/kvm/x86/hypercalls.rst"]
    pub abi kvm_x86_64 ("kvm-x86_64", "KVM on x86, 64-bit guests") {
        arch: x86_64,
        trap: vmcall,
        number: rax,
        args: [rbx, rcx, rdx, rsi],
        results: [rax],
        registers: { others: preserved },
        errors: {
            KVM_EPERM = -1, KVM_E2BIG = -7, KVM_EFAULT = -14, KVM_EINVAL = -22,
            KVM_EOPNOTSUPP = -95, KVM_ENOSYS = -1000,
        },
        unknown: error(KVM_ENOSYS),
        calls: {
            /// Exit to the host so it can check for pending interrupts on re-entry.
            #[source = "seed 004: 1. KVM_HC_VAPIC_POLL_IRQ, status active"]
            vapic_poll_irq = 1 () -> (ret: range(0..=0)) errors [KVM_EPERM];
            /// MMU operations; removed from KVM, answers -KVM_ENOSYS.
            #[source = "seed 004: 2. KVM_HC_MMU_OP, status deprecated"]
            #[deprecated]
            #[optional]
            mmu_op = 2 (arg0: any, arg1: any, arg2: any) -> (ret: any) errors [KVM_ENOSYS, KVM_EPERM];
            /// Wake a vCPU halted in a paravirtual spinlock.
            #[source = "hypercalls.rst: 5. KVM_HC_KICK_CPU (needs KVM_FEATURE_PV_UNHALT)"]
            #[discoverable]
            #[stateful]
            kick_cpu = 5 (flags: mbz, apicid: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [KVM_ENOSYS, KVM_EPERM];
            /// Pair the host's wall clock with the TSC, written to a guest-physical structure.
            #[source = "hypercalls.rst: 6. KVM_HC_CLOCK_PAIRING (value 9)"]
            #[discoverable]
            #[stateful]
            clock_pairing = 9 (gpa: ptr(align = 8), clock_type: enum { KVM_CLOCK_PAIRING_WALLCLOCK = 0 }) -> (ret: range(0..=0)) errors [KVM_EOPNOTSUPP, KVM_EFAULT, KVM_EPERM];
            /// Send IPIs to the vCPUs in a bitmap; returns how many were delivered.
            #[source = "hypercalls.rst: 7. KVM_HC_SEND_IPI (needs KVM_FEATURE_PV_SEND_IPI)"]
            #[discoverable]
            #[stateful]
            send_ipi = 10 (bitmap_low: any, bitmap_high: any, min_apicid: range(0..=u32::MAX), icr: any) -> (ret: range(0..=128)) errors [KVM_ENOSYS, KVM_EPERM];
            /// Yield to the vCPU holding a lock.
            #[source = "hypercalls.rst: 8. KVM_HC_SCHED_YIELD (needs KVM_FEATURE_PV_SCHED_YIELD)"]
            #[discoverable]
            sched_yield = 11 (dest_apicid: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [KVM_ENOSYS, KVM_EPERM];
            /// Change the attributes (encrypted or not) of a guest-physical range; forwarded to the VMM.
            #[source = "hypercalls.rst: 9. KVM_HC_MAP_GPA_RANGE (bits 63:5 of attrs MBZ)"]
            #[discoverable]
            #[stateful]
            map_gpa_range = 12 (gpa: ptr(align = 4096), npages: range(1..=u32::MAX), attrs: bits(0x1f)) -> (ret: range(0..=0)) errors [KVM_ENOSYS, KVM_EINVAL, KVM_EPERM];
        },
    }
}
