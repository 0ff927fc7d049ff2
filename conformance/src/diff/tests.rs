use serde_json::{json, Value};

use super::*;

const OLD: &str = include_str!("../../tests/fixtures/diff/old.json");

fn base() -> Value {
    serde_json::from_str(OLD).unwrap()
}

fn abis(v: &Value) -> Vec<Abi> {
    parse("test.json", &v.to_string()).unwrap()
}

/// The changes `edit` makes to the fixture.
fn changes(edit: impl FnOnce(&mut Value)) -> Vec<Change> {
    let mut new = base();
    edit(&mut new);
    diff(&abis(&base()), &abis(&new))
}

fn kinds(cs: &[Change]) -> Vec<(&'static str, Class)> {
    cs.iter().map(|c| (c.kind, c.class)).collect()
}

fn abi<'a>(v: &'a mut Value, id: &str) -> &'a mut Value {
    v["abis"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|a| a["id"] == id)
        .unwrap()
}

fn call<'a>(v: &'a mut Value, id: &str, name: &str) -> &'a mut Value {
    abi(v, id)["calls"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|c| c["name"] == name)
        .unwrap()
}

/// Exactly one change, of this kind and class.
fn only(edit: impl FnOnce(&mut Value), kind: &str, class: Class) -> Change {
    let cs = changes(edit);
    assert_eq!(kinds(&cs), vec![(kind, class)], "{cs:#?}");
    cs.into_iter().next().unwrap()
}

use Class::{Breaking, Compatible, NeedsReview};

#[test]
fn identical_exports_have_no_changes() {
    assert!(changes(|_| {}).is_empty());
}

#[test]
fn the_current_export_of_every_spec_reads_back_and_equals_itself() {
    let doc = abi_spec::export::SpecExport::new(specs::all());
    let text = serde_json::to_string(&doc).unwrap();
    let read = parse("export.json", &text).unwrap();
    assert_eq!(read.len(), specs::all().len());
    // The parts the diff rules read are in the specs, so this reads them back too: a plain
    // call's parameter struct, an output field's domain, a maybe_out field, an interface version
    // from a later implementation version on.
    assert!(read.iter().any(|a| !a.params.is_empty()), "no `params`");
    let fields = || read.iter().flat_map(|a| &a.structs).flat_map(|s| &s.fields);
    assert!(fields().any(|f| f.domain.is_some()), "no field `domain`");
    assert!(
        fields().any(|f| f.dir == abi_spec::FieldDir::MaybeOut),
        "no maybe_out field"
    );
    assert!(
        read.iter()
            .flat_map(|a| &a.families)
            .any(|f| !f.fixed_since.is_empty()),
        "no `fixed_since`"
    );
    // Nothing is lost: written back, the model read is the export of the specs, field for field.
    let written = serde_json::to_value(export::Export {
        format_version: FORMAT_VERSION,
        abis: read.clone(),
    })
    .unwrap();
    assert_eq!(written, serde_json::to_value(&doc).unwrap());
    // And every register role after every call is the model's.
    for (r, s) in read.iter().zip(specs::all()) {
        for (rc, sc) in r.calls.iter().zip(s.calls) {
            for reg in s.arch.regs() {
                assert_eq!(
                    r.role_after(rc, reg),
                    s.role_after(sc, reg),
                    "{}::{} {reg}",
                    s.id,
                    sc.name
                );
            }
        }
    }
    assert!(diff(&read, &read).is_empty());
}

// Breaking classes, one test each.

#[test]
fn call_number_changed() {
    let c = only(
        |v| call(v, "xen-arm64", "console_io")["number"] = json!([19]),
        "call_number_changed",
        Breaking,
    );
    assert_eq!(c.call.as_deref(), Some("console_io"));
    assert!(c.message.contains("0x12 to 0x13"), "{}", c.message);
}

#[test]
fn call_removed() {
    only(
        |v| {
            abi(v, "kvm-x86_64")["calls"]
                .as_array_mut()
                .unwrap()
                .retain(|c| c["name"] != "sched_yield")
        },
        "call_removed",
        Breaking,
    );
}

#[test]
fn abi_removed() {
    only(
        |v| {
            v["abis"]
                .as_array_mut()
                .unwrap()
                .retain(|a| a["id"] != "kvm-x86_64")
        },
        "abi_removed",
        Breaking,
    );
}

