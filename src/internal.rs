//! Not part of the API: the items of the layers under the embedder's
//! types that this repository's fuzz targets, benchmarks and integration
//! tests reach for (wire messages, record protection, key schedules,
//! primitives, session internals, limits), named one by one. It is
//! `#[doc(hidden)]` and has no stability promise: anything here may change
//! or go in any release. What an embedder needs is at the crate root;
//! the `ferrotls` tool uses nothing from here.

/// The wire codec.
pub mod codec {
    pub use crate::codec::{Codec, LengthPrefix, Reader, Writer};
}
/// The sans-IO connection (design §1 `conn`).
pub mod conn {
    pub use crate::conn::MAX_SENDABLE_TLS;
}
/// Cryptographic primitives.
pub mod crypto {
    pub use crate::crypto::Secret;
    /// The AEAD ciphers TLS 1.2 and 1.3 records use.
    pub mod aead {
        pub use crate::crypto::aead::{
            AeadAlgorithm, AeadKey, AES_GCM_CONFIDENTIALITY_LIMIT, NONCE_LEN, TAG_LEN,
        };
    }
    /// AES-CBC and HMAC for the TLS 1.0–1.2 CBC cipher suites, with the
    /// constant-time pieces their record decryption needs.
    pub mod cbc {
        pub use crate::crypto::cbc::{mac_header, HashWork, RecordMac, BLOCK_LEN, MAX_PADDING_LEN};
        #[cfg(feature = "legacy")]
        pub use crate::crypto::cbc::{open_mac_then_encrypt, AesCbc};
    }
    /// Finite-field Diffie-Hellman.
    pub mod ffdhe {
        pub use crate::crypto::ffdhe::{
            public_key_len, DhGroup, DhKeyPair, MAX_DHE_MODULUS_BITS, MIN_DHE_MODULUS_BITS,
        };
    }
    /// Hash functions and running transcript hashes.
    pub mod hash {
        pub use crate::crypto::hash::{Digest, HashAlgorithm};
        pub use crate::crypto::hash_context::HashContext;
    }
    /// HKDF (RFC 5869) and the TLS 1.3 wrappers HKDF-Expand-Label and
    /// Derive-Secret (RFC 8446 §7.1).
    pub mod hkdf {
        pub use crate::crypto::hkdf::{expand, expand_label, extract};
    }
    /// The key-exchange groups built on ML-KEM: the hybrids of
    /// draft-ietf-tls-ecdhe-mlkem and ML-KEM alone (draft-ietf-tls-mlkem).
    pub mod kem_groups {
        pub use crate::crypto::kem_groups::{
            client_share_len, is_kem_group, respond, server_share_len, KemShare,
        };
    }
    /// Ephemeral elliptic-curve Diffie-Hellman for the `key_share`
    /// extension (RFC 8446 §4.2.8) and the TLS 1.0–1.2 ECDHE key exchange
    /// (RFC 8422).
    pub mod kx {
        pub use crate::crypto::kx::{
            public_key_len, supported_groups, KeyShare, P521_SCALAR_LEN, X448_LEN,
        };
    }
    /// ML-KEM (FIPS 203), for the key-exchange groups built on it
    /// (draft-ietf-tls-ecdhe-mlkem, draft-ietf-tls-mlkem).
    pub mod mlkem {
        pub use crate::crypto::mlkem::{
            encapsulate, DecapsulationKey, MlKem, ENCAPSULATION_SEED_LEN, KEY_GENERATION_SEED_LEN,
            SHARED_SECRET_LEN,
        };
    }
    /// The TLS pseudorandom functions of TLS 1.0–1.2.
    pub mod prf {
        pub use crate::crypto::prf::prf;
    }
    /// The injectable random number generator.
    pub mod rng {
        pub use crate::crypto::rng::{FixedBytes, SeededRng};
    }
    /// RSA key exchange (RFC 5246 §7.4.7.1, RFC 4346 §7.4.7.1, RFC 2246
    /// §7.4.7.1).
    pub mod rsa_kx {
        pub use crate::crypto::rsa_kx::{decrypt_premaster, PREMASTER_LEN};
    }
    /// Private signing keys.
    pub mod sign {
        pub use crate::crypto::sign::SigningKey;
    }
    /// Signature verification.
    pub mod verify {
        pub use crate::crypto::verify::{
            algorithm_for_scheme, verify, verify_scheme, verify_tls12, PublicKey,
            SignatureAlgorithm,
        };
    }
}
/// The reasons the error variants carry, one per failed check.
pub mod error {
    pub use crate::error::{
        CryptoReason, DecodeReason, DecryptErrorReason, HandshakeFailureReason,
        IllegalParameterReason, InsufficientSecurityReason, InvalidRequestReason,
        LimitExceededReason, MissingExtensionReason, ProtocolVersionReason,
        UnexpectedMessageReason, UnsupportedExtensionReason,
    };
}
/// The key schedules.
pub mod keyschedule {
    pub use crate::keyschedule::{KeyLogger, SecretKind, SecretLog};
    /// The TLS 1.0–1.2 key schedule.
    pub mod tls12 {
        pub use crate::keyschedule::tls12::{KeyBlockLengths, MasterSecret, Sender};
    }
    /// The TLS 1.3 key schedule (RFC 8446 §7.1–§7.5; unchanged in RFC 9846).
    pub mod tls13 {
        pub use crate::keyschedule::tls13::{message_hash, EarlySecret, PskKind, TrafficSecret};
    }
}
/// Typed TLS messages.
pub mod msgs {
    /// The alert message (RFC 8446 §6, RFC 5246 §7.2).
    pub mod alert {
        pub use crate::msgs::alert::Alert;
    }
    /// The ChangeCipherSpec message (RFC 5246 §7.1; RFC 8446 §5 keeps it
    /// for middlebox compatibility).
    pub mod ccs {
        pub use crate::msgs::ccs::ChangeCipherSpec;
    }
    /// Certificate and CertificateRequest in their TLS 1.0–1.2 forms (RFC
    /// 5246 §7.4.2, §7.4.4; RFC 4346 §7.4.4 for 1.0/1.1) and TLS 1.3 forms
    /// (RFC 8446 §4.4.2, §4.3.2).
    pub mod certificate {
        pub use crate::msgs::certificate::{
            CertificateEntry, CertificateRequestTls12, CertificateRequestTls13, CertificateTls12,
            CertificateTls13, RawPublicKeyTls12,
        };
    }
    /// The TLS 1.0–1.2 CertificateStatus message (RFC 6066 §8).
    pub mod certificate_status {
        pub use crate::msgs::certificate_status::CertificateStatus;
    }
    /// Typed wire enums.
    pub mod enums {
        pub use crate::msgs::enums::{
            AlertLevel, ClientCertificateType, Compression, ContentType, EcPointFormat,
            ExtensionType, KeyUpdateRequest, PskKeyExchangeMode, ServerNameType,
        };
    }
    /// Extensions (RFC 8446 §4.2 and the RFCs that define each one), typed
    /// per the message they sit in.
    pub mod extensions {
        pub use crate::msgs::extensions::CertificateStatusRequest;
        pub use crate::msgs::extensions::{
            decode_extensions, encode_extensions, Extension, ExtensionContext, KeyShareEntry,
            ServerName, EXTENSIONS, MAX_KEY_SHARES,
        };
    }
    /// The handshake message framing (RFC 8446 §4, RFC 5246 §7.4).
    pub mod handshake {
        pub use crate::msgs::handshake::{
            DecodeContext, HandshakeMessage, HANDSHAKE_HEADER_LEN, TLS12_VERIFY_DATA_LEN,
        };
    }
    /// ClientHello, ServerHello and HelloRetryRequest (RFC 8446
    /// §4.1.2–§4.1.4, RFC 5246 §7.4.1.2–§7.4.1.3), plus the special random
    /// values of RFC 8446 §4.1.3.
    pub mod hello {
        pub use crate::msgs::hello::{
            ClientHello, ServerHello, DOWNGRADE_SENTINEL_TLS11, DOWNGRADE_SENTINEL_TLS12,
            HELLO_RETRY_REQUEST_RANDOM, MAX_SESSION_ID_SIZE,
        };
    }
    /// The TLS 1.0–1.2 key exchange messages.
    pub mod key_exchange {
        pub use crate::msgs::key_exchange::{
            ClientKeyExchange, KeyExchangeAlgorithm, ServerDhParams, ServerEcdhParams,
            ServerKeyExchange, ServerKxParams,
        };
    }
    /// The ClientHello form of the pre_shared_key extension (RFC 8446 §4.2.11).
    pub mod psk {
        pub use crate::msgs::psk::{PskIdentity, PskOffer};
    }
    /// The signed structures of ServerKeyExchange and CertificateVerify.
    pub mod signature {
        pub use crate::msgs::signature::DigitallySigned;
    }
    /// NewSessionTicket in its RFC 5077 form (TLS 1.0–1.2, §3.3) and its
    /// TLS 1.3 form (RFC 8446 §4.6.1).
    pub mod ticket {
        pub use crate::msgs::ticket::{NewSessionTicketTls12, NewSessionTicketTls13};
    }
}
/// Public-key infrastructure.
pub mod pki {
    pub use crate::pki::name_match::names_match;
    pub use crate::pki::{verify_chain_cached, Certificate, SignatureCache};
    /// PEM (RFC 7468).
    pub mod pem {
        pub use crate::pki::pem::{decode_base64, parse};
    }
    /// Trust anchors.
    pub mod trust {
        pub use crate::pki::trust::SYSTEM_BUNDLE_PATHS;
    }
    /// Certificate times (RFC 5280 §4.1.2.5).
    pub mod time {
        pub use crate::pki::time::generalized_time;
    }
}
/// The record layer (RFC 8446 §5, RFC 5246 §6).
pub mod record {
    #[cfg(feature = "legacy")]
    pub use crate::record::{CbcHmacProtection, CbcIv, MacOrder};
    pub use crate::record::{
        Deframer, Fragmenter, HandshakeJoiner, NullProtection, RecordLayer, RecordProtection,
        Tls12AeadProtection, Tls13AeadProtection, HEADER_LEN, MAX_CIPHERTEXT_LEN_TLS12,
        MAX_CIPHERTEXT_LEN_TLS13, MAX_PLAINTEXT_LEN, SEQUENCE_NUMBER_LIMIT,
    };
    /// The deframer.
    pub mod deframer {
        pub use crate::record::deframer::{INITIAL_RECEIVE_BUFFER_LEN, RECEIVE_BUFFER_LEN};
    }
    /// The handshake joiner.
    pub mod joiner {
        pub use crate::record::joiner::{MAX_CLIENT_HELLO_LEN, MAX_SERVER_KEY_EXCHANGE_LEN};
    }
}
/// Sessions and their identifiers (design §3).
pub mod session {
    pub use crate::session::{
        check_resumption, store_key, ClientSessionTls12, ClientTicketTls13, ResumptionOffer,
        ResumptionRefusal, ServerChain, ServerSessionState, SessionDataError, StoreKeyKind,
        Validity,
    };
    /// A server session store kept in a directory of files, one per session
    /// (design §3 "server store").
    pub mod file_store {
        pub use crate::session::file_store::{FILE_SUFFIX, MAX_FILE_STORE_KEY_LEN};
    }
    /// The container of the versioned session format.
    pub mod format {
        pub use crate::session::format::{CHECKSUM_LEN, FORMAT_VERSION, MAGIC, MAX_FIELDS};
    }
    /// The resumable-session values and their binary encoding (design §3,
    /// "export/import"; schema in `docs/session-format.md`).
    pub mod state {
        pub use crate::session::state::{Tls12Ticket, Tls13TicketParams, MAX_LIFETIME_SECS};
    }
    /// Session stores (design §3).
    pub mod store {
        pub use crate::session::store::{DEFAULT_SERVER_STORE_CAPACITY, MAX_TICKETS_PER_SERVER};
    }
    /// Session tickets.
    pub mod ticketer {
        pub use crate::session::ticketer::{
            seal_state, unseal_state, TicketRejection, MAX_TICKET_SIZE, TICKET_KEY_NAME_LEN,
            TICKET_KEY_ROTATION_PERIOD, TICKET_OVERHEAD,
        };
    }
}
