//! aarch64: QEMU `virt`'s map (RAM at 0x4000_0000, PL011 at 0x0900_0000); the vCPU starts at
//! EL1h with interrupts masked and KVM's PSCI 0.2+ (SYSTEM_OFF ends the run).

use kvm_bindings::{
    kvm_regs, kvm_vcpu_init, user_pt_regs, KVM_ARM_VCPU_PSCI_0_2, KVM_REG_ARM64,
    KVM_REG_ARM_CORE, KVM_REG_SIZE_U64, KVM_SYSTEM_EVENT_SHUTDOWN,
};
use kvm_ioctls::{Kvm, VcpuFd, VmFd};

use crate::{Ram, Result};

pub const RAM_BASE: u64 = 0x4000_0000;
/// PL011 data register.
pub const UART: Option<u64> = Some(0x0900_0000);
/// The harness writes the data register 32 bits at a time.
pub const UART_WIDTH: u32 = 4;
/// The guest powers off with a system event instead.
pub const POWEROFF: Option<u64> = None;
pub const DOORBELL: u64 = abi_spec::frame::doorbell::AARCH64;
/// EM_AARCH64.
pub const ELF_MACHINE: u16 = 183;

/// EL1h, D, A, I and F masked.
const PSTATE_EL1H_MASKED: u64 = 0x3c5;

fn core_reg(offset: usize) -> u64 {
    KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE as u64 | (offset / 4) as u64
}

pub fn init_vcpu(_kvm: &Kvm, vm: &VmFd, vcpu: &VcpuFd, _ram: &Ram, entry: u64) -> Result<()> {
    let mut kvi = kvm_vcpu_init::default();
    vm.get_preferred_target(&mut kvi)
        .map_err(|e| format!("KVM_ARM_PREFERRED_TARGET: {e}"))?;
    kvi.features[0] |= 1 << KVM_ARM_VCPU_PSCI_0_2;
    vcpu.vcpu_init(&kvi)
        .map_err(|e| format!("KVM_ARM_VCPU_INIT: {e}"))?;
    let regs = std::mem::offset_of!(kvm_regs, regs);
    let set = |offset: usize, v: u64, what: &str| {
        vcpu.set_one_reg(core_reg(regs + offset), &v.to_le_bytes())
            .map(|_| ())
            .map_err(|e| format!("KVM_SET_ONE_REG {what}: {e}"))
    };
    set(std::mem::offset_of!(user_pt_regs, pc), entry, "pc")?;
    set(
        std::mem::offset_of!(user_pt_regs, pstate),
        PSTATE_EL1H_MASKED,
        "pstate",
    )?;
    Ok(())
}

/// The guest's PSCI SYSTEM_OFF ends the run; anything else (a reset, a crash) is an error.
pub fn system_event(ty: u32, data: &[u64]) -> Result<String> {
    if ty == KVM_SYSTEM_EVENT_SHUTDOWN {
        Ok("guest powered off (PSCI SYSTEM_OFF)".into())
    } else {
        Err(format!("guest system event {ty} {data:x?}: not a power-off"))
    }
}
