//! Markdown: pulldown-cmark's offset iterator says which bytes are the text
//! of paragraphs, headings, list items, block quotes, table cells, link
//! texts and image alt texts. Code (fenced, indented, inline), link
//! destinations, autolinks, raw HTML tags and comments are not prose; HTML
//! blocks and inline HTML go through the HTML scanner (their text nodes and
//! `alt`/`title` values are prose). YAML (`---`) and TOML (`+++`) front
//! matter is read here: only the `title`, `description` and `summary`
//! string values are prose.

use super::{Extract, html};
use pulldown_cmark::{Event, LinkType, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Front-matter keys whose string value is prose.
const PROSE_KEYS: &[&str] = &["title", "description", "summary"];

pub(crate) fn extract(text: &str, base: usize, x: &mut Extract) {
    let body_start = match front_matter(text, base) {
        Some(fm) => {
            x.mask(base..fm.end);
            match fm.kind {
                FmKind::Yaml => yaml_values(text, fm.inner.clone(), x),
                FmKind::Toml => toml_values(text, fm.inner.clone(), x),
            }
            fm.end
        }
        None => base,
    };
    body(text, body_start, x);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FmKind {
    Yaml,
    Toml,
}

#[derive(Debug)]
struct FrontMatter {
    kind: FmKind,
    /// The lines between the fences.
    inner: Range<usize>,
    /// Just past the closing fence's line.
    end: usize,
}

/// Front matter opening at `base`: `---` (YAML, closed by `---` or `...`)
/// or `+++` (TOML, closed by `+++`), each alone on its line. Unclosed
/// fences are not front matter (the text is read as Markdown, as Jekyll and
/// CommonMark do).
fn front_matter(text: &str, base: usize) -> Option<FrontMatter> {
    let rest = &text[base..];
    let nl = rest.find('\n')?;
    let (kind, closers): (FmKind, &[&str]) = match rest[..nl].trim_end() {
        "---" => (FmKind::Yaml, &["---", "..."]),
        "+++" => (FmKind::Toml, &["+++"]),
        _ => return None,
    };
    let inner_start = base + nl + 1;
    let mut pos = inner_start;
    for line in text[inner_start..].split_inclusive('\n') {
        if closers.contains(&line.trim_end()) {
            return Some(FrontMatter {
                kind,
                inner: inner_start..pos,
                end: pos + line.len(),
            });
        }
        pos += line.len();
    }
    None
}

/// Line ranges of `r` (without their terminators).
fn lines(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = r.start;
    for line in text[r].split_inclusive('\n') {
        let l = line.trim_end_matches(['\n', '\r']);
        out.push(pos..pos + l.len());
        pos += line.len();
    }
    out
}

fn is_prose_key(k: &str) -> bool {
    PROSE_KEYS.iter().any(|p| p.eq_ignore_ascii_case(k))
}

/// Keep `r` trimmed of surrounding whitespace.
fn keep_trimmed(text: &str, r: Range<usize>, id: usize, x: &mut Extract) {
    let s = &text[r.clone()];
    let t = s.trim_start();
    let start = r.start + (s.len() - t.len());
    x.keep(start..start + t.trim_end().len(), id);
}

/// The end of a quoted scalar opening at `open` (the quote's offset) and
/// not past `limit`: the offset of the closing quote. `"` strings take
/// backslash escapes, `'` strings a doubled quote.
fn closing_quote(text: &str, open: usize, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let q = b[open];
    let mut j = open + 1;
    while j < limit {
        if q == b'"' && b[j] == b'\\' {
            j += 2;
            continue;
        }
        if b[j] == q {
            if q == b'\'' && b.get(j + 1) == Some(&b'\'') && j + 1 < limit {
                j += 2;
                continue;
            }
            return Some(j);
        }
        j += 1;
    }
    None
}

/// YAML front matter: top-level `title:`, `description:`, `summary:` with a
/// plain, quoted or block (`|`, `>`) scalar; continuation lines included.
fn yaml_values(text: &str, inner: Range<usize>, x: &mut Extract) {
    let ls = lines(text, inner.clone());
    let mut k = 0;
    while k < ls.len() {
        let lr = ls[k].clone();
        k += 1;
        let l = &text[lr.clone()];
        if l.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        let Some(colon) = l.find(':') else { continue };
        if !is_prose_key(l[..colon].trim().trim_matches(['"', '\''])) {
            continue;
        }
        let after = &l[colon + 1..];
        let vs = lr.start + colon + 1 + (after.len() - after.trim_start().len());
        let id = x.new_block();
        // Indented lines after the key belong to its value.
        let continuation = |k: &mut usize, x: &mut Extract| {
            while *k < ls.len() {
                let c = &text[ls[*k].clone()];
                if !c.trim().is_empty() && !c.starts_with([' ', '\t']) {
                    break;
                }
                keep_trimmed(text, ls[*k].clone(), id, x);
                *k += 1;
            }
        };
        match text.as_bytes().get(vs).filter(|_| vs < lr.end) {
            Some(b'"' | b'\'') => match closing_quote(text, vs, inner.end) {
                // A quoted scalar may run over several lines.
                Some(close) => {
                    for seg in lines(text, vs + 1..close) {
                        keep_trimmed(text, seg, id, x);
                    }
                    while k < ls.len() && ls[k].start < close {
                        k += 1;
                    }
                }
                None => keep_trimmed(text, vs + 1..lr.end, id, x),
            },
            Some(b'|' | b'>') => continuation(&mut k, x),
            Some(b'[' | b'{' | b'&' | b'*' | b'!' | b'@' | b'`') => {}
            Some(_) => {
                // A plain scalar; ` #` starts a comment.
                let v = &text[vs..lr.end];
                let end = v.find(" #").map_or(lr.end, |i| vs + i);
                keep_trimmed(text, vs..end, id, x);
                continuation(&mut k, x);
            }
            None => continuation(&mut k, x),
        }
    }
}

/// TOML front matter: `title = "…"` (basic, literal or multi-line strings).
fn toml_values(text: &str, inner: Range<usize>, x: &mut Extract) {
    let ls = lines(text, inner.clone());
    let mut k = 0;
    while k < ls.len() {
        let lr = ls[k].clone();
        k += 1;
        let l = &text[lr.clone()];
        let Some(eq) = l.find('=') else { continue };
        if !is_prose_key(l[..eq].trim().trim_matches(['"', '\''])) {
            continue;
        }
        let after = &l[eq + 1..];
        let vs = lr.start + eq + 1 + (after.len() - after.trim_start().len());
        let v = &text[vs..lr.end];
        let id = x.new_block();
        let triple = ["\"\"\"", "'''"].into_iter().find(|t| v.starts_with(t));
        if let Some(t) = triple {
            let from = vs + 3;
            let close = text[from..inner.end]
                .find(t)
                .map_or(inner.end, |i| from + i);
            for seg in lines(text, from..close) {
                keep_trimmed(text, seg, id, x);
            }
            while k < ls.len() && ls[k].start < close {
                k += 1;
            }
        } else if v.starts_with(['"', '\'']) {
            let close = closing_quote(text, vs, lr.end).unwrap_or(lr.end);
            x.keep(vs + 1..close, id);
        }
    }
}

fn is_block(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::Item
            | Tag::TableCell
            | Tag::BlockQuote(_)
            | Tag::FootnoteDefinition(_)
            | Tag::Image { .. }
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
    )
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::Item
            | TagEnd::TableCell
            | TagEnd::BlockQuote(_)
            | TagEnd::FootnoteDefinition
            | TagEnd::Image
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
    )
}

