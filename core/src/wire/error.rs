//! Every error body: a code for programs, a sentence for people, and the
//! field at fault.

use serde::{Deserialize, Serialize};

use crate::input::{InputError, Problem, ProblemKind};

/// Every error answer: `{"error": {"code": "…", "message": "…"}}`, plus the
/// offending field for validation errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// The body's only key: the code, the message and any field at fault.
    pub error: ErrorDetail,
}

/// The `error` object of an [`ErrorBody`]: a code for programs, a sentence
/// for people, and for a validation error the field to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// A stable code for programs to branch on, such as `validation` (422),
    /// `not_found` (404) or `invalid_transition` (409).
    pub code: String,
    /// A sentence a person can act on. It never carries internal details.
    pub message: String,
    /// For a `validation` error, the JSON key of the offending field
    /// ([`Field::key`](crate::input::Field::key), which the apps match it
    /// against), or the body's key Mend does not know; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// With `field`, what is wrong with it, so a client can say it in its
    /// own language; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<ProblemKind>,
    /// With a `too_long` problem, the limit in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<usize>,
}

impl ErrorDetail {
    /// The detail of an answer with `code`, saying `message` and nothing more.
    pub fn new(code: &str, message: String) -> Self {
        Self { code: code.to_owned(), message, field: None, problem: None, max: None }
    }

    /// The detail of an answer with `code` refusing an input: the sentence,
    /// the field at fault, and what is wrong with it.
    pub fn refusing(code: &str, err: &InputError) -> Self {
        Self {
            code: code.to_owned(),
            message: err.to_string(),
            field: Some(err.field.key().to_owned()),
            problem: Some(err.problem.kind()),
            max: match err.problem {
                Problem::TooLong { max } => Some(max),
                _ => None,
            },
        }
    }
}
