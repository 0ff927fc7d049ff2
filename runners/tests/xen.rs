//! The Xen runner against the real hypervisors of `cargo xtask setup` (Debian's Xen 4.17, release and
//! debug, arm64 and x86_64: the `xen4.17-*` targets of the catalogue) under QEMU, with the smoke
//! dom0s of `runners/xen-smoke/`.
//!
//! Without Xen or QEMU these tests say so on stderr and return; under `CI=true` that is a failure.

use std::path::{Path, PathBuf};
use std::time::Duration;

use runners::catalog::{Component, MachineSpec, Origin, TargetSpec};
use runners::machine::QemuBinary;
use runners::xen::smoke::{self, Mode};
use runners::xen::{BootConfig, Shutdown, Xen, XenArch};
use runners::Error;

/// A Xen target of the catalogue, as these tests use it.
#[derive(Clone, Copy)]
struct XenTarget {
    spec: &'static TargetSpec,
    arch: XenArch,
    debug: bool,
}

impl XenTarget {
    fn new(arch: XenArch, debug: bool) -> XenTarget {
        let name = format!(
            "xen4.17-{}{}",
            arch.name(),
            if debug { "-debug" } else { "" }
        );
        XenTarget {
            spec: TargetSpec::get(&name).expect("catalogue target"),
            arch,
            debug,
        }
    }

    /// The Debian package version the hypervisor comes from.
    fn package_version(self) -> &'static str {
        let c = Component::get(self.spec.hypervisor.unwrap().component).unwrap();
        match c.origin {
            Origin::Archive { packages, .. } => packages[0].version,
            Origin::Source { version, .. } => version,
            Origin::System { .. } => unreachable!(),
        }
    }
}

impl std::fmt::Display for XenTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.spec.name)
    }
}

/// Xen, QEMU and the machine of `target`.
struct Qemu {
    binary: QemuBinary,
    machine: MachineSpec,
}

fn boot(xen: &Xen, qemu: &Qemu, config: &BootConfig) -> Result<runners::xen::Boot, Error> {
    runners::xen::boot(xen, &qemu.binary, &qemu.machine, config)
}

/// The text of an error's console log.
fn log_text(e: &Error) -> String {
    e.log()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .unwrap_or_default()
}

fn out_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("xen-smoke")
}

/// Xen and QEMU for `target`, or `None` (not under CI) when either is missing.
fn available(target: XenTarget) -> Option<(Xen, Qemu)> {
    let machine = target.spec.machine.unwrap();
    let found = Xen::locate(target.spec, None).and_then(|xen| {
        let c = Component::get(machine.qemu).unwrap();
        QemuBinary::resolve(target.spec.arch.unwrap(), c, None)
            .map(|binary| (xen, Qemu { binary, machine }))
    });
    match found {
        Ok(x) => Some(x),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{target}: {e} (CI=true: an unavailable Xen is a failure)")
        }
        Err(e) => {
            eprintln!("SKIPPED {target}: {e}");
            None
        }
    }
}

fn smoke_image(arch: XenArch, mode: Mode) -> PathBuf {
    smoke::build(arch, mode, &out_dir()).unwrap_or_else(|e| panic!("building the smoke dom0: {e}"))
}

fn config(dom0: PathBuf, timeout: Duration) -> BootConfig {
    BootConfig {
        timeout,
        ..BootConfig::new(dom0)
    }
}

/// The hex values the smoke dom0 printed after `label`.
fn regs_after(output: &str, label: &str) -> Vec<u64> {
    let line = output
        .lines()
        .find(|l| l.starts_with(&format!("regs after {label} (")))
        .unwrap_or_else(|| panic!("no `regs after {label}` line in:\n{output}"));
    line.split("): ")
        .nth(1)
        .unwrap()
        .split_whitespace()
        .map(|h| u64::from_str_radix(h.trim_start_matches("0x"), 16).unwrap())
        .collect()
}

