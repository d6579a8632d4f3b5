//! The console's state machine: keys become `Action`s, actions change view
//! state or return `Effect`s (journal appends, quit, …) that the loop runs.
//! No I/O here, so every path is testable with a `TestBackend`.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use crate::domain::event::{EventKind, Verdict};
use crate::domain::record::Record;
use crate::domain::runbook::Runbook;
use crate::domain::state::StepStatus;
use crate::sources::SourceEvent;

use super::action::Action;
use super::effect::{Effect, ModelChange, ViewChange};
use super::items;
use super::keymap::Keymap;
use super::layout::Layout;
use super::model::Model;
use super::overlay::{self, Overlay};
use super::panes::PaneId;
use super::symbols::Symbols;
use super::theme::Theme;
use super::view::View;

/// How a status-line message reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MsgKind {
    Info,
    Warn,
    Error,
}

/// Which item each drawn list row shows, for mouse clicks.
#[derive(Clone, Debug, Default)]
pub struct RowMap {
    pub area: Rect,
    /// First list row shown (scroll offset).
    pub offset: usize,
    /// Per list row: the item's index, or `None` for headers and detail lines.
    pub items: Vec<Option<usize>>,
}

impl RowMap {
    pub fn item_at(&self, x: u16, y: u16) -> Option<usize> {
        if !self.area.contains(ratatui::layout::Position { x, y }) {
            return None;
        }
        self.items.get(self.offset + (y - self.area.y) as usize).copied().flatten()
    }
}

/// Everything the console needs at start.
pub struct AppConfig {
    pub runbook: Runbook,
    pub operator: String,
    /// `Some(reason)`: nothing is written (`--read-only`, or a damaged journal).
    pub read_only: Option<String>,
    pub keymap: Keymap,
    pub theme: Theme,
    pub layout: Layout,
    pub config_dir: Option<PathBuf>,
    pub symbols: Symbols,
    pub now: DateTime<Utc>,
}

/// The console: what it knows (`Model`: changed only by journal records,
/// source events and the clock) and how it shows it (`View`: focus,
/// selections, scroll, dialogs, looks; changed only by keys, the mouse and
/// drawing's scroll state). Drawing reads the model and never changes it.
pub struct App {
    pub model: Model,
    pub view: View,
}

impl App {
    pub fn new(cfg: AppConfig) -> App {
        let view = View::new(cfg.keymap, cfg.theme, cfg.layout, cfg.config_dir, cfg.symbols);
        let model = Model::new(cfg.runbook, cfg.operator, cfg.read_only, cfg.now);
        App { model, view }
    }

    /// A word the status line always shows first (`DEMO`, `REHEARSAL`, the time machine's).
    pub fn with_badge(mut self, badge: Option<&'static str>) -> App {
        self.view.badge = badge;
        self
    }

    /// The screen may differ now: the front end draws it at its own pace.
    pub fn changed(&mut self) {
        self.view.dirty = true;
    }

    /// Opens a dialog on top of any open (`overlay::stack`).
    pub fn open(&mut self, dialog: super::overlay::Overlay) {
        self.view.overlay.open(dialog);
        self.view.dirty = true;
    }

    /// Fold journal records in (ours and others'): `Model::fold`.
    pub fn fold(&mut self, records: &[Record]) {
        if self.model.fold(records) {
            self.view.dirty = true;
        }
    }

