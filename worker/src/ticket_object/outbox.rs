//! The dispatcher: works the outbox of a ticket's object after each answer
//! has gone out and on the object's alarm, and deletes a row only once its
//! work is confirmed. Two kinds of work follow every event. Its projection
//! into D1, the index the queue, listings and the recovery record read, is
//! idempotent on (ticket, seq), so a retry or a replay after a restart
//! never writes anything twice; after it lands the workspace's `QueueHub`
//! is told, so a console that refetches sees it. Its webhook is made here,
//! from the log, and handed to the workspace's `WebhookHub`, which stores
//! it under an id made of (ticket, seq), so a repeated hand-off is one
//! message.
//!
//! A test hook, never set in `wrangler.toml`: the var
//! `MEND_FAIL_PROJECTIONS=N` makes the first N projection attempts of the
//! isolate fail as if D1 were unreachable (see the README's *Test hooks*).

use std::rc::Rc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use mend_core::email::{self, Language, Occasion};
use mend_core::outbox::Work;
use mend_core::ticket::Event;
use mend_core::wire::QueueChanged;
use worker::{Delay, Env};

use super::Object;
use super::log::{Log, Row};
use crate::error::{AppError, AppResult};
use crate::mail::{self, Letter};
use crate::store::{self, Projection};
use crate::timing::Timing;
use crate::{auth, now, queue_hub, webhooks};

/// The prefix of a ticket's unsubscribe token, which stops its emails and grants nothing else.
const UNSUBSCRIBE_PREFIX: &str = "mend_us_";
/// The most events one projection writes; a longer backlog takes several.
const BATCH: u32 = 50;
/// The test hook's var.
const FAIL_VAR: &str = "MEND_FAIL_PROJECTIONS";
/// Projection attempts the test hook still fails; below zero until read.
static FAILS_LEFT: AtomicI64 = AtomicI64::new(-1);

impl Object {
    /// Works the outbox until it is empty or an attempt fails, then sets
    /// the object's alarm. One dispatcher runs at a time per object; a
    /// call while one runs asks it to look again.
    pub(super) async fn dispatch(self: Rc<Self>) {
        if self.dispatching.replace(true) {
            self.look_again.set(true);
            return;
        }
        // One turn of the event loop first, so the answer that set this off
        // goes out before the dispatcher's own work takes the thread.
        Delay::from(Duration::ZERO).await;
        loop {
            self.look_again.set(false);
            let projected = self.project_once().await;
            let handed = self.hand_off_once().await;
            if let Err(err) = self.mail_once().await {
                let _ = err.into_response(); // logged; the row's retry is set
            }
            match projected.and_then(|more| Ok(more | handed?)) {
                Ok(true) => continue,
                Ok(false) if self.look_again.get() => continue,
                Ok(false) => break,
                Err(err) => {
                    let _ = err.into_response(); // logged; the alarm tries again
                    break;
                }
            }
        }
        self.dispatching.set(false);
        if let Err(err) = self.schedule().await {
            let _ = err.into_response();
        }
    }

    /// The oldest waiting rows of `work`, and what `take` makes of them and
    /// the log, both under the lock so they agree (the lock is not held
    /// for the work itself); `None` when no row waits.
    async fn waiting<T>(
        &self,
        work: Work,
        take: impl FnOnce(&Log, &[Row]) -> AppResult<T>,
    ) -> AppResult<Option<(Vec<Row>, T)>> {
        let mut guard = self.log.lock().await;
        let rows = self.stored()?.work(work, BATCH)?;
        if rows.is_empty() {
            return Ok(None);
        }
        if guard.is_none() {
            // Dropped after a failure, or not yet read since the object woke.
            *guard = self.stored()?.load()?;
        }
        let log = guard.as_ref().ok_or(AppError::Internal("outbox without a log".into()))?;
        let taken = take(log, &rows)?;
        Ok(Some((rows, taken)))
    }

