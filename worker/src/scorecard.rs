//! The public scorecard at `/r/{workspace}`: a company's recovery record as
//! one HTML page that any site may embed.
//!
//! Mend draws it itself, with no JavaScript and no chart library: each
//! figure is a number and a small inline SVG of its trend by week, with a
//! `<title>` and a `<desc>` that read the same figures out, so a screen
//! reader gets what the bars show. The page's one stylesheet is inline and
//! allowed by its hash ([`policy`]), follows the reader's light or dark
//! preference, and nothing else may load. The page is the template
//! `templates/scorecard.html`: askama escapes every value in it, the
//! company's name and published words included. This module only lays the
//! figures out: the route reads the record.

use std::sync::LazyLock;

use askama::Template;
use mend_core::changes::PublishedChange;
use mend_core::money::Money;
use mend_core::record::RecoveryRecord;
use mend_core::wire::RecordView;

/// The page's stylesheet, allowed by its hash in [`policy`].
const STYLE: &str = include_str!("../templates/scorecard.css");

/// The page's Content-Security-Policy: nothing but its own stylesheet, and
/// embeddable by any site (`frame-ancestors *`), since that is its purpose.
/// Hashed once per isolate.
pub static POLICY: LazyLock<String> = LazyLock::new(|| {
    format!(
        "default-src 'none'; style-src 'sha256-{}'; base-uri 'none'; form-action 'none'; frame-ancestors *",
        crate::pages::csp_hash(STYLE)
    )
});

/// One figure of the record: its name, the number over the period, and its
/// value for each week (`None` where the week has none), as drawn.
struct Figure {
    name: &'static str,
    value: String,
    /// What the value counts, in a few words under it.
    basis: String,
    weekly: Vec<Option<f64>>,
    /// How a weekly value reads in the chart's text alternative.
    unit: fn(f64) -> String,
}

/// The whole page for `company`'s record `view`; `published` false marks it
/// as a preview nobody else can see.
/// `changes` are the prevention notes the company published, newest first.
pub fn page(
    company: &str,
    view: &RecordView,
    published: bool,
    changes: &[PublishedChange],
) -> Result<String, askama::Error> {
    let overall = &view.overall;
    let weeks: Vec<&RecoveryRecord> = view.weeks.iter().map(|week| &week.record).collect();
    let series = |read: fn(&RecoveryRecord) -> Option<f64>| weeks.iter().map(|record| read(record)).collect();
    let figures = [
        Figure {
            name: "Median time to first apology",
            value: overall.median_first_apology_ms.map_or_else(none, duration),
            basis: "from the customer's report to the first sincere apology, over the problems customers told us first"
                .to_owned(),
            weekly: series(|r| r.median_first_apology_ms.map(hours)),
            unit: |h| duration((h * 3_600_000.0) as i64),
        },
        Figure {
            name: "First answers on time",
            value: overall.first_answers_kept_percent.map_or_else(none, |p| format!("{p}%")),
            basis: format!(
                "{} of {} first-answer promises settled, each made from the opening hours when the customer reported",
                overall.first_answers.kept,
                overall.first_answers.kept + overall.first_answers.missed
            ),
            weekly: series(|r| r.first_answers_kept_percent.map(f64::from)),
            unit: |p| format!("{p:.0}%"),
        },
        Figure {
            name: "Promises kept",
            value: overall.promises_kept_percent.map_or_else(none, |p| format!("{p}%")),
            basis: format!(
                "{} of {} next-update promises settled",
                overall.promises.kept,
                overall.promises.kept + overall.promises.missed
            ),
            weekly: series(|r| r.promises_kept_percent.map(f64::from)),
            unit: |p| format!("{p:.0}%"),
        },
        Figure {
            name: "Median time to the customer's confirmation",
            value: overall.median_confirmation_ms.map_or_else(none, duration),
            basis: format!("from the report to the customer's \"yes\", over {} solved tickets", overall.solved),
            weekly: series(|r| r.median_confirmation_ms.map(hours)),
            unit: |h| duration((h * 3_600_000.0) as i64),
        },
        Figure {
            name: "Reopen rate",
            value: overall.reopen_rate_percent.map_or_else(none, |p| format!("{p}%")),
            basis: format!(
                "{} of {} proposed resolutions were not yet right",
                overall.reopened, overall.resolutions_proposed
            ),
            weekly: series(|r| r.reopen_rate_percent.map(f64::from)),
            unit: |p| format!("{p:.0}%"),
        },
        Figure {
            name: "Make-goods against reported harm",
            value: overall.make_good_total.map_or_else(none, |given| given.to_string()),
            basis: format!(
                "given, against {} of harm customers reported",
                overall.harm_total.map_or_else(none, |m| m.to_string())
            ),
            weekly: series(|r| make_good_share(r.make_good_total, r.harm_total)),
            unit: |p| format!("{p:.0}% of the harm"),
        },
        Figure {
            name: "How customers feel afterwards",
            value: overall.average_rating_tenths.map_or_else(none, |t| format!("{}.{} of 5", t / 10, t % 10)),
            basis: format!("from {} ratings", overall.ratings.iter().sum::<u32>()),
            weekly: series(|r| r.average_rating_tenths.map(|t| f64::from(t) / 10.0)),
            unit: |r| format!("{r:.1} of 5"),
        },
        Figure {
            name: "Fixes that held",
            value: overall.follow_ups_held_percent.map_or_else(none, |p| format!("{p}%")),
            basis: {
                let f = overall.follow_ups;
                format!(
                    "{} of {} answered follow-ups: the fix held ({}). {} asked, {} not answered.",
                    f.held,
                    f.held + f.came_back,
                    overall.follow_ups_held_percent.map_or_else(none, |p| format!("{p}%")),
                    f.asked,
                    f.unanswered
                )
            },
            weekly: series(|r| r.follow_ups_held_percent.map(f64::from)),
            unit: |p| format!("{p:.0}%"),
        },
        Figure {
            name: "Problems we found first",
            value: overall.found_first.to_string(),
            basis: format!(
                "of {} tickets, reported to the customer by the company before they told us",
                overall.tickets
            ),
            weekly: weeks.iter().map(|r| (r.tickets > 0).then_some(f64::from(r.found_first))).collect(),
            unit: |n| format!("{n:.0}"),
        },
        Figure {
            name: "Tickets escalated",
            value: overall.escalated.to_string(),
            basis: format!("of {} tickets, brought to a manager", overall.tickets),
            weekly: weeks.iter().map(|r| (r.tickets > 0).then_some(f64::from(r.escalated))).collect(),
            unit: |n| format!("{n:.0}"),
        },
    ];
    let mondays: Vec<&str> = view.weeks.iter().map(|week| week.week.as_str()).collect();
    ScorecardPage {
        company,
        style: STYLE,
        tickets: overall.tickets,
        from: long_day(&view.from),
        to: long_day(&view.to),
        published,
        cards: figures.iter().map(|figure| Card::of(figure, &mondays)).collect(),
        changes,
        chart_width: WIDTH,
        chart_height: HEIGHT,
    }
    .render()
}

