//! Unit tests of the model and the checker on a hand-built ABI (the specs crate tests the real
//! ones). Each violation kind has a test that injects it and one that shows a clean observation
//! passes.

use crate::abi::*;
use crate::arch::{Arch, Reg};
use crate::check::{violations, Observation, ViolationKind};
use crate::layout::{FieldDir, LayoutRule, Scalar};
use crate::regfile::RegisterFile;
use crate::trap::Trap;

const fn x(i: u8) -> Reg {
    Reg::new(Arch::Aarch64, i)
}

const ENOSYS: Named = Named {
    name: "ENOSYS",
    value: -38,
};
const EINVAL: Named = Named {
    name: "EINVAL",
    value: -22,
};

/// Xen on arm64 in miniature, plus an SMC32-style narrow call and a zero-or-preserve register.
pub(crate) const ABI: Abi = Abi {
    id: "test-xen",
    title: "test",
    doc: "",
    arch: Arch::Aarch64,
    trap: Trap::Hvc(0xea1),
    numbers: &[NumberReg {
        name: "number",
        reg: x(16),
    }],
    args: &[x(0), x(1), x(2), x(3), x(4)],
    results: &[x(0)],
    rules: &[
        RoleRule {
            set: RegSet::Number,
            role: Role::MayClobber,
        },
        RoleRule {
            set: RegSet::UsedArgs,
            role: Role::MayClobber,
        },
        RoleRule {
            set: RegSet::Reg(x(9)),
            role: Role::ZeroOrPreserve,
        },
        RoleRule {
            set: RegSet::Others,
            role: Role::Preserved,
        },
    ],
    narrow: None,
    errors: &[ENOSYS, EINVAL],
    unknown: Some(Unknown::Error(ENOSYS)),
    calls: &[
        Call {
            name: "two",
            number: &[17],
            args: &[
                Arg {
                    name: "cmd",
                    reg: x(0),
                    domain: Domain::Range { min: 0, max: 10 },
                },
                Arg {
                    name: "arg",
                    reg: x(1),
                    domain: Domain::Pointer {
                        align: 8,
                        nullable: true,
                    },
                },
            ],
            results: &[Ret {
                name: "ret",
                reg: x(0),
                domain: Domain::Range {
                    min: 0,
                    max: i64::MAX as i128,
                },
            }],
            errors: &[EINVAL],
            presence: Presence::Mandatory,
            status: Status::Active,
            effect: Effect::Query,
            narrow: None,
            rules: &[],
            since: None,
            smccc: None,
            stable: false,
            disruption: "",
            source: "",
            doc: "",
        },
        Call {
            name: "narrow",
            number: &[18],
            args: &[Arg {
                name: "a",
                reg: x(0),
                domain: Domain::Any,
            }],
            results: &[Ret {
                name: "ret",
                reg: x(0),
                domain: Domain::Range { min: 0, max: 0 },
            }],
            errors: &[],
            presence: Presence::Optional,
            status: Status::Active,
            effect: Effect::Query,
            narrow: Some(Narrow {
                bits: 32,
                input_upper: UpperInput::Ignored,
                output_upper: UpperOutput::SignExtended,
            }),
            rules: &[RoleRule {
                set: RegSet::Reg(x(5)),
                role: Role::MayClobber,
            }],
            since: None,
            smccc: None,
            stable: false,
            disruption: "",
            source: "",
            doc: "",
        },
    ],
    families: &[],
    params: &[],
    structs: &[],
    revision: None,
    sources: &[],
};

fn clean(call: &Call, args: &[u64], ret: u64) -> Observation {
    let before = ABI.probe_input(call, args, 1);
    let mut after = before;
    after.set(x(0), ret);
    Observation {
        before,
        after,
        exception: None,
    }
}

fn kinds(call: &Call, obs: &Observation) -> Vec<(ViolationKind, Option<&'static str>)> {
    violations(&ABI, call, obs)
        .iter()
        .map(|v| (v.kind, v.reg.map(|r| r.name())))
        .collect()
}