#[test]
fn trap_changed() {
    let c = only(
        |v| abi(v, "xen-arm64")["trap"] = json!({"kind": "hvc", "immediate": 0}),
        "trap_changed",
        Breaking,
    );
    assert!(
        c.message.contains("`hvc #0xea1` to `hvc #0x0`"),
        "{}",
        c.message
    );
    only(
        |v| abi(v, "kvm-x86_64")["trap"] = json!({"kind": "vmmcall"}),
        "trap_changed",
        Breaking,
    );
}

#[test]
fn number_register_changed() {
    let cs = changes(|v| abi(v, "xen-arm64")["numbers"][0]["reg"] = json!("x17"));
    assert_eq!(cs[0].kind, "number_register_changed");
    assert_eq!(cs[0].class, Breaking);
    // x16 is no longer the number register, so no longer clobbered: also reported, compatible.
    assert!(cs
        .iter()
        .any(|c| c.kind == "register_role_strengthened" && c.message.contains("`x16`")));
}

#[test]
fn a_preserved_register_clobbered_by_one_call() {
    let c = only(
        |v| {
            call(v, "kvm-x86_64", "vapic_poll_irq")["rules"] =
                json!([{"set": {"reg": "r8"}, "role": "clobbered"}])
        },
        "register_role_weakened",
        Breaking,
    );
    assert_eq!(c.call.as_deref(), Some("vapic_poll_irq"));
    assert!(
        c.message
            .contains("`r8` after the call: preserved → may be clobbered"),
        "{}",
        c.message
    );
}

#[test]
fn an_abi_rule_weakening_every_call_reads_as_one_change() {
    let cs = changes(
        |v| abi(v, "kvm-x86_64")["rules"] = json!([{"set": {"reg": "r9"}, "role": "zero_or_preserved"}, {"set": "others", "role": "preserved"}]),
    );
    assert_eq!(kinds(&cs), vec![("register_role_weakened", Breaking)]);
    assert!(cs[0].message.contains("(every call)"), "{}", cs[0].message);
    assert!(cs[0].message.contains("preserved → zero or preserved"));
    // Clobbered → zero-or-preserved is weaker too... the other way round is compatible.
    let cs = changes(|v| {
        abi(v, "xen-arm64")["rules"] = json!([
            {"set": "number", "role": "zero_or_preserved"},
            {"set": "used_args", "role": "clobbered"},
            {"set": "others", "role": "preserved"}
        ])
    });
    assert_eq!(kinds(&cs), vec![("register_role_strengthened", Compatible)]);
}

#[test]
fn argument_register_moved() {
    only(
        |v| call(v, "xen-arm64", "console_io")["args"][2]["reg"] = json!("x3"),
        "argument_register_moved",
        Breaking,
    );
}

#[test]
fn result_register_moved() {
    let cs = changes(|v| call(v, "kvm-x86_64", "kick_cpu")["results"][0]["reg"] = json!("rdx"));
    assert_eq!(cs[0].kind, "result_register_moved");
    assert_eq!(cs[0].class, Breaking);
    // rdx was preserved for kick_cpu (2 arguments: rbx, rcx) and now holds the result: the role
    // change is the same fact and is not reported twice, but rax is now preserved: compatible.
    assert!(
        cs.iter().all(|c| c.kind != "register_role_weakened"),
        "{cs:#?}"
    );
}

#[test]
fn argument_count_changed() {
    let cs = changes(|v| {
        call(v, "xen-arm64", "console_io")["args"]
            .as_array_mut()
            .unwrap()
            .pop();
    });
    assert_eq!(cs[0].kind, "argument_count_changed");
    assert_eq!(cs[0].class, Breaking);
}

#[test]
fn result_domain_narrowed_or_widened() {
    let c = only(
        |v| {
            call(v, "xen-arm64", "console_io")["results"][0]["domain"] =
                json!({"kind": "range", "min": 0, "max": 0})
        },
        "result_domain_changed",
        Breaking,
    );
    assert!(c.message.contains("narrowed: ≥ 0 → 0"), "{}", c.message);
    let c = only(
        |v| call(v, "kvm-x86_64", "kick_cpu")["results"][0]["domain"] = json!({"kind": "any"}),
        "result_domain_changed",
        Breaking,
    );
    assert!(c.message.contains("widened"), "{}", c.message);
}

