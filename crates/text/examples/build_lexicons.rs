//! Regenerates the lexicons embedded by `rased_text::segment` (see `data/lexicon/README.md`).
//!
//! ```text
//! cargo run --release -p rased-text --example build_lexicons -- /work/shared/data data/lexicon
//! ```
//!
//! Output is sorted and deterministic: the same input data gives byte-identical files.
//!
//! * `words.tsv`: `word<TAB>count`, match-normalized Arabic words of the ANT corpus (titles and
//!   bodies) seen at least [`MIN_WORD_COUNT`] times.
//! * `names.txt`: match-normalized, ة→ه folded single-token person and place names from the
//!   CC0 / MIT / Apache-2.0 / CC BY 4.0 / Unicode sources (ANERGazet is not used).
//! * `hamza_al.txt`: corpus words spelled ال… after normalization whose original spelling
//!   starts with أ/إ/آ in most occurrences (ألماني, إليه, ألف): their ال is not the article.
//! * `arabic_names.tsv`: `name<TAB>latin`, Arabic given/family names (ة→ه folded) with their
//!   most frequent Latin spelling, used by `namekey` to keep long vowels where they make a
//!   different name (حسن hassan / حسين hussein).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use rased_text::{normalize_str, Level};

const MIN_WORD_COUNT: u32 = 2;
const MIN_HAMZA_AL_COUNT: u32 = 3;
const ARAB_COUNTRIES: &[&str] = &[
    "AE", "BH", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "MR", "OM", "PS", "QA", "SA", "SD",
    "SY", "TN", "YE",
];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: build_lexicons <shared/data dir> <output dir>");
        std::process::exit(2);
    }
    let data = PathBuf::from(&args[1]);
    let out = PathBuf::from(&args[2]);
    std::fs::create_dir_all(&out).expect("create output dir");

    // 1. Corpus word counts, and for ال-words how often the original starts with hamza.
    let mut counts: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for name in ["ant-multisource.jsonl.gz", "ant-jawharafm.jsonl.gz"] {
        let path = data.join("corpus").join(name);
        let reader = BufReader::new(flate2::read::GzDecoder::new(
            File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        ));
        for line in reader.lines() {
            let line = line.expect("read corpus");
            let v: serde_json::Value = serde_json::from_str(&line).expect("corpus json");
            for field in ["title", "text"] {
                if let Some(text) = v.get(field).and_then(|t| t.as_str()) {
                    for word in arabic_words(text) {
                        let norm = normalize_str(word, Level::Match);
                        if !is_arabic_word(&norm) {
                            continue;
                        }
                        let hamza = norm.starts_with("ال")
                            && word.starts_with(['\u{0623}', '\u{0625}', '\u{0622}']);
                        let e = counts.entry(norm).or_default();
                        e.0 += 1;
                        e.1 += u32::from(hamza);
                    }
                }
            }
        }
    }
    let mut words = BufWriter::new(File::create(out.join("words.tsv")).unwrap());
    let mut hamza_al = BufWriter::new(File::create(out.join("hamza_al.txt")).unwrap());
    let (mut n_words, mut n_hamza) = (0, 0);
    for (w, &(c, h)) in &counts {
        if c >= MIN_WORD_COUNT {
            writeln!(words, "{w}\t{c}").unwrap();
            n_words += 1;
        }
        if c >= MIN_HAMZA_AL_COUNT && h * 2 > c {
            writeln!(hamza_al, "{w}").unwrap();
            n_hamza += 1;
        }
    }

    // 2. Names and places: single tokens only.
    // Support of a name: occurrences in the sources (counts where a source gives them).
    let mut names: BTreeMap<String, u32> = BTreeMap::new();
    let mut add_n = |s: &str, support: u32| {
        let s = s.trim();
        if s.contains(char::is_whitespace) {
            return;
        }
        let n = normalize_str(s, Level::Match).replace('\u{0629}', "\u{0647}");
        if n.chars().count() >= 2 && is_arabic_word(&n) {
            *names.entry(n).or_default() += support;
        }
    };
    let names_dir = data.join("names");
    for_tsv(&names_dir.join("romanizer_units.tsv"), true, |f| {
        add_n(f[0], f.get(4).and_then(|c| c.parse().ok()).unwrap_or(1))
    });
    for_tsv(
        &names_dir.join("wikidata_person_name_tokens_ar_en.cc0.tsv"),
        false,
        |f| {
            if let Some(ar) = f.get(1) {
                add_n(
                    &ar.replace(' ', ""),
                    f.get(2).and_then(|c| c.parse().ok()).unwrap_or(1),
                );
            }
        },
    );
    for_tsv(
        &names_dir.join("google_ar2en_names.apache2.tsv"),
        false,
        |f| add_n(f[0], 1),
    );
    for_tsv(
        &names_dir.join("arabnamer_en_ar_dict.ccby4.tsv"),
        false,
        |f| {
            if let Some(ar) = f.get(1) {
                add_n(ar, 5);
            }
        },
    );
    // 3. Arabic given and family names with their most frequent Latin spelling, for name keys:
    // two Arabic spellings that differ only in long vowels but have different Latin forms
    // (حسن hassan / حسين hussein) are different names. Romanizer tokens of people from Arab
    // countries seen at least 3 times.
    let mut arabic: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    for_tsv(&names_dir.join("romanizer_units.tsv"), true, |f| {
        if f.len() > 4 && ARAB_COUNTRIES.contains(&f[2]) {
            let s = f[0].trim();
            let n = normalize_str(s, Level::Match).replace('\u{0629}', "\u{0647}");
            let latin = f[1].trim().to_lowercase();
            if !s.contains(char::is_whitespace)
                && n.chars().count() >= 2
                && is_arabic_word(&n)
                && !latin.is_empty()
                && !latin.contains(char::is_whitespace)
            {
                *arabic.entry(n).or_default().entry(latin).or_default() +=
                    f[4].parse().unwrap_or(1);
            }
        }
    });
    let mut out_arabic = BufWriter::new(File::create(out.join("arabic_names.tsv")).unwrap());
    let mut n_arabic = 0;
    for (n, latins) in &arabic {
        let total: u32 = latins.values().sum();
        // Most frequent Latin form; ties go to the alphabetically first (BTreeMap order).
        let (latin, _) = latins
            .iter()
            .fold(None::<(&String, u32)>, |best, (l, &c)| match best {
                Some((_, bc)) if bc >= c => best,
                _ => Some((l, c)),
            })
            .expect("non-empty");
        if total >= 3 {
            writeln!(out_arabic, "{n}\t{latin}").unwrap();
            n_arabic += 1;
        }
    }
    let akh = names_dir.join("akhateeb_arabic_names_MIT");
    eprintln!("arabic_names.tsv: {n_arabic} names");

    for file in [
        "female-first-names-in-arabic.txt",
        "male-first--names-in-arabic.txt",
        "last-names-in-arabic.txt",
    ] {
        for_tsv(&akh.join(file), false, |f| add_n(f[0], 1));
    }
    let places = data.join("places");
    for file in ["geonames_cities15000_ar.tsv", "geonames_cities5000_ar.tsv"] {
        for_tsv(&places.join(file), true, |f| {
            if let Some(ar) = f.get(6) {
                for alt in ar.split('|') {
                    add_n(alt, 5);
                }
            }
        });
    }
    for_tsv(&places.join("cldr_territories_ar.tsv"), true, |f| {
        if let Some(ar) = f.get(1) {
            add_n(ar, 5);
        }
    });
    // Drop "names" that are a proclitic plus a far better attested name (بمعمر next to معمر) or
    // plus a common word (بوقفة, seen 4 times, next to وقفة, 263), unless well attested as a
    // name themselves (فادي): cliticized tokens that leaked into the name lists.
    let corpus = |w: &str| counts.get(w).map_or(0, |c| c.0);
    let mut out_names = BufWriter::new(File::create(out.join("names.txt")).unwrap());
    let mut n_names = 0;
    for (n, &support) in &names {
        let leaked = n.starts_with(['و', 'ب', 'ل', 'ف', 'ك'])
            && (names.get(&n[2..]).is_some_and(|&bare| bare >= 10 * support)
                || (support < 10 && {
                    let bare = corpus(&n[2..]).max(corpus(&ta_marbuta(&n[2..])));
                    bare >= 50 && bare >= 10 * corpus(n).max(corpus(&ta_marbuta(n)))
                }));
        if !leaked {
            writeln!(out_names, "{n}").unwrap();
            n_names += 1;
        }
    }
    eprintln!(
        "words.tsv: {n_words} words; names.txt: {} names; hamza_al.txt: {n_hamza} words",
        n_names
    );
}

/// Maximal runs of Arabic letters and marks (tashkeel, tatweel) in `text`.
fn arabic_words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_arabic_char(c))
        .filter(|w| !w.is_empty())
}

fn is_arabic_char(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{065F}' | '\u{0670}'..='\u{06D3}' | '\u{06D6}'..='\u{06ED}')
}

/// Only the 28 letters plus hamza forms, ة and ى after match normalization.
fn is_arabic_word(w: &str) -> bool {
    !w.is_empty()
        && w.chars()
            .all(|c| matches!(c, '\u{0621}'..='\u{063A}' | '\u{0641}'..='\u{064A}'))
}

/// The corpus spelling of a name stored with final ه folded from ة.
fn ta_marbuta(w: &str) -> String {
    match w.strip_suffix('\u{0647}') {
        Some(head) => format!("{head}\u{0629}"),
        None => w.to_string(),
    }
}

fn for_tsv(path: &Path, header: bool, mut f: impl FnMut(&[&str])) {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line = line.expect("read tsv");
        let line = line.trim_start_matches('\u{FEFF}');
        if (header && i == 0) || line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        f(&fields);
    }
}
