//! `Enter`: everything known about the selected item.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};
use ratatui::Frame;

use super::hint::{hint, Part};
use super::{act, centered, close, stay, Handled, Layer, Transition};
use crate::domain::runbook::{AutoBinding, LogTarget, ProbeTarget};
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{plain, styled};
use crate::ui::effect::Effect;
use crate::ui::items;
use crate::ui::panes::PaneId;
use crate::ui::text::{clean, contains_ci};
use crate::ui::theme::Role;
use crate::ui::timefmt;

fn kv(app: &App, k: &str, v: impl Into<String>) -> Line<'static> {
    Line::from(vec![styled(app, Role::Muted, format!("{k:<14} ")), plain(v.into())])
}

pub fn lines(app: &App, pane: PaneId, index: usize) -> (String, Vec<Line<'static>>) {
    let shown = match pane {
        PaneId::Checklist => criterion_lines(app, index),
        PaneId::Steps => step_lines(app, index),
        PaneId::Probes => probe_lines(app, index),
        PaneId::Logs => log_lines(app, index),
        PaneId::Escalation => escalation_lines(app, index),
    };
    // Nothing there (an empty list): the pane's word, no lines.
    let Some((title, mut out)) = shown else {
        let word = match pane {
            PaneId::Checklist => "Criterion",
            PaneId::Steps => "Step",
            PaneId::Probes => "Probe",
            PaneId::Logs => "Log",
            PaneId::Escalation => "Escalation",
        };
        return (word.into(), Vec::new());
    };
    insert_notes(app, pane, index, &mut out);
    out.extend(crate::ui::links::lines(app, crate::ui::links::of(app, pane, index)));
    (title, out)
}

/// A criterion: its verdict, who marked it and why, the evidence and how long it holds.
fn criterion_lines(app: &App, index: usize) -> Option<(String, Vec<Line<'static>>)> {
    let rb = &app.model.runbook;
    let mut out = Vec::new();
    let c = items::criteria(rb).get(index).copied()?;
    let title = format!("Criterion {}", clean(&c.id));
    let st = app.model.state.criteria.get(&c.id).cloned().unwrap_or_default();
    let (sym, word, role) = app.view.symbols.verdict(st.verdict);
    out.push(Line::from(vec![styled(app, role, format!("{sym} {word}")), plain(format!("  {}", clean(&c.title)))]));
    out.push(kv(app, "severity", c.severity.as_str()));
    out.push(kv(app, "if it fails", c.on_fail.as_str()));
    out.push(kv(app, "auto", c.auto.as_ref().map_or("— (marked by hand)".into(), AutoBinding::label)));
    if let (Some(by), Some(at)) = (&st.by, st.at) {
        out.push(kv(app, "marked by", format!("{} at {} ({})", clean(by), timefmt::hms(at), st.source.label())));
    }
    if let Some(n) = &st.note {
        out.push(kv(app, "note", clean(n)));
    }
    if let Some(cause) = &st.cause {
        out.push(kv(app, "evidence", clean(cause)));
    }
    if let Some(e) = &st.expired {
        out.push(Line::from(vec![
            styled(app, Role::Muted, format!("{:<14}", "expired")),
            styled(app, Role::Warn, clean(&e.describe(rb.timezone))),
        ]));
    }
    if let Some(v) = &c.valid_for {
        out.push(kv(app, "valid for", v.to_string()));
    }
    if let Some(e) = &c.every {
        out.push(kv(app, "due every", e.to_string()));
    }
    if let Some(d) = &c.description {
        out.push(Line::from(""));
        out.extend(crate::ui::text::clean_lines(d).into_iter().map(Line::from));
    }
    Some((title, out))
}

