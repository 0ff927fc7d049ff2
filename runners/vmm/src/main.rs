//! hyperabi's VMM: runs the guest harness as a KVM guest, on rust-vmm's `kvm-ioctls`.
//!
//! Two ways to start it:
//!
//! - as `/init` of the initramfs a KVM target boots (the runner writes it: this binary, the
//!   harness ELF, the plan, `/vmm.args`, and the kernel modules KVM needs on that arch). With
//!   `mode=module` in `/vmm.args` there is no VM: the harness is hyperabi's kernel module
//!   (`runners/module`, the Linux HYP stub targets) and [`run_module`] runs it. It mounts
//!   `/proc` and `/dev`, loads the modules, silences the kernel console, says what it runs on
//!   (`hyperabi-vmm:` lines: the kernel's banner, KVM's own initialisation lines, the command
//!   line), then runs the guest and powers the machine off;
//! - as a program on a KVM host: `hyperabi-vmm HARNESS PLAN PLAN_ADDR`, or `hyperabi-vmm
//!   --witness` to ask only whether this KVM handles hypercalls itself (exit 0) or not (1).
//!
//! Before the harness, the guest makes one witness hypercall (`arch::witness`) with a vCPU
//! counter read around it (`stats`): it must move by exactly one, and the answer must be KVM's.
//! A software KVM whose hypercalls an outer hypervisor answers fails here, with the numbers.
//! After the run the VMM says how many hypercalls KVM handled (`hypercalls:` line).
//!
//! The VM is laid out like QEMU's `virt` machine, so the harness images QEMU boots run unchanged:
//! RAM at 0x4000_0000 (aarch64) or 0x8000_0000 (riscv64), the UART's transmit register at the
//! same address, written one byte per exit (coalesced MMIO, so one exit per ring-full). Images
//! built for KVM use the doorbell instead (`abi_spec::frame::doorbell`): one exit per flushed
//! batch. On x86_64 RAM starts at 0 and the doorbell is the only console, a power-off register
//! beside it (`arch/x86_64.rs`). Guest bytes go to stdout unchanged; the VMM's own lines are written only before the
//! guest starts and after it stopped, so they never fall inside a frame.

use std::fs::File;
use std::io::Write;
use std::os::fd::AsRawFd;

#[cfg(not(target_arch = "arm"))]
use kvm_bindings::kvm_userspace_memory_region;
#[cfg(not(target_arch = "arm"))]
use kvm_ioctls::{IoEventAddress, Kvm, VcpuExit, VcpuFd, VmFd};

#[cfg(not(target_arch = "arm"))]
mod arch;
#[cfg(not(target_arch = "arm"))]
mod stats;

type Result<T> = std::result::Result<T, String>;

/// Guest memory: RAM from [`arch::RAM_BASE`].
#[cfg(not(target_arch = "arm"))]
const RAM_SIZE: usize = 256 << 20;

/// What to run.
#[cfg_attr(target_arch = "arm", allow(dead_code))]
struct Args {
    harness: Vec<u8>,
    plan: Vec<u8>,
    plan_addr: u64,
}

/// 32-bit arm has no KVM (removed in Linux 5.7) and `kvm-ioctls` does not build for it: there the
/// binary is only `/init` of the 32-bit HYP stub target, which runs hyperabi's kernel module.
#[cfg(target_arch = "arm")]
fn run(_args: &Args) -> Result<String> {
    Err("no KVM on 32-bit arm: only mode=module (hyperabi's kernel module) runs here".into())
}

#[cfg(target_arch = "arm")]
fn witness_only() -> Result<String> {
    Err("no KVM on 32-bit arm".into())
}

fn main() {
    let init = std::process::id() == 1;
    let result = if init {
        run_as_init()
    } else {
        run_as_program()
    };
    let code = match &result {
        Ok(end) => {
            say(&format!("end: {end}"));
            0
        }
        Err(e) => {
            say(&format!("error: {e}"));
            1
        }
    };
    if init {
        // pid 1 must not exit: power the machine off (the outer QEMU runs with -no-reboot).
        unsafe {
            libc::sync();
            libc::reboot(libc::LINUX_REBOOT_CMD_POWER_OFF);
        }
        loop {
            std::thread::park();
        }
    }
    std::process::exit(code);
}

