//! The QEMU processes this process started, each in its own process group, so that an
//! interrupted run stops them all (no orphans).

use std::sync::Mutex;

static LIVE: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// Records a child that leads its own process group.
pub fn register(pid: u32) {
    LIVE.lock().unwrap_or_else(|e| e.into_inner()).push(pid);
}

/// Forgets a child that was reaped.
pub fn unregister(pid: u32) {
    LIVE.lock()
        .unwrap_or_else(|e| e.into_inner())
        .retain(|p| *p != pid);
}

/// Sends SIGKILL to the process group `pid` leads.
pub fn kill_group(pid: u32) {
    if let Ok(pgid) = libc::pid_t::try_from(pid) {
        // SAFETY: kill(2) with a negative pid signals a process group; no memory is involved.
        unsafe { libc::kill(-pgid, libc::SIGKILL) };
    }
}

/// Kills every registered child's process group (on SIGINT/SIGTERM).
pub fn kill_all() {
    let pids: Vec<u32> = LIVE.lock().unwrap_or_else(|e| e.into_inner()).clone();
    for p in pids {
        kill_group(p);
    }
}

/// The registered children's process ids.
pub fn live() -> Vec<u32> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner()).clone()
}
