//! The status line (runbook, operators, UTC and local clock, recommendation,
//! recorded decision, READ-ONLY) and, under it, the message/hint line.

use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use crate::domain::event::Decision;
use crate::domain::presence;
use crate::ui::action::Action;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::styled;
use crate::ui::overlay::hint::Part;
use crate::ui::overlay::Overlay;
use crate::ui::recommend;
use crate::ui::text::{clean, fit, width};
use crate::ui::theme::Role;

/// The runbook's local time, unless its zone is UTC (the UTC clock already
/// says it: "01:45 UTC · 01:45 UTC" told nothing twice).
fn local(app: &App) -> Option<String> {
    let local = app.model.now.with_timezone(&app.model.runbook.timezone?).format("%H:%M %Z").to_string();
    (!local.ends_with(" UTC")).then_some(local)
}

pub fn clock(app: &App) -> String {
    let utc = app.model.now.format("%H:%M:%S UTC").to_string();
    match local(app) {
        Some(local) => format!("{utc} · {local}"),
        None => utc,
    }
}

/// The clock for narrow screens: `06:10Z 07:10 CET` (seconds go first, so
/// the runbook and the operator keep their room at 80 columns).
pub fn short_clock(app: &App) -> String {
    match local(app) {
        Some(local) => format!("{} {local}", app.model.now.format("%H:%MZ")),
        None => app.model.now.format("%H:%M:%SZ").to_string(),
    }
}

pub fn draw_status(frame: &mut Frame, app: &App, area: Rect) {
    let w = area.width as usize;
    // What must show (recommendation, decision, clock) is laid out first;
    // the title and the operators share what is left.
    let team = super::status_team::segments(app, w);
    let team_w: usize = team.iter().map(|s| width(&s.content)).sum();
    let fixed = Fixed::fitted(app, w, team_w);
    let mut rest = w.saturating_sub(fixed.width(team_w));
    let mut spans = badges(app, &mut rest);
    let shift = shift(app, rest);
    rest = rest.saturating_sub(shift.as_deref().map_or(0, width));
    let title = clean(&app.model.runbook.title);
    let ops = operators(app, rest, &title);
    let title_room = rest.saturating_sub(width(&ops) + 4);
    if title_room > 0 {
        spans.push(styled(app, Role::Title, format!(" {}", fit(&title, title_room))));
    }
    spans.push(styled(app, Role::Status, format!(" │ {ops} │ ")));
    if let Some(sh) = shift {
        spans.push(styled(app, Role::Status, sh));
    }
    spans.push(styled(app, Role::Accent, fixed.rec));
    spans.push(styled(app, Role::Status, fixed.dec_label));
    spans.push(
        styled(app, fixed.dec_role, fixed.decision)
            .patch_style(ratatui::style::Style::new().add_modifier(Modifier::BOLD)),
    );
    spans.extend(team);
    let used: usize = spans.iter().map(|s| width(&s.content)).sum();
    let gap = w.saturating_sub(used + width(&fixed.clock) + 1);
    spans.push(Span::raw(" ".repeat(gap)));
    spans.push(styled(app, Role::Accent, format!("{} ", fixed.clock)));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// What always shows on the status line: the recommendation, the recorded
/// decision and the clock.
struct Fixed {
    rec: String,
    dec_label: &'static str,
    decision: String,
    dec_role: Role,
    clock: String,
}

impl Fixed {
    /// The fixed part for `w` columns, next to the team's segments (`team_w` columns).
    fn fitted(app: &App, w: usize, team_w: usize) -> Fixed {
        let (decision, dec_role) = decision(app);
        let narrow = w < 120;
        let clock = if narrow { short_clock(app) } else { clock(app) };
        // "No decision yet" is the least telling part: on a narrow screen it goes
        // first, leaving its room to the runbook and the operator.
        let (dec_label, decision) = match (narrow, app.model.state.decision.is_some()) {
            (true, false) => ("", String::new()),
            (true, true) => (" │ dec: ", decision),
            (false, _) => (" │ decision: ", decision),
        };
        let mut fixed = Fixed { rec: format!("rec: {}", recommend::shown(app)), dec_label, decision, dec_role, clock };
        fixed.shrink(app, w, team_w);
        fixed
    }

    /// The operator's name keeps its room too (with the separators and a few
    /// letters of the title): when all the rest does not fit, the clock drops
    /// its local time, then the recommendation's reason is cut.
    /// The badges (DEMO, READ-ONLY) always show, so their room is kept too:
    /// counted here, a read-only console keeps its name and "+N" as others do.
    fn shrink(&mut self, app: &App, w: usize, team_w: usize) {
        let badges_min = app.view.badge.map_or(0, |b| width(b) + 2) + app.model.read_only.as_ref().map_or(0, |_| 11);
        let people_min = width(&clean(&app.model.operator)).min(12) + 4 + 9 + badges_min;
        if self.width(team_w) + people_min > w {
            self.clock = app.model.now.format("%H:%MZ").to_string();
        }
        if self.width(team_w) + people_min > w {
            let over = self.width(team_w) + people_min - w;
            self.rec = fit(&self.rec, width(&self.rec).saturating_sub(over).max(9));
        }
    }

    /// Its columns, with the separators and the team's segments.
    fn width(&self, team_w: usize) -> usize {
        width(&self.rec)
            + width(&self.decision)
            + width(" │ ")
            + width(self.dec_label)
            + width(&self.clock)
            + 2
            + team_w
    }
}

/// "GO by ana" (or "none") and its colour.
fn decision(app: &App) -> (String, Role) {
    match &app.model.state.decision {
        Some(d) => (
            format!("{} by {}", d.decision.as_str(), clean(&d.by)),
            match d.decision {
                Decision::Go => Role::Ok,
                Decision::NoGo => Role::Warn,
                Decision::Rollback => Role::Fail,
            },
        ),
        None => ("none".to_string(), Role::Muted),
    }
}

/// The view's badge and READ-ONLY, each taking its columns from `rest`.
fn badges(app: &App, rest: &mut usize) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    if let Some(badge) = app.view.badge {
        // Before the title, which is the first thing cut on a narrow terminal.
        let badge = format!(" {badge} ");
        *rest = rest.saturating_sub(width(&badge));
        spans.push(
            styled(app, Role::Accent, badge).patch_style(ratatui::style::Style::new().add_modifier(Modifier::REVERSED)),
        );
    }
    if let Some(reason) = &app.model.read_only {
        // The word always shows; the reason as far as it fits (details in the message line).
        let room = (*rest / 2).saturating_sub(12);
        let badge = if room > 3 { format!(" READ-ONLY: {} ", fit(&clean(reason), room)) } else { " READ-ONLY ".into() };
        *rest = rest.saturating_sub(width(&badge));
        spans.push(styled(app, Role::Alarm, badge));
    }
    spans
}

