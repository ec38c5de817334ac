//! Every word the widget shows, in one place per language. A language is a
//! [`Text`] value, the words of the first open, and a [`TicketText`]
//! value, the words of the views split out of it; adding one is adding a
//! constant of each here and a line in [`for_locale`] and [`Text::ticket`].
//! Sentences with a value in them take it through `{}`.
//!
//! What the company writes (its apology, its updates) and what Mend's
//! worker says in an error are shown as they come: they are already in the
//! company's voice and language. The widget words itself the failures it
//! can tell apart by code — offline, Mend's own failure, a rate limit, an
//! input refused for a `problem` it knows ([`Text::refusal`]).

use mend_core::input::ProblemKind;
use mend_core::make_good::MakeGoodKind;
use mend_core::ticket::Feeling;

/// The widget's words for its first open (the report form, the bar, what
/// goes wrong while sending) in one language.
pub struct Text {
    /// The `lang` of the page.
    pub lang: &'static str,
    pub close: &'static str,
    pub loading: &'static str,
    pub report_title: &'static str,
    pub order: &'static str,
    pub what_happened: &'static str,
    pub impact: &'static str,
    pub feelings: &'static str,
    pub feelings_hint: &'static str,
    pub cost: &'static str,
    pub cost_money: &'static str,
    pub cost_hours: &'static str,
    pub cost_missed_event: &'static str,
    pub contact: &'static str,
    pub contact_hint: &'static str,
    pub optional: &'static str,
    pub send: &'static str,
    pub sending: &'static str,
    pub retry: &'static str,
    pub offline: &'static str,
    pub unexpected: &'static str,
    /// A 429: Mend's limit on reports from one connection or to one company.
    pub rate_limited: &'static str,
    /// A refused input, by what is wrong with it; the first `{}` is the
    /// field's label as the form shows it, the second a `too_long` limit.
    pub input_missing: &'static str,
    pub input_too_long: &'static str,
    pub input_control: &'static str,
    pub input_malformed: &'static str,
    pub your_reports: &'static str,
    pub new_report: &'static str,
    pub broken: &'static str,
    feeling_names: [&'static str; 6],
}

/// The keys of the fields the customer fills in, as the core names them
/// on the wire (`Field::key`): what a refusal's `field` is matched against.
pub mod keys {
    use mend_core::input::Field;

    pub const WHAT_HAPPENED: &str = Field::WhatHappened.key();
    pub const IMPACT: &str = Field::HowItAffectedYou.key();
    pub const FEELINGS: &str = Field::Feelings.key();
    pub const CURRENCY: &str = Field::Currency.key();
    pub const AMOUNT: &str = Field::Amount.key();
    pub const HOURS_LOST: &str = Field::HoursLost.key();
    pub const CONTACT_EMAIL: &str = Field::ContactEmail.key();
    pub const REASON: &str = Field::Reason.key();
    pub const MESSAGE: &str = Field::Message.key();
    pub const COMMENT: &str = Field::Comment.key();
}

impl Text {
    /// `template` with `{}` replaced by `value`.
    pub fn fill(template: &str, value: &str) -> String {
        template.replacen("{}", value, 1)
    }

    /// The words of the views split out of the first open, in this
    /// language. Only their code may ask: the build moves words out of the
    /// first open only while no code of the first open reads them.
    pub fn ticket(&self) -> &'static TicketText {
        match self.lang {
            "de" => &TICKET_DE,
            _ => &TICKET_EN,
        }
    }

    /// The label the report form shows a field under, by its key (the
    /// core's `Field::key`, a refusal's `field`).
    pub fn label(&self, key: &str) -> Option<&'static str> {
        use keys::*;
        Some(match key {
            WHAT_HAPPENED => self.what_happened,
            IMPACT => self.impact,
            AMOUNT => self.cost_money,
            HOURS_LOST => self.cost_hours,
            CONTACT_EMAIL => self.contact,
            _ => return None,
        })
    }

    /// A refused input in this language, naming the field by the `label`
    /// the customer sees it under (`problem` and `max` are the error
    /// body's); `None` where the widget has no words for the problem.
    pub fn refusal(&self, label: &str, problem: ProblemKind, max: Option<usize>) -> Option<String> {
        let sentence = match (problem, max) {
            (ProblemKind::Missing, _) => Self::fill(self.input_missing, label),
            (ProblemKind::TooLong, Some(max)) => Self::fill(&Self::fill(self.input_too_long, label), &max.to_string()),
            (ProblemKind::ControlCharacters, _) => Self::fill(self.input_control, label),
            (ProblemKind::Malformed, _) => Self::fill(self.input_malformed, label),
            _ => return None,
        };
        Some(sentence)
    }

    /// How a feeling chip reads.
    pub fn feeling(&self, feeling: Feeling) -> &'static str {
        let index = Feeling::ALL.iter().position(|f| *f == feeling).unwrap_or(0);
        self.feeling_names[index]
    }
}

