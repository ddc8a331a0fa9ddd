//! PEM (RFC 7468): `-----BEGIN LABEL-----` blocks of base64 between any
//! amount of surrounding text, several per file; read with [`parse`],
//! written with [`encode`].
//!
//! The decoder is strict about what matters: matching BEGIN/END labels,
//! the base64 alphabet, padding only at the end, zero padding bits. Text
//! outside blocks is ignored (RFC 7468 §2). Encrypted legacy blocks
//! (RFC 1421 headers) are refused. Decoded bytes live in
//! [`zeroize::Zeroizing`] since they may be private keys.

pub use crate::error::PemError;
use zeroize::Zeroizing;

/// The longest label accepted, in bytes (the longest RFC 7468 §4 label,
/// "ENCRYPTED PRIVATE KEY", fits with room to spare).
pub const MAX_LABEL_LEN: usize = 64;

/// One decoded PEM block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PemBlock {
    /// The label between `BEGIN ` and the closing dashes.
    pub label: String,
    /// The decoded contents.
    pub der: Zeroizing<Vec<u8>>,
}

fn label_of<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    line.trim_end()
        .strip_prefix("-----")?
        .strip_prefix(keyword)?
        .strip_suffix("-----")
}

/// The label of a certificate's PEM block (RFC 7468 §5.1).
pub const CERTIFICATE_LABEL: &str = "CERTIFICATE";

/// A file's contents as PEM text, when they are: UTF-8 with a
/// `-----BEGIN` line. Anything else is taken for DER by the loaders that
/// read either (certificates, private keys, pinned keys), as OpenSSL's
/// `SSL_FILETYPE_ASN1` and GnuTLS's `GNUTLS_X509_FMT_DER` files are.
pub fn text_of(bytes: &[u8]) -> Option<&str> {
    core::str::from_utf8(bytes)
        .ok()
        .filter(|text| text.contains("-----BEGIN"))
}

/// Decodes every block of `text`, in order. Fails on an unterminated
/// block, a mismatched END label, encapsulated headers, or bad base64.
pub fn parse(text: &str) -> Result<Vec<PemBlock>, PemError> {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(label) = label_of(line, "BEGIN ") else {
            continue;
        };
        if label.len() > MAX_LABEL_LEN || !label.bytes().all(|b| b.is_ascii_graphic() || b == b' ')
        {
            return Err(PemError("invalid label"));
        }
        let mut body = Zeroizing::new(String::new());
        loop {
            let line = lines.next().ok_or(PemError("block without END line"))?;
            if let Some(end) = label_of(line, "END ") {
                if end != label {
                    return Err(PemError("END label differs from BEGIN label"));
                }
                break;
            }
            if line.contains(':') {
                return Err(PemError(
                    "encapsulated headers (encrypted PEM) are not supported",
                ));
            }
            body.push_str(line.trim());
        }
        blocks.push(PemBlock {
            label: label.to_owned(),
            der: decode_base64(body.as_bytes())?,
        });
    }
    Ok(blocks)
}

/// Characters of base64 per line of an encoded block (RFC 7468 §2:
/// generators wrap at exactly 64).
pub const PEM_LINE_LEN: usize = 64;

/// The standard base64 alphabet (RFC 4648 §4, Table 1).
const BASE64_ALPHABET: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// `der` as one PEM block labelled `label` (`CERTIFICATE`), lines of
/// [`PEM_LINE_LEN`] characters, ending in a newline: the strict form of
/// RFC 7468 §3, which [`parse`] reads back.
pub fn encode(label: &str, der: &[u8]) -> String {
    let base64 = encode_base64(der);
    let mut text = format!("-----BEGIN {label}-----\n");
    for line in base64.as_bytes().chunks(PEM_LINE_LEN) {
        text.push_str(&String::from_utf8_lossy(line));
        text.push('\n');
    }
    text.push_str(&format!("-----END {label}-----\n"));
    text
}

