//! Complex Hermitian eigen (`complex::eigh`) and complex QR (`complex::qr`): backward errors
//! `‖A − V·Λ·Vᴴ‖/(‖A‖·n·ε)`, `‖A − Q·R‖/(‖A‖·n·ε)` and orthogonality `‖QᴴQ − I‖/(n·ε)`,
//! recomputed in f64 from the stored results, on random, clustered, repeated, graded,
//! rank-deficient, tiny and huge matrices, in f64 and f32, plus the error cases and faer as
//! an oracle for the eigenvalues.

use crate::common::{Rng, for_each_isa};
use lapis_factor::FactorError;
use lapis_factor::complex::{CMat, CMatMut, CMatRef, Complex, eigh, qr};
use lapis_factor::kernels::{MatMut, Par, Scalar, Uplo};

/// The constant of every `n·ε` bound below.
const BOUND: f64 = 10.0;

type C = Complex<f64>;

/// A dense complex matrix in f64, column-major: the reference arithmetic.
#[derive(Clone, Debug)]
struct Z {
    m: usize,
    n: usize,
    d: Vec<C>,
}

impl Z {
    fn zeros(m: usize, n: usize) -> Self {
        Z {
            m,
            n,
            d: vec![C::new(0.0, 0.0); m * n],
        }
    }
    fn from_fn(m: usize, n: usize, mut f: impl FnMut(usize, usize) -> C) -> Self {
        let mut z = Self::zeros(m, n);
        for j in 0..n {
            for i in 0..m {
                z.d[i + j * m] = f(i, j);
            }
        }
        z
    }
    fn at(&self, i: usize, j: usize) -> C {
        self.d[i + j * self.m]
    }
    fn random(m: usize, n: usize, seed: u64) -> Self {
        let mut r = Rng::new(seed);
        Self::from_fn(m, n, |_, _| C::new(r.uniform() - 0.5, r.uniform() - 0.5))
    }
    fn adjoint(&self) -> Self {
        Self::from_fn(self.n, self.m, |i, j| self.at(j, i).conj())
    }
    fn matmul(&self, b: &Z) -> Z {
        assert_eq!(self.n, b.m);
        let mut c = Z::zeros(self.m, b.n);
        for j in 0..b.n {
            for l in 0..self.n {
                let blj = b.at(l, j);
                for i in 0..self.m {
                    c.d[i + j * self.m] += self.at(i, l) * blj;
                }
            }
        }
        c
    }
    fn sub(&self, b: &Z) -> Z {
        Z::from_fn(self.m, self.n, |i, j| self.at(i, j) - b.at(i, j))
    }
    /// The Frobenius norm, scaled so that 1e±300 entries neither underflow nor overflow.
    fn fro(&self) -> f64 {
        let s = self
            .d
            .iter()
            .map(|z| z.re.abs().max(z.im.abs()))
            .fold(0.0, f64::max);
        if s == 0.0 || !s.is_finite() {
            return s;
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
    /// `(A + Aᴴ)/2`.
    fn hermitian_part(&self) -> Z {
        Z::from_fn(self.n, self.n, |i, j| {
            (self.at(i, j) + self.at(j, i).conj()) * 0.5
        })
    }
    /// Stored in `T` (split planes, column-major).
    fn store<T: Scalar>(&self) -> CMat<T> {
        let parts: Vec<T> = self
            .d
            .iter()
            .flat_map(|z| [T::from_f64(z.re), T::from_f64(z.im)])
            .collect();
        CMat::from_interleaved(&parts, self.m, self.n, 2, 2 * self.m)
    }
    /// What a stored `T` matrix holds, in f64.
    fn load<T: Scalar>(a: CMatRef<'_, T>) -> Z {
        Z::from_fn(a.nrows(), a.ncols(), |i, j| {
            let z = a.get(i, j);
            C::new(z.re.to_f64(), z.im.to_f64())
        })
    }
}

/// `‖QᴴQ − I‖_F / (max(n, 1)·ε)` for the columns of `q`.
fn orthogonality(q: &Z, eps: f64) -> f64 {
    let g = q.adjoint().matmul(q);
    let i = Z::from_fn(q.n, q.n, |i, j| C::new(f64::from(u8::from(i == j)), 0.0));
    g.sub(&i).fro() / (q.n.max(1) as f64 * eps)
}

/// A random unitary matrix: `Q` of the QR of a random complex matrix (checked unitary).
fn random_unitary(n: usize, seed: u64) -> Z {
    let mut a = Z::random(n, n, seed).store::<f64>();
    let mut tau = vec![C::new(0.0, 0.0); n];
    qr::factor(a.as_mut(), &mut tau, Par::Seq).unwrap();
    let mut q = CMat::zeros(n, n);
    qr::form_q(a.as_ref(), &tau, q.as_mut(), Par::Seq).unwrap();
    let q = Z::load(q.as_ref());
    assert!(orthogonality(&q, f64::EPSILON) <= BOUND);
    q
}

/// `U·diag(w)·Uᴴ` for a random unitary `U`.
fn with_spectrum(w: &[f64], seed: u64) -> Z {
    let n = w.len();
    let u = random_unitary(n, seed);
    let uw = Z::from_fn(n, n, |i, j| u.at(i, j) * w[j]);
    uw.matmul(&u.adjoint()).hermitian_part()
}

fn hermitian_catalogue() -> Vec<(String, Z)> {
    let mut cases = Vec::new();
    for n in [0, 1, 2, 3, 5, 17, 32, 33, 34, 40, 65, 100] {
        cases.push((
            format!("random{n}"),
            Z::random(n, n, n as u64 + 1).hermitian_part(),
        ));
    }
    // Repeated eigenvalues (a few distinct values, high multiplicity) and a tight cluster.
    let rep: Vec<f64> = (0..40).map(|i| f64::from((i % 3) as u8) - 1.0).collect();
    cases.push(("repeated40".into(), with_spectrum(&rep, 5)));
    let clu: Vec<f64> = (0..50).map(|i| 1.0 + 1e-13 * i as f64).collect();
    cases.push(("cluster50".into(), with_spectrum(&clu, 6)));
    let ill: Vec<f64> = (0..36)
        .map(|i| 10f64.powf(-12.0 * i as f64 / 35.0))
        .collect();
    cases.push(("illcond36".into(), with_spectrum(&ill, 7)));
    // Graded: D·H·D with D from 1 to 1e-8.
    let h = Z::random(45, 45, 8).hermitian_part();
    let d = |i: usize| 10f64.powf(-8.0 * i as f64 / 44.0);
    cases.push((
        "graded45".into(),
        Z::from_fn(45, 45, |i, j| h.at(i, j) * d(i) * d(j)),
    ));
    cases.push(("zero7".into(), Z::zeros(7, 7)));
    // Rank one (n − 1 zero eigenvalues).
    let x = Z::random(20, 1, 9);
    cases.push(("rank1_20".into(), x.matmul(&x.adjoint())));
    let h = Z::random(38, 38, 10).hermitian_part();
    cases.push(("tiny38".into(), h.scaled(1e-300)));
    cases.push(("huge38".into(), h.scaled(1e300)));
    cases
}

/// Runs `eigh` (vectors) and `eigvalsh` on `a` stored in `T`, reading triangle `uplo` with the
/// other triangle filled with garbage; returns `(w, V, w_values_only)` in f64.
fn run_eigh<T: Scalar>(a: &Z, uplo: Uplo, params: &eigh::EighParams) -> (Vec<f64>, Z, Vec<f64>) {
    let n = a.n;
    // Garbage outside the triangle read, and in the diagonal's imaginary parts.
    let poisoned = Z::from_fn(n, n, |i, j| {
        let inside = match uplo {
            Uplo::Lower => i >= j,
            Uplo::Upper => i <= j,
        };
        if i == j {
            C::new(a.at(i, i).re, 7.0)
        } else if inside {
            a.at(i, j)
        } else {
            C::new(f64::NAN, 3.0)
        }
    });
    let stored = poisoned.store::<T>();
    let mut wv = vec![T::zero(); n];
    eigh::eigvalsh(stored.as_ref(), uplo, &mut wv, Par::Seq).unwrap();
    let mut v = stored.clone();
    let mut w = vec![T::zero(); n];
    eigh::eigh_with_params(v.as_mut(), uplo, &mut w, true, Par::Seq, params).unwrap();
    let f = |x: &[T]| x.iter().map(|&t| Scalar::to_f64(t)).collect::<Vec<_>>();
    (f(&w), Z::load(v.as_ref()), f(&wv))
}

/// `(backward, orthogonality)` of an eigendecomposition of `a` (the matrix as stored in `T`).
fn eigh_errors(a: &Z, w: &[f64], v: &Z, eps: f64) -> (f64, f64) {
    let n = a.n;
    let vw = Z::from_fn(n, n, |i, j| v.at(i, j) * w[j]);
    let r = a.sub(&vw.matmul(&v.adjoint())).fro();
    let scale = a.fro().max(f64::MIN_POSITIVE) * n.max(1) as f64 * eps;
    (r / scale, orthogonality(v, eps))
}

fn check_eigh_catalogue<T: Scalar>(tag: &str) {
    let eps = T::EPS.to_f64();
    for (name, a) in hermitian_catalogue() {
        if T::EPS.to_f64() > 1e-10 && (name.starts_with("tiny") || name.starts_with("huge")) {
            continue; // 1e±300 is not representable in f32
        }
        // The matrix as T holds it.
        let a = Z::load(a.store::<T>().as_ref());
        for uplo in [Uplo::Lower, Uplo::Upper] {
            for (label, params) in [
                ("dc", eigh::EighParams::default()),
                (
                    "ql",
                    eigh::EighParams {
                        divide_conquer_threshold: usize::MAX,
                    },
                ),
            ] {
                let tag = format!("{tag} {name} {uplo:?} {label}");
                let (w, v, wv) = run_eigh::<T>(&a, uplo, &params);
                assert!(w.windows(2).all(|p| p[0] <= p[1]), "{tag}: not ascending");
                let (b, o) = eigh_errors(&a, &w, &v, eps);
                assert!(b <= BOUND, "{tag}: backward error {b}");
                assert!(o <= BOUND, "{tag}: orthogonality {o}");
                let anorm = a.fro().max(f64::MIN_POSITIVE);
                let dev = w
                    .iter()
                    .zip(&wv)
                    .map(|(x, y)| (x - y).abs())
                    .fold(0.0, f64::max);
                let r = dev / (anorm * a.n.max(1) as f64 * eps);
                assert!(r <= BOUND, "{tag}: eigvalsh vs eigh {r}");
            }
        }
    }
}

#[test]
fn eigh_catalogue_f64() {
    for_each_isa("eigh_catalogue_f64", |_| check_eigh_catalogue::<f64>("f64"));
}

#[test]
fn eigh_catalogue_f32() {
    check_eigh_catalogue::<f32>("f32");
}

/// A Hermitian matrix whose imaginary parts are all zero must give the real path's answer.
#[test]
fn eigh_purely_real_agrees_with_real_path() {
    let n = 41;
    let a = Z::random(n, n, 21).hermitian_part();
    let real = Z::from_fn(n, n, |i, j| C::new(a.at(i, j).re, 0.0));
    let (w, v, _) = run_eigh::<f64>(&real, Uplo::Lower, &eigh::EighParams::default());
    let mut ar: Vec<f64> = real.d.iter().map(|z| z.re).collect();
    let mut wr = vec![0.0; n];
    lapis_factor::eigh::eigh(
        MatMut::from_col_major(&mut ar, n, n).unwrap(),
        Uplo::Lower,
        &mut wr,
        true,
        Par::Seq,
    )
    .unwrap();
    let dev = w
        .iter()
        .zip(&wr)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max);
    assert!(dev <= BOUND * n as f64 * f64::EPSILON * real.fro(), "{dev}");
    // Real eigenvectors (up to a unit phase per column): |v_c| matches |v_r| entrywise
    // (the spectrum of a random matrix is well separated).
    for j in 0..n {
        for i in 0..n {
            let d = (v.at(i, j).norm() - ar[i + j * n].abs()).abs();
            assert!(d < 1e-10, "({i}, {j}): {d}");
        }
    }
}

/// Row-major (transposed planes) storage gives the same eigenvalues as column-major.
#[test]
fn eigh_strided_input() {
    let n = 37;
    let a = Z::random(n, n, 31).hermitian_part();
    // Planes stored row-major, with a row stride of n + 3.
    let ld = n + 3;
    let mut re = vec![0.0; n * ld];
    let mut im = vec![0.0; n * ld];
    for i in 0..n {
        for j in 0..n {
            re[i * ld + j] = a.at(i, j).re;
            im[i * ld + j] = a.at(i, j).im;
        }
    }
    let mut w = vec![0.0; n];
    let view = CMatMut::new(
        MatMut::from_slice(&mut re, n, n, ld as isize, 1).unwrap(),
        MatMut::from_slice(&mut im, n, n, ld as isize, 1).unwrap(),
    )
    .unwrap();
    eigh::eigh(view, Uplo::Upper, &mut w, true, Par::Seq).unwrap();
    let v = Z::from_fn(n, n, |i, j| C::new(re[i * ld + j], im[i * ld + j]));
    let (b, o) = eigh_errors(&a, &w, &v, f64::EPSILON);
    assert!(b <= BOUND && o <= BOUND, "{b} {o}");
}

/// Eigenvalues against faer's complex self-adjoint solver.
#[test]
fn eigh_faer_oracle() {
    for (name, a) in hermitian_catalogue() {
        let n = a.n;
        if n == 0 || name.starts_with("tiny") || name.starts_with("huge") {
            continue;
        }
        let fm = faer::Mat::<faer::c64>::from_fn(n, n, |i, j| {
            let z = a.at(i, j);
            faer::c64::new(z.re, z.im)
        });
        let theirs = fm
            .self_adjoint_eigenvalues(faer::Side::Lower)
            .expect("faer evd");
        let (w, _, _) = run_eigh::<f64>(&a, Uplo::Lower, &eigh::EighParams::default());
        let dev = w
            .iter()
            .zip(&theirs)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        let r = dev / (a.fro().max(f64::MIN_POSITIVE) * n as f64 * f64::EPSILON);
        assert!(r <= BOUND, "{name} vs faer: {r}");
    }
}

/// numpy's results for a small case.
#[test]
fn eigh_numpy_literal() {
    // numpy: np.linalg.eigvalsh(np.array([[2, 1-1j, 0], [1+1j, 3, 2j], [0, -2j, 1]]))
    //        -> [-0.4892885718100789, 1.7108314535516893, 4.7784571182583875]
    let a = Z::from_fn(3, 3, |i, j| {
        let v = [
            [C::new(2.0, 0.0), C::new(1.0, -1.0), C::new(0.0, 0.0)],
            [C::new(1.0, 1.0), C::new(3.0, 0.0), C::new(0.0, 2.0)],
            [C::new(0.0, 0.0), C::new(0.0, -2.0), C::new(1.0, 0.0)],
        ];
        v[i][j]
    });
    let want = [-0.4892885718100789, 1.7108314535516893, 4.7784571182583875];
    let (w, _, wv) = run_eigh::<f64>(&a, Uplo::Lower, &eigh::EighParams::default());
    for k in 0..3 {
        assert!((w[k] - want[k]).abs() < 1e-14, "{w:?}");
        assert!((wv[k] - want[k]).abs() < 1e-14, "{wv:?}");
    }
}

#[test]
fn eigh_errors_are_values() {
    let mut a = CMat::<f64>::zeros(2, 3);
    let mut w = [0.0; 2];
    assert_eq!(
        eigh::eigh(a.as_mut(), Uplo::Lower, &mut w, true, Par::Seq),
        Err(FactorError::NotSquare { nrows: 2, ncols: 3 })
    );
    let mut a = CMat::<f64>::identity(3);
    assert!(matches!(
        eigh::eigh(a.as_mut(), Uplo::Lower, &mut w, true, Par::Seq),
        Err(FactorError::Shape { .. })
    ));
    // NaN / infinity in the triangle read: NonFinite, a untouched.
    for (i, j, z) in [
        (2, 0, C::new(f64::NAN, 0.0)),
        (1, 0, C::new(0.0, f64::INFINITY)),
        (1, 1, C::new(f64::NAN, 0.0)),
    ] {
        let mut a = CMat::<f64>::identity(3);
        a.as_mut().write(i, j, z);
        let before = a.clone();
        let mut w = [0.0; 3];
        assert_eq!(
            eigh::eigh(a.as_mut(), Uplo::Lower, &mut w, true, Par::Seq),
            Err(FactorError::NonFinite)
        );
        assert_eq!(
            eigh::eigvalsh(a.as_ref(), Uplo::Lower, &mut w, Par::Seq),
            Err(FactorError::NonFinite)
        );
        assert!(format!("{before:?}") == format!("{a:?}"));
    }
    // The same NaN in the triangle not read is ignored (and a NaN imaginary diagonal part).
    let mut a = CMat::<f64>::identity(3);
    a.as_mut().write(0, 2, C::new(f64::NAN, 0.0));
    a.as_mut().write(1, 1, C::new(1.0, f64::NAN));
    let mut w = [0.0; 3];
    eigh::eigh(a.as_mut(), Uplo::Lower, &mut w, true, Par::Seq).unwrap();
    assert_eq!(w, [1.0, 1.0, 1.0]);
}

// ---------------------------------------------------------------------------------------------
// QR
// ---------------------------------------------------------------------------------------------

fn qr_catalogue() -> Vec<(String, Z)> {
    let mut cases = Vec::new();
    for (m, n) in [
        (0, 0),
        (0, 3),
        (3, 0),
        (1, 1),
        (5, 3),
        (3, 5),
        (32, 32),
        (33, 33),
        (70, 70),
        (100, 37),
        (37, 100),
        (130, 65),
    ] {
        cases.push((
            format!("random{m}x{n}"),
            Z::random(m, n, (m * 131 + n) as u64),
        ));
    }
    // Rank-deficient: the middle columns repeat the first ones.
    let b = Z::random(50, 10, 3);
    cases.push((
        "rankdef50x40".into(),
        Z::from_fn(50, 40, |i, j| b.at(i, j % 10) * (1.0 + (j / 10) as f64)),
    ));
    cases.push(("zero9x6".into(), Z::zeros(9, 6)));
    let g = Z::random(40, 40, 4);
    cases.push((
        "gradedcols40".into(),
        Z::from_fn(40, 40, |i, j| {
            g.at(i, j) * 10f64.powf(-10.0 * j as f64 / 39.0)
        }),
    ));
    cases.push(("tiny30x20".into(), Z::random(30, 20, 5).scaled(1e-300)));
    cases.push(("huge30x20".into(), Z::random(30, 20, 6).scaled(1e300)));
    // Purely imaginary.
    let r = Z::random(25, 25, 7);
    cases.push((
        "imaginary25".into(),
        Z::from_fn(25, 25, |i, j| C::new(0.0, r.at(i, j).re)),
    ));
    cases
}

fn check_qr_catalogue<T: Scalar>(tag: &str) {
    let eps = T::EPS.to_f64();
    for (name, a) in qr_catalogue() {
        if eps > 1e-10 && (name.starts_with("tiny") || name.starts_with("huge")) {
            continue;
        }
        let tag = format!("{tag} {name}");
        let stored = a.store::<T>();
        let a = Z::load(stored.as_ref());
        let (m, n) = (a.m, a.n);
        let k = m.min(n);
        let mut f = stored.clone();
        let mut tau = vec![Complex::new(T::zero(), T::zero()); k];
        qr::factor(f.as_mut(), &mut tau, Par::Seq).unwrap();
        let fz = Z::load(f.as_ref());
        for p in [k, m] {
            let mut q = CMat::<T>::zeros(m, p);
            qr::form_q(f.as_ref(), &tau, q.as_mut(), Par::Seq).unwrap();
            let q = Z::load(q.as_ref());
            // R: p × n upper trapezoidal, from the factor's upper part (zero below row k).
            let r = Z::from_fn(p, n, |i, j| {
                if i <= j && i < k {
                    fz.at(i, j)
                } else {
                    C::new(0.0, 0.0)
                }
            });
            for i in 0..k {
                assert_eq!(fz.at(i, i).im, 0.0, "{tag}: R's diagonal must be real");
            }
            let scale = a.fro().max(f64::MIN_POSITIVE) * m.max(n).max(1) as f64 * eps;
            let b = a.sub(&q.matmul(&r)).fro() / scale;
            assert!(b <= BOUND, "{tag} p={p}: backward error {b}");
            let o = orthogonality(&q, eps);
            assert!(o <= BOUND, "{tag} p={p}: orthogonality {o}");
        }
        // apply_q (Qᴴ·A = R and Q·(Qᴴ·C) = C) against the formed Q.
        if m > 0 {
            let mut c = stored.clone();
            qr::apply_q(true, f.as_ref(), &tau, c.as_mut(), Par::Seq).unwrap();
            let cz = Z::load(c.as_ref());
            let scale = a.fro().max(f64::MIN_POSITIVE) * m.max(n) as f64 * eps;
            for j in 0..n {
                for i in 0..m {
                    let want = if i <= j {
                        fz.at(i, j)
                    } else {
                        C::new(0.0, 0.0)
                    };
                    assert!(
                        (cz.at(i, j) - want).norm() <= BOUND * scale,
                        "{tag}: Qᴴ·A ({i}, {j})"
                    );
                }
            }
            qr::apply_q(false, f.as_ref(), &tau, c.as_mut(), Par::Seq).unwrap();
            let back = Z::load(c.as_ref());
            assert!(back.sub(&a).fro() <= BOUND * scale, "{tag}: Q·Qᴴ·A");
        }
    }
}

#[test]
fn qr_catalogue_f64() {
    for_each_isa("qr_catalogue_f64", |_| check_qr_catalogue::<f64>("f64"));
}

#[test]
fn qr_catalogue_f32() {
    check_qr_catalogue::<f32>("f32");
}

/// Purely real complex input gives the real QR (same reflectors: the same `R`).
#[test]
fn qr_purely_real_agrees_with_real_path() {
    let (m, n) = (60, 45);
    let a = Z::random(m, n, 41);
    let real = Z::from_fn(m, n, |i, j| C::new(a.at(i, j).re, 0.0));
    let mut f = real.store::<f64>();
    let mut tau = vec![C::new(0.0, 0.0); n];
    qr::factor(f.as_mut(), &mut tau, Par::Seq).unwrap();
    let mut ar: Vec<f64> = real.d.iter().map(|z| z.re).collect();
    let mut taur = vec![0.0; n];
    lapis_factor::qr::factor(
        MatMut::from_col_major(&mut ar, m, n).unwrap(),
        &mut taur,
        Par::Seq,
    )
    .unwrap();
    let fz = Z::load(f.as_ref());
    let tol = BOUND * m as f64 * f64::EPSILON * real.fro();
    for j in 0..n {
        assert!((tau[j] - C::new(taur[j], 0.0)).norm() < BOUND * m as f64 * f64::EPSILON);
        for i in 0..=j {
            assert!(
                (fz.at(i, j) - C::new(ar[i + j * m], 0.0)).norm() <= tol,
                "({i}, {j})"
            );
        }
    }
}

/// numpy's `R` for a small case (LAPACK's signs and phases, as numpy).
#[test]
fn qr_numpy_literal() {
    // numpy: np.linalg.qr(np.array([[1+1j, 2], [3j, 4-1j]]), mode='r')
    //   -> [[-3.3166247903554003+0.j, 0.30151134457776374+4.22115882408869j],
    //       [ 0.+0.j, -1.7580981459830656+0.j]]
    let a = Z::from_fn(2, 2, |i, j| {
        [
            [C::new(1.0, 1.0), C::new(2.0, 0.0)],
            [C::new(0.0, 3.0), C::new(4.0, -1.0)],
        ][i][j]
    });
    let mut f = a.store::<f64>();
    let mut tau = [C::new(0.0, 0.0); 2];
    qr::factor(f.as_mut(), &mut tau, Par::Seq).unwrap();
    let want = [
        (0, 0, C::new(-3.3166247903554003, 0.0)),
        (0, 1, C::new(0.30151134457776374, 4.22115882408869)),
        (1, 1, C::new(-1.7580981459830656, 0.0)),
    ];
    for (i, j, z) in want {
        assert!((f.as_ref().get(i, j) - z).norm() < 1e-13, "({i}, {j})");
    }
}

#[test]
fn qr_errors_are_values() {
    let mut a = CMat::<f64>::identity(3);
    let mut tau = vec![C::new(0.0, 0.0); 2];
    assert!(matches!(
        qr::factor(a.as_mut(), &mut tau, Par::Seq),
        Err(FactorError::Shape { .. })
    ));
    let mut tau = vec![C::new(0.0, 0.0); 3];
    a.as_mut().write(2, 1, C::new(0.0, f64::NAN));
    let before = a.clone();
    assert_eq!(
        qr::factor(a.as_mut(), &mut tau, Par::Seq),
        Err(FactorError::NonFinite)
    );
    assert_eq!(format!("{a:?}"), format!("{before:?}"));
    let mut q = CMat::<f64>::zeros(3, 2);
    assert!(matches!(
        qr::form_q(a.as_ref(), &tau, q.as_mut(), Par::Seq),
        Err(FactorError::Shape { .. })
    ));
}
