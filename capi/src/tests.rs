//! The header `include/ferrotls.h` declares exactly the `extern "C"`
//! functions of `src/*.rs`, with the same parameter types, and the same
//! result codes and limits, and names every 0-RTT reason;
//! `ferrotls_strerror` describes each code.

use std::collections::BTreeMap;
use std::path::Path;

use crate::client_certificates::{CRT_RAWPK, CRT_UNKNOWN, CRT_X509};
use crate::config::{
    MAX_VERSION, MIN_VERSION, OCSP_OFF, OCSP_REQUEST, OCSP_REQUIRE, REVOCATION_HARD_FAIL,
    REVOCATION_SOFT_FAIL,
};
use crate::conn::KU_PEER;
use crate::exporter::{CB_TLS_EXPORTER, CB_TLS_UNIQUE};
use crate::negotiated::{
    CTYPE_CLIENT, CTYPE_SERVER, EARLY_DATA_ACCEPTED, EARLY_DATA_NOT_OFFERED, EARLY_DATA_OFFERED,
    EARLY_DATA_REJECTED,
};
use crate::session_cache::MAX_CACHE_DATA_SIZE;
use crate::Code;

const MANIFEST_DIR: &str = env!("CARGO_MANIFEST_DIR");

fn read(relative: &str) -> String {
    std::fs::read_to_string(Path::new(MANIFEST_DIR).join(relative)).unwrap()
}

/// A C type written as space-separated tokens: `const ferrotls_conn *`
/// becomes `const ferrotls_conn *`, `ferrotls_conn **` becomes
/// `ferrotls_conn * *`.
fn c_tokens(text: &str) -> Vec<String> {
    text.replace('*', " * ")
        .split_whitespace()
        .map(str::to_owned)
        .collect()
}

/// The C type a Rust parameter or result type stands for.
fn c_type_of_rust(ty: &str) -> String {
    let ty = ty.trim();
    if let Some(inner) = ty.strip_prefix("*mut ") {
        return format!("{} *", c_type_of_rust(inner));
    }
    if let Some(inner) = ty.strip_prefix("*const ") {
        return format!("const {} *", c_type_of_rust(inner));
    }
    match ty {
        "c_int" => "int",
        "c_char" => "char",
        "c_void" => "void",
        "u16" => "uint16_t",
        "u32" => "uint32_t",
        "u64" => "uint64_t",
        "usize" => "size_t",
        "isize" => "ssize_t",
        "CClientConfig" => "ferrotls_client_config",
        "CServerConfig" => "ferrotls_server_config",
        "CConn" => "ferrotls_conn",
        "CertificateRequestInfo<'_>" => "ferrotls_certificate_request",
        "Option<CertificateFn>" => "ferrotls_client_certificate_fn",
        "ClientHelloInfo<'_>" => "ferrotls_client_hello",
        "Option<ServerCertificateFn>" => "ferrotls_server_certificate_fn",
        "Option<PullFn>" => "ferrotls_pull_fn",
        "Option<PushFn>" => "ferrotls_push_fn",
        "Option<CacheStoreFn>" => "ferrotls_cache_store_fn",
        "Option<CacheRetrieveFn>" => "ferrotls_cache_retrieve_fn",
        "Option<CacheRemoveFn>" => "ferrotls_cache_remove_fn",
        "Option<CacheTakeFn>" => "ferrotls_cache_take_fn",
        other => panic!("no C equivalent known for Rust type {other}"),
    }
    .to_owned()
}

/// A prototype: result type and parameter types, as C tokens.
type Prototype = (Vec<String>, Vec<Vec<String>>);

/// Splits a parameter list at the commas outside `<>` and `()`.
fn split_params(list: &str) -> Vec<&str> {
    let (mut depth, mut start, mut out) = (0i32, 0, Vec::new());
    for (i, ch) in list.char_indices() {
        match ch {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&list[start..]);
    out.into_iter().filter(|p| !p.trim().is_empty()).collect()
}

/// Every `extern "C" fn name(..)` with a body in `src/*.rs` but this
/// file.
fn rust_prototypes() -> BTreeMap<String, Prototype> {
    let mut found = BTreeMap::new();
    let dir = Path::new(MANIFEST_DIR).join("src");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // This file names `extern "C" fn` in its comments, never defines one.
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("tests.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for (at, _) in source.match_indices("extern \"C\" fn ") {
            let rest = &source[at + "extern \"C\" fn ".len()..];
            let open = rest.find('(').unwrap();
            let name = rest[..open].trim();
            if name.is_empty() {
                continue; // a function pointer type, not a function
            }
            let close = open + rest[open..].find(')').unwrap();
            let params = split_params(&rest[open + 1..close])
                .into_iter()
                .map(|p| c_tokens(&c_type_of_rust(p.split_once(':').unwrap().1)))
                .collect();
            let after = rest[close + 1..rest.find('{').unwrap()].trim();
            let result = match after.strip_prefix("->") {
                Some(ty) => c_tokens(&c_type_of_rust(ty)),
                None => vec!["void".to_owned()],
            };
            assert!(
                found.insert(name.to_owned(), (result, params)).is_none(),
                "{name} defined twice"
            );
        }
    }
    found
}

