//! Complex SVD `A = U·Σ·Vᴴ`: backward error, unitarity, singular values against prescribed
//! spectra and against the real path, on random, graded, rank-deficient, clustered,
//! tiny/huge-scaled, zero, empty, 1×1, strided and transposed inputs, thin and full, f32 and
//! f64, every ISA path; errors.
//!
//! Bounds (as the real `svd` tests; Golub & Van Loan §8.6): every step is a sequence of
//! unitary Householder transformations or a backward-stable bidiagonal SVD, so
//! `‖A − UΣVᴴ‖₁/(‖A‖₁·max(m, n)·ε) ≤ 10`, `‖UᴴU − I‖₁/(m·ε) ≤ 10`, `‖VᴴV − I‖₁/(n·ε) ≤ 10`,
//! and by Weyl `|σ̂_j − σ_j| ≤ 10·max(m, n)·ε·‖A‖₁` against exact values.

use crate::common::{Rng, emulated, for_each_isa};
use lapis_factor::FactorError;
use lapis_factor::complex::svd::{svd, svd_with_params, svdvals};
use lapis_factor::complex::{CMat, CMatRef, Complex};
use lapis_factor::kernels::{MatRef, Par, Scalar};
use lapis_factor::svd::SvdParams;

const BOUND: f64 = 10.0;
type C = Complex<f64>;

/// A dense complex f64 matrix, column-major: the reference arithmetic.
#[derive(Clone)]
struct Z {
    m: usize,
    n: usize,
    d: Vec<C>,
}

impl Z {
    fn zeros(m: usize, n: usize) -> Z {
        Z {
            m,
            n,
            d: vec![C::new(0.0, 0.0); m * n],
        }
    }
    fn at(&self, i: usize, j: usize) -> C {
        self.d[i + j * self.m]
    }
    fn set(&mut self, i: usize, j: usize, z: C) {
        self.d[i + j * self.m] = z;
    }
    fn random(m: usize, n: usize, seed: u64) -> Z {
        let mut r = Rng::new(seed);
        let mut z = Z::zeros(m, n);
        for x in &mut z.d {
            *x = C::new(r.uniform(), r.uniform());
        }
        z
    }
    fn adjoint(&self) -> Z {
        let mut t = Z::zeros(self.n, self.m);
        for j in 0..self.n {
            for i in 0..self.m {
                t.set(j, i, self.at(i, j).conj());
            }
        }
        t
    }
    fn matmul(&self, b: &Z) -> Z {
        let mut c = Z::zeros(self.m, b.n);
        for j in 0..b.n {
            for k in 0..self.n {
                let bkj = b.at(k, j);
                for i in 0..self.m {
                    c.d[i + j * self.m] += self.at(i, k) * bkj;
                }
            }
        }
        c
    }
    fn norm1(&self) -> f64 {
        (0..self.n)
            .map(|j| (0..self.m).map(|i| self.at(i, j).norm()).sum::<f64>())
            .fold(0.0, f64::max)
    }
    fn sub(&self, b: &Z) -> Z {
        let mut c = self.clone();
        for (x, y) in c.d.iter_mut().zip(&b.d) {
            *x -= y;
        }
        c
    }
    fn scaled(&self, s: f64) -> Z {
        let mut c = self.clone();
        for x in &mut c.d {
            *x *= s;
        }
        c
    }
    /// Rounded through `T` and stored as a split matrix of `T`.
    fn store<T: Scalar>(&self) -> CMat<T> {
        let parts: Vec<T> = self
            .d
            .iter()
            .flat_map(|z| [T::from_f64(z.re), T::from_f64(z.im)])
            .collect();
        CMat::from_interleaved(&parts, self.m, self.n, 2, 2 * self.m)
    }
    fn load<T: Scalar>(v: CMatRef<'_, T>) -> Z {
        let (m, n) = v.shape();
        let mut z = Z::zeros(m, n);
        for j in 0..n {
            for i in 0..m {
                let x = v.get(i, j);
                z.set(i, j, C::new(Scalar::to_f64(x.re), Scalar::to_f64(x.im)));
            }
        }
        z
    }
    /// Orthonormal columns by modified Gram–Schmidt, twice (for prescribed spectra).
    fn orthonormal(m: usize, k: usize, seed: u64) -> Z {
        let mut q = Z::random(m, k, seed);
        for _ in 0..2 {
            for j in 0..k {
                for p in 0..j {
                    let dot: C = (0..m).map(|i| q.at(i, p).conj() * q.at(i, j)).sum();
                    for i in 0..m {
                        let v = q.at(i, j) - dot * q.at(i, p);
                        q.set(i, j, v);
                    }
                }
                let nrm = (0..m).map(|i| q.at(i, j).norm_sqr()).sum::<f64>().sqrt();
                for i in 0..m {
                    let v = q.at(i, j) / nrm;
                    q.set(i, j, v);
                }
            }
        }
        q
    }
    /// `U·diag(s)·Vᴴ` with random orthonormal `U`, `V`.
    fn with_singular_values(m: usize, n: usize, s: &[f64], seed: u64) -> Z {
        let k = s.len();
        let mut u = Z::orthonormal(m, k, seed);
        let v = Z::orthonormal(n, k, seed + 1);
        for j in 0..k {
            for i in 0..m {
                let x = u.at(i, j) * s[j];
                u.set(i, j, x);
            }
        }
        u.matmul(&v.adjoint())
    }
}

