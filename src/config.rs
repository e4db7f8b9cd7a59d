//! `.calque.yaml`: project configuration.
//!
//! A configuration file is found upward from each checked file (the nearest
//! wins, whole: files are not merged), or named with `--config`. It is
//! parsed through `crate::yaml` (unknown keys and bad values are errors
//! located at file:line:column), then applied to each file as a policy:
//! which rules are on, at which severity, the `fail-on` level, and the
//! suppressions. Rule folders (`rule-dirs`) are compiled by the caller once
//! per distinct list of folders; everything else is a cheap filter on the
//! findings, so nothing is recompiled per file.
//!
//! Resolution, for each rule: the most specific entry wins (the longest
//! matching id prefix; a `packs` entry is less specific than any `rules`
//! entry, and the language pair given by `source`/`target` least of all);
//! on equal length, the command line (`--select`) beats an override, which
//! beats the top level, and a later override beats an earlier one. The
//! command line's `--select`/`--ignore` are also a hard filter: a rule they
//! leave out never runs.

use crate::engine::RuleSet;
use crate::finding::{Finding, Severity};
use crate::text::LineIndex;
use crate::yaml;
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Deserializer, de};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// The configuration file name looked for upward from each checked file.
pub const FILE_NAME: &str = ".calque.yaml";
/// The finding reported for a suppression that suppressed nothing.
pub const UNUSED_SUPPRESSION: &str = "calque/unused-suppression";
pub const UNUSED_SUPPRESSION_CATEGORY: &str = "style/suppression";

/// A configuration error, located in its file when possible.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub file: String,
    /// 1-based; 0 when the error is about the whole file.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

// ---------------------------------------------------------------------------
// Paths and globs

/// `path` made absolute (against the current directory) with `.` and `..`
/// resolved lexically (symbolic links are not followed).
pub fn absolute(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `path` relative to `base` (both absolute and normalized), with `/`
/// separators and `..` when `path` is outside `base`.
pub fn relative(path: &Path, base: &Path) -> String {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// How to show `abs` to the user: relative to the current directory when it
/// is inside it, absolute otherwise.
pub fn display_path(abs: &Path) -> String {
    let cwd = absolute(Path::new("."));
    match abs.strip_prefix(&cwd) {
        Ok(r) if !r.as_os_str().is_empty() => relative(abs, &cwd),
        _ => abs.display().to_string(),
    }
}

/// gitignore-like globs matched against a `/`-separated relative path:
/// a pattern without `/` matches a file or folder name at any depth
/// (`*.md`, `drafts`); a pattern with `/` is relative to the base folder
/// (`published/**`, `/notes.txt`); a pattern that matches a folder matches
/// everything under it; `*` does not cross `/`, `**` does.
#[derive(Debug, Clone, Default)]
pub struct Globs {
    set: GlobSet,
    len: usize,
}

fn expand(pattern: &str) -> Result<Vec<String>, String> {
    let t = pattern.trim();
    if t.is_empty() {
        return Err("empty glob".into());
    }
    let anchored = t.starts_with('/');
    let body = t.trim_start_matches('/').trim_end_matches('/');
    let body = body.strip_prefix("./").unwrap_or(body);
    if body.is_empty() {
        return Ok(vec!["**".into()]);
    }
    let base = if anchored || body.contains('/') {
        body.to_string()
    } else {
        format!("**/{body}")
    };
    Ok(vec![format!("{base}/**"), base])
}

fn compile_glob(g: &str, pattern: &str) -> Result<globset::Glob, String> {
    GlobBuilder::new(g)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|e| format!("bad glob `{pattern}`: {}", e.kind()))
}

impl Globs {
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> Result<Globs, String> {
        let mut b = GlobSetBuilder::new();
        for p in patterns {
            let p = p.as_ref();
            for g in expand(p)? {
                b.add(compile_glob(&g, p)?);
            }
        }
        let set = b.build().map_err(|e| e.to_string())?;
        Ok(Globs {
            set,
            len: patterns.len(),
        })
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Does `rel` (a `/`-separated relative path) match?
    pub fn is_match(&self, rel: &str) -> bool {
        self.len > 0 && self.set.is_match(rel)
    }
}

// ---------------------------------------------------------------------------
// The file as written

/// A rule's level in the configuration: a severity or `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        match s.as_str() {
            "off" => Ok(Level::Off),
            _ => Severity::parse(&s).map(Level::On).ok_or_else(|| {
                de::Error::custom(format!(
                    "unknown level `{s}` (expected error, warning, info or off)"
                ))
            }),
        }
    }
}

