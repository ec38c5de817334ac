//! The wire shapes, pinned: each JSON body as the API documents it, and
//! each request parsed into the core's types or refused naming its field.

use serde_json::{Value, json};

use super::*;
use crate::input::{Apology, CompanyName, KeyLabel, ProblemKind, Score, TicketId, WhatHappened, WorkspaceId};
use crate::make_good::{Harm, MakeGoodKind, Policy};
use crate::record::{Period, RecoveryRecord};
use crate::reference::Reference;
use crate::ticket::{
    Actor, Colleague, Command, Context, EscalationReason, Event, Feeling, MakeGood, Report, Ticket, Wording,
};
use crate::voice::Reviewer;
use crate::workspace::{Role, Settings};

fn at(text: &str) -> Timestamp {
    Timestamp::parse(text).unwrap()
}

fn request(value: Value) -> ReportRequest {
    serde_json::from_value(value).unwrap()
}

#[test]
fn report_request_names_the_first_bad_field() {
    let err = request(json!({"workspace": "acme", "what_happened": "  "})).parse().unwrap_err();
    assert_eq!(err.field.key(), "what_happened");
    let err = request(json!({"workspace": "acme", "what_happened": "x", "feelings": ["furious"]})).parse();
    assert_eq!(err.unwrap_err().field.key(), "feelings");
    let err = request(json!({"workspace": "acme", "what_happened": "x", "contact_email": "ana"})).parse();
    assert_eq!(err.unwrap_err().field.key(), "contact_email");
    let err = request(json!({"workspace": "acme", "what_happened": "x", "cost": {"hours_lost": -3}})).parse();
    assert_eq!(err.unwrap_err().field.key(), "hours_lost");
    let err = request(
        json!({"workspace": "acme", "what_happened": "x", "order_value": {"currency": "US", "minor_units": 5}}),
    )
    .parse();
    assert_eq!(err.unwrap_err().field.key(), "currency");
}

#[test]
fn blank_optional_fields_are_absent() {
    let (_, report) = request(json!({
        "workspace": "acme", "what_happened": "No armchair", "how_it_affected_you": " ", "order_id": "1042", "contact_email": ""
    }))
    .parse()
    .unwrap();
    assert_eq!(report.how_it_affected_you, None);
    assert_eq!(report.contact_email, None);
    assert_eq!(report.cost, Harm::default());
    assert_eq!(report.order_id.unwrap().as_str(), "1042");
}

#[test]
fn the_full_report_is_parsed() {
    let (workspace, report) = request(json!({
        "workspace": "acme",
        "what_happened": "The armchair was missing.",
        "how_it_affected_you": "Guests stood all evening.",
        "feelings": ["let_down", "frustrated", "let_down"],
        "cost": {"money": {"currency": "usd", "minor_units": 4000}, "hours_lost": 6, "missed_event": true},
        "order_id": "1042",
        "order_value": {"currency": "USD", "minor_units": 240000},
        "contact_email": "ana@example.com"
    }))
    .parse()
    .unwrap();
    assert_eq!(workspace.as_str(), "acme");
    assert_eq!(report.feelings, vec![Feeling::LetDown, Feeling::Frustrated]);
    assert_eq!(report.cost.money.unwrap().to_string(), "$40");
    assert_eq!(report.cost.hours_lost, Some(6));
    assert!(report.cost.missed_event);
    assert_eq!(report.order_value.unwrap().to_string(), "$2,400");
    assert_eq!(report.contact_email.unwrap().as_str(), "ana@example.com");
}