#[test]
fn argument_domain_narrowed_is_breaking_and_widened_is_compatible() {
    only(
        |v| {
            call(v, "xen-arm64", "vm_assist")["args"][1]["domain"] =
                json!({"kind": "range", "min": 0, "max": 15})
        },
        "argument_domain_narrowed",
        Breaking,
    );
    only(
        |v| {
            call(v, "xen-arm64", "vm_assist")["args"][1]["domain"] =
                json!({"kind": "range", "min": 0, "max": 63})
        },
        "argument_domain_widened",
        Compatible,
    );
    // must-be-zero to any value: wider. A pointer that may now be null: wider.
    only(
        |v| call(v, "kvm-x86_64", "kick_cpu")["args"][0]["domain"] = json!({"kind": "any"}),
        "argument_domain_widened",
        Compatible,
    );
    only(
        |v| {
            call(v, "xen-arm64", "console_io")["args"][2]["domain"] =
                json!({"kind": "pointer", "align": 1, "nullable": true})
        },
        "argument_domain_widened",
        Compatible,
    );
    // An enumerator dropped: narrower.
    only(
        |v| {
            call(v, "xen-arm64", "console_io")["args"][0]["domain"]["values"]
                .as_array_mut()
                .unwrap()
                .pop();
        },
        "argument_domain_narrowed",
        Breaking,
    );
}

#[test]
fn error_value_changed() {
    let cs = changes(|v| {
        let a = abi(v, "kvm-x86_64");
        a["errors"][0]["value"] = json!(-2);
        for c in a["calls"].as_array_mut().unwrap() {
            for e in c["errors"].as_array_mut().unwrap() {
                if e["name"] == "KVM_EPERM" {
                    e["value"] = json!(-2);
                }
            }
        }
    });
    assert!(!cs.is_empty());
    assert!(cs
        .iter()
        .all(|c| c.kind == "error_value_changed" && c.class == Breaking));
}

#[test]
fn unknown_number_outcome_changed() {
    let c = only(
        |v| abi(v, "kvm-x86_64")["unknown"] = json!({"exception": "invalid opcode"}),
        "unknown_outcome_changed",
        Breaking,
    );
    assert!(
        c.message.contains("raises a invalid opcode exception")
            || c.message.contains("invalid opcode")
    );
    only(
        |v| abi(v, "kvm-x86_64")["unknown"] = json!(null),
        "unknown_outcome_changed",
        Breaking,
    );
}

#[test]
fn narrow_convention_changed() {
    only(
        |v| {
            abi(v, "kvm-x86_64")["narrow"] =
                json!({"bits": 32, "input_upper": "ignored", "output_upper": "undefined"})
        },
        "narrow_changed",
        Breaking,
    );
    only(
        |v| {
            call(v, "kvm-x86_64", "kick_cpu")["narrow"] =
                json!({"bits": 32, "input_upper": "must_be_zero", "output_upper": "zero"})
        },
        "call_narrow_changed",
        Breaking,
    );
}

#[test]
fn arch_changed() {
    // x86 has no r10 etc.: use a register set that exists there.
    let cs = changes(|v| {
        let a = abi(v, "kvm-x86_64");
        a["arch"] = json!("x86");
        a["numbers"][0]["reg"] = json!("eax");
        a["args"] = json!(["ebx", "ecx", "edx", "esi"]);
        a["results"] = json!(["eax"]);
        for c in a["calls"].as_array_mut().unwrap() {
            for p in c["args"].as_array_mut().unwrap() {
                let r = p["reg"].as_str().unwrap().replacen('r', "e", 1);
                p["reg"] = json!(r);
            }
            for p in c["results"].as_array_mut().unwrap() {
                p["reg"] = json!("eax");
            }
        }
    });
    assert_eq!(kinds(&cs), vec![("arch_changed", Breaking)]);
}

#[test]
fn presence_status_effect_smccc_and_stable() {
    only(
        |v| call(v, "xen-arm64", "console_io")["presence"] = json!("optional"),
        "presence_weakened",
        Breaking,
    );
    only(
        |v| call(v, "kvm-x86_64", "kick_cpu")["presence"] = json!("mandatory"),
        "presence_strengthened",
        Compatible,
    );
    only(
        |v| call(v, "xen-arm64", "console_io")["status"] = json!("deprecated"),
        "status_changed",
        Compatible,
    );
    only(
        |v| call(v, "xen-arm64", "console_io")["status"] = json!("removed"),
        "status_withdrawn",
        Breaking,
    );
    only(
        |v| call(v, "xen-arm64", "console_io")["effect"] = json!("disruptive"),
        "effect_worsened",
        Breaking,
    );
    only(
        |v| call(v, "xen-arm64", "memory_op")["effect"] = json!("query"),
        "effect_relaxed",
        Compatible,
    );
    only(
        |v| {
            call(v, "xen-arm64", "xen_version")["smccc"] =
                json!({"fast": true, "smc64": false, "owner": 6})
        },
        "smccc_added",
        Compatible,
    );
    let mut with = base();
    call(&mut with, "xen-arm64", "xen_version")["smccc"] =
        json!({"fast": true, "smc64": false, "owner": 6});
    call(&mut with, "xen-arm64", "xen_version")["stable"] = json!(true);
    let mut changed = with.clone();
    call(&mut changed, "xen-arm64", "xen_version")["smccc"]["smc64"] = json!(true);
    call(&mut changed, "xen-arm64", "xen_version")["stable"] = json!(false);
    let cs = diff(&abis(&with), &abis(&changed));
    assert_eq!(
        kinds(&cs),
        vec![("smccc_changed", Breaking), ("stable_dropped", Breaking)]
    );
}

