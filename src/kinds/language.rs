//! `language`: sentences (or paragraphs) that are not in the target
//! language, detected with `whatlang`. A cheap test runs first (foreign
//! function words, lower-case words with accented letters: capitalized ones
//! are names); the detector runs only on sentences that show such signals,
//! never on every sentence blindly.

use super::{Ctx, Hit};
use crate::rules::RuleSpec;
use whatlang::{Detector, Lang};

pub struct Language {
    target: Lang,
    min_chars: usize,
    min_words: usize,
    min_confidence: f64,
    paragraph: bool,
    detector: Detector,
}

/// Function words of the languages a news translation most often leaks,
/// chosen to be rare as English words.
const FOREIGN: &[&str] = &[
    // French
    "le", "les", "des", "du", "une", "est", "dans", "pour", "qui", "que", "avec", "sur", "pas",
    "cette", "sont", "nous", "vous", "ils", "elle", "aux", "où", "très", "mais", "été", "leur",
    "ont", "sa", "ses", "aussi", "être", "fait", "comme", "plus", "selon", "après", "depuis",
    "entre", "lors", "notre", "contre", "même", "peut", "ainsi", "donc", "avait", "était",
    // Spanish / Portuguese / Italian
    "el", "los", "las", "una", "del", "por", "para", "con", "es", "está", "su", "muy", "pero",
    "não", "uma", "com", "os", "il", "di", "che", "non", "sono", "della", "degli",
    // German / Dutch
    "der", "die", "das", "und", "ist", "nicht", "mit", "für", "auf", "ein", "eine", "den", "dem",
    "zu", "sich", "wird", "het", "een", "niet", "zijn", "voor", "ook",
];

use super::wordindex::{KeySet, key_at, short_key};

/// `w` (lower case) is one of `FOREIGN`.
fn is_function_word(w: &str) -> bool {
    short_key(w.as_bytes()).is_some_and(is_function_key)
}

/// `k` is the `short_key` of one of `FOREIGN`.
fn is_function_key(k: u64) -> bool {
    function_words().0.contains(k)
}

/// The `short_key`s of `FOREIGN`, and the shortest and longest of its
/// words in bytes: a word of another length is none of them.
fn function_words() -> &'static (KeySet, std::ops::RangeInclusive<usize>) {
    static SET: std::sync::OnceLock<(KeySet, std::ops::RangeInclusive<usize>)> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let lens = FOREIGN.iter().map(|f| f.len());
        let (min, max) = (lens.clone().min().unwrap_or(0), lens.max().unwrap_or(0));
        (
            KeySet::new(FOREIGN.iter().filter_map(|f| short_key(f.as_bytes()))),
            min..=max,
        )
    })
}

/// Masks over up to 64 bytes (bit `i` for byte `i`): the ASCII letters,
/// and the first bytes of non-ASCII characters (`super::masks`).
#[inline(always)]
fn block_masks(blk: &[u8]) -> (u64, u64) {
    let [letters, leads] = super::masks(blk, [&[super::LETTERS], &[super::LEADS]]);
    (letters, leads)
}

