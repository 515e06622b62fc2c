//! Property tests for the text invariants the rest of rased relies on.

use proptest::prelude::*;
use rased_text::normalize::{normalize, normalize_str, Level};
use rased_text::sentence::sentences;
use rased_text::tokenize::tokenize;

/// Strings biased towards Arabic news text: Arabic letters, tashkeel, tatweel, digits of three
/// scripts, punctuation, bidi marks, presentation forms, Latin and spaces.
fn arabic_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "ا",
        "أ",
        "إ",
        "آ",
        "ٱ",
        "ب",
        "ة",
        "ه",
        "ى",
        "ي",
        "و",
        "ؤ",
        "ئ",
        "ء",
        "ق",
        "ك",
        "ل",
        "ال",
        "\u{064E}",
        "\u{0651}",
        "\u{0652}",
        "\u{0653}",
        "\u{0654}",
        "\u{0670}",
        "ـ",
        "٢",
        "۴",
        "9",
        "٫",
        "٬",
        ".",
        "،",
        "؟",
        "«",
        "»",
        "“",
        "”",
        "\u{200F}",
        "\u{202B}",
        "\u{FEFB}",
        "\u{FE8D}",
        "a",
        "Z",
        "-",
        "#",
        "@",
        "https://x.y/z",
        " ",
        " ",
        "\n",
        "é",
        "e\u{0301}",
        "😀",
        "\u{2126}",
        "\u{0301}",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|v| v.concat())
}

/// Text made of date words, numbers and separators, in any order: the date scanner's input.
fn date_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "25",
        "٢٥",
        "7",
        "2025",
        "1447",
        "99",
        "0",
        "أغسطس",
        "آب",
        "يناير",
        "كانون",
        "الثاني",
        "رمضان",
        "هـ",
        "م",
        "أمس",
        "اليوم",
        "الماضي",
        "المقبل",
        "الجاري",
        "الاثنين",
        "يوم",
        "الشهر",
        "العام",
        "مطلع",
        "أواخر",
        "منذ",
        "قبل",
        "بعد",
        "أيام",
        "ساعة",
        "الساعة",
        "صباحا",
        "/",
        "-",
        ".",
        ":",
        "،",
        " ",
        " ",
        "August",
        "Aug",
        "2nd",
        "GMT",
        "+03:00",
    ]);
    prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
}

