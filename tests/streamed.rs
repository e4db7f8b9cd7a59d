//! A long plain-text file is read and checked piece by piece, and its report
//! keeps only the lines of its findings: every output must be the one a
//! whole read gives (standard input is read whole), and bad bytes anywhere
//! must give the error a whole read gives.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn calque(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_calque"))
        .args(args)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = stdin.unwrap_or_default().to_vec();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("calque-streamed-{}-{}", name, std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// About 2.6 MB of the seed article, with a byte-order mark, CRLF lines in
/// one copy, and multi-byte text: several pieces.
fn long_text() -> String {
    let seed = std::fs::read_to_string("fixtures/seed/article.en.txt").unwrap();
    let part = format!("{}\n\n", seed.trim_end());
    let mut t = String::from("\u{FEFF}");
    while t.len() < 2_600_000 {
        t.push_str(&part);
        t.push_str("Un été à Paris — « très » chaud.\r\nThe Kremlin’s spokesman said.\n\n");
    }
    t
}

#[test]
fn a_long_file_read_in_pieces_reports_what_a_whole_read_reports() {
    let text = long_text();
    let d = tmpdir("same");
    let p = d.join("long.txt");
    std::fs::write(&p, &text).unwrap();
    let path = p.to_str().unwrap();
    for (format, threads) in [
        ("json", "1"),
        ("json", "2"),
        ("human", "2"),
        ("sarif", "2"),
        ("rdjson", "2"),
    ] {
        let args = |file: &str| -> Vec<String> {
            [
                "check",
                "--no-config",
                "--color",
                "never",
                "--threads",
                threads,
                "--format",
                format,
                "--stdin-filename",
                path,
                file,
            ]
            .iter()
            .map(|s| s.to_string())
            .collect()
        };
        let a = args(path);
        let streamed = calque(&a.iter().map(String::as_str).collect::<Vec<_>>(), None);
        let a = args("-");
        let whole = calque(
            &a.iter().map(String::as_str).collect::<Vec<_>>(),
            Some(text.as_bytes()),
        );
        assert_eq!(streamed.status.code(), Some(1), "{format}");
        assert_eq!(whole.status.code(), Some(1), "{format}");
        assert!(streamed.stdout.len() > 10_000, "{format}");
        assert!(
            streamed.stdout == whole.stdout,
            "{format}, {threads} threads: the streamed report differs"
        );
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bad_bytes_in_a_later_piece_are_the_files_error() {
    let text = long_text();
    let d = tmpdir("bad");
    let check = |bytes: &[u8]| -> (Option<i32>, String) {
        let p = d.join("bad.txt");
        std::fs::write(&p, bytes).unwrap();
        let o = calque(
            &[
                "check",
                "--no-config",
                "--format",
                "json",
                p.to_str().unwrap(),
            ],
            None,
        );
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        let msg = v["summary"]["file_errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        assert_eq!(v["findings"].as_array().map(Vec::len), Some(0));
        (o.status.code(), msg)
    };
    // Invalid UTF-8 past the first piece: its offset in the file.
    let mut b = text.clone().into_bytes();
    let at = 2_400_000;
    b[at] = 0xFF;
    let (code, msg) = check(&b);
    assert_eq!(code, Some(2));
    assert!(
        msg.contains(&format!("invalid UTF-8 at byte offset {at}")),
        "{msg}"
    );
    // A NUL byte after it makes the file binary, as a whole read says.
    let nul = b.len() - 10;
    b[nul] = 0;
    let (code, msg) = check(&b);
    assert_eq!(code, Some(2));
    assert!(msg.contains(&format!("NUL byte at offset {nul}")), "{msg}");
    let _ = std::fs::remove_dir_all(&d);
}
