//! OpenBLAS's LAPACK (Fortran ABI) for the factorization ops: `?gesv`, `?getrf`, `?getri`,
//! `?potrf`, `?geqrf`, `?gelsd`, `?gelsy`, `?syevd`, `?gesdd`, `?geev`.
//!
//! Every argument is passed by pointer, matrices are column-major, and integers are `i32`
//! (LP64) or `i64` (ILP64, [`OpenBlas::ilp64`]). Routines are resolved by name on each call
//! through [`OpenBlas::lapack_symbol`] (`dgetrf_` → `scipy_dgetrf_` in scipy-openblas); the
//! look-up costs well under a microsecond, small against the smallest factorization timed.
//! Workspaces are sized once by LAPACK's own query (`lwork = -1`) and kept by the caller, as
//! a careful C caller (numpy's `umath_linalg`) does.

use core::ffi::c_char;

use crate::BenchScalar;
use crate::openblas::OpenBlas;
use crate::ops::Dtype;

/// A LAPACK integer: `i32` (LP64) or `i64` (ILP64).
pub trait LapackInt: Copy + Default + PartialEq + core::fmt::Debug + Send + Sync + 'static {
    /// `-1` (the workspace-query value of `lwork`).
    const MINUS_ONE: Self;
    /// Converts a dimension, failing when it does not fit.
    fn from_usize(x: usize) -> Result<Self, String>;
    /// Widens to `i64`.
    fn to_i64(self) -> i64;
}

impl LapackInt for i32 {
    const MINUS_ONE: Self = -1;
    fn from_usize(x: usize) -> Result<Self, String> {
        i32::try_from(x).map_err(|_| format!("{x} overflows a 32-bit LAPACK integer"))
    }
    fn to_i64(self) -> i64 {
        i64::from(self)
    }
}

impl LapackInt for i64 {
    const MINUS_ONE: Self = -1;
    fn from_usize(x: usize) -> Result<Self, String> {
        i64::try_from(x).map_err(|_| format!("{x} overflows a 64-bit LAPACK integer"))
    }
    fn to_i64(self) -> i64 {
        self
    }
}

/// An integer buffer in both widths; the call uses the one matching the library.
#[derive(Clone, Debug, Default)]
pub struct IntBuf {
    lp64: Vec<i32>,
    ilp64: Vec<i64>,
}

impl IntBuf {
    /// `len` zeros in both widths.
    pub fn new(len: usize) -> Self {
        IntBuf {
            lp64: vec![0; len],
            ilp64: vec![0; len],
        }
    }

    /// Whether the first `len` 1-based pivots of [`getrf`] (in the width `ob` uses) make an
    /// odd permutation: the number of `i` with `ipiv[i] ≠ i + 1` is odd.
    pub fn odd_permutation(&self, ob: &OpenBlas, len: usize) -> bool {
        let swaps = if ob.ilp64 {
            self.ilp64[..len]
                .iter()
                .enumerate()
                .filter(|&(i, &p)| p != i as i64 + 1)
                .count()
        } else {
            self.lp64[..len]
                .iter()
                .enumerate()
                .filter(|&(i, &p)| i64::from(p) != i as i64 + 1)
                .count()
        };
        swaps % 2 == 1
    }
}

/// Picks the buffer of the library's integer width.
trait Pick: LapackInt {
    fn pick(buf: &mut IntBuf) -> &mut Vec<Self>;
}

impl Pick for i32 {
    fn pick(buf: &mut IntBuf) -> &mut Vec<i32> {
        &mut buf.lp64
    }
}

impl Pick for i64 {
    fn pick(buf: &mut IntBuf) -> &mut Vec<i64> {
        &mut buf.ilp64
    }
}

/// `s…` or `d…`: the routine name for the element type.
fn routine<T: BenchScalar>(base: &str) -> String {
    match <T as BenchScalar>::DTYPE {
        Dtype::F32 => format!("s{base}"),
        Dtype::F64 => format!("d{base}"),
    }
}

/// Resolves `?base` with the fn-pointer type `F`.
///
/// # Safety
/// `F` must be the routine's exact Fortran-ABI signature for `T` and this library's integer
/// width; the pointer must not be called after `ob` is dropped.
unsafe fn resolve<T: BenchScalar, F: Copy>(ob: &OpenBlas, base: &str) -> Result<F, String> {
    let name = routine::<T>(base);
    // SAFETY: forwarded to the caller (see this function's contract).
    unsafe { ob.lapack_symbol::<F>(&name) }
        .ok_or_else(|| format!("OpenBLAS lacks {}", ob.symbol_name(&name)))
}

fn check_info<I: LapackInt>(what: &str, info: I) -> Result<(), String> {
    match info.to_i64() {
        0 => Ok(()),
        i if i < 0 => Err(format!("{what}: argument {} is invalid", -i)),
        i => Err(format!("{what}: info = {i}")),
    }
}

/// LAPACK's optimal workspace size, returned in `work[0]` by a query.
fn lwork_from<T: BenchScalar>(w: T) -> usize {
    lapis_kernels::Scalar::to_f64(w).max(1.0) as usize
}

