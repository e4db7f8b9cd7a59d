//! Text views used for matching: a normalized copy of the prose with an exact
//! map back to the original bytes, line/column lookup, paragraphs, sentences.

use std::borrow::Cow;
use std::ops::Range;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

/// The text rules match against: NFC, with no-break and other fixed-width
/// spaces folded to U+0020 and the typographic apostrophe between letters
/// folded to `'`. Every offset maps back to the original bytes.
pub struct NormView<'a> {
    pub text: Cow<'a, str>,
    /// Changed clusters: (norm start, norm len, orig start, orig len), sorted.
    changes: Vec<(usize, usize, usize, usize)>,
}

/// Spaces that match as an ordinary space.
pub fn is_fold_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}'
            | '\u{202F}'
            | '\u{2007}'
            | '\u{2009}'
            | '\u{200A}'
            | '\u{2002}'
            | '\u{2003}'
            | '\u{2004}'
            | '\u{2005}'
            | '\u{2006}'
            | '\u{2008}'
    )
}

/// How many bytes `b` starts with that are ASCII: eight at a time, where
/// the byte loop it replaces (which the compiler does not vectorize, as it
/// stops early) cost the two views 5 instructions a byte.
pub(crate) fn ascii_run(b: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut i = 0;
    while let Some(w) = b.get(i..i + 8) {
        let high = u64::from_le_bytes(w.try_into().unwrap_or([0x80; 8])) & HIGH;
        if high != 0 {
            return i + (high.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    i + b[i..].iter().take_while(|x| x.is_ascii()).count()
}

fn needs_work(s: &str) -> bool {
    // Only non-ASCII chars can change; each is asked on its own (stricter
    // than asking the whole text: a combining mark always counts).
    let b = s.as_bytes();
    let mut i = 0;
    loop {
        i += ascii_run(&b[i..]);
        if i >= b.len() {
            return false;
        }
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            return true;
        };
        if !stays(c) || canonical_combining_class(c) != 0 {
            return true;
        }
        i += c.len_utf8();
    }
}

/// Whether `c`, alone, is left as it is: in NFC, not a space to fold, not
/// an apostrophe.
fn stays(c: char) -> bool {
    !is_fold_space(c)
        && c != '\u{2019}'
        && matches!(
            unicode_normalization::is_nfc_quick(std::iter::once(c)),
            unicode_normalization::IsNormalized::Yes
        )
}

impl<'a> NormView<'a> {
    pub fn new(src: &'a str) -> NormView<'a> {
        if !needs_work(src) {
            return NormView {
                text: Cow::Borrowed(src),
                changes: Vec::new(),
            };
        }
        let mut out = String::with_capacity(src.len());
        let mut changes = Vec::new();
        let bytes = src.as_bytes();
        let mut i = 0;
        let mut prev_alpha = false;
        while i < src.len() {
            // Copy a run of ASCII at once: it never changes.
            let run = ascii_run(&bytes[i..]);
            if run > 0 {
                out.push_str(&src[i..i + run]);
                prev_alpha = bytes[i + run - 1].is_ascii_alphabetic();
                i += run;
                // A combining mark may follow the last ASCII letter: redo it.
                if i < src.len() && bytes[i - 1].is_ascii_alphabetic() {
                    let d = src[i..].chars().next().unwrap_or(' ');
                    if canonical_combining_class(d) != 0 {
                        out.pop();
                        i -= 1;
                    } else {
                        continue;
                    }
                } else {
                    continue;
                }
            }
            // A cluster: one char and the combining marks after it.
            let c = src[i..].chars().next().unwrap_or('\u{FFFD}');
            let mut j = i + c.len_utf8();
            while j < src.len() {
                let d = src[j..].chars().next().unwrap_or(' ');
                if canonical_combining_class(d) == 0 {
                    break;
                }
                j += d.len_utf8();
            }
            let cluster = &src[i..j];
            let single = j == i + c.len_utf8();
            if single && stays(c) {
                out.push(c);
                prev_alpha = c.is_alphabetic();
                i = j;
                continue;
            }
            let next_alpha = src[j..].chars().next().is_some_and(|d| d.is_alphabetic());
            let norm_start = out.len();
            if is_fold_space(c) && single {
                out.push(' ');
            } else if c == '\u{2019}' && prev_alpha && next_alpha && single {
                out.push('\'');
            } else {
                out.extend(cluster.nfc());
            }
            if &out[norm_start..] != cluster {
                changes.push((norm_start, out.len() - norm_start, i, j - i));
            }
            prev_alpha = c.is_alphabetic();
            i = j;
        }
        if changes.is_empty() {
            return NormView {
                text: Cow::Borrowed(src),
                changes,
            };
        }
        NormView {
            text: Cow::Owned(out),
            changes,
        }
    }

    /// Map a normalized offset to the original. `end` selects the end of a
    /// cluster when the offset falls inside one.
    pub fn to_orig(&self, n: usize, end: bool) -> usize {
        if self.changes.is_empty() {
            return n;
        }
        let idx = self.changes.partition_point(|c| c.0 <= n);
        if idx == 0 {
            return n;
        }
        let (ns, nl, os, ol) = self.changes[idx - 1];
        if n == ns {
            return os;
        }
        if n < ns + nl {
            return if end { os + ol } else { os };
        }
        n + (os + ol) - (ns + nl)
    }

    /// Map an original offset to the normalized text. `end` selects the
    /// end of a cluster when the offset falls inside one.
    pub fn to_norm(&self, o: usize, end: bool) -> usize {
        if self.changes.is_empty() {
            return o;
        }
        let idx = self.changes.partition_point(|c| c.2 <= o);
        if idx == 0 {
            return o;
        }
        let (ns, nl, os, ol) = self.changes[idx - 1];
        if o == os {
            return ns;
        }
        if o < os + ol {
            return if end { ns + nl } else { ns };
        }
        o + (ns + nl) - (os + ol)
    }

    pub fn span_to_norm(&self, r: &Range<usize>) -> Range<usize> {
        let s = self.to_norm(r.start, false);
        let e = self.to_norm(r.end, true);
        s..e.max(s)
    }

    pub fn span_to_orig(&self, r: &Range<usize>) -> Range<usize> {
        let s = self.to_orig(r.start, false);
        let e = self.to_orig(r.end, true);
        s..e.max(s)
    }
}

/// Line starts of the original text, for line and column lookup.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Every `COL_MARK` bytes: (a char boundary, chars since the start of
    /// its line), built on the first lookup past a mark, so that a column
    /// costs at most `COL_MARK` bytes of counting: a long line with
    /// thousands of findings would otherwise be counted again for each.
    marks: std::sync::OnceLock<Vec<(usize, usize, usize)>>,
}

/// Bytes between two column marks.
pub const COL_MARK: usize = 1024;

/// Every `every` bytes of `text` (from 0): a char boundary, the line breaks
/// before it and the chars since the start of its line. Line and column of
/// any offset are then a count of at most `every` bytes from a mark.
pub fn line_marks(text: &str, every: usize) -> Vec<(usize, usize, usize)> {
    let mut out = vec![(0, 0, 0)];
    let (mut at, mut breaks, mut col) = (0, 0, 0);
    while at + every < text.len() {
        let next = floor_char(text, at + every);
        let chunk = &text[at..next];
        match chunk.rfind('\n') {
            Some(i) => {
                breaks += count_breaks(chunk.as_bytes());
                col = chunk[i + 1..].chars().count();
            }
            None => col += chunk.chars().count(),
        }
        at = next;
        out.push((at, breaks, col));
    }
    out
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            text,
            starts,
            marks: std::sync::OnceLock::new(),
        }
    }
    fn marks(&self) -> &[(usize, usize, usize)] {
        self.marks.get_or_init(|| line_marks(self.text, COL_MARK))
    }
    /// 1-based line and column (in Unicode scalar values) of byte `off`.
    pub fn line_col(&self, off: usize) -> (usize, usize) {
        let off = off.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= off) - 1;
        let start = self.starts[line];
        let end = floor_char(self.text, off);
        if end - start <= COL_MARK {
            return (line + 1, self.text[start..end].chars().count() + 1);
        }
        // A long line: count from the last mark in it.
        let marks = self.marks();
        let (at, _, col) = marks[marks.partition_point(|m| m.0 <= end) - 1];
        (line + 1, col + self.text[at..end].chars().count() + 1)
    }
    /// The byte range of 1-based `line`, without its line terminator.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let s = self.starts[line - 1];
        let mut e = self
            .starts
            .get(line)
            .map(|&x| x - 1)
            .unwrap_or(self.text.len());
        if e > s && self.text.as_bytes()[e - 1] == b'\r' {
            e -= 1;
        }
        s..e
    }
}

