//! The x86_64 callers and probe of `xen-x86_64`, run natively against an in-process emulated Xen
//! hypercall page that behaves like a debug Xen: it answers a few calls, refuses unknown numbers
//! with -ENOSYS, and poisons the argument registers each call used with 0xdeadbeefdeadf00d. Fault
//! modes make it break the ABI in each way the checker must notice.
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::Mutex;

use abi_spec::property::{self, Config};
use abi_spec::{Effect, Observation, RegisterFile, ViolationKind};
use specs::xen::xen_x86_64::{self, ABI};

const POISON: u64 = 0xdead_beef_dead_f00d;
const ENOSYS: u64 = -38i64 as u64;
const EFAULT: u64 = -14i64 as u64;

// 128 stubs of 32 bytes: `mov eax, nr; jmp emu_common`, as Xen's page loads the number itself.
// `emu_common` saves every register and the flags into a frame, lets Rust play hypervisor on the
// frame, and restores every register from it: whatever `dispatch` leaves in the frame is what the
// guest sees.
std::arch::global_asm!(
    ".text",
    ".balign 4096",
    ".global emu_hypercall_page",
    "emu_hypercall_page:",
    ".set nr, 0",
    ".rept 128",
    ".balign 32",
    "mov eax, nr",
    "jmp emu_common",
    ".set nr, nr + 1",
    ".endr",
    ".balign 32",
    "emu_common:",
    "pushfq",
    "push r15", "push r14", "push r13", "push r12", "push r11", "push r10", "push r9", "push r8",
    "push rbp", "push rdi", "push rsi", "push rdx", "push rcx", "push rbx", "push rax",
    "mov rdi, rsp",
    "mov rbx, rsp",
    "and rsp, -16",
    "cld",
    "call {dispatch}",
    "mov rsp, rbx",
    "pop rax", "pop rbx", "pop rcx", "pop rdx", "pop rsi", "pop rdi", "pop rbp",
    "pop r8", "pop r9", "pop r10", "pop r11", "pop r12", "pop r13", "pop r14", "pop r15",
    "popfq",
    "ret",
    dispatch = sym dispatch,
);

unsafe extern "C" {
    static emu_hypercall_page: u8;
}

fn page() -> *const u8 {
    unsafe { &emu_hypercall_page as *const u8 }
}

/// The registers as `emu_common` pushed them.
#[repr(C)]
struct Frame {
    rax: u64,
    rbx: u64,
    rcx: u64,
    rdx: u64,
    rsi: u64,
    rdi: u64,
    rbp: u64,
    r8: u64,
    r9: u64,
    r10: u64,
    r11: u64,
    r12: u64,
    r13: u64,
    r14: u64,
    r15: u64,
    rflags: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
enum Fault {
    None = 0,
    /// Clobbers r12, which the ABI says is preserved.
    ClobberPreserved,
    /// Poisons r8 (the fifth argument register) even for calls with fewer arguments.
    PoisonUnusedArg,
    /// Leaves the result in rdx and rax holding the number.
    ResultInWrongRegister,
    /// Answers every call, known or not, with a positive junk value out of every domain.
    ResultOutOfDomain,
    /// Flips the carry flag.
    ClobberFlags,
}

static FAULT: AtomicU8 = AtomicU8::new(0);
/// The emulator only touches guest memory inside this buffer (anything else is -EFAULT, as Xen's
/// copy_from_guest would answer).
static GUEST_MEM: AtomicUsize = AtomicUsize::new(0);
static GUEST_MEM_LEN: AtomicUsize = AtomicUsize::new(0);
static CONSOLE: Mutex<Vec<u8>> = Mutex::new(Vec::new());
/// Tests share the emulator's global state; run them one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Argument counts per hypercall, from Xen's hypercall-defs.c (not from our spec: the emulator
/// must not learn the ABI from the thing it tests).
fn xen_arg_count(nr: u64) -> Option<usize> {
    Some(match nr {
        0 | 15 | 23 => 1,
        12 | 13 | 25 | 29 | 30 | 32 | 33 | 17 => 2,
        18 | 20 | 24 | 41 => 3,
        1 | 26 => 4,
        _ => return None,
    })
    .map(|n| if nr == 23 { 0 } else { n })
}

fn guest_slice(addr: u64, len: u64) -> Option<&'static [u8]> {
    let base = GUEST_MEM.load(Ordering::SeqCst) as u64;
    let size = GUEST_MEM_LEN.load(Ordering::SeqCst) as u64;
    (base != 0 && addr >= base && addr.checked_add(len)? <= base + size)
        .then(|| unsafe { std::slice::from_raw_parts(addr as *const u8, len as usize) })
}

