//! `nalgebra` ↔ lapis (feature `nalgebra`): 2-D views both ways where nalgebra can express
//! or lend them, `DMatrix` ↔ `Array` moving the buffer where the layout allows.
//!
//! nalgebra strides are `usize`: a lapis view with a negative stride (a reversed axis) has
//! no nalgebra view, and [`as_nalgebra`](crate::ArrayBase::as_nalgebra) says so with an error
//! ([`to_nalgebra`](crate::ArrayBase::to_nalgebra) copies). The other way, nalgebra lends the
//! slice of contiguous storage only (`DMatrix`, `SMatrix`, `DVector`, …), so a strided
//! `DMatrixView` reaches lapis through an explicit copy ([`Array::copy_from_nalgebra`]).

use ::nalgebra as na;
use na::{DMatrix, DMatrixView, DMatrixViewMut, Dim, Dyn, IsContiguous, Matrix};
use na::{RawStorage, RawStorageMut};

use super::matrix_layout;
use crate::array::shape::is_f_contiguous;
use crate::{Array, ArrayBase, ArrayView, ArrayViewMut, Data, DataMut, Element, LinalgError};

fn negative(op: &'static str, rs: isize, cs: isize) -> LinalgError {
    LinalgError::Unsupported {
        op,
        message: format!(
            "nalgebra views have non-negative strides, got ({rs}, {cs}); to_nalgebra() copies"
        ),
    }
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// A zero-copy `nalgebra` view of a 2-D array with non-negative strides (C order,
    /// Fortran order, transposed, sliced with positive steps, broadcast).
    ///
    /// Fails for other dimensions and, with [`LinalgError::Unsupported`], for a negative
    /// stride (nalgebra cannot express it): [`to_nalgebra`](Self::to_nalgebra) copies.
    ///
    /// ```
    /// use lapis::{array, s};
    /// // numpy: a[:, 1:] viewed by nalgebra
    /// let a = array![[1., 2., 3.], [4., 5., 6.]];
    /// let v = a.slice(s![.., 1..]);
    /// let m = v.as_nalgebra().unwrap();
    /// assert_eq!(m, nalgebra::DMatrix::from_row_slice(2, 2, &[2., 3., 5., 6.]));
    /// assert!(std::ptr::eq(&m[(1, 0)], &a[[1, 1]]));
    /// assert!(a.slice(s![.., ..;-1]).as_nalgebra().is_err());
    /// ```
    pub fn as_nalgebra(&self) -> Result<DMatrixView<'_, T, Dyn, Dyn>, LinalgError> {
        const OP: &str = "as_nalgebra";
        let (r, c, rs, cs) = matrix_layout(OP, &self.shape, &self.strides, [0, 0])?;
        if r == 0 || c == 0 {
            return Ok(DMatrixView::from_slice_with_strides_generic(
                &[],
                Dyn(r),
                Dyn(c),
                Dyn(1),
                Dyn(r),
            ));
        }
        if rs < 0 || cs < 0 {
            return Err(negative(OP, rs, cs));
        }
        Ok(DMatrixView::from_slice_with_strides_generic(
            &self.data.storage()[self.offset..],
            Dyn(r),
            Dyn(c),
            Dyn(rs as usize),
            Dyn(cs as usize),
        ))
    }

    /// A column-major `nalgebra::DMatrix` copy of a 2-D array (any strides).
    ///
    /// ```
    /// use lapis::{array, s};
    /// // numpy: a[::-1].copy(order='F')
    /// let a = array![[1., 2.], [3., 4.]];
    /// let m = a.slice(s![..;-1, ..]).to_nalgebra().unwrap();
    /// assert_eq!(m, nalgebra::DMatrix::from_row_slice(2, 2, &[3., 4., 1., 2.]));
    /// ```
    pub fn to_nalgebra(&self) -> Result<DMatrix<T>, LinalgError> {
        let (r, c, _, _) = matrix_layout("to_nalgebra", &self.shape, &self.strides, [0, 0])?;
        let data = self.data.storage();
        let (rs, cs) = (self.strides[0], self.strides[1]);
        let base = self.offset as isize;
        Ok(DMatrix::from_fn(r, c, |i, j| {
            data[(base + i as isize * rs + j as isize * cs) as usize]
        }))
    }
}

impl<T: Element, S: DataMut<Elem = T>> ArrayBase<S> {
    /// A zero-copy mutable `nalgebra` view of a 2-D array with non-negative strides; fails
    /// like [`as_nalgebra`](Self::as_nalgebra) otherwise.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.T[0, 1] = 9. (through nalgebra)
    /// let mut a = array![[1., 2.], [3., 4.]];
    /// a.as_nalgebra_mut().unwrap().transpose_mut();
    /// assert_eq!(a, array![[1., 3.], [2., 4.]]);
    /// ```
    pub fn as_nalgebra_mut(&mut self) -> Result<DMatrixViewMut<'_, T, Dyn, Dyn>, LinalgError> {
        const OP: &str = "as_nalgebra_mut";
        let (r, c, rs, cs) = matrix_layout(OP, &self.shape, &self.strides, [0, 0])?;
        if r == 0 || c == 0 {
            return Ok(DMatrixViewMut::from_slice_with_strides_generic(
                &mut [],
                Dyn(r),
                Dyn(c),
                Dyn(1),
                Dyn(r),
            ));
        }
        if rs < 0 || cs < 0 {
            return Err(negative(OP, rs, cs));
        }
        let offset = self.offset;
        Ok(DMatrixViewMut::from_slice_with_strides_generic(
            &mut self.data.storage_mut()[offset..],
            Dyn(r),
            Dyn(c),
            Dyn(rs as usize),
            Dyn(cs as usize),
        ))
    }
}

