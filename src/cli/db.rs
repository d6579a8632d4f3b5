//! `warroom db init URL`: creates the PostgreSQL journal's tables ahead of
//! the first console (which would otherwise create them on first use), as a
//! role that may create tables; observers then need only the grants listed
//! in docs/journal.md. Exit 0, 2 when the database cannot be used.

use clap::Subcommand;

use super::common::{bad_input, EXIT_OK};
use crate::domain::sanitize::clean;
use crate::sources::journal::postgres::db_init;

#[derive(Subcommand, Debug)]
pub enum DbCommand {
    /// Create the journal tables (if missing) and print the schema version.
    Init {
        /// postgres://USER@HOST:PORT/DB (a ?session= is allowed and ignored).
        url: String,
    },
}

pub fn run(cmd: &DbCommand) -> i32 {
    match cmd {
        DbCommand::Init { url } => match db_init(url) {
            Ok(msg) => {
                outln!("{}", clean(&msg));
                EXIT_OK
            }
            Err(e) => bad_input(clean(&e.to_string())),
        },
    }
}
