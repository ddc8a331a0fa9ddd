//! What the tool prints about a connection: the negotiated parameters of
//! a completed handshake (as one JSON line, `key: value` lines or a table
//! row), and a failure naming the alert sent or received.

use ferrotls::{Connection, EarlyDataStatus, Error};
use std::fmt::Write;
use std::io;

/// The negotiated parameters of one completed handshake, already in
/// their printed form (the `--json` keys the README lists).
#[derive(Clone, Debug)]
pub struct Report {
    pub role: &'static str,
    pub version: Option<String>,
    pub cipher_suite: Option<String>,
    pub group: Option<String>,
    pub resumed: bool,
    pub session_id: String,
    pub alpn: Option<String>,
    pub server_name: Option<String>,
    pub early_data: &'static str,
    pub peer_certificates: usize,
    /// TLS ≤1.2: the peer signalled secure renegotiation (RFC 5746).
    pub secure_renegotiation: bool,
}

impl Report {
    /// Reads the parameters from `conn`, whose handshake has completed.
    pub fn of(conn: &Connection, role: &'static str) -> Self {
        Self {
            role,
            version: conn.protocol_version().map(|v| {
                v.report_name()
                    .map_or_else(|| format!("0x{:04x}", u16::from(v)), str::to_owned)
            }),
            cipher_suite: conn.cipher_suite().map(|s| {
                s.iana_name()
                    .map_or_else(|| format!("0x{:04x}", u16::from(s)), str::to_owned)
            }),
            group: conn.negotiated_group().map(|g| {
                g.iana_name()
                    .map_or_else(|| format!("0x{:04x}", u16::from(g)), str::to_owned)
            }),
            resumed: conn.is_resumed(),
            session_id: hex::encode(conn.session_id()),
            alpn: conn
                .alpn_protocol()
                .map(|p| String::from_utf8_lossy(p).into_owned()),
            server_name: conn.server_name().map(str::to_owned),
            early_data: match conn.early_data_status() {
                EarlyDataStatus::Accepted => "accepted",
                // Offered but never answered by a completed handshake
                // means it was not accepted.
                EarlyDataStatus::Rejected | EarlyDataStatus::Offered => "rejected",
                EarlyDataStatus::NotOffered => "not_offered",
            },
            peer_certificates: conn.peer_certificates().len(),
            secure_renegotiation: conn.secure_renegotiation(),
        }
    }

    /// One JSON object on one line, with the keys the README lists.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"role\":{},\"version\":{},\"cipher_suite\":{},\"group\":{},\"resumed\":{},\
             \"session_id\":{},\"alpn\":{},\"server_name\":{},\"early_data\":{},\
             \"peer_certificates\":{},\"secure_renegotiation\":{}}}",
            json_string(self.role),
            json_option(self.version.as_deref()),
            json_option(self.cipher_suite.as_deref()),
            json_option(self.group.as_deref()),
            self.resumed,
            json_string(&self.session_id),
            json_option(self.alpn.as_deref()),
            json_option(self.server_name.as_deref()),
            json_string(self.early_data),
            self.peer_certificates,
            self.secure_renegotiation,
        )
    }

    /// `key: value` lines, for the `--www` page and summaries.
    pub fn to_text(&self) -> String {
        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".to_owned());
        format!(
            "role: {}\nversion: {}\ncipher_suite: {}\ngroup: {}\nresumed: {}\n\
             session_id: {}\nalpn: {}\nserver_name: {}\nearly_data: {}\n\
             peer_certificates: {}\n",
            self.role,
            dash(&self.version),
            dash(&self.cipher_suite),
            dash(&self.group),
            self.resumed,
            self.session_id,
            dash(&self.alpn),
            dash(&self.server_name),
            self.early_data,
            self.peer_certificates,
        )
    }
}

/// `value` as a JSON string literal (RFC 8259 §7).
fn json_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn json_option(value: Option<&str>) -> String {
    value.map_or_else(|| "null".to_owned(), json_string)
}

/// Why a connection failed, naming the alert received from the peer or
/// sent to it; `io_error` is what the blocking stream returned, used when
/// the connection itself recorded no error (a transport failure).
pub fn describe_failure(conn: &Connection, io_error: &io::Error) -> String {
    match conn.error() {
        Some(error @ Error::AlertReceived(_)) => error.to_string(),
        Some(error) => match error.alert() {
            Some(alert) => format!("{error}; sent alert {alert}"),
            None => error.to_string(),
        },
        None => format!("transport: {io_error}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_escape_quotes_and_controls() {
        assert_eq!(json_string("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
        assert_eq!(json_option(None), "null");
    }
}
