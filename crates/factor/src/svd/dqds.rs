//! Singular values of a real upper bidiagonal matrix by the differential quotient-difference
//! algorithm with shifts, dqds (Fernando & Parlett, "Accurate singular values and differential
//! qd algorithms", 1994; Parlett & Marques, "An implementation of the dqds algorithm (positive
//! case)", 2000; LAPACK `lasq1`–`lasq6`): the values-only bidiagonal solver of
//! [`svdvals`](super::svdvals).
//!
//! **The transform.** The bidiagonal `B` (diagonal `a`, superdiagonal `b`) is held as its qd
//! array `q_k = a_k²`, `e_k = b_k²`; `BBᵀ` is the tridiagonal with diagonal `q_k + e_k`
//! (`q_n` last) and off-diagonal `√(q_{k+1}·e_k)`. One dqds transform with shift `τ`,
//! `d = q₁ − τ`, then for each `k`: `q̂_k = d + e_k`, `t = q_{k+1}/q̂_k`, `ê_k = e_k·t`,
//! `d = d·t − τ`, and finally `q̂_n = d`, gives the qd array of a `B̂` with
//! `B̂ᵀB̂ = BBᵀ − τ·I`. Apart from the shift there is no subtraction, every quantity stays
//! positive while `τ` is below the smallest eigenvalue `λ_min` of `BBᵀ`, and the rounding
//! errors amount to relative perturbations of a few ulps in the arrays, which move every
//! eigenvalue by a few ulps relative: singular values come out to high relative accuracy,
//! tiny ones included. A shift at or above `λ_min` shows as a negative `d`; the transform is
//! then redone with a smaller one. The `e_k` tend to zero from the bottom up and `q_n` plus
//! the accumulated shift to the smallest eigenvalue.
//!
//! **Shifts from bounds.** Each transform also yields `r_k = ‖B̂_k⁻¹·e_k‖²` for the leading
//! `k × k` blocks `B̂_k` of the new array (`r_{k+1} = (1 + ê_k·r_k)/q̂_{k+1}`). Then
//! `1/r_k ≥ λ_min` for every `k` (an upper bound, as `1/r_k` is a Schur complement of
//! `B̂_kB̂_kᵀ`), and `1/Σ r_k = 1/trace((B̂B̂ᵀ)⁻¹) ≤ λ_min` (a lower bound: Newton's step from
//! zero on `det(B̂B̂ᵀ − λ)`). The lower bound is sharpened from the bottom: writing the leading
//! `(j + 1)`-row part of `B̂B̂ᵀ` as `[[T, c], [cᵀ, γ]]` with `ℓ ≤ λ_min(T)` and Schur
//! complement `D`, its smallest eigenvalue solves `λ = γ − cᵀ(T − λ)⁻¹c`, and bounding the
//! resolvent by `(T⁻¹)/(1 − λ/ℓ)` shows it is at least the smaller root of
//! `λ² − (ℓ + γ)·λ + ℓ·D = 0` (a two-pole model of the secular equation). Applied over the
//! last [`BOUND_DEPTH`] rows, starting from the trace bound, this is tight once the bottom
//! has begun to converge: a transform with it never fails but for rounding, and the
//! bidiagonals of random matrices take 3–3.6 transforms per singular value. Where the bounds
//! stay far apart — clusters, where the lower bounds converge only linearly — the shift is
//! first tried at a fraction of the upper bound that grows after each success and halves
//! after each failure (the adaptive shifts of Parlett & Marques).
//!
//! **Deflation and splitting**, each rigorous to a relative perturbation of `tol = ε` in the
//! eigenvalues (with `σ` the accumulated shift, a lower bound on every eigenvalue of the
//! block): dropping `e_k` is allowed when `e_k·r_k ≤ tol²` (then `B = B'·(I + G)` with
//! `‖G‖ ≤ tol`), when `e_k ≤ tol²·q_n` for the last (`B = (I + G)·B'`), or when
//! `e_k + √(q_{k+1}·e_k) ≤ tol·σ` (Weyl). At the bottom, where `q_n` has converged to a value
//! below the rest of the spectrum, second-order bounds apply: with `m₁` the trace lower bound
//! on the rest, `e·r ≤ tol` bounds the change of the rest relatively and
//! `e·q_n/(m₁ − q_n) ≤ tol·(σ + q_n)` the coupling's (Li & Li's gap bound), so one value
//! deflates as soon as its off-diagonal is of order `√ε` relative, not `ε`. A 2 × 2 block
//! left at the bottom is solved by [`sv2x2`]. A block whose top is much smaller than its
//! bottom is reversed (the values of `B` and of its flip are the same), so the small end is
//! where dqds deflates.
//!
//! **Range.** Entries are scaled by a power of two so that every sum of squares stays below
//! `√Ω` (`Ω` the overflow threshold); values whose squares fall below the underflow threshold
//! after that (a condition number beyond about `10²³⁰` in `f64`, `10²⁸` in `f32`) are
//! accurate to that absolute level only. Should dqds not converge in
//! [`MAX_SWEEPS_PER_VALUE`]`·n` transforms, [`bidiagonal_svdvals`] answers with implicit QR
//! ([`bidiagonal_svd`]) on the untouched input.

