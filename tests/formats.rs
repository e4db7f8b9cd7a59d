//! The machine-readable output formats, checked the way their consumers
//! read them: SARIF against the official schema, reviewdog positions in
//! UTF-8 bytes, GitHub workflow-command grammar and escaping, XML parsed
//! back. Every format runs on the seed article and on a run with a missing
//! file.

use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const SEED: &str = "fixtures/seed/article.en.txt";
const MISSING: &str = "no-such-article.txt";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn calque() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_calque"));
    c.current_dir(root())
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR");
    c
}

fn run(format: &str, paths: &[&str]) -> Output {
    calque()
        .args(["--format", format])
        .args(paths)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn parse(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("bad JSON ({e}): {}", String::from_utf8_lossy(&o.stdout)))
}

fn tmpdir(name: &str) -> PathBuf {
    // Unique per call: tests run in parallel and several share a name
    // (`tricky_rules`), so one must not delete another's folder.
    static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("calque-fmt-{}-{}-{n}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn seed_text() -> String {
    std::fs::read_to_string(root().join(SEED)).unwrap()
}

/// The findings of `--format json` (the reference every format is checked
/// against).
fn json_findings(paths: &[&str]) -> Vec<Value> {
    parse(&run("json", paths))["findings"]
        .as_array()
        .unwrap()
        .clone()
}

fn num(v: &Value) -> usize {
    v.as_u64()
        .unwrap_or_else(|| panic!("not a number: {v}"))
        .try_into()
        .unwrap()
}

/// Apply byte edits `(start, end, text)` to `text`.
fn apply(text: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut s = text.to_string();
    for (a, b, t) in edits {
        s.replace_range(a..b, &t);
    }
    s
}

fn json_edits(suggestion: &Value) -> Vec<(usize, usize, String)> {
    suggestion["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                num(&e["start"]),
                num(&e["end"]),
                e["replacement"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Byte offsets of line starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Byte offset of a 1-based line and a 1-based column counted in code
/// points.
fn offset_cp(text: &str, line: usize, col: usize) -> usize {
    let start = line_starts(text)[line - 1];
    text[start..]
        .char_indices()
        .nth(col - 1)
        .map_or(text.len(), |(i, _)| start + i)
}

// ---------------------------------------------------------------- jsonl

#[test]
fn jsonl_is_one_json_finding_per_line() {
    let want = json_findings(&[SEED]);
    let o = run("jsonl", &[SEED]);
    assert_eq!(o.status.code(), Some(1));
    let got: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!want.is_empty());
    assert_eq!(got, want);

    // A missing file: reported on stderr, exit 2, the findings unchanged.
    let o = run("jsonl", &[SEED, MISSING]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o).lines().count(), want.len());
    assert!(String::from_utf8_lossy(&o.stderr).contains(MISSING));
}

// ---------------------------------------------------------------- SARIF

fn sarif_validator() -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let path = root().join("tests/sarif-2.1.0-rtm.5.json");
    let idx = compiler
        .compile(path.to_str().unwrap(), &mut schemas)
        .unwrap_or_else(|e| panic!("schema does not compile: {e:#}"));
    (schemas, idx)
}

fn sarif_errors(doc: &Value) -> Option<String> {
    let (schemas, idx) = sarif_validator();
    schemas.validate(doc, idx).err().map(|e| format!("{e:#}"))
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    for paths in [&[SEED][..], &[SEED, MISSING][..], &[MISSING][..]] {
        let o = run("sarif", paths);
        let doc = parse(&o);
        if let Some(e) = sarif_errors(&doc) {
            panic!("{paths:?}: SARIF invalid: {e}");
        }
    }
    // The validator does reject broken documents.
    let good = parse(&run("sarif", &[SEED]));
    let mut no_version = good.clone();
    no_version.as_object_mut().unwrap().remove("version");
    assert!(sarif_errors(&no_version).is_some(), "missing version");
    let mut bad_level = good.clone();
    bad_level["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(sarif_errors(&bad_level).is_some(), "bad level");
    let mut bad_line = good.clone();
    bad_line["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(sarif_errors(&bad_line).is_some(), "line 0");
    let mut bad_uri = good;
    bad_uri["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "a b\\c".into();
    assert!(sarif_errors(&bad_uri).is_some(), "invalid URI reference");
}

#[test]
fn sarif_carries_rules_results_fixes_and_notifications() {
    let text = seed_text();
    let want = json_findings(&[SEED]);
    let o = run("sarif", &[SEED, MISSING]);
    assert_eq!(o.status.code(), Some(2));
    let doc = parse(&o);
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif"));
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let r = &runs[0];
    assert_eq!(r["columnKind"], "unicodeCodePoints");
    let driver = &r["tool"]["driver"];
    assert_eq!(driver["name"], "calque");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));

    // All enabled rules are described, each with the required metadata.
    let listed = parse(
        &calque()
            .args(["rules", "--format", "json"])
            .output()
            .unwrap(),
    );
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), listed.as_array().unwrap().len());
    for (d, l) in rules.iter().zip(listed.as_array().unwrap()) {
        assert_eq!(d["id"], l["id"]);
        assert_eq!(d["properties"]["tags"][0], l["category"]);
        let lvl = match l["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "note",
        };
        assert_eq!(d["defaultConfiguration"]["level"], lvl);
        for k in ["shortDescription", "fullDescription", "help"] {
            assert!(
                !d[k]["text"].as_str().unwrap().is_empty(),
                "{k} of {}",
                d["id"]
            );
        }
    }
    let explain = stdout(
        &calque()
            .args(["explain", "fr-en/false-friend/pretend"])
            .output()
            .unwrap(),
    );
    let pretend = rules
        .iter()
        .find(|d| d["id"] == "fr-en/false-friend/pretend")
        .unwrap();
    let help = pretend["help"]["text"].as_str().unwrap();
    assert!(explain.contains(help.lines().next().unwrap()), "{help}");

    // Results: one per finding, pointing at the right rule and span.
    let results = r["results"].as_array().unwrap();
    assert_eq!(results.len(), want.len());
    let mut prints = std::collections::HashSet::new();
    for (res, f) in results.iter().zip(&want) {
        assert_eq!(res["ruleId"], f["rule"]);
        assert_eq!(rules[num(&res["ruleIndex"])]["id"], f["rule"]);
        let lvl = match f["severity"].as_str().unwrap() {
            "info" => "note",
            s => s,
        };
        assert_eq!(res["level"], lvl);
        assert_eq!(res["message"]["text"], f["message"]);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], SEED);
        let reg = &loc["region"];
        assert_eq!(reg["startLine"], f["line"]);
        assert_eq!(reg["startColumn"], f["column"]);
        assert_eq!(reg["endLine"], f["end_line"]);
        assert_eq!(reg["endColumn"], f["end_column"]);
        let fp = res["partialFingerprints"]["calqueMatchHash/v1"]
            .as_str()
            .unwrap();
        assert!(prints.insert(fp.to_string()), "duplicate fingerprint {fp}");
        // Each fix, applied by line and column, gives the JSON edits' text.
        let fixes = res["fixes"].as_array().map(Vec::as_slice).unwrap_or(&[]);
        let sugg = f["suggestions"].as_array().unwrap();
        assert_eq!(fixes.len(), sugg.len());
        for (fix, s) in fixes.iter().zip(sugg) {
            let ch = &fix["artifactChanges"][0];
            assert_eq!(ch["artifactLocation"]["uri"], SEED);
            let edits = ch["replacements"]
                .as_array()
                .unwrap()
                .iter()
                .map(|rp| {
                    let d = &rp["deletedRegion"];
                    (
                        offset_cp(&text, num(&d["startLine"]), num(&d["startColumn"])),
                        offset_cp(&text, num(&d["endLine"]), num(&d["endColumn"])),
                        rp["insertedContent"]["text"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(apply(&text, edits), apply(&text, json_edits(s)));
        }
    }
    // The quotation pair is one fix of two replacements.
    let reversed = results
        .iter()
        .find(|x| x["ruleId"] == "typography/quotes/reversed")
        .unwrap();
    assert_eq!(
        reversed["fixes"][0]["artifactChanges"][0]["replacements"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The missing file is a tool execution notification.
    let inv = &r["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let n = &inv["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    assert_eq!(
        n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        MISSING
    );
    assert!(
        n["message"]["text"]
            .as_str()
            .unwrap()
            .contains("no such file")
    );

    // A clean run succeeded; --select narrows the rule list.
    let o = calque()
        .args(["--format", "sarif", "--select", "typography/", SEED])
        .output()
        .unwrap();
    let doc = parse(&o);
    let r = &doc["runs"][0];
    assert_eq!(r["invocations"][0]["executionSuccessful"], true);
    let ids: Vec<&str> = r["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(!ids.is_empty() && ids.iter().all(|i| i.starts_with("typography/")));
    for res in r["results"].as_array().unwrap() {
        assert_eq!(ids[num(&res["ruleIndex"])], res["ruleId"]);
    }
}

#[test]
fn sarif_fingerprints_do_not_depend_on_line_numbers() {
    let d = tmpdir("fingerprints");
    let text = seed_text();
    std::fs::write(d.join("a.txt"), &text).unwrap();
    std::fs::write(
        d.join("b.txt"),
        format!("A new first paragraph, added later.\n\n{text}"),
    )
    .unwrap();
    let o = calque()
        .current_dir(&d)
        .args(["--format", "sarif", "a.txt", "b.txt"])
        .output()
        .unwrap();
    let doc = parse(&o);
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let by_file = |uri: &str| -> BTreeMap<String, usize> {
        results
            .iter()
            .filter(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)
            .map(|r| {
                (
                    r["partialFingerprints"]["calqueMatchHash/v1"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    num(&r["locations"][0]["physicalLocation"]["region"]["startLine"]),
                )
            })
            .collect()
    };
    let (a, b) = (by_file("a.txt"), by_file("b.txt"));
    assert!(!a.is_empty());
    // Same fingerprints, although every finding moved down two lines.
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, line) in &a {
        assert_eq!(b[k], line + 2);
    }
}

// ---------------------------------------------------------------- reviewdog

#[test]
fn rdjson_positions_are_utf8_bytes_and_suggestions_apply() {
    let text = seed_text();
    let starts = line_starts(&text);
    let want = json_findings(&[SEED]);
    let o = run("rdjson", &[SEED]);
    assert_eq!(o.status.code(), Some(1));
    let doc = parse(&o);
    assert_eq!(doc["source"]["name"], "calque");
    assert_eq!(doc["severity"], "ERROR");
    let diags = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), want.len());
    let byte = |p: &Value| starts[num(&p["line"]) - 1] + num(&p["column"]) - 1;
    let mut differs = false;
    for (d, f) in diags.iter().zip(&want) {
        assert_eq!(d["code"]["value"], f["rule"]);
        assert_eq!(d["message"], f["message"]);
        assert_eq!(d["location"]["path"], SEED);
        assert_eq!(
            d["severity"],
            f["severity"].as_str().unwrap().to_uppercase()
        );
        let r = &d["location"]["range"];
        assert_eq!(byte(&r["start"]), num(&f["start"]));
        assert_eq!(byte(&r["end"]), num(&f["end"]));
        differs |= r["start"]["column"] != f["column"];
        // One rdf suggestion per calque suggestion, with the same effect.
        let sugg = f["suggestions"].as_array().unwrap();
        let rs = d["suggestions"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        assert_eq!(rs.len(), sugg.len());
        for (x, s) in rs.iter().zip(sugg) {
            let e = (
                byte(&x["range"]["start"]),
                byte(&x["range"]["end"]),
                x["text"].as_str().unwrap().to_string(),
            );
            assert_eq!(apply(&text, vec![e]), apply(&text, json_edits(s)));
        }
    }
    assert!(
        differs,
        "the seed has non-ASCII text before some finding: byte and code-point columns must differ"
    );

    // rdjsonl: the same diagnostics, one per line; a missing file changes
    // nothing but the exit code and stderr.
    let o = run("rdjsonl", &[SEED, MISSING]);
    assert_eq!(o.status.code(), Some(2));
    let lines: Vec<Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines, diags);
    let o = run("rdjson", &[MISSING]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(parse(&o)["diagnostics"].as_array().unwrap().len(), 0);
}

// ---------------------------------------------------------------- GitHub

/// A rule whose message has every character workflow commands escape, and
/// XML's specials.
fn tricky_rules() -> PathBuf {
    let d = tmpdir("tricky-rules");
    std::fs::write(
        d.join("tricky.yaml"),
        r#"pack: t
rules:
  - id: t/tricky
    kind: phrase
    match: [frobnicate]
    suggest: "tweak"
    message: "100% odd: {match}, <b> & \"q\" 'a'\nsecond line\r"
    category: style/word-choice
    severity: warning
    examples: {bad: [We frobnicate it.], good: [We tweak it.]}
    explain: "What it flags: frobnicate. Why: tests. Example: x. Fix (unsafe): tweak."
"#,
    )
    .unwrap();
    d
}

const TRICKY_MESSAGE: &str = "100% odd: frobnicate, <b> & \"q\" 'a'\nsecond line\r";

fn unescape_data(s: &str) -> String {
    s.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_annotations_follow_the_workflow_command_grammar() {
    let re = regex::Regex::new(
        r"^::(error|warning|notice) file=([^,:\r\n]*),line=(\d+),endLine=(\d+)(?:,col=(\d+),endColumn=(\d+))?,title=([^,:\r\n]*)::([^\r\n]*)$",
    )
    .unwrap();
    // No escape other than %25, %0D, %0A, %3A, %2C ever appears.
    let bad_escape = regex::Regex::new(r"%(?:[^023]|0[^AD]|2[^5C]|3[^A])").unwrap();

    let want = json_findings(&[SEED]);
    let o = run("github", &[SEED, MISSING]);
    assert_eq!(o.status.code(), Some(2));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), want.len() + 1);
    for (l, f) in lines.iter().zip(&want) {
        let c = re
            .captures(l)
            .unwrap_or_else(|| panic!("not a workflow command: {l}"));
        let cmd = match f["severity"].as_str().unwrap() {
            "info" => "notice",
            s => s,
        };
        assert_eq!(&c[1], cmd);
        assert_eq!(&c[2], SEED);
        assert_eq!(c[3].parse::<usize>().unwrap(), num(&f["line"]));
        assert_eq!(c[4].parse::<usize>().unwrap(), num(&f["end_line"]));
        if f["line"] == f["end_line"] {
            assert_eq!(c[5].parse::<usize>().unwrap(), num(&f["column"]));
            assert_eq!(c[6].parse::<usize>().unwrap(), num(&f["end_column"]));
        }
        assert_eq!(&c[7], f["rule"].as_str().unwrap());
        assert!(!bad_escape.is_match(&c[8]), "{l}");
        assert!(unescape_data(&c[8]).starts_with(f["message"].as_str().unwrap()));
    }
    let last = lines.last().unwrap();
    assert!(
        last.starts_with(&format!("::error file={MISSING},title=calque::"))
            && last.contains("no such file"),
        "{last}"
    );

    // Escaping: a message with %, :, ',', CR and LF, in a file whose name
    // has them too.
    let rules = tricky_rules();
    let d = tmpdir("gh-escape");
    let name = "a,b:c%d.txt";
    std::fs::write(d.join(name), "We frobnicate it.\n").unwrap();
    let o = calque()
        .current_dir(&d)
        .args(["--no-builtin", "--rules"])
        .arg(&rules)
        .args(["--format", "github", name])
        .output()
        .unwrap();
    let out = stdout(&o);
    let l = out.lines().next().unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    let c = re.captures(l).unwrap_or_else(|| panic!("{l}"));
    assert_eq!(&c[2], "a%2Cb%3Ac%25d.txt");
    assert_eq!(unescape_data(&c[2]), name);
    assert_eq!(&c[1], "warning");
    assert_eq!((&c[5], &c[6]), ("4", "14"));
    assert_eq!(
        &c[8],
        "100%25 odd: frobnicate, <b> & \"q\" 'a'%0Asecond line%0D%0Afix (unsafe): replace with `tweak`"
    );
    assert_eq!(
        unescape_data(&c[8]),
        format!("{TRICKY_MESSAGE}\nfix (unsafe): replace with `tweak`")
    );
}

#[test]
fn github_step_summary_is_appended_when_the_variable_is_set() {
    let d = tmpdir("gh-summary");
    let summary = d.join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let o = calque()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["--format", "github", SEED, MISSING])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let s = std::fs::read_to_string(&summary).unwrap();
    assert!(s.starts_with("earlier step\n## calque\n"), "{s}");
    let want = json_findings(&[SEED]);
    let mut per_rule: HashMap<(String, String), usize> = HashMap::new();
    for f in &want {
        *per_rule
            .entry((
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            ))
            .or_default() += 1;
    }
    // Markdown escapes `_` etc. in cells; rule ids here have none but `/`.
    for ((rule, sev), n) in &per_rule {
        let row = format!("| {rule} | {sev} | {n} |");
        assert!(s.contains(&row), "missing {row}\n{s}");
    }
    let table_rows = s
        .lines()
        .filter(|l| l.starts_with("| ") && l.ends_with(" |"))
        .count();
    // rules header + rows, files header + 1 row
    assert_eq!(table_rows, 1 + per_rule.len() + 1 + 1, "{s}");
    let count = |sev: &str| want.iter().filter(|f| f["severity"] == sev).count();
    let file_row = format!(
        "| fixtures/seed/article.en.txt | {} | {} | {} |",
        count("error"),
        count("warning"),
        count("info")
    );
    assert!(s.contains(&file_row), "{s}");
    assert!(
        s.contains(&format!("- {MISSING}: no such file or directory")),
        "{s}"
    );
    assert!(
        s.contains(&format!("**{} findings** in 1 of 2 files", want.len())),
        "{s}"
    );
    // A second run appends again.
    calque()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["--format", "github", SEED])
        .output()
        .unwrap();
    let s = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(s.matches("## calque").count(), 2);
    // Other formats do not write it.
    calque()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["--format", "json", SEED])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .matches("## calque")
            .count(),
        2
    );
}