#[test]
fn argument_and_result_registers_of_the_abi() {
    only(
        |v| abi(v, "kvm-x86_64")["args"] = json!(["rbx", "rcx", "rdx", "rsi", "rdi"]),
        "argument_registers_extended",
        Compatible,
    );
    let cs = changes(|v| abi(v, "kvm-x86_64")["args"] = json!(["rcx", "rbx", "rdx", "rsi"]));
    assert_eq!(kinds(&cs), vec![("argument_registers_changed", Breaking)]);
}

// Compatible changes.

#[test]
fn compatible_changes_are_not_breaking() {
    let cs = changes(|v| {
        let a = abi(v, "xen-arm64");
        a["doc"] = json!("new words");
        a["sources"]
            .as_array_mut()
            .unwrap()
            .push(json!("another source"));
        let mut new_call = a["calls"][0].clone();
        new_call["name"] = json!("brand_new");
        new_call["number"] = json!([99]);
        a["calls"].as_array_mut().unwrap().push(new_call);
        let c = call(v, "xen-arm64", "console_io");
        c["errors"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "EAGAIN", "value": -11}));
        c["doc"] = json!("changed doc");
        let mut copy = abi(v, "kvm-x86_64").clone();
        copy["id"] = json!("kvm-x86_64-next");
        v["abis"].as_array_mut().unwrap().push(copy);
        abi(v, "xen-arm64")["errors"]
            .as_array_mut()
            .unwrap()
            .push(json!({"name": "ENOTSUP", "value": -1000}));
    });
    let mut k = kinds(&cs);
    k.sort();
    assert_eq!(
        k,
        vec![
            ("abi_added", Compatible),
            ("abi_doc_changed", NeedsReview),
            ("call_added", Compatible),
            ("call_doc_changed", NeedsReview),
            ("call_error_added", Compatible),
            ("error_added", Compatible),
        ],
        "{cs:#?}"
    );
    let text = render_text("old.json", "new.json", &cs);
    assert!(
        text.contains("0 breaking, 2 needing review, 4 compatible"),
        "{text}"
    );
    assert_eq!(exit_code(&cs), 5, "doc changes need review");
    assert!(
        text.contains("\nkvm-x86_64-next\n  compatible  new ABI"),
        "{text}"
    );
}

#[test]
fn a_rename_keeps_the_number_and_is_compared_as_the_same_call() {
    let cs = changes(|v| {
        let c = call(v, "kvm-x86_64", "send_ipi");
        c["name"] = json!("send_ipi_v2");
        c["args"][0]["reg"] = json!("rsi");
        c["args"][3]["reg"] = json!("rbx");
    });
    assert_eq!(
        kinds(&cs),
        vec![
            ("argument_register_moved", Breaking),
            ("argument_register_moved", Breaking),
            ("call_renamed", NeedsReview),
        ]
    );
    assert_eq!(cs[2].call.as_deref(), Some("send_ipi_v2"));
}

#[test]
fn breaking_changes_come_first_and_json_counts_them() {
    let cs = changes(|v| {
        call(v, "xen-arm64", "console_io")["doc"] = json!("x");
        call(v, "xen-arm64", "memory_op")["number"] = json!([13000]);
    });
    assert_eq!(cs[0].class, Breaking);
    let j: Value = serde_json::from_str(&render_json("a", "b", &cs)).unwrap();
    assert_eq!(j["format_version"], FORMAT_VERSION);
    assert_eq!(j["breaking"], 1);
    assert_eq!(j["needs_review"], 1);
    assert_eq!(j["compatible"], 0);
    assert_eq!(j["exit_status"], 1);
    assert_eq!(j["changes"][0]["rule"], "call_number_changed");
    assert_eq!(j["changes"][0]["level"], "breaking");
    assert_eq!(j["changes"][0]["spec"], "docs/abi/xen-arm64.md#memory_op");
    assert_eq!(j["changes"][1]["level"], "needs_review");
}

