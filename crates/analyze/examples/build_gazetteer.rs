//! Builds `data/ner/gazetteer.tsv` (`phrase<TAB>CLASS[,CLASS…]`, match-normalized, sorted)
//! from the permissively licensed lists in `../shared/data`:
//!
//! | class | source | licence |
//! |---|---|---|
//! | PFIRST / PLAST / PNAME | `names/romanizer_units.tsv` (given / surname / unknown) | CC0 / MIT |
//! | PFIRST / PLAST | `names/akhateeb_arabic_names_MIT/*-names-in-arabic.txt` | MIT |
//! | PNAME | `names/wikidata_person_name_tokens_ar_en.cc0.tsv` | CC0 |
//! | PNAME | `names/google_ar2en_names.apache2.tsv` | Apache-2.0 |
//! | PNAME | `names/arabnamer_en_ar_dict.ccby4.tsv` | CC BY 4.0 |
//! | PFULL | `names/romanizer_full_names.tsv` (names of two or more words) | CC0 / MIT |
//! | COUNTRY | `places/cldr_territories_ar.tsv` | Unicode licence |
//! | CITY, BIGCITY (≥ 250,000 people) | `places/geonames_cities5000_ar.tsv` | CC BY 4.0 |
//!
//! Single words among the 150 most frequent corpus words (first lines of
//! `data/ner/clusters.tsv`) are left out of the name classes: they are function words. Town
//! names among the 3,000 most frequent words are left out unless the place has 500,000 people.
//!
//! ```text
//! cargo run --release -p rased-analyze --example build_gazetteer -- ../shared/data data/ner/gazetteer.tsv
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use rased_analyze::features::norm_token;

fn phrase(s: &str) -> Option<String> {
    let toks: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|t| !t.is_empty())
        .map(norm_token)
        .collect();
    if toks.is_empty() || toks.len() > 6 {
        return None;
    }
    let p = toks.join(" ");
    // Arabic script only: Latin entries add nothing for Arabic text.
    if !p.chars().any(|c| ('\u{0621}'..='\u{064A}').contains(&c)) {
        return None;
    }
    if p.chars().any(|c| c.is_ascii_alphanumeric()) || p.chars().count() < 2 {
        return None;
    }
    Some(p)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let shared =
        Path::new(args.get(1).map(String::as_str).unwrap_or("../shared/data")).to_path_buf();
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "data/ner/gazetteer.tsv".into());
    let stop: HashSet<String> = std::fs::read_to_string("data/ner/clusters.tsv")
        .unwrap_or_default()
        .lines()
        .take(150)
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .collect();
    let mut gaz: BTreeMap<String, BTreeSet<&'static str>> = BTreeMap::new();
    let mut add = |p: Option<String>, class: &'static str| {
        if let Some(p) = p {
            let is_name = class.starts_with('P');
            if is_name && !p.contains(' ') && stop.contains(&p) {
                return;
            }
            gaz.entry(p).or_default().insert(class);
        }
    };
    let names = shared.join("names");
    for line in read(&names.join("romanizer_units.tsv")).lines().skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            continue;
        }
        let class = match f[3] {
            "given" => "PFIRST",
            "surname" => "PLAST",
            _ => "PNAME",
        };
        add(phrase(f[0]).filter(|p| !p.contains(' ')), class);
    }
    let ak = names.join("akhateeb_arabic_names_MIT");
    for (file, class) in [
        ("male-first--names-in-arabic.txt", "PFIRST"),
        ("female-first-names-in-arabic.txt", "PFIRST"),
        ("last-names-in-arabic.txt", "PLAST"),
    ] {
        for line in read(&ak.join(file)).lines() {
            add(phrase(line.trim_start_matches('\u{feff}')), class);
        }
    }
    for line in read(&names.join("wikidata_person_name_tokens_ar_en.cc0.tsv")).lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() >= 2 {
            add(phrase(&f[1].replace(' ', "")), "PNAME");
        }
    }
    for line in read(&names.join("google_ar2en_names.apache2.tsv")).lines() {
        if let Some(a) = line.split('\t').next() {
            add(phrase(a).filter(|p| !p.contains(' ')), "PNAME");
        }
    }
    for line in read(&names.join("arabnamer_en_ar_dict.ccby4.tsv")).lines() {
        if let Some(a) = line.split('\t').nth(1) {
            add(phrase(a).filter(|p| !p.contains(' ')), "PNAME");
        }
    }
    for line in read(&names.join("romanizer_full_names.tsv"))
        .lines()
        .skip(1)
    {
        if let Some(a) = line.split('\t').next() {
            add(phrase(a).filter(|p| p.contains(' ')), "PFULL");
        }
    }
    let places = shared.join("places");
    for line in read(&places.join("cldr_territories_ar.tsv"))
        .lines()
        .skip(1)
    {
        if let Some(a) = line.split('\t').nth(1) {
            add(phrase(a), "COUNTRY");
        }
    }
    // Frequency rank of corpus words, to drop town names that are common words (الخميس، انه).
    let rank: HashMap<String, usize> = std::fs::read_to_string("data/ner/clusters.tsv")
        .unwrap_or_default()
        .lines()
        .enumerate()
        .filter_map(|(i, l)| l.split('\t').next().map(|w| (w.to_string(), i)))
        .collect();
    for line in read(&places.join("geonames_cities5000_ar.tsv"))
        .lines()
        .skip(1)
    {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 7 {
            continue;
        }
        let population: u64 = f[3].parse().unwrap_or(0);
        for v in f[6].split(" | ") {
            let Some(p) = phrase(v) else { continue };
            let common = !p.contains(' ') && rank.get(&p).is_some_and(|&r| r < 3000);
            if common && population < 500_000 {
                continue;
            }
            if population >= 250_000 {
                add(Some(p.clone()), "BIGCITY");
            }
            add(Some(p), "CITY");
        }
    }
    // ANERcorp's own gazetteers (research-use licence): only when asked for.
    if std::env::var("ANERGAZET").is_ok() {
        for (file, class) in [
            ("ANERGazet_Pers.txt", "APERS"),
            ("ANERGazet_Loc.txt", "ALOC"),
            ("ANERGazet_Org.txt", "AORG"),
        ] {
            for line in read(&shared.join("ner").join(file)).lines() {
                if !line.starts_with("==") {
                    add(phrase(line.trim()), class);
                }
            }
        }
    }
    let mut w = std::io::BufWriter::new(std::fs::File::create(&out).expect("create output"));
    for (p, classes) in &gaz {
        let c: Vec<&str> = classes.iter().copied().collect();
        writeln!(w, "{p}\t{}", c.join(",")).unwrap();
    }
    eprintln!("{} entries -> {out}", gaz.len());
}