/// The line breaks (`\n`) in `b`. memchr's vector search: news has a
/// break every few hundred bytes, and the plain filter-and-count loop,
/// which the compiler widens four bytes at a time, cost 1.5% of a check.
pub fn count_breaks(b: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', b).count()
}

/// The largest char boundary at or below `i`.
pub fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Paragraphs: maximal runs of non-blank lines. Ranges exclude the final
/// line break. Blank means only spaces (after folding).
pub fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut pos = 0;
    let mut last_end = 0;
    // `text.split_inclusive('\n')`, with memchr's vector search: the
    // standard library's char search was 1.1% of checking 8 MB.
    let b = text.as_bytes();
    while pos < b.len() {
        let end = memchr::memchr(b'\n', &b[pos..]).map_or(b.len(), |i| pos + i + 1);
        let line = &text[pos..end];
        let content = line.trim_end_matches(['\n', '\r']);
        let blank = content.trim().is_empty();
        if blank {
            if let Some(s) = start.take() {
                out.push(s..last_end);
            }
        } else {
            if start.is_none() {
                start = Some(pos + (content.len() - content.trim_start().len()));
            }
            last_end = pos + content.trim_end().len();
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(s..last_end);
    }
    out
}

/// Paragraphs cut at block boundaries: each blank-line paragraph of `text`
/// intersected with each of `blocks` (sorted, disjoint), trimmed.
pub fn paragraphs_in(text: &str, blocks: &[Range<usize>]) -> Vec<Range<usize>> {
    let paras = paragraphs(text);
    let mut out = Vec::with_capacity(blocks.len().max(paras.len()));
    let mut pi = 0;
    for b in blocks {
        while pi < paras.len() && paras[pi].end <= b.start {
            pi += 1;
        }
        let mut k = pi;
        while k < paras.len() && paras[k].start < b.end {
            let s = paras[k].start.max(b.start);
            let e = paras[k].end.min(b.end);
            if s < e && text.is_char_boundary(s) && text.is_char_boundary(e) {
                let seg = &text[s..e];
                let t = seg.trim_start();
                let s2 = s + (seg.len() - t.len());
                let e2 = s2 + t.trim_end().len();
                if s2 < e2 && out.last().is_none_or(|l: &Range<usize>| l.end <= s2) {
                    out.push(s2..e2);
                }
            }
            k += 1;
        }
    }
    out
}

