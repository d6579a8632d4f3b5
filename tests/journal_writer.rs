//! The console's journal writer thread, below the terminal: acts are shown at
//! once, their records come back from the writer and are matched, not
//! counted twice; what the screen shows is what a fresh reader of the
//! journal folds. A real journal file, a real writer thread.

#[path = "support/console.rs"]
mod console_support;

use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use warroom::domain::event::{EventKind, MarkSource, ProbeHealth, Verdict};
use warroom::domain::state::SessionState;
use warroom::sources::journal::{Journal, Written};
use warroom::ui::session::Session;

const RUNBOOK: &str = r#"[runbook]
id = "writer"
title = "Writer"

[[phase]]
id = "p"
title = "P"

[[step]]
id = "s"
phase = "p"
title = "S"
manual = true

[[criterion]]
id = "c"
title = "C"
severity = "critical"
"#;

fn session(dir: &Path) -> Session {
    console_support::session(console_support::runbook(dir, RUNBOOK), &dir.join("journal.jsonl"), "ana", None)
}

/// Folds writer reports until nothing is ahead of the journal.
async fn settle(s: &mut Session, rx: &mut tokio::sync::mpsc::UnboundedReceiver<Written>) {
    tokio::time::timeout(Duration::from_secs(60), async {
        while !s.ahead.is_empty() {
            let w = rx.recv().await.expect("the writer reports");
            s.on_written(w);
        }
    })
    .await
    .expect("the writer never wrote everything");
}

#[tokio::test]
async fn acts_show_at_once_and_their_records_are_matched_not_counted_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = session(dir.path());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    s.start_writer(tx);
    assert!(s.writer.is_some());

    let probe = |health| EventKind::ProbeChanged { probe: "api".into(), health, cause: None };
    let mark = EventKind::CriterionMarked {
        criterion: "c".into(),
        verdict: Verdict::Fail,
        note: Some("by hand".into()),
        source: MarkSource::Manual,
        cause: None,
    };
    s.append("probe", &probe(ProbeHealth::Down));
    s.append("ana", &mark);
    s.append("probe", &probe(ProbeHealth::Up));
    // Shown before any record came back.
    assert_eq!(s.app.model.state.verdict("c"), Verdict::Fail);
    assert_eq!(s.app.model.state.probe_history.len(), 2);
    assert_eq!(s.app.model.state.last_seq, 0);

    settle(&mut s, &mut rx).await;
    assert_eq!(s.app.model.state.last_seq, 3);
    // The journal's state, folded from scratch, is exactly what is shown: nothing twice.
    let fresh = SessionState::from_records(&Journal::open(&dir.path().join("journal.jsonl")).unwrap().records);
    let shown = &s.app.model.state;
    assert_eq!(shown.probe_history.len(), 2, "{:?}", shown.probe_history);
    assert_eq!(shown.criteria, fresh.criteria);
    assert_eq!(shown.probes, fresh.probes);
    assert_eq!(shown.last_seq, fresh.last_seq);

    // Another writer's record of the same kind landing before ours: the state
    // is folded again, so the last verdict shown is the journal's last one.
    let mut other = Journal::open(&dir.path().join("journal.jsonl")).unwrap().journal;
    let pass = EventKind::CriterionMarked {
        criterion: "c".into(),
        verdict: Verdict::Pass,
        note: None,
        source: MarkSource::Manual,
        cause: None,
    };
    s.append("ana", &pass);
    other.append("bob", Utc::now(), &mark).unwrap();
    settle(&mut s, &mut rx).await;
    // (Whichever landed first; a poll reads what the writer did not.)
    s.poll();
    let fresh = SessionState::from_records(&Journal::open(&dir.path().join("journal.jsonl")).unwrap().records);
    assert_eq!(s.app.model.state.criteria, fresh.criteria);

    // At exit the writer writes session.closed.
    let w = s.writer.take().unwrap();
    assert!(w.close("ana"));
    let body = std::fs::read_to_string(dir.path().join("journal.jsonl")).unwrap();
    assert!(body.lines().last().unwrap().contains("\"session.closed\""), "{body}");
}
