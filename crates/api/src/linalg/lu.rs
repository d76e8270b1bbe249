//! scipy's LU: `scipy.linalg.lu`, `lu_factor`, `lu_solve`.

use lapis_factor::complex::{self, CMat};
use lapis_factor::lu as flu;
use lapis_kernels::{MatMut, MatRef};

use super::convert::conv;
use super::stack::{RhsPlan, Stack, for_each, out_shape, stacked_2d, stacked_square};
use super::{Trans, split};
use crate::{Array, ArrayBase, Data, Inexact, LinalgError, Number};

/// The result of [`lu`]: `A = P·L·U` (scipy's `p, l, u = scipy.linalg.lu(a)`).
#[derive(Clone, Debug, PartialEq)]
pub struct Lu<T: Inexact> {
    /// The permutation matrix, `(…, m, m)`.
    pub p: Array<T>,
    /// Unit lower triangular (trapezoidal), `(…, m, k)` with `k = min(m, n)`.
    pub l: Array<T>,
    /// Upper triangular (trapezoidal), `(…, k, n)`.
    pub u: Array<T>,
}

impl<T: Inexact> Lu<T> {
    /// The permutation as row indices, shape `(…, m)` (scipy's
    /// `p, l, u = scipy.linalg.lu(a, p_indices=True)`): row `i` of `A` is row `p[i]` of `L·U`,
    /// i.e. `A = L[p, :]·U`.
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// // scipy: p, l, u = scipy.linalg.lu([[1., 2., 3.], [4., 5., 6.], [7., 8., 10.]], p_indices=True)
    /// let f = linalg::lu(&array![[1., 2., 3.], [4., 5., 6.], [7., 8., 10.]]).unwrap();
    /// assert_eq!(f.p_indices().to_vec(), vec![1, 2, 0]);
    /// ```
    pub fn p_indices(&self) -> Array<usize> {
        let shape = self.p.shape();
        let m = shape[shape.len() - 1];
        let one = <T as Number>::one();
        let p = self.p.to_vec();
        // Row i of P has its one in column p[i]: (P·L·U)[i, :] = (L·U)[p[i], :].
        // With m = 0, P has no elements and there are no rows to look at.
        let idx: Vec<usize> = p
            .chunks(m.max(1))
            .map(|row| row.iter().position(|&x| x == one).unwrap_or(0))
            .collect();
        Array::from_shape_vec(&shape[..shape.len() - 1], idx).expect("one index per row of P")
    }

    /// `P·L`, the first output of scipy's `pl, u = scipy.linalg.lu(a, permute_l=True)`
    /// (`A = (P·L)·U`), shape `(…, m, k)`: the rows of `L` in the order of
    /// [`p_indices`](Lu::p_indices).
    ///
    /// ```
    /// use lapis::{array, linalg, matmul};
    /// // scipy: pl, u = scipy.linalg.lu([[1., 2.], [3., 4.]], permute_l=True)
    /// let a = array![[1., 2.], [3., 4.]];
    /// let f = linalg::lu(&a).unwrap();
    /// let pl = f.permuted_l();
    /// assert_eq!(pl, array![[1. / 3., 1.], [1., 0.]]);
    /// assert!(lapis::allclose(&matmul(&pl, &f.u).unwrap(), &a).unwrap());
    /// ```
    pub fn permuted_l(&self) -> Array<T> {
        let shape = self.l.shape().to_vec();
        let (m, k) = (shape[shape.len() - 2], shape[shape.len() - 1]);
        let l = self.l.to_vec();
        let p = self.p_indices().to_vec();
        let mut out = vec![T::default(); l.len()];
        if m > 0 && k > 0 {
            for ((o, li), pi) in out.chunks_mut(m * k).zip(l.chunks(m * k)).zip(p.chunks(m)) {
                for (i, &r) in pi.iter().enumerate() {
                    o[i * k..(i + 1) * k].copy_from_slice(&li[r * k..(r + 1) * k]);
                }
            }
        }
        Array::from_shape_vec(&shape, out).expect("the shape of L")
    }
}

