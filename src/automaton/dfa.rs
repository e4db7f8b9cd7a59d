//! A small Aho-Corasick DFA of ASCII-case-folded keys, searched with the
//! shortest loop the job allows: a class lookup and a table load a byte,
//! two independent searches interleaved (each byte would otherwise wait on
//! the table load of the byte before it), and no call inside the loop.
//!
//! The table has at most 65,536 transitions of 16 bits (128 KB, inside
//! the L2 cache), so an index cast to `u16` needs no bounds check. The
//! aho-corasick crate's overlapping search spends about 20 instructions a
//! byte on the same keys: it keeps its place in a state struct and returns
//! to the caller at each match.

/// Every occurrence of every key, overlapping ones included, reported in
/// the order the crate's overlapping search reports them: by end, and at
/// one end the key of the state first, then those of its failure chain.
pub struct Dfa {
    /// `trans[s + class[b]]`: the state after reading byte `b` in state
    /// `s` (state ids are premultiplied by `stride`).
    trans: Box<[u16; CELLS]>,
    /// Byte classes: bytes no key holds share class 0; an ASCII letter
    /// shares the class of its lower case.
    class: [u8; 256],
    /// States with an id at or above this one end a key.
    first_match: u16,
    /// For a match state `s`, the keys that end there:
    /// `ends[starts[m]..starts[m + 1]]`, `m = (s - first_match) / stride`.
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// The length of each key.
    lens: Vec<u32>,
    /// The longest key.
    max_len: usize,
    /// Transitions per state (the number of classes).
    stride: usize,
}

/// Below this, one search: splitting costs more than it saves.
const SPLIT_MIN: usize = 4096;
/// Transitions of the table: every `u16` is an index into it.
const CELLS: usize = 1 << 16;
/// Bytes searched between two reports of the matches found.
const BLOCK: usize = 256;

impl Dfa {
    /// The DFA of `keys` (ASCII lower case, none empty), or `None` when it
    /// needs more than [`CELLS`] transitions.
    pub fn new(keys: &[String]) -> Option<Dfa> {
        let mut class = [0u8; 256];
        let mut classes = 1usize;
        for k in keys {
            for &b in k.as_bytes() {
                let b = b.to_ascii_lowercase();
                if class[b as usize] == 0 {
                    if classes == 256 {
                        return None;
                    }
                    class[b as usize] = classes as u8;
                    classes += 1;
                }
            }
        }
        for b in b'A'..=b'Z' {
            class[b as usize] = class[b.to_ascii_lowercase() as usize];
        }
        let stride = classes;
        // The trie: `goto[s * stride + c]`, 0 = none (the root is never a
        // child).
        let mut goto: Vec<u32> = vec![0; stride];
        let mut own: Vec<Option<u32>> = vec![None];
        for (i, k) in keys.iter().enumerate() {
            if k.is_empty() {
                return None;
            }
            let mut s = 0usize;
            for &b in k.as_bytes() {
                let c = class[b as usize] as usize;
                let next = goto[s * stride + c];
                s = if next != 0 {
                    next as usize
                } else {
                    let n = own.len();
                    if (n + 1) * stride > CELLS {
                        return None;
                    }
                    goto[s * stride + c] = n as u32;
                    goto.extend(std::iter::repeat_n(0, stride));
                    own.push(None);
                    n
                };
            }
            own[s].get_or_insert(i as u32);
        }
        let n = own.len();
        // Breadth first: failure links, full transitions and match lists
        // (a state's own key, then its failure state's list).
        let mut delta = goto.clone();
        let mut fail = vec![0u32; n];
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut queue = std::collections::VecDeque::new();
        queue.extend(goto[..stride].iter().copied().filter(|&t| t != 0));
        while let Some(s) = queue.pop_front() {
            let s = s as usize;
            let f = fail[s] as usize;
            let mut list: Vec<u32> = own[s].into_iter().collect();
            list.extend_from_slice(&lists[f]);
            lists[s] = list;
            for c in 0..stride {
                let t = goto[s * stride + c];
                if t != 0 {
                    fail[t as usize] = delta[f * stride + c];
                    queue.push_back(t);
                } else {
                    delta[s * stride + c] = delta[f * stride + c];
                }
            }
        }
        // Renumber: states that end no key first, then those that do.
        let mut order: Vec<usize> = (0..n).filter(|&s| lists[s].is_empty()).collect();
        let first = order.len();
        order.extend((0..n).filter(|&s| !lists[s].is_empty()));
        let mut id = vec![0u32; n];
        for (new, &old) in order.iter().enumerate() {
            id[old] = (new * stride) as u32;
        }
        let mut trans: Box<[u16; CELLS]> = vec![0u16; CELLS].into_boxed_slice().try_into().ok()?;
        let mut starts = Vec::with_capacity(n - first + 1);
        let mut ends = Vec::new();
        for (new, &old) in order.iter().enumerate() {
            for c in 0..stride {
                trans[new * stride + c] = id[delta[old * stride + c] as usize] as u16;
            }
        }
        for &old in &order[first..] {
            starts.push(ends.len() as u32);
            ends.extend_from_slice(&lists[old]);
        }
        starts.push(ends.len() as u32);
        Some(Dfa {
            trans,
            class,
            first_match: (first * stride) as u16,
            starts,
            ends,
            lens: keys.iter().map(|k| k.len() as u32).collect(),
            max_len: keys.iter().map(String::len).max().unwrap_or(0),
            stride,
        })
    }

