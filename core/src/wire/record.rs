//! The recovery record: `GET /v1/workspaces/{ws}/record`.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::money::Currency;
use crate::record::{Period, RecoveryRecord};

/// The answer to `GET /v1/workspaces/{ws}/record`: the recovery record over
/// the tickets reported in a period, overall and week by week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordView {
    /// The period's first day, `YYYY-MM-DD`.
    pub from: String,
    /// The period's last day, `YYYY-MM-DD`, included.
    pub to: String,
    /// The currency every amount is counted in.
    pub currency: Currency,
    /// The figures over the whole period.
    pub overall: RecoveryRecord,
    /// Every week the period touches, earliest first, empty ones included.
    pub weeks: Vec<WeekRecord>,
}

/// One week of a [`RecordView`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekRecord {
    /// The week's Monday, `YYYY-MM-DD`.
    pub week: String,
    /// The figures of the tickets reported that week (within the period).
    pub record: RecoveryRecord,
}

impl RecordView {
    /// The view of `period`'s figures: `overall`, and `weeks` by their Mondays.
    pub fn new(
        period: Period,
        currency: Currency,
        overall: RecoveryRecord,
        weeks: Vec<(Timestamp, RecoveryRecord)>,
    ) -> Self {
        Self {
            from: period.from_day(),
            to: period.to_day(),
            currency,
            overall,
            weeks: weeks.into_iter().map(|(monday, record)| WeekRecord { week: monday.day(), record }).collect(),
        }
    }
}
