//! Clitic segmentation that keeps names whole.
//!
//! A word is cut into proclitics (conjunction و/ف, preposition ب/ك/ل or future س, article ال,
//! with ل + ال written لل), a stem, and at most one enclitic pronoun (ه ها هم هن هما كم كن كما ك
//! ني نا ي). All parts are slices of the input word, so they concatenate back to it; tashkeel and
//! tatweel stay with the letter before them.
//!
//! # How a cut is chosen
//!
//! Letter patterns alone cut `ليبيا` into ل + يبيا, so every candidate analysis is scored with an
//! embedded lexicon (built by `examples/build_lexicons.rs`, see `data/lexicon/README.md`):
//!
//! * `words.tsv`: match-normalized corpus words with counts (ANT corpus, 9.1M tokens);
//! * `names.txt`: single-token person and place names (ة folded to ه);
//! * `hamza_al.txt`: words that look like ال + X but are spelled أل/إل/آل (ألماني, إليه).
//!
//! Each analysis scores `ln(1 + count(stem)) + ln(weight(proclitics)) + ln(weight(enclitic))`;
//! the unsegmented word scores `ln(1 + count(word) + 10·count(ال + word))` — a word often seen
//! with the article is a stem in its own right (`وحدة`, `الوحدة`: not و + حدة) — and the best
//! score wins (ties: fewer parts). Counts come from the corpus: a news corpus has `وقال` (21k)
//! more often than `قال` (11k), so the weights are ratios a surface form must beat, tuned on
//! corpus words: و ×10, ف ب ل ×5, ك س ×2, article ×100 (a sequence weighs as its heaviest
//! conjunction/preposition times the article), enclitics ×1 except ك / ني ×0.5 and ي ×0.2
//! (nisba adjectives end in ي: `مصري` is not مصر + ي). After the article the ال form's count
//! adds to the stem's (`بالحصبة`: الحصبة is in the corpus, حصبة is not). A stem spelled with
//! أ/إ/آ right after the proclitic gets ×20 more (`وأضاف`: no word starts with و + hamza-alif).
//! So `وقالين` becomes و + قالين while `كتاب` (400) is not ك + تاب (2) and `ولاية` (2992) is
//! not و + لاية (29).
//!
//! A cut needs a known stem (in the corpus list or a name) of at least 2 letters; a 2-letter
//! stem after a proclitic must be a function word (و + من, not ف + تى). No article after
//! `أل` spelled with hamza in the original, or listed in `hamza_al.txt`. Closed-class words are
//! never cut, nor cut into (`كما`, `كان`; `وكان` = و + كان, not و + ك + أن).
//!
//! Names and places (`names.txt`) block every cut of the whole word (`فادي`, not ف + ادي),
//! unless the remaining stem is a closed-class function word: `والي` is nearly always وإلى. A
//! name keeps its article: `والدبيبة` → و + الدبيبة, `بالقاهرة` → ب + القاهرة. This applies
//! only to names whose article is lexicalized, i.e. the name list has the ال form and the bare
//! form is rare in the corpus (< 5) or ten times rarer than the ال form; common words that are
//! also names (`السلام`) still lose their article.
//!
//! A word the lexicon does not know (or saw at most 5 times, never with the article, and no
//! name), with no better analysis, still gets the article (and a conjunction/preposition
//! before it) cut when at least 3 letters remain, and a leading و cut when at least 3 letters
//! remain: unseen foreign names after و are far more common than unseen words starting with و.
//!
//! Measured: 198 of 199 hand-checked running-text tokens right (`tests/segment.rs`); about
//! 2.8 M words/s of CPU time for [`cuts`] on corpus text (`tests/segment_speed.rs`; the
//! allocating [`segment`] is slower, wall-clock numbers on a loaded machine lower).
//!
//! Known weaknesses: ambiguity is resolved by frequency only, without context (`ورد` is cut as
//! و + رد); ل + a name that owns its article (`للبصرة`) stays whole, since ل + البصرة lost its
//! alif and the parts must be slices; a stem whose hamza seat changes before an enclitic
//! (`عملائنا`) is not recognised; the name lists contain some common words.
//!
//! Stems before an enclitic keep the written form: `مدرسته` → مدرست + ه (the lexicon lookup
//! also tries مدرسة). Dual/plural construct forms are stems as written: `نجليه` → نجلي + ه
//! (نجليْه, "his two sons", construct of نجلين).
//!
//! Speed: one pass to fold the word into a stack buffer, then a handful of hash lookups; no
//! allocation except the proclitic `Vec` of [`segment`] ([`cuts`] allocates nothing).

