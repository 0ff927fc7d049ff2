//! `hyperabi diff OLD NEW`: what changed between two spec exports (`hyperabi spec export --format
//! json`), each change a finding of one rule of the catalogue ([`rules`]: a stable id, a level,
//! breaking, needs-review or compatible for a guest built against OLD, and the reference page
//! section it is about); an allow file ([`allow`]) accepts known changes; [`exit_code`] tells no
//! change, compatible only, needs review and breaking apart.
//!
//! The export is read into one owned model of the document ([`export`]), checked
//! (`format_version`, register names, traps), and compared as it is; every register question —
//! what a register holds after a call — is answered by [`abi_spec::role_after`], the same code the
//! checker uses, instead of a second reading of the rules.
//!
//! ABIs are matched by id and calls by name; an unmatched old call and an unmatched new call with
//! the same number are a rename.

use std::fmt::Write;
use std::path::Path;

use abi_spec::{Effect, Narrow, Presence, Reg, Role, SmcccId, Status, FORMAT_VERSION};

use crate::files::{Kind, ReadError};
use crate::spec_md::narrow_text;
pub use export::{Abi, Call, Domain, Named, Unknown};

pub mod allow;
pub mod export;
pub mod rules;

// ---------------------------------------------------------------------------------------------
// Loading.

/// Reads a spec export file: its ABIs, checked. Errors name the file, the place (line and
/// column, or the field) and the problem.
pub fn load(path: &Path) -> Result<Vec<Abi>, ReadError> {
    let text = crate::files::read_text(path, &Kind::SPEC_EXPORT)?;
    parse(path, &text)
}

/// Parses the text of a spec export (`path` names it in errors).
pub fn parse(path: impl AsRef<Path>, text: &str) -> Result<Vec<Abi>, ReadError> {
    let path = path.as_ref();
    let export: export::Export = crate::files::parse_json(path, text, &Kind::SPEC_EXPORT)?;
    export
        .check()
        .map_err(|(field, problem)| ReadError::in_field(path, field, problem))?;
    Ok(export.abis)
}

// ---------------------------------------------------------------------------------------------
// Changes.

/// A change's level (see [`rules::Level`]).
pub use rules::Level as Class;

/// One difference between the two exports: a finding of one rule of [`rules::RULES`].
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Change {
    /// The ABI id.
    pub abi: String,
    /// The call it concerns, if it concerns one (its new name when it was renamed).
    pub call: Option<String>,
    /// The rule's stable id (`call_number_changed`, ...).
    #[serde(rename = "rule")]
    pub kind: &'static str,
    /// The rule's level.
    #[serde(rename = "level")]
    pub class: Class,
    /// The change in words.
    pub message: String,
    /// The section of the reference page the change is about (`docs/abi/<abi>.md#<anchor>`).
    pub spec: String,
    /// Set when an allow file accepts the change: its reason. An allowed change does not count
    /// for the exit status.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
}

/// Every change from `old` to `new`, grouped by ABI (old order, then ABIs only in `new`),
/// breaking changes first within an ABI.
pub fn diff(old: &[Abi], new: &[Abi]) -> Vec<Change> {
    let mut out = Vec::new();
    for o in old {
        let mut changes = Vec::new();
        match new.iter().find(|n| n.id == o.id) {
            None => push(
                &mut changes,
                o,
                None,
                "abi_removed",
                Class::Breaking,
                format!("ABI removed ({} calls)", o.calls.len()),
            ),
            Some(n) => diff_abi(&mut changes, o, n),
        }
        changes.sort_by_key(|c| c.class);
        out.extend(changes);
    }
    for n in new {
        if !old.iter().any(|o| o.id == n.id) {
            push(
                &mut out,
                n,
                None,
                "abi_added",
                Class::Compatible,
                format!("new ABI `{}` ({}, {} calls)", n.id, n.title, n.calls.len()),
            );
        }
    }
    out
}

fn push(
    out: &mut Vec<Change>,
    abi: &Abi,
    call: Option<&str>,
    kind: &'static str,
    class: Class,
    message: String,
) {
    let rule = rules::find(kind).unwrap_or_else(|| panic!("`{kind}` is not in the rule catalogue"));
    // The catalogue decides; the code's own reading must agree (a needs-review rule is
    // compatible by the letter of the spec).
    debug_assert!(
        rule.level == class || (rule.level == Class::NeedsReview && class == Class::Compatible),
        "{kind}: {class:?} here, {:?} in the catalogue",
        rule.level
    );
    out.push(Change {
        abi: abi.id.clone(),
        call: call.map(str::to_string),
        kind,
        class: rule.level,
        spec: rules::spec_link(rule, &abi.id, call),
        message,
        allowed: None,
    });
}

/// The canonical names of the registers `names` on the ABI's arch.
fn regs(abi: &Abi, names: impl IntoIterator<Item = impl AsRef<str>>) -> Vec<String> {
    names
        .into_iter()
        .map(|n| export::canonical(abi.arch, n.as_ref()).to_string())
        .collect()
}

fn regs_text(rs: &[String]) -> String {
    if rs.is_empty() {
        "none".into()
    } else {
        rs.join(" ")
    }
}

