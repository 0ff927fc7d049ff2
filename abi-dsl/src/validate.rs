//! Validation: resolve names against the abi-spec model (arches, registers, traps, roles) and check
//! every rule of the DSL. Every problem is reported at its span and all of them in one compile; an
//! invalid call is dropped so the rest of the ABI still expands.

use std::collections::{BTreeMap, HashMap};

use abi_spec::{
    Arch, CallParam, Domain, Effect, Family, FieldDef, FieldDir, LayoutRule, Named, Narrow,
    Presence, Reg, RegKind, RegSet, Role, Scalar, SmcccId, Status, StructDef, SubOp, Trap, Unknown,
    UpperInput, UpperOutput,
};
use proc_macro2::Span;
use quote::ToTokens;
use strum::VariantNames;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, LitStr};

use crate::parse::{
    AbiDef, CallDef, Const, DomainBody, DomainDef, Field, FieldValue, ParamDef, StructAst,
};

/// Errors collected across the whole input.
#[derive(Default)]
pub struct Errors(Vec<syn::Error>);

impl Errors {
    /// Records an error at `span`.
    pub fn push(&mut self, span: Span, msg: impl std::fmt::Display) {
        self.0.push(syn::Error::new(span, msg));
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    /// Every error as a `compile_error!` at its span.
    pub fn into_compile_errors(self) -> proc_macro2::TokenStream {
        self.0.into_iter().map(|e| e.to_compile_error()).collect()
    }
}

/// An ABI whose every name is resolved; the input of `lower`.
pub struct Checked {
    /// The Rust name of the generated module.
    pub ident: Ident,
    /// The visibility of the generated module.
    pub vis: syn::Visibility,
    /// The ABI id.
    pub id: String,
    /// The human title.
    pub title: String,
    /// The doc comment.
    pub doc: String,
    /// The sources it cites.
    pub sources: Vec<String>,
    /// The arch.
    pub arch: Arch,
    /// The transfer instruction.
    pub trap: Trap,
    /// The number registers, each with its name.
    pub numbers: Vec<(String, Reg)>,
    /// The argument registers, in order.
    pub args: Vec<Reg>,
    /// The result registers, in order.
    pub results: Vec<Reg>,
    /// The register rules of the ABI.
    pub rules: Vec<(RegSet, Role)>,
    /// Where each single-register rule of `registers` is written, for the warning about a rule
    /// that changes nothing (see [`crate::redundant_rules`]).
    pub rule_spans: Vec<(RegSet, Span)>,
    /// The 32-bit convention, if any.
    pub narrow: Option<Narrow>,
    /// The error codes.
    pub errors: Vec<Named>,
    /// What an unknown call number gets, if specified.
    pub unknown: Option<Unknown>,
    /// The revision of the specification it follows.
    pub revision: Option<String>,
    /// The calls that validated.
    pub calls: Vec<CheckedCall>,
    /// The parameter structs, laid out by the ABI's `layout`.
    pub structs: Vec<StructDef>,
}

/// A call whose every name is resolved.
pub struct CheckedCall {
    /// The call name.
    pub ident: Ident,
    /// The number, one value per number register.
    pub number: Vec<u64>,
    /// The arguments: name, register, domain.
    pub args: Vec<(String, Reg, Domain)>,
    /// The results: name, register, domain.
    pub results: Vec<(String, Reg, Domain)>,
    /// The error codes it may return.
    pub errors: Vec<Named>,
    /// Whether an implementation must have it.
    pub presence: Presence,
    /// Its lifecycle status.
    pub status: Status,
    /// What it does to the caller.
    pub effect: Effect,
    /// Its own 32-bit convention, if it differs from the ABI's.
    pub narrow: Option<Narrow>,
    /// Its own register rules.
    pub rules: Vec<(RegSet, Role)>,
    /// The version that introduced it.
    pub since: Option<String>,
    /// Its SMCCC function ID, for calls over the Arm SMCCC.
    pub smccc: Option<SmcccId>,
    /// Whether its results are stable (a baseline records them).
    pub stable: bool,
    /// `#[disruptive = ".."]`: what it would do to the test guest.
    pub disruption: String,
    /// The source it cites.
    pub source: String,
    /// The doc comment.
    pub doc: String,
    /// Its sub-operations, when an enumerated argument selects some.
    pub family: Option<Family>,
    /// The struct its pointer argument points to, for a call without sub-operations.
    pub param: Option<CallParam>,
}

const FIELDS: &[&str] = &[
    "arch",
    "trap",
    "number",
    "args",
    "results",
    "registers",
    "narrow",
    "errors",
    "unknown",
    "revision",
    "layout",
    "structs",
    "calls",
];
const REQUIRED: &[&str] = &["arch", "trap", "number", "args", "results", "calls"];

/// Resolves and checks one ABI declaration, recording every error; `None` when it
/// has errors.
pub fn check_abi(def: &AbiDef, errors: &mut Errors) -> Option<Checked> {
    let start = errors.len();
    let mut fields: HashMap<String, &Field> = HashMap::new();
    for f in &def.fields {
        let key = f.key.to_string();
        if !FIELDS.contains(&key.as_str()) {
            errors.push(
                f.key.span(),
                format!(
                    "unknown field `{key}`; expected one of: {}",
                    FIELDS.join(", ")
                ),
            );
        } else if fields.insert(key.clone(), f).is_some() {
            errors.push(f.key.span(), format!("field `{key}` given twice"));
        }
    }
    for req in REQUIRED {
        if !fields.contains_key(*req) {
            errors.push(
                def.ident.span(),
                format!("ABI `{}` has no `{req}` field", def.ident),
            );
        }
    }

    let id = def.id.value();
    let id_ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !id_ok {
        errors.push(
            def.id.span(),
            format!("ABI id `{id}` must be non-empty and use only letters, digits, `-` and `_`"),
        );
    }
    let arch = fields.get("arch").and_then(|f| match &f.value {
        FieldValue::Ident(i) => {
            let a = Arch::from_name(&i.to_string());
            if a.is_none() {
                let names: Vec<_> = Arch::ALL.iter().map(|a| a.name()).collect();
                errors.push(
                    i.span(),
                    format!("unknown arch `{i}`; expected one of: {}", names.join(", ")),
                );
            }
            a
        }
        _ => {
            errors.push(
                f.key.span(),
                "`arch` takes an arch name, e.g. `arch: aarch64`",
            );
            None
        }
    });
    // Without an arch no register can be resolved: report what else is wrong and stop.
    let arch = arch?;
    let reg = |errors: &mut Errors, i: &Ident| -> Option<Reg> {
        let r = arch.reg(&i.to_string());
        if r.is_none() {
            errors.push(i.span(), format!("unknown register `{i}` for arch {arch}"));
        }
        r
    };

    let trap = fields.get("trap").and_then(|f| check_trap(f, arch, errors));

    let mut numbers = Vec::new();
    // How many numbers each call must give, as written (so a bad number register is reported
    // once, not again at every call).
    let number_arity = fields.get("number").map_or(0, |f| match &f.value {
        FieldValue::Map(pairs) => pairs.len(),
        _ => 1,
    });
    if let Some(f) = fields.get("number") {
        match &f.value {
            FieldValue::Ident(i) => numbers.extend(reg(errors, i).map(|r| ("number".to_string(), r))),
            FieldValue::Map(pairs) => {
                for (name, r) in pairs {
                    if let Some(r_) = reg(errors, r) {
                        if numbers.iter().any(|(_, x)| *x == r_) {
                            errors.push(r.span(), format!("register `{r}` carries two call numbers"));
                        } else {
                            numbers.push((name.to_string(), r_));
                        }
                    }
                }
            }
            _ => errors.push(f.key.span(), "`number` takes a register (`number: x16`) or named registers (`number: { eid: a7, fid: a6 }`)"),
        }
    }

    let reg_list = |errors: &mut Errors, key: &str| -> Vec<Reg> {
        let Some(f) = fields.get(key) else {
            return Vec::new();
        };
        let FieldValue::List(items) = &f.value else {
            errors.push(
                f.key.span(),
                format!("`{key}` takes a list of registers, e.g. `{key}: [x0, x1]`"),
            );
            return Vec::new();
        };
        let mut out: Vec<Reg> = Vec::new();
        for i in items {
            if let Some(r) = reg(errors, i) {
                if out.contains(&r) {
                    errors.push(i.span(), format!("register `{i}` appears twice in `{key}`"));
                } else if !matches!(r.kind(), RegKind::General) {
                    errors.push(
                        i.span(),
                        format!(
                            "`{i}` cannot carry {} value: it is not a general-purpose register",
                            if key == "args" {
                                "an argument"
                            } else {
                                "a result"
                            }
                        ),
                    );
                } else {
                    out.push(r);
                }
            }
        }
        out
    };
    let args = reg_list(errors, "args");
    let results = reg_list(errors, "results");

    for (_, n) in &numbers {
        if args.contains(n) {
            let span = fields["args"].key.span();
            errors.push(
                span,
                format!("number register `{n}` is also an argument register"),
            );
        }
        if !matches!(n.kind(), RegKind::General) {
            errors.push(
                fields["number"].key.span(),
                format!("`{n}` cannot carry the call number"),
            );
        }
    }

    let rules = fields
        .get("registers")
        .map_or_else(Vec::new, |f| check_rules(f, arch, &numbers, errors));
    let rule_spans = match fields.get("registers").map(|f| &f.value) {
        Some(FieldValue::Map(pairs)) => pairs
            .iter()
            .filter_map(|(set, _)| Some((RegSet::Reg(arch.reg(&set.to_string())?), set.span())))
            .collect(),
        _ => Vec::new(),
    };

    let narrow = fields.get("narrow").and_then(|f| match &f.value {
        FieldValue::Ident(i) if i == "none" => None,
        FieldValue::Map(pairs) => check_narrow(pairs, f.key.span(), errors),
        _ => {
            errors.push(
                f.key.span(),
                "`narrow` takes `none` or `{ bits: b32, input: ignored, output: undefined }`",
            );
            None
        }
    });

    let mut abi_errors: Vec<Named> = Vec::new();
    if let Some(f) = fields.get("errors") {
        if let FieldValue::Consts(consts) = &f.value {
            for c in consts {
                if let Some(a) = c.attrs.first() {
                    errors.push(a.span(), "error codes take no attributes");
                }
                let Some(v) = eval_checked(&c.value, errors) else {
                    continue;
                };
                let name = c.ident.to_string();
                if abi_errors.iter().any(|e| e.name == name) {
                    errors.push(
                        c.ident.span(),
                        format!("error code `{name}` declared twice"),
                    );
                } else {
                    abi_errors.push(Named {
                        name: leak(name),
                        value: v as i64,
                    });
                }
            }
        } else {
            errors.push(f.key.span(), "`errors` takes `{ NAME = value, ... }`");
        }
    }

    let unknown = fields.get("unknown").and_then(|f| match &f.value {
        FieldValue::Call(k, a) if k == "error" && a.len() == 1 => {
            let name = expr_ident(&a[0]);
            match abi_errors.iter().find(|e| Some(e.name) == name.as_deref()) {
                Some(e) => Some(Unknown::Error(*e)),
                None => {
                    errors.push(
                        a[0].span(),
                        "`unknown: error(NAME)` must name an error code declared in `errors`",
                    );
                    None
                }
            }
        }
        FieldValue::Call(k, a) if k == "exception" && a.len() == 1 => match &a[0] {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(Unknown::Exception(leak(s.value()))),
            other => {
                errors.push(
                    other.span(),
                    "`unknown: exception(\"...\")` takes the exception's name",
                );
                None
            }
        },
        _ => {
            errors.push(
                f.key.span(),
                "`unknown` takes `error(NAME)` or `exception(\"name\")`",
            );
            None
        }
    });

    let revision = fields.get("revision").and_then(|f| match &f.value {
        FieldValue::Str(s) => Some(s.value()),
        _ => {
            errors.push(f.key.span(), "`revision` takes a string");
            None
        }
    });

    let (doc, attrs_rest) = split_doc(&def.attrs);
    let mut sources = Vec::new();
    for a in attrs_rest {
        match attr_str(a, "source", errors) {
            Some(s) => sources.push(s),
            None if a.path().is_ident("source") => {}
            None => errors.push(
                a.span(),
                "unknown ABI attribute; expected `#[source = \"...\"]` or a doc comment",
            ),
        }
    }

    let layout = fields.get("layout").and_then(|f| match &f.value {
        FieldValue::Ident(i) => match i.to_string().parse::<LayoutRule>() {
            Ok(r) => Some(r),
            Err(_) => {
                errors.push(
                    i.span(),
                    format!(
                        "unknown layout `{i}`; expected one of: {}",
                        LayoutRule::VARIANTS.join(", ")
                    ),
                );
                None
            }
        },
        _ => {
            errors.push(
                f.key.span(),
                "`layout` takes a rule: aapcs64, lp64, ilp32 or ppc64",
            );
            None
        }
    });
    let mut structs: Vec<StructDef> = Vec::new();
    if let Some(f) = fields.get("structs") {
        match (&f.value, layout) {
            (FieldValue::Structs(defs), Some(rule)) => {
                for d in defs {
                    if let Some(s) = check_struct(d, rule, errors) {
                        if structs.iter().any(|o| o.name == s.name) {
                            errors.push(
                                d.ident.span(),
                                format!("struct `{}` declared twice", s.name),
                            );
                        } else {
                            structs.push(s);
                        }
                    }
                }
            }
            (FieldValue::Structs(_), None) => errors.push(
                f.key.span(),
                "`structs` need the ABI's `layout` (aapcs64, lp64, ilp32 or ppc64) to be laid out",
            ),
            _ => errors.push(
                f.key.span(),
                "`structs` takes `{ name { field: type, ... } ... }`",
            ),
        }
    }

    let ctx = AbiCtx {
        arch,
        number_arity,
        numbers: &numbers,
        args: &args,
        results: &results,
        errors: &abi_errors,
        structs: &structs,
    };
    let mut calls = Vec::new();
    let mut by_name: BTreeMap<String, Span> = BTreeMap::new();
    let mut by_number: BTreeMap<Vec<u64>, String> = BTreeMap::new();
    if let Some(f) = fields.get("calls") {
        if let FieldValue::Calls(defs) = &f.value {
            for c in defs {
                let name = c.ident.to_string();
                if by_name.insert(name.clone(), c.ident.span()).is_some() {
                    errors.push(c.ident.span(), format!("call `{name}` declared twice"));
                    continue;
                }
                if let Some(checked) = check_call(c, &ctx, errors) {
                    if let Some(prev) = by_number.insert(checked.number.clone(), name.clone()) {
                        errors.push(
                            c.number_span,
                            format!("call `{name}` has the same number as `{prev}`"),
                        );
                        continue;
                    }
                    calls.push(checked);
                }
            }
        } else {
            errors.push(
                f.key.span(),
                "`calls` takes `{ name = number (args) -> (results); ... }`",
            );
        }
    }

    // ABI-level problems make the whole ABI unusable; call-level ones only drop the call.
    let abi_level_ok = errors.len() == start || trap.is_some() && !numbers.is_empty();
    let trap = trap?;
    if !abi_level_ok || !id_ok {
        return None;
    }
    Some(Checked {
        ident: def.ident.clone(),
        vis: def.vis.clone(),
        id: def.id.value(),
        title: def
            .title
            .as_ref()
            .map_or_else(|| def.id.value(), LitStr::value),
        doc,
        sources,
        arch,
        trap,
        numbers,
        args,
        results,
        rules,
        rule_spans,
        narrow,
        errors: abi_errors,
        unknown,
        revision,
        calls,
        structs,
    })
}

/// A struct declaration: known types, unique non-empty fields, counts that fit.
fn check_struct(d: &StructAst, rule: LayoutRule, errors: &mut Errors) -> Option<StructDef> {
    let start = errors.len();
    let (doc, rest) = split_doc(&d.attrs);
    let mut source = String::new();
    for a in rest {
        match attr_str(a, "source", errors) {
            Some(s) => add_source(&mut source, s),
            None if a.path().is_ident("source") => {}
            None => errors.push(
                a.span(),
                "unknown struct attribute; expected `#[source = \"...\"]` or a doc comment",
            ),
        }
    }
    if d.fields.is_empty() {
        errors.push(
            d.ident.span(),
            format!("struct `{}` has no fields", d.ident),
        );
    }
    let mut fields: Vec<FieldDef> = Vec::new();
    for f in &d.fields {
        let name = f.ident.to_string();
        check_name(&f.ident, "field", errors);
        if fields.iter().any(|o| o.name == name) {
            errors.push(
                f.ident.span(),
                format!("field `{name}` declared twice in `{}`", d.ident),
            );
            continue;
        }
        let ty = match f.ty.to_string().parse::<Scalar>() {
            Ok(t) => t,
            Err(_) => {
                errors.push(
                    f.ty.span(),
                    format!(
                        "unknown field type `{}`; expected one of: {}",
                        f.ty,
                        Scalar::VARIANTS.join(", ")
                    ),
                );
                continue;
            }
        };
        let count = match &f.count {
            None => 1,
            Some(e) => match eval_checked(e, errors) {
                Some(n @ 1..=65536) => n as u32,
                Some(n) => {
                    errors.push(e.span(), format!("array length {n} is not in 1..=65536"));
                    continue;
                }
                None => continue,
            },
        };
        let mut dir = FieldDir::In;
        let mut domain = None;
        let (_, attrs) = split_doc(&f.attrs);
        for a in attrs {
            let word = a
                .path()
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            match word.parse::<FieldDir>() {
                Ok(d) if matches!(a.meta, syn::Meta::Path(_)) => dir = d,
                _ if word == "domain" => domain = field_domain(a, ty, errors),
                _ => errors.push(
                    a.span(),
                    "unknown field attribute; expected #[out], #[maybe_out], #[in_out], #[reserved] or #[domain(a..=b)]",
                ),
            }
        }
        if domain.is_some() && !dir.written_by_hypervisor() {
            errors.push(
                f.ident.span(),
                format!("field `{name}`: `domain` is checked after the call, so it needs #[out], #[maybe_out] or #[in_out]"),
            );
        }
        fields.push(FieldDef {
            name: leak(name),
            ty,
            count,
            dir,
            domain,
        });
    }
    if errors.len() != start {
        return None;
    }
    Some(StructDef {
        name: leak(d.ident.to_string()),
        rule,
        fields: Box::leak(fields.into_boxed_slice()),
        source: leak(source),
        doc: leak(doc),
    })
}

/// `#[domain(a..=b)]` (or `a..`, `..=b`) on a struct field: the values it may hold after the call,
/// within what its type can hold.
fn field_domain(a: &syn::Attribute, ty: Scalar, errors: &mut Errors) -> Option<(i128, i128)> {
    let r = match a.parse_args::<Expr>() {
        Ok(Expr::Range(r))
            if matches!(r.limits, syn::RangeLimits::Closed(_)) || r.end.is_none() =>
        {
            r
        }
        Ok(other) => {
            errors.push(
                other.span(),
                "`domain` takes an inclusive range, e.g. `domain(1..=64)` or `domain(1..)`",
            );
            return None;
        }
        Err(e) => {
            errors.0.push(e);
            return None;
        }
    };
    let bits = ty.size(LayoutRule::Lp64) * 8;
    let (lo, hi) = if ty.signed() {
        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
    } else {
        (0, (1i128 << bits) - 1)
    };
    let min = match &r.start {
        Some(e) => eval_checked(e, errors)?,
        None => lo,
    };
    let max = match &r.end {
        Some(e) => eval_checked(e, errors)?,
        None => hi,
    };
    if min > max || min < lo || max > hi {
        errors.push(
            r.span(),
            format!(
                "domain {min}..={max} is empty or outside what a `{}` holds ({lo}..={hi})",
                ty.name()
            ),
        );
        return None;
    }
    Some((min, max))
}

/// The sub-operations of a call: the values of its one enumerated argument whose constants carry
/// attributes (`#[query]`, `#[stateful]`, `#[param(struct)]`, `#[args(name = v)]`,
/// `#[source = ".."]`, doc comments). A value without an effect takes the call's.
fn check_family(
    c: &CallDef,
    args: &[(String, Reg, Domain)],
    effect: Effect,
    (unknown, fault): (Option<Named>, Option<Named>),
    in_struct: InStruct,
    ctx: &AbiCtx,
    errors: &mut Errors,
) -> Option<Family> {
    let marked = |p: &ParamDef| match &p.domain.body {
        DomainBody::Enum(consts) => consts
            .iter()
            .any(|k| k.attrs.iter().any(|a| !a.path().is_ident("doc"))),
        _ => false,
    };
    let mut selectors = c.args.iter().enumerate().filter(|(_, p)| marked(p));
    let Some((sel, p)) = selectors.next() else {
        if unknown.is_some() || fault.is_some() || in_struct.given() {
            errors.push(c.ident.span(), format!(
                "`{}` declares `unknown_subop` or `bad_buffer` but no sub-operations (attributes on the values of an `enum` argument)",
                c.ident
            ));
        }
        return None;
    };
    if let Some((_, other)) = selectors.next() {
        errors.push(
            other.ident.span(),
            format!(
                "`{}` has sub-operations on two arguments; one argument selects them",
                c.ident
            ),
        );
        return None;
    }
    let DomainBody::Enum(consts) = &p.domain.body else {
        return None;
    };
    let pointer = args.iter().any(|(_, _, d)| d.is_pointer());
    let mut subops = Vec::new();
    for k in consts {
        let Ok(number) = eval(&k.value) else { continue };
        let (doc, rest) = split_doc(&k.attrs);
        let mut s = SubOp {
            name: leak(k.ident.to_string()),
            number: number as u64,
            presence: Presence::Mandatory,
            effect,
            param: None,
            args: &[],
            errors: &[],
            source: "",
            doc: leak(doc),
        };
        let mut fixed: Vec<(u8, u64)> = Vec::new();
        for a in rest {
            let word = a
                .path()
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            if let Ok(pr) = word.parse::<Presence>() {
                s.presence = pr;
                continue;
            }
            if let Ok(e) = word.parse::<Effect>() {
                s.effect = e;
                continue;
            }
            match word.as_str() {
                "source" => {
                    let mut joined = s.source.to_string();
                    add_source(&mut joined, attr_str(a, "source", errors).unwrap_or_default());
                    s.source = leak(joined);
                }
                "param" => match a.parse_args::<Ident>() {
                    Ok(i) if !pointer => errors.push(
                        i.span(),
                        format!("`{}` takes no pointer argument for a parameter struct", c.ident),
                    ),
                    Ok(i) => match ctx.structs.iter().find(|st| i == st.name) {
                        Some(st) => s.param = Some(st.name),
                        None => errors.push(
                            i.span(),
                            format!("struct `{i}` is not declared in the ABI's `structs`"),
                        ),
                    },
                    Err(e) => errors.0.push(e),
                },
                "args" => {
                    let parsed = a.parse_nested_meta(|m| {
                        let name = m.path.get_ident().map(|i| i.to_string()).unwrap_or_default();
                        let e: Expr = m.value()?.parse()?;
                        let Some(i) = args.iter().position(|(n, _, _)| *n == name) else {
                            return Err(m.error(format!("`{}` has no argument `{name}`", c.ident)));
                        };
                        if i == sel {
                            return Err(m.error("the selecting argument is the sub-operation's number"));
                        }
                        let v = eval(&e)?;
                        fixed.push((i as u8, v as u64));
                        Ok(())
                    });
                    if let Err(e) = parsed {
                        errors.0.push(e);
                    }
                }
                _ => errors.push(a.span(), format!(
                    "unknown sub-operation attribute `{}`; expected query, stateful, disruptive, noreturn, mandatory, optional, discoverable, param(struct), args(name = value), source",
                    a.path().to_token_stream().to_string().replace(' ', "")
                )),
            }
        }
        s.args = Box::leak(fixed.into_boxed_slice());
        subops.push(s);
    }
    let field = check_in_struct(
        c,
        args[sel].2.is_pointer(),
        &in_struct,
        &subops,
        ctx,
        errors,
    )?;
    Some(Family {
        call: leak(c.ident.to_string()),
        selector: sel as u8,
        subops: Box::leak(subops.into_boxed_slice()),
        unknown,
        fault,
        field,
        fixed: Box::leak(
            in_struct
                .fixed
                .iter()
                .map(|(n, v)| (leak(n.to_string()), *v))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
        fixed_since: Box::leak(
            in_struct
                .fixed_since
                .iter()
                .map(|(since, n, v)| (leak(since.value()), leak(n.to_string()), *v))
                .collect::<Vec<_>>()
                .into_boxed_slice(),
        ),
        bad_fixed: in_struct.bad_fixed,
    })
}

/// A family selected by a field of the struct its pointer argument points to:
/// `#[selector_field(f)]`, `#[fixed(g = v, ..)]` and `#[bad_fixed(ERROR)]` on the call.
#[derive(Default)]
struct InStruct {
    field: Option<Ident>,
    fixed: Vec<(Ident, u64)>,
    fixed_since: Vec<(LitStr, Ident, u64)>,
    bad_fixed: Option<Named>,
}

impl InStruct {
    fn given(&self) -> bool {
        self.field.is_some()
            || !self.fixed.is_empty()
            || !self.fixed_since.is_empty()
            || self.bad_fixed.is_some()
    }
}

/// Checks a struct-field selector: the selecting argument is a pointer exactly when
/// `selector_field` names a field; every runnable sub-operation has a struct; every struct has
/// the selector and each `fixed` field, as scalar input fields of at most 8 bytes, at the same
/// place. `Some(field)` (or `Some(None)` for a register selector) when all hold.
fn check_in_struct(
    c: &CallDef,
    pointer: bool,
    in_struct: &InStruct,
    subops: &[SubOp],
    ctx: &AbiCtx,
    errors: &mut Errors,
) -> Option<Option<&'static str>> {
    let Some(field) = &in_struct.field else {
        if pointer || !in_struct.fixed.is_empty() || in_struct.bad_fixed.is_some() {
            errors.push(
                c.ident.span(),
                format!(
                    "`{}`: sub-operations on a pointer argument, `fixed` and `bad_fixed` need `#[selector_field(field)]`, the field of its struct that selects them",
                    c.ident
                ),
            );
            return None;
        }
        return Some(None);
    };
    if !pointer {
        errors.push(
            field.span(),
            format!(
                "`{}`: `selector_field` needs the sub-operations on a pointer argument (`ptr {{ .. }}`)",
                c.ident
            ),
        );
        return None;
    }
    let start = errors.len();
    for s in subops {
        if s.param.is_none() && matches!(s.effect, Effect::Query | Effect::Stateful) {
            errors.push(
                field.span(),
                format!("`{}`: sub-operation `{}` is selected by a field of its struct but has no `param(struct)`", c.ident, s.name),
            );
        }
    }
    let names = std::iter::once(field).chain(in_struct.fixed.iter().map(|(n, _)| n));
    for name in names {
        let mut at = None;
        for s in subops {
            let Some(st) = s
                .param
                .and_then(|p| ctx.structs.iter().find(|st| st.name == p))
            else {
                continue;
            };
            let input = st
                .layouts()
                .find(|(f, _)| *name == f.name)
                .filter(|(f, l)| f.dir == FieldDir::In && f.count == 1 && l.size <= 8)
                .map(|(_, l)| (l.offset, l.size));
            match (input, at) {
                (None, _) => errors.push(
                    name.span(),
                    format!("struct `{}` has no scalar input field `{name}`", st.name),
                ),
                (Some(here), Some(there)) if here != there => errors.push(
                    name.span(),
                    format!("field `{name}` of struct `{}` is not where the family's other structs have it", st.name),
                ),
                (Some(here), _) => at = Some(here),
            }
        }
    }
    let mut last: Option<&LitStr> = None;
    for (since, name, _) in &in_struct.fixed_since {
        if !in_struct.fixed.iter().any(|(n, _)| n == name) {
            errors.push(
                name.span(),
                format!("`fixed_since`: `{name}` is not a `fixed` field of `{}` (give its value at the spec's revision in `fixed`)", c.ident),
            );
        }
        let v = since.value();
        let well_formed = v.split_once(' ').is_some_and(|(_, n)| {
            n.split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        });
        if !well_formed {
            errors.push(
                since.span(),
                format!(
                    "`fixed_since`: version `{v}` is not `Implementation X.Y` (e.g. \"Xen 4.19\")"
                ),
            );
        } else if let Some(prev) =
            last.filter(|p| abi_spec::layout::version_reached(&p.value(), &v) && p.value() != v)
        {
            errors.push(
                since.span(),
                format!(
                    "`fixed_since`: `{v}` comes after `{}`; list versions in order",
                    prev.value()
                ),
            );
        }
        last = Some(since);
    }
    (errors.len() == start).then(|| Some(leak(field.to_string())))
}

struct AbiCtx<'a> {
    arch: Arch,
    number_arity: usize,
    numbers: &'a [(String, Reg)],
    args: &'a [Reg],
    results: &'a [Reg],
    errors: &'a [Named],
    structs: &'a [StructDef],
}

