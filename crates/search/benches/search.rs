//! Query latency of the article index: 20 queries of the kinds users type (names, clitic
//! forms, phrases, topics) over an index of the first 2,000 articles of
//! `../shared/data/corpus/ant-multisource.jsonl.gz` (or the bundled 200-article sample), and
//! indexing throughput (articles/s).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rased_model::Article;
use rased_search::{SearchIndex, SearchQuery};

/// The queries `rased bench` runs too: names, clitic forms, phrases, topics.
fn queries() -> Vec<&'static str> {
    include_str!("../../../bench/queries.txt")
        .lines()
        .filter(|l| !l.is_empty())
        .collect()
}

#[path = "../../../bench/common/corpus.rs"]
mod corpus;

fn articles() -> Vec<Article> {
    corpus::records(env!("CARGO_MANIFEST_DIR"), 2000)
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            let s = |k: &str| v[k].as_str().map(str::to_string);
            Article {
                id: format!("a{i}"),
                title: s("title"),
                body: s("text").unwrap_or_default(),
                outlet: s("outlet"),
                ..Default::default()
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = articles();
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut writer = index.writer().unwrap();
    for a in &docs {
        index.add(&writer, a).unwrap();
    }
    index.commit(&mut writer, 1).unwrap();
    let mut g = c.benchmark_group("search");
    let queries = queries();
    g.throughput(Throughput::Elements(queries.len() as u64));
    g.bench_function(format!("20_queries_over_{}_articles", docs.len()), |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|q| {
                    let query = SearchQuery {
                        text: q.to_string(),
                        limit: 10,
                        ..SearchQuery::default()
                    };
                    index.search(&query).unwrap().total
                })
                .sum::<usize>()
        })
    });
    g.finish();
    let mut g = c.benchmark_group("index");
    g.sample_size(10);
    let sample = &docs[..docs.len().min(500)];
    g.throughput(Throughput::Elements(sample.len() as u64));
    g.bench_function("add_and_commit", |b| {
        b.iter(|| {
            let dir = tempfile::tempdir().unwrap();
            let index = SearchIndex::open(dir.path()).unwrap();
            let mut writer = index.writer().unwrap();
            for a in sample {
                index.add(&writer, a).unwrap();
            }
            index.commit(&mut writer, 1).unwrap();
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
