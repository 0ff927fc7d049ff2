//! riscv64: QEMU `virt`'s map (RAM at 0x8000_0000, NS16550 at 0x1000_0000); the vCPU starts in
//! VS-mode at the image's entry with a0 = hart 0, as firmware hands over; SBI SRST ends the run.

use kvm_bindings::{
    kvm_riscv_core, user_regs_struct, KVM_REG_RISCV, KVM_REG_RISCV_CORE, KVM_REG_SIZE_U64,
    KVM_SYSTEM_EVENT_SHUTDOWN,
};
use kvm_ioctls::{Kvm, VcpuFd, VmFd};

use crate::{Ram, Result};

pub const RAM_BASE: u64 = 0x8000_0000;
/// NS16550 transmit register.
pub const UART: Option<u64> = Some(0x1000_0000);
pub const UART_WIDTH: u32 = 1;
/// The guest powers off with a system event instead.
pub const POWEROFF: Option<u64> = None;
pub const DOORBELL: u64 = abi_spec::frame::doorbell::RISCV64;
/// EM_RISCV.
pub const ELF_MACHINE: u16 = 243;

fn core_reg(offset: usize) -> u64 {
    KVM_REG_RISCV as u64 | KVM_REG_SIZE_U64 | KVM_REG_RISCV_CORE as u64 | (offset / 8) as u64
}

pub fn init_vcpu(_kvm: &Kvm, _vm: &VmFd, vcpu: &VcpuFd, _ram: &Ram, entry: u64) -> Result<()> {
    start_at(vcpu, entry)
}

/// The vCPU continues at `pc` with a0 = 0 (hart 0).
pub fn start_at(vcpu: &VcpuFd, pc: u64) -> Result<()> {
    let regs = std::mem::offset_of!(kvm_riscv_core, regs);
    let set = |offset: usize, v: u64, what: &str| {
        vcpu.set_one_reg(core_reg(regs + offset), &v.to_le_bytes())
            .map(|_| ())
            .map_err(|e| format!("KVM_SET_ONE_REG {what}: {e}"))
    };
    set(std::mem::offset_of!(user_regs_struct, pc), pc, "pc")?;
    set(std::mem::offset_of!(user_regs_struct, a0), 0, "a0")
}

/// None: KVM RISC-V counts the SBI calls it answers in the kernel in no vCPU statistic
/// (`ecall_exit_stat` stayed at 0 across an ecall KVM answered, on Linux 6.12), so nothing
/// shows which hypervisor answered.
pub fn witness() -> Option<super::Witness> {
    None
}

/// The guest's SBI system reset (shutdown) ends the run; anything else is an error.
pub fn system_event(ty: u32, data: &[u64]) -> Result<String> {
    if ty == KVM_SYSTEM_EVENT_SHUTDOWN {
        Ok("guest powered off (SBI SRST shutdown)".into())
    } else {
        Err(format!(
            "guest system event {ty} {data:x?}: not a power-off"
        ))
    }
}
