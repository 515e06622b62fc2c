//! Within-document coreference: the later, shorter ways an article refers to a person it has
//! already named are linked to that person's entity.
//!
//! [`corefer`] runs inside [`crate::resolve::resolve`], after the mentions are clustered and
//! linked to the KB (it needs the KB's country and roles), before the entities are built. It
//! reads the text once as words (byte ranges, with the punctuation between them) and finds:
//!
//! * `surname`: a person's last name alone, also where the tagger missed it, word-boundary and
//!   clitic-aware (حفتر، بحفتر، وحفتر، للدبيبة); `name`: the first name alone, only when no
//!   other person of the article carries it;
//! * `title`: a definite title standing alone, optionally with a country adjective
//!   (الجنرال، المشير، الرئيس التركي), from `data/kb/coref_titles.tsv`;
//! * `nominal`: a rank noun with a country adjective (الجنرال الليبي), same table;
//! * `role`: a role phrase, optionally with a country adjective (رئيس جهاز المخابرات التركية),
//!   from `data/kb/role_phrases.tsv`.
//!
//! A title or role is compatible with a person when the article introduced the person with it
//! (`بالجنرال خليفة حفتر`, `رئيس الاستخبارات التركية، إبراهيم قالين`) or when the person's KB
//! roles fit it; a country adjective must agree with the person's KB country. Only a person
//! named *before* the reference is a candidate. Among several (خليفة حفتر and صدام حفتر both
//! own حفتر), the winner is the one introduced with the title, then the one named earlier in
//! the same sentence, then the most salient (most mentions so far, linked ones included), then
//! the one named nearest before. A first name just before a surname picks its owner.
//!
//! Bounded work: one pass over the words; each distinct word is keyed once; name tokens are
//! found through a hash map; at most [`MAX_CANDIDATES`] entities are weighed per reference.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

use rased_text::namekey::name_key;
use rased_text::normalize::{normalize_str, Level};

use crate::{alias_key, KbEntity, KnowledgeBase};

/// At most this many entities are weighed for one reference.
pub const MAX_CANDIDATES: usize = 8;
/// Words read before and after a name for the titles and roles it was introduced with.
const WINDOW: usize = 6;
/// A name token this frequent in the corpus is a common word (الثاني، الله), never a
/// reference alone.
const COMMON_WORD: u32 = 3000;

/// An entity as coreference sees it: its kind, name-key tokens, mentions (bytes) and KB entry.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub kind: &'a str,
    pub tokens: &'a [String],
    pub mentions: &'a [(usize, usize)],
    pub kb: Option<&'a KbEntity>,
}

/// A reference found in the text: bytes `start..end` refer to `targets[target]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: usize,
    pub start: usize,
    pub end: usize,
    /// `surname`, `name`, `title`, `role` or `nominal`.
    pub how: &'static str,
}

struct TitleInfo {
    roles: Vec<String>,
    office: bool,
}

fn data_lines(text: &'static str) -> impl Iterator<Item = Vec<&'static str>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

static TITLES: LazyLock<FxHashMap<String, TitleInfo>> = LazyLock::new(|| {
    data_lines(include_str!("../../../data/kb/coref_titles.tsv"))
        .filter(|f| f.len() >= 3)
        .map(|f| {
            let info = TitleInfo {
                roles: f[1].split(',').map(str::to_string).collect(),
                office: f[2] == "office",
            };
            (alias_key(f[0]), info)
        })
        .collect()
});

struct RolePhrase {
    words: Vec<String>,
    roles: Vec<String>,
}

/// Role phrases by the alias key of their first word.
static ROLES: LazyLock<FxHashMap<String, Vec<RolePhrase>>> = LazyLock::new(|| {
    let mut map: FxHashMap<String, Vec<RolePhrase>> = FxHashMap::default();
    for f in data_lines(include_str!("../../../data/kb/role_phrases.tsv")) {
        if f.len() < 2 {
            continue;
        }
        let words: Vec<String> = f[0].split_whitespace().map(alias_key).collect();
        let roles = f[1].split(',').map(str::to_string).collect();
        map.entry(words[0].clone())
            .or_default()
            .push(RolePhrase { words, roles });
    }
    for list in map.values_mut() {
        list.sort_by_key(|p| std::cmp::Reverse(p.words.len()));
    }
    map
});

/// Particles that make the next word part of another name (ابن حفتر، أبو خليفة).
const NAME_PARTICLES: &[&str] = &["ابن", "بن", "بنت", "ابو", "ام", "عبد", "ال", "بو"];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Gap {
    Space,
    Comma,
    Stop,
}

struct Word {
    start: usize,
    end: usize,
    /// What separates it from the word before.
    gap: Gap,
    sentence: usize,
    /// Index into the distinct word forms.
    form: usize,
}

/// One reading of a word: proclitics cut off (`cut` bytes), its keys.
#[derive(Debug, PartialEq)]
struct Reading {
    cut: usize,
    name_key: String,
    alias: String,
}

/// Distinct word forms whose readings a thread keeps between documents. Keying a word is
/// most of coreference's cost and a few thousand forms make most of any article, so the
/// readings are computed once per form and thread, not once per form and document; when the
/// cache is full it starts over (bounded memory; the output never depends on it).
const READINGS_CACHE: usize = 50_000;

thread_local! {
    static CACHED_READINGS: RefCell<FxHashMap<Box<str>, Rc<[Reading]>>> =
        RefCell::new(FxHashMap::default());
}

/// [`readings`] of `word`, from this thread's cache when it has them.
fn cached_readings(word: &str) -> Rc<[Reading]> {
    CACHED_READINGS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(r) = cache.get(word) {
            return Rc::clone(r);
        }
        if cache.len() >= READINGS_CACHE {
            cache.clear();
        }
        let r: Rc<[Reading]> = readings(word).into();
        cache.insert(word.into(), Rc::clone(&r));
        r
    })
}

