//! `[session]`: settings of the session itself rather than of the go-live.
//! For now `journal`: where the team's shared journal lives (a file, or a
//! `postgres://` URL), or `env:NAME` to read it from the environment, so a
//! database password never has to be written into the runbook.

use super::reader::{Ctx, Table};
use crate::domain::runbook::{JournalSetting, SessionSettings};

pub(super) fn session(ctx: &mut Ctx, t: &Table) -> SessionSettings {
    t.check_keys(ctx, &["journal"]);
    let journal = t.str(ctx, "journal").and_then(|s| {
        let span = s.span();
        let text = s.into_inner();
        match text.strip_prefix("env:") {
            Some(var) if !var.is_empty() => Some(JournalSetting::Env(var.to_string())),
            Some(_) => {
                ctx.error(&span, "[session] journal: write env:NAME to read it from the environment variable NAME");
                None
            }
            None if text.trim().is_empty() => {
                ctx.error(&span, "[session] journal is empty: give a file, a postgres:// URL, or env:NAME");
                None
            }
            None => Some(JournalSetting::Location(text)),
        }
    });
    SessionSettings { journal }
}

#[cfg(test)]
mod tests {
    use crate::domain::loader::load_bytes;
    use crate::domain::runbook::JournalSetting;
    use std::path::Path;

    fn load(session: &str) -> Result<Option<JournalSetting>, String> {
        let text = format!("[runbook]\nid = \"x\"\n\n[session]\n{session}\n");
        load_bytes(Path::new("rb.toml"), text.as_bytes())
            .map(|l| l.runbook.session.journal)
            .map_err(|d| d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n"))
    }

    #[test]
    fn journal_is_a_location_or_an_environment_variable() {
        assert_eq!(
            load("journal = \"postgres://a@h/db?session=s\""),
            Ok(Some(JournalSetting::Location("postgres://a@h/db?session=s".into())))
        );
        assert_eq!(load("journal = \"env:TEAM_JOURNAL\""), Ok(Some(JournalSetting::Env("TEAM_JOURNAL".into()))));
        let e = load("journal = \"env:\"").unwrap_err();
        assert!(e.contains("rb.toml:5:") && e.contains("env:NAME"), "{e}");
        let e = load("jornal = \"x\"").unwrap_err();
        assert!(e.contains("jornal"), "{e}");
    }
}
