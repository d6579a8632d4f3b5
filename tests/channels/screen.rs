//! The console drawn to a TestBackend: a PASS by hand that its bound source
//! contradicts is flagged on the row and in the decision dialog; channel
//! states and the T-0 countdown on the status line.

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;

use warroom::domain::event::{EventKind, MarkSource, ProbeHealth, Verdict};
use warroom::domain::runbook::AutoBinding;
use warroom::ui::app::{App, AppConfig};
use warroom::ui::keymap::Keymap;
use warroom::ui::layout::Layout;
use warroom::ui::symbols::Symbols;
use warroom::ui::theme::{ColorDepth, Theme};

fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2029, 12, 30, 6, 0, 0).unwrap() + chrono::Duration::seconds(secs)
}

fn app() -> App {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/channels.toml");
    let mut rb = warroom::cli::runbook_file::load(&path).unwrap().runbook;
    let checkout = rb.criteria.iter_mut().find(|c| c.id == "checkout").unwrap();
    checkout.auto = Some(AutoBinding::Probe { probe: "homepage".into(), max_p95: None, window: None });
    App::new(AppConfig {
        runbook: rb,
        operator: "ana".into(),
        read_only: None,
        keymap: Keymap::default_map(),
        theme: Theme::builtin("dark", ColorDepth::TrueColor),
        layout: Layout::builtin("t0"),
        config_dir: None,
        symbols: Symbols { ascii: false },
        now: t(0),
    })
}

fn screen(app: &mut App) -> String {
    let mut term = Terminal::new(TestBackend::new(160, 45)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_pass_by_hand_over_a_down_probe_is_flagged_on_the_row_and_in_the_decision_dialog() {
    let mut a = app();
    a.model.state.apply_event(
        "probe",
        t(1),
        EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Down, cause: Some("HTTP 503".into()) },
    );
    a.model.state.apply_event(
        "ana",
        t(2),
        EventKind::CriterionMarked {
            criterion: "checkout".into(),
            verdict: Verdict::Pass,
            note: None,
            source: MarkSource::Override,
            cause: None,
        },
    );
    let s = screen(&mut a);
    assert!(s.contains("✓ PASS    Checkout completes") && s.contains("⚠ source says FAIL"), "{s}");
    a.on_key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::NONE));
    let s = screen(&mut a);
    assert!(s.contains("⚠ PASS by hand, source disagrees: checkout — probe homepage"), "{s}");
}

#[test]
fn the_status_line_counts_down_to_t0_and_shows_each_channel() {
    let mut a = app();
    // t0 = 2030-01-01 06:00 Madrid = 05:00 UTC; now = 2029-12-30 06:00 UTC.
    let s = screen(&mut a);
    assert!(s.contains("│ T-1d 23h prep"), "{s}");
    assert!(s.contains("ch golive ·  alerts ·"), "{s}");
    a.model.state.apply_event(
        "ana",
        t(3),
        EventKind::MessageFailed {
            template: "decision".into(),
            channel: "alerts".into(),
            on: None,
            attempts: 4,
            status: Some(500),
            error: "channel alerts answered HTTP 500".into(),
        },
    );
    a.model.state.apply_event(
        "ana",
        t(3),
        EventKind::MessageSent {
            template: "decision".into(),
            channel: "golive".into(),
            on: None,
            attempts: 1,
            status: 200,
            text: "x".into(),
        },
    );
    let s = screen(&mut a);
    assert!(s.contains("ch golive ✓  alerts ✗500"), "{s}");
}

#[test]
fn at_80_columns_the_clock_and_a_failing_channel_still_show() {
    let mut a = app();
    a.model.state.apply_event(
        "ana",
        t(3),
        EventKind::MessageFailed {
            template: "decision".into(),
            channel: "alerts".into(),
            on: None,
            attempts: 4,
            status: None,
            error: "connection refused".into(),
        },
    );
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| a.draw(f)).unwrap();
    let buf = term.backend().buffer().clone();
    let status: String = (0..80).map(|x| buf[(x, 22)].symbol().to_string()).collect();
    assert!(status.contains("alerts ✗"), "{status}");
    // Narrow: the clock keeps its minutes (seconds go first, `ui::panes::status`).
    assert!(status.contains("06:00Z"), "{status}");
}
