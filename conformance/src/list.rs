//! `hyperabi list`: the ABIs and their calls as a reader scans them.

use std::fmt::Write;

use abi_spec::{Abi, Effect, Presence, Status};

/// The `hyperabi list` text: every ABI with its calls.
pub fn render(abis: &[&Abi]) -> String {
    let mut s = String::new();
    for abi in abis {
        let numbers: Vec<_> = abi
            .numbers
            .iter()
            .map(|n| format!("{} in {}", n.name, n.reg))
            .collect();
        let regs = |rs: &[abi_spec::Reg]| rs.iter().map(|r| r.name()).collect::<Vec<_>>().join(" ");
        writeln!(s, "{}  {}", abi.id, abi.title).unwrap();
        writeln!(
            s,
            "  {} | {} | {} | args {} | results {} | {} calls",
            abi.arch,
            abi.trap,
            numbers.join(", "),
            regs(abi.args),
            regs(abi.results),
            abi.calls.len()
        )
        .unwrap();
        for c in abi.calls {
            let number: Vec<_> = c.number.iter().map(|n| format!("{n:#x}")).collect();
            let args: Vec<_> = c.args.iter().map(|a| a.name).collect();
            let results: Vec<_> = c.results.iter().map(|r| r.name).collect();
            let mut tags = Vec::new();
            if c.presence != Presence::Mandatory {
                tags.push(c.presence.name());
            }
            if c.status != Status::Active {
                tags.push(c.status.name());
            }
            if c.effect != Effect::Query {
                tags.push(c.effect.name());
            }
            let tags = if tags.is_empty() {
                String::new()
            } else {
                format!("  [{}]", tags.join(", "))
            };
            writeln!(
                s,
                "  {:>12}  {}({}) -> ({}){}",
                number.join(","),
                c.name,
                args.join(", "),
                results.join(", "),
                tags
            )
            .unwrap();
        }
        writeln!(s).unwrap();
    }
    s
}
