//! General complex eigen (`complex::eig`): residuals `‖A·V − V·Λ‖/(‖A‖·n·ε)`, unit-norm
//! eigenvectors with their largest component real, and eigenvalue errors bounded by
//! `n·ε·‖A‖·κ(λ)` (κ from the left eigenvectors), recomputed in f64 from the stored results,
//! on random, Hermitian, unitary, triangular, defective (Jordan), graded, tiny and huge
//! matrices, companion matrices with closed-form roots, purely real input against the real
//! `eig`, faer as an oracle, f64 and f32, and the error cases.

use crate::common::{Rng, for_each_isa};
use lapis_factor::FactorError;
use lapis_factor::complex::{CMat, CMatRef, Complex, eig, eigh, qr};
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar, Uplo};

/// The constant of every `n·ε` bound below.
const BOUND: f64 = 10.0;

type C = Complex<f64>;

fn c(re: f64, im: f64) -> C {
    C::new(re, im)
}

/// A dense complex matrix in f64, column-major: the reference arithmetic.
#[derive(Clone, Debug)]
struct Z {
    n: usize,
    m: usize,
    d: Vec<C>,
}

impl Z {
    fn from_fn(m: usize, n: usize, mut f: impl FnMut(usize, usize) -> C) -> Self {
        let mut d = Vec::with_capacity(m * n);
        for j in 0..n {
            for i in 0..m {
                d.push(f(i, j));
            }
        }
        Z { m, n, d }
    }
    fn at(&self, i: usize, j: usize) -> C {
        self.d[i + j * self.m]
    }
    fn random(n: usize, seed: u64) -> Self {
        let mut r = Rng::new(seed);
        Self::from_fn(n, n, |_, _| c(r.uniform() - 0.5, r.uniform() - 0.5))
    }
    fn adjoint(&self) -> Self {
        Self::from_fn(self.n, self.m, |i, j| self.at(j, i).conj())
    }
    fn matmul(&self, b: &Z) -> Z {
        let mut out = Z::from_fn(self.m, b.n, |_, _| c(0.0, 0.0));
        for j in 0..b.n {
            for l in 0..self.n {
                let blj = b.at(l, j);
                for i in 0..self.m {
                    out.d[i + j * self.m] += self.at(i, l) * blj;
                }
            }
        }
        out
    }
    /// The Frobenius norm, scaled so that 1e±300 entries neither underflow nor overflow.
    fn fro(&self) -> f64 {
        let s = self
            .d
            .iter()
            .map(|z| z.re.abs().max(z.im.abs()))
            .fold(0.0, f64::max);
        if s == 0.0 {
            return 0.0;
        }
        s * self
            .d
            .iter()
            .map(|z| (z / s).norm_sqr())
            .sum::<f64>()
            .sqrt()
    }
    fn scaled(&self, s: f64) -> Z {
        Z::from_fn(self.m, self.n, |i, j| self.at(i, j) * s)
    }
    fn store<T: Scalar>(&self) -> CMat<T> {
        let parts: Vec<T> = self
            .d
            .iter()
            .flat_map(|z| [T::from_f64(z.re), T::from_f64(z.im)])
            .collect();
        CMat::from_interleaved(&parts, self.m, self.n, 2, 2 * self.m)
    }
    fn load<T: Scalar>(a: CMatRef<'_, T>) -> Z {
        Z::from_fn(a.nrows(), a.ncols(), |i, j| {
            let z = a.get(i, j);
            c(z.re.to_f64(), z.im.to_f64())
        })
    }
    /// The input as `T` holds it, back in f64 (what the residuals must be measured against).
    fn round_to<T: Scalar>(&self) -> Z {
        Z::load(self.store::<T>().as_ref())
    }
}

