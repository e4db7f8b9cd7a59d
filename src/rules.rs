//! Rule files: the YAML schema, loading (built-in packs and user folders),
//! validation with file:line:column errors.

use crate::finding::{Applicability, Severity};
use crate::yaml;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One rule file: `pack` and a list of rules.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    #[serde(default)]
    pub pack: Option<String>,
    /// Defaults for every rule of the file.
    #[serde(default)]
    pub defaults: Defaults,
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Defaults {
    pub severity: Option<String>,
    pub category: Option<String>,
    pub applicability: Option<String>,
}

/// Suggestions: one replacement for every match, a list of alternatives, or a
/// map from matched phrase to replacement.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Suggest {
    One(String),
    Many(Vec<String>),
    Map(BTreeMap<String, SuggestValue>),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum SuggestValue {
    One(String),
    Many(Vec<String>),
}

impl SuggestValue {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            SuggestValue::One(s) => vec![s.clone()],
            SuggestValue::Many(v) => v.clone(),
        }
    }
}

/// A condition on a named capture of a `pattern` rule.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Where {
    /// The capture must be in this word list (a list name or inline words).
    #[serde(rename = "in", default)]
    pub in_list: Option<WordList>,
    /// The capture must not be in this word list.
    #[serde(default)]
    pub not_in: Option<WordList>,
    /// The capture must not end with one of these suffixes.
    #[serde(default)]
    pub not_suffix: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum WordList {
    Named(String),
    Inline(Vec<String>),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub bad: Vec<String>,
    #[serde(default)]
    pub good: Vec<String>,
}

/// A rule as written in YAML. Which fields apply depends on `kind`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub id: String,
    pub kind: String,
    pub message: String,
    #[serde(default)]
    pub severity: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub applicability: Option<String>,
    #[serde(default)]
    pub explain: Option<String>,
    #[serde(default)]
    pub examples: Examples,

    // phrase / substitution
    #[serde(default, rename = "match")]
    pub phrases: Vec<String>,
    #[serde(default)]
    pub map: BTreeMap<String, String>,
    /// `insensitive` (ASCII case folded, the default for phrase) or
    /// `sensitive` (the default for substitution).
    #[serde(default)]
    pub case: Option<String>,
    #[serde(default)]
    pub suggest: Option<Suggest>,
    /// With several suggestions: the index (from 0) of the one `calque fix`
    /// may apply; without it, a rule with several suggestions is never
    /// applied automatically.
    #[serde(default)]
    pub preferred: Option<usize>,

    // pattern / boilerplate
    #[serde(default)]
    pub regex: Option<String>,
    /// The named capture that is the finding's span (default: whole match).
    #[serde(default)]
    pub span: Option<String>,
    /// Literals one of which every match contains (prefilter); extracted
    /// from the regex when absent.
    #[serde(default)]
    pub requires: Vec<String>,
    #[serde(default, rename = "where")]
    pub where_: BTreeMap<String, Where>,
    /// Per-capture value maps used by suggestion templates (`{verb}`).
    #[serde(default)]
    pub maps: BTreeMap<String, BTreeMap<String, String>>,
    /// Offer a suggestion only when every mapped capture it uses has its
    /// value in its map (no suggestion for unknown words).
    #[serde(default)]
    pub strict_maps: bool,

    // context conditions (phrase, substitution, pattern)
    /// A regex: if it matches the sentence holding the match, no finding.
    #[serde(default)]
    pub unless: Option<String>,
    /// Words that, earlier in the same sentence, suppress the finding.
    #[serde(default)]
    pub unless_before: Vec<String>,
    /// Words that, later in the same sentence, suppress the finding.
    #[serde(default)]
    pub unless_after: Vec<String>,

    // structural kinds
    /// quotes: which check (reversed, mismatched, guillemets, spacing,
    /// unclosed, attribution, foreign).
    #[serde(default)]
    pub check: Option<String>,
    /// language: target language (ISO 639-3, default eng).
    #[serde(default)]
    pub target: Option<String>,
    #[serde(default)]
    pub min_chars: Option<usize>,
    #[serde(default)]
    pub min_confidence: Option<f64>,
    #[serde(default)]
    pub min_words: Option<usize>,
    /// consistency: minimum similarity (Jaro-Winkler) of two spellings.
    #[serde(default)]
    pub min_similarity: Option<f64>,
    #[serde(default)]
    pub min_len: Option<usize>,
    /// consistency: suffix pairs that are different words, not variants.
    #[serde(default)]
    pub allow_suffixes: Vec<String>,

    // scan kinds (repetition, sentence-case, brackets, script, foreign-words)
    /// repetition: the longest repeated phrase looked for, in words.
    #[serde(default)]
    pub max_words: Option<usize>,
    /// repetition, sentence-case, foreign-words: words never flagged.
    #[serde(default)]
    pub ignore: Vec<String>,
    /// script: Unicode scripts that are foreign in the text (Han, Cyrillic, …).
    #[serde(default)]
    pub scripts: Vec<String>,
    /// foreign-words: the word list of foreign words (`rules/lists/NAME.txt`).
    #[serde(default)]
    pub list: Option<String>,
    /// foreign-words: a word list of English words never flagged (accented
    /// loanwords such as café).
    #[serde(default)]
    pub allow: Option<String>,
    /// foreign-words: words that are foreign only when no capitalized word
    /// follows them (name particles: de, von, van …).
    #[serde(default)]
    pub particles: Vec<String>,
    /// foreign-words: also flag lower-case words with letters English never
    /// uses (ł, ř, ő …) or accented words missing from the `ignore` list.
    #[serde(default)]
    pub diacritics: Option<bool>,
    /// foreign-words: words inside a quotation this short (in words) are a
    /// deliberate citation and are not flagged.
    #[serde(default)]
    pub max_quote_words: Option<usize>,
    /// sentence-case: also check the first word of every line/paragraph.
    #[serde(default)]
    pub line_starts: Option<bool>,
    /// brackets: the pairs checked, as two-character strings ("()", "[]").
    #[serde(default)]
    pub pairs: Vec<String>,
}

