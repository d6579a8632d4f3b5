//! The message history (docs/console.md, "Messages"): every message the console
//! says — warnings at start, refusals, run results, torn journal tails,
//! records it could not read — is kept here, newest last, so none is lost to
//! the one-line message bar. The status line shows the newest and how many
//! arrived since the history was last opened (`m`, or `messages` in the palette).

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::app::MsgKind;

/// Messages kept; older ones are dropped (and counted).
pub const KEEP: usize = 1_000;

#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub at: DateTime<Utc>,
    pub kind: MsgKind,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct MessageLog {
    items: VecDeque<Message>,
    /// Said since the history was last opened.
    unread: usize,
    /// Dropped off the front to stay within [`KEEP`].
    dropped: u64,
    /// Every time something was said, the same message again included: the
    /// message line shows the newest while nothing dismissed it (`View::dismissed`).
    said: u64,
}

impl MessageLog {
    pub fn push(&mut self, at: DateTime<Utc>, kind: MsgKind, text: String) {
        self.said += 1;
        // The same message again (a key pressed twice) is not news.
        if self.items.back().is_some_and(|m| m.text == text && m.kind == kind) {
            if let Some(last) = self.items.back_mut() {
                last.at = at;
            }
            return;
        }
        self.items.push_back(Message { at, kind, text });
        self.unread = (self.unread + 1).min(KEEP);
        while self.items.len() > KEEP {
            self.items.pop_front();
            self.dropped += 1;
        }
    }

    pub fn unread(&self) -> usize {
        self.unread
    }

    /// The history was opened: everything in it has been seen.
    pub fn mark_read(&mut self) {
        self.unread = 0;
    }

    pub fn newest(&self) -> Option<&Message> {
        self.items.back()
    }

    /// Oldest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Message> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many times something was said, repeats included.
    pub fn said(&self) -> u64 {
        self.said
    }

    /// The message for the message line: the newest, unless every message
    /// up to it was dismissed (`dismissed` is a `said()` count).
    pub fn shown(&self, dismissed: u64) -> Option<&Message> {
        (self.said > dismissed).then(|| self.items.back()).flatten()
    }

    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// How many were ever said (kept or dropped): a position for [`MessageLog::since`].
    pub fn total(&self) -> u64 {
        self.dropped + self.items.len() as u64
    }

    /// Those said after position `total` (as far as they are still kept).
    pub fn since(&self, total: u64) -> impl Iterator<Item = &Message> {
        let skip = total.saturating_sub(self.dropped) as usize;
        self.items.iter().skip(skip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_message_counts_unread_and_bounds_memory() {
        let mut log = MessageLog::default();
        let at = crate::sources::clock::now();
        log.push(at, MsgKind::Warn, "first".into());
        log.push(at, MsgKind::Warn, "second".into());
        log.push(at, MsgKind::Warn, "second".into());
        assert_eq!(log.unread(), 2);
        assert_eq!(log.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), ["first", "second"]);
        log.mark_read();
        assert_eq!(log.unread(), 0);
        for i in 0..KEEP + 5 {
            log.push(at, MsgKind::Info, format!("m{i}"));
        }
        assert_eq!(log.len(), KEEP);
        assert_eq!(log.dropped(), 7);
        assert_eq!(log.newest().unwrap().text, format!("m{}", KEEP + 4));
    }
}
