//! `quotes`: one scan of each paragraph that pairs quotation marks and
//! reports reversed marks (” … “), mismatched pairs (“ … »), French
//! guillemets in English, spaces inside marks, unclosed or stray marks,
//! foreign low quotes („), and an attribution left inside a quotation (a
//! sign that a closing mark was lost). Each YAML rule of this kind selects one
//! `check`; the scan runs once for all of them.

use super::{ByteFinder, Ctx, HitSuggestion};
use std::ops::Range;

pub const CHECKS: &[&str] = &[
    "reversed",
    "mismatched",
    "guillemets",
    "spacing",
    "unclosed",
    "attribution",
    "foreign",
];

#[derive(Debug, Clone)]
pub struct QuoteEvent {
    pub check: &'static str,
    pub span: Range<usize>,
    pub detail: String,
    pub suggestion: Option<HitSuggestion>,
}

#[derive(Clone, Copy)]
struct Mark {
    pos: usize,
    ch: char,
    /// Spaces right inside the mark (after an opener).
    inner_space: usize,
    /// An opener written with a closing glyph (” … ).
    reversed: bool,
}

/// Verbs that attribute a quotation ("…, Smith said.").
const SAYS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stated",
    "declared",
    "explained",
    "wrote",
    "noted",
    "insisted",
    "warned",
    "stressed",
];

/// Whether sentence `s` is an attribution: one to six capitalized words
/// (`Mr.`, `O’Neill`, `Jean-Luc`), an attribution verb, at most four more
/// words, a full stop: "The minister told reporters." What the regex
/// `^(?:[A-Z][\p{L}’'.\-]*\s+){1,6}(?:said|…)(?:\s+\p{L}+){0,4}\.$`
/// matches (with Unicode `Alphabetic` for `\p{L}`), without compiling its
/// Unicode classes (~6 ms) at the first quotation of every run.
fn is_attribution(s: &str) -> bool {
    let Some(body) = s.strip_suffix('.') else {
        return false;
    };
    if body.starts_with(char::is_whitespace) || body.ends_with(char::is_whitespace) {
        return false;
    }
    let name = |w: &str| {
        let mut c = w.chars();
        c.next().is_some_and(|f| f.is_ascii_uppercase())
            && c.all(|ch| ch.is_alphabetic() || matches!(ch, '’' | '\'' | '.' | '-'))
    };
    let mut words = body.split_whitespace();
    let mut names = 0;
    let verb = loop {
        match words.next() {
            Some(w) if name(w) => names += 1,
            Some(w) => break w,
            None => return false,
        }
    };
    let rest: Vec<&str> = words.collect();
    (1..=6).contains(&names)
        && SAYS.contains(&verb)
        && rest.len() <= 4
        && rest.iter().all(|w| w.chars().all(char::is_alphabetic))
}

fn is_space(c: Option<char>) -> bool {
    c.is_none_or(char::is_whitespace)
}
fn is_open_ctx(c: Option<char>) -> bool {
    is_space(c) || matches!(c, Some('(' | '[' | '—' | '–' | '-' | '/'))
}
fn is_close_ctx(c: Option<char>) -> bool {
    is_space(c)
        || matches!(
            c,
            Some(',' | '.' | ';' | ':' | '!' | '?' | ')' | ']' | '—' | '–' | '…' | '\'' | '’')
        )
}

fn spaces_before(t: &str, pos: usize) -> usize {
    t[..pos].len() - t[..pos].trim_end_matches([' ', '\t']).len()
}
fn spaces_after(t: &str, pos: usize) -> usize {
    t[pos..].len() - t[pos..].trim_start_matches([' ', '\t']).len()
}

/// Scan every paragraph; `out` receives the events in text order.
pub fn scan(ctx: &Ctx, out: &mut Vec<QuoteEvent>) {
    let t = ctx.text;
    for (pi, para) in ctx.paras.iter().enumerate() {
        let next_para_opens = ctx
            .paras
            .get(pi + 1)
            .is_some_and(|np| t[np.clone()].trim_start().starts_with(['“', '«', '"', '„']));
        scan_para(ctx, para.clone(), next_para_opens, out);
    }
}

