//! Tests that pin the checker's case logic (`check_case`: expectations, rejections, unknown
//! numbers, the caller comparison, narrow results) and the wire format byte for byte, so that
//! `cargo mutants -p abi-spec --test-package abi-spec` on `check.rs` and `wire.rs` leaves no
//! behaviour-changing mutant alive (issue 17). The ABI is the one of `tests.rs`, varied.

use crate::abi::*;
use crate::arch::{Arch, Reg};
use crate::check::{check_case, Expect, Observation, Violation, ViolationKind, UNKNOWN_CALL};
use crate::regfile::{poison, RegisterFile};
use crate::tests::ABI;
use crate::wire::*;

const fn x(i: u8) -> Reg {
    Reg::new(Arch::Aarch64, i)
}

fn obs(abi: &Abi, call: &Call, args: &[u64], ret: u64) -> Observation {
    let before = abi.probe_input(call, args, 1);
    let mut after = before;
    after.set(x(0), ret);
    Observation {
        before,
        after,
        exception: None,
    }
}

fn case(abi: &Abi, expect: Expect<'_>, o: &Observation, caller: Option<&[u64]>) -> Vec<Violation> {
    let mut out = Vec::new();
    check_case(abi, expect, o, caller, |v| out.push(v));
    out
}

fn kinds(v: &[Violation]) -> Vec<(ViolationKind, Option<&'static str>)> {
    v.iter()
        .map(|v| (v.kind, v.reg.map(|r| r.name())))
        .collect()
}

const EINVAL: u64 = -22i64 as u64;
const ENOSYS: u64 = -38i64 as u64;

#[test]
fn check_case_applies_the_contract() {
    let two = &ABI.calls[0];
    assert_eq!(
        case(
            &ABI,
            Expect::Contract(two),
            &obs(&ABI, two, &[1, 0], 5),
            None
        ),
        []
    );
    let mut o = obs(&ABI, two, &[1, 0], 5);
    o.after.set(x(3), 7);
    assert_eq!(
        kinds(&case(&ABI, Expect::Contract(two), &o, None)),
        [(ViolationKind::PreservedChanged, Some("x3"))]
    );
    // A result outside its domain and the call's errors.
    let o = obs(&ABI, two, &[1, 0], ENOSYS);
    assert_eq!(
        kinds(&case(&ABI, Expect::Contract(two), &o, None)),
        [(ViolationKind::ResultOutOfDomain, Some("x0"))]
    );
}

#[test]
fn a_rejected_case_needs_an_error_code_and_still_checks_registers() {
    let two = &ABI.calls[0];
    // The call's own error: rejected as it should be.
    assert_eq!(
        case(
            &ABI,
            Expect::Rejected(two),
            &obs(&ABI, two, &[99, 0], EINVAL),
            None
        ),
        []
    );
    // The ABI's unknown-number error is a rejection too.
    assert_eq!(
        case(
            &ABI,
            Expect::Rejected(two),
            &obs(&ABI, two, &[99, 0], ENOSYS),
            None
        ),
        []
    );
    // Accepted: the status is a success value.
    let v = case(
        &ABI,
        Expect::Rejected(two),
        &obs(&ABI, two, &[99, 0], 0),
        None,
    );
    assert_eq!(kinds(&v), [(ViolationKind::InvalidAccepted, Some("x0"))]);
    assert_eq!(
        (v[0].expected, v[0].observed, v[0].role),
        (EINVAL, 0, Some(Role::Result))
    );
    assert_eq!(v[0].before, obs(&ABI, two, &[99, 0], 0).before.get(x(0)));
    // A value that is neither: out of domain (not reported: the case is about rejection) and
    // not a rejection.
    let v = case(
        &ABI,
        Expect::Rejected(two),
        &obs(&ABI, two, &[99, 0], -5i64 as u64),
        None,
    );
    assert_eq!(kinds(&v), [(ViolationKind::InvalidAccepted, Some("x0"))]);
    // A preserved register that changed is still reported.
    let mut o = obs(&ABI, two, &[99, 0], EINVAL);
    o.after.set(x(3), 1);
    assert_eq!(
        kinds(&case(&ABI, Expect::Rejected(two), &o, None)),
        [(ViolationKind::PreservedChanged, Some("x3"))]
    );
    // An exception is what it is, not an acceptance.
    let mut o = obs(&ABI, two, &[99, 0], 0);
    o.exception = Some(3);
    assert_eq!(
        kinds(&case(&ABI, Expect::Rejected(two), &o, None)),
        [(ViolationKind::UnexpectedException, None)]
    );
    // The caller is not compared for rejected cases.
    assert_eq!(
        case(
            &ABI,
            Expect::Rejected(two),
            &obs(&ABI, two, &[99, 0], EINVAL),
            Some(&[0])
        ),
        []
    );
}

