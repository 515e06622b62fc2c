//! FNV-1a, 64-bit: the one hash rased uses for stable identifiers (the same value on every
//! run, platform and version) and for the hash maps of its embedded lexicons (short, trusted
//! keys, where SipHash's flood resistance buys nothing).

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of `bytes`.
pub fn fnv64(bytes: &[u8]) -> u64 {
    let mut h = OFFSET;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(PRIME);
    }
    h
}

/// FNV-1a of `bytes` as 16 lowercase hex digits.
pub fn stable_hash(bytes: &[u8]) -> String {
    format!("{:016x}", fnv64(bytes))
}

/// A [`std::hash::Hasher`] computing FNV-1a.
#[derive(Debug, Default, Clone, Copy)]
pub struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { OFFSET } else { self.0 };
        for &b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(PRIME);
        }
        self.0 = h;
    }
}

/// Builds [`Fnv`] hashers for `HashMap`/`HashSet`.
pub type FnvBuild = std::hash::BuildHasherDefault<Fnv>;

#[cfg(test)]
mod tests {
    #[test]
    fn known_values() {
        assert_eq!(super::stable_hash(b""), "cbf29ce484222325");
        assert_eq!(super::stable_hash(b"a"), "af63dc4c8601ec8c");
    }
}
