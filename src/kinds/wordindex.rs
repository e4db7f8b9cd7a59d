//! The index of a sorted word list (one word a line, in byte order): a
//! Bloom filter that answers "no" for almost every English word at once,
//! and for each two-byte prefix the offset of its first line, so that the
//! remaining lookups search a few lines that sit together in memory.
//!
//! Shared with build.rs, which builds the index of the large built-in
//! lists at compile time (`to_bytes`): start-up then only maps it.

use std::borrow::Cow;

/// Bucket of a word: its first two bytes (order-preserving).
pub fn bucket(w: &[u8]) -> usize {
    (usize::from(w.first().copied().unwrap_or(0)) << 8)
        | usize::from(w.get(1).copied().unwrap_or(0))
}

/// FNV-1a: a quick hash for short words.
fn fnv(w: &[u8]) -> u64 {
    w.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const BLOOM_BITS: usize = 1 << 22;
const TABLE: usize = (1 << 16) + 1;

/// The Bloom filter's words, then the bucket table, little-endian: as a
/// vector built now, or as bytes built by build.rs.
pub struct Index {
    bytes: Cow<'static, [u8]>,
}

impl Index {
    /// Size of the index in bytes.
    pub const LEN: usize = BLOOM_BITS / 8 + TABLE * 4;

    pub fn new(text: &str) -> Index {
        let mut bloom = vec![0u64; BLOOM_BITS / 64];
        let mut table = vec![u32::MAX; TABLE];
        let b = text.as_bytes();
        let mut start = 0usize;
        while start < b.len() {
            let end = b[start..]
                .iter()
                .position(|&c| c == b'\n')
                .map_or(b.len(), |i| start + i);
            let mut w = &b[start..end];
            while let [rest @ .., b' ' | b'\r' | b'\t'] = w {
                w = rest;
            }
            let k = bucket(w);
            if table[k] == u32::MAX {
                table[k] = start as u32;
            }
            for bit in Index::bits(w) {
                bloom[bit / 64] |= 1 << (bit % 64);
            }
            start = end + 1;
        }
        table[TABLE - 1] = text.len() as u32;
        for k in (0..TABLE - 1).rev() {
            if table[k] == u32::MAX {
                table[k] = table[k + 1];
            }
        }
        let mut bytes = Vec::with_capacity(Index::LEN);
        bloom
            .iter()
            .for_each(|x| bytes.extend_from_slice(&x.to_le_bytes()));
        table
            .iter()
            .for_each(|x| bytes.extend_from_slice(&x.to_le_bytes()));
        Index {
            bytes: Cow::Owned(bytes),
        }
    }

    /// An index made by `new(..).to_bytes()` (`None` if the size is wrong).
    pub fn from_static(bytes: &'static [u8]) -> Option<Index> {
        (bytes.len() == Index::LEN).then_some(Index {
            bytes: Cow::Borrowed(bytes),
        })
    }

    pub fn to_bytes(&self) -> &[u8] {
        &self.bytes
    }

    fn bits(w: &[u8]) -> [usize; 2] {
        let h = fnv(w);
        [(h as usize) % BLOOM_BITS, ((h >> 32) as usize) % BLOOM_BITS]
    }

    fn word(&self, at: usize, n: usize) -> u64 {
        let mut b = [0u8; 8];
        if let Some(s) = self.bytes.get(at..at + n) {
            b[..n].copy_from_slice(s);
        }
        u64::from_le_bytes(b)
    }

    /// False when `w` is surely not in the list.
    pub fn maybe(&self, w: &[u8]) -> bool {
        Index::bits(w)
            .iter()
            .all(|&bit| self.word(bit / 64 * 8, 8) & (1 << (bit % 64)) != 0)
    }

    /// Offset of the first line of bucket `k` (`k` up to 65536).
    pub fn table(&self, k: usize) -> u32 {
        self.word(BLOOM_BITS / 8 + k.min(TABLE - 1) * 4, 4) as u32
    }
}