impl<'a, T: Element> ArrayView<'a, T> {
    /// A zero-copy lapis view of a contiguous nalgebra matrix (`DMatrix`, `SMatrix`,
    /// `DVector`, …): shape `(nrows, ncols)`, strides `(1, nrows)` (column-major).
    ///
    /// ```
    /// use lapis::ArrayView;
    /// // numpy: np.asarray(m)
    /// let m = nalgebra::DMatrix::from_row_slice(2, 3, &[1., 2., 3., 4., 5., 6.]);
    /// let v = ArrayView::from_nalgebra(&m);
    /// assert_eq!(v, lapis::array![[1., 2., 3.], [4., 5., 6.]]);
    /// assert_eq!(v.strides(), &[1, 2]);
    /// assert!(std::ptr::eq(&v[[1, 2]], &m[(1, 2)]));
    /// ```
    pub fn from_nalgebra<R: Dim, C: Dim, St>(m: &'a Matrix<T, R, C, St>) -> Self
    where
        St: RawStorage<T, R, C> + IsContiguous,
    {
        let (r, c) = m.shape();
        ArrayBase::from_parts(m.as_slice(), vec![r, c], vec![1, r.max(1) as isize], 0)
    }
}

impl<'a, T: Element> ArrayViewMut<'a, T> {
    /// A zero-copy mutable lapis view of a contiguous nalgebra matrix (column-major).
    ///
    /// ```
    /// use lapis::ArrayViewMut;
    /// // numpy: v = np.asarray(m); v[0, 1] = 7.
    /// let mut m = nalgebra::DMatrix::from_row_slice(2, 2, &[1., 2., 3., 4.]);
    /// ArrayViewMut::from_nalgebra(&mut m)[[0, 1]] = 7.0;
    /// assert_eq!(m[(0, 1)], 7.0);
    /// ```
    pub fn from_nalgebra<R: Dim, C: Dim, St>(m: &'a mut Matrix<T, R, C, St>) -> Self
    where
        St: RawStorageMut<T, R, C> + IsContiguous,
    {
        let (r, c) = m.shape();
        ArrayBase::from_parts(m.as_mut_slice(), vec![r, c], vec![1, r.max(1) as isize], 0)
    }
}

impl<T: Element> Array<T> {
    /// Takes over a `DMatrix`'s buffer without copying: shape `(nrows, ncols)`, strides
    /// `(1, nrows)`.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.asarray(m)
    /// let m = nalgebra::DMatrix::from_row_slice(2, 2, &[1., 2., 3., 4.]);
    /// let p = m.as_ptr();
    /// let a = Array::from_nalgebra(m);
    /// assert_eq!(a, lapis::array![[1., 2.], [3., 4.]]);
    /// assert!(std::ptr::eq(p, &a[[0, 0]]));
    /// ```
    pub fn from_nalgebra(m: DMatrix<T>) -> Self {
        let (r, c) = m.shape();
        let v: Vec<T> = m.data.into();
        Array::from_parts(v, vec![r, c], vec![1, r.max(1) as isize], 0)
    }

    /// A C-order copy of any nalgebra matrix or view, strided ones included (nalgebra
    /// lends no slice for those, so a view is impossible without `unsafe`).
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.array(m[:, ::2])
    /// let m = nalgebra::DMatrix::from_row_slice(2, 3, &[1., 2., 3., 4., 5., 6.]);
    /// let v = m.view_with_steps((0, 0), (2, 2), (0, 1));
    /// assert_eq!(Array::copy_from_nalgebra(&v), lapis::array![[1., 3.], [4., 6.]]);
    /// ```
    pub fn copy_from_nalgebra<R: Dim, C: Dim, St: RawStorage<T, R, C>>(
        m: &Matrix<T, R, C, St>,
    ) -> Self {
        let (r, c) = m.shape();
        Array::from_shape_fn(&[r, c], |ix| m[(ix[0], ix[1])])
    }

    /// Hands this 2-D array's buffer to a `DMatrix` when it is dense in column-major order
    /// from the start of its buffer (e.g. [`from_nalgebra`](Self::from_nalgebra)'s result, or
    /// the transpose of a fresh C-order array); otherwise copies into column-major order.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: np.asfortranarray(a)
    /// let a = array![[1., 2.], [3., 4.]].reversed_axes();
    /// let p: *const f64 = &a[[0, 0]];
    /// let m = a.into_nalgebra().unwrap();
    /// assert_eq!(m, nalgebra::DMatrix::from_row_slice(2, 2, &[1., 3., 2., 4.]));
    /// assert_eq!(m.as_ptr(), p);
    /// ```
    pub fn into_nalgebra(self) -> Result<DMatrix<T>, LinalgError> {
        let (r, c, _, _) = matrix_layout("into_nalgebra", &self.shape, &self.strides, [0, 0])?;
        if self.offset == 0
            && self.data.len() == r * c
            && is_f_contiguous(&self.shape, &self.strides)
        {
            return Ok(DMatrix::from_vec(r, c, self.data));
        }
        self.to_nalgebra()
    }
}
