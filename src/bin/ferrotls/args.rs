//! Command-line options: `--name VALUE` options, `--name` flags and
//! positional arguments, each subcommand declaring its own table.

use std::collections::HashMap;

/// One option a subcommand accepts.
pub struct OptionSpec {
    /// Its name, without the leading `--`.
    pub name: &'static str,
    /// The placeholder of its value (`FILE`), or `None` for a flag.
    pub value: Option<&'static str>,
    /// One line saying what it does.
    pub help: &'static str,
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
    }
}

/// Shorthand for an [`OptionSpec`] that is a flag.
pub const fn flag(name: &'static str, help: &'static str) -> OptionSpec {
    OptionSpec {
        name,
        value: None,
        help,
    }
}

/// Parsed arguments.
#[derive(Debug, Default)]
pub struct Options {
    values: HashMap<&'static str, String>,
    positionals: Vec<String>,
}

impl Options {
    /// The value of `--name`, if given.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
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

    /// The arguments that are not options, in order.
    pub fn positionals(&self) -> &[String] {
        &self.positionals
    }
}

/// Parses `args` against `specs`: each option at most once, values
/// required where the table says so, anything else positional.
pub fn parse(args: &[String], specs: &[OptionSpec]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let Some(name) = arg.strip_prefix("--") else {
            options.positionals.push(arg.clone());
            continue;
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
        if options.values.insert(spec.name, value).is_some() {
            return Err(format!("option {arg} given twice"));
        }
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
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[OptionSpec] = &[value("cert", "FILE", "a file"), flag("json", "json")];

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
    fn help_lists_every_option() {
        let text = describe(SPECS);
        assert!(text.contains("--cert FILE  a file"));
        assert!(text.contains("--json"));
        assert!(text.contains("--help"));
    }
}