use lapis_kernels::Scalar;

use super::bidiag_svd::bidiagonal_svd;
use crate::FactorError;
use crate::plane::{pow2_exponent, scale_pow2, sv2x2};

/// Transforms allowed per singular value before dqds gives up (the bidiagonals of random
/// matrices take 3–3.6, tight clusters about 4, bidiagonals with uniformly random entries up
/// to 5.6).
const MAX_SWEEPS_PER_VALUE: usize = 30;

/// Rows above the bottom where the lower-bound recursion starts from the trace bound: deeper
/// is tighter but costs a square root and a division in a dependency chain per row and shift.
/// On the bidiagonals of random 100 × 100 to 500 × 500 matrices (f64, one core), transforms
/// per value and time relative to depth 0 (4.2–4.5 per value): depth 4: 3.5–3.6, 0.60–0.72×;
/// 6: 3.4–3.6, 0.63–0.74×; 16: 3.1–3.4, 0.74–0.83×; 32: 3.0–3.3, 0.75–0.96×.
const BOUND_DEPTH: usize = 6;

/// All singular values of the upper bidiagonal `B` with diagonal `d` (length `n`) and
/// superdiagonal `e` (length `≥ n − 1`; `n − 1` read) by dqds, each to high relative accuracy
/// (LAPACK `lasq1`): on return `d` holds them, non-negative and descending; `e` is left as it
/// was unless dqds gives up, when implicit QR ([`bidiagonal_svd`]) recomputes them from the
/// input and destroys `e`.
///
/// Errors: [`FactorError::Shape`] when `e` is too short, [`FactorError::NonFinite`] for NaN or
/// infinite input, [`FactorError::NoConvergence`] only if the implicit-QR fallback fails too.
///
/// ```
/// use lapis_factor::svd::bidiagonal_svdvals;
/// // numpy: np.linalg.svd([[1, 1], [0, 1]], compute_uv=False)  ->  (√5 ± 1)/2
/// let (mut d, mut e) = ([1.0, 1.0], [1.0]);
/// bidiagonal_svdvals(&mut d, &mut e).unwrap();
/// let phi = (5f64.sqrt() + 1.0) / 2.0;
/// assert!((d[0] - phi).abs() < 1e-15 && (d[1] - 1.0 / phi).abs() < 1e-15);
/// // Graded: σ ≈ d_i to 1e-20, and the tiniest comes out to full relative accuracy
/// // (any method orthogonal on the whole matrix would only get it to ±1e-16).
/// let (mut d, mut e) = ([1.0f64, 1e-100, 1e-200], [1e-60, 1e-160]);
/// bidiagonal_svdvals(&mut d, &mut e).unwrap();
/// assert!((d[2] / 1e-200 - 1.0).abs() < 1e-15);
/// ```
pub fn bidiagonal_svdvals<T: Scalar>(d: &mut [T], e: &mut [T]) -> Result<(), FactorError> {
    match bidiagonal_svdvals_unguarded(d, e) {
        Err(FactorError::NoConvergence { .. }) => bidiagonal_svd(d, e, None, None),
        r => r.map(|_| ()),
    }
}

