//! x86_64: RAM from 0 and no device; the vCPU starts in 64-bit long mode at CPL0 at the ELF's
//! entry, with page tables identity-mapping the low 4 GiB (2 MiB pages) and a GDT built here.
//! The console is the doorbell (`abi_spec::frame::doorbell::X86_64`), a store to the power-off
//! register after it ends the run.
//!
//! Layout of the low pages (the harness is linked at 1 MiB, `runners/guest/link/x86_64-kvm.ld`):
//! PML4 at 0x1000, PDPT at 0x2000, four page directories at 0x3000..0x7000, the GDT at 0x8000,
//! a 64-bit TSS at 0x9000. GDT selectors (the harness relies on them): 0x08 64-bit code DPL0,
//! 0x10 data DPL0, 0x18 32-bit code DPL0 (compatibility mode), 0x20 32-bit code DPL3, 0x28 data
//! DPL3, 0x30 64-bit code DPL3, 0x38 the TSS (16 bytes).
//!
//! Linux 6.12 refuses long-mode `KVM_SET_SREGS` (EINVAL) until the vCPU has CPUID
//! (`KVM_SET_CPUID2`): the CPUID KVM supports is set first. KVM's own hypercalls are handled in
//! the kernel; `KVM_CAP_EXIT_HYPERCALL` stays off (its default), so no hypercall exits here.

use kvm_bindings::{kvm_regs, kvm_segment, KVM_MAX_CPUID_ENTRIES};
use kvm_ioctls::{Kvm, VcpuFd, VmFd};

use crate::{Ram, Result};

pub const RAM_BASE: u64 = 0;
/// No UART: the console is the doorbell only.
pub const UART: Option<u64> = None;
pub const UART_WIDTH: u32 = 1;
pub const DOORBELL: u64 = abi_spec::frame::doorbell::X86_64;
pub const POWEROFF: Option<u64> = Some(abi_spec::frame::doorbell::X86_64_POWEROFF);
/// EM_X86_64.
pub const ELF_MACHINE: u16 = 62;

const PML4: u64 = 0x1000;
const PDPT: u64 = 0x2000;
const PD: u64 = 0x3000;
const GDT: u64 = 0x8000;
const TSS: u64 = 0x9000;
const TSS_LIMIT: u32 = 0x67;

const CODE64: u16 = 0x08;
const DATA: u16 = 0x10;
const TSS_SEL: u16 = 0x38;

/// The GDT's descriptors before the TSS (see the module comment).
const DESCRIPTORS: [u64; 7] = [
    0,
    0x00af_9a00_0000_ffff, // 64-bit code, DPL0
    0x00cf_9200_0000_ffff, // data, DPL0
    0x00cf_9a00_0000_ffff, // 32-bit code, DPL0
    0x00cf_fa00_0000_ffff, // 32-bit code, DPL3
    0x00cf_f200_0000_ffff, // data, DPL3
    0x00af_fa00_0000_ffff, // 64-bit code, DPL3
];

// Paging-structure entry bits (Intel SDM vol. 3, 4.5): present, writable, user, 2 MiB page.
const P: u64 = 1;
const RW: u64 = 2;
const US: u64 = 4;
const PS: u64 = 0x80;

const CR0_PE: u64 = 1;
const CR0_MP: u64 = 1 << 1;
const CR0_ET: u64 = 1 << 4;
const CR0_NE: u64 = 1 << 5;
const CR0_WP: u64 = 1 << 16;
const CR0_PG: u64 = 1 << 31;
const CR4_PAE: u64 = 1 << 5;
const CR4_OSFXSR: u64 = 1 << 9;
const CR4_OSXMMEXCPT: u64 = 1 << 10;
const EFER_LME: u64 = 1 << 8;
const EFER_LMA: u64 = 1 << 10;

fn put_u64s(ram: &Ram, gpa: u64, values: &[u64], what: &str) -> Result<()> {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    ram.put(gpa, &bytes, what)
}

/// Page tables, GDT and TSS in guest memory.
fn tables(ram: &Ram) -> Result<()> {
    put_u64s(ram, PML4, &[PDPT | P | RW | US], "PML4")?;
    let pdpt: Vec<u64> = (0..4).map(|i| (PD + i * 0x1000) | P | RW | US).collect();
    put_u64s(ram, PDPT, &pdpt, "PDPT")?;
    let pd: Vec<u64> = (0..4 * 512u64)
        .map(|i| (i << 21) | P | RW | US | PS)
        .collect();
    put_u64s(ram, PD, &pd, "page directories")?;
    // A 64-bit TSS descriptor, busy (type 0xb), as a loaded TR's is.
    let (base, limit) = (TSS, u64::from(TSS_LIMIT));
    let low = (limit & 0xffff)
        | (base & 0xff_ffff) << 16
        | 0x8b << 40
        | (limit >> 16 & 0xf) << 48
        | (base >> 24 & 0xff) << 56;
    let mut gdt = DESCRIPTORS.to_vec();
    gdt.extend([low, base >> 32]);
    put_u64s(ram, GDT, &gdt, "GDT")?;
    ram.put(TSS, &[0; TSS_LIMIT as usize + 1], "TSS")
}

