//! Token normalization and feature extraction for the sequence tagger.
//!
//! Features are hashed to `u32` (FNV-1a of a template name and its values), so the model is a
//! map from feature hash to one weight per tag. Work per token is bounded: tokens are cut to
//! [`MAX_TOKEN_CHARS`] chars, gazetteer phrases to [`MAX_PHRASE`] words.

use std::borrow::Cow;
use std::sync::LazyLock;

use rased_text::normalize::{normalize_str, Level};

use crate::resources::{
    fnv, Cluster, Resources, FNV_START, GAZ_CLASSES, MAX_PHRASE, TRIGGER_CLASSES,
};

/// Longest token prefix (in chars) that feature extraction looks at.
pub const MAX_TOKEN_CHARS: usize = 48;

/// Bump when features change: a model trained with other features is refused.
pub const FEATURE_VERSION: u32 = 2;

/// The form of a token that lexicons and the model compare: match-normalized (no tashkeel or
/// tatweel, alif/ya folded, ASCII digits), Latin lowercased, cut to [`MAX_TOKEN_CHARS`].
pub fn norm_token(token: &str) -> String {
    let cut: &str = match token.char_indices().nth(MAX_TOKEN_CHARS * 2) {
        Some((i, _)) => &token[..i],
        None => token,
    };
    from_match_form(normalize_str(cut, Level::Match))
}

/// A token's match form as the features compare it: Latin lowercased, cut to
/// [`MAX_TOKEN_CHARS`].
fn from_match_form(mut s: String) -> String {
    if s.chars().any(|c| c.is_uppercase()) {
        s = s.to_lowercase();
    }
    if let Some((i, _)) = s.char_indices().nth(MAX_TOKEN_CHARS) {
        s.truncate(i);
    }
    s
}

/// A normalized word split into proclitics and stem. `stem` keeps the article (ال), `bare`
/// drops it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stripped {
    pub proclitics: String,
    pub stem: String,
    pub bare: String,
}

