// Sub-operations selected by a struct field declared wrong: a struct without the selector
// field, a fixed field at another place in a second struct, a runnable sub-operation without a
// struct, `selector_field` on a register selector, and sub-operations on a pointer without
// `selector_field`.

#![allow(unexpected_cfgs)] // the expansion's `cfg(feature = "proptest")`

abi_macros::hypercall_abi! {
    pub abi demo ("demo-aarch64") {
        arch: aarch64,
        trap: hvc(0xEA1),
        number: x16,
        args: [x0, x1, x2, x3, x4],
        results: [x0],
        registers: { number: clobbered, others: preserved },
        errors: { EPERM = -1, EACCES = -13, EINVAL = -22, ENOSYS = -38 },
        unknown: error(ENOSYS),
        layout: aapcs64,
        structs: {
            with_info { cmd: u32, version: u32, #[out] info: u64_aligned }
            without_cmd { version: u32, #[out] info: u32 }
            version_later { cmd: u32, pad: u32, version: u32 }
        },
        calls: {
            #[disruptive]
            #[selector_field(cmd)]
            #[fixed(version = 0x15)]
            #[bad_fixed(EACCES)]
            sysctl = 35 (op: ptr {
                #[query] #[param(with_info)] INFO = 3,
                #[query] #[param(without_cmd)] OTHER = 4,
            }) -> (ret: range(0..));
            #[disruptive]
            #[selector_field(cmd)]
            #[fixed(version = 0x15)]
            domctl = 36 (op: ptr {
                #[query] #[param(with_info)] INFO = 5,
                #[query] #[param(version_later)] LATER = 6,
                #[query] NO_STRUCT = 7,
            }) -> (ret: range(0..));
            #[disruptive]
            #[selector_field(cmd)]
            memory_op = 12 (cmd: enum { #[query] MAX = 2 }, arg: ptr) -> (ret: range(0..));
            #[disruptive]
            #[bad_fixed(EACCES)]
            platform_op = 7 (op: ptr { #[query] #[param(with_info)] GET = 55 }) -> (ret: range(0..));
        },
    }
}

fn main() {}
