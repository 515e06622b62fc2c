//! Tag scores of a window, with the work that depends on one word done once per word type.
//!
//! [`crate::features::window_features`] lists every feature of every token (what training
//! needs). At inference most of those features are a function of a single word: its own
//! identity features (`w`, `stem`, affixes, shape, gazetteer, clusters …) and what it tells its
//! neighbours (`w-1` of the next token is this word, `c64+2` of the token two before is this
//! word's cluster). Their weights are summed once per word type into [`TypeScores`]; a token's
//! score is its own sum, plus the sums its neighbours pass it, plus the few features that join
//! two words or depend on the position in the window ([`joint_features`]).
//!
//! Weights are the model file's i16 values summed in i32, so the sum is exact and does not
//! depend on the order the features are added in; the scale is applied once at the end.
//!
//! The feature set here must be the one of `window_features`: the test at the bottom checks,
//! on real sentences, that the two list the same features for every token.

use crate::features::{feature_hash, prefix, suffix, TokenInfo, Values};
use crate::resources::GAZ_CLASSES;

use super::{IdMap, NTAGS};

/// Integer tag scores (sums of quantized weights).
pub(crate) type Sums = [i32; NTAGS];

/// What one word contributes: to its own token, and to the tokens one and two before and
/// after it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TypeScores {
    own: Sums,
    /// To the token before / two before it (their `w+1`, `c64+2` …).
    to_prev: [Sums; 2],
    /// To the token after / two after it (their `w-1`, `t-2` …).
    to_next: [Sums; 2],
}

/// What the window's edges contribute in place of missing neighbours: `left[k]` to a token
/// with no word `k + 1` positions before it, `right[k]` likewise after it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Edges {
    left: [Sums; 2],
    right: [Sums; 2],
}

/// The model's weights: feature hash → one quantized weight per tag. Most features a text
/// produces have no weight (rare words, unseen pairs); a bitset of 256 KiB in front of the
/// table answers most of those from the cache instead of a probe into the 4 MB table.
#[derive(Debug, Clone)]
pub(crate) struct Weights {
    table: IdMap<[i16; NTAGS]>,
    present: Vec<u64>,
}

/// log2 of the bitset's size in bits.
const FILTER_BITS: u32 = 21;

impl Weights {
    pub(crate) fn new(table: IdMap<[i16; NTAGS]>) -> Weights {
        let mut present = vec![0u64; 1 << (FILTER_BITS - 6)];
        for &f in table.keys() {
            let s = Self::slot(f);
            present[s >> 6] |= 1 << (s & 63);
        }
        Weights { table, present }
    }

    #[inline]
    fn slot(feature: u32) -> usize {
        ((feature as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - FILTER_BITS)) as usize
    }

    /// The weights of a feature, if it has any.
    #[inline]
    pub(crate) fn get(&self, feature: u32) -> Option<&[i16; NTAGS]> {
        let s = Self::slot(feature);
        if self.present[s >> 6] & (1 << (s & 63)) == 0 {
            return None;
        }
        self.table.get(&feature)
    }

    /// The table itself (feature hash → weights).
    pub(crate) fn table(&self) -> &IdMap<[i16; NTAGS]> {
        &self.table
    }
}

fn add_weights(weights: &Weights, sums: &mut Sums, feature: u32) {
    if let Some(w) = weights.get(feature) {
        for (s, &q) in sums.iter_mut().zip(w) {
            *s += q as i32;
        }
    }
}

impl TypeScores {
    pub(crate) fn of(t: &TokenInfo, weights: &Weights) -> TypeScores {
        let mut out = TypeScores::default();
        own_features(t, &mut |f| add_weights(weights, &mut out.own, f));
        for k in 0..2 {
            let d = k as isize + 1;
            neighbour_features(-d, Some(t), &mut |f| {
                add_weights(weights, &mut out.to_next[k], f)
            });
            neighbour_features(d, Some(t), &mut |f| {
                add_weights(weights, &mut out.to_prev[k], f)
            });
        }
        out
    }
}

impl Edges {
    pub(crate) fn of(weights: &Weights) -> Edges {
        let mut out = Edges::default();
        for k in 0..2 {
            let d = k as isize + 1;
            neighbour_features(-d, None, &mut |f| add_weights(weights, &mut out.left[k], f));
            neighbour_features(d, None, &mut |f| add_weights(weights, &mut out.right[k], f));
        }
        out
    }
}