/// One diagnostic line on stdout (`hyperabi-vmm: ...`), outside any guest frame.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(format!("hyperabi-vmm: {line}\n").as_bytes());
    let _ = out.flush();
}

fn read(path: &str) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn parse_u64(s: &str) -> Result<u64> {
    let t = s.trim();
    match t.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16),
        None => t.parse(),
    }
    .map_err(|e| format!("{t:?}: {e}"))
}

fn run_as_program() -> Result<String> {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a == ["--witness"] {
        return witness_only();
    }
    if a.len() != 3 {
        return Err("usage: hyperabi-vmm HARNESS PLAN PLAN_ADDR | hyperabi-vmm --witness".into());
    }
    let args = Args {
        harness: read(&a[0])?,
        plan: read(&a[1])?,
        plan_addr: parse_u64(&a[2])?,
    };
    run(&args)
}

fn run_as_init() -> Result<String> {
    mount("proc", "/proc", "proc")?;
    mount("devtmpfs", "/dev", "devtmpfs")?;
    load_modules()?;
    // Only emergencies reach the console from now on: kernel messages must not fall between
    // the guest's bytes.
    unsafe { libc::klogctl(8, std::ptr::null_mut(), 1) };
    describe_host();
    let conf = String::from_utf8_lossy(&read("/vmm.args")?).into_owned();
    let mut plan_addr = None;
    let mut module = false;
    for line in conf.lines() {
        if let Some(v) = line.strip_prefix("plan_addr=") {
            plan_addr = Some(parse_u64(v)?);
        }
        module |= line == "mode=module";
    }
    if module {
        return run_module(&read("/plan.bin")?);
    }
    let args = Args {
        harness: read("/harness.elf")?,
        plan: read("/plan.bin")?,
        plan_addr: plan_addr.ok_or("/vmm.args: no plan_addr=")?,
    };
    raw_console()?;
    run(&args)
}

/// The harness in hyperabi's kernel module (`runners/module`, loaded from `/modules` like KVM's
/// modules): the plan goes into `/proc/hyperabi`, and reading it back runs the plan in the
/// kernel and returns the frames, copied to the console unchanged.
fn run_module(plan: &[u8]) -> Result<String> {
    const PROC: &str = "/proc/hyperabi";
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(PROC)
        .map_err(|e| format!("{PROC}: {e} (the module did not load?)"))?;
    f.write_all(plan)
        .map_err(|e| format!("{PROC}: writing the plan: {e}"))?;
    drop(f);
    say(&format!(
        "module: plan of {} bytes written to {PROC}",
        plan.len()
    ));
    raw_console()?;
    let frames = read(PROC)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&frames)
        .and_then(|_| out.flush())
        .map_err(|e| format!("console: {e}"))?;
    drop(out);
    Ok(format!(
        "the module ran the plan ({} bytes of frames)",
        frames.len()
    ))
}

fn mount(source: &str, target: &str, fstype: &str) -> Result<()> {
    let c = |s: &str| std::ffi::CString::new(s).expect("no NUL");
    let (s, t, f) = (c(source), c(target), c(fstype));
    let r = unsafe { libc::mount(s.as_ptr(), t.as_ptr(), f.as_ptr(), 0, std::ptr::null()) };
    if r != 0 {
        return Err(format!(
            "mount {fstype} on {target}: {}",
            std::io::Error::last_os_error()
        ));
    }
    Ok(())
}

/// `/modules/*.ko` in name order (the runner numbers them in dependency order).
fn load_modules() -> Result<()> {
    let Ok(dir) = std::fs::read_dir("/modules") else {
        return Ok(());
    };
    let mut files: Vec<_> = dir.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    files.sort();
    for f in files {
        let file = File::open(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let r = unsafe { libc::syscall(libc::SYS_finit_module, file.as_raw_fd(), c"".as_ptr(), 0) };
        if r != 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EEXIST) {
                return Err(format!("loading {}: {e}", f.display()));
            }
        }
        say(&format!(
            "module: {}",
            f.file_name().unwrap_or_default().to_string_lossy()
        ));
    }
    Ok(())
}