fn check_trap(f: &Field, arch: Arch, errors: &mut Errors) -> Option<Trap> {
    let (kw, args): (&Ident, &[Expr]) = match &f.value {
        FieldValue::Ident(i) => (i, &[]),
        FieldValue::Call(i, a) => (i, a),
        _ => {
            errors.push(
                f.key.span(),
                "`trap` takes an instruction, e.g. `trap: hvc(0xEA1)`",
            );
            return None;
        }
    };
    let name = kw.to_string();
    let takes_imm = matches!(
        name.as_str(),
        "hvc" | "smc" | "int" | "page" | "diag" | "sc"
    );
    let known = takes_imm || matches!(name.as_str(), "vmcall" | "vmmcall" | "syscall" | "ecall");
    if !known {
        errors.push(kw.span(), format!("unknown trap `{name}`; expected one of: hvc(imm), smc(imm), vmcall, vmmcall, syscall, int(imm), page(stride), diag(code), sc(level), ecall"));
        return None;
    }
    if takes_imm != (args.len() == 1) {
        let msg = if takes_imm {
            format!("trap `{name}` takes one immediate, e.g. `{name}(0)`")
        } else {
            format!("trap `{name}` takes no immediate")
        };
        errors.push(kw.span(), msg);
        return None;
    }
    let imm = match args.first() {
        Some(e) => {
            let v = eval_checked(e, errors)?;
            // AArch32 SMC encodes only a 4-bit immediate.
            let max = if name == "smc" && arch == Arch::Arm {
                0xf
            } else {
                Trap::max_immediate(&name).unwrap_or(0) as i128
            };
            if name == "page" && v == 0 {
                errors.push(e.span(), "a hypercall page needs a non-zero stride");
                return None;
            }
            if v < 0 || v > max {
                errors.push(e.span(), format!("immediate {v:#x} does not fit `{name}`, whose immediate is at most {max:#x}"));
                return None;
            }
            v as u64
        }
        None => 0,
    };
    let trap = match name.as_str() {
        "hvc" => Trap::Hvc(imm as u16),
        "smc" => Trap::Smc(imm as u16),
        "int" => Trap::Int(imm as u8),
        "page" => Trap::HypercallPage { stride: imm as u16 },
        "diag" => Trap::Diag(imm as u16),
        "sc" => Trap::Sc(imm as u8),
        "vmcall" => Trap::Vmcall,
        "vmmcall" => Trap::Vmmcall,
        "syscall" => Trap::Syscall,
        _ => Trap::Ecall,
    };
    if !trap.valid_for(arch) {
        errors.push(kw.span(), format!("trap `{name}` does not exist on {arch}"));
        return None;
    }
    Some(trap)
}

