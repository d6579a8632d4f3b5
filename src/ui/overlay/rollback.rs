//! `B`: rollbacks. Choose one (with its approvals so far), then Enter does
//! what `domain::rollback_flow::next` says: type its id to approve it as the
//! operator at the keyboard, or — once approvals are complete — confirm per
//! its `confirm` (type the id / y-n naming it) to fire it; a running one shows
//! its output (`x` asks to abort it). A5: nothing fires on one unconfirmed key,
//! a wrong typed id fires and approves nothing. The run itself is
//! `Effect::StartRun` (`ui::session::runs`, which checks `may_fire` again).

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, centered, close, done, stay, Handled, Layer, Overlay, Transition};
use crate::domain::approvals;
use crate::domain::event::RunKind;
use crate::domain::rollback_flow::{self, Next};
use crate::domain::runbook::{Confirm, Rollback};
use crate::domain::state::RunRecord;
use crate::domain::vars;
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, plain, styled};
use crate::ui::effect::{Effect, ModelChange};
use crate::ui::text::clean;
use crate::ui::theme::Role;
use crate::ui::wiring::run_key;

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Stage {
    #[default]
    List,
    /// Typing the chosen rollback's id: to approve (and maybe fire), or to fire.
    Typing { fire: bool, typed: String },
    /// y/n to fire a `confirm = "yes"` rollback.
    YesNo,
    /// The last run's output.
    Output { scroll: u16 },
    /// It already ran: "already ran at HH:MM by X (ok) — run again?" (y/n)
    /// before anything else is asked.
    Again,
}

#[derive(Clone, Debug, Default)]
pub struct RollbackDialog {
    pub selected: usize,
    pub stage: Stage,
    /// Runs of the chosen rollback the operator had seen when they chose to
    /// go on: a run started since (by another console) stops the firing.
    pub runs_seen: usize,
}

impl RollbackDialog {
    /// The dialog with `id` selected (unknown ids select the first).
    pub fn on(app: &App, id: Option<&str>) -> RollbackDialog {
        let selected = id.and_then(|id| app.model.runbook.rollbacks.iter().position(|r| r.id == id)).unwrap_or(0);
        RollbackDialog { selected, stage: Stage::List, runs_seen: 0 }
    }
}

fn runs_of(app: &App, id: &str) -> usize {
    app.model.state.rollbacks.get(id).map_or(0, |r| r.runs.len())
}

/// "approve: DevOps (devops: ana, bob) · fire: anyone · 2 different Unix users".
fn who_may(app: &App, rb: &Rollback) -> String {
    let access = &app.model.runbook.access;
    let list = |l: &[String]| if l.is_empty() { "anyone".to_string() } else { access.describe(l) };
    let mut s = format!("approve: {} · fire: {}", list(&rb.approve), list(&rb.fire));
    if rb.approvals >= 2 {
        s.push_str(&format!(" · {} approvals from different {}", rb.approvals, rb.distinct.noun()));
    }
    clean(&s)
}

/// `B` (and Enter on an alarm): opens the dialog on the proposed rollback, if
/// any; asks for the output of every rollback's last run not in memory, for
/// its last line.
pub fn open(app: &mut App) -> Vec<Effect> {
    let (d, effects) = dialog(app);
    app.view.overlay.open(Overlay::Rollback(d));
    app.view.dirty = true;
    app.apply(effects)
}

/// The dialog `open` opens and the loads it needs, for a dialog that hands
/// over to it (ROLLBACK recorded in the decision dialog). Every alarm shown
/// now counts as reviewed (`ModelChange::ReviewAlarm`, first among the effects).
pub fn dialog(app: &App) -> (RollbackDialog, Vec<Effect>) {
    let mut effects: Vec<Effect> = rollback_flow::alarms(&app.model.runbook, &app.model.state)
        .iter()
        .map(|a| Effect::Model(ModelChange::ReviewAlarm(a.key())))
        .collect();
    let proposed = rollback_flow::proposed(&app.model.runbook, &app.model.state);
    let d = RollbackDialog::on(app, proposed.as_deref());
    effects.extend(app.model.runbook.rollbacks.iter().flat_map(|r| load_output(app, &r.id, true)));
    (d, effects)
}

