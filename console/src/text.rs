//! Every word the console shows, in one place (English: reps work in the
//! company's working language). Sentences with values take them through
//! `{}`, filled in order by [`fill`]. What customers wrote, what the reviewer
//! advises (`voice::Category::advice`), the make-good basis and verdicts
//! (`make_good`), and Mend's error messages are shown as they come.

use mend_core::make_good::{MakeGoodKind, Verdict};
use mend_core::ticket::{EscalationReason, Feeling, Wording};
use mend_core::voice::Category;

/// `template` with its first `{}` replaced by `value`.
pub fn fill(template: &str, value: &str) -> String {
    template.replacen("{}", value, 1)
}

// The frame of the console.
pub const BRAND: &str = "Mend console";
pub const LOADING: &str = "Loading…";
pub const BROKEN: &str = "Something went wrong in the console. Nothing is lost: every ticket is kept by Mend.";
pub const RELOAD: &str = "Reload";
pub const OFFLINE: &str = "Mend could not be reached. Check your connection and try again.";
pub const UNEXPECTED: &str = "Something went wrong on Mend's side. Try again in a moment.";
pub const NAV_LABEL: &str = "Console";
pub const NAV_QUEUE: &str = "Queue";
pub const NAV_RECORD: &str = "Recovery record";
pub const NAV_SETTINGS: &str = "Settings";
pub const SIGN_OUT: &str = "Sign out";
pub const ROLE_REP: &str = "Rep";
pub const ROLE_MANAGER: &str = "Manager";
pub const MANAGERS_ONLY: &str = "Only a manager can change the workspace's settings.";
pub const OPTIONAL: &str = "(optional)";
pub const REMOVE: &str = "Remove";

// Signing in.
pub const SIGN_IN_TITLE: &str = "Sign in to the Mend console";
pub const SIGN_IN_HINT: &str =
    "Use the rep or manager key your workspace gave you. It is exchanged for a session; the console does not keep it.";
pub const KEY_LABEL: &str = "Your rep or manager key";
pub const KEY_MISSING: &str = "Enter your key: it starts with mend_rk_.";
pub const KEY_REFUSED: &str =
    "Mend does not know this key, or it was revoked. Check it, or ask your manager for a new one.";
pub const SIGN_IN: &str = "Sign in";
pub const SIGNING_IN: &str = "Signing in…";

// The queue.
pub const QUEUE_TITLE: &str = "Queue: most at risk first";
pub const FILTER_LABEL: &str = "Show";
pub const FILTER_ALL: &str = "All open";
pub const FILTER_MINE: &str = "Mine";
pub const FILTER_UNOWNED: &str = "Unowned";
pub const OWNER_FILTER_LABEL: &str = "Looked after by";
pub const OWNER_ANYONE: &str = "Anyone";
/// "looked after by {label}", in a queue entry.
pub const LOOKED_AFTER_BY: &str = "looked after by {}";
pub const UNOWNED_BADGE: &str = "no owner yet";
pub const FILTER_ESCALATED: &str = "Escalated";
pub const FILTER_WAITING: &str = "Waiting on the customer";
pub const FILTER_PROPOSED: &str = "Resolution proposed";
/// The queue's live feed: its socket is open, changes appear as they happen.
pub const LIVE: &str = "Live";
/// The socket is being tried again; meanwhile the queue is refreshed every 10 seconds.
pub const RECONNECTING: &str = "Reconnecting…";
/// "New in the queue: {headline}".
pub const QUEUE_NEW: &str = "New in the queue: {}";
pub const QUEUE_EMPTY: &str = "Nothing here: no open ticket matches.";
pub const PROACTIVE_NEW: &str = "New proactive report";

