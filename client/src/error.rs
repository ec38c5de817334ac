//! Why a call to Mend did not succeed, as both apps branch on it.

use leptos::wasm_split::SplitLoaderError;
use mend_core::input::Field;
use mend_core::wire::ErrorDetail;

/// Why a call did not succeed: no answer at all, or Mend's error body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer: offline, or the server unreachable.
    Offline,
    /// Mend answered `status` with an error body: its code, its message and
    /// the field at fault, if any.
    Refused { status: u16, error: ErrorDetail },
}

impl ApiError {
    /// An error an app finds itself in `field`, before asking Mend: read
    /// like Mend's own 422.
    pub fn invalid(field: Field, message: &str) -> Self {
        let error =
            ErrorDetail { field: Some(field.key().to_owned()), ..ErrorDetail::new("validation", message.to_owned()) };
        ApiError::Refused { status: 422, error }
    }

    /// Whether this error is about one of `fields`, by the key the core gives
    /// each on the wire.
    pub fn names(&self, fields: &[Field]) -> bool {
        self.field().is_some_and(|named| fields.iter().any(|field| field.key() == named))
    }

    /// A 2xx answer the app could not read, or an error answer with no
    /// error body: Mend's fault, not the person's.
    pub(crate) fn unexpected(status: u16) -> Self {
        ApiError::Refused { status, error: ErrorDetail::new("unexpected", String::new()) }
    }

    /// Mend's error body, if it answered with one.
    pub fn detail(&self) -> Option<&ErrorDetail> {
        match self {
            ApiError::Refused { error, .. } => Some(error),
            ApiError::Offline => None,
        }
    }

    /// The input field this error is about, when it is about one.
    pub fn field(&self) -> Option<&str> {
        self.detail()?.field.as_deref()
    }

    /// Mend's code for the refusal (`needs_manager`, `validation`, …).
    pub fn code(&self) -> Option<&str> {
        self.detail().map(|error| error.code.as_str())
    }

    /// The HTTP status Mend answered with, if it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Refused { status, .. } => Some(*status),
            ApiError::Offline => None,
        }
    }

    /// Whether the failure is Mend's own (an answer it could not give or we
    /// could not read): say sorry, not what to fix.
    pub fn is_unexpected(&self) -> bool {
        matches!(self.code(), Some("unexpected" | "internal"))
    }

    /// Whether Mend said there is no such thing for these credentials.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether the credentials no longer hold (signed out, expired, revoked).
    pub fn is_signed_out(&self) -> bool {
        self.status() == Some(401)
    }

    /// Whether trying the same again may work: no answer, Mend's own failure, or a rate limit.
    pub fn can_retry(&self) -> bool {
        matches!(self, ApiError::Offline | ApiError::Refused { status: 429 | 500..=599, .. })
    }
}

/// A split-out module of an app that could not be fetched: as good as
/// offline, and worth another try.
impl From<SplitLoaderError> for ApiError {
    fn from(_: SplitLoaderError) -> Self {
        ApiError::Offline
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, code: &str) -> ApiError {
        ApiError::Refused { status, error: ErrorDetail::new(code, "Something to act on.".into()) }
    }

    #[test]
    fn what_each_error_says_about_itself() {
        let invalid = ApiError::invalid(Field::Amount, "The amount must be a number.");
        assert_eq!(
            (invalid.status(), invalid.code(), invalid.field()),
            (Some(422), Some("validation"), Some("minor_units"))
        );
        assert_eq!(invalid.detail().map(|e| e.message.as_str()), Some("The amount must be a number."));
        assert!(!invalid.can_retry() && !invalid.is_unexpected());
        assert!(invalid.names(&[Field::Currency, Field::Amount]) && !invalid.names(&[Field::Note]));
        assert!(!ApiError::Offline.names(&[Field::Amount]));

        assert_eq!((ApiError::Offline.status(), ApiError::Offline.field()), (None, None));
        assert!(ApiError::Offline.can_retry());
        assert!(ApiError::unexpected(200).is_unexpected());
        assert!(refused(500, "internal").is_unexpected() && refused(500, "internal").can_retry());
        assert!(refused(429, "rate_limited").can_retry());
        assert!(refused(404, "not_found").is_not_found() && !refused(404, "not_found").can_retry());
        assert!(refused(401, "unauthenticated").is_signed_out());
        assert!(!refused(403, "needs_manager").is_signed_out());
    }
}