/// The header without comments and preprocessor lines.
fn header_code() -> String {
    let text = read("include/ferrotls.h");
    let mut code = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find("/*") {
        code.push_str(&rest[..start]);
        rest = &rest[start + rest[start..].find("*/").unwrap() + 2..];
    }
    code.push_str(rest);
    code.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every function prototype `result ferrotls_x(params);` in the header.
fn header_prototypes() -> BTreeMap<String, Prototype> {
    let mut found = BTreeMap::new();
    for statement in header_code().split(';') {
        let statement = statement.trim().trim_start_matches(['{', '}']).trim();
        let statement = statement
            .strip_prefix("extern \"C\" {")
            .unwrap_or(statement)
            .trim();
        if statement.starts_with("typedef") {
            continue;
        }
        let Some(open) = statement.find('(') else {
            continue;
        };
        let mut head = c_tokens(&statement[..open]);
        let name = head.pop().unwrap();
        assert!(name.starts_with("ferrotls_"), "unexpected: {statement}");
        let close = statement.rfind(')').unwrap();
        // `(void)`: no parameters.
        let params = statement[open + 1..close]
            .split(',')
            .filter(|p| p.trim() != "void")
            .map(|p| {
                let mut tokens = c_tokens(p);
                // Drop the parameter's name.
                let last = tokens.pop().unwrap();
                assert!(
                    last.chars().all(|c| c.is_alphanumeric() || c == '_'),
                    "unnamed parameter in {name}: {p}"
                );
                tokens
            })
            .collect();
        assert!(
            found.insert(name.clone(), (head, params)).is_none(),
            "{name} declared twice"
        );
    }
    found
}

/// `#define NAME VALUE` lines of the header whose name starts with
/// `prefix`, values as integers.
fn header_defines(prefix: &str) -> BTreeMap<String, i64> {
    read("include/ferrotls.h")
        .lines()
        .filter_map(|l| l.strip_prefix("#define "))
        .filter_map(|l| l.split_once(' '))
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(name, value)| {
            let value = value.trim().trim_start_matches('(').trim_end_matches(')');
            let number = match value.strip_prefix("0x") {
                Some(hex) => i64::from_str_radix(hex, 16).unwrap(),
                None => value.parse().unwrap(),
            };
            (name.to_owned(), number)
        })
        .collect()
}

/// `ShortMemoryBuffer` → `FERROTLS_E_SHORT_MEMORY_BUFFER`.
fn c_code_name(code: Code) -> String {
    if code == Code::Success {
        return "FERROTLS_SUCCESS".to_owned();
    }
    let mut name = "FERROTLS_E".to_owned();
    for ch in format!("{code:?}").chars() {
        if ch.is_uppercase() {
            name.push('_');
        }
        name.push(ch.to_ascii_uppercase());
    }
    name
}

#[test]
fn header_declares_every_function_with_the_rust_types() {
    let rust = rust_prototypes();
    let header = header_prototypes();
    assert!(rust.len() >= 25, "found only {} Rust functions", rust.len());
    let rust_names: Vec<_> = rust.keys().collect();
    let header_names: Vec<_> = header.keys().collect();
    assert_eq!(rust_names, header_names, "function names differ");
    for (name, prototype) in &rust {
        assert_eq!(&header[name], prototype, "{name}: (result, parameters)");
    }
}

