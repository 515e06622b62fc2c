//! Stable identifiers.

/// 64-bit FNV-1a of `bytes` as 16 lowercase hex digits: deterministic across runs,
/// platforms and versions.
pub fn stable_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn fnv_known_values() {
        assert_eq!(super::stable_hash(b""), "cbf29ce484222325");
        assert_eq!(super::stable_hash(b"a"), "af63dc4c8601ec8c");
    }
}