#[test]
fn roles_follow_the_most_specific_rule() {
    let two = &ABI.calls[0];
    assert_eq!(ABI.role_after(two, x(0)), Role::Result);
    assert_eq!(ABI.role_after(two, x(1)), Role::MayClobber, "used argument");
    assert_eq!(
        ABI.role_after(two, x(2)),
        Role::Preserved,
        "unused argument"
    );
    assert_eq!(
        ABI.role_after(two, x(16)),
        Role::MayClobber,
        "number register"
    );
    assert_eq!(ABI.role_after(two, x(9)), Role::ZeroOrPreserve);
    assert_eq!(
        ABI.role_after(two, x(31)),
        Role::Preserved,
        "sp is always preserved"
    );
    let narrow = &ABI.calls[1];
    assert_eq!(ABI.role_after(narrow, x(5)), Role::MayClobber, "call rule");
    assert_eq!(ABI.role_after(narrow, x(1)), Role::Preserved);
    let clobbered: Vec<_> = ABI.clobbered_by(two).map(|r| r.name()).collect();
    assert_eq!(clobbered, ["x0", "x1", "x9", "x16"]);
}

#[test]
fn probe_input_places_number_arguments_and_poison() {
    let two = &ABI.calls[0];
    let f = ABI.probe_input(two, &[3, 0x1000], 0xbeef);
    assert_eq!(f.get(x(16)), 17);
    assert_eq!(f.get(x(0)), 3);
    assert_eq!(f.get(x(1)), 0x1000);
    assert_eq!(f.get(x(2)), 0xa5a5_a5a5_beef_0002);
    assert_eq!(f.get(x(31)), 0, "sp is not loaded");
    assert_eq!(f.get(x(32)), 0x9000_0000, "nzcv poison");
}

#[test]
fn a_conforming_observation_passes() {
    let two = &ABI.calls[0];
    let mut obs = clean(two, &[1, 0], 0x4_0011);
    obs.after.set(x(1), 0xdead_beef); // a used argument may be poisoned
    obs.after.set(x(16), 0xdead_beef);
    obs.after.set(x(9), 0); // zero-or-preserve may become zero
    assert_eq!(kinds(two, &obs), []);
    let obs = clean(two, &[1, 0], EINVAL.value as u64);
    assert_eq!(kinds(two, &obs), [], "a declared error code");
}

#[test]
fn preserved_register_changed_is_reported() {
    let two = &ABI.calls[0];
    let mut obs = clean(two, &[1, 0], 0);
    obs.after.set(x(2), 0xdead_beef);
    let v = violations(&ABI, two, &obs);
    assert_eq!(v.len(), 1);
    assert_eq!(
        (v[0].kind, v[0].reg, v[0].role),
        (
            ViolationKind::PreservedChanged,
            Some(x(2)),
            Some(Role::Preserved)
        )
    );
    assert_eq!(
        (v[0].before, v[0].observed),
        (obs.before.get(x(2)), 0xdead_beef)
    );
}

#[test]
fn zero_or_preserve_violation_is_reported() {
    let two = &ABI.calls[0];
    let mut obs = clean(two, &[1, 0], 0);
    obs.after.set(x(9), 7);
    assert_eq!(
        kinds(two, &obs),
        [(ViolationKind::NotZeroOrPreserved, Some("x9"))]
    );
}

#[test]
fn result_outside_domain_and_errors_is_reported() {
    let two = &ABI.calls[0];
    let obs = clean(two, &[1, 0], ENOSYS.value as u64); // ENOSYS is not declared for this call
    assert_eq!(
        kinds(two, &obs),
        [(ViolationKind::ResultOutOfDomain, Some("x0"))]
    );
}

