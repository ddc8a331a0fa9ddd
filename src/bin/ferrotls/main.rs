//! `ferrotls`: the command-line tool. Each subcommand is an entry of
//! [`COMMANDS`] with its own option table (which also writes its
//! `--help`). The tool holds no protocol logic: it parses options, builds
//! configurations, moves bytes between sockets and connections, and
//! prints what the library reports.
//!
//! Exit status: 0 success, 1 a failed connection or a negative verdict,
//! 2 bad usage or unreadable input. A closed standard output ends the
//! program quietly with status 0 (`stdout.rs`).

mod args;
mod cert_path;
mod client;
mod deadline;
mod demo;
mod fleet;
mod ocsp_file;
mod report;
mod server;
mod settings;
mod stdout;
mod verify;

use args::OptionSpec;
use std::process::ExitCode;

/// Exit status for a failed connection or a negative verdict.
const EXIT_FAILED: u8 = 1;
/// Exit status for bad usage or unreadable input.
const EXIT_USAGE: u8 = 2;

/// A subcommand: its name, its one-line synopsis, what it does, its
/// options and its entry point.
struct Command {
    name: &'static str,
    synopsis: &'static str,
    about: &'static str,
    options: &'static [OptionSpec],
    run: fn(args::Options) -> Result<ExitCode, Failure>,
}

const COMMANDS: &[Command] = &[
    Command {
        name: "server",
        synopsis: server::SYNOPSIS,
        about: server::ABOUT,
        options: server::OPTIONS,
        run: server::run,
    },
    Command {
        name: "client",
        synopsis: client::SYNOPSIS,
        about: client::ABOUT,
        options: client::OPTIONS,
        run: client::run,
    },
    Command {
        name: "demo",
        synopsis: demo::SYNOPSIS,
        about: demo::ABOUT,
        options: demo::OPTIONS,
        run: demo::run,
    },
    Command {
        name: "verify",
        synopsis: verify::SYNOPSIS,
        about: verify::ABOUT,
        options: verify::OPTIONS,
        run: verify::run,
    },
];

/// Why a subcommand could not run: bad usage or unreadable input (exit
/// status 2).
struct Failure(String);

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Self(message.to_owned())
    }
}

fn usage() -> String {
    let mut text = String::from("usage:");
    for command in COMMANDS {
        text.push_str("\n  ferrotls ");
        text.push_str(command.synopsis);
    }
    text.push_str("\n\n`ferrotls COMMAND --help` describes each command's options.");
    text
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((name, rest)) = args.split_first() else {
        eprintln!("{}", usage());
        return ExitCode::from(EXIT_USAGE);
    };
    if matches!(name.as_str(), "-h" | "--help" | "help") {
        stdout::line(&usage());
        return ExitCode::SUCCESS;
    }
    let Some(command) = COMMANDS.iter().find(|c| c.name == name) else {
        eprintln!("unknown command {name:?}\n{}", usage());
        return ExitCode::from(EXIT_USAGE);
    };
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        stdout::line(&format!(
            "usage: ferrotls {}\n\n{}\n\noptions:\n{}",
            command.synopsis,
            command.about,
            args::describe(command.options)
        ));
        return ExitCode::SUCCESS;
    }
    let result = args::parse(rest, command.options)
        .map_err(Failure::from)
        .and_then(command.run);
    match result {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("ferrotls {}: {message}", command.name);
            ExitCode::from(EXIT_USAGE)
        }
    }
}
