//! One voice: the reviewer that reads a rep's reply before the customer does
//! and points at the phrases that break Mend's "one voice" principle.
//!
//! The customer deals with the company, not with its departments, its
//! suppliers or its rulebook. A reply speaks as "we": what we got wrong, what
//! we are doing, when we will be back. The reviewer warns the rep, naming the
//! phrase and saying what to write instead ([`Category::advice`]); it never
//! blocks or rewrites a reply, because the rep may know better.
//!
//! # The rules
//!
//! 1. **Blames others** ([`Category::BlamesOthers`]): a department or supplier
//!    named as the culprit or as an actor apart from us ("the courier lost
//!    it", "our warehouse sent", "the manufacturer's mistake", "blame the
//!    courier"), and deflection that blames someone unnamed ("not our fault",
//!    "out of our hands", "beyond our control").
//! 2. **Blames the customer** ([`Category::BlamesCustomer`]): "you should
//!    have", "you failed to", "you didn't", "as you were told", "you must
//!    have".
//! 3. **Minimises** ([`Category::Minimises`]): "mistakes happen", "at least
//!    you", "it's only", "these things happen", "it could have been worse",
//!    "not a big deal".
//! 4. **Apologises on a condition** ([`Category::ConditionalApology`]): an
//!    apology word ("sorry", "apologise", "apologies"…) followed by a hedge:
//!    "sorry if you feel", "apologies if", "we apologise for any
//!    inconvenience", "sorry you feel that way".
//! 5. **Hides behind policy** ([`Category::HidesBehindPolicy`]): "as per our
//!    policy", "company policy", "our policy states", "per our terms", "due to
//!    policy".
//!
//! A workspace can add its own terms ([`Reviewer::with_terms`]), such as the
//! name of its carrier; each is flagged wherever it appears.
//!
//! # Departments and suppliers
//!
//! A department or supplier may appear in a reply only as someone *we* act
//! on: "we've spoken to our delivery partner", "we've asked the courier to
//! collect it". It is flagged when the reply makes it the one who acted or
//! the one at fault, because then the customer is being told to deal with
//! it instead of with us. Concretely, a *party* is "the" or "our" followed by
//! a party noun ("the courier", "our warehouse team"), or "logistics" on its
//! own, which names a department without an article. A bare "courier" is a
//! way of sending ("sent by courier"), not a party. A party is flagged when
//!
//! - it is followed by a verb, so it is the one acting: an auxiliary or modal
//!   ("is", "was", "has", "will", "didn't"…), a common irregular past tense
//!   ("lost", "sent", "forgot"…) or any word ending in "-ed" ("delayed",
//!   "packed"), with a few adverbs allowed between ("the courier never
//!   arrived");
//! - it follows a blame cue: "blame", "because of", "due to", "caused by",
//!   "by", "down to", "up to", "fault of", "thanks to";
//! - it is possessive and owns a fault: "the manufacturer's mistake", "on the
//!   courier's end".
//!
//! The test is the party's role in its own clause, not whether "we" appears
//! somewhere nearby: "we're sorry the courier was late" still hands the fault
//! to the courier. Good news delivered by a party is flagged too ("our
//! delivery partner will call you"): in one voice, *we* call you. The finding
//! spans the evidence (cue, party and verb or fault word) so the rep sees why.
//!
//! # How text is matched
//!
//! - A word is a run of letters and digits, with apostrophes allowed inside
//!   ("didn't"). A trailing "'s" is a word of its own, so "courier" is a whole
//!   word of "the courier's". Matches start and end on whole words.
//! - Case does not matter, curly apostrophes equal straight ones, and any run
//!   of whitespace (line breaks included) equals one space. Other punctuation
//!   between words must be as written, so "Sorry, if anything else comes up"
//!   is not "sorry if"; punctuation around a workspace term is ignored.
//! - Exceptions veto built-in rules inside them: "you didn't receive", "you
//!   must have been", "it's only fair", "updated company policy". They never
//!   hide a workspace term.
//! - Findings never overlap. The longer match wins, then the earlier one; on
//!   an exact tie the workspace term wins, as the more specific rule.
//!
//! # Apologies
//!
//! [`is_sincere_apology`] feeds the "time to first apology" metric. An
//! apology word counts when it is not part of a flagged phrase, so "sorry if
//! you feel let down" does not count and "we're sorry we sent the wrong part"
//! does. A minimising phrase anywhere in the text takes the apology back.
//!
//! # What it does not do
//!
//! It reads words, not meaning. It does not follow pronouns ("they lost it"),
//! and it does not judge tone. A clean review is not a good reply; a flagged
//! phrase is a question for the rep, not a verdict.

use std::cmp::Reverse;

use serde::{Deserialize, Serialize};

/// Why a phrase breaks the one voice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Shifts the fault to a department, a supplier, or "not us".
    BlamesOthers,
    /// Tells the customer the problem is their doing.
    BlamesCustomer,
    /// Makes the harm sound small or normal.
    Minimises,
    /// Apologises for the customer's feelings or for harm that may not exist.
    ConditionalApology,
    /// Gives a policy as the reason instead of explaining or helping.
    HidesBehindPolicy,
}

