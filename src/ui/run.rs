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
use crate::sources::{EventReceiver, EventSender};

use super::driver::Input;
use super::effect::Effect;
use super::event::{Inbound, Signal};
use super::session::{Exit, Session};
use super::terminal;

/// TERM to KILL for runs when the terminal hung up or vanished: the console
/// must be gone within about two seconds, journal written.
const HANGUP_GRACE: Duration = Duration::from_millis(500);

/// At most one frame per this long (20 fps).
pub const FRAME: Duration = Duration::from_millis(50);

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
    let sixteen = session.app.view.theme.depth == ColorDepth::C16;
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
        if session.screen().view.dirty {
            let wait = FRAME.saturating_sub(last_draw.elapsed());
            if wait.is_zero() {
                if std::mem::take(&mut session.repaint) {
                    full_repaint(&mut term)?;
                }
                session.screen().view.dirty = false;
                session.screen().view.drawn.placed_links.clear();
                if let Err(e) = term.draw(|f| session.screen().draw(f)) {
                    // The terminal is gone (EIO: pty closed): end runs and journal it all the same.
                    break Exit::InputClosed(format!("cannot draw: {e}"));
                }
                // The links of what is on screen (the time machine's, when it is open).
                let shown = session.screen();
                if shown.view.hyperlinks && !shown.view.drawn.placed_links.is_empty() {
                    // Same text, same place, now clickable (`ui::hyperlink`).
                    use std::io::Write;
                    let bytes = super::hyperlink::overlay(&shown.view.drawn.placed_links);
                    let out = term.backend_mut();
                    if let Err(e) = out.write_all(&bytes).and_then(|()| out.flush()) {
                        break Exit::InputClosed(format!("cannot draw: {e}"));
                    }
                }
                if session.app.model.take_bell() {
                    ring_bell();
                }
                last_draw = Instant::now();
            }
        }
        let deadline = session.screen().view.dirty.then(|| tokio::time::Instant::from_std(last_draw + FRAME));
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
    let op = session.app.model.operator.clone();
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
