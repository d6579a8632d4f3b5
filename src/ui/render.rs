//! One frame: the panes of the current layout, the status and message lines,
//! and any overlay; or, below 80×24, only the "too small" notice (T8).

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

use super::app::App;
use super::overlay::{self, Overlay};
use super::panes::{self, PaneId};

pub const MIN_W: u16 = 80;
pub const MIN_H: u16 = 24;

pub fn too_small_text(w: u16, h: u16) -> String {
    format!("terminal too small: need {MIN_W}×{MIN_H}, have {w}×{h}")
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn) {
    let area = frame.area();
    if area.width < MIN_W || area.height < MIN_H {
        drawn.pane_areas.clear();
        let p = Paragraph::new(too_small_text(area.width, area.height)).wrap(Wrap { trim: true });
        frame.render_widget(p, area);
        return;
    }
    let [main, status, message] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let main = match &app.view.timeline_bar {
        Some(bar) => {
            let [bar_area, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(main);
            let text = super::text::fit(&super::text::clean(bar), bar_area.width as usize);
            let style =
                app.view.theme.style(super::theme::Role::Accent).add_modifier(ratatui::style::Modifier::REVERSED);
            frame.render_widget(Paragraph::new(text).style(style), bar_area);
            rest
        }
        None => main,
    };
    let main = super::banner::draw(frame, app, main);
    // The walkthrough is full-screen: no panes under it.
    if app.view.overlay.iter().any(|o| matches!(o, Overlay::Walkthrough(_))) {
        drawn.pane_areas.clear();
    } else {
        draw_panes(frame, app, drawn, main);
    }
    panes::status::draw_status(frame, app, status);
    panes::status::draw_message(frame, app, message);
    overlay::draw(frame, app, drawn, main);
}

fn draw_panes(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, main: Rect) {
    let areas = app.view.layout.areas(main);
    for (pane, r) in &areas {
        if r.width < 4 || r.height < 3 {
            continue;
        }
        match pane {
            PaneId::Steps => panes::steps::draw(frame, app, drawn, *r),
            PaneId::Checklist => panes::checklist::draw(frame, app, drawn, *r),
            PaneId::Probes => panes::probes::draw(frame, app, drawn, *r),
            PaneId::Logs => panes::logs::draw(frame, app, drawn, *r),
            PaneId::Escalation => panes::escalation::draw(frame, app, drawn, *r),
        }
    }
    drawn.pane_areas = areas;
}
