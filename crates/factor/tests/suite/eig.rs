//! General real eigendecomposition: residuals of `eig`, eigenvalues against closed forms, numpy
//! and faer, the LAPACK conventions of the output (order, packed pairs, normalization), and hard
//! inputs (defective, graded, reducible, clustered, scaled near under/overflow, non-finite), f32
//! and f64, every layout, on every ISA path.
//!
//! Bounds. Balancing, the Householder reduction and the Francis QR are backward stable: the
//! computed Schur form is exact for `A + E` with `‖E‖ ≤ p(n)·ε·‖A‖`, and the back substitution
//! gives each eigenvector a small residual, so `‖A·x − λ·x‖₁ ≤ p(n)·ε·‖A‖₁·‖x‖₁` with a modest
//! `p(n)` (LAPACK's `?get22` test ratio for `geev`, threshold 20 after dividing by `n·ε`): we
//! assert `‖A·x − λ·x‖₁/(‖A‖₁·‖x‖₁·n·ε) ≤ 20` for every eigenpair (complex arithmetic on the
//! packed form). Eigenvalues themselves move by at most `κ(λ)·‖E‖₂` to first order, with
//! `κ(λ) = 1/|yᴴx|` for unit right and left eigenvectors (Wilkinson; Golub & Van Loan §7.2.2):
//! where an exact spectrum is known we assert `|λ̂ − λ| ≤ 20·n·ε·‖A‖₁·κ(λ)` with `κ = 1` for
//! normal matrices, and `κ` estimated from our own left eigenvectors (those of `Aᵀ`) otherwise.
//! For a Jordan block of order `k` the eigenvalue is only determined to `(‖E‖)^{1/k}`.

use crate::common::*;
use lapis_factor::FactorError;
use lapis_factor::eig::{EigParams, eig, eig_with_params, eigvals};
use lapis_factor::eigh::eigvalsh;
use lapis_factor::kernels::{MatMut, MatRef, Par, Scalar, Uplo};

const BOUND: f64 = 20.0;

/// What `eig` returned, widened to f64.
struct Eig {
    wr: Vec<f64>,
    wi: Vec<f64>,
    v: Dense,
}

/// Runs `eig` (with vectors) on `a` stored in `T` with `layout`, and `eigvals`; checks that the
/// input and the gaps around `vr` are untouched.
fn run<T: Scalar>(a: &Dense, layout: Layout, params: &EigParams) -> (Eig, Vec<f64>, Vec<f64>) {
    let n = a.n;
    let s = Stored::<T>::new(a, layout);
    let before = s.to_dense();
    let mut vs = Stored::<T>::new(&Dense::from_fn(n, n, |_, _| f64::NAN), layout);
    let (mut wr, mut wi) = (vec![T::nan(); n], vec![T::nan(); n]);
    eig_with_params(
        s.view(),
        &mut wr,
        &mut wi,
        Some(vs.view_mut()),
        Par::Seq,
        params,
    )
    .expect("eig");
    assert!(vs.gaps_untouched(), "eig wrote outside vr");
    assert_eq!(s.to_dense().data, before.data, "eig modified a");
    let (mut vr, mut vi) = (vec![T::nan(); n], vec![T::nan(); n]);
    eig_with_params(s.view(), &mut vr, &mut vi, None, Par::Seq, params).expect("eigvals");
    let f = |x: &[T]| x.iter().map(|&v| Scalar::to_f64(v)).collect::<Vec<f64>>();
    (
        Eig {
            wr: f(&wr),
            wi: f(&wi),
            v: vs.to_dense(),
        },
        f(&vr),
        f(&vi),
    )
}

/// `(x, λ)` of eigenpair `j` in complex form: `(re, im)` vectors and `(re, im)` value.
fn pair(e: &Eig, j: usize) -> (Vec<f64>, Vec<f64>, f64, f64) {
    let n = e.v.m;
    let col = |c: usize| (0..n).map(|i| e.v.at(i, c)).collect::<Vec<f64>>();
    if e.wi[j] == 0.0 {
        (col(j), vec![0.0; n], e.wr[j], 0.0)
    } else if e.wi[j] > 0.0 {
        (col(j), col(j + 1), e.wr[j], e.wi[j])
    } else {
        let im = col(j).iter().map(|x| -x).collect();
        (col(j - 1), im, e.wr[j], e.wi[j])
    }
}

/// Complex 1-norm `Σ|x_k|`.
fn cnorm1(re: &[f64], im: &[f64]) -> f64 {
    re.iter().zip(im).map(|(a, b)| a.hypot(*b)).sum()
}

/// Max over eigenpairs of `‖A·x − λ·x‖₁/(‖A‖₁·‖x‖₁·n·ε)`.
fn residual(a: &Dense, e: &Eig, eps: f64) -> f64 {
    let n = a.n;
    let an = a.norm1();
    let mut worst = 0.0f64;
    for j in 0..n {
        let (xr, xi, lr, li) = pair(e, j);
        let xr_d = Dense {
            m: n,
            n: 1,
            data: xr.clone(),
        };
        let xi_d = Dense {
            m: n,
            n: 1,
            data: xi.clone(),
        };
        let (axr, axi) = (a.matmul(&xr_d), a.matmul(&xi_d));
        let rr: Vec<f64> = (0..n)
            .map(|k| axr.data[k] - (lr * xr[k] - li * xi[k]))
            .collect();
        let ri: Vec<f64> = (0..n)
            .map(|k| axi.data[k] - (lr * xi[k] + li * xr[k]))
            .collect();
        worst = worst.max(ratio(
            cnorm1(&rr, &ri),
            an * cnorm1(&xr, &xi) * n as f64 * eps,
        ));
    }
    worst
}

