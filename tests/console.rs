//! The console as the engineer sees it: snapshots of every pane, layout,
//! theme and dialog (TestBackend buffers), key handling through the real
//! keymap, sizes from 1×1 up (never a panic), and — in `e2e` — the real
//! binary in a real tmux.

#[path = "console/dialog_keys.rs"]
mod dialog_keys;
#[path = "console/e2e.rs"]
mod e2e;
#[path = "console/key_hints.rs"]
mod key_hints;
#[path = "console/log_vars.rs"]
mod log_vars;
#[path = "console/messages.rs"]
mod messages;
#[path = "console/plain_clock.rs"]
mod plain_clock;
#[path = "console/plain_live.rs"]
mod plain_live;
#[path = "console/secret_vars.rs"]
mod secret_vars;
#[path = "console/words.rs"]
mod words;

use std::path::Path;

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier};
use ratatui::Terminal;

use warroom::domain::event::{Decision, EventKind, MarkSource, ProbeHealth, RunOutcome, Verdict};
use warroom::domain::runbook::Runbook;
use warroom::sources::journal::Journal;
use warroom::ui::app::{App, AppConfig};
use warroom::ui::driver::Input;
use warroom::ui::effect::Effect;
use warroom::ui::keymap::Keymap;
use warroom::ui::layout::Layout;
use warroom::ui::session::Session;
use warroom::ui::symbols::Symbols;
use warroom::ui::theme::{ColorDepth, Theme};

/// 2026-02-12 06:00:00 UTC + `secs`.
fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap() + chrono::Duration::seconds(secs)
}

fn runbook(name: &str) -> Runbook {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    match warroom::cli::runbook_file::load(&path) {
        Ok(l) => l.runbook,
        Err(d) => panic!("fixture {name} does not load: {d:?}"),
    }
}

fn app_with(rb: Runbook, theme: &str, depth: ColorDepth, layout: Layout, ascii: bool) -> App {
    App::new(AppConfig {
        runbook: rb,
        operator: "ana@bastion".into(),
        read_only: None,
        keymap: Keymap::default_map(),
        theme: Theme::builtin(theme, depth),
        layout,
        config_dir: None,
        symbols: Symbols { ascii },
        now: t(600),
    })
}

fn app() -> App {
    app_with(runbook("console-small.toml"), "dark", ColorDepth::TrueColor, Layout::builtin("t0"), false)
}

/// A session in the middle of a go-live: verdicts by two people and the
/// probe, one step done, one running, probes up and down, an incident at L1.
fn live_session(app: &mut App) {
    let evs: Vec<(i64, &str, EventKind)> = vec![
        (
            0,
            "ana@bastion",
            EventKind::SessionOpened {
                runbook: "console-small".into(),
                title: "x".into(),
                client: None,
                path: None,
                runbook_sha256: None,
                outline: None,
            },
        ),
        (10, "ana@bastion", EventKind::StepTicked { step: "announce".into(), done: true }),
        (
            20,
            "ana@bastion",
            EventKind::StepStarted {
                step: "backup".into(),
                run: 1,
                command: "true".into(),
                output: "runs/backup-1.log".into(),
            },
        ),
        (
            95,
            "ana@bastion",
            EventKind::StepFinished {
                step: "backup".into(),
                run: 1,
                outcome: RunOutcome::Ok,
                exit_code: Some(0),
                signal: None,
                duration_ms: 75_000,
                error: None,
            },
        ),
        (
            100,
            "ana@bastion",
            EventKind::StepStarted {
                step: "migrate".into(),
                run: 1,
                command: "true".into(),
                output: "runs/migrate-1.log".into(),
            },
        ),
        (120, "probe", EventKind::ProbeChanged { probe: "homepage".into(), health: ProbeHealth::Up, cause: None }),
        (
            121,
            "probe",
            EventKind::ProbeChanged {
                probe: "db".into(),
                health: ProbeHealth::Down,
                cause: Some("connection refused".into()),
            },
        ),
        (
            122,
            "probe",
            EventKind::CriterionMarked {
                criterion: "homepage-200".into(),
                verdict: Verdict::Pass,
                note: None,
                source: MarkSource::Auto,
                cause: Some("probe homepage UP".into()),
            },
        ),
        (
            130,
            "bob@laptop",
            EventKind::CriterionMarked {
                criterion: "checkout".into(),
                verdict: Verdict::Fail,
                note: Some("card declined \u{1b}[31mred\u{1b}[0m".into()),
                source: MarkSource::Manual,
                cause: None,
            },
        ),
        (
            140,
            "ana@bastion",
            EventKind::CriterionMarked {
                criterion: "banner".into(),
                verdict: Verdict::Na,
                note: None,
                source: MarkSource::Manual,
                cause: None,
            },
        ),
        (
            150,
            "bob@laptop",
            EventKind::CriterionMarked {
                criterion: "search".into(),
                verdict: Verdict::Pass,
                note: None,
                source: MarkSource::Manual,
                cause: None,
            },
        ),
        (
            300,
            "ana@bastion",
            EventKind::IncidentDeclared { level: "L1".into(), summary: Some("checkout failing".into()) },
        ),
    ];
    for (s, op, ev) in evs {
        app.model.state.apply_event(op, t(s), ev);
        app.model.state.operators.insert(op.to_string());
    }
}