/// A step: what it runs, each run with its end, the last run's output, a tick.
fn step_lines(app: &App, index: usize) -> Option<(String, Vec<Line<'static>>)> {
    let rb = &app.model.runbook;
    let mut out = Vec::new();
    let s = items::steps(rb).get(index).copied()?;
    let title = format!("Step {}", clean(&s.id));
    let (sym, word, role) = app.view.symbols.step(app.model.state.step_status(&s.id));
    out.push(Line::from(vec![styled(app, role, format!("{sym} {word}")), plain(format!("  {}", clean(&s.title)))]));
    out.push(kv(app, "phase", rb.phase(&s.phase).map_or(s.phase.clone(), |p| clean(&p.title))));
    if s.manual {
        out.push(kv(app, "kind", "manual (a checkbox: space ticks it)"));
    }
    if let Some(r) = &s.run {
        // A multi-line command reads as its lines, indented under the label (not "^J").
        let mut lines = r.lines();
        out.push(kv(app, "runs", clean(lines.next().unwrap_or(""))));
        for more in lines {
            out.push(kv(app, "", clean(more)));
        }
    }
    if let Some(t) = s.timeout {
        out.push(kv(app, "timeout", t.to_string()));
    }
    out.push(kv(app, "on fail", s.on_fail.label()));
    if let Some(st) = app.model.state.steps.get(&s.id) {
        step_runs(app, &s.id, st, &mut out);
    }
    Some((title, out))
}

/// Each run of a step with how it ended, the last run's output, and who ticked it.
fn step_runs(app: &App, id: &str, st: &crate::domain::state::StepState, out: &mut Vec<Line<'static>>) {
    for r in &st.runs {
        let end = match &r.finished {
            None => "running".to_string(),
            Some(e) => format!(
                "{}{} after {}",
                e.outcome.label(),
                e.exit_code.map(|c| format!(", exit {c}")).unwrap_or_default(),
                timefmt::ms(e.duration_ms)
            ),
        };
        out.push(kv(
            app,
            &format!("run {}", r.run),
            format!("{} by {}: {end} — output {}", timefmt::hms(r.started_at), clean(&r.started_by), clean(&r.output)),
        ));
    }
    let output = crate::ui::step_keys::output_lines(app, id);
    if !output.is_empty() {
        out.push(Line::from(""));
        out.extend(output.into_iter().map(|l| Line::from(clean(&l))));
    }
    if let Some((done, by, at)) = &st.ticked {
        out.push(kv(
            app,
            "ticked",
            format!("{} by {} at {}", if *done { "done" } else { "not done" }, clean(by), timefmt::hms(*at)),
        ));
    }
}

/// A probe: its target, thresholds and conditions, the journaled health and its history.
fn probe_lines(app: &App, index: usize) -> Option<(String, Vec<Line<'static>>)> {
    let rb = &app.model.runbook;
    let mut out = Vec::new();
    let p = rb.probes.get(index)?;
    let title = format!("Probe {}", clean(&p.id));
    let target = match &p.target {
        ProbeTarget::Http { url, method, .. } => format!("{method} {url}"),
        ProbeTarget::Tcp { addr } => format!("tcp {addr}"),
        ProbeTarget::Command { run } => format!("command: {run}"),
    };
    out.push(kv(app, "target", clean(&target)));
    out.push(kv(app, "every", format!("{} (timeout {})", p.every, p.timeout)));
    out.push(kv(
        app,
        "thresholds",
        format!("DOWN after {} failures, UP after {} successes", p.failure_threshold, p.success_threshold),
    ));
    for c in &p.conditions {
        out.push(kv(app, "condition", clean(&c.text)));
    }
    match app.model.state.probes.get(&p.id) {
        Some(ch) => out.push(kv(
            app,
            "journaled",
            format!(
                "{} since {}{}",
                ch.health.label(),
                timefmt::hms(ch.at),
                ch.cause.as_ref().map(|c| format!(": {}", clean(c))).unwrap_or_default()
            ),
        )),
        None => out.push(kv(app, "journaled", "no health change recorded yet")),
    }
    let hist: Vec<_> = app.model.state.probe_history.iter().filter(|(id, _)| *id == p.id).collect();
    for (_, ch) in hist.iter().rev().take(10) {
        out.push(kv(app, "  history", format!("{} {}", timefmt::hms(ch.at), ch.health.label())));
    }
    Some((title, out))
}