// ---------------------------------------------------------------- XML

fn attr<'a>(n: &roxmltree::Node<'a, 'a>, k: &str) -> &'a str {
    n.attribute(k)
        .unwrap_or_else(|| panic!("no attribute {k} on <{}>", n.tag_name().name()))
}

#[test]
fn checkstyle_xml_parses_back_to_the_findings() {
    let want = json_findings(&[SEED]);
    let o = run("checkstyle", &[SEED, MISSING]);
    assert_eq!(o.status.code(), Some(2));
    let xml = stdout(&o);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    let files: Vec<_> = root.children().filter(|n| n.has_tag_name("file")).collect();
    assert_eq!(files.len(), 2);
    assert_eq!(attr(&files[0], "name"), SEED);
    let errors: Vec<_> = files[0]
        .children()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert_eq!(errors.len(), want.len());
    for (e, f) in errors.iter().zip(&want) {
        assert_eq!(attr(e, "line").parse::<usize>().unwrap(), num(&f["line"]));
        assert_eq!(
            attr(e, "column").parse::<usize>().unwrap(),
            num(&f["column"])
        );
        assert_eq!(attr(e, "severity"), f["severity"]);
        assert_eq!(attr(e, "source"), f["rule"]);
        assert_eq!(attr(e, "message"), f["message"]);
    }
    assert_eq!(attr(&files[1], "name"), MISSING);
    let e = files[1]
        .children()
        .find(|n| n.has_tag_name("error"))
        .unwrap();
    assert_eq!(attr(&e, "severity"), "error");
    assert_eq!(attr(&e, "source"), "calque/io");
    assert!(attr(&e, "message").contains("no such file"));

    // XML specials, quotes, CR and LF survive the round trip.
    let rules = tricky_rules();
    let d = tmpdir("cs-escape");
    std::fs::write(d.join("a&b.txt"), "We frobnicate it.\n").unwrap();
    let o = calque()
        .current_dir(&d)
        .args(["--no-builtin", "--rules"])
        .arg(&rules)
        .args(["--format", "checkstyle", "a&b.txt"])
        .output()
        .unwrap();
    let xml = stdout(&o);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let file = doc.descendants().find(|n| n.has_tag_name("file")).unwrap();
    assert_eq!(attr(&file, "name"), "a&b.txt");
    let e = doc.descendants().find(|n| n.has_tag_name("error")).unwrap();
    assert_eq!(attr(&e, "message"), TRICKY_MESSAGE);
    assert_eq!(attr(&e, "column"), "4");
}