#[test]
fn a_rejection_is_read_at_the_call_width() {
    // The narrow call: 32-bit, errors from the ABI's unknown error only.
    let narrow = &ABI.calls[1];
    let low_enosys = ENOSYS & 0xffff_ffff;
    // Sign-extended ENOSYS at 32 bits is the rejection (upper bits are the sign).
    assert_eq!(
        case(
            &ABI,
            Expect::Rejected(narrow),
            &obs(&ABI, narrow, &[0], ENOSYS),
            None
        ),
        []
    );
    // The low word alone, upper bits zero: still a rejection value, but the upper bits break
    // the sign-extension rule.
    assert_eq!(
        kinds(&case(
            &ABI,
            Expect::Rejected(narrow),
            &obs(&ABI, narrow, &[0], low_enosys),
            None
        )),
        [(ViolationKind::UpperBits, Some("x0"))]
    );
    // Without an unknown error in the ABI, ENOSYS is not a rejection of a call without errors.
    let abi = Abi {
        unknown: None,
        ..ABI
    };
    let v = case(
        &abi,
        Expect::Rejected(&abi.calls[1]),
        &obs(&abi, &abi.calls[1], &[0], ENOSYS),
        None,
    );
    assert_eq!(kinds(&v), [(ViolationKind::InvalidAccepted, Some("x0"))]);
    assert_eq!(v[0].observed, low_enosys, "read at 32 bits");
    assert_eq!(v[0].expected, 0, "no error to expect");
}

#[test]
fn a_stub_is_checked_like_the_caller_plus_its_live_values_and_exceptions() {
    use crate::check::{check_stub, StubAnswer};
    let two = &ABI.calls[0];
    let o = obs(&ABI, two, &[1, 0], 5);
    let stub = |a: StubAnswer<'_>, o: &Observation| {
        let mut out = Vec::new();
        check_stub(&ABI, Expect::Contract(two), o, a, |v| out.push(v));
        out
    };
    assert_eq!(stub(StubAnswer::Returned(&[5]), &o), []);
    let v = stub(StubAnswer::Returned(&[6]), &o);
    assert_eq!(kinds(&v), [(ViolationKind::CallerMismatch, Some("x0"))]);
    let v = stub(StubAnswer::LiveChanged(&[5]), &o);
    assert_eq!(kinds(&v), [(ViolationKind::LiveValueChanged, None)]);
    let v = stub(StubAnswer::LiveChanged(&[6]), &o);
    assert_eq!(
        kinds(&v),
        [
            (ViolationKind::LiveValueChanged, None),
            (ViolationKind::CallerMismatch, Some("x0"))
        ]
    );
    let v = stub(StubAnswer::Exception(0x16), &o);
    assert_eq!(kinds(&v), [(ViolationKind::UnexpectedException, None)]);
    assert_eq!(v[0].observed, 0x16);
    // Where the probe took the exception too, the stub agrees.
    let mut e = o;
    e.exception = Some(0x16);
    assert_eq!(stub(StubAnswer::Exception(0x16), &e), []);
    assert_eq!(stub(StubAnswer::Returned(&[6]), &e), []);
}

#[test]
fn the_caller_is_compared_on_the_status_when_it_has_a_domain() {
    let two = &ABI.calls[0];
    let o = obs(&ABI, two, &[1, 0], 5);
    assert_eq!(case(&ABI, Expect::Contract(two), &o, Some(&[5])), []);
    assert_eq!(case(&ABI, Expect::Contract(two), &o, None), []);
    let v = case(&ABI, Expect::Contract(two), &o, Some(&[6]));
    assert_eq!(kinds(&v), [(ViolationKind::CallerMismatch, Some("x0"))]);
    assert_eq!((v[0].expected, v[0].observed), (5, 6));
    assert_eq!(v[0].before, o.before.get(x(0)));
    // A caller that returned nothing reads as 0.
    let v = case(&ABI, Expect::Contract(two), &o, Some(&[]));
    assert_eq!(
        (v[0].kind, v[0].observed),
        (ViolationKind::CallerMismatch, 0)
    );
    // No comparison after an exception.
    let mut e = o;
    e.exception = Some(1);
    assert_eq!(
        kinds(&case(&ABI, Expect::Contract(two), &e, Some(&[6]))),
        [(ViolationKind::UnexpectedException, None)]
    );
    // Compared at the call's width: upper bits of a 32-bit status do not count.
    let narrow = &ABI.calls[1];
    let o = obs(&ABI, narrow, &[0], 0);
    assert_eq!(
        case(&ABI, Expect::Contract(narrow), &o, Some(&[0x5_0000_0000])),
        []
    );
    assert_eq!(
        kinds(&case(&ABI, Expect::Contract(narrow), &o, Some(&[1]))),
        [(ViolationKind::CallerMismatch, Some("x0"))]
    );
    // A status with no declared domain (random numbers, clocks) is not compared.
    static ANY: [Ret; 1] = [Ret {
        name: "ret",
        reg: x(0),
        domain: Domain::Any,
    }];
    let calls: &'static [Call] = Box::leak(Box::new([Call {
        results: &ANY,
        ..ABI.calls[0]
    }]));
    let abi = Abi { calls, ..ABI };
    let o = obs(&abi, &calls[0], &[1, 0], 5);
    assert_eq!(case(&abi, Expect::Contract(&calls[0]), &o, Some(&[6])), []);
    // Nor a call without results.
    let calls: &'static [Call] = Box::leak(Box::new([Call {
        results: &[],
        ..ABI.calls[0]
    }]));
    let abi = Abi { calls, ..ABI };
    let o = obs(&abi, &calls[0], &[1, 0], 0);
    let mut o2 = o;
    o2.after = o.before;
    assert_eq!(case(&abi, Expect::Contract(&calls[0]), &o2, Some(&[6])), []);
}

