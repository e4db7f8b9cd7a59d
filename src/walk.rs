//! Turning command-line paths into the list of inputs to check.

use crate::config::Globs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    inputs_filtered(paths, stdin_name, &Filter::default())
}

/// `--glob` (include) and `--exclude` globs, gitignore-like (see
/// `config::Globs`). A walked file is matched by its path relative to the
/// folder named on the command line and by its path as shown; a file named
/// on the command line by its path as given. Standard input is never
/// filtered.
#[derive(Default, Clone)]
pub struct Filter {
    include: Option<Arc<Globs>>,
    exclude: Option<Arc<Globs>>,
}

impl Filter {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Filter, String> {
        let globs = |v: &[String]| -> Result<Option<Arc<Globs>>, String> {
            Ok(if v.is_empty() {
                None
            } else {
                Some(Arc::new(Globs::new(v)?))
            })
        };
        Ok(Filter {
            include: globs(include)?,
            exclude: globs(exclude)?,
        })
    }

    fn excluded(&self, forms: &[&str]) -> bool {
        self.exclude
            .as_ref()
            .is_some_and(|g| forms.iter().any(|f| g.is_match(f)))
    }

    fn keeps(&self, forms: &[&str]) -> bool {
        self.include
            .as_ref()
            .is_none_or(|g| forms.iter().any(|f| g.is_match(f)))
            && !self.excluded(forms)
    }
}

/// A path as a `/`-separated string without `.` components.
fn slash(p: &Path) -> String {
    p.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `inputs`, keeping only the files `filter` lets through.
pub fn inputs_filtered(paths: &[PathBuf], stdin_name: Option<&str>, filter: &Filter) -> Vec<Input> {
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
            let root = p.clone();
            let prune = filter.clone();
            let mut found: Vec<PathBuf> = ignore::WalkBuilder::new(p)
                .sort_by_file_path(|a, b| a.cmp(b))
                .filter_entry(move |e| {
                    // Do not descend into excluded folders.
                    !(e.file_type().is_some_and(|t| t.is_dir())
                        && e.depth() > 0
                        && prune.excluded(&forms(&root, e.path()).each()))
                })
                .build()
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_some_and(|t| t.is_file()) && wanted(e.path()))
                .map(|e| e.into_path())
                .filter(|f| filter.keeps(&forms(p, f).each()))
                .collect();
            found.sort();
            out.extend(found.into_iter().map(Input::File));
        } else if filter.keeps(&[&slash(p)]) {
            out.push(Input::File(p.clone()));
        }
    }
    out
}

/// The two forms of a walked path that globs are matched against.
struct Forms(String, String);

impl Forms {
    fn each(&self) -> [&str; 2] {
        [&self.0, &self.1]
    }
}

fn forms(root: &Path, path: &Path) -> Forms {
    let under = path.strip_prefix(root).map(slash).unwrap_or_default();
    Forms(under, slash(path))
}