use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// A word cut into proclitics, stem and enclitic; all slices of the input word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmentation<'a> {
    pub proclitics: Vec<&'a str>,
    pub stem: &'a str,
    pub enclitic: Option<&'a str>,
}

impl Segmentation<'_> {
    /// Was anything cut off the stem?
    pub fn is_split(&self) -> bool {
        !self.proclitics.is_empty() || self.enclitic.is_some()
    }

    /// All parts in order: proclitics, stem, enclitic.
    pub fn parts(&self) -> impl Iterator<Item = &str> + '_ {
        self.proclitics
            .iter()
            .copied()
            .chain(std::iter::once(self.stem))
            .chain(self.enclitic)
    }
}

/// Where a word is cut, as byte offsets into the word (allocation-free form of
/// [`Segmentation`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cuts {
    /// End offsets of the proclitics, in order; only the first `n_proclitics` are used.
    pub proclitic_ends: [u32; 3],
    pub n_proclitics: u8,
    /// Start and end of the stem; the enclitic, if any, runs from `stem_end` to the word's end.
    /// A word of 4 GiB or more is never cut: its `stem_end` is `u32::MAX`, read as its end.
    pub stem_start: u32,
    pub stem_end: u32,
}

impl Cuts {
    fn whole(len: usize) -> Cuts {
        Cuts {
            stem_end: u32::try_from(len).unwrap_or(u32::MAX),
            ..Cuts::default()
        }
    }

    /// Turns cuts made on `word` into its segmentation.
    pub fn apply<'a>(&self, word: &'a str) -> Segmentation<'a> {
        let mut proclitics = Vec::new();
        let mut start = 0;
        for &end in &self.proclitic_ends[..self.n_proclitics as usize] {
            proclitics.push(&word[start..end as usize]);
            start = end as usize;
        }
        let s = self.stem_start as usize;
        let e = if self.stem_end == u32::MAX {
            word.len()
        } else {
            self.stem_end as usize
        };
        Segmentation {
            proclitics,
            stem: &word[s..e],
            enclitic: (e < word.len()).then(|| &word[e..]),
        }
    }
}

/// Segments one word (any spelling: tashkeel, tatweel and hamza forms are handled).
pub fn segment(word: &str) -> Segmentation<'_> {
    cuts(word).apply(word)
}

/// Segments a word that is already match-normalized ([`crate::Level::Match`]); skips the
/// folding pass.
pub fn segment_match_normalized(word: &str) -> Segmentation<'_> {
    cuts_match_normalized(word).apply(word)
}

/// Longest word (in letters) that is segmented; longer ones are returned whole.
const MAX_LETTERS: usize = 48;

/// Where to cut `word`, without allocating.
pub fn cuts(word: &str) -> Cuts {
    if word.len() > u16::MAX as usize {
        return Cuts::whole(word.len());
    }
    let mut buf = [0u8; MAX_LETTERS * 2];
    // Byte offset in `word` where normalized letter i starts; [n] = word.len().
    let mut starts = [0u16; MAX_LETTERS + 1];
    let mut n = 0;
    // Bit i: normalized letter i was a hamza-carrying alif (أ إ آ) in the original.
    let mut hamza = 0u64;
    for (i, c) in word.char_indices() {
        let f = match c {
            '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}' => c,
            '\u{0640}' | '\u{064B}'..='\u{0652}' | '\u{0656}'..='\u{065F}' | '\u{0670}' => {
                if n == 0 {
                    return Cuts::whole(word.len());
                }
                continue;
            }
            _ => return slow_cuts(word),
        };
        if matches!(f, '\u{0622}' | '\u{0623}' | '\u{0625}') {
            hamza |= 1 << n;
        }
        let f = fold(f);
        if n == MAX_LETTERS {
            return Cuts::whole(word.len());
        }
        f.encode_utf8(&mut buf[2 * n..2 * n + 2]);
        starts[n] = i as u16;
        n += 1;
    }
    starts[n] = word.len() as u16;
    // SAFETY-free: buf holds n two-byte chars written by encode_utf8.
    let norm = std::str::from_utf8(&buf[..2 * n]).expect("valid utf-8");
    map_cuts(best_cuts(norm, hamza), &starts, word.len())
}

