//! Xen x86_64 PVH dom0 (`dom0=pvh`). The image is an ELF whose `XEN_ELFNOTE_PHYS32_ENTRY` note
//! (type 18, xen/include/public/elfnote.h) names the entry: Xen loads the segments at their
//! physical addresses and starts the vCPU there in 32-bit protected mode, paging off, flat
//! segments, ebx = the physical address of `struct hvm_start_info`
//! (xen/include/public/arch-x86/hvm/start_info.h: magic 0x336ec578, "xEn3" with the 0x80 bit of
//! the "E" set).
//!
//! - Long mode: the entry code zeroes .bss, builds page tables identity-mapping the low 4 GiB
//!   with 2 MiB pages, loads its own GDT (0x08 64-bit code, 0x10 data, 0x18 32-bit code: the
//!   selectors `x86_64_cpl0` expects), sets CR4.PAE, EFER.LME and CR0.PG and jumps to 64-bit
//!   code. Everything below 4 GiB is then addressable at its guest-physical address, so
//!   pointers the harness hands to Xen are guest-physical, as Xen reads them for an HVM guest.
//! - Exceptions and the 32-bit ABIs: `x86_64_cpl0` (an IDT recording exceptions; the 32-bit
//!   probes from the 32-bit code segment, junk in the upper register halves before the switch).
//! - Xen's CPUID leaves (xen/include/public/arch-x86/cpuid.h): the first base from 0x40000000
//!   in steps of 0x100 whose ebx, ecx, edx read "XenVMMXenVMM" (eax: the last leaf); base+1
//!   eax = major << 16 | minor; base+2 eax = the number of hypercall pages, ebx = the MSR that
//!   creates one. Writing a page's guest-physical address to that MSR has Xen fill the page
//!   (xen/arch/x86/traps.c, `guest_wrmsr_xen`; on AMD `svm_init_hypercall_page`: per 32-byte
//!   entry `mov $nr, %eax; vmmcall; ret`, entry 23 (iret) `ud2`). The page is filled with 0xcc
//!   first; the leaves and a census of the page's entries are results ([`facts`]).
//! - Hypercalls: through that page (`call page + nr * 32`), arguments rdi, rsi, rdx, r10, r8;
//!   before it exists, raw `vmmcall`.
//! - `vmcall` (Intel's instruction) is tried once at boot; when it raises #UD (a CPU without
//!   VMX, as AMD SVM under QEMU TCG is), the ABIs that transfer with it are reported
//!   unavailable with that reason ([`unavailable`]) instead of run.
//! - Console and shutdown: `xen_x86_dom0` (shared with the PV dom0) through [`hypercall`].
//! - The plan: the first module of `hvm_start_info`'s module list (the multiboot module after
//!   the kernel). Page 0 stays unmapped (a small number used as a pointer faults), and
//!   the case scratch ends at an unmapped guard page, so a length that runs past it faults in
//!   Xen (-EFAULT) instead of reaching the rest of the guest, as in the PV dom0.

use core::arch::global_asm;
use core::arch::x86_64::__cpuid;
use core::ptr::{addr_of, addr_of_mut};

use abi_spec::{GuestAbi, Trap};

pub use super::x86_64_cpl0::compat_guest;
use super::x86_64_cpl0::{load_idt, select_compat};

pub const ARCH_ID: u8 = 2; // abi_spec::Arch::X86_64

/// XEN_HVM_START_MAGIC_VALUE.
const START_MAGIC: u32 = 0x336e_c578;
/// The #UD vector.
const UD: u64 = 6;

extern "C" {
    static hyperabi_hypercall_page: u8;
    static mut hyperabi_pd: [u64; 2048];
    static mut hyperabi_pt: [u64; 512];
    static mut hyperabi_pt0: [u64; 512];
    static hyperabi_scratch: u8;
    static hyperabi_guard: u8;
}

/// The room for the case scratch before the guard page.
const SCRATCH_MAX: usize = 128 * 1024;

