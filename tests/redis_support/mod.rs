//! A throw-away `redis-server` for the `redis_*` tests: started on
//! 127.0.0.1 on a port that was free a moment ago (Redis cannot pick and
//! report one itself: `--port 0` turns TCP off), with persistence off,
//! and killed by PID when the guard drops (also when a test fails). It
//! can be stopped and started again on the same port, as an operator
//! restarting Redis would.
//!
//! A missing `redis-server` fails the test with a message saying how to
//! install it (`tests/run.sh` does): the tests are never skipped silently.
#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Redis may take to accept connections after it starts.
const READY: Duration = Duration::from_secs(10);

/// A `redis-server` of one test, on one port.
pub struct RedisServer {
    port: u16,
    child: Option<Child>,
}

impl RedisServer {
    /// Starts `redis-server` on a free port of 127.0.0.1 and waits until
    /// it accepts connections.
    pub fn start() -> RedisServer {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
            listener.local_addr().expect("local address").port()
        };
        let mut server = RedisServer { port, child: None };
        server.restart();
        server
    }

    /// The URL of this server's database 0.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Kills the server by PID and waits until it is gone.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts the server again on its port (after [`Self::stop`]); its
    /// data is gone, as after a restart without persistence.
    pub fn restart(&mut self) {
        self.stop();
        let port = self.port.to_string();
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start redis-server ({e}): run tests/run.sh as root, or \
                     apt-get install redis-server"
                )
            });
        self.child = Some(child);
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                start.elapsed() < READY,
                "redis-server did not listen on port {} within {READY:?}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// A plain connection of the `redis` crate, to look at what the
    /// servers stored.
    pub fn inspect(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .and_then(|c| c.get_connection())
            .expect("connect to redis-server")
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}
