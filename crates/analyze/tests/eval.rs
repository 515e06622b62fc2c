//! CoNLL entity-level evaluation on tiny hand-made examples.

use rased_analyze::eval::{chunks, evaluate, Chunk};

fn c(start: usize, end: usize, kind: &str) -> Chunk {
    Chunk {
        start,
        end,
        kind: kind.to_string(),
    }
}

#[test]
fn chunks_follow_conll_rules() {
    // B/I continue; a B starts a new chunk even of the same type.
    assert_eq!(
        chunks(&["B-PERS", "I-PERS", "B-PERS", "O"]),
        vec![c(0, 2, "PERS"), c(2, 3, "PERS")]
    );
    // An I- after O starts an entity; an I- of another type starts a new one.
    assert_eq!(
        chunks(&["O", "I-LOC", "I-LOC", "I-ORG", "O", "B-MISC"]),
        vec![c(1, 3, "LOC"), c(3, 4, "ORG"), c(5, 6, "MISC")]
    );
    // An entity open at the end of the sentence is closed there.
    assert_eq!(chunks(&["O", "B-ORG", "I-ORG"]), vec![c(1, 3, "ORG")]);
    assert!(chunks::<&str>(&[]).is_empty());
    assert!(chunks(&["O", "O"]).is_empty());
}

#[test]
fn micro_f1_counts_exact_span_and_type() {
    let gold = vec![
        vec!["B-PERS", "I-PERS", "O", "B-LOC"],
        vec!["B-ORG", "I-ORG", "I-ORG", "O"],
    ];
    let pred = vec![
        // PERS right, LOC typed as ORG.
        vec!["B-PERS", "I-PERS", "O", "B-ORG"],
        // ORG span too short: wrong.
        vec!["B-ORG", "I-ORG", "O", "O"],
    ];
    let e = evaluate(&gold, &pred);
    assert_eq!((e.overall.tp, e.overall.fp, e.overall.fn_), (1, 2, 2));
    assert!((e.overall.precision() - 1.0 / 3.0).abs() < 1e-9);
    assert!((e.overall.recall() - 1.0 / 3.0).abs() < 1e-9);
    assert!((e.overall.f1() - 1.0 / 3.0).abs() < 1e-9);
    let pers = e.per_type["PERS"];
    assert_eq!((pers.tp, pers.fp, pers.fn_), (1, 0, 0));
    assert_eq!(pers.f1(), 1.0);
    let org = e.per_type["ORG"];
    assert_eq!((org.tp, org.fp, org.fn_), (0, 2, 1));
    assert_eq!(e.per_type["LOC"].f1(), 0.0);
    // I- after O in the prediction counts as a chunk that matches a gold B-.
    let e = evaluate(&[vec!["O", "B-LOC"]], &[vec!["O", "I-LOC"]]);
    assert_eq!(e.overall.f1(), 1.0);
}
