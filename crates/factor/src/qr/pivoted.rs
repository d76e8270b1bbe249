//! `A·P = Q·R` with column pivoting (LAPACK `geqp3`): at each step the remaining column of
//! largest norm is moved forward, with the column norms downdated and recomputed when the
//! downdate is unreliable (LAPACK Working Note 176, Drmač & Bujanović). Blocks of steps
//! defer the trailing update to one GEMM (`laqps`); the last steps, and small matrices, go
//! one column at a time (`laqp2`).

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm, nrm2, swap_rows};

use super::factor::reflect_column;
use super::{check_tau, with_col_major};
use crate::FactorError;
use crate::householder::make_reflector;
use crate::util::all_finite;

/// Factors `a` (`m × n`, any shape and strides) as `A·P = Q·R` in place, choosing at step `i`
/// the remaining column of largest 2-norm (below row `i`), so that
/// `|r₀₀| ≥ |r₁₁| ≥ … ≥ |r_{k−1,k−1}|` and each `|r_ii|` dominates the rest of its row's
/// trailing block: the diagonal of `R` reveals the numerical rank.
///
/// Output as [`factor`](super::factor) (`R` above, reflectors below the diagonal, `tau` of
/// length `min(m, n)`), plus `perm` (length `n`): column `j` of `A·P` is column `perm[j]` of
/// `A`, i.e. `A[:, perm] = Q·R` (scipy's `qr(a, pivoting=True)`).
///
/// The norms of the trailing columns are downdated after each step,
/// `‖a_j‖ ← ‖a_j‖·√(1 − (|r_ij|/‖a_j‖)²)`, which loses accuracy by cancellation when most of
/// the column has been eliminated. Following LAWN 176, the norm is recomputed from the
/// remaining rows whenever `(1 − (|r_ij|/‖a_j‖)²)·(‖a_j‖/‖a_j‖₀)² ≤ √ε`, where `‖a_j‖₀` is the
/// norm at its last recomputation. Ties go to the first column.
///
/// From `min(m, n) ≥ 64`, steps go by blocks of 32 whose update of the trailing matrix is one
/// GEMM; only the pivot column and row are brought up to date at each step (Quintana-Ortí,
/// Sun and Bischof's BLAS-3 QR with pivoting, LAPACK's `laqps`). Half the flops remain
/// matrix–vector products, as in LAPACK. One thread, f64, against the unblocked loop it
/// replaced: 1000² 186 → 108 ms, 2000² 1.65 → 0.92 s, 4000 × 1000 1.12 → 0.62 s.
///
/// Errors (leaving `a` untouched): [`FactorError::Shape`] for a wrong `tau` or `perm` length,
/// [`FactorError::NonFinite`] when `a` holds NaN or an infinity.
///
/// ```
/// use lapis_factor::kernels::{MatMut, Par};
/// use lapis_factor::qr;
/// // scipy: q, r, p = scipy.linalg.qr(a, pivoting=True)
/// let mut a = [1.0f64, 3.0, 0.0, 4.0]; // [[1, 3], [0, 4]] row-major
/// let (mut tau, mut perm) = ([0.0; 2], [0; 2]);
/// qr::factor_pivoted(MatMut::from_row_major(&mut a, 2, 2).unwrap(), &mut tau, &mut perm, Par::Seq)
///     .unwrap();
/// assert_eq!(perm, [1, 0]); // column 1 has the larger norm (5)
/// assert!((a[0].abs() - 5.0).abs() < 1e-15 && a[0].abs() >= a[3].abs());
/// ```
pub fn factor_pivoted<T: Scalar>(
    a: MatMut<'_, T>,
    tau: &mut [T],
    perm: &mut [usize],
    par: Par,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let k = m.min(n);
    check_tau("qr::factor_pivoted", (m, n), tau.len(), k)?;
    if perm.len() != n {
        return Err(FactorError::Shape {
            op: "qr::factor_pivoted",
            shapes: vec![("a", (m, n)), ("perm", (perm.len(), 1))],
        });
    }
    if !all_finite(a.as_ref()) {
        return Err(FactorError::NonFinite);
    }
    for (j, p) in perm.iter_mut().enumerate() {
        *p = j;
    }
    if k == 0 {
        return Ok(());
    }
    in_place(a, tau, perm, par, BLOCK)
}

