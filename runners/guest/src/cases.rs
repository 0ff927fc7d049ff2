//! The per-case loop: read a plan (`abi_spec::wire`), run every case through the ABI's generated
//! probe (and its generated Rust caller, C inline function and assembly stub), and stream the
//! records back in Data frames.

use abi_spec::wire::{
    self, CaseRecord, PathRecord, PlanReader, Writer as Rec, CASE_CALLER, CASE_STUBS, MAX_PATHS,
    NO_CALL,
};
use abi_spec::{GuestAbi, RegisterFile, Trap};

use crate::exc;
use crate::frame::Writer;
use abi_spec::frame::FrameType;

/// Scratch memory pointer arguments point into (the plan says how much it needs).
const SCRATCH_LEN: usize = 80 * 1024;

#[repr(C, align(4096))]
struct Scratch([u8; SCRATCH_LEN]);

static mut SCRATCH: Scratch = Scratch([0; SCRATCH_LEN]);

/// Records are batched into frames of about this size: fewer frames, less console overhead.
const BATCH: usize = 3 * 1024;
/// The largest record: a case with every register changed and every path's eight values.
const RECORD_MAX: usize = 1024;

/// The batch buffer: static, not on the stack, which is 8 KiB in a 32-bit arm Linux kernel
/// (the harness in a kernel module, `boot/linux_module.rs`). One session at a time uses it.
static mut BATCH_BUF: [u8; BATCH + RECORD_MAX] = [0; BATCH + RECORD_MAX];

/// A parameter-struct window after the call (up to `wire::MAX_BUFFER` bytes): static for the
/// same reason. One session at a time uses it.
static mut STRUCT_AFTER: [u8; wire::MAX_BUFFER] = [0; wire::MAX_BUFFER];

struct Batch {
    buf: &'static mut [u8; BATCH + RECORD_MAX],
    len: usize,
}

impl Batch {
    fn push(&mut self, out: &mut Writer, f: impl FnOnce(&mut Rec)) {
        let mut tmp = [0u8; RECORD_MAX];
        let mut w = Rec::new(&mut tmp);
        f(&mut w);
        let n = w.len();
        self.buf[self.len..self.len + n].copy_from_slice(&tmp[..n]);
        self.len += n;
        if self.len >= BATCH {
            self.flush(out);
        }
    }

    fn flush(&mut self, out: &mut Writer) {
        if self.len > 0 {
            out.frame(FrameType::Data, &self.buf[..self.len]);
            self.len = 0;
        }
    }
}

fn fail(out: &mut Writer, msg: &str) {
    out.frame(FrameType::Error, msg.as_bytes());
}

