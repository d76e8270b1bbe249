//! `faer` ↔ lapis (feature `faer`): 2-D views both ways where faer's safe API allows, and
//! copies where it does not.
//!
//! faer builds views from a slice in column-major or row-major order with a free stride on
//! the other axis, and reverses either axis in place; so a lapis 2-D view becomes a faer
//! view whenever one of its strides is ±1 (C or Fortran order, transposed, reversed,
//! column or row slices). Strided on both axes (e.g. `a[::2, ::2]`) it is an error from
//! [`as_faer`](crate::ArrayBase::as_faer) and a copy from
//! [`to_faer`](crate::ArrayBase::to_faer). The other way, faer lends one column's slice at
//! a time, so only a single contiguous column or row is viewed in place;
//! [`Array::from_faer`] copies anything else.

use ::faer as fa;
use fa::{Mat, MatMut, MatRef};

use super::{matrix_layout, span};
use crate::array::shape::c_strides;
use crate::{Array, ArrayBase, ArrayView, Data, DataMut, Element, LinalgError};

/// How a lapis 2-D layout maps onto faer's constructors.
enum Plan {
    /// No elements.
    Empty,
    /// Column-major from the lowest element, column stride `|cs|`, then reversals.
    ColMajor {
        low: usize,
        cs: usize,
        rev_rows: bool,
        rev_cols: bool,
    },
    /// Row-major from the lowest element, row stride `|rs|`, then reversals.
    RowMajor {
        low: usize,
        rs: usize,
        rev_rows: bool,
        rev_cols: bool,
    },
}

fn plan(
    op: &'static str,
    shape: &[usize],
    strides: &[isize],
    offset: usize,
) -> Result<(usize, usize, Plan), LinalgError> {
    // A unit stride on an axis of length ≤ 1 costs nothing and lets a single row or column
    // take the column-major or row-major path.
    let (r, c, rs, cs) = matrix_layout(op, shape, strides, [1, 1])?;
    let Some((low, _)) = span(&[r, c], &[rs, cs], offset) else {
        return Ok((r, c, Plan::Empty));
    };
    let (rev_rows, rev_cols) = (rs < 0, cs < 0);
    let p = if rs.abs() == 1 {
        // faer's mutable constructor wants the column stride to clear a whole column.
        let cs = if c <= 1 { r } else { cs.unsigned_abs() };
        Plan::ColMajor {
            low,
            cs,
            rev_rows,
            rev_cols,
        }
    } else if cs.abs() == 1 {
        let rs = if r <= 1 { c } else { rs.unsigned_abs() };
        Plan::RowMajor {
            low,
            rs,
            rev_rows,
            rev_cols,
        }
    } else {
        return Err(LinalgError::Unsupported {
            op,
            message: format!(
                "faer views need a unit stride on one axis, got strides ({rs}, {cs}); \
                 to_faer() copies"
            ),
        });
    };
    Ok((r, c, p))
}

impl<T: Element, S: Data<Elem = T>> ArrayBase<S> {
    /// A zero-copy `faer::MatRef` of a 2-D array with a stride of ±1 on at least one axis
    /// (C or Fortran order, transposed, reversed, row/column slices, broadcast rows).
    ///
    /// Fails for other dimensions and, with [`LinalgError::Unsupported`], for arrays strided
    /// on both axes: faer's safe constructors cannot express them; [`to_faer`](Self::to_faer)
    /// copies.
    ///
    /// ```
    /// use lapis::{array, s};
    /// // numpy: a[::-1, :] handed to faer
    /// let a = array![[1., 2.], [3., 4.], [5., 6.]];
    /// let v = a.slice(s![..;-1, ..]);
    /// let m = v.as_faer().unwrap();
    /// assert_eq!(m, faer::mat![[5., 6.], [3., 4.], [1., 2.]]);
    /// assert_eq!(m.row_stride(), -2);
    /// // numpy: b[::2, ::2] of a 3x3 b is strided on both axes
    /// let b = array![[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]];
    /// assert!(b.slice(s![..;2, ..;2]).as_faer().is_err());
    /// ```
    pub fn as_faer(&self) -> Result<MatRef<'_, T>, LinalgError> {
        let (r, c, p) = plan("as_faer", &self.shape, &self.strides, self.offset)?;
        let data = self.data.storage();
        Ok(match p {
            Plan::Empty => MatRef::from_column_major_slice(&data[..0], r, c),
            Plan::ColMajor {
                low,
                cs,
                rev_rows,
                rev_cols,
            } => reversed(
                MatRef::from_column_major_slice_with_stride(&data[low..], r, c, cs),
                rev_rows,
                rev_cols,
            ),
            Plan::RowMajor {
                low,
                rs,
                rev_rows,
                rev_cols,
            } => reversed(
                MatRef::from_row_major_slice_with_stride(&data[low..], r, c, rs),
                rev_rows,
                rev_cols,
            ),
        })
    }

    /// A `faer::Mat` copy of a 2-D array (any strides).
    ///
    /// ```
    /// use lapis::{array, s};
    /// // numpy: a[::2, ::2].copy()
    /// let a = array![[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]];
    /// let m = a.slice(s![..;2, ..;2]).to_faer().unwrap();
    /// assert_eq!(m, faer::mat![[1., 3.], [7., 9.]]);
    /// ```
    pub fn to_faer(&self) -> Result<Mat<T>, LinalgError> {
        let (r, c, _, _) = matrix_layout("to_faer", &self.shape, &self.strides, [0, 0])?;
        let data = self.data.storage();
        let (rs, cs) = (self.strides[0], self.strides[1]);
        let base = self.offset as isize;
        Ok(Mat::from_fn(r, c, |i, j| {
            data[(base + i as isize * rs + j as isize * cs) as usize]
        }))
    }
}

