//! Borders and titles shared by panes and dialogs. The focused pane gets a
//! thick border, a marker and bold title, so focus never relies on colour (A6).

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders};

use super::app::App;
use super::panes::PaneId;
use super::theme::Role;

pub fn pane_block<'a>(app: &App, pane: PaneId, extra: &str, width: u16) -> Block<'a> {
    let focused = app.view.focus == pane && app.view.overlay.top().is_none_or(|o| o.name() == "search");
    let n = pane.index() + 1;
    let (border, title_style, title) = if focused {
        (
            app.view.theme.style(Role::Focus),
            app.view.theme.style(Role::Focus).add_modifier(Modifier::BOLD),
            format!(" {} {n} {} ", app.view.symbols.focus_marker(), pane.title()),
        )
    } else {
        (app.view.theme.style(Role::Border), app.view.theme.style(Role::Title), format!(" {n} {} ", pane.title()))
    };
    let mut spans = vec![Span::styled(title, title_style)];
    let room = (width as usize).saturating_sub(crate::ui::text::width(&spans[0].content) + 3);
    if !extra.is_empty() && room > 1 {
        let fitted = crate::ui::text::fit(extra, room - 1);
        spans.push(Span::styled(format!("{fitted} "), app.view.theme.style(Role::Muted)));
    }
    Block::default()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Plain })
        .border_style(border)
        .title(Line::from(spans))
}

pub fn dialog_block<'a>(app: &App, title: &str, hint: &str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(app.view.theme.style(Role::Focus))
        .title(Span::styled(format!(" {title} "), app.view.theme.style(Role::Title).add_modifier(Modifier::BOLD)))
        .title_bottom(Line::from(Span::styled(format!(" {hint} "), app.view.theme.style(Role::Muted))))
}

pub fn styled<'a>(app: &App, role: Role, text: impl Into<String>) -> Span<'a> {
    Span::styled(text.into(), app.view.theme.style(role))
}

pub fn plain<'a>(text: impl Into<String>) -> Span<'a> {
    Span::styled(text.into(), Style::default())
}
