//! The generated stubs (`hyperabi gen`, checked in under `stubs/`): snapshots of a few, every
//! header compiled and every assembly file assembled for its arch by Debian's cross gcc and by
//! clang, and the x86_64 Xen stubs run natively against an emulated debug Xen hypercall page,
//! with a stub generated from a wrong spec shown to compute a wrong result.
//!
//! A missing compiler is a skip with a message, and under `CI=true` a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use abi_spec::{Abi, Arch, RegSet, Role, RoleRule};
use conformance::gen::{self, Lang};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("hyperabi-stubs-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Debian's cross gcc for `arch`, and clang's `--target`.
fn compilers(arch: Arch) -> [Vec<&'static str>; 2] {
    let (gcc, target) = match arch {
        Arch::Aarch64 => ("aarch64-linux-gnu-gcc", "aarch64-linux-gnu"),
        Arch::Arm => ("arm-linux-gnueabihf-gcc", "armv7a-linux-gnueabihf"),
        Arch::X86_64 => ("x86_64-linux-gnu-gcc", "x86_64-linux-gnu"),
        Arch::X86 => ("i686-linux-gnu-gcc", "i686-linux-gnu"),
        Arch::Riscv64 => ("riscv64-linux-gnu-gcc", "riscv64-linux-gnu"),
        Arch::S390x => ("s390x-linux-gnu-gcc", "s390x-linux-gnu"),
        Arch::Ppc64 => ("powerpc64-linux-gnu-gcc", "powerpc64-linux-gnu"),
    };
    let clang: &'static str = Box::leak(format!("--target={target}").into_boxed_str());
    [vec![gcc], vec!["clang", clang]]
}

/// Whether `cmd` runs; without it the test skips, or fails under `CI=true`.
fn available(cmd: &str) -> bool {
    let found = Command::new(cmd).arg("--version").output().is_ok();
    if !found {
        let msg = format!("{cmd} is not installed (cargo xtask setup installs it)");
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
        eprintln!("skipping: {msg}");
    }
    found
}

fn run(cmd: &[&str], args: &[&str], what: &str) -> Result<(), String> {
    let out = Command::new(cmd[0])
        .args(&cmd[1..])
        .args(args)
        .output()
        .map_err(|e| format!("{what}: {}: {e}", cmd[0]))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what}: {} {} failed:\n{}",
            cmd.join(" "),
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

#[test]
fn checked_in_stubs_are_what_the_generator_writes() {
    for (name, text) in gen::files(specs::all()) {
        let path = root().join("stubs").join(&name);
        let disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            disk == text,
            "{} is stale: run `cargo xtask codegen`",
            path.display()
        );
        assert!(text.starts_with(&format!("/* {}", gen::GENERATED_BY)));
        // Guests copy these files: every source they cite is upstream, never a local path.
        assert!(
            !text.contains("shared/reference"),
            "{name} cites a local file"
        );
    }
}

#[test]
fn snapshots() {
    for (id, lang) in [
        ("linux-hyp-stub-arm64", Lang::C),
        ("linux-hyp-stub-arm64", Lang::Asm),
        ("kvm-x86", Lang::C),
        ("kvm-x86", Lang::Asm),
        ("kvm-s390x", Lang::C),
        ("kvm-ppc64-epapr", Lang::Asm),
    ] {
        let abi = specs::find(id).unwrap();
        insta::assert_snapshot!(lang.file_name(abi), gen::generate(abi, lang));
    }
}

/// A C file that keeps every inline function of `abi`'s header, so the compiler emits (and
/// checks the operands and clobbers of) each asm statement, not only its declaration; with the
/// dispatcher, which calls every stub.
fn keep_all(abi: &Abi) -> String {
    let mut c = format!(
        "#define HYPERABI_DISPATCH\n#include \"{}\"\n",
        Lang::C.file_name(abi)
    );
    for call in abi.calls {
        let f = gen::c_function(abi, call);
        c.push_str(&format!(
            "static __typeof__(&{f}) const keep_{f} __attribute__((used)) = {f};\n"
        ));
    }
    c
}

