//! "Why not GO" as the console says it (the list is `domain::why_not_go`):
//! one line per blocking criterion, for the `y` overlay and the decision dialog.

use crate::domain::event::Verdict;
use crate::domain::why_not_go::{blockers, Blocker};
use crate::ui::app::App;
use crate::ui::text::clean;

/// `FAIL    [critical] api-health — API health reports UP · since 10:57:10 (3m ago) by ana · auto from probe:api: …`
pub fn line(app: &App, b: &Blocker) -> String {
    let word = if b.verdict == Verdict::Fail { "FAIL   " } else { "PENDING" };
    let since = match b.since {
        Some(t) => {
            let ago = (app.model.now - t).num_seconds().max(0);
            let ago = if ago >= 3600 {
                format!("{}h{:02}m", ago / 3600, ago % 3600 / 60)
            } else if ago >= 60 {
                format!("{}m", ago / 60)
            } else {
                format!("{ago}s")
            };
            format!("since {} ({ago} ago)", t.format("%H:%M:%S"))
        }
        None => "never answered".into(),
    };
    let by = b.by.as_ref().map(|b| format!(" by {}", clean(b))).unwrap_or_default();
    format!(
        "{word} [{}] {} — {} · {since}{by} · {}",
        b.severity.as_str(),
        clean(&b.id),
        clean(&b.title),
        clean(&b.source)
    )
}

/// Every line, or the one sentence saying nothing blocks.
pub fn lines(app: &App) -> Vec<String> {
    let list = blockers(&app.model.runbook, &app.model.state);
    if list.is_empty() {
        return vec![
            "nothing blocks: every critical and high criterion passes (or is N/A) — the recommendation is GO".into()
        ];
    }
    list.iter().map(|b| line(app, b)).collect()
}

/// The `y` overlay.
pub fn open(app: &mut App) {
    let n = blockers(&app.model.runbook, &app.model.state).len();
    let title = format!("Why not GO — rec: {} — {n} blocking", super::recommend::shown(app));
    let body = lines(app);
    app.view.overlay.open(super::overlay::Overlay::Text(super::overlay::text::TextView::new(title, body)));
}
