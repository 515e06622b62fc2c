//! Prints the text blocks of an HTML file with the scorer's decisions (tuning aid).
fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: dump_blocks FILE.html");
    let bytes = std::fs::read(path).expect("readable file");
    let text = rased_extract::charset::decode(&bytes, None).text;
    print!("{}", rased_extract::html::debug_blocks(&text));
}