extern "C" fn dispatch(f: &mut Frame) {
    let nr = f.rax;
    let fault = FAULT.load(Ordering::SeqCst);
    let ret = match xen_arg_count(nr) {
        None => ENOSYS,
        Some(_) => match nr {
            17 => match f.rdi {
                0 => 0x4_0011,
                7 => 4096,
                _ => 0,
            },
            18 if f.rdi == 0 => match guest_slice(f.rdx, f.rsi) {
                Some(bytes) => {
                    CONSOLE.lock().unwrap().extend_from_slice(bytes);
                    0
                }
                None => EFAULT,
            },
            18 => 0,
            _ => ENOSYS,
        },
    };
    // A debug Xen poisons the arguments a call used, except on -ENOSYS.
    if ret != ENOSYS {
        let n = xen_arg_count(nr).unwrap_or(0);
        for r in [&mut f.rdi, &mut f.rsi, &mut f.rdx, &mut f.r10, &mut f.r8]
            .into_iter()
            .take(n)
        {
            *r = POISON;
        }
    }
    f.rax = ret;
    match fault {
        x if x == Fault::ClobberPreserved as u8 => f.r12 = POISON,
        x if x == Fault::PoisonUnusedArg as u8 => f.r8 = POISON,
        x if x == Fault::ResultInWrongRegister as u8 => {
            f.rdx = ret;
            f.rax = nr;
        }
        x if x == Fault::ResultOutOfDomain as u8 => f.rax = 0x7fff_0000_dead_0000 | nr,
        x if x == Fault::ClobberFlags as u8 => f.rflags ^= 1,
        _ => {}
    }
}

/// Holds the emulator for one test and clears the fault even if the test panics.
struct Emulator(#[allow(dead_code)] std::sync::MutexGuard<'static, ()>);

impl Drop for Emulator {
    fn drop(&mut self) {
        FAULT.store(Fault::None as u8, Ordering::SeqCst);
    }
}

fn with_fault<T>(fault: Fault, body: impl FnOnce() -> T) -> T {
    let _emulator = Emulator(SERIAL.lock().unwrap_or_else(|e| e.into_inner()));
    FAULT.store(fault as u8, Ordering::SeqCst);
    body()
}

/// Runs the generated probe through the emulated page.
fn probe(input: &RegisterFile) -> Observation {
    let nr = input.get(ABI.numbers[0].reg);
    let entry = page() as usize + nr as usize * 32;
    let mut after = RegisterFile::new(input.arch);
    unsafe { (xen_x86_64::probe::PROBE)(input.values.as_ptr(), after.values.as_mut_ptr(), entry) };
    Observation {
        before: *input,
        after,
        exception: None,
    }
}

fn runnable() -> impl Iterator<Item = &'static abi_spec::Call> {
    ABI.calls
        .iter()
        .filter(|c| matches!(c.effect, Effect::Query | Effect::Stateful))
}

#[test]
fn probe_captures_every_register_and_the_poisoning() {
    let _emulator = Emulator(SERIAL.lock().unwrap_or_else(|e| e.into_inner()));
    let call = ABI.call("console_io").unwrap();
    let input = ABI.probe_input(call, &[1, 5, 0x1000], 7);
    let obs = probe(&input);
    let reg = |n: &str| ABI.arch.reg(n).unwrap();
    assert_eq!(obs.after.get(reg("rax")), 0, "CONSOLEIO_read answers 0");
    for r in ["rdi", "rsi", "rdx"] {
        assert_eq!(
            obs.after.get(reg(r)),
            POISON,
            "{r} is poisoned like a debug Xen does"
        );
    }
    for r in [
        "rbx", "rcx", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
    ] {
        assert_eq!(obs.after.get(reg(r)), input.get(reg(r)), "{r} preserved");
    }
    assert_eq!(obs.after.get(reg("rsp")), 0, "rsp after minus rsp before");
    assert_eq!(
        obs.after.get(reg("rflags")) & 0x8d5,
        input.get(reg("rflags")) & 0x8d5
    );
    assert!(abi_spec::check::violations(&ABI, call, &obs).is_empty());
}

#[test]
fn clean_emulator_passes_every_property_test() {
    with_fault(Fault::None, || {
        for call in runnable() {
            let n = property::run(&ABI, call, Config { cases: 64, seed: 1 }, &mut probe)
                .unwrap_or_else(|f| panic!("{f}"));
            assert_eq!(n, 64);
        }
    });
}

