//! Runner backends: the guest result stream ([`frame`]) and the QEMU targets ([`qemu`]).

pub mod frame;
pub mod qemu;