/// The kernel's own banner, its command line and KVM's initialisation lines from the kernel log:
/// what the report names as the implementation that ran.
fn describe_host() {
    if let Ok(v) = std::fs::read_to_string("/proc/version") {
        say(&format!("kernel: {}", v.trim()));
    }
    if let Ok(v) = std::fs::read_to_string("/proc/cmdline") {
        say(&format!("cmdline: {}", v.trim()));
    }
    let mut buf = vec![0u8; 1 << 20];
    let n = unsafe { libc::klogctl(3, buf.as_mut_ptr().cast(), buf.len() as i32) };
    if n > 0 {
        let log = String::from_utf8_lossy(&buf[..n as usize]).into_owned();
        for line in log.lines() {
            let l = line.to_ascii_lowercase();
            if l.contains("kvm")
                || l.contains("hypervisor extension")
                || l.contains("started at el")
                || l.contains("started in hyp mode")
                || l.contains("hyperabi: module at el")
            {
                // Drop the `<6>[    1.234] ` prefix.
                let text = line.split_once("] ").map_or(line, |(_, t)| t);
                say(&format!("log: {text}"));
            }
        }
    }
}

/// Guest bytes are binary: no newline translation on the console.
fn raw_console() -> Result<()> {
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        if libc::tcgetattr(1, &mut t) != 0 {
            // Not a terminal (a pipe or a file): nothing to translate.
            return Ok(());
        }
        libc::cfmakeraw(&mut t);
        if libc::tcsetattr(1, libc::TCSANOW, &t) != 0 {
            return Err(format!("raw console: {}", std::io::Error::last_os_error()));
        }
    }
    Ok(())
}

/// Guest RAM, mapped into the VMM.
#[cfg(not(target_arch = "arm"))]
pub struct Ram {
    host: *mut u8,
}

#[cfg(not(target_arch = "arm"))]
impl Ram {
    fn new() -> Result<Ram> {
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                RAM_SIZE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(format!(
                "mmap {RAM_SIZE} bytes: {}",
                std::io::Error::last_os_error()
            ));
        }
        Ok(Ram { host: p.cast() })
    }

    /// The RAM bytes at guest-physical `gpa`, `len` long, if they are RAM. Guest memory is
    /// shared with the vCPU anyway; the VMM's one thread never holds two slices at once.
    #[allow(clippy::mut_from_ref)]
    fn slice(&self, gpa: u64, len: usize) -> Option<&mut [u8]> {
        let off = gpa.checked_sub(arch::RAM_BASE)? as usize;
        if off.checked_add(len)? > RAM_SIZE {
            return None;
        }
        Some(unsafe { std::slice::from_raw_parts_mut(self.host.add(off), len) })
    }

    /// Copies `bytes` to guest-physical `gpa` (`what` names them in the error).
    pub fn put(&self, gpa: u64, bytes: &[u8], what: &str) -> Result<()> {
        let dst = self.slice(gpa, bytes.len()).ok_or_else(|| {
            format!(
                "{what}: {} bytes at {gpa:#x} lie outside RAM ({:#x}..{:#x})",
                bytes.len(),
                arch::RAM_BASE,
                arch::RAM_BASE + RAM_SIZE as u64
            )
        })?;
        dst.copy_from_slice(bytes);
        Ok(())
    }
}

