//! Cache sizes, read once from the OS, with conservative defaults when it does not say.

use std::sync::OnceLock;

/// Data-cache sizes in bytes, per core for L1/L2 and per package for L3.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct CacheSizes {
    /// Level-1 data cache.
    pub l1d: usize,
    /// Level-2 cache.
    pub l2: usize,
    /// Level-3 cache (shared).
    pub l3: usize,
}

impl CacheSizes {
    /// Sizes typical of a current desktop/server core, used when detection fails.
    pub const DEFAULT: CacheSizes = CacheSizes {
        l1d: 32 << 10,
        l2: 512 << 10,
        l3: 8 << 20,
    };
}

/// The cache sizes of this machine (as reported by Linux sysfs, else defaults).
///
/// ```
/// let c = lapis_kernels::cache_sizes();
/// assert!(c.l1d >= 4096 && c.l2 >= c.l1d);
/// ```
pub fn cache_sizes() -> CacheSizes {
    static SIZES: OnceLock<CacheSizes> = OnceLock::new();
    *SIZES.get_or_init(|| read_sysfs().unwrap_or(CacheSizes::DEFAULT))
}

/// Parses sizes like `48K`, `1024K`, `32M` as sysfs writes them.
fn parse_size(s: &str) -> Option<usize> {
    let s = s.trim();
    let (digits, mult) = match s.as_bytes().last()? {
        b'K' | b'k' => (&s[..s.len() - 1], 1usize << 10),
        b'M' | b'm' => (&s[..s.len() - 1], 1 << 20),
        b'G' | b'g' => (&s[..s.len() - 1], 1 << 30),
        _ => (s, 1),
    };
    digits.trim().parse::<usize>().ok()?.checked_mul(mult)
}

fn read_sysfs() -> Option<CacheSizes> {
    let mut sizes = CacheSizes {
        l1d: 0,
        l2: 0,
        l3: 0,
    };
    for index in 0..8 {
        let dir = format!("/sys/devices/system/cpu/cpu0/cache/index{index}");
        let Ok(level) = std::fs::read_to_string(format!("{dir}/level")) else {
            break;
        };
        let kind = std::fs::read_to_string(format!("{dir}/type")).unwrap_or_default();
        let Some(size) = std::fs::read_to_string(format!("{dir}/size"))
            .ok()
            .and_then(|s| parse_size(&s))
        else {
            continue;
        };
        match (level.trim(), kind.trim()) {
            ("1", "Data") | ("1", "Unified") => sizes.l1d = size,
            ("2", _) => sizes.l2 = size,
            ("3", _) => sizes.l3 = size,
            _ => {}
        }
    }
    if sizes.l1d == 0 || sizes.l2 == 0 {
        return None;
    }
    if sizes.l3 == 0 {
        sizes.l3 = sizes.l2;
    }
    Some(sizes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sysfs_sizes() {
        assert_eq!(parse_size("48K\n"), Some(48 << 10));
        assert_eq!(parse_size("32M"), Some(32 << 20));
        assert_eq!(parse_size("512"), Some(512));
        assert_eq!(parse_size("x"), None);
    }
}