const ABBREV: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep",
    "rev", "jr", "sr", "inc", "ltd", "co", "corp", "vs", "etc", "no", "nos", "vol", "fig",
    "approx", "jan", "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "mt", "ft",
    "op", "cf", "al", "pp", "ca", "m", "mme", "mlle", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m",
    "p.m",
];

/// Finds the next of up to five bytes in a text with `memchr`: the long
/// stretches holding none of them (most of a text) are passed 16 or 32
/// bytes at a time.
#[derive(Debug, Clone)]
pub struct ByteFinder {
    /// The distinct bytes, in order of first appearance (one to five).
    distinct: Vec<u8>,
}

/// The first position in `hay` of one of `set`'s one to three bytes.
fn memchr_any(set: &[u8], hay: &[u8]) -> Option<usize> {
    match *set {
        [a] => memchr::memchr(a, hay),
        [a, b] => memchr::memchr2(a, b, hay),
        [a, b, c, ..] => memchr::memchr3(a, b, c, hay),
        [] => None,
    }
}

impl ByteFinder {
    /// `None` for no byte or more than five distinct ones.
    pub fn new(bytes: &[u8]) -> Option<ByteFinder> {
        let mut distinct: Vec<u8> = Vec::new();
        for &b in bytes {
            if !distinct.contains(&b) {
                distinct.push(b);
            }
        }
        (1..=5)
            .contains(&distinct.len())
            .then_some(ByteFinder { distinct })
    }