/// `eig` in `T` on `a` rounded to `T`: eigenvalues and vectors in f64.
fn run<T: Scalar>(a: &Z) -> (Vec<C>, Z) {
    let n = a.n;
    let s = a.store::<T>();
    let mut w = vec![Complex::new(T::zero(), T::zero()); n];
    let mut v = CMat::zeros(n, n);
    eig::eig(s.as_ref(), &mut w, Some(v.as_mut()), Par::Seq).expect("eig");
    let w = w.iter().map(|z| c(z.re.to_f64(), z.im.to_f64())).collect();
    (w, Z::load(v.as_ref()))
}

/// `‖A·V − V·Λ‖_F/(‖A‖_F·max(n, 1)·ε)`, scaled so that 1e±300 inputs do not overflow.
fn residual(a: &Z, w: &[C], v: &Z, eps: f64) -> f64 {
    let n = a.n;
    let an = a.fro();
    if an == 0.0 {
        return w.iter().map(|z| z.norm()).fold(0.0, f64::max);
    }
    let (as_, ws): (Z, Vec<C>) = (a.scaled(1.0 / an), w.iter().map(|z| z / an).collect());
    let av = as_.matmul(v);
    let r = Z::from_fn(n, n, |i, j| av.at(i, j) - v.at(i, j) * ws[j]);
    r.fro() / (n.max(1) as f64 * eps)
}

/// Each column of unit 2-norm (within `n·ε`), its largest-modulus component real and
/// non-negative (zgeev's normalization).
fn assert_normalized(tag: &str, v: &Z, eps: f64) {
    let n = v.n;
    for j in 0..n {
        let norm = (0..n).map(|i| v.at(i, j).norm_sqr()).sum::<f64>().sqrt();
        assert!(
            (norm - 1.0).abs() <= BOUND * n as f64 * eps,
            "{tag}: ‖v[:, {j}]‖ = {norm}"
        );
        let k = (0..n)
            .max_by(|&p, &q| v.at(p, j).norm().total_cmp(&v.at(q, j).norm()))
            .unwrap();
        let vk = v.at(k, j);
        // Ties within rounding may pick another index than the solver did; the one it
        // made real is then as large as the largest.
        let real_max = (0..n)
            .filter(|&i| v.at(i, j).im == 0.0 && v.at(i, j).re >= 0.0)
            .map(|i| v.at(i, j).re)
            .fold(-1.0, f64::max);
        assert!(
            real_max >= vk.norm() * (1.0 - 4.0 * eps),
            "{tag}: column {j}: largest component {vk} not real"
        );
    }
}

/// Pairs each computed eigenvalue with the nearest unused exact one (greedy, in order of
/// the computed ones): the distances.
fn match_spectra(got: &[C], exact: &[C]) -> Vec<f64> {
    let mut used = vec![false; exact.len()];
    got.iter()
        .map(|g| {
            let k = (0..exact.len())
                .filter(|&k| !used[k])
                .min_by(|&p, &q| (exact[p] - g).norm().total_cmp(&(exact[q] - g).norm()))
                .expect("same length");
            used[k] = true;
            (exact[k] - g).norm()
        })
        .collect()
}

/// κ(λ_j) = 1/|y_jᴴ·x_j| with `x_j` the computed unit right eigenvector and `y_j` the unit
/// left one (a right eigenvector of `Aᴴ` for `λ̄_j`, matched by distance).
fn condition_numbers(a: &Z, w: &[C], v: &Z) -> Vec<f64> {
    let n = a.n;
    let (wl, vl) = run::<f64>(&a.adjoint());
    let mut used = vec![false; n];
    (0..n)
        .map(|j| {
            let k = (0..n)
                .filter(|&k| !used[k])
                .min_by(|&p, &q| {
                    (wl[p].conj() - w[j])
                        .norm()
                        .total_cmp(&(wl[q].conj() - w[j]).norm())
                })
                .expect("same length");
            used[k] = true;
            let dot: C = (0..n).map(|p| vl.at(p, k).conj() * v.at(p, j)).sum();
            1.0 / dot.norm()
        })
        .collect()
}

