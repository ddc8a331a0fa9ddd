//! The layer check: keeps the module graph of `src/` one-way.
//!
//! Reads every `src/**/*.rs` (the command-line tool in `src/bin/` is a
//! client of the library and left out), collects what each file names of
//! the crate — `use crate::…` (grouped, `pub`/`pub(crate)`), `super::` and
//! `self::` imports resolved to absolute paths, and inline `crate::x::y`
//! paths in code — and resolves each name to its top-level module and to
//! the file that defines it (the longest existing prefix: `src/a/b.rs` or
//! `src/a/b/mod.rs`). It fails, listing every offending import, on:
//!
//! 1. an import from a module to a module of a higher layer;
//! 2. a cycle among top-level modules;
//! 3. a cycle among files, where edges into or out of a `mod.rs` (a
//!    module's facade: it re-exports its children, and they use its shared
//!    items) and `lib.rs` are left out.
//!
//! The layer order is the block between `<!-- layers:begin -->` and
//! `<!-- layers:end -->` in `docs/architecture.md`, one line per layer,
//! lowest first: `- layer N: modA, modB`. A module declared in
//! `src/lib.rs` but missing from the block is itself an error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Where the layer order is written.
const ARCHITECTURE_DOC: &str = "docs/architecture.md";
const LAYERS_BEGIN: &str = "<!-- layers:begin -->";
const LAYERS_END: &str = "<!-- layers:end -->";

/// One source file: its path relative to the crate root (`src/a/b.rs`) and
/// its text.
struct SourceFile {
    path: String,
    text: String,
}

/// One name a file uses from the crate, resolved.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from_file: String,
    to_file: String,
    from_module: String,
    to_module: String,
    /// The absolute path as resolved, `crate::a::b::Name`.
    name: String,
}

impl std::fmt::Display for Edge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} → {} ({})", self.from_file, self.to_file, self.name)
    }
}

// ---------------------------------------------------------------------------
// Lexing: comments and literals blanked, then tokens.

