//! `ferrotls verify`: validates a certificate chain against trust anchors.

use crate::args::{flag, repeated, value, OptionSpec, Options};
use crate::stdout;
use crate::{Failure, EXIT_FAILED};
use ferrotls::{
    certificate_blocks_from_pem, verify_chain, KeyUsage, LoadError, PolicyInputs, Profile, Purpose,
    Revocation, RevocationPolicy, RootStore, ServerName, Validation,
};
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

pub const SYNOPSIS: &str = "verify --roots FILE --chain FILE [--untrusted FILE] \
    [--name DNS_OR_IP] [--time UNIX_SECONDS] [--purpose server|client] \
    [--profile rfc5280|rfc5280-path|webpki] [--policy OIDS] \
    [--explicit-policy] [--inhibit-policy-mapping] [--inhibit-any-policy] \
    [--key-usage LIST] [--max-path-length N] \
    [--crl FILE]... [--crl-signer FILE]... [--ocsp FILE]... [--revocation soft|hard]";

pub const ABOUT: &str = "Validates the first certificate of --chain against the trust anchors \
of --roots (RFC 5280 §6), helped by the chain's other certificates and --untrusted, \
then checks the path's revocation against --crl and --ocsp (RFC 5280 §6.3, RFC 6960). \
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
    value(
        "profile",
        "rfc5280|rfc5280-path|webpki",
        "the rules applied: RFC 5280 alone; its path validation alone, without the rules for issuing CAs; or RFC 5280 with the CA/Browser Forum baseline requirements (default: webpki)",
    ),
    value(
        "policy",
        "OID[,OID...]",
        "acceptable certificate policies (RFC 5280 user-initial-policy-set; default: any)",
    ),
    flag(
        "explicit-policy",
        "the path must be valid for an acceptable policy",
    ),
    flag(
        "inhibit-policy-mapping",
        "policy mappings are not permitted",
    ),
    flag(
        "inhibit-any-policy",
        "anyPolicy in a certificate is not processed",
    ),
    value(
        "key-usage",
        "NAME[,NAME...]",
        "keyUsage bits the end entity must assert when it has a keyUsage (RFC 5280 names: digitalSignature, keyEncipherment, ...)",
    ),
    value(
        "max-path-length",
        "N",
        "at most N CA certificates between the end entity and the trust anchor, self-issued ones not counted (RFC 5280 §6.1.2 (k))",
    ),
    repeated("crl", "FILE", "CRL, PEM or DER (repeatable)"),
    repeated("ocsp", "FILE", "OCSP response, DER or PEM (repeatable)"),
    repeated(
        "crl-signer",
        "FILE",
        "certificate of a key the CA delegated CRL signing to, PEM or DER (repeatable)",
    ),
    value(
        "revocation",
        "soft|hard",
        "without a fresh answer: accept (soft, the default) or refuse (hard)",
    ),
];

/// The certificate-policy inputs (RFC 5280 §6.1.1 (c), (e)–(g)) the
/// options ask for.
fn policy_inputs(options: &Options) -> Result<PolicyInputs, Failure> {
    let acceptable = match options.get("policy") {
        None => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|text| {
                PolicyInputs::policy_from_dotted(text.trim())
                    .ok_or_else(|| format!("--policy: {text:?} is not a dotted OID"))
            })
            .collect::<Result<_, _>>()?,
    };
    Ok(PolicyInputs {
        acceptable,
        require_explicit_policy: options.has("explicit-policy"),
        inhibit_policy_mapping: options.has("inhibit-policy-mapping"),
        inhibit_any_policy: options.has("inhibit-any-policy"),
    })
}

fn read_certificates(path: &str) -> Result<Vec<Vec<u8>>, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: cannot read: {e}"))?;
    certificate_blocks_from_pem(&text).map_err(|e| format!("{path}: {e}").into())
}

/// The revocation sources and policy of `--crl`, `--ocsp` and
/// `--revocation`; `None` when none of them is given (nothing to check).
fn read_revocation(options: &Options) -> Result<Option<Revocation>, Failure> {
    let policy = match options.get("revocation") {
        None if options.all("crl").is_empty() && options.all("ocsp").is_empty() => return Ok(None),
        None | Some("soft") => RevocationPolicy::SoftFail,
        Some("hard") => RevocationPolicy::HardFail,
        Some(other) => return Err(format!("invalid --revocation {other:?}").into()),
    };
    let mut revocation = Revocation::new(policy);
    let read = |path: &str| std::fs::read(path).map_err(|e| format!("{path}: cannot read: {e}"));
    for path in options.all("crl") {
        revocation
            .add_crls(&read(path)?)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    for path in options.all("ocsp") {
        revocation
            .add_ocsp_responses(&read(path)?)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    for path in options.all("crl-signer") {
        revocation
            .add_crl_signers(&read(path)?)
            .map_err(|e| format!("{path}: {e}"))?;
    }
    Ok(Some(revocation))
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
    let revocation = read_revocation(&options)?;
    let end_entity = chain.first().ok_or("empty chain")?;
    let borrowed: Vec<&[u8]> = intermediates.iter().map(Vec::as_slice).collect();
    let policy = policy_inputs(&options)?;
    let profile = match options.get("profile") {
        None => Profile::WebPki,
        Some(name) => name
            .parse::<Profile>()
            .map_err(|e| format!("--profile {name:?}: {e}"))?,
    };
    let key_usage = match options.get("key-usage") {
        None => Vec::new(),
        Some(list) => list
            .split(',')
            .map(|name| {
                name.trim()
                    .parse::<KeyUsage>()
                    .map_err(|e| format!("--key-usage {name:?}: {e}"))
            })
            .collect::<Result<_, _>>()?,
    };
    let mut validation = Validation::new(&roots, purpose, time)
        .with_policy(&policy)
        .with_profile(profile)
        .with_key_usage(&key_usage);
    validation.name = name.as_ref();
    validation.max_path_length = options.number::<u64>("max-path-length")?;
    let verdict = verify_chain(end_entity, &borrowed, &validation).and_then(|path| {
        revocation
            .as_ref()
            .map_or(Ok(()), |r| r.check(&path, time, None))
    });
    match verdict {
        Ok(()) => {
            stdout::line("OK");
            Ok(ExitCode::SUCCESS)
        }
        Err(reason) => {
            stdout::line(&reason.to_string());
            Ok(ExitCode::from(EXIT_FAILED))
        }
    }
}
