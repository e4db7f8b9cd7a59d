//! `foreign-words`: Latin-script words of another language left inside an
//! English sentence ("a.m. und ran", "the affaire", "il vient aujourd'hui").
//!
//! One pass over the words of each paragraph. A lower-case word is flagged
//! when it is in the foreign word `list` (frequent words of French, German,
//! Spanish, Italian, Portuguese, Dutch, Polish and Czech that are not English
//! words, see `scripts/gen-foreign-words.py`), or, with `diacritics`, when it
//! carries accented letters and is not in the `allow` list of English
//! loanwords ("café", "résumé"). An elided French or Italian article or
//! preposition ("d'autres", "qu'il", "nell'agosto") is checked by the word
//! after the apostrophe.
//!
//! Foreign words separated only by spaces make one finding. Not flagged,
//! because such words are usually deliberate: capitalized words (names,
//! titles), a name particle followed by a capitalized word ("de Gaulle",
//! "von Thurn"), words between two capitalized words ("Thurn und Taxis"),
//! two or more foreign words after a capitalized word (a foreign name:
//! "Union fédérale autonome"), and words inside a short quotation (a cited
//! title or term: `"La ciudad y los perros"`).

use super::{Ctx, Hit, Scan, render, words};
use crate::rules::RuleSpec;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

/// A word list: a large built-in list, one word a line in byte order,
/// searched in place through the [`Index`] build.rs made for it, or any
/// other list (a small built-in one is binary searched: building it an
/// index of 768 KB cost a check of one article 2.3 M instructions and 190
/// page faults).
enum WordSet {
    Builtin(&'static str, Index),
    Set(Arc<super::pattern::Words>),
}

use super::wordindex::{Index, KeySet, bucket, key_at, short_key};

/// Is `w` a line of the sorted `text`? Binary search inside its bucket.
fn sorted_contains(text: &str, index: &Index, w: &str) -> bool {
    if !index.maybe(w.as_bytes()) {
        return false;
    }
    let k = bucket(w.as_bytes());
    let Some(b) = text
        .as_bytes()
        .get(index.table(k) as usize..index.table(k + 1) as usize)
    else {
        return false;
    };
    let (mut lo, mut hi) = (0usize, b.len());
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let s = memchr::memrchr(b'\n', &b[lo..mid]).map_or(lo, |i| lo + i + 1);
        let e = memchr::memchr(b'\n', &b[s..hi]).map_or(hi, |i| s + i);
        let line = b[s..e].strip_suffix(b"\r").unwrap_or(&b[s..e]);
        match line.cmp(w.as_bytes()) {
            std::cmp::Ordering::Equal => return true,
            std::cmp::Ordering::Less => lo = e + 1,
            std::cmp::Ordering::Greater => hi = s,
        }
    }
    false
}

impl WordSet {
    fn load(name: &str, lists: &super::pattern::Lists) -> Option<WordSet> {
        if let Some(s) = lists.get(name) {
            return Some(match s.builtin_text() {
                Some(t) => WordSet::builtin(t),
                None => WordSet::Set(s.clone()),
            });
        }
        crate::rules::builtin_list(name).map(WordSet::builtin)
    }
    fn builtin(text: &'static str) -> WordSet {
        match crate::rules::builtin_index(text) {
            Some(ix) => WordSet::Builtin(text, ix),
            None => WordSet::Set(Arc::new(super::pattern::Words::new(text))),
        }
    }
    fn contains(&self, w: &str) -> bool {
        match self {
            WordSet::Builtin(t, index) => !w.is_empty() && sorted_contains(t, index, w),
            WordSet::Set(s) => s.contains(w),
        }
    }
}

/// French and Italian elided words: `d'autres`, `qu'il`, `nell'agosto`.
const ELIDED: &[&str] = &[
    "d", "l", "qu", "n", "s", "j", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quelqu", "aujourd",
    "dell", "nell", "all", "dall", "sull", "un", "quest", "quell",
];

/// Frequent English words of up to 8 ASCII lower-case letters
/// (`rules/lists/en-common.txt`, made by `scripts/gen-en-common.py`). Those
/// not in the rule's `list` are rejected with one integer lookup before
/// the list is searched: about 82% of the lower-case words of English
/// news are among them (69% with the 1,046 words of the hand-made list
/// before it), and the rest cost a Bloom filter probe that mostly misses
/// the cache.
fn common() -> impl Iterator<Item = &'static str> {
    crate::rules::builtin_list("en-common")
        .unwrap_or_default()
        .lines()
        .filter(|w| !w.is_empty())
}