/// LAPACK's workspace protocol for a driver with one real workspace: when `work` is empty, a
/// query (`lwork = −1`, which writes only the optimal size to `work[0]`) sizes it, to at
/// least `min`; then the real call with all of `work`. `call(work, lwork, info)` makes the
/// foreign call with the given workspace pointer and length.
fn with_workspace<T: BenchScalar, I: LapackInt>(
    what: &str,
    work: &mut Vec<T>,
    min: usize,
    mut call: impl FnMut(*mut T, &I, &mut I),
) -> Result<(), String> {
    let mut info = I::default();
    if work.is_empty() {
        let mut w = [T::zero()];
        call(w.as_mut_ptr(), &I::MINUS_ONE, &mut info);
        check_info(&format!("{what} (query)"), info)?;
        work.resize(lwork_from(w[0]).max(min), T::zero());
    }
    let lwork = I::from_usize(work.len())?;
    call(work.as_mut_ptr(), &lwork, &mut info);
    check_info(what, info)
}

type Gesv<T, I> =
    unsafe extern "C" fn(*const I, *const I, *mut T, *const I, *mut I, *mut T, *const I, *mut I);
type Getrf<T, I> = unsafe extern "C" fn(*const I, *const I, *mut T, *const I, *mut I, *mut I);
type Getri<T, I> =
    unsafe extern "C" fn(*const I, *mut T, *const I, *const I, *mut T, *const I, *mut I);
/// `?potrf_(uplo, n, a, lda, info, uplo_len)`: the hidden length of the character argument
/// (gfortran's ABI) is passed explicitly.
type Potrf<T, I> = unsafe extern "C" fn(*const c_char, *const I, *mut T, *const I, *mut I, usize);
type Geqrf<T, I> =
    unsafe extern "C" fn(*const I, *const I, *mut T, *const I, *mut T, *mut T, *const I, *mut I);
type Gelsd<T, I> = unsafe extern "C" fn(
    *const I,
    *const I,
    *const I,
    *mut T,
    *const I,
    *mut T,
    *const I,
    *mut T,
    *const T,
    *mut I,
    *mut T,
    *const I,
    *mut I,
    *mut I,
);
type Gelsy<T, I> = unsafe extern "C" fn(
    *const I,
    *const I,
    *const I,
    *mut T,
    *const I,
    *mut T,
    *const I,
    *mut I,
    *const T,
    *mut I,
    *mut T,
    *const I,
    *mut I,
);

/// `?syevd_(jobz, uplo, n, a, lda, w, work, lwork, iwork, liwork, info, jobz_len, uplo_len)`.
type Syevd<T, I> = unsafe extern "C" fn(
    *const c_char,
    *const c_char,
    *const I,
    *mut T,
    *const I,
    *mut T,
    *mut T,
    *const I,
    *mut I,
    *const I,
    *mut I,
    usize,
    usize,
);
/// `?geev_(jobvl, jobvr, n, a, lda, wr, wi, vl, ldvl, vr, ldvr, work, lwork, info, jobvl_len,
/// jobvr_len)`.
type Geev<T, I> = unsafe extern "C" fn(
    *const c_char,
    *const c_char,
    *const I,
    *mut T,
    *const I,
    *mut T,
    *mut T,
    *mut T,
    *const I,
    *mut T,
    *const I,
    *mut T,
    *const I,
    *mut I,
    usize,
    usize,
);
/// `?gesdd_(jobz, m, n, a, lda, s, u, ldu, vt, ldvt, work, lwork, iwork, info, jobz_len)`.
type Gesdd<T, I> = unsafe extern "C" fn(
    *const c_char,
    *const I,
    *const I,
    *mut T,
    *const I,
    *mut T,
    *mut T,
    *const I,
    *mut T,
    *const I,
    *mut T,
    *const I,
    *mut I,
    *mut I,
    usize,
);

fn need(what: &str, len: usize, want: usize) -> Result<(), String> {
    if len < want {
        Err(format!("{what}: buffer of {len} elements, need {want}"))
    } else {
        Ok(())
    }
}

/// `?gesv`: solves `A·X = B` (`A` n×n overwritten by its LU, `B` n×nrhs overwritten by `X`).
pub fn gesv<T: BenchScalar>(
    ob: &OpenBlas,
    n: usize,
    nrhs: usize,
    a: &mut [T],
    ipiv: &mut IntBuf,
    b: &mut [T],
) -> Result<(), String> {
    fn go<T: BenchScalar, I: Pick>(
        ob: &OpenBlas,
        n: usize,
        nrhs: usize,
        a: &mut [T],
        ipiv: &mut IntBuf,
        b: &mut [T],
    ) -> Result<(), String> {
        need("gesv a", a.len(), n * n)?;
        need("gesv b", b.len(), n * nrhs)?;
        let ipiv = I::pick(ipiv);
        ipiv.resize(n.max(1), I::default());
        // SAFETY: `Gesv` is `?gesv_`'s signature for this integer width.
        let f: Gesv<T, I> = unsafe { resolve::<T, _>(ob, "gesv_")? };
        let (ni, ri, ld) = (
            I::from_usize(n)?,
            I::from_usize(nrhs)?,
            I::from_usize(n.max(1))?,
        );
        let mut info = I::default();
        // SAFETY: `a` holds n·n and `b` n·nrhs elements (checked), leading dimensions are
        // max(1, n), `ipiv` holds n integers, all pointers are valid and unaliased for the
        // call, and `ob` keeps the library loaded.
        unsafe {
            f(
                &ni,
                &ri,
                a.as_mut_ptr(),
                &ld,
                ipiv.as_mut_ptr(),
                b.as_mut_ptr(),
                &ld,
                &mut info,
            )
        };
        check_info("gesv", info)
    }
    if ob.ilp64 {
        go::<T, i64>(ob, n, nrhs, a, ipiv, b)
    } else {
        go::<T, i32>(ob, n, nrhs, a, ipiv, b)
    }
}

