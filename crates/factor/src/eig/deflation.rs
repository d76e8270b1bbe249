//! Aggressive early deflation (Braman, Byers & Mathias 2002, part II; LAPACK `laqr3`).
//!
//! The trailing `w × w` window of the active block `H[ktop..=kbot]` is reduced to Schur form
//! `T = Vᵀ·H_w·V` by the double-shift code. The window's coupling to the rest of the block is the
//! single entry `s = H[kwtop, kwtop−1]`, which becomes the spike `s·V[0, :]` in front of `T`.
//! Eigenvalues at the bottom of `T` whose spike entries are negligible against them (below
//! `max(smlnum, ε·|λ|)`) are deflated; the others are moved to the top of `T` by swapping
//! diagonal blocks, and become the shifts of the next sweep. When anything deflated, the spike's
//! undeflated part is reflected onto its first entry, the undeflated part of `T` returned to
//! Hessenberg form, the window written back, and `V` applied to the rest of `H` and to `Z` by
//! GEMM. This finds converged eigenvalues long before a subdiagonal entry becomes small.

use lapis_kernels::{MatMut, MatRef, Par, Scalar, gemm};

use super::reorder::{block_size, move_up};
use super::schur::{Shift, double_shift};
use super::window::{times_u, ut_times};
use crate::FactorError;
use crate::householder::make_reflector;

/// What one deflation step found.
#[derive(Clone, Debug)]
pub(crate) struct Deflation<T> {
    /// Number of eigenvalues deflated at the bottom of the active block (their values are in
    /// `wr`, `wi`).
    pub deflated: usize,
    /// The window's undeflated eigenvalues, conjugate pairs consecutive: shifts for a sweep.
    pub shifts: Vec<Shift<T>>,
}

/// Whether a block's spike entries `s·v[k]` are negligible: each at most
/// `max(smlnum, ε·magnitude)` with the block's magnitude `|t_kk|` (plus `√|t_k,k−1|·√|t_k−1,k|`
/// for a `2 × 2` block), or `|s|` when that is zero. A NaN entry is never negligible.
pub(crate) fn negligible_spike<T: Scalar>(s: T, v: &[T], magnitude: T, smlnum: T) -> bool {
    let magnitude = if magnitude == T::zero() {
        s.abs()
    } else {
        magnitude
    };
    let tol = smlnum.max(T::EPS * magnitude);
    v.iter().all(|&x| (s * x).abs() <= tol)
}

/// Eigenvalues of the diagonal blocks of the standardized quasi-triangular `t` (column-major
/// `m × m`) in rows `from..to`, passed as `put(row, (re, im))` (as [`double_shift`] reports
/// them: `a ± i·√|b|·√|c|` for a complex block, the `+` first).
pub(crate) fn block_eigenvalues<T: Scalar>(
    t: &[T],
    m: usize,
    from: usize,
    to: usize,
    mut put: impl FnMut(usize, Shift<T>),
) {
    let mut i = from;
    while i < to {
        if i + 1 < to && block_size(t, m, i) == 2 {
            let a = t[i + i * m];
            let im = t[i + (i + 1) * m].abs().sqrt() * t[(i + 1) + i * m].abs().sqrt();
            put(i, (a, im));
            put(i + 1, (t[(i + 1) + (i + 1) * m], -im));
            i += 2;
        } else {
            put(i, (t[i + i * m], T::zero()));
            i += 1;
        }
    }
}

