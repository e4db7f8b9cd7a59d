//! The parts of a checked file that its report needs: the whole lines that
//! hold a finding or one of its edits, each with its line number.
//!
//! A report keeps these instead of the file: memory grows with the number
//! of findings, not with the size or the number of files, and a file too
//! large to hold can be checked piece by piece (`lib::check_streamed`).
//! Every consumer of a report (line and column, the source line under a
//! diagnostic, fingerprints, merged edits, suppression texts) reads only
//! the lines of a finding.

use crate::finding::Finding;
use crate::text::{COL_MARK as MARK, count_breaks, floor_char};
use std::ops::Range;
use std::sync::OnceLock;

/// Sorted, disjoint runs of whole lines of one file.
///
/// The kept lines live end to end in one string, and each segment is an
/// offset into it: a report on a long file keeps tens of thousands of
/// segments, and one allocation per segment cost a third more memory than
/// the lines themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Excerpts {
    /// Length of the file in bytes.
    len: usize,
    /// Every segment's lines, in order: segment `i` is
    /// `text[segs[i].at..segs[i + 1].at]` (the last one runs to the end).
    text: String,
    segs: Vec<Seg>,
}

#[derive(Debug, Clone)]
struct Seg {
    /// Byte offset in the file (a line start).
    start: usize,
    /// 1-based number of the line starting at `start`.
    line: usize,
    /// Where its whole lines (with their line breaks) start in `text`.
    at: usize,
    /// Every `MARK` bytes of its lines: (offset of a char boundary, line
    /// breaks before it, chars since the start of its line). Built on the
    /// first `line_col`, so that each answer reads at most `MARK` bytes: a
    /// long line with thousands of findings would otherwise be read again
    /// for each. Reset whenever the segment grows.
    marks: OnceLock<Vec<(usize, usize, usize)>>,
}

impl PartialEq for Seg {
    fn eq(&self, o: &Seg) -> bool {
        (self.start, self.line, self.at) == (o.start, o.line, o.at)
    }
}
impl Eq for Seg {}

/// One kept segment: its file offset, first line number, lines and marks.
struct View<'a> {
    start: usize,
    line: usize,
    text: &'a str,
    marks: &'a OnceLock<Vec<(usize, usize, usize)>>,
}

impl View<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }

    fn marks(&self) -> &[(usize, usize, usize)] {
        self.marks
            .get_or_init(|| crate::text::line_marks(self.text, MARK))
    }
}

impl Excerpts {
    /// All of `text` (a configuration file, a test).
    pub fn whole(text: String) -> Excerpts {
        let len = text.len();
        let mut x = Excerpts {
            len,
            text,
            segs: Vec::new(),
        };
        if len > 0 {
            x.segs.push(Seg {
                start: 0,
                line: 1,
                at: 0,
                marks: OnceLock::new(),
            });
        }
        x
    }

    /// The lines of `text` that `findings` (spans and edits) touch.
    pub fn of(text: &str, findings: &[Finding]) -> Excerpts {
        let mut x = Excerpts::default();
        x.append(text, 0, 1, findings.iter().flat_map(ranges));
        x
    }