/// Copies the PT_LOAD segments of a 64-bit little-endian ELF to their physical addresses;
/// returns the entry point.
#[cfg(not(target_arch = "arm"))]
fn load_elf(ram: &Ram, elf: &[u8]) -> Result<u64> {
    let bad = |why: &str| format!("harness ELF: {why}");
    if elf.len() < 64 || &elf[..4] != b"\x7fELF" || elf[4] != 2 || elf[5] != 1 {
        return Err(bad("not a 64-bit little-endian ELF file"));
    }
    let u16_at = |o: usize| u16::from_le_bytes([elf[o], elf[o + 1]]);
    let u32_at = |o: usize| u32::from_le_bytes(elf[o..o + 4].try_into().unwrap());
    let u64_at = |o: usize| u64::from_le_bytes(elf[o..o + 8].try_into().unwrap());
    if u16_at(18) != arch::ELF_MACHINE {
        return Err(bad(&format!(
            "machine {} is not this VMM's ({})",
            u16_at(18),
            arch::ELF_MACHINE
        )));
    }
    let entry = u64_at(24);
    let (phoff, phentsize, phnum) = (u64_at(32) as usize, u16_at(54) as usize, u16_at(56));
    for i in 0..phnum as usize {
        let ph = phoff + i * phentsize;
        if ph + 56 > elf.len() {
            return Err(bad(&format!("program header {i} lies outside the file")));
        }
        if u32_at(ph) != 1 {
            continue;
        }
        let (offset, paddr, filesz, memsz) = (
            u64_at(ph + 8) as usize,
            u64_at(ph + 24),
            u64_at(ph + 32) as usize,
            u64_at(ph + 40) as usize,
        );
        let data = elf
            .get(offset..offset + filesz)
            .ok_or_else(|| bad(&format!("segment {i} lies outside the file")))?;
        ram.put(paddr, data, &format!("harness segment {i}"))?;
        ram.slice(paddr + filesz as u64, memsz.saturating_sub(filesz))
            .ok_or_else(|| bad(&format!("segment {i} (.bss) lies outside RAM")))?
            .fill(0);
    }
    Ok(entry)
}

/// Guest console bytes on their way to stdout.
#[cfg(not(target_arch = "arm"))]
struct Console {
    out: std::io::Stdout,
    pending: Vec<u8>,
}

#[cfg(not(target_arch = "arm"))]
impl Console {
    fn flush(&mut self) -> Result<()> {
        if !self.pending.is_empty() {
            let mut o = self.out.lock();
            o.write_all(&self.pending)
                .and_then(|_| o.flush())
                .map_err(|e| format!("console: {e}"))?;
            self.pending.clear();
        }
        Ok(())
    }

    /// The UART bytes KVM collected in the coalesced-MMIO ring, in program order.
    fn drain(&mut self, vcpu: &mut VcpuFd) -> Result<()> {
        while let Some(e) = vcpu
            .coalesced_mmio_read()
            .map_err(|e| format!("coalesced MMIO ring: {e}"))?
        {
            if Some(e.phys_addr) == arch::UART {
                self.pending.push(e.data[0]);
            }
        }
        Ok(())
    }
}

#[cfg(not(target_arch = "arm"))]
/// A VM with RAM and one vCPU (not yet set up).
struct Vm {
    kvm: Kvm,
    vm: VmFd,
    ram: Ram,
    vcpu: VcpuFd,
}

#[cfg(not(target_arch = "arm"))]
fn create_vm() -> Result<Vm> {
    let kvm = Kvm::new().map_err(|e| format!("/dev/kvm: {e}"))?;
    let vm = kvm.create_vm().map_err(|e| format!("KVM_CREATE_VM: {e}"))?;
    let ram = Ram::new()?;
    let region = kvm_userspace_memory_region {
        slot: 0,
        flags: 0,
        guest_phys_addr: arch::RAM_BASE,
        memory_size: RAM_SIZE as u64,
        userspace_addr: ram.host as u64,
    };
    unsafe { vm.set_user_memory_region(region) }
        .map_err(|e| format!("KVM_SET_USER_MEMORY_REGION: {e}"))?;
    if let Some(uart) = arch::UART {
        vm.register_coalesced_mmio(IoEventAddress::Mmio(uart), arch::UART_WIDTH)
            .map_err(|e| format!("KVM_REGISTER_COALESCED_MMIO: {e}"))?;
    }
    let mut vcpu = vm
        .create_vcpu(0)
        .map_err(|e| format!("KVM_CREATE_VCPU: {e}"))?;
    vcpu.map_coalesced_mmio_ring()
        .map_err(|e| format!("coalesced MMIO ring: {e}"))?;
    Ok(Vm { kvm, vm, ram, vcpu })
}