/// [`factor_pivoted`] after its checks, by blocks of `block` columns from `min(m, n) ≥
/// 2·block` on.
fn in_place<T: Scalar>(
    a: MatMut<'_, T>,
    tau: &mut [T],
    perm: &mut [usize],
    par: Par,
    block: usize,
) -> Result<(), FactorError> {
    let k = a.nrows().min(a.ncols());
    with_col_major(a, |mut a| {
        let n = a.ncols();
        let mut vn1: Vec<T> = (0..n).map(|j| nrm2(a.as_ref().col(j))).collect();
        let mut vn2 = vn1.clone();
        let mut state = Norms {
            vn1: &mut vn1,
            vn2: &mut vn2,
            tol3z: T::EPS.sqrt(),
        };
        let mut i = 0;
        if k >= block.saturating_mul(2) {
            let mut f = Vec::new();
            while k - i > block {
                i += block_steps(a.rb(), i, block, tau, perm, &mut state, &mut f, par)?;
            }
        }
        unblocked_steps(a, i, tau, perm, &mut state)
    })
}

/// Columns per block of [`block_steps`] (LAPACK's `dgeqp3` uses 32). Matrices with
/// `min(m, n) < 2·BLOCK` are factored unblocked, and so are the last `BLOCK` steps.
const BLOCK: usize = 32;

/// The column norms of the trailing rows: `vn1[j]` the current estimate, `vn2[j]` its value
/// at its last recomputation, and LAWN 176's threshold for recomputing.
struct Norms<'a, T> {
    vn1: &'a mut [T],
    vn2: &'a mut [T],
    tol3z: T,
}

impl<T: Scalar> Norms<'_, T> {
    /// The first column `≥ from` of largest norm estimate (NaN-free by the input check).
    fn pivot(&self, from: usize) -> usize {
        let mut p = from;
        for j in from + 1..self.vn1.len() {
            if self.vn1[j] > self.vn1[p] {
                p = j;
            }
        }
        p
    }

    /// Moves column `p`'s norms to `i`'s place (the columns were exchanged).
    fn exchange(&mut self, i: usize, p: usize) {
        self.vn1[p] = self.vn1[i];
        self.vn2[p] = self.vn2[i];
    }

    /// Downdates the norm of column `j` after its entry `r` (row of the step) was finalized;
    /// returns `false` when the downdate is unreliable and the norm must be recomputed.
    fn downdate(&mut self, j: usize, r: T) -> bool {
        if self.vn1[j] == T::zero() {
            return true;
        }
        let q = r.abs() / self.vn1[j];
        let t = ((T::one() - q) * (T::one() + q)).max(T::zero());
        let ratio = self.vn1[j] / self.vn2[j];
        if t * ratio * ratio <= self.tol3z {
            return false;
        }
        self.vn1[j] *= t.sqrt();
        true
    }

    /// Recomputes the norm of column `j` of `a` from row `from` down.
    fn recompute(&mut self, a: MatRef<'_, T>, j: usize, from: usize) {
        let m = a.nrows();
        self.vn1[j] = if from < m {
            nrm2(a.submatrix(from, j, m - from, 1))
        } else {
            T::zero()
        };
        self.vn2[j] = self.vn1[j];
    }
}

/// Exchanges columns `i` and `p` of `a` (all rows) and their entries of `perm`.
fn swap_cols<T: Scalar>(a: &mut MatMut<'_, T>, i: usize, p: usize, perm: &mut [usize]) {
    swap_rows(a.rb().transpose(), i, p);
    perm.swap(i, p);
}

