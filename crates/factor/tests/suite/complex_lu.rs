//! Complex LU (`zgetrf`/`zgetrs`, inverse, det, slogdet), Cholesky (`zpotrf`/`zpotrs`) and
//! the complex triangular solve, checked by their identities on hard matrices.
//!
//! Every identity is recomputed in `Complex<f64>` from the stored factors, and the bounds are
//! the textbook ones in units of `n·ε` of the type under test: backward error
//! `‖P·A − L·U‖_F / (‖A‖_F·n·ε)`, `‖A − L·Lᴴ‖_F / (‖A‖_F·n·ε)`, residuals
//! `‖op(A)·X − B‖_F / (‖A‖_F·‖X‖_F·n·ε)`, `‖A·A⁻¹ − I‖_F / (‖A‖_F·‖A⁻¹‖_F·n·ε)`.

use crate::common::{Rng, for_each_isa, report};
use lapis_factor::FactorError;
use lapis_factor::complex::{self, CMat, CMatRef, Complex, Conj, cholesky, lu};
use lapis_factor::kernels::{Diag, Par, Scalar, Side, Uplo};

type C64 = Complex<f64>;

/// A dense complex `f64` matrix, column-major: the reference arithmetic.
#[derive(Clone, Debug)]
struct Z {
    m: usize,
    n: usize,
    v: Vec<C64>,
}

impl Z {
    fn zeros(m: usize, n: usize) -> Self {
        Z {
            m,
            n,
            v: vec![C64::new(0.0, 0.0); m * n],
        }
    }
    fn from_fn(m: usize, n: usize, mut f: impl FnMut(usize, usize) -> C64) -> Self {
        let mut z = Z::zeros(m, n);
        for j in 0..n {
            for i in 0..m {
                z.v[i + j * m] = f(i, j);
            }
        }
        z
    }
    fn random(m: usize, n: usize, seed: u64) -> Self {
        let mut r = Rng::new(seed);
        Z::from_fn(m, n, |_, _| C64::new(r.uniform(), r.uniform()))
    }
    fn identity(n: usize) -> Self {
        Z::from_fn(n, n, |i, j| C64::new(if i == j { 1.0 } else { 0.0 }, 0.0))
    }
    fn at(&self, i: usize, j: usize) -> C64 {
        self.v[i + j * self.m]
    }
    fn h(&self) -> Z {
        Z::from_fn(self.n, self.m, |i, j| self.at(j, i).conj())
    }
    fn t(&self) -> Z {
        Z::from_fn(self.n, self.m, |i, j| self.at(j, i))
    }
    fn mul(&self, b: &Z) -> Z {
        assert_eq!(self.n, b.m);
        let mut c = Z::zeros(self.m, b.n);
        for j in 0..b.n {
            for k in 0..self.n {
                let x = b.at(k, j);
                for i in 0..self.m {
                    c.v[i + j * self.m] += self.at(i, k) * x;
                }
            }
        }
        c
    }
    fn sub(&self, b: &Z) -> Z {
        Z::from_fn(self.m, self.n, |i, j| self.at(i, j) - b.at(i, j))
    }
    fn scaled(&self, s: f64) -> Z {
        Z::from_fn(self.m, self.n, |i, j| self.at(i, j) * s)
    }
    fn fro(&self) -> f64 {
        // Scaled so that 1e±300 entries neither overflow nor underflow.
        let big = self
            .v
            .iter()
            .map(|z| z.re.abs().max(z.im.abs()))
            .fold(0.0, f64::max);
        if big == 0.0 {
            return 0.0;
        }
        big * self
            .v
            .iter()
            .map(|z| (z / big).norm_sqr())
            .sum::<f64>()
            .sqrt()
    }
    /// Stored in `T` (rounded), then read back: the matrix the factorization really sees.
    fn store<T: Scalar>(&self) -> CMat<T> {
        let mut parts = Vec::with_capacity(2 * self.m * self.n);
        for z in &self.v {
            parts.push(T::from_f64(z.re));
            parts.push(T::from_f64(z.im));
        }
        CMat::from_interleaved(&parts, self.m, self.n, 2, 2 * self.m)
    }
    fn load<T: Scalar>(a: CMatRef<'_, T>) -> Z {
        Z::from_fn(a.nrows(), a.ncols(), |i, j| {
            let z = a.get(i, j);
            C64::new(z.re.to_f64(), z.im.to_f64())
        })
    }
}

