//! The alert codes every error maps to (RFC 8446 §6, RFC 5246 §7.2); `msgs`
//! reads and writes them.

open_enum! {
    /// Alert level (RFC 5246 §7.2; RFC 8446 §6 keeps it only for syntax).
    pub enum AlertLevel: u8 {
        Warning = 1,
        Fatal = 2,
    }
}

open_enum! {
    /// Alert description (RFC 8446 §6, RFC 9846 §6, RFC 5246 §7.2,
    /// RFC 7507, RFC 8449).
    pub enum AlertDescription: u8 {
        CloseNotify = 0,
        UnexpectedMessage = 10,
        BadRecordMac = 20,
        DecryptionFailed = 21,
        RecordOverflow = 22,
        DecompressionFailure = 30,
        HandshakeFailure = 40,
        NoCertificate = 41,
        BadCertificate = 42,
        UnsupportedCertificate = 43,
        CertificateRevoked = 44,
        CertificateExpired = 45,
        CertificateUnknown = 46,
        IllegalParameter = 47,
        UnknownCa = 48,
        AccessDenied = 49,
        DecodeError = 50,
        DecryptError = 51,
        ExportRestriction = 60,
        ProtocolVersion = 70,
        InsufficientSecurity = 71,
        InternalError = 80,
        InappropriateFallback = 86,
        UserCanceled = 90,
        NoRenegotiation = 100,
        MissingExtension = 109,
        UnsupportedExtension = 110,
        CertificateUnobtainable = 111,
        UnrecognizedName = 112,
        BadCertificateStatusResponse = 113,
        BadCertificateHashValue = 114,
        UnknownPskIdentity = 115,
        CertificateRequired = 116,
        GeneralError = 117,
        NoApplicationProtocol = 120,
    }
}

impl AlertDescription {
    /// The alert's name as RFC 9846 §6 and RFC 5246 §7.2 spell it
    /// (`handshake_failure`), or `None` for an unknown value.
    pub fn rfc_name(self) -> Option<&'static str> {
        use AlertDescription as A;
        Some(match self {
            A::CloseNotify => "close_notify",
            A::UnexpectedMessage => "unexpected_message",
            A::BadRecordMac => "bad_record_mac",
            A::DecryptionFailed => "decryption_failed_RESERVED",
            A::RecordOverflow => "record_overflow",
            A::DecompressionFailure => "decompression_failure_RESERVED",
            A::HandshakeFailure => "handshake_failure",
            A::NoCertificate => "no_certificate_RESERVED",
            A::BadCertificate => "bad_certificate",
            A::UnsupportedCertificate => "unsupported_certificate",
            A::CertificateRevoked => "certificate_revoked",
            A::CertificateExpired => "certificate_expired",
            A::CertificateUnknown => "certificate_unknown",
            A::IllegalParameter => "illegal_parameter",
            A::UnknownCa => "unknown_ca",
            A::AccessDenied => "access_denied",
            A::DecodeError => "decode_error",
            A::DecryptError => "decrypt_error",
            A::ExportRestriction => "export_restriction_RESERVED",
            A::ProtocolVersion => "protocol_version",
            A::InsufficientSecurity => "insufficient_security",
            A::InternalError => "internal_error",
            A::InappropriateFallback => "inappropriate_fallback",
            A::UserCanceled => "user_canceled",
            A::NoRenegotiation => "no_renegotiation_RESERVED",
            A::MissingExtension => "missing_extension",
            A::UnsupportedExtension => "unsupported_extension",
            A::CertificateUnobtainable => "certificate_unobtainable_RESERVED",
            A::UnrecognizedName => "unrecognized_name",
            A::BadCertificateStatusResponse => "bad_certificate_status_response",
            A::BadCertificateHashValue => "bad_certificate_hash_value_RESERVED",
            A::UnknownPskIdentity => "unknown_psk_identity",
            A::CertificateRequired => "certificate_required",
            A::GeneralError => "general_error",
            A::NoApplicationProtocol => "no_application_protocol",
            A::Unknown(_) => return None,
        })
    }
}

impl core::fmt::Display for AlertDescription {
    /// The RFC name (`certificate_required`), or `alert N` for a value
    /// without one: the one spelling the library's errors and the
    /// command-line tool print.
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.rfc_name() {
            Some(name) => f.write_str(name),
            None => write!(f, "alert {}", u8::from(*self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alerts_print_their_rfc_names() {
        assert_eq!(
            AlertDescription::HandshakeFailure.rfc_name(),
            Some("handshake_failure")
        );
        assert_eq!(
            AlertDescription::from(116u8).to_string(),
            "certificate_required"
        );
        // RFC 9846 §6.2 adds general_error.
        assert_eq!(AlertDescription::from(117u8).to_string(), "general_error");
        assert_eq!(AlertDescription::Unknown(255).rfc_name(), None);
        assert_eq!(AlertDescription::Unknown(255).to_string(), "alert 255");
        assert_eq!(
            crate::Error::AlertReceived(AlertDescription::CertificateRequired).to_string(),
            "received alert certificate_required"
        );
    }
}