#[test]
fn junit_xml_has_a_testcase_per_file() {
    let want = json_findings(&[SEED]);
    let o = run("junit", &[SEED, MISSING]);
    assert_eq!(o.status.code(), Some(2));
    let xml = stdout(&o);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let suite = suites[0];
    assert_eq!(attr(&suite, "tests"), "2");
    assert_eq!(attr(&suite, "failures"), "1");
    assert_eq!(attr(&suite, "errors"), "1");
    let cases: Vec<_> = suite
        .children()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 2);
    assert_eq!(attr(&cases[0], "name"), SEED);
    let failures: Vec<_> = cases[0]
        .children()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 1, "one failure with all findings");
    assert!(attr(&failures[0], "message").starts_with(&format!("{} findings", want.len())));
    let body = failures[0].text().unwrap();
    for f in &want {
        let line = format!(
            "{}:{}:{}: {}[{}] {}",
            SEED,
            f["line"],
            f["column"],
            f["severity"].as_str().unwrap(),
            f["rule"].as_str().unwrap(),
            f["message"].as_str().unwrap()
        );
        assert!(body.contains(&line), "missing {line}");
    }
    assert_eq!(attr(&cases[1], "name"), MISSING);
    let err = cases[1]
        .children()
        .find(|n| n.has_tag_name("error"))
        .unwrap();
    assert!(attr(&err, "message").contains("no such file"));

    // A clean file passes; the tricky message round-trips in the body.
    let rules = tricky_rules();
    let d = tmpdir("junit-escape");
    std::fs::write(d.join("clean.txt"), "We tweak it.\n").unwrap();
    std::fs::write(d.join("bad.txt"), "We frobnicate it.\n").unwrap();
    let o = calque()
        .current_dir(&d)
        .args(["--no-builtin", "--rules"])
        .arg(&rules)
        .args(["--format", "junit", "clean.txt", "bad.txt"])
        .output()
        .unwrap();
    let xml = stdout(&o);
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let cases: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases[0].children().filter(|n| n.is_element()).count(), 0);
    let body = cases[1]
        .children()
        .find(|n| n.has_tag_name("failure"))
        .unwrap()
        .text()
        .unwrap();
    assert!(body.contains(TRICKY_MESSAGE), "{body:?}");
}