pub fn run(out: &mut Writer, bytes: &[u8]) {
    let plan = match PlanReader::parse(bytes) {
        Ok(p) => p,
        Err(_) => {
            return fail(
                out,
                "plan: not a valid hyperabi plan (magic, version or header)",
            )
        }
    };
    if plan.scratch_len as usize > SCRATCH_LEN {
        return fail(out, "plan: needs more scratch memory than the guest has");
    }
    // The ABIs of the plan, resolved in this build's registry.
    let mut abis: [Option<GuestAbi>; 64] = [None; 64];
    // The ABIs this boot cannot run (their cases stay not run) and why: the info record says so.
    const MAX_UNAVAILABLE: usize = 4;
    let mut unavailable: [(&str, &str); MAX_UNAVAILABLE] = [("", ""); MAX_UNAVAILABLE];
    let mut nunavailable = 0;
    for i in 0..plan.nabis.min(64) {
        let g = plan
            .abi_id(i)
            .and_then(|id| specs::guest(id).or_else(|| crate::boot::compat_guest(id)));
        match g.and_then(|g| Some((g, crate::boot::unavailable(&g)?))) {
            Some((g, why)) if nunavailable < MAX_UNAVAILABLE => {
                unavailable[nunavailable] = (g.abi.id, why);
                nunavailable += 1;
            }
            _ => abis[i as usize] = g,
        }
    }
    // A boot environment may place the scratch where nothing the guest can reach follows it
    // (a Xen dom0: at the end of its memory), so a length argument that runs past the scratch
    // faults in the hypervisor instead of reading or writing the rest of the guest.
    let scratch = crate::boot::scratch_at_end(plan.scratch_len as usize)
        .map_or(core::ptr::addr_of_mut!(SCRATCH) as u64, |a| a as u64);
    let mut batch = Batch {
        // Only this session holds the reference.
        buf: unsafe { &mut *core::ptr::addr_of_mut!(BATCH_BUF) },
        len: 0,
    };
    let stubs = match crate::stubs::COMPILED_BY {
        Ok(by) => ("stubs", by),
        Err(why) => ("stubs unavailable", why),
    };
    // What the guest is, and what its boot found out (`env:` facts, unavailable ABIs).
    let mut info: [(&str, &str); 16] = [("", ""); 16];
    info[0] = ("harness", "hyperabi-guest 0.1");
    info[1] = stubs;
    let mut ninfo = 2;
    let facts = crate::boot::facts();
    for &kv in facts.iter().chain(&unavailable[..nunavailable]) {
        if ninfo < info.len() {
            info[ninfo] = kv;
            ninfo += 1;
        }
    }
    batch.push(out, |w| wire::write_info(w, scratch, &info[..ninfo]));
    // Out at once: where the scratch is shows in the stream even if the first cases break it.
    batch.flush(out);
    let mut n = 0u32;
    for case in plan.cases() {
        let Ok(case) = case else {
            batch.flush(out);
            return fail(out, "plan: a case does not decode");
        };
        // Every case starts from zeroed scratch: what an earlier case had the hypervisor write
        // there must not change this one's verdict (plan order, sharding and seed do not matter).
        unsafe { core::ptr::write_bytes(scratch as *mut u8, 0, plan.scratch_len as usize) };
        // A case with a parameter struct: its window as the plan gives it.
        let window =
            |scratch: u64| -> *mut u8 { (scratch as usize + case.buf_off as usize) as *mut u8 };
        let preset = || {
            if case.flags & wire::CASE_BUFFER != 0 {
                let b = case.buffer();
                unsafe { core::ptr::copy_nonoverlapping(b.as_ptr(), window(scratch), b.len()) };
            }
        };
        preset();
        // Only this session holds the reference.
        let struct_after = unsafe { &mut *core::ptr::addr_of_mut!(STRUCT_AFTER) };
        let before = case.input(plan.arch, scratch);
        let mut rec = CaseRecord {
            id: case.id,
            status: wire::STATUS_NOT_RUN,
            code: 0,
            after: before,
            npaths: 0,
            paths: [PathRecord::new(0, 0); MAX_PATHS],
        };
        let guest = abis.get(case.abi as usize).copied().flatten();
        if let Some((g, entry)) = guest.and_then(|g| Some((g, page_entry(&g, &before)?))) {
            let mut after = RegisterFile::new(plan.arch);
            let ((), e) = exc::armed(|| {
                crate::boot::in_mode(g.abi.id, || unsafe {
                    (g.probe)(before.values.as_ptr(), after.values.as_mut_ptr(), entry)
                })
            });
            rec.after = after;
            if case.flags & wire::CASE_BUFFER != 0 {
                let b = case.buffer();
                unsafe {
                    core::ptr::copy_nonoverlapping(
                        window(scratch),
                        struct_after.as_mut_ptr(),
                        b.len(),
                    )
                };
            }
            if e.count > 0 {
                rec.status = wire::STATUS_EXCEPTION;
                rec.code = (e.class << 32) | (e.code & 0xffff_ffff);
            } else {
                rec.status = wire::STATUS_RETURNED;
                let zero = || {
                    unsafe {
                        core::ptr::write_bytes(scratch as *mut u8, 0, plan.scratch_len as usize)
                    };
                    preset();
                };
                if case.flags & CASE_CALLER != 0 && case.call != NO_CALL {
                    // Each path starts from the scratch the probe started from.
                    zero();
                    caller(&g, case.call as usize, &before, &mut rec);
                }
                if case.flags & CASE_STUBS != 0 && case.call != NO_CALL {
                    for path in [wire::PATH_C, wire::PATH_ASM] {
                        zero();
                        stub(&g, path, case.call as usize, &before, &mut rec);
                    }
                }
            }
        }
        batch.push(out, |w| wire::write_case_record(w, &before, &rec));
        if case.flags & wire::CASE_BUFFER != 0 && rec.status == wire::STATUS_RETURNED {
            let b = case.buffer();
            batch.push(out, |w| {
                wire::write_buffer_record(w, case.id, b, &struct_after[..b.len()])
            });
        }
        if plan.flags & wire::PLAN_FLUSH_EACH != 0 {
            // The host is hunting the case that breaks the target: no record may wait.
            batch.flush(out);
        }
        n += 1;
    }
    batch.push(out, |w| wire::write_done(w, n));
    batch.flush(out);
}