/// The command as it will run, for the question (or why it cannot be rendered).
/// "command:" then the command's lines, indented, so a multi-line `run` reads as written.
fn push_command(lines: &mut Vec<Line<'static>>, command: &str) {
    lines.push(Line::from("command:"));
    lines.extend(command.lines().map(|l| Line::from(format!("  {l}"))));
}

fn command_text(app: &App, id: &str) -> String {
    let Some(rb) = app.model.runbook.rollback(id) else { return String::new() };
    match vars::render_command(&rb.run, &app.model.vars) {
        // Secret vars show as their placeholder: the command is shown, its secrets are not.
        Ok(c) => crate::domain::sanitize::clean_multiline(&app.model.redactor.redact(&c)),
        Err(e) => format!("(cannot be filled in: {})", clean(&e.to_string())),
    }
}

fn fire(app: &App, id: &str) -> Vec<Effect> {
    let said = format!("firing rollback {} as {}", clean(id), clean(&app.model.operator));
    vec![say(said, MsgKind::Warn), Effect::StartRun { kind: RunKind::Rollback, id: id.to_string() }]
}

fn say(text: String, kind: MsgKind) -> Effect {
    Effect::Say(text, kind)
}

/// Stay open, saying `text`.
fn stay_saying(text: String, kind: MsgKind) -> Handled {
    (Transition::Stay, vec![say(text, kind)])
}

/// The output of this rollback's last run, loaded from its file unless in memory.
fn show_output(app: &App, id: &str) -> Vec<Effect> {
    load_output(app, id, false)
}

fn load_output(app: &App, id: &str, quiet: bool) -> Vec<Effect> {
    let Some(last) = app.model.state.rollbacks.get(id).and_then(|r| r.runs.last()) else { return Vec::new() };
    let have = app.model.procs.outputs.get(&run_key(RunKind::Rollback, id)).is_some_and(|o| o.run == last.run);
    if have {
        return Vec::new();
    }
    vec![Effect::LoadOutput {
        kind: RunKind::Rollback,
        id: id.to_string(),
        run: last.run,
        output: last.output.clone(),
        quiet,
    }]
}

/// Opens the output view of rollback `id` (Enter on its banner).
pub fn open_output(app: &mut App, id: &str) -> Vec<Effect> {
    let mut d = RollbackDialog::on(app, Some(id));
    d.stage = Stage::Output { scroll: 0 };
    app.view.overlay.open(Overlay::Rollback(d));
    app.view.dirty = true;
    show_output(app, id)
}

/// Asks to abort a running rollback, naming it (A5).
pub fn ask_abort(app: &mut App, id: &str) {
    let ask = abort_question(app, id);
    app.view.overlay.open(ask);
    app.view.dirty = true;
}

/// The question `ask_abort` opens.
fn abort_question(app: &App, id: &str) -> Overlay {
    let title = app.model.runbook.rollback(id).map(|r| clean(&r.title)).unwrap_or_default();
    Overlay::Confirm(super::confirm::Confirm {
        title: "Abort rollback?".into(),
        question: format!(
            "Abort rollback {} — {title}? Its whole process group gets TERM, then KILL after 3 s. {}",
            clean(id),
            super::confirm::answers(&app.view.keymap, "abort", "let it run")
        ),
        on_yes: vec![Effect::AbortRun { kind: RunKind::Rollback, id: id.to_string() }],
    })
}

