//! The in-domain gold set reader and the document-level evaluation, on tiny fixture documents
//! (`tests/fixtures/ner-gold`: two `test` documents, one `train` document).

use std::path::{Path, PathBuf};

use rased_analyze::ner::{evaluate_docs, EntityType, GoldSet, Model, Split};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ner-gold")
}

#[test]
fn reads_documents_in_split_order() {
    let set = GoldSet::read(&fixture()).unwrap();
    let names: Vec<&str> = set.docs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["doc-a", "doc-c", "doc-b"]);
    assert_eq!(set.docs[0].split, Split::Test);
    assert_eq!(set.docs[0].sentences.len(), 2);
    assert_eq!(set.docs[0].tokens(), 25);
    assert_eq!(set.docs[0].mentions(), 5);
    let test: Vec<&str> = set.test_docs().map(|d| d.name.as_str()).collect();
    assert_eq!(test, ["doc-a", "doc-b"]);
}

#[test]
fn train_docs_never_include_test() {
    let set = GoldSet::read(&fixture()).unwrap();
    let names = |v: Vec<&rased_analyze::ner::GoldDoc>| -> Vec<String> {
        v.iter().map(|d| d.name.clone()).collect()
    };
    let (train, dev) = set.train_docs(None);
    assert_eq!((names(train), dev.len()), (vec!["doc-c".to_string()], 0));
    let (train, dev) = set.train_docs(Some(1));
    assert_eq!((train.len(), names(dev)), (0, vec!["doc-c".to_string()]));
    // Folds cover each train document exactly once.
    for n in 1..4 {
        let mut seen = 0;
        for fold in 0..n {
            let (train, dev) = set.train_docs_fold(Some(n), fold);
            assert_eq!(train.len() + dev.len(), 1);
            assert!(train.iter().chain(&dev).all(|d| d.split == Split::Train));
            seen += dev.len();
        }
        assert_eq!(seen, 1);
    }
}

#[test]
fn scores_only_the_test_documents() {
    let set = GoldSet::read(&fixture()).unwrap();
    let r = evaluate_docs(Model::embedded(), set.test_docs());
    assert_eq!((r.docs, r.sentences, r.tokens), (2, 3, 30));
    // doc-a: 5 mentions, doc-b: 2 (doc-c, a train document, is not scored).
    assert_eq!(r.eval.overall.gold(), 7);
    assert_eq!(r.eval.per_type["PERS"].gold(), 3);
    // The shipped model finds the seed-page names; `في` as MISC is a planted miss.
    assert!(r.eval.per_type["PERS"].tp >= 3, "{}", r.eval);
    assert!(r.eval.per_type["LOC"].tp >= 2, "{}", r.eval);
    assert_eq!(r.eval.per_type["MISC"].tp, 0);
    let planted = r
        .errors
        .iter()
        .find(|e| e.doc == "doc-b" && e.gold == Some((2, 3, EntityType::Misc)))
        .expect("the planted MISC is an error");
    assert_eq!(planted.pred, None);
    assert_eq!(planted.tokens[2], "في");
    // Every false negative and false positive is listed (a wrong-span prediction overlapping
    // a gold mention is listed once, with it).
    let o = r.eval.overall;
    assert!(r.errors.iter().filter(|e| e.gold.is_some()).count() == o.fn_);
    assert!(r.errors.len() <= o.fn_ + o.fp);
}

#[test]
fn rejects_unlisted_documents_and_bad_splits() {
    let dir = std::env::temp_dir().join(format!("rased-gold-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/a.txt"), "تونس B-LOC\n").unwrap();
    std::fs::write(dir.join("docs/b.txt"), "تونس B-LOC\n").unwrap();
    std::fs::write(dir.join("split.tsv"), "doc\tsplit\na\ttest\n").unwrap();
    let err = GoldSet::read(&dir).unwrap_err().to_string();
    assert!(err.contains("b.txt"), "{err}");
    std::fs::write(dir.join("split.tsv"), "doc\tsplit\na\ttest\nb\tdev\n").unwrap();
    assert!(GoldSet::read(&dir).is_err());
    std::fs::write(
        dir.join("split.tsv"),
        "doc\tsplit\na\ttest\nb\ttrain\nc\ttrain\n",
    )
    .unwrap();
    assert!(GoldSet::read(&dir).is_err(), "c.txt is missing");
    std::fs::write(dir.join("split.tsv"), "doc\tsplit\na\ttest\nb\ttrain\n").unwrap();
    assert_eq!(GoldSet::read(&dir).unwrap().docs.len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}
