//! Embeds `rules/**/*.yaml` (converted to JSON) and `rules/lists/*.txt` into
//! the binary so that calque works with no files around it. Each rule's
//! explanation and examples (three fifths of the text) go apart, into one
//! table by rule id: `check` never reads them, `explain`, `test-rules` and
//! SARIF output parse the table when they first need it.
use std::path::{Path, PathBuf};

// The prefilter analysis of regexes, shared with the crate (see `digest`).
#[path = "src/kinds/literals.rs"]
#[allow(dead_code)]
mod literals;
#[path = "src/kinds/wordindex.rs"]
#[allow(dead_code)]
mod wordindex;
// How a regex is compiled forward, and its dense DFA (see `dfas`).
#[path = "src/kinds/prebuilt.rs"]
#[allow(dead_code)]
mod prebuilt;

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Move each rule's `explain` and `examples` out of a rule file into
/// `docs`, by rule id. A rule with no string id keeps them (calque reports
/// the id).
fn take_docs(file: &mut serde_json::Value, docs: &mut serde_json::Map<String, serde_json::Value>) {
    let Some(rules) = file.get_mut("rules").and_then(|r| r.as_array_mut()) else {
        return;
    };
    for rule in rules {
        let Some(r) = rule.as_object_mut() else {
            continue;
        };
        let Some(id) = r.get("id").and_then(|i| i.as_str()).map(str::to_string) else {
            continue;
        };
        let mut doc = serde_json::Map::new();
        for key in ["explain", "examples"] {
            if let Some(v) = r.remove(key) {
                doc.insert(key.to_string(), v);
            }
        }
        if !doc.is_empty() {
            docs.insert(id, serde_json::Value::Object(doc));
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut rules = String::from("pub static BUILTIN_RULES: &[(&str, &str)] = &[\n");
    let mut regexes: Vec<String> = Vec::new();
    let mut lists = String::from("pub static BUILTIN_LISTS: &[(&str, &str)] = &[\n");
    let mut indexes = String::from("pub static BUILTIN_INDEXES: &[(&str, &[u8])] = &[\n");
    let mut docs = serde_json::Map::new();
    let mut large: Vec<(String, String)> = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let ext = f.extension().and_then(|e| e.to_str()).unwrap_or("");
        if rel.starts_with("lists/") && ext == "txt" {
            let name = rel.trim_start_matches("lists/").trim_end_matches(".txt");
            lists.push_str(&format!(
                "    ({name:?}, include_str!({:?})),\n",
                f.display().to_string()
            ));
            // A large list's word index, built now rather than at start-up.
            let text = std::fs::read_to_string(f).unwrap();
            if text.len() > 1 << 20 {
                large.push((name.to_string(), text.clone()));
                let out = out_dir.join(format!("{name}.index"));
                std::fs::write(&out, wordindex::Index::new(&text).to_bytes()).unwrap();
                indexes.push_str(&format!(
                    "    ({name:?}, include_bytes!({:?})),\n",
                    out.display().to_string()
                ));
            }
        } else if ext == "yaml" || ext == "yml" {
            // Embed the rules as JSON, which parses several times faster than
            // YAML at every start; a file that does not convert is embedded as
            // written, so that calque reports its error with a location.
            let text = std::fs::read_to_string(f).unwrap();
            let mut value = serde_yaml::from_str::<serde_json::Value>(&text).ok();
            collect_regexes(value.as_ref(), &mut regexes);
            if let Some(v) = value.as_mut() {
                take_docs(v, &mut docs);
            }
            let path = match value.and_then(|v| serde_json::to_string(&v).ok()) {
                Some(json) => {
                    let out = out_dir.join(rel.replace('/', "__") + ".json");
                    std::fs::write(&out, json).unwrap();
                    out
                }
                None => f.clone(),
            };
            rules.push_str(&format!(
                "    ({rel:?}, include_str!({:?})),\n",
                path.display().to_string()
            ));
        }
    }
    rules.push_str("];\n");
    lists.push_str("];\n");
    indexes.push_str("];\n");
    // For each large list, the keys of the frequent English words
    // (`en-common`) that it does not hold: the foreign-words rule's quick
    // rejection set, made here rather than by 4,800 list lookups at every
    // start (6% of checking an empty file).
    let common = std::fs::read_to_string(root.join("lists/en-common.txt")).unwrap_or_default();
    let mut common_keys = String::from("pub static BUILTIN_COMMON_KEYS: &[(&str, &[u8])] = &[\n");
    for (name, text) in &large {
        let held: std::collections::HashSet<&str> =
            text.lines().map(|l| l.trim_end_matches('\r')).collect();
        let mut bytes = Vec::new();
        for w in common
            .lines()
            .filter(|w| !w.is_empty() && !held.contains(w))
        {
            if let Some(k) = wordindex::short_key(w.as_bytes()) {
                bytes.extend_from_slice(&k.to_le_bytes());
            }
        }
        let out = out_dir.join(format!("{name}.common-keys"));
        std::fs::write(&out, bytes).unwrap();
        common_keys.push_str(&format!(
            "    ({name:?}, include_bytes!({:?})),\n",
            out.display().to_string()
        ));
    }
    common_keys.push_str("];\n");
    let docs_path = out_dir.join("builtin_docs.json");
    std::fs::write(&docs_path, serde_json::Value::Object(docs).to_string()).unwrap();
    let docs = format!(
        "pub static BUILTIN_DOCS: &str = include_str!({:?});\n",
        docs_path.display().to_string()
    );
    let out = out_dir.join("builtin_rules.rs");
    std::fs::write(out, rules + &lists + &indexes + &docs + &common_keys).unwrap();
    regexes.sort();
    regexes.dedup();
    // Parsed once for both tables. A regex that does not parse is left
    // out of both: calque then parses it at run time and reports the
    // error with its location.
    let parsed: Vec<(&str, regex_syntax::hir::Hir)> = regexes
        .iter()
        .filter_map(|re| Some((re.as_str(), regex_syntax::parse(re).ok()?)))
        .collect();
    let table = digest(&parsed) + &dfas(&parsed, &out_dir);
    std::fs::write(out_dir.join("regex_digests.rs"), table).unwrap();
}

/// The regexes of the pattern and boilerplate rules of a rule file, as the
/// engine compiles them.
fn collect_regexes(value: Option<&serde_json::Value>, out: &mut Vec<String>) {
    let rules = value
        .and_then(|v| v.get("rules"))
        .and_then(|r| r.as_array());
    for r in rules.into_iter().flatten() {
        let kind = r.get("kind").and_then(|k| k.as_str()).unwrap_or("");
        if let Some(re) = r.get("regex").and_then(|x| x.as_str()) {
            match kind {
                "boilerplate" => out.push(format!("(?m){re}")),
                "pattern" => out.push(re.to_string()),
                _ => {}
            }
        }
    }
}

/// The analysis of every built-in regex (`src/kinds/literals.rs`), done
/// here once instead of at every start-up, keyed by the regex source.
fn digest(regexes: &[(&str, regex_syntax::hir::Hir)]) -> String {
    let mut table = String::from(
        "/// Analysis of the built-in regexes (generated by build.rs).\n\
         pub static REGEX_DIGESTS: &[(&str, crate::kinds::literals::Digest)] = &[\n",
    );
    for (re, hir) in regexes {
        let fmt = |r: &literals::Required| {
            format!(
                "Some((&{:?}, {}, {}, {}))",
                r.literals, r.case_sensitive, r.word_start, r.word_end
            )
        };
        let req = literals::required(hir);
        let lits = req.as_ref().map_or("None".into(), fmt);
        let also = req
            .as_ref()
            .and_then(|r| r.also.as_deref())
            .map_or("None".into(), fmt);
        let needs: Vec<[u64; 4]> = literals::needs(hir).into_iter().map(|s| s.0).collect();
        let mut names = Vec::new();
        literals::capture_names(hir, &mut names);
        let safe = literals::ascii_safe(hir);
        let trio = literals::trio(hir).map(|t| (t.before.0, t.mid.0, t.after.0));
        let word_lead = literals::word_lead(hir).map(|s| s.0);
        let literals::Reach {
            min_len,
            max_len,
            max_spaces,
            alphabet: literals::ByteSet(alphabet),
        } = literals::Reach::of(hir);
        table.push_str(&format!(
            "    ({re:?}, crate::kinds::literals::Digest {{ literals: {lits}, also: {also}, \
             needs: &{needs:?}, ascii_safe: {safe}, names: &{names:?}, \
             reach: crate::kinds::literals::Reach {{ min_len: {min_len}, max_len: {max_len:?}, \
             max_spaces: {max_spaces:?}, \
             alphabet: crate::kinds::literals::ByteSet({alphabet:?}) }}, trio: {trio:?}, \
             word_lead: {word_lead:?} }}),\n"
        ));
    }
    table.push_str("];\n");
    table
}

/// The dense DFAs (`src/kinds/prebuilt.rs`) of the built-in regexes as
/// the run time compiles them: for the ASCII view when a regex runs there,
/// else with Unicode, with its pretest (`literals::relaxed`) too. Those
/// within the size limit lie in one file, each at an offset that is a
/// multiple of 8 (`dense::DFA::from_bytes` needs its bytes aligned),
/// included in the binary, with a table by source and view.
fn dfas(regexes: &[(&str, regex_syntax::hir::Hir)], out_dir: &Path) -> String {
    let mut wanted: Vec<(String, bool)> = Vec::new();
    for (re, hir) in regexes {
        if literals::ascii_safe(hir) {
            wanted.push((re.to_string(), true));
        } else {
            wanted.push((re.to_string(), false));
            if let Some(relaxed) = literals::relaxed(hir) {
                wanted.push((relaxed.to_string(), false));
            }
        }
    }
    wanted.sort();
    wanted.dedup();
    let mut blob: Vec<u8> = Vec::new();
    let mut table = String::from(
        "/// Dense DFAs of the built-in regexes, by source and view \
         (generated by build.rs).\n\
         pub static REGEX_DFAS: &[(&str, bool, Prebuilt)] = &[\n",
    );
    for (re, ascii) in &wanted {
        let Some((bytes, min_len, max_len)) = prebuilt::dense_dfa(re, *ascii) else {
            continue;
        };
        while !blob.len().is_multiple_of(8) {
            blob.push(0);
        }
        table.push_str(&format!(
            "    ({re:?}, {ascii}, Prebuilt {{ at: {}, len: {}, min_len: {min_len}, max_len: {max_len:?} }}),\n",
            blob.len(),
            bytes.len()
        ));
        blob.extend_from_slice(&bytes);
    }
    table.push_str("];\n");
    let path = out_dir.join("regex_dfas.bin");
    std::fs::write(&path, blob).unwrap();
    table.push_str(&format!(
        "/// The bytes of `REGEX_DFAS`.\n\
         static REGEX_DFA_BYTES: &Aligned<[u8]> = &Aligned {{ _align: [], bytes: *include_bytes!({:?}) }};\n",
        path.display().to_string()
    ));
    table
}