/// `?getrf`: `P·A = L·U` in place (`A` m×n); `ipiv` gets 1-based row interchanges.
pub fn getrf<T: BenchScalar>(
    ob: &OpenBlas,
    m: usize,
    n: usize,
    a: &mut [T],
    ipiv: &mut IntBuf,
) -> Result<(), String> {
    fn go<T: BenchScalar, I: Pick>(
        ob: &OpenBlas,
        m: usize,
        n: usize,
        a: &mut [T],
        ipiv: &mut IntBuf,
    ) -> Result<(), String> {
        need("getrf a", a.len(), m * n)?;
        let ipiv = I::pick(ipiv);
        ipiv.resize(m.min(n).max(1), I::default());
        // SAFETY: `Getrf` is `?getrf_`'s signature for this integer width.
        let f: Getrf<T, I> = unsafe { resolve::<T, _>(ob, "getrf_")? };
        let (mi, ni, ld) = (
            I::from_usize(m)?,
            I::from_usize(n)?,
            I::from_usize(m.max(1))?,
        );
        let mut info = I::default();
        // SAFETY: `a` holds m·n elements with leading dimension max(1, m), `ipiv` min(m, n)
        // integers; pointers valid and unaliased for the call; library loaded.
        unsafe { f(&mi, &ni, a.as_mut_ptr(), &ld, ipiv.as_mut_ptr(), &mut info) };
        check_info("getrf", info)
    }
    if ob.ilp64 {
        go::<T, i64>(ob, m, n, a, ipiv)
    } else {
        go::<T, i32>(ob, m, n, a, ipiv)
    }
}

/// `?getri`: overwrites the LU factors in `a` (n×n, from [`getrf`]) with `A⁻¹`. `work` is
/// sized by a workspace query on first use.
pub fn getri<T: BenchScalar>(
    ob: &OpenBlas,
    n: usize,
    a: &mut [T],
    ipiv: &mut IntBuf,
    work: &mut Vec<T>,
) -> Result<(), String> {
    fn go<T: BenchScalar, I: Pick>(
        ob: &OpenBlas,
        n: usize,
        a: &mut [T],
        ipiv: &mut IntBuf,
        work: &mut Vec<T>,
    ) -> Result<(), String> {
        need("getri a", a.len(), n * n)?;
        let ipiv = I::pick(ipiv);
        need("getri ipiv", ipiv.len(), n)?;
        // SAFETY: `Getri` is `?getri_`'s signature for this integer width.
        let f: Getri<T, I> = unsafe { resolve::<T, _>(ob, "getri_")? };
        let (ni, ld) = (I::from_usize(n)?, I::from_usize(n.max(1))?);
        with_workspace("getri", work, n.max(1), |work, lwork, info| {
            // SAFETY: `a` holds the n×n LU factors (leading dimension max(1, n)), `ipiv` their
            // n pivots, `work` `lwork` elements (or one for the query, which writes only
            // it); pointers valid and unaliased; library loaded.
            unsafe { f(&ni, a.as_mut_ptr(), &ld, ipiv.as_ptr(), work, lwork, info) }
        })
    }
    if ob.ilp64 {
        go::<T, i64>(ob, n, a, ipiv, work)
    } else {
        go::<T, i32>(ob, n, a, ipiv, work)
    }
}

/// `?potrf` with `uplo = 'L'`: `A = L·Lᵀ` in the lower triangle of `a` (n×n).
pub fn potrf_lower<T: BenchScalar>(ob: &OpenBlas, n: usize, a: &mut [T]) -> Result<(), String> {
    fn go<T: BenchScalar, I: Pick>(ob: &OpenBlas, n: usize, a: &mut [T]) -> Result<(), String> {
        need("potrf a", a.len(), n * n)?;
        // SAFETY: `Potrf` is `?potrf_`'s signature for this integer width (with the hidden
        // character length gfortran appends; an f2c build ignores the extra argument).
        let f: Potrf<T, I> = unsafe { resolve::<T, _>(ob, "potrf_")? };
        let (ni, ld) = (I::from_usize(n)?, I::from_usize(n.max(1))?);
        let uplo = b'L' as c_char;
        let mut info = I::default();
        // SAFETY: `a` holds n·n elements with leading dimension max(1, n); `uplo` points to
        // one character whose length (1) is passed; pointers valid; library loaded.
        unsafe { f(&uplo, &ni, a.as_mut_ptr(), &ld, &mut info, 1) };
        check_info("potrf", info)
    }
    if ob.ilp64 {
        go::<T, i64>(ob, n, a)
    } else {
        go::<T, i32>(ob, n, a)
    }
}

