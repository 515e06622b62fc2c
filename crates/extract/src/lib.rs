//! Extraction: bytes → articles. (Being written.)
