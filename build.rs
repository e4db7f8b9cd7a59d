//! Embeds `rules/**/*.yaml` (converted to JSON) and `rules/lists/*.txt` into
//! the binary so that calque works with no files around it.
use std::path::{Path, PathBuf};

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

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("rules");
    println!("cargo:rerun-if-changed=rules");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut rules = String::from("pub static BUILTIN_RULES: &[(&str, &str)] = &[\n");
    let mut lists = String::from("pub static BUILTIN_LISTS: &[(&str, &str)] = &[\n");
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
        } else if ext == "yaml" || ext == "yml" {
            // Embed the rules as JSON, which parses several times faster than
            // YAML at every start; a file that does not convert is embedded as
            // written, so that calque reports its error with a location.
            let text = std::fs::read_to_string(f).unwrap();
            let path = match serde_yaml::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| serde_json::to_string(&v).ok())
            {
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
    let out = out_dir.join("builtin_rules.rs");
    std::fs::write(out, rules + &lists).unwrap();
}
