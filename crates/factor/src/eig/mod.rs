//! General (nonsymmetric) real eigendecomposition: `A·V = V·Λ` with `Λ` complex in general
//! (numpy's `eig` / `eigvals`, LAPACK `geev`).
//!
//! Four stages, as in LAPACK: balancing `A ← D⁻¹·Pᵀ·A·P·D` (`balance`, `gebal`: isolates
//! eigenvalues by permutation and equilibrates rows and columns by powers of 2); Householder
//! reduction to upper Hessenberg form `A = Q·H·Qᵀ` (`hessenberg`, blocked `gehrd` with half of
//! its flops in GEMM, and `orghr`); the real Schur form `H = Z'·T·Z'ᵀ` by small-bulge multishift
//! QR with aggressive early deflation for large active blocks (`multishift`, `deflation`,
//! `reorder`: `laqr0`, `laqr3`, `laqr5`, `trexc`) and Francis double-shift QR for small ones
//! (`schur`, `lahqr`), accumulated into `Z = Q·Z'`; and the eigenvectors of the quasi-triangular
//! `T` by back substitution, multiplied by `Z` with GEMM and un-balanced (`vectors`, `trevc3`,
//! `gebak`). Inputs whose largest entry is near overflow or underflow are scaled by a power of 2
//! first (exact), and the eigenvalues scaled back.
//!
//! Results follow `geev`: eigenvalues `wr[j] + i·wi[j]` in the order of the diagonal of the
//! Schur form, complex conjugate pairs consecutive with the positive imaginary part first, `wi`
//! exactly zero for real eigenvalues; eigenvectors in LAPACK's packed real form (for a pair at
//! `j, j+1`, `V[:, j] ± i·V[:, j+1]` belong to `wr[j] ± i·wi[j]`), each of Euclidean norm 1 with
//! its largest component real.

pub(crate) mod balance;
mod deflation;
mod hessenberg;
mod multishift;
mod reorder;
mod schur;
mod vectors;
mod window;

use lapis_kernels::{MatMut, MatRef, Par, Scalar, iamax, nrm2, rot, rotg};

use crate::FactorError;
use crate::plane::{safe_range_exponent, scale_pow2};

/// Tuning of [`eig_with_params`]. `balance` changes the result (within rounding for well
/// conditioned problems; much more accurately with it for badly scaled ones); the rest only
/// change rounding.
///
/// ```
/// use lapis_factor::eig::EigParams;
/// assert!(EigParams::default().balance); // as numpy (LAPACK geev balances)
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct EigParams {
    /// Balance (permute and scale) before reducing, as `geev` does (`gebal` with `'B'`); when
    /// `false`, only the permutation that isolates eigenvalues is applied (`'P'`).
    pub balance: bool,
    /// Panel width of the blocked Hessenberg reduction (`1` disables blocking).
    pub hessenberg_block: usize,
    /// The Hessenberg reduction is unblocked once at most this many columns remain.
    pub hessenberg_crossover: usize,
}

impl Default for EigParams {
    fn default() -> Self {
        EigParams {
            balance: true,
            hessenberg_block: 32,
            hessenberg_crossover: 128,
        }
    }
}