fn on_enter(app: &App, d: &mut RollbackDialog, id: &str) -> Handled {
    d.runs_seen = runs_of(app, id);
    match rollback_flow::next(&app.model.runbook, &app.model.state, id, app.actor(), app.model.read_only.is_some()) {
        Next::Approve { fires } => d.stage = Stage::Typing { fire: fires, typed: String::new() },
        Next::Fire(Confirm::Type) => d.stage = Stage::Typing { fire: true, typed: String::new() },
        Next::Fire(Confirm::Yes) => d.stage = Stage::YesNo,
        Next::Running => {
            d.stage = Stage::Output { scroll: 0 };
            let effects = show_output(app, id);
            return (Transition::Stay, effects);
        }
        Next::Refused(why) => return stay_saying(clean(&why), MsgKind::Warn),
    }
    stay()
}

fn on_typed(app: &App, d: &mut RollbackDialog, id: &str, fire_too: bool, typed: String) -> Handled {
    if typed != id {
        let what = if fire_too { "not fired" } else { "not approved" };
        d.stage = Stage::Typing { fire: fire_too, typed: String::new() };
        return stay_saying(format!("{what}: type {} exactly", clean(id)), MsgKind::Warn);
    }
    // A run started since the operator chose to go on (another console
    // fired it): they must look again before anything is written.
    if let Some(last) =
        app.model.state.rollbacks.get(id).and_then(|r| r.runs.last()).filter(|_| runs_of(app, id) > d.runs_seen)
    {
        let msg = format!(
            "rollback {id} not approved, not fired: {} fired it meanwhile at {} (run {}, {}); nothing recorded",
            last.started_by,
            crate::ui::timefmt::hms(last.started_at),
            last.run,
            crate::ui::run_line::outcome(last)
        );
        d.stage = Stage::List;
        return stay_saying(clean(&msg), MsgKind::Warn);
    }
    // Re-decide on the state as it is now (another console may have acted meanwhile).
    match rollback_flow::next(&app.model.runbook, &app.model.state, id, app.actor(), app.model.read_only.is_some()) {
        Next::Approve { fires: true } => {
            let (have, need) = approvals::approvals_needed(&app.model.runbook, &app.model.state, id);
            let who = clean(&app.model.operator);
            let said = format!("rollback {} approved ({}/{need}) by {who}: firing", clean(id), have + 1);
            // Both or neither: the session writes the approval only when the start can follow.
            done(vec![say(said, MsgKind::Warn), Effect::ApproveAndFire { id: id.to_string(), runs_seen: d.runs_seen }])
        }
        Next::Approve { fires: false } => approve(app, d, id),
        Next::Fire(_) if fire_too => done(fire(app, id)),
        Next::Fire(_) => on_enter(app, d, id),
        Next::Running => on_enter(app, d, id),
        Next::Refused(why) => done(vec![say(clean(&why), MsgKind::Warn)]),
    }
}

/// Journals the operator's approval of `id`: the y/n follows when it is the
/// last one needed and the rollback asks y/n; else another operator must approve.
fn approve(app: &App, d: &mut RollbackDialog, id: &str) -> Handled {
    let (have, need) = approvals::approvals_needed(&app.model.runbook, &app.model.state, id);
    let who = clean(&app.model.operator);
    let mut effects = vec![app.append(approvals::approval_event(id))];
    let confirm = app.model.runbook.rollback(id).map(|r| r.confirm).unwrap_or_default();
    if have + 1 >= need && confirm == Confirm::Yes {
        // The approval lands before the y/n is answered (effects run first).
        effects.push(say(
            format!("rollback {} approved ({}/{need}) by {who}: confirm to fire", clean(id), have + 1),
            MsgKind::Info,
        ));
        // Stays open on the y/n.
        d.stage = Stage::YesNo;
        return (Transition::Stay, effects);
    }
    effects.push(say(
        format!(
            "rollback {} approved ({}/{need}) by {who}: another operator must approve (o switches, or `warroom approve`)",
            clean(id),
            have + 1
        ),
        MsgKind::Info,
    ));
    done(effects)
}

