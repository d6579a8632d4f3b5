//! `w`: one pending item at a time, full width, for reading the checklist
//! aloud while pairing. Steps in order, then criteria from critical down;
//! the mark keys answer and move on, `j` skips, `k` goes back, `Esc` leaves.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, close, stay, Handled, Layer, Transition};
use crate::domain::event::Verdict;
use crate::ui::action::Action;
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::effect::Effect;
use crate::ui::items::{self, WalkItem};
use crate::ui::keymap::KeySpec;
use crate::ui::panes::PaneId;
use crate::ui::theme::Role;

#[derive(Clone, Debug, Default)]
pub struct Walkthrough {
    /// Items passed over with `j`, in order (k brings the last one back).
    pub skipped: Vec<WalkItem>,
}

pub fn current(app: &App, w: &Walkthrough) -> (Option<WalkItem>, usize) {
    let pending = items::pending(&app.model.runbook, &app.model.state);
    let left = pending.iter().filter(|i| !w.skipped.contains(i)).count();
    (pending.into_iter().find(|i| !w.skipped.contains(i)), left)
}

pub fn on_key(app: &App, w: &mut Walkthrough, key: KeyEvent) -> Handled {
    let (cur, _) = current(app, w);
    match act(app, Layer::Walkthrough, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Skip) => {
            if let Some(c) = cur {
                w.skipped.push(c);
            }
            return stay();
        }
        Some(DialogAction::Back) => {
            w.skipped.pop();
            return stay();
        }
        _ => {}
    }
    // The mark keys are whatever the Checklist uses in the live keymap.
    let action = KeySpec::from_event(&key).and_then(|k| app.view.keymap.lookup(PaneId::Checklist, k));
    let verdict = match action {
        Some(Action::MarkPass) => Verdict::Pass,
        Some(Action::MarkFail) => Verdict::Fail,
        Some(Action::MarkNa) => Verdict::Na,
        _ => return stay(),
    };
    let effects = match cur {
        None => Vec::new(),
        Some(WalkItem::Criterion(id)) => app.criterion_mark(&id, verdict),
        Some(WalkItem::Step(id)) => {
            let manual = app.model.runbook.step(&id).is_some_and(|s| s.manual);
            if verdict == Verdict::Pass && manual {
                app.step_tick(&id)
            } else if manual {
                let why = "a manual step is ticked done with the pass key, or skipped with j";
                vec![Effect::Say(why.into(), MsgKind::Info)]
            } else {
                let why = format!("step {id} runs a command: run it from Steps (r), or j to skip");
                vec![Effect::Say(why, MsgKind::Info)]
            }
        }
    };
    // Stay open: the loop folds the new record and the next item shows.
    (Transition::Stay, effects)
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, w: &Walkthrough) {
    frame.render_widget(Clear, main);
    let (cur, left) = current(app, w);
    let own = hint(
        app,
        &[
            Part::First(Layer::Walkthrough, &[DialogAction::Skip], "skip"),
            Part::First(Layer::Walkthrough, &[DialogAction::Back], "back"),
            Part::Keys(Layer::Walkthrough, &[DialogAction::Close], "leave"),
        ],
    );
    let keys = format!(
        "{} pass · {} fail · {} n/a · {own}",
        app.view.keymap.label(Action::MarkPass).split(',').next().unwrap_or("space").replace(" (checklist)", ""),
        app.view.keymap.label(Action::MarkFail).split(',').next().unwrap_or("x").replace(" (checklist)", ""),
        app.view.keymap.label(Action::MarkNa).split(',').next().unwrap_or("n").replace(" (checklist)", ""),
    );
    let block = dialog_block(app, &format!("Walkthrough — {left} pending"), &keys);
    let inner = block.inner(main);
    frame.render_widget(block, main);
    let Some(item) = cur else {
        let msg = if w.skipped.is_empty() {
            "Nothing pending: every step is done and every criterion answered."
        } else {
            "Nothing left but skipped items (k brings them back)."
        };
        frame.render_widget(Paragraph::new(styled(app, Role::Ok, msg)), inner);
        return;
    };
    let (pane, index) = match &item {
        WalkItem::Step(id) => {
            (PaneId::Steps, items::steps(&app.model.runbook).iter().position(|s| s.id == *id).unwrap_or(0))
        }
        WalkItem::Criterion(id) => {
            (PaneId::Checklist, items::criteria(&app.model.runbook).iter().position(|c| c.id == *id).unwrap_or(0))
        }
    };
    let (title, lines) = super::details::lines(app, pane, index);
    let [head, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(inner);
    frame.render_widget(Paragraph::new(Line::from(styled(app, Role::Header, title))), head);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), body);
}
