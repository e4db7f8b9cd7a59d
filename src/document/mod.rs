//! Documents: which bytes of a file are prose. Every format produces a
//! "prose" string of the same length as the file, with non-prose bytes
//! blanked (newlines kept), and the list of blanked ranges; offsets never
//! move, so every finding refers to the original bytes.
//!
//! Structured formats (Markdown, HTML) also give the *blocks* of the
//! document (paragraphs, headings, list items, table cells, alt texts …), so
//! that two blocks on adjacent lines are never read as one paragraph, and
//! the HTML comments that may hold suppression directives.

mod html;
mod markdown;

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

impl Format {
    /// The format for a path, by extension (plain text by default).
    pub fn for_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("md" | "markdown" | "mdown" | "mkd") => Format::Markdown,
            Some("html" | "htm" | "xhtml") => Format::Html,
            _ => Format::Text,
        }
    }
}

/// The prose of a document and the ranges that are not prose.
pub struct Prose<'a> {
    pub text: Cow<'a, str>,
    /// Blanked ranges that hold content that is not prose (code, URLs and
    /// link destinations, HTML comments, front matter …), trimmed of
    /// whitespace, sorted and disjoint; a finding touching one is dropped.
    /// Markup punctuation that only frames prose (`**`, `[`, `#`, `>`,
    /// table pipes, inline HTML tags) is blanked but not masked, so a
    /// "Read also: [title](url)" line is still one finding.
    pub masked: Vec<Range<usize>>,
    /// The document's blocks (paragraphs, headings, list items, table
    /// cells, alt texts, front-matter values …), sorted and disjoint; the
    /// engine never lets a paragraph or sentence cross a block boundary.
    /// `None` for plain text: paragraphs are split at blank lines only.
    pub blocks: Option<Vec<Range<usize>>>,
    /// HTML comments (`<!-- … -->`) outside code, for suppression
    /// directives; sorted.
    pub comments: Vec<Range<usize>>,
}

/// Extract the prose of `text` in `format`.
pub fn prose(text: &str, format: Format) -> Prose<'_> {
    // A byte-order mark is not prose.
    let base = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    match format {
        Format::Text => plain(text, base),
        Format::Markdown => {
            let mut x = Extract::default();
            x.mask(0..base);
            markdown::extract(text, base, &mut x);
            x.finish(text)
        }
        Format::Html => {
            let mut x = Extract::default();
            x.mask(0..base);
            html::scan(text, base..text.len(), &mut x);
            x.finish(text)
        }
    }
}

fn plain(text: &str, base: usize) -> Prose<'_> {
    if base == 0 {
        return Prose {
            text: Cow::Borrowed(text),
            masked: Vec::new(),
            blocks: None,
            comments: Vec::new(),
        };
    }
    let mut s = String::with_capacity(text.len());
    s.push_str("   ");
    s.push_str(&text[base..]);
    Prose {
        text: Cow::Owned(s),
        masked: std::iter::once(0..base).collect(),
        blocks: None,
        comments: Vec::new(),
    }
}

/// What an extractor collects: the prose ranges (each with the id of the
/// block it belongs to) and the comments.
#[derive(Default)]
pub(crate) struct Extract {
    /// Prose ranges of the original text and their block ids.
    keep: Vec<(Range<usize>, usize)>,
    /// Ranges of content that is not prose (see `Prose::masked`).
    content: Vec<Range<usize>>,
    comments: Vec<Range<usize>>,
    next_block: usize,
}

impl Extract {
    /// A fresh block id.
    pub(crate) fn new_block(&mut self) -> usize {
        self.next_block += 1;
        self.next_block - 1
    }

    pub(crate) fn keep(&mut self, r: Range<usize>, block: usize) {
        if r.start < r.end {
            self.keep.push((r, block));
        }
    }

    /// Mark `r` as non-prose content (kept ranges inside it stay prose).
    pub(crate) fn mask(&mut self, r: Range<usize>) {
        if r.start < r.end {
            self.content.push(r);
        }
    }

    /// An HTML comment: masked, and a place for suppression directives.
    pub(crate) fn comment(&mut self, r: Range<usize>) {
        self.mask(r.clone());
        self.comments.push(r);
    }