fn draw(app: &mut App, w: u16, h: u16) -> Buffer {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| app.draw(f)).unwrap();
    term.backend().buffer().clone()
}

/// The screen as text, one line per row, trailing blanks trimmed.
fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buf.area.width {
            // The cells a wide character covers hold placeholders: leave them out.
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = warroom::ui::text::width(sym).saturating_sub(1);
            line.push_str(sym);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The screen's styles: each cell a letter standing for its style, with a legend.
fn style_map(buf: &Buffer) -> String {
    let mut styles: Vec<(Color, Color, Modifier)> = Vec::new();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let c = &buf[(x, y)];
            let key = (c.fg, c.bg, c.modifier);
            let i = styles.iter().position(|k| *k == key).unwrap_or_else(|| {
                styles.push(key);
                styles.len() - 1
            });
            out.push((b'a' + (i as u8 % 26)) as char);
        }
        out.push('\n');
    }
    out.push_str("legend:\n");
    for (i, (fg, bg, m)) in styles.iter().enumerate() {
        out.push_str(&format!("{} fg={fg:?} bg={bg:?} mod={m:?}\n", (b'a' + (i as u8 % 26)) as char));
    }
    out
}

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn ch(c: char) -> KeyEvent {
    let m = if c.is_ascii_uppercase() { KeyModifiers::SHIFT } else { KeyModifiers::NONE };
    KeyEvent::new(KeyCode::Char(c), m)
}

/// The app on a real journal in a temp folder, driven as every front end
/// drives it (`ui::driver`): what a key asks for is run by the one effect
/// interpreter, and journal appends come back folded as records.
struct Console {
    session: Session,
    _dir: tempfile::TempDir,
}

impl std::ops::Deref for Console {
    type Target = App;
    fn deref(&self) -> &App {
        &self.session.app
    }
}

impl std::ops::DerefMut for Console {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.session.app
    }
}

fn console() -> Console {
    let dir = tempfile::tempdir().unwrap();
    let opened = Journal::open(&dir.path().join("journal.jsonl")).unwrap();
    Console { session: Session::new(app(), opened), _dir: dir }
}

/// Presses keys through the driver; the effects each key asked for, in order.
fn press(c: &mut Console, keys: &[KeyEvent]) -> Vec<Effect> {
    let mut all = Vec::new();
    for k in keys {
        let effects = c.session.effects_of(Input::Key(*k));
        c.session.run_effects(effects.clone());
        all.extend(effects);
    }
    all
}

fn single_pane(name: &str) -> Layout {
    Layout::parse(name, "test", &format!("pane = \"{name}\"\n")).unwrap()
}

// ── Snapshots: layouts and panes ────────────────────────────────────────────

#[test]
fn layouts_at_80x24_and_160x50() {
    for layout in ["t0", "validation", "monitor"] {
        for (w, h) in [(80, 24), (160, 50)] {
            let mut a =
                app_with(runbook("console-small.toml"), "dark", ColorDepth::TrueColor, Layout::builtin(layout), false);
            live_session(&mut a);
            let buf = draw(&mut a, w, h);
            insta::assert_snapshot!(format!("layout_{layout}_{w}x{h}"), text(&buf));
        }
    }
}

