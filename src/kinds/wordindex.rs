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

    /// The index of a sorted list. build.rs makes those of the large
    /// built-in lists; a test checks that they are what this makes.
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

    /// The two bits of `w`, both in one 64-bit word of the filter (a
    /// blocked Bloom filter): a lookup reads one cache line, not two.
    fn bits(w: &[u8]) -> [usize; 2] {
        let h = fnv(w);
        let base = (h as usize) % (BLOOM_BITS / 64) * 64;
        [
            base + ((h >> 32) & 63) as usize,
            base + ((h >> 40) & 63) as usize,
        ]
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
        let [a, b] = Index::bits(w);
        // `a` and `b` are in one word
        let mask = (1u64 << (a % 64)) | (1u64 << (b % 64));
        self.word(a / 64 * 8, 8) & mask == mask
    }

    /// Offset of the first line of bucket `k` (`k` up to 65536).
    pub fn table(&self, k: usize) -> u32 {
        self.word(BLOOM_BITS / 8 + k.min(TABLE - 1) * 4, 4) as u32
    }
}

/// A short word (up to 8 bytes) as an integer, zero padded: a different
/// integer for every word with no NUL byte. `None` for a longer or empty word.
pub fn short_key(w: &[u8]) -> Option<u64> {
    (!w.is_empty() && w.len() <= 8).then(|| {
        let mut b = [0u8; 8];
        b[..w.len()].copy_from_slice(w);
        u64::from_le_bytes(b)
    })
}

/// The [`short_key`] of `b[r]`, read as one 8-byte load where `b` holds
/// 8 bytes from `r.start` (no variable-length copy).
pub fn key_at(b: &[u8], r: std::ops::Range<usize>) -> Option<u64> {
    let n = r.end.checked_sub(r.start)?;
    if n == 0 || n > 8 {
        return None;
    }
    match b.get(r.start..r.start + 8) {
        Some(w) => {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            Some(u64::from_le_bytes(a) & (u64::MAX >> (64 - 8 * n)))
        }
        None => short_key(b.get(r)?),
    }
}

/// A small set of [`short_key`]s, in a power-of-two table that stays in
/// the L1 cache. A set of up to 256 keys gets a perfect hash when one is
/// found (a multiplier that sends no two keys to one slot, in a table 8 to
/// 32 times larger than the set): a lookup is then one load and one
/// comparison, with no branch to mispredict. Otherwise open addressing,
/// with the table at most two thirds full. Key 0 (no word) is never a
/// member.
pub struct KeySet {
    slots: Vec<u64>,
    mul: u64,
    shift: u32,
    perfect: bool,
}

impl KeySet {
    pub fn new(keys: impl IntoIterator<Item = u64>) -> KeySet {
        let mut keys: Vec<u64> = keys.into_iter().filter(|&k| k != 0).collect();
        if keys.len() <= 256 {
            keys.sort_unstable();
            keys.dedup();
            let mut seed = 0x9E37_79B9_7F4A_7C15u64;
            for factor in [8, 16, 32] {
                let bits = (keys.len() * factor)
                    .max(64)
                    .next_power_of_two()
                    .trailing_zeros();
                for _ in 0..2000 {
                    // splitmix64: a fixed sequence of odd multipliers
                    seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
                    let mut z = seed;
                    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
                    let mut set = KeySet {
                        slots: vec![0; 1 << bits],
                        mul: (z ^ (z >> 31)) | 1,
                        shift: 64 - bits,
                        perfect: true,
                    };
                    if set.fill(&keys) {
                        return set;
                    }
                }
            }
        }
        let bits = (keys.len() * 3 / 2 + 1)
            .max(16)
            .next_power_of_two()
            .trailing_zeros();
        let mut set = KeySet {
            slots: vec![0; 1 << bits],
            mul: 0x9E37_79B9_7F4A_7C15,
            shift: 64 - bits,
            perfect: false,
        };
        set.fill(&keys);
        set
    }

