//! The time machine in the console (docs/time-machine.md): a second, read-only
//! `App` drawn in place of the live one, its state the fold of the journal up
//! to the chosen moment and its clock that moment's clock. The live console
//! underneath keeps running (ticks, probes, auto-verdicts, escalation): only
//! the screen travels. `warroom replay` is the same with no live console to go
//! back to (leaving quits).

use chrono::Duration;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::domain::moment_diff;
use crate::domain::record::Record;
use crate::domain::timeline::{Mark, Timeline};
use crate::sources::{LineLevel, LogLine};

use super::app::{App, AppConfig, MsgKind};
use super::overlay::text::TextView;
use super::overlay::Overlay;

/// How far back "what changed" looks from the moment shown.
pub const CHANGED_WINDOW_MIN: i64 = 10;
/// How far back the log panes' markers reach.
const MARKERS_WINDOW_MIN: i64 = 30;

pub struct Replay {
    pub timeline: Timeline,
    pub pos: usize,
    /// What is drawn: read-only, never acts.
    pub app: App,
    /// `/` typed and not yet confirmed.
    pub finding: Option<String>,
    pub last_find: Option<String>,
    /// True for `warroom replay`: leaving the time machine quits.
    pub standalone: bool,
}

/// What a key did in the time machine.
pub enum KeyOutcome {
    Handled,
    /// Back to the live console (or quit, standalone).
    Leave,
}

impl Replay {
    /// The time machine over `records`, drawn with `live`'s runbook and looks, at `pos`.
    pub fn new(live: &App, records: Vec<Record>, pos: Option<usize>, standalone: bool) -> Replay {
        let mut app = App::new(AppConfig {
            runbook: live.model.runbook.clone(),
            operator: live.model.operator.clone(),
            read_only: Some("time machine: the past cannot be changed".into()),
            keymap: live.view.keymap.clone(),
            theme: live.view.theme.clone(),
            layout: live.view.layout.clone(),
            config_dir: live.view.config_dir.clone(),
            symbols: live.view.symbols,
            now: live.model.now,
        });
        app.view.badge = Some(match live.view.badge {
            Some("REHEARSAL") => "REHEARSAL REPLAY",
            _ => "REPLAY",
        });
        let timeline = Timeline::new(records);
        let pos = pos.unwrap_or(timeline.end());
        let mut r = Replay { timeline, pos, app, finding: None, last_find: None, standalone };
        r.show();
        r
    }

    /// Folds the moment into the app: state, clock, log markers, the bar.
    pub fn show(&mut self) {
        let pos = self.pos.min(self.timeline.end());
        self.pos = pos;
        let app = &mut self.app;
        let now = self.timeline.time_at(pos).unwrap_or(app.model.now);
        app.model.show_moment(self.timeline.state_at(pos), now);
        let markers = self.markers();
        for l in self.app.model.runbook.logs.iter().map(|l| l.id.clone()).collect::<Vec<_>>() {
            super::logs_live::on_lines(&mut self.app.model, l, markers.clone());
        }
        self.app.view.timeline_bar = Some(self.bar());
        self.app.view.dirty = true;
    }

    /// The journal's markers of the last half hour before the moment, as log lines:
    /// the time machine has no log lines, and does not pretend to.
    fn markers(&self) -> Vec<LogLine> {
        let recs = &self.timeline.records()[..self.pos];
        let Some(now) = self.timeline.time_at(self.pos) else { return Vec::new() };
        let from = now - Duration::minutes(MARKERS_WINDOW_MIN);
        let mut out = vec![LogLine {
            at: now,
            level: LineLevel::Info,
            text: "— time machine: journal markers only, no log lines —".into(),
            marker: true,
        }];
        for r in recs.iter().rev().take_while(|r| r.ts >= from).collect::<Vec<_>>().into_iter().rev() {
            let Some(text) = marker_text(r) else { continue };
            let level =
                if Mark::Failure.matches(r) || Mark::Alarm.matches(r) { LineLevel::Error } else { LineLevel::Info };
            out.push(LogLine { at: r.ts, level, text: format!("{} {text}", r.ts.format("%H:%M:%S")), marker: true });
        }
        out
    }