// Malformed files: the file, the place and the problem.

#[test]
fn syntax_errors_name_line_and_column() {
    let e = parse("f.json", "{\n  \"format_version\": 1,\n  \"abis\": [\n}").unwrap_err();
    assert!(
        matches!(e.place, Some(crate::files::Place::Text { line: 4, .. })),
        "{e}"
    );
    assert!(e.to_string().starts_with("f.json:4:"), "{e}");
}

#[test]
fn unknown_versions_are_refused_by_name() {
    let e = parse(
        "f.json",
        r#"{"format_version": 2, "abis": [], "future": true}"#,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "f.json: spec export format_version 2 is not supported (this hyperabi reads \
         format_version 1)"
    );
    let e = parse("f.json", r#"{"abis": []}"#).unwrap_err();
    assert_eq!(
        e.to_string(),
        "f.json: not a hyperabi spec export: no `format_version` field"
    );
}

#[test]
fn unknown_fields_and_wrong_types_name_line_and_column() {
    let mut v = base();
    call(&mut v, "xen-arm64", "console_io")["nmuber"] = json!(1);
    let text = serde_json::to_string_pretty(&v).unwrap();
    let e = parse("f.json", &text).unwrap_err();
    assert!(e.problem.contains("unknown field `nmuber`"), "{e}");
    let line = text.lines().position(|l| l.contains("nmuber")).unwrap() + 1;
    assert!(
        matches!(e.place, Some(crate::files::Place::Text { line: l, .. }) if l == line),
        "{e}"
    );

    let mut v = base();
    call(&mut v, "xen-arm64", "console_io")["number"] = json!("eighteen");
    let e = parse("f.json", &serde_json::to_string_pretty(&v).unwrap()).unwrap_err();
    assert!(e.problem.contains("invalid type"), "{e}");
}

#[test]
fn meaning_errors_name_the_path() {
    let mut v = base();
    call(&mut v, "xen-arm64", "console_io")["args"][1]["reg"] = json!("x99");
    let e = parse("f.json", &v.to_string()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "f.json: at abis[0] (`xen-arm64`).calls[4] (`console_io`).args[1].reg: `x99` is not a register of aarch64"
    );
    let mut v = base();
    abi(&mut v, "kvm-x86_64")["trap"] = json!({"kind": "hvc", "immediate": 0});
    let e = parse("f.json", &v.to_string()).unwrap_err();
    assert!(
        e.to_string()
            .contains("trap `hvc` does not exist on x86_64"),
        "{e}"
    );
    let mut v = base();
    let dup = v["abis"][0].clone();
    v["abis"].as_array_mut().unwrap().push(dup);
    let e = parse("f.json", &v.to_string()).unwrap_err();
    assert!(e.problem.contains("appears twice"), "{e}");
}

#[test]
fn subset_of_domains() {
    let r = |min: i128, max: i128| Domain::Range { min, max };
    assert!(subset(&r(1, 5), &r(0, 10), 64));
    assert!(!subset(&r(0, 10), &r(1, 5), 64));
    assert!(subset(&Domain::MustBeZero, &r(0, 10), 64));
    assert!(subset(&Domain::MustBeZero, &Domain::Bits { mask: 0xf }, 64));
    assert!(subset(
        &Domain::Bits { mask: 0x3 },
        &Domain::Bits { mask: 0xf },
        64
    ));
    assert!(!subset(
        &Domain::Bits { mask: 0x1f },
        &Domain::Bits { mask: 0xf },
        64
    ));
    assert!(subset(&Domain::Any, &r(0, u32::MAX as i128), 32));
    assert!(!subset(&Domain::Any, &r(0, u32::MAX as i128), 64));
    let p = |align, nullable| Domain::Pointer { align, nullable };
    assert!(subset(&p(8, false), &p(4, true), 64));
    assert!(!subset(&p(4, false), &p(8, false), 64));
    assert!(!subset(&p(8, true), &p(8, false), 64));
}