/// The LU decomposition with partial pivoting of an `m × n` matrix or a stack of them
/// (scipy's `scipy.linalg.lu(a)` with its defaults, `permute_l=False`): `A = P·L·U` with
/// `P` a permutation matrix, `L` unit lower trapezoidal with `|l_ij| ≤ 1`, `U` upper
/// trapezoidal (LAPACK `getrf`).
///
/// Real or complex input; a complex matrix pivots on the largest `|re| + |im|` (LAPACK
/// `zgetrf`). A singular matrix is not an error here (its `U` has a zero on the diagonal).
///
/// Errors: [`LinalgError::Shape`] for fewer than 2 axes; [`LinalgError::NonFinite`] for NaN
/// or infinite input (scipy's `check_finite=True`).
///
/// ```
/// use lapis::{array, linalg, matmul};
/// // scipy: p, l, u = scipy.linalg.lu([[1., 2.], [3., 4.]])
/// let a = array![[1., 2.], [3., 4.]];
/// let f = linalg::lu(&a).unwrap();
/// assert_eq!(f.p, array![[0., 1.], [1., 0.]]);
/// assert_eq!(f.l, array![[1., 0.], [1. / 3., 1.]]);
/// let plu = matmul(&f.p, &matmul(&f.l, &f.u).unwrap()).unwrap();
/// assert!(lapis::allclose(&plu, &a).unwrap());
/// // scipy: p, l, u = scipy.linalg.lu([[1j, 1], [2, 1j]])  -> l = [[1, 0], [0.5j, 1]]
/// use lapis::c64;
/// let z = |re, im| c64::new(re, im);
/// let c = linalg::lu(&array![[z(0., 1.), z(1., 0.)], [z(2., 0.), z(0., 1.)]]).unwrap();
/// assert_eq!(c.l, array![[z(1., 0.), z(0., 0.)], [z(0., 0.5), z(1., 0.)]]);
/// assert_eq!(c.u, array![[z(2., 0.), z(0., 1.)], [z(0., 0.), z(1.5, 0.)]]);
/// ```
pub fn lu<T, S>(a: &ArrayBase<S>) -> Result<Lu<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "lu";
    let (batch, m, n) = stacked_2d(OP, a)?;
    let k = m.min(n);
    let (p_shape, p_size) = out_shape(&batch, &[m, m])?;
    let (l_shape, l_size) = out_shape(&batch, &[m, k])?;
    let (u_shape, u_size) = out_shape(&batch, &[k, n])?;
    let mut p = vec![T::default(); p_size];
    let mut l = vec![T::default(); l_size];
    let mut u = vec![T::default(); u_size];
    let st = Stack::new(a, &batch);
    let shapes: [&[usize]; 1] = [a.shape()];
    let err = conv(OP, &shapes);
    let one = <T as Number>::one();
    let outs = vec![
        (&mut p[..], m * m),
        (&mut l[..], m * k),
        (&mut u[..], k * n),
    ];
    let work = m * n * k + 1;
    // A[perm[r], :] = (L·U)[r, :], so P[perm[r], r] = 1.
    let write_p = |ipiv: &[usize], p: &mut [T]| -> Result<(), LinalgError> {
        let perm = flu::permutation(ipiv, m).map_err(&err)?;
        for (r, &pr) in perm.iter().enumerate() {
            p[pr * m + r] = one;
        }
        Ok(())
    };
    if T::IS_COMPLEX {
        for_each(
            st.count(),
            outs,
            4 * work,
            || (CMat::zeros(m, n), vec![0usize; k]),
            |i, o, (f, ipiv), par| {
                split::load(&st, i, f);
                complex::lu::factor(f.as_mut(), ipiv, par).map_err(&err)?;
                write_p(ipiv, o[0])?;
                let lpart = f.as_ref().submatrix(0, 0, m, k);
                split::store_where(lpart, o[1], |r, c| r > c);
                for r in 0..k {
                    o[1][r * k + r] = one;
                }
                let upart = f.as_ref().submatrix(0, 0, k, n);
                split::store_where(upart, o[2], |r, c| r <= c);
                Ok(())
            },
        )?;
    } else {
        let st = st.real();
        for_each(
            st.count(),
            outs,
            work,
            || (vec![T::Float::default(); m * n], vec![0usize; k]),
            |i, o, (buf, ipiv), par| {
                st.copy_col_major(i, buf);
                if m > 0 && n > 0 {
                    let mat = MatMut::from_col_major(buf, m, n).expect("m × n workspace");
                    flu::factor(mat, ipiv, par).map_err(&err)?;
                }
                write_p(ipiv, o[0])?;
                let l: &mut [T::Float] = bytemuck::cast_slice_mut(o[1]);
                for r in 0..m {
                    for c in 0..k {
                        l[r * k + c] = match r.cmp(&c) {
                            core::cmp::Ordering::Greater => buf[r + c * m],
                            core::cmp::Ordering::Equal => <T::Float as Number>::one(),
                            core::cmp::Ordering::Less => T::Float::default(),
                        };
                    }
                }
                let u: &mut [T::Float] = bytemuck::cast_slice_mut(o[2]);
                for r in 0..k {
                    for c in r..n {
                        u[r * n + c] = buf[r + c * m];
                    }
                }
                Ok(())
            },
        )?;
    }
    Ok(Lu {
        p: Array::from_shape_vec(&p_shape, p)?,
        l: Array::from_shape_vec(&l_shape, l)?,
        u: Array::from_shape_vec(&u_shape, u)?,
    })
}