/// Words and function words of a sentence with no accented letter: words
/// are runs of ASCII letters (any other character separates them), and a
/// word of up to 8 letters is looked up lower-cased as an integer. `None`
/// when the sentence has a non-ASCII letter (see `Language::signals`).
/// Sixty-four bytes at a time, from bit masks of letters.
fn ascii_counts(s: &str) -> Option<(usize, usize)> {
    let b = s.as_bytes();
    let (mut words, mut foreign) = (0usize, 0usize);
    let (set, lens) = function_words();
    let mut count = |st: usize, en: usize| {
        words += 1;
        // (a function word's length, at most 8 letters: setting bit 5
        // lower-cases them)
        if lens.contains(&(en - st))
            && let Some(k) = key_at(b, st..en)
        {
            let case = 0x2020_2020_2020_2020u64 & (u64::MAX >> (64 - 8 * (en - st)));
            foreign += usize::from(set.contains(k | case));
        }
    };
    // where the word being read started
    let mut open: Option<usize> = None;
    for (bi, blk) in b.chunks(64).enumerate() {
        let base = bi * 64;
        let (letters, mut leads) = block_masks(blk);
        while leads != 0 {
            let i = base + leads.trailing_zeros() as usize;
            leads &= leads - 1;
            if s.get(i..)
                .and_then(|r| r.chars().next())
                .is_some_and(char::is_alphabetic)
            {
                return None;
            }
        }
        // bit i: byte i-1 is a letter
        let after = (letters << 1) | u64::from(open.is_some());
        // starts and ends (one past the last letter) of words, alternating
        let mut edges = letters ^ after;
        while edges != 0 {
            let i = base + edges.trailing_zeros() as usize;
            edges &= edges - 1;
            match open.take() {
                None => open = Some(i),
                Some(st) => count(st, i),
            }
        }
    }
    if let Some(st) = open {
        count(st, b.len());
    }
    Some((words, foreign))
}

impl Language {
    pub fn compile(spec: &RuleSpec) -> Result<Language, (String, String)> {
        let code = spec.target.as_deref().unwrap_or("eng");
        let target = Lang::from_code(code).ok_or((
            "target".to_string(),
            format!("unknown language code `{code}` (ISO 639-3, e.g. eng)"),
        ))?;
        let paragraph = match spec.check.as_deref() {
            None | Some("sentence") => false,
            Some("paragraph") => true,
            Some(o) => {
                return Err((
                    "check".into(),
                    format!("`check` is sentence or paragraph, not `{o}`"),
                ));
            }
        };
        let langs = vec![
            Lang::Eng,
            Lang::Fra,
            Lang::Spa,
            Lang::Deu,
            Lang::Ita,
            Lang::Por,
            Lang::Nld,
            Lang::Cat,
            Lang::Pol,
            Lang::Ron,
            Lang::Swe,
            Lang::Dan,
            Lang::Fin,
            Lang::Ces,
            Lang::Hun,
            Lang::Tur,
        ];
        let mut langs = langs;
        if !langs.contains(&target) {
            langs.push(target);
        }
        Ok(Language {
            target,
            min_chars: spec.min_chars.unwrap_or(30),
            min_words: spec.min_words.unwrap_or(5),
            min_confidence: spec.min_confidence.unwrap_or(0.5),
            paragraph,
            detector: Detector::with_allowlist(langs),
        })
    }

    fn signals(&self, s: &str) -> bool {
        if let Some((words, foreign)) = ascii_counts(s) {
            // No accented words (curly quotes and dashes separate words
            // either way): only the share of function words counts.
            return words >= self.min_words && foreign * 5 >= words;
        }
        let mut words = 0usize;
        let mut foreign = 0usize;
        let mut accented = 0usize;
        let mut buf = [0u8; 16];
        for w in s
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
        {
            words += 1;
            // Function words are short: lower-case them on the stack.
            if w.len() <= buf.len() {
                let hit = if w.is_ascii() {
                    let lw = &mut buf[..w.len()];
                    lw.copy_from_slice(w.as_bytes());
                    lw.make_ascii_lowercase();
                    std::str::from_utf8(lw).is_ok_and(is_function_word)
                } else {
                    is_function_word(&w.to_lowercase())
                };
                foreign += usize::from(hit);
            }
            // accented names (Löffingen, Köpfler) say nothing about the language
            if !w.is_ascii() && w.starts_with(char::is_lowercase) {
                accented += 1;
            }
        }
        words >= self.min_words
            && (foreign * 5 >= words || (foreign >= 2 && accented >= 1) || accented * 4 >= words)
    }

