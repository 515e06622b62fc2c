//! Prints the entity mentions of the text on stdin, one per line:
//! `start<TAB>end<TAB>TYPE<TAB>text` (code-point offsets).

use std::io::Read;

fn main() {
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text).expect("stdin");
    for m in rased_analyze::Model::embedded().tag_text(&text) {
        println!("{}\t{}\t{}\t{}", m.start, m.end, m.kind.as_str(), m.text);
    }
}
