// A valid call next to an invalid one: the invalid call's error is reported, the ABI and the valid
// call still expand, and the invalid call is left out of the ABI.
//
// After a macro emits `compile_error!`, rustc stops reporting unresolved paths, so merely naming
// `demo::nr::GOOD` would prove nothing (a missing constant would go unreported). The proof is a
// deliberate type mismatch, whose message only exists if `demo::nr::GOOD` does (a `u64`), and a
// const assertion that the ABI value holds exactly the one valid call.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-aarch64") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: { number: clobbered, others: preserved },
        errors: { EPERM = -1, EINVAL = -22, ENOSYS = -38 },
        unknown: error(ENOSYS),
        calls: {
            good = 1 (cmd: range(0..=10)) -> (ret: range(0..));
            bad = 2 (cmd: range(0..=10), cmd: any) -> (ret: range(0..));
        },
    }
}

const _: () = assert!(demo::ABI.calls.len() == 1 && demo::nr::GOOD == 1);

fn main() {
    let _: () = demo::nr::GOOD;
}
