//! The `jixiao` command line: what only the process knows is read here, at
//! its edge; everything else is [`jixiao::cli`].

use std::process::ExitCode;

fn main() -> ExitCode {
    let edge = jixiao::cli::Edge {
        verbose: false,
        systems_dir: std::env::var_os("JIXIAO_SYSTEMS").map(Into::into),
        test_abort_case: std::env::var_os("JIXIAO_TEST_ABORT_CASE"),
        test_panic_case: std::env::var_os("JIXIAO_TEST_PANIC_CASE"),
    };
    jixiao::cli::run(std::env::args_os().collect(), edge)
}
