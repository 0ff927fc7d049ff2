//! The catalogue of `hyperabi diff` rules, in the manner of cargo-semver-checks' lints: every
//! finding is one rule, with a stable id (the JSON `rule` field, what an allow file names), a
//! level, and the section of the reference page (`docs/abi/<abi>.md`) it is about. The README's
//! "ABI diff rules" table lists the same catalogue (a test keeps them in step).

use serde::Serialize;

/// How a change affects a guest built against the old spec.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "kebab-case")]
pub enum Level {
    /// Such a guest may misbehave: exit status 1.
    Breaking,
    /// Not breaking by the rules, but a person should read it (a documentation change may
    /// change the meaning; a rename is recognised by number only): exit status 5 when no
    /// change breaks.
    NeedsReview,
    /// Such a guest keeps working: exit status 4 when this is all.
    Compatible,
}

impl Level {
    /// `breaking`, `needs-review`, `compatible`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where on an ABI's reference page a rule's finding is documented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// The page itself (an ABI added or removed).
    Page,
    /// A heading of the page, by its anchor (`transfer-instruction`).
    Heading(&'static str),
    /// The call's own heading (its name is the anchor), or `Calls` for a finding on several.
    Call,
}

/// One rule of the catalogue.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    /// The stable id.
    pub id: &'static str,
    /// Its level.
    pub level: Level,
    /// Where the reference page documents what it compares.
    pub section: Section,
    /// What it finds, in a line.
    pub summary: &'static str,
}

use Level::*;
use Section::*;

const fn rule(id: &'static str, level: Level, section: Section, summary: &'static str) -> Rule {
    Rule {
        id,
        level,
        section,
        summary,
    }
}

