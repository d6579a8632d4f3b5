//! Where messages go (`[[channel]]`) and the links items carry
//! (`links = [{ title, url }]`). See docs/templates.md ("Sending") and
//! docs/runbook-format.md.

use super::runbook::HeaderValue;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChannelKind {
    /// Slack-compatible incoming webhook: the body is `{"text": "..."}`.
    Slack,
    /// A generic JSON POST (Mattermost, Teams relays, chat bots): the body
    /// carries the text plus what it is about (docs/templates.md).
    Webhook,
}

impl ChannelKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Slack => "slack",
            ChannelKind::Webhook => "webhook",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Channel {
    pub id: String,
    pub title: String,
    pub kind: ChannelKind,
    /// Usually `env:NAME`: a webhook URL is a secret. Never shown, journaled or reported.
    pub url: HeaderValue,
    pub headers: Vec<(String, HeaderValue)>,
}

/// A dashboard, ticket or runbook page an item points to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    pub url: String,
}