#[test]
fn each_pane_alone_at_80x24_and_160x50() {
    for pane in ["steps", "checklist", "probes", "logs", "escalation"] {
        for (w, h) in [(80, 24), (160, 50)] {
            let mut a =
                app_with(runbook("console-small.toml"), "dark", ColorDepth::TrueColor, single_pane(pane), false);
            a.view.focus = warroom::ui::panes::PaneId::parse(pane).unwrap();
            live_session(&mut a);
            let buf = draw(&mut a, w, h);
            insta::assert_snapshot!(format!("pane_{pane}_{w}x{h}"), text(&buf));
        }
    }
}

#[test]
fn themes_dark_and_light_keep_the_terminal_background() {
    for theme in ["dark", "light"] {
        let mut a = app_with(runbook("console-small.toml"), theme, ColorDepth::TrueColor, Layout::builtin("t0"), false);
        live_session(&mut a);
        a.view.focus = warroom::ui::panes::PaneId::Checklist;
        let buf = draw(&mut a, 80, 24);
        // T4: no cell paints a background; the selection is reverse video.
        for c in buf.content() {
            assert_eq!(c.bg, Color::Reset, "{theme}: a background was painted");
        }
        assert!(
            buf.content().iter().any(|c| c.modifier.contains(Modifier::REVERSED)),
            "{theme}: no reversed selection"
        );
        insta::assert_snapshot!(format!("theme_{theme}_styles"), style_map(&buf));
    }
}

#[test]
fn no_color_draws_no_colour_and_still_tells_states_apart() {
    let mut a = app_with(runbook("console-small.toml"), "dark", ColorDepth::None, Layout::builtin("validation"), false);
    live_session(&mut a);
    a.view.focus = warroom::ui::panes::PaneId::Checklist;
    let buf = draw(&mut a, 160, 50);
    for c in buf.content() {
        assert_eq!((c.fg, c.bg), (Color::Reset, Color::Reset), "colour under NO_COLOR at {:?}", c.symbol());
    }
    let s = text(&buf);
    for word in ["✓ PASS", "✗ FAIL", "– N/A", "· PENDING", "▲ UP", "▼ DOWN", "✓ DONE", "▶ RUNNING", "· TODO"]
    {
        assert!(s.contains(word), "NO_COLOR screen lacks {word}");
    }
    insta::assert_snapshot!("no_color_validation_160x50", s);
}

#[test]
fn sixteen_colour_mode_uses_only_the_16_colours() {
    for theme in ["dark", "light", "high-contrast"] {
        let mut a = app_with(runbook("console-small.toml"), theme, ColorDepth::C16, Layout::builtin("t0"), false);
        live_session(&mut a);
        let buf = draw(&mut a, 160, 50);
        for c in buf.content() {
            for col in [c.fg, c.bg] {
                assert!(!matches!(col, Color::Rgb(..) | Color::Indexed(_)), "{theme}: {col:?} in 16-colour mode");
            }
        }
    }
}

#[test]
fn ascii_symbols_for_the_linux_console() {
    let mut a = app_with(runbook("console-small.toml"), "dark", ColorDepth::C16, single_pane("checklist"), true);
    a.view.focus = warroom::ui::panes::PaneId::Checklist;
    live_session(&mut a);
    let s = text(&draw(&mut a, 80, 24));
    for word in ["+ PASS", "x FAIL", "- N/A", ". PENDING"] {
        assert!(s.contains(word), "ASCII screen lacks {word}:\n{s}");
    }
    assert!(!s.contains('✓') && !s.contains('✗'));
    insta::assert_snapshot!("ascii_checklist_80x24", s);
}

#[test]
fn outside_text_is_sanitised_on_screen() {
    let mut a = console();
    live_session(&mut a);
    a.model.state.apply_event("mallory\u{1b}]0;pwned\u{7}", t(200), EventKind::NoteAdded { text: "x".into() });
    a.model.state.operators.insert("mallory\u{1b}]0;pwned\u{7}".into());
    // The failing criterion's note holds an SGR sequence; open its details.
    press(&mut a, &[ch('2'), ch('j'), key(KeyCode::Enter)]);
    let buf = draw(&mut a, 160, 50);
    for c in buf.content() {
        assert!(!c.symbol().contains('\u{1b}') && !c.symbol().contains('\u{7}'), "control char on screen");
    }
    let s = text(&buf);
    assert!(s.contains("card declined red"), "{s}");
}