/// `on`/`off` (or `true`/`false`).
struct Toggle(bool);

impl<'de> Deserialize<'de> for Toggle {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Toggle;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("on or off")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Toggle, E> {
                Ok(Toggle(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Toggle, E> {
                match v {
                    "on" => Ok(Toggle(true)),
                    "off" => Ok(Toggle(false)),
                    _ => Err(E::custom(format!("expected on or off, not `{v}`"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A glob, checked when read so that a bad one is located.
struct GlobPat(String);

impl<'de> Deserialize<'de> for GlobPat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Globs::new(std::slice::from_ref(&s)).map_err(de::Error::custom)?;
        Ok(GlobPat(s))
    }
}

/// An ISO 639-1 (or 639-3) language code: `fr`, `en`.
struct LangCode(String);

impl<'de> Deserialize<'de> for LangCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if (2..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase()) {
            Ok(LangCode(s))
        } else {
            Err(de::Error::custom(format!(
                "`{s}` is not a language code (two lowercase letters, e.g. fr, en)"
            )))
        }
    }
}

fn globs_of(v: &[GlobPat]) -> Globs {
    let pats: Vec<&str> = v.iter().map(|g| g.0.as_str()).collect();
    // Every pattern was compiled when read.
    Globs::new(&pats).unwrap_or_default()
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    source: Option<LangCode>,
    #[serde(default)]
    target: Option<LangCode>,
    #[serde(default)]
    packs: BTreeMap<String, Toggle>,
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    #[serde(default)]
    rule_dirs: Vec<String>,
    #[serde(default)]
    ignore: Vec<GlobPat>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    fail_on: Option<Severity>,
    #[serde(default)]
    suppress: Vec<RawSuppress>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    files: Vec<GlobPat>,
    #[serde(default)]
    packs: BTreeMap<String, Toggle>,
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    #[serde(default)]
    fail_on: Option<Severity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppress {
    #[serde(default)]
    files: Option<Vec<GlobPat>>,
    #[serde(default)]
    rule: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

// ---------------------------------------------------------------------------
// The file as used

struct Override {
    files: Globs,
    packs: Vec<(String, bool)>,
    rules: Vec<(String, Level)>,
    fail_on: Option<Severity>,
}

/// One `suppress` entry.
pub struct Suppress {
    files: Option<Globs>,
    rule: Option<String>,
    text: Option<regex::Regex>,
    /// The entry's bytes in the configuration file (where an unused
    /// suppression is reported).
    pub span: Range<usize>,
    label: String,
}

/// A loaded configuration file.
pub struct Config {
    /// Absolute path of the file.
    pub path: PathBuf,
    /// The path shown to the user.
    pub display: String,
    /// The folder relative paths and globs are resolved against.
    pub dir: PathBuf,
    pub text: String,
    source: Option<String>,
    target: Option<String>,
    packs: Vec<(String, bool)>,
    rules: Vec<(String, Level)>,
    /// Extra rule folders, absolute.
    pub rule_dirs: Vec<PathBuf>,
    ignore: Globs,
    overrides: Vec<Override>,
    fail_on: Option<Severity>,
    pub suppress: Vec<Suppress>,
}

impl Config {
    /// Read and validate a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let abs = absolute(path);
        let display = display_path(&abs);
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: display.clone(),
            line: 0,
            column: 0,
            message: format!("cannot read configuration: {e}"),
        })?;
        Config::parse(&text, abs, display)
    }

    /// Validate configuration `text` read from `path` (absolute).
    pub fn parse(text: &str, path: PathBuf, display: String) -> Result<Config, ConfigError> {
        let err_at = |off: usize, message: String| {
            let (line, column) = LineIndex::new(text).line_col(off);
            ConfigError {
                file: display.clone(),
                line,
                column,
                message,
            }
        };
        let raw: RawConfig = yaml::from_str(text).map_err(|e| ConfigError {
            file: display.clone(),
            line: e.line.unwrap_or(1),
            column: e.column.unwrap_or(1),
            message: e.to_string(),
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        // Where the n-th entry of a top-level list is (or the key itself).
        let item = |key: &str, n: usize| {
            yaml::seq_items(text, key)
                .get(n)
                .copied()
                .or_else(|| yaml::find_key(text, key, 0))
                .unwrap_or(0)
        };
        let mut rule_dirs = Vec::new();
        for (i, d) in raw.rule_dirs.iter().enumerate() {
            let p = absolute(&dir.join(d));
            if !p.exists() {
                return Err(err_at(
                    item("rule-dirs", i),
                    format!("rule folder `{d}` not found (looked for {})", p.display()),
                ));
            }
            rule_dirs.push(p);
        }
        let mut overrides = Vec::new();
        for (i, o) in raw.overrides.into_iter().enumerate() {
            if o.files.is_empty() {
                return Err(err_at(
                    item("overrides", i),
                    "an override needs `files`: at least one glob".into(),
                ));
            }
            overrides.push(Override {
                files: globs_of(&o.files),
                packs: o.packs.into_iter().map(|(k, v)| (k, v.0)).collect(),
                rules: o.rules.into_iter().collect(),
                fail_on: o.fail_on,
            });
        }
        let mut suppress = Vec::new();
        for (i, s) in raw.suppress.into_iter().enumerate() {
            let at = item("suppress", i);
            if s.files.is_none() && s.rule.is_none() && s.text.is_none() {
                return Err(err_at(
                    at,
                    "a suppression needs at least one of `files`, `rule`, `text`".into(),
                ));
            }
            if s.rule.as_deref().is_some_and(|r| r.trim().is_empty())
                || s.text.as_deref().is_some_and(|t| t.trim().is_empty())
                || s.files.as_ref().is_some_and(|f| f.is_empty())
            {
                return Err(err_at(
                    at,
                    "`files`, `rule` and `text` must not be empty".into(),
                ));
            }
            let text_re = match &s.text {
                Some(t) => {
                    // The text as written, any run of spaces matching any run
                    // of white space (line breaks, no-break spaces).
                    let words: Vec<String> = t.split_whitespace().map(regex::escape).collect();
                    Some(
                        regex::Regex::new(&words.join(r"\s+"))
                            .map_err(|e| err_at(at, format!("cannot search for this text: {e}")))?,
                    )
                }
                None => None,
            };
            let mut label = Vec::new();
            if let Some(r) = &s.rule {
                label.push(format!("rule `{r}`"));
            }
            if let Some(t) = &s.text {
                label.push(format!("text {t:?}"));
            }
            if let Some(f) = &s.files {
                let f: Vec<&str> = f.iter().map(|g| g.0.as_str()).collect();
                label.push(format!("files {}", f.join(", ")));
            }
            let end = text[at..].find('\n').map_or(text.len(), |e| at + e);
            suppress.push(Suppress {
                files: s.files.as_deref().map(globs_of),
                rule: s.rule,
                text: text_re,
                span: at..end.max(at),
                label: label.join(", "),
            });
        }
        Ok(Config {
            dir,
            path,
            display,
            text: text.to_string(),
            source: raw.source.map(|l| l.0),
            target: raw.target.map(|l| l.0),
            packs: raw.packs.into_iter().map(|(k, v)| (k, v.0)).collect(),
            rules: raw.rules.into_iter().collect(),
            rule_dirs,
            ignore: globs_of(&raw.ignore),
            overrides,
            fail_on: raw.fail_on,
            suppress,
        })
    }

    fn locate(&self, key: &str, message: String) -> ConfigError {
        let off = yaml::find_key(&self.text, key, 0).unwrap_or(0);
        let (line, column) = LineIndex::new(&self.text).line_col(off);
        ConfigError {
            file: self.display.clone(),
            line,
            column,
            message,
        }
    }

    /// Check the rule ids and pack names against the rules this
    /// configuration runs with (a typo would otherwise do nothing).
    pub fn validate_names(&self, set: &RuleSet) -> Result<(), ConfigError> {
        let known_rule = |p: &str| {
            UNUSED_SUPPRESSION.starts_with(p) || set.rules.iter().any(|r| r.meta.id.starts_with(p))
        };
        let rules = self
            .rules
            .iter()
            .chain(self.overrides.iter().flat_map(|o| o.rules.iter()))
            .map(|(k, _)| k);
        let sup = self.suppress.iter().filter_map(|s| s.rule.as_ref());
        for k in rules.chain(sup) {
            if !known_rule(k) {
                return Err(self.locate(
                    k,
                    format!("no rule id starts with `{k}` (see `calque rules`)"),
                ));
            }
        }
        let packs = self
            .packs
            .iter()
            .chain(self.overrides.iter().flat_map(|o| o.packs.iter()));
        for (k, _) in packs {
            if !set.rules.iter().any(|r| pack_matches(k, &r.meta.pack)) {
                let mut known: Vec<&str> = set.rules.iter().map(|r| r.meta.pack.as_str()).collect();
                known.sort_unstable();
                known.dedup();
                return Err(self.locate(
                    k,
                    format!("unknown pack `{k}` (known: {})", known.join(", ")),
                ));
            }
        }
        Ok(())
    }

    /// Is the file at `rel` (relative to this file's folder) not checked?
    pub fn is_ignored(&self, rel: &str) -> bool {
        self.ignore.is_match(rel)
    }

    /// The overrides that apply to the file at `rel`.
    pub fn overrides_for(&self, rel: &str) -> Vec<usize> {
        (0..self.overrides.len())
            .filter(|&i| self.overrides[i].files.is_match(rel))
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Discovery

/// Where configuration comes from.
pub enum Mode {
    /// The nearest `.calque.yaml` above each file.
    Discover,
    /// One file for every checked file (`--config`).
    Fixed(PathBuf),
    /// None (`--no-config`).
    Off,
}

/// The configuration files of a run, loaded once each.
pub struct Configs {
    mode: Mode,
    pub list: Vec<Config>,
    by_dir: HashMap<PathBuf, Option<usize>>,
}

impl Configs {
    pub fn new(mode: Mode) -> Result<Configs, ConfigError> {
        let mut list = Vec::new();
        if let Mode::Fixed(p) = &mode {
            list.push(Config::load(p)?);
        }
        Ok(Configs {
            mode,
            list,
            by_dir: HashMap::new(),
        })
    }

    /// The configuration for the file at `abs` (absolute, normalized).
    pub fn for_file(&mut self, abs: &Path) -> Result<Option<usize>, ConfigError> {
        match self.mode {
            Mode::Off => return Ok(None),
            Mode::Fixed(_) => return Ok(Some(0)),
            Mode::Discover => {}
        }
        let mut visited = Vec::new();
        let mut found = None;
        let mut dir = abs.parent();
        while let Some(d) = dir {
            if let Some(&c) = self.by_dir.get(d) {
                found = c;
                break;
            }
            visited.push(d.to_path_buf());
            let candidate = d.join(FILE_NAME);
            if candidate.is_file() {
                self.list.push(Config::load(&candidate)?);
                found = Some(self.list.len() - 1);
                break;
            }
            dir = d.parent();
        }
        for d in visited {
            self.by_dir.insert(d, found);
        }
        Ok(found)
    }
}

// ---------------------------------------------------------------------------
// Policy: the configuration applied to one file

/// What the command line says about rules and levels (it beats the file).
#[derive(Default)]
pub struct CliRules {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub fail_on: Option<Severity>,
}

impl CliRules {
    /// The hard filter: does the command line let rule `id` run?
    pub fn allows(&self, id: &str) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| id.starts_with(s.as_str())))
            && !self.ignore.iter().any(|s| id.starts_with(s.as_str()))
    }
}

/// Rules, levels and the fail-on level for one file.
pub struct Policy {
    /// Rule id → its severity, or `None` when the rule is off.
    levels: HashMap<Arc<str>, Option<Severity>>,
    /// The level of `calque/unused-suppression` (None: off).
    pub unused: Option<Severity>,
    pub fail_on: Severity,
}

/// Is `pack` a language-pair pack (`fr-en`) for another pair than the
/// configured one?
fn other_pair(pack: &str, source: Option<&str>, target: Option<&str>) -> bool {
    let top = pack.split('/').next().unwrap_or(pack);
    let Some((s, t)) = top.split_once('-') else {
        return false;
    };
    let code = |x: &str| (2..=3).contains(&x.len()) && x.bytes().all(|b| b.is_ascii_lowercase());
    code(s) && code(t) && (source.is_some_and(|x| x != s) || target.is_some_and(|x| x != t))
}

/// Does the configured pack name `key` cover `pack`? Packs nest by `/`:
/// `fr-en` covers `fr-en/calques`.
fn pack_matches(key: &str, pack: &str) -> bool {
    pack == key
        || pack
            .strip_prefix(key)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Resolve one rule's level. See the module documentation for the order.
fn resolve(
    id: &str,
    pack: &str,
    default: Severity,
    cfg: Option<&Config>,
    overrides: &[usize],
    cli: &CliRules,
) -> Option<Severity> {
    if !cli.allows(id) {
        return None;
    }
    // (specificity, priority) → on?
    let mut on: Option<((usize, usize), bool)> = None;
    let mut sev: Option<((usize, usize), Severity)> = None;
    let mut consider = |key: (usize, usize), level: Option<Level>, toggle: Option<bool>| {
        let state = !matches!((level, toggle), (Some(Level::Off), _) | (None, Some(false)));
        if on.is_none_or(|(k, _)| key >= k) {
            on = Some((key, state));
        }
        if let Some(Level::On(s)) = level
            && sev.is_none_or(|(k, _)| key >= k)
        {
            sev = Some((key, s));
        }
    };
    if let Some(c) = cfg {
        if other_pair(pack, c.source.as_deref(), c.target.as_deref()) {
            consider((0, 0), None, Some(false));
        }
        let layers = std::iter::once((1, &c.packs, &c.rules)).chain(
            overrides
                .iter()
                .map(|&i| (2 + i, &c.overrides[i].packs, &c.overrides[i].rules)),
        );
        for (prio, packs, rules) in layers {
            for (p, t) in packs {
                if pack_matches(p, pack) {
                    consider((0, prio), None, Some(*t));
                }
            }
            for (k, l) in rules {
                if id.starts_with(k.as_str()) {
                    consider((k.len(), prio), Some(*l), None);
                }
            }
        }
    }
    for s in &cli.select {
        if id.starts_with(s.as_str()) {
            consider((s.len(), usize::MAX), None, Some(true));
        }
    }
    match on {
        Some((_, false)) => None,
        _ => Some(sev.map_or(default, |(_, s)| s)),
    }
}

impl Policy {
    /// The policy for a file under `cfg` (if any) with the `overrides`
    /// that match it, for the rules of `set`.
    pub fn new(cfg: Option<&Config>, overrides: &[usize], set: &RuleSet, cli: &CliRules) -> Policy {
        let levels = set
            .rules
            .iter()
            .map(|r| {
                let m = &r.meta;
                (
                    m.id.clone(),
                    resolve(&m.id, &m.pack, m.severity, cfg, overrides, cli),
                )
            })
            .collect();
        let unused = resolve(
            UNUSED_SUPPRESSION,
            "calque",
            Severity::Info,
            cfg,
            overrides,
            cli,
        );
        let fail_on = cli
            .fail_on
            .or_else(|| {
                cfg.and_then(|c| {
                    overrides
                        .iter()
                        .rev()
                        .find_map(|&i| c.overrides[i].fail_on)
                        .or(c.fail_on)
                })
            })
            .unwrap_or(Severity::Warning);
        Policy {
            levels,
            unused,
            fail_on,
        }
    }

    /// Drop the findings of rules that are off; set the configured
    /// severities.
    pub fn apply(&self, findings: &mut Vec<Finding>) {
        findings.retain_mut(|f| match self.levels.get(&f.rule) {
            Some(Some(s)) => {
                f.severity = *s;
                true
            }
            Some(None) => false,
            None => true,
        });
    }

    /// Is some rule whose id starts with `prefix` on?
    fn any_on(&self, prefix: &str) -> bool {
        self.levels
            .iter()
            .any(|(id, l)| l.is_some() && id.starts_with(prefix))
            || (self.unused.is_some() && UNUSED_SUPPRESSION.starts_with(prefix))
    }
}

// ---------------------------------------------------------------------------
// Suppressions

/// Which suppressions of one configuration were used in a run, and which
/// could have been (they met a checked file whose rules they name).
#[derive(Default, Clone)]
pub struct SuppressUse {
    pub used: Vec<bool>,
    pub applicable: Vec<bool>,
}

impl Config {
    /// Remove the findings of the file at `rel` (relative to this file's
    /// folder; `text` holds the lines of its findings) that a suppression
    /// covers. A suppression's `text` is looked for in those lines.
    pub fn suppress_findings(
        &self,
        rel: &str,
        text: &crate::excerpt::Excerpts,
        findings: &mut Vec<Finding>,
        policy: &Policy,
        state: &mut SuppressUse,
    ) {
        let n = self.suppress.len();
        if n == 0 {
            return;
        }
        state.used.resize(n, false);
        state.applicable.resize(n, false);
        // Entries that apply to this file, with the occurrences of their text.
        let mut active: Vec<(usize, Option<Vec<Range<usize>>>)> = Vec::new();
        for (i, s) in self.suppress.iter().enumerate() {
            if s.files.as_ref().is_some_and(|g| !g.is_match(rel)) {
                continue;
            }
            if !state.applicable[i] {
                state.applicable[i] = s.rule.as_deref().is_none_or(|r| policy.any_on(r));
            }
            if findings.is_empty() {
                continue;
            }
            let occ = s.text.as_ref().map(|re| {
                text.segments()
                    .flat_map(|(base, t)| {
                        re.find_iter(t)
                            .map(move |m| m.start() + base..m.end() + base)
                    })
                    .collect()
            });
            active.push((i, occ));
        }
        if active.is_empty() {
            return;
        }
        findings.retain(|f| {
            let mut hit = false;
            for (i, occ) in &active {
                let s = &self.suppress[*i];
                let rule_ok = s.rule.as_deref().is_none_or(|r| f.rule.starts_with(r));
                // The text overlaps the flagged words: it may be those
                // words, part of them, or a passage around them.
                let end = f.span.end.max(f.span.start + 1);
                let text_ok = occ
                    .as_ref()
                    .is_none_or(|o| o.iter().any(|r| r.start < end && f.span.start < r.end));
                if rule_ok && text_ok {
                    state.used[*i] = true;
                    hit = true;
                }
            }
            !hit
        });
    }

    /// Findings for the suppressions that could have applied in this run
    /// but suppressed nothing.
    pub fn unused_suppressions(&self, state: &SuppressUse, severity: Severity) -> Vec<Finding> {
        let rule: Arc<str> = Arc::from(UNUSED_SUPPRESSION);
        let category: Arc<str> = Arc::from(UNUSED_SUPPRESSION_CATEGORY);
        self.suppress
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                state.applicable.get(*i).copied().unwrap_or(false)
                    && !state.used.get(*i).copied().unwrap_or(false)
            })
            .map(|(_, s)| Finding {
                rule: rule.clone(),
                severity,
                category: category.clone(),
                message: format!(
                    "unused suppression: nothing matched it in this run ({}); remove it?",
                    s.label
                ),
                span: s.span.clone(),
                suggestions: vec![],
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------
// `calque init`

/// The starter configuration `calque init` writes. Example lines are `#`
/// directly followed by YAML; prose comments are `# ` and a word.
pub const STARTER: &str = r#"# calque configuration. calque uses the nearest .calque.yaml above each file
# it checks (the nearest file wins, whole); the command line beats it.
# Paths and globs here are relative to this file's folder. Globs are
# gitignore-like: `*.md` matches at any depth, `published/**` (or
# `published/`) everything under published/.
# Example lines start with `#` directly followed by YAML (`#packs:`,
# `#  consistency: off`): delete that `#` to use them.

# The language pair of the translations: packs named SOURCE-TARGET (fr-en)
# run only when they match.
source: fr
target: en

# Exit 1 when a finding at or above this level is reported: error, warning
# or info (the command line's --fail-on beats it).
fail-on: warning

# Rule packs on or off (`calque rules` lists them with their pack).
#packs:
#  consistency: off

# Rules by id or id prefix: a level (error, warning, info) or off. The most
# specific entry wins.
#rules:
#  fr-en/calque/likely-to: off
#  typography/quotes: error

# Extra folders of YAML rules (see "Rules" in calque's README).
#rule-dirs:
#  - house-rules

# Files not checked.
#ignore:
#  - archive/**

# Settings for some files; an override beats the top level, a later one an
# earlier one.
#overrides:
#  - files: [published/**]
#    fail-on: info
#    rules:
#      fr-en/calque: error

# Findings to leave alone (plain text has no comment syntax that stays out
# of the published article, so suppressions live here). Each entry has at
# least one of: files (globs), rule (id or prefix), text (words of the
# flagged text, or a passage around it to pin one occurrence). An entry that
# suppressed nothing in a run is reported as calque/unused-suppression.
#suppress:
#  - files: [published/korea.txt]
#    rule: fr-en/false-friend/pretend
#    text: pretending that the final destination
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn globs(p: &[&str]) -> Globs {
        Globs::new(p).unwrap()
    }

    #[test]
    fn globs_are_gitignore_like() {
        let g = globs(&["*.md"]);
        assert!(g.is_match("a.md") && g.is_match("x/y/a.md"));
        assert!(!g.is_match("a.txt"));
        let g = globs(&["published/**"]);
        assert!(g.is_match("published/a.txt") && g.is_match("published/x/a.txt"));
        assert!(!g.is_match("drafts/published.txt") && !g.is_match("x/published/a.txt"));
        let g = globs(&["drafts"]);
        assert!(g.is_match("drafts/a.txt") && g.is_match("x/drafts/b/c.txt"));
        assert!(!g.is_match("drafts.txt"));
        let g = globs(&["/top.txt", "a/*.txt"]);
        assert!(g.is_match("top.txt") && !g.is_match("x/top.txt"));
        assert!(g.is_match("a/b.txt") && !g.is_match("a/b/c.txt"));
        assert!(Globs::new(&["a[b"]).is_err());
        assert!(Globs::new(&[" "]).is_err());
        assert!(!Globs::default().is_match("a"));
    }

    #[test]
    fn relative_paths() {
        let b = Path::new("/a/b");
        assert_eq!(relative(Path::new("/a/b/c/d.txt"), b), "c/d.txt");
        assert_eq!(relative(Path::new("/a/x.txt"), b), "../x.txt");
        assert_eq!(absolute(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn language_pair_packs() {
        assert!(other_pair("fr-en", Some("de"), Some("en")));
        assert!(other_pair("fr-en", None, Some("es")));
        assert!(!other_pair("fr-en", Some("fr"), None));
        assert!(!other_pair("typography", Some("de"), Some("en")));
        assert!(!other_pair("house-style", Some("de"), Some("en")));
    }

    fn parse(t: &str) -> Result<Config, ConfigError> {
        Config::parse(t, PathBuf::from("/p/.calque.yaml"), ".calque.yaml".into())
    }

    #[test]
    fn bad_values_are_located() {
        let e = parse("rules:\n  a/b: loud\n").err().unwrap();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("unknown level `loud`"), "{e}");
        let e = parse("fail-on: error\nignore: ['a[']\n").err().unwrap();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("bad glob"), "{e}");
        let e = parse("source: French\n").err().unwrap();
        assert!(e.message.contains("not a language code"), "{e}");
        let e = parse("suppress:\n  - rule: a\n  - {}\n").err().unwrap();
        assert_eq!((e.line, e.column), (3, 5), "{e}");
        let e = parse("packs: {x: maybe}\n").err().unwrap();
        assert!(e.message.contains("on or off"), "{e}");
    }

    /// An example line of the starter: `#` directly followed by YAML
    /// (`#packs:`), or by an indented line (`#  consistency: off`).
    fn is_example(after_hash: &str) -> bool {
        !after_hash.is_empty() && (!after_hash.starts_with(' ') || after_hash.starts_with("  "))
    }

    #[test]
    fn starter_examples_parse() {
        // The starter with every example uncommented is valid YAML with
        // known keys (rule folders aside: they must exist).
        let t: String = STARTER
            .lines()
            .filter(|l| !l.contains("rule-dirs") && !l.contains("house-rules"))
            .map(|l| match l.strip_prefix('#') {
                Some(r) if is_example(r) => r,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n");
        let c = parse(&t).unwrap_or_else(|e| panic!("{e}\n{t}"));
        assert_eq!(c.suppress.len(), 1);
        assert_eq!(c.overrides.len(), 1);
        assert!(c.is_ignored("archive/2020/a.txt"));
        assert!(parse(STARTER).is_ok());
    }
}