    /// The first position at or after `from` in `hay` holding one of the
    /// bytes, found by `memchr` (many bytes at a time, with the CPU's
    /// vector instructions), which looks for up to three: the first three
    /// bytes are looked for, then the others only before the first of
    /// those, so no byte is read more than twice.
    pub fn find(&self, hay: &[u8], from: usize) -> Option<usize> {
        let rest = hay.get(from..)?;
        let (head, tail) = self.distinct.split_at(self.distinct.len().min(3));
        let first = memchr_any(head, rest);
        let before = &rest[..first.unwrap_or(rest.len())];
        memchr_any(tail, before).or(first).map(|k| from + k)
    }
}

/// Sentences inside `para` (a range of `text`): split after `.`, `!`, `?` or
/// `…` (with any closing quotes or brackets) followed by a space and a
/// capital, digit or opening quote; common abbreviations and initials do not
/// end a sentence. Also splits at line breaks inside a paragraph.
pub fn sentences(text: &str, para: Range<usize>, out: &mut Vec<Range<usize>>) {
    let p = &text[para.clone()];
    let b = p.as_bytes();
    // Every byte but these only moves on.
    static STOPS: std::sync::LazyLock<Option<ByteFinder>> =
        std::sync::LazyLock::new(|| ByteFinder::new(b".!?\n\xE2"));
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        if let Some(f) = STOPS.as_ref() {
            match f.find(b, i) {
                Some(next) => i = next,
                None => break,
            }
        }
        let c = b[i];
        let is_end = c == b'.' || c == b'!' || c == b'?' || (c == 0xE2 && p[i..].starts_with('…'));
        if c == b'\n' {
            push_trimmed(p, para.start, start, i, out);
            start = i + 1;
            i += 1;
            continue;
        }
        if is_end {
            let mut j = i + if c == 0xE2 { 3 } else { 1 };
            // closing quotes/brackets
            while j < b.len() {
                let rest = &p[j..];
                let ch = rest.chars().next().unwrap_or(' ');
                if matches!(
                    ch,
                    '"' | '\'' | ')' | ']' | '”' | '’' | '»' | '.' | '!' | '?'
                ) {
                    j += ch.len_utf8();
                } else {
                    break;
                }
            }
            if j < b.len() && b[j] == b' ' {
                let mut k = j;
                while k < b.len() && b[k] == b' ' {
                    k += 1;
                }
                let next = p[k..].chars().next().unwrap_or('a');
                let starts_new = next.is_uppercase()
                    || next.is_ascii_digit()
                    || matches!(next, '"' | '“' | '«' | '‘' | '(' | '\'' | '—' | '-');
                if starts_new && (c != b'.' || !is_abbrev(p, i)) {
                    push_trimmed(p, para.start, start, j, out);
                    start = k;
                    i = k;
                    continue;
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    push_trimmed(p, para.start, start, b.len(), out);
}

fn push_trimmed(p: &str, base: usize, s: usize, e: usize, out: &mut Vec<Range<usize>>) {
    let seg = &p[s..e];
    let lead = seg.len() - seg.trim_start().len();
    let t = seg.trim();
    if !t.is_empty() {
        out.push(base + s + lead..base + s + lead + t.len());
    }
}

pub fn is_abbrev(p: &str, dot: usize) -> bool {
    let before = &p[..dot];
    let word_start = before
        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .map(|x| x + before[x..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let w = &before[word_start..];
    if w.chars().count() == 1 && w.chars().all(|c| c.is_uppercase()) {
        return true; // an initial: "John F. Kennedy"
    }
    let lw = w.to_ascii_lowercase();
    ABBREV.contains(&lw.as_str())
}

/// True for a char that is part of a word for boundary checks.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The char before byte `i` and the char at byte `i`.
pub fn char_before(s: &str, i: usize) -> Option<char> {
    s[..i].chars().next_back()
}
pub fn char_at(s: &str, i: usize) -> Option<char> {
    s[i..].chars().next()
}

/// Match the case of `model` on `repl`: Capitalized → capitalize the first
/// letter; ALL CAPS (two or more letters) → upper-case all.
pub fn match_case(model: &str, repl: &str) -> String {
    let letters: Vec<char> = model.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return repl.to_uppercase();
    }
    let first_upper = model
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| c.is_uppercase());
    let repl_first_lower = repl.chars().next().is_some_and(|c| c.is_lowercase());
    if first_upper && repl_first_lower {
        let mut cs = repl.chars();
        let f = cs.next().unwrap_or(' ');
        return f.to_uppercase().chain(cs).collect();
    }
    repl.to_string()
}

/// An all-ASCII stand-in for a text, one byte per char, so that regexes run
/// in the regex crate's lazy DFA: a Unicode `\b` makes that DFA give up on
/// any non-ASCII byte and fall back to a far slower engine, and news prose
/// is full of curly quotes, dashes and accented names.
///
/// Each non-ASCII char becomes one byte of the same class for a regex whose
/// classes treat non-ASCII chars uniformly (see
/// `kinds::literals::ascii_safe`): a word char becomes `_`, a space `\x0B`,
/// anything else `\x01`. Such a regex matches the view exactly where it
/// matches the text, and `to_text` maps offsets back.
pub struct AsciiView<'a> {
    pub text: Cow<'a, str>,
    /// For each non-ASCII char: (its view offset, its text offset, the
    /// bytes the text has gained over the view up to and including it),
    /// sorted.
    marks: Vec<(usize, usize, usize)>,
}

impl<'a> AsciiView<'a> {
    pub fn new(src: &'a str) -> AsciiView<'a> {
        if src.is_ascii() {
            return AsciiView {
                text: Cow::Borrowed(src),
                marks: Vec::new(),
            };
        }
        let mut out = Vec::with_capacity(src.len());
        let mut marks = Vec::new();
        let mut extra = 0;
        let bytes = src.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let run = ascii_run(&bytes[i..]);
            out.extend_from_slice(&bytes[i..i + run]);
            i += run;
            if i >= bytes.len() {
                break;
            }
            let c = src[i..].chars().next().unwrap_or(' ');
            let len = c.len_utf8();
            out.push(if regex_syntax::is_word_character(c) {
                b'_'
            } else if c.is_whitespace() {
                0x0B
            } else {
                1
            });
            extra += len - 1;
            marks.push((out.len() - 1, i, extra));
            i += len;
        }
        AsciiView {
            // Every byte pushed is ASCII.
            text: Cow::Owned(String::from_utf8(out).unwrap_or_default()),
            marks,
        }
    }

    /// The text offset of view offset `v` (a char boundary of the text).
    pub fn to_text(&self, v: usize) -> usize {
        self.whole().to_text(v)
    }

    /// The view offset of text offset `t` (a char boundary of the text).
    pub fn to_view(&self, t: usize) -> usize {
        self.whole().to_view(t)
    }

    /// Every mark, with nothing gained before them: the whole text.
    fn whole(&self) -> LocalView<'_> {
        LocalView {
            marks: &self.marks,
            base: 0,
        }
    }

    /// The view of the text span `t` (a paragraph): offsets inside it map
    /// through its own marks, found once, not through a search of every
    /// mark of the document (which a rule run made several times per
    /// paragraph: 20 steps of a cold binary search each on 8 MB of news).
    pub fn local(&self, t: Range<usize>) -> LocalView<'_> {
        let lo = self.marks.partition_point(|m| m.1 < t.start);
        let len = self.marks[lo..].partition_point(|m| m.1 < t.end);
        LocalView {
            marks: &self.marks[lo..lo + len],
            base: lo.checked_sub(1).map_or(0, |k| self.marks[k].2),
        }
    }
}

