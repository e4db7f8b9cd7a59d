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

/// A word of up to 8 bytes as an integer (zero padded), for a lookup with
/// no string comparisons.
fn key(w: &[u8]) -> Option<u64> {
    (w.len() <= 8).then(|| {
        let mut b = [0u8; 8];
        b[..w.len()].copy_from_slice(w);
        u64::from_le_bytes(b)
    })
}

/// `w` (lower case) is one of `FOREIGN`.
fn is_function_word(w: &str) -> bool {
    key(w.as_bytes()).is_some_and(is_function_key)
}

/// `k` is the `key` of one of `FOREIGN`.
fn is_function_key(k: u64) -> bool {
    static SET: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut v: Vec<u64> = FOREIGN.iter().filter_map(|f| key(f.as_bytes())).collect();
        v.sort_unstable();
        v
    })
    .binary_search(&k)
    .is_ok()
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
        if s.is_ascii() || !s.chars().any(|c| !c.is_ascii() && c.is_alphabetic()) {
            // No accented words (curly quotes and dashes separate words
            // either way): only the share of function words counts.
            // Split on bytes; a word of up to 8 letters is looked up as an
            // integer, lower-cased on the fly.
            let (mut words, mut foreign) = (0usize, 0usize);
            for w in s.as_bytes().split(|b| !b.is_ascii_alphabetic()) {
                if w.is_empty() {
                    continue;
                }
                words += 1;
                if w.len() <= 8 {
                    let mut b = [0u8; 8];
                    for (d, c) in b.iter_mut().zip(w) {
                        *d = c.to_ascii_lowercase();
                    }
                    foreign += usize::from(is_function_key(u64::from_le_bytes(b)));
                }
            }
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
        assert!(super::FOREIGN.iter().all(|w| super::is_function_word(w)));
        for w in ["the", "and", "les2", "", "lesx", "étaient"] {
            assert!(!super::is_function_word(w), "{w}");
        }
    }
}
