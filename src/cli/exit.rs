//! The one exit-code policy of every command: 0 fine (notes only), 1 something
//! to attend to (a table with errors, scoring not complete, a case that
//! failed), 2 nothing could be done (a file that could not be read, a path
//! that is not there, a command-line mistake), 3 an internal failure.

use std::process::ExitCode;

use crate::model::Case;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Fine,
    Attention,
    Unreadable,
    Internal,
}

impl Outcome {
    /// A case read: 2 when a file could not be read, 1 with an error in a
    /// table or `check_errors` more, else 0.
    pub fn of_case(case: &Case, check_errors: usize) -> Outcome {
        if case.has_unreadable() {
            Outcome::Unreadable
        } else if case.has_errors() || check_errors > 0 {
            Outcome::Attention
        } else {
            Outcome::Fine
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(match o {
            Outcome::Fine => 0,
            Outcome::Attention => 1,
            Outcome::Unreadable => 2,
            Outcome::Internal => 3,
        })
    }
}
