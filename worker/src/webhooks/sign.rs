//! Standard Webhooks signing: secrets in the spec's form and the
//! `webhook-signature` header over the exact bytes sent.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::auth::random_bytes;
use crate::error::{AppError, AppResult};

/// The prefix the spec gives every secret.
const PREFIX: &str = "whsec_";

/// A new endpoint secret: `whsec_` and the base64 of 32 random bytes (the
/// spec allows 24 to 64).
pub fn new_secret() -> AppResult<String> {
    Ok(format!("{PREFIX}{}", STANDARD.encode(random_bytes::<32>()?)))
}

/// The `webhook-signature` of `body` sent as message `id` at `timestamp`
/// (Unix seconds): `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`
/// under each secret's bytes, space-separated.
pub fn signature(secrets: &[&str], id: &str, timestamp: i64, body: &str) -> AppResult<String> {
    let signed = format!("{id}.{timestamp}.{body}");
    let mut parts = Vec::with_capacity(secrets.len());
    for secret in secrets {
        let key = STANDARD
            .decode(secret.strip_prefix(PREFIX).unwrap_or(secret))
            .map_err(|e| AppError::Internal(format!("a stored webhook secret is not base64: {e}")))?;
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).map_err(|e| AppError::Internal(e.to_string()))?;
        mac.update(signed.as_bytes());
        parts.push(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())));
    }
    Ok(parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vector the Standard Webhooks specification publishes.
    #[test]
    fn signs_the_specs_test_vector() {
        let signed = signature(
            &["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(signed, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn during_an_overlap_both_secrets_sign_space_separated() {
        let both = signature(
            &["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
            "m",
            1,
            "{}",
        )
        .unwrap();
        let parts: Vec<&str> = both.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert!(parts.iter().all(|part| part.starts_with("v1,") && part.len() == 47));
        assert_ne!(parts[0], parts[1]);
    }

    #[test]
    fn secrets_have_the_specs_form() {
        let secret = new_secret().unwrap();
        let bytes = STANDARD.decode(secret.strip_prefix(PREFIX).unwrap()).unwrap();
        assert_eq!(bytes.len(), 32);
        assert_ne!(secret, new_secret().unwrap());
    }
}