pub struct Foreign {
    list: WordSet,
    /// The [`common`] words that are not in `list`, made on first use: a
    /// run that checks no text does not pay for them.
    common: std::sync::OnceLock<Common>,
    allow: Option<WordSet>,
    ignore: HashSet<String>,
    particles: HashSet<String>,
    diacritics: bool,
    min_len: usize,
    max_quote_words: usize,
}

impl Foreign {
    pub fn compile(
        spec: &RuleSpec,
        lists: &super::pattern::Lists,
    ) -> Result<Foreign, (String, String)> {
        let name = spec.list.as_deref().ok_or((
            "list".to_string(),
            "a foreign-words rule needs `list` (a word list name)".to_string(),
        ))?;
        let list = WordSet::load(name, lists)
            .ok_or(("list".to_string(), format!("unknown word list `{name}`")))?;
        let allow = match &spec.allow {
            Some(n) => Some(
                WordSet::load(n, lists)
                    .ok_or(("allow".to_string(), format!("unknown word list `{n}`")))?,
            ),
            None => None,
        };
        Ok(Foreign {
            list,
            common: std::sync::OnceLock::new(),
            allow,
            ignore: spec.ignore.iter().map(|w| w.to_lowercase()).collect(),
            particles: spec.particles.iter().map(|w| w.to_lowercase()).collect(),
            diacritics: spec.diacritics.unwrap_or(true),
            min_len: spec.min_len.unwrap_or(2),
            max_quote_words: spec.max_quote_words.unwrap_or(6),
        })
    }

    fn common(&self) -> &Common {
        self.common.get_or_init(|| Common::of(&self.list))
    }

    /// `is_lower_word(w) && self.check(w)`, with a quick path for a word of
    /// ASCII lower-case letters (most words): not foreign when it is short
    /// or a common English word. The word is `text[r]`.
    fn flag(&self, text: &str, r: Range<usize>) -> bool {
        let bytes = text.as_bytes();
        // An ASCII first byte that is no lower-case letter (a capital, a
        // digit: ~15% of words) fails `is_lower_word` at once.
        match bytes.get(r.start) {
            Some(&c) if c.is_ascii() && !c.is_ascii_lowercase() => return false,
            None => return false,
            _ => {}
        }
        let n = r.end.saturating_sub(r.start);
        // up to 8 bytes: one integer, tested for case as a whole; the word
        // is sliced only past the common words (~83% of these)
        let key = key_at(bytes, r.clone()).filter(|&k| all_lower(k, n));
        let word = || text.get(r.clone()).unwrap_or_default();
        if let Some(k) = key {
            return n >= self.min_len
                && !self.common().short.contains(k)
                && self.plain_foreign(word());
        }
        let w = word();
        if n > 8 && w.bytes().all(|c| c.is_ascii_lowercase()) {
            return n >= self.min_len && self.plain_foreign(w);
        }
        is_lower_word(w) && self.check(w)
    }

    /// `foreign` of a word of ASCII lower-case letters (no apostrophe, no
    /// hyphen: `check` is `foreign`, ASCII branch); empty when the word's
    /// range was not on char boundaries.
    fn plain_foreign(&self, w: &str) -> bool {
        !w.is_empty() && self.list.contains(w) && !self.allowed(w)
    }

    fn allowed(&self, w: &str) -> bool {
        self.ignore.contains(w) || self.allow.as_ref().is_some_and(|a| a.contains(w))
    }

    /// Is this lower-case word (no apostrophe) foreign?
    fn foreign(&self, w: &str) -> bool {
        // The list test first: it rejects almost every English word at
        // once (a Bloom filter), before the allow-lists are consulted.
        if w.is_ascii() {
            return w.len() >= self.min_len && self.list.contains(w) && !self.allowed(w);
        }
        if w.chars().count() < self.min_len || self.allowed(w) {
            return false;
        }
        // Greek letters are scientific notation (β-blocker), not a language.
        let greek = w.chars().any(|c| ('\u{0370}'..='\u{03FF}').contains(&c));
        !greek && w.chars().all(char::is_alphabetic) && (self.diacritics || self.list.contains(w))
    }

    /// The word (or the part after an elision) if it is foreign.
    fn check(&self, word: &str) -> bool {
        // callers pass lower-case words only (`is_lower_word`)
        let lower = word;
        if let Some(i) = lower.find(['\'', '’']) {
            let (head, tail) = (
                &lower[..i],
                &lower[i + lower[i..].chars().next().map_or(1, char::len_utf8)..],
            );
            // "aujourd'hui", "d'autres": an elision and a foreign word
            return ELIDED.contains(&head)
                && !tail.contains(['\'', '’'])
                && (tail == "hui" || self.foreign(tail));
        }
        if lower.contains('-') {
            // "mexicano-estadounidenses": every part foreign
            return !self.allowed(lower) && lower.split('-').all(|p| self.foreign(p));
        }
        self.foreign(lower)
    }
}