#[test]
fn unknown_numbers_get_the_unknown_outcome() {
    let o = |ret| obs(&ABI, &UNKNOWN_CALL, &[], ret);
    assert_eq!(case(&ABI, Expect::Unknown, &o(ENOSYS), None), []);
    let v = case(&ABI, Expect::Unknown, &o(0), None);
    assert_eq!(kinds(&v), [(ViolationKind::UnknownAccepted, Some("x0"))]);
    assert_eq!(
        (v[0].expected, v[0].observed, v[0].role),
        (ENOSYS, 0, Some(Role::Result))
    );
    assert_eq!(v[0].before, o(0).before.get(x(0)));
    // Other registers keep their roles (x3 preserved), results are not judged (x0 is).
    let mut w = o(ENOSYS);
    w.after.set(x(3), 1);
    assert_eq!(
        kinds(&case(&ABI, Expect::Unknown, &w, None)),
        [(ViolationKind::PreservedChanged, Some("x3"))]
    );
    // An exception where the error was due.
    let mut e = o(0);
    e.exception = Some(9);
    assert_eq!(
        kinds(&case(&ABI, Expect::Unknown, &e, None)),
        [(ViolationKind::UnexpectedException, None)]
    );
    // A 32-bit ABI reads the status at 32 bits.
    let narrow = Abi {
        narrow: Some(Narrow {
            bits: 32,
            input_upper: UpperInput::Ignored,
            output_upper: UpperOutput::Undefined,
        }),
        ..ABI
    };
    let o = obs(&narrow, &UNKNOWN_CALL, &[], ENOSYS & 0xffff_ffff);
    assert_eq!(case(&narrow, Expect::Unknown, &o, None), []);
    let o = obs(&narrow, &UNKNOWN_CALL, &[], 0x1234_0000_0001);
    let v = case(&narrow, Expect::Unknown, &o, None);
    assert_eq!(kinds(&v), [(ViolationKind::UnknownAccepted, Some("x0"))]);
    assert_eq!((v[0].expected, v[0].observed), (0xffff_ffda, 1));
    // An ABI whose unknown numbers raise an exception (s390's DIAG 500).
    let exc = Abi {
        unknown: Some(Unknown::Exception("specification exception")),
        ..ABI
    };
    let mut o = obs(&exc, &UNKNOWN_CALL, &[], 0);
    o.exception = Some(6);
    assert_eq!(case(&exc, Expect::Unknown, &o, None), []);
    let o = obs(&exc, &UNKNOWN_CALL, &[], 0x77);
    let v = case(&exc, Expect::Unknown, &o, None);
    assert_eq!(kinds(&v), [(ViolationKind::MissingException, Some("x0"))]);
    assert_eq!(
        (v[0].observed, v[0].before, v[0].role),
        (0x77, o.before.get(x(0)), None)
    );
    // No unknown outcome declared: only the register contract.
    let none = Abi {
        unknown: None,
        ..ABI
    };
    assert_eq!(
        case(
            &none,
            Expect::Unknown,
            &obs(&none, &UNKNOWN_CALL, &[], 0),
            None
        ),
        []
    );
}

#[test]
fn upper_bits_follow_the_declared_rule() {
    let with = |output_upper| {
        let calls = [Call {
            narrow: Some(Narrow {
                bits: 32,
                input_upper: UpperInput::Ignored,
                output_upper,
            }),
            ..ABI.calls[1]
        }];
        let abi = Abi {
            calls: Box::leak(Box::new(calls)),
            ..ABI
        };
        move |ret: u64| {
            let o = obs(&abi, &abi.calls[0], &[0], ret);
            kinds(&case(&abi, Expect::Contract(&abi.calls[0]), &o, None))
        }
    };
    let zero = with(UpperOutput::Zero);
    assert_eq!(zero(0), []);
    assert_eq!(
        zero(0x1_0000_0000),
        [(ViolationKind::UpperBits, Some("x0"))]
    );
    let undefined = with(UpperOutput::Undefined);
    assert_eq!(undefined(0xdead_0000_0000), []);
    let signed = with(UpperOutput::SignExtended);
    assert_eq!(signed(0), []);
    assert_eq!(
        signed(0x1_0000_0000),
        [(ViolationKind::UpperBits, Some("x0"))]
    );
}