    /// Settles `rows` after their work: done, or failed and due again later.
    fn settle(&self, rows: &[Row], attempt: AppResult<()>) -> AppResult<bool> {
        if let Err(err) = attempt {
            self.stored()?.failed(rows, &format!("{err:?}"), now())?;
            return Err(err);
        }
        self.stored()?.done(rows)?;
        Ok(rows.len() as u32 == BATCH)
    }

    /// Projects the oldest waiting events; `true` if more are waiting.
    async fn project_once(&self) -> AppResult<bool> {
        let db = store::db(&self.env, Rc::new(Timing::start()))?;
        let Some((rows, snapshot)) = self.waiting(Work::Project, Snapshot::of).await? else { return Ok(false) };
        let attempt = match failing(&self.env) {
            true => Err(AppError::Internal(format!("D1 write failed: the {FAIL_VAR} test hook"))),
            false => store::project(&db, &snapshot.projection()).await,
        };
        let more = self.settle(&rows, attempt)?;
        let change = QueueChanged { ticket_id: snapshot.id.clone(), seq: snapshot.ticket.last_seq() };
        if let Err(err) = queue_hub::notify(&self.env, &snapshot.owner.workspace, &change).await {
            let _ = err.into_response(); // the live queue is a hint: logged, never retried
        }
        Ok(more)
    }

    /// Hands the webhooks of the oldest waiting events to the workspace's
    /// hub, in `seq` order; `true` if more are waiting.
    async fn hand_off_once(&self) -> AppResult<bool> {
        let made = self.waiting(Work::Webhooks, |log, rows| {
            let mut messages = Vec::with_capacity(rows.len());
            for row in rows {
                let Some(event) = log.events.iter().find(|event| event.seq == row.seq) else { continue };
                let (ticket, _, _) = log.as_of(row.seq)?;
                let reference = log.reference();
                messages.push(webhooks::body::ticket_event(&log.id, reference, &log.owner.workspace, &ticket, event)?);
            }
            Ok((log.owner.workspace.clone(), messages))
        });
        let Some((rows, (workspace, messages))) = made.await? else { return Ok(false) };
        let attempt = webhooks::hand_off(&self.env, &workspace, &messages).await;
        self.settle(&rows, attempt)
    }
}

impl Object {
    /// Emails the customer the news waiting in the outbox, once the first
    /// of it is due: one email for all of it, if they gave an address, let
    /// Mend write, and no widget of theirs is watching (then they have
    /// seen it, and nothing is sent). The email's link carries a customer
    /// token of its own, kept (as its hash) before the email goes.
    async fn mail_once(&self) -> AppResult<()> {
        let now = now();
        let made = {
            let mut guard = self.log.lock().await;
            let stored = self.stored()?;
            let rows = stored.mail_due(now)?;
            if rows.is_empty() {
                return Ok(());
            }
            if guard.is_none() {
                *guard = stored.load()?;
            }
            let log = guard.as_mut().ok_or(AppError::Internal("outbox without a log".into()))?;
            let watching = self.customer_watching();
            let news: Vec<Event> = rows
                .iter()
                .filter_map(|row| log.events.iter().find(|event| event.seq == row.seq))
                .filter(|event| email::is_news(event))
                .cloned()
                .collect();
            let to = log.ticket.report().contact_email.as_ref().map(|email| email.as_str().to_owned());
            match to {
                Some(to) if log.owner.emails_on && !watching && !news.is_empty() => {
                    let link_token = auth::new_customer_token()?;
                    let unsubscribe_token = stored.unsubscribe_token_or(auth::random_token(UNSUBSCRIBE_PREFIX)?)?;
                    let settings = &log.settings.settings;
                    let reference = log.reference();
                    let report = log.ticket.report();
                    let language = Language::of(report.locale.as_ref());
                    let digest = email::digest(&Occasion {
                        company: settings.name.as_str(),
                        reference: reference.as_ref(),
                        ticket: &log.ticket,
                        news: &news,
                        time_zone: &settings.hours.time_zone,
                        language,
                    });
                    let letter = Letter {
                        digest: &digest,
                        language,
                        company: settings.name.as_str(),
                        colour: settings.colour.as_str(),
                        workspace: &log.owner.workspace,
                        ticket: &log.id,
                        seq: news.last().map_or(0, |event| event.seq),
                        to: &to,
                        link_token: &link_token,
                        unsubscribe_token: &unsubscribe_token,
                        at: now,
                    };
                    let message = match mail::compose(&self.env, &letter) {
                        Ok(message) => message,
                        Err(err) => {
                            // Tried again later, like a refused send.
                            stored.failed(&rows, &format!("{err:?}"), now)?;
                            return Err(err);
                        }
                    };
                    // The link works from the moment the email can arrive.
                    let hash = auth::hash(&link_token);
                    stored.add_link(&hash, now)?;
                    log.owner.link_hashes.push(hash.clone());
                    Some((rows, message, hash))
                }
                // No address, emails off, watching, or nothing to tell: done.
                _ => {
                    stored.done(&rows)?;
                    None
                }
            }
        };
        let Some((rows, message, link)) = made else { return Ok(()) };
        let attempt = mail::send(&self.env, &message).await;
        if attempt.is_err() {
            // The email never went: its link is forgotten, and the next attempt makes its own.
            let mut guard = self.log.lock().await;
            self.stored()?.remove_link(&link)?;
            if let Some(log) = guard.as_mut() {
                log.owner.link_hashes.retain(|kept| *kept != link);
            }
        }
        self.settle(&rows, attempt).map(|_| ())
    }
}

