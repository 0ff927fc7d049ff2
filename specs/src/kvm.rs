//! KVM's own hypercall ABIs: x86 (`vmcall`/`vmmcall`, 64- and 32-bit guests), s390 (DIAGNOSE
//! 0x500) and PowerPC (ePAPR `sc 1` hypercalls, KVM vendor 42).
//!
//! Sources: seed 004 (the "Hypercall ABI" section added to `Documentation/virtual/hypercalls.txt`),
//! its current form `Documentation/virt/kvm/x86/hypercalls.rst`, `include/uapi/linux/kvm_para.h`
//! (KVM_HC_* numbers, KVM_E* errors), `arch/x86/kvm/x86.c` (`____kvm_emulate_hypercall`,
//! `emulator_fix_hypercall`), `Documentation/virt/kvm/s390/s390-diag.rst`, QEMU
//! `hw/s390x/s390-hypercall.h`, `Documentation/virt/kvm/ppc-pv.rst`,
//! `arch/powerpc/include/uapi/asm/epapr_hcalls.h`, `arch/powerpc/kvm/powerpc.c` (`kvmppc_kvm_pv`)
//! and the ePAPR hypercall ABI (linux-kvm.org "PowerPC Hypercall ABI", the Embedded Hypervisor
//! ABI that ePAPR 1.1 adopted).

