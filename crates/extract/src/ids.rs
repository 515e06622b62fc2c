//! Stable identifiers.

/// 64-bit FNV-1a of `bytes` as 16 lowercase hex digits: deterministic across runs,
/// platforms and versions.
pub use rased_text::hash::stable_hash;
