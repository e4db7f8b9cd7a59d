//! Every built-in rule's examples pass, every rule has an explanation,
//! README.md's pack table is what `calque rules --format packs` prints and
//! docs/rules.md's rule table what `calque rules --format markdown` prints.

use calque::engine::RuleSet;

#[test]
fn builtin_rule_examples_pass() {
    let set = RuleSet::load(&[], true).expect("built-in rules compile");
    assert!(set.rules.len() >= 20);
    let fails = calque::cli::run_examples(&set);
    let msgs: Vec<String> = fails
        .iter()
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    assert!(
        msgs.is_empty(),
        "rule examples failed:\n{}",
        msgs.join("\n")
    );
}

/// The text between `<!-- rules:start -->` and `<!-- rules:end -->` of a file.
fn between_markers(path: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let start = text
        .find("<!-- rules:start -->")
        .unwrap_or_else(|| panic!("{path} has the rules table markers"));
    let end = text.find("<!-- rules:end -->").unwrap();
    text[start + "<!-- rules:start -->".len()..end]
        .trim()
        .to_string()
}

#[test]
fn readme_pack_table_is_in_sync() {
    let set = RuleSet::load(&[], true).unwrap();
    assert_eq!(
        between_markers("README.md"),
        calque::cli::packs_markdown(&set).trim(),
        "README.md pack table is stale: regenerate with `calque rules --format packs`"
    );
}

#[test]
fn docs_rule_table_is_in_sync() {
    let set = RuleSet::load(&[], true).unwrap();
    assert_eq!(
        between_markers("docs/rules.md"),
        calque::cli::rules_markdown(&set).trim(),
        "docs/rules.md is stale: regenerate with `calque rules --format markdown`"
    );
}

#[test]
fn every_rule_kind_is_used_and_explained() {
    let set = RuleSet::load(&[], true).unwrap();
    for kind in calque::rules::KINDS {
        assert!(
            set.rules.iter().any(|r| r.meta.kind == *kind),
            "no built-in rule of kind {kind}"
        );
    }
    for r in &set.rules {
        assert!(
            r.meta.explain().len() > 80,
            "{} explain is too short",
            r.meta.id
        );
    }
}

#[test]
fn measured_figures_name_existing_rules() {
    // rules/metrics.tsv is written by scripts/measure.py; regenerate it with
    // `cargo build --release && python3 scripts/measure.py` after adding,
    // renaming or removing a rule.
    let set = RuleSet::load(&[], true).unwrap();
    let table =
        calque::metrics::parse(calque::metrics::METRICS_TSV).expect("rules/metrics.tsv parses");
    assert!(!table.is_empty(), "rules/metrics.tsv lists no rule");
    let mut unknown: Vec<&String> = table.keys().filter(|id| set.get(id).is_none()).collect();
    unknown.sort();
    assert!(
        unknown.is_empty(),
        "rules/metrics.tsv lists rules that do not exist (regenerate with scripts/measure.py): {unknown:?}"
    );
    // Rules added since the last measurement are simply shown unmeasured.
}

/// A regex that `ascii_safe` sends to the ASCII view finds the same
/// matches there as on the text: checked for every such built-in rule on
/// every rule example (accents, curly quotes, dashes, CJK) and the seed.
#[test]
fn ascii_view_matches_like_the_text() {
    use calque::engine::Imp;
    let set = RuleSet::load(&[], true).expect("built-in rules compile");
    let mut texts: Vec<String> = set
        .rules
        .iter()
        .flat_map(|r| r.meta.examples().bad.iter().chain(&r.meta.examples().good))
        .cloned()
        .collect();
    texts.push(std::fs::read_to_string("fixtures/seed/article.en.txt").unwrap());
    texts.push("Zürich’s «naïve» café — l’été 2024 au Québec, 12 000 € et “Ĳssel”.".into());
    let mut checked = 0;
    for r in &set.rules {
        let Imp::Pattern(p) = &r.imp else { continue };
        if !p.ascii_safe {
            continue;
        }
        checked += 1;
        for (t, [engine, unicode]) in texts.iter().zip(p.matches_both_ways(&texts)) {
            assert_eq!(engine, unicode, "{} on {t:?}", r.meta.id);
        }
    }
    assert!(checked > 100, "only {checked} rules run on the view");
}