fn normal_boot(target: XenTarget) {
    let Some((xen, qemu)) = available(target) else {
        return;
    };
    let dom0 = smoke_image(target.arch, Mode::Normal);
    let b = boot(&xen, &qemu, &config(dom0, Duration::from_secs(60)))
        .unwrap_or_else(|e| panic!("{target}: {e}"));

    // Identity from the banner.
    let id = &b.banner;
    assert_eq!((id.major, id.minor), (4, 17), "{id:?}");
    assert!(id.extraversion.starts_with('.'), "{id:?}");
    assert_eq!(id.debug, target.debug, "{id:?}");
    assert!(
        !id.compiler.is_empty() && !id.compile_date.is_empty(),
        "{id:?}"
    );
    assert_eq!(qemu.binary.info.name, "QEMU");
    let version = target.package_version();
    assert!(
        id.build_info.iter().any(|g| g.contains(version)),
        "banner {:?} does not name the package version {version}",
        id.build_info
    );

    // What dom0 wrote, apart from Xen's lines.
    let out = String::from_utf8_lossy(&b.dom0_output).into_owned();
    assert!(
        out.starts_with(&format!(
            "hyperabi-xen-smoke {} mode=0\n",
            target.arch.name()
        )),
        "{out}"
    );
    assert!(out.contains("xen_version(XENVER_version)=0x0000000000040011 "));
    assert!(!out.contains("(XEN)"), "{out}");
    assert!(b
        .xen_lines
        .iter()
        .any(|l| l.starts_with("Xen version 4.17")));

    // console_io carries every byte; only `\n` comes out as `\r\n`, which the runner undoes.
    let start = b"raw bytes 0x00-0xff follow:";
    let at = b
        .dom0_output
        .windows(start.len())
        .position(|w| w == start)
        .unwrap()
        + start.len();
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(&b.dom0_output[at..at + 256], &all[..]);

    // Registers after the calls: canaries 0x1111.. in the first argument register and so on.
    match target.arch {
        XenArch::Arm64 => {
            // x0 x1 x2 x3 x4 x5 x16 x17
            let v = regs_after(&out, "xen_version");
            let c = regs_after(&out, "console_io");
            let n = regs_after(&out, "hypercall 63, ENOSYS");
            let p = 0xdead_beef;
            if target.debug {
                assert_eq!(
                    v[1..],
                    [
                        p,
                        0x2222222222222222,
                        0x3333333333333333,
                        0x4444444444444444,
                        0x5555555555555555,
                        p,
                        0x1717171717171717
                    ]
                );
                assert_eq!(c[1..3], [p, p]);
                assert_eq!(c[6], p);
            } else {
                assert_eq!(v[1], 0);
                assert_eq!(v[6], 17);
                assert_eq!(c[1..3], [6, c[2]]);
                assert_eq!(c[6], 18);
            }
            assert_eq!(
                c[3..6],
                [0x3333333333333333, 0x4444444444444444, 0x5555555555555555]
            );
            // -ENOSYS: nothing poisoned, even on debug.
            assert_eq!(
                n,
                [
                    (-38i64) as u64,
                    0x1111111111111111,
                    0x2222222222222222,
                    0x3333333333333333,
                    0x4444444444444444,
                    0x5555555555555555,
                    63,
                    0x1717171717171717
                ]
            );
            assert_eq!(b.shutdown, Shutdown::Halted);
        }
        XenArch::X86_64 => {
            // rax rdi rsi rdx r10 r8 r9 rcx r11
            let v = regs_after(&out, "xen_version");
            let c = regs_after(&out, "console_io");
            let n = regs_after(&out, "hypercall 63, ENOSYS");
            let s = regs_after(&out, "xen_version by syscall");
            let p = 0xdeadbeefdeadf00d;
            let untouched = [0x4444444444444444, 0x5555555555555555, 0x6666666666666666];
            if target.debug {
                assert_eq!(v[1..3], [p, p]);
                assert_eq!(c[1..4], [p, p, p]);
                assert_eq!(s[1..3], [p, p]);
            } else {
                assert_eq!(v[1..3], [0, 0]);
                assert_eq!(c[1..3], [0, 6]);
                assert_eq!(s[1..3], [0, 0]);
            }
            assert_eq!(v[3], 0x3333333333333333);
            assert_eq!(v[4..7], untouched);
            assert_eq!(c[4..7], untouched);
            // The hypercall page saves rcx and r11 around its syscall; a raw syscall does not.
            assert_eq!(v[7..9], [0x7777777777777777, 0x8888888888888888]);
            assert_ne!(s[7..9], [0x7777777777777777, 0x8888888888888888]);
            assert_eq!(s[0], 0x40011);
            assert_eq!(n[0], (-38i64) as u64);
            assert_eq!(
                n[1..],
                [
                    0x1111111111111111,
                    0x2222222222222222,
                    0x3333333333333333,
                    0x4444444444444444,
                    0x5555555555555555,
                    0x6666666666666666,
                    0x7777777777777777,
                    0x8888888888888888
                ]
            );
            assert_eq!(b.shutdown, Shutdown::Rebooted);
        }
    }
    let first = b.first_dom0_output.expect("a time for dom0's first output");
    assert!(first < b.total);
    eprintln!(
        "{target}: first dom0 output {first:?}, total {:?}, {}",
        b.total, qemu.binary.banner
    );
}

