//! Identified customers: verifying a company-signed HS256 identity JWT.
//!
//! A company's backend signs its logged-in customer as a short-lived JWT with
//! one of its workspace's identity secrets; Mend checks it here, strictly:
//! only `HS256`, a `kid` naming one of the workspace's keys, a constant-time
//! HMAC-SHA256 check, unpadded base64url, `aud` equal to the workspace, and an
//! `exp` no more than 24 hours ahead. Mend never fetches keys, so a header
//! carrying `jku`, `x5u`, `jwk`, `x5c` or `crit` is refused rather than ignored.
//!
//! Built on `hmac`, `sha2`, `base64` and `serde_json` rather than a JWT crate:
//! `jsonwebtoken` 10's only pure-Rust backend compiles in RSA and elliptic-curve
//! crates for every algorithm, and `jwt-compact` adds `chrono` and still leaves
//! the header, audience and lifetime rules to us, which are most of this module.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use mend_core::clock::Timestamp;
use mend_core::input::WorkspaceId;
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny};
use sha2::Sha256;

/// Longest token accepted, in bytes; a real identity token is a few hundred.
const MAX_TOKEN_BYTES: usize = 4096;
/// Clock skew tolerated between the company's servers and Mend's.
const LEEWAY_MS: i128 = 30_000;
/// Furthest ahead `exp` may be: identity tokens are short-lived.
const MAX_LIFETIME_MS: i128 = 24 * 60 * 60 * 1000;
const MAX_SUBJECT: usize = 255;
const MAX_EMAIL: usize = 254;
const MAX_NAME: usize = 200;
const MAX_ORDER_IDS: usize = 50;
const MAX_ORDER_ID: usize = 64;

const THREE_SEGMENTS: &str = "it must be three base64url segments (no padding) separated by '.'";

/// One of a workspace's identity secrets. The HMAC key is the secret string's UTF-8 bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct IdentityKey {
    pub kid: String,
    pub secret: String,
}

impl fmt::Debug for IdentityKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityKey").field("kid", &self.kid).field("secret", &"<redacted>").finish()
    }
}

/// A verified customer identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub workspace: WorkspaceId,
    pub subject: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub order_ids: Vec<String>,
    pub expires_at: Timestamp,
}

/// Why an identity token was refused. `Display` gives a sentence a developer
/// can act on; it never repeats the token, its claims or a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityError {
    /// Not a compact JWT Mend can read; the text says which part is wrong.
    Malformed(&'static str),
    /// `alg` is anything but exactly `HS256`.
    Algorithm,
    /// `kid` names no identity key of the workspace.
    UnknownKey,
    /// The HMAC-SHA256 signature does not match the key named by `kid`.
    BadSignature,
    /// `exp` has passed (beyond the leeway).
    Expired,
    /// `nbf` is still ahead (beyond the leeway).
    NotYetValid,
    /// `exp` is more than 24 hours ahead.
    TooLongLived,
    /// `aud` is not the workspace the token is used with.
    WrongAudience,
    /// A claim is missing, of the wrong type or too long; the text says which.
    Claims(&'static str),
}

impl fmt::Display for IdentityError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sentence = match self {
            Self::Malformed(detail) => return write!(f, "The identity token is malformed: {detail}."),
            Self::Claims(detail) => return write!(f, "The identity token's claims are invalid: {detail}."),
            Self::Algorithm => "The identity token must be signed with HS256 (header \"alg\": \"HS256\").",
            Self::UnknownKey => concat!(
                "The identity token's kid names no identity key of this workspace; ",
                "sign with a current key and put its kid in the header."
            ),
            Self::BadSignature => concat!(
                "The identity token's signature does not match; ",
                "sign it with the identity secret of the kid in its header."
            ),
            Self::Expired => "The identity token has expired; sign a new one.",
            Self::NotYetValid => "The identity token is not valid yet (nbf is ahead); check your server's clock.",
            Self::TooLongLived => "The identity token expires more than 24 hours from now; sign short-lived tokens.",
            Self::WrongAudience => "The identity token's aud is not this workspace; set aud to your workspace id.",
        };
        f.write_str(sentence)
    }
}