/// An LU factorization in LAPACK's compact form, kept for solving many right-hand sides
/// (scipy's `(lu, piv)` pair from `lu_factor`).
///
/// ```
/// use lapis::{array, linalg};
/// // scipy: lu_and_piv = lu_factor(a); lu_solve(lu_and_piv, b1); lu_solve(lu_and_piv, b2)
/// let f: linalg::LuFactor<f64> = linalg::lu_factor(&array![[2., 1.], [1., 3.]]).unwrap();
/// let x1 = f.solve(&array![5., 10.]).unwrap();
/// let x2 = f.solve(&array![3., 4.]).unwrap();
/// assert!(lapis::allclose(&x1, &array![1., 3.]).unwrap());
/// assert!(lapis::allclose(&x2, &array![1., 1.]).unwrap());
/// assert!((f.det().unwrap().item().unwrap() - 5.0).abs() < 1e-14);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LuFactor<T: Inexact> {
    /// `L` (strictly below the diagonal, unit diagonal implied) and `U` (on and above),
    /// `(…, m, n)`.
    pub lu: Array<T>,
    /// The row interchanges, `(…, min(m, n))`, 0-based: at step `i` row `i` was swapped
    /// with row `piv[i]` (scipy's `piv`).
    pub piv: Array<usize>,
}

impl<T: Inexact> LuFactor<T> {
    /// Solves `A·X = B` (scipy's `lu_solve((lu, piv), b)`); `b` follows the rules of
    /// [`solve`](super::solve).
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// let f = linalg::lu_factor(&array![[2., 1.], [1., 3.]]).unwrap();
    /// assert!(lapis::allclose(&f.solve(&array![5., 10.]).unwrap(), &array![1., 3.]).unwrap());
    /// ```
    pub fn solve<S: Data<Elem = T>>(&self, b: &ArrayBase<S>) -> Result<Array<T>, LinalgError> {
        lu_solve((&self.lu, &self.piv), b, Trans::N)
    }