/// Every rule, in the order the README lists them.
pub const RULES: &[Rule] = &[
    rule("abi_removed", Breaking, Page, "an ABI is gone"),
    rule("abi_added", Compatible, Page, "a new ABI"),
    rule(
        "abi_doc_changed",
        NeedsReview,
        Page,
        "the ABI's title, doc, sources or revision changed",
    ),
    rule("arch_changed", Breaking, Page, "the ABI is for another arch"),
    rule(
        "trap_changed",
        Breaking,
        Heading("transfer-instruction"),
        "another transfer instruction",
    ),
    rule(
        "number_register_changed",
        Breaking,
        Heading("transfer-instruction"),
        "the call number travels in another register",
    ),
    rule(
        "number_register_renamed",
        Compatible,
        Heading("transfer-instruction"),
        "the number register's name changed, not the register",
    ),
    rule(
        "argument_registers_extended",
        Compatible,
        Heading("registers"),
        "more argument registers, the old ones in place",
    ),
    rule(
        "argument_registers_changed",
        Breaking,
        Heading("registers"),
        "the argument registers changed",
    ),
    rule(
        "result_registers_extended",
        Compatible,
        Heading("registers"),
        "more result registers, the old ones in place",
    ),
    rule(
        "result_registers_changed",
        Breaking,
        Heading("registers"),
        "the result registers changed",
    ),
    rule(
        "register_role_weakened",
        Breaking,
        Heading("registers"),
        "a register a caller could rely on after a call no longer holds (e.g. preserved → clobbered)",
    ),
    rule(
        "register_role_strengthened",
        Compatible,
        Heading("registers"),
        "a register is kept better after a call",
    ),
    rule(
        "narrow_changed",
        Breaking,
        Heading("narrow-32-bit-conventions"),
        "the 32-bit convention (ignored or undefined upper bits) changed",
    ),
    rule(
        "error_added",
        Compatible,
        Heading("error-codes"),
        "a new error code",
    ),
    rule(
        "error_removed",
        Compatible,
        Heading("error-codes"),
        "an error code is no longer documented (a caller just never sees it)",
    ),
    rule(
        "error_value_changed",
        Breaking,
        Heading("error-codes"),
        "an error code has another value",
    ),
    rule(
        "unknown_outcome_added",
        Compatible,
        Heading("unknown-call-numbers"),
        "the outcome of an unknown number is now specified",
    ),
    rule(
        "unknown_outcome_changed",
        Breaking,
        Heading("unknown-call-numbers"),
        "an unknown number has another outcome",
    ),
    rule("call_removed", Breaking, Heading("calls"), "a call is gone"),
    rule("call_added", Compatible, Heading("calls"), "a new call"),
    rule(
        "call_renamed",
        NeedsReview,
        Call,
        "a call has a new name (matched by its number: check it is the same call)",
    ),
    rule(
        "call_number_changed",
        Breaking,
        Call,
        "a call has another number",
    ),
    rule(
        "call_doc_changed",
        NeedsReview,
        Call,
        "a call's doc or sources changed",
    ),
    rule(
        "call_error_added",
        Compatible,
        Call,
        "a call may return a new error code",
    ),
    rule(
        "call_error_removed",
        Compatible,
        Call,
        "a call no longer documents an error code",
    ),
    rule(
        "call_narrow_changed",
        Breaking,
        Call,
        "a call's 32-bit convention changed",
    ),
    rule(
        "presence_weakened",
        Breaking,
        Call,
        "a call is less surely there (e.g. mandatory → discoverable)",
    ),
    rule(
        "presence_strengthened",
        Compatible,
        Call,
        "a call is more surely there",
    ),
    rule(
        "status_withdrawn",
        Breaking,
        Call,
        "a call became obsolete or removed",
    ),
    rule(
        "status_changed",
        Compatible,
        Call,
        "a call's status changed otherwise (e.g. new → stable)",
    ),
    rule(
        "effect_worsened",
        Breaking,
        Call,
        "a call does more to the caller (e.g. query → disruptive)",
    ),
    rule(
        "effect_relaxed",
        Compatible,
        Call,
        "a call does less to the caller",
    ),
    rule(
        "smccc_added",
        Compatible,
        Call,
        "a call gained an SMCCC function ID",
    ),
    rule(
        "smccc_changed",
        Breaking,
        Call,
        "a call's SMCCC function ID changed",
    ),
    rule(
        "stable_added",
        Compatible,
        Call,
        "a call's results are now stable (a baseline records them)",
    ),
    rule(
        "stable_dropped",
        Breaking,
        Call,
        "a call's results are no longer stable",
    ),
    rule(
        "argument_count_changed",
        Breaking,
        Call,
        "a call takes another number of arguments",
    ),
    rule(
        "argument_register_moved",
        Breaking,
        Call,
        "an argument travels in another register",
    ),
    rule(
        "argument_renamed",
        Compatible,
        Call,
        "an argument has a new name",
    ),
    rule(
        "argument_domain_widened",
        Compatible,
        Call,
        "an argument accepts more values",
    ),
    rule(
        "argument_domain_narrowed",
        Breaking,
        Call,
        "an argument no longer accepts every value it did",
    ),
    rule(
        "result_count_changed",
        Breaking,
        Call,
        "a call returns another number of results",
    ),
    rule(
        "result_register_moved",
        Breaking,
        Call,
        "a result comes back in another register",
    ),
    rule("result_renamed", Compatible, Call, "a result has a new name"),
    rule(
        "result_domain_changed",
        Breaking,
        Call,
        "a result's values changed",
    ),
    rule(
        "subop_removed",
        Breaking,
        Heading("sub-operations"),
        "a sub-operation is gone",
    ),
    rule(
        "subop_added",
        Compatible,
        Heading("sub-operations"),
        "a new sub-operation",
    ),
    rule(
        "subop_number_changed",
        Breaking,
        Heading("sub-operations"),
        "a sub-operation has another selector value",
    ),
    rule(
        "subop_effect_worsened",
        Breaking,
        Heading("sub-operations"),
        "a sub-operation does more to the caller",
    ),
    rule(
        "subop_effect_relaxed",
        Compatible,
        Heading("sub-operations"),
        "a sub-operation does less to the caller",
    ),
    rule(
        "subop_param_changed",
        Breaking,
        Heading("sub-operations"),
        "a sub-operation takes another parameter struct",
    ),
    rule(
        "fixed_value_changed",
        Breaking,
        Heading("sub-operations"),
        "a fixed input field (an interface version) must hold another value: a guest sending the old one is refused",
    ),
    rule(
        "fixed_field_added",
        Breaking,
        Heading("sub-operations"),
        "an input field must now hold one value",
    ),
    rule(
        "fixed_field_removed",
        Compatible,
        Heading("sub-operations"),
        "an input field no longer has to hold one value",
    ),
    rule(
        "fixed_since_added",
        Breaking,
        Heading("sub-operations"),
        "from an implementation version on, a fixed field must hold another value (how Xen announces an incompatible interface: an old guest gets EACCES there)",
    ),
    rule(
        "fixed_since_changed",
        Breaking,
        Heading("sub-operations"),
        "the value a fixed field must hold from an implementation version on changed",
    ),
    rule(
        "fixed_since_removed",
        Breaking,
        Heading("sub-operations"),
        "a fixed field's value from an implementation version on is no longer specified (a guest sending it there may be refused)",
    ),
    rule(
        "call_param_changed",
        Breaking,
        Heading("calls-with-a-parameter-struct"),
        "a plain call takes another parameter struct, or gained or lost one (as `subop_param_changed`)",
    ),
    rule(
        "call_param_pointer_moved",
        Breaking,
        Heading("calls-with-a-parameter-struct"),
        "a call's struct address travels in another argument (or its upper bits do)",
    ),
    rule(
        "struct_removed",
        Breaking,
        Heading("parameter-structs"),
        "a parameter struct is gone",
    ),
    rule(
        "struct_added",
        Compatible,
        Heading("parameter-structs"),
        "a new parameter struct",
    ),
    rule(
        "struct_size_changed",
        Breaking,
        Heading("parameter-structs"),
        "a struct has another size",
    ),
    rule(
        "struct_field_moved",
        Breaking,
        Heading("parameter-structs"),
        "a field has another offset, size or type",
    ),
    rule(
        "struct_field_removed",
        Breaking,
        Heading("parameter-structs"),
        "a field is gone (not a reserved one a new field took over)",
    ),
    rule(
        "struct_field_direction_changed",
        Breaking,
        Heading("parameter-structs"),
        "another side writes a field (e.g. input → output; out ↔ maybe_out has its own rules)",
    ),
    rule(
        "struct_field_output_weakened",
        Breaking,
        Heading("parameter-structs"),
        "the hypervisor no longer writes a field in every answer (out → maybe_out)",
    ),
    rule(
        "struct_field_output_strengthened",
        Compatible,
        Heading("parameter-structs"),
        "the hypervisor now writes a field in every answer (maybe_out → out)",
    ),
    rule(
        "struct_field_domain_widened",
        Breaking,
        Heading("parameter-structs"),
        "an output field may hold values it could not (callers do not expect them)",
    ),
    rule(
        "struct_field_domain_narrowed",
        Breaking,
        Heading("parameter-structs"),
        "an output field holds fewer values (its values changed, as `result_domain_changed`)",
    ),
    rule(
        "struct_field_domain_added",
        Compatible,
        Heading("parameter-structs"),
        "an output field's values are now specified (a new promise, as `unknown_outcome_added`)",
    ),
    rule(
        "struct_field_domain_removed",
        Breaking,
        Heading("parameter-structs"),
        "an output field's values are no longer specified (a promise dropped)",
    ),
    rule(
        "struct_field_inserted",
        Breaking,
        Heading("parameter-structs"),
        "a new field over bytes old callers used",
    ),
    rule(
        "struct_field_added_in_reserved",
        Compatible,
        Heading("parameter-structs"),
        "a new field in what was padding or a reserved field, the size unchanged",
    ),
];