/// Can [`cuts`] cut a particle (و ف ب ك ل س) off the front of `word`? `false` only when the
/// first char is a plain Arabic letter that is none of them (folding أ إ آ ى never makes one)
/// or a mark (no cut at all); a caller interested only in particles can then skip the
/// segmentation.
pub fn may_start_with_particle(word: &str) -> bool {
    match word.chars().next() {
        Some(c @ ('\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}')) => {
            matches!(c, 'و' | 'ف' | 'ب' | 'ك' | 'ل' | 'س')
        }
        Some('\u{0640}' | '\u{064B}'..='\u{0652}' | '\u{0656}'..='\u{065F}' | '\u{0670}')
        | None => false,
        // Other scripts and rare forms take the general path.
        Some(_) => true,
    }
}

/// Where to cut a match-normalized word.
pub fn cuts_match_normalized(word: &str) -> Cuts {
    if !word.is_empty()
        && word.len() <= MAX_LETTERS * 2
        && word
            .chars()
            .all(|c| matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}'))
    {
        best_cuts(word, 0).to_cuts(word.len())
    } else {
        Cuts::whole(word.len())
    }
}

/// Words with combining hamza, presentation forms or other rare chars: normalize with an
/// offset map and segment the normalized form.
fn slow_cuts(word: &str) -> Cuts {
    let norm = crate::normalize(word, crate::Level::Match);
    if norm.text.is_empty()
        || norm.text.chars().count() > MAX_LETTERS
        || !norm
            .text
            .chars()
            .all(|c| matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}'))
    {
        return Cuts::whole(word.len());
    }
    let mut starts = [0u16; MAX_LETTERS + 1];
    let mut n = 0;
    for r in norm.char_origins() {
        starts[n] = r.start as u16;
        n += 1;
    }
    starts[n] = word.len() as u16;
    map_cuts(best_cuts(&norm.text, 0), &starts, word.len())
}

#[inline]
fn fold(c: char) -> char {
    match c {
        '\u{0622}' | '\u{0623}' | '\u{0625}' => '\u{0627}',
        '\u{0649}' => '\u{064A}',
        _ => c,
    }
}

/// Cut points in letters of the normalized word.
#[derive(Debug, Clone, Copy)]
struct LetterCuts {
    proclitic_ends: [u8; 3],
    n_proclitics: u8,
    stem_start: u8,
    stem_end: u8,
}

impl LetterCuts {
    fn whole(letters: usize) -> Self {
        LetterCuts {
            proclitic_ends: [0; 3],
            n_proclitics: 0,
            stem_start: 0,
            stem_end: letters as u8,
        }
    }

    /// For a normalized word every letter is two bytes.
    fn to_cuts(self, len: usize) -> Cuts {
        let mut c = Cuts {
            proclitic_ends: [0; 3],
            n_proclitics: self.n_proclitics,
            stem_start: u32::from(self.stem_start) * 2,
            stem_end: u32::from(self.stem_end) * 2,
        };
        for i in 0..self.n_proclitics as usize {
            c.proclitic_ends[i] = u32::from(self.proclitic_ends[i]) * 2;
        }
        if self.n_proclitics == 0 && self.stem_end as usize * 2 == len {
            return Cuts::whole(len);
        }
        c
    }
}

