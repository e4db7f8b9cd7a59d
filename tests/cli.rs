//! The command line as a user meets it: exit codes, bad input, rule errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn calque() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_calque"));
    c.env_remove("NO_COLOR");
    c
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("calque-cli-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = calque()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The child may exit (e.g. on a rule error) before reading its input.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

#[test]
fn stdin_is_checked_and_default_subcommand_works() {
    let o = run_stdin(
        &["--format", "json"],
        "They said he was pretending that all was well.\n".as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1));
    let v = json(&o);
    assert_eq!(v["findings"][0]["rule"], "fr-en/false-friend/pretend");
    assert_eq!(v["findings"][0]["path"], "-");
    let o = run_stdin(
        &[
            "check",
            "-",
            "--stdin-filename",
            "a.txt",
            "--format",
            "json",
        ],
        b"All is well.\n",
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["summary"]["findings"], 0);
}

#[test]
fn fail_on_levels() {
    let text = "A Slovak national had had contacts with officials.\n".as_bytes();
    // had-had is a warning: fails at warning, passes at error.
    assert_eq!(
        run_stdin(&["--fail-on", "warning"], text).status.code(),
        Some(1)
    );
    assert_eq!(
        run_stdin(&["--fail-on", "error"], text).status.code(),
        Some(0)
    );
}

#[test]
fn empty_file_has_no_findings() {
    let d = tmpdir("empty");
    let p = d.join("empty.txt");
    std::fs::write(&p, "").unwrap();
    let o = calque()
        .args(["--format", "json"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(json(&o)["summary"]["findings"], 0);
}

#[test]
fn missing_invalid_and_binary_files_are_reported_and_others_still_checked() {
    let d = tmpdir("bad");
    let good = d.join("good.txt");
    std::fs::write(&good, "He would have tried to flee, the paper said.\n").unwrap();
    let bad = d.join("latin1.txt");
    std::fs::write(&bad, b"Caf\xe9 au lait\n").unwrap();
    let bin = d.join("blob.txt");
    std::fs::write(&bin, b"\x7fELF\x00\x01\x02").unwrap();
    let missing = d.join("nope.txt");
    let o = calque()
        .args(["--format", "json"])
        .arg(&missing)
        .arg(&bad)
        .arg(&bin)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let v = json(&o);
    let errs = v["summary"]["file_errors"].as_array().unwrap();
    assert_eq!(errs.len(), 3);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("nope.txt") && stderr.contains("no such file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("invalid UTF-8 at byte offset 3"),
        "{stderr}"
    );
    assert!(stderr.contains("binary file"), "{stderr}");
    // The good file was still checked.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "fr-en/calque/reportive-conditional")
    );
}

#[test]
fn human_output_has_location_caret_and_fix_and_no_color_when_piped() {
    let o = run_stdin(&[], "Officials said Poutine met the envoy.\n".as_bytes());
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("warning[fr-en/names/transliteration]"), "{s}");
    assert!(s.contains("--> -:1:16"), "{s}");
    assert!(s.contains("^^^^^^^"), "{s}");
    assert!(s.contains("fix (safe): replace with `Putin`"), "{s}");
    assert!(!s.contains('\x1b'), "no colour when piped");
    assert!(s.contains("1 file checked"), "{s}");
    let o = run_stdin(
        &["--color", "always"],
        "Officials said Poutine met the envoy.\n".as_bytes(),
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains('\x1b'));
}

fn write_rule(dir: &Path, name: &str, body: &str) {
    std::fs::write(dir.join(name), body).unwrap();
}

