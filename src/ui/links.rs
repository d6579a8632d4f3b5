//! Links on steps, criteria, probes and severities (`links = [{ title, url }]`;
//! a severity's are the open incident's, in the Escalation pane): listed,
//! numbered, in the details view; `1`…`9` there copies that URL (tmux buffer
//! or OSC 52, which works over SSH) and shows it on the message line.
//!
//! Why not start a browser: warroom usually runs on a bastion over SSH, where
//! `xdg-open` would open nothing (or open it on the wrong machine); the
//! operator's own terminal and clipboard are where the URL is useful.
//! URLs are shown sanitised (no control characters reach the terminal).
//!
//! A URL is filled with vars at load, so it may hold a var's secret value
//! (an `env:NAME` var, a `secret_vars` one): it is drawn and copied only with
//! the secret hidden as `‹NAME›`, and such a link is not made an OSC 8
//! hyperlink (docs/runbook-format.md, "Secrets").

use ratatui::text::Line;

use crate::domain::channel::Link;
use crate::domain::runbook::IncidentSeverity;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{plain, styled};
use crate::ui::effect::Effect;
use crate::ui::items;
use crate::ui::panes::PaneId;
use crate::ui::text::clean;
use crate::ui::theme::Role;

/// The links of the item shown in details.
pub fn of(app: &App, pane: PaneId, index: usize) -> &[Link] {
    let rb = &app.model.runbook;
    match pane {
        PaneId::Checklist => items::criteria(rb).get(index).map(|c| c.links.as_slice()),
        PaneId::Steps => items::steps(rb).get(index).map(|s| s.links.as_slice()),
        PaneId::Probes => rb.probes.get(index).map(|p| p.links.as_slice()),
        // The open incident's, from its severity, whichever level is selected.
        PaneId::Escalation => open_severity(app).map(|s| s.links.as_slice()),
        PaneId::Logs => None,
    }
    .unwrap_or(&[])
}

/// The `[[severity]]` of the open incident, if it has one the runbook knows.
pub fn open_severity(app: &App) -> Option<&IncidentSeverity> {
    let inc = app.model.state.incident.as_ref().filter(|i| i.is_open())?;
    app.model.runbook.severity(inc.severity()?)
}

/// A link's URL as it is drawn and copied: a secret in it hidden, cleaned.
pub fn url(app: &App, link: &Link) -> String {
    app.model.shown(&link.url)
}

/// The OSC 8 target of a link: its URL, unless a secret had to be hidden in
/// it (the target would then be the hidden form, which opens nothing useful).
pub fn hyperlink_target(app: &App, link: &Link) -> Option<String> {
    let shown = url(app, link);
    (shown == clean(&link.url)).then_some(shown)
}

/// `links` lines for the details view: `  1  Grafana  https://…`.
pub fn lines(app: &App, links: &[Link]) -> Vec<Line<'static>> {
    if links.is_empty() {
        return Vec::new();
    }
    let urls: Vec<String> = links.iter().take(9).map(|l| url(app, l)).collect();
    let hidden = links.iter().zip(&urls).any(|(l, u)| *u != clean(&l.url));
    let head = if hidden {
        "links (press the number to copy the URL; a secret stays hidden as ‹NAME›: fill it in yourself)"
    } else {
        "links (press the number to copy the URL)"
    };
    let mut out = vec![Line::from(""), Line::from(styled(app, Role::Muted, head))];
    for (i, (l, u)) in links.iter().zip(urls).enumerate() {
        out.push(Line::from(vec![
            styled(app, Role::Accent, format!("  {}  ", i + 1)),
            plain(format!("{}  ", clean(&l.title))),
            styled(app, Role::Muted, u),
        ]));
    }
    out
}

/// `1`…`9` in details: copy link `n` (1-based), a secret in it hidden; the copy says where it went.
pub fn open(app: &App, pane: PaneId, index: usize, n: usize) -> Vec<Effect> {
    match of(app, pane, index).get(n.wrapping_sub(1)) {
        Some(l) => vec![Effect::Copy(url(app, l))],
        None => vec![Effect::Say(format!("no link {n} here"), MsgKind::Info)],
    }
}