#[test]
fn result_in_the_wrong_register_is_reported() {
    let two = &ABI.calls[0];
    let mut obs = clean(two, &[1, 0], 1);
    obs.after.set(x(0), obs.before.get(x(0)));
    obs.after.set(x(3), 0x4_0011);
    assert_eq!(
        kinds(two, &obs),
        [
            (ViolationKind::PreservedChanged, Some("x3")),
            (ViolationKind::ResultInWrongRegister, Some("x3"))
        ]
    );
}

#[test]
fn flags_are_compared_on_their_condition_bits_only() {
    let two = &ABI.calls[0];
    let mut obs = clean(two, &[1, 0], 0);
    obs.after.set(x(32), 0x9000_0000 | 0x3c0); // DAIF-like bits outside the condition mask
    assert_eq!(kinds(two, &obs), []);
    obs.after.set(x(32), 0x2000_0000);
    assert_eq!(
        kinds(two, &obs),
        [(ViolationKind::PreservedChanged, Some("nzcv"))]
    );
}

#[test]
fn narrow_results_are_read_at_32_bits_and_upper_bits_checked() {
    let narrow = &ABI.calls[1];
    let obs = clean(narrow, &[0], 0xffff_ffff_0000_0000);
    assert_eq!(
        kinds(narrow, &obs),
        [(ViolationKind::UpperBits, Some("x0"))],
        "low word 0 is fine, upper bits are not its sign extension"
    );
    let obs = clean(narrow, &[0], 0);
    assert_eq!(kinds(narrow, &obs), []);
}

#[test]
fn an_exception_where_a_return_was_due_is_reported() {
    let two = &ABI.calls[0];
    let mut obs = clean(two, &[1, 0], 0);
    obs.exception = Some(0);
    assert_eq!(
        kinds(two, &obs),
        [(ViolationKind::UnexpectedException, None)]
    );
}

#[test]
fn domains() {
    static E: [Named; 1] = [Named {
        name: "A",
        value: -1,
    }];
    let e = &E;
    assert!(Domain::Enum { values: e }.contains(0xffff_ffff, 32));
    assert!(Domain::Enum { values: e }.contains(u64::MAX, 64));
    assert!(Domain::Range { min: -38, max: -1 }.contains(-2i64 as u64, 64));
    assert!(!Domain::Range { min: 0, max: 10 }.contains(11, 64));
    assert!(Domain::Range {
        min: 0,
        max: u32::MAX as i128
    }
    .contains(0xffff_ffff, 32));
    assert!(!Domain::MustBeZero.contains(1, 64));
    assert!(!Domain::Bits { mask: 0xf }.contains(0x10, 64));
    assert!(!Domain::Pointer {
        align: 8,
        nullable: false
    }
    .contains(0, 64));
    assert!(!Domain::Pointer {
        align: 8,
        nullable: true
    }
    .contains(4, 64));
    assert!(Domain::Pointer {
        align: 8,
        nullable: true
    }
    .contains(0, 64));
}

#[test]
fn register_file_masks_to_register_width() {
    let mut f = RegisterFile::new(Arch::Arm);
    let r0 = Arch::Arm.reg("r0").unwrap();
    f.set(r0, 0x1_2345_6789);
    assert_eq!(f.get(r0), 0x2345_6789);
}

#[test]
fn export_is_json_with_format_version() {
    let abis = [&ABI];
    let json = serde_json::to_value(crate::export::SpecExport::new(&abis)).unwrap();
    assert_eq!(json["format_version"], crate::FORMAT_VERSION);
    assert_eq!(json["abis"][0]["trap"]["asm"], "hvc #0xea1");
    assert_eq!(json["abis"][0]["numbers"][0]["reg"], "x16");
    assert_eq!(
        json["abis"][0]["calls"][0]["args"][1]["domain"]["kind"],
        "pointer"
    );
}

