//! Markdown and HTML articles as editorial repos store them
//! (fixtures/editorial-repo): prose is checked, code, URLs, comments and
//! front-matter keys are not; positions are exact in the original file;
//! suppression comments work and a stale one is reported.

use calque::document::Format;
use calque::engine::RuleSet;
use calque::finding::Finding;
use calque::text::LineIndex;
use std::process::Command;
use std::sync::OnceLock;

const REPO: &str = "fixtures/editorial-repo";
const WEAPONS: &str = "fixtures/editorial-repo/content/2023/03/russia-north-korea-weapons.md";
const SUPPLIERS: &str = "fixtures/editorial-repo/content/2023/04/arms-suppliers.md";
const NOTES: &str = "fixtures/editorial-repo/content/2023/04/style-notes.md";
const SANCTIONS: &str = "fixtures/editorial-repo/content/2023/04/sanctions.html";

fn rules() -> &'static RuleSet {
    static SET: OnceLock<RuleSet> = OnceLock::new();
    SET.get_or_init(|| RuleSet::load(&[], true).expect("built-in rules compile"))
}

fn check(text: &str, format: Format) -> Vec<Finding> {
    calque::check_text(rules(), text, format)
}

/// (rule, line, column, the original bytes of the span).
fn located(text: &str, fs: &[Finding]) -> Vec<(String, usize, usize, String)> {
    let li = LineIndex::new(text);
    fs.iter()
        .map(|f| {
            let (l, c) = li.line_col(f.span.start);
            (f.rule.to_string(), l, c, text[f.span.clone()].to_string())
        })
        .collect()
}

fn owned(v: &[(&str, usize, usize, &str)]) -> Vec<(String, usize, usize, String)> {
    v.iter()
        .map(|(r, l, c, s)| (r.to_string(), *l, *c, s.to_string()))
        .collect()
}

fn read(p: &str) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// Apply every edit of the first suggestion of each finding (back to front).
fn apply_fixes(text: &str, fs: &[&Finding]) -> String {
    let mut edits: Vec<_> = fs
        .iter()
        .flat_map(|f| f.suggestions[0].edits.clone())
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.start));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(e.start..e.end, &e.replacement);
    }
    out
}

const WEAPONS_EXPECTED: &[(&str, usize, usize, &str)] = &[
    // front matter: title and description values
    ("fr-en/false-friend/pretend", 2, 48, "pretending"),
    (
        "fr-en/calque/reportive-conditional",
        3,
        14,
        "He would have tried",
    ),
    // heading, paragraph
    ("fr-en/names/transliteration", 10, 3, "Achot"),
    ("fr-en/names/transliteration", 11, 201, "Achot"),
    ("fr-en/calque/had-had", 11, 218, "had had contacts with"),
    // a "Read also" line whose title is a link
    (
        "boilerplate/read-also",
        13,
        1,
        "Read also: [Article reserved for our subscribers US and Russia play de-escalation",
    ),
    (
        "boilerplate/subscribers-only",
        13,
        13,
        "Article reserved for our subscribers ",
    ),
    (
        "fr-en/calque/jouer-la-desescalade-l-apaisement",
        13,
        64,
        "play de-escalation",
    ),
    ("typography/quotes/reversed", 15, 48, "” around twenty “"),
    ("fr-en/calque/vingtaine-of", 15, 66, "of "),
    // the line right after a heading
    (
        "fr-en/calque/reportive-conditional",
        18,
        1,
        "He would have tried",
    ),
    (
        "fr-en/calque/likely-to",
        18,
        69,
        "planes likely to facilitate",
    ),
    // image alt text
    ("fr-en/names/transliteration", 20, 12, "Poutine"),
    // table cell
    ("fr-en/names/transliteration", 24, 3, "Achot"),
    // list item, link text
    ("fr-en/false-friend/pretend", 27, 53, "pretending"),
    ("fr-en/names/transliteration", 28, 46, "Poutine"),
];

