//! The terminal's modes, set on entry and restored exactly once (T11) on every
//! way out: quit, error, panic (before the panic message), signals, Ctrl-Z.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::crossterm::cursor::{Hide, Show};
use ratatui::crossterm::event::{DisableBracketedPaste, DisableFocusChange, DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen};

/// True while the terminal is in the console's modes.
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Raw mode, alternate screen, hidden cursor. Mouse capture stays off (T6).
pub fn enter() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut out = io::stdout();
    execute!(out, EnterAlternateScreen, Hide)?;
    Ok(())
}

/// Puts the terminal back: mouse/paste/focus reporting off, main screen,
/// cursor shown, raw mode off. Does nothing if already restored, so it runs
/// once whichever exit path gets here first.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    // Errors are ignored: on a dropped SSH session the writes fail, and there is
    // nothing left to restore for.
    let _ = execute!(out, DisableMouseCapture, DisableBracketedPaste, DisableFocusChange, LeaveAlternateScreen, Show);
    let _ = out.flush();
    let _ = disable_raw_mode();
}

pub fn is_active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

pub fn set_mouse(on: bool) -> io::Result<()> {
    let mut out = io::stdout();
    if on {
        execute!(out, EnableMouseCapture)
    } else {
        execute!(out, DisableMouseCapture)
    }
}

/// Restores the terminal when dropped (error returns and unwinding).
pub struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Panics restore the terminal before the report is printed, so the message
/// lands on the normal screen in cooked mode.
pub fn install_panic_hook() {
    let (panic_hook, eyre_hook) = color_eyre::config::HookBuilder::default().into_hooks();
    let _ = eyre_hook.install();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        eprintln!("{}", panic_hook.panic_report(info));
    }));
}

/// Ctrl-Z: give the terminal back, stop the process like any shell job, and
/// take the terminal again when continued (`fg`).
pub fn suspend() -> io::Result<()> {
    restore();
    // SIGSTOP, not SIGTSTP: the loop handles SIGTSTP itself (to restore the
    // terminal first), so raising it would only call that handler.
    // SAFETY: raising a signal on ourselves; SIGSTOP stops the process until SIGCONT (`fg`).
    unsafe {
        libc::raise(libc::SIGSTOP);
    }
    enter()
}
