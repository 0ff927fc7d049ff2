//! The built-in smoke sequence: a few real services per arch, each through a generated probe
//! (full register file in, trap, full register file out), each observation one Data frame.
//!
//! The ABIs here are minimal stand-ins written in the DSL so that generated probes exist for
//! every arch today; the `specs` crate has no PSCI, SBI, PAPR or DIAG 0x500 ABI yet. When it does,
//! the per-case loop uses those instead and this module goes.
//!
//! Observation payload (little-endian): name_len(u8) name arch(u8) nregs(u8) regs_in[nregs](u64)
//! regs_out[nregs](u64) exception: count class code address extra (5 x u64).

use abi_spec::{Abi, RegisterFile};

use crate::exc;
use crate::frame::Writer;
use abi_spec::frame::FrameType;

abi_macros::hypercall_abi! {
    /// PSCI over the HVC conduit from an AArch64 EL1 guest.
    #[source = "Arm DEN0022D PSCI, section 5.1 (function IDs: PSCI_VERSION 0x84000000); SMCCC DEN0028, section 2 (x0 function id, result in x0)"]
    pub abi psci_hvc64 ("smoke-psci-hvc-aarch64", "PSCI via hvc, aarch64") {
        arch: aarch64,
        trap: hvc(0),
        number: x0,
        args: [x1, x2, x3],
        results: [x0],
        registers: { others: preserved },
        errors: { NOT_SUPPORTED = -1 },
        unknown: error(NOT_SUPPORTED),
        calls: {
            psci_version = 0x84000000 () -> (version: any);
        },
    }

    /// The same through `smc`, which is UNDEF at EL1 with no EL3: the probe must come back with
    /// the exception recorded.
    #[source = "Arm ARM DDI0487, D1.19 (SMC is UNDEFINED when EL3 is not implemented)"]
    pub abi psci_smc64 ("smoke-psci-smc-aarch64", "PSCI via smc, aarch64") {
        arch: aarch64,
        trap: smc(0),
        number: x0,
        args: [x1, x2, x3],
        results: [x0],
        registers: { others: preserved },
        calls: {
            psci_version = 0x84000000 () -> (version: any);
        },
    }

    /// PSCI over the HVC conduit from an AArch32 SVC guest.
    #[source = "Arm DEN0022D PSCI, section 5.1; SMCCC DEN0028, section 2 (AArch32: r0 function id)"]
    pub abi psci_hvc32 ("smoke-psci-hvc-arm", "PSCI via hvc, arm") {
        arch: arm,
        trap: hvc(0),
        number: r0,
        args: [r1, r2, r3],
        results: [r0],
        registers: { others: preserved },
        calls: {
            psci_version = 0x84000000 () -> (version: any);
        },
    }

    /// `smc` from SVC on a CPU without EL3 in use: UNDEF.
    #[source = "Arm ARM DDI0406C, B1.9.10"]
    pub abi psci_smc32 ("smoke-psci-smc-arm", "PSCI via smc, arm") {
        arch: arm,
        trap: smc(0),
        number: r0,
        args: [r1, r2, r3],
        results: [r0],
        registers: { others: preserved },
        calls: {
            psci_version = 0x84000000 () -> (version: any);
        },
    }

    /// KVM's DIAGNOSE 0x500: subcode in r1, arguments from r2, result in r2.
    #[source = "Linux arch/s390/include/asm/kvm_para.h (kvm_hypercall*: diag 2,4,0x500, nr in r1)"]
    pub abi diag500 ("smoke-diag500", "DIAG 0x500, s390x") {
        arch: s390x,
        trap: diag(0x500),
        number: r1,
        args: [r2, r3, r4],
        results: [r2],
        registers: { others: preserved },
        calls: {
            storage_limit = 0 (addr: any) -> (ret: any);
            subcode_1 = 1 (addr: any) -> (ret: any);
        },
    }

    /// PAPR hcalls: `sc 1`, opcode in r3, status back in r3, data from r4.
    #[source = "Linux arch/powerpc/include/asm/hvcall.h (H_RANDOM 0x300, H_FUNCTION -2)"]
    pub abi papr ("smoke-papr", "PAPR hcalls, ppc64") {
        arch: ppc64,
        trap: sc(1),
        number: r3,
        args: [r4, r5, r6],
        results: [r3, r4],
        registers: { r0: clobbered, cr: clobbered, xer: clobbered, ctr: clobbered, others: preserved },
        calls: {
            h_random = 0x300 () -> (status: any, value: any);
            unaligned = 0x301 () -> (status: any);
        },
    }

    /// SBI base extension: EID 0x10 in a7, FID in a6, error in a0, value in a1.
    #[source = "RISC-V SBI specification v1.0, chapter 4 (Base Extension, EID 0x10)"]
    pub abi sbi_base ("smoke-sbi-base", "SBI base extension, riscv64") {
        arch: riscv64,
        trap: ecall,
        number: { eid: a7, fid: a6 },
        args: [a0, a1],
        results: [a0, a1],
        registers: { others: preserved },
        calls: {
            get_spec_version = (0x10, 0) () -> (error: any, version: any);
            get_impl_id = (0x10, 1) () -> (error: any, id: any);
            get_impl_version = (0x10, 2) () -> (error: any, version: any);
        },
    }
}