/// `?geqrf`: `A = Q·R` in compact form (`a` m×n, `tau` min(m, n)). `work` is sized by a
/// workspace query on first use.
pub fn geqrf<T: BenchScalar>(
    ob: &OpenBlas,
    m: usize,
    n: usize,
    a: &mut [T],
    tau: &mut [T],
    work: &mut Vec<T>,
) -> Result<(), String> {
    fn go<T: BenchScalar, I: Pick>(
        ob: &OpenBlas,
        m: usize,
        n: usize,
        a: &mut [T],
        tau: &mut [T],
        work: &mut Vec<T>,
    ) -> Result<(), String> {
        need("geqrf a", a.len(), m * n)?;
        need("geqrf tau", tau.len(), m.min(n))?;
        // SAFETY: `Geqrf` is `?geqrf_`'s signature for this integer width.
        let f: Geqrf<T, I> = unsafe { resolve::<T, _>(ob, "geqrf_")? };
        let (mi, ni, ld) = (
            I::from_usize(m)?,
            I::from_usize(n)?,
            I::from_usize(m.max(1))?,
        );
        with_workspace("geqrf", work, n.max(1), |work, lwork, info| {
            // SAFETY: `a` holds m·n elements (leading dimension max(1, m)), `tau` min(m, n),
            // `work` `lwork` (or one for the query, which writes only it); pointers valid and
            // unaliased; library loaded.
            unsafe {
                f(
                    &mi,
                    &ni,
                    a.as_mut_ptr(),
                    &ld,
                    tau.as_mut_ptr(),
                    work,
                    lwork,
                    info,
                )
            }
        })
    }
    if ob.ilp64 {
        go::<T, i64>(ob, m, n, a, tau, work)
    } else {
        go::<T, i32>(ob, m, n, a, tau, work)
    }
}

/// Workspaces of the least-squares drivers, sized on first use.
#[derive(Clone, Debug, Default)]
pub struct LstsqWork<T> {
    /// Real workspace.
    pub work: Vec<T>,
    /// Singular values (`?gelsd`).
    pub s: Vec<T>,
    /// Integer workspace (`?gelsd`'s `iwork`, `?gelsy`'s `jpvt`).
    pub iwork: IntBuf,
}

/// Which LAPACK least-squares driver.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LstsqDriver {
    /// SVD-based, divide and conquer (numpy's `lstsq`).
    Gelsd,
    /// Complete orthogonal decomposition (column-pivoted QR + RZ).
    Gelsy,
}