#[test]
fn markdown_article_prose_is_checked_at_exact_positions() {
    let text = read(WEAPONS);
    let fs = check(&text, Format::Markdown);
    assert_eq!(located(&text, &fs), owned(WEAPONS_EXPECTED));
}

#[test]
fn markdown_article_code_urls_comments_and_keys_are_not_checked() {
    let text = read(WEAPONS);
    let fs = check(&text, Format::Markdown);
    let li = LineIndex::new(&text);
    // author, slug, tags, a key, inline code + bare URL, fenced code, comment
    for f in &fs {
        let (l, _) = li.line_col(f.span.start);
        assert!(
            !matches!(l, 4..=7 | 30..=37),
            "{} flagged on line {l}: {:?}",
            f.rule,
            &text[f.span.clone()]
        );
    }
    // The same bytes read as plain text are full of findings there.
    let plain = check(&text, Format::Text);
    let plain_lines: Vec<usize> = plain.iter().map(|f| li.line_col(f.span.start).0).collect();
    for l in [4, 6, 7, 30, 33, 34, 37] {
        assert!(plain_lines.contains(&l), "line {l} has a defect as text");
    }
}

#[test]
fn notes_with_defects_only_in_code_urls_and_comments_are_clean() {
    let text = read(NOTES);
    assert!(check(&text, Format::Markdown).is_empty());
    assert!(
        check(&text, Format::Text).len() >= 8,
        "the defects are there, in code"
    );
}

#[test]
fn html_article_text_and_alt_title_attributes_are_checked() {
    let text = read(SANCTIONS);
    let fs = check(&text, Format::Html);
    let expected = owned(&[
        ("fr-en/names/transliteration", 5, 27, "Achot"), // <title>
        (
            "fr-en/calque/reportive-conditional",
            6,
            35,
            "He would have tried",
        ), // meta description
        ("fr-en/names/transliteration", 17, 33, "Achot"),
        ("fr-en/false-friend/pretend", 19, 54, "pretending"),
        ("fr-en/names/transliteration", 20, 67, "Poutine"), // alt
        ("fr-en/names/transliteration", 21, 80, "Poutine"), // title
        ("fr-en/calque/vingtaine-of", 26, 42, "of "),
        (
            "boilerplate/read-also",
            27,
            4,
            "Read also: <a href=\"https://example.com/x\">Article reserved for our subscribers Arms sales",
        ),
        (
            "boilerplate/subscribers-only",
            27,
            47,
            "Article reserved for our subscribers ",
        ),
    ]);
    assert_eq!(located(&text, &fs), expected);
    // The reversed quotes of line 26 are suppressed by the directive above;
    // blanked into a plain comment, they are reported.
    let directive = "<!-- calque-disable-next-line typography/quotes/reversed -->";
    let plain = format!("<!--{}-->", " ".repeat(directive.len() - 7));
    let unsuppressed = text.replace(directive, &plain);
    assert_eq!(unsuppressed.len(), text.len());
    let again = located(&unsuppressed, &check(&unsuppressed, Format::Html));
    assert!(again.contains(&(
        "typography/quotes/reversed".into(),
        26,
        24,
        "” around twenty “".into()
    )));
}

#[test]
fn html_leaked_line_fix_deletes_only_its_line() {
    let text = read(SANCTIONS);
    let fs = check(&text, Format::Html);
    let f = fs
        .iter()
        .find(|f| &*f.rule == "boilerplate/read-also")
        .unwrap();
    let fixed = apply_fixes(&text, &[f]);
    assert!(fixed.contains("of different types of arms.</p>\n</article>"));
    assert!(!fixed.contains("Read also: <a"));
}