/// dqds alone, without the fallback: [`bidiagonal_svdvals`] except that giving up is reported
/// as [`FactorError::NoConvergence`] (with `d`, `e` untouched), and success returns the
/// number of transforms tried, failed ones included. For tests that must see dqds' own answer
/// and its cost.
#[doc(hidden)]
pub fn bidiagonal_svdvals_unguarded<T: Scalar>(
    d: &mut [T],
    e: &mut [T],
) -> Result<usize, FactorError> {
    let n = d.len();
    if e.len() < n.saturating_sub(1) {
        return Err(FactorError::Shape {
            op: "svd::bidiagonal_svdvals",
            shapes: vec![("d", (n, 1)), ("e", (e.len(), 1))],
        });
    }
    let e = &e[..n.saturating_sub(1)];
    if d.iter().chain(e).any(|x| !x.is_finite()) {
        return Err(FactorError::NonFinite);
    }
    let amax = d.iter().chain(e).fold(T::zero(), |m, x| m.max(x.abs()));
    if amax == T::zero() {
        d.fill(T::zero());
        return Ok(0);
    }
    // Sums of squares stay below √Ω / 2 (trace(BBᵀ) ≤ (2n − 1)·amax²), so products of two of
    // them cannot overflow; scaling up as far as that goes keeps small squares from underflow.
    let target = (T::max_value().sqrt() / T::from_f64(4.0 * n as f64)).sqrt();
    let k = pow2_exponent(amax, target);
    let mut qd = Qd::new(d, e, k);
    qd.run().map_err(|()| FactorError::NoConvergence {
        iterations: qd.sweeps,
    })?;
    for (di, &v) in d.iter_mut().zip(&qd.vals) {
        *di = v.sqrt();
    }
    scale_pow2(d, -k);
    d.sort_unstable_by(|a, b| b.partial_cmp(a).unwrap_or(core::cmp::Ordering::Equal));
    Ok(qd.sweeps)
}

/// A sum of shifts kept as an unevaluated pair `hi + lo` (two-sum compensation), so that many
/// shifts add up without losing the last bits of the values they are part of.
#[derive(Copy, Clone, Debug)]
struct ShiftSum<T> {
    hi: T,
    lo: T,
}

impl<T: Scalar> ShiftSum<T> {
    fn zero() -> Self {
        ShiftSum {
            hi: T::zero(),
            lo: T::zero(),
        }
    }

    fn add(self, x: T) -> Self {
        let s = self.hi + x;
        let bb = s - self.hi;
        let err = (self.hi - (s - bb)) + (x - bb);
        ShiftSum {
            hi: s,
            lo: self.lo + err,
        }
    }

    /// The accumulated shift plus `x` (a block-relative eigenvalue): an eigenvalue of `BBᵀ`.
    fn plus(self, x: T) -> T {
        self.hi + (self.lo + x)
    }

    fn value(self) -> T {
        self.hi + self.lo
    }
}

/// An unreduced part `lo..hi` of the qd array, whose arrays live in buffer `cur`, with the
/// shift already taken out of it.
#[derive(Copy, Clone, Debug)]
struct Block<T> {
    lo: usize,
    hi: usize,
    cur: usize,
    shift: ShiftSum<T>,
}

/// What a successful transform reports besides the new array.
struct Sweep<T> {
    /// The smallest new `ê_k`.
    emin: T,
    /// The smallest `ê_k·r_k`.
    xmin: T,
}

/// The dqds state: the qd array in two buffers (each transform reads one and writes the
/// other), `r` and its running sums `s` from each block's top, the eigenvalues found.
#[derive(Debug)]
struct Qd<T> {
    q: [Vec<T>; 2],
    /// `e[b][k]` couples rows `k` and `k + 1`; `e[b][n − 1]` is unused.
    e: [Vec<T>; 2],
    r: Vec<T>,
    s: Vec<T>,
    vals: Vec<T>,
    stack: Vec<Block<T>>,
    sweeps: usize,
    limit: usize,
    tol: T,
}

/// The buffer `cur` to read and the other to write.
fn split_pair<T>(v: &mut [Vec<T>; 2], cur: usize) -> (&[T], &mut [T]) {
    let [a, b] = v;
    if cur == 0 { (a, b) } else { (b, a) }
}

