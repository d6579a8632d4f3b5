//! The console's loop: one `select!` over terminal input, the 1 s tick, source
//! events and signals. Each input goes to the shared driver (`ui::driver`),
//! which runs the app's effects (journal appends, polls, mouse mode, suspend, quit). Frames are drawn
//! only when something changed, at most 20 per second, so resizes coalesce
//! and an idle console only redraws the clock once a second.

use std::io;
use std::time::{Duration, Instant};

use ratatui::backend::CrosstermBackend;

use super::ansi16::TerminalOut;
use super::theme::ColorDepth;
use ratatui::crossterm::event::{self, Event};
use ratatui::Terminal;
use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

use crate::domain::event::EventKind;
use crate::domain::record::Record;
use crate::domain::state::SessionState;
use crate::sources::journal::{Journal, JournalError};
use crate::sources::{EventReceiver, EventSender};

use super::app::{App, MsgKind};
use super::driver::Input;
use super::effect::Effect;
use super::event::{Inbound, Signal};
use super::terminal;

/// TERM to KILL for runs when the terminal hung up or vanished: the console
/// must be gone within about two seconds, journal written.
const HANGUP_GRACE: Duration = Duration::from_millis(500);

/// At most one frame per this long (20 fps).
pub const FRAME: Duration = Duration::from_millis(50);

/// Why the loop ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Exit {
    Quit,
    Signal(Signal),
    /// The terminal went away (EOF/EIO on input).
    InputClosed(String),
}

/// Reads terminal events on a plain thread (crossterm's reader blocks) and
/// hands them to the loop. Ends when the loop is gone or input fails.
fn spawn_input(tx: mpsc::UnboundedSender<Inbound>) {
    let _ = std::thread::Builder::new().name("terminal-input".into()).spawn(move || loop {
        let ev = match event::read() {
            Ok(Event::Key(k)) => Inbound::Key(k),
            Ok(Event::Mouse(m)) => Inbound::Mouse(m),
            Ok(Event::Resize(w, h)) => Inbound::Resize(w, h),
            Ok(_) => continue,
            Err(e) => {
                let _ = tx.send(Inbound::InputClosed(e.to_string()));
                return;
            }
        };
        if tx.send(ev).is_err() {
            return;
        }
    });
}

/// The journal and the app, and running the app's effects against the journal.
pub struct Session {
    pub app: App,
    pub journal: Journal,
    /// The screen's content is unknown (after Ctrl-Z): repaint it whole.
    pub repaint: bool,
    /// For effects that start source tasks (a step run, a rollback): they
    /// `tokio::spawn` with a clone of this, and their events come back through
    /// `App::on_source`. Set by `run` before the first event.
    pub sources: Option<EventSender>,
    /// Processes and probes of this console (`ui::wiring::runs`).
    pub runs: super::wiring::runs::Runs,
    /// This console's presence file and lock (`ui::presence`); dropped on exit.
    pub announcer: Option<crate::sources::presence::Announcer>,
    /// When set (plain mode), every record folded in is also kept here, to be printed.
    pub echo: Option<Vec<Record>>,
    /// Source events the journal refused, waiting to be written (`ui::wiring::outbox`),
    /// when appends are made here rather than by `writer`.
    pub outbox: crate::sources::journal::Outbox,
    /// The journal writer thread (the full-screen console): appends go there,
    /// off this loop. `None`: appends are made here, synchronously.
    pub writer: Option<crate::sources::journal::WriterHandle>,
    /// Events sent to `writer` and already shown, oldest first, until their
    /// records come back (`ui::wiring::outbox`).
    pub ahead: std::collections::VecDeque<(String, EventKind)>,
    /// The time machine, when open: drawn instead of the live app, which keeps running.
    pub replay: Option<Box<super::replay::Replay>>,
    /// The act this console is appending right now, where the record comes
    /// back through a fold (not through `ahead`): its record is ours, not
    /// someone else's act to announce (`ui::activity`).
    pub(crate) own_act: Option<(String, EventKind)>,
    /// Everything folded while set is this console's own doing (its reaper
    /// ending others' abandoned runs says so itself).
    pub(crate) quiet: bool,
    /// Events this console wrote whose automatic messages (`send_on`) go out
    /// once the act that wrote them is complete (`flush_sends`): declaring an
    /// incident writes `incident.declared` then `incident.severity`, and the
    /// message names the severity.
    pub pending_sends: Vec<EventKind>,
}

