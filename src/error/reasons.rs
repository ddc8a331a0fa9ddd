//! The reason each [`Error`](super::Error) variant that names an alert carries: one
//! `#[non_exhaustive]` enum per variant, one enum variant per check, so a
//! test can pin the exact check that failed. Each reason's text, in one
//! table per enum, is what `Display` prints after the alert's name.

use core::fmt;

/// Defines a reason enum from its table: each variant with its text (also
/// its doc line), `text()` returning it and `Display` printing it. A
/// variant carrying a detail of its own may follow the table, with the
/// method that gives its text.
macro_rules! reasons {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )*
        }
        $( $(#[$cmeta:meta])* $carrier:ident($inner:ty) => $detail:ident, )?
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum $name {
            $( #[doc = $text] $(#[$vmeta])* $variant, )*
            $( $(#[$cmeta])* $carrier($inner), )?
        }

        impl $name {
            /// The text [`Error`](super::Error)'s `Display` prints for this
            /// reason.
            pub fn text(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )*
                    $( Self::$carrier(inner) => inner.$detail(), )?
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.text())
            }
        }
    };
}

reasons! {
    /// Why the peer's bytes did not parse:
    /// [`Error::Decode`](super::Error::Decode).
    pub enum DecodeReason {
        CertificateStatusType => "unknown certificate status type",
        CertificateVerifyNoScheme => "CertificateVerify without a scheme",
        EcKeyCurve => "unsupported EC curve",
        EcKeyVersion => "unsupported ECPrivateKey version",
        HelloShorterThanBinders => "ClientHello shorter than its binders",
        MessageTooLong => "handshake message longer than its syntax allows",
        NoServerCertificate => "server sent no certificate",
        NoClientCertificate => "client sent no certificate",
        Pkcs8Version => "unsupported PKCS#8 version",
        RawPublicKeyCount => "raw public key Certificate with other than one key",
        RecordBeyondBuffer => "record beyond the receive buffer",
        RecordVersionMajor => "record version major is not 3",
        RsaKeyVersion => "unsupported RSAPrivateKey version",
        SessionBool => "boolean neither 0 nor 1",
        SessionFieldLength => "field length out of bounds",
        SessionIdTooLong => "session ID longer than 32 bytes",
        SessionMaxFragmentLength => "max_fragment_length code other than 1 to 4",
        SessionSecretLength => "secret length out of bounds",
        SessionServerName => "server name not UTF-8",
        SessionVersion => "not a TLS 1.0-1.2 version",
        TicketAckNotEmpty => "ServerHello session_ticket is not empty",
        TicketAead => "unknown AEAD",
        Tls13RecordVersion => "TLS 1.3 record version is not 0x0303",
        TrailingBytes => "trailing bytes",
        Truncated => "message truncated",
        VectorLength => "vector length out of bounds",
    }
    /// Bytes that are not DER (X.690 §10); the `DerError` names the
    /// broken rule.
    Der(DerError) => text,
}

reasons! {
    /// Which value the peer sent that is not allowed there:
    /// [`Error::IllegalParameter`](super::Error::IllegalParameter).
    pub enum IllegalParameterReason {
        AlpnNotOffered => "ALPN answer is not one offered protocol",
        BinderCount => "PSK binder count differs from identity count",
        CertificateContextMismatch => "client Certificate context differs from the request's",
        CompressionAlgorithmNotOffered => "CompressedCertificate with an algorithm not offered",
        CertificateTypeNotOffered => "server selected a certificate type that was not offered",
        CertificateVerifySchemeNotOffered => "CertificateVerify with a scheme that was not offered",
        ClientPointFormats => "client does not accept uncompressed points",
        CompressionNotNull => "compression method is not null",
        CookieMismatch => "cookie differs from the one sent",
        CurveTypeNotNamed => "EC curve type is not named_curve",
        DhModulusTooLarge => "DH modulus larger than MAX_DHE_MODULUS_BITS",
        DhParameters => "DH modulus is even or generator outside 1 < g < p - 1",
        DowngradeSentinel => "downgrade sentinel in ServerHello",
        DuplicateExtension => "duplicate extension",
        DuplicateKeyShareGroup => "two key shares for one group",
        EarlyDataAfterRetry => "early_data after a retry",
        EarlyDataAlpnChanged => "0-RTT accepted with another ALPN protocol than the ticket's",
        EarlyDataPskNotFirst => "0-RTT accepted with a PSK other than the first offered",
        EarlyDataSuiteChanged => "0-RTT accepted with another cipher suite than the ticket's",
        EcdsaNeedsEcKey => "ECDSA signature needs an EC public key",
        EtmWithoutCbc => "encrypt_then_mac with a non-CBC suite",
        ExtensionNotAllowed => "extension not allowed in this message",
        HandshakeRequestContext => "handshake CertificateRequest with a context",
        HelloChangedAfterRetry => "second ClientHello changed beyond what a retry allows",
        InvalidServerName => "invalid server name",
        KeyDoesNotFitSuite => "certificate key does not fit the cipher suite",
        KeyShareGroupNotOffered => "ServerHello key share is not for the group offered",
        KeyShareGroupNotSupported => "key share for a group not in supported_groups",
        KeyShareInPskKeMode => "server key share in psk_ke mode, which has none",
        KeyShareInvalid => "peer key share is invalid or gives a zero secret",
        KeyShareLength => "peer key share has the wrong length",
        KeyTypeCannotSignLegacy => "key type cannot sign in TLS 1.0/1.1",
        KeyUpdateRequest => "KeyUpdate request is not 0 or 1",
        KxGroupNotOffered => "ServerKeyExchange group was not offered",
        MalformedEcKey => "malformed EC public key",
        MalformedEd25519Key => "malformed Ed25519 public key",
        MalformedP256Key => "malformed P-256 public key",
        MalformedP384Key => "malformed P-384 public key",
        MalformedP521Key => "malformed P-521 public key",
        MalformedRsaKey => "malformed RSA public key",
        MaxFragmentLengthAnswer => "max_fragment_length answered with another code than sent, or beside a record_size_limit (RFC 6066 §4, RFC 8449 §5)",
        MaxFragmentLengthValue => "max_fragment_length other than 2^9, 2^10, 2^11 or 2^12 (RFC 6066 §4)",
        MlKemCiphertextLength => "ML-KEM ciphertext has the wrong length (FIPS 203 §7.3)",
        MlKemEncapsulationKeyLength => "ML-KEM encapsulation key has the wrong length (FIPS 203 §7.2)",
        MlKemEncapsulationKeyModulus => "ML-KEM encapsulation key fails the modulus check (FIPS 203 §7.2)",
        NullCompressionMissing => "ClientHello does not offer null compression",
        PskIdentitiesBinders => "PSK identities and binders differ in number",
        PskNotLast => "pre_shared_key is not last",
        PskDroppedAfterRetry => "second ClientHello dropped the PSK the first offered for the retry's suite",
        PskNotOffered => "server selected a PSK that was not offered",
        PskWithoutKeyShare => "PSK selected without the key_share psk_dhe_ke needs",
        PostHandshakeRequestContext => "post-handshake CertificateRequest with an empty or reused context",
        RecordSizeLimitTooSmall => "record_size_limit below 64",
        ResumedParametersChanged => "resumed session with another version or cipher suite",
        RetryChangesNothing => "HelloRetryRequest changes nothing",
        RetryGroupUnusable => "HelloRetryRequest asks for an unusable group",
        RetryKeyShareMissing => "second ClientHello lacks the key share asked for",
        RetrySuiteChanged => "ServerHello suite differs from the HelloRetryRequest's",
        RetryWithoutTls13 => "second ClientHello does not offer TLS 1.3",
        RsaKeySize => "RSA key size outside the accepted range",
        SchemeNotOffered => "signature scheme that was not offered",
        SchemeUnfitForKey => "signature scheme does not fit the public key",
        ServerCertificateChanged => "the server's certificate changed in a renegotiation",
        ServerCertificateContext => "server Certificate with a request context",
        ServerNameNotAscii => "server name is not an ASCII host name",
        ServerPointFormats => "server does not accept uncompressed points",
        SessionIdChangedAfterRetry => "session ID changed after retry",
        SessionIdEchoMismatch => "legacy_session_id_echo differs from the session ID sent",
        SessionNotOffered => "server resumed a session that was not offered",
        SeveralHostNames => "more than one host_name in server_name",
        SignatureAlgorithmUnfit => "signature algorithm unsupported or does not fit the public key",
        SuiteChangedAfterRetry => "cipher suite changed after retry",
        SuiteNotOffered => "server chose a cipher suite that was not offered",
        TicketLifetime => "ticket lifetime over 7 days",
        Tls12AfterRetry => "TLS 1.2 ServerHello after a HelloRetryRequest",
        Tls13Compression => "TLS 1.3 ClientHello must offer only null compression",
        TooManyKeyShares => "more key shares than MAX_KEY_SHARES",
        UnsupportedGroup => "unsupported group",
        UnsupportedKxGroup => "unsupported key exchange group",
        UnsupportedScheme => "unsupported signature scheme",
        VersionNotOffered => "server selected a version that was not offered",
    }
}

reasons! {
    /// Which record or message arrived where none of its kind may:
    /// [`Error::UnexpectedMessage`](super::Error::UnexpectedMessage).
    pub enum UnexpectedMessageReason {
        CcsBody => "ChangeCipherSpec body is not the single byte 1",
        CcsNotAllowed => "ChangeCipherSpec not allowed here",
        CcsValue => "ChangeCipherSpec value is not 1",
        CertificateRequestNotOffered => "post-handshake CertificateRequest without \
            post_handshake_auth offered",
        CertificateRequestAfterExternalPsk => "post-handshake CertificateRequest after an \
            external PSK handshake (RFC 9846 §4.4.2)",
        CertificateNotRequested => "client Certificate not requested",
        CompressedCertificateNotOffered => "CompressedCertificate without compress_certificate offered",
        DataBeforeHandshake => "application data before the handshake completed",
        DataInsideHandshake => "application data inside a fragmented handshake message",
        AlertInsideHandshake => "an alert inside a fragmented handshake message",
        DataBeforeFinished => "application data between ChangeCipherSpec and Finished",
        EmptyRecord => "empty handshake, alert or CCS record",
        ExpectedCertificate => "expected Certificate",
        ExpectedCertificateRequestOrCertificate => "expected CertificateRequest or Certificate",
        ExpectedCertificateRequestOrServerHelloDone => "expected CertificateRequest or \
            ServerHelloDone",
        ExpectedCertificateStatus => "expected CertificateStatus, ServerKeyExchange, \
            CertificateRequest or ServerHelloDone",
        ExpectedCertificateVerify => "expected CertificateVerify",
        ExpectedClientCertificate => "expected client Certificate",
        ExpectedClientHello => "expected ClientHello",
        ExpectedClientKeyExchange => "expected ClientKeyExchange",
        ExpectedEncryptedExtensions => "expected EncryptedExtensions",
        ExpectedEndOfEarlyData => "expected EndOfEarlyData",
        ExpectedFinished => "expected Finished",
        ExpectedNewSessionTicket => "expected NewSessionTicket",
        ExpectedServerHello => "expected ServerHello",
        ExpectedServerHelloDone => "expected ServerHelloDone",
        ExpectedServerKeyExchange => "expected ServerKeyExchange",
        FinishedBeforeCcs => "Finished before ChangeCipherSpec",
        HandshakeAcrossCcs => "handshake data across ChangeCipherSpec",
        HandshakeAcrossKeyChange => "handshake data across a key change",
        HandshakeAfterHandshake => "handshake message after the handshake",
        InnerContentType => "TLS 1.3 inner content type not allowed in a protected record",
        KeyUpdateBeforeHandshake => "KeyUpdate before the handshake completed",
        NoInnerContentType => "TLS 1.3 record with no content type (all padding)",
        ProtectedRecordType => "TLS 1.3 protected record of a type other than application_data",
        SecondRetry => "second HelloRetryRequest",
        ServerKeyExchangeWithRsa => "ServerKeyExchange with RSA key exchange",
        TooMuchEarlyData => "more early data than allowed",
        UnexpectedPostHandshake => "unexpected post-handshake message",
        UnknownContentType => "record of an unknown content type",
        UnknownHandshakeType => "unknown handshake message type",
    }
}

reasons! {
    /// Which signature, Finished or binder did not verify:
    /// [`Error::DecryptError`](super::Error::DecryptError).
    pub enum DecryptErrorReason {
        BadSignature => "signature does not verify",
        BinderMismatch => "PSK binder mismatch",
        FinishedMismatch => "Finished verify_data mismatch",
    }
}

reasons! {
    /// What the peer offered nothing acceptable for:
    /// [`Error::HandshakeFailure`](super::Error::HandshakeFailure).
    pub enum HandshakeFailureReason {
        CbcNeedsLegacy => "CBC suites need the legacy feature",
        DhPublicOutOfRange => "DH public value outside 1 < Y < p - 1",
        ClientCertificateRequired => "client certificate required",
        ClientWithoutEms => "client does not offer the extended master secret",
        NoCommonGroup => "no key-exchange group in common",
        NoCommonSuite => "no cipher suite in common",
        NoFittingCertificate => "no certificate fits: none whose keyUsage allows signing signs with \
            the client's signature_algorithms",
        NoCertificateUnderNamedCa => "no certificate fits the client's request once those that go \
            only to a client naming their CA are left out",
        NoSuiteAndCertificate => "no cipher suite and certificate in common",
        RenegotiationChangesVersion => "a renegotiation changes the protocol version",
        RenegotiationDropsEms => "a renegotiation drops the extended master secret",
        RenegotiationInfoMismatch => "renegotiation_info does not carry the previous handshake's verify_data",
        RenegotiationInfoMissing => "a renegotiation without renegotiation_info",
        RenegotiationInfoNotEmpty => "renegotiation_info is not empty",
        RenegotiationScsv => "TLS_EMPTY_RENEGOTIATION_INFO_SCSV in a renegotiation",
        ResumptionChangesEms => "resumption changes the extended master secret use",
        ResumptionDropsEtm => "resumption turns encrypt-then-MAC off",
        ResumptionWithoutEms => "resumption of an extended master secret session \
            without the extension",
        ServerWithoutEms => "server does not use the extended master secret",
    }
}

reasons! {
    /// What the peer offered that is weaker than we accept:
    /// [`Error::InsufficientSecurity`](super::Error::InsufficientSecurity).
    pub enum InsufficientSecurityReason {
        DhModulusTooSmall => "DH modulus smaller than MIN_DHE_MODULUS_BITS",
        NoAcceptableFfdheGroup => "client lists FFDHE groups, none acceptable, and no other suite fits",
    }
}

reasons! {
    /// Which version check refused the peer:
    /// [`Error::ProtocolVersion`](super::Error::ProtocolVersion).
    pub enum ProtocolVersionReason {
        ClientHelloLegacyVersion => "TLS 1.3 ClientHello legacy_version is not 0x0303",
        NoCommonVersion => "no protocol version in common; TLS 1.0 and 1.1 are off by default \
            (RFC 8996): a server that must accept them lists them in \
            ServerConfig::builder(..).versions(..) with a TLS 1.0/1.1 suite",
        RecordVersionMismatch => "record version differs from the negotiated version",
        ServerHelloLegacyVersion => "TLS 1.3 ServerHello legacy_version is not 0x0303",
        Ssl3OrBelow => "ClientHello legacy_version is SSL 3.0 or below",
        Tls13InRenegotiation => "TLS 1.3 ServerHello in a TLS 1.2 or earlier renegotiation",
        Tls12AfterEarlyData => "TLS 1.2 or earlier ServerHello after 0-RTT data was sent",
        VersionNotEnabled => "server chose a version not enabled; TLS 1.0 and 1.1 are off by \
            default (RFC 8996): a client that must reach such a server lists \
            them in ClientConfig::builder(..).versions(..) with a TLS 1.0/1.1 \
            suite",
    }
}

reasons! {
    /// Which mandatory extension is absent:
    /// [`Error::MissingExtension`](super::Error::MissingExtension).
    pub enum MissingExtensionReason {
        CertificateRequestSignatureAlgorithms => "CertificateRequest without signature_algorithms",
        CookieNotEchoed => "cookie not echoed",
        KeyShare => "no key_share",
        PskKeyExchangeModes => "pre_shared_key without psk_key_exchange_modes",
        PskAfterRetry => "second ClientHello without the pre_shared_key the first offered",
        PskRequired => "ServerHello selects none of the external PSKs this client requires",
        ServerHelloKeyShare => "ServerHello without key_share",
        SignatureAlgorithms => "no signature_algorithms",
        SupportedGroups => "no supported_groups",
    }
}

reasons! {
    /// Which extension the peer may not send:
    /// [`Error::UnsupportedExtension`](super::Error::UnsupportedExtension).
    pub enum UnsupportedExtensionReason {
        CertificateExtensionNotRequested => "certificate extension that was not requested",
        NotOffered => "extension was not offered",
    }
}

reasons! {
    /// Which of this crate's bounded limits a peer exceeded:
    /// [`Error::LimitExceeded`](super::Error::LimitExceeded).
    pub enum LimitExceededReason {
        BufferedHandshake => "buffered handshake data",
        CertificateMessageSize => "certificate message size",
        EmptyRecords => "consecutive empty records",
        KeyUpdatesWithoutData => "KeyUpdates without application data",
        Renegotiations => "renegotiation attempts",
        WarningAlerts => "warning alerts",
    }
}

reasons! {
    /// Which local cryptographic operation failed:
    /// [`Error::Crypto`](super::Error::Crypto).
    pub enum CryptoReason {
        AeadInputTooLong => "AEAD input too long",
        AeadKeyLength => "AEAD key has the wrong length",
        AeadKeyTooLong => "AEAD key longer than any TLS 1.3 suite's",
        AesKeyLength => "AES key has the wrong length",
        CachedSuiteUnknown => "cached session with an unknown suite",
        CbcInputNotBlocks => "CBC input is not whole blocks",
        CbcIvLength => "CBC IV must be 16 bytes",
        CbcPartialBlock => "CBC input is not a whole number of blocks",
        ChaChaIvLength => "TLS 1.2 ChaCha20 IV must be 12 bytes",
        EcKeyCurveMismatch => "EC private key names another curve",
        EcKeyUnknownCurve => "EC private key of unknown curve",
        EcKeyWithoutPublic => "EC private key without its public key",
        ExporterContextTooLong => "exporter context too long",
        ExporterLabelReserved => "exporter label reserved by TLS",
        FixedPoolExhausted => "fixed random pool exhausted",
        FixedPoolPoisoned => "fixed random pool poisoned",
        GcmSaltLength => "TLS 1.2 GCM salt must be 4 bytes",
        HandshakeMessagesNotKept => "handshake messages to sign were not kept",
        HashTooLong => "hash longer than MAX_HASH_LEN",
        HelloShorterThanBinders => "ClientHello shorter than its binders",
        HkdfContextTooLong => "HKDF-Expand-Label context too long",
        HkdfLabelLength => "HKDF-Expand-Label length",
        HkdfLabelTooLong => "HKDF-Expand-Label label too long",
        HkdfOutputTooLong => "HKDF-Expand output too long",
        HmacMd5Sha1 => "HMAC over MD5||SHA-1",
        InvalidEcKey => "invalid EC private key",
        InvalidEd25519Key => "invalid Ed25519 private key",
        InvalidRsaKey => "invalid RSA private key",
        KeyBlockTooLong => "key block too long",
        KeyCannotSignAlgorithm => "signing key cannot sign with this algorithm",
        KeyCannotSignLegacy => "key cannot sign in TLS 1.0/1.1",
        KeyShareGeneration => "key share generation failed",
        MalformedEcKey => "malformed EC private key",
        MalformedPkcs8Key => "malformed PKCS#8 private key",
        MalformedRsaKey => "malformed RSA private key",
        MasterSecretLength => "master secret must be 48 bytes",
        NoRoomForIv => "no room reserved for the explicit IV",
        NoRoomForNonce => "no room reserved for the explicit nonce",
        OsRngFailed => "operating system random generator failed",
        Pkcs8Algorithm => "unsupported private key algorithm",
        Pkcs8Curve => "unsupported or missing EC curve in PKCS#8",
        PlaceholderBinderLength => "placeholder binder of the wrong length",
        PrfSha1 => "no TLS PRF uses SHA-1 alone",
        RecordBufferTooShort => "record buffer shorter than its header",
        RecordMacHash => "no TLS record MAC over this hash",
        RsaEncryptionFailed => "RSA encryption failed",
        RsaKxNeedsLegacy => "RSA key exchange needs feature legacy",
        RsaKxNeedsRsaKey => "RSA key exchange needs an RSA key",
        RsaPssKeyParameters => "unsupported RSASSA-PSS key parameters",
        RsaPublicKeyEncoding => "cannot encode RSA public key",
        RsaSigningKeyNeedsLegacy => "RSA signing keys above 4096 bits need feature legacy",
        RsaSigningKeySize => "RSA signing key size outside 2048-8192 bits",
        SeededRngExhausted => "seeded random generator exhausted",
        SeededRngPoisoned => "seeded random generator poisoned",
        SigningFailed => "signing failed",
        Tls13Hash => "TLS 1.3 uses SHA-256 or SHA-384 only",
        Tls13IvLength => "TLS 1.3 IV must be 12 bytes",
    }
}

reasons! {
    /// What the caller asked for that is not allowed:
    /// [`Error::InvalidRequest`](super::Error::InvalidRequest).
    pub enum InvalidRequestReason {
        AlpnNameLength => "ALPN names are 1 to 255 bytes",
        CertificateVerifyContext => "CertificateVerify context too long",
        ClientCertificateTypes => "client certificate types are X.509 and raw public key, each listed once",
        ClientCertificatesAndResolver => "a client takes its certificates from a list or from a resolver, not both",
        ClientHelloComplete => "the acceptor's ClientHello is complete: accept it",
        ConnectionFailed => "connection has failed",
        EarlyDataNeedsStore => "0-RTT needs single-use tickets or an anti-replay filter: set a session store or anti_replay",
        EarlyDataNotNow => "0-RTT data cannot be sent now",
        ExporterBeforeHandshake => "exporter before application data may flow (handshake complete, False Start or half-RTT)",
        ExternalPskHash => "an external PSK is for SHA-256 or SHA-384 suites",
        ExternalPskIdentity => "an external PSK identity is 1 to 65,535 bytes",
        ExternalPskLength => "an external PSK is 16 to 64 bytes",
        ResumptionDataLength => "resumption data is at most MAX_RESUMPTION_DATA_LEN (4096) bytes",
        ExternalPskOnlyClient => "a client of external PSKs only needs one, and TLS 1.3 alone",
        ImportedPskIdentity => "an imported PSK's identity (RFC 9258 §5.1) is at most 65,535 bytes",
        InvalidServerName => "invalid server name: neither an IP address nor a DNS host name",
        KeyUpdateBeforeHandshake => "KeyUpdate needs a completed TLS 1.3 handshake",
        KeyUpdateLimitReached => "this connection has sent the most KeyUpdates RFC 9846 §4.6.3 allows",
        NoExporter => "no exporter on this connection",
        NoEarlyExporter => "no early exporter: 0-RTT data was not sent, or not accepted",
        NoGroups => "groups must be supported and not empty",
        GroupTiers => "each group tier must hold a group, and the tiers together exactly the configured groups",
        CipherSuiteTiers => "each cipher suite tier must hold a suite, and the tiers together exactly the configured suites",
        KeyShareGroupNotEnabled => "a key share group must be one of the configured groups, listed once",
        RepeatedListEntry => "a version, cipher suite, group or signature scheme is listed twice",
        NoKxGroup => "no key-exchange group",
        NoSignatureScheme => "no signature scheme",
        PlaintextOutsideRecords => "plaintext outside the records handed out",
        UnsupportedCompression => "certificate compression algorithm not supported",
        RecordSizeLimitTooSmall => "record_size_limit below 64 (RFC 8449 §4)",
        MaxFragmentSize => "max_fragment_size is 64 to 16384 bytes",
        PostHandshakeAuthNoVerifier => "no post-handshake client verifier is configured",
        PostHandshakeAuthNotNow => "post-handshake authentication needs a completed TLS 1.3 handshake",
        PostHandshakeAuthNotOffered => "the client did not offer post_handshake_auth",
        PostHandshakeAuthAfterExternalPsk => "the handshake authenticated with an external PSK (RFC 9846 §4.4.2)",
        RenegotiationNotNow => "renegotiation needs a completed TLS 1.0–1.2 handshake with secure renegotiation, switched on, under its limit, and none already asked for",
        ResumptionOff => "resumption is off in this configuration",
        RedisUrl => "not a Redis URL (redis://HOST:PORT/DB, port and database optional)",
        FleetKeyLength => "a fleet key is 32 bytes",
        SessionDirCreate => "session directory cannot be created",
        SessionDirNotDir => "session directory is not a directory",
        SessionFieldOrder => "session fields out of tag order",
        Tls13WithoutSuite => "TLS 1.3 enabled without a 1.3 suite",
        TooManyTickets => "too many tickets",
        TooManyCertificateRequests => "too many post-handshake CertificateRequests outstanding",
        UnsupportedVersions => "versions must be among ALL_VERSIONS \
            (TLS 1.0 and 1.1 need the legacy feature)",
        WriteAfterClose => "write after close_notify",
        WriteAfterPeerClose => "the peer closed the connection with close_notify: \
            TLS 1.2 and below send nothing after it (RFC 5246 §7.2.1)",
    }
}

reasons! {
    /// Why bytes are not DER for what was expected (X.690 §8, §10): the
    /// broken rule. The DER reader, `crate::der`, makes these; the
    /// certificate and key errors carry them.
    pub enum DerError {
        BitStringNotOctetAligned => "BIT STRING is not octet-aligned",
        BitStringPadding => "BIT STRING padding bits not zero",
        BitStringUnusedBits => "BIT STRING unused-bit count invalid",
        BooleanValue => "BOOLEAN not 0x00 or 0xFF",
        ElementMissing => "element missing",
        ElementTruncated => "element truncated",
        EmptyBitString => "empty BIT STRING",
        EmptyInteger => "empty INTEGER",
        HighTagNumber => "high tag numbers are not supported",
        IndefiniteLength => "indefinite length",
        IntegerNotMinimal => "INTEGER not minimally encoded",
        IntegerNotPositive => "INTEGER not positive",
        IntegerTooLarge => "INTEGER too large",
        LengthNotMinimal => "length not minimally encoded",
        LengthTooLarge => "length too large",
        NamedBitStringTrailingZeros => "named BIT STRING has trailing zero bits",
        NegativeInteger => "negative INTEGER",
        NullWithContents => "NULL with contents",
        OidNotMinimal => "OID sub-identifier not minimal",
        OidTruncated => "OID truncated",
        TrailingData => "trailing data",
        UnexpectedTag => "unexpected tag",
    }
}

impl std::error::Error for DerError {}
