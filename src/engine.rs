//! The engine: compiles a rule set once and checks documents in one pass per
//! rule kind.
//!
//! - every `phrase` and `substitution` entry, and every literal a `pattern`
//!   or `boilerplate` rule requires (`kinds::literals`), is found in ONE
//!   pass over the text (`automaton::Strings`: a word-start index and an
//!   Aho-Corasick automaton, ASCII case folded), built on first use;
//! - a pattern runs only on the paragraphs where its literals occur (rules
//!   with no usable literal on the paragraphs holding the bytes they need),
//!   and only around the occurrences when its matches are bounded, on the
//!   ASCII view of the text when it matches the same there;
//! - structural kinds (quotes, language, consistency, scans) one pass each;
//! - a long document is checked in pieces, on spare threads.
//!
//! Matching happens on a normalized view of the prose (`text::NormView`);
//! every finding is mapped back to exact byte offsets of the original file.

use crate::automaton::{Literal, Strings};
use crate::finding::{Edit, Finding, Suggestion};
use crate::kinds::literals::ByteSet;
use crate::kinds::{
    self, Ctx, Hit, consistency::Consistency, language::Language, lexical::Lexical,
    pattern::Pattern,
};
use crate::rules::{self, RuleError, RuleMeta, RuleSource};
use crate::stats::{self, Stats};
use crate::text::NormView;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

pub enum Imp {
    Lexical(Lexical),
    Pattern(Box<Pattern>),
    Quotes(&'static str),
    Language(Language),
    Consistency(Consistency),
    /// repetition, sentence-case, brackets, script, foreign-words.
    Scan(Box<dyn kinds::Scan>),
}

pub struct Rule {
    pub meta: RuleMeta,
    pub imp: Imp,
    pub enabled: bool,
}

enum AcEntry {
    Phrase {
        rule: usize,
        entry: usize,
    },
    /// Literal `lit` of a pattern's prefilter; `also`: of its second
    /// condition.
    Trigger {
        rule: usize,
        also: bool,
        lit: usize,
    },
}

/// Most occurrences of its literal a windowed pattern searches around in
/// one paragraph (see `automaton_hits`).
const MAX_NEAR: usize = 64;

/// The fewest regexes to compile for which a spare thread is started to
/// compile some of them (a thread costs tens of microseconds; a regex, a
/// fifth of a millisecond or more).
const MIN_COLD: usize = 4;
/// Most rules with byte sets to meet for which each searches a paragraph
/// for its own bytes; with more, each paragraph's byte set is made once for
/// all (cachegrind, 2 MB: one rule, the built-in packs' `missing-after-comma`,
/// 1.3% fewer instructions searching; the synthetic pack's 14, 1.3% more).
const SEARCH_NEEDS: usize = 4;

/// A compiled rule set. Build once, check many documents (it is `Sync`).
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Every phrase entry and prefilter literal, `entries` tells whose.
    strings: Strings,
    entries: Vec<AcEntry>,
    /// Pattern rules with no prefilter literal: run on every paragraph
    /// (that meets their byte sets).
    always: Vec<usize>,
    /// How many of them have byte sets to meet.
    needs_rules: usize,
    quotes: Vec<usize>,
    others: Vec<usize>,
    by_id: HashMap<Arc<str>, usize>,
    /// Report suppression comments that suppress nothing
    /// (`calque/unused-suppression`); off when --select/--ignore drop it.
    pub unused_suppressions: bool,
}

/// Word lists available to `where` conditions: the built-in ones plus
/// `lists/*.txt` of user rule folders.
pub fn load_lists(extra: &[(String, String)]) -> kinds::pattern::Lists {
    let mut lists = kinds::pattern::Lists::new();
    for (name, t) in rules::BUILTIN_LISTS {
        lists.insert(name.to_string(), Arc::new(kinds::pattern::Words::new(*t)));
    }
    for (n, t) in extra {
        lists.insert(n.clone(), Arc::new(kinds::pattern::Words::new(t.clone())));
    }
    lists
}