/// The widget's words for the views split out of the first open (the
/// ticket, its timeline and questions, the private link, the customer's
/// list of reports) in one language; [`Text::ticket`] gives them.
pub struct TicketText {
    pub your_reference: &'static str,
    pub status_reported: &'static str,
    pub status_working: &'static str,
    pub status_question: &'static str,
    pub status_proposed: &'static str,
    pub status_solved: &'static str,
    pub status_withdrawn: &'static str,
    /// "Next update by {}".
    pub next_update_by: &'static str,
    /// "We'll answer by {}": the first-answer promise.
    pub first_answer_by: &'static str,
    /// The same, while the company is closed.
    pub closed_answer_by: &'static str,
    /// "{} today" and "tomorrow, {}": a time of day near enough to say so.
    pub today_at: &'static str,
    pub tomorrow_at: &'static str,
    pub late: &'static str,
    pub live: &'static str,
    pub polling: &'static str,
    pub reconnecting: &'static str,
    pub you: &'static str,
    pub timeline: &'static str,
    pub write_to_us: &'static str,
    pub solved_question: &'static str,
    pub prevention: &'static str,
    pub yes_solved: &'static str,
    pub not_yet: &'static str,
    pub still_wrong: &'static str,
    pub thanks_confirming: &'static str,
    pub rate_title: &'static str,
    pub rate_score: [&'static str; 5],
    pub rate_comment: &'static str,
    pub rated: &'static str,
    pub make_good_title: &'static str,
    pub accept: &'static str,
    pub decline: &'static str,
    pub withdraw: &'static str,
    pub withdraw_confirm: &'static str,
    pub withdraw_yes: &'static str,
    pub keep_open: &'static str,
    pub report_another: &'static str,
    pub no_reports: &'static str,
    pub private_link: &'static str,
    pub private_link_hint: &'static str,
    /// The switch for emails while away.
    pub emails_toggle: &'static str,
    pub copy: &'static str,
    pub copied: &'static str,
    // Timeline entries.
    /// "Next update by {}."
    pub entry_next_update: &'static str,
    pub entry_escalated: &'static str,
    pub entry_solved: &'static str,
    /// "Not solved yet: {}"
    pub entry_reopened: &'static str,
    /// "We'd like to make it up to you: {}."
    pub entry_offered: &'static str,
    pub entry_accepted: &'static str,
    pub entry_declined: &'static str,
    /// "You rated our recovery {} out of 5."
    pub entry_rated: &'static str,
    /// "We promised an update by {} and didn't keep it. We're sorry."
    pub entry_missed: &'static str,
    /// "We promised to answer by {} and didn't. We're sorry."
    pub entry_missed_first_answer: &'static str,
    pub entry_withdrawn: &'static str,
    kind_names: [&'static str; 5],
    // Owners and follow-ups.
    /// "{} is looking after your report.": a first name, or the company's.
    pub looked_after: &'static str,
    /// "{} has taken over from {}.": the new colleague's first name, then the one before.
    pub taken_over: &'static str,
    /// "You told us on {} that this was solved. …": the day they confirmed it.
    pub follow_up_asked_on: &'static str,
    /// The same, where the day is not known.
    pub follow_up_asked: &'static str,
    pub held: &'static str,
    pub came_back: &'static str,
    /// The label of what happened when it came back.
    pub came_back_what: &'static str,
    pub entry_follow_up_asked: &'static str,
    pub entry_held: &'static str,
    /// "You told us it came back: {}"
    pub entry_came_back: &'static str,
}

impl TicketText {
    /// The label the ticket's views show a field under, by its key.
    pub fn label(&self, key: &str) -> Option<&'static str> {
        use keys::*;
        Some(match key {
            REASON => self.still_wrong,
            MESSAGE => self.write_to_us,
            COMMENT => self.rate_comment,
            WHAT_HAPPENED => self.came_back_what,
            _ => return None,
        })
    }

    /// How a kind of make-good reads.
    pub fn make_good_kind(&self, kind: MakeGoodKind) -> &'static str {
        let index = match kind {
            MakeGoodKind::Credit => 0,
            MakeGoodKind::Refund => 1,
            MakeGoodKind::GiftCard => 2,
            MakeGoodKind::Discount => 3,
            MakeGoodKind::Replacement => 4,
        };
        self.kind_names[index]
    }
}

