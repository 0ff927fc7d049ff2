//! The debug Xen hypervisors of the catalogue (`xen-4.17-arm64-debug`, `xen-4.17-amd64-debug`,
//! [`Origin::Source`] components), built by `cargo xtask setup` (see `components.rs`): Debian's
//! `xen` source package of the pinned version (`apt-get source` through the private apt
//! configuration), configured with the hypervisor config Debian ships in the release package of
//! the same version (the `xen-4.17-<arch>` component's `xen.config`) plus `CONFIG_DEBUG=y`, built
//! with `make -j2` (arm64 cross-compiled with `gcc-aarch64-linux-gnu`). A debug Xen poisons the
//! argument registers a call used, which the conformance suite's clobber checks see.
//!
//! Result: `target/components/<id>/xen` (the image QEMU boots), `xen.config`, `MANIFEST`. The
//! source tree stays in `target/components/.build/<id>`, so an interrupted build resumes.

use std::process::Command;

use runners::catalog::{Component, Origin, COMPONENTS};

use crate::components::{build_dir, copy, unpack_source, write, Log, PrivateApt};
use crate::{root, Result};

/// `make` arguments for the hypervisor build of a component (Xen's `xen/Makefile`).
fn make_args(id: &str) -> Result<&'static [&'static str]> {
    if id.contains("arm64") {
        Ok(&["XEN_TARGET_ARCH=arm64", "CROSS_COMPILE=aarch64-linux-gnu-"])
    } else if id.contains("amd64") {
        Ok(&["XEN_TARGET_ARCH=x86_64"])
    } else {
        Err(format!("{id}: neither arm64 nor amd64"))
    }
}

/// Builds the debug hypervisor `c` into its directory; returns its MANIFEST fields.
pub fn build_debug(
    c: &Component,
    apt: &PrivateApt,
    log: &mut Log,
) -> Result<Vec<(String, String)>> {
    let Origin::Source {
        package, version, ..
    } = c.origin
    else {
        unreachable!("a source component")
    };
    let args = make_args(c.id)?;
    // The release build of the same version carries Debian's config.
    let release_id = c.id.trim_end_matches("-debug");
    let release = Component::get(release_id)
        .ok_or_else(|| format!("{}: no release component {release_id}", c.id))?;
    let release_config = release.dir().join("xen.config");
    let config = std::fs::read_to_string(&release_config)
        .map_err(|e| format!("{}: {e}", release_config.display()))?;
    let dsc = log.step(&format!("setup: {}: apt-get source", c.id), |log| {
        apt.source(package, version, log)
    })?;
    let tree = build_dir(c.id);
    log.step(&format!("setup: {}: dpkg-source -x", c.id), |log| {
        unpack_source(&dsc, &tree, log)
    })?;
    let mut debug_config: String = config
        .lines()
        .filter(|l| !l.starts_with("CONFIG_DEBUG=") && *l != "# CONFIG_DEBUG is not set")
        .map(|l| format!("{l}\n"))
        .collect();
    debug_config.push_str("CONFIG_DEBUG=y\n");
    let dot_config = tree.join("xen/.config");
    // Seeded once: rewriting it on a resumed build would make make redo everything.
    let seeded = std::fs::read_to_string(&dot_config)
        .is_ok_and(|c| c.lines().any(|l| l == "CONFIG_DEBUG=y"));
    if !seeded {
        write(&dot_config, &debug_config)?;
    }
    let maintainer = std::fs::read_to_string(&dsc)
        .ok()
        .and_then(|t| {
            t.lines()
                .find_map(|l| l.strip_prefix("Maintainer: ").map(str::to_string))
        })
        .unwrap_or_default();
    let make = |log: &mut Log, extra: &[&str]| {
        log.run(
            Command::new("make")
                .arg("-C")
                .arg(tree.join("xen"))
                .args(args)
                .args(extra)
                // What debian/rules gives the banner patch (debian/patches/0003-*).
                .env("DEB_VERSION", version)
                .env("DEB_MAINTAINER", &maintainer)
                .env_remove("CFLAGS")
                .env_remove("LDFLAGS"),
        )
    };
    log.step(
        &format!(
            "setup: {}: make -j2 (Debian's config + CONFIG_DEBUG=y)",
            c.id
        ),
        |log| {
            make(log, &["olddefconfig"])?;
            let built = std::fs::read_to_string(&dot_config).unwrap_or_default();
            if !built.lines().any(|l| l == "CONFIG_DEBUG=y") {
                return Err(format!(
                    "{}: CONFIG_DEBUG=y did not survive olddefconfig",
                    dot_config.display()
                ));
            }
            make(log, &["-j2"])
        },
    )?;
    let dir = c.dir();
    copy(&tree.join("xen/xen"), &dir.join("xen"))?;
    copy(&dot_config, &dir.join("xen.config"))?;
    Ok(vec![
        (
            "made".into(),
            format!(
                "apt-get source {package}={version}; {release_id}'s xen.config with CONFIG_DEBUG=y; make {} -j2",
                args.join(" ")
            ),
        ),
        ("tree".into(), tree.display().to_string()),
    ])
}