fn parse_role(i: &Ident, errors: &mut Errors) -> Option<Role> {
    // `result` is a role the model gives result registers, not one a rule can declare.
    match i.to_string().parse::<Role>() {
        Ok(role) if role != Role::Result => Some(role),
        _ => {
            errors.push(i.span(), format!("unknown register role `{i}`; expected preserved, clobbered or zero_or_preserved"));
            None
        }
    }
}

fn check_rules(
    f: &Field,
    arch: Arch,
    numbers: &[(String, Reg)],
    errors: &mut Errors,
) -> Vec<(RegSet, Role)> {
    let FieldValue::Map(pairs) = &f.value else {
        errors.push(
            f.key.span(),
            "`registers` takes `{ register_or_set: role, ... }`",
        );
        return Vec::new();
    };
    rules_from_pairs(pairs, arch, numbers, errors)
}

fn rules_from_pairs(
    pairs: &[(Ident, Ident)],
    arch: Arch,
    numbers: &[(String, Reg)],
    errors: &mut Errors,
) -> Vec<(RegSet, Role)> {
    let mut out: Vec<(RegSet, Role)> = Vec::new();
    for (set_i, role_i) in pairs {
        let set = match set_i.to_string().as_str() {
            "number" => Some(RegSet::Number),
            "used_args" => Some(RegSet::UsedArgs),
            "unused_args" => Some(RegSet::UnusedArgs),
            "unused_results" => Some(RegSet::UnusedResults),
            "others" => Some(RegSet::Others),
            name => match arch.reg(name) {
                Some(r) => Some(RegSet::Reg(r)),
                None => {
                    errors.push(set_i.span(), format!("unknown register `{name}` for arch {arch} (or register set: number, used_args, unused_args, unused_results, others)"));
                    None
                }
            },
        };
        let role = parse_role(role_i, errors);
        let (Some(set), Some(role)) = (set, role) else {
            continue;
        };
        if let RegSet::Reg(r) = set {
            if !matches!(
                r.kind(),
                RegKind::General | RegKind::Flags | RegKind::Control
            ) && role != Role::Preserved
            {
                errors.push(
                    set_i.span(),
                    format!(
                        "`{r}` cannot be {}: no caller can survive that",
                        role.name()
                    ),
                );
                continue;
            }
        }
        if let Some((_, prev)) = out.iter().find(|(s, _)| *s == set) {
            if *prev != role {
                errors.push(
                    set_i.span(),
                    format!("`{set_i}` is both {} and {}", prev.name(), role.name()),
                );
            } else {
                errors.push(set_i.span(), format!("`{set_i}` given twice"));
            }
            continue;
        }
        out.push((set, role));
    }
    let _ = numbers;
    out
}