pub fn on_key(app: &App, d: &mut RollbackDialog, key: KeyEvent) -> Handled {
    let id = app.model.runbook.rollbacks.get(d.selected).map(|r| r.id.clone());
    match std::mem::take(&mut d.stage) {
        Stage::Typing { fire, typed } => on_typing_key(app, d, id, fire, typed, &key),
        Stage::YesNo => on_fire_question_key(app, d, id, &key),
        Stage::Output { scroll } => on_output_key(app, d, id, scroll, &key),
        Stage::Again => on_again_key(app, d, id, &key),
        Stage::List => on_list_key(app, d, id, &key),
    }
}

/// Typing the id: Enter checks it, Esc goes back to the list.
fn on_typing_key(
    app: &App,
    d: &mut RollbackDialog,
    id: Option<String>,
    fire: bool,
    mut typed: String,
    key: &KeyEvent,
) -> Handled {
    match act(app, Layer::Prompt, key) {
        Some(DialogAction::Close) => return stay(), // back to the list
        Some(DialogAction::Submit) => {
            let Some(id) = id else { return close() };
            return on_typed(app, d, &id, fire, typed);
        }
        _ => match key.code {
            KeyCode::Char(c) => typed.push(c),
            KeyCode::Backspace => {
                typed.pop();
            }
            _ => {}
        },
    }
    d.stage = Stage::Typing { fire, typed };
    stay()
}

/// The y/n of a `confirm = "yes"` rollback: yes fires it if it still may fire.
fn on_fire_question_key(app: &App, d: &mut RollbackDialog, id: Option<String>, key: &KeyEvent) -> Handled {
    let Some(id) = id else { return close() };
    match act(app, Layer::Confirm, key) {
        Some(DialogAction::Yes) => {
            match approvals::may_fire(
                &app.model.runbook,
                &app.model.state,
                &id,
                app.actor(),
                app.model.read_only.is_some(),
            ) {
                Ok(()) => done(fire(app, &id)),
                Err(r) => stay_saying(clean(&r.to_string()), MsgKind::Warn),
            }
        }
        Some(DialogAction::No) => stay_saying(format!("rollback {} not fired", clean(&id)), MsgKind::Info),
        _ => {
            d.stage = Stage::YesNo;
            stay()
        }
    }
}

/// The output view: scroll, abort a running rollback, or go back to the list.
fn on_output_key(app: &App, d: &mut RollbackDialog, id: Option<String>, scroll: u16, key: &KeyEvent) -> Handled {
    match act(app, Layer::Rollback, key) {
        Some(DialogAction::Close) => return stay(), // back to the list
        Some(DialogAction::Abort) => {
            if let Some(id) = id.filter(|i| is_running(app, i)) {
                return (Transition::Replace(abort_question(app, &id)), Vec::new());
            }
        }
        // `scroll` counts lines up from the end (0 follows the newest).
        Some(DialogAction::Down) => d.stage = Stage::Output { scroll: scroll.saturating_sub(1) },
        Some(DialogAction::Up) => d.stage = Stage::Output { scroll: scroll.saturating_add(1) },
        Some(DialogAction::PageDown) => d.stage = Stage::Output { scroll: scroll.saturating_sub(10) },
        Some(DialogAction::PageUp) => d.stage = Stage::Output { scroll: scroll.saturating_add(10) },
        _ => {}
    }
    if d.stage == Stage::List {
        d.stage = Stage::Output { scroll };
    }
    stay()
}

/// "already ran … run again?": yes goes on as Enter on the list would.
fn on_again_key(app: &App, d: &mut RollbackDialog, id: Option<String>, key: &KeyEvent) -> Handled {
    let Some(id) = id else { return close() };
    match act(app, Layer::Confirm, key) {
        Some(DialogAction::Yes) => on_enter(app, d, &id),
        Some(DialogAction::No) => stay_saying(format!("rollback {} not run again", clean(&id)), MsgKind::Info),
        _ => {
            d.stage = Stage::Again;
            stay()
        }
    }
}