global_asm!(
    r#"
.pushsection .note.Xen, "a", @note
    .balign 4
    .long 4, 2f - 1f, 6
    .asciz "Xen"
1:  .asciz "hyperabi"
2:  .balign 4
    .long 4, 2f - 1f, 5
    .asciz "Xen"
1:  .asciz "xen-3.0"
2:  .balign 4
    .long 4, 2f - 1f, 8
    .asciz "Xen"
1:  .asciz "generic"
2:  .balign 4
    .long 4, 2f - 1f, 18
    .asciz "Xen"
1:  .long _start
2:  .balign 4
.popsection

.section .text.boot, "ax"
.code32
.global _start
_start:
    cld
    mov %ebx, %esi
    mov $__bss_start, %edi
    mov $__bss_end, %ecx
    sub %edi, %ecx
    shr $2, %ecx
    xor %eax, %eax
    rep stosl
    mov %esi, HYPERABI_START_INFO
    // PML4[0] -> PDPT; PDPT[0..4] -> the four page directories; 2048 2 MiB pages (P, RW, PS).
    mov $hyperabi_pdpt + 3, %eax
    mov %eax, hyperabi_pml4
    mov $hyperabi_pd + 3, %eax
    mov $hyperabi_pdpt, %edi
    mov $4, %ecx
1:  mov %eax, (%edi)
    add $0x1000, %eax
    add $8, %edi
    loop 1b
    // The first 2 MiB are mapped by `unmap_guard`, without page 0.
    mov $0x200083, %eax
    mov $hyperabi_pd + 8, %edi
    mov $2047, %ecx
1:  mov %eax, (%edi)
    add $0x200000, %eax
    add $8, %edi
    loop 1b
    lgdt hyperabi_gdt_desc
    mov %cr4, %eax
    or $0x20, %eax
    mov %eax, %cr4
    mov $hyperabi_pml4, %eax
    mov %eax, %cr3
    mov $0xc0000080, %ecx
    rdmsr
    or $0x100, %eax
    wrmsr
    mov %cr0, %eax
    or $0x80000001, %eax
    mov %eax, %cr0
    ljmp $0x08, $1f
.code64
1:  mov $0x10, %eax
    mov %eax, %ds
    mov %eax, %es
    mov %eax, %ss
    mov %eax, %fs
    mov %eax, %gs
    lea __stack_top(%rip), %rsp
    call hyperabi_main
1:  hlt
    jmp 1b

.section .data
.balign 16
hyperabi_gdt:
    .quad 0
    .quad 0x00af9a000000ffff
    .quad 0x00cf92000000ffff
    .quad 0x00cf9a000000ffff
hyperabi_gdt_desc:
    .word 4 * 8 - 1
    .long hyperabi_gdt

.section .bss
.balign 4096
hyperabi_pml4:
    .space 4096
hyperabi_pdpt:
    .space 4096
.global hyperabi_pd
hyperabi_pd:
    .space 4 * 4096
.global hyperabi_hypercall_page
hyperabi_hypercall_page:
    .space 4096
// The 2 MiB region around the guard page, mapped with 4 KiB pages.
.global hyperabi_pt
hyperabi_pt:
    .space 4096
// The first 2 MiB, mapped with 4 KiB pages.
.global hyperabi_pt0
hyperabi_pt0:
    .space 4096
// The case scratch ends at the guard page, which is left unmapped.
.balign 4096
.global hyperabi_scratch
hyperabi_scratch:
    .space {SCRATCH_MAX}
.global hyperabi_guard
hyperabi_guard:
    .space 4096
"#,
    SCRATCH_MAX = const SCRATCH_MAX,
    options(att_syntax)
);

/// hvm_start_info's physical address, as Xen passed it in ebx.
#[no_mangle]
static mut HYPERABI_START_INFO: u64 = 0;

/// Whether the hypercall page was written by Xen (else hypercalls use raw `vmmcall`).
static mut PAGE_READY: bool = false;
static mut PLAN: usize = 0;
/// Why `vmcall` cannot run here (None: it did not fault).
static mut VMCALL_UNAVAILABLE: Option<&'static str> = None;

/// The facts [`init`] found, as text for the guest's info record.
struct Text {
    buf: [u8; 240],
    len: usize,
}

impl Text {
    const fn new() -> Text {
        Text {
            buf: [0; 240],
            len: 0,
        }
    }

    fn push(&mut self, s: &str) -> &mut Text {
        for &b in s.as_bytes() {
            if self.len < self.buf.len() {
                self.buf[self.len] = b;
                self.len += 1;
            }
        }
        self
    }

    fn hex(&mut self, v: u64) -> &mut Text {
        self.push("0x");
        let digits = (64 - v.leading_zeros()).div_ceil(4).max(1);
        for i in (0..digits).rev() {
            let d = (v >> (4 * i) & 0xf) as u8;
            let c = if d < 10 { b'0' + d } else { b'a' + d - 10 };
            self.push(core::str::from_utf8(&[c]).unwrap_or("?"));
        }
        self
    }