impl<T: Scalar> Qd<T> {
    /// The qd array of `2^k·|B|`.
    fn new(d: &[T], e: &[T], k: i32) -> Self {
        let n = d.len();
        let mut q: Vec<T> = d.iter().map(|x| x.abs()).collect();
        let mut ee: Vec<T> = e.iter().map(|x| x.abs()).collect();
        ee.push(T::zero());
        scale_pow2(&mut q, k);
        scale_pow2(&mut ee, k);
        for x in q.iter_mut().chain(ee.iter_mut()) {
            *x = *x * *x;
        }
        Qd {
            q: [q, vec![T::zero(); n]],
            e: [ee, vec![T::zero(); n]],
            r: vec![T::zero(); n],
            s: vec![T::zero(); n],
            vals: Vec::with_capacity(n),
            stack: Vec::new(),
            sweeps: 0,
            limit: MAX_SWEEPS_PER_VALUE * n,
            tol: T::EPS,
        }
    }

    fn run(&mut self) -> Result<(), ()> {
        let n = self.q[0].len();
        self.push(Block {
            lo: 0,
            hi: n,
            cur: 0,
            shift: ShiftSum::zero(),
        });
        while let Some(b) = self.stack.pop() {
            self.solve_block(b)?;
        }
        debug_assert_eq!(self.vals.len(), n);
        Ok(())
    }

    /// Stacks a block, or solves it on the spot when it has at most two rows.
    fn push(&mut self, b: Block<T>) {
        if b.hi - b.lo <= 2 {
            self.small(b);
        } else {
            self.stack.push(b);
        }
    }

    /// The eigenvalues of a block of one or two rows.
    fn small(&mut self, b: Block<T>) {
        let (q, e) = (&self.q[b.cur], &self.e[b.cur]);
        match b.hi - b.lo {
            1 => self.vals.push(b.shift.plus(q[b.lo])),
            2 => {
                let (smin, smax) = sv2x2(q[b.lo].sqrt(), e[b.lo].sqrt(), q[b.lo + 1].sqrt());
                self.vals.push(b.shift.plus(smax * smax));
                self.vals.push(b.shift.plus(smin * smin));
            }
            _ => {}
        }
    }

    /// Whether `e` (coupling rows `k`, `k + 1`, with `q_{k+1} = qnext` and `r = r_k`) may be
    /// dropped: exactly zero, `e·r_k ≤ tol²`, or `e + √(q_{k+1}·e) ≤ 2·h` with `h = tol·σ/2`.
    fn negligible(&self, e: T, qnext: T, r: T, h: T) -> bool {
        e == T::zero() || e * r <= self.tol * self.tol || (e <= h && qnext * (e / h) <= h)
    }

