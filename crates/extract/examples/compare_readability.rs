//! Compares rased's own block scorer with `dom_smoothie` (a Readability.js port) on the HTML
//! fixtures with ground truth: body token F1, must/must-not snippets, time per page.
//!
//! ```text
//! cargo run --release -p rased-extract --features compare-readability --example compare_readability -- ../shared/data/html
//! ```

use std::path::Path;
use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;

/// Bag-of-tokens F1, as the fixture tests measure it.
fn f1(got: &str, want: &str) -> f64 {
    common::token_f1(got, want).2
}

fn ours(bytes: &[u8]) -> String {
    let ex = rased_extract::extract(
        "page.html",
        bytes,
        &rased_extract::ExtractOptions::default(),
    );
    let Some(a) = ex.articles.into_iter().next() else {
        return String::new();
    };
    match a.dateline {
        Some(d) => format!(
            "{} ({}) -- {}",
            d.place.unwrap_or_default(),
            d.outlet.unwrap_or_default(),
            a.body
        ),
        None => a.body,
    }
}

fn theirs(bytes: &[u8]) -> String {
    let text = rased_extract::charset::decode(bytes, None).text;
    match dom_smoothie::Readability::new(text, None, None).and_then(|mut r| r.parse()) {
        Ok(a) => a.text_content.to_string(),
        Err(_) => String::new(),
    }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: compare_readability SHARED/data/html");
    let dir = Path::new(&dir);
    let read = |p: &str| std::fs::read(dir.join(p)).expect("fixture");
    let cnn = String::from_utf8(read("newspaper4k/arabic_article.txt")).unwrap();
    let lbc: serde_json::Value =
        serde_json::from_slice(&read("fundus/LBCGroup.expected.json")).unwrap();
    let lbc = common::fundus_lbc_body(&lbc);
    let cases: Vec<(&str, &str)> = vec![
        ("newspaper4k/arabic_article.html", &cnn),
        ("derived/encoding/cnn_arabic_cp1256.html", &cnn),
        ("derived/encoding/cnn_arabic_cp1256_nometa.html", &cnn),
        ("fundus/LBCGroup_2026_01_08.html", &lbc),
    ];
    type Extractor = fn(&[u8]) -> String;
    let extractors: [(&str, Extractor); 3] = [
        ("rased", ours),
        ("dom_smoothie", theirs),
        ("rased warm", ours),
    ];
    for (name, f) in extractors {
        let mut time = 0.0;
        for (file, want) in &cases {
            let bytes = read(file);
            let t = Instant::now();
            let got = f(&bytes);
            let dt = t.elapsed().as_secs_f64();
            time += dt;
            println!(
                "{name:>12} {file}: body F1 {:.3} ({:.1} ms)",
                f1(&got, want),
                dt * 1000.0
            );
        }
        let exp: serde_json::Value =
            serde_json::from_slice(&read("trafilatura/assabah.com.tn.article.expected.json"))
                .unwrap();
        let exp = exp.as_object().unwrap().values().next().unwrap().clone();
        let bytes = read("trafilatura/assabah.com.tn.article.html");
        let t = Instant::now();
        let got = f(&bytes);
        time += t.elapsed().as_secs_f64();
        let with = exp["with"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| got.contains(s.as_str().unwrap()))
            .count();
        let without = exp["without"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| !got.contains(s.as_str().unwrap()))
            .count();
        println!("{name:>12} trafilatura/assabah: with {with}/3, without {without}/3");
        println!("{name:>12} total time {:.1} ms for 5 pages", time * 1000.0);
    }
}