impl std::error::Error for IdentityError {}

/// Whether a bearer credential looks like a JWT: it starts `eyJ` (a base64url
/// JSON object) and holds only base64 characters and dots. Deliberately
/// looser than [`verify`], so that a near miss (padded, two segments) is
/// refused as an invalid identity with a reason instead of passing for
/// another kind of credential.
pub fn looks_like_jwt(credential: &str) -> bool {
    credential.starts_with("eyJ")
        && credential.contains('.')
        && credential.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'=' | b'.'))
}

/// The customer a token claims to be (its `sub`), read WITHOUT verifying —
/// only to look up, in the same D1 round trip that reads the keys to verify
/// it with, whom a report may be linked to; a token that then fails to
/// verify files no report at all.
pub fn claimed_subject(token: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Subject {
        sub: Option<String>,
    }
    let segments = Segments::split(token).ok()?;
    serde_json::from_slice::<Subject>(&segments.payload).ok()?.sub
}

/// The workspace a token claims (its `aud`), read WITHOUT verifying — only to
/// pick which workspace's keys to verify it with. Never trust it otherwise.
pub fn claimed_workspace(token: &str) -> Result<WorkspaceId, IdentityError> {
    #[derive(Deserialize)]
    struct Audience {
        aud: Option<String>,
    }
    let segments = Segments::split(token)?;
    let claimed: Audience = serde_json::from_slice(&segments.payload)
        .map_err(|_| IdentityError::Malformed("its payload is not a JSON object with a string aud"))?;
    let aud = claimed.aud.ok_or(IdentityError::Malformed("its payload has no aud (the workspace id)"))?;
    WorkspaceId::parse(&aud).map_err(|_| IdentityError::WrongAudience)
}

/// Verifies `token` against `keys` (the workspace's identity keys) for
/// `workspace` at `now`. The signature is checked before any claim is read.
pub fn verify(
    token: &str,
    keys: &[IdentityKey],
    workspace: &WorkspaceId,
    now: Timestamp,
) -> Result<Identity, IdentityError> {
    let segments = Segments::split(token)?;
    let kid = Header::checked_kid(&segments.header)?;
    let key = keys.iter().find(|key| key.kid == kid).ok_or(IdentityError::UnknownKey)?;
    let mut mac = Hmac::<Sha256>::new_from_slice(key.secret.as_bytes()).map_err(|_| IdentityError::BadSignature)?;
    mac.update(segments.signing_input.as_bytes());
    mac.verify_slice(&segments.signature).map_err(|_| IdentityError::BadSignature)?;
    Claims::parse(&segments.payload)?.check(workspace, now)
}

/// A compact JWS split into its three decoded segments.
struct Segments<'a> {
    /// `header.payload` exactly as sent: the bytes the signature covers.
    signing_input: &'a str,
    header: Vec<u8>,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

impl<'a> Segments<'a> {
    fn split(token: &'a str) -> Result<Self, IdentityError> {
        if token.len() > MAX_TOKEN_BYTES {
            return Err(IdentityError::Malformed("it is longer than 4096 bytes"));
        }
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(IdentityError::Malformed(THREE_SEGMENTS));
        };
        // The URL-safe, no-padding engine refuses '=', '+', '/' and non-canonical trailing bits.
        let decode =
            |segment: &str| URL_SAFE_NO_PAD.decode(segment).map_err(|_| IdentityError::Malformed(THREE_SEGMENTS));
        Ok(Self {
            signing_input: &token[..header.len() + 1 + payload.len()],
            header: decode(header)?,
            payload: decode(payload)?,
            signature: decode(signature)?,
        })
    }
}

