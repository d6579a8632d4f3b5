//! `B`: rollbacks. Choose one (with its approvals so far), then type its id to
//! approve it as the operator at the keyboard (A5: a destructive path never
//! hangs on one unconfirmed key). Approvals follow `domain::approvals`:
//! distinct operators, never the same one twice. Firing the rollback belongs to
//! the process runner's wiring; until then the dialog says when it is ready.

use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::{centered, is_close, Outcome, Overlay};
use crate::domain::approvals;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, plain, styled};
use crate::ui::effect::Effect;
use crate::ui::text::clean;
use crate::ui::theme::Role;

#[derive(Clone, Debug, Default)]
pub struct RollbackDialog {
    pub selected: usize,
    /// `Some`: typing the chosen rollback's id to confirm.
    pub typed: Option<String>,
}

pub fn on_key(app: &mut App, mut d: RollbackDialog, key: KeyEvent) -> Outcome {
    let n = app.runbook.rollbacks.len();
    if let Some(mut typed) = d.typed.take() {
        if key.code == KeyCode::Esc {
            return Outcome::Keep(Overlay::Rollback(d)); // back to the list
        }
        match key.code {
            KeyCode::Char(c) => typed.push(c),
            KeyCode::Backspace => {
                typed.pop();
            }
            KeyCode::Enter => {
                let Some(rb) = app.runbook.rollbacks.get(d.selected) else { return Outcome::Close };
                let id = rb.id.clone();
                if typed != id {
                    app.say(format!("not approved: type {} exactly", clean(&id)), MsgKind::Warn);
                    d.typed = Some(String::new());
                    return Outcome::Keep(Overlay::Rollback(d));
                }
                return match approvals::can_approve(
                    &app.runbook,
                    &app.state,
                    &id,
                    &app.operator,
                    app.read_only.is_some(),
                ) {
                    Ok(()) => {
                        let (have, need) = approvals::approvals_needed(&app.runbook, &app.state, &id);
                        let msg = if have + 1 >= need {
                            format!(
                                "rollback {} approved ({}/{need}) by {}: ready to fire",
                                clean(&id),
                                have + 1,
                                clean(&app.operator)
                            )
                        } else {
                            format!(
                                "rollback {} approved ({}/{need}) by {}: another operator must approve (o switches, or `warroom approve`)",
                                clean(&id),
                                have + 1,
                                clean(&app.operator)
                            )
                        };
                        app.say(msg, MsgKind::Info);
                        Outcome::Done(vec![Effect::Append {
                            operator: app.operator.clone(),
                            event: approvals::approval_event(&id),
                        }])
                    }
                    Err(refusal) => {
                        app.say(clean(&refusal.to_string()), MsgKind::Warn);
                        Outcome::Close
                    }
                };
            }
            _ => {}
        }
        d.typed = Some(typed);
        return Outcome::Keep(Overlay::Rollback(d));
    }
    if is_close(&key, false) {
        return Outcome::Close;
    }
    match key.code {
        KeyCode::Down | KeyCode::Char('j') if n > 0 => d.selected = (d.selected + 1).min(n - 1),
        KeyCode::Up | KeyCode::Char('k') => d.selected = d.selected.saturating_sub(1),
        KeyCode::Enter if n > 0 => d.typed = Some(String::new()),
        _ => {}
    }
    Outcome::Keep(Overlay::Rollback(d))
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, d: &RollbackDialog) {
    let rows = app.runbook.rollbacks.len() as u16;
    let area = centered(main, 90, rows + 6);
    frame.render_widget(Clear, area);
    let hint = if d.typed.is_some() {
        "type the id · Enter approve · Esc back"
    } else {
        "j/k choose · Enter approve · Esc close"
    };
    let block = dialog_block(app, "Rollback", hint);
    let mut lines = Vec::new();
    if app.runbook.rollbacks.is_empty() {
        lines.push(Line::from(styled(app, Role::Muted, "No [[rollback]] in this runbook.")));
    }
    for (i, rb) in app.runbook.rollbacks.iter().enumerate() {
        let (have, need) = approvals::approvals_needed(&app.runbook, &app.state, &rb.id);
        let by = approvals::approvers(&app.state, &rb.id);
        let by = if by.is_empty() { String::new() } else { format!(" by {}", clean(&by.join(", "))) };
        let running = app.state.rollbacks.get(&rb.id).is_some_and(|r| r.running());
        let status = if running { " RUNNING".to_string() } else { format!(" approvals {have}/{need}{by}") };
        let marker = if i == d.selected { app.symbols.focus_marker() } else { " " };
        let mut line = Line::from(vec![
            plain(format!("{marker} {:<12} {}", clean(&rb.id), clean(&rb.title))),
            styled(app, if have >= need { Role::Ok } else { Role::Warn }, status),
        ]);
        if i == d.selected {
            line = line.style(app.theme.style(Role::Selection));
        }
        lines.push(line);
    }
    if let (Some(typed), Some(rb)) = (&d.typed, app.runbook.rollbacks.get(d.selected)) {
        lines.push(Line::from(""));
        lines.push(Line::from(styled(
            app,
            Role::Alarm,
            format!("Type {} to approve this rollback as {}:", clean(&rb.id), clean(&app.operator)),
        )));
        lines.push(Line::from(format!("> {}▏", clean(typed))));
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).block(block), area);
}