/// A Hermitian positive definite matrix `B·Bᴴ/n + shift·I`.
fn hpd(n: usize, shift: f64, seed: u64) -> Z {
    let b = Z::random(n, n, seed);
    let mut a = b.mul(&b.h()).scaled(1.0 / n.max(1) as f64);
    for i in 0..n {
        a.v[i + i * n] = C64::new(a.at(i, i).re + shift, 0.0);
    }
    a
}

/// Rows (and, for `both`, columns) scaled by `10^(decades·i/n)`.
fn graded(a: &Z, decades: f64, both: bool) -> Z {
    let n = a.m.max(1) as f64;
    let d = |i: usize| 10f64.powf(decades * i as f64 / n);
    Z::from_fn(a.m, a.n, |i, j| {
        a.at(i, j) * d(i) * if both { d(j) } else { 1.0 }
    })
}

/// The extreme scales the type `T` takes without overflow in its products.
fn extremes<T: Scalar>() -> [f64; 2] {
    if T::EPS.to_f64() > 1e-10 {
        [1e-30, 1e30]
    } else {
        [1e-300, 1e300]
    }
}

fn eps<T: Scalar>() -> f64 {
    T::EPS.to_f64()
}

fn name<T: Scalar>() -> &'static str {
    if eps::<T>() > 1e-10 { "c32" } else { "c64" }
}

/// The general catalogue for LU: random, graded, ill-conditioned, tiny/huge, 1×1.
fn lu_cases<T: Scalar>() -> Vec<(String, Z)> {
    let mut out = vec![("1x1".to_string(), Z::random(1, 1, 1))];
    for n in [2, 7, 16, 17, 40, 130] {
        out.push((format!("random{n}"), Z::random(n, n, 10 + n as u64)));
    }
    out.push((
        "graded_rows60".into(),
        graded(&Z::random(60, 60, 5), 12.0, false),
    ));
    out.push((
        "graded_both60".into(),
        graded(&Z::random(60, 60, 6), 8.0, true),
    ));
    // Nearly singular: a rank-one perturbation of a singular matrix (two equal columns).
    let mut ns = Z::random(30, 30, 7);
    for i in 0..30 {
        ns.v[i + 29 * 30] = ns.at(i, 0) * C64::new(0.0, 1.0) + C64::new(1e-12, 0.0);
    }
    out.push(("nearly_singular30".into(), ns));
    for s in extremes::<T>() {
        out.push((format!("scale{s:e}_50"), Z::random(50, 50, 8).scaled(s)));
    }
    out
}

/// `P·A − L·U` from the stored factors, in units of `‖A‖_F·k·ε`.
fn lu_backward(a: &Z, f: &Z, ipiv: &[usize], e: f64) -> f64 {
    let (m, n) = (a.m, a.n);
    let k = m.min(n);
    let l = Z::from_fn(m, k, |i, j| match i.cmp(&j) {
        std::cmp::Ordering::Greater => f.at(i, j),
        std::cmp::Ordering::Equal => C64::new(1.0, 0.0),
        std::cmp::Ordering::Less => C64::new(0.0, 0.0),
    });
    let u = Z::from_fn(k, n, |i, j| {
        if i <= j {
            f.at(i, j)
        } else {
            C64::new(0.0, 0.0)
        }
    });
    let mut pa = a.clone();
    for (i, &p) in ipiv.iter().enumerate() {
        for j in 0..n {
            pa.v.swap(i + j * m, p + j * m);
        }
    }
    let r = pa.sub(&l.mul(&u)).fro();
    r / (a.fro() * k.max(1) as f64 * e)
}

