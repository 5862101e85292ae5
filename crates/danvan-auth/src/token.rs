//! Access tokens: JWTs signed with HMAC-SHA256. The algorithm is pinned (a token that names
//! another, `none` included, is refused before its signature is looked at), and `exp`,
//! `nbf`, `iss`, `aud` and `sub` are required. The header's `kid` names the key: tokens are
//! signed with the newest key and checked with any listed key, so a new key can be added
//! first and an old one dropped once its tokens have expired.

use crate::AuthError;
use chrono::{DateTime, Duration, Utc};
use danvan_domain::AccountId;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The one algorithm danvan signs and accepts.
const ALGORITHM: Algorithm = Algorithm::HS256;

/// Seconds of clock difference tolerated between servers.
const LEEWAY_SECS: u64 = 5;

/// A key that signs or checks tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey {
    /// Its name, written in each token's header.
    pub kid: String,
    /// The HMAC secret: at least 32 bytes.
    pub secret: Vec<u8>,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The secret stays out of logs.
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

/// The claims of an access token.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    aud: String,
    exp: i64,
    nbf: i64,
    iat: i64,
}

/// An access token and when it stops working.
#[derive(Debug, Clone)]
pub struct AccessToken {
    /// The JWT.
    pub token: String,
    /// When it expires.
    pub expires_at: DateTime<Utc>,
}

/// The keys and the names tokens carry.
#[derive(Clone)]
pub struct TokenKeys {
    keys: Vec<SigningKey>,
    issuer: String,
    audience: String,
    lifetime: Duration,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("keys", &self.keys)
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

/// The fewest bytes a secret may have: the length of the hash (RFC 7518, 3.2).
pub const MIN_SECRET_BYTES: usize = 32;

impl TokenKeys {
    /// Signs with the first key of `keys` and checks with any of them.
    pub fn new(
        keys: Vec<SigningKey>,
        issuer: impl Into<String>,
        audience: impl Into<String>,
        lifetime: Duration,
    ) -> Result<Self, String> {
        if keys.is_empty() {
            return Err("at least one signing key is needed".into());
        }
        if let Some(short) = keys.iter().find(|k| k.secret.len() < MIN_SECRET_BYTES) {
            return Err(format!(
                "signing key {:?} is shorter than {MIN_SECRET_BYTES} bytes",
                short.kid
            ));
        }
        Ok(Self {
            keys,
            issuer: issuer.into(),
            audience: audience.into(),
            lifetime,
        })
    }

    /// How long an access token lives.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// A token for `account`, valid from `now` for the configured lifetime.
    pub fn issue(&self, account: AccountId, now: DateTime<Utc>) -> Result<AccessToken, AuthError> {
        let key = self
            .keys
            .first()
            .ok_or(AuthError::Internal("find the signing key"))?;
        let expires_at = now + self.lifetime;
        let claims = Claims {
            sub: account.0.to_string(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: expires_at.timestamp(),
            nbf: now.timestamp(),
            iat: now.timestamp(),
        };
        let mut header = Header::new(ALGORITHM);
        header.kid = Some(key.kid.clone());
        let token = jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(&key.secret))
            .map_err(|_| AuthError::Internal("sign a token"))?;
        Ok(AccessToken { token, expires_at })
    }

    /// The account a token was issued to, if the token is genuine and valid now.
    pub fn verify(&self, token: &str) -> Result<AccountId, AuthError> {
        const INVALID: AuthError = AuthError::Unauthenticated("the access token is not valid");
        let header = jsonwebtoken::decode_header(token).map_err(|_| INVALID)?;
        if header.alg != ALGORITHM {
            return Err(INVALID);
        }
        let kid = header.kid.ok_or(INVALID)?;
        let key = self.keys.iter().find(|k| k.kid == kid).ok_or(INVALID)?;
        let mut validation = Validation::new(ALGORITHM);
        validation.algorithms = vec![ALGORITHM];
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        let data = jsonwebtoken::decode::<Claims>(
            token.as_bytes(),
            &DecodingKey::from_secret(&key.secret),
            &validation,
        )
        .map_err(|err| match err.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                AuthError::Unauthenticated("the access token has expired")
            }
            _ => INVALID,
        })?;
        data.claims.sub.parse().map(AccountId).map_err(|_| INVALID)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn key(kid: &str, byte: u8) -> SigningKey {
        SigningKey {
            kid: kid.into(),
            secret: vec![byte; 32],
        }
    }

    fn keys(list: Vec<SigningKey>) -> TokenKeys {
        TokenKeys::new(list, "danvan", "danvan-api", Duration::minutes(15)).unwrap()
    }

    #[test]
    fn a_token_names_its_account() {
        let keys = keys(vec![key("k1", 1)]);
        let token = keys.issue(AccountId(7), Utc::now()).unwrap();
        assert_eq!(keys.verify(&token.token), Ok(AccountId(7)));
    }

    #[test]
    fn expired_and_future_tokens_are_refused() {
        let keys = keys(vec![key("k1", 1)]);
        let old = keys
            .issue(AccountId(7), Utc::now() - Duration::hours(1))
            .unwrap();
        assert_eq!(
            keys.verify(&old.token),
            Err(AuthError::Unauthenticated("the access token has expired"))
        );
        let early = keys
            .issue(AccountId(7), Utc::now() + Duration::hours(1))
            .unwrap();
        assert!(keys.verify(&early.token).is_err());
    }

    #[test]
    fn keys_rotate_without_signing_anyone_out() {
        let old = keys(vec![key("k1", 1)]);
        let token = old.issue(AccountId(7), Utc::now()).unwrap();
        let rotated = keys(vec![key("k2", 2), key("k1", 1)]);
        assert_eq!(rotated.verify(&token.token), Ok(AccountId(7)));
        let dropped = keys(vec![key("k2", 2)]);
        assert!(dropped.verify(&token.token).is_err());
        // Same kid, other secret: a forged key name does not help.
        let forged = keys(vec![key("k1", 9)]);
        assert!(forged.verify(&token.token).is_err());
    }

    #[test]
    fn tampered_unsigned_and_foreign_tokens_are_refused() {
        let keys = keys(vec![key("k1", 1)]);
        let token = keys.issue(AccountId(7), Utc::now()).unwrap().token;
        let parts: Vec<&str> = token.split('.').collect();
        // Another account in the payload, the signature kept.
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        let forged = URL_SAFE_NO_PAD.encode(payload.replace("\"sub\":\"7\"", "\"sub\":\"1\""));
        assert!(
            keys.verify(&format!("{}.{forged}.{}", parts[0], parts[2]))
                .is_err()
        );
        // alg: none, no signature.
        let none = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT","kid":"k1"}"#);
        assert!(keys.verify(&format!("{none}.{}.", parts[1])).is_err());
        // Another issuer or audience.
        let other = TokenKeys::new(
            vec![key("k1", 1)],
            "other",
            "danvan-api",
            Duration::minutes(5),
        )
        .unwrap()
        .issue(AccountId(7), Utc::now())
        .unwrap();
        assert!(keys.verify(&other.token).is_err());
        assert!(keys.verify("not a token").is_err());
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(
            TokenKeys::new(
                vec![SigningKey {
                    kid: "k".into(),
                    secret: b"short".to_vec()
                }],
                "i",
                "a",
                Duration::minutes(1)
            )
            .is_err()
        );
    }
}