/// The fixture with a sub-operation family on xen-arm64's `memory_op` and a struct.
fn with_subops(v: &mut Value) {
    let a = abi(v, "xen-arm64");
    a["families"] = json!([{
        "call": "memory_op", "selector": 0, "unknown": null, "fault": null,
        "fixed": [["interface_version", 0x15]],
        "fixed_since": [["Xen 4.18", "interface_version", 0x16]],
        "subops": [
            {"name": "XENMEM_maximum_ram_page", "number": 2, "presence": "mandatory", "effect": "query",
             "param": null, "args": [], "errors": [], "source": "", "doc": ""},
            {"name": "XENMEM_current_reservation", "number": 3, "presence": "mandatory", "effect": "query",
             "param": "xen_memory_domain", "args": [], "errors": [], "source": "", "doc": ""}
        ]
    }]);
    a["structs"] = json!([{
        "name": "gnttab_get_version", "layout": "aapcs64", "size": 8, "align": 4, "source": "", "doc": "",
        "fields": [
            {"name": "dom", "type": "u16", "count": 1, "dir": "in", "offset": 0, "size": 2, "align": 2},
            {"name": "pad", "type": "u16", "count": 1, "dir": "reserved", "offset": 2, "size": 2, "align": 2},
            {"name": "version", "type": "u32", "count": 1, "dir": "out", "domain": {"min": 1, "max": 2},
             "offset": 4, "size": 4, "align": 4}
        ]
    }]);
    a["params"] = json!([{
        "call": "console_io", "param": "gnttab_get_version", "pointer": 2, "high": null,
        "args": [[1, 8]], "fault": null
    }]);
}

/// Exactly one change between the sub-operation fixture and `edit` of it.
fn only_sub(edit: impl FnOnce(&mut Value), kind: &str, class: Class) {
    let mut old = base();
    with_subops(&mut old);
    let mut new = old.clone();
    edit(&mut new);
    let cs = diff(&abis(&old), &abis(&new));
    assert_eq!(kinds(&cs), vec![(kind, class)], "{cs:#?}");
}

/// Exactly one change from `old_edit` of the sub-operation fixture to `new_edit` of it.
fn only_sub_between(
    old_edit: impl FnOnce(&mut Value),
    new_edit: impl FnOnce(&mut Value),
    kind: &str,
    class: Class,
) -> Change {
    let mut old = base();
    with_subops(&mut old);
    old_edit(&mut old);
    let mut new = old.clone();
    new_edit(&mut new);
    let cs = diff(&abis(&old), &abis(&new));
    assert_eq!(kinds(&cs), vec![(kind, class)], "{cs:#?}");
    cs.into_iter().next().unwrap()
}

/// Exactly one change from the sub-operation fixture to `edit` of it, returned.
fn one_sub(edit: impl FnOnce(&mut Value), kind: &str, class: Class) -> Change {
    only_sub_between(|_| {}, edit, kind, class)
}

fn family(v: &mut Value) -> &mut Value {
    &mut abi(v, "xen-arm64")["families"][0]
}

fn call_param(v: &mut Value) -> &mut Value {
    &mut abi(v, "xen-arm64")["params"][0]
}

fn subop(v: &mut Value, i: usize) -> &mut Value {
    &mut abi(v, "xen-arm64")["families"][0]["subops"][i]
}

fn field(v: &mut Value, i: usize) -> &mut Value {
    &mut abi(v, "xen-arm64")["structs"][0]["fields"][i]
}

#[test]
fn sub_operations_are_classified_like_calls() {
    only_sub(
        |v| {
            abi(v, "xen-arm64")["families"][0]["subops"]
                .as_array_mut()
                .unwrap()
                .remove(0);
        },
        "subop_removed",
        Breaking,
    );
    only_sub(
        |v| {
            let s = subop(v, 0).clone();
            let mut s2 = s;
            s2["name"] = json!("XENMEM_maximum_gpfn");
            s2["number"] = json!(14);
            abi(v, "xen-arm64")["families"][0]["subops"]
                .as_array_mut()
                .unwrap()
                .push(s2);
        },
        "subop_added",
        Compatible,
    );
    only_sub(
        |v| subop(v, 0)["number"] = json!(20),
        "subop_number_changed",
        Breaking,
    );
    only_sub(
        |v| subop(v, 0)["effect"] = json!("disruptive"),
        "subop_effect_worsened",
        Breaking,
    );
    only_sub(
        |v| subop(v, 0)["effect"] = json!("stateful"),
        "subop_effect_worsened",
        Breaking,
    );
    let mut old = base();
    with_subops(&mut old);
    subop(&mut old, 0)["effect"] = json!("disruptive");
    let mut new = old.clone();
    subop(&mut new, 0)["effect"] = json!("query");
    assert_eq!(
        kinds(&diff(&abis(&old), &abis(&new))),
        vec![("subop_effect_relaxed", Compatible)]
    );
    only_sub(
        |v| subop(v, 1)["param"] = json!("xen_memory_reservation"),
        "subop_param_changed",
        Breaking,
    );
}

