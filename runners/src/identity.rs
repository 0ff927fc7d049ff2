//! What a target really is, as the components said it themselves (QEMU's `--version`, the
//! firmware's and the hypervisor's console banners), and the machine and CPU used.

use serde::{Deserialize, Serialize};

pub use crate::catalog::Role;

/// One component that ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentInfo {
    /// What it is to the target.
    pub role: Role,
    /// `QEMU`, `OpenSBI`, `Xen`, `Trusted Firmware-A`.
    pub name: String,
    /// As its own banner prints it (`7.2.22`, `1.5.1`, `4.17.5`, `v2.12.1(release)`).
    pub version: String,
    /// The rest of what its banner says about the build (distribution package, compiler, date,
    /// `debug=y`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub build: Option<String>,
    /// Where it came from: the Debian packages and versions, or `user: PATH`.
    pub source: String,
}

/// What ran.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Identity {
    /// The components, QEMU first.
    pub components: Vec<ComponentInfo>,
    /// QEMU's `-M` as given (every property explicit).
    pub machine: Option<String>,
    /// QEMU's `-cpu` as given.
    pub cpu: Option<String>,
    /// `tcg`, `kvm`, `in-process`.
    pub accelerator: String,
}

impl Identity {
    /// The component that answers the calls: the hypervisor, else the firmware, else QEMU.
    pub fn primary(&self) -> Option<&ComponentInfo> {
        [Role::Kernel, Role::Hypervisor, Role::Firmware, Role::Qemu]
            .iter()
            .find_map(|r| self.components.iter().find(|c| c.role == *r))
    }
}

/// Firmware banners on a console: (name, the text just before the version, which runs to the
/// next space or colon). The ppc64 guest is its own `-bios` (no SLOF) and the s390-ccw BIOS
/// prints nothing before an ELF `-kernel`, so only these two appear.
const FIRMWARE_BANNERS: &[(&str, &str)] = &[
    // OpenSBI's `sbi_boot_print_banner`: "OpenSBI v1.5.1".
    ("OpenSBI", "OpenSBI v"),
    // TF-A's BL31 notice: "NOTICE:  BL31: v2.12.1(release):..." (bl31_main.c).
    ("Trusted Firmware-A", "BL31: v"),
];

/// The firmware whose banner is in `text` (console text outside frames), with the version it
/// prints.
pub fn firmware_from_banner(text: &str) -> Option<(String, String, String)> {
    for (name, marker) in FIRMWARE_BANNERS {
        for line in text.lines() {
            if let Some(i) = line.find(marker) {
                let rest = &line[i + marker.len()..];
                let version: String = rest
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != ':')
                    .collect();
                return Some((name.to_string(), version, line.trim().to_string()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn banners() {
        let (n, v, _) = firmware_from_banner("\nOpenSBI v1.1\n   ____\n").unwrap();
        assert_eq!((n.as_str(), v.as_str()), ("OpenSBI", "1.1"));
        let (n, v, _) = firmware_from_banner(
            "NOTICE:  BL31: v2.12.1(release):2.12.1+dfsg-1\nNOTICE:  BL31: Built : 10:00:00\n",
        )
        .unwrap();
        assert_eq!(
            (n.as_str(), v.as_str()),
            ("Trusted Firmware-A", "2.12.1(release)")
        );
        assert_eq!(firmware_from_banner("nothing here"), None);
    }
}
