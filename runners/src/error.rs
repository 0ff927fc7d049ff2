//! Why a target could not run, or a boot gave no whole result: typed until it is rendered.
//! Every variant after the boot started carries the console log's path.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::frame::{StreamError, Unexpected};

/// A runner's error. Its kind's name ([`Error::kind`]) is the variant's, in kebab case.
#[derive(Clone, Debug, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum Error {
    /// A component or image is not there; `how` says how to get it.
    Unavailable {
        /// What is missing.
        what: String,
        /// How to get it.
        how: String,
    },
    /// `--qemu` names something that does not answer `--version` like a QEMU.
    NotQemu {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// QEMU could not be started or waited for.
    Spawn {
        /// The QEMU binary.
        qemu: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// A file could not be written or read.
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
    /// Nothing ended the boot within the per-boot limit; QEMU was killed.
    Timeout {
        /// How long it ran.
        after: Duration,
        /// The sound frames, in order.
        frames: usize,
        /// QEMU's stderr.
        stderr: String,
        /// The console log file.
        log: PathBuf,
    },
    /// Not a byte on the console within the first-output limit; QEMU was killed.
    Silent {
        /// How long it ran.
        after: Duration,
        /// QEMU's stderr.
        stderr: String,
        /// The console log file.
        log: PathBuf,
    },
    /// The guest had started answering, then said nothing for the silence limit.
    Hang {
        /// The silence that counted as a hang.
        idle: Duration,
        /// The sound frames, in order.
        frames: usize,
        /// The console log file.
        log: PathBuf,
    },
    /// QEMU exited with a failure status or was killed.
    Died {
        /// How QEMU ended.
        status: String,
        /// QEMU's stderr.
        stderr: String,
        /// The console log file.
        log: PathBuf,
    },
    /// The result stream is truncated, corrupted or has a gap.
    Stream {
        /// What is wrong with the stream.
        error: StreamError,
        /// The console log file.
        log: PathBuf,
    },
    /// The guest ran but sent no Hello frame.
    NoHello {
        /// The console log file.
        log: PathBuf,
    },
    /// A guest of another arch or framing version answered.
    WrongGuest {
        /// What went wrong.
        detail: String,
        /// The console log file.
        log: PathBuf,
    },
    /// The guest took an exception outside any probe.
    GuestException {
        /// The exception taken.
        exception: Unexpected,
        /// The console log file.
        log: PathBuf,
    },
    /// The guest reported an error (bad plan, panic).
    #[strum(serialize = "guest-error")]
    Guest {
        /// The message.
        message: String,
        /// The console log file.
        log: PathBuf,
    },
    /// The hypervisor did not come up (no banner), or panicked before the guest ran.
    NotBooted {
        /// Why.
        reason: String,
        /// QEMU's stderr.
        stderr: String,
        /// The console log file.
        log: PathBuf,
    },
    /// The hypervisor panicked after the guest had started.
    Panic {
        /// The message.
        message: String,
        /// The console log file.
        log: PathBuf,
    },
    /// The hypervisor reported that the guest (dom0) crashed.
    GuestCrashed {
        /// The message.
        message: String,
        /// The console log file.
        log: PathBuf,
    },
    /// QEMU exited without the hypervisor reporting the guest's shutdown.
    UnexpectedExit {
        /// How QEMU ended.
        status: String,
        /// QEMU's stderr.
        stderr: String,
        /// The console log file.
        log: PathBuf,
    },
    /// hyperabi's VMM (the KVM targets' `/init`) failed: no `/dev/kvm`, an ioctl refused, a
    /// guest that wrote where there is no device.
    Vmm {
        /// The VMM's message.
        message: String,
        /// The console log file.
        log: PathBuf,
    },
    /// What ran is not what the target says (a release hypervisor on a debug target).
    Mismatch {
        /// What went wrong.
        detail: String,
    },
    /// The in-process model broke (a plan it cannot decode, an injected crash).
    Model {
        /// The message.
        message: String,
    },
}

impl Error {
    /// The console log, where the boot got that far.
    pub fn log(&self) -> Option<&PathBuf> {
        match self {
            Error::Timeout { log, .. }
            | Error::Silent { log, .. }
            | Error::Hang { log, .. }
            | Error::Died { log, .. }
            | Error::Stream { log, .. }
            | Error::NoHello { log }
            | Error::WrongGuest { log, .. }
            | Error::GuestException { log, .. }
            | Error::Guest { log, .. }
            | Error::NotBooted { log, .. }
            | Error::Panic { log, .. }
            | Error::GuestCrashed { log, .. }
            | Error::Vmm { log, .. }
            | Error::UnexpectedExit { log, .. } => Some(log),
            Error::Unavailable { .. }
            | Error::NotQemu { .. }
            | Error::Spawn { .. }
            | Error::Io { .. }
            | Error::Mismatch { .. }
            | Error::Model { .. } => None,
        }
    }

    /// A short, stable name of the kind of failure (`timeout`, `not-booted`): two boots that
    /// fail with the same kind, and no new result between them, fail the same way.
    pub fn kind(&self) -> &'static str {
        self.into()
    }

    /// Whether another boot could give a different answer: not for a missing component, a
    /// binary that is no QEMU, a guest of the wrong build, or a machine that never produced a
    /// byte (a bad image or command line fails the same way every time).
    pub fn worth_retrying(&self) -> bool {
        !matches!(
            self,
            Error::Unavailable { .. }
                | Error::NotQemu { .. }
                | Error::Spawn { .. }
                | Error::Io { .. }
                | Error::Silent { .. }
                | Error::NotBooted { .. }
                | Error::WrongGuest { .. }
                | Error::Mismatch { .. }
        )
    }
}