/// Are the `n` bytes (1 to 8) of the key `k` all ASCII lower-case
/// letters? Eight bytes at once.
fn all_lower(k: u64, n: usize) -> bool {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if n == 0 || n > 8 {
        return false;
    }
    // `a`..=`z` among the low seven bits, the high bit clear
    let lower = super::bytes_in(k & LOW7, b'a', b'z') & !k;
    let want = HIGH & (u64::MAX >> (64 - 8 * n));
    lower & want == want
}

fn is_lower_word(w: &str) -> bool {
    if w.is_ascii() {
        let b = w.as_bytes();
        return b.first().is_some_and(u8::is_ascii_lowercase)
            && !b.iter().any(u8::is_ascii_uppercase);
    }
    w.chars().next().is_some_and(char::is_lowercase) && !w.chars().any(char::is_uppercase)
}

fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Quoted stretches of a paragraph with their length in words. Curly and
/// straight double quotes, guillemets, and single quotes that open after a
/// space and close before a non-letter.
fn quotations(p: &str) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    let mut prev = ' ';
    let mut chars = p.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map_or(' ', |x| x.1);
        match open {
            None => {
                let opens = matches!(c, '“' | '«' | '"')
                    || ((c == '\'' || c == '‘') && !prev.is_alphanumeric());
                if opens {
                    open = Some((i, c));
                }
            }
            Some((s, o)) => {
                let closes = match o {
                    '“' => c == '”',
                    '«' => c == '»',
                    '"' => c == '"',
                    _ => (c == '\'' || c == '’') && !next.is_alphanumeric(),
                };
                if closes || c == '\n' {
                    if closes {
                        let n = words(p, s..i).len();
                        out.push((s..i, n));
                    }
                    open = None;
                }
            }
        }
        prev = c;
    }
    out
}

/// The [`common`] words that the foreign list does not hold, as two sets
/// of integers: by [`short_key`], the quick test of `Foreign::flag`; and,
/// those of up to six letters (their [`super::word_key`] is the word,
/// case folded), by the word table's keys, tested before `flag` is called.
/// A word in the second set is a common word in some case: not foreign
/// (lower case) or not a lower-case word at all, which `flag` would also
/// leave. Two thirds of the words of English news (67% of 8 MB) are
/// rejected there, by an integer the word table holds in memory order,
/// with no call and no read of the text: 8 MB checked in 2.9% fewer
/// instructions.
struct Common {
    short: KeySet,
    table: KeySet,
}

impl Common {
    fn of(list: &WordSet) -> Common {
        let keys = common_keys(list);
        // a short key's length: its bytes up to the first NUL
        let len = |k: u64| 8 - (k.leading_zeros() / 8) as u64;
        Common {
            table: KeySet::new(
                keys.iter()
                    .filter(|&&k| k != 0 && len(k) <= 6)
                    .map(|&k| (len(k) << 48) | k),
            ),
            short: KeySet::new(keys),
        }
    }
}

/// The `short_key`s of the [`common`] words that `list` does not hold.
fn common_keys(list: &WordSet) -> Vec<u64> {
    // made by build.rs for a large built-in list
    if let WordSet::Builtin(text, _) = list
        && let Some(b) = crate::rules::builtin_common_keys(text)
    {
        return b
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect();
    }
    common()
        .filter(|w| !list.contains(w))
        .filter_map(|w| short_key(w.as_bytes()))
        .collect()
}

impl Scan for Foreign {
    fn uses_words(&self) -> bool {
        true
    }

