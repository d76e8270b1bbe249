//! Split complex views and the owned split matrix.

use lapis_kernels::{MatMut, MatRef, Scalar};
use num_complex::Complex;

use crate::FactorError;

fn same_shape(re: (usize, usize), im: (usize, usize)) -> Result<(), FactorError> {
    if re == im {
        return Ok(());
    }
    Err(FactorError::Shape {
        op: "complex view",
        shapes: vec![("re", re), ("im", im)],
    })
}

/// A read-only complex matrix: the real and imaginary planes, each a real strided view of
/// the same shape.
#[derive(Clone, Copy, Debug)]
pub struct CMatRef<'a, T: Copy> {
    re: MatRef<'a, T>,
    im: MatRef<'a, T>,
}

/// A mutable complex matrix: the real and imaginary planes, each a real strided view of the
/// same shape.
#[derive(Debug)]
pub struct CMatMut<'a, T: Copy> {
    re: MatMut<'a, T>,
    im: MatMut<'a, T>,
}

impl<'a, T: Scalar> CMatRef<'a, T> {
    /// The complex matrix `re + i·im`. Errors when the planes' shapes differ.
    pub fn new(re: MatRef<'a, T>, im: MatRef<'a, T>) -> Result<Self, FactorError> {
        same_shape(re.shape(), im.shape())?;
        Ok(CMatRef { re, im })
    }
    /// The real plane.
    #[inline]
    pub fn re(&self) -> MatRef<'a, T> {
        self.re
    }
    /// The imaginary plane.
    #[inline]
    pub fn im(&self) -> MatRef<'a, T> {
        self.im
    }
    /// Number of rows.
    #[inline]
    pub fn nrows(&self) -> usize {
        self.re.nrows()
    }
    /// Number of columns.
    #[inline]
    pub fn ncols(&self) -> usize {
        self.re.ncols()
    }
    /// `(rows, columns)`.
    #[inline]
    pub fn shape(&self) -> (usize, usize) {
        self.re.shape()
    }
    /// Element `(i, j)`. Panics out of bounds.
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> Complex<T> {
        Complex::new(self.re.get(i, j), self.im.get(i, j))
    }
    /// The transpose (not conjugated), as a view.
    #[inline]
    pub fn transpose(self) -> Self {
        CMatRef {
            re: self.re.transpose(),
            im: self.im.transpose(),
        }
    }
    /// The block of `nrows × ncols` starting at `(row, col)`. Panics out of bounds.
    #[inline]
    pub fn submatrix(self, row: usize, col: usize, nrows: usize, ncols: usize) -> Self {
        CMatRef {
            re: self.re.submatrix(row, col, nrows, ncols),
            im: self.im.submatrix(row, col, nrows, ncols),
        }
    }
    /// Rows `..i` and `i..`.
    #[inline]
    pub fn split_at_row(self, i: usize) -> (Self, Self) {
        let (r0, r1) = self.re.split_at_row(i);
        let (i0, i1) = self.im.split_at_row(i);
        (CMatRef { re: r0, im: i0 }, CMatRef { re: r1, im: i1 })
    }
    /// Columns `..j` and `j..`.
    #[inline]
    pub fn split_at_col(self, j: usize) -> (Self, Self) {
        let (r0, r1) = self.re.split_at_col(j);
        let (i0, i1) = self.im.split_at_col(j);
        (CMatRef { re: r0, im: i0 }, CMatRef { re: r1, im: i1 })
    }
    /// Column `j` as an `m × 1` view.
    #[inline]
    pub fn col(self, j: usize) -> Self {
        CMatRef {
            re: self.re.col(j),
            im: self.im.col(j),
        }
    }
    /// Row `i` as a `1 × n` view.
    #[inline]
    pub fn row(self, i: usize) -> Self {
        CMatRef {
            re: self.re.row(i),
            im: self.im.row(i),
        }
    }
}