fn check_narrow(pairs: &[(Ident, Ident)], span: Span, errors: &mut Errors) -> Option<Narrow> {
    let mut n = Narrow {
        bits: 32,
        input_upper: UpperInput::Ignored,
        output_upper: UpperOutput::Undefined,
    };
    let mut ok = true;
    for (k, v) in pairs {
        match (k.to_string().as_str(), v.to_string().as_str()) {
            ("bits", "b32") => n.bits = 32,
            ("bits", "b16") => n.bits = 16,
            ("input", "ignored") => n.input_upper = UpperInput::Ignored,
            ("input", "must_be_zero") => n.input_upper = UpperInput::MustBeZero,
            ("output", "undefined") => n.output_upper = UpperOutput::Undefined,
            ("output", "zero") => n.output_upper = UpperOutput::Zero,
            ("output", "sign_extended") => n.output_upper = UpperOutput::SignExtended,
            _ => {
                errors.push(k.span(), format!("unknown narrow setting `{k}: {v}`; expected bits: b32|b16, input: ignored|must_be_zero, output: undefined|zero|sign_extended"));
                ok = false;
            }
        }
    }
    let _ = span;
    ok.then_some(n)
}

fn check_call(c: &CallDef, ctx: &AbiCtx, errors: &mut Errors) -> Option<CheckedCall> {
    let start = errors.len();
    let arch = ctx.arch;
    let name = c.ident.to_string();
    check_name(&c.ident, "call", errors);
    for p in c.args.iter().chain(&c.results) {
        check_name(&p.ident, "parameter", errors);
    }
    let width = ctx
        .numbers
        .first()
        .map_or(arch.gpr_bits(), |(_, r)| r.bits());

    if c.number.len() != ctx.number_arity {
        errors.push(
            c.number_span,
            format!(
                "call `{name}` gives {} number(s) but the ABI has {} number register(s) ({})",
                c.number.len(),
                ctx.numbers.len(),
                ctx.numbers
                    .iter()
                    .map(|(n, r)| format!("{n} in {r}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    let mut number = Vec::new();
    for e in &c.number {
        if let Some(v) = eval_checked(e, errors) {
            match fit(v, width) {
                Some(v) => number.push(v),
                None => errors.push(
                    e.span(),
                    format!("call number {v:#x} does not fit the {width}-bit number register"),
                ),
            }
        }
    }

    let (doc, rest) = split_doc(&c.attrs);
    let mut presence = Presence::Mandatory;
    let mut status = Status::Active;
    let mut effect = Effect::Query;
    let mut narrow = None;
    let mut rules = Vec::new();
    let mut since = None;
    let mut smccc = None;
    let mut stable = false;
    let mut disruption = String::new();
    let mut source = String::new();
    let mut unknown_subop = None;
    let mut bad_buffer = None;
    let mut in_struct = InStruct::default();
    let mut param: Option<ParamAttr> = None;
    let mut fixed_args: Vec<(Ident, Expr)> = Vec::new();
    for a in rest {
        let path = a
            .path()
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        // The markers are the model's keywords; `active` and `query` are the defaults, never
        // written.
        if let Ok(p) = path.parse::<Presence>() {
            presence = p;
            continue;
        }
        match (path.parse::<Status>(), path.parse::<Effect>()) {
            (Ok(s), _) if s != Status::Active => {
                status = s;
                continue;
            }
            (_, Ok(e)) if e != Effect::Query => {
                effect = e;
                if let (Effect::Disruptive, syn::Meta::NameValue(_)) = (e, &a.meta) {
                    disruption = attr_str(a, "disruptive", errors).unwrap_or_default();
                }
                continue;
            }
            _ => {}
        }
        match path.as_str() {
            "source" => add_source(
                &mut source,
                attr_str(a, "source", errors).unwrap_or_default(),
            ),
            "since" => since = attr_str(a, "since", errors),
            "stable" => stable = true,
            "unknown_subop" | "bad_buffer" => match a.parse_args::<Ident>() {
                Ok(i) => match ctx.errors.iter().find(|n| i == n.name) {
                    Some(n) if path == "bad_buffer" => bad_buffer = Some(*n),
                    Some(n) => unknown_subop = Some(*n),
                    None => errors.push(
                        i.span(),
                        format!("error code `{i}` is not declared in the ABI's `errors`"),
                    ),
                },
                Err(e) => errors.0.push(e),
            },
            "bad_fixed" => match a.parse_args::<Ident>() {
                Ok(i) => match ctx.errors.iter().find(|n| i == n.name) {
                    Some(n) => in_struct.bad_fixed = Some(*n),
                    None => errors.push(
                        i.span(),
                        format!("error code `{i}` is not declared in the ABI's `errors`"),
                    ),
                },
                Err(e) => errors.0.push(e),
            },
            "selector_field" => match a.parse_args::<Ident>() {
                Ok(i) => in_struct.field = Some(i),
                Err(e) => errors.0.push(e),
            },
            "fixed_since" => {
                let parsed = a.parse_args_with(|input: syn::parse::ParseStream| {
                    let since: LitStr = input.parse()?;
                    let mut out = Vec::new();
                    while !input.is_empty() {
                        input.parse::<syn::Token![,]>()?;
                        if input.is_empty() {
                            break;
                        }
                        let name: Ident = input.parse()?;
                        input.parse::<syn::Token![=]>()?;
                        let e: Expr = input.parse()?;
                        out.push((since.clone(), name, e));
                    }
                    if out.is_empty() {
                        return Err(input.error("`fixed_since` takes a version and `field = value` pairs: `fixed_since(\"Xen 4.19\", interface_version = 0x17)`"));
                    }
                    Ok(out)
                });
                match parsed {
                    Ok(list) => {
                        for (since, name, e) in list {
                            if let Some(v) = eval_checked(&e, errors) {
                                in_struct.fixed_since.push((since, name, v as u64));
                            }
                        }
                    }
                    Err(e) => errors.0.push(e),
                }
            }
            "fixed" => {
                let parsed = a.parse_nested_meta(|m| {
                    let Some(name) = m.path.get_ident().cloned() else {
                        return Err(m.error("`fixed` takes `field = value` pairs"));
                    };
                    let e: Expr = m.value()?.parse()?;
                    in_struct.fixed.push((name, eval(&e)? as u64));
                    Ok(())
                });
                if let Err(e) = parsed {
                    errors.0.push(e);
                }
            }
            "param" => {
                let parsed = a.parse_args_with(|input: syn::parse::ParseStream| {
                    let name: Ident = input.parse()?;
                    let mut high = None;
                    if input.parse::<Option<syn::Token![,]>>()?.is_some() {
                        let key: Ident = input.parse()?;
                        if key != "high" {
                            return Err(syn::Error::new(
                                key.span(),
                                "`param` takes a struct and optionally `high = argument`",
                            ));
                        }
                        input.parse::<syn::Token![=]>()?;
                        high = Some(input.parse::<Ident>()?);
                    }
                    Ok(ParamAttr { name, high })
                });
                match parsed {
                    Ok(p) => param = Some(p),
                    Err(e) => errors.0.push(e),
                }
            }
            "args" => {
                let parsed = a.parse_nested_meta(|m| {
                    let Some(name) = m.path.get_ident().cloned() else {
                        return Err(m.error("`args` takes `argument = value` pairs"));
                    };
                    fixed_args.push((name, m.value()?.parse()?));
                    Ok(())
                });
                if let Err(e) = parsed {
                    errors.0.push(e);
                }
            }
            "smccc" => smccc = check_smccc(a, errors),
            "narrow" | "registers" => {
                let pairs = a.parse_args_with(|input: syn::parse::ParseStream| {
                    let mut out = Vec::new();
                    while !input.is_empty() {
                        let k: Ident = input.call(<Ident as syn::ext::IdentExt>::parse_any)?;
                        input.parse::<syn::Token![:]>()?;
                        let v: Ident = input.call(<Ident as syn::ext::IdentExt>::parse_any)?;
                        out.push((k, v));
                        if input.is_empty() {
                            break;
                        }
                        input.parse::<syn::Token![,]>()?;
                    }
                    Ok(out)
                });
                match pairs {
                    Ok(p) if path == "narrow" => narrow = check_narrow(&p, a.span(), errors),
                    Ok(p) => rules = rules_from_pairs(&p, arch, ctx.numbers, errors),
                    Err(e) => errors.0.push(e),
                }
            }
            _ => errors.push(a.span(), format!(
                "unknown call attribute `{}`; expected source, since, mandatory, optional, discoverable, deprecated, obsolete, removed, stateful, disruptive, noreturn, stable, smccc(..), narrow(..), registers(..), param(struct), args(name = value, ..), unknown_subop(ERROR), bad_buffer(ERROR), selector_field(field), fixed(field = value, ..), fixed_since(\"version\", field = value, ..), bad_fixed(ERROR)",
                a.path().to_token_stream().to_string().replace(' ', "")
            )),
        }
    }

    let args = bind_params(
        &c.args,
        ctx.args,
        "argument",
        &name,
        c.args_span,
        arch,
        errors,
    );
    let results = bind_params(
        &c.results,
        ctx.results,
        "result",
        &name,
        c.results_span,
        arch,
        errors,
    );
    for (n, r, _) in &args {
        if ctx.numbers.iter().any(|(_, nr)| nr == r) {
            errors.push(
                c.args_span,
                format!("argument `{n}` of `{name}` is bound to the number register `{r}`"),
            );
        }
    }

    let mut call_errors = Vec::new();
    for e in &c.errors {
        match ctx.errors.iter().find(|n| e == n.name) {
            Some(n) if call_errors.contains(n) => {
                errors.push(e.span(), format!("error code `{e}` listed twice"))
            }
            Some(n) => call_errors.push(*n),
            None => errors.push(
                e.span(),
                format!("error code `{e}` is not declared in the ABI's `errors`"),
            ),
        }
    }

    // A plain call's struct takes the call's `bad_buffer`; sub-operations name theirs.
    let family_fault = if param.is_some() { None } else { bad_buffer };
    let family = check_family(
        c,
        &args,
        effect,
        (unknown_subop, family_fault),
        in_struct,
        ctx,
        errors,
    );
    let param = check_call_param(
        c,
        &args,
        param,
        &fixed_args,
        bad_buffer,
        family.is_some(),
        ctx,
        errors,
    );

    if errors.len() != start {
        return None;
    }
    Some(CheckedCall {
        ident: c.ident.clone(),
        number,
        args,
        results,
        errors: call_errors,
        presence,
        status,
        effect,
        narrow,
        rules,
        since,
        smccc,
        stable,
        disruption,
        source,
        doc,
        family,
        param,
    })
}

/// `#[param(struct)]` or `#[param(struct, high = argument)]` on a call.
struct ParamAttr {
    name: Ident,
    high: Option<Ident>,
}

/// The parameter struct of a call without sub-operations: `#[param(struct, high = arg)]`, the
/// values `#[args(name = v, ..)]` of its other arguments that go with the struct, and its
/// `bad_buffer`. The call has exactly one pointer argument, and `high` (the argument with the
/// upper bits of a split address) and each of `args` name one of its other arguments.
#[allow(clippy::too_many_arguments)]
fn check_call_param(
    c: &CallDef,
    args: &[(String, Reg, Domain)],
    attr: Option<ParamAttr>,
    fixed: &[(Ident, Expr)],
    fault: Option<Named>,
    family: bool,
    ctx: &AbiCtx,
    errors: &mut Errors,
) -> Option<CallParam> {
    let Some(attr) = attr else {
        if let Some((name, _)) = fixed.first() {
            errors.push(
                name.span(),
                format!(
                    "`{}`: `args(..)` on a call goes with `param(struct)`",
                    c.ident
                ),
            );
        }
        return None;
    };
    let start = errors.len();
    if family {
        errors.push(
            attr.name.span(),
            format!(
                "`{}` has sub-operations: `param(struct)` goes on the values of its `enum` argument",
                c.ident
            ),
        );
        return None;
    }
    let st = ctx.structs.iter().find(|st| attr.name == st.name);
    if st.is_none() {
        errors.push(
            attr.name.span(),
            format!(
                "struct `{}` is not declared in the ABI's `structs`",
                attr.name
            ),
        );
    }
    let pointers: Vec<usize> = (0..args.len())
        .filter(|&i| args[i].2.is_pointer())
        .collect();
    let pointer = match pointers[..] {
        [one] => Some(one),
        [] => {
            errors.push(
                attr.name.span(),
                format!(
                    "`{}` takes no pointer argument for a parameter struct",
                    c.ident
                ),
            );
            None
        }
        _ => {
            errors.push(
                attr.name.span(),
                format!(
                    "`{}` takes {} pointer arguments; `param(struct)` needs exactly one",
                    c.ident,
                    pointers.len()
                ),
            );
            None
        }
    };
    let other = |name: &Ident, what: &str, errors: &mut Errors| -> Option<u8> {
        match args.iter().position(|(n, _, _)| name == n) {
            None => {
                errors.push(
                    name.span(),
                    format!("`{}` has no argument `{name}`", c.ident),
                );
                None
            }
            Some(i) if Some(i) == pointer => {
                errors.push(
                    name.span(),
                    format!("`{name}` is the pointer argument; {what} names another one"),
                );
                None
            }
            Some(i) => Some(i as u8),
        }
    };
    let high = attr.high.as_ref().and_then(|h| other(h, "`high`", errors));
    let mut values = Vec::new();
    for (name, e) in fixed {
        let Some(i) = other(name, "`args`", errors) else {
            continue;
        };
        if Some(i) == high {
            errors.push(
                name.span(),
                format!("`{name}` holds the address's upper bits; the plan sets it"),
            );
            continue;
        }
        if let Some(v) = eval_checked(e, errors) {
            values.push((i, v as u64));
        }
    }
    if errors.len() != start {
        return None;
    }
    Some(CallParam {
        call: leak(c.ident.to_string()),
        param: st?.name,
        pointer: pointer? as u8,
        high,
        args: Box::leak(values.into_boxed_slice()),
        fault,
    })
}

/// `#[smccc(fast | yielding, smc32 | smc64, owner = N)]`: the function-ID fields the author
/// declares, so a lint can hold the number to them.
fn check_smccc(a: &Attribute, errors: &mut Errors) -> Option<SmcccId> {
    let mut fast = None;
    let mut smc64 = None;
    let mut owner = None;
    let parsed = a.parse_nested_meta(|m| {
        let word = m
            .path
            .get_ident()
            .map(|i| i.to_string())
            .unwrap_or_default();
        match word.as_str() {
            "fast" | "yielding" => fast = Some(word == "fast"),
            "smc32" | "smc64" => smc64 = Some(word == "smc64"),
            "owner" => {
                let e: Expr = m.value()?.parse()?;
                match eval(&e) {
                    Ok(v @ 0..=63) => owner = Some(v as u8),
                    Ok(v) => {
                        return Err(syn::Error::new_spanned(
                            &e,
                            format!("SMCCC owner {v} is not in 0..=63"),
                        ))
                    }
                    Err(err) => return Err(err),
                }
            }
            _ => {
                return Err(m.error("expected `fast`, `yielding`, `smc32`, `smc64` or `owner = N`"))
            }
        }
        Ok(())
    });
    if let Err(e) = parsed {
        errors.0.push(e);
        return None;
    }
    match (fast, smc64, owner) {
        (Some(fast), Some(smc64), Some(owner)) => Some(SmcccId { fast, smc64, owner }),
        _ => {
            errors.push(a.span(), "`smccc(..)` needs all three: `fast` or `yielding`, `smc32` or `smc64`, and `owner = N`");
            None
        }
    }
}

/// Names become Rust identifiers (functions, parameters, constants): they must be plain ones.
fn check_name(ident: &Ident, what: &str, errors: &mut Errors) {
    let name = ident.to_string();
    let plain = syn::parse_str::<Ident>(&name).is_ok() && !name.starts_with("r#");
    let lower = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !plain || !lower || name == "page" {
        errors.push(ident.span(), format!(
            "{what} name `{name}` must be a lowercase snake_case identifier that is not a keyword (nor `page`, the hypercall-page parameter)"
        ));
    }
}

/// Binds each parameter to its register: the next unused one of the ABI's list, or the one named
/// with `@`.
fn bind_params(
    params: &[ParamDef],
    regs: &[Reg],
    what: &str,
    call: &str,
    span: Span,
    arch: Arch,
    errors: &mut Errors,
) -> Vec<(String, Reg, Domain)> {
    let mut out: Vec<(String, Reg, Domain)> = Vec::new();
    if params.len() > regs.len() {
        errors.push(
            params[regs.len()].ident.span(),
            format!(
                "`{call}` has {} {what}s but the ABI has only {} {what} register{}",
                params.len(),
                regs.len(),
                if regs.len() == 1 { "" } else { "s" }
            ),
        );
        return out;
    }
    let _ = span;
    // Registers named with `@` are taken first; the others fill the free ones in order.
    let explicit: Vec<Reg> = params
        .iter()
        .filter_map(|p| p.reg.as_ref().and_then(|i| arch.reg(&i.to_string())))
        .collect();
    let mut free = regs.iter().copied().filter(|r| !explicit.contains(r));
    for p in params {
        let name = p.ident.to_string();
        if out.iter().any(|(n, _, _)| *n == name) {
            errors.push(
                p.ident.span(),
                format!("{what} `{name}` declared twice in `{call}`"),
            );
            continue;
        }
        let reg = match &p.reg {
            Some(i) => match arch.reg(&i.to_string()) {
                Some(r) if regs.contains(&r) => Some(r),
                Some(r) => {
                    errors.push(
                        i.span(),
                        format!("`{r}` is not one of the ABI's {what} registers"),
                    );
                    None
                }
                None => {
                    errors.push(i.span(), format!("unknown register `{i}` for arch {arch}"));
                    None
                }
            },
            None => {
                let r = free.next();
                if r.is_none() {
                    errors.push(
                        p.ident.span(),
                        format!("no {what} register left for `{name}`: the others are taken by `@` bindings"),
                    );
                }
                r
            }
        };
        let Some(reg) = reg else { continue };
        if out.iter().any(|(_, r, _)| *r == reg) {
            errors.push(
                p.ident.span(),
                format!("register `{reg}` carries two {what}s of `{call}`"),
            );
            continue;
        }
        if let Some(d) = check_domain(&p.domain, errors) {
            out.push((name, reg, d));
        }
    }
    out
}

fn check_domain(d: &DomainDef, errors: &mut Errors) -> Option<Domain> {
    let kind = d.kind.to_string();
    match (kind.as_str(), &d.body) {
        ("any", DomainBody::None) => Some(Domain::Any),
        ("mbz", DomainBody::None) => Some(Domain::MustBeZero),
        // A pointer whose struct's field selects sub-operations (`#[selector_field]`).
        ("ptr", DomainBody::None | DomainBody::Enum(_)) => Some(Domain::Pointer {
            align: 1,
            nullable: false,
        }),
        ("ptr", DomainBody::Args(args)) => {
            let mut align = 1u32;
            let mut nullable = false;
            for a in args {
                match a {
                    Expr::Path(p) if p.path.is_ident("nullable") => nullable = true,
                    Expr::Assign(asg) if matches!(&*asg.left, Expr::Path(p) if p.path.is_ident("align")) =>
                    {
                        let v = eval_checked(&asg.right, errors)?;
                        if v <= 0 || (v & (v - 1)) != 0 || v > u32::MAX as i128 {
                            errors
                                .push(asg.right.span(), "pointer alignment must be a power of two");
                            return None;
                        }
                        align = v as u32;
                    }
                    other => {
                        errors.push(other.span(), "`ptr` takes `align = N` and/or `nullable`");
                        return None;
                    }
                }
            }
            Some(Domain::Pointer { align, nullable })
        }
        ("bits", DomainBody::Args(args)) if args.len() == 1 => {
            let v = eval_checked(&args[0], errors)?;
            Some(Domain::Bits { mask: v as u64 })
        }
        ("range", DomainBody::Args(args)) if args.len() == 1 => {
            let Expr::Range(r) = &args[0] else {
                errors.push(
                    args[0].span(),
                    "`range` takes a range, e.g. `range(0..=255)` or `range(0..)`",
                );
                return None;
            };
            let min = match &r.start {
                Some(e) => eval_checked(e, errors)?,
                None => i64::MIN as i128,
            };
            let max = match (&r.end, &r.limits) {
                (Some(e), syn::RangeLimits::Closed(_)) => eval_checked(e, errors)?,
                (Some(e), syn::RangeLimits::HalfOpen(_)) => eval_checked(e, errors)? - 1,
                (None, _) => u64::MAX as i128,
            };
            if min > max {
                errors.push(
                    r.span(),
                    format!("empty range: {min} is greater than {max}"),
                );
                return None;
            }
            Some(Domain::Range { min, max })
        }
        ("enum", DomainBody::Enum(consts)) => {
            if consts.is_empty() {
                errors.push(d.kind.span(), "an `enum` domain needs at least one value");
                return None;
            }
            let mut values: Vec<Named> = Vec::new();
            for Const { ident, value, .. } in consts {
                let v = eval_checked(value, errors)? as i64;
                if let Some(prev) = values.iter().find(|n| n.value == v) {
                    errors.push(
                        value.span(),
                        format!("`{ident}` has the same value as `{}`", prev.name),
                    );
                    return None;
                }
                values.push(Named {
                    name: leak(ident.to_string()),
                    value: v,
                });
            }
            Some(Domain::Enum {
                values: Box::leak(values.into_boxed_slice()),
            })
        }
        _ => {
            errors.push(d.kind.span(), format!(
                "unknown domain `{kind}`; expected any, mbz, range(a..=b), enum {{ NAME = v, .. }}, bits(mask), ptr or ptr(align = n, nullable)"
            ));
            None
        }
    }
}

/// Evaluates an integer expression of literals, constants like `u32::MAX`, and `- | & << >> + *`.
pub fn eval(e: &Expr) -> Result<i128, syn::Error> {
    let err = |e: &Expr, m: &str| syn::Error::new(e.span(), m);
    match e {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) => i
            .base10_parse::<u64>()
            .map(|v| v as i128)
            .map_err(|_| err(e, "integer literal does not fit 64 bits")),
        Expr::Paren(p) => eval(&p.expr),
        Expr::Group(g) => eval(&g.expr),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => Ok(-eval(&u.expr)?),
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => Ok(!(eval(&u.expr)? as u64) as i128),
        Expr::Path(p) => {
            let s = quote::quote!(#p).to_string().replace(' ', "");
            Ok(match s.as_str() {
                "u8::MAX" => u8::MAX as i128,
                "u16::MAX" => u16::MAX as i128,
                "u32::MAX" => u32::MAX as i128,
                "u64::MAX" => u64::MAX as i128,
                "i32::MAX" => i32::MAX as i128,
                "i32::MIN" => i32::MIN as i128,
                "i64::MAX" => i64::MAX as i128,
                "i64::MIN" => i64::MIN as i128,
                _ => {
                    return Err(err(
                        e,
                        "expected an integer (a literal, or u8/u16/u32/u64/i32/i64 ::MAX/::MIN)",
                    ))
                }
            })
        }
        Expr::Binary(b) => {
            let (l, r) = (eval(&b.left)?, eval(&b.right)?);
            use syn::BinOp::*;
            Ok(match b.op {
                BitOr(_) => l | r,
                BitAnd(_) => l & r,
                Shl(_) if (0..64).contains(&r) => l
                    .checked_shl(r as u32)
                    .filter(|v| *v >> r == l)
                    .ok_or_else(|| err(e, "shift overflows"))?,
                Shr(_) if (0..128).contains(&r) => l >> r,
                Add(_) => l.checked_add(r).ok_or_else(|| err(e, "overflow"))?,
                Sub(_) => l.checked_sub(r).ok_or_else(|| err(e, "overflow"))?,
                Mul(_) => l.checked_mul(r).ok_or_else(|| err(e, "overflow"))?,
                _ => return Err(err(e, "unsupported operator in an integer expression")),
            })
        }
        _ => Err(err(e, "expected an integer expression")),
    }
}

fn eval_checked(e: &Expr, errors: &mut Errors) -> Option<i128> {
    match eval(e) {
        Ok(v) if v >= i64::MIN as i128 && v <= u64::MAX as i128 => Some(v),
        Ok(_) => {
            errors.push(e.span(), "value does not fit 64 bits");
            None
        }
        Err(err) => {
            errors.0.push(err);
            None
        }
    }
}

/// `v` as a register value of `bits` width, if it fits (negative numbers are two's complement).
fn fit(v: i128, bits: u8) -> Option<u64> {
    let bits = bits as u32;
    if v >= 0 && v < (1i128 << bits) {
        Some(v as u64)
    } else if v < 0 && v >= -(1i128 << (bits - 1)) {
        Some((v as u64) & abi_spec::abi::mask(bits as u8))
    } else {
        None
    }
}

fn expr_ident(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    }
}

/// Several `#[source]`s on one item are all kept, in order, separated by "; ".
fn add_source(into: &mut String, s: String) {
    if s.is_empty() {
        return;
    }
    if !into.is_empty() {
        into.push_str("; ");
    }
    into.push_str(&s);
}

fn attr_str(a: &Attribute, name: &str, errors: &mut Errors) -> Option<String> {
    if !a.path().is_ident(name) {
        return None;
    }
    match &a.meta {
        syn::Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            v => {
                errors.push(v.span(), format!("`#[{name} = \"...\"]` takes a string"));
                None
            }
        },
        _ => {
            errors.push(a.span(), format!("expected `#[{name} = \"...\"]`"));
            None
        }
    }
}

/// Splits doc comments (joined, trimmed) from the other attributes.
fn split_doc(attrs: &[Attribute]) -> (String, Vec<&Attribute>) {
    let mut doc = Vec::new();
    let mut rest = Vec::new();
    for a in attrs {
        if a.path().is_ident("doc") {
            if let syn::Meta::NameValue(nv) = &a.meta {
                if let Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
                {
                    doc.push(s.value().trim().to_string());
                }
            }
        } else {
            rest.push(a);
        }
    }
    (doc.join("\n").trim().to_string(), rest)
}

/// The model holds `&'static` data; a proc-macro process is short-lived, so leaking is the simple
/// way to build model values that `lower` hands to the same code the runtime uses.
pub fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}