fn pair_edits(
    t: &str,
    open: &Mark,
    close_pos: usize,
    close_ch: char,
) -> (Vec<(Range<usize>, String)>, String) {
    let o_end = open.pos + open.ch.len_utf8() + open.inner_space;
    let c_start = close_pos - spaces_before(t, close_pos);
    let c_end = close_pos + close_ch.len_utf8();
    let inner = &t[o_end..c_start.max(o_end)];
    // A word glued to the outside of a mark (`word« quote »word`) keeps the
    // space that was inside, moved outside.
    let word = |c: Option<char>| c.is_some_and(crate::text::is_word_char);
    let open_rep = if open.inner_space > 0 && word(t[..open.pos].chars().next_back()) {
        " “"
    } else {
        "“"
    };
    let close_rep = if c_start < close_pos && word(t[c_end..].chars().next()) {
        "” "
    } else {
        "”"
    };
    let edits = vec![
        (open.pos..o_end, open_rep.to_string()),
        (c_start.max(o_end)..c_end, close_rep.to_string()),
    ];
    (edits, format!("{open_rep}{inner}{close_rep}"))
}

/// The chars of `s` that may be quotation marks (and some others), with
/// their offsets: those starting with `"` or the lead byte of `“ ” „`
/// (0xE2) or `« »` (0xC2), found with `memchr`.
fn quote_chars(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    static LEADS: std::sync::LazyLock<Option<ByteFinder>> =
        std::sync::LazyLock::new(|| ByteFinder::new(b"\"\xE2\xC2"));
    let mut at = 0;
    std::iter::from_fn(move || {
        let i = LEADS.as_ref()?.find(s.as_bytes(), at)?;
        let ch = s.get(i..)?.chars().next()?;
        at = i + ch.len_utf8();
        Some((i, ch))
    })
}

