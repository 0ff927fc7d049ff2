// Several independent mistakes in one ABI and one in a second ABI of the same invocation: every
// one of them is reported by one compile, each at its own span.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-aarch64") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: { number: clobbered, others: kept },
        errors: { EPERM = -1, EINVAL = -22, ENOSYS = -38, EINVAL = -23 },
        unknown: error(ENOSYS),
        calls: {
            memory_op = 12 (cmd: u32) -> (ret: range(0..));
            multicall = 13 (calls: ptr(align = 3)) -> (ret: range(0..));
            version = 17 (cmd: range(0..=10)) -> (ret: range(0..)) errors [EBOGUS];
            memory_op = 18 () -> ();
        },
    }
    pub abi other ("other-x86_64") {
        arch: x86_64,
        trap: vmcall,
        number: rax,
        args: [rbx, rcx, rbx],
        results: [rax],
        registers: { others: preserved },
        errors: { EPERM = -1, EINVAL = -22, ENOSYS = -38 },
        unknown: error(ENOSYS),
        calls: {
            hello = 1 () -> (ret: range(0..=0));
        },
    }
}

fn main() {}
