//! Strided matrix views: the vocabulary every layer of Lapis speaks.
//!
//! A view is a pointer, a shape and two strides (in elements, any sign). Element `(i, j)`
//! lives at `ptr + i·row_stride + j·col_stride`. Safe constructors check once that every
//! element lies inside the borrowed slice (and, for [`MatMut`], that no two elements share a
//! memory location); after that, splitting, transposing and sub-viewing are free.

use core::fmt;
use core::marker::PhantomData;

/// Why a view could not be built.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ViewError {
    /// Some element would fall outside the slice.
    OutOfBounds {
        /// Length of the slice.
        len: usize,
        /// Lowest element offset the view would touch.
        min: isize,
        /// Highest element offset the view would touch.
        max: isize,
    },
    /// `nrows · ncols` or an offset computation overflows.
    Overflow,
    /// Two different elements of a mutable view would alias one memory location.
    Aliasing {
        /// The strides that overlap.
        row_stride: isize,
        /// The strides that overlap.
        col_stride: isize,
    },
}

impl fmt::Display for ViewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ViewError::OutOfBounds { len, min, max } => write!(
                f,
                "view touches element offsets {min}..={max} of a slice of length {len}"
            ),
            ViewError::Overflow => write!(f, "view size or offset overflows isize"),
            ViewError::Aliasing {
                row_stride,
                col_stride,
            } => write!(
                f,
                "mutable view with strides ({row_stride}, {col_stride}) would alias elements"
            ),
        }
    }
}

impl std::error::Error for ViewError {}

/// Range of element offsets `[min, max]` touched by a non-empty view; `None` on overflow.
fn offset_range(nrows: usize, ncols: usize, rs: isize, cs: isize) -> Option<(isize, isize)> {
    let last_r = isize::try_from(nrows - 1).ok()?;
    let last_c = isize::try_from(ncols - 1).ok()?;
    let dr = last_r.checked_mul(rs)?;
    let dc = last_c.checked_mul(cs)?;
    let min = dr.min(0).checked_add(dc.min(0))?;
    let max = dr.max(0).checked_add(dc.max(0))?;
    Some((min, max))
}

/// The leading dimension of a dense `inner × outer` block (`inner` elements contiguous, then
/// the next of `outer` runs) at the start of `len` elements, when it fits; `None` sends the
/// caller to [`check_layout`], which says why it does not. The dense constructors take this
/// shortcut because a small product builds three views per call: it is the check of
/// `check_layout` for these strides (`(inner − 1) + (outer − 1)·inner < len`), nothing less.
#[inline]
fn dense_ld(len: usize, inner: usize, outer: usize) -> Option<isize> {
    let fits = inner
        .checked_mul(outer)
        .is_some_and(|size| size <= len && isize::try_from(size).is_ok());
    let ld = isize::try_from(inner.max(1)).ok()?;
    (fits && isize::try_from(outer).is_ok()).then_some(ld)
}

/// Checks that a view of the given layout starting at `offset` fits in `len` elements.
fn check_layout(
    len: usize,
    offset: usize,
    nrows: usize,
    ncols: usize,
    rs: isize,
    cs: isize,
) -> Result<(), ViewError> {
    nrows.checked_mul(ncols).ok_or(ViewError::Overflow)?;
    if nrows == 0 || ncols == 0 {
        return if offset <= len {
            Ok(())
        } else {
            Err(ViewError::OutOfBounds {
                len,
                min: offset as isize,
                max: offset as isize,
            })
        };
    }
    let (lo, hi) = offset_range(nrows, ncols, rs, cs).ok_or(ViewError::Overflow)?;
    let off = isize::try_from(offset).map_err(|_| ViewError::Overflow)?;
    let min = off.checked_add(lo).ok_or(ViewError::Overflow)?;
    let max = off.checked_add(hi).ok_or(ViewError::Overflow)?;
    if min < 0 || max >= len as isize {
        return Err(ViewError::OutOfBounds { len, min, max });
    }
    Ok(())
}

/// Whether distinct `(i, j)` map to distinct offsets. Conservative: accepts the layouts where
/// one stride steps over the whole extent of the other (every dense or sub-viewed layout).
fn is_injective(nrows: usize, ncols: usize, rs: isize, cs: isize) -> bool {
    let (r, c) = (rs.unsigned_abs(), cs.unsigned_abs());
    match (nrows > 1, ncols > 1) {
        (false, false) => true,
        (true, false) => r != 0,
        (false, true) => c != 0,
        (true, true) => {
            if r == 0 || c == 0 {
                return false;
            }
            let (small, small_n, big) = if r <= c { (r, nrows, c) } else { (c, ncols, r) };
            small.checked_mul(small_n).is_some_and(|ext| ext <= big)
        }
    }
}

