//! KVM/arm64 vendor hypercalls: the "Vendor Specific Hypervisor Service" range (SMCCC owner 6)
//! with KVM's UID, issued with `hvc #0` under SMCCC 1.1.
//!
//! Sources: seed 003 and Linux `Documentation/virt/kvm/arm/hypercalls.rst` (per-call tables),
//! `Documentation/virt/kvm/arm/ptp_kvm.rst`, `include/linux/arm-smccc.h`
//! (`ARM_SMCCC_KVM_FUNC_*`, `ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_*`), `arch/arm64/kvm/hypercalls.c`
//! (`kvm_smccc_call_handler`: unknown IDs answer NOT_SUPPORTED, results via
//! `smccc_set_retval(x0..x3)`), `arch/arm64/kvm/hyp/nvhe/pkvm.c` (`kvm_handle_pvm_hvc64`: the
//! protected-guest calls), `drivers/firmware/smccc/kvm_guest.c` (guest discovery).
//!
//! Function-number history (owner 6, `ARM_SMCCC_KVM_FUNC_*`):
//! - 0 FEATURES and 1 PTP (Linux 5.13).
//! - 2 HYP_MEMINFO, 3 MEM_SHARE, 4 MEM_UNSHARE, 7 MMIO_GUARD: pKVM protected guests, merged with
//!   the pKVM guest support in Linux 6.12 ("arm64: smccc: Reserve block of KVM 'vendor'
//!   services for pKVM hypercalls": 2-63 are the pKVM range, 5-6 and 8-63 reserved).
//! - The 2021 MMIO-guard series (Marc Zyngier, "KVM: arm64: MMIO guard PV services", v1-v3,
//!   never merged) used MMIO_GUARD_INFO 0xC6000002, MMIO_GUARD_ENROLL 0xC6000003,
//!   MMIO_GUARD_MAP 0xC6000004 (with a MAIR index in x2) and MMIO_GUARD_UNMAP 0xC6000005 (its
//!   doc patch printed 0xC6000004 for UNMAP by mistake). Those numbers now mean HYP_MEMINFO,
//!   MEM_SHARE, MEM_UNSHARE and a reserved slot, so they cannot share this ABI; the merged
//!   MMIO_GUARD (7) takes only the IPA. Android common kernels carried their own numbering of
//!   these out-of-tree calls.
//! - 64 DISCOVER_IMPL_VER and 65 DISCOVER_IMPL_CPUS (Linux 6.15), answered by the VMM through
//!   `KVM_SMCCC_FILTER_FWD_TO_USER`.
//! - 127 FEATURES_2 is reserved for a second feature bitmap and implemented by nobody.

