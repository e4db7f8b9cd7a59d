//! One document checked with a spare core: the automaton is built on the
//! spare thread, and the regexes the document needs are compiled there too,
//! from the last one down, while this thread runs the rules in order. The
//! findings must be those of a check on one thread, rule set cold each time.

use calque::document::Format;
use calque::engine::{self, RuleSet};

fn findings(text: &str, threads: usize) -> Vec<String> {
    engine::set_document_threads(threads);
    // A fresh rule set: no regex compiled yet.
    let set = RuleSet::load(&[], true).unwrap();
    calque::check_text(&set, text, Format::Text)
        .iter()
        .map(|f| format!("{} {:?} {}", f.rule, f.span, f.message))
        .collect()
}

#[test]
fn a_spare_thread_changes_no_finding() {
    let seed = std::fs::read_to_string("fixtures/seed/article.en.txt").unwrap();
    let fixed = std::fs::read_to_string("fixtures/seed/article.fixed.txt").unwrap();
    for text in [seed.as_str(), fixed.as_str(), "", "Le gouvernement a dit."] {
        let one = findings(text, 1);
        // the seed needs dozens of regexes: enough for a helper
        assert!(text != seed || one.len() > 15, "{}", one.len());
        for _ in 0..3 {
            assert_eq!(findings(text, 2), one);
        }
    }
    engine::set_document_threads(1);
}