fn lu_backward_for<T: Scalar>(ratios: &mut Vec<(String, f64)>) {
    for (tag, z) in lu_cases::<T>() {
        let stored = z.store::<T>();
        let a = Z::load(stored.as_ref());
        let mut f = stored.clone();
        let mut ipiv = vec![0; a.m];
        let s = lu::factor(f.as_mut(), &mut ipiv, Par::Seq).unwrap();
        assert!(!s.is_singular(), "{tag}");
        let r = lu_backward(&a, &Z::load(f.as_ref()), &ipiv, eps::<T>());
        ratios.push((format!("{}/{tag}", name::<T>()), r));
    }
    // Rectangular, tall and wide, and a transposed (strided) view of a stored matrix.
    for (m, n) in [(70, 23), (23, 70), (1, 9), (9, 1)] {
        let stored = Z::random(n, m, 40 + m as u64).store::<T>();
        let a = Z::load(stored.as_ref().transpose());
        let mut f = stored.clone();
        let mut ipiv = vec![0; m.min(n)];
        lu::factor(f.as_mut().transpose(), &mut ipiv, Par::Seq).unwrap();
        let r = lu_backward(&a, &Z::load(f.as_ref().transpose()), &ipiv, eps::<T>());
        ratios.push((format!("{}/transposed{m}x{n}", name::<T>()), r));
    }
}

#[test]
fn lu_backward_error_catalogue() {
    for_each_isa("lu_backward_error_catalogue", |_| {
        let mut ratios = Vec::new();
        lu_backward_for::<f64>(&mut ratios);
        lu_backward_for::<f32>(&mut ratios);
        let worst = report("complex lu", "‖PA − LU‖/(‖A‖·n·ε)", &ratios);
        // Partial pivoting's growth on these matrices is small; √2-bounded multipliers.
        assert!(worst < 4.0, "{worst}");
    });
}

/// `op(A)·X = B` for every `trans`, several right-hand sides, a strided `B`.
fn solves_for<T: Scalar>(ratios: &mut Vec<(String, f64)>) {
    for (tag, z) in lu_cases::<T>() {
        let n = z.m;
        let stored = z.store::<T>();
        let a = Z::load(stored.as_ref());
        let mut f = stored.clone();
        let mut ipiv = vec![0; n];
        lu::factor(f.as_mut(), &mut ipiv, Par::Seq).unwrap();
        for (trans, op) in [
            (lu::Trans::No, a.clone()),
            (lu::Trans::Transpose, a.t()),
            (lu::Trans::ConjTranspose, a.h()),
        ] {
            let b = Z::random(3, n, 77).store::<T>(); // B = this, transposed: strided rows
            let mut x = b.clone();
            lu::solve(f.as_ref(), &ipiv, x.as_mut().transpose(), trans, Par::Seq).unwrap();
            let xz = Z::load(x.as_ref().transpose());
            let bz = Z::load(b.as_ref().transpose());
            let r = op.mul(&xz).sub(&bz).fro() / (a.fro() * xz.fro() * n as f64 * eps::<T>());
            ratios.push((format!("{}/{tag}/{trans:?}", name::<T>()), r));
        }
    }
}

#[test]
fn solve_residuals_every_trans() {
    let mut ratios = Vec::new();
    solves_for::<f64>(&mut ratios);
    solves_for::<f32>(&mut ratios);
    let worst = report("complex lu solve", "‖op(A)X − B‖/(‖A‖‖X‖·n·ε)", &ratios);
    assert!(worst < 4.0, "{worst}");
}

