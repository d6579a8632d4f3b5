//! The status line's team segments: the countdown to T-0 with the phase by
//! time (`T-2d 04h deploy`), and each channel's state (`golive ✓  alerts ✗500`).
//! A failing channel is always shown (Fail colour and symbol), never hidden.

use ratatui::text::Span;

use crate::domain::countdown;
use crate::ui::app::App;
use crate::ui::chrome::styled;
use crate::ui::text::clean;
use crate::ui::theme::Role;
use crate::ui::wiring::channels::status_words;

/// Spans to put before the clock; empty when the runbook has no t0 and no
/// channels. `width` is the status line's: below 120 columns the phase is left
/// out and only channels that are not fine are named (`ch ✓` when all are);
/// below 100 the countdown gives way too, a failing channel never does.
pub fn segments(app: &App, width: usize) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let narrow = width < 120;
    if let Some(t0) = countdown::t0(&app.model.runbook, &app.model.state).filter(|_| width >= 100) {
        let mut text = countdown::label(t0, app.model.now);
        if let Some(p) = countdown::current_phase(&app.model.runbook, t0, app.model.now).filter(|_| !narrow) {
            text.push(' ');
            text.push_str(&clean(&p.id));
        }
        spans.push(styled(app, Role::Status, " │ "));
        spans.push(styled(app, Role::Accent, text));
    }
    let mut words = status_words(app);
    if narrow && !words.is_empty() {
        let all_fine = words.iter().all(|(_, ok)| *ok);
        words.retain(|(_, ok)| !ok);
        if all_fine {
            let sym = if app.view.symbols.ascii { "ok" } else { "✓" };
            let any_sent = app.model.runbook.channels.iter().any(|c| app.model.state.channels.contains_key(&c.id));
            words.push((if any_sent { sym.to_string() } else { "·".to_string() }, true));
        }
    }
    if !words.is_empty() {
        spans.push(styled(app, Role::Status, " │ ch "));
        for (i, (w, ok)) in words.into_iter().enumerate() {
            if i > 0 {
                spans.push(styled(app, Role::Status, "  "));
            }
            spans.push(styled(app, if ok { Role::Status } else { Role::Fail }, w));
        }
    }
    spans
}