    /// Solves `Aᵀ·X = B` (scipy's `lu_solve((lu, piv), b, trans=1)`).
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// // aᵀ = [[1, 3], [2, 4]];  aᵀ·[1, 1] = [4, 6]
    /// let f = linalg::lu_factor(&array![[1., 2.], [3., 4.]]).unwrap();
    /// let x = f.solve_transpose(&array![4., 6.]).unwrap();
    /// assert!(lapis::allclose(&x, &array![1., 1.]).unwrap());
    /// ```
    pub fn solve_transpose<S: Data<Elem = T>>(
        &self,
        b: &ArrayBase<S>,
    ) -> Result<Array<T>, LinalgError> {
        lu_solve((&self.lu, &self.piv), b, Trans::T)
    }

    /// The determinant of `A` (of each matrix of the stack), from the factors: numpy's
    /// `np.linalg.det(a)` without refactoring. Errors with [`LinalgError::NotSquare`] for a
    /// rectangular factorization.
    ///
    /// ```
    /// use lapis::{array, linalg};
    /// let f: linalg::LuFactor<f64> = linalg::lu_factor(&array![[1., 2.], [3., 4.]]).unwrap();
    /// assert!((f.det().unwrap().item().unwrap() + 2.0).abs() < 1e-14);
    /// ```
    pub fn det(&self) -> Result<Array<T>, LinalgError> {
        const OP: &str = "LuFactor::det";
        let (batch, n) = stacked_square(OP, &self.lu)?;
        let (shape, count) = out_shape(&batch, &[])?;
        let mut out = vec![<T as Number>::one(); count];
        if n > 0 {
            let st = Stack::new(&self.lu, &batch);
            let sp = Stack::vectors(&self.piv, &batch);
            let shapes: [&[usize]; 2] = [self.lu.shape(), self.piv.shape()];
            let err = conv(OP, &shapes);
            if T::IS_COMPLEX {
                for_each(
                    count,
                    vec![(bytemuck::cast_slice_mut::<T, T::Float>(&mut out), 2)],
                    4 * n,
                    || (CMat::zeros(n, n), vec![0usize; n]),
                    |i, o, (f, ipiv), _| {
                        split::load(&st, i, f);
                        sp.copy_col_major(i, ipiv);
                        let d = complex::lu::det(f.as_ref(), ipiv).map_err(&err)?;
                        o[0][0] = d.re;
                        o[0][1] = d.im;
                        Ok(())
                    },
                )?;
            } else {
                let st = st.real();
                for_each(
                    count,
                    vec![(bytemuck::cast_slice_mut::<T, T::Float>(&mut out), 1)],
                    n,
                    || (vec![T::Float::default(); n * n], vec![0usize; n]),
                    |i, o, (buf, ipiv), _| {
                        st.copy_col_major(i, buf);
                        sp.copy_col_major(i, ipiv);
                        let m = MatRef::from_col_major(buf, n, n).expect("n × n");
                        o[0][0] = flu::det(m, ipiv).map_err(&err)?;
                        Ok(())
                    },
                )?;
            }
        }
        Array::from_shape_vec(&shape, out)
    }
}