    /// Iterates on block `b` until all its values are found (pieces split off go on the
    /// stack); `Err` when the transform budget is spent or even a zero shift fails.
    fn solve_block(&mut self, b: Block<T>) -> Result<(), ()> {
        let Block {
            mut lo,
            mut hi,
            mut cur,
            mut shift,
        } = b;
        let half = T::from_f64(0.5);
        let eps = T::EPS;
        // The fraction of the upper bound tried as an aggressive shift.
        let mut frac = half;
        'start: loop {
            if hi - lo <= 2 {
                self.small(Block { lo, hi, cur, shift });
                return Ok(());
            }
            if T::from_f64(1.5) * self.q[cur][lo] < self.q[cur][hi - 1] {
                self.q[cur][lo..hi].reverse();
                self.e[cur][lo..hi - 1].reverse();
            }
            lo = self.restart(lo, hi, cur, shift);
            if hi - lo <= 2 {
                self.small(Block { lo, hi, cur, shift });
                return Ok(());
            }
            loop {
                let m = hi - lo;
                let (lower, upper) = self.bounds(lo, hi, cur);
                // A margin for the rounding errors of the bounds and of the transform.
                let safe = lower * (T::one() - T::from_f64(4.0 * m as f64) * eps).max(half);
                let aggressive = upper.is_finite() && lower < half * upper;
                let first = if aggressive {
                    safe.max(frac * upper)
                } else {
                    safe
                };
                let mut tau = first;
                let sweep = loop {
                    if self.sweeps >= self.limit {
                        return Err(());
                    }
                    self.sweeps += 1;
                    let (q, qn) = split_pair(&mut self.q, cur);
                    let (e, en) = split_pair(&mut self.e, cur);
                    if let Some(s) = transform(
                        &q[lo..hi],
                        &e[lo..hi - 1],
                        &mut qn[lo..hi],
                        &mut en[lo..hi - 1],
                        &mut self.r[lo..hi],
                        &mut self.s[lo..hi],
                        tau,
                    ) {
                        break s;
                    }
                    if tau == first && first > safe {
                        frac *= half;
                        tau = safe;
                    } else if tau > T::zero() {
                        tau = T::zero();
                    } else {
                        return Err(());
                    }
                };
                if aggressive && tau == first && first > safe {
                    frac = (T::one() + frac) * half;
                }
                cur = 1 - cur;
                shift = shift.add(tau);

                // Deflate one or two values at the bottom while possible.
                let h = self.tol * shift.value() * half;
                loop {
                    if hi - lo <= 2 {
                        self.small(Block { lo, hi, cur, shift });
                        return Ok(());
                    }
                    if self.bottom_converged(hi, cur, shift, h) {
                        self.vals.push(shift.plus(self.q[cur][hi - 1]));
                        hi -= 1;
                    } else if self.negligible(
                        self.e[cur][hi - 3],
                        self.q[cur][hi - 2],
                        self.r[hi - 3],
                        h,
                    ) {
                        self.small(Block {
                            lo: hi - 2,
                            hi,
                            cur,
                            shift,
                        });
                        hi -= 2;
                    } else {
                        break;
                    }
                }

                // Split where an off-diagonal inside has become negligible; the bottom piece
                // starts afresh (its r are measured from its own top).
                if sweep.emin <= h || sweep.xmin <= self.tol * self.tol {
                    let mut top = lo;
                    for k in lo..hi - 1 {
                        if self.negligible(self.e[cur][k], self.q[cur][k + 1], self.r[k], h) {
                            self.split_below(&mut top, k, cur, shift);
                        }
                    }
                    if top != lo {
                        lo = top;
                        frac = half;
                        continue 'start;
                    }
                }
            }
        }
    }

    /// Whether the last row of a block ending at `hi` (at least three rows) has converged:
    /// `e_{n−1}` negligible as anywhere, `e_{n−1} ≤ tol²·q_n`, or the second-order test
    /// (`e·r ≤ tol` for the rest, `e·q_n/(m₁ − q_n) ≤ tol·(σ + q_n)` for the coupling,
    /// `m₁ ≤ λ_min` of the rest).
    fn bottom_converged(&self, hi: usize, cur: usize, shift: ShiftSum<T>, h: T) -> bool {
        let (eb, qb, rb) = (self.e[cur][hi - 2], self.q[cur][hi - 1], self.r[hi - 2]);
        let tol = self.tol;
        if self.negligible(eb, qb, rb, h) || eb <= tol * tol * qb {
            return true;
        }
        let m1 = T::one() / self.s[hi - 2];
        eb * rb <= tol && m1 > qb && (eb / (m1 - qb)) * qb <= tol * shift.plus(qb)
    }

    /// Computes `r`, `s` for block `lo..hi` from its top, splitting it wherever an
    /// off-diagonal is negligible (the pieces above go onto the stack, `r` restarting below
    /// each split); returns the top of the bottom piece.
    fn restart(&mut self, lo: usize, hi: usize, cur: usize, shift: ShiftSum<T>) -> usize {
        let h = self.tol * shift.value() * T::from_f64(0.5);
        let mut top = lo;
        let (mut rk, mut sum) = (T::zero(), T::zero());
        for k in lo..hi {
            let (q, e) = (&self.q[cur], &self.e[cur]);
            let inv = T::one() / q[k];
            if k == top {
                rk = inv;
                sum = T::zero();
            } else {
                rk = inv + e[k - 1] * inv * rk;
            }
            sum += rk;
            self.r[k] = rk;
            self.s[k] = sum;
            if k + 1 < hi && self.negligible(e[k], q[k + 1], rk, h) {
                self.split_below(&mut top, k, cur, shift);
            }
        }
        top
    }

    /// `e_k` is negligible: the rows `top..=k` become a block of their own (pushed) and the
    /// next one starts at `k + 1`.
    fn split_below(&mut self, top: &mut usize, k: usize, cur: usize, shift: ShiftSum<T>) {
        self.push(Block {
            lo: *top,
            hi: k + 1,
            cur,
            shift,
        });
        *top = k + 1;
    }

    /// `(lower, upper)` bounds on the smallest eigenvalue of block `lo..hi` (at least three
    /// rows, `r` and `s` current): the two-pole recursion over the last [`BOUND_DEPTH`] rows
    /// from the trace bound, and `min_k 1/r_k`. Non-finite intermediates (a zero `q`) give a
    /// lower bound of zero.
    fn bounds(&self, lo: usize, hi: usize, cur: usize) -> (T, T) {
        let (q, e, r, s) = (&self.q[cur], &self.e[cur], &self.r, &self.s);
        let (one, two, four) = (T::one(), T::from_f64(2.0), T::from_f64(4.0));
        let base = lo.max((hi - 1).saturating_sub(BOUND_DEPTH));
        let mut ell = one / s[base];
        for j in base + 1..hi {
            // Row j's diagonal entry and Schur complement in the leading (j + 1)-row part of
            // BBᵀ (the coupling e_j to the row below included, except for the last row).
            let dh = one / r[j];
            let (gam, schur) = if j + 1 < hi {
                (q[j] + e[j], dh + e[j])
            } else {
                (q[j], dh)
            };
            let gap = (q[j] - dh).max(T::zero());
            let disc = (ell - gam) * (ell - gam) + four * ell * gap;
            let root = two * ell * schur / ((ell + gam) + disc.sqrt());
            ell = root.max(one / s[j]);
        }
        let rmax = r[lo..hi].iter().fold(T::zero(), |m, &x| m.max(x));
        let upper = one / rmax;
        let lower = if ell.is_finite() && ell > T::zero() {
            ell.min(upper)
        } else {
            T::zero()
        };
        (lower, upper)
    }
}