fn map_cuts(l: LetterCuts, starts: &[u16], len: usize) -> Cuts {
    let mut c = Cuts {
        proclitic_ends: [0; 3],
        n_proclitics: l.n_proclitics,
        // With no proclitic the stem starts the word, marks before its first letter included
        // (a leading U+0653 was dropped from the parts: found by the property test).
        stem_start: if l.n_proclitics == 0 {
            0
        } else {
            u32::from(starts[l.stem_start as usize])
        },
        stem_end: u32::from(starts[l.stem_end as usize]),
    };
    for i in 0..l.n_proclitics as usize {
        c.proclitic_ends[i] = u32::from(starts[l.proclitic_ends[i] as usize]);
    }
    if c.stem_end as usize == len && l.n_proclitics == 0 {
        return Cuts::whole(len);
    }
    c
}

// ---------------------------------------------------------------------------------------------
// Lexicon

/// What the lexicon knows about one match-normalized word.
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    /// Corpus count (0: only known as a name or closed-class word).
    count: u32,
    flags: u8,
}

const NAME: u8 = 1;
/// A name that owns its article (see the module docs).
const AL_NAME: u8 = 2;
/// Spelled أل/إل/آل: its ال is not the article.
const HAMZA_AL: u8 = 4;
/// Closed-class word never segmented.
const WHOLE_WORD: u8 = 8;
/// Function word: as a stem it overrides the name block.
const FUNCTION: u8 = 16;

/// One hash map for everything, so that a candidate costs one lookup.
struct Lexicon {
    words: FxHashMap<&'static str, Entry>,
}

impl Lexicon {
    #[inline]
    fn get(&self, w: &str) -> Entry {
        self.words.get(w).copied().unwrap_or_default()
    }
    #[inline]
    fn count(&self, w: &str) -> u32 {
        self.get(w).count
    }
}

static WORDS_TSV: &str = include_str!("../../../data/lexicon/words.tsv");
static NAMES_TXT: &str = include_str!("../../../data/lexicon/names.txt");
static HAMZA_AL_TXT: &str = include_str!("../../../data/lexicon/hamza_al.txt");

static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| {
    let mut words: FxHashMap<&'static str, Entry> = FxHashMap::default();
    words.reserve(WORDS_TSV.len() / 14);
    for line in WORDS_TSV.lines() {
        if let Some((w, c)) = line.split_once('\t') {
            words.entry(w).or_default().count = c.parse().unwrap_or(0);
        }
    }
    let mut flag = |w: &'static str, f: u8| words.entry(w).or_default().flags |= f;
    for name in NAMES_TXT.lines().filter(|l| !l.is_empty()) {
        flag(name, NAME);
        // Names are stored with ة folded to ه; words are looked up as written.
        if let Some(head) = name.strip_suffix('\u{0647}') {
            flag(Box::leak(format!("{head}\u{0629}").into_boxed_str()), NAME);
        }
    }
    for w in HAMZA_AL_TXT.lines().filter(|l| !l.is_empty()) {
        flag(w, HAMZA_AL);
    }
    for &w in WHOLE {
        flag(w, WHOLE_WORD);
    }
    for &w in FUNCTION_STEMS {
        flag(w, FUNCTION);
    }
    // A name owns its article when its bare form is rare in the corpus (< 5) or ten times rarer
    // than the ال form.
    let al_names: Vec<&'static str> = words
        .iter()
        .filter(|(w, e)| e.flags & NAME != 0 && w.starts_with("ال") && w.len() >= 8)
        .filter(|(w, e)| {
            let bare = words.get(&w[4..]).map_or(0, |b| b.count);
            bare < 5 || e.count >= 10 * bare
        })
        .map(|(w, _)| *w)
        .collect();
    for w in al_names {
        words.entry(w).or_default().flags |= AL_NAME;
    }
    Lexicon { words }
});

/// Corpus count of a match-normalized word (0 when unseen or seen once).
pub fn corpus_count(word: &str) -> u32 {
    LEXICON.count(word)
}

/// Is the match-normalized `word` a known single-token person or place name? ة and ه are not
/// distinguished.
pub fn is_known_name(word: &str) -> bool {
    LEXICON.get(word).flags & NAME != 0
}