// ── Unicode and sizes ────────────────────────────────────────────────────────

/// Every pane's right border sits where its block says, on every row (T9).
fn borders_intact(a: &App, buf: &Buffer) {
    for (pane, r) in &a.view.drawn.pane_areas {
        for y in r.y..r.y + r.height {
            let right = buf[(r.x + r.width - 1, y)].symbol();
            assert!(
                ["│", "┃", "┐", "┘", "┓", "┛"].contains(&right),
                "{pane:?} right border broken at row {y}: {right:?}\n{}",
                text(buf)
            );
        }
    }
}

#[test]
fn emoji_cjk_zwj_nfd_and_tabs_never_break_borders() {
    for (w, h) in [(80, 24), (160, 50), (97, 31)] {
        for layout in ["t0", "validation", "monitor"] {
            let mut a = app_with(
                runbook("console-unicode.toml"),
                "dark",
                ColorDepth::TrueColor,
                Layout::builtin(layout),
                false,
            );
            live_session(&mut a);
            let buf = draw(&mut a, w, h);
            borders_intact(&a, &buf);
            if layout == "t0" {
                insta::assert_snapshot!(format!("unicode_t0_{w}x{h}"), text(&buf));
            }
        }
    }
}

#[test]
fn too_small_shows_only_the_notice() {
    for (w, h) in [(79, 24), (80, 23), (40, 10), (1, 1)] {
        let mut a = app();
        let s = text(&draw(&mut a, w, h));
        let flat: String = s.split_whitespace().collect();
        let want: String = format!("terminal too small: need 80×24, have {w}×{h}").split_whitespace().collect();
        assert!(!flat.is_empty() && want.starts_with(&flat), "{w}×{h}: {flat:?}");
        if w >= 40 {
            insta::assert_snapshot!(format!("too_small_{w}x{h}"), s);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]
    #[test]
    fn any_size_draws_without_panic(w in 1u16..=300, h in 1u16..=100, layout in 0usize..3, overlay in 0usize..6) {
        let mut a = app_with(runbook("console-unicode.toml"), "dark", ColorDepth::C256, Layout::builtin(["t0", "validation", "monitor"][layout]), false);
        live_session(&mut a);
        let k = [None, Some(ch('?')), Some(ch(':')), Some(ch('d')), Some(ch('w')), Some(key(KeyCode::Enter))][overlay];
        if let Some(k) = k { a.on_key(k); }
        let buf = draw(&mut a, w, h);
        let s = text(&buf);
        if w < 80 || h < 24 {
            let flat: String = s.split_whitespace().collect();
            let want: String = format!("terminal too small: need 80×24, have {}×{}", w, h).split_whitespace().collect();
            prop_assert!(!flat.is_empty() && want.starts_with(&flat), "{} vs {}", want, flat);
        } else if k.is_none() {
            borders_intact(&a, &buf);
        }
    }
}

// ── Keys ─────────────────────────────────────────────────────────────────────

fn verdict(a: &App, id: &str) -> Verdict {
    a.model.state.verdict(id)
}

#[test]
fn space_x_n_mark_and_space_again_returns_to_pending() {
    let mut a = console();
    press(&mut a, &[ch('2'), key(KeyCode::Char(' '))]);
    assert_eq!(verdict(&a, "homepage-200"), Verdict::Pass);
    assert_eq!(a.model.state.criteria["homepage-200"].source, MarkSource::Override, "auto-bound: a person overrides");
    press(&mut a, &[key(KeyCode::Char(' '))]);
    assert_eq!(verdict(&a, "homepage-200"), Verdict::Pending);
    press(&mut a, &[ch('j'), ch('x'), ch('j'), ch('n')]);
    assert_eq!(verdict(&a, "checkout"), Verdict::Fail);
    assert_eq!(a.model.state.criteria["checkout"].source, MarkSource::Manual);
    assert_eq!(verdict(&a, "database-up"), Verdict::Na);
    // G, g, arrows
    press(&mut a, &[ch('G')]);
    assert_eq!(a.selected(warroom::ui::panes::PaneId::Checklist), 5);
    press(&mut a, &[ch('g'), key(KeyCode::Down)]);
    assert_eq!(a.selected(warroom::ui::panes::PaneId::Checklist), 1);
}

#[test]
fn marking_outside_the_checklist_says_where_it_works() {
    let mut a = console();
    let e = press(&mut a, &[ch('3'), key(KeyCode::Char(' '))]);
    assert!(e.is_empty());
    let msg = a.message().unwrap().0.to_string();
    assert!(msg.contains("Checklist"), "{msg}");
}

#[test]
fn search_moves_selection_enter_keeps_esc_restores_and_n_goes_on() {
    let mut a = console();
    press(&mut a, &[ch('2'), ch('/'), ch('e'), ch('m'), ch('a')]);
    assert_eq!(a.selected(warroom::ui::panes::PaneId::Checklist), 4, "emails");
    press(&mut a, &[key(KeyCode::Esc)]);
    assert_eq!(a.selected(warroom::ui::panes::PaneId::Checklist), 0);
    press(&mut a, &[ch('/'), ch('e'), key(KeyCode::Enter)]);
    let first = a.selected(warroom::ui::panes::PaneId::Checklist);
    // In the Checklist `n` marks N/A: search-next there is via the palette or other panes; from Steps n works.
    press(&mut a, &[ch('N')]);
    assert_ne!(a.selected(warroom::ui::panes::PaneId::Checklist), first);
    press(&mut a, &[ch('1'), ch('/'), ch('w'), ch('a'), ch('r'), key(KeyCode::Enter)]);
    assert_eq!(a.selected(warroom::ui::panes::PaneId::Steps), 3, "warmup");
    press(&mut a, &[ch('g'), ch('n')]);
    assert_eq!(a.selected(warroom::ui::panes::PaneId::Steps), 3);
}

#[test]
fn q_and_esc_inside_overlays_only_close_them() {
    for open in ['?', ':', 'd', 'w', 'o'] {
        let mut a = console();
        press(&mut a, &[ch('2'), ch(open)]);
        assert!(a.view.overlay.is_open(), "{open} opened nothing");
        let e = press(&mut a, &[key(KeyCode::Esc)]);
        assert!(!a.view.overlay.is_open() && !e.contains(&Effect::Quit), "{open}: Esc");
        press(&mut a, &[ch(open)]);
        let e = press(&mut a, &[ch('q')]);
        assert!(!e.contains(&Effect::Quit), "{open}: q quit the app");
    }
    let mut a = console();
    assert_eq!(press(&mut a, &[ch('q')]), vec![Effect::Quit]);
}

#[test]
fn quit_asks_first_while_a_step_runs() {
    let mut a = console();
    live_session(&mut a); // migrate is running
    let e = press(&mut a, &[ch('q')]);
    assert!(e.is_empty(), "quit without asking");
    let s = text(&draw(&mut a, 80, 24));
    assert!(s.contains("migrate"), "the question names the step:\n{s}");
    assert!(press(&mut a, &[ch('n')]).is_empty());
    press(&mut a, &[ch('q')]);
    assert_eq!(press(&mut a, &[ch('y')]), vec![Effect::Quit]);
}

#[test]
fn decision_dialog_records_with_reason_and_recommendation() {
    let mut a = console();
    live_session(&mut a);
    press(&mut a, &[ch('d')]);
    insta::assert_snapshot!("decision_dialog_80x24", text(&draw(&mut a, 80, 24)));
    // No choice, no reason: refused, dialog stays.
    assert!(press(&mut a, &[key(KeyCode::Enter)]).is_empty());
    assert!(a.view.overlay.is_open());
    press(&mut a, &[key(KeyCode::Tab), key(KeyCode::Tab)]);
    for c in "checkout fails; q is a letter here".chars() {
        press(&mut a, &[KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)]);
    }
    let e = press(&mut a, &[key(KeyCode::Enter)]);
    assert!(!a.view.overlay.is_open());
    match &e[..] {
        [Effect::Append { event: EventKind::DecisionRecorded { decision, reason, recommendation, .. }, .. }] => {
            assert_eq!(*decision, Decision::NoGo);
            assert_eq!(reason, "checkout fails; q is a letter here");
            assert_eq!(recommendation.as_deref(), Some("ROLLBACK (1 critical failing)"));
        }
        other => panic!("{other:?}"),
    }
    let s = text(&draw(&mut a, 160, 50));
    assert!(s.contains("decision: NO-GO by ana@bastion"), "{s}");
}

