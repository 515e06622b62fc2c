//! The word lists of the event coder (`data/events/*.txt`, documented in
//! `data/events/README.md`), embedded with `include_str!` and parsed once.
//!
//! Every list is compared against match-normalized tokens, so its words are match-normalized
//! on load ([`norm`]) the same way.

use std::sync::LazyLock;

use rustc_hash::FxHashSet;

use super::lexicon::norm;

/// A set of match-normalized words.
#[derive(Debug)]
pub(crate) struct WordList(FxHashSet<String>);

impl WordList {
    /// One word per line; blank lines and lines starting with `#` are skipped.
    pub(crate) fn parse(text: &str) -> Self {
        WordList(
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(norm)
                .collect(),
        )
    }

    pub(crate) fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }
}

macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub(crate) static $name: LazyLock<WordList> = LazyLock::new(|| {
            WordList::parse(include_str!(concat!("../../../../data/events/", $file)))
        });
    };
}

word_list!(
    /// لم، لن، لا، ما، ليس، عدم، دون …
    NEG,
    "negation.txt"
);
word_list!(
    /// سوف، المقرر، يعتزم، المقبل …
    FUTURE_WORDS,
    "future.txt"
);
word_list!(
    /// إذا، لو، حال، ربما، قد …
    HYPO,
    "hypothetical.txt"
);
word_list!(
    /// المتكررة، المستمرة … after a trigger.
    GENERIC_AFTER,
    "generic_after.txt"
);
word_list!(
    /// تشهد، تعاني … before a trigger.
    GENERIC_BEFORE,
    "generic_before.txt"
);
word_list!(
    /// أجل، بهدف، سعيا، كي …
    PURPOSE,
    "purpose.txt"
);
word_list!(
    /// مع، على، ضد، لدى، بحق …: the recipient.
    RECIP_WORDS,
    "recipient_preps.txt"
);
word_list!(
    /// في، داخل، قرب، شمال …: a place.
    PLACE_WORDS,
    "place_preps.txt"
);
word_list!(
    /// من، بقيادة، برئاسة …: part of the noun phrase before.
    MODIFIER_WORDS,
    "modifier_words.txt"
);
word_list!(
    /// منطقة، مدينة، العاصمة …
    PLACE_NOUNS,
    "place_nouns.txt"
);
word_list!(
    /// الشرطة، محتجين، مدنيين …: common nouns naming participants when no name does.
    AGENT_NOUNS,
    "agent_nouns.txt"
);
word_list!(
    /// Prepositions, conjunctions, pronouns, time words, numbers …
    FUNCTION_WORDS,
    "function_words.txt"
);
word_list!(
    /// إياه، إياها …
    PRONOUN_OBJ,
    "object_pronouns.txt"
);
word_list!(
    /// Prepositions after which a verb form is a noun.
    NOUN_AFTER_PREPS,
    "noun_after_preps.txt"
);
word_list!(
    /// Time words after فجر (dawn, not "detonated").
    DAWN_TIMES,
    "dawn_times.txt"
);
word_list!(
    /// عشرات، مئات، عدد … after a passive-looking ASSAULT verb.
    COUNT_WORDS,
    "count_words.txt"
);
word_list!(
    /// وإلا، عواقب، مغبة … (the `consequence` condition).
    CONSEQUENCE_WORDS,
    "consequence_words.txt"
);
word_list!(
    /// إجراء، عقد، شن … after a purpose لـ.
    PURPOSE_NOUNS,
    "purpose_nouns.txt"
);
word_list!(
    /// الذي، التي، الذين …
    RELATIVE_PRONOUNS,
    "relative_pronouns.txt"
);
word_list!(
    /// في، من، إلى، على، بعد، قبل، عن before an event noun.
    NON_CIRCUMSTANTIAL_PREPS,
    "non_circumstantial_preps.txt"
);
word_list!(
    /// منطقة، مدينة، بلدة … introducing a place name.
    PLACE_HEADS,
    "place_heads.txt"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_load_normalized() {
        assert!(NEG.contains("لم"));
        assert!(FUNCTION_WORDS.contains("لدي"));
        assert!(!FUNCTION_WORDS.contains("# Function words"));
        assert!(PLACE_NOUNS.contains("العاصمة"));
        let w = WordList::parse("# comment\n\nإلى\n  لدى \n");
        assert!(w.contains("الي") && w.contains("لدي") && !w.contains("إلى"));
    }
}
