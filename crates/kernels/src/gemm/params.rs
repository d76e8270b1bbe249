//! Cache blocking for the loop nest, derived from the cache sizes and the register block.

use crate::arch::cache::{CacheSizes, cache_sizes};

/// The three cache-level block sizes of the Goto/BLIS loop nest.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Blocking {
    /// Depth of a packed panel: a `KC × NR` sliver of B stays in L1.
    pub kc: usize,
    /// Rows of a packed A block: `MC × KC` stays in L2.
    pub mc: usize,
    /// Columns of a packed B block: `KC × NC` stays in (a share of) L3.
    pub nc: usize,
    /// Bytes of L2 given to the packed A block (`MC·KC·elem`), so that a shallower block
    /// (`k < KC`) can be taller.
    pub a_block_bytes: usize,
}

impl Blocking {
    /// Rows of the A block for a panel depth `kc ≤ KC`: the same L2 share as `MC × KC`, so
    /// shallow products (k = 64 panel updates) sweep C down long columns instead of
    /// hopping across it in short strips.
    pub fn mc_for_depth(&self, kc: usize, elem: usize, mr: usize) -> usize {
        round_down(self.a_block_bytes / (kc.max(1) * elem), mr)
            .clamp(self.mc, round_down(16384, mr))
    }

    /// Depth of the packed panels for a product of depth `k`: as many blocks as `KC` needs,
    /// of equal depth (rounded up to 8), so that the last one is not a sliver. With
    /// `KC = 680`, `k = 2048` would otherwise end in a block of depth 8: one more sweep of
    /// the microkernels over all of C for 0.4% of the multiply-adds.
    pub fn kc_for_depth(&self, k: usize) -> usize {
        let blocks = k.div_ceil(self.kc).max(1);
        k.div_ceil(blocks).next_multiple_of(8).clamp(8, self.kc)
    }
}

fn round_down(x: usize, to: usize) -> usize {
    (x / to) * to
}

/// Block sizes for a `mr × nr` kernel on `elem`-byte elements with the given caches.
pub fn blocking_for(caches: CacheSizes, elem: usize, mr: usize, nr: usize) -> Blocking {
    // Half of L1 for the B sliver leaves room for the A micro-panel and C lines.
    let kc = round_down((caches.l1d / 2) / (nr * elem), 8).clamp(64, 1024);
    // Half of L2 for the A block: B slivers and C stream through the other half.
    let mc = round_down((caches.l2 / 2) / (kc * elem), mr).clamp(mr, round_down(4096, mr));
    // L3 is shared between cores: take a quarter of it for the B block.
    let nc = round_down((caches.l3 / 4) / (kc * elem), nr).clamp(nr, round_down(8192, nr));
    Blocking {
        kc,
        mc,
        nc,
        a_block_bytes: mc * kc * elem,
    }
}

/// Block sizes for this machine.
pub fn blocking(elem: usize, mr: usize, nr: usize) -> Blocking {
    blocking_for(cache_sizes(), elem, mr, nr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_multiples_of_the_register_block() {
        for caches in [
            CacheSizes::DEFAULT,
            CacheSizes {
                l1d: 48 << 10,
                l2: 1 << 20,
                l3: 32 << 20,
            },
            CacheSizes {
                l1d: 1024,
                l2: 2048,
                l3: 4096,
            },
        ] {
            for (elem, mr, nr) in [(8, 24, 8), (4, 48, 8), (8, 8, 6), (4, 4, 4)] {
                let b = blocking_for(caches, elem, mr, nr);
                assert_eq!(b.mc % mr, 0, "{b:?}");
                assert_eq!(b.nc % nr, 0, "{b:?}");
                assert!(b.kc >= 64 && b.mc >= mr && b.nc >= nr, "{b:?}");
                let shallow = b.mc_for_depth(16, elem, mr);
                assert!(
                    shallow >= b.mc && shallow.is_multiple_of(mr),
                    "{b:?} → {shallow}"
                );
                assert_eq!(b.mc_for_depth(b.kc, elem, mr), b.mc);
                for k in [
                    1,
                    7,
                    8,
                    9,
                    b.kc - 1,
                    b.kc,
                    b.kc + 1,
                    2 * b.kc + 8,
                    2048,
                    5000,
                ] {
                    let kc = b.kc_for_depth(k);
                    assert!(kc <= b.kc && kc > 0, "{b:?}, k = {k} → {kc}");
                    assert_eq!(k.div_ceil(kc), k.div_ceil(b.kc), "{b:?}, k = {k} → {kc}");
                    // The last block is at most the rounding (8 per block) shallower than
                    // the others.
                    let blocks = k.div_ceil(kc);
                    let last = k - (blocks - 1) * kc;
                    assert!(last + 8 * blocks >= kc.min(k), "{b:?}, k = {k} → {kc}");
                }
            }
        }
    }
}