/// `‖QᴴQ − I‖₁` for `Q` with orthonormal columns.
fn unitarity_error(q: &Z) -> f64 {
    let mut g = q.adjoint().matmul(q);
    for i in 0..g.n {
        let x = g.at(i, i) - 1.0;
        g.set(i, i, x);
    }
    g.norm1()
}

struct Checked {
    s: Vec<f64>,
}

/// Runs `svd` (thin or full) and `svdvals` on `a` rounded to `T`, checks the identities, and
/// returns the singular values.
fn check<T: Scalar>(name: &str, a: &Z, full: bool) -> Checked {
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let stored = a.store::<T>();
    let a = Z::load(stored.as_ref());
    let (uc, vr) = if full { (m, n) } else { (k, k) };
    let (mut u, mut vh) = (CMat::<T>::zeros(m, uc), CMat::<T>::zeros(vr, n));
    let mut s = vec![T::zero(); k];
    svd(
        stored.as_ref(),
        &mut s,
        Some(u.as_mut()),
        Some(vh.as_mut()),
        Par::Seq,
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    let eps = Scalar::to_f64(T::EPS);
    let sf: Vec<f64> = s.iter().map(|x| Scalar::to_f64(*x)).collect();
    assert!(
        sf.windows(2).all(|w| w[0] >= w[1]) && sf.iter().all(|&x| x >= 0.0),
        "{name}: {sf:?}"
    );
    let (uz, vz) = (Z::load(u.as_ref()), Z::load(vh.as_ref()).adjoint());
    // The check runs at unit scale (a power of two, exact), so that its own products do not
    // lose digits to gradual underflow at tiny scales.
    let a0 = a.norm1();
    let f = if a0 > 0.0 {
        2f64.powi(-a0.log2().round() as i32)
    } else {
        1.0
    };
    let a = a.scaled(f);
    let mut us = Z::zeros(m, k);
    for j in 0..k {
        for i in 0..m {
            us.set(i, j, uz.at(i, j) * (sf[j] * f));
        }
    }
    let mut vk = Z::zeros(n, k);
    for j in 0..k {
        for i in 0..n {
            vk.set(i, j, vz.at(i, j));
        }
    }
    let anorm = a.norm1();
    let resid = a.sub(&us.matmul(&vk.adjoint())).norm1();
    let dim = m.max(n).max(1) as f64;
    let back = if anorm > 0.0 {
        resid / anorm / (dim * eps)
    } else {
        resid
    };
    let ou = unitarity_error(&uz) / (m.max(1) as f64 * eps);
    let ov = unitarity_error(&vz) / (n.max(1) as f64 * eps);
    assert!(
        back <= BOUND && ou <= BOUND && ov <= BOUND,
        "{name} {m}x{n} full={full}: backward {back:.2}, ‖UᴴU−I‖ {ou:.2}, ‖VᴴV−I‖ {ov:.2}"
    );
    // Values only: the same values within Weyl's bound.
    let mut s2 = vec![T::zero(); k];
    svdvals(stored.as_ref(), &mut s2, Par::Seq).unwrap();
    for (x, y) in sf.iter().zip(&s2) {
        assert!(
            (x - Scalar::to_f64(*y)).abs() <= BOUND * dim * eps * a0,
            "{name}: svdvals {x} vs {}",
            Scalar::to_f64(*y)
        );
    }
    Checked { s: sf }
}

/// The shapes every regime takes: square, tall (bidiagonal of A), very tall (QR first), wide,
/// and orders past the divide-and-conquer threshold (25).
fn shapes() -> Vec<(usize, usize)> {
    let mut v = vec![
        (1, 1),
        (2, 2),
        (5, 5),
        (7, 4),
        (12, 3),
        (3, 8),
        (4, 13),
        (30, 30),
        (40, 31),
        (27, 60),
    ];
    if !emulated() {
        // (160, 140): several blocked panels and reflector blocks of the reduction.
        v.extend([(90, 70), (150, 40), (45, 100), (160, 140)]);
    }
    v
}

#[test]
fn random_every_shape_thin_and_full() {
    for (m, n) in shapes() {
        let a = Z::random(m, n, (m * 1000 + n) as u64);
        for full in [false, true] {
            check::<f64>("random f64", &a, full);
            check::<f32>("random f32", &a, full);
        }
    }
}

#[test]
fn every_isa_path() {
    for_each_isa("complex svd", |isa| {
        for (m, n) in [(33, 29), (20, 50), (64, 20)] {
            let a = Z::random(m, n, 7 + m as u64);
            check::<f64>(isa.name(), &a, true);
            check::<f32>(isa.name(), &a, false);
        }
    });
}

/// Prescribed singular values (clustered, repeated, graded, rank-deficient) are recovered
/// within Weyl's bound.
#[test]
fn prescribed_spectra() {
    let graded: Vec<f64> = (0..12).map(|i| 10f64.powi(-i)).collect();
    let repeated = vec![3.0, 3.0, 3.0, 1.0, 1.0, 1e-3];
    let clustered: Vec<f64> = (0..10).map(|i| 1.0 + 1e-12 * i as f64).rev().collect();
    let rank2 = vec![5.0, 2.0, 0.0, 0.0, 0.0];
    let big: Vec<f64> = (0..40).map(|i| 1.0 / (1.0 + i as f64)).collect();
    for (name, s, m, n) in [
        ("graded", &graded, 15, 12),
        ("repeated", &repeated, 6, 9),
        ("clustered", &clustered, 10, 10),
        ("rank 2", &rank2, 8, 5),
        ("dc order 40", &big, 50, 40),
    ] {
        let a = Z::with_singular_values(m, n, s, 99);
        for full in [false, true] {
            let got = check::<f64>(name, &a, full).s;
            let tol = BOUND * m.max(n) as f64 * f64::EPSILON * a.norm1();
            for (g, w) in got.iter().zip(s.iter()) {
                assert!((g - w).abs() <= tol, "{name}: {g} vs {w}");
            }
        }
    }
}

/// Tiny and huge scales: the power-of-two scaling keeps the relative accuracy, and nothing
/// overflows or flushes to zero.
#[test]
fn tiny_and_huge_scale() {
    let s = [4.0, 2.0, 1.0, 0.5];
    let base = Z::with_singular_values(6, 4, &s, 3);
    for scale in [1e-300, 1e300, 1e-310, 1e154] {
        let a = base.scaled(scale);
        let got = check::<f64>("scaled", &a, false).s;
        for (g, w) in got.iter().zip(&s) {
            assert!(
                (g / (w * scale) - 1.0).abs()
                    <= BOUND * 6.0 * f64::EPSILON * 4.0 * 8.0
                    // Storing subnormal entries perturbs each by up to half the smallest
                    // subnormal: Weyl's bound over the 24 parts, relative to σ_min.
                    + 24.0 * f64::from_bits(1) / (0.5 * scale),
                "{scale}: {g} vs {}",
                w * scale
            );
        }
    }
    for scale in [1e-38f64, 1e37] {
        let a = base.scaled(scale);
        check::<f32>("scaled f32", &a, true);
    }
}

#[test]
fn zero_empty_and_one_by_one() {
    let z = Z::zeros(4, 3);
    let got = check::<f64>("zero", &z, true).s;
    assert_eq!(got, vec![0.0; 3]);
    // 1×1: σ = |a|, u·vh = a/|a|.
    let mut one = Z::zeros(1, 1);
    one.set(0, 0, C::new(-3.0, 4.0));
    assert_eq!(check::<f64>("1x1", &one, true).s, vec![5.0]);
    // Empty: full U, Vᴴ are identities, no values.
    for (m, n) in [(0, 0), (3, 0), (0, 2)] {
        let a = CMat::<f64>::zeros(m, n);
        let (mut u, mut vh) = (CMat::zeros(m, m), CMat::zeros(n, n));
        let mut s: Vec<f64> = vec![];
        svd(
            a.as_ref(),
            &mut s,
            Some(u.as_mut()),
            Some(vh.as_mut()),
            Par::Seq,
        )
        .unwrap();
        assert_eq!(u, CMat::identity(m));
        assert_eq!(vh, CMat::identity(n));
    }
}

/// Strided and transposed views give the same factorization as the dense copy.
#[test]
fn strided_and_transposed_input() {
    let big = Z::random(11, 9, 5).store::<f64>();
    let view = big.as_ref().submatrix(2, 1, 7, 6);
    let dense = CMat::from_view(view);
    for v in [view, view.transpose()] {
        let (m, n) = v.shape();
        let k = m.min(n);
        let (mut s1, mut s2) = (vec![0.0; k], vec![0.0; k]);
        svdvals(v, &mut s1, Par::Seq).unwrap();
        let d = CMat::from_view(v);
        svdvals(d.as_ref(), &mut s2, Par::Seq).unwrap();
        assert_eq!(s1, s2);
    }
    check::<f64>("submatrix", &Z::load(dense.as_ref()), true);
}

/// A complex matrix with zero imaginary parts has the real matrix's singular values.
#[test]
fn purely_real_agrees_with_real_path() {
    for (m, n) in [(6, 6), (9, 4), (3, 7), (40, 35)] {
        let mut r = Rng::new(m as u64 * 17 + n as u64);
        let re: Vec<f64> = r.vec(m * n);
        let mut z = Z::zeros(m, n);
        for j in 0..n {
            for i in 0..m {
                z.set(i, j, C::new(re[i + j * m], 0.0));
            }
        }
        let got = check::<f64>("real", &z, false).s;
        let mut want = vec![0.0; m.min(n)];
        lapis_factor::svd::svdvals(
            MatRef::from_col_major(&re, m, n).unwrap(),
            &mut want,
            Par::Seq,
        )
        .unwrap();
        let tol = BOUND * m.max(n) as f64 * f64::EPSILON * z.norm1();
        for (g, w) in got.iter().zip(&want) {
            assert!((g - w).abs() <= tol, "{m}x{n}: {g} vs {w}");
        }
    }
}

/// numpy: np.linalg.svd([[1+2j, 3-1j], [0.5j, -2]], compute_uv=False).
#[test]
fn numpy_literal() {
    let parts = [1.0, 2.0, 3.0, -1.0, 0.0, 0.5, -2.0, 0.0];
    let a = CMat::from_interleaved(&parts, 2, 2, 4, 2);
    let mut s = [0.0; 2];
    svdvals(a.as_ref(), &mut s, Par::Seq).unwrap();
    let want: [f64; 2] = [4.137354805346389, 1.460238067808515];
    for (g, w) in s.iter().zip(&want) {
        assert!((g - w).abs() < 1e-14 * 4.0, "{g} vs {w}");
    }
}

/// The divide-and-conquer fallback (a secular iteration limit of 0) and the QR-only path give
/// the same factorization quality.
#[test]
fn qr_only_and_fallback_paths() {
    let a = Z::random(45, 38, 11);
    let stored = a.store::<f64>();
    for params in [
        SvdParams {
            divide_conquer_threshold: usize::MAX,
            ..SvdParams::default()
        },
        SvdParams {
            secular_iteration_limit: 0,
            ..SvdParams::default()
        },
    ] {
        let (mut u, mut vh) = (CMat::zeros(45, 38), CMat::zeros(38, 38));
        let mut s = vec![0.0; 38];
        svd_with_params(
            stored.as_ref(),
            &mut s,
            Some(u.as_mut()),
            Some(vh.as_mut()),
            Par::Seq,
            &params,
        )
        .unwrap();
        let mut us = Z::load(u.as_ref());
        for j in 0..38 {
            for i in 0..45 {
                let x = us.at(i, j) * s[j];
                us.set(i, j, x);
            }
        }
        let r = a.sub(&us.matmul(&Z::load(vh.as_ref()))).norm1();
        assert!(r / (a.norm1() * 45.0 * f64::EPSILON) <= BOUND, "{params:?}");
    }
}

#[test]
fn errors() {
    let mut a = Z::random(3, 3, 1).store::<f64>();
    let mut s = [0.0; 3];
    assert!(matches!(
        svdvals(a.as_ref(), &mut s[..2], Par::Seq),
        Err(FactorError::Shape { .. })
    ));
    let mut u = CMat::zeros(3, 2);
    assert!(matches!(
        svd(a.as_ref(), &mut s, Some(u.as_mut()), None, Par::Seq),
        Err(FactorError::Shape { .. })
    ));
    for bad in [f64::NAN, f64::INFINITY] {
        let mut v = a.as_mut();
        v.write(1, 2, C::new(0.0, bad));
        assert_eq!(
            svdvals(a.as_ref(), &mut s, Par::Seq),
            Err(FactorError::NonFinite)
        );
    }
}
