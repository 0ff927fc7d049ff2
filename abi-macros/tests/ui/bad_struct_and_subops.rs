// Parameter structs and sub-operations declared wrong: an unknown field type, a field given
// twice, a sub-operation naming a struct nobody declared, a sub-operation fixing an argument
// the call does not have, and a struct on a call without a pointer argument.

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
        layout: aapcs64,
        structs: {
            query_size { dom: u16, nr_frames: uint32_t }
            get_version { dom: u16, dom: u32 }
        },
        calls: {
            #[disruptive]
            #[unknown_subop(ENOSYS)]
            grant_table_op = 20 (cmd: enum {
                #[query] #[param(no_such_struct)] GNTTABOP_query_size = 6,
                #[query] #[args(cuont = 1)] GNTTABOP_get_version = 10,
            }, uop: ptr(nullable), count: range(0..=u32::MAX)) -> (ret: range(0..));
            #[disruptive]
            sched_op = 29 (cmd: enum { #[stateful] #[param(query_size)] SCHEDOP_yield = 0 }) -> (ret: range(0..));
        },
    }
}

fn main() {}