// A proactive report.
pub const PROACTIVE_TITLE: &str = "New proactive report: we found it before you did";
pub const PROACTIVE_HINT: &str = "Tell the customer what went wrong before they find out: in the company's words, with a sincere apology, and what happens next. Mend emails them at once with a private link; a customer your site signs in also finds it in the widget, on its order. Only they can say it is solved.";
pub const PROACTIVE_CUSTOMER: &str = "The customer";
pub const PROACTIVE_CUSTOMER_HINT: &str = "Their email address, their id in your identity tokens (sub), or both.";
pub const PROACTIVE_EMAIL: &str = "Email address";
pub const PROACTIVE_SUBJECT: &str = "Identity (sub)";
pub const PROACTIVE_LOCALE: &str = "Their language, for emails";
pub const PROACTIVE_LOCALE_WORKSPACE: &str = "The workspace's language";
pub const PROACTIVE_ORDER: &str = "Order";
pub const PROACTIVE_WHAT: &str = "What went wrong, in the company's words";
pub const PROACTIVE_APOLOGY: &str = "Your apology";
pub const PROACTIVE_UPDATE: &str = "A first update, with when the next one comes";
pub const PROACTIVE_SEND: &str = "Tell the customer";
pub const FIND_LABEL: &str = "Find a ticket by its reference";
pub const FIND_HINT: &str = "As the customer reads it, e.g. ACM-7KQ-3TF; dashes and case don't matter.";
pub const FIND_BUTTON: &str = "Find";
/// "No ticket has the reference {typed}."
pub const FIND_NONE: &str = "No ticket of this workspace has the reference {}.";
pub const RISK_AT_RISK: &str = "Promise at risk";
pub const RISK_UNANSWERED: &str = "Not answered yet";
pub const RISK_PROMISED: &str = "Promised";
pub const RISK_WITH_CUSTOMER: &str = "With the customer";
pub const RISK_CLOSED: &str = "Closed";
/// "waiting 25 min".
pub const WAITING_FOR: &str = "waiting {}";
/// A new report's countdown: "first answer due in 1h 5m".
pub const FIRST_ANSWER_TIMING: &str = "first answer {}";
pub const ESCALATED_BADGE: &str = "escalated";
pub const MINE_BADGE: &str = "yours";
pub const PROMISE_DUE_IN: &str = "due in {}";
pub const PROMISE_OVERDUE: &str = "overdue by {}";
pub const PROMISE_MISSED: &str = "missed, {} ago";

// Statuses.
pub const STATUS_REPORTED: &str = "New report, not answered yet";
pub const STATUS_ACKNOWLEDGED: &str = "Acknowledged";
pub const STATUS_IN_PROGRESS: &str = "In progress";
pub const STATUS_WAITING: &str = "Waiting on the customer's answer";
pub const STATUS_PROPOSED: &str = "Waiting for the customer to confirm";
pub const STATUS_SOLVED: &str = "Solved: the customer confirmed it";
pub const STATUS_WITHDRAWN: &str = "Withdrawn by the customer";

// A ticket.
pub const BACK_TO_QUEUE: &str = "← Back to the queue";
/// "Ticket {reference}" (its id until the reference is known).
pub const TICKET_TITLE: &str = "Ticket {}";
/// "Next update promised by {time}".
pub const CURRENT_PROMISE: &str = "Next update promised by {}";
/// "First answer promised by {time}", from the workspace's opening hours.
pub const FIRST_ANSWER_PROMISE: &str = "First answer promised by {}";
/// "Promise paused while the customer answers: {span} left once they reply."
pub const PROMISE_PAUSED: &str = "Promise paused while the customer answers your question: {} left once they reply.";
pub const CUSTOMER_WATCHING: &str = "The customer has this ticket open now: they see your news as you send it.";
pub const EMAILS_ON: &str = "Mend emails the customer your news while they are away.";
pub const EMAILS_OFF: &str = "The customer turned emails off: they see your news only when they open the widget.";
pub const EMAILS_NONE: &str = "The customer gave no email address: they see your news only when they open the widget.";
pub const NO_PROMISE: &str = "No promise in force: the customer does not know when they will hear from you.";
pub const CUSTOMER_WORDS: &str = "In the customer's words";
pub const FOUND_FIRST_WORDS: &str = "Found by the company before the customer told us, in its words";
pub const WHAT_HAPPENED: &str = "What happened";
pub const HOW_IT_AFFECTED: &str = "How it affected them";
pub const HOW_THEY_FEEL: &str = "How they feel";
pub const WHAT_IT_COST: &str = "What it cost them";
pub const ORDER: &str = "Order";
pub const CONTACT: &str = "Email for updates";
pub const COST_MONEY: &str = "{} lost";
pub const COST_HOURS: &str = "{} hours lost";
pub const COST_MISSED_EVENT: &str = "missed an event";
pub const TIMELINE: &str = "Timeline";
pub const BY_CUSTOMER: &str = "Customer";
pub const BY_REP: &str = "Rep";
pub const BY_MANAGER: &str = "Manager";
pub const BY_MEND: &str = "Mend";
/// "Flagged by the one-voice reviewer when sent: “our warehouse sent”".
/// "Flagged by the one-voice reviewer when sent, in {the field}:", before the field's text with its findings marked.
pub const FLAGGED: &str = "Flagged by the one-voice reviewer when sent, in {}:";