#[cfg(not(target_arch = "arm"))]
/// Runs the witness hypercall on a set-up vCPU: `Ok(the stat)` when this KVM handled it,
/// `Err(what happened instead)`.
fn witness(m: &mut Vm, counter: &stats::Counter) -> Result<String> {
    let Some(w) = arch::witness() else {
        return Ok("no witness on this arch".into());
    };
    m.ram.put(w.at, &w.code, "witness code")?;
    arch::start_at(&m.vcpu, w.at)?;
    let before = counter.read()?;
    let deadline = Deadline::arm()?;
    let answer = loop {
        match m.vcpu.run() {
            Ok(VcpuExit::MmioWrite(addr, data)) if addr == w.mmio && data.len() == 8 => {
                break u64::from_le_bytes(data.try_into().unwrap());
            }
            Ok(VcpuExit::Intr) => {}
            Err(e) if e.errno() == libc::EINTR || e.errno() == libc::EAGAIN => {
                if deadline.elapsed() {
                    return Err(format!(
                        "this KVM did not handle the witness hypercall ({}): the vCPU did not \
                         come back within {} s (counter `{}` moved by {}); another hypervisor \
                         holds this KVM's hypercalls",
                        w.call,
                        Deadline::SECONDS,
                        w.stat,
                        counter.read()?.wrapping_sub(before)
                    ));
                }
            }
            Ok(other) => return Err(format!("witness {}: exit {other:?}", w.call)),
            Err(e) => return Err(format!("witness {}: KVM_RUN: {e}", w.call)),
        }
    };
    let moved = counter.read()?.wrapping_sub(before);
    if moved != 1 || answer != w.answer {
        return Err(format!(
            "this KVM did not handle the witness hypercall ({}): its vCPU counter `{}` moved by \
             {moved} (1 expected) and the answer was {answer:#x} (KVM's is {:#x}); another \
             hypervisor answers this KVM's guests",
            w.call, w.stat, w.answer
        ));
    }
    Ok(format!(
        "{} answered {answer:#x}, `{}` +1: KVM handled it",
        w.call, w.stat
    ))
}

#[cfg(not(target_arch = "arm"))]
/// A SIGALRM that interrupts `KVM_RUN` (EINTR) after [`Deadline::SECONDS`]: a vCPU whose
/// hypercall never returns to KVM must not hang the VMM. Disarmed when dropped.
struct Deadline {
    fired: &'static std::sync::atomic::AtomicBool,
}

#[cfg(not(target_arch = "arm"))]
static ALARM: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[cfg(not(target_arch = "arm"))]
extern "C" fn on_alarm(_: libc::c_int) {
    ALARM.store(true, std::sync::atomic::Ordering::SeqCst);
}

#[cfg(not(target_arch = "arm"))]
impl Deadline {
    const SECONDS: u32 = 2;

    fn arm() -> Result<Deadline> {
        ALARM.store(false, std::sync::atomic::Ordering::SeqCst);
        // SAFETY: an async-signal-safe handler (one atomic store), installed without
        // SA_RESTART so that KVM_RUN returns EINTR.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_alarm as *const () as usize;
            if libc::sigaction(libc::SIGALRM, &sa, std::ptr::null_mut()) != 0 {
                return Err(format!(
                    "sigaction SIGALRM: {}",
                    std::io::Error::last_os_error()
                ));
            }
            libc::alarm(Self::SECONDS);
        }
        Ok(Deadline { fired: &ALARM })
    }

    fn elapsed(&self) -> bool {
        self.fired.load(std::sync::atomic::Ordering::SeqCst)
    }
}

#[cfg(not(target_arch = "arm"))]
impl Drop for Deadline {
    fn drop(&mut self) {
        unsafe { libc::alarm(0) };
    }
}

#[cfg(not(target_arch = "arm"))]
/// The counter the witness and the run are measured with.
fn counter(m: &Vm) -> Result<Option<stats::Counter>> {
    match arch::witness() {
        Some(w) => stats::Counter::open(&m.kvm, &m.vcpu, w.stat).map(Some),
        None => Ok(None),
    }
}

#[cfg(not(target_arch = "arm"))]
fn witness_only() -> Result<String> {
    let mut m = create_vm()?;
    arch::init_vcpu(&m.kvm, &m.vm, &m.vcpu, &m.ram, 0)?;
    let c = counter(&m)?.ok_or("no witness hypercall on this arch")?;
    let w = witness(&mut m, &c)?;
    say(&format!("witness: {w}"));
    Ok("witness only".into())
}