/// Runs `probe` for `abi.calls[call]` with `args` and emits the observation.
#[allow(dead_code)]
fn observe(out: &mut Writer, abi: &Abi, probe: abi_spec::ProbeFn, call: usize, args: &[u64]) {
    let c = &abi.calls[call];
    let input = abi.probe_input(c, args, 0x5eed);
    let mut output = RegisterFile::new(abi.arch);
    let ((), e) = exc::armed(|| unsafe {
        probe(input.values.as_ptr(), output.values.as_mut_ptr(), 0)
    });
    let n = abi.arch.reg_count();
    let mut buf = [0u8; 2 + 64 + 2 + 2 * 8 * abi_spec::MAX_REGS + 40];
    let mut at = 0;
    let mut put = |b: &[u8]| {
        buf[at..at + b.len()].copy_from_slice(b);
        at += b.len();
    };
    let name = c.name.as_bytes();
    let name = &name[..name.len().min(64)];
    put(&[name.len() as u8]);
    put(name);
    put(&[abi.arch as u8, n as u8]);
    for v in &input.values[..n] {
        put(&v.to_le_bytes());
    }
    for v in &output.values[..n] {
        put(&v.to_le_bytes());
    }
    for v in [e.count, e.class, e.code, e.addr, e.extra] {
        put(&v.to_le_bytes());
    }
    out.frame(FrameType::Data, &buf[..at]);
}

pub fn run(#[allow(unused_variables)] out: &mut Writer) {
    #[cfg(target_arch = "aarch64")]
    {
        observe(out, &psci_hvc64::ABI, psci_hvc64::probe::PROBE, 0, &[]);
        observe(out, &psci_smc64::ABI, psci_smc64::probe::PROBE, 0, &[]);
    }
    #[cfg(target_arch = "arm")]
    {
        observe(out, &psci_hvc32::ABI, psci_hvc32::probe::PROBE, 0, &[]);
        observe(out, &psci_smc32::ABI, psci_smc32::probe::PROBE, 0, &[]);
    }
    #[cfg(target_arch = "s390x")]
    {
        // An address inside RAM (the plan itself), then subcode 1: a specification exception.
        let inside = crate::boot::PLAN_ADDR as u64;
        observe(out, &diag500::ABI, diag500::probe::PROBE, 0, &[inside]);
        observe(out, &diag500::ABI, diag500::probe::PROBE, 1, &[inside]);
    }
    #[cfg(target_arch = "powerpc64")]
    {
        observe(out, &papr::ABI, papr::probe::PROBE, 0, &[]);
        observe(out, &papr::ABI, papr::probe::PROBE, 1, &[]);
    }
    #[cfg(target_arch = "riscv64")]
    {
        for call in 0..3 {
            observe(out, &sbi_base::ABI, sbi_base::probe::PROBE, call, &[]);
        }
    }
}
