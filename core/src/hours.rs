//! When a company answers: its opening hours, in its own time zone, with
//! the dates it is closed, and its first-answer target counted in opening
//! time. A report's first-answer promise is [`Schedule::first_answer_by`]
//! the moment it arrives: pure, with `now` passed in, so the tables below
//! pin it across weekends, closed dates and daylight-saving changes.
//!
//! Managers send and read [`Hours`] (times as `HH:MM`, dates as
//! `YYYY-MM-DD`); [`Hours::schedule`] checks it and gives the parsed
//! [`Schedule`] that answers questions of time. Opening time is counted in
//! real minutes: a day whose clocks go forward an hour inside opening hours
//! has an hour less of it.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::input::{Field, InputError, Problem};

/// The longest first-answer target: 14 days of opening time, the same
/// horizon as any other promise.
pub const MAX_TARGET_MINUTES: i64 = 14 * 24 * 60;
/// The most closed dates a workspace may list.
pub const MAX_CLOSED_DATES: usize = 100;
/// The most opening spans in one day (a lunch break makes two).
pub const MAX_SPANS_PER_DAY: usize = 4;
/// How many days ahead a first-answer time is looked for. A target that
/// fits in two weeks of opening time, with at most [`MAX_CLOSED_DATES`]
/// closed, always falls within it.
const LOOK_AHEAD_DAYS: u32 = 800;

/// A workspace's opening hours and first-answer target, as its managers
/// send and read them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hours {
    /// The IANA time zone the hours are in, such as `Europe/Berlin`.
    pub time_zone: String,
    /// The opening spans of each weekday.
    pub week: Week,
    /// Dates (`YYYY-MM-DD`, in the workspace's time zone) when the company
    /// is closed all day, whatever the weekday says.
    #[serde(default)]
    pub closed_dates: Vec<String>,
    /// How many minutes of opening time may pass before a report's first
    /// company answer.
    #[serde(deserialize_with = "crate::whole::number")]
    pub first_answer_minutes: i64,
}

/// The opening spans of each weekday; a day with none is closed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)] // the fields are the weekdays
pub struct Week {
    pub monday: Vec<Span>,
    pub tuesday: Vec<Span>,
    pub wednesday: Vec<Span>,
    pub thursday: Vec<Span>,
    pub friday: Vec<Span>,
    pub saturday: Vec<Span>,
    pub sunday: Vec<Span>,
}

impl Week {
    /// Each day's spans, from Monday.
    pub fn days(&self) -> [&[Span]; 7] {
        [&self.monday, &self.tuesday, &self.wednesday, &self.thursday, &self.friday, &self.saturday, &self.sunday]
    }

    /// Monday to Friday open for `spans`, the weekend closed.
    pub fn weekdays(spans: &[Span]) -> Self {
        let day = || spans.to_vec();
        Self { monday: day(), tuesday: day(), wednesday: day(), thursday: day(), friday: day(), ..Self::default() }
    }

    /// The week whose days, from Monday, have `days`' spans.
    pub fn from_days(days: [Vec<Span>; 7]) -> Self {
        let [monday, tuesday, wednesday, thursday, friday, saturday, sunday] = days;
        Self { monday, tuesday, wednesday, thursday, friday, saturday, sunday }
    }
}

/// One opening span of a day, `opens` before `closes`, both `HH:MM`
/// (`closes` may be `24:00`, the end of the day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// When it opens, `HH:MM`.
    pub opens: String,
    /// When it closes, `HH:MM`; `24:00` is midnight at the day's end.
    pub closes: String,
}

impl Span {
    /// A day's spans as a person types them, `09:00–12:00, 13:00–17:00`
    /// (a hyphen or an en dash; nothing for a closed day). `None` when it
    /// is not shaped so; whether the times are real is
    /// [`Hours::schedule`]'s to say.
    pub fn parse_list(typed: &str) -> Option<Vec<Span>> {
        typed
            .split([',', ';'])
            .map(str::trim)
            .filter(|span| !span.is_empty())
            .map(|span| {
                let (opens, closes) = span.split_once(['-', '–'])?;
                Some(Span { opens: opens.trim().to_owned(), closes: closes.trim().to_owned() })
            })
            .collect()
    }

    /// `spans` as [`Span::parse_list`] reads them.
    pub fn list_text(spans: &[Span]) -> String {
        spans.iter().map(|span| format!("{}–{}", span.opens, span.closes)).collect::<Vec<_>>().join(", ")
    }
}

