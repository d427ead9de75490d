//! The `jixiao` command line: the binary's edge. `src/main.rs` reads what
//! only the process can know (its arguments, environment variables used for
//! fault injection in tests, a further system folder) into an [`Edge`] and
//! calls [`run`]; everything below takes values.
//!
//! * [`args`] — the commands and flags (shared flags as one struct each);
//! * [`localise`] — clap in Chinese;
//! * [`exit`] — the one exit-code policy;
//! * [`case`], [`build`], [`live`], [`review`] — the commands;
//! * [`text`] — the listings the commands print.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};

/// Print to stdout; a closed pipe (`jixiao … --json | head`) ends the
/// program quietly instead of panicking.
pub fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout.write_all(text.as_bytes()).and_then(|_| stdout.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

macro_rules! outln {
    () => { $crate::cli::out("\n") };
    ($($t:tt)*) => { $crate::cli::out(&format!("{}\n", format_args!($($t)*))) };
}

macro_rules! outp {
    ($($t:tt)*) => { $crate::cli::out(&format!($($t)*)) };
}

pub mod args;
pub mod build;
pub mod case;
pub mod exit;
pub mod init;
pub mod live;
pub mod localise;
pub mod review;
pub mod text;

pub use text::*;

use args::{Cli, Command};
use exit::Outcome;

/// What only the process knows, read by `main`.
#[derive(Debug, Clone, Default)]
pub struct Edge {
    /// `-v`: the English detail behind an error.
    pub verbose: bool,
    /// A further folder of indicator-system files (`JIXIAO_SYSTEMS`).
    pub systems_dir: Option<PathBuf>,
    /// Tests only: the `__case` of this folder name aborts, or panics.
    pub test_abort_case: Option<OsString>,
    pub test_panic_case: Option<OsString>,
}

/// The causes behind an error, after its own message (minijinja's English
/// detail of a template error …): for `-v`.
pub fn detail(e: &dyn std::error::Error) -> Option<String> {
    let shown = e.to_string();
    let mut parts: Vec<String> = Vec::new();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !shown.contains(&text) && !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    (!parts.is_empty()).then(|| parts.join(": "))
}

/// Run the command line `args` (the program's name first).
pub fn run(args: Vec<OsString>, edge: Edge) -> ExitCode {
    // Double-clicked (no arguments at all): the page for staff, on the default folder.
    if args.len() == 1 {
        return live::serve(None, 0, false).into();
    }
    let edge = Edge { verbose: args.iter().any(|a| a == "-v" || a == "--verbose"), ..edge };
    let args = args.into_iter().filter(|a| a != "-v" && a != "--verbose");
    let cmd = localise::localise(Cli::command());
    let cli = match cmd.try_get_matches_from(args).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => return usage(&e, edge.verbose).into(),
    };
    dispatch(cli.command, &edge).into()
}

/// Help and version print as asked; any other clap error is a mistake said in Chinese.
fn usage(e: &clap::Error, verbose: bool) -> Outcome {
    use clap::error::ErrorKind;
    if e.kind() == ErrorKind::DisplayVersion {
        outln!("jixiao {}", env!("CARGO_PKG_VERSION"));
        return Outcome::Fine;
    }
    if e.kind() == ErrorKind::DisplayHelp {
        let _ = e.print();
        return Outcome::Fine;
    }
    eprintln!("{}", localise::usage_error(e));
    if verbose {
        eprintln!("\n（详细信息）\n{}", e.render());
    }
    Outcome::Unreadable
}

fn dispatch(command: Command, edge: &Edge) -> Outcome {
    // `--system FILE` and `--kind DIR` are checked before anything runs.
    let setup = |a: &args::SetupArgs| match a.options(edge.systems_dir.clone()) {
        Ok(o) => Some(o),
        Err(e) => {
            eprintln!("错误：{e}");
            None
        }
    };
    match command {
        Command::Inspect { path, json } => case::inspect(&path, json),
        Command::Check { path, json, setup: s } => {
            setup(&s).map_or(Outcome::Unreadable, |o| case::check(&path, json, &o))
        }
        Command::Score { path, json, setup: s } => {
            setup(&s).map_or(Outcome::Unreadable, |o| case::score(&path, json, &o))
        }
        Command::Annex { case: c } => {
            setup(&c.setup).map_or(Outcome::Unreadable, |o| case::annex(&c.path, c.out, c.force, &o))
        }
        Command::Watch { case: c } => {
            setup(&c.setup).map_or(Outcome::Unreadable, |o| live::watch(&c.path, c.out, c.force, &o))
        }
        Command::Build { paths, out, templates, toc_pages: _, no_toc_pages, force, jobs, setup: s } => {
            let Some(setup) = setup(&s) else { return Outcome::Unreadable };
            let a = build::BuildArgs { paths, out, templates, no_toc_pages, force, jobs: jobs.unwrap_or(0), setup };
            build::build(&a, edge)
        }
        Command::Review { path, scores, out, setup: s } => {
            setup(&s).map_or(Outcome::Unreadable, |o| review::review(&path, scores.as_deref(), out, &o))
        }
        Command::System { system } => case::system_check(&system),
        Command::Summary { paths, out, templates } => build::summary(&paths, out, templates),
        Command::Serve { root, port, no_browser } => live::serve(root, port, no_browser),
        Command::Init { folder, system, kind, force } => init::init(&folder, system.as_deref(), kind.as_deref(), force),
        Command::Case { path, out, templates, toc_pages, force, layout_doc, toc_numbers, setup: s, systems_dir } => {
            let edge = Edge { systems_dir, ..edge.clone() };
            let Some(setup) = s.options(edge.systems_dir.clone()).ok() else { return Outcome::Internal };
            let a = build::CaseArgs { path, out, templates, toc_pages, force, layout_doc, toc_numbers, setup };
            build::isolated_case(a, &edge)
        }
    }
}
