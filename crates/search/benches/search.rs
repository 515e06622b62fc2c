//! Query latency of the article index: 20 queries of the kinds users type (names, clitic
//! forms, phrases, topics) over an index of the first 2,000 articles of
//! `../shared/data/corpus/ant-multisource.jsonl.gz` (or the bundled 200-article sample), and
//! indexing throughput (articles/s).

use std::io::{BufRead, BufReader, Read};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rased_model::Article;
use rased_search::{SearchIndex, SearchQuery};

const QUERIES: [&str; 20] = [
    "السعودية",
    "ترامب",
    "إيران",
    "الحكومة اللبنانية",
    "\"مجلس الأمن\"",
    "\"الأمم المتحدة\"",
    "وزير الخارجية",
    "والمدارس",
    "بالرئيس",
    "كرة القدم",
    "أسعار النفط",
    "الانتخابات البرلمانية",
    "الحوثيين",
    "سوريا",
    "القدس",
    "الاقتصاد",
    "فيروس",
    "قطر",
    "تونس",
    "منتخب مصر",
];

fn articles() -> Vec<Article> {
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
        .take(2000)
        .enumerate()
        .map(|(i, l)| {
            let v: serde_json::Value = serde_json::from_str(&l.unwrap()).unwrap();
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
    g.throughput(Throughput::Elements(QUERIES.len() as u64));
    g.bench_function(format!("20_queries_over_{}_articles", docs.len()), |b| {
        b.iter(|| {
            QUERIES
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
