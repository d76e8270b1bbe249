//! Reordering a real Schur form: exchanging two adjacent diagonal blocks (LAPACK `laexc`) and
//! moving one block upwards past the others (`trexc`), so that chosen eigenvalues come first.
//!
//! Two `1 × 1` blocks `[[a, b], [0, d]]` are exchanged by the rotation that maps `e₁` onto the
//! eigenvector `(b, d − a)` of `d`. For a `2 × 2` block involved, the `p × p` (`p ≤ 4`) matrix
//! `D = [[A, C], [0, B]]` is exchanged by solving the Sylvester equation `A·X − X·B = s·C`
//! (`s ≤ 1` a scale): the columns of `[−X; s·I]` span the invariant subspace of `B`, and the
//! orthogonal factor `Q` of their QR decomposition gives `Qᵀ·D·Q = [[B', *], [E, A']]` with `E`
//! zero in exact arithmetic. Close eigenvalues make `X` large and `E` inaccurate, so the swap is
//! made only when `‖E‖` and `‖Q·Qᵀ·D·Q·Qᵀ − D‖` (with `E` dropped) stay below `10·ε·‖D‖`
//! (the "strong stability test" of Bai & Demmel, 1993); otherwise nothing changes. The new
//! `2 × 2` blocks are put back into standard form ([`standardize`]).

use lapis_kernels::{MatMut, Scalar};

use super::schur::standardize;
use crate::householder::make_reflector;

/// Size (1 or 2) of the diagonal block of the column-major `m × m` quasi-triangular `t` that
/// starts at row `j`.
pub(crate) fn block_size<T: Scalar>(t: &[T], m: usize, j: usize) -> usize {
    if j + 1 < m && t[(j + 1) + j * m] != T::zero() {
        2
    } else {
        1
    }
}

/// Moves the diagonal block of `t` (column-major `m × m`, upper quasi-triangular with standard
/// `2 × 2` blocks) that starts at row `from` up to start at row `to` (`to ≤ from`, the first row
/// of a block), accumulating the rotations into `q` (`m × m`, `Q ← Q·G`). Returns `false` when a
/// swap is refused by its stability test: `t` and `q` then still form a valid reordering with
/// the block part of the way up.
pub(crate) fn move_up<T: Scalar>(
    t: &mut [T],
    q: &mut [T],
    m: usize,
    from: usize,
    to: usize,
) -> bool {
    let nf = block_size(t, m, from);
    let mut here = from;
    while here > to {
        let above = if here >= 2 && t[(here - 1) + (here - 2) * m] != T::zero() {
            2
        } else {
            1
        };
        if !swap_blocks(t, q, m, here - above, above, nf) {
            return false;
        }
        here -= above;
        if nf == 2 && t[(here + 1) + here * m] == T::zero() {
            // The moved pair turned out to be two real eigenvalues: move each on its own.
            return move_up(t, q, m, here, to) && move_up(t, q, m, here + 1, to + 1);
        }
    }
    true
}

