//! Sending templates to channels from the console (docs/templates.md, "Sending").
//!
//! Who sends an automatic (`send_on`) message: **only the console that wrote
//! the event**, right after its append succeeded. Every event is written by
//! exactly one process, so however many consoles watch the session the message
//! goes out once; a read-only console never writes, so never sends. Events
//! written by `warroom incident` are sent by that command (`cli::send_on`).
//!
//! Deliveries run as background tasks (`sources::channels`); their outcome
//! comes back here, is journaled (`message.sent` / `message.failed`) and shown
//! on the message line, and each channel's state stays on the status line.

use crate::domain::event::EventKind;
use crate::domain::labels;
use crate::domain::template::Context;
use crate::sources::channels::{self, Delivery, DeliveryState, DeliveryUpdate};
use crate::ui::app::{App, MsgKind};
use crate::ui::effect::Effect;
use crate::ui::model::Model;
use crate::ui::text::clean;

/// The deliveries of template `id` (filled now) to each of its `send_to` channels.
pub fn deliveries(app: &App, id: &str, on: Option<&str>) -> Vec<Delivery> {
    channels::filled(&context(app), &app.model.redactor, id, on)
}

/// The automatic sends for an event this console just wrote.
pub fn on_own_event(app: &App, event: &EventKind) -> Vec<Delivery> {
    channels::automatic(&context(app), &app.model.redactor, event)
}

fn context(app: &App) -> Context<'_> {
    Context {
        runbook: &app.model.runbook,
        state: &app.model.state,
        now: app.model.now,
        operator: &app.model.operator,
        vars: &app.model.vars,
    }
}

/// A delivery's progress: retries are shown, the outcome journaled and shown.
pub fn on_update(m: &mut Model, u: DeliveryUpdate) -> Vec<Effect> {
    let d = &u.delivery;
    let (t, ch) = (clean(&d.template), clean(&d.channel.id));
    match u.state {
        DeliveryState::Retrying { attempt, error, next_in } => {
            let secs = next_in.as_secs_f32();
            m.live.channels.insert(d.channel.id.clone(), format!("retrying after attempt {attempt}: {error}"));
            m.say(
                format!("message {t} to {ch}: attempt {attempt} failed ({}), retrying in {secs:.0}s", clean(&error)),
                MsgKind::Warn,
            );
            Vec::new()
        }
        DeliveryState::Sent { attempts, status } => {
            m.live.channels.remove(&d.channel.id);
            m.say(format!("message {t} sent to {ch} (HTTP {status}, attempt {attempts})"), MsgKind::Info);
            vec![m.append(EventKind::MessageSent {
                template: d.template.clone(),
                channel: d.channel.id.clone(),
                on: d.on.clone(),
                attempts,
                status,
                text: d.text.clone(),
            })]
        }
        DeliveryState::Failed { attempts, status, error } => {
            m.live.channels.remove(&d.channel.id);
            m.say(
                format!("message {t} NOT sent to {ch} {}: {}", labels::attempts(attempts), clean(&error)),
                MsgKind::Error,
            );
            vec![m.append(EventKind::MessageFailed {
                template: d.template.clone(),
                channel: d.channel.id.clone(),
                on: d.on.clone(),
                attempts,
                status,
                error,
            })]
        }
    }
}

/// Each channel's state for the status line: `golive ✓`, `alerts ✗500`, `golive ↻`.
pub fn status_words(app: &App) -> Vec<(String, bool)> {
    let (ok, bad, retry) = if app.view.symbols.ascii { ("ok", "FAIL", "retry") } else { ("✓", "✗", "↻") };
    app.model
        .runbook
        .channels
        .iter()
        .map(|c| {
            let id = clean(&c.id);
            if app.model.live.channels.contains_key(&c.id) {
                return (format!("{id} {retry}"), false);
            }
            match app.model.state.channels.get(&c.id).map(|d| &d.result) {
                None => (format!("{id} ·"), true),
                Some(Ok(_)) => (format!("{id} {ok}"), true),
                Some(Err((Some(st), _))) => (format!("{id} {bad}{st}"), false),
                Some(Err((None, _))) => (format!("{id} {bad}"), false),
            }
        })
        .collect()
}