    /// `06:14:03 UTC · 42/120 step.finished by ana · ━━━━●──── · ←/→ event  [/] min  …`
    fn bar(&self) -> String {
        let end = self.timeline.end();
        let last = self.pos.checked_sub(1).and_then(|i| self.timeline.records().get(i));
        let what = match last {
            Some(r) => format!("#{} {} by {}", r.seq, r.kind, r.operator),
            None => "before the first record".into(),
        };
        let when = self.timeline.time_at(self.pos).map(|t| t.format("%H:%M:%S UTC").to_string()).unwrap_or_default();
        let slots = 20usize;
        let at = (self.pos * slots).checked_div(end).unwrap_or(0).min(slots);
        let track: String = (0..=slots)
            .map(|i| {
                if i == at {
                    '●'
                } else if i < at {
                    '━'
                } else {
                    '─'
                }
            })
            .collect();
        let find = match &self.finding {
            Some(q) => format!(" · find: {q}▏"),
            None => String::new(),
        };
        // How to leave first: the bar is cut at the screen's edge.
        let back = if self.standalone { "q quit" } else { "Esc/t live" };
        format!(
            " ⏪ {back} · {when} · {}/{end} {what} {track}{find} · ←→ event [ ] ±1 min d/r/a/i/f next (D/R/A/I/F prev) / find g/G E changed y why",
            self.pos
        )
    }

    fn go(&mut self, pos: Option<usize>, what: &str) {
        match pos {
            Some(p) => {
                self.pos = p;
                self.show();
            }
            None => self.app.say(format!("no {what} that way"), MsgKind::Info),
        }
    }

    fn jump(&mut self, mark: Mark, forward: bool) {
        let p = self.timeline.jump(self.pos, mark, forward);
        self.go(p, mark.word());
    }

    fn minute(&mut self, forward: bool) {
        let Some(now) = self.timeline.time_at(self.pos) else { return };
        let p = if forward {
            self.timeline.at_time(now + Duration::minutes(1)).max((self.pos + 1).min(self.timeline.end()))
        } else {
            // Everything up to a minute before this moment.
            self.timeline.at_time(now - Duration::minutes(1)).min(self.pos.saturating_sub(1))
        };
        self.pos = p;
        self.show();
    }

    /// "What changed in the last N minutes" up to the moment shown.
    pub fn changed_overlay(&mut self) {
        let Some(now) = self.timeline.time_at(self.pos) else { return };
        let from = self.timeline.at_time(now - Duration::minutes(CHANGED_WINDOW_MIN)).min(self.pos);
        let lines = changed_lines(&self.timeline.state_at(from), &self.timeline.records()[from..self.pos]);
        self.app.view.overlay.open(Overlay::Text(TextView::new(
            format!("What changed in the {CHANGED_WINDOW_MIN} minutes before {}", now.format("%H:%M:%S UTC")),
            lines,
        )));
    }