/// The JOSE header. Duplicate known members are refused by serde, so no
/// second `alg` or `kid` can hide behind the first.
#[derive(Deserialize)]
struct Header {
    alg: Option<String>,
    kid: Option<String>,
    typ: Option<String>,
    #[serde(default, deserialize_with = "present")]
    jku: bool,
    #[serde(default, deserialize_with = "present")]
    x5u: bool,
    #[serde(default, deserialize_with = "present")]
    jwk: bool,
    #[serde(default, deserialize_with = "present")]
    x5c: bool,
    #[serde(default, deserialize_with = "present")]
    crit: bool,
}

/// True for a member that is there at all, whatever its value (even `null`).
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    IgnoredAny::deserialize(deserializer).map(|_| true)
}

impl Header {
    /// The `kid` of a header that passes every rule above.
    fn checked_kid(json: &[u8]) -> Result<String, IdentityError> {
        let header: Header = serde_json::from_slice(json)
            .map_err(|_| IdentityError::Malformed("its header is not a JSON object with string alg, kid and typ"))?;
        if header.alg.as_deref() != Some("HS256") {
            return Err(IdentityError::Algorithm);
        }
        if header.jku || header.x5u || header.jwk || header.x5c || header.crit {
            return Err(IdentityError::Malformed(
                "its header carries jku, x5u, jwk, x5c or crit; Mend never fetches keys, so send only alg, kid and typ",
            ));
        }
        if header.typ.as_deref().is_some_and(|typ| typ != "JWT") {
            return Err(IdentityError::Malformed("its header's typ, if present, must be \"JWT\""));
        }
        match header.kid {
            Some(kid) if !kid.is_empty() => Ok(kid),
            _ => Err(IdentityError::Malformed("its header has no kid naming the identity key it was signed with")),
        }
    }
}

/// The claims Mend reads; any others are ignored. Duplicates of these are refused.
#[derive(Deserialize)]
struct Claims {
    aud: Option<String>,
    sub: Option<String>,
    exp: Option<i64>,
    nbf: Option<i64>,
    #[allow(dead_code, reason = "type-checked only: whole seconds if present")]
    iat: Option<i64>,
    email: Option<String>,
    name: Option<String>,
    order_ids: Option<Vec<String>>,
}

impl Claims {
    fn parse(json: &[u8]) -> Result<Self, IdentityError> {
        serde_json::from_slice(json).map_err(|_| {
            IdentityError::Claims(concat!(
                "they must be a JSON object where aud, sub, email and name are strings, ",
                "exp, iat and nbf whole seconds, and order_ids an array of strings"
            ))
        })
    }