/// The readings of a word: as it is, without a conjunction, without conjunction + preposition
/// (لل read as ال). Each keeps at least three letters.
fn readings(word: &str) -> Vec<Reading> {
    let mut out = Vec::with_capacity(3);
    let mut push = |cut: usize, form: &str| {
        if form.chars().count() >= 3 {
            out.push(Reading {
                cut,
                name_key: name_key(form),
                alias: alias_key(form),
            });
        }
    };
    push(0, word);
    let mut rest = word;
    let mut cut = 0;
    if let Some(r) = rest.strip_prefix(['و', 'ف']) {
        cut = word.len() - r.len();
        rest = r;
        push(cut, rest);
    }
    if let Some(r) = rest.strip_prefix("لل") {
        push(cut, &format!("ال{r}"));
    } else if let Some(r) = rest.strip_prefix(['ب', 'ل', 'ك']) {
        push(word.len() - r.len(), r);
    }
    out
}

/// A letter, digit or Arabic mark: what the words of an article are made of.
pub(crate) fn is_word_char(c: char) -> bool {
    // Arabic letters, marks and ASCII first: the general Unicode tables are slow per char.
    match c {
        '\u{0621}'..='\u{065F}' | '\u{0670}' => true,
        _ if c.is_ascii() => c.is_ascii_alphanumeric(),
        _ => c.is_alphanumeric(),
    }
}

/// The words of `text` with their gaps and sentences, and the distinct forms' readings.
fn words(text: &str) -> (Vec<Word>, Vec<Rc<[Reading]>>) {
    let mut words = Vec::new();
    let mut forms: Vec<Rc<[Reading]>> = Vec::new();
    let mut form_of: FxHashMap<&str, usize> = FxHashMap::default();
    let mut sentence = 0;
    let mut gap = Gap::Stop;
    let mut start: Option<usize> = None;
    let mut finish = |s: usize, e: usize, gap: Gap, sentence: usize, words: &mut Vec<Word>| {
        let w = &text[s..e];
        let form = *form_of.entry(w).or_insert_with(|| {
            forms.push(cached_readings(w));
            forms.len() - 1
        });
        words.push(Word {
            start: s,
            end: e,
            gap,
            sentence,
            form,
        });
    };
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(s) = start.take() {
            finish(s, i, gap, sentence, &mut words);
            gap = Gap::Space;
        }
        if matches!(
            c,
            '.' | '!'
                | '?'
                | '؟'
                | '\n'
                | ':'
                | ';'
                | '؛'
                | '('
                | ')'
                | '"'
                | '“'
                | '”'
                | '«'
                | '»'
        ) {
            if gap != Gap::Stop {
                sentence += 1;
            }
            gap = Gap::Stop;
        } else if matches!(c, '،' | ',') && gap == Gap::Space {
            gap = Gap::Comma;
        }
    }
    if let Some(s) = start {
        finish(s, text.len(), gap, sentence, &mut words);
    }
    (words, forms)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Slot {
    First,
    Last,
}

/// What the article said of a person next to its names.
#[derive(Default)]
struct Attested {
    titles: Vec<String>,
    roles: Vec<String>,
    countries: Vec<String>,
}

/// What a title or role reference asks of its person.
struct Spec {
    /// The title key (الجنرال) or the role phrase (رئيس الاستخبارات) it must be attested with,
    title: Option<&'static str>,
    role: Option<String>,
    /// … or the KB role kinds that fit it,
    roles: &'static [String],
    /// … and the country its adjective names.
    country: Option<String>,
}

struct Occurrence {
    start: usize,
    end: usize,
    sentence: usize,
    how: &'static str,
    /// A name's owners; empty for a title or role, whose candidates are the people named
    /// most recently ([`RECENT`]) that fit its [`Spec`].
    candidates: Vec<usize>,
    spec: Option<Spec>,
}

/// A title or role is weighed against at most this many people, the most recently named.
const RECENT: usize = 2 * MAX_CANDIDATES;

/// A role phrase with a country adjective that no person of the article fits
/// (`رئيس جهاز المخابرات التركي` where the article never names him): the caller may find
/// the one person the KB gives that role at the article's date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnnamedRole {
    pub start: usize,
    pub end: usize,
    /// KB role kinds the phrase fits (`SPY`), after the country code.
    pub kinds: &'static [String],
    /// ISO 3166 alpha-3 code of the adjective (`TUR`).
    pub country: String,
}