/// Scores of every token of a window: `info[i]` its analysis, `typed[i]` its word's sums.
pub(crate) fn window_scores(
    info: &[&TokenInfo],
    typed: &[&TypeScores],
    phrases: &[[u16; 3]],
    weights: &Weights,
    edges: &Edges,
    scale: f32,
) -> Vec<[f32; NTAGS]> {
    let n = info.len();
    (0..n)
        .map(|i| {
            let mut sums = typed[i].own;
            for k in 0..2 {
                let from_prev = match i.checked_sub(k + 1) {
                    Some(j) => &typed[j].to_next[k],
                    None => &edges.left[k],
                };
                let from_next = match typed.get(i + k + 1) {
                    Some(t) => &t.to_prev[k],
                    None => &edges.right[k],
                };
                for ((s, a), b) in sums.iter_mut().zip(from_prev).zip(from_next) {
                    *s += a + b;
                }
            }
            joint_features(info, phrases, i, &mut |f| {
                add_weights(weights, &mut sums, f)
            });
            sums.map(|s| s as f32 * scale)
        })
        .collect()
}

/// The features of a token that depend on its own word alone.
pub(crate) fn own_features(t: &TokenInfo, add: &mut impl FnMut(u32)) {
    let mut f = |template: &str, values: &[&str]| add(feature_hash(template, values));
    f("bias", &[]);
    f("w", &[&t.norm]);
    if t.strip.stem != t.norm {
        f("stem", &[&t.strip.stem]);
        f("pre", &[&t.strip.proclitics]);
    }
    f("bare", &[&t.strip.bare]);
    f(
        "al",
        &[if t.strip.stem.starts_with("ال") {
            "1"
        } else {
            "0"
        }],
    );
    for k in 1..=3 {
        if let Some(p) = prefix(&t.norm, k) {
            f("p", &[p]);
        }
        if let Some(x) = suffix(&t.norm, k) {
            f("x", &[x]);
        }
        if t.strip.bare != t.norm {
            if let Some(p) = prefix(&t.strip.bare, k) {
                f("bp", &[p]);
            }
            if let Some(x) = suffix(&t.strip.bare, k) {
                f("bx", &[x]);
            }
        }
    }
    f("shape", &[&t.shape]);
    if t.capital {
        f("cap", &[]);
    }
    f("g", &[&t.values.gaz]);
    f("t", &[&t.values.trig]);
    match t.cluster {
        Some(c) => {
            f("c1024", &[&c.c1024.to_string()]);
            f("c256", &[&c.c256.to_string()]);
            f("c64", &[&c.c64.to_string()]);
            f("d1024", &[&c.d1024.to_string()]);
            f("d256", &[&c.d256.to_string()]);
            f("d64", &[&c.d64.to_string()]);
            let rank = match c.rank {
                0..=999 => "1k",
                1000..=4999 => "5k",
                5000..=19999 => "20k",
                _ => "50k",
            };
            f("rank", &[rank]);
        }
        None => f("c", &["none"]),
    }
}

/// The features a token gets from the word `d` positions away (`d` in -2, -1, 1, 2); `None`
/// when that position is outside the window.
pub(crate) fn neighbour_features(d: isize, t: Option<&TokenInfo>, add: &mut impl FnMut(u32)) {
    let mut f = |template: &str, value: &str| add(feature_hash(template, &[value]));
    let word = t.map_or(if d < 0 { "<s>" } else { "</s>" }, |t| &t.norm);
    let stem = t.map_or("<b>", |t| &t.strip.stem);
    let shape = t.map_or("B", |t| &t.shape);
    let value = |v: fn(&Values) -> &str| t.map_or("B", |t| v(&t.values));
    match d {
        -1 => {
            f("w-1", word);
            f("s-1", stem);
            f("shape-1", shape);
            f("g-1", value(|v| &v.gaz));
            f("t-1", value(|v| &v.trig));
            f("c256-1", value(|v| &v.c256));
            f("d256-1", value(|v| &v.d256));
        }
        1 => {
            f("w+1", word);
            f("s+1", stem);
            f("shape+1", shape);
            f("g+1", value(|v| &v.gaz));
            f("t+1", value(|v| &v.trig));
            f("d256+1", value(|v| &v.d256));
            f("c256+1", value(|v| &v.c256));
        }
        -2 => {
            f("w-2", word);
            f("t-2", value(|v| &v.trig));
            f("c64-2", value(|v| &v.c64));
        }
        2 => {
            f("w+2", word);
            f("c64+2", value(|v| &v.c64));
        }
        _ => unreachable!("neighbours are one or two positions away"),
    }
}

