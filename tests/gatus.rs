//! Gatus's condition language in warroom: conditions from Gatus's README and
//! its own condition tests, evaluated by real probes against a real local
//! server, must get Gatus's answers; `check` takes every README example (or
//! refuses with a reason); `from-gatus` carries a Gatus config over.

#[path = "gatus/check_readme.rs"]
mod check_readme;
#[path = "gatus/conditions.rs"]
mod conditions;
#[path = "gatus/console.rs"]
mod console;
#[path = "gatus/docs.rs"]
mod docs;
#[path = "gatus/from_gatus.rs"]
mod from_gatus;
#[path = "gatus/server.rs"]
mod server;