/// Exchanges the adjacent diagonal blocks of sizes `n1` (starting at row `j`) and `n2` (starting
/// at row `j + n1`) of `t` (column-major `m × m`), with `Q ← Q·G` for the `m × m` `q`. Returns
/// `false`, with `t` and `q` untouched, when the exchange fails its stability test.
pub(crate) fn swap_blocks<T: Scalar>(
    t: &mut [T],
    q: &mut [T],
    m: usize,
    j: usize,
    n1: usize,
    n2: usize,
) -> bool {
    let p = n1 + n2;
    let at = |r: usize, c: usize| r + c * m;
    let zero = T::zero();
    if n1 == 1 && n2 == 1 {
        let (a, b, d) = (t[at(j, j)], t[at(j, j + 1)], t[at(j + 1, j + 1)]);
        if a == d {
            return true;
        }
        // G's first column is the unit eigenvector of d: (b, d − a)/r.
        let r = b.hypot(d - a);
        let (cs, sn) = (b / r, (d - a) / r);
        rotate(t, q, m, j, cs, sn);
        t[at(j, j)] = d;
        t[at(j + 1, j + 1)] = a;
        t[at(j + 1, j)] = zero;
        return true;
    }
    let mut dm = [zero; 16];
    let mut dnorm = zero;
    for c in 0..p {
        for r in 0..p {
            dm[r + c * p] = t[at(j + r, j + c)];
            dnorm = dnorm.max(dm[r + c * p].abs());
        }
    }
    let eps = T::EPS;
    let smlnum = T::MIN_POSITIVE / eps;
    let thresh = (T::from_f64(10.0) * eps * dnorm).max(smlnum);

    let (x, scale) = sylvester(&dm, p, n1, n2);
    // [−X; s·I] (p × n2) and the orthogonal factor of its QR decomposition, built explicitly.
    let mut g = [zero; 16];
    for c in 0..n2 {
        for r in 0..n1 {
            g[r + c * p] = -x[r + c * n1];
        }
        g[n1 + c + c * p] = scale;
    }
    let mut qm = [zero; 16];
    for i in 0..p {
        qm[i + i * p] = T::one();
    }
    for c in 0..n2 {
        let len = p - c;
        let mut v = [zero; 4];
        v[..len - 1].copy_from_slice(&g[c + 1 + c * p..(c + 1) * p]);
        let refl = make_reflector(
            g[c + c * p],
            MatMut::from_col_major(&mut v[..len - 1], len - 1, 1).expect("vector"),
        );
        let w = |k: usize| if k == 0 { T::one() } else { v[k - 1] };
        // G ← H·G for the remaining columns, Q ← Q·H.
        for cc in c + 1..n2 {
            let s: T = (0..len).fold(zero, |acc, k| acc + w(k) * g[c + k + cc * p]);
            for k in 0..len {
                g[c + k + cc * p] -= refl.tau * s * w(k);
            }
        }
        for r in 0..p {
            let s: T = (0..len).fold(zero, |acc, k| acc + qm[r + (c + k) * p] * w(k));
            for k in 0..len {
                qm[r + (c + k) * p] -= refl.tau * s * w(k);
            }
        }
    }
    // E = Qᵀ·D·Q.
    let mut dq = [zero; 16];
    let mut e = [zero; 16];
    small_mul(&dm, &qm, &mut dq, p, false);
    small_mul(&qm, &dq, &mut e, p, true);
    // Weak test: the block that must vanish.
    let mut lower = zero;
    for c in 0..n2 {
        for r in n2..p {
            lower = lower.max(e[r + c * p].abs());
            e[r + c * p] = zero;
        }
    }
    let small = lower <= thresh; // false for NaN
    if !small {
        return false;
    }
    // Strong test: Q·E·Qᵀ with the block dropped must still be D.
    let mut qe = [zero; 16];
    let mut back = [zero; 16];
    small_mul(&qm, &e, &mut qe, p, false);
    let mut qt = [zero; 16];
    for c in 0..p {
        for r in 0..p {
            qt[r + c * p] = qm[c + r * p];
        }
    }
    small_mul(&qe, &qt, &mut back, p, false);
    let mut diff = zero;
    for k in 0..p * p {
        diff = diff.max((back[k] - dm[k]).abs());
    }
    let small = diff <= thresh;
    if !small {
        return false;
    }

    // Accepted: T's rows j..j+p to the right of the block, its columns above it, and Q.
    let mut buf = [zero; 4];
    for c in j + p..m {
        for (r, b) in buf.iter_mut().enumerate().take(p) {
            *b = (0..p).fold(zero, |acc, k| acc + qm[k + r * p] * t[at(j + k, c)]);
        }
        for (r, b) in buf.iter().enumerate().take(p) {
            t[at(j + r, c)] = *b;
        }
    }
    // Column by column, so that the loops over rows vectorize.
    let right = |x: &mut [T], rows: usize| {
        if rows == 0 {
            return;
        }
        let cols = &mut x[j * m..(j + p) * m];
        let mut old = vec![zero; p * rows];
        for k in 0..p {
            old[k * rows..(k + 1) * rows].copy_from_slice(&cols[k * m..k * m + rows]);
        }
        for c in 0..p {
            let dst = &mut cols[c * m..c * m + rows];
            let q0 = qm[c * p];
            for (d, o) in dst.iter_mut().zip(&old[..rows]) {
                *d = *o * q0;
            }
            for k in 1..p {
                let qk = qm[k + c * p];
                for (d, o) in dst.iter_mut().zip(&old[k * rows..(k + 1) * rows]) {
                    *d += *o * qk;
                }
            }
        }
    };
    right(t, j);
    right(q, m);
    for c in 0..p {
        for r in 0..p {
            t[at(j + r, j + c)] = e[r + c * p];
        }
    }
    // The new blocks in standard form (a 1 × 1 block's subdiagonal is already an exact zero).
    if n2 == 2 {
        restandardize(t, q, m, j);
    }
    if n1 == 2 {
        restandardize(t, q, m, j + n2);
    }
    true
}