/// The Xen components of the catalogue, release and debug.
fn xen_components() -> impl Iterator<Item = &'static Component> {
    COMPONENTS
        .iter()
        .filter(|c| c.role == runners::catalog::Role::Hypervisor)
}

/// `cargo xtask bench`, section xen: what setup took (from the manifests) and, per target, boots of
/// the smoke dom0 (`runners/xen-smoke`): QEMU start to dom0's first byte, and QEMU start to exit.
pub fn bench() -> Result {
    use runners::xen::{boot, smoke, BootConfig, Qemu, Xen, XenTarget};
    println!();
    println!(
        "xen: setup (from target/components/<id>/MANIFEST; what the run that made each image took)"
    );
    for c in xen_components() {
        let what = match c.origin {
            Origin::Source { .. } => "debug build (dpkg-source -x, make -j2)",
            _ => "download + unpack",
        };
        let manifest = crate::components::manifest(c);
        match manifest.iter().find(|(k, _)| k == "seconds") {
            Some((_, s)) => println!("  {:<22} {what:<40} {s:>7} s", c.id),
            None => println!(
                "  {:<22} {what:<40} (not made: run `cargo xtask setup`)",
                c.id
            ),
        }
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let runs = 3;
    println!(
        "xen: boots of the smoke dom0, {runs} per target, min / median (load average {})",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "  {:<18} {:>22} {:>22}",
        "target", "first dom0 output", "total wall"
    );
    let out_dir = root().join("target/xen-smoke");
    for target in XenTarget::ALL {
        let prepared = Xen::locate(target, None)
            .map_err(|e| e.to_string())
            .and_then(|x| {
                Qemu::locate(target.arch, None)
                    .map(|q| (x, q))
                    .map_err(|e| e.to_string())
            })
            .and_then(|(x, q)| {
                smoke::build(target.arch, smoke::Mode::Normal, &out_dir).map(|d| (x, q, d))
            });
        let (xen, qemu, dom0) = match prepared {
            Ok(p) => p,
            Err(e) => {
                println!("  {:<18} {e}", target.name());
                continue;
            }
        };
        let mut first = vec![];
        let mut total = vec![];
        for _ in 0..runs {
            match boot(&xen, &qemu, &BootConfig::new(&dom0)) {
                Ok(b) => {
                    first.push(b.first_dom0_output.unwrap_or(b.total));
                    total.push(b.total);
                }
                Err(e) => {
                    let e = e.to_string();
                    println!("  {:<18} {}", target.name(), e.lines().next().unwrap_or(""));
                    break;
                }
            }
        }
        if first.len() == runs {
            first.sort();
            total.sort();
            println!(
                "  {:<18} {:>10.2?} / {:>9.2?} {:>10.2?} / {:>9.2?}",
                target.name(),
                first[0],
                first[runs / 2],
                total[0],
                total[runs / 2]
            );
        }
    }
    harness_bench()
}

/// The guest harness as dom0 on each Xen target: one boot running a whole plan (the target's
/// ABIs, 64 generated cases per call): boot to the first result frame, the boot's wall time,
/// and the cases checked (executed and judged, skips excluded) per second of it.
fn harness_bench() -> Result {
    use conformance::engine::run_target;
    use conformance::plan::{plan, PlanConfig};
    use conformance::report::Verdict;
    let runs = 3;
    println!(
        "xen: the guest harness as dom0, one boot per plan (64 generated cases per call), {runs} \
         runs per target, median"
    );
    println!(
        "  {:<18} {:>7} {:>16} {:>10} {:>14}",
        "target", "cases", "first result", "wall", "checked/s"
    );
    for target in runners::xen::XenTarget::ALL {
        let name = target.name();
        let mut runner = conformance::targets::runner(&name, &Default::default())?;
        if let Err(e) = runner.availability() {
            println!("  {name:<18} unavailable: {e}");
            continue;
        }
        let abis = conformance::targets::default_abis(runner.as_ref());
        let p = plan(
            &abis,
            &PlanConfig {
                seed: 0x5eed,
                cases_per_call: 64,
                calls: vec![],
                callers: true,
            },
        );
        let mut rows = vec![];
        for _ in 0..runs {
            let t = run_target(runner.as_mut(), &p, 0.0);
            let checked = t
                .cases
                .iter()
                .filter(|c| matches!(c.verdict, Verdict::Pass | Verdict::Fail))
                .count();
            let errors = t
                .cases
                .iter()
                .filter(|c| c.verdict == Verdict::Error)
                .count();
            if errors > 0 {
                println!("  {name:<18} {errors} cases had no result");
            }
            rows.push((
                t.timings.first_result_ms.unwrap_or(f64::NAN),
                t.timings.run_ms,
                checked,
            ));
        }
        rows.sort_by(|a, b| a.1.total_cmp(&b.1));
        let (first, wall, checked) = rows[runs / 2];
        println!(
            "  {name:<18} {checked:>7} {first:>13.0} ms {wall:>7.0} ms {:>14.0}",
            checked as f64 / (wall / 1e3)
        );
    }
    Ok(())
}
