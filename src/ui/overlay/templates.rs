//! `c`: communication templates. The list on top, the selected one filled from
//! the live session below (refreshed every draw, so `{now}` ticks), and
//! `Enter`/`y` copies it (tmux buffer or OSC 52, `ui::clipboard`) and journals
//! `message.copied` with the exact text for the post-mortem; `s` posts it to
//! the template's `send_to` channels (`ui::wiring::channels`).

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, centered, close, done, stay, Handled, Layer, Transition};
use crate::domain::event::EventKind;
use crate::domain::template::{render, Context};
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, plain, styled};
use crate::ui::effect::Effect;
use crate::ui::text::{clean, clean_lines};
use crate::ui::theme::Role;

#[derive(Clone, Debug, Default)]
pub struct TemplatesDialog {
    pub selected: usize,
}

/// The selected template's text filled from the session now.
pub fn filled(app: &App, index: usize) -> Option<(String, String)> {
    let t = app.model.runbook.templates.get(index)?;
    let ctx = Context {
        runbook: &app.model.runbook,
        state: &app.model.state,
        now: app.model.now,
        operator: &app.model.operator,
        vars: &app.model.vars,
    };
    // A secret var in a template never reaches the clipboard or the chat.
    Some((t.id.clone(), app.model.redactor.redact_owned(render(&t.text, &ctx))))
}

pub fn on_key(app: &App, d: &mut TemplatesDialog, key: KeyEvent) -> Handled {
    let n = app.model.runbook.templates.len();
    match act(app, Layer::Templates, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Down) if n > 0 => d.selected = (d.selected + 1).min(n - 1),
        Some(DialogAction::Up) => d.selected = d.selected.saturating_sub(1),
        Some(DialogAction::Copy) => {
            if let Some((id, text)) = filled(app, d.selected) {
                let mut effects = vec![Effect::Copy(text.clone())];
                if app.model.read_only.is_none() {
                    effects.push(app.append(EventKind::MessageCopied { template: id, text }));
                }
                return done(effects);
            }
        }
        Some(DialogAction::Send) => {
            let Some(t) = app.model.runbook.templates.get(d.selected) else { return stay() };
            let id = t.id.clone();
            let why = if let Some(why) = &app.model.read_only {
                Effect::Say(format!("read-only ({why}): messages are not sent from here"), MsgKind::Warn)
            } else if t.send_to.is_empty() {
                Effect::Say(
                    format!("template {} has no send_to: add send_to = [\"<channel id>\"] to send it", clean(&id)),
                    MsgKind::Info,
                )
            } else {
                let deliveries = crate::ui::wiring::channels::deliveries(app, &id, None);
                let to: Vec<String> = deliveries.iter().map(|x| clean(&x.channel.id)).collect();
                let said = format!("sending {} to {} …", clean(&id), to.join(", "));
                return done(vec![Effect::Say(said, MsgKind::Info), Effect::Send(deliveries)]);
            };
            return (Transition::Stay, vec![why]);
        }
        _ => {}
    }
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, d: &TemplatesDialog) {
    let area = centered(main, 100, main.height.saturating_sub(2).max(10));
    frame.render_widget(Clear, area);
    let block = dialog_block(
        app,
        "Messages",
        &hint(
            app,
            &[
                Part::Keys(Layer::Templates, &[DialogAction::Down, DialogAction::Up], "choose"),
                Part::Keys(Layer::Templates, &[DialogAction::Copy], "copy"),
                Part::Keys(Layer::Templates, &[DialogAction::Send], "send"),
                Part::Keys(Layer::Templates, &[DialogAction::Close], "close"),
            ],
        ),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.model.runbook.templates.is_empty() {
        frame.render_widget(
            Paragraph::new(styled(app, Role::Muted, "No [[template]] in this runbook: add some to send updates.")),
            inner,
        );
        return;
    }
    let list_h = (app.model.runbook.templates.len() as u16 + 1).min(inner.height / 3).max(2);
    let [list_area, preview_area] = Layout::vertical([Constraint::Length(list_h), Constraint::Min(1)]).areas(inner);
    let rows: Vec<Line> = app
        .model
        .runbook
        .templates
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let marker = if i == d.selected { app.view.symbols.focus_marker() } else { " " };
            let mut spans = vec![plain(format!("{marker} {:<20} ", clean(&t.id))), plain(clean(&t.title))];
            if !t.send_to.is_empty() {
                spans.push(styled(app, Role::Muted, format!("  → {}", clean(&t.send_to.join(", ")))));
            }
            let line = Line::from(spans);
            if i == d.selected {
                line.style(app.view.theme.style(Role::Selection))
            } else {
                line
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), list_area);
    if let Some((_, text)) = filled(app, d.selected) {
        let mut lines = vec![Line::from(styled(app, Role::Muted, "─ preview (what will be copied) ─"))];
        lines.extend(clean_lines(&text).into_iter().map(|l| {
            // Unfilled fields stand out so a wrong message is not sent unnoticed.
            if l.contains("?}") {
                Line::from(styled(app, Role::Warn, l))
            } else {
                Line::from(l)
            }
        }));
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), preview_area);
    }
}