/// The page as `templates/scorecard.html` draws it.
#[derive(Template)]
#[template(path = "scorecard.html")]
struct ScorecardPage<'a> {
    company: &'a str,
    style: &'static str,
    tickets: u32,
    from: String,
    to: String,
    published: bool,
    cards: Vec<Card>,
    changes: &'a [PublishedChange],
    chart_width: f64,
    chart_height: f64,
}

/// One figure as drawn: its words, a bar per week, and the weeks read out
/// for the chart's text alternative.
struct Card {
    name: &'static str,
    value: String,
    basis: String,
    bars: Vec<Bar>,
    spoken: String,
}

/// One week's bar: a value's (`bar`), or a small mark on the baseline
/// where the week has none (`none`), so "none" never reads as zero.
struct Bar {
    class: &'static str,
    x: f64,
    width: f64,
    height: f64,
}

const WIDTH: f64 = 240.0;
const HEIGHT: f64 = 56.0;

impl Card {
    /// `figure` laid out: a bar per week, scaled to the largest.
    fn of(figure: &Figure, mondays: &[&str]) -> Card {
        let count = figure.weekly.len().max(1) as f64;
        let slot = WIDTH / count;
        let width = (slot * 0.7).max(1.0);
        let top = figure.weekly.iter().flatten().copied().fold(0.0_f64, f64::max);
        let (bars, spoken): (Vec<Bar>, Vec<String>) = figure
            .weekly
            .iter()
            .zip(mondays)
            .enumerate()
            .map(|(i, (value, monday))| {
                let x = i as f64 * slot + (slot - width) / 2.0;
                let week = long_day(monday);
                match value {
                    Some(value) => {
                        let height = if top > 0.0 { (value / top * (HEIGHT - 4.0)).max(1.0) } else { 1.0 };
                        (Bar { class: "bar", x, width, height }, format!("week of {week}: {}", (figure.unit)(*value)))
                    }
                    None => (Bar { class: "none", x, width, height: 1.0 }, format!("week of {week}: none")),
                }
            })
            .unzip();
        Card {
            name: figure.name,
            value: figure.value.clone(),
            basis: figure.basis.clone(),
            bars,
            spoken: spoken.join("; "),
        }
    }
}

/// What was given as a share of the harm reported, in percent; `None`
/// when no harm was reported that could be valued.
fn make_good_share(given: Option<Money>, harm: Option<Money>) -> Option<f64> {
    let harm = harm.filter(|harm| harm.minor_units > 0)?;
    Some(given.map_or(0, |given| given.minor_units) as f64 * 100.0 / harm.minor_units as f64)
}

fn hours(ms: i64) -> f64 {
    ms as f64 / 3_600_000.0
}

fn none() -> String {
    "—".to_owned()
}