    fn check(self, workspace: &WorkspaceId, now: Timestamp) -> Result<Identity, IdentityError> {
        let now_ms = i128::from(now.unix_ms());
        let aud = self.aud.ok_or(IdentityError::Claims("aud (the workspace id) is missing"))?;
        if aud != workspace.as_str() {
            return Err(IdentityError::WrongAudience);
        }
        let exp_ms =
            i128::from(self.exp.ok_or(IdentityError::Claims("exp (expiry, in Unix seconds) is missing"))?) * 1000;
        if exp_ms + LEEWAY_MS <= now_ms {
            return Err(IdentityError::Expired);
        }
        // The leeway applies here too, so a token for exactly 24 hours from a
        // slightly fast clock still passes.
        if exp_ms > now_ms + MAX_LIFETIME_MS + LEEWAY_MS {
            return Err(IdentityError::TooLongLived);
        }
        if self.nbf.is_some_and(|nbf| i128::from(nbf) * 1000 > now_ms + LEEWAY_MS) {
            return Err(IdentityError::NotYetValid);
        }
        let subject = self.sub.ok_or(IdentityError::Claims("sub (the customer's id) is missing"))?;
        if subject.is_empty() || subject.chars().count() > MAX_SUBJECT {
            return Err(IdentityError::Claims("sub must be 1 to 255 characters"));
        }
        if self.email.as_ref().is_some_and(|email| email.chars().count() > MAX_EMAIL) {
            return Err(IdentityError::Claims("email must be at most 254 characters"));
        }
        if self.name.as_ref().is_some_and(|name| name.chars().count() > MAX_NAME) {
            return Err(IdentityError::Claims("name must be at most 200 characters"));
        }
        let order_ids = self.order_ids.unwrap_or_default();
        if order_ids.len() > MAX_ORDER_IDS || order_ids.iter().any(|id| id.chars().count() > MAX_ORDER_ID) {
            return Err(IdentityError::Claims("order_ids must be at most 50 ids of at most 64 characters each"));
        }
        // Within a day of `now`, so always representable; the guard only keeps this total.
        let expires_at =
            i64::try_from(exp_ms).ok().and_then(Timestamp::from_unix_ms).ok_or(IdentityError::TooLongLived)?;
        Ok(Identity {
            workspace: workspace.clone(),
            subject,
            email: self.email,
            name: self.name,
            order_ids,
            expires_at,
        })
    }
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE};
    use serde_json::{Value, json};

    use super::*;

    const NOW_S: i64 = 1_795_000_000;
    const SECRET: &str = "mend_is_a_test_secret_of_decent_length";
    const HOUR: i64 = 60 * 60;

    fn now() -> Timestamp {
        Timestamp::from_unix_ms(NOW_S * 1000).unwrap()
    }

    fn acme() -> WorkspaceId {
        WorkspaceId::parse("acme").unwrap()
    }

    fn keys() -> Vec<IdentityKey> {
        vec![
            IdentityKey { kid: "old".into(), secret: "an_older_secret".into() },
            IdentityKey { kid: "k1".into(), secret: SECRET.into() },
        ]
    }

    fn header() -> Value {
        json!({"alg": "HS256", "kid": "k1", "typ": "JWT"})
    }

    fn claims() -> Value {
        json!({"aud": "acme", "sub": "cus_42", "exp": NOW_S + HOUR, "iat": NOW_S, "nbf": NOW_S})
    }

    /// A compact token of `header` and `claims`, encoded by `engine` and
    /// signed with HMAC-SHA256 under `secret` whatever `alg` says.
    fn sign_with(engine: &impl Engine, header: &Value, claims: &Value, secret: &str) -> String {
        let input = format!("{}.{}", engine.encode(header.to_string()), engine.encode(claims.to_string()));
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(input.as_bytes());
        format!("{input}.{}", engine.encode(mac.finalize().into_bytes()))
    }

    fn sign(header: &Value, claims: &Value) -> String {
        sign_with(&URL_SAFE_NO_PAD, header, claims, SECRET)
    }

    fn check(token: &str) -> Result<Identity, IdentityError> {
        verify(token, &keys(), &acme(), now())
    }

    fn with(mut value: Value, key: &str, new: Value) -> Value {
        value[key] = new;
        value
    }

    fn without(mut value: Value, key: &str) -> Value {
        value.as_object_mut().unwrap().remove(key);
        value
    }

    #[test]
    fn a_good_token_verifies_with_all_its_claims() {
        let full = json!({
            "aud": "acme", "sub": "cus_42", "exp": NOW_S + HOUR, "iat": NOW_S, "nbf": NOW_S,
            "email": "ana@example.com", "name": "Ana Lima", "order_ids": ["1042", "1043"], "plan": "gold",
        });
        let identity = check(&sign(&header(), &full)).unwrap();
        assert_eq!(
            identity,
            Identity {
                workspace: acme(),
                subject: "cus_42".into(),
                email: Some("ana@example.com".into()),
                name: Some("Ana Lima".into()),
                order_ids: vec!["1042".into(), "1043".into()],
                expires_at: Timestamp::from_unix_ms((NOW_S + HOUR) * 1000).unwrap(),
            }
        );
    }

    #[test]
    fn typ_may_be_left_out_but_not_be_anything_else() {
        assert!(check(&sign(&without(header(), "typ"), &claims())).is_ok());
        assert!(matches!(
            check(&sign(&with(header(), "typ", json!("jwt+x")), &claims())),
            Err(IdentityError::Malformed(_))
        ));
    }

    #[test]
    fn alg_none_is_refused_with_or_without_a_signature() {
        let none = with(header(), "alg", json!("none"));
        let signed = sign(&none, &claims());
        let unsigned = format!("{}.", signed.rsplit_once('.').unwrap().0);
        assert_eq!(check(&signed), Err(IdentityError::Algorithm));
        assert_eq!(check(&unsigned), Err(IdentityError::Algorithm));
    }

    #[test]
    fn every_other_algorithm_and_spelling_is_refused() {
        for alg in [json!("HS512"), json!("HS384"), json!("RS256"), json!("hs256"), json!("Hs256"), json!("HS256 ")] {
            assert_eq!(
                check(&sign(&with(header(), "alg", alg.clone()), &claims())),
                Err(IdentityError::Algorithm),
                "{alg}"
            );
        }
        assert_eq!(check(&sign(&without(header(), "alg"), &claims())), Err(IdentityError::Algorithm));
    }

    #[test]
    fn a_token_signed_with_another_secret_is_refused() {
        let token = sign_with(&URL_SAFE_NO_PAD, &header(), &claims(), "not_the_secret");
        assert_eq!(check(&token), Err(IdentityError::BadSignature));
        // Signed with the workspace's other key but naming this one.
        let token = sign_with(&URL_SAFE_NO_PAD, &header(), &claims(), "an_older_secret");
        assert_eq!(check(&token), Err(IdentityError::BadSignature));
    }

    #[test]
    fn the_key_is_chosen_by_kid() {
        let token = sign_with(&URL_SAFE_NO_PAD, &with(header(), "kid", json!("old")), &claims(), "an_older_secret");
        assert!(check(&token).is_ok());
    }

    #[test]
    fn an_unknown_kid_is_refused() {
        assert_eq!(check(&sign(&with(header(), "kid", json!("k2")), &claims())), Err(IdentityError::UnknownKey));
        assert_eq!(verify(&sign(&header(), &claims()), &[], &acme(), now()), Err(IdentityError::UnknownKey));
    }

    #[test]
    fn a_missing_or_empty_kid_is_refused() {
        assert!(matches!(check(&sign(&without(header(), "kid"), &claims())), Err(IdentityError::Malformed(_))));
        assert!(matches!(check(&sign(&with(header(), "kid", json!("")), &claims())), Err(IdentityError::Malformed(_))));
    }

    #[test]
    fn an_expired_token_is_refused_beyond_the_leeway() {
        assert_eq!(check(&sign(&header(), &with(claims(), "exp", json!(NOW_S - 31)))), Err(IdentityError::Expired));
        assert_eq!(check(&sign(&header(), &with(claims(), "exp", json!(NOW_S - 30)))), Err(IdentityError::Expired));
        assert!(check(&sign(&header(), &with(claims(), "exp", json!(NOW_S - 20)))).is_ok());
    }

    #[test]
    fn exp_is_required_and_in_whole_seconds() {
        assert!(matches!(check(&sign(&header(), &without(claims(), "exp"))), Err(IdentityError::Claims(_))));
        let fractional = with(claims(), "exp", json!(NOW_S as f64 + 60.5));
        assert!(matches!(check(&sign(&header(), &fractional)), Err(IdentityError::Claims(_))));
    }

    #[test]
    fn a_token_living_more_than_a_day_is_refused() {
        assert_eq!(
            check(&sign(&header(), &with(claims(), "exp", json!(NOW_S + 25 * HOUR)))),
            Err(IdentityError::TooLongLived)
        );
        assert_eq!(check(&sign(&header(), &with(claims(), "exp", json!(i64::MAX)))), Err(IdentityError::TooLongLived));
        assert!(check(&sign(&header(), &with(claims(), "exp", json!(NOW_S + 24 * HOUR)))).is_ok());
    }

    #[test]
    fn a_token_not_valid_yet_is_refused_beyond_the_leeway() {
        assert_eq!(check(&sign(&header(), &with(claims(), "nbf", json!(NOW_S + 60)))), Err(IdentityError::NotYetValid));
        assert!(check(&sign(&header(), &with(claims(), "nbf", json!(NOW_S + 20)))).is_ok());
    }

    #[test]
    fn a_token_for_another_workspace_is_refused() {
        assert_eq!(check(&sign(&header(), &with(claims(), "aud", json!("globex")))), Err(IdentityError::WrongAudience));
        let as_array = with(claims(), "aud", json!(["acme"]));
        assert!(matches!(check(&sign(&header(), &as_array)), Err(IdentityError::Claims(_))));
        assert!(matches!(check(&sign(&header(), &without(claims(), "aud"))), Err(IdentityError::Claims(_))));
    }

    #[test]
    fn claims_changed_after_signing_are_refused() {
        let token = sign(&header(), &claims());
        let (head, rest) = token.split_once('.').unwrap();
        let signature = rest.split_once('.').unwrap().1;
        let forged = URL_SAFE_NO_PAD.encode(with(claims(), "sub", json!("cus_1")).to_string());
        assert_eq!(check(&format!("{head}.{forged}.{signature}")), Err(IdentityError::BadSignature));
    }

    #[test]
    fn duplicate_claims_are_refused() {
        let header = URL_SAFE_NO_PAD.encode(header().to_string());
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"aud":"acme","sub":"a","sub":"b","exp":{}}}"#, NOW_S + 60));
        let input = format!("{header}.{payload}");
        let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
        mac.update(input.as_bytes());
        let token = format!("{input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()));
        assert!(matches!(check(&token), Err(IdentityError::Claims(_))));
    }

    #[test]
    fn only_unpadded_url_safe_base64_is_accepted() {
        let padded = sign_with(&URL_SAFE, &header(), &claims(), SECRET);
        assert!(padded.contains('='));
        assert!(matches!(check(&padded), Err(IdentityError::Malformed(_))));
        // Six '?' in a row always encode to a '/' in the standard alphabet.
        let standard = sign_with(&STANDARD_NO_PAD, &header(), &with(claims(), "name", json!("??????")), SECRET);
        assert!(standard.contains('/'));
        assert!(matches!(check(&standard), Err(IdentityError::Malformed(_))));
    }

    #[test]
    fn a_token_needs_exactly_three_segments() {
        let token = sign(&header(), &claims());
        let two = token.rsplit_once('.').unwrap().0;
        assert_eq!(check(two), Err(IdentityError::Malformed(THREE_SEGMENTS)));
        assert_eq!(check(&format!("{token}.")), Err(IdentityError::Malformed(THREE_SEGMENTS)));
        assert_eq!(check(&format!("{token}.e30")), Err(IdentityError::Malformed(THREE_SEGMENTS)));
    }

    #[test]
    fn headers_pointing_at_keys_elsewhere_are_refused() {
        for member in ["jku", "x5u", "jwk", "x5c", "crit"] {
            let header = with(header(), member, json!("https://attacker.example/keys"));
            assert!(matches!(check(&sign(&header, &claims())), Err(IdentityError::Malformed(_))), "{member}");
        }
        let null_jku = with(header(), "jku", Value::Null);
        assert!(matches!(check(&sign(&null_jku, &claims())), Err(IdentityError::Malformed(_))));
    }

    #[test]
    fn an_over_long_token_is_refused_before_anything_is_decoded() {
        let token = sign(&header(), &with(claims(), "plan", json!("x".repeat(3000))));
        assert!(token.len() > MAX_TOKEN_BYTES);
        assert_eq!(check(&token), Err(IdentityError::Malformed("it is longer than 4096 bytes")));
    }

    #[test]
    fn sub_is_required_and_bounded() {
        assert!(matches!(check(&sign(&header(), &without(claims(), "sub"))), Err(IdentityError::Claims(_))));
        assert!(matches!(check(&sign(&header(), &with(claims(), "sub", json!("")))), Err(IdentityError::Claims(_))));
        assert!(matches!(check(&sign(&header(), &with(claims(), "sub", json!(42)))), Err(IdentityError::Claims(_))));
        let long = with(claims(), "sub", json!("é".repeat(256)));
        assert!(matches!(check(&sign(&header(), &long)), Err(IdentityError::Claims(_))));
        assert!(check(&sign(&header(), &with(claims(), "sub", json!("é".repeat(255))))).is_ok());
    }

    #[test]
    fn optional_claims_are_bounded() {
        let too_many = with(claims(), "order_ids", json!(vec!["1"; 51]));
        let too_long = with(claims(), "order_ids", json!(["1".repeat(65)]));
        let not_strings = with(claims(), "order_ids", json!([1042]));
        let long_name = with(claims(), "name", json!("n".repeat(201)));
        let long_email = with(claims(), "email", json!(format!("{}@example.com", "a".repeat(243))));
        for claims in [too_many, too_long, not_strings, long_name, long_email] {
            assert!(matches!(check(&sign(&header(), &claims)), Err(IdentityError::Claims(_))), "{claims}");
        }
    }

    #[test]
    fn claimed_workspace_reads_aud_without_verifying() {
        let unsigned = sign_with(&URL_SAFE_NO_PAD, &header(), &with(claims(), "aud", json!("globex")), "any");
        assert_eq!(claimed_workspace(&unsigned), Ok(WorkspaceId::parse("globex").unwrap()));
        assert!(matches!(
            claimed_workspace(&sign(&header(), &without(claims(), "aud"))),
            Err(IdentityError::Malformed(_))
        ));
        assert!(matches!(claimed_workspace("eyJhbGciOiJIUzI1NiJ9.e30"), Err(IdentityError::Malformed(_))));
        let bad_id = sign(&header(), &with(claims(), "aud", json!("Not A Workspace")));
        assert_eq!(claimed_workspace(&bad_id), Err(IdentityError::WrongAudience));
    }

    #[test]
    fn looks_like_jwt_tells_tokens_from_other_credentials() {
        assert!(looks_like_jwt(&sign(&header(), &claims())));
        assert!(looks_like_jwt("eyJhbGciOiJub25lIn0.e30."));
        assert!(looks_like_jwt(&sign_with(&URL_SAFE, &header(), &claims(), SECRET)));
        assert!(!looks_like_jwt("mend_ct_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"));
        assert!(!looks_like_jwt("mend_rk_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"));
        assert!(!looks_like_jwt("eyJhbGciOiJIUzI1NiJ9"));
        assert!(!looks_like_jwt("eyJ hello.world.x"));
    }

    #[test]
    fn messages_never_repeat_the_secret_or_the_subject() {
        let errors = [
            IdentityError::Malformed(THREE_SEGMENTS),
            IdentityError::Algorithm,
            IdentityError::UnknownKey,
            IdentityError::BadSignature,
            IdentityError::Expired,
            IdentityError::NotYetValid,
            IdentityError::TooLongLived,
            IdentityError::WrongAudience,
            IdentityError::Claims("sub must be 1 to 255 characters"),
        ];
        for error in errors {
            let message = error.to_string();
            assert!(message.starts_with("The identity token") && message.ends_with('.'), "{message}");
            assert!(!message.contains(SECRET) && !message.contains("cus_42"), "{message}");
        }
        assert!(!format!("{:?}", keys()).contains(SECRET));
        assert_eq!(IdentityError::Expired.to_string(), "The identity token has expired; sign a new one.");
    }
}
