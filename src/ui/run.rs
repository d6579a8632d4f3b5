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
use crate::sources::journal::{WatchHandle, Written};
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

type Term = Terminal<CrosstermBackend<TerminalOut<io::Stdout>>>;

/// Clears the screen and forgets what was drawn, so the next frame is drawn
/// whole. Not `Terminal::clear`: that asks the terminal for the cursor
/// position, a query that stalls while our input thread reads the replies.
fn full_repaint(term: &mut Term) -> io::Result<()> {
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
    let mut term = std::mem::ManuallyDrop::new(new_terminal(&session)?);
    full_repaint(&mut term)?;
    let (mut inputs, _watch) = start(&mut session, &sources);
    let mut signals = Signals::new()?;
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);

    let mut last_draw = Instant::now() - FRAME;
    let exit = loop {
        if let Some(exit) = redraw_if_due(&mut session, &mut term, &mut last_draw)? {
            break exit;
        }
        let deadline = session.screen().view.dirty.then(|| tokio::time::Instant::from_std(last_draw + FRAME));
        let ended = match wake(&mut inputs, &mut source_rx, &mut signals, &mut tick, deadline).await {
            Woke::Inbound(inbound) => feed(&mut session, inbound),
            Woke::Written(w) => session.feed(Input::Written(w)).then_some(Exit::Quit),
            Woke::FrameDue => None,
        };
        if let Some(exit) = ended {
            break exit;
        }
    };
    close(&mut session, &mut source_rx, &exit).await;
    terminal::restore();
    Ok(exit)
}

/// The terminal in the theme's colour depth (16 colours are written as ANSI 16).
fn new_terminal(session: &Session) -> io::Result<Term> {
    let sixteen = session.app.view.theme.depth == ColorDepth::C16;
    let out = TerminalOut::new(io::stdout(), sixteen);
    Terminal::new(CrosstermBackend::new(out))
}

/// Where the loop's own inputs arrive: the terminal's, and the journal writer's reports.
struct Inputs {
    terminal: mpsc::UnboundedReceiver<Inbound>,
    written: mpsc::UnboundedReceiver<Written>,
}

/// Starts what feeds the loop: the terminal reader, the journal writer and
/// watcher (the watcher stops when the returned handle is dropped), probes
/// and step runs, presence.
fn start(session: &mut Session, sources: &EventSender) -> (Inputs, WatchHandle) {
    let (in_tx, terminal) = mpsc::unbounded_channel::<Inbound>();
    spawn_input(in_tx);
    // Appends from here on are made by the journal writer thread, off this loop.
    let (written_tx, written) = mpsc::unbounded_channel();
    session.start_writer(written_tx);
    let watch = session.journal.watch(sources.clone());
    session.sources = Some(sources.clone());
    session.start_procs(sources.clone());
    // Runs left behind by a console that is gone are ended now, not left RUNNING.
    session.reap_runs();
    // The time machine opened on its own only reads the journal: it is not a
    // console on the session, and writes nothing beside it.
    if !session.replay.as_ref().is_some_and(|r| r.standalone) {
        session.start_presence();
    }
    (Inputs { terminal, written }, watch)
}

/// The signals the console answers: INT, TERM and HUP end it, TSTP suspends it.
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
    stop: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> io::Result<Signals> {
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            stop: signal(SignalKind::from_raw(libc::SIGTSTP))?,
        })
    }
}

/// Draws a frame if something changed and the last frame is at least `FRAME`
/// old. `Some` when the terminal is gone (EIO: pty closed): the console ends,
/// its runs ended and journaled all the same.
fn redraw_if_due(session: &mut Session, term: &mut Term, last_draw: &mut Instant) -> io::Result<Option<Exit>> {
    if !session.screen().view.dirty || !FRAME.saturating_sub(last_draw.elapsed()).is_zero() {
        return Ok(None);
    }
    if std::mem::take(&mut session.repaint) {
        full_repaint(term)?;
    }
    session.screen().view.dirty = false;
    session.screen().view.drawn.placed_links.clear();
    if let Err(e) = term.draw(|f| session.screen().draw(f)) {
        return Ok(Some(Exit::InputClosed(format!("cannot draw: {e}"))));
    }
    if let Err(e) = write_links(session, term) {
        return Ok(Some(Exit::InputClosed(format!("cannot draw: {e}"))));
    }
    if session.app.model.take_bell() {
        ring_bell();
    }
    *last_draw = Instant::now();
    Ok(None)
}

/// The links of what is on screen (the time machine's, when it is open):
/// same text, same place, now clickable (`ui::hyperlink`).
fn write_links(session: &mut Session, term: &mut Term) -> io::Result<()> {
    let shown = session.screen();
    if shown.view.hyperlinks && !shown.view.drawn.placed_links.is_empty() {
        use std::io::Write;
        let bytes = super::hyperlink::overlay(&shown.view.drawn.placed_links);
        let out = term.backend_mut();
        out.write_all(&bytes).and_then(|()| out.flush())?;
    }
    Ok(())
}

/// What woke the loop.
enum Woke {
    Inbound(Inbound),
    /// The journal writer's report on an append.
    Written(Box<Written>),
    /// A frame held back (at most 20 per second) may be drawn now.
    FrameDue,
}

/// Waits for the next input, a signal, the tick, or the `deadline` of a frame held back.
async fn wake(
    inputs: &mut Inputs,
    source_rx: &mut EventReceiver,
    signals: &mut Signals,
    tick: &mut tokio::time::Interval,
    deadline: Option<tokio::time::Instant>,
) -> Woke {
    let inbound = tokio::select! {
        ev = inputs.terminal.recv() => match ev {
            Some(ev) => ev,
            None => Inbound::InputClosed("input reader ended".into()),
        },
        Some(ev) = source_rx.recv() => Inbound::Source(ev),
        Some(w) = inputs.written.recv() => return Woke::Written(Box::new(w)),
        _ = tick.tick() => Inbound::Tick,
        _ = signals.interrupt.recv() => Inbound::Signal(Signal::Interrupt),
        _ = signals.terminate.recv() => Inbound::Signal(Signal::Terminate),
        _ = signals.hangup.recv() => Inbound::Signal(Signal::Hangup),
        _ = signals.stop.recv() => Inbound::Signal(Signal::Stop),
        _ = async { if let Some(d) = deadline { tokio::time::sleep_until(d).await } else { std::future::pending::<()>().await } } => return Woke::FrameDue,
    };
    Woke::Inbound(inbound)
}

/// Hands one input to the driver; `Some` when the console ends.
fn feed(session: &mut Session, inbound: Inbound) -> Option<Exit> {
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
        Inbound::Signal(Signal::Stop) => return session.run_effects(vec![Effect::Suspend]).then_some(Exit::Quit),
        Inbound::Signal(s) => return Some(Exit::Signal(s)),
        Inbound::InputClosed(why) => return Some(Exit::InputClosed(why)),
    };
    session.feed(input).then_some(Exit::Quit)
}

/// Runs of this console are aborted and their ends journaled before goodbye;
/// quickly when the terminal is gone (nobody can wait for us there).
async fn close(session: &mut Session, source_rx: &mut EventReceiver, exit: &Exit) {
    let grace = matches!(exit, Exit::Signal(Signal::Hangup) | Exit::InputClosed(_)).then_some(HANGUP_GRACE);
    session.stop_runs_within(source_rx, grace).await;
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