fn is_known_better(res: &Resources, candidate: &str, original: &str) -> bool {
    match (res.rank(candidate), res.rank(original)) {
        (Some(c), Some(o)) => c < o,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Strips the proclitics و ف ب ك ل (and turns لل into ال) from a normalized word. A single
/// letter that could belong to the word (`وزير`, `بغداد`, `لبنان`) is only stripped when what
/// remains starts with ال or is a more frequent corpus word than the whole; و is also
/// stripped from a word the corpus vocabulary does not know (`ودروغبا`).
pub fn strip_clitics(w: &str, res: &Resources) -> Stripped {
    let mut pre = String::new();
    let mut rest: String = w.to_string();
    let n = |s: &str| s.chars().count();
    if (rest.starts_with('و') || rest.starts_with('ف')) && n(&rest) >= 4 {
        let r = &rest[2..];
        if r.starts_with("ال")
            || r.starts_with("لل")
            || r.starts_with("بال")
            || r.starts_with("كال")
            || is_known_better(res, r, &rest)
            // An unknown word starting with و is far more often و + word than a word.
            || (rest.starts_with('و') && res.rank(&rest).is_none())
        {
            pre.push_str(&rest[..2]);
            rest = r.to_string();
        }
    }
    if n(&rest) >= 4 {
        if rest.starts_with("بال") || rest.starts_with("كال") {
            pre.push_str(&rest[..2]);
            rest = rest[2..].to_string();
        } else if rest.starts_with("لل") {
            pre.push('ل');
            rest = format!("ا{}", &rest[2..]);
        } else if (rest.starts_with('ب') || rest.starts_with('ل') || rest.starts_with('ك'))
            && is_known_better(res, &rest[2..], &rest)
        {
            pre.push_str(&rest[..2]);
            rest = rest[2..].to_string();
        }
    }
    let bare = if rest.starts_with("ال") && n(&rest) >= 4 {
        rest[4..].to_string()
    } else {
        rest.clone()
    };
    Stripped {
        proclitics: pre,
        stem: rest,
        bare,
    }
}

/// What feature extraction knows about one token.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub norm: String,
    pub strip: Stripped,
    pub shape: String,
    pub cluster: Option<Cluster>,
    /// Gazetteer bits of the word alone (whole, stem or bare).
    pub gaz: u16,
    /// Trigger bits of the word (whole or stem).
    pub trig: u8,
    /// Latin word starting with a capital letter.
    pub capital: bool,
    /// Template values formatted once per word: cluster ids and class-bit names.
    pub(crate) values: Values,
}

/// The values several templates use, as the strings that are hashed.
#[derive(Debug, Clone)]
pub(crate) struct Values {
    pub c256: Cow<'static, str>,
    pub c64: Cow<'static, str>,
    pub d256: Cow<'static, str>,
    pub d64: Cow<'static, str>,
    pub trig: Cow<'static, str>,
    pub gaz: String,
}

/// Cluster ids as the strings templates hash (`data/ner/clusters.tsv` has 64, 256 and 1024
/// clusters), made once rather than for every word.
static CLUSTER_IDS: LazyLock<Vec<String>> =
    LazyLock::new(|| (0..1024).map(|n| n.to_string()).collect());

/// The names of every set of trigger classes (5 classes: 32 sets), made once.
static TRIGGER_NAMES: LazyLock<Vec<String>> = LazyLock::new(|| {
    (0..1u16 << TRIGGER_CLASSES.len())
        .map(|bits| bits_name(bits, &TRIGGER_CLASSES))
        .collect()
});

impl Values {
    fn of(cluster: Option<Cluster>, trig: u8, gaz: u16) -> Values {
        let id = |f: fn(&Cluster) -> u16| -> Cow<'static, str> {
            match cluster.map(|c| f(&c)) {
                Some(n) => match CLUSTER_IDS.get(n as usize) {
                    Some(s) => Cow::Borrowed(s.as_str()),
                    None => Cow::Owned(n.to_string()),
                },
                None => Cow::Borrowed("-"),
            }
        };
        Values {
            c256: id(|c| c.c256),
            c64: id(|c| c.c64),
            d256: id(|c| c.d256),
            d64: id(|c| c.d64),
            trig: match TRIGGER_NAMES.get(trig as usize) {
                Some(s) => Cow::Borrowed(s.as_str()),
                None => Cow::Owned(bits_name(trig as u16, &TRIGGER_CLASSES)),
            },
            gaz: bits_name(gaz, &GAZ_CLASSES),
        }
    }
}

fn shape(tok: &str) -> String {
    let mut ar = false;
    let mut lat = false;
    let mut dig = false;
    let mut other = false;
    let mut len = 0;
    for c in tok.chars().take(MAX_TOKEN_CHARS) {
        len += 1;
        if ('\u{0600}'..='\u{06FF}').contains(&c) || ('\u{0750}'..='\u{077F}').contains(&c) {
            if c.is_ascii_digit() || ('\u{0660}'..='\u{0669}').contains(&c) {
                dig = true;
            } else {
                ar = true;
            }
        } else if c.is_ascii_digit() {
            dig = true;
        } else if c.is_alphabetic() {
            lat = true;
        } else {
            other = true;
        }
    }
    let script = match (ar, lat, dig, other) {
        (true, false, false, false) => "A",
        (false, true, false, false) => "L",
        (false, false, true, false) => "D",
        (false, false, false, true) => "P",
        (true, _, _, _) => "AX",
        (false, true, _, _) => "LX",
        _ => "X",
    };
    let bucket = match len {
        0..=1 => "1",
        2 => "2",
        3 => "3",
        4..=5 => "5",
        6..=8 => "8",
        _ => "9",
    };
    format!("{script}{bucket}")
}

/// What feature extraction knows about one token: a function of its text alone, so callers
/// that see a word many times (a document, see [`crate::ner::Model::tag_doc`]) compute it
/// once per distinct word.
pub fn token_info(t: &str, res: &Resources) -> TokenInfo {
    token_info_normalized(t, norm_token(t), res)
}