/// How a rule matches, compiled from its spec; errors are located in
/// `source`.
fn compile_imp(
    spec: &rules::RuleSpec,
    source: &RuleSource,
    lists: &kinds::pattern::Lists,
) -> Result<Imp, RuleError> {
    let loc = |key: &str, message: String| {
        let (line, column) = crate::yaml::locate_key(&source.text, Some(&spec.id), key);
        RuleError {
            file: source.name.clone(),
            line,
            column,
            message,
        }
    };
    Ok(match spec.kind.as_str() {
        "phrase" | "substitution" => {
            Imp::Lexical(Lexical::compile(spec).map_err(|(k, m)| loc(&k, m))?)
        }
        "pattern" | "boilerplate" => Imp::Pattern(Box::new(
            Pattern::compile(spec, lists).map_err(|(k, m)| loc(&k, m))?,
        )),
        "quotes" => {
            let c = spec.check.as_deref().unwrap_or("");
            let Some(c) = kinds::quotes::CHECKS.iter().find(|x| **x == c) else {
                return Err(loc(
                    "check",
                    format!(
                        "a quotes rule needs `check`: one of {}",
                        kinds::quotes::CHECKS.join(", ")
                    ),
                ));
            };
            Imp::Quotes(c)
        }
        "language" => Imp::Language(Language::compile(spec).map_err(|(k, m)| loc(&k, m))?),
        "consistency" => Imp::Consistency(Consistency::compile(spec).map_err(|(k, m)| loc(&k, m))?),
        k if kinds::SCAN_KINDS.contains(&k) => {
            Imp::Scan(kinds::compile_scan(spec, lists).map_err(|(k, m)| loc(&k, m))?)
        }
        _ => unreachable!("kind validated by parse_sources"),
    })
}

impl RuleSet {
    /// Compile rule files. Errors carry the file, line and column.
    pub fn compile(
        sources: &[RuleSource],
        lists: &kinds::pattern::Lists,
    ) -> Result<RuleSet, RuleError> {
        let parsed = rules::parse_sources(sources)?;
        // Rules compile independently, on the threads a check will use: a
        // user pack of a thousand regexes spends two fifths of its start-up
        // in their literal analysis (as much again parsing its YAML).
        let imps = crate::parallel_map(&parsed, compile_threads(), |(_, spec, si)| {
            compile_imp(spec, &sources[*si], lists)
        });
        let mut out = Vec::with_capacity(parsed.len());
        for ((meta, _, _), imp) in parsed.into_iter().zip(imps) {
            let imp = imp.ok_or_else(|| RuleError {
                file: meta.source.clone(),
                line: 0,
                column: 0,
                message: "internal error: a rule was not compiled".into(),
            })??;
            out.push(Rule {
                meta,
                imp,
                enabled: true,
            });
        }
        let mut set = RuleSet {
            rules: out,
            strings: Strings::new(Vec::new()),
            entries: vec![],
            always: vec![],
            needs_rules: 0,
            quotes: vec![],
            others: vec![],
            by_id: HashMap::new(),
            unused_suppressions: true,
        };
        set.rebuild();
        Ok(set)
    }

    /// Build from the embedded packs and user folders.
    pub fn load(extra_dirs: &[std::path::PathBuf], builtin: bool) -> Result<RuleSet, RuleError> {
        let mut sources = if builtin {
            rules::builtin_sources()
        } else {
            vec![]
        };
        let mut extra_lists = Vec::new();
        for d in extra_dirs {
            sources.extend(rules::dir_sources(d)?);
            if let Ok(rd) = std::fs::read_dir(d.join("lists")) {
                for e in rd.flatten() {
                    let p = e.path();
                    if p.extension().is_some_and(|x| x == "txt")
                        && let (Some(stem), Ok(t)) = (p.file_stem(), std::fs::read_to_string(&p))
                    {
                        extra_lists.push((stem.to_string_lossy().into_owned(), t));
                    }
                }
            }
        }
        RuleSet::compile(&sources, &load_lists(&extra_lists))
    }

    /// `load` with the `--rules` folders and then a configuration's
    /// `rule-dirs` (what `check` and `fix` compile for a file).
    pub fn load_configured(
        cli_dirs: &[std::path::PathBuf],
        config_dirs: &[std::path::PathBuf],
        builtin: bool,
    ) -> Result<RuleSet, RuleError> {
        let all: Vec<std::path::PathBuf> = cli_dirs.iter().chain(config_dirs).cloned().collect();
        RuleSet::load(&all, builtin)
    }

    /// Enable only the rules for which `keep` is true, and rebuild the
    /// automaton.
    pub fn retain(&mut self, keep: impl Fn(&RuleMeta) -> bool) {
        for r in &mut self.rules {
            r.enabled = keep(&r.meta);
        }
        self.rebuild();
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.by_id.get(id).map(|&i| &self.rules[i])
    }