fn number_text(n: &[u64]) -> String {
    n.iter()
        .map(|v| format!("{v:#x}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn narrow_opt(n: &Option<Narrow>) -> String {
    match n {
        Some(n) => narrow_text(n),
        None => "full-width registers".into(),
    }
}

fn unknown_text(u: &Option<Unknown>) -> String {
    match u {
        Some(Unknown::Error(e)) => format!("returns {} ({})", e.name, e.value),
        Some(Unknown::Exception(e)) => format!("raises a {e} exception"),
        None => "unspecified".into(),
    }
}

fn role_name(r: Role) -> &'static str {
    match r {
        Role::Preserved => "preserved",
        Role::MayClobber => "may be clobbered",
        Role::ZeroOrPreserve => "zero or preserved",
        Role::Result => "result",
    }
}

/// How much a caller may rely on a register: a move to a lower rank breaks callers.
fn role_rank(r: Role) -> u8 {
    match r {
        Role::Preserved => 2,
        Role::ZeroOrPreserve => 1,
        Role::MayClobber | Role::Result => 0,
    }
}

fn presence_rank(p: Presence) -> u8 {
    match p {
        Presence::Mandatory => 2,
        Presence::Discoverable => 1,
        Presence::Optional => 0,
    }
}

fn effect_rank(e: Effect) -> u8 {
    match e {
        Effect::Query => 0,
        Effect::Stateful => 1,
        Effect::Disruptive => 2,
        Effect::NoReturn => 3,
    }
}

fn diff_abi(out: &mut Vec<Change>, o: &Abi, n: &Abi) {
    use Class::*;
    if o.title != n.title || o.doc != n.doc || o.sources != n.sources || o.revision != n.revision {
        let mut what = Vec::new();
        for (changed, name) in [
            (o.title != n.title, "title"),
            (o.doc != n.doc, "doc"),
            (o.sources != n.sources, "sources"),
            (o.revision != n.revision, "revision"),
        ] {
            if changed {
                what.push(name);
            }
        }
        push(
            out,
            n,
            None,
            "abi_doc_changed",
            Compatible,
            format!("{} changed", what.join(", ")),
        );
    }
    if o.arch != n.arch {
        push(
            out,
            n,
            None,
            "arch_changed",
            Breaking,
            format!("arch changed from {} to {}", o.arch, n.arch),
        );
        // Registers of different arches cannot be compared; the arch change says it all.
        return;
    }
    if o.trap != n.trap {
        push(
            out,
            n,
            None,
            "trap_changed",
            Breaking,
            format!(
                "transfer instruction changed from `{}` to `{}`",
                o.trap, n.trap
            ),
        );
    }
    let oregs = regs(o, o.numbers.iter().map(|x| &x.reg));
    let nregs = regs(n, n.numbers.iter().map(|x| &x.reg));
    if oregs != nregs {
        push(
            out,
            n,
            None,
            "number_register_changed",
            Breaking,
            format!(
                "call number registers changed from {} to {}",
                regs_text(&oregs),
                regs_text(&nregs)
            ),
        );
    } else {
        for ((a, b), reg) in o.numbers.iter().zip(&n.numbers).zip(&nregs) {
            if a.name != b.name {
                push(
                    out,
                    n,
                    None,
                    "number_register_renamed",
                    Compatible,
                    format!(
                        "number register {reg} renamed from {} to {}",
                        a.name, b.name
                    ),
                );
            }
        }
    }
    for (what, a, b, extended, changed) in [
        (
            "argument",
            regs(o, &o.args),
            regs(n, &n.args),
            "argument_registers_extended",
            "argument_registers_changed",
        ),
        (
            "result",
            regs(o, &o.results),
            regs(n, &n.results),
            "result_registers_extended",
            "result_registers_changed",
        ),
    ] {
        if a == b {
            continue;
        }
        // Appending registers (SMCCC 1.2 widening x0-x7 to x0-x17) keeps every old call valid.
        let (kind, class, how) = if b.starts_with(&a) {
            (extended, Compatible, "extended")
        } else {
            (changed, Breaking, "changed")
        };
        push(
            out,
            n,
            None,
            kind,
            class,
            format!(
                "{what} registers {how} from {} to {}",
                regs_text(&a),
                regs_text(&b)
            ),
        );
    }
    if o.narrow != n.narrow {
        push(
            out,
            n,
            None,
            "narrow_changed",
            Breaking,
            format!(
                "32-bit convention changed from \"{}\" to \"{}\"",
                narrow_opt(&o.narrow),
                narrow_opt(&n.narrow)
            ),
        );
    }
    errors_diff(out, n, None, &o.errors, &n.errors, "");
    if o.unknown != n.unknown {
        let (kind, class) = if o.unknown.is_none() {
            ("unknown_outcome_added", Compatible)
        } else {
            ("unknown_outcome_changed", Breaking)
        };
        push(
            out,
            n,
            None,
            kind,
            class,
            format!(
                "an unknown number {} (was: {})",
                unknown_text(&n.unknown),
                unknown_text(&o.unknown)
            ),
        );
    }

    // Calls: by name, then renames by number.
    let mut pairs: Vec<(&Call, &Call)> = Vec::new();
    let mut removed: Vec<&Call> = Vec::new();
    for oc in &o.calls {
        match n.call(&oc.name) {
            Some(nc) => pairs.push((oc, nc)),
            None => removed.push(oc),
        }
    }
    let mut added: Vec<&Call> = n
        .calls
        .iter()
        .filter(|c| o.call(&c.name).is_none())
        .collect();
    removed.retain(
        |oc| match added.iter().position(|nc| nc.number == oc.number) {
            Some(i) => {
                let nc = added.remove(i);
                push(
                    out,
                    n,
                    Some(&nc.name),
                    "call_renamed",
                    Compatible,
                    format!(
                        "`{}` renamed to `{}` (same number {})",
                        oc.name,
                        nc.name,
                        number_text(&nc.number)
                    ),
                );
                pairs.push((oc, nc));
                false
            }
            None => true,
        },
    );
    for oc in &removed {
        push(
            out,
            n,
            Some(&oc.name),
            "call_removed",
            Breaking,
            format!("call `{}` ({}) removed", oc.name, number_text(&oc.number)),
        );
    }
    for nc in &added {
        push(
            out,
            n,
            Some(&nc.name),
            "call_added",
            Compatible,
            format!("new call `{}` ({})", nc.name, number_text(&nc.number)),
        );
    }
    // Keep the old file's call order for the pairs.
    pairs.sort_by_key(|(oc, _)| o.calls.iter().position(|c| c.name == oc.name));
    for (oc, nc) in &pairs {
        diff_call(out, o, n, oc, nc);
    }
    roles_diff(out, o, n, &pairs);
    families_diff(out, o, n);
    structs_diff(out, o, n);
}

/// Sub-operations, matched by call and name.
fn families_diff(out: &mut Vec<Change>, o: &Abi, n: &Abi) {
    use Class::*;
    for of in &o.families {
        let nf = n.families.iter().find(|f| f.call == of.call);
        if let Some(nf) = nf {
            fixed_diff(out, n, of, nf);
        }
        for os in &of.subops {
            let Some(ns) = nf.and_then(|f| f.subops.iter().find(|s| s.name == os.name)) else {
                push(
                    out,
                    n,
                    Some(&of.call),
                    "subop_removed",
                    Breaking,
                    format!(
                        "`{}`: sub-operation `{}` ({}) is gone",
                        of.call, os.name, os.number
                    ),
                );
                continue;
            };
            if os.number != ns.number {
                push(
                    out,
                    n,
                    Some(&of.call),
                    "subop_number_changed",
                    Breaking,
                    format!(
                        "`{}`: `{}` changed from {} to {}",
                        of.call, os.name, os.number, ns.number
                    ),
                );
            }
            if os.effect != ns.effect {
                let worse = effect_rank(ns.effect) > effect_rank(os.effect);
                push(
                    out,
                    n,
                    Some(&of.call),
                    if worse {
                        "subop_effect_worsened"
                    } else {
                        "subop_effect_relaxed"
                    },
                    if worse { Breaking } else { Compatible },
                    format!(
                        "`{}`: `{}` changed from {} to {}",
                        of.call,
                        os.name,
                        os.effect.name(),
                        ns.effect.name()
                    ),
                );
            }
            if os.param != ns.param {
                push(
                    out,
                    n,
                    Some(&of.call),
                    "subop_param_changed",
                    Breaking,
                    format!(
                        "`{}`: `{}` takes {} instead of {}",
                        of.call,
                        os.name,
                        ns.param.as_deref().unwrap_or("no struct"),
                        os.param.as_deref().unwrap_or("no struct")
                    ),
                );
            }
        }
    }
    for nf in &n.families {
        let of = o.families.iter().find(|f| f.call == nf.call);
        for ns in &nf.subops {
            if of.is_none_or(|f| !f.subops.iter().any(|s| s.name == ns.name)) {
                push(
                    out,
                    n,
                    Some(&nf.call),
                    "subop_added",
                    Compatible,
                    format!(
                        "`{}`: new sub-operation `{}` ({})",
                        nf.call, ns.name, ns.number
                    ),
                );
            }
        }
    }
}

/// The input fields a family's structs must hold one value in (`fixed`, for the spec's
/// revision) and the values they hold from a later implementation version on (`fixed_since`).
/// A guest sends the values of the spec it was built against, and a hypervisor answers another
/// value with an error (Xen's -EACCES for a wrong interface version, bumped whenever the
/// interface changes incompatibly): every new or changed requirement breaks such a guest, one
/// dropped does not.
fn fixed_diff(out: &mut Vec<Change>, n: &Abi, of: &export::Family, nf: &export::Family) {
    use Class::*;
    let call = Some(of.call.as_str());
    for (field, ov) in &of.fixed {
        match nf.fixed.iter().find(|(f, _)| f == field) {
            Some((_, nv)) if nv != ov => push(
                out,
                n,
                call,
                "fixed_value_changed",
                Breaking,
                format!(
                    "`{}`: `{field}` must be {nv:#x}, was {ov:#x}; guests sending {ov:#x} are refused",
                    of.call
                ),
            ),
            Some(_) => {}
            None => push(
                out,
                n,
                call,
                "fixed_field_removed",
                Compatible,
                format!("`{}`: `{field}` no longer has to be {ov:#x}", of.call),
            ),
        }
    }
    for (field, nv) in &nf.fixed {
        if !of.fixed.iter().any(|(f, _)| f == field) {
            push(
                out,
                n,
                call,
                "fixed_field_added",
                Breaking,
                format!("`{}`: `{field}` must now be {nv:#x}", of.call),
            );
        }
    }
    for (since, field, ov) in &of.fixed_since {
        match nf
            .fixed_since
            .iter()
            .find(|(s, f, _)| s == since && f == field)
        {
            Some((_, _, nv)) if nv != ov => push(
                out,
                n,
                call,
                "fixed_since_changed",
                Breaking,
                format!(
                    "`{}`: `{field}` must be {nv:#x} from {since} on, was {ov:#x}",
                    of.call
                ),
            ),
            Some(_) => {}
            None => push(
                out,
                n,
                call,
                "fixed_since_removed",
                Breaking,
                format!(
                    "`{}`: `{field}` = {ov:#x} from {since} on is no longer specified; guests sending it there may be refused",
                    of.call
                ),
            ),
        }
    }
    for (since, field, nv) in &nf.fixed_since {
        if !of
            .fixed_since
            .iter()
            .any(|(s, f, _)| s == since && f == field)
        {
            push(
                out,
                n,
                call,
                "fixed_since_added",
                Breaking,
                format!(
                    "`{}`: `{field}` must be {nv:#x} from {since} on (a new interface version); guests built against the old spec are refused there",
                    of.call
                ),
            );
        }
    }
}

/// What the old layout had at byte `at`: a field that is not reserved (`true`), or padding, a
/// reserved field or nothing (`false`).
fn used_byte(s: &export::Struct, at: u32) -> bool {
    s.fields.iter().any(|f| {
        f.dir != abi_spec::FieldDir::Reserved && (f.offset..f.offset + f.size).contains(&at)
    })
}

/// The values an output field may hold after the call, as the result-domain rules read a
/// result's: every change of the values breaks (`result_domain_changed`), a domain newly specified
/// is a new promise (as `unknown_outcome_added`), one dropped a promise gone.
fn field_domain_diff(
    out: &mut Vec<Change>,
    n: &Abi,
    st: &str,
    of: &export::StructField,
    nf: &export::StructField,
) {
    use Class::*;
    let text = |d: &export::FieldDomain| {
        if d.min == d.max {
            format!("{}", d.min)
        } else {
            format!("{}..={}", d.min, d.max)
        }
    };
    let (rule, class, msg) = match (of.domain, nf.domain) {
        (a, b) if a == b => return,
        (None, Some(b)) => (
            "struct_field_domain_added",
            Compatible,
            format!("holds {} after the call (was unspecified)", text(&b)),
        ),
        (Some(a), None) => (
            "struct_field_domain_removed",
            Breaking,
            format!(
                "no longer specified (was {}); callers relying on it break",
                text(&a)
            ),
        ),
        (Some(a), Some(b)) if a.min <= b.min && b.max <= a.max => (
            "struct_field_domain_narrowed",
            Breaking,
            format!("narrowed: {} → {}", text(&a), text(&b)),
        ),
        (Some(a), Some(b)) => (
            "struct_field_domain_widened",
            Breaking,
            format!(
                "{}: {} → {}; the hypervisor may write values callers do not expect",
                if b.min <= a.min && a.max <= b.max {
                    "widened"
                } else {
                    "changed"
                },
                text(&a),
                text(&b)
            ),
        ),
        (None, None) => unreachable!("equal domains returned above"),
    };
    push(
        out,
        n,
        None,
        rule,
        class,
        format!("struct `{st}`: field `{}` {msg}", nf.name),
    );
}

/// Parameter structs, matched by name; fields by name.
fn structs_diff(out: &mut Vec<Change>, o: &Abi, n: &Abi) {
    use Class::*;
    for os in &o.structs {
        let Some(ns) = n.structs.iter().find(|s| s.name == os.name) else {
            push(
                out,
                n,
                None,
                "struct_removed",
                Breaking,
                format!("struct `{}` is gone", os.name),
            );
            continue;
        };
        if os.size != ns.size {
            push(
                out,
                n,
                None,
                "struct_size_changed",
                Breaking,
                format!("struct `{}`: {} bytes, was {}", os.name, ns.size, os.size),
            );
        }
        for of in &os.fields {
            match ns.fields.iter().find(|f| f.name == of.name) {
                None => {
                    // A reserved field a new field took over is that field's finding.
                    let taken = of.dir == abi_spec::FieldDir::Reserved
                        && ns.fields.iter().any(|f| {
                            !os.fields.iter().any(|g| g.name == f.name)
                                && f.offset < of.offset + of.size
                                && of.offset < f.offset + f.size
                        });
                    if !taken {
                        push(
                            out,
                            n,
                            None,
                            "struct_field_removed",
                            Breaking,
                            format!("struct `{}`: field `{}` is gone", os.name, of.name),
                        );
                    }
                }
                Some(nf) => {
                    if (nf.offset, nf.size, nf.ty, nf.count)
                        != (of.offset, of.size, of.ty, of.count)
                    {
                        push(
                            out,
                            n,
                            None,
                            "struct_field_moved",
                            Breaking,
                            format!(
                                "struct `{}`: field `{}` is {}[{}] at {}..{}, was {}[{}] at {}..{}",
                                os.name,
                                of.name,
                                nf.ty.name(),
                                nf.count,
                                nf.offset,
                                nf.offset + nf.size,
                                of.ty.name(),
                                of.count,
                                of.offset,
                                of.offset + of.size
                            ),
                        );
                    }
                    if nf.dir != of.dir {
                        use abi_spec::FieldDir::{MaybeOut, Out};
                        // Out and maybe_out differ only in what a caller may rely on: the
                        // hypervisor writes the field in every successful answer, or in some.
                        let (rule, class, why) = match (of.dir, nf.dir) {
                            (Out, MaybeOut) => (
                                "struct_field_output_weakened",
                                Breaking,
                                "; callers relying on it being written break",
                            ),
                            (MaybeOut, Out) => ("struct_field_output_strengthened", Compatible, ""),
                            _ => ("struct_field_direction_changed", Breaking, ""),
                        };
                        push(
                            out,
                            n,
                            None,
                            rule,
                            class,
                            format!(
                                "struct `{}`: field `{}` is {}, was {}{why}",
                                os.name,
                                of.name,
                                nf.dir.into_str(),
                                of.dir.into_str()
                            ),
                        );
                    }
                    field_domain_diff(out, n, &os.name, of, nf);
                }
            }
        }
        for nf in &ns.fields {
            if os.fields.iter().any(|f| f.name == nf.name) {
                continue;
            }
            let free =
                ns.size == os.size && (nf.offset..nf.offset + nf.size).all(|b| !used_byte(os, b));
            let (rule, class) = if free {
                ("struct_field_added_in_reserved", Compatible)
            } else {
                ("struct_field_inserted", Breaking)
            };
            push(
                out,
                n,
                None,
                rule,
                class,
                format!(
                    "struct `{}`: new field `{}` at {}..{}",
                    os.name,
                    nf.name,
                    nf.offset,
                    nf.offset + nf.size
                ),
            );
        }
    }
    for ns in &n.structs {
        if !o.structs.iter().any(|s| s.name == ns.name) {
            push(
                out,
                n,
                None,
                "struct_added",
                Compatible,
                format!("new struct `{}` ({} bytes)", ns.name, ns.size),
            );
        }
    }
}

fn errors_diff(
    out: &mut Vec<Change>,
    abi: &Abi,
    call: Option<&str>,
    old: &[Named],
    new: &[Named],
    prefix: &str,
) {
    let (added, removed, changed) = match call {
        None => ("error_added", "error_removed", "error_value_changed"),
        Some(_) => (
            "call_error_added",
            "call_error_removed",
            "error_value_changed",
        ),
    };
    for e in new {
        match old.iter().find(|x| x.name == e.name) {
            None => push(
                out,
                abi,
                call,
                added,
                Class::Compatible,
                format!(
                    "{prefix}new error code {} ({}) documented as possible",
                    e.name, e.value
                ),
            ),
            Some(x) if x.value != e.value => push(
                out,
                abi,
                call,
                changed,
                Class::Breaking,
                format!(
                    "{prefix}error code {} changed value from {} to {}",
                    e.name, x.value, e.value
                ),
            ),
            Some(_) => {}
        }
    }
    for e in old {
        if !new.iter().any(|x| x.name == e.name) {
            push(
                out,
                abi,
                call,
                removed,
                Class::Compatible,
                format!(
                    "{prefix}error code {} ({}) no longer documented",
                    e.name, e.value
                ),
            );
        }
    }
}

fn diff_call(out: &mut Vec<Change>, o: &Abi, n: &Abi, oc: &Call, nc: &Call) {
    use Class::*;
    let name = Some(nc.name.as_str());
    if oc.number != nc.number {
        push(
            out,
            n,
            name,
            "call_number_changed",
            Breaking,
            format!(
                "`{}`: number changed from {} to {}",
                nc.name,
                number_text(&oc.number),
                number_text(&nc.number)
            ),
        );
    }
    if oc.doc != nc.doc || oc.source != nc.source || oc.since != nc.since {
        push(
            out,
            n,
            name,
            "call_doc_changed",
            Compatible,
            format!("`{}`: doc, source or since changed", nc.name),
        );
    }
    let width = n.width_for(nc);
    let params = |abi: &Abi, ps: &[export::Param]| -> Vec<Param> {
        ps.iter()
            .map(|p| {
                let reg = export::canonical(abi.arch, &p.reg).to_string();
                (p.name.clone(), reg, p.domain.clone())
            })
            .collect()
    };
    params_diff(
        out,
        n,
        &nc.name,
        "argument",
        params(o, &oc.args),
        params(n, &nc.args),
        width,
    );
    params_diff(
        out,
        n,
        &nc.name,
        "result",
        params(o, &oc.results),
        params(n, &nc.results),
        width,
    );
    errors_diff(
        out,
        n,
        name,
        &oc.errors,
        &nc.errors,
        &format!("`{}`: ", nc.name),
    );
    // The convention in force, reported per call only when the call's own convention changed
    // (an ABI-wide change is reported once for the ABI).
    let (on, nn) = (o.narrow_for(oc), n.narrow_for(nc));
    if on != nn && oc.narrow != nc.narrow {
        push(
            out,
            n,
            name,
            "call_narrow_changed",
            Breaking,
            format!(
                "`{}`: 32-bit convention changed from \"{}\" to \"{}\"",
                nc.name,
                narrow_opt(&on),
                narrow_opt(&nn)
            ),
        );
    }
    if oc.presence != nc.presence {
        let weaker = presence_rank(nc.presence) < presence_rank(oc.presence);
        push(
            out,
            n,
            name,
            if weaker {
                "presence_weakened"
            } else {
                "presence_strengthened"
            },
            if weaker { Breaking } else { Compatible },
            format!(
                "`{}`: presence changed from {} to {}",
                nc.name,
                oc.presence.name(),
                nc.presence.name()
            ),
        );
    }
    if oc.status != nc.status {
        let gone = |s: Status| matches!(s, Status::Obsolete | Status::Removed);
        let breaking = gone(nc.status) && !gone(oc.status)
            || (oc.status == Status::Obsolete && nc.status == Status::Removed);
        push(
            out,
            n,
            name,
            if breaking {
                "status_withdrawn"
            } else {
                "status_changed"
            },
            if breaking { Breaking } else { Compatible },
            format!(
                "`{}`: status changed from {} to {}",
                nc.name,
                oc.status.name(),
                nc.status.name()
            ),
        );
    }
    if oc.effect != nc.effect {
        let worse = effect_rank(nc.effect) > effect_rank(oc.effect);
        push(
            out,
            n,
            name,
            if worse {
                "effect_worsened"
            } else {
                "effect_relaxed"
            },
            if worse { Breaking } else { Compatible },
            format!(
                "`{}`: effect changed from {} to {}",
                nc.name,
                oc.effect.name(),
                nc.effect.name()
            ),
        );
    }
    call_param_diff(out, o, n, oc, nc);
    if oc.smccc != nc.smccc {
        let t = |s: &Option<SmcccId>| match s {
            Some(s) => format!(
                "{} {} owner {}",
                if s.fast { "fast" } else { "yielding" },
                if s.smc64 { "SMC64" } else { "SMC32" },
                s.owner
            ),
            None => "none".into(),
        };
        let (kind, class) = if oc.smccc.is_none() {
            ("smccc_added", Compatible)
        } else {
            ("smccc_changed", Breaking)
        };
        push(
            out,
            n,
            name,
            kind,
            class,
            format!(
                "`{}`: SMCCC function-ID fields changed from {} to {}",
                nc.name,
                t(&oc.smccc),
                t(&nc.smccc)
            ),
        );
    }
    if oc.stable != nc.stable {
        push(
            out,
            n,
            name,
            if nc.stable {
                "stable_added"
            } else {
                "stable_dropped"
            },
            if nc.stable { Compatible } else { Breaking },
            format!(
                "`{}`: result {} stable across runs",
                nc.name,
                if nc.stable {
                    "now declared"
                } else {
                    "no longer"
                }
            ),
        );
    }
}

/// A plain call's parameter struct, as `subop_param_changed` compares a sub-operation's: any
/// other struct, gained or lost, breaks; so does the address travelling in other arguments.
fn call_param_diff(out: &mut Vec<Change>, o: &Abi, n: &Abi, oc: &Call, nc: &Call) {
    use Class::*;
    let op = o.params.iter().find(|p| p.call == oc.name);
    let np = n.params.iter().find(|p| p.call == nc.name);
    let name = Some(nc.name.as_str());
    let param = |p: Option<&export::CallParam>| {
        p.map_or("no struct".to_string(), |p| format!("`{}`", p.param))
    };
    if op.map(|p| &p.param) != np.map(|p| &p.param) {
        push(
            out,
            n,
            name,
            "call_param_changed",
            Breaking,
            format!(
                "`{}`: takes {} instead of {}",
                nc.name,
                param(np),
                param(op)
            ),
        );
    }
    if let (Some(a), Some(b)) = (op, np) {
        if (a.pointer, a.high) != (b.pointer, b.high) {
            let at = |p: &export::CallParam, c: &Call| {
                let arg = |i: u8| {
                    c.args
                        .get(usize::from(i))
                        .map_or(format!("argument {i}"), |x| format!("`{}`", x.name))
                };
                match p.high {
                    Some(h) => format!("{} (upper bits: {})", arg(p.pointer), arg(h)),
                    None => arg(p.pointer),
                }
            };
            push(
                out,
                n,
                name,
                "call_param_pointer_moved",
                Breaking,
                format!(
                    "`{}`: `{}`'s address is in {}, was in {}",
                    nc.name,
                    b.param,
                    at(b, nc),
                    at(a, oc)
                ),
            );
        }
    }
}

/// A parameter as compared: its name, its register's canonical name, its domain.
type Param = (String, String, Domain);

fn params_diff(
    out: &mut Vec<Change>,
    n: &Abi,
    call: &str,
    what: &str,
    old: Vec<Param>,
    new: Vec<Param>,
    width: u8,
) {
    use Class::*;
    let name = Some(call);
    let kind = |k: &str| -> &'static str {
        match (what, k) {
            ("argument", "count") => "argument_count_changed",
            ("argument", "moved") => "argument_register_moved",
            ("argument", "renamed") => "argument_renamed",
            ("result", "count") => "result_count_changed",
            ("result", "moved") => "result_register_moved",
            ("result", "renamed") => "result_renamed",
            _ => unreachable!(),
        }
    };
    if old.len() != new.len() {
        push(
            out,
            n,
            name,
            kind("count"),
            Breaking,
            format!(
                "`{call}`: {what} count changed from {} to {}",
                old.len(),
                new.len()
            ),
        );
    }
    for (i, (a, b)) in old.iter().zip(&new).enumerate() {
        let pos = i + 1;
        if a.1 != b.1 {
            push(
                out,
                n,
                name,
                kind("moved"),
                Breaking,
                format!(
                    "`{call}`: {what} {pos} (`{}`) moved from {} to {}",
                    b.0, a.1, b.1
                ),
            );
        }
        if a.0 != b.0 {
            push(
                out,
                n,
                name,
                kind("renamed"),
                Compatible,
                format!("`{call}`: {what} {pos} renamed from `{}` to `{}`", a.0, b.0),
            );
        }
        if a.2 != b.2 {
            let (o, nd) = (a.2.short(), b.2.short());
            if what == "argument" {
                if subset(&a.2, &b.2, width) {
                    push(
                        out,
                        n,
                        name,
                        "argument_domain_widened",
                        Compatible,
                        format!("`{call}`: argument `{}` accepts more: {o} → {nd}", b.0),
                    );
                } else {
                    push(
                        out,
                        n,
                        name,
                        "argument_domain_narrowed",
                        Breaking,
                        format!(
                            "`{call}`: argument `{}` no longer accepts every value it did: {o} → {nd}",
                            b.0
                        ),
                    );
                }
            } else {
                let how = if subset(&b.2, &a.2, width) {
                    "narrowed"
                } else if subset(&a.2, &b.2, width) {
                    "widened"
                } else {
                    "changed"
                };
                push(
                    out,
                    n,
                    name,
                    "result_domain_changed",
                    Breaking,
                    format!("`{call}`: result `{}` {how}: {o} → {nd}", b.0),
                );
            }
        }
    }
}