/// `?gelsd` / `?gelsy`: minimum-norm least squares. `a` (m×n) is destroyed; `b` is
/// `max(m, n) × nrhs` (leading dimension `max(m, n)`) holding `B` in its first m rows on entry
/// and `X` in its first n rows on return. Returns the rank.
pub fn lstsq<T: BenchScalar>(
    ob: &OpenBlas,
    driver: LstsqDriver,
    m: usize,
    n: usize,
    nrhs: usize,
    a: &mut [T],
    b: &mut [T],
    rcond: T,
    w: &mut LstsqWork<T>,
) -> Result<usize, String> {
    fn go<T: BenchScalar, I: Pick>(
        ob: &OpenBlas,
        driver: LstsqDriver,
        m: usize,
        n: usize,
        nrhs: usize,
        a: &mut [T],
        b: &mut [T],
        rcond: T,
        w: &mut LstsqWork<T>,
    ) -> Result<usize, String> {
        let ldb_u = m.max(n).max(1);
        need("lstsq a", a.len(), m * n)?;
        need("lstsq b", b.len(), ldb_u * nrhs)?;
        let (mi, ni, ri) = (I::from_usize(m)?, I::from_usize(n)?, I::from_usize(nrhs)?);
        let (lda, ldb) = (I::from_usize(m.max(1))?, I::from_usize(ldb_u)?);
        let mut rank = I::default();
        let mut info = I::default();
        match driver {
            LstsqDriver::Gelsd => {
                // SAFETY: `Gelsd` is `?gelsd_`'s signature for this integer width.
                let f: Gelsd<T, I> = unsafe { resolve::<T, _>(ob, "gelsd_")? };
                w.s.resize(m.min(n).max(1), T::zero());
                if w.work.is_empty() {
                    let mut wq = [T::zero()];
                    let mut iq = [I::default()];
                    let lwork = I::MINUS_ONE;
                    // SAFETY: workspace query (lwork = −1): writes the optimal sizes to
                    // wq[0] and iq[0] only; the other pointers are valid as below.
                    unsafe {
                        f(
                            &mi,
                            &ni,
                            &ri,
                            a.as_mut_ptr(),
                            &lda,
                            b.as_mut_ptr(),
                            &ldb,
                            w.s.as_mut_ptr(),
                            &rcond,
                            &mut rank,
                            wq.as_mut_ptr(),
                            &lwork,
                            iq.as_mut_ptr(),
                            &mut info,
                        )
                    };
                    check_info("gelsd (query)", info)?;
                    w.work.resize(lwork_from(wq[0]), T::zero());
                    let li = usize::try_from(iq[0].to_i64()).unwrap_or(1).max(1);
                    I::pick(&mut w.iwork).resize(li, I::default());
                }
                let lwork = I::from_usize(w.work.len())?;
                let iwork = I::pick(&mut w.iwork);
                // SAFETY: `a` m·n (lda = max(1, m)), `b` ldb·nrhs, `s` min(m, n), `work` and
                // `iwork` the sizes LAPACK asked for; pointers valid and unaliased; library
                // loaded.
                unsafe {
                    f(
                        &mi,
                        &ni,
                        &ri,
                        a.as_mut_ptr(),
                        &lda,
                        b.as_mut_ptr(),
                        &ldb,
                        w.s.as_mut_ptr(),
                        &rcond,
                        &mut rank,
                        w.work.as_mut_ptr(),
                        &lwork,
                        iwork.as_mut_ptr(),
                        &mut info,
                    )
                };
                check_info("gelsd", info)?;
            }
            LstsqDriver::Gelsy => {
                // SAFETY: `Gelsy` is `?gelsy_`'s signature for this integer width.
                let f: Gelsy<T, I> = unsafe { resolve::<T, _>(ob, "gelsy_")? };
                let jpvt = I::pick(&mut w.iwork);
                jpvt.resize(n.max(1), I::default());
                // jpvt = 0: every column is free to move.
                jpvt.fill(I::default());
                if w.work.is_empty() {
                    let mut wq = [T::zero()];
                    let lwork = I::MINUS_ONE;
                    // SAFETY: workspace query (lwork = −1): only wq[0] is written.
                    unsafe {
                        f(
                            &mi,
                            &ni,
                            &ri,
                            a.as_mut_ptr(),
                            &lda,
                            b.as_mut_ptr(),
                            &ldb,
                            jpvt.as_mut_ptr(),
                            &rcond,
                            &mut rank,
                            wq.as_mut_ptr(),
                            &lwork,
                            &mut info,
                        )
                    };
                    check_info("gelsy (query)", info)?;
                    w.work.resize(lwork_from(wq[0]), T::zero());
                }
                let lwork = I::from_usize(w.work.len())?;
                // SAFETY: as for gelsd; `jpvt` holds n integers.
                unsafe {
                    f(
                        &mi,
                        &ni,
                        &ri,
                        a.as_mut_ptr(),
                        &lda,
                        b.as_mut_ptr(),
                        &ldb,
                        jpvt.as_mut_ptr(),
                        &rcond,
                        &mut rank,
                        w.work.as_mut_ptr(),
                        &lwork,
                        &mut info,
                    )
                };
                check_info("gelsy", info)?;
            }
        }
        usize::try_from(rank.to_i64()).map_err(|_| "negative rank".to_string())
    }
    if ob.ilp64 {
        go::<T, i64>(ob, driver, m, n, nrhs, a, b, rcond, w)
    } else {
        go::<T, i32>(ob, driver, m, n, nrhs, a, b, rcond, w)
    }
}

/// Workspaces of the divide-and-conquer drivers (`?syevd`, `?gesdd`), sized on first use.
#[derive(Clone, Debug, Default)]
pub struct DcWork<T> {
    /// Real workspace.
    pub work: Vec<T>,
    /// Integer workspace.
    pub iwork: IntBuf,
}

/// `?syevd` with `uplo = 'L'`: the eigenvalues of the symmetric `a` (n×n, lower triangle
/// read) ascending into `w` (n); with `vectors` (`jobz = 'V'`) `a` is overwritten by the
/// orthonormal eigenvectors, without (`jobz = 'N'`) its lower triangle is destroyed.
/// `work` is sized by a workspace query on first use (per `vectors`: keep one per job).
pub fn syevd_lower<T: BenchScalar>(
    ob: &OpenBlas,
    vectors: bool,
    n: usize,
    a: &mut [T],
    w: &mut [T],
    work: &mut DcWork<T>,
) -> Result<(), String> {
    fn go<T: BenchScalar, I: Pick>(
        ob: &OpenBlas,
        vectors: bool,
        n: usize,
        a: &mut [T],
        w: &mut [T],
        work: &mut DcWork<T>,
    ) -> Result<(), String> {
        need("syevd a", a.len(), n * n)?;
        need("syevd w", w.len(), n)?;
        // SAFETY: `Syevd` is `?syevd_`'s signature for this integer width (with the two
        // hidden character lengths gfortran appends).
        let f: Syevd<T, I> = unsafe { resolve::<T, _>(ob, "syevd_")? };
        let (ni, ld) = (I::from_usize(n)?, I::from_usize(n.max(1))?);
        let jobz = if vectors { b'V' } else { b'N' } as c_char;
        let uplo = b'L' as c_char;
        let mut info = I::default();
        if work.work.is_empty() {
            let mut wq = [T::zero()];
            let mut iq = [I::default()];
            let lwork = I::MINUS_ONE;
            // SAFETY: workspace query (lwork = liwork = −1): writes the optimal sizes to
            // wq[0] and iq[0] only; the other pointers are valid as in the call below.
            unsafe {
                f(
                    &jobz,
                    &uplo,
                    &ni,
                    a.as_mut_ptr(),
                    &ld,
                    w.as_mut_ptr(),
                    wq.as_mut_ptr(),
                    &lwork,
                    iq.as_mut_ptr(),
                    &lwork,
                    &mut info,
                    1,
                    1,
                )
            };
            check_info("syevd (query)", info)?;
            work.work.resize(lwork_from(wq[0]), T::zero());
            let li = usize::try_from(iq[0].to_i64()).unwrap_or(1).max(1);
            I::pick(&mut work.iwork).resize(li, I::default());
        }
        let lwork = I::from_usize(work.work.len())?;
        let iwork = I::pick(&mut work.iwork);
        let liwork = I::from_usize(iwork.len())?;
        // SAFETY: `a` holds n·n elements (leading dimension max(1, n)), `w` n, `work` and
        // `iwork` the sizes LAPACK asked for; `jobz` and `uplo` point to one character each,
        // whose lengths (1) are passed; pointers valid and unaliased; library loaded.
        unsafe {
            f(
                &jobz,
                &uplo,
                &ni,
                a.as_mut_ptr(),
                &ld,
                w.as_mut_ptr(),
                work.work.as_mut_ptr(),
                &lwork,
                iwork.as_mut_ptr(),
                &liwork,
                &mut info,
                1,
                1,
            )
        };
        check_info("syevd", info)
    }
    if ob.ilp64 {
        go::<T, i64>(ob, vectors, n, a, w, work)
    } else {
        go::<T, i32>(ob, vectors, n, a, w, work)
    }
}