    /// Call `f(key, start, end)` for every occurrence of every key in
    /// `text`, by end, overlapping occurrences included.
    pub fn find(&self, text: &[u8], mut f: impl FnMut(usize, usize, usize)) {
        let fm = self.first_match;
        let emit = |found: &[u64], base: usize, f: &mut dyn FnMut(usize, usize, usize)| {
            for &x in found {
                self.emit(x as u16, base + (x >> 16) as usize + 1, usize::MAX, f);
            }
        };
        let mut found = [0u64; BLOCK];
        if text.len() < SPLIT_MIN {
            let mut s = 0u16;
            for (k, block) in text.chunks(BLOCK).enumerate() {
                let mut n = 0;
                for (i, &b) in block.iter().enumerate() {
                    self.step(&mut s, b, i, &mut found, &mut n);
                }
                emit(&found[..n], k * BLOCK, &mut f);
            }
            return;
        }
        // Two searches at once: the first half, and the second half from
        // the root (which finds every key that starts in it). The second's
        // matches wait in a buffer.
        let mid = text.len() / 2;
        let (a, b) = text.split_at(mid);
        let mut later: Vec<(usize, u16)> = Vec::new();
        let mut found_b = [0u64; BLOCK];
        let (mut sa, mut sb) = (0u16, 0u16);
        for (k, (ba, bb)) in a.chunks(BLOCK).zip(b.chunks(BLOCK)).enumerate() {
            let (mut na, mut nb) = (0, 0);
            for (i, (&x, &y)) in ba.iter().zip(bb).enumerate() {
                self.step(&mut sa, x, i, &mut found, &mut na);
                self.step(&mut sb, y, i, &mut found_b, &mut nb);
            }
            emit(&found[..na], k * BLOCK, &mut f);
            let base = mid + k * BLOCK + 1;
            later.extend(
                found_b[..nb]
                    .iter()
                    .map(|&x| (base + (x >> 16) as usize, x as u16)),
            );
        }
        if let Some(&y) = b.get(a.len()) {
            sb = self.next(sb, y);
            if sb >= fm {
                later.push((text.len(), sb));
            }
        }
        // The first search goes on past the half for the keys that started
        // before it, its matches merged with the second's by end (at one
        // end, the longer key first, as in one search).
        let reach = (mid + self.max_len.saturating_sub(1)).min(text.len());
        let mut k = 0;
        for end in mid + 1..=reach {
            sa = self.next(sa, text[end - 1]);
            while let Some(&(e, s)) = later.get(k).filter(|l| l.0 < end) {
                self.emit(s, e, usize::MAX, &mut f);
                k += 1;
            }
            if sa >= fm {
                self.emit(sa, end, mid, &mut f);
            }
        }
        for &(e, s) in &later[k..] {
            self.emit(s, e, usize::MAX, &mut f);
        }
    }

