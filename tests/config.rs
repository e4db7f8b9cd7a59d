//! Configuration (.calque.yaml), walking filters and the CI gate: baseline,
//! --changed-since, --max-findings.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const PRETEND: &str = "They said he was pretending that all was well.";
const HAD_HAD: &str = "A Slovak national had had contacts with officials.";
const REVERSED: &str = "She called it ”a farce“ on Tuesday.";

fn calque(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_calque"));
    c.env_remove("NO_COLOR").current_dir(dir);
    c
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("calque-config-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, text).unwrap();
}

fn run(dir: &Path, args: &[&str]) -> Output {
    calque(dir).args(args).output().unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// (path, rule, severity) of every finding of a JSON run.
fn findings(o: &Output) -> Vec<(String, String, String)> {
    json(o)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn rules_of(o: &Output) -> Vec<String> {
    findings(o).into_iter().map(|f| f.1).collect()
}

#[test]
fn nearest_config_wins_and_config_flags() {
    let d = tmpdir("discovery");
    write(&d.join("a.txt"), &format!("{HAD_HAD}\n"));
    write(&d.join("sub/b.txt"), &format!("{HAD_HAD}\n"));
    write(
        &d.join(".calque.yaml"),
        "rules:\n  fr-en/calque/had-had: off\n",
    );
    // The nearer file wins whole: nothing is turned off in sub/.
    write(&d.join("sub/.calque.yaml"), "fail-on: warning\n");
    let o = run(&d, &["check", "--format", "json", "."]);
    assert_eq!(
        findings(&o),
        vec![(
            "./sub/b.txt".into(),
            "fr-en/calque/had-had".into(),
            "warning".into()
        )]
    );
    // --config: one file for all.
    let o = run(
        &d,
        &["check", "--format", "json", "--config", ".calque.yaml", "."],
    );
    assert!(findings(&o).is_empty(), "{:?}", findings(&o));
    assert_eq!(o.status.code(), Some(0));
    // --no-config: none.
    let o = run(&d, &["check", "--format", "json", "--no-config", "."]);
    assert_eq!(findings(&o).len(), 2);
    // Discovery starts from the file, not the current directory.
    let o = run(&d.join("sub"), &["check", "--format", "json", "../a.txt"]);
    assert!(findings(&o).is_empty(), "{:?}", findings(&o));
    // A missing --config file is an error.
    let o = run(&d, &["check", "--config", "nope.yaml", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.yaml"), "{}", stderr(&o));
}

#[test]
fn severity_override_off_and_command_line_precedence() {
    let d = tmpdir("severity");
    write(&d.join("a.txt"), &format!("{HAD_HAD} {PRETEND}\n"));
    write(
        &d.join(".calque.yaml"),
        "fail-on: error\nrules:\n  fr-en/false-friend: info\n  fr-en/calque/had-had: off\n",
    );
    let o = run(&d, &["check", "--format", "json", "a.txt"]);
    assert_eq!(
        findings(&o),
        vec![(
            "a.txt".into(),
            "fr-en/false-friend/pretend".into(),
            "info".into()
        )]
    );
    assert_eq!(o.status.code(), Some(0));
    // --fail-on beats the file's fail-on.
    let o = run(&d, &["check", "--fail-on", "info", "a.txt"]);
    assert_eq!(o.status.code(), Some(1));
    // A --select naming the rule beats `off`; a broader one does not.
    let o = run(
        &d,
        &[
            "check",
            "--format",
            "json",
            "--select",
            "fr-en/calque/had-had",
            "a.txt",
        ],
    );
    assert_eq!(rules_of(&o), ["fr-en/calque/had-had"]);
    let o = run(
        &d,
        &["check", "--format", "json", "--select", "fr-en", "a.txt"],
    );
    assert_eq!(rules_of(&o), ["fr-en/false-friend/pretend"]);
    // The most specific entry wins over a prefix.
    write(
        &d.join(".calque.yaml"),
        "rules:\n  fr-en: off\n  fr-en/false-friend/pretend: error\n",
    );
    let o = run(&d, &["check", "--format", "json", "a.txt"]);
    assert_eq!(
        findings(&o),
        vec![(
            "a.txt".into(),
            "fr-en/false-friend/pretend".into(),
            "error".into()
        )]
    );
}

#[test]
fn overrides_apply_to_matching_files() {
    let d = tmpdir("overrides");
    write(&d.join("drafts/a.txt"), &format!("{PRETEND}\n"));
    write(&d.join("published/b.txt"), &format!("{PRETEND}\n"));
    write(
        &d.join(".calque.yaml"),
        "fail-on: error\noverrides:\n  - files: [published/**]\n    fail-on: info\n    rules:\n      fr-en/false-friend: error\n",
    );
    let o = run(&d, &["check", "--format", "json", "drafts"]);
    assert_eq!(o.status.code(), Some(0), "drafts: warning < error");
    let o = run(&d, &["check", "--format", "json", "."]);
    assert_eq!(
        findings(&o),
        vec![
            (
                "./drafts/a.txt".into(),
                "fr-en/false-friend/pretend".into(),
                "warning".into()
            ),
            (
                "./published/b.txt".into(),
                "fr-en/false-friend/pretend".into(),
                "error".into()
            ),
        ]
    );
    assert_eq!(o.status.code(), Some(1));
    // The command line's --fail-on beats every override.
    let o = run(&d, &["check", "--fail-on", "error", "drafts"]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn packs_and_language_pair() {
    let d = tmpdir("packs");
    write(&d.join("a.txt"), &format!("{PRETEND} {REVERSED}\n"));
    let has = |o: &Output, prefix: &str| rules_of(o).iter().any(|r| r.starts_with(prefix));
    write(&d.join(".calque.yaml"), "packs:\n  fr-en: off\n");
    let o = run(&d, &["check", "--format", "json", "a.txt"]);
    assert!(
        !has(&o, "fr-en/") && has(&o, "typography/"),
        "{:?}",
        rules_of(&o)
    );
    write(&d.join(".calque.yaml"), "packs: {typography: off}\n");
    let o = run(&d, &["check", "--format", "json", "a.txt"]);
    assert!(
        has(&o, "fr-en/") && !has(&o, "typography/"),
        "{:?}",
        rules_of(&o)
    );
    // Another language pair turns the fr-en pack off; naming it turns it on.
    write(&d.join(".calque.yaml"), "source: de\ntarget: en\n");
    let o = run(&d, &["check", "--format", "json", "a.txt"]);
    assert!(
        !has(&o, "fr-en/") && has(&o, "typography/"),
        "{:?}",
        rules_of(&o)
    );
    write(
        &d.join(".calque.yaml"),
        "source: de\ntarget: en\npacks: {fr-en: on}\n",
    );
    let o = run(&d, &["check", "--format", "json", "a.txt"]);
    assert!(has(&o, "fr-en/"), "{:?}", rules_of(&o));
    write(&d.join(".calque.yaml"), "source: fr\ntarget: en\n");
    let o = run(&d, &["check", "--format", "json", "a.txt"]);
    assert!(has(&o, "fr-en/"), "{:?}", rules_of(&o));
}

#[test]
fn ignore_globs_skip_files_even_named_ones() {
    let d = tmpdir("ignore");
    write(&d.join("archive/old.txt"), &format!("{PRETEND}\n"));
    write(&d.join("notes.md"), &format!("{PRETEND}\n"));
    write(&d.join("new.txt"), &format!("{PRETEND}\n"));
    write(
        &d.join(".calque.yaml"),
        "ignore:\n  - archive/**\n  - '*.md'\n",
    );
    let o = run(&d, &["check", "--format", "json", "."]);
    let v = json(&o);
    assert_eq!(v["summary"]["files"], 1);
    assert_eq!(findings(&o)[0].0, "./new.txt");
    let o = run(&d, &["check", "--format", "json", "archive/old.txt"]);
    assert_eq!(json(&o)["summary"]["files"], 0);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn suppressions_used_and_unused() {
    let d = tmpdir("suppress");
    write(&d.join("a.txt"), &format!("{HAD_HAD}\n{PRETEND}\n"));
    write(&d.join("b.txt"), &format!("{PRETEND}\n"));
    let cfg = "suppress:\n  - files: [a.txt]\n    rule: fr-en/false-friend/pretend\n  - text: national had had contacts\n  - rule: fr-en/calque/vingtaine-of\n  - files: [elsewhere/**]\n    rule: fr-en\n";
    write(&d.join(".calque.yaml"), cfg);
    let o = run(&d, &["check", "--format", "json", "."]);
    let v = json(&o);
    let f = v["findings"].as_array().unwrap();
    // b.txt keeps its finding; a.txt's two are suppressed; the vingtaine
    // entry suppressed nothing and is reported at its line in the config.
    // The `elsewhere` entry met no checked file, so it is not reported.
    assert_eq!(f.len(), 2, "{f:?}");
    assert_eq!(f[0]["path"], "./b.txt");
    assert_eq!(f[1]["path"], ".calque.yaml");
    assert_eq!(f[1]["rule"], "calque/unused-suppression");
    assert_eq!(f[1]["severity"], "info");
    assert_eq!(f[1]["category"], "style/suppression");
    assert_eq!(
        (f[1]["line"].as_u64(), f[1]["column"].as_u64()),
        (Some(5), Some(5))
    );
    assert!(f[1]["message"].as_str().unwrap().contains("vingtaine"));
    // The configuration carries a finding but is not a checked file.
    assert_eq!(v["summary"]["files"], 2);
    assert_eq!(v["summary"]["files_with_findings"], 2);
    // Info does not fail the default gate; the pseudo-rule can be configured.
    let o = run(&d, &["check", "b.txt", "a.txt"]);
    assert_eq!(o.status.code(), Some(1));
    write(
        &d.join(".calque.yaml"),
        &format!("{cfg}rules:\n  calque/unused-suppression: off\n"),
    );
    let o = run(&d, &["check", "--format", "json", "a.txt"]);
    assert!(findings(&o).is_empty(), "{:?}", findings(&o));
    assert_eq!(o.status.code(), Some(0));
    // When the rule an entry names does not run, the entry is not stale.
    let o = run(
        &d,
        &[
            "check",
            "--format",
            "json",
            "--ignore",
            "fr-en/calque",
            "b.txt",
        ],
    );
    assert_eq!(rules_of(&o), ["fr-en/false-friend/pretend"]);
    // Human output points at the entry.
    write(&d.join(".calque.yaml"), cfg);
    let o = run(&d, &["check", "--color", "never", "a.txt"]);
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(
        s.contains("info[calque/unused-suppression]") && s.contains(".calque.yaml:5:5"),
        "{s}"
    );
    assert!(s.contains("1 file checked"), "{s}");
}

#[test]
fn config_errors_are_located_and_exit_2() {
    let d = tmpdir("errors");
    write(&d.join("a.txt"), &format!("{PRETEND}\n"));
    let cases = [
        (
            "fail-on: error\nrulez:\n  a: off\n",
            ".calque.yaml:2:1",
            "unknown field `rulez`",
        ),
        (
            "rules:\n  fr-en: loud\n",
            ".calque.yaml:2:",
            "unknown level `loud`",
        ),
        ("fail-on: never\n", ".calque.yaml:1:", "never"),
        (
            "overrides:\n  - files: [a]\n    rulez: {}\n",
            ".calque.yaml:3:",
            "unknown field `rulez`",
        ),
        (
            "rule-dirs:\n  - house\n",
            ".calque.yaml:2:5",
            "rule folder `house` not found",
        ),
        ("ignore: ['a[']\n", ".calque.yaml:1:", "bad glob"),
        (
            "rules:\n  fr-en/calque/had-hadd: off\n",
            ".calque.yaml:2:3",
            "no rule id starts with",
        ),
        (
            "packs:\n  frobnicate: off\n",
            ".calque.yaml:2:3",
            "unknown pack `frobnicate`",
        ),
        ("suppress:\n  - {}\n", ".calque.yaml:2:5", "at least one of"),
        ("rules: [a]\n", ".calque.yaml:1:", "rules"),
    ];
    for (cfg, loc, msg) in cases {
        write(&d.join(".calque.yaml"), cfg);
        let o = run(&d, &["check", "a.txt"]);
        let e = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{cfg}: {e}");
        assert!(e.contains(loc) && e.contains(msg), "{cfg}: {e}");
        assert!(o.stdout.is_empty(), "nothing is checked");
    }
}

#[test]
fn rule_dirs_are_relative_to_the_config() {
    let d = tmpdir("ruledirs");
    write(
        &d.join("house/style.yaml"),
        "pack: house\nrules:\n  - id: house/utilise\n    kind: phrase\n    match: [utilise]\n    suggest: use\n    message: 'write \"{suggestion}\"'\n    category: style/word-choice\n    examples: {bad: [We utilise it.], good: [We use it.]}\n    explain: House style prefers plain words.\n",
    );
    write(&d.join("articles/a.txt"), "We utilise it.\n");
    write(
        &d.join(".calque.yaml"),
        "rule-dirs: [house]\nrules:\n  house/utilise: error\n",
    );
    let o = run(&d.join("articles"), &["check", "--format", "json", "a.txt"]);
    assert_eq!(
        findings(&o),
        vec![("a.txt".into(), "house/utilise".into(), "error".into())]
    );
    // Without the config the rule does not exist.
    let o = run(
        &d.join("articles"),
        &["check", "--format", "json", "--no-config", "a.txt"],
    );
    assert!(findings(&o).is_empty());
}

#[test]
fn init_writes_a_config_that_loads() {
    let d = tmpdir("init");
    write(
        &d.join("a.txt"),
        &format!("{HAD_HAD} {PRETEND} {REVERSED}\n"),
    );
    let o = run(&d, &["init"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let starter = std::fs::read_to_string(d.join(".calque.yaml")).unwrap();
    assert!(starter.contains("fail-on:") && starter.contains("#suppress:"));
    // It loads, and as written changes nothing.
    let with = run(&d, &["check", "--format", "json", "a.txt"]);
    let without = run(&d, &["check", "--format", "json", "--no-config", "a.txt"]);
    assert_eq!(with.status.code(), Some(1), "{}", stderr(&with));
    assert_eq!(findings(&with), findings(&without));
    // It does not overwrite without --force.
    std::fs::write(d.join(".calque.yaml"), "fail-on: error\n").unwrap();
    let o = run(&d, &["init"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
    assert_eq!(
        std::fs::read_to_string(d.join(".calque.yaml")).unwrap(),
        "fail-on: error\n"
    );
    let o = run(&d, &["init", "--force"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(d.join(".calque.yaml")).unwrap(),
        starter
    );
    // Every example, uncommented, loads too (given the folder it names).
    std::fs::create_dir_all(d.join("house-rules")).unwrap();
    let uncommented: Vec<&str> = starter
        .lines()
        .map(|l| match l.strip_prefix('#') {
            Some(r) if !r.is_empty() && (!r.starts_with(' ') || r.starts_with("  ")) => r,
            _ => l,
        })
        .collect();
    std::fs::write(d.join(".calque.yaml"), uncommented.join("\n")).unwrap();
    let o = run(&d, &["check", "--format", "json", "a.txt"]);
    assert_ne!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!rules_of(&o).iter().any(|r| r.starts_with("consistency/")));
}

/// A file with two findings in separate paragraphs.
fn article(before: &str, middle: &str) -> String {
    format!("{before}Intro paragraph.\n\n{HAD_HAD}\n\n{middle}Some other paragraph.\n\n{PRETEND}\n")
}

#[test]
fn baseline_passes_unrelated_edits_and_fails_new_defects() {
    let d = tmpdir("baseline");
    write(&d.join("articles/a.txt"), &article("", ""));
    write(&d.join("articles/b.txt"), &format!("{PRETEND}\n"));
    let o = run(
        &d,
        &["baseline", "write", "calque-baseline.json", "articles"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(d.join("calque-baseline.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["version"], 1);
    let entries = v["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{text}");
    // Sorted, with paths relative to the baseline file, no line numbers.
    let keys: Vec<(String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().into(),
                e["rule"].as_str().unwrap().into(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(keys[0].0, "articles/a.txt");
    assert!(!text.contains("\"line\""));
    // Unchanged: passes, and says how many were baselined.
    let o = run(
        &d,
        &["check", "--baseline", "calque-baseline.json", "articles"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("; 3 baselined"));
    // Lines inserted above, another paragraph edited: still passes, from
    // another directory too.
    write(
        &d.join("articles/a.txt"),
        &article("Headline\n\nBy a reporter\n\n", "A new sentence. "),
    );
    let o = run(
        &d.join("articles"),
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "../calque-baseline.json",
            ".",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{:?}", findings(&o));
    assert!(findings(&o).is_empty());
    assert!(stderr(&o).contains("3 baselined"), "{}", stderr(&o));
    // A new defect fails, and only it is reported; a second copy of a
    // baselined finding (same words around it) is new too (a multiset).
    let mut t = article("Headline\n\n", "");
    t.push_str(&format!("\n{REVERSED}\n\n{PRETEND}\n"));
    write(&d.join("articles/a.txt"), &t);
    let o = run(
        &d,
        &[
            "check",
            "--format",
            "json",
            "--baseline",
            "calque-baseline.json",
            "articles",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let new = findings(&o);
    assert_eq!(new.len(), 2, "{new:?}");
    assert!(new.iter().any(|f| f.1 == "typography/quotes/reversed"));
    assert!(new.iter().any(|f| f.1 == "fr-en/false-friend/pretend"));
    // A missing baseline is an error.
    let o = run(&d, &["check", "--baseline", "nope.json", "articles"]);
    assert_eq!(o.status.code(), Some(2));
}

fn git(dir: &Path, args: &[&str]) {
    let o = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "calque test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "calque test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
}

#[test]
fn changed_since_keeps_findings_on_changed_lines() {
    let d = tmpdir("changed");
    write(&d.join("a.txt"), &format!("{HAD_HAD}\n\nAll is well.\n"));
    write(&d.join("old.txt"), &format!("{PRETEND}\n"));
    git(&d, &["init", "-q"]);
    git(&d, &["add", "."]);
    git(&d, &["commit", "-q", "-m", "first"]);
    // Change the second paragraph of a.txt; add an untracked file.
    write(&d.join("a.txt"), &format!("{HAD_HAD}\n\n{PRETEND}\n"));
    write(&d.join("new.txt"), &format!("{REVERSED}\n"));
    let o = run(
        &d,
        &["check", "--format", "json", "--changed-since", "HEAD", "."],
    );
    let f = findings(&o);
    assert_eq!(
        f.iter()
            .map(|x| (x.0.as_str(), x.1.as_str()))
            .collect::<Vec<_>>(),
        [
            ("./a.txt", "fr-en/false-friend/pretend"),
            ("./new.txt", "typography/quotes/reversed")
        ],
        "{}",
        stderr(&o)
    );
    // A revision git does not know is an error.
    let o = run(&d, &["check", "--changed-since", "no-such-rev", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-rev"), "{}", stderr(&o));
    // Outside a git repository: an error.
    let outside = tmpdir("changed-outside");
    write(&outside.join("a.txt"), &format!("{PRETEND}\n"));
    let o = run(&outside, &["check", "--changed-since", "HEAD", "a.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not in a git repository"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn max_findings_gate() {
    let d = tmpdir("max");
    write(&d.join("a.txt"), &format!("{HAD_HAD} {PRETEND}\n"));
    let code = |extra: &[&str]| {
        let mut args = vec!["check", "--no-config", "a.txt"];
        args.extend_from_slice(extra);
        run(&d, &args).status.code()
    };
    assert_eq!(code(&[]), Some(1));
    assert_eq!(code(&["--max-findings", "1"]), Some(1));
    assert_eq!(code(&["--max-findings", "2"]), Some(0));
    // Counted at or above the fail-on level.
    assert_eq!(
        code(&["--fail-on", "error", "--max-findings", "0"]),
        Some(0)
    );
}

#[test]
fn glob_and_exclude_filter_walked_and_named_files() {
    let d = tmpdir("glob");
    for p in [
        "a.txt",
        "b.md",
        "drafts/c.txt",
        "drafts/deep/d.md",
        "pub/e.txt",
    ] {
        write(&d.join(p), &format!("{PRETEND}\n"));
    }
    let paths = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["check", "--format", "json", "--no-config"];
        all.extend_from_slice(args);
        let mut v: Vec<String> = findings(&run(&d, &all)).into_iter().map(|f| f.0).collect();
        v.dedup();
        v
    };
    assert_eq!(
        paths(&["--glob", "*.md", "."]),
        ["./b.md", "./drafts/deep/d.md"]
    );
    assert_eq!(
        paths(&["--exclude", "drafts", "."]),
        ["./a.txt", "./b.md", "./pub/e.txt"]
    );
    assert_eq!(
        paths(&["--glob", "*.txt", "--exclude", "drafts/**", "."]),
        ["./a.txt", "./pub/e.txt"]
    );
    // Relative to the folder walked, or as shown.
    assert_eq!(
        paths(&["--glob", "deep/*.md", "drafts"]),
        ["drafts/deep/d.md"]
    );
    assert_eq!(
        paths(&["--glob", "drafts/*.txt", "drafts"]),
        ["drafts/c.txt"]
    );
    // Named files are filtered too.
    assert_eq!(paths(&["--exclude", "*.md", "a.txt", "b.md"]), ["a.txt"]);
    let o = run(&d, &["check", "--glob", "[", "."]);
    assert_eq!(o.status.code(), Some(2));
}