/// The spectrum `w` against the exact `exact` within `BOUND·n·ε·‖A‖·κ_j`.
fn assert_spectrum(tag: &str, w: &[C], exact: &[C], scale: f64, kappa: &[f64], eps: f64) {
    let n = w.len();
    let d = match_spectra(w, exact);
    for j in 0..n {
        let tol = BOUND * n as f64 * eps * scale * kappa[j];
        assert!(
            d[j] <= tol,
            "{tag}: eigenvalue {j} = {} is {:.3e} from the exact one (tol {tol:.2e}, κ {:.2e})",
            w[j],
            d[j],
            kappa[j]
        );
    }
}

/// Residual and normalization of `eig` on `a` in `T`.
fn check<T: Scalar>(tag: &str, a: &Z) -> (Vec<C>, Z) {
    let eps = T::EPS.to_f64();
    let (w, v) = run::<T>(a);
    let ar = a.round_to::<T>();
    let r = residual(&ar, &w, &v, eps);
    assert!(r <= BOUND, "{tag} ({}): residual {r:.2}", T::DTYPE);
    if a.n > 0 {
        assert_normalized(tag, &v, eps);
    }
    (w, v)
}

/// A unitary matrix: the Q of a complex QR of a random matrix.
fn random_unitary(n: usize, seed: u64) -> Z {
    let mut qr_ = Z::random(n, seed).store::<f64>();
    let mut tau = vec![Complex::new(0.0, 0.0); n];
    qr::factor(qr_.as_mut(), &mut tau, Par::Seq).unwrap();
    let mut q = CMat::zeros(n, n);
    qr::form_q(qr_.as_ref(), &tau, q.as_mut(), Par::Seq).unwrap();
    Z::load(q.as_ref())
}

#[test]
fn random_matrices() {
    for_each_isa("complex eig random", |_| {
        for (k, &n) in [1usize, 2, 3, 4, 7, 16, 33, 80].iter().enumerate() {
            let a = Z::random(n, 100 + k as u64);
            check::<f64>(&format!("random {n}"), &a);
            check::<f32>(&format!("random {n}"), &a);
        }
    });
}

#[test]
fn eigenvalues_against_left_vectors_bound_and_faer() {
    for (k, &n) in [5usize, 12, 40].iter().enumerate() {
        let a = Z::random(n, 200 + k as u64);
        let (w, v) = check::<f64>("oracle", &a);
        let kappa = condition_numbers(&a, &w, &v);
        let fm = faer::Mat::<faer::c64>::from_fn(n, n, |i, j| {
            let z = a.at(i, j);
            faer::c64::new(z.re, z.im)
        });
        let theirs: Vec<C> = fm
            .eigenvalues()
            .expect("faer eigenvalues")
            .iter()
            .map(|z| c(z.re, z.im))
            .collect();
        // Both are backward stable: each within n·ε·‖A‖·κ of the exact value.
        let two_kappa: Vec<f64> = kappa.iter().map(|k| 2.0 * k).collect();
        assert_spectrum("vs faer", &w, &theirs, a.fro(), &two_kappa, f64::EPSILON);
        // eigvals agrees with eig within the same bound (only the accumulation differs).
        let s = a.store::<f64>();
        let mut wv = vec![Complex::new(0.0, 0.0); n];
        eig::eigvals(s.as_ref(), &mut wv, Par::Seq).unwrap();
        assert_spectrum("eigvals", &wv, &w, a.fro(), &two_kappa, f64::EPSILON);
    }
}

