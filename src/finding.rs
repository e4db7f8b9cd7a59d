//! What a check reports: a located finding with optional suggestions.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// Whether a suggestion may be applied without a human looking at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Mechanical and meaning-preserving in every context the rule fires in.
    Safe,
    /// Needs a human eye (false friends, calques, ...).
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// One replacement of a byte range of the original file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Edit {
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// A proposed fix. `replacement` replaces the finding's span; `edits` is the
/// same change expressed as the minimal edits to the original bytes, applied
/// together or not at all (a quote pair, a leaked line with its blank line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub replacement: String,
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
    /// The rule's `preferred` suggestion: the one `calque fix` applies when
    /// a finding has several.
    pub preferred: bool,
}

/// A located finding. `span` is a byte range of the original file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: std::sync::Arc<str>,
    pub severity: Severity,
    pub category: std::sync::Arc<str>,
    pub message: String,
    pub span: Range<usize>,
    pub suggestions: Vec<Suggestion>,
}

impl Finding {
    /// Sort key: position first, then rule id, so output is deterministic.
    pub fn sort_key(&self) -> (usize, usize, &str) {
        (self.span.start, self.span.end, &self.rule)
    }

    /// Move the span and every edit `by` bytes on: a finding of a piece of
    /// a document, placed in the whole.
    pub fn shift(&mut self, by: usize) {
        self.span = self.span.start + by..self.span.end + by;
        for e in self.suggestions.iter_mut().flat_map(|s| s.edits.iter_mut()) {
            e.start += by;
            e.end += by;
        }
    }
}
