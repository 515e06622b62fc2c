//! Prints word statistics and phrase splits for lines from stdin (tuning aid).
use std::io::BufRead;

fn main() {
    let stats = rased_extract::phrases::PhraseStats::embedded();
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        let words: Vec<&str> = line.split_whitespace().collect();
        for w in &words {
            print!("{w}[{}] ", stats.debug_count(w));
        }
        println!();
        for p in words.windows(2) {
            println!("  {} {} → {:.2}", p[0], p[1], stats.association(p[0], p[1]));
        }
        println!("  => {:?}", rased_extract::phrases::split_phrases(&line));
    }
}
