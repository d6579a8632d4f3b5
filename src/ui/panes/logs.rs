//! Logs: every configured log at once (docs/console.md, "Logs"). Each log
//! gets a share of the pane's rows, never none: a header (counts, follow
//! state, source) and its latest lines with the journal's acts between them;
//! when rows are short, one row per log with its latest line.

use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::PaneId;
use crate::domain::log_timeline::{MarkerKind, Row};
use crate::domain::runbook::{LogSource, LogTarget};
use crate::sources::{LineLevel, LogStatus};
use crate::ui::app::App;
use crate::ui::chrome::{pane_block, plain, styled};
use crate::ui::logs_view;
use crate::ui::text::{clean, contains_ci, pad};
use crate::ui::theme::Role;
use crate::ui::timefmt;

/// Rows per log: `height` shared evenly, the rest to the selected log. Below
/// one row each, the logs around the selected one get a row each (the others
/// none, and the first shown log's index comes back).
pub fn share(height: usize, logs: usize, selected: usize) -> (usize, Vec<usize>) {
    if logs == 0 {
        return (0, Vec::new());
    }
    if height < logs {
        let first = selected.saturating_sub(height.saturating_sub(1)).min(logs - height.min(logs));
        return (first, vec![1; height]);
    }
    let mut rows = vec![height / logs; logs];
    rows[selected.min(logs - 1)] += height % logs;
    (0, rows)
}

/// What a log's header (and the full-screen title) says about the view: the
/// tail's condition while following, else "follow off" and what came since.
/// Cleaned: a tail's error names files and OS messages; and redacted again
/// (the tail hides secrets in what it sends; this guards any other sender):
/// a log's path may hold a secret var's value.
pub fn header_state(app: &App, log: &str) -> String {
    let status = app.model.live.log_status.get(log);
    if logs_view::following(app) {
        return app.model.shown(&logs_view::status_word(status));
    }
    let mut s = "follow off".to_string();
    let new = logs_view::new_below(app, log);
    if new > 0 {
        s.push_str(&format!(" · {new} new"));
    }
    if !matches!(status, Some(LogStatus::Following | LogStatus::Polling)) {
        s.push_str(&format!(" · {}", logs_view::status_word(status)));
    }
    app.model.shown(&s)
}

/// One timeline row: a log line (error and warning marked by a symbol, never
/// colour alone; search hits in reverse video, the current hit bold too) or
/// a journal act.
pub fn timeline_line(app: &App, log: &str, row: Row, query: Option<&str>, w: usize) -> Line<'static> {
    timeline_line_from(app, log, row, query, w, 0)
}

/// As [`timeline_line`], the text starting `skip` characters in (a log
/// full-screen scrolled right to read a long line).
pub fn timeline_line_from(app: &App, log: &str, row: Row, query: Option<&str>, w: usize, skip: usize) -> Line<'static> {
    let from = |text: String| if skip == 0 { text } else { text.chars().skip(skip).collect() };
    let ascii = app.view.symbols.ascii;
    match row {
        Row::Line(i, ln) => {
            let (sym, role) = match ln.level {
                LineLevel::Error => (if ascii { "x" } else { "✗" }, Role::Fail),
                LineLevel::Warn => (if ascii { "!" } else { "▲" }, Role::Warn),
                LineLevel::Info if ln.marker => (" ", Role::Muted),
                LineLevel::Info => (" ", Role::Text),
            };
            let mut line = Line::from(styled(app, role, pad(&format!(" {sym} {}", from(clean(&ln.text))), w)));
            let current = app.view.logs.hit.as_ref().is_some_and(|(l, h)| l == log && *h == i);
            if current {
                line = line.style(app.view.theme.style(Role::Selection).add_modifier(Modifier::BOLD));
            } else if query.is_some_and(|q| contains_ci(&ln.text, q)) {
                // Reverse video, so a match shows without colour too.
                line = line.style(app.view.theme.style(Role::Selection));
            }
            line
        }
        Row::Marker(m) => {
            let (sym, asym, role) = match m.kind {
                MarkerKind::Started => ("▶", ">", Role::Running),
                MarkerKind::Finished { ok: true } => ("■", "#", Role::Ok),
                MarkerKind::Finished { ok: false } => ("✗", "x", Role::Fail),
                MarkerKind::Up => ("▲", "^", Role::Ok),
                MarkerKind::Down => ("▼", "v", Role::Fail),
                MarkerKind::Decision => ("◆", "*", Role::Accent),
                MarkerKind::Alarm => ("⚠", "!", Role::Alarm),
                MarkerKind::Incident => ("⚑", "!", Role::Warn),
            };
            let sym = if ascii { asym } else { sym };
            let text = format!(" {sym} {}", from(format!("{} · {}", clean(&m.text), timefmt::hms(m.at))));
            let mut span = styled(app, role, pad(&text, w));
            span.style = span.style.add_modifier(Modifier::BOLD);
            Line::from(span)
        }
    }
}