/// The Markdown body from `start`.
fn body(text: &str, start: usize, x: &mut Extract) {
    let src = &text[start..];
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM;
    let top = x.new_block();
    let mut blocks = vec![top];
    let mut code = 0usize; // inside a code block
    // Open links and images: (is it an autolink, end of its text so far);
    // what follows the text (`](url "title")`) is masked.
    let mut links: Vec<(bool, usize)> = Vec::new();
    let mut inline_code_start = start;
    let mut inline_code = 0usize; // inside inline `<code>` … `</code>`
    let mut html_segments: Vec<Range<usize>> = Vec::new();
    for (ev, r) in Parser::new_ext(src, opts).into_offset_iter() {
        let r = r.start + start..r.end + start;
        let link_end = matches!(ev, Event::End(TagEnd::Link | TagEnd::Image));
        if !link_end
            && !matches!(ev, Event::Start(Tag::Link { .. } | Tag::Image { .. }))
            && let Some(l) = links.last_mut()
        {
            l.1 = l.1.max(r.end);
        }
        match ev {
            Event::Start(tag) => {
                if is_block(&tag) {
                    blocks.push(x.new_block());
                }
                match tag {
                    Tag::CodeBlock(_) | Tag::MetadataBlock(_) => {
                        code += 1;
                        x.mask(r);
                    }
                    Tag::Link { link_type, .. } | Tag::Image { link_type, .. } => {
                        let auto = matches!(link_type, LinkType::Autolink | LinkType::Email);
                        if auto {
                            x.mask(r.clone());
                        }
                        links.push((auto, r.start));
                    }
                    Tag::HtmlBlock => html_segments.clear(),
                    _ => {}
                }
            }
            Event::End(tag) => {
                if is_block_end(&tag) && blocks.len() > 1 {
                    blocks.pop();
                }
                match tag {
                    TagEnd::CodeBlock | TagEnd::MetadataBlock(_) => code = code.saturating_sub(1),
                    TagEnd::Link | TagEnd::Image => {
                        if let Some((auto, text_end)) = links.pop()
                            && !auto
                        {
                            x.mask(text_end.max(r.start)..r.end);
                        }
                        if let Some(l) = links.last_mut() {
                            l.1 = l.1.max(r.end);
                        }
                    }
                    TagEnd::HtmlBlock => html_block(text, &html_segments, x),
                    _ => {}
                }
            }
            Event::Text(t) => {
                let in_autolink = links.iter().any(|&(a, _)| a);
                // A text whose bytes differ from its value is markup (a
                // character reference such as `&amp;`).
                if code == 0 && inline_code == 0 && !in_autolink && text.get(r.clone()) == Some(&*t)
                {
                    x.keep(r, blocks.last().copied().unwrap_or(top));
                }
            }
            Event::Code(_) => x.mask(r),
            Event::Html(_) => html_segments.push(r),
            Event::InlineHtml(_) => match html::parse_tag(text, r.start, r.end) {
                Some(tag) if tag.is_code() => {
                    if tag.end {
                        inline_code = inline_code.saturating_sub(1);
                        if inline_code == 0 {
                            x.mask(inline_code_start..r.end);
                        }
                    } else if !tag.self_closing {
                        if inline_code == 0 {
                            inline_code_start = r.start;
                        }
                        inline_code += 1;
                    }
                }
                _ => {
                    if inline_code == 0 {
                        html::scan(text, r, x);
                    } else if text[r.clone()].starts_with("<!--") {
                        x.comment(r);
                    }
                }
            },
            _ => {}
        }
    }
    if inline_code > 0 {
        x.mask(inline_code_start..text.len());
    }
}

