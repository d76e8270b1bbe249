//! The fast path for stacks of tiny matrices (`n ≤ 4`): `inv`, `solve`, `det`, `slogdet`.
//!
//! A 4 × 4 matrix is 16 numbers; calling the blocked, recursive LU of `lapis-factor` on it
//! costs more in set-up than in arithmetic. Here each matrix is read into a fixed-size array
//! on the stack (`[[T; N]; N]`, `N` a const generic, so every loop is unrolled), factored by
//! the same algorithm as LAPACK's `getf2` — partial pivoting on the largest magnitude (first
//! one on ties), multipliers by the reciprocal of the pivot unless it is subnormal, and an
//! **exactly** zero pivot reported as singular with its index — and the result written
//! straight into the output. No allocation per matrix; the batch is split across threads in
//! blocks (see [`for_each_tiny`](super::stack::for_each_tiny)).
//!
//! The pivots and multipliers are those of the general path, so the singular/non-singular
//! verdict and the reported pivot index agree with it; the results agree to rounding.
//! `inv` runs the same arithmetic in [`lapis_kernels::tiny`], which factors a register's
//! worth of matrices at once (one matrix per SIMD lane).

use lapis_kernels::tiny::{TinyFailure, inv_tiny};
use lapis_kernels::{MatRef, Scalar};

use super::stack::Stack;
use crate::{Element, LinalgError};

/// Matrices of at most this order take the tiny path.
pub(crate) const MAX_N: usize = 4;

/// Reads matrix `i` of `st` (which is `N × N`), checking that it is finite.
#[inline(always)]
fn load<T: Scalar + Element, const N: usize>(
    st: &Stack<'_, T>,
    i: usize,
) -> Result<[[T; N]; N], LinalgError> {
    let mut a = [[T::zero(); N]; N];
    let mut finite = true;
    for (r, row) in a.iter_mut().enumerate() {
        for (c, x) in row.iter_mut().enumerate() {
            *x = st.at(i, r, c);
            finite &= x.is_finite();
        }
    }
    if finite {
        Ok(a)
    } else {
        Err(LinalgError::NonFinite)
    }
}

/// `P·A = L·U` in place (LAPACK `getf2` on an `N × N` array): `ipiv[k]` is the row swapped
/// with row `k` at step `k`; returns the index of the first exactly zero pivot.
#[inline(always)]
fn lu<T: Scalar, const N: usize>(a: &mut [[T; N]; N], ipiv: &mut [usize; N]) -> Option<usize> {
    let mut first = None;
    for k in 0..N {
        let mut p = k;
        let mut best = a[k][k].abs();
        for r in k + 1..N {
            let v = a[r][k].abs();
            if v > best {
                best = v;
                p = r;
            }
        }
        ipiv[k] = p;
        let pivot = a[p][k];
        if pivot == T::zero() {
            first = first.or(Some(k));
            continue;
        }
        if p != k {
            a.swap(p, k);
        }
        let recip = T::one() / pivot;
        let normal = pivot.abs() >= T::MIN_POSITIVE;
        for r in k + 1..N {
            let l = if normal {
                a[r][k] * recip
            } else {
                a[r][k] / pivot
            };
            a[r][k] = l;
            for c in k + 1..N {
                a[r][c] -= l * a[k][c];
            }
        }
    }
    first
}

/// Solves `A·x = b` for one right-hand side from the factors of [`lu`] (all pivots non-zero).
#[inline(always)]
fn lu_solve_vec<T: Scalar, const N: usize>(a: &[[T; N]; N], ipiv: &[usize; N], x: &mut [T; N]) {
    for k in 0..N {
        x.swap(k, ipiv[k]);
    }
    for r in 1..N {
        let mut s = x[r];
        for c in 0..r {
            s -= a[r][c] * x[c];
        }
        x[r] = s;
    }
    for r in (0..N).rev() {
        let mut s = x[r];
        for c in r + 1..N {
            s -= a[r][c] * x[c];
        }
        x[r] = s / a[r][r];
    }
}

/// `solve`: `A_i·X = B_i` with `B_i` (`N × k`) from `b`, written to `out` (`N·k`, C order).
#[inline(always)]
fn solve_one<T: Scalar + Element, const N: usize>(
    st: &Stack<'_, T>,
    b: &Stack<'_, T>,
    i: usize,
    out: &mut [T],
) -> Result<(), LinalgError> {
    let mut a = load::<T, N>(st, i)?;
    let k = b.cols;
    let mut finite = true;
    for c in 0..k {
        for r in 0..N {
            let v = b.at(i, r, c);
            finite &= v.is_finite();
            out[r * k + c] = v;
        }
    }
    if !finite {
        return Err(LinalgError::NonFinite);
    }
    let mut ipiv = [0usize; N];
    if let Some(index) = lu(&mut a, &mut ipiv) {
        return Err(LinalgError::Singular { index });
    }
    for c in 0..k {
        let mut x = [T::zero(); N];
        for r in 0..N {
            x[r] = out[r * k + c];
        }
        lu_solve_vec(&a, &ipiv, &mut x);
        for r in 0..N {
            out[r * k + c] = x[r];
        }
    }
    Ok(())
}