/// The `geev` conventions: pairs consecutive with `+` first and equal real parts, `wi == 0`
/// exactly for real eigenvalues (trivially), unit 2-norm vectors whose largest component is
/// real (an exact zero imaginary part at a component of maximal modulus).
fn check_conventions(tag: &str, e: &Eig, eps: f64) {
    let n = e.wr.len();
    let mut j = 0;
    while j < n {
        if e.wi[j] == 0.0 {
            j += 1;
            continue;
        }
        assert!(
            e.wi[j] > 0.0,
            "{tag}: pair at {j} starts with a negative imaginary part"
        );
        assert!(j + 1 < n, "{tag}: unpaired complex eigenvalue");
        assert_eq!(e.wr[j], e.wr[j + 1], "{tag}: pair {j} real parts differ");
        assert_eq!(e.wi[j], -e.wi[j + 1], "{tag}: pair {j} not conjugate");
        j += 2;
    }
    for j in 0..n {
        let (xr, xi, _, li) = pair(e, j);
        let norm = xr.iter().chain(&xi).map(|x| x * x).sum::<f64>().sqrt();
        assert!(
            (norm - 1.0).abs() <= 4.0 * n as f64 * eps,
            "{tag}: vector {j} has norm {norm}"
        );
        if li > 0.0 {
            let mag: Vec<f64> = xr.iter().zip(&xi).map(|(a, b)| a.hypot(*b)).collect();
            let big = mag.iter().cloned().fold(0.0, f64::max);
            let k = (0..n)
                .find(|&k| xi[k] == 0.0 && mag[k] >= big * (1.0 - 4.0 * eps))
                .unwrap_or_else(|| panic!("{tag}: vector {j} has no real largest component"));
            assert!(xr[k] != 0.0, "{tag}: vector {j} component {k}");
        }
    }
}

/// Greedy nearest matching of two spectra: for each `(re, im)` of `x`, the distance to the
/// nearest not yet matched one of `y`, in the order of `x`.
fn match_spectra(x: &[(f64, f64)], y: &[(f64, f64)]) -> Vec<f64> {
    assert_eq!(x.len(), y.len());
    let mut used = vec![false; y.len()];
    x.iter()
        .map(|&(a, b)| {
            let (k, d) = y
                .iter()
                .enumerate()
                .filter(|(k, _)| !used[*k])
                .map(|(k, &(c, d))| (k, (a - c).hypot(b - d)))
                .min_by(|p, q| p.1.total_cmp(&q.1))
                .expect("same length");
            used[k] = true;
            d
        })
        .collect()
}

fn spectrum(wr: &[f64], wi: &[f64]) -> Vec<(f64, f64)> {
    wr.iter().cloned().zip(wi.iter().cloned()).collect()
}

/// Condition numbers `1/|yᵀx|` of the eigenvalues of `e` (unit `x`), from the eigenvectors `y`
/// of `Aᵀ` computed in f64 (the left eigenvectors of `A`, conjugated), matched by value.
fn condition_numbers(a: &Dense, e: &Eig) -> Vec<f64> {
    let n = a.n;
    let (et, _, _) = run::<f64>(&a.t(), Layout::ColMajor, &EigParams::default());
    let mut used = vec![false; n];
    (0..n)
        .map(|j| {
            let (xr, xi, lr, li) = pair(e, j);
            let k = (0..n)
                .filter(|&k| !used[k])
                .min_by(|&p, &q| {
                    let dp = (et.wr[p] - lr).hypot(et.wi[p] - li);
                    let dq = (et.wr[q] - lr).hypot(et.wi[q] - li);
                    dp.total_cmp(&dq)
                })
                .expect("same length");
            used[k] = true;
            let (yr, yi, _, _) = pair(&et, k);
            // yᵀx (no conjugation), both of unit 2-norm.
            let (mut sr, mut si) = (0.0, 0.0);
            for p in 0..n {
                sr += yr[p] * xr[p] - yi[p] * xi[p];
                si += yr[p] * xi[p] + yi[p] * xr[p];
            }
            1.0 / sr.hypot(si)
        })
        .collect()
}

/// The test matrices of the residual and convention checks.
fn catalogue<T: Scalar>() -> Vec<(String, Dense)> {
    let (huge, tiny) = extreme_scale::<T>();
    let mut v: Vec<(String, Dense)> = Vec::new();
    for n in 0..=12usize {
        v.push((format!("random{n}"), Dense::random(n, n, 5000 + n as u64)));
    }
    for &n in &[17usize, 25, 33, 40, 64, 100] {
        v.push((format!("random{n}"), Dense::random(n, n, 5000 + n as u64)));
    }
    v.push(("zero20".into(), Dense::zeros(20, 20)));
    v.push(("identity15".into(), Dense::identity(15)));
    v.push(("jordan12".into(), jordan(12, 2.0)));
    v.push(("jordan_rotated10".into(), rotated(&jordan(10, -1.0), 61)));
    v.push(("kahan30".into(), kahan(30, 1.2)));
    v.push(("kahan_t30".into(), kahan(30, 1.2).t()));
    v.push(("graded40".into(), graded(40, 12.0, 51)));
    v.push(("graded_nonsym30".into(), graded_nonsymmetric(30, 52)));
    v.push(("hessenberg35".into(), hessenberg(35, 53)));
    v.push(("reducible24".into(), reducible(24, 54)));
    v.push(("rotations20".into(), rotation_blocks(20, 55)));
    v.push((
        "companion8".into(),
        companion(&poly_from_roots(&example_roots())),
    ));
    v.push(("circulant16".into(), circulant(16, 56)));
    v.push(("toeplitz_tri40".into(), toeplitz_tri(40, 0.5, 2.0, 0.5)));
    v.push(("toeplitz_cplx30".into(), toeplitz_tri(30, 1.0, -2.0, 0.5)));
    v.push(("repeated30".into(), repeated(30, 57)));
    v.push(("clustered30".into(), clustered(30, 58)));
    v.push(("huge30".into(), Dense::random(30, 30, 59).scaled(huge)));
    v.push(("tiny30".into(), Dense::random(30, 30, 60).scaled(tiny)));
    v.push(("hilbert8".into(), hilbert(8)));
    v
}

/// A single Jordan block of order `n` with eigenvalue `lambda`.
fn jordan(n: usize, lambda: f64) -> Dense {
    Dense::from_fn(n, n, |i, j| {
        if i == j {
            lambda
        } else if j == i + 1 {
            1.0
        } else {
            0.0
        }
    })
}

/// `D·R·D⁻¹` with `D = diag(2^(i·40/n))`-ish grading: the same eigenvalues as `R`, entries
/// spread over many decades (balancing undoes most of it).
fn graded_nonsymmetric(n: usize, seed: u64) -> Dense {
    let r = Dense::random(n, n, seed);
    let d = |i: usize| 10f64.powf(8.0 * i as f64 / n as f64);
    Dense::from_fn(n, n, |i, j| d(i) * r.at(i, j) / d(j))
}

/// A random upper Hessenberg matrix.
fn hessenberg(n: usize, seed: u64) -> Dense {
    let r = Dense::random(n, n, seed);
    Dense::from_fn(n, n, |i, j| if i <= j + 1 { r.at(i, j) } else { 0.0 })
}