#[test]
fn struct_changes_are_breaking_unless_they_fill_reserved_bytes() {
    only_sub(
        |v| abi(v, "xen-arm64")["structs"] = json!([]),
        "struct_removed",
        Breaking,
    );
    only_sub(
        |v| {
            let mut s = abi(v, "xen-arm64")["structs"][0].clone();
            s["name"] = json!("other");
            abi(v, "xen-arm64")["structs"]
                .as_array_mut()
                .unwrap()
                .push(s);
        },
        "struct_added",
        Compatible,
    );
    only_sub(
        |v| abi(v, "xen-arm64")["structs"][0]["size"] = json!(12),
        "struct_size_changed",
        Breaking,
    );
    // A field moved (the deliberately wrong layout of the real-Xen test).
    only_sub(
        |v| field(v, 2)["offset"] = json!(8),
        "struct_field_moved",
        Breaking,
    );
    only_sub(
        |v| field(v, 2)["size"] = json!(2),
        "struct_field_moved",
        Breaking,
    );
    only_sub(
        |v| {
            abi(v, "xen-arm64")["structs"][0]["fields"]
                .as_array_mut()
                .unwrap()
                .remove(2);
        },
        "struct_field_removed",
        Breaking,
    );
    only_sub(
        |v| field(v, 0)["dir"] = json!("in_out"),
        "struct_field_direction_changed",
        Breaking,
    );
    // A new field over the reserved `pad`: compatible.
    only_sub(
        |v| {
            *field(v, 1) = json!({"name": "flags", "type": "u16", "count": 1, "dir": "in",
                                  "offset": 2, "size": 2, "align": 2});
        },
        "struct_field_added_in_reserved",
        Compatible,
    );
    // A new field over `version`'s bytes: breaking.
    only_sub(
        |v| {
            abi(v, "xen-arm64")["structs"][0]["fields"]
                .as_array_mut()
                .unwrap()
                .push(
                    json!({"name": "extra", "type": "u16", "count": 1, "dir": "in",
                             "offset": 6, "size": 2, "align": 2}),
                );
        },
        "struct_field_inserted",
        Breaking,
    );
}

/// `out` and `maybe_out` differ in what a caller may rely on only: the hypervisor writes the
/// field in every successful answer, or in some. Any other direction change is another side
/// writing the field.
#[test]
fn out_to_maybe_out_weakens_and_maybe_out_to_out_strengthens() {
    let c = one_sub(
        |v| field(v, 2)["dir"] = json!("maybe_out"),
        "struct_field_output_weakened",
        Breaking,
    );
    assert!(c.message.contains("is maybe_out, was out"), "{}", c.message);
    assert_eq!(c.spec, "docs/abi/xen-arm64.md#parameter-structs");
    only_sub_between(
        |v| field(v, 2)["dir"] = json!("maybe_out"),
        |v| field(v, 2)["dir"] = json!("out"),
        "struct_field_output_strengthened",
        Compatible,
    );
    // Who writes it changes: still a direction change, whichever way.
    only_sub(
        |v| field(v, 0)["dir"] = json!("maybe_out"),
        "struct_field_direction_changed",
        Breaking,
    );
    only_sub_between(
        |v| field(v, 2)["dir"] = json!("maybe_out"),
        |v| field(v, 2)["dir"] = json!("in_out"),
        "struct_field_direction_changed",
        Breaking,
    );
}

/// An output field's values, read as a result's (`result_domain_changed`): any change of the
/// values breaks, a new promise is compatible, a dropped one breaks.
#[test]
fn output_field_domains_are_classified_like_result_domains() {
    let c = one_sub(
        |v| field(v, 2)["domain"] = json!({"min": 0, "max": 3}),
        "struct_field_domain_widened",
        Breaking,
    );
    assert!(
        c.message.contains("widened: 1..=2 → 0..=3"),
        "{}",
        c.message
    );
    // Partly outside the old values: the hypervisor may write values callers do not expect.
    let c = one_sub(
        |v| field(v, 2)["domain"] = json!({"min": 2, "max": 5}),
        "struct_field_domain_widened",
        Breaking,
    );
    assert!(
        c.message.contains("changed: 1..=2 → 2..=5"),
        "{}",
        c.message
    );
    let c = one_sub(
        |v| field(v, 2)["domain"] = json!({"min": 2, "max": 2}),
        "struct_field_domain_narrowed",
        Breaking,
    );
    assert!(c.message.contains("narrowed: 1..=2 → 2"), "{}", c.message);
    let c = one_sub(
        |v| {
            field(v, 2).as_object_mut().unwrap().remove("domain");
        },
        "struct_field_domain_removed",
        Breaking,
    );
    assert!(
        c.message.contains("no longer specified (was 1..=2)"),
        "{}",
        c.message
    );
    let c = only_sub_between(
        |v| {
            field(v, 2).as_object_mut().unwrap().remove("domain");
        },
        |v| field(v, 2)["domain"] = json!({"min": 1, "max": 2}),
        "struct_field_domain_added",
        Compatible,
    );
    assert!(
        c.message.contains("holds 1..=2 after the call"),
        "{}",
        c.message
    );
    // Same as a result: an equal domain is no change, whatever else the field does.
    only_sub(
        |v| field(v, 2)["dir"] = json!("in_out"),
        "struct_field_direction_changed",
        Breaking,
    );
}