impl Session {
    /// The console's app on an opened journal, its records folded in; no
    /// sources or runs yet (`run` starts them).
    pub fn new(mut app: App, opened: crate::sources::journal::Opened) -> Session {
        app.fold(&opened.records);
        // Replayed at start: in the feed, but nobody is told again.
        super::activity::replay(&mut app, &opened.records);
        let (user, key) = opened.journal.writer();
        app.user = Some(user);
        app.signing_key = key;
        Session {
            app,
            journal: opened.journal,
            repaint: false,
            sources: None,
            runs: Default::default(),
            echo: None,
            outbox: Default::default(),
            writer: None,
            ahead: Default::default(),
            announcer: None,
            replay: None,
            own_act: None,
            quiet: false,
            pending_sends: Vec::new(),
        }
    }

    /// Folds what the journal returned; gives back the records that were new.
    pub(crate) fn fold_result(&mut self, got: Result<Vec<Record>, JournalError>) -> Vec<Record> {
        let mut new = Vec::new();
        match got {
            Ok(records) => {
                if self.journal.take_reloaded() {
                    self.app.state = SessionState::default();
                    self.app.say("journal was replaced or shrank: reloaded from the start", MsgKind::Warn);
                }
                let last = self.app.state.last_seq;
                self.fold_records(&records);
                new = records.into_iter().filter(|r| r.seq > last).collect();
                if let Some(echo) = &mut self.echo {
                    echo.extend(new.iter().cloned());
                }
            }
            Err(e) => self.app.say(format!("journal: {e}"), MsgKind::Error),
        }
        if let Some(r) = self.journal.read_only_reason() {
            if self.app.read_only.is_none() || self.app.journal_down {
                self.app.read_only = Some(r);
                // An unreachable database refuses acts only while it lasts.
                self.app.journal_down = self.journal.unavailable_since().is_some();
            }
        } else if std::mem::take(&mut self.app.journal_down) {
            self.app.read_only = None;
            self.app.say("journal database reachable again: acts are recorded", MsgKind::Info);
        }
        for w in self.journal.take_warnings() {
            self.app.say(w, MsgKind::Warn);
        }
        new
    }

    /// Appends as `operator` (nothing when read-only); returns the new records
    /// folded in (none yet when the writer thread makes the append). A source's
    /// event the journal refuses waits in the outbox (`ui::wiring::outbox`).
    pub fn append(&mut self, operator: &str, event: &EventKind) -> Vec<Record> {
        if !self.may_journal(event) {
            return Vec::new();
        }
        // The last guard before the shared, append-only journal: no secret in any field.
        let event = self.app.redactor.event(event.clone());
        self.append_event(operator, &event)
    }

    /// Automatic sends (`send_on`) for an event this console wrote: the
    /// writer sends, so the message goes out once however many consoles
    /// watch (`ui::wiring::channels`). Called once the event is written (or,
    /// for a source's event the journal refused, once it is shown while it
    /// waits in the outbox); sent by `flush_sends` when the act is complete.
    pub(crate) fn send_on(&mut self, event: &EventKind) {
        let kind = event.name();
        if self.app.runbook.templates.iter().any(|t| t.send_on.iter().any(|k| k == kind)) {
            self.pending_sends.push(event.clone());
        }
    }

    /// Fills and starts the automatic sends of what was written (after each
    /// batch of effects, and each report of the journal writer).
    pub fn flush_sends(&mut self) {
        // A rehearsal's clock runs fast: a tick-old "now" is minutes old
        // there, and a message would say a time (and time left) already past.
        if !self.pending_sends.is_empty() && crate::sources::clock::speed() > 1 {
            self.app.now = crate::sources::clock::now().max(self.app.now);
        }
        for event in std::mem::take(&mut self.pending_sends) {
            let deliveries = super::wiring::channels::on_own_event(&self.app, &event);
            if !deliveries.is_empty() {
                self.send(deliveries);
            }
        }
    }

    /// Starts deliveries in the background; their outcome comes back as source events.
    pub(crate) fn send(&mut self, deliveries: Vec<crate::sources::channels::Delivery>) {
        use crate::sources::channels;
        let Some(tx) = self.sources.clone() else { return };
        for d in deliveries {
            channels::spawn(channels::shared_client(), d, channels::RetryPolicy::default(), tx.clone());
        }
    }

    /// Appends unless `refuse`, shown others' records not yet folded here
    /// (read under the journal's lock), gives a reason; that reason is returned.
    /// Either way what was read is folded in. A journal error also comes back
    /// as the reason (the act was not recorded).
    pub fn append_unless(
        &mut self,
        operator: &str,
        event: &EventKind,
        refuse: impl FnOnce(&[Record]) -> Option<String> + Send + 'static,
    ) -> Option<String> {
        if let Some(why) = self.app.read_only.clone() {
            return Some(why);
        }
        let event = self.app.redactor.event(event.clone());
        self.own_act = Some((operator.to_string(), event.clone()));
        let refused = self.append_unless_now(operator, &event, refuse);
        self.own_act = None;
        refused
    }