abi_macros::hypercall_abi! {
    /// KVM hypercalls from 64-bit x86 guests. The hypercall is the three-byte `vmcall` (Intel,
    /// `0f 01 c1`) or `vmmcall` (AMD, `0f 01 d9`); both are one ABI family. KVM "can replace it with
    /// instructions that are guaranteed to be supported": a guest that executes the other vendor's
    /// instruction traps, and KVM patches it in place to the native one
    /// (`emulator_fix_hypercall`, `KVM_X86_QUIRK_FIX_HYPERCALL_INSN`; with the quirk disabled the
    /// guest gets #UD instead).
    ///
    /// Number in rax, up to four arguments in rbx, rcx, rdx, rsi, result in rax. "No other registers
    /// will be clobbered unless explicitly stated by the particular hypercall."
    ///
    /// Outcomes shared by every call: from CPL != 0 every number answers `-KVM_EPERM` (listed on
    /// each call; the model has a single outcome for unknown numbers, `-KVM_ENOSYS`); numbers KVM
    /// does not implement on x86 (including 3, 4 and 6-8, which belong to PowerPC and MIPS) answer
    /// `-KVM_ENOSYS` = -1000. When Xen or Hyper-V hypercall emulation is enabled for the VM, KVM
    /// routes `vmcall` there first and this ABI is not reachable.
    #[source = "seed 004: Documentation/virtual/hypercalls.txt, 'Hypercall ABI' (X86)"]
    #[source = "Linux Documentation/virt/kvm/x86/hypercalls.rst (calls, status, arguments)"]
    #[source = "Linux include/uapi/linux/kvm_para.h (KVM_HC_* numbers; KVM_ENOSYS 1000, KVM_EFAULT, KVM_EINVAL, KVM_E2BIG, KVM_EPERM, KVM_EOPNOTSUPP 95)"]
    #[source = "Linux arch/x86/kvm/x86.c: ____kvm_emulate_hypercall (CPL check, 32-bit truncation, per-call results), emulator_fix_hypercall (instruction patching)"]
    pub abi kvm_x86_64 ("kvm-x86_64", "KVM on x86, 64-bit guests (vmcall)") {
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
        revision: "Linux 6.x",
        calls: {
            /// Exit to the host so it can check for pending interrupts on re-entry; always 0.
            #[source = "hypercalls.rst 1. KVM_HC_VAPIC_POLL_IRQ (status: active); x86.c returns 0"]
            vapic_poll_irq = 1 () -> (ret: range(0..=0)) errors [KVM_EPERM];
            /// MMU operations (write PTE, flush TLB, release PT). The documentation still says
            /// "deprecated"; KVM no longer implements it, so it answers -KVM_ENOSYS.
            #[source = "hypercalls.rst 2. KVM_HC_MMU_OP (status: deprecated); absent from ____kvm_emulate_hypercall"]
            #[removed]
            #[optional]
            #[disruptive]
            mmu_op = 2 (bytes: any, addr_low: any, addr_high: any) -> (ret: any) errors [KVM_ENOSYS, KVM_EPERM];
            /// Wake a vCPU halted in a paravirtual spinlock (a1 = its APIC ID; a0 is reserved "for
            /// future use"). -KVM_ENOSYS unless CPUID advertises KVM_FEATURE_PV_UNHALT.
            #[source = "hypercalls.rst 5. KVM_HC_KICK_CPU; x86.c (guest_pv_has KVM_FEATURE_PV_UNHALT)"]
            #[discoverable]
            #[stateful]
            kick_cpu = 5 (flags: mbz, apicid: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [KVM_ENOSYS, KVM_EPERM];
            /// Pair the host's CLOCK_REALTIME with the guest TSC: KVM writes a `struct
            /// kvm_clock_pairing` (sec, nsec, tsc, flags, pad: 64 bytes) at the guest-physical
            /// address. -KVM_EOPNOTSUPP if the host clocksource is not the TSC or the clock type
            /// is not KVM_CLOCK_PAIRING_WALLCLOCK; -KVM_EFAULT if the write fails; 64-bit hosts only.
            #[source = "hypercalls.rst 6. KVM_HC_CLOCK_PAIRING (value 9); x86.c kvm_pv_clock_pairing"]
            #[discoverable]
            #[stateful]
            clock_pairing = 9 (gpa: ptr(align = 8), clock_type: enum { KVM_CLOCK_PAIRING_WALLCLOCK = 0 }) -> (ret: range(0..=0)) errors [KVM_EOPNOTSUPP, KVM_EFAULT, KVM_ENOSYS, KVM_EPERM];
            /// Send an IPI to the vCPUs of a 128-bit APIC-ID bitmap starting at `min_apicid`;
            /// returns how many were delivered. The ICR's delivery mode is honoured (INIT, NMI, ...),
            /// so arbitrary arguments can reset or interrupt vCPUs. -KVM_EINVAL for an ICR with a
            /// destination mode or shorthand; -KVM_ENOSYS unless KVM_FEATURE_PV_SEND_IPI.
            #[source = "hypercalls.rst 6. KVM_HC_SEND_IPI (value 10); lapic.c kvm_pv_send_ipi"]
            #[discoverable]
            #[disruptive]
            send_ipi = 10 (bitmap_low: any, bitmap_high: any, min_apicid: range(0..=u32::MAX), icr: any) -> (ret: range(0..=128)) errors [KVM_EINVAL, KVM_ENOSYS, KVM_EPERM];
            /// Yield to the vCPU holding a lock (if it is preempted). -KVM_ENOSYS unless
            /// KVM_FEATURE_PV_SCHED_YIELD.
            #[source = "hypercalls.rst 7. KVM_HC_SCHED_YIELD (value 11)"]
            #[discoverable]
            sched_yield = 11 (dest_apicid: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [KVM_ENOSYS, KVM_EPERM];
            /// Ask the VMM to map a guest-physical range (page-aligned start, `npages` 4 KiB pages)
            /// with attributes: bits 3:0 page size, bit 4 encrypted, bits 63:5 reserved. Forwarded
            /// to userspace (KVM_CAP_EXIT_HYPERCALL); -KVM_ENOSYS unless enabled, -KVM_EINVAL for an
            /// unaligned start, zero pages or a wrapping range. Changes how guest memory is shared.
            #[source = "hypercalls.rst 8. KVM_HC_MAP_GPA_RANGE (value 12); x86.c (PAGE_ALIGNED, npages checks)"]
            #[discoverable]
            #[disruptive]
            map_gpa_range = 12 (gpa: ptr(align = 4096), npages: range(1..), attrs: bits(0x1f)) -> (ret: range(0..=0)) errors [KVM_ENOSYS, KVM_EINVAL, KVM_EPERM];
        },
    }

    /// The same calls issued with AMD's `vmmcall`. On Intel hosts KVM patches it to `vmcall`
    /// (and the reverse), so both instructions reach the same handler.
    #[source = "hypercalls.rst: 'a three-byte sequence of either the vmcall or the vmmcall instruction'"]
    pub abi kvm_x86_64_vmmcall ("kvm-x86_64-vmmcall", "KVM on x86, 64-bit guests (vmmcall)") : kvm_x86_64 {
        trap: vmmcall,
    }

    /// The 64-bit convention seen from CPL3 (a guest's user mode): KVM answers every number,
    /// its calls included, with `-KVM_EPERM` before it looks at the number, and writes nothing
    /// but rax. So this ABI has no calls: every number is "unknown" and must answer -1.
    #[source = "Linux arch/x86/kvm/x86.c: ____kvm_emulate_hypercall ('if (cpl) { ret = -KVM_EPERM; goto out; }' before the switch on nr)"]
    #[source = "Linux include/uapi/linux/kvm_para.h (KVM_EPERM = EPERM = 1)"]
    pub abi kvm_x86_64_cpl3 ("kvm-x86_64-cpl3", "KVM on x86, 64-bit guests at CPL3 (vmmcall): every number is refused") {
        arch: x86_64,
        trap: vmmcall,
        number: rax,
        args: [rbx, rcx, rdx, rsi],
        results: [rax],
        registers: { others: preserved },
        errors: { KVM_EPERM = -1 },
        unknown: error(KVM_EPERM),
        revision: "Linux 6.x",
        calls: {},
    }

    /// KVM hypercalls from 32-bit x86 guests (protected mode, or compatibility mode under a
    /// 64-bit guest kernel): number in eax, arguments in ebx, ecx, edx, esi, result in eax.
    ///
    /// KVM reads the full 64-bit registers but, when the vCPU is not in 64-bit mode, truncates the
    /// number and every argument to 32 bits and writes back `(u32)ret`. This family member models
    /// that convention on the 32-bit register file the guest sees, so stale upper halves (left by
    /// earlier 64-bit code) cannot be observed by the guest and need no rule. `send_ipi` delivers
    /// to at most 64 vCPUs here (two 32-bit bitmap halves).
    #[source = "Linux arch/x86/kvm/x86.c: ____kvm_emulate_hypercall ('if (!op_64_bit) { nr &= 0xFFFFFFFF; a0 &= ...}', result '(u32)ret')"]
    #[source = "hypercalls.rst 6. KVM_HC_SEND_IPI ('64 vCPUs per hypercall in 32-bit mode')"]
    pub abi kvm_x86 ("kvm-x86", "KVM on x86, 32-bit guests (vmcall)") : kvm_x86_64 {
        arch: x86,
        number: eax,
        args: [ebx, ecx, edx, esi],
        results: [eax],
        calls: {
            /// As on 64-bit guests, with a 64-bit bitmap (two 32-bit halves): at most 64 vCPUs.
            #[source = "hypercalls.rst 6. KVM_HC_SEND_IPI; lapic.c kvm_pv_send_ipi (cluster size 32 when !op_64_bit)"]
            #[discoverable]
            #[disruptive]
            send_ipi = 10 (bitmap_low: any, bitmap_high: any, min_apicid: range(0..=u32::MAX), icr: any) -> (ret: range(0..=64)) errors [KVM_EINVAL, KVM_ENOSYS, KVM_EPERM];
        },
    }

    /// The 32-bit convention through `vmmcall`.
    #[source = "hypercalls.rst: 'either the vmcall or the vmmcall instruction'"]
    pub abi kvm_x86_vmmcall ("kvm-x86-vmmcall", "KVM on x86, 32-bit guests (vmmcall)") : kvm_x86 {
        trap: vmmcall,
    }
}

abi_macros::hypercall_abi! {
    /// KVM hypercalls on s390: `DIAGNOSE` with function code 0x500 (bits 48-63 of the
    /// second-operand address; Linux issues `diag r2,r4,0x500`). r1 holds the subcode, r2-r7 the
    /// parameters, r2 the return value; nothing else is written. Linux's guest wrappers declare
    /// the condition code clobbered, so the model allows it to change.
    ///
    /// Which subcodes exist depends on KVM's userspace (QEMU). An unsupported subcode raises a
    /// SPECIFICATION exception (program-interruption code 6), not an error return. QEMU 7.2 (the
    /// TCG target here) serves subcodes 0 and 3 only; subcode 4 arrived in QEMU 9.2.
    #[source = "seed 004: Documentation/virtual/hypercalls.txt, 'Hypercall ABI' (S390)"]
    #[source = "Linux Documentation/virt/kvm/s390/s390-diag.rst, 'DIAGNOSE function code X'500' - KVM functions'"]
    #[source = "Linux arch/s390/include/asm/kvm_para.h (diag 2,4,0x500; clobbers memory, cc)"]
    #[source = "QEMU hw/s390x/s390-hypercall.{h,c} (DIAG500_* subcodes, handle_diag_500, PGM_SPECIFICATION)"]
    pub abi kvm_s390 ("kvm-s390x", "KVM on s390 (DIAGNOSE 0x500)") {
        arch: s390x,
        trap: diag(0x500),
        number: r1,
        args: [r2, r3, r4, r5, r6, r7],
        results: [r2],
        registers: { cc: clobbered, others: preserved },
        errors: { EINVAL = -22 },
        unknown: exception("specification"),
        revision: "Linux 6.13 / QEMU 9.2",
        calls: {
            /// s390-virtio notification and early console printk. QEMU keeps it as a tolerated
            /// no-op: 0 if r2 lies inside guest RAM, else -EINVAL.
            #[source = "s390-diag.rst 'Subcode 0 - s390-virtio notification and early console printk'; QEMU DIAG500_VIRTIO_NOTIFY ('legacy, implemented as a NOP')"]
            #[deprecated]
            virtio_notify = 0 (addr: any) -> (ret: range(0..=0)) errors [EINVAL];
            /// s390-virtio device reset: the s390-virtio transport is gone from QEMU, which now
            /// raises a specification exception for it.
            #[source = "s390-diag.rst 'Subcode 1 - s390-virtio reset'; QEMU DIAG500_VIRTIO_RESET ('legacy', not handled)"]
            #[removed]
            #[optional]
            #[disruptive]
            virtio_reset = 1 (device: any) -> (ret: any);
            /// s390-virtio set device status; removed like subcode 1.
            #[source = "s390-diag.rst 'Subcode 2 - s390-virtio set status'; QEMU DIAG500_VIRTIO_SET_STATUS ('legacy', not handled)"]
            #[removed]
            #[optional]
            #[disruptive]
            virtio_set_status = 2 (device: any) -> (ret: any);
            /// virtio-ccw queue notification: r2 = subchannel-identification word, r3 = virtqueue
            /// number, r4 = 64-bit kvm_io_bus cookie (ignored if invalid). r2 returns a new cookie
            /// (KVM's ioeventfd path) or 0 (QEMU), or a negative error (-EINVAL from QEMU for an
            /// unknown subchannel or queue).
            #[source = "s390-diag.rst 'Subcode 3 - virtio-ccw notification'; Linux arch/s390/include/uapi/asm/virtio-ccw.h KVM_S390_VIRTIO_CCW_NOTIFY 3"]
            #[stateful]
            virtio_ccw_notify = 3 (schid: range(0..=u32::MAX), queue: any, cookie: any) -> (ret: range(0..=i64::MAX)) errors [EINVAL];
            /// The storage limit: the highest physical address that may ever hold storage during
            /// the VM's lifetime (inclusive; may include holes, standby and hotplug areas).
            #[source = "s390-diag.rst 'Subcode 4 - storage-limit'; Linux arch/s390/boot/physmem_info.c DIAG500_SC_STOR_LIMIT 4"]
            #[since = "Linux 6.13, QEMU 9.2"]
            #[optional]
            #[stable]
            storage_limit = 4 () -> (max_addr: range(1..));
        },
    }
}

abi_macros::hypercall_abi! {
    /// KVM's ePAPR hypercalls on PowerPC. The hypercall is the 4-byte `sc 1` (0x44000022) on Book E,
    /// but a guest must call the instruction sequence (at most four opcodes) found in the device
    /// tree's `/hypervisor` node, property `hypercall-instructions`: the hypervisor may patch in its
    /// own. This spec issues `sc 1` directly.
    ///
    /// The hcall token goes in r11 (vendor << 16 | number; KVM's own calls use vendor 42,
    /// `KVM_HCALL_TOKEN`; the ePAPR calls vendor 1, `EV_HCALL_TOKEN`), parameters in r3-r10; r3
    /// returns the status, r4-r11 up to eight outputs. Volatile: r0, r3-r12 and CR0, CR1, CR5-CR7;
    /// preserved: r1, r2, r13-r31, LR, CTR, XER, CR2-CR4 (the model has one `cr` register, so the
    /// whole CR is allowed to change). Status codes are positive EV_* values; an unimplemented
    /// token answers EV_UNIMPLEMENTED (12). KVM implements only KVM_HC_FEATURES,
    /// KVM_HC_PPC_MAP_MAGIC_PAGE and EV_IDLE, always writes r4 (0 when unused), and in 32-bit
    /// mode (MSR[SF] = 0) truncates the first four parameters to 32 bits. QEMU TCG does not
    /// serve this ABI.
    #[source = "seed 004: Documentation/virtual/hypercalls.txt, 'Hypercall ABI' (PowerPC: R3-R10 in, R11 number, R4-R11 out, R3 return)"]
    #[source = "Linux Documentation/virt/kvm/ppc-pv.rst ('KVM hypercalls', register table, vendor code 42 << 16, return codes)"]
    #[source = "linux-kvm.org 'PowerPC Hypercall ABI' (Embedded Hypervisor ABI adopted by ePAPR 1.1: register usage, volatile set)"]
    #[source = "Linux arch/powerpc/include/uapi/asm/epapr_hcalls.h (EV_* numbers, vendor IDs, EV_* status codes)"]
    #[source = "Linux arch/powerpc/kvm/powerpc.c: kvmppc_kvm_pv (implemented tokens, r4 output, 32-bit truncation)"]
    pub abi kvm_ppc_epapr ("kvm-ppc64-epapr", "KVM on PowerPC, ePAPR hypercalls (sc 1, token in r11)") {
        arch: ppc64,
        trap: sc(1),
        number: r11,
        args: [r3, r4, r5, r6, r7, r8, r9, r10],
        results: [r3, r4, r5, r6, r7, r8, r9, r10, r11],
        registers: {
            r0: clobbered,
            r12: clobbered,
            number: clobbered,
            used_args: clobbered,
            unused_args: clobbered,
            unused_results: clobbered,
            cr: clobbered,
            others: preserved,
        },
        errors: {
            EV_EPERM = 1, EV_ENOENT = 2, EV_EIO = 3, EV_EAGAIN = 4, EV_ENOMEM = 5, EV_EFAULT = 6,
            EV_ENODEV = 7, EV_EINVAL = 8, EV_INTERNAL = 9, EV_CONFIG = 10, EV_INVALID_STATE = 11,
            EV_UNIMPLEMENTED = 12, EV_BUFFER_OVERFLOW = 13,
        },
        unknown: error(EV_UNIMPLEMENTED),
        revision: "ePAPR 1.1 / Linux 6.x",
        calls: {
            /// KVM_HC_FEATURES: r4 = bitmap of KVM features (bit KVM_FEATURE_MAGIC_PAGE = 1 on Book3S
            /// and e500v2).
            #[source = "hypercalls.rst 3. KVM_HC_FEATURES (PPC, active); powerpc.c kvmppc_kvm_pv"]
            #[stable]
            kvm_features = 0x2A_0003 () -> (status: range(0..=0), features: bits(1 << 1));
            /// KVM_HC_PPC_MAP_MAGIC_PAGE: map the shared "magic page" (supervisor register state)
            /// at the given guest-physical (r3) and effective (r4, low 12 bits = flags) addresses;
            /// r4 returns the KVM_MAGIC_FEAT_* bitmap. Changes how the guest's privileged
            /// instructions behave.
            #[source = "hypercalls.rst 4. KVM_HC_PPC_MAP_MAGIC_PAGE; ppc-pv.rst 'The magic page', 'Magic page features'"]
            #[disruptive]
            map_magic_page = 0x2A_0004 (pa: ptr(align = 4096), ea: any) -> (status: range(0..=0), features: any);
            /// EV_BYTE_CHANNEL_SEND: send up to 16 bytes (r5-r8, big-endian words) on a byte
            /// channel; r4 returns the count sent.
            #[source = "epapr_hcalls.h EV_BYTE_CHANNEL_SEND 1, ev_byte_channel_send"]
            #[optional]
            #[stateful]
            byte_channel_send = 0x1_0001 (handle: range(0..=u32::MAX), count: range(0..=16), data0: any, data1: any, data2: any, data3: any) -> (status: range(0..=0), sent: range(0..=16)) errors [EV_EINVAL, EV_EAGAIN, EV_EIO, EV_UNIMPLEMENTED];
            /// EV_BYTE_CHANNEL_RECEIVE: receive up to `count` (<= 16) bytes: r4 = count received,
            /// r5-r8 the data.
            #[source = "epapr_hcalls.h EV_BYTE_CHANNEL_RECEIVE 2, ev_byte_channel_receive"]
            #[optional]
            #[stateful]
            byte_channel_receive = 0x1_0002 (handle: range(0..=u32::MAX), count: range(0..=16)) -> (status: range(0..=0), received: range(0..=16), data0: any, data1: any, data2: any, data3: any) errors [EV_EINVAL, EV_EIO, EV_UNIMPLEMENTED];
            /// EV_BYTE_CHANNEL_POLL: r4 = bytes waiting to be received, r5 = free transmit space.
            #[source = "epapr_hcalls.h EV_BYTE_CHANNEL_POLL 3, ev_byte_channel_poll"]
            #[optional]
            byte_channel_poll = 0x1_0003 (handle: range(0..=u32::MAX)) -> (status: range(0..=0), rx_count: range(0..=u32::MAX), tx_count: range(0..=u32::MAX)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_INT_SET_CONFIG: configure an interrupt source (config, priority, destination CPU).
            #[source = "epapr_hcalls.h EV_INT_SET_CONFIG 4, ev_int_set_config"]
            #[optional]
            #[disruptive]
            int_set_config = 0x1_0004 (interrupt: range(0..=u32::MAX), config: range(0..=u32::MAX), priority: range(0..=u32::MAX), destination: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_INT_GET_CONFIG: r4 = config, r5 = priority, r6 = destination.
            #[source = "epapr_hcalls.h EV_INT_GET_CONFIG 5, ev_int_get_config"]
            #[optional]
            int_get_config = 0x1_0005 (interrupt: range(0..=u32::MAX)) -> (status: range(0..=0), config: range(0..=u32::MAX), priority: range(0..=u32::MAX), destination: range(0..=u32::MAX)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_INT_SET_MASK: 0 enables, 1 disables an interrupt source.
            #[source = "epapr_hcalls.h EV_INT_SET_MASK 6, ev_int_set_mask"]
            #[optional]
            #[disruptive]
            int_set_mask = 0x1_0006 (interrupt: range(0..=u32::MAX), mask: range(0..=1)) -> (status: range(0..=0)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_INT_GET_MASK: r4 = mask (0 enabled, 1 disabled).
            #[source = "epapr_hcalls.h EV_INT_GET_MASK 7, ev_int_get_mask"]
            #[optional]
            int_get_mask = 0x1_0007 (interrupt: range(0..=u32::MAX)) -> (status: range(0..=0), mask: range(0..=1)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_INT_IACK: acknowledge the next interrupt of a controller (handle 0: any); r4 = the
            /// vector. Acknowledging consumes a pending interrupt.
            #[source = "epapr_hcalls.h EV_INT_IACK 9, ev_int_iack"]
            #[optional]
            #[disruptive]
            int_iack = 0x1_0009 (handle: range(0..=u32::MAX)) -> (status: range(0..=0), vector: range(0..=u32::MAX)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_INT_EOI: end of processing of the interrupt in service.
            #[source = "epapr_hcalls.h EV_INT_EOI 10, ev_int_eoi"]
            #[optional]
            #[disruptive]
            int_eoi = 0x1_000A (interrupt: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_INT_SEND_IPI: send an inter-processor interrupt.
            #[source = "epapr_hcalls.h EV_INT_SEND_IPI 11"]
            #[optional]
            #[disruptive]
            int_send_ipi = 0x1_000B (ipi: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_INT_SET_TASK_PRIORITY: set the current task priority of the interrupt controller.
            #[source = "epapr_hcalls.h EV_INT_SET_TASK_PRIORITY 12"]
            #[optional]
            #[disruptive]
            int_set_task_priority = 0x1_000C (priority: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_INT_GET_TASK_PRIORITY: r4 = the current task priority.
            #[source = "epapr_hcalls.h EV_INT_GET_TASK_PRIORITY 13"]
            #[optional]
            int_get_task_priority = 0x1_000D () -> (status: range(0..=0), priority: range(0..=u32::MAX)) errors [EV_UNIMPLEMENTED];
            /// EV_DOORBELL_SEND: ring a doorbell of another partition.
            #[source = "epapr_hcalls.h EV_DOORBELL_SEND 14, ev_doorbell_send"]
            #[optional]
            #[disruptive]
            doorbell_send = 0x1_000E (handle: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_MSGSND: send a processor message (msgsnd on behalf of the guest).
            #[source = "epapr_hcalls.h EV_MSGSND 15"]
            #[optional]
            #[disruptive]
            msgsnd = 0x1_000F (message: any) -> (status: range(0..=0)) errors [EV_EINVAL, EV_UNIMPLEMENTED];
            /// EV_IDLE: wait for the next interrupt on this core (KVM blocks the vCPU); with
            /// interrupts off it may never return.
            #[source = "epapr_hcalls.h EV_IDLE 16, ev_idle; ppc-pv.rst ('the ePAPR idle hcall'); powerpc.c kvmppc_kvm_pv"]
            #[disruptive]
            idle = 0x1_0010 () -> (status: range(0..=0));
        },
    }
}

#[cfg(test)]
mod tests {
    use abi_spec::{Abi, Role, Trap, Unknown};

    use super::*;

    /// "No other registers will be clobbered": on every call of the family, every register but
    /// the result is preserved.
    #[test]
    fn x86_family_clobbers_nothing_but_the_result() {
        for abi in [
            &kvm_x86_64::ABI,
            &kvm_x86_64_vmmcall::ABI,
            &kvm_x86::ABI,
            &kvm_x86_vmmcall::ABI,
        ] {
            assert_eq!(abi.calls.len(), 7, "{}", abi.id);
            assert_eq!(abi.error("KVM_ENOSYS").unwrap().value, -1000);
            assert!(matches!(abi.unknown, Some(Unknown::Error(e)) if e.name == "KVM_ENOSYS"));
            for call in abi.calls {
                for reg in abi.arch.regs() {
                    let expected = if reg == abi.results[0] {
                        Role::Result
                    } else {
                        Role::Preserved
                    };
                    assert_eq!(
                        abi.role_after(call, reg),
                        expected,
                        "{} {} {reg}",
                        abi.id,
                        call.name
                    );
                }
            }
        }
        assert_eq!(kvm_x86_64::ABI.trap, Trap::Vmcall);
        assert_eq!(kvm_x86_64_vmmcall::ABI.trap, Trap::Vmmcall);
        assert_eq!(kvm_x86_vmmcall::ABI.trap, Trap::Vmmcall);
    }

    /// The 32-bit member binds eax/ebx/ecx/edx/esi and caps SEND_IPI at 64 destinations.
    #[test]
    fn x86_32_bit_member_uses_the_32_bit_registers() {
        let abi: &Abi = &kvm_x86::ABI;
        let names: Vec<_> = abi.args.iter().map(|r| r.name()).collect();
        assert_eq!(names, ["ebx", "ecx", "edx", "esi"]);
        assert_eq!(abi.numbers[0].reg.name(), "eax");
        let ipi = abi.call("send_ipi").unwrap();
        assert!(!ipi.results[0].domain.contains(65, 32));
        assert!(kvm_x86_64::ABI.call("send_ipi").unwrap().results[0]
            .domain
            .contains(128, 64));
    }

    #[test]
    fn s390_unknown_subcode_is_a_specification_exception() {
        let abi = &kvm_s390::ABI;
        assert_eq!(abi.unknown, Some(Unknown::Exception("specification")));
        assert_eq!(abi.trap, Trap::Diag(0x500));
        let call = abi.call("virtio_ccw_notify").unwrap();
        for reg in abi.arch.regs() {
            let role = abi.role_after(call, reg);
            match reg.name() {
                "r2" => assert_eq!(role, Role::Result),
                "cc" => assert_eq!(role, Role::MayClobber),
                _ => assert_eq!(role, Role::Preserved, "{reg}"),
            }
        }
    }

    /// Tokens are vendor << 16 | number: KVM's calls vendor 42, the ePAPR calls vendor 1; the
    /// non-volatile registers survive every call.
    #[test]
    fn epapr_tokens_and_volatile_set() {
        let abi = &kvm_ppc_epapr::ABI;
        for call in abi.calls {
            let vendor = call.primary_number() >> 16;
            let expected = if call.name.starts_with("kvm_") || call.name == "map_magic_page" {
                42
            } else {
                1
            };
            assert_eq!(vendor, expected, "{}", call.name);
            for name in ["r1", "r2", "r13", "r14", "r31", "lr", "ctr", "xer"] {
                let reg = abi.arch.reg(name).unwrap();
                assert_eq!(
                    abi.role_after(call, reg),
                    Role::Preserved,
                    "{} {name}",
                    call.name
                );
            }
            for name in ["r0", "r12"] {
                let reg = abi.arch.reg(name).unwrap();
                assert_eq!(
                    abi.role_after(call, reg),
                    Role::MayClobber,
                    "{} {name}",
                    call.name
                );
            }
        }
        assert!(matches!(abi.unknown, Some(Unknown::Error(e)) if e.value == 12));
    }
}