    /// Segment `i`.
    fn view(&self, i: usize) -> Option<View<'_>> {
        let s = self.segs.get(i)?;
        let to = self.segs.get(i + 1).map_or(self.text.len(), |n| n.at);
        Some(View {
            start: s.start,
            line: s.line,
            text: &self.text[s.at..to],
            marks: &s.marks,
        })
    }

    /// The file offset where the last segment ends.
    fn last_end(&self) -> Option<usize> {
        let s = self.segs.last()?;
        Some(s.start + self.text.len() - s.at)
    }

    /// Add `more` (the lines right after it) to the last segment.
    fn extend_last(&mut self, more: &str) {
        self.text.push_str(more);
        if let Some(s) = self.segs.last_mut() {
            s.marks = OnceLock::new();
        }
    }

    /// Start a segment at file offset `start`, line `line`, with `lines`.
    fn push_seg(&mut self, start: usize, line: usize, lines: &str) {
        self.segs.push(Seg {
            start,
            line,
            at: self.text.len(),
            marks: OnceLock::new(),
        });
        self.text.push_str(lines);
    }

    /// Add the lines of a piece of the file that `ranges` touch: `piece`
    /// starts at file offset `base`, on line `line`, after every piece
    /// added before; `ranges` are relative to `piece`, in any order.
    pub fn append(
        &mut self,
        piece: &str,
        base: usize,
        line: usize,
        ranges: impl Iterator<Item = Range<usize>>,
    ) {
        debug_assert!(base >= self.len);
        let b = piece.as_bytes();
        let mut spans: Vec<(usize, usize)> = ranges
            .map(|r| {
                let s = r.start.min(b.len());
                (s, r.end.clamp(s, b.len()))
            })
            .collect();
        spans.sort_unstable();
        // Each range's lines: from the start of the line holding its start
        // through the end of the line holding its end (a range ending after
        // a line break ends on the next line, and reports read that line
        // too: its start, its first words). Starts are found moving forward
        // once over the piece, and the end of the last line found is reused
        // while ranges end in it: a long line with many findings is not
        // read again for each.
        let (mut scanned, mut ls) = (0, 0);
        let mut last_line: Option<(usize, usize)> = None;
        let mut lines: Vec<Range<usize>> = Vec::with_capacity(spans.len());
        for (s, e) in spans {
            if let Some(i) = memrchr_nl(&b[scanned..s]) {
                ls = scanned + i + 1;
            }
            scanned = s;
            let le = match last_line {
                Some((from, le)) if from <= e && e < le => le,
                _ => {
                    let le = memchr_nl(&b[e..]).map_or(b.len(), |i| e + i + 1);
                    last_line = Some((e, le));
                    le
                }
            };
            lines.push(ls..le);
        }
        lines.sort_unstable_by_key(|r| (r.start, r.end));
        // Line numbers are counted forward from `cur` (line `cur_line`),
        // once over the piece.
        let (mut cur, mut cur_line) = (0, line);
        for r in lines {
            if let Some(end) = self.last_end()
                && base + r.start <= end
            {
                // Touches or overlaps the last kept lines: extend them.
                if base + r.end > end
                    && let Some(more) = piece.get(end - base..r.end)
                {
                    self.extend_last(more);
                }
                continue;
            }
            let Some(t) = piece.get(r.clone()) else {
                continue;
            };
            cur_line += count_breaks(&b[cur..r.start]);
            cur = r.start;
            self.push_seg(base + r.start, cur_line, t);
        }
        self.len = self.len.max(base + piece.len());
    }

    /// Append the excerpts of a later piece of the same file, made with
    /// `append(piece, base, 1, …)`: its line numbers are shifted so that
    /// its first line is `line`.
    pub fn absorb(&mut self, other: Excerpts, line: usize) {
        for (i, seg) in other.segs.iter().enumerate() {
            let Some(v) = other.view(i) else { continue };
            if self.last_end() == Some(seg.start) {
                self.extend_last(v.text);
            } else {
                self.push_seg(seg.start, seg.line + line - 1, v.text);
            }
        }
        self.len = self.len.max(other.len);
    }

    /// Length of the whole file in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The kept segment holding `off` (a segment's end counts as in it).
    fn seg(&self, off: usize) -> Option<View<'_>> {
        let i = self.segs.partition_point(|s| s.start <= off);
        let v = self.view(i.checked_sub(1)?)?;
        (off <= v.end()).then_some(v)
    }

    /// The text of `r` when it lies within kept lines.
    pub fn get(&self, r: Range<usize>) -> Option<&str> {
        let s = self.seg(r.start)?;
        s.text.get(r.start - s.start..r.end.checked_sub(s.start)?)
    }

    /// The largest char boundary at or below `off` (`off` itself when it is
    /// not in a kept line).
    pub fn floor_char(&self, off: usize) -> usize {
        let off = off.min(self.len);
        match self.seg(off) {
            Some(s) => s.start + floor_char(s.text, off - s.start),
            None => off,
        }
    }

    /// 1-based line and column (in Unicode scalar values) of byte `off`,
    /// as `LineIndex::line_col` gives on the whole text; `(0, 0)` when
    /// `off` is not in a kept line.
    pub fn line_col(&self, off: usize) -> (usize, usize) {
        let off = off.min(self.len);
        let Some(s) = self.seg(off) else {
            return (0, 0);
        };
        let rel = floor_char(s.text, off - s.start);
        let marks = s.marks();
        let (at, breaks, col) = marks[marks.partition_point(|m| m.0 <= rel) - 1];
        let chunk = &s.text[at..rel];
        match memrchr_nl(chunk.as_bytes()) {
            Some(i) => (
                s.line + breaks + count_breaks(chunk.as_bytes()),
                chunk[i + 1..].chars().count() + 1,
            ),
            None => (s.line + breaks, col + chunk.chars().count() + 1),
        }
    }

    /// The byte range of 1-based `line` without its line terminator, as
    /// `LineIndex::line_range` gives; empty when the line is not kept.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let i = self.segs.partition_point(|s| s.line <= line);
        let Some(s) = i.checked_sub(1).and_then(|i| self.view(i)) else {
            return 0..0;
        };
        let b = s.text.as_bytes();
        let mut at = 0;
        for _ in s.line..line {
            match memchr_nl(&b[at..]) {
                Some(k) => at += k + 1,
                None => return 0..0,
            }
        }
        if at == b.len() && s.end() < self.len {
            // The line after the segment is not kept, but its start is
            // known (an edit may end there, at the end of a piece).
            return s.end()..s.end();
        }
        let mut e = memchr_nl(&b[at..]).map_or(b.len(), |k| at + k);
        if e > at && b[e - 1] == b'\r' {
            e -= 1;
        }
        s.start + at..s.start + e
    }

    /// The kept lines around `r`, with their file offset: a text in which
    /// `r - offset` has the same line context as in the file.
    pub fn lines_around(&self, r: &Range<usize>) -> Option<(usize, &str)> {
        let s = self.seg(r.start)?;
        (r.end <= s.end()).then_some((s.start, s.text))
    }

    /// The kept segments, with their file offsets.
    pub fn segments(&self) -> impl Iterator<Item = (usize, &str)> {
        (0..self.segs.len()).filter_map(|i| self.view(i).map(|v| (v.start, v.text)))
    }
}