/// What one projection writes, taken from the log while it is locked.
struct Snapshot {
    id: mend_core::input::TicketId,
    owner: super::log::Owner,
    ticket: mend_core::ticket::Ticket,
    updated_at: mend_core::clock::Timestamp,
    record: mend_core::record::TicketRecord,
    last_key_id: Option<String>,
    events: Vec<(mend_core::ticket::Event, Vec<mend_core::wire::Review>)>,
}

impl Snapshot {
    /// The events of `rows` and the ticket's row as of the last of them, so
    /// D1 never names an event it does not hold, even when a backlog takes
    /// several batches. (Who last acted is the log's latest: the queue's
    /// "mine" may run a batch ahead.)
    fn of(log: &Log, rows: &[Row]) -> AppResult<Self> {
        let upto = rows.iter().map(|row| row.seq).max().unwrap_or(0);
        let (ticket, record, updated_at) = log.as_of(upto)?;
        let events = rows
            .iter()
            .filter_map(|row| log.events.iter().find(|event| event.seq == row.seq))
            .map(|event| (event.clone(), log.reviews_of(event.seq)))
            .collect();
        Ok(Self {
            id: log.id.clone(),
            owner: log.owner.clone(),
            ticket,
            updated_at,
            record,
            last_key_id: log.last_key_id.clone(),
            events,
        })
    }

    fn projection(&self) -> Projection<'_> {
        Projection {
            id: &self.id,
            workspace: &self.owner.workspace,
            token_hash: &self.owner.token_hash,
            customer_subject: self.owner.customer_subject.as_deref(),
            number: self.owner.number,
            ticket: &self.ticket,
            updated_at: self.updated_at,
            record: &self.record,
            last_key_id: self.last_key_id.as_deref(),
            events: self.events.iter().map(|(event, reviews)| (event, reviews.clone())).collect(),
        }
    }
}

/// Whether the test hook fails this projection attempt.
fn failing(env: &Env) -> bool {
    if FAILS_LEFT.load(Ordering::Relaxed) < 0 {
        let set = env.var(FAIL_VAR).ok().and_then(|value| value.to_string().parse::<i64>().ok()).unwrap_or(0);
        let _ = FAILS_LEFT.compare_exchange(-1, set.max(0), Ordering::Relaxed, Ordering::Relaxed);
    }
    FAILS_LEFT.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| (left > 0).then(|| left - 1)).is_ok()
}