    fn run(&self, rule: usize, message: &str, ctx: &Ctx, out: &mut Vec<Hit>) {
        let text = ctx.text;
        let table = &self.common().table;
        let mut flagged: Vec<bool> = Vec::new();
        for (pi, para) in ctx.paras.iter().enumerate() {
            let toks = ctx.para_words(pi);
            let mut quotes: Option<Vec<(Range<usize>, usize)>> = None;
            let mut q = 0;
            let spaced = |a: &Range<usize>, b: &Range<usize>| {
                text[a.end..b.start].bytes().all(|x| x == b' ')
            };
            flagged.clear();
            flagged.extend(
                toks.iter()
                    .zip(ctx.para_word_keys(pi))
                    .map(|(t, &k)| !table.contains(k) && self.flag(text, t.clone())),
            );
            let mut i = 0;
            while i < toks.len() {
                if !flagged[i] {
                    i += 1;
                    continue;
                }
                // a run of foreign words separated by spaces is one finding
                let mut j = i;
                while j + 1 < toks.len() && flagged[j + 1] && spaced(&toks[j], &toks[j + 1]) {
                    j += 1;
                }
                let (first, last) = (i, j);
                i = j + 1;
                let next_cap = toks
                    .get(last + 1)
                    .is_some_and(|n| spaced(&toks[last], n) && is_cap(&text[n.clone()]));
                // a capitalized word before, unless it only starts the sentence
                let prev_cap = first > 0
                    && spaced(&toks[first - 1], &toks[first])
                    && is_cap(&text[toks[first - 1].clone()])
                    && !text[..toks[first - 1].start]
                        .trim_end_matches([' ', '"', '“', '\'', '‘', '(', '«'])
                        .ends_with(['.', '!', '?', '\n'])
                    && toks[first - 1].start
                        > para.start + text[para.clone()].len()
                            - text[para.clone()]
                                .trim_start_matches(['"', '“', '\'', '‘', '(', '«'])
                                .len();
                let w = &text[toks[first].clone()];
                let particle = first == last && self.particles.contains(&w.to_lowercase());
                // part of a name: "von Thurn", "Thurn und Taxis", "Union fédérale autonome"
                if (next_cap && (prev_cap || particle)) || (prev_cap && last > first) {
                    continue;
                }
                let rel = toks[first].start - para.start;
                let quotes = quotes.get_or_insert_with(|| quotations(&text[para.clone()]));
                while q < quotes.len() && quotes[q].0.end <= rel {
                    q += 1;
                }
                if quotes
                    .get(q)
                    .is_some_and(|(r, n)| r.start < rel && *n <= self.max_quote_words)
                {
                    continue;
                }
                let span = toks[first].start..toks[last].end;
                let m = &text[span.clone()];
                let msg = render(message, &|k| match k {
                    "match" => Some(m.to_string()),
                    _ => None,
                });
                out.push(Hit {
                    rule,
                    span,
                    message: msg,
                    suggestions: vec![],
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foreign() -> Foreign {
        let list =
            WordSet::builtin("# test\naffaire\nautonome\nautres\nperdette\nperros\nund\nvon\n");
        Foreign {
            common: std::sync::OnceLock::new(),
            list,
            allow: Some(WordSet::builtin("café\nrésumé")),
            ignore: HashSet::new(),
            particles: ["von", "de"].iter().map(|s| s.to_string()).collect(),
            diacritics: true,
            min_len: 2,
            max_quote_words: 6,
        }
    }

    fn run(text: &str) -> Vec<String> {
        let ctx = Ctx::new(text);
        let mut out = Vec::new();
        foreign().run(0, "{match}", &ctx, &mut out);
        out.into_iter().map(|h| text[h.span].to_string()).collect()
    }

    #[test]
    fn builtin_lists_are_clean_and_searchable() {
        for name in ["foreign-words", "en-accented"] {
            let text = crate::rules::builtin_list(name).expect("list is built in");
            let words: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
            assert!(words.len() > 100, "{name} is too short");
            assert!(
                words.windows(2).all(|p| p[0] < p[1]),
                "{name} must be sorted with no duplicates (as the generator writes it)"
            );
            assert!(words.iter().all(|w| !w.is_empty() && w.trim() == *w));
            let set = WordSet::builtin(text);
            for w in words.iter().step_by(97) {
                assert!(set.contains(w), "{name}: {w} not found");
            }
        }
        let text = crate::rules::builtin_list("foreign-words").unwrap_or("");
        let built = crate::rules::builtin_index(text).expect("made by build.rs");
        assert!(built.to_bytes() == Index::new(text).to_bytes());
        let t = WordSet::builtin(text);
        assert!(t.contains("und") && t.contains("affaire"));
        assert!(!t.contains("commerce") && !t.contains("the") && !t.contains("#"));
        assert!(!WordSet::builtin("").contains("x") && WordSet::builtin("a\nb\nc").contains("c"));
    }

    /// The quick rejection set build.rs makes for the built-in list is the
    /// one start-up would make: the common words the list does not hold.
    #[test]
    fn build_time_common_keys_are_the_run_time_ones() {
        let text = crate::rules::builtin_list("foreign-words").unwrap_or("");
        let list = WordSet::builtin(text);
        let prebuilt = Common::of(&list).short;
        let bytes = crate::rules::builtin_common_keys(text).expect("made by build.rs");
        let mut n = 0;
        for w in common() {
            let Some(k) = short_key(w.as_bytes()) else {
                continue;
            };
            let expected = !list.contains(w);
            n += usize::from(expected);
            assert_eq!(prebuilt.contains(k), expected, "{w}");
        }
        assert_eq!(bytes.len(), 8 * n);
        assert!(n > 4000, "{n}");
    }

    #[test]
    fn all_lower_tests_every_byte() {
        for c in 0..=255u8 {
            for n in 1..=8 {
                for at in 0..n {
                    let mut w = [b'q'; 8];
                    w[at] = c;
                    let k = u64::from_le_bytes(w) & (u64::MAX >> (64 - 8 * n));
                    let want = w[..n].iter().all(u8::is_ascii_lowercase);
                    assert_eq!(all_lower(k, n), want, "{c} {n} {at}");
                }
            }
        }
        assert!(!all_lower(0, 0) && !all_lower(u64::MAX, 9));
    }

    #[test]
    fn quick_path_agrees_with_check() {
        // "the" and "was" are common words but in this list: still flagged
        let list = WordSet::builtin("affaire\nthe\nund\nwas\nx\n");
        let f = Foreign {
            common: std::sync::OnceLock::new(),
            list,
            min_len: 2,
            ..foreign()
        };
        assert!(common().count() > 4000);
        assert!(common().all(|w| {
            !w.is_empty() && w.len() <= 8 && w.bytes().all(|b| b.is_ascii_lowercase())
        }));
        let mut words: Vec<&str> = common().collect();
        words.extend([
            "",
            "x",
            "the",
            "The",
            "und",
            "affaire",
            "affaires",
            "was",
            "wAs",
            "d'autres",
            "qu’il",
            "perros-affaire",
            "café",
            "zpátky",
            "β-blocker",
            "3rd",
            "a1",
            "the-und",
            "government",
            "aujourd'hui",
        ]);
        let flag = |w: &str| {
            // alone, and inside a text
            let t = format!("{w} and more text");
            let inside = f.flag(&t, 0..w.len());
            assert_eq!(inside, f.flag(w, 0..w.len()), "{w:?}");
            inside
        };
        for w in &words {
            assert_eq!(flag(w), is_lower_word(w) && f.check(w), "{w:?}");
        }
        assert!(flag("the") && flag("und") && !flag("and") && !flag("x"));
        // A word the table rejects before `flag` is one `flag` leaves, in
        // any case; no word of the list is rejected ("affaire" shares
        // "affairs"'s first six letters and length).
        let table = |w: &str| {
            f.common()
                .table
                .contains(crate::kinds::word_key(w.as_bytes()))
        };
        let mut rejected = 0;
        for w in &words {
            for v in [w.to_string(), w.to_uppercase(), capitalize(w)] {
                if table(&v) {
                    rejected += 1;
                    assert!(!flag(&v), "{v:?}");
                }
            }
        }
        assert!(rejected > 4000 && table("and") && table("And") && table("AND"));
        for w in ["affaire", "the", "und", "was", "x", "affair", "affairs"] {
            assert_eq!(table(w), w == "affair", "{w}");
        }
    }

    fn capitalize(w: &str) -> String {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default()
    }

    #[test]
    fn flags_foreign_words() {
        assert_eq!(run("He heard noises und ran."), ["und"]);
        assert_eq!(run("to take the affaire to court"), ["affaire"]);
        assert_eq!(run("among d'autres things"), ["d'autres"]);
        assert_eq!(run("the velkoobchodní price"), ["velkoobchodní"]);
        assert_eq!(run("Stefan Niesiołowski podkreślił that"), ["podkreślił"]);
        assert_eq!(
            run("the nation perdette trópicas affaire and"),
            ["perdette trópicas affaire"]
        );
        assert_eq!(
            run("With affaire perros, he won. Children affaire perros go."),
            ["affaire perros", "affaire perros"]
        );
        assert_eq!(
            run("more than 35 million perros-affaire who live"),
            ["perros-affaire"]
        );
    }

    #[test]
    fn leaves_names_loanwords_and_citations() {
        assert!(run("Gloria von Thurn und Taxis came.").is_empty());
        assert!(run("A résumé, a café and a β-blocker.").is_empty());
        assert!(run("He wrote \"La ciudad y los perros\" in 1963.").is_empty());
        assert!(run("Affaire is capitalized; Und too.").is_empty());
        assert!(run("the Union fédérale autonome pénitentiaire (UFAP) said").is_empty());
    }
}
