//! Every hypercall ABI hyperabi knows, written once in the `hypercall_abi!` DSL. Each module is one
//! ABI family and cites its sources; [`all`] is the registry the CLI and the engine use.
//!
//! `no_std` so guests link it; the `proptest` feature adds argument strategies and property tests.
#![cfg_attr(not(feature = "std"), no_std)]
#![warn(missing_docs)]

pub mod hyp_stub;
pub mod kvm;
pub mod kvm_arm64;
pub mod papr;
pub mod sbi;
pub mod smccc;
pub mod xen;

use abi_spec::{Abi, GuestAbi};

/// Declares the registry once: [`all`] (every ABI) and [`guest`] (probe and dispatch of the ABIs
/// this build's arch can execute), so the two can never disagree.
macro_rules! registry {
    ($($family:ident :: $abi:ident),* $(,)?) => {
        /// Every ABI, in a stable order.
        pub fn all() -> &'static [&'static Abi] {
            static ALL: &[&Abi] = &[$(&$family::$abi::ABI),*];
            ALL
        }

        /// Per entry of [`all`], what a guest needs to execute it: `Some` for the ABIs of the
        /// arch this crate is built for.
        pub fn guests() -> &'static [Option<GuestAbi>] {
            static GUESTS: &[Option<GuestAbi>] = &[$($family::$abi::GUEST),*];
            GUESTS
        }

        /// Per entry of [`all`], the address of its 32-bit probe in an x86_64 build, which a
        /// 64-bit guest runs in compatibility mode (the 32-bit x86 ABIs only).
        pub fn compat32_probes() -> &'static [Option<fn() -> usize>] {
            static COMPAT32: &[Option<fn() -> usize>] = &[$($family::$abi::COMPAT32),*];
            COMPAT32
        }
    };
}

registry! {
    xen::xen_arm64,
    xen::xen_arm32,
    xen::xen_arm64_badimm,
    xen::xen_arm32_badimm,
    xen::xen_x86_64,
    xen::xen_x86_64_syscall,
    xen::xen_x86_64_hvm_vmcall,
    xen::xen_x86_64_hvm_vmmcall,
    xen::xen_x86_64_hvm,
    xen::xen_x86,
    xen::xen_x86_int82,
    xen::xen_x86_hvm_vmcall,
    xen::xen_x86_hvm_vmmcall,
    xen::xen_x86_hvm,
    kvm::kvm_x86_64,
    kvm::kvm_x86_64_vmmcall,
    kvm::kvm_x86_64_cpl3,
    kvm::kvm_x86,
    kvm::kvm_x86_vmmcall,
    kvm::kvm_s390,
    kvm::kvm_ppc_epapr,
    papr::papr_ppc64,
    sbi::sbi_riscv64,
    smccc::psci_arm64,
    smccc::psci_arm64_smc,
    smccc::psci_arm,
    smccc::smccc_arm64,
    smccc::smccc_arm64_smc,
    smccc::smccc_1_2_arm64,
    smccc::smccc_arm,
    smccc::xen_arm64_smccc,
    smccc::xen_arm32_smccc,
    smccc::xen_arm64_smccc_smc,
    smccc::xen_arm32_smccc_smc,
    kvm_arm64::kvm_arm64,
    hyp_stub::linux_hyp_stub_arm64,
    hyp_stub::linux_hyp_stub_arm,
}

/// The ABI with this id (`xen-arm64`).
pub fn find(id: &str) -> Option<&'static Abi> {
    all().iter().copied().find(|a| a.id == id)
}

/// The ABI with this id and the address of its 32-bit probe, when it is a 32-bit x86 ABI and
/// this is an x86_64 build (whose guest runs the probe in compatibility mode).
pub fn compat32(id: &str) -> Option<(&'static Abi, usize)> {
    all()
        .iter()
        .zip(compat32_probes())
        .find(|(a, _)| a.id == id)
        .and_then(|(a, p)| Some((*a, p.as_ref()?())))
}

/// Probe and dispatch of the ABI with this id, when this build's arch executes it.
pub fn guest(id: &str) -> Option<GuestAbi> {
    all()
        .iter()
        .zip(guests())
        .find(|(a, _)| a.id == id)
        .and_then(|(_, g)| *g)
}