/// The byte ranges a finding's report reads: its span, and each
/// suggestion from its first edit to its last (a merged edit keeps the
/// text between them).
pub fn ranges(f: &Finding) -> impl Iterator<Item = Range<usize>> + '_ {
    std::iter::once(f.span.clone()).chain(f.suggestions.iter().filter_map(|s| {
        let start = s.edits.iter().map(|e| e.start).min()?;
        let end = s.edits.iter().map(|e| e.end).max()?;
        Some(start..end.max(start))
    }))
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    memchr::memchr(b'\n', b)
}

fn memrchr_nl(b: &[u8]) -> Option<usize> {
    memchr::memrchr(b'\n', b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::LineIndex;

    fn keep(text: &str, spans: &[Range<usize>]) -> Excerpts {
        let mut x = Excerpts::default();
        x.append(text, 0, 1, spans.iter().cloned());
        x
    }

    /// Every position of every kept line answers as the whole text does.
    fn agrees(text: &str, x: &Excerpts) {
        let li = LineIndex::new(text);
        let mut kept = 0;
        for off in 0..=text.len() {
            if x.get(off..off).is_none() {
                continue;
            }
            kept += 1;
            let (l, c) = li.line_col(off);
            assert_eq!(x.line_col(off), (l, c), "offset {off} of {text:?}");
            // A kept segment's end is the start of a line it may not keep.
            if x.lines_around(&(off..off + 1)).is_some() || off == text.len() {
                assert_eq!(x.line_range(l), li.line_range(l), "line {l} of {text:?}");
            }
            assert_eq!(x.floor_char(off), floor_char(text, off));
        }
        assert!(kept > 0 || text.is_empty());
    }

    #[test]
    fn kept_lines_answer_like_the_whole_text() {
        let text = "one\r\ntwo é three\n\nfour\nfive ü\nsix";
        for a in 0..text.len() {
            for b in a..=text.len().min(a + 7) {
                let x = keep(text, std::slice::from_ref(&(a..b)));
                agrees(text, &x);
                if text.is_char_boundary(a) && text.is_char_boundary(b) {
                    assert_eq!(x.get(a..b), Some(&text[a..b]));
                }
            }
        }
        agrees(text, &Excerpts::whole(text.to_string()));
    }

    /// Lines longer than a mark, with multi-byte chars across mark
    /// boundaries, many ranges on one line (in any order), a line break
    /// right at a mark: the marks and the reused line ends answer as the
    /// whole text does.
    #[test]
    fn long_lines_with_many_findings_answer_like_the_whole_text() {
        let long = "Goussev é ou ".repeat(1200);
        let text = format!("{long}\n{}\nshort\n{long}ü\n\n{long}", "x".repeat(MARK - 1));
        let spans: Vec<Range<usize>> = (0..text.len())
            .step_by(997)
            .rev()
            .map(|a| a..(a + 5).min(text.len()))
            .chain([0..0, text.len()..text.len(), 3..text.len() - 3])
            .collect();
        agrees(&text, &keep(&text, &spans));
        agrees(&text, &keep(&text, &spans[..20]));
        agrees(&text, &Excerpts::whole(text.clone()));
        // Grown after its marks were built: a later piece whose first line
        // follows the kept one.
        let cut = long.len() + 1;
        let mut x = keep(&text[..cut], std::slice::from_ref(&(0..1)));
        assert_eq!(x.line_col(cut - 1), (1, long.chars().count() + 1));
        let mut later = Excerpts::default();
        later.append(&text[cut..], cut, 1, std::iter::once(0..1));
        x.absorb(later, 2);
        assert_eq!(x.segments().count(), 1);
        assert_eq!(x.line_col(cut + 1), (2, 2));
        assert_eq!(x.line_col(cut - 1), (1, long.chars().count() + 1));
    }

    #[test]
    fn only_touched_lines_are_kept() {
        let text = "aa\nbb\ncc\ndd\nee\n";
        let x = keep(text, &[7..8, 13..14, 1..2]);
        let segs: Vec<_> = x.segments().collect();
        assert_eq!(segs, vec![(0, "aa\n"), (6, "cc\n"), (12, "ee\n")]);
        assert_eq!(x.line_col(13), (5, 2));
        assert_eq!(x.get(3..5), None);
        assert_eq!(x.line_col(4), (0, 0));
        assert_eq!(
            x.line_range(2),
            3..3,
            "the start of the line after a kept one"
        );
        assert_eq!(x.line_range(4), 9..9);
        assert_eq!(x.len(), text.len());
        // Touching lines merge; a span across lines keeps all of them.
        let x = keep(text, &[1..2, 4..5]);
        assert_eq!(x.segments().collect::<Vec<_>>(), vec![(0, "aa\nbb\n")]);
        // A range ending after a line break ends on the next line.
        let x = keep(text, std::slice::from_ref(&(0..3)));
        assert_eq!(x.segments().collect::<Vec<_>>(), vec![(0, "aa\nbb\n")]);
    }

    #[test]
    fn pieces_append_in_order() {
        let text = "a b\nc d\n\ne f\ng h\n\ni j\n";
        let cut = text.find("\n\ne").unwrap() + 2;
        let (p1, p2) = text.split_at(cut);
        let mut x = Excerpts::default();
        x.append(p1, 0, 1, [2..3, 6..7].into_iter());
        let line2 = 1 + count_breaks(p1.as_bytes());
        x.append(p2, cut, line2, [0..1, 13..14].into_iter());
        let whole = keep(text, &[2..3, 6..7, cut..cut + 1, cut + 13..cut + 14]);
        assert_eq!(x, whole);
        agrees(text, &x);
        // Pieces made apart (on worker threads) and absorbed in order.
        let mut y = Excerpts::default();
        y.append(p1, 0, 1, [2..3, 6..7].into_iter());
        let mut z = Excerpts::default();
        z.append(p2, cut, 1, [0..1, 13..14].into_iter());
        y.absorb(z, line2);
        assert_eq!(y, whole);
        // A segment ending where the next piece's first one starts merges.
        let mut y = Excerpts::default();
        y.append(p1, 0, 1, std::iter::once(cut - 1..cut));
        let mut z = Excerpts::default();
        z.append(p2, cut, 1, std::iter::once(0..1));
        y.absorb(z, line2);
        assert_eq!(y, keep(text, &[cut - 1..cut, cut..cut + 1]));
    }

    #[test]
    fn out_of_range_asks_do_not_panic() {
        #[allow(clippy::reversed_empty_ranges)]
        let x = keep("abc", &[5..9, 2..1]);
        assert_eq!(x.get(9..12), None);
        let _ = x.line_col(100);
        let _ = x.line_range(0);
        let _ = x.line_range(100);
        assert_eq!(Excerpts::default().line_col(0), (0, 0));
    }
}
