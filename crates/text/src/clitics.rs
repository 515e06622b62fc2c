//! The proclitics of Arabic, as one table: every run of prefixed particles a word can carry.
//!
//! A run is at most: a conjunction (و or ف), then a preposition (ب ك ل) or the future marker
//! (س), then the article (ال). ل + ال is written لل (the article loses its alif). The runs are
//! written in match-normalized letters ([`crate::Level::Match`]; the same at the search level).
//!
//! Each run carries its make-up as data ([`ProcliticRun`]); users pick what they need:
//!
//! * the segmenter ([`crate::segment`]) scores every run of the table, weighting each by its
//!   conjunction/preposition and article;
//! * the KB gazetteer lets the runs that can precede the article glue onto a name
//!   ([`ProcliticRun::can_precede_article`]), and for a name written with a swallowed article
//!   (للدبيبة) only those ending in ل;
//! * the event lexicon tries word splits ([`splits`]), allowing verbs only after runs that are
//!   not [`ProcliticRun::noun_only`];
//! * the keyphrase extractor drops the particles before the article
//!   ([`ProcliticRun::particle_letters`]) and restores the alif of لل
//!   ([`ProcliticRun::lam_merged`]).
//!
//! Source: hand-curated (standard Arabic grammar); the order of [`proclitic_runs`] is part of
//! the contract (the segmenter breaks score ties by it).

/// One proclitic run: its letters, its parts and what they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProcliticRun {
    /// The letters of the run (match-normalized): `وبال`.
    pub text: &'static str,
    /// The parts, in order, concatenating to `text`: `و`, `ب`, `ال`. The لل of ل + ال is one
    /// part (`و`, `لل`).
    pub parts: &'static [&'static str],
    /// The conjunction و or ف, if the run starts with one.
    pub conj: Option<char>,
    /// The preposition ب, ك or ل, if the run has one.
    pub prep: Option<char>,
    /// The run ends in the future marker س (before an imperfect verb).
    pub future: bool,
    /// The run ends in the article ال (or the merged لل).
    pub article: bool,
}

impl ProcliticRun {
    /// Does the run start with a conjunction (و/ف)?
    pub fn is_conjunction(&self) -> bool {
        self.conj.is_some()
    }

    /// Does the run contain a preposition (ب/ك/ل)?
    pub fn is_preposition(&self) -> bool {
        self.prep.is_some()
    }

    /// Can the article follow this run (و + ال, ب + ال …)? True for the runs without article
    /// and without the future marker. (ل + ال is written لل, see [`Self::lam_merged`].)
    pub fn can_precede_article(&self) -> bool {
        !self.article && !self.future
    }

    /// Is the run the article swallowed by ل (لل, ولل, فلل)? Its article lost its alif.
    pub fn lam_merged(&self) -> bool {
        self.article && self.prep == Some('ل')
    }

    /// Does the run only go before a noun? True with the article or the prepositions ب/ك;
    /// و/ف, س and ل (purpose: لِيَذهب) may precede a verb.
    pub fn noun_only(&self) -> bool {
        self.article || matches!(self.prep, Some('ب' | 'ك'))
    }

    /// Letters of the particles before the article: conjunction, preposition (the ل of لل) and
    /// future marker. `وال` → 1, `ولل` → 2, `ال` → 0, `وب` → 2.
    pub fn particle_letters(&self) -> usize {
        usize::from(self.conj.is_some())
            + usize::from(self.prep.is_some())
            + usize::from(self.future)
    }

    /// Letters of the whole run.
    pub fn letters(&self) -> usize {
        self.text.chars().count()
    }
}

const fn run(
    text: &'static str,
    parts: &'static [&'static str],
    conj: Option<char>,
    prep: Option<char>,
    future: bool,
    article: bool,
) -> ProcliticRun {
    ProcliticRun {
        text,
        parts,
        conj,
        prep,
        future,
        article,
    }
}

const WA: Option<char> = Some('و');
const FA: Option<char> = Some('ف');
const BI: Option<char> = Some('ب');
const KA: Option<char> = Some('ك');
const LI: Option<char> = Some('ل');

