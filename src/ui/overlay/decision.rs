//! `d`: record GO / NO-GO / ROLLBACK with a written reason. Shows the
//! recommendation and the failing criteria so the person deciding sees them,
//! and who may decide when the runbook says (`[decision] by`).
//!
//! Two things are asked before recording (y records, n goes back):
//! - GO (or NO-GO against a GO recommendation) while critical criteria fail:
//!   the operator overrides them by name, and the record lists them
//!   (`overrides`);
//! - another decision was recorded since the dialog opened (another console,
//!   `warroom` on another login): it is named, and the record says it
//!   knowingly replaces it (`supersedes`).

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use ratatui_textarea::TextArea;

use super::hint::{dialog_key, hint, Part};
use super::{act, centered, close, done, stay, Handled, Layer, Overlay, Transition};
use crate::domain::decision;
use crate::domain::event::{Decision, EventKind};
use crate::domain::why_not_go::Blocker;
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, plain, styled};
use crate::ui::effect::Effect;
use crate::ui::recommend;
use crate::ui::text::clean;
use crate::ui::theme::Role;

pub const CHOICES: [Decision; 3] = [Decision::Go, Decision::NoGo, Decision::Rollback];

pub struct DecisionDialog {
    pub choice: Option<usize>,
    pub reason: TextArea<'static>,
    pub error: Option<String>,
    /// When the decision on record was taken as the dialog opened (`None`: none yet).
    pub seen: Option<chrono::DateTime<chrono::Utc>>,
    /// Asking y/n before recording; what the record will then say.
    pub asking: Option<Asked>,
}

/// What the y/n before recording is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asked {
    pub decision: Decision,
    pub overrides: Vec<String>,
    pub supersedes: Option<String>,
    /// The decision on record the question named (re-asked if another arrives).
    pub seen: Option<chrono::DateTime<chrono::Utc>>,
}

impl DecisionDialog {
    pub fn new() -> Self {
        let mut reason = TextArea::default();
        reason.set_placeholder_text("why (required): what was checked, who agreed");
        reason.set_cursor_line_style(ratatui::style::Style::default());
        DecisionDialog { choice: None, reason, error: None, seen: None, asking: None }
    }

    /// Remembers the decision on record now, to notice one recorded meanwhile.
    pub fn for_app(app: &App) -> Self {
        DecisionDialog { seen: app.model.state.decision.as_ref().map(|d| d.at), ..Self::new() }
    }
}

/// Critical criteria failing now that a GO (or a NO-GO against a GO
/// recommendation) would override, by id.
pub fn overridden(app: &App, decision: Decision) -> Vec<String> {
    decision::overridden(&app.model.runbook, &app.model.state, decision)
}

/// The decision recorded since `seen`, in words ("NO-GO by bob at 10:01:02Z").
fn recorded_since(app: &App, seen: Option<chrono::DateTime<chrono::Utc>>) -> Option<String> {
    let cur = app.model.state.decision.as_ref().filter(|d| Some(d.at) != seen)?;
    // In words a person reads (and the journal keeps): "ROLLBACK by bob at 07:18:32 UTC".
    Some(format!("{} by {} at {} UTC", cur.decision.as_str(), cur.by, cur.at.format("%H:%M:%S")))
}

impl Default for DecisionDialog {
    fn default() -> Self {
        Self::new()
    }
}

pub fn on_key(app: &App, d: &mut DecisionDialog, key: KeyEvent) -> Handled {
    if let Some(asked) = d.asking.take() {
        return on_question_key(app, d, asked, &key);
    }
    // A key that moves in the text (←/→ by default choose) acts on the reason once there is one.
    let action = act(app, Layer::Decision, &key).filter(|_| d.reason.is_empty() || !moves_in_text(&key));
    match action {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::NextChoice) => d.choice = Some(d.choice.map_or(0, |c| (c + 1) % 3)),
        Some(DialogAction::PrevChoice) => d.choice = Some(d.choice.map_or(2, |c| (c + 2) % 3)),
        Some(DialogAction::Submit) => return on_submit(app, d),
        _ => {
            d.reason.input(key);
            d.error = None;
        }
    }
    stay()
}

/// The y/n before recording: y records, n goes back to the dialog.
fn on_question_key(app: &App, d: &mut DecisionDialog, asked: Asked, key: &KeyEvent) -> Handled {
    match act(app, Layer::Confirm, key) {
        Some(DialogAction::Yes) => record(app, d, asked),
        Some(DialogAction::No) => {
            d.error = Some(format!(
                "not recorded: change the decision or the reason, or {} to leave",
                dialog_key(app, Layer::Decision, DialogAction::Close, false)
            ));
            stay()
        }
        _ => {
            d.asking = Some(asked);
            stay()
        }
    }
}

