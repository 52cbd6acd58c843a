//! Content-Type guessing as awscli does it (`guess_content_type`, which is
//! Python's `mimetypes.guess_type`): the interpreter's built-in tables
//! (generated into `data/mime_types.txt` by
//! `tools/catalog-gen/mime_types.py`), then the system's `mime.types`
//! files in Python's order (the executor reads them and passes their text
//! to [`MimeTypes::read`]), whose entries override the built-in ones.
//!
//! `guess_type` splits a `scheme:` prefix off first (so a key such as
//! `a:b.txt` is guessed from `b.txt`, and `data:` URLs name their own type),
//! maps `.tgz`-style suffixes, strips one encoding suffix (`.gz`,
//! case-sensitive), then looks the extension up as written and lower-cased.

use std::collections::HashMap;

const BUILTIN: &str = include_str!("../../data/mime_types.txt");

/// The tables `mimetypes` guesses from.
#[derive(Debug, Clone)]
pub struct MimeTypes {
    types: HashMap<String, String>,
    suffixes: HashMap<String, String>,
    encodings: HashMap<String, String>,
    known_files: Vec<String>,
}

impl MimeTypes {
    /// Python's built-in tables (no system file read yet).
    pub fn builtin() -> MimeTypes {
        let mut m = MimeTypes {
            types: HashMap::new(),
            suffixes: HashMap::new(),
            encodings: HashMap::new(),
            known_files: Vec::new(),
        };
        for line in BUILTIN.lines() {
            let w: Vec<&str> = line.split_whitespace().collect();
            match w.as_slice() {
                ["knownfile", p] => m.known_files.push(p.to_string()),
                ["suffix", e, r] => {
                    m.suffixes.insert(e.to_string(), r.to_string());
                }
                ["encoding", e, enc] => {
                    m.encodings.insert(e.to_string(), enc.to_string());
                }
                ["type", t, e] => {
                    m.types.insert(e.to_string(), t.to_string());
                }
                _ => {}
            }
        }
        m
    }

    /// The system files Python reads, in order (`mimetypes.knownfiles`).
    pub fn known_files(&self) -> &[String] {
        &self.known_files
    }

    /// Add the entries of a `mime.types` file (Python's `readfp`): each
    /// line is a type and its extensions; `#` starts a comment word.
    pub fn read(&mut self, text: &str) {
        for line in text.lines() {
            let mut words: Vec<&str> = Vec::new();
            for w in line.split_whitespace() {
                if w.starts_with('#') {
                    break;
                }
                words.push(w);
            }
            if let Some((t, exts)) = words.split_first() {
                for e in exts {
                    self.types.insert(format!(".{e}"), t.to_string());
                }
            }
        }
    }

    /// `mimetypes.guess_type(path)[0]`.
    pub fn guess_type(&self, path: &str) -> Option<String> {
        let url = match split_type(path) {
            (Some(scheme), rest) if scheme == "data" => return data_url_type(rest),
            (_, rest) => rest,
        };
        let (mut base, mut ext) = splitext(url);
        while let Some(r) = self.suffixes.get(&ext.to_lowercase()) {
            let joined = format!("{base}{r}");
            let (b, e) = splitext(&joined);
            base = b;
            ext = e;
        }
        if self.encodings.contains_key(&ext) {
            let (_, e) = splitext(&base);
            ext = e;
        }
        self.types.get(&ext.to_lowercase()).cloned()
    }
}

/// `urllib.parse._splittype`: `([^/:]+):(.*)`.
fn split_type(url: &str) -> (Option<String>, &str) {
    match url.find(':') {
        Some(i) if i > 0 && !url[..i].contains('/') => {
            (Some(url[..i].to_lowercase()), &url[i + 1..])
        }
        _ => (None, url),
    }
}

fn data_url_type(rest: &str) -> Option<String> {
    let comma = rest.find(',')?;
    let head = &rest[..comma];
    let t = match head.find(';') {
        Some(s) => &head[..s],
        None => head,
    };
    if t.contains('=') || !t.contains('/') {
        Some("text/plain".into())
    } else {
        Some(t.to_string())
    }
}

/// `posixpath.splitext`: leading dots of the last name are not an extension.
fn splitext(p: &str) -> (String, String) {
    let sep = p.rfind('/').map(|i| i as isize).unwrap_or(-1);
    let dot = p.rfind('.').map(|i| i as isize).unwrap_or(-1);
    if dot > sep {
        let name_start = (sep + 1) as usize;
        if p[name_start..dot as usize].chars().any(|c| c != '.') {
            let d = dot as usize;
            return (p[..d].to_string(), p[d..].to_string());
        }
    }
    (p.to_string(), String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_like_python() {
        let m = MimeTypes::builtin();
        for (p, t) in [
            ("/x/a.json", Some("application/json")),
            ("a.tar.gz", Some("application/x-tar")),
            ("a.TXT", Some("text/plain")),
            ("a.tgz", Some("application/x-tar")),
            ("foo:bar.txt", Some("text/plain")),
            ("data:image/png;base64,xx", Some("image/png")),
            ("data:abc", None),
            ("/w/.bashrc", None),
            ("/w/noext", None),
            ("/w.d/noext", None),
            ("a.html", Some("text/html")),
            ("a.gz", None),
        ] {
            assert_eq!(m.guess_type(p).as_deref(), t, "{p}");
        }
    }

    #[test]
    fn system_files_override() {
        let mut m = MimeTypes::builtin();
        assert!(m.known_files().iter().any(|f| f == "/etc/mime.types"));
        m.read("# comment\ntext/x-custom  json  abc # trailing\n\napplication/x-y\n");
        assert_eq!(m.guess_type("a.json").as_deref(), Some("text/x-custom"));
        assert_eq!(m.guess_type("a.ABC").as_deref(), Some("text/x-custom"));
    }
}
