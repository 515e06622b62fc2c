//! Builds the seed KB from `../shared/data` (run by `rased build-kb`).
//!
//! Sources, each with its own licence (see `data/kb/README.md`):
//! * countries: ISO 3166 codes (`data/kb/iso3166.tsv`) joined with CLDR Arabic names;
//!   nationality adjectives generated from the Arabic names by the nisba rules below and kept
//!   when the corpus uses them, plus the irregular ones in `data/kb/curated.jsonl`;
//! * cities: GeoNames cities of 15,000+ people with their Arabic-script names; a one-word name
//!   that the corpus mostly uses as an ordinary word (بدر، النصر) becomes a weak alias;
//! * people: the Arabic CAMEO actor dictionary (2019), keeping entries whose every word is a
//!   known personal-name token, with their CAMEO roles and date ranges;
//! * curated entries and aliases (`data/kb/curated.jsonl`): organisations and common names
//!   that no list above carries (الأمم المتحدة، قسد، أمريكا).
//!
//! The output is sorted and deterministic.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use rased_text::tokenize::{TokenKind, Tokens};

use crate::{alias_key, KbEntity, KbError, RoleSpan};

/// What the build produced, for the command's summary.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub countries: usize,
    pub cities: usize,
    pub people: usize,
    pub curated: usize,
    pub nisba_forms: usize,
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> KbError + '_ {
    move |source| KbError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn read(path: &Path) -> Result<String, KbError> {
    std::fs::read_to_string(path).map_err(io_err(path))
}

/// Builds `data/kb/entities.jsonl` into `out_dir` from the shared data in `shared_data`
/// (the `../shared/data` folder) and the hand-kept files already in `out_dir`.
pub fn build(shared_data: &Path, out_dir: &Path) -> Result<BuildReport, KbError> {
    let mut report = BuildReport::default();
    let counts = corpus_word_counts(&shared_data.join("corpus"))?;
    let mut entities: BTreeMap<String, KbEntity> = BTreeMap::new();

    let countries = countries(shared_data, out_dir, &counts)?;
    report.countries = countries.len();
    let alpha2_to_3: HashMap<String, String> = read_iso(out_dir)?
        .into_iter()
        .map(|(a2, a3, _)| (a2, a3))
        .collect();
    for c in countries {
        entities.insert(c.id.clone(), c);
    }
    for city in cities(shared_data, &alpha2_to_3, &counts)? {
        report.cities += 1;
        entities.insert(city.id.clone(), city);
    }
    for person in cameo_people(shared_data, out_dir)? {
        report.people += 1;
        entities.insert(person.id.clone(), person);
    }
    report.curated = apply_curated(out_dir, &mut entities)?;
    report.nisba_forms = entities.values().map(|e| e.nisba.len()).sum();

    let path = out_dir.join("entities.jsonl");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(io_err(&path))?);
    for e in entities.values() {
        let line = serde_json::to_string(e).expect("KB entities serialize");
        writeln!(file, "{line}").map_err(io_err(&path))?;
    }
    file.flush().map_err(io_err(&path))?;
    Ok(report)
}

/// Document frequencies of search-normalized Arabic words in the shared corpora (field
/// `text`).
fn corpus_word_counts(dir: &Path) -> Result<HashMap<String, u32>, KbError> {
    let mut counts: HashMap<String, u32> = HashMap::new();
    if !dir.is_dir() {
        return Ok(counts);
    }
    crate::corpus::for_each_text(dir, |text| {
        // Document frequency: in how many articles the word occurs.
        let words: HashSet<String> = Tokens::new(text)
            .filter(|t| t.kind == TokenKind::Arabic)
            .map(|t| alias_key(t.text))
            .collect();
        for w in words {
            *counts.entry(w).or_default() += 1;
        }
    })
    .map_err(io_err(dir))?;
    Ok(counts)
}

fn read_iso(out_dir: &Path) -> Result<Vec<(String, String, String)>, KbError> {
    let text = read(&out_dir.join("iso3166.tsv"))?;
    Ok(text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?.into(), f.next()?.into(), f.next()?.into()))
        })
        .collect())
}