/// Everything about a rule except how it matches.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    pub id: Arc<str>,
    pub kind: String,
    pub pack: String,
    pub message: String,
    pub severity: Severity,
    pub category: Arc<str>,
    pub applicability: Applicability,
    /// The suggestion `calque fix` may apply when there are several.
    pub preferred: Option<usize>,
    docs: Docs,
    /// Where the rule was loaded from (`builtin:rules/...` for embedded).
    pub source: String,
}

/// A rule's explanation and examples: its own, or, for a built-in rule,
/// those build.rs set apart (see [`builtin_docs`]).
#[derive(Debug, Clone)]
enum Docs {
    Own(Box<Doc>),
    Builtin,
}

/// What `calque explain` prints about a rule, and what `test-rules` runs.
#[derive(Debug, Clone, Default, Deserialize)]
struct Doc {
    #[serde(default)]
    explain: String,
    #[serde(default)]
    examples: Examples,
}

/// The explanations and examples of the built-in rules, by rule id, parsed
/// on first use: a check that reports no rule help never parses them.
fn builtin_docs() -> &'static HashMap<String, Doc> {
    static DOCS: std::sync::OnceLock<HashMap<String, Doc>> = std::sync::OnceLock::new();
    DOCS.get_or_init(|| {
        let mut docs: HashMap<String, Doc> = serde_json::from_str(BUILTIN_DOCS).unwrap_or_default();
        for d in docs.values_mut() {
            d.explain = trimmed(std::mem::take(&mut d.explain));
        }
        docs
    })
}

impl RuleMeta {
    fn doc(&self) -> &Doc {
        static NONE: Doc = Doc {
            explain: String::new(),
            examples: Examples {
                bad: Vec::new(),
                good: Vec::new(),
            },
        };
        match &self.docs {
            Docs::Own(d) => d,
            Docs::Builtin => builtin_docs().get(&*self.id).unwrap_or(&NONE),
        }
    }
    /// The rule's explanation (`explain:`), trimmed.
    pub fn explain(&self) -> &str {
        &self.doc().explain
    }
    /// The rule's examples: text it must flag, and text it must not.
    pub fn examples(&self) -> &Examples {
        &self.doc().examples
    }
}

/// A rule file's text and where it came from. A built-in file's text is
/// borrowed from the binary: copying the 714 KB of built-in rules cost a
/// check of one article 170 page faults.
pub struct RuleSource {
    pub name: String,
    pub text: std::borrow::Cow<'static, str>,
}

/// A rule error located in its file.
#[derive(Debug, Clone)]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

include!(concat!(env!("OUT_DIR"), "/builtin_rules.rs"));

/// How the name of a built-in rule file starts.
pub(crate) const BUILTIN_PREFIX: &str = "builtin:";

/// The rule files compiled into the binary.
pub fn builtin_sources() -> Vec<RuleSource> {
    BUILTIN_RULES
        .iter()
        .map(|(n, t)| RuleSource {
            name: format!("{BUILTIN_PREFIX}rules/{n}"),
            text: std::borrow::Cow::Borrowed(*t),
        })
        .collect()
}

