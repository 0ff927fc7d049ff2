//! Reports: the canonical JSON model and the formats derived from it.
//!
//! `json` reads and writes the canonical file; `junit`, `tap`, `markdown` and `html` are pure
//! renderings of a [`Report`]; `merge` joins the shard reports of one run. [`write_all`] writes
//! every format into a directory (what `hyperabi run --out DIR` produces).

pub mod groups;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod merge;
pub mod model;
pub mod summarise;
pub mod tap;
mod text;

#[cfg(test)]
pub(crate) mod fixture;

use std::fmt;
use std::path::{Path, PathBuf};

pub use json::FORMAT_VERSION;
pub use merge::{merge, merge_named, MergeError};
pub use model::*;
pub use summarise::{summarise, IdSet};

/// How one case ended, as the derived reports show it: a failure the baseline knows about is
/// `Known`, not `Fail` (it does not fail a gate, but it is reported).
///
/// Ordered from best to worst for a matrix cell: a call with any new failure is a failure; then
/// a call that could not be tested; then a known failure; a skipped case does not hide the
/// passes beside it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, strum::Display, strum::IntoStaticStr,
)]
#[strum(serialize_all = "snake_case")]
pub enum Status {
    /// Not run, on purpose.
    Skip,
    /// Passed.
    Pass,
    /// Failed in a way the baseline knows.
    Known,
    /// The environment broke before the case had an answer.
    Error,
    /// A new failure.
    Fail,
}

impl Status {
    /// In the order the reports list counts.
    pub const ALL: [Status; 5] = [
        Status::Pass,
        Status::Fail,
        Status::Known,
        Status::Error,
        Status::Skip,
    ];

    /// `pass`, `fail`, `known`, `error`, `skip`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl CaseKind {
    /// `fixed`, `generated`, `edge`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl ExecPath {
    /// `probe`, `caller`, `c_stub`, `asm_stub`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// In words: `probe`, `Rust caller`, `C stub`, `asm stub`.
    pub fn title(self) -> &'static str {
        match self {
            ExecPath::Probe => "probe",
            ExecPath::Caller => "Rust caller",
            ExecPath::CStub => "C stub",
            ExecPath::AsmStub => "asm stub",
        }
    }
}

impl PathStat {
    /// One path in words: `C stub 798 of 798 agree (12 unavailable)`; the probe: `probe 844`.
    pub fn summary(&self) -> String {
        let mut s = if self.path == ExecPath::Probe {
            format!("{} {}", self.path.title(), self.ran)
        } else {
            format!(
                "{} {} of {} agree",
                self.path.title(),
                self.agreed,
                self.ran
            )
        };
        let mut extra = Vec::new();
        if self.unavailable > 0 {
            extra.push(format!("{} unavailable", self.unavailable));
        }
        if self.missing > 0 {
            extra.push(format!("{} not run by this backend", self.missing));
        }
        if !extra.is_empty() {
            s = format!("{s} ({})", extra.join(", "));
        }
        s
    }
}

/// A target's paths on one line (`None` when only the probe ran).
pub fn paths_line(paths: &[PathStat]) -> Option<String> {
    (!paths.is_empty()).then(|| {
        paths
            .iter()
            .map(PathStat::summary)
            .collect::<Vec<_>>()
            .join(", ")
    })
}

impl RunOutcome {
    /// `completed`, `error`, `unavailable`.
    pub fn as_str(&self) -> &'static str {
        self.into()
    }

    /// Why the target did not complete its plan.
    pub fn reason(&self) -> Option<&str> {
        match self {
            RunOutcome::Completed => None,
            RunOutcome::Error { reason } | RunOutcome::Unavailable { reason } => Some(reason),
        }
    }
}

impl CaseResult {
    /// How the case ended, a known failure told apart from a new one.
    pub fn status(&self) -> Status {
        match self.verdict {
            Verdict::Pass => Status::Pass,
            Verdict::Fail if self.known.is_some() => Status::Known,
            Verdict::Fail => Status::Fail,
            Verdict::Error => Status::Error,
            Verdict::Skip => Status::Skip,
        }
    }

    /// `psci::cpu_on#17 [generated, caller]`: unique within a target.
    pub fn display_name(&self) -> String {
        format!(
            "{}::{}#{} [{}, {}]",
            self.abi,
            self.call,
            self.id,
            self.kind.as_str(),
            self.path.as_str()
        )
    }

    /// `a0=0x84000000 a1=0x1`.
    pub fn args_line(&self) -> String {
        values_line(&self.args)
    }
}