fn countries(
    shared: &Path,
    out_dir: &Path,
    counts: &HashMap<String, u32>,
) -> Result<Vec<KbEntity>, KbError> {
    let cldr = read(&shared.join("places/cldr_territories_ar.tsv"))?;
    let arabic: HashMap<&str, (&str, &str)> = cldr
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut f = l.split('\t');
            Some((f.next()?, (f.next()?, f.next()?)))
        })
        .collect();
    let mut out = Vec::new();
    for (a2, a3, iso_name) in read_iso(out_dir)? {
        let Some(&(name, english)) = arabic.get(a2.as_str()) else {
            continue;
        };
        let mut aliases = vec![english.to_string()];
        if iso_name != english {
            aliases.push(iso_name.clone());
        }
        let nisba = nisba_forms(name)
            .into_iter()
            .filter(|form| counts.get(&alias_key(form)).copied().unwrap_or(0) >= 3)
            .collect();
        out.push(KbEntity {
            id: format!("iso:{a3}"),
            kind: "LOC".into(),
            name: name.to_string(),
            aliases,
            weak_aliases: vec![],
            country: Some(a3.clone()),
            nisba,
            roles: vec![],
            population: None,
            source: "iso-codes+cldr".into(),
        });
    }
    Ok(out)
}

/// Nationality adjectives by the regular nisba rules, from a country's Arabic name:
/// drop the article, then -يا/-ا → -ي (تركيا → تركي), -ة → -ي, else add -ي (مصر → مصري,
/// لبنان → لبناني); each in four forms: masculine and feminine, bare and definite. Only the
/// last word of a multi-word name takes the suffix (جنوب أفريقيا → جنوب أفريقي is left to
/// the curated file: the generated form is checked against the corpus anyway).
pub fn nisba_forms(country: &str) -> Vec<String> {
    let name = country.trim();
    if name.contains(' ') {
        return vec![];
    }
    let base = name.strip_prefix("ال").unwrap_or(name);
    let stem = if let Some(s) = base.strip_suffix("يا") {
        s.to_string()
    } else if let Some(s) = base.strip_suffix('ا') {
        s.to_string()
    } else if let Some(s) = base.strip_suffix('ة') {
        s.to_string()
    } else {
        base.to_string()
    };
    if stem.chars().count() < 2 {
        return vec![];
    }
    let masc = format!("{stem}ي");
    let fem = format!("{stem}ية");
    vec![format!("ال{masc}"), format!("ال{fem}"), masc, fem]
}

/// A word in more articles than this is too common to stand for a place on its own.
const GENERIC_DF: u32 = 1_400;

fn cities(
    shared: &Path,
    alpha2_to_3: &HashMap<String, String>,
    counts: &HashMap<String, u32>,
) -> Result<Vec<KbEntity>, KbError> {
    let text = read(&shared.join("places/geonames_cities15000_ar.tsv"))?;
    let mut out = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 7 {
            continue;
        }
        let population: u64 = f[3].parse().unwrap_or(0);
        let names: Vec<String> = f[6]
            .split('|')
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty())
            .collect();
        let df = |n: &str| counts.get(&alias_key(n)).copied().unwrap_or(0);
        // Weak: a word in more than one article in thirty (مدينة، المدينة: the common noun
        // wins), the bare form of a name that owns its article (مدينة beside المدينة), or a
        // one-word name of a small town, or of a mid-sized one that the corpus uses as a word
        // (بدر، النصر).
        let is_weak = |n: &String| {
            let one_word = !n.contains(' ');
            let generic = df(n) > GENERIC_DF;
            let bare_of_article_name = names.iter().any(|o| *o == format!("ال{n}"));
            let frequent = df(n) > 20;
            generic
                || bare_of_article_name
                || (one_word && ((frequent && population < 1_000_000) || population < 50_000))
        };
        // The canonical name: the strong spelling the corpus uses most (GeoNames lists odd
        // ones first: د مشق، ترابلس).
        let Some(name) = names
            .iter()
            .filter(|n| !is_weak(n))
            .chain(names.iter())
            .max_by_key(|n| {
                (
                    !is_weak(n),
                    df(n),
                    !n.ends_with('ه'),
                    !n.ends_with('ه'),
                    std::cmp::Reverse(n.len()),
                )
            })
            .cloned()
        else {
            continue;
        };
        let mut aliases = Vec::new();
        let mut weak = Vec::new();
        for n in names
            .iter()
            .filter(|n| **n != name)
            .chain(std::iter::once(&name))
        {
            if is_weak(n) {
                weak.push(n.clone());
            } else if *n != name {
                aliases.push(n.clone());
            }
        }
        if !f[1].is_empty() && f[1].is_ascii() {
            aliases.push(f[1].to_string());
        }
        out.push(KbEntity {
            id: format!("gn:{}", f[0]),
            kind: "LOC".into(),
            name,
            aliases,
            weak_aliases: weak,
            country: alpha2_to_3.get(f[2]).cloned(),
            nisba: vec![],
            roles: vec![],
            population: Some(population),
            source: "geonames".into(),
        });
    }
    Ok(out)
}