#[test]
fn a_wrong_register_needs_an_untouched_status_and_a_general_register() {
    let two = &ABI.calls[0];
    // Status untouched, a preserved general register changed: the answer went there.
    let mut o = obs(&ABI, two, &[1, 0], 0);
    o.after = o.before;
    o.after.set(x(3), 5);
    assert_eq!(
        kinds(&case(&ABI, Expect::Contract(two), &o, None)),
        [
            (ViolationKind::PreservedChanged, Some("x3")),
            (ViolationKind::ResultInWrongRegister, Some("x3"))
        ]
    );
    // The flags are not where an answer goes.
    let mut o = obs(&ABI, two, &[1, 0], 0);
    o.after = o.before;
    o.after.set(x(32), 0x2000_0000);
    let v = kinds(&case(&ABI, Expect::Contract(two), &o, None));
    assert!(
        v.contains(&(ViolationKind::PreservedChanged, Some("nzcv"))),
        "{v:?}"
    );
    assert!(
        !v.contains(&(ViolationKind::ResultInWrongRegister, Some("nzcv"))),
        "{v:?}"
    );
}

#[test]
fn violation_kinds_and_messages_are_exact() {
    use ViolationKind::*;
    let all = [
        (
            PreservedChanged,
            "preserved_changed",
            "preserved register changed",
        ),
        (
            NotZeroOrPreserved,
            "not_zero_or_preserved",
            "zero-or-preserve register changed to non-zero",
        ),
        (
            ResultOutOfDomain,
            "result_out_of_domain",
            "result outside the declared values",
        ),
        (
            ResultInWrongRegister,
            "result_in_wrong_register",
            "result in the wrong register",
        ),
        (
            UpperBits,
            "upper_bits",
            "upper bits of a 32-bit result break the convention",
        ),
        (
            UnexpectedException,
            "unexpected_exception",
            "exception where a return was due",
        ),
        (
            MissingException,
            "missing_exception",
            "return where an exception was due",
        ),
        (
            UnknownAccepted,
            "unknown_accepted",
            "unknown number not answered with the unknown-number error",
        ),
        (
            InvalidAccepted,
            "invalid_accepted",
            "invalid argument not rejected with an error code",
        ),
        (
            CallerMismatch,
            "caller_mismatch",
            "generated caller and probe disagree",
        ),
        (
            LiveValueChanged,
            "live_value_changed",
            "a value kept live across the generated stub changed",
        ),
    ];
    for (k, id, name) in all {
        assert_eq!((k.id(), k.name()), (id, name));
    }
    let v = Violation {
        kind: PreservedChanged,
        reg: Some(x(3)),
        role: Some(Role::Preserved),
        before: 1,
        expected: 1,
        observed: 2,
    };
    assert_eq!(
        v.to_string(),
        "preserved register changed: x3 (preserved) before 0x1, expected 0x1, observed 0x2"
    );
    let v = Violation {
        reg: None,
        role: None,
        ..v
    };
    assert_eq!(
        v.to_string(),
        "preserved register changed before 0x1, expected 0x1, observed 0x2"
    );
}

// ---- wire ----

fn case_ref(id: u32, entries: &[(u8, u64)], reloc: u16) -> CaseRef {
    let mut e = [(0, 0); MAX_ENTRIES];
    e[..entries.len()].copy_from_slice(entries);
    CaseRef {
        id,
        abi: 1,
        call: 0x0203,
        flags: CASE_CALLER,
        seed: 0x4455,
        nent: entries.len() as u8,
        reloc,
        entries: e,
        buf_off: 0,
        buf_len: 0,
        buf: [0; MAX_BUFFER],
    }
}

#[test]
fn a_buffer_case_round_trips_and_its_record_carries_only_changed_bytes() {
    let mut c = case_ref(9, &[(16, 12), (0, 2)], 0b10);
    c.flags |= CASE_BUFFER;
    c.buf_off = 0x20;
    c.buf_len = 5;
    c.buf[..5].copy_from_slice(&[1, 2, 3, 4, 5]);
    let bytes = plan_bytes(Arch::Aarch64, &[c], 1);
    let plan = PlanReader::parse(&bytes).unwrap();
    let back = plan.cases().next().unwrap().unwrap();
    assert_eq!(back, c);
    assert_eq!(back.buffer(), [1, 2, 3, 4, 5]);

    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    write_buffer_record(&mut w, 9, &[1, 2, 3, 4, 5], &[1, 7, 3, 4, 0]);
    let len = w.len();
    let mut r = Reader::new(&buf[..len]);
    let Record::Buffer { id, n, mut bytes } = Record::read(&mut r).unwrap() else {
        panic!("not a buffer record")
    };
    assert_eq!((id, n), (9, 2));
    assert_eq!(
        [
            bytes.u8().unwrap(),
            bytes.u8().unwrap(),
            bytes.u8().unwrap(),
            bytes.u8().unwrap()
        ],
        [1, 7, 4, 0]
    );
    assert!(r.is_empty());
}