/// A random matrix with rows and columns that balancing's permutation isolates: block upper
/// triangular with 1 × 1 blocks at both ends, scrambled by a symmetric permutation.
fn reducible(n: usize, seed: u64) -> Dense {
    let r = Dense::random(n, n, seed);
    let core = 4..n - 4;
    let t = Dense::from_fn(n, n, |i, j| {
        if core.contains(&i) && core.contains(&j) || i <= j {
            r.at(i, j)
        } else {
            0.0
        }
    });
    // A fixed scrambling permutation.
    let p: Vec<usize> = (0..n).map(|i| (i * 7 + 3) % n).collect();
    Dense::from_fn(n, n, |i, j| t.at(p[i], p[j]))
}

/// Block diagonal with random 2 × 2 rotations `ρ·[[cos θ, −sin θ], [sin θ, cos θ]]`, in a random
/// orthogonal basis (a normal matrix with eigenvalues `ρ·e^{±iθ}`).
fn rotation_blocks(n: usize, seed: u64) -> Dense {
    rotated(&rotation_block_diag(n, seed), seed)
}

fn rotation_block_diag(n: usize, seed: u64) -> Dense {
    let mut r = Rng::new(seed);
    let mut d = Dense::zeros(n, n);
    for b in 0..n / 2 {
        let (rho, th) = (1.0 + r.uniform().abs(), 3.0 * r.uniform());
        let k = 2 * b;
        d.set(k, k, rho * th.cos());
        d.set(k, k + 1, -rho * th.sin());
        d.set(k + 1, k, rho * th.sin());
        d.set(k + 1, k + 1, rho * th.cos());
    }
    if n % 2 == 1 {
        d.set(n - 1, n - 1, 0.5);
    }
    d
}

/// The eigenvalues of [`rotation_block_diag`].
fn rotation_block_eigs(n: usize, seed: u64) -> Vec<(f64, f64)> {
    let d = rotation_block_diag(n, seed);
    let mut e = Vec::new();
    for b in 0..n / 2 {
        let k = 2 * b;
        e.push((d.at(k, k), d.at(k + 1, k).abs()));
        e.push((d.at(k, k), -d.at(k + 1, k).abs()));
    }
    if n % 2 == 1 {
        e.push((0.5, 0.0));
    }
    e
}

/// `Q·A·Qᵀ` for a random orthogonal `Q`.
fn rotated(a: &Dense, seed: u64) -> Dense {
    let q = random_orthonormal(a.n, a.n, seed ^ 0x0707);
    q.matmul(a).matmul(&q.t())
}

/// Roots with a complex pair of each kind: `±i`, `−1 ± 2i`, and reals.
fn example_roots() -> Vec<(f64, f64)> {
    vec![
        (1.0, 0.0),
        (-2.0, 0.0),
        (3.0, 0.0),
        (0.5, 0.0),
        (0.0, 1.0),
        (0.0, -1.0),
        (-1.0, 2.0),
        (-1.0, -2.0),
    ]
}

/// Coefficients `c[0..n]` of the monic `∏(x − r)` (real, since the roots are closed under
/// conjugation): `x^n + c[n−1]·x^{n−1} + … + c[0]`.
fn poly_from_roots(roots: &[(f64, f64)]) -> Vec<f64> {
    // Complex coefficients, highest degree last.
    let mut p: Vec<(f64, f64)> = vec![(1.0, 0.0)];
    for &(rr, ri) in roots {
        let mut q = vec![(0.0, 0.0); p.len() + 1];
        for (k, &(a, b)) in p.iter().enumerate() {
            // (x − r)·(a + ib)x^k
            q[k + 1].0 += a;
            q[k + 1].1 += b;
            q[k].0 -= rr * a - ri * b;
            q[k].1 -= rr * b + ri * a;
        }
        p = q;
    }
    p[..roots.len()].iter().map(|c| c.0).collect()
}

/// numpy's `np.polynomial` companion layout: ones on the subdiagonal, `−c` in the last column.
fn companion(c: &[f64]) -> Dense {
    let n = c.len();
    Dense::from_fn(n, n, |i, j| {
        if j == n - 1 {
            -c[i]
        } else if i == j + 1 {
            1.0
        } else {
            0.0
        }
    })
}

/// A random circulant `Σ c_k·P^k` (`P` the cyclic shift).
fn circulant(n: usize, seed: u64) -> Dense {
    let c = Rng::new(seed).vec(n);
    Dense::from_fn(n, n, |i, j| c[(j + n - i) % n])
}

/// Its eigenvalues `Σ_k c_k·ω^{jk}`, `ω = e^{2πi/n}`.
fn circulant_eigs(n: usize, seed: u64) -> Vec<(f64, f64)> {
    let c = Rng::new(seed).vec(n);
    (0..n)
        .map(|j| {
            let (mut re, mut im) = (0.0, 0.0);
            for (k, ck) in c.iter().enumerate() {
                let th = 2.0 * std::f64::consts::PI * (j * k) as f64 / n as f64;
                re += ck * th.cos();
                im += ck * th.sin();
            }
            (re, im)
        })
        .collect()
}

/// Tridiagonal Toeplitz: `a` on the diagonal, `b` below, `c` above.
fn toeplitz_tri(n: usize, a: f64, b: f64, c: f64) -> Dense {
    Dense::from_fn(n, n, |i, j| {
        if i == j {
            a
        } else if i == j + 1 {
            b
        } else if j == i + 1 {
            c
        } else {
            0.0
        }
    })
}

/// `a + 2·√(bc)·cos(kπ/(n+1))`, complex when `bc < 0`.
fn toeplitz_tri_eigs(n: usize, a: f64, b: f64, c: f64) -> Vec<(f64, f64)> {
    let s = 2.0 * (b * c).abs().sqrt();
    (1..=n)
        .map(|k| {
            let t = s * (k as f64 * std::f64::consts::PI / (n + 1) as f64).cos();
            if b * c >= 0.0 { (a + t, 0.0) } else { (a, t) }
        })
        .collect()
}

/// A nonnormal matrix with eigenvalues 1, −2, 3 repeated (diagonalizable: `S·D·S⁻¹` with a
/// well-conditioned `S = I + small random`).
fn repeated(n: usize, seed: u64) -> Dense {
    let d: Vec<f64> = (0..n).map(|i| [1.0, -2.0, 3.0][i % 3]).collect();
    similar_to_diag(&d, seed)
}

