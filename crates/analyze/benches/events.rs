//! Event coding throughput (sentences/s) on the seed page and on GSR-like sentences.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rased_analyze::events::{code_events, code_sentence};

const SEED: &str = include_str!("../../../data/samples/seed-page.txt");

fn bench(c: &mut Criterion) {
    let body: String = SEED
        .lines()
        .skip(2)
        .filter(|l| !l.starts_with("المصدر") && !l.starts_with("كلمات") && !l.starts_with("Tags"))
        .collect::<Vec<_>>()
        .join("\n");
    let n = rased_text::sentence::sentences(&body).len() as u64;
    let published = chrono::NaiveDate::from_ymd_opt(2025, 8, 25);
    let kb = rased_kb::KnowledgeBase::embedded();
    let gaz = rased_kb::Gazetteer::new(kb).expect("gazetteer");
    let entities = rased_kb::resolve::resolve(&body, &[], &gaz.find(&body), kb);
    let mut g = c.benchmark_group("events");
    g.throughput(Throughput::Elements(n));
    g.bench_function("code_events_seed_page_with_entities", |b| {
        b.iter(|| {
            code_events(
                std::hint::black_box(&body),
                &entities,
                published,
                Some("أنقرة"),
            )
        })
    });
    g.bench_function("code_events_seed_page", |b| {
        b.iter(|| code_events(std::hint::black_box(&body), &[], published, Some("أنقرة")))
    });
    let sents: Vec<&str> = rased_text::sentence::sentence_strs(&body);
    g.throughput(Throughput::Elements(sents.len() as u64));
    g.bench_function("code_sentence_noun_phrases", |b| {
        b.iter(|| {
            for s in &sents {
                std::hint::black_box(code_sentence(s, published));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
