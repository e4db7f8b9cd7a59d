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

/// A file read piece by piece, each cut as `engine::cut_after` cuts a
/// document: checking it piece by piece finds what checking it whole finds,
/// and memory holds a few pieces, not the file.
pub struct Pieces {
    file: std::fs::File,
    /// The bytes from file offset `at` on that are read and not handed out.
    buf: Vec<u8>,
    at: usize,
    eof: bool,
}

impl Pieces {
    /// Open `path`, refusing a file over `limit` bytes as `read_path` does.
    pub fn open(path: &Path, limit: u64) -> Result<Pieces, SourceError> {
        let io = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => SourceError::NotFound,
            _ => SourceError::Io(e.to_string()),
        };
        let file = std::fs::File::open(path).map_err(io)?;
        let size = file.metadata().map_err(io)?.len();
        if size > limit {
            return Err(SourceError::TooLarge { size, limit });
        }
        Ok(Pieces {
            file,
            buf: Vec::new(),
            at: 0,
            eof: false,
        })
    }

    /// Read until `buf` holds `n` bytes or the file ends.
    fn fill(&mut self, n: usize) -> Result<(), SourceError> {
        if self.eof || self.buf.len() >= n {
            return Ok(());
        }
        let want = (n - self.buf.len()) as u64;
        // Room for the whole piece at once: grown by doubling, the buffer
        // was copied on each growth (7.5 M instructions on 8 MB). Not for
        // the read to the end (`usize::MAX`), which grows as it reads.
        if n != usize::MAX {
            self.buf.reserve_exact(n - self.buf.len());
        }
        let got = (&mut self.file)
            .take(want)
            .read_to_end(&mut self.buf)
            .map_err(|e| SourceError::Io(e.to_string()))?;
        if (got as u64) < want {
            self.eof = true;
        }
        Ok(())
    }

    /// The next piece: its file offset and its bytes (not yet decoded).
    pub fn next_piece(&mut self) -> Result<Option<(usize, Vec<u8>)>, SourceError> {
        use crate::engine::{CHUNK, cut_after};
        self.fill(CHUNK + CHUNK / 2 + 1)?;
        if self.buf.is_empty() {
            return Ok(None);
        }
        let piece = match cut_after(&self.buf) {
            Some(c) => {
                let rest = self.buf.split_off(c);
                std::mem::replace(&mut self.buf, rest)
            }
            None => {
                // One piece to the end (no line break to cut at).
                self.fill(usize::MAX)?;
                std::mem::take(&mut self.buf)
            }
        };
        let at = self.at;
        self.at += piece.len();
        Ok(Some((at, piece)))
    }
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
/// Decode one piece of a file read by `Pieces` (`at`: its offset). Unlike
/// `decode`, an invalid UTF-8 piece is not yet the file's error: a NUL byte
/// anywhere in the file makes it binary, which the caller looks for in the
/// pieces left (`has_nul`).
pub fn decode_piece(bytes: Vec<u8>, at: usize) -> Result<String, SourceError> {
    decode(bytes).map_err(|e| match e {
        SourceError::Binary { offset } => SourceError::Binary {
            offset: offset + at,
        },
        SourceError::InvalidUtf8 { offset } => SourceError::InvalidUtf8 {
            offset: offset + at,
        },
        e => e,
    })
}

/// The offset of the first NUL byte in `b`.
pub fn has_nul(b: &[u8]) -> Option<usize> {
    memchr_nul(b)
}

pub fn decode(bytes: Vec<u8>) -> Result<String, SourceError> {
    if let Some(offset) = memchr_nul(&bytes) {
        return Err(SourceError::Binary { offset });
    }
    String::from_utf8(bytes).map_err(|e| SourceError::InvalidUtf8 {
        offset: e.utf8_error().valid_up_to(),
    })
}

fn memchr_nul(b: &[u8]) -> Option<usize> {
    // memchr's vector search: the byte loop was 1.6% of a check
    memchr::memchr(0, b)
}
