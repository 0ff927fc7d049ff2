// Parameter structs of plain calls declared wrong: a struct nobody declared, `high` naming the
// pointer argument itself, `args` naming an argument the call does not have, `param` on a call
// without a pointer argument, `param` on a call with two, `param` on a call whose values are
// sub-operations, `args` without `param`, and `param` with another key than `high`.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-riscv64") {
        arch: riscv64,
        trap: ecall,
        number: { eid: a7, fid: a6 },
        args: [a0, a1, a2, a3, a4, a5],
        results: [a0, a1],
        registers: { others: preserved },
        errors: { FAILED = -1, INVALID_PARAM = -3 },
        unknown: error(FAILED),
        layout: lp64,
        structs: {
            buf { #[out] bytes: [u8; 16] }
        },
        calls: {
            #[param(no_such_struct)]
            read_a = (1, 0) (n: range(0..), lo: ptr, hi: mbz) -> (error: any, value: any);
            #[param(buf, high = lo)]
            read_b = (1, 1) (n: range(0..), lo: ptr, hi: mbz) -> (error: any, value: any);
            #[param(buf)]
            #[args(count = 16)]
            read_c = (1, 2) (n: range(0..), lo: ptr, hi: mbz) -> (error: any, value: any);
            #[param(buf)]
            read_d = (1, 3) (n: range(0..)) -> (error: any, value: any);
            #[param(buf)]
            read_e = (1, 4) (a: ptr, b: ptr) -> (error: any, value: any);
            #[param(buf)]
            read_f = (1, 5) (cmd: enum { #[query] ONE = 1 }, a: ptr) -> (error: any, value: any);
            #[args(n = 16)]
            read_g = (1, 6) (n: range(0..), lo: ptr) -> (error: any, value: any);
            #[param(buf, low = lo)]
            read_h = (1, 7) (n: range(0..), lo: ptr) -> (error: any, value: any);
        },
    }
}

fn main() {}