fn inverses_for<T: Scalar>(ratios: &mut Vec<(String, f64)>) {
    for (tag, z) in lu_cases::<T>() {
        let n = z.m;
        let stored = z.store::<T>();
        let a = Z::load(stored.as_ref());
        let mut f = stored.clone();
        let mut ipiv = vec![0; n];
        lu::factor(f.as_mut(), &mut ipiv, Par::Seq).unwrap();
        lu::inverse(f.as_mut(), &ipiv, Par::Seq).unwrap();
        let inv = Z::load(f.as_ref());
        let r =
            a.mul(&inv).sub(&Z::identity(n)).fro() / (a.fro() * inv.fro() * n as f64 * eps::<T>());
        ratios.push((format!("{}/{tag}", name::<T>()), r));
    }
}

#[test]
fn inverse_identity() {
    let mut ratios = Vec::new();
    inverses_for::<f64>(&mut ratios);
    inverses_for::<f32>(&mut ratios);
    let worst = report("complex lu inverse", "‖A·A⁻¹ − I‖/(‖A‖‖A⁻¹‖·n·ε)", &ratios);
    assert!(worst < 4.0, "{worst}");
}

/// numpy literals for a small case, and determinants far outside the range of `f64`.
#[test]
fn determinants() {
    // numpy: a = np.array([[1+2j, 3-1j, 0.5], [-2j, 1, 2+2j], [0.25, -1+1j, 3j]])
    //        np.linalg.det(a)      -> (-17.124999999999993+18.999999999999996j)
    //        np.linalg.slogdet(a)  -> (-0.6695045434316619+0.7428079605957126j,
    //                                  3.2417567117165316)
    let a = Z::from_fn(3, 3, |i, j| {
        let v = [
            [(1.0, 2.0), (3.0, -1.0), (0.5, 0.0)],
            [(0.0, -2.0), (1.0, 0.0), (2.0, 2.0)],
            [(0.25, 0.0), (-1.0, 1.0), (0.0, 3.0)],
        ];
        C64::new(v[i][j].0, v[i][j].1)
    });
    let mut f = a.store::<f64>();
    let mut ipiv = vec![0; 3];
    lu::factor(f.as_mut(), &mut ipiv, Par::Seq).unwrap();
    let d = lu::det(f.as_ref(), &ipiv).unwrap();
    // The exact determinant is -17.125+19j (the entries are dyadic); the computed one is
    // within n·ε of it relative to ‖A‖³-sized partial products (|det| ≈ 25.6, ‖A‖_F ≈ 6).
    let want = C64::new(-17.125, 19.0);
    assert!(
        (d - want).norm() <= 3.0 * f64::EPSILON * 6f64.powi(3),
        "{d}"
    );
    let (s, l) = lu::slogdet(f.as_ref(), &ipiv).unwrap();
    let (np_s, np_l) = (
        C64::new(-0.6695045434316619, 0.7428079605957126),
        3.2417567117165316,
    );
    assert!((s - np_s).norm() <= 3.0 * f64::EPSILON * 10.0, "{s}");
    assert!((s.norm() - 1.0).abs() <= 2.0 * f64::EPSILON);
    assert!((l - np_l).abs() <= 3.0 * f64::EPSILON * 10.0, "{l}");

    // diag(1e200·e^{iθ_k}) for n = 4: det = 1e800·e^{iΣθ} overflows, slogdet does not;
    // a permutation (two row swaps... one here) flips the sign.
    let th = [0.3, -1.2, 2.9, 0.7];
    let mut a = Z::from_fn(4, 4, |i, j| {
        if i == j {
            C64::from_polar(1e200, th[i])
        } else {
            C64::new(0.0, 0.0)
        }
    });
    // Swap rows 0 and 1: det changes sign.
    for j in 0..4 {
        a.v.swap(j * 4, 1 + j * 4);
    }
    let mut f = a.store::<f64>();
    let mut ipiv = vec![0; 4];
    lu::factor(f.as_mut(), &mut ipiv, Par::Seq).unwrap();
    let (s, l) = lu::slogdet(f.as_ref(), &ipiv).unwrap();
    let want_s = -C64::from_polar(1.0, th.iter().sum());
    assert!((s - want_s).norm() <= 8.0 * f64::EPSILON, "{s} vs {want_s}");
    assert!(
        (l - 800.0 * 10f64.ln()).abs() <= 8.0 * 1842.0 * f64::EPSILON,
        "{l}"
    );
    let d = lu::det(f.as_ref(), &ipiv).unwrap();
    assert!(d.re.is_infinite() || d.im.is_infinite(), "{d}");
    // 1e-100 on the diagonal: det 1e-400 underflows to 0 at the end only; for n = 3 and
    // 1e-100 the plain product is 1e-300, representable: the scaled product must find it.
    let tiny = Z::from_fn(3, 3, |i, j| {
        if i == j {
            C64::new(0.0, 1e-100)
        } else {
            C64::new(0.0, 0.0)
        }
    });
    let mut f = tiny.store::<f64>();
    let mut ipiv = vec![0; 3];
    lu::factor(f.as_mut(), &mut ipiv, Par::Seq).unwrap();
    let d = lu::det(f.as_ref(), &ipiv).unwrap();
    // (1e-100 i)³ = −1e-300 i
    assert!(
        (d - C64::new(0.0, -1e-300)).norm() <= 4.0 * f64::EPSILON * 1e-300,
        "{d}"
    );
    // f32: the same through the f64 accumulation.
    // Entries 1e20: det 1e80 overflows f32, slogdet does not.
    let mut ipiv4 = vec![0; 4];
    let mut f2 = a.scaled(1e-180).store::<f32>();
    lu::factor(f2.as_mut(), &mut ipiv4, Par::Seq).unwrap();
    let (_, l) = lu::slogdet(f2.as_ref(), &ipiv4).unwrap();
    assert!(
        (l as f64 - 80.0 * 10f64.ln()).abs() <= 8.0 * 184.0 * f32::EPSILON as f64,
        "{l}"
    );
    let d = lu::det(f2.as_ref(), &ipiv4).unwrap();
    assert!(d.re.is_infinite() || d.im.is_infinite(), "{d}");
}