/// Which text of an event a review is about, as `FLAGGED` names it.
pub fn reviewed_field(field: Wording) -> &'static str {
    match field {
        Wording::WhatHappened => "the company's account",
        Wording::Apology => "the apology",
        Wording::Text => "the text",
        Wording::Question => "the question",
        Wording::Summary => "the summary",
        Wording::Prevention => "the prevention note",
        Wording::Note => "the make-good's note",
    }
}
pub const ENTRY_REPORTED: &str = "Reported: {}";
pub const ENTRY_PROMISE: &str = "Promised the next update by {}.";
pub const ENTRY_QUESTION: &str = "Asked: {}";
pub const ENTRY_ESCALATED: &str = "Escalated to a manager: {}.";
pub const ENTRY_PROPOSED: &str = "Proposed a resolution: {}";
pub const ENTRY_PREVENTION: &str = "So it won't happen again: {}";
pub const ENTRY_SOLVED: &str = "The customer confirmed it is solved.";
pub const ENTRY_REOPENED: &str = "The customer said it is not solved yet: {}";
pub const ENTRY_OFFERED: &str = "Offered a make-good: {}.";
pub const ENTRY_ACCEPTED: &str = "The customer accepted the make-good.";
pub const ENTRY_DECLINED: &str = "The customer declined the make-good.";
pub const ENTRY_RATED: &str = "The customer rated the recovery {} out of 5.";
pub const ENTRY_MISSED: &str = "The promise of an update by {} was missed.";
pub const ENTRY_MISSED_FIRST_ANSWER: &str = "The promise of a first answer by {} was missed.";
pub const ENTRY_WITHDRAWN: &str = "The customer withdrew the report.";
/// "{who} took the ticket."
pub const ENTRY_TAKEN: &str = "{} took the ticket.";
/// "Handed over to {to}:", before the note for them.
pub const ENTRY_HANDED_OVER: &str = "Handed over to {}:";
pub const SOMEONE: &str = "A colleague";

// Ownership.
pub const OWNER_TITLE: &str = "Who looks after this ticket";
/// "{label} looks after this ticket."
pub const OWNER_IS: &str = "{} looks after this ticket.";
pub const OWNER_YOU: &str = "You look after this ticket.";
pub const OWNER_NONE: &str = "No one looks after this ticket yet. Your first answer makes it yours.";
/// "Handed over {n} times."
pub const HANDOVERS: &str = "Handed over {} times.";
pub const TAKE: &str = "Take this ticket";
pub const HAND_OVER_TITLE: &str = "Hand over to a colleague";
pub const HAND_OVER_TO: &str = "Colleague";
pub const HAND_OVER_PICK: &str = "Choose a colleague";
pub const HAND_OVER_NOTE: &str = "A note for them";
pub const HAND_OVER_HINT: &str = "Only your colleague sees the note; the customer is told who looks after them now.";
pub const HAND_OVER_SEND: &str = "Hand over";

// The follow-up after solved.
pub const SETTINGS_FOLLOW_UP: &str = "Did the fix hold?";
pub const SETTINGS_FOLLOW_UP_DAYS: &str = "Days after the customer confirms it solved";
pub const SETTINGS_FOLLOW_UP_HINT: &str =
    "Mend then asks them whether everything is still right, by email and in the widget. 1 to 30 days.";