/// A time as people say it: "under a minute", "45 min", "3 h 20 min", "2 d 4 h".
fn duration(ms: i64) -> String {
    let minutes = ms.max(0) / 60_000;
    if minutes == 0 {
        return "under a minute".to_owned();
    }
    let (days, hours, minutes) = (minutes / (24 * 60), minutes / 60 % 24, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{minutes} min"),
        (0, _) if minutes == 0 => format!("{hours} h"),
        (0, _) => format!("{hours} h {minutes} min"),
        (_, 0) => format!("{days} d"),
        _ => format!("{days} d {hours} h"),
    }
}

/// `2026-11-02` as "2 November 2026".
fn long_day(day: &str) -> String {
    let mut parts = day.splitn(3, '-').map(|part| part.parse::<usize>().ok());
    match (parts.next().flatten(), parts.next().flatten(), parts.next().flatten()) {
        (Some(year), Some(month @ 1..=12), Some(date)) => {
            format!("{date} {} {year}", mend_core::clock::MONTHS[month - 1])
        }
        _ => day.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_as_people_say_them() {
        assert_eq!(duration(45 * 60_000), "45 min");
        assert_eq!(duration(3 * 3_600_000), "3 h");
        assert_eq!(duration(3 * 3_600_000 + 20 * 60_000), "3 h 20 min");
        assert_eq!(duration(52 * 3_600_000), "2 d 4 h");
        assert_eq!(duration(59_999), "under a minute");
        assert_eq!(duration(-5), "under a minute");
        assert_eq!(long_day("2026-11-02"), "2 November 2026");
    }

    fn empty_view() -> RecordView {
        use mend_core::clock::Timestamp;
        use mend_core::input::Field;
        use mend_core::money::Currency;
        use mend_core::record::{self, Period};
        let period = Period::parse(Some("2026-11-02"), Some("2026-11-15"), Timestamp::EPOCH).unwrap();
        let currency = Currency::parse("EUR", Field::Currency).unwrap();
        RecordView::new(period, currency, RecoveryRecord::of([], currency), record::weekly_over(&[], period, currency))
    }

    #[test]
    fn a_preview_is_marked_and_a_published_page_is_not() {
        let preview = page("Acme", &empty_view(), false, &[]).unwrap();
        assert!(preview.contains("<strong>Not published.</strong>"));
        let published = page("Acme", &empty_view(), true, &[]).unwrap();
        assert!(!published.contains("Not published"));
        assert!(published.contains("0 tickets reported from 2 November 2026 to 15 November 2026"));
        assert!(!published.to_lowercase().contains("<script"));
        // Ten figures, each with a chart of two weeks that says it has no data rather than zero.
        assert_eq!(published.matches("role=\"img\"").count(), 10);
        assert!(published.contains("week of 2 November 2026: none; week of 9 November 2026: none."));
        assert!(published.contains(&format!("<style>{STYLE}</style>")));
    }

    #[test]
    fn the_company_name_cannot_break_out_of_the_page() {
        let html = page("</title><script>alert(1)</script>", &empty_view(), true, &[]).unwrap();
        assert!(!html.contains("<script>"));
        assert!(html.contains("<h1>How &#60;/title&#62;&#60;script&#62;alert(1)&#60;/script&#62; recovers</h1>"));
    }

    #[test]
    fn published_changes_show_the_companys_words_and_month_escaped_and_nothing_else() {
        use mend_core::changes::ChangeNote;
        use mend_core::clock::Timestamp;
        use mend_core::input::{PreventionNote, TicketId};
        let change = PublishedChange {
            ticket_id: TicketId::parse("0123456789abcdef0123456789abcdef").unwrap(),
            note: ChangeNote {
                text: PreventionNote::parse("Lamps <b>are</b> tested & boxed.").unwrap(),
                month: "March 2027".into(),
            },
            published_at: Timestamp::parse("2027-04-01T09:00:00Z").unwrap(),
        };
        let html = page("Acme", &empty_view(), true, std::slice::from_ref(&change)).unwrap();
        assert!(html.contains("<h2 id=\"changes-title\">What we changed because customers told us</h2>"));
        assert!(html.contains(
            "<p class=\"basis\">March 2027</p><p dir=\"auto\">Lamps &#60;b&#62;are&#60;/b&#62; tested &#38; boxed.</p>"
        ));
        assert!(!html.contains("0123456789abcdef"), "no ticket is named");
        assert!(
            !page("Acme", &empty_view(), true, &[]).unwrap().contains("changes-title"),
            "no section without changes"
        );
    }

    #[test]
    fn company_words_are_escaped_in_text_and_attributes_alike() {
        let html = page(r#"<b>"Acme" & 'Co'</b>"#, &empty_view(), true, &[]).unwrap();
        let escaped = "&#60;b&#62;&#34;Acme&#34; &#38; &#39;Co&#39;&#60;/b&#62;";
        assert!(html.contains(&format!("<title>How {escaped} recovers — recovery record</title>")));
        assert!(html.contains(&format!("<h1>How {escaped} recovers</h1>")));
    }
}