    fn append_unless_now(
        &mut self,
        operator: &str,
        event: &EventKind,
        refuse: impl FnOnce(&[Record]) -> Option<String> + Send + 'static,
    ) -> Option<String> {
        let event = event.clone();
        if let Some(w) = &self.writer {
            return match w.start(operator, crate::sources::clock::now(), &event, Box::new(refuse)) {
                Ok((records, refused)) => {
                    self.fold_result(Ok(records));
                    if refused.is_none() {
                        self.send_on(&event);
                    }
                    refused
                }
                Err(why) => Some(why),
            };
        }
        if let Some(why) = self.outbox_blocks_acts(crate::sources::clock::now()) {
            return Some(why);
        }
        let got = self.journal.append_unless(operator, crate::sources::clock::now(), &event, refuse);
        let (got, refused) = match got {
            Ok((records, refused)) => (Ok(records), refused),
            Err(e) => {
                let why = e.to_string();
                self.fold_result(Err(e));
                return Some(why);
            }
        };
        self.fold_result(got);
        if refused.is_none() {
            self.send_on(&event);
        }
        refused
    }

    /// Moves appends to a journal writer thread with its own handle on the
    /// journal; its reports come on `reports` (`on_written`). Without it
    /// (tests, plain mode) appends are made here.
    pub fn start_writer(&mut self, reports: mpsc::UnboundedSender<crate::sources::journal::Written>) {
        if self.app.read_only.is_some() {
            return;
        }
        let journal = match self.journal.reopen() {
            Ok(mut j) => {
                // The writer's own handle signs as this console does.
                if let Some(s) = self.journal.signer() {
                    j.set_signer(s.clone());
                }
                j
            }
            Err(e) => {
                self.app.say(format!("journal writer not started, writing from the console: {e}"), MsgKind::Warn);
                return;
            }
        };
        match crate::sources::journal::WriterHandle::spawn(journal, reports) {
            Ok(w) => self.writer = Some(w),
            Err(e) => self.app.say(format!("journal writer not started, writing from the console: {e}"), MsgKind::Warn),
        }
    }

    /// Reads others' new records; returns them, folded in.
    pub fn poll(&mut self) -> Vec<Record> {
        let got = self.journal.poll();
        self.fold_result(got)
    }
}

/// Clears the screen and forgets what was drawn, so the next frame is drawn
/// whole. Not `Terminal::clear`: that asks the terminal for the cursor
/// position, a query that stalls while our input thread reads the replies.
fn full_repaint(term: &mut Terminal<CrosstermBackend<TerminalOut<io::Stdout>>>) -> io::Result<()> {
    let size = term.size()?;
    term.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))
}