/// `text` with every comment and string/char literal replaced by spaces,
/// so that only code is left (doc links such as `[crate::Error]` and
/// strings do not count as imports).
fn strip_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r'
            && (i == 0
                || !is_ident(chars[i - 1])
                || (chars[i - 1] == 'b' && (i < 2 || !is_ident(chars[i - 2]))))
            && matches!(next, Some('"') | Some('#'))
            && raw_string_hashes(&chars, i + 1).is_some()
        {
            let hashes = raw_string_hashes(&chars, i + 1).unwrap_or(0);
            i += 1 + hashes + 1;
            while i < chars.len() {
                if chars[i] == '"' && (0..hashes).all(|k| chars.get(i + 1 + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
            out.push_str(" \"\" ");
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str(" \"\" ");
        } else if c == '\'' && next == Some('\\') {
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str(" 'c' ");
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i += 3;
            out.push_str(" 'c' ");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// At `start` (just after an `r`), the number of `#` before a `"` when
/// this opens a raw string.
fn raw_string_hashes(chars: &[char], start: usize) -> Option<usize> {
    let hashes = chars[start..].iter().take_while(|&&c| c == '#').count();
    (chars.get(start + hashes) == Some(&'"')).then_some(hashes)
}

/// Identifiers (with a leading `$` kept, for `$crate`), `::`, and single
/// punctuation characters; literals and whitespace are dropped.
fn tokens(code: &str) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push("::".to_string());
            i += 2;
        } else if c.is_whitespace() || c.is_ascii_digit() {
            i += 1;
        } else {
            out.push(c.to_string());
            i += 1;
        }
    }
    out
}

fn is_ident(token: &str) -> bool {
    token
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

// ---------------------------------------------------------------------------
// Use trees.

/// Expands the use tree in `toks` (after `use`, before `;`) into full
/// paths; `self` inside a group stands for the group's prefix; renames
/// (`as x`) are dropped.
fn expand_use_tree(toks: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut pos = 0;
    if toks.first().map(String::as_str) == Some("::") {
        return out; // `use ::extern_crate::…`
    }
    use_tree(toks, &mut pos, Vec::new(), &mut out);
    out
}

fn use_tree(toks: &[String], pos: &mut usize, mut prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    loop {
        match toks.get(*pos).map(String::as_str) {
            Some("{") => {
                *pos += 1;
                loop {
                    match toks.get(*pos).map(String::as_str) {
                        Some("}") => {
                            *pos += 1;
                            return;
                        }
                        Some(",") => *pos += 1,
                        None => return,
                        _ => use_tree(toks, pos, prefix.clone(), out),
                    }
                }
            }
            Some("*") => {
                *pos += 1;
                out.push(prefix);
                return;
            }
            Some(t) if is_ident(t) => {
                *pos += 1;
                if t != "self" || prefix.is_empty() {
                    prefix.push(t.to_string());
                }
                if toks.get(*pos).map(String::as_str) == Some("::") {
                    *pos += 1;
                    continue;
                }
                if toks.get(*pos).map(String::as_str) == Some("as") {
                    *pos += 2;
                }
                out.push(prefix);
                return;
            }
            _ => {
                *pos += 1;
                return;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// One file: the crate paths it names.

/// The module path of a file: `src/lib.rs` → `[]`, `src/a/mod.rs` →
/// `[a]`, `src/a/b.rs` → `[a, b]`.
fn module_of_file(path: &str) -> Vec<String> {
    let rel = path.strip_prefix("src/").unwrap_or(path);
    let rel = rel.strip_suffix(".rs").unwrap_or(rel);
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if matches!(parts.last().map(String::as_str), Some("mod") | Some("lib")) {
        parts.pop();
    }
    parts
}

/// Every crate path `text` (the file at module path `module`) names, as
/// absolute paths without the leading `crate`.
fn crate_paths(module: &[String], text: &str) -> Vec<Vec<String>> {
    let toks = tokens(&strip_comments_and_literals(text));
    let declared: BTreeSet<&str> = toks
        .windows(2)
        .filter(|w| w[0] == "mod" && is_ident(&w[1]))
        .map(|w| w[1].as_str())
        .collect();
    let mut scope: Vec<String> = module.to_vec();
    // (depth at which an inline `mod x {` opened, so it can be closed)
    let mut inline_mods: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i].as_str();
        let after_path_sep = i > 0 && toks[i - 1] == "::";
        match t {
            "{" => depth += 1,
            "}" => {
                depth = depth.saturating_sub(1);
                if inline_mods.last() == Some(&depth) {
                    inline_mods.pop();
                    scope.pop();
                }
            }
            "mod" if toks.get(i + 2).map(String::as_str) == Some("{") => {
                scope.push(toks[i + 1].clone());
                inline_mods.push(depth);
                depth += 1;
                i += 3;
                continue;
            }
            "use" if !after_path_sep => {
                let end = toks[i..]
                    .iter()
                    .position(|t| t == ";")
                    .map_or(toks.len(), |p| i + p);
                for path in expand_use_tree(&toks[i + 1..end]) {
                    if let Some(abs) = absolute(&scope, &path, &declared) {
                        out.push(abs);
                    }
                }
                i = end + 1;
                continue;
            }
            "crate" | "$crate" | "super" | "self"
                if !after_path_sep && toks.get(i + 1).map(String::as_str) == Some("::") =>
            {
                let mut path = vec![t.trim_start_matches('$').to_string()];
                let mut j = i + 1;
                while toks.get(j).map(String::as_str) == Some("::")
                    && toks.get(j + 1).is_some_and(|n| is_ident(n))
                {
                    path.push(toks[j + 1].clone());
                    j += 2;
                }
                if let Some(abs) = absolute(&scope, &path, &declared) {
                    out.push(abs);
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// `path` as written in scope `scope` → the absolute path (without
/// `crate`), or `None` when it names something outside the crate.
fn absolute(scope: &[String], path: &[String], declared: &BTreeSet<&str>) -> Option<Vec<String>> {
    let first = path.first()?.as_str();
    let mut base: Vec<String>;
    let mut rest = path;
    match first {
        "crate" => {
            base = Vec::new();
            rest = &path[1..];
        }
        "self" | "super" => {
            base = scope.to_vec();
            while let Some(seg) = rest.first() {
                match seg.as_str() {
                    "self" => {}
                    "super" => {
                        base.pop();
                    }
                    _ => break,
                }
                rest = &rest[1..];
            }
        }
        // Rust 2018 paths may start with a child module of the scope.
        name if declared.contains(name) => base = scope.to_vec(),
        _ => return None,
    }
    base.extend(rest.iter().cloned());
    Some(base)
}

// ---------------------------------------------------------------------------
// The crate: resolution to files and modules.

struct Crate {
    files: Vec<SourceFile>,
    known: BTreeSet<String>,
    /// Modules declared in `src/lib.rs`.
    top_modules: BTreeSet<String>,
    /// Names `src/lib.rs` re-exports: name → absolute path.
    root_reexports: BTreeMap<String, Vec<String>>,
}

impl Crate {
    fn new(files: Vec<SourceFile>) -> Self {
        let known = files.iter().map(|f| f.path.clone()).collect();
        let lib = files
            .iter()
            .find(|f| f.path == "src/lib.rs")
            .map_or("", |f| f.text.as_str());
        let toks = tokens(&strip_comments_and_literals(lib));
        let top_modules = toks
            .windows(2)
            .filter(|w| w[0] == "mod" && is_ident(&w[1]))
            .map(|w| w[1].clone())
            .collect::<BTreeSet<_>>();
        let declared: BTreeSet<&str> = top_modules.iter().map(String::as_str).collect();
        let mut root_reexports = BTreeMap::new();
        for path in crate_paths(&[], lib) {
            if let Some(last) = path.last() {
                if !declared.contains(path[0].as_str()) || path.len() > 1 {
                    root_reexports.insert(last.clone(), path.clone());
                }
            }
        }
        Crate {
            files,
            known,
            top_modules,
            root_reexports,
        }
    }

    /// The file defining absolute `path`: the longest prefix that is a file.
    fn file_of(&self, path: &[String]) -> String {
        for k in (1..=path.len()).rev() {
            let stem = path[..k].join("/");
            for candidate in [format!("src/{stem}.rs"), format!("src/{stem}/mod.rs")] {
                if self.known.contains(&candidate) {
                    return candidate;
                }
            }
        }
        "src/lib.rs".to_string()
    }

    /// Every resolved edge of the crate (self-edges left out).
    fn edges(&self) -> Vec<Edge> {
        let mut edges = BTreeSet::new();
        for file in &self.files {
            if file.path == "src/lib.rs" {
                continue;
            }
            let module = module_of_file(&file.path);
            let from_module = module.first().cloned().unwrap_or_default();
            for mut path in crate_paths(&module, &file.text) {
                if let Some(first) = path.first() {
                    if !self.top_modules.contains(first) {
                        if let Some(target) = self.root_reexports.get(first) {
                            let mut resolved = target.clone();
                            resolved.extend(path.drain(1..));
                            path = resolved;
                        }
                    }
                }
                let to_file = self.file_of(&path);
                if to_file == file.path {
                    continue;
                }
                let to_module = module_of_file(&to_file)
                    .first()
                    .cloned()
                    .unwrap_or_default();
                edges.insert(Edge {
                    from_file: file.path.clone(),
                    to_file,
                    from_module: from_module.clone(),
                    to_module,
                    name: format!("crate::{}", path.join("::")),
                });
            }
        }
        edges.into_iter().collect()
    }
}

// ---------------------------------------------------------------------------
// The layer order.

/// Parses the block between the markers: module → layer number.
fn parse_layers(doc: &str) -> Result<BTreeMap<String, u32>, String> {
    let begin = doc
        .find(LAYERS_BEGIN)
        .ok_or_else(|| format!("no `{LAYERS_BEGIN}` line"))?;
    let end = doc
        .find(LAYERS_END)
        .ok_or_else(|| format!("no `{LAYERS_END}` line"))?;
    let block = doc
        .get(begin + LAYERS_BEGIN.len()..end)
        .ok_or("the layer markers are out of order")?;
    let mut layers = BTreeMap::new();
    for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let bad = || format!("layer line not of the form `- layer N: a, b`: {line}");
        let rest = line.strip_prefix("- layer ").ok_or_else(bad)?;
        let (number, modules) = rest.split_once(':').ok_or_else(bad)?;
        let number: u32 = number.trim().parse().map_err(|_| bad())?;
        for module in modules.split(',').map(str::trim) {
            if module.is_empty() {
                return Err(bad());
            }
            if layers.insert(module.to_string(), number).is_some() {
                return Err(format!("module `{module}` is in two layers"));
            }
        }
    }
    Ok(layers)
}

// ---------------------------------------------------------------------------
// Graphs.

/// The strongly connected components of more than one node (Tarjan).
fn cycles(nodes: &BTreeSet<String>, edges: &BTreeSet<(String, String)>) -> Vec<BTreeSet<String>> {
    struct Tarjan<'a> {
        succ: BTreeMap<&'a str, Vec<&'a str>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<BTreeSet<String>>,
    }
    impl<'a> Tarjan<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            for w in self.succ.get(v).cloned().unwrap_or_default() {
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut component = BTreeSet::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    component.insert(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    self.out.push(component);
                }
            }
        }
    }
    let mut succ: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (a, b) in edges {
        succ.entry(a.as_str()).or_default().push(b.as_str());
    }
    let mut t = Tarjan {
        succ,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in nodes {
        if !t.index.contains_key(v.as_str()) {
            t.visit(v);
        }
    }
    t.out
}

/// Every violation of the layer rules, one line each (empty: all good).
fn check(files: Vec<SourceFile>, doc: &str) -> Vec<String> {
    let krate = Crate::new(files);
    let layers = match parse_layers(doc) {
        Ok(layers) => layers,
        Err(e) => return vec![format!("{ARCHITECTURE_DOC}: {e}")],
    };
    let mut problems = Vec::new();
    for module in &krate.top_modules {
        if !layers.contains_key(module) {
            problems.push(format!(
                "module `{module}` (src/lib.rs) is in no layer of {ARCHITECTURE_DOC}"
            ));
        }
    }
    let edges: Vec<Edge> = krate
        .edges()
        .into_iter()
        .filter(|e| krate.top_modules.contains(&e.from_module))
        .collect();

    // 1. Upward imports.
    for e in &edges {
        if let (Some(from), Some(to)) = (layers.get(&e.from_module), layers.get(&e.to_module)) {
            if from < to {
                problems.push(format!(
                    "upward import: {} (layer {from}) uses {} (layer {to}): {e}",
                    e.from_module, e.to_module
                ));
            }
        }
    }

    // 2. Cycles among top-level modules.
    let module_edges: BTreeSet<(String, String)> = edges
        .iter()
        .filter(|e| e.from_module != e.to_module && krate.top_modules.contains(&e.to_module))
        .map(|e| (e.from_module.clone(), e.to_module.clone()))
        .collect();
    for cycle in cycles(&krate.top_modules, &module_edges) {
        let names: Vec<&str> = cycle.iter().map(String::as_str).collect();
        problems.push(format!("module cycle: {}", names.join(", ")));
        for e in edges
            .iter()
            .filter(|e| e.from_module != e.to_module)
            .filter(|e| cycle.contains(&e.from_module) && cycle.contains(&e.to_module))
        {
            problems.push(format!("    {e}"));
        }
    }

    // 3. Cycles among files, facades (`mod.rs`, `lib.rs`) left out.
    let facade = |f: &str| f.ends_with("/mod.rs") || f == "src/lib.rs";
    let file_edges: Vec<&Edge> = edges
        .iter()
        .filter(|e| !facade(&e.from_file) && !facade(&e.to_file))
        .collect();
    let file_pairs: BTreeSet<(String, String)> = file_edges
        .iter()
        .map(|e| (e.from_file.clone(), e.to_file.clone()))
        .collect();
    let file_nodes: BTreeSet<String> = krate.files.iter().map(|f| f.path.clone()).collect();
    for cycle in cycles(&file_nodes, &file_pairs) {
        let names: Vec<&str> = cycle.iter().map(String::as_str).collect();
        problems.push(format!("file cycle: {}", names.join(", ")));
        for e in file_edges
            .iter()
            .filter(|e| cycle.contains(&e.from_file) && cycle.contains(&e.to_file))
        {
            problems.push(format!("    {e}"));
        }
    }
    problems
}

// ---------------------------------------------------------------------------
// The real tree.

fn read_tree(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let rel = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if path.is_dir() {
            if rel != "src/bin" {
                read_tree(&path, root, out);
            }
        } else if rel.ends_with(".rs") {
            out.push(SourceFile {
                text: std::fs::read_to_string(&path).unwrap(),
                path: rel,
            });
        }
    }
}

#[test]
fn src_imports_follow_the_layers_of_architecture_md() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    read_tree(&root.join("src"), root, &mut files);
    assert!(files.iter().any(|f| f.path == "src/lib.rs"));
    let doc = std::fs::read_to_string(root.join(ARCHITECTURE_DOC)).unwrap();
    let problems = check(files, &doc);
    assert!(
        problems.is_empty(),
        "{} layer rule violation(s):\n{}",
        problems.iter().filter(|p| !p.starts_with("    ")).count(),
        problems.join("\n")
    );
}

// ---------------------------------------------------------------------------
// The checker itself, on small inline trees.

fn file(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.to_string(),
        text: text.to_string(),
    }
}

const DOC: &str = "intro\n<!-- layers:begin -->\n- layer 0: low\n- layer 1: mid, side\n- layer 2: high\n<!-- layers:end -->\n";

const LIB: &str = "pub mod low;\npub mod mid;\npub mod side;\npub mod high;\npub use low::Thing;\n";

fn paths(module: &[&str], text: &str) -> Vec<String> {
    let module: Vec<String> = module.iter().map(|s| s.to_string()).collect();
    crate_paths(&module, text)
        .into_iter()
        .map(|p| p.join("::"))
        .collect()
}

#[test]
fn grouped_use_over_several_lines_is_expanded() {
    let text = "pub(crate) use crate::{\n    low::a::B,\n    mid::{self, c::{D, E as F}},\n};\n";
    assert_eq!(
        paths(&["high"], text),
        ["low::a::B", "mid", "mid::c::D", "mid::c::E"]
    );
}

#[test]
fn super_self_and_child_module_imports_resolve_to_absolute_paths() {
    let text = "mod child;\nuse super::x::Y;\npub use self::z::W;\nuse child::V;\nuse super::super::top::T;\nuse std::io;\nuse ring::aead;\n";
    assert_eq!(
        paths(&["a", "b"], text),
        ["a::x::Y", "a::b::z::W", "a::b::child::V", "top::T"]
    );
}

#[test]
fn inline_paths_count_but_comments_and_strings_do_not() {
    let text = "/// See [`crate::doc::Only`].\n// crate::comment::Only\nfn f() -> crate::real::Path<u8> { let s = \"crate::string::Only\"; let r = r#\"crate::raw::Only\"#; let c = '\"'; crate::other::call::<u8>(c); let x = 'a; }\n/* crate::block::Only */\n";
    assert_eq!(paths(&["m"], text), ["real::Path", "other::call"]);
}

#[test]
fn super_inside_an_inline_module_is_relative_to_it() {
    let text =
        "mod tests {\n    use super::*;\n    use super::super::up::U;\n}\nuse super::side::S;\n";
    assert_eq!(paths(&["a", "b"], text), ["a::b", "a::up::U", "a::side::S"]);
}

#[test]
fn names_resolve_to_the_longest_existing_file() {
    let krate = Crate::new(vec![
        file("src/lib.rs", LIB),
        file("src/low/mod.rs", ""),
        file("src/low/a.rs", ""),
        file("src/mid.rs", ""),
    ]);
    let p = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
    assert_eq!(krate.file_of(&p("low::a::B")), "src/low/a.rs");
    assert_eq!(krate.file_of(&p("low::C")), "src/low/mod.rs");
    assert_eq!(krate.file_of(&p("mid::x::Y")), "src/mid.rs");
    assert_eq!(krate.file_of(&p("Thing")), "src/lib.rs");
}

#[test]
fn a_clean_tree_passes() {
    let problems = check(
        vec![
            file("src/lib.rs", LIB),
            file("src/low.rs", "pub struct Thing;"),
            file("src/mid.rs", "use crate::low::Thing;"),
            file("src/side.rs", "use crate::mid;"),
            file("src/high.rs", "use crate::{side, Thing};"),
        ],
        DOC,
    );
    assert_eq!(problems, Vec::<String>::new());
}

#[test]
fn an_upward_import_fails_and_names_the_import() {
    let problems = check(
        vec![
            file("src/lib.rs", LIB),
            file("src/low.rs", "fn f() { crate::high::g(); }"),
            file("src/mid.rs", ""),
            file("src/side.rs", ""),
            file("src/high.rs", ""),
        ],
        DOC,
    );
    assert_eq!(
        problems,
        ["upward import: low (layer 0) uses high (layer 2): src/low.rs → src/high.rs (crate::high::g)"]
    );
}

#[test]
fn a_root_reexport_resolves_to_its_module() {
    let problems = check(
        vec![
            file(
                "src/lib.rs",
                "pub mod low;\npub mod high;\npub use high::Top;\n",
            ),
            file("src/low.rs", "use crate::Top;"),
            file("src/high.rs", ""),
        ],
        "<!-- layers:begin -->\n- layer 0: low\n- layer 1: high\n<!-- layers:end -->",
    );
    assert_eq!(
        problems,
        ["upward import: low (layer 0) uses high (layer 1): src/low.rs → src/high.rs (crate::high::Top)"]
    );
}

#[test]
fn a_cycle_within_one_layer_fails() {
    let problems = check(
        vec![
            file("src/lib.rs", LIB),
            file("src/low.rs", ""),
            file("src/mid.rs", "use crate::side::S;"),
            file("src/side.rs", "use crate::mid::M;"),
            file("src/high.rs", ""),
        ],
        DOC,
    );
    assert_eq!(
        problems,
        [
            "module cycle: mid, side",
            "    src/mid.rs → src/side.rs (crate::side::S)",
            "    src/side.rs → src/mid.rs (crate::mid::M)",
            "file cycle: src/mid.rs, src/side.rs",
            "    src/mid.rs → src/side.rs (crate::side::S)",
            "    src/side.rs → src/mid.rs (crate::mid::M)",
        ]
    );
}

#[test]
fn a_file_cycle_inside_a_module_fails_but_not_through_its_mod_rs() {
    let problems = check(
        vec![
            file("src/lib.rs", LIB),
            file("src/low/mod.rs", "mod a;\nmod b;\npub use a::A;\n"),
            file("src/low/a.rs", "use super::b::B;\nuse super::Shared;"),
            file("src/low/b.rs", "use crate::low::a::A;"),
            file("src/low/c.rs", "use super::A;"),
            file("src/mid.rs", ""),
            file("src/side.rs", ""),
            file("src/high.rs", ""),
        ],
        DOC,
    );
    assert_eq!(
        problems,
        [
            "file cycle: src/low/a.rs, src/low/b.rs",
            "    src/low/a.rs → src/low/b.rs (crate::low::b::B)",
            "    src/low/b.rs → src/low/a.rs (crate::low::a::A)",
        ]
    );
}

#[test]
fn a_module_missing_from_the_layers_fails() {
    let problems = check(
        vec![
            file("src/lib.rs", "pub mod low;\npub mod new_one;\n"),
            file("src/low.rs", ""),
            file("src/new_one.rs", ""),
        ],
        DOC,
    );
    assert_eq!(
        problems,
        ["module `new_one` (src/lib.rs) is in no layer of docs/architecture.md"]
    );
}

#[test]
fn the_layer_block_is_parsed_strictly() {
    let layers = parse_layers(DOC).unwrap();
    assert_eq!(layers["low"], 0);
    assert_eq!(layers["side"], 1);
    assert_eq!(layers["high"], 2);
    assert!(parse_layers("no block").is_err());
    assert!(parse_layers("<!-- layers:begin -->\n- layer x: a\n<!-- layers:end -->").is_err());
    assert!(
        parse_layers("<!-- layers:begin -->\n- layer 0: a\n- layer 1: a\n<!-- layers:end -->")
            .is_err()
    );
}