#[test]
fn xen_arm64_boots() {
    normal_boot(XenTarget::new(XenArch::Arm64, false));
}

#[test]
fn xen_arm64_debug_boots_and_poisons() {
    normal_boot(XenTarget::new(XenArch::Arm64, true));
}

#[test]
fn xen_x86_64_boots() {
    normal_boot(XenTarget::new(XenArch::X86_64, false));
}

#[test]
fn xen_x86_64_debug_boots_and_poisons() {
    normal_boot(XenTarget::new(XenArch::X86_64, true));
}

fn hang(target: XenTarget, timeout: Duration) {
    let Some((xen, qemu)) = available(target) else {
        return;
    };
    let dom0 = smoke_image(target.arch, Mode::Hang);
    let started = std::time::Instant::now();
    match boot(&xen, &qemu, &config(dom0, timeout)) {
        Err(e @ Error::Timeout { .. }) => {
            let log = log_text(&e);
            assert!(log.contains("hanging now"), "{log}");
            assert!(started.elapsed() < timeout + Duration::from_secs(5));
        }
        other => panic!("{target}: expected a hang, got {other:?}"),
    }
}

#[test]
fn xen_arm64_hang_is_killed() {
    hang(
        XenTarget::new(XenArch::Arm64, false),
        Duration::from_secs(4),
    );
}

#[test]
fn xen_x86_64_hang_is_killed() {
    hang(
        XenTarget::new(XenArch::X86_64, false),
        Duration::from_secs(8),
    );
}

fn crash(target: XenTarget, expect: &str) {
    let Some((xen, qemu)) = available(target) else {
        return;
    };
    let dom0 = smoke_image(target.arch, Mode::Crash);
    let started = std::time::Instant::now();
    match boot(&xen, &qemu, &config(dom0, Duration::from_secs(60))) {
        Err(e @ Error::GuestCrashed { .. }) => {
            let (Error::GuestCrashed { message, .. }, log) = (&e, log_text(&e)) else {
                unreachable!()
            };
            assert!(message.contains(expect), "{message}");
            assert!(log.contains("crashing now"), "{log}");
            // Xen waits 5 s and then does not even make QEMU exit: the runner stops at the
            // message (a Hang would mean it had not).
            let took = started.elapsed();
            eprintln!("{target}: dom0 crash reported after {took:?}");
        }
        other => panic!("{target}: expected a dom0 crash, got {other:?}"),
    }
}

#[test]
fn xen_arm64_dom0_crash() {
    crash(
        XenTarget::new(XenArch::Arm64, false),
        "Hardware Dom0 crashed",
    );
}