/// The LU factorization with partial pivoting of an `m × n` matrix or a stack of them, in
/// LAPACK's compact form (scipy's `scipy.linalg.lu_factor(a)`, LAPACK `getrf`), to be
/// reused by [`lu_solve`], [`LuFactor::solve`] and [`LuFactor::det`].
///
/// A singular matrix is not an error here (scipy warns "Diagonal number i is exactly zero");
/// solving with its factors is ([`LinalgError::Singular`]).
///
/// Errors: [`LinalgError::Shape`] for fewer than 2 axes; [`LinalgError::NonFinite`] for NaN
/// or infinite input (scipy's `check_finite=True`).
///
/// ```
/// use lapis::{array, linalg};
/// // scipy: lu, piv = lu_factor([[1., 2.], [3., 4.]])  -> piv == [1, 1]
/// let f = linalg::lu_factor(&array![[1., 2.], [3., 4.]]).unwrap();
/// assert_eq!(f.piv.to_vec(), vec![1, 1]);
/// assert!(lapis::allclose(&f.lu, &array![[3., 4.], [1. / 3., 2. / 3.]]).unwrap());
/// ```
pub fn lu_factor<T, S>(a: &ArrayBase<S>) -> Result<LuFactor<T>, LinalgError>
where
    T: Inexact,
    S: Data<Elem = T>,
{
    const OP: &str = "lu_factor";
    let (batch, m, n) = stacked_2d(OP, a)?;
    let k = m.min(n);
    let (lu_shape, lu_size) = out_shape(&batch, &[m, n])?;
    let (piv_shape, piv_size) = out_shape(&batch, &[k])?;
    let mut lu = vec![T::default(); lu_size];
    let st = Stack::new(a, &batch);
    let shapes: [&[usize]; 1] = [a.shape()];
    let err = conv(OP, &shapes);
    let out = vec![(&mut lu[..], m * n)];
    let work = m * n * k + 1;
    let pivots = if T::IS_COMPLEX {
        for_each(
            st.count(),
            out,
            4 * work,
            || CMat::zeros(m, n),
            |i, o, f, par| {
                split::load(&st, i, f);
                let mut ipiv = vec![0usize; k];
                complex::lu::factor(f.as_mut(), &mut ipiv, par).map_err(&err)?;
                split::store(f.as_ref(), o[0]);
                Ok(ipiv)
            },
        )?
    } else {
        let st = st.real();
        for_each(
            st.count(),
            out,
            work,
            || vec![T::Float::default(); m * n],
            |i, o, buf, par| {
                st.copy_col_major(i, buf);
                let mut ipiv = vec![0usize; k];
                if m > 0 && n > 0 {
                    let mat = MatMut::from_col_major(buf, m, n).expect("m × n workspace");
                    flu::factor(mat, &mut ipiv, par).map_err(&err)?;
                }
                let dst: &mut [T::Float] = bytemuck::cast_slice_mut(o[0]);
                for r in 0..m {
                    for c in 0..n {
                        dst[r * n + c] = buf[r + c * m];
                    }
                }
                Ok(ipiv)
            },
        )?
    };
    let mut piv = Vec::with_capacity(piv_size);
    pivots.into_iter().for_each(|p| piv.extend(p));
    piv.resize(piv_size, 0);
    Ok(LuFactor {
        lu: Array::from_shape_vec(&lu_shape, lu)?,
        piv: Array::from_shape_vec(&piv_shape, piv)?,
    })
}