    fn rebuild(&mut self) {
        let mut pats: Vec<Literal> = Vec::new();
        self.entries.clear();
        self.always.clear();
        self.quotes.clear();
        self.others.clear();
        self.by_id = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.meta.id.clone(), i))
            .collect();
        for (i, r) in self.rules.iter().enumerate() {
            if !r.enabled {
                continue;
            }
            match &r.imp {
                Imp::Lexical(l) => {
                    for (e, (p, _)) in l.entries.iter().enumerate() {
                        // Phrases match on word boundaries.
                        pats.push(Literal {
                            text: p.clone(),
                            word_start: true,
                            case_sensitive: l.case_sensitive,
                        });
                        self.entries.push(AcEntry::Phrase { rule: i, entry: e });
                    }
                }
                Imp::Pattern(p) => match &p.literals {
                    Some(req) => {
                        let conds = std::iter::once((req, false))
                            .chain(req.also.as_deref().map(|a| (a, true)));
                        for (q, also) in conds {
                            for (lit, l) in q.literals.iter().enumerate() {
                                pats.push(Literal {
                                    text: l.clone(),
                                    word_start: q.word_start,
                                    case_sensitive: q.case_sensitive,
                                });
                                self.entries.push(AcEntry::Trigger { rule: i, also, lit });
                            }
                        }
                    }
                    None => self.always.push(i),
                },
                Imp::Quotes(_) => self.quotes.push(i),
                Imp::Language(_) | Imp::Consistency(_) | Imp::Scan(_) => self.others.push(i),
            }
        }
        self.needs_rules = self
            .always
            .iter()
            .filter(|&&i| matches!(&self.rules[i].imp, Imp::Pattern(p) if p.has_needs()))
            .count();
        self.strings = Strings::new(pats);
    }

    /// Check prose. `text` is the original file text; `prose` is the same
    /// length with non-prose bytes (markup, code) blanked; findings touching
    /// `masked` ranges are dropped.
    pub fn check(&self, text: &str, prose: &str, masked: &[Range<usize>]) -> Vec<Finding> {
        self.check_blocks(text, prose, masked, None)
    }

    /// `check` with the document's blocks (original offsets, sorted and
    /// disjoint; see `document::Prose::blocks`): no paragraph or sentence
    /// crosses a block boundary.
    pub fn check_blocks(
        &self,
        text: &str,
        prose: &str,
        masked: &[Range<usize>],
        blocks: Option<&[Range<usize>]>,
    ) -> Vec<Finding> {
        self.check_blocks_timed(text, prose, masked, blocks, &mut None)
    }

    /// `check_blocks`, adding phase and rule times to `stats` when given.
    ///
    /// A document longer than [`CHUNK`] is checked in pieces cut at blank
    /// lines (and block boundaries), on up to [`document_threads`] threads:
    /// memory stays proportional to a piece, not to the file, and one huge
    /// file does not leave the other cores idle. Document-wide checks (name
    /// consistency) then see one piece at a time: a piece is far longer
    /// than any article.
    pub fn check_blocks_timed(
        &self,
        text: &str,
        prose: &str,
        masked: &[Range<usize>],
        blocks: Option<&[Range<usize>]>,
        stats: &mut Option<Stats>,
    ) -> Vec<Finding> {
        if text.len() <= CHUNK + CHUNK / 2 {
            return self.check_piece(text, prose, masked, blocks, stats);
        }
        let cuts = chunk_cuts(text, prose, blocks);
        let pieces: Vec<Range<usize>> = cuts.windows(2).map(|w| w[0]..w[1]).collect();
        let run = |r: &Range<usize>, st: &mut Option<Stats>| -> Vec<Finding> {
            let sub = |v: &[Range<usize>]| -> Vec<Range<usize>> {
                let i = v.partition_point(|m| m.end <= r.start);
                v[i..]
                    .iter()
                    .take_while(|m| m.start < r.end)
                    .map(|m| m.start.max(r.start) - r.start..m.end.min(r.end) - r.start)
                    .collect()
            };
            let (m, b) = (sub(masked), blocks.map(sub));
            let mut out =
                self.check_piece(&text[r.clone()], &prose[r.clone()], &m, b.as_deref(), st);
            out.iter_mut().for_each(|f| f.shift(r.start));
            out
        };
        let on = stats.as_ref().map(|s| s.rules.len());
        let results = crate::parallel_map(&pieces, document_threads(), |r| {
            let mut st = on.map(Stats::new);
            (run(r, &mut st), st)
        });
        let mut out = Vec::new();
        for (f, st) in results.into_iter().flatten() {
            out.extend(f);
            if let (Some(total), Some(st)) = (stats.as_mut(), st) {
                total.absorb(&st);
            }
        }
        out
    }

    /// Check one piece of a document (see `check_blocks_timed`).
    fn check_piece(
        &self,
        text: &str,
        prose: &str,
        masked: &[Range<usize>],
        blocks: Option<&[Range<usize>]>,
        stats: &mut Option<Stats>,
    ) -> Vec<Finding> {
        debug_assert_eq!(text.len(), prose.len());
        if prose.trim().is_empty() {
            return Vec::new();
        }
        let t = stats::start();
        let norm = NormView::new(prose);
        stats.iter_mut().for_each(|s| s.phase("normalize", t));
        let t = stats::start();
        let ctx = match blocks {
            None => Ctx::new(&norm.text),
            Some(b) => {
                let b: Vec<Range<usize>> = b.iter().map(|r| norm.span_to_norm(r)).collect();
                Ctx::with_blocks(&norm.text, &b)
            }
        };
        stats.iter_mut().for_each(|s| s.phase("segment", t));
        let hits = self.hits_timed(&ctx, stats);
        let t = stats::start();
        let mut out: Vec<Finding> = hits
            .into_iter()
            .filter_map(|h| self.to_finding(h, &norm, text))
            .filter(|f| !overlaps_any(&f.span, masked))
            .filter(|f| !edge_on_markup(&f.span, text, prose))
            .map(|mut f| {
                clip_edits(&mut f, masked);
                f
            })
            .collect();
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        out.dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
        if blocks.is_some() {
            for f in &mut out {
                self.redo_line_deletion(f, text, prose);
            }
        }
        stats.iter_mut().for_each(|s| s.phase("map", t));
        out
    }

    /// In a structured document blanked markup looks blank to a
    /// boilerplate rule's line deletion (it would eat the `</p>` before a
    /// leaked last line): redo it on the original text, and delete just the
    /// finding when its line holds other prose.
    fn redo_line_deletion(&self, f: &mut Finding, text: &str, prose: &str) {
        let boilerplate = self
            .by_id
            .get(&f.rule)
            .is_some_and(|&i| matches!(&self.rules[i].imp, Imp::Pattern(p) if p.boilerplate));
        if !boilerplate {
            return;
        }
        let (r, _) = kinds::pattern::delete_line(text, &f.span);
        let other_prose = |a: usize, b: usize| prose.get(a..b).is_none_or(|s| !s.trim().is_empty());
        let (start, end) = if other_prose(r.start, f.span.start) || other_prose(f.span.end, r.end) {
            (f.span.start, f.span.end)
        } else {
            (r.start, r.end)
        };
        for s in &mut f.suggestions {
            if s.replacement.is_empty() {
                s.edits = vec![Edit {
                    start,
                    end,
                    replacement: String::new(),
                }];
            }
        }
    }

    /// All raw hits over a context (normalized coordinates).
    pub fn hits(&self, ctx: &Ctx) -> Vec<Hit> {
        self.hits_timed(ctx, &mut None)
    }

    /// `hits`, timing each phase and rule into `stats` when given.
    pub fn hits_timed(&self, ctx: &Ctx, stats: &mut Option<Stats>) -> Vec<Hit> {
        let mut hits = Vec::new();
        // The first check with a spare thread builds the automaton there
        // while this one runs the rules that do not need it.
        if document_threads() > 1 && !self.strings.is_built() && !self.strings.is_empty() {
            std::thread::scope(|s| {
                s.spawn(|| self.strings.build());
                self.other_hits(ctx, stats, &mut hits);
            });
        } else {
            self.other_hits(ctx, stats, &mut hits);
        }
        self.automaton_hits(ctx, stats, &mut hits);
        hits
    }

    /// Phrase rules, and pattern rules where their literals occur.
    fn automaton_hits(&self, ctx: &Ctx, stats: &mut Option<Stats>, hits: &mut Vec<Hit>) {
        let on = stats.is_some();
        let clock = || if on { Some(Instant::now()) } else { None };
        let t = clock();
        // (para, rule, which condition: 0 first, 1 second, where the
        // literal occurs for a windowed rule's first condition, else 0..0)
        // About one every 50 bytes of news: room for one every 32, so that
        // the vector is not grown (and copied) a dozen times a piece.
        let mut candidates: Vec<Candidate> = Vec::with_capacity(ctx.text.len() / 32);
        // Occurrences come mostly in text order: the last paragraph found
        // usually holds the next one.
        let mut last_para: Option<(usize, Range<usize>)> = None;
        let mut para_of = |pos: usize| match &last_para {
            Some((i, r)) if r.contains(&pos) => Some(*i),
            _ => {
                let i = ctx.para_at(pos)?;
                last_para = Some((i, ctx.paras[i].clone()));
                Some(i)
            }
        };
        // A rule that searches whole paragraphs needs one candidate per
        // paragraph and condition: the last paragraph pushed, plus one.
        let mut pushed = vec![0usize; 2 * self.rules.len()];
        // A windowed rule keeps at most MAX_NEAR occurrences per paragraph
        // (paragraph plus one, count); past that it searches the whole
        // paragraph, whose search costs no more than that many windows.
        let mut near_count = vec![(0usize, 0usize); self.rules.len()];
        self.strings
            .find(ctx.text, |i, range| match self.entries[i] {
                AcEntry::Phrase { rule, entry } => {
                    let r = &self.rules[rule];
                    if let Imp::Lexical(l) = &r.imp
                        && let Some(h) = l.check(rule, &r.meta.message, entry, ctx, range)
                    {
                        hits.push(h);
                    }
                }
                AcEntry::Trigger { rule, also, lit } => {
                    let Imp::Pattern(pat) = &self.rules[rule].imp else {
                        return;
                    };
                    let Some(mut q) = pat.literals.as_ref() else {
                        return;
                    };
                    if also {
                        match q.also.as_deref() {
                            Some(a) => q = a,
                            None => return,
                        }
                    }
                    if q.admits(ctx.text, &range, &q.literals[lit])
                        && pat.lead_admits(ctx.text, range.start)
                        && let Some(p) = para_of(range.start)
                    {
                        if pat.windowed && !also {
                            let n = &mut near_count[rule];
                            if n.0 != p + 1 {
                                *n = (p + 1, 0);
                            }
                            n.1 += 1;
                            if n.1 <= MAX_NEAR {
                                candidates.push((p, rule, 0, range.start, range.end));
                            } else if n.1 == MAX_NEAR + 1 {
                                // 0..0: search the whole paragraph.
                                candidates.push((p, rule, 0, 0, 0));
                            }
                        } else if pushed[2 * rule + usize::from(also)] != p + 1 {
                            pushed[2 * rule + usize::from(also)] = p + 1;
                            candidates.push((p, rule, u8::from(also), 0, 0));
                        }
                    }
                }
            });
        sort_candidates(
            &mut candidates,
            ctx.text.len(),
            ctx.paras.len(),
            self.rules.len(),
        );
        if let Some(s) = stats.as_mut() {
            s.phase("automaton", t);
        }
        let t = clock();
        // The pattern rules to run, rule by rule, each paragraph with its
        // candidates.
        let groups: Vec<(&Pattern, &[Candidate])> = candidates
            .chunk_by(|a, b| (a.0, a.1) == (b.0, b.1))
            .filter_map(|group| match &self.rules[group[0].1].imp {
                Imp::Pattern(pat) => {
                    // Both conditions must hold.
                    let needs_also = pat.literals.as_ref().is_some_and(|q| q.also.is_some());
                    let ok =
                        group[0].2 == 0 && (!needs_also || group.last().is_some_and(|c| c.2 == 1));
                    ok.then_some((&**pat, group))
                }
                _ => None,
            })
            .collect();
        let cold = self.cold_regexes(&groups);
        // With a helper: 1 + the place in `cold` of each rule's regex (0 for
        // none), and how far along `cold` this thread has got. The helper
        // compiles from the last regex down to the first one not reached.
        let mut place = Vec::new();
        if cold.len() >= MIN_COLD {
            place = vec![0usize; self.rules.len()];
            for (k, &(rule, _)) in cold.iter().enumerate() {
                place[rule] = k + 1;
            }
        }
        let reached = AtomicUsize::new(0);
        let run_all = |stats: &mut Option<Stats>, hits: &mut Vec<Hit>| {
            let mut near: Vec<Range<usize>> = Vec::new();
            for &(pat, group) in &groups {
                let (p, rule) = (group[0].0, group[0].1);
                if let Some(&k) = place.get(rule) {
                    reached.fetch_max(k, Ordering::Relaxed);
                }
                near.clear();
                if !group.iter().any(|c| c.2 == 0 && c.3 == c.4) {
                    near.extend(group.iter().filter(|c| c.2 == 0).map(|c| c.3..c.4));
                }
                let tr = clock();
                let r = &self.rules[rule];
                pat.run(
                    rule,
                    &r.meta.message,
                    ctx,
                    ctx.paras[p].clone(),
                    &near,
                    hits,
                );
                if let Some(s) = stats.as_mut() {
                    s.rule(rule, tr);
                }
            }
        };
        if cold.len() >= MIN_COLD {
            std::thread::scope(|s| {
                s.spawn(|| {
                    for k in (0..cold.len()).rev() {
                        if k < reached.load(Ordering::Relaxed) {
                            break;
                        }
                        cold[k].1.regex();
                    }
                });
                run_all(stats, hits);
            });
        } else {
            run_all(stats, hits);
        }
        if let Some(s) = stats.as_mut() {
            s.phase("pattern", t);
        }
    }

    /// The regexes `groups` need that are not compiled yet, in the order
    /// they are first needed, when a spare thread may compile them: the
    /// document has threads to spare (one document checked on several
    /// cores), or nothing when it has not.
    fn cold_regexes<'p>(
        &self,
        groups: &[(&'p Pattern, &[Candidate])],
    ) -> Vec<(usize, &'p Pattern)> {
        if document_threads() < 2 {
            return Vec::new();
        }
        let mut seen = vec![false; self.rules.len()];
        let mut cold = Vec::new();
        for &(pat, group) in groups {
            let rule = group[0].1;
            if !pat.is_compiled() && !std::mem::replace(&mut seen[rule], true) {
                cold.push((rule, pat));
            }
        }
        cold
    }

    /// Pattern rules with no literal, quotes and the structural kinds.
    fn other_hits(&self, ctx: &Ctx, stats: &mut Option<Stats>, hits: &mut Vec<Hit>) {
        let on = stats.is_some();
        let clock = || if on { Some(Instant::now()) } else { None };
        let t = clock();
        // Each paragraph's byte set, for the rules with no literal but with
        // byte sets to meet. With a few such rules (the built-in packs have
        // one), each looks for its bytes in the paragraph, and a set is made
        // only when one of them asks; with more, one pass over each
        // paragraph for all of them costs less than their searches.
        let para_set = |p: &Range<usize>| Some(ByteSet::of(&ctx.text.as_bytes()[p.clone()]));
        let mut para_bytes: Vec<Option<ByteSet>> = match self.needs_rules {
            0 => Vec::new(),
            n if n <= SEARCH_NEEDS => vec![None; ctx.paras.len()],
            _ => ctx.paras.iter().map(para_set).collect(),
        };
        for &rule in &self.always {
            let r = &self.rules[rule];
            if let Imp::Pattern(pat) = &r.imp {
                let tr = clock();
                for (i, para) in ctx.paras.iter().enumerate() {
                    if let Some(set) = para_bytes.get_mut(i)
                        && !pat.needs_met(&ctx.text.as_bytes()[para.clone()], set)
                    {
                        continue;
                    }
                    pat.run(rule, &r.meta.message, ctx, para.clone(), &[], hits);
                }
                if let Some(s) = stats.as_mut() {
                    s.rule(rule, tr);
                }
            }
        }
        if let Some(s) = stats.as_mut() {
            s.phase("pattern", t);
        }
        let t = clock();
        if !self.quotes.is_empty() {
            let mut events = Vec::new();
            kinds::quotes::scan(ctx, &mut events);
            for ev in events {
                for &rule in &self.quotes {
                    let r = &self.rules[rule];
                    if matches!(r.imp, Imp::Quotes(c) if c == ev.check) {
                        let m = kinds::render(&r.meta.message, &|k| match k {
                            "detail" => Some(ev.detail.clone()),
                            "match" => Some(ctx.text[ev.span.clone()].to_string()),
                            _ => None,
                        });
                        hits.push(Hit {
                            rule,
                            span: ev.span.clone(),
                            message: m,
                            suggestions: ev.suggestion.clone().into_iter().collect(),
                        });
                    }
                }
            }
        }
        if let Some(s) = stats.as_mut() {
            s.phase("quotes", t);
        }
        // The word table, built here when timed (else by the first rule
        // that reads it).
        if on
            && self
                .others
                .iter()
                .any(|&r| matches!(&self.rules[r].imp, Imp::Scan(s) if s.uses_words()))
        {
            let t = clock();
            let _ = ctx.para_words(0);
            if let Some(s) = stats.as_mut() {
                s.phase("words", t);
            }
        }
        let t = clock();
        for &rule in &self.others {
            let r = &self.rules[rule];
            let tr = clock();
            match &r.imp {
                Imp::Language(l) => l.run(rule, &r.meta.message, ctx, hits),
                Imp::Consistency(c) => c.run(rule, &r.meta.message, ctx, hits),
                Imp::Scan(s) => s.run(rule, &r.meta.message, ctx, hits),
                _ => {}
            }
            if let Some(s) = stats.as_mut() {
                s.rule(rule, tr);
            }
        }
        if let Some(s) = stats.as_mut() {
            s.phase("scan", t);
        }
    }

    fn to_finding(&self, h: Hit, norm: &NormView, text: &str) -> Option<Finding> {
        let r = &self.rules[h.rule];
        let span = norm.span_to_orig(&h.span);
        if span.end > text.len() {
            return None;
        }
        let suggestions = h
            .suggestions
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let edits = if s.edits.is_empty() {
                    vec![Edit {
                        start: span.start,
                        end: span.end,
                        replacement: s.replacement.clone(),
                    }]
                } else {
                    s.edits
                        .iter()
                        .map(|(r, rep)| {
                            let o = norm.span_to_orig(r);
                            Edit {
                                start: o.start,
                                end: o.end,
                                replacement: rep.clone(),
                            }
                        })
                        .collect()
                };
                Suggestion {
                    replacement: s.replacement,
                    applicability: r.meta.applicability,
                    edits,
                    preferred: r.meta.preferred == Some(i),
                }
            })
            .collect();
        Some(Finding {
            rule: r.meta.id.clone(),
            severity: r.meta.severity,
            category: r.meta.category.clone(),
            message: h.message,
            span,
            suggestions,
        })
    }
}

