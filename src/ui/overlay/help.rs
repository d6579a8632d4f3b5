//! `?`: every action with its keys, then each dialog's keys (its
//! `[dialog.<name>]` layer), all read from the live keymap.

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::hint::{fill, hint, Part};
use super::{act, centered, close, stay, Handled, Layer};
use crate::ui::action::Action;
use crate::ui::action::DialogAction;
use crate::ui::app::App;
use crate::ui::chrome::{dialog_block, styled};
use crate::ui::text::pad;
use crate::ui::theme::Role;

pub fn lines(app: &App) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for a in Action::ALL {
        let keys = app.view.keymap.label(*a);
        out.push(Line::from(vec![
            styled(app, Role::Accent, pad(&keys, 24)),
            styled(app, Role::Text, format!(" {:<17} ", a.name())),
            styled(app, Role::Muted, a.describe()),
        ]));
    }
    out.push(Line::from(""));
    out.push(Line::from(styled(
        app,
        Role::Muted,
        "Keys come from keys.toml in the config dir. In dialogs, [dialog.<name>]; in text fields letters are typed:",
    )));
    for layer in Layer::ALL {
        out.push(Line::from(""));
        out.push(Line::from(vec![
            styled(app, Role::Header, format!("[dialog.{}]", layer.name())),
            styled(app, Role::Muted, format!("  {}", fill(&app.view.keymap, layer.about()))),
        ]));
        for (action, keys) in app.view.keymap.dialog_keys(*layer) {
            let keys: Vec<String> = keys.iter().map(ToString::to_string).collect();
            out.push(Line::from(vec![
                styled(app, Role::Accent, pad(&keys.join(", "), 24)),
                styled(app, Role::Text, format!(" {:<17} ", action.name())),
                styled(app, Role::Muted, action.describe()),
            ]));
        }
    }
    out
}

pub fn on_key(app: &App, scroll: &mut u16, key: KeyEvent) -> Handled {
    // The last top row, as the last frame measured it (its height): `k` after
    // `G` moves at once instead of working off rows below the end.
    let last = app.view.drawn.dialog_max_top.unwrap_or(usize::MAX);
    let max = (lines(app).len().min(last)) as u16;
    *scroll = match act(app, Layer::Help, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Down) => (*scroll + 1).min(max),
        Some(DialogAction::Up) => scroll.saturating_sub(1),
        Some(DialogAction::PageDown) => (*scroll + 10).min(max),
        Some(DialogAction::PageUp) => scroll.saturating_sub(10),
        Some(DialogAction::Top) => 0,
        Some(DialogAction::Bottom) => max,
        _ => *scroll,
    };
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, main: Rect, scroll: u16) {
    let area = centered(main, 100, main.height.saturating_sub(2));
    frame.render_widget(Clear, area);
    // A description too long for a narrow screen ends with "…" rather than
    // mid-word at the border.
    let room = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = lines(app)
        .into_iter()
        .map(|mut l| {
            let n = l.spans.len();
            let used: usize = l.spans.iter().take(n.saturating_sub(1)).map(|s| s.width()).sum();
            if let Some(last) = l.spans.last_mut() {
                if used + last.width() > room {
                    last.content = crate::ui::text::fit(&last.content, room.saturating_sub(used)).into();
                }
            }
            l
        })
        .collect();
    // Never past the last line: no screen of blank rows after `G`.
    let max_top = (lines.len() as u16).saturating_sub(area.height.saturating_sub(2));
    drawn.dialog_max_top = Some(max_top as usize);
    let scroll = scroll.min(max_top);
    let p = Paragraph::new(lines)
        .block(dialog_block(
            app,
            "Keys",
            &hint(
                app,
                &[
                    Part::Keys(Layer::Help, &[DialogAction::Down, DialogAction::Up], "scroll"),
                    Part::Keys(Layer::Help, &[DialogAction::Top, DialogAction::Bottom], "top/end"),
                    Part::Keys(Layer::Help, &[DialogAction::Close], "close"),
                ],
            ),
        ))
        .scroll((scroll, 0));
    frame.render_widget(p, area);
}
