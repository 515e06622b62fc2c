//! What every extraction target checks: extraction of any bytes returns (articles and typed
//! errors, never a panic), and every article it returns is well formed.

use rased_extract::{extract, ExtractOptions};

pub fn check(name: &str, bytes: &[u8]) {
    let opts = ExtractOptions {
        max_bytes: 1 << 20,
        ..ExtractOptions::default()
    };
    let out = extract(name, bytes, &opts);
    for a in &out.articles {
        assert!(!a.id.is_empty(), "an article without an id from {name}");
        for e in &a.entities {
            for m in &e.mentions {
                assert!(m.start <= m.end);
            }
        }
    }
    for e in &out.errors {
        assert!(!e.code().is_empty());
        assert!(!e.to_string().is_empty());
    }
}