/// Runs the console until quit, a signal or the terminal going away.
/// `sources` is the sending half handed to source tasks; their events arrive on `source_rx`.
pub async fn run(mut session: Session, sources: EventSender, mut source_rx: EventReceiver) -> io::Result<Exit> {
    terminal::install_panic_hook();
    terminal::enter()?;
    let _guard = terminal::Guard;
    // Never dropped: ratatui's drop would show the cursor a second time after
    // `terminal::restore` (or after the panic hook), and teardown runs exactly once (T11).
    let sixteen = session.app.theme.depth == ColorDepth::C16;
    let out = TerminalOut::new(io::stdout(), sixteen);
    let mut term = std::mem::ManuallyDrop::new(Terminal::new(CrosstermBackend::new(out))?);
    full_repaint(&mut term)?;

    let (in_tx, mut in_rx) = mpsc::unbounded_channel::<Inbound>();
    spawn_input(in_tx);
    // Appends from here on are made by the journal writer thread, off this loop.
    let (written_tx, mut written_rx) = mpsc::unbounded_channel();
    session.start_writer(written_tx);
    let _watch = session.journal.watch(sources.clone());
    session.sources = Some(sources.clone());
    session.start_procs(sources.clone());
    // Runs left behind by a console that is gone are ended now, not left RUNNING.
    session.reap_runs();
    // The time machine opened on its own only reads the journal: it is not a
    // console on the session, and writes nothing beside it.
    if !session.replay.as_ref().is_some_and(|r| r.standalone) {
        session.start_presence();
    }

    let mut sigint = signal(SignalKind::interrupt())?;
    let mut sigterm = signal(SignalKind::terminate())?;
    let mut sighup = signal(SignalKind::hangup())?;
    let mut sigtstp = signal(SignalKind::from_raw(libc::SIGTSTP))?;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    let mut last_draw = Instant::now() - FRAME;
    let exit = loop {
        if session.screen().dirty {
            let wait = FRAME.saturating_sub(last_draw.elapsed());
            if wait.is_zero() {
                if std::mem::take(&mut session.repaint) {
                    full_repaint(&mut term)?;
                }
                session.screen().dirty = false;
                session.screen().placed_links.clear();
                if let Err(e) = term.draw(|f| super::render::draw(f, session.screen())) {
                    // The terminal is gone (EIO: pty closed): end runs and journal it all the same.
                    break Exit::InputClosed(format!("cannot draw: {e}"));
                }
                // The links of what is on screen (the time machine's, when it is open).
                let shown = session.screen();
                if shown.hyperlinks && !shown.placed_links.is_empty() {
                    // Same text, same place, now clickable (`ui::hyperlink`).
                    use std::io::Write;
                    let bytes = super::hyperlink::overlay(&shown.placed_links);
                    let out = term.backend_mut();
                    if let Err(e) = out.write_all(&bytes).and_then(|()| out.flush()) {
                        break Exit::InputClosed(format!("cannot draw: {e}"));
                    }
                }
                if std::mem::take(&mut session.app.bell) {
                    ring_bell();
                }
                last_draw = Instant::now();
            }
        }
        let deadline = session.screen().dirty.then(|| tokio::time::Instant::from_std(last_draw + FRAME));
        let inbound = tokio::select! {
            ev = in_rx.recv() => match ev {
                Some(ev) => ev,
                None => Inbound::InputClosed("input reader ended".into()),
            },
            Some(ev) = source_rx.recv() => Inbound::Source(ev),
            Some(w) = written_rx.recv() => {
                if session.feed(Input::Written(Box::new(w))) {
                    break Exit::Quit;
                }
                continue;
            }
            _ = tick.tick() => Inbound::Tick,
            _ = sigint.recv() => Inbound::Signal(Signal::Interrupt),
            _ = sigterm.recv() => Inbound::Signal(Signal::Terminate),
            _ = sighup.recv() => Inbound::Signal(Signal::Hangup),
            _ = sigtstp.recv() => Inbound::Signal(Signal::Stop),
            _ = async { if let Some(d) = deadline { tokio::time::sleep_until(d).await } else { std::future::pending::<()>().await } } => continue,
        };
        let input = match inbound {
            Inbound::Key(k) => {
                #[cfg(debug_assertions)]
                panic_if_asked(&k);
                Input::Key(k)
            }
            Inbound::Mouse(m) => Input::Mouse(m),
            Inbound::Resize(_, _) => Input::Resize,
            Inbound::Tick => Input::Tick(crate::sources::clock::now()),
            Inbound::Source(ev) => Input::Source(ev),
            Inbound::Signal(Signal::Stop) => {
                if session.run_effects(vec![Effect::Suspend]) {
                    break Exit::Quit;
                }
                continue;
            }
            Inbound::Signal(s) => break Exit::Signal(s),
            Inbound::InputClosed(why) => break Exit::InputClosed(why),
        };
        if session.feed(input) {
            break Exit::Quit;
        }
    };
    // Runs of this console are aborted and their ends journaled before goodbye;
    // quickly when the terminal is gone (nobody can wait for us there).
    let grace = matches!(exit, Exit::Signal(Signal::Hangup) | Exit::InputClosed(_)).then_some(HANGUP_GRACE);
    session.stop_runs_within(&mut source_rx, grace).await;
    // Say goodbye in the journal (synced before we return: T12's "journal flushed").
    let op = session.app.operator.clone();
    match session.writer.take() {
        Some(w) => {
            let all = w.close(&op);
            session.release_locks(all);
        }
        None => {
            session.append(&op, &EventKind::SessionClosed {});
        }
    }
    session.announcer = None;
    terminal::restore();
    Ok(exit)
}

/// Debug builds only (release builds do not contain it): with
/// `WARROOM_TEST_PANIC_ON=f9`, pressing that key panics, so an end-to-end test
/// can check on the real binary that teardown runs once, before the panic
/// message (T11).
#[cfg(debug_assertions)]
fn panic_if_asked(k: &ratatui::crossterm::event::KeyEvent) {
    if let Ok(want) = std::env::var("WARROOM_TEST_PANIC_ON") {
        if super::app::key_name(k) == want {
            panic!("panic requested with WARROOM_TEST_PANIC_ON={want} (debug builds only)");
        }
    }
}

/// BEL to the terminal: inside tmux it marks the window and, per the user's
/// `bell-action`, alerts the client — how people notice an escalation in another window.
fn ring_bell() {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = out.write_all(b"\x07").and_then(|_| out.flush());
}
