//! The vCPU's binary statistics (`KVM_GET_STATS_FD`, Linux Documentation/virt/kvm/api.rst
//! 4.133): how the VMM proves that this KVM itself handled the guest's hypercalls. A software
//! KVM whose hypercalls an outer hypervisor answers leaves its counter where it was.

use std::fs::File;
use std::os::fd::{AsRawFd, FromRawFd};
use std::os::unix::fs::FileExt;

use kvm_bindings::{kvm_stats_desc, kvm_stats_header, KVM_CAP_BINARY_STATS_FD};
use kvm_ioctls::{Kvm, VcpuFd};

use crate::Result;

/// `_IO(KVMIO, 0xce)` (include/uapi/linux/kvm.h); kvm-ioctls 0.25 has no wrapper for it.
const KVM_GET_STATS_FD: libc::c_ulong = 0xae << 8 | 0xce;

/// One cumulative counter of one vCPU.
pub struct Counter {
    file: File,
    offset: u64,
    /// Its name in the descriptors (`hypercalls`, `hvc_exit_stat`).
    pub name: &'static str,
}

fn u32_at(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes(b[o..o + 4].try_into().expect("4 bytes"))
}

impl Counter {
    /// The counter `name` of `vcpu`, found through the descriptors of its stats file.
    pub fn open(kvm: &Kvm, vcpu: &VcpuFd, name: &'static str) -> Result<Counter> {
        if kvm.check_extension_raw(KVM_CAP_BINARY_STATS_FD.into()) <= 0 {
            return Err(
                "this KVM has no binary statistics (KVM_CAP_BINARY_STATS_FD, Linux 5.14+): \
                 it cannot show that it handled the hypercalls"
                    .into(),
            );
        }
        let fd = unsafe { libc::ioctl(vcpu.as_raw_fd(), KVM_GET_STATS_FD) };
        if fd < 0 {
            return Err(format!(
                "KVM_GET_STATS_FD: {}",
                std::io::Error::last_os_error()
            ));
        }
        let file = unsafe { File::from_raw_fd(fd) };
        let read = |at: u64, len: usize| -> Result<Vec<u8>> {
            let mut b = vec![0; len];
            file.read_exact_at(&mut b, at)
                .map_err(|e| format!("vCPU stats: {len} bytes at {at}: {e}"))?;
            Ok(b)
        };
        let h = read(0, std::mem::size_of::<kvm_stats_header>())?;
        let (name_size, num_desc) = (u32_at(&h, 4) as usize, u32_at(&h, 8) as usize);
        let (desc_offset, data_offset) = (u32_at(&h, 16), u32_at(&h, 20));
        let desc_size = std::mem::size_of::<kvm_stats_desc>() + name_size;
        let descs = read(desc_offset.into(), desc_size * num_desc)?;
        for d in descs.chunks_exact(desc_size) {
            let n = &d[std::mem::size_of::<kvm_stats_desc>()..];
            let n = &n[..n.iter().position(|&c| c == 0).unwrap_or(n.len())];
            if n == name.as_bytes() {
                return Ok(Counter {
                    // The descriptor's offset is in bytes from the data block.
                    offset: u64::from(data_offset) + u64::from(u32_at(d, 8)),
                    file,
                    name,
                });
            }
        }
        Err(format!(
            "the vCPU's statistics ({num_desc} of them) have no `{name}` counter"
        ))
    }

    /// Its value now.
    pub fn read(&self) -> Result<u64> {
        let mut b = [0; 8];
        self.file
            .read_exact_at(&mut b, self.offset)
            .map_err(|e| format!("vCPU stat {}: {e}", self.name))?;
        Ok(u64::from_le_bytes(b))
    }
}
