//! Moving values into registers Rust cannot bind (LLVM base and frame pointers), around a trap.

/// Exchanges `{val}` carriers with unbindable registers around a trap, correct whatever registers
/// the allocator picks for the carriers. Shared by every arch with unbindable registers.
///
/// A carrier is a `reg` operand, and LLVM may give it any register it does not reserve in that
/// function, including another unbindable one: the carrier of r7 may be r6, or the carrier of r6
/// may be r7. A fixed sequence of exchanges then moves a value before it is read. So the
/// exchanges are assembler macros that find values where earlier exchanges left them:
///
/// - `hyperabi_x_<reg> d` exchanges `d` with the register now holding what `<reg>` held before its
///   own exchange: its partner, or, if that partner is an unbindable register exchanged since,
///   wherever that exchange moved it (that register's macro, decided when the macro expands).
/// - Each unbindable register is exchanged, in register-file order before the trap, with the
///   register now holding its carrier's value: the carrier, or where the carrier's exchange moved
///   it. After the trap the same exchanges run in reverse order and undo the first pass, so each
///   carrier receives its register's value after the trap and each register gets its old value.
/// - `.Lhx_live_<reg>` is 1 while `<reg>` is exchanged (from its exchange to its exchange back),
///   so each exchange back sees the state its exchange saw. A call that does not return never
///   exchanges back; its trap lines clear the markers. `.Lhx_def_<reg>` tracks the macros, which
///   the exchange back purges (or the next definition, after a call that does not return).
pub struct Chain {
    /// The unbindable registers LLVM may still allocate to a `reg` operand, in register-file
    /// order, as the assembler prints them.
    pub allocatable: &'static [&'static str],
    /// Lines exchanging two distinct registers (or macro arguments) without touching the flags.
    pub exchange: fn(&str, &str) -> Vec<String>,
    /// Whether other operands may need [`Chain::locate`] (a page trap's `{entry}`): each exchanged
    /// register then also gets a macro `hyperabi_p_<reg> insn` that applies `insn` to the register
    /// holding what `<reg>` held before its exchange.
    pub locate: bool,
}

impl Chain {
    /// Lines that exchange `{val}` with `reg` before the trap; `noreturn` if no exchange back
    /// follows.
    pub fn swap_in(&self, reg: &str, val: &str, noreturn: bool) -> Vec<String> {
        let mut l = self.define(&[".Lhx_noret"]);
        if noreturn {
            l.push(".set .Lhx_noret, 1".into());
        }
        let def = format!(".Lhx_def_{reg}");
        l.extend(self.define(&[&def]));
        l.extend([format!(".if {def}"), format!(".purgem hyperabi_x_{reg}")]);
        if self.locate {
            l.push(format!(".purgem hyperabi_p_{reg}"));
        }
        l.extend([".endif".into(), format!(".set {def}, 1")]);
        l.extend(self.define_live());
        let val = format!("{{{val}}}");
        // The carrier may be another unbindable register: follow it while it is exchanged.
        for e in self.allocatable.iter().filter(|&&e| e != reg) {
            l.push(format!(".ifc {val},{e}"));
            self.define_macros(&mut l, reg, e, Some(e));
            l.push(".else".into());
        }
        self.define_macros(&mut l, reg, &val, None);
        l.extend(
            self.allocatable
                .iter()
                .filter(|&&e| e != reg)
                .map(|_| ".endif".to_string()),
        );
        l.push(format!("hyperabi_x_{reg} {reg}"));
        if self.allocatable.contains(&reg) {
            l.push(format!(".set .Lhx_live_{reg}, 1"));
        }
        l
    }

    /// The macros of `reg` for the partner register `partner`, which is the unbindable register
    /// `follow` (to be followed if it is exchanged when the macro expands) or a plain register.
    fn define_macros(&self, l: &mut Vec<String>, reg: &str, partner: &str, follow: Option<&str>) {
        let mut body = |name: &str, arg: &str, direct: Vec<String>, via: String| {
            l.push(format!(".macro {name}_{reg} {arg}"));
            if let Some(e) = follow {
                l.extend([format!(".if .Lhx_live_{e}"), via, ".else".into()]);
            }
            l.extend(direct);
            if follow.is_some() {
                l.push(".endif".into());
            }
            l.push(".endm".into());
        };
        let mut exchange = vec![format!(".ifnc \\d,{partner}")];
        exchange.extend((self.exchange)("\\d", partner));
        exchange.push(".endif".into());
        let e = follow.unwrap_or_default();
        body("hyperabi_x", "d", exchange, format!("hyperabi_x_{e} \\d"));
        if self.locate {
            body(
                "hyperabi_p",
                "insn",
                vec![format!("\\insn {partner}")],
                format!("hyperabi_p_{e} \\insn"),
            );
        }
    }

    /// Lines that exchange `reg` back after the trap, leaving its value in `{val}`.
    pub fn swap_out(&self, reg: &str) -> Vec<String> {
        let mut l = Vec::new();
        if self.allocatable.contains(&reg) {
            l.push(format!(".set .Lhx_live_{reg}, 0"));
        }
        l.extend([
            format!("hyperabi_x_{reg} {reg}"),
            format!(".purgem hyperabi_x_{reg}"),
        ]);
        if self.locate {
            l.push(format!(".purgem hyperabi_p_{reg}"));
        }
        l.push(format!(".set .Lhx_def_{reg}, 0"));
        l
    }

    /// Lines applying `insn` to the register holding the value the compiler put in `operand` (a
    /// `{name}`), following it if that register is exchanged. Needs `locate`.
    pub fn locate(&self, operand: &str, insn: &str) -> Vec<String> {
        let mut l = self.define_live();
        for e in self.allocatable {
            l.extend([format!(".ifc {operand},{e}"), format!(".if .Lhx_live_{e}")]);
            l.extend([
                format!("hyperabi_p_{e} {insn}"),
                ".else".into(),
                format!("{insn} {e}"),
            ]);
            l.extend([".endif".into(), ".else".into()]);
        }
        l.push(format!("{insn} {operand}"));
        l.extend(self.allocatable.iter().map(|_| ".endif".to_string()));
        l
    }

    /// Lines for the trap: after a call that does not return, nothing stays exchanged.
    pub fn after_trap(&self) -> Vec<String> {
        let mut l = self.define(&[".Lhx_noret"]);
        l.push(".if .Lhx_noret".into());
        l.extend(
            self.allocatable
                .iter()
                .map(|r| format!(".set .Lhx_live_{r}, 0")),
        );
        l.extend([".set .Lhx_noret, 0".into(), ".endif".into()]);
        l
    }

    fn define_live(&self) -> Vec<String> {
        let live: Vec<String> = self
            .allocatable
            .iter()
            .map(|r| format!(".Lhx_live_{r}"))
            .collect();
        self.define(&live.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// Lines defining each of `symbols` as 0 unless it is defined already.
    fn define(&self, symbols: &[&str]) -> Vec<String> {
        let mut l = Vec::new();
        for s in symbols {
            l.extend([
                format!(".ifndef {s}"),
                format!(".set {s}, 0"),
                ".endif".into(),
            ]);
        }
        l
    }
}
