//! The C ABI (feature `capi`, issue 6): the hand-written header
//! `src/capi/ferrotls.h` declares exactly the `extern "C"` functions of
//! `src/capi/*.rs` with the same parameter types and the same result
//! codes, and the C program `tests/c/session_test.c`, compiled with `cc`
//! against the built library, runs a full handshake and resumptions
//! between a ferrotls client and server over a socketpair, in TLS 1.2 and
//! in TLS 1.3, and passes every check of the session functions.
//!
//! Run with `cargo test --features capi --test capi`.
#![cfg(feature = "capi")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use ferrotls::capi::config::{MAX_VERSION, MIN_VERSION};
use ferrotls::capi::Code;

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
        "usize" => "size_t",
        "isize" => "ssize_t",
        "CClientConfig" => "ferrotls_client_config",
        "CServerConfig" => "ferrotls_server_config",
        "CConn" => "ferrotls_conn",
        "Option<PullFn>" => "ferrotls_pull_fn",
        "Option<PushFn>" => "ferrotls_push_fn",
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

/// Every `extern "C" fn name(..)` with a body in `src/capi/*.rs`.
fn rust_prototypes() -> BTreeMap<String, Prototype> {
    let mut found = BTreeMap::new();
    let dir = Path::new(MANIFEST_DIR).join("src/capi");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
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
    let text = read("src/capi/ferrotls.h");
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
        let params = statement[open + 1..close]
            .split(',')
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
    read("src/capi/ferrotls.h")
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
    // The two values issue 6 fixes, equal to GnuTLS's.
    assert_eq!(codes["FERROTLS_E_INVALID_REQUEST"], -50);
    assert_eq!(codes["FERROTLS_E_SHORT_MEMORY_BUFFER"], -51);
    // Versions: the range the setters accept.
    assert_eq!(header["FERROTLS_TLS1_0"], i64::from(MIN_VERSION));
    assert_eq!(header["FERROTLS_TLS1_3"], i64::from(MAX_VERSION));
}

#[test]
fn strerror_describes_every_code() {
    for &code in Code::ALL {
        let text = ferrotls::capi::ferrotls_strerror(code.value());
        // SAFETY: ferrotls_strerror returns a static NUL-terminated string.
        let text = unsafe { std::ffi::CStr::from_ptr(text) };
        assert_eq!(text, code.description());
    }
    let unknown = ferrotls::capi::ferrotls_strerror(7);
    // SAFETY: as above.
    let unknown = unsafe { std::ffi::CStr::from_ptr(unknown) };
    assert_eq!(unknown.to_str().unwrap(), "unknown error code");
}

/// Builds the library with the C ABI (`cargo build --lib --features
/// capi`, the same profile and features as this test, so normally nothing
/// is rebuilt) and returns the directory of the shared library cargo
/// reports.
fn built_library_dir() -> PathBuf {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut command = Command::new(cargo);
    // The variables cargo sets for this test describe this package; left
    // in place, build scripts that watch them (ring's does) would rerun
    // and the library would be rebuilt twice per run.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if [
            "CARGO_PKG_",
            "CARGO_MANIFEST_",
            "CARGO_BIN_EXE_",
            "CARGO_CRATE_",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
        {
            command.env_remove(&*name);
        }
    }
    let output = command
        .args([
            "build",
            "--lib",
            "--features",
            "capi",
            "--message-format=json",
        ])
        .current_dir(MANIFEST_DIR)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo build failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let artifact = stdout
        .lines()
        .find(|l| {
            l.contains("\"reason\":\"compiler-artifact\"")
                && l.contains("\"name\":\"ferrotls\"")
                && l.contains("\"cdylib\"")
        })
        .expect("no cdylib artifact reported by cargo");
    let list = artifact.split("\"filenames\":[").nth(1).unwrap();
    let list = &list[..list.find(']').unwrap()];
    let shared = list
        .split(',')
        .map(|f| f.trim_matches('"'))
        .find(|f| f.ends_with(".so") || f.ends_with(".dylib"))
        .expect("no shared library among the artifacts");
    Path::new(shared).parent().unwrap().to_owned()
}

#[test]
fn c_program_handshakes_resumes_and_checks_every_session_function() {
    let lib_dir = built_library_dir();
    let exe = Path::new(env!("CARGO_TARGET_TMPDIR")).join("capi_session_test");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let status = Command::new(cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pedantic"])
        .arg(format!("-I{MANIFEST_DIR}/src/capi"))
        .arg(format!("{MANIFEST_DIR}/tests/c/session_test.c"))
        .arg("-o")
        .arg(&exe)
        .arg(format!("-L{}", lib_dir.display()))
        .arg(format!("-Wl,-rpath,{}", lib_dir.display()))
        .args(["-lferrotls", "-lpthread"])
        .status()
        .unwrap();
    assert!(status.success(), "cc failed");

    for version in ["1.2", "1.3"] {
        let output = Command::new(&exe)
            .arg(format!("{MANIFEST_DIR}/vectors/pki"))
            .arg(version)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "C test with TLS {version} failed ({}):\n{stdout}{stderr}",
            output.status
        );
        for line in [
            "configs and NULL arguments: ok",
            "get_id: NULL args, size query, exact size, too small: ok",
            "get_data: before and after the ticket, size query, too small: ok",
            "A full handshake: not resumed, 32-byte IDs: ok",
            "B resumed from the store: server ID kept, client ID fresh: ok",
            "C resumed from set_data: server ID kept through A, B, C: ok",
            "D corrupted set_data: refused, full handshake, new server ID: ok",
            "ALL OK",
        ] {
            assert!(
                stdout.lines().any(|l| l == line),
                "TLS {version}: missing {line:?} in:\n{stdout}"
            );
        }
    }
}