#[test]
fn singular_matrices_report_the_first_zero_pivot() {
    // Column 2 is zero: it stays zero through the elimination, so U[2, 2] is exactly zero
    // (a column merely proportional to another is singular only up to rounding).
    let mut a = Z::random(5, 5, 3);
    for i in 0..5 {
        a.v[i + 2 * 5] = C64::new(0.0, 0.0);
    }
    let mut f = a.store::<f64>();
    let mut ipiv = vec![0; 5];
    let s = lu::factor(f.as_mut(), &mut ipiv, Par::Seq).unwrap();
    assert_eq!(s.first_zero_pivot, Some(2));
    assert_eq!(s.check(), Err(FactorError::Singular { index: 2 }));
    // Still a valid factorization.
    let back = lu_backward(&a, &Z::load(f.as_ref()), &ipiv, f64::EPSILON);
    assert!(back < 4.0, "{back}");
    let mut b = Z::random(5, 1, 4).store::<f64>();
    let e = lu::solve(f.as_ref(), &ipiv, b.as_mut(), lu::Trans::No, Par::Seq);
    assert_eq!(e, Err(FactorError::Singular { index: 2 }));
    let e = lu::inverse(f.clone().as_mut(), &ipiv, Par::Seq);
    assert_eq!(e, Err(FactorError::Singular { index: 2 }));
    assert_eq!(lu::det(f.as_ref(), &ipiv).unwrap(), C64::new(0.0, 0.0));
    let (s, l) = lu::slogdet(f.as_ref(), &ipiv).unwrap();
    assert_eq!((s, l), (C64::new(0.0, 0.0), f64::NEG_INFINITY));
    // The zero matrix: every pivot is zero, the first is reported.
    let mut z = CMat::<f32>::zeros(3, 3);
    let mut ipiv = vec![0; 3];
    let s = lu::factor(z.as_mut(), &mut ipiv, Par::Seq).unwrap();
    assert_eq!(s.first_zero_pivot, Some(0));
    assert_eq!(ipiv, [0, 1, 2]);
}