/// Eigenvalues `1 + k·1e-9` (a tight cluster) and a few separated ones.
fn clustered(n: usize, seed: u64) -> Dense {
    let d: Vec<f64> = (0..n)
        .map(|i| {
            if i < n - 3 {
                1.0 + i as f64 * 1e-9
            } else {
                i as f64
            }
        })
        .collect();
    similar_to_diag(&d, seed)
}

/// `S·diag(d)·S⁻¹` with `S = I + 0.1·R/√n` (so `‖S − I‖₂ < 0.2` and `κ(S) < 1.5`), computed
/// with `S⁻¹` by the Neumann series to f64 accuracy.
fn similar_to_diag(d: &[f64], seed: u64) -> Dense {
    let n = d.len();
    let e = Dense::random(n, n, seed).scaled(0.1 / (n as f64).sqrt());
    let s = Dense::from_fn(n, n, |i, j| e.at(i, j) + if i == j { 1.0 } else { 0.0 });
    // S⁻¹ = Σ (−E)^k
    let mut inv = Dense::identity(n);
    let mut term = Dense::identity(n);
    for _ in 0..60 {
        term = term.matmul(&e).scaled(-1.0);
        inv = Dense::from_fn(n, n, |i, j| inv.at(i, j) + term.at(i, j));
    }
    let sd = Dense::from_fn(n, n, |i, j| s.at(i, j) * d[j]);
    sd.matmul(&inv)
}

fn catalogue_checks<T: Scalar>(test: &str, layouts: &[Layout]) {
    let eps = T::EPS.to_f64();
    let mut res = Vec::new();
    for (idx, (name, a)) in catalogue::<T>().into_iter().enumerate() {
        let a = a.round_to::<T>();
        for (k, &layout) in layouts.iter().enumerate() {
            if a.n > 40 && k > 0 {
                continue;
            }
            // Alternate the blocked and unblocked Hessenberg reduction and the balancing.
            let params = EigParams {
                balance: (idx + k) % 4 != 3,
                hessenberg_block: [32, 4, 1][(idx + k) % 3],
                hessenberg_crossover: [128, 6, 0][(idx + k) % 3],
            };
            let tag = format!(
                "{}/{name}/{layout:?}/b{}{}",
                T::DTYPE,
                params.hessenberg_block,
                if params.balance { "" } else { "/nobal" }
            );
            let (e, vr, vi) = run::<T>(&a, layout, &params);
            check_conventions(&tag, &e, eps);
            let r = residual(&a, &e, eps);
            assert!(r <= BOUND, "{tag}: residual {r}");
            res.push((tag.clone(), r));
            // The values-only path does the same arithmetic on the active window as the full
            // one (the window's entries never depend on the rest of the matrix), so the
            // eigenvalues are identical, not just close.
            assert_eq!(
                (&vr, &vi),
                (&e.wr, &e.wi),
                "{tag}: eigvals differs from eig"
            );
        }
    }
    report(test, "‖Ax − λx‖₁/(‖A‖₁‖x‖₁·n·ε)", &res);
}

// The catalogue compares eig and eigvals bitwise, which holds only when both run on the same
// kernels: hold the ISA lock so that `every_isa` cannot switch them in between.
#[test]
fn catalogue_f64() {
    let _g = isa_lock();
    catalogue_checks::<f64>("eig catalogue_f64", &LAYOUTS);
}

#[test]
fn catalogue_f32() {
    let _g = isa_lock();
    catalogue_checks::<f32>("eig catalogue_f32", &LAYOUTS);
}

#[test]
fn every_isa() {
    for_each_isa("eig every_isa", |_| {
        catalogue_checks::<f64>("eig every_isa f64", &[Layout::ColMajor]);
        catalogue_checks::<f32>("eig every_isa f32", &[Layout::RowMajor]);
    });
}

/// `eig` in f64 on a column-major copy with the default parameters.
fn eig64(a: &Dense) -> Eig {
    run::<f64>(a, Layout::ColMajor, &EigParams::default()).0
}

/// Asserts that the computed spectrum of `a` matches `exact` within
/// `BOUND·n·ε·scale·κ(λ)` for each eigenvalue; returns the worst ratio.
fn assert_spectrum(tag: &str, e: &Eig, exact: &[(f64, f64)], scale: f64, kappa: &[f64]) -> f64 {
    let n = e.wr.len();
    let eps = f64::EPSILON;
    let d = match_spectra(&spectrum(&e.wr, &e.wi), exact);
    let mut worst = 0.0f64;
    for j in 0..n {
        let q = ratio(d[j], BOUND * n as f64 * eps * scale * kappa[j]);
        assert!(
            q <= 1.0,
            "{tag}: eigenvalue {j} = {} + {}i is {:.3e} from the exact one (κ {:.2e})",
            e.wr[j],
            e.wi[j],
            d[j],
            kappa[j]
        );
        worst = worst.max(q);
    }
    worst
}