fn segment(selector: u16, code: bool) -> kvm_segment {
    kvm_segment {
        base: 0,
        limit: 0xffff_ffff,
        selector,
        type_: if code { 0xb } else { 0x3 },
        present: 1,
        dpl: 0,
        db: u8::from(!code),
        s: 1,
        l: u8::from(code),
        g: 1,
        ..Default::default()
    }
}

pub fn init_vcpu(kvm: &Kvm, _vm: &VmFd, vcpu: &VcpuFd, ram: &Ram, entry: u64) -> Result<()> {
    let cpuid = kvm
        .get_supported_cpuid(KVM_MAX_CPUID_ENTRIES)
        .map_err(|e| format!("KVM_GET_SUPPORTED_CPUID: {e}"))?;
    vcpu.set_cpuid2(&cpuid)
        .map_err(|e| format!("KVM_SET_CPUID2: {e}"))?;
    tables(ram)?;
    let mut s = vcpu
        .get_sregs()
        .map_err(|e| format!("KVM_GET_SREGS: {e}"))?;
    s.cs = segment(CODE64, true);
    let data = segment(DATA, false);
    (s.ds, s.es, s.fs, s.gs, s.ss) = (data, data, data, data, data);
    s.tr = kvm_segment {
        base: TSS,
        limit: TSS_LIMIT,
        selector: TSS_SEL,
        type_: 0xb,
        present: 1,
        ..Default::default()
    };
    s.ldt = kvm_segment {
        unusable: 1,
        type_: 0x2,
        ..Default::default()
    };
    s.gdt.base = GDT;
    s.gdt.limit = (DESCRIPTORS.len() as u16 + 2) * 8 - 1;
    // The harness loads its own IDT.
    s.idt.base = 0;
    s.idt.limit = 0;
    s.cr3 = PML4;
    s.cr4 = CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT;
    s.cr0 = CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG;
    s.efer = EFER_LME | EFER_LMA;
    vcpu.set_sregs(&s)
        .map_err(|e| format!("KVM_SET_SREGS: {e}"))?;
    start_at(vcpu, entry)
}

/// The vCPU continues at `pc` with every general register zero.
pub fn start_at(vcpu: &VcpuFd, pc: u64) -> Result<()> {
    let regs = kvm_regs {
        rip: pc,
        rflags: 0x2,
        ..Default::default()
    };
    vcpu.set_regs(&regs)
        .map_err(|e| format!("KVM_SET_REGS: {e}"))
}

/// An unknown hypercall number over the host vendor's own instruction (`vmmcall` on AMD and
/// Hygon, `vmcall` elsewhere), answered -KVM_ENOSYS; KVM counts it in `hypercalls`
/// (arch/x86/kvm/x86.c, before it looks at the number or the CPL).
pub fn witness() -> Option<super::Witness> {
    let id = std::arch::x86_64::__cpuid(0);
    let vendor: Vec<u8> = [id.ebx, id.edx, id.ecx]
        .iter()
        .flat_map(|r| r.to_le_bytes())
        .collect();
    let amd = vendor == b"AuthenticAMD" || vendor == b"HygonGenuine";
    let (insn, call) = if amd {
        ([0x0f, 0x01, 0xd9], "vmmcall 0xffff")
    } else {
        ([0x0f, 0x01, 0xc1], "vmcall 0xffff")
    };
    const MMIO: u32 = 0xd000_2000;
    let mut code = vec![0xb8, 0xff, 0xff, 0x00, 0x00]; // mov eax, 0xffff
    code.extend(insn);
    // The address is loaded after the call: a hypervisor that is not KVM may change rbx.
    code.push(0xbb); // mov ebx, MMIO
    code.extend(MMIO.to_le_bytes());
    code.extend([0x48, 0x89, 0x03, 0xf4]); // mov [rbx], rax; hlt
    Some(super::Witness {
        // The page after the TSS.
        at: 0xa000,
        code,
        mmio: MMIO.into(),
        call,
        answer: (-1000i64) as u64,
        stat: "hypercalls",
    })
}

/// x86 guests end with the power-off register, never a system event.
pub fn system_event(ty: u32, data: &[u64]) -> Result<String> {
    Err(format!(
        "guest system event {ty} {data:x?}: not a power-off"
    ))
}