/// The finite values of a small domain, if it has few enough to list.
fn finite(d: &Domain) -> Option<Vec<u64>> {
    match *d {
        Domain::MustBeZero => Some(vec![0]),
        Domain::Enum { ref values } => Some(values.iter().map(|v| v.value as u64).collect()),
        Domain::Range { min, max } if max - min < 4096 => {
            Some((min..=max).map(|v| v as i64 as u64).collect())
        }
        _ => None,
    }
}

/// Whether every value of `inner` is in `outer`, read at `bits` width. Conservative: false when
/// it cannot tell.
pub fn subset(inner: &Domain, outer: &Domain, bits: u8) -> bool {
    if inner == outer {
        return true;
    }
    let full = abi_spec::abi::mask(bits);
    match (inner, outer) {
        (_, Domain::Any) => true,
        (Domain::Any, &Domain::Range { min, max }) => min <= 0 && max >= full as i128,
        (Domain::Any, &Domain::Bits { mask }) => mask & full == full,
        (&Domain::Range { min: a, max: b }, &Domain::Range { min: c, max: d }) => c <= a && b <= d,
        (&Domain::Bits { mask: a }, &Domain::Bits { mask: b }) => a & !b == 0,
        (&Domain::Bits { mask }, &Domain::Range { min, max }) => min <= 0 && max >= mask as i128,
        (
            &Domain::Pointer {
                align: a,
                nullable: na,
            },
            &Domain::Pointer {
                align: b,
                nullable: nb,
            },
        ) => (nb || !na) && a.max(1) % b.max(1) == 0,
        (&Domain::Pointer { nullable, .. }, &Domain::Range { min, max }) => {
            (min <= 0 || !nullable && min <= 1) && max >= full as i128
        }
        _ => match finite(inner) {
            Some(values) => values.iter().all(|&v| outer.contains(v, bits)),
            None => false,
        },
    }
}