/// Personal-name tokens from the CC0/MIT name lists (search-normalized).
fn name_tokens(shared: &Path) -> Result<HashSet<String>, KbError> {
    let mut set = HashSet::new();
    let units = read(&shared.join("names/romanizer_units.tsv"))?;
    for line in units.lines().skip(1) {
        if let Some(a) = line.split('\t').next() {
            set.insert(alias_key(a));
        }
    }
    let dir = shared.join("names/akhateeb_arabic_names_MIT");
    for file in [
        "last-names-in-arabic.txt",
        "male-first--names-in-arabic.txt",
        "female-first-names-in-arabic.txt",
    ] {
        if let Ok(text) = std::fs::read_to_string(dir.join(file)) {
            set.extend(text.lines().map(alias_key).filter(|k| !k.is_empty()));
        }
    }
    Ok(set)
}

/// Title words (`data/kb/titles.txt`), search-normalized.
pub fn titles(out_dir: &Path) -> Result<HashSet<String>, KbError> {
    let text = read(&out_dir.join("titles.txt"))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(alias_key)
        .collect())
}

fn cameo_people(shared: &Path, out_dir: &Path) -> Result<Vec<KbEntity>, KbError> {
    let tokens = name_tokens(shared)?;
    let titles = titles(out_dir)?;
    let path = shared.join("events/arabic_dictionaries_2019/actor_dict_ar_v5.txt");
    let text = read(&path)?;
    let mut people: BTreeMap<String, KbEntity> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let indented = line.starts_with(char::is_whitespace);
        let (head, codes) = match line.find('[') {
            Some(i) => (&line[..i], &line[i..]),
            None => (line, ""),
        };
        if !indented {
            current = person_name(head.trim(), &tokens, &titles);
            if let Some(name) = &current {
                let key = head.trim().trim_end_matches('_').to_string();
                people.entry(name.clone()).or_insert_with(|| KbEntity {
                    id: format!("cameo:{key}"),
                    kind: "PER".into(),
                    name: name.clone(),
                    aliases: vec![],
                    weak_aliases: vec![],
                    country: None,
                    nisba: vec![],
                    roles: vec![],
                    population: None,
                    source: "cameo-ar-2019".into(),
                });
            }
        }
        let Some(name) = &current else { continue };
        let person = people.get_mut(name).expect("inserted above");
        for role in parse_roles(codes) {
            if person.country.is_none() && role.code.len() >= 3 {
                let country = &role.code[..3];
                if country.chars().all(|c| c.is_ascii_uppercase()) && country != "IGO" {
                    person.country = Some(country.to_string());
                }
            }
            if !person.roles.contains(&role) {
                person.roles.push(role);
            }
        }
    }
    Ok(people.into_values().collect())
}

/// `رجب_طيب_اردوغان_` → `رجب طيب اردوغان` when every word is a personal-name token
/// (so `وزارة_دفاع_أميركي_` and other lemmatized agent phrases are left out). Leading titles
/// (`أمير_سلطان_…`) are dropped; an entry with a title or nationality word elsewhere
/// (`سفير_سعودي_`) is not a name.
fn person_name(head: &str, tokens: &HashSet<String>, titles: &HashSet<String>) -> Option<String> {
    let mut words: Vec<&str> = head.split('_').filter(|w| !w.is_empty()).collect();
    while words
        .first()
        .is_some_and(|w| titles.contains(&alias_key(w)))
    {
        words.remove(0);
    }
    if words.iter().any(|w| {
        let k = alias_key(w);
        titles.contains(&k) || (k.ends_with('ي') && NISBA_LIKE.contains(&k.as_str()))
    }) {
        return None;
    }
    if words.len() < 2 || words.len() > 5 {
        return None;
    }
    let joined = words.join(" ");
    // Glue the name particles the dictionary splits: عبد_الله → عبد الله stays as spelled.
    let all_names = words.iter().all(|w| {
        tokens.contains(&alias_key(w)) || matches!(*w, "عبد" | "أبو" | "ابو" | "بن" | "آل")
    });
    all_names.then_some(joined)
}