/// Steps `from..min(m, n)` one column at a time (LAPACK `laqp2`): each reflector is applied
/// at once to the columns to its right (GEMV + GER).
fn unblocked_steps<T: Scalar>(
    mut a: MatMut<'_, T>,
    from: usize,
    tau: &mut [T],
    perm: &mut [usize],
    norms: &mut Norms<'_, T>,
) -> Result<(), FactorError> {
    let (m, n) = a.shape();
    let mut work = Vec::with_capacity(n);
    for i in from..m.min(n) {
        let p = norms.pivot(i);
        if p != i {
            swap_cols(&mut a, i, p, perm);
            norms.exchange(i, p);
        }
        tau[i] = reflect_column(a.rb(), i, &mut work)?;
        for j in i + 1..n {
            if !norms.downdate(j, a.get(i, j)) {
                norms.recompute(a.as_ref(), j, i + 1);
            }
        }
    }
    Ok(())
}

/// Up to `nb` steps from column (and row) `j0` with the trailing update deferred (LAPACK
/// `laqps`, Quintana-Ortí, Sun and Bischof): the pending update of the columns right of
/// `j0` is `A −= V·Fᵀ`, with `F` (`(n − j0) × kb`) grown by one column per step. Each step
/// brings only the pivot column and the pivot row up to date (GEMVs), so the norms can be
/// downdated and the next pivot chosen; the rest of the trailing matrix takes the whole
/// block's update as one GEMM at the end. A norm whose downdate is unreliable ends the block
/// early (it can only be recomputed from up-to-date rows). Returns the steps taken (≥ 1).
#[allow(clippy::too_many_arguments)]
fn block_steps<T: Scalar>(
    mut a: MatMut<'_, T>,
    j0: usize,
    nb: usize,
    tau: &mut [T],
    perm: &mut [usize],
    norms: &mut Norms<'_, T>,
    f_buf: &mut Vec<T>,
    par: Par,
) -> Result<usize, FactorError> {
    let (m, n) = a.shape();
    let nn = n - j0;
    let nb = nb.min(m.min(n) - j0);
    f_buf.clear();
    f_buf.resize(nn * nb, T::zero());
    let mut f = MatMut::from_col_major(f_buf, nn, nb).expect("(n − j0) × nb workspace");
    let mut aux = vec![T::zero(); nb];
    let mut stale = Vec::new();
    let mut kb = 0;
    while kb < nb && stale.is_empty() {
        let c = j0 + kb;
        let p = norms.pivot(c);
        if p != c {
            swap_cols(&mut a, c, p, perm);
            norms.exchange(c, p);
            swap_rows(f.rb().submatrix(0, 0, nn, kb), c - j0, p - j0);
        }
        // Column c, rows c..: the block's earlier reflectors, A(c.., c) −= V(c.., :)·F(c, :)ᵀ.
        if kb > 0 {
            let (done, mut right) = a.rb().split_at_col(c);
            let v = done.into_ref().submatrix(c, j0, m - c, kb);
            let f_row = f.as_ref().submatrix(c - j0, 0, 1, kb).transpose();
            let col = right.rb().submatrix(c, 0, m - c, 1);
            gemm(-T::one(), v, f_row, T::one(), col, par)?;
        }
        let (mut diag, mut x) = a.rb().submatrix(c, c, m - c, 1).split_at_row(1);
        let r = make_reflector(diag.get(0, 0), x.rb());
        tau[c] = r.tau;
        // The reflector with its leading 1 in place, for the products below.
        diag.write(0, 0, T::one());
        let (left, mut right) = a.rb().split_at_col(c + 1);
        let left = left.into_ref();
        let v = left.submatrix(c, c, m - c, 1);
        if c + 1 < n {
            // F(c + 1.., kb) = τ·A(c.., c + 1..)ᵀ·v, from the not yet updated rows, corrected
            // below by the block's earlier reflectors.
            let a_rest = right.as_ref().submatrix(c, 0, m - c, n - c - 1);
            let fk = f.rb().submatrix(kb + 1, kb, nn - kb - 1, 1);
            gemm(r.tau, a_rest.transpose(), v, T::zero(), fk, par)?;
        }
        if kb > 0 && c + 1 < n {
            // F(c + 1.., kb) −= τ·F(c + 1.., ..kb)·(V(c.., ..kb)ᵀ·v).
            let mut aux_m = MatMut::from_col_major(&mut aux[..kb], kb, 1).expect("kb × 1");
            let v_prev = left.submatrix(c, j0, m - c, kb);
            gemm(-r.tau, v_prev.transpose(), v, T::zero(), aux_m.rb(), par)?;
            let (f_prev, f_cur) = f.rb().split_at_col(kb);
            let f_prev = f_prev.into_ref().submatrix(kb + 1, 0, nn - kb - 1, kb);
            let f_cur = f_cur.submatrix(kb + 1, 0, nn - kb - 1, 1);
            gemm(T::one(), f_prev, aux_m.as_ref(), T::one(), f_cur, par)?;
        }
        if c + 1 < n {
            // Row c up to date: A(c, c + 1..) −= V(c, ..=kb)·F(c + 1.., ..=kb)ᵀ.
            let v_row = left.submatrix(c, j0, 1, kb + 1);
            let f_rows = f
                .as_ref()
                .submatrix(kb + 1, 0, nn - kb - 1, kb + 1)
                .transpose();
            let row = right.rb().submatrix(c, 0, 1, n - c - 1);
            gemm(-T::one(), v_row, f_rows, T::one(), row, par)?;
            if c + 1 < m {
                for j in c + 1..n {
                    if !norms.downdate(j, a.get(c, j)) {
                        stale.push(j);
                    }
                }
            }
        }
        a.write(c, c, r.beta);
        kb += 1;
    }
    // The rows below the block: A(j0 + kb.., j0 + kb..) −= V(j0 + kb.., ..kb)·F(kb.., ..kb)ᵀ.
    let rk = j0 + kb;
    if rk < m && rk < n {
        let (left, right) = a.rb().split_at_col(rk);
        let v = left.into_ref().submatrix(rk, j0, m - rk, kb);
        let f_rest = f.as_ref().submatrix(kb, 0, nn - kb, kb).transpose();
        let trailing = right.submatrix(rk, 0, m - rk, n - rk);
        gemm(-T::one(), v, f_rest, T::one(), trailing, par)?;
    }
    for j in stale {
        norms.recompute(a.as_ref(), j, rk);
    }
    Ok(kb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::qr::form_q;

    /// Deterministic values in [−0.5, 0.5).
    fn uniform(len: usize, seed: u64) -> Vec<f64> {
        let mut s = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..len)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (s >> 11) as f64 / (1u64 << 53) as f64 - 0.5
            })
            .collect()
    }

    /// `m × n` column-major of rank `r`: a product of `m × r` and `r × n` factors.
    fn low_rank(m: usize, n: usize, r: usize, seed: u64) -> Vec<f64> {
        let (x, y) = (uniform(m * r, seed), uniform(r * n, seed + 1));
        let mut a = vec![0.0; m * n];
        for j in 0..n {
            for p in 0..r {
                for i in 0..m {
                    a[i + j * m] += x[i + p * m] * y[p + j * r];
                }
            }
        }
        a
    }

    /// Factors `a` (`m × n` column-major) by blocks of `block` and returns
    /// `‖A[:, perm] − Q·R‖_max / (‖A‖_max·max(m, n)·ε)` and the diagonal of `R`.
    fn factor_and_check(a: &[f64], m: usize, n: usize, block: usize) -> (f64, Vec<f64>) {
        let k = m.min(n);
        let mut f = a.to_vec();
        let (mut tau, mut perm) = (vec![0.0; k], (0..n).collect::<Vec<_>>());
        let view = MatMut::from_col_major(&mut f, m, n).unwrap();
        in_place(view, &mut tau, &mut perm, Par::Seq, block).unwrap();
        let mut q = vec![0.0; m * k];
        let fr = MatRef::from_col_major(&f, m, n).unwrap();
        form_q(
            fr,
            &tau,
            MatMut::from_col_major(&mut q, m, k).unwrap(),
            Par::Seq,
        )
        .unwrap();
        let (mut err, mut norm) = (0.0f64, 0.0f64);
        for j in 0..n {
            for i in 0..m {
                let qr: f64 = (0..=j.min(k - 1))
                    .map(|p| q[i + p * m] * f[p + j * m])
                    .sum();
                let x = a[i + perm[j] * m];
                err = err.max((x - qr).abs());
                norm = norm.max(x.abs());
            }
        }
        let diag = (0..k).map(|i| f[i + i * m]).collect();
        (err / (norm * m.max(n) as f64 * f64::EPSILON), diag)
    }

    #[test]
    fn blocks_match_the_unblocked_factorization() {
        let graded: Vec<f64> = {
            // Column j scaled by 10^(−12·j/n): downdated norms lose their accuracy and are
            // recomputed, which ends blocks early.
            let (m, n) = (70, 50);
            let mut a = uniform(m * n, 7);
            for j in 0..n {
                let s = 10f64.powf(-12.0 * j as f64 / n as f64);
                a[j * m..(j + 1) * m].iter_mut().for_each(|x| *x *= s);
            }
            a
        };
        let parallel: Vec<f64> = {
            // Columns x·(1 + j/10) + 10⁻⁹·y_j: after the first step every remaining norm
            // falls by nine orders of magnitude, which only a recomputation sees.
            let (m, n) = (60, 40);
            let (x, y) = (uniform(m, 11), uniform(m * n, 12));
            (0..m * n)
                .map(|t| x[t % m] * (1.0 + (t / m) as f64 / 10.0) + 1e-9 * y[t])
                .collect()
        };
        let cases: Vec<(&str, usize, usize, Vec<f64>)> = vec![
            ("nearly parallel 60 × 40", 60, 40, parallel),
            ("random 60 × 45", 60, 45, uniform(60 * 45, 1)),
            ("random 45 × 60", 45, 60, uniform(45 * 60, 2)),
            ("random 33 × 33", 33, 33, uniform(33 * 33, 3)),
            ("rank 5 of 40 × 40", 40, 40, low_rank(40, 40, 5, 4)),
            ("rank 12 of 50 × 30", 50, 30, low_rank(50, 30, 12, 5)),
            ("graded 70 × 50", 70, 50, graded),
        ];
        for (name, m, n, a) in &cases {
            let (_, reference) = factor_and_check(a, *m, *n, usize::MAX);
            let scale = reference[0].abs();
            for block in [1, 3, 4, 8, 13] {
                let (berr, diag) = factor_and_check(a, *m, *n, block);
                assert!(
                    berr < 4.0,
                    "{name}, blocks of {block}: backward error {berr}"
                );
                // R's diagonal does not grow (up to the norm estimates' accuracy) and matches
                // the unblocked one: the same pivots in the same order.
                for i in 1..diag.len() {
                    assert!(
                        diag[i].abs() <= diag[i - 1].abs() * (1.0 + 1e-6) + scale * 1e-13,
                        "{name}, blocks of {block}: |r_{i}{i}| = {} > |r_{}{}| = {}",
                        diag[i].abs(),
                        i - 1,
                        i - 1,
                        diag[i - 1].abs()
                    );
                }
                for (i, (x, y)) in diag.iter().zip(&reference).enumerate() {
                    assert!(
                        (x.abs() - y.abs()).abs() <= 1e-9 * scale,
                        "{name}, blocks of {block}: |r_{i}{i}| {x} against {y} unblocked"
                    );
                }
            }
        }
    }

    #[test]
    fn exact_zero_columns_and_tiny_blocks_of_rows() {
        // Zero columns (norm 0 from the start) and more columns than rows: the block ends
        // at the last row, and the trailing columns only receive their updates.
        let (m, n) = (20, 45);
        let mut a = uniform(m * n, 9);
        for j in [3, 10, 11, 30] {
            a[j * m..(j + 1) * m].iter_mut().for_each(|x| *x = 0.0);
        }
        for block in [2, 5, 9] {
            let (berr, diag) = factor_and_check(&a, m, n, block);
            assert!(berr < 4.0, "blocks of {block}: backward error {berr}");
            assert!(diag.iter().all(|x| x.abs() > 0.0), "{diag:?}");
        }
    }
}