/// `name=0x.. name=0x..`.
pub fn values_line(values: &[NamedValue]) -> String {
    values
        .iter()
        .map(|v| format!("{}={:#x}", v.name, v.value))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Identity {
    /// [`Identity::one_line`] without the host: `QEMU 10.0.2 + OpenSBI 1.6, riscv64, tcg`.
    pub fn one_line_without_host(&self) -> String {
        Identity {
            host: String::new(),
            ..self.clone()
        }
        .one_line()
    }

    /// `xen 4.19.1, aarch64, tcg, on build-7` (every component when the runner named them:
    /// `QEMU 10.0.2 + OpenSBI 1.6, riscv64, tcg`).
    pub fn one_line(&self) -> String {
        let mut parts = Vec::new();
        // Every component as its banner names it (QEMU 10.0.2 + OpenSBI 1.6), else the one
        // that answered.
        let hv = if self.components.is_empty() {
            [self.hypervisor.as_str(), self.version.as_str()]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        } else {
            self.components
                .iter()
                .map(|c| format!("{} {}", c.name, c.version))
                .collect::<Vec<_>>()
                .join(" + ")
        };
        for p in [hv.as_str(), &self.arch, &self.accelerator] {
            if !p.is_empty() {
                parts.push(p.to_string());
            }
        }
        if !self.host.is_empty() {
            parts.push(format!("on {}", self.host));
        }
        parts.join(", ")
    }
}

/// Case counts by [`Status`] (a known failure is counted as `known` only, unlike
/// [`Summary`], which counts it in `fail` as well).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Passes.
    pub pass: u32,
    /// New failures.
    pub fail: u32,
    /// Known failures.
    pub known: u32,
    /// Case errors.
    pub error: u32,
    /// Skipped cases.
    pub skip: u32,
}

impl Tally {
    /// The counts of `cases`.
    pub fn of<'a>(cases: impl IntoIterator<Item = &'a CaseResult>) -> Tally {
        let mut t = Tally::default();
        for c in cases {
            t.add(c.status());
        }
        t
    }

    /// Counts one case with status `s`.
    pub fn add(&mut self, s: Status) {
        self.add_many(s, 1);
    }

    /// Counts `n` cases with status `s`.
    pub fn add_many(&mut self, s: Status, n: u32) {
        *self.get_mut(s) += n;
    }

    /// The count of status `s`.
    pub fn get(&self, s: Status) -> u32 {
        match s {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Known => self.known,
            Status::Error => self.error,
            Status::Skip => self.skip,
        }
    }

    fn get_mut(&mut self, s: Status) -> &mut u32 {
        match s {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::Known => &mut self.known,
            Status::Error => &mut self.error,
            Status::Skip => &mut self.skip,
        }
    }

    /// Every case counted.
    pub fn total(&self) -> u32 {
        self.pass + self.fail + self.known + self.error + self.skip
    }

    /// The worst status counted, if any.
    pub fn worst(&self) -> Option<Status> {
        Status::ALL.into_iter().filter(|s| self.get(*s) > 0).max()
    }

    /// `12 pass, 1 fail, 2 known` (zero counts left out; `no cases` when empty).
    pub fn describe(&self) -> String {
        let parts: Vec<_> = Status::ALL
            .iter()
            .filter(|s| self.get(**s) > 0)
            .map(|s| format!("{} {}", self.get(*s), s.as_str()))
            .collect();
        if parts.is_empty() {
            "no cases".into()
        } else {
            parts.join(", ")
        }
    }
}

impl TargetRun {
    /// Case counts by status, summarised passes and known failures included.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::of(&self.cases);
        t.add_many(Status::Pass, self.passed_count());
        t.add_many(Status::Known, self.known_count());
        t
    }
}

impl Report {
    /// Case counts by status over every target, summarised cases included.
    pub fn tally(&self) -> Tally {
        let mut total = Tally::default();
        for t in &self.targets {
            let c = t.tally();
            for s in Status::ALL {
                *total.get_mut(s) += c.get(s);
            }
        }
        total
    }

    /// Targets that did not complete their plan.
    pub fn broken_targets(&self) -> impl Iterator<Item = &TargetRun> {
        self.targets
            .iter()
            .filter(|t| t.outcome != RunOutcome::Completed)
    }
}

/// The last `n` lines of a console log, and how many lines were left out before them.
pub fn tail_lines(log: &str, n: usize) -> (usize, String) {
    let lines: Vec<&str> = log.lines().collect();
    let skip = lines.len().saturating_sub(n);
    (skip, lines[skip..].join("\n"))
}

/// A derived (or the canonical) report format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `report.json`, the canonical report.
    Json,
    /// `report.junit.xml`.
    Junit,
    /// `report.tap`.
    Tap,
    #[value(name = "md", alias = "markdown")]
    /// `report.md`, the pull-request comment.
    Markdown,
    /// `report.html`.
    Html,
}

impl Format {
    /// Every format, in the order `write_all` writes them.
    pub const ALL: [Format; 5] = [
        Format::Json,
        Format::Junit,
        Format::Tap,
        Format::Markdown,
        Format::Html,
    ];

