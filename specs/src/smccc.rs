//! Arm SMC Calling Convention (SMCCC) services: the Arm architecture calls and PSCI, per SMCCC
//! revision, per conduit (HVC, SMC) and per execution state (AArch64, AArch32), and Xen's SMCCC
//! path on arm64.
//!
//! Sources: Arm DEN0028 (SMCCC; register tables per revision, chapter 7 "Arm Architecture
//! Calls"), Arm DEN0022 (PSCI 1.3, issue F.b, chapter 5 "PSCI functions"), Linux
//! `include/linux/arm-smccc.h` (function IDs, `SMCCC_RET_*`) and `include/uapi/linux/psci.h`
//! (`PSCI_0_2_FN*`, `PSCI_RET_*`), Xen `xen/arch/arm/vsmc.c`, `xen/arch/arm/vpsci.c`,
//! `xen/include/public/arch-arm/smccc.h`.
//!
//! One list, many ABIs: `smccc_arm64` (SMCCC 1.1 over HVC, AArch64) declares every architecture
//! call and the whole PSCI 1.3 list once; the others derive from it:
//!
//! | id | what | register rules |
//! |---|---|---|
//! | `smccc11-arm64` | arch calls + PSCI, `hvc #0` | x1-x3 clobbered unless results, x4-x30 preserved |
//! | `smccc11-arm64-smc` | same over `smc #0` | same |
//! | `smccc12-arm64` | + `SMCCC_ARCH_SOC_ID` name (x1-x17) | args x1-x17, results x0-x17, unused x4-x17 preserved |
//! | `psci-arm64` | PSCI only, `hvc #0`, SMCCC 1.0 | x1-x3 clobbered unless results, x4-x17 clobbered |
//! | `psci-arm64-smc` | same over `smc #0` | same |
//! | `smccc11-arm` | arch calls + PSCI, AArch32 `hvc #0`, SMC32 only | r1-r3 clobbered unless results |
//! | `psci-arm` | PSCI only, AArch32 `hvc #0` | same (AArch32 rules did not change in 1.1) |
//! | `xen-arm64-smccc` | what Xen 4.17 offers at `hvc #0` | SMCCC 1.1 |
//! | `xen-arm32-smccc` | the same from AArch32 (SMC32 IDs only) | r1-r3 clobbered unless results |
//! | `xen-arm64-smccc-smc`, `xen-arm32-smccc-smc` | the same two over `smc #0` (trapped by Xen) | same |
//!
//! Every SMC32 call carries `narrow(bits: b32)`: from AArch64 only W0-W7 carry the call, the
//! callee ignores the upper halves of the arguments and the caller may not rely on the upper
//! halves of the results (DEN0028 "SMC32/HVC32 argument passing"; KVM narrows PSCI arguments in
//! `kvm_psci_narrow_to_32bit`, QEMU sign-extends its 32-bit results).
//!
//! The SMCCC 1.3 SVE hint (function-ID bit 16, `ARM_SMCCC_1_3_SVE_HINT`) is never set in the
//! numbers below: it is a per-invocation hint, not part of a function's identity
//! (`abi_spec::SmcccId::SVE_HINT`).