/// Word lists compiled into the binary (`rules/lists/NAME.txt`).
/// The build-time index of a large built-in list, given its text.
pub fn builtin_index(text: &'static str) -> Option<crate::kinds::wordindex::Index> {
    of_list(BUILTIN_INDEXES, text).and_then(crate::kinds::wordindex::Index::from_static)
}

/// The keys (`wordindex::short_key`, 8 bytes little-endian each) of the
/// `en-common` words that the large built-in list `text` does not hold,
/// made by build.rs.
pub fn builtin_common_keys(text: &'static str) -> Option<&'static [u8]> {
    of_list(BUILTIN_COMMON_KEYS, text)
}

/// The entry of `table` (by list name) for the built-in list whose text is
/// `text` (the same bytes in the binary, not equal text).
fn of_list(table: &[(&str, &'static [u8])], text: &'static str) -> Option<&'static [u8]> {
    table
        .iter()
        .find(|(n, _)| builtin_list(n).is_some_and(|t| std::ptr::eq(t, text)))
        .map(|(_, b)| *b)
}

pub fn builtin_list(name: &str) -> Option<&'static str> {
    BUILTIN_LISTS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
}

/// Read every `*.yaml`/`*.yml` file under `dir`, sorted by path.
pub fn dir_sources(dir: &Path) -> Result<Vec<RuleSource>, RuleError> {
    let mut files = Vec::new();
    collect_yaml(dir, &mut files).map_err(|e| RuleError {
        file: dir.display().to_string(),
        line: 0,
        column: 0,
        message: format!("cannot read rule folder: {e}"),
    })?;
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|e| RuleError {
            file: f.display().to_string(),
            line: 0,
            column: 0,
            message: format!("cannot read rule file: {e}"),
        })?;
        out.push(RuleSource {
            name: f.display().to_string(),
            text: text.into(),
        });
    }
    Ok(out)
}

fn collect_yaml(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let meta = std::fs::metadata(dir)?;
    if meta.is_file() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            collect_yaml(&p, out)?;
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")) {
            out.push(p);
        }
    }
    Ok(())
}

pub const KINDS: &[&str] = &[
    "phrase",
    "substitution",
    "pattern",
    "boilerplate",
    "quotes",
    "language",
    "consistency",
    "repetition",
    "sentence-case",
    "brackets",
    "script",
    "foreign-words",
];

/// Parse rule files into specs with their metadata. Checks the YAML syntax,
/// unknown keys, kinds, severities, categories and duplicate ids.
pub fn parse_sources(
    sources: &[RuleSource],
) -> Result<Vec<(RuleMeta, RuleSpec, usize)>, RuleError> {
    let mut out = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for (si, src) in sources.iter().enumerate() {
        let file: RuleFile = yaml::from_str(&src.text).map_err(|e| RuleError {
            file: src.name.clone(),
            line: e.line.unwrap_or(1),
            column: e.column.unwrap_or(1),
            message: e.to_string(),
        })?;
        let pack = file.pack.clone().unwrap_or_else(|| {
            Path::new(src.name.trim_start_matches(BUILTIN_PREFIX))
                .parent()
                .and_then(|p| p.file_name())
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        for mut spec in file.rules {
            let err = |key: &str, message: String| {
                let (line, column) = yaml::locate_key(&src.text, Some(&spec.id), key);
                RuleError {
                    file: src.name.clone(),
                    line,
                    column,
                    message,
                }
            };
            if spec.id.trim().is_empty() || spec.id.contains(char::is_whitespace) {
                return Err(err(
                    "id",
                    format!("rule id {:?} must be non-empty with no spaces", spec.id),
                ));
            }
            if let Some(prev) = seen.get(&spec.id) {
                let nth = if *prev == src.name { 1 } else { 0 };
                let (line, column) = yaml::locate_key_nth(&src.text, Some(&spec.id), "id", nth);
                return Err(RuleError {
                    file: src.name.clone(),
                    line,
                    column,
                    message: format!("duplicate rule id `{}` (first defined in {prev})", spec.id),
                });
            }
            seen.insert(spec.id.clone(), src.name.clone());
            if !KINDS.contains(&spec.kind.as_str()) {
                return Err(err(
                    "kind",
                    format!(
                        "unknown kind `{}` (expected one of: {})",
                        spec.kind,
                        KINDS.join(", ")
                    ),
                ));
            }
            let sev = spec
                .severity
                .as_deref()
                .or(file.defaults.severity.as_deref())
                .unwrap_or("warning");
            let severity = Severity::parse(sev).ok_or_else(|| {
                err(
                    "severity",
                    format!("unknown severity `{sev}` (error, warning or info)"),
                )
            })?;
            let category = spec
                .category
                .as_deref()
                .or(file.defaults.category.as_deref())
                .ok_or_else(|| err("id", format!("rule `{}` has no category", spec.id)))?;
            if !category.contains('/') {
                return Err(err(
                    "category",
                    format!("category `{category}` should look like `area/name`"),
                ));
            }
            let app = spec
                .applicability
                .as_deref()
                .or(file.defaults.applicability.as_deref())
                .unwrap_or("unsafe");
            let applicability = match app {
                "safe" => Applicability::Safe,
                "unsafe" => Applicability::Unsafe,
                other => {
                    return Err(err(
                        "applicability",
                        format!("unknown applicability `{other}` (safe or unsafe)"),
                    ));
                }
            };
            if let Some(p) = spec.preferred {
                check_preferred(&spec, p).map_err(|m| err("preferred", m))?;
            }
            let meta = RuleMeta {
                id: Arc::from(spec.id.as_str()),
                kind: spec.kind.clone(),
                pack: pack.clone(),
                message: spec.message.clone(),
                severity,
                category: Arc::from(category),
                applicability,
                preferred: spec.preferred,
                docs: own_docs(&mut spec, &src.name),
                source: src.name.clone(),
            };
            out.push((meta, spec, si));
        }
    }
    Ok(out)
}

/// A rule's explanation and examples, moved out of its spec. A built-in
/// rule that has none had them set apart by build.rs.
fn own_docs(spec: &mut RuleSpec, source: &str) -> Docs {
    let examples = std::mem::take(&mut spec.examples);
    let explain = spec.explain.take();
    if explain.is_none()
        && examples.bad.is_empty()
        && examples.good.is_empty()
        && source.starts_with(BUILTIN_PREFIX)
    {
        return Docs::Builtin;
    }
    Docs::Own(Box::new(Doc {
        explain: trimmed(explain.unwrap_or_default()),
        examples,
    }))
}

/// `s` without its leading and trailing whitespace, reusing its buffer
/// when there is none (as in every built-in rule).
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_string()
    }
}

