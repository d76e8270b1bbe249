//! `lapis::linalg` on arbitrary small matrices, including NaN, ±Inf, subnormals and huge or
//! tiny magnitudes, on a random supported ISA.
//!
//! Must never panic: every call returns a result or a `LinalgError`. A result on finite,
//! moderately scaled input must satisfy its identity within the backward-error bound of
//! the algorithm (LU: Higham Thm 9.4 with growth ≤ 2ⁿ⁻¹; Cholesky: Thm 10.3 elementwise;
//! Householder QR: Thm 19.4).

#![no_main]

use lapis::{Array, linalg};
use lapis_kernels::{Isa, set_arch};
use libfuzzer_sys::fuzz_target;

/// The input, and whether special values (NaN, ±Inf, extreme scales) may appear: half of
/// the inputs have none, so that the identities get checked, not only the error paths.
struct Bytes<'a>(&'a [u8], bool);
impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        let (first, rest) = self.0.split_first().unwrap_or((&0, &[]));
        self.0 = rest;
        *first
    }
    fn f64(&mut self) -> f64 {
        let tag = self.u8();
        let (lo, hi) = (self.u8(), self.u8());
        let v = i16::from_le_bytes([lo, hi]) as f64 / 128.0;
        if !self.1 {
            return v;
        }
        match tag % 16 {
            0 => f64::NAN,
            1 => f64::INFINITY * v.signum(),
            2 => v * 1e300,
            3 => v * 1e-300,
            4 => v * f64::MIN_POSITIVE * 1e-3, // subnormal
            5 => 0.0,
            _ => v,
        }
    }
}

/// Row-major `r × c` data as a lapis array.
fn array(input: &mut Bytes, r: usize, c: usize) -> (Vec<f64>, Array<f64>) {
    let data: Vec<f64> = (0..r * c).map(|_| input.f64()).collect();
    let a = Array::from_shape_vec(&[r, c], data.clone()).expect("shape matches data");
    (data, a)
}

/// `A·B` for row-major data, naive.
fn mul(a: &[f64], b: &[f64], m: usize, k: usize, n: usize) -> Vec<f64> {
    let mut c = vec![0.0; m * n];
    for i in 0..m {
        for p in 0..k {
            for j in 0..n {
                c[i * n + j] += a[i * k + p] * b[p * n + j];
            }
        }
    }
    c
}

fn inf_norm(a: &[f64], r: usize, c: usize) -> f64 {
    (0..r)
        .map(|i| a[i * c..(i + 1) * c].iter().map(|x| x.abs()).sum::<f64>())
        .fold(0.0, f64::max)
}

/// Finite and far from overflow when multiplied.
fn tame(v: &[f64]) -> bool {
    v.iter().all(|x| x.is_finite() && x.abs() < 1e100)
}

/// LU backward-error factor γ_{3n}·(1 + 2n²·2ⁿ⁻¹) for `‖Ax − b‖ ≤ factor·‖A‖‖x‖`.
fn lu_factor(n: usize) -> f64 {
    let nf = n as f64;
    let gamma = 3.0 * nf * f64::EPSILON / (1.0 - 3.0 * nf * f64::EPSILON);
    gamma * (1.0 + 2.0 * nf * nf * 2f64.powi(n as i32 - 1))
}

