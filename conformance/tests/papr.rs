//! PAPR's H_RTAS `get-time-of-day` argument buffer, held to QEMU's real answer on both ppc64
//! targets: two deliberately wrong layouts of the buffer fail there, and the real spec passes.
//!
//! The wrong specs are `papr-ppc64` (same id, trap, number and argument registers, so the guest
//! runs their probe; the harness's callers index the real spec's calls) with only H_RTAS and its
//! struct changed. QEMU writes the eight big-endian return words from byte 12 on (`nargs` is 0):
//! - `wrong_output_papr`: `year` (byte 16) declared an input, so QEMU's write of the year is a
//!   write into an input field (`struct_write`);
//! - `wrong_offset_papr`: an argument word declared before the return words (as if `nargs` were
//!   1), which moves every return word 4 bytes on: QEMU's year lands where that layout has the
//!   status (`field_out_of_domain`: the status is -3..=0) and the last return word, at byte 44,
//!   is never written although the call succeeded (`output_not_written`). (QEMU's status, 0,
//!   lands in the zeroed input word and changes no byte.)
//!
//! Without QEMU or the guest image (`cargo xtask setup`, `cargo xtask guests --arch
//! ppc64-pseries`) the test says so on stderr and returns; under `CI=true` that is a failure.

// The macro's expansion tests `feature = "proptest"`, a feature of the specs crate, not this one.
#![allow(unexpected_cfgs)]

use conformance::engine::run_target;
use conformance::plan::{plan, PlanConfig};
use conformance::report::{TargetRun, Verdict};
use runners::catalog::TargetSpec;
use runners::qemu::QemuRunner;
use runners::Runner;

abi_macros::hypercall_abi! {
    /// papr-ppc64's H_RTAS with get-time-of-day's `year` declared an input (deliberately wrong).
    #[source = "test: QEMU hw/ppc/spapr_rtc.c rtas_get_time_of_day, with an output declared input"]
    pub abi wrong_output_papr ("papr-ppc64", "PAPR hcalls, RTAS year wrongly an input") {
        arch: ppc64,
        trap: sc(1),
        number: r3,
        args: [r4, r5, r6, r7, r8, r9, r10, r11, r12],
        results: [r3, r4, r5, r6, r7, r8, r9, r10, r11, r12],
        registers: {
            r0: clobbered,
            used_args: clobbered,
            unused_args: clobbered,
            unused_results: clobbered,
            cr: clobbered,
            xer: clobbered,
            ctr: clobbered,
            others: preserved,
        },
        errors: { H_FUNCTION = -2, H_PARAMETER = -4 },
        unknown: error(H_FUNCTION),
        layout: ppc64,
        structs: {
            /// `year` deliberately an input.
            rtas_get_time_of_day {
                token: u32, nargs: u32, nret: u32,
                #[out] #[domain(-3..=0)] status: i32,
                year: u32,
                #[out] month: u32, #[out] day: u32, #[out] hour: u32, #[out] minute: u32,
                #[out] second: u32, #[out] nanoseconds: u32,
            }
        },
        calls: {
            /// H_RTAS; only get-time-of-day runs.
            #[source = "QEMU hw/ppc/spapr_hcall.c h_rtas"]
            #[disruptive]
            #[selector_field(token)]
            #[fixed(nargs = 0, nret = 8)]
            h_rtas = 0xf000 (params: ptr {
                #[query] #[param(rtas_get_time_of_day)] RTAS_GET_TIME_OF_DAY = 0x2001,
            }) -> (status: range(0..=0)) errors [H_PARAMETER];
        },
    }

    /// papr-ppc64's H_RTAS with an argument word before get-time-of-day's return words
    /// (deliberately wrong: every return word 4 bytes too far).
    #[source = "test: QEMU hw/ppc/spapr_hcall.c h_rtas (rets after nargs argument words), with one argument word too many"]
    pub abi wrong_offset_papr ("papr-ppc64", "PAPR hcalls, RTAS return words at the wrong offset") {
        arch: ppc64,
        trap: sc(1),
        number: r3,
        args: [r4, r5, r6, r7, r8, r9, r10, r11, r12],
        results: [r3, r4, r5, r6, r7, r8, r9, r10, r11, r12],
        registers: {
            r0: clobbered,
            used_args: clobbered,
            unused_args: clobbered,
            unused_results: clobbered,
            cr: clobbered,
            xer: clobbered,
            ctr: clobbered,
            others: preserved,
        },
        errors: { H_FUNCTION = -2, H_PARAMETER = -4 },
        unknown: error(H_FUNCTION),
        layout: ppc64,
        structs: {
            /// `arg0` deliberately there: the return words start at 16 instead of 12.
            rtas_get_time_of_day {
                token: u32, nargs: u32, nret: u32, arg0: u32,
                #[out] #[domain(-3..=0)] status: i32,
                #[out] year: u32, #[out] month: u32, #[out] day: u32, #[out] hour: u32,
                #[out] minute: u32, #[out] second: u32, #[out] nanoseconds: u32,
            }
        },
        calls: {
            /// H_RTAS; only get-time-of-day runs.
            #[source = "QEMU hw/ppc/spapr_hcall.c h_rtas"]
            #[disruptive]
            #[selector_field(token)]
            #[fixed(nargs = 0, nret = 8)]
            h_rtas = 0xf000 (params: ptr {
                #[query] #[param(rtas_get_time_of_day)] RTAS_GET_TIME_OF_DAY = 0x2001,
            }) -> (status: range(0..=0)) errors [H_PARAMETER];
        },
    }
}