fn header(app: &App, l: &LogSource, selected: bool, w: usize) -> Line<'static> {
    let buf = app.model.live.logs.get(&l.id);
    // Per minute over the last 60 s, counted on every line (not only those kept).
    let rate = buf.map(|b| b.rate_per_min(app.model.now)).unwrap_or_default();
    let (errors, warns) = (rate.errors.round() as u64, rate.warns.round() as u64);
    let source = match &l.target {
        LogTarget::File { path } => path.display().to_string(),
        LogTarget::Command { run } => format!("$ {run}"),
    };
    let view = header_state(app, &l.id);
    let state = if buf.is_some() {
        let lines = if w >= 100 { format!(" · {:.0} lines", rate.lines) } else { String::new() };
        format!("{errors} err · {warns} warn{lines} /min · {view}")
    } else {
        view
    };
    let id_w = (w / 3).min(24);
    let state_w = if buf.is_some() { (w.saturating_sub(id_w) * 2 / 3).max(20) } else { 20 }.min(w - id_w);
    let mut line = Line::from(vec![
        plain(pad(&format!(" {}", clean(&l.id)), id_w)),
        styled(app, if errors > 0 { Role::Fail } else { Role::Muted }, pad(&state, state_w)),
        styled(app, Role::Muted, pad(&app.model.shown(&source), w.saturating_sub(id_w + state_w))),
    ]);
    if selected {
        line = line.style(app.view.theme.style(Role::Selection));
    }
    line
}

/// A log in one row: its id, then its latest line (or its condition).
fn compact(app: &App, l: &LogSource, selected: bool, query: Option<&str>, w: usize) -> Line<'static> {
    let id_w = (w / 4).clamp(1, 16);
    let id =
        styled(app, if selected { Role::Selection } else { Role::Header }, pad(&format!(" {}", clean(&l.id)), id_w));
    let rest = w.saturating_sub(id_w);
    let mut line = match logs_view::latest_line(app, &l.id) {
        Some(r) => timeline_line(app, &l.id, r, query, rest),
        None => Line::from(styled(app, Role::Muted, pad(&format!(" {}", header_state(app, &l.id)), rest))),
    };
    line.spans.insert(0, id);
    line
}