/// `?geev` with `jobvl = 'N'`: the eigenvalues `wr + i·wi` (n each) of the general `a` (n×n,
/// destroyed) and, with `vectors` (`jobvr = 'V'`), its right eigenvectors in LAPACK's packed
/// real form into `vr` (n×n; not referenced without, pass an empty slice). `work` is sized by
/// a workspace query on first use (per `vectors`: keep one per job).
#[allow(clippy::too_many_arguments)]
pub fn geev<T: BenchScalar>(
    ob: &OpenBlas,
    vectors: bool,
    n: usize,
    a: &mut [T],
    wr: &mut [T],
    wi: &mut [T],
    vr: &mut [T],
    work: &mut Vec<T>,
) -> Result<(), String> {
    #[allow(clippy::too_many_arguments)]
    fn go<T: BenchScalar, I: LapackInt>(
        ob: &OpenBlas,
        vectors: bool,
        n: usize,
        a: &mut [T],
        wr: &mut [T],
        wi: &mut [T],
        vr: &mut [T],
        work: &mut Vec<T>,
    ) -> Result<(), String> {
        need("geev a", a.len(), n * n)?;
        need("geev wr", wr.len(), n)?;
        need("geev wi", wi.len(), n)?;
        if vectors {
            need("geev vr", vr.len(), n * n)?;
        }
        // SAFETY: `Geev` is `?geev_`'s signature for this integer width (with the two hidden
        // character lengths gfortran appends).
        let f: Geev<T, I> = unsafe { resolve::<T, _>(ob, "geev_")? };
        let (ni, ld) = (I::from_usize(n)?, I::from_usize(n.max(1))?);
        let one = I::from_usize(1)?;
        let jobvl = b'N' as c_char;
        let jobvr = if vectors { b'V' } else { b'N' } as c_char;
        let ldvr = if vectors { ld } else { one };
        let mut vl = [T::zero()];
        let mut vr_dummy = [T::zero()];
        let vr_ptr = if vectors {
            vr.as_mut_ptr()
        } else {
            vr_dummy.as_mut_ptr()
        };
        with_workspace("geev", work, 1, |work, lwork, info| {
            // SAFETY: `a` holds n·n elements (leading dimension max(1, n)), `wr`, `wi` n each,
            // `vr` n·n when referenced (else a 1-element dummy with ldvr = 1), `vl` is not
            // referenced (jobvl = 'N', ldvl = 1), `work` `lwork` elements (or one for the
            // query, which writes only it); the job characters' lengths (1) are passed;
            // pointers valid and unaliased; library loaded.
            unsafe {
                f(
                    &jobvl,
                    &jobvr,
                    &ni,
                    a.as_mut_ptr(),
                    &ld,
                    wr.as_mut_ptr(),
                    wi.as_mut_ptr(),
                    vl.as_mut_ptr(),
                    &one,
                    vr_ptr,
                    &ldvr,
                    work,
                    lwork,
                    info,
                    1,
                    1,
                )
            }
        })
    }
    if ob.ilp64 {
        go::<T, i64>(ob, vectors, n, a, wr, wi, vr, work)
    } else {
        go::<T, i32>(ob, vectors, n, a, wr, wi, vr, work)
    }
}

