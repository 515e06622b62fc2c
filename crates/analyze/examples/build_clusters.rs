//! Builds `data/ner/clusters.tsv`: distributional word clusters learned without labels from
//! the shared news corpus (`../shared/data/corpus/*.jsonl.gz`, field `text`).
//!
//! Method (a cheap stand-in for Brown clustering):
//! 1. tokenize and match-normalize every article, lowercase Latin;
//! 2. for the `VOCAB` most frequent words, count their left and right neighbours among the
//!    `CONTEXT` most frequent tokens (±1 and, at half weight, ±2);
//! 3. weight the counts by positive PMI, L2-normalize, reduce to `DIM` dimensions with a fixed
//!    pseudo-random projection;
//! 4. k-means (k-means++ seeding, fixed seed) into 1024 fine clusters, then k-means of the
//!    fine centroids into 256 and 64 coarser clusters; all of it twice, with different seeds.
//!
//! Output: `word<TAB>c64<TAB>c256<TAB>c1024<TAB>d64<TAB>d256<TAB>d1024` (c: first clustering,
//! d: second), most frequent word first. Deterministic.
//!
//! ```text
//! cargo run --release -p rased-analyze --example build_clusters -- \
//!     ../shared/data/corpus data/ner/clusters.tsv
//! ```

use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use rased_analyze::features::norm_token;

const CONTEXT: usize = 600;
const FINE: usize = 1024;

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus_dir = PathBuf::from(
        args.get(1)
            .cloned()
            .unwrap_or_else(|| "../shared/data/corpus".into()),
    );
    let out_path = PathBuf::from(
        args.get(2)
            .cloned()
            .unwrap_or_else(|| "data/ner/clusters.tsv".into()),
    );
    let t0 = Instant::now();
    // Vocabulary size, projection dimension and seed can be overridden for experiments.
    let vocab_size = env_or("VOCAB", 50_000);
    let dim = env_or("DIM", 128);
    let seed = env_or("SEED", 0) as u64;

    // 1. Token id stream.
    let mut ids: HashMap<String, u32> = HashMap::new();
    let mut words: Vec<String> = Vec::new();
    let mut stream: Vec<u32> = Vec::new();
    const BREAK: u32 = u32::MAX;
    let texts = rased_kb::corpus::for_each_text(&corpus_dir, |text| {
        for tok in rased_text::tokenize::tokenize(text) {
            let w = norm_token(tok.text);
            let id = match ids.get(&w) {
                Some(&id) => id,
                None => {
                    let id = words.len() as u32;
                    ids.insert(w.clone(), id);
                    words.push(w);
                    id
                }
            };
            stream.push(id);
        }
        stream.push(BREAK);
    })
    .expect("reading the corpus");
    eprintln!(
        "{texts} texts, {} tokens, {} types, {:.1}s",
        stream.len(),
        words.len(),
        t0.elapsed().as_secs_f32()
    );
    drop(ids);

    // 2. Frequencies, vocabulary, context words.
    let mut freq = vec![0u64; words.len()];
    for &id in &stream {
        if id != BREAK {
            freq[id as usize] += 1;
        }
    }
    let mut order: Vec<u32> = (0..words.len() as u32).collect();
    order.sort_by(|&a, &b| freq[b as usize].cmp(&freq[a as usize]).then(a.cmp(&b)));
    // Only words with a letter are clustered; context words may be anything.
    let vocab: Vec<u32> = order
        .iter()
        .copied()
        .filter(|&id| words[id as usize].chars().any(char::is_alphabetic))
        .filter(|&id| freq[id as usize] >= 3)
        .take(vocab_size)
        .collect();
    let mut vocab_ix = vec![u32::MAX; words.len()];
    for (i, &id) in vocab.iter().enumerate() {
        vocab_ix[id as usize] = i as u32;
    }
    let mut ctx_ix = vec![u32::MAX; words.len()];
    for (i, &id) in order.iter().take(CONTEXT).enumerate() {
        ctx_ix[id as usize] = i as u32;
    }
    let ncols = 4 * CONTEXT;
    let mut counts: Vec<HashMap<u32, f32>> = vec![HashMap::new(); vocab.len()];
    for i in 0..stream.len() {
        let id = stream[i];
        if id == BREAK || vocab_ix[id as usize] == u32::MAX {
            continue;
        }
        let row = &mut counts[vocab_ix[id as usize] as usize];
        let mut add = |j: isize, slot: usize, w: f32| {
            if j < 0 || j as usize >= stream.len() {
                return;
            }
            let c = stream[j as usize];
            if c == BREAK || ctx_ix[c as usize] == u32::MAX {
                return;
            }
            *row.entry((slot * CONTEXT) as u32 + ctx_ix[c as usize])
                .or_insert(0.0) += w;
        };
        let i = i as isize;
        add(i - 1, 0, 1.0);
        add(i + 1, 1, 1.0);
        add(i - 2, 2, 0.5);
        add(i + 2, 3, 0.5);
    }
    drop(stream);
    // Sorted rows: every later sum runs in a fixed order, so the output is reproducible.
    let counts: Vec<Vec<(u32, f32)>> = counts
        .into_iter()
        .map(|r| {
            let mut v: Vec<(u32, f32)> = r.into_iter().collect();
            v.sort_unstable_by_key(|e| e.0);
            v
        })
        .collect();
    eprintln!("contexts counted {:.1}s", t0.elapsed().as_secs_f32());

    // 3. PPMI, normalize, random projection.
    let mut col_sum = vec![0f64; ncols];
    let mut total = 0f64;
    let row_sum: Vec<f64> = counts
        .iter()
        .map(|r| r.iter().map(|&(_, v)| v as f64).sum())
        .collect();
    for r in &counts {
        for &(c, v) in r {
            col_sum[c as usize] += v as f64;
            total += v as f64;
        }
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let proj: Vec<f32> = (0..ncols * dim)
        .map(|_| if rng.next() & 1 == 0 { 1.0 } else { -1.0 })
        .collect();
    let mut x = vec![0f32; vocab.len() * dim];
    for (i, r) in counts.iter().enumerate() {
        let mut feats: Vec<(u32, f32)> = Vec::with_capacity(r.len());
        let mut norm = 0f32;
        for &(c, v) in r {
            // Context-distribution smoothing (col^0.75) as in word2vec.
            let pmi = ((v as f64 * total)
                / (row_sum[i] * col_sum[c as usize].powf(0.75) * total.powf(0.25)))
            .ln();
            if pmi > 0.0 {
                feats.push((c, pmi as f32));
                norm += (pmi * pmi) as f32;
            }
        }
        let norm = norm.sqrt().max(1e-6);
        let row = &mut x[i * dim..(i + 1) * dim];
        for (c, v) in feats {
            let p = &proj[c as usize * dim..(c as usize + 1) * dim];
            for d in 0..dim {
                row[d] += v / norm * p[d];
            }
        }
        let n = row.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-6);
        row.iter_mut().for_each(|v| *v /= n);
    }
    drop(counts);
    eprintln!("projected {:.1}s", t0.elapsed().as_secs_f32());

    // 4. k-means.
    // Two independent clusterings (different k-means++ seeds): k-means on these vectors is
    // noisy, and features from two of them vary less than from one.
    let mut levels: Vec<[Vec<u32>; 3]> = Vec::new();
    for _ in 0..2 {
        let fine = kmeans(&x, dim, FINE, 12, &mut rng);
        let centroids = centroids_of(&x, dim, &fine, FINE);
        let mid = kmeans(&centroids, dim, 256, 20, &mut rng);
        let coarse = kmeans(&centroids, dim, 64, 20, &mut rng);
        let per_word = |m: &[u32]| fine.iter().map(|&f| m[f as usize]).collect::<Vec<u32>>();
        levels.push([per_word(&coarse), per_word(&mid), fine.clone()]);
    }
    eprintln!("clustered {:.1}s", t0.elapsed().as_secs_f32());

    let mut out = std::io::BufWriter::new(std::fs::File::create(&out_path).expect("create out"));
    for (i, &id) in vocab.iter().enumerate() {
        write!(out, "{}", words[id as usize]).unwrap();
        for l in &levels {
            write!(out, "\t{}\t{}\t{}", l[0][i], l[1][i], l[2][i]).unwrap();
        }
        writeln!(out).unwrap();
    }
    eprintln!(
        "wrote {} {:.1}s",
        out_path.display(),
        t0.elapsed().as_secs_f32()
    );
}