/// Eigenvalues `wr[j] + i·wi[j]` and, when `vr` is given, right eigenvectors of the real square
/// `a` (any strides; not modified), with LAPACK `geev`'s conventions (see the
/// [module documentation](self)).
///
/// `wr` and `wi` must have length `n`; `vr` (any strides, previous contents ignored) must be
/// `n × n`. For a real `wr[j]` (`wi[j] == 0`), `vr[:, j]` is its eigenvector; for a pair
/// (`wi[j] > 0`, `wi[j+1] = −wi[j]`), `vr[:, j] + i·vr[:, j+1]` is the eigenvector of
/// `wr[j] + i·wi[j]` and its conjugate that of `wr[j+1] + i·wi[j+1]`.
///
/// Errors: [`FactorError::NotSquare`], [`FactorError::Shape`] (naming `a`, `wr`, `wi` and
/// `vr`), [`FactorError::NonFinite`] (NaN or infinity in `a`), [`FactorError::NoConvergence`]
/// (the QR iteration did not converge; LAPACK's `info > 0`).
///
/// ```
/// use lapis_factor::eig::eig;
/// use lapis_factor::kernels::{MatMut, MatRef, Par};
/// // numpy: w, v = np.linalg.eig([[0, -1], [1, 0]])  →  w = [1j, -1j]
/// let a = [0.0f64, -1.0, 1.0, 0.0]; // row-major
/// let (mut wr, mut wi, mut v) = ([0.0; 2], [0.0; 2], [0.0; 4]);
/// eig(
///     MatRef::from_row_major(&a, 2, 2).unwrap(),
///     &mut wr,
///     &mut wi,
///     Some(MatMut::from_row_major(&mut v, 2, 2).unwrap()),
///     Par::Seq,
/// )
/// .unwrap();
/// assert_eq!(wr, [0.0, 0.0]);
/// assert!((wi[0] - 1.0).abs() < 1e-15 && wi[1] == -wi[0]);
/// // The eigenvector of +i is x = v[:, 0] + i·v[:, 1], of unit norm: A·x = i·x.
/// let (xr, xi) = ([v[0], v[2]], [v[1], v[3]]);
/// for r in 0..2 {
///     let (ar, ai) = (a[2 * r] * xr[0] + a[2 * r + 1] * xr[1], a[2 * r] * xi[0] + a[2 * r + 1] * xi[1]);
///     assert!((ar + xi[r]).abs() < 1e-15 && (ai - xr[r]).abs() < 1e-15);
/// }
/// assert!((xr[0].powi(2) + xr[1].powi(2) + xi[0].powi(2) + xi[1].powi(2) - 1.0).abs() < 1e-15);
/// ```
pub fn eig<T: Scalar>(
    a: MatRef<'_, T>,
    wr: &mut [T],
    wi: &mut [T],
    vr: Option<MatMut<'_, T>>,
    par: Par,
) -> Result<(), FactorError> {
    eig_with_params(a, wr, wi, vr, par, &EigParams::default())
}

/// Eigenvalues only (numpy's `eigvals`, LAPACK `geev` with `jobvr = 'N'`): [`eig`] without
/// vectors, which skips forming `Q` and updates only the active part of the Hessenberg matrix.
///
/// ```
/// use lapis_factor::eig::eigvals;
/// use lapis_factor::kernels::{MatRef, Par};
/// // numpy: np.linalg.eigvals([[2, 1], [0, 3]])  →  [2, 3]
/// let a = [2.0f64, 1.0, 0.0, 3.0];
/// let (mut wr, mut wi) = ([0.0; 2], [0.0; 2]);
/// eigvals(MatRef::from_row_major(&a, 2, 2).unwrap(), &mut wr, &mut wi, Par::Seq).unwrap();
/// assert_eq!((wr, wi), ([2.0, 3.0], [0.0, 0.0]));
/// ```
pub fn eigvals<T: Scalar>(
    a: MatRef<'_, T>,
    wr: &mut [T],
    wi: &mut [T],
    par: Par,
) -> Result<(), FactorError> {
    eig_with_params(a, wr, wi, None, par, &EigParams::default())
}

