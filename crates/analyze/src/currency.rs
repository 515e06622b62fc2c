//! Currencies are ordinary nouns: `دولار`, `الجنيه الإسترليني`, `بالدينار التونسي` are no
//! entity names (the gold guide, `data/ner/gold/ANNOTATION.md`), though ANERcorp, which the
//! tagger learned from, tags some of them MISC. The tagger's spans that are a currency word
//! (`data/ner/currencies.txt`), typed MISC or followed by country adjectives, are dropped.

use std::sync::LazyLock;

use rased_kb::resolve::Candidate;
use rased_text::normalize::{normalize_str, Level};
use rustc_hash::FxHashSet;

static CURRENCIES: LazyLock<FxHashSet<String>> = LazyLock::new(|| {
    include_str!("../../../data/ner/currencies.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| normalize_str(l, Level::Match))
        .collect()
});

/// Proclitics and article a currency word may carry, longest first.
const PREFIXES: &[&str] = &[
    "وبال", "بال", "وال", "فال", "لل", "ال", "وب", "و", "ب", "ف", "ل", "",
];

fn is_currency_word(word: &str) -> bool {
    PREFIXES.iter().any(|p| {
        word.strip_prefix(p)
            .is_some_and(|rest| CURRENCIES.contains(rest))
    })
}

/// Is `text` a currency: a currency word, then nothing or country adjectives (…ي، …ية)?
pub fn is_currency(text: &str) -> bool {
    let norm = normalize_str(text, Level::Match);
    let mut words = norm.split_whitespace();
    words.next().is_some_and(is_currency_word)
        && words.all(|w| w.ends_with('ي') || w.ends_with("ية"))
}

/// `tagged` without the spans of `body` that are currencies. A lone currency word the tagger
/// calls an organisation is kept: `الريال` in a match report is Real Madrid; with a country
/// adjective (`الريال السعودي`) or typed MISC (ANERcorp's label for currencies) it is money.
pub fn drop_currencies(body: &str, tagged: Vec<Candidate>) -> Vec<Candidate> {
    tagged
        .into_iter()
        .filter(|c| {
            let text = &body[c.start..c.end];
            let money =
                is_currency(text) && (c.kind == "MISC" || text.contains(char::is_whitespace));
            !money
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::is_currency;

    #[test]
    fn currencies_with_clitics_and_country_adjectives() {
        for c in [
            "دولار",
            "بالدولار",
            "الجنيه الإسترليني",
            "والدينار التونسي",
            "ريالات",
        ] {
            assert!(is_currency(c), "{c}");
        }
        for n in ["الدولار الأمريكي ترامب", "دينا", "البنك المركزي", "اليونان"]
        {
            assert!(!is_currency(n), "{n}");
        }
    }
}
