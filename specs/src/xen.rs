//! Xen hypercall ABIs.
//!
//! Sources: seed 000 (Xen's `public/arch-arm.h`, "Hypercall ABI"), seed 002 (the Xen x86 ABI:
//! `public/arch-x86/xen-x86_64.h`), hypercall numbers from `xen/include/public/xen.h`, argument
//! counts from `xen/include/hypercall-defs.c`, error values from `xen/include/public/errno.h`.

abi_macros::hypercall_abi! {
    /// Xen hypercalls issued by arm64 guests: `hvc #0xEA1`, number in x16, up to five arguments in
    /// x0-x4, result in x0. x16 and the argument registers the call uses (except x0) are clobbered;
    /// a debug Xen writes 0xDEADBEEF into them.
    #[source = "seed 000: Xen public/arch-arm.h, section 'Hypercall ABI' (XEN_HYPERCALL_TAG = 0xEA1)"]
    #[source = "xen/include/public/xen.h (__HYPERVISOR_* numbers)"]
    #[source = "xen/include/hypercall-defs.c (argument counts, table for arm)"]
    pub abi xen_arm64 ("xen-arm64", "Xen on Arm, arm64 guests") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: {
            number: clobbered,
            used_args: clobbered,
            others: preserved,
        },
        errors: {
            EPERM = -1, ENOENT = -2, ESRCH = -3, EINTR = -4, EIO = -5, E2BIG = -7, EBADF = -9,
            EAGAIN = -11, ENOMEM = -12, EACCES = -13, EFAULT = -14, EBUSY = -16, EEXIST = -17,
            EXDEV = -18, ENODEV = -19, EINVAL = -22, ENOSPC = -28, ERANGE = -34, ENOSYS = -38,
            EOPNOTSUPP = -95,
        },
        unknown: error(ENOSYS),
        revision: "Xen 4.17",
        calls: {
            /// Platform operations (dom0 only).
            #[stateful]
            platform_op = 7 (op: ptr(align = 8)) -> (ret: range(0..)) errors [EPERM, EFAULT, EINVAL, ENOSYS, EACCES];
            /// Memory reservation and physmap operations.
            #[stateful]
            memory_op = 12 (cmd: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EPERM, EFAULT, EINVAL, ENOSYS, ENOMEM, ESRCH];
            /// Issue several hypercalls in one trap.
            #[stateful]
            multicall = 13 (calls: ptr(align = 8), nr_calls: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Version and build information; `XENVER_version` returns major << 16 | minor.
            xen_version = 17 (cmd: enum {
                XENVER_version = 0, XENVER_extraversion = 1, XENVER_compile_info = 2,
                XENVER_capabilities = 3, XENVER_changeset = 4, XENVER_platform_parameters = 5,
                XENVER_get_features = 6, XENVER_pagesize = 7, XENVER_guest_handle = 8,
                XENVER_commandline = 9, XENVER_build_id = 10,
            }, arg: ptr(nullable)) -> (ret: range(0..=i64::MAX)) errors [EFAULT, EPERM, EINVAL, ENOSYS];
            /// Write to (or read from) the hypervisor console.
            console_io = 18 (cmd: enum { CONSOLEIO_write = 0, CONSOLEIO_read = 1 }, count: range(0..=u32::MAX), buffer: ptr) -> (ret: range(0..)) errors [EFAULT, EINVAL, EPERM, ENOSYS];
            /// Grant-table operations.
            #[stateful]
            grant_table_op = 20 (cmd: range(0..=u32::MAX), uop: ptr(nullable), count: range(0..=u32::MAX)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM];
            /// Enable or disable a VM assist.
            #[stateful]
            vm_assist = 21 (cmd: enum { VMASST_CMD_enable = 0, VMASST_CMD_disable = 1 }, kind: range(0..=31)) -> (ret: range(0..=0)) errors [EINVAL, ENOSYS];
            /// Per-vCPU operations.
            #[stateful]
            vcpu_op = 24 (cmd: range(0..=u32::MAX), vcpuid: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOENT, ENOSYS, EPERM, EEXIST];
            /// XSM/FLASK operations.
            #[optional]
            xsm_op = 27 (op: ptr) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, EACCES];
            /// Scheduler operations; SCHEDOP_shutdown stops the domain.
            #[disruptive]
            sched_op = 29 (cmd: enum {
                SCHEDOP_yield = 0, SCHEDOP_block = 1, SCHEDOP_shutdown = 2, SCHEDOP_poll = 3,
                SCHEDOP_remote_shutdown = 4, SCHEDOP_shutdown_code = 5, SCHEDOP_watchdog = 6,
                SCHEDOP_pin_override = 7,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH];
            /// Event-channel operations.
            #[stateful]
            event_channel_op = 32 (cmd: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ENOSPC, ENOENT];
            /// Physical-device operations.
            #[stateful]
            physdev_op = 33 (cmd: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ENODEV];
            /// HVM operations (parameters, ...).
            #[stateful]
            hvm_op = 34 (op: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH];
            /// System control (dom0 only).
            #[stateful]
            sysctl = 35 (op: ptr(align = 8)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, EACCES];
            /// Domain control (dom0 only).
            #[stateful]
            domctl = 36 (op: ptr(align = 8)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, EACCES, ESRCH];
            /// Argo inter-domain communication (when built in).
            #[optional]
            #[stateful]
            argo_op = 39 (cmd: range(0..=u32::MAX), arg1: ptr(nullable), arg2: ptr(nullable), arg3: any, arg4: any) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, EOPNOTSUPP];
            /// Device-model operations.
            #[stateful]
            dm_op = 41 (domid: range(0..=0xffff), nr_bufs: range(0..=u32::MAX), bufs: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, E2BIG];
            /// Hypervisor file system.
            #[optional]
            hypfs_op = 42 (cmd: range(0..=u32::MAX), arg1: ptr(nullable), arg2: range(0..=u32::MAX), arg3: ptr(nullable), arg4: range(0..=u32::MAX)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ENOENT];
        },
    }
}