    /// The clock moves on: `Model::tick`.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        if self.model.tick(now) {
            self.view.dirty = true;
        }
    }

    /// Who is acting from this console (`Model::actor`).
    pub fn actor(&self) -> crate::domain::identity::Actor {
        self.model.actor()
    }

    /// Says something to the operator (`Model::say`); drawn at the next frame.
    pub fn say(&mut self, text: impl Into<String>, kind: MsgKind) {
        self.model.say(text, kind);
        self.view.dirty = true;
    }

    /// Draws one frame. Panes and dialogs read the model and the view; what
    /// they leave for the next frame and the mouse (scroll offsets, hit maps,
    /// links: `Drawn`) is all they write.
    pub fn draw(&mut self, frame: &mut ratatui::Frame) {
        let mut drawn = std::mem::take(&mut self.view.drawn);
        super::render::draw(frame, self, &mut drawn);
        self.view.drawn = drawn;
    }

    /// What the message line shows now, if anything.
    pub fn message(&self) -> Option<(&str, MsgKind)> {
        self.model.messages.shown(self.view.dismissed).map(|m| (m.text.as_str(), m.kind))
    }

    pub fn selected(&self, pane: PaneId) -> usize {
        self.view.selected[pane.index()]
    }

    pub fn select(&mut self, pane: PaneId, idx: usize) {
        // The Escalation pane lists the ladder the open incident climbs (its severity's own, maybe).
        let n = items::count(&self.ladder_runbook(), pane);
        self.view.selected[pane.index()] = if n == 0 { 0 } else { idx.min(n - 1) };
        self.view.dirty = true;
    }

    /// The one place sources plug in: each `SourceEvent` changes live view
    /// state and may ask for effects (journal reads).
    pub fn on_source(&mut self, ev: SourceEvent) -> Vec<Effect> {
        self.view.dirty = true;
        let mut effects = match ev {
            SourceEvent::JournalChanged => vec![Effect::PollJournal],
            SourceEvent::RunOutput { kind, id, run, line } => {
                super::wiring::run_ends::on_output(&mut self.model, kind, &id, run, line);
                return Vec::new();
            }
            SourceEvent::RunExited { kind, id, run, end } => {
                super::wiring::run_ends::on_exit(&mut self.model, kind, &id, run, &end)
            }
            SourceEvent::Probe(p) => super::wiring::probes::on_probe(&mut self.model, p),
            SourceEvent::LogLines { log, lines } => {
                super::logs_live::on_lines(&mut self.model, log, lines);
                Vec::new()
            }
            SourceEvent::LogDropped { log, at, counts } => {
                super::logs_live::on_dropped(&mut self.model, log, at, counts);
                Vec::new()
            }
            SourceEvent::LogStatus { log, status } => {
                super::logs_live::on_status(&mut self.model, log, status);
                Vec::new()
            }
            SourceEvent::Delivery(u) => super::wiring::channels::on_update(&mut self.model, *u),
        };
        effects.extend(super::wiring::probes::auto_verdicts(&mut self.model));
        effects
    }

    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        self.view.dirty = true;
        self.model.touched();
        // A message stays until the next key, in a dialog as in the panes.
        self.view.dismissed = self.model.messages.said();
        if self.view.overlay.is_open() {
            return overlay::on_key(self, key);
        }
        match self.view.keymap.action_for(self.view.focus, &key) {
            Some(a) => self.update(a),
            None => {
                let places = self.view.keymap.elsewhere(&key);
                if !places.is_empty() {
                    let list: Vec<String> = places
                        .iter()
                        .map(|(p, a)| format!("{} in {} ({})", a.name(), p.title(), p.index() + 1))
                        .collect();
                    self.say(format!("{}: {}", key_name(&key), list.join(", ")), MsgKind::Info);
                }
                Vec::new()
            }
        }
    }

    pub fn on_mouse(&mut self, m: MouseEvent) -> Vec<Effect> {
        self.model.touched();
        if self.view.overlay.is_open() {
            return Vec::new();
        }
        let hit = self
            .view
            .drawn
            .pane_areas
            .iter()
            .find(|(_, r)| r.contains(ratatui::layout::Position { x: m.column, y: m.row }))
            .map(|(p, r)| (*p, *r));
        match (m.kind, hit) {
            (MouseEventKind::Down(_), Some((p, _))) => {
                self.view.focus = p;
                self.view.dirty = true;
                // A click on a row selects it; on the selected row, opens its details (like Enter).
                if let Some(i) = self.view.drawn.row_maps[p.index()].item_at(m.column, m.row) {
                    if i == self.selected(p) {
                        return self.update(Action::Details);
                    }
                    self.select(p, i);
                }
            }
            // The wheel over the Logs pane reads the selected log, like PageUp/PageDown there.
            (MouseEventKind::ScrollDown | MouseEventKind::ScrollUp, Some((PaneId::Logs, _)))
                if !self.model.runbook.logs.is_empty() =>
            {
                self.view.focus = PaneId::Logs;
                let up = m.kind == MouseEventKind::ScrollUp;
                super::logs_view::pane_key(self, if up { Action::MoveUp } else { Action::MoveDown });
            }
            (MouseEventKind::ScrollDown, Some((p, _))) => {
                self.view.focus = p;
                return self.update(Action::MoveDown);
            }
            (MouseEventKind::ScrollUp, Some((p, _))) => {
                self.view.focus = p;
                return self.update(Action::MoveUp);
            }
            _ => {}
        }
        Vec::new()
    }

    /// False (and says why) when this console may not write: every act checks it first.
    pub(crate) fn writable(&mut self) -> bool {
        match self.refusal() {
            Some(why) => {
                self.apply(vec![why]);
                false
            }
            None => true,
        }
    }

    /// Why this console may not write, as the message saying so (`None`: it may).
    pub(crate) fn refusal(&self) -> Option<Effect> {
        let r = self.model.read_only.as_ref()?;
        Some(Effect::Say(format!("read-only: {r}"), MsgKind::Warn))
    }

    /// Applies the effects that change only the app (a dialog's answer: say,
    /// run an action, a model or view change), in order; returns the others,
    /// with those the actions asked for in their place, for the driver.
    pub fn apply(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut rest = Vec::new();
        for e in effects {
            match e {
                Effect::Say(text, kind) => self.say(text, kind),
                Effect::Run(action) => {
                    let more = self.update(action);
                    rest.extend(self.apply(more));
                }
                Effect::Model(change) => {
                    match change {
                        ModelChange::MessagesRead => self.model.messages_read(),
                        ModelChange::SwitchOperator(to) => self.model.switch_operator(&to),
                        ModelChange::ReviewAlarm(key) => self.model.review_alarm(key),
                    }
                    self.view.dirty = true;
                }
                Effect::View(change) => {
                    match change {
                        ViewChange::Select(pane, index) => self.select(pane, index),
                        ViewChange::LastSearch(pane, query) => self.view.last_search = Some((pane, query)),
                        ViewChange::Dismiss => self.view.dismissed = self.model.messages.said(),
                        ViewChange::LogKey(action) => super::logs_view::pane_key(self, action),
                        ViewChange::LogSearch { log, query } => super::logs_view::search_start(self, &log, &query),
                    }
                    self.view.dirty = true;
                }
                other => rest.push(other),
            }
        }
        rest
    }

    /// Whether this console journals what sources produce (`Model::sources_may_journal`).
    pub fn sources_may_journal(&self) -> bool {
        self.model.sources_may_journal()
    }

    /// The effect that journals `event` as the operator at the keyboard.
    pub(crate) fn append(&self, event: EventKind) -> Effect {
        self.model.append(event)
    }

    /// Marks the selected criterion; space on a passed criterion returns it to pending.
    pub fn mark(&mut self, verdict: Verdict) -> Vec<Effect> {
        if self.view.focus != PaneId::Checklist {
            self.say(format!("{} marks criteria: focus the Checklist (2) first", verdict.as_str()), MsgKind::Info);
            return Vec::new();
        }
        let Some(c) = items::criteria(&self.model.runbook).get(self.selected(PaneId::Checklist)).map(|c| (*c).clone())
        else {
            self.say("no criteria in this runbook", MsgKind::Info);
            return Vec::new();
        };
        self.mark_criterion(&c.id, verdict)
    }

    pub fn mark_criterion(&mut self, id: &str, verdict: Verdict) -> Vec<Effect> {
        let effects = self.criterion_mark(id, verdict);
        self.apply(effects)
    }

    /// What marking criterion `id` does, as effects (what is said, then what is journaled).
    pub(crate) fn criterion_mark(&self, id: &str, verdict: Verdict) -> Vec<Effect> {
        if let Some(why) = self.refusal() {
            return vec![why];
        }
        let Some(c) = self.model.runbook.criterion(id) else { return Vec::new() };
        let current = self.model.state.verdict(id);
        let verdict = if verdict == Verdict::Pass && current == Verdict::Pass { Verdict::Pending } else { verdict };
        vec![self.append(crate::domain::auto_verdict::person_mark(c, verdict, None))]
    }

    /// Ticks a manual step done, or unticks it.
    pub fn tick_step(&mut self, id: &str) -> Vec<Effect> {
        let effects = self.step_tick(id);
        self.apply(effects)
    }

    /// What ticking step `id` does, as effects (what is said, then what is journaled).
    pub(crate) fn step_tick(&self, id: &str) -> Vec<Effect> {
        let Some(step) = self.model.runbook.step(id) else { return Vec::new() };
        if !step.manual {
            return vec![Effect::Say(format!("step {id} runs a command: r runs it (not a checkbox)"), MsgKind::Info)];
        }
        if let Some(why) = self.refusal() {
            return vec![why];
        }
        if let Err(why) = self.model.runbook.access.check(&step.by, &self.actor(), &format!("tick step {id}")) {
            return vec![Effect::Say(super::text::clean(&why), MsgKind::Warn)];
        }
        let done = self.model.state.step_status(id) != StepStatus::Done;
        vec![self.append(EventKind::StepTicked { step: id.to_string(), done })]
    }

    /// Something is running that quitting would leave behind.
    pub fn running(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .model
            .state
            .steps
            .iter()
            .filter(|(_, s)| s.status() == StepStatus::Running)
            .map(|(id, _)| format!("step {id}"))
            .collect();
        v.extend(
            self.model.state.rollbacks.iter().filter(|(_, r)| r.running()).map(|(id, _)| format!("rollback {id}")),
        );
        v
    }

    fn move_by(&mut self, delta: isize) {
        let p = self.view.focus;
        let n = items::count(&self.ladder_runbook(), p) as isize;
        if n == 0 {
            return;
        }
        let cur = self.selected(p) as isize;
        self.select(p, (cur + delta).clamp(0, n - 1) as usize);
    }

    fn page(&self) -> isize {
        self.view
            .drawn
            .pane_areas
            .iter()
            .find(|(p, _)| *p == self.view.focus)
            .map_or(10, |(_, r)| r.height.saturating_sub(3).max(1)) as isize
    }

    fn focus_to(&mut self, p: PaneId) {
        if !self.view.layout.contains(p) {
            self.say(
                format!("{} is not in layout {} (L: next layout)", p.title(), self.view.layout.name),
                MsgKind::Info,
            );
            return;
        }
        self.view.focus = p;
        self.view.dirty = true;
    }

    fn focus_step(&mut self, forward: bool) {
        let order: Vec<PaneId> = PaneId::ALL.iter().copied().filter(|p| self.view.layout.contains(*p)).collect();
        if order.is_empty() {
            return;
        }
        let i = order.iter().position(|p| *p == self.view.focus).unwrap_or(0);
        let n = order.len();
        self.view.focus = order[if forward { (i + 1) % n } else { (i + n - 1) % n }];
    }

    pub fn search_step(&mut self, forward: bool) {
        let Some((pane, q)) = self.view.last_search.clone() else {
            self.say("no search yet: / to search", MsgKind::Info);
            return;
        };
        if pane != self.view.focus {
            self.view.focus = pane;
        }
        if pane == PaneId::Logs {
            if let Some(log) = self.model.runbook.logs.get(self.selected(pane)).map(|l| l.id.clone()) {
                super::logs_view::search_step(self, &log, forward);
            }
            return;
        }
        let m = items::matches(&self.model.runbook, pane, &q);
        if m.is_empty() {
            self.say(format!("no match for \"{q}\""), MsgKind::Warn);
            return;
        }
        let cur = self.selected(pane);
        let next = if forward {
            m.iter().copied().find(|i| *i > cur).unwrap_or(m[0])
        } else {
            m.iter().rev().copied().find(|i| *i < cur).unwrap_or(m[m.len() - 1])
        };
        self.select(pane, next);
        let pos = m.iter().position(|i| *i == next).unwrap_or(0) + 1;
        self.say(format!("/{q}: match {pos} of {}", m.len()), MsgKind::Info);
    }

    fn next_layout(&mut self) {
        let names = super::layout::available(self.view.config_dir.as_deref());
        let i = names.iter().position(|n| *n == self.view.layout.name).map_or(0, |i| (i + 1) % names.len());
        match Layout::load(&names[i], self.view.config_dir.as_deref()) {
            Ok(l) => {
                self.view.layout = l;
                if !self.view.layout.contains(self.view.focus) {
                    self.focus_step(true);
                }
                self.say(format!("layout: {}", names[i]), MsgKind::Info);
            }
            Err(e) => self.say(format!("layout not switched: {e}"), MsgKind::Error),
        }
    }

    fn next_theme(&mut self) {
        let names = super::theme::available(self.view.config_dir.as_deref());
        let i = names.iter().position(|n| *n == self.view.theme.name).map_or(0, |i| (i + 1) % names.len());
        // The terminal's depth, NO_COLOR included (T3); a `monochrome = true`
        // theme drops colour by itself, whatever its name.
        let depth = super::theme::color_depth(None, &super::theme::process_env);
        match Theme::load(&names[i], self.view.config_dir.as_deref(), depth) {
            Ok(t) => {
                self.view.theme = t;
                self.say(format!("theme: {}", names[i]), MsgKind::Info);
            }
            Err(e) => self.say(format!("theme not switched: {e}"), MsgKind::Error),
        }
    }

    /// One action, from a key, the palette or the help overlay.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        self.view.dirty = true;
        match action {
            Action::FocusNext
            | Action::FocusPrev
            | Action::FocusSteps
            | Action::FocusChecklist
            | Action::FocusProbes
            | Action::FocusLogs
            | Action::FocusEscalation
            | Action::MoveDown
            | Action::MoveUp
            | Action::PageDown
            | Action::PageUp
            | Action::Top
            | Action::Bottom
            | Action::Follow
            | Action::SearchNext
            | Action::SearchPrev => self.navigate(action),
            Action::Details => self.details(),
            Action::MarkPass
            | Action::MarkFail
            | Action::MarkNa
            | Action::TickStep
            | Action::RunStep
            | Action::AbortStep => self.act_on_item(action),
            Action::Decision
            | Action::Walkthrough
            | Action::SwitchOperator
            | Action::Search
            | Action::Help
            | Action::Messages
            | Action::Palette
            | Action::Templates
            | Action::Rollback
            | Action::Who
            | Action::WhyNotGo
            | Action::AddNote
            | Action::Activity => self.open_dialog(action),
            Action::DeclareIncident
            | Action::Escalate
            | Action::Acknowledge
            | Action::ResolveIncident
            | Action::Mitigated
            | Action::ChangeSeverity => self.incident_action(action),
            Action::NextLayout
            | Action::NextTheme
            | Action::Mouse
            | Action::Suspend
            | Action::Quit
            | Action::Handover
            | Action::TimeMachine
            | Action::WhatChanged => self.console_action(action),
        }
    }

    /// Focus, moving the selection, following a log, the next search hit.
    fn navigate(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::FocusNext => self.focus_step(true),
            Action::FocusPrev => self.focus_step(false),
            Action::FocusSteps => self.focus_to(PaneId::Steps),
            Action::FocusChecklist => self.focus_to(PaneId::Checklist),
            Action::FocusProbes => self.focus_to(PaneId::Probes),
            Action::FocusLogs => self.focus_to(PaneId::Logs),
            Action::FocusEscalation => self.focus_to(PaneId::Escalation),
            // In the Logs pane, paging reads the selected log back (docs/console.md, "Logs").
            Action::PageDown | Action::PageUp | Action::Top | Action::Bottom
                if self.view.focus == PaneId::Logs && !self.model.runbook.logs.is_empty() =>
            {
                super::logs_view::pane_key(self, action)
            }
            Action::MoveDown => self.move_by(1),
            Action::MoveUp => self.move_by(-1),
            Action::PageDown => {
                let p = self.page();
                self.move_by(p)
            }
            Action::PageUp => {
                let p = self.page();
                self.move_by(-p)
            }
            Action::Top => self.select(self.view.focus, 0),
            Action::Bottom => self.select(self.view.focus, usize::MAX),
            Action::Follow => super::logs_view::toggle_follow(self),
            Action::SearchNext => self.search_step(true),
            Action::SearchPrev => self.search_step(false),
            _ => {} // not a move (`update` sends each action to its group)
        }
        Vec::new()
    }

    /// Enter: what the banner is about, else the selected item's details (or its log).
    fn details(&mut self) -> Vec<Effect> {
        // While a rollback runs or an alarm is up, Enter is about that (the banner says so);
        // in Logs, Enter opens the log (the banner then says B).
        if let Some(effects) = (self.view.focus != PaneId::Logs).then(|| super::banner::on_enter(self)).flatten() {
            return effects;
        }
        // The Escalation pane has details while an incident with a severity is open (its links).
        let incident = self.view.focus == PaneId::Escalation && super::links::open_severity(self).is_some();
        if self.view.focus == PaneId::Logs && !self.model.runbook.logs.is_empty() {
            // A log opens full-screen, with the pane's keys (docs/console.md, "Logs").
            let log = self.selected(PaneId::Logs);
            self.view.overlay.open(Overlay::Log(overlay::log_view::LogView::new(log)));
        } else if items::count(&self.model.runbook, self.view.focus) == 0 && !incident {
            self.say(format!("{} has nothing to show", self.view.focus.title()), MsgKind::Info);
        } else {
            let view = super::overlay::details::DetailsView::new(self.view.focus, self.selected(self.view.focus));
            self.view.overlay.open(Overlay::Details(view));
            if self.view.focus == PaneId::Steps {
                return super::step_keys::on_details(self, self.selected(PaneId::Steps));
            }
        }
        Vec::new()
    }

    /// Marking the selected criterion, ticking, running or aborting the selected step.
    fn act_on_item(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::MarkPass => self.mark(Verdict::Pass),
            Action::MarkFail => self.mark(Verdict::Fail),
            Action::MarkNa => self.mark(Verdict::Na),
            Action::TickStep => {
                match items::steps(&self.model.runbook).get(self.selected(PaneId::Steps)).map(|s| s.id.clone()) {
                    Some(id) => self.tick_step(&id),
                    None => Vec::new(),
                }
            }
            Action::RunStep => super::step_keys::run_selected(self),
            Action::AbortStep => super::step_keys::abort_selected(self),
            _ => Vec::new(), // not about an item (`update` sends each action to its group)
        }
    }

    /// Opening a dialog or an overlay (those that write only when the console may).
    fn open_dialog(&mut self, action: Action) -> Vec<Effect> {
        let writes = matches!(action, Action::Decision | Action::SwitchOperator | Action::AddNote);
        if writes && !self.writable() {
            return Vec::new();
        }
        let overlay = match action {
            Action::Decision => Overlay::Decision(Box::new(overlay::decision::DecisionDialog::for_app(self))),
            Action::SwitchOperator => Overlay::Operator(Box::new(overlay::operator::OperatorDialog::for_app(self))),
            Action::AddNote => Overlay::Note(Default::default()),
            Action::Walkthrough => Overlay::Walkthrough(Default::default()),
            Action::Search => {
                Overlay::Search(overlay::search::SearchPrompt::new(self.view.focus, self.selected(self.view.focus)))
            }
            Action::Help => Overlay::Help { scroll: 0 },
            Action::Messages => {
                self.model.messages_read();
                Overlay::Messages { scroll: None }
            }
            Action::Palette => Overlay::Palette(Default::default()),
            Action::Templates => Overlay::Templates(Default::default()),
            Action::Who => Overlay::Who { scroll: 0 },
            Action::Activity => Overlay::Activity { scroll: None },
            Action::Rollback => return overlay::rollback::open(self),
            Action::WhyNotGo => {
                super::why_not_go::open(self);
                return Vec::new();
            }
            _ => return Vec::new(), // not a dialog (`update` sends each action to its group)
        };
        self.view.overlay.open(overlay);
        Vec::new()
    }

    /// Declaring, escalating, acknowledging, mitigating and resolving an incident.
    fn incident_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::DeclareIncident => self.declare_incident(),
            Action::Escalate => self.escalate_incident(),
            Action::Acknowledge => self.acknowledge_incident(),
            Action::ResolveIncident => self.resolve_incident(),
            Action::Mitigated => self.mitigate_incident(),
            Action::ChangeSeverity => {
                self.change_severity();
                Vec::new()
            }
            _ => Vec::new(), // not about the incident (`update` sends each action to its group)
        }
    }

    /// The console itself: layout, theme, mouse, suspend, quit, and what the driver opens.
    fn console_action(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::NextLayout => self.next_layout(),
            Action::NextTheme => self.next_theme(),
            Action::Mouse => {
                self.view.mouse = !self.view.mouse;
                let word = if self.view.mouse { "on (shift+drag selects text)" } else { "off (text can be selected)" };
                self.say(format!("mouse capture {word}"), MsgKind::Info);
                return vec![Effect::SetMouse(self.view.mouse)];
            }
            Action::Suspend => return vec![Effect::Suspend],
            Action::Quit => {
                let running = self.running();
                if running.is_empty() {
                    return vec![Effect::Quit];
                }
                self.view.overlay.open(Overlay::Confirm(overlay::confirm::Confirm::quit(&running, &self.view.keymap)));
            }
            Action::Handover => return vec![Effect::OpenHandover],
            Action::TimeMachine => return vec![Effect::TimeMachine],
            Action::WhatChanged => return vec![Effect::WhatChanged],
            _ => {} // not the console's own (`update` sends each action to its group)
        }
        Vec::new()
    }
}

/// A key as the user would name it in a message.
pub fn key_name(key: &KeyEvent) -> String {
    super::keymap::KeySpec::from_event(key).map(|k| k.to_string()).unwrap_or_else(|| "key".into())
}
