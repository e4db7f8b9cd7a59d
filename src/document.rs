//! Documents: which bytes of a file are prose. Every format produces a
//! "prose" string of the same length as the file, with non-prose bytes
//! blanked (newlines kept), and the list of blanked ranges; offsets never
//! move, so every finding refers to the original bytes.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
}

impl Format {
    /// The format for a path, by extension (plain text by default).
    pub fn for_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase())
            .as_deref()
        {
            Some("md" | "markdown" | "mdown" | "mkd") => Format::Markdown,
            _ => Format::Text,
        }
    }
}

/// The prose of a document and the ranges that are not prose.
pub struct Prose<'a> {
    pub text: Cow<'a, str>,
    pub masked: Vec<Range<usize>>,
}

/// Extract the prose of `text` in `format`.
pub fn prose(text: &str, _format: Format) -> Prose<'_> {
    let mut masked = Vec::new();
    // A byte-order mark is not prose.
    if let Some(rest) = text.strip_prefix('\u{FEFF}') {
        masked.push(0..3);
        let mut s = String::with_capacity(text.len());
        s.push_str("   ");
        s.push_str(rest);
        return Prose {
            text: Cow::Owned(s),
            masked,
        };
    }
    Prose {
        text: Cow::Borrowed(text),
        masked,
    }
}