/// The list: choose a rollback, go on with it, see its output, or abort it.
fn on_list_key(app: &App, d: &mut RollbackDialog, id: Option<String>, key: &KeyEvent) -> Handled {
    let n = app.model.runbook.rollbacks.len();
    match act(app, Layer::Rollback, key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Down) if n > 0 => d.selected = (d.selected + 1).min(n - 1),
        Some(DialogAction::Up) => d.selected = d.selected.saturating_sub(1),
        Some(DialogAction::Submit) => {
            if let Some(id) = id {
                return on_list_enter(app, d, &id);
            }
        }
        Some(DialogAction::Output) => {
            if let Some(id) = id {
                d.stage = Stage::Output { scroll: 0 };
                let effects = show_output(app, &id);
                return (Transition::Stay, effects);
            }
        }
        Some(DialogAction::Abort) => {
            if let Some(id) = id.filter(|i| is_running(app, i)) {
                return (Transition::Replace(abort_question(app, &id)), Vec::new());
            }
            return stay_saying("x aborts a running rollback: this one is not running".into(), MsgKind::Info);
        }
        _ => {}
    }
    stay()
}

/// Enter on the list: firing what already ran asks first, naming that run.
fn on_list_enter(app: &App, d: &mut RollbackDialog, id: &str) -> Handled {
    let ran = app.model.state.rollbacks.get(id).and_then(|r| r.runs.last()).filter(|r| r.finished.is_some());
    if ran.is_some() && app.model.read_only.is_none() {
        d.stage = Stage::Again;
        return stay();
    }
    on_enter(app, d, id)
}

fn is_running(app: &App, id: &str) -> bool {
    app.model.state.rollbacks.get(id).is_some_and(|r| r.running())
}

/// The output view's lines: a header, then the run's kept output borrowed
/// from memory (it can be thousands of lines; only the visible ones are copied).
fn output_lines<'a>(app: &'a App, id: &str) -> (Vec<String>, Option<&'a std::collections::VecDeque<String>>) {
    let Some(last) = app.model.state.rollbacks.get(id).and_then(|r| r.runs.last()) else {
        return (vec!["This rollback has not run in this session.".into()], None);
    };
    let state = match &last.finished {
        None => "running".to_string(),
        Some(end) => {
            let code = end.exit_code.map(|c| format!(" exit {c}")).unwrap_or_default();
            format!("{}{code}", end.outcome.label())
        }
    };
    let mut out = vec![
        format!(
            "run {} by {} at {} — {state}",
            last.run,
            clean(&last.started_by),
            last.started_at.format("%H:%M:%S UTC")
        ),
        format!("command: {}", clean(&last.command)),
        format!("output file: {} (beside the journal)", clean(&last.output)),
        String::new(),
    ];
    match app.model.procs.outputs.get(&run_key(RunKind::Rollback, id)).filter(|o| o.run == last.run) {
        Some(o) => {
            if o.dropped > 0 {
                out.push(format!("… {} earlier lines are in the output file", o.dropped));
            }
            if o.lines.is_empty() {
                out.push("(no output yet)".into());
            }
            (out, Some(&o.lines))
        }
        None => {
            out.push("(loading the output file…)".into());
            (out, None)
        }
    }
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, d: &RollbackDialog) {
    let selected = app.model.runbook.rollbacks.get(d.selected);
    if let (Stage::Output { scroll }, Some(rb)) = (&d.stage, selected) {
        draw_output(frame, app, main, rb, *scroll);
        return;
    }
    let block = dialog_block(app, "Rollback", &menu_hint(app, &d.stage));
    let mut lines = rollback_rows(app, d.selected);
    if let Some(rb) = selected {
        push_selected(&mut lines, app, rb, &d.stage);
    }
    // As tall as the wrapped text (a long command wraps), within the screen.
    let width = 90.min(main.width);
    let para = Paragraph::new(lines).wrap(Wrap { trim: false });
    let rows = para.line_count(width.saturating_sub(2)) as u16;
    let area = centered(main, width, rows.saturating_add(2));
    frame.render_widget(Clear, area);
    frame.render_widget(para.block(block), area);
}