/// [`eig`] with explicit parameters.
///
/// ```
/// use lapis_factor::eig::{eig_with_params, EigParams};
/// use lapis_factor::kernels::{MatRef, Par};
/// // Without balancing (scipy.linalg.eig has no such switch; LAPACK geevx with balanc = 'P').
/// let params = EigParams { balance: false, ..EigParams::default() };
/// let a = [1.0f64, 2.0, 3.0, 4.0];
/// let (mut wr, mut wi) = ([0.0; 2], [0.0; 2]);
/// eig_with_params(MatRef::from_row_major(&a, 2, 2).unwrap(), &mut wr, &mut wi, None, Par::Seq, &params)
///     .unwrap();
/// // (5 ∓ √33)/2
/// let mut w = wr;
/// w.sort_by(f64::total_cmp);
/// assert!((w[0] - (5.0 - 33f64.sqrt()) / 2.0).abs() < 1e-14);
/// assert!((w[1] - (5.0 + 33f64.sqrt()) / 2.0).abs() < 1e-14);
/// ```
pub fn eig_with_params<T: Scalar>(
    a: MatRef<'_, T>,
    wr: &mut [T],
    wi: &mut [T],
    vr: Option<MatMut<'_, T>>,
    par: Par,
    params: &EigParams,
) -> Result<(), FactorError> {
    let n = crate::util::check_square(a)?;
    if wr.len() != n || wi.len() != n || vr.as_ref().is_some_and(|v| v.shape() != (n, n)) {
        let mut shapes = vec![("a", (n, n)), ("wr", (wr.len(), 1)), ("wi", (wi.len(), 1))];
        if let Some(v) = &vr {
            shapes.push(("vr", v.shape()));
        }
        return Err(FactorError::Shape {
            op: "eig::eig",
            shapes,
        });
    }
    let mut h = a.to_col_major_vec();
    let mut anorm = T::zero();
    for x in &h {
        if !x.is_finite() {
            return Err(FactorError::NonFinite);
        }
        anorm = anorm.max(x.abs());
    }
    if n == 0 {
        return Ok(());
    }
    let exponent = safe_range_exponent(anorm);
    scale_pow2(&mut h, exponent);

    let bal = balance::balance(&mut h, n, params.balance);
    let (lo, hi) = (bal.lo, bal.hi);
    let mut tau = vec![T::zero(); hi.saturating_sub(lo + 1)];
    hessenberg::reduce(
        &mut h,
        n,
        lo,
        hi,
        &mut tau,
        params.hessenberg_block,
        params.hessenberg_crossover,
        par,
    )?;
    let mut z = match vr {
        Some(_) => {
            let mut z = vec![T::zero(); n * n];
            hessenberg::form_q(&h, n, lo, hi, &tau, &mut z, par)?;
            Some(z)
        }
        None => None,
    };
    // The reflectors below the subdiagonal are no longer needed; the QR sweeps and the
    // eigenvector solves read zeros there.
    for j in 0..n {
        for i in j + 2..n {
            h[i + j * n] = T::zero();
        }
    }
    let want_vectors = z.is_some();
    schur::schur(
        &mut h,
        n,
        lo,
        hi,
        wr,
        wi,
        z.as_deref_mut(),
        want_vectors,
        par,
    )?;

    if let (Some(mut vr), Some(z)) = (vr, z) {
        let mut v = vec![T::zero(); n * n];
        vectors::right_eigenvectors(&h, n, &z, &mut v, par)?;
        balance::undo(&mut v, n, n, &bal);
        normalize(&mut v, n, wi);
        vr.copy_from(MatRef::from_col_major(&v, n, n).expect("n × n"));
    }
    scale_pow2(wr, -exponent);
    let pairs: Vec<usize> = (0..n).filter(|&j| wi[j] > T::zero()).collect();
    scale_pow2(wi, -exponent);
    // A complex pair of a matrix scaled up from the subnormal range can have an imaginary
    // part that underflows to zero when scaled back. `vr` stores the pair as one (real and
    // imaginary columns), so the pair must stay a pair: the smallest subnormal of the
    // right sign, an error below half of it.
    let tiny = T::MIN_POSITIVE * T::EPS;
    for j in pairs {
        if wi[j] == T::zero() {
            wi[j] = tiny;
            wi[j + 1] = -tiny;
        }
    }
    Ok(())
}

/// Each eigenvector (pair) to Euclidean norm 1 and, for a pair, rotated by a unit complex
/// factor that makes its largest-magnitude component real (LAPACK `geev`).
fn normalize<T: Scalar>(v: &mut [T], n: usize, wi: &[T]) {
    let mut vm = MatMut::from_col_major(v, n, n).expect("n × n");
    let mut j = 0;
    while j < n {
        if wi[j] == T::zero() || j + 1 == n {
            let s = T::one() / nrm2(vm.as_ref().col(j));
            lapis_kernels::scal(s, vm.rb().col_mut(j));
            j += 1;
            continue;
        }
        let (left, right) = vm.rb().split_at_col(j + 1);
        let (mut re, mut im) = (left.col_mut(j), right.col_mut(0));
        let s = T::one() / nrm2(re.as_ref()).hypot(nrm2(im.as_ref()));
        lapis_kernels::scal(s, re.rb());
        lapis_kernels::scal(s, im.rb());
        let mag: Vec<T> = (0..n)
            .map(|i| {
                let (x, y) = (re.as_ref().get(i, 0), im.as_ref().get(i, 0));
                x * x + y * y
            })
            .collect();
        let k = iamax(MatRef::from_col_major(&mag, n, 1).expect("vector")).unwrap_or(0);
        let (c, s, _) = rotg(re.as_ref().get(k, 0), im.as_ref().get(k, 0));
        rot(re, im.rb(), c, s).expect("two columns of one matrix");
        im.write(k, 0, T::zero());
        j += 2;
    }
}
