//! `cargo xtask guests [--arch A]`: the bare-metal guest images (`runners/guest`), one per boot
//! environment of the catalogue (`runners::catalog::BOOT_ENVS`), built with Debian's rustc and
//! `-Zbuild-std=core` into `target/guest-<environment>`, never as part of the host workspace.
//! Flat images are made beside the ELF: the raw `-bios` file QEMU's pseries loads at address 0
//! (`hyperabi-guest.bin`), the Linux arm64 `Image` of the Xen dom0.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::{cargo, root, run, Result};

use std::process::Command;

use runners::catalog::{
    module_file, vmm_rust_target, vmm_target_dir, BootEnv, Component, Load, BOOT_ENVS, TARGETS,
};

fn find(name: &str) -> Result<&'static BootEnv> {
    BootEnv::get(name).ok_or_else(|| format!("no boot environment {name:?} (known: {})", names()))
}

/// The image file of the boot environment `name` (the flat one where there is one).
pub fn image_of(name: &str) -> Result<PathBuf> {
    Ok(find(name)?.image())
}

/// Builds the guest image of one boot environment; returns how long it took.
pub fn build(name: &str) -> Result<Duration> {
    let g = find(name)?;
    build_in(name, &format!("../../{}", g.target_dir()))
}

/// [`build`] into another target directory (relative to runners/guest).
pub fn build_in(name: &str, target_dir: &str) -> Result<Duration> {
    let g = find(name)?;
    let start = Instant::now();
    eprintln!("$ cargo build of {name} into {target_dir}");
    g.build(cargo().get_program(), target_dir, None)?;
    Ok(start.elapsed())
}

/// Builds hyperabi's VMM (`runners/vmm`) for the KVM guests of `env`: a static Linux binary of
/// the guest's arch, with Debian's rustc and `-Zbuild-std` (its std is the host's only).
pub fn build_vmm(env: &BootEnv) -> Result<Option<Duration>> {
    let Some(target) = vmm_rust_target(env.arch)
        .filter(|_| matches!(env.load, Load::KvmGuest | Load::KernelModule))
    else {
        return Ok(None);
    };
    let start = Instant::now();
    let mut cmd = cargo();
    cmd.env("RUSTC", "/usr/bin/rustc")
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .args(["build", "-q", "--release", "--target", target])
        .args(["-Zbuild-std=std,panic_abort"])
        .args([
            "--target-dir",
            &format!("../../{}", vmm_target_dir(env.arch)),
        ]);
    run_in(&mut cmd, &root().join("runners/vmm"))?;
    Ok(Some(start.elapsed()))
}

