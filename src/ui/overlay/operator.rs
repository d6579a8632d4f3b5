//! `o`: who is at the keyboard. Pairing in one tmux session, the second
//! person picks their name (every later act carries it, `operator.switched`).
//!
//! The dialog offers the names already seen in the session and the members
//! of the runbook's roles (↑/↓ pick, typing filters; a new name can still be
//! typed), so that a typo does not become a new participant: a typed name
//! that is the same name as a known one (case, width, look-alike letters)
//! becomes the known one. Names with control or invisible characters are
//! refused. It also says when the picked person's approval would not count
//! as another person's from this console (`distinct = "user"` / `"key"`: this
//! console writes as one Unix user, signs with one key).

use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use ratatui_textarea::TextArea;

use super::hint::{dialog_key, hint, Part};
use super::{act, centered, close, done, stay, Handled, Layer};
use crate::domain::approvals::{self, Refusal};
use crate::domain::event::EventKind;
use crate::domain::identity::{check_name, name_key, same_name, Actor, NameError};
use crate::domain::runbook::Distinct;
use crate::ui::action::DialogAction;
use crate::ui::app::{App, MsgKind};
use crate::ui::chrome::{dialog_block, plain, styled};
use crate::ui::effect::{Effect, ModelChange};
use crate::ui::text::clean;
use crate::ui::theme::Role;

/// How many candidate names the dialog lists at once.
const SHOWN: usize = 6;

pub struct OperatorDialog {
    pub input: TextArea<'static>,
    pub error: Option<String>,
    /// Names seen in the session, then role members; one per person.
    pub candidates: Vec<String>,
    /// Index into the filtered candidates, when one is picked with ↑/↓.
    pub picked: Option<usize>,
}

impl OperatorDialog {
    pub fn new(current: &str) -> Self {
        let mut input = TextArea::default();
        input.set_placeholder_text(format!("name (now: {}) — ↑/↓ picks a known one", clean(current)));
        input.set_cursor_line_style(ratatui::style::Style::default());
        OperatorDialog { input, error: None, candidates: Vec::new(), picked: None }
    }

    /// The dialog offering the session's names and the roles' members.
    pub fn for_app(app: &App) -> Self {
        let mut candidates: Vec<String> = Vec::new();
        let seen = app.model.state.operators.iter().cloned();
        for name in seen.chain(app.model.runbook.access.member_names()) {
            if check_name(&name).is_ok() && !candidates.iter().any(|c| same_name(c, &name)) {
                candidates.push(name);
            }
        }
        OperatorDialog { candidates, ..Self::new(&app.model.operator) }
    }

    fn typed(&self) -> String {
        self.input.lines().join(" ").trim().to_string()
    }

    /// Candidates matching what is typed (by name key prefix or substring).
    pub fn filtered(&self) -> Vec<&String> {
        let typed = name_key(&self.typed());
        self.candidates.iter().filter(|c| typed.is_empty() || name_key(c).contains(&typed)).collect()
    }

    /// The name Enter would switch to: the picked candidate, else the typed
    /// name — as the known spelling when it is the same name as a known one.
    fn choice(&self) -> Option<String> {
        if let Some(name) = self.picked.and_then(|i| self.filtered().get(i).map(|s| s.to_string())) {
            return Some(name);
        }
        let typed = self.typed();
        if typed.is_empty() {
            return None;
        }
        Some(self.candidates.iter().find(|c| same_name(c, &typed)).cloned().unwrap_or(typed))
    }
}

/// Why `name`'s approval, given from this console, would not count as
/// another person's for some rollback (`None`: it would, or none needs it).
pub fn approval_note(app: &App, name: &str) -> Option<String> {
    let who = Actor { operator: name.to_string(), user: app.model.user.clone(), key: app.model.signing_key.clone() };
    for rb in app.model.runbook.rollbacks.iter().filter(|r| r.approvals >= 2 && r.distinct != Distinct::Operator) {
        if let Err(Refusal::NotDistinct { why, .. }) =
            approvals::can_approve(&app.model.runbook, &app.model.state, &rb.id, &who, false)
        {
            return Some(format!("{name} cannot count as a second approver of rollback {} here: {why}", rb.id));
        }
    }
    let strict: Vec<&str> = app
        .model
        .runbook
        .rollbacks
        .iter()
        .filter(|r| r.approvals >= 2 && r.distinct != Distinct::Operator)
        .map(|r| r.id.as_str())
        .collect();
    (!strict.is_empty()).then(|| {
        let what = match &app.model.user {
            Some(u) => format!("Unix user {u}"),
            None => "one Unix user".into(),
        };
        format!(
            "this console writes as {what}: it gives at most one approval of {} — others approve from their own login",
            strict.join(", ")
        )
    })
}