/// The output view of rollback `rb`'s last run, `scroll` lines up from the end.
fn draw_output(frame: &mut Frame, app: &App, main: Rect, rb: &Rollback, scroll: u16) {
    let area = centered(main, 110, main.height.saturating_sub(2));
    frame.render_widget(Clear, area);
    let block = dialog_block(app, &format!("Rollback {} — output", clean(&rb.id)), &output_hint(app, &rb.id));
    let (head, body) = output_lines(app, &rb.id);
    let all = head.iter().chain(body.into_iter().flatten());
    let total = head.len() + body.map_or(0, |b| b.len());
    // Follow the end unless scrolled: the newest lines are what matter while it runs.
    let inner_h = area.height.saturating_sub(2) as usize;
    let start = total.saturating_sub(inner_h).saturating_sub(scroll as usize);
    let text: Vec<Line> = all.skip(start).take(inner_h).map(|l| Line::from(l.as_str())).collect();
    frame.render_widget(Paragraph::new(text).block(block), area);
}

/// The output view's keys: abort only while it runs.
fn output_hint(app: &App, id: &str) -> String {
    let scroll_keys = Part::Keys(Layer::Rollback, &[DialogAction::Down, DialogAction::Up], "scroll");
    let back = Part::Keys(Layer::Rollback, &[DialogAction::Close], "back");
    if is_running(app, id) {
        let abort = Part::Keys(Layer::Rollback, &[DialogAction::Abort], "abort");
        hint(app, &[scroll_keys, abort, back])
    } else {
        hint(app, &[scroll_keys, back])
    }
}

/// The keys of the list and of each question asked from it.
fn menu_hint(app: &App, stage: &Stage) -> String {
    let typed = |what| {
        [
            Part::Text("type the id"),
            Part::Keys(Layer::Prompt, &[DialogAction::Submit], what),
            Part::Keys(Layer::Prompt, &[DialogAction::Close], "back"),
        ]
    };
    let asked = |what| {
        [
            Part::Keys(Layer::Confirm, &[DialogAction::Yes], what),
            Part::Keys(Layer::Confirm, &[DialogAction::No], "back"),
        ]
    };
    match stage {
        Stage::Typing { fire: true, .. } => hint(app, &typed("fire")),
        Stage::Typing { fire: false, .. } => hint(app, &typed("approve")),
        Stage::YesNo => hint(app, &asked("fire")),
        Stage::Again => hint(app, &asked("run again")),
        _ => hint(
            app,
            &[
                Part::Keys(Layer::Rollback, &[DialogAction::Down, DialogAction::Up], "choose"),
                Part::Keys(Layer::Rollback, &[DialogAction::Submit], "approve/fire"),
                Part::Keys(Layer::Rollback, &[DialogAction::Output], "output"),
                Part::Keys(Layer::Rollback, &[DialogAction::Abort], "abort"),
                Part::Keys(Layer::Rollback, &[DialogAction::Close], "close"),
            ],
        ),
    }
}

/// One row per rollback (and its last run, if any), the `selected` one marked.
fn rollback_rows(app: &App, selected: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if app.model.runbook.rollbacks.is_empty() {
        lines.push(Line::from(styled(app, Role::Muted, "No [[rollback]] in this runbook.")));
    }
    let proposed = rollback_flow::proposed(&app.model.runbook, &app.model.state);
    for (i, rb) in app.model.runbook.rollbacks.iter().enumerate() {
        push_row(&mut lines, app, rb, i == selected, proposed.as_deref() == Some(rb.id.as_str()));
    }
    lines
}

