//! `d`: record GO / NO-GO / ROLLBACK with a written reason. Shows the
//! recommendation and the failing criteria so the person deciding sees them.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use ratatui_textarea::TextArea;

use super::{centered, is_close, Outcome, Overlay};
use crate::domain::event::{Decision, EventKind};
use crate::ui::app::App;
use crate::ui::chrome::{dialog_block, plain, styled};
use crate::ui::recommend;
use crate::ui::text::clean;
use crate::ui::theme::Role;

pub const CHOICES: [Decision; 3] = [Decision::Go, Decision::NoGo, Decision::Rollback];

pub struct DecisionDialog {
    pub choice: Option<usize>,
    pub reason: TextArea<'static>,
    pub error: Option<String>,
}

impl DecisionDialog {
    pub fn new() -> Self {
        let mut reason = TextArea::default();
        reason.set_placeholder_text("why (required): what was checked, who agreed");
        reason.set_cursor_line_style(ratatui::style::Style::default());
        DecisionDialog { choice: None, reason, error: None }
    }
}

impl Default for DecisionDialog {
    fn default() -> Self {
        Self::new()
    }
}

pub fn on_key(app: &mut App, mut d: Box<DecisionDialog>, key: KeyEvent) -> Outcome {
    if is_close(&key, true) {
        return Outcome::Close;
    }
    match key.code {
        KeyCode::Tab | KeyCode::Right if key.code == KeyCode::Tab || d.reason.is_empty() => {
            d.choice = Some(d.choice.map_or(0, |c| (c + 1) % 3));
        }
        KeyCode::BackTab | KeyCode::Left if key.code == KeyCode::BackTab || d.reason.is_empty() => {
            d.choice = Some(d.choice.map_or(2, |c| (c + 2) % 3));
        }
        KeyCode::Enter => {
            let reason = d.reason.lines().join("\n").trim().to_string();
            let Some(choice) = d.choice else {
                d.error = Some("choose GO, NO-GO or ROLLBACK with Tab first".into());
                return Outcome::Keep(Overlay::Decision(d));
            };
            if reason.is_empty() {
                d.error = Some("write the reason first: it goes in the journal".into());
                return Outcome::Keep(Overlay::Decision(d));
            }
            let decision = CHOICES[choice];
            let ev = EventKind::DecisionRecorded {
                decision,
                reason,
                recommendation: Some(recommend::label(&app.runbook, &app.state)),
            };
            app.say(format!("decision {} recorded", decision.as_str()), crate::ui::app::MsgKind::Info);
            if decision == Decision::Rollback {
                // Deciding to roll back leads straight to choosing which (A5: still confirmed there).
                super::rollback::open(app);
                app.say(
                    "decision ROLLBACK recorded: choose the rollback, Enter to approve/fire",
                    crate::ui::app::MsgKind::Info,
                );
            }
            return Outcome::Done(vec![app.append(ev)]);
        }
        _ => {
            d.reason.input(key);
            d.error = None;
        }
    }
    Outcome::Keep(Overlay::Decision(d))
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, d: &DecisionDialog) {
    // The same list as "why not GO" (y): every criterion that keeps the recommendation from GO.
    let blocking = crate::domain::why_not_go::blockers(&app.runbook, &app.state);
    let shown = blocking.len().min(6) as u16;
    let area = centered(main, 110, 14 + shown);
    frame.render_widget(Clear, area);
    let block = dialog_block(app, "Record the decision", "Tab choose · type the reason · Enter record · Esc cancel");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [info, choice, reason, err] = Layout::vertical([
        Constraint::Length(3 + shown),
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(inner);
    let mut lines = vec![Line::from(vec![
        styled(app, Role::Muted, "recommendation: "),
        styled(app, Role::Accent, recommend::label(&app.runbook, &app.state))
            .patch_style(ratatui::style::Style::new().add_modifier(Modifier::BOLD)),
    ])];
    if let Some(cur) = &app.state.decision {
        lines.push(Line::from(vec![
            styled(app, Role::Muted, "recorded so far: "),
            plain(format!("{} by {}", cur.decision.as_str(), clean(&cur.by))),
        ]));
    }
    if blocking.is_empty() {
        lines.push(Line::from(styled(app, Role::Muted, "nothing blocks GO")));
    } else {
        lines.push(Line::from(styled(
            app,
            Role::Muted,
            format!("why not GO ({} blocking, y lists all):", blocking.len()),
        )));
        for b in blocking.iter().take(6) {
            let v = b.verdict;
            let (sym, _, role) = app.symbols.verdict(v);
            lines.push(Line::from(vec![
                styled(app, role, format!("  {sym} ")),
                plain(crate::ui::why_not_go::line(app, b)),
            ]));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), info);
    let mut spans = vec![styled(app, Role::Muted, "decision: ")];
    for (i, c) in CHOICES.iter().enumerate() {
        let chosen = d.choice == Some(i);
        let label = if chosen { format!("[{}] ", c.as_str()) } else { format!(" {}  ", c.as_str()) };
        let role = match c {
            Decision::Go => Role::Ok,
            Decision::NoGo => Role::Warn,
            Decision::Rollback => Role::Fail,
        };
        let mut s = styled(app, role, label);
        if chosen {
            s = s.patch_style(app.theme.style(Role::Selection));
        }
        spans.push(s);
        spans.push(plain(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), choice);
    let mut ta = d.reason.clone();
    ta.set_block(Block::default().borders(Borders::ALL).title(" reason "));
    frame.render_widget(&ta, reason);
    if let Some(e) = &d.error {
        frame.render_widget(Paragraph::new(Line::from(styled(app, Role::Fail, e.clone()))), err);
    }
}