/// Standard base64 (RFC 4648 §4) with padding.
fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let mut triple = [0u8; 3];
        triple
            .iter_mut()
            .zip(chunk)
            .for_each(|(slot, byte)| *slot = *byte);
        let [b0, b1, b2] = triple;
        let acc = u32::from_be_bytes([0, b0, b1, b2]);
        for i in 0..4 {
            if i <= chunk.len() {
                // Six bits: always inside the 64-entry alphabet.
                let sextet = ((acc >> (18 - 6 * i)) & 0x3f) as usize;
                out.push(char::from(BASE64_ALPHABET[sextet]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn sextet(c: u8) -> Option<u32> {
    Some(u32::from(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    }))
}

/// Decodes standard base64 (RFC 4648 §4) with mandatory padding, ignoring
/// ASCII whitespace.
pub fn decode_base64(text: &[u8]) -> Result<Zeroizing<Vec<u8>>, PemError> {
    let chars: Zeroizing<Vec<u8>> = Zeroizing::new(
        text.iter()
            .copied()
            .filter(|c| !c.is_ascii_whitespace())
            .collect(),
    );
    if !chars.len().is_multiple_of(4) {
        return Err(PemError("base64 length not a multiple of 4"));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(chars.len() / 4 * 3));
    let quads = chars.chunks_exact(4);
    let count = quads.len();
    for (i, quad) in quads.enumerate() {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 || (pad > 0 && i + 1 != count) {
            return Err(PemError("base64 padding in the wrong place"));
        }
        let mut acc = 0u32;
        for &c in quad.iter().take(4 - pad) {
            acc = (acc << 6) | sextet(c).ok_or(PemError("invalid base64 character"))?;
        }
        acc <<= 6 * pad;
        let bytes = acc.to_be_bytes();
        let [_, b0, b1, b2] = bytes;
        let keep = 3 - pad;
        let leftover = match pad {
            1 => u32::from(b2),
            2 => u32::from(b1) | u32::from(b2),
            _ => 0,
        };
        if leftover != 0 {
            return Err(PemError("base64 padding bits not zero"));
        }
        out.extend([b0, b1, b2].into_iter().take(keep));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4648 §10 test vectors.
    #[test]
    fn base64_known_answers() {
        for (enc, dec) in [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(
                decode_base64(enc.as_bytes()).unwrap().as_slice(),
                dec.as_bytes()
            );
        }
        assert!(decode_base64(b"Zh==").is_err(), "non-zero padding bits");
        assert!(decode_base64(b"Zg==Zg==").is_err());
        assert!(decode_base64(b"Zm9").is_err());
        assert!(decode_base64(b"Zm9*").is_err());
        for (enc, dec) in [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9vYmFy", "foobar"),
        ] {
            assert_eq!(encode_base64(dec.as_bytes()), enc);
        }
    }

    #[test]
    fn encoded_blocks_wrap_at_64_and_parse_back() {
        let der: Vec<u8> = (0..=255u8).collect();
        let text = encode("CERTIFICATE", &der);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.first(), Some(&"-----BEGIN CERTIFICATE-----"));
        assert_eq!(lines.last(), Some(&"-----END CERTIFICATE-----"));
        // 256 bytes are 344 characters: five full lines and one of 24.
        let body = &lines[1..lines.len() - 1];
        assert_eq!(
            body.iter().map(|l| l.len()).collect::<Vec<_>>(),
            [64, 64, 64, 64, 64, 24]
        );
        let blocks = parse(&text).unwrap();
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].label, "CERTIFICATE");
        assert_eq!(blocks[0].der.as_slice(), der.as_slice());
    }

    #[test]
    fn blocks_among_text() {
        let text = "junk\n-----BEGIN A-----\nZm9v\nYmFy\n-----END A-----\nmore\n\
                    -----BEGIN B-----\n-----END B-----\n";
        let blocks = parse(text).unwrap();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0].label, "A");
        assert_eq!(blocks[0].der.as_slice(), b"foobar");
        assert!(blocks[1].der.is_empty());
        assert!(parse("-----BEGIN A-----\nZm9v\n-----END B-----\n").is_err());
        assert!(parse("-----BEGIN A-----\nZm9v\n").is_err());
        assert!(parse("-----BEGIN A-----\nProc-Type: 4,ENCRYPTED\n-----END A-----\n").is_err());
    }
}