/// One dqds transform with shift `tau` of the block `(q, e)` (`e.len() == q.len() − 1`) into
/// `(qn, en)`, with `r`, `s` of the result; `None` when a `d` turns negative or NaN (`tau`
/// not below the smallest eigenvalue, or an exhausted range), leaving the outputs partial.
fn transform<T: Scalar>(
    q: &[T],
    e: &[T],
    qn: &mut [T],
    en: &mut [T],
    r: &mut [T],
    s: &mut [T],
    tau: T,
) -> Option<Sweep<T>> {
    let m = q.len();
    let (e, qn, en, r, s) = (
        &e[..m - 1],
        &mut qn[..m],
        &mut en[..m - 1],
        &mut r[..m],
        &mut s[..m],
    );
    let one = T::one();
    let mut d = q[0] - tau;
    if d < T::zero() {
        return None;
    }
    let (mut emin, mut xmin) = (T::infinity(), T::infinity());
    // ê_{k−1}, r_{k−1} and the running sum of r; the r recurrence is written with 1/q̂_k so
    // that its own dependency chain is a multiply-add, off the transform's critical path.
    let (mut eprev, mut rk, mut sum) = (T::zero(), T::zero(), T::zero());
    for k in 0..m - 1 {
        let qh = d + e[k];
        let inv = one / qh;
        rk = inv + eprev * inv * rk;
        sum += rk;
        let t = q[k + 1] / qh;
        let eh = e[k] * t;
        d = d * t - tau;
        if d < T::zero() {
            return None;
        }
        qn[k] = qh;
        en[k] = eh;
        r[k] = rk;
        s[k] = sum;
        emin = emin.min(eh);
        xmin = xmin.min(eh * rk);
        eprev = eh;
    }
    if d.is_nan() {
        return None;
    }
    let inv = one / d;
    rk = inv + eprev * inv * rk;
    qn[m - 1] = d;
    r[m - 1] = rk;
    s[m - 1] = sum + rk;
    Some(Sweep { emin, xmin })
}