fn push_row(lines: &mut Vec<Line<'static>>, app: &App, rb: &Rollback, selected: bool, proposed: bool) {
    let last = app.model.state.rollbacks.get(&rb.id).and_then(|r| r.runs.last());
    let (status, role) = row_status(app, &rb.id, last);
    let marker = if selected { app.view.symbols.focus_marker() } else { " " };
    let mut spans =
        vec![plain(format!("{marker} {:<12} {}", clean(&rb.id), clean(&rb.title))), styled(app, role, status)];
    if proposed {
        spans.push(styled(app, Role::Alarm, " ← PROPOSED by an alarm"));
    }
    let mut line = Line::from(spans);
    if selected {
        line = line.style(app.view.theme.style(Role::Selection));
    }
    lines.push(line);
    if let Some(run) = last {
        let text = crate::ui::run_line::describe(app, RunKind::Rollback, &rb.id, run);
        lines.push(Line::from(styled(app, Role::Muted, format!("    last {text}"))));
    }
}

/// " RUNNING", " ran: ok" or " approvals 1/2 by ana", and its colour.
fn row_status(app: &App, id: &str, last: Option<&RunRecord>) -> (String, Role) {
    let (have, need) = approvals::approvals_needed(&app.model.runbook, &app.model.state, id);
    let by = approvals::approvers_in(Some(&app.model.runbook), &app.model.state, id);
    let by = if by.is_empty() { String::new() } else { format!(" by {}", clean(&by.join(", "))) };
    // A rollback that ran reads as what it did, until someone approves it again.
    match last {
        Some(run) if run.finished.is_none() => (" RUNNING".to_string(), Role::Running),
        Some(run) if have == 0 => {
            let (_, _, role) = app.view.symbols.step(crate::ui::run_line::status(run));
            (format!(" ran: {}", crate::ui::run_line::outcome(run)), role)
        }
        _ => (format!(" approvals {have}/{need}{by}"), if have >= need { Role::Ok } else { Role::Warn }),
    }
}

/// Under the list: who may act on the selected rollback, notes about it, what
/// the stage asks, and the command it would run (vars filled in): an approver
/// sees what they approve, as much as the one who fires.
fn push_selected(lines: &mut Vec<Line<'static>>, app: &App, rb: &Rollback, stage: &Stage) {
    lines.push(Line::from(""));
    lines.push(Line::from(vec![styled(app, Role::Muted, "who may: "), plain(who_may(app, rb))]));
    // What people noted about it ("revert tried once, DB locked"), as in an item's details.
    for n in crate::ui::activity::notes_about(app, &rb.id) {
        lines.push(Line::from(vec![styled(app, Role::Muted, "note: "), plain(n)]));
    }
    lines.push(Line::from(""));
    if let Some(ask) = question(app, rb, stage) {
        lines.push(Line::from(styled(app, Role::Alarm, ask)));
    }
    push_command(lines, &command_text(app, &rb.id));
    if let Stage::Typing { typed, .. } = stage {
        lines.push(Line::from(format!("> {}▏", clean(typed))));
    }
}

/// What the stage asks about rollback `rb` (the list asks nothing).
fn question(app: &App, rb: &Rollback, stage: &Stage) -> Option<String> {
    let who = clean(&app.model.operator);
    let ask = match stage {
        Stage::Typing { fire, .. } => {
            match (fire, rollback_flow::next(&app.model.runbook, &app.model.state, &rb.id, app.actor(), false)) {
                (true, Next::Approve { .. }) => {
                    format!("Type {} to approve AND FIRE this rollback as {who}:", clean(&rb.id))
                }
                (true, _) => format!("Type {} to FIRE this rollback as {who}:", clean(&rb.id)),
                (false, _) => format!("Type {} to approve this rollback as {who}:", clean(&rb.id)),
            }
        }
        Stage::Again => {
            let run = app.model.state.rollbacks.get(&rb.id).and_then(|r| r.runs.last());
            let ask = run.and_then(crate::ui::run_line::again_question).unwrap_or_default();
            format!("Rollback {} {ask} {}", clean(&rb.id), super::confirm::answers(&app.view.keymap, "go on", "back"))
        }
        Stage::YesNo => format!(
            "Fire rollback {} — {} now, as {who}? {}",
            clean(&rb.id),
            clean(&rb.title),
            super::confirm::answers(&app.view.keymap, "fire", "back")
        ),
        _ => return None,
    };
    Some(ask)
}