/// `c = aᵀ·b` (`trans_a`) or `a·b` for column-major `p × p` arrays.
fn small_mul<T: Scalar>(a: &[T], b: &[T], c: &mut [T], p: usize, trans_a: bool) {
    for col in 0..p {
        for r in 0..p {
            c[r + col * p] = (0..p).fold(T::zero(), |acc, k| {
                let x = if trans_a { a[k + r * p] } else { a[r + k * p] };
                acc + x * b[k + col * p]
            });
        }
    }
}

/// `(X, s)` with `A·X − X·B = s·C` for `D = [[A, C], [0, B]]` (`p × p`, `A` of order `n1`),
/// `X` column-major `n1 × n2` (LAPACK `lasy2`): Gaussian elimination with complete pivoting on
/// the Kronecker form `(I ⊗ A − Bᵀ ⊗ I)·vec X = s·vec C`, pivots raised to
/// `max(ε·max(|A|, |B|), safmin)` when smaller, and `s < 1` only when needed to keep `X`
/// finite.
fn sylvester<T: Scalar>(d: &[T], p: usize, n1: usize, n2: usize) -> ([T; 4], T) {
    let zero = T::zero();
    let k = n1 * n2;
    let mut kron = [zero; 16];
    let mut rhs = [zero; 4];
    let mut big = zero;
    for c in 0..n2 {
        for r in 0..n1 {
            let row = r + n1 * c;
            rhs[row] = d[r + (n1 + c) * p];
            for c2 in 0..n2 {
                for r2 in 0..n1 {
                    let col = r2 + n1 * c2;
                    let mut v = zero;
                    if c == c2 {
                        v += d[r + r2 * p];
                    }
                    if r == r2 {
                        v -= d[(n1 + c2) + (n1 + c) * p];
                    }
                    kron[row + col * k] = v;
                }
            }
        }
    }
    for c in 0..p {
        for r in 0..p {
            if (r < n1 && c < n1) || (r >= n1 && c >= n1) {
                big = big.max(d[r + c * p].abs());
            }
        }
    }
    let smin = (T::EPS * big).max(T::MIN_POSITIVE);
    let mut colperm = [0usize, 1, 2, 3];
    for s in 0..k {
        // Complete pivoting on the trailing block.
        let (mut pr, mut pc, mut pv) = (s, s, -T::one());
        for c in s..k {
            for r in s..k {
                if kron[r + c * k].abs() > pv {
                    (pr, pc, pv) = (r, c, kron[r + c * k].abs());
                }
            }
        }
        for c in 0..k {
            kron.swap(s + c * k, pr + c * k);
        }
        rhs.swap(s, pr);
        for r in 0..k {
            kron.swap(r + s * k, r + pc * k);
        }
        colperm.swap(s, pc);
        if kron[s + s * k].abs() < smin {
            kron[s + s * k] = smin;
        }
        let piv = kron[s + s * k];
        for r in s + 1..k {
            let f = kron[r + s * k] / piv;
            for c in s + 1..k {
                kron[r + c * k] -= f * kron[s + c * k];
            }
            rhs[r] -= f * rhs[s];
        }
    }
    // Back substitution; scale the right-hand side down where a quotient would overflow.
    let mut scale = T::one();
    let bignum = T::one() / T::MIN_POSITIVE;
    let mut y = [zero; 4];
    for s in (0..k).rev() {
        let mut v = rhs[s];
        for c in s + 1..k {
            v -= kron[s + c * k] * y[c];
        }
        let piv = kron[s + s * k].abs();
        if piv < T::one() && v.abs() > piv * bignum {
            let f = (piv * bignum) / v.abs() / T::from_f64(2.0);
            scale *= f;
            v *= f;
            for yc in y.iter_mut().take(k).skip(s + 1) {
                *yc *= f;
            }
            for r in rhs.iter_mut().take(s) {
                *r *= f;
            }
        }
        y[s] = v / kron[s + s * k];
    }
    let mut x = [zero; 4];
    for s in 0..k {
        x[colperm[s]] = y[s];
    }
    (x, scale)
}

