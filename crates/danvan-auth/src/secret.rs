//! Bearer secrets that are not JWTs: refresh tokens and partners' API keys. They are random,
//! shown to their holder once, and stored only as a digest, so that a copy of the database
//! signs no one in.

use crate::AuthError;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// What a refresh token starts with, so that a leaked one is recognisable in a scan.
pub const REFRESH_PREFIX: &str = "dvr_";
/// What an API key starts with.
pub const API_KEY_PREFIX: &str = "dvp_";

/// `count` random bytes from the operating system.
pub fn random_bytes(count: usize) -> Result<Vec<u8>, AuthError> {
    let mut buf = vec![0u8; count];
    getrandom::fill(&mut buf).map_err(|_| AuthError::Internal("draw random bytes"))?;
    Ok(buf)
}

/// `bytes` random bytes, base64url.
pub fn random(bytes: usize) -> Result<String, AuthError> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes(bytes)?))
}

/// A new secret with its prefix: 256 random bits.
pub fn new_secret(prefix: &str) -> Result<String, AuthError> {
    Ok(format!("{prefix}{}", random(32)?))
}

/// The stored form of a secret: SHA-256, hex. A plain digest is enough for 256 random bits;
/// a slow hash protects guessable passwords, not these.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_stored_as_digests() {
        let a = new_secret(REFRESH_PREFIX).unwrap();
        let b = new_secret(REFRESH_PREFIX).unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("dvr_") && a.len() > 40);
        assert_eq!(digest(&a), digest(&a));
        assert_eq!(digest(&a).len(), 64);
        assert!(!digest(&a).contains(&a[4..]));
    }
}