#[test]
fn hermitian_values_are_real() {
    for (k, &n) in [2usize, 6, 30].iter().enumerate() {
        let b = Z::random(n, 300 + k as u64);
        let a = Z::from_fn(n, n, |i, j| (b.at(i, j) + b.at(j, i).conj()) * 0.5);
        let (w, _) = check::<f64>("hermitian", &a);
        let an = a.fro();
        let mut wh = vec![0.0; n];
        eigh::eigvalsh(a.store::<f64>().as_ref(), Uplo::Lower, &mut wh, Par::Seq).unwrap();
        let exact: Vec<C> = wh.iter().map(|&x| c(x, 0.0)).collect();
        for z in &w {
            assert!(z.im.abs() <= BOUND * n as f64 * f64::EPSILON * an, "{z}");
        }
        assert_spectrum("hermitian", &w, &exact, an, &vec![2.0; n], f64::EPSILON);
    }
    // Repeated eigenvalues: Q·diag(1, 1, 1, 2, 2, −1)·Qᴴ (a normal matrix, κ = 1).
    let n = 6;
    let q = random_unitary(n, 7);
    let d = [1.0, 1.0, 1.0, 2.0, 2.0, -1.0];
    let dq = Z::from_fn(n, n, |i, j| q.at(i, j) * d[j]);
    let a = dq.matmul(&q.adjoint());
    let (w, _) = check::<f64>("repeated", &a);
    let exact: Vec<C> = d.iter().map(|&x| c(x, 0.0)).collect();
    assert_spectrum("repeated", &w, &exact, a.fro(), &vec![1.0; n], f64::EPSILON);
}

#[test]
fn unitary_values_on_the_unit_circle() {
    for &n in &[3usize, 10, 50] {
        let q = random_unitary(n, n as u64);
        let (w, _) = check::<f64>("unitary", &q);
        for z in &w {
            assert!(
                (z.norm() - 1.0).abs() <= BOUND * n as f64 * f64::EPSILON * (n as f64).sqrt(),
                "{z}"
            );
        }
    }
}

#[test]
fn triangular_values_are_the_diagonal_exactly() {
    let n = 8;
    let r = Z::random(n, 11);
    let a = Z::from_fn(n, n, |i, j| if i <= j { r.at(i, j) } else { c(0.0, 0.0) });
    let (mut w, _) = check::<f64>("upper triangular", &a);
    let mut d: Vec<C> = (0..n).map(|i| a.at(i, i)).collect();
    let key = |z: &C, y: &C| z.re.total_cmp(&y.re).then(z.im.total_cmp(&y.im));
    w.sort_by(key);
    d.sort_by(key);
    assert_eq!(w, d);
    // Lower triangular: also isolated by the permutation.
    let (mut w, _) = check::<f64>("lower triangular", &a.adjoint());
    let mut d: Vec<C> = (0..n).map(|i| a.at(i, i).conj()).collect();
    w.sort_by(key);
    d.sort_by(key);
    assert_eq!(w, d);
}

#[test]
fn defective_jordan_blocks() {
    // Jordan blocks (λ = 1 + 2i, 4, and −1 twice), alone and behind a unitary similarity:
    // the eigenvalues move by ε^(1/k), but the residual stays of order ε.
    let n = 7;
    let lam = [
        c(1.0, 2.0),
        c(1.0, 2.0),
        c(1.0, 2.0),
        c(4.0, 0.0),
        c(4.0, 0.0),
        c(-1.0, 0.0),
        c(-1.0, 0.0),
    ];
    let j = Z::from_fn(n, n, |i, k| {
        if i == k {
            lam[i]
        } else if k == i + 1 && lam[i] == lam[k] {
            c(1.0, 0.0)
        } else {
            c(0.0, 0.0)
        }
    });
    check::<f64>("jordan", &j);
    check::<f32>("jordan", &j);
    let q = random_unitary(n, 3);
    let a = q.matmul(&j).matmul(&q.adjoint());
    check::<f64>("jordan, unitary similarity", &a);
    check::<f32>("jordan, unitary similarity", &a);
    // A nilpotent block: all eigenvalues 0 in exact arithmetic.
    let nil = Z::from_fn(
        5,
        5,
        |i, k| if k == i + 1 { c(0.0, 1.0) } else { c(0.0, 0.0) },
    );
    let (w, _) = check::<f64>("nilpotent", &nil);
    assert!(w.iter().all(|z| *z == c(0.0, 0.0)), "{w:?}");
}

