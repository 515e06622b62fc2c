//! The text primitives on any string: normalization at every level (with its offset map),
//! tokens, clitic segmentation, stems, name keys, sentences, dates and the `Document`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rased_text::{normalize, tokenize, Document, Level};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let text = text.as_ref();
    for level in [Level::Display, Level::Match, Level::Search] {
        let n = normalize(text, level);
        for (i, c) in n.text.char_indices() {
            let r = n.to_original(i..i + c.len_utf8());
            assert!(r.start <= r.end && r.end <= text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        }
        assert!(n.to_original(0..n.text.len()).end <= text.len());
    }
    for t in tokenize::tokenize(text) {
        assert_eq!(&text[t.start..t.end], t.text);
        let seg = rased_text::segment::segment(t.text);
        let _ = rased_text::segment::segment_match_normalized(t.text);
        assert!(seg.parts().count() >= 1);
        let _ = rased_text::stem::search_stem(t.text);
        let _ = rased_text::namekey::name_key(t.text);
    }
    for r in rased_text::sentence::sentences(text) {
        assert!(r.start <= r.end && r.end <= text.len());
    }
    let reference = chrono::NaiveDate::from_ymd_opt(2025, 8, 25);
    for d in rased_text::date::find_dates(text, reference) {
        assert!(d.span.end <= text.len());
    }
    let _ = rased_text::date::parse_datetime(text);
    let _ = rased_text::date::parse_timestamp(text);
    for cap in [3, 1_000] {
        let doc = Document::with_max_sentence_tokens(text, reference, cap);
        for s in doc.sentences() {
            assert!(s.tokens.len() <= cap);
        }
        let _ = doc.cuts();
        let _ = doc.dates();
        let _ = doc.search_text();
    }
});
