// Structs declared by an ABI that names no layout rule: nothing says how to lay them out.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-aarch64") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: { number: clobbered, others: preserved },
        errors: { ENOSYS = -38 },
        unknown: error(ENOSYS),
        structs: {
            xen_memory_domain { domid: u16 }
        },
        calls: {},
    }
}

fn main() {}