#[test]
fn broken_rules_are_located() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "syntax.yaml",
            "rules:\n  - id: a/b\n    kind: phrase\n   message: [\n",
            "syntax.yaml:",
        ),
        (
            "kind.yaml",
            "rules:\n  - id: a/b\n    kind: frobnicate\n    message: m\n    category: x/y\n",
            "kind.yaml:3:5: unknown kind `frobnicate`",
        ),
        (
            "regex.yaml",
            "rules:\n  - id: a/b\n    kind: pattern\n    message: m\n    category: x/y\n    regex: '(unclosed'\n",
            "regex.yaml:6:5: bad regex",
        ),
        (
            "dup.yaml",
            "rules:\n  - id: a/b\n    kind: phrase\n    match: [x]\n    message: m\n    category: x/y\n  - id: a/b\n    kind: phrase\n    match: [y]\n    message: m\n    category: x/y\n",
            "dup.yaml:7:5: duplicate rule id `a/b`",
        ),
        (
            "unknown.yaml",
            "rules:\n  - id: a/b\n    kind: phrase\n    match: [x]\n    mesage: m\n    category: x/y\n",
            "unknown.yaml:",
        ),
    ];
    for (name, body, want) in cases {
        let d = tmpdir(&format!("rule-{name}"));
        write_rule(&d, name, body);
        let o = run_stdin(&["--rules", d.to_str().unwrap()], b"text\n");
        assert_eq!(o.status.code(), Some(2), "{name}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(want), "{name}: {err}");
    }
}

#[test]
fn user_rules_run_and_test_rules_reports_failures() {
    let d = tmpdir("user-rules");
    write_rule(
        &d,
        "house.yaml",
        "pack: house\nrules:\n  - id: house/utilise\n    kind: phrase\n    match: [utilise]\n    suggest: use\n    message: 'write \"{suggestion}\"'\n    category: style/word-choice\n    examples: {bad: [We utilise it.], good: [We use it., We utilise it.]}\n    explain: House style prefers plain words; utilise becomes use everywhere in our copy.\n",
    );
    let o = run_stdin(
        &["--rules", d.to_str().unwrap(), "--format", "json"],
        b"They utilise tools.\n",
    );
    assert_eq!(
        json(&o)["findings"][0]["suggestions"][0]["replacement"],
        "use"
    );
    let o = calque().arg("test-rules").arg(&d).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("FAIL house/utilise: flags its good example"),
        "{s}"
    );
    assert!(s.contains("1 rules, 3 examples: 1 failed"), "{s}");
}