/// Applies the rotation `G = [[cs, −sn], [sn, cs]]` on rows/columns `(j, j + 1)`:
/// `T ← Gᵀ·T·G` (the rows from column `j` on, the columns down to row `j + 1`) and `Q ← Q·G`.
fn rotate<T: Scalar>(t: &mut [T], q: &mut [T], m: usize, j: usize, cs: T, sn: T) {
    for c in j..m {
        let (x, y) = (t[j + c * m], t[j + 1 + c * m]);
        t[j + c * m] = cs * x + sn * y;
        t[j + 1 + c * m] = cs * y - sn * x;
    }
    for (x, rows) in [(t, j + 2), (q, m)] {
        for r in 0..rows {
            let (a, b) = (x[r + j * m], x[r + (j + 1) * m]);
            x[r + j * m] = cs * a + sn * b;
            x[r + (j + 1) * m] = cs * b - sn * a;
        }
    }
}

/// Puts the `2 × 2` block of `t` at rows `j, j + 1` into standard form, with the rest of `t` and
/// `q` rotated along.
fn restandardize<T: Scalar>(t: &mut [T], q: &mut [T], m: usize, j: usize) {
    let at = |r: usize, c: usize| r + c * m;
    let std = standardize(
        t[at(j, j)],
        t[at(j, j + 1)],
        t[at(j + 1, j)],
        t[at(j + 1, j + 1)],
    );
    rotate(t, q, m, j, std.cs, std.sn);
    t[at(j, j)] = std.a;
    t[at(j, j + 1)] = std.b;
    t[at(j + 1, j)] = std.c;
    t[at(j + 1, j + 1)] = std.d;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eig::deflation::block_eigenvalues;
    use crate::eig::multishift::tests::{mul, uniform};

    /// An `m × m` upper quasi-triangular matrix with standardized blocks of the given sizes
    /// (random entries above, distinct eigenvalues `k + 0.5·(random)` for block `k`).
    fn quasi_triangular(sizes: &[usize], seed: u64) -> (Vec<f64>, usize) {
        let m: usize = sizes.iter().sum();
        let r = uniform(seed, m * m);
        let mut t: Vec<f64> = (0..m * m)
            .map(|k| if k % m < k / m { r[k] } else { 0.0 })
            .collect();
        let mut j = 0;
        for (b, &s) in sizes.iter().enumerate() {
            let a = b as f64 + 0.5 * r[j + j * m];
            t[j + j * m] = a;
            if s == 2 {
                t[j + 1 + (j + 1) * m] = a;
                t[j + 1 + j * m] = -(0.5 + r[j + 1 + j * m].abs());
                t[j + (j + 1) * m] = 1.0 + r[j + (j + 1) * m].abs();
            }
            j += s;
        }
        (t, m)
    }

    fn frob(a: &[f64]) -> f64 {
        a.iter().map(|x| x * x).sum::<f64>().sqrt()
    }

    /// `‖Q·T·Qᵀ − T_old‖_F/(m·ε·‖T_old‖_F)` and `‖QᵀQ − I‖_F/(m·ε)`.
    fn errors(t: &[f64], q: &[f64], old: &[f64], m: usize) -> (f64, f64) {
        let eps = f64::EPSILON;
        let qt: Vec<f64> = (0..m * m).map(|k| q[(k / m) + (k % m) * m]).collect();
        let back = mul(&mul(q, t, m, false), &qt, m, false);
        let d: Vec<f64> = back.iter().zip(old).map(|(x, y)| x - y).collect();
        let mut qtq = mul(q, q, m, true);
        for i in 0..m {
            qtq[i + i * m] -= 1.0;
        }
        (
            frob(&d) / (m as f64 * eps * frob(old)),
            frob(&qtq) / (m as f64 * eps),
        )
    }

    fn eigenvalues(t: &[f64], m: usize, from: usize, to: usize) -> Vec<(f64, f64)> {
        let mut w = vec![(0.0, 0.0); m];
        block_eigenvalues(t, m, from, to, |i, x| w[i] = x);
        w[from..to].to_vec()
    }

    fn identity(m: usize) -> Vec<f64> {
        (0..m * m)
            .map(|k| if k % m == k / m { 1.0 } else { 0.0 })
            .collect()
    }

    fn assert_close(tag: &str, got: &[(f64, f64)], want: &[(f64, f64)], tol: f64) {
        assert_eq!(got.len(), want.len(), "{tag}");
        for (g, w) in got.iter().zip(want) {
            assert!((g.0 - w.0).hypot(g.1 - w.1) <= tol, "{tag}: {g:?} vs {w:?}");
        }
    }

    #[test]
    fn swap_each_kind_of_block_pair() {
        let eps = f64::EPSILON;
        for (seed, &(n1, n2)) in [(1, 1), (1, 2), (2, 1), (2, 2)].iter().enumerate() {
            // A 1 × 1 block before and after, so the updates outside the pair are exercised.
            let (mut t, m) = quasi_triangular(&[1, n1, n2, 1], 40 + seed as u64);
            let old = t.clone();
            let mut q = identity(m);
            let (a, b) = (
                eigenvalues(&t, m, 1, 1 + n1),
                eigenvalues(&t, m, 1 + n1, 1 + n1 + n2),
            );
            assert!(
                swap_blocks(&mut t, &mut q, m, 1, n1, n2),
                "{n1}×{n2} refused"
            );
            let tag = format!("swap {n1}/{n2}");
            let (back, orth) = errors(&t, &q, &old, m);
            assert!(back <= 20.0 && orth <= 20.0, "{tag}: {back} {orth}");
            for c in 0..m {
                for r in c + 2..m {
                    assert_eq!(t[r + c * m], 0.0, "{tag}: fill at {r}, {c}");
                }
            }
            // The eigenvalues moved (well separated, so to a few ulps of ‖T‖).
            let tol = 100.0 * eps * frob(&old);
            assert_close(&tag, &eigenvalues(&t, m, 1, 1 + n2), &b, tol);
            assert_close(&tag, &eigenvalues(&t, m, 1 + n2, 1 + n1 + n2), &a, tol);
            assert_close(
                &tag,
                &eigenvalues(&t, m, 0, 1),
                &eigenvalues(&old, m, 0, 1),
                0.0,
            );
        }
    }

    #[test]
    fn refused_swaps_leave_the_matrix_alone() {
        // Two 2 × 2 blocks with the same eigenvalues and a huge coupling: the invariant
        // subspace is ill determined; whatever the test decides, a refusal changes nothing and
        // an acceptance is accurate.
        let (mut t, m) = quasi_triangular(&[2, 2], 7);
        for k in [0, 1] {
            for l in [0, 1] {
                t[k + (2 + l) * m] = 1e8 * (1.0 + (k + l) as f64);
            }
        }
        t[2 + 2 * m] = t[0];
        t[3 + 3 * m] = t[0];
        t[3 + 2 * m] = t[1];
        t[2 + 3 * m] = t[m];
        let old = t.clone();
        let mut q = identity(m);
        if swap_blocks(&mut t, &mut q, m, 0, 2, 2) {
            let (back, orth) = errors(&t, &q, &old, m);
            assert!(back <= 20.0 && orth <= 20.0, "{back} {orth}");
        } else {
            assert_eq!(t, old);
            assert_eq!(q, identity(m));
        }
    }

    #[test]
    fn move_blocks_up() {
        let eps = f64::EPSILON;
        for (seed, sizes) in [
            vec![1, 2, 1, 2, 2, 1],
            vec![2, 1, 1, 2, 1, 2],
            vec![1, 1, 1, 1],
        ]
        .into_iter()
        .enumerate()
        {
            let (mut t, m) = quasi_triangular(&sizes, 60 + seed as u64);
            let old = t.clone();
            let mut q = identity(m);
            let last = *sizes.last().unwrap();
            let moved = eigenvalues(&t, m, m - last, m);
            assert!(move_up(&mut t, &mut q, m, m - last, 0));
            let (back, orth) = errors(&t, &q, &old, m);
            assert!(back <= 20.0 && orth <= 20.0, "{sizes:?}: {back} {orth}");
            assert_close(
                &format!("{sizes:?}"),
                &eigenvalues(&t, m, 0, last),
                &moved,
                100.0 * eps * frob(&old),
            );
        }
    }
}
