//! Command-line options: `--name VALUE` options, `--name` flags and
//! positional arguments, each subcommand declaring its own table; and the
//! one table of OpenSSL `s_client`/`s_server` spellings ([`ALIASES`]),
//! each standing for options of ours, so `-connect host:443 -CAfile
//! ca.pem` works as it does with `openssl`.

use std::collections::HashMap;

/// One option a subcommand accepts.
pub struct OptionSpec {
    /// Its name, without the leading `--`.
    pub name: &'static str,
    /// The placeholder of its value (`FILE`), or `None` for a flag.
    pub value: Option<&'static str>,
    /// One line saying what it does.
    pub help: &'static str,
    /// Whether it may be given more than once (each value kept).
    pub repeatable: bool,
}

/// Shorthand for an [`OptionSpec`] that takes a value.
pub const fn value(
    name: &'static str,
    placeholder: &'static str,
    help: &'static str,
) -> OptionSpec {
    OptionSpec {
        name,
        value: Some(placeholder),
        help,
        repeatable: false,
    }
}

/// Shorthand for an [`OptionSpec`] that takes a value and may be given
/// more than once.
pub const fn repeated(
    name: &'static str,
    placeholder: &'static str,
    help: &'static str,
) -> OptionSpec {
    OptionSpec {
        repeatable: true,
        ..value(name, placeholder, help)
    }
}

/// Shorthand for an [`OptionSpec`] that is a flag.
pub const fn flag(name: &'static str, help: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        value: None,
        help,
        repeatable: false,
    }
}

