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
    /// Run every rule's examples (bad must fire, good must not).
    TestRules {
        /// A folder of rule files to test (default: the built-in packs).
        dir: Option<PathBuf>,
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
    /// Exit 1 when a finding at or above this level is reported.
    #[arg(long, value_enum, default_value_t = Level::Warning)]
    pub fail_on: Level,
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
    /// Name (and format, by extension) of the text read from stdin.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Largest file accepted, in bytes.
    #[arg(long, default_value_t = 1 << 30)]
    pub max_file_size: u64,
}

#[derive(clap::Args, Debug)]
pub struct RulesArgs {
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Output as a Markdown table (as in README.md) or JSON.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum RulesFormat {
    Table,
    Markdown,
    Json,
}

const SUBCOMMANDS: &[&str] = &["check", "rules", "explain", "test-rules", "help"];

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
        Command::TestRules { dir } => test_rules(dir),
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
    let mut set = match load_rules(&a.rules) {
        Ok(s) => s,
        Err(c) => return c,
    };
    if !a.select.is_empty() || !a.ignore.is_empty() {
        let (sel, ign) = (a.select.clone(), a.ignore.clone());
        set.retain(|m| {
            (sel.is_empty() || sel.iter().any(|s| m.id.starts_with(s.as_str())))
                && !ign.iter().any(|s| m.id.starts_with(s.as_str()))
        });
    }
    let inputs = crate::walk::inputs(&a.paths, a.stdin_filename.as_deref());
    let threads = a
        .threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    let files = crate::check_inputs(&set, inputs, threads, a.max_file_size);
    let report = Report { files };
    let out = match a.format {
        OutputFormat::Json => crate::report::json::render(&report),
        OutputFormat::Human => crate::report::human::render(
            &report,
            &crate::report::human::Style {
                color: use_color(a.color),
            },
        ),
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
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
    exit_code(&report, a.fail_on.severity())
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

fn explain(id: &str, a: &RuleArgs) -> i32 {
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
    println!("{}\n", m.explain);
    if !m.examples.bad.is_empty() {
        println!("Flags:");
        for e in &m.examples.bad {
            println!("  ✗ {e}");
        }
    }
    if !m.examples.good.is_empty() {
        println!("Does not flag:");
        for e in &m.examples.good {
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
        if r.meta.examples.bad.is_empty() || r.meta.examples.good.is_empty() {
            fails.push(ExampleFailure {
                rule: id.into(),
                message: "needs at least one `bad` and one `good` example".into(),
            });
        }
        if r.meta.explain.trim().is_empty() {
            fails.push(ExampleFailure {
                rule: id.into(),
                message: "has no `explain` paragraph".into(),
            });
        }
        for (bad, list) in [(true, &r.meta.examples.bad), (false, &r.meta.examples.good)] {
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
        .map(|r| r.meta.examples.bad.len() + r.meta.examples.good.len())
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