#[test]
fn graded_and_extreme_scales() {
    let n = 10;
    let b = Z::random(n, 21);
    // Graded: entries from 1 down to 1e-18 along the diagonal direction.
    let g = Z::from_fn(n, n, |i, j| b.at(i, j) * 10f64.powi(-((i + j) as i32)));
    check::<f64>("graded", &g);
    let (w1, _) = check::<f64>("unscaled", &b);
    for s in [1e300, 1e-300, 1e-310, 2f64.powi(1000)] {
        let a = b.scaled(s);
        let (w, _) = check::<f64>(&format!("scaled {s:e}"), &a);
        // A power-of-2 scaling keeps the computation bit for bit; others within rounding.
        let kappa = vec![1e3; n];
        let exact: Vec<C> = w1.iter().map(|z| z * s).collect();
        assert_spectrum(
            &format!("scaled {s:e}"),
            &w,
            &exact,
            a.fro(),
            &kappa,
            f64::EPSILON,
        );
    }
    for s in [1e35f64, 1e-35] {
        check::<f32>(&format!("f32 scaled {s:e}"), &b.scaled(s));
    }
    // Badly scaled by a diagonal similarity: balancing undoes it.
    let d: Vec<f64> = (0..n).map(|i| 2f64.powi(8 * i as i32 - 40)).collect();
    let bad = Z::from_fn(n, n, |i, j| b.at(i, j) * (d[j] / d[i]));
    let (w, _) = check::<f64>("diagonally scaled", &bad);
    let kappa = condition_numbers(&b, &w1, &check::<f64>("b", &b).1);
    assert_spectrum(
        "diagonally scaled",
        &w,
        &w1,
        b.fro(),
        &kappa.iter().map(|k| 2.0 * k).collect::<Vec<_>>(),
        f64::EPSILON,
    );
}

#[test]
fn empty_one_by_one_and_zero() {
    let (w, v) = run::<f64>(&Z::from_fn(0, 0, |_, _| c(0.0, 0.0)));
    assert!(w.is_empty() && v.d.is_empty());
    let (w, v) = run::<f64>(&Z::from_fn(1, 1, |_, _| c(-2.5, 3.0)));
    assert_eq!(w, vec![c(-2.5, 3.0)]);
    assert_eq!(v.d, vec![c(1.0, 0.0)]);
    let (w, v) = check::<f64>("zero", &Z::from_fn(4, 4, |_, _| c(0.0, 0.0)));
    assert!(w.iter().all(|z| *z == c(0.0, 0.0)));
    // The identity's eigenvectors: the unit vectors.
    for j in 0..4 {
        for i in 0..4 {
            assert_eq!(v.at(i, j), c(f64::from(u8::from(i == j)), 0.0));
        }
    }
}