#[test]
fn walkthrough_answers_one_item_at_a_time() {
    let mut a = console();
    press(&mut a, &[ch('w')]);
    insta::assert_snapshot!("walkthrough_80x24", text(&draw(&mut a, 80, 24)));
    // First the manual step: space ticks it.
    press(&mut a, &[key(KeyCode::Char(' '))]);
    assert_eq!(a.model.state.step_status("announce"), warroom::domain::state::StepStatus::Done);
    // Then three command steps: skipped with j.
    press(&mut a, &[ch('j'), ch('j'), ch('j')]);
    press(&mut a, &[key(KeyCode::Char(' ')), ch('x'), ch('n')]);
    assert_eq!(verdict(&a, "homepage-200"), Verdict::Pass);
    assert_eq!(verdict(&a, "checkout"), Verdict::Fail);
    assert_eq!(verdict(&a, "database-up"), Verdict::Na);
    assert!(a.view.overlay.is_open(), "walkthrough stays open");
    press(&mut a, &[key(KeyCode::Esc)]);
    assert!(!a.view.overlay.is_open());
}

#[test]
fn operator_switch_is_journaled_and_used_for_later_acts() {
    let mut a = console();
    press(&mut a, &[ch('o')]);
    for c in "bob@laptop".chars() {
        press(&mut a, &[KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)]);
    }
    let e = press(&mut a, &[key(KeyCode::Enter)]);
    assert!(matches!(&e[..], [Effect::Append { operator, event: EventKind::OperatorSwitched { from, to } }]
        if operator == "ana@bastion" && from == "ana@bastion" && to == "bob@laptop"));
    let e = press(&mut a, &[ch('2'), key(KeyCode::Char(' '))]);
    assert!(matches!(&e[..], [Effect::Append { operator, .. }] if operator == "bob@laptop"));
}

