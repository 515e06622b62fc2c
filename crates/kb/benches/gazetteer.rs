//! Gazetteer matching (leftmost-longest KB names over search-normalized text) and entity
//! resolution, in bytes/s over article bodies: the first 500 articles of
//! `../shared/data/corpus/ant-multisource.jsonl.gz`, or the bundled sample without ../shared.

use std::io::{BufRead, BufReader, Read};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rased_kb::{Gazetteer, KnowledgeBase};

fn bodies() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let shared = format!("{root}/../shared/data/corpus/ant-multisource.jsonl.gz");
    let reader: Box<dyn Read> = match std::fs::File::open(&shared) {
        Ok(f) => Box::new(flate2::read::GzDecoder::new(f)),
        Err(_) => Box::new(
            std::fs::File::open(format!("{root}/data/samples/ant-multisource-sample.jsonl"))
                .expect("sample corpus"),
        ),
    };
    BufReader::new(reader)
        .lines()
        .take(500)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l.unwrap()).unwrap();
            v["text"].as_str().unwrap_or("").to_string()
        })
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
