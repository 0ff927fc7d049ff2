//! Engine figures for `cargo xtask bench` (built in release by xtask): the time to plan 10,000
//! cases, and checked cases per second through the reference-model backend (plan encoding,
//! execution through the wire format, decoding and checking), clean and poisoning.

use std::time::Instant;

use conformance::engine::run_target;
use conformance::plan::{plan, PlanConfig};
use runners::model::Model;

fn main() {
    let abis = specs::all();
    let calls: usize = abis.iter().map(|a| a.calls.len()).sum();
    // Enough generated cases per call that the plan holds at least 10,000 cases.
    let mut per_call = (10_000 / calls.max(1)) as u32;
    let config = loop {
        let config = PlanConfig {
            seed: 1,
            cases_per_call: per_call,
            calls: Vec::new(),
            callers: true,
            admit: Vec::new(),
            implementation: None,
            scratch_at_memory_end: false,
        };
        if plan(abis, &config).cases.len() >= 10_000 {
            break config;
        }
        per_call += 1;
    };
    let mut best_plan = f64::MAX;
    let mut p = plan(abis, &config);
    for _ in 0..5 {
        let t = Instant::now();
        p = plan(abis, &config);
        best_plan = best_plan.min(t.elapsed().as_secs_f64());
    }
    let n = p.cases.len();
    println!(
        "plan: {n} cases ({} ABIs, {calls} calls, {per_call} generated per call) in {:.1} ms (best of 5); {:.0} ms per 10,000 cases",
        abis.len(),
        best_plan * 1e3,
        best_plan * 1e3 * 10_000.0 / n as f64
    );
    for poison in [false, true] {
        let mut model = Model::new(abis).poisoning(poison);
        let mut best = f64::MAX;
        let mut checked = 0;
        for _ in 0..5 {
            let t = Instant::now();
            let r = run_target(&mut model, &p, 0.0);
            best = best.min(t.elapsed().as_secs_f64());
            checked = r.cases.iter().filter(|c| c.reason.is_none()).count();
        }
        println!(
            "model{}: {checked} cases executed and checked in {:.1} ms (best of 5): {:.0} checked cases/s",
            if poison { "-debug" } else { "" },
            best * 1e3,
            checked as f64 / best
        );
    }
    println!();
}