#[test]
fn help_and_palette_list_every_action_from_the_live_keymap() {
    let mut a = console();
    a.view.keymap = Keymap::from_texts(Some(("k.toml", "[checklist]\nmark-na = \"-\"\n"))).unwrap();
    press(&mut a, &[ch('?')]);
    let s = text(&draw(&mut a, 160, 50));
    assert!(s.contains("- (checklist)"), "help shows the user's binding:\n{s}");
    insta::assert_snapshot!("help_160x50", s);
    press(&mut a, &[key(KeyCode::Esc), ch(':')]);
    for c in "walk".chars() {
        press(&mut a, &[KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)]);
    }
    insta::assert_snapshot!("palette_walk_80x24", text(&draw(&mut a, 80, 24)));
    press(&mut a, &[key(KeyCode::Enter)]);
    assert!(matches!(a.view.overlay.top(), Some(warroom::ui::overlay::Overlay::Walkthrough(_))));
}

#[test]
fn details_show_note_and_evidence() {
    let mut a = console();
    live_session(&mut a);
    press(&mut a, &[ch('2'), key(KeyCode::Enter)]);
    let s = text(&draw(&mut a, 80, 24));
    assert!(s.contains("probe homepage UP"), "{s}");
    insta::assert_snapshot!("details_homepage_80x24", s);
}

#[test]
fn read_only_refuses_to_write_and_says_why() {
    let mut a = console();
    a.model.read_only = Some("line 7 of the journal is damaged".into());
    let e = press(&mut a, &[ch('2'), key(KeyCode::Char(' ')), ch('d')]);
    assert!(e.is_empty());
    let s = text(&draw(&mut a, 80, 24));
    assert!(s.contains("READ-ONLY"), "{s}");
}