fn centroids_of(x: &[f32], dim: usize, assign: &[u32], k: usize) -> Vec<f32> {
    let mut c = vec![0f32; k * dim];
    for (i, &a) in assign.iter().enumerate() {
        for d in 0..dim {
            c[a as usize * dim + d] += x[i * dim + d];
        }
    }
    for j in 0..k {
        let row = &mut c[j * dim..(j + 1) * dim];
        let n = row.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-6);
        row.iter_mut().for_each(|v| *v /= n);
    }
    c
}

/// Dot product with eight independent accumulators (vectorizes).
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s: f32 = acc.iter().sum();
    for (x, y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// Spherical k-means (cosine), k-means++ seeding.
fn kmeans(x: &[f32], dim: usize, k: usize, iters: usize, rng: &mut Rng) -> Vec<u32> {
    let n = x.len() / dim;
    let mut c = vec![0f32; k * dim];
    let first = (rng.next() as usize) % n;
    c[..dim].copy_from_slice(&x[first * dim..(first + 1) * dim]);
    let mut dist: Vec<f32> = (0..n)
        .map(|i| (1.0 - dot(&x[i * dim..(i + 1) * dim], &c[..dim])).max(0.0))
        .collect();
    for j in 1..k {
        let total: f32 = dist.iter().sum();
        let mut r = rng.unit() * total;
        let mut pick = n - 1;
        for (i, &d) in dist.iter().enumerate() {
            r -= d;
            if r <= 0.0 {
                pick = i;
                break;
            }
        }
        c[j * dim..(j + 1) * dim].copy_from_slice(&x[pick * dim..(pick + 1) * dim]);
        for i in 0..n {
            let d = (1.0 - dot(&x[i * dim..(i + 1) * dim], &c[j * dim..(j + 1) * dim])).max(0.0);
            if d < dist[i] {
                dist[i] = d;
            }
        }
    }
    let mut assign = vec![0u32; n];
    for _ in 0..iters {
        let mut changed = 0;
        for i in 0..n {
            let xi = &x[i * dim..(i + 1) * dim];
            let mut best = 0;
            let mut bs = f32::MIN;
            for j in 0..k {
                let s = dot(xi, &c[j * dim..(j + 1) * dim]);
                if s > bs {
                    bs = s;
                    best = j;
                }
            }
            if assign[i] != best as u32 {
                changed += 1;
                assign[i] = best as u32;
            }
        }
        let newc = centroids_of(x, dim, &assign, k);
        // Keep old centroid for empty clusters.
        for j in 0..k {
            let row = &newc[j * dim..(j + 1) * dim];
            if row.iter().any(|v| *v != 0.0) {
                c[j * dim..(j + 1) * dim].copy_from_slice(row);
            }
        }
        eprintln!("  k={k} changed {changed}");
        if changed == 0 {
            break;
        }
    }
    assign
}