/// A log: where it reads (a secret var shown as its name), what counts as an error or warning.
fn log_lines(app: &App, index: usize) -> Option<(String, Vec<Line<'static>>)> {
    let rb = &app.model.runbook;
    let mut out = Vec::new();
    let l = rb.logs.get(index)?;
    let title = format!("Log {}", clean(&l.id));
    let target = match &l.target {
        LogTarget::File { path } => format!("file {}", path.display()),
        LogTarget::Command { run } => format!("command: {run}"),
    };
    // Filled with vars at load: a secret var's value shows as its name.
    out.push(kv(app, "source", app.model.shown(&target)));
    if let Some(r) = &l.error {
        out.push(kv(app, "error lines", clean(r.as_str())));
    }
    if let Some(r) = &l.warn {
        out.push(kv(app, "warn lines", clean(r.as_str())));
    }
    out.push(kv(app, "buffer", format!("{} lines", l.buffer)));
    Some((title, out))
}

/// An Escalation level of the ladder the open incident climbs, with the incident it belongs to.
fn escalation_lines(app: &App, index: usize) -> Option<(String, Vec<Line<'static>>)> {
    let mut out = Vec::new();
    // The levels the pane lists: the ladder the open incident climbs (its severity's own, maybe).
    let ladder = app.ladder_runbook();
    let level = ladder.escalation.as_ref().and_then(|e| e.levels.get(index));
    let sev = crate::ui::links::open_severity(app);
    if level.is_none() && sev.is_none() {
        return None;
    }
    // The open incident first: what the links below belong to.
    let title = match level {
        Some(l) => format!("Escalation level {}", clean(&l.name)),
        None => "Incident".into(),
    };
    if let (Some(sev), Some(inc)) = (sev, app.model.state.incident.as_ref()) {
        let summary = inc.summary.as_deref().map(|s| format!(": {}", clean(s))).unwrap_or_default();
        out.push(kv(app, "incident", format!("{} {}{summary}", clean(&sev.id), clean(&sev.title))));
    }
    if let Some(l) = level {
        out.push(kv(app, "who", clean(&l.who)));
        out.push(kv(app, "respond within", l.respond_within.to_string()));
    }
    Some((title, out))
}

/// Notes that name the item (by its id) go right under its first line,
/// before long run output: what people said about it is read first.
fn insert_notes(app: &App, pane: PaneId, index: usize, out: &mut Vec<Line<'static>>) {
    let rb = &app.model.runbook;
    let id = match pane {
        PaneId::Steps => items::steps(rb).get(index).map(|s| s.id.clone()),
        PaneId::Checklist => items::criteria(rb).get(index).map(|c| c.id.clone()),
        PaneId::Probes => rb.probes.get(index).map(|p| p.id.clone()),
        PaneId::Logs | PaneId::Escalation => None,
    };
    let Some(id) = id else { return };
    let notes: Vec<Line<'static>> =
        crate::ui::activity::notes_about(app, &id).into_iter().map(|n| kv(app, "note", n)).collect();
    let at = out.len().min(1);
    out.splice(at..at, notes);
}

/// The details view's place and search: `top` is the first line shown (a
/// whole line, however many rows it wraps to; the keys stop at the top that
/// shows the last line at the bottom, as the last frame measured it:
/// `Drawn::dialog_max_top`).
#[derive(Clone, Debug, PartialEq)]
pub struct DetailsView {
    pub pane: PaneId,
    pub index: usize,
    pub top: usize,
    /// The search text (found lines are highlighted; `n`/`N` move between them).
    pub find: String,
    /// Typing the search after `/`.
    pub typing: bool,
}