pub const ENTRY_FOLLOW_UP_ASKED: &str = "Mend asked the customer whether the fix held.";
pub const ENTRY_HELD: &str = "The customer said the fix held.";
/// "The customer said it came back: {what happened}"
pub const ENTRY_CAME_BACK: &str = "The customer said it came back:";
pub const FOLLOW_UP_ASKED: &str = "Mend asked whether the fix held; no answer yet.";
pub const FOLLOW_UP_HELD: &str = "The customer said the fix held.";
pub const FOLLOW_UP_CAME_BACK: &str = "The customer said the problem came back.";
pub const OPEN_NEW_TICKET: &str = "Open the new ticket";
pub const CAME_BACK_FROM: &str = "This problem came back after it was solved.";
pub const OPEN_OLD_TICKET: &str = "Open the solved ticket";
pub const RISK_CAME_BACK: &str = "Came back";

// Problems that come back.
pub const EARLIER_LEAD: &str = "This customer or order reported";
/// "{span} ago — {status}."
pub const EARLIER_REPORTED: &str = "{} ago — {}.";
pub const EARLIER_CHANGED: &str = "We changed:";
pub const OPEN_EARLIER: &str = "Open it";
pub const REPEAT_BADGE: &str = "reported before";

// What we changed, on the scorecard.
pub const PUBLISH_TITLE: &str = "What we changed, on your scorecard";
pub const PUBLISH_PREVIEW: &str = "Not published. Your scorecard would show exactly this under \"What we changed because customers told us\": the month and your words, nothing of the customer's.";
pub const PUBLISHED: &str = "Published on your scorecard under \"What we changed because customers told us\".";
pub const PUBLISH: &str = "Publish on the scorecard";
pub const WITHDRAW_CHANGE: &str = "Withdraw from the scorecard";
pub const AWAITING_CONFIRMATION: &str = "Waiting for the customer to confirm";
pub const AWAITING_HINT: &str = "Only the customer can say it is solved. They were asked; if they say it is not, the ticket comes back to the queue.";
pub const PROPOSED_SUMMARY: &str = "Proposed:";
pub const PROPOSED_PREVENTION: &str = "So it won't happen again:";
pub const SOLVED_BY_CUSTOMER: &str = "The customer confirmed this is solved.";
pub const WITHDRAWN_BY_CUSTOMER: &str = "The customer withdrew this report.";

// The update composer.
/// The composer's name, and its actions as its tabs read.
pub const COMPOSER_LABEL: &str = "What to do next";
pub const ACT_UPDATE: &str = "Update";
pub const ACT_ASK: &str = "Ask";
pub const ACT_PROPOSE: &str = "Propose a resolution";
pub const ACT_MAKE_GOOD: &str = "Make-good";
pub const ACT_ESCALATE: &str = "Escalate";
pub const ACT_HAND_OVER: &str = "Hand over";
pub const UPDATE_TITLE: &str = "Update the customer";
pub const UPDATE_LABEL: &str = "Where things stand, in the company's voice";
pub const PROMISE_LEGEND: &str = "Next update by (required)";
pub const PROMISE_HINT: &str =
    "Every update promises the next one. The customer sees this time; missing it is recorded.";
pub const PICK_ONE_HOUR: &str = "In 1 hour";
pub const PICK_FOUR_HOURS: &str = "In 4 hours";
pub const PICK_TOMORROW: &str = "Tomorrow 10:00";
pub const PICK_CUSTOM: &str = "Or a time of your choosing (your time zone)";
/// "Promising an update by {time}, in {span}."
pub const PROMISE_CHOSEN: &str = "Promising an update by {}, in {}.";
pub const SEND_UPDATE: &str = "Send update";
pub const REVIEW_ONE: &str = "One phrase may break the one voice. You can still send.";
pub const REVIEW_MANY: &str = "{} phrases may break the one voice. You can still send.";

// Asking.
pub const ASK_TITLE: &str = "Ask the customer";
pub const ASK_LABEL: &str = "Your question";
pub const ASK_HINT: &str = "Asking pauses the promise until the customer answers.";
pub const ASK_SEND: &str = "Ask";

// Escalating.
pub const ESCALATE_TITLE: &str = "Escalate to a manager";
pub const ESCALATE_LEGEND: &str = "Why a manager is needed";
pub const ESCALATE_SEND: &str = "Escalate";
/// "A manager was brought in: {reason}."
pub const ESCALATED_ALREADY: &str = "A manager was brought in: {}.";

// Proposing a resolution.
pub const PROPOSE_TITLE: &str = "Propose a resolution";
pub const PROPOSE_HINT: &str =
    "There is no close button: the customer is asked whether it is solved, and only they can say yes.";
