//! Standard output, which its reader may close early (`ferrotls client
//! --json | head -1`). Everything the tool prints there goes through
//! [`write`]: a closed stdout (EPIPE) ends the program at once, quietly,
//! with status 0, since the reader has all it wanted; any other failure to
//! print is reported on stderr with status 1.

use crate::EXIT_FAILED;
use std::io::{self, Write};

/// Writes `bytes` to stdout and flushes them.
pub fn write(bytes: &[u8]) {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => {
            eprintln!("ferrotls: stdout: {e}");
            std::process::exit(i32::from(EXIT_FAILED));
        }
    }
}

/// Writes `text` and a newline to stdout.
pub fn line(text: &str) {
    write(format!("{text}\n").as_bytes());
}