    /// The file name `write_all` uses.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Json => "report.json",
            Format::Junit => "report.junit.xml",
            Format::Tap => "report.tap",
            Format::Markdown => "report.md",
            Format::Html => "report.html",
        }
    }

    /// `report` in this format.
    pub fn render(self, report: &Report) -> String {
        match self {
            Format::Json => json::to_string(report),
            Format::Junit => junit::render(report),
            Format::Tap => tap::render(report),
            Format::Markdown => markdown::render(report),
            Format::Html => html::render(report),
        }
    }
}

/// A report file could not be written.
#[derive(Debug)]
pub struct WriteError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub source: std::io::Error,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "writing {}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for WriteError {}

/// Writes `report.json`, `report.junit.xml`, `report.tap`, `report.md` and `report.html` into
/// `out_dir` (created if missing) and returns their paths.
pub fn write_all(report: &Report, out_dir: &Path) -> Result<Vec<PathBuf>, WriteError> {
    std::fs::create_dir_all(out_dir).map_err(|source| WriteError {
        path: out_dir.to_path_buf(),
        source,
    })?;
    Format::ALL
        .iter()
        .map(|f| {
            let path = out_dir.join(f.file_name());
            std::fs::write(&path, f.render(report)).map_err(|source| WriteError {
                path: path.clone(),
                source,
            })?;
            Ok(path)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_all_writes_every_format_and_json_reads_back() {
        let report = fixture::report();
        let dir = std::env::temp_dir().join(format!("hyperabi-write-all-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let paths = write_all(&report, &dir.join("nested")).unwrap();
        let names: Vec<_> = paths
            .iter()
            .map(|p| p.file_name().unwrap().to_str().unwrap().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "report.json",
                "report.junit.xml",
                "report.tap",
                "report.md",
                "report.html"
            ]
        );
        for (p, f) in paths.iter().zip(Format::ALL) {
            assert_eq!(std::fs::read_to_string(p).unwrap(), f.render(&report));
        }
        assert_eq!(json::read(&paths[0]).unwrap(), report);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn write_all_names_the_path_it_could_not_write() {
        let dir = std::env::temp_dir().join(format!("hyperabi-write-file-{}", std::process::id()));
        std::fs::write(&dir, "a file, not a directory").unwrap();
        let err = write_all(&fixture::report(), &dir).unwrap_err();
        assert!(err.to_string().contains(&*dir.to_string_lossy()), "{err}");
        std::fs::remove_file(&dir).unwrap();
    }

    #[test]
    fn status_and_tally() {
        let r = fixture::report();
        let t = r.tally();
        assert_eq!(
            (t.pass, t.fail, t.known, t.error, t.skip),
            (4, 2, 1, 2, 1),
            "{t:?}"
        );
        // Summary counts a known failure as a failure too; Tally does not.
        let s = r.summary();
        assert_eq!(s.fail, t.fail + t.known);
        assert_eq!(s.total(), t.total());
        assert_eq!(t.worst(), Some(Status::Fail));
        assert_eq!(Tally::default().worst(), None);
        assert_eq!(Tally::default().describe(), "no cases");
        assert_eq!(
            Tally {
                pass: 1,
                skip: 2,
                ..Default::default()
            }
            .worst(),
            Some(Status::Pass)
        );
    }

    /// The words reports, snapshots and baselines hold: derived, and still these.
    #[test]
    fn names_are_the_words_reports_write() {
        let words: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(words, ["pass", "fail", "known", "error", "skip"]);
        assert_eq!(Status::Known.to_string(), "known");
        let kinds = [CaseKind::Fixed, CaseKind::Generated, CaseKind::Edge];
        assert_eq!(kinds.map(CaseKind::as_str), ["fixed", "generated", "edge"]);
        let paths = [ExecPath::Probe, ExecPath::Caller];
        assert_eq!(paths.map(ExecPath::as_str), ["probe", "caller"]);
        for k in kinds {
            assert_eq!(serde_json::to_value(k).unwrap(), k.as_str());
        }
        for p in paths {
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
        let why = || "x".to_string();
        let outcomes = [
            RunOutcome::Completed,
            RunOutcome::Error { reason: why() },
            RunOutcome::Unavailable { reason: why() },
        ];
        for o in &outcomes {
            assert_eq!(serde_json::to_value(o).unwrap()["status"], o.as_str());
        }
        assert_eq!(
            outcomes.iter().map(RunOutcome::as_str).collect::<Vec<_>>(),
            ["completed", "error", "unavailable"]
        );
    }

    #[test]
    fn tail_keeps_the_last_lines() {
        assert_eq!(tail_lines("a\nb\nc\n", 2), (1, "b\nc".into()));
        assert_eq!(tail_lines("a", 5), (0, "a".into()));
        assert_eq!(tail_lines("", 5), (0, "".into()));
    }
}
