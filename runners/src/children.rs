//! The child processes hyperabi started (QEMU instances), so that a signal can stop them all.
//!
//! Each child is spawned in its own process group ([`spawn_in_group`]): a terminal's Ctrl-C
//! then reaches hyperabi alone, which stops its children and writes what it has, and
//! [`kill_all`] can kill a child with whatever it started itself. After [`kill_all`] no new child
//! starts: a runner that reboots after its QEMU was killed gets an error at once, so an
//! interrupted run ends instead of booting again.

use std::io;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command};
use std::sync::Mutex;

struct Registry {
    /// Process ids of the children started, each the id of its process group too.
    groups: Vec<u32>,
    /// Set by [`kill_all`]: no child may start any more.
    stopping: bool,
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    groups: Vec::new(),
    stopping: false,
});

fn registry() -> std::sync::MutexGuard<'static, Registry> {
    // A panic while holding the lock leaves the list as valid as it was: keep using it.
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether `pid` is still a process group this process started: its parent is us and it leads
/// its own group. A pid recycled after its child was reaped fails this, so a stale entry never
/// makes [`kill_all`] kill a stranger's process group.
fn still_ours(pid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses: split after the last ')'.
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return false;
    };
    let mut fields = rest.split_whitespace().skip(1);
    let ppid = fields.next().and_then(|f| f.parse::<u32>().ok());
    let pgrp = fields.next().and_then(|f| f.parse::<u32>().ok());
    ppid == Some(std::process::id()) && pgrp == Some(pid)
}

/// Records a child started in its own process group (its pid is its group id).
pub fn register(pid: u32) {
    let mut r = registry();
    // Forget the children that are gone, so that the list stays as long as the live ones.
    r.groups.retain(|&p| still_ours(p));
    r.groups.push(pid);
}

/// Forgets a child once it has been waited for.
pub fn unregister(pid: u32) {
    registry().groups.retain(|&p| p != pid);
}

/// Whether [`kill_all`] has been called: the process is stopping.
pub fn stopping() -> bool {
    registry().stopping
}

/// Starts `cmd` in a new process group and registers it; refuses once [`kill_all`] has run.
pub fn spawn_in_group(cmd: &mut Command) -> io::Result<Child> {
    let mut r = registry();
    if r.stopping {
        return Err(io::Error::new(
            io::ErrorKind::Interrupted,
            "not started: hyperabi is stopping (interrupted)",
        ));
    }
    // The lock is held across the spawn so that kill_all cannot run between the spawn and the
    // registration and miss this child.
    let child = cmd.process_group(0).spawn()?;
    r.groups.retain(|&p| still_ours(p));
    r.groups.push(child.id());
    Ok(child)
}

/// [`spawn_in_group`] as a method of [`Command`], for builder chains.
pub trait SpawnInGroup {
    /// See [`spawn_in_group`].
    fn spawn_in_group(&mut self) -> io::Result<Child>;
}

impl SpawnInGroup for Command {
    fn spawn_in_group(&mut self) -> io::Result<Child> {
        spawn_in_group(self)
    }
}

/// Kills every registered child's process group (SIGKILL) and refuses new children from now
/// on. Returns how many groups were signalled. Safe to call from any thread, more than once.
pub fn kill_all() -> usize {
    let mut r = registry();
    r.stopping = true;
    std::mem::take(&mut r.groups)
        .into_iter()
        .filter(|&pid| kill_group(pid))
        .count()
}

/// Kills the process group `pid` leads (SIGKILL), if it is still one of ours (a boot's own
/// timeout, or [`kill_all`]); whether it was signalled.
pub fn kill_group(pid: u32) -> bool {
    if !still_ours(pid) {
        return false;
    }
    let Ok(pgid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: kill(2) takes plain integers; a negative pid names the process group.
    unsafe { libc::kill(-pgid, libc::SIGKILL) == 0 }
}

/// The registered children's process ids.
pub fn live() -> Vec<u32> {
    registry().groups.clone()
}