/// Calls `f` with ال + `rest` (for لل = ل + ال, whose article lost its alif).
#[inline]
fn with_al<R>(rest: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; MAX_LETTERS * 2 + 4];
    let n = rest.len().min(MAX_LETTERS * 2);
    buf[..4].copy_from_slice("ال".as_bytes());
    buf[4..4 + n].copy_from_slice(&rest.as_bytes()[..n]);
    f(std::str::from_utf8(&buf[..4 + n]).expect("valid utf-8"))
}

/// Pseudo-count of a name that the corpus does not know (or knows less).
const NAME_COUNT: u32 = 3;

/// Closed-class words never segmented (كما is not ك + ما, كان is not ك + أن).
const WHOLE: &[&str] = &[
    "كما",
    "لما",
    "بما",
    "مما",
    "كان",
    "كانت",
    "كانوا",
    "كانا",
    "لكن",
    "لكي",
    "لدي",
    "ليس",
    "ليست",
    "لقد",
    "بين",
    "بعد",
    "بعض",
    "كل",
    "كلا",
    "كي",
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "اللذان",
    "اللتين",
    "اللتان",
    "اللواتي",
    "اللاتي",
    "اللائي",
    "الان",
    "الي",
    "الا",
    "الله",
    "اللهم",
    "فقط",
    "بينما",
    "كيف",
    "لماذا",
    "ماذا",
    "هذا",
    "هذه",
    "هناك",
    "هنا",
    "فيما",
    "كلما",
    "لدينا",
    "بل",
    "ان",
    "لن",
    "لم",
    "لا",
];

/// Function words that, as a stem after a proclitic, override the name block (`والي` = و + إلى).
const FUNCTION_STEMS: &[&str] = &[
    "في", "الي", "ان", "من", "ما", "لا", "هو", "هي", "هم", "قد", "لم", "لن", "عن", "علي", "لي",
    "له", "لها", "هذا", "هذه", "ذلك", "مع", "بعد", "كان", "منذ", "لقد", "اذا", "لكن", "كل", "اي",
    "ذا", "هل", "اذ", "كم", "هن", "نا", "لنا", "لكم", "لهم",
];

// ---------------------------------------------------------------------------------------------
// Analysis

/// A proclitic run of [`crate::clitics`] with what the segmenter needs: the letter length of
/// each part and the run's weight.
struct Prefix {
    text: &'static str,
    parts: [u8; 3],
    n_parts: u8,
    weight: f32,
    article: bool,
    future: bool,
    lam_merged: bool,
}

impl Prefix {
    fn parts(&self) -> &[u8] {
        &self.parts[..self.n_parts as usize]
    }
}

const W_WA: f32 = 10.0;
const W_FA: f32 = 5.0;
const W_BI: f32 = 5.0;
const W_KA: f32 = 2.0;
const W_LI: f32 = 5.0;
const W_SA: f32 = 2.0;
const W_AL: f32 = 100.0;
/// Extra weight of a cut before a stem spelled with hamza-alif.
const W_HAMZA_STEM: f32 = 20.0;
/// Weight of `count(ال + word)` as evidence that `word` is a stem in its own right.
const W_WITH_AL: u32 = 10;

/// Weight of a conjunction, preposition or the future marker.
fn particle_weight(c: char) -> f32 {
    match c {
        'و' => W_WA,
        'ف' => W_FA,
        'ب' => W_BI,
        'ك' => W_KA,
        'ل' => W_LI,
        _ => W_SA,
    }
}

/// All proclitic runs ([`crate::clitics::proclitic_runs`], in its order: conj + prep/future +
/// article). A run weighs as much as its heaviest conjunction/preposition (times the article):
/// multiplying them would make و + ل + آية beat ولاية.
static PREFIXES: LazyLock<Vec<Prefix>> = LazyLock::new(|| {
    crate::clitics::proclitic_runs()
        .iter()
        .map(|r| {
            let future = r.future.then_some('س');
            let heaviest = [r.conj, r.prep, future]
                .into_iter()
                .flatten()
                .map(particle_weight)
                .fold(1.0, f32::max);
            let mut parts = [0u8; 3];
            for (slot, part) in parts.iter_mut().zip(r.parts) {
                *slot = part.chars().count() as u8;
            }
            Prefix {
                text: r.text,
                parts,
                n_parts: r.parts.len() as u8,
                weight: if r.article { heaviest * W_AL } else { heaviest },
                article: r.article,
                future: r.future,
                lam_merged: r.lam_merged(),
            }
        })
        .collect()
});