impl Category {
    /// One plain sentence telling the rep what to write instead.
    pub fn advice(self) -> &'static str {
        match self {
            Category::BlamesOthers => {
                "Speak as the company: say what we did and what we are doing, not which team or supplier failed."
            }
            Category::BlamesCustomer => {
                "Say what happened and what we will do next, without telling the customer what they did wrong."
            }
            Category::Minimises => {
                "Acknowledge the harm as the customer describes it instead of calling it small or normal."
            }
            Category::ConditionalApology => {
                "Apologise without conditions and name what we got wrong, e.g. \"We're sorry we sent the wrong part.\""
            }
            Category::HidesBehindPolicy => {
                "Explain in our own words what we can do and why, instead of pointing at a policy."
            }
        }
    }
}

/// One flagged phrase in a reviewed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Which rule the phrase breaks; [`Category::advice`] says what to write instead.
    pub category: Category,
    /// Byte offset of the first byte of the phrase, on a char boundary.
    pub start: usize,
    /// Byte offset one past the phrase, on a char boundary.
    pub end: usize,
    /// The phrase as written: `&text[start..end]`.
    pub phrase: String,
}

/// Reviews a rep's text against the built-in rules and the workspace's own
/// terms. Building one is cheap; the built-in rules are static tables.
#[derive(Debug, Clone, Default)]
pub struct Reviewer {
    /// Workspace terms, in the order they were added.
    terms: Vec<(Category, String)>,
}

impl Reviewer {
    /// A reviewer with the built-in rules only.
    pub fn new() -> Self {
        Self::default()
    }

    /// Workspace-added terms, each flagged wherever it appears as whole words (case-insensitive).
    ///
    /// Terms without a single letter or digit are ignored: they could never match.
    #[must_use]
    pub fn with_terms(mut self, extra: impl IntoIterator<Item = (Category, String)>) -> Self {
        self.terms.extend(extra.into_iter().filter(|(_, term)| spans(term).next().is_some()));
        self
    }

    /// The phrases in `text` that break the one voice, sorted by start and non-overlapping.
    pub fn review(&self, text: &str) -> Vec<Finding> {
        self.review_words(&Text::new(text))
    }

    fn review_words(&self, text: &Text) -> Vec<Finding> {
        // Workspace terms go first so that the stable sort in `resolve` lets them win exact ties.
        let mut found = Vec::new();
        for at in 0..text.words.len() {
            for &(category, ref term) in &self.terms {
                found.extend(text.spell(at, term).map(|end| Match { first: at, end, category }));
            }
        }
        found.extend(built_in_matches(text));
        text.resolve(found)
    }
}

/// Whether the text contains a sincere apology ("sorry", "apologise/apologize", "apologies") that is NOT
/// conditional/minimising ("sorry if you feel", "sorry for any inconvenience" are not sincere). Used for the
/// "time to first apology" metric.
///
/// An apology word counts unless it is part of a flagged phrase. A minimising phrase anywhere takes the
/// apology back ("Sorry, but mistakes happen."), so a text with one never counts.
pub fn is_sincere_apology(text: &str) -> bool {
    let text = Text::new(text);
    let findings = Reviewer::new().review_words(&text);
    let flagged = |word: &Word| findings.iter().any(|finding| finding.start <= word.start && word.end <= finding.end);
    findings.iter().all(|finding| finding.category != Category::Minimises)
        && (0..text.words.len()).any(|at| text.spell_longest(at, APOLOGIES).is_some() && !flagged(&text.words[at]))
}

// ---------------------------------------------------------------------------
// The rules, as data. Every phrase is lowercase and written as it is matched
// (see "How text is matched" above).

/// Fixed phrases and the category each signals.
const PHRASES: &[(Category, &[&str])] = &[
    (Category::BlamesOthers, DEFLECTIONS),
    (Category::BlamesCustomer, BLAMES_CUSTOMER),
    (Category::Minimises, MINIMISES),
    (Category::HidesBehindPolicy, POLICY),
];

/// Blame shifted to no one in particular.
const DEFLECTIONS: &[&str] = &[
    "not our fault",
    "isn't our fault",
    "out of our hands",
    "beyond our control",
    "outside our control",
    "out of our control",
    "not our responsibility",
    "we are not responsible",
    "we're not responsible",
    "we can't be held responsible",
    "we cannot be held responsible",
    "nothing to do with us",
];

const BLAMES_CUSTOMER: &[&str] = &[
    "you should have",
    "you should've",
    "you failed to",
    "you didn't",
    "you did not",
    "as you were told",
    "as you were informed",
    "as you were advised",
    "you must have",
    "you were supposed to",
    "you were meant to",
    "you forgot to",
    "you neglected to",
    "your fault",
    "your own fault",
    "if you had read",
    "had you read",
];

