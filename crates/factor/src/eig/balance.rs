//! Balancing (LAPACK `gebal`, job `'B'`, and its inverse `gebak`): `A ← D⁻¹·Pᵀ·A·P·D`.
//!
//! The permutation `P` moves rows whose off-diagonal part is zero to the bottom and columns whose
//! off-diagonal part is zero to the top, so that `A` becomes block upper triangular with the
//! eigenvalues outside the window `lo..hi` sitting isolated on the diagonal: only the window
//! needs QR iterations. The diagonal `D` (powers of 2, so exact) then makes row and column
//! 2-norms of the window comparable (Parlett & Reinsch; the norms and the stopping guard against
//! over/underflow as in LAPACK 3.5+): the Schur form's errors are relative to `‖D⁻¹AD‖`, which
//! can be many orders of magnitude below `‖A‖` for graded matrices.

use lapis_kernels::{MatRef, Scalar, iamax, nrm2};

/// What balancing did: eigenvalues outside `lo..hi` are isolated; `scale[i]` is `D[i, i]` for `i`
/// in the window, and `perm[i]` names the row exchanged with row `i` for `i` outside it.
#[derive(Clone, Debug)]
pub(crate) struct Balancing<T> {
    pub lo: usize,
    pub hi: usize,
    pub scale: Vec<T>,
    pub perm: Vec<usize>,
}

/// Balances the column-major `n × n` `a` in place (`scale_too = false`: permutation only).
pub(crate) fn balance<T: Scalar>(a: &mut [T], n: usize, scale_too: bool) -> Balancing<T> {
    let mut b = Balancing {
        lo: 0,
        hi: n,
        scale: vec![T::one(); n],
        perm: (0..n).collect(),
    };
    if n == 0 {
        return b;
    }
    let at = |i: usize, j: usize| i + j * n;

    // Rows with no off-diagonal entry in columns 0..hi go to the bottom (their eigenvalue is the
    // diagonal entry once the rows below are removed). The scan goes on downwards after a swap,
    // as LAPACK 3.11's gebal does; a full pass without a swap ends the search.
    let mut hi = n;
    let mut found = true;
    while found {
        found = false;
        let mut i = hi;
        while i > 0 {
            i -= 1;
            let isolated = (0..hi).all(|j| j == i || a[at(i, j)] == T::zero());
            if isolated {
                b.perm[hi - 1] = i;
                swap_both(a, n, i, hi - 1);
                found = true;
                if hi == 1 {
                    b.hi = 1;
                    b.lo = 0;
                    return b;
                }
                hi -= 1;
            }
        }
    }
    // Columns with no off-diagonal entry in rows lo..hi go to the top.
    let mut lo = 0;
    found = true;
    while found {
        found = false;
        let mut j = lo;
        while j < hi {
            let isolated = (lo..hi).all(|i| i == j || a[at(i, j)] == T::zero());
            if isolated {
                b.perm[lo] = j;
                swap_both(a, n, j, lo);
                found = true;
                lo += 1;
            }
            j += 1;
        }
    }
    b.lo = lo;
    b.hi = hi;
    if scale_too {
        scale_window(a, n, &mut b);
    }
    b
}

/// Exchanges rows `i`, `k` and columns `i`, `k` (a symmetric permutation; similarity).
fn swap_both<T: Scalar>(a: &mut [T], n: usize, i: usize, k: usize) {
    if i == k {
        return;
    }
    for r in 0..n {
        a.swap(r + i * n, r + k * n);
    }
    for c in 0..n {
        a.swap(i + c * n, k + c * n);
    }
}

/// The diagonal scaling of the window `lo..hi` by powers of 2 until no row/column pair changes.
fn scale_window<T: Scalar>(a: &mut [T], n: usize, b: &mut Balancing<T>) {
    let (lo, hi) = (b.lo, b.hi);
    let (one, two) = (T::one(), T::one() + T::one());
    // The guards keep every scaled entry and every factor at least a safe distance (1/ε) from
    // underflow and overflow.
    let sfmin1 = T::MIN_POSITIVE / T::EPS;
    let sfmax1 = one / sfmin1;
    let sfmin2 = sfmin1 * two;
    let sfmax2 = one / sfmin2;
    let mut changed = true;
    while changed {
        changed = false;
        for i in lo..hi {
            let m = MatRef::from_col_major(a, n, n).expect("n × n");
            let mut c = nrm2(m.submatrix(lo, i, hi - lo, 1));
            let mut r = nrm2(m.submatrix(i, lo, 1, hi - lo));
            // Largest entries of the whole column above row hi and the whole row right of lo:
            // those are what scaling could overflow.
            let col = m.submatrix(0, i, hi, 1);
            let mut ca = col.get(iamax(col).unwrap_or(0), 0).abs();
            let row = m.submatrix(i, lo, 1, n - lo);
            let mut ra = row.get(0, iamax(row).unwrap_or(0)).abs();
            if c == T::zero() || r == T::zero() {
                continue;
            }
            if !(c + ca + r + ra).is_finite() {
                return;
            }
            let s = c + r;
            let mut f = one;
            let mut g = r / two;
            while c < g && f.max(c).max(ca) < sfmax2 && r.min(g).min(ra) > sfmin2 {
                f *= two;
                c *= two;
                ca *= two;
                r /= two;
                g /= two;
                ra /= two;
            }
            g = c / two;
            while g >= r && r.max(ra) < sfmax2 && f.min(c).min(g).min(ca) > sfmin2 {
                f /= two;
                c /= two;
                g /= two;
                ca /= two;
                r *= two;
                ra *= two;
            }
            // Only a reduction of the row+column norm by 5% or more is worth a change.
            if c + r >= T::from_f64(0.95) * s {
                continue;
            }
            if f < one && b.scale[i] < one && f * b.scale[i] <= sfmin1 {
                continue;
            }
            if f > one && b.scale[i] > one && b.scale[i] >= sfmax1 / f {
                continue;
            }
            b.scale[i] *= f;
            changed = true;
            let g = one / f;
            for j in lo..n {
                a[i + j * n] *= g;
            }
            for x in &mut a[i * n..i * n + hi] {
                *x *= f;
            }
        }
    }
}

/// Right eigenvectors of the balanced matrix → those of the original (`gebak`, `'B'`, `'R'`):
/// `V ← P·D·V` for the column-major `n × m` `v`.
pub(crate) fn undo<T: Scalar>(v: &mut [T], n: usize, m: usize, b: &Balancing<T>) {
    for i in b.lo..b.hi {
        let s = b.scale[i];
        if s != T::one() {
            for j in 0..m {
                v[i + j * n] *= s;
            }
        }
    }
    // The exchanges in reverse order of their making: the top ones (made last, lo − 1 first),
    // then the bottom ones (hi first).
    for i in (0..b.lo).rev().chain(b.hi..n) {
        let k = b.perm[i];
        if k != i {
            for j in 0..m {
                v.swap(i + j * n, k + j * n);
            }
        }
    }
}