/// A read-only strided view of a matrix.
pub struct MatRef<'a, T> {
    ptr: *const T,
    nrows: usize,
    ncols: usize,
    rs: isize,
    cs: isize,
    _marker: PhantomData<&'a T>,
}

/// A mutable strided view of a matrix; its elements never alias each other.
pub struct MatMut<'a, T> {
    ptr: *mut T,
    nrows: usize,
    ncols: usize,
    rs: isize,
    cs: isize,
    _marker: PhantomData<&'a mut T>,
}

impl<T> Clone for MatRef<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for MatRef<'_, T> {}

// SAFETY: a MatRef is a shared borrow of `T`s; sharing it across threads is sharing `&T`.
unsafe impl<T: Sync> Send for MatRef<'_, T> {}
// SAFETY: as above.
unsafe impl<T: Sync> Sync for MatRef<'_, T> {}
// SAFETY: a MatMut is a unique borrow of non-aliasing `T`s, like `&mut [T]`.
unsafe impl<T: Send> Send for MatMut<'_, T> {}
// SAFETY: `&MatMut` only gives shared access to the elements.
unsafe impl<T: Sync> Sync for MatMut<'_, T> {}

impl<T: fmt::Debug + Copy> fmt::Debug for MatRef<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MatRef {}x{} ", self.nrows, self.ncols)?;
        f.debug_list()
            .entries(
                (0..self.nrows)
                    .map(|i| (0..self.ncols).map(|j| self.get(i, j)).collect::<Vec<_>>()),
            )
            .finish()
    }
}

impl<T: fmt::Debug + Copy> fmt::Debug for MatMut<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.as_ref(), f)
    }
}

impl<'a, T> MatRef<'a, T> {
    /// A view of `data` with element `(i, j)` at `offset + i·row_stride + j·col_stride`.
    ///
    /// ```
    /// use lapis_kernels::MatRef;
    /// // numpy: np.arange(6.).reshape(2, 3)[:, ::-1]
    /// let data = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0];
    /// let a = MatRef::from_slice_with_offset(&data, 2, 2, 3, 3, -1).unwrap();
    /// assert_eq!(a.get(0, 0), 2.0);
    /// assert_eq!(a.get(1, 2), 3.0);
    /// ```
    pub fn from_slice_with_offset(
        data: &'a [T],
        offset: usize,
        nrows: usize,
        ncols: usize,
        row_stride: isize,
        col_stride: isize,
    ) -> Result<Self, ViewError> {
        check_layout(data.len(), offset, nrows, ncols, row_stride, col_stride)?;
        Ok(MatRef {
            // SAFETY: check_layout proved offset <= len.
            ptr: unsafe { data.as_ptr().add(offset) },
            nrows,
            ncols,
            rs: row_stride,
            cs: col_stride,
            _marker: PhantomData,
        })
    }

    /// A view of `data` starting at its first element.
    pub fn from_slice(
        data: &'a [T],
        nrows: usize,
        ncols: usize,
        row_stride: isize,
        col_stride: isize,
    ) -> Result<Self, ViewError> {
        Self::from_slice_with_offset(data, 0, nrows, ncols, row_stride, col_stride)
    }

    /// A dense column-major view (Fortran order, LAPACK's layout).
    #[inline]
    pub fn from_col_major(data: &'a [T], nrows: usize, ncols: usize) -> Result<Self, ViewError> {
        if let Some(ld) = dense_ld(data.len(), nrows, ncols) {
            // SAFETY: `dense_ld` proved that the column-major block with leading dimension ld
            // lies inside `data`, which the view borrows for 'a.
            return Ok(unsafe { Self::from_raw_parts(data.as_ptr(), nrows, ncols, 1, ld) });
        }
        let ld = isize::try_from(nrows.max(1)).map_err(|_| ViewError::Overflow)?;
        Self::from_slice(data, nrows, ncols, 1, ld)
    }

