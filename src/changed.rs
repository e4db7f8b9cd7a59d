//! `--changed-since REV`: keep the findings on lines changed since a git
//! revision. Shells out to `git` (`git diff --unified=0 REV -- PATH`, run in
//! the file's folder); only files with findings are asked about.

use std::ops::Range;
use std::path::Path;
use std::process::Command;

/// Lines of a file changed since the revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changed {
    /// The file is not tracked by git: every line is new.
    All,
    /// 1-based line ranges (end exclusive) added or modified.
    Lines(Vec<Range<usize>>),
}

impl Changed {
    /// Does the line range `first..=last` touch a changed line?
    pub fn touches(&self, first: usize, last: usize) -> bool {
        match self {
            Changed::All => true,
            Changed::Lines(v) => v.iter().any(|r| r.start <= last && first < r.end),
        }
    }
}

fn git(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir);
    c
}

fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Check that `dir` is in a git work tree where `rev` names a commit.
pub fn validate(rev: &str, dir: &Path) -> Result<(), String> {
    let inside = git(dir)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .map_err(|e| format!("--changed-since: cannot run git: {e}"))?;
    if !inside.status.success() {
        return Err(format!(
            "--changed-since: {} is not in a git repository",
            dir.display()
        ));
    }
    let ok = git(dir)
        .args(["rev-parse", "--verify", "--quiet", "--end-of-options"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .map_err(|e| format!("--changed-since: cannot run git: {e}"))?;
    if !ok.status.success() {
        return Err(format!(
            "--changed-since: `{rev}` is not a revision of the git repository at {}",
            dir.display()
        ));
    }
    Ok(())
}

/// The new-side line ranges of the hunks of a `--unified=0` diff.
pub fn parse_hunks(diff: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for l in diff.lines() {
        let Some(rest) = l.strip_prefix("@@ ") else {
            continue;
        };
        let Some(new) = rest.split(' ').find_map(|p| p.strip_prefix('+')) else {
            continue;
        };
        let (start, len) = match new.split_once(',') {
            Some((s, n)) => (s.parse::<usize>().ok(), n.parse::<usize>().ok()),
            None => (new.parse::<usize>().ok(), Some(1)),
        };
        if let (Some(s), Some(n)) = (start, len)
            && n > 0
        {
            out.push(s..s + n);
        }
    }
    out
}

/// The lines of `path` changed since `rev`.
pub fn changed_lines(rev: &str, path: &Path) -> Result<Changed, String> {
    let dir = dir_of(path);
    let name = path.file_name().unwrap_or(path.as_os_str());
    let out = git(dir)
        .args([
            "diff",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--unified=0",
            rev,
            "--",
        ])
        .arg(name)
        .output()
        .map_err(|e| format!("--changed-since: cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "--changed-since: git diff failed for {}: {}",
            path.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let hunks = parse_hunks(&String::from_utf8_lossy(&out.stdout));
    if hunks.is_empty() {
        // Unchanged, or not tracked at all (then every line is new).
        let tracked = git(dir)
            .args(["ls-files", "--error-unmatch", "--"])
            .arg(name)
            .output()
            .map_err(|e| format!("--changed-since: cannot run git: {e}"))?;
        if !tracked.status.success() {
            return Ok(Changed::All);
        }
    }
    Ok(Changed::Lines(hunks))
}

/// Keep the findings of `text` that touch a changed line.
pub fn retain(
    findings: &mut Vec<crate::finding::Finding>,
    li: &crate::excerpt::Excerpts,
    changed: &Changed,
) {
    if matches!(changed, Changed::All) {
        return;
    }
    findings.retain(|f| {
        let (first, _) = li.line_col(f.span.start);
        let (mut last, col) = li.line_col(f.span.end);
        // A span ending at the start of a line does not touch that line.
        if col == 1 && last > first {
            last -= 1;
        }
        changed.touches(first, last)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks() {
        let d = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,0 +2,3 @@\n+a\n@@ -10 +13 @@ fn\n-x\n+y\n@@ -20,2 +22,0 @@\n";
        assert_eq!(parse_hunks(d), vec![2..5, 13..14]);
        let c = Changed::Lines(parse_hunks(d));
        assert!(c.touches(4, 4) && c.touches(1, 2) && c.touches(13, 13));
        assert!(!c.touches(5, 12) && !c.touches(22, 22));
        assert!(Changed::All.touches(1, 1));
    }
}