fuzz_target!(|data: &[u8]| {
    let mut input = Bytes(data, false);
    input.1 = input.u8() & 1 == 1;
    let isas = Isa::supported();
    set_arch(isas[input.u8() as usize % isas.len()]).expect("supported ISA");
    let op = input.u8() % 11;
    let n = (input.u8() % 7) as usize;
    let m = (input.u8() % 7) as usize;
    match op {
        0 => {
            let (ad, a) = array(&mut input, n, n);
            let (bd, b) = array(&mut input, n, 2);
            if let Ok(x) = linalg::solve(&a, &b) {
                let xd = x.to_vec();
                if tame(&ad) && tame(&bd) && tame(&xd) {
                    let r: Vec<f64> = mul(&ad, &xd, n, n, 2)
                        .iter()
                        .zip(&bd)
                        .map(|(p, q)| p - q)
                        .collect();
                    let bound = lu_factor(n) * inf_norm(&ad, n, n) * inf_norm(&xd, n, 2) + 1e-300;
                    assert!(
                        inf_norm(&r, n, 2) <= bound,
                        "solve residual {} > {bound}",
                        inf_norm(&r, n, 2)
                    );
                }
            }
        }
        1 => {
            let (ad, a) = array(&mut input, n, n);
            if let Ok(x) = linalg::inv(&a) {
                let xd = x.to_vec();
                if tame(&ad) && tame(&xd) {
                    // The inverse comes from LU (getri-style), whose guarantee is on the left
                    // residual: |XA − I| ≤ c·n·ε·|X||L||U| (Higham §14.3); the right residual
                    // AX − I can be κ(A) times larger on nearly singular input.
                    let mut r = mul(&xd, &ad, n, n, n);
                    for i in 0..n {
                        r[i * n + i] -= 1.0;
                    }
                    let bound = lu_factor(n) * inf_norm(&ad, n, n) * inf_norm(&xd, n, n) * n as f64
                        + 1e-300;
                    assert!(
                        inf_norm(&r, n, n) <= bound,
                        "inv left residual {} > {bound}: A = {ad:?}, X = {xd:?}",
                        inf_norm(&r, n, n)
                    );
                }
            }
        }
        2 => {
            let (ad, a) = array(&mut input, n, n);
            let (det, slog) = (linalg::det(&a), linalg::slogdet(&a));
            assert_eq!(
                det.is_ok(),
                slog.is_ok(),
                "det and slogdet disagree on failing"
            );
            if let (Ok(d), Ok(s)) = (det, slog) {
                let item = |x: &Array<f64>| x.item().expect("0-d result for one matrix");
                let (d, sign, logabs) = (item(&d), item(&s.sign), item(&s.logabsdet));
                if tame(&ad) && d.is_finite() && d != 0.0 && d.abs() > 1e-250 {
                    assert_eq!(d.signum(), sign, "sign of det {d} vs slogdet {sign}");
                    let tol = 1e-8 * (1.0 + logabs.abs());
                    assert!(
                        (d.abs().ln() - logabs).abs() <= tol,
                        "ln|det| {} vs {logabs}",
                        d.abs().ln()
                    );
                }
            }
        }
        3 => {
            let (raw, _) = array(&mut input, n, n);
            // Symmetrise so that the test is about definiteness, not symmetry.
            let mut ad = raw.clone();
            for i in 0..n {
                for j in 0..n {
                    ad[i * n + j] = 0.5 * (raw[i * n + j] + raw[j * n + i]);
                }
            }
            let a = Array::from_shape_vec(&[n, n], ad.clone()).unwrap();
            if let Ok(l) = linalg::cholesky(&a, false) {
                let ld = l.to_vec();
                if tame(&ad) && tame(&ld) {
                    let lt: Vec<f64> = (0..n * n).map(|idx| ld[(idx % n) * n + idx / n]).collect();
                    let llt = mul(&ld, &lt, n, n, n);
                    let gamma =
                        (n as f64 + 1.0) * f64::EPSILON / (1.0 - (n as f64 + 1.0) * f64::EPSILON);
                    for i in 0..n {
                        for j in 0..n {
                            let bound =
                                2.0 * gamma * (ad[i * n + i] * ad[j * n + j]).sqrt() + 1e-300;
                            let e = (ad[i * n + j] - llt[i * n + j]).abs();
                            assert!(e <= bound, "cholesky |A - LLᵀ|[{i},{j}] = {e} > {bound}");
                        }
                    }
                }
            }
        }
        4 => {
            let (ad, a) = array(&mut input, m, n);
            if let Ok(res) = linalg::qr(&a, linalg::QrMode::Reduced) {
                let (q, r) = res.into_qr().expect("reduced mode gives Q and R");
                let k = m.min(n);
                let (qd, rd) = (q.to_vec(), r.to_vec());
                if tame(&ad) {
                    let fro = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
                    let qr = mul(&qd, &rd, m, k, n);
                    let diff: Vec<f64> = qr.iter().zip(&ad).map(|(p, q)| p - q).collect();
                    let c = 10.0 * (m * n.max(1)) as f64 * f64::EPSILON;
                    assert!(
                        fro(&diff) <= c * fro(&ad) + 1e-300,
                        "‖A − QR‖ = {}",
                        fro(&diff)
                    );
                    let qt: Vec<f64> = (0..k * m).map(|idx| qd[(idx % m) * k + idx / m]).collect();
                    let mut qtq = mul(&qt, &qd, k, m, k);
                    for i in 0..k {
                        qtq[i * k + i] -= 1.0;
                    }
                    assert!(
                        fro(&qtq) <= c.max(10.0 * f64::EPSILON),
                        "‖QᵀQ − I‖ = {}",
                        fro(&qtq)
                    );
                }
            }
        }
        6 => {
            // eigh on the symmetrised input: ‖A·V − V·Λ‖_F and ‖VᵀV − I‖_F within c·n·ε
            // (Householder tridiagonalisation and orthogonal QR / divide and conquer are
            // normwise backward stable, Golub & Van Loan §8.3).
            let (raw, _) = array(&mut input, n, n);
            let mut ad = raw.clone();
            for i in 0..n {
                for j in 0..n {
                    ad[i * n + j] = 0.5 * (raw[i * n + j] + raw[j * n + i]);
                }
            }
            let a = Array::from_shape_vec(&[n, n], ad.clone()).unwrap();
            let vals = linalg::eigvalsh(&a, linalg::Uplo::Lower);
            if let Ok(r) = linalg::eigh(&a, linalg::Uplo::Lower) {
                assert!(vals.is_ok(), "eigvalsh failed where eigh succeeded");
                let (w, v) = (r.eigenvalues.to_vec(), r.eigenvectors.to_vec());
                assert!(
                    w.windows(2).all(|p| p[0] <= p[1]),
                    "eigenvalues not ascending: {w:?}"
                );
                if tame(&ad) {
                    let fro = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
                    let c = 50.0 * (n.max(1) as f64) * f64::EPSILON;
                    let av = mul(&ad, &v, n, n, n);
                    let diff: Vec<f64> = (0..n * n)
                        .map(|idx| av[idx] - v[idx] * w[idx % n])
                        .collect();
                    assert!(
                        fro(&diff) <= c * fro(&ad) + 1e-300,
                        "eigh ‖AV − VΛ‖ = {}",
                        fro(&diff)
                    );
                    let vt: Vec<f64> = (0..n * n).map(|idx| v[(idx % n) * n + idx / n]).collect();
                    let mut vtv = mul(&vt, &v, n, n, n);
                    for i in 0..n {
                        vtv[i * n + i] -= 1.0;
                    }
                    assert!(fro(&vtv) <= c, "eigh ‖VᵀV − I‖ = {}", fro(&vtv));
                }
            }
        }
        7 => {
            // Thin SVD: ‖A − U·Σ·Vᵀ‖_F ≤ c·mn·ε‖A‖_F, orthonormal U and V, σ descending ≥ 0.
            let (ad, a) = array(&mut input, m, n);
            let vals = linalg::svdvals(&a);
            if let Ok(r) = linalg::svd(&a, false, true) {
                assert!(vals.is_ok(), "svdvals failed where svd succeeded");
                let (u, sv, vt) = r.into_usv().expect("compute_uv gives u, s, vh");
                let k = m.min(n);
                let (ud, sd, vd) = (u.to_vec(), sv.to_vec(), vt.to_vec());
                assert!(
                    sd.iter().all(|&x| x >= 0.0),
                    "negative singular value: {sd:?}"
                );
                assert!(
                    sd.windows(2).all(|p| p[0] >= p[1]),
                    "not descending: {sd:?}"
                );
                if tame(&ad) {
                    let fro = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
                    let c = 50.0 * ((m * n).max(1) as f64) * f64::EPSILON;
                    let us: Vec<f64> = (0..m * k).map(|idx| ud[idx] * sd[idx % k]).collect();
                    let usv = mul(&us, &vd, m, k, n);
                    let diff: Vec<f64> = usv.iter().zip(&ad).map(|(p, q)| p - q).collect();
                    assert!(
                        fro(&diff) <= c * fro(&ad) + 1e-300,
                        "svd ‖A − UΣVᵀ‖ = {}",
                        fro(&diff)
                    );
                    let utr: Vec<f64> = (0..k * m).map(|idx| ud[(idx % m) * k + idx / m]).collect();
                    let mut utu = mul(&utr, &ud, k, m, k);
                    for i in 0..k {
                        utu[i * k + i] -= 1.0;
                    }
                    assert!(fro(&utu) <= c.max(1e-14), "svd ‖UᵀU − I‖ = {}", fro(&utu));
                }
            }
        }
        8 => {
            // eig: eigvals gives eig's values; the eigenvalues sum to the trace within the
            // backward error of the Schur form, |Σλ − tr A| ≤ c·n²·ε·‖A‖_F (balancing is a
            // similarity that does not grow the norm); every eigenvector has unit 2-norm and
            // a conjugate pair has conjugate values and vectors. The residual ‖Av − λv‖ is
            // *not* asserted: with balancing (geev's default, which numpy uses) the pairs
            // are backward stable for the balanced matrix only — e.g. [[1.5e-309, −6e-300],
            // [−0.0078, −1.76]] gives v = e₁ and ‖Av − λv‖ = 0.0078 in LAPACK and numpy too.
            let (ad, a) = array(&mut input, n, n);
            let vals = linalg::eigvals(&a);
            if let Ok(r) = linalg::eig(&a) {
                let w = r.eigenvalues.to_vec();
                assert_eq!(
                    vals.map(|v| v.to_vec()).ok(),
                    Some(w.clone()),
                    "eigvals != eig's values"
                );
                let v = &r.eigenvectors;
                let mut k = 0;
                while k < n {
                    let norm: f64 = (0..n).map(|i| v[[i, k]].norm_sqr()).sum::<f64>().sqrt();
                    assert!(
                        (norm - 1.0).abs() <= 10.0 * n as f64 * f64::EPSILON,
                        "‖v_{k}‖ = {norm}: A = {ad:?}, w = {w:?}, v = {:?}",
                        v.to_vec()
                    );
                    if w[k].im != 0.0 {
                        assert!(
                            k + 1 < n && w[k + 1] == w[k].conj() && w[k].im > 0.0,
                            "pair at {k}: {w:?}"
                        );
                        assert!(
                            (0..n).all(|i| v[[i, k + 1]] == v[[i, k]].conj()),
                            "pair vectors at {k}"
                        );
                        k += 2;
                    } else {
                        k += 1;
                    }
                }
                if tame(&ad) {
                    let fro = ad.iter().map(|x| x * x).sum::<f64>().sqrt();
                    let trace: f64 = (0..n).map(|i| ad[i * n + i]).sum();
                    let sum: f64 = w.iter().map(|z| z.re).sum();
                    let bound = 50.0 * (n * n) as f64 * f64::EPSILON * fro + 1e-300;
                    assert!(
                        (sum - trace).abs() <= bound,
                        "Σλ = {sum} vs trace {trace}: A = {ad:?}"
                    );
                }
            }
        }
        9 => {
            // The rest must answer or refuse cleanly; shapes as numpy's.
            let (_, a) = array(&mut input, m, n);
            if let Ok(p) = linalg::pinv(&a, None, false) {
                assert_eq!(p.shape(), &[n, m]);
            }
            if let Ok(r) = linalg::matrix_rank(&a, None, false) {
                assert!(
                    r.item().is_some_and(|r| r <= m.min(n)),
                    "rank of a {m}×{n} matrix: {r:?}"
                );
            }
            let _ = linalg::cond(&a, None);
            let _ = linalg::norm(&a, Some(linalg::Ord::Nuc), None, false);
            let _ = linalg::norm(&a, Some(linalg::Ord::P(-2.0)), None, false);
        }
        10 => {
            // scipy's LU family and triangular solves: P·L·U = A within LU's normwise bound;
            // lu_factor + lu_solve (both transposes) and solve_triangular answer or refuse;
            // a triangular solve is componentwise backward stable, |b − T·x| ≤ γₙ|T||x|.
            let (ad, a) = array(&mut input, m, n);
            if let Ok(f) = linalg::lu(&a) {
                let k = m.min(n);
                let (p, l, u) = (f.p.to_vec(), f.l.to_vec(), f.u.to_vec());
                if tame(&ad) && tame(&l) && tame(&u) {
                    let plu = mul(&mul(&p, &l, m, m, k), &u, m, k, n);
                    let diff: Vec<f64> = plu.iter().zip(&ad).map(|(x, y)| x - y).collect();
                    let bound =
                        lu_factor(m.max(n)) * inf_norm(&ad, m, n) * (k.max(1) as f64) + 1e-300;
                    assert!(
                        inf_norm(&diff, m, n) <= bound,
                        "‖PLU − A‖ = {}",
                        inf_norm(&diff, m, n)
                    );
                }
            }
            let (_, sq) = array(&mut input, n, n);
            let (bd, b) = array(&mut input, n, 1);
            if let Ok(f) = linalg::lu_factor(&sq) {
                let _ = f.solve(&b);
                let _ = f.solve_transpose(&b);
            }
            let opts = linalg::SolveTriangular {
                lower: input.u8() & 1 == 1,
                ..Default::default()
            };
            if let Ok(x) = linalg::solve_triangular(&sq, &b, opts) {
                let (td, xd) = (sq.to_vec(), x.to_vec());
                if tame(&td) && tame(&bd) && tame(&xd) {
                    let gamma =
                        (n as f64 + 1.0) * f64::EPSILON / (1.0 - (n as f64 + 1.0) * f64::EPSILON);
                    for i in 0..n {
                        let range: Vec<usize> = if opts.lower {
                            (0..=i).collect()
                        } else {
                            (i..n).collect()
                        };
                        let tx: f64 = range.iter().map(|&j| td[i * n + j] * xd[j]).sum();
                        let mag: f64 = range.iter().map(|&j| (td[i * n + j] * xd[j]).abs()).sum();
                        let e = (bd[i] - tx).abs();
                        assert!(
                            e <= 2.0 * gamma * (mag + bd[i].abs()) + 1e-300,
                            "trsv row {i}: {e}"
                        );
                    }
                }
            }
            // Tridiagonal band storage (scipy's (l, u) = (1, 1)): answer or refuse.
            let (_, ab) = array(&mut input, 3, n);
            let _ = linalg::solve_banded((1, 1), &ab, &b);
        }
        _ => {
            let (_, a) = array(&mut input, m, n);
            let (_, b) = array(&mut input, m, 1);
            if let Ok(res) = linalg::lstsq(&a, &b, None) {
                assert!(
                    res.rank <= m.min(n),
                    "rank {} of a {m}×{n} matrix",
                    res.rank
                );
                assert_eq!(res.x.shape(), &[n, 1]);
            }
        }
    }
});
