//! Gazetteer matching (leftmost-longest KB names over search-normalized text) and entity
//! resolution, in bytes/s over article bodies: the first 500 articles of
//! `../shared/data/corpus/ant-multisource.jsonl.gz`, or the bundled sample without ../shared.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rased_kb::{Gazetteer, KnowledgeBase};

#[path = "../../../bench/common/corpus.rs"]
mod corpus;

fn bodies() -> Vec<String> {
    corpus::records(env!("CARGO_MANIFEST_DIR"), 500)
        .into_iter()
        .map(|v| v["text"].as_str().unwrap_or("").to_string())
        .collect()
}

fn bench(c: &mut Criterion) {
    let kb = KnowledgeBase::embedded();
    let gazetteer = Gazetteer::new(kb).expect("gazetteer");
    let bodies = bodies();
    let bytes: usize = bodies.iter().map(String::len).sum();
    let mut g = c.benchmark_group("gazetteer");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("find", |b| {
        b.iter(|| {
            bodies
                .iter()
                .map(|t| gazetteer.find(t).len())
                .sum::<usize>()
        })
    });
    let found: Vec<_> = bodies.iter().map(|t| gazetteer.find(t)).collect();
    g.bench_function("resolve_gazetteer_only", |b| {
        b.iter(|| {
            bodies
                .iter()
                .zip(&found)
                .map(|(t, m)| rased_kb::resolve::resolve(t, &[], m, kb).len())
                .sum::<usize>()
        })
    });
    g.finish();
    c.bench_function("gazetteer_build", |b| {
        b.iter(|| Gazetteer::new(kb).expect("gazetteer").len())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
