//! A long document is checked in pieces (cut at blank lines, on several
//! threads): every finding must be the one a whole check of that part gives,
//! at the right offset.

use calque::document::Format;
use calque::engine::{self, RuleSet};

#[test]
fn a_long_document_checked_in_pieces_finds_what_each_part_finds() {
    let seed = std::fs::read_to_string("fixtures/seed/article.en.txt").unwrap();
    let set = RuleSet::load(&[], true).unwrap();
    // Name consistency compares spellings across a whole piece: skip it.
    let local = |f: &calque::finding::Finding| !f.rule.starts_with("consistency/");
    let part = format!("{}\n\n", seed.trim_end());
    // The first of two copies: a copy followed by more text (a leaked last
    // line is deleted with the blank line after it, not before).
    let one: Vec<_> = calque::check_text(&set, &part.repeat(2), Format::Text)
        .into_iter()
        .filter(|f| local(f) && f.span.start < part.len())
        .collect();
    assert!(one.len() > 5);
    let n = 3 * engine::CHUNK / part.len();
    let big = part.repeat(n);
    for threads in [1, 2] {
        engine::set_document_threads(threads);
        let all: Vec<_> = calque::check_text(&set, &big, Format::Text)
            .into_iter()
            .filter(local)
            .collect();
        assert_eq!(all.len(), n * one.len(), "threads {threads}");
        for (k, chunk) in all.chunks(one.len()).enumerate().take(n - 1) {
            let base = k * part.len();
            for (a, b) in one.iter().zip(chunk) {
                assert_eq!(
                    (&*a.rule, a.span.start + base, a.span.end + base),
                    (&*b.rule, b.span.start, b.span.end),
                    "copy {k}, threads {threads}"
                );
                let shift = |s: &calque::finding::Suggestion| -> Vec<(usize, usize, String)> {
                    s.edits
                        .iter()
                        .map(|e| (e.start, e.end, e.replacement.clone()))
                        .collect()
                };
                for (sa, sb) in a.suggestions.iter().zip(&b.suggestions) {
                    let ea: Vec<_> = shift(sa)
                        .into_iter()
                        .map(|(s, e, r)| (s + base, e + base, r))
                        .collect();
                    assert_eq!(ea, shift(sb));
                }
            }
        }
    }
    engine::set_document_threads(1);
}

/// Pieces are cut on line breaks whatever chars sit at the nominal cut
/// points (multi-byte dashes and accents everywhere), with no panic.
#[test]
fn cuts_fall_on_line_breaks_in_multibyte_text() {
    let set = RuleSet::load(&[], true).unwrap();
    let para = "Élodie – “déjà vu” — naïve ça ŝ.\nLigne deux – é.\n\n";
    let big = para.repeat(2 * engine::CHUNK / para.len() + 7);
    // The first nominal cut falls inside a char (a slice there panics).
    assert!(!big.is_char_boundary(engine::CHUNK));
    for threads in [1, 2] {
        engine::set_document_threads(threads);
        let _ = calque::check_text(&set, &big, Format::Text);
        let _ = calque::check_text(&set, &big[3..], Format::Markdown);
    }
    engine::set_document_threads(1);
}
