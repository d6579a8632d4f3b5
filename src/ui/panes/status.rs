//! The status line (runbook, operators, UTC and local clock, recommendation,
//! recorded decision, READ-ONLY) and, under it, the message/hint line.

use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::event::Decision;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::styled;
use crate::ui::overlay::Overlay;
use crate::ui::recommend;
use crate::ui::text::{clean, fit, width};
use crate::ui::theme::Role;

pub fn clock(app: &App) -> String {
    let utc = app.now.format("%H:%M:%S UTC").to_string();
    match app.runbook.timezone {
        Some(tz) => format!("{utc} · {}", app.now.with_timezone(&tz).format("%H:%M %Z")),
        None => utc,
    }
}

pub fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let w = area.width as usize;
    let mut left: Vec<Span> = Vec::new();
    if let Some(reason) = &app.read_only {
        left.push(styled(app, Role::Alarm, format!(" READ-ONLY: {} ", clean(reason))));
        left.push(Span::raw(" "));
    }
    let others: Vec<String> = app.state.operators.iter().filter(|o| **o != app.operator).map(|o| clean(o)).collect();
    let ops = if others.is_empty() {
        clean(&app.operator)
    } else {
        format!("{} (+{})", clean(&app.operator), others.join(", "))
    };
    let rec = recommend::label(&app.runbook, &app.state);
    let decision = match &app.state.decision {
        Some(d) => format!("{} by {}", d.decision.as_str(), clean(&d.by)),
        None => "none".into(),
    };
    let dec_role = match app.state.decision.as_ref().map(|d| d.decision) {
        Some(Decision::Go) => Role::Ok,
        Some(Decision::NoGo) => Role::Warn,
        Some(Decision::Rollback) => Role::Fail,
        None => Role::Muted,
    };
    let clock = clock(app);
    let fixed = width(&clock) + 2;
    let title_room = w.saturating_sub(fixed).saturating_sub(left.iter().map(|s| width(&s.content)).sum());
    let rest = format!(" │ {ops} │ rec: {rec} │ decision: ");
    let title = fit(&clean(&app.runbook.title), (title_room / 3).max(8));
    left.push(styled(app, Role::Title, format!(" {title}")));
    left.push(styled(app, Role::Status, rest));
    left.push(styled(app, dec_role, decision).patch_style(ratatui::style::Style::new().add_modifier(Modifier::BOLD)));
    // Cut the left part so the clock always shows.
    let mut line_spans = Vec::new();
    let mut used = 0;
    let room = w.saturating_sub(fixed);
    for s in left {
        let sw = width(&s.content);
        if used + sw <= room {
            used += sw;
            line_spans.push(s);
        } else {
            let cut = fit(&s.content, room - used);
            used += width(&cut);
            line_spans.push(Span::styled(cut, s.style));
            break;
        }
    }
    line_spans.push(Span::raw(" ".repeat(room.saturating_sub(used) + 1)));
    line_spans.push(styled(app, Role::Accent, format!("{clock} ")));
    frame.render_widget(Paragraph::new(Line::from(line_spans)), area);
}

pub fn draw_message(frame: &mut Frame, app: &App, area: Rect) {
    let w = area.width as usize;
    let line = if let Some(Overlay::Search(s)) = &app.overlay {
        Line::from(styled(app, Role::Accent, fit(&crate::ui::overlay::search::prompt_text(app, s), w)))
    } else if let Some((m, kind)) = &app.message {
        let role = match kind {
            MsgKind::Info => Role::Accent,
            MsgKind::Warn => Role::Warn,
            MsgKind::Error => Role::Fail,
        };
        Line::from(styled(app, role, fit(&format!(" {m}"), w)))
    } else {
        let mouse = if app.mouse { " · mouse ON (M)" } else { "" };
        Line::from(styled(
            app,
            Role::Muted,
            fit(&format!(" ? help · : palette · / search · Tab panes · d decision · w walkthrough · q quit{mouse}"), w),
        ))
    };
    frame.render_widget(Paragraph::new(line), area);
}