const MINIMISES: &[&str] = &[
    "mistakes happen",
    "accidents happen",
    "these things happen",
    "such things happen",
    "things like this happen",
    "happens to the best of us",
    "at least you",
    "it's only",
    "it is only",
    "it could have been worse",
    "could have been worse",
    "could be worse",
    "not a big deal",
    "isn't a big deal",
    "no big deal",
    "not that big a deal",
    "not the end of the world",
    "on the bright side",
    "look on the bright side",
    "a minor inconvenience",
    "a small inconvenience",
];

const POLICY: &[&str] = &[
    "company policy",
    "it's company policy",
    "it is company policy",
    "as per our policy",
    "as per policy",
    "as per company policy",
    "per our policy",
    "per company policy",
    "our policy states",
    "company policy states",
    "according to our policy",
    "according to company policy",
    "according to our terms",
    "against policy",
    "against our policy",
    "against company policy",
    "per our terms",
    "as per our terms",
    "as stated in our terms",
    "our terms and conditions state",
    "due to policy",
    "due to our policy",
    "due to company policy",
    "because of our policy",
    "not able to due to policy",
    "unable to due to policy",
    "our policy does not allow",
    "our policy doesn't allow",
    "company policy does not allow",
    "company policy doesn't allow",
    "our hands are tied",
    "rules are rules",
];

/// Words that apologise. One followed by a [`HEDGES`] phrase is a conditional apology.
const APOLOGIES: &[&str] = &["sorry", "apologise", "apologize", "apologies", "apology", "apologising", "apologizing"];

/// What turns an apology into a conditional one: "sorry *if*", "apologies *for any* inconvenience".
const HEDGES: &[&str] = &[
    "if",
    "for any",
    "for any inconvenience",
    "for any trouble",
    "for any confusion",
    "for any frustration",
    "for any disappointment",
    "for any delay",
    "for any upset",
    "you feel",
    "you felt",
    "that you feel",
    "that you felt",
];

/// Phrases in which a built-in rule does not apply.
const EXCEPTIONS: &[&str] = &[
    // Empathy or plain fact, not blame.
    "you didn't get",
    "you didn't receive",
    "you didn't hear",
    "you didn't have to",
    "you didn't deserve",
    "you did not get",
    "you did not receive",
    "you did not hear",
    "you did not deserve",
    "you should have received",
    "you should have got",
    "you must have been",
    "you must have felt",
    // Fairness and timing, not size.
    "it's only fair",
    "it's only right",
    "it's only when",
    "it is only fair",
    "it is only right",
    "it is only when",
    // Telling the customer what we changed is the opposite of hiding behind policy.
    "changed company policy",
    "changing company policy",
    "updated company policy",
    "reviewed company policy",
];

/// Words that make the following noun a particular party: "*the* courier", "*our* warehouse".
const DETERMINERS: &[&str] = &["the", "our"];

/// Departments and suppliers, after a determiner.
const PARTIES: &[&str] = &[
    "courier",
    "couriers",
    "courier company",
    "delivery company",
    "delivery partner",
    "delivery driver",
    "carrier",
    "haulier",
    "post office",
    "postal service",
    "shipping company",
    "shipping department",
    "shipping team",
    "dispatch department",
    "dispatch team",
    "warehouse",
    "warehouse team",
    "warehouse staff",
    "manufacturer",
    "manufacturers",
    "factory",
    "supplier",
    "suppliers",
    "vendor",
    "third party",
    "logistics",
    "logistics team",
    "logistics partner",
    "billing department",
    "billing team",
    "accounts department",
    "finance team",
    "sales team",
    "tech team",
    "it department",
    "other department",
];

/// Departments named without a determiner: "logistics sent the wrong item".
const BARE_PARTIES: &[&str] = &["logistics"];

/// Words before a party that make it the culprit.
const BLAME_CUES: &[&str] = &[
    "blame",
    "blamed",
    "blaming",
    "because of",
    "due to",
    "caused by",
    "by",
    "down to",
    "up to",
    "fault of",
    "thanks to",
];

/// Words after a possessive party that make it the culprit: "the courier's *mistake*".
const FAULTS: &[&str] =
    &["fault", "mistake", "error", "problem", "issue", "end", "side", "doing", "responsibility", "failure"];

/// Adverbs allowed between a party and its verb: "the courier *never* arrived".
const ADVERBS: &[&str] =
    &["never", "just", "still", "also", "already", "apparently", "accidentally", "mistakenly", "wrongly"];