/// `?gesdd`: the singular values of `a` (m×n, destroyed) descending into `s` (min(m, n));
/// with `vectors` (`jobz = 'S'`, the thin SVD) `U` into `u` (m×k) and `Vᵀ` into `vt` (k×n),
/// `k = min(m, n)`; without (`jobz = 'N'`) `u` and `vt` are not referenced (pass empty
/// slices). `work` is sized by a workspace query on first use (keep one per job).
pub fn gesdd<T: BenchScalar>(
    ob: &OpenBlas,
    vectors: bool,
    m: usize,
    n: usize,
    a: &mut [T],
    s: &mut [T],
    u: &mut [T],
    vt: &mut [T],
    work: &mut DcWork<T>,
) -> Result<(), String> {
    fn go<T: BenchScalar, I: Pick>(
        ob: &OpenBlas,
        vectors: bool,
        m: usize,
        n: usize,
        a: &mut [T],
        s: &mut [T],
        u: &mut [T],
        vt: &mut [T],
        work: &mut DcWork<T>,
    ) -> Result<(), String> {
        let k = m.min(n);
        need("gesdd a", a.len(), m * n)?;
        need("gesdd s", s.len(), k)?;
        let (jobz, ldu_u, ldvt_u) = if vectors {
            need("gesdd u", u.len(), m * k)?;
            need("gesdd vt", vt.len(), k * n)?;
            (b'S' as c_char, m.max(1), k.max(1))
        } else {
            (b'N' as c_char, 1, 1)
        };
        // With jobz = 'N' LAPACK never touches `u`/`vt`; a one-element dummy keeps the
        // pointers valid all the same.
        let mut dummy = [T::zero()];
        let (up, vtp) = if vectors {
            (u.as_mut_ptr(), vt.as_mut_ptr())
        } else {
            (dummy.as_mut_ptr(), dummy.as_mut_ptr())
        };
        // SAFETY: `Gesdd` is `?gesdd_`'s signature for this integer width (with the hidden
        // character length gfortran appends).
        let f: Gesdd<T, I> = unsafe { resolve::<T, _>(ob, "gesdd_")? };
        let (mi, ni, lda) = (
            I::from_usize(m)?,
            I::from_usize(n)?,
            I::from_usize(m.max(1))?,
        );
        let (ldu, ldvt) = (I::from_usize(ldu_u)?, I::from_usize(ldvt_u)?);
        let iwork = I::pick(&mut work.iwork);
        iwork.resize((8 * k).max(1), I::default());
        with_workspace("gesdd", &mut work.work, 1, |work, lwork, info| {
            // SAFETY: `a` holds m·n elements (lda = max(1, m)), `s` min(m, n); with jobz = 'S'
            // `u` m·k (ldu = max(1, m)) and `vt` k·n (ldvt = max(1, k)), with 'N' a valid
            // dummy that is not referenced; `work` `lwork` elements (or one for the query,
            // which writes only it), `iwork` 8·min(m, n) integers; `jobz` one character
            // whose length (1) is passed; pointers valid and unaliased; library loaded.
            unsafe {
                f(
                    &jobz,
                    &mi,
                    &ni,
                    a.as_mut_ptr(),
                    &lda,
                    s.as_mut_ptr(),
                    up,
                    &ldu,
                    vtp,
                    &ldvt,
                    work,
                    lwork,
                    iwork.as_mut_ptr(),
                    info,
                    1,
                )
            }
        })
    }
    if ob.ilp64 {
        go::<T, i64>(ob, vectors, m, n, a, s, u, vt, work)
    } else {
        go::<T, i32>(ob, vectors, m, n, a, s, u, vt, work)
    }
}