/// Enter: records the chosen decision with its reason, or asks y/n first
/// (overriding failing critical criteria, replacing a decision recorded meanwhile).
fn on_submit(app: &App, d: &mut DecisionDialog) -> Handled {
    let reason = d.reason.lines().join("\n").trim().to_string();
    let Some(choice) = d.choice else {
        d.error = Some(format!(
            "choose GO, NO-GO or ROLLBACK with {} first",
            dialog_key(app, Layer::Decision, DialogAction::NextChoice, false)
        ));
        return stay();
    };
    if reason.is_empty() {
        d.error = Some("write the reason first: it goes in the journal".into());
        return stay();
    }
    let decision = CHOICES[choice];
    if let Err(why) =
        app.model.runbook.access.check(&app.model.runbook.access.decision_by, &app.actor(), "record the decision")
    {
        d.error = Some(clean(&why));
        return stay();
    }
    let asked = Asked {
        decision,
        overrides: overridden(app, decision),
        supersedes: recorded_since(app, d.seen),
        seen: app.model.state.decision.as_ref().map(|x| x.at),
    };
    if asked.overrides.is_empty() && asked.supersedes.is_none() {
        return record(app, d, asked);
    }
    // The question replaces what was said before it ("choose … first").
    d.error = None;
    d.asking = Some(asked);
    stay()
}

/// Keys a text field uses to move and delete in what is written.
fn moves_in_text(key: &KeyEvent) -> bool {
    matches!(
        key.code,
        KeyCode::Left | KeyCode::Right | KeyCode::Home | KeyCode::End | KeyCode::Backspace | KeyCode::Delete
    )
}

/// Journals the decision the operator confirmed; if yet another decision
/// arrived while they were being asked, asks again instead.
fn record(app: &App, d: &mut DecisionDialog, asked: Asked) -> Handled {
    let now_seen = app.model.state.decision.as_ref().map(|x| x.at);
    if now_seen != asked.seen {
        d.asking = Some(Asked {
            supersedes: recorded_since(app, d.seen),
            overrides: overridden(app, asked.decision),
            seen: now_seen,
            ..asked
        });
        return stay();
    }
    let decision = asked.decision;
    let ev = EventKind::DecisionRecorded {
        decision,
        reason: d.reason.lines().join("\n").trim().to_string(),
        recommendation: Some(decision::recommend(&app.model.runbook, &app.model.state).label()),
        overrides: asked.overrides,
        supersedes: asked.supersedes,
    };
    let said = Effect::Say(format!("decision {} recorded", decision.as_str()), MsgKind::Info);
    if decision == Decision::Rollback {
        // Deciding to roll back leads straight to choosing which (A5: still confirmed there).
        let (rollbacks, loads) = super::rollback::dialog(app);
        let choose = format!(
            "decision ROLLBACK recorded: choose the rollback, {} to approve/fire",
            dialog_key(app, Layer::Rollback, DialogAction::Submit, false)
        );
        let mut effects = vec![said, Effect::Say(choose, MsgKind::Info), app.append(ev)];
        effects.extend(loads);
        return (Transition::Replace(Overlay::Rollback(rollbacks)), effects);
    }
    done(vec![said, app.append(ev)])
}

/// The y/n question's lines, its keys as `[dialog.confirm]` has them.
fn question(app: &App, asked: &Asked) -> Vec<String> {
    let mut out = Vec::new();
    if !asked.overrides.is_empty() {
        out.push(format!(
            "{} while {} critical criteria FAIL: {}. Record it OVERRIDING them (the journal says so)?",
            asked.decision.as_str(),
            asked.overrides.len(),
            clean(&asked.overrides.join(", "))
        ));
    }
    if let Some(old) = &asked.supersedes {
        out.push(format!(
            "Since this dialog opened, {} was recorded. Replace it with {}?",
            clean(old),
            asked.decision.as_str()
        ));
    }
    out.push(hint(
        app,
        &[
            Part::Keys(Layer::Confirm, &[DialogAction::Yes], "record"),
            Part::Keys(Layer::Confirm, &[DialogAction::No], "go back"),
        ],
    ));
    out
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, d: &DecisionDialog) {
    // The same list as "why not GO" (y): every criterion that keeps the recommendation from GO.
    let blocking = crate::domain::why_not_go::blockers(&app.model.runbook, &app.model.state);
    let contradicted = crate::ui::contradictions::list(app);
    let shown = (blocking.len().min(6) + contradicted.len().min(3)) as u16
        + u16::from(!app.model.runbook.access.decision_by.is_empty());
    let asking = d.asking.as_ref().map(|a| question(app, a)).unwrap_or_default();
    let area = centered(main, 110, 14 + shown + asking.len() as u16 * 2);
    frame.render_widget(Clear, area);
    let block = dialog_block(app, "Record the decision", &keys_hint(app, d.asking.is_some()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [info, choice, reason, err, ask] = Layout::vertical([
        Constraint::Length(3 + shown),
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(asking.len() as u16 * 2),
    ])
    .areas(inner);
    if !asking.is_empty() {
        let lines: Vec<Line> = asking.iter().map(|l| Line::from(styled(app, Role::Warn, l.clone()))).collect();
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), ask);
    }
    let mut lines = context_lines(app);
    push_blocking(&mut lines, app, &blocking);
    push_contradicted(&mut lines, app, &contradicted);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), info);
    frame.render_widget(Paragraph::new(choice_line(app, d.choice)), choice);
    let mut ta = d.reason.clone();
    ta.set_block(Block::default().borders(Borders::ALL).title(" reason "));
    frame.render_widget(&ta, reason);
    if let Some(e) = &d.error {
        frame.render_widget(Paragraph::new(Line::from(styled(app, Role::Fail, e.clone()))), err);
    }
}