/// Enclitic pronouns with their weights (longest first among those sharing an ending).
static ENCLITICS: &[(&str, f32)] = &[
    ("هما", 1.0),
    ("كما", 1.0),
    ("ها", 1.0),
    ("هم", 1.0),
    ("هن", 1.0),
    ("كم", 1.0),
    ("كن", 1.0),
    ("نا", 1.0),
    ("ني", 0.5),
    ("ه", 1.0),
    ("ك", 0.5),
    ("ي", 0.2),
];

#[derive(Clone, Copy)]
struct Candidate {
    score: f32,
    parts: usize,
    prefix: Option<&'static Prefix>,
    stem_start: usize,
    stem_end: usize,
}

/// Count of a candidate stem (with ة restored before an enclitic: مدرست → مدرسة), or None if
/// unknown; a name unknown to the corpus counts [`NAME_COUNT`].
#[inline]
fn stem_count(e: Entry, stem: &str, before_enclitic: bool, lex: &Lexicon) -> Option<u32> {
    let mut count = e.count;
    if before_enclitic {
        if let Some(head) = stem.strip_suffix('\u{062A}') {
            let mut buf = [0u8; MAX_LETTERS * 2 + 2];
            if head.len() + 2 <= buf.len() {
                buf[..head.len()].copy_from_slice(head.as_bytes());
                '\u{0629}'.encode_utf8(&mut buf[head.len()..head.len() + 2]);
                let w = std::str::from_utf8(&buf[..head.len() + 2]).expect("valid utf-8");
                count += lex.count(w);
            }
        }
    }
    if count == 0 && e.flags & NAME != 0 {
        count = NAME_COUNT;
    }
    (count > 0).then_some(count)
}