/// A complex matrix with zero imaginary parts factors as the real path does: the same
/// pivots, imaginary parts exactly zero, the factors equal to rounding.
#[test]
fn purely_real_input_agrees_with_the_real_path() {
    for n in [3, 20, 90] {
        let mut r = Rng::new(n as u64);
        let re: Vec<f64> = r.vec(n * n);
        let z = Z::from_fn(n, n, |i, j| C64::new(re[i + j * n], 0.0));
        let mut f = z.store::<f64>();
        let mut ipiv = vec![0; n];
        lu::factor(f.as_mut(), &mut ipiv, Par::Seq).unwrap();
        let mut real = re.clone();
        let mut rpiv = vec![0; n];
        let rv = lapis_factor::kernels::MatMut::from_col_major(&mut real, n, n).unwrap();
        lapis_factor::lu::factor(rv, &mut rpiv, Par::Seq).unwrap();
        assert_eq!(ipiv, rpiv, "n = {n}");
        let norm: f64 = re.iter().map(|x| x * x).sum::<f64>().sqrt();
        for j in 0..n {
            for i in 0..n {
                let c = f.as_ref().get(i, j);
                assert_eq!(c.im, 0.0);
                let d = (c.re - real[i + j * n]).abs();
                assert!(d <= 4.0 * n as f64 * f64::EPSILON * norm, "{i},{j}: {d:e}");
            }
        }
    }
}

#[test]
fn empty_one_by_one_and_errors() {
    let mut e = CMat::<f64>::zeros(0, 0);
    let s = lu::factor(e.as_mut(), &mut [], Par::Seq).unwrap();
    assert!(!s.is_singular());
    assert_eq!(lu::det(e.as_ref(), &[]).unwrap(), C64::new(1.0, 0.0));
    assert_eq!(
        lu::slogdet(e.as_ref(), &[]).unwrap(),
        (C64::new(1.0, 0.0), 0.0)
    );
    cholesky::factor(e.as_mut(), Uplo::Lower, Par::Seq).unwrap();
    // 1×1: x = b / a.
    let mut a = CMat::from_interleaved(&[0.0, 2.0], 1, 1, 2, 2);
    let mut ipiv = [0];
    lu::factor(a.as_mut(), &mut ipiv, Par::Seq).unwrap();
    let mut b = CMat::from_interleaved(&[4.0, 0.0], 1, 1, 2, 2);
    lu::solve(
        a.as_ref(),
        &ipiv,
        b.as_mut(),
        lu::Trans::ConjTranspose,
        Par::Seq,
    )
    .unwrap();
    assert_eq!(b.as_ref().get(0, 0), C64::new(0.0, 2.0)); // 4 / conj(2i)
    // NaN and infinities are rejected before anything is written.
    for bad in [f64::NAN, f64::INFINITY] {
        let mut a = Z::random(4, 4, 1).store::<f64>();
        a.as_mut().write(2, 1, C64::new(0.0, bad));
        let before = a.clone();
        let same = |x: &CMat<f64>| {
            let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
            bits(x.re_slice()) == bits(before.re_slice())
                && bits(x.im_slice()) == bits(before.im_slice())
        };
        let mut ipiv = vec![0; 4];
        let e = lu::factor(a.as_mut(), &mut ipiv, Par::Seq);
        assert_eq!(e, Err(FactorError::NonFinite));
        assert!(same(&a));
        let e = cholesky::factor(a.as_mut(), Uplo::Lower, Par::Seq);
        assert_eq!(e, Err(FactorError::NonFinite));
        assert!(same(&a));
    }
    // Shapes.
    let mut a = CMat::<f64>::zeros(3, 2);
    assert!(matches!(
        lu::factor(a.as_mut(), &mut [0; 3], Par::Seq),
        Err(FactorError::Shape { .. })
    ));
    assert_eq!(
        cholesky::factor(a.as_mut(), Uplo::Lower, Par::Seq),
        Err(FactorError::NotSquare { nrows: 3, ncols: 2 })
    );
    let f = CMat::<f64>::identity(3);
    let mut b = CMat::zeros(2, 1);
    assert!(matches!(
        lu::solve(f.as_ref(), &[0, 1, 2], b.as_mut(), lu::Trans::No, Par::Seq),
        Err(FactorError::Shape { .. })
    ));
    let mut b = CMat::zeros(3, 1);
    assert!(matches!(
        lu::solve(f.as_ref(), &[0, 7, 2], b.as_mut(), lu::Trans::No, Par::Seq),
        Err(FactorError::InvalidPivot {
            index: 1,
            pivot: 7,
            ..
        })
    ));
}