#[test]
fn closed_forms() {
    let _g = isa_lock();
    let mut worst = Vec::new();
    // Rotation matrices: cos θ ± i·sin θ, + first.
    for &th in &[0.3f64, 1.0, 2.5, -0.7, std::f64::consts::FRAC_PI_2] {
        let a = Dense::from_fn(2, 2, |i, j| match (i, j) {
            (0, 0) | (1, 1) => th.cos(),
            (0, 1) => -th.sin(),
            _ => th.sin(),
        });
        let e = eig64(&a);
        let exact = [(th.cos(), th.sin().abs()), (th.cos(), -th.sin().abs())];
        worst.push((
            format!("rotation{th}"),
            assert_spectrum("rotation", &e, &exact, 1.0, &[1.0; 2]),
        ));
        assert!(e.wi[0] > 0.0 && e.wi[1] < 0.0);
    }
    // Block diagonal rotations, unrotated: the eigenvalues come out block by block, in order.
    let n = 21;
    let d = rotation_block_diag(n, 71);
    let e = eig64(&d);
    let exact = rotation_block_eigs(n, 71);
    for j in 0..n {
        assert_eq!(e.wr[j], exact[j].0, "block order at {j}");
        assert!(
            (e.wi[j] - exact[j].1).abs() <= 4.0 * f64::EPSILON,
            "block order at {j}"
        );
    }
    // … and in a random orthogonal basis (normal: κ = 1).
    let a = rotated(&d, 72);
    let e = eig64(&a);
    worst.push((
        "rotations21".into(),
        assert_spectrum("rotations", &e, &exact, a.norm1(), &[1.0; 21]),
    ));
    // The cyclic shift: the n-th roots of unity.
    for &n in &[1usize, 2, 3, 7, 16, 33] {
        let p = Dense::from_fn(n, n, |i, j| if (j + 1) % n == i { 1.0 } else { 0.0 });
        let roots: Vec<(f64, f64)> = (0..n)
            .map(|k| {
                let t = 2.0 * std::f64::consts::PI * k as f64 / n as f64;
                (t.cos(), t.sin())
            })
            .collect();
        let e = eig64(&p);
        worst.push((
            format!("shift{n}"),
            assert_spectrum("shift", &e, &roots, 1.0, &vec![1.0; n]),
        ));
    }
    // Random circulants (normal).
    for &n in &[5usize, 16, 40] {
        let c = circulant(n, 73 + n as u64);
        let e = eig64(&c);
        let exact = circulant_eigs(n, 73 + n as u64);
        worst.push((
            format!("circulant{n}"),
            assert_spectrum("circulant", &e, &exact, c.norm1(), &vec![1.0; n]),
        ));
    }
    // Nonsymmetric tridiagonal Toeplitz: real (bc > 0) and complex (bc < 0) spectra. It is
    // diagonally similar to a symmetric (or skew-symmetric plus diagonal) matrix, by D with
    // ratio √(b/c): its eigenvalues are ill-conditioned (κ grows like (b/c)^{n/4}), and
    // balancing cannot help since its row and column norms are already equal. κ from the left
    // eigenvectors.
    for &(n, a, b, c) in &[
        (40usize, 0.5, 1.0, 0.64),
        (25, -1.0, 2.0, 1.125),
        (30, 1.0, -1.0, 0.64),
        (31, 0.0, 0.8, -1.25),
    ] {
        let t = toeplitz_tri(n, a, b, c);
        let e = eig64(&t);
        let exact = toeplitz_tri_eigs(n, a, b, c);
        let kappa = condition_numbers(&t, &e);
        worst.push((
            format!("toeplitz{n}"),
            assert_spectrum("toeplitz", &e, &exact, t.norm1(), &kappa),
        ));
    }
    // Companion matrices of polynomials with known roots (κ from the left eigenvectors).
    for roots in [
        example_roots(),
        vec![(1.0, 0.0), (2.0, 0.0), (3.0, 0.0), (4.0, 0.0)],
        vec![
            (0.5, 0.5),
            (0.5, -0.5),
            (-0.25, 0.0),
            (2.0, 1.0),
            (2.0, -1.0),
        ],
    ] {
        let c = companion(&poly_from_roots(&roots));
        let e = eig64(&c);
        let kappa = condition_numbers(&c, &e);
        worst.push((
            format!("companion{}", roots.len()),
            assert_spectrum("companion", &e, &roots, c.norm1(), &kappa),
        ));
    }
    report("eig closed_forms", "|λ̂ − λ|/(20·n·ε·‖A‖·κ)", &worst);
}

#[test]
fn triangular_and_symmetric() {
    let _g = isa_lock();
    // Upper triangular: balancing isolates every eigenvalue, so they are the diagonal, exactly
    // and in order; lower triangular: the same multiset.
    let r = Dense::random(30, 30, 81);
    let upper = Dense::from_fn(30, 30, |i, j| if i <= j { r.at(i, j) } else { 0.0 });
    let e = eig64(&upper);
    let diag: Vec<f64> = (0..30).map(|i| r.at(i, i)).collect();
    assert_eq!(e.wr, diag);
    assert!(e.wi.iter().all(|&x| x == 0.0));
    let lower = upper.t();
    let e = eig64(&lower);
    let mut got = e.wr.clone();
    let mut want = diag.clone();
    got.sort_by(f64::total_cmp);
    want.sort_by(f64::total_cmp);
    assert_eq!(got, want);
    assert!(e.wi.iter().all(|&x| x == 0.0));
    // Without balancing the Hessenberg reduction and QR see a triangle and leave it alone.
    let (e, _, _) = run::<f64>(
        &upper,
        Layout::RowMajor,
        &EigParams {
            balance: false,
            ..EigParams::default()
        },
    );
    assert_eq!(e.wr, diag);

    // Symmetric inputs: real spectra equal to eigh's (normal, κ = 1), in both precisions.
    for &n in &[5usize, 30, 77] {
        let a = random_symmetric(n, 82 + n as u64);
        let e = eig64(&a);
        let mut w = vec![0.0; n];
        let ad = a.data.clone();
        eigvalsh(
            MatRef::from_col_major(&ad, n, n).unwrap(),
            Uplo::Lower,
            &mut w,
            Par::Seq,
        )
        .unwrap();
        let exact: Vec<(f64, f64)> = w.iter().map(|&x| (x, 0.0)).collect();
        // eigh's own error is of the same order; allow both.
        assert_spectrum("symmetric", &e, &exact, 2.0 * a.norm1(), &vec![1.0; n]);
        let f = a.round_to::<f32>();
        let (e32, _, _) = run::<f32>(&f, Layout::ColMajor, &EigParams::default());
        let d = match_spectra(&spectrum(&e32.wr, &e32.wi), &exact);
        let tol = 2.0 * BOUND * n as f64 * f32::EPSILON as f64 * a.norm1();
        assert!(d.iter().all(|&x| x <= tol), "symmetric f32 n={n}");
    }
}