/// English.
pub const EN: Text = Text {
    lang: "en",
    close: "Close",
    loading: "Loading…",
    report_title: "Tell us what went wrong",
    order: "Order #{}",
    what_happened: "What happened?",
    impact: "How did it affect you?",
    feelings: "How do you feel about it?",
    feelings_hint: "Optional: pick any that fit.",
    cost: "What did it cost you?",
    cost_money: "Money you lost",
    cost_hours: "Hours you lost",
    cost_missed_event: "I missed an event because of it",
    contact: "Your email",
    contact_hint: "Optional: we'll write when there is news while you're away.",
    optional: "(optional)",
    send: "Send",
    sending: "Sending…",
    retry: "Try again",
    offline: "You seem to be offline. Check your connection and try again.",
    unexpected: "Something went wrong on our side. Please try again.",
    rate_limited: "Too many reports just now — please try again in a minute.",
    input_missing: "“{}” needs an answer.",
    input_too_long: "“{}” is too long: please keep it under {} characters.",
    input_control: "“{}” contains invisible control characters: please retype it.",
    input_malformed: "“{}” doesn't look right: please check it.",
    your_reports: "Your reports",
    new_report: "Report a new problem",
    broken: "Something went wrong in this window. Reload it to continue — your report is safe.",
    feeling_names: ["Frustrated", "Angry", "Disappointed", "Worried", "Stressed", "Let down"],
};

/// German.
pub const DE: Text = Text {
    lang: "de",
    close: "Schließen",
    loading: "Wird geladen…",
    report_title: "Sagen Sie uns, was schiefgelaufen ist",
    order: "Bestellung #{}",
    what_happened: "Was ist passiert?",
    impact: "Wie hat es Sie getroffen?",
    feelings: "Wie fühlen Sie sich damit?",
    feelings_hint: "Optional: Wählen Sie, was passt.",
    cost: "Was hat es Sie gekostet?",
    cost_money: "Verlorenes Geld",
    cost_hours: "Verlorene Stunden",
    cost_missed_event: "Ich habe deswegen einen Termin verpasst",
    contact: "Ihre E-Mail",
    contact_hint: "Optional: Wir schreiben Ihnen, wenn es Neuigkeiten gibt.",
    optional: "(optional)",
    send: "Senden",
    sending: "Wird gesendet…",
    retry: "Erneut versuchen",
    offline: "Sie scheinen offline zu sein. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.",
    unexpected: "Bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es erneut.",
    rate_limited: "Gerade kommen zu viele Meldungen — bitte versuchen Sie es in einer Minute erneut.",
    input_missing: "„{}“ braucht eine Antwort.",
    input_too_long: "„{}“ ist zu lang: bitte unter {} Zeichen bleiben.",
    input_control: "„{}“ enthält unsichtbare Steuerzeichen: bitte neu eingeben.",
    input_malformed: "„{}“ scheint nicht zu stimmen: bitte prüfen.",
    your_reports: "Ihre Meldungen",
    new_report: "Neues Problem melden",
    broken: "In diesem Fenster ist etwas schiefgelaufen. Laden Sie es neu — Ihre Meldung ist sicher.",
    feeling_names: ["Frustriert", "Verärgert", "Enttäuscht", "Besorgt", "Gestresst", "Im Stich gelassen"],
};

