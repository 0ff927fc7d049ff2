//! The spec lint over every ABI of the registry, and one deliberately broken spec per rule to
//! prove the rule fires (a lint that cannot fail proves nothing).

use abi_spec::lint::{lint, lint_all, Finding, RULES};
use abi_spec::{Abi, Call, Named, SmcccId};

#[test]
fn every_spec_passes_the_lint() {
    let findings = lint_all(specs::all());
    let text: Vec<String> = findings.iter().map(Finding::to_string).collect();
    assert!(findings.is_empty(), "spec lint:\n{}", text.join("\n"));
}

// A small, valid SMCCC-style ABI to break in each test: the lint's fixture, independent of how
// the real specs evolve.
abi_macros::hypercall_abi! {
    #[source = "test fixture after Arm DEN0022 PSCI 1.3, section 5.1"]
    pub abi fixture ("lint-fixture", "lint fixture") {
        arch: aarch64,
        trap: hvc(0),
        number: x0,
        args: [x1, x2, x3],
        results: [x0],
        registers: { others: preserved },
        errors: { NOT_SUPPORTED = -1, INVALID_PARAMETERS = -2 },
        unknown: error(NOT_SUPPORTED),
        calls: {
            #[smccc(fast, smc32, owner = 4)]
            psci_version = 0x8400_0000 () -> (version: any);
            #[smccc(fast, smc32, owner = 4)]
            affinity_info = 0x8400_0004 (target: any, level: range(0..=3)) -> (state: range(0..=2)) errors [INVALID_PARAMETERS];
            #[smccc(fast, smc64, owner = 4)]
            affinity_info64 = 0xC400_0004 (target: any, level: range(0..=3)) -> (state: range(0..=2)) errors [INVALID_PARAMETERS];
        },
    }
}

const BASE: Abi = fixture::ABI;

fn leak<T>(v: Vec<T>) -> &'static [T] {
    Vec::leak(v)
}

/// `BASE` with call `i` replaced.
fn with_call(i: usize, edit: impl FnOnce(&mut Call)) -> Abi {
    let mut calls = BASE.calls.to_vec();
    edit(&mut calls[i]);
    Abi {
        calls: leak(calls),
        ..BASE
    }
}

fn rules_fired(abi: &Abi) -> Vec<&'static str> {
    let mut r: Vec<_> = lint(abi).into_iter().map(|f| f.rule).collect();
    r.dedup();
    r
}

#[test]
fn the_fixture_is_clean() {
    assert_eq!(lint(&BASE), vec![]);
}

#[test]
fn every_rule_has_a_breaking_fixture() {
    let broken: Vec<(&str, Abi)> = vec![
        (
            "sources-cited",
            Abi {
                sources: &[],
                ..BASE
            },
        ),
        ("unique-names", with_call(2, |c| c.name = "affinity_info")),
        (
            "unique-numbers",
            with_call(0, |c| c.number = &[0x8400_0004]),
        ),
        (
            "number-arity",
            with_call(0, |c| c.number = &[0x8400_0000, 1]),
        ),
        (
            "args-fit",
            with_call(1, |c| {
                let mut args = c.args.to_vec();
                args[0].reg = abi_spec::Arch::Aarch64.reg("x7").unwrap();
                c.args = leak(args);
            }),
        ),
        (
            "errors-declared",
            with_call(1, |c| {
                c.errors = leak(vec![Named {
                    name: "DENIED",
                    value: -3,
                }]);
            }),
        ),
        (
            "smccc-fields",
            with_call(2, |c| {
                c.smccc = Some(SmcccId {
                    fast: true,
                    smc64: false,
                    owner: 4,
                });
            }),
        ),
        (
            "psci-twins",
            Abi {
                calls: leak(vec![BASE.calls[0], BASE.calls[2]]),
                ..BASE
            },
        ),
    ];
    for rule in RULES {
        assert!(
            broken.iter().any(|(id, _)| *id == rule.id),
            "rule `{}` has no breaking fixture",
            rule.id
        );
    }
    for (id, abi) in &broken {
        assert_eq!(
            rules_fired(abi),
            vec![*id],
            "fixture for `{id}`: {:#?}",
            lint(abi)
        );
    }
}

#[test]
fn smccc_reserved_bits_and_unknown_error_are_checked() {
    let reserved = with_call(0, |c| c.number = &[0x8401_0000]);
    assert!(lint(&reserved).iter().any(|f| f.rule == "smccc-fields"));
    let unknown = Abi {
        unknown: Some(abi_spec::Unknown::Error(Named {
            name: "ENOSYS",
            value: -38,
        })),
        ..BASE
    };
    assert_eq!(rules_fired(&unknown), vec!["errors-declared"]);
}

#[test]
fn duplicate_ids_in_a_registry_are_found() {
    let findings = lint_all(&[&BASE, &BASE]);
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].rule, "unique-ids");
}