impl<'a, T: Scalar> CMatMut<'a, T> {
    /// The complex matrix `re + i·im`. Errors when the planes' shapes differ.
    pub fn new(re: MatMut<'a, T>, im: MatMut<'a, T>) -> Result<Self, FactorError> {
        same_shape(re.shape(), im.shape())?;
        Ok(CMatMut { re, im })
    }
    /// Both planes, mutable, for the real kernels.
    #[inline]
    pub fn planes(&mut self) -> (MatMut<'_, T>, MatMut<'_, T>) {
        (self.re.rb(), self.im.rb())
    }
    /// Both planes, consuming the view.
    #[inline]
    pub fn into_planes(self) -> (MatMut<'a, T>, MatMut<'a, T>) {
        (self.re, self.im)
    }
    /// Number of rows.
    #[inline]
    pub fn nrows(&self) -> usize {
        self.re.nrows()
    }
    /// Number of columns.
    #[inline]
    pub fn ncols(&self) -> usize {
        self.re.ncols()
    }
    /// `(rows, columns)`.
    #[inline]
    pub fn shape(&self) -> (usize, usize) {
        self.re.shape()
    }
    /// A read-only view of the same elements.
    #[inline]
    pub fn as_ref(&self) -> CMatRef<'_, T> {
        CMatRef {
            re: self.re.as_ref(),
            im: self.im.as_ref(),
        }
    }
    /// Converts into a read-only view of the same lifetime.
    #[inline]
    pub fn into_ref(self) -> CMatRef<'a, T> {
        CMatRef {
            re: self.re.into_ref(),
            im: self.im.into_ref(),
        }
    }
    /// Reborrows the view for a shorter lifetime.
    #[inline]
    pub fn rb(&mut self) -> CMatMut<'_, T> {
        CMatMut {
            re: self.re.rb(),
            im: self.im.rb(),
        }
    }
    /// Element `(i, j)`. Panics out of bounds.
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> Complex<T> {
        Complex::new(self.re.get(i, j), self.im.get(i, j))
    }
    /// Sets element `(i, j)`. Panics out of bounds.
    #[inline]
    pub fn write(&mut self, i: usize, j: usize, z: Complex<T>) {
        self.re.write(i, j, z.re);
        self.im.write(i, j, z.im);
    }
    /// The transpose (not conjugated), as a view.
    #[inline]
    pub fn transpose(self) -> Self {
        CMatMut {
            re: self.re.transpose(),
            im: self.im.transpose(),
        }
    }
    /// The block of `nrows × ncols` starting at `(row, col)`. Panics out of bounds.
    #[inline]
    pub fn submatrix(self, row: usize, col: usize, nrows: usize, ncols: usize) -> Self {
        CMatMut {
            re: self.re.submatrix(row, col, nrows, ncols),
            im: self.im.submatrix(row, col, nrows, ncols),
        }
    }
    /// Rows `..i` and `i..`, both mutable.
    #[inline]
    pub fn split_at_row(self, i: usize) -> (Self, Self) {
        let (r0, r1) = self.re.split_at_row(i);
        let (i0, i1) = self.im.split_at_row(i);
        (CMatMut { re: r0, im: i0 }, CMatMut { re: r1, im: i1 })
    }
    /// Columns `..j` and `j..`, both mutable.
    #[inline]
    pub fn split_at_col(self, j: usize) -> (Self, Self) {
        let (r0, r1) = self.re.split_at_col(j);
        let (i0, i1) = self.im.split_at_col(j);
        (CMatMut { re: r0, im: i0 }, CMatMut { re: r1, im: i1 })
    }
    /// Column `j` as an `m × 1` view.
    #[inline]
    pub fn col_mut(self, j: usize) -> Self {
        CMatMut {
            re: self.re.col_mut(j),
            im: self.im.col_mut(j),
        }
    }
    /// Row `i` as a `1 × n` view.
    #[inline]
    pub fn row_mut(self, i: usize) -> Self {
        CMatMut {
            re: self.re.row_mut(i),
            im: self.im.row_mut(i),
        }
    }
    /// Sets every element to `z`.
    pub fn fill(&mut self, z: Complex<T>) {
        self.re.fill(z.re);
        self.im.fill(z.im);
    }
    /// Copies `src` (same shape) into this view. Panics on a shape mismatch.
    pub fn copy_from(&mut self, src: CMatRef<'_, T>) {
        self.re.copy_from(src.re);
        self.im.copy_from(src.im);
    }
}