    pub fn run(&self, rule: usize, message: &str, ctx: &Ctx, out: &mut Vec<Hit>) {
        let units = if self.paragraph {
            &ctx.paras
        } else {
            &ctx.sents
        };
        for u in units {
            let s = &ctx.text[u.clone()];
            if s.len() < self.min_chars || !self.signals(s) {
                continue;
            }
            let Some(info) = self.detector.detect(s) else {
                continue;
            };
            if info.lang() == self.target || info.confidence() < self.min_confidence {
                continue;
            }
            let name = info.lang().eng_name();
            let msg = super::render(message, &|k| match k {
                "language" => Some(name.to_string()),
                "confidence" => Some(format!("{:.2}", info.confidence())),
                "match" => Some(s.to_string()),
                _ => None,
            });
            out.push(Hit {
                rule,
                span: u.clone(),
                message: msg,
                suggestions: vec![],
            });
        }
    }
}

#[cfg(test)]
mod function_word_tests {
    #[test]
    fn every_function_word_is_found_and_english_ones_are_not() {
        assert!(super::FOREIGN.iter().all(|w| w.len() <= 8));
        assert_eq!(super::function_words().1, 2..=6);
        assert!(super::FOREIGN.iter().all(|w| super::is_function_word(w)));
        for w in ["the", "and", "les2", "", "lesx", "étaient"] {
            assert!(!super::is_function_word(w), "{w}");
        }
    }

    /// The byte scan against the definition: split on anything but ASCII
    /// letters, look up each lower-cased word of up to 8 bytes.
    fn reference(s: &str) -> Option<(usize, usize)> {
        if s.chars().any(|c| !c.is_ascii() && c.is_alphabetic()) {
            return None;
        }
        let words: Vec<&[u8]> = s
            .as_bytes()
            .split(|b| !b.is_ascii_alphabetic())
            .filter(|w| !w.is_empty())
            .collect();
        let foreign = words
            .iter()
            .filter(|w| {
                w.len() <= 8 && super::is_function_word(&String::from_utf8_lossy(w).to_lowercase())
            })
            .count();
        Some((words.len(), foreign))
    }

    #[test]
    fn ascii_counts_match_the_reference() {
        for s in [
            "",
            " ",
            "Le gouvernement a dit que les ministres",
            "LES DES du Une est-ce que c'est l’ÉTÉ",
            "Der Mann und die Frau sind nicht hier.",
            "don’t “quote” — dash… les",
            "ÉTAIT était Zürich les",
            "abcdefghijklmnop lesx les2les 2le le",
            "le",
            "\u{1F600} emoji le des \u{00A0}nbsp du",
            "x\u{0301}combining les",
            "Straße",
        ] {
            assert_eq!(super::ascii_counts(s), reference(s), "{s:?}");
        }
        assert_eq!(super::ascii_counts("Le la LES dES"), Some((4, 3)));
        // words across the 64-byte blocks, a letter at the last byte
        let words = [
            "le ",
            "des-",
            "Zürich ",
            "x ",
            "“une” ",
            "abcdefghi ",
            "die",
            "—et ",
        ];
        for pad in 0..140 {
            for w in words {
                let s = format!("{}{w}{}", "a b".repeat(pad / 3 + 1), "ü".repeat(pad % 3));
                let t = format!("{}{w}dans", " ".repeat(pad));
                let u = format!("{}{w}", "les ".repeat(pad / 4));
                for x in [&s, &t, &u, &t[..pad.min(t.len())]] {
                    assert_eq!(super::ascii_counts(x), reference(x), "{x:?}");
                }
            }
        }
    }

    #[test]
    fn block_masks_mark_letters_and_leads() {
        let s = "aZ@[`{ 09\u{7f}é—“x”Ü".repeat(5);
        for blk in s.as_bytes().chunks(64) {
            let (letters, leads) = super::block_masks(blk);
            for (i, &c) in blk.iter().enumerate() {
                assert_eq!(letters >> i & 1 == 1, c.is_ascii_alphabetic(), "{i}");
                assert_eq!(leads >> i & 1 == 1, c >= 0xC0, "{i}");
            }
            if blk.len() < 64 {
                assert_eq!((letters >> blk.len(), leads >> blk.len()), (0, 0));
            }
        }
        assert_eq!(super::block_masks(&[]), (0, 0));
        assert_eq!(super::block_masks(&[b'a'; 64]).0, u64::MAX);
    }
}
