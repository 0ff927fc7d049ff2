// A valid call next to an invalid one: only the invalid call's error is reported; the ABI and the
// valid call still expand (`main` uses the valid call's number and the ABI value without error),
// and the invalid call is left out of the ABI.

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

const _: () = assert!(demo::ABI.calls.len() == 1);

fn main() {
    let n: u64 = demo::nr::GOOD;
    assert_eq!(n, 1);
    assert_eq!(demo::ABI.calls[0].name, "good");
}
