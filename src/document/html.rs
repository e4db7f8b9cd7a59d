//! A small HTML scanner (no DOM): text nodes and the `alt` and `title`
//! attribute values are prose; tags, comments, character references and the
//! content of `script`, `style`, `code`, `pre` (and `kbd`, `samp`,
//! `textarea`) are not. Block-level tags (anything not in `INLINE`) start a
//! new block; a prose attribute value is a block of its own, except on an
//! inline element, where it stays in the paragraph.
//!
//! It is used for `.html` files and for the HTML blocks and inline HTML of
//! Markdown. It never fails: an unclosed tag or comment runs to the end of
//! the scanned range.

use super::Extract;
use std::ops::Range;

/// Elements whose content is code, not prose (they may nest).
pub(crate) const SKIP: &[&str] = &["code", "pre", "kbd", "samp", "textarea"];
/// Elements whose content is raw text up to their end tag.
const RAW: &[&str] = &["script", "style"];
/// Tags that do not break a block (phrasing content).
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "img",
    "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u",
    "var", "wbr",
];
/// Attributes whose value is prose.
const PROSE_ATTRS: &[&str] = &["alt", "title"];
/// `<meta name=… content=…>` names whose content is prose.
const META_PROSE: &[&str] = &[
    "description",
    "og:title",
    "og:description",
    "twitter:title",
    "twitter:description",
];

fn is_in(list: &[&str], name: &str) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(name))
}

/// A parsed tag.
pub(crate) struct Tag<'a> {
    pub name: &'a str,
    pub end: bool,
    pub self_closing: bool,
    /// Byte length of the tag in the text.
    pub len: usize,
    /// Attribute names and the ranges of their values (absolute offsets).
    pub attrs: Vec<(&'a str, Range<usize>)>,
}

impl Tag<'_> {
    /// True for a start or end tag of an element whose content is code.
    pub(crate) fn is_code(&self) -> bool {
        is_in(SKIP, self.name) || is_in(RAW, self.name)
    }
    fn attr(&self, name: &str) -> Option<Range<usize>> {
        self.attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, r)| r.clone())
    }
}

/// Parse the tag starting at `i` (where `text[i]` is `<`), not past
/// `limit`. `None` when no tag starts there (a literal `<`). A tag with no
/// closing `>` runs to `limit`.
pub(crate) fn parse_tag(text: &str, i: usize, limit: usize) -> Option<Tag<'_>> {
    let b = text.as_bytes();
    let mut j = i + 1;
    let end = b.get(j) == Some(&b'/');
    if end {
        j += 1;
    }
    if j >= limit || !b[j].is_ascii_alphabetic() {
        return None;
    }
    let ns = j;
    while j < limit && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
        j += 1;
    }
    let name = text.get(ns..j)?;
    if j < limit && !(b[j].is_ascii_whitespace() || b[j] == b'>' || b[j] == b'/') {
        return None; // `<a"` … is not a tag
    }
    let mut attrs = Vec::new();
    let mut self_closing = false;
    let skip_ws = |j: &mut usize| {
        while *j < limit && b[*j].is_ascii_whitespace() {
            *j += 1;
        }
    };
    loop {
        skip_ws(&mut j);
        if j >= limit {
            break;
        }
        match b[j] {
            b'>' => {
                j += 1;
                break;
            }
            b'/' => {
                if b.get(j + 1) == Some(&b'>') && j + 1 < limit {
                    self_closing = true;
                    j += 2;
                    break;
                }
                j += 1;
                continue;
            }
            b'=' => {
                j += 1;
                continue;
            }
            _ => {}
        }
        let an = j;
        while j < limit && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
            j += 1;
        }
        let aname = text.get(an..j).unwrap_or("");
        skip_ws(&mut j);
        if j < limit && b[j] == b'=' {
            j += 1;
            skip_ws(&mut j);
            if j < limit && (b[j] == b'"' || b[j] == b'\'') {
                let q = b[j];
                let vs = j + 1;
                let ve = b[vs.min(limit)..limit]
                    .iter()
                    .position(|&c| c == q)
                    .map(|k| vs + k)
                    .unwrap_or(limit);
                attrs.push((aname, vs.min(ve)..ve));
                j = (ve + 1).min(limit);
            } else {
                let vs = j;
                while j < limit && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                    j += 1;
                }
                attrs.push((aname, vs..j));
            }
        }
    }
    Some(Tag {
        name,
        end,
        self_closing,
        len: j - i,
        attrs,
    })
}

