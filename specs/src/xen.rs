//! Xen hypercall ABIs: one family, one hypercall table, one errno table.
//!
//! Xen has a single list of hypercall numbers (`xen/include/public/xen.h`, `__HYPERVISOR_*`) and a
//! single table saying which of them each kind of guest may issue (`xen/include/hypercall-defs.c`,
//! the `table:` with columns pv32, pv64, hvm32, hvm64 and arm). The family mirrors that table:
//!
//! | ABI | guest | transfer | hypercall-defs.c column |
//! |---|---|---|---|
//! | `xen-x86_64` | 64-bit x86 (PV or HVM) | `call hypercall_page + nr*32` | pv64 |
//! | `xen-x86_64-syscall` | 64-bit PV | `syscall` | pv64 |
//! | `xen-x86_64-hvm-vmcall` | 64-bit HVM/PVH, Intel | `vmcall` | hvm64 |
//! | `xen-x86_64-hvm-vmmcall` | 64-bit HVM/PVH, AMD | `vmmcall` | hvm64 |
//! | `xen-x86_64-hvm` | 64-bit HVM/PVH | `call hypercall_page + nr*32` (page from the CPUID MSR) | hvm64 |
//! | `xen-x86` | 32-bit x86 (PV or HVM) | `call hypercall_page + nr*32` | pv32 |
//! | `xen-x86-int82` | 32-bit PV | `int $0x82` | pv32 |
//! | `xen-x86-hvm-vmcall` | 32-bit HVM, Intel | `vmcall` | hvm32 |
//! | `xen-x86-hvm-vmmcall` | 32-bit HVM, AMD | `vmmcall` | hvm32 |
//! | `xen-x86-hvm` | 32-bit HVM/PVH code | `call hypercall_page + nr*32` (page from the CPUID MSR) | hvm32 |
//! | `xen-arm64` | arm64 | `hvc #0xEA1` | arm |
//! | `xen-arm32` | arm32 | `hvc #0xEA1` | arm |
//!
//! `xen-x86_64` is the base: it declares every hypercall number and the errno table once; every
//! other ABI derives from it, drops the calls its column lacks (`without`) and restates the calls
//! whose signature or behaviour differs there (the 32-bit compat signatures, the HVM and Arm
//! sub-op subsets, the Arm `dep` stubs).
//!
//! The facts are those of Xen 4.17 (the version Debian ships and the targets run). Later changes
//! are noted on the calls they touch.
//!
//! Effects: the planner sends random arguments to every call that is neither `disruptive` nor
//! `noreturn`, on a real Xen where the test guest is dom0. Everything that can change the guest's
//! page tables, traps, callbacks, vCPUs, memory, grants, event channels, interrupts, other domains
//! or the machine is therefore `disruptive`; the runnable calls are `xen_version` and `get_debugreg`
//! (queries), `console_io`, `set_timer_op`, `vm_assist` and `hypfs_op` (harmless state), and the
//! numbers that only answer `-ENOSYS` (`tmem_op`, the Arm `dep` stubs).