/// Every proclitic run, in the order: single particles, two particles, then the runs ending
/// in the article.
static RUNS: &[ProcliticRun] = &[
    run("و", &["و"], WA, None, false, false),
    run("ف", &["ف"], FA, None, false, false),
    run("ب", &["ب"], None, BI, false, false),
    run("ك", &["ك"], None, KA, false, false),
    run("ل", &["ل"], None, LI, false, false),
    run("س", &["س"], None, None, true, false),
    run("وب", &["و", "ب"], WA, BI, false, false),
    run("وك", &["و", "ك"], WA, KA, false, false),
    run("ول", &["و", "ل"], WA, LI, false, false),
    run("فب", &["ف", "ب"], FA, BI, false, false),
    run("فك", &["ف", "ك"], FA, KA, false, false),
    run("فل", &["ف", "ل"], FA, LI, false, false),
    run("وس", &["و", "س"], WA, None, true, false),
    run("فس", &["ف", "س"], FA, None, true, false),
    run("ال", &["ال"], None, None, false, true),
    run("وال", &["و", "ال"], WA, None, false, true),
    run("فال", &["ف", "ال"], FA, None, false, true),
    run("بال", &["ب", "ال"], None, BI, false, true),
    run("كال", &["ك", "ال"], None, KA, false, true),
    run("لل", &["لل"], None, LI, false, true),
    run("وبال", &["و", "ب", "ال"], WA, BI, false, true),
    run("وكال", &["و", "ك", "ال"], WA, KA, false, true),
    run("ولل", &["و", "لل"], WA, LI, false, true),
    run("فبال", &["ف", "ب", "ال"], FA, BI, false, true),
    run("فكال", &["ف", "ك", "ال"], FA, KA, false, true),
    run("فلل", &["ف", "لل"], FA, LI, false, true),
];

/// Every proclitic run (26), in a fixed order (see [`RUNS`](self)).
pub fn proclitic_runs() -> &'static [ProcliticRun] {
    RUNS
}

/// The run written `text` (match-normalized), if it is one.
pub fn proclitic_run(text: &str) -> Option<&'static ProcliticRun> {
    RUNS.iter().find(|r| r.text == text)
}

/// A word split after a proclitic run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub run: &'static ProcliticRun,
    /// What follows the run. After a [`lam_merged`](ProcliticRun::lam_merged) run the article
    /// is gone: `للدبيبة` → `لل` + `دبيبة`.
    pub rest: &'a str,
}

/// Every way to strip a proclitic run off `word` (match-normalized), in table order; the
/// unsplit word is not included. Nothing checks that the rest is a word.
pub fn splits(word: &str) -> impl Iterator<Item = Split<'_>> + '_ {
    RUNS.iter()
        .filter_map(move |run| word.strip_prefix(run.text).map(|rest| Split { run, rest }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_concatenate_and_properties_agree_with_letters() {
        for r in proclitic_runs() {
            assert_eq!(r.parts.concat(), r.text, "{}", r.text);
            assert_eq!(r.article, r.text.ends_with("ال") || r.text.ends_with("لل"));
            assert_eq!(r.future, r.text.ends_with('س'));
            assert_eq!(
                r.conj,
                r.text.chars().next().filter(|c| matches!(c, 'و' | 'ف'))
            );
            // The article is ال, or the second ل of لل.
            let article_letters = match (r.article, r.lam_merged()) {
                (false, _) => 0,
                (true, false) => 2,
                (true, true) => 1,
            };
            assert_eq!(r.particle_letters() + article_letters, r.letters());
        }
        let texts: Vec<&str> = proclitic_runs().iter().map(|r| r.text).collect();
        let mut dedup = texts.clone();
        dedup.sort_unstable();
        dedup.dedup();
        assert_eq!(dedup.len(), texts.len());
    }

    #[test]
    fn splits_and_lookups() {
        let got: Vec<(&str, &str)> = splits("وبالعلاقات").map(|s| (s.run.text, s.rest)).collect();
        assert_eq!(
            got,
            vec![("و", "بالعلاقات"), ("وب", "العلاقات"), ("وبال", "علاقات")]
        );
        let glue: Vec<&str> = proclitic_runs()
            .iter()
            .filter(|r| r.can_precede_article())
            .map(|r| r.text)
            .collect();
        assert_eq!(
            glue,
            ["و", "ف", "ب", "ك", "ل", "وب", "وك", "ول", "فب", "فك", "فل"]
        );
        assert!(proclitic_run("ولل").is_some_and(|r| r.lam_merged()));
        assert!(proclitic_run("سو").is_none());
    }
}