#[test]
fn command_requests_are_parsed_by_type() {
    let parse = |value: Value| serde_json::from_value::<CommandRequest>(value).unwrap().parse();
    assert!(matches!(
        parse(json!({"type": "update", "text": "On it", "next_update_by": "2026-11-24T15:00:00Z"})),
        Ok(Command::PostUpdate { .. })
    ));
    assert_eq!(parse(json!({"type": "confirm_solved"})), Ok(Command::ConfirmSolved));
    assert!(matches!(parse(json!({"type": "message", "text": "Hi"})), Ok(Command::AddMessage { .. })));
    assert!(matches!(parse(json!({"type": "ask", "question": "Which colour?"})), Ok(Command::AskQuestion { .. })));
    assert_eq!(
        parse(json!({"type": "escalate", "reason": "other_department_must_act"})),
        Ok(Command::Escalate { reason: EscalationReason::OtherDepartmentMustAct })
    );
    let offer = parse(
        json!({"type": "offer_make_good", "kind": "gift_card", "value": {"currency": "USD", "minor_units": 5000}}),
    );
    assert!(matches!(offer, Ok(Command::OfferMakeGood(MakeGood { kind: MakeGoodKind::GiftCard, .. }))));
    assert!(matches!(parse(json!({"type": "rate", "score": 4})), Ok(Command::Rate(_))));
    assert_eq!(parse(json!({"type": "withdraw"})), Ok(Command::Withdraw));
    assert_eq!(parse(json!({"type": "mark_promise_missed"})), Ok(Command::MarkPromiseMissed));
}

