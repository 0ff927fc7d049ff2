//! Boots every QEMU 7.2 target with the guest harness and checks the smoke observations against
//! the services' real answers (QEMU 7.2 as Debian bookworm ships it: docs/targets.md), and that a
//! killed QEMU, a guest that never answers, a guest fault and a corrupted stream each give an
//! error with the reason. Needs the images (`cargo xtask guests`) and QEMU (`cargo xtask setup`):
//! without them the tests fail under CI=true and otherwise say loudly that they skipped.

use std::time::Duration;

use abi_spec::Arch;
use runners::catalog::TargetSpec;
use runners::frame::{self, SmokeObservation, StreamError};
use runners::qemu::{Boot, QemuRunner};
use runners::{Error, Overrides, Runner};

const AARCH64: &str = "qemu7.2-aarch64";
const ARM: &str = "qemu7.2-arm";
const S390X: &str = "qemu7.2-s390x";
const PPC64: &str = "qemu7.2-ppc64";
const RISCV64: &str = "qemu7.2-riscv64";

fn spec(name: &str) -> &'static TargetSpec {
    TargetSpec::get(name).expect("a catalogue target")
}

fn runner(name: &str) -> Option<QemuRunner> {
    let q = QemuRunner::new(spec(name), &Overrides::default());
    match q.availability() {
        Ok(()) => Some(q),
        Err(e @ Error::Unavailable { .. }) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{e}");
            }
            eprintln!("\n!!! SKIPPED {name}: {e}\n");
            None
        }
        Err(e) => panic!("{e}"),
    }
}

fn smoke(name: &str) -> Option<(Boot, Vec<SmokeObservation>)> {
    let q = runner(name)?;
    let arch = spec(name).arch.unwrap();
    let boot = q.boot(b"smoke").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(boot.hello.plan_len, 5);
    assert_eq!(boot.hello.plan_crc, frame::crc32(b"smoke"));
    assert_eq!(
        boot.hello.plan_addr as u64,
        spec(name).boot_env().unwrap().plan_addr
    );
    let qemu = &boot.identity.components[0];
    assert_eq!(qemu.name, "QEMU");
    assert!(qemu.version.starts_with("7.2."), "{qemu:?}");
    let obs: Vec<SmokeObservation> = boot
        .data
        .iter()
        .map(|d| SmokeObservation::parse(d).expect("a smoke observation"))
        .collect();
    for o in &obs {
        assert_eq!(o.arch, arch as u8);
        assert_eq!(o.regs_in.len(), arch.reg_count());
    }
    Some((boot, obs))
}

#[test]
fn aarch64_psci_version_and_undef_smc() {
    let Some((_, obs)) = smoke(AARCH64) else {
        return;
    };
    assert_eq!(obs.len(), 2);
    // hvc: PSCI 1.1 answers in x0 only.
    assert_eq!(obs[0].regs_in[0], 0x8400_0000);
    assert_eq!(obs[0].regs_out[0], 0x10001);
    assert_eq!(obs[0].changed(), vec![0]);
    assert_eq!(obs[0].exception.count, 0);
    // smc at EL1 without EL3: UNDEF (EC 0), every register as it was.
    assert_eq!(obs[1].exception.count, 1);
    assert_eq!(obs[1].exception.class, 0);
    assert_eq!(obs[1].changed(), Vec::<usize>::new());
}

#[test]
fn arm_psci_version_and_undef_smc() {
    let Some((_, obs)) = smoke(ARM) else {
        return;
    };
    assert_eq!(obs.len(), 2);
    assert_eq!(obs[0].regs_out[0], 0x10001);
    assert_eq!(obs[0].exception.count, 0);
    // r1-r12 and lr as loaded (cpsr carries mode bits besides the flags).
    assert!(obs[0].changed().iter().all(|&r| r == 0 || r == 16));
    // smc: the undefined-instruction vector (1), the instruction word recorded.
    assert_eq!(obs[1].exception.count, 1);
    assert_eq!(obs[1].exception.class, 1);
    assert_eq!(
        obs[1].exception.code & 0x0ff0_00f0,
        0x0160_0070,
        "smc encoding"
    );
    assert!(obs[1].changed().iter().all(|&r| r == 16));
    assert_eq!(
        obs[1].regs_out[16] & 0xf000_0000,
        obs[1].regs_in[16] & 0xf000_0000
    );
}

#[test]
fn s390x_diag500_subcodes_0_and_1() {
    let Some((_, obs)) = smoke(S390X) else {
        return;
    };
    assert_eq!(obs.len(), 2);
    // Subcode 0 with an address inside RAM: r2 = 0, nothing else written, cc kept.
    assert_eq!(obs[0].regs_in[1], 0);
    assert_eq!(obs[0].regs_out[2], 0);
    assert_eq!(obs[0].changed(), vec![2]);
    assert_eq!(obs[0].exception.count, 0);
    // Subcode 1: specification exception (program interruption code 6), r2 unchanged.
    assert_eq!(obs[1].exception.count, 1);
    assert_eq!(obs[1].exception.class, 6);
    assert_eq!(obs[1].changed(), Vec::<usize>::new());
}

