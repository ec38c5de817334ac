//! A ticket's reference: what a customer reads to a rep on the phone or
//! types into an email (`ACM-7KQ-3TF`), where the ticket's 32-character
//! id is neither.
//!
//! Each workspace numbers its tickets 1, 2, 3, … (the worker keeps the
//! count); the reference is that number written in [`ALPHABET`], which
//! has no `0`/`O` and no `1`/`I`/`L`, after a bijective shuffle, so
//! references stay unique within the workspace without looking like a
//! count a competitor could read. The prefix is up to three letters of the
//! workspace's id. A reference names a ticket; it grants nothing: only a
//! workspace's reps can look one up.
//!
//! [`Reference::number_in`] reads one back the way people type it: any
//! case, with or without the prefix, dashes or spaces.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::input::WorkspaceId;

/// The characters of a reference: digits and capitals a person can read
/// aloud and type without confusing two (no `0 O 1 I L`). 31, a prime, so
/// every multiplier below 31 is invertible modulo its powers.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const BASE: u64 = ALPHABET.len() as u64;
/// The fewest characters after the prefix: 31⁶ ≈ 887 million tickets.
const SHORTEST: u32 = 6;
/// The most: a text longer than this is not a reference (a ticket id is 32).
const LONGEST: u32 = 9;
/// Each round of the shuffle is `x ↦ (x × MIX + key) mod 31^width`, then
/// the code's two halves swapped; `MIX` is not a multiple of 31, so every
/// round is a bijection, and three leave neighbours looking unrelated.
const MIX: u64 = 2_654_435_769;
const ROUNDS: u64 = 3;

/// A ticket's reference as people read it (`ACM-7KQ-3TF`): the
/// workspace's prefix, then the code in groups of three.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Reference(String);

impl Reference {
    /// The reference of ticket `number` (counted from 1) of `workspace`.
    pub fn new(workspace: &WorkspaceId, number: u64) -> Self {
        let width = width_of(number);
        let mixed = shuffle(number, width, offset(workspace));
        let mut code = vec![ALPHABET[0]; width as usize];
        let mut rest = mixed;
        for slot in code.iter_mut().rev() {
            *slot = ALPHABET[(rest % BASE) as usize];
            rest /= BASE;
        }
        let groups: Vec<&str> = code.chunks(3).map(|group| std::str::from_utf8(group).unwrap_or_default()).collect();
        let prefix = prefix(workspace);
        let code = groups.join("-");
        Self(if prefix.is_empty() { code } else { format!("{prefix}-{code}") })
    }