#[test]
fn defective_and_repeated() {
    let _g = isa_lock();
    let eps = f64::EPSILON;
    // Jordan blocks in a random orthogonal basis: for J_k + E the eigenvalues satisfy
    // θ^k ≤ ‖E‖₂·(1 + θ + … + θ^{k−1}), so θ ≤ (k·‖E‖₂)^{1/k} while θ ≤ 1.
    for &(k, lambda) in &[(2usize, 1.0f64), (3, -2.0), (5, 0.5), (8, 3.0)] {
        let a = rotated(&jordan(k, lambda), 90 + k as u64);
        let e = eig64(&a);
        let norm_e = BOUND * k as f64 * eps * a.norm1();
        let bound = (k as f64 * norm_e).powf(1.0 / k as f64);
        for j in 0..k {
            let d = (e.wr[j] - lambda).hypot(e.wi[j]);
            assert!(d <= bound, "jordan{k}: |λ̂ − λ| = {d:.3e} > {bound:.3e}");
        }
        assert!(e.v.data.iter().all(|x| x.is_finite()));
        assert!(residual(&a, &e, eps) <= BOUND);
    }
    // The plain Jordan block is triangular: exact eigenvalues, vectors finite.
    let e = eig64(&jordan(12, 2.0));
    assert!(e.wr.iter().all(|&x| x == 2.0) && e.wi.iter().all(|&x| x == 0.0));
    assert!(e.v.data.iter().all(|x| x.is_finite()));
    // Zero and identity: every eigenvalue exact, the vectors a unit basis.
    for a in [Dense::zeros(9, 9), Dense::identity(9)] {
        let e = eig64(&a);
        assert!(e.wr.iter().all(|&x| x == a.at(0, 0)) && e.wi.iter().all(|&x| x == 0.0));
        assert_eq!(e.v.data, Dense::identity(9).data);
    }
    // Repeated and clustered eigenvalues of diagonalizable nonnormal matrices (κ(S) < 1.5, so
    // κ(λ) ≤ 1.5² for a multiple eigenvalue's perturbation bound by Bauer–Fike).
    for (name, a, d) in [
        (
            "repeated",
            repeated(30, 57),
            (0..30)
                .map(|i| [1.0, -2.0, 3.0][i % 3])
                .collect::<Vec<f64>>(),
        ),
        (
            "clustered",
            clustered(30, 58),
            (0..30)
                .map(|i| {
                    if i < 27 {
                        1.0 + i as f64 * 1e-9
                    } else {
                        i as f64
                    }
                })
                .collect(),
        ),
    ] {
        let e = eig64(&a);
        let exact: Vec<(f64, f64)> = d.iter().map(|&x| (x, 0.0)).collect();
        assert_spectrum(name, &e, &exact, a.norm1(), &[2.25; 30]);
    }
}

#[test]
fn balancing_matters() {
    let _g = isa_lock();
    let eps = f64::EPSILON;
    // D·R·D⁻¹ with D over 12 decades: the same eigenvalues as R, but ‖A‖ ≈ 1e12·‖R‖. The
    // rounding of A's entries is a componentwise relative perturbation, i.e. a perturbation of
    // R of size ε·‖R‖, so balanced QR recovers R's eigenvalues to κ·n·ε·‖R‖; without balancing,
    // errors of ε·‖A‖ ≈ 1e-4 appear.
    let n = 20;
    let r = Dense::random(n, n, 95);
    let dg = |i: usize| 10f64.powf(12.0 * i as f64 / (n - 1) as f64);
    let a = Dense::from_fn(n, n, |i, j| dg(i) * r.at(i, j) / dg(j));
    let er = eig64(&r);
    let kappa = condition_numbers(&r, &er);
    let exact = spectrum(&er.wr, &er.wi);
    let e = eig64(&a);
    // Both spectra carry an error; allow twice the bound.
    let twice: Vec<f64> = kappa.iter().map(|k| 2.0 * k).collect();
    assert_spectrum("balanced", &e, &exact, r.norm1(), &twice);
    let (unbal, _, _) = run::<f64>(
        &a,
        Layout::ColMajor,
        &EigParams {
            balance: false,
            ..EigParams::default()
        },
    );
    let d = match_spectra(&spectrum(&unbal.wr, &unbal.wi), &exact);
    let worst = d.iter().cloned().fold(0.0, f64::max);
    let kmax = kappa.iter().cloned().fold(0.0, f64::max);
    eprintln!(
        "graded: unbalanced error {worst:.2e}, bound {:.2e}",
        2.0 * BOUND * n as f64 * eps * r.norm1() * kmax
    );
    assert!(worst > 2.0 * BOUND * n as f64 * eps * r.norm1() * kmax);
    // The residual of the balanced run stays small relative to ‖A‖.
    assert!(residual(&a, &e, eps) <= BOUND);
}

#[test]
fn extreme_scaling() {
    let _g = isa_lock();
    // s·R has the eigenvalues s·λ(R): exact power-of-2 scalings near the ends of the range,
    // and decimal ones (1e±150, 1e±300) whose rounding is relative.
    fn check<T: Scalar>(scales: &[f64]) {
        let eps = T::EPS.to_f64();
        let n = 25;
        let r = Dense::random(n, n, 99).round_to::<T>();
        let (er, _, _) = run::<T>(&r, Layout::ColMajor, &EigParams::default());
        let kappa = condition_numbers(&r, &er);
        for &s in scales {
            let a = r.scaled(s).round_to::<T>();
            let (e, _, _) = run::<T>(&a, Layout::RowMajor, &EigParams::default());
            assert!(e.wr.iter().chain(&e.wi).all(|x| x.is_finite()), "{s:e}");
            let exact: Vec<(f64, f64)> = er
                .wr
                .iter()
                .zip(&er.wi)
                .map(|(x, y)| (x * s, y * s))
                .collect();
            let d = match_spectra(&spectrum(&e.wr, &e.wi), &exact);
            for j in 0..n {
                // Both runs err by up to BOUND·n·ε·‖·‖·κ, plus the rounding of s·R; where s·R
                // is subnormal, its entries and the eigenvalues are rounded to multiples of the
                // smallest subnormal `tiny` instead.
                let tiny = if eps < 1e-10 {
                    2f64.powi(-1074)
                } else {
                    2f64.powi(-149)
                };
                let tol = 3.0 * BOUND * n as f64 * eps * a.norm1() * kappa[j]
                    + 4.0 * n as f64 * kappa[j] * tiny;
                assert!(
                    d[j] <= tol,
                    "{} scale {s:e}: {:.3e} > {tol:.3e}",
                    T::DTYPE,
                    d[j]
                );
            }
            if a.norm1() < f64::MAX / 1e3 && a.norm1() > 1e3 * f64::MIN_POSITIVE / eps {
                assert!(residual(&a, &e, eps) <= BOUND, "{s:e}");
            }
        }
    }
    check::<f64>(&[
        1e300,
        1e-300,
        1e150,
        1e-150,
        2f64.powi(1000),
        2f64.powi(-1000),
        2f64.powi(-1060),
    ]);
    check::<f32>(&[1e30, 1e-30, 1e15, 1e-15, 2f64.powi(120), 2f64.powi(-120)]);
}

