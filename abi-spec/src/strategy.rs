//! Argument strategies (proptest) derived from declared domains. Each domain draws mostly from its
//! edges (bounds, zero, all-ones, each enumerator) and otherwise uniformly, so a small case budget
//! still hits the values ABIs get wrong.

use proptest::prelude::*;
use std::vec::Vec;

use crate::abi::{mask, Abi, Call, Domain};

/// A strategy for a call's argument values.
pub type ArgsStrategy = BoxedStrategy<Vec<u64>>;

/// Where pointer arguments point: runners replace this with a real buffer in the guest.
pub const POINTER_BASE: u64 = 0x0010_0000;

/// A strategy for one value of `domain` at `bits` width.
pub fn domain(d: &Domain, bits: u8) -> BoxedStrategy<u64> {
    let m = mask(bits);
    match *d {
        Domain::Any => prop_oneof![
            1 => prop::sample::select(vec![0, 1, m, m >> 1, (m >> 1) + 1]),
            3 => any::<u64>().prop_map(move |v| v & m),
        ]
        .boxed(),
        Domain::Range { min, max } => {
            let edges = vec![
                min,
                max,
                min.saturating_add(1).min(max),
                max.saturating_sub(1).max(min),
            ];
            prop_oneof![
                1 => prop::sample::select(edges),
                3 => min..=max,
            ]
            .prop_map(move |v: i128| (v as u64) & m)
            .boxed()
        }
        Domain::Enum { values } => prop::sample::select(
            values
                .iter()
                .map(|n| (n.value as u64) & m)
                .collect::<Vec<_>>(),
        )
        .boxed(),
        Domain::MustBeZero => Just(0).boxed(),
        Domain::Bits { mask: allowed } => any::<u64>().prop_map(move |v| v & allowed & m).boxed(),
        Domain::Pointer { align, nullable } => {
            let align = align.max(1) as u64;
            let offsets = (0..16u64).prop_map(move |i| POINTER_BASE + i * align);
            if nullable {
                prop_oneof![1 => Just(0), 3 => offsets].boxed()
            } else {
                offsets.boxed()
            }
        }
    }
}

/// A strategy for all arguments of `call`, in declaration order.
pub fn call_args(abi: &Abi, call: &Call) -> ArgsStrategy {
    let bits = abi.width_for(call);
    let parts: Vec<BoxedStrategy<u64>> =
        call.args.iter().map(|a| domain(&a.domain, bits)).collect();
    parts.boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::Named;
    use proptest::test_runner::TestRunner;

    #[test]
    fn every_drawn_value_lies_in_its_domain() {
        const E: &[Named] = &[
            Named {
                name: "A",
                value: 3,
            },
            Named {
                name: "B",
                value: -1,
            },
        ];
        let domains = [
            Domain::Any,
            Domain::Range { min: -4, max: 9 },
            Domain::Range {
                min: 0,
                max: u32::MAX as i128,
            },
            Domain::Enum { values: E },
            Domain::MustBeZero,
            Domain::Bits { mask: 0xf0 },
            Domain::Pointer {
                align: 8,
                nullable: true,
            },
        ];
        let mut runner = TestRunner::deterministic();
        for bits in [32u8, 64] {
            for d in &domains {
                let s = domain(d, bits);
                for _ in 0..500 {
                    let v = s.new_tree(&mut runner).unwrap().current();
                    assert!(d.contains(v, bits), "{d:?} at {bits} bits drew {v:#x}");
                }
            }
        }
    }
}
