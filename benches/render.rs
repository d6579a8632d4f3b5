//! One full console frame at 160×50 with 50 criteria, 20 probes and 1,000 log
//! lines (aim: under 2 ms). `cargo bench --bench render`.

// The allocator the binary uses (see src/main.rs), so the figures are the console's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/app.rs"]
mod bench_app;

use std::path::Path;
use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use warroom::domain::event::{EventKind, MarkSource, ProbeHealth, Verdict};
use warroom::sources::{LineLevel, LogLine, ProbeResult, SourceEvent};
use warroom::ui::app::App;

fn runbook_text() -> String {
    let mut s = String::from("[runbook]\nid = \"bench\"\ntitle = \"Render benchmark — 50 criteria\"\ntimezone = \"Europe/Madrid\"\n\n[[phase]]\nid = \"deploy\"\ntitle = \"Deploy\"\n\n");
    for i in 0..12 {
        s += &format!("[[step]]\nid = \"step-{i}\"\nphase = \"deploy\"\ntitle = \"Step number {i} of the deploy\"\nrun = \"true\"\n\n");
    }
    for i in 0..20 {
        s += &format!(
            "[[probe]]\nid = \"probe-{i}\"\nurl = \"http://127.0.0.1:9/{i}\"\nevery = \"10s\"\ntimeout = \"2s\"\n\n"
        );
    }
    s += "[[log]]\nid = \"app\"\npath = \"/tmp/warroom-bench.log\"\nerror = \"(?i)error\"\nwarn = \"(?i)warn\"\n\n";
    for i in 0..50 {
        let sev = ["critical", "high", "medium"][i % 3];
        let auto = if i % 4 == 0 { format!("auto = {{ probe = \"probe-{}\" }}\n", i % 20) } else { String::new() };
        s += &format!("[[criterion]]\nid = \"crit-{i}\"\ntitle = \"Criterion {i}: the service answers as expected\"\nseverity = \"{sev}\"\non_fail = \"rollback\"\n{auto}\n");
    }
    s += "[escalation]\nstart = \"on_incident\"\n[[escalation.level]]\nname = \"L1\"\nwho = \"Dev on-call\"\nrespond_within = \"30m\"\n";
    s
}

fn app() -> App {
    let loaded = warroom::domain::loader::load_bytes(Path::new("bench.toml"), runbook_text().as_bytes())
        .unwrap_or_else(|d| panic!("bench runbook: {d:?}"));
    let t0 = Utc.with_ymd_and_hms(2026, 2, 12, 6, 0, 0).unwrap();
    let mut app = bench_app::app(loaded.runbook, "t0", t0);
    for i in 0..50 {
        let verdict = [Verdict::Pass, Verdict::Fail, Verdict::Na, Verdict::Pending][i % 4];
        let ev = EventKind::CriterionMarked {
            criterion: format!("crit-{i}"),
            verdict,
            note: None,
            source: MarkSource::Manual,
            cause: None,
        };
        app.model.state.apply_event("ana@bastion", t0, ev);
    }
    for i in 0..20 {
        let health = if i % 5 == 0 { ProbeHealth::Down } else { ProbeHealth::Up };
        app.model.state.apply_event(
            "probe",
            t0,
            EventKind::ProbeChanged { probe: format!("probe-{i}"), health, cause: None },
        );
        for k in 0..60 {
            app.on_source(SourceEvent::Probe(ProbeResult {
                probe: format!("probe-{i}"),
                at: t0,
                success: true,
                status: Some(200),
                latency: Duration::from_millis(20 + k),
                failed_condition: None,
                error: None,
                detail: None,
            }));
        }
    }
    let lines = (0..1000)
        .map(|i| LogLine {
            at: t0,
            level: [LineLevel::Info, LineLevel::Warn, LineLevel::Error][i % 3],
            text: format!("2026-02-12 06:00:{:02} request {i} handled in {} ms", i % 60, i % 250),
            marker: false,
        })
        .collect();
    app.on_source(SourceEvent::LogLines { log: "app".into(), lines });
    app.view.focus = warroom::ui::panes::PaneId::Checklist;
    app
}

fn bench(c: &mut Criterion) {
    let mut app = app();
    let mut term = Terminal::new(TestBackend::new(160, 50)).unwrap();
    c.bench_function("full frame 160x50 (50 criteria, 20 probes, 1000 log lines)", |b| {
        b.iter(|| {
            app.view.dirty = true;
            term.draw(|f| app.draw(f)).unwrap();
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
