//! The seed article: every `must` defect of fixtures/seed/expected.yaml is
//! hit with a suggestion, at least 6 `should` ones are hit, at most 2
//! findings match nothing annotated, and positions are exact.

use std::process::Command;

fn calque() -> Command {
    Command::new(env!("CARGO_BIN_EXE_calque"))
}

struct Defect {
    id: String,
    line: usize,
    text: String,
    occurrence: usize,
    level: String,
}

/// A tiny reader for the annotation file (one level of `- key: value`).
fn load_expected() -> Vec<Defect> {
    let src = std::fs::read_to_string("fixtures/seed/expected.yaml").unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&src).unwrap();
    v["defects"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|d| Defect {
            id: d["id"].as_str().unwrap().to_string(),
            line: d["line"].as_u64().unwrap() as usize,
            text: d["text"].as_str().unwrap().to_string(),
            occurrence: d["occurrence"].as_u64().unwrap_or(1) as usize,
            level: d["level"].as_str().unwrap().to_string(),
        })
        .collect()
}

fn json_findings(path: &str) -> (serde_json::Value, i32) {
    let out = calque()
        .args(["check", "--format", "json", path])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    (v, out.status.code().unwrap())
}

#[test]
fn seed_article_hits_the_annotation() {
    let text = std::fs::read_to_string("fixtures/seed/article.en.txt").unwrap();
    let (v, code) = json_findings("fixtures/seed/article.en.txt");
    assert_eq!(code, 1, "findings at warning or above exit 1");
    assert_eq!(v["version"], 1);
    let findings = v["findings"].as_array().unwrap();
    // Only findings at the default gate count, as in the scorer.
    let gated: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["severity"] != "info")
        .collect();
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let mut used = vec![false; gated.len()];
    let (mut must, mut should, mut n_must, mut n_should) = (0, 0, 0, 0);
    for d in load_expected() {
        let ls = line_starts[d.line - 1];
        let line_text = &text[ls..];
        let mut idx = 0;
        let mut from = 0;
        for _ in 0..d.occurrence {
            idx = from
                + line_text[from..]
                    .find(&d.text)
                    .unwrap_or_else(|| panic!("{} not on its line", d.id));
            from = idx + 1;
        }
        let (s, e) = (ls + idx, ls + idx + d.text.len());
        let hits: Vec<usize> = gated
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f["start"].as_u64().unwrap() < e as u64 && f["end"].as_u64().unwrap() > s as u64
            })
            .map(|(i, _)| i)
            .collect();
        for &i in &hits {
            used[i] = true;
        }
        if d.level == "must" {
            n_must += 1;
            assert!(!hits.is_empty(), "must defect {} not hit", d.id);
            assert!(
                hits.iter()
                    .any(|&i| !gated[i]["suggestions"].as_array().unwrap().is_empty()),
                "must defect {} hit without a suggestion",
                d.id
            );
            // The hit is on the annotated line.
            assert!(
                hits.iter()
                    .any(|&i| gated[i]["line"].as_u64().unwrap() as usize == d.line),
                "{}",
                d.id
            );
            must += 1;
        } else {
            n_should += 1;
            if !hits.is_empty() {
                should += 1;
            }
        }
    }
    assert_eq!((must, n_must), (9, 9));
    assert!(should >= 6, "only {should}/{n_should} should defects hit");
    let extra = used.iter().filter(|u| !**u).count();
    assert!(extra <= 2, "{extra} findings match nothing annotated");
}

#[test]
fn seed_positions_are_exact() {
    let text = std::fs::read_to_string("fixtures/seed/article.en.txt").unwrap();
    let (v, _) = json_findings("fixtures/seed/article.en.txt");
    for f in v["findings"].as_array().unwrap() {
        let (s, e) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e) && s < e);
        // line/column agree with the byte offset (columns in chars).
        let line = f["line"].as_u64().unwrap() as usize;
        let col = f["column"].as_u64().unwrap() as usize;
        let ls = text[..s].rfind('\n').map(|i| i + 1).unwrap_or(0);
        assert_eq!(text[..s].matches('\n').count() + 1, line);
        assert_eq!(text[ls..s].chars().count() + 1, col);
    }
    let find = |rule: &str| -> Vec<serde_json::Value> {
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == rule)
            .cloned()
            .collect()
    };
    let pretend = &find("fr-en/false-friend/pretend")[0];
    assert_eq!(
        (pretend["line"].as_u64(), pretend["column"].as_u64()),
        (Some(13), Some(406))
    );
    assert_eq!(pretend["suggestions"][0]["replacement"], "claiming");
    let rc = &find("fr-en/calque/reportive-conditional")[0];
    assert_eq!(
        (rc["line"].as_u64(), rc["column"].as_u64()),
        (Some(9), Some(165))
    );
    assert_eq!(rc["suggestions"][0]["replacement"], "He reportedly tried");
    let rev = &find("typography/quotes/reversed")[0];
    assert_eq!(
        (rev["line"].as_u64(), rev["column"].as_u64()),
        (Some(7), Some(48))
    );
    assert_eq!(rev["suggestions"][0]["replacement"], "“around twenty”");
    let mm = &find("typography/quotes/mismatched")[0];
    assert_eq!(mm["line"].as_u64(), Some(17));
    assert_eq!(mm["suggestions"][0]["replacement"], "”");
    let trailer = &find("boilerplate/scraper-source")[0];
    assert_eq!(
        (trailer["line"].as_u64(), trailer["column"].as_u64()),
        (Some(21), Some(1))
    );
    assert_eq!(find("boilerplate/read-also").len(), 3);
}

#[test]
fn clean_paragraph_exits_zero() {
    let dir = std::env::temp_dir().join(format!("calque-clean-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("clean.txt");
    std::fs::write(
        &p,
        "The European Central Bank left interest rates unchanged on Thursday, saying inflation was \
         easing faster than expected. “We are not declaring victory,” its president told reporters in \
         Frankfurt, adding that the bank would decide on the next steps meeting by meeting.\n",
    )
    .unwrap();
    let out = calque().arg(&p).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
