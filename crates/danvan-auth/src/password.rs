//! Password hashes: argon2id with the parameters OWASP recommends (19 MiB, 2 passes), in
//! the PHC string format, so that the parameters can be raised later without breaking
//! stored hashes.

use crate::AuthError;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

/// The stored form of a password.
pub fn hash(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|_| AuthError::Internal("draw a salt"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| AuthError::Internal("encode a salt"))?;
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| AuthError::Internal("hash a password"))
}

/// Whether `password` matches `stored`. With no stored hash (an unknown user name) a
/// password is checked against a hash of nothing, so that an answer takes as long for an
/// unknown user as for a wrong password and does not tell which names exist.
pub fn verify(stored: Option<&str>, password: &str) -> bool {
    static UNKNOWN: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let unknown = UNKNOWN.get_or_init(|| hash("no account has this password").ok());
    let (stored, known) = match stored {
        Some(stored) => (stored, true),
        None => match unknown {
            Some(hash) => (hash.as_str(), false),
            None => return false,
        },
    };
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    hasher()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_checks_its_password_and_no_other() {
        let stored = hash("Mật khẩu Dân vận khéo").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify(Some(&stored), "Mật khẩu Dân vận khéo"));
        assert!(!verify(Some(&stored), "Mat khau Dan van kheo"));
        assert!(!verify(None, "Mật khẩu Dân vận khéo"));
        assert!(!verify(Some("not a hash"), "anything"));
    }

    #[test]
    fn the_same_password_hashes_differently_each_time() {
        assert_ne!(hash("mật khẩu dài").unwrap(), hash("mật khẩu dài").unwrap());
    }
}
