//! The command line: argument parsing (clap) and the subcommands. `main.rs`
//! only calls `run` and exits with its code.

use crate::engine::RuleSet;
use crate::finding::Severity;
use crate::report::Report;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Exit codes (documented in README.md).
pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "calque",
    version,
    about = "Find the defects machine translation leaves in English news, and propose fixes."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check files, directories or stdin (the default command).
    Check(CheckArgs),
    /// List the rules.
    Rules(RulesArgs),
    /// Explain one rule: what it flags, why, an example, the fix.
    Explain {
        /// Rule id, e.g. fr-en/false-friend/pretend
        id: String,
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Apply suggested fixes: safe ones, or all with --unsafe.
    Fix(FixArgs),
    /// Run every rule's examples (bad must fire, good must not).
    TestRules {
        /// A folder of rule files to test (default: the built-in packs).
        dir: Option<PathBuf>,
    },
    /// Write a commented starter .calque.yaml in the current directory.
    Init {
        /// Overwrite an existing .calque.yaml.
        #[arg(long)]
        force: bool,
    },
    /// Baselines: record today's findings so that `check --baseline` reports
    /// only new ones.
    Baseline {
        #[command(subcommand)]
        action: BaselineAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum BaselineAction {
    /// Record the findings of PATHS (checked as `calque check` would) in FILE.
    Write {
        /// The baseline file to write (JSON).
        file: PathBuf,
        #[command(flatten)]
        check: CheckArgs,
    },
}

#[derive(clap::Args, Debug, Clone)]
pub struct RuleArgs {
    /// Add rules from a folder of YAML files (repeatable).
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in packs.
    #[arg(long)]
    pub no_builtin: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    /// One JSON finding per line.
    Jsonl,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// Reviewdog Diagnostic Format, one object.
    Rdjson,
    /// Reviewdog Diagnostic Format, one diagnostic per line.
    Rdjsonl,
    /// GitHub Actions annotations (and $GITHUB_STEP_SUMMARY).
    Github,
    /// JUnit XML.
    Junit,
    /// Checkstyle XML.
    Checkstyle,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    Info,
}

impl Level {
    pub fn severity(self) -> Severity {
        match self {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
            Level::Info => Severity::Info,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Files or directories to check; `-` or nothing reads stdin.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Exit 1 when a finding at or above this level is reported [default:
    /// the configuration's fail-on, else warning].
    #[arg(long, value_enum)]
    pub fail_on: Option<Level>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Only run rules whose id starts with one of these (repeatable).
    #[arg(long = "select", value_name = "ID")]
    pub select: Vec<String>,
    /// Do not run rules whose id starts with one of these (repeatable).
    #[arg(long = "ignore", value_name = "ID")]
    pub ignore: Vec<String>,
    /// Colour: auto (terminal and no NO_COLOR), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Worker threads (default: all cores).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print to stderr the time per phase, per rule kind and the slowest
    /// rules, with their runs and findings (to find an expensive custom
    /// rule).
    #[arg(long)]
    pub stats: bool,
    /// Name (and format, by extension) of the text read from stdin.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Largest file accepted, in bytes.
    #[arg(long, default_value_t = 1 << 30)]
    pub max_file_size: u64,
    /// Only check files matching this glob (repeatable; gitignore-like).
    #[arg(long = "glob", value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Do not check files matching this glob (repeatable).
    #[arg(long = "exclude", value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Use this configuration file for every file (not the nearest .calque.yaml).
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Do not read any .calque.yaml.
    #[arg(long)]
    pub no_config: bool,
    /// Exit 1 only when more than N findings are at or above the fail-on level.
    #[arg(long, value_name = "N")]
    pub max_findings: Option<usize>,
    /// Report and fail on new findings only: those not recorded in this
    /// baseline (see `calque baseline write`).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Only report findings on lines changed since this git revision.
    #[arg(long, value_name = "REV")]
    pub changed_since: Option<String>,
}

/// `calque fix` (see src/fix.rs and README "Fixing").
#[derive(clap::Args, Debug)]
pub struct FixArgs {
    /// Files or directories to fix; `-` or nothing reads stdin and writes
    /// the fixed text to stdout.
    pub paths: Vec<PathBuf>,
    /// Also apply unsafe fixes (they change wording: review the result).
    #[arg(long = "unsafe")]
    pub unsafe_fixes: bool,
    /// Only fix findings of rules whose id starts with this (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    pub rule: Vec<String>,
    /// Only fix findings in this category or under it, e.g. fluency (repeatable).
    #[arg(long = "category", value_name = "CAT")]
    pub category: Vec<String>,
    /// Print a unified diff of the fixes and write nothing (exit 1 if any).
    #[arg(long)]
    pub diff: bool,
    /// Write nothing; exit 1 if anything would change (for CI).
    #[arg(long)]
    pub check: bool,
    /// Exit 1 when a finding at or above this level remains after fixing.
    #[arg(long, value_enum, default_value_t = Level::Warning)]
    pub fail_on: Level,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Name (and format, by extension) of the text read from stdin.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Largest file accepted, in bytes.
    #[arg(long, default_value_t = 1 << 30)]
    pub max_file_size: u64,
    /// Use this configuration file for every file (default: the nearest
    /// .calque.yaml above each file): rules it turns off are not fixed, and
    /// its suppressions hold.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Output as a table, Markdown (as in README.md), JSON, one line per
    /// pack, or the phrase list.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RulesFormat {
    Table,
    Markdown,
    Json,
    /// One Markdown line per pack (README.md embeds it).
    Packs,
    /// Every phrase and substitution entry of the enabled rules (the
    /// literals the engine's automaton looks for), one per line, without
    /// duplicates: a word list for `rg -F -i -f` or `grep -F -i -f`.
    Phrases,
}

const SUBCOMMANDS: &[&str] = &[
    "check",
    "fix",
    "rules",
    "explain",
    "test-rules",
    "init",
    "baseline",
    "help",
];

/// Parse `args` (with the program name first), inserting `check` when no
/// subcommand is named: `calque file.txt` is `calque check file.txt`.
pub fn parse(args: Vec<std::ffi::OsString>) -> Result<Cli, clap::Error> {
    let mut args = args;
    let first = args.get(1).and_then(|a| a.to_str()).unwrap_or("");
    let is_global = matches!(first, "-h" | "--help" | "-V" | "--version");
    if !SUBCOMMANDS.contains(&first) && !is_global {
        args.insert(1.min(args.len()), "check".into());
    }
    Cli::try_parse_from(args)
}

/// Run the command line; returns the exit code.
pub fn run(args: Vec<std::ffi::OsString>) -> i32 {
    let cli = match parse(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_ERROR } else { EXIT_OK };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(a) => check(a),
        Command::Rules(a) => list_rules(a),
        Command::Explain { id, rules } => explain(&id, &rules),
        Command::Fix(a) => crate::fix::command(&a),
        Command::TestRules { dir } => test_rules(dir),
        Command::Init { force } => crate::run::init(force),
        Command::Baseline {
            action: BaselineAction::Write { file, check },
        } => crate::run::baseline_write(&file, &check),
    }
}

fn load_rules(a: &RuleArgs) -> Result<RuleSet, i32> {
    RuleSet::load(&a.rules, !a.no_builtin).map_err(|e| {
        eprintln!("error: invalid rule: {e}");
        EXIT_ERROR
    })
}

fn use_color(c: ColorChoice) -> bool {
    match c {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn check(a: CheckArgs) -> i32 {
    let wall = std::time::Instant::now();
    if a.stats {
        crate::stats::enable();
    }
    // Configuration, rule sets, walking, --changed-since, --baseline: run.rs.
    let run = match crate::run::check(&a, true) {
        Ok(r) => r,
        Err(c) => return c,
    };
    if a.stats {
        eprint!(
            "{}",
            crate::stats::render(&crate::stats::total(), wall.elapsed())
        );
    }
    let report = Report {
        files: run.files,
        checked: run.checked,
    };
    if a.format == OutputFormat::Github {
        write_step_summary(&report);
    }
    let set = &run.set;
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    // JSON and JSON Lines are written as they are produced.
    let streamed = match a.format {
        OutputFormat::Json => Some(crate::report::json::write(&report, &mut stdout)),
        OutputFormat::Jsonl => Some(crate::report::jsonl::write(&report, &mut stdout)),
        _ => None,
    };
    let mut out = match a.format {
        OutputFormat::Json | OutputFormat::Jsonl => String::new(),
        OutputFormat::Sarif => crate::report::sarif::render(&report, set),
        OutputFormat::Rdjson => crate::report::rdjson::render(&report, set),
        OutputFormat::Rdjsonl => crate::report::rdjson::render_lines(&report, set),
        OutputFormat::Github => crate::report::github::render(&report),
        OutputFormat::Junit => crate::report::junit::render(&report),
        OutputFormat::Checkstyle => crate::report::checkstyle::render(&report),
        OutputFormat::Human => crate::report::human::render(
            &report,
            &crate::report::human::Style {
                color: use_color(a.color),
            },
        ),
    };
    if let Some(n) = run.baselined {
        if a.format == OutputFormat::Human {
            crate::run::summary_with_baselined(&mut out, n);
        } else {
            eprintln!(
                "calque: {n} baselined finding{} not reported",
                if n == 1 { "" } else { "s" }
            );
        }
    }
    if streamed.is_some_and(|r| r.is_err())
        || stdout
            .write_all(out.as_bytes())
            .and_then(|_| stdout.flush())
            .is_err()
    {
        return EXIT_ERROR;
    }
    if a.format != OutputFormat::Human {
        for f in &report.files {
            if let Some(e) = &f.error {
                eprintln!("error: {}: {e}", f.path);
            }
        }
    }
    let code = crate::run::exit_code(&report, &run.fail_on, a.max_findings);
    // The process exits right after: freeing every finding, kept line and
    // compiled rule one by one would only touch memory the exit returns
    // whole (cachegrind: ~5% of the last-level misses of a 2 MB run).
    std::mem::forget(report);
    std::mem::forget(run.set);
    code
}

/// Files above which a progress bar is shown (on a terminal, outside CI).
const PROGRESS_MIN_FILES: usize = 20;

/// A progress bar on stderr for long runs: only when stderr is a terminal
/// and `CI` is unset, so logs and pipes never get one.
pub(crate) fn progress_bar(n: usize) -> Option<indicatif::ProgressBar> {
    let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
    if n <= PROGRESS_MIN_FILES || ci || !std::io::stderr().is_terminal() {
        return None;
    }
    let b = indicatif::ProgressBar::with_draw_target(
        Some(n as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    if let Ok(st) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed}")
    {
        b.set_style(st);
    }
    Some(b)
}

/// With `--format github`, append the Markdown summary to the file named by
/// `$GITHUB_STEP_SUMMARY` (annotations are capped per step; the summary is
/// not). A failure to write it is a warning, not a failed run.
fn write_step_summary(report: &Report) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let text = crate::report::github::step_summary(report);
    let r = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(text.as_bytes()));
    if let Err(e) = r {
        eprintln!(
            "warning: cannot write GITHUB_STEP_SUMMARY ({}): {e}",
            std::path::Path::new(&path).display()
        );
    }
}

pub fn exit_code(report: &Report, fail_on: Severity) -> i32 {
    if report.file_errors() > 0 {
        EXIT_ERROR
    } else if report.counts().at_or_above(fail_on) > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn fix_label(r: &crate::engine::Rule) -> &'static str {
    r.meta.applicability.as_str()
}

fn list_rules(a: RulesArgs) -> i32 {
    let set = match load_rules(&a.rules) {
        Ok(s) => s,
        Err(c) => return c,
    };
    match a.format {
        RulesFormat::Json => {
            let v: Vec<serde_json::Value> = set
                .rules
                .iter()
                .map(|r| {
                    let mut v = serde_json::json!({
                        "id": &*r.meta.id, "kind": r.meta.kind, "severity": r.meta.severity.as_str(),
                        "category": &*r.meta.category, "fix": fix_label(r), "pack": r.meta.pack,
                    });
                    if let Some(m) = crate::metrics::builtin().get(&*r.meta.id) {
                        v["measured"] = serde_json::json!({
                            "clean_per_1000_words": m.clean_per_1000_words,
                            "mqm_findings": m.mqm_findings, "mqm_precision": m.mqm_precision,
                            "fren_mt_per_1000_words": m.fren_mt_per_1000_words,
                            "fren_ref_per_1000_words": m.fren_ref_per_1000_words,
                            "fren_ratio": m.fren_ratio, "demetr": m.demetr,
                        });
                    }
                    v
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
        }
        RulesFormat::Markdown => print!("{}", rules_markdown(&set)),
        RulesFormat::Packs => print!("{}", packs_markdown(&set)),
        RulesFormat::Phrases => {
            let mut out = String::new();
            for p in phrase_list(&set) {
                out.push_str(p);
                out.push('\n');
            }
            print!("{out}");
        }
        RulesFormat::Table => {
            let w = set.rules.iter().map(|r| r.meta.id.len()).max().unwrap_or(2);
            println!(
                "{:w$}  {:13}  {:8}  {:28}  {:6}  {:>9}  {:>8}",
                "ID", "KIND", "SEVERITY", "CATEGORY", "FIX", "PRECISION", "FA/1000W"
            );
            for r in &set.rules {
                let m = crate::metrics::builtin().get(&*r.meta.id);
                let prec = match m {
                    Some(m) if m.mqm_findings > 0 => m
                        .mqm_precision
                        .map(|p| format!("{p:.2} ({})", m.mqm_findings))
                        .unwrap_or_default(),
                    Some(_) => "–".to_string(),
                    None => String::new(),
                };
                let fa = m
                    .and_then(|m| m.clean_per_1000_words)
                    .map(|x| format!("{x:.3}"))
                    .unwrap_or_default();
                println!(
                    "{:w$}  {:13}  {:8}  {:28}  {:6}  {:>9}  {:>8}",
                    r.meta.id,
                    r.meta.kind,
                    r.meta.severity.as_str(),
                    r.meta.category,
                    fix_label(r),
                    prec,
                    fa
                );
            }
            println!(
                "{} rules. PRECISION: share of findings on annotated MT errors (mqm set, with the \
                 number of findings); FA/1000W: findings per 1000 words of human news (false \
                 alarms); see docs/metrics.md",
                set.rules.len()
            );
        }
    }
    EXIT_OK
}

/// The phrase and substitution entries of the enabled rules, in rule order,
/// each once (exact duplicates dropped). They are the strings the engine
/// puts in its Aho-Corasick automaton for lexical rules (ASCII case folded
/// there; a case-sensitive rule checks the case after a match).
pub fn phrase_list(set: &RuleSet) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for r in set.rules.iter().filter(|r| r.enabled) {
        if let crate::engine::Imp::Lexical(l) = &r.imp {
            for (p, _) in &l.entries {
                if seen.insert(p.as_str()) {
                    out.push(p.as_str());
                }
            }
        }
    }
    out
}

/// The built-in rule table as Markdown (README.md embeds it; a test keeps
/// them in sync).
pub fn rules_markdown(set: &RuleSet) -> String {
    let mut s = String::from("| id | kind | severity | category | fix |\n|---|---|---|---|---|\n");
    for r in &set.rules {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.meta.id,
            r.meta.kind,
            r.meta.severity.as_str(),
            r.meta.category,
            fix_label(r)
        ));
    }
    s
}

/// One Markdown table line per pack: how many rules, at which severity,
/// with how many safe fixes (README.md embeds it; docs/rules.md has every
/// rule, from `rules_markdown`).
pub fn packs_markdown(set: &RuleSet) -> String {
    use crate::finding::{Applicability, Severity};
    let mut packs: Vec<(&str, [usize; 5])> = Vec::new();
    for r in &set.rules {
        let i = match packs.iter().position(|(p, _)| *p == r.meta.pack) {
            Some(i) => i,
            None => {
                packs.push((&r.meta.pack, [0; 5]));
                packs.len() - 1
            }
        };
        let c = &mut packs[i].1;
        c[0] += 1;
        c[match r.meta.severity {
            Severity::Error => 1,
            Severity::Warning => 2,
            Severity::Info => 3,
        }] += 1;
        if r.meta.applicability == Applicability::Safe {
            c[4] += 1;
        }
    }
    let mut s = String::from(
        "| pack | rules | error | warning | info | safe fix |\n|---|---|---|---|---|---|\n",
    );
    let mut total = [0; 5];
    for (p, c) in &packs {
        s.push_str(&format!(
            "| `{p}` | {} | {} | {} | {} | {} |\n",
            c[0], c[1], c[2], c[3], c[4]
        ));
        for (t, x) in total.iter_mut().zip(c) {
            *t += x;
        }
    }
    s.push_str(&format!(
        "| all | {} | {} | {} | {} | {} |\n",
        total[0], total[1], total[2], total[3], total[4]
    ));
    s
}

fn explain(id: &str, a: &RuleArgs) -> i32 {
    if let Some(text) = crate::suppress::explain(id) {
        print!("{text}");
        return EXIT_OK;
    }
    let set = match load_rules(a) {
        Ok(s) => s,
        Err(c) => return c,
    };
    let Some(r) = set.get(id) else {
        eprintln!("error: no rule `{id}` (see `calque rules`)");
        let near: Vec<&str> = set
            .rules
            .iter()
            .map(|r| &*r.meta.id)
            .filter(|x| strsim::jaro_winkler(x, id) > 0.85)
            .take(5)
            .collect();
        if !near.is_empty() {
            eprintln!("  did you mean: {}", near.join(", "));
        }
        return EXIT_ERROR;
    };
    let m = &r.meta;
    println!("{}", m.id);
    println!(
        "  kind: {}   severity: {}   category: {}   fix: {}",
        m.kind,
        m.severity.as_str(),
        m.category,
        m.applicability.as_str()
    );
    println!("  defined in: {}", m.source);
    if let Some(x) = crate::metrics::builtin().get(&*m.id) {
        let f = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.2}"));
        println!(
            "  measured (docs/metrics.md): precision {} on {} MT findings, {} false alarms per \
             1000 words of human news, MT/reference ratio {}{}",
            f(x.mqm_precision),
            x.mqm_findings,
            f(x.clean_per_1000_words),
            f(x.fren_ratio),
            if x.demetr.is_empty() {
                String::new()
            } else {
                format!(", recall {}", x.demetr)
            }
        );
    }
    println!();
    println!("{}\n", m.explain());
    let ex = m.examples();
    if !ex.bad.is_empty() {
        println!("Flags:");
        for e in &ex.bad {
            println!("  ✗ {e}");
        }
    }
    if !ex.good.is_empty() {
        println!("Does not flag:");
        for e in &ex.good {
            println!("  ✓ {e}");
        }
    }
    EXIT_OK
}

/// A failed rule example.
pub struct ExampleFailure {
    pub rule: String,
    pub message: String,
}

/// Run every rule's examples; return the failures.
pub fn run_examples(set: &RuleSet) -> Vec<ExampleFailure> {
    let mut fails = Vec::new();
    for r in &set.rules {
        let id = &*r.meta.id;
        let examples = r.meta.examples();
        if examples.bad.is_empty() || examples.good.is_empty() {
            fails.push(ExampleFailure {
                rule: id.into(),
                message: "needs at least one `bad` and one `good` example".into(),
            });
        }
        if let crate::engine::Imp::Pattern(p) = &r.imp
            && let Err(e) = p.check_regex()
        {
            fails.push(ExampleFailure {
                rule: id.into(),
                message: e,
            });
        }
        if r.meta.explain().trim().is_empty() {
            fails.push(ExampleFailure {
                rule: id.into(),
                message: "has no `explain` paragraph".into(),
            });
        }
        for (bad, list) in [(true, &examples.bad), (false, &examples.good)] {
            for ex in list {
                let found = set.check(ex, ex, &[]);
                let fired = found.iter().any(|f| &*f.rule == id);
                if fired != bad {
                    fails.push(ExampleFailure {
                        rule: id.into(),
                        message: if bad {
                            format!("does not flag its bad example: {ex:?}")
                        } else {
                            format!("flags its good example: {ex:?}")
                        },
                    });
                }
            }
        }
    }
    fails
}

fn test_rules(dir: Option<PathBuf>) -> i32 {
    let set = match &dir {
        Some(d) => RuleSet::load(std::slice::from_ref(d), false),
        None => RuleSet::load(&[], true),
    };
    let set = match set {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: invalid rule: {e}");
            return EXIT_ERROR;
        }
    };
    let fails = run_examples(&set);
    for f in &fails {
        println!("FAIL {}: {}", f.rule, f.message);
    }
    let n_ex: usize = set
        .rules
        .iter()
        .map(|r| {
            let ex = r.meta.examples();
            ex.bad.len() + ex.good.len()
        })
        .sum();
    println!(
        "{} rules, {} examples: {} failed",
        set.rules.len(),
        n_ex,
        fails.len()
    );
    if fails.is_empty() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}
