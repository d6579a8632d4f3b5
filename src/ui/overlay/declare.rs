//! `i` on a runbook with `[[severity]]`: choose the severity (Tab / arrows)
//! and write a one-line summary, Enter declares (docs/incident.md). The clocks
//! of that severity start at once; runbooks without severities keep the plain
//! yes/no question (`ui::incident`).

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;
use ratatui_textarea::TextArea;

use super::hint::{dialog_key, hint, Part};
use super::{act, centered, close, done, stay, Handled, Layer};
use crate::domain::incident_acts;
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, plain, styled};
use crate::ui::effect::Effect;
use crate::ui::text::{clean, fit, pad};
use crate::ui::theme::Role;

pub struct DeclareDialog {
    /// Changing the open incident's severity (`s`), not declaring one: no summary.
    pub change: bool,
    pub choice: Option<usize>,
    pub summary: TextArea<'static>,
    pub error: Option<String>,
}

impl DeclareDialog {
    pub fn new() -> Self {
        let mut summary = TextArea::default();
        summary.set_placeholder_text("what is happening, in one line (optional)");
        summary.set_cursor_line_style(ratatui::style::Style::default());
        DeclareDialog { change: false, choice: None, summary, error: None }
    }
}

impl Default for DeclareDialog {
    fn default() -> Self {
        Self::new()
    }
}

pub fn on_key(app: &App, d: &mut DeclareDialog, key: KeyEvent) -> Handled {
    let n = app.model.runbook.severities.len().max(1);
    match act(app, Layer::Declare, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::NextChoice) => d.choice = Some(d.choice.map_or(0, |c| (c + 1) % n)),
        Some(DialogAction::PrevChoice) => d.choice = Some(d.choice.map_or(n - 1, |c| (c + n - 1) % n)),
        Some(DialogAction::Submit) => {
            let Some(sev) = d.choice.and_then(|c| app.model.runbook.severities.get(c)).map(|s| s.id.clone()) else {
                d.error = Some(format!(
                    "choose the severity with {} first",
                    dialog_key(app, Layer::Declare, DialogAction::NextChoice, false)
                ));
                return stay();
            };
            if d.change {
                return match incident_acts::change_severity(&app.model.runbook, &app.model.state, &sev) {
                    Ok(events) => {
                        let said = format!("severity changed to {}: its clocks apply now", clean(&sev));
                        done(said_then(app, said, events))
                    }
                    Err(e) => {
                        d.error = Some(clean(e.message()));
                        stay()
                    }
                };
            }
            let summary = d.summary.lines().join(" ").trim().to_string();
            let summary = (!summary.is_empty()).then_some(summary);
            match incident_acts::declare(&app.model.runbook, &app.model.state, Some(&sev), summary) {
                Ok(events) => {
                    let said = format!("incident declared: {} — its clocks are running", clean(&sev));
                    return done(said_then(app, said, events));
                }
                Err(e) => d.error = Some(clean(e.message())),
            }
        }
        _ if d.change => {}
        _ => {
            d.summary.input(key);
            d.error = None;
        }
    }
    stay()
}

/// Says `said`, then journals `events` as the operator.
fn said_then(app: &App, said: String, events: Vec<crate::domain::event::EventKind>) -> Vec<Effect> {
    std::iter::once(Effect::Say(said, MsgKind::Info)).chain(events.into_iter().map(|e| app.append(e))).collect()
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, d: &DeclareDialog) {
    let sevs = &app.model.runbook.severities;
    let area = centered(main, 90, sevs.len() as u16 + 8);
    frame.render_widget(Clear, area);
    let block = if d.change {
        dialog_block(
            app,
            "Change the incident's severity",
            &hint(
                app,
                &[
                    Part::First(Layer::Declare, &[DialogAction::NextChoice], "severity"),
                    Part::Keys(Layer::Declare, &[DialogAction::Submit], "change"),
                    Part::Keys(Layer::Declare, &[DialogAction::Close], "cancel"),
                ],
            ),
        )
    } else {
        dialog_block(
            app,
            "Declare an incident",
            &hint(
                app,
                &[
                    Part::First(Layer::Declare, &[DialogAction::NextChoice], "severity"),
                    Part::Text("type the summary"),
                    Part::Keys(Layer::Declare, &[DialogAction::Submit], "declare"),
                    Part::Keys(Layer::Declare, &[DialogAction::Close], "cancel"),
                ],
            ),
        )
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [list, summary, err] =
        Layout::vertical([Constraint::Length(sevs.len() as u16 + 1), Constraint::Length(3), Constraint::Length(1)])
            .areas(inner);
    let mut lines =
        vec![Line::from(styled(app, Role::Muted, "severity (ack within · mitigate within · update every):"))];
    for (i, s) in sevs.iter().enumerate() {
        let chosen = d.choice == Some(i);
        let marker = if chosen { app.view.symbols.focus_marker() } else { " " };
        let line = Line::from(vec![plain(format!(
            "{marker} {} {} ack {} · mitigate {} · update every {}",
            pad(&clean(&s.id), 6),
            pad(&fit(&clean(&s.title), 30), 30),
            s.ack_within,
            s.mitigate_within,
            s.update_every
        ))]);
        lines.push(if chosen { line.style(app.view.theme.style(Role::Selection)) } else { line });
    }
    frame.render_widget(Paragraph::new(lines), list);
    if d.change {
        if let Some(e) = &d.error {
            frame.render_widget(Paragraph::new(Line::from(styled(app, Role::Fail, e.clone()))), err);
        }
        return;
    }
    let mut ta = d.summary.clone();
    ta.set_block(Block::default().borders(Borders::ALL).title(" summary "));
    frame.render_widget(&ta, summary);
    if let Some(e) = &d.error {
        frame.render_widget(Paragraph::new(Line::from(styled(app, Role::Fail, e.clone()))), err);
    }
}