#[test]
fn suppression_comments_and_the_stale_one() {
    let text = read(SUPPLIERS);
    let fs = check(&text, Format::Markdown);
    let expected = owned(&[
        // TOML front matter: title and summary
        ("fr-en/names/transliteration", 2, 10, "Poutine"),
        ("fr-en/names/transliteration", 3, 45, "Achot"),
        (
            "calque/unused-suppression",
            18,
            1,
            "<!-- calque-disable fr-en/false-friend/pretend -->",
        ),
        ("fr-en/false-friend/pretend", 22, 80, "pretending"),
    ]);
    assert_eq!(located(&text, &fs), expected);
    let stale = &fs[2];
    assert_eq!(stale.severity, calque::finding::Severity::Info);
    assert_eq!(&*stale.category, "style/suppression");
    let s = &stale.suggestions[0];
    assert_eq!(s.applicability, calque::finding::Applicability::Safe);
    // The fix deletes the comment's line and its now useless enable.
    let fixed = apply_fixes(&text, &[stale]);
    assert!(fixed.contains(
        "<!-- calque-enable typography/ -->\n\nThis paragraph once said something else; it has no defect now.\n\nIn November"
    ));
    assert!(
        check(&fixed, Format::Markdown)
            .iter()
            .all(|f| &*f.rule != "calque/unused-suppression")
    );

    // Without the directives, what they suppressed comes back.
    let mut bare = text.clone();
    for d in [
        "<!-- calque-disable-next-line fr-en/names/transliteration -- the French spelling is quoted on purpose -->",
        "<!-- calque-disable typography/ -->",
    ] {
        bare = bare.replace(d, &" ".repeat(d.len()));
    }
    let got = located(&bare, &check(&bare, Format::Markdown));
    assert!(got.contains(&(
        "fr-en/names/transliteration".into(),
        12,
        39,
        "Poutine".into()
    )));
    assert!(got.contains(&(
        "typography/quotes/reversed".into(),
        15,
        31,
        "” around twenty “".into()
    )));
}

#[test]
fn suppression_scopes() {
    let t = "<!-- calque-disable -->\nPoutine came.\n<!-- calque-enable -->\nPoutine left.\n";
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[("fr-en/names/transliteration", 4, 1, "Poutine")])
    );

    // A prefix; the region runs to the end of the file when never closed.
    let t = "Poutine came.\n\n<!-- calque-disable fr-en/ -->\n\nPoutine had had contacts with ” around twenty “ of them.\n";
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[
            ("fr-en/names/transliteration", 1, 1, "Poutine"),
            ("typography/quotes/reversed", 5, 31, "” around twenty “"),
        ])
    );

    // Next line only.
    let t = "<!-- calque-disable-next-line fr-en/names/transliteration -->\nPoutine came.\nPoutine left.\n";
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[("fr-en/names/transliteration", 3, 1, "Poutine")])
    );

    // Enable with a rule ends only that rule's region.
    let t = "<!-- calque-disable fr-en/names/transliteration, typography/ -->\nPoutine got ” around twenty “ of them.\n<!-- calque-enable typography/ -->\nPoutine got ” around twenty “ of them.\n";
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[("typography/quotes/reversed", 4, 13, "” around twenty “")])
    );
}

