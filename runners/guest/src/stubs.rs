//! The generated C and assembly stubs (`stubs/<abi>.h`, `stubs/<abi>.S`), compiled for this
//! guest by build.rs with the arch's cross gcc and linked in: each ABI's `<abi>_dispatch` runs a
//! call by its index through the header's inline function or through the `.S` stub, and checks
//! that the arguments it kept live across the call came back intact.

/// `<abi>_dispatch(via_asm, index, page, args, nargs, results, nres)`: 0 not run, 1 ran, 2 ran
/// but a value kept live across the call changed.
pub type Dispatch =
    unsafe extern "C" fn(i32, u32, *const u8, *const u64, u32, *mut u64, u32) -> i32;

include!(concat!(env!("OUT_DIR"), "/stubs_table.rs"));

/// The dispatcher of the ABI `id`, if its stubs are linked in.
pub fn dispatch(id: &str) -> Option<Dispatch> {
    DISPATCH.iter().find(|(i, _)| *i == id).map(|(_, d)| *d)
}