/// Solves `A·X = B`, `Aᵀ·X = B` or `Aᴴ·X = B` (`trans`: `N`, `T`, `C`) from the LU
/// factorization of `A` (scipy's `scipy.linalg.lu_solve((lu, piv), b, trans=0)`, LAPACK
/// `getrs` / `zgetrs`); for real input `C` is `T`.
///
/// `lu` is `(…, n, n)` and `piv` `(…, n)` as [`lu_factor`] returns them; `b` follows the rules
/// of [`solve`](super::solve): one vector when exactly 1-D, else a stack `(…, n, k)` whose
/// leading axes broadcast against the factorization's.
///
/// Errors: [`LinalgError::Shape`] / [`LinalgError::NotSquare`] for inconsistent shapes;
/// [`LinalgError::InvalidArgument`] for a pivot outside the matrix;
/// [`LinalgError::Singular`] when `U` has an exactly zero diagonal entry (scipy would return
/// infinities); [`LinalgError::NonFinite`] when `lu` or `b` holds NaN or an infinity (scipy's
/// `check_finite=True`).
///
/// ```
/// use lapis::{array, linalg, linalg::Trans};
/// // scipy: lu_solve(lu_factor(a), b, trans=1)
/// let f = linalg::lu_factor(&array![[1., 2.], [3., 4.]]).unwrap();
/// let x = linalg::lu_solve((&f.lu, &f.piv), &array![[4.], [6.]], Trans::T).unwrap();
/// assert!(lapis::allclose(&x, &array![[1.], [1.]]).unwrap());
/// // scipy: lu_solve(lu_factor([[1, 2j], [1j, 1]]), [1-1j, 1-2j], trans=2)  -> [1, 1]
/// use lapis::c64;
/// let z = |re, im| c64::new(re, im);
/// let c = linalg::lu_factor(&array![[z(1., 0.), z(0., 2.)], [z(0., 1.), z(1., 0.)]]).unwrap();
/// let x = linalg::lu_solve((&c.lu, &c.piv), &array![z(1., -1.), z(1., -2.)], Trans::C).unwrap();
/// assert!(lapis::allclose(&x, &array![z(1., 0.), z(1., 0.)]).unwrap());
/// ```
pub fn lu_solve<T, S1, S2, S3>(
    (lu, piv): (&ArrayBase<S1>, &ArrayBase<S2>),
    b: &ArrayBase<S3>,
    trans: Trans,
) -> Result<Array<T>, LinalgError>
where
    T: Inexact,
    S1: Data<Elem = T>,
    S2: Data<Elem = usize>,
    S3: Data<Elem = T>,
{
    const OP: &str = "lu_solve";
    let shapes: [&[usize]; 3] = [lu.shape(), piv.shape(), b.shape()];
    let (lu_batch, n) = stacked_square(OP, lu)?;
    let piv_ok = piv.ndim() == lu.ndim() - 1
        && piv.shape()[..piv.ndim() - 1] == lu_batch[..]
        && piv.shape()[piv.ndim() - 1] == n;
    if !piv_ok {
        return Err(LinalgError::shape(
            OP,
            &shapes,
            "piv must have the shape of lu without its last axis",
        ));
    }
    let plan = RhsPlan::new(OP, lu, b)?;
    let sl = Stack::new(lu, &plan.batch);
    let sp = Stack::vectors(piv, &plan.batch);
    let (n, k) = (plan.n, plan.k);
    let err = conv(OP, &shapes);
    let flops = 2 * n * n * k + 1;
    if T::IS_COMPLEX {
        let trans = match trans {
            Trans::N => complex::lu::Trans::No,
            Trans::T => complex::lu::Trans::Transpose,
            Trans::C => complex::lu::Trans::ConjTranspose,
        };
        return plan.run_chunks(
            4 * flops,
            || (CMat::zeros(n, n), CMat::zeros(n, k), vec![0usize; n]),
            |i, x, (f, xb, ipiv), par| {
                sp.copy_col_major(i, ipiv);
                if !(0..n).all(|c| (0..n).all(|r| sl.at(i, r, c).isfinite())) {
                    return Err(LinalgError::NonFinite);
                }
                split::load(&sl, i, f);
                split::load_row_major(x, xb);
                complex::lu::solve(f.as_ref(), ipiv, xb.as_mut(), trans, par).map_err(&err)?;
                split::store(xb.as_ref(), x);
                Ok(())
            },
        );
    }
    let sl = sl.real();
    plan.run_chunks(
        flops,
        || vec![0usize; n],
        |i, x, ipiv, par| {
            sp.copy_col_major(i, ipiv);
            let f = sl.mat(i);
            if !super::all_finite(f) {
                return Err(LinalgError::NonFinite);
            }
            let x = MatMut::from_row_major(bytemuck::cast_slice_mut(x), n, k).expect("n × k");
            match trans {
                Trans::N => flu::solve(f, ipiv, x, par),
                Trans::T | Trans::C => flu::solve_transpose(f, ipiv, x, par),
            }
            .map_err(&err)
        },
    )
}
