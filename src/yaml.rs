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

/// Byte offsets of the items of the block sequence under the top-level key
/// `key:` (each offset is the first character after the item's `- `).
/// Empty when the key is absent or its sequence is written in flow style.
///
/// Like `locate_key`, this works on the text: the parser does not keep the
/// positions of values, and configuration findings (an unused suppression)
/// and errors (a missing rule folder) point at one entry of a list.
pub fn seq_items(text: &str, key: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    let mut off = 0;
    for l in text.split_inclusive('\n') {
        lines.push((off, l.trim_end_matches(['\n', '\r'])));
        off += l.len();
    }
    let Some(k) = lines
        .iter()
        .position(|(_, l)| top_level_key(l) == Some(key))
    else {
        return out;
    };
    let mut indent: Option<usize> = None;
    let mut pending = false;
    for &(off, l) in &lines[k + 1..] {
        let t = l.trim_start_matches(' ');
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let ind = l.len() - t.len();
        if pending {
            // The content of an item written `-` alone on its line.
            if let Some(p) = out.last_mut() {
                *p = off + ind;
            }
            pending = false;
        }
        let is_item = t == "-" || t.starts_with("- ");
        match indent {
            None if is_item => indent = Some(ind),
            None => break,
            Some(i) if ind < i || (ind == i && !is_item) => break,
            _ => {}
        }
        if Some(ind) == indent && is_item {
            let rest = &t[1..];
            let body = rest.trim_start_matches(' ');
            out.push(off + ind + 1 + (rest.len() - body.len()));
            pending = body.is_empty();
        }
    }
    out
}

/// `Some(key)` when `line` is `key:` at column 0 (the key optionally quoted).
fn top_level_key(line: &str) -> Option<&str> {
    if line.starts_with([' ', '\t', '#', '-']) {
        return None;
    }
    let (k, _) = line.split_once(':')?;
    Some(k.trim().trim_matches(|c| c == '"' || c == '\''))
}

/// Byte offset of the first mapping key `key` (optionally quoted, followed
/// by `:`) at or after byte `from`.
pub fn find_key(text: &str, key: &str, from: usize) -> Option<usize> {
    let mut off = 0;
    for l in text.split_inclusive('\n') {
        let start = off;
        off += l.len();
        if start < from {
            continue;
        }
        let t = l.trim_start_matches([' ', '\t']).trim_start_matches("- ");
        let t = t.trim_start_matches(' ');
        for q in ["", "\"", "'"] {
            let Some(rest) = t.strip_prefix(q).and_then(|r| r.strip_prefix(key)) else {
                continue;
            };
            if rest
                .strip_prefix(q)
                .is_some_and(|r| r.trim_start().starts_with(':'))
            {
                return Some(start + (l.len() - t.len()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seq_items_finds_block_entries() {
        let t =
            "a: 1\nsuppress:\n  - rule: x\n    text: y\n  # note\n  -\n    rule: z\nnext: [1]\n";
        let items = seq_items(t, "suppress");
        assert_eq!(items.len(), 2);
        assert!(t[items[0]..].starts_with("rule: x"));
        assert!(t[items[1]..].starts_with("rule: z"));
        // A sequence at the key's own indentation ends at the next key.
        let t = "dirs:\n- a\n- b\nother: 1\n";
        let items = seq_items(t, "dirs");
        assert_eq!(
            items.iter().map(|&i| &t[i..i + 1]).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert!(seq_items("dirs: [a, b]\n", "dirs").is_empty());
        assert!(seq_items("x: 1\n", "dirs").is_empty());
    }

    #[test]
    fn find_key_handles_quotes_and_offsets() {
        let t = "rules:\n  fr-en/x: off\n  \"a/b\": info\n";
        assert_eq!(find_key(t, "fr-en/x", 0), Some(9));
        assert_eq!(&t[find_key(t, "a/b", 0).unwrap()..][..5], "\"a/b\"");
        assert_eq!(find_key(t, "fr-en/x", 10), None);
        assert_eq!(find_key(t, "fr-en", 0), None);
    }
}