/// Builds hyperabi's kernel module (`runners/module`) for a [`Load::KernelModule`] environment,
/// once per kernel headers component its targets name (`KernelSpec::headers`), into
/// `target/guest-<env>/<headers>/hyperabi.ko`: the harness object (the environment's build,
/// every symbol but its entry made local) linked with the module's C glue by the kernel's own
/// kbuild, cross-compiled with Debian's `aarch64-linux-gnu-gcc`. Returns the modules built.
pub fn build_modules(env: &BootEnv) -> Result<Vec<PathBuf>> {
    if env.load != Load::KernelModule {
        return Ok(vec![]);
    }
    let mut headers: Vec<&str> = TARGETS
        .iter()
        .filter(|t| t.boot == Some(env.name))
        .filter_map(|t| t.kernel.and_then(|k| k.headers))
        .collect();
    headers.sort();
    headers.dedup();
    let mut built = vec![];
    for id in headers {
        let c = Component::get(id).ok_or_else(|| format!("no component {id}"))?;
        let ko = module_file(env, id);
        let dir = ko.parent().expect("a directory").to_path_buf();
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for f in ["Kbuild", "glue.c"] {
            let from = root().join("runners/module").join(f);
            std::fs::copy(&from, dir.join(f)).map_err(|e| format!("{}: {e}", from.display()))?;
        }
        let (karch, cross) = match env.arch.name() {
            "arm" => ("arm", "arm-linux-gnueabihf-"),
            _ => ("arm64", "aarch64-linux-gnu-"),
        };
        run(Command::new(format!("{cross}objcopy"))
            .arg("--keep-global-symbol=hyperabi_module_entry")
            .arg(env.elf())
            .arg(dir.join("hyperabi-harness.o")))?;
        // modpost reads every object's .cmd file (symbol versions); a prebuilt object has none.
        std::fs::write(
            dir.join(".hyperabi-harness.o.cmd"),
            "# prebuilt by cargo xtask guests: the harness of runners/guest\n",
        )
        .map_err(|e| e.to_string())?;
        let (objtree, srctree) = kernel_trees(&c.dir())?;
        let mut make = Command::new("make");
        make.arg("-s")
            .arg("-C")
            .arg(&objtree)
            // The arm64 headers' Makefile includes the common headers' by their installed path
            // (/usr/src/...); the common Makefile is named here instead.
            .arg("-f")
            .arg(srctree.join("Makefile"))
            .arg(format!("M={}", dir.display()))
            .arg(format!("ARCH={karch}"))
            .arg(format!("CROSS_COMPILE={cross}"))
            // The headers name the compiler the kernel was built with (trixie's gcc-14);
            // bookworm's cross gcc is 12, without -fmin-function-alignment (Linux then aligns
            // with -falign-functions, its fallback for compilers without the option); no
            // pahole here for the module's BTF.
            .arg(format!("CC={cross}gcc"))
            .args([
                "CONFIG_CC_HAS_MIN_FUNCTION_ALIGNMENT=",
                "CONFIG_DEBUG_INFO_BTF_MODULES=",
                "modules",
            ]);
        run(&mut make)?;
        if !ko.is_file() {
            return Err(format!("make modules made no {}", ko.display()));
        }
        built.push(ko);
    }
    Ok(built)
}

/// The object tree (`linux-headers-<version>-arm64`) and source tree (`...-common`) of an
/// unpacked headers component.
fn kernel_trees(component: &std::path::Path) -> Result<(PathBuf, PathBuf)> {
    let src = component.join("usr/src");
    let mut obj = None;
    let mut common = None;
    for e in std::fs::read_dir(&src)
        .map_err(|e| format!("{}: {e} (run cargo xtask setup)", src.display()))?
    {
        let p = e.map_err(|e| e.to_string())?.path();
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if !name.starts_with("linux-headers-") {
            continue;
        }
        if name.ends_with("-common") {
            common = Some(p);
        } else {
            obj = Some(p);
        }
    }
    match (obj, common) {
        (Some(o), Some(c)) => Ok((o, c)),
        _ => Err(format!(
            "{}: no linux-headers-*-arm64 and -common trees",
            src.display()
        )),
    }
}

/// Runs `cmd` in `dir`, whose `.cargo/config.toml` (linkers, rustflags) applies there only.
fn run_in(cmd: &mut std::process::Command, dir: &std::path::Path) -> Result {
    run(cmd.current_dir(dir))
}

fn names() -> String {
    BOOT_ENVS
        .iter()
        .map(|g| g.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Builds the images of `envs` (all of the catalogue's when empty).
pub fn run_cli(envs: &[String]) -> Result {
    let arches: Vec<String> = if envs.is_empty() {
        BOOT_ENVS.iter().map(|g| g.name.to_string()).collect()
    } else {
        envs.to_vec()
    };
    for a in &arches {
        let t = build(a)?;
        eprintln!(
            "guests: {a} built in {:.2} s: {}",
            t.as_secs_f64(),
            image_of(a)?.display()
        );
        if let Some(t) = build_vmm(find(a)?)? {
            eprintln!("guests: {a}: the VMM built in {:.2} s", t.as_secs_f64());
        }
        for ko in build_modules(find(a)?)? {
            eprintln!("guests: {a}: kernel module {}", ko.display());
        }
    }
    Ok(())
}