fn scan_para(ctx: &Ctx, para: Range<usize>, continues: bool, out: &mut Vec<QuoteEvent>) {
    let t = ctx.text;
    let mut open: Option<Mark> = None;
    let mut quoted: Vec<Range<usize>> = Vec::new();
    for (rel, ch) in quote_chars(&t[para.clone()]) {
        if !matches!(ch, '“' | '”' | '„' | '«' | '»' | '"') {
            continue;
        }
        let pos = para.start + rel;
        let end = pos + ch.len_utf8();
        let prev = if pos > para.start {
            t[..pos].chars().next_back()
        } else {
            None
        };
        let next = if end < para.end {
            t[end..].chars().next()
        } else {
            None
        };
        let opening_shape = is_open_ctx(prev) && !is_space(next);
        let closing_shape = !is_space(prev) && is_close_ctx(next);
        let spaced = is_space(prev) && is_space(next);
        let mark = Mark {
            pos,
            ch,
            inner_space: spaces_after(t, end).min(para.end - end),
            reversed: false,
        };
        match ch {
            '“' | '„' | '«' => {
                if let Some(o) = open.filter(|_| (closing_shape || spaced) && ch != '«') {
                    // An opening glyph used to close.
                    let (edits, repl) = pair_edits(t, &o, pos, ch);
                    let span = o.pos..end;
                    let detail = if o.reversed {
                        "reversed quotation marks: the quotation opens with ” and closes with “"
                            .to_string()
                    } else {
                        format!("the quotation opened with {} is closed with {ch}", o.ch)
                    };
                    out.push(QuoteEvent {
                        check: "reversed",
                        span,
                        detail,
                        suggestion: Some(HitSuggestion {
                            replacement: repl,
                            edits,
                        }),
                    });
                    quoted.push(o.pos..end);
                    open = None;
                    continue;
                }
                if let Some(o) = open {
                    unclosed(t, &o, out);
                }
                if ch == '„' {
                    out.push(QuoteEvent {
                        check: "foreign",
                        span: pos..end,
                        detail: "low opening quotation mark „ is German or Eastern European style"
                            .into(),
                        suggestion: Some(HitSuggestion::plain("“".into())),
                    });
                }
                open = Some(mark);
            }
            '”' => {
                match open {
                    None if opening_shape || spaced => {
                        open = Some(Mark {
                            reversed: true,
                            ..mark
                        });
                    }
                    None => out.push(QuoteEvent {
                        check: "unclosed",
                        span: pos..end,
                        detail: "closing quotation mark ” with no opening mark in this paragraph"
                            .into(),
                        suggestion: None,
                    }),
                    Some(o) => {
                        quoted.push(o.pos..end);
                        open = None;
                        if o.reversed {
                            out.push(QuoteEvent {
                                check: "reversed",
                                span: o.pos..o.pos + o.ch.len_utf8(),
                                detail: "the quotation opens with a closing mark ”".into(),
                                suggestion: Some(HitSuggestion::plain("“".into())),
                            });
                        } else if o.ch == '«' {
                            let (edits, repl) = pair_edits(t, &o, pos, ch);
                            out.push(QuoteEvent {
                                check: "mismatched",
                                span: o.pos..end,
                                detail: "the quotation opened with « is closed with ”".into(),
                                suggestion: Some(HitSuggestion {
                                    replacement: repl,
                                    edits,
                                }),
                            });
                        } else if o.ch == '"' {
                            out.push(QuoteEvent {
                            check: "mismatched",
                            span: pos..end,
                            detail: "the quotation opened with a straight \" is closed with a curly ”".into(),
                            suggestion: Some(HitSuggestion::plain("\"".into())),
                        });
                        } else {
                            spacing(t, &o, pos, ch, out);
                        }
                    }
                }
            }
            '»' => {
                match open {
                    Some(o) => {
                        quoted.push(o.pos..end);
                        open = None;
                        let (edits, repl) = pair_edits(t, &o, pos, ch);
                        if o.ch == '«' {
                            out.push(QuoteEvent {
                                check: "guillemets",
                                span: o.pos..end,
                                detail: "French guillemets « » in English text; English uses “ ”"
                                    .into(),
                                suggestion: Some(HitSuggestion {
                                    replacement: repl,
                                    edits,
                                }),
                            });
                        } else {
                            let sb = spaces_before(t, pos);
                            out.push(QuoteEvent {
                            check: "mismatched",
                            span: pos - sb..end,
                            detail: format!("the quotation opened with {} is closed with a French guillemet »", o.ch),
                            suggestion: Some(HitSuggestion::plain("”".into())),
                        });
                        }
                    }
                    None => out.push(QuoteEvent {
                        check: "guillemets",
                        span: pos..end,
                        detail: "French guillemet » in English text with no opening mark".into(),
                        suggestion: None,
                    }),
                }
            }
            _ => {
                // Straight double quote: toggles.
                match open {
                    None => open = Some(mark),
                    Some(o) if o.ch == '"' => {
                        quoted.push(o.pos..end);
                        open = None;
                    }
                    Some(o) if closing_shape || spaced => {
                        quoted.push(o.pos..end);
                        open = None;
                        out.push(QuoteEvent {
                            check: "mismatched",
                            span: pos..end,
                            detail: format!(
                                "the quotation opened with {} is closed with a straight \"",
                                o.ch
                            ),
                            suggestion: Some(HitSuggestion::plain(if o.ch == '“' {
                                "”".into()
                            } else {
                                "\"".into()
                            })),
                        });
                    }
                    Some(o) => {
                        unclosed(t, &o, out);
                        open = Some(mark);
                    }
                }
            }
        }
    }
    if let Some(o) = open {
        quoted.push(o.pos..para.end);
        if o.reversed {
            // With a space on both sides it may as well be a French-spaced
            // closing mark whose opening mark is another glyph: no fix.
            let opening = o.inner_space == 0;
            out.push(QuoteEvent {
                check: "reversed",
                span: o.pos..o.pos + o.ch.len_utf8(),
                detail: "a closing mark ” opens this quotation".into(),
                suggestion: opening.then(|| HitSuggestion::plain("“".into())),
            });
        } else if !continues {
            unclosed(t, &o, out);
        }
    }
    attribution(ctx, &quoted, out);
}

fn unclosed(t: &str, o: &Mark, out: &mut Vec<QuoteEvent>) {
    let _ = t;
    out.push(QuoteEvent {
        check: "unclosed",
        span: o.pos..o.pos + o.ch.len_utf8(),
        detail: format!("quotation opened with {} is never closed", o.ch),
        suggestion: None,
    });
}

fn spacing(t: &str, o: &Mark, close: usize, close_ch: char, out: &mut Vec<QuoteEvent>) {
    let sb = spaces_before(t, close);
    if o.inner_space == 0 && sb == 0 {
        return;
    }
    let (edits, repl) = pair_edits(t, o, close, close_ch);
    let edits: Vec<_> = edits
        .into_iter()
        .filter(|(r, s)| &t[r.clone()] != s.as_str())
        .collect();
    out.push(QuoteEvent {
        check: "spacing",
        span: o.pos..close + close_ch.len_utf8(),
        detail: "space inside quotation marks (French spacing); English sets quotes tight".into(),
        suggestion: Some(HitSuggestion {
            replacement: repl,
            edits,
        }),
    });
}

