//! The open dialogs, bottom to top: the one place that opens and closes them.
//!
//! A dialog's key handler never touches the stack: it changes its own state,
//! reads the rest of the app, and answers with a [`Transition`] (stay, close,
//! open one above it, become another) and the effects to run (those that
//! change the app are applied by `App::apply` before the transition). Code
//! outside the dialogs asks for one with [`DialogStack::open`] (a key in a
//! pane, an effect's result such as the handover, a due status update).
//!
//! An action a dialog runs (`Effect::Run`: the palette's Enter, `C` in the
//! activity feed) may open a dialog of its own: that one takes the place of
//! the dialog that ran it, so `Esc` there goes back to the panes, as it
//! always has (docs/console.md, "Dialogs").

use super::Overlay;
use crate::ui::effect::Effect;

/// What a dialog's key handler decided about itself.
pub enum Transition {
    /// Stay open (its state may have changed).
    Stay,
    /// Close; the dialog below it, if any, is on top again.
    Pop,
    /// Stay open under a new dialog (`Esc` there comes back here).
    Push(Overlay),
    /// Close and open this one in its place.
    Replace(Overlay),
}

/// A handler's answer: the transition and the effects to run.
pub type Handled = (Transition, Vec<Effect>);

/// Stay open, nothing to run.
pub fn stay() -> Handled {
    (Transition::Stay, Vec::new())
}

/// Close, nothing to run.
pub fn close() -> Handled {
    (Transition::Pop, Vec::new())
}

/// Close and run `effects`.
pub fn done(effects: Vec<Effect>) -> Handled {
    (Transition::Pop, effects)
}

#[derive(Default)]
pub struct DialogStack {
    dialogs: Vec<Overlay>,
}

impl DialogStack {
    /// Opens `dialog` on top of whatever is open.
    pub fn open(&mut self, dialog: Overlay) {
        self.dialogs.push(dialog);
    }

    /// The dialog keys go to, if any is open.
    pub fn top(&self) -> Option<&Overlay> {
        self.dialogs.last()
    }

    pub fn top_mut(&mut self) -> Option<&mut Overlay> {
        self.dialogs.last_mut()
    }

    pub fn is_open(&self) -> bool {
        !self.dialogs.is_empty()
    }

    /// The top dialog's name ("help", "rollback", …).
    pub fn name(&self) -> Option<&'static str> {
        self.top().map(Overlay::name)
    }

    /// How many dialogs are open.
    pub fn len(&self) -> usize {
        self.dialogs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dialogs.is_empty()
    }

    /// Bottom to top.
    pub fn iter(&self) -> impl Iterator<Item = &Overlay> {
        self.dialogs.iter()
    }

    /// Closes every dialog (back to the panes).
    pub fn close_all(&mut self) {
        self.dialogs.clear();
    }

    /// Takes the top dialog out to hand it a key; `settle` puts the result back.
    pub(super) fn take_top(&mut self) -> Option<Overlay> {
        self.dialogs.pop()
    }

    /// After `handled` (taken out with `take_top` over `below` dialogs)
    /// answered `t`: applies it. Dialogs opened meanwhile by an action it ran
    /// go on top and take the place of `handled` if it would have stayed.
    pub(super) fn settle(&mut self, below: usize, handled: Overlay, t: Transition) {
        let opened = self.dialogs.split_off(below.min(self.dialogs.len()));
        match t {
            Transition::Stay if opened.is_empty() => self.dialogs.push(handled),
            Transition::Stay | Transition::Pop => {}
            Transition::Push(next) => {
                self.dialogs.push(handled);
                self.dialogs.push(next);
            }
            Transition::Replace(next) => self.dialogs.push(next),
        }
        self.dialogs.extend(opened);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help() -> Overlay {
        Overlay::Help { scroll: 0 }
    }
    fn who() -> Overlay {
        Overlay::Who { scroll: 0 }
    }
    fn names(s: &DialogStack) -> Vec<&'static str> {
        s.iter().map(Overlay::name).collect()
    }

    #[test]
    fn transitions_stay_pop_push_replace() {
        let mut s = DialogStack::default();
        s.open(help());
        let top = s.take_top().unwrap();
        s.settle(0, top, Transition::Push(who()));
        assert_eq!(names(&s), ["help", "who"]);
        let top = s.take_top().unwrap();
        s.settle(1, top, Transition::Stay);
        assert_eq!(names(&s), ["help", "who"]);
        let top = s.take_top().unwrap();
        s.settle(1, top, Transition::Pop);
        assert_eq!(names(&s), ["help"], "Pop uncovers the one below");
        let top = s.take_top().unwrap();
        s.settle(0, top, Transition::Replace(who()));
        assert_eq!(names(&s), ["who"]);
        s.close_all();
        assert!(!s.is_open() && s.name().is_none());
    }

    #[test]
    fn a_dialog_opened_by_an_action_takes_the_place_of_the_one_that_ran_it() {
        // The palette runs `help`: help is open, the palette is gone, whether
        // the palette said Stay or Pop.
        for t in [Transition::Stay, Transition::Pop] {
            let mut s = DialogStack::default();
            s.open(Overlay::Palette(Default::default()));
            let top = s.take_top().unwrap();
            s.open(help()); // what `App::update(Action::Help)` does
            s.settle(0, top, t);
            assert_eq!(names(&s), ["help"]);
        }
    }
}
