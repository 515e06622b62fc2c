//! Throughput of the hot text functions on real Arabic news.
//!
//! Reads article bodies from `../shared/data/corpus/ant-multisource.jsonl.gz` (the first
//! 2,000 articles), or from the bundled `data/samples/` corpus when ../shared is absent.
//! Criterion reports bytes/s; tokens/s = bytes/s ÷ the bytes-per-token printed at start.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rased_text::normalize::{normalize, normalize_str, Level};
use rased_text::segment::segment;
use rased_text::stem::search_stem;
use rased_text::tokenize::{tokenize, Tokens};

#[path = "../../../bench/common/corpus.rs"]
mod corpus;

fn corpus() -> String {
    let mut text = String::new();
    for value in corpus::records(env!("CARGO_MANIFEST_DIR"), 2000) {
        text.push_str(value["text"].as_str().unwrap_or(""));
        text.push('\n');
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let words: Vec<&str> = tokenize(&text)
        .into_iter()
        .filter(|t| t.kind.is_word())
        .map(|t| t.text)
        .collect();
    let tokens = Tokens::new(&text).count();
    eprintln!(
        "corpus: {} bytes, {} tokens ({:.2} bytes/token), {} words",
        text.len(),
        tokens,
        text.len() as f64 / tokens as f64,
        words.len()
    );
    let mut group = c.benchmark_group("text");
    group.sample_size(20);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("normalize_match_str", |b| {
        b.iter(|| normalize_str(&text, Level::Match))
    });
    group.bench_function("normalize_match_with_map", |b| {
        b.iter(|| normalize(&text, Level::Match))
    });
    group.bench_function("tokenize", |b| b.iter(|| Tokens::new(&text).count()));
    group.throughput(Throughput::Elements(words.len() as u64));
    group.bench_function("segment_words", |b| {
        b.iter(|| words.iter().map(|w| segment(w).stem.len()).sum::<usize>())
    });
    group.bench_function("search_stem_words", |b| {
        b.iter(|| words.iter().map(|w| search_stem(w).len()).sum::<usize>())
    });
    group.finish();
}

/// Name keys of the names of the seed page (and their spelling variants), and the date
/// parser over the first line of every article plus hand-picked date expressions.
fn names_and_dates(c: &mut Criterion) {
    let names = [
        "إبراهيم قالين",
        "إبراهيم كالين",
        "قالن",
        "خليفة حفتر",
        "توم باراك",
        "توماس براك",
        "كرمانلي أوغلو",
        "كيرامانلي أوغلو",
        "عبد الحميد الدبيبة",
        "الدبيبه",
        "مظلوم عبدي",
        "أحمد الشرع",
    ];
    let mut group = c.benchmark_group("names_dates");
    group.throughput(Throughput::Elements(names.len() as u64));
    group.bench_function("name_key", |b| {
        b.iter(|| {
            names
                .iter()
                .map(|n| rased_text::namekey::name_key(std::hint::black_box(n)).len())
                .sum::<usize>()
        })
    });
    let text = corpus();
    let reference = chrono::NaiveDate::from_ymd_opt(2025, 8, 25);
    let mut lines: Vec<String> = text
        .lines()
        .take(500)
        .map(|l| l.chars().take(300).collect())
        .collect();
    lines.extend(
        [
            "أنقرة (زمان التركية) – اليوم الاثنين",
            "الأربعاء، 07 أكتوبر 2020",
            "الجمعة 24 نيسان / أبريل 2020",
            "1 ربيع الأول 1447 هـ الموافق 25 أغسطس 2025",
            "قبل خمس سنوات",
            "25th, August 2025 GMT",
            "١٥ يوليوز ٢٠٢٤ على الساعة 10:30 ص",
        ]
        .map(String::from),
    );
    let bytes: usize = lines.iter().map(String::len).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("parse_date_lines", |b| {
        b.iter(|| {
            lines
                .iter()
                .filter(|l| rased_text::date::parse_date(l, reference).is_some())
                .count()
        })
    });
    group.bench_function("find_dates_lines", |b| {
        b.iter(|| {
            lines
                .iter()
                .map(|l| rased_text::date::find_dates(l, reference).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench, names_and_dates);
criterion_main!(benches);
