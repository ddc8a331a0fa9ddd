//! The alert message (RFC 8446 §6, RFC 5246 §7.2).

use crate::codec::{Codec, Reader, Writer};
use crate::error::Error;
use crate::msgs::enums::{AlertDescription, AlertLevel};

/// One alert: a level and a description, two bytes on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alert {
    /// The level (TLS 1.3 ignores it except for syntax, RFC 8446 §6).
    pub level: AlertLevel,
    /// What went wrong, or `close_notify`.
    pub description: AlertDescription,
}

impl Codec for Alert {
    fn encode(&self, w: &mut Writer) {
        self.level.encode(w);
        self.description.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, Error> {
        Ok(Self {
            level: AlertLevel::decode(r)?,
            description: AlertDescription::decode(r)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DecodeReason;

    #[test]
    fn alert_is_exactly_two_bytes() {
        let alert = Alert::decode_exact(&[2, 40]).unwrap();
        assert_eq!(alert.level, AlertLevel::Fatal);
        assert_eq!(alert.description, AlertDescription::HandshakeFailure);
        assert_eq!(alert.to_bytes().unwrap(), [2, 40]);
        assert!(matches!(
            Alert::decode_exact(&[2]),
            Err(Error::Decode(DecodeReason::Truncated))
        ));
        assert!(matches!(
            Alert::decode_exact(&[1, 0, 0]),
            Err(Error::Decode(DecodeReason::TrailingBytes))
        ));
    }
}
