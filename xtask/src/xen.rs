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

use runners::catalog::{Component, Origin};

use crate::components::{build_dir, copy, unpack_source, write, Log, PrivateApt};
use crate::Result;

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