#[test]
fn random_sizes() {
    let _g = isa_lock();
    fn sweep<T: Scalar>(sizes: impl Iterator<Item = usize>, seed: u64) -> Vec<(String, f64)> {
        let eps = T::EPS.to_f64();
        let mut out = Vec::new();
        for n in sizes {
            let a = Dense::random(n, n, seed + n as u64).round_to::<T>();
            let (e, vr, vi) = run::<T>(&a, Layout::ColMajor, &EigParams::default());
            let tag = format!("{}/random{n}", T::DTYPE);
            check_conventions(&tag, &e, eps);
            assert_eq!((&vr, &vi), (&e.wr, &e.wi), "{tag}");
            let r = residual(&a, &e, eps);
            assert!(r <= BOUND, "{tag}: residual {r}");
            out.push((tag, r));
        }
        out
    }
    let mut all = sweep::<f64>(0..=40, 7000);
    all.extend(sweep::<f32>(0..=40, 7100));
    all.extend(sweep::<f64>([100usize, 173, 300].into_iter(), 7200));
    all.extend(sweep::<f32>([129usize, 200].into_iter(), 7300));
    report("eig random_sizes", "‖Ax − λx‖₁/(‖A‖₁‖x‖₁·n·ε)", &all);
}

#[test]
fn parallel_and_strided() {
    let _g = isa_lock();
    let eps = f64::EPSILON;
    let a = Dense::random(200, 200, 111);
    let s = Stored::<f64>::new(&a, Layout::Strided);
    let (mut wr, mut wi) = (vec![0.0; 200], vec![0.0; 200]);
    let mut v = Stored::<f64>::new(&Dense::zeros(200, 200), Layout::NegCols);
    eig(
        s.view(),
        &mut wr,
        &mut wi,
        Some(v.view_mut()),
        Par::Rayon(2),
    )
    .unwrap();
    let e = Eig {
        wr,
        wi,
        v: v.to_dense(),
    };
    check_conventions("parallel", &e, eps);
    let r = residual(&a, &e, eps);
    eprintln!("eig parallel n=200: residual {r:.3e}");
    assert!(r <= BOUND);
}

#[test]
fn faer_oracle() {
    let _g = isa_lock();
    let mut worst = Vec::new();
    for &(n, seed) in &[(10usize, 1u64), (37, 2), (80, 3), (150, 4)] {
        let a = Dense::random(n, n, 8000 + seed);
        let fm = faer::Mat::<f64>::from_fn(n, n, |i, j| a.at(i, j));
        let fe: Vec<(f64, f64)> = fm
            .eigenvalues()
            .expect("faer eigenvalues")
            .iter()
            .map(|c| (c.re, c.im))
            .collect();
        let e = eig64(&a);
        let kappa: Vec<f64> = condition_numbers(&a, &e).iter().map(|k| 2.0 * k).collect();
        worst.push((
            format!("random{n}"),
            assert_spectrum("faer", &e, &fe, a.norm1(), &kappa),
        ));
    }
    report("eig faer_oracle", "|λ − λ_faer|/(40·n·ε·‖A‖·κ)", &worst);
}

/// `(n, seed, numpy's eigenvalues as (re, im))`.
type NumpyCase = (usize, u64, &'static [(f64, f64)]);

#[test]
fn numpy_oracle() {
    let _g = isa_lock();
    // numpy 2.x (OpenBLAS LAPACK dgeev) eigenvalues of Dense::random(n, n, seed), generated by
    // tests/suite/data/eig_numpy.py (which reimplements the xorshift generator of
    // tests/suite/common).
    let cases: &[NumpyCase] = &include!("data/eig_numpy.txt");
    let mut worst = Vec::new();
    for &(n, seed, want) in cases {
        let a = Dense::random(n, n, seed);
        let e = eig64(&a);
        let kappa: Vec<f64> = condition_numbers(&a, &e).iter().map(|k| 2.0 * k).collect();
        worst.push((
            format!("random{n}"),
            assert_spectrum("numpy", &e, want, a.norm1(), &kappa),
        ));
        // numpy's order is the Schur form's, as ours, for these small sizes (LAPACK uses the
        // same double-shift QR below n = 75): compare in order where no two eigenvalues are
        // close enough for rounding to swap them.
        if n < 75 {
            for j in 0..n {
                let d = (e.wr[j] - want[j].0).hypot(e.wi[j] - want[j].1);
                assert!(d <= 1e-8 * a.norm1(), "numpy order n={n} at {j}");
            }
        }
    }
    report("eig numpy_oracle", "|λ − λ_numpy|/(40·n·ε·‖A‖·κ)", &worst);
}

#[test]
fn errors_and_shapes() {
    let _g = isa_lock();
    let a = [1.0f64, 2.0, 3.0, 4.0, 5.0, 6.0];
    let (mut wr, mut wi) = ([0.0; 3], [0.0; 3]);
    let r = eigvals(
        MatRef::from_col_major(&a, 3, 2).unwrap(),
        &mut wr,
        &mut wi,
        Par::Seq,
    );
    assert_eq!(r, Err(FactorError::NotSquare { nrows: 3, ncols: 2 }));
    let sq = [1.0f64, 2.0, 3.0, 4.0];
    let m = MatRef::from_col_major(&sq, 2, 2).unwrap();
    let r = eigvals(m, &mut wr, &mut wi[..2], Par::Seq);
    assert_eq!(
        r,
        Err(FactorError::Shape {
            op: "eig::eig",
            shapes: vec![("a", (2, 2)), ("wr", (3, 1)), ("wi", (2, 1))]
        })
    );
    let mut v = [0.0; 6];
    let r = eig(
        m,
        &mut wr[..2],
        &mut wi[..2],
        Some(MatMut::from_col_major(&mut v, 2, 3).unwrap()),
        Par::Seq,
    );
    assert_eq!(
        r,
        Err(FactorError::Shape {
            op: "eig::eig",
            shapes: vec![
                ("a", (2, 2)),
                ("wr", (2, 1)),
                ("wi", (2, 1)),
                ("vr", (2, 3))
            ]
        })
    );
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let x = [1.0, bad, 0.0, 1.0];
        let mut v = [7.0; 4];
        let r = eig(
            MatRef::from_col_major(&x, 2, 2).unwrap(),
            &mut wr[..2],
            &mut wi[..2],
            Some(MatMut::from_col_major(&mut v, 2, 2).unwrap()),
            Par::Seq,
        );
        assert_eq!(r, Err(FactorError::NonFinite));
        assert_eq!(v, [7.0; 4], "vr untouched on error");
    }
    let xf = [1.0f32, 0.0, f32::NAN, 1.0];
    let (mut wr32, mut wi32) = ([0.0f32; 2], [0.0f32; 2]);
    assert_eq!(
        eigvals(
            MatRef::from_col_major(&xf, 2, 2).unwrap(),
            &mut wr32,
            &mut wi32,
            Par::Seq
        ),
        Err(FactorError::NonFinite)
    );
    // 0 × 0 and 1 × 1.
    let empty: [f64; 0] = [];
    let mut v0: [f64; 0] = [];
    eig(
        MatRef::from_col_major(&empty, 0, 0).unwrap(),
        &mut [],
        &mut [],
        Some(MatMut::from_col_major(&mut v0, 0, 0).unwrap()),
        Par::Seq,
    )
    .unwrap();
    let one = [-3.5f64];
    let (mut w1, mut i1, mut v1) = ([0.0], [9.0], [0.0]);
    eig(
        MatRef::from_col_major(&one, 1, 1).unwrap(),
        &mut w1,
        &mut i1,
        Some(MatMut::from_col_major(&mut v1, 1, 1).unwrap()),
        Par::Seq,
    )
    .unwrap();
    assert_eq!((w1, i1, v1), ([-3.5], [0.0], [1.0]));
}