fn levels() -> impl Strategy<Value = Level> {
    prop::sample::select(vec![Level::Display, Level::Match, Level::Search])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn normalization_is_idempotent(text in arabic_text(), level in levels()) {
        let once = normalize_str(&text, level);
        prop_assert_eq!(normalize_str(&once, level), once);
    }

    #[test]
    fn the_plain_text_shortcut_folds_like_the_general_path(text in arabic_text(), level in levels()) {
        prop_assert_eq!(
            normalize_str(&text, level),
            rased_text::normalize::normalize_str_general(&text, level)
        );
    }

    #[test]
    fn the_shortcut_agrees_on_any_unicode(text in "\\PC{0,30}", level in levels()) {
        prop_assert_eq!(
            normalize_str(&text, level),
            rased_text::normalize::normalize_str_general(&text, level)
        );
    }

    #[test]
    fn normalization_is_idempotent_on_any_unicode(text in "\\PC{0,30}", level in levels()) {
        let once = normalize_str(&text, level);
        prop_assert_eq!(normalize_str(&once, level), once);
    }

    #[test]
    fn offset_map_lands_on_char_boundaries_and_round_trips(text in arabic_text(), level in levels()) {
        let n = normalize(&text, level);
        prop_assert_eq!(&n.text, &normalize_str(&text, level));
        let mut previous_end = 0;
        for (ch, origin) in n.text.chars().zip(n.char_origins()) {
            prop_assert!(text.is_char_boundary(origin.start) && text.is_char_boundary(origin.end));
            prop_assert!(origin.start < origin.end && origin.start >= previous_end.min(origin.start));
            // Normalizing the original slice gives back (a string containing) this char.
            prop_assert!(normalize_str(&text[origin.clone()], level).contains(ch));
            previous_end = origin.end;
        }
        // Any span of normalized tokens maps to an original slice that normalizes to it.
        for token in tokenize(&n.text) {
            let r = n.to_original(token.start..token.end);
            prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            let back = normalize_str(&text[r], level);
            prop_assert!(back.contains(token.text), "{:?} !⊂ {:?}", token.text, back);
        }
    }

    #[test]
    fn tokenizing_loses_no_visible_char(text in arabic_text()) {
        let tokens = tokenize(&text);
        let joined: String = tokens.iter().map(|t| t.text).collect();
        let expected: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(joined, expected);
        for t in &tokens {
            prop_assert_eq!(&text[t.start..t.end], t.text);
            prop_assert_eq!(t.char_start, text[..t.start].chars().count());
            prop_assert_eq!(t.char_end - t.char_start, t.text.chars().count());
        }
    }

    #[test]
    fn sentences_cover_all_visible_text(text in arabic_text()) {
        let ranges = sentences(&text);
        let joined: String = ranges.iter().map(|r| &text[r.clone()]).collect();
        let expected: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let got: String = joined.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert_eq!(got, expected);
        for pair in ranges.windows(2) {
            prop_assert!(pair[0].end <= pair[1].start);
        }
    }

    #[test]
    fn stemming_never_panics_and_is_stable(text in arabic_text()) {
        for t in tokenize(&text) {
            let stem = rased_text::stem::search_stem(t.text);
            prop_assert_eq!(normalize_str(&stem, Level::Search), stem.clone());
        }
    }
    /// Segmentation only cuts: the parts of every token give the token back, whatever its
    /// spelling or length.
    #[test]
    fn segmentation_parts_concatenate_to_the_word(text in arabic_text()) {
        for t in tokenize(&text) {
            let seg = rased_text::segment::segment(t.text);
            prop_assert_eq!(seg.parts().collect::<String>(), t.text);
            let norm = normalize_str(t.text, Level::Match);
            let seg = rased_text::segment::segment_match_normalized(&norm);
            prop_assert_eq!(seg.parts().collect::<String>(), norm.clone());
        }
    }

    /// Date expressions lie inside the text on char boundaries, in order and apart.
    #[test]
    fn date_spans_are_in_order_inside_the_text(
        text in prop_oneof![arabic_text(), date_text()],
        day in 0u32..20_000,
    ) {
        let reference = chrono::NaiveDate::from_num_days_from_ce_opt(730_000 + day as i32);
        let found = rased_text::date::find_dates(&text, reference);
        for d in &found {
            prop_assert!(d.span.start < d.span.end && d.span.end <= text.len());
            prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end));
        }
        for pair in found.windows(2) {
            prop_assert!(pair[0].span.end <= pair[1].span.start);
        }
        let _ = rased_text::date::parse_date(&text, reference);
    }

    /// The sentence cap only regroups tokens: the same tokens, sentences of at most `cap`
    /// tokens, consistent offsets.
    #[test]
    fn the_sentence_cap_only_regroups_tokens(text in arabic_text(), cap in 1usize..8) {
        use rased_text::Document;
        let capped = Document::with_max_sentence_tokens(&text, None, cap);
        let whole = Document::with_max_sentence_tokens(&text, None, usize::MAX);
        let spans = |d: &Document| d.tokens().iter().map(|t| (t.start, t.end)).collect::<Vec<_>>();
        prop_assert_eq!(spans(&capped), spans(&whole));
        for (i, s) in capped.sentences().iter().enumerate() {
            prop_assert!(s.tokens.len() <= cap);
            prop_assert!(s.bytes.end <= text.len());
            for t in capped.sentence_tokens(i) {
                prop_assert_eq!(t.sentence as usize, i);
                prop_assert!(s.bytes.start <= t.start && t.end <= s.bytes.end);
            }
        }
    }
}

/// The shortcut and the general path agree on real news text (the bundled sample corpus).
#[test]
fn the_shortcut_agrees_on_the_sample_corpus() {
    let sample = include_str!("../../../data/samples/ant-multisource-sample.jsonl");
    let mut lines = 0;
    for line in sample.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for field in ["title", "text"] {
            let Some(text) = v[field].as_str() else {
                continue;
            };
            for level in [Level::Match, Level::Search] {
                assert_eq!(
                    normalize_str(text, level),
                    rased_text::normalize::normalize_str_general(text, level),
                    "{text}"
                );
            }
            lines += 1;
        }
    }
    assert!(lines >= 200);
}