impl Default for Hours {
    /// A new workspace's hours: weekdays 09:00–17:00 in London, and a first
    /// answer within two hours of that.
    fn default() -> Self {
        Self {
            time_zone: "Europe/London".into(),
            week: Week::weekdays(&[Span { opens: "09:00".into(), closes: "17:00".into() }]),
            closed_dates: Vec::new(),
            first_answer_minutes: 120,
        }
    }
}

impl Hours {
    /// Checks the hours and parses them: a known time zone, spans of real
    /// times in order and not overlapping, real dates, at least one span a
    /// week, and a target from 1 minute to 14 days that two weeks of opening
    /// time can hold.
    pub fn schedule(&self) -> Result<Schedule, InputError> {
        let tz = TimeZone::get(&self.time_zone).map_err(|_| {
            InputError::new(Field::TimeZone, Problem::Malformed { expected: "an IANA time zone such as Europe/Berlin" })
        })?;
        let mut week: [Vec<(u16, u16)>; 7] = Default::default();
        for (day, spans) in week.iter_mut().zip(self.week.days()) {
            *day = spans_of(spans)?;
        }
        let weekly: i64 = week.iter().flatten().map(|(opens, closes)| i64::from(closes - opens)).sum();
        if weekly == 0 {
            return Err(InputError::new(Field::Week, Problem::Malformed { expected: "open at least once a week" }));
        }
        if self.closed_dates.len() > MAX_CLOSED_DATES {
            return Err(InputError::new(Field::ClosedDates, Problem::Malformed { expected: "at most 100 dates" }));
        }
        let mut closed = Vec::with_capacity(self.closed_dates.len());
        for raw in &self.closed_dates {
            let date = strict_date(raw).ok_or(InputError::new(
                Field::ClosedDates,
                Problem::Malformed { expected: "a list of dates written YYYY-MM-DD" },
            ))?;
            closed.push(date);
        }
        closed.sort_unstable();
        closed.dedup();
        let target = self.first_answer_minutes;
        if !(1..=MAX_TARGET_MINUTES).contains(&target) || target > 2 * weekly {
            return Err(InputError::new(
                Field::FirstAnswer,
                Problem::Malformed {
                    expected: "from 1 minute to 14 days, and no more than two weeks of opening hours",
                },
            ));
        }
        Ok(Schedule { tz, week, closed, target_ms: target * 60_000 })
    }
}

/// A day's spans as minutes from midnight, in order; refused when a time is
/// not one, a span closes before it opens, or two overlap.
fn spans_of(spans: &[Span]) -> Result<Vec<(u16, u16)>, InputError> {
    let malformed = || {
        InputError::new(
            Field::Week,
            Problem::Malformed {
                expected: "up to 4 spans a day, each opening (HH:MM) before it closes (HH:MM, 24:00 at the latest), none overlapping",
            },
        )
    };
    if spans.len() > MAX_SPANS_PER_DAY {
        return Err(malformed());
    }
    let mut parsed = Vec::with_capacity(spans.len());
    for span in spans {
        let opens = minute_of(&span.opens).filter(|&m| m < 24 * 60).ok_or_else(malformed)?;
        let closes = minute_of(&span.closes).ok_or_else(malformed)?;
        if opens >= closes {
            return Err(malformed());
        }
        parsed.push((opens, closes));
    }
    parsed.sort_unstable();
    if parsed.windows(2).any(|pair| pair[0].1 > pair[1].0) {
        return Err(malformed());
    }
    Ok(parsed)
}

/// `HH:MM` from `00:00` to `24:00`, as minutes from midnight.
fn minute_of(raw: &str) -> Option<u16> {
    let (hours, minutes) = raw.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 || !raw.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let (hours, minutes): (u16, u16) = (hours.parse().ok()?, minutes.parse().ok()?);
    let minute = hours * 60 + minutes;
    (minutes < 60 && minute <= 24 * 60).then_some(minute)
}

/// `YYYY-MM-DD`, exactly, as a real date.
fn strict_date(raw: &str) -> Option<Date> {
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !shaped {
        return None;
    }
    raw.parse().ok()
}

/// Checked opening hours: what answers "when" for a workspace.
#[derive(Debug, Clone)]
pub struct Schedule {
    tz: TimeZone,
    /// Each weekday's spans from Monday, as minutes from midnight, in order.
    week: [Vec<(u16, u16)>; 7],
    /// The closed dates, in order.
    closed: Vec<Date>,
    target_ms: i64,
}

/// The first answer promised to a report: by when, and, where the company
/// was closed when it came, when it opens again (the customer is told both).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstAnswerTime {
    /// The target's worth of opening time after the report.
    pub by: Timestamp,
    /// When the company next opens, if it was closed at the report.
    pub opens_at: Option<Timestamp>,
}