/// [`AsciiView::local`]: the marks of one span of the text, and the bytes
/// the text has gained over the view before it.
pub struct LocalView<'v> {
    marks: &'v [(usize, usize, usize)],
    base: usize,
}

impl LocalView<'_> {
    /// [`AsciiView::to_text`], for a view offset inside the span.
    pub fn to_text(&self, v: usize) -> usize {
        let k = self.marks.partition_point(|m| m.0 < v);
        v + k.checked_sub(1).map_or(self.base, |k| self.marks[k].2)
    }

    /// [`AsciiView::to_view`], for a text offset inside the span.
    pub fn to_view(&self, t: usize) -> usize {
        let k = self.marks.partition_point(|m| m.1 < t);
        t - k.checked_sub(1).map_or(self.base, |k| self.marks[k].2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_run_is_the_leading_ascii_bytes() {
        let mut x: u32 = 7;
        for len in 0..40 {
            for _ in 0..50 {
                let b: Vec<u8> = (0..len)
                    .map(|_| {
                        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        // mostly ASCII, now and then a high byte
                        if (x >> 16).is_multiple_of(23) {
                            0xC3
                        } else {
                            (x >> 16) as u8 & 0x7F
                        }
                    })
                    .collect();
                let naive = b.iter().position(|c| !c.is_ascii()).unwrap_or(b.len());
                assert_eq!(ascii_run(&b), naive, "{b:?}");
            }
        }
    }

    #[test]
    fn count_breaks_counts_every_line_feed() {
        let long = "word \n".repeat(100) + &"x".repeat(300) + "\r\n\n";
        for t in ["", "\n", "a", "a\nb", "\n\n\n", "é\n—\r\n", long.as_str()] {
            let naive = t.bytes().filter(|&b| b == b'\n').count();
            assert_eq!(count_breaks(t.as_bytes()), naive, "{t:?}");
        }
    }

    #[test]
    fn nfd_maps_back() {
        let src = "Cafe\u{301} au lait\u{a0}: ok";
        let v = NormView::new(src);
        assert_eq!(v.text, "Café au lait : ok");
        let i = v.text.find("au").unwrap();
        let o = v.to_orig(i, false);
        assert_eq!(&src[o..o + 2], "au");
        let c = v.text.find(':').unwrap();
        assert_eq!(&src[v.to_orig(c, false)..v.to_orig(c + 1, true)], ":");
        let e = v.text.find('é').unwrap();
        assert_eq!(&src[v.span_to_orig(&(e..e + 2))], "e\u{301}");
    }

    /// `NormView::new` against its definition: each cluster (a char and
    /// the combining marks after it) in NFC, a lone folded space as ` `, a
    /// lone ’ between letters (the base char of the cluster before, the
    /// char after) as `'`; the view borrows when nothing changes.
    #[test]
    fn normalizes_like_its_definition() {
        let alphabet = [
            "a", "é", "e\u{301}", "\u{301}", "\u{327}", "’", "\u{a0}", "\u{202f}", "\u{1100}",
            "\u{1161}", "Å", "\u{212b}", "—", " ", "ﬁ",
        ];
        let reference = |src: &str| -> String {
            let chars: Vec<char> = src.chars().collect();
            let mut out = String::new();
            let mut k = 0;
            let mut prev = false;
            while k < chars.len() {
                let mut e = k + 1;
                while e < chars.len() && canonical_combining_class(chars[e]) != 0 {
                    e += 1;
                }
                let c = chars[k];
                let single = e == k + 1;
                let next = chars.get(e).is_some_and(|d| d.is_alphabetic());
                if is_fold_space(c) && single {
                    out.push(' ');
                } else if c == '\u{2019}' && prev && next && single {
                    out.push('\'');
                } else {
                    out.extend(chars[k..e].iter().copied().nfc());
                }
                prev = c.is_alphabetic();
                k = e;
            }
            out
        };
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    let src = format!("{a}{b}{c}");
                    let v = NormView::new(&src);
                    assert_eq!(v.text, reference(&src), "{src:?}");
                    assert_eq!(matches!(v.text, Cow::Borrowed(_)), v.text == src, "{src:?}");
                }
            }
        }
    }

    #[test]
    fn sentences_split() {
        let t = "Mr. Smith said it. He left! Then J. Doe came at 3 p.m. yesterday. Done";
        let mut out = Vec::new();
        sentences(t, 0..t.len(), &mut out);
        let s: Vec<&str> = out.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(
            s,
            [
                "Mr. Smith said it.",
                "He left!",
                "Then J. Doe came at 3 p.m. yesterday.",
                "Done"
            ]
        );
        // a quotation mark before an abbreviation-like word (was a panic)
        let t = "He said “Hi. There is more.";
        let mut out = Vec::new();
        sentences(t, 0..t.len(), &mut out);
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn line_col_on_long_lines_counts_like_a_plain_count() {
        let line = "é Goussev ou ".repeat(COL_MARK / 4);
        let text = format!("{line}\nshort\n{line}x{line}\n\n{line}");
        let li = LineIndex::new(&text);
        for off in (0..=text.len()).step_by(61).chain([text.len()]) {
            let o = floor_char(&text, off);
            let ls = text[..o].rfind('\n').map_or(0, |i| i + 1);
            let want = (
                text[..o].matches('\n').count() + 1,
                text[ls..o].chars().count() + 1,
            );
            assert_eq!(li.line_col(off), want, "offset {off}");
        }
    }

    #[test]
    fn line_col_counts_chars() {
        let t = "ab\n«é» x";
        let li = LineIndex::new(t);
        let x = t.find('x').unwrap();
        assert_eq!(li.line_col(x), (2, 5));
        assert_eq!(li.line_col(0), (1, 1));
    }

    #[test]
    fn paragraphs_split_on_blank_lines() {
        let t = "a b\nc\n\n  \nd\n";
        let p: Vec<&str> = paragraphs(t).into_iter().map(|r| &t[r]).collect();
        assert_eq!(p, ["a b\nc", "d"]);
        // Against the same rule over `split_inclusive` lines: no final
        // break, CRLF, blank lines of Unicode spaces, only breaks.
        let reference = |text: &str| {
            let (mut out, mut start, mut pos, mut last) = (Vec::new(), None, 0, 0);
            for line in text.split_inclusive('\n') {
                let content = line.trim_end_matches(['\n', '\r']);
                if content.trim().is_empty() {
                    if let Some(s) = start.take() {
                        out.push(s..last);
                    }
                } else {
                    start.get_or_insert(pos + content.len() - content.trim_start().len());
                    last = pos + content.trim_end().len();
                }
                pos += line.len();
            }
            out.extend(start.map(|s| s..last));
            out
        };
        for t in [
            "",
            "\n",
            "\n\n\n",
            "x",
            " x \r\n\r\ny\r\n",
            "a\n\u{3000}\u{a0}\n b\nc",
            "é\n\n\n\tß  \n\u{2029}\nlast",
        ] {
            assert_eq!(paragraphs(t), reference(t), "{t:?}");
        }
    }

    #[test]
    fn to_norm_inverts_to_orig() {
        let src = "Cafe\u{301} au\u{a0}lait";
        let v = NormView::new(src);
        for (i, _) in v.text.char_indices() {
            assert_eq!(v.to_norm(v.to_orig(i, false), false), i);
        }
        let e = src.find('e').unwrap();
        assert_eq!(&v.text[v.span_to_norm(&(e..e + 3))], "é");
    }

    #[test]
    fn paragraphs_cut_at_blocks() {
        let t = "# Title\nLine one\n\n| a | b |\n";
        let blocks = [2..7, 8..16, 20..21, 24..25];
        let p: Vec<&str> = paragraphs_in(t, &blocks)
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(p, ["Title", "Line one", "a", "b"]);
    }

    #[test]
    fn case_matching() {
        assert_eq!(match_case("Pretending", "claiming"), "Claiming");
        assert_eq!(match_case("OTAN", "nato"), "NATO");
        assert_eq!(match_case("otan", "NATO"), "NATO");
    }

    #[test]
    fn ascii_view_maps_offsets_both_ways() {
        let t = "A “café” — l’été\u{3000}x";
        let v = AsciiView::new(t);
        assert!(v.text.is_ascii());
        assert_eq!(v.text.chars().count(), t.chars().count());
        assert_eq!(&*v.text, "A \u{1}caf_\u{1} \u{1} l\u{1}_t_\u{b}x");
        let starts: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
        for (k, &o) in starts.iter().enumerate() {
            assert_eq!(v.to_view(o), k, "{o}");
            assert_eq!(v.to_text(k), o, "{k}");
        }
        assert!(matches!(AsciiView::new("plain").text, Cow::Borrowed(_)));
    }

    #[test]
    fn local_view_maps_as_the_whole_view() {
        for t in [
            "A “café” — l’été\u{3000}x",
            "plain ASCII",
            "ééé",
            "x é y\n\n“z” w é",
            "",
        ] {
            let v = AsciiView::new(t);
            let starts: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            for (i, &a) in starts.iter().enumerate() {
                for &b in &starts[i..] {
                    let local = v.local(a..b);
                    for &o in starts.iter().filter(|&&o| a <= o && o <= b) {
                        assert_eq!(local.to_view(o), v.to_view(o), "{t:?} {a}..{b} at {o}");
                    }
                    for k in v.to_view(a)..=v.to_view(b) {
                        assert_eq!(local.to_text(k), v.to_text(k), "{t:?} {a}..{b} at {k}");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod byte_finder_tests {
    use super::ByteFinder;

    #[test]
    fn finds_like_a_byte_scan() {
        let hays: [&[u8]; 6] = [
            b"",
            b"x",
            b"plain text without any of them, longer than eight",
            "Dr. Who?\n“Yes!” … 3.5 état (x) [y]".as_bytes(),
            b"\x00\x80\xff\x7f!!!!!!!!????????........\n",
            b"abcdefgh.abcdefg.abcdefgh",
        ];
        // One to five distinct bytes (`memchr` looks for three at once).
        let sets: [&[u8]; 7] = [
            b"\n.!?",
            b"()[]",
            b"(",
            b"\x00\xff",
            b"..!!",
            b"\"\xe2\xc2",
            b".!?\n\xe2",
        ];
        for set in sets {
            let f = ByteFinder::new(set).unwrap();
            for hay in hays {
                for from in 0..=hay.len() + 1 {
                    let want = (from..hay.len()).find(|&i| set.contains(&hay[i]));
                    assert_eq!(f.find(hay, from), want, "{set:?} {hay:?} {from}");
                }
            }
        }
        assert!(ByteFinder::new(b"").is_none());
        assert!(ByteFinder::new(b"abcdef").is_none());
        assert!(ByteFinder::new(b"aabbccdd").is_some());
    }
}
