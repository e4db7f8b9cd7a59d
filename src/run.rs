//! A configured check run: inputs (walked, `--glob`/`--exclude`), the
//! `.calque.yaml` of each file, one compiled rule set per distinct list of
//! rule folders, the per-file policy (levels, `off`, packs, suppressions),
//! then `--changed-since` and `--baseline`; and the gate (`--fail-on` per
//! file, `--max-findings`). Also `calque init` and `calque baseline write`.

use crate::baseline::{self, Baseline};
use crate::changed;
use crate::cli::{CheckArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK};
use crate::config::{self, CliRules, Config, Configs, Mode, Policy, SuppressUse};
use crate::engine::RuleSet;
use crate::finding::Severity;
use crate::report::{FileReport, Report};
use crate::walk::{self, Filter, Input};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// What a run produced, before rendering.
pub struct Outcome {
    pub files: Vec<FileReport>,
    /// How many of `files` are checked inputs (see `Report::checked`).
    pub checked: usize,
    /// The fail-on level of each file (the command line, else its
    /// configuration).
    pub fail_on: Vec<Severity>,
    /// The file on disk behind each report (`None`: standard input).
    pub real: Vec<Option<PathBuf>>,
    /// How many findings a `--baseline` removed.
    pub baselined: Option<usize>,
    /// The rule set of files with no configuration (or the first one):
    /// rule metadata for formats that list rules (SARIF).
    pub set: RuleSet,
}

fn fail(msg: impl std::fmt::Display) -> i32 {
    eprintln!("error: {msg}");
    EXIT_ERROR
}

fn config_error(e: config::ConfigError) -> i32 {
    fail(format!("invalid configuration: {e}"))
}

struct Item {
    input: Input,
    cfg: Option<usize>,
    /// The path relative to the configuration's folder.
    rel: String,
    real: Option<PathBuf>,
}

/// Compiled rule sets, one per distinct list of configured rule folders.
struct Sets<'a> {
    a: &'a CheckArgs,
    cli: &'a CliRules,
    list: Vec<RuleSet>,
    by_dirs: HashMap<Vec<PathBuf>, usize>,
}

impl Sets<'_> {
    fn get(&mut self, dirs: &[PathBuf]) -> Result<usize, i32> {
        if let Some(&i) = self.by_dirs.get(dirs) {
            return Ok(i);
        }
        let mut set = RuleSet::load_configured(&self.a.rules.rules, dirs, !self.a.rules.no_builtin)
            .map_err(|e| fail(format!("invalid rule: {e}")))?;
        if !self.cli.select.is_empty() || !self.cli.ignore.is_empty() {
            set.retain(|m| self.cli.allows(&m.id));
        }
        set.unused_suppressions = self.cli.allows(crate::suppress::UNUSED_ID);
        self.list.push(set);
        self.by_dirs.insert(dirs.to_vec(), self.list.len() - 1);
        Ok(self.list.len() - 1)
    }
}