/// The demo says it is a demo even where the title is cut (80 columns).
#[test]
fn badge_shows_first_on_a_narrow_status_line() {
    let mut a = app();
    a.view.badge = Some("DEMO");
    let s = text(&draw(&mut a, 80, 24));
    let status = s.lines().rev().nth(1).unwrap_or_default();
    assert!(status.starts_with(" DEMO "), "{status:?}");
    assert!(status.contains("rec:"), "the recommendation still fits: {status:?}");
}

#[test]
fn layouts_and_themes_switch_live() {
    let mut a = console();
    press(&mut a, &[ch('L')]);
    assert_eq!(a.view.layout.name, "validation");
    press(&mut a, &[ch('T')]);
    assert_eq!(a.view.theme.name, "light");
}

#[test]
fn idle_second_changes_only_the_clock_cells() {
    // T10: with nothing happening, a new second rewrites the clock and nothing else.
    let mut a = app();
    let before = draw(&mut a, 160, 50);
    a.tick(t(601));
    assert!(a.view.dirty, "a new second is a change");
    let after = draw(&mut a, 160, 50);
    let changed: Vec<(u16, u16)> = (0..50u16)
        .flat_map(|y| (0..160u16).map(move |x| (x, y)))
        .filter(|&(x, y)| before[(x, y)] != after[(x, y)])
        .collect();
    assert!(!changed.is_empty());
    for (x, y) in &changed {
        assert_eq!(*y, 48, "only the status row changes, not row {y}");
        assert!(*x >= 160 - 26, "only the clock at the right changes, not column {x}");
    }
    // The same second again is no change at all.
    a.view.dirty = false;
    a.tick(t(601));
    assert!(!a.view.dirty);
}

#[test]
fn mouse_click_selects_a_row_and_a_second_click_opens_details() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let mut a = app();
    let buf = draw(&mut a, 160, 50);
    let s = text(&buf);
    let (y, line) = s.lines().enumerate().find(|(_, l)| l.contains("Order e-mails are sent")).unwrap();
    let x = line.chars().take_while(|_| true).count() as u16 - 5;
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x.min(150),
        row: y as u16,
        modifiers: KeyModifiers::NONE,
    };
    a.on_mouse(click);
    assert_eq!(a.view.focus, warroom::ui::panes::PaneId::Checklist);
    assert_eq!(a.selected(warroom::ui::panes::PaneId::Checklist), 4, "emails");
    draw(&mut a, 160, 50);
    a.on_mouse(click);
    assert!(matches!(a.view.overlay.top(), Some(warroom::ui::overlay::Overlay::Details(d)) if d.index == 4));
}

/// Enter on a step: its output can be read from the end (`G`), from the top
/// (`g`), and searched (`/`, Enter, `n`), the hits highlighted; a search with
/// no hit says so.
#[test]
fn step_output_details_scroll_to_the_end_and_search() {
    use warroom::domain::event::RunKind;
    use warroom::sources::SourceEvent;
    let mut a = console();
    live_session(&mut a);
    for i in 1..=300 {
        let line = if i == 250 { "ERROR disk full on /var".to_string() } else { format!("backup line {i}") };
        a.session.feed(Input::Source(SourceEvent::RunOutput {
            kind: RunKind::Step,
            id: "backup".into(),
            run: 1,
            line,
        }));
    }
    press(&mut a, &[ch('1'), ch('g'), ch('j'), key(KeyCode::Enter)]);
    let s = text(&draw(&mut a, 100, 30));
    assert!(s.contains("Step backup"), "{s}");
    assert!(!s.contains("backup line 300"), "starts at the top:\n{s}");

    press(&mut a, &[ch('G')]);
    let s = text(&draw(&mut a, 100, 30));
    assert!(s.contains("backup line 300"), "G shows the last line:\n{s}");
    press(&mut a, &[ch('j'), ch('j')]);
    let s = text(&draw(&mut a, 100, 30));
    assert!(s.contains("backup line 300"), "j past the end stays at the end:\n{s}");
    press(&mut a, &[ch('g')]);
    let s = text(&draw(&mut a, 100, 30));
    assert!(s.contains("Step backup") && !s.contains("backup line 300"), "g back to the top:\n{s}");

    press(&mut a, &[ch('/')]);
    for c in "DISK FULL".chars() {
        press(&mut a, &[ch(c)]);
    }
    press(&mut a, &[key(KeyCode::Enter)]);
    let buf = draw(&mut a, 100, 30);
    let s = text(&buf);
    let row = s.lines().position(|l| l.contains("ERROR disk full on /var")).expect("the hit is on screen");
    assert!(
        s.lines().nth(row - 1).unwrap_or_default().contains("Step backup"),
        "the hit is the first line shown:\n{s}"
    );
    let x = s.lines().nth(row).unwrap().find("ERROR").unwrap();
    let x = s.lines().nth(row).unwrap()[..x].chars().count() as u16;
    assert!(buf[(x, row as u16)].modifier.contains(Modifier::REVERSED), "the hit is highlighted");
    press(&mut a, &[ch('n')]);
    let s = text(&draw(&mut a, 100, 30));
    assert!(s.contains("ERROR disk full on /var"), "n wraps round to the only hit:\n{s}");

    press(&mut a, &[ch('/'), ch('z'), ch('z'), ch('q'), key(KeyCode::Enter)]);
    let s = text(&draw(&mut a, 100, 30));
    assert!(s.contains("no line holds \"zzq\""), "{s}");
    assert!(a.view.overlay.is_open(), "q typed into the search does not close the view");
    press(&mut a, &[ch('q')]);
    assert!(!a.view.overlay.is_open(), "q closes the view");
}