/// What an OpenSSL spelling stands for.
pub enum Meaning {
    /// The option of ours of this name, with the same value if it takes
    /// one.
    Same(&'static str),
    /// These options of ours with these values.
    Fixed(&'static [(&'static str, &'static str)]),
    /// Nothing: what the OpenSSL option asks for is already the tool's
    /// behaviour.
    Nothing,
}

/// An OpenSSL spelling accepted in place of options of ours.
pub struct Alias {
    /// The OpenSSL option, without its single leading `-`.
    pub openssl: &'static str,
    /// What it stands for.
    pub meaning: Meaning,
}

/// OpenSSL's `s_client`/`s_server` spellings. Each applies to a
/// subcommand that has the options it stands for; [`Meaning::Nothing`]
/// applies wherever another alias does.
pub const ALIASES: &[Alias] = &[
    Alias {
        openssl: "connect",
        meaning: Meaning::Same("connect"),
    },
    Alias {
        openssl: "servername",
        meaning: Meaning::Same("servername"),
    },
    Alias {
        openssl: "CAfile",
        meaning: Meaning::Same("cafile"),
    },
    Alias {
        openssl: "cert",
        meaning: Meaning::Same("cert"),
    },
    Alias {
        openssl: "key",
        meaning: Meaning::Same("key"),
    },
    Alias {
        openssl: "alpn",
        meaning: Meaning::Same("alpn"),
    },
    Alias {
        openssl: "max_send_frag",
        meaning: Meaning::Same("max-send-fragment"),
    },
    Alias {
        openssl: "tls1_2",
        meaning: Meaning::Fixed(&[("min-version", "1.2"), ("max-version", "1.2")]),
    },
    Alias {
        openssl: "tls1_3",
        meaning: Meaning::Fixed(&[("min-version", "1.3"), ("max-version", "1.3")]),
    },
    // s_client -reconnect connects once, then 5 more times resuming.
    Alias {
        openssl: "reconnect",
        meaning: Meaning::Fixed(&[("connections", "6")]),
    },
    Alias {
        openssl: "sess_out",
        meaning: Meaning::Same("sess-out"),
    },
    Alias {
        openssl: "sess_in",
        meaning: Meaning::Same("sess-in"),
    },
    Alias {
        openssl: "showcerts",
        meaning: Meaning::Same("showcerts"),
    },
    Alias {
        openssl: "msg",
        meaning: Meaning::Same("trace"),
    },
    Alias {
        openssl: "psk_identity",
        meaning: Meaning::Same("psk-identity"),
    },
    Alias {
        openssl: "psk",
        meaning: Meaning::Same("psk"),
    },
    // `openssl verify`'s policy options.
    Alias {
        openssl: "policy",
        meaning: Meaning::Same("policy"),
    },
    Alias {
        openssl: "explicit_policy",
        meaning: Meaning::Same("explicit-policy"),
    },
    Alias {
        openssl: "inhibit_map",
        meaning: Meaning::Same("inhibit-policy-mapping"),
    },
    Alias {
        openssl: "inhibit_any",
        meaning: Meaning::Same("inhibit-any-policy"),
    },
    Alias {
        openssl: "attime",
        meaning: Meaning::Same("time"),
    },
    Alias {
        openssl: "verify_depth",
        meaning: Meaning::Same("max-path-length"),
    },
    // s_client/s_server -quiet leaves out session and certificate
    // details, which the tool prints only when asked.
    Alias {
        openssl: "quiet",
        meaning: Meaning::Nothing,
    },
];

/// Whether `alias` applies to a subcommand with the options `specs`.
fn applies(alias: &Alias, specs: &[OptionSpec]) -> bool {
    let has = |name: &str| specs.iter().any(|s| s.name == name);
    match alias.meaning {
        Meaning::Same(name) => has(name),
        Meaning::Fixed(pairs) => pairs.iter().all(|(name, _)| has(name)),
        Meaning::Nothing => ALIASES
            .iter()
            .any(|a| !matches!(a.meaning, Meaning::Nothing) && applies(a, specs)),
    }
}

/// Parsed arguments.
#[derive(Debug, Default)]
pub struct Options {
    values: HashMap<&'static str, Vec<String>>,
    positionals: Vec<String>,
}

impl Options {
    /// The value of `--name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// Every value of the repeatable `--name`, in order (none if absent).
    pub fn all(&self, name: &str) -> &[String] {
        self.values.get(name).map_or(&[], Vec::as_slice)
    }

    /// Whether the flag (or option) `--name` was given.
    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// The value of `--name`, or an error naming it.
    pub fn required(&self, name: &str) -> Result<&str, String> {
        self.get(name).ok_or_else(|| format!("missing --{name}"))
    }

    /// The value of `--name` parsed as a number, if given.
    pub fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, String> {
        self.get(name)
            .map(|v| v.parse().map_err(|_| format!("invalid --{name} {v:?}")))
            .transpose()
    }

    /// The option `name` as a whole number of seconds, if given (at
    /// least 1).
    pub fn seconds(&self, name: &str) -> Result<Option<std::time::Duration>, String> {
        match self.number::<u64>(name)? {
            Some(0) => Err(format!("--{name} must be at least 1 second")),
            secs => Ok(secs.map(std::time::Duration::from_secs)),
        }
    }

    /// The arguments that are not options, in order.
    pub fn positionals(&self) -> &[String] {
        &self.positionals
    }

    /// Records `--name value`, given as `arg`; each option at most once,
    /// however spelt, unless it is repeatable.
    fn set(
        &mut self,
        arg: &str,
        name: &str,
        value: String,
        specs: &[OptionSpec],
    ) -> Result<(), String> {
        let spec = specs
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| format!("unknown option {arg:?}"))?;
        let values = self.values.entry(spec.name).or_default();
        if !values.is_empty() && !spec.repeatable {
            return Err(format!("option {arg} repeats --{name}"));
        }
        values.push(value);
        Ok(())
    }
}

/// Parses `args` against `specs`: each option at most once (unless
/// repeatable), values
/// required where the table says so, anything else positional.
pub fn parse(args: &[String], specs: &[OptionSpec]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let name = match arg.strip_prefix("--") {
            Some(name) => name,
            None => match arg.strip_prefix('-').filter(|a| !a.is_empty()) {
                Some(openssl) => {
                    let alias = ALIASES
                        .iter()
                        .find(|a| a.openssl == openssl && applies(a, specs))
                        .ok_or_else(|| format!("unknown option {arg:?}"))?;
                    match alias.meaning {
                        Meaning::Same(name) => name,
                        Meaning::Fixed(pairs) => {
                            for (name, value) in pairs {
                                options.set(arg, name, (*value).to_owned(), specs)?;
                            }
                            continue;
                        }
                        Meaning::Nothing => continue,
                    }
                }
                None => {
                    options.positionals.push(arg.clone());
                    continue;
                }
            },
        };
        let spec = specs
            .iter()
            .find(|s| s.name == name)
            .ok_or_else(|| format!("unknown option {arg:?}"))?;
        let value = match spec.value {
            Some(_) => args
                .next()
                .ok_or_else(|| format!("option {arg} needs a value"))?
                .clone(),
            None => String::new(),
        };
        options.set(arg, name, value, specs)?;
    }
    Ok(options)
}