/// Purely real input: the spectrum equals the real `eig`'s, and both equal the closed form
/// of a normal matrix `Q·B·Qᵀ` (`B` block diagonal with rotation-like 2 × 2 blocks).
#[test]
fn real_input_matches_real_eig() {
    let n = 7;
    let exact = [
        c(1.0, 2.0),
        c(1.0, -2.0),
        c(-3.0, 0.5),
        c(-3.0, -0.5),
        c(0.25, 0.0),
        c(2.0, 0.0),
        c(-0.5, 0.0),
    ];
    let mut bl = vec![0.0; n * n];
    let mut i = 0;
    while i < n {
        if exact[i].im != 0.0 {
            let (a, b) = (exact[i].re, exact[i].im);
            bl[i + i * n] = a;
            bl[i + 1 + (i + 1) * n] = a;
            bl[i + (i + 1) * n] = b;
            bl[i + 1 + i * n] = -b;
            i += 2;
        } else {
            bl[i + i * n] = exact[i].re;
            i += 1;
        }
    }
    // A real orthogonal Q from the real QR of a random matrix.
    let mut r = Rng::new(5);
    let mut qr_ = r.vec(n * n);
    let mut tau = vec![0.0; n];
    lapis_factor::qr::factor(
        MatMut::from_col_major(&mut qr_, n, n).unwrap(),
        &mut tau,
        Par::Seq,
    )
    .unwrap();
    let mut q = vec![0.0; n * n];
    lapis_factor::qr::form_q(
        MatRef::from_col_major(&qr_, n, n).unwrap(),
        &tau,
        MatMut::from_col_major(&mut q, n, n).unwrap(),
        Par::Seq,
    )
    .unwrap();
    let qz = Z::from_fn(n, n, |i, j| c(q[i + j * n], 0.0));
    let bz = Z::from_fn(n, n, |i, j| c(bl[i + j * n], 0.0));
    let a = qz.matmul(&bz).matmul(&qz.adjoint());
    let a = Z::from_fn(n, n, |i, j| c(a.at(i, j).re, 0.0));
    let (w, _) = check::<f64>("real input", &a);
    let an = a.fro();
    assert_spectrum(
        "real input, closed form",
        &w,
        &exact,
        an,
        &vec![1.0; n],
        f64::EPSILON,
    );
    let real: Vec<f64> = a.d.iter().map(|z| z.re).collect();
    let (mut wr, mut wi) = (vec![0.0; n], vec![0.0; n]);
    lapis_factor::eig::eigvals(
        MatRef::from_col_major(&real, n, n).unwrap(),
        &mut wr,
        &mut wi,
        Par::Seq,
    )
    .unwrap();
    let wreal: Vec<C> = wr.iter().zip(&wi).map(|(&x, &y)| c(x, y)).collect();
    assert_spectrum(
        "real input vs real eig",
        &w,
        &wreal,
        an,
        &vec![2.0; n],
        f64::EPSILON,
    );
    // A random real matrix, not normal: within κ of each other.
    let b: Vec<f64> = Rng::new(9).vec(n * n).iter().map(|x| x - 0.5).collect();
    let bz = Z::from_fn(n, n, |i, j| c(b[i + j * n], 0.0));
    let (w, v) = check::<f64>("random real", &bz);
    lapis_factor::eig::eigvals(
        MatRef::from_col_major(&b, n, n).unwrap(),
        &mut wr,
        &mut wi,
        Par::Seq,
    )
    .unwrap();
    let wreal: Vec<C> = wr.iter().zip(&wi).map(|(&x, &y)| c(x, y)).collect();
    let kappa: Vec<f64> = condition_numbers(&bz, &w, &v)
        .iter()
        .map(|k| 2.0 * k)
        .collect();
    assert_spectrum(
        "random real vs real eig",
        &w,
        &wreal,
        bz.fro(),
        &kappa,
        f64::EPSILON,
    );
}

/// The companion matrix of the monic `p(z) = zⁿ + c_{n−1}·zⁿ⁻¹ + … + c₀` (ones on the
/// subdiagonal, `−c` in the last column): its eigenvalues are the roots.
fn companion(coef: &[C]) -> Z {
    let n = coef.len();
    Z::from_fn(n, n, |i, j| {
        if j == n - 1 {
            -coef[i]
        } else if i == j + 1 {
            c(1.0, 0.0)
        } else {
            c(0.0, 0.0)
        }
    })
}