pub const PROPOSE_SUMMARY: &str = "What we did (required)";
pub const PROPOSE_PREVENTION: &str = "What we changed so it won't happen again (required)";
pub const PREVENTION_HINT: &str = "The customer sees this note with the proposal.";
pub const PROPOSE_SEND: &str = "Propose resolution";

// Make-goods.
pub const MAKE_GOOD_TITLE: &str = "Make it up to them";
/// "Suggested: {low} to {high}. {basis}".
pub const SUGGESTED: &str = "Suggested: {} to {}. {}";
pub const NO_SUGGESTION: &str =
    "No suggestion: the customer reported no cost Mend can count and the order value is unknown. Judge by hand.";
pub const MAKE_GOOD_KIND: &str = "Kind";
/// "Value ({currency})".
pub const MAKE_GOOD_VALUE: &str = "Value ({})";
pub const MAKE_GOOD_NOTE: &str = "A word to the customer";
pub const MAKE_GOOD_SEND: &str = "Offer make-good";
pub const OUT_OF_PROPORTION: &str = "Out of proportion:";
pub const NEEDS_MANAGER_NOTE: &str =
    "This is above your limit: a manager must make this offer. Escalate, or ask a manager to send it.";
pub const NEEDS_MANAGER_REFUSED: &str = "A manager must make this offer.";
pub const AMOUNT_INVALID: &str = "Enter an amount such as 25 or 25.50.";
/// "Waiting for the customer's answer to the offer: {value kind}".
pub const OFFER_PENDING: &str = "Waiting for the customer's answer to the offer of {}. One offer at a time.";

// Settings.
pub const SETTINGS_TITLE: &str = "Workspace settings";
pub const SETTINGS_BRAND: &str = "How the company looks and speaks";
pub const SETTINGS_NAME: &str = "Brand name";
pub const SETTINGS_APOLOGY: &str = "Apology";
pub const SETTINGS_APOLOGY_HINT: &str =
    "The first thing a customer reads after reporting. Mend checks that it is sincere.";
pub const SETTINGS_COLOUR: &str = "Colour (#rrggbb)";
pub const SETTINGS_LOCALE: &str = "Widget language (en, de, …)";
pub const SETTINGS_REP_NAMES: &str = "Sign company updates with the rep's first name";
pub const SETTINGS_ORIGINS: &str = "Where the widget may be embedded";
pub const SETTINGS_ORIGINS_LABEL: &str = "Allowed origins, one per line";
pub const SETTINGS_ORIGINS_HINT: &str = "Such as https://shop.example.com: scheme, host and port, no path.";
/// "Make-good policy ({currency})".
pub const SETTINGS_POLICY: &str = "Make-good policy ({})";
pub const SETTINGS_POLICY_HINT: &str =
    "Suggested make-goods are a share of the harm the customer reported or of the order value, whichever is larger.";
pub const POLICY_HARM_LOW: &str = "Share of the harm, from (%)";
pub const POLICY_HARM_HIGH: &str = "to (%)";
pub const POLICY_ORDER_LOW: &str = "Share of the order value, from (%)";
pub const POLICY_ORDER_HIGH: &str = "to (%)";
pub const POLICY_HOUR: &str = "An hour lost is worth ({}; empty leaves hours out)";
pub const POLICY_EVENT: &str = "A missed event is worth ({}; empty leaves it out)";
pub const POLICY_CAP: &str = "A rep may offer up to ({}); above it a manager decides";
pub const PERCENT_INVALID: &str = "Each share is a percentage such as 10 or 12.5.";
pub const CAP_MISSING: &str = "The rep's limit is required.";
pub const SETTINGS_TERMS: &str = "Extra one-voice terms";
pub const SETTINGS_TERMS_HINT: &str =
    "Words the reviewer flags wherever a rep writes them, such as your carrier's name, besides its built-in rules.";
pub const TERM_LABEL: &str = "Term";
pub const TERM_CATEGORY: &str = "Why it breaks the one voice";
pub const TERM_ADD: &str = "Add term";
/// "Remove {term}".
pub const TERM_REMOVE: &str = "Remove {}";
pub const SETTINGS_HOURS: &str = "Opening hours and the first answer";
pub const SETTINGS_HOURS_HINT: &str = "A customer who reports is told at once when the first answer will come: this many minutes \
     of opening time after the report, in your time zone, skipping closed days. Opening times such as 09:00–17:00, or \
     09:00–12:00, 13:00–17:00; leave a day empty when closed.";