/// The references of `text` to `targets`, in text order.
pub fn corefer(text: &str, targets: &[Target<'_>], kb: &KnowledgeBase) -> Vec<Link> {
    corefer_all(text, targets, kb).0
}

/// [`corefer`], and the role phrases it could link to nobody (see [`UnnamedRole`]).
pub fn corefer_all(
    text: &str,
    targets: &[Target<'_>],
    kb: &KnowledgeBase,
) -> (Vec<Link>, Vec<UnnamedRole>) {
    let (words, forms) = words(text);
    if words.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // Every mention, sorted, for overlap checks; and the word where each starts.
    let mut taken: Vec<(usize, usize, usize)> = targets
        .iter()
        .enumerate()
        .flat_map(|(t, c)| c.mentions.iter().map(move |&(s, e)| (s, e, t)))
        .collect();
    taken.sort_unstable();
    let overlaps = |s: usize, e: usize| -> bool {
        let i = taken.partition_point(|m| m.0 < e);
        taken[..i].iter().rev().take(64).any(|m| m.1 > s)
    };
    let word_at = |byte: usize| -> Option<usize> {
        let i = words.partition_point(|w| w.start < byte);
        (i < words.len() && words[i].start == byte).then_some(i)
    };
    let mention_starting = |w: usize| -> Option<usize> {
        let s = words[w].start;
        let i = taken.partition_point(|m| m.0 < s);
        // A word with a proclitic (وحفتر) starts a mention a few bytes in.
        taken.get(i).filter(|m| m.0 < words[w].end).map(|m| m.2)
    };
    let is_person = |t: usize| targets[t].kind == "PER";
    // Name tokens of people named in full → (target, slot), capped.
    let mut token_index: FxHashMap<&str, Vec<(usize, Slot)>> = FxHashMap::default();
    for (t, c) in targets.iter().enumerate() {
        if c.kind != "PER" || c.tokens.len() < 2 {
            continue;
        }
        let slots = [
            (c.tokens.first(), Slot::First),
            (c.tokens.last(), Slot::Last),
        ];
        for (tok, slot) in slots {
            let Some(tok) = tok else { continue };
            if tok.chars().count() < 3 || crate::resolve::is_title(tok) {
                continue;
            }
            let list = token_index.entry(tok.as_str()).or_default();
            if list.len() < MAX_CANDIDATES && !list.contains(&(t, slot)) {
                list.push((t, slot));
            }
        }
    }
    // How long each name token is as written in the person's mentions (letters of its alias
    // key): a bare word must be as long, so a name key's dropped vowel or article does not
    // turn a common word into the name (ربع ≠ ربيع، الدنيا ≠ دنيا، الشاعر ≠ شاعر).
    let mut written: FxHashMap<(usize, String), Vec<usize>> = FxHashMap::default();
    for (t, c) in targets.iter().enumerate() {
        if c.kind != "PER" || c.tokens.len() < 2 {
            continue;
        }
        for &(s, e) in c.mentions.iter().take(MAX_CANDIDATES) {
            for w in text[s..e].split(|ch: char| !is_word_char(ch)) {
                if w.is_empty() {
                    continue;
                }
                let lens = written.entry((t, name_key(w))).or_default();
                let n = alias_key(w).chars().count();
                if !lens.contains(&n) {
                    lens.push(n);
                }
            }
        }
    }
    let written_as = |t: usize, r: &Reading| -> bool {
        written
            .get(&(t, r.name_key.clone()))
            .is_some_and(|l| l.contains(&r.alias.chars().count()))
    };
    let first_owner = |key: &str| -> Vec<usize> {
        token_index
            .get(key)
            .map(|l| {
                l.iter()
                    .filter(|(_, s)| *s == Slot::First)
                    .map(|&(t, _)| t)
                    .collect()
            })
            .unwrap_or_default()
    };
    let any_token = |w: usize| -> bool {
        forms[words[w].form]
            .iter()
            .any(|r| token_index.contains_key(r.name_key.as_str()))
    };
    // Word w follows a person's mention directly (خليفة حفتر قائد الجيش، …): an appositive.
    let after_person = |w: usize| -> bool {
        w > 0
            && words[w].gap != Gap::Stop
            && overlaps_person(&taken, targets, words[w - 1].start, words[w - 1].end)
    };
    // A person's mention within three words after word w, in the same clause
    // (الرئيس السوري، أحمد الشرع؛ الفريق أول ركن محمد الحداد): w is before a name.
    let before_person = |w: usize| -> bool {
        (w + 1..(w + 4).min(words.len()))
            .take_while(|&n| words[n].gap != Gap::Stop)
            .enumerate()
            .any(|(i, n)| {
                (i == 0 || words[n].gap == Gap::Space)
                    && (mention_starting(n).is_some_and(is_person) || any_token(n))
            })
    };

    // Country adjective at word w (التركي، الليبية) → ISO country.
    let mut nisba_cache: FxHashMap<usize, Option<String>> = FxHashMap::default();
    let mut nisba_at = |w: usize| -> Option<String> {
        let f = words[w].form;
        nisba_cache
            .entry(f)
            .or_insert_with(|| {
                let word = &text[words[w].start..words[w].end];
                let key = alias_key(word);
                kb.lookup(word)
                    .find(|e| e.kind == "LOC" && e.nisba.iter().any(|n| alias_key(n) == key))
                    .and_then(|e| e.country.clone())
            })
            .clone()
    };
    let title_at = |w: usize| -> Option<(&'static str, &'static TitleInfo, usize)> {
        forms[words[w].form].iter().find_map(|r| {
            TITLES
                .get_key_value(&r.alias)
                .map(|(k, info)| (k.as_str(), info, r.cut))
        })
    };
    // A role phrase starting at word w: (phrase key, roles, cut of the first word, last word).
    let role_at = |w: usize| -> Option<(String, &'static [String], usize, usize)> {
        for r in forms[words[w].form].iter() {
            let Some(list) = ROLES.get(&r.alias) else {
                continue;
            };
            'phrase: for p in list {
                let last = w + p.words.len() - 1;
                if last >= words.len() {
                    continue;
                }
                for (k, pw) in p.words.iter().enumerate().skip(1) {
                    let word = &words[w + k];
                    if word.gap != Gap::Space || alias_key(&text[word.start..word.end]) != *pw {
                        continue 'phrase;
                    }
                }
                return Some((p.words.join(" "), &p.roles, r.cut, last));
            }
        }
        None
    };

    // What each person was introduced with: the run of words before a name (to the sentence
    // start or a comma before the name) and the appositive after it.
    let mut attested: FxHashMap<usize, Attested> = FxHashMap::default();
    for &(s, e, t) in &taken {
        if !is_person(t) {
            continue;
        }
        let (Some(a), Some(b)) = (word_at(s).or_else(|| word_containing(&words, s)), {
            let i = words.partition_point(|w| w.end < e);
            (i < words.len()).then_some(i)
        }) else {
            continue;
        };
        let entry = attested.entry(t).or_default();
        // Before: the run of titles and country adjectives right before the name
        // (بالجنرال خليفة حفتر، الرئيس التركي رجب طيب أردوغان) …
        if a > 0 && words[a].gap != Gap::Stop {
            let mut j = a - 1;
            loop {
                let title = title_at(j);
                let nisba = nisba_at(j);
                let generic = forms[words[j].form]
                    .iter()
                    .any(|r| crate::resolve::is_title(&r.alias));
                if title.is_none() && nisba.is_none() && !generic {
                    break;
                }
                if let Some((key, _, _)) = title {
                    entry.titles.push(key.to_string());
                }
                if let Some(c) = nisba {
                    entry.countries.push(c);
                }
                if j == 0 || words[j].gap != Gap::Space {
                    break;
                }
                j -= 1;
            }
            // … and a role phrase ending there, a country adjective allowed after it
            // (رئيس الاستخبارات التركية، إبراهيم قالين).
            for k in a.saturating_sub(WINDOW)..a {
                let Some((phrase, _, _, last)) = role_at(k) else {
                    continue;
                };
                let country = (last + 2 == a).then(|| nisba_at(a - 1)).flatten();
                let joined = (k + 1..a).all(|x| words[x].gap == Gap::Space);
                if joined && (last + 1 == a || country.is_some()) {
                    entry.roles.push(phrase);
                    entry.countries.extend(country);
                }
            }
        }
        // After: a comma or space, then a role phrase.
        let after = b + 1;
        if after < words.len() && words[after].gap != Gap::Stop {
            if let Some((phrase, _, _, last)) = role_at(after) {
                entry.roles.push(phrase);
                if last + 1 < words.len() && words[last + 1].gap == Gap::Space {
                    if let Some(c) = nisba_at(last + 1) {
                        entry.countries.push(c);
                    }
                }
            }
        }
    }

    let fits = |t: usize, roles: &[String], country: Option<&str>| -> bool {
        let Some(e) = targets[t].kb else { return false };
        e.roles.iter().any(|r| {
            roles.iter().any(|suffix| r.code.ends_with(suffix.as_str()))
                && country.is_none_or(|c| r.code.starts_with(c) || e.country.as_deref() == Some(c))
        })
    };
    let country_ok = |t: usize, country: Option<&str>| -> bool {
        let Some(c) = country else { return true };
        targets[t].kb.and_then(|e| e.country.as_deref()) == Some(c)
            || attested
                .get(&t)
                .is_some_and(|a| a.countries.iter().any(|x| x == c))
    };

    let mut occurrences: Vec<Occurrence> = Vec::new();
    let mut w = 0;
    while w < words.len() {
        let word = &words[w];
        let next_gap = words.get(w + 1).map_or(Gap::Stop, |n| n.gap);
        // Role phrase (longest first), then title, then a name token.
        if let Some((phrase, roles, cut, mut last)) = role_at(w) {
            let mut country = None;
            if last + 1 < words.len() && words[last + 1].gap == Gap::Space {
                if let Some(c) = nisba_at(last + 1) {
                    country = Some(c);
                    last += 1;
                }
            }
            let (s, e) = (word.start + cut, words[last].end);
            let appositive = after_person(w) || before_person(last);
            if !appositive
                && !overlaps_person(&taken, targets, s, e)
                && !partly_overlaps(&taken, s, e)
            {
                occurrences.push(Occurrence {
                    start: s,
                    end: e,
                    sentence: word.sentence,
                    how: "role",
                    candidates: Vec::new(),
                    spec: Some(Spec {
                        title: None,
                        role: Some(phrase),
                        roles,
                        country,
                    }),
                });
            }
            w = last + 1;
            continue;
        }
        if let Some((key, info, cut)) = title_at(w) {
            let mut last = w;
            let mut country = None;
            if next_gap == Gap::Space {
                if let Some(c) = nisba_at(w + 1) {
                    country = Some(c);
                    last = w + 1;
                }
            }
            let (s, e) = (word.start + cut, words[last].end);
            // A title before a name (الرئيس التركي رجب طيب أردوغان) or with a modifier
            // (الرئيس التنفيذي، الجنرال المتقاعد) is not a reference of its own.
            let followed = after_person(w)
                || before_person(last)
                || (last + 1 < words.len() && words[last + 1].gap == Gap::Space && {
                    let n = last + 1;
                    let nw = &text[words[n].start..words[n].end];
                    mention_starting(n).is_some()
                        || title_at(n).is_some()
                        || looks_like_name(nw)
                        || (country.is_none() && alias_key(nw).starts_with("ال"))
                });
            let nested_ok =
                !overlaps_person(&taken, targets, s, e) && !partly_overlaps(&taken, s, e);
            if !followed && nested_ok {
                occurrences.push(Occurrence {
                    start: s,
                    end: e,
                    sentence: word.sentence,
                    how: if country.is_some() && !info.office {
                        "nominal"
                    } else {
                        "title"
                    },
                    candidates: Vec::new(),
                    spec: Some(Spec {
                        title: Some(key),
                        role: None,
                        roles: &info.roles,
                        country,
                    }),
                });
            }
            w = last + 1;
            continue;
        }
        // A name token alone.
        let hit = forms[word.form].iter().find_map(|r| {
            token_index
                .get(r.name_key.as_str())
                .map(|l| (r, l.as_slice()))
        });
        if let Some((r, list)) = hit {
            let (mut s, e) = (word.start + r.cut, word.end);
            let has_last = list.iter().any(|(_, sl)| *sl == Slot::Last);
            let has_first = list.iter().any(|(_, sl)| *sl == Slot::First);
            let surface = normalize_str(&text[s..e], Level::Match);
            let common = rased_text::segment::corpus_count(&surface) > COMMON_WORD;
            let mut how = "surname";
            let mut candidates: Vec<usize> = Vec::new();
            let ambiguous = has_last && has_first;
            let mut ok = !(common || ambiguous || overlaps(s, e));
            let owners = || {
                list.iter()
                    .map(|&(t, _)| t)
                    .filter(|&t| written_as(t, r))
                    .collect::<Vec<usize>>()
            };
            if ok && has_last {
                candidates = owners();
            } else if ok {
                // A first name alone: its one owner, and not the start of a longer name.
                how = "name";
                ok = list.len() == 1 && !(next_gap == Gap::Space && any_token(w + 1));
                candidates = owners();
            }
            if ok && word.gap == Gap::Space && w > 0 {
                let prev = &words[w - 1];
                let prev_readings = &forms[prev.form];
                if prev_readings
                    .iter()
                    .any(|p| NAME_PARTICLES.contains(&p.alias.as_str()))
                    || mention_starting(w - 1).is_some_and(is_person)
                    || overlaps_person(&taken, targets, prev.start, prev.end)
                {
                    ok = false;
                } else if how == "surname" {
                    // خليفة حفتر / صدام حفتر written out where the tagger missed it.
                    let owners: Vec<usize> = prev_readings
                        .iter()
                        .flat_map(|p| first_owner(&p.name_key))
                        .collect();
                    if !owners.is_empty() {
                        candidates.retain(|t| owners.contains(t));
                        if candidates.is_empty() {
                            ok = false;
                        } else {
                            s = prev.start + prev_readings[0].cut;
                        }
                    }
                }
            }
            if ok && !candidates.is_empty() {
                occurrences.push(Occurrence {
                    start: s,
                    end: e,
                    sentence: word.sentence,
                    how,
                    candidates,
                    spec: None,
                });
            }
        }
        w += 1;
    }

    // In text order: each reference goes to its best candidate named before it.
    occurrences.sort_by_key(|o| o.start);
    let mut count = vec![0usize; targets.len()];
    let mut last_pos = vec![0usize; targets.len()];
    let mut last_sentence = vec![usize::MAX; targets.len()];
    let sentence_of = |byte: usize| -> usize {
        let i = words.partition_point(|w| w.start <= byte);
        words[i.saturating_sub(1)].sentence
    };
    // The people named most recently, latest first.
    let mut recent: Vec<usize> = Vec::with_capacity(RECENT + 1);
    let touch = |recent: &mut Vec<usize>, t: usize| {
        if !is_person(t) {
            return;
        }
        if let Some(i) = recent.iter().position(|&r| r == t) {
            recent.remove(i);
        }
        recent.insert(0, t);
        recent.truncate(RECENT);
    };
    let mut links: Vec<Link> = Vec::new();
    let mut unnamed: Vec<UnnamedRole> = Vec::new();
    let mut m = 0;
    let mut end_of_last = 0;
    for o in occurrences {
        while m < taken.len() && taken[m].0 < o.start {
            let (s, _, t) = taken[m];
            count[t] += 1;
            last_pos[t] = s;
            last_sentence[t] = sentence_of(s);
            touch(&mut recent, t);
            m += 1;
        }
        if o.start < end_of_last {
            continue;
        }
        let (candidates, attested_ones): (Vec<usize>, Vec<usize>) = match &o.spec {
            None => (o.candidates.clone(), Vec::new()),
            Some(spec) => {
                let country = spec.country.as_deref();
                let att: Vec<usize> = recent
                    .iter()
                    .copied()
                    .filter(|t| {
                        attested.get(t).is_some_and(|a| {
                            spec.title.is_some_and(|k| a.titles.iter().any(|x| x == k))
                                || spec.role.as_ref().is_some_and(|r| a.roles.contains(r))
                        }) && country_ok(*t, country)
                    })
                    .collect();
                // A role phrase fits by the KB only in the country it names; a title in
                // any country its adjective allows.
                let kb_fit = recent.iter().copied().filter(|&t| {
                    !att.contains(&t)
                        && (spec.role.is_none() || country.is_some())
                        && fits(t, spec.roles, country)
                        && country_ok(t, country)
                });
                let mut all = att.clone();
                all.extend(kb_fit);
                (all, att)
            }
        };
        let best = candidates
            .iter()
            .copied()
            .take(MAX_CANDIDATES)
            .filter(|&t| count[t] > 0)
            .max_by_key(|&t| {
                (
                    attested_ones.contains(&t),
                    last_sentence[t] == o.sentence,
                    count[t],
                    last_pos[t],
                )
            });
        if let Some(t) = best {
            count[t] += 1;
            last_pos[t] = o.start;
            last_sentence[t] = o.sentence;
            touch(&mut recent, t);
            end_of_last = o.end;
            links.push(Link {
                target: t,
                start: o.start,
                end: o.end,
                how: o.how,
            });
        } else if let Some(Spec {
            role: Some(_),
            roles,
            country: Some(country),
            ..
        }) = &o.spec
        {
            unnamed.push(UnnamedRole {
                start: o.start,
                end: o.end,
                kinds: roles,
                country: country.clone(),
            });
        }
    }
    (links, unnamed)
}

/// A known name that is not one of the language's frequent words (إن، بين are in the name
/// lists too): a title before it is the title of an untagged name (الرئيس الأميركي ترمب).
fn looks_like_name(word: &str) -> bool {
    let w = normalize_str(word, Level::Match);
    rased_text::segment::is_known_name(&w) && rased_text::segment::corpus_count(&w) < FREQUENT_WORD
}

/// More frequent than this in the corpus, a word is a function word even if names lists
/// have it.
const FREQUENT_WORD: u32 = 20_000;

fn word_containing(words: &[Word], byte: usize) -> Option<usize> {
    let i = words.partition_point(|w| w.start <= byte);
    (i > 0 && words[i - 1].end > byte).then(|| i - 1)
}

/// Does a person's mention overlap bytes `s..e`?
fn overlaps_person(
    taken: &[(usize, usize, usize)],
    targets: &[Target<'_>],
    s: usize,
    e: usize,
) -> bool {
    let i = taken.partition_point(|m| m.0 < e);
    taken[..i]
        .iter()
        .rev()
        .take(64)
        .any(|m| m.1 > s && targets[m.2].kind == "PER")
}

/// Does a mention cross the edge of `s..e` (start inside and end outside, or the reverse)?
fn partly_overlaps(taken: &[(usize, usize, usize)], s: usize, e: usize) -> bool {
    let i = taken.partition_point(|m| m.0 < e);
    taken[..i]
        .iter()
        .rev()
        .take(64)
        .any(|m| m.1 > s && (m.0 < s || m.1 > e))
}

#[cfg(test)]
mod tests {
    use crate::resolve::{resolve, Candidate};
    use crate::{KbEntity, KnowledgeBase, RoleSpan};
    use rased_model::Entity;

    fn person(id: &str, name: &str, country: &str, roles: &[&str]) -> KbEntity {
        KbEntity {
            id: id.into(),
            kind: "PER".into(),
            name: name.into(),
            aliases: vec![],
            weak_aliases: vec![],
            country: Some(country.into()),
            nisba: vec![],
            roles: roles
                .iter()
                .map(|c| RoleSpan {
                    code: c.to_string(),
                    from: None,
                    to: None,
                })
                .collect(),
            population: None,
            source: "test".into(),
        }
    }

    fn country(code: &str, name: &str, nisba: &[&str]) -> KbEntity {
        KbEntity {
            id: format!("iso:{code}"),
            kind: "LOC".into(),
            name: name.into(),
            aliases: vec![],
            weak_aliases: vec![],
            country: Some(code.into()),
            nisba: nisba.iter().map(|n| n.to_string()).collect(),
            roles: vec![],
            population: None,
            source: "test".into(),
        }
    }

    fn kb() -> KnowledgeBase {
        KnowledgeBase::from_entities(vec![
            person("khalifa", "خليفة حفتر", "LBY", &["LBYMIL"]),
            person("saddam", "صدام حفتر", "LBY", &["LBYMIL"]),
            person("kalin", "إبراهيم قالين", "TUR", &["TURSPY"]),
            person("erdogan", "رجب طيب أردوغان", "TUR", &["TURGOV"]),
            country("LBY", "ليبيا", &["الليبي", "الليبية"]),
            country("TUR", "تركيا", &["التركي", "التركية"]),
        ])
    }

    /// The names as PER candidates, every whole occurrence (a tagger that found the full
    /// names only).
    fn run(text: &str, names: &[&str]) -> Vec<Entity> {
        let mut tagged = Vec::new();
        for name in names {
            for (s, _) in text.match_indices(name) {
                let e = s + name.len();
                let free = |c: Option<char>| !c.is_some_and(char::is_alphanumeric);
                if free(text[..s].chars().next_back()) && free(text[e..].chars().next()) {
                    tagged.push(Candidate {
                        start: s,
                        end: e,
                        kind: "PER".into(),
                        confidence: 1.0,
                    });
                }
            }
        }
        tagged.sort_by_key(|c| c.start);
        let kb = kb();
        let gaz = crate::Gazetteer::new(&kb).unwrap();
        resolve(text, &tagged, &gaz.find(text), &kb)
    }

    /// The linked mentions of entity `id`: (text, how).
    fn links(entities: &[Entity], id: &str) -> Vec<(String, String)> {
        entities
            .iter()
            .filter(|e| e.id == id)
            .flat_map(|e| &e.mentions)
            .filter_map(|m| m.link.clone().map(|l| (m.text.clone(), l)))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn a_surname_alone_links_also_with_a_proclitic() {
        let text = "استقبل خليفة حفتر الوفد. وقال مكتب حفتر إن اللقاء مع وفد ليبي، وحفتر يرحب. واتصل الوزير بحفتر.";
        let e = run(text, &["خليفة حفتر"]);
        assert_eq!(
            links(&e, "khalifa"),
            pairs(&[
                ("حفتر", "surname"),
                ("حفتر", "surname"),
                ("حفتر", "surname")
            ])
        );
        // Offsets are code points and select the text.
        let chars: Vec<char> = text.chars().collect();
        for m in &e[0].mentions {
            assert_eq!(chars[m.start..m.end].iter().collect::<String>(), m.text);
        }
    }

    #[test]
    fn a_surname_is_not_linked_inside_another_name() {
        let text = "استقبل خليفة حفتر الوفد. وحضر ابن حفتر اللقاء.";
        let e = run(text, &["خليفة حفتر"]);
        assert!(links(&e, "khalifa").is_empty(), "{e:?}");
    }

    #[test]
    fn a_bare_word_must_be_written_as_long_as_the_name() {
        // ربع has the name key of ربيع, الدنيا that of دنيا: neither is the name.
        let text = "قدم علي ربيع مسلسل ربع رومي. وقالت دنيا سمير إن الدنيا تغيرت.";
        let e = run(text, &["علي ربيع", "دنيا سمير"]);
        let linked: Vec<_> = e
            .iter()
            .flat_map(|x| &x.mentions)
            .filter(|m| m.link.is_some())
            .collect();
        assert!(linked.is_empty(), "{linked:?}");
    }

    #[test]
    fn a_surname_before_its_full_name_is_not_linked() {
        let text = "قال حفتر إن الوفد وصل. واستقبل خليفة حفتر الوفد.";
        let e = run(text, &["خليفة حفتر"]);
        assert!(links(&e, "khalifa").is_empty(), "{e:?}");
    }

    #[test]
    fn a_title_alone_links_to_the_person_introduced_with_it() {
        let text = "التقى الوزير بالجنرال خليفة حفتر في بنغازي. وقال الجنرال إن اللقاء كان مثمرا.";
        let e = run(text, &["خليفة حفتر"]);
        assert_eq!(links(&e, "khalifa"), pairs(&[("الجنرال", "title")]));
    }

    #[test]
    fn a_title_before_a_name_is_not_a_reference() {
        let text = "التقى خليفة حفتر الوفد. ثم التقى الجنرال صدام حفتر الوفد.";
        let e = run(text, &["خليفة حفتر", "صدام حفتر"]);
        assert!(links(&e, "khalifa").is_empty(), "{e:?}");
        assert!(links(&e, "saddam").is_empty(), "{e:?}");
    }

    #[test]
    fn an_office_with_a_country_links_by_kb_role_and_country() {
        let text =
            "استقبل رجب طيب أردوغان إبراهيم قالين في أنقرة. وقال الرئيس التركي إن العلاقات قوية.";
        let e = run(text, &["رجب طيب أردوغان", "إبراهيم قالين"]);
        assert_eq!(links(&e, "erdogan"), pairs(&[("الرئيس التركي", "title")]));
        assert!(links(&e, "kalin").is_empty());
    }

    #[test]
    fn a_country_must_agree() {
        let text = "استقبل رجب طيب أردوغان الوفد. وقال الرئيس الليبي إن العلاقات قوية.";
        let e = run(text, &["رجب طيب أردوغان"]);
        assert!(links(&e, "erdogan").is_empty(), "{e:?}");
    }

    #[test]
    fn a_role_phrase_links_by_kb_role_in_its_country() {
        let text =
            "وصل إبراهيم قالين إلى طرابلس. وأكد رئيس جهاز المخابرات التركية أن الزيارة مهمة.";
        let e = run(text, &["إبراهيم قالين"]);
        assert_eq!(
            links(&e, "kalin"),
            pairs(&[("رئيس جهاز المخابرات التركية", "role")])
        );
    }

    #[test]
    fn a_role_phrase_links_to_the_person_introduced_with_it() {
        let text =
            "التقى رئيس الاستخبارات، إبراهيم قالين، الوفد. وقال رئيس الاستخبارات إن اللقاء مثمر.";
        let kb = KnowledgeBase::from_entities(vec![]);
        let s = text.find("إبراهيم").unwrap();
        let tagged = vec![Candidate {
            start: s,
            end: s + "إبراهيم قالين".len(),
            kind: "PER".into(),
            confidence: 1.0,
        }];
        let e = resolve(text, &tagged, &[], &kb);
        let id = e[0].id.clone();
        assert_eq!(links(&e, &id), pairs(&[("رئيس الاستخبارات", "role")]));
    }

    #[test]
    fn a_nominal_links_and_takes_its_country_adjective() {
        let text = "التقى الوفد بالجنرال خليفة حفتر في بنغازي. ثم اجتمع الوزير مع الجنرال الليبي.";
        let e = run(text, &["خليفة حفتر"]);
        assert_eq!(
            links(&e, "khalifa"),
            pairs(&[("الجنرال الليبي", "nominal")])
        );
        // The adjective is part of the nominal now, not a mention of Libya of its own.
        assert!(e
            .iter()
            .all(|x| x.id != "iso:LBY" || x.mentions.iter().all(|m| m.text != "الليبي")));
    }

    #[test]
    fn a_shared_surname_goes_to_the_more_salient_haftar() {
        // Khalifa is named twice before Saddam appears: the next bare حفتر is Khalifa's.
        let text = "استقبل خليفة حفتر الوفد. وقال مكتب حفتر إن اللقاء مهم. \
                    وكان صدام حفتر حاضرا. ويعكس لقاء حفتر تطور العلاقات.";
        let e = run(text, &["خليفة حفتر", "صدام حفتر"]);
        assert_eq!(
            links(&e, "khalifa"),
            pairs(&[("حفتر", "surname"), ("حفتر", "surname")])
        );
        assert!(links(&e, "saddam").is_empty());
    }

    #[test]
    fn a_shared_surname_in_the_same_sentence_goes_to_the_nearer_haftar() {
        let text = "استقبل خليفة حفتر الوفد. وقال مكتب حفتر إن اللقاء مهم. \
                    ثم وصل صدام حفتر وتحدث حفتر عن الاتفاق.";
        let e = run(text, &["خليفة حفتر", "صدام حفتر"]);
        assert_eq!(links(&e, "khalifa"), pairs(&[("حفتر", "surname")]));
        assert_eq!(links(&e, "saddam"), pairs(&[("حفتر", "surname")]));
    }

    #[test]
    fn a_first_name_before_the_surname_picks_the_haftar() {
        let text =
            "استقبل خليفة حفتر الوفد. وكان صدام حفتر حاضرا. وقال صدام حفتر بعدها إن اللقاء مهم.";
        // The second صدام حفتر is left to coreference: the tagger found only the first.
        let saddam = text.find("صدام").unwrap();
        let mut e = run(
            &text[..saddam + "صدام حفتر".len() + 30],
            &["خليفة حفتر", "صدام حفتر"],
        );
        e.retain(|x| x.kind == "PER");
        assert_eq!(e.len(), 2);
        let kb = kb();
        let tagged: Vec<Candidate> = [text.find("خليفة").unwrap(), saddam]
            .into_iter()
            .zip(["خليفة حفتر", "صدام حفتر"])
            .map(|(s, n)| Candidate {
                start: s,
                end: s + n.len(),
                kind: "PER".into(),
                confidence: 1.0,
            })
            .collect();
        let e = resolve(text, &tagged, &[], &kb);
        assert_eq!(links(&e, "saddam"), pairs(&[("صدام حفتر", "surname")]));
        assert!(links(&e, "khalifa").is_empty());
    }

    #[test]
    fn work_stays_bounded_on_a_long_list_of_names() {
        // 20,000 comma-separated people sharing one surname, all tagged: every bare surname
        // weighs at most MAX_CANDIDATES of them.
        let mut text = String::new();
        let mut tagged = Vec::new();
        for i in 0..20_000 {
            let name = format!("اسم{} حفتر", i % 50);
            let s = text.len();
            text.push_str(&name);
            tagged.push(Candidate {
                start: s,
                end: text.len(),
                kind: "PER".into(),
                confidence: 1.0,
            });
            text.push_str("، حفتر، ");
        }
        let kb = KnowledgeBase::from_entities(vec![]);
        let e = resolve(&text, &tagged, &[], &kb);
        let linked: usize = e
            .iter()
            .flat_map(|x| &x.mentions)
            .filter(|m| m.link.is_some())
            .count();
        assert_eq!(linked, 20_000);
    }
}