/// The dialog's keys. While asking y/n, the keys are the question's
/// (`[dialog.confirm]`): typing and Enter do nothing then.
fn keys_hint(app: &App, asking: bool) -> String {
    if asking {
        hint(
            app,
            &[
                Part::Keys(Layer::Confirm, &[DialogAction::Yes], "record"),
                Part::Keys(Layer::Confirm, &[DialogAction::No], "go back"),
            ],
        )
    } else {
        hint(
            app,
            &[
                Part::First(Layer::Decision, &[DialogAction::NextChoice], "choose"),
                Part::Text("type the reason"),
                Part::Keys(Layer::Decision, &[DialogAction::Submit], "record"),
                Part::Keys(Layer::Decision, &[DialogAction::Close], "cancel"),
            ],
        )
    }
}

/// The recommendation, who may decide, and the decision recorded so far.
fn context_lines(app: &App) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(vec![
        styled(app, Role::Muted, "recommendation: "),
        styled(app, Role::Accent, recommend::shown(app))
            .patch_style(ratatui::style::Style::new().add_modifier(Modifier::BOLD)),
    ])];
    // Only when the runbook restricts it (otherwise anyone may).
    let by = &app.model.runbook.access.decision_by;
    if !by.is_empty() {
        lines.push(Line::from(vec![
            styled(app, Role::Muted, "who may decide: "),
            plain(clean(&app.model.runbook.access.describe(by))),
        ]));
    }
    if let Some(cur) = &app.model.state.decision {
        lines.push(Line::from(vec![
            styled(app, Role::Muted, "recorded so far: "),
            plain(format!("{} by {}", cur.decision.as_str(), clean(&cur.by))),
        ]));
    }
    lines
}

/// "why not GO": the first six criteria that keep the recommendation from GO.
fn push_blocking(lines: &mut Vec<Line<'static>>, app: &App, blocking: &[Blocker]) {
    if blocking.is_empty() {
        lines.push(Line::from(styled(app, Role::Muted, "nothing blocks GO")));
        return;
    }
    // `y` would be typed into the reason here: the full list is a pane key, after leaving.
    let all = match (
        app.view.keymap.dialog_keys_of(Layer::Decision, DialogAction::Close).first(),
        super::hint::pane_key(app, app.view.focus, crate::ui::action::Action::WhyNotGo),
    ) {
        (Some(close), Some(why)) => format!("; after {}, {why} lists all", super::hint::shown(close)),
        _ => String::new(),
    };
    lines.push(Line::from(styled(app, Role::Muted, format!("why not GO ({} blocking{all}):", blocking.len()))));
    for b in blocking.iter().take(6) {
        let v = b.verdict;
        let (sym, _, role) = app.view.symbols.verdict(v);
        lines
            .push(Line::from(vec![styled(app, role, format!("  {sym} ")), plain(crate::ui::why_not_go::line(app, b))]));
    }
}

/// Criteria passed by hand that their source now disagrees with (the first three).
fn push_contradicted(lines: &mut Vec<Line<'static>>, app: &App, contradicted: &[(String, String)]) {
    for (id, why) in contradicted.iter().take(3) {
        lines.push(Line::from(vec![
            styled(
                app,
                Role::Warn,
                format!("  {} PASS by hand, source disagrees: ", if app.view.symbols.ascii { "!" } else { "⚠" }),
            ),
            plain(format!("{} — {}", clean(id), clean(why))),
        ]));
    }
}

/// "decision:  GO  [NO-GO]  ROLLBACK", the chosen one marked.
fn choice_line(app: &App, chosen: Option<usize>) -> Line<'static> {
    let mut spans = vec![styled(app, Role::Muted, "decision: ")];
    for (i, c) in CHOICES.iter().enumerate() {
        let chosen = chosen == Some(i);
        let label = if chosen { format!("[{}] ", c.as_str()) } else { format!(" {}  ", c.as_str()) };
        let role = match c {
            Decision::Go => Role::Ok,
            Decision::NoGo => Role::Warn,
            Decision::Rollback => Role::Fail,
        };
        let mut s = styled(app, role, label);
        if chosen {
            s = s.patch_style(app.view.theme.style(Role::Selection));
        }
        spans.push(s);
        spans.push(plain(" "));
    }
    Line::from(spans)
}