pub fn on_key(app: &App, o: &mut OperatorDialog, key: KeyEvent) -> Handled {
    match act(app, Layer::Operator, &key) {
        Some(DialogAction::Close) => return close(),
        Some(DialogAction::Down) => {
            let n = o.filtered().len();
            if n > 0 {
                o.picked = Some(o.picked.map_or(0, |i| (i + 1).min(n - 1)));
            }
            return stay();
        }
        Some(DialogAction::Up) => {
            o.picked = o.picked.and_then(|i| i.checked_sub(1));
            return stay();
        }
        Some(DialogAction::Submit) => {
            // What was typed is checked as typed, before it can match a known name.
            if o.picked.is_none() {
                if let Err(e @ NameError::Invisible { .. }) = check_name(&o.typed()) {
                    o.error = Some(e.to_string());
                    return stay();
                }
            }
            let Some(to) = o.choice() else {
                o.error = Some(format!(
                    "type a name or pick one with {}/{}, or {} to keep the current one",
                    dialog_key(app, Layer::Operator, DialogAction::Up, false),
                    dialog_key(app, Layer::Operator, DialogAction::Down, false),
                    dialog_key(app, Layer::Operator, DialogAction::Close, false)
                ));
                return stay();
            };
            let to = match check_name(&to) {
                Ok(t) => t,
                Err(e) => {
                    o.error = Some(e.to_string());
                    return stay();
                }
            };
            if to == app.model.operator {
                return close();
            }
            let from = app.model.operator.clone();
            let mut said = format!("operator is now {}", clean(&to));
            if let Some(note) = approval_note(app, &to) {
                said.push_str(&format!(" — {}", clean(&note)));
            }
            // The switch is journaled as the one handing over; later acts are the new operator's.
            return done(vec![
                Effect::Model(ModelChange::SwitchOperator(to.clone())),
                Effect::Say(said, MsgKind::Info),
                Effect::Append { operator: from.clone(), event: EventKind::OperatorSwitched { from, to } },
            ]);
        }
        _ => {}
    }
    o.input.input(key);
    o.error = None;
    o.picked = None;
    stay()
}

pub fn draw(frame: &mut Frame, app: &App, main: Rect, o: &OperatorDialog) {
    let filtered = o.filtered();
    let listed = filtered.len().min(SHOWN) as u16;
    let area = centered(main, 80, 12 + listed);
    frame.render_widget(Clear, area);
    let block = dialog_block(
        app,
        "Who is at the keyboard?",
        &hint(
            app,
            &[
                Part::Keys(Layer::Operator, &[DialogAction::Up, DialogAction::Down], "pick"),
                Part::Text("type a name"),
                Part::Keys(Layer::Operator, &[DialogAction::Submit], "switch"),
                Part::Keys(Layer::Operator, &[DialogAction::Close], "cancel"),
            ],
        ),
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let [now, input, list, note, err] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(3),
        Constraint::Length(listed.max(1)),
        Constraint::Length(3),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            styled(app, Role::Muted, "now: "),
            styled(app, Role::Accent, clean(&app.model.operator)),
        ])),
        now,
    );
    let mut ta = o.input.clone();
    ta.set_block(Block::default().borders(Borders::ALL));
    frame.render_widget(&ta, input);
    // Keep the picked one in view.
    let first = o.picked.map_or(0, |p| p.saturating_sub(SHOWN - 1));
    let rows: Vec<Line> = if filtered.is_empty() {
        vec![Line::from(styled(
            app,
            Role::Muted,
            format!("  (a new name: {} adds it)", dialog_key(app, Layer::Operator, DialogAction::Submit, false)),
        ))]
    } else {
        filtered
            .iter()
            .enumerate()
            .skip(first)
            .take(SHOWN)
            .map(|(i, name)| {
                let mark = if o.picked == Some(i) { "▶ " } else { "  " };
                let line = plain(format!("{mark}{}", clean(name)));
                if o.picked == Some(i) {
                    Line::from(line.patch_style(app.view.theme.style(Role::Selection)))
                } else {
                    Line::from(line)
                }
            })
            .collect()
    };
    frame.render_widget(Paragraph::new(rows), list);
    if let Some(text) = o.choice().and_then(|name| approval_note(app, &name)) {
        frame.render_widget(
            Paragraph::new(Line::from(styled(app, Role::Warn, clean(&text)))).wrap(Wrap { trim: true }),
            note,
        );
    }
    if let Some(e) = &o.error {
        frame.render_widget(Paragraph::new(styled(app, Role::Fail, e.clone())), err);
    }
}
