//! Tagging throughput of the NER model, in tokens per second (criterion `Throughput`).
//! Uses the ANERcorp file from `../shared` when present, else a built-in paragraph.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rased_analyze::ner::Model;

const FALLBACK: &str = "التقى رئيس الاستخبارات التركية ، إبراهيم قالين ، بالجنرال خليفة حفتر قائد الجيش في شرق ليبيا . \
وذكر بيان صادر عن مكتب حفتر اليوم الاثنين ، أن اللقاء عقد في مقر القيادة العامة بمنطقة الرجمة .";

fn sentences() -> Vec<Vec<String>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/ner/anercorp-camel-train.txt"
    );
    match std::fs::read_to_string(path) {
        Ok(text) => text
            .split("\n\n")
            .take(1000)
            .map(|s| {
                s.lines()
                    .filter_map(|l| l.split_whitespace().next().map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .filter(|s| !s.is_empty())
            .collect(),
        Err(_) => FALLBACK
            .split(" . ")
            .map(|s| s.split_whitespace().map(str::to_string).collect())
            .collect(),
    }
}

fn bench(c: &mut Criterion) {
    let model = Model::embedded();
    let sents = sentences();
    let refs: Vec<Vec<&str>> = sents
        .iter()
        .map(|s| s.iter().map(String::as_str).collect())
        .collect();
    let ntok: usize = refs.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("ner");
    g.throughput(Throughput::Elements(ntok as u64));
    g.sample_size(10);
    g.bench_function("tag_tokens", |b| {
        b.iter(|| {
            let mut n = 0;
            for s in &refs {
                n += model.tag_tokens(s).len();
            }
            n
        })
    });
    let text: String = sents
        .iter()
        .map(|s| s.join(" "))
        .collect::<Vec<_>>()
        .join("\n");
    g.bench_function("tag_text", |b| b.iter(|| model.tag_text(&text).len()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