#[test]
fn unused_suppressions_are_reported_precisely() {
    // A misspelt id matches no rule.
    let t = "<!-- calque-disable-next-line fr-en/names/transliteraton -->\nPoutine came.\n";
    let fs = check(t, Format::Markdown);
    let got = located(t, &fs);
    assert_eq!(got[0].0, "calque/unused-suppression");
    assert!(
        fs[0].message.contains("matches no rule"),
        "{}",
        fs[0].message
    );
    assert_eq!(
        got[1],
        ("fr-en/names/transliteration".into(), 2, 1, "Poutine".into())
    );

    // One of two rules unused: the fix drops just that one.
    let t = "<!-- calque-disable-next-line fr-en/names/transliteration typography/ -- quoted -->\nPoutine came.\n";
    let fs = check(t, Format::Markdown);
    assert_eq!(fs.len(), 1);
    assert_eq!(&*fs[0].rule, "calque/unused-suppression");
    assert!(
        fs[0]
            .message
            .contains("`typography/` suppresses no finding")
    );
    assert_eq!(
        fs[0].suggestions[0].replacement,
        "<!-- calque-disable-next-line fr-en/names/transliteration -- quoted -->"
    );
    let fixed = apply_fixes(t, &[&fs[0]]);
    assert!(check(&fixed, Format::Markdown).is_empty(), "{fixed}");

    // Not reported when the pseudo-rule is switched off (--ignore).
    let mut set = RuleSet::load(&[], true).unwrap();
    set.unused_suppressions = false;
    let t = "<!-- calque-disable fr-en/ -->\nAll is well.\n";
    assert!(calque::check_text(&set, t, Format::Markdown).is_empty());
    assert_eq!(check(t, Format::Markdown).len(), 1);

    // A rule switched off for this run cannot be judged: not reported.
    let mut set = RuleSet::load(&[], true).unwrap();
    set.retain(|m| !m.id.starts_with("fr-en/"));
    assert!(calque::check_text(&set, t, Format::Markdown).is_empty());
}

#[test]
fn directives_in_code_are_not_directives() {
    let t = "```\n<!-- calque-disable -->\n```\n\nPoutine came.\n\n`<!-- calque-disable-next-line -->`\nPoutine left.\n";
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[
            ("fr-en/names/transliteration", 5, 1, "Poutine"),
            ("fr-en/names/transliteration", 8, 1, "Poutine"),
        ])
    );
}

#[test]
fn table_cells_are_not_one_quotation() {
    let t = "| ” around twenty | “ of arms |\n|---|---|\n| a | b |\n";
    // As text, the two marks pair up across the cells (and the fix would
    // eat the pipe); as Markdown each cell is its own block.
    let txt = check(t, Format::Text);
    assert!(
        txt.iter()
            .any(|f| &*f.rule == "typography/quotes/reversed" && t[f.span.clone()].contains('|'))
    );
    let md = check(t, Format::Markdown);
    assert!(md.iter().all(|f| !t[f.span.clone()].contains('|')));
    assert!(
        md.iter()
            .any(|f| &*f.rule == "typography/quotes/reversed" && f.span == (2..5))
    );
}

#[test]
fn list_items_are_separate_paragraphs() {
    let t = "- He said “yes.\n- She said no.”\n";
    assert!(
        check(t, Format::Text).is_empty(),
        "as text the marks pair up"
    );
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[
            ("typography/quotes/unclosed", 1, 11, "“"),
            ("typography/quotes/unclosed", 2, 15, "”"),
        ])
    );
}

#[test]
fn crlf_files_give_the_same_findings() {
    let text = read(WEAPONS).replace('\n', "\r\n");
    let fs = check(&text, Format::Markdown);
    assert_eq!(located(&text, &fs), owned(WEAPONS_EXPECTED));
    let text = read(SANCTIONS).replace('\n', "\r\n");
    let fs = check(&text, Format::Html);
    assert_eq!(fs.len(), 9);
}

#[test]
fn nfd_text_maps_to_its_own_bytes() {
    let t = "---\ntitle: Tche\u{301}tche\u{301}nie today\n---\n\n## Tche\u{301}tche\u{301}nie\nPoutine came.\n";
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[
            (
                "fr-en/names/transliteration",
                2,
                8,
                "Tche\u{301}tche\u{301}nie"
            ),
            (
                "fr-en/names/transliteration",
                5,
                4,
                "Tche\u{301}tche\u{301}nie"
            ),
            ("fr-en/names/transliteration", 6, 1, "Poutine"),
        ])
    );
}

#[test]
fn bom_before_front_matter() {
    let t = "\u{FEFF}---\ntitle: Poutine in Moscou\nauthor: Poutine\n---\nBody.\n";
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[
            ("fr-en/names/transliteration", 2, 8, "Poutine"),
            ("fr-en/names/transliteration", 2, 19, "Moscou"),
        ])
    );
    let t = "\u{FEFF}<p>Poutine</p>";
    let got = located(t, &check(t, Format::Html));
    assert_eq!(
        got,
        owned(&[("fr-en/names/transliteration", 1, 5, "Poutine")])
    );
}