/// Documents longer than this (and a half) are checked in pieces of about
/// this size (see `RuleSet::check_blocks_timed`). A piece's working memory
/// (normalized and ASCII views, word table, hits) is ~10 times its size and
/// each thread holds one: 256 KiB keeps two threads on a 100 MB file under
/// 100 MB of RSS (1 MiB took 117 MB) and is still some 40,000 words, far
/// longer than any article. It costs ~5-8% of single-thread speed on one
/// large file: each piece reloads the literal pass's tables into the cache
/// (perf on 8 MB: 2,919 samples against 2,688 with 1 MiB pieces).
pub const CHUNK: usize = 1 << 18;

static DOCUMENT_THREADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);
static COMPILE_THREADS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(1);

/// Threads that compile a rule set (`--threads`; default 1).
pub fn set_compile_threads(n: usize) {
    COMPILE_THREADS.store(n.max(1), std::sync::atomic::Ordering::Relaxed);
}

fn compile_threads() -> usize {
    COMPILE_THREADS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Threads one long document may use for its pieces (default 1).
pub fn set_document_threads(n: usize) {
    DOCUMENT_THREADS.store(n.max(1), std::sync::atomic::Ordering::Relaxed);
}

pub fn document_threads() -> usize {
    DOCUMENT_THREADS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Where the first piece of `b` ends when `b` is too long for one: about
/// `CHUNK` bytes on, after a blank line (else a line break), which is a
/// char boundary. `None` when `b` is one piece (or has no line break to
/// cut at). Bytes, not str: `CHUNK` may fall inside a char.
pub fn cut_after(b: &[u8]) -> Option<usize> {
    if b.len() <= CHUNK + CHUNK / 2 {
        return None;
    }
    let window = &b[CHUNK..(CHUNK + CHUNK / 2).min(b.len())];
    let blank = memchr::memmem::find(window, b"\n\n");
    let i = blank.or_else(|| memchr::memchr(b'\n', window))?;
    Some(CHUNK + i + 1)
}

/// Where to cut a long document: about every `CHUNK` bytes, after a blank
/// line (else a line break) that no block crosses. Starts with 0, ends with
/// the length.
fn chunk_cuts(text: &str, prose: &str, blocks: Option<&[Range<usize>]>) -> Vec<usize> {
    let b = prose.as_bytes();
    let mut cuts = vec![0];
    let mut at = 0;
    while let Some(c) = cut_after(&b[at..]) {
        let mut cut = at + c;
        if let Some(bl) = blocks {
            let k = bl.partition_point(|r| r.end <= cut);
            if let Some(r) = bl.get(k)
                && r.start < cut
            {
                cut = r.end;
            }
        }
        if cut >= b.len()
            || cut <= at
            || !prose.is_char_boundary(cut)
            || !text.is_char_boundary(cut)
        {
            break;
        }
        cuts.push(cut);
        at = cut;
    }
    cuts.push(b.len());
    cuts
}

/// True when a span starts or ends on markup that the document blanked
/// (`</a>` before a full stop reads as a space before punctuation): such a
/// finding is about the blanking, not the prose.
fn edge_on_markup(span: &Range<usize>, text: &str, prose: &str) -> bool {
    let (t, p) = (text.as_bytes(), prose.as_bytes());
    let blanked =
        |i: usize| p.get(i) == Some(&b' ') && t.get(i).is_some_and(|c| !c.is_ascii_whitespace());
    !span.is_empty() && (blanked(span.start) || blanked(span.end - 1))
}

/// Keep edits off non-prose bytes: an edit that would reach into a masked
/// range (a byte-order mark, front matter, code) stops at its edge, so a
/// line deletion never eats the markup next to it.
fn clip_edits(f: &mut Finding, masked: &[Range<usize>]) {
    if masked.is_empty() {
        return;
    }
    for s in &mut f.suggestions {
        for e in &mut s.edits {
            for m in masked {
                if m.start < e.end && e.start < m.end {
                    if m.start <= e.start {
                        e.start = m.end.min(e.end);
                    } else {
                        e.end = m.start.max(e.start);
                    }
                }
            }
        }
    }
}

fn overlaps_any(span: &Range<usize>, masked: &[Range<usize>]) -> bool {
    if masked.is_empty() {
        return false;
    }
    let i = masked.partition_point(|m| m.end <= span.start);
    masked
        .get(i)
        .is_some_and(|m| m.start < span.end.max(span.start + 1))
}

/// A pattern candidate: (paragraph, rule, condition 0 or 1, where the
/// literal occurs: start, end).
type Candidate = (usize, usize, u8, usize, usize);

/// Sort `c` by rule, then paragraph (then condition and offsets), and drop
/// repeats, for a text of `len` bytes in `paras` paragraphs and a rule set
/// of `rules` rules. Rule by rule, so that a rule's regex runs on all its
/// paragraphs in a row while its lazy DFA's states are in cache: in
/// paragraph order, the other rules' runs between two of its own evicted
/// them (on 8 MB, cachegrind counts 69% fewer L1 data read misses in the
/// lazy DFA's search this way, 6.7% fewer in all). Candidates are put into
/// one bucket per rule and each bucket is sorted on its own, packed into
/// one `u128` whose order is the tuple's within a rule (paragraph and
/// offsets below 2^32, rule below 2^31; otherwise a plain sort).
fn sort_candidates(c: &mut Vec<Candidate>, len: usize, paras: usize, rules: usize) {
    const MAX: usize = 1 << 32;
    if len >= MAX
        || paras >= MAX
        || rules >= MAX / 2
        || c.iter().any(|x| x.0 >= paras || x.1 >= rules)
    {
        c.sort_unstable_by_key(|&(p, r, k, s, e)| (r, p, k, s, e));
        c.dedup();
        return;
    }
    let pack = |&(p, r, k, s, e): &Candidate| {
        (p as u128) << 96
            | (r as u128) << 65
            | u128::from(k & 1) << 64
            | (s as u128) << 32
            | e as u128
    };
    // Where each rule's bucket starts: counts, then running sums.
    let mut at = vec![0usize; rules + 1];
    for x in c.iter() {
        at[x.1 + 1] += 1;
    }
    for i in 1..at.len() {
        at[i] += at[i - 1];
    }
    let mut keys = vec![0u128; c.len()];
    let mut next = at.clone();
    for x in c.iter() {
        keys[next[x.1]] = pack(x);
        next[x.1] += 1;
    }
    for w in at.windows(2) {
        keys[w[0]..w[1]].sort_unstable();
    }
    keys.dedup();
    c.clear();
    c.extend(keys.iter().map(|&x| {
        let field = |shift: u32, bits: u32| ((x >> shift) & ((1u128 << bits) - 1)) as usize;
        (
            field(96, 32),
            field(65, 31),
            field(64, 1) as u8,
            field(32, 32),
            field(0, 32),
        )
    }));
}

#[cfg(test)]
mod sort_tests {
    use super::{Candidate, sort_candidates};

    /// The bucketed, packed sort gives what a plain sort by rule, then
    /// paragraph, and dedup give, and so does the fallback for a text too
    /// long to pack.
    #[test]
    fn candidates_sort_like_tuples() {
        let mut x: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n) as usize
        };
        for (n, paras) in [(0, 1), (1, 1), (50, 3), (5000, 40), (5000, 1)] {
            let c: Vec<Candidate> = (0..n)
                .map(|_| {
                    let s = next(1 << 20);
                    (
                        next(paras as u64),
                        next(700),
                        next(2) as u8,
                        s,
                        s + next(30),
                    )
                })
                .chain((0..n / 10).map(|_| (paras - 1, 3, 0, 0, 0)))
                .collect();
            let mut want = c.clone();
            want.sort_unstable_by_key(|&(p, r, k, s, e)| (r, p, k, s, e));
            want.dedup();
            for len in [1 << 21, 1 << 33] {
                let mut got = c.clone();
                sort_candidates(&mut got, len, paras, 700);
                assert_eq!(
                    got, want,
                    "{n} candidates, {paras} paragraphs, length {len}"
                );
            }
        }
    }
}
