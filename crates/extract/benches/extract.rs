//! Extraction throughput: pages/s over the HTML fixtures, articles/s over the ANT corpus
//! (JSON Lines, gzip), phrase splitting lines/s. Reads `../shared`; benchmarks that need it
//! are skipped when it is absent.

use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use rased_extract::{extract, extract_stream, ExtractOptions};

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    p.is_dir().then_some(p)
}

fn html_pages(c: &mut Criterion) {
    let Some(data) = shared() else {
        eprintln!("NOTE: ../shared absent; skipping html bench");
        return;
    };
    let mut pages = Vec::new();
    for dir in [
        "newspaper4k",
        "fundus",
        "trafilatura",
        "htmldate",
        "derived/encoding",
    ] {
        let mut files: Vec<_> = std::fs::read_dir(data.join("html").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "html"))
            .collect();
        files.sort();
        for f in files {
            pages.push((f.display().to_string(), std::fs::read(&f).unwrap()));
        }
    }
    let opts = ExtractOptions::default();
    let mut g = c.benchmark_group("html");
    g.throughput(Throughput::Elements(pages.len() as u64));
    g.measurement_time(Duration::from_secs(5));
    g.bench_function("fixture_pages", |b| {
        b.iter(|| {
            for (name, bytes) in &pages {
                std::hint::black_box(extract(name, bytes, &opts));
            }
        })
    });
    g.finish();
}

fn corpus_jsonl(c: &mut Criterion) {
    let Some(data) = shared() else { return };
    // The first 2,000 records of the multi-source corpus, decompressed in memory.
    let path = data.join("corpus/ant-multisource.jsonl.gz");
    let mut text = Vec::new();
    {
        use std::io::BufRead;
        let r = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(
            std::fs::File::open(path).unwrap(),
        ));
        for line in r.split(b'\n').take(2000) {
            text.extend_from_slice(&line.unwrap());
            text.push(b'\n');
        }
    }
    let opts = ExtractOptions::default();
    let mut g = c.benchmark_group("jsonl");
    g.throughput(Throughput::Elements(2000));
    g.sample_size(10);
    g.bench_function("ant_multisource_2000", |b| {
        b.iter(|| {
            let mut n = 0usize;
            extract_stream("ant", &text[..], &opts, |_| n += 1, |_| {});
            assert_eq!(n, 2000);
        })
    });
    g.finish();
}

fn phrase_split(c: &mut Criterion) {
    let lines = [
        "الاستخبارات التركية الحرب الليبية العلاقات التركية الليبية خليفة حفتر شرق ليبيا",
        "اشتباكات في حلبالتطورات في سورياقوات سوريا الديمقراطيةمظلوم عبدي",
    ];
    rased_extract::phrases::split_phrases(lines[0]);
    let mut g = c.benchmark_group("phrases");
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function("split_lines", |b| {
        b.iter(|| {
            for l in lines {
                std::hint::black_box(rased_extract::phrases::split_phrases(l));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, html_pages, corpus_jsonl, phrase_split);
criterion_main!(benches);