    /// A key in the time machine; keys it does not use go to the (read-only) app.
    pub fn on_key(&mut self, key: KeyEvent) -> KeyOutcome {
        if key.kind == KeyEventKind::Release {
            return KeyOutcome::Handled;
        }
        self.app.view.dirty = true;
        if let Some(q) = self.finding.as_mut() {
            match key.code {
                KeyCode::Esc => self.finding = None,
                KeyCode::Enter => {
                    let q = self.finding.take().unwrap_or_default();
                    self.find(q, true);
                }
                KeyCode::Backspace => {
                    q.pop();
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => q.push(c),
                _ => {}
            }
            self.app.view.timeline_bar = Some(self.bar());
            return KeyOutcome::Handled;
        }
        if self.app.view.overlay.is_open() {
            let _ = self.app.on_key(key);
            return KeyOutcome::Handled;
        }
        self.app.view.dismissed = self.app.model.messages.said();
        match key.code {
            KeyCode::Esc | KeyCode::Char('t') => return KeyOutcome::Leave,
            KeyCode::Char('q') if self.standalone => return KeyOutcome::Leave,
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => return KeyOutcome::Leave,
            KeyCode::Right | KeyCode::Char('l') => {
                let p = (self.pos + 1).min(self.timeline.end());
                self.go(Some(p), "event");
            }
            KeyCode::Left | KeyCode::Char('h') => {
                let p = self.pos.saturating_sub(1);
                self.go(Some(p), "event");
            }
            KeyCode::Char(']') => self.minute(true),
            KeyCode::Char('[') => self.minute(false),
            KeyCode::Char('g') | KeyCode::Home => self.go(Some(0), "start"),
            KeyCode::Char('G') | KeyCode::End => self.go(Some(self.timeline.end()), "end"),
            KeyCode::Char('/') => {
                self.finding = Some(String::new());
                self.app.view.timeline_bar = Some(self.bar());
            }
            KeyCode::Char('n') => match self.last_find.clone() {
                Some(q) => self.find(q, true),
                None => self.app.say("no search yet: / to find an event", MsgKind::Info),
            },
            KeyCode::Char('N') => match self.last_find.clone() {
                Some(q) => self.find(q, false),
                None => self.app.say("no search yet: / to find an event", MsgKind::Info),
            },
            KeyCode::Char('E') => self.changed_overlay(),
            KeyCode::Char(c) if mark_key(c).is_some() => {
                if let Some((mark, forward)) = mark_key(c) {
                    self.jump(mark, forward);
                }
            }
            _ => {
                // Moving, details, help, why-not-GO… as in the live console; acts are refused (read-only).
                let effects = self.app.on_key(key);
                if effects.iter().any(|e| matches!(e, super::effect::Effect::Quit)) && self.standalone {
                    return KeyOutcome::Leave;
                }
            }
        }
        KeyOutcome::Handled
    }

    fn find(&mut self, q: String, forward: bool) {
        if q.is_empty() {
            return;
        }
        let p = self.timeline.find(self.pos, &q, forward);
        self.last_find = Some(q.clone());
        match p {
            Some(p) => {
                self.pos = p;
                self.show();
                self.app.say(format!("found \"{q}\" (n/N: next/previous)"), MsgKind::Info);
            }
            None => self.app.say(format!("no event matches \"{q}\""), MsgKind::Warn),
        }
    }
}

/// The jump keys: lower case forward, upper case back.
fn mark_key(c: char) -> Option<(Mark, bool)> {
    let mark = match c.to_ascii_lowercase() {
        'd' => Mark::Decision,
        'r' => Mark::Run,
        'a' => Mark::Alarm,
        'i' => Mark::Incident,
        'f' => Mark::Failure,
        _ => return None,
    };
    Some((mark, c.is_ascii_lowercase()))
}

/// What `records` changed, one by one from `before`, as overlay lines.
pub fn changed_lines(before: &crate::domain::state::SessionState, records: &[Record]) -> Vec<String> {
    let changes = moment_diff::changes_over(before, records);
    if changes.is_empty() {
        return vec!["nothing changed".into()];
    }
    changes.iter().map(moment_diff::line).collect()
}

/// One journal record as a log-pane marker line; `None` for records that mark nothing.
fn marker_text(r: &Record) -> Option<String> {
    let f = |k: &str| r.data.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    Some(match r.kind.as_str() {
        "step.started" => format!("▶ step {} started by {}", f("step"), r.operator),
        "step.finished" => format!("■ step {} {}", f("step"), f("outcome")),
        "rollback.started" => format!("▶ rollback {} started by {}", f("rollback"), r.operator),
        "rollback.finished" => format!("■ rollback {} {}", f("rollback"), f("outcome")),
        "probe.changed" => format!("● probe {} {}", f("probe"), f("health").to_uppercase()),
        "decision.recorded" => format!("◆ decision {} by {}", f("decision"), r.operator),
        "trigger.fired" => format!("! alarm {} (propose {})", f("trigger"), f("propose")),
        "incident.declared" => format!("! incident declared by {}", r.operator),
        _ => return None,
    })
}