    fn dec(&mut self, v: u64) -> &mut Text {
        let mut digits = [0u8; 20];
        let mut n = 0;
        let mut v = v;
        loop {
            digits[n] = b'0' + (v % 10) as u8;
            n += 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        for i in (0..n).rev() {
            self.push(core::str::from_utf8(&digits[i..=i]).unwrap_or("?"));
        }
        self
    }

    fn as_str(&self) -> &str {
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or("?")
    }
}

static mut CPUID_TEXT: Text = Text::new();
static mut PAGE_TEXT: Text = Text::new();
static mut VMCALL_TEXT: Text = Text::new();

/// The hypercall page's address once Xen wrote it (0 before).
pub fn hypercall_page() -> usize {
    if unsafe { PAGE_READY } {
        addr_of!(hyperabi_hypercall_page) as usize
    } else {
        0
    }
}

/// A hypercall with up to three arguments: through the page, or raw `vmmcall` before it exists.
pub fn hypercall(nr: usize, a1: u64, a2: u64, a3: u64) -> i64 {
    let ret: i64;
    let page = hypercall_page();
    unsafe {
        if page != 0 {
            core::arch::asm!(
                "call {entry}",
                entry = in(reg) page + nr * 32,
                inlateout("rax") nr as u64 => ret,
                inlateout("rdi") a1 => _,
                inlateout("rsi") a2 => _,
                inlateout("rdx") a3 => _,
                lateout("r10") _,
                lateout("r8") _,
            );
        } else {
            core::arch::asm!(
                "vmmcall",
                inlateout("rax") nr as u64 => ret,
                inlateout("rdi") a1 => _,
                inlateout("rsi") a2 => _,
                inlateout("rdx") a3 => _,
                lateout("r10") _,
                lateout("r8") _,
            );
        }
    }
    ret
}

fn start_info<T: Copy>(off: usize) -> T {
    unsafe { ((HYPERABI_START_INFO as usize + off) as *const T).read_volatile() }
}

/// The IDT, the plan from hvm_start_info, Xen's CPUID leaves and the hypercall page, the `vmcall`
/// trial.
pub fn init() {
    load_idt(&[]);
    unsafe {
        unmap_guard();
        if start_info::<u32>(0) == START_MAGIC && start_info::<u32>(12) > 0 {
            let modlist = start_info::<u64>(16) as usize;
            let (paddr, size) = (
                (modlist as *const u64).read_volatile(),
                ((modlist + 8) as *const u64).read_volatile(),
            );
            if size != 0 {
                PLAN = paddr as usize;
            }
        }
        let cpuid = &mut *addr_of_mut!(CPUID_TEXT);
        match find_leaves() {
            None => {
                cpuid.push("no Xen signature in leaves 0x40000000-0x4000ff00");
            }
            Some((base, max)) => {
                let version = __cpuid(base + 1).eax;
                let pages = __cpuid(base + 2);
                cpuid
                    .push("base ")
                    .hex(base.into())
                    .push(" max ")
                    .hex(max.into())
                    .push(" XenVMMXenVMM; version ")
                    .hex(version.into())
                    .push("; hypercall pages ")
                    .dec(pages.eax.into())
                    .push(" msr ")
                    .hex(pages.ebx.into())
                    .push("; features ")
                    .hex(pages.ecx.into())
                    .push(" ")
                    .hex(pages.edx.into());
                if pages.eax >= 1 {
                    make_page(pages.ebx);
                }
            }
        }
        let (_, e) = crate::exc::armed(|| {
            // xen_version(XENVER_version) if it were a hypercall.
            core::arch::asm!("vmcall", inlateout("rax") 17u64 => _, inlateout("rdi") 0u64 => _,
                lateout("rsi") _, lateout("rdx") _, lateout("r10") _, lateout("r8") _);
        });
        let vmcall = &mut *addr_of_mut!(VMCALL_TEXT);
        if e.count > 0 {
            vmcall.push("exception ").dec(e.class).push(" (");
            if e.class == UD {
                vmcall.push("#UD");
                VMCALL_UNAVAILABLE = Some(
                    "vmcall raises #UD: Intel's VMX instruction on a CPU without VMX (AMD SVM under QEMU TCG), so its ABIs cannot run here",
                );
            } else {
                vmcall.push("not #UD");
            }
            vmcall.push(")");
        } else {
            vmcall.push("returned");
        }
    }
}

/// Maps the first 2 MiB but page 0, and the 2 MiB region holding the guard page with 4 KiB
/// pages, all but the guard page, so
/// a length argument that runs past the scratch faults in Xen (-EFAULT) instead of reading or
/// writing the rest of the guest.
unsafe fn unmap_guard() {
    let guard = addr_of!(hyperabi_guard) as u64;
    let region = guard & !0x1f_ffff;
    unsafe {
        let pt = &mut *addr_of_mut!(hyperabi_pt);
        for (i, e) in pt.iter_mut().enumerate() {
            let a = region + i as u64 * 4096;
            *e = if a == guard { 0 } else { a | 3 };
        }
        (*addr_of_mut!(hyperabi_pd))[(region >> 21) as usize] = addr_of!(hyperabi_pt) as u64 | 3;
        // Xen may place hvm_start_info and the modules below 2 MiB (4.20 does): map them, all
        // but page 0, where a small number used as a pointer points.
        let pt0 = &mut *addr_of_mut!(hyperabi_pt0);
        for (i, e) in pt0.iter_mut().enumerate().skip(1) {
            *e = i as u64 * 4096 | 3;
        }
        (*addr_of_mut!(hyperabi_pd))[0] = addr_of!(hyperabi_pt0) as u64 | 3;
        core::arch::asm!("mov {0}, cr3", "mov cr3, {0}", out(reg) _, options(nostack));
    }
}

/// The first base (0x40000000 + k * 0x100) whose signature is Xen's, and its last leaf.
fn find_leaves() -> Option<(u32, u32)> {
    (0x4000_0000u32..0x4001_0000)
        .step_by(0x100)
        .find_map(|base| {
            let r = __cpuid(base);
            (r.ebx == 0x566e_6558 && r.ecx == 0x6558_4d4d && r.edx == 0x4d4d_566e)
                .then_some((base, r.eax))
        })
}

/// Fills the page with 0xcc, has Xen write it through `msr`, and describes what it holds.
unsafe fn make_page(msr: u32) {
    let page = addr_of!(hyperabi_hypercall_page) as *mut u8;
    unsafe {
        core::ptr::write_bytes(page, 0xcc, 4096);
        let gpa = page as u64;
        core::arch::asm!("wrmsr", in("ecx") msr, in("eax") gpa as u32, in("edx") (gpa >> 32) as u32,
            options(nostack));
        PAGE_READY = true;
    }
    // Per entry: `mov $nr, %eax` (b8 nr) then vmmcall (0f 01 d9) or vmcall (0f 01 c1), `ret`
    // (c3), the rest of the 32 bytes untouched (0xcc); or `ud2` (0f 0b) and 0xcc.
    let (mut vmmcall, mut vmcall, mut ud2, mut other) = (0u64, 0u64, 0u64, 0u64);
    let mut ud2_at = None;
    let mut other_at = None;
    for i in 0..128usize {
        let e = unsafe { core::slice::from_raw_parts(page.add(i * 32), 32) };
        let nr = (i as u32).to_le_bytes();
        let stub = e[0] == 0xb8 && e[1..5] == nr && e[5] == 0x0f && e[6] == 0x01 && e[8] == 0xc3;
        let rest_cc = |from: usize| e[from..].iter().all(|&b| b == 0xcc);
        if stub && e[7] == 0xd9 && rest_cc(9) {
            vmmcall += 1;
        } else if stub && e[7] == 0xc1 && rest_cc(9) {
            vmcall += 1;
        } else if e[0] == 0x0f && e[1] == 0x0b && rest_cc(2) {
            ud2 += 1;
            ud2_at.get_or_insert(i);
        } else {
            other += 1;
            other_at.get_or_insert(i);
        }
    }
    let t = unsafe { &mut *addr_of_mut!(PAGE_TEXT) };
    t.push("gpa ")
        .hex(page as u64)
        .push(", 128 entries: vmmcall ")
        .dec(vmmcall)
        .push(", vmcall ")
        .dec(vmcall)
        .push(", ud2 ")
        .dec(ud2);
    if let Some(i) = ud2_at {
        t.push(" (first at ").dec(i as u64).push(")");
    }
    t.push(", other ").dec(other);
    if let Some(i) = other_at {
        t.push(" (first at ").dec(i as u64).push(")");
    }
}

/// What this boot found out, for the guest's info record (keys `env:...` reach the report).
pub fn facts() -> [(&'static str, &'static str); 3] {
    unsafe {
        [
            ("env:xen-cpuid", (*addr_of!(CPUID_TEXT)).as_str()),
            ("env:xen-hypercall-page", (*addr_of!(PAGE_TEXT)).as_str()),
            ("env:vmcall", (*addr_of!(VMCALL_TEXT)).as_str()),
        ]
    }
}

/// Why the ABI `g` cannot run here: a `vmcall` ABI when `vmcall` raised #UD at boot.
pub fn unavailable(g: &GuestAbi) -> Option<&'static str> {
    match g.abi.trap {
        Trap::Vmcall => unsafe { VMCALL_UNAVAILABLE },
        _ => None,
    }
}

/// Runs `f` with the ABI's 32-bit probe selected for the 32-bit ABIs (compatibility mode), else
/// here (CPL0, 64-bit).
pub fn in_mode<R>(abi: &str, f: impl FnOnce() -> R) -> R {
    select_compat(abi);
    f()
}

pub fn plan_addr() -> usize {
    unsafe { PLAN }
}

/// `len` bytes (page-aligned start) ending at the unmapped guard page.
pub fn scratch_at_end(len: usize) -> Option<usize> {
    let end = addr_of!(hyperabi_guard) as usize;
    let start = end.checked_sub(len)? & !0xfff;
    (start >= addr_of!(hyperabi_scratch) as usize).then_some(start)
}