impl Schedule {
    /// When the first company answer is due for a report made at `now`:
    /// once the target's worth of opening time has passed after it. `None`
    /// only when closed dates leave no such time for years.
    pub fn first_answer_by(&self, now: Timestamp) -> Option<Timestamp> {
        self.first_answer(now).map(|time| time.by)
    }

    /// [`Schedule::first_answer_by`], with when the company opens again if
    /// it is closed at `now`.
    pub fn first_answer(&self, now: Timestamp) -> Option<FirstAnswerTime> {
        let now = jiff_of(now)?;
        let mut left = self.target_ms;
        let mut opens_at = None;
        for (i, (start, end)) in self.open_spans_from(now).enumerate() {
            if i == 0 && start > now {
                opens_at = Timestamp::from_unix_ms(start.as_millisecond());
            }
            let start = start.max(now);
            let open = end.as_millisecond() - start.as_millisecond();
            if open >= left {
                let by = Timestamp::from_unix_ms(start.as_millisecond() + left)?;
                return Some(FirstAnswerTime { by, opens_at });
            }
            left -= open;
        }
        None
    }

    /// The opening spans, as real instants, that end after `from`, in
    /// order, for [`LOOK_AHEAD_DAYS`] from `from`'s day.
    fn open_spans_from(&self, from: jiff::Timestamp) -> impl Iterator<Item = (jiff::Timestamp, jiff::Timestamp)> + '_ {
        let first = from.to_zoned_datetime(self.tz.clone()).date();
        let days = std::iter::successors(Some(first), |day| day.tomorrow().ok()).take(LOOK_AHEAD_DAYS as usize);
        days.filter(|day| self.closed.binary_search(day).is_err())
            .flat_map(move |day| {
                let spans = &self.week[usize::from(day.weekday().to_monday_zero_offset() as u8)];
                spans
                    .iter()
                    .filter_map(move |&(opens, closes)| Some((self.instant(day, opens)?, self.instant(day, closes)?)))
            })
            .filter(move |(start, end)| end > &from && start < end)
    }

    /// The real instant of `minute` past midnight on `day` in the
    /// workspace's zone; a time the clocks skip counts as the moment they
    /// skip to, and a time they repeat as its first occurrence.
    fn instant(&self, day: Date, minute: u16) -> Option<jiff::Timestamp> {
        let (day, minute) = match minute {
            1440 => (day.tomorrow().ok()?, 0),
            minute => (day, minute),
        };
        let time = Time::new((minute / 60) as i8, (minute % 60) as i8, 0, 0).ok()?;
        self.tz.to_ambiguous_timestamp(DateTime::from_parts(day, time)).compatible().ok()
    }
}