/// Verbs that make the party before them the one acting. Any word ending in "-ed" counts as well.
const ACTS: &[&str] = &[
    // Auxiliaries and modals.
    "is",
    "isn't",
    "was",
    "wasn't",
    "are",
    "aren't",
    "were",
    "weren't",
    "been",
    "has",
    "hasn't",
    "had",
    "hadn't",
    "have",
    "haven't",
    "will",
    "won't",
    "would",
    "wouldn't",
    "should",
    "shouldn't",
    "could",
    "couldn't",
    "can",
    "can't",
    "cannot",
    "may",
    "might",
    "must",
    "do",
    "does",
    "doesn't",
    "did",
    "didn't",
    "don't",
    // Common irregular past tenses.
    "broke",
    "broken",
    "brought",
    "came",
    "caught",
    "chose",
    "fell",
    "forgot",
    "forgotten",
    "gave",
    "got",
    "kept",
    "left",
    "let",
    "lost",
    "made",
    "mislaid",
    "misread",
    "put",
    "ran",
    "said",
    "sent",
    "sold",
    "threw",
    "told",
    "took",
    "tore",
    "went",
    "wrote",
    // Present tenses that report what the party did or wants.
    "says",
    "claims",
    "insists",
    "refuses",
    "keeps",
    "needs",
    "wants",
];

/// The built-in rules' matches at every word, exceptions applied.
fn built_in_matches(text: &Text) -> Vec<Match> {
    let mut found = Vec::new();
    let mut excepted = Vec::new();
    for at in 0..text.words.len() {
        for &(category, phrases) in PHRASES {
            for phrase in phrases {
                found.extend(text.spell(at, phrase).map(|end| Match { first: at, end, category }));
            }
        }
        if let Some(apology_end) = text.spell_longest(at, APOLOGIES)
            && let Some(end) = text.then_longest(apology_end, HEDGES)
        {
            found.push(Match { first: at, end, category: Category::ConditionalApology });
        }
        found.extend(text.blamed_party(at));
        excepted.extend(text.spell_longest(at, EXCEPTIONS).map(|end| (at, end)));
    }
    found.retain(|m| !excepted.iter().any(|&(first, end)| first <= m.first && m.end <= end));
    found
}

// ---------------------------------------------------------------------------
// Matching.

/// A match as a range of word indices, `first..end`.
#[derive(Debug, Clone, Copy)]
struct Match {
    first: usize,
    end: usize,
    category: Category,
}

/// One word of the reviewed text: its byte range and its folded form.
#[derive(Debug)]
struct Word {
    start: usize,
    end: usize,
    key: String,
}

/// The reviewed text, split into words once.
struct Text<'a> {
    source: &'a str,
    words: Vec<Word>,
}

impl<'a> Text<'a> {
    fn new(source: &'a str) -> Self {
        let words =
            spans(source).map(|(start, end)| Word { start, end, key: fold(&source[start..end]).collect() }).collect();
        Text { source, words }
    }

    /// If the words from `at` spell `phrase` (same words, same separators), the index one past the last of them.
    fn spell(&self, at: usize, phrase: &str) -> Option<usize> {
        let mut next = at;
        let mut previous_end = None;
        for (start, end) in spans(phrase) {
            let word = self.words.get(next)?;
            if let Some(previous_end) = previous_end
                && !fold_gap(self.gap_before(next)).eq(fold_gap(&phrase[previous_end..start]))
            {
                return None;
            }
            if !word.key.chars().eq(fold(&phrase[start..end])) {
                return None;
            }
            previous_end = Some(end);
            next += 1;
        }
        (next > at).then_some(next)
    }

    /// The end of the longest phrase of `phrases` spelled from `at`.
    fn spell_longest(&self, at: usize, phrases: &[&str]) -> Option<usize> {
        phrases.iter().filter_map(|phrase| self.spell(at, phrase)).max()
    }

    /// [`Text::spell_longest`] for a phrase that continues the previous word after whitespace.
    fn then_longest(&self, at: usize, phrases: &[&str]) -> Option<usize> {
        if !self.spaced(at) {
            return None;
        }
        self.spell_longest(at, phrases)
    }

    /// The start of the longest phrase of `phrases` that ends just before word `end`.
    fn spelled_before(&self, end: usize, phrases: &[&str]) -> Option<usize> {
        phrases
            .iter()
            .filter_map(|phrase| {
                let first = end.checked_sub(spans(phrase).count())?;
                (self.spell(first, phrase) == Some(end)).then_some(first)
            })
            .min()
    }