abi_macros::hypercall_abi! {
    /// Arm SMCCC 1.1 over HVC from AArch64: function ID in w0, arguments in x1-x6, results in
    /// x0-x3. SMCCC 1.1 made the callee preserve x4-x17 ("the caller only needs to save
    /// x0-x3"); x1-x3 are result registers and hold no promise when a function returns fewer
    /// results (Linux's `arm_smccc_1_1_hvc` treats x0-x3 as outputs, KVM zeroes them).
    /// x18-x30, sp and the flags are preserved. An unknown function ID returns NOT_SUPPORTED
    /// (-1).
    ///
    /// Carries the Arm architecture calls (owner 0) and PSCI 1.3 (owner 4, standard secure
    /// service). This is the conduit a guest at EL1 uses under KVM, Xen (`hvc #0`) and QEMU's
    /// built-in PSCI (`-M virt` without `virtualization=on`).
    #[source = "Arm DEN0028 (SMCCC), 'Register use in AArch64 SMC and HVC calls' (v1.1: x4-x17 preserved)"]
    #[source = "Arm DEN0028, chapter 7 'Arm Architecture Calls' (SMCCC_VERSION, SMCCC_ARCH_*)"]
    #[source = "Arm DEN0022 PSCI 1.3 (issue F.b), chapter 5 'PSCI functions' and 5.2 'Return error codes'"]
    #[source = "Linux include/linux/arm-smccc.h (ARM_SMCCC_* IDs, SMCCC_RET_*), include/uapi/linux/psci.h (PSCI_0_2_FN*, PSCI_RET_*)"]
    pub abi smccc_arm64 ("smccc11-arm64", "Arm SMCCC 1.1 over HVC, arm64: architecture calls and PSCI 1.3") {
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
        errors: {
            NOT_SUPPORTED = -1,
            INVALID_PARAMETERS = -2,
            DENIED = -3,
            ALREADY_ON = -4,
            ON_PENDING = -5,
            INTERNAL_FAILURE = -6,
            NOT_PRESENT = -7,
            DISABLED = -8,
            INVALID_ADDRESS = -9,
            SMCCC_NOT_REQUIRED = -2,
            SMCCC_INVALID_PARAMETER = -3,
            SMCCC_RATE_LIMITED = -4,
            SMCCC_BUSY = -5,
        },
        unknown: error(NOT_SUPPORTED),
        revision: "SMCCC 1.1, PSCI 1.3",
        calls: {
            // ---- Arm architecture calls (owner 0), DEN0028 chapter 7 ----

            /// SMCCC_VERSION: major in bits 30:16, minor in 15:0; 1.1 = 0x10001. A firmware
            /// that answers NOT_SUPPORTED implements SMCCC 1.0 only (then `psci-arm64` applies).
            #[source = "DEN0028 7.2 SMCCC_VERSION; arm-smccc.h ARM_SMCCC_VERSION_FUNC_ID"]
            #[smccc(fast, smc32, owner = 0)]
            #[narrow(bits: b32)]
            #[since = "SMCCC 1.1"]
            #[stable]
            smccc_version = 0x8000_0000 () -> (version: range(0x10001..=0x7fff_ffff));
            /// SMCCC_ARCH_FEATURES: whether an architecture call (by function ID) is
            /// implemented; >= 0 (function-specific, e.g. 1 = "unaffected" for WORKAROUND_3),
            /// NOT_SUPPORTED, or NOT_REQUIRED (WORKAROUND_1/2 on unaffected CPUs).
            #[source = "DEN0028 7.3 SMCCC_ARCH_FEATURES; arm-smccc.h ARM_SMCCC_ARCH_FEATURES_FUNC_ID"]
            #[smccc(fast, smc32, owner = 0)]
            #[narrow(bits: b32)]
            #[since = "SMCCC 1.1"]
            #[stable]
            arch_features = 0x8000_0001 (function_id: range(0..=u32::MAX)) -> (status: range(0..=0x7fff_ffff)) errors [NOT_SUPPORTED, SMCCC_NOT_REQUIRED];
            /// SMCCC_ARCH_SOC_ID: type 0 returns the SoC version (JEP106 bank/identity,
            /// implementation-defined ID), type 1 the SoC revision; bit 31 is zero.
            #[source = "DEN0028 7.4 SMCCC_ARCH_SOC_ID; arm-smccc.h ARM_SMCCC_ARCH_SOC_ID"]
            #[smccc(fast, smc32, owner = 0)]
            #[narrow(bits: b32)]
            #[since = "SMCCC 1.2"]
            #[discoverable]
            #[stable]
            arch_soc_id = 0x8000_0002 (soc_id_type: enum { SOC_ID_VERSION = 0, SOC_ID_REVISION = 1 }) -> (value: range(0..=0x7fff_ffff)) errors [NOT_SUPPORTED, SMCCC_INVALID_PARAMETER];
            /// SMCCC_ARCH_WORKAROUND_1 (CVE-2017-5715 branch-predictor invalidation). The call
            /// defines no return value: x0 is unspecified afterwards.
            #[source = "DEN0028 7.5 (formerly DEN0070A); arm-smccc.h ARM_SMCCC_ARCH_WORKAROUND_1"]
            #[smccc(fast, smc32, owner = 0)]
            #[narrow(bits: b32)]
            #[since = "SMCCC 1.1"]
            #[discoverable]
            arch_workaround_1 = 0x8000_8000 () -> (unspecified: any);
            /// SMCCC_ARCH_WORKAROUND_2 (CVE-2018-3639): w1 != 0 enables the SSBD mitigation
            /// for the calling CPU, 0 disables it. No return value.
            #[source = "DEN0028 7.6 (formerly DEN0070A); arm-smccc.h ARM_SMCCC_ARCH_WORKAROUND_2"]
            #[smccc(fast, smc32, owner = 0)]
            #[narrow(bits: b32)]
            #[since = "SMCCC 1.1"]
            #[discoverable]
            #[stateful]
            arch_workaround_2 = 0x8000_7fff (enable: range(0..=u32::MAX)) -> (unspecified: any);
            /// SMCCC_ARCH_WORKAROUND_3 (Spectre-BHB, CVE-2022-23960; also covers
            /// WORKAROUND_1). No return value.
            #[source = "DEN0028 7.7 SMCCC_ARCH_WORKAROUND_3; Xen asm/smccc.h ARM_SMCCC_ARCH_WORKAROUND_3_FID"]
            #[smccc(fast, smc32, owner = 0)]
            #[narrow(bits: b32)]
            #[since = "SMCCC 1.4"]
            #[discoverable]
            arch_workaround_3 = 0x8000_3fff () -> (unspecified: any);
            /// SMCCC_ARCH_FEATURE_AVAILABILITY: a bitmap (x1) of the architectural features
            /// that EL3 has enabled in the control register selected by x1. SMC64 only.
            #[source = "DEN0028 7.8 SMCCC_ARCH_FEATURE_AVAILABILITY (function 3, SMC64); TF-A Tests arm_arch_svc.h"]
            #[smccc(fast, smc64, owner = 0)]
            #[since = "SMCCC 1.5"]
            #[discoverable]
            #[stable]
            arch_feature_availability = 0xc000_0003 (register: any) -> (status: range(0..=0), bitmap: any) errors [NOT_SUPPORTED, SMCCC_INVALID_PARAMETER];
            /// SMCCC_ARCH_WORKAROUND_4 (CVE-2024-7881): a discovery-only ID, reported through
            /// SMCCC_ARCH_FEATURES when firmware mitigates; the call itself does no work.
            #[source = "DEN0028 7.9 SMCCC_ARCH_WORKAROUND_4 (function 4); TF-A Tests arm_arch_svc.h"]
            #[smccc(fast, smc32, owner = 0)]
            #[narrow(bits: b32)]
            #[since = "SMCCC 1.6"]
            #[discoverable]
            arch_workaround_4 = 0x8000_0004 () -> (unspecified: any) errors [NOT_SUPPORTED];
            /// SMCCC_ARCH_CLEAN_INV_MEMREGION: clean and invalidate every cache level for the
            /// physical range [x1, x1 + x2) (x3 bit 0 = dry run). Moved here from the PSCI 1.3
            /// alpha. Unbounded work on a random range, so disruptive.
            #[source = "DEN0028 7.10 SMCCC_ARCH_CLEAN_INV_MEMREGION (function 5, SMC64); Linux smccc cache driver (addr, size, flags)"]
            #[smccc(fast, smc64, owner = 0)]
            #[since = "SMCCC 1.7"]
            #[discoverable]
            #[disruptive]
            arch_clean_inv_memregion = 0xc000_0005 (base: any, size: any, flags: bits(0x1)) -> (status: range(0..=0)) errors [NOT_SUPPORTED, SMCCC_INVALID_PARAMETER, SMCCC_RATE_LIMITED, SMCCC_BUSY];

            // ---- PSCI 1.3 (owner 4), DEN0022 chapter 5 ----

            /// PSCI_VERSION: major in bits 30:16, minor in 15:0 (1.3 = 0x10003).
            #[source = "DEN0022 5.1.1 PSCI_VERSION; psci.h PSCI_0_2_FN_PSCI_VERSION"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            #[stable]
            psci_version = 0x8400_0000 () -> (version: range(0x2..=0x7fff_ffff));
            /// CPU_SUSPEND (SMC32): suspend the calling core to `power_state`; on wake-up from a
            /// powerdown state execution resumes at `entry_point` with `context_id` in x0.
            #[source = "DEN0022 5.1.2 CPU_SUSPEND; psci.h PSCI_0_2_FN_CPU_SUSPEND"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            #[disruptive]
            cpu_suspend = 0x8400_0001 (power_state: range(0..=u32::MAX), entry_point: any, context_id: any) -> (status: range(0..=0)) errors [INVALID_PARAMETERS, INVALID_ADDRESS, DENIED];
            /// CPU_SUSPEND (SMC64).
            #[source = "DEN0022 5.1.2 CPU_SUSPEND; psci.h PSCI_0_2_FN64_CPU_SUSPEND"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 0.2"]
            #[disruptive]
            cpu_suspend64 = 0xc400_0001 (power_state: range(0..=u32::MAX), entry_point: any, context_id: any) -> (status: range(0..=0)) errors [INVALID_PARAMETERS, INVALID_ADDRESS, DENIED];
            /// CPU_OFF: power down the calling core; returns only on failure (DENIED).
            #[source = "DEN0022 5.1.3 CPU_OFF; psci.h PSCI_0_2_FN_CPU_OFF"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            #[disruptive]
            cpu_off = 0x8400_0002 () -> (status: range(0..=0)) errors [DENIED];
            /// CPU_ON (SMC32): start core `target_cpu` (MPIDR affinity fields) at `entry_point`
            /// with `context_id` in r0.
            #[source = "DEN0022 5.1.4 CPU_ON; psci.h PSCI_0_2_FN_CPU_ON"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            #[disruptive]
            cpu_on = 0x8400_0003 (target_cpu: range(0..=u32::MAX), entry_point: any, context_id: any) -> (status: range(0..=0)) errors [INVALID_PARAMETERS, INVALID_ADDRESS, ALREADY_ON, ON_PENDING, INTERNAL_FAILURE, DENIED];
            /// CPU_ON (SMC64).
            #[source = "DEN0022 5.1.4 CPU_ON; psci.h PSCI_0_2_FN64_CPU_ON"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 0.2"]
            #[disruptive]
            cpu_on64 = 0xc400_0003 (target_cpu: any, entry_point: any, context_id: any) -> (status: range(0..=0)) errors [INVALID_PARAMETERS, INVALID_ADDRESS, ALREADY_ON, ON_PENDING, INTERNAL_FAILURE, DENIED];
            /// AFFINITY_INFO (SMC32): ON 0, OFF 1, ON_PENDING 2 for the affinity instance
            /// `target_affinity` at `lowest_affinity_level`; levels above 0 may be refused.
            #[source = "DEN0022 5.1.5 AFFINITY_INFO; psci.h PSCI_0_2_FN_AFFINITY_INFO, PSCI_0_2_AFFINITY_LEVEL_*"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            affinity_info = 0x8400_0004 (target_affinity: range(0..=u32::MAX), lowest_affinity_level: range(0..=3)) -> (state: enum { ON = 0, OFF = 1, ON_PENDING = 2 }) errors [INVALID_PARAMETERS, DISABLED];
            /// AFFINITY_INFO (SMC64; Aff3 in bits 39:32).
            #[source = "DEN0022 5.1.5 AFFINITY_INFO; psci.h PSCI_0_2_FN64_AFFINITY_INFO"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 0.2"]
            affinity_info64 = 0xc400_0004 (target_affinity: any, lowest_affinity_level: range(0..=3)) -> (state: enum { ON = 0, OFF = 1, ON_PENDING = 2 }) errors [INVALID_PARAMETERS, DISABLED];
            /// MIGRATE (SMC32): move a uniprocessor Trusted OS to `target_cpu`.
            #[source = "DEN0022 5.1.6 MIGRATE; psci.h PSCI_0_2_FN_MIGRATE"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            #[discoverable]
            #[disruptive]
            migrate = 0x8400_0005 (target_cpu: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_PARAMETERS, DENIED, INTERNAL_FAILURE, NOT_PRESENT];
            /// MIGRATE (SMC64).
            #[source = "DEN0022 5.1.6 MIGRATE; psci.h PSCI_0_2_FN64_MIGRATE"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 0.2"]
            #[discoverable]
            #[disruptive]
            migrate64 = 0xc400_0005 (target_cpu: any) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_PARAMETERS, DENIED, INTERNAL_FAILURE, NOT_PRESENT];
            /// MIGRATE_INFO_TYPE: 0 uniprocessor Trusted OS that can migrate, 1 uniprocessor
            /// that cannot, 2 multiprocessor or no Trusted OS.
            #[source = "DEN0022 5.1.7 MIGRATE_INFO_TYPE; psci.h PSCI_0_2_TOS_*"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            #[discoverable]
            #[stable]
            migrate_info_type = 0x8400_0006 () -> (tos: enum { TOS_UP_MIGRATE = 0, TOS_UP_NO_MIGRATE = 1, TOS_MP = 2 }) errors [NOT_SUPPORTED];
            /// MIGRATE_INFO_UP_CPU (SMC32): MPIDR of the core a uniprocessor Trusted OS is
            /// resident on (undefined when MIGRATE_INFO_TYPE is 2).
            #[source = "DEN0022 5.1.8 MIGRATE_INFO_UP_CPU; psci.h PSCI_0_2_FN_MIGRATE_INFO_UP_CPU"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            #[discoverable]
            migrate_info_up_cpu = 0x8400_0007 () -> (mpidr: any) errors [NOT_SUPPORTED];
            /// MIGRATE_INFO_UP_CPU (SMC64).
            #[source = "DEN0022 5.1.8 MIGRATE_INFO_UP_CPU; psci.h PSCI_0_2_FN64_MIGRATE_INFO_UP_CPU"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 0.2"]
            #[discoverable]
            migrate_info_up_cpu64 = 0xc400_0007 () -> (mpidr: any) errors [NOT_SUPPORTED];
            /// SYSTEM_OFF: power the system off; never returns.
            #[source = "DEN0022 5.1.9 SYSTEM_OFF; psci.h PSCI_0_2_FN_SYSTEM_OFF"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            #[noreturn]
            system_off = 0x8400_0008 ();
            /// SYSTEM_RESET: cold-reset the system; never returns.
            #[source = "DEN0022 5.1.10 SYSTEM_RESET; psci.h PSCI_0_2_FN_SYSTEM_RESET"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 0.2"]
            #[noreturn]
            system_reset = 0x8400_0009 ();
            /// PSCI_FEATURES: NOT_SUPPORTED, or the feature flags (bit 31 clear) of a PSCI or
            /// SMCCC function ID (CPU_SUSPEND: bit 1 extended StateID, bit 0 OS-initiated mode;
            /// SYSTEM_OFF2: bitmap of supported off types).
            #[source = "DEN0022 5.1.11 PSCI_FEATURES; psci.h PSCI_1_0_FN_PSCI_FEATURES"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.0"]
            #[stable]
            psci_features = 0x8400_000a (function_id: range(0..=u32::MAX)) -> (flags: range(0..=0x7fff_ffff)) errors [NOT_SUPPORTED];
            /// CPU_FREEZE: place the calling core in an implementation-defined low-power state
            /// that only a CPU_ON-style wake-up leaves.
            #[source = "DEN0022 5.1.12 CPU_FREEZE"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            #[disruptive]
            cpu_freeze = 0x8400_000b () -> (status: range(0..=0)) errors [NOT_SUPPORTED, DENIED];
            /// CPU_DEFAULT_SUSPEND (SMC32): suspend to the implementation's default state.
            #[source = "DEN0022 5.1.13 CPU_DEFAULT_SUSPEND"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            #[disruptive]
            cpu_default_suspend = 0x8400_000c (entry_point: any, context_id: any) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_ADDRESS];
            /// CPU_DEFAULT_SUSPEND (SMC64).
            #[source = "DEN0022 5.1.13 CPU_DEFAULT_SUSPEND; psci.h PSCI_1_0_FN64_CPU_DEFAULT_SUSPEND"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            #[disruptive]
            cpu_default_suspend64 = 0xc400_000c (entry_point: any, context_id: any) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_ADDRESS];
            /// NODE_HW_STATE (SMC32): HW_ON 0, HW_OFF 1, HW_STANDBY 2 for a node at `power_level`.
            #[source = "DEN0022 5.1.14 NODE_HW_STATE"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            node_hw_state = 0x8400_000d (target_cpu: range(0..=u32::MAX), power_level: range(0..=u32::MAX)) -> (state: enum { HW_ON = 0, HW_OFF = 1, HW_STANDBY = 2 }) errors [NOT_SUPPORTED, INVALID_PARAMETERS];
            /// NODE_HW_STATE (SMC64).
            #[source = "DEN0022 5.1.14 NODE_HW_STATE; psci.h PSCI_1_0_FN64_NODE_HW_STATE"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            node_hw_state64 = 0xc400_000d (target_cpu: any, power_level: range(0..=u32::MAX)) -> (state: enum { HW_ON = 0, HW_OFF = 1, HW_STANDBY = 2 }) errors [NOT_SUPPORTED, INVALID_PARAMETERS];
            /// SYSTEM_SUSPEND (SMC32): suspend to RAM; resumes at `entry_point`.
            #[source = "DEN0022 5.1.15 SYSTEM_SUSPEND; psci.h PSCI_1_0_FN_SYSTEM_SUSPEND"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            #[disruptive]
            system_suspend = 0x8400_000e (entry_point: any, context_id: any) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_ADDRESS, ALREADY_ON, DENIED];
            /// SYSTEM_SUSPEND (SMC64).
            #[source = "DEN0022 5.1.15 SYSTEM_SUSPEND; psci.h PSCI_1_0_FN64_SYSTEM_SUSPEND"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            #[disruptive]
            system_suspend64 = 0xc400_000e (entry_point: any, context_id: any) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_ADDRESS, ALREADY_ON, DENIED];
            /// PSCI_SET_SUSPEND_MODE: 0 platform-coordinated, 1 OS-initiated.
            #[source = "DEN0022 5.1.16 PSCI_SET_SUSPEND_MODE"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            #[stateful]
            psci_set_suspend_mode = 0x8400_000f (mode: enum { PLATFORM_COORDINATED = 0, OS_INITIATED = 1 }) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_PARAMETERS, DENIED];
            /// PSCI_STAT_RESIDENCY (SMC32): microseconds `target_cpu` spent in `power_state`.
            #[source = "DEN0022 5.1.17 PSCI_STAT_RESIDENCY"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            psci_stat_residency = 0x8400_0010 (target_cpu: range(0..=u32::MAX), power_state: range(0..=u32::MAX)) -> (residency: any) errors [NOT_SUPPORTED];
            /// PSCI_STAT_RESIDENCY (SMC64).
            #[source = "DEN0022 5.1.17 PSCI_STAT_RESIDENCY"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            psci_stat_residency64 = 0xc400_0010 (target_cpu: any, power_state: range(0..=u32::MAX)) -> (residency: any) errors [NOT_SUPPORTED];
            /// PSCI_STAT_COUNT (SMC32): how often `target_cpu` entered `power_state`.
            #[source = "DEN0022 5.1.18 PSCI_STAT_COUNT"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            psci_stat_count = 0x8400_0011 (target_cpu: range(0..=u32::MAX), power_state: range(0..=u32::MAX)) -> (count: any) errors [NOT_SUPPORTED];
            /// PSCI_STAT_COUNT (SMC64).
            #[source = "DEN0022 5.1.18 PSCI_STAT_COUNT"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 1.0"]
            #[discoverable]
            psci_stat_count64 = 0xc400_0011 (target_cpu: any, power_state: range(0..=u32::MAX)) -> (count: any) errors [NOT_SUPPORTED];
            /// SYSTEM_RESET2 (SMC32): reset of `reset_type` (0 = warm reset, bit 31 =
            /// vendor-specific); returns only on failure.
            #[source = "DEN0022 5.1.19 SYSTEM_RESET2; psci.h PSCI_1_1_FN_SYSTEM_RESET2, PSCI_1_1_RESET_TYPE_*"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.1"]
            #[discoverable]
            #[disruptive]
            system_reset2 = 0x8400_0012 (reset_type: range(0..=u32::MAX), cookie: any) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_PARAMETERS];
            /// SYSTEM_RESET2 (SMC64).
            #[source = "DEN0022 5.1.19 SYSTEM_RESET2; psci.h PSCI_1_1_FN64_SYSTEM_RESET2"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 1.1"]
            #[discoverable]
            #[disruptive]
            system_reset2_64 = 0xc400_0012 (reset_type: range(0..=u32::MAX), cookie: any) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_PARAMETERS];
            /// MEM_PROTECT: enable (1) or disable (0) memory protection across resets; returns
            /// the previous setting.
            #[source = "DEN0022 5.1.20 MEM_PROTECT; psci.h PSCI_1_1_FN_MEM_PROTECT"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.1"]
            #[discoverable]
            #[stateful]
            mem_protect = 0x8400_0013 (enable: enum { DISABLE = 0, ENABLE = 1 }) -> (previous: range(0..=1)) errors [NOT_SUPPORTED];
            /// MEM_PROTECT_CHECK_RANGE (SMC32): SUCCESS if [base, base + length) is protected.
            #[source = "DEN0022 5.1.21 MEM_PROTECT_CHECK_RANGE; psci.h PSCI_1_1_FN_MEM_PROTECT_CHECK_RANGE"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.1"]
            #[discoverable]
            mem_protect_check_range = 0x8400_0014 (base: range(0..=u32::MAX), length: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [NOT_SUPPORTED, DENIED];
            /// MEM_PROTECT_CHECK_RANGE (SMC64).
            #[source = "DEN0022 5.1.21 MEM_PROTECT_CHECK_RANGE; psci.h PSCI_1_1_FN64_MEM_PROTECT_CHECK_RANGE"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 1.1"]
            #[discoverable]
            mem_protect_check_range64 = 0xc400_0014 (base: any, length: any) -> (status: range(0..=0)) errors [NOT_SUPPORTED, DENIED];
            /// SYSTEM_OFF2 (SMC32): power off into `off_type` (HIBERNATE_OFF = 0x1 in issue F.b,
            /// which also requires 0 to be accepted; bit 31 = vendor types); `cookie` must be
            /// zero. Returns only on failure.
            #[source = "DEN0022 F.b 5.1.22 SYSTEM_OFF2; psci.h PSCI_1_3_FN_SYSTEM_OFF2, PSCI_1_3_OFF_TYPE_HIBERNATE_OFF"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[since = "PSCI 1.3"]
            #[discoverable]
            #[disruptive]
            system_off2 = 0x8400_0015 (off_type: range(0..=u32::MAX), cookie: mbz) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_PARAMETERS];
            /// SYSTEM_OFF2 (SMC64).
            #[source = "DEN0022 F.b 5.1.22 SYSTEM_OFF2; psci.h PSCI_1_3_FN64_SYSTEM_OFF2"]
            #[smccc(fast, smc64, owner = 4)]
            #[since = "PSCI 1.3"]
            #[discoverable]
            #[disruptive]
            system_off2_64 = 0xc400_0015 (off_type: range(0..=u32::MAX), cookie: mbz) -> (status: range(0..=0)) errors [NOT_SUPPORTED, INVALID_PARAMETERS];
        },
    }

    /// The same as `smccc11-arm64` through the SMC conduit (`smc #0`): what firmware at EL3
    /// offers an EL2 (or EL1 without a hypervisor) caller, e.g. QEMU `-M virt,virtualization=on`.
    #[source = "Arm DEN0028, 'SMC and HVC conduits' (both use immediate 0)"]
    pub abi smccc_arm64_smc ("smccc11-arm64-smc", "Arm SMCCC 1.1 over SMC, arm64: architecture calls and PSCI 1.3") : smccc_arm64 {
        trap: smc(0),
    }

    /// SMCCC 1.2 and later over HVC from AArch64: arguments in x1-x17 and results in x0-x17
    /// for SMC64 (W1-W7 / W0-W7 for SMC32). Result registers a function does not use must be
    /// preserved from x4 up (TF-A "preserve X4 when not used as return ... as per SMCCCv1.2");
    /// x1-x3 keep their SMCCC 1.1 standing as result registers that hold no promise.
    /// SMCCC_VERSION must report at least 1.2, and SMCCC_ARCH_SOC_ID gains the SMC64 form with
    /// the SoC name in x1-x17.
    #[source = "Arm DEN0028 (v1.2+), 'Register use in AArch64 SMC and HVC calls' (X0-X17)"]
    #[source = "Linux include/linux/arm-smccc.h (struct arm_smccc_1_2_regs a0..a17, arm_smccc_1_2_hvc)"]
    pub abi smccc_1_2_arm64 ("smccc12-arm64", "Arm SMCCC 1.2 over HVC, arm64: architecture calls and PSCI 1.3") : smccc_arm64 {
        args: [x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17],
        results: [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17],
        revision: "SMCCC 1.2, PSCI 1.3",
        calls: {
            /// SMCCC_VERSION: at least 1.2 (0x10002).
            #[source = "DEN0028 7.2 SMCCC_VERSION; arm-smccc.h ARM_SMCCC_VERSION_1_2"]
            #[smccc(fast, smc32, owner = 0)]
            #[narrow(bits: b32)]
            #[since = "SMCCC 1.1"]
            #[stable]
            smccc_version = 0x8000_0000 () -> (version: range(0x10002..=0x7fff_ffff));
            /// SMCCC_ARCH_SOC_ID, SMC64 form: type 2 returns the SoC name, a NUL-terminated
            /// UTF-8 string of at most 136 bytes packed little-endian into x1-x17.
            #[source = "DEN0028 7.4 SMCCC_ARCH_SOC_ID (SoC name, SMC64 0xC0000002)"]
            #[smccc(fast, smc64, owner = 0)]
            #[since = "SMCCC 1.6"]
            #[discoverable]
            #[stable]
            arch_soc_id64 = 0xc000_0002 (soc_id_type: enum { SOC_ID_NAME = 2 }) -> (
                status: range(0..=0),
                name0: any, name1: any, name2: any, name3: any, name4: any, name5: any,
                name6: any, name7: any, name8: any, name9: any, name10: any, name11: any,
                name12: any, name13: any, name14: any, name15: any, name16: any,
            ) errors [NOT_SUPPORTED, SMCCC_INVALID_PARAMETER];
        },
    }

    /// PSCI 1.3 over HVC from AArch64 under the SMCCC 1.0 register rules, the guarantee every
    /// PSCI firmware gives whether or not it implements SMCCC_VERSION: x0-x3 results, x4-x17
    /// "unpredictable" on return, x18-x30 and sp preserved. This is what QEMU's built-in PSCI
    /// (`-M virt` at EL1, PSCI 1.1, SMCCC_VERSION NOT_SUPPORTED) claims to be.
    #[source = "Arm DEN0028 v1.0 (issue B), 'Register use in AArch64 SMC calls' (X4-X17 unpredictable)"]
    #[source = "Arm DEN0022 PSCI 1.3 5.2.1 'Register usage' (PSCI follows SMCCC)"]
    pub abi psci_arm64 ("psci-arm64", "PSCI 1.3 over HVC, arm64 (SMCCC 1.0 register rules)") : smccc_arm64 {
        registers: {
            x1: clobbered, x2: clobbered, x3: clobbered,
            x4: clobbered, x5: clobbered, x6: clobbered, x7: clobbered,
            x8: clobbered, x9: clobbered, x10: clobbered, x11: clobbered,
            x12: clobbered, x13: clobbered, x14: clobbered, x15: clobbered,
            x16: clobbered, x17: clobbered,
            others: preserved,
        },
        revision: "SMCCC 1.0, PSCI 1.3",
        without: [
            smccc_version, arch_features, arch_soc_id, arch_workaround_1, arch_workaround_2,
            arch_workaround_3, arch_feature_availability, arch_workaround_4,
            arch_clean_inv_memregion,
        ],
    }

    /// `psci-arm64` through the SMC conduit (`smc #0`).
    #[source = "Arm DEN0028, 'SMC and HVC conduits'"]
    pub abi psci_arm64_smc ("psci-arm64-smc", "PSCI 1.3 over SMC, arm64 (SMCCC 1.0 register rules)") : psci_arm64 {
        trap: smc(0),
    }

    /// SMCCC 1.1 over HVC from AArch32 (`hvc #0`, r0 = function ID, r1-r6 arguments, r0-r3
    /// results, r4-r14 preserved; the AArch32 rules are the same in SMCCC 1.0 and 1.1). Only
    /// SMC32 functions exist here: an SMC64 ID (bit 30) from AArch32 answers NOT_SUPPORTED
    /// (QEMU, Xen `vsmccc_handle_call`).
    #[source = "Arm DEN0028, 'Register use in AArch32 SMC and HVC calls'"]
    #[source = "Xen xen/arch/arm/include/asm/smccc.h ('The calling convention for arm32 is the same for both SMCCC v1.0 and v1.1')"]
    pub abi smccc_arm ("smccc11-arm", "Arm SMCCC 1.1 over HVC, arm (AArch32): architecture calls and PSCI 1.3") : smccc_arm64 {
        arch: arm,
        number: r0,
        args: [r1, r2, r3, r4, r5, r6],
        results: [r0, r1, r2, r3],
        registers: {
            r1: clobbered,
            r2: clobbered,
            r3: clobbered,
            others: preserved,
        },
        without: [
            arch_feature_availability, arch_clean_inv_memregion,
            cpu_suspend64, cpu_on64, affinity_info64, migrate64, migrate_info_up_cpu64,
            cpu_default_suspend64, node_hw_state64, system_suspend64, psci_stat_residency64,
            psci_stat_count64, system_reset2_64, mem_protect_check_range64, system_off2_64,
        ],
    }

    /// PSCI 1.3 over HVC from AArch32 (r0-r3, SMC32 functions only): what QEMU's built-in PSCI
    /// offers `qemu-system-arm -M virt`.
    #[source = "Arm DEN0022 PSCI 1.3 5.2.1 'Register usage'"]
    pub abi psci_arm ("psci-arm", "PSCI 1.3 over HVC, arm (AArch32)") : smccc_arm {
        revision: "SMCCC 1.0, PSCI 1.3",
        without: [
            smccc_version, arch_features, arch_soc_id, arch_workaround_1, arch_workaround_2,
            arch_workaround_3, arch_workaround_4,
        ],
    }

    /// What a Xen 4.17 guest reaches with `hvc #0` (any other HVC immediate but 0xEA1 injects
    /// UNDEF): Xen's SMCCC 1.1 mediator. It answers SMCCC_VERSION (1.1), SMCCC_ARCH_FEATURES
    /// and WORKAROUND_1/2/3; PSCI 1.1 with the 12 functions of `vpsci.c`; the "Call Count /
    /// Call UID / Revision" queries of the standard secure service (owner 4) and of Xen's own
    /// hypervisor service, which Xen files under owner 5 (`ARM_SMCCC_OWNER_HYPERVISOR 5`, the
    /// range SMCCC names Standard Hypervisor Service; Linux names 6 the vendor range); and the
    /// PSCI 0.1 IDs 1 (cpu_off) and 2 (cpu_on) it advertises in the guest device tree. Every
    /// other ID answers NOT_SUPPORTED (-1). Results are written to x0 (and x1-x3 for UIDs and
    /// revisions); nothing else is touched.
    #[source = "Xen 4.17 xen/arch/arm/vsmc.c (vsmccc_handle_call, handle_arch, handle_hypervisor, handle_sssc, fill_uid)"]
    #[source = "Xen 4.17 xen/arch/arm/vpsci.c (do_vpsci_0_2_call, do_psci_0_2_version = PSCI 1.1, do_psci_1_0_features); asm/vpsci.h VPSCI_NR_FUNCS 12"]
    #[source = "Xen 4.17 xen/include/public/arch-arm/smccc.h (XEN_SMCCC_UID, SSSC_SMCCC_UID, revisions 0.1); public/arch-arm.h PSCI_cpu_off 1, PSCI_cpu_on 2"]
    pub abi xen_arm64_smccc ("xen-arm64-smccc", "Xen 4.17 SMCCC services (hvc #0), arm64 guests") : smccc_arm64 {
        revision: "Xen 4.17 (SMCCC 1.1, PSCI 1.1)",
        without: [
            arch_soc_id, arch_feature_availability, arch_workaround_4, arch_clean_inv_memregion,
            migrate, migrate64, migrate_info_up_cpu, migrate_info_up_cpu64, cpu_freeze,
            cpu_default_suspend, cpu_default_suspend64, node_hw_state, node_hw_state64,
            system_suspend, system_suspend64, psci_set_suspend_mode, psci_stat_residency,
            psci_stat_residency64, psci_stat_count, psci_stat_count64, system_reset2,
            system_reset2_64, mem_protect, mem_protect_check_range, mem_protect_check_range64,
            system_off2, system_off2_64,
        ],
        calls: {
            /// SMCCC_VERSION: Xen reports 1.1.
            #[source = "vsmc.c handle_arch: ARM_SMCCC_VERSION_1_1"]
            #[smccc(fast, smc32, owner = 0)]
            #[narrow(bits: b32)]
            #[stable]
            smccc_version = 0x8000_0000 () -> (version: enum { SMCCC_1_1 = 0x10001 });
            /// PSCI_VERSION: Xen reports 1.1.
            #[source = "vpsci.c do_psci_0_2_version: PSCI_VERSION(1, 1)"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[stable]
            psci_version = 0x8400_0000 () -> (version: enum { PSCI_1_1 = 0x10001 });
            /// MIGRATE_INFO_TYPE: always 2 (multiprocessor or no Trusted OS).
            #[source = "vpsci.c do_psci_0_2_migrate_info_type: PSCI_0_2_TOS_MP_OR_NOT_PRESENT"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[stable]
            migrate_info_type = 0x8400_0006 () -> (tos: enum { TOS_MP = 2 });
            /// Standard secure service Call Count: 3 + VPSCI_NR_FUNCS = 15.
            #[source = "vsmc.c handle_sssc: SSSC_SMCCC_FUNCTION_COUNT (3 + VPSCI_NR_FUNCS)"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[deprecated]
            #[stable]
            std_call_count = 0x8400_ff00 () -> (count: enum { COUNT = 15 });
            /// Standard secure service Call UID f863386f-4b39-4cbd-9220-ce1641e59f6f, four bytes
            /// per register, first byte in the low-order bits (DEN0028 "Call UID").
            #[source = "vsmc.c fill_uid; smccc.h SSSC_SMCCC_UID"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[stable]
            std_call_uid = 0x8400_ff01 () -> (uid0: enum { UID0 = 0x6f38_63f8 }, uid1: enum { UID1 = 0xbd4c_394b }, uid2: enum { UID2 = 0x16ce_2092 }, uid3: enum { UID3 = 0x6f9f_e541 });
            /// Standard secure service Revision: major 0 in r0, minor 1 in r1.
            #[source = "vsmc.c fill_revision; smccc.h SSSC_SMCCC_MAJOR/MINOR_REVISION"]
            #[smccc(fast, smc32, owner = 4)]
            #[narrow(bits: b32)]
            #[stable]
            std_revision = 0x8400_ff03 () -> (major: enum { MAJOR = 0 }, minor: enum { MINOR = 1 });
            /// Xen hypervisor service Call Count: 3.
            #[source = "vsmc.c handle_hypervisor: XEN_SMCCC_FUNCTION_COUNT 3"]
            #[smccc(fast, smc32, owner = 5)]
            #[narrow(bits: b32)]
            #[deprecated]
            #[stable]
            xen_call_count = 0x8500_ff00 () -> (count: enum { COUNT = 3 });
            /// Xen hypervisor service Call UID a71812dc-c698-4369-9acf-79d18ddee667.
            #[source = "vsmc.c fill_uid; public/arch-arm/smccc.h XEN_SMCCC_UID"]
            #[smccc(fast, smc32, owner = 5)]
            #[narrow(bits: b32)]
            #[stable]
            xen_call_uid = 0x8500_ff01 () -> (uid0: enum { UID0 = 0xdc12_18a7 }, uid1: enum { UID1 = 0x6943_98c6 }, uid2: enum { UID2 = 0xd179_cf9a }, uid3: enum { UID3 = 0x67e6_de8d });
            /// Xen hypervisor service Revision: major 0, minor 1.
            #[source = "vsmc.c fill_revision; public/arch-arm/smccc.h XEN_SMCCC_MAJOR/MINOR_REVISION"]
            #[smccc(fast, smc32, owner = 5)]
            #[narrow(bits: b32)]
            #[stable]
            xen_revision = 0x8500_ff03 () -> (major: enum { MAJOR = 0 }, minor: enum { MINOR = 1 });
            /// PSCI 0.1 CPU_OFF at Xen's device-tree ID 1 (the pre-SMCCC range 0x0-0x0100FFFF).
            #[source = "vpsci.c do_vpsci_0_1_call; public/arch-arm.h PSCI_cpu_off 1"]
            #[narrow(bits: b32)]
            #[disruptive]
            psci_0_1_cpu_off = 1 (power_state: range(0..=u32::MAX)) -> (status: range(0..=0));
            /// PSCI 0.1 CPU_ON at Xen's device-tree ID 2: start vCPU `vcpuid` at `entry_point`.
            #[source = "vpsci.c do_vpsci_0_1_call; public/arch-arm.h PSCI_cpu_on 2"]
            #[narrow(bits: b32)]
            #[disruptive]
            psci_0_1_cpu_on = 2 (vcpuid: range(0..=u32::MAX), entry_point: any) -> (status: range(0..=0)) errors [INVALID_PARAMETERS, DENIED];
        },
    }

    /// What a Xen 4.17 arm32 guest reaches with `hvc #0`: the SMCCC 1.1 mediator of
    /// `xen-arm64-smccc` under the AArch32 register rules (r0 = function ID, r1-r6 arguments,
    /// r0-r3 results, r4-r14 preserved). Only SMC32 IDs: Xen answers an SMC64 ID from an
    /// AArch32 guest NOT_SUPPORTED (`vsmccc_handle_call`: `is_64bit_domain` check on
    /// `smccc_is_conv_64`).
    #[source = "Xen 4.17 xen/arch/arm/vsmc.c (vsmccc_handle_call: SMC64 from a 32-bit domain -> ARM_SMCCC_ERR_UNKNOWN_FUNCTION; set_user_reg r0-r3)"]
    #[source = "Arm DEN0028, 'Register use in AArch32 SMC and HVC calls'"]
    pub abi xen_arm32_smccc ("xen-arm32-smccc", "Xen 4.17 SMCCC services (hvc #0), arm32 guests") : xen_arm64_smccc {
        arch: arm,
        number: r0,
        args: [r1, r2, r3, r4, r5, r6],
        results: [r0, r1, r2, r3],
        registers: {
            r1: clobbered,
            r2: clobbered,
            r3: clobbered,
            others: preserved,
        },
        without: [cpu_suspend64, cpu_on64, affinity_info64],
    }

    /// The same mediator through the SMC conduit: Xen traps a guest's `smc #0` (HCR_EL2.TSC)
    /// and hands it to `vsmccc_handle_call` like `hvc #0`, advancing the PC past the SMC; an
    /// SMC it does not take as SMCCC injects UNDEF.
    #[source = "Xen 4.17 xen/arch/arm/traps.c (do_trap_smc: vsmccc_handle_call, else inject_undef_exception)"]
    #[source = "Arm DEN0028, 'SMC and HVC conduits' (both use immediate 0)"]
    pub abi xen_arm64_smccc_smc ("xen-arm64-smccc-smc", "Xen 4.17 SMCCC services (smc #0), arm64 guests") : xen_arm64_smccc {
        trap: smc(0),
    }

    /// `xen-arm32-smccc` through the SMC conduit (`smc #0` from AArch32, trapped by Xen).
    #[source = "Xen 4.17 xen/arch/arm/traps.c (do_trap_smc for HSR_EC_SMC32)"]
    pub abi xen_arm32_smccc_smc ("xen-arm32-smccc-smc", "Xen 4.17 SMCCC services (smc #0), arm32 guests") : xen_arm32_smccc {
        trap: smc(0),
    }
}
