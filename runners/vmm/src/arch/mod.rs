//! What differs per arch: the memory map (QEMU `virt`'s on aarch64 and riscv64), vCPU setup,
//! power-off events, and the witness hypercall.

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "aarch64")]
pub use aarch64::*;

#[cfg(target_arch = "riscv64")]
mod riscv64;
#[cfg(target_arch = "riscv64")]
pub use riscv64::*;

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::*;

/// A hypercall the VMM has the guest make before the harness starts, with a vCPU counter read
/// around it: the proof that this KVM handled it (the counter moves by exactly one and the
/// answer is KVM's). The code stores the hypercall's result to [`Witness::mmio`], where there
/// is no device, so it comes back as an MMIO exit.
pub struct Witness {
    /// Guest-physical address of the code (a page the harness does not load into).
    pub at: u64,
    /// The instructions.
    pub code: Vec<u8>,
    /// Where the code stores the result.
    pub mmio: u64,
    /// The call, for messages: "vmcall 0xffff".
    pub call: &'static str,
    /// KVM's answer to it.
    pub answer: u64,
    /// The vCPU counter that counts the hypercalls KVM handled.
    pub stat: &'static str,
}

/// 32-bit words as little-endian instruction bytes.
#[cfg(target_arch = "aarch64")]
fn words(w: &[u32]) -> Vec<u8> {
    w.iter().flat_map(|w| w.to_le_bytes()).collect()
}