/// [`token_info`] of a token whose match-normalized form is known (a [`rased_text::Document`]
/// word type's): skips normalizing it again where that gives the same [`norm_token`].
pub fn token_info_from_match(t: &str, match_form: &str, res: &Resources) -> TokenInfo {
    // norm_token cuts long tokens before normalizing; short ones are normalized whole.
    let norm = if t.len() <= MAX_TOKEN_CHARS * 2 {
        from_match_form(match_form.to_string())
    } else {
        norm_token(t)
    };
    token_info_normalized(t, norm, res)
}

fn token_info_normalized(t: &str, norm: String, res: &Resources) -> TokenInfo {
    let strip = strip_clitics(&norm, res);
    let cluster = res
        .cluster(&norm)
        .or_else(|| res.cluster(&strip.stem))
        .or_else(|| res.cluster(&strip.bare));
    let mut gaz = res.gazetteer_word(&norm);
    if gaz == 0 && strip.stem != norm {
        gaz = res.gazetteer_word(&strip.stem);
    }
    if gaz == 0 && strip.bare != strip.stem {
        gaz = res.gazetteer_word(&strip.bare);
    }
    let trig = res.trigger(&norm) | res.trigger(&strip.stem);
    TokenInfo {
        shape: shape(t),
        capital: t.chars().next().is_some_and(|c| c.is_uppercase()),
        norm,
        strip,
        values: Values::of(cluster, trig, gaz),
        cluster,
        gaz,
        trig,
    }
}

/// Per-token analysis of a sentence.
pub fn analyze_tokens(tokens: &[&str], res: &Resources) -> Vec<TokenInfo> {
    tokens.iter().map(|t| token_info(t, res)).collect()
}

/// Multi-word gazetteer matches: for each token, bits per class for Begin / Inside / End of a
/// phrase of two or more words covering it.
pub(crate) fn phrase_matches(info: &[&TokenInfo], res: &Resources) -> Vec<[u16; 3]> {
    let mut out = vec![[0u16; 3]; info.len()];
    for i in 0..info.len() {
        let firsts: [&str; 2] = [&info[i].norm, &info[i].strip.stem];
        for (k, first) in firsts.iter().enumerate() {
            if k == 1 && info[i].strip.stem == info[i].norm {
                break;
            }
            let mut h = fnv(FNV_START, first.as_bytes());
            for j in i + 1..info.len().min(i + MAX_PHRASE) {
                h = fnv(h, b" ");
                h = fnv(h, info[j].norm.as_bytes());
                let bits = res.gazetteer_hash(h);
                if bits != 0 {
                    out[i][0] |= bits;
                    for o in &mut out[i + 1..j] {
                        o[1] |= bits;
                    }
                    out[j][2] |= bits;
                }
            }
        }
    }
    out
}

/// Collects feature hashes.
struct Sink<'a> {
    out: &'a mut Vec<u32>,
}

impl Sink<'_> {
    #[inline]
    fn add(&mut self, template: &str, values: &[&str]) {
        self.out.push(feature_hash(template, values));
    }
}

/// The hash of a feature: FNV-1a of the template name and its values, folded to 32 bits.
#[inline]
pub(crate) fn feature_hash(template: &str, values: &[&str]) -> u32 {
    let mut h = fnv(FNV_START, template.as_bytes());
    for v in values {
        h = fnv(h, &[0xff]);
        h = fnv(h, v.as_bytes());
    }
    (h ^ (h >> 32)) as u32
}

fn bits_name(bits: u16, names: &[&str]) -> String {
    let mut s = String::new();
    for (i, n) in names.iter().enumerate() {
        if bits & (1 << i) != 0 {
            if !s.is_empty() {
                s.push('+');
            }
            s.push_str(n);
        }
    }
    s
}

pub(crate) fn prefix(s: &str, n: usize) -> Option<&str> {
    let mut it = s.char_indices();
    let end = it.nth(n).map(|(i, _)| i)?;
    Some(&s[..end])
}

pub(crate) fn suffix(s: &str, n: usize) -> Option<&str> {
    let count = s.chars().count();
    if count <= n {
        return None;
    }
    let start = s.char_indices().nth(count - n).map(|(i, _)| i)?;
    Some(&s[start..])
}

