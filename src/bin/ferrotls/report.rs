//! What the tool prints about a connection: the negotiated parameters of
//! a completed handshake (as one JSON line, `key: value` lines or a table
//! row), and a failure naming the alert sent or received.

use ferrotls::{CertificateType, Connection, EarlyDataReason, EarlyDataStatus, Error};
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
    /// Why 0-RTT data was used or not, as this side knows
    /// (`EarlyDataReason::name`).
    pub early_data_reason: Option<&'static str>,
    pub certificate_type: Option<&'static str>,
    pub peer_certificates: usize,
    pub record_size_limit: Option<u16>,
    pub certificate_compression: Option<&'static str>,
    pub sent_certificate_compression: Option<&'static str>,
    /// An OCSP response was stapled (received, or sent); on a resuming
    /// client, to the full handshake that made the session.
    pub ocsp_stapled: bool,
    /// SCTs were stapled (received, or sent), as for `ocsp_stapled`.
    pub sct_stapled: bool,
    /// "external" when an external PSK authenticated the peer.
    pub psk: Option<&'static str>,
    /// TLS ≤1.2: the peer signalled secure renegotiation (RFC 5746).
    pub secure_renegotiation: bool,
    /// The secrets are bound to the whole handshake: TLS 1.3, or the
    /// extended master secret (RFC 7627).
    pub extended_master_secret: bool,
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
            early_data_reason: conn.early_data_reason().map(EarlyDataReason::name),
            certificate_type: conn.server_certificate_type().map(|t| match t {
                CertificateType::RawPublicKey => "RawPublicKey",
                _ => "X.509",
            }),
            peer_certificates: conn.peer_certificates().len(),
            record_size_limit: conn.peer_record_size_limit(),
            certificate_compression: conn
                .peer_certificate_compression()
                .map(crate::settings::compression_name),
            sent_certificate_compression: conn
                .sent_certificate_compression()
                .map(crate::settings::compression_name),
            ocsp_stapled: conn.stapled_ocsp_response().is_some(),
            sct_stapled: !conn.stapled_scts().is_empty(),
            psk: conn.external_psk_identity().map(|_| "external"),
            secure_renegotiation: conn.secure_renegotiation(),
            extended_master_secret: conn.extended_master_secret(),
        }
    }

    /// The printed fields in order: each key with its value, a string
    /// (`None` when absent) or a number or boolean. One list serves both
    /// the JSON line and the `key: value` lines.
    fn fields(&self) -> Vec<(&'static str, Value)> {
        let text = |v: Option<&str>| Value::Text(v.map(str::to_owned));
        let literal = |v: &dyn ToString| Value::Literal(v.to_string());
        vec![
            ("role", text(Some(self.role))),
            ("version", text(self.version.as_deref())),
            ("cipher_suite", text(self.cipher_suite.as_deref())),
            ("group", text(self.group.as_deref())),
            ("resumed", literal(&self.resumed)),
            ("session_id", text(Some(&self.session_id))),
            ("alpn", text(self.alpn.as_deref())),
            ("server_name", text(self.server_name.as_deref())),
            ("early_data", text(Some(self.early_data))),
            ("early_data_reason", text(self.early_data_reason)),
            ("certificate_type", text(self.certificate_type)),
            ("peer_certificates", literal(&self.peer_certificates)),
            (
                "record_size_limit",
                self.record_size_limit
                    .map_or(Value::Text(None), |l| literal(&l)),
            ),
            (
                "certificate_compression",
                text(self.certificate_compression),
            ),
            (
                "sent_certificate_compression",
                text(self.sent_certificate_compression),
            ),
            ("ocsp_stapled", literal(&self.ocsp_stapled)),
            ("sct_stapled", literal(&self.sct_stapled)),
            ("psk", text(self.psk)),
            ("secure_renegotiation", literal(&self.secure_renegotiation)),
            (
                "extended_master_secret",
                literal(&self.extended_master_secret),
            ),
        ]
    }

    /// One JSON object on one line, with the keys the README lists.
    pub fn to_json(&self) -> String {
        let members: Vec<String> = self
            .fields()
            .into_iter()
            .map(|(key, value)| {
                let value = match value {
                    Value::Text(text) => json_option(text.as_deref()),
                    Value::Literal(literal) => literal,
                };
                format!("{}:{value}", json_string(key))
            })
            .collect();
        format!("{{{}}}", members.join(","))
    }

    /// `key: value` lines, for the `--www` page and summaries; an absent
    /// value is `-`.
    pub fn to_text(&self) -> String {
        self.fields()
            .into_iter()
            .map(|(key, value)| {
                let value = match value {
                    Value::Text(text) => text.unwrap_or_else(|| "-".to_owned()),
                    Value::Literal(literal) => literal,
                };
                format!("{key}: {value}\n")
            })
            .collect()
    }
}

/// A printed value of [`Report`]: a string, absent when `None`, or a
/// number or boolean printed as it is.
enum Value {
    Text(Option<String>),
    Literal(String),
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
