//! The search query parser and query building on a real (small) index: any query text and
//! filters give results or a typed error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rased_search::{SearchIndex, SearchQuery};

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("rased-fuzz-index-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let index = SearchIndex::open(&dir).expect("open the index");
        let sample = include_str!("../../data/samples/ant-multisource-sample.jsonl");
        let mut writer = index.writer().expect("writer");
        for line in sample.lines().take(5) {
            let v: serde_json::Value = serde_json::from_str(line).expect("sample line");
            let article = rased_model::Article {
                id: v["id"].as_str().unwrap_or("x").to_string(),
                title: v["title"].as_str().map(str::to_string),
                body: v["text"].as_str().unwrap_or("").to_string(),
                ..Default::default()
            };
            index.add(&writer, &article).expect("add");
        }
        index.commit(&mut writer, 5).expect("commit");
        index.reload().expect("reload");
        index
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\u{1}');
    let q = SearchQuery {
        text: parts.next().unwrap_or("").to_string(),
        from: parts.next().map(str::to_string),
        to: parts.next().map(str::to_string),
        limit: 10,
        ..Default::default()
    };
    let _ = index().search(&q);
});