pub fn draw(frame: &mut Frame, app: &App, drawn: &mut crate::ui::view::Drawn, area: Rect) {
    let query = logs_view::search_query(app);
    let sel = app.selected(PaneId::Logs);
    let sel_id = app.model.runbook.logs.get(sel).map(|l| l.id.clone());
    // The title: follow off and the search count first; the rest when it fits.
    let held = !logs_view::following(app);
    let new = sel_id.as_deref().map_or(0, |id| logs_view::new_below(app, id));
    let found = match (&query, &sel_id) {
        (Some(q), Some(id)) => {
            let n = logs_view::count_matches(app, drawn, id, q);
            let typed = logs_view::search_text(app).map(clean).unwrap_or_default();
            Some(format!("/{typed}: {n} line{}", if n == 1 { "" } else { "s" }))
        }
        _ => None,
    };
    // The follow key as the keymap has it ("F" built in).
    let follow = crate::ui::overlay::hint::pane_key(app, PaneId::Logs, crate::ui::action::Action::Follow)
        .map_or("follow off".to_string(), |k| format!("follow off ({k})"));
    let full = [held.then_some(follow), (held && new > 0).then(|| format!("{new} new")), found.clone()];
    let short = [held.then(|| "follow off".to_string()), found];
    let join = |parts: &[Option<String>]| parts.iter().flatten().cloned().collect::<Vec<_>>().join(" · ");
    let room = (area.width as usize).saturating_sub(16);
    let extra = Some(join(&full)).filter(|e| e.chars().count() <= room).unwrap_or_else(|| join(&short));
    let block = pane_block(app, PaneId::Logs, &extra, area.width);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let logs = app.model.runbook.logs.clone();
    if logs.is_empty() {
        frame.render_widget(Paragraph::new(styled(app, Role::Muted, "No logs in this runbook.")), inner);
        return;
    }
    let w = inner.width as usize;
    let (first, shares) = share(inner.height as usize, logs.len(), sel);
    let mut map: Vec<Option<usize>> = Vec::new();
    let mut rows = Vec::new();
    for (k, n) in shares.iter().enumerate() {
        let i = first + k;
        let l = &logs[i];
        if *n == 1 {
            rows.push(compact(app, l, i == sel, query.as_deref(), w));
            map.push(Some(i));
            drawn.log_rows.insert(l.id.clone(), 1);
            continue;
        }
        rows.push(header(app, l, i == sel, w));
        map.push(Some(i));
        let room = n - 1;
        drawn.log_rows.insert(l.id.clone(), room);
        let mut shown: Vec<Line> = logs_view::visible(app, &l.id, room)
            .into_iter()
            .map(|r| timeline_line(app, &l.id, r, query.as_deref(), w))
            .collect();
        // A log with fewer lines than rows keeps its rows (the next log's header stays put).
        shown.resize(room, Line::from(""));
        map.extend(std::iter::repeat_n(Some(i), shown.len()));
        rows.extend(shown);
    }
    frame.render_widget(Paragraph::new(rows).style(app.view.theme.style(Role::Text)), inner);
    drawn.row_maps[PaneId::Logs.index()] = crate::ui::app::RowMap { area: inner, offset: 0, items: map };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::event::EventKind;
    use crate::domain::record::{Record, GENESIS};
    use crate::sources::LogLine;
    use crate::ui::app::AppConfig;
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;

    const RUNBOOK: &str = "[runbook]\nid = \"t\"\ntitle = \"t\"\n\
        [[log]]\nid = \"app\"\npath = \"/nonexistent/app.log\"\nerror = \"ERROR\"\n\
        [[log]]\nid = \"watchdog\"\npath = \"/nonexistent/wd.log\"\n";

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap() + Duration::seconds(secs)
    }

    fn app() -> App {
        let rb = match crate::domain::loader::load_bytes(std::path::Path::new("t.toml"), RUNBOOK.as_bytes()) {
            Ok(l) => l.runbook,
            Err(d) => panic!("test runbook: {d:?}"),
        };
        let mut app = App::new(AppConfig {
            runbook: rb,
            operator: "ana".into(),
            read_only: None,
            keymap: crate::ui::keymap::Keymap::default_map(),
            theme: crate::ui::theme::Theme::builtin("dark", crate::ui::theme::ColorDepth::TrueColor),
            layout: crate::ui::layout::Layout::builtin("t0"),
            config_dir: None,
            symbols: crate::ui::symbols::Symbols { ascii: false },
            now: at(60),
        });
        for log in ["app", "watchdog"] {
            let lines = (0..50)
                .map(|i| LogLine { at: at(i), level: LineLevel::Info, text: format!("{log} line {i}"), marker: false })
                .collect();
            crate::ui::logs_live::on_lines(&mut app.model, log.into(), lines);
            crate::ui::logs_live::on_status(&mut app.model, log.into(), LogStatus::Following);
        }
        let ev = EventKind::StepStarted { step: "deploy".into(), run: 1, command: "true".into(), output: "o".into() };
        crate::ui::logs_live::on_record(
            &mut app.model,
            &Record::new(GENESIS, 1, at(48) + Duration::milliseconds(500), "ana", &ev),
        );
        app
    }

    fn screen(app: &mut App, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
        let mut drawn = std::mem::take(&mut app.view.drawn);
        t.draw(|f| draw(f, app, &mut drawn, f.area())).expect("draws");
        app.view.drawn = drawn;
        let buf = t.backend().buffer().clone();
        (0..h).map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n").collect()
    }

    #[test]
    fn both_logs_latest_lines_and_the_act_between_them() {
        let mut a = app();
        let s = screen(&mut a, 70, 10);
        assert!(s.contains("app line 49") && s.contains("watchdog line 49"), "{s}");
        assert!(s.contains("▶ step deploy started by ana · 06:00:48"), "{s}");
        let row = |n: &str| s.lines().position(|l| l.contains(n)).unwrap();
        assert!(row("app line 48") < row("▶ step deploy") && row("▶ step deploy") < row("app line 49"), "{s}");
        // Four rows for two logs: a row each with its id and latest line,
        // a log line even when a journal act came after it.
        let ev =
            EventKind::ProbeChanged { probe: "api".into(), health: crate::domain::event::ProbeHealth::Up, cause: None };
        crate::ui::logs_live::on_record(&mut a.model, &Record::new(GENESIS, 2, at(59), "ana", &ev));
        let s = screen(&mut a, 70, 4);
        assert!(s.contains("app") && s.contains("app line 49") && s.contains("watchdog line 49"), "{s}");
    }

    #[test]
    fn held_view_says_follow_off_in_the_title_and_every_header() {
        let mut a = app();
        logs_view::toggle_follow(&mut a);
        crate::ui::logs_live::on_lines(
            &mut a.model,
            "app".into(),
            vec![LogLine { at: at(55), level: LineLevel::Error, text: "ERROR late".into(), marker: false }],
        );
        let s = screen(&mut a, 120, 12);
        assert!(!s.contains("following") && !s.contains("ERROR late"), "{s}");
        assert!(s.contains("follow off (F) · 1 new"), "{s}");
        assert_eq!(s.matches("follow off").count(), 3, "title and both headers:\n{s}");
        logs_view::pane_key(&mut a, crate::ui::action::Action::Bottom);
        let s = screen(&mut a, 120, 12);
        assert!(s.contains("ERROR late") && !s.contains("follow off"), "{s}");
        assert_eq!(s.matches("following").count(), 2, "{s}");
    }

    #[test]
    fn the_title_counts_the_search_as_typed_and_the_hit_is_shown() {
        let mut a = app();
        logs_view::search_start(&mut a, "app", "App LINE 3");
        let s = screen(&mut a, 120, 12);
        // "app line 3" and "app line 30" … "app line 39": 11 lines, the newest hit shown.
        assert!(s.contains("/App LINE 3: 11 lines"), "{s}");
        assert!(s.contains("app line 39") && !s.contains("app line 49"), "{s}");
        assert!(a.message().is_some_and(|(m, _)| m.contains("match 11 of 11")), "{:?}", a.message());
    }

    #[test]
    fn tiny_sizes_never_panic_in_the_pane_or_full_screen() {
        let mut a = app();
        logs_view::search_start(&mut a, "app", "line");
        for (w, h) in [(1, 1), (2, 3), (3, 2), (10, 4), (5, 40), (200, 3)] {
            screen(&mut a, w, h);
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
            let mut v = crate::ui::overlay::log_view::LogView::new(1);
            v.shift = 7;
            let mut drawn = crate::ui::view::Drawn::default();
            t.draw(|f| crate::ui::overlay::log_view::draw(f, &a, &mut drawn, f.area(), &v)).expect("draws");
        }
    }

    #[test]
    fn a_held_view_with_room_to_spare_stays_held() {
        let mut a = app();
        logs_view::toggle_follow(&mut a);
        crate::ui::logs_live::on_lines(
            &mut a.model,
            "app".into(),
            vec![LogLine { at: at(55), level: LineLevel::Info, text: "came while held".into(), marker: false }],
        );
        // 200 rows: far more than the 50 lines kept.
        let s = screen(&mut a, 120, 200);
        assert!(s.contains("app line 0") && !s.contains("came while held"), "{s}");
    }

    #[test]
    fn the_wheel_over_the_logs_reads_the_selected_log_back() {
        use ratatui::crossterm::event::{KeyModifiers, MouseEvent, MouseEventKind};
        let mut a = app();
        screen(&mut a, 70, 10);
        a.view.drawn.pane_areas = vec![(PaneId::Logs, Rect::new(0, 0, 70, 10))];
        let wheel = |kind| MouseEvent { kind, column: 5, row: 5, modifiers: KeyModifiers::NONE };
        a.on_mouse(wheel(MouseEventKind::ScrollUp));
        let s = screen(&mut a, 70, 10);
        assert!(s.contains("follow off") && s.contains("app line 48") && !s.contains("app line 49"), "{s}");
        a.on_mouse(wheel(MouseEventKind::ScrollDown));
        let s = screen(&mut a, 70, 10);
        assert!(s.contains("app line 49") && !s.contains("follow off"), "{s}");
    }

    #[test]
    fn every_log_gets_rows_never_none() {
        assert_eq!(share(10, 2, 0), (0, vec![5, 5]));
        assert_eq!(share(3, 2, 0), (0, vec![2, 1]));
        assert_eq!(share(3, 2, 1), (0, vec![1, 2]));
        assert_eq!(share(7, 3, 2), (0, vec![2, 2, 3]));
        // Fewer rows than logs: the selected one and its neighbours, a row each.
        assert_eq!(share(2, 5, 4), (3, vec![1, 1]));
        assert_eq!(share(2, 5, 0), (0, vec![1, 1]));
        assert_eq!(share(0, 2, 0), (0, vec![]));
    }
}