#[test]
fn unclosed_front_matter_is_read_as_markdown() {
    // No closing fence: not front matter, so every line is prose.
    let t = "---\ntitle: Poutine\nauthor: Achot\n";
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[
            ("fr-en/names/transliteration", 2, 8, "Poutine"),
            ("fr-en/names/transliteration", 3, 9, "Achot"),
        ])
    );
}

#[test]
fn unclosed_code_fence_hides_the_rest() {
    let t = "Poutine came.\n\n```\nPoutine left.\n\nAchot too.\n";
    let got = located(t, &check(t, Format::Markdown));
    assert_eq!(
        got,
        owned(&[("fr-en/names/transliteration", 1, 1, "Poutine")])
    );
}

#[test]
fn empty_and_degenerate_documents() {
    for f in [Format::Markdown, Format::Html, Format::Text] {
        for t in [
            "",
            "\n",
            "\u{FEFF}",
            "---\n---\n",
            "<!---->",
            "<!-- calque-enable -->",
        ] {
            let fs = check(t, f);
            assert!(fs.is_empty(), "{f:?} {t:?}: {fs:?}");
        }
    }
    // An empty disable suppresses nothing and says so.
    let fs = check("<!-- calque-disable -->", Format::Markdown);
    assert_eq!(fs.len(), 1);
    assert_eq!(&*fs[0].rule, "calque/unused-suppression");
}

#[test]
fn every_span_maps_to_prose_bytes_of_the_original() {
    for (p, f) in [
        (WEAPONS, Format::Markdown),
        (SUPPLIERS, Format::Markdown),
        (SANCTIONS, Format::Html),
    ] {
        let text = read(p);
        let prose = calque::document::prose(&text, f);
        for fd in check(&text, f) {
            if &*fd.rule == "calque/unused-suppression" {
                continue;
            }
            let span = fd.span.clone();
            // The span starts and ends on prose the file really holds.
            let first = text[span.start..].chars().next().unwrap();
            assert!(
                prose.text[span.start..].starts_with(first),
                "{p}: {}",
                fd.rule
            );
            let last = text[..span.end].chars().next_back().unwrap();
            assert!(prose.text[..span.end].ends_with(last), "{p}: {}", fd.rule);
            for e in fd.suggestions.iter().flat_map(|s| &s.edits) {
                assert!(text.is_char_boundary(e.start) && text.is_char_boundary(e.end));
            }
        }
    }
}

fn calque() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_calque"));
    c.env_remove("NO_COLOR");
    c
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn cli_walks_the_editorial_repo() {
    let out = calque()
        .args(["check", "--format", "json", REPO])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    assert_eq!(v["summary"]["files"], 4, "three .md files and one .html");
    let findings = v["findings"].as_array().unwrap();
    let count = |p: &str| findings.iter().filter(|f| f["path"] == p).count();
    assert_eq!(count(WEAPONS), 16);
    assert_eq!(count(SUPPLIERS), 4);
    assert_eq!(count(NOTES), 0);
    assert_eq!(count(SANCTIONS), 9);
    // JSON positions are the original file's.
    for f in findings {
        let text = read(f["path"].as_str().unwrap());
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        let li = LineIndex::new(&text);
        let (l, c) = li.line_col(s);
        assert_eq!(
            (f["line"].as_u64(), f["column"].as_u64()),
            (Some(l as u64), Some(c as u64))
        );
        assert!(text.get(s..e).is_some());
    }
    let stale = findings
        .iter()
        .find(|f| f["rule"] == "calque/unused-suppression")
        .unwrap();
    assert_eq!(stale["severity"], "info");
    assert_eq!(stale["category"], "style/suppression");
    assert_eq!(stale["suggestions"][0]["applicability"], "safe");

    // --ignore and --select switch the pseudo-rule off like any rule.
    for args in [
        ["--ignore", "calque/unused-suppression"],
        ["--select", "fr-en/"],
    ] {
        let out = calque()
            .args(["check", "--format", "json", SUPPLIERS])
            .args(args)
            .output()
            .unwrap();
        let v = json(&out);
        assert!(
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["rule"] != "calque/unused-suppression"),
            "{args:?}"
        );
    }
}