/// Every header under gcc and clang at -O0 and -O2 with `-std=c11 -Wall -Wextra -Werror`
/// (freestanding: guests have no libc), and every `.S` assembled by both.
#[test]
fn every_stub_compiles_for_its_arch_with_gcc_and_clang() {
    let dir = scratch("compile");
    let stubs = root().join("stubs");
    let mut jobs = Vec::new();
    for abi in specs::all() {
        let keep = dir.join(format!("{}-keep.c", abi.id));
        std::fs::write(&keep, keep_all(abi)).unwrap();
        for cc in compilers(abi.arch) {
            if !available(cc[0]) {
                continue;
            }
            for opt in ["-O0", "-O2"] {
                jobs.push((cc.clone(), keep.clone(), opt, abi.id));
            }
            let s = stubs.join(Lang::Asm.file_name(abi));
            jobs.push((cc.clone(), s, "-O2", abi.id));
        }
    }
    let n = jobs.len();
    let next = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let failures = std::sync::Mutex::new(Vec::new());
    let stubs_s = stubs.to_str().unwrap();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let Some((i, (cc, src, opt, id))) = next.lock().unwrap().next() else {
                    break;
                };
                let obj = dir.join(format!("{i}.o"));
                let src_s = src.to_str().unwrap();
                let mut args = vec!["-ffreestanding", opt, "-I", stubs_s];
                if src_s.ends_with(".c") {
                    args.extend(["-std=c11", "-Wall", "-Wextra", "-Werror"]);
                }
                args.extend(["-c", src_s, "-o", obj.to_str().unwrap()]);
                if let Err(e) = run(&cc, &args, id) {
                    failures.lock().unwrap().push(e);
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{n} compilations and assemblies passed");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The spec of `id` with one lie: the argument registers survive the call. Its generated stub
/// binds them as inputs only, where the real one binds them input-output.
fn broken(id: &str) -> Abi {
    let mut abi = *specs::find(id).unwrap();
    abi.id = Box::leak(format!("{id}-broken").into_boxed_str());
    abi.rules = &[RoleRule {
        set: RegSet::Others,
        role: Role::Preserved,
    }];
    abi
}

/// Builds `program` (under conformance/tests/data) with the C header and the `.S` of `id` and
/// the header of its broken twin, with each compiler, runs it, and returns each compiler's
/// output after checking the lines every correct path must print.
fn run_native(program: &str, id: &str, ccs: &[&[&str]], flags: &[&str]) -> Vec<(String, String)> {
    let dir = scratch(id);
    let abi = broken(id);
    std::fs::write(dir.join(Lang::C.file_name(&abi)), gen::c::header(&abi)).unwrap();
    let src = root().join("conformance/tests/data").join(program);
    let asm = root().join("stubs").join(format!("{id}.S"));
    let stubs = root().join("stubs");
    let mut outputs = Vec::new();
    for cc in ccs {
        if !available(cc[0]) {
            continue;
        }
        let exe = dir.join(format!("native-{}", cc[0]));
        let mut args = vec!["-std=c11", "-O2", "-Wall", "-Wextra", "-Werror"];
        args.extend(flags);
        args.extend([
            "-I",
            stubs.to_str().unwrap(),
            "-I",
            dir.to_str().unwrap(),
            src.to_str().unwrap(),
            asm.to_str().unwrap(),
            "-o",
            exe.to_str().unwrap(),
        ]);
        run(cc, &args, program).unwrap();
        let out = Command::new(&exe).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        eprintln!("{} {id}:\n{text}", cc.join(" "));
        assert!(
            out.status.success(),
            "{}: a generated stub failed:\n{text}",
            cc[0]
        );
        for check in [
            "loop_inline ok",
            "loop_asm ok",
            "console_inline ok",
            "console_asm ok",
            "via_inline ok",
        ] {
            assert!(text.contains(check), "{}: no `{check}` in\n{text}", cc[0]);
        }
        outputs.push((cc.join(" "), text));
    }
    let _ = std::fs::remove_dir_all(&dir);
    outputs
}

/// The value `via_broken` printed.
fn broken_result(text: &str) -> u64 {
    let line = text
        .lines()
        .find(|l| l.starts_with("via_broken"))
        .expect("the broken stub ran");
    let observed = line.split("observed ").nth(1).unwrap();
    let observed = observed.split_whitespace().next().unwrap();
    u64::from_str_radix(observed.trim_start_matches("0x"), 16).unwrap()
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn x86_64_xen_stubs_run_against_a_poisoning_hypercall_page() {
    let ccs: [&[&str]; 2] = [&["gcc"], &["clang"]];
    for (cc, text) in run_native("stubs_native_x86_64.c", "xen-x86_64", &ccs, &[]) {
        assert!(
            text.contains("dispatch ok"),
            "{cc}: the dispatcher:\n{text}"
        );
        // cmd and arg read back from rdi and rsi: the poison in place of one or both.
        let observed = broken_result(&text);
        let poison = 0xdead_beef_dead_f00du64;
        assert!(
            [1u64, 2]
                .iter()
                .any(|k| observed == 0x4_0011u64.wrapping_add(poison.wrapping_mul(*k))),
            "{cc}: the stub that forgets the argument registers' clobber must read the poison \
             back, observed {observed:#x}"
        );
    }
}

/// The i386 stubs (ebx through the eax block, cdecl assembly stubs) as a static freestanding
/// i386 program, which an x86_64 Linux runs natively; position-independent with a frame
/// pointer, so both ebx and ebp are the compiler's.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
#[test]
fn x86_xen_stubs_run_against_a_poisoning_hypercall_page() {
    let ccs: [&[&str]; 2] = [
        &["i686-linux-gnu-gcc"],
        &["clang", "--target=i686-linux-gnu"],
    ];
    let flags = [
        "-ffreestanding",
        "-nostdlib",
        "-static",
        "-fPIC",
        "-fno-omit-frame-pointer",
    ];
    for (cc, text) in run_native("stubs_native_x86.c", "xen-x86", &ccs, &flags) {
        // XENVER_pagesize plus arg read back from ecx, which the emulated debug Xen poisoned.
        let observed = broken_result(&text);
        assert_eq!(
            observed,
            u64::from(4096u32.wrapping_add(0xdead_f00d)),
            "{cc}: the stub that forgets ecx's clobber must read the poison back"
        );
    }
}

#[test]
fn gen_cli_writes_what_the_library_generates_and_refuses_bad_usage() {
    let bin = env!("CARGO_BIN_EXE_hyperabi");
    let out = Command::new(bin)
        .args(["gen", "--lang", "c", "--abi", "kvm-s390x"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let abi = specs::find("kvm-s390x").unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        gen::generate(abi, Lang::C)
    );

    let dir = scratch("cli");
    let out = Command::new(bin)
        .args(["gen", "--lang", "asm", "--arch", "ppc64", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["kvm-ppc64-epapr.S", "papr-ppc64.S"]);
    let _ = std::fs::remove_dir_all(&dir);

    for (args, message) in [
        (&["--abi", "no-such-abi"][..], "unknown ABI `no-such-abi`"),
        (&["--arch", "mips"][..], "unknown arch `mips`"),
        (
            &["--abi", "xen-arm64", "--arch", "x86_64"][..],
            "is for aarch64, not x86_64",
        ),
    ] {
        let out = Command::new(bin)
            .args(["gen", "--lang", "c"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

/// One QEMU machine the bare-metal check runs on.
struct Machine {
    arch: Arch,
    qemu: &'static str,
    args: &'static [&'static str],
    /// Where the image is linked: where the machine (or OpenSBI) enters it.
    base: u64,
    /// Code generation flags for bare metal: no FP/SIMD (disabled at reset), no unaligned
    /// accesses (the MMU is off).
    flags: &'static [&'static str],
    /// The image is a flat binary loaded at 0 as `-bios` and entered at 0x100 (pseries), not an
    /// ELF `-kernel` linked at `base`.
    flat: bool,
    /// The ABI whose stubs it exercises.
    abi: &'static str,
    /// The check lines a correct run prints.
    checks: usize,
}

const MACHINES: [Machine; 6] = [
    Machine {
        arch: Arch::Aarch64,
        qemu: "qemu-system-aarch64",
        args: &["-M", "virt", "-cpu", "cortex-a57"],
        base: 0x4008_0000,
        flags: &["-mgeneral-regs-only", "-mstrict-align"],
        flat: false,
        abi: "psci-arm64",
        checks: 15,
    },
    Machine {
        arch: Arch::Arm,
        qemu: "qemu-system-arm",
        args: &["-M", "virt", "-cpu", "cortex-a15"],
        base: 0x4001_0000,
        flags: &[
            "-marm",
            "-march=armv7-a",
            "-mfloat-abi=soft",
            "-mno-unaligned-access",
        ],
        flat: false,
        abi: "psci-arm",
        checks: 15,
    },
    // The same with the C in Thumb state: the A32 `.S` stubs are reached through interworking.
    Machine {
        arch: Arch::Arm,
        qemu: "qemu-system-arm",
        args: &["-M", "virt", "-cpu", "cortex-a15"],
        base: 0x4001_0000,
        flags: &[
            "-mthumb",
            "-march=armv7-a",
            "-mfloat-abi=soft",
            "-mno-unaligned-access",
        ],
        flat: false,
        abi: "psci-arm",
        checks: 15,
    },
    Machine {
        arch: Arch::Riscv64,
        qemu: "qemu-system-riscv64",
        args: &["-M", "virt"],
        base: 0x8020_0000,
        flags: &["-march=rv64imac", "-mabi=lp64", "-mcmodel=medany"],
        flat: false,
        abi: "sbi-riscv64",
        checks: 17,
    },
    Machine {
        arch: Arch::S390x,
        qemu: "qemu-system-s390x",
        args: &["-M", "s390-ccw-virtio"],
        // QEMU's IPL treats an ELF entered at 0x10000 as Linux; 1 MiB is clear of it.
        base: 0x10_0000,
        flags: &["-march=z10", "-msoft-float"],
        flat: false,
        abi: "kvm-s390x",
        checks: 9,
    },
    Machine {
        arch: Arch::Ppc64,
        qemu: "qemu-system-ppc64",
        args: &["-M", "pseries", "-m", "256M"],
        base: 0x100,
        // Big-endian ELFv2, as the guest harness is built (the stubs' _CALL_ELF == 2 path).
        flags: &["-mabi=elfv2", "-msoft-float", "-mno-altivec", "-mno-vsx"],
        flat: true,
        abi: "papr-ppc64",
        checks: 9,
    },
];

/// The generated C and assembly stubs against QEMU's firmware services: PSCI on the aarch64 and
/// arm virt machines, SBI (OpenSBI) on riscv64, DIAGNOSE 0x500 on s390x, PAPR hcalls on ppc64
/// pseries, each built by gcc and by clang, every call through the inline function and the `.S` stub, with values live across
/// the calls.
#[test]
fn stubs_answer_qemu_firmware() {
    let dir = scratch("qemu");
    let src = root().join("conformance/tests/data/stubs_qemu.c");
    let stubs = root().join("stubs");
    for m in &MACHINES {
        let [gcc, clang] = compilers(m.arch);
        if !available(m.qemu) || !available(gcc[0]) {
            continue;
        }
        let ld = dir.join(format!(
            "{}-{}.ld",
            m.abi,
            m.flags[0].trim_start_matches('-')
        ));
        // A flat image starts at 0; its entry is at `base`.
        let head = if m.flat {
            "  . = 0;\n  .head : { LONG(0) }\n"
        } else {
            ""
        };
        std::fs::write(
            &ld,
            format!(
                "ENTRY(_start)\nSECTIONS {{\n{head}  . = {:#x};\n  \
                 .text : {{ *(.text.boot) *(.text .text.*) }}\n  \
                 .rodata : {{ *(.rodata .rodata.* .srodata .srodata.*) }}\n  \
                 .data : {{ *(.data .data.* .sdata .sdata.*) *(.toc) }}\n  \
                 .got : ALIGN(16) {{ *(.got) }}\n  \
                 .bss : {{ *(.bss .bss.* .sbss .sbss.* COMMON) }}\n  \
                 /DISCARD/ : {{ *(.note.*) *(.comment) *(.eh_frame*) }}\n}}\n",
                m.base
            ),
        )
        .unwrap();
        for cc in [&gcc, &clang] {
            if !available(cc[0]) {
                continue;
            }
            let tag = format!("{}-{}-{}", m.abi, m.flags[0].trim_start_matches('-'), cc[0]);
            let obj = dir.join(format!("{tag}.o"));
            let sobj = dir.join(format!("{tag}-s.o"));
            let elf = dir.join(format!("{tag}.elf"));
            let mut c = vec![
                "-std=c11",
                "-O2",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-ffreestanding",
            ];
            c.extend(m.flags);
            c.extend([
                "-I",
                stubs.to_str().unwrap(),
                "-c",
                src.to_str().unwrap(),
                "-o",
            ]);
            c.push(obj.to_str().unwrap());
            run(cc, &c, &tag).unwrap();
            let s = stubs.join(format!("{}.S", m.abi));
            let mut a = m.flags.to_vec();
            a.extend(["-c", s.to_str().unwrap(), "-o", sobj.to_str().unwrap()]);
            run(cc, &a, &tag).unwrap();
            let mut l = m.flags.to_vec();
            let script = format!("-Wl,-T,{}", ld.display());
            l.extend(["-nostdlib", "-static", "-Wl,--build-id=none", &script]);
            l.extend([obj.to_str().unwrap(), sobj.to_str().unwrap(), "-o"]);
            l.push(elf.to_str().unwrap());
            run(&gcc, &l, &tag).unwrap();
            let mut qemu = Command::new("timeout");
            qemu.arg("60").arg(m.qemu).args(m.args);
            if !m.args.contains(&"-m") {
                qemu.args(["-m", "128"]);
            }
            qemu.args([
                "-display",
                "none",
                "-nodefaults",
                "-no-reboot",
                "-serial",
                "stdio",
            ]);
            if m.flat {
                let bin = elf.with_extension("bin");
                let objcopy = gcc[0].replace("-gcc", "-objcopy");
                let (e, b) = (elf.to_str().unwrap(), bin.to_str().unwrap());
                run(&[&objcopy], &["-O", "binary", e, b], &tag).unwrap();
                qemu.arg("-bios").arg(&bin);
            } else {
                qemu.arg("-kernel").arg(&elf);
            }
            let out = qemu.output().unwrap();
            let text = String::from_utf8_lossy(&out.stdout);
            let lines: Vec<&str> = text.lines().filter(|l| l.contains(" observed ")).collect();
            eprintln!("{tag}:\n{}", lines.join("\n"));
            assert!(
                out.status.success() && text.contains("done ok"),
                "{tag}: the machine did not finish cleanly ({}):\n{text}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(lines.len(), m.checks, "{tag}:\n{text}");
            assert!(lines.iter().all(|l| l.contains(" ok ")), "{tag}:\n{text}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every inline function of every header binds or clobbers exactly the registers the spec says
/// the hypervisor may change, and nothing it preserves: read back from the generated text, for
/// all calls of all ABIs. A register a compiler may reserve is saved around the trap instead
/// (an early-clobber temporary, or `push`/`pop` on i386) whenever the call loads or changes it.
#[test]
fn every_inline_function_clobbers_exactly_what_the_spec_allows() {
    use abi_spec::RegKind;
    let mut checked = 0;
    for abi in specs::all() {
        let header = gen::generate(abi, Lang::C);
        let reserved = gen::arch::isa(abi.arch).reserved();
        for call in abi.calls {
            let name = gen::c_function(abi, call);
            let start = header
                .find(&format!(" {name}("))
                .unwrap_or_else(|| panic!("{name} is missing"));
            let body = &header[start..];
            let body = &body[..body.find("\n}\n").unwrap()];
            let asm = &body[body.find("__asm__ __volatile__(").unwrap()..];
            let sections: Vec<&str> = asm.split("\n\t\t:").collect();
            assert_eq!(
                sections.len(),
                4,
                "{name}: template, outputs, inputs, clobbers"
            );
            let (template, outputs, clobbers) = (sections[0], sections[1], sections[3]);
            let clobbers: Vec<&str> = clobbers.split('"').skip(1).step_by(2).collect();
            let output = |var: &str| outputs.contains(&format!("({var})"));
            for reg in abi.arch.regs() {
                let n = reg.name();
                let changed = abi.role_after(call, reg) != Role::Preserved;
                let loaded = !matches!(
                    abi.input_of(call, reg),
                    abi_spec::Input::Poison | abi_spec::Input::Fixed
                );
                match reg.kind() {
                    RegKind::Flags => {
                        let cc = clobbers.contains(&"cc") || clobbers.contains(&"cr0");
                        assert_eq!(cc, changed, "{name}: flags clobbered iff they may change");
                    }
                    RegKind::Control => {
                        assert_eq!(clobbers.contains(&n), changed, "{name}: {n}");
                    }
                    RegKind::StackPointer | RegKind::Special => {
                        assert!(
                            !clobbers.contains(&n) && !output(&format!("r_{n}")),
                            "{name}: {n}"
                        );
                    }
                    RegKind::General if reserved.contains(&n) => {
                        let saved =
                            output(&format!("t_{n}")) || template.contains(&format!("push %%{n}"));
                        assert_eq!(saved, changed || loaded, "{name}: reserved {n}");
                        assert!(!clobbers.contains(&n), "{name}: reserved {n} clobbered");
                    }
                    RegKind::General => {
                        let bound = output(&format!("r_{n}")) || clobbers.contains(&n);
                        assert_eq!(bound, changed, "{name}: {n} changed = {changed}");
                    }
                }
            }
            assert_eq!(
                clobbers.contains(&"memory"),
                gen::touches_memory(abi, call),
                "{name}: memory"
            );
            checked += 1;
        }
    }
    // Every call of every ABI (a missing function panics above); 810 calls today.
    let calls: usize = specs::all().iter().map(|abi| abi.calls.len()).sum();
    assert_eq!(checked, calls);
    assert!(checked >= 810, "{checked} calls: an ABI lost its calls");
}

/// The linux-hyp-stub-arm64 stubs against an EL2 stub that clobbers every register the ABI
/// allows (x1-x18), on QEMU's aarch64 virt machine with EL2, built with `-ffixed-x18` and x18
/// holding a value throughout: the header gives x18 back, live values survive, and a header
/// generated from a spec that declares x1-x18 preserved reads the poison back, under gcc and
/// clang.
#[test]
fn arm64_hyp_stub_stubs_survive_an_el2_that_clobbers_x1_to_x18() {
    let [gcc, clang] = compilers(Arch::Aarch64);
    if !available("qemu-system-aarch64") || !available(gcc[0]) {
        return;
    }
    let dir = scratch("el2");
    let abi = broken("linux-hyp-stub-arm64");
    std::fs::write(dir.join(Lang::C.file_name(&abi)), gen::c::header(&abi)).unwrap();
    let ld = dir.join("el2.ld");
    std::fs::write(
        &ld,
        "ENTRY(_start)\nSECTIONS {\n  . = 0x40080000;\n  .text : { *(.text.boot) *(.text .text.*) }\n  \
         .rodata : { *(.rodata .rodata.*) }\n  .data : { *(.data .data.*) }\n  \
         .bss : { *(.bss .bss.* COMMON) }\n  /DISCARD/ : { *(.note.*) *(.comment) }\n}\n",
    )
    .unwrap();
    let src = root().join("conformance/tests/data/stubs_el2_arm64.c");
    let asm = root().join("stubs/linux-hyp-stub-arm64.S");
    let stubs = root().join("stubs");
    let flags = ["-mgeneral-regs-only", "-mstrict-align", "-ffixed-x18"];
    for cc in [&gcc, &clang] {
        if !available(cc[0]) {
            continue;
        }
        let tag = format!("el2-{}", cc[0]);
        let (obj, sobj, elf) = (
            dir.join(format!("{tag}.o")),
            dir.join(format!("{tag}-s.o")),
            dir.join(format!("{tag}.elf")),
        );
        let mut c = vec![
            "-std=c11",
            "-O2",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-ffreestanding",
        ];
        c.extend(flags);
        c.extend(["-I", stubs.to_str().unwrap(), "-I", dir.to_str().unwrap()]);
        c.extend(["-c", src.to_str().unwrap(), "-o", obj.to_str().unwrap()]);
        run(cc, &c, &tag).unwrap();
        let a = ["-c", asm.to_str().unwrap(), "-o", sobj.to_str().unwrap()];
        run(cc, &a, &tag).unwrap();
        let script = format!("-Wl,-T,{}", ld.display());
        let l = [
            "-nostdlib",
            "-static",
            "-Wl,--build-id=none",
            &script,
            obj.to_str().unwrap(),
            sobj.to_str().unwrap(),
            "-o",
            elf.to_str().unwrap(),
        ];
        run(&gcc, &l, &tag).unwrap();
        let out = Command::new("timeout")
            .args(["60", "qemu-system-aarch64", "-M", "virt,virtualization=on"])
            .args(["-cpu", "cortex-a57", "-m", "128", "-display", "none"])
            .args(["-nodefaults", "-no-reboot", "-serial", "stdio", "-kernel"])
            .arg(&elf)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        eprintln!("{tag}:\n{text}");
        assert!(
            out.status.success() && text.contains("done ok"),
            "{tag}: ({}):\n{text}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let judged = text.lines().filter(|l| l.contains(" ok observed ")).count();
        assert_eq!(judged, 13, "{tag}:\n{text}");
        // Arguments read back from x1-x3, which the stub poisoned (gcc: 3 × 0xdeadbeef).
        let observed = broken_result(&text);
        assert!(
            observed != 10 && observed >= 0xdead_beef,
            "{tag}: the stub that forgets x1-x18 must read the poison back, observed {observed:#x}"
        );
        // Nor does it give x18 back.
        let x18 = text
            .lines()
            .find_map(|l| l.strip_prefix("x18 after broken observed "))
            .and_then(|l| l.split_whitespace().next())
            .expect("x18 after the broken stub");
        assert_eq!(x18, "0x00000000deadbeef", "{tag}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
