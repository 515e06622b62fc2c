//! What a stage derives from a word alone, remembered across the documents one thread
//! analyzes.
//!
//! News repeats its vocabulary from article to article. A stage whose per-word work is a pure
//! function of the word (the event lexicon's answer for a token, a story profile's stem) keeps it in a [`WordCache`] so that it does that work once
//! per word rather than once per document. The cache is bounded: two generations of at most
//! `capacity` words; when the current one is full it becomes the previous one, and a word
//! found there moves back (least-recently-used, roughly, at no cost per hit). What it returns
//! is exactly what the stage would compute, so output never depends on it.

use rustc_hash::FxHashMap;

pub struct WordCache<V> {
    current: FxHashMap<Box<str>, V>,
    previous: FxHashMap<Box<str>, V>,
    capacity: usize,
}

impl<V: Clone> WordCache<V> {
    pub fn new(capacity: usize) -> WordCache<V> {
        WordCache {
            current: FxHashMap::default(),
            previous: FxHashMap::default(),
            capacity: capacity.max(1),
        }
    }

    /// The value for `word`, computing it with `derive` when neither generation has it.
    pub fn get_or_derive(&mut self, word: &str, derive: impl FnOnce() -> V) -> V {
        if let Some(v) = self.current.get(word) {
            return v.clone();
        }
        let v = self.previous.remove(word).unwrap_or_else(derive);
        if self.current.len() >= self.capacity {
            self.previous = std::mem::take(&mut self.current);
        }
        self.current.insert(word.into(), v.clone());
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_once_and_stays_bounded() {
        let mut cache = WordCache::new(2);
        let mut derived = 0;
        for w in ["a", "b", "a", "c", "d", "a", "e", "f", "g"] {
            cache.get_or_derive(w, || {
                derived += 1;
                w.len()
            });
            assert!(cache.current.len() + cache.previous.len() <= 4);
        }
        // Each word once; "a" came back from the previous generation instead of again.
        assert_eq!(derived, 7);
        assert_eq!(cache.get_or_derive("g", || unreachable!()), 1);
    }
}