abi_macros::hypercall_abi! {
    /// Xen hypercalls from 64-bit x86 guests through the hypercall page: `call hypercall_page +
    /// nr*32`. Number in rax, arguments in rdi, rsi, rdx, r10, r8 (the seed lists r9 as a sixth;
    /// no hypercall takes one and Xen never reads r9), result in rax. The argument registers a
    /// call uses are clobbered: a debug Xen writes 0xdeadbeefdeadf00d into them, except when the
    /// result is -ENOSYS or the call was preempted. Everything else, flags included, survives.
    ///
    /// Xen writes the page into a guest frame (the `XEN_ELFNOTE_HYPERCALL_PAGE` note at PV boot,
    /// or the MSR named by CPUID leaf 0x40000x02 for HVM). For a PV guest each stub is `push %rcx;
    /// push %r11; mov $nr,%eax; syscall; pop %r11; pop %rcx; ret` (so rcx and r11 survive the page
    /// and callers must leave the stub the stack); for HVM it is `mov $nr,%eax; vmcall; ret`
    /// (`vmmcall` on AMD). The call list is the pv64 column; an HVM guest using the page gets the
    /// hvm64 subset (see `xen-x86_64-hvm-vmcall`) and -ENOSYS for the rest. Hypercalls are only
    /// for guest-kernel code: an HVM guest at CPL != 0 gets -EPERM for every call.
    #[source = "seed 002: Xen docs/guest-guide/x86/hypercall-abi.rst, 'Registers', 'Parameters', 'Hypercall Page' (x86)"]
    #[source = "xen/include/public/arch-x86/xen-x86_64.h, 'Hypercall interface' (arguments 1-5, output %rax, 'Clobbered: argument registers')"]
    #[source = "xen/arch/x86/pv/hypercall.c: pv_ring3_init_hypercall_page (PV stubs), _pv_hypercall (rdi..r8 read, clobber_regs in debug builds)"]
    #[source = "xen/include/public/xen.h: __HYPERVISOR_* (hypercall numbers, all arches)"]
    #[source = "xen/include/hypercall-defs.c: prototypes (argument counts) and the 'table:' (pv32 pv64 hvm32 hvm64 arm columns)"]
    #[source = "xen/include/public/errno.h: XEN_ERRNO table (all arches)"]
    pub abi xen_x86_64 ("xen-x86_64", "Xen on x86, 64-bit guests (hypercall page)") {
        arch: x86_64,
        trap: page(32),
        number: rax,
        args: [rdi, rsi, rdx, r10, r8, r9],
        results: [rax],
        registers: {
            used_args: clobbered,
            others: preserved,
        },
        // xen/include/public/errno.h, negated as every hypercall returns them. The aliases
        // EWOULDBLOCK (= EAGAIN) and EDEADLOCK (= EDEADLK) share their values and are left out;
        // ERESTART never reaches a guest (Xen turns it into a continuation).
        errors: {
            EPERM = -1, ENOENT = -2, ESRCH = -3, EINTR = -4, EIO = -5, ENXIO = -6, E2BIG = -7,
            ENOEXEC = -8, EBADF = -9, ECHILD = -10, EAGAIN = -11, ENOMEM = -12, EACCES = -13,
            EFAULT = -14, EBUSY = -16, EEXIST = -17, EXDEV = -18, ENODEV = -19, ENOTDIR = -20,
            EISDIR = -21, EINVAL = -22, ENFILE = -23, EMFILE = -24, ENOSPC = -28, EROFS = -30,
            EMLINK = -31, EDOM = -33, ERANGE = -34, EDEADLK = -35, ENAMETOOLONG = -36,
            ENOLCK = -37, ENOSYS = -38, ENOTEMPTY = -39, ENODATA = -61, ETIME = -62,
            EBADMSG = -74, EOVERFLOW = -75, EILSEQ = -84, ERESTART = -85, ENOTSOCK = -88,
            EMSGSIZE = -90, EOPNOTSUPP = -95, EADDRINUSE = -98, EADDRNOTAVAIL = -99,
            ENOBUFS = -105, EISCONN = -106, ENOTCONN = -107, ETIMEDOUT = -110,
            ECONNREFUSED = -111,
        },
        unknown: error(ENOSYS),
        layout: lp64,
        // Parameter structs, transcribed field by field from Xen 4.17's public headers (`domid_t`
        // is u16, `evtchn_port_t` u32, `xen_ulong_t` the layout's long). Unions are the array of
        // their widest member's units.
        structs: {
            /// The domain a memory query is about (`domid_t`, may be DOMID_SELF).
            #[source = "xen/include/public/memory.h: struct xen_memory_domain"]
            xen_memory_domain { domid: u16 }
            /// Where the machine-to-phys table is mapped (x86 PV).
            #[source = "xen/include/public/memory.h: struct xen_machphys_mapping"]
            xen_machphys_mapping { #[out] v_start: ulong, #[out] v_end: ulong, #[out] max_mfn: ulong }
            /// A domain's grant-table size.
            #[source = "xen/include/public/grant_table.h: struct gnttab_query_size"]
            gnttab_query_size { dom: u16, #[out] nr_frames: u32, #[out] max_nr_frames: u32, #[out] status: i16 }
            /// A domain's grant-table version.
            #[source = "xen/include/public/grant_table.h: struct gnttab_get_version"]
            gnttab_get_version { dom: u16, #[reserved] pad: u16, #[out] #[domain(1..=2)] version: u32 }
            /// The state of an event channel (`EVTCHNSTAT_closed` 0 to `EVTCHNSTAT_ipi` 5); `u`
            /// is the union of `unbound`, `interdomain`, `pirq` and `virq` (8 bytes, 4-aligned),
            /// written only for a bound port.
            #[source = "xen/include/public/event_channel.h: struct evtchn_status, EVTCHNSTAT_*"]
            #[source = "xen/common/event_channel.c: evtchn_status (u left alone for ECS_FREE and ECS_RESERVED)"]
            evtchn_status { dom: u16, port: u32, #[out] #[domain(0..=5)] status: u32, #[out] vcpu: u32, #[maybe_out] u: [u32; 2] }
            /// A vCPU's run state (`RUNSTATE_running` 0 to `RUNSTATE_offline` 3) and the time
            /// spent in each.
            #[source = "xen/include/public/vcpu.h: struct vcpu_runstate_info, RUNSTATE_*"]
            vcpu_runstate_info { #[out] #[domain(0..=3)] state: i32, #[out] state_entry_time: u64, #[out] time: [u64; 4] }
            /// An HVM parameter of a domain.
            #[source = "xen/include/public/hvm/hvm_op.h: struct xen_hvm_param"]
            xen_hvm_param { domid: u16, #[reserved] pad: u16, index: u32, #[in_out] value: u64 }
            /// `xen_sysctl` selecting `XEN_SYSCTL_physinfo`: the header (`cmd`, then
            /// `interface_version`, both read by Xen) and `u.physinfo`; `u` is a 128-byte union,
            /// physinfo 112 bytes of it, so 16 bytes of the union follow. Xen copies the whole
            /// struct in and back out and zeroes physinfo (its `pad` too) before filling it.
            #[source = "xen/include/public/sysctl.h: struct xen_sysctl (cmd, interface_version, union u { ..; uint8_t pad[128]; }), struct xen_sysctl_physinfo (Xen 4.17)"]
            #[source = "xen/common/sysctl.c: do_sysctl, case XEN_SYSCTL_physinfo (memset of u.physinfo, copy_to_guest of the whole op)"]
            xen_sysctl_with_physinfo {
                cmd: u32, interface_version: u32,
                #[out] #[domain(1..)] threads_per_core: u32, #[out] #[domain(1..)] cores_per_socket: u32,
                #[out] #[domain(1..)] nr_cpus: u32,
                #[out] max_cpu_id: u32, #[out] nr_nodes: u32, #[out] max_node_id: u32,
                #[out] cpu_khz: u32, #[out] capabilities: u32, #[out] arch_capabilities: u32,
                #[out] pad: u32,
                #[out] total_pages: u64_aligned, #[out] free_pages: u64_aligned,
                #[out] scrub_pages: u64_aligned, #[out] outstanding_pages: u64_aligned,
                #[out] max_mfn: u64_aligned, #[out] hw_cap: [u32; 8],
                #[reserved] u_rest: [u8; 16]
            }
            /// `xen_domctl` selecting `XEN_DOMCTL_getdomaininfo`: the header (`cmd`,
            /// `interface_version`, the domain asked about, padding), then
            /// `u.getdomaininfo` with x86's `xen_arch_domainconfig` (emulation and misc flags);
            /// `u` is a 128-byte union, so 16 bytes of it follow. Xen copies the whole struct in
            /// and back out, zeroing and filling getdomaininfo; it writes the domain's id into
            /// the header's `domain` too, the one asked about here.
            #[source = "xen/include/public/domctl.h: struct xen_domctl (cmd, interface_version, domid_t domain, uint16_t _pad[3], union u { ..; uint8_t pad[128]; }), struct xen_domctl_getdomaininfo (Xen 4.17 and 4.20 alike)"]
            #[source = "xen/include/public/arch-x86/xen.h: struct xen_arch_domainconfig (emulation_flags, misc_flags)"]
            #[source = "xen/common/domctl.c: do_domctl, case XEN_DOMCTL_getdomaininfo (getdomaininfo() memsets u.getdomaininfo, op->domain = info.domain, copyback of the whole op)"]
            xen_domctl_with_getdomaininfo {
                cmd: u32, interface_version: u32, domain: u16, #[reserved] _pad: [u16; 3],
                #[out] #[domain(0..=0x7fef)] info_domain: u16, #[out] pad1: u16, #[out] flags: u32,
                #[out] tot_pages: u64_aligned, #[out] max_pages: u64_aligned,
                #[out] outstanding_pages: u64_aligned, #[out] shr_pages: u64_aligned,
                #[out] paged_pages: u64_aligned, #[out] shared_info_frame: u64_aligned,
                #[out] cpu_time: u64_aligned,
                #[out] #[domain(1..)] nr_online_vcpus: u32, #[out] max_vcpu_id: u32,
                #[out] ssidref: u32, #[out] handle: [u8; 16], #[out] cpupool: u32,
                #[out] #[domain(1..=64)] gpaddr_bits: u8, #[out] pad2: [u8; 7],
                #[out] emulation_flags: u32, #[out] misc_flags: u32,
                #[reserved] u_rest: [u8; 16]
            }
            /// `xen_platform_op` selecting `XENPF_get_cpuinfo`: the header (`cmd`,
            /// `interface_version`), `u.pcpu_info` and the rest of the 128-byte union. Xen copies
            /// back only `u.pcpu_info`; the ids are written for a present CPU only (an absent
            /// one gets `flags` = `XEN_PCPU_FLAGS_INVALID`).
            #[source = "xen/include/public/platform.h: struct xen_platform_op (cmd, interface_version, union u { ..; uint8_t pad[128]; }), struct xenpf_pcpuinfo, XEN_PCPU_FLAGS_ONLINE 1, XEN_PCPU_FLAGS_INVALID 2"]
            xen_platform_op_with_pcpuinfo {
                cmd: u32, interface_version: u32,
                xen_cpuid: u32, #[out] max_present: u32, #[out] #[domain(0..=3)] flags: u32,
                #[maybe_out] apic_id: u32, #[maybe_out] acpi_id: u32,
                // The union holds 8-byte integers (settime64): 8-aligned but for i386's 4.
                #[reserved] u_rest_pad: u32, #[reserved] u_rest: [u64; 13]
            }
            /// `xen_platform_op` selecting `XENPF_get_cpu_version`: the header, `u.pcpu_version`
            /// (the CPUID vendor string and family, model, stepping, written for a present CPU
            /// only) and the rest of the union.
            #[source = "xen/include/public/platform.h: struct xen_platform_op, struct xenpf_pcpu_version"]
            xen_platform_op_with_pcpu_version {
                cmd: u32, interface_version: u32,
                xen_cpuid: u32, #[out] max_present: u32, #[maybe_out] vendor_id: [u8; 12],
                #[maybe_out] family: u32, #[maybe_out] model: u32, #[maybe_out] stepping: u32,
                #[reserved] u_rest: [u64; 12]
            }
            /// Whether a PIRQ needs an EOI notification.
            #[source = "xen/include/public/physdev.h: struct physdev_irq_status_query"]
            physdev_irq_status_query { irq: u32, #[out] flags: u32 }
        },
        revision: "Xen 4.17",
        calls: {
            /// Install the virtual IDT (PV); NULL clears it. A bad table kills the guest on its
            /// next exception.
            #[source = "xen/include/hypercall-defs.c: set_trap_table(const_trap_info_t *traps)"]
            #[disruptive = "replaces the guest's virtual IDT"]
            set_trap_table = 0 (traps: ptr(nullable)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Batch page-table updates (PV). `foreigndom` carries the domain id in bits 15:0
            /// and the page-table owner + 1 in bits 31:16.
            #[source = "xen/include/hypercall-defs.c: mmu_update(mmu_update_t *, unsigned int count, unsigned int *pdone, unsigned int foreigndom)"]
            #[disruptive = "rewrites the guest's page tables"]
            mmu_update = 1 (reqs: ptr, count: range(0..=u32::MAX), success_count: ptr(nullable), foreigndom: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOMEM, EPERM, ESRCH, EBUSY, EAGAIN, ENOSYS];
            /// Install a new GDT from a list of frames (PV).
            #[source = "xen/include/hypercall-defs.c: set_gdt(xen_ulong_t *frame_list, unsigned int entries)"]
            #[disruptive = "replaces the guest's GDT"]
            set_gdt = 2 (frame_list: ptr, entries: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Set the kernel stack used on ring transitions (PV).
            #[source = "xen/include/hypercall-defs.c: stack_switch(unsigned long ss, unsigned long esp)"]
            #[disruptive = "changes the guest kernel's stack"]
            stack_switch = 3 (ss: any, esp: any) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Register the event, failsafe and syscall entry points (64-bit PV).
            #[source = "xen/include/hypercall-defs.c: set_callbacks(event_address, failsafe_address, syscall_address)"]
            #[disruptive = "replaces the guest's event and failsafe callbacks"]
            set_callbacks = 4 (event_address: any, failsafe_address: any, syscall_address: any) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Set (non-zero) or clear CR0.TS (PV): with TS set the next FPU instruction traps.
            #[source = "xen/include/hypercall-defs.c: fpu_taskswitch(int set); xen/arch/x86/pv/misc-hypercalls.c"]
            #[disruptive = "sets CR0.TS, so the guest's next FPU use traps"]
            fpu_taskswitch = 5 (set: enum { FPU_CLEAR_TS = 0, FPU_SET_TS = 1 }) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Legacy scheduler operations (yield, block, shutdown); replaced by `sched_op`.
            #[source = "xen/include/public/xen.h: __HYPERVISOR_sched_op_compat 6 'compat since 0x00030101'"]
            #[deprecated]
            #[disruptive = "its sub-operations block or shut down the guest"]
            sched_op_compat = 6 (cmd: enum { SCHEDOP_yield = 0, SCHEDOP_block = 1, SCHEDOP_shutdown = 2 }, arg: any) -> (ret: range(0..=0)) errors [EINVAL, ENOSYS];
            /// Platform operations for the hardware domain (time, microcode, ACPI sleep, CPU
            /// hotplug, ...). The sub-operation is `xen_platform_op.cmd`, a field of the struct,
            /// after which comes `interface_version`: Xen copies the struct in, answers -EACCES
            /// unless the version is `XENPF_INTERFACE_VERSION` (0x03000001 in 4.17 and 4.20),
            /// and -ENOSYS for a `cmd` it does not know. The two CPU queries run; everything else
            /// sets the clock, memory types, microcode, power states or CPUs.
            #[source = "xen/include/public/platform.h: XENPF_INTERFACE_VERSION 0x03000001, XENPF_* (Debian libxen-dev 4.17.7 and 4.20.4 alike); hypercall-defs.c: platform_op(xen_platform_op_t *)"]
            #[source = "xen/arch/x86/platform_hypercall.c: do_platform_op (copy_from_guest -> -EFAULT; interface_version -> -EACCES; xsm_platform_op; default -ENOSYS), XENPF_get_cpuinfo and XENPF_get_cpu_version (copy back of u.pcpu_info / u.pcpu_version only)"]
            #[disruptive]
            #[selector_field(cmd)]
            #[fixed(interface_version = 0x0300_0001)]
            #[bad_fixed(EACCES)]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            platform_op = 7 (op: ptr {
                XENPF_settime32 = 17, XENPF_add_memtype = 31, XENPF_del_memtype = 32,
                XENPF_read_memtype = 33, XENPF_microcode_update = 35, XENPF_platform_quirk = 39,
                /// A physical CPU's vendor, family, model and stepping (CPU 0 here).
                #[query]
                #[param(xen_platform_op_with_pcpu_version)]
                #[source = "xen/include/public/platform.h: XENPF_get_cpu_version 48"]
                XENPF_get_cpu_version = 48,
                XENPF_efi_runtime_call = 49, XENPF_firmware_info = 50,
                XENPF_enter_acpi_sleep = 51, XENPF_change_freq = 52, XENPF_getidletime = 53,
                XENPF_set_processor_pminfo = 54,
                /// A physical CPU's APIC and ACPI ids and whether it is online (CPU 0 here).
                #[query]
                #[param(xen_platform_op_with_pcpuinfo)]
                #[source = "xen/include/public/platform.h: XENPF_get_cpuinfo 55"]
                XENPF_get_cpuinfo = 55,
                XENPF_cpu_online = 56, XENPF_cpu_offline = 57, XENPF_cpu_hotadd = 58,
                XENPF_mem_hotadd = 59, XENPF_core_parking = 60, XENPF_resource_op = 61,
                XENPF_settime64 = 62, XENPF_get_symbol = 63,
            }) -> (ret: range(0..)) errors [EPERM, EACCES, EFAULT, EINVAL, ENOENT, ENODEV, EBUSY, ENOMEM, EAGAIN, ESRCH, ERANGE, EIO, EEXIST, EOPNOTSUPP, ENOSYS];
            /// Set a debug register of the calling vCPU (PV): DR0-3 addresses, DR6, DR7.
            #[source = "xen/arch/x86/pv/misc-hypercalls.c: set_debugreg (EPERM, EINVAL, ENODEV)"]
            #[disruptive = "arms hardware breakpoints in the guest"]
            set_debugreg = 8 (reg: range(0..=7), value: any) -> (ret: range(0..=0)) errors [EPERM, EINVAL, ENODEV, ENOSYS];
            /// Read a debug register of the calling vCPU (PV). The result is the register's value,
            /// so a value that looks like -ENODEV cannot be told from the error.
            #[source = "xen/arch/x86/pv/misc-hypercalls.c: do_get_debugreg (value or -ENODEV)"]
            get_debugreg = 9 (reg: range(0..=7)) -> (value: any) errors [ENODEV, ENOSYS];
            /// Write one GDT/LDT descriptor at a machine address (PV).
            #[source = "xen/include/hypercall-defs.c: update_descriptor(uint64_t gaddr, seg_desc_t desc)"]
            #[disruptive = "rewrites a descriptor of the guest's GDT or LDT"]
            update_descriptor = 10 (maddr: any, desc: any) -> (ret: range(0..=0)) errors [EINVAL, EFAULT, ENOSYS];
            /// Memory reservation and physmap operations (`cmd` bits 5:0 = XENMEM_*, bits 63:6 =
            /// the continuation's start extent). Can give the guest's own memory away.
            #[source = "xen/include/public/memory.h: XENMEM_* (MEMOP_CMD_MASK); xen/common/memory.c: do_memory_op (copy_from_guest -> -EFAULT); arch_memory_op default -ENOSYS"]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            memory_op = 12 (cmd: enum {
                XENMEM_increase_reservation = 0, XENMEM_decrease_reservation = 1,
                /// The highest machine frame of RAM; "always succeeds", arg == NULL.
                #[query]
                #[source = "xen/include/public/memory.h: XENMEM_maximum_ram_page 2"]
                XENMEM_maximum_ram_page = 2,
                /// A domain's current reservation in pages.
                #[query]
                #[param(xen_memory_domain)]
                #[source = "xen/include/public/memory.h: XENMEM_current_reservation 3"]
                XENMEM_current_reservation = 3,
                /// A domain's maximum reservation in pages.
                #[query]
                #[param(xen_memory_domain)]
                #[source = "xen/include/public/memory.h: XENMEM_maximum_reservation 4"]
                XENMEM_maximum_reservation = 4,
                XENMEM_machphys_mfn_list = 5,
                XENMEM_populate_physmap = 6, XENMEM_add_to_physmap = 7, XENMEM_memory_map = 9,
                XENMEM_machine_memory_map = 10, XENMEM_exchange = 11,
                /// Where the M2P table is mapped (x86; -ENOSYS on Arm).
                #[query]
                #[param(xen_machphys_mapping)]
                #[source = "xen/include/public/memory.h: XENMEM_machphys_mapping 12"]
                XENMEM_machphys_mapping = 12,
                XENMEM_set_memory_map = 13,
                /// The highest GFN in use by a domain.
                #[query]
                #[param(xen_memory_domain)]
                #[source = "xen/include/public/memory.h: XENMEM_maximum_gpfn 14"]
                XENMEM_maximum_gpfn = 14,
                XENMEM_remove_from_physmap = 15, XENMEM_set_pod_target = 16,
                XENMEM_get_pod_target = 17,
                /// Pages freed by memory sharing (0 without CONFIG_MEM_SHARING's counters).
                #[query]
                XENMEM_get_sharing_freed_pages = 18,
                /// Pages shared by memory sharing.
                #[query]
                XENMEM_get_sharing_shared_pages = 19,
                XENMEM_paging_op = 20,
                XENMEM_access_op = 21, XENMEM_sharing_op = 22, XENMEM_add_to_physmap_batch = 23,
                XENMEM_claim_pages = 24, XENMEM_machphys_compat_mfn_list = 25,
                XENMEM_get_vnumainfo = 26, XENMEM_reserved_device_memory_map = 27,
                XENMEM_acquire_resource = 28,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EPERM, ENOENT, ESRCH, EFAULT, EINVAL, ENOMEM, EBUSY, EEXIST, EAGAIN, EOPNOTSUPP, ENOSPC, ENODEV, EXDEV, ENOBUFS, ERANGE, EACCES, ENOSYS];
            /// Issue a list of hypercalls in one trap; each entry gets its own result.
            #[source = "xen/include/hypercall-defs.c: multicall(multicall_entry_t *, unsigned int nr_calls) (unsigned long since 4.20)"]
            #[disruptive = "runs a batch of any hypercalls; the batch's inputs would have to be preset, and zero selects set_trap_table(NULL)"]
            multicall = 13 (calls: ptr, nr_calls: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Update one PTE of the current address space (PV). `flags` = UVMF_* flush type
            /// (bits 1:0), UVMF_ALL (bit 2), and for UVMF_MULTI a pointer to a vCPU mask.
            #[source = "xen/include/public/xen.h: UVMF_*; hypercall-defs.c: update_va_mapping(va, val64, flags)"]
            #[disruptive = "rewrites a PTE of the guest's own address space"]
            update_va_mapping = 14 (va: any, val: any, flags: any) -> (ret: range(0..=0)) errors [EINVAL, EFAULT, EPERM, ENOMEM, ENOSYS];
            /// Arm the vCPU's one-shot timer (absolute system time in ns; 0 cancels). It fires
            /// VIRQ_TIMER, which does nothing unless the guest bound it. Always answers 0.
            #[source = "xen/common/sched/core.c: do_set_timer_op (returns 0)"]
            #[stateful]
            set_timer_op = 15 (timeout: any) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Legacy event-channel interface taking `evtchn_op_t` (cmd inside the struct).
            #[source = "xen/include/public/xen.h: __HYPERVISOR_event_channel_op_compat 16 'compat since 0x00030202'; xen/arch/x86/compat.c"]
            #[deprecated]
            #[disruptive = "binds, closes and sends on the guest's event channels"]
            event_channel_op_compat = 16 (op: ptr) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, ENOSPC, ENOENT, EBUSY, EEXIST];
            /// Version and build information. XENVER_version answers major << 16 | minor,
            /// XENVER_pagesize the page size (its `arg` must be NULL), XENVER_build_id the
            /// build id's length; the rest answer 0 and fill `arg`.
            #[source = "xen/include/public/version.h: XENVER_*; xen/common/kernel.c: do_xen_version (EFAULT, EINVAL, EPERM, ENODATA, ENOBUFS, ENOSYS)"]
            #[stable]
            xen_version = 17 (cmd: enum {
                XENVER_version = 0, XENVER_extraversion = 1, XENVER_compile_info = 2,
                XENVER_capabilities = 3, XENVER_changeset = 4, XENVER_platform_parameters = 5,
                XENVER_get_features = 6, XENVER_pagesize = 7, XENVER_guest_handle = 8,
                XENVER_commandline = 9, XENVER_build_id = 10,
            }, arg: ptr(nullable)) -> (ret: range(0..=i32::MAX)) errors [EFAULT, EINVAL, EPERM, ENODATA, ENOBUFS, ENOSYS];
            /// Write `count` bytes to the hypervisor console, or read up to `count` bytes of
            /// serial input (returns how many).
            #[source = "xen/drivers/char/console.c: do_console_io (EPERM from XSM, E2BIG for count > INT_MAX on read, EFAULT, ENOSYS)"]
            #[stateful]
            console_io = 18 (cmd: enum { CONSOLEIO_write = 0, CONSOLEIO_read = 1 }, count: range(0..=u32::MAX), buffer: ptr) -> (ret: range(0..=i32::MAX)) errors [EPERM, E2BIG, EFAULT, ENOSYS];
            /// Legacy physdev interface taking `physdev_op_t` (cmd inside the struct).
            #[source = "xen/include/public/xen.h: __HYPERVISOR_physdev_op_compat 19 'compat since 0x00030202'"]
            #[deprecated]
            #[disruptive = "changes interrupt and I/O-port state of the hardware domain"]
            physdev_op_compat = 19 (op: ptr) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ENODEV, ESRCH, ENOENT, EBUSY, ENOSPC];
            /// Grant-table operations (map, unmap, copy, transfer, ...). Absent without
            /// CONFIG_GRANT_TABLE (an EXPERT option).
            #[source = "xen/include/public/grant_table.h: GNTTABOP_*; xen/common/grant_table.c: do_grant_table_op (default -ENOSYS), gnttab_query_size and gnttab_get_version (count != 1 -> -EINVAL, copy_from_guest -> -EFAULT)"]
            #[optional]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            grant_table_op = 20 (cmd: enum {
                GNTTABOP_map_grant_ref = 0, GNTTABOP_unmap_grant_ref = 1, GNTTABOP_setup_table = 2,
                GNTTABOP_dump_table = 3, GNTTABOP_transfer = 4, GNTTABOP_copy = 5,
                /// A domain's grant-table frames and their maximum.
                #[query]
                #[param(gnttab_query_size)]
                #[args(count = 1)]
                GNTTABOP_query_size = 6,
                GNTTABOP_unmap_and_replace = 7, GNTTABOP_set_version = 8,
                GNTTABOP_get_status_frames = 9,
                /// A domain's grant-table version.
                #[query]
                #[param(gnttab_get_version)]
                #[args(count = 1)]
                GNTTABOP_get_version = 10,
                GNTTABOP_swap_grant_ref = 11, GNTTABOP_cache_flush = 12,
            }, uop: ptr(nullable), count: range(0..=u32::MAX)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, ENOMEM, EBUSY, EOPNOTSUPP, E2BIG];
            /// Enable or disable a VM assist for the calling domain. Valid types per guest:
            /// PV64 = {0, 1, 2, 3, 4, 5, 32}, PV32 = {0..5}, HVM and Arm = {5}; others -EINVAL.
            #[source = "xen/common/domain.c: do_vm_assist; xen/arch/x86/include/asm/domain.h: PV32/PV64/HVM_VM_ASSIST_MASK; public/xen.h: VMASST_*"]
            #[stateful]
            vm_assist = 21 (cmd: enum { VMASST_CMD_enable = 0, VMASST_CMD_disable = 1 }, kind: enum {
                VMASST_TYPE_4gb_segments = 0, VMASST_TYPE_4gb_segments_notify = 1,
                VMASST_TYPE_writable_pagetables = 2, VMASST_TYPE_pae_extended_cr3 = 3,
                VMASST_TYPE_architectural_iopl = 4, VMASST_TYPE_runstate_update_flag = 5,
                VMASST_TYPE_m2p_strict = 32,
            }) -> (ret: range(0..=0)) errors [EINVAL, ENOSYS];
            /// Like `update_va_mapping`, in another domain's address space (PV).
            #[source = "xen/include/hypercall-defs.c: update_va_mapping_otherdomain(va, val64, flags, domid_t domid)"]
            #[disruptive = "rewrites a PTE of another domain's address space"]
            update_va_mapping_otherdomain = 22 (va: any, val: any, flags: any, domid: range(0..=0xffff)) -> (ret: range(0..=0)) errors [EINVAL, EFAULT, EPERM, ESRCH, ENOMEM, ENOSYS];
            /// Return from an exception or event frame (PV). Special: it takes its arguments on
            /// the stack (`struct iret_context`: rax, r11, rcx, flags, rip, cs, rflags, rsp, ss),
            /// never returns to its caller, and must be *jumped* to, not called (the page stub
            /// pushes rcx, r11 and rax itself). Modelled as `noreturn` with no register
            /// arguments, so random plans never issue it; HVM pages hold `ud2` here.
            #[source = "seed 002: footnote 3 'HYPERCALL_iret is special'; public/arch-x86/xen-x86_64.h: struct iret_context; pv/hypercall.c: iret stub"]
            #[noreturn]
            iret = 23 () -> ();
            /// Per-vCPU operations (bring up/down, timers, runstate and vcpu_info areas).
            #[source = "xen/include/public/vcpu.h: VCPUOP_*; xen/common/domain.c: do_vcpu_op (default: arch_do_vcpu_op, -ENOSYS on x86)"]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            vcpu_op = 24 (cmd: enum {
                VCPUOP_initialise = 0, VCPUOP_up = 1, VCPUOP_down = 2,
                /// Whether the vCPU is up (1) or down (0).
                #[query]
                VCPUOP_is_up = 3,
                /// The vCPU's run state and times.
                #[query]
                #[param(vcpu_runstate_info)]
                VCPUOP_get_runstate_info = 4,
                VCPUOP_register_runstate_memory_area = 5,
                VCPUOP_set_periodic_timer = 6, VCPUOP_stop_periodic_timer = 7,
                VCPUOP_set_singleshot_timer = 8, VCPUOP_stop_singleshot_timer = 9,
                VCPUOP_register_vcpu_info = 10, VCPUOP_send_nmi = 11, VCPUOP_get_physid = 12,
                VCPUOP_register_vcpu_time_memory_area = 13,
            }, vcpuid: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOENT, ENOSYS, EPERM, EEXIST, EBUSY, ENOMEM];
            /// Set the FS base, the user or kernel GS base, or load the user GS selector
            /// (64-bit PV only).
            #[source = "xen/include/public/arch-x86/xen-x86_64.h: SEGBASE_*; pv/misc-hypercalls.c: do_set_segment_base"]
            #[disruptive = "changes the guest's FS/GS bases"]
            set_segment_base = 25 (which: enum { SEGBASE_FS = 0, SEGBASE_GS_USER = 1, SEGBASE_GS_KERNEL = 2, SEGBASE_GS_USER_SEL = 3 }, base: any) -> (ret: range(0..=0)) errors [EINVAL, EFAULT, ENOSYS];
            /// Extended MMU operations (pin tables, new base pointer, TLB flushes, ...).
            #[source = "xen/include/public/xen.h: MMUEXT_*; hypercall-defs.c: mmuext_op(uops, count, pdone, foreigndom)"]
            #[disruptive = "pins page tables, switches CR3 and flushes TLBs of the guest"]
            mmuext_op = 26 (ops: ptr, count: range(0..=u32::MAX), success_count: ptr(nullable), foreigndom: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOMEM, EPERM, ESRCH, EBUSY, EAGAIN, EOPNOTSUPP, ENOSYS];
            /// XSM (FLASK) operations; the dummy XSM answers -ENOSYS. Compiled only with
            /// CONFIG_XSM from Xen 4.21 on (default on Arm).
            #[source = "xen/include/public/xsm/flask_op.h; hypercall-defs.c: xsm_op(void *op)"]
            #[optional]
            #[disruptive = "changes the security policy (FLASK); the dummy module answers -ENOSYS, which no query of it can tell apart from an absent op"]
            xsm_op = 27 (op: ptr) -> (ret: range(0..)) errors [EPERM, EACCES, EFAULT, EINVAL, ENOENT, ENOMEM, ENOSYS, ERANGE, E2BIG];
            /// Register or unregister the NMI callback (PV).
            #[source = "xen/include/public/nmi.h: XENNMI_*"]
            #[disruptive = "replaces the guest's NMI callback"]
            nmi_op = 28 (cmd: enum { XENNMI_register_callback = 0, XENNMI_unregister_callback = 1 }, arg: ptr(nullable)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Scheduler operations: yield, block, shutdown (stops the domain), poll, watchdog.
            #[source = "xen/include/public/sched.h: SCHEDOP_*; xen/common/sched/core.c: do_sched_op (default -ENOSYS)"]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            sched_op = 29 (cmd: enum {
                /// Give up the CPU; arg unused.
                #[stateful]
                SCHEDOP_yield = 0, SCHEDOP_block = 1, SCHEDOP_shutdown = 2, SCHEDOP_poll = 3,
                SCHEDOP_remote_shutdown = 4, SCHEDOP_shutdown_code = 5, SCHEDOP_watchdog = 6,
                SCHEDOP_pin_override = 7,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, EBUSY, ENOENT];
            /// Register or unregister an event, failsafe, syscall or NMI callback (PV).
            #[source = "xen/include/public/callback.h: CALLBACKOP_*"]
            #[disruptive = "replaces the guest's callbacks"]
            callback_op = 30 (cmd: enum { CALLBACKOP_register = 0, CALLBACKOP_unregister = 1 }, arg: ptr) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Xen OProfile (PV, CONFIG_XENOPROF). Dropped in Xen 4.22.
            #[source = "xen/include/public/xenoprof.h: XENOPROF_*; public/xen.h (master): '31 Dropped in Xen 4.22'"]
            #[optional]
            #[disruptive = "starts and stops the profiler of the whole machine"]
            xenoprof_op = 31 (op: enum {
                XENOPROF_init = 0, XENOPROF_reset_active_list = 1, XENOPROF_reset_passive_list = 2,
                XENOPROF_set_active = 3, XENOPROF_set_passive = 4, XENOPROF_reserve_counters = 5,
                XENOPROF_counter = 6, XENOPROF_setup_events = 7, XENOPROF_enable_virq = 8,
                XENOPROF_start = 9, XENOPROF_stop = 10, XENOPROF_disable_virq = 11,
                XENOPROF_release_counters = 12, XENOPROF_shutdown = 13, XENOPROF_get_buffer = 14,
                XENOPROF_set_backtrace = 15, XENOPROF_get_ibs_caps = 16, XENOPROF_ibs_counter = 17,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EPERM, EFAULT, EINVAL, EBUSY, ENOMEM, ESRCH, ENOSYS];
            /// Event-channel operations (bind, close, send, reset, FIFO control, ...).
            #[source = "xen/include/public/event_channel.h: EVTCHNOP_*; xen/common/event_channel.c: do_event_channel_op (default -ENOSYS, copy_from_guest -> -EFAULT)"]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            event_channel_op = 32 (cmd: enum {
                EVTCHNOP_bind_interdomain = 0, EVTCHNOP_bind_virq = 1, EVTCHNOP_bind_pirq = 2,
                EVTCHNOP_close = 3, EVTCHNOP_send = 4,
                /// The state of a port of a domain.
                #[query]
                #[param(evtchn_status)]
                EVTCHNOP_status = 5,
                EVTCHNOP_alloc_unbound = 6, EVTCHNOP_bind_ipi = 7, EVTCHNOP_bind_vcpu = 8,
                EVTCHNOP_unmask = 9, EVTCHNOP_reset = 10, EVTCHNOP_init_control = 11,
                EVTCHNOP_expand_array = 12, EVTCHNOP_set_priority = 13, EVTCHNOP_reset_cont = 14,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, ENOSPC, ENOENT, EBUSY, EEXIST, ENOMEM, EAGAIN];
            /// Physical-device and interrupt operations (PIRQs, MSI, PCI add/remove, IOPL, ...).
            #[source = "xen/include/public/physdev.h: PHYSDEVOP_*; xen/arch/x86/physdev.c: do_physdev_op (default -ENOSYS)"]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            physdev_op = 33 (cmd: enum {
                PHYSDEVOP_IRQ_UNMASK_NOTIFY = 4,
                /// Whether a PIRQ needs an EOI notification.
                #[query]
                #[param(physdev_irq_status_query)]
                PHYSDEVOP_irq_status_query = 5,
                PHYSDEVOP_set_iopl = 6, PHYSDEVOP_set_iobitmap = 7, PHYSDEVOP_apic_read = 8,
                PHYSDEVOP_apic_write = 9, PHYSDEVOP_alloc_irq_vector = 10,
                PHYSDEVOP_free_irq_vector = 11, PHYSDEVOP_eoi = 12, PHYSDEVOP_map_pirq = 13,
                PHYSDEVOP_unmap_pirq = 14, PHYSDEVOP_manage_pci_add = 15,
                PHYSDEVOP_manage_pci_remove = 16, PHYSDEVOP_pirq_eoi_gmfn_v1 = 17,
                PHYSDEVOP_restore_msi = 19, PHYSDEVOP_manage_pci_add_ext = 20,
                PHYSDEVOP_setup_gsi = 21, PHYSDEVOP_get_free_pirq = 23,
                PHYSDEVOP_pci_mmcfg_reserved = 24, PHYSDEVOP_pci_device_add = 25,
                PHYSDEVOP_pci_device_remove = 26, PHYSDEVOP_restore_msi_ext = 27,
                PHYSDEVOP_pirq_eoi_gmfn_v2 = 28, PHYSDEVOP_dbgp_op = 29,
                PHYSDEVOP_prepare_msix = 30, PHYSDEVOP_release_msix = 31,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ENODEV, ESRCH, ENOENT, EBUSY, ENOSPC, EEXIST, ENOMEM, ENXIO, EOPNOTSUPP];
            /// HVM operations: parameters, interrupt levels, altp2m, ... (CONFIG_HVM on x86).
            #[source = "xen/include/public/hvm/hvm_op.h: HVMOP_*; xen/arch/x86/hvm/hvm.c: do_hvm_op (default -ENOSYS), hvmop_get_param (-EINVAL for a non-HVM domain)"]
            #[optional]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            hvm_op = 34 (op: enum {
                HVMOP_set_param = 0,
                /// A domain's HVM parameter `index`.
                #[query]
                #[param(xen_hvm_param)]
                HVMOP_get_param = 1, HVMOP_set_pci_intx_level = 2,
                HVMOP_set_isa_irq_level = 3, HVMOP_set_pci_link_route = 4, HVMOP_flush_tlbs = 5,
                HVMOP_pagetable_dying = 9, HVMOP_get_time = 10, HVMOP_xentrace = 11,
                HVMOP_set_mem_access = 12, HVMOP_get_mem_access = 13, HVMOP_get_mem_type = 15,
                HVMOP_set_evtchn_upcall_vector = 23, HVMOP_guest_request_vm_event = 24,
                HVMOP_altp2m = 25,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, ENOENT, EBUSY, EOPNOTSUPP, EEXIST, EACCES];
            /// System control for the toolstack (dom0). The sub-operation is `xen_sysctl.cmd`, a
            /// field of the struct, after which comes `interface_version`: Xen copies the struct
            /// in, answers -EACCES unless the version is its `XEN_SYSCTL_INTERFACE_VERSION`
            /// (0x15 in 4.17 and in 4.20: bumped in 4.17, next in 4.21), hands a `cmd` it does
            /// not know to the arch code (-ENOSYS on x86 and Arm).
            #[source = "xen/include/public/sysctl.h: XEN_SYSCTL_INTERFACE_VERSION 0x00000015 (Xen 4.17; 'Last version bump: Xen 4.17', replaced by 0x16 for Xen 4.21: xen-devel sysctl.h patch), XEN_SYSCTL_* (cmd numbers); hypercall-defs.c: sysctl(xen_sysctl_t *)"]
            #[source = "xen/common/sysctl.c: do_sysctl (copy_from_guest -> -EFAULT; interface_version != XEN_SYSCTL_INTERFACE_VERSION -> -EACCES; default -> arch_do_sysctl); xen/arch/x86/sysctl.c and xen/arch/arm/sysctl.c: arch_do_sysctl default -ENOSYS"]
            #[disruptive]
            #[selector_field(cmd)]
            #[fixed(interface_version = 0x15)]
            #[bad_fixed(EACCES)]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            sysctl = 35 (op: ptr {
                XEN_SYSCTL_readconsole = 1, XEN_SYSCTL_tbuf_op = 2,
                /// The host's CPUs, memory and capabilities.
                #[query]
                #[param(xen_sysctl_with_physinfo)]
                #[source = "xen/include/public/sysctl.h: XEN_SYSCTL_physinfo 3"]
                XEN_SYSCTL_physinfo = 3,
                XEN_SYSCTL_sched_id = 4, XEN_SYSCTL_perfc_op = 5,
                XEN_SYSCTL_getdomaininfolist = 6, XEN_SYSCTL_debug_keys = 7,
                XEN_SYSCTL_getcpuinfo = 8, XEN_SYSCTL_availheap = 9, XEN_SYSCTL_get_pmstat = 10,
                XEN_SYSCTL_cpu_hotplug = 11, XEN_SYSCTL_pm_op = 12, XEN_SYSCTL_page_offline_op = 14,
                XEN_SYSCTL_lockprof_op = 15, XEN_SYSCTL_cputopoinfo = 16, XEN_SYSCTL_numainfo = 17,
                XEN_SYSCTL_cpupool_op = 18, XEN_SYSCTL_scheduler_op = 19,
                XEN_SYSCTL_coverage_op = 20, XEN_SYSCTL_psr_cmt_op = 21,
                XEN_SYSCTL_pcitopoinfo = 22, XEN_SYSCTL_psr_alloc = 23,
                XEN_SYSCTL_get_cpu_levelling_caps = 25, XEN_SYSCTL_get_cpu_featureset = 26,
                XEN_SYSCTL_livepatch_op = 27, XEN_SYSCTL_get_cpu_policy = 29,
            }) -> (ret: range(0..)) errors [EPERM, EACCES, EFAULT, EINVAL, ENOENT, ENODEV, ESRCH, EBUSY, ENOMEM, E2BIG, ENOSPC, EOPNOTSUPP, ERANGE, ENOBUFS, ENOSYS];
            /// Domain control for the toolstack (dom0). The sub-operation is `xen_domctl.cmd`, a
            /// field of the struct, after which come `interface_version` and the domain: Xen
            /// copies the struct in, answers -EACCES unless the version is its
            /// `XEN_DOMCTL_INTERFACE_VERSION` (0x15 in 4.17, 0x16 from 4.18, 0x17 from 4.19 and
            /// in 4.20), and hands a `cmd` it does not know to the arch code (-ENOSYS on x86 and
            /// Arm). Every other sub-operation creates, changes or destroys domains.
            #[source = "xen/include/public/domctl.h: XEN_DOMCTL_INTERFACE_VERSION 0x00000015 (Xen 4.17; Debian libxen-dev 4.17.7), 0x00000017 with 'Last version bump: Xen 4.19' (Debian libxen-dev 4.20.4); XEN_DOMCTL_* (cmd numbers, 4.17)"]
            #[source = "xen-devel, Jan Beulich, 'domctl: bump interface version' (0x15 -> 0x16 in the 4.18 cycle: XEN_DOMCTL_getdomaininfo made to fail for a missing domid, commit 31c655497461)"]
            #[source = "xen/common/domctl.c: do_domctl (copy_from_guest -> -EFAULT; interface_version != XEN_DOMCTL_INTERFACE_VERSION -> -EACCES; default -> arch_do_domctl); xen/arch/x86/domctl.c, xen/arch/arm/arm64/domctl.c: default -ENOSYS"]
            #[disruptive]
            #[selector_field(cmd)]
            #[fixed(interface_version = 0x15)]
            #[fixed_since("Xen 4.18", interface_version = 0x16)]
            #[fixed_since("Xen 4.19", interface_version = 0x17)]
            #[bad_fixed(EACCES)]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            domctl = 36 (op: ptr {
                XEN_DOMCTL_createdomain = 1, XEN_DOMCTL_destroydomain = 2,
                XEN_DOMCTL_pausedomain = 3, XEN_DOMCTL_unpausedomain = 4,
                /// A domain's state, memory, vCPUs, handle and arch configuration (here the
                /// caller's own, dom0).
                #[query]
                #[param(xen_domctl_with_getdomaininfo)]
                #[source = "xen/include/public/domctl.h: XEN_DOMCTL_getdomaininfo 5"]
                XEN_DOMCTL_getdomaininfo = 5,
                XEN_DOMCTL_setvcpuaffinity = 9, XEN_DOMCTL_shadow_op = 10, XEN_DOMCTL_max_mem = 11,
                XEN_DOMCTL_setvcpucontext = 12, XEN_DOMCTL_getvcpucontext = 13,
                XEN_DOMCTL_getvcpuinfo = 14, XEN_DOMCTL_max_vcpus = 15,
                XEN_DOMCTL_scheduler_op = 16, XEN_DOMCTL_setdomainhandle = 17,
                XEN_DOMCTL_setdebugging = 18, XEN_DOMCTL_irq_permission = 19,
                XEN_DOMCTL_iomem_permission = 20, XEN_DOMCTL_ioport_permission = 21,
                XEN_DOMCTL_hypercall_init = 22, XEN_DOMCTL_soft_reset_cont = 23,
                XEN_DOMCTL_settimeoffset = 24, XEN_DOMCTL_getvcpuaffinity = 25,
                XEN_DOMCTL_real_mode_area = 26, XEN_DOMCTL_resumedomain = 27,
                XEN_DOMCTL_sendtrigger = 28, XEN_DOMCTL_subscribe = 29,
                XEN_DOMCTL_gethvmcontext = 33, XEN_DOMCTL_sethvmcontext = 34,
                XEN_DOMCTL_set_address_size = 35, XEN_DOMCTL_get_address_size = 36,
                XEN_DOMCTL_assign_device = 37, XEN_DOMCTL_bind_pt_irq = 38,
                XEN_DOMCTL_memory_mapping = 39, XEN_DOMCTL_ioport_mapping = 40,
                XEN_DOMCTL_set_ext_vcpucontext = 42, XEN_DOMCTL_get_ext_vcpucontext = 43,
                XEN_DOMCTL_set_opt_feature = 44, XEN_DOMCTL_test_assign_device = 45,
                XEN_DOMCTL_set_target = 46, XEN_DOMCTL_deassign_device = 47,
                XEN_DOMCTL_unbind_pt_irq = 48, XEN_DOMCTL_get_device_group = 50,
                XEN_DOMCTL_debug_op = 54, XEN_DOMCTL_gethvmcontext_partial = 55,
                XEN_DOMCTL_vm_event_op = 56, XEN_DOMCTL_mem_sharing_op = 57,
                XEN_DOMCTL_gettscinfo = 59, XEN_DOMCTL_settscinfo = 60,
                XEN_DOMCTL_getpageframeinfo3 = 61, XEN_DOMCTL_setvcpuextstate = 62,
                XEN_DOMCTL_getvcpuextstate = 63, XEN_DOMCTL_set_access_required = 64,
                XEN_DOMCTL_audit_p2m = 65, XEN_DOMCTL_set_virq_handler = 66,
                XEN_DOMCTL_set_broken_page_p2m = 67, XEN_DOMCTL_setnodeaffinity = 68,
                XEN_DOMCTL_getnodeaffinity = 69, XEN_DOMCTL_cacheflush = 71,
                XEN_DOMCTL_get_vcpu_msrs = 72, XEN_DOMCTL_set_vcpu_msrs = 73,
                XEN_DOMCTL_setvnumainfo = 74, XEN_DOMCTL_psr_cmt_op = 75,
                XEN_DOMCTL_monitor_op = 77, XEN_DOMCTL_psr_alloc = 78, XEN_DOMCTL_soft_reset = 79,
                XEN_DOMCTL_vuart_op = 81, XEN_DOMCTL_get_cpu_policy = 82,
                XEN_DOMCTL_set_cpu_policy = 83, XEN_DOMCTL_vmtrace_op = 84,
                XEN_DOMCTL_get_paging_mempool_size = 85, XEN_DOMCTL_set_paging_mempool_size = 86,
                XEN_DOMCTL_gdbsx_guestmemio = 1000, XEN_DOMCTL_gdbsx_pausevcpu = 1001,
                XEN_DOMCTL_gdbsx_unpausevcpu = 1002, XEN_DOMCTL_gdbsx_domstatus = 1003,
            }) -> (ret: range(0..)) errors [EPERM, EACCES, EFAULT, EINVAL, ENOENT, ENODEV, ESRCH, EBUSY, ENOMEM, E2BIG, ENOSPC, EOPNOTSUPP, ERANGE, EEXIST, EXDEV, ENOBUFS, ENOSYS];
            /// Load, unload or execute a kexec image; KEXEC_CMD_kexec replaces the running
            /// hypervisor (PV, CONFIG_KEXEC).
            #[source = "xen/include/public/kexec.h: KEXEC_CMD_*"]
            #[optional]
            #[disruptive = "loads or runs a kexec image replacing the hypervisor"]
            kexec_op = 37 (op: enum {
                KEXEC_CMD_kexec = 0, KEXEC_CMD_kexec_load_v1 = 1, KEXEC_CMD_kexec_unload_v1 = 2,
                KEXEC_CMD_kexec_get_range = 3, KEXEC_CMD_kexec_load = 4, KEXEC_CMD_kexec_unload = 5,
                KEXEC_CMD_kexec_status = 6,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EPERM, EFAULT, EINVAL, ENOMEM, EBUSY, ENOSYS, ENODEV, EOVERFLOW];
            /// Transcendent memory: removed from the hypervisor in Xen 4.13; the number is
            /// reserved and answers -ENOSYS everywhere (every table column is `-`).
            #[source = "xen/include/hypercall-defs.c: 'tmem_op - - - - -'; xen commit c492e19fdd 'xen: remove tmem from hypervisor'"]
            #[removed]
            #[since = "Xen 4.0"]
            tmem_op = 38 (op: ptr(nullable)) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Argo inter-domain messaging (CONFIG_ARGO, UNSUPPORTED, and the `argo` boot option;
            /// otherwise -EOPNOTSUPP or -ENOSYS).
            #[source = "xen/include/public/argo.h: XEN_ARGO_OP_*; hypercall-defs.c: argo_op(cmd, arg1, arg2, arg3, arg4)"]
            #[optional]
            #[disruptive = "registers rings and sends messages between domains"]
            #[since = "Xen 4.12"]
            argo_op = 39 (cmd: enum {
                XEN_ARGO_OP_register_ring = 1, XEN_ARGO_OP_unregister_ring = 2,
                XEN_ARGO_OP_sendv = 3, XEN_ARGO_OP_notify = 4,
            }, arg1: ptr(nullable), arg2: ptr(nullable), arg3: any, arg4: any) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, EOPNOTSUPP, ENOMEM, EEXIST, ENOENT, ESRCH, EAGAIN, EMSGSIZE, ENOSPC, EBUSY, ECONNREFUSED];
            /// Virtual PMU: mode, features, per-vCPU PMU page (x86).
            #[source = "xen/include/public/pmu.h: XENPMU_*"]
            #[disruptive = "changes the vPMU mode of the whole machine or maps a PMU page into the guest"]
            #[since = "Xen 4.6"]
            xenpmu_op = 40 (op: enum {
                XENPMU_mode_get = 0, XENPMU_mode_set = 1, XENPMU_feature_get = 2,
                XENPMU_feature_set = 3, XENPMU_init = 4, XENPMU_finish = 5, XENPMU_lvtpc_set = 6,
                XENPMU_flush = 7,
            }, arg: ptr(nullable)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS, EPERM, EBUSY, ENOENT, EOPNOTSUPP, EEXIST, EACCES];
            /// Device-model operations on a (HVM) target domain (CONFIG_IOREQ_SERVER).
            #[source = "xen/include/public/hvm/dm_op.h; hypercall-defs.c: dm_op(domid_t domid, unsigned int nr_bufs, xen_dm_op_buf_t *bufs)"]
            #[optional]
            #[disruptive = "acts on an HVM domain as its device model (dom0 has no such target here)"]
            #[since = "Xen 4.9"]
            dm_op = 41 (domid: range(0..=0xffff), nr_bufs: range(0..=u32::MAX), bufs: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, E2BIG, ENOENT, EOPNOTSUPP, ENOMEM, EBUSY, EEXIST, ENOSPC];
            /// Hypervisor file system (CONFIG_HYPFS, dom0 only): XEN_HYPFS_OP_get_version (all
            /// other arguments zero) answers the interface version; read and write_contents act
            /// on the node whose path (`arg1`, `arg2` bytes) exists, which random data does not
            /// name.
            #[source = "xen/include/public/hypfs.h: XEN_HYPFS_OP_*; xen/common/hypfs.c: do_hypfs_op"]
            #[optional]
            #[stateful]
            #[since = "Xen 4.14"]
            hypfs_op = 42 (cmd: enum { XEN_HYPFS_OP_get_version = 0, XEN_HYPFS_OP_read = 1, XEN_HYPFS_OP_write_contents = 2 }, arg1: ptr(nullable), arg2: range(0..=u32::MAX), arg3: ptr(nullable), arg4: range(0..=u32::MAX)) -> (ret: range(0..)) errors [EPERM, EACCES, EDOM, EEXIST, EFAULT, EINVAL, ENOBUFS, ENOENT, ENOMEM, ENOSPC, ENOTDIR, EOPNOTSUPP, E2BIG, ENOSYS];
            /// Machine-check architecture operations for dom0 (x86 PV; `__HYPERVISOR_arch_0`),
            /// including MCE and MSR injection.
            #[source = "xen/include/public/arch-x86/xen-mca.h: '__HYPERVISOR_mca __HYPERVISOR_arch_0'"]
            #[disruptive = "injects machine checks and MSR writes"]
            mca = 48 (op: ptr) -> (ret: range(0..)) errors [EPERM, EACCES, EFAULT, EINVAL, ENOENT, ENOMEM, EBUSY, ENOSYS, ENODEV, ERANGE];
            /// Continuation of a paging domctl (`__HYPERVISOR_arch_1`): Xen-internal, not in the
            /// public headers, but guest-callable (pv and hvm columns).
            #[source = "xen/arch/x86/include/asm/hypercall.h: '__HYPERVISOR_paging_domctl_cont __HYPERVISOR_arch_1'; hypercall-defs.c"]
            #[disruptive = "continues a paging domctl, changing a domain's paging mode"]
            paging_domctl_cont = 49 (op: ptr) -> (ret: range(0..)) errors [EPERM, EACCES, EFAULT, EINVAL, ESRCH, EBUSY, ENOMEM, ENOSYS];
        },
    }

    /// Xen hypercalls from 64-bit PV guests with the raw transfer instruction: `syscall` with the
    /// number in rax, arguments in rdi, rsi, rdx, r10, r8, result in rax. The CPU itself
    /// overwrites rcx (return rip) and r11 (rflags), which is why the hypercall page's stubs save
    /// them; the argument registers the call uses are clobbered as through the page. Xen compares
    /// all 64 bits of rax. `iret` through `syscall` needs the `iret_context` frame with rax, r11
    /// and rcx pushed first.
    #[source = "seed 002: hypercall-abi.rst 'Mode transfer' (64bit PV: SYSCALL)"]
    #[source = "xen/arch/x86/pv/hypercall.c: pv_ring3_init_hypercall_page (push %rcx; push %r11 around syscall)"]
    #[source = "Intel SDM vol. 2B, SYSCALL: 'RCX <- RIP; R11 <- RFLAGS'"]
    pub abi xen_x86_64_syscall ("xen-x86_64-syscall", "Xen on x86, 64-bit PV guests (syscall)") : xen_x86_64 {
        trap: syscall,
        registers: {
            rcx: clobbered,
            r11: clobbered,
            used_args: clobbered,
            others: preserved,
        },
    }

    /// Xen hypercalls from 64-bit HVM/PVH guests on Intel: `vmcall` with the number in rax,
    /// arguments in rdi, rsi, rdx, r10, r8, result in rax, used argument registers clobbered.
    /// The hvm64 column of Xen's table: the PV-only calls (page tables, traps, callbacks, debug
    /// registers, segment bases, iret, NMI, kexec, MCA, ...) answer -ENOSYS, and memory_op,
    /// grant_table_op and physdev_op accept only the sub-ops listed here. From CPL != 0 every
    /// call answers -EPERM; numbers with bit 31 set go to Viridian when that is enabled.
    #[source = "seed 002: hypercall-abi.rst 'Mode transfer' (Intel HVM: VMCALL); a vCPU in a 64-bit segment uses the 64-bit ABI"]
    #[source = "xen/include/hypercall-defs.c: 'table:' hvm64 column"]
    #[source = "xen/arch/x86/hvm/hypercall.c: hvm_hypercall (CPL check, rdi..r8, clobber_regs), hvm_memory_op, hvm_grant_table_op, hvm_physdev_op"]
    pub abi xen_x86_64_hvm_vmcall ("xen-x86_64-hvm-vmcall", "Xen on x86, 64-bit HVM guests (vmcall, Intel)") : xen_x86_64 {
        trap: vmcall,
        without: [
            set_trap_table, mmu_update, set_gdt, stack_switch, set_callbacks, fpu_taskswitch,
            sched_op_compat, set_debugreg, get_debugreg, update_descriptor, update_va_mapping,
            event_channel_op_compat, physdev_op_compat, update_va_mapping_otherdomain, iret,
            set_segment_base, nmi_op, callback_op, xenoprof_op, kexec_op, mca,
        ],
        calls: {
            /// Memory operations for HVM guests: as for PV except XENMEM_machine_memory_map and
            /// XENMEM_machphys_mapping, which answer -ENOSYS before reading anything; the queries
            /// run as for PV.
            #[source = "xen/arch/x86/hvm/hypercall.c: hvm_memory_op (-ENOSYS for machine_memory_map and machphys_mapping, else do_memory_op)"]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            memory_op = 12 (cmd: enum {
                XENMEM_increase_reservation = 0, XENMEM_decrease_reservation = 1,
                /// The highest machine frame of RAM; "always succeeds", arg == NULL.
                #[query]
                XENMEM_maximum_ram_page = 2,
                /// A domain's current reservation in pages.
                #[query]
                #[param(xen_memory_domain)]
                XENMEM_current_reservation = 3,
                /// A domain's maximum reservation in pages.
                #[query]
                #[param(xen_memory_domain)]
                XENMEM_maximum_reservation = 4,
                XENMEM_machphys_mfn_list = 5,
                XENMEM_populate_physmap = 6, XENMEM_add_to_physmap = 7, XENMEM_memory_map = 9,
                XENMEM_exchange = 11, XENMEM_set_memory_map = 13,
                /// A domain's highest guest frame number.
                #[query]
                #[param(xen_memory_domain)]
                XENMEM_maximum_gpfn = 14,
                XENMEM_remove_from_physmap = 15, XENMEM_set_pod_target = 16,
                XENMEM_get_pod_target = 17,
                /// Pages freed by memory sharing.
                #[query]
                XENMEM_get_sharing_freed_pages = 18,
                /// Pages shared by memory sharing.
                #[query]
                XENMEM_get_sharing_shared_pages = 19,
                XENMEM_paging_op = 20,
                XENMEM_access_op = 21, XENMEM_sharing_op = 22, XENMEM_add_to_physmap_batch = 23,
                XENMEM_claim_pages = 24, XENMEM_machphys_compat_mfn_list = 25,
                XENMEM_get_vnumainfo = 26, XENMEM_reserved_device_memory_map = 27,
                XENMEM_acquire_resource = 28,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EPERM, ENOENT, ESRCH, EFAULT, EINVAL, ENOMEM, EBUSY, EEXIST, EAGAIN, EOPNOTSUPP, ENOSPC, ENODEV, EXDEV, ENOBUFS, ERANGE, EACCES, ENOSYS];
            /// Grant-table operations for HVM guests: only these sub-ops; the others "need
            /// auditing" and answer -ENOSYS.
            #[source = "xen/arch/x86/hvm/hypercall.c: hvm_grant_table_op (default -ENOSYS)"]
            #[optional]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            grant_table_op = 20 (cmd: enum {
                GNTTABOP_map_grant_ref = 0, GNTTABOP_unmap_grant_ref = 1, GNTTABOP_setup_table = 2,
                GNTTABOP_copy = 5,
                /// A domain's grant-table frames and their maximum.
                #[query]
                #[param(gnttab_query_size)]
                #[args(count = 1)]
                GNTTABOP_query_size = 6,
                GNTTABOP_set_version = 8,
                /// A domain's grant-table version.
                #[query]
                #[param(gnttab_get_version)]
                #[args(count = 1)]
                GNTTABOP_get_version = 10,
                GNTTABOP_swap_grant_ref = 11,
            }, uop: ptr(nullable), count: range(0..=u32::MAX)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, ENOMEM, EBUSY, EOPNOTSUPP, E2BIG];
            /// VM assists for HVM guests: only VMASST_TYPE_runstate_update_flag.
            #[source = "xen/arch/x86/include/asm/domain.h: HVM_VM_ASSIST_MASK"]
            #[stateful]
            vm_assist = 21 (cmd: enum { VMASST_CMD_enable = 0, VMASST_CMD_disable = 1 }, kind: enum { VMASST_TYPE_runstate_update_flag = 5 }) -> (ret: range(0..=0)) errors [EINVAL, ENOSYS];
            /// Physdev operations for HVM guests: the PIRQ ops when the domain has PIRQs, the
            /// PCI/MMCFG/debug-port ops for the hardware domain; everything else -ENOSYS.
            /// A domain without PIRQs (a PVH dom0) gets -ENOSYS for the PIRQ ops before Xen
            /// reads their struct, so no unmapped-struct case is declared.
            #[source = "xen/arch/x86/hvm/hypercall.c: hvm_physdev_op (PIRQ ops: -ENOSYS unless has_pirq; default -ENOSYS)"]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            physdev_op = 33 (cmd: enum {
                /// Whether a PIRQ needs an EOI notification.
                #[query]
                #[param(physdev_irq_status_query)]
                PHYSDEVOP_irq_status_query = 5, PHYSDEVOP_eoi = 12, PHYSDEVOP_map_pirq = 13,
                PHYSDEVOP_unmap_pirq = 14, PHYSDEVOP_get_free_pirq = 23,
                PHYSDEVOP_pci_mmcfg_reserved = 24, PHYSDEVOP_pci_device_add = 25,
                PHYSDEVOP_pci_device_remove = 26, PHYSDEVOP_dbgp_op = 29,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ENODEV, ESRCH, ENOENT, EBUSY, ENOSPC, EEXIST, ENOMEM, ENXIO, EOPNOTSUPP];
        },
    }

    /// Xen hypercalls from 64-bit HVM/PVH guests on AMD: `vmmcall`, otherwise exactly
    /// `xen-x86_64-hvm-vmcall`.
    #[source = "seed 002: hypercall-abi.rst 'Mode transfer' (AMD HVM: VMMCALL)"]
    pub abi xen_x86_64_hvm_vmmcall ("xen-x86_64-hvm-vmmcall", "Xen on x86, 64-bit HVM guests (vmmcall, AMD)") : xen_x86_64_hvm_vmcall {
        trap: vmmcall,
    }

    /// Xen hypercalls from 64-bit HVM/PVH guests through the hypercall page a guest has Xen write
    /// by storing the page's guest-physical address to the MSR that CPUID leaf 0x40000x02 names
    /// (ebx; eax the number of pages): `call hypercall_page + nr*32`, each entry `mov $nr,%eax;
    /// vmmcall; ret` on AMD (`vmcall` on Intel), entry 23 (`iret`, PV only) `ud2`. Registers and
    /// calls as `xen-x86_64-hvm-vmcall` (the hvm64 column).
    #[source = "seed 002: hypercall-abi.rst 'Creating Hypercall Pages' (the CPUID leaves' hypercall transfer page information names an MSR)"]
    #[source = "xen/include/public/arch-x86/cpuid.h: Leaf 3 (0x40000x02) EAX number of hypercall transfer pages, EBX base address of Xen-specific MSRs"]
    #[source = "xen/arch/x86/hvm/svm/svm.c: svm_init_hypercall_page; xen/arch/x86/hvm/vmx/vmx.c: vmx_init_hypercall_page"]
    pub abi xen_x86_64_hvm ("xen-x86_64-hvm", "Xen on x86, 64-bit HVM/PVH guests (hypercall page from the MSR)") : xen_x86_64_hvm_vmcall {
        trap: page(32),
    }

    /// Xen hypercalls from 32-bit x86 guests through the hypercall page: `call hypercall_page +
    /// nr*32`. Number in eax, arguments in ebx, ecx, edx, esi, edi (the seed lists ebp as a
    /// sixth; Xen never reads it), result in eax; the argument registers a call uses are
    /// clobbered (a debug Xen writes 0xdeadf00d). PV stubs are `mov $nr,%eax; int $0x82; ret`.
    /// The pv32 column (compat handlers, CONFIG_PV32): 64-bit quantities travel as lo/hi
    /// register pairs, and `set_segment_base` (x86-64 only) answers -ENOSYS.
    #[source = "seed 002: hypercall-abi.rst, 'Registers' (32bit: %eax; %ebx %ecx %edx %esi %edi %ebp; %eax)"]
    #[source = "xen/include/public/arch-x86/xen-x86_32.h, 'Hypercall interface' (arguments 1-5, output %eax, 'Clobbered: Argument registers')"]
    #[source = "xen/arch/x86/pv/hypercall.c: pv_ring1_init_hypercall_page, _pv_hypercall compat path"]
    #[source = "xen/include/hypercall-defs.c: compat prototypes and the pv32 column"]
    pub abi xen_x86 ("xen-x86", "Xen on x86, 32-bit guests (hypercall page)") : xen_x86_64 {
        arch: x86,
        layout: ilp32,
        number: eax,
        args: [ebx, ecx, edx, esi, edi, ebp],
        results: [eax],
        without: [set_segment_base],
        calls: {
            /// Register the event and failsafe callbacks as selector:address pairs (32-bit PV).
            #[source = "xen/include/hypercall-defs.c: compat set_callbacks(event_selector, event_address, failsafe_selector, failsafe_address)"]
            #[disruptive]
            set_callbacks = 4 (event_selector: range(0..=0xffff), event_address: any, failsafe_selector: range(0..=0xffff), failsafe_address: any) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Write one descriptor: machine address and descriptor as lo/hi pairs (32-bit PV).
            #[source = "xen/include/hypercall-defs.c: compat update_descriptor(pa_lo, pa_hi, desc_lo, desc_hi)"]
            #[disruptive]
            update_descriptor = 10 (pa_lo: any, pa_hi: any, desc_lo: any, desc_hi: any) -> (ret: range(0..=0)) errors [EINVAL, EFAULT, ENOSYS];
            /// Update one PTE; the 64-bit PTE value as a lo/hi pair (32-bit PV).
            #[source = "xen/include/hypercall-defs.c: compat update_va_mapping(va, lo, hi, flags)"]
            #[disruptive]
            update_va_mapping = 14 (va: any, val_lo: any, val_hi: any, flags: any) -> (ret: range(0..=0)) errors [EINVAL, EFAULT, EPERM, ENOMEM, ENOSYS];
            /// Arm the one-shot timer; the 64-bit timeout as a lo/hi pair. Always answers 0.
            #[source = "xen/include/hypercall-defs.c: compat set_timer_op(uint32_t lo, uint32_t hi); xen/common/sched/compat.c"]
            #[stateful]
            set_timer_op = 15 (timeout_lo: any, timeout_hi: any) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Like `update_va_mapping`, in another domain (32-bit PV): five arguments.
            #[source = "xen/include/hypercall-defs.c: compat update_va_mapping_otherdomain(va, lo, hi, flags, domid)"]
            #[disruptive]
            update_va_mapping_otherdomain = 22 (va: any, val_lo: any, val_hi: any, flags: any, domid: range(0..=0xffff)) -> (ret: range(0..=0)) errors [EINVAL, EFAULT, EPERM, ESRCH, ENOMEM, ENOSYS];
            /// VM assists for 32-bit PV guests: types 0-5 (m2p_strict is 64-bit only).
            #[source = "xen/arch/x86/include/asm/domain.h: PV32_VM_ASSIST_MASK"]
            #[stateful]
            vm_assist = 21 (cmd: enum { VMASST_CMD_enable = 0, VMASST_CMD_disable = 1 }, kind: enum {
                VMASST_TYPE_4gb_segments = 0, VMASST_TYPE_4gb_segments_notify = 1,
                VMASST_TYPE_writable_pagetables = 2, VMASST_TYPE_pae_extended_cr3 = 3,
                VMASST_TYPE_architectural_iopl = 4, VMASST_TYPE_runstate_update_flag = 5,
            }) -> (ret: range(0..=0)) errors [EINVAL, ENOSYS];
            /// Return from an exception frame (32-bit PV): jumped to, never returns; the frame
            /// (eax, flags, eip, cs, eflags, esp, ss) is on the stack and the stub pushes eax.
            #[source = "seed 002: footnote 3; public/arch-x86/xen-x86_32.h; pv/hypercall.c: pv_ring1_init_hypercall_page iret stub"]
            #[noreturn]
            iret = 23 () -> ();
        },
    }

    /// Xen hypercalls from 32-bit PV guests with the raw transfer instruction `int $0x82`
    /// (HYPERCALL_VECTOR); registers as through the page.
    #[source = "seed 002: hypercall-abi.rst 'Mode transfer' (32bit PV: INT $0x82)"]
    #[source = "xen/arch/x86/pv/hypercall.c: do_entry_int82"]
    pub abi xen_x86_int82 ("xen-x86-int82", "Xen on x86, 32-bit PV guests (int $0x82)") : xen_x86 {
        trap: int(0x82),
    }

    /// Xen hypercalls from 32-bit HVM guests on Intel: `vmcall`, number in eax, arguments in ebx,
    /// ecx, edx, esi, edi, result in eax. The hvm32 column (same calls as hvm64, compat
    /// handlers); a vCPU outside a 64-bit code segment always uses this ABI.
    #[source = "seed 002: hypercall-abi.rst 'Registers' (32bit) and 'Mode transfer' (Intel HVM: VMCALL)"]
    #[source = "xen/include/hypercall-defs.c: 'table:' hvm32 column; xen/arch/x86/hvm/hypercall.c: hvm_hypercall (ebx..edi)"]
    pub abi xen_x86_hvm_vmcall ("xen-x86-hvm-vmcall", "Xen on x86, 32-bit HVM guests (vmcall, Intel)") : xen_x86_64_hvm_vmcall {
        arch: x86,
        layout: ilp32,
        number: eax,
        args: [ebx, ecx, edx, esi, edi, ebp],
        results: [eax],
        calls: {
            /// Arm the one-shot timer; the 64-bit timeout as a lo/hi pair. Always answers 0.
            #[source = "xen/include/hypercall-defs.c: compat set_timer_op(uint32_t lo, uint32_t hi)"]
            #[stateful]
            set_timer_op = 15 (timeout_lo: any, timeout_hi: any) -> (ret: range(0..=0)) errors [ENOSYS];
        },
    }

    /// Xen hypercalls from 32-bit HVM guests on AMD: `vmmcall`, otherwise exactly
    /// `xen-x86-hvm-vmcall`.
    #[source = "seed 002: hypercall-abi.rst 'Mode transfer' (AMD HVM: VMMCALL)"]
    pub abi xen_x86_hvm_vmmcall ("xen-x86-hvm-vmmcall", "Xen on x86, 32-bit HVM guests (vmmcall, AMD)") : xen_x86_hvm_vmcall {
        trap: vmmcall,
    }

    /// Xen hypercalls from 32-bit HVM/PVH code (a 32-bit guest, or a compatibility-mode code
    /// segment of a 64-bit one) through the hypercall page written through the CPUID-named MSR:
    /// the page's `mov $nr,%eax; vmmcall; ret` entries run in the caller's mode, so the 32-bit
    /// ABI applies. Registers and calls as `xen-x86-hvm-vmcall` (the hvm32 column).
    #[source = "seed 002: hypercall-abi.rst footnote 2 (hypercalls from compatibility mode segments use the 32bit ABI), 'Creating Hypercall Pages'"]
    #[source = "xen/arch/x86/hvm/svm/svm.c: svm_init_hypercall_page; xen/arch/x86/hvm/hypercall.c: hvm_hypercall (mode from hvm_guest_x86_mode)"]
    pub abi xen_x86_hvm ("xen-x86-hvm", "Xen on x86, 32-bit HVM/PVH code (hypercall page from the MSR)") : xen_x86_hvm_vmcall {
        trap: page(32),
    }

    /// Xen hypercalls issued by arm64 guests: `hvc #0xEA1` (XEN_HYPERCALL_TAG in the HVC
    /// immediate; any other immediate gets an UNDEF injected, and `hvc #0` is the SMCCC path),
    /// number in x16, up to five arguments in x0-x4, result in x0. x16 and the argument registers
    /// the call uses, except x0, are clobbered: a debug Xen writes 0xDEADBEEF into them (not on
    /// -ENOSYS or preemption). Pointers are guest-physical (IPA) addresses, parameter structs
    /// follow AAPCS64 and are little-endian, and shared memory must be Normal inner/outer
    /// write-back inner-shareable. The arm column of Xen's table: no PV MMU, trap, callback or
    /// timer hypercalls; the three legacy `*_compat` numbers are deprecated stubs answering
    /// -ENOSYS.
    #[source = "seed 000: Xen public/arch-arm.h, 'Hypercall ABI' (hvc, x16/r12, x0-x4/r0-r4, x0/r0, clobbers)"]
    #[source = "xen/include/public/arch-arm.h: XEN_HYPERCALL_TAG 0XEA1; 'Supported Hypercalls'"]
    #[source = "xen/arch/arm/traps.c: do_trap_hypercall (tag check, HYPERCALL_ARG1-5 = x0-x4, debug clobber of args 2-5 and x16), dep_* stubs"]
    #[source = "xen/include/hypercall-defs.c: 'table:' arm column"]
    pub abi xen_arm64 ("xen-arm64", "Xen on Arm, arm64 guests") : xen_x86_64 {
        arch: aarch64,
        layout: aapcs64,
        structs: {
            /// `xen_platform_op` selecting `XENPF_settime64` (Arm's only platform operation):
            /// the header, `u.settime64` (seconds, nanoseconds, a must-be-zero word, the system
            /// time it refers to) and the rest of the union.
            #[source = "xen/include/public/platform.h: struct xen_platform_op, struct xenpf_settime64"]
            xen_platform_op_with_settime64 {
                cmd: u32, interface_version: u32,
                secs: u64, nsecs: u32, #[reserved] mbz: u32, system_time: u64,
                #[reserved] u_rest: [u64; 13]
            }
            /// `xen_domctl` selecting `XEN_DOMCTL_getdomaininfo`, as on x86 but with Arm's
            /// `xen_arch_domainconfig` (GIC version, TEE type, SPIs, timer frequency: 12 bytes,
            /// so getdomaininfo is 120 bytes with its tail padding and 8 bytes of `u` follow).
            /// Xen 4.18 put `sve_vl` into the padding byte after `gic_version`.
            #[source = "xen/include/public/domctl.h: struct xen_domctl, struct xen_domctl_getdomaininfo (Xen 4.17)"]
            #[source = "xen/include/public/arch-arm.h: struct xen_arch_domainconfig (gic_version, tee_type, nr_spis, clock_frequency; 4.20: sve_vl after gic_version)"]
            xen_domctl_with_getdomaininfo {
                cmd: u32, interface_version: u32, domain: u16, #[reserved] _pad: [u16; 3],
                #[out] #[domain(0..=0x7fef)] info_domain: u16, #[out] pad1: u16, #[out] flags: u32,
                #[out] tot_pages: u64_aligned, #[out] max_pages: u64_aligned,
                #[out] outstanding_pages: u64_aligned, #[out] shr_pages: u64_aligned,
                #[out] paged_pages: u64_aligned, #[out] shared_info_frame: u64_aligned,
                #[out] cpu_time: u64_aligned,
                #[out] #[domain(1..)] nr_online_vcpus: u32, #[out] max_vcpu_id: u32,
                #[out] ssidref: u32, #[out] handle: [u8; 16], #[out] cpupool: u32,
                #[out] #[domain(1..=64)] gpaddr_bits: u8, #[out] pad2: [u8; 7],
                #[out] gic_version: u8, #[out] tee_type: u16, #[out] nr_spis: u32,
                #[out] clock_frequency: u32,
                // getdomaininfo's 4 bytes of tail padding, then the union's last 8 bytes.
                #[reserved] u_rest: [u64_aligned; 1]
            }
        },
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: {
            number: clobbered,
            used_args: clobbered,
            others: preserved,
        },
        without: [
            set_trap_table, mmu_update, set_gdt, stack_switch, set_callbacks, fpu_taskswitch,
            set_debugreg, get_debugreg, update_descriptor, update_va_mapping, set_timer_op,
            update_va_mapping_otherdomain, iret, set_segment_base, mmuext_op, nmi_op,
            callback_op, xenoprof_op, kexec_op, xenpmu_op, mca, paging_domctl_cont,
        ],
        calls: {
            /// Platform operations on Arm: only `XENPF_settime64`, which sets the wall clock of
            /// every domain (disruptive), so only a `cmd` Xen does not know runs (-ENOSYS after
            /// the interface-version check).
            #[source = "xen/arch/arm/platform_hypercall.c: do_platform_op (copy_from_guest -> -EFAULT; interface_version -> -EACCES; xsm_platform_op; XENPF_settime64; default -ENOSYS)"]
            #[disruptive]
            #[selector_field(cmd)]
            #[fixed(interface_version = 0x0300_0001)]
            #[bad_fixed(EACCES)]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            platform_op = 7 (op: ptr {
                /// Set the wall-clock time.
                #[param(xen_platform_op_with_settime64)]
                XENPF_settime64 = 62,
            }) -> (ret: range(0..)) errors [EPERM, EACCES, EFAULT, EINVAL, EBUSY, EAGAIN, ENOSYS];
            /// Legacy scheduler hypercall: on Arm a deprecated stub that answers -ENOSYS.
            #[source = "xen/arch/arm/traps.c: dep_sched_op_compat -> do_deprecated_hypercall (-ENOSYS)"]
            #[removed]
            sched_op_compat = 6 (cmd: any, arg: any) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Legacy event-channel hypercall: on Arm a deprecated stub that answers -ENOSYS.
            #[source = "xen/arch/arm/traps.c: dep_event_channel_op_compat -> do_deprecated_hypercall (-ENOSYS)"]
            #[removed]
            event_channel_op_compat = 16 (op: any) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Legacy physdev hypercall: on Arm a deprecated stub that answers -ENOSYS.
            #[source = "xen/arch/arm/traps.c: dep_physdev_op_compat -> do_deprecated_hypercall (-ENOSYS)"]
            #[removed]
            physdev_op_compat = 19 (op: any) -> (ret: range(0..=0)) errors [ENOSYS];
            /// Memory operations on Arm: the common ones; Arm's arch_memory_op answers
            /// XENMEM_get_sharing_*_pages with 0 and everything x86-specific with -ENOSYS, before
            /// reading any struct.
            #[source = "xen/include/public/memory.h: XENMEM_* (MEMOP_CMD_MASK); xen/common/memory.c: do_memory_op (copy_from_guest -> -EFAULT); arch_memory_op default -ENOSYS"]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            memory_op = 12 (cmd: enum {
                XENMEM_increase_reservation = 0, XENMEM_decrease_reservation = 1,
                /// The highest machine frame of RAM; "always succeeds", arg == NULL.
                #[query]
                #[source = "xen/include/public/memory.h: XENMEM_maximum_ram_page 2"]
                XENMEM_maximum_ram_page = 2,
                /// A domain's current reservation in pages.
                #[query]
                #[param(xen_memory_domain)]
                #[source = "xen/include/public/memory.h: XENMEM_current_reservation 3"]
                XENMEM_current_reservation = 3,
                /// A domain's maximum reservation in pages.
                #[query]
                #[param(xen_memory_domain)]
                #[source = "xen/include/public/memory.h: XENMEM_maximum_reservation 4"]
                XENMEM_maximum_reservation = 4,
                XENMEM_machphys_mfn_list = 5,
                XENMEM_populate_physmap = 6, XENMEM_add_to_physmap = 7, XENMEM_memory_map = 9,
                XENMEM_machine_memory_map = 10, XENMEM_exchange = 11,
                /// x86 only: Arm's arch_memory_op answers -ENOSYS without reading `arg`.
                #[query]
                #[source = "xen/arch/arm/mm.c: arch_memory_op (default -ENOSYS)"]
                XENMEM_machphys_mapping = 12,
                XENMEM_set_memory_map = 13,
                /// The highest GFN in use by a domain.
                #[query]
                #[param(xen_memory_domain)]
                #[source = "xen/include/public/memory.h: XENMEM_maximum_gpfn 14"]
                XENMEM_maximum_gpfn = 14,
                XENMEM_remove_from_physmap = 15, XENMEM_set_pod_target = 16,
                XENMEM_get_pod_target = 17,
                /// Always 0 on Arm.
                #[query]
                #[source = "xen/arch/arm/mm.c: arch_memory_op (XENMEM_get_sharing_*_pages: return 0)"]
                XENMEM_get_sharing_freed_pages = 18,
                /// Always 0 on Arm.
                #[query]
                #[source = "xen/arch/arm/mm.c: arch_memory_op (XENMEM_get_sharing_*_pages: return 0)"]
                XENMEM_get_sharing_shared_pages = 19,
                XENMEM_paging_op = 20,
                XENMEM_access_op = 21, XENMEM_sharing_op = 22, XENMEM_add_to_physmap_batch = 23,
                XENMEM_claim_pages = 24, XENMEM_machphys_compat_mfn_list = 25,
                XENMEM_get_vnumainfo = 26, XENMEM_reserved_device_memory_map = 27,
                XENMEM_acquire_resource = 28,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EPERM, ENOENT, ESRCH, EFAULT, EINVAL, ENOMEM, EBUSY, EEXIST, EAGAIN, EOPNOTSUPP, ENOSPC, ENODEV, EXDEV, ENOBUFS, ERANGE, EACCES, ENOSYS];
            /// VM assists on Arm: only VMASST_TYPE_runstate_update_flag.
            #[source = "xen/arch/arm/include/asm/domain.h: arch_vm_assist_valid_mask"]
            #[stateful]
            vm_assist = 21 (cmd: enum { VMASST_CMD_enable = 0, VMASST_CMD_disable = 1 }, kind: enum { VMASST_TYPE_runstate_update_flag = 5 }) -> (ret: range(0..=0)) errors [EINVAL, ENOSYS];
            /// Per-vCPU operations on Arm: only registering the vcpu_info and runstate areas
            /// (Xen then writes into the named guest frame); other commands -EINVAL, a bad vCPU
            /// -ENOENT.
            #[source = "xen/arch/arm/domain.c: do_vcpu_op; public/arch-arm.h 'Supported Hypercalls' (vcpu_op)"]
            #[disruptive]
            #[unknown_subop(EINVAL)]
            vcpu_op = 24 (cmd: enum { #[disruptive] VCPUOP_register_runstate_memory_area = 5, VCPUOP_register_vcpu_info = 10 }, vcpuid: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOENT, ENOSYS, EEXIST, EBUSY, ENOMEM];
            /// Physdev operations on Arm: PCI device add/remove when Xen has PCI support
            /// (CONFIG_HAS_PCI, not selected on Arm in 4.17: then every command is -ENOSYS).
            #[source = "xen/arch/arm/physdev.c: do_arm_physdev_op; public/arch-arm.h 'Supported Hypercalls' (physdev_op)"]
            #[optional]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            physdev_op = 33 (cmd: enum { #[disruptive] PHYSDEVOP_pci_device_add = 25, PHYSDEVOP_pci_device_remove = 26 }, arg: ptr(nullable)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ENODEV, EEXIST, ENOMEM, EBUSY];
            /// HVM operations on Arm: get/set a parameter, guest_request_vm_event.
            #[source = "xen/arch/arm/hvm.c: do_hvm_op (copy_from_guest -> -EFAULT, default -ENOSYS); public/arch-arm.h 'Supported Hypercalls' (hvm_op)"]
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            #[bad_buffer(EFAULT)]
            hvm_op = 34 (op: enum { HVMOP_set_param = 0, #[query] #[param(xen_hvm_param)] HVMOP_get_param = 1, HVMOP_guest_request_vm_event = 24 }, arg: ptr(nullable)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, ENOENT];
            /// XSM (FLASK) operations; CONFIG_XSM is on by default on Arm.
            #[source = "xen/common/Kconfig: XSM 'default ARM'; hypercall-defs.c: xsm_op"]
            #[optional]
            #[disruptive]
            xsm_op = 27 (op: ptr) -> (ret: range(0..)) errors [EPERM, EACCES, EFAULT, EINVAL, ENOENT, ENOMEM, ENOSYS, ERANGE, E2BIG];
        },
    }

    /// An arm64 guest's `hvc` with an immediate other than XEN_HYPERCALL_TAG (0xEA1; here 0xEA2,
    /// and `hvc #0` is the SMCCC path): Xen does not treat it as a hypercall, whatever x16 holds,
    /// and injects an UNDEF (ESR_EL1.EC = 0) into the guest. Every number is therefore "unknown"
    /// and must raise that exception; no register may change. Observed detail: the ELR_EL1 of
    /// the injected UNDEF points after the `hvc`, where an architectural UNDEF would point at the
    /// instruction.
    #[source = "xen/include/public/arch-arm.h: XEN_HYPERCALL_TAG 0XEA1 ('the immediate ... is XEN_HYPERCALL_TAG')"]
    #[source = "xen/arch/arm/traps.c: do_trap_hvc64 ('Invalid HVC imm' -> inject_undef_exception)"]
    pub abi xen_arm64_badimm ("xen-arm64-badimm", "Xen on Arm, arm64 guests: hvc with a foreign immediate (UNDEF)") {
        arch: aarch64,
        trap: hvc(0xEA2),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: {
            others: preserved,
        },
        errors: { ENOSYS = -38 },
        unknown: exception("UNDEF"),
        revision: "Xen 4.17",
        calls: {},
    }

    /// Xen hypercalls issued by arm32 guests: `hvc #0xEA1`, number in r12 (ip), up to five
    /// arguments in r0-r4, result in r0. r12 and the argument registers the call uses, except
    /// r0, are clobbered (a debug Xen writes 0xDEADBEEF). The same calls as arm64, whether the
    /// hypervisor underneath is 32- or 64-bit; struct layouts follow AAPCS64 where they differ.
    #[source = "seed 000: Xen public/arch-arm.h, 'Hypercall ABI' (r12, r0-r4, r0)"]
    #[source = "xen/arch/arm/traps.c: HYPERCALL_ARG1-5 = r0-r4 for 32-bit guests"]
    pub abi xen_arm32 ("xen-arm32", "Xen on Arm, arm32 guests") : xen_arm64 {
        arch: arm,
        number: r12,
        args: [r0, r1, r2, r3, r4],
        results: [r0],
    }

    /// An arm32 guest's `hvc` with an immediate other than XEN_HYPERCALL_TAG (here 0xEA2): as
    /// for arm64, Xen injects an UNDEF whatever r12 holds, so every number raises it and no
    /// register may change. Observed detail: Xen sets the UNDEF's return address (LR_und) to
    /// the address after the `hvc` plus 4, as if the `hvc` itself had been undefined
    /// (`inject_undef32_exception`: `lr_und = pc32 + 4`, where pc32 already points after the
    /// trapped `hvc`); the harness resumes after the `hvc`.
    #[source = "xen/include/public/arch-arm.h: XEN_HYPERCALL_TAG 0XEA1"]
    #[source = "xen/arch/arm/traps.c: do_trap_hvc32 / do_trap_hypercall ('Invalid HVC imm' -> inject_undef_exception), inject_undef32_exception"]
    pub abi xen_arm32_badimm ("xen-arm32-badimm", "Xen on Arm, arm32 guests: hvc with a foreign immediate (UNDEF)") : xen_arm64_badimm {
        arch: arm,
        number: r12,
        args: [r0, r1, r2, r3, r4],
        results: [r0],
    }
}

#[cfg(test)]
mod tests {
    use abi_spec::{Abi, Effect, Role, Status};

    use super::*;

    /// `__HYPERVISOR_*` from xen/include/public/xen.h (4.17), plus the x86 arch_0/arch_1 users
    /// (`__HYPERVISOR_mca`, public/arch-x86/xen-mca.h; `paging_domctl_cont`, asm/hypercall.h).
    const XEN_H: &[(&str, u64)] = &[
        ("set_trap_table", 0),
        ("mmu_update", 1),
        ("set_gdt", 2),
        ("stack_switch", 3),
        ("set_callbacks", 4),
        ("fpu_taskswitch", 5),
        ("sched_op_compat", 6),
        ("platform_op", 7),
        ("set_debugreg", 8),
        ("get_debugreg", 9),
        ("update_descriptor", 10),
        ("memory_op", 12),
        ("multicall", 13),
        ("update_va_mapping", 14),
        ("set_timer_op", 15),
        ("event_channel_op_compat", 16),
        ("xen_version", 17),
        ("console_io", 18),
        ("physdev_op_compat", 19),
        ("grant_table_op", 20),
        ("vm_assist", 21),
        ("update_va_mapping_otherdomain", 22),
        ("iret", 23),
        ("vcpu_op", 24),
        ("set_segment_base", 25),
        ("mmuext_op", 26),
        ("xsm_op", 27),
        ("nmi_op", 28),
        ("sched_op", 29),
        ("callback_op", 30),
        ("xenoprof_op", 31),
        ("event_channel_op", 32),
        ("physdev_op", 33),
        ("hvm_op", 34),
        ("sysctl", 35),
        ("domctl", 36),
        ("kexec_op", 37),
        ("tmem_op", 38),
        ("argo_op", 39),
        ("xenpmu_op", 40),
        ("dm_op", 41),
        ("hypfs_op", 42),
        ("mca", 48),
        ("paging_domctl_cont", 49),
    ];

    /// The hypercall-defs.c `table:` rows (4.17) with their columns: pv32 pv64 hvm32 hvm64 arm.
    /// `x` = a handler, `-` = none. tmem_op has no column at all.
    const TABLE: &[(&str, &str)] = &[
        ("set_trap_table", "xx---"),
        ("mmu_update", "xx---"),
        ("set_gdt", "xx---"),
        ("stack_switch", "xx---"),
        ("set_callbacks", "xx---"),
        ("fpu_taskswitch", "xx---"),
        ("sched_op_compat", "xx--x"),
        ("platform_op", "xxxxx"),
        ("set_debugreg", "xx---"),
        ("get_debugreg", "xx---"),
        ("update_descriptor", "xx---"),
        ("memory_op", "xxxxx"),
        ("multicall", "xxxxx"),
        ("update_va_mapping", "xx---"),
        ("set_timer_op", "xxxx-"),
        ("event_channel_op_compat", "xx--x"),
        ("xen_version", "xxxxx"),
        ("console_io", "xxxxx"),
        ("physdev_op_compat", "xx--x"),
        ("grant_table_op", "xxxxx"),
        ("vm_assist", "xxxxx"),
        ("update_va_mapping_otherdomain", "xx---"),
        ("iret", "xx---"),
        ("vcpu_op", "xxxxx"),
        ("set_segment_base", "xx---"),
        ("mmuext_op", "xxxx-"),
        ("xsm_op", "xxxxx"),
        ("nmi_op", "xx---"),
        ("sched_op", "xxxxx"),
        ("callback_op", "xx---"),
        ("xenoprof_op", "xx---"),
        ("event_channel_op", "xxxxx"),
        ("physdev_op", "xxxxx"),
        ("hvm_op", "xxxxx"),
        ("sysctl", "xxxxx"),
        ("domctl", "xxxxx"),
        ("kexec_op", "xx---"),
        ("argo_op", "xxxxx"),
        ("xenpmu_op", "xxxx-"),
        ("dm_op", "xxxxx"),
        ("hypfs_op", "xxxxx"),
        ("mca", "xx---"),
        ("paging_domctl_cont", "xxxx-"),
    ];

    /// Argument counts from the hypercall-defs.c prototypes: native (64-bit, and Arm) and compat.
    const ARGS: &[(&str, usize, usize)] = &[
        ("set_trap_table", 1, 1),
        ("mmu_update", 4, 4),
        ("set_gdt", 2, 2),
        ("stack_switch", 2, 2),
        ("set_callbacks", 3, 4),
        ("fpu_taskswitch", 1, 1),
        ("sched_op_compat", 2, 2),
        ("platform_op", 1, 1),
        ("set_debugreg", 2, 2),
        ("get_debugreg", 1, 1),
        ("update_descriptor", 2, 4),
        ("memory_op", 2, 2),
        ("multicall", 2, 2),
        ("update_va_mapping", 3, 4),
        ("set_timer_op", 1, 2),
        ("event_channel_op_compat", 1, 1),
        ("xen_version", 2, 2),
        ("console_io", 3, 3),
        ("physdev_op_compat", 1, 1),
        ("grant_table_op", 3, 3),
        ("vm_assist", 2, 2),
        ("update_va_mapping_otherdomain", 4, 5),
        ("iret", 0, 0),
        ("vcpu_op", 3, 3),
        ("set_segment_base", 2, 2),
        ("mmuext_op", 4, 4),
        ("xsm_op", 1, 1),
        ("nmi_op", 2, 2),
        ("sched_op", 2, 2),
        ("callback_op", 2, 2),
        ("xenoprof_op", 2, 2),
        ("event_channel_op", 2, 2),
        ("physdev_op", 2, 2),
        ("hvm_op", 2, 2),
        ("sysctl", 1, 1),
        ("domctl", 1, 1),
        ("kexec_op", 2, 2),
        ("tmem_op", 1, 1),
        ("argo_op", 5, 5),
        ("xenpmu_op", 2, 2),
        ("dm_op", 3, 3),
        ("hypfs_op", 5, 5),
        ("mca", 1, 1),
        ("paging_domctl_cont", 1, 1),
    ];

    fn family() -> [(&'static Abi, Option<usize>, bool); 10] {
        // (ABI, its hypercall-defs.c column, compat argument counts)
        [
            (&xen_x86_64::ABI, Some(1), false),
            (&xen_x86_64_syscall::ABI, Some(1), false),
            (&xen_x86_64_hvm_vmcall::ABI, Some(3), false),
            (&xen_x86_64_hvm_vmmcall::ABI, Some(3), false),
            (&xen_x86::ABI, Some(0), true),
            (&xen_x86_int82::ABI, Some(0), true),
            (&xen_x86_hvm_vmcall::ABI, Some(2), true),
            (&xen_x86_hvm_vmmcall::ABI, Some(2), true),
            (&xen_arm64::ABI, Some(4), false),
            (&xen_arm32::ABI, Some(4), false),
        ]
    }

    #[test]
    fn every_number_is_the_one_xen_h_gives() {
        for (abi, _, _) in family() {
            for call in abi.calls {
                let want = XEN_H.iter().find(|(n, _)| *n == call.name);
                assert_eq!(
                    want.map(|w| w.1),
                    Some(call.number[0]),
                    "{}: {}",
                    abi.id,
                    call.name
                );
            }
        }
        // The base declares every number.
        assert_eq!(xen_x86_64::ABI.calls.len(), XEN_H.len());
    }

    /// Each ABI has exactly its table column (tmem_op kept everywhere as a removed number),
    /// except `set_segment_base`, which the pv32 column routes to a handler that answers
    /// -ENOSYS for 32-bit guests and the 32-bit ABIs therefore leave out.
    #[test]
    fn every_abi_has_exactly_its_column_of_the_table() {
        for (abi, column, _) in family() {
            let column = column.unwrap();
            let mut want: Vec<&str> = TABLE
                .iter()
                .filter(|(_, cols)| cols.as_bytes()[column] == b'x')
                .map(|(n, _)| *n)
                .filter(|n| !(column == 0 && *n == "set_segment_base"))
                .collect();
            want.push("tmem_op");
            want.sort();
            let mut have: Vec<&str> = abi.calls.iter().map(|c| c.name).collect();
            have.sort();
            assert_eq!(have, want, "{}", abi.id);
        }
    }

    #[test]
    fn argument_counts_follow_the_prototypes() {
        for (abi, _, compat) in family() {
            for call in abi.calls {
                let (_, native, compat_n) = ARGS.iter().find(|(n, ..)| *n == call.name).unwrap();
                let want = if compat { *compat_n } else { *native };
                assert_eq!(call.args.len(), want, "{}: {}", abi.id, call.name);
            }
        }
    }

    #[test]
    fn the_errno_table_is_shared_by_the_whole_family() {
        for (abi, _, _) in family() {
            assert_eq!(abi.errors, xen_x86_64::ABI.errors, "{}", abi.id);
            assert_eq!(abi.error("ENOSYS").unwrap().value, -38);
            for call in abi.calls.iter().filter(|c| c.effect != Effect::NoReturn) {
                assert!(
                    call.errors.iter().any(|e| e.name == "ENOSYS"),
                    "{}: {} can answer -ENOSYS (compiled out, wrong guest type)",
                    abi.id,
                    call.name
                );
            }
        }
    }

    fn role(abi: &Abi, call: &str, reg: &str) -> Role {
        abi.role_after(abi.call(call).unwrap(), abi.arch.reg(reg).unwrap())
    }

    #[test]
    fn arm_clobbers_the_number_and_the_used_arguments_except_the_result() {
        for (abi, regs) in [
            (&xen_arm64::ABI, ["x0", "x1", "x2", "x3", "x16"]),
            (&xen_arm32::ABI, ["r0", "r1", "r2", "r3", "r12"]),
        ] {
            assert_eq!(abi.trap, abi_spec::Trap::Hvc(0xEA1));
            // console_io takes three arguments.
            assert_eq!(role(abi, "console_io", regs[0]), Role::Result);
            assert_eq!(role(abi, "console_io", regs[1]), Role::MayClobber);
            assert_eq!(role(abi, "console_io", regs[2]), Role::MayClobber);
            assert_eq!(role(abi, "console_io", regs[3]), Role::Preserved);
            assert_eq!(role(abi, "console_io", regs[4]), Role::MayClobber);
        }
    }

    #[test]
    fn only_the_raw_syscall_loses_rcx_and_r11() {
        for abi in [
            &xen_x86_64::ABI,
            &xen_x86_64_hvm_vmcall::ABI,
            &xen_x86_64_hvm_vmmcall::ABI,
        ] {
            assert_eq!(
                role(abi, "xen_version", "rcx"),
                Role::Preserved,
                "{}",
                abi.id
            );
            assert_eq!(
                role(abi, "xen_version", "r11"),
                Role::Preserved,
                "{}",
                abi.id
            );
        }
        let abi = &xen_x86_64_syscall::ABI;
        assert_eq!(role(abi, "xen_version", "rcx"), Role::MayClobber);
        assert_eq!(role(abi, "xen_version", "r11"), Role::MayClobber);
        assert_eq!(role(abi, "xen_version", "rdi"), Role::MayClobber);
        assert_eq!(role(abi, "xen_version", "rdx"), Role::Preserved);
        // r9 and ebp are the seed's sixth argument registers, which no call uses.
        assert_eq!(role(abi, "hypfs_op", "r9"), Role::Preserved);
        assert_eq!(role(&xen_x86::ABI, "hypfs_op", "ebp"), Role::Preserved);
        assert_eq!(role(&xen_x86::ABI, "hypfs_op", "edi"), Role::MayClobber);
    }

    #[test]
    fn iret_is_a_jump_and_every_random_call_is_harmless() {
        for (abi, _, _) in family() {
            if let Some(iret) = abi.call("iret") {
                assert_eq!(iret.effect, Effect::NoReturn, "{}", abi.id);
            }
            let runnable: Vec<&str> = abi
                .calls
                .iter()
                .filter(|c| matches!(c.effect, Effect::Query | Effect::Stateful))
                .map(|c| c.name)
                .collect();
            for name in &runnable {
                assert!(
                    [
                        "xen_version",
                        "get_debugreg",
                        "console_io",
                        "set_timer_op",
                        "vm_assist",
                        "hypfs_op",
                        "tmem_op",
                        "sched_op_compat",
                        "event_channel_op_compat",
                        "physdev_op_compat",
                    ]
                    .contains(name),
                    "{}: {name} would be sent random arguments",
                    abi.id
                );
            }
            for name in [
                "sched_op",
                "memory_op",
                "grant_table_op",
                "vcpu_op",
                "domctl",
            ] {
                assert_eq!(
                    abi.call(name).unwrap().effect,
                    Effect::Disruptive,
                    "{}: {name}",
                    abi.id
                );
            }
        }
        // The compat numbers only run where they are -ENOSYS stubs.
        for name in [
            "sched_op_compat",
            "event_channel_op_compat",
            "physdev_op_compat",
        ] {
            assert_eq!(xen_arm64::ABI.call(name).unwrap().status, Status::Removed);
            let x86 = xen_x86_64::ABI.call(name).unwrap();
            assert_eq!(
                (x86.status, x86.effect),
                (Status::Deprecated, Effect::Disruptive)
            );
        }
    }
}