/// Best analysis of the match-normalized `w`; bit i of `hamza` says letter i was أ/إ/آ in the
/// original (so it cannot be the alif of the article).
fn best_cuts(w: &str, hamza: u64) -> LetterCuts {
    let letters = w.len() / 2;
    let whole = LetterCuts::whole(letters);
    if letters < 3 {
        return whole;
    }
    let lex = &*LEXICON;
    let we = lex.get(w);
    if we.flags & WHOLE_WORD != 0 {
        return whole;
    }
    let starts_al = w.starts_with("ال");
    // A word often seen with the article is a stem in its own right (وحدة / الوحدة).
    let with_al_count = if starts_al {
        0
    } else {
        with_al(w, |a| lex.count(a))
    };
    let whole_is_name = if starts_al {
        we.flags & AL_NAME != 0
    } else {
        we.flags & NAME != 0
    };
    let mut best = Candidate {
        score: (1.0 + (we.count + W_WITH_AL * with_al_count) as f32).ln(),
        parts: 1,
        prefix: None,
        stem_start: 0,
        stem_end: w.len(),
    };
    let mut any_known = we.count > 0 || whole_is_name;

    let mut consider = |prefix: Option<&'static Prefix>, start: usize, best: &mut Candidate| {
        let (pw, article, future, n_parts) = match prefix {
            Some(p) => (p.weight, p.article, p.future, p.parts().len()),
            None => (1.0, false, false, 0),
        };
        let rest = &w[start..];
        if rest.len() < 4 {
            return;
        }
        if future && !rest.starts_with(['ي', 'ت', 'ن', 'ا']) {
            return;
        }
        let re = if prefix.is_some() { lex.get(rest) } else { we };
        // Count of ال + rest, for article prefixes (the ال form is evidence for the stem).
        let mut al_count = 0;
        if article {
            let lil = prefix.is_some_and(|p| p.lam_merged);
            // ال of ألماني / إليه is no article; nor is it split off a name that owns it.
            if !lil && hamza & (1 << (start / 2 - 2)) != 0 {
                return;
            }
            let ae = if lil {
                with_al(rest, |al| lex.get(al))
            } else {
                lex.get(&w[start - 4..])
            };
            if ae.flags & (HAMZA_AL | AL_NAME) != 0 {
                return;
            }
            al_count = ae.count;
        } else if rest.starts_with("ال")
            && rest.len() >= 8
            && re.flags & (AL_NAME | HAMZA_AL | FUNCTION) == 0
        {
            // A stem starting with ال: the article variant of this prefix scores it.
            return;
        }
        // Two proclitics never cut into a closed-class word (وكان is و + كان, not و + ك + أن).
        if n_parts >= 2 && !article && lex.get(&w[2..]).flags & WHOLE_WORD != 0 {
            return;
        }
        // A stem that was spelled with أ/إ/آ right after the proclitic (وأضاف, فإن): no word
        // starts with و/ف/ب/ل/ك + hamza-alif, so the cut is near certain.
        let pw = if prefix.is_some() && hamza & (1 << (start / 2)) != 0 && rest.len() >= 6 {
            pw * W_HAMZA_STEM
        } else {
            pw
        };
        // Without enclitic. A two-letter stem after a proclitic must be a function word
        // (و + من, ف + قد; not ف + تى).
        if prefix.is_some()
            && (!whole_is_name || re.flags & FUNCTION != 0)
            && (rest.len() >= 6 || re.flags & FUNCTION != 0)
        {
            let count = stem_count(re, rest, false, lex).unwrap_or(0) + al_count;
            if count > 0 {
                any_known = true;
                let score = (1.0 + count as f32).ln() + pw.ln();
                let parts = n_parts + 1;
                if score > best.score || (score == best.score && parts < best.parts) {
                    *best = Candidate {
                        score,
                        parts,
                        prefix,
                        stem_start: start,
                        stem_end: w.len(),
                    };
                }
            }
        }
        // With enclitic (never after the article).
        if article {
            return;
        }
        let last = rest.as_bytes()[rest.len() - 1];
        for &(enc, ew) in ENCLITICS {
            // All enclitics end in ه ا م ن ي ك; compare the last byte first.
            if enc.as_bytes()[enc.len() - 1] != last
                || rest.len() < enc.len() + 4
                || !rest.ends_with(enc)
            {
                continue;
            }
            if matches!(enc, "ي" | "ني" | "ك") && rest.len() < enc.len() + 6 {
                continue;
            }
            let stem = &rest[..rest.len() - enc.len()];
            let se = lex.get(stem);
            // A name is cut only into a function word and a pronoun (عليه = علي + ه).
            if whole_is_name && se.flags & FUNCTION == 0 {
                continue;
            }
            if let Some(c) = stem_count(se, stem, true, lex) {
                any_known = true;
                let score = (1.0 + c as f32).ln() + pw.ln() + ew.ln();
                let parts = n_parts + 2;
                if score > best.score || (score == best.score && parts < best.parts) {
                    *best = Candidate {
                        score,
                        parts,
                        prefix,
                        stem_start: start,
                        stem_end: start + stem.len(),
                    };
                }
            }
        }
    };

    consider(None, 0, &mut best);
    let first = w.as_bytes()[1];
    for pre in PREFIXES.iter() {
        // Compare the second UTF-8 byte of the first letter before the whole prefix.
        if pre.text.as_bytes()[1] == first && w.starts_with(pre.text) {
            consider(Some(pre), pre.text.len(), &mut best);
        }
    }

    // Nothing known inside, or only a rare whole word: the unknown-word rules.
    let rare_whole = best.prefix.is_none()
        && best.stem_end == w.len()
        && !whole_is_name
        && we.count + with_al_count <= RARE;
    if !any_known || rare_whole {
        return unknown_word_cuts(w);
    }
    let mut out = LetterCuts {
        proclitic_ends: [0; 3],
        n_proclitics: 0,
        stem_start: (best.stem_start / 2) as u8,
        stem_end: (best.stem_end / 2) as u8,
    };
    if let Some(pre) = best.prefix {
        let mut end = 0;
        for (i, &len) in pre.parts().iter().enumerate() {
            end += len;
            out.proclitic_ends[i] = end;
        }
        out.n_proclitics = pre.n_parts;
    }
    out
}