fn reversed<T>(m: MatRef<'_, T>, rows: bool, cols: bool) -> MatRef<'_, T> {
    let m = if rows { m.reverse_rows() } else { m };
    if cols { m.reverse_cols() } else { m }
}

fn reversed_mut<T>(m: MatMut<'_, T>, rows: bool, cols: bool) -> MatMut<'_, T> {
    let m = if rows { m.reverse_rows_mut() } else { m };
    if cols { m.reverse_cols_mut() } else { m }
}

impl<T: Element, S: DataMut<Elem = T>> ArrayBase<S> {
    /// A zero-copy `faer::MatMut` of a 2-D array with a stride of ±1 on at least one axis;
    /// fails like [`as_faer`](Self::as_faer) otherwise.
    ///
    /// ```
    /// use lapis::array;
    /// // numpy: a.T[0, 1] = 9. (through faer)
    /// let mut a = array![[1., 2.], [3., 4.]];
    /// let mut t = a.view_mut().reversed_axes();
    /// *t.as_faer_mut().unwrap().get_mut(0, 1) = 9.0;
    /// assert_eq!(a, array![[1., 2.], [9., 4.]]);
    /// ```
    pub fn as_faer_mut(&mut self) -> Result<MatMut<'_, T>, LinalgError> {
        let (r, c, p) = plan("as_faer_mut", &self.shape, &self.strides, self.offset)?;
        let data = self.data.storage_mut();
        Ok(match p {
            Plan::Empty => MatMut::from_column_major_slice_mut(&mut data[..0], r, c),
            Plan::ColMajor {
                low,
                cs,
                rev_rows,
                rev_cols,
            } => reversed_mut(
                MatMut::from_column_major_slice_with_stride_mut(&mut data[low..], r, c, cs),
                rev_rows,
                rev_cols,
            ),
            Plan::RowMajor {
                low,
                rs,
                rev_rows,
                rev_cols,
            } => reversed_mut(
                // Not faer's `from_row_major_slice_with_stride_mut`: in faer 0.24.4 it
                // builds a column-major matrix (row stride 1) after checking row-major
                // bounds, which reads past the slice. Transposing a column-major view of
                // the transposed shape is the same layout, checked correctly.
                MatMut::from_column_major_slice_with_stride_mut(&mut data[low..], c, r, rs)
                    .transpose_mut(),
                rev_rows,
                rev_cols,
            ),
        })
    }
}

impl<'a, T: Element> ArrayView<'a, T> {
    /// A zero-copy lapis view of a faer matrix that is one forward-contiguous column or
    /// row (or empty): faer lends a slice for one column or row at a time only.
    ///
    /// Fails with [`LinalgError::Unsupported`] otherwise; [`Array::from_faer`] copies.
    ///
    /// ```
    /// use lapis::ArrayView;
    /// // numpy: np.asarray(m[:, 1:2])
    /// let m = faer::mat![[1., 2.], [3., 4.]];
    /// let v = ArrayView::from_faer(m.as_ref().subcols(1, 1)).unwrap();
    /// assert_eq!(v, lapis::array![[2.], [4.]]);
    /// assert!(std::ptr::eq(&v[[1, 0]], m.get(1, 1)));
    /// assert!(ArrayView::from_faer(m.as_ref()).is_err());
    /// ```
    pub fn from_faer(m: MatRef<'a, T>) -> Result<Self, LinalgError> {
        let (r, c) = m.shape();
        if r == 0 || c == 0 {
            return Ok(ArrayBase::from_parts(
                &[][..],
                vec![r, c],
                c_strides(&[r, c]),
                0,
            ));
        }
        if c == 1
            && let Some(col) = m.col(0).try_as_col_major()
        {
            return Ok(ArrayBase::from_parts(
                col.as_slice(),
                vec![r, 1],
                vec![1, 1],
                0,
            ));
        }
        if r == 1
            && let Some(row) = m.row(0).try_as_row_major()
        {
            return Ok(ArrayBase::from_parts(
                row.as_slice(),
                vec![1, c],
                vec![1, 1],
                0,
            ));
        }
        Err(LinalgError::Unsupported {
            op: "from_faer",
            message: format!(
                "faer lends one column's slice at a time, so a {r}x{c} matrix cannot be \
                 viewed in place; Array::from_faer copies it"
            ),
        })
    }
}

impl<T: Element> Array<T> {
    /// A C-order copy of a faer matrix or view (any strides); pass `&Mat` as `m.as_ref()`.
    ///
    /// faer's `Mat` pads its columns and gives up no buffer, so owned matrices are copied
    /// too.
    ///
    /// ```
    /// use lapis::Array;
    /// // numpy: np.array(m.T)
    /// let m = faer::mat![[1., 2., 3.], [4., 5., 6.]];
    /// let a = Array::from_faer(m.transpose());
    /// assert_eq!(a, lapis::array![[1., 4.], [2., 5.], [3., 6.]]);
    /// ```
    pub fn from_faer(m: MatRef<'_, T>) -> Self {
        let (r, c) = m.shape();
        Array::from_shape_fn(&[r, c], |ix| *m.get(ix[0], ix[1]))
    }
}