/// Run `calque check` as configured; `Err` is an exit code (the error was
/// printed). `use_baseline`: apply `--baseline` (not when writing one).
pub fn check(a: &CheckArgs, use_baseline: bool) -> Result<Outcome, i32> {
    let filter =
        Filter::new(&a.glob, &a.exclude).map_err(|e| fail(format!("--glob/--exclude: {e}")))?;
    let inputs = walk::inputs_filtered(&a.paths, a.stdin_filename.as_deref(), &filter);
    if a.changed_since.is_some() && inputs.iter().any(|i| matches!(i, Input::Stdin { .. })) {
        return Err(fail(
            "--changed-since needs files to compare with git, not standard input",
        ));
    }
    let mode = if a.no_config {
        Mode::Off
    } else if let Some(p) = &a.config {
        Mode::Fixed(p.clone())
    } else {
        Mode::Discover
    };
    let mut configs = Configs::new(mode).map_err(config_error)?;
    let mut items = Vec::new();
    for input in inputs {
        let (abs, real) = match &input {
            Input::File(p) => (config::absolute(p), Some(p.clone())),
            Input::Stdin { name } => (config::absolute(Path::new(name)), None),
        };
        let cfg = configs.for_file(&abs).map_err(config_error)?;
        let rel = match cfg {
            Some(c) => config::relative(&abs, &configs.list[c].dir),
            None => String::new(),
        };
        if cfg.is_some_and(|c| configs.list[c].is_ignored(&rel)) {
            continue;
        }
        items.push(Item {
            input,
            cfg,
            rel,
            real,
        });
    }

    let threads = a
        .threads
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        })
        .max(1);
    crate::engine::set_compile_threads(threads);
    let cli = CliRules {
        select: a.select.clone(),
        ignore: a.ignore.clone(),
        fail_on: a.fail_on.map(|l| l.severity()),
    };
    let mut sets = Sets {
        a,
        cli: &cli,
        list: Vec::new(),
        by_dirs: HashMap::new(),
    };
    // Every configuration is compiled and its rule and pack names checked,
    // even when all its files are ignored.
    let mut set_of_cfg = Vec::with_capacity(configs.list.len());
    for c in &configs.list {
        let s = sets.get(&c.rule_dirs)?;
        c.validate_names(&sets.list[s]).map_err(config_error)?;
        set_of_cfg.push(s);
    }
    let base = if items.iter().any(|i| i.cfg.is_none()) || sets.list.is_empty() {
        Some(sets.get(&[])?)
    } else {
        None
    };
    let set_of = |it: &Item| match it.cfg {
        Some(c) => set_of_cfg[c],
        None => base.unwrap_or(0),
    };

    // Check, one group of files per rule set; keep the input order.
    // Fewer files than threads: the spare threads check pieces of long
    // files (see `RuleSet::check_blocks_timed`).
    crate::engine::set_document_threads((threads / items.len().max(1)).max(1));
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, it) in items.iter().enumerate() {
        groups.entry(set_of(it)).or_default().push(i);
    }
    let mut slots: Vec<Option<FileReport>> = (0..items.len()).map(|_| None).collect();
    let bar = crate::cli::progress_bar(items.len());
    let tick = || bar.iter().for_each(|b| b.inc(1));
    for (s, idx) in &groups {
        let inputs = idx.iter().map(|&i| items[i].input.clone()).collect();
        let reports = crate::check_inputs_with_progress(
            &sets.list[*s],
            inputs,
            threads,
            a.max_file_size,
            &tick,
        );
        for (&i, r) in idx.iter().zip(reports) {
            slots[i] = Some(r);
        }
    }
    bar.iter().for_each(|b| b.finish_and_clear());

    // The configuration of each file, as a policy on its findings.
    let mut policies: HashMap<(Option<usize>, Vec<usize>, usize), Policy> = HashMap::new();
    let mut uses: Vec<SuppressUse> = vec![SuppressUse::default(); configs.list.len()];
    let mut files = Vec::with_capacity(items.len());
    let mut fail_on = Vec::with_capacity(items.len());
    let mut real = Vec::with_capacity(items.len());
    for (it, slot) in items.iter().zip(slots) {
        let Some(mut report) = slot else { continue };
        let cfg: Option<&Config> = it.cfg.map(|c| &configs.list[c]);
        let overrides = cfg.map(|c| c.overrides_for(&it.rel)).unwrap_or_default();
        let s = set_of(it);
        let policy = policies
            .entry((it.cfg, overrides.clone(), s))
            .or_insert_with(|| Policy::new(cfg, &overrides, &sets.list[s], &cli));
        if report.error.is_none() {
            policy.apply(&mut report.findings);
            if let (Some(c), Some(ci)) = (cfg, it.cfg) {
                c.suppress_findings(
                    &it.rel,
                    &report.text,
                    &mut report.findings,
                    policy,
                    &mut uses[ci],
                );
            }
        }
        fail_on.push(policy.fail_on);
        files.push(report);
        real.push(it.real.clone());
    }
    let checked = files.len();
    // Suppressions that suppressed nothing, reported in their file.
    for (ci, c) in configs.list.iter().enumerate() {
        let policy = Policy::new(Some(c), &[], &sets.list[set_of_cfg[ci]], &cli);
        let Some(sev) = policy.unused else { continue };
        let findings = c.unused_suppressions(&uses[ci], sev);
        if findings.is_empty() {
            continue;
        }
        files.push(FileReport {
            path: c.display.clone(),
            text: crate::excerpt::Excerpts::whole(c.text.clone()),
            findings,
            error: None,
        });
        fail_on.push(policy.fail_on);
        real.push(Some(c.path.clone()));
    }

    if let Some(rev) = &a.changed_since {
        let mut dirs: BTreeSet<PathBuf> = files
            .iter()
            .zip(&real)
            .filter(|(f, _)| !f.findings.is_empty())
            .filter_map(|(_, r)| r.as_deref().map(dir_of))
            .collect();
        if dirs.is_empty() {
            dirs.insert(
                real.iter()
                    .flatten()
                    .next()
                    .map_or_else(|| config::absolute(Path::new(".")), |p| dir_of(p)),
            );
        }
        for d in &dirs {
            changed::validate(rev, d).map_err(fail)?;
        }
        for (f, r) in files.iter_mut().zip(&real) {
            if let (false, Some(p)) = (f.findings.is_empty(), r) {
                let ch = changed::changed_lines(rev, p).map_err(fail)?;
                changed::retain(&mut f.findings, &f.text, &ch);
            }
        }
    }

    let mut baselined = None;
    if use_baseline && let Some(b) = &a.baseline {
        let mut base = Baseline::read(b).map_err(fail)?;
        let keys = baseline_keys(&files, &real, b);
        baselined = Some(base.filter(&mut files, &keys));
    }
    let set_index = base.unwrap_or(0);
    let set = sets.list.swap_remove(set_index);
    Ok(Outcome {
        files,
        checked,
        fail_on,
        real,
        baselined,
        set,
    })
}