pub const HOURS_TIME_ZONE: &str = "Time zone (such as Europe/Berlin)";
pub const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
pub const HOURS_CLOSED: &str = "Closed dates (YYYY-MM-DD), one per line";
pub const HOURS_TARGET: &str = "First answer within (minutes of opening time)";
pub const HOURS_SHAPE_INVALID: &str = "Write each day's opening times like 09:00–17:00, separated by commas.";
pub const HOURS_TARGET_INVALID: &str = "The first-answer target must be a whole number of minutes, such as 120.";
pub const SETTINGS_RECORD: &str = "Recovery record";
pub const SETTINGS_RECORD_PUBLIC: &str = "Publish the recovery record as a public scorecard";
pub const SETTINGS_SAVE: &str = "Save settings";
pub const SETTINGS_SAVED: &str = "Saved.";
pub const KEYS_TITLE: &str = "Rep and manager keys";
pub const KEY_LABEL_COLUMN: &str = "Whose";
pub const KEY_ROLE: &str = "Role";
pub const KEY_STATE: &str = "State";
pub const KEY_REVOKE: &str = "Revoke";
/// "Revoke {label}'s key".
pub const KEY_REVOKE_LABEL: &str = "Revoke the key of {}";
pub const KEY_REVOKED: &str = "Revoked";
pub const KEY_NEW_LABEL: &str = "Whose key (name and team)";
pub const KEY_CREATE: &str = "Create key";
pub const KEY_SHOWN_ONCE: &str = "The new key, shown only now: copy it and hand it over safely.";
pub const IDENTITY_TITLE: &str = "Identity secrets";
pub const IDENTITY_HINT: &str = "Your backend signs logged-in customers' identity tokens with these. To rotate, create a new secret, move your backend to it, then delete the old one.";
pub const IDENTITY_CREATE: &str = "Create a new secret";
pub const IDENTITY_DELETE: &str = "Delete";
/// "Delete identity secret {kid}".
pub const IDENTITY_DELETE_LABEL: &str = "Delete identity secret {}";
pub const IDENTITY_SHOWN_ONCE: &str = "The new secret, shown only now: put it in your backend's configuration.";

// Webhooks.
pub const WEBHOOKS_TITLE: &str = "Webhooks";
pub const WEBHOOKS_HINT: &str = "Mend sends every ticket event to your systems as it happens, signed under the Standard Webhooks specification, and retries for about 28 hours until your endpoint answers 2xx.";
pub const WEBHOOK_NEW: &str = "New endpoint";
pub const WEBHOOK_URL: &str = "Endpoint URL (https://)";
pub const WEBHOOK_DESCRIPTION: &str = "What it is for (optional)";
pub const WEBHOOK_TYPES: &str = "Event types (none ticked: all of them)";
pub const WEBHOOK_CREATE: &str = "Add endpoint";
pub const WEBHOOK_SECRET_SHOWN_ONCE: &str =
    "The endpoint's signing secret, shown only now: put it in the receiver's configuration.";
pub const WEBHOOK_ALL_TYPES: &str = "All event types";
pub const WEBHOOK_ENABLED: &str = "Enabled";
pub const WEBHOOK_DISABLED: &str = "Disabled: it is sent nothing.";
pub const WEBHOOK_ENABLE: &str = "Enable";
pub const WEBHOOK_DISABLE: &str = "Disable";
/// "Every attempt has failed since {time}".
pub const WEBHOOK_FAILING_SINCE: &str =
    "Every attempt has failed since {}. Mend disables it after five days of failures.";