    /// Build the prose: blank everything not kept (and bare URLs inside kept
    /// text), derive the masked ranges and the blocks.
    fn finish(mut self, text: &str) -> Prose<'_> {
        self.keep.sort_by_key(|(r, _)| (r.start, r.end));
        // Blocks: runs of consecutive kept ranges with the same id.
        let mut blocks: Vec<Range<usize>> = Vec::new();
        let mut run: Option<(Range<usize>, usize)> = None;
        let mut last_end = 0;
        for (r, id) in &self.keep {
            if r.start < last_end {
                continue; // overlapping (should not happen): ignore
            }
            last_end = r.end;
            match &mut run {
                Some((cur, cid)) if *cid == *id => cur.end = r.end,
                _ => {
                    if let Some((cur, _)) = run.take() {
                        push_trimmed(text, cur, &mut blocks);
                    }
                    run = Some((r.clone(), *id));
                }
            }
        }
        if let Some((cur, _)) = run {
            push_trimmed(text, cur, &mut blocks);
        }
        // Prose ranges, without bare URLs (which are masked content).
        let mut keep: Vec<Range<usize>> = Vec::with_capacity(self.keep.len());
        let mut last_end = 0;
        for (r, _) in &self.keep {
            if r.start < last_end {
                continue;
            }
            last_end = r.end;
            without_urls(text, r.clone(), &mut keep, &mut self.content);
        }
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        for r in keep
            .iter()
            .chain(std::iter::once(&(text.len()..text.len())))
        {
            if r.start > pos {
                blank(&text[pos..r.start], &mut out);
            }
            out.push_str(&text[r.clone()]);
            pos = r.end;
        }
        debug_assert_eq!(out.len(), text.len());
        let masked = masked_ranges(text, self.content, &keep);
        self.comments.sort_by_key(|r| r.start);
        Prose {
            text: Cow::Owned(out),
            masked,
            blocks: Some(blocks),
            comments: self.comments,
        }
    }
}

/// Spaces for every byte of `s`, line breaks kept: valid UTF-8 of the same
/// length, since every byte of a multi-byte char becomes a space.
fn blank(s: &str, out: &mut String) {
    for b in s.bytes() {
        out.push(if b == b'\n' || b == b'\r' {
            b as char
        } else {
            ' '
        });
    }
}

/// The content ranges merged, minus the kept (prose) ranges, each trimmed
/// of whitespace (blanking whitespace changes nothing, so a finding across
/// a line break stays).
fn masked_ranges(
    text: &str,
    mut content: Vec<Range<usize>>,
    keep: &[Range<usize>],
) -> Vec<Range<usize>> {
    content.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(content.len());
    for r in content {
        match merged.last_mut() {
            Some(l) if r.start <= l.end => l.end = l.end.max(r.end),
            _ => merged.push(r),
        }
    }
    let mut out = Vec::with_capacity(merged.len());
    let mut k = 0;
    for m in merged {
        let mut pos = m.start;
        while k < keep.len() && keep[k].end <= pos {
            k += 1;
        }
        let mut j = k;
        while j < keep.len() && keep[j].start < m.end {
            if keep[j].start > pos {
                push_trimmed(text, pos..keep[j].start, &mut out);
            }
            pos = pos.max(keep[j].end);
            j += 1;
        }
        if pos < m.end {
            push_trimmed(text, pos..m.end, &mut out);
        }
    }
    out
}

fn push_trimmed(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    let t = s.trim_start();
    let start = r.start + (s.len() - t.len());
    let end = start + t.trim_end().len();
    if start < end {
        out.push(start..end);
    }
}

/// Split `r` around the bare URLs it holds (`http://…`, `https://…`,
/// `ftp://…`, `mailto:…`, `www.…`): a URL runs to the next whitespace or
/// angle bracket, without trailing sentence punctuation.
fn without_urls(
    text: &str,
    r: Range<usize>,
    out: &mut Vec<Range<usize>>,
    urls: &mut Vec<Range<usize>>,
) {
    let s = &text[r.clone()];
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let at_word_start = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        // An ASCII letter is always a char boundary.
        if at_word_start
            && matches!(b[i] | 0x20, b'h' | b'f' | b'm' | b'w')
            && let Some(n) = url_len(&s[i..])
        {
            if i > start {
                out.push(r.start + start..r.start + i);
            }
            urls.push(r.start + i..r.start + i + n);
            i += n;
            start = i;
            continue;
        }
        i += 1;
    }
    if start < b.len() {
        out.push(r.start + start..r.end);
    }
}