impl DetailsView {
    pub fn new(pane: PaneId, index: usize) -> DetailsView {
        DetailsView { pane, index, top: 0, find: String::new(), typing: false }
    }
}

/// Plain text of a line, for searching.
fn text_of(line: &Line) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// Whether the line holds `find_lower` (the search, lower-cased once by the caller).
fn matches(line: &Line, find_lower: &str) -> bool {
    !find_lower.is_empty() && contains_ci(&text_of(line), find_lower)
}

/// The next line holding `find` after `from` (or before it, going back), wrapping around.
fn next_match(lines: &[Line], find: &str, from: usize, forward: bool) -> Option<usize> {
    let n = lines.len();
    let find = find.to_lowercase();
    (1..=n).map(|k| if forward { (from + k) % n } else { (from + n * 2 - k) % n }).find(|&i| matches(&lines[i], &find))
}

pub fn on_key(app: &App, v: &mut DetailsView, key: KeyEvent) -> Handled {
    let (_, lines) = lines(app, v.pane, v.index);
    if v.typing {
        match act(app, Layer::Prompt, &key) {
            Some(DialogAction::Close) => {
                v.typing = false;
                v.find.clear();
            }
            Some(DialogAction::Submit) => {
                v.typing = false;
                // From the line above the top, so a match on the top line itself is found first.
                let from = v.top.checked_sub(1).unwrap_or(lines.len().saturating_sub(1));
                return (Transition::Stay, jump(v, &lines, from, true));
            }
            _ => match key.code {
                KeyCode::Backspace => {
                    v.find.pop();
                }
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => v.find.push(c),
                _ => {}
            },
        }
        return stay();
    }
    let last = lines.len().saturating_sub(1).min(app.view.drawn.dialog_max_top.unwrap_or(usize::MAX));
    match act(app, Layer::Details, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Down) => v.top = (v.top + 1).min(last),
        Some(DialogAction::Up) => v.top = v.top.saturating_sub(1).min(last),
        Some(DialogAction::PageDown) => v.top = (v.top + 10).min(last),
        Some(DialogAction::PageUp) => v.top = v.top.saturating_sub(10).min(last),
        Some(DialogAction::Top) => v.top = 0,
        Some(DialogAction::Bottom) => v.top = last,
        Some(DialogAction::Find) => {
            v.typing = true;
            v.find.clear();
        }
        Some(DialogAction::FindNext) if !v.find.is_empty() => {
            let from = v.top;
            return (Transition::Stay, jump(v, &lines, from, true));
        }
        Some(DialogAction::FindPrev) if !v.find.is_empty() => {
            let from = v.top;
            return (Transition::Stay, jump(v, &lines, from, false));
        }
        Some(_) => {}
        // A number copies that link (keys.toml cannot move these: the number is the link's).
        None => {
            if let KeyCode::Char(d @ '1'..='9') = key.code {
                let effects = crate::ui::links::open(app, v.pane, v.index, (d as u8 - b'0') as usize);
                // The view stays open; the copy runs as an effect.
                return (Transition::Stay, effects);
            }
        }
    }
    stay()
}

/// Puts the next match (from `from`) at the top, or says there is none.
fn jump(v: &mut DetailsView, lines: &[Line], from: usize, forward: bool) -> Vec<Effect> {
    if v.find.is_empty() {
        return Vec::new();
    }
    match next_match(lines, &v.find, from, forward) {
        Some(i) => {
            v.top = i;
            Vec::new()
        }
        None => vec![Effect::Say(format!("no line holds \"{}\"", clean(&v.find)), MsgKind::Info)],
    }
}

