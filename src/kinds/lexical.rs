//! `phrase` and `substitution`: literal phrases on word boundaries.
//!
//! All lexical rules of a rule set share one Aho-Corasick automaton (built by
//! the engine, ASCII case folded); this module holds one rule's entries and
//! verifies a raw automaton match: word boundaries, exact case where the rule
//! is case-sensitive, and context conditions.

use super::{Context, Ctx, Hit, HitSuggestion, on_word_boundaries, render};
use crate::rules::{RuleSpec, Suggest};
use crate::text::match_case;
use std::ops::Range;

pub struct Lexical {
    /// Phrase and its suggested replacements.
    pub entries: Vec<(String, Vec<String>)>,
    pub case_sensitive: bool,
    pub context: Context,
}

impl Lexical {
    pub fn compile(spec: &RuleSpec) -> Result<Lexical, (String, String)> {
        let substitution = spec.kind == "substitution";
        let mut entries = Vec::new();
        if substitution {
            if spec.map.is_empty() {
                return Err((
                    "map".into(),
                    "a substitution rule needs a non-empty `map`".into(),
                ));
            }
            for (k, v) in &spec.map {
                entries.push((k.clone(), vec![v.clone()]));
            }
        } else {
            if spec.phrases.is_empty() {
                return Err((
                    "match".into(),
                    "a phrase rule needs a non-empty `match` list".into(),
                ));
            }
            for p in &spec.phrases {
                let sugg = match &spec.suggest {
                    None => vec![],
                    Some(Suggest::One(s)) => vec![s.clone()],
                    Some(Suggest::Many(v)) => v.clone(),
                    Some(Suggest::Map(m)) => m
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case(p))
                        .map(|(_, v)| v.to_vec())
                        .unwrap_or_default(),
                };
                entries.push((p.clone(), sugg));
            }
        }
        for (p, _) in &entries {
            if p.trim().is_empty() {
                return Err((
                    if substitution { "map" } else { "match" }.into(),
                    "empty phrase".into(),
                ));
            }
        }
        let case_sensitive = match spec.case.as_deref() {
            None => substitution,
            Some("sensitive") => true,
            Some("insensitive") => false,
            Some(o) => {
                return Err((
                    "case".into(),
                    format!("unknown case `{o}` (sensitive or insensitive)"),
                ));
            }
        };
        let context = Context::new(
            spec.unless.as_deref(),
            &spec.unless_before,
            &spec.unless_after,
        )
        .map_err(|e| ("unless".to_string(), e))?;
        Ok(Lexical {
            entries,
            case_sensitive,
            context,
        })
    }

    /// Verify an automaton match of entry `entry` at `span`.
    pub fn check(
        &self,
        rule: usize,
        message: &str,
        entry: usize,
        ctx: &Ctx,
        span: Range<usize>,
    ) -> Option<Hit> {
        let text = ctx.text;
        let (phrase, suggs) = &self.entries[entry];
        let found = &text[span.clone()];
        if self.case_sensitive && found != phrase {
            return None;
        }
        if !on_word_boundaries(text, &span) {
            return None;
        }
        if self.context.suppressed(ctx, &span) {
            return None;
        }
        let suggestions: Vec<HitSuggestion> = suggs
            .iter()
            .map(|s| {
                HitSuggestion::plain(if self.case_sensitive {
                    s.clone()
                } else {
                    match_case(found, s)
                })
            })
            .collect();
        let first = suggestions.first().map(|s| s.replacement.clone());
        let msg = render(message, &|k| match k {
            "match" => Some(found.to_string()),
            "suggestion" => first.clone(),
            _ => None,
        });
        Some(Hit {
            rule,
            span,
            message: msg,
            suggestions,
        })
    }
}