fn jiff_of(at: Timestamp) -> Option<jiff::Timestamp> {
    jiff::Timestamp::from_millisecond(at.unix_ms()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).expect("an RFC 3339 time")
    }

    fn weekdays(tz: &str, opens: &str, closes: &str, target: i64) -> Hours {
        Hours {
            time_zone: tz.into(),
            week: Week::weekdays(&[Span { opens: opens.into(), closes: closes.into() }]),
            closed_dates: Vec::new(),
            first_answer_minutes: target,
        }
    }

    /// Each row: hours, the report's time, the first answer due (both in UTC).
    fn check(hours: &Hours, rows: &[(&str, &str)]) {
        let schedule = hours.schedule().expect("valid hours");
        for (reported, due) in rows {
            let got = schedule.first_answer_by(at(reported)).map(|t| t.to_string());
            assert_eq!(got.as_deref(), Some(*due), "reported {reported}");
        }
    }

    #[test]
    fn within_hours_the_target_runs_on_the_clock() {
        // Berlin in winter is UTC+1: 09:00–17:00 there is 08:00–16:00 UTC.
        let hours = weekdays("Europe/Berlin", "09:00", "17:00", 120);
        check(
            &hours,
            &[
                ("2026-12-02T09:00:00Z", "2026-12-02T11:00:00Z"), // Wednesday 10:00 → 12:00
                ("2026-12-02T13:30:00Z", "2026-12-02T15:30:00Z"),
                ("2026-12-02T14:30:00Z", "2026-12-03T08:30:00Z"), // 1½ h today, ½ h tomorrow
                ("2026-12-02T16:00:00Z", "2026-12-03T10:00:00Z"), // at closing: tomorrow's first two hours
            ],
        );
    }

    #[test]
    fn outside_hours_and_over_the_weekend_the_clock_waits() {
        let hours = weekdays("Europe/Berlin", "09:00", "17:00", 120);
        check(
            &hours,
            &[
                ("2026-12-02T05:00:00Z", "2026-12-02T10:00:00Z"), // before opening
                ("2026-12-02T22:00:00Z", "2026-12-03T10:00:00Z"), // after closing
                ("2026-12-04T15:30:00Z", "2026-12-07T09:30:00Z"), // Friday late → Monday
                ("2026-12-05T12:00:00Z", "2026-12-07T10:00:00Z"), // Saturday
                ("2026-12-06T23:30:00Z", "2026-12-07T10:00:00Z"), // Monday 00:30 Berlin
            ],
        );
    }

    #[test]
    fn across_the_turn_of_a_month_and_a_year_with_closed_dates() {
        let mut hours = weekdays("Europe/Berlin", "09:00", "17:00", 240);
        hours.closed_dates = vec!["2026-12-24".into(), "2026-12-25".into(), "2026-12-31".into(), "2027-01-01".into()];
        check(
            &hours,
            &[
                // Wednesday 23 December 15:00: two hours that day, then
                // closed Thursday and Friday, the weekend: Monday the 28th.
                ("2026-12-23T14:00:00Z", "2026-12-28T10:00:00Z"),
                // Wednesday 30 December 16:00: one hour, closed until Monday 4 January.
                ("2026-12-30T15:00:00Z", "2027-01-04T11:00:00Z"),
                // Friday 30 April 16:00 → Monday 3 May: over the month's end.
                ("2027-04-30T14:00:00Z", "2027-05-03T10:00:00Z"),
            ],
        );
    }

    #[test]
    fn across_daylight_saving_changes_in_berlin() {
        // Berlin goes to summer time (UTC+2) on Sunday 28 March 2027 and
        // back (UTC+1) on Sunday 31 October 2027.
        let hours = weekdays("Europe/Berlin", "09:00", "17:00", 120);
        check(
            &hours,
            &[
                // Friday 26 March 16:00 CET: one hour, then Monday 09:00 CEST.
                ("2027-03-26T15:00:00Z", "2027-03-29T08:00:00Z"),
                // Friday 29 October 16:00 CEST: one hour, then Monday 09:00 CET.
                ("2027-10-29T14:00:00Z", "2027-11-01T09:00:00Z"),
            ],
        );
        // Open through the night of the change, 00:00–06:00 every day:
        // the spring night has five real hours, the autumn night seven.
        let mut night = Hours { first_answer_minutes: 360, ..hours.clone() };
        let span = || vec![Span { opens: "00:00".into(), closes: "06:00".into() }];
        night.week = Week { saturday: span(), sunday: span(), ..Week::default() };
        check(
            &night,
            &[
                // Sunday 28 March 00:00 CET (23:00 UTC Saturday): the night
                // holds only five hours, so the sixth comes the next Saturday.
                ("2027-03-27T23:00:00Z", "2027-04-02T23:00:00Z"),
                // Sunday 31 October 00:00 CEST (22:00 UTC Saturday): 06:00 CET is 05:00 UTC, seven hours on.
                ("2027-10-30T22:00:00Z", "2027-10-31T04:00:00Z"),
            ],
        );
    }

    #[test]
    fn across_daylight_saving_changes_in_new_york() {
        // New York goes to summer time (UTC−4) on Sunday 14 March 2027 and
        // back (UTC−5) on Sunday 7 November 2027. Open every day 08:00–20:00.
        let mut hours = weekdays("America/New_York", "08:00", "20:00", 180);
        hours.week.saturday = hours.week.monday.clone();
        hours.week.sunday = hours.week.monday.clone();
        check(
            &hours,
            &[
                // Saturday 19:00 EST: one hour, then Sunday 08:00 EDT (12:00 UTC) plus two.
                ("2027-03-14T00:00:00Z", "2027-03-14T14:00:00Z"),
                // Saturday 19:00 EDT: one hour, then Sunday 08:00 EST (13:00 UTC) plus two.
                ("2027-11-06T23:00:00Z", "2027-11-07T15:00:00Z"),
            ],
        );
    }

    #[test]
    fn a_lunch_break_and_a_day_that_ends_at_midnight() {
        let mut hours = weekdays("UTC", "09:00", "12:00", 120);
        hours.week.monday.push(Span { opens: "13:00".into(), closes: "24:00".into() });
        check(
            &hours,
            &[
                ("2026-12-07T11:00:00Z", "2026-12-07T14:00:00Z"), // one hour, lunch, one hour
                ("2026-12-07T23:30:00Z", "2026-12-08T10:30:00Z"), // open until midnight on Monday
            ],
        );
    }

    #[test]
    fn spans_read_as_typed_and_written_back() {
        let spans = Span::parse_list(" 09:00-12:00, 13:00 – 17:30 ").expect("shaped");
        assert_eq!(
            spans,
            vec![
                Span { opens: "09:00".into(), closes: "12:00".into() },
                Span { opens: "13:00".into(), closes: "17:30".into() },
            ]
        );
        assert_eq!(Span::list_text(&spans), "09:00–12:00, 13:00–17:30");
        assert_eq!(Span::parse_list(&Span::list_text(&spans)), Some(spans));
        assert_eq!(Span::parse_list("  "), Some(Vec::new()));
        assert_eq!(Span::parse_list("09:00 17:00"), None);
    }

    #[test]
    fn a_report_while_closed_is_told_when_the_company_opens() {
        let schedule = weekdays("Europe/Berlin", "09:00", "17:00", 120).schedule().expect("valid");
        let opens_at = |now: &str| schedule.first_answer(at(now)).expect("a time").opens_at;
        // Open (Wednesday 09:00 and 16:59 in Berlin): nothing to say.
        assert_eq!(opens_at("2026-12-02T08:00:00Z"), None);
        assert_eq!(opens_at("2026-12-02T15:59:00Z"), None);
        // Closed at 17:00: open again at 09:00 the next morning.
        assert_eq!(opens_at("2026-12-02T16:00:00Z"), Some(at("2026-12-03T08:00:00Z")));
        // Saturday: open again on Monday.
        assert_eq!(opens_at("2026-12-05T12:00:00Z"), Some(at("2026-12-07T08:00:00Z")));
        assert_eq!(schedule.first_answer(at("2026-12-05T12:00:00Z")).unwrap().by, at("2026-12-07T10:00:00Z"));
    }

    #[test]
    fn bad_hours_name_their_field() {
        let fine = weekdays("Europe/Berlin", "09:00", "17:00", 120);
        let field_of = |hours: Hours| hours.schedule().err().map(|err| err.field);
        assert_eq!(field_of(Hours { time_zone: "Mars/Olympus".into(), ..fine.clone() }), Some(Field::TimeZone));
        for (opens, closes) in [
            ("17:00", "09:00"),
            ("09:00", "09:00"),
            ("25:00", "26:00"),
            ("9:00", "17:00"),
            ("09:60", "17:00"),
            ("24:00", "24:00"),
            ("09:00", "24:01"),
        ] {
            assert_eq!(field_of(weekdays("UTC", opens, closes, 60)), Some(Field::Week), "{opens}–{closes}");
        }
        let mut overlapping = fine.clone();
        overlapping.week.monday.push(Span { opens: "16:00".into(), closes: "18:00".into() });
        assert_eq!(field_of(overlapping), Some(Field::Week));
        assert_eq!(field_of(Hours { week: Week::default(), ..fine.clone() }), Some(Field::Week));
        for date in ["2026-02-30", "2026-1-01", "tomorrow", "+2026-01-01"] {
            assert_eq!(
                field_of(Hours { closed_dates: vec![date.into()], ..fine.clone() }),
                Some(Field::ClosedDates),
                "{date}"
            );
        }
        let many = (1..=101).map(|n| format!("2027-{:02}-{:02}", n / 28 + 1, n % 28 + 1)).collect();
        assert_eq!(field_of(Hours { closed_dates: many, ..fine.clone() }), Some(Field::ClosedDates));
        for target in [0, -5, MAX_TARGET_MINUTES + 1, 2 * 40 * 60 + 1] {
            assert_eq!(
                field_of(Hours { first_answer_minutes: target, ..fine.clone() }),
                Some(Field::FirstAnswer),
                "{target}"
            );
        }
        assert!(fine.schedule().is_ok());
        assert!(Hours::default().schedule().is_ok());
    }

    #[test]
    fn closed_dates_push_the_answer_past_them_even_for_years() {
        // Open only on Friday mornings, and the next hundred Fridays closed.
        let mut hours = weekdays("UTC", "09:00", "10:00", 60);
        hours.week = Week { friday: hours.week.friday.clone(), ..Week::default() };
        let fridays = (0..100).map(|week| Timestamp::parse_day("2027-01-01").map(|d| d.plus_days(week * 7).day()));
        hours.closed_dates = fridays.map(|d| d.expect("a day")).collect();
        let schedule = hours.schedule().expect("valid");
        let due = schedule.first_answer_by(at("2026-12-31T12:00:00Z")).expect("a Friday after the closures");
        assert_eq!(due.to_string(), "2028-12-01T10:00:00Z"); // 100 closed Fridays on
    }
}