    /// The text between word `at` and the word before it.
    fn gap_before(&self, at: usize) -> &'a str {
        match at.checked_sub(1) {
            Some(previous) if at < self.words.len() => &self.source[self.words[previous].end..self.words[at].start],
            _ => "",
        }
    }

    /// Whether word `at` exists and is separated from the word before it by whitespace only.
    fn spaced(&self, at: usize) -> bool {
        let gap = self.gap_before(at);
        !gap.is_empty() && gap.chars().all(char::is_whitespace)
    }

    /// Whether word `at` exists, follows whitespace, and is one of `words`.
    fn spaced_word_in(&self, at: usize, words: &[&str]) -> bool {
        self.spaced(at) && words.contains(&self.words[at].key.as_str())
    }

    /// Whether word `at` follows whitespace and is a verb that makes the word before it the actor.
    fn spaced_act(&self, at: usize) -> bool {
        self.spaced(at) && {
            let key = self.words[at].key.as_str();
            ACTS.contains(&key) || (key.ends_with("ed") && key.chars().count() > 3)
        }
    }

    /// The party named at word `at`, as the index one past it: "the courier", "our warehouse team", "logistics".
    fn party(&self, at: usize) -> Option<usize> {
        let is_determiner = self.words.get(at).is_some_and(|word| DETERMINERS.contains(&word.key.as_str()));
        if is_determiner && let Some(end) = self.then_longest(at + 1, PARTIES) {
            return Some(end);
        }
        self.spell_longest(at, BARE_PARTIES)
    }

    /// A department or supplier at word `at` named as the culprit or as an actor apart from us
    /// (see "Departments and suppliers" in the module docs).
    fn blamed_party(&self, at: usize) -> Option<Match> {
        let party_end = self.party(at)?;
        let mut next = party_end;
        // An attached 's is a possessive ("the courier's mistake") or short for has/is ("the courier's lost it").
        // The tokenizer only makes an "'s" word by splitting it off the word before, so it is always attached.
        let possessive = self.words.get(next).is_some_and(|word| word.key == "'s");
        if possessive {
            next += 1;
        }
        while self.spaced_word_in(next, ADVERBS) {
            next += 1;
        }
        let acted = self.spaced_act(next) || (possessive && self.spaced_word_in(next, FAULTS));
        let cue = if self.spaced(at) { self.spelled_before(at, BLAME_CUES) } else { None };
        (acted || cue.is_some()).then(|| Match {
            first: cue.unwrap_or(at),
            end: if acted { next + 1 } else { party_end },
            category: Category::BlamesOthers,
        })
    }

    /// Keeps the longest of overlapping matches (then the earliest; ties keep their order) and turns them into
    /// findings sorted by start.
    fn resolve(&self, mut found: Vec<Match>) -> Vec<Finding> {
        found.sort_by_key(|m| (Reverse(self.words[m.end - 1].end - self.words[m.first].start), m.first));
        let mut taken = vec![false; self.words.len()];
        let mut kept = Vec::new();
        for m in found {
            if taken[m.first..m.end].iter().all(|taken| !taken) {
                taken[m.first..m.end].fill(true);
                kept.push(m);
            }
        }
        kept.sort_by_key(|m| m.first);
        kept.into_iter()
            .map(|m| {
                let (start, end) = (self.words[m.first].start, self.words[m.end - 1].end);
                Finding { category: m.category, start, end, phrase: self.source[start..end].to_owned() }
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Words and folding.

/// Straight, left and right single quotes and the modifier-letter apostrophe: what keyboards and phones type.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{02BC}')
}

fn straighten(c: char) -> char {
    if is_apostrophe(c) { '\'' } else { c }
}

/// A word as it is compared: lowercase, with every apostrophe straight.
fn fold(word: &str) -> impl Iterator<Item = char> + '_ {
    word.chars().map(straighten).flat_map(char::to_lowercase)
}

/// The text between two words as it is compared: [`fold`]ed, with each run of whitespace as one space.
fn fold_gap(gap: &str) -> impl Iterator<Item = char> + '_ {
    let mut after_space = false;
    fold(gap).filter_map(move |c| {
        let space = c.is_whitespace();
        let keep = !(space && after_space);
        after_space = space;
        keep.then_some(if space { ' ' } else { c })
    })
}

/// The words of `text` as byte ranges: runs of letters and digits, with apostrophes allowed between two of them.
/// A final "'s" is split off as a word of its own, so "courier's" is "courier" and "'s".
fn spans(text: &str) -> Spans<'_> {
    Spans { text, position: 0, pending: None }
}

struct Spans<'a> {
    text: &'a str,
    position: usize,
    /// The "'s" split off the previous word, returned next.
    pending: Option<(usize, usize)>,
}