/// The features of token `i` that join two words, or depend on its place in the window
/// (first, last, inside a gazetteer phrase).
pub(crate) fn joint_features(
    info: &[&TokenInfo],
    phrases: &[[u16; 3]],
    i: usize,
    add: &mut impl FnMut(u32),
) {
    let n = info.len();
    let at = |j: isize| (j >= 0 && (j as usize) < n).then(|| info[j as usize]);
    let ii = i as isize;
    let word = |j: isize| at(j).map_or(if j < 0 { "<s>" } else { "</s>" }, |t| &t.norm);
    let value = |j: isize, v: fn(&Values) -> &str| -> &str { at(j).map_or("B", |t| v(&t.values)) };
    let gaz = |j| value(j, |v| &v.gaz);
    let trig = |j| value(j, |v| &v.trig);
    let c64 = |j| value(j, |v| &v.c64);
    let d64 = |j| value(j, |v| &v.d64);
    let mut f = |template: &str, values: &[&str]| add(feature_hash(template, values));
    f("w-1w", &[word(ii - 1), word(ii)]);
    f("ww+1", &[word(ii), word(ii + 1)]);
    f("w-2w-1", &[word(ii - 2), word(ii - 1)]);
    f("w+1w+2", &[word(ii + 1), word(ii + 2)]);
    if i == 0 {
        f("first", &[]);
    }
    if i + 1 == n {
        f("last", &[]);
    }
    f("g-1g", &[gaz(ii - 1), gaz(ii)]);
    f("gg+1", &[gaz(ii), gaz(ii + 1)]);
    for (k, pos) in ["B", "I", "E"].iter().enumerate() {
        let bits = phrases[i][k];
        for (ci, cname) in GAZ_CLASSES.iter().enumerate() {
            if bits & (1 << ci) != 0 {
                f("gp", &[cname, pos]);
            }
        }
    }
    f("t-1g", &[trig(ii - 1), gaz(ii)]);
    f("d64-1d64", &[d64(ii - 1), d64(ii)]);
    f("d64d64+1", &[d64(ii), d64(ii + 1)]);
    f("c64-1c64", &[c64(ii - 1), c64(ii)]);
    f("c64c64+1", &[c64(ii), c64(ii + 1)]);
    f("t-1c64", &[trig(ii - 1), c64(ii)]);
    f("w-1c64", &[word(ii - 1), c64(ii)]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::{analyze_tokens, phrase_matches, window_features};
    use crate::resources::Resources;

    /// The grouped features of each token, as `window_features` lists them (any order).
    fn grouped(info: &[&TokenInfo], res: &Resources) -> Vec<Vec<u32>> {
        let phrases = phrase_matches(info, res);
        let n = info.len() as isize;
        (0..info.len())
            .map(|i| {
                let mut out = Vec::new();
                own_features(info[i], &mut |f| out.push(f));
                for d in [-2isize, -1, 1, 2] {
                    let j = i as isize + d;
                    let t = (0..n).contains(&j).then(|| info[j as usize]);
                    neighbour_features(d, t, &mut |f| out.push(f));
                }
                joint_features(info, &phrases, i, &mut |f| out.push(f));
                out.sort_unstable();
                out
            })
            .collect()
    }

    #[test]
    fn grouped_features_are_the_window_features() {
        let res = Resources::embedded();
        let text = include_str!("../../../../data/samples/seed-page.txt");
        let mut checked = 0;
        for sentence in rased_text::sentence::sentence_strs(text) {
            let tokens: Vec<&str> = rased_text::tokenize::tokenize(sentence)
                .iter()
                .map(|t| t.text)
                .collect();
            let info = analyze_tokens(&tokens, res);
            let refs: Vec<&TokenInfo> = info.iter().collect();
            let mut listed = Vec::new();
            window_features(&refs, res, &[], &mut listed);
            for (i, (mut a, b)) in listed.into_iter().zip(grouped(&refs, res)).enumerate() {
                a.sort_unstable();
                assert_eq!(a, b, "token {i} ({}) of «{sentence}»", tokens[i]);
                checked += 1;
            }
        }
        assert!(checked > 500, "{checked} tokens");
    }
}