/// A guest sends the fixed values of the spec it was built against; a new or changed one is
/// refused (Xen's -EACCES for an interface version it does not have).
#[test]
fn fixed_values_and_new_interface_versions_break() {
    let c = one_sub(
        |v| family(v)["fixed"][0][1] = json!(0x17),
        "fixed_value_changed",
        Breaking,
    );
    assert!(
        c.message.contains("must be 0x17, was 0x15"),
        "{}",
        c.message
    );
    assert_eq!(c.call.as_deref(), Some("memory_op"));
    assert_eq!(c.spec, "docs/abi/xen-arm64.md#sub-operations");
    one_sub(
        |v| {
            family(v)["fixed"]
                .as_array_mut()
                .unwrap()
                .push(json!(["cmd_version", 1]));
        },
        "fixed_field_added",
        Breaking,
    );
    let c = one_sub(
        |v| family(v)["fixed"] = json!([]),
        "fixed_field_removed",
        Compatible,
    );
    assert!(
        c.message.contains("no longer has to be 0x15"),
        "{}",
        c.message
    );
    let c = one_sub(
        |v| {
            family(v)["fixed_since"]
                .as_array_mut()
                .unwrap()
                .push(json!(["Xen 4.19", "interface_version", 0x17]));
        },
        "fixed_since_added",
        Breaking,
    );
    assert!(
        c.message.contains("must be 0x17 from Xen 4.19 on"),
        "{}",
        c.message
    );
    one_sub(
        |v| family(v)["fixed_since"][0][2] = json!(0x18),
        "fixed_since_changed",
        Breaking,
    );
    one_sub(
        |v| family(v)["fixed_since"] = json!([]),
        "fixed_since_removed",
        Breaking,
    );
    // Another version for the same value: that version's requirement dropped, another added.
    let cs = {
        let mut old = base();
        with_subops(&mut old);
        let mut new = old.clone();
        family(&mut new)["fixed_since"][0][0] = json!("Xen 4.19");
        diff(&abis(&old), &abis(&new))
    };
    assert_eq!(
        kinds(&cs),
        vec![
            ("fixed_since_removed", Breaking),
            ("fixed_since_added", Breaking)
        ]
    );
}

/// A plain call's parameter struct, as a sub-operation's (`subop_param_changed`).
#[test]
fn call_param_changes_are_classified_like_sub_operation_params() {
    let c = one_sub(
        |v| call_param(v)["param"] = json!("xen_memory_reservation"),
        "call_param_changed",
        Breaking,
    );
    assert!(
        c.message
            .contains("takes `xen_memory_reservation` instead of `gnttab_get_version`"),
        "{}",
        c.message
    );
    assert_eq!(
        c.spec,
        "docs/abi/xen-arm64.md#calls-with-a-parameter-struct"
    );
    let c = one_sub(
        |v| abi(v, "xen-arm64")["params"] = json!([]),
        "call_param_changed",
        Breaking,
    );
    assert!(
        c.message.contains("takes no struct instead of"),
        "{}",
        c.message
    );
    only_sub_between(
        |v| abi(v, "xen-arm64")["params"] = json!([]),
        with_subops,
        "call_param_changed",
        Breaking,
    );
    let c = one_sub(
        |v| call_param(v)["pointer"] = json!(1),
        "call_param_pointer_moved",
        Breaking,
    );
    assert!(
        c.message.contains("address is in `count`, was in `buffer`"),
        "{}",
        c.message
    );
    one_sub(
        |v| call_param(v)["high"] = json!(1),
        "call_param_pointer_moved",
        Breaking,
    );
    // A renamed call keeps its struct: only the rename is reported.
    one_sub(
        |v| {
            call(v, "xen-arm64", "console_io")["name"] = json!("console");
            call_param(v)["call"] = json!("console");
        },
        "call_renamed",
        NeedsReview,
    );
}
