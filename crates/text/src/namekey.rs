//! Name keys. (Being written: see the name-key helper.)

/// The key under which spelling variants of one name collide.
pub fn name_key(name: &str) -> String {
    crate::normalize_str(name, crate::Level::Match)
}

/// Similarity of two names in [0, 1].
pub fn name_similarity(a: &str, b: &str) -> f32 {
    f32::from(name_key(a) == name_key(b))
}
