//! The one place that touches the YAML library.
//!
//! `serde_yaml` is archived upstream; everything that parses YAML (rule
//! packs, configuration) goes through these two functions so that a swap to
//! another YAML crate touches this file only.

use serde::de::DeserializeOwned;

/// A YAML error with a 1-based line and column when the parser knows them.
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // serde_yaml appends " at line L column C" to its messages; we report
        // the position separately, so strip it from the text.
        let msg = match self.message.find(" at line ") {
            Some(i) => &self.message[..i],
            None => &self.message,
        };
        f.write_str(msg)
    }
}

/// Deserialize `text` into `T`, keeping the error position. JSON (a subset
/// of YAML; the built-in rules are embedded as JSON by build.rs) takes the
/// faster JSON parser; on a JSON error the YAML parser reports it.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    if text.starts_with('{')
        && let Ok(v) = serde_json::from_str(text)
    {
        return Ok(v);
    }
    serde_yaml::from_str(text).map_err(|e| {
        let loc = e.location();
        YamlError {
            message: e.to_string(),
            line: loc.as_ref().map(|l| l.line()),
            column: loc.as_ref().map(|l| l.column()),
        }
    })
}

/// Find the 1-based line and column of `key:` in `text`, searching from the
/// line that holds `id: <id>` (or the whole text when `id` is `None`).
///
/// The YAML parser does not keep positions of values once deserialized, so
/// errors found later (a bad regex, an unknown kind) are located by looking
/// for the key in the rule's own block.
pub fn locate_key(text: &str, id: Option<&str>, key: &str) -> (usize, usize) {
    locate_key_nth(text, id, key, 0)
}

/// `locate_key` in the `nth` (0-based) rule with that id (for duplicates).
pub fn locate_key_nth(text: &str, id: Option<&str>, key: &str, nth: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    let mut seen = 0;
    if let Some(id) = id {
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            if let Some(rest) = t.strip_prefix("id:") {
                let v = rest.trim().trim_matches(|c| c == '"' || c == '\'');
                if v == id {
                    seen += 1;
                    if seen <= nth {
                        continue;
                    }
                    start = i;
                    if key == "id" {
                        return (i + 1, l.find("id:").unwrap_or(0) + 1);
                    }
                    break;
                }
            }
        }
    }
    let pat = format!("{key}:");
    for (i, l) in lines.iter().enumerate().skip(start) {
        let t = l.trim_start().trim_start_matches("- ");
        if t.starts_with(&pat) {
            let col = l.find(&pat).unwrap_or(0);
            return (i + 1, l[..col].chars().count() + 1);
        }
        // Stop at the next rule.
        if i > start && id.is_some() && l.trim_start().starts_with("- id:") {
            break;
        }
    }
    (start + 1, 1)
}