/// English, for the views split out of the first open.
pub const TICKET_EN: TicketText = TicketText {
    your_reference: "Your reference:",
    status_reported: "We have your report.",
    status_working: "We're working on it.",
    status_question: "We asked you something below.",
    status_proposed: "We think this is fixed. Is it?",
    status_solved: "Solved — you confirmed it.",
    status_withdrawn: "You withdrew this report.",
    next_update_by: "Next update by {}",
    first_answer_by: "We'll answer by {}",
    closed_answer_by: "We're closed now — we'll answer by {}",
    today_at: "{} today",
    tomorrow_at: "tomorrow, {}",
    late: "late",
    live: "Live",
    polling: "Updating every few seconds",
    reconnecting: "Reconnecting…",
    you: "You",
    timeline: "What happened so far",
    write_to_us: "Write to us",
    solved_question: "Is this solved for you?",
    prevention: "What we changed so this won't happen again:",
    yes_solved: "Yes, it's solved",
    not_yet: "Not yet",
    still_wrong: "What is still wrong?",
    thanks_confirming: "Thank you for confirming.",
    rate_title: "How do you feel about us now?",
    rate_score: ["Still unhappy", "Not great", "Okay", "Good", "Very good"],
    rate_comment: "Anything you'd like to add?",
    rated: "Thank you for telling us.",
    make_good_title: "We'd like to make it up to you",
    accept: "Accept",
    decline: "No, thanks",
    withdraw: "Withdraw this report",
    withdraw_confirm: "Withdraw this report? We'll stop working on it.",
    withdraw_yes: "Yes, withdraw",
    keep_open: "Keep it open",
    report_another: "Report another problem",
    no_reports: "You have no reports here yet.",
    private_link: "Continue on another device",
    private_link_hint: "This private link opens your report anywhere. Keep it to yourself.",
    emails_toggle: "Email me the company's news while I'm away",
    copy: "Copy link",
    copied: "Copied",
    entry_next_update: "Next update by {}.",
    entry_escalated: "A manager has joined to help.",
    entry_solved: "You confirmed this is solved.",
    entry_reopened: "Not solved yet: {}",
    entry_offered: "We'd like to make it up to you: {}.",
    entry_accepted: "You accepted our offer.",
    entry_declined: "You declined our offer.",
    entry_rated: "You rated our recovery {} out of 5.",
    entry_missed: "We promised an update by {} and didn't keep it. We're sorry.",
    entry_missed_first_answer: "We promised to answer by {} and didn't. We're sorry.",
    entry_withdrawn: "You withdrew this report.",
    kind_names: ["Store credit", "Refund", "Gift card", "Discount", "Replacement"],
    looked_after: "{} is looking after your report.",
    taken_over: "{} has taken over from {}.",
    follow_up_asked_on: "You told us on {} that this was solved. Is everything still right?",
    follow_up_asked: "You told us this was solved. Is everything still right?",
    held: "Yes, it held",
    came_back: "No, it came back",
    came_back_what: "What happened?",
    entry_follow_up_asked: "We asked whether everything is still right.",
    entry_held: "You told us it held.",
    entry_came_back: "You told us it came back: {}",
};

