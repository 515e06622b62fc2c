//! `extract` must never panic: random bytes, random markup-ish text, and real fixtures cut
//! at arbitrary points (plain and gzip-compressed).

mod common;

use std::io::Write;

use proptest::prelude::*;
use rased_extract::{extract, ExtractOptions};

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = extract("random", &bytes, &ExtractOptions::default());
    }

    #[test]
    fn random_markup(s in "(<[a-z]{1,6}( [a-z]+=\"[^\"]{0,8}\")?>|</[a-z]{1,6}>|[ءابتثجحخدذرسشصضطظعغفقكلمنهوي ،.:\\-()\n]{0,20}|&[a-z#0-9]{0,6};?|WARC/1.0\r\n|\\{\"title\":|\\[){0,60}") {
        let _ = extract("markup", s.as_bytes(), &ExtractOptions::default());
        let _ = extract("markup.gz", &gz(s.as_bytes()), &ExtractOptions::default());
    }

    #[test]
    fn gzip_of_random_bytes_cut(bytes in proptest::collection::vec(any::<u8>(), 0..1024), cut in 0usize..1100) {
        let z = gz(&bytes);
        let cut = cut.min(z.len());
        let _ = extract("cut.gz", &z[..cut], &ExtractOptions::default());
    }
}

#[test]
fn truncated_real_files() {
    let Some(sh) = common::shared() else { return };
    let files = [
        "examples/seed-page.txt",
        "data/html/newspaper4k/arabic_article.html",
        "data/html/derived/encoding/cnn_arabic_cp1256_nometa.html",
        "data/html/trafilatura/assabah.com.tn.article.html",
        "data/html/derived/rss/BBC.rss.xml",
        "data/html/derived/rss/jawharafm.atom.xml",
    ];
    for f in files {
        let bytes = std::fs::read(sh.join(f)).unwrap();
        let z = gz(&bytes);
        for k in 0..=13 {
            let cut = bytes.len() * k / 13;
            let _ = extract(f, &bytes[..cut], &ExtractOptions::default());
            let zc = z.len() * k / 13;
            let _ = extract(f, &z[..zc], &ExtractOptions::default());
        }
    }
}