#[test]
fn an_optional_call_may_answer_not_implemented_a_mandatory_one_may_not() {
    // ENOSYS is the ABI's unknown-number error, not among either call's own errors.
    let enosys = ENOSYS.value as u64;
    let two = &ABI.calls[0];
    assert_eq!(
        kinds(two, &clean(two, &[3, 0x1000], enosys)),
        [(ViolationKind::ResultOutOfDomain, Some("x0"))],
        "mandatory"
    );
    let narrow = &ABI.calls[1];
    assert_eq!(kinds(narrow, &clean(narrow, &[0], enosys)), [], "optional");
}

#[test]
fn other_results_are_not_judged_once_the_status_is_an_error() {
    // A two-result call whose value register keeps garbage when the status is an error.
    const RESULTS: &[Ret] = &[
        Ret {
            name: "status",
            reg: x(0),
            domain: Domain::Range { min: 0, max: 0 },
        },
        Ret {
            name: "value",
            reg: x(1),
            domain: Domain::Range { min: 0, max: 16 },
        },
    ];
    const ABI2: Abi = Abi {
        results: &[x(0), x(1)],
        ..ABI
    };
    let call = Call {
        results: RESULTS,
        errors: &[EINVAL],
        ..ABI.calls[0]
    };
    let before = ABI2.probe_input(&call, &[3, 0x1000], 1);
    let mut after = before;
    after.set(x(0), EINVAL.value as u64);
    after.set(x(1), 0x9999);
    let obs = Observation {
        before,
        after,
        exception: None,
    };
    assert_eq!(violations(&ABI2, &call, &obs), []);
    // On success the value is judged.
    after.set(x(0), 0);
    let obs = Observation {
        before,
        after,
        exception: None,
    };
    let v = violations(&ABI2, &call, &obs);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].kind, ViolationKind::ResultOutOfDomain);
    assert_eq!(v[0].reg, Some(x(1)));
}

/// A spec export read from a file can say `narrow.bits: 0`; reading a value at zero bits must
/// not overflow the shift (issue 17: `diff` panicked in debug builds).
#[test]
fn zero_bit_width_reads_nothing_and_does_not_overflow() {
    assert_eq!(sign_extend(u64::MAX, 0), 0);
    assert_eq!(mask(0), 0);
    assert_eq!(sign_extend(0x80, 8), -128);
    assert_eq!(sign_extend(0x7f, 8), 127);
    assert_eq!(sign_extend(0xffff_ffff, 32), -1);
    assert_eq!(sign_extend(u64::MAX, 64), -1);
    assert!(Domain::Range { min: 0, max: 0 }.contains(u64::MAX, 0));
    assert!(Domain::Range { min: -1, max: -1 }.contains(0x7f, 7));
}

