//! How a pattern regex is compiled forward (`pattern::Forward`), and the
//! dense DFAs that `build.rs` makes with it for the built-in regexes.
//!
//! Compiling a regex is most of what a pattern rule costs: parsing it,
//! translating it and building its NFA took 38 ms of the 319 ms that one
//! thread spends on 8 MB of news (318 regexes), and two thirds of those
//! regexes never match there. A dense DFA made at build time answers "is
//! there a match, and where does the first one end" with nothing compiled
//! at run time; the NFA (for the groups) is compiled when the DFA first
//! finds a match. This file is shared with `build.rs`, so the DFA is made
//! from the NFA the run-time compiles, with the same settings; a test
//! rebuilds every embedded DFA and compares the bytes.

use regex_automata::dfa::{StartKind, dense};
use regex_automata::nfa::thompson::{self, NFA};
use regex_automata::util::syntax;

/// Largest compiled regex (the regex crate's default is 10 MiB).
pub const REGEX_SIZE_LIMIT: usize = 4 << 20;

/// Largest DFA embedded for one regex. 581 of the 591 built-in regexes
/// that run on the ASCII view fit, in 7.5 MB; the ten that do not (long
/// case-insensitive alternations followed by a bounded repetition: up to
/// 770 KB each) are compiled at run time. So are the 4 of the 63 that run
/// with Unicode whose DFA is larger.
const DFA_LIMIT: usize = 64 << 10;

/// The regex syntax of the engine's regexes: without Unicode on the ASCII
/// view.
pub fn syntax_config(ascii: bool) -> syntax::Config {
    syntax::Config::new().unicode(!ascii).utf8(!ascii)
}

/// The forward NFA's settings, with every capture group.
fn nfa_config(ascii: bool) -> thompson::Config {
    thompson::Config::new()
        .utf8(!ascii)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .shrink(false)
        .which_captures(thompson::WhichCaptures::All)
}

/// The forward NFA of `src` with the shortest and longest match in bytes;
/// `None` when it does not compile or can match the empty string (the
/// regex crate's engine takes those).
pub fn forward_nfa(src: &str, ascii: bool) -> Option<(NFA, usize, Option<usize>)> {
    let hir = syntax::parse_with(src, &syntax_config(ascii)).ok()?;
    let nfa = thompson::Compiler::new()
        .configure(nfa_config(ascii))
        .build_from_hir(&hir)
        .ok()?;
    if nfa.has_empty() {
        return None;
    }
    let p = hir.properties();
    Some((nfa, p.minimum_len().unwrap_or(0), p.maximum_len()))
}

/// The dense DFA of a regex (for the ASCII view, or with Unicode), as
/// little-endian bytes (what `dense::DFA::from_bytes` reads), with its
/// shortest and longest match; `None` when the regex has no forward NFA
/// or its DFA is larger than [`DFA_LIMIT`]. Searches are unanchored only.
/// As the lazy DFA does, it gives up on a non-ASCII byte next to a
/// Unicode word boundary (the PikeVM then answers).
pub fn dense_dfa(src: &str, ascii: bool) -> Option<(Vec<u8>, usize, Option<usize>)> {
    let (nfa, min, max) = forward_nfa(src, ascii)?;
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Unanchored)
                .unicode_word_boundary(true)
                .minimize(true)
                .dfa_size_limit(Some(DFA_LIMIT))
                .determinize_size_limit(Some(16 * DFA_LIMIT)),
        )
        .build_from_nfa(&nfa)
        .ok()?;
    let (bytes, pad) = dfa.to_bytes_little_endian();
    Some((bytes[pad..].to_vec(), min, max))
}