    /// The reference as shown.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number of the ticket `text` refers to in `workspace`, read as a
    /// person types it: any case, with or without the workspace's prefix,
    /// dashes or spaces. `None` if it cannot be one of the workspace's.
    /// (Past 31⁶ tickets a code typed without its prefix may start with
    /// the prefix's letters and be read as a shorter one.)
    pub fn number_in(workspace: &WorkspaceId, text: &str) -> Option<u64> {
        let typed: String =
            text.chars().filter(|c| !matches!(c, '-' | ' ' | '.' | '_')).map(|c| c.to_ascii_uppercase()).collect();
        let prefix = prefix(workspace);
        // With its prefix if it carries it, else as the code alone.
        let code = typed.strip_prefix(prefix.as_str()).filter(|code| decode(workspace, code).is_some());
        decode(workspace, code.unwrap_or(&typed))
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The number `code` (no prefix, no dashes) stands for in `workspace`.
fn decode(workspace: &WorkspaceId, code: &str) -> Option<u64> {
    let width = u32::try_from(code.len()).ok().filter(|w| (SHORTEST..=LONGEST).contains(w))?;
    let mut mixed: u64 = 0;
    for byte in code.bytes() {
        let digit = ALPHABET.iter().position(|&c| c == byte)?;
        mixed = mixed * BASE + digit as u64;
    }
    let number = unshuffle(mixed, width, offset(workspace));
    // Each number has one width: a shorter one written long is no reference.
    (number >= 1 && width_of(number) == width).then_some(number)
}

/// The number written as the code: [`ROUNDS`] rounds of multiply, add
/// the workspace's key, swap the halves, modulo `31^width`.
fn shuffle(number: u64, width: u32, key: u64) -> u64 {
    let modulus = u128::from(BASE.pow(width));
    let mut x = u128::from(number);
    for round in 0..ROUNDS {
        x = (x * u128::from(MIX) + u128::from(round_key(key, round)) % modulus) % modulus;
        x = swap_halves(x, width, width / 2);
    }
    x as u64
}

/// [`shuffle`] undone.
fn unshuffle(mixed: u64, width: u32, key: u64) -> u64 {
    let modulus = BASE.pow(width);
    let wide = u128::from(modulus);
    let undo = u128::from(inverse(MIX % modulus, modulus));
    let mut x = u128::from(mixed);
    for round in (0..ROUNDS).rev() {
        x = swap_halves(x, width, width - width / 2);
        x = (x + wide - u128::from(round_key(key, round)) % wide) % wide * undo % wide;
    }
    x as u64
}

/// `x`, `width` digits long, with its last `low` digits moved to the front.
fn swap_halves(x: u128, width: u32, low: u32) -> u128 {
    let split = u128::from(BASE.pow(low));
    (x % split) * u128::from(BASE.pow(width - low)) + x / split
}

fn round_key(key: u64, round: u64) -> u64 {
    key.rotate_left((round * 21) as u32) ^ round
}

/// How many characters number `n` is written in.
fn width_of(n: u64) -> u32 {
    let mut width = SHORTEST;
    while width < LONGEST && n >= BASE.pow(width) {
        width += 1;
    }
    width
}

/// Up to three capitals of the workspace's id that are in [`ALPHABET`]
/// (`acme` → `ACM`, `globex` → `GBE`); empty for an id with none.
fn prefix(workspace: &WorkspaceId) -> String {
    workspace
        .as_str()
        .bytes()
        .map(|b| b.to_ascii_uppercase())
        .filter(|b| b.is_ascii_alphabetic() && ALPHABET.contains(b))
        .take(3)
        .map(char::from)
        .collect()
}

/// A workspace's own shift of the shuffle (FNV-1a of its id), so two
/// workspaces' first tickets do not share a code.
fn offset(workspace: &WorkspaceId) -> u64 {
    workspace
        .as_str()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, b| (hash ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// `a`'s inverse modulo `m` (they are coprime: `m` is a power of 31 and
/// `a` is not a multiple of 31).
fn inverse(a: u64, m: u64) -> u64 {
    let (mut old_r, mut r) = (i128::from(a), i128::from(m));
    let (mut old_s, mut s) = (1_i128, 0_i128);
    while r != 0 {
        let q = old_r / r;
        (old_r, r) = (r, old_r - q * r);
        (old_s, s) = (s, old_s - q * s);
    }
    old_s.rem_euclid(i128::from(m)) as u64
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use proptest::prelude::*;

    use super::*;

    fn ws(id: &str) -> WorkspaceId {
        WorkspaceId::parse(id).unwrap()
    }

    #[test]
    fn reads_as_prefix_and_groups_of_three() {
        let reference = Reference::new(&ws("acme"), 1).to_string();
        assert_eq!(reference.len(), "ACM-7KQ-3TF".len(), "{reference}");
        assert!(reference.starts_with("ACM-"), "{reference}");
        assert_eq!(reference.as_bytes()[7], b'-');
        assert!(reference[4..].bytes().all(|b| b == b'-' || ALPHABET.contains(&b)), "{reference}");
        let json = serde_json::to_value(Reference::new(&ws("acme"), 1)).unwrap();
        assert_eq!(json, serde_json::json!(reference));
        assert_eq!(serde_json::from_value::<Reference>(json).unwrap(), Reference::new(&ws("acme"), 1));
    }

    #[test]
    fn no_character_a_person_could_mistake() {
        for confusable in b"0O1IL" {
            assert!(!ALPHABET.contains(confusable), "{}", *confusable as char);
        }
        for n in 1..5_000 {
            let reference = Reference::new(&ws("globex"), n).to_string();
            assert!(!reference.bytes().any(|b| b"0O1IL".contains(&b)), "{reference}");
        }
    }

    #[test]
    fn prefixes_take_what_can_be_read() {
        let head = |id: &str| Reference::new(&ws(id), 1).to_string().split('-').next().unwrap().to_owned();
        assert_eq!(head("acme"), "ACM");
        assert_eq!(head("globex"), "GBE");
        assert_eq!(head("initrode"), "NTR");
        // No letters to take: the code alone.
        assert_eq!(Reference::new(&ws("2024"), 1).to_string().len(), "7KQ-3TF".len());
    }

    #[test]
    fn unique_within_a_workspace_and_different_across_two() {
        let acme: HashSet<String> = (1..=100_000).map(|n| Reference::new(&ws("acme"), n).to_string()).collect();
        assert_eq!(acme.len(), 100_000);
        assert_ne!(Reference::new(&ws("acme"), 1), Reference::new(&ws("acme-eu"), 1));
        // Neighbours do not look like neighbours.
        let (one, two) = (Reference::new(&ws("acme"), 1), Reference::new(&ws("acme"), 2));
        assert_ne!(one.as_str()[..9], two.as_str()[..9], "{one} {two}");
    }

    #[test]
    fn read_back_as_people_type_it() {
        let acme = ws("acme");
        let reference = Reference::new(&acme, 42).to_string();
        let code = reference.trim_start_matches("ACM-");
        for typed in [
            reference.clone(),
            reference.to_lowercase(),
            reference.replace('-', ""),
            reference.replace('-', " "),
            code.to_owned(),
            code.replace('-', "").to_lowercase(),
        ] {
            assert_eq!(Reference::number_in(&acme, &typed), Some(42), "{typed}");
        }
    }

    #[test]
    fn what_is_no_reference_of_the_workspace() {
        let acme = ws("acme");
        let theirs = Reference::new(&ws("globex"), 42).to_string();
        assert_ne!(Reference::number_in(&acme, &theirs), Some(42));
        for typed in ["", "ACM", "ACM-7K", "ACM-0KQ-3TF", "ACM-7KQ-3T!", "3f2a9c0d1e4b5a6978c0d1e2f3a4b5c6"] {
            assert_eq!(Reference::number_in(&acme, typed), None, "{typed}");
        }
    }

    #[test]
    fn wider_past_31_to_the_sixth() {
        let acme = ws("acme");
        let last_short = BASE.pow(6) - 1;
        assert_eq!(Reference::new(&acme, last_short).as_str().len(), "ACM-7KQ-3TF".len());
        assert_eq!(Reference::new(&acme, last_short + 1).to_string().len(), "ACM-7KQ-3TF-X".len());
        for n in [last_short, last_short + 1, BASE.pow(7) + 12] {
            assert_eq!(Reference::number_in(&acme, &Reference::new(&acme, n).to_string()), Some(n));
        }
    }

    proptest! {
        #[test]
        fn every_reference_reads_back_to_its_number(n in 1u64..BASE.pow(8), id in "[a-z0-9_-]{1,40}") {
            let workspace = ws(&id);
            let reference = Reference::new(&workspace, n);
            prop_assert_eq!(Reference::number_in(&workspace, reference.as_str()), Some(n));
            // The code alone is read back while it is six characters; a
            // longer one could start with the prefix.
            let code = reference.as_str().rsplitn(3, '-').collect::<Vec<_>>();
            if n < BASE.pow(6) {
                prop_assert_eq!(Reference::number_in(&workspace, &format!("{}{}", code[1], code[0])), Some(n));
            }
        }
    }
}