    /// A dense row-major view (C order, numpy's default layout).
    ///
    /// ```
    /// use lapis_kernels::MatRef;
    /// // numpy: np.array([[1., 2.], [3., 4.]])
    /// let a = MatRef::from_row_major(&[1.0, 2.0, 3.0, 4.0], 2, 2).unwrap();
    /// assert_eq!(a.get(1, 0), 3.0);
    /// ```
    #[inline]
    pub fn from_row_major(data: &'a [T], nrows: usize, ncols: usize) -> Result<Self, ViewError> {
        if let Some(ld) = dense_ld(data.len(), ncols, nrows) {
            // SAFETY: `dense_ld` proved that the row-major block with leading dimension ld
            // lies inside `data`, which the view borrows for 'a.
            return Ok(unsafe { Self::from_raw_parts(data.as_ptr(), nrows, ncols, ld, 1) });
        }
        let ld = isize::try_from(ncols.max(1)).map_err(|_| ViewError::Overflow)?;
        Self::from_slice(data, nrows, ncols, ld, 1)
    }

    /// A view from raw parts.
    ///
    /// # Safety
    /// For the lifetime `'a`, every `ptr + i·row_stride + j·col_stride` with `i < nrows`,
    /// `j < ncols` must be valid for reads and not written through any other path.
    pub unsafe fn from_raw_parts(
        ptr: *const T,
        nrows: usize,
        ncols: usize,
        row_stride: isize,
        col_stride: isize,
    ) -> Self {
        MatRef {
            ptr,
            nrows,
            ncols,
            rs: row_stride,
            cs: col_stride,
            _marker: PhantomData,
        }
    }

    /// Number of rows.
    #[inline]
    pub fn nrows(&self) -> usize {
        self.nrows
    }
    /// Number of columns.
    #[inline]
    pub fn ncols(&self) -> usize {
        self.ncols
    }
    /// `(nrows, ncols)`.
    #[inline]
    pub fn shape(&self) -> (usize, usize) {
        (self.nrows, self.ncols)
    }
    /// Distance in elements between `(i, j)` and `(i + 1, j)`.
    #[inline]
    pub fn row_stride(&self) -> isize {
        self.rs
    }
    /// Distance in elements between `(i, j)` and `(i, j + 1)`.
    #[inline]
    pub fn col_stride(&self) -> isize {
        self.cs
    }
    /// Pointer to element `(0, 0)`.
    #[inline]
    pub fn as_ptr(&self) -> *const T {
        self.ptr
    }
    /// Whether the view has no elements.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.nrows == 0 || self.ncols == 0
    }

    /// Pointer to element `(i, j)`, which may be one past the view (for `i == nrows` etc.).
    ///
    /// # Safety
    /// `i <= nrows` and `j <= ncols`, and the offset must stay inside the original
    /// allocation (always true for `i < nrows, j < ncols`, or for an empty remainder).
    #[inline(always)]
    pub unsafe fn ptr_at(&self, i: usize, j: usize) -> *const T {
        self.ptr
            .wrapping_offset(i as isize * self.rs)
            .wrapping_offset(j as isize * self.cs)
    }

    /// Element `(i, j)`; panics when out of range.
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> T
    where
        T: Copy,
    {
        assert!(
            i < self.nrows && j < self.ncols,
            "index ({i}, {j}) out of range for a {}x{} view",
            self.nrows,
            self.ncols
        );
        // SAFETY: bounds checked just above; construction proved every in-range element valid.
        unsafe { *self.ptr_at(i, j) }
    }

    /// Element `(i, j)` without a bounds check.
    ///
    /// # Safety
    /// `i < nrows` and `j < ncols`.
    #[inline(always)]
    pub unsafe fn get_unchecked(&self, i: usize, j: usize) -> T
    where
        T: Copy,
    {
        // SAFETY: the caller guarantees (i, j) is in range.
        unsafe { *self.ptr_at(i, j) }
    }

    /// The transposed view (free).
    #[inline]
    pub fn transpose(self) -> Self {
        MatRef {
            ptr: self.ptr,
            nrows: self.ncols,
            ncols: self.nrows,
            rs: self.cs,
            cs: self.rs,
            _marker: PhantomData,
        }
    }

    /// The view with its rows in reverse order (a negative row stride).
    pub fn reverse_rows(self) -> Self {
        if self.nrows == 0 {
            return self;
        }
        MatRef {
            // SAFETY: row nrows-1 is inside the view.
            ptr: unsafe { self.ptr_at(self.nrows - 1, 0) },
            rs: -self.rs,
            ..self
        }
    }

    /// The view with its columns in reverse order (a negative column stride).
    pub fn reverse_cols(self) -> Self {
        self.transpose().reverse_rows().transpose()
    }

    /// The `nrows × ncols` block starting at `(row, col)`; panics when it does not fit.
    #[inline]
    pub fn submatrix(self, row: usize, col: usize, nrows: usize, ncols: usize) -> Self {
        assert!(
            row.checked_add(nrows).is_some_and(|e| e <= self.nrows)
                && col.checked_add(ncols).is_some_and(|e| e <= self.ncols),
            "submatrix ({row}, {col}) of shape {nrows}x{ncols} does not fit in a {}x{} view",
            self.nrows,
            self.ncols
        );
        MatRef {
            // SAFETY: row <= self.nrows and col <= self.ncols; when the block is non-empty the
            // element is inside the view, and an empty block never dereferences its pointer.
            ptr: unsafe { self.ptr_at(row, col) },
            nrows,
            ncols,
            rs: self.rs,
            cs: self.cs,
            _marker: PhantomData,
        }
    }

    /// Rows `[0, i)` and `[i, nrows)`.
    #[inline]
    pub fn split_at_row(self, i: usize) -> (Self, Self) {
        (
            self.submatrix(0, 0, i, self.ncols),
            self.submatrix(i, 0, self.nrows - i, self.ncols),
        )
    }

    /// Columns `[0, j)` and `[j, ncols)`.
    #[inline]
    pub fn split_at_col(self, j: usize) -> (Self, Self) {
        (
            self.submatrix(0, 0, self.nrows, j),
            self.submatrix(0, j, self.nrows, self.ncols - j),
        )
    }

    /// Column `j` as an `nrows × 1` view.
    #[inline]
    pub fn col(self, j: usize) -> Self {
        self.submatrix(0, j, self.nrows, 1)
    }

    /// Row `i` as a `1 × ncols` view.
    #[inline]
    pub fn row(self, i: usize) -> Self {
        self.submatrix(i, 0, 1, self.ncols)
    }

    /// Copies the view into a new column-major `Vec`.
    pub fn to_col_major_vec(&self) -> Vec<T>
    where
        T: Copy,
    {
        let mut out = Vec::with_capacity(self.nrows * self.ncols);
        for j in 0..self.ncols {
            for i in 0..self.nrows {
                // SAFETY: i < nrows, j < ncols.
                out.push(unsafe { self.get_unchecked(i, j) });
            }
        }
        out
    }
}