/// The Cholesky catalogue: Hermitian positive definite, well and badly conditioned,
/// clustered eigenvalues (`I + δ·B·Bᴴ`), graded, tiny/huge.
fn hpd_cases<T: Scalar>() -> Vec<(String, Z)> {
    let mut out = vec![("1x1".to_string(), hpd(1, 0.5, 1))];
    for n in [2, 16, 17, 33, 100] {
        out.push((format!("hpd{n}"), hpd(n, 0.1, 20 + n as u64)));
    }
    out.push(("ill40".into(), hpd(40, 1e-6, 3)));
    // Eigenvalues clustered at 1 (all within 1e-9).
    let c = hpd(30, 0.0, 4).scaled(1e-9);
    out.push((
        "clustered30".into(),
        Z::from_fn(30, 30, |i, j| {
            c.at(i, j) + C64::new(if i == j { 1.0 } else { 0.0 }, 0.0)
        }),
    ));
    out.push(("graded50".into(), graded(&hpd(50, 0.5, 5), 10.0, true)));
    for s in extremes::<T>() {
        out.push((format!("scale{s:e}_40"), hpd(40, 0.5, 6).scaled(s)));
    }
    out
}

fn cholesky_for<T: Scalar>(ratios: &mut Vec<(String, f64)>) {
    for (tag, z) in hpd_cases::<T>() {
        let n = z.m;
        let stored = z.store::<T>();
        let a = Z::load(stored.as_ref());
        for uplo in [Uplo::Lower, Uplo::Upper] {
            let mut f = stored.clone();
            // The ignored parts: garbage in the other triangle and in the diagonal's
            // imaginary parts, which must be neither read nor written.
            for j in 0..n {
                for i in 0..n {
                    let other = match uplo {
                        Uplo::Lower => i < j,
                        Uplo::Upper => i > j,
                    };
                    if other {
                        f.as_mut().write(i, j, Complex::new(T::nan(), T::nan()));
                    }
                }
                let d = f.as_ref().get(j, j);
                f.as_mut().write(j, j, Complex::new(d.re, T::from_f64(7.0)));
            }
            let garbage = f.clone();
            cholesky::factor(f.as_mut(), uplo, Par::Seq).unwrap();
            let fz = Z::load(f.as_ref());
            let tri = |i: usize, j: usize| match uplo {
                Uplo::Lower => i >= j,
                Uplo::Upper => i <= j,
            };
            for j in 0..n {
                assert_eq!(fz.at(j, j).im, 0.0, "{tag}: real diagonal");
                assert!(fz.at(j, j).re > 0.0);
                for i in 0..n {
                    if !tri(i, j) {
                        let (x, y) = (f.as_ref().get(i, j), garbage.as_ref().get(i, j));
                        assert!(x.re.is_nan() && x.im.is_nan() && y.re.is_nan(), "{tag}");
                    }
                }
            }
            let t = Z::from_fn(n, n, |i, j| {
                if tri(i, j) {
                    fz.at(i, j)
                } else {
                    C64::new(0.0, 0.0)
                }
            });
            let prod = match uplo {
                Uplo::Lower => t.mul(&t.h()),
                Uplo::Upper => t.h().mul(&t),
            };
            let r = a.sub(&prod).fro() / (a.fro() * n as f64 * eps::<T>());
            ratios.push((format!("{}/{tag}/{uplo:?}", name::<T>()), r));
            // potrs: the residual of A·X = B.
            let b = Z::random(n, 2, 9).store::<T>();
            let mut x = b.clone();
            cholesky::solve(f.as_ref(), uplo, x.as_mut(), Par::Seq).unwrap();
            let xz = Z::load(x.as_ref());
            let rs = a.mul(&xz).sub(&Z::load(b.as_ref())).fro()
                / (a.fro() * xz.fro() * n as f64 * eps::<T>());
            ratios.push((format!("{}/{tag}/{uplo:?}/solve", name::<T>()), rs));
        }
    }
}

