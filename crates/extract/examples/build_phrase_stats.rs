//! Builds `crates/extract/data/phrase_stats.tsv.gz`, the word statistics used to split
//! keyword and tag lines into phrases.
//!
//! ```text
//! cargo run --release -p rased-extract --example build_phrase_stats -- ../shared/data crates/extract/data/phrase_stats.tsv.gz
//! ```
//!
//! Input (under the shared data directory): `corpus/*.jsonl.gz` (ANT corpus, Apache-2.0),
//! `names/romanizer_full_names.tsv`, `names/romanizer_units.tsv` (CC0/MIT),
//! `places/geonames_cities5000_ar.tsv` (GeoNames, CC BY 4.0), `places/cldr_territories_ar.tsv`
//! (Unicode licence). Output lines (match-normalized words):
//!
//! * `T<TAB>total` — total number of corpus tokens
//! * `U<TAB>word<TAB>count` — corpus unigram counts (count ≥ `MIN_UNIGRAM`)
//! * `B<TAB>w1 w2<TAB>count` — corpus bigram counts (count ≥ `MIN_BIGRAM`)
//! * `N<TAB>phrase` — a multi-word person or place name
//! * `W<TAB>word` — a single-word name or place (a known word even when rare in the corpus)
//!
//! and, next to it, `places.txt.gz`: one city, country or territory name per line (GeoNames,
//! CLDR), match-normalized.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;

use rased_text::{normalize_str, Level};

const MIN_UNIGRAM: u32 = 3;
const MIN_BIGRAM: u32 = 4;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: build_phrase_stats SHARED_DATA_DIR OUT.tsv.gz");
        std::process::exit(2);
    }
    let data = Path::new(&args[1]);
    let mut uni: HashMap<String, u32> = HashMap::new();
    let mut bi: HashMap<(String, String), u32> = HashMap::new();
    let mut total: u64 = 0;
    let mut corpus: Vec<_> = std::fs::read_dir(data.join("corpus"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".jsonl.gz"))
        .collect();
    corpus.sort();
    for path in corpus {
        let reader = BufReader::new(flate2::read::MultiGzDecoder::new(File::open(&path)?));
        for line in reader.lines() {
            let line = line?;
            let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
                continue;
            };
            for field in ["title", "text"] {
                let Some(text) = v.get(field).and_then(|t| t.as_str()) else {
                    continue;
                };
                for chunk in rased_extract::phrases::word_runs(&normalize_str(text, Level::Match)) {
                    let mut prev: Option<&str> = None;
                    for w in chunk {
                        total += 1;
                        *uni.entry(w.to_string()).or_default() += 1;
                        if let Some(p) = prev {
                            *bi.entry((p.to_string(), w.to_string())).or_default() += 1;
                        }
                        prev = Some(w);
                    }
                }
            }
        }
    }
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut single: BTreeSet<String> = BTreeSet::new();
    let mut add_name = |s: &str| {
        let n = normalize_str(s.trim(), Level::Match);
        let words: Vec<&str> = n.split_whitespace().collect();
        if words.is_empty() || words.iter().any(|w| !w.chars().all(is_arabic_letter)) {
            return;
        }
        if words.len() == 1 {
            single.insert(words[0].to_string());
        } else if words.len() <= 5 {
            names.insert(words.join(" "));
        }
    };
    for_tsv(&data.join("names/romanizer_full_names.tsv"), |cols| {
        add_name(cols[0])
    })?;
    for_tsv(&data.join("names/romanizer_units.tsv"), |cols| {
        add_name(cols[0])
    })?;
    let mut places: BTreeSet<String> = BTreeSet::new();
    let mut add_place = |s: &str, names: &mut dyn FnMut(&str)| {
        names(s);
        let n = normalize_str(s.trim(), Level::Match);
        if !n.is_empty() && n.split_whitespace().count() <= 4 {
            places.insert(n.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    };
    for_tsv(&data.join("places/geonames_cities5000_ar.tsv"), |cols| {
        if let Some(list) = cols.get(6) {
            for n in list.split('|') {
                add_place(n, &mut add_name)
            }
        }
    })?;
    for_tsv(&data.join("places/cldr_territories_ar.tsv"), |cols| {
        if let Some(n) = cols.get(1) {
            add_place(n, &mut add_name)
        }
    })?;

    let out = File::create(&args[2])?;
    let mut gz = flate2::write::GzEncoder::new(out, flate2::Compression::best());
    writeln!(gz, "T\t{total}")?;
    let mut u: Vec<_> = uni.iter().filter(|(_, &c)| c >= MIN_UNIGRAM).collect();
    u.sort();
    for (w, c) in &u {
        writeln!(gz, "U\t{w}\t{c}")?;
    }
    let mut b: Vec<_> = bi.iter().filter(|(_, &c)| c >= MIN_BIGRAM).collect();
    b.sort();
    for ((a, w), c) in &b {
        writeln!(gz, "B\t{a} {w}\t{c}")?;
    }
    for n in &names {
        writeln!(gz, "N\t{n}")?;
    }
    for w in &single {
        writeln!(gz, "W\t{w}")?;
    }
    // Places go to their own small file next to the statistics: datelines and credits need
    // them without loading the large table.
    let places_path = Path::new(&args[2]).with_file_name("places.txt.gz");
    let mut pz =
        flate2::write::GzEncoder::new(File::create(&places_path)?, flate2::Compression::best());
    for p in &places {
        writeln!(pz, "{p}")?;
    }
    pz.finish()?;
    gz.finish()?;
    eprintln!(
        "tokens {total}, unigrams {}, bigrams {}, names {}, single names {}, places {}",
        u.len(),
        b.len(),
        names.len(),
        single.len(),
        places.len()
    );
    Ok(())
}

fn is_arabic_letter(c: char) -> bool {
    ('\u{0621}'..='\u{064A}').contains(&c) || ('\u{0671}'..='\u{06D3}').contains(&c)
}

fn for_tsv(path: &Path, mut f: impl FnMut(&[&str])) -> std::io::Result<()> {
    let reader = BufReader::new(File::open(path)?);
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        if i == 0 {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        f(&cols);
    }
    Ok(())
}