#[cfg(not(target_arch = "arm"))]
fn run(args: &Args) -> Result<String> {
    let mut m = create_vm()?;
    let entry = load_elf(&m.ram, &args.harness)?;
    m.ram.put(args.plan_addr, &args.plan, "plan")?;
    arch::init_vcpu(&m.kvm, &m.vm, &m.vcpu, &m.ram, entry)?;
    let counter = counter(&m)?;
    if let Some(c) = &counter {
        let w = witness(&mut m, c)?;
        say(&format!("witness: {w}"));
        arch::start_at(&m.vcpu, entry)?;
    }
    let before = counter.as_ref().map(|c| c.read()).transpose()?;
    say(&format!(
        "guest: entry {entry:#x}, plan {} bytes at {:#x}",
        args.plan.len(),
        args.plan_addr
    ));
    let mut console = Console {
        out: std::io::stdout(),
        pending: Vec::with_capacity(64 << 10),
    };
    let end = run_vcpu(&m.vm, &mut m.vcpu, &m.ram, &mut console);
    // Whatever the guest wrote before it stopped is kept.
    let drained = console.drain(&mut m.vcpu);
    console.flush()?;
    drained?;
    if let (Some(c), Some(before)) = (&counter, before) {
        say(&format!(
            "hypercalls: {} handled by KVM (`{}`)",
            c.read()?.wrapping_sub(before),
            c.name
        ));
    }
    end
}

#[cfg(not(target_arch = "arm"))]
fn run_vcpu(_vm: &VmFd, vcpu: &mut VcpuFd, ram: &Ram, console: &mut Console) -> Result<String> {
    loop {
        let exit = vcpu.run();
        // The exit borrows the vCPU: keep its facts, then read the ring.
        let action = match exit {
            Ok(VcpuExit::MmioWrite(addr, data)) if addr == arch::DOORBELL && data.len() == 8 => {
                let v = u64::from_le_bytes(data.try_into().unwrap());
                Action::Doorbell(abi_spec::frame::doorbell::decode(v))
            }
            Ok(VcpuExit::MmioWrite(addr, data)) if Some(addr) == arch::UART => {
                Action::Byte(data[0])
            }
            Ok(VcpuExit::MmioWrite(addr, _)) if Some(addr) == arch::POWEROFF => {
                Action::Stop(Ok("guest powered off (power-off register)".into()))
            }
            Ok(VcpuExit::MmioWrite(addr, data)) => Action::Stop(Err(format!(
                "guest wrote {} bytes to {addr:#x}, where there is no device",
                data.len()
            ))),
            Ok(VcpuExit::MmioRead(addr, data)) => {
                // The UART's registers read as "transmitter empty, nothing received".
                data.fill(0);
                if arch::UART.map(|u| u + 5) == Some(addr) {
                    data[0] = 0x60;
                }
                Action::Continue
            }
            Ok(VcpuExit::SystemEvent(ty, flags)) => Action::Stop(arch::system_event(ty, flags)),
            Ok(VcpuExit::Intr) => Action::Continue,
            Err(e) if e.errno() == libc::EINTR || e.errno() == libc::EAGAIN => Action::Continue,
            Ok(other) => Action::Stop(Err(format!("unexpected exit: {other:?}"))),
            Err(e) => Action::Stop(Err(format!("KVM_RUN: {e}"))),
        };
        // Ring entries come before the exit in program order.
        console.drain(vcpu)?;
        match action {
            Action::Continue => {}
            Action::Byte(b) => console.pending.push(b),
            Action::Doorbell((addr, len)) => {
                let bytes = ram
                    .slice(addr, len)
                    .ok_or_else(|| format!("doorbell: {len} bytes at {addr:#x} lie outside RAM"))?;
                console.pending.extend_from_slice(bytes);
                console.flush()?;
            }
            Action::Stop(r) => return r,
        }
        if console.pending.len() >= 4096 {
            console.flush()?;
        }
    }
}

#[cfg(not(target_arch = "arm"))]
enum Action {
    Continue,
    Byte(u8),
    Doorbell((u64, usize)),
    Stop(Result<String>),
}
