//! Boot environments, one module each. Every module provides:
//!
//! - the entry code (`_start`: stack, BSS, FP where Rust needs it, vectors, then `hyperabi_main`),
//! - vectors that record any exception in `HYPERABI_EXC` and resume after the instruction that
//!   raised it while armed, or call `hyperabi_unexpected` when not,
//! - `ARCH_ID` (the `abi_spec::Arch` discriminant), `PLAN_ADDR`, `init`, `write`/`flush` (the
//!   console, which carries the frames), `fault` (an exception outside a probe, for the runner's
//!   tests) and `poweroff` (QEMU exits by itself).
//!
//! Room is left for x86_64 and the Xen dom0 environments.

#[cfg(target_arch = "aarch64")]
mod aarch64_virt;
#[cfg(target_arch = "aarch64")]
pub use aarch64_virt::*;

#[cfg(target_arch = "arm")]
mod arm_virt;
#[cfg(target_arch = "arm")]
pub use arm_virt::*;

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