#[test]
fn traps_read_back_from_their_export() {
    let traps = [
        Trap::Hvc(0xea1),
        Trap::Smc(0),
        Trap::Vmcall,
        Trap::Vmmcall,
        Trap::Syscall,
        Trap::Int(0x82),
        Trap::HypercallPage { stride: 32 },
        Trap::Diag(0x500),
        Trap::Sc(1),
        Trap::Ecall,
    ];
    for t in traps {
        let text = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<Trap>(&text).unwrap(), t, "{text}");
    }
    let bad = |text: &str| serde_json::from_str::<Trap>(text).unwrap_err().to_string();
    assert!(bad(r#"{"kind": "hvc"}"#).contains("trap `hvc` needs an `immediate`"));
    assert!(bad(r#"{"kind": "page", "stride": 0}"#)
        .contains("stride 0x0 of `page` is out of range (1 to 0x1000)"));
    assert!(bad(r#"{"kind": "sc", "immediate": 128}"#).contains("out of range (0 to 0x7f)"));
    assert!(
        bad(r#"{"kind": "ecall", "immediate": 1}"#).contains("trap `ecall` takes no `immediate`")
    );
    assert!(bad(r#"{"kind": "hvc", "immediate": 1, "stride": 2}"#).contains("takes no `stride`"));
    assert!(bad(r#"{"kind": "jump"}"#).contains("unknown trap `jump`; expected one of hvc, smc"));
    assert!(bad(r#"{"kind": "ecall", "imm": 1}"#).contains("unknown field `imm`"));
}

/// The keyword tables are strum's: each name reads back as its value, and the names are the
/// ones the DSL, the CLI and the file formats have always used.
#[test]
fn keywords_read_back_as_their_values() {
    use strum::VariantNames;
    fn round_trip<T>(all: &[T], names: &[&str])
    where
        T: Copy + PartialEq + core::fmt::Debug + Into<&'static str> + core::str::FromStr,
    {
        let got: Vec<&str> = all.iter().map(|&v| v.into()).collect();
        assert_eq!(got, names);
        for &v in all {
            let name: &'static str = v.into();
            assert!(name.parse::<T>().ok() == Some(v), "{name}");
        }
        assert!("no_such_keyword".parse::<T>().is_err());
    }
    round_trip(
        &Arch::ALL,
        &[
            "aarch64", "arm", "x86_64", "x86", "riscv64", "s390x", "ppc64",
        ],
    );
    assert_eq!(Arch::VARIANTS.len(), Arch::ALL.len());
    round_trip(
        &[
            Role::Preserved,
            Role::MayClobber,
            Role::ZeroOrPreserve,
            Role::Result,
        ],
        &["preserved", "clobbered", "zero_or_preserved", "result"],
    );
    round_trip(
        &[
            Presence::Mandatory,
            Presence::Optional,
            Presence::Discoverable,
        ],
        &["mandatory", "optional", "discoverable"],
    );
    round_trip(
        &[
            Status::Active,
            Status::Deprecated,
            Status::Obsolete,
            Status::Removed,
        ],
        &["active", "deprecated", "obsolete", "removed"],
    );
    round_trip(
        &[LayoutRule::Aapcs64, LayoutRule::Lp64, LayoutRule::Ilp32],
        &["aapcs64", "lp64", "ilp32"],
    );
    round_trip(
        &[
            FieldDir::In,
            FieldDir::Out,
            FieldDir::InOut,
            FieldDir::Reserved,
        ],
        &["in", "out", "in_out", "reserved"],
    );
    round_trip(
        &[
            Scalar::U16,
            Scalar::I64,
            Scalar::Ulong,
            Scalar::Handle,
            Scalar::U64Aligned,
        ],
        &["u16", "i64", "ulong", "handle", "u64_aligned"],
    );
    // The DSL's error message lists the keywords (abi-macros/tests/ui/bad_struct_and_subops).
    assert_eq!(Scalar::VARIANTS.last(), Some(&"u64_aligned"));
    // 8-aligned under i386's rule, unlike u64.
    assert_eq!(Scalar::U64Aligned.align(LayoutRule::Ilp32), 8);
    assert_eq!(Scalar::U64.align(LayoutRule::Ilp32), 4);
    round_trip(
        &[
            Effect::Query,
            Effect::Stateful,
            Effect::Disruptive,
            Effect::NoReturn,
        ],
        &["query", "stateful", "disruptive", "noreturn"],
    );
    round_trip(
        &[
            ViolationKind::PreservedChanged,
            ViolationKind::LiveValueChanged,
            ViolationKind::WrongError,
            ViolationKind::StructWrite,
            ViolationKind::FixedRefused,
            ViolationKind::OutputNotWritten,
            ViolationKind::FieldOutOfDomain,
        ],
        &[
            "preserved_changed",
            "live_value_changed",
            "wrong_error",
            "struct_write",
            "fixed_refused",
            "output_not_written",
            "field_out_of_domain",
        ],
    );
    assert_eq!(ViolationKind::VARIANTS.len(), 16);
    assert_eq!(
        ViolationKind::UpperBits.name(),
        "upper bits of a 32-bit result break the convention"
    );
}