#[test]
fn companion_matrices_with_known_roots() {
    // zⁿ − 8i: the roots 2·e^{i(π/2 + 2πk)/n}... of modulus 8^{1/n}.
    for &n in &[3usize, 5, 8] {
        let mut coef = vec![c(0.0, 0.0); n];
        coef[0] = c(0.0, -8.0);
        let a = companion(&coef);
        let (w, v) = check::<f64>("zⁿ − 8i", &a);
        let r = 8f64.powf(1.0 / n as f64);
        let exact: Vec<C> = (0..n)
            .map(|k| {
                let th = (std::f64::consts::FRAC_PI_2 + 2.0 * std::f64::consts::PI * k as f64)
                    / n as f64;
                c(r * th.cos(), r * th.sin())
            })
            .collect();
        let kappa = condition_numbers(&a, &w, &v);
        assert_spectrum("zⁿ − 8i", &w, &exact, a.fro(), &kappa, f64::EPSILON);
    }
    // ∏(z − r_k) with distinct complex roots, expanded in f64 (exact: small integers and
    // halves).
    let roots = [
        c(1.0, 2.0),
        c(-0.5, 1.0),
        c(3.0, 0.0),
        c(-2.0, -1.0),
        c(0.0, 0.5),
    ];
    let mut p = vec![c(1.0, 0.0)];
    for &r in &roots {
        let mut q = vec![c(0.0, 0.0); p.len() + 1];
        for (k, &pk) in p.iter().enumerate() {
            q[k + 1] += pk;
            q[k] -= pk * r;
        }
        p = q;
    }
    let a = companion(&p[..roots.len()]);
    let (w, v) = check::<f64>("product of roots", &a);
    let kappa = condition_numbers(&a, &w, &v);
    assert_spectrum(
        "product of roots",
        &w,
        &roots,
        a.fro(),
        &kappa,
        f64::EPSILON,
    );
}

#[test]
fn strided_and_transposed_views_give_the_same_result() {
    let n = 9;
    let a = Z::random(n, 31);
    let at = a.adjoint();
    let at = Z::from_fn(n, n, |i, j| at.at(i, j).conj()); // Aᵀ, stored
    let s = at.store::<f64>();
    let view = s.as_ref().transpose(); // A as a row-major view
    let mut w1 = vec![Complex::new(0.0, 0.0); n];
    let mut v1 = CMat::zeros(n, n);
    eig::eig(view, &mut w1, Some(v1.as_mut()), Par::Seq).unwrap();
    let base = a.store::<f64>();
    let mut w2 = vec![Complex::new(0.0, 0.0); n];
    let mut v2 = CMat::zeros(n, n);
    eig::eig(base.as_ref(), &mut w2, Some(v2.as_mut()), Par::Seq).unwrap();
    assert_eq!(w1, w2);
    assert_eq!(v1, v2);
    // Output into a transposed view.
    let mut v3 = CMat::zeros(n, n);
    eig::eig(
        base.as_ref(),
        &mut w2,
        Some(v3.as_mut().transpose()),
        Par::Seq,
    )
    .unwrap();
    let v3t = Z::load(v3.as_ref());
    let v2z = Z::load(v2.as_ref());
    for i in 0..n {
        for j in 0..n {
            assert_eq!(v3t.at(j, i), v2z.at(i, j));
        }
    }
}

#[test]
fn errors() {
    let a = CMat::<f64>::zeros(2, 3);
    let mut w = vec![Complex::new(0.0, 0.0); 2];
    assert!(matches!(
        eig::eigvals(a.as_ref(), &mut w, Par::Seq),
        Err(FactorError::NotSquare { nrows: 2, ncols: 3 })
    ));
    let a = CMat::<f64>::identity(3);
    assert!(matches!(
        eig::eigvals(a.as_ref(), &mut w, Par::Seq),
        Err(FactorError::Shape { .. })
    ));
    let mut w = vec![Complex::new(0.0, 0.0); 3];
    let mut v = CMat::zeros(3, 2);
    assert!(matches!(
        eig::eig(a.as_ref(), &mut w, Some(v.as_mut()), Par::Seq),
        Err(FactorError::Shape { .. })
    ));
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for imag in [false, true] {
            let mut parts = vec![0.0; 18];
            parts[if imag { 9 } else { 8 }] = bad;
            let a = CMat::from_interleaved(&parts, 3, 3, 2, 6);
            assert!(matches!(
                eig::eigvals(a.as_ref(), &mut w, Par::Seq),
                Err(FactorError::NonFinite)
            ));
        }
    }
}