/// The option table as `--help` text, one option a line.
pub fn describe(specs: &[OptionSpec]) -> String {
    let heads: Vec<String> = specs
        .iter()
        .map(|s| match s.value {
            Some(v) => format!("--{} {v}", s.name),
            None => format!("--{}", s.name),
        })
        .collect();
    let width = heads.iter().map(String::len).max().unwrap_or(0);
    let mut text = String::new();
    for (head, spec) in heads.iter().zip(specs) {
        text.push_str(&format!("  {head:width$}  {}\n", spec.help));
    }
    text.push_str(&format!("  {:width$}  {}", "--help", "print this text"));
    let aliases: Vec<(String, String)> = ALIASES
        .iter()
        .filter(|a| applies(a, specs))
        .map(|a| (format!("-{}", a.openssl), alias_meaning(a, specs)))
        .collect();
    if !aliases.is_empty() {
        let width = aliases
            .iter()
            .map(|(head, _)| head.len())
            .max()
            .unwrap_or(0);
        text.push_str("\n\nOpenSSL spellings (s_client, s_server, verify):");
        for (head, meaning) in aliases {
            text.push_str(&format!("\n  {head:width$}  {meaning}"));
        }
    }
    text
}

/// What `alias` stands for, as `--help` says it.
fn alias_meaning(alias: &Alias, specs: &[OptionSpec]) -> String {
    match alias.meaning {
        Meaning::Same(name) => {
            let placeholder = specs
                .iter()
                .find(|s| s.name == name)
                .and_then(|s| s.value)
                .map_or_else(String::new, |v| format!(" {v}"));
            format!("--{name}{placeholder}")
        }
        Meaning::Fixed(pairs) => pairs
            .iter()
            .map(|(name, value)| format!("--{name} {value}"))
            .collect::<Vec<_>>()
            .join(" "),
        Meaning::Nothing => {
            "accepted; changes nothing (details are printed only when asked)".to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[OptionSpec] = &[
        value("cert", "FILE", "a file"),
        flag("json", "json"),
        value("min-version", "V", "lowest"),
        value("max-version", "V", "highest"),
        repeated("crl", "FILE", "many files"),
    ];

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|a| a.to_string()).collect()
    }

    #[test]
    fn options_flags_and_positionals() {
        let options = parse(&strings(&["host:1", "--cert", "c.pem", "--json"]), SPECS).unwrap();
        assert_eq!(options.get("cert"), Some("c.pem"));
        assert!(options.has("json"));
        assert!(!options.has("other"));
        assert_eq!(options.positionals(), ["host:1"]);
    }

    #[test]
    fn unknown_repeated_and_valueless_options_are_refused() {
        assert!(parse(&strings(&["--nope"]), SPECS).is_err());
        assert!(parse(&strings(&["--json", "--json"]), SPECS).is_err());
        assert!(parse(&strings(&["--cert"]), SPECS).is_err());
    }

    #[test]
    fn repeatable_options_keep_every_value() {
        let options = parse(
            &strings(&["--crl", "a", "--cert", "c", "--crl", "b"]),
            SPECS,
        )
        .unwrap();
        assert_eq!(options.all("crl"), ["a", "b"]);
        assert_eq!(options.get("crl"), Some("a"));
        assert_eq!(options.all("cert"), ["c"]);
        assert!(options.all("json").is_empty());
    }

    #[test]
    fn help_lists_every_option() {
        let text = describe(SPECS);
        assert!(text
            .lines()
            .any(|l| l.starts_with("  --cert FILE  ") && l.ends_with("  a file")));
        assert!(text.contains("--json"));
        assert!(text.contains("--help"));
    }

    #[test]
    fn openssl_spellings_stand_for_our_options() {
        let options = parse(
            &strings(&["-cert", "c.pem", "-tls1_3", "-quiet", "host:1"]),
            SPECS,
        )
        .unwrap();
        assert_eq!(options.get("cert"), Some("c.pem"));
        assert_eq!(options.get("min-version"), Some("1.3"));
        assert_eq!(options.get("max-version"), Some("1.3"));
        assert_eq!(options.positionals(), ["host:1"]);
        // An alias counts as the options it stands for.
        assert!(parse(&strings(&["-tls1_2", "--max-version", "1.3"]), SPECS).is_err());
        assert!(parse(&strings(&["-cert", "a", "--cert", "b"]), SPECS).is_err());
        // Only where this command has what they stand for.
        assert!(parse(&strings(&["-CAfile", "ca.pem"]), SPECS).is_err());
        assert!(parse(&strings(&["-nope"]), SPECS).is_err());
    }

    #[test]
    fn help_lists_the_aliases_that_apply() {
        let text = describe(SPECS);
        assert!(text.contains("\n  -cert    --cert FILE\n"), "{text}");
        assert!(
            text.contains("\n  -tls1_2  --min-version 1.2 --max-version 1.2\n"),
            "{text}"
        );
        assert!(text.contains("-quiet"), "{text}");
        assert!(!text.contains("-CAfile"), "{text}");
        assert!(!describe(&[flag("x", "")]).contains("-quiet"));
    }
}