#[test]
fn a_struct_window_of_a_whole_xen_control_struct_round_trips() {
    // xen_domctl (144 bytes) and 16 bytes of slack: the input bytes past the old 64-byte limit
    // (cmd and interface_version sit at 0 and 4, but the union's inputs reach further) travel,
    // and so do changed bytes at offsets past 64.
    let mut c = case_ref(3, &[(0, 36)], 0);
    c.flags |= CASE_BUFFER;
    c.buf_len = 160;
    for (i, b) in c.buf[..160].iter_mut().enumerate() {
        *b = if i < 16 { i as u8 } else { 0xa5 };
    }
    c.buf[150] = 0x42;
    let bytes = plan_bytes(Arch::X86_64, &[c], 1);
    let back = PlanReader::parse(&bytes)
        .unwrap()
        .cases()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(back, c);
    assert_eq!(back.buffer().len(), 160);
    assert_eq!(back.buffer()[150], 0x42);

    let mut after = back.buffer().to_vec();
    after[4] = 0x15;
    after[143] = 0;
    let mut buf = [0u8; 64];
    let mut w = Writer::new(&mut buf);
    write_buffer_record(&mut w, 3, back.buffer(), &after);
    let len = w.len();
    let mut r = Reader::new(&buf[..len]);
    let Record::Buffer { id, n, mut bytes } = Record::read(&mut r).unwrap() else {
        panic!("not a buffer record")
    };
    assert_eq!((id, n), (3, 2));
    let pairs: Vec<u8> = (0..4).map(|_| bytes.u8().unwrap()).collect();
    assert_eq!(pairs, [4, 0x15, 143, 0]);

    // The largest window a u8 length says.
    let mut full = c;
    full.buf_len = MAX_BUFFER as u8;
    let bytes = plan_bytes(Arch::X86_64, &[full], 1);
    let back = PlanReader::parse(&bytes)
        .unwrap()
        .cases()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(back.buffer().len(), 255);
}

fn plan_bytes(arch: Arch, cases: &[CaseRef], ncases: u32) -> Vec<u8> {
    let mut buf = vec![0u8; 4096];
    let mut w = Writer::new(&mut buf);
    write_plan_header(
        &mut w,
        arch,
        PLAN_FLUSH_EACH,
        ncases,
        0x1000,
        &["abc", "de"],
    );
    for c in cases {
        write_case(&mut w, c);
    }
    assert!(!w.overflow);
    w.bytes().to_vec()
}

#[test]
fn a_plan_round_trips_byte_for_byte() {
    let a = case_ref(7, &[(16, 0x11), (0, 0xffff_0000_1234_5678)], 0b10);
    let b = case_ref(8, &[], 0);
    let bytes = plan_bytes(Arch::Aarch64, &[a, b], 2);
    #[rustfmt::skip]
    let header = [
        b'H', b'X', b'P', b'L', 2, 0, 1, PLAN_FLUSH_EACH, 2, 0, 0, 0, 0, 0x10, 0, 0,
        2, 3, b'a', b'b', b'c', 2, b'd', b'e',
        7, 0, 0, 0, 1, 0x03, 0x02, CASE_CALLER, 0x55, 0x44, 2, 0b10, 0,
        16, 0x11, 0, 0, 0, 0, 0, 0, 0,
    ];
    assert_eq!(&bytes[..header.len()], &header);
    let p = PlanReader::parse(&bytes).unwrap();
    assert_eq!(
        (p.arch, p.flags, p.ncases, p.scratch_len, p.nabis),
        (Arch::Aarch64, PLAN_FLUSH_EACH, 2, 0x1000, 2)
    );
    assert_eq!(
        (p.abi_id(0), p.abi_id(1), p.abi_id(2)),
        (Some("abc"), Some("de"), None)
    );
    let cases: Vec<_> = p.cases().collect();
    assert_eq!(cases, [Ok(a), Ok(b)]);
    assert_eq!(
        cases[0].unwrap().entries(),
        &[(16, 0x11), (0, 0xffff_0000_1234_5678)]
    );
    // Fewer cases than the header says: the missing one is truncation, then the end.
    let short = plan_bytes(Arch::Aarch64, &[a], 3);
    let items: Vec<_> = PlanReader::parse(&short).unwrap().cases().collect();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1], Err(WireError::Truncated { at: short.len() }));
}

