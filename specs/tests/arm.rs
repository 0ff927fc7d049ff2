//! Facts about the Arm specs (SMCCC/PSCI, Xen's SMCCC services, KVM/arm64 vendor hypercalls,
//! the Linux HYP stub) that the generic lint does not know: what each family member keeps or
//! drops, the register rules per SMCCC revision, 32-bit narrowing of SMC32 calls, and UIDs that
//! must encode their UUID strings.

use abi_spec::{Abi, Effect, Presence, Role, SmcccId};
use specs::{hyp_stub, kvm_arm64, smccc};

fn role(abi: &Abi, call: &str, reg: &str) -> Role {
    let c = abi
        .call(call)
        .unwrap_or_else(|| panic!("{}: no call {call}", abi.id));
    abi.role_after(c, abi.arch.reg(reg).unwrap())
}

/// The whole PSCI 1.3 list: functions 0x00-0x15, 13 of them with an SMC64 form.
const PSCI_SMC32: usize = 22;
const PSCI_SMC64: usize = 13;

fn psci(abi: &Abi) -> (usize, usize) {
    let mut n = (0, 0);
    for c in abi.calls {
        if let Some(SmcccId {
            owner: 4, smc64, ..
        }) = c.smccc
        {
            if SmcccId::function(c.primary_number()) < 0x20 {
                if smc64 {
                    n.1 += 1;
                } else {
                    n.0 += 1;
                }
            }
        }
    }
    n
}

#[test]
fn each_family_member_has_the_calls_it_should() {
    let counts: Vec<(&str, usize, (usize, usize))> = [
        &smccc::smccc_arm64::ABI,
        &smccc::smccc_arm64_smc::ABI,
        &smccc::smccc_1_2_arm64::ABI,
        &smccc::psci_arm64::ABI,
        &smccc::psci_arm64_smc::ABI,
        &smccc::smccc_arm::ABI,
        &smccc::psci_arm::ABI,
        &smccc::xen_arm64_smccc::ABI,
    ]
    .iter()
    .map(|a| (a.id, a.calls.len(), psci(a)))
    .collect();
    assert_eq!(
        counts,
        [
            ("smccc11-arm64", 44, (PSCI_SMC32, PSCI_SMC64)),
            ("smccc11-arm64-smc", 44, (PSCI_SMC32, PSCI_SMC64)),
            ("smccc12-arm64", 45, (PSCI_SMC32, PSCI_SMC64)),
            ("psci-arm64", 35, (PSCI_SMC32, PSCI_SMC64)),
            ("psci-arm64-smc", 35, (PSCI_SMC32, PSCI_SMC64)),
            ("smccc11-arm", 29, (PSCI_SMC32, 0)),
            ("psci-arm", 22, (PSCI_SMC32, 0)),
            // 12 vPSCI functions, 5 arch calls, 6 service queries, 2 PSCI 0.1 IDs.
            ("xen-arm64-smccc", 25, (9, 3)),
        ]
    );
    assert_eq!(kvm_arm64::kvm_arm64::ABI.calls.len(), 9);
    assert_eq!(hyp_stub::linux_hyp_stub_arm64::ABI.calls.len(), 5);
    assert_eq!(hyp_stub::linux_hyp_stub_arm::ABI.calls.len(), 3);
}

#[test]
fn smccc_revisions_differ_only_in_their_register_rules() {
    let v10 = &smccc::psci_arm64::ABI;
    let v11 = &smccc::smccc_arm64::ABI;
    let v12 = &smccc::smccc_1_2_arm64::ABI;
    // SMCCC 1.0: x4-x17 may come back changed; 1.1 and later preserve them.
    for r in ["x4", "x10", "x17"] {
        assert_eq!(role(v10, "psci_version", r), Role::MayClobber, "1.0 {r}");
        assert_eq!(role(v11, "psci_version", r), Role::Preserved, "1.1 {r}");
        assert_eq!(role(v12, "psci_version", r), Role::Preserved, "1.2 {r}");
    }
    // x1-x3 are result registers in every revision: no promise when the call returns fewer.
    for abi in [v10, v11, v12] {
        assert_eq!(role(abi, "psci_version", "x0"), Role::Result);
        assert_eq!(
            role(abi, "psci_version", "x3"),
            Role::MayClobber,
            "{}",
            abi.id
        );
        for r in ["x18", "x19", "x29", "x30", "sp"] {
            assert_eq!(
                role(abi, "affinity_info64", r),
                Role::Preserved,
                "{} {r}",
                abi.id
            );
        }
    }
    // 1.2 returns results up to x17.
    let name = v12.call("arch_soc_id64").unwrap();
    assert_eq!(name.results.len(), 18);
    assert_eq!(name.results[17].reg.name(), "x17");
    assert!(v11.call("arch_soc_id64").is_none());
}

#[test]
fn smc32_calls_are_narrowed_and_smc64_calls_are_not() {
    for abi in [
        &smccc::smccc_arm64::ABI,
        &smccc::smccc_1_2_arm64::ABI,
        &smccc::xen_arm64_smccc::ABI,
        &kvm_arm64::kvm_arm64::ABI,
    ] {
        for c in abi.calls {
            let Some(id) = c.smccc else { continue };
            assert_eq!(
                abi.width_for(c),
                if id.smc64 { 64 } else { 32 },
                "{}::{}",
                abi.id,
                c.name
            );
        }
    }
}