/// The length of the URL at the start of `s`, if one starts there.
fn url_len(s: &str) -> Option<usize> {
    const SCHEMES: &[&str] = &["https://", "http://", "ftp://", "mailto:", "www."];
    let scheme = SCHEMES.iter().find(|p| {
        s.len() >= p.len() && s.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
    })?;
    let end = s
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '“' | '”' | '«' | '»'))
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    let mut url = &s[..end];
    // Trailing punctuation ends the sentence, not the URL; a closing
    // bracket stays only when the URL opened one.
    while let Some(c) = url.chars().next_back() {
        let unbalanced_close = match c {
            ')' => url.matches('(').count() < url.matches(')').count(),
            ']' => url.matches('[').count() < url.matches(']').count(),
            _ => false,
        };
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '’') || unbalanced_close {
            url = &url[..url.len() - c.len_utf8()];
        } else {
            break;
        }
    }
    (url.len() > scheme.len()).then_some(url.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_invariants(text: &str, p: &Prose) {
        assert_eq!(p.text.len(), text.len());
        for (i, (a, b)) in text.bytes().zip(p.text.bytes()).enumerate() {
            assert!(a == b || b == b' ', "byte {i} changed to something else");
            if a == b'\n' {
                assert_eq!(b, b'\n');
            }
        }
        for w in p.masked.windows(2) {
            assert!(w[0].end <= w[1].start, "masked ranges sorted and disjoint");
        }
        if let Some(bl) = &p.blocks {
            for w in bl.windows(2) {
                assert!(w[0].end <= w[1].start, "blocks sorted and disjoint");
            }
        }
    }

    fn prose_of(text: &str, f: Format) -> String {
        let p = prose(text, f);
        check_invariants(text, &p);
        p.text.into_owned()
    }

    #[test]
    fn bom_is_blanked_in_every_format() {
        for f in [Format::Text, Format::Markdown, Format::Html] {
            let t = "\u{FEFF}Hello world.";
            let p = prose(t, f);
            check_invariants(t, &p);
            assert_eq!(&p.text[..3], "   ");
            assert_eq!(&p.text[3..], "Hello world.");
            assert!(p.masked.first().is_some_and(|m| m.start == 0));
        }
    }

    #[test]
    fn bare_urls_are_blanked() {
        let t = "See https://example.com/a_(b), then www.x.org. And (http://y.fr/z).";
        let p = prose_of(t, Format::Markdown);
        assert!(!p.contains("http"), "{p}");
        assert!(!p.contains("www"), "{p}");
        assert!(p.starts_with("See "));
        assert!(p.contains(", then "));
        assert!(p.contains(". And ("), "{p}");
        assert!(p.ends_with(")."), "{p}");
    }

    #[test]
    fn url_len_trims_sentence_punctuation() {
        assert_eq!(url_len("https://a.b/c. Next"), Some("https://a.b/c".len()));
        assert_eq!(
            url_len("https://a.b/x_(y)"),
            Some("https://a.b/x_(y)".len())
        );
        assert_eq!(url_len("http://"), None);
        assert_eq!(url_len("whatever"), None);
    }

    #[test]
    fn multibyte_chars_are_blanked_whole() {
        let t = "`« é »` and «x»\n";
        let p = prose_of(t, Format::Markdown);
        assert_eq!(p.len(), t.len());
        assert!(p.contains("and «x»"));
        assert!(!p.contains('é'));
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::for_path(Path::new("a/b.md")), Format::Markdown);
        assert_eq!(Format::for_path(Path::new("a/b.HTML")), Format::Html);
        assert_eq!(Format::for_path(Path::new("a/b.htm")), Format::Html);
        assert_eq!(Format::for_path(Path::new("a/b.txt")), Format::Text);
        assert_eq!(Format::for_path(Path::new("a/b")), Format::Text);
    }
}
