//! Channels against real local receivers (axum on 127.0.0.1): deliveries
//! that go through, a receiver that is down, slow, or answers 500; and, in
//! real tmux, a decision reaching the receiver, a down channel shown on screen
//! and journaled, and a verdict with `valid_for` expiring in the console and
//! in `report --format json`; `warroom incident` sending what it wrote.

#[path = "channels/check.rs"]
mod check;
#[path = "channels/deliver.rs"]
mod deliver;
#[path = "channels/e2e.rs"]
mod e2e;
#[path = "channels/headless.rs"]
mod headless;
#[path = "channels/receiver.rs"]
mod receiver;
#[path = "channels/screen.rs"]
mod screen;
