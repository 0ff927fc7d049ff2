//! PAPR hypervisor calls (hcalls) of ppc64 "pseries" partitions: the interface of IBM's PowerVM
//! (pHyp), of KVM-HV/PR on POWER and of QEMU's `pseries` machine.
//!
//! Sources: LoPAPR ("Linux on Power Architecture Platform Reference"), chapter "The Hypervisor
//! Interface" (hcall register conventions, opcodes, return codes); Linux
//! `arch/powerpc/include/asm/hvcall.h` (opcodes, `H_*` return codes, flags) and
//! `arch/powerpc/platforms/pseries/hvCall.S` (`plpar_hcall`/`plpar_hcall9`: outputs in r4-r12);
//! QEMU `include/hw/ppc/spapr.h` and `hw/ppc/spapr_hcall.c` (what QEMU implements, and each
//! handler's outputs); QEMU `docs/specs/ppc-spapr-hcalls.txt` (the 0xf000 range).

abi_macros::hypercall_abi! {
    /// PAPR hcalls: `sc 1` with the opcode in r3 (opcodes are multiples of 4; 0xf000-0xfffc is the
    /// platform-specific range QEMU/KVM use), up to nine parameters in r4-r12. On return r3 holds
    /// the status (`H_SUCCESS` 0, positive "busy"/partial codes, negative errors) and r4-r12 the
    /// call's outputs (`plpar_hcall` reads four, `plpar_hcall9` nine).
    ///
    /// Registers: r0, r4-r12, CTR, XER and the condition register may be changed by the
    /// hypervisor (the set kvm-unit-tests and Linux's `hvCall.S`, which saves and restores CR
    /// around `HVSC`, assume); r1, r2, r13-r31 and LR are preserved. The model has a single `cr`
    /// register, so CR is clobbered as a whole. Registers r4-r12 that a call does not write keep
    /// their value on QEMU, which the clobbered role allows.
    ///
    /// Presence: every hcall belongs to a function set the platform lists in the device tree's
    /// `/rtas/ibm,hypertas-functions` ("hcall-pft", "hcall-term", "hcall-splpar", ...), so each
    /// call is discoverable; an opcode that is not implemented, or not a multiple of 4, answers
    /// `H_FUNCTION`, and a call from problem state (MSR[PR] = 1) answers `H_PRIVILEGE` (the model
    /// has one outcome for unknown opcodes). QEMU 7.2 TCG implements the calls marked "QEMU" below.
    #[source = "LoPAPR 1.1, chapter 'The Hypervisor Interface' (cited via Linux and QEMU; the register facts here are checked against hvcall.h, hvCall.S and spapr_hcall.c)"]
    #[source = "Linux arch/powerpc/include/asm/hvcall.h (H_* opcodes, H_* return codes, flags such as H_READ_4, H_ZERO_PAGE)"]
    #[source = "Linux arch/powerpc/platforms/pseries/hvCall.S (plpar_hcall, plpar_hcall9; CR saved around HVSC)"]
    #[source = "QEMU include/hw/ppc/spapr.h (H_* codes, KVMPPC_H_* 0xf000-0xf003), hw/ppc/spapr_hcall.c (spapr_hypercall, handlers)"]
    #[source = "QEMU 7.2 hw/ppc/spapr_hcall.c, spapr_hypercall() (an opcode not a multiple of 4 or without a handler answers H_FUNCTION) and its handlers (r4.. written only by hcalls that return data)"]
    pub abi papr_ppc64 ("papr-ppc64", "PAPR hypervisor calls (ppc64 pseries)") {
        arch: ppc64,
        trap: sc(1),
        number: r3,
        args: [r4, r5, r6, r7, r8, r9, r10, r11, r12],
        results: [r3, r4, r5, r6, r7, r8, r9, r10, r11, r12],
        registers: {
            r0: clobbered,
            used_args: clobbered,
            unused_args: clobbered,
            unused_results: clobbered,
            cr: clobbered,
            xer: clobbered,
            ctr: clobbered,
            others: preserved,
        },
        errors: {
            H_BUSY = 1, H_CLOSED = 2, H_NOT_AVAILABLE = 3, H_CONSTRAINED = 4, H_PARTIAL = 5,
            H_IN_PROGRESS = 14, H_PAGE_REGISTERED = 15, H_PARTIAL_STORE = 16, H_PENDING = 17,
            H_CONTINUE = 18,
            H_LONG_BUSY_ORDER_1_MSEC = 9900, H_LONG_BUSY_ORDER_10_MSEC = 9901,
            H_LONG_BUSY_ORDER_100_MSEC = 9902, H_LONG_BUSY_ORDER_1_SEC = 9903,
            H_LONG_BUSY_ORDER_10_SEC = 9904, H_LONG_BUSY_ORDER_100_SEC = 9905,
            H_HARDWARE = -1, H_FUNCTION = -2, H_PRIVILEGE = -3, H_PARAMETER = -4, H_BAD_MODE = -5,
            H_PTEG_FULL = -6, H_NOT_FOUND = -7, H_RESERVED_DABR = -8, H_NO_MEM = -9,
            H_AUTHORITY = -10, H_PERMISSION = -11, H_DROPPED = -12, H_SOURCE_PARM = -13,
            H_DEST_PARM = -14, H_REMOTE_PARM = -15, H_RESOURCE = -16, H_ADAPTER_PARM = -17,
            H_RH_PARM = -18, H_RCQ_PARM = -19, H_SCQ_PARM = -20, H_EQ_PARM = -21, H_RT_PARM = -22,
            H_ST_PARM = -23, H_SIGT_PARM = -24, H_TOKEN_PARM = -25, H_MLENGTH_PARM = -27,
            H_MEM_PARM = -28, H_MEM_ACCESS_PARM = -29, H_ATTR_PARM = -30, H_PORT_PARM = -31,
            H_MCG_PARM = -32, H_VL_PARM = -33, H_TSIZE_PARM = -34, H_TRACE_PARM = -35,
            H_MASK_PARM = -37, H_MCG_FULL = -38, H_ALIAS_EXIST = -39, H_P_COUNTER = -40,
            H_TABLE_FULL = -41, H_ALT_TABLE = -42, H_MR_CONDITION = -43,
            H_NOT_ENOUGH_RESOURCES = -44, H_R_STATE = -45, H_RESCINDED = -46,
            H_P2 = -55, H_P3 = -56, H_P4 = -57, H_P5 = -58, H_P6 = -59, H_P7 = -60, H_P8 = -61,
            H_P9 = -62, H_OVERLAP = -68, H_UNSUPPORTED_FLAG = -256,
            H_MULTI_THREADS_ACTIVE = -9005,
        },
        unknown: error(H_FUNCTION),
        revision: "LoPAPR 1.1 / Linux 6.x / QEMU 7.2",
        layout: ppc64,
        structs: {
            /// The RTAS argument buffer of `get-time-of-day`: token, nargs 0, nret 8, then the
            /// eight 32-bit return words (status, year, month, day, hour, minute, second,
            /// nanoseconds), all big-endian. The status is an RTAS status: 0 success, -1 hardware
            /// error, -2 busy, -3 parameter error (QEMU's answer to wrong nargs or nret, and to a
            /// token it does not have, with H_PARAMETER). QEMU fills the time from its RTC (`gmtime_r` of
            /// the guest's clock: POSIX time, so no leap second). The nanosecond word has no
            /// domain: QEMU writes the low 32 bits of the RTC's whole nanosecond count
            /// (`spapr_rtc_read` stores `guest_ns` into a `uint32_t`), not the nanoseconds
            /// within the second (0..=999999999) that the word means to Linux and LoPAPR, so a
            /// LoPAPR domain would fail about three reads in four on QEMU: a deviation this
            /// spec records here instead of checking.
            #[source = "QEMU include/hw/ppc/spapr.h: RTAS_OUT_SUCCESS 0, RTAS_OUT_HW_ERROR -1, RTAS_OUT_BUSY -2, RTAS_OUT_PARAM_ERROR -3; rtas_ld/rtas_st (32-bit big-endian words at ppc64_phys_to_real(addr + 4 * n)); hw/ppc/spapr_hcall.c h_rtas (token, nargs, nret at words 0-2, args from byte 12, rets after the args)"]
            #[source = "QEMU hw/ppc/spapr_rtc.c: rtas_get_time_of_day (nargs != 0 or nret != 8: rets[0] = RTAS_OUT_PARAM_ERROR; else rets[0] = 0, rets[1..7] = tm_year + 1900, tm_mon + 1, tm_mday, tm_hour, tm_min, tm_sec, ns), spapr_rtc_read (*ns = guest_ns)"]
            #[source = "Linux arch/powerpc/include/asm/rtas-types.h struct rtas_args (__be32 token, nargs, nret, args); arch/powerpc/kernel/rtas-rtc.c (get-time-of-day called with nargs 0, nret 8)"]
            rtas_get_time_of_day {
                token: u32, nargs: u32, nret: u32,
                #[out] #[domain(-3..=0)] status: i32,
                #[out] #[domain(1900..)] year: u32,
                #[out] #[domain(1..=12)] month: u32,
                #[out] #[domain(1..=31)] day: u32,
                #[out] #[domain(0..=23)] hour: u32,
                #[out] #[domain(0..=59)] minute: u32,
                #[out] #[domain(0..=59)] second: u32,
                #[out] nanoseconds: u32,
            }
        },
        calls: {
            /// Invalidate a hashed page-table entry; r4/r5 return its old high and low words.
            /// QEMU (hcall-pft).
            #[source = "hvcall.h H_REMOVE 0x04; spapr_hcall.c h_remove"]
            #[discoverable]
            #[disruptive]
            h_remove = 0x04 (flags: any, ptex: any, avpn: any) -> (status: range(0..=0), old_pteh: any, old_ptel: any) errors [H_NOT_FOUND, H_PARAMETER, H_HARDWARE];
            /// Insert a hashed page-table entry; r4 returns the slot used. QEMU (hcall-pft).
            #[source = "hvcall.h H_ENTER 0x08; spapr_hcall.c h_enter"]
            #[discoverable]
            #[disruptive]
            h_enter = 0x08 (flags: any, ptex: any, pteh: any, ptel: any) -> (status: range(0..=0), slot: any) errors [H_PARAMETER, H_PTEG_FULL, H_HARDWARE];
            /// Read one page-table entry (two words in r4, r5), or four (r4-r11) with H_READ_4.
            /// QEMU (hcall-pft).
            #[source = "hvcall.h H_READ 0x0c, H_READ_4; spapr_hcall.c h_read"]
            #[discoverable]
            h_read = 0x0c (flags: any, ptex: any) -> (status: range(0..=0), pteh0: any, ptel0: any, pteh1: any, ptel1: any, pteh2: any, ptel2: any, pteh3: any, ptel3: any) errors [H_PARAMETER, H_HARDWARE];
            /// Clear the changed bit of a page-table entry; r4 returns the old low word.
            #[source = "hvcall.h H_CLEAR_MOD 0x10 (not implemented by QEMU)"]
            #[discoverable]
            #[disruptive]
            h_clear_mod = 0x10 (flags: any, ptex: any) -> (status: range(0..=0), old_ptel: any) errors [H_NOT_FOUND, H_PARAMETER];
            /// Clear the referenced bit of a page-table entry; r4 returns the old low word.
            #[source = "hvcall.h H_CLEAR_REF 0x14 (not implemented by QEMU)"]
            #[discoverable]
            #[disruptive]
            h_clear_ref = 0x14 (flags: any, ptex: any) -> (status: range(0..=0), old_ptel: any) errors [H_NOT_FOUND, H_PARAMETER];
            /// Change the protection of a page-table entry. QEMU (hcall-pft).
            #[source = "hvcall.h H_PROTECT 0x18; spapr_hcall.c h_protect"]
            #[discoverable]
            #[disruptive]
            h_protect = 0x18 (flags: any, ptex: any, avpn: any) -> (status: range(0..=0)) errors [H_NOT_FOUND, H_PARAMETER];
            /// Read a TCE (DMA translation entry) of a logical I/O bus; r4 returns it. QEMU
            /// (hcall-tce).
            #[source = "hvcall.h H_GET_TCE 0x1c; QEMU hw/ppc/spapr_iommu.c h_get_tce"]
            #[discoverable]
            h_get_tce = 0x1c (liobn: range(0..=u32::MAX), ioba: any) -> (status: range(0..=0), tce: any) errors [H_PARAMETER];
            /// Write a TCE: changes what a device may DMA to. QEMU (hcall-tce).
            #[source = "hvcall.h H_PUT_TCE 0x20; QEMU hw/ppc/spapr_iommu.c h_put_tce"]
            #[discoverable]
            #[disruptive]
            h_put_tce = 0x20 (liobn: range(0..=u32::MAX), ioba: any, tce: any) -> (status: range(0..=0)) errors [H_PARAMETER, H_HARDWARE];
            /// Set SPRG0 (a supervisor scratch register the harness does not use). QEMU
            /// (hcall-sprg0).
            #[source = "hvcall.h H_SET_SPRG0 0x24; spapr_hcall.c h_set_sprg0"]
            #[discoverable]
            #[stateful]
            h_set_sprg0 = 0x24 (value: any) -> (status: range(0..=0));
            /// Set the data address breakpoint register: an arbitrary value arms a breakpoint.
            /// QEMU (hcall-dabr).
            #[source = "hvcall.h H_SET_DABR 0x28; spapr_hcall.c h_set_dabr"]
            #[discoverable]
            #[disruptive]
            h_set_dabr = 0x28 (dabr: any) -> (status: range(0..=0)) errors [H_HARDWARE, H_RESERVED_DABR, H_PARAMETER];
            /// Zero or copy a 4 KiB page and/or synchronise the instruction cache for it.
            /// QEMU (hcall-copy). Not modelled with a struct: it writes a whole 4 KiB page,
            /// past the plan's 255-byte struct window.
            #[source = "hvcall.h H_PAGE_INIT 0x2c, H_ICACHE_INVALIDATE, H_ICACHE_SYNCHRONIZE, H_ZERO_PAGE, H_COPY_PAGE; spapr_hcall.c h_page_init"]
            #[discoverable]
            #[disruptive]
            h_page_init = 0x2c (flags: bits((1 << (63 - 40)) | (1 << (63 - 41)) | (1 << (63 - 48)) | (1 << (63 - 49))), dest: ptr(align = 4096), src: ptr(align = 4096, nullable)) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Set the address-space register (segment-table machines).
            #[source = "hvcall.h H_SET_ASR 0x30 (not implemented by QEMU)"]
            #[discoverable]
            #[disruptive]
            h_set_asr = 0x30 (value: any) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Turn address-space-register translation on.
            #[source = "hvcall.h H_ASR_ON 0x34 (not implemented by QEMU)"]
            #[discoverable]
            #[disruptive]
            h_asr_on = 0x34 () -> (status: range(0..=0)) errors [H_HARDWARE];
            /// Turn address-space-register translation off.
            #[source = "hvcall.h H_ASR_OFF 0x38 (not implemented by QEMU)"]
            #[discoverable]
            #[disruptive]
            h_asr_off = 0x38 () -> (status: range(0..=0)) errors [H_HARDWARE];
            /// Cache-inhibited load of 1, 2, 4 or 8 bytes from a logical address; r4 returns it.
            /// QEMU (hcall-debug).
            #[source = "hvcall.h H_LOGICAL_CI_LOAD 0x3c; spapr_hcall.c h_logical_load"]
            #[discoverable]
            h_logical_ci_load = 0x3c (size: enum { BYTE = 1, HALF = 2, WORD = 4, DOUBLE = 8 }, addr: ptr(align = 8)) -> (status: range(0..=0), value: any) errors [H_PARAMETER];
            /// Cache-inhibited store of 1, 2, 4 or 8 bytes to a logical address. QEMU.
            #[source = "hvcall.h H_LOGICAL_CI_STORE 0x40; spapr_hcall.c h_logical_store"]
            #[discoverable]
            #[stateful]
            h_logical_ci_store = 0x40 (size: enum { BYTE = 1, HALF = 2, WORD = 4, DOUBLE = 8 }, addr: ptr(align = 8), value: any) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Cacheable load; QEMU serves it like H_LOGICAL_CI_LOAD.
            #[source = "hvcall.h H_LOGICAL_CACHE_LOAD 0x44; spapr_hcall.c (h_logical_load)"]
            #[discoverable]
            h_logical_cache_load = 0x44 (size: enum { BYTE = 1, HALF = 2, WORD = 4, DOUBLE = 8 }, addr: ptr(align = 8)) -> (status: range(0..=0), value: any) errors [H_PARAMETER];
            /// Cacheable store; QEMU serves it like H_LOGICAL_CI_STORE.
            #[source = "hvcall.h H_LOGICAL_CACHE_STORE 0x48; spapr_hcall.c (h_logical_store)"]
            #[discoverable]
            #[stateful]
            h_logical_cache_store = 0x48 (size: enum { BYTE = 1, HALF = 2, WORD = 4, DOUBLE = 8 }, addr: ptr(align = 8), value: any) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Instruction-cache block invalidate at a logical address (a no-op in QEMU).
            #[source = "hvcall.h H_LOGICAL_ICBI 0x4c; spapr_hcall.c h_logical_icbi"]
            #[discoverable]
            h_logical_icbi = 0x4c (addr: ptr) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Data-cache block flush at a logical address (a no-op in QEMU).
            #[source = "hvcall.h H_LOGICAL_DCBF 0x50; spapr_hcall.c h_logical_dcbf"]
            #[discoverable]
            h_logical_dcbf = 0x50 (addr: ptr) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Read up to 16 characters from a virtual terminal: r4 = count, r5/r6 = the bytes.
            /// QEMU (hcall-term, hw/ppc/spapr_vio / spapr_vty); consumes console input.
            #[source = "hvcall.h H_GET_TERM_CHAR 0x54; QEMU hw/char/spapr_vty.c h_get_term_char"]
            #[discoverable]
            #[stateful]
            h_get_term_char = 0x54 (termno: range(0..=u32::MAX)) -> (status: range(0..=0), len: range(0..=16), chars0: any, chars1: any) errors [H_PARAMETER];
            /// Write up to 16 characters (r6/r7, big-endian) to a virtual terminal. QEMU
            /// (the default vty is unit 0x71000000).
            #[source = "hvcall.h H_PUT_TERM_CHAR 0x58; QEMU hw/char/spapr_vty.c h_put_term_char"]
            #[discoverable]
            #[stateful]
            h_put_term_char = 0x58 (termno: range(0..=u32::MAX), len: range(0..=16), chars0: any, chars1: any) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Register or deregister the VPA, DTL or SLB-shadow area of a processor. QEMU
            /// (hcall-splpar). Not modelled with a struct: QEMU refuses a VPA whose size field
            /// (the 16-bit word at offset 4) is under 640 bytes (`VPA_MIN_SIZE`), past the plan's
            /// 255-byte window, and a registration lasts: QEMU keeps the address and later
            /// writes into the area itself (its shared-processor byte at 0x9 at registration,
            /// the dispatch counter at 0x100 as the vCPU runs).
            #[source = "hvcall.h H_REGISTER_VPA 0xdc; spapr_hcall.c h_register_vpa (flags values), register_vpa (size at vpa + 4 < VPA_MIN_SIZE: H_PARAMETER; sets VPA_SHARED_PROC_OFFSET 0x9); include/hw/ppc/spapr.h VPA_MIN_SIZE 640, VPA_DISPATCH_COUNTER 0x100"]
            #[discoverable]
            #[disruptive]
            h_register_vpa = 0xdc (flags: enum {
                REGISTER_VPA = 0x0000_2000_0000_0000, REGISTER_DTL = 0x0000_4000_0000_0000,
                REGISTER_SLBSHADOW = 0x0000_6000_0000_0000, DEREGISTER_VPA = 0x0000_a000_0000_0000,
                DEREGISTER_DTL = 0x0000_c000_0000_0000, DEREGISTER_SLBSHADOW = 0x0000_e000_0000_0000,
            }, procno: range(0..=u32::MAX), addr: ptr(align = 128, nullable)) -> (status: range(0..=0)) errors [H_PARAMETER, H_HARDWARE, H_RESOURCE];
            /// Cede the processor until an interrupt arrives (sets MSR[EE]). QEMU.
            #[source = "hvcall.h H_CEDE 0xe0; spapr_hcall.c h_cede"]
            #[discoverable]
            #[disruptive]
            h_cede = 0xe0 () -> (status: range(0..=0));
            /// Give the rest of this dispatch to another virtual processor (-1: any). QEMU.
            #[source = "hvcall.h H_CONFER 0xe4; QEMU spapr_hcall.c h_confer"]
            #[discoverable]
            #[disruptive]
            h_confer = 0xe4 (target: any, dispatch_count: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Wake a ceded virtual processor. QEMU.
            #[source = "hvcall.h H_PROD 0xe8; QEMU spapr_hcall.c h_prod"]
            #[discoverable]
            #[disruptive]
            h_prod = 0xe8 (target: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Partition performance parameters: r4 entitled capacity, r5 unallocated capacity,
            /// r6 aggregation (group and pool numbers), r7 resource capability (pHyp; not QEMU).
            #[source = "hvcall.h H_GET_PPP 0xec; Linux arch/powerpc/platforms/pseries/lparcfg.c (plpar_hcall9 H_GET_PPP outputs)"]
            #[discoverable]
            h_get_ppp = 0xec () -> (status: range(0..=0), entitled: any, unallocated: any, aggregation: any, resource: any);
            /// Set the partition's entitled capacity and variable-capacity weight (pHyp).
            #[source = "hvcall.h H_SET_PPP 0xf0; Linux lparcfg.c"]
            #[discoverable]
            #[disruptive]
            h_set_ppp = 0xf0 (entitled: any, weight: range(0..=255)) -> (status: range(0..=0)) errors [H_PARAMETER, H_CONSTRAINED];
            /// The Processor Utilisation of Resources Register of this thread in r4 (pHyp).
            #[source = "hvcall.h H_PURR 0xf4"]
            #[discoverable]
            h_purr = 0xf4 () -> (status: range(0..=0), purr: any);
            /// Pool idle time (r4) and number of processors in the pool (r5) (pHyp).
            #[source = "hvcall.h H_PIC 0xf8; Linux lparcfg.c"]
            #[discoverable]
            h_pic = 0xf8 () -> (status: range(0..=0), pool_idle_time: any, pool_procs: any) errors [H_AUTHORITY];
            /// Register a command/response queue for a virtual I/O adapter. QEMU (hcall-vio).
            #[source = "hvcall.h H_REG_CRQ 0xfc; QEMU hw/ppc/spapr_vio.c h_reg_crq"]
            #[discoverable]
            #[disruptive]
            h_reg_crq = 0xfc (unit: range(0..=u32::MAX), queue: ptr(align = 4096), len: any) -> (status: range(0..=0)) errors [H_PARAMETER, H_RESOURCE];
            /// Free a command/response queue. QEMU.
            #[source = "hvcall.h H_FREE_CRQ 0x100; QEMU spapr_vio.c h_free_crq"]
            #[discoverable]
            #[disruptive]
            h_free_crq = 0x100 (unit: range(0..=u32::MAX)) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Enable or disable a virtual I/O adapter's interrupts. QEMU.
            #[source = "hvcall.h H_VIO_SIGNAL 0x104; QEMU spapr_vio.c h_vio_signal"]
            #[discoverable]
            #[disruptive]
            h_vio_signal = 0x104 (unit: range(0..=u32::MAX), mode: any) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// Send a 16-byte CRQ message (r5, r6) to a virtual adapter's partner. QEMU.
            #[source = "hvcall.h H_SEND_CRQ 0x108; QEMU spapr_vio.c h_send_crq"]
            #[discoverable]
            #[disruptive]
            h_send_crq = 0x108 (unit: range(0..=u32::MAX), msg_hi: any, msg_lo: any) -> (status: range(0..=0)) errors [H_PARAMETER, H_CLOSED, H_DROPPED];
            /// Copy between two partners' DMA windows (pHyp virtual SCSI/Ethernet servers).
            #[source = "hvcall.h H_COPY_RDMA 0x110"]
            #[discoverable]
            #[disruptive]
            h_copy_rdma = 0x110 (len: any, src_liobn: range(0..=u32::MAX), src_ioba: any, dst_liobn: range(0..=u32::MAX), dst_ioba: any) -> (status: range(0..=0)) errors [H_PARAMETER, H_PERMISSION, H_SOURCE_PARM, H_DEST_PARM];
            /// Remove up to four page-table entries in one call (r4-r11 in, r4.. updated). QEMU.
            #[source = "hvcall.h H_BULK_REMOVE 0x124; spapr_hcall.c h_bulk_remove"]
            #[discoverable]
            #[disruptive]
            h_bulk_remove = 0x124 (tsh0: any, tsl0: any, tsh1: any, tsl1: any, tsh2: any, tsl2: any, tsh3: any, tsl3: any) -> (status: range(0..=0), rsp0: any, rsl0: any, rsp1: any, rsl1: any, rsp2: any, rsl2: any, rsp3: any, rsl3: any) errors [H_PARAMETER, H_HARDWARE];
            /// Set the data breakpoint and its extension register. QEMU.
            #[source = "hvcall.h H_SET_XDABR 0x134, H_DABRX_*; spapr_hcall.c h_set_xdabr"]
            #[discoverable]
            #[disruptive]
            h_set_xdabr = 0x134 (dabr: any, dabrx: bits(0x7)) -> (status: range(0..=0)) errors [H_HARDWARE, H_PARAMETER];
            /// Spectre/Meltdown mitigation characteristics (r4) and recommended behaviour (r5), IBM
            /// bit numbering. QEMU.
            #[source = "hvcall.h H_GET_CPU_CHARACTERISTICS 0x1c8, H_CPU_CHAR_*, H_CPU_BEHAV_*; spapr_hcall.c h_get_cpu_characteristics"]
            #[discoverable]
            #[stable]
            h_get_cpu_characteristics = 0x1c8 () -> (status: range(0..=0), characteristics: any, behaviour: any);
            /// Home-node associativity of a virtual processor (flags 1: by procno): six domain
            /// words in r4-r9. QEMU.
            #[source = "hvcall.h H_HOME_NODE_ASSOCIATIVITY 0x2ec; spapr_hcall.c h_home_node_associativity"]
            #[discoverable]
            #[stable]
            h_home_node_associativity = 0x2ec (flags: enum { BY_PROCNO = 1 }, procno: range(0..=u32::MAX)) -> (status: range(0..=0), assoc0: any, assoc1: any, assoc2: any, assoc3: any, assoc4: any, assoc5: any) errors [H_FUNCTION, H_P2];
            /// A random 64-bit number in r4. QEMU only with an `spapr-rng` device (else H_FUNCTION).
            #[source = "hvcall.h H_RANDOM 0x300; QEMU hw/ppc/spapr_rng.c h_random"]
            #[discoverable]
            h_random = 0x300 () -> (status: range(0..=0), value: any) errors [H_HARDWARE];
            /// Set a processor mode resource: 1 CIABR, 2 DAWR, 3 address-translation mode (AIL),
            /// 4 interrupt endianness. QEMU (resources 3 and 4).
            #[source = "hvcall.h H_SET_MODE 0x31c, H_SET_MODE_RESOURCE_*; spapr_hcall.c h_set_mode"]
            #[discoverable]
            #[disruptive]
            h_set_mode = 0x31c (mflags: any, resource: enum { SET_CIABR = 1, SET_DAWR = 2, ADDR_TRANS_MODE = 3, LE = 4 }, value1: any, value2: any) -> (status: range(0..=0)) errors [H_P2, H_P3, H_P4, H_UNSUPPORTED_FLAG];
            /// Prepare a resized hashed page table (shift 18-46, 0 cancels). QEMU.
            #[source = "hvcall.h H_RESIZE_HPT_PREPARE 0x36c; spapr_hcall.c h_resize_hpt_prepare"]
            #[discoverable]
            #[disruptive]
            h_resize_hpt_prepare = 0x36c (flags: mbz, shift: range(0..=46)) -> (status: range(0..=0)) errors [H_AUTHORITY, H_NOT_AVAILABLE, H_PARAMETER, H_RESOURCE, H_NO_MEM, H_HARDWARE, H_LONG_BUSY_ORDER_100_MSEC];
            /// Switch to the prepared hashed page table. QEMU.
            #[source = "hvcall.h H_RESIZE_HPT_COMMIT 0x370; spapr_hcall.c h_resize_hpt_commit"]
            #[discoverable]
            #[disruptive]
            h_resize_hpt_commit = 0x370 (flags: mbz, shift: range(0..=46)) -> (status: range(0..=0)) errors [H_AUTHORITY, H_NOT_AVAILABLE, H_PARAMETER, H_CLOSED, H_BUSY, H_HARDWARE];
            /// Invalidate SLB entries (in-memory-table MMU); QEMU answers H_FUNCTION.
            #[source = "hvcall.h H_CLEAN_SLB 0x374; spapr_hcall.c h_clean_slb"]
            #[discoverable]
            #[disruptive]
            h_clean_slb = 0x374 (flags: any) -> (status: range(0..=0)) errors [H_FUNCTION, H_PARAMETER];
            /// Invalidate translations of a process ID; QEMU answers H_FUNCTION.
            #[source = "hvcall.h H_INVALIDATE_PID 0x378; spapr_hcall.c h_invalidate_pid"]
            #[discoverable]
            #[disruptive]
            h_invalidate_pid = 0x378 (flags: any, pid: any) -> (status: range(0..=0)) errors [H_FUNCTION, H_PARAMETER];
            /// Register the process table (radix or hash with process tables). QEMU.
            #[source = "hvcall.h H_REGISTER_PROC_TBL 0x37c; spapr_hcall.c h_register_process_table"]
            #[discoverable]
            #[disruptive]
            h_register_proc_tbl = 0x37c (flags: bits(0x1f), proc_tbl: any, page_size: any, table_size: range(0..=24)) -> (status: range(0..=0)) errors [H_PARAMETER, H_P2, H_P3, H_P4];
            /// Deliver a system-reset interrupt to a processor (-1 all, -2 all but self). QEMU.
            #[source = "hvcall.h H_SIGNAL_SYS_RESET 0x380; spapr_hcall.c h_signal_sys_reset"]
            #[discoverable]
            #[disruptive]
            h_signal_sys_reset = 0x380 (target: range(-2..=u32::MAX)) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// QEMU/KVM private: run the RTAS call whose argument buffer is at r4 (big-endian
            /// words: token, nargs, nret, the nargs arguments, the nret return words); RTAS can
            /// power off or reboot the machine, so the call as a whole is disruptive and only
            /// `get-time-of-day` runs. QEMU numbers its RTAS tokens itself, 0x2000 up
            /// (`RTAS_TOKEN_BASE`), the same in 7.2 and 10.0; a guest finds them in the device
            /// tree's `/rtas` node, and the plan uses QEMU's fixed numbers. QEMU answers
            /// H_SUCCESS for a token it has (the RTAS status goes in return word 0) and
            /// H_PARAMETER, return word 0 = -3, for one it has not.
            ///
            /// The plan presets `nargs` and `nret` once for the whole family (0 and 8), so the
            /// other query tokens (`query-cpu-stopped-state`, nargs 1 nret 2;
            /// `ibm,get-system-parameter`, which writes a second buffer whose address is an
            /// argument) are not listed. No unmapped-buffer case: QEMU clears the top four
            /// address bits (`ppc64_phys_to_real`), so the plan's unmapped address 1 << 63
            /// becomes guest address 0, whose words QEMU would read as the token and write
            /// return word 0 into.
            #[source = "QEMU docs/specs/ppc-spapr-hcalls.txt 'H_RTAS (0xf000)'; Linux hvcall.h H_RTAS 0xf000"]
            #[source = "QEMU hw/ppc/spapr_hcall.c h_rtas; hw/ppc/spapr_rtas.c spapr_rtas_call (a registered token in RTAS_TOKEN_BASE..RTAS_TOKEN_MAX: H_SUCCESS; token 0xa: display-character; else rets[0] = RTAS_OUT_PARAM_ERROR and H_PARAMETER)"]
            #[source = "QEMU include/hw/ppc/spapr.h: RTAS_TOKEN_BASE 0x2000, RTAS_GET_TIME_OF_DAY + 0x01, RTAS_SET_TIME_OF_DAY + 0x02, RTAS_POWER_OFF + 0x03, RTAS_SYSTEM_REBOOT + 0x04; ppc64_phys_to_real (addr & ~0xF000000000000000)"]
            #[discoverable]
            #[disruptive]
            #[selector_field(token)]
            #[fixed(nargs = 0, nret = 8)]
            #[unknown_subop(H_PARAMETER)]
            h_rtas = 0xf000 (params: ptr {
                /// The time of day from the partition's RTC, into the return words.
                #[query]
                #[param(rtas_get_time_of_day)]
                #[source = "QEMU hw/ppc/spapr_rtc.c: spapr_rtas_register(RTAS_GET_TIME_OF_DAY, \"get-time-of-day\", ..)"]
                RTAS_GET_TIME_OF_DAY = 0x2001,
                /// Set the RTC (a lasting change of the partition's clock).
                RTAS_SET_TIME_OF_DAY = 0x2002,
                /// Power the machine off.
                RTAS_POWER_OFF = 0x2003,
                /// Reset the machine.
                RTAS_SYSTEM_REBOOT = 0x2004,
            }) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// QEMU/KVM private: copy (op 0) or invert-copy (op 1) `count` elements of 1 << esize
            /// bytes between logical addresses, in real mode. Not modelled with a struct: it
            /// takes two guest addresses, and a call's struct goes with exactly one pointer.
            #[source = "QEMU docs/specs/ppc-spapr-hcalls.txt 'H_LOGICAL_MEMOP (0xf001)'; spapr_hcall.c h_logical_memop"]
            #[discoverable]
            #[disruptive]
            h_logical_memop = 0xf001 (dst: ptr, src: ptr, esize: range(0..=3), count: range(0..=0x8000_0000), op: enum { COPY = 0, INVERT = 1 }) -> (status: range(0..=0)) errors [H_PARAMETER];
            /// QEMU private: ibm,client-architecture-support negotiation (r4 = buffer, r5/r6 =
            /// where the updated device tree goes); may reset the machine.
            #[source = "QEMU include/hw/ppc/spapr.h KVMPPC_H_CAS 0xf002; spapr_hcall.c h_client_architecture_support"]
            #[discoverable]
            #[disruptive]
            h_cas = 0xf002 (buffer: ptr, dt: ptr, dt_size: any) -> (status: range(0..=0)) errors [H_HARDWARE];
            /// QEMU private: hand QEMU the guest's updated flattened device tree.
            #[source = "QEMU include/hw/ppc/spapr.h KVMPPC_H_UPDATE_DT 0xf003; spapr_hcall.c h_update_dt"]
            #[discoverable]
            #[disruptive]
            h_update_dt = 0xf003 (dt: ptr(align = 8)) -> (status: range(0..=0)) errors [H_PARAMETER];
        },
    }
}

#[cfg(test)]
mod tests {
    use abi_spec::{Role, Unknown};

    use super::papr_ppc64::ABI;

    /// Architected opcodes are multiples of 4 below 0xf000; QEMU/KVM's private ones sit in
    /// 0xf000-0xf003.
    #[test]
    fn opcodes_are_multiples_of_four_or_platform_specific() {
        for call in ABI.calls {
            let op = call.primary_number();
            if op >= 0xf000 {
                assert!(op <= 0xf003, "{} {op:#x}", call.name);
            } else {
                assert_eq!(op % 4, 0, "{} {op:#x}", call.name);
            }
        }
        assert_eq!(ABI.call("h_rtas").unwrap().primary_number(), 0xf000);
        assert_eq!(ABI.call("h_put_term_char").unwrap().primary_number(), 0x58);
        assert!(
            matches!(ABI.unknown, Some(Unknown::Error(e)) if e.name == "H_FUNCTION" && e.value == -2)
        );
    }

    /// r3 is always the status; outputs are exactly the registers a call declares; lr and the
    /// non-volatile GPRs survive; r0, ctr, xer may change.
    #[test]
    fn register_roles() {
        for call in ABI.calls {
            let r = |n: &str| ABI.role_after(call, ABI.arch.reg(n).unwrap());
            if !call.results.is_empty() {
                assert_eq!(r("r3"), Role::Result, "{}", call.name);
            }
            for n in ["r1", "r2", "r13", "r14", "r31", "lr"] {
                assert_eq!(r(n), Role::Preserved, "{} {n}", call.name);
            }
            for n in ["r0", "ctr", "xer", "cr"] {
                assert_eq!(r(n), Role::MayClobber, "{} {n}", call.name);
            }
        }
        let read = ABI.call("h_read").unwrap();
        assert_eq!(read.results.len(), 9);
        assert_eq!(read.results[8].reg.name(), "r11");
    }
}
