//! The RISC-V Supervisor Binary Interface (SBI): calls from S-mode (or VS-mode) software to the
//! SEE (OpenSBI, RustSBI, KVM, Xen, ...).
//!
//! Source: the RISC-V SBI specification (riscv-non-isa/riscv-sbi-doc, v3.0): "Binary Encoding",
//! "Legacy Extensions", and one chapter per extension, each with its function listing (FID,
//! since-version) and error table.

abi_macros::hypercall_abi! {
    /// SBI calls: `ecall` with the extension ID (EID) in a7 and the function ID (FID) in a6 (both
    /// signed 32-bit values), arguments in a0-a5. Every function returns `struct sbiret`: a0 = error
    /// code, a1 = value. "All registers except a0 & a1 must be preserved across an SBI call by the
    /// callee." An unknown EID or FID answers SBI_ERR_NOT_SUPPORTED.
    ///
    /// The legacy extensions (EIDs 0x00-0x0F, SBI v0.1) ignore a6, return only a0 (its meaning is
    /// extension specific) and preserve every other register, a1 included: their calls declare only
    /// an a0 result, so a1 falls under `others: preserved`. Every other call declares both results.
    ///
    /// Presence: BASE is mandatory since v0.2; every other extension is discoverable with
    /// `probe_extension`, and its functions answer SBI_ERR_NOT_SUPPORTED where it is absent. QEMU
    /// 7.2 bundles OpenSBI 1.1, which implements SBI 1.0 (no DBCN, SUSP, CPPC, NACL, STA, SSE,
    /// FWFT, DBTR, MPXY, nor FIDs added after 1.0).
    #[source = "RISC-V SBI specification v3.0, chapter 'Binary Encoding' (register convention, sbiret, Standard SBI Errors table)"]
    #[source = "RISC-V SBI specification v3.0, chapter 'Legacy Extensions (EIDs #0x00 - #0x0F)'"]
    #[source = "RISC-V SBI specification v3.0, the extension chapters (function listings: FID, SBI version)"]
    #[source = "QEMU 7.2 roms/opensbi at v1.1 (pc-bios/opensbi-riscv64-generic-fw_dynamic.bin, the firmware of -M virt); OpenSBI v1.1 include/sbi/sbi_ecall.h (SBI_ECALL_VERSION_MAJOR 1, MINOR 0: SBI 1.0)"]
    pub abi sbi_riscv64 ("sbi-riscv64", "RISC-V SBI (ecall from S-mode)") {
        arch: riscv64,
        trap: ecall,
        number: { eid: a7, fid: a6 },
        args: [a0, a1, a2, a3, a4, a5],
        results: [a0, a1],
        registers: { others: preserved },
        errors: {
            SBI_ERR_FAILED = -1, SBI_ERR_NOT_SUPPORTED = -2, SBI_ERR_INVALID_PARAM = -3,
            SBI_ERR_DENIED = -4, SBI_ERR_INVALID_ADDRESS = -5, SBI_ERR_ALREADY_AVAILABLE = -6,
            SBI_ERR_ALREADY_STARTED = -7, SBI_ERR_ALREADY_STOPPED = -8, SBI_ERR_NO_SHMEM = -9,
            SBI_ERR_INVALID_STATE = -10, SBI_ERR_BAD_RANGE = -11, SBI_ERR_TIMEOUT = -12,
            SBI_ERR_IO = -13, SBI_ERR_DENIED_LOCKED = -14,
        },
        unknown: error(SBI_ERR_NOT_SUPPORTED),
        revision: "SBI 3.0",
        layout: lp64,
        structs: {
            /// The buffer `console_read` fills: 16 bytes, as many as its `num_bytes` asks for.
            /// The SEE writes at most `num_bytes` bytes ("The number of bytes read ... is returned
            /// in sbiret.value", which may be 0 when no input is waiting, so the bytes are
            /// `maybe_out`); a byte written past it fails the case.
            #[source = "SBI 'DBCN': Console Read (FID #1): num_bytes, base_addr_lo, base_addr_hi"]
            dbcn_read_buffer { #[maybe_out] bytes: [u8; 16] }
            /// The bytes `console_write` sends to the console (16 zero bytes); the SEE only reads
            /// them.
            #[source = "SBI 'DBCN': Console Write (FID #0): num_bytes, base_addr_lo, base_addr_hi"]
            dbcn_write_buffer { bytes: [u8; 16] }
            /// The steal-time record (64 bytes, 64-byte aligned) the SEE keeps up to date once
            /// `steal_time_set_shmem` registers it: `sequence` odd while an update is under way,
            /// `flags` always zero, `steal` the nanoseconds the vCPU was not running, `preempted`
            /// non-zero while the vCPU is preempted, the rest padding the SEE zeroes. The SEE
            /// writes every field, the padding included (KVM writes a zeroed record at
            /// registration).
            #[source = "SBI 'Steal-time Accounting Extension': 'STA Shared Memory Structure' table (sequence u32 @0, flags u32 @4, steal u64 @8, preempted u8 @16, pad 47 bytes @17); Linux 6.12 arch/riscv/include/asm/sbi.h: struct sbi_sta_struct; arch/riscv/kvm/vcpu_sbi_sta.c: kvm_sbi_sta_steal_time_set_shmem writes a zeroed struct sbi_sta_struct at registration"]
            sbi_sta_struct {
                #[out] sequence: u32,
                #[out] flags: u32,
                #[out] steal: u64,
                #[out] preempted: u8,
                #[out] pad: [u8; 47],
            }
        },
        calls: {
            // ---- Legacy extensions (v0.1): a0 only, a6 ignored, deprecated ----
            /// Program the next timer event (absolute time); replaced by TIME.
            #[source = "SBI 'Legacy Extensions': Set Timer (EID #0x00)"]
            #[since = "SBI 0.1"]
            #[deprecated]
            #[optional]
            #[stateful]
            legacy_set_timer = (0x00, 0) (stime_value: any) -> (ret: any);
            /// Write a byte to the debug console; replaced by DBCN.
            #[source = "SBI 'Legacy Extensions': Console Putchar (EID #0x01)"]
            #[since = "SBI 0.1"]
            #[deprecated]
            #[optional]
            #[stateful]
            legacy_console_putchar = (0x01, 0) (ch: range(0..=255)) -> (ret: any);
            /// Read a byte from the debug console: the byte, or -1 if none.
            #[source = "SBI 'Legacy Extensions': Console Getchar (EID #0x02)"]
            #[since = "SBI 0.1"]
            #[deprecated]
            #[optional]
            #[stateful]
            legacy_console_getchar = (0x02, 0) () -> (ret: range(-1..=255)) errors [SBI_ERR_NOT_SUPPORTED];
            /// Clear the pending supervisor IPI (no replacement: clear sip.SSIP).
            #[source = "SBI 'Legacy Extensions': Clear IPI (EID #0x03)"]
            #[since = "SBI 0.1"]
            #[deprecated]
            #[optional]
            #[stateful]
            legacy_clear_ipi = (0x03, 0) () -> (ret: any);
            /// Send an IPI to the harts of the bitmap at `hart_mask` (a virtual address); replaced
            /// by IPI.
            #[source = "SBI 'Legacy Extensions': Send IPI (EID #0x04)"]
            #[since = "SBI 0.1"]
            #[deprecated]
            #[optional]
            #[stateful]
            legacy_send_ipi = (0x04, 0) (hart_mask: ptr(align = 8)) -> (ret: any);
            /// FENCE.I on remote harts; replaced by RFENCE.
            #[source = "SBI 'Legacy Extensions': Remote FENCE.I (EID #0x05)"]
            #[since = "SBI 0.1"]
            #[deprecated]
            #[optional]
            #[stateful]
            legacy_remote_fence_i = (0x05, 0) (hart_mask: ptr(align = 8)) -> (ret: any);
            /// SFENCE.VMA of a range on remote harts; replaced by RFENCE.
            #[source = "SBI 'Legacy Extensions': Remote SFENCE.VMA (EID #0x06)"]
            #[since = "SBI 0.1"]
            #[deprecated]
            #[optional]
            #[stateful]
            legacy_remote_sfence_vma = (0x06, 0) (hart_mask: ptr(align = 8), start: any, size: any) -> (ret: any);
            /// SFENCE.VMA of a range and ASID on remote harts; replaced by RFENCE.
            #[source = "SBI 'Legacy Extensions': Remote SFENCE.VMA with ASID (EID #0x07)"]
            #[since = "SBI 0.1"]
            #[deprecated]
            #[optional]
            #[stateful]
            legacy_remote_sfence_vma_asid = (0x07, 0) (hart_mask: ptr(align = 8), start: any, size: any, asid: any) -> (ret: any);
            /// Put all harts in a shutdown state; does not return. Replaced by SRST.
            #[source = "SBI 'Legacy Extensions': System Shutdown (EID #0x08)"]
            #[since = "SBI 0.1"]
            #[deprecated]
            #[optional]
            #[noreturn]
            legacy_shutdown = (0x08, 0) ();

            // ---- BASE (EID 0x10) ----
            /// The SBI specification version: bit 31 zero, major in bits 30:24, minor in 23:0.
            #[source = "SBI 'Base Extension': Get SBI specification version (FID #0)"]
            #[since = "SBI 0.2"]
            #[stable]
            get_spec_version = (0x10, 0) () -> (error: range(0..=0), version: range(0..=0x7fff_ffff));
            /// The implementation ID (0 BBL, 1 OpenSBI, 2 Xvisor, 3 KVM, 4 RustSBI, 5 Diosix,
            /// 6 Coffer, 7 Xen, 8 PolarFire HSS, 9 coreboot, 10 oreboot, 11 bhyve, ...).
            #[source = "SBI 'Base Extension': Get SBI implementation ID (FID #1) and the implementation ID table"]
            #[since = "SBI 0.2"]
            #[stable]
            get_impl_id = (0x10, 1) () -> (error: range(0..=0), impl_id: any);
            /// The implementation's own version number.
            #[source = "SBI 'Base Extension': Get SBI implementation version (FID #2)"]
            #[since = "SBI 0.2"]
            #[stable]
            get_impl_version = (0x10, 2) () -> (error: range(0..=0), version: any);
            /// 0 if the extension is absent, else 1 or an extension-specific non-zero value.
            #[source = "SBI 'Base Extension': Probe SBI extension (FID #3)"]
            #[since = "SBI 0.2"]
            #[stable]
            probe_extension = (0x10, 3) (extension_id: any) -> (error: range(0..=0), available: any);
            /// The mvendorid CSR value (0 is a legal answer).
            #[source = "SBI 'Base Extension': Get machine vendor ID (FID #4)"]
            #[since = "SBI 0.2"]
            #[stable]
            get_mvendorid = (0x10, 4) () -> (error: range(0..=0), mvendorid: any);
            /// The marchid CSR value.
            #[source = "SBI 'Base Extension': Get machine architecture ID (FID #5)"]
            #[since = "SBI 0.2"]
            #[stable]
            get_marchid = (0x10, 5) () -> (error: range(0..=0), marchid: any);
            /// The mimpid CSR value.
            #[source = "SBI 'Base Extension': Get machine implementation ID (FID #6)"]
            #[since = "SBI 0.2"]
            #[stable]
            get_mimpid = (0x10, 6) () -> (error: range(0..=0), mimpid: any);

            // ---- TIME (EID 0x54494D45) ----
            /// Program the clock for the next event at absolute time `stime_value` (clears the
            /// pending timer interrupt).
            #[source = "SBI 'Timer Extension' (EID #0x54494D45 'TIME'): Set Timer (FID #0)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[stateful]
            set_timer = (0x5449_4D45, 0) (stime_value: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED];

            // ---- IPI (EID 0x735049) ----
            /// Send a supervisor software interrupt to the harts `hart_mask` selects from
            /// `hart_mask_base` (-1: all harts).
            #[source = "SBI 'IPI Extension' (EID #0x735049 'sPI'): Send IPI (FID #0)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[stateful]
            send_ipi = (0x73_5049, 0) (hart_mask: any, hart_mask_base: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];

            // ---- RFENCE (EID 0x52464E43) ----
            /// FENCE.I on the selected harts.
            #[source = "SBI 'RFENCE Extension' (EID #0x52464E43): Remote FENCE.I (FID #0)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[stateful]
            remote_fence_i = (0x5246_4E43, 0) (hart_mask: any, hart_mask_base: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];
            /// SFENCE.VMA of a virtual-address range (size -1: everything) on the selected harts.
            #[source = "SBI 'RFENCE Extension': Remote SFENCE.VMA (FID #1)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[stateful]
            remote_sfence_vma = (0x5246_4E43, 1) (hart_mask: any, hart_mask_base: any, start_addr: any, size: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];
            /// SFENCE.VMA of a range for one ASID on the selected harts.
            #[source = "SBI 'RFENCE Extension': Remote SFENCE.VMA with ASID (FID #2)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[stateful]
            remote_sfence_vma_asid = (0x5246_4E43, 2) (hart_mask: any, hart_mask_base: any, start_addr: any, size: any, asid: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];
            /// HFENCE.GVMA of a guest-physical range for one VMID (needs the H extension).
            #[source = "SBI 'RFENCE Extension': Remote HFENCE.GVMA with VMID (FID #3)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[stateful]
            remote_hfence_gvma_vmid = (0x5246_4E43, 3) (hart_mask: any, hart_mask_base: any, start_addr: any, size: any, vmid: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED];
            /// HFENCE.GVMA of a guest-physical range for all VMIDs.
            #[source = "SBI 'RFENCE Extension': Remote HFENCE.GVMA (FID #4)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[stateful]
            remote_hfence_gvma = (0x5246_4E43, 4) (hart_mask: any, hart_mask_base: any, start_addr: any, size: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED];
            /// HFENCE.VVMA of a guest-virtual range for one ASID (current VMID).
            #[source = "SBI 'RFENCE Extension': Remote HFENCE.VVMA with ASID (FID #5)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[stateful]
            remote_hfence_vvma_asid = (0x5246_4E43, 5) (hart_mask: any, hart_mask_base: any, start_addr: any, size: any, asid: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED];
            /// HFENCE.VVMA of a guest-virtual range for all ASIDs (current VMID).
            #[source = "SBI 'RFENCE Extension': Remote HFENCE.VVMA (FID #6)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[stateful]
            remote_hfence_vvma = (0x5246_4E43, 6) (hart_mask: any, hart_mask_base: any, start_addr: any, size: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED];

            // ---- HSM (EID 0x48534D) ----
            /// Start a stopped hart at `start_addr` in S-mode with a0 = hartid, a1 = opaque.
            #[source = "SBI 'Hart State Management Extension' (EID #0x48534D 'HSM'): Hart start (FID #0)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[disruptive]
            hart_start = (0x48_534D, 0) (hartid: any, start_addr: any, opaque: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_PARAM, SBI_ERR_ALREADY_AVAILABLE, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];
            /// Stop the calling hart; returns only on failure.
            #[source = "SBI 'HSM': Hart stop (FID #1)"]
            #[since = "SBI 0.2"]
            #[discoverable]
            #[noreturn]
            hart_stop = (0x48_534D, 1) ();
            /// A hart's state: 0 STARTED, 1 STOPPED, 2 START_PENDING, 3 STOP_PENDING, 4 SUSPENDED,
            /// 5 SUSPEND_PENDING, 6 RESUME_PENDING.
            #[source = "SBI 'HSM': Hart get status (FID #2), 'HSM Hart States' table"]
            #[since = "SBI 0.2"]
            #[discoverable]
            hart_get_status = (0x48_534D, 2) (hartid: any) -> (error: range(0..=0), state: range(0..=6)) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED];
            /// Suspend the calling hart (0x00000000 default retentive, 0x80000000 default
            /// non-retentive, resuming at `resume_addr`).
            #[source = "SBI 'HSM': Hart suspend (FID #3), 'HSM Hart Suspend Types'"]
            #[since = "SBI 0.3"]
            #[discoverable]
            #[disruptive]
            hart_suspend = (0x48_534D, 3) (suspend_type: range(0..=u32::MAX), resume_addr: any, opaque: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_ADDRESS, SBI_ERR_FAILED];

            // ---- SRST (EID 0x53525354) ----
            /// Reset the system (0 shutdown, 1 cold reboot, 2 warm reboot; 0xF0000000+ vendor) for a
            /// reason (0 none, 1 system failure); returns only on failure.
            #[source = "SBI 'System Reset Extension' (EID #0x53525354 'SRST'): System reset (FID #0), reset types and reasons"]
            #[since = "SBI 0.3"]
            #[discoverable]
            #[disruptive]
            system_reset = (0x5352_5354, 0) (reset_type: range(0..=u32::MAX), reset_reason: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED, SBI_ERR_FAILED];

            // ---- PMU (EID 0x504D55) ----
            /// Number of hardware and firmware counters.
            #[source = "SBI 'Performance Monitoring Unit Extension' (EID #0x504D55 'PMU'): Get number of counters (FID #0)"]
            #[since = "SBI 0.3"]
            #[discoverable]
            #[stable]
            pmu_num_counters = (0x50_4D55, 0) () -> (error: range(0..=0), count: range(0..)) errors [SBI_ERR_NOT_SUPPORTED];
            /// Details of one counter (CSR number, width, hardware or firmware).
            #[source = "SBI 'PMU': Get details of a counter (FID #1)"]
            #[since = "SBI 0.3"]
            #[discoverable]
            pmu_counter_get_info = (0x50_4D55, 1) (counter_idx: any) -> (error: range(0..=0), info: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED];
            /// Find and configure a counter for an event; value = the counter index.
            #[source = "SBI 'PMU': Find and configure a matching counter (FID #2)"]
            #[since = "SBI 0.3"]
            #[discoverable]
            #[stateful]
            pmu_counter_config_matching = (0x50_4D55, 2) (counter_idx_base: any, counter_idx_mask: any, config_flags: bits(0xff), event_idx: range(0..=0xf_ffff), event_data: any) -> (error: range(0..=0), counter_idx: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM];
            /// Start counters.
            #[source = "SBI 'PMU': Start a set of counters (FID #3)"]
            #[since = "SBI 0.3"]
            #[discoverable]
            #[stateful]
            pmu_counter_start = (0x50_4D55, 3) (counter_idx_base: any, counter_idx_mask: any, start_flags: bits(0x3), initial_value: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_ALREADY_STARTED, SBI_ERR_NO_SHMEM, SBI_ERR_NOT_SUPPORTED];
            /// Stop counters.
            #[source = "SBI 'PMU': Stop a set of counters (FID #4)"]
            #[since = "SBI 0.3"]
            #[discoverable]
            #[stateful]
            pmu_counter_stop = (0x50_4D55, 4) (counter_idx_base: any, counter_idx_mask: any, stop_flags: bits(0x3)) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_ALREADY_STOPPED, SBI_ERR_NO_SHMEM, SBI_ERR_NOT_SUPPORTED];
            /// Read a firmware counter (low XLEN bits).
            #[source = "SBI 'PMU': Read a firmware counter (FID #5)"]
            #[since = "SBI 0.3"]
            #[discoverable]
            pmu_counter_fw_read = (0x50_4D55, 5) (counter_idx: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED];
            /// Read the upper 32 bits of a firmware counter (0 on RV64).
            #[source = "SBI 'PMU': Read a firmware counter high bits (FID #6)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            pmu_counter_fw_read_hi = (0x50_4D55, 6) (counter_idx: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED];
            /// Register the counter snapshot shared memory (lo = -1 disables); the SEE writes it
            /// later, so an arbitrary address corrupts memory.
            #[source = "SBI 'PMU': Set PMU snapshot shared memory (FID #7)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[disruptive]
            pmu_snapshot_set_shmem = (0x50_4D55, 7) (shmem_phys_lo: ptr(align = 4096), shmem_phys_hi: mbz, flags: mbz) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_ADDRESS, SBI_ERR_FAILED];
            /// Fill `num_entries` event-info entries (16 bytes each) in shared memory.
            #[source = "SBI 'PMU': Get PMU Event info (FID #8)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            pmu_event_get_info = (0x50_4D55, 8) (shmem_phys_lo: ptr(align = 16), shmem_phys_hi: mbz, num_entries: any, flags: mbz) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_ADDRESS, SBI_ERR_FAILED];

            // ---- DBCN (EID 0x4442434E) ----
            /// Write `num_bytes` from a physical buffer to the debug console; value = bytes written.
            /// The plan also writes the 16 bytes of `dbcn_write_buffer` (the SEE must not write
            /// them). No case with an unmapped buffer: the spec's SBI_ERR_INVALID_PARAM is for
            /// memory that "does not satisfy the requirements described in the parameter
            /// description", but OpenSBI's root domain grants S-mode every address outside its
            /// own regions, so an unmapped address passes its check and the M-mode access to it
            /// faults inside the firmware.
            #[source = "SBI 'Debug Console Extension' (EID #0x4442434E 'DBCN'): Console Write (FID #0); OpenSBI v1.5.1 lib/sbi/sbi_ecall_dbcn.c (a2 non-zero: SBI_ERR_FAILED; sbi_domain_check_addr_range false: SBI_ERR_INVALID_PARAM, then sbi_nputs from the address); lib/sbi/sbi_domain.c sbi_domain_init (root region 0..~0UL readable, writable, executable for S/U)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[stateful]
            #[param(dbcn_write_buffer, high = base_addr_hi)]
            #[args(num_bytes = 16)]
            console_write = (0x4442_434E, 0) (num_bytes: range(0..=4096), base_addr_lo: ptr, base_addr_hi: mbz) -> (error: range(0..=0), written: range(0..)) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_DENIED, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];
            /// Read up to `num_bytes` from the debug console into a physical buffer; value = bytes read.
            /// Planned only with `num_bytes` = 16 into the 16-byte `dbcn_read_buffer` (a byte
            /// written past it fails the case), never with random pointers; no unmapped-buffer
            /// case, for the reason `console_write` gives.
            #[source = "SBI 'DBCN': Console Read (FID #1); OpenSBI v1.5.1 lib/sbi/sbi_ecall_dbcn.c: sbi_ngets into the buffer after the same checks as Console Write"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[stateful]
            #[param(dbcn_read_buffer, high = base_addr_hi)]
            #[args(num_bytes = 16)]
            console_read = (0x4442_434E, 1) (num_bytes: range(0..), base_addr_lo: ptr, base_addr_hi: mbz) -> (error: range(0..=0), read: range(0..)) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_DENIED, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];
            /// Write one byte to the debug console.
            #[source = "SBI 'DBCN': Console Write Byte (FID #2)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[stateful]
            console_write_byte = (0x4442_434E, 2) (byte: range(0..=255)) -> (error: range(0..=0), value: any) errors [SBI_ERR_DENIED, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];

            // ---- SUSP (EID 0x53555350) ----
            /// Suspend the whole system (0 = suspend to RAM), resuming at `resume_addr`.
            #[source = "SBI 'System Suspend Extension' (EID #0x53555350 'SUSP'): System Suspend (FID #0)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[disruptive]
            system_suspend = (0x5355_5350, 0) (sleep_type: range(0..=u32::MAX), resume_addr: any, opaque: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_ADDRESS, SBI_ERR_DENIED, SBI_ERR_FAILED];

            // ---- CPPC (EID 0x43505043) ----
            /// Whether a CPPC register is implemented; value = its width in bits (0: absent).
            #[source = "SBI 'CPPC Extension' (EID #0x43505043 'CPPC'): Probe CPPC register (FID #0)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[stable]
            cppc_probe = (0x4350_5043, 0) (reg_id: range(0..=u32::MAX)) -> (error: range(0..=0), width: range(0..=64)) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];
            /// Read a CPPC register (low XLEN bits).
            #[source = "SBI 'CPPC': Read CPPC register (FID #1)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            cppc_read = (0x4350_5043, 1) (reg_id: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED, SBI_ERR_DENIED, SBI_ERR_FAILED];
            /// Read the upper 32 bits of a CPPC register (RV32).
            #[source = "SBI 'CPPC': Read CPPC register high bits (FID #2)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            cppc_read_hi = (0x4350_5043, 2) (reg_id: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED, SBI_ERR_DENIED, SBI_ERR_FAILED];
            /// Write a CPPC register (a performance request; harmless to a test guest).
            #[source = "SBI 'CPPC': Write to CPPC register (FID #3)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[stateful]
            cppc_write = (0x4350_5043, 3) (reg_id: range(0..=u32::MAX), value: any) -> (error: range(0..=0), result: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_NOT_SUPPORTED, SBI_ERR_DENIED, SBI_ERR_FAILED];

            // ---- NACL (EID 0x4E41434C) ----
            /// Whether a nested-acceleration feature is available (value 1) or not (0).
            #[source = "SBI 'Nested Acceleration Extension' (EID #0x4E41434C 'NACL'): Probe nested acceleration feature (FID #0)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[stable]
            nacl_probe_feature = (0x4E41_434C, 0) (feature_id: range(0..=u32::MAX)) -> (error: range(0..=0), available: range(0..=1)) errors [SBI_ERR_NOT_SUPPORTED];
            /// Register the per-hart nested-acceleration shared memory (lo = -1 disables).
            #[source = "SBI 'NACL': Set nested acceleration shared memory (FID #1)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[disruptive]
            nacl_set_shmem = (0x4E41_434C, 1) (shmem_phys_lo: ptr(align = 4096), shmem_phys_hi: mbz, flags: mbz) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_ADDRESS, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];
            /// Synchronise one CSR (or all, with -1) of the shared memory.
            #[source = "SBI 'NACL': Synchronize shared memory CSRs (FID #2)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[stateful]
            nacl_sync_csr = (0x4E41_434C, 2) (csr_num: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_NO_SHMEM];
            /// Synchronise one HFENCE entry (or all, with -1) of the shared memory.
            #[source = "SBI 'NACL': Synchronize shared memory HFENCEs (FID #3)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[stateful]
            nacl_sync_hfence = (0x4E41_434C, 3) (entry_index: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_NO_SHMEM];
            /// Synchronise and emulate SRET into the guest: returns only on failure.
            #[source = "SBI 'NACL': Synchronize shared memory and emulate SRET (FID #4)"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[disruptive]
            nacl_sync_sret = (0x4E41_434C, 4) () -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM];

            // ---- STA (EID 0x535441) ----
            /// Register the steal-time record (`sbi_sta_struct`, 64 bytes, 64-byte aligned; lo = hi =
            /// -1 disables); the SEE updates it later. Disruptive: once real memory is registered,
            /// KVM rewrites the record at every vCPU entry (`kvm_riscv_vcpu_record_steal_time`),
            /// asynchronously to the cases that follow, and a window the guest watched would
            /// change under later cases. The plan runs only the refused registration of an
            /// unmapped record, which KVM answers with SBI_ERR_INVALID_ADDRESS before it
            /// registers anything.
            #[source = "SBI 'Steal-time Accounting Extension' (EID #0x535441 'STA'): Set Steal-time Shared Memory Address (FID #0); Linux 6.12 arch/riscv/kvm/vcpu_sbi_sta.c: kvm_sbi_sta_steal_time_set_shmem (flags: SBI_ERR_INVALID_PARAM; lo & 63: SBI_ERR_INVALID_PARAM; hi non-zero on 64-bit or no writable memslot: SBI_ERR_INVALID_ADDRESS; then writes a zeroed record and registers it); kvm_riscv_vcpu_record_steal_time"]
            #[since = "SBI 2.0"]
            #[discoverable]
            #[disruptive]
            #[param(sbi_sta_struct, high = shmem_phys_hi)]
            #[bad_buffer(SBI_ERR_INVALID_ADDRESS)]
            steal_time_set_shmem = (0x53_5441, 0) (shmem_phys_lo: ptr(align = 64), shmem_phys_hi: mbz, flags: mbz) -> (error: range(0..=0), value: any) errors [SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_ADDRESS, SBI_ERR_FAILED, SBI_ERR_NOT_SUPPORTED];

            // ---- SSE (EID 0x535345) ----
            /// Read `attr_count` attributes of an event into a physical buffer.
            #[source = "SBI 'Supervisor Software Events Extension' (EID #0x535345 'SSE'): Read software event attributes (FID #0)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[stateful]
            sse_read_attrs = (0x53_5345, 0) (event_id: range(0..=u32::MAX), base_attr_id: range(0..=u32::MAX), attr_count: range(0..=u32::MAX), output_phys_lo: ptr(align = 8), output_phys_hi: mbz) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_BAD_RANGE, SBI_ERR_INVALID_ADDRESS, SBI_ERR_FAILED];
            /// Write attributes of an event from a physical buffer.
            #[source = "SBI 'SSE': Write software event attributes (FID #1)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            sse_write_attrs = (0x53_5345, 1) (event_id: range(0..=u32::MAX), base_attr_id: range(0..=u32::MAX), attr_count: range(0..=u32::MAX), input_phys_lo: ptr(align = 8), input_phys_hi: mbz) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_BAD_RANGE, SBI_ERR_INVALID_ADDRESS, SBI_ERR_INVALID_STATE, SBI_ERR_DENIED, SBI_ERR_FAILED];
            /// Register a handler for an event.
            #[source = "SBI 'SSE': Register a software event (FID #2)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            sse_register = (0x53_5345, 2) (event_id: range(0..=u32::MAX), handler_entry_pc: any, handler_entry_arg: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_STATE, SBI_ERR_INVALID_PARAM];
            /// Unregister an event's handler.
            #[source = "SBI 'SSE': Unregister a software event (FID #3)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            sse_unregister = (0x53_5345, 3) (event_id: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_STATE, SBI_ERR_INVALID_PARAM];
            /// Enable delivery of an event.
            #[source = "SBI 'SSE': Enable a software event (FID #4)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            sse_enable = (0x53_5345, 4) (event_id: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_STATE, SBI_ERR_INVALID_PARAM];
            /// Disable delivery of an event.
            #[source = "SBI 'SSE': Disable a software event (FID #5)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            sse_disable = (0x53_5345, 5) (event_id: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_STATE, SBI_ERR_INVALID_PARAM];
            /// Finish handling an event: resumes the interrupted context, never this caller.
            #[source = "SBI 'SSE': Complete software event handling (FID #6)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[noreturn]
            sse_complete = (0x53_5345, 6) ();
            /// Inject an event on a hart.
            #[source = "SBI 'SSE': Inject a software event (FID #7)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            sse_inject = (0x53_5345, 7) (event_id: range(0..=u32::MAX), hart_id: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED];
            /// Unmask event delivery on the calling hart.
            #[source = "SBI 'SSE': Unmask software events on a hart (FID #8)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[stateful]
            sse_hart_unmask = (0x53_5345, 8) () -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_ALREADY_STARTED, SBI_ERR_FAILED];
            /// Mask event delivery on the calling hart.
            #[source = "SBI 'SSE': Mask software events on a hart (FID #9)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[stateful]
            sse_hart_mask = (0x53_5345, 9) () -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_ALREADY_STOPPED, SBI_ERR_FAILED];

            // ---- FWFT (EID 0x46574654) ----
            /// Set a firmware feature (misaligned-exception delegation, landing pads, shadow stack,
            /// pointer masking, ...); flags bit 0 locks it.
            #[source = "SBI 'Firmware Features Extension' (EID #0x46574654 'FWFT'): Firmware Features Set (FID #0)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            fwft_set = (0x4657_4654, 0) (feature: range(0..=u32::MAX), value: any, flags: bits(0x1)) -> (error: range(0..=0), result: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_DENIED, SBI_ERR_DENIED_LOCKED, SBI_ERR_FAILED];
            /// Read a firmware feature's current value.
            #[source = "SBI 'FWFT': Firmware Features Get (FID #1)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            fwft_get = (0x4657_4654, 1) (feature: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_DENIED, SBI_ERR_FAILED];

            // ---- DBTR (EID 0x44425452) ----
            /// Number of debug triggers matching a tdata1 value.
            #[source = "SBI 'Debug Triggers Extension' (EID #0x44425452 'DBTR'): Get number of triggers (FID #0)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            dbtr_num_triggers = (0x4442_5452, 0) (trig_tdata1: any) -> (error: range(0..=0), count: range(0..)) errors [SBI_ERR_NOT_SUPPORTED];
            /// Register the trigger shared memory (lo = -1 disables).
            #[source = "SBI 'DBTR': Set trigger shared memory (FID #1)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            dbtr_set_shmem = (0x4442_5452, 1) (shmem_phys_lo: ptr(align = 16), shmem_phys_hi: mbz, flags: mbz) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_ADDRESS, SBI_ERR_FAILED];
            /// Copy trigger state into the shared memory.
            #[source = "SBI 'DBTR': Read triggers (FID #2)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[stateful]
            dbtr_read_triggers = (0x4442_5452, 2) (trig_idx_base: any, trig_count: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM, SBI_ERR_BAD_RANGE];
            /// Install triggers described in the shared memory.
            #[source = "SBI 'DBTR': Install triggers (FID #3)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            dbtr_install_triggers = (0x4442_5452, 3) (trig_count: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM, SBI_ERR_BAD_RANGE, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED];
            /// Update installed triggers from the shared memory.
            #[source = "SBI 'DBTR': Update triggers (FID #4)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            dbtr_update_triggers = (0x4442_5452, 4) (trig_count: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM, SBI_ERR_BAD_RANGE, SBI_ERR_INVALID_PARAM, SBI_ERR_FAILED];
            /// Uninstall a set of triggers.
            #[source = "SBI 'DBTR': Uninstall a set of triggers (FID #5)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            dbtr_uninstall_triggers = (0x4442_5452, 5) (trig_idx_base: any, trig_idx_mask: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM];
            /// Enable a set of triggers.
            #[source = "SBI 'DBTR': Enable a set of triggers (FID #6)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            dbtr_enable_triggers = (0x4442_5452, 6) (trig_idx_base: any, trig_idx_mask: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM];
            /// Disable a set of triggers.
            #[source = "SBI 'DBTR': Disable a set of triggers (FID #7)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            dbtr_disable_triggers = (0x4442_5452, 7) (trig_idx_base: any, trig_idx_mask: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM];

            // ---- MPXY (EID 0x4D505859) ----
            /// Size of the per-hart MPXY shared memory.
            #[source = "SBI 'Message Proxy Extension' (EID #0x4D505859 'MPXY'): Get shared memory size (FID #0)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[stable]
            mpxy_get_shmem_size = (0x4D50_5859, 0) () -> (error: range(0..=0), size: range(0..)) errors [SBI_ERR_NOT_SUPPORTED];
            /// Register (flags: overwrite or overwrite-and-return-old) the MPXY shared memory.
            #[source = "SBI 'MPXY': Set shared memory (FID #1)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            mpxy_set_shmem = (0x4D50_5859, 1) (shmem_phys_lo: ptr(align = 4096), shmem_phys_hi: mbz, flags: range(0..=1)) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_INVALID_PARAM, SBI_ERR_INVALID_ADDRESS, SBI_ERR_FAILED];
            /// List channel IDs into the shared memory, from `start_index`.
            #[source = "SBI 'MPXY': Get Channel IDs (FID #2)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[stateful]
            mpxy_get_channel_ids = (0x4D50_5859, 2) (start_index: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM, SBI_ERR_INVALID_PARAM, SBI_ERR_DENIED, SBI_ERR_FAILED];
            /// Read channel attributes into the shared memory.
            #[source = "SBI 'MPXY': Read Channel Attributes (FID #3)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[stateful]
            mpxy_read_attributes = (0x4D50_5859, 3) (channel_id: range(0..=u32::MAX), base_attribute_id: range(0..=u32::MAX), attribute_count: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM, SBI_ERR_INVALID_PARAM, SBI_ERR_BAD_RANGE, SBI_ERR_FAILED];
            /// Write channel attributes from the shared memory.
            #[source = "SBI 'MPXY': Write Channel Attributes (FID #4)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            mpxy_write_attributes = (0x4D50_5859, 4) (channel_id: range(0..=u32::MAX), base_attribute_id: range(0..=u32::MAX), attribute_count: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM, SBI_ERR_INVALID_PARAM, SBI_ERR_BAD_RANGE, SBI_ERR_DENIED, SBI_ERR_FAILED];
            /// Send a message from the shared memory and wait for the response (its length in value).
            #[source = "SBI 'MPXY': Send Message with Response (FID #5)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            mpxy_send_message_with_response = (0x4D50_5859, 5) (channel_id: range(0..=u32::MAX), message_id: range(0..=u32::MAX), message_data_len: any) -> (error: range(0..=0), response_len: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM, SBI_ERR_INVALID_PARAM, SBI_ERR_TIMEOUT, SBI_ERR_IO, SBI_ERR_FAILED];
            /// Send a message without waiting for a response.
            #[source = "SBI 'MPXY': Send Message without Response (FID #6)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[disruptive]
            mpxy_send_message_without_response = (0x4D50_5859, 6) (channel_id: range(0..=u32::MAX), message_id: range(0..=u32::MAX), message_data_len: any) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM, SBI_ERR_INVALID_PARAM, SBI_ERR_TIMEOUT, SBI_ERR_IO, SBI_ERR_FAILED];
            /// Fetch a channel's pending notification events into the shared memory.
            #[source = "SBI 'MPXY': Get Notifications (FID #7)"]
            #[since = "SBI 3.0"]
            #[discoverable]
            #[stateful]
            mpxy_get_notification_events = (0x4D50_5859, 7) (channel_id: range(0..=u32::MAX)) -> (error: range(0..=0), value: any) errors [SBI_ERR_NOT_SUPPORTED, SBI_ERR_NO_SHMEM, SBI_ERR_IO, SBI_ERR_FAILED];
        },
    }
}

