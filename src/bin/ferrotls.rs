//! `ferrotls`: the command-line tool. Each subcommand is an entry of
//! [`COMMANDS`] with its own option list; only `verify` exists so far.
//!
//! Exit status: 0 success, 1 a negative verdict, 2 bad usage or unreadable
//! input.

use ferrotls::pki::{
    certificate_blocks_from_pem, verify_chain, LoadError, Purpose, RootStore, ServerName,
    Validation,
};
use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

/// Exit status for a negative verdict.
const EXIT_REFUSED: u8 = 1;
/// Exit status for bad usage or unreadable input.
const EXIT_USAGE: u8 = 2;

/// A subcommand: its name, its one-line usage, and its entry point.
struct Command {
    name: &'static str,
    usage: &'static str,
    run: fn(&[String]) -> Result<ExitCode, Failure>,
}

const COMMANDS: &[Command] = &[Command {
    name: "verify",
    usage: "verify --roots FILE --chain FILE [--untrusted FILE] [--name DNS_OR_IP] \
            [--time UNIX_SECONDS] [--purpose server|client]",
    run: verify,
}];

/// Why a subcommand could not reach a verdict: bad usage or unreadable
/// input (exit status 2).
struct Failure(String);

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self(message)
    }
}

fn usage() -> String {
    let mut text = String::from("usage:");
    for command in COMMANDS {
        text.push_str("\n  ferrotls ");
        text.push_str(command.usage);
    }
    text
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((name, rest)) = args.split_first() else {
        eprintln!("{}", usage());
        return ExitCode::from(EXIT_USAGE);
    };
    if matches!(name.as_str(), "-h" | "--help" | "help") {
        println!("{}", usage());
        return ExitCode::SUCCESS;
    }
    let Some(command) = COMMANDS.iter().find(|c| c.name == name) else {
        eprintln!("unknown command {name:?}\n{}", usage());
        return ExitCode::from(EXIT_USAGE);
    };
    if rest.iter().any(|a| a == "-h" || a == "--help") {
        println!("usage: ferrotls {}", command.usage);
        return ExitCode::SUCCESS;
    }
    match (command.run)(rest) {
        Ok(code) => code,
        Err(Failure(message)) => {
            eprintln!("ferrotls {}: {message}", command.name);
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Parses `--option VALUE` pairs, allowing only `allowed` options, each
/// at most once.
fn parse_options(args: &[String], allowed: &[&str]) -> Result<HashMap<String, String>, Failure> {
    let mut options = HashMap::new();
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let Some(name) = flag.strip_prefix("--").filter(|n| allowed.contains(n)) else {
            return Err(format!("unknown option {flag:?}").into());
        };
        let value = args
            .next()
            .ok_or_else(|| format!("option {flag} needs a value"))?;
        if options.insert(name.to_owned(), value.clone()).is_some() {
            return Err(format!("option {flag} given twice").into());
        }
    }
    Ok(options)
}

fn required<'o>(options: &'o HashMap<String, String>, name: &str) -> Result<&'o str, Failure> {
    options
        .get(name)
        .map(String::as_str)
        .ok_or_else(|| format!("missing --{name}").into())
}

fn read_certificates(path: &str) -> Result<Vec<Vec<u8>>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    certificate_blocks_from_pem(&text).map_err(|e| format!("{path}: {e}").into())
}

/// `ferrotls verify`: validates the chain's first certificate against the
/// roots, helped by the chain's other certificates and `--untrusted`.
/// Prints `OK` (exit 0) or the reason (exit 1).
fn verify(args: &[String]) -> Result<ExitCode, Failure> {
    let options = parse_options(
        args,
        &["roots", "chain", "untrusted", "name", "time", "purpose"],
    )?;
    let roots_path = required(&options, "roots")?;
    let roots = RootStore::from_pem_file(Path::new(roots_path)).map_err(|e| match e {
        LoadError::NoCertificates => format!("{roots_path}: no usable certificate"),
        other => format!("{roots_path}: {other}"),
    })?;
    let chain = read_certificates(required(&options, "chain")?)?;
    let mut intermediates: Vec<Vec<u8>> = chain.iter().skip(1).cloned().collect();
    if let Some(path) = options.get("untrusted") {
        intermediates.extend(read_certificates(path)?);
    }
    let name = options
        .get("name")
        .map(|n| ServerName::parse(n).map_err(|_| format!("invalid --name {n:?}")))
        .transpose()?;
    let time = match options.get("time") {
        Some(t) => t
            .parse::<u64>()
            .map_err(|_| format!("invalid --time {t:?}"))?,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| "system clock before 1970".to_owned())?
            .as_secs(),
    };
    let purpose = match options.get("purpose").map(String::as_str) {
        None | Some("server") => Purpose::ServerAuth,
        Some("client") => Purpose::ClientAuth,
        Some(other) => return Err(format!("invalid --purpose {other:?}").into()),
    };
    let end_entity = chain.first().ok_or("empty chain".to_owned())?;
    let borrowed: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
    let validation = Validation {
        roots: &roots,
        purpose,
        name: name.as_ref(),
        time,
    };
    match verify_chain(end_entity, &borrowed, &validation) {
        Ok(_) => {
            println!("OK");
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            println!("{reason}");
            Ok(ExitCode::from(EXIT_REFUSED))
        }
    }
}