/// `preferred` must name one of the rule's suggestions.
fn check_preferred(spec: &RuleSpec, p: usize) -> Result<(), String> {
    let n = match &spec.suggest {
        None if spec.kind == "substitution" => 1,
        None => 0,
        Some(Suggest::One(_)) => 1,
        Some(Suggest::Many(v)) => v.len(),
        Some(Suggest::Map(m)) => m.values().map(|v| v.to_vec().len()).max().unwrap_or(0),
    };
    if n == 0 {
        return Err("`preferred` needs a `suggest` list to choose from".into());
    }
    if p >= n {
        return Err(format!(
            "`preferred: {p}` is out of range: the rule has {n} suggestion(s), counted from 0"
        ));
    }
    if spec.strict_maps {
        return Err("`preferred` cannot be combined with `strict_maps` (which drops suggestions and would shift the index)".into());
    }
    Ok(())
}

#[cfg(test)]
mod docs_tests {
    use super::*;

    fn parse(name: &str, text: &str) -> Vec<RuleMeta> {
        let src = RuleSource {
            name: name.into(),
            text: text.to_string().into(),
        };
        parse_sources(&[src])
            .unwrap()
            .into_iter()
            .map(|(m, _, _)| m)
            .collect()
    }

    /// Built-in rules find their explanation and examples in the table
    /// build.rs set apart; a user rule keeps its own, or has none, even
    /// under a built-in rule's id.
    #[test]
    fn explanations_and_examples_come_from_the_rule_or_the_builtin_table() {
        let id = "fr-en/calque/elle-pays-she";
        let builtin = parse_sources(&builtin_sources()).unwrap();
        let m = &builtin.iter().find(|(m, _, _)| &*m.id == id).unwrap().0;
        assert!(matches!(m.docs, Docs::Builtin));
        assert!(m.explain().len() > 80 && !m.examples().bad.is_empty());
        assert_eq!(m.explain(), m.explain().trim());
        let rule = |extra: &str| {
            format!(
                "rules:\n  - id: {id}\n    kind: phrase\n    match: [x]\n    message: m\n    category: a/b\n{extra}"
            )
        };
        let own = parse(
            "house.yaml",
            &rule("    explain: '  Own words.  '\n    examples: {bad: [x], good: [y]}\n"),
        );
        assert_eq!(own[0].explain(), "Own words.");
        assert_eq!(own[0].examples().good, ["y"]);
        let none = parse("house.yaml", &rule(""));
        assert_eq!(none[0].explain(), "");
        assert!(none[0].examples().bad.is_empty());
        // a built-in file embedded as written (YAML) keeps its own docs
        let yaml = parse("builtin:rules/x.yaml", &rule("    explain: Kept.\n"));
        assert_eq!(yaml[0].explain(), "Kept.");
    }
}
