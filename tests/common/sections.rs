//! The reader of the `[Section]` / `Key = value` vector files under
//! `vectors/` (RFC 8448 traces, hybrid and FFDHE known answers).

use std::collections::BTreeMap;

/// Every section of a vector file: section name → key → raw value text.
pub type Sections = BTreeMap<String, BTreeMap<String, String>>;

/// Parses `vectors/<relative>`: `[Section]` headers and `Key = value`
/// lines. Whitespace inside a value is dropped (one hex value of the RFC
/// 8448 traces has a space between two bytes).
pub fn read_sections(relative: &str) -> Sections {
    let path = format!("{}/vectors/{relative}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut sections = Sections::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.to_string();
        } else if let Some((key, value)) = line.split_once('=') {
            sections
                .entry(current.clone())
                .or_default()
                .insert(key.trim().to_string(), value.split_whitespace().collect());
        }
    }
    sections
}

/// The hex values of every section of `vectors/<relative>`, decoded:
/// section → key → bytes. Panics on a value that is not hex.
pub fn hex_sections(relative: &str) -> BTreeMap<String, BTreeMap<String, Vec<u8>>> {
    read_sections(relative)
        .into_iter()
        .map(|(name, values)| {
            let decoded = values
                .into_iter()
                .map(|(key, value)| {
                    let bytes =
                        hex::decode(&value).unwrap_or_else(|e| panic!("[{name}] {key}: {e}"));
                    (key, bytes)
                })
                .collect();
            (name, decoded)
        })
        .collect()
}
