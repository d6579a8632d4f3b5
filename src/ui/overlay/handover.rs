//! `H`: the handover (docs/incident.md) — what changed since the start of the
//! current shift, what is open, who is next. `a` acknowledges it as the
//! incoming person (journaled `handover.acknowledged`), `y` copies it as
//! Markdown. The journal is read by the session (`Effect::OpenHandover`).

use chrono::{DateTime, Utc};
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, centered, close, done, stay, Handled, Layer, Transition};
use crate::domain::event::EventKind;
use crate::domain::record::format_ts;
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::effect::Effect;
use crate::ui::text::clean_lines;
use crate::ui::theme::Role;

#[derive(Clone, Debug)]
pub struct HandoverView {
    pub since: DateTime<Utc>,
    /// The shift taken over, "Deploy (ana)", when the runbook has shifts.
    pub shift: Option<String>,
    pub markdown: String,
    pub scroll: u16,
}

pub fn on_key(app: &App, v: &mut HandoverView, key: KeyEvent) -> Handled {
    match act(app, Layer::Handover, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Down) => v.scroll = v.scroll.saturating_add(1),
        Some(DialogAction::Up) => v.scroll = v.scroll.saturating_sub(1),
        Some(DialogAction::PageDown) => v.scroll = v.scroll.saturating_add(10),
        Some(DialogAction::PageUp) => v.scroll = v.scroll.saturating_sub(10),
        Some(DialogAction::Copy) => return done(vec![Effect::Copy(v.markdown.clone())]),
        Some(DialogAction::Acknowledge) => {
            if let Some(why) = app.refusal() {
                return (Transition::Stay, vec![why]);
            }
            let ev = EventKind::HandoverAcknowledged { since: format_ts(&v.since), shift: v.shift.clone() };
            let said = format!("handover acknowledged by {}", crate::ui::text::clean(&app.model.operator));
            return done(vec![Effect::Say(said, MsgKind::Info), app.append(ev)]);
        }
        _ => {}
    }
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, v: &HandoverView) {
    let area = centered(main, 110, main.height.saturating_sub(2).max(10));
    frame.render_widget(Clear, area);
    let block = dialog_block(
        app,
        "Handover",
        &hint(
            app,
            &[
                Part::Keys(Layer::Handover, &[DialogAction::Acknowledge], "acknowledge (I take over)"),
                Part::Keys(Layer::Handover, &[DialogAction::Copy], "copy Markdown"),
                Part::Keys(Layer::Handover, &[DialogAction::Down, DialogAction::Up], "scroll"),
                Part::Keys(Layer::Handover, &[DialogAction::Close], "close"),
            ],
        ),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // On screen the Markdown's escapes go (`y` still copies the Markdown as is).
    let lines: Vec<Line> = clean_lines(&crate::domain::report::markdown::unescape(&v.markdown))
        .into_iter()
        .map(|l| if l.starts_with('#') { Line::from(styled(app, Role::Title, l)) } else { Line::from(l) })
        .collect();
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).scroll((v.scroll, 0)), inner);
}