    /// Report the keys of match state `s` that end at `end` and start
    /// before `before`.
    #[inline]
    fn emit(&self, s: u16, end: usize, before: usize, f: &mut dyn FnMut(usize, usize, usize)) {
        let m = usize::from(s - self.first_match) / self.stride;
        for &k in &self.ends[self.starts[m] as usize..self.starts[m + 1] as usize] {
            let start = end - self.lens[k as usize] as usize;
            if start < before {
                f(k as usize, start, end);
            }
        }
    }

    /// One byte of a search in a block: the next state, and at offset `i`
    /// of the block a match state recorded in `found` (its offset and the
    /// state). The record is stored whether or not it is a match, and
    /// counted only if it is: no branch.
    #[inline(always)]
    fn step(&self, s: &mut u16, b: u8, i: usize, found: &mut [u64; BLOCK], n: &mut usize) {
        *s = self.next(*s, b);
        found[*n % BLOCK] = ((i as u64) << 16) | u64::from(*s);
        *n += usize::from(*s >= self.first_match);
    }

    #[inline(always)]
    fn next(&self, s: u16, b: u8) -> u16 {
        self.trans[usize::from(s.wrapping_add(u16::from(self.class[usize::from(b)])))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};

    /// Every occurrence as the aho-corasick crate's overlapping search
    /// reports it, in its order.
    fn reference(keys: &[String], text: &[u8]) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(keys)
            .expect("keys build");
        ac.find_overlapping_iter(text)
            .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
            .collect()
    }

    fn found(d: &Dfa, text: &[u8]) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        d.find(text, |k, s, e| out.push((k, s, e)));
        out
    }

    /// A small generator, so that the test needs no crate and is the same
    /// on every run.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    #[test]
    fn finds_what_the_crate_finds_in_its_order() {
        // Few letters, so that keys overlap, share prefixes and suffixes,
        // and occur across the middle of a long text; a two-byte character
        // and upper case, for the case folding of ASCII letters only.
        let alphabet: &[&str] = &["a", "b", "A", "B", " ", "é", "É", "2", "°"];
        let mut rng = Lcg(7);
        for round in 0..60 {
            let mut keys: Vec<String> = Vec::new();
            for _ in 0..1 + rng.next(40) {
                let k: String = (0..1 + rng.next(8))
                    .map(|_| alphabet[rng.next(alphabet.len())])
                    .collect::<String>()
                    .to_ascii_lowercase();
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            let d = Dfa::new(&keys).expect("a small set fits");
            for len in [
                0,
                1,
                7,
                300,
                SPLIT_MIN - 1,
                SPLIT_MIN,
                SPLIT_MIN + 1,
                3 * BLOCK * 7 + 5,
            ] {
                let text: String = (0..len)
                    .map(|_| alphabet[rng.next(alphabet.len())])
                    .collect();
                // cut to `len` bytes at most, on a character boundary
                let mut end = text.len().min(len);
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let text = &text.as_bytes()[..end];
                assert_eq!(
                    found(&d, text),
                    reference(&keys, text),
                    "round {round}, {} bytes, keys {keys:?}",
                    text.len()
                );
            }
        }
    }

    #[test]
    fn a_key_across_the_middle_is_found_once() {
        let keys = vec!["abcdefgh".to_string(), "h".to_string(), "gh".to_string()];
        let d = Dfa::new(&keys).expect("fits");
        for at in SPLIT_MIN / 2 - 8..SPLIT_MIN / 2 + 2 {
            let mut text = vec![b'x'; SPLIT_MIN];
            text[at..at + 8].copy_from_slice(b"ABCDEFGH");
            assert_eq!(found(&d, &text), reference(&keys, &text), "at {at}");
        }
    }

    #[test]
    fn too_many_transitions_is_refused() {
        let mut rng = Lcg(3);
        let keys: Vec<String> = (0..20_000)
            .map(|_| {
                (0..8)
                    .map(|_| (b'a' + rng.next(26) as u8) as char)
                    .collect()
            })
            .collect();
        assert!(Dfa::new(&keys).is_none());
        assert!(Dfa::new(&["".to_string()]).is_none());
    }
}