/// Position of `needle` (ASCII case-insensitive) in `b[from..limit]`.
fn find_ci(b: &[u8], from: usize, limit: usize, needle: &[u8]) -> Option<usize> {
    if from >= limit || limit - from < needle.len() {
        return None;
    }
    (from..=limit - needle.len()).find(|&k| b[k..k + needle.len()].eq_ignore_ascii_case(needle))
}

/// Length of the character reference at the start of `b` (`&amp;`,
/// `&#8217;`, `&#x2019;`), if one starts there.
fn entity_len(b: &[u8]) -> Option<usize> {
    let mut j = 1;
    let digits: fn(&u8) -> bool = if b.get(1) == Some(&b'#') {
        j = 2;
        if matches!(b.get(2), Some(b'x' | b'X')) {
            j = 3;
            |c| c.is_ascii_hexdigit()
        } else {
            |c| c.is_ascii_digit()
        }
    } else {
        |c| c.is_ascii_alphanumeric()
    };
    let start = j;
    while j < b.len() && j - start < 32 && digits(&b[j]) {
        j += 1;
    }
    (j > start && b.get(j) == Some(&b';')).then_some(j + 1)
}

/// Scan `range` of `text` as HTML into `x`.
pub(crate) fn scan(text: &str, range: Range<usize>, x: &mut Extract) {
    let b = text.as_bytes();
    let end = range.end.min(text.len());
    let mut i = range.start;
    let mut block = x.new_block();
    let mut skip = 0usize;
    let mut skip_start = i; // where the outermost code element opened
    let mut run = i;
    while i < end {
        match b[i] {
            b'<' => {
                let rest = &b[i..end];
                let decl = rest.starts_with(b"<!") || rest.starts_with(b"<?");
                let parsed = if decl { None } else { parse_tag(text, i, end) };
                if !decl && parsed.is_none() {
                    i += 1; // a literal `<`
                    continue;
                }
                flush(x, run..i, block, skip);
                let mut new_block = false;
                let stop = if rest.starts_with(b"<!--") {
                    let stop = find_ci(b, i + 4, end, b"-->").map_or(end, |k| k + 3);
                    x.comment(i..stop);
                    stop
                } else if rest.starts_with(b"<![CDATA[") {
                    let stop = find_ci(b, i + 9, end, b"]]>").map_or(end, |k| k + 3);
                    x.mask(i..stop);
                    stop
                } else if let Some(tag) = parsed {
                    new_block = !is_in(INLINE, tag.name);
                    let was = skip;
                    let stop = self::tag(text, &tag, i + tag.len, end, &mut skip, x, block);
                    if was == 0 && skip > 0 {
                        skip_start = i;
                    } else if was > 0 && skip == 0 {
                        x.mask(skip_start..stop);
                    } else if skip == 0 && stop > i + tag.len {
                        x.mask(i..stop); // script, style
                    }
                    stop
                } else {
                    // `<!DOCTYPE …>`, `<?xml …?>`
                    new_block = true;
                    let stop = find_ci(b, i + 2, end, b">").map_or(end, |k| k + 1);
                    x.mask(i..stop);
                    stop
                };
                if new_block {
                    block = x.new_block();
                }
                i = stop;
                run = stop;
            }
            b'&' => match entity_len(&b[i..end]) {
                Some(n) => {
                    flush(x, run..i, block, skip);
                    i += n;
                    run = i;
                }
                None => i += 1,
            },
            _ => i += 1,
        }
    }
    flush(x, run..end, block, skip);
    if skip > 0 {
        x.mask(skip_start..end);
    }
}