abi_macros::hypercall_abi! {
    /// KVM/arm64 vendor hypercalls from AArch64 guests: `hvc #0` per SMCCC 1.1, function ID in
    /// w0, arguments x1-x3, results x0-x3 (x1-x3 are written, zero when unused); x4-x30
    /// preserved. Discovery: Call UID (0x8600FF01) must return KVM's UID
    /// 28b46fb6-2ec5-11e9-a9ca-4b564d003a74, then FEATURES gives a bitmap of the function
    /// numbers 0-127 in r0-r3. Unknown IDs return NOT_SUPPORTED (-1).
    #[source = "seed 003: Linux Documentation/virt/kvm/arm/hypercalls.rst (SMCCC 1.1 HVC, vendor UID, per-call tables)"]
    #[source = "Linux include/linux/arm-smccc.h (ARM_SMCCC_VENDOR_HYP_*, ARM_SMCCC_KVM_FUNC_*, UID registers)"]
    #[source = "Linux arch/arm64/kvm/hypercalls.c kvm_smccc_call_handler; arch/arm64/kvm/hyp/nvhe/pkvm.c kvm_handle_pvm_hvc64"]
    pub abi kvm_arm64 ("kvm-arm64", "KVM/arm64 vendor hypercalls (SMCCC 1.1 HVC)") {
        arch: aarch64,
        trap: hvc(0),
        number: x0,
        args: [x1, x2, x3, x4, x5, x6],
        results: [x0, x1, x2, x3],
        registers: {
            x1: clobbered,
            x2: clobbered,
            x3: clobbered,
            others: preserved,
        },
        narrow: none,
        errors: { NOT_SUPPORTED = -1, INVALID_PARAMETER = -3 },
        unknown: error(NOT_SUPPORTED),
        revision: "Linux 6.15",
        calls: {
            /// Vendor-specific hypervisor service Call UID: KVM's UID
            /// 28b46fb6-2ec5-11e9-a9ca-4b564d003a74, four bytes per register, first byte in
            /// the low-order bits of r0.
            #[source = "hypercalls.rst (UID); arm-smccc.h ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_0..3"]
            #[smccc(fast, smc32, owner = 6)]
            #[narrow(bits: b32)]
            #[since = "Linux 5.10"]
            #[stable]
            call_uid = 0x8600_ff01 () -> (uid0: enum { UID0 = 0xb66f_b428 }, uid1: enum { UID1 = 0xe911_c52e }, uid2: enum { UID2 = 0x564b_caa9 }, uid3: enum { UID3 = 0x743a_004d });
            /// ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID: bitmap of the available function
            /// numbers 0-31 in r0 (bit 0, FEATURES itself, always set), 32-63 in r1, 64-95 in
            /// r2, 96-127 in r3.
            #[source = "hypercalls.rst ARM_SMCCC_VENDOR_HYP_KVM_FEATURES_FUNC_ID (HVC32, mandatory for the KVM UID)"]
            #[smccc(fast, smc32, owner = 6)]
            #[narrow(bits: b32)]
            #[since = "Linux 5.10"]
            #[stable]
            features = 0x8600_0000 () -> (bitmap0: bits(0xffff_ffff), bitmap1: bits(0xffff_ffff), bitmap2: bits(0xffff_ffff), bitmap3: bits(0xffff_ffff));
            /// ARM_SMCCC_VENDOR_HYP_KVM_PTP_FUNC_ID: host wall clock (upper 32 bits in r0, lower
            /// in r1) and the chosen counter (upper in r2, lower in r3) sampled together. The
            /// counter argument selects two register-returning queries; any other value leaves
            /// the handler's NOT_SUPPORTED in r0 (`kvm_ptp_get_time` returns before writing
            /// `val[]`, which `kvm_smccc_call_handler` initialises to SMCCC_RET_NOT_SUPPORTED).
            #[source = "Documentation/virt/kvm/arm/ptp_kvm.rst (HVC32, KVM_PTP_VIRT_COUNTER 0, KVM_PTP_PHYS_COUNTER 1); arch/arm64/kvm/hypercalls.c kvm_ptp_get_time (another counter returns before writing val[])"]
            #[smccc(fast, smc32, owner = 6)]
            #[narrow(bits: b32)]
            #[since = "Linux 5.13"]
            #[discoverable]
            #[unknown_subop(NOT_SUPPORTED)]
            ptp = 0x8600_0001 (counter: enum {
                /// The virtual counter (CNTVCT_EL0 as the guest sees it).
                #[query] KVM_PTP_VIRT_COUNTER = 0,
                /// The physical counter (CNTPCT_EL0 as the guest sees it).
                #[query] KVM_PTP_PHYS_COUNTER = 1,
            }) -> (wall_hi: any, wall_lo: any, counter_hi: any, counter_lo: any) errors [NOT_SUPPORTED];
            /// ARM_SMCCC_KVM_FUNC_HYP_MEMINFO: the memory protection granule in bytes. pKVM
            /// protected guests only; x1-x3 must be zero.
            #[source = "hypercalls.rst ARM_SMCCC_KVM_FUNC_HYP_MEMINFO (HVC64, 0xC6000002, R1-R3 reserved/MBZ)"]
            #[smccc(fast, smc64, owner = 6)]
            #[since = "Linux 6.12 (pKVM protected guests)"]
            #[discoverable]
            #[stable]
            hyp_meminfo = 0xc600_0002 (reserved1: mbz, reserved2: mbz, reserved3: mbz) -> (granule: range(1..=i64::MAX)) errors [INVALID_PARAMETER];
            /// ARM_SMCCC_KVM_FUNC_MEM_SHARE: share one granule at IPA `ipa` with the host
            /// (read, write, execute). pKVM protected guests only. Changes stage-2 ownership.
            #[source = "hypercalls.rst ARM_SMCCC_KVM_FUNC_MEM_SHARE (HVC64, 0xC6000003)"]
            #[smccc(fast, smc64, owner = 6)]
            #[since = "Linux 6.12 (pKVM protected guests)"]
            #[discoverable]
            #[disruptive]
            mem_share = 0xc600_0003 (ipa: ptr(align = 4096), reserved2: mbz, reserved3: mbz) -> (status: range(0..=0)) errors [INVALID_PARAMETER];
            /// ARM_SMCCC_KVM_FUNC_MEM_UNSHARE: revoke the host's access to a granule shared with
            /// MEM_SHARE. pKVM protected guests only.
            #[source = "hypercalls.rst ARM_SMCCC_KVM_FUNC_MEM_UNSHARE (HVC64, 0xC6000004)"]
            #[smccc(fast, smc64, owner = 6)]
            #[since = "Linux 6.12 (pKVM protected guests)"]
            #[discoverable]
            #[disruptive]
            mem_unshare = 0xc600_0004 (ipa: ptr(align = 4096), reserved2: mbz, reserved3: mbz) -> (status: range(0..=0)) errors [INVALID_PARAMETER];
            /// ARM_SMCCC_KVM_FUNC_MMIO_GUARD: have the granule at IPA `ipa` handled as emulated
            /// MMIO. pKVM protected guests only. The IPA is device space, not guest RAM, so it
            /// is not a pointer the planner may fill with a scratch buffer.
            #[source = "hypercalls.rst ARM_SMCCC_KVM_FUNC_MMIO_GUARD (HVC64, 0xC6000007)"]
            #[smccc(fast, smc64, owner = 6)]
            #[since = "Linux 6.12 (pKVM protected guests)"]
            #[discoverable]
            #[disruptive]
            mmio_guard = 0xc600_0007 (ipa: any, reserved2: mbz, reserved3: mbz) -> (status: range(0..=0)) errors [INVALID_PARAMETER];
            /// ARM_SMCCC_VENDOR_HYP_KVM_DISCOVER_IMPL_VER_FUNC_ID: version of the
            /// target-implementation interface (x1: bits 31:16 major, 15:0 minor, 63:32 zero)
            /// and the number of target implementations (x2); x3 is zero. Served by the VMM.
            #[source = "hypercalls.rst ARM_SMCCC_VENDOR_HYP_KVM_DISCOVER_IMPL_VER_FUNC_ID (HVC64, 0xC6000040)"]
            #[smccc(fast, smc64, owner = 6)]
            #[since = "Linux 6.15"]
            #[discoverable]
            #[stable]
            discover_impl_ver = 0xc600_0040 () -> (status: range(0..=0), version: bits(0xffff_ffff), count: any, reserved: mbz) errors [NOT_SUPPORTED];
            /// ARM_SMCCC_VENDOR_HYP_KVM_DISCOVER_IMPL_CPUS_FUNC_ID: MIDR_EL1 (x1), REVIDR_EL1
            /// (x2) and AIDR_EL1 (x3) of target implementation `index`. Served by the VMM.
            #[source = "hypercalls.rst ARM_SMCCC_VENDOR_HYP_KVM_DISCOVER_IMPL_CPUS_FUNC_ID (HVC64, 0xC6000041, R2-R3 MBZ)"]
            #[smccc(fast, smc64, owner = 6)]
            #[since = "Linux 6.15"]
            #[discoverable]
            #[stable]
            discover_impl_cpus = 0xc600_0041 (index: any, reserved2: mbz, reserved3: mbz) -> (status: range(0..=0), midr: any, revidr: any, aidr: any) errors [INVALID_PARAMETER];
        },
    }
}