/// An HTML block: scanned whole when its lines are contiguous (at top
/// level), line by line inside a container (a block quote's `>` markers
/// sit between them).
fn html_block(text: &str, segs: &[Range<usize>], x: &mut Extract) {
    let contiguous = segs.windows(2).all(|w| w[0].end == w[1].start);
    match (segs.first(), segs.last()) {
        (Some(f), Some(l)) if contiguous => html::scan(text, f.start..l.end, x),
        _ => {
            for s in segs {
                html::scan(text, s.clone(), x);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Format, prose};

    fn p(t: &str) -> String {
        let p = prose(t, Format::Markdown);
        assert_eq!(p.text.len(), t.len());
        p.text.into_owned()
    }

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    fn blocks(t: &str) -> Vec<&str> {
        prose(t, Format::Markdown)
            .blocks
            .unwrap()
            .into_iter()
            .map(|r| &t[r])
            .collect()
    }

    #[test]
    fn code_urls_html_are_blanked() {
        let t = "Text `code` [link text](http://x.y/z \"t\") <https://a.b> ![alt](i.png) <b>bold</b>\n\n```\nfenced\n```\n\n    indented\n\n<!-- comment -->\n";
        assert_eq!(words(&p(t)), ["Text", "link", "text", "alt", "bold"]);
    }

    #[test]
    fn front_matter_values_only() {
        let t = "---\ntitle: \"He would have tried\"\nauthor: Achot\ndescription: plain value # comment\nsummary: >\n  folded line one\n  line two\ntags: [a, b]\n---\nBody.\n";
        assert_eq!(
            words(&p(t)),
            [
                "He", "would", "have", "tried", "plain", "value", "folded", "line", "one", "line",
                "two", "Body."
            ]
        );
        let b = blocks(t);
        assert_eq!(
            b,
            [
                "He would have tried",
                "plain value",
                "folded line one\n  line two",
                "Body."
            ]
        );
    }

    #[test]
    fn toml_front_matter() {
        let t = "+++\ntitle = 'A title'\ndraft = false\ndescription = \"\"\"\nMulti\nline\"\"\"\n+++\nBody.\n";
        assert_eq!(words(&p(t)), ["A", "title", "Multi", "line", "Body."]);
    }

    #[test]
    fn unclosed_front_matter_is_markdown() {
        let t = "---\ntitle: He would have tried\n";
        assert_eq!(words(&p(t)), ["title:", "He", "would", "have", "tried"]);
    }

    #[test]
    fn unclosed_fence_blanks_to_the_end() {
        let t = "Before.\n\n```\nHe would have tried\nmore\n";
        assert_eq!(words(&p(t)), ["Before."]);
    }

    #[test]
    fn blocks_keep_headings_items_and_cells_apart() {
        let t = "# Heading\nParagraph line\n- item one\n- item two\n\n| a b | c d |\n|---|---|\n| e | f |\n";
        assert_eq!(
            blocks(t),
            [
                "Heading",
                "Paragraph line",
                "item one",
                "item two",
                "a b",
                "c d",
                "e",
                "f"
            ]
        );
    }

    #[test]
    fn comments_are_collected_outside_code() {
        let t = "<!-- a -->\nText <!-- b --> more\n\n```\n<!-- not a comment -->\n```\n\n    <!-- nor this -->\n";
        let pr = prose(t, Format::Markdown);
        let c: Vec<&str> = pr.comments.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(c, ["<!-- a -->", "<!-- b -->"]);
    }

    #[test]
    fn inline_html_code_is_skipped() {
        let t = "Say <code>pretending that</code> here <img alt=\"Alt text\" src=x>.\n";
        assert_eq!(words(&p(t)), ["Say", "here", "Alt", "text", "."]);
    }

    #[test]
    fn html_block_in_blockquote_is_scanned_per_line() {
        let t = "> <div>\n> Hello\n> </div>\n";
        let s = p(t);
        assert!(s.contains("Hello"), "{s:?}");
        assert!(!s.contains("div"), "{s:?}");
    }

    fn masked(t: &str) -> Vec<&str> {
        prose(t, Format::Markdown)
            .masked
            .into_iter()
            .map(|r| &t[r])
            .collect()
    }

    #[test]
    fn only_content_is_masked_not_framing_markup() {
        let t = "**Read also:** [A *title*](http://x.y/z \"t\") and `code` <b>b</b> <!-- c -->\n";
        assert_eq!(masked(t), ["](http://x.y/z \"t\")", "`code`", "<!-- c -->"]);
        let t = "---\ntitle: Kept\nslug: x\n---\n![alt](i.png) <https://a.b> www.c.d\n";
        assert_eq!(
            masked(t),
            [
                "---\ntitle:",
                "slug: x\n---",
                "](i.png)",
                "<https://a.b>",
                "www.c.d"
            ]
        );
    }

    #[test]
    fn character_references_and_escapes() {
        let t = "A &amp; B \\* C\n";
        assert_eq!(words(&p(t)), ["A", "B", "*", "C"]);
    }
}