/// One aggressive early deflation on the active block `ktop..=kbot` of the column-major
/// `n × n` Hessenberg `h`, with a window of (up to) `nw` rows. With `want_t`, the rows above
/// and the columns right of the block are updated too; the transformations go to the rows
/// `zlo..zhi` of `z` (given as `(z, zlo, zhi)`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn aggressive_deflation<T: Scalar>(
    h: &mut [T],
    n: usize,
    ktop: usize,
    kbot: usize,
    nw: usize,
    wr: &mut [T],
    wi: &mut [T],
    z: Option<(&mut [T], usize, usize)>,
    want_t: bool,
    par: Par,
) -> Result<Deflation<T>, FactorError> {
    let zero = T::zero();
    let at = |r: usize, c: usize| r + c * n;
    let jw = nw.min(kbot + 1 - ktop);
    let kwtop = kbot + 1 - jw;
    let s = if kwtop > ktop {
        h[at(kwtop, kwtop - 1)]
    } else {
        zero
    };
    let smlnum = T::MIN_POSITIVE * (T::from_f64(n as f64) / T::EPS);
    if jw == 1 {
        let d = h[at(kbot, kbot)];
        if negligible_spike(s, &[T::one()], d.abs(), smlnum) {
            if kwtop > ktop {
                h[at(kwtop, kwtop - 1)] = zero;
            }
            wr[kbot] = d;
            wi[kbot] = zero;
            return Ok(Deflation {
                deflated: 1,
                shifts: Vec::new(),
            });
        }
        return Ok(Deflation {
            deflated: 0,
            shifts: vec![(d, zero)],
        });
    }

    let mut t = vec![zero; jw * jw];
    let mut v = vec![zero; jw * jw];
    for c in 0..jw {
        for r in 0..jw.min(c + 2) {
            t[r + c * jw] = h[at(kwtop + r, kwtop + c)];
        }
        v[c + c * jw] = T::one();
    }
    let (mut twr, mut twi) = (vec![zero; jw], vec![zero; jw]);
    if double_shift(
        &mut t,
        jw,
        0,
        jw,
        &mut twr,
        &mut twi,
        Some((&mut v, 0, jw)),
        true,
    )
    .is_err()
    {
        // The window did not converge: nothing is learned, and H is unchanged.
        return Ok(Deflation {
            deflated: 0,
            shifts: Vec::new(),
        });
    }

    // Undecided blocks are rows ilst..ns; deflated ones collect below ns, the others above
    // ilst.
    let (mut ns, mut ilst) = (jw, 0);
    while ilst < ns {
        let size = if ns >= 2 && t[(ns - 1) + (ns - 2) * jw] != zero {
            2
        } else {
            1
        };
        let top = ns - size;
        let mut magnitude = t[(ns - 1) + (ns - 1) * jw].abs();
        if size == 2 {
            magnitude +=
                t[(ns - 1) + (ns - 2) * jw].abs().sqrt() * t[(ns - 2) + (ns - 1) * jw].abs().sqrt();
        }
        let spike = [v[top * jw], v[(ns - 1) * jw]];
        if negligible_spike(s, &spike[..size], magnitude, smlnum) {
            ns = top;
        } else {
            // A refused swap leaves the block where it got to; it counts as undeflatable.
            move_up(&mut t, &mut v, jw, top, ilst);
            ilst += size;
        }
    }
    let s = if ns == 0 { zero } else { s };
    let mut shifts = vec![(zero, zero); ns];
    block_eigenvalues(&t, jw, 0, ns, |i, w| shifts[i] = w);
    if ns == jw && s != zero {
        return Ok(Deflation {
            deflated: 0,
            shifts,
        });
    }
    block_eigenvalues(&t, jw, ns, jw, |i, (re, im)| {
        wr[kwtop + i] = re;
        wi[kwtop + i] = im;
    });

    for c in 0..jw {
        for r in c + 2..jw {
            t[r + c * jw] = zero;
        }
    }
    if ns > 1 && s != zero {
        // Reflect the undeflated part of the spike onto its first entry, then restore the
        // Hessenberg form of T[0..ns, 0..ns] (which the reflector fills).
        let mut u: Vec<T> = (0..ns).map(|c| v[c * jw]).collect();
        let refl = make_reflector(
            u[0],
            MatMut::from_col_major(&mut u[1..], ns - 1, 1).expect("vector"),
        );
        u[0] = T::one();
        let tau = refl.tau;
        for c in 0..jw {
            let d = (0..ns).fold(zero, |acc, k| acc + u[k] * t[k + c * jw]);
            for k in 0..ns {
                t[k + c * jw] -= tau * d * u[k];
            }
        }
        for (x, rows) in [(&mut t, ns), (&mut v, jw)] {
            for r in 0..rows {
                let d = (0..ns).fold(zero, |acc, k| acc + x[r + k * jw] * u[k]);
                for k in 0..ns {
                    x[r + k * jw] -= tau * d * u[k];
                }
            }
        }
        let mut htau = vec![zero; ns - 1];
        super::hessenberg::reduce(&mut t, jw, 0, ns, &mut htau, 32, 128, par)?;
        let mut qh = vec![zero; jw * jw];
        super::hessenberg::form_q(&t, jw, 0, ns, &htau, &mut qh, par)?;
        let mut vq = vec![zero; jw * ns];
        gemm(
            T::one(),
            MatRef::from_col_major(&v, jw, jw)
                .expect("jw × jw")
                .submatrix(0, 0, jw, ns),
            MatRef::from_col_major(&qh, jw, jw)
                .expect("jw × jw")
                .submatrix(0, 0, ns, ns),
            zero,
            MatMut::from_col_major(&mut vq, jw, ns).expect("workspace"),
            par,
        )?;
        v[..jw * ns].copy_from_slice(&vq);
        for c in 0..jw {
            for r in c + 2..jw {
                t[r + c * jw] = zero;
            }
        }
    }

    for c in 0..jw {
        for r in 0..jw.min(c + 2) {
            h[at(kwtop + r, kwtop + c)] = t[r + c * jw];
        }
    }
    if kwtop > ktop {
        h[at(kwtop, kwtop - 1)] = s * v[0];
    }
    times_u(h, n, ktop..kwtop, kwtop, &v, jw, par)?;
    if want_t {
        times_u(h, n, 0..ktop, kwtop, &v, jw, par)?;
        ut_times(h, n, kwtop, kbot + 1..n, &v, jw, par)?;
    }
    if let Some((z, zlo, zhi)) = z {
        times_u(z, n, zlo..zhi, kwtop, &v, jw, par)?;
    }
    Ok(Deflation {
        deflated: jw - ns,
        shifts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eig::multishift::tests::{mul, uniform};

    #[test]
    fn spike_criterion() {
        let eps = f64::EPSILON;
        let small = f64::MIN_POSITIVE;
        // Relative to the eigenvalue: just below ε·|λ| deflates, just above does not.
        assert!(negligible_spike(1.0, &[0.99 * eps * 3.0], 3.0, small));
        assert!(!negligible_spike(1.0, &[1.01 * eps * 3.0], 3.0, small));
        assert!(!negligible_spike(-2.0, &[0.0, 0.51 * eps], 1.0, small));
        // A zero eigenvalue is measured against the spike itself; the floor is smlnum.
        assert!(negligible_spike(1e-3, &[0.9 * eps], 0.0, small));
        assert!(!negligible_spike(1e-3, &[1.1 * eps], 0.0, small));
        assert!(negligible_spike(1e-300, &[1.0], 1e-300, 1e-290));
        assert!(!negligible_spike(f64::NAN, &[1.0], 1.0, small));
        assert!(!negligible_spike(1.0, &[f64::NAN], 1.0, small));
    }

    /// Deflation on a Hessenberg matrix whose window coupling is `s`, with a graded window
    /// (eigenvalues down to 1e−8): every spike entry dropped is at most
    /// `max(smlnum, ε·(|Re λ| + |Im λ|))` of its own eigenvalue, `Zᵀ·H₀·Z = H₁` up to those
    /// and rounding, and the values-only run deflates the same eigenvalues.
    #[test]
    fn deflation_drops_only_negligible_spikes() {
        let eps = f64::EPSILON;
        let n = 60;
        let (ktop, kbot, nw) = (5, 54, 24);
        let kwtop = kbot + 1 - nw;
        for (case, &s) in [1.0, 1e-6, 1e-12, 1e-15, 1e-16, 1e-17, 1e-20, 0.0]
            .iter()
            .enumerate()
        {
            let r = uniform(300 + case as u64, n * n);
            let mut h0: Vec<f64> = (0..n * n)
                .map(|k| {
                    let (i, j) = (k % n, k / n);
                    let g = if i >= kwtop && j >= kwtop {
                        10f64.powf(-8.0 * (i + j - 2 * kwtop) as f64 / (2 * nw) as f64)
                    } else {
                        1.0
                    };
                    if i <= j + 1 { r[k] * g } else { 0.0 }
                })
                .collect();
            h0[ktop + (ktop - 1) * n] = 0.0;
            h0[kbot + 1 + kbot * n] = 0.0;
            h0[kwtop + (kwtop - 1) * n] = s;
            let mut h1 = h0.clone();
            let mut z: Vec<f64> = (0..n * n)
                .map(|k| if k % n == k / n { 1.0 } else { 0.0 })
                .collect();
            let (mut wr, mut wi) = (vec![0.0; n], vec![0.0; n]);
            let d = aggressive_deflation(
                &mut h1,
                n,
                ktop,
                kbot,
                nw,
                &mut wr,
                &mut wi,
                Some((&mut z, 0, n)),
                true,
                Par::Seq,
            )
            .unwrap();
            let nd = d.deflated;
            if s.abs() < 1e-19 {
                assert!(nd > 0, "s = {s:e}: nothing deflated");
            }
            let smlnum = f64::MIN_POSITIVE * (n as f64 / eps);
            for i in kbot + 1 - nd..=kbot {
                let dropped = s * z[kwtop + i * n];
                let tol = smlnum.max(eps * (wr[i].abs() + wi[i].abs()));
                assert!(
                    dropped.abs() <= tol,
                    "s = {s:e}: row {i} dropped {dropped:e} > {tol:e}"
                );
                assert_eq!(h1[i + (kwtop - 1) * n], 0.0);
            }
            let zt: Vec<f64> = (0..n * n).map(|k| z[(k / n) + (k % n) * n]).collect();
            let back = mul(&mul(&zt, &h0, n, false), &z, n, false);
            let err = back
                .iter()
                .zip(&h1)
                .map(|(x, y)| (x - y).powi(2))
                .sum::<f64>()
                .sqrt();
            let hn = h0.iter().map(|x| x * x).sum::<f64>().sqrt();
            assert!(
                err <= 20.0 * n as f64 * eps * hn,
                "s = {s:e}: ‖ZᵀHZ − H₁‖ = {err:e}"
            );
            // Values only: the same decisions and numbers.
            let mut h2 = h0.clone();
            let (mut vr, mut vi) = (vec![0.0; n], vec![0.0; n]);
            let d2 = aggressive_deflation(
                &mut h2,
                n,
                ktop,
                kbot,
                nw,
                &mut vr,
                &mut vi,
                None,
                false,
                Par::Seq,
            )
            .unwrap();
            assert_eq!(d2.deflated, nd);
            assert_eq!(d2.shifts, d.shifts);
            assert_eq!(vr[kbot + 1 - nd..=kbot], wr[kbot + 1 - nd..=kbot]);
            assert_eq!(vi[kbot + 1 - nd..=kbot], wi[kbot + 1 - nd..=kbot]);
        }
    }
}