#[test]
fn ppc64_h_random_and_unaligned_opcode() {
    let Some((_, obs)) = smoke(PPC64) else {
        return;
    };
    assert_eq!(obs.len(), 2);
    // H_RANDOM with the spapr-rng device: H_SUCCESS, a value in r4.
    assert_eq!(obs[0].regs_out[3], 0);
    assert_ne!(obs[0].regs_out[4], obs[0].regs_in[4]);
    assert_eq!(obs[0].exception.count, 0);
    // An opcode that is not a multiple of 4: H_FUNCTION (-2).
    assert_eq!(obs[1].regs_out[3] as i64, -2);
    assert_eq!(obs[1].exception.count, 0);
    // XER (index 33) keeps only its low 32 bits: the 0xa5a5a5a5 poison above them is dropped.
    assert_eq!(obs[1].regs_out[33], obs[1].regs_in[33] & 0xffff_ffff);
}

#[test]
fn riscv64_sbi_base() {
    let Some((_, obs)) = smoke(RISCV64) else {
        return;
    };
    assert_eq!(obs.len(), 3);
    // a0 is x10, index 9 (the file starts at x1).
    let (a0, a1) = (9, 10);
    assert_eq!(obs[0].regs_out[a0], 0);
    assert_eq!(obs[0].regs_out[a1], 0x0100_0000, "SBI 1.0");
    assert_eq!(obs[1].regs_out[a1], 1, "OpenSBI");
    assert_eq!(obs[2].regs_out[a1], 0x10001, "OpenSBI 1.1");
    for o in &obs {
        assert_eq!(o.changed(), vec![a0, a1]);
        assert_eq!(o.exception.count, 0);
    }
}

#[test]
fn a_guest_that_never_answers_times_out() {
    let Some(mut q) = runner(AARCH64) else {
        return;
    };
    q.limits.boot = Duration::from_millis(1500);
    match q.boot(b"spin") {
        Err(Error::Timeout { frames, .. }) => assert_eq!(frames, 1, "only Hello came"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn a_killed_qemu_is_an_error() {
    let Some(mut q) = runner(AARCH64) else {
        return;
    };
    // A work directory of its own: its path in QEMU's command line tells this test's QEMU from
    // those of the tests running beside it.
    q.work_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("killed-qemu");
    let marker = q.work_dir.display().to_string();
    let err = std::thread::scope(|s| {
        let boot = s.spawn(|| q.boot(b"spin"));
        // Kill the QEMU that boot started once it is under way.
        let start = std::time::Instant::now();
        let pid = loop {
            let mine = runners::children::live().into_iter().find(|p| {
                std::fs::read(format!("/proc/{p}/cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&marker))
            });
            if let Some(p) = mine {
                break p;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "QEMU never started"
            );
            std::thread::sleep(Duration::from_millis(5));
        };
        std::thread::sleep(Duration::from_millis(500));
        let status = std::process::Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        boot.join().unwrap().unwrap_err()
    });
    assert!(matches!(err, Error::Died { .. }), "{err}");
    assert!(err.to_string().contains("killed by signal 9"), "{err}");
}

#[test]
fn a_fault_outside_a_probe_is_reported() {
    for name in [AARCH64, ARM, S390X, PPC64, RISCV64] {
        let Some(q) = runner(name) else {
            continue;
        };
        match q.boot(b"fault") {
            Err(Error::GuestException { exception, .. }) => {
                let want = match spec(name).arch.unwrap() {
                    Arch::Aarch64 => 0, // EC 0: unknown reason (udf)
                    Arch::Arm => 1,     // undefined-instruction vector
                    Arch::S390x => 1,   // operation exception
                    Arch::Ppc64 => 0x700,
                    _ => 2, // riscv64: illegal instruction
                };
                assert_eq!(exception.class, want, "{name}");
            }
            other => panic!("{name}: expected a guest exception, got {other:?}"),
        }
    }
}

#[test]
fn a_corrupted_or_truncated_real_stream_is_an_error() {
    let Some((boot, _)) = smoke(AARCH64) else {
        return;
    };
    let s = &boot.console;
    assert!(frame::decode(s).is_ok());
    // Flip one bit in the middle of the first Data frame's payload.
    let mut bad = s.clone();
    let mid = frame::decode(s).unwrap().frames[1].offset + 40;
    bad[mid] ^= 1;
    let err = frame::decode(&bad).unwrap_err();
    assert!(matches!(err, StreamError::Corrupted { .. }), "{err}");
    assert!(err.to_string().contains("CRC"), "{err}");
    // Lose the tail.
    let err = frame::decode(&s[..s.len() - 3]).unwrap_err();
    assert!(matches!(err, StreamError::Truncated { .. }), "{err}");
}

#[test]
fn a_missing_or_false_qemu_is_named_before_any_boot() {
    let mut o = Overrides::default();
    o.qemu.push((Arch::S390x, "/nonexistent/qemu".into()));
    let err = QemuRunner::new(spec(S390X), &o).availability().unwrap_err();
    assert!(
        matches!(err, Error::Unavailable { .. }) && err.to_string().contains("/nonexistent/qemu"),
        "{err}"
    );
    let mut o = Overrides::default();
    o.qemu.push((Arch::S390x, "/bin/true".into()));
    let err = QemuRunner::new(spec(S390X), &o).availability().unwrap_err();
    assert!(matches!(err, Error::NotQemu { .. }), "{err}");
    assert!(!err.worth_retrying());
}