const TARGETS: [&str; 2] = ["qemu7.2-ppc64", "qemu10.0-ppc64"];

/// The runner of the catalogue's QEMU target `name`, or `None` (not under CI) when unavailable.
fn target(name: &str) -> Option<QemuRunner> {
    let spec = TargetSpec::get(name).expect("catalogue target");
    let r = QemuRunner::new(spec, &runners::Overrides::default());
    match r.availability() {
        Ok(()) => Some(r),
        Err(e) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!("{name}: {e} (CI=true: an unavailable target is a failure)")
        }
        Err(e) => {
            eprintln!("SKIPPED {name}: {e}");
            None
        }
    }
}

fn config() -> PlanConfig {
    PlanConfig {
        seed: 0x5eed,
        cases_per_call: 8,
        calls: vec!["h_rtas".into()],
        callers: false,
        admit: Vec::new(),
        implementation: None,
        scratch_at_memory_end: false,
    }
}

/// The messages of `run`'s violations of `kind`.
fn messages<'a>(run: &'a TargetRun, kind: &str) -> Vec<&'a str> {
    run.cases
        .iter()
        .flat_map(|c| &c.violations)
        .filter(|v| v.kind == kind)
        .map(|v| v.message.as_str())
        .collect()
}

#[test]
fn a_wrong_rtas_buffer_fails_on_qemu_and_the_real_one_passes() {
    for name in TARGETS {
        let Some(mut qemu) = target(name) else {
            continue;
        };

        // The query and the same struct one byte into the scratch.
        let wrong = plan(&[&wrong_output_papr::ABI], &config());
        assert_eq!(wrong.cases.len(), 2, "{:?}", wrong.cases);
        assert!(wrong.cases.iter().all(|c| c.buffer.is_some()));
        let run = run_target(&mut qemu, &wrong, 0.0);
        let writes = messages(&run, "struct_write");
        assert!(
            writes
                .iter()
                .any(|m| m.contains("byte 19 of struct rtas_get_time_of_day (`year` (in))")),
            "{name}: QEMU's write of the year must be caught: {:?}",
            run.cases
        );

        let wrong = plan(&[&wrong_offset_papr::ABI], &config());
        let run = run_target(&mut qemu, &wrong, 0.0);
        let outside = messages(&run, "field_out_of_domain");
        assert!(
            outside
                .iter()
                .any(|m| m.contains("`status` of struct rtas_get_time_of_day (domain -3..=0)")),
            "{name}: the year QEMU writes where the wrong layout has the status must be caught: {:?}",
            run.cases
        );
        let unwritten = messages(&run, "output_not_written");
        assert!(
            unwritten
                .iter()
                .any(|m| m.contains("`nanoseconds` of struct rtas_get_time_of_day (bytes 44..48)")),
            "{name}: the last return word one word too far is never written: {:?}",
            run.cases
        );

        // The query, unaligned, and the unknown token.
        let right = plan(&[specs::find("papr-ppc64").unwrap()], &config());
        assert_eq!(right.cases.len(), 3, "{:?}", right.cases);
        assert!(right.cases.iter().all(|c| c.buffer.is_some()));
        let run = run_target(&mut qemu, &right, 0.0);
        assert_eq!(run.cases.len(), 3, "{name}: {:?}", run.cases);
        for c in &run.cases {
            assert_eq!(c.verdict, Verdict::Pass, "{name}: {c:?}");
        }
    }
}
