//! `warroom check` on every condition of the example table in Gatus's README.