/// A sentence like "X said in a statement." inside a quotation that never
/// closed before it: the closing mark was lost and the attribution swallowed.
fn attribution(ctx: &Ctx, quoted: &[Range<usize>], out: &mut Vec<QuoteEvent>) {
    let t = ctx.text;
    for q in quoted {
        let first = ctx.sents.partition_point(|s| s.end <= q.start);
        for si in first..ctx.sents.len() {
            let s = ctx.sents[si].clone();
            if s.start >= q.end {
                break;
            }
            // Not the sentence that opens the quotation, and wholly inside.
            if s.start <= q.start || s.end > q.end || !is_attribution(&t[s.clone()]) {
                continue;
            }
            let Some(prev) = si.checked_sub(1).map(|p| ctx.sents[p].clone()) else {
                continue;
            };
            if !t[prev.clone()].ends_with('.') || prev.end <= q.start {
                continue;
            }
            let sent = &t[s.clone()];
            let mut edits = vec![(prev.end - 1..s.start, ",” ".to_string())];
            let after_end = s.end + spaces_after(t, s.end);
            let reopen = after_end < q.end && after_end > s.end;
            let mut replacement = format!(",” {sent}");
            let mut end = s.end;
            if reopen {
                edits.push((s.end..after_end, " “".to_string()));
                replacement.push_str(" “");
                end = after_end;
            }
            out.push(QuoteEvent {
                check: "attribution",
                span: prev.end - 1..end,
                detail: format!("attribution \"{sent}\" sits inside the quotation; a closing mark is missing before it"),
                suggestion: Some(HitSuggestion { replacement, edits }),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn quote_chars_finds_every_quotation_mark() {
        let is_quote = |c: char| matches!(c, '“' | '”' | '„' | '«' | '»' | '"');
        let texts = [
            "",
            "\"",
            "plain text, no quotes at all, longer than eight bytes",
            "« Oui » dit-il, “no” — „ja“ – l’État ‘x’ \"y\" …»«",
            "€ © ¬ « ” “ ‚ ’ ” \" \u{a0}«\u{202f}»",
        ];
        for t in texts {
            let want: Vec<(usize, char)> = t.char_indices().filter(|&(_, c)| is_quote(c)).collect();
            let got: Vec<(usize, char)> = quote_chars(t).filter(|&(_, c)| is_quote(c)).collect();
            assert_eq!(got, want, "{t:?}");
        }
    }

    /// The regex `is_attribution` stands for.
    const REGEX: &str = r"^(?:[A-Z][\p{L}’'.\-]*\s+){1,6}(?:said|says|told|added|stated|declared|explained|wrote|noted|insisted|warned|stressed)(?:\s+[\p{L}]+){0,4}\.$";

    #[test]
    fn attribution_is_what_the_regex_matches() {
        let re = Regex::new(REGEX).unwrap();
        let mut cases: Vec<String> = [
            "Smith said.",
            "Mr. Smith said.",
            "Jean-Luc O’Neill told reporters on Monday.",
            "The Minister Of State For Foreign Affairs Said stated.",
            "A B C D E F said.",
            "A B C D E F G said.",
            "Smith said in a long statement today.",
            "Smith said in a long statement today again.",
            "Smith said",
            "Smith said .",
            " Smith said.",
            "Smith said. ",
            "Smith  said.",
            "Smith\tsaid\nyesterday.",
            "smith said.",
            "Smith saidx.",
            "Smith said it, twice.",
            "Smith said 2 things.",
            "Élodie said.",
            "Le Pen said ça.",
            "Smith insisted.",
            "Smith and Jones said.",
            "Smith, Jones said.",
            "Smith said.. ",
            ".",
            "",
            "Said.",
            "Smith Said.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Every sentence of the fixtures, and each with its first word's
        // capital and its last word's full stop changed.
        for f in ["fixtures/seed/article.en.txt"] {
            let text = std::fs::read_to_string(f).unwrap();
            let ctx = Ctx::new(&text);
            for s in &ctx.sents {
                let sent = text[s.clone()].to_string();
                cases.push(sent.to_lowercase());
                cases.push(format!("{} said.", sent.trim_end_matches('.')));
                cases.push(sent);
            }
        }
        for c in &cases {
            assert_eq!(is_attribution(c), re.is_match(c), "{c:?}");
        }
        assert!(cases.iter().filter(|c| is_attribution(c)).count() >= 10);
    }
}
