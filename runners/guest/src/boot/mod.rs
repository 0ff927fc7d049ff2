//! Boot environments, one module each. Every module provides:
//!
//! - the entry code (`_start`: stack, BSS, FP where Rust needs it, vectors, then `hyperabi_main`),
//! - vectors that record any exception in `HYPERABI_EXC` and resume after the instruction that
//!   raised it while armed, or call `hyperabi_unexpected` when not,
//! - `ARCH_ID` (the `abi_spec::Arch` discriminant), `PLAN_ADDR`, `init`, `write`/`flush` (the
//!   console, which carries the frames), `fault` (an exception outside a probe, for the runner's
//!   tests) and `poweroff` (QEMU exits by itself).
//!
//! `plan_addr()` says where the plan is (a constant `PLAN_ADDR` for the QEMU machines, the boot
//! module for a Xen dom0), `hypercall_page()` the hypercall page's address (0: none), and `scratch_at_end(len)` where
//! the case scratch goes when it must end where the guest's memory ends (`None`: a static buffer).
//!
//! With the `xen` feature the aarch64, arm and x86_64 builds are Xen dom0s instead (`xen_arm64`,
//! `xen_arm32`, `xen_x86_64`; with `pvh` too, the x86_64 PVH dom0 `xen_pvh`); with `tfa` the
//! aarch64 build is `aarch64_virt` entered by Trusted Firmware-A; with `kvm` the x86_64 build is
//! `x86_64_kvm`, a guest of hyperabi's VMM; with `linux-module` the aarch64 and arm builds are
//! `linux_module`, a relocatable object a Linux kernel module links in (no entry code, no
//! vectors).

#[cfg(all(target_arch = "aarch64", not(feature = "linux-module")))]
mod aarch64_vectors;

// The console of every KVM boot environment (aarch64, riscv64, x86_64).
#[cfg(feature = "kvm")]
mod doorbell;

#[cfg(all(
    target_arch = "aarch64",
    not(feature = "xen"),
    not(feature = "linux-module")
))]
mod aarch64_virt;
#[cfg(all(
    target_arch = "aarch64",
    not(feature = "xen"),
    not(feature = "linux-module")
))]
pub use aarch64_virt::*;

// The harness in a Linux kernel module at EL1 or in SVC mode (the Linux HYP stub targets).
#[cfg(all(any(target_arch = "aarch64", target_arch = "arm"), feature = "linux-module"))]
mod linux_module;
#[cfg(all(any(target_arch = "aarch64", target_arch = "arm"), feature = "linux-module"))]
pub use linux_module::*;

#[cfg(all(target_arch = "aarch64", feature = "xen"))]
mod xen_arm64;
#[cfg(all(target_arch = "aarch64", feature = "xen"))]
pub use xen_arm64::*;

// Where every x86_64 environment's exception handlers resume.
#[cfg(target_arch = "x86_64")]
mod x86_resume;

// x86_64 at CPL0 with the harness's own IDT (the KVM guest, the PVH dom0).
#[cfg(all(target_arch = "x86_64", any(feature = "kvm", feature = "pvh")))]
mod x86_64_cpl0;

#[cfg(all(target_arch = "x86_64", feature = "xen", not(feature = "pvh")))]
mod xen_x86_64;
#[cfg(all(target_arch = "x86_64", feature = "xen", not(feature = "pvh")))]
pub use xen_x86_64::*;

#[cfg(all(target_arch = "x86_64", feature = "xen", feature = "pvh"))]
mod xen_pvh;
#[cfg(all(target_arch = "x86_64", feature = "xen", feature = "pvh"))]
pub use xen_pvh::*;

// The console and shutdown of both x86_64 Xen dom0s.
#[cfg(all(target_arch = "x86_64", feature = "xen"))]
mod xen_x86_dom0;
#[cfg(all(target_arch = "x86_64", feature = "xen"))]
pub use xen_x86_dom0::{crash, fault, flush, poweroff, write};

#[cfg(all(target_arch = "x86_64", feature = "kvm"))]
mod x86_64_kvm;
#[cfg(all(target_arch = "x86_64", feature = "kvm"))]
pub use x86_64_kvm::*;

#[cfg(all(target_arch = "arm", not(feature = "linux-module")))]
mod arm_vectors;

#[cfg(all(any(target_arch = "aarch64", target_arch = "arm"), feature = "xen"))]
mod fdt;

#[cfg(all(target_arch = "arm", not(feature = "xen"), not(feature = "linux-module")))]
mod arm_virt;
#[cfg(all(target_arch = "arm", not(feature = "xen"), not(feature = "linux-module")))]
pub use arm_virt::*;

#[cfg(all(target_arch = "arm", feature = "xen"))]
mod xen_arm32;
#[cfg(all(target_arch = "arm", feature = "xen"))]
pub use xen_arm32::*;

#[cfg(target_arch = "riscv64")]
mod riscv64_virt;
#[cfg(target_arch = "riscv64")]
pub use riscv64_virt::*;

#[cfg(target_arch = "s390x")]
mod s390x_ccw;
#[cfg(target_arch = "s390x")]
pub use s390x_ccw::*;

#[cfg(target_arch = "powerpc64")]
mod ppc64_pseries;
#[cfg(target_arch = "powerpc64")]
pub use ppc64_pseries::*;

/// Runs `f` in the CPU mode the ABI `abi` is specified for. Only x86_64 with its own IDT (the
/// KVM guest, the PVH dom0) has more than one (`x86_64_kvm::in_mode`, `xen_pvh::in_mode`).
#[cfg(not(any(
    all(target_arch = "x86_64", any(feature = "kvm", feature = "pvh")),
    feature = "linux-module"
)))]
pub fn in_mode<R>(_abi: &str, f: impl FnOnce() -> R) -> R {
    f()
}

/// What runs the ABI `id` when this build's arch does not (only x86_64 with its own IDT runs the
/// 32-bit x86 ABIs, in compatibility mode: `x86_64_cpl0::compat_guest`).
#[cfg(not(any(
    all(target_arch = "x86_64", any(feature = "kvm", feature = "pvh")),
    feature = "linux-module"
)))]
pub fn compat_guest(_id: &str) -> Option<abi_spec::GuestAbi> {
    None
}

/// What this boot found out about its platform, for the guest's info record (keys `env:...`).
/// Only the PVH dom0 has any (`xen_pvh::facts`).
#[cfg(not(all(target_arch = "x86_64", feature = "pvh")))]
pub fn facts() -> [(&'static str, &'static str); 0] {
    []
}

/// Why the ABI `g` cannot run on this boot (`None`: it can). Only the PVH dom0 has such ABIs
/// (`vmcall` when it raises #UD: `xen_pvh::unavailable`).
#[cfg(not(all(target_arch = "x86_64", feature = "pvh")))]
pub fn unavailable(_g: &abi_spec::GuestAbi) -> Option<&'static str> {
    None
}
