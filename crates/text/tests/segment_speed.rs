//! Throughput of segmentation on real text (needs `../shared`; run with
//! `cargo test --release -p rased-text --test segment_speed -- --ignored --nocapture`).

#[path = "../../../tests/common/shared.rs"]
mod shared_data;

use std::io::{BufRead, BufReader};
use std::time::Instant;

use rased_text::segment::{cuts, segment};

/// CPU seconds used by this thread (Linux; wall clock elsewhere is what we have).
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = after.split(' ').collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

#[test]
#[ignore]
fn segment_throughput() {
    let Some(path) = shared_data::shared_path("data/corpus/ant-multisource.jsonl.gz") else {
        return;
    };
    let file = std::fs::File::open(&path).expect("readable corpus");
    let mut words = Vec::new();
    for line in BufReader::new(flate2::read::GzDecoder::new(file)).lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let text = v["text"].as_str().unwrap_or("");
        words.extend(
            text.split(|c: char| !c.is_alphanumeric() && !rased_text::normalize::is_tashkeel(c))
                .filter(|w| !w.is_empty())
                .map(str::to_owned),
        );
        if words.len() >= 2_000_000 {
            break;
        }
    }
    let t = Instant::now();
    let _ = segment("بالجنرال");
    eprintln!("lexicon load: {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    // Warm the caches.
    for w in &words {
        std::hint::black_box(cuts(w));
    }
    let cpu0 = thread_cpu_secs();
    let start = Instant::now();
    let mut split = 0usize;
    for w in &words {
        let c = cuts(w);
        split += usize::from(c.n_proclitics > 0 || (c.stem_end as usize) < w.len());
    }
    let secs = start.elapsed().as_secs_f64();
    if let (Some(a), Some(b)) = (cpu0, thread_cpu_secs()) {
        eprintln!(
            "cuts(): {:.2} M words/s of thread CPU time (wall clock below)",
            words.len() as f64 / (b - a) / 1e6
        );
    }
    let start = Instant::now();
    let mut parts = 0usize;
    for w in &words {
        parts += segment(w).parts().count();
    }
    let secs_seg = start.elapsed().as_secs_f64();
    eprintln!(
        "{} words, {:.1}% split; cuts(): {:.2} M words/s; segment(): {:.2} M words/s ({parts} parts)",
        words.len(),
        100.0 * split as f64 / words.len() as f64,
        words.len() as f64 / secs / 1e6,
        words.len() as f64 / secs_seg / 1e6,
    );
}