#[test]
fn header_error_codes_are_the_rust_codes() {
    let header = header_defines("FERROTLS_");
    let mut expected = BTreeMap::new();
    for &code in Code::ALL {
        expected.insert(c_code_name(code), i64::from(code.value()));
    }
    let codes: BTreeMap<_, _> = header
        .iter()
        .filter(|(name, _)| name.starts_with("FERROTLS_E_") || *name == "FERROTLS_SUCCESS")
        .map(|(n, v)| (n.clone(), *v))
        .collect();
    assert_eq!(codes, expected);
    // The values shared with GnuTLS.
    assert_eq!(codes["FERROTLS_E_AGAIN"], -28);
    assert_eq!(codes["FERROTLS_E_GOT_APPLICATION_DATA"], -38);
    assert_eq!(codes["FERROTLS_E_INVALID_REQUEST"], -50);
    assert_eq!(codes["FERROTLS_E_SHORT_MEMORY_BUFFER"], -51);
    // Channel binding types, GnuTLS's values.
    assert_eq!(header["FERROTLS_CB_TLS_UNIQUE"], i64::from(CB_TLS_UNIQUE));
    assert_eq!(
        header["FERROTLS_CB_TLS_EXPORTER"],
        i64::from(CB_TLS_EXPORTER)
    );
    // Versions: the range the setters accept.
    assert_eq!(header["FERROTLS_TLS1_0"], i64::from(MIN_VERSION));
    assert_eq!(header["FERROTLS_TLS1_3"], i64::from(MAX_VERSION));
    // What became of 0-RTT data.
    for (name, value) in [
        ("NOT_OFFERED", EARLY_DATA_NOT_OFFERED),
        ("OFFERED", EARLY_DATA_OFFERED),
        ("ACCEPTED", EARLY_DATA_ACCEPTED),
        ("REJECTED", EARLY_DATA_REJECTED),
    ] {
        assert_eq!(
            header[&format!("FERROTLS_EARLY_DATA_{name}")],
            i64::from(value)
        );
    }
    // What a client asks of servers about OCSP.
    for (name, value) in [
        ("OFF", OCSP_OFF),
        ("REQUEST", OCSP_REQUEST),
        ("REQUIRE", OCSP_REQUIRE),
    ] {
        assert_eq!(header[&format!("FERROTLS_OCSP_{name}")], i64::from(value));
    }
    // What a verifier does with a certificate no CRL covers.
    for (name, value) in [
        ("SOFT_FAIL", REVOCATION_SOFT_FAIL),
        ("HARD_FAIL", REVOCATION_HARD_FAIL),
    ] {
        assert_eq!(
            header[&format!("FERROTLS_REVOCATION_{name}")],
            i64::from(value)
        );
    }
    // The KeyUpdate flag, GnuTLS's GNUTLS_KU_PEER.
    assert_eq!(header["FERROTLS_KU_PEER"], i64::from(KU_PEER));
    assert_eq!(KU_PEER, 1);
    // Certificate types and their targets, GnuTLS's
    // gnutls_certificate_type_t and gnutls_ctype_target_t.
    for (name, value, gnutls) in [
        ("CRT_UNKNOWN", CRT_UNKNOWN, 0),
        ("CRT_X509", CRT_X509, 1),
        ("CRT_RAWPK", CRT_RAWPK, 3),
        ("CTYPE_CLIENT", CTYPE_CLIENT, 0),
        ("CTYPE_SERVER", CTYPE_SERVER, 1),
    ] {
        assert_eq!(header[&format!("FERROTLS_{name}")], i64::from(value));
        assert_eq!(value, gnutls, "{name}");
    }
    // The bound on session cache values.
    assert_eq!(
        header["FERROTLS_CACHE_MAX_DATA_SIZE"],
        i64::try_from(MAX_CACHE_DATA_SIZE).unwrap()
    );
}

#[test]
fn strerror_describes_every_code() {
    for &code in Code::ALL {
        let text = crate::ferrotls_strerror(code.value());
        // SAFETY: ferrotls_strerror returns a static NUL-terminated string.
        let text = unsafe { std::ffi::CStr::from_ptr(text) };
        assert_eq!(text, code.description());
    }
    let unknown = crate::ferrotls_strerror(7);
    // SAFETY: as above.
    let unknown = unsafe { std::ffi::CStr::from_ptr(unknown) };
    assert_eq!(unknown.to_str().unwrap(), "unknown error code");
}

/// Every reason [`ferrotls::EarlyDataReason`] has; the match makes a new
/// variant a compile error here until it is listed.
fn every_early_data_reason() -> Vec<ferrotls::EarlyDataReason> {
    use ferrotls::EarlyDataReason::*;
    let all = vec![
        Accepted,
        Disabled,
        ProtocolVersion,
        PeerDeclined,
        NoSessionOffered,
        SessionNotResumed,
        UnsupportedForSession,
        AlpnMismatch,
        HelloRetryRequest,
        TicketAgeSkew,
        ReplayProtection,
    ];
    for &reason in &all {
        match reason {
            Accepted
            | Disabled
            | ProtocolVersion
            | PeerDeclined
            | NoSessionOffered
            | SessionNotResumed
            | UnsupportedForSession
            | AlpnMismatch
            | HelloRetryRequest
            | TicketAgeSkew
            | ReplayProtection => {}
        }
    }
    all
}

/// The comment above `ferrotls_conn_early_data_reason` in the header
/// names, in quotes, exactly the names the function returns.
#[test]
fn header_names_every_early_data_reason() {
    let text = read("include/ferrotls.h");
    let prototype = text
        .find("ferrotls_conn_early_data_reason(")
        .expect("the prototype");
    let comment_start = text[..prototype].rfind("/*").expect("its comment");
    let comment = &text[comment_start..prototype];
    let quoted: Vec<&str> = comment.split('"').skip(1).step_by(2).collect();
    let names: Vec<&str> = every_early_data_reason()
        .into_iter()
        .map(ferrotls::EarlyDataReason::name)
        .collect();
    assert_eq!(quoted, names);
}