impl<'a, T> MatMut<'a, T> {
    /// A mutable view of `data` with element `(i, j)` at `offset + i·row_stride + j·col_stride`.
    /// Rejects layouts where two elements would share a location.
    pub fn from_slice_with_offset(
        data: &'a mut [T],
        offset: usize,
        nrows: usize,
        ncols: usize,
        row_stride: isize,
        col_stride: isize,
    ) -> Result<Self, ViewError> {
        check_layout(data.len(), offset, nrows, ncols, row_stride, col_stride)?;
        if !is_injective(nrows, ncols, row_stride, col_stride) {
            return Err(ViewError::Aliasing {
                row_stride,
                col_stride,
            });
        }
        Ok(MatMut {
            // SAFETY: check_layout proved offset <= len.
            ptr: unsafe { data.as_mut_ptr().add(offset) },
            nrows,
            ncols,
            rs: row_stride,
            cs: col_stride,
            _marker: PhantomData,
        })
    }

    /// A mutable view of `data` starting at its first element.
    pub fn from_slice(
        data: &'a mut [T],
        nrows: usize,
        ncols: usize,
        row_stride: isize,
        col_stride: isize,
    ) -> Result<Self, ViewError> {
        Self::from_slice_with_offset(data, 0, nrows, ncols, row_stride, col_stride)
    }