/// `det` and `slogdet`: writes `det` (`out.len() == 1`) or `(sign, logabsdet)`
/// (`out.len() == 2`) of matrix `i`, by the same overflow-safe accumulation of the pivots
/// as the general path ([`lapis_factor::lu::det`], [`lapis_factor::lu::slogdet`]).
#[inline(always)]
fn det_one<T: Scalar + Element, const N: usize>(
    st: &Stack<'_, T>,
    i: usize,
    out: &mut [T],
) -> Result<(), LinalgError> {
    let mut a = load::<T, N>(st, i)?;
    let mut ipiv = [0usize; N];
    lu(&mut a, &mut ipiv);
    let flat = a.as_flattened();
    let m = MatRef::from_row_major(flat, N, N).expect("N × N");
    let fail = |e| super::convert::factor_error("det", &[], e);
    if out.len() == 1 {
        // Fast: the plain product when it is safely in range, as lu::det would give.
        // Every partial product must be a finite normal number (or a pivot exactly zero),
        // otherwise an intermediate over- or underflow may have spoilt it.
        let mut p = T::one();
        let mut in_range = true;
        for (k, row) in a.iter().enumerate() {
            p *= row[k];
            in_range &= p.is_finite() && p.abs() >= T::MIN_POSITIVE;
            if row[k] == T::zero() {
                p = T::zero();
                in_range = true;
                break;
            }
        }
        let swaps = ipiv.iter().enumerate().filter(|&(k, &q)| k != q).count();
        out[0] = if p == T::zero() {
            T::zero()
        } else if in_range {
            if swaps % 2 == 1 { -p } else { p }
        } else {
            lapis_factor::lu::det(m, &ipiv).map_err(fail)?
        };
    } else {
        let (s, l) = lapis_factor::lu::slogdet(m, &ipiv).map_err(fail)?;
        out[0] = s;
        out[1] = l;
    }
    Ok(())
}

/// Dispatches `$f::<N>` for `n` in `1..=4`.
macro_rules! by_order {
    ($n:expr, $f:ident ( $($arg:expr),* )) => {
        match $n {
            1 => $f::<T, 1>($($arg),*),
            2 => $f::<T, 2>($($arg),*),
            3 => $f::<T, 3>($($arg),*),
            4 => $f::<T, 4>($($arg),*),
            _ => unreachable!("the tiny path is for 1 ≤ n ≤ 4"),
        }
    };
}

/// `inv` of every matrix of `st` (`1 ≤ n ≤ 8`) into `out` (C order), by the kernel that
/// factors a register's worth of matrices at once ([`lapis_kernels::tiny`]: this file's `lu`
/// and one substitution per identity column, lane by lane).
pub(crate) fn inv<T: Scalar + Element>(
    st: &Stack<'_, T>,
    out: &mut [T],
) -> Result<(), LinalgError> {
    let n = st.rows;
    let (data, offsets, rs, cs) = st.layout();
    super::stack::for_each_tiny_block(st.count(), out, n * n, |first, o| {
        let offsets = &offsets[first..first + o.len() / (n * n)];
        match inv_tiny(data, offsets, n, rs, cs, o) {
            Ok(None) => Ok(()),
            Ok(Some(TinyFailure::NonFinite { matrix })) => {
                Err((first + matrix, LinalgError::NonFinite))
            }
            Ok(Some(TinyFailure::Singular { matrix, index })) => {
                Err((first + matrix, LinalgError::Singular { index }))
            }
            Err(e) => Err((first, LinalgError::invalid("inv", e.to_string()))),
        }
    })
}

/// `solve` for every matrix of `st` (`1 ≤ n ≤ 4`) with the right-hand sides `b` (`n × k`,
/// `k ≥ 1`) into `out` (C order).
pub(crate) fn solve<T: Scalar + Element>(
    st: &Stack<'_, T>,
    b: &Stack<'_, T>,
    out: &mut [T],
) -> Result<(), LinalgError> {
    let n = st.rows;
    super::stack::for_each_tiny(st.count(), out, n * b.cols, |i, o| {
        by_order!(n, solve_one(st, b, i, o))
    })
}

/// `det` (`per == 1`) or interleaved `(sign, logabsdet)` (`per == 2`) of every matrix of
/// `st` (`1 ≤ n ≤ 4`) into `out`.
pub(crate) fn det<T: Scalar + Element>(
    st: &Stack<'_, T>,
    out: &mut [T],
    per: usize,
) -> Result<(), LinalgError> {
    let n = st.rows;
    super::stack::for_each_tiny(st.count(), out, per, |i, o| by_order!(n, det_one(st, i, o)))
}