#[test]
fn whole_numbers_written_as_floats_are_read_as_the_numbers_they_are() {
    let read = |text: &str| serde_json::from_str::<CommandRequest>(text).unwrap().parse();
    let Ok(Command::Rate(rating)) = read(r#"{"type": "rate", "score": 2.0}"#) else { panic!("a rating") };
    assert_eq!(rating.score, Score::parse(2).unwrap());
    let offer =
        r#"{"type": "offer_make_good", "kind": "refund", "value": {"currency": "USD", "minor_units": 189900.0}}"#;
    let Ok(Command::OfferMakeGood(make_good)) = read(offer) else { panic!("an offer") };
    assert_eq!(make_good.value.minor_units, 189_900);
    let report: ReportRequest =
        serde_json::from_str(r#"{"workspace": "acme", "what_happened": "x", "cost": {"hours_lost": 6.0}}"#).unwrap();
    assert_eq!(report.cost.unwrap().hours_lost, Some(6));
    assert!(serde_json::from_str::<CommandRequest>(r#"{"type": "rate", "score": 2.5}"#).is_err());
}

#[test]
fn a_missing_or_wrong_command_field_is_a_named_validation_error() {
    let field =
        |value: Value| serde_json::from_value::<CommandRequest>(value).unwrap().parse().unwrap_err().field.key();
    assert_eq!(field(json!({"type": "propose_resolution", "summary": "Delivered"})), "prevention");
    assert_eq!(field(json!({"type": "escalate"})), "reason");
    assert_eq!(field(json!({"type": "escalate", "reason": "the_courier"})), "reason");
    assert_eq!(
        field(json!({"type": "offer_make_good", "kind": "candy", "value": {"currency": "USD", "minor_units": 1}})),
        "kind"
    );
    assert_eq!(field(json!({"type": "offer_make_good", "kind": "refund"})), "currency");
    assert_eq!(field(json!({"type": "rate", "score": 9})), "score");
    let update: CommandRequest =
        serde_json::from_value(json!({"type": "update", "text": "Soon", "next_update_by": "Tuesday"})).unwrap();
    let err = update.parse().unwrap_err();
    assert_eq!(err.field.key(), "next_update_by");
    assert_eq!(err.to_string(), "The next-update promise must be an RFC 3339 time such as 2026-11-24T15:00:00Z.");
}

/// The names an app puts on the wire for a make-good's kind or an
/// escalation's reason are serde's, each is taken back as the same
/// value, and the refusal of a wrong one lists every one.
#[test]
fn every_offered_name_is_the_wire_name() {
    let wire_name = |value: Value| value.as_str().unwrap().to_owned();
    let refusal =
        |value: Value| serde_json::from_value::<CommandRequest>(value).unwrap().parse().unwrap_err().to_string();
    let wrong_kind = refusal(json!({"type": "offer_make_good", "kind": "candy"}));
    for kind in MakeGoodKind::ALL {
        assert_eq!(kind.key(), wire_name(serde_json::to_value(kind).unwrap()));
        let offer =
            json!({"type": "offer_make_good", "kind": kind.key(), "value": {"currency": "USD", "minor_units": 1}});
        let parsed = serde_json::from_value::<CommandRequest>(offer).unwrap().parse().unwrap();
        assert!(matches!(parsed, Command::OfferMakeGood(MakeGood { kind: k, .. }) if k == kind));
        assert!(wrong_kind.contains(kind.key()), "{wrong_kind}");
    }
    let wrong_reason = refusal(json!({"type": "escalate", "reason": "the_courier"}));
    for reason in EscalationReason::ALL {
        assert_eq!(reason.key(), wire_name(serde_json::to_value(reason).unwrap()));
        let escalate = json!({"type": "escalate", "reason": reason.key()});
        let parsed = serde_json::from_value::<CommandRequest>(escalate).unwrap().parse().unwrap();
        assert_eq!(parsed, Command::Escalate { reason });
        assert!(wrong_reason.contains(reason.key()), "{wrong_reason}");
    }
    for wording in Wording::ALL {
        assert_eq!(wording.key(), wire_name(serde_json::to_value(wording).unwrap()));
    }
}

#[test]
fn an_unknown_command_type_is_not_a_command() {
    for kind in ["mark_solved", "close", "resolve"] {
        assert!(serde_json::from_value::<CommandRequest>(json!({"type": kind})).is_err(), "{kind}");
    }
}

#[test]
fn an_event_without_its_kinds_fields_is_refused() {
    let missing = json!({"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "updated", "text": "Soon"});
    let err = serde_json::from_value::<Event>(missing).unwrap_err();
    assert!(err.to_string().contains("missing field `next_update_by`"), "{err}");
    let blank = json!({"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "message_added", "text": " "});
    assert!(serde_json::from_value::<Event>(blank).unwrap_err().to_string().contains("The message is required."));
    let unknown = json!({"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "closed"});
    assert!(serde_json::from_value::<Event>(unknown).is_err());
}

/// The ticket view as the widget and the HTTP API receive it. A change
/// here is a change to Mend's public contract.
#[test]
fn ticket_view_wire_shape() {
    let (_, report) = request(json!({
        "workspace": "acme",
        "what_happened": "The armchair was missing.",
        "how_it_affected_you": "Guests had nowhere to sit.",
        "feelings": ["let_down"],
        "cost": {"hours_lost": 3},
        "order_id": "1042"
    }))
    .parse()
    .unwrap();
    let policy = Policy::standard(crate::money::Currency::parse("USD", Field::Currency).unwrap());
    let opened = Ticket::open(report, None, at("2026-11-23T09:00:00Z"));
    let mut ticket = Ticket::from_events([&opened]).unwrap();
    let mut events = vec![opened];
    let mut run = |actor, value: Value, now: &str| {
        let command = serde_json::from_value::<CommandRequest>(value).unwrap().parse().unwrap();
        let event = ticket.decide(actor, command, &Context::new(at(now), &policy)).unwrap();
        ticket.apply(&event).unwrap();
        events.push(event);
    };
    run(
        Actor::Rep,
        json!({"type": "update", "text": "We're so sorry. It ships tomorrow.", "next_update_by": "2026-11-24T15:00:00Z"}),
        "2026-11-23T09:05:00Z",
    );
    run(Actor::Rep, json!({"type": "escalate", "reason": "manager_adds_value"}), "2026-11-23T09:06:00Z");
    run(
        Actor::Manager,
        json!({"type": "offer_make_good", "kind": "credit", "value": {"currency": "USD", "minor_units": 7500}, "note": "For the trouble."}),
        "2026-11-23T09:07:00Z",
    );
    let view = TicketView::new(
        TicketId::parse("t1").unwrap(),
        Some(Reference::new(&WorkspaceId::parse("acme").unwrap(), 1)),
        WorkspaceId::parse("acme").unwrap(),
        &ticket,
        events,
    );
    let report = json!({
        "what_happened": "The armchair was missing.",
        "how_it_affected_you": "Guests had nowhere to sit.",
        "feelings": ["let_down"],
        "cost": {"money": null, "hours_lost": 3, "missed_event": false},
        "order_id": "1042"
    });
    let expected = json!({
        "id": "t1",
        "reference": Reference::new(&WorkspaceId::parse("acme").unwrap(), 1).as_str(),
        "workspace": "acme",
        "status": "acknowledged",
        "reported_at": "2026-11-23T09:00:00Z",
        "report": report,
        "next_update_by": "2026-11-24T15:00:00Z",
        "promise": {"due": "2026-11-24T15:00:00Z", "missed": false},
        "question": null,
        "resolution": null,
        "escalation": {"reason": "manager_adds_value", "at": "2026-11-23T09:06:00Z"},
        "make_goods": [{"kind": "credit", "value": {"currency": "USD", "minor_units": 7500}, "note": "For the trouble.",
                        "offered_at": "2026-11-23T09:07:00Z", "status": "pending"}],
        "rating": null,
        "reopened": 0,
        "promises": {"made": 1, "kept": 0, "missed": 0},
        "handovers": 0,
        "last_seq": 4,
        "events": [
            {"seq": 1, "at": "2026-11-23T09:00:00Z", "by": "customer", "type": "reported", "report": report},
            {"seq": 2, "at": "2026-11-23T09:05:00Z", "by": "rep", "type": "updated",
             "text": "We're so sorry. It ships tomorrow.", "next_update_by": "2026-11-24T15:00:00Z"},
            {"seq": 3, "at": "2026-11-23T09:06:00Z", "by": "rep", "type": "escalated", "escalation": "manager_adds_value"},
            {"seq": 4, "at": "2026-11-23T09:07:00Z", "by": "manager", "type": "make_good_offered",
             "make_good": {"kind": "credit", "value": {"currency": "USD", "minor_units": 7500}, "note": "For the trouble."}}
        ]
    });
    assert_eq!(serde_json::to_value(&view).unwrap(), expected);
    let back: TicketView = serde_json::from_value(expected).unwrap();
    assert_eq!(back, view);
}

#[test]
fn the_company_words_are_reviewed_text_by_text_and_the_customers_never() {
    let (_, report) = request(json!({"workspace": "acme", "what_happened": "No armchair"})).parse().unwrap();
    let policy = Policy::standard(crate::money::Currency::parse("USD", Field::Currency).unwrap());
    let opened = Ticket::open(report, None, at("2026-11-23T09:00:00Z"));
    let mut ticket = Ticket::from_events([&opened]).unwrap();
    let mut decide = |actor, value: Value| {
        let command = serde_json::from_value::<CommandRequest>(value).unwrap().parse().unwrap();
        let event = ticket.decide(actor, command, &Context::new(at("2026-11-23T09:05:00Z"), &policy)).unwrap();
        ticket.apply(&event).unwrap();
        event
    };
    let reviewer = Reviewer::new().with_terms([(crate::voice::Category::BlamesOthers, "Speedy".to_owned())]);
    let from_customer = decide(Actor::Customer, json!({"type": "message", "text": "Mistakes happen, no worries."}));
    assert_eq!(Review::of(&reviewer, &from_customer), []);
    let proposal = decide(
        Actor::Rep,
        json!({"type": "propose_resolution", "summary": "Speedy brought it today.", "prevention": "Mistakes happen."}),
    );
    assert_eq!(Review::events_flagged(&Review::of(&reviewer, &proposal)), 1);
    let reviews = serde_json::to_value(Review::of(&reviewer, &proposal)).unwrap();
    assert_eq!(
        reviews,
        json!([
            {"seq": 3, "field": "summary", "findings": [{"category": "blames_others", "start": 0, "end": 6, "phrase": "Speedy"}]},
            {"seq": 3, "field": "prevention", "findings": [{"category": "minimises", "start": 0, "end": 15, "phrase": "Mistakes happen"}]},
        ])
    );
    let offer = decide(
        Actor::Rep,
        json!({"type": "offer_make_good", "kind": "credit", "value": {"currency": "USD", "minor_units": 500}, "note": "At least you got it."}),
    );
    assert_eq!(Review::of(&reviewer, &offer)[0].field, Wording::Note);
    let clean = decide(Actor::Rep, json!({"type": "message", "text": "We're sorry we let you down."}));
    assert_eq!(Review::of(&reviewer, &clean), []);
}

#[test]
fn a_ticket_view_without_findings_has_no_review_key() {
    let (_, report) = request(json!({"workspace": "acme", "what_happened": "No armchair"})).parse().unwrap();
    let opened = Ticket::open(report, None, at("2026-11-23T09:00:00Z"));
    let ticket = Ticket::from_events([&opened]).unwrap();
    let view = TicketView::new(
        TicketId::parse("t1").unwrap(),
        None,
        WorkspaceId::parse("acme").unwrap(),
        &ticket,
        vec![opened],
    );
    assert!(serde_json::to_value(&view).unwrap().get("review").is_none());
}

#[test]
fn session_record_and_queue_change_wire_shapes() {
    let mut settings = Settings::new(
        CompanyName::parse("Acme Furniture").unwrap(),
        Apology::parse("We're sorry: we let you down.").unwrap(),
        crate::money::Currency::parse("EUR", Field::Currency).unwrap(),
    );
    let patch: SettingsPatch = serde_json::from_value(
        json!({"voice_terms": [{"category": "blames_others", "term": " Speedy Parcels "}], "record_public": true}),
    )
    .unwrap();
    settings = patch.apply(settings).unwrap();
    let ana = Colleague::new("0123456789abcdef", KeyLabel::parse("Ana").unwrap(), false);
    let (workspace, key) = (WorkspaceId::parse("acme").unwrap(), ("0123456789abcdef".into(), "Ana".into()));
    let session = SessionView::new(workspace, Role::Rep, key, vec![ana], &settings);
    let value = serde_json::to_value(&session).unwrap();
    assert_eq!(
        value.as_object().unwrap().keys().collect::<Vec<_>>(),
        [
            "colleagues",
            "company",
            "currency",
            "key_id",
            "label",
            "make_good_policy",
            "record_public",
            "rep_names",
            "role",
            "time_zone",
            "voice_terms",
            "workspace"
        ]
    );
    assert_eq!(value["voice_terms"], json!([{"category": "blames_others", "term": "Speedy Parcels"}]));
    assert_eq!(
        (&value["company"], &value["currency"], &value["record_public"]),
        (&json!("Acme Furniture"), &json!("EUR"), &json!(true))
    );
    let bad: SettingsPatch =
        serde_json::from_value(json!({"voice_terms": [{"category": "blames_others", "term": ""}]})).unwrap();
    assert_eq!(bad.apply(settings.clone()).unwrap_err().field, Field::VoiceTerms);
    assert!(
        serde_json::from_value::<SettingsPatch>(json!({"voice_terms": [{"category": "rude", "term": "x"}]})).is_err()
    );

    let changed = QueueChanged { ticket_id: TicketId::parse("t1").unwrap(), seq: 2 };
    assert_eq!(serde_json::to_value(&changed).unwrap(), json!({"type": "queue_changed", "ticket_id": "t1", "seq": 2}));

    let period = Period::parse(Some("2026-11-20"), Some("2026-11-24"), at("2026-11-25T00:00:00Z")).unwrap();
    let currency = settings.currency();
    let empty = RecoveryRecord::of([], currency);
    let view = RecordView::new(period, currency, empty.clone(), crate::record::weekly_over(&[], period, currency));
    let value = serde_json::to_value(&view).unwrap();
    assert_eq!(
        (&value["from"], &value["to"], &value["currency"]),
        (&json!("2026-11-20"), &json!("2026-11-24"), &json!("EUR"))
    );
    assert_eq!(
        value["weeks"].as_array().unwrap().iter().map(|w| w["week"].clone()).collect::<Vec<_>>(),
        [json!("2026-11-16"), json!("2026-11-23")]
    );
    assert_eq!(value["weeks"][0]["record"], serde_json::to_value(&empty).unwrap());
}

#[test]
fn the_widgets_reading_of_a_report_keeps_the_log_and_skips_the_rest() {
    let (_, report) = request(json!({"workspace": "acme", "what_happened": "No armchair"})).parse().unwrap();
    let opened = Ticket::open(report, None, at("2026-11-23T09:00:00Z"));
    let ticket = Ticket::from_events([&opened]).unwrap();
    let view = TicketView::new(
        TicketId::parse("t1").unwrap(),
        Some(Reference::new(&WorkspaceId::parse("acme").unwrap(), 12)),
        WorkspaceId::parse("acme").unwrap(),
        &ticket,
        vec![opened],
    );
    let created = ReportCreated {
        ticket: view.clone(),
        customer_token: "mend_ct_x".into(),
        company: CompanyVoice { name: "Acme".into(), apology: "Sorry.".into() },
    };
    let receipt: ReportReceipt = serde_json::from_value(serde_json::to_value(&created).unwrap()).unwrap();
    assert_eq!(
        receipt.ticket,
        TicketLog { id: view.id, reference: view.reference, emails: view.emails, events: view.events }
    );
    assert_eq!((receipt.customer_token, receipt.company), (created.customer_token, created.company));
}

#[test]
fn status_keys_are_the_wire_names() {
    use crate::ticket::Status::*;
    for status in [Reported, Acknowledged, InProgress, WaitingOnCustomer, ResolutionProposed, Solved, Withdrawn] {
        assert_eq!(serde_json::to_value(status).unwrap(), json!(status.key()));
    }
    for feeling in crate::ticket::Feeling::ALL {
        assert_eq!(serde_json::to_value(feeling).unwrap(), json!(feeling.key()));
    }
    for role in [Role::Rep, Role::Manager] {
        assert_eq!(serde_json::to_value(role).unwrap(), json!(role.key()));
    }
}

#[test]
fn error_body_wire_shape() {
    let missing = ErrorBody {
        error: ErrorDetail::refusing("validation", &InputError::new(Field::WhatHappened, Problem::Missing)),
    };
    assert_eq!(
        serde_json::to_value(&missing).unwrap(),
        json!({"error": {"code": "validation", "message": "What happened is required.", "field": "what_happened", "problem": "missing"}})
    );
    let long = ErrorBody {
        error: ErrorDetail::refusing("validation", &InputError::new(Field::Reason, Problem::TooLong { max: 2000 })),
    };
    assert_eq!(
        serde_json::to_value(&long).unwrap(),
        json!({"error": {
            "code": "validation",
            "message": "The reason is too long: please keep it under 2000 characters.",
            "field": "reason",
            "problem": "too_long",
            "max": 2000
        }})
    );
    let plain = ErrorBody { error: ErrorDetail::new("not_found", "No such ticket.".into()) };
    assert_eq!(
        serde_json::to_value(&plain).unwrap(),
        json!({"error": {"code": "not_found", "message": "No such ticket."}})
    );
}

/// An error body is read back by the apps into the core's own types: the
/// problem as a `ProblemKind`, the field matched against `Field::key`.
#[test]
fn an_error_body_reads_back_into_the_cores_types() {
    let problems = [
        (Problem::Missing, ProblemKind::Missing, "missing"),
        (Problem::TooLong { max: 40 }, ProblemKind::TooLong, "too_long"),
        (Problem::ControlCharacters, ProblemKind::ControlCharacters, "control_characters"),
        (Problem::Malformed { expected: "a number" }, ProblemKind::Malformed, "malformed"),
    ];
    for (problem, kind, key) in problems {
        let body = ErrorBody { error: ErrorDetail::refusing("validation", &InputError::new(Field::Amount, problem)) };
        let read: ErrorBody = serde_json::from_value(serde_json::to_value(&body).unwrap()).unwrap();
        assert_eq!(read.error.problem, Some(kind));
        assert_eq!(serde_json::to_value(kind).unwrap(), json!(key));
        assert_eq!(read.error.field.as_deref(), Some(Field::Amount.key()));
    }
    let unknown: ErrorBody = serde_json::from_value(
        json!({"error": {"code": "validation", "message": "'colur' is not a key this request takes.", "field": "colur", "problem": "unknown"}}),
    )
    .unwrap();
    assert_eq!((unknown.error.field.as_deref(), unknown.error.problem), (Some("colur"), Some(ProblemKind::Unknown)));
    const KEY: &str = Field::WhatHappened.key();
    assert_eq!(KEY, "what_happened", "a key is a constant an app can match on");
}

#[test]
fn a_headline_keeps_short_text_and_cuts_long_text_by_characters() {
    assert_eq!(headline("The sofa came torn."), "The sofa came torn.");
    let long = "é".repeat(HEADLINE_CHARS + 10);
    assert_eq!(headline(&long), format!("{}…", "é".repeat(HEADLINE_CHARS)));
}

#[test]
fn a_new_workspace_names_the_field_at_fault() {
    let good = NewWorkspaceRequest {
        id: "globex".into(),
        name: "Globex".into(),
        apology: "We're sorry we let you down.".into(),
        origins: vec!["https://shop.globex.example".into()],
        ..NewWorkspaceRequest::default()
    };
    let (id, settings) = good.parse().unwrap();
    assert_eq!((id.as_str(), settings.colour.as_str(), settings.locale.as_str()), ("globex", "#1f6feb", "en"));
    assert!(settings.allows("https://shop.globex.example"));
    let field = |request: NewWorkspaceRequest| request.parse().unwrap_err().field.key();
    assert_eq!(field(NewWorkspaceRequest { id: "Globex!".into(), ..good.clone() }), "id");
    assert_eq!(field(NewWorkspaceRequest { apology: "Noted.".into(), ..good.clone() }), "apology");
    assert_eq!(field(NewWorkspaceRequest { currency: Some("dollars".into()), ..good.clone() }), "currency");
    assert_eq!(field(NewWorkspaceRequest { origins: vec!["*".into()], ..good }), "origins");
}

#[test]
fn a_settings_patch_changes_only_what_it_names_and_refuses_unknown_keys() {
    let (_, settings) = NewWorkspaceRequest {
        id: "globex".into(),
        name: "Globex".into(),
        apology: "We're sorry we let you down.".into(),
        ..NewWorkspaceRequest::default()
    }
    .parse()
    .unwrap();
    let patch: SettingsPatch = serde_json::from_value(json!({"colour": "#AA0000", "locale": "de"})).unwrap();
    let changed = patch.apply(settings.clone()).unwrap();
    assert_eq!((changed.colour.as_str(), changed.locale.as_str()), ("#aa0000", "de"));
    assert_eq!((changed.name, changed.apology), (settings.name, settings.apology));
    assert!(serde_json::from_value::<SettingsPatch>(json!({"color": "#aa0000"})).is_err());
}

#[test]
fn queue_filters_and_key_roles_are_read_by_their_wire_names() {
    assert_eq!(QueueFilter::parse(None).unwrap(), QueueFilter::All);
    assert_eq!(QueueFilter::parse(Some("waiting_on_customer")).unwrap(), QueueFilter::WaitingOnCustomer);
    assert_eq!(QueueFilter::parse(Some("urgent")).unwrap_err().field, Field::Filter);
    let request = KeyRequest { role: "manager".into(), label: "Ana".into() };
    assert_eq!(request.parse().unwrap().0, Role::Manager);
    assert_eq!(KeyRequest { role: "owner".into(), ..request }.parse().unwrap_err().field, Field::Role);
}

#[test]
fn a_signed_event_carries_the_first_name_and_an_unsigned_one_does_not() {
    let mut event =
        Ticket::open(Report::of(WhatHappened::parse("The lamp flickers.").unwrap()), None, at("2026-11-23T08:00:00Z"));
    assert!(serde_json::to_value(&event).unwrap().get("signed").is_none());
    event.signed = Some(crate::input::FirstName::parse("Ana").unwrap());
    let value = serde_json::to_value(&event).unwrap();
    assert_eq!(value["signed"], json!("Ana"));
    assert_eq!(serde_json::from_value::<Event>(value).unwrap(), event);
}
