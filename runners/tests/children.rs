//! The child-process registry: children in their own process group, all stopped by
//! `kill_all`, none started after it. Its own test binary: `kill_all` is final for the process.

use std::io;
use std::process::Command;
use std::time::{Duration, Instant};

use runners::children::{kill_all, spawn_in_group, stopping};

// One test: the registry is process-global and `kill_all` is final.
#[test]
fn children_run_in_their_own_group_and_kill_all_stops_them_and_later_spawns() {
    // A shell that starts a grandchild: killing the group must stop both.
    let mut child =
        spawn_in_group(Command::new("sh").args(["-c", "sleep 60 & sleep 60"])).expect("sh starts");
    let pid = child.id();
    std::thread::sleep(Duration::from_millis(200));

    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    let our_group = std::fs::read_to_string("/proc/self/stat").unwrap();
    let pgrp = |s: &str| {
        s.rsplit_once(')')
            .unwrap()
            .1
            .split_whitespace()
            .nth(2)
            .unwrap()
            .to_string()
    };
    assert_ne!(pgrp(&stat), pgrp(&our_group));
    // The grandchild `sleep`, in the same group as the shell.
    let grandchildren: Vec<u32> = std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .filter(|p: &u32| {
            std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|s| {
                s.rsplit_once(')')
                    .is_some_and(|(_, r)| r.split_whitespace().nth(1) == Some(&pid.to_string()))
            })
        })
        .collect();
    assert!(!grandchildren.is_empty(), "sh started sleep");

    let t0 = Instant::now();
    assert_eq!(kill_all(), 1);
    let status = child.wait().unwrap();
    assert!(!status.success());
    assert!(t0.elapsed() < Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(200));
    for g in grandchildren {
        let state = std::fs::read_to_string(format!("/proc/{g}/stat")).unwrap_or_default();
        // Gone, or a zombie waiting for init to reap it.
        let s = state
            .rsplit_once(')')
            .map(|(_, r)| r.trim_start().chars().next());
        assert!(
            state.is_empty() || s == Some(Some('Z')),
            "grandchild {g} survived: {state}"
        );
    }
    assert!(stopping());
    let err = spawn_in_group(&mut Command::new("true")).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::Interrupted);
    // The group leader leads its own group: its pgrp is its pid.
    assert_eq!(pgrp(&stat), pid.to_string());
    // Reaped: gone from /proc, which kill_all checks before signalling a pid again.
    assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists());
}
