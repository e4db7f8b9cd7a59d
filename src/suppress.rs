//! Inline suppression comments (Markdown and HTML):
//!
//! ```text
//! <!-- calque-disable RULE… -->            from here …
//! <!-- calque-enable [RULE…] -->           … to here (or the end of the file)
//! <!-- calque-disable-next-line RULE… -->  the line after the comment
//! ```
//!
//! No RULE means every rule; a RULE is a full rule id or an id prefix
//! ending in `/` (`fr-en/`); several are separated by spaces or commas, and
//! ` -- ` starts a free-text reason. `calque-enable` with no RULE ends every
//! open `calque-disable`, with RULEs only the ones naming the same RULE.
//!
//! A suppression that suppresses nothing is reported as
//! `calque/unused-suppression` (info), with a safe fix that deletes it (or
//! drops the unused RULEs from it), as ruff does for unused `noqa`.

use crate::engine::RuleSet;
use crate::finding::{Applicability, Edit, Finding, Severity, Suggestion};
use std::ops::Range;
use std::sync::Arc;

/// The pseudo-rule reporting unused suppressions.
pub const UNUSED_ID: &str = "calque/unused-suppression";
pub const UNUSED_CATEGORY: &str = "style/suppression";

const EXPLAIN: &str = "\
What it flags: a `calque-disable` or `calque-disable-next-line` comment (or one RULE named in
it) that suppresses no finding: the defect it was written for has been fixed, the text has
moved, or the rule id is misspelt (\"matches no rule\"). Why: a stale suppression hides the
next real defect written at that place. Example: `<!-- calque-disable-next-line
fr-en/false-friend/pretend -->` above a line that no longer says \"pretending that\". Fix
(safe): delete the comment (its whole line when it stands alone, and the `calque-enable` that
only closed it), or drop just the unused RULEs from it. A RULE that names only rules switched
off by --select/--ignore is not reported.
Syntax: `<!-- calque-disable RULE… -->` … `<!-- calque-enable [RULE…] -->` and
`<!-- calque-disable-next-line RULE… -->`; no RULE = every rule; a RULE is a rule id or an id
prefix ending in `/`; ` -- ` starts a reason.";

/// `calque explain` text for the pseudo-rule, in the same layout as the
/// YAML rules' explanations.
pub fn explain(id: &str) -> Option<String> {
    if id != UNUSED_ID {
        return None;
    }
    Some(format!(
        "{UNUSED_ID}\n  kind: built-in   severity: info   category: {UNUSED_CATEGORY}   fix: safe\n  \
         defined in: built-in (src/suppress.rs)\n\n{EXPLAIN}\n\n\
         Flags:\n  ✗ <!-- calque-disable-next-line fr-en/false-friend/pretend --> (the next line is clean)\n\
         Does not flag:\n  ✓ <!-- calque-disable-next-line fr-en/false-friend/pretend --> (the next line says \"pretending that\")\n"
    ))
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Sel {
    All,
    Prefix(String),
    Exact(String),
}

impl Sel {
    fn parse(s: &str) -> Sel {
        if s.ends_with('/') {
            Sel::Prefix(s.to_string())
        } else {
            Sel::Exact(s.to_string())
        }
    }
    fn matches(&self, id: &str) -> bool {
        match self {
            Sel::All => true,
            Sel::Prefix(p) => id.starts_with(p.as_str()),
            Sel::Exact(e) => id == e,
        }
    }
    fn as_str(&self) -> &str {
        match self {
            Sel::All => "",
            Sel::Prefix(s) | Sel::Exact(s) => s,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Disable,
    NextLine,
    Enable,
}

impl Kind {
    fn keyword(self) -> &'static str {
        match self {
            Kind::Disable => "calque-disable",
            Kind::NextLine => "calque-disable-next-line",
            Kind::Enable => "calque-enable",
        }
    }
}

#[derive(Debug)]
struct Directive {
    kind: Kind,
    span: Range<usize>,
    sels: Vec<Sel>,
    reason: Option<String>,
}

/// A directive in a comment, if the comment holds one.
fn parse(text: &str, comment: Range<usize>) -> Option<Directive> {
    let inner = text
        .get(comment.clone())?
        .strip_prefix("<!--")?
        .strip_suffix("-->")?
        .trim();
    let (kind, rest) = [Kind::NextLine, Kind::Disable, Kind::Enable]
        .into_iter()
        .find_map(|k| inner.strip_prefix(k.keyword()).map(|r| (k, r)))?;
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None; // `calque-disabled`, `calque-disable-line` …
    }
    let (rules, reason) = match rest.split_once(" -- ") {
        Some((r, why)) => (r, Some(why.trim().to_string())),
        None => (rest, None),
    };
    let mut sels: Vec<Sel> = rules
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(Sel::parse)
        .collect();
    if sels.is_empty() {
        sels.push(Sel::All);
    }
    Some(Directive {
        kind,
        span: comment,
        sels,
        reason,
    })
}

/// The line after the one holding `pos` (with its line break).
fn next_line(text: &str, pos: usize) -> Range<usize> {
    let Some(nl) = text[pos..].find('\n') else {
        return text.len()..text.len();
    };
    let s = pos + nl + 1;
    let e = text[s..].find('\n').map_or(text.len(), |i| s + i + 1);
    s..e
}

/// One directive × RULE and the bytes it covers.
struct Region {
    dir: usize,
    sel: usize,
    range: Range<usize>,
    /// The `calque-enable` directive that ended it.
    closer: Option<usize>,
}

/// Drop the findings that suppression comments cover, and report the
/// suppressions that cover none. `comments` are the document's HTML
/// comments (`document::Prose::comments`).
pub fn apply(
    set: &RuleSet,
    text: &str,
    comments: &[Range<usize>],
    findings: Vec<Finding>,
) -> Vec<Finding> {
    let dirs: Vec<Directive> = comments
        .iter()
        .filter_map(|c| parse(text, c.clone()))
        .collect();
    if dirs.is_empty() {
        return findings;
    }
    let mut regions: Vec<Region> = Vec::new();
    let mut open: Vec<(usize, usize, usize)> = Vec::new(); // (dir, sel, start)
    for (di, d) in dirs.iter().enumerate() {
        match d.kind {
            Kind::Disable => open.extend((0..d.sels.len()).map(|si| (di, si, d.span.end))),
            Kind::NextLine => {
                let r = next_line(text, d.span.end);
                regions.extend((0..d.sels.len()).map(|si| Region {
                    dir: di,
                    sel: si,
                    range: r.clone(),
                    closer: None,
                }));
            }
            Kind::Enable => open.retain(|&(odi, osi, start)| {
                let close = d
                    .sels
                    .iter()
                    .any(|s| *s == Sel::All || *s == dirs[odi].sels[osi]);
                if close {
                    regions.push(Region {
                        dir: odi,
                        sel: osi,
                        range: start..d.span.start,
                        closer: Some(di),
                    });
                }
                !close
            }),
        }
    }
    regions.extend(open.into_iter().map(|(dir, sel, start)| Region {
        dir,
        sel,
        range: start..text.len(),
        closer: None,
    }));
    let mut used = vec![false; regions.len()];
    let mut out = Vec::with_capacity(findings.len());
    for f in findings {
        let mut suppressed = false;
        for (ri, r) in regions.iter().enumerate() {
            if r.range.contains(&f.span.start) && dirs[r.dir].sels[r.sel].matches(&f.rule) {
                used[ri] = true;
                suppressed = true;
            }
        }
        if !suppressed {
            out.push(f);
        }
    }
    if set.unused_suppressions {
        report_unused(set, text, &dirs, &regions, &used, &mut out);
        out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    out
}

/// Why a RULE of a directive is unused, or `None` when it is used or
/// cannot be judged (it names only rules switched off for this run).
fn unused_reason(set: &RuleSet, sel: &Sel) -> Option<&'static str> {
    let mut known = false;
    for r in &set.rules {
        if sel.matches(&r.meta.id) {
            if r.enabled {
                return Some("suppresses no finding");
            }
            known = true;
        }
    }
    if *sel == Sel::All {
        return Some("suppresses no finding");
    }
    (!known).then_some("matches no rule")
}

fn report_unused(
    set: &RuleSet,
    text: &str,
    dirs: &[Directive],
    regions: &[Region],
    used: &[bool],
    out: &mut Vec<Finding>,
) {
    for (di, d) in dirs.iter().enumerate() {
        if d.kind == Kind::Enable {
            continue;
        }
        let mut unused: Vec<(usize, &'static str)> = Vec::new();
        for (si, sel) in d.sels.iter().enumerate() {
            let is_used = regions
                .iter()
                .zip(used)
                .any(|(r, &u)| u && r.dir == di && r.sel == si);
            if !is_used && let Some(why) = unused_reason(set, sel) {
                unused.push((si, why));
            }
        }
        if unused.is_empty() {
            continue;
        }
        let whole = unused.len() == d.sels.len();
        let comment = &text[d.span.clone()];
        let (message, replacement, edits) = if whole {
            let mut edits = vec![delete_comment(text, d.span.clone())];
            // The `calque-enable` that only closed this directive goes too.
            let closers: Vec<usize> = regions
                .iter()
                .filter(|r| r.dir == di)
                .filter_map(|r| r.closer)
                .collect();
            if let Some(&c) = closers.first()
                && closers.iter().all(|&x| x == c)
                && regions
                    .iter()
                    .filter(|r| r.closer == Some(c))
                    .all(|r| r.dir == di)
            {
                edits.push(delete_comment(text, dirs[c].span.clone()));
            }
            let why = if d.sels == [Sel::All] {
                "suppresses no finding".to_string()
            } else {
                unused
                    .iter()
                    .map(|&(si, why)| format!("`{}` {why}", d.sels[si].as_str()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            (
                format!("unused suppression comment `{comment}`: {why}; delete it"),
                String::new(),
                edits,
            )
        } else {
            let keep: Vec<&str> = d
                .sels
                .iter()
                .enumerate()
                .filter(|(si, _)| !unused.iter().any(|(u, _)| u == si))
                .map(|(_, s)| s.as_str())
                .collect();
            let reason = d
                .reason
                .as_deref()
                .map(|r| format!(" -- {r}"))
                .unwrap_or_default();
            let new = format!("<!-- {} {}{reason} -->", d.kind.keyword(), keep.join(" "));
            let why = unused
                .iter()
                .map(|&(si, why)| format!("`{}` {why}", d.sels[si].as_str()))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("unused rule in suppression comment: {why}; remove it"),
                new.clone(),
                vec![Edit {
                    start: d.span.start,
                    end: d.span.end,
                    replacement: new,
                }],
            )
        };
        out.push(Finding {
            rule: Arc::from(UNUSED_ID),
            severity: Severity::Info,
            category: Arc::from(UNUSED_CATEGORY),
            message,
            span: d.span.clone(),
            suggestions: vec![Suggestion {
                replacement,
                applicability: Applicability::Safe,
                edits,
                preferred: false,
            }],
        });
    }
}

/// The edit deleting a comment: its whole line when it stands alone on it,
/// else the comment and the spaces before it.
fn delete_comment(text: &str, span: Range<usize>) -> Edit {
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i + 1);
    let alone = text[line_start..span.start].trim().is_empty()
        && text[span.end..line_end].trim().is_empty();
    let (start, end) = if alone {
        (line_start, line_end)
    } else {
        let before = &text[line_start..span.start];
        (
            span.start - (before.len() - before.trim_end_matches([' ', '\t']).len()),
            span.end,
        )
    };
    Edit {
        start,
        end,
        replacement: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_parse() {
        let t = "<!-- calque-disable a/b, fr-en/ -- quoted on purpose -->";
        let d = parse(t, 0..t.len()).unwrap();
        assert_eq!(d.kind, Kind::Disable);
        assert_eq!(
            d.sels,
            [Sel::Exact("a/b".into()), Sel::Prefix("fr-en/".into())]
        );
        assert_eq!(d.reason.as_deref(), Some("quoted on purpose"));
        let t = "<!--calque-disable-next-line-->";
        let d = parse(t, 0..t.len()).unwrap();
        assert_eq!((d.kind, d.sels), (Kind::NextLine, vec![Sel::All]));
        for t in [
            "<!-- calque-disabled x -->",
            "<!-- calque-disable-line x -->",
            "<!-- other -->",
            "<!-- calque-disable x",
        ] {
            assert!(parse(t, 0..t.len()).is_none(), "{t}");
        }
    }

    #[test]
    fn next_line_is_the_following_line() {
        let t = "a <!-- c -->\nb line\nc";
        assert_eq!(&t[next_line(t, 12)], "b line\n");
        assert_eq!(next_line("no newline", 3), 10..10);
    }

    #[test]
    fn delete_comment_takes_a_lone_line() {
        let t = "x\n  <!-- c -->\ny <!-- d -->\n";
        let c = t.find("<!-- c").unwrap();
        let e = delete_comment(t, c..c + 10);
        assert_eq!(&t[e.start..e.end], "  <!-- c -->\n");
        let d = t.find("<!-- d").unwrap();
        let e = delete_comment(t, d..d + 10);
        assert_eq!(&t[e.start..e.end], " <!-- d -->");
    }

    #[test]
    fn explain_only_for_the_pseudo_rule() {
        assert!(
            explain(UNUSED_ID)
                .unwrap()
                .contains("calque-disable-next-line")
        );
        assert!(explain("fr-en/x").is_none());
    }
}