#[test]
fn xen_x86_64_dom0_crash() {
    crash(
        XenTarget::new(XenArch::X86_64, true),
        "Domain 0 (vcpu#0) crashed on cpu#0",
    );
}

#[test]
fn xen_panics_on_a_dom0_that_is_no_image() {
    let target = XenTarget::new(XenArch::Arm64, false);
    let Some((xen, qemu)) = available(target) else {
        return;
    };
    let bad = out_dir().join("not-an-image");
    std::fs::create_dir_all(out_dir()).unwrap();
    std::fs::write(&bad, b"this is no arm64 Image\n".repeat(64)).unwrap();
    match boot(&xen, &qemu, &config(bad, Duration::from_secs(60))) {
        Err(e @ Error::NotBooted { .. }) => {
            assert!(
                e.to_string().contains("Could not set up DOM0 guest OS"),
                "{e}"
            );
            assert!(log_text(&e).contains("Panic on CPU 0"));
        }
        other => panic!("expected Xen not to boot, got {other:?}"),
    }
}

#[test]
fn a_user_xen_that_is_no_xen_does_not_boot() {
    let target = XenTarget::new(XenArch::Arm64, false);
    let Some((_, qemu)) = available(target) else {
        return;
    };
    std::fs::create_dir_all(out_dir()).unwrap();
    let fake = out_dir().join("zeros-as-xen");
    std::fs::write(&fake, vec![0u8; 65536]).unwrap();
    let xen = Xen::locate(target.spec, Some(&fake)).unwrap();
    let dom0 = smoke_image(target.arch, Mode::Normal);
    match boot(&xen, &qemu, &config(dom0, Duration::from_secs(3))) {
        Err(e @ Error::NotBooted { .. }) => {
            assert!(e.to_string().contains("no Xen banner"), "{e}");
            assert!(e.log().is_some());
        }
        other => panic!("expected Xen not to boot, got {other:?}"),
    }
}

#[test]
fn missing_user_xen_is_unavailable() {
    let target = XenTarget::new(XenArch::X86_64, true);
    match Xen::locate(target.spec, Some(Path::new("/nonexistent/xen"))) {
        Err(Error::Unavailable { what, .. }) => assert!(what.contains("/nonexistent/xen")),
        other => panic!("{other:?}"),
    }
}

/// The boot module reaches dom0's memory whole: Xen's log gives where it put it.
fn module(target: XenTarget) {
    let Some((xen, qemu)) = available(target) else {
        return;
    };
    std::fs::create_dir_all(out_dir()).unwrap();
    let module = out_dir().join(format!("module-{}", target.arch.name()));
    let len = 100_000u64;
    std::fs::write(&module, (0..len).map(|i| i as u8).collect::<Vec<u8>>()).unwrap();
    let mut cfg = config(
        smoke_image(target.arch, Mode::Normal),
        Duration::from_secs(60),
    );
    cfg.module = Some(module);
    let b = boot(&xen, &qemu, &cfg).unwrap_or_else(|e| panic!("{target}: {e}"));
    // arm64: "Loading d0 initrd from 0000000044000000 to 0x000000007de00000-0x000000007de186a0"
    // x86_64 (the guest-virtual range): " Init. ramdisk: 0000000000407000->000000000041f6a0"
    let line = b
        .xen_lines
        .iter()
        .rev()
        .find(|l| l.contains("Loading d0 initrd") || l.contains("Init. ramdisk"))
        .unwrap_or_else(|| panic!("{target}: no ramdisk line in {:#?}", b.xen_lines));
    let range = line.rsplit(' ').next().unwrap();
    let (from, to) = range
        .split_once("->")
        .or_else(|| range.split_once('-'))
        .unwrap();
    let hex = |s: &str| u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap();
    assert_eq!(hex(to) - hex(from), len, "{line}");
}

#[test]
fn xen_arm64_boot_module() {
    module(XenTarget::new(XenArch::Arm64, false));
}

#[test]
fn xen_x86_64_boot_module() {
    module(XenTarget::new(XenArch::X86_64, false));
}