/// Register roles after each call both versions have, compared register by register; changes are
/// grouped by (register, old role, new role) so that an ABI-wide rule change reads as one line.
fn roles_diff(out: &mut Vec<Change>, o: &Abi, n: &Abi, pairs: &[(&Call, &Call)]) {
    let mut groups: Vec<(Reg, Role, Role, Vec<&str>)> = Vec::new();
    for (oc, nc) in pairs {
        if oc.effect == Effect::NoReturn && nc.effect == Effect::NoReturn {
            continue; // nothing is observed after a call that does not return
        }
        let arg_of =
            |abi: &Abi, c: &Call, r: Reg| c.args.iter().any(|a| abi.arch.reg(&a.reg) == Some(r));
        for reg in o.arch.regs() {
            let (a, b) = (o.role_after(oc, reg), n.role_after(nc, reg));
            // Result registers moving are reported with the results, and a register that became
            // or stopped being an argument register with the arguments.
            if a == b
                || a == Role::Result
                || b == Role::Result
                || arg_of(o, oc, reg) != arg_of(n, nc, reg)
            {
                continue;
            }
            match groups
                .iter_mut()
                .find(|(r, x, y, _)| *r == reg && *x == a && *y == b)
            {
                Some((_, _, _, calls)) => calls.push(&nc.name),
                None => groups.push((reg, a, b, vec![&nc.name])),
            }
        }
    }
    let returning = pairs
        .iter()
        .filter(|(a, b)| !(a.effect == Effect::NoReturn && b.effect == Effect::NoReturn))
        .count();
    for (reg, a, b, calls) in groups {
        let weaker = role_rank(b) < role_rank(a);
        let which = if calls.len() == returning && returning > 1 {
            "every call".to_string()
        } else {
            let names: Vec<String> = calls.iter().map(|c| format!("`{c}`")).collect();
            names.join(", ")
        };
        let mut msg = format!(
            "`{reg}` after the call: {} → {} ({which})",
            role_name(a),
            role_name(b)
        );
        if weaker {
            msg.push_str("; callers relying on it break");
        }
        push(
            out,
            n,
            if calls.len() == 1 {
                Some(calls[0])
            } else {
                None
            },
            if weaker {
                "register_role_weakened"
            } else {
                "register_role_strengthened"
            },
            if weaker {
                Class::Breaking
            } else {
                Class::Compatible
            },
            msg,
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Output.

/// The counts of a diff that are not allowed: (breaking, needs review, compatible).
pub fn counts(changes: &[Change]) -> (usize, usize, usize) {
    let n = |l: Class| {
        changes
            .iter()
            .filter(|c| c.class == l && c.allowed.is_none())
            .count()
    };
    (
        n(Class::Breaking),
        n(Class::NeedsReview),
        n(Class::Compatible),
    )
}

/// The exit status of `hyperabi diff` for these changes (allowed ones left out): 0 no change,
/// 1 a breaking change, 4 compatible changes only, 5 changes that need review and none that
/// breaks. 2 (bad usage or input file) and 3 (output could not be written) are the CLI's.
pub fn exit_code(changes: &[Change]) -> u8 {
    match counts(changes) {
        (0, 0, 0) => 0,
        (b, _, _) if b > 0 => 1,
        (_, r, _) if r > 0 => 5,
        _ => 4,
    }
}

/// The exit statuses of `hyperabi diff`, as its `--help` prints them.
pub const EXIT_HELP: &str = "Exit status:
  0  no change (or every change allowed by --allow)
  1  at least one breaking change
  2  could not run: bad usage, or a spec export or allow file that cannot be read (the message names the file, place and problem)
  3  could not run: the output could not be written
  4  compatible changes only
  5  changes that need review (a documentation change, a rename matched by number), none breaking";

/// What `hyperabi diff` prints and its exit status.
pub struct DiffEnd {
    /// The report (text or JSON) for standard output.
    pub output: String,
    /// Lines for standard error: a summary when something is not compatible, allow entries
    /// that matched nothing.
    pub notes: Vec<String>,
    /// The exit status ([`exit_code`]).
    pub code: u8,
}

/// `hyperabi diff OLD NEW [--allow FILE]`: reads both exports (and the allow file), compares
/// them, and renders the report. An error is bad input (exit status 2) and names the file.
pub fn run(old: &Path, new: &Path, allow: Option<&Path>, json: bool) -> Result<DiffEnd, ReadError> {
    let o = load(old)?;
    let n = load(new)?;
    let allow = allow.map(allow::load).transpose()?;
    let mut changes = diff(&o, &n);
    let mut notes = Vec::new();
    if let Some(a) = &allow {
        for unused in allow::apply(a, &mut changes) {
            notes.push(format!(
                "allow entry matched no change (drop it?): {}",
                unused.describe()
            ));
        }
    }
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let output = if json {
        render_json(&old, &new, &changes)
    } else {
        render_text(&old, &new, &changes)
    };
    let code = exit_code(&changes);
    let (b, r, _) = counts(&changes);
    if b > 0 {
        notes.push(format!("{b} breaking change(s) from {old} to {new}"));
    } else if r > 0 {
        notes.push(format!("{r} change(s) from {old} to {new} need review"));
    }
    Ok(DiffEnd {
        output,
        notes,
        code,
    })
}

/// The human-readable report, grouped by ABI: a line per change with its level, its rule and
/// the reference page section it is about.
pub fn render_text(old: &str, new: &str, changes: &[Change]) -> String {
    let (b, r, c) = counts(changes);
    let allowed = changes.iter().filter(|c| c.allowed.is_some()).count();
    let mut s = String::new();
    writeln!(s, "hyperabi diff {old} {new}").unwrap();
    if changes.is_empty() {
        writeln!(s, "no changes").unwrap();
        return s;
    }
    write!(s, "{b} breaking, {r} needing review, {c} compatible").unwrap();
    if allowed > 0 {
        write!(s, ", {allowed} allowed").unwrap();
    }
    s.push('\n');
    let mut current: Option<&str> = None;
    for ch in changes {
        if current != Some(ch.abi.as_str()) {
            writeln!(s, "\n{}", ch.abi).unwrap();
            current = Some(&ch.abi);
        }
        let tag = match (&ch.allowed, ch.class) {
            (Some(_), _) => "allowed   ",
            (None, Class::Breaking) => "BREAKING  ",
            (None, Class::NeedsReview) => "review    ",
            (None, Class::Compatible) => "compatible",
        };
        writeln!(s, "  {tag}  {}", ch.message).unwrap();
        write!(s, "              [{}] {}", ch.kind, ch.spec).unwrap();
        if let Some(why) = &ch.allowed {
            write!(s, " (allowed: {why})").unwrap();
        }
        s.push('\n');
    }
    s
}

/// The machine-readable report.
#[derive(serde::Serialize)]
pub struct DiffReport<'a> {
    /// The version of this document.
    pub format_version: u32,
    /// The old export, as named on the command line.
    pub old: &'a str,
    /// The new export.
    pub new: &'a str,
    /// Breaking changes not allowed.
    pub breaking: usize,
    /// Changes needing review, not allowed.
    pub needs_review: usize,
    /// Compatible changes not allowed.
    pub compatible: usize,
    /// Changes an allow file accepted.
    pub allowed: usize,
    /// The exit status `hyperabi diff` ends with.
    pub exit_status: u8,
    /// Every change.
    pub changes: &'a [Change],
}

/// The machine-readable report as pretty JSON.
pub fn render_json(old: &str, new: &str, changes: &[Change]) -> String {
    let (breaking, needs_review, compatible) = counts(changes);
    let r = DiffReport {
        format_version: FORMAT_VERSION,
        old,
        new,
        breaking,
        needs_review,
        compatible,
        allowed: changes.iter().filter(|c| c.allowed.is_some()).count(),
        exit_status: exit_code(changes),
        changes,
    };
    let mut s = serde_json::to_string_pretty(&r).expect("a diff report serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests;
