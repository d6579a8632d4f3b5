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

/// The clock for narrow screens: `06:10:00Z 07:10 CET`.
pub fn short_clock(app: &App) -> String {
    let utc = app.now.format("%H:%M:%SZ").to_string();
    match app.runbook.timezone {
        Some(tz) => format!("{utc} {}", app.now.with_timezone(&tz).format("%H:%M %Z")),
        None => utc,
    }
}

pub fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let w = area.width as usize;
    let rec = format!("rec: {}", recommend::label(&app.runbook, &app.state));
    let (decision, dec_role) = match &app.state.decision {
        Some(d) => (
            format!("{} by {}", d.decision.as_str(), clean(&d.by)),
            match d.decision {
                Decision::Go => Role::Ok,
                Decision::NoGo => Role::Warn,
                Decision::Rollback => Role::Fail,
            },
        ),
        None => ("none".to_string(), Role::Muted),
    };
    let narrow = w < 120;
    let clock = if narrow { short_clock(app) } else { clock(app) };
    let dec_label = if narrow { " │ dec: " } else { " │ decision: " };
    // What must show (recommendation, decision, clock) is laid out first;
    // the title and the operators share what is left.
    let team = super::status_team::segments(app, w);
    let team_w: usize = team.iter().map(|s| width(&s.content)).sum();
    let fixed = width(&rec) + width(&decision) + width(" │ ") + width(dec_label) + width(&clock) + 2 + team_w;
    let mut rest = w.saturating_sub(fixed);
    let mut spans: Vec<Span> = Vec::new();
    if let Some(badge) = app.badge {
        // Before the title, which is the first thing cut on a narrow terminal.
        let badge = format!(" {badge} ");
        rest = rest.saturating_sub(width(&badge));
        spans.push(
            styled(app, Role::Accent, badge).patch_style(ratatui::style::Style::new().add_modifier(Modifier::REVERSED)),
        );
    }
    if let Some(reason) = &app.read_only {
        // The word always shows; the reason as far as it fits (details in the message line).
        let room = (rest / 2).saturating_sub(12);
        let badge = if room > 3 { format!(" READ-ONLY: {} ", fit(&clean(reason), room)) } else { " READ-ONLY ".into() };
        rest = rest.saturating_sub(width(&badge));
        spans.push(styled(app, Role::Alarm, badge));
    }
    let others: Vec<String> = app.state.operators.iter().filter(|o| **o != app.operator).map(|o| clean(o)).collect();
    let me = clean(&app.operator);
    let ops_full = if others.is_empty() { me.clone() } else { format!("{me} (+{})", others.join(", ")) };
    let ops_short = if others.is_empty() { me.clone() } else { format!("{me} +{}", others.len()) };
    let title = clean(&app.runbook.title);
    let ops_want = if width(&ops_full) + width(&title) + 4 <= rest { width(&ops_full) } else { width(&ops_short) };
    let title = fit(&title, rest.saturating_sub(ops_want.min(rest / 2) + 4).max(1));
    let ops_room = rest.saturating_sub(width(&title) + 4);
    let ops = if width(&ops_full) <= ops_room { ops_full } else { fit(&ops_short, ops_room) };
    spans.push(styled(app, Role::Title, format!(" {title}")));
    spans.push(styled(app, Role::Status, format!(" │ {ops} │ ")));
    spans.push(styled(app, Role::Accent, rec));
    spans.push(styled(app, Role::Status, dec_label));
    spans.push(styled(app, dec_role, decision).patch_style(ratatui::style::Style::new().add_modifier(Modifier::BOLD)));
    spans.extend(team);
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let gap = w.saturating_sub(used + width(&clock) + 1);
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(styled(app, Role::Accent, format!("{clock} ")));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
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
        // How many others came in unread, so none is lost to the one-line bar.
        let more = match app.messages.unread().saturating_sub(1) {
            0 => String::new(),
            n => format!(" (+{n} unread: m)"),
        };
        let room = w.saturating_sub(width(&more));
        Line::from(vec![styled(app, role, fit(&format!(" {m}"), room)), styled(app, Role::Muted, more)])
    } else {
        let mouse = if app.mouse { " · mouse ON (M)" } else { "" };
        // Messages not yet read stay counted after the bar clears (m opens them).
        let unread = match app.messages.unread() {
            0 => String::new(),
            n => format!(" {n} unread (m) ·"),
        };
        Line::from(styled(
            app,
            Role::Muted,
            fit(
                &format!(
                    "{unread} ? help · : palette · / search · Tab panes · d decision · w walkthrough · q quit{mouse}"
                ),
                w,
            ),
        ))
    };
    frame.render_widget(Paragraph::new(line), area);
}