#[test]
fn rules_and_explain() {
    let o = calque().arg("rules").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("fr-en/false-friend/pretend"));
    let o = calque()
        .args(["explain", "fr-en/false-friend/pretend"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("prétendre") && s.contains("Flags:") && s.contains("Does not flag:"),
        "{s}"
    );
    let o = calque()
        .args(["explain", "fr-en/false-friend/pretnd"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        calque()
            .args(["--format", "xml", "x.txt"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        calque()
            .args(["--fail-on", "never"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn nfd_and_nbsp_input_match_and_positions_refer_to_original_bytes() {
    // "prétendre" in NFD, and NBSP between words.
    let text =
        "Le Monde, pre\u{301}tendu: he was pretending\u{a0}that it was fine. Poutine left.\n";
    let o = run_stdin(&["--format", "json"], text.as_bytes());
    let v = json(&o);
    let f = v["findings"].as_array().unwrap();
    let pretend = f
        .iter()
        .find(|x| x["rule"] == "fr-en/false-friend/pretend")
        .expect("NBSP matches a space");
    let (s, e) = (
        pretend["start"].as_u64().unwrap() as usize,
        pretend["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "pretending");
    let p = f
        .iter()
        .find(|x| x["rule"] == "fr-en/names/transliteration")
        .unwrap();
    let (s, e) = (
        p["start"].as_u64().unwrap() as usize,
        p["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "Poutine");
    // columns count scalar values: "Le Monde, pre\u{301}tendu: he was " is 28.
    assert_eq!(pretend["column"], 29);
}

#[test]
fn directories_are_walked_in_order() {
    let d = tmpdir("walk");
    std::fs::create_dir_all(d.join("b")).unwrap();
    std::fs::write(d.join("b/two.md"), "Poutine spoke.\n").unwrap();
    std::fs::write(d.join("a.txt"), "Poutine spoke.\n").unwrap();
    std::fs::write(d.join("skip.rs"), "Poutine spoke.\n").unwrap();
    let o = calque()
        .args(["--format", "json"])
        .arg(&d)
        .output()
        .unwrap();
    let v = json(&o);
    let paths: Vec<String> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(paths.len(), 2);
    assert!(
        paths[0].ends_with("a.txt") && paths[1].ends_with("two.md"),
        "{paths:?}"
    );
}

#[test]
fn a_line_deletion_never_deletes_the_byte_order_mark() {
    let text = "\u{feff}Read also: Another story\n\nThe minister spoke.\n";
    let o = run_stdin(&["--format", "json"], text.as_bytes());
    let v = json(&o);
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "boilerplate/read-also");
    let e = &f["suggestions"][0]["edits"][0];
    let (s, end) = (
        e["start"].as_u64().unwrap() as usize,
        e["end"].as_u64().unwrap() as usize,
    );
    let mut fixed = text.to_string();
    fixed.replace_range(s..end, "");
    assert_eq!(fixed, "\u{feff}The minister spoke.\n");
}

#[test]
fn messages_quote_the_text_as_written_not_the_mapped_value() {
    let o = run_stdin(
        &["--format", "json"],
        "Officials confirmed Russia's willingness to matter.\n".as_bytes(),
    );
    let v = json(&o);
    let f = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "fr-en/dangling/intent-to-noun")
        .cloned()
        .unwrap();
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .starts_with("\"willingness to matter\" dangles"),
        "{}",
        f["message"]
    );
    assert_eq!(
        f["suggestions"][0]["replacement"],
        "acquire military equipment"
    );
}

#[test]
fn regexes_compile_lazily_and_test_rules_reports_the_ones_that_do_not() {
    // A regex that parses but is too big to compile: the rule set loads,
    // the rule never fires, and `test-rules` says why.
    let d = tmpdir("lazy-regex");
    write_rule(
        &d,
        "lazy.yaml",
        "rules:\n  - id: a/lazy\n    kind: pattern\n    regex: 'x(?:\\w{1000}){1000}'\n    message: m\n    category: x/y\n    examples: {bad: [x1], good: [y]}\n    explain: A rule whose regex is too big to compile, to test lazy compilation.\n",
    );
    let o = run_stdin(&["--rules", d.to_str().unwrap()], b"x1\n");
    assert_eq!(o.status.code(), Some(0), "{:?}", o);
    let o = calque().arg("test-rules").arg(&d).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("FAIL a/lazy: bad regex"), "{s}");
}

#[test]
fn an_unknown_unicode_class_is_a_located_rule_error() {
    let d = tmpdir("bad-class");
    write_rule(
        &d,
        "bad.yaml",
        "rules:\n  - id: a/bad\n    kind: pattern\n    regex: 'x\\p{Nope}'\n    message: m\n    category: x/y\n    examples: {bad: [x1], good: [y]}\n    explain: A rule whose regex names a Unicode class that does not exist.\n",
    );
    let o = run_stdin(&["--rules", d.to_str().unwrap()], b"x1\n");
    assert_eq!(o.status.code(), Some(2), "{:?}", o);
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("bad.yaml:4:5: bad regex") && e.contains("Unicode property not found"),
        "{e}"
    );
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    use std::io::Read;
    let mut child = calque()
        .arg("rules")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take()); // like `calque rules | head -c 16`
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn rules_phrases_lists_every_lexical_entry_once() {
    let o = calque()
        .args(["rules", "--format", "phrases"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let s = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = s.lines().collect();
    // fr-en/calque/had-had (rules/fr-en/calques/core.yaml).
    assert!(lines.contains(&"had had contacts with"), "{s}");
    assert!(lines.len() > 100, "{} phrases", lines.len());
    let unique: std::collections::HashSet<&&str> = lines.iter().collect();
    assert_eq!(unique.len(), lines.len(), "duplicates in {s}");
    assert!(lines.iter().all(|l| !l.trim().is_empty()));

    // User rules: phrase and substitution entries, no pattern literals, each
    // phrase once even when two rules share it.
    let d = tmpdir("phrases");
    write_rule(
        &d,
        "house.yaml",
        "rules:\n  - id: house/a\n    kind: phrase\n    match: [utilise, in order to]\n    message: m\n    category: style/x\n  - id: house/b\n    kind: substitution\n    map: {utilise: use, Whilst: While}\n    message: m\n    category: style/x\n  - id: house/c\n    kind: pattern\n    regex: 'moreover,'\n    message: m\n    category: style/x\n",
    );
    let o = calque()
        .args(["rules", "--format", "phrases", "--no-builtin", "--rules"])
        .arg(&d)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "utilise\nin order to\nWhilst\n"
    );
}

#[test]
fn stats_report_phases_kinds_and_slowest_rules_without_changing_output() {
    let seed = "fixtures/seed/article.en.txt";
    let plain = calque()
        .args(["check", "--no-config", "--format", "json", seed])
        .output()
        .unwrap();
    let o = calque()
        .args(["check", "--no-config", "--format", "json", "--stats", seed])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), plain.status.code());
    assert_eq!(o.stdout, plain.stdout, "--stats must not change the report");
    let e = String::from_utf8_lossy(&o.stderr);
    for needle in [
        "calque --stats: 1 document(s)",
        "phase",
        "automaton",
        "pattern",
        // the word table the built-in word scans share, timed apart
        "\nwords ",
        "rule kind",
        "slowest rules",
    ] {
        assert!(e.contains(needle), "{needle} missing from:\n{e}");
    }
    // At most 15 rules are listed, each with its kind in parentheses.
    let listed: Vec<&str> = e
        .lines()
        .skip_while(|l| !l.starts_with("slowest rules"))
        .skip(1)
        .collect();
    assert!(!listed.is_empty() && listed.len() <= 15, "{e}");
    assert!(listed.iter().all(|l| l.trim_end().ends_with(')')), "{e}");
    // Each with the findings of the report: `ms runs findings id (kind)`.
    let report = json(&o);
    let found = |id: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == id)
            .count()
    };
    let mut with_findings = 0;
    for l in &listed {
        let cols: Vec<&str> = l.split_whitespace().collect();
        let n: usize = cols[2].parse().unwrap();
        assert_eq!(n, found(cols[3]), "{l}");
        with_findings += usize::from(n > 0);
    }
    assert!(with_findings > 0, "{e}");
}

/// One long line (no blank line, no line break) that repeats a two-word
/// phrase, a number and a flagged name: each piece of work must stay
/// proportional to the text. The phrase run, the windows around a literal
/// that occurs every few bytes, a rule's `unless` context, line and column
/// of findings far into one line, and `fix` on it each used to read the
/// line again per finding or per copy (seconds on 200 KB, minutes on
/// 1 MB). No timing is asserted; the output is checked.
#[test]
fn one_long_line_with_many_findings() {
    let copies = 20_000;
    let text = format!(
        "{}{}{}",
        "Goussev ou ".repeat(copies),
        "1 000 ".repeat(copies / 4),
        "Abou ".repeat(copies)
    );
    let o = run_stdin(
        &["check", "--format", "json", "--stdin-filename", "long.txt"],
        text.as_bytes(),
    );
    let v = json(&o);
    let fs = v["findings"].as_array().unwrap();
    let rule = |id: &str| fs.iter().filter(|f| f["rule"] == id).count();
    // "Goussev ou Goussev ou …" and "1 000 1 000 …": one run each.
    assert_eq!(rule("fluency/repetition/phrase"), 2, "{:?}", v["summary"]);
    assert_eq!(rule("fr-en/names/translit-abou-abu-arabic"), copies);
    assert_eq!(rule("fr-en/names/translit-ou-u-slavic"), copies);
    // A rule with an `unless` context, in a "sentence" of the whole line.
    assert_eq!(rule("fr-en/locale/thousands-space"), copies / 4);
    let last = fs
        .iter()
        .map(|f| f["column"].as_u64().unwrap())
        .max()
        .unwrap();
    assert_eq!(last as usize, text.len() - "Abou ".len() + 1);
    assert!(fs.iter().all(|f| f["line"] == 1));
    // `fix` goes through every finding of the line too: it applies the
    // safe number fixes and leaves the rest (unsafe) as they were.
    let d = tmpdir("long-line");
    let p = d.join("long.txt");
    std::fs::write(&p, &text).unwrap();
    let o = calque().arg("fix").arg(&p).output().unwrap();
    assert!(matches!(o.status.code(), Some(0 | 1)), "{o:?}");
    let fixed = std::fs::read_to_string(&p).unwrap();
    let (names, rest) = text.split_at(copies * "Goussev ou ".len());
    assert!(fixed.starts_with(names) && fixed.ends_with(&"Abou ".repeat(copies)));
    assert_eq!(fixed.len(), text.len());
    assert!(!fixed.contains("1 000") && rest.contains("1 000"));
}