fn dir_of(p: &Path) -> PathBuf {
    config::absolute(p)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"))
}

fn baseline_keys(files: &[FileReport], real: &[Option<PathBuf>], baseline: &Path) -> Vec<String> {
    let base_dir = dir_of(baseline);
    files
        .iter()
        .zip(real)
        .map(|(f, r)| baseline::key_path(&f.path, r.as_deref(), &base_dir))
        .collect()
}

/// The findings that count against the gate: at or above each file's
/// fail-on level.
pub fn gated(report: &Report, fail_on: &[Severity]) -> usize {
    report
        .files
        .iter()
        .zip(fail_on)
        .map(|(f, &s)| f.findings.iter().filter(|x| x.severity >= s).count())
        .sum()
}

/// 2 when a file could not be read; 1 when more than `max_findings`
/// (default 0) findings are at or above their file's fail-on level; else 0.
pub fn exit_code(report: &Report, fail_on: &[Severity], max_findings: Option<usize>) -> i32 {
    if report.file_errors() > 0 {
        EXIT_ERROR
    } else if gated(report, fail_on) > max_findings.unwrap_or(0) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Add "; N baselined" to the summary line (the last line) of human output.
pub fn summary_with_baselined(out: &mut String, n: usize) {
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    out.push_str(&format!("; {n} baselined\n"));
}

/// `calque baseline write FILE [PATHS…]`.
pub fn baseline_write(file: &Path, a: &CheckArgs) -> i32 {
    if a.baseline.is_some() {
        return fail("`baseline write` records every finding; --baseline does not apply");
    }
    let out = match check(a, false) {
        Ok(o) => o,
        Err(code) => return code,
    };
    for f in &out.files {
        if let Some(e) = &f.error {
            eprintln!("error: {}: {e}", f.path);
        }
    }
    let keys = baseline_keys(&out.files, &out.real, file);
    let entries = baseline::entries(&out.files, &keys);
    let total: usize = entries.iter().map(|e| e.count).sum();
    if let Err(e) = std::fs::write(file, baseline::render(&entries)) {
        return fail(format!("{}: cannot write baseline: {e}", file.display()));
    }
    eprintln!(
        "calque: recorded {total} finding{} in {}",
        if total == 1 { "" } else { "s" },
        file.display()
    );
    if out.files.iter().any(|f| f.error.is_some()) {
        EXIT_ERROR
    } else {
        EXIT_OK
    }
}

/// `calque init`: write the starter `.calque.yaml` here.
pub fn init(force: bool) -> i32 {
    let p = Path::new(config::FILE_NAME);
    if p.exists() && !force {
        return fail(format!(
            "{} already exists (use --force to overwrite it)",
            config::FILE_NAME
        ));
    }
    match std::fs::write(p, config::STARTER) {
        Ok(()) => {
            println!("wrote {}", config::FILE_NAME);
            EXIT_OK
        }
        Err(e) => fail(format!("cannot write {}: {e}", config::FILE_NAME)),
    }
}