/// Nationality words that the name lists also carry as names (سعودي، مصري …): an entry
/// holding one is a description (`سفير_سعودي`), not a person's name.
const NISBA_LIKE: &[&str] = &[
    "سعودي",
    "مصري",
    "سوري",
    "عراقي",
    "ليبي",
    "تركي",
    "امريكي",
    "اميركي",
    "بريطاني",
    "فرنسي",
    "روسي",
    "ايراني",
    "لبناني",
    "اردني",
    "يمني",
    "قطري",
    "كويتي",
    "تونسي",
    "مغربي",
    "جزائري",
    "سوداني",
    "فلسطيني",
    "اسرائيلي",
    "اماراتي",
    "عماني",
    "بحريني",
    "الماني",
    "صيني",
    "هندي",
];

/// `[TURGOV 20030314-20140828]`, `[TURGOV >20140828]`, `[IRQ]` → role spans.
fn parse_roles(codes: &str) -> Vec<RoleSpan> {
    let mut out = Vec::new();
    for part in codes.split('[').skip(1) {
        let inner = part.split(']').next().unwrap_or("").trim();
        let mut fields = inner.split_whitespace();
        let Some(code) = fields.next() else { continue };
        let (from, to) = match fields.next() {
            Some(d) if d.starts_with('>') => (iso(&d[1..]), None),
            Some(d) if d.starts_with('<') => (None, iso(&d[1..])),
            Some(d) => match d.split_once('-') {
                Some((a, b)) => (iso(a), iso(b)),
                None => (None, None),
            },
            None => (None, None),
        };
        out.push(RoleSpan {
            code: code.to_string(),
            from,
            to,
        });
    }
    out
}

fn iso(d: &str) -> Option<String> {
    (d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))
}

/// Merges `data/kb/curated.jsonl`: a line whose id exists adds its aliases, nisba and roles
/// to that entity; a new id adds an entity. Returns how many lines applied.
fn apply_curated(
    out_dir: &Path,
    entities: &mut BTreeMap<String, KbEntity>,
) -> Result<usize, KbError> {
    let path = out_dir.join("curated.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(0);
    };
    let mut applied = 0;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with("//") {
            continue;
        }
        let mut entry: KbEntity = serde_json::from_str(line).map_err(|e| KbError::BadLine {
            path: path.display().to_string(),
            line: i + 1,
            reason: e.to_string(),
        })?;
        applied += 1;
        match entities.get_mut(&entry.id) {
            Some(existing) => {
                for a in entry.aliases.drain(..) {
                    if !existing.aliases.contains(&a) {
                        existing.aliases.push(a);
                    }
                }
                for n in entry.nisba.drain(..) {
                    if !existing.nisba.contains(&n) {
                        existing.nisba.push(n);
                    }
                }
                existing.roles.append(&mut entry.roles);
            }
            None => {
                entities.insert(entry.id.clone(), entry);
            }
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_nisba_rules() {
        assert_eq!(nisba_forms("تركيا")[..2], ["التركي", "التركية"]);
        assert_eq!(nisba_forms("مصر")[1], "المصرية");
        assert_eq!(nisba_forms("لبنان")[0], "اللبناني");
        assert_eq!(nisba_forms("العراق")[2], "عراقي");
        assert!(nisba_forms("جنوب أفريقيا").is_empty());
    }

    #[test]
    fn cameo_roles_parse_with_open_ends() {
        let roles = parse_roles("[TURGOV 20030314-20140828] [TURGOV >20140828] [IRQ]");
        assert_eq!(roles.len(), 3);
        assert_eq!(roles[0].from.as_deref(), Some("2003-03-14"));
        assert_eq!(roles[1].to, None);
        assert_eq!(roles[2].code, "IRQ");
    }
}
