//! `ferrotls verify`: validates a certificate chain against trust anchors.

use crate::args::{value, OptionSpec, Options};
use crate::stdout;
use crate::{Failure, EXIT_FAILED};
use ferrotls::{
    certificate_blocks_from_pem, verify_chain, LoadError, Purpose, RootStore, ServerName,
    Validation,
};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

pub const SYNOPSIS: &str = "verify --roots FILE --chain FILE [--untrusted FILE] \
    [--name DNS_OR_IP] [--time UNIX_SECONDS] [--purpose server|client]";

pub const ABOUT: &str = "Validates the first certificate of --chain against the trust anchors \
of --roots (RFC 5280 §6), helped by the chain's other certificates and --untrusted. \
Prints OK (exit 0) or the reason (exit 1).";

pub const OPTIONS: &[OptionSpec] = &[
    value("roots", "FILE", "PEM file of trust anchors (required)"),
    value("chain", "FILE", "PEM chain, end entity first (required)"),
    value(
        "untrusted",
        "FILE",
        "more PEM intermediates to build the path with",
    ),
    value("name", "DNS_OR_IP", "the name the end entity must carry"),
    value("time", "UNIX_SECONDS", "validation time (default: now)"),
    value(
        "purpose",
        "server|client",
        "the extended key usage required (default: server)",
    ),
];

fn read_certificates(path: &str) -> Result<Vec<Vec<u8>>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    certificate_blocks_from_pem(&text).map_err(|e| format!("{path}: {e}").into())
}

pub fn run(options: Options) -> Result<ExitCode, Failure> {
    if let Some(extra) = options.positionals().first() {
        return Err(format!("unexpected argument {extra:?}").into());
    }
    let roots_path = options.required("roots")?;
    let roots = RootStore::from_pem_file(roots_path).map_err(|e| match e {
        LoadError::NoCertificates => format!("{roots_path}: no usable certificate"),
        other => format!("{roots_path}: {other}"),
    })?;
    let chain = read_certificates(options.required("chain")?)?;
    let mut intermediates: Vec<Vec<u8>> = chain.iter().skip(1).cloned().collect();
    if let Some(path) = options.get("untrusted") {
        intermediates.extend(read_certificates(path)?);
    }
    let name = options
        .get("name")
        .map(|n| n.parse::<ServerName>().map_err(|e| format!("--name: {e}")))
        .transpose()?;
    let time = match options.number::<u64>("time")? {
        Some(t) => t,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| "system clock before 1970")?
            .as_secs(),
    };
    let purpose = match options.get("purpose") {
        None | Some("server") => Purpose::ServerAuth,
        Some("client") => Purpose::ClientAuth,
        Some(other) => return Err(format!("invalid --purpose {other:?}").into()),
    };
    let end_entity = chain.first().ok_or("empty chain")?;
    let borrowed: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
    let validation = Validation {
        roots: &roots,
        purpose,
        name: name.as_ref(),
        time,
    };
    match verify_chain(end_entity, &borrowed, &validation) {
        Ok(_) => {
            stdout::line("OK");
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            stdout::line(&reason.to_string());
            Ok(ExitCode::from(EXIT_FAILED))
        }
    }
}