    /// Put `keys` in the empty table, a key met twice once (a large set is
    /// not sorted first: sorting the 4,800 common words' keys was 2% of an
    /// empty check); false if the hash is to be perfect and two keys share
    /// a slot.
    fn fill(&mut self, keys: &[u64]) -> bool {
        let mask = self.slots.len() - 1;
        'keys: for &k in keys {
            let mut i = self.slot(k);
            while let Some(&s) = self.slots.get(i)
                && s != 0
            {
                if s == k {
                    continue 'keys;
                }
                if self.perfect {
                    return false;
                }
                i = (i + 1) & mask;
            }
            if let Some(s) = self.slots.get_mut(i) {
                *s = k;
            }
        }
        true
    }

    fn slot(&self, k: u64) -> usize {
        (k.wrapping_mul(self.mul) >> self.shift) as usize
    }

    pub fn contains(&self, k: u64) -> bool {
        let mut i = self.slot(k);
        if self.perfect {
            return k != 0 && self.slots.get(i) == Some(&k);
        }
        let mask = self.slots.len() - 1;
        // The table is never full: an empty slot ends every probe.
        while let Some(&s) = self.slots.get(i) {
            if s == k {
                return k != 0;
            }
            if s == 0 {
                return false;
            }
            i = (i + 1) & mask;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_keys_are_distinct_and_bounded() {
        assert_eq!(short_key(b""), None);
        assert_eq!(short_key(b"abcdefghi"), None);
        // NUL is the padding: words are letters, never NUL
        assert_eq!(short_key(b"ab"), short_key(b"ab\0"));
        assert_ne!(short_key(b"abc"), short_key(b"abd"));
        assert_ne!(short_key(b"abcdefgh"), short_key(b"abcdefg"));
        assert_eq!(short_key(b"a"), Some(u64::from(b'a')));
    }

    #[test]
    fn key_at_is_the_short_key_of_the_range() {
        let b = "le chat und die Katze, l’été: abcdefghij".as_bytes();
        for i in 0..=b.len() + 2 {
            for j in i..=b.len() + 2 {
                let want = b.get(i..j).and_then(short_key);
                assert_eq!(key_at(b, i..j), want, "{i}..{j}");
            }
        }
        let (start, end) = (5, 3);
        assert_eq!(key_at(b, start..end), None);
    }

    #[test]
    fn key_set_agrees_with_a_hash_set() {
        let words: Vec<String> = (0..3000u32)
            .map(|i| format!("{:x}", i.wrapping_mul(2_654_435_761)))
            .map(|s| s.chars().take(8).collect())
            .collect();
        let members: Vec<u64> = words
            .iter()
            .step_by(3)
            .filter_map(|w| short_key(w.as_bytes()))
            .collect();
        let set = KeySet::new(members.iter().copied());
        let reference: std::collections::HashSet<u64> = members.iter().copied().collect();
        for w in &words {
            let k = short_key(w.as_bytes()).unwrap_or(0);
            assert_eq!(set.contains(k), reference.contains(&k), "{w}");
        }
        assert!(!set.contains(0));
        assert!(!set.perfect, "1000 keys: open addressing");
        // the same keys twice each, out of order: each stored once
        let twice = KeySet::new(members.iter().rev().chain(&members).copied());
        let stored = twice.slots.iter().filter(|&&s| s != 0).count();
        assert_eq!(stored, reference.len());
        for w in &words {
            let k = short_key(w.as_bytes()).unwrap_or(0);
            assert_eq!(twice.contains(k), reference.contains(&k), "{w}");
        }
        // a small set: a perfect hash, same answers
        let small = KeySet::new(members.iter().copied().take(200));
        assert!(small.perfect);
        let reference: std::collections::HashSet<u64> = members.iter().copied().take(200).collect();
        for w in &words {
            let k = short_key(w.as_bytes()).unwrap_or(0);
            assert_eq!(small.contains(k), reference.contains(&k), "{w}");
        }
        let empty = KeySet::new([]);
        assert!(!empty.contains(0) && !empty.contains(1));
        let one = KeySet::new([0, 7]);
        assert!(one.contains(7) && !one.contains(0) && !one.contains(8));
    }
}