/// Feature hashes of every token of a sentence. `out[i]` is cleared and refilled.
pub fn sentence_features(tokens: &[&str], res: &Resources, out: &mut Vec<Vec<u32>>) {
    sentence_features_masked(tokens, res, &[], out)
}

/// Like [`sentence_features`], but tokens `i` with `hide[i]` get no features of their own
/// word identity (word, stem, bare form, word bigrams): training on such copies teaches the
/// model to tag words it has not seen from their context, affixes, clusters and gazetteers.
pub fn sentence_features_masked(
    tokens: &[&str],
    res: &Resources,
    hide: &[bool],
    out: &mut Vec<Vec<u32>>,
) {
    let info = analyze_tokens(tokens, res);
    let refs: Vec<&TokenInfo> = info.iter().collect();
    window_features(&refs, res, hide, out)
}

/// [`sentence_features_masked`] over tokens already analyzed with [`token_info`]. The order
/// of the features is part of training (it is the order weights are summed in), so the
/// pieces below run in a fixed order.
pub fn window_features(
    info: &[&TokenInfo],
    res: &Resources,
    hide: &[bool],
    out: &mut Vec<Vec<u32>>,
) {
    let phrases = phrase_matches(info, res);
    let n = info.len();
    out.resize_with(n, Vec::new);
    out.truncate(n);
    let window = Window { info };
    for (i, feats) in out.iter_mut().enumerate() {
        feats.clear();
        let mut s = Sink { out: feats };
        let hidden = hide.get(i).copied().unwrap_or(false);
        word_features(&window, i, hidden, &mut s);
        lexicon_features(&window, &phrases[i], i, &mut s);
        cluster_features(&window, i, &mut s);
    }
}

/// A window of analyzed tokens, with the values templates read at relative positions
/// (boundary markers outside the window).
struct Window<'a> {
    info: &'a [&'a TokenInfo],
}

impl Window<'_> {
    fn get(&self, j: isize) -> Option<&TokenInfo> {
        usize::try_from(j)
            .ok()
            .and_then(|j| self.info.get(j).copied())
    }

    fn word(&self, j: isize) -> &str {
        match self.get(j) {
            Some(t) => &t.norm,
            None if j < 0 => "<s>",
            None => "</s>",
        }
    }

    fn stem(&self, j: isize) -> &str {
        self.get(j).map_or("<b>", |t| &t.strip.stem)
    }

    /// `f(info[j])`, or "B" (boundary) outside the window.
    fn value(&self, j: isize, f: fn(&Values) -> &str) -> &str {
        self.get(j).map_or("B", |t| f(&t.values))
    }
}

/// The word, its neighbours, affixes, shape and position.
fn word_features(w: &Window, i: usize, hidden: bool, s: &mut Sink) {
    let t = w.info[i];
    let ii = i as isize;
    s.add("bias", &[]);
    if !hidden {
        s.add("w", &[&t.norm]);
        if t.strip.stem != t.norm {
            s.add("stem", &[&t.strip.stem]);
        }
        s.add("bare", &[&t.strip.bare]);
    }
    if t.strip.stem != t.norm {
        s.add("pre", &[&t.strip.proclitics]);
    }
    s.add(
        "al",
        &[if t.strip.stem.starts_with("ال") {
            "1"
        } else {
            "0"
        }],
    );
    s.add("w-1", &[w.word(ii - 1)]);
    s.add("w+1", &[w.word(ii + 1)]);
    s.add("w-2", &[w.word(ii - 2)]);
    s.add("w+2", &[w.word(ii + 2)]);
    s.add("s-1", &[w.stem(ii - 1)]);
    s.add("s+1", &[w.stem(ii + 1)]);
    if !hidden {
        s.add("w-1w", &[w.word(ii - 1), &t.norm]);
        s.add("ww+1", &[&t.norm, w.word(ii + 1)]);
    }
    s.add("w-2w-1", &[w.word(ii - 2), w.word(ii - 1)]);
    s.add("w+1w+2", &[w.word(ii + 1), w.word(ii + 2)]);
    for k in 1..=3 {
        if let Some(p) = prefix(&t.norm, k) {
            s.add("p", &[p]);
        }
        if let Some(x) = suffix(&t.norm, k) {
            s.add("x", &[x]);
        }
        if t.strip.bare != t.norm {
            if let Some(p) = prefix(&t.strip.bare, k) {
                s.add("bp", &[p]);
            }
            if let Some(x) = suffix(&t.strip.bare, k) {
                s.add("bx", &[x]);
            }
        }
    }
    s.add("shape", &[&t.shape]);
    s.add("shape-1", &[w.get(ii - 1).map_or("B", |x| &x.shape)]);
    s.add("shape+1", &[w.get(ii + 1).map_or("B", |x| &x.shape)]);
    if t.capital {
        s.add("cap", &[]);
    }
    if i == 0 {
        s.add("first", &[]);
    }
    if i + 1 == w.info.len() {
        s.add("last", &[]);
    }
}

