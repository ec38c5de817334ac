//! How many reports Mend takes a minute: per client address and per
//! workspace, in fixed one-minute windows, counted in D1 in the report's one
//! batch (`store::report_context`). A connection over its own limit is not
//! counted toward its workspace's, so one connection cannot use up a
//! company's.

use mend_core::input::WorkspaceId;

use crate::ask::Ask;
use crate::error::AppError;
use crate::{auth, now, store};

/// A report's limits in the current window.
pub struct ReportLimits {
    /// Per client address, then per workspace.
    buckets: Vec<Bucket>,
    /// The current one-minute window's start, in Unix seconds.
    pub window_start: i64,
    /// The seconds left in it.
    retry_after: u32,
}

/// One counter: its name, the most hits it takes in a window, and what a
/// refused customer is told.
struct Bucket {
    name: String,
    most: u32,
    message: &'static str,
}

impl Ask {
    /// The report limits of this request's client address and `workspace`,
    /// from the vars `REPORTS_PER_MINUTE_PER_ADDRESS` (10 by default) and
    /// `REPORTS_PER_MINUTE_PER_WORKSPACE` (300).
    pub(crate) fn report_limits(&self, workspace: &WorkspaceId) -> ReportLimits {
        let per = |name: &str, default: u32| self.var(name).and_then(|v| v.parse().ok()).unwrap_or(default);
        let buckets = vec![
            Bucket {
                name: format!("reports:address:{}", auth::hash(&self.client_address)),
                most: per("REPORTS_PER_MINUTE_PER_ADDRESS", 10),
                message: "Too many reports from this connection — try again in a minute.",
            },
            Bucket {
                name: format!("reports:workspace:{workspace}"),
                most: per("REPORTS_PER_MINUTE_PER_WORKSPACE", 300),
                message: "This company is receiving too many reports right now — try again in a minute.",
            },
        ];
        let now_s = now().unix_ms() / 1000;
        let window_start = now_s - now_s % 60;
        let retry_after = u32::try_from(window_start + 60 - now_s).unwrap_or(60).max(1);
        ReportLimits { buckets, window_start, retry_after }
    }
}

impl ReportLimits {
    /// The counters to hit, in order, for `store::report_context`.
    pub fn counters(&self) -> Vec<store::Limit<'_>> {
        self.buckets.iter().map(|bucket| store::Limit { bucket: &bucket.name, most: bucket.most }).collect()
    }

    /// The 429 for the first limit a report is over, given each counter's
    /// `hits` with it (`None` where it went uncounted for being over the
    /// limit before); `None` if it is within them all.
    pub fn refusal(&self, hits: &[Option<u32>]) -> Option<AppError> {
        self.buckets.iter().zip(hits).find_map(|(bucket, hits)| {
            hits.is_none_or(|hits| hits > bucket.most)
                .then_some(AppError::RateLimited { retry_after: self.retry_after, message: bucket.message })
        })
    }
}