/// Where the link URLs landed on screen (one-row lines only), for OSC 8.
fn place_links(app: &App, drawn: &mut crate::ui::view::Drawn, shown: &[Line], inner: Rect, v: &DetailsView) {
    // Only links with nothing hidden in them: a URL holding a secret is drawn as plain text.
    let urls: Vec<String> = crate::ui::links::of(app, v.pane, v.index)
        .iter()
        .filter_map(|l| crate::ui::links::hyperlink_target(app, l))
        .collect();
    let mut placed = Vec::new();
    let mut row = 0u16;
    for line in shown {
        if row >= inner.height {
            break;
        }
        let rows = Paragraph::new(line.clone()).wrap(Wrap { trim: false }).line_count(inner.width) as u16;
        if let Some(last) = line.spans.last() {
            if rows == 1 && urls.iter().any(|u| *u == last.content) {
                let before: usize =
                    line.spans[..line.spans.len() - 1].iter().map(|s| crate::ui::text::width(&s.content)).sum();
                placed.push(crate::ui::hyperlink::Placed {
                    x: inner.x + before as u16,
                    y: inner.y + row,
                    url: last.content.to_string(),
                    text: last.content.to_string(),
                });
            }
        }
        row += rows.max(1);
    }
    drawn.placed_links = placed;
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, main: Rect, v: &DetailsView) {
    let (title, mut lines) = lines(app, v.pane, v.index);
    let area = centered(main, 100, (lines.len() as u16 + 4).max(8).min(main.height.saturating_sub(2)));
    frame.render_widget(Clear, area);
    // How many rows each line wraps to inside the box, to find the top that shows the end.
    let (inner_w, inner_h) = (area.width.saturating_sub(2), area.height.saturating_sub(2) as usize);
    let mut rows_below = 0;
    let mut max_top = lines.len().saturating_sub(1);
    for (i, line) in lines.iter().enumerate().rev() {
        rows_below += Paragraph::new(line.clone()).wrap(Wrap { trim: false }).line_count(inner_w);
        if rows_below > inner_h {
            break;
        }
        max_top = i;
    }
    drawn.dialog_max_top = Some(max_top);
    let top = v.top.min(max_top);
    if !v.find.is_empty() {
        let hit = Style::new().add_modifier(Modifier::REVERSED);
        let find = v.find.to_lowercase();
        for line in lines.iter_mut().filter(|l| matches(l, &find)) {
            line.spans.iter_mut().for_each(|s| s.style = s.style.patch(hit));
        }
    }
    let hint = if v.typing {
        let keys = hint(
            app,
            &[
                Part::Keys(Layer::Prompt, &[DialogAction::Submit], "go"),
                Part::Keys(Layer::Prompt, &[DialogAction::Close], "cancel"),
            ],
        );
        format!("find: {}▏ · {keys}", clean(&v.find))
    } else if v.find.is_empty() {
        hint(
            app,
            &[
                Part::Groups(
                    Layer::Details,
                    &[&[DialogAction::Down, DialogAction::Up], &[DialogAction::Top, DialogAction::Bottom]],
                    "scroll",
                ),
                Part::Keys(Layer::Details, &[DialogAction::Find], "find"),
                Part::Keys(Layer::Details, &[DialogAction::Close], "close"),
            ],
        )
    } else {
        let keys = hint(
            app,
            &[
                Part::Keys(Layer::Details, &[DialogAction::FindNext, DialogAction::FindPrev], "next/previous"),
                Part::Keys(Layer::Details, &[DialogAction::Find], "find"),
                Part::Keys(Layer::Details, &[DialogAction::Close], "close"),
            ],
        );
        format!("\"{}\": {keys}", clean(&v.find))
    };
    let shown = lines.split_off(top.min(lines.len()));
    if app.view.hyperlinks {
        place_links(app, drawn, &shown, Rect::new(area.x + 1, area.y + 1, inner_w, inner_h as u16), v);
    }
    let p = Paragraph::new(shown).wrap(Wrap { trim: false }).block(crate::ui::chrome::dialog_block(app, &title, &hint));
    frame.render_widget(p, area);
}