// ---------------------------------------------------------------- human

#[test]
fn human_summary_lists_severity_counts_and_top_rules() {
    let want = json_findings(&[SEED]);
    let o = run("human", &[SEED]);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    let count = |sev: &str| want.iter().filter(|f| f["severity"] == sev).count();
    let last = *lines.last().unwrap();
    assert_eq!(
        last,
        format!(
            "1 file checked: {} errors, {} warnings, {} info",
            count("error"),
            count("warning"),
            count("info")
        )
    );
    let mut per_rule: HashMap<&str, usize> = HashMap::new();
    for f in &want {
        *per_rule.entry(f["rule"].as_str().unwrap()).or_default() += 1;
    }
    let top = lines.iter().position(|l| *l == "top rules:").unwrap();
    let shown: Vec<(usize, &str)> = lines[top + 1..]
        .iter()
        .take_while(|l| l.starts_with("  ") && !l.contains('…'))
        .map(|l| {
            let mut it = l.split_whitespace();
            (it.next().unwrap().parse().unwrap(), it.next().unwrap())
        })
        .collect();
    assert_eq!(shown.len(), 5.min(per_rule.len()));
    for (n, rule) in &shown {
        assert_eq!(per_rule[rule], *n, "{rule}");
    }
    assert!(
        shown.windows(2).all(|w| w[0].0 >= w[1].0),
        "sorted by count"
    );
    let max = per_rule.values().max().unwrap();
    assert_eq!(shown[0].0, *max);
    let rest = per_rule.len() - shown.len();
    assert!(out.contains(&format!("… and {rest} more rules")), "{out}");
}

#[test]
fn no_progress_bar_when_stderr_is_piped_or_in_ci() {
    let d = tmpdir("many");
    for i in 0..30 {
        std::fs::write(d.join(format!("f{i:02}.txt")), "Poutine spoke.\n").unwrap();
    }
    for ci in [None, Some("true")] {
        let mut c = calque();
        c.args(["--format", "json"]).arg(&d);
        match ci {
            Some(v) => c.env("CI", v),
            None => c.env_remove("CI"),
        };
        let o = c.output().unwrap();
        assert_eq!(o.status.code(), Some(1));
        assert!(
            o.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(parse(&o)["summary"]["files"], 30);
    }
}
