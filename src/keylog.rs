//! Key logging for debugging: the [`KeyLog`] trait and [`KeyLogFile`],
//! which appends secrets to the file named by the `SSLKEYLOGFILE`
//! environment variable in the NSS key log format, so that Wireshark and
//! tshark can decrypt a capture.
//!
//! Each line is `<label> <client_random hex> <secret hex>`; the labels are
//! those of [`SecretKind::nss_label`] (`CLIENT_HANDSHAKE_TRAFFIC_SECRET`,
//! `SERVER_TRAFFIC_SECRET_0`, `CLIENT_RANDOM` for TLS 1.0–1.2, ...).
//! Logging secrets defeats TLS's confidentiality: never enable it in
//! production.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};

use crate::keyschedule::secret_log::{SecretLog, CLIENT_RANDOM_LEN};
use crate::keyschedule::SecretKind;

/// The environment variable [`KeyLogFile::from_env`] reads.
pub const SSLKEYLOGFILE: &str = "SSLKEYLOGFILE";

/// The permissions a new key log file gets on unix: read and write for
/// its owner only. The secrets in it break the confidentiality of every
/// logged connection (RFC 8446 §7.1 secrets; NSS key log format).
#[cfg(unix)]
pub const KEY_LOG_FILE_MODE: u32 = 0o600;

/// Receives each secret of each connection, named NSS-style.
pub trait KeyLog: Send + Sync {
    /// Records `secret` under `label` (an NSS key log label) for the
    /// connection whose ClientHello random is `client_random`.
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]);
}

/// Appends NSS key log lines to a file.
#[derive(Debug)]
pub struct KeyLogFile {
    file: Option<Mutex<File>>,
}

impl KeyLogFile {
    /// A logger writing to the file `SSLKEYLOGFILE` names, or one that
    /// drops everything when the variable is unset or the file cannot be
    /// opened for appending.
    pub fn from_env() -> Self {
        match std::env::var_os(SSLKEYLOGFILE) {
            Some(path) => Self::open(Path::new(&path)).unwrap_or(Self { file: None }),
            None => Self { file: None },
        }
    }

    /// A logger appending to `path`, created if missing. On unix a new
    /// file is created with mode `0o600` (`KEY_LOG_FILE_MODE`), readable
    /// by its owner only, since every line decrypts a connection; the mode
    /// of a file that already exists is the user's and is left as it is.
    ///
    /// Fails with the I/O error of opening the file.
    pub fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let mut options = OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, KEY_LOG_FILE_MODE);
        let file = options.open(path.as_ref())?;
        Ok(Self {
            file: Some(Mutex::new(file)),
        })
    }

    /// Whether lines go anywhere.
    pub fn is_enabled(&self) -> bool {
        self.file.is_some()
    }
}

/// One NSS key log line, newline included.
pub fn nss_line(label: &str, client_random: &[u8], secret: &[u8]) -> String {
    format!(
        "{label} {} {}\n",
        hex::encode(client_random),
        hex::encode(secret)
    )
}

impl KeyLog for KeyLogFile {
    fn log(&self, label: &str, client_random: &[u8], secret: &[u8]) {
        if let Some(file) = &self.file {
            if let Ok(mut file) = file.lock() {
                // A failing debug log must not break the connection.
                let _ = file.write_all(nss_line(label, client_random, secret).as_bytes());
            }
        }
    }
}

/// Lets the key schedule's [`SecretLog`] hook feed a [`KeyLog`].
pub(crate) struct KeyLogBridge(pub(crate) Arc<dyn KeyLog>);

impl SecretLog for KeyLogBridge {
    fn log(&self, kind: SecretKind, client_random: &[u8; CLIENT_RANDOM_LEN], secret: &[u8]) {
        self.0.log(kind.nss_label(), client_random, secret);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_label_random_secret_in_lower_hex() {
        assert_eq!(
            nss_line("CLIENT_RANDOM", &[0xab, 0x01], &[0xff]),
            "CLIENT_RANDOM ab01 ff\n"
        );
    }

    #[test]
    fn from_env_honours_sslkeylogfile() {
        let path = std::env::temp_dir().join(format!("ferrotls-env-keylog-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        // No other test reads SSLKEYLOGFILE.
        std::env::set_var(SSLKEYLOGFILE, &path);
        let log = KeyLogFile::from_env();
        std::env::remove_var(SSLKEYLOGFILE);
        assert!(log.is_enabled());
        log.log("CLIENT_TRAFFIC_SECRET_0", &[9; 32], &[8; 32]);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(
            text,
            nss_line("CLIENT_TRAFFIC_SECRET_0", &[9; 32], &[8; 32])
        );
        assert!(!KeyLogFile::from_env().is_enabled());
    }

    #[cfg(unix)]
    #[test]
    fn new_key_log_file_is_owner_only_and_existing_mode_is_kept() {
        use std::os::unix::fs::PermissionsExt;
        let path =
            std::env::temp_dir().join(format!("ferrotls-keylog-mode-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        drop(KeyLogFile::open(&path).unwrap());
        assert_eq!(mode(&path), 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        drop(KeyLogFile::open(&path).unwrap());
        assert_eq!(mode(&path), 0o640);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn file_logger_appends_lines() {
        let path = std::env::temp_dir().join(format!("ferrotls-keylog-{}", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let log = KeyLogFile::open(&path).unwrap();
        assert!(log.is_enabled());
        log.log("EXPORTER_SECRET", &[1; 32], &[2; 32]);
        log.log("SERVER_TRAFFIC_SECRET_0", &[1; 32], &[3; 32]);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[1].starts_with("SERVER_TRAFFIC_SECRET_0 0101"));
    }
}