/// A fresh alarm: Enter reviews it from any pane but Logs, where Enter opens
/// the focused log full-screen (and the banner says B reviews it).
#[test]
fn enter_in_logs_opens_the_log_even_while_an_alarm_is_up() {
    use warroom::domain::event::EventKind;
    use warroom::ui::overlay::Overlay;
    let mut c = console();
    c.model.state.apply_event(
        "warroom",
        t(600),
        EventKind::TriggerFired { trigger: "api-down".into(), propose: "full".into(), cause: "api DOWN".into() },
    );
    press(&mut c, &[ch('4'), key(KeyCode::Enter)]);
    assert!(matches!(c.view.overlay.top(), Some(Overlay::Log(_))), "{:?}", c.view.overlay.name());
    let banner = text(&draw(&mut c, 160, 50));
    assert!(banner.contains("B: review it") && !banner.contains("Enter/B: review it"), "{banner}");
    press(&mut c, &[key(KeyCode::Esc), ch('1'), key(KeyCode::Enter)]);
    assert!(matches!(c.view.overlay.top(), Some(Overlay::Rollback(_))), "{:?}", c.view.overlay.name());
}

/// Plain mode's `status` says what the full-screen banner and Escalation pane
/// would: the open incident and every alarm.
#[test]
fn plain_status_names_the_open_incident_and_the_alarms() {
    use warroom::domain::event::EventKind;
    let mut c = console();
    c.model.state.apply_event(
        "ben",
        t(600),
        EventKind::IncidentDeclared { level: "L1".into(), summary: Some("checkout 500s".into()) },
    );
    c.model.state.apply_event(
        "warroom",
        t(601),
        EventKind::TriggerFired {
            trigger: "api-down".into(),
            propose: "full".into(),
            cause: "api DOWN for 30s".into(),
        },
    );
    let lines = warroom::ui::plain::summary(&c.session).join("\n");
    assert!(lines.contains("INCIDENT declared by ben at") && lines.contains("checkout 500s"), "{lines}");
    assert!(lines.contains("ALARM api-down: api DOWN for 30s — proposes rollback full"), "{lines}");
}

/// A multi-line command shows as its lines in the step's details, never "^J".
#[test]
fn a_multi_line_command_reads_as_lines_in_the_details() {
    let mut c = console();
    c.model.runbook.steps[0].run = Some("for n in 1 2; do\n  echo $n\ndone".into());
    c.model.runbook.steps[0].manual = false;
    let (_, lines) = warroom::ui::overlay::details::lines(&c, warroom::ui::panes::PaneId::Steps, 0);
    let text: Vec<String> = lines.iter().map(|l| l.spans.iter().map(|s| s.content.to_string()).collect()).collect();
    let all = text.join("\n");
    assert!(!all.contains("^J"), "{all}");
    assert!(all.contains("for n in 1 2; do") && all.contains("  echo $n") && all.contains("done"), "{all}");
}