/// Gazetteer classes of the word and its neighbours, gazetteer phrases over it, triggers.
fn lexicon_features(w: &Window, phrases: &[u16; 3], i: usize, s: &mut Sink) {
    let ii = i as isize;
    let gaz = |j: isize| w.value(j, |v| &v.gaz);
    let trig = |j: isize| w.value(j, |v| &v.trig);
    let g = gaz(ii);
    s.add("g", &[g]);
    s.add("g-1", &[gaz(ii - 1)]);
    s.add("g+1", &[gaz(ii + 1)]);
    s.add("g-1g", &[gaz(ii - 1), g]);
    s.add("gg+1", &[g, gaz(ii + 1)]);
    for (k, pos) in ["B", "I", "E"].iter().enumerate() {
        let bits = phrases[k];
        for (ci, cname) in GAZ_CLASSES.iter().enumerate() {
            if bits & (1 << ci) != 0 {
                s.add("gp", &[cname, pos]);
            }
        }
    }
    let tg = trig(ii);
    s.add("t", &[tg]);
    s.add("t-1", &[trig(ii - 1)]);
    s.add("t-2", &[trig(ii - 2)]);
    s.add("t+1", &[trig(ii + 1)]);
    s.add("t-1g", &[trig(ii - 1), g]);
}

/// Distributional clusters of the word and its neighbours.
fn cluster_features(w: &Window, i: usize, s: &mut Sink) {
    let ii = i as isize;
    let c256 = |j: isize| w.value(j, |v| &v.c256);
    let d256 = |j: isize| w.value(j, |v| &v.d256);
    let d64 = |j: isize| w.value(j, |v| &v.d64);
    let c64 = |j: isize| w.value(j, |v| &v.c64);
    let trig = |j: isize| w.value(j, |v| &v.trig);
    match w.info[i].cluster {
        Some(c) => {
            s.add("c1024", &[&c.c1024.to_string()]);
            s.add("c256", &[&c.c256.to_string()]);
            s.add("c64", &[&c.c64.to_string()]);
            s.add("d1024", &[&c.d1024.to_string()]);
            s.add("d256", &[&c.d256.to_string()]);
            s.add("d64", &[&c.d64.to_string()]);
            let rank = match c.rank {
                0..=999 => "1k",
                1000..=4999 => "5k",
                5000..=19999 => "20k",
                _ => "50k",
            };
            s.add("rank", &[rank]);
        }
        None => s.add("c", &["none"]),
    }
    s.add("c256-1", &[c256(ii - 1)]);
    s.add("d256-1", &[d256(ii - 1)]);
    s.add("d256+1", &[d256(ii + 1)]);
    s.add("d64-1d64", &[d64(ii - 1), d64(ii)]);
    s.add("d64d64+1", &[d64(ii), d64(ii + 1)]);
    s.add("c256+1", &[c256(ii + 1)]);
    s.add("c64-2", &[c64(ii - 2)]);
    s.add("c64+2", &[c64(ii + 2)]);
    s.add("c64-1c64", &[c64(ii - 1), c64(ii)]);
    s.add("c64c64+1", &[c64(ii), c64(ii + 1)]);
    s.add("t-1c64", &[trig(ii - 1), c64(ii)]);
    s.add("w-1c64", &[w.word(ii - 1), c64(ii)]);
}