/// The rule with this id.
pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// The reference page section of a finding of `rule` on `abi` (and `call`):
/// `docs/abi/xen-arm64.md#console_io`.
pub fn spec_link(rule: &Rule, abi: &str, call: Option<&str>) -> String {
    let page = format!("docs/abi/{abi}.md");
    match (rule.section, call) {
        (Page, _) => page,
        (Heading(h), _) => format!("{page}#{h}"),
        (Call, Some(c)) => format!("{page}#{c}"),
        (Call, None) => format!("{page}#calls"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_snake_case() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(
                r.id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                r.id
            );
            assert!(RULES[..i].iter().all(|o| o.id != r.id), "{} twice", r.id);
        }
    }

    /// Every heading a rule links to exists on a generated reference page.
    #[test]
    fn links_point_at_headings_of_the_reference_pages() {
        // PSCI's page has every section but the sub-operations and structs, which Xen's has,
        // and the calls with a parameter struct, which SBI's has.
        let page = ["psci-arm64", "xen-arm64", "sbi-riscv64"]
            .iter()
            .map(|abi| {
                std::fs::read_to_string(format!(
                    "{}/../docs/abi/{abi}.md",
                    env!("CARGO_MANIFEST_DIR")
                ))
                .unwrap()
            })
            .collect::<String>();
        let anchors: Vec<String> = page
            .lines()
            .filter_map(|l| l.strip_prefix("## ").or_else(|| l.strip_prefix("### ")))
            .map(|h| {
                h.to_lowercase()
                    .chars()
                    .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
                    .map(|c| if c == ' ' { '-' } else { c })
                    .collect()
            })
            .collect();
        for r in RULES {
            if let Heading(h) = r.section {
                assert!(
                    anchors.iter().any(|a| a == h),
                    "{}: #{h} not in {anchors:?}",
                    r.id
                );
            }
        }
        let link = spec_link(
            find("call_number_changed").unwrap(),
            "psci-arm64",
            Some("cpu_on"),
        );
        assert_eq!(link, "docs/abi/psci-arm64.md#cpu_on");
        assert!(anchors.iter().any(|a| a == "cpu_on"));
    }
}
