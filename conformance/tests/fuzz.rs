//! Every file reader under arbitrary bytes and under mutations of a valid file: no panic, and
//! every refusal is the bad-input error the CLI maps to exit 2 (issue 17). The mutations are
//! structural (a JSON node replaced by any JSON value: negative, huge, fractional numbers,
//! wrong types, empty containers) and textual (bytes cut, inserted or flipped), so the readers'
//! semantic checks run, not only the JSON parser. Kept small to run in seconds in debug builds.

use std::path::Path;

use conformance::report::{self, Report};
use proptest::prelude::*;
use serde_json::Value;

fn manifest(path: &str) -> String {
    format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))
}

/// Any JSON value, a few levels deep, biased to the values that break readers.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop_oneof![Just(-1.0f64), Just(0.5), Just(1e300)].prop_map(Value::from),
        prop_oneof![
            Just("".to_string()),
            Just("0x".to_string()),
            Just("-1".to_string()),
            Just("0xffffffffffffffffff".to_string()),
            Just("*".to_string()),
            Just("x29".to_string()),
            Just("fp".to_string()),
            "[a-z0-9_:-]{0,12}",
        ]
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the `pick`-th node (pre-order, modulo the count) of `v` by `by`.
fn replace_node(v: &mut Value, pick: usize, by: Value) {
    fn count(v: &Value) -> usize {
        1 + match v {
            Value::Array(a) => a.iter().map(count).sum(),
            Value::Object(o) => o.values().map(count).sum(),
            _ => 0,
        }
    }
    fn walk(v: &mut Value, n: &mut usize, by: &mut Option<Value>) {
        if *n == 0 {
            if let Some(b) = by.take() {
                *v = b;
            }
            return;
        }
        *n -= 1;
        match v {
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, n, by)),
            Value::Object(o) => o.values_mut().for_each(|x| walk(x, n, by)),
            _ => {}
        }
    }
    let mut n = pick % count(v);
    walk(v, &mut n, &mut Some(by));
}

#[derive(Debug, Clone)]
enum Edit {
    Node(usize, Value),
    Cut(usize, usize),
    Insert(usize, Vec<u8>),
    Flip(usize, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        3 => (any::<usize>(), any_json()).prop_map(|(i, v)| Edit::Node(i, v)),
        1 => (any::<usize>(), 0usize..64).prop_map(|(i, n)| Edit::Cut(i, n)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(i, b)| Edit::Insert(i, b)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Flip(i, b)),
    ]
}

/// `valid` with `edits` applied, as bytes.
fn mutate(valid: &str, edits: &[Edit]) -> Vec<u8> {
    let mut v: Value = serde_json::from_str(valid).unwrap();
    let mut textual = Vec::new();
    for e in edits {
        match e {
            Edit::Node(i, by) => replace_node(&mut v, *i, by.clone()),
            other => textual.push(other.clone()),
        }
    }
    let mut bytes = serde_json::to_vec_pretty(&v).unwrap();
    for e in textual {
        let len = bytes.len().max(1);
        match e {
            Edit::Cut(i, n) => {
                let at = i % len;
                let end = (at + n).min(bytes.len());
                bytes.drain(at.min(bytes.len())..end);
            }
            Edit::Insert(i, b) => {
                let at = (i % len).min(bytes.len());
                bytes.splice(at..at, b);
            }
            Edit::Flip(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % len] ^= b;
                }
            }
            Edit::Node(..) => unreachable!(),
        }
    }
    bytes
}