/// German, for the views split out of the first open.
pub const TICKET_DE: TicketText = TicketText {
    your_reference: "Ihre Referenz:",
    status_reported: "Wir haben Ihre Meldung.",
    status_working: "Wir arbeiten daran.",
    status_question: "Wir haben Ihnen unten eine Frage gestellt.",
    status_proposed: "Wir glauben, es ist behoben. Stimmt das?",
    status_solved: "Gelöst — Sie haben es bestätigt.",
    status_withdrawn: "Sie haben diese Meldung zurückgezogen.",
    next_update_by: "Nächstes Update bis {}",
    first_answer_by: "Wir antworten bis {}",
    closed_answer_by: "Wir haben gerade geschlossen — wir antworten bis {}",
    today_at: "heute, {}",
    tomorrow_at: "morgen, {}",
    late: "verspätet",
    live: "Live",
    polling: "Aktualisiert alle paar Sekunden",
    reconnecting: "Verbindung wird wiederhergestellt…",
    you: "Sie",
    timeline: "Bisheriger Verlauf",
    write_to_us: "Schreiben Sie uns",
    solved_question: "Ist das Problem für Sie gelöst?",
    prevention: "Was wir geändert haben, damit es nicht wieder passiert:",
    yes_solved: "Ja, gelöst",
    not_yet: "Noch nicht",
    still_wrong: "Was ist noch nicht in Ordnung?",
    thanks_confirming: "Danke für Ihre Bestätigung.",
    rate_title: "Wie denken Sie jetzt über uns?",
    rate_score: ["Immer noch unzufrieden", "Nicht gut", "In Ordnung", "Gut", "Sehr gut"],
    rate_comment: "Möchten Sie noch etwas sagen?",
    rated: "Danke für Ihre Rückmeldung.",
    make_good_title: "Wir möchten es wiedergutmachen",
    accept: "Annehmen",
    decline: "Nein, danke",
    withdraw: "Meldung zurückziehen",
    withdraw_confirm: "Meldung zurückziehen? Wir arbeiten dann nicht mehr daran.",
    withdraw_yes: "Ja, zurückziehen",
    keep_open: "Offen lassen",
    report_another: "Ein anderes Problem melden",
    no_reports: "Sie haben hier noch keine Meldungen.",
    private_link: "Auf einem anderen Gerät weitermachen",
    private_link_hint: "Dieser private Link öffnet Ihre Meldung überall. Geben Sie ihn nicht weiter.",
    emails_toggle: "Neuigkeiten per E-Mail, solange ich nicht hier bin",
    copy: "Link kopieren",
    copied: "Kopiert",
    entry_next_update: "Nächstes Update bis {}.",
    entry_escalated: "Eine Führungskraft hilft jetzt mit.",
    entry_solved: "Sie haben bestätigt, dass es gelöst ist.",
    entry_reopened: "Noch nicht gelöst: {}",
    entry_offered: "Wir möchten es wiedergutmachen: {}.",
    entry_accepted: "Sie haben unser Angebot angenommen.",
    entry_declined: "Sie haben unser Angebot abgelehnt.",
    entry_rated: "Sie haben unsere Wiedergutmachung mit {} von 5 bewertet.",
    entry_missed: "Wir hatten ein Update bis {} versprochen und es nicht eingehalten. Das tut uns leid.",
    entry_missed_first_answer: "Wir hatten versprochen, bis {} zu antworten, und haben es nicht getan. Das tut uns leid.",
    entry_withdrawn: "Sie haben diese Meldung zurückgezogen.",
    kind_names: ["Guthaben", "Rückerstattung", "Gutschein", "Rabatt", "Ersatz"],
    looked_after: "{} kümmert sich um Ihre Meldung.",
    taken_over: "{} hat Ihre Meldung von {} übernommen.",
    follow_up_asked_on: "Sie haben uns am {} gesagt, dass dies gelöst war. Ist alles noch in Ordnung?",
    follow_up_asked: "Sie haben uns gesagt, dass dies gelöst war. Ist alles noch in Ordnung?",
    held: "Ja, es hält",
    came_back: "Nein, das Problem ist zurück",
    came_back_what: "Was ist passiert?",
    entry_follow_up_asked: "Wir haben gefragt, ob alles noch in Ordnung ist.",
    entry_held: "Sie haben gesagt: Es hält.",
    entry_came_back: "Sie haben gesagt, das Problem ist zurück: {}",
};

/// The words for `locale` (`de`, `de-AT`, …); English for any other.
pub fn for_locale(locale: &str) -> &'static Text {
    match locale.split('-').next().unwrap_or_default() {
        "de" => &DE,
        _ => &EN,
    }
}

#[cfg(test)]
mod tests {
    use mend_core::input::{Field, InputError, Problem};
    use mend_core::wire::ErrorDetail;

    use super::*;

    /// What the worker would answer for `problem` about `field`, as the widget reads it.
    fn refused(field: Field, problem: Problem) -> ErrorDetail {
        ErrorDetail::refusing("validation", &InputError::new(field, problem))
    }

    #[test]
    fn a_refused_input_is_said_in_the_customers_language_under_the_label_they_see() {
        let say = |text: &Text, detail: ErrorDetail| {
            let key = detail.field.as_deref()?;
            let label = text.label(key).or_else(|| text.ticket().label(key))?;
            text.refusal(label, detail.problem?, detail.max)
        };
        let (en, de) = (for_locale("en"), for_locale("de-AT"));
        assert_eq!(
            say(en, refused(Field::WhatHappened, Problem::Missing)),
            Some(Text::fill(en.input_missing, en.what_happened))
        );
        assert_eq!(
            say(de, refused(Field::Message, Problem::TooLong { max: 4000 })),
            Some(Text::fill(&Text::fill(de.input_too_long, de.ticket().write_to_us), "4000"))
        );
        assert!(say(en, refused(Field::Amount, Problem::Malformed { expected: "a number" })).is_some());
        assert_eq!(say(en, refused(Field::Workspace, Problem::Missing)), None, "not a field the customer fills in");
        assert_eq!(en.refusal(en.contact, ProblemKind::Unknown, None), None, "no words for it");
    }
}