impl Iterator for Spans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        if let Some(span) = self.pending.take() {
            return Some(span);
        }
        let start = self.position + self.text[self.position..].find(char::is_alphanumeric)?;
        let mut end = start;
        // The last apostrophe inside the word, as (its start, the start of what follows it).
        let mut apostrophe = None;
        let mut chars = self.text[start..].char_indices().map(|(offset, c)| (start + offset, c)).peekable();
        while let Some((at, c)) = chars.next() {
            if c.is_alphanumeric() {
                end = at + c.len_utf8();
            } else if is_apostrophe(c) && chars.peek().is_some_and(|&(_, next)| next.is_alphanumeric()) {
                apostrophe = Some((at, at + c.len_utf8()));
            } else {
                break;
            }
        }
        self.position = end;
        if let Some((at, after)) = apostrophe
            && self.text[after..end].eq_ignore_ascii_case("s")
        {
            self.pending = Some((at, end));
            return Some((start, at));
        }
        Some((start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::Category::*;
    use super::*;

    /// Replies and the findings each must produce, as (category, phrase) in order. An empty list means the reply
    /// must not be flagged at all.
    const CASES: &[(&str, &[(Category, &str)])] = &[
        // A department or supplier as the culprit or as an actor apart from us.
        ("The courier lost your parcel.", &[(BlamesOthers, "The courier lost")]),
        ("Our warehouse sent the wrong colour.", &[(BlamesOthers, "Our warehouse sent")]),
        ("It was the manufacturer's mistake.", &[(BlamesOthers, "the manufacturer's mistake")]),
        ("Please don't be angry with us, blame the courier.", &[(BlamesOthers, "blame the courier")]),
        ("The shipping department forgot to add the legs.", &[(BlamesOthers, "The shipping department forgot")]),
        ("Our supplier didn't send enough stock.", &[(BlamesOthers, "Our supplier didn't")]),
        ("The warehouse team packed the wrong item.", &[(BlamesOthers, "The warehouse team packed")]),
        ("Logistics messed up the booking.", &[(BlamesOthers, "Logistics messed")]),
        ("We're sorry the courier was late.", &[(BlamesOthers, "the courier was")]),
        ("Unfortunately the courier never arrived.", &[(BlamesOthers, "the courier never arrived")]),
        ("The delay was caused by our supplier.", &[(BlamesOthers, "caused by our supplier")]),
        ("This happened because of the warehouse.", &[(BlamesOthers, "because of the warehouse")]),
        ("The courier\u{2019}s lost it again.", &[(BlamesOthers, "The courier\u{2019}s lost")]),
        ("It's down to the manufacturer now.", &[(BlamesOthers, "down to the manufacturer")]),
        ("Our delivery partner will call you tomorrow.", &[(BlamesOthers, "Our delivery partner will")]),
        ("That's on the courier's end.", &[(BlamesOthers, "the courier's end")]),
        ("The factory shipped it without the screws.", &[(BlamesOthers, "The factory shipped")]),
        ("The couriers have been on strike.", &[(BlamesOthers, "The couriers have")]),
        ("The   COURIER\n lost it.", &[(BlamesOthers, "The   COURIER\n lost")]),
        ("We're sorry that the sales team told you otherwise.", &[(BlamesOthers, "the sales team told")]),
        // Deflection.
        ("It's not our fault.", &[(BlamesOthers, "not our fault")]),
        ("I'm afraid this is out of our hands.", &[(BlamesOthers, "out of our hands")]),
        ("The storm was beyond our control.", &[(BlamesOthers, "beyond our control")]),
        // Blaming the customer.
        ("You should have checked the size guide.", &[(BlamesCustomer, "You should have")]),
        ("You failed to sign for the parcel.", &[(BlamesCustomer, "You failed to")]),
        ("You didn't enter a flat number.", &[(BlamesCustomer, "You didn't")]),
        ("You didn\u{2019}t book a slot.", &[(BlamesCustomer, "You didn\u{2019}t")]),
        ("You did not read the terms.", &[(BlamesCustomer, "You did not")]),
        ("As you were told on the phone, it ships Monday.", &[(BlamesCustomer, "As you were told")]),
        ("You must have entered the wrong address.", &[(BlamesCustomer, "You must have")]),
        ("You were supposed to be home between 9 and 5.", &[(BlamesCustomer, "You were supposed to")]),
        // Minimising.
        ("Mistakes happen.", &[(Minimises, "Mistakes happen")]),
        ("At least you got a refund.", &[(Minimises, "At least you")]),
        ("It's only a two-day delay.", &[(Minimises, "It's only")]),
        ("It\u{2019}s only one chair.", &[(Minimises, "It\u{2019}s only")]),
        ("These things happen sometimes.", &[(Minimises, "These things happen")]),
        ("It could have been worse.", &[(Minimises, "It could have been worse")]),
        ("Honestly, it's not a big deal.", &[(Minimises, "not a big deal")]),
        ("Look on the bright side: it arrived.", &[(Minimises, "Look on the bright side")]),
        // Conditional apologies.
        ("Sorry if you feel let down.", &[(ConditionalApology, "Sorry if")]),
        ("We're sorry if you were inconvenienced.", &[(ConditionalApology, "sorry if")]),
        ("We apologize for any inconvenience.", &[(ConditionalApology, "apologize for any inconvenience")]),
        ("Sorry for any inconvenience caused.", &[(ConditionalApology, "Sorry for any inconvenience")]),
        ("Apologies if this wasn't clear.", &[(ConditionalApology, "Apologies if")]),
        ("We apologise for any trouble this may have caused.", &[(ConditionalApology, "apologise for any trouble")]),
        ("We're sorry you feel that way.", &[(ConditionalApology, "sorry you feel")]),
        ("SORRY   IF\nthat upset you.", &[(ConditionalApology, "SORRY   IF")]),
        // Hiding behind policy.
        ("As per our policy, refunds take 30 days.", &[(HidesBehindPolicy, "As per our policy")]),
        ("That is against company policy.", &[(HidesBehindPolicy, "against company policy")]),
        ("Our policy states that returns must be unopened.", &[(HidesBehindPolicy, "Our policy states")]),
        ("Per our terms, we can't refund shipping.", &[(HidesBehindPolicy, "Per our terms")]),
        ("We are not able to due to policy.", &[(HidesBehindPolicy, "not able to due to policy")]),
        ("Company policy doesn't allow refunds on sale items.", &[(HidesBehindPolicy, "Company policy doesn't allow")]),
        ("It's company policy, I'm afraid.", &[(HidesBehindPolicy, "It's company policy")]),
        ("Our hands are tied here.", &[(HidesBehindPolicy, "Our hands are tied")]),
        // Several in one reply.
        (
            "Sorry if you feel let down, but the courier lost it.",
            &[(ConditionalApology, "Sorry if"), (BlamesOthers, "the courier lost")],
        ),
        (
            "Mistakes happen, and it's not our fault.",
            &[(Minimises, "Mistakes happen"), (BlamesOthers, "not our fault")],
        ),
        (
            "As per our policy, you should have reported it within 7 days.",
            &[(HidesBehindPolicy, "As per our policy"), (BlamesCustomer, "you should have")],
        ),
        // The company speaking for itself, and neutral uses of flagged words.
        ("We fixed the shipping label ourselves.", &[]),
        ("We have booked a new delivery for Tuesday.", &[]),
        ("We've spoken to our delivery partner and rebooked it for Tuesday.", &[]),
        ("We\u{2019}ve asked the courier to collect the broken chair tomorrow.", &[]),
        ("We contacted the manufacturer and a new part is on its way.", &[]),
        ("We've emailed the warehouse team and we'll update you by 15:00.", &[]),
        ("We called the courier this morning and they're bringing it back.", &[]),
        ("We refunded the courier fee in full.", &[]),
        ("We've written to the courier's head office for you.", &[]),
        ("The warehouse address is on your returns label.", &[]),
        ("Your replacement was sent by courier this morning.", &[]),
        ("Sorry, that was our mistake and we're fixing it today.", &[]),
        ("We're so sorry, we got this wrong.", &[]),
        ("We are sorry we let you down, and we will make it right.", &[]),
        ("At least once a week we review our process.", &[]),
        ("We'll call you at least a day before the engineer visits.", &[]),
        ("We changed our policy so this won't happen again.", &[]),
        ("We've updated company policy so this won't happen again.", &[]),
        ("We're sorry you didn't receive the parcel on time.", &[]),
        ("You must have been so frustrated waiting all day.", &[]),
        ("It's only fair that we refund the delivery charge.", &[]),
        ("We'll refund you today. Sorry, if anything else comes up, tell us.", &[]),
        ("If you'd like, we can send a replacement or a full refund.", &[]),
        ("Mistakes happened in our packing, and we have changed how we pack glass.", &[]),
        ("We blamed nobody but ourselves.", &[]),
        ("Thank you for your patience while we sort this out.", &[]),
    ];

    #[test]
    fn flags_exactly_the_phrases_in_the_table() {
        let reviewer = Reviewer::new();
        for &(text, expected) in CASES {
            let findings = reviewer.review(text);
            assert_eq!(flagged(&findings), expected, "reviewing {text:?}");
            for finding in &findings {
                assert_eq!(text.get(finding.start..finding.end), Some(finding.phrase.as_str()), "span in {text:?}");
            }
            for pair in findings.windows(2) {
                assert!(pair[0].end <= pair[1].start, "findings overlap or are unsorted in {text:?}");
            }
        }
    }

    #[test]
    fn table_covers_enough_flagged_and_clean_replies() {
        let clean = CASES.iter().filter(|(_, expected)| expected.is_empty()).count();
        assert!(CASES.len() >= 60, "{} rows", CASES.len());
        assert!(clean >= 15, "{clean} clean rows");
    }

    /// The findings as (category, phrase) pairs, for compact asserts.
    fn flagged(findings: &[Finding]) -> Vec<(Category, &str)> {
        findings.iter().map(|finding| (finding.category, finding.phrase.as_str())).collect()
    }

    #[test]
    fn spans_are_byte_offsets_after_non_ascii_text() {
        // "İ" is two bytes but lowercases to three: offsets must come from the text as written.
        let text = "İİ Très désolé — naïve café: the courier lost it. Désolé, it’s only a day.";
        let findings = Reviewer::new().review(text);
        assert_eq!(flagged(&findings), [(BlamesOthers, "the courier lost"), (Minimises, "it’s only")]);
        let courier = text.find("the courier lost").unwrap();
        let only = text.find("it’s only").unwrap();
        assert_eq!((findings[0].start, findings[0].end), (courier, courier + "the courier lost".len()));
        assert_eq!((findings[1].start, findings[1].end), (only, only + "it’s only".len()));
    }

    #[test]
    fn matches_only_whole_words() {
        let reviewer = Reviewer::new();
        assert!(reviewer.review("Mistakes happened, and we are fixing them.").is_empty());
        assert!(reviewer.review("You didn'tt see it").is_empty());
        assert!(reviewer.review("unsorry if").is_empty());
        assert!(reviewer.review("the couriered parcel").is_empty());
    }

    #[test]
    fn workspace_terms_are_flagged_wherever_they_appear() {
        let reviewer = Reviewer::new().with_terms([(BlamesOthers, "DHL".to_owned())]);
        let findings = reviewer.review("We've booked dhl for Tuesday; DHL's van is on its way.");
        assert_eq!(flagged(&findings), [(BlamesOthers, "dhl"), (BlamesOthers, "DHL")]);
        assert!(reviewer.review("DHLX and ADHL are other words.").is_empty());
    }

    #[test]
    fn workspace_terms_tolerate_case_whitespace_and_apostrophes() {
        let reviewer = Reviewer::new().with_terms([(HidesBehindPolicy, "Head Office's rules".to_owned())]);
        let text = "Sadly HEAD\n  office\u{2019}s Rules say no.";
        let findings = reviewer.review(text);
        assert_eq!(flagged(&findings), [(HidesBehindPolicy, "HEAD\n  office\u{2019}s Rules")]);
        assert_eq!(&text[findings[0].start..findings[0].end], findings[0].phrase);
    }

    #[test]
    fn workspace_terms_keep_their_inner_punctuation() {
        let reviewer = Reviewer::new().with_terms([(HidesBehindPolicy, "(T&Cs)".to_owned())]);
        let findings = reviewer.review("See our t&cs.");
        assert_eq!(flagged(&findings), [(HidesBehindPolicy, "t&cs")]);
        assert!(reviewer.review("T Cs and T-Cs are not it.").is_empty());
    }

    #[test]
    fn terms_without_words_are_ignored() {
        let reviewer = Reviewer::new().with_terms([(Minimises, "   ".to_owned()), (Minimises, "?!".to_owned())]);
        assert!(reviewer.review("Nothing to see ?! here").is_empty());
        assert_eq!(reviewer.review("Mistakes happen."), Reviewer::new().review("Mistakes happen."));
    }

    #[test]
    fn exceptions_never_hide_a_workspace_term() {
        let reviewer = Reviewer::new().with_terms([(HidesBehindPolicy, "company policy".to_owned())]);
        let findings = reviewer.review("We've updated company policy so this won't happen again.");
        assert_eq!(flagged(&findings), [(HidesBehindPolicy, "company policy")]);
    }

    #[test]
    fn workspace_term_wins_an_exact_tie_and_the_longer_match_wins_otherwise() {
        let reviewer = Reviewer::new()
            .with_terms([(BlamesCustomer, "it's only".to_owned()), (BlamesOthers, "our policy".to_owned())]);
        assert_eq!(flagged(&reviewer.review("It's only a day.")), [(BlamesCustomer, "It's only")]);
        assert_eq!(flagged(&reviewer.review("As per our policy, no.")), [(HidesBehindPolicy, "As per our policy")]);
    }

    #[test]
    fn sincere_apology_is_recognised() {
        assert!(is_sincere_apology("We're so sorry, we got this wrong."));
        assert!(is_sincere_apology("Please accept our apologies \u{2014} we sent the wrong part."));
        assert!(is_sincere_apology("WE APOLOGISE: the chair should have had four legs."));
        assert!(is_sincere_apology("Sorry, that was our mistake and we're fixing it today."));
    }

    #[test]
    fn conditional_apology_is_not_sincere() {
        assert!(!is_sincere_apology("Sorry if you feel let down"));
        assert!(!is_sincere_apology("We apologize for any inconvenience"));
        assert!(!is_sincere_apology("Apologies if that wasn't clear."));
    }

    #[test]
    fn sincere_apology_after_a_conditional_one_still_counts() {
        assert!(is_sincere_apology("Sorry if you feel let down. We're truly sorry we sent the wrong chair."));
    }

    #[test]
    fn minimising_takes_the_apology_back() {
        assert!(!is_sincere_apology("Sorry, but mistakes happen."));
        assert!(!is_sincere_apology("We're sorry. At least you got it in the end."));
    }

    #[test]
    fn text_without_an_apology_is_not_one() {
        assert!(!is_sincere_apology("Thanks for your patience, we're on it."));
        assert!(!is_sincere_apology(""));
        assert!(!is_sincere_apology("Our team is unapologetic about quality."));
    }

    #[test]
    fn every_category_has_one_sentence_of_advice() {
        for category in [BlamesOthers, BlamesCustomer, Minimises, ConditionalApology, HidesBehindPolicy] {
            let advice = category.advice();
            assert!(advice.ends_with('.') || advice.ends_with(".\""), "{category:?}: {advice}");
            assert!(advice.chars().next().is_some_and(char::is_uppercase), "{category:?}: {advice}");
        }
    }

    #[test]
    fn findings_serialize_with_snake_case_categories() {
        let finding = Finding { category: ConditionalApology, start: 0, end: 8, phrase: "Sorry if".into() };
        let json = serde_json::to_string(&finding).unwrap();
        assert_eq!(json, r#"{"category":"conditional_apology","start":0,"end":8,"phrase":"Sorry if"}"#);
        assert_eq!(serde_json::from_str::<Finding>(&json).unwrap(), finding);
        assert_eq!(serde_json::to_string(&HidesBehindPolicy).unwrap(), r#""hides_behind_policy""#);
    }
}