    /// A dense column-major mutable view.
    ///
    /// ```
    /// use lapis_kernels::MatMut;
    /// let mut data = vec![0.0; 6];
    /// let mut a = MatMut::from_col_major(&mut data, 2, 3).unwrap();
    /// a.write(1, 2, 7.0);
    /// assert_eq!(data[5], 7.0);
    /// ```
    #[inline]
    pub fn from_col_major(
        data: &'a mut [T],
        nrows: usize,
        ncols: usize,
    ) -> Result<Self, ViewError> {
        if let Some(ld) = dense_ld(data.len(), nrows, ncols) {
            // SAFETY: `dense_ld` proved that the column-major block with leading dimension ld
            // lies inside `data`, which the view borrows mutably for 'a; a dense layout never
            // maps two elements to one place.
            return Ok(unsafe { Self::from_raw_parts(data.as_mut_ptr(), nrows, ncols, 1, ld) });
        }
        let ld = isize::try_from(nrows.max(1)).map_err(|_| ViewError::Overflow)?;
        Self::from_slice(data, nrows, ncols, 1, ld)
    }

    /// A dense row-major mutable view.
    #[inline]
    pub fn from_row_major(
        data: &'a mut [T],
        nrows: usize,
        ncols: usize,
    ) -> Result<Self, ViewError> {
        if let Some(ld) = dense_ld(data.len(), ncols, nrows) {
            // SAFETY: `dense_ld` proved that the row-major block with leading dimension ld
            // lies inside `data`, which the view borrows mutably for 'a; a dense layout never
            // maps two elements to one place.
            return Ok(unsafe { Self::from_raw_parts(data.as_mut_ptr(), nrows, ncols, ld, 1) });
        }
        let ld = isize::try_from(ncols.max(1)).map_err(|_| ViewError::Overflow)?;
        Self::from_slice(data, nrows, ncols, ld, 1)
    }

    /// A mutable view from raw parts.
    ///
    /// # Safety
    /// For the lifetime `'a`, every `ptr + i·row_stride + j·col_stride` with `i < nrows`,
    /// `j < ncols` must be valid for reads and writes, distinct, and not accessed through any
    /// other path.
    pub unsafe fn from_raw_parts(
        ptr: *mut T,
        nrows: usize,
        ncols: usize,
        row_stride: isize,
        col_stride: isize,
    ) -> Self {
        MatMut {
            ptr,
            nrows,
            ncols,
            rs: row_stride,
            cs: col_stride,
            _marker: PhantomData,
        }
    }

