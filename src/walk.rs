//! Turning command-line paths into the list of inputs to check.

use std::path::{Path, PathBuf};

/// One input: a file, standard input, or a path that does not exist.
#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    Stdin { name: String },
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin { name } => name.clone(),
        }
    }
}

/// Extensions checked when walking a directory.
pub const DEFAULT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "html", "htm"];

fn wanted(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| DEFAULT_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Expand paths: a directory is walked (respecting .gitignore and .ignore,
/// skipping hidden files), sorted for a deterministic order; a file named
/// on the command line is checked whatever its extension; `-` or no path at
/// all reads stdin.
pub fn inputs(paths: &[PathBuf], stdin_name: Option<&str>) -> Vec<Input> {
    let stdin = || Input::Stdin {
        name: stdin_name.unwrap_or("-").to_string(),
    };
    if paths.is_empty() {
        return vec![stdin()];
    }
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(stdin());
        } else if p.is_dir() {
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(p)
                .sort_by_file_path(|a, b| a.cmp(b))
                .build()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && wanted(e.path()))
                .map(|e| e.into_path())
                .collect();
            found.sort();
            out.extend(found.into_iter().map(Input::File));
        } else {
            out.push(Input::File(p.clone()));
        }
    }
    out
}
