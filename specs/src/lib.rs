//! Every hypercall ABI hyperabi knows, written once in the `hypercall_abi!` DSL. Each module is one
//! ABI family and cites its sources; [`all`] is the registry the CLI and the engine use.
//!
//! `no_std` so guests link it; the `proptest` feature adds argument strategies and property tests.
#![cfg_attr(not(feature = "std"), no_std)]

pub mod hyp_stub;
pub mod kvm;
pub mod kvm_arm64;
pub mod papr;
pub mod sbi;
pub mod smccc;
pub mod xen;

use abi_spec::Abi;

/// Every ABI, in a stable order.
pub fn all() -> &'static [&'static Abi] {
    static ALL: &[&Abi] = &[
        &xen::xen_arm64::ABI,
        &xen::xen_x86_64::ABI,
        &kvm::kvm_x86_64::ABI,
        &smccc::psci_arm64::ABI,
        &smccc::psci_arm64_smc::ABI,
        &smccc::psci_arm::ABI,
        &smccc::smccc_arm64::ABI,
        &smccc::smccc_arm64_smc::ABI,
        &smccc::smccc_1_2_arm64::ABI,
        &smccc::smccc_arm::ABI,
        &smccc::xen_arm64_smccc::ABI,
        &kvm_arm64::kvm_arm64::ABI,
        &hyp_stub::linux_hyp_stub_arm64::ABI,
        &hyp_stub::linux_hyp_stub_arm::ABI,
        &kvm::kvm_x86_64_vmmcall::ABI,
        &kvm::kvm_x86::ABI,
        &kvm::kvm_x86_vmmcall::ABI,
        &kvm::kvm_s390::ABI,
        &kvm::kvm_ppc_epapr::ABI,
        &papr::papr_ppc64::ABI,
        &sbi::sbi_riscv64::ABI,
    ];
    ALL
}

/// The ABI with this id (`xen-arm64`).
pub fn find(id: &str) -> Option<&'static Abi> {
    all().iter().copied().find(|a| a.id == id)
}