abi_macros::hypercall_abi! {
    /// Xen hypercalls from 64-bit x86 guests, through the hypercall page Xen writes into the guest:
    /// `call hypercall_page + nr*32`. Number in rax, arguments in rdi, rsi, rdx, r10, r8, result
    /// in rax; the argument registers the call uses are clobbered (a debug Xen writes
    /// 0xdeadbeefdeadf00d). The PV stub is `push %rcx; push %r11; mov $nr,%eax; syscall; pop %r11;
    /// pop %rcx; ret`, so rcx and r11 survive the page and callers must allow the stub the stack.
    #[source = "seed 002: the Xen x86 ABI (64-bit registers, hypercall page)"]
    #[source = "xen/include/public/arch-x86/xen-x86_64.h ('Clobbered: argument registers')"]
    #[source = "xen/include/public/xen.h (__HYPERVISOR_* numbers); xen/arch/x86/pv/hypercall.c (page stubs)"]
    pub abi xen_x86_64 ("xen-x86_64", "Xen on x86, 64-bit guests (hypercall page)") {
        arch: x86_64,
        trap: page(32),
        number: rax,
        args: [rdi, rsi, rdx, r10, r8],
        results: [rax],
        registers: {
            used_args: clobbered,
            others: preserved,
        },
        errors: {
            EPERM = -1, ENOENT = -2, ESRCH = -3, EINTR = -4, EIO = -5, E2BIG = -7, EBADF = -9,
            EAGAIN = -11, ENOMEM = -12, EACCES = -13, EFAULT = -14, EBUSY = -16, EEXIST = -17,
            EXDEV = -18, ENODEV = -19, EINVAL = -22, ENOSPC = -28, ERANGE = -34, ENOSYS = -38,
            EOPNOTSUPP = -95,
        },
        unknown: error(ENOSYS),
        revision: "Xen 4.17",
        calls: {
            /// Install the virtual IDT.
            #[stateful]
            set_trap_table = 0 (traps: ptr(nullable)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Batch page-table updates.
            #[stateful]
            mmu_update = 1 (reqs: ptr(align = 8), count: range(0..=u32::MAX), success_count: ptr(nullable), foreigndom: range(0..=0xffff)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH];
            /// Memory reservation and physmap operations.
            #[stateful]
            memory_op = 12 (cmd: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EPERM, EFAULT, EINVAL, ENOSYS, ENOMEM, ESRCH];
            /// Issue several hypercalls in one trap.
            #[stateful]
            multicall = 13 (calls: ptr(align = 8), nr_calls: range(0..=u32::MAX)) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Arm the one-shot timer.
            #[stateful]
            set_timer_op = 15 (timeout: any) -> (ret: range(0..=0)) errors [EINVAL, ENOSYS];
            /// Version and build information; `XENVER_version` returns major << 16 | minor.
            xen_version = 17 (cmd: enum {
                XENVER_version = 0, XENVER_extraversion = 1, XENVER_compile_info = 2,
                XENVER_capabilities = 3, XENVER_changeset = 4, XENVER_platform_parameters = 5,
                XENVER_get_features = 6, XENVER_pagesize = 7, XENVER_guest_handle = 8,
                XENVER_commandline = 9, XENVER_build_id = 10,
            }, arg: ptr(nullable)) -> (ret: range(0..=i64::MAX)) errors [EFAULT, EPERM, EINVAL, ENOSYS];
            /// Write to (or read from) the hypervisor console.
            console_io = 18 (cmd: enum { CONSOLEIO_write = 0, CONSOLEIO_read = 1 }, count: range(0..=u32::MAX), buffer: ptr) -> (ret: range(0..)) errors [EFAULT, EINVAL, EPERM, ENOSYS];
            /// Grant-table operations.
            #[stateful]
            grant_table_op = 20 (cmd: range(0..=u32::MAX), uop: ptr(nullable), count: range(0..=u32::MAX)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM];
            /// Return from a PV exception frame: a jump, never returns.
            #[noreturn]
            iret = 23 () -> ();
            /// Per-vCPU operations.
            #[stateful]
            vcpu_op = 24 (cmd: range(0..=u32::MAX), vcpuid: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOENT, ENOSYS, EPERM, EEXIST];
            /// Set the FS/GS base or the user GS selector.
            #[stateful]
            set_segment_base = 25 (which: enum { SEGBASE_FS = 0, SEGBASE_GS_USER = 1, SEGBASE_GS_KERNEL = 2, SEGBASE_GS_USER_SEL = 3 }, base: any) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Extended MMU operations.
            #[stateful]
            mmuext_op = 26 (ops: ptr(align = 8), count: range(0..=u32::MAX), success_count: ptr(nullable), foreigndom: range(0..=0xffff)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH];
            /// Scheduler operations; SCHEDOP_shutdown stops the domain.
            #[disruptive]
            sched_op = 29 (cmd: enum {
                SCHEDOP_yield = 0, SCHEDOP_block = 1, SCHEDOP_shutdown = 2, SCHEDOP_poll = 3,
                SCHEDOP_remote_shutdown = 4, SCHEDOP_shutdown_code = 5, SCHEDOP_watchdog = 6,
                SCHEDOP_pin_override = 7,
            }, arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH];
            /// Register event and failsafe callbacks.
            #[stateful]
            callback_op = 30 (cmd: range(0..=u32::MAX), arg: ptr) -> (ret: range(0..=0)) errors [EFAULT, EINVAL, ENOSYS];
            /// Event-channel operations.
            #[stateful]
            event_channel_op = 32 (cmd: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ENOSPC, ENOENT];
            /// Physical-device operations.
            #[stateful]
            physdev_op = 33 (cmd: range(0..=u32::MAX), arg: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ENODEV];
            /// Device-model operations.
            #[stateful]
            dm_op = 41 (domid: range(0..=0xffff), nr_bufs: range(0..=u32::MAX), bufs: ptr(nullable)) -> (ret: range(0..)) errors [EFAULT, EINVAL, ENOSYS, EPERM, ESRCH, E2BIG];
        },
    }
}