/// An owned complex matrix in split storage: two dense column-major planes.
///
/// ```
/// use lapis_factor::complex::{CMat, Complex};
/// // numpy: np.array([[1+2j, 3], [0, -1j]])  (interleaved, C order)
/// let z = [1.0, 2.0, 3.0, 0.0, 0.0, 0.0, 0.0, -1.0];
/// let m = CMat::from_interleaved(&z, 2, 2, 4, 2);
/// assert_eq!(m.as_ref().get(0, 0), Complex::new(1.0, 2.0));
/// assert_eq!(m.as_ref().get(1, 1), Complex::new(0.0, -1.0));
/// let mut back = [0.0; 8];
/// m.write_interleaved(&mut back, 4, 2);
/// assert_eq!(back, z);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CMat<T> {
    re: Vec<T>,
    im: Vec<T>,
    nrows: usize,
    ncols: usize,
}

impl<T: Scalar> CMat<T> {
    /// The `nrows × ncols` zero matrix.
    pub fn zeros(nrows: usize, ncols: usize) -> Self {
        let len = nrows
            .checked_mul(ncols)
            .expect("matrix size overflows usize");
        CMat {
            re: vec![T::zero(); len],
            im: vec![T::zero(); len],
            nrows,
            ncols,
        }
    }

    /// The identity of order `n`.
    pub fn identity(n: usize) -> Self {
        let mut m = Self::zeros(n, n);
        for i in 0..n {
            m.re[i + i * n] = T::one();
        }
        m
    }

    /// Copies a complex matrix given as interleaved parts (`re, im, re, im, …`, numpy's
    /// memory layout): element `(i, j)` has its real part at
    /// `parts[i·row_stride + j·col_stride]` and its imaginary part just after; the strides
    /// count parts (twice numpy's element strides). Panics when an element lies outside
    /// `parts`.
    pub fn from_interleaved(
        parts: &[T],
        nrows: usize,
        ncols: usize,
        row_stride: usize,
        col_stride: usize,
    ) -> Self {
        let mut m = Self::zeros(nrows, ncols);
        for j in 0..ncols {
            for i in 0..nrows {
                let at = i * row_stride + j * col_stride;
                m.re[i + j * nrows] = parts[at];
                m.im[i + j * nrows] = parts[at + 1];
            }
        }
        m
    }

    /// Copies the matrix out as interleaved parts, the inverse of
    /// [`from_interleaved`](Self::from_interleaved).
    pub fn write_interleaved(&self, parts: &mut [T], row_stride: usize, col_stride: usize) {
        for j in 0..self.ncols {
            for i in 0..self.nrows {
                let at = i * row_stride + j * col_stride;
                parts[at] = self.re[i + j * self.nrows];
                parts[at + 1] = self.im[i + j * self.nrows];
            }
        }
    }

    /// Copies any complex view into a new dense matrix.
    pub fn from_view(src: CMatRef<'_, T>) -> Self {
        let (m, n) = src.shape();
        let mut out = Self::zeros(m, n);
        out.as_mut().copy_from(src);
        out
    }

    /// Number of rows.
    pub fn nrows(&self) -> usize {
        self.nrows
    }
    /// Number of columns.
    pub fn ncols(&self) -> usize {
        self.ncols
    }
    /// The real plane, column-major.
    pub fn re_slice(&self) -> &[T] {
        &self.re
    }
    /// The imaginary plane, column-major.
    pub fn im_slice(&self) -> &[T] {
        &self.im
    }
    /// A read-only view.
    pub fn as_ref(&self) -> CMatRef<'_, T> {
        let re = MatRef::from_col_major(&self.re, self.nrows, self.ncols).expect("dense plane");
        let im = MatRef::from_col_major(&self.im, self.nrows, self.ncols).expect("dense plane");
        CMatRef { re, im }
    }
    /// A mutable view.
    pub fn as_mut(&mut self) -> CMatMut<'_, T> {
        let re = MatMut::from_col_major(&mut self.re, self.nrows, self.ncols).expect("dense plane");
        let im = MatMut::from_col_major(&mut self.im, self.nrows, self.ncols).expect("dense plane");
        CMatMut { re, im }
    }
}
