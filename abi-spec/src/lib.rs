//! The hypercall ABI model.
//!
//! Everything hyperabi knows about an ABI is a value of [`Abi`]: the arch and its full register
//! set ([`Arch`], [`Reg`]), the [`Trap`] that enters the hypervisor, which registers carry the call
//! number, the arguments and the results, and a [`Role`] for every other register — decided per
//! call by [`Abi::role_after`], so that Xen's "the argument registers used by that hypercall are
//! clobbered" is data, not code. The specs are written in the `hypercall_abi!` DSL of `abi-macros`,
//! which expands to `const` values of these types; the core is `no_std` so guests link it.
#![cfg_attr(not(any(feature = "std", test)), no_std)]
#![warn(missing_docs)]

#[cfg(any(feature = "std", test))]
extern crate std;

#[cfg(feature = "proptest")]
pub use proptest;

pub mod abi;
pub mod arch;
pub mod check;
#[cfg(feature = "serde")]
pub mod export;
pub mod frame;
pub mod layout;
#[cfg(feature = "std")]
pub mod lint;
#[cfg(feature = "proptest")]
pub mod property;
pub mod regfile;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod trap;
pub mod wire;

pub use abi::{
    deciding_rule, role_after, Abi, Arg, Call, CallRegisters, Domain, Effect, Input, Named, Narrow,
    NumberReg, Presence, RegSet, Ret, Role, RoleRule, SmcccId, Status, Unknown, UpperInput,
    UpperOutput,
};
pub use arch::{Arch, Reg, RegInfo, RegKind, MAX_REGS};
pub use check::{Observation, Violation, ViolationKind};
pub use layout::{
    ByteAt, CallParam, Family, FieldDef, FieldDir, FieldLayout, LayoutRule, Scalar, StructDef,
    SubOp,
};
pub use regfile::{flags_check_mask, flags_poison, poison, RegisterFile};
pub use trap::Trap;

/// The version of every file format hyperabi writes (spec exports, plans, reports, baselines).
/// Readers reject other versions.
pub const FORMAT_VERSION: u32 = 1;

/// Signature of a generated checker probe: load `input` (a register file's values, in register
/// order) into every register it can, trap, store every register into `output`. `entry` is the
/// hypercall-page entry for page traps and ignored otherwise.
pub type ProbeFn = unsafe extern "C" fn(input: *const u64, output: *mut u64, entry: usize);

/// Signature of a generated `call::dispatch`: run the call at `index` of the ABI's calls through
/// its inline-asm caller with word arguments, writing its results; `page` is the hypercall page
/// for page traps and ignored otherwise. `false` when the call was not run (it does not return,
/// the index is unknown, or the slices are too short).
pub type DispatchFn =
    unsafe fn(index: usize, page: *const u8, args: &[u64], results: &mut [u64]) -> bool;

/// What a guest harness needs to execute an ABI's cases on the arch it was built for.
#[derive(Clone, Copy)]
pub struct GuestAbi {
    /// The ABI.
    pub abi: &'static Abi,
    /// Its generated register-clobber probe.
    pub probe: ProbeFn,
    /// Its generated callers, by call index.
    pub dispatch: DispatchFn,
}

#[cfg(all(test, feature = "serde"))]
mod pin_tests;
#[cfg(all(test, feature = "serde"))]
mod tests;