/// Inverts every `n × n` matrix of a stack the way numpy's `inv` does: per matrix, copy it to
/// a scratch buffer, set the output to the identity, and call `?gesv_` with it as the `n`
/// right-hand sides. `?gesv_` is resolved once for the whole loop. Matrices are taken as
/// stored (column-major); a row-major stack works unchanged, because `(Aᵀ)⁻¹ = (A⁻¹)ᵀ`.
pub fn gesv_inverse_loop<T: BenchScalar>(
    ob: &OpenBlas,
    n: usize,
    a: &[T],
    out: &mut [T],
    scratch: &mut [T],
    ipiv: &mut IntBuf,
) -> Result<(), String> {
    fn go<T: BenchScalar, I: Pick>(
        ob: &OpenBlas,
        n: usize,
        a: &[T],
        out: &mut [T],
        scratch: &mut [T],
        ipiv: &mut IntBuf,
    ) -> Result<(), String> {
        let nn = n * n;
        need("inverse loop out", out.len(), a.len())?;
        need("inverse loop scratch", scratch.len(), nn)?;
        if nn == 0 {
            return Ok(());
        }
        let ipiv = I::pick(ipiv);
        ipiv.resize(n, I::default());
        // SAFETY: `Gesv` is `?gesv_`'s signature for this integer width.
        let f: Gesv<T, I> = unsafe { resolve::<T, _>(ob, "gesv_")? };
        let (ni, ld) = (I::from_usize(n)?, I::from_usize(n)?);
        let scratch = &mut scratch[..nn];
        for (x, m) in out.chunks_exact_mut(nn).zip(a.chunks_exact(nn)) {
            scratch.copy_from_slice(m);
            x.fill(T::zero());
            for i in 0..n {
                x[i * n + i] = T::one();
            }
            let mut info = I::default();
            // SAFETY: `scratch` and `x` hold n·n elements each (n ≥ 1, leading dimensions n),
            // `ipiv` n integers; pointers valid and unaliased for the call; library loaded.
            unsafe {
                f(
                    &ni,
                    &ni,
                    scratch.as_mut_ptr(),
                    &ld,
                    ipiv.as_mut_ptr(),
                    x.as_mut_ptr(),
                    &ld,
                    &mut info,
                )
            };
            check_info("gesv", info)?;
        }
        Ok(())
    }
    if ob.ilp64 {
        go::<T, i64>(ob, n, a, out, scratch, ipiv)
    } else {
        go::<T, i32>(ob, n, a, out, scratch, ipiv)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs against the OpenBLAS named by `LAPIS_OPENBLAS` (skipped without it): both
    /// least-squares drivers, `gesv`, `getrf`+`getri`, `potrf`, `geqrf`, `syevd` and `gesdd`
    /// on small problems.
    #[test]
    fn drivers_against_openblas_when_available() {
        let Some(path) = std::env::var_os("LAPIS_OPENBLAS") else {
            return;
        };
        let ob = OpenBlas::load(std::path::Path::new(&path)).expect("LAPIS_OPENBLAS loads");
        // A = [[2, 1], [1, 3], [0, 1]] (column-major 3×2), b = [1, 2, 3].
        let a = [2.0f64, 1.0, 0.0, 1.0, 3.0, 1.0];
        let b = [1.0f64, 2.0, 3.0];
        let mut xs = Vec::new();
        for driver in [LstsqDriver::Gelsd, LstsqDriver::Gelsy] {
            let (mut a, mut b) = (a, b);
            let mut w = LstsqWork::default();
            let rank = lstsq(&ob, driver, 3, 2, 1, &mut a, &mut b, -1.0, &mut w).unwrap();
            assert_eq!(rank, 2);
            xs.push([b[0], b[1]]);
        }
        // Normal equations: AᵀA = [[5, 5], [5, 11]], Aᵀb = [4, 10] → x = [−0.2, 1].
        for x in xs {
            assert!(
                (x[0] + 0.2).abs() < 1e-14 && (x[1] - 1.0).abs() < 1e-14,
                "{x:?}"
            );
        }
        let mut m = [4.0f64, 2.0, 2.0, 5.0];
        let mut rhs = [8.0, 9.0];
        let mut piv = IntBuf::new(2);
        gesv(&ob, 2, 1, &mut m, &mut piv, &mut rhs).unwrap();
        assert!((rhs[0] - 1.375).abs() < 1e-14 && (rhs[1] - 1.25).abs() < 1e-14);
        let mut m = [4.0f64, 2.0, 2.0, 5.0];
        getrf(&ob, 2, 2, &mut m, &mut piv).unwrap();
        assert!(!piv.odd_permutation(&ob, 2));
        getri(&ob, 2, &mut m, &mut piv, &mut Vec::new()).unwrap();
        assert!((m[0] - 5.0 / 16.0).abs() < 1e-15 && (m[1] + 2.0 / 16.0).abs() < 1e-15);
        let mut m = [4.0f64, 2.0, 2.0, 5.0];
        potrf_lower(&ob, 2, &mut m).unwrap();
        assert_eq!([m[0], m[1], m[3]], [2.0, 1.0, 2.0]);
        let mut m = [3.0f32, 4.0];
        let mut tau = [0.0f32];
        geqrf(&ob, 2, 1, &mut m, &mut tau, &mut Vec::new()).unwrap();
        assert!((m[0] + 5.0).abs() < 1e-6);
        // [[2, 1], [1, 2]]: eigenvalues 1, 3; the vector of 3 is ±(1, 1)/√2.
        for vectors in [false, true] {
            let mut m = [2.0f64, 1.0, f64::NAN, 2.0];
            let mut w = [0.0; 2];
            syevd_lower(&ob, vectors, 2, &mut m, &mut w, &mut DcWork::default()).unwrap();
            assert!(
                (w[0] - 1.0).abs() < 1e-15 && (w[1] - 3.0).abs() < 1e-15,
                "{w:?}"
            );
            if vectors {
                assert!((m[2].abs() - 0.5f64.sqrt()).abs() < 1e-15 && m[2] == m[3]);
            }
        }
        // [[3, 0], [4, 5]] (column-major [3, 4, 0, 5]): σ = 3√5, √5.
        for vectors in [false, true] {
            let mut m = [3.0f64, 4.0, 0.0, 5.0];
            let (mut s, mut u, mut vt) = ([0.0; 2], [0.0; 4], [0.0; 4]);
            let (uu, vv): (&mut [f64], &mut [f64]) = if vectors {
                (&mut u, &mut vt)
            } else {
                (&mut [], &mut [])
            };
            gesdd(
                &ob,
                vectors,
                2,
                2,
                &mut m,
                &mut s,
                uu,
                vv,
                &mut DcWork::default(),
            )
            .unwrap();
            assert!((s[0] - 45f64.sqrt()).abs() < 1e-14 && (s[1] - 5f64.sqrt()).abs() < 1e-14);
            if vectors {
                // a[1, 0] = Σ_p u[1, p]·s[p]·vt[p, 0] = 4.
                let x: f64 = (0..2).map(|p| u[1 + 2 * p] * s[p] * vt[p]).sum();
                assert!((x - 4.0).abs() < 1e-14, "{x}");
            }
        }
    }
}
