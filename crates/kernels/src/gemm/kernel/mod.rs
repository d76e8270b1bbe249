//! Microkernels: one register-blocked `MR × NR` kernel per (ISA, type), registered in a table.
//!
//! Contract of every microkernel (`MicroKernel<T>`): with `a` an `MR × k` packed panel
//! (for each `p < k`, `MR` consecutive elements) and `b` a `k × NR` packed panel (for each
//! `p`, `NR` consecutive elements), compute `C[..m, ..n] ← α·(a·b)[..m, ..n] + β·C[..m, ..n]`
//! where `C(i, j)` is at `c + i·rs_c + j·cs_c`, `m ≤ MR`, `n ≤ NR`. When `β == 0`, `C` is
//! not read (BLAS semantics: NaN in `C` does not propagate). Edge tiles (`m < MR` or
//! `n < NR`) run the same arithmetic on the zero-padded panels and store only the valid
//! part. Adding an ISA means one file here and one line per type in the tables below.

#[cfg(target_arch = "x86_64")]
pub(crate) mod avx2;
#[cfg(target_arch = "x86_64")]
pub(crate) mod avx512;
#[cfg(target_arch = "aarch64")]
pub(crate) mod neon;
pub(crate) mod scalar;
#[cfg(target_arch = "x86_64")]
pub(crate) mod small_x86;

use crate::Isa;
use crate::Scalar;

/// Signature shared by all microkernels; see the module documentation for the contract.
///
/// # Safety (for callers)
/// `a` must be readable for `MR·k` elements, `b` for `k·NR`, every `C(i, j)` with `i < m`,
/// `j < n` valid for reads and writes, `m ≤ MR`, `n ≤ NR`, and the ISA of the kernel must be
/// supported by the CPU.
pub type MicroKernel<T> = unsafe fn(
    k: usize,
    alpha: T,
    a: *const T,
    b: *const T,
    beta: T,
    c: *mut T,
    rs_c: isize,
    cs_c: isize,
    m: usize,
    n: usize,
);

/// Everything the GEMM loop nest needs to know about one (ISA, type) pair.
#[derive(Debug)]
pub struct KernelTable<T: 'static> {
    /// The ISA the kernel runs on.
    pub isa: Isa,
    /// Rows of the register block.
    pub mr: usize,
    /// Columns of the register block.
    pub nr: usize,
    /// The microkernel.
    pub kernel: MicroKernel<T>,
    /// The no-packing kernel for small and medium products, where the ISA has one.
    pub(crate) small: Option<Small<T>>,
}

impl<T> KernelTable<T> {
    /// Whether short, wide and deep products (`m` a few register blocks, `n` and `k` large)
    /// read B in place on this ISA instead of packing it: true where the no-packing kernel is
    /// faster than packing for them (AVX-512 and AVX2 today).
    ///
    /// ```
    /// use lapis_kernels::{Isa, Scalar};
    /// // The portable kernel packs every product it does not take whole.
    /// assert!(!f64::gemm_table(Isa::Scalar).has_short_path());
    /// ```
    pub fn has_short_path(&self) -> bool {
        self.small.as_ref().is_some_and(|s| s.max_short_m > 0)
    }
}

/// An ISA's no-packing kernel and the medium products it takes beyond `m, n, k ≤ 32`.
#[derive(Debug)]
pub(crate) struct Small<T: 'static> {
    /// The kernel.
    pub(crate) kernel: SmallKernel<T>,
    /// Largest `k`: a block of row vectors of A (`rows × k`) must stay in L1 while the
    /// columns of C stream past it.
    pub(crate) max_k: usize,
    /// Largest `m·n·k`: A and B still fit in L2, so packing would only copy what the kernel
    /// can read in place.
    pub(crate) max_work: usize,
    /// Largest `m` of a deep and wide product that reads B in place instead of packing it
    /// (`gemm/short.rs`); 0 where the kernel is not faster than packing for it.
    pub(crate) max_short_m: usize,
    /// Kernels for `m ≤ tiny_max_m` (one vector) and `n ≤ TINY_MAX_N`, entry `n − 1` for `n`
    /// columns exactly: a 4 × 4 or 8 × 8 product costs about as much in the row and column
    /// loops of `kernel` as in its arithmetic.
    pub(crate) tiny: &'static [SmallKernel<T>; TINY_MAX_N],
    /// Rows in one vector of the ISA.
    pub(crate) tiny_max_m: usize,
}

/// Most columns of a tiny product (see [`Small::tiny`]).
pub(crate) const TINY_MAX_N: usize = 8;

/// Small-product kernel: `C ← α·A·B + β·C` reading A (unit row stride) and B unpacked; any
/// `m`, `n`, `k`, but meant for operands that fit in L1/L2.
///
/// Arguments: `m, n, k, α, a, cs_a, b, rs_b, cs_b, β, c, cs_c`; C has unit row stride.
///
/// # Safety (for callers)
/// `m, n ≥ 1`; every element of the three views is valid (C for
/// writes); the CPU supports the kernel's ISA.
pub(crate) type SmallKernel<T> =
    unsafe fn(usize, usize, usize, T, *const T, isize, *const T, isize, isize, T, *mut T, isize);

/// Stores an `MR × NR` tile held in `tile` (column-major, leading dimension `mr`) into the
/// `m × n` corner of `C` with `C ← α·tile + β·C`, skipping reads of `C` when `β == 0`.
///
/// # Safety
/// Every `C(i, j)` with `i < m`, `j < n` must be valid for reads and writes.
#[inline(always)]
pub(crate) unsafe fn store_tile<T: Scalar>(
    tile: &[T],
    mr: usize,
    alpha: T,
    beta: T,
    c: *mut T,
    rs_c: isize,
    cs_c: isize,
    m: usize,
    n: usize,
) {
    for j in 0..n {
        for i in 0..m {
            let v = alpha * tile[i + j * mr];
            // SAFETY: (i, j) is inside the m × n block the caller vouched for.
            unsafe {
                let p = c.offset(i as isize * rs_c + j as isize * cs_c);
                *p = if beta == T::zero() { v } else { v + beta * *p };
            }
        }
    }
}

pub(crate) fn table_f64(isa: Isa) -> &'static KernelTable<f64> {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => &avx512::F64,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => &avx2::F64,
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => &neon::F64,
        _ => &scalar::F64,
    }
}

pub(crate) fn table_f32(isa: Isa) -> &'static KernelTable<f32> {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => &avx512::F32,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => &avx2::F32,
        #[cfg(target_arch = "aarch64")]
        Isa::Neon => &neon::F32,
        _ => &scalar::F32,
    }
}
