//! Clitic segmentation. (Being written: see the segmentation helper.)

/// A word cut into proclitics, stem and enclitic; all slices of the input word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmentation<'a> {
    pub proclitics: Vec<&'a str>,
    pub stem: &'a str,
    pub enclitic: Option<&'a str>,
}

/// Segments one word.
pub fn segment(word: &str) -> Segmentation<'_> {
    Segmentation {
        proclitics: Vec::new(),
        stem: word,
        enclitic: None,
    }
}
