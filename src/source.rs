//! Reading input: files, stdin; the errors bad input gets.

use std::io::Read;
use std::path::Path;

/// Why a file could not be checked. Each is reported, the other files are
/// still checked, and the run exits 2.
#[derive(Debug, Clone)]
pub enum SourceError {
    NotFound,
    Io(String),
    Binary { offset: usize },
    InvalidUtf8 { offset: usize },
    TooLarge { size: u64, limit: u64 },
}

impl std::fmt::Display for SourceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SourceError::NotFound => write!(f, "no such file or directory"),
            SourceError::Io(e) => write!(f, "cannot read: {e}"),
            SourceError::Binary { offset } => {
                write!(f, "binary file (NUL byte at offset {offset}), not checked")
            }
            SourceError::InvalidUtf8 { offset } => {
                write!(
                    f,
                    "invalid UTF-8 at byte offset {offset}; calque reads UTF-8 text only (convert with iconv)"
                )
            }
            SourceError::TooLarge { size, limit } => {
                write!(
                    f,
                    "file is {size} bytes, over the limit of {limit} bytes (--max-file-size)"
                )
            }
        }
    }
}

/// Read a file whole. `limit` is the largest size accepted.
pub fn read_path(path: &Path, limit: u64) -> Result<String, SourceError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SourceError::NotFound,
        _ => SourceError::Io(e.to_string()),
    })?;
    if meta.len() > limit {
        return Err(SourceError::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    let bytes = std::fs::read(path).map_err(|e| SourceError::Io(e.to_string()))?;
    decode(bytes)
}

/// Read standard input whole.
pub fn read_stdin(limit: u64) -> Result<String, SourceError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| SourceError::Io(e.to_string()))?;
    if bytes.len() as u64 > limit {
        return Err(SourceError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    decode(bytes)
}

/// UTF-8 text or a located error; a NUL byte marks a binary file.
pub fn decode(bytes: Vec<u8>) -> Result<String, SourceError> {
    if let Some(offset) = memchr_nul(&bytes) {
        return Err(SourceError::Binary { offset });
    }
    String::from_utf8(bytes).map_err(|e| SourceError::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

fn memchr_nul(b: &[u8]) -> Option<usize> {
    b.iter().position(|&x| x == 0)
}