/// A word seen at most this often (and never with the article) counts as unknown.
const RARE: u32 = 5;

/// A word with no known analysis: cut a leading article (after و/ف/ب/ك/ل) or a leading و.
fn unknown_word_cuts(w: &str) -> LetterCuts {
    let letters = w.len() / 2;
    let mut out = LetterCuts::whole(letters);
    for pre in PREFIXES.iter().filter(|p| p.article) {
        if w.starts_with(pre.text) && letters - pre.text.len() / 2 >= 3 {
            let mut end = 0;
            for (i, &len) in pre.parts().iter().enumerate() {
                end += len;
                out.proclitic_ends[i] = end;
            }
            out.n_proclitics = pre.n_parts;
            out.stem_start = end;
            return out;
        }
    }
    if w.starts_with('و') && letters >= 4 {
        out.proclitic_ends[0] = 1;
        out.n_proclitics = 1;
        out.stem_start = 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(w: &str) -> String {
        segment(w).parts().collect::<Vec<_>>().join("+")
    }

    #[test]
    fn basic_cuts() {
        assert_eq!(show("بالجنرال"), "ب+ال+جنرال");
        assert_eq!(show("وقالين"), "و+قالين");
        assert_eq!(show("ليبيا"), "ليبيا");
    }

    #[test]
    fn prefix_weights_follow_the_heaviest_particle() {
        let w = |t: &str| PREFIXES.iter().find(|p| p.text == t).unwrap().weight;
        assert_eq!(PREFIXES.len(), 26);
        for (t, want) in [
            ("و", W_WA),
            ("س", W_SA),
            ("وس", W_WA),
            ("فك", W_FA),
            ("ال", W_AL),
            ("لل", W_LI * W_AL),
            ("كال", W_KA * W_AL),
            ("فبال", W_FA * W_AL),
            ("وكال", W_WA * W_AL),
        ] {
            assert_eq!(w(t), want, "{t}");
        }
        let parts = |t: &str| {
            PREFIXES
                .iter()
                .find(|p| p.text == t)
                .unwrap()
                .parts()
                .to_vec()
        };
        assert_eq!(parts("وبال"), [1, 1, 2]);
        assert_eq!(parts("ولل"), [1, 2]);
    }

    /// A mark before the first letter stays in the stem when there is no proclitic.
    #[test]
    fn leading_marks_are_kept_in_the_parts() {
        for word in ["\u{653}ااه\u{64e}", "\u{64e}كتابه", "\u{651}وبالكتاب"] {
            assert_eq!(segment(word).parts().collect::<String>(), word, "{word:?}");
        }
    }

    /// Tokens longer than 65,535 bytes used to overflow the `u16` offsets of [`Cuts`].
    #[test]
    fn very_long_tokens_stay_whole() {
        for len in [65_535, 65_536, 70_001, 200_000] {
            let word = "ب".repeat(len / 2) + &"x".repeat(len % 2);
            for seg in [segment_match_normalized(&word), segment(&word)] {
                assert_eq!(seg.stem, word);
                assert!(!seg.is_split());
            }
            let word = "وبالكتاب".repeat(len / 16 + 1);
            assert_eq!(segment_match_normalized(&word).stem, word);
            assert_eq!(segment(&word).stem, word);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(16))]
        #[test]
        fn long_tokens_concatenate_back(
            unit in "[وبالكتابهx\u{064E}]{1,6}",
            reps in 10_000usize..40_000,
        ) {
            let word = unit.repeat(reps);
            for seg in [segment_match_normalized(&word), segment(&word)] {
                proptest::prop_assert_eq!(seg.parts().collect::<String>(), word.clone());
            }
        }
    }
}
