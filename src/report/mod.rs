//! Output formats. Every format reads the same `Report`.

pub mod checkstyle;
pub mod common;
pub mod github;
pub mod human;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod rdjson;
pub mod sarif;

use crate::finding::{Finding, Severity};

/// One checked input and what was found in it (or why it could not be read).
pub struct FileReport {
    /// The path as given or walked (`-` or `--stdin-filename` for stdin).
    pub path: String,
    /// The lines its findings read (see `excerpt`).
    pub text: crate::excerpt::Excerpts,
    pub findings: Vec<Finding>,
    pub error: Option<String>,
}

/// Everything a run produced, in a deterministic order.
pub struct Report {
    pub files: Vec<FileReport>,
    /// How many of `files`, from the first, are checked inputs; the rest
    /// report findings on configuration files (a suppression that
    /// suppressed nothing) and are not counted as checked.
    pub checked: usize,
}

#[derive(Default, Debug, Clone, Copy)]
pub struct Counts {
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Counts {
    pub fn add(&mut self, s: Severity) {
        match s {
            Severity::Error => self.error += 1,
            Severity::Warning => self.warning += 1,
            Severity::Info => self.info += 1,
        }
    }
    pub fn total(&self) -> usize {
        self.error + self.warning + self.info
    }
    pub fn at_or_above(&self, s: Severity) -> usize {
        match s {
            Severity::Error => self.error,
            Severity::Warning => self.error + self.warning,
            Severity::Info => self.total(),
        }
    }
}

impl Report {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for f in &self.files {
            for x in &f.findings {
                c.add(x.severity);
            }
        }
        c
    }
    pub fn file_errors(&self) -> usize {
        self.files.iter().filter(|f| f.error.is_some()).count()
    }
}