/// The shift on duty: "shift Deploy until 08:00" when there is room in
/// `rest`, "Deploy→08:00" when not, nothing when neither fits.
fn shift(app: &App, rest: usize) -> Option<String> {
    let shift = crate::domain::shift::current(&app.model.runbook, app.model.now).map(|o| {
        let end = match app.model.runbook.timezone {
            Some(tz) => o.end.with_timezone(&tz).format("%H:%M").to_string(),
            None => o.end.format("%H:%M").to_string(),
        };
        // Short, the role's name is cut, never the end time or the separator.
        (
            format!("shift {} until {end} │ ", clean(&o.shift.role)),
            format!("{}→{end} │ ", fit(&clean(&o.shift.role), 8)),
        )
    });
    match shift {
        Some((full, _)) if width(&full) + 40 <= rest => Some(full),
        Some((_, short)) if width(&short) + 20 <= rest => Some(short),
        _ => None,
    }
}

/// Who is here, in full: the presence roster ("ana ▶ · bo [ro]"); before
/// presence is read (or when it cannot be), the people who wrote to the
/// journal. And how many there are besides the operator `me`.
fn people(app: &App, me: &str) -> (String, usize) {
    let roster = &app.model.team.roster;
    let others: Vec<String> =
        app.model.state.operators.iter().filter(|o| **o != app.model.operator).map(|o| clean(o)).collect();
    if roster.is_empty() {
        let full = if others.is_empty() { me.to_string() } else { format!("{me} (+{})", others.join(", ")) };
        return (full, others.len());
    }
    // People who acted in the session but have no console open (a CI job, `warroom mark`).
    let absent: Vec<&String> = others.iter().filter(|o| !roster.iter().any(|p| clean(&p.operator) == **o)).collect();
    let line = presence::roster_line(roster, app.model.now, usize::MAX);
    let full = if absent.is_empty() {
        line
    } else {
        format!("{line} (+{})", absent.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "))
    };
    let here = roster.iter().filter(|p| clean(&p.operator) != me).count();
    (full, here + absent.len())
}

/// The people as they fit in `rest` beside the `title`.
///
/// The operator before the title: who acts matters more than a title the
/// panes already imply. The title keeps at least a few letters. Narrower,
/// the roster loses its markers, then names; the operator's own name stays
/// to the last ("ana +2").
fn operators(app: &App, rest: usize, title: &str) -> String {
    let roster = &app.model.team.roster;
    let me = clean(&app.model.operator);
    let (ops_full, others_n) = people(app, &me);
    let title_min = width(title).min(3);
    let ops_room = rest.saturating_sub(title_min + 4);
    let roster_fit = (!roster.is_empty())
        .then(|| presence::roster_line(roster, app.model.now, ops_room))
        .filter(|line| line.contains(me.as_str()));
    let me_plus = if others_n == 0 { me.clone() } else { format!("{me} +{others_n}") };
    [Some(ops_full), roster_fit, Some(me_plus.clone())]
        .into_iter()
        .flatten()
        .find(|o| !o.is_empty() && width(o) <= ops_room)
        // Others in the room are never hidden: "ana +2" takes the title's last letters first.
        .or_else(|| (width(&me_plus) + 4 <= rest).then(|| me_plus.clone()))
        .unwrap_or_else(|| fit(&me, ops_room.max(1)))
}

/// Messages not read yet; none while the history is open (they are read as they arrive).
fn unread(app: &App) -> usize {
    if matches!(app.view.overlay.top(), Some(Overlay::Messages { .. })) {
        0
    } else {
        app.model.messages.unread()
    }
}

pub fn draw_message(frame: &mut Frame, app: &App, area: Rect) {
    let w = area.width as usize;
    // The key that opens the message history in the focused pane, as the keymap has it
    // (`m` built in; none in Escalation, where `m` marks the incident mitigated).
    let messages = crate::ui::overlay::hint::pane_key(app, app.view.focus, Action::Messages);
    let line = if let Some(Overlay::Search(s)) = app.view.overlay.top() {
        Line::from(styled(app, Role::Accent, fit(&crate::ui::overlay::search::prompt_text(app, s), w)))
    } else if let Some(crate::ui::messages::Message { text: m, kind, .. }) =
        app.model.messages.shown(app.view.dismissed)
    {
        let role = match kind {
            MsgKind::Info => Role::Accent,
            MsgKind::Warn => Role::Warn,
            MsgKind::Error => Role::Fail,
        };
        // How many others came in unread, so none is lost to the one-line bar.
        let more = match unread(app).saturating_sub(1) {
            0 => String::new(),
            n => match &messages {
                Some(k) => format!(" (+{n} unread: {k})"),
                None => format!(" (+{n} unread)"),
            },
        };
        let room = w.saturating_sub(width(&more));
        Line::from(vec![styled(app, role, fit(&format!(" {m}"), room)), styled(app, Role::Muted, more)])
    } else {
        // Messages not yet read stay counted after the bar clears (m opens them).
        let unread = match unread(app) {
            0 => String::new(),
            n => match &messages {
                Some(k) => format!(" {n} unread ({k}) ·"),
                None => format!(" {n} unread ·"),
            },
        };
        // The keys as the focused pane resolves them (a user's keys.toml included).
        let keys = if app.view.timeline_bar.is_some() {
            // The time machine takes its own keys (`d` next decision, no `q`): they are on its bar;
            // these few go through to the console as usual (src/ui/replay.rs).
            crate::ui::overlay::hint::hint(
                app,
                &[
                    Part::Text("time machine: its keys are on the bar above"),
                    Part::Pane(app.view.focus, &[&[Action::Help]], "help"),
                    Part::Pane(app.view.focus, &[&[Action::FocusNext]], "panes"),
                    Part::Pane(app.view.focus, &[&[Action::Details]], "details"),
                ],
            )
        } else {
            crate::ui::overlay::hint::hint(
                app,
                &[
                    Part::Pane(app.view.focus, &[&[Action::Help]], "help"),
                    Part::Pane(app.view.focus, &[&[Action::Palette]], "palette"),
                    Part::Pane(app.view.focus, &[&[Action::Search]], "search"),
                    Part::Pane(app.view.focus, &[&[Action::FocusNext]], "panes"),
                    Part::Pane(app.view.focus, &[&[Action::Decision]], "decision"),
                    Part::Pane(app.view.focus, &[&[Action::Walkthrough]], "walkthrough"),
                    Part::Pane(app.view.focus, &[&[Action::Quit]], "quit"),
                ],
            )
        };
        let mouse = match crate::ui::overlay::hint::pane_key(app, app.view.focus, Action::Mouse) {
            Some(k) if app.view.mouse => format!(" · mouse ON ({k})"),
            _ => String::new(),
        };
        Line::from(styled(app, Role::Muted, fit(&format!("{unread} {keys}{mouse}"), w)))
    };
    frame.render_widget(Paragraph::new(line), area);
}
