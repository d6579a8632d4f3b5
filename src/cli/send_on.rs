//! Automatic messages (`send_on`) for events a headless command wrote.
//! `warroom incident …` is what a pager or a chat bot calls: the team hears of
//! an incident declared that way as it would of one declared in a console,
//! because whoever writes an event sends its messages (docs/templates.md,
//! "Sending"). The command waits for its deliveries (retries included: a
//! receiver that is down is given up on within about 30 s), says each outcome,
//! and journals it (`message.sent` / `message.failed`). The act itself is
//! recorded whatever the chat does, so a failed message does not change the
//! exit code.

use chrono::Utc;

use crate::domain::event::EventKind;
use crate::domain::labels;
use crate::domain::redact::Redactor;
use crate::domain::runbook::Runbook;
use crate::domain::sanitize::clean;
use crate::domain::state::SessionState;
use crate::domain::template::Context;
use crate::sources::channels::{self, Delivery, DeliveryState, RetryPolicy};
use crate::sources::journal::Journal;

/// Sends what `events` (just written by `who`, folded into `state`) call for.
pub fn send(journal: &mut Journal, rb: &Runbook, state: &mut SessionState, who: &str, events: &[EventKind]) {
    if !rb.templates.iter().any(|t| !t.send_on.is_empty()) {
        return;
    }
    let vars = crate::domain::vars::effective_vars(&rb.vars, |k| std::env::var(k).ok());
    let redactor = Redactor::for_runbook(rb, &vars, |k| std::env::var(k).ok());
    let now = Utc::now();
    let ctx = Context { runbook: rb, state, now, operator: who, vars: &vars };
    let deliveries: Vec<Delivery> = events.iter().flat_map(|ev| channels::automatic(&ctx, &redactor, ev)).collect();
    if deliveries.is_empty() {
        return;
    }
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            errln!("warroom: messages not sent: cannot start the network runtime: {e}");
            return;
        }
    };
    let outcomes = rt.block_on(async {
        let client = channels::client();
        let tasks: Vec<_> = deliveries
            .into_iter()
            .map(|d| {
                let client = client.clone();
                tokio::spawn(async move {
                    let state = channels::deliver(&client, &d, RetryPolicy::default(), |st| {
                        if let DeliveryState::Retrying { attempt, error, next_in } = st {
                            errln!(
                                "warroom: message {} to {}: attempt {attempt} failed ({}), retrying in {}s",
                                clean(&d.template),
                                clean(&d.channel.id),
                                clean(&error),
                                next_in.as_secs()
                            );
                        }
                    })
                    .await;
                    (d, state)
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            if let Ok(o) = t.await {
                out.push(o);
            }
        }
        out
    });
    for (d, outcome) in outcomes {
        let (t, ch) = (clean(&d.template), clean(&d.channel.id));
        let event = match outcome {
            DeliveryState::Sent { attempts, status } => {
                outln!("sent: message {t} to {ch} (HTTP {status}, attempt {attempts})");
                EventKind::MessageSent {
                    template: d.template,
                    channel: d.channel.id,
                    on: d.on,
                    attempts,
                    status,
                    text: d.text,
                }
            }
            DeliveryState::Failed { attempts, status, error } => {
                errln!("warroom: message {t} NOT sent to {ch} {}: {}", labels::attempts(attempts), clean(&error));
                EventKind::MessageFailed {
                    template: d.template,
                    channel: d.channel.id,
                    on: d.on,
                    attempts,
                    status,
                    error,
                }
            }
            DeliveryState::Retrying { .. } => continue,
        };
        match journal.append(who, Utc::now(), &event) {
            Ok(recs) => recs.iter().for_each(|r| state.apply(r)),
            Err(e) => errln!("warroom: the message's outcome was not journaled: {e}"),
        }
    }
}