#[cfg(test)]
mod tests {
    use abi_spec::{Role, Unknown};

    use super::sbi_riscv64::ABI;

    /// Legacy extensions (EID <= 0x0F) return only a0 and preserve a1; every other function
    /// returns the sbiret pair (a0 error, a1 value). Everything but a0/a1 is preserved.
    #[test]
    fn sbiret_and_legacy_conventions() {
        let a0 = ABI.arch.reg("a0").unwrap();
        let a1 = ABI.arch.reg("a1").unwrap();
        for call in ABI.calls {
            let eid = call.number[0];
            assert!(
                eid <= i32::MAX as u64,
                "{}: EIDs are signed 32-bit",
                call.name
            );
            let noreturn = call.effect == abi_spec::Effect::NoReturn;
            if eid <= 0x0f {
                assert!(call.name.starts_with("legacy_"), "{}", call.name);
                assert_eq!(ABI.role_after(call, a1), Role::Preserved, "{}", call.name);
            } else if !noreturn {
                assert_eq!(call.results.len(), 2, "{}", call.name);
                assert_eq!(ABI.role_after(call, a0), Role::Result);
                assert_eq!(ABI.role_after(call, a1), Role::Result);
            }
            for reg in ABI.arch.regs() {
                if reg != a0 && reg != a1 {
                    assert_eq!(
                        ABI.role_after(call, reg),
                        Role::Preserved,
                        "{} {reg}",
                        call.name
                    );
                }
            }
        }
        assert!(matches!(ABI.unknown, Some(Unknown::Error(e)) if e.value == -2));
        assert_eq!(ABI.error("SBI_ERR_DENIED_LOCKED").unwrap().value, -14);
    }

    /// Every standard extension of SBI 3.0 is present with its FIDs 0..n, without gaps.
    #[test]
    fn every_extension_has_contiguous_fids() {
        let expected: &[(u64, u64)] = &[
            (0x10, 7),
            (0x5449_4D45, 1),
            (0x73_5049, 1),
            (0x5246_4E43, 7),
            (0x48_534D, 4),
            (0x5352_5354, 1),
            (0x50_4D55, 9),
            (0x4442_434E, 3),
            (0x5355_5350, 1),
            (0x4350_5043, 4),
            (0x4E41_434C, 5),
            (0x53_5441, 1),
            (0x53_5345, 10),
            (0x4657_4654, 2),
            (0x4442_5452, 8),
            (0x4D50_5859, 8),
        ];
        for &(eid, n) in expected {
            for fid in 0..n {
                assert!(
                    ABI.call_by_number(&[eid, fid]).is_some(),
                    "EID {eid:#x} FID {fid}"
                );
            }
            assert!(
                ABI.call_by_number(&[eid, n]).is_none(),
                "EID {eid:#x} FID {n}"
            );
        }
        assert_eq!(ABI.calls.iter().filter(|c| c.number[0] <= 0x0f).count(), 9);
    }
}
