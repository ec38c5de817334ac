//! Where a request's time went, for the `Server-Timing` header (W3C Server
//! Timing) that browsers show in their developer tools and `make bench`
//! reads: the D1 round trips on the request's path (the worker's and those
//! its ticket's object made while answering), the calls to Durable Objects,
//! and the total.
//!
//! On Cloudflare the runtime's clock advances only across I/O, so the
//! durations are those of the round trips themselves; the counts are what
//! matters on a network where each D1 call may cross a continent.

use std::cell::Cell;
use std::future::Future;

use worker::Date;

/// The header a ticket's object answers with, naming the D1 round trips it
/// made (`<count> <writes> <milliseconds>`); the worker folds it into its
/// own count and never passes it on.
pub const OBJECT_D1: &str = "Mend-D1";

/// One request's counts and times; shared by everything that serves it.
pub struct Timing {
    started: f64,
    d1_trips: Cell<u32>,
    /// Those of the round trips that wrote.
    d1_writes: Cell<u32>,
    d1_ms: Cell<f64>,
    object_calls: Cell<u32>,
    object_ms: Cell<f64>,
}

impl Timing {
    pub fn start() -> Self {
        Self {
            started: clock(),
            d1_trips: Cell::new(0),
            d1_writes: Cell::new(0),
            d1_ms: Cell::new(0.0),
            object_calls: Cell::new(0),
            object_ms: Cell::new(0.0),
        }
    }

    /// Awaits one D1 round trip, counting it and its time.
    pub async fn d1<T>(&self, trip: impl Future<Output = T>) -> T {
        let started = clock();
        let result = trip.await;
        self.add_d1(1, 0, clock() - started);
        result
    }

    /// Awaits one D1 round trip that writes, counting it, its write and its time.
    pub async fn d1_write<T>(&self, trip: impl Future<Output = T>) -> T {
        let started = clock();
        let result = trip.await;
        self.add_d1(1, 1, clock() - started);
        result
    }

    /// Awaits one call to a Durable Object, counting it and its time.
    pub async fn object<T>(&self, call: impl Future<Output = T>) -> T {
        let started = clock();
        let result = call.await;
        self.object_calls.set(self.object_calls.get() + 1);
        self.object_ms.set(self.object_ms.get() + (clock() - started));
        result
    }

    fn add_d1(&self, trips: u32, writes: u32, ms: f64) {
        self.d1_trips.set(self.d1_trips.get() + trips);
        self.d1_writes.set(self.d1_writes.get() + writes);
        self.d1_ms.set(self.d1_ms.get() + ms);
    }

    /// The D1 round trips counted so far, as [`OBJECT_D1`] carries them.
    pub fn d1_report(&self) -> String {
        format!("{} {} {:.1}", self.d1_trips.get(), self.d1_writes.get(), self.d1_ms.get())
    }

    /// Adds the round trips an object reported in [`OBJECT_D1`]; a report
    /// that does not read as one is ignored.
    pub fn add_d1_report(&self, report: &str) {
        let mut parts = report.split(' ');
        if let (Some(Ok(trips)), Some(Ok(writes)), Some(Ok(ms))) = (
            parts.next().map(str::parse::<u32>),
            parts.next().map(str::parse::<u32>),
            parts.next().map(str::parse::<f64>),
        ) {
            self.add_d1(trips, writes, ms);
        }
    }

    /// The `Server-Timing` value: `d1;desc="2 round trips, 1 write";dur=3.1,
    /// do;desc="1 call";dur=2.0, total;dur=6.4`.
    pub fn header(&self) -> String {
        let (trips, writes) = (self.d1_trips.get(), self.d1_writes.get());
        let calls = self.object_calls.get();
        format!(
            "d1;desc=\"{trips} round trip{}, {writes} write{}\";dur={:.1}, do;desc=\"{calls} call{}\";dur={:.1}, \
             total;dur={:.1}",
            plural(trips),
            plural(writes),
            self.d1_ms.get(),
            plural(calls),
            self.object_ms.get(),
            clock() - self.started,
        )
    }
}

fn plural(count: u32) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn clock() -> f64 {
    Date::now().as_millis() as f64
}