#[test]
fn plan_headers_are_checked() {
    let good = plan_bytes(Arch::Riscv64, &[], 0);
    assert!(PlanReader::parse(&good).is_ok());
    assert_eq!(PlanReader::parse(b"HXP").err(), Some(WireError::BadMagic));
    assert_eq!(
        PlanReader::parse(b"HXPQ\x01\x00").err(),
        Some(WireError::BadMagic)
    );
    let mut v = good.clone();
    // A plan of version 1 (64-byte struct windows) is not read as one of version 2.
    v[4] = 1;
    assert_eq!(PlanReader::parse(&v).err(), Some(WireError::Version(1)));
    v[4] = 3;
    assert_eq!(PlanReader::parse(&v).err(), Some(WireError::Version(3)));
    let mut a = good.clone();
    a[6] = 0;
    assert_eq!(PlanReader::parse(&a).err(), Some(WireError::UnknownArch(0)));
    a[6] = 8;
    assert_eq!(PlanReader::parse(&a).err(), Some(WireError::UnknownArch(8)));
    // A truncated ABI table.
    assert_eq!(
        PlanReader::parse(&good[..good.len() - 1]).err(),
        Some(WireError::Truncated { at: 22 })
    );
    for arch in Arch::ALL {
        assert_eq!(arch_from_code(arch_code(arch)), Some(arch));
    }
    let codes: Vec<u8> = Arch::ALL.iter().map(|a| arch_code(*a)).collect();
    assert_eq!(codes, [1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn case_entries_are_bounded_and_name_real_registers() {
    let arch = Arch::Aarch64;
    let full: Vec<(u8, u64)> = (0..MAX_ENTRIES as u8).map(|i| (i, i as u64)).collect();
    let bytes = plan_bytes(arch, &[case_ref(1, &full, 0)], 1);
    let c = PlanReader::parse(&bytes)
        .unwrap()
        .cases()
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(c.entries().len(), MAX_ENTRIES);
    // One more entry than allowed: written by hand (CaseRef cannot hold it).
    let mut bytes = plan_bytes(arch, &[case_ref(5, &full, 0)], 1);
    let nent_at = 24 + 10;
    assert_eq!(bytes[nent_at], MAX_ENTRIES as u8);
    bytes[nent_at] += 1;
    bytes.extend_from_slice(&[0; 9]);
    let mut it = PlanReader::parse(&bytes).unwrap().cases();
    assert_eq!(it.next(), Some(Err(WireError::TooManyEntries { case: 5 })));
    assert_eq!(it.next(), None);
    // The last register of the arch is fine; one past it is not, and ends the plan.
    let last = (arch.reg_count() - 1) as u8;
    let bytes = plan_bytes(
        arch,
        &[
            case_ref(1, &[(last, 1)], 0),
            case_ref(2, &[(last + 1, 1)], 0),
            case_ref(3, &[], 0),
        ],
        3,
    );
    let items: Vec<_> = PlanReader::parse(&bytes).unwrap().cases().collect();
    assert!(items[0].is_ok());
    assert_eq!(
        items[1],
        Err(WireError::BadRegister {
            case: 2,
            reg: last + 1
        })
    );
    assert_eq!(items.len(), 2, "nothing is read after an error");
}

#[test]
fn case_input_is_poison_with_entries_on_top_and_pointers_relocated() {
    let arch = Arch::Aarch64;
    let c = case_ref(1, &[(0, 0x10), (1, 0x20), (2, u64::MAX)], 0b110);
    let f = c.input(arch, 0x8000);
    assert_eq!(f.get(x(0)), 0x10, "not relocated");
    assert_eq!(f.get(x(1)), 0x8020, "relocated");
    assert_eq!(f.get(x(2)), 0x7fff, "relocation wraps");
    assert_eq!(f.get(x(5)), poison(x(5), 0x4455));
    assert_eq!(f.get(x(31)), 0, "the stack pointer cannot be set");
    assert_eq!(f.get(x(32)), poison(x(32), 0x4455), "flags");
    assert_eq!(c.input(arch, 0).get(x(1)), 0x20);
}

#[test]
fn writers_refuse_to_overflow_their_buffer() {
    let mut buf = [0u8; 5];
    let mut w = Writer::new(&mut buf);
    assert!(w.is_empty());
    w.u32(0x0403_0201);
    assert_eq!((w.len(), w.is_empty(), w.overflow), (4, false, false));
    w.u16(0xffff);
    assert!(w.overflow);
    assert_eq!(w.len(), 4);
    w.u8(9);
    assert_eq!(w.bytes(), &[1, 2, 3, 4, 9]);
    let mut r = Reader::new(&buf);
    assert_eq!((r.position(), r.is_empty()), (0, false));
    assert_eq!(r.u16(), Ok(0x0201));
    assert_eq!(r.u8(), Ok(3));
    assert_eq!(r.position(), 3);
    assert_eq!(r.u32(), Err(WireError::Truncated { at: 3 }));
    assert_eq!(r.take(usize::MAX), Err(WireError::Truncated { at: 3 }));
    assert_eq!(r.take(2), Ok(&[4u8, 9][..]));
    assert!(r.is_empty());
    let eight = 0x0807_0605_0403_0201u64.to_le_bytes();
    assert_eq!(Reader::new(&eight).u64(), Ok(0x0807_0605_0403_0201));
}

#[test]
fn records_round_trip_with_only_the_changed_registers() {
    let arch = Arch::Aarch64;
    let before = {
        let mut f = RegisterFile::new(arch);
        for r in arch.regs() {
            f.set(r, 0x100 + r.index as u64);
        }
        f
    };
    let mut after = before;
    after.set(x(0), 0xaa);
    after.set(x(30), 0xbb);
    let mut rust = PathRecord::new(PATH_RUST, PATH_RAN);
    rust.n = 2;
    rust.values[..2].copy_from_slice(&[5, 6]);
    let mut asm = PathRecord::new(PATH_ASM, PATH_LIVE_CHANGED);
    asm.n = 1;
    asm.values[0] = 7;
    let mut rec = CaseRecord {
        id: 9,
        status: STATUS_EXCEPTION,
        code: 0x96,
        after,
        npaths: 0,
        paths: [PathRecord::new(0, 0); MAX_PATHS],
    };
    rec.push_path(rust);
    rec.push_path(asm);
    rec.push_path(PathRecord::new(PATH_C, PATH_UNAVAILABLE));
    // A fourth path does not fit and is dropped.
    rec.push_path(rust);
    assert_eq!(rec.paths().len(), MAX_PATHS);
    let mut buf = [0u8; 512];
    let mut w = Writer::new(&mut buf);
    write_info(&mut w, 0x4000_0000, &[("fw", "1.1"), ("cpu", "a57")]);
    write_case_record(&mut w, &before, &rec);
    write_case_record(
        &mut w,
        &before,
        &CaseRecord {
            status: STATUS_RETURNED,
            npaths: 0,
            ..rec
        },
    );
    write_done(&mut w, 2);
    let n = w.len();
    let bytes = &buf[..n];
    let mut r = Reader::new(bytes);
    let info = Record::read(&mut r).unwrap();
    assert!(matches!(
        info,
        Record::Info {
            scratch_base: 0x4000_0000,
            nkv: 2,
            ..
        }
    ));
    assert_eq!(
        info.info_pairs().collect::<Vec<_>>(),
        [("fw", "1.1"), ("cpu", "a57")]
    );
    assert_eq!(info.case_after(&before), Ok(before));
    let start = r.position();
    let case = Record::read(&mut r).unwrap();
    // kind, id, status, code, changed, two values, npaths, then per path: path, outcome, n and
    // the values (two, one, none)
    assert_eq!(
        r.position() - start,
        1 + 4 + 1 + 8 + 8 + 16 + 1 + (3 + 16) + (3 + 8) + 3
    );
    let Record::Case {
        id,
        status,
        code,
        changed,
        npaths,
        paths,
        ..
    } = case
    else {
        panic!("{case:?}")
    };
    assert_eq!(
        (id, status, code, changed, npaths),
        (9, STATUS_EXCEPTION, 0x96, 1 | 1 << 30, 3)
    );
    assert_eq!(paths, rec.paths);
    assert_eq!(paths[0].values(), [5, 6]);
    assert_eq!(paths[1].values(), [7]);
    assert_eq!(case.case_after(&before), Ok(after));
    assert_eq!(case.info_pairs().count(), 0);
    let start = r.position();
    let returned = Record::read(&mut r).unwrap();
    assert_eq!(
        r.position() - start,
        1 + 4 + 1 + 8 + 16 + 1,
        "no code, no paths"
    );
    assert!(matches!(
        returned,
        Record::Case {
            code: 0,
            npaths: 0,
            ..
        }
    ));
    assert!(matches!(
        Record::read(&mut r),
        Ok(Record::Done { ncases: 2 })
    ));
    assert!(r.is_empty());
}

#[test]
fn bad_records_are_refused() {
    let arch = Arch::Aarch64;
    assert!(matches!(
        Record::read(&mut Reader::new(&[9])),
        Err(WireError::BadRecord(9))
    ));
    assert!(matches!(
        Record::read(&mut Reader::new(&[0])),
        Err(WireError::BadRecord(0))
    ));
    // A case record whose one path claims seventeen values.
    let mut b = vec![RECORD_CASE, 1, 0, 0, 0, STATUS_RETURNED];
    b.extend_from_slice(&0u64.to_le_bytes());
    b.extend_from_slice(&[1, PATH_C, PATH_RAN, 17]);
    b.extend_from_slice(&[0; 136]);
    assert!(matches!(
        Record::read(&mut Reader::new(&b)),
        Err(WireError::BadRecord(RECORD_CASE))
    ));
    // Sixteen is the most: accepted.
    let n = b.len();
    b[n - 137] = 16;
    assert!(Record::read(&mut Reader::new(&b)).is_ok());
    // An unknown path or outcome, or more paths than there are.
    for (at, bad) in [
        (n - 139, 0),
        (n - 139, PATH_ASM + 1),
        (n - 138, PATH_UNAVAILABLE + 1),
    ] {
        let mut c = b.clone();
        c[at] = bad;
        assert!(
            matches!(
                Record::read(&mut Reader::new(&c)),
                Err(WireError::BadRecord(RECORD_CASE))
            ),
            "byte {at} = {bad}"
        );
    }
    let mut c = b.clone();
    c[n - 140] = MAX_PATHS as u8 + 1;
    assert!(matches!(
        Record::read(&mut Reader::new(&c)),
        Err(WireError::BadRecord(RECORD_CASE))
    ));
    // A changed bit past the arch's registers.
    let mut b = vec![RECORD_CASE, 1, 0, 0, 0, STATUS_RETURNED];
    let bit = arch.reg_count() as u64;
    b.extend_from_slice(&(1u64 << bit).to_le_bytes());
    b.extend_from_slice(&7u64.to_le_bytes());
    b.push(0);
    let rec = Record::read(&mut Reader::new(&b)).unwrap();
    assert_eq!(
        rec.case_after(&RegisterFile::new(arch)),
        Err(WireError::BadRegister {
            case: 0,
            reg: bit as u8
        })
    );
    // The last register is fine.
    let mut b = vec![RECORD_CASE, 1, 0, 0, 0, STATUS_RETURNED];
    b.extend_from_slice(&(1u64 << (bit - 1)).to_le_bytes());
    b.extend_from_slice(&7u64.to_le_bytes());
    b.push(0);
    let rec = Record::read(&mut Reader::new(&b)).unwrap();
    assert_eq!(
        rec.case_after(&RegisterFile::new(arch))
            .unwrap()
            .get(x(bit as u8 - 1)),
        7
    );
    // Values missing for the changed registers.
    let mut b = vec![RECORD_CASE, 1, 0, 0, 0, STATUS_RETURNED];
    b.extend_from_slice(&3u64.to_le_bytes());
    b.extend_from_slice(&7u64.to_le_bytes());
    assert!(matches!(
        Record::read(&mut Reader::new(&b)),
        Err(WireError::Truncated { .. })
    ));
    // An info record cut short.
    let b = [RECORD_INFO, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, b'k'];
    assert!(matches!(
        Record::read(&mut Reader::new(&b)),
        Err(WireError::Truncated { .. })
    ));
}

#[test]
fn wire_errors_say_what_is_wrong() {
    assert_eq!(
        WireError::BadMagic.to_string(),
        "not a hyperabi plan (bad magic)"
    );
    assert_eq!(
        WireError::Version(1).to_string(),
        "plan format version 1, this build reads version 2"
    );
    assert_eq!(
        WireError::Truncated { at: 5 }.to_string(),
        "truncated at byte 5"
    );
    assert_eq!(
        WireError::TooManyEntries { case: 3 }.to_string(),
        "case 3 has more than 16 register entries"
    );
    assert_eq!(WireError::UnknownArch(9).to_string(), "unknown arch code 9");
    assert_eq!(
        WireError::BadRegister { case: 1, reg: 40 }.to_string(),
        "case 1 names register index 40, not one of the arch's"
    );
    assert_eq!(WireError::BadRecord(7).to_string(), "unknown record kind 7");
}

#[test]
fn other_results_are_judged_unless_the_status_is_an_error() {
    static RESULTS: [Ret; 2] = [
        Ret {
            name: "status",
            reg: x(0),
            domain: Domain::Range { min: 0, max: 0 },
        },
        Ret {
            name: "value",
            reg: x(1),
            domain: Domain::Range { min: 0, max: 10 },
        },
    ];
    let call = Call {
        results: &RESULTS,
        ..ABI.calls[0]
    };
    let run = |status: u64, value: u64| {
        let mut o = obs(&ABI, &call, &[1, 0], status);
        o.after.set(x(1), value);
        kinds(&case(&ABI, Expect::Contract(&call), &o, None))
    };
    assert_eq!(run(0, 3), []);
    assert_eq!(run(0, 99), [(ViolationKind::ResultOutOfDomain, Some("x1"))]);
    // An error status: the value means nothing.
    assert_eq!(run(EINVAL, 99), []);
    // A status that is neither a success nor an error: both are wrong.
    assert_eq!(
        run(5, 99),
        [
            (ViolationKind::ResultOutOfDomain, Some("x0")),
            (ViolationKind::ResultOutOfDomain, Some("x1"))
        ]
    );
}