fn stderr_note(s: &str) -> String {
    let s = s.trim();
    if s.is_empty() {
        String::new()
    } else {
        format!("; QEMU stderr: {s}")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Unavailable { what, how } => write!(f, "unavailable: {what}; {how}"),
            Error::NotQemu { path, detail } => {
                write!(f, "{} is not a QEMU: {detail}", path.display())
            }
            Error::Spawn { qemu, detail } => write!(f, "starting {}: {detail}", qemu.display()),
            Error::Io { path, detail } => write!(f, "{}: {detail}", path.display()),
            Error::Timeout {
                after,
                frames,
                stderr,
                ..
            } => write!(
                f,
                "the boot did not finish within {:.1} s; QEMU killed ({frames} frames received){}",
                after.as_secs_f64(),
                stderr_note(stderr)
            ),
            Error::Silent { after, stderr, .. } => write!(
                f,
                "nothing on the console within {:.1} s; QEMU killed{}",
                after.as_secs_f64(),
                stderr_note(stderr)
            ),
            Error::Hang { idle, frames, .. } => write!(
                f,
                "the guest hung: {:.1} s without output after {frames} frames; QEMU killed",
                idle.as_secs_f64()
            ),
            Error::Died { status, stderr, .. } => {
                write!(f, "QEMU {status}{}", stderr_note(stderr))
            }
            Error::Stream { error, .. } => write!(f, "{error}"),
            Error::NoHello { .. } => write!(f, "the guest sent no Hello frame"),
            Error::WrongGuest { detail, .. } => write!(f, "wrong guest image: {detail}"),
            Error::GuestException { exception: e, .. } => write!(
                f,
                "unexpected exception in the guest outside any probe: class {:#x}, code {:#x}, at {:#x}",
                e.class, e.code, e.addr
            ),
            Error::Guest { message, .. } => write!(f, "the guest reported: {message}"),
            Error::NotBooted { reason, stderr, .. } => {
                write!(f, "the hypervisor did not boot: {reason}{}", stderr_note(stderr))
            }
            Error::Panic { message, .. } => write!(f, "the hypervisor panicked: {message}"),
            Error::GuestCrashed { message, .. } => write!(f, "dom0 crashed: {message}"),
            Error::Vmm { message, .. } => write!(f, "the VMM failed: {message}"),
            Error::UnexpectedExit { status, stderr, .. } => write!(
                f,
                "QEMU {status} without the hypervisor reporting dom0's shutdown{}",
                stderr_note(stderr)
            ),
            Error::Mismatch { detail } => write!(f, "{detail}"),
            Error::Model { message } => write!(f, "{message}"),
        }?;
        if let Some(log) = self.log() {
            write!(f, "; console log: {}", log.display())?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::Error;
    use std::path::PathBuf;

    /// The kinds are compared across boots and written into reports: their names must not move.
    #[test]
    fn kinds_keep_their_names() {
        let path = PathBuf::from("x");
        let detail = String::new();
        assert_eq!(
            Error::NotQemu {
                path: path.clone(),
                detail: detail.clone()
            }
            .kind(),
            "not-qemu"
        );
        assert_eq!(Error::Io { path, detail }.kind(), "io");
        assert_eq!(
            Error::Unavailable {
                what: String::new(),
                how: String::new()
            }
            .kind(),
            "unavailable"
        );
    }
}