/// The probe's `entry`: for a hypercall-page ABI the page's entry for the case's number (`None`,
/// so the case is not run, when the number has no entry in the page or there is no page), else 0.
fn page_entry(g: &GuestAbi, before: &RegisterFile) -> Option<usize> {
    let Trap::HypercallPage { stride } = g.abi.trap else {
        return Some(0);
    };
    let number = before.get(g.abi.numbers.first()?.reg);
    let offset = number.checked_mul(u64::from(stride))?;
    let page = crate::boot::hypercall_page();
    (page != 0 && offset < 4096).then(|| page + offset as usize)
}

/// Runs the call again through its generated caller, with the arguments the probe loaded.
fn caller(g: &GuestAbi, index: usize, before: &RegisterFile, rec: &mut CaseRecord) {
    let Some(call) = g.abi.calls.get(index) else {
        return;
    };
    let mut args = [0u64; 16];
    for (k, a) in call.args.iter().enumerate().take(16) {
        args[k] = before.get(a.reg);
    }
    let mut results = [0u64; wire::MAX_PATH_VALUES];
    let nres = call.results.len().min(wire::MAX_PATH_VALUES);
    let (ran, e) = exc::armed(|| {
        crate::boot::in_mode(g.abi.id, || unsafe {
            (g.dispatch)(
                index,
                crate::boot::hypercall_page() as *const u8,
                &args[..call.args.len().min(16)],
                &mut results[..nres],
            )
        })
    });
    if e.count > 0 {
        let mut p = PathRecord::new(wire::PATH_RUST, wire::PATH_EXCEPTION);
        p.n = 1;
        p.values[0] = (e.class << 32) | (e.code & 0xffff_ffff);
        rec.push_path(p);
    } else if ran {
        let mut p = PathRecord::new(wire::PATH_RUST, wire::PATH_RAN);
        p.n = nres as u8;
        p.values = results;
        rec.push_path(p);
    }
}

/// Runs the call again through the ABI's C inline function (`PATH_C`) or assembly stub
/// (`PATH_ASM`), with the arguments the probe loaded, through the header's dispatcher.
fn stub(g: &GuestAbi, path: u8, index: usize, before: &RegisterFile, rec: &mut CaseRecord) {
    let Some(call) = g.abi.calls.get(index) else {
        return;
    };
    let Some(dispatch) = crate::stubs::dispatch(g.abi.id) else {
        rec.push_path(PathRecord::new(path, wire::PATH_UNAVAILABLE));
        return;
    };
    let mut args = [0u64; 16];
    let nargs = call.args.len().min(16);
    for (k, a) in call.args.iter().enumerate().take(16) {
        args[k] = before.get(a.reg);
    }
    let mut results = [0u64; wire::MAX_PATH_VALUES];
    let nres = call.results.len().min(wire::MAX_PATH_VALUES);
    let (ran, e) = exc::armed(|| {
        crate::boot::in_mode(g.abi.id, || unsafe {
            dispatch(
                (path == wire::PATH_ASM) as i32,
                index as u32,
                crate::boot::hypercall_page() as *const u8,
                args.as_ptr(),
                nargs as u32,
                results.as_mut_ptr(),
                nres as u32,
            )
        })
    });
    let mut p = match (e.count, ran) {
        (0, 1) => PathRecord::new(path, wire::PATH_RAN),
        (0, 2) => PathRecord::new(path, wire::PATH_LIVE_CHANGED),
        // Not run: the dispatcher does not know the call (a stub out of step with the spec).
        (0, _) => return rec.push_path(PathRecord::new(path, wire::PATH_UNAVAILABLE)),
        _ => {
            let mut p = PathRecord::new(path, wire::PATH_EXCEPTION);
            p.n = 1;
            p.values[0] = (e.class << 32) | (e.code & 0xffff_ffff);
            return rec.push_path(p);
        }
    };
    p.n = nres as u8;
    p.values = results;
    rec.push_path(p);
}
