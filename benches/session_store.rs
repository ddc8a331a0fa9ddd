//! Server session store inserts: `FileServerStore` holding 1,024 sessions
//! (each insert evicts one), beside `InMemoryServerStore`.
//!
//! Run with `cargo bench --bench session_store`; prints inserts/s, the
//! median of 11 rounds of 1,024 inserts each after one warm-up round.
//! The directory is made under the system temporary directory and removed
//! afterwards.

use ferrotls::internal::crypto::Secret;
use ferrotls::internal::session::{ServerSessionState, Validity};
use ferrotls::{
    CipherSuite, Clock, FileServerStore, InMemoryServerStore, ProtocolVersion, ServerSessionStore,
    SessionId, SystemClock,
};
use std::sync::Arc;
use std::time::Instant;

const FILES: usize = 1024;
const ROUNDS: usize = 11;

fn state(clock: &dyn Clock) -> ServerSessionState {
    ServerSessionState {
        version: ProtocolVersion::TLSv1_2,
        cipher_suite: CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        secret: Secret::from_slice(&[0x42; 48]),
        session_id: SessionId::from_peer(&[7; 32]).unwrap(),
        extended_master_secret: true,
        encrypt_then_mac: false,
        max_fragment_length: None,
        server_name: Some(b"bench.example".to_vec()),
        alpn_protocol: None,
        validity: Validity::new(clock.now(), 7200),
        peer_certificates: Vec::new(),
        tls13: None,
        resumption_data: None,
        authenticated: Some(clock.now()),
        unknown_fields: Default::default(),
    }
}

/// Median inserts/s over `ROUNDS` rounds of `FILES` fresh keys, after a
/// warm-up round that fills the store.
fn inserts_per_second(store: &dyn ServerSessionStore, state: &ServerSessionState) -> f64 {
    let mut next = 0u64;
    let mut round = || {
        let start = Instant::now();
        for _ in 0..FILES {
            next += 1;
            let mut key = [0u8; 33];
            key[..8].copy_from_slice(&next.to_be_bytes());
            store.put(&key, state.clone());
        }
        FILES as f64 / start.elapsed().as_secs_f64()
    };
    round();
    let mut rates: Vec<f64> = (0..ROUNDS).map(|_| round()).collect();
    rates.sort_by(f64::total_cmp);
    rates[ROUNDS / 2]
}

fn main() {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let state = state(clock.as_ref());
    let dir = std::env::temp_dir().join(format!("ferrotls-bench-store-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let file = FileServerStore::with_limits(&dir, FILES, 7200, clock.clone()).unwrap();
    let file_rate = inserts_per_second(&file, &state);
    assert_eq!(file.len(), FILES);
    let _ = std::fs::remove_dir_all(&dir);
    let memory = InMemoryServerStore::with_limits(FILES, 7200, clock);
    let memory_rate = inserts_per_second(&memory, &state);
    println!("store                      inserts/s (full at {FILES} sessions)");
    println!("FileServerStore            {file_rate:>10.0}");
    println!("InMemoryServerStore        {memory_rate:>10.0}");
}