/// "The old secret also signs until {time}".
pub const WEBHOOK_OVERLAP: &str = "The old secret also signs until {}.";
pub const WEBHOOK_SEND_TEST: &str = "Send test event";
pub const WEBHOOK_ROTATE: &str = "New secret";
pub const WEBHOOK_DELIVERIES: &str = "Deliveries";
pub const WEBHOOK_DELETE: &str = "Delete";
pub const WEBHOOK_REFRESH: &str = "Refresh";
pub const WEBHOOK_EVENT: &str = "Event";
pub const WEBHOOK_TICKET: &str = "Ticket";
pub const WEBHOOK_STATUS: &str = "Status";
pub const WEBHOOK_ATTEMPTS: &str = "Attempts";
pub const WEBHOOK_NO_ANSWER: &str = "no answer";
pub const WEBHOOK_ANSWER: &str = "Answer";
pub const WEBHOOK_REPLAY: &str = "Replay";
pub const WEBHOOK_REPLAY_SINCE: &str = "Failed since";
pub const WEBHOOK_REPLAY_FAILED: &str = "Replay failed deliveries";
/// "{n} deliveries go out again."
pub const WEBHOOK_REPLAYED: &str = "{} deliveries go out again.";
pub const DELIVERY_PENDING: &str = "Pending";
pub const DELIVERY_DELIVERED: &str = "Delivered";
pub const DELIVERY_FAILED: &str = "Failed";

// The recovery record.
pub const RECORD_TITLE: &str = "Recovery record";
pub const RECORD_HINT: &str =
    "How well the company recovers, over the period you choose: the same scorecard buyers see when it is published.";
pub const PERIOD_FROM: &str = "From";
pub const PERIOD_TO: &str = "To";
pub const PERIOD_SHOW: &str = "Show this period";
/// "Recovery record of {company}, {from} to {to}".
pub const RECORD_FRAME_TITLE: &str = "Recovery record of {}, {} to {}";
pub const RECORD_PUBLIC_LINK: &str = "Open the public scorecard (new tab)";
pub const RECORD_PUBLIC_HINT: &str = "Visible to others only when published in the settings.";

/// How a feeling the customer picked reads.
pub fn feeling(feeling: Feeling) -> &'static str {
    match feeling {
        Feeling::Frustrated => "frustrated",
        Feeling::Angry => "angry",
        Feeling::Disappointed => "disappointed",
        Feeling::Worried => "worried",
        Feeling::Stressed => "stressed",
        Feeling::LetDown => "let down",
    }
}

/// How a kind of make-good reads.
pub fn make_good_kind(kind: MakeGoodKind) -> &'static str {
    match kind {
        MakeGoodKind::Credit => "credit",
        MakeGoodKind::Refund => "refund",
        MakeGoodKind::GiftCard => "gift card",
        MakeGoodKind::Discount => "discount",
        MakeGoodKind::Replacement => "replacement",
    }
}

/// How an escalation reason reads.
pub fn escalation(reason: EscalationReason) -> &'static str {
    match reason {
        EscalationReason::ManagerAddsValue => "a manager's authority or judgement will help the customer",
        EscalationReason::OtherDepartmentMustAct => "another part of the company must act",
    }
}

/// The name of a one-voice rule.
pub fn category(category: Category) -> &'static str {
    match category {
        Category::BlamesOthers => "Blames others",
        Category::BlamesCustomer => "Blames the customer",
        Category::Minimises => "Minimises",
        Category::ConditionalApology => "Apologises on a condition",
        Category::HidesBehindPolicy => "Hides behind policy",
    }
}

/// A one-voice rule's wire name, for `data-` attributes and form values.
pub fn category_key(category: Category) -> &'static str {
    match category {
        Category::BlamesOthers => "blames_others",
        Category::BlamesCustomer => "blames_customer",
        Category::Minimises => "minimises",
        Category::ConditionalApology => "conditional_apology",
        Category::HidesBehindPolicy => "hides_behind_policy",
    }
}

/// A make-good verdict's wire name, for `data-verdict`.
pub fn verdict_key(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::WithinRange => "within_range",
        Verdict::TooLow => "too_low",
        Verdict::TooHigh => "too_high",
        Verdict::NoBasis => "no_basis",
        Verdict::OtherCurrency => "other_currency",
    }
}

#[cfg(test)]
mod tests {
    use mend_core::voice::Category;

    use super::category_key;

    #[test]
    fn category_keys_are_the_wire_names() {
        for category in [
            Category::BlamesOthers,
            Category::BlamesCustomer,
            Category::Minimises,
            Category::ConditionalApology,
            Category::HidesBehindPolicy,
        ] {
            assert_eq!(serde_json::to_value(category).unwrap(), serde_json::json!(category_key(category)));
        }
    }
}