/// Each fault class is caught, names the register, and shrinks to a case that still fails.
#[test]
fn every_injected_fault_is_reported() {
    let cases = [
        (
            "xen_version",
            Fault::ClobberPreserved,
            ViolationKind::PreservedChanged,
            Some("r12"),
        ),
        (
            "xen_version",
            Fault::PoisonUnusedArg,
            ViolationKind::PreservedChanged,
            Some("r8"),
        ),
        (
            "xen_version",
            Fault::ResultInWrongRegister,
            ViolationKind::ResultInWrongRegister,
            Some("rdx"),
        ),
        (
            "multicall",
            Fault::ResultOutOfDomain,
            ViolationKind::ResultOutOfDomain,
            Some("rax"),
        ),
        (
            "xen_version",
            Fault::ClobberFlags,
            ViolationKind::PreservedChanged,
            Some("rflags"),
        ),
    ];
    for (call, fault, kind, reg) in cases {
        with_fault(fault, || {
            let call = ABI.call(call).unwrap();
            let failure = property::run(&ABI, call, Config { cases: 32, seed: 2 }, &mut probe)
                .expect_err(&format!("{fault:?} must be caught"));
            assert!(
                failure
                    .violations
                    .iter()
                    .any(|v| v.kind == kind && v.reg.map(|r| r.name()) == reg),
                "{fault:?}: expected {kind:?} on {reg:?}, got {failure}"
            );
        });
    }
}

#[test]
fn generated_callers_survive_a_poisoning_hypervisor() {
    let mut buf = *b"hello from a generated caller\n";
    with_fault(Fault::None, || {
        GUEST_MEM.store(buf.as_mut_ptr() as usize, Ordering::SeqCst);
        GUEST_MEM_LEN.store(buf.len(), Ordering::SeqCst);
        CONSOLE.lock().unwrap().clear();
        // Values live across the calls: if a caller under-declared its clobbers, the optimiser
        // could keep them in rdi/rsi/rdx, which the emulator poisons, and the sums would break.
        let mut acc = 0u64;
        for i in 0..1000u64 {
            let a = std::hint::black_box(i);
            let b = std::hint::black_box(i * 3);
            let v = unsafe { xen_x86_64::call::xen_version(page(), 0, 0) };
            let p = unsafe { xen_x86_64::call::xen_version(page(), 7, 0) };
            acc = acc.wrapping_add(v + p + a + b);
        }
        let expect: u64 = (0..1000u64).map(|i| 0x4_0011 + 4096 + i + i * 3).sum();
        assert_eq!(acc, expect);

        let ret = unsafe {
            xen_x86_64::call::console_io(page(), 0, buf.len() as u64, buf.as_ptr() as u64)
        };
        assert_eq!(ret, 0);
        assert_eq!(CONSOLE.lock().unwrap().as_slice(), &buf[..]);
        let ret = unsafe { xen_x86_64::call::console_io(page(), 0, 4, 0x10) };
        assert_eq!(ret, EFAULT, "a pointer outside guest memory is -EFAULT");
        let ret = unsafe { xen_x86_64::call::memory_op(page(), 0, 0) };
        assert_eq!(ret, ENOSYS);
        GUEST_MEM.store(0, Ordering::SeqCst);
    });
}

// A deliberately wrong spec: it claims the argument registers survive the call. Its generated
// caller would let the compiler keep live values in rdi/rsi/rdx across the trap; the probe and
// checker must catch the poisoning a debug Xen does there.
abi_macros::hypercall_abi! {
    pub abi wrong_xen ("test-wrong-xen-x86_64", "Xen x86_64 with a wrong clobber rule") {
        arch: x86_64,
        trap: page(32),
        number: rax,
        args: [rdi, rsi, rdx, r10, r8],
        results: [rax],
        registers: { used_args: preserved, others: preserved },
        errors: { EFAULT = -14, ENOSYS = -38 },
        calls: {
            xen_version = 17 (cmd: enum { XENVER_version = 0, XENVER_pagesize = 7 }, arg: ptr(nullable)) -> (ret: range(0..=i64::MAX)) errors [EFAULT, ENOSYS];
        },
    }
}

#[test]
fn a_spec_that_forgets_a_clobber_fails_against_the_poisoning_hypervisor() {
    with_fault(Fault::None, || {
        let abi = &wrong_xen::ABI;
        let mut exec = |input: &RegisterFile| {
            let mut after = RegisterFile::new(input.arch);
            let entry = page() as usize + 17 * 32;
            unsafe {
                (wrong_xen::probe::PROBE)(input.values.as_ptr(), after.values.as_mut_ptr(), entry)
            };
            Observation {
                before: *input,
                after,
                exception: None,
            }
        };
        let failure = property::run(abi, &abi.calls[0], Config { cases: 16, seed: 3 }, &mut exec)
            .expect_err("the wrong spec must fail");
        let regs: Vec<_> = failure
            .violations
            .iter()
            .filter_map(|v| v.reg.map(|r| r.name()))
            .collect();
        assert_eq!(regs, ["rsi", "rdi"], "{failure}");
        assert!(failure
            .violations
            .iter()
            .all(|v| v.kind == ViolationKind::PreservedChanged && v.observed == POISON));
    });
}