fn inputs(valid: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..256),
        4 => prop::collection::vec(edit(), 1..4).prop_map(move |e| mutate(valid, &e)),
    ]
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// Every reader refuses what it refuses as bad input; the readers return `Result`s whose
/// errors the CLI turns into exit 2, so "no panic" is what this checks, plus that an accepted
/// document goes through what the CLI does with it next.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 96,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn text(bytes: Vec<u8>) -> Option<String> {
    conformance::files::text_of(Path::new("f.json"), bytes).ok()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn dump_reader(bytes in inputs(leak(std::fs::read_to_string(manifest("tests/fixtures/dump_good.json")).unwrap()))) {
        if let Some(t) = text(bytes) {
            if let Ok(r) = conformance::dump::check_str(Path::new("d.json"), &t) {
                prop_assert_eq!(r.targets.len(), 1);
            }
        }
    }

    #[test]
    fn baseline_reader(bytes in inputs(leak(std::fs::read_to_string(manifest("../baselines/qemu-7.2.json")).unwrap()))) {
        if let Some(t) = text(bytes) {
            if let Ok(b) = conformance::run::parse_baseline(Path::new("b.json"), &t) {
                // What run and bless do with a baseline.
                let mut r = data_report();
                let _ = conformance::baseline::gate(&mut r, &b);
                let _ = conformance::baseline::bless(&r, Some(&b));
            }
        }
    }

    #[test]
    fn report_reader(bytes in inputs(leak(std::fs::read_to_string(manifest("tests/data/report.json")).unwrap()))) {
        if let Some(t) = text(bytes) {
            if let Ok(r) = report::json::from_str(&t, Path::new("r.json")) {
                for f in report::Format::ALL {
                    let _ = f.render(&r);
                }
                let _ = conformance::baseline::unblessable(&r);
                let mut shard = r.clone();
                shard.shard = Some(report::Shard { index: 1, count: 1 });
                let _ = report::merge(vec![shard]);
            }
        }
    }

    #[test]
    fn spec_export_reader(bytes in inputs(leak(spec_export()))) {
        if let Some(t) = text(bytes) {
            if let Ok(abis) = conformance::diff::parse("s.json", &t) {
                let reference = conformance::diff::parse("r.json", &spec_export()).unwrap();
                let _ = conformance::diff::diff(&abis, &reference);
                let _ = conformance::diff::diff(&reference, &abis);
            }
        }
    }

    #[test]
    fn wire_decoders(bytes in wire_inputs()) {
        decode_all(&bytes);
    }
}

fn data_report() -> Report {
    let text = std::fs::read_to_string(manifest("tests/data/report.json")).unwrap();
    report::json::from_str(&text, Path::new("report.json")).unwrap()
}

fn spec_export() -> String {
    let abis: Vec<_> = ["psci-arm64", "xen-x86_64"]
        .iter()
        .map(|id| specs::find(id).unwrap())
        .collect();
    serde_json::to_string_pretty(&abi_spec::export::SpecExport::new(&abis)).unwrap()
}

/// A real plan and real records, then arbitrary bytes and flips of them.
fn wire_inputs() -> impl Strategy<Value = Vec<u8>> {
    let abi = specs::find("psci-arm64").unwrap();
    let plan = conformance::plan::plan(
        &[abi],
        &conformance::plan::PlanConfig {
            seed: 1,
            cases_per_call: 1,
            calls: vec![],
            callers: true,
            admit: Vec::new(),
            implementation: None,
            scratch_at_memory_end: false,
        },
    );
    let valid = plan.encode(abi.arch);
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        prop::collection::vec((any::<usize>(), any::<u8>()), 1..6).prop_map(move |flips| {
            let mut b = valid.clone();
            for (i, x) in flips {
                let n = b.len();
                b[i % n] ^= x;
            }
            b
        }),
    ]
}

fn decode_all(bytes: &[u8]) {
    use abi_spec::wire::{PlanReader, Reader, Record};
    // As a plan (the payload after the runner's header).
    for start in [0, bytes.len().min(8)] {
        if let Ok(p) = PlanReader::parse(&bytes[start..]) {
            for i in 0..=p.nabis {
                let _ = p.abi_id(i);
            }
            for c in p.cases().take(10_000) {
                match c {
                    Ok(c) => {
                        let _ = c.input(p.arch, u64::MAX);
                    }
                    Err(_) => break,
                }
            }
        }
    }
    // As a stream of records.
    let mut r = Reader::new(bytes);
    while !r.is_empty() {
        match Record::read(&mut r) {
            Ok(rec) => {
                for arch in abi_spec::Arch::ALL {
                    let _ = rec.case_after(&abi_spec::RegisterFile::new(arch));
                }
                let _ = rec.info_pairs().count();
            }
            Err(_) => break,
        }
    }
}