#[test]
fn stdin_filename_picks_the_format() {
    use std::io::Write;
    let input = "<p>Poutine</p>\n\n`Achot`\n";
    let run = |name: &str| {
        let mut child = calque()
            .args(["check", "--format", "json", "--stdin-filename", name])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let v = json(&out);
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["column"].as_u64().unwrap() * 100 + f["line"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    // col*100+line: text flags both names, HTML and Markdown only the one
    // outside code (`Achot` in backticks is code in Markdown, and HTML sees
    // backticks as text, so HTML flags it).
    assert_eq!(run("a.txt"), [401, 203]);
    assert_eq!(run("a.md"), [401]);
    assert_eq!(run("a.html"), [401, 203]);
    assert_eq!(run("a.htm"), [401, 203]);
}

#[test]
fn explain_knows_the_pseudo_rule() {
    let out = calque()
        .args(["explain", "calque/unused-suppression"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("calque/unused-suppression\n"));
    assert!(s.contains("severity: info"));
    assert!(s.contains("calque-disable-next-line"));
}

#[test]
fn mixed_markup_never_breaks_the_invariants() {
    // Deterministic pseudo-random documents made of tricky fragments.
    const FRAGS: &[&str] = &[
        "```",
        "`",
        "~~~",
        "<!--",
        "-->",
        "<p>",
        "</p>",
        "<code>",
        "</code>",
        "<script>",
        "</script>",
        "<pre>",
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "http://x.y/a",
        "www.z.org",
        "---\n",
        "+++\n",
        "\n",
        "\r\n",
        "\n\n",
        "> ",
        "- ",
        "1. ",
        "| a |",
        "|---|",
        "é",
        "e\u{301}",
        "&amp;",
        "&",
        "<",
        ">",
        "\"",
        "'",
        "title: ",
        "description = ",
        "*",
        "_",
        "\\",
        "    ",
        "\u{FEFF}",
        "<https://a.b>",
        "[^1]",
        "[^1]: x",
        "# ",
        "Poutine",
        "He would have tried",
        "” around twenty “",
        "Read also: ",
        "<!-- calque-disable -->",
        "<!-- calque-enable -->",
        "<!-- calque-disable-next-line fr-en/ -->",
        "<img alt=\"Achot",
        "\">",
        " title='x'",
        "{#id}",
        "\u{a0}",
        "«",
        "»",
        "\t",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..1500 {
        let n = (next() % 24) as usize;
        let doc: String = (0..n)
            .map(|_| FRAGS[(next() % FRAGS.len() as u64) as usize])
            .collect();
        for f in [Format::Markdown, Format::Html, Format::Text] {
            let p = calque::document::prose(&doc, f);
            assert_eq!(p.text.len(), doc.len(), "{f:?} {doc:?}");
            for (a, b) in doc.bytes().zip(p.text.bytes()) {
                assert!(a == b || b == b' ', "{f:?} {doc:?}");
            }
            for w in p.masked.windows(2) {
                assert!(w[0].end <= w[1].start, "{f:?} {doc:?}");
            }
            for fd in check(&doc, f) {
                assert!(doc.get(fd.span.clone()).is_some(), "{f:?} {doc:?}");
                for s in &fd.suggestions {
                    for e in &s.edits {
                        assert!(doc.get(e.start..e.end).is_some(), "{f:?} {doc:?}");
                    }
                }
            }
        }
    }
}