/// Block diagonal of Jordan blocks of orders 1–4 with distinct eigenvalues, in a random
/// orthogonal basis (defective, nonnormal).
fn jordan_blocks(n: usize, seed: u64) -> Dense {
    let mut d = Dense::zeros(n, n);
    let (mut i, mut b) = (0, 0);
    while i < n {
        let k = (1 + b % 4).min(n - i);
        let lambda = -2.0 + 4.0 * b as f64 / n as f64;
        for p in 0..k {
            d.set(i + p, i + p, lambda);
            if p + 1 < k {
                d.set(i + p, i + p + 1, 1.0);
            }
        }
        i += k;
        b += 1;
    }
    rotated(&d, seed)
}

#[test]
fn multishift_sizes() {
    let _g = isa_lock();
    // Active windows of at least 75 rows go through the multishift QR with aggressive early
    // deflation (the double-shift code only finishes small blocks): the same residual bound,
    // conventions and eig/eigvals identity as the small sizes, and closed-form spectra.
    fn check<T: Scalar>(tag: &str, a: &Dense) -> (Eig, f64) {
        let eps = T::EPS.to_f64();
        let a = a.round_to::<T>();
        let (e, vr, vi) = run::<T>(&a, Layout::ColMajor, &EigParams::default());
        let tag = format!("{}/{tag}", T::DTYPE);
        check_conventions(&tag, &e, eps);
        assert_eq!(
            (&vr, &vi),
            (&e.wr, &e.wi),
            "{tag}: eigvals differs from eig"
        );
        let r = residual(&a, &e, eps);
        assert!(r <= BOUND, "{tag}: residual {r}");
        (e, r)
    }
    let mut all = Vec::new();
    // Under emulation one size above the multishift crossover (75) keeps the path covered.
    let sizes: &[usize] = if emulated() { &[150] } else { &[150, 300, 600] };
    for &n in sizes {
        let s = 9000 + n as u64;
        let mut cases = vec![
            (format!("random{n}"), Dense::random(n, n, s)),
            (format!("hessenberg{n}"), hessenberg(n, s + 1)),
            (format!("graded{n}"), graded_nonsymmetric(n, s + 2)),
            (format!("jordan_blocks{n}"), jordan_blocks(n, s + 3)),
        ];
        if n < 600 {
            cases.push((format!("repeated{n}"), repeated(n, s + 4)));
        }
        for (tag, a) in &cases {
            all.push((tag.clone(), check::<f64>(tag, a).1));
            if n < 600 {
                let digits = tag.find(|c: char| c.is_ascii_digit()).unwrap_or(tag.len());
                let tag32 = format!("{}_f32{}", &tag[..digits], &tag[digits..]);
                all.push((tag32, check::<f32>(tag, a).1));
            }
        }
        // Normal with known eigenvalues ρ·e^{±iθ}: κ = 1.
        let a = rotation_blocks(n, s + 5);
        let (e, r) = check::<f64>("rotations", &a);
        all.push((format!("rotations{n}"), r));
        let exact = rotation_block_eigs(n, s + 5);
        assert_spectrum("rotations", &e, &exact, a.norm1(), &vec![1.0; n]);
        // Circulant (normal, eigenvalues the DFT of its first row) and the cyclic shift (the
        // n-th roots of unity: unit modulus, no dominant eigenvalue, every shift strategy stalls
        // on it without exceptional shifts).
        let a = circulant(n, s + 7);
        let (e, r) = check::<f64>("circulant", &a);
        all.push((format!("circulant{n}"), r));
        assert_spectrum(
            "circulant",
            &e,
            &circulant_eigs(n, s + 7),
            a.norm1(),
            &vec![1.0; n],
        );
        let a = Dense::from_fn(n, n, |i, j| if (j + 1) % n == i { 1.0 } else { 0.0 });
        let (e, r) = check::<f64>("cyclic", &a);
        all.push((format!("cyclic{n}"), r));
        let roots: Vec<(f64, f64)> = (0..n)
            .map(|k| {
                let th = 2.0 * std::f64::consts::PI * k as f64 / n as f64;
                (th.cos(), th.sin())
            })
            .collect();
        assert_spectrum("cyclic", &e, &roots, a.norm1(), &vec![1.0; n]);
        // Near the ends of the exponent range (scaled by a power of 2 into range first).
        if n == 150 {
            let (huge, tiny) = extreme_scale::<f64>();
            for (tag, f) in [("huge", huge), ("tiny", tiny)] {
                let a = Dense::random(n, n, s + 8).scaled(f);
                all.push((format!("{tag}{n}"), check::<f64>(tag, &a).1));
            }
        }
        // A tight cluster 1 + k·1e-9 and separated eigenvalues, κ(S) < 1.5.
        if n < 600 {
            let a = clustered(n, s + 6);
            let (e, r) = check::<f64>("clustered", &a);
            all.push((format!("clustered{n}"), r));
            let exact: Vec<(f64, f64)> = (0..n)
                .map(|i| {
                    if i < n - 3 {
                        (1.0 + i as f64 * 1e-9, 0.0)
                    } else {
                        (i as f64, 0.0)
                    }
                })
                .collect();
            assert_spectrum("clustered", &e, &exact, a.norm1(), &vec![2.25; n]);
        }
    }
    report("eig multishift_sizes", "‖Ax − λx‖₁/(‖A‖₁‖x‖₁·n·ε)", &all);
}