#[test]
fn cholesky_backward_error_and_solve() {
    for_each_isa("cholesky_backward_error_and_solve", |_| {
        let mut ratios = Vec::new();
        cholesky_for::<f64>(&mut ratios);
        cholesky_for::<f32>(&mut ratios);
        let worst = report(
            "complex cholesky",
            "‖A − LLᴴ‖/(‖A‖·n·ε), residuals",
            &ratios,
        );
        assert!(worst < 4.0, "{worst}");
    });
}

#[test]
fn cholesky_reports_the_failing_minor() {
    // An HPD matrix with a_kk set to −1: the leading minors up to order k are untouched
    // (principal blocks of an HPD matrix), and the Schur complement at step k is
    // −1 − (something ≥ 0) < 0, so the minor of order k + 1 fails.
    for n in [5, 40] {
        let mut a = hpd(n, 0.5, 11);
        let k = n - 2;
        a.v[k + k * n] = C64::new(-1.0, 0.0);
        let mut f = a.store::<f64>();
        let e = cholesky::factor(f.as_mut(), Uplo::Lower, Par::Seq);
        assert_eq!(e, Err(FactorError::NotPositiveDefinite { minor: k + 1 }));
        let mut f = a.store::<f64>();
        let e = cholesky::factor(f.as_mut(), Uplo::Upper, Par::Seq);
        assert_eq!(e, Err(FactorError::NotPositiveDefinite { minor: k + 1 }));
    }
    // A zero matrix fails at the first minor.
    let mut z = CMat::<f32>::zeros(3, 3);
    assert_eq!(
        cholesky::factor(z.as_mut(), Uplo::Upper, Par::Seq),
        Err(FactorError::NotPositiveDefinite { minor: 1 })
    );
}

/// The complex triangular solve against the reference product on a strided, transposed
/// operand and a wide right-hand side.
#[test]
fn trsm_on_views() {
    let n = 50;
    let mut a = Z::random(n, n, 2).scaled(1.0 / n as f64);
    for i in 0..n {
        a.v[i + i * n] = C64::new(1.0, 1.0);
    }
    let stored = a.store::<f64>();
    let b = Z::random(70, n, 3).store::<f64>();
    for conj in [Conj::No, Conj::Yes] {
        // Xᵀ·op(A) = … solved on the transposed view of B: X·op(Aᵀ) with Aᵀ upper.
        let mut x = b.clone();
        complex::trsm(
            Side::Right,
            Uplo::Upper,
            Diag::NonUnit,
            conj,
            stored.as_ref().transpose(),
            x.as_mut(),
            Par::Seq,
        )
        .unwrap();
        let at = Z::from_fn(n, n, |i, j| {
            let z = if i <= j {
                a.at(j, i)
            } else {
                C64::new(0.0, 0.0)
            };
            if conj == Conj::Yes { z.conj() } else { z }
        });
        let xz = Z::load(x.as_ref());
        let r = xz.mul(&at).sub(&Z::load(b.as_ref())).fro()
            / (at.fro() * xz.fro() * n as f64 * f64::EPSILON);
        assert!(r < 4.0, "{conj:?}: {r}");
    }
}