/// Handle a parsed tag ending at `s`; returns where scanning resumes.
fn tag(
    text: &str,
    tag: &Tag,
    mut s: usize,
    end: usize,
    skip: &mut usize,
    x: &mut Extract,
    block: usize,
) -> usize {
    if tag.end {
        if is_in(SKIP, tag.name) {
            *skip = skip.saturating_sub(1);
        }
        return s;
    }
    if *skip == 0 {
        for (name, value) in &tag.attrs {
            if is_in(PROSE_ATTRS, name) {
                // An inline element's alt/title stays in its paragraph: a
                // block of its own would cut the paragraph in two, and the
                // text after the element would read as a new sentence.
                let id = if is_in(INLINE, tag.name) {
                    block
                } else {
                    x.new_block()
                };
                x.keep(value.clone(), id);
            }
        }
        if tag.name.eq_ignore_ascii_case("meta") {
            let named = tag
                .attr("name")
                .or_else(|| tag.attr("property"))
                .is_some_and(|r| is_in(META_PROSE, &text[r]));
            if let (true, Some(c)) = (named, tag.attr("content")) {
                let id = x.new_block();
                x.keep(c, id);
            }
        }
    }
    if !tag.self_closing {
        if is_in(RAW, tag.name) {
            let mut close = Vec::with_capacity(tag.name.len() + 2);
            close.extend_from_slice(b"</");
            close.extend_from_slice(tag.name.as_bytes());
            s = find_ci(text.as_bytes(), s, end, &close).unwrap_or(end);
        } else if is_in(SKIP, tag.name) {
            *skip += 1;
        }
    }
    s
}

fn flush(x: &mut Extract, r: Range<usize>, block: usize, skip: usize) {
    if skip == 0 {
        x.keep(r, block);
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, prose};

    fn p(t: &str) -> String {
        let p = prose(t, Format::Html);
        assert_eq!(p.text.len(), t.len());
        p.text.into_owned()
    }

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn text_nodes_and_prose_attributes() {
        let t =
            r#"<p class="x">He said <em>hi</em> &amp; left.<img src="a.png" alt="A plane"></p>"#;
        assert_eq!(words(&p(t)), ["He", "said", "hi", "left.", "A", "plane"]);
    }

    #[test]
    fn code_script_style_comments_are_skipped() {
        let t = "<script>var a = '<p>no</p>';</script><style>p{}</style>\
                 <pre>pre <b>x</b> text</pre><p>yes <code>no</code> yes</p><!-- no -->";
        assert_eq!(words(&p(t)), ["yes", "yes"]);
        let pr = prose(t, Format::Html);
        assert_eq!(pr.comments.len(), 1);
        assert_eq!(&t[pr.comments[0].clone()], "<!-- no -->");
    }

    #[test]
    fn blocks_split_at_block_tags_not_inline_ones() {
        let t =
            "<h1>Title</h1><p>One <a href=\"u\">two</a> three.</p><ul><li>a</li><li>b</li></ul>";
        let pr = prose(t, Format::Html);
        let blocks: Vec<&str> = pr.blocks.unwrap().into_iter().map(|r| &t[r]).collect();
        assert_eq!(
            blocks,
            ["Title", "One <a href=\"u\">two</a> three.", "a", "b"]
        );
    }

    #[test]
    fn broken_markup_never_panics() {
        for t in [
            "<",
            "<p",
            "<p title=\"unclosed",
            "<!-- never closed",
            "a < b and c > d",
            "<script>never closed",
            "&amp",
            "&#x;",
            "<p title=é>x</p>",
            "<a\u{e9}>",
            "</",
            "<![CDATA[ x",
        ] {
            let _ = p(t);
        }
        assert_eq!(
            words(&p("a < b and c > d")),
            ["a", "<", "b", "and", "c", ">", "d"]
        );
        assert_eq!(words(&p("<p title=é>x</p>")), ["é", "x"]);
    }

    #[test]
    fn meta_description_is_prose() {
        let t = r#"<meta name="description" content="He would have tried."><meta name="x" content="no">"#;
        assert_eq!(words(&p(t)), ["He", "would", "have", "tried."]);
    }

    #[test]
    fn entities_are_blanked() {
        assert_eq!(
            words(&p("a&nbsp;b &#8217; c&#x2019;d")),
            ["a", "b", "c", "d"]
        );
    }
}