#[test]
fn aarch32_abis_carry_no_smc64_function() {
    for abi in [&smccc::smccc_arm::ABI, &smccc::psci_arm::ABI] {
        assert_eq!(abi.arch.name(), "arm");
        for c in abi.calls {
            assert!(
                c.primary_number() & u64::from(SmcccId::SMC64) == 0,
                "{}::{} is SMC64",
                abi.id,
                c.name
            );
            assert!(c.args.iter().all(|a| a.reg.name().starts_with('r')));
        }
        assert_eq!(role(abi, "cpu_on", "r3"), Role::MayClobber);
        assert_eq!(role(abi, "cpu_on", "r4"), Role::Preserved);
        assert_eq!(role(abi, "cpu_on", "r12"), Role::Preserved);
    }
}

#[test]
fn calls_that_stop_or_move_cpus_never_run_with_random_arguments() {
    let abi = &smccc::smccc_arm64::ABI;
    for name in ["system_off", "system_reset"] {
        assert_eq!(abi.call(name).unwrap().effect, Effect::NoReturn, "{name}");
    }
    for name in [
        "cpu_suspend",
        "cpu_suspend64",
        "cpu_off",
        "cpu_on",
        "cpu_on64",
        "migrate",
        "migrate64",
        "cpu_freeze",
        "cpu_default_suspend",
        "cpu_default_suspend64",
        "system_suspend",
        "system_suspend64",
        "system_reset2",
        "system_reset2_64",
        "system_off2",
        "system_off2_64",
    ] {
        assert_eq!(abi.call(name).unwrap().effect, Effect::Disruptive, "{name}");
    }
    for abi in [
        &hyp_stub::linux_hyp_stub_arm64::ABI,
        &hyp_stub::linux_hyp_stub_arm::ABI,
    ] {
        for c in abi.calls {
            let pure_query = c.name == "get_ich_vtr_el2";
            assert_eq!(
                matches!(c.effect, Effect::Disruptive | Effect::NoReturn),
                !pure_query,
                "{}::{}",
                abi.id,
                c.name
            );
        }
    }
    for name in ["mem_share", "mem_unshare", "mmio_guard"] {
        let c = kvm_arm64::kvm_arm64::ABI.call(name).unwrap();
        assert_eq!(c.effect, Effect::Disruptive, "{name}");
        assert_eq!(c.presence, Presence::Discoverable, "{name}");
    }
}

/// The four Call UID registers of `uuid`: four bytes each, the first byte in the low-order bits
/// (SMCCC "Call UID"; Xen `fill_uid`).
fn uid_registers(uuid: &str) -> [i64; 4] {
    let hex: String = uuid.chars().filter(|c| *c != '-').collect();
    assert_eq!(hex.len(), 32, "{uuid}");
    let bytes: Vec<u8> = (0..16)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    core::array::from_fn(|r| {
        i64::from(u32::from_le_bytes(
            bytes[4 * r..4 * r + 4].try_into().unwrap(),
        ))
    })
}

fn declared_uid(abi: &Abi, call: &str) -> [i64; 4] {
    let c = abi.call(call).unwrap();
    assert!(c.stable, "{}::{call}", abi.id);
    core::array::from_fn(|i| match c.results[i].domain {
        abi_spec::Domain::Enum { values } if values.len() == 1 => values[0].value,
        d => panic!("{}::{call} result {i}: {d:?}", abi.id),
    })
}

#[test]
fn call_uids_encode_their_uuids() {
    assert_eq!(
        declared_uid(&kvm_arm64::kvm_arm64::ABI, "call_uid"),
        uid_registers("28b46fb6-2ec5-11e9-a9ca-4b564d003a74")
    );
    // The register values Linux hard-codes (ARM_SMCCC_VENDOR_HYP_UID_KVM_REG_*).
    assert_eq!(
        uid_registers("28b46fb6-2ec5-11e9-a9ca-4b564d003a74"),
        [0xb66f_b428, 0xe911_c52e, 0x564b_caa9, 0x743a_004d]
    );
    let xen = &smccc::xen_arm64_smccc::ABI;
    assert_eq!(
        declared_uid(xen, "xen_call_uid"),
        uid_registers("a71812dc-c698-4369-9acf-79d18ddee667")
    );
    assert_eq!(
        declared_uid(xen, "std_call_uid"),
        uid_registers("f863386f-4b39-4cbd-9220-ce1641e59f6f")
    );
}

#[test]
fn hyp_stub_clobbers_the_caller_saved_registers_only() {
    let a64 = &hyp_stub::linux_hyp_stub_arm64::ABI;
    assert_eq!(role(a64, "reset_vectors", "x0"), Role::Result);
    for r in ["x1", "x9", "x17", "x18"] {
        assert_eq!(role(a64, "reset_vectors", r), Role::MayClobber, "{r}");
    }
    for r in ["x19", "x28", "x29", "x30", "sp"] {
        assert_eq!(role(a64, "reset_vectors", r), Role::Preserved, "{r}");
    }
    assert_eq!(role(a64, "get_ich_vtr_el2", "x1"), Role::Result);
    let a32 = &hyp_stub::linux_hyp_stub_arm::ABI;
    for r in ["r1", "r2", "r3", "ip"] {
        assert_eq!(role(a32, "reset_vectors", r), Role::MayClobber, "{r}");
    }
    for r in ["r4", "r11", "lr"] {
        assert_eq!(role(a32, "reset_vectors", r), Role::Preserved, "{r}");
    }
    assert_eq!(a32.error("HVC_STUB_ERR").unwrap().value, 0xbadca11);
}