    /// Number of rows.
    #[inline]
    pub fn nrows(&self) -> usize {
        self.nrows
    }
    /// Number of columns.
    #[inline]
    pub fn ncols(&self) -> usize {
        self.ncols
    }
    /// `(nrows, ncols)`.
    #[inline]
    pub fn shape(&self) -> (usize, usize) {
        (self.nrows, self.ncols)
    }
    /// Distance in elements between `(i, j)` and `(i + 1, j)`.
    #[inline]
    pub fn row_stride(&self) -> isize {
        self.rs
    }
    /// Distance in elements between `(i, j)` and `(i, j + 1)`.
    #[inline]
    pub fn col_stride(&self) -> isize {
        self.cs
    }
    /// Pointer to element `(0, 0)`.
    #[inline]
    pub fn as_mut_ptr(&mut self) -> *mut T {
        self.ptr
    }
    /// Whether the view has no elements.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.nrows == 0 || self.ncols == 0
    }

    /// A read-only view of the same elements.
    #[inline]
    pub fn as_ref(&self) -> MatRef<'_, T> {
        MatRef {
            ptr: self.ptr,
            nrows: self.nrows,
            ncols: self.ncols,
            rs: self.rs,
            cs: self.cs,
            _marker: PhantomData,
        }
    }

    /// Reborrows the view for a shorter lifetime.
    #[inline]
    pub fn rb(&mut self) -> MatMut<'_, T> {
        MatMut {
            ptr: self.ptr,
            nrows: self.nrows,
            ncols: self.ncols,
            rs: self.rs,
            cs: self.cs,
            _marker: PhantomData,
        }
    }

    /// Converts into a read-only view of the same lifetime.
    #[inline]
    pub fn into_ref(self) -> MatRef<'a, T> {
        MatRef {
            ptr: self.ptr,
            nrows: self.nrows,
            ncols: self.ncols,
            rs: self.rs,
            cs: self.cs,
            _marker: PhantomData,
        }
    }

    /// Pointer to element `(i, j)`.
    ///
    /// # Safety
    /// As [`MatRef::ptr_at`].
    #[inline(always)]
    pub unsafe fn ptr_at_mut(&mut self, i: usize, j: usize) -> *mut T {
        self.ptr
            .wrapping_offset(i as isize * self.rs)
            .wrapping_offset(j as isize * self.cs)
    }

    /// Element `(i, j)`; panics when out of range.
    #[inline]
    pub fn get(&self, i: usize, j: usize) -> T
    where
        T: Copy,
    {
        self.as_ref().get(i, j)
    }

    /// Writes element `(i, j)`; panics when out of range.
    #[inline]
    pub fn write(&mut self, i: usize, j: usize, value: T) {
        assert!(
            i < self.nrows && j < self.ncols,
            "index ({i}, {j}) out of range for a {}x{} view",
            self.nrows,
            self.ncols
        );
        // SAFETY: bounds checked just above.
        unsafe { *self.ptr_at_mut(i, j) = value };
    }

    /// Mutable reference to element `(i, j)` without a bounds check.
    ///
    /// # Safety
    /// `i < nrows` and `j < ncols`.
    #[inline(always)]
    pub unsafe fn get_unchecked_mut(&mut self, i: usize, j: usize) -> &mut T {
        // SAFETY: the caller guarantees (i, j) is in range; the view is unique.
        unsafe { &mut *self.ptr_at_mut(i, j) }
    }

    /// The transposed view (free).
    #[inline]
    pub fn transpose(self) -> Self {
        MatMut {
            ptr: self.ptr,
            nrows: self.ncols,
            ncols: self.nrows,
            rs: self.cs,
            cs: self.rs,
            _marker: PhantomData,
        }
    }

    /// The `nrows × ncols` block starting at `(row, col)`; panics when it does not fit.
    #[inline]
    pub fn submatrix(self, row: usize, col: usize, nrows: usize, ncols: usize) -> Self {
        let r = self.as_ref().submatrix(row, col, nrows, ncols);
        MatMut {
            ptr: r.ptr as *mut T,
            nrows,
            ncols,
            rs: self.rs,
            cs: self.cs,
            _marker: PhantomData,
        }
    }

    /// Rows `[0, i)` and `[i, nrows)`, both mutable.
    #[inline]
    pub fn split_at_row(self, i: usize) -> (Self, Self) {
        let (nrows, ncols) = (self.nrows, self.ncols);
        let (top, bottom) = (
            self.as_ref().submatrix(0, 0, i, ncols).ptr,
            self.as_ref().submatrix(i, 0, nrows - i, ncols).ptr,
        );
        (
            MatMut {
                ptr: top as *mut T,
                nrows: i,
                ..self
            },
            MatMut {
                ptr: bottom as *mut T,
                nrows: nrows - i,
                ..self
            },
        )
    }

    /// Columns `[0, j)` and `[j, ncols)`, both mutable.
    #[inline]
    pub fn split_at_col(self, j: usize) -> (Self, Self) {
        let (l, r) = self.transpose().split_at_row(j);
        (l.transpose(), r.transpose())
    }

    /// Column `j` as an `nrows × 1` view.
    #[inline]
    pub fn col_mut(self, j: usize) -> Self {
        let n = self.nrows;
        self.submatrix(0, j, n, 1)
    }

    /// Row `i` as a `1 × ncols` view.
    #[inline]
    pub fn row_mut(self, i: usize) -> Self {
        let n = self.ncols;
        self.submatrix(i, 0, 1, n)
    }

    /// Sets every element to `value`.
    pub fn fill(&mut self, value: T)
    where
        T: Copy,
    {
        for j in 0..self.ncols {
            for i in 0..self.nrows {
                // SAFETY: i < nrows, j < ncols.
                unsafe { *self.get_unchecked_mut(i, j) = value };
            }
        }
    }

    /// Copies `src` (same shape) into this view; panics on a shape mismatch.
    pub fn copy_from(&mut self, src: MatRef<'_, T>)
    where
        T: Copy,
    {
        assert_eq!(
            self.shape(),
            src.shape(),
            "copy_from: destination is {}x{}, source is {}x{}",
            self.nrows,
            self.ncols,
            src.nrows(),
            src.ncols()
        );
        for j in 0..self.ncols {
            for i in 0..self.nrows {
                // SAFETY: i < nrows, j < ncols for both views (same shape).
                unsafe { *self.get_unchecked_mut(i, j) = src.get_unchecked(i, j) };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_are_checked() {
        let d = [0.0f64; 6];
        assert!(MatRef::from_slice(&d, 2, 3, 3, 1).is_ok());
        assert!(MatRef::from_slice(&d, 2, 4, 3, 1).is_err());
        assert!(MatRef::from_slice(&d, 3, 3, -1, 3).is_err());
        assert!(MatRef::from_slice_with_offset(&d, 2, 3, 2, -1, 3).is_ok());
        assert!(MatRef::from_slice(&d, 0, 100, 1, 1).is_ok());
        assert!(MatRef::from_slice(&d, usize::MAX, 2, 1, 1).is_err());
        let mut m = [0.0f64; 6];
        assert!(matches!(
            MatMut::from_slice(&mut m, 2, 3, 1, 1),
            Err(ViewError::Aliasing { .. })
        ));
        assert!(MatMut::from_slice(&mut m, 2, 3, 0, 1).is_err());
        assert!(MatMut::from_slice(&mut m, 1, 3, 0, 2).is_ok());
    }

    /// The dense constructors' shortcut accepts exactly what the general check accepts, with
    /// the same strides, and leaves the errors to it.
    #[test]
    fn dense_constructors_agree_with_the_general_check() {
        let big = usize::MAX / 2 + 1;
        let shapes = [
            (0, 0),
            (0, 5),
            (5, 0),
            (1, 1),
            (2, 3),
            (3, 2),
            (4, 4),
            (0, big),
            (big, 0),
        ];
        for len in [0, 1, 5, 6, 7, 16] {
            let d = vec![0.0f32; len];
            let mut w = vec![0.0f32; len];
            for (r, c) in shapes.into_iter().chain([(big, 2), (2, big)]) {
                let ld_c = isize::try_from(r.max(1));
                let ld_r = isize::try_from(c.max(1));
                let general = |rs: Result<isize, _>, cs: Result<isize, _>| match (rs, cs) {
                    (Ok(rs), Ok(cs)) => MatRef::from_slice(&d, r, c, rs, cs)
                        .map(|v| (v.row_stride(), v.col_stride())),
                    _ => Err(ViewError::Overflow),
                };
                let cm = MatRef::from_col_major(&d, r, c).map(|v| (v.row_stride(), v.col_stride()));
                let rm = MatRef::from_row_major(&d, r, c).map(|v| (v.row_stride(), v.col_stride()));
                assert_eq!(cm, general(Ok(1), ld_c), "col-major {r}x{c} in {len}");
                assert_eq!(rm, general(ld_r, Ok(1)), "row-major {r}x{c} in {len}");
                let cm_mut =
                    MatMut::from_col_major(&mut w, r, c).map(|v| (v.row_stride(), v.col_stride()));
                assert_eq!(cm_mut, cm, "mutable col-major {r}x{c} in {len}");
                let rm_mut =
                    MatMut::from_row_major(&mut w, r, c).map(|v| (v.row_stride(), v.col_stride()));
                assert_eq!(rm_mut, rm, "mutable row-major {r}x{c} in {len}");
            }
        }
    }

    #[test]
    fn views_index_like_numpy() {
        let d: Vec<f64> = (0..12).map(f64::from).collect();
        // np.arange(12).reshape(3, 4)
        let a = MatRef::from_row_major(&d, 3, 4).unwrap();
        assert_eq!(a.get(2, 1), 9.0);
        assert_eq!(a.transpose().get(1, 2), 9.0);
        let s = a.submatrix(1, 1, 2, 2);
        assert_eq!(s.to_col_major_vec(), vec![5.0, 9.0, 6.0, 10.0]);
        let r = a.reverse_rows().reverse_cols();
        assert_eq!(r.get(0, 0), 11.0);
        assert_eq!(r.get(2, 3), 0.0);
        let (top, bottom) = a.split_at_row(1);
        assert_eq!((top.nrows(), bottom.nrows()), (1, 2));
        assert_eq!(bottom.get(0, 0), 4.0);
        let (l, r) = a.split_at_col(4);
        assert_eq!((l.ncols(), r.ncols()), (4, 0));
    }

    #[test]
    fn mutable_splits_are_disjoint() {
        let mut d = vec![0.0f64; 12];
        let m = MatMut::from_col_major(&mut d, 3, 4).unwrap();
        let (mut l, mut r) = m.split_at_col(2);
        l.fill(1.0);
        r.fill(2.0);
        assert_eq!(
            d,
            [1.0; 6]
                .iter()
                .chain([2.0; 6].iter())
                .copied()
                .collect::<Vec<_>>()
        );
    }
}
