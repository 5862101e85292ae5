//! Signing webhook deliveries as the Standard Webhooks specification says
//! (<https://www.standardwebhooks.com/>): a secret is `whsec_` and 24–64 random bytes in
//! base64; a delivery's `webhook-signature` is `v1,` and the base64 HMAC-SHA256, under the
//! secret's bytes, of `{webhook-id}.{webhook-timestamp}.{body}`, once for each secret in
//! use (several during a rotation), separated by spaces.

use crate::AuthError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a webhook secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new secret: 32 random bytes.
pub fn new_secret() -> Result<String, AuthError> {
    Ok(format!(
        "{SECRET_PREFIX}{}",
        STANDARD.encode(crate::secret::random_bytes(32)?)
    ))
}

/// The `webhook-signature` header of a delivery signed with each of `secrets`.
pub fn signature(
    secrets: &[&str],
    message_id: &str,
    timestamp: i64,
    body: &[u8],
) -> Result<String, AuthError> {
    let mut signatures = Vec::with_capacity(secrets.len());
    for secret in secrets {
        let key = secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret);
        let key = STANDARD
            .decode(key)
            .map_err(|_| AuthError::Internal("a webhook secret is not base64"))?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key)
            .map_err(|_| AuthError::Internal("a webhook secret of no length"))?;
        mac.update(message_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        signatures.push(format!(
            "v1,{}",
            STANDARD.encode(mac.finalize().into_bytes())
        ));
    }
    Ok(signatures.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the specification's reference libraries.
    #[test]
    fn the_specifications_example_signs_alike() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let signed = signature(
            &[secret],
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            body,
        )
        .unwrap();
        assert_eq!(signed, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_rotation_signs_with_each_secret() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert!(a.starts_with(SECRET_PREFIX) && a != b);
        let both = signature(&[&a, &b], "msg_1", 1, b"{}").unwrap();
        let parts: Vec<&str> = both.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], signature(&[&a], "msg_1", 1, b"{}").unwrap());
    }
}
