//! aarch64: QEMU `virt`'s map (RAM at 0x4000_0000, PL011 at 0x0900_0000); the vCPU starts at
//! EL1h with interrupts masked and KVM's PSCI 0.2+ (SYSTEM_OFF ends the run).

use kvm_bindings::{
    kvm_regs, kvm_vcpu_init, user_pt_regs, KVM_ARM_VCPU_PSCI_0_2, KVM_REG_ARM64, KVM_REG_ARM_CORE,
    KVM_REG_SIZE_U64, KVM_SYSTEM_EVENT_SHUTDOWN,
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
    start_at(vcpu, entry)
}

/// The vCPU continues at `pc` in EL1h with interrupts masked.
pub fn start_at(vcpu: &VcpuFd, pc: u64) -> Result<()> {
    let regs = std::mem::offset_of!(kvm_regs, regs);
    let set = |offset: usize, v: u64, what: &str| {
        vcpu.set_one_reg(core_reg(regs + offset), &v.to_le_bytes())
            .map(|_| ())
            .map_err(|e| format!("KVM_SET_ONE_REG {what}: {e}"))
    };
    set(std::mem::offset_of!(user_pt_regs, pc), pc, "pc")?;
    set(
        std::mem::offset_of!(user_pt_regs, pstate),
        PSTATE_EL1H_MASKED,
        "pstate",
    )
}

/// SMCCC function 0 (a yielding call KVM does not implement) over `hvc #0`, answered
/// NOT_SUPPORTED (-1); KVM counts every HVC exit in `hvc_exit_stat` (arch/arm64/kvm/handle_exit.c).
pub fn witness() -> Option<super::Witness> {
    Some(super::Witness {
        // Where QEMU would put the DTB: the VMM gives the harness none.
        at: RAM_BASE + 0x1000,
        code: super::words(&[
            0xd280_0000, // movz x0, #0
            0xd400_0002, // hvc #0 (KVM sets x0..x3)
            0xd2a1_4001, // movz x1, #0x0a00, lsl #16
            0xf900_0020, // str x0, [x1]
        ]),
        mmio: 0x0a00_0000,
        call: "hvc #0, x0 = 0",
        answer: u64::MAX,
        stat: "hvc_exit_stat",
    })
}

/// The guest's PSCI SYSTEM_OFF ends the run; anything else (a reset, a crash) is an error.
pub fn system_event(ty: u32, data: &[u64]) -> Result<String> {
    if ty == KVM_SYSTEM_EVENT_SHUTDOWN {
        Ok("guest powered off (PSCI SYSTEM_OFF)".into())
    } else {
        Err(format!(
            "guest system event {ty} {data:x?}: not a power-off"
        ))
    }
}
